//! Places: service-at-locations and their locations as venues (coordinates, or a UK postcode), online delivery, access and languages.

use super::*;

#[derive(Default)]
pub(super) struct Places<'a> {
    pub(super) venues: Vec<VenueDraft>,
    pub(super) online: bool,
    pub(super) access: Access,
    pub(super) languages: Vec<String>,
    /// Names of physical locations that had neither coordinates nor a usable postcode.
    pub(super) unusable: Vec<String>,
    pub(super) sals: Vec<&'a Value>,
    pub(super) locations: Vec<&'a Value>,
}

pub(super) fn read_places(service: &Value) -> Result<Places<'_>, String> {
    let mut places = Places {
        sals: items(service, &["service_at_locations"])
            .filter(|s| s.is_object())
            .collect(),
        ..Places::default()
    };
    let mut seen_ids: Vec<String> = Vec::new();
    let candidates = places
        .sals
        .iter()
        .filter_map(|sal| sal.get("location"))
        .chain(items(service, &["locations"]))
        .filter(|l| l.is_object());
    for location in candidates {
        if let Some(id) = id_text(location.get("id")) {
            if seen_ids.contains(&id) {
                continue;
            }
            seen_ids.push(id);
        }
        places.locations.push(location);
    }
    let mut accessibility: Vec<String> = Vec::new();
    for location in places.locations.clone() {
        let kind = str_at(location, "location_type")
            .map(|s| s.trim().to_ascii_lowercase())
            .unwrap_or_default();
        match kind.as_str() {
            "virtual" => {
                places.online = true;
                continue;
            }
            // A postal address is where letters go, not somewhere to turn up.
            "postal" => continue,
            _ => {}
        }
        let venue = read_venue(location)?;
        if venue.postcode.is_none() && venue.coordinates.is_none() {
            let label = if venue.name.is_empty() {
                id_text(location.get("id")).unwrap_or_else(|| "a location".to_owned())
            } else {
                venue.name.clone()
            };
            places.unusable.push(format!("location '{label}'"));
            continue;
        }
        for a in items(
            location,
            &["accessibility", "accessibility_for_disabilities"],
        ) {
            match a {
                Value::String(s) => accessibility.push(text::line(s)),
                _ => {
                    for key in ["accessibility", "description", "details"] {
                        if let Some(s) = str_at(a, key) {
                            accessibility.push(text::line(s));
                        }
                    }
                }
            }
        }
        for l in read_languages(location.get("languages")) {
            push_unique_ci(&mut places.languages, l);
        }
        if !places.venues.contains(&venue) {
            places.venues.push(venue);
        }
    }
    places.access = access_from(&accessibility);
    Ok(places)
}

pub(super) fn read_venue(location: &Value) -> Result<VenueDraft, String> {
    // Prefer the address people visit over a postal one; otherwise the first.
    let addresses: Vec<&Value> = items(location, &["addresses", "physical_addresses"])
        .filter(|a| a.is_object())
        .collect();
    let address = addresses
        .iter()
        .find(|a| str_at(a, "address_type").is_some_and(|t| t.eq_ignore_ascii_case("physical")))
        .or(addresses.first())
        .copied();
    let mut name = str_at(location, "name").map(text::line).unwrap_or_default();
    let mut lines = Vec::new();
    let mut postcode = None;
    if let Some(address) = address {
        for key in ["address_1", "address_2", "address_3", "address_4", "city"] {
            if let Some(part) = str_at(address, key).map(text::line)
                && !part.is_empty()
                && !lines.contains(&part)
            {
                lines.push(part);
            }
        }
        // A postcode that is not a UK one (the samples carry a US one) is dropped, not fatal:
        // coordinates may still place the venue.
        postcode = str_at(address, "postal_code").and_then(|p| Postcode::parse(p).ok());
    }
    if name.is_empty() {
        name = lines.first().cloned().unwrap_or_default();
    }
    let label = if name.is_empty() {
        id_text(location.get("id")).unwrap_or_default()
    } else {
        name.clone()
    };
    let lat = coordinate(location, "latitude", &label)?;
    let lon = coordinate(location, "longitude", &label)?;
    let coordinates = match (lat, lon) {
        // 0, 0 is what broken exports write for "unknown": no place, but no reason to refuse
        // a service whose postcode still finds it.
        (Some(lat), Some(lon)) if lat == 0.0 && lon == 0.0 => None,
        (Some(lat), Some(lon)) => {
            Some(coordinates(lat, lon).map_err(|e| format!("location '{label}': {e}"))?)
        }
        // Half a coordinate is no place at all.
        _ => None,
    };
    Ok(VenueDraft {
        name,
        address: lines.join(", "),
        postcode,
        coordinates,
    })
}

/// A latitude or longitude as a number or numeric text; text that is not a number is refused,
/// like an impossible number, because the publisher meant to place the venue and failed.
pub(super) fn coordinate(location: &Value, key: &str, label: &str) -> Result<Option<f64>, String> {
    match location.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64()),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| {
            let shown: String = s.chars().take(20).collect();
            format!("location '{label}': {key} '{shown}' is not a number")
        }),
        Some(other) => Err(format!(
            "location '{label}': {key} should be a number, not {}",
            kind(other)
        )),
    }
}

/// Access from what locations say about themselves. Kept to a few clear phrases, each
/// checked for a nearby "no"/"not", because saying a venue is step-free when it is not is
/// worse than saying nothing.
pub(super) fn access_from(texts: &[String]) -> Access {
    let text = texts.join(" \n ").to_lowercase();
    let any = |words: &[&str]| words.iter().any(|w| mentions_start(&text, w));
    let wheelchair = any(&[
        "wheelchair",
        "step-free",
        "step free",
        "level access",
        "accessible toilet",
        "ramp",
    ]) && ![
        "no wheelchair",
        "not wheelchair",
        "not suitable for wheelchair",
        "no step-free",
        "no step free",
        "no level access",
        "no disabled access",
        "not accessible",
        "inaccessible",
    ]
    .iter()
    .any(|n| text.contains(n));
    Access {
        wheelchair,
        send_friendly: any(&[
            "send",
            "special educational needs",
            "additional needs",
            "learning disabilit",
            "autism",
            "autistic",
            "makaton",
        ]),
        quiet_sessions: any(&[
            "quiet session",
            "quiet hour",
            "relaxed session",
            "autism-friendly",
            "autism friendly",
            "sensory-friendly",
            "sensory friendly",
        ]),
        languages: Vec::new(),
    }
}

/// Languages other than English: 3.0 `{name, code}`, 1.0 `{language}`, or plain strings.
pub(super) fn read_languages(list: Option<&Value>) -> Vec<String> {
    let mut out = Vec::new();
    let Some(Value::Array(list)) = list else {
        return out;
    };
    for l in list {
        let name = match l {
            Value::String(s) => Some(s.as_str()),
            _ => str_at(l, "name")
                .or_else(|| str_at(l, "language"))
                .or_else(|| str_at(l, "code")),
        };
        let Some(name) = name.map(text::line).filter(|n| !n.is_empty()) else {
            continue;
        };
        if ["english", "en", "eng", "en-gb"].contains(&name.to_lowercase().as_str()) {
            continue;
        }
        push_unique_ci(&mut out, name);
    }
    out
}

/// 1.0 `attending_type` "online"; a 3.0 service says so with a virtual location instead.
pub(super) fn attends_online(service: &Value) -> bool {
    str_at(service, "attending_type").is_some_and(|t| mentions(&t.to_lowercase(), "online"))
}
