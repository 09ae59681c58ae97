//! Turning a URL query string into a validated search request.
//!
//! The web page and the JSON API take the same parameters, so both parse here. Every problem is
//! reported against the parameter that caused it, in words a person can act on.

use std::borrow::Cow;

use percent_encoding::percent_decode;
use signpost_model::{
    Category, Coordinates, Gender, JoinMethod, MAX_AGE_YEARS, Newcomer, Postcode, parse_weekday,
};
use signpost_search::{AccessNeed, Filters, Sort, When};

/// Longest search text accepted.
pub const MAX_TEXT_CHARS: usize = 200;
pub const DEFAULT_RADIUS_KM: f64 = 5.0;
pub use signpost_model::MAX_RADIUS_KM;
pub const MAX_PER_PAGE: usize = 100;
pub const DEFAULT_PER_PAGE: usize = 20;
pub const MAX_PAGE: usize = 10_000;

/// A parameter that could not be used, and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{param}: {message}")]
pub struct ParamError {
    pub param: String,
    pub message: String,
}

fn bad(param: &str, message: impl Into<String>) -> ParamError {
    ParamError {
        param: param.to_owned(),
        message: message.into(),
    }
}

/// One filter in use, as people say it, and the parameter (with its value, for a repeated
/// one) that holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chosen {
    pub label: String,
    pub param: &'static str,
    /// For a parameter given more than once (categories, access needs): which one.
    pub value: Option<String>,
}

/// Where the searcher is, as they said it.
#[derive(Clone, Debug, PartialEq)]
pub enum Where {
    Postcode(Postcode),
    Place(String),
    Point(Coordinates),
}

/// A search as asked for, every value checked, the place not yet looked up.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchParams {
    pub filters: Filters,
    pub place: Option<Where>,
    /// As asked; when absent the place's own default or [`DEFAULT_RADIUS_KM`] applies.
    pub radius_km: Option<f64>,
    pub sort: Sort,
    pub page: usize,
    pub per_page: usize,
}

impl Default for SearchParams {
    fn default() -> Self {
        SearchParams {
            filters: Filters::default(),
            place: None,
            radius_km: None,
            sort: Sort::Relevance,
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

/// Longest place name or postcode the search takes.
pub const MAX_PLACE_CHARS: usize = 100;
/// Longest language name the search takes.
pub const MAX_LANGUAGE_CHARS: usize = 40;

/// One search parameter, described once: how it is read and written, and what the search
/// form (which field a mistake points at, whether it is among the folded "more filters")
/// and the API docs need to know of it. Adding a filter is adding one of these.
#[derive(Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    /// May be given more than once (`category=sport&category=music`), meaning any of them.
    pub repeatable: bool,
    /// The search form's field it is typed into (`lat` goes in `near`), if it has one.
    pub field: Option<&'static str>,
    /// Its field is among the "more filters" the form keeps folded on a phone.
    pub folded: bool,
    /// Reads one (trimmed, non-empty) value into the search being read.
    read: fn(&mut Reading, &str) -> Result<(), ParamError>,
    /// Its values in a search, in their plainest spelling (none when not set).
    write: fn(&SearchParams) -> Vec<String>,
}

impl std::fmt::Debug for Param {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Param").field("name", &self.name).finish()
    }
}

/// A search being read: the search so far, and the parts of its place that are settled only
/// once every parameter is read.
#[derive(Default)]
struct Reading {
    p: SearchParams,
    lat: Option<f64>,
    lon: Option<f64>,
    places: Vec<(&'static str, Where)>,
}

/// Every parameter the search understands, in the order a search is written back
/// ([`SearchParams::to_pairs`]) and the API documents them.
pub const PARAMS: &[Param] = &[
    Param {
        name: "q",
        repeatable: false,
        field: Some("q"),
        folded: false,
        read: |r, v| {
            if v.chars().count() > MAX_TEXT_CHARS {
                return Err(bad(
                    "q",
                    format!(
                        "the search text is too long: keep it under {MAX_TEXT_CHARS} characters"
                    ),
                ));
            }
            r.p.filters.text = Some(v.to_owned());
            Ok(())
        },
        write: |p| p.filters.text.iter().cloned().collect(),
    },
    Param {
        name: "postcode",
        repeatable: false,
        field: Some("near"),
        folded: false,
        read: |r, v| {
            let pc = Postcode::parse(v).map_err(|e| bad("postcode", e.to_string()))?;
            r.places.push(("postcode", Where::Postcode(pc)));
            Ok(())
        },
        // Written as `near`.
        write: |_| Vec::new(),
    },
    Param {
        name: "place",
        repeatable: false,
        field: Some("near"),
        folded: false,
        read: |r, v| {
            if v.chars().count() > MAX_PLACE_CHARS {
                return Err(bad("place", "that place name is too long"));
            }
            r.places.push(("place", Where::Place(v.to_owned())));
            Ok(())
        },
        // Written as `near`.
        write: |_| Vec::new(),
    },
    Param {
        name: "near",
        repeatable: false,
        field: Some("near"),
        folded: false,
        read: |r, v| {
            if v.chars().count() > MAX_PLACE_CHARS {
                return Err(bad("near", "that is too long for a postcode or place"));
            }
            let w = match Postcode::parse(v) {
                Ok(pc) => Where::Postcode(pc),
                Err(_) => Where::Place(v.to_owned()),
            };
            r.places.push(("near", w));
            Ok(())
        },
        write: |p| match &p.place {
            Some(Where::Postcode(pc)) => vec![pc.to_string()],
            Some(Where::Place(name)) => vec![name.clone()],
            _ => Vec::new(),
        },
    },
    Param {
        name: "lat",
        repeatable: false,
        field: Some("near"),
        folded: false,
        read: |r, v| {
            r.lat = Some(parse_number("lat", v, "a latitude, like 53.74")?);
            Ok(())
        },
        write: |p| match &p.place {
            Some(Where::Point(c)) => vec![c.lat().to_string()],
            _ => Vec::new(),
        },
    },
    Param {
        name: "lon",
        repeatable: false,
        field: Some("near"),
        folded: false,
        read: |r, v| {
            r.lon = Some(parse_number("lon", v, "a longitude, like -0.33")?);
            Ok(())
        },
        write: |p| match &p.place {
            Some(Where::Point(c)) => vec![c.lon().to_string()],
            _ => Vec::new(),
        },
    },
    Param {
        name: "radius_km",
        repeatable: false,
        field: Some("radius_km"),
        folded: false,
        read: |r, v| {
            let km: f64 = parse_number("radius_km", v, "a distance in kilometres")?;
            if !(km.is_finite() && (0.1..=MAX_RADIUS_KM).contains(&km)) {
                return Err(bad(
                    "radius_km",
                    format!("choose a distance from 0.1 to {MAX_RADIUS_KM} km"),
                ));
            }
            r.p.radius_km = Some(km);
            Ok(())
        },
        write: |p| p.radius_km.iter().map(ToString::to_string).collect(),
    },
    Param {
        name: "age",
        repeatable: false,
        field: Some("age"),
        folded: false,
        read: |r, v| {
            let age: i64 = parse_number("age", v, "an age in whole years, like 13")?;
            if !(0..=i64::from(MAX_AGE_YEARS)).contains(&age) {
                return Err(bad(
                    "age",
                    format!("give an age in years from 0 to {MAX_AGE_YEARS}"),
                ));
            }
            r.p.filters.age = u16::try_from(age).ok();
            Ok(())
        },
        write: |p| p.filters.age.iter().map(ToString::to_string).collect(),
    },
    Param {
        name: "day",
        repeatable: false,
        field: Some("day"),
        folded: true,
        read: |r, v| {
            r.p.filters.day = Some(parse_weekday(v).map_err(|_| {
                bad(
                    "day",
                    format!("'{}' is not a day of the week, like saturday", clip(v)),
                )
            })?);
            Ok(())
        },
        write: |p| {
            p.filters
                .day
                .iter()
                .map(|d| signpost_model::weekday_name(*d).to_owned())
                .collect()
        },
    },
    Param {
        name: "when",
        repeatable: false,
        field: Some("when"),
        folded: true,
        read: |r, v| {
            r.p.filters.when = Some(When::parse(v).ok_or_else(|| {
                bad(
                    "when",
                    format!(
                        "'{}' is not one of: {}",
                        clip(v),
                        When::ALL.map(When::as_str).join(", ")
                    ),
                )
            })?);
            Ok(())
        },
        write: |p| {
            p.filters
                .when
                .iter()
                .map(|w| w.as_str().to_owned())
                .collect()
        },
    },
    Param {
        name: "free",
        repeatable: false,
        field: None,
        folded: true,
        read: |r, v| {
            r.p.filters.free = Some(parse_bool("free", v)?);
            Ok(())
        },
        write: |p| p.filters.free.iter().map(ToString::to_string).collect(),
    },
    Param {
        name: "max_price",
        repeatable: false,
        field: Some("max_price"),
        folded: true,
        read: |r, v| {
            r.p.filters.max_price_pence = Some(parse_pounds(v)?);
            Ok(())
        },
        write: |p| {
            p.filters
                .max_price_pence
                .iter()
                .map(|p| format!("{}.{:02}", p / 100, p % 100))
                .collect()
        },
    },
    Param {
        name: "category",
        repeatable: true,
        field: None,
        folded: true,
        read: |r, v| {
            let c = Category::parse(v).map_err(|e| bad("category", e.to_string()))?;
            if !r.p.filters.categories.contains(&c) {
                r.p.filters.categories.push(c);
            }
            Ok(())
        },
        write: |p| {
            p.filters
                .categories
                .iter()
                .map(|c| c.slug().to_owned())
                .collect()
        },
    },
    Param {
        name: "gender",
        repeatable: false,
        field: Some("gender"),
        folded: true,
        read: |r, v| {
            r.p.filters.gender = Some(Gender::parse(v).ok_or_else(|| {
                bad(
                    "gender",
                    format!("'{}' is not one of: girls, boys, mixed", clip(v)),
                )
            })?);
            Ok(())
        },
        write: |p| {
            p.filters
                .gender
                .iter()
                .map(|g| g.as_str().to_owned())
                .collect()
        },
    },
    Param {
        name: "access",
        repeatable: true,
        field: None,
        folded: true,
        read: |r, v| {
            let a = AccessNeed::parse(v).ok_or_else(|| {
                bad(
                    "access",
                    format!("'{}' is not one of: wheelchair, send, quiet", clip(v)),
                )
            })?;
            if !r.p.filters.access.contains(&a) {
                r.p.filters.access.push(a);
            }
            Ok(())
        },
        write: |p| {
            p.filters
                .access
                .iter()
                .map(|a| a.as_str().to_owned())
                .collect()
        },
    },
    Param {
        name: "language",
        repeatable: false,
        field: Some("language"),
        folded: true,
        read: |r, v| {
            if v.chars().count() > MAX_LANGUAGE_CHARS {
                return Err(bad("language", "that language name is too long"));
            }
            r.p.filters.language = Some(v.to_owned());
            Ok(())
        },
        write: |p| p.filters.language.iter().cloned().collect(),
    },
    Param {
        name: "join",
        repeatable: true,
        field: None,
        folded: true,
        read: |r, v| {
            let j = JoinMethod::parse(v).ok_or_else(|| {
                bad(
                    "join",
                    format!(
                        "'{}' is not one of: drop-in, self-referral, professional-referral, booking",
                        clip(v)
                    ),
                )
            })?;
            if !r.p.filters.join.contains(&j) {
                r.p.filters.join.push(j);
            }
            Ok(())
        },
        write: |p| {
            p.filters
                .join
                .iter()
                .map(|j| j.as_str().to_owned())
                .collect()
        },
    },
    Param {
        name: "newcomers",
        repeatable: true,
        field: None,
        folded: true,
        read: |r, v| {
            let n = Newcomer::parse(v).ok_or_else(|| {
                bad(
                    "newcomers",
                    format!("'{}' is not one of: {}", clip(v), Newcomer::names()),
                )
            })?;
            if !r.p.filters.newcomers.contains(&n) {
                r.p.filters.newcomers.push(n);
            }
            Ok(())
        },
        write: |p| {
            p.filters
                .newcomers
                .iter()
                .map(|n| n.as_str().to_owned())
                .collect()
        },
    },
    Param {
        name: "checked",
        repeatable: false,
        field: None,
        folded: true,
        read: |r, v| {
            r.p.filters.checked = parse_bool("checked", v)?;
            Ok(())
        },
        write: |p| {
            if p.filters.checked {
                vec!["true".to_owned()]
            } else {
                Vec::new()
            }
        },
    },
    Param {
        name: "sort",
        repeatable: false,
        field: Some("sort"),
        folded: true,
        read: |r, v| {
            r.p.sort = match v.to_ascii_lowercase().as_str() {
                "relevance" => Sort::Relevance,
                "distance" => Sort::Distance,
                "confirmed" => Sort::Confirmed,
                _ => {
                    return Err(bad(
                        "sort",
                        format!(
                            "'{}' is not one of: relevance, distance, confirmed",
                            clip(v)
                        ),
                    ));
                }
            };
            Ok(())
        },
        write: |p| match p.sort {
            Sort::Relevance => Vec::new(),
            Sort::Distance => vec!["distance".to_owned()],
            Sort::Confirmed => vec!["confirmed".to_owned()],
        },
    },
    Param {
        name: "page",
        repeatable: false,
        field: None,
        folded: false,
        read: |r, v| {
            r.p.page = parse_page(v)?;
            Ok(())
        },
        write: |p| {
            if p.page == 1 {
                Vec::new()
            } else {
                vec![p.page.to_string()]
            }
        },
    },
    Param {
        name: "per_page",
        repeatable: false,
        field: None,
        folded: false,
        read: |r, v| {
            r.p.per_page = parse_per_page(v)?;
            Ok(())
        },
        write: |p| {
            if p.per_page == DEFAULT_PER_PAGE {
                Vec::new()
            } else {
                vec![p.per_page.to_string()]
            }
        },
    },
];

/// The parameter called `name`, if the search has one.
pub fn param_named(name: &str) -> Option<&'static Param> {
    PARAMS.iter().find(|p| p.name == name)
}

/// Every parameter's name, for messages: "q, age, postcode, ...".
pub fn param_names() -> String {
    PARAMS.iter().map(|p| p.name).collect::<Vec<_>>().join(", ")
}

/// Splits a raw query string into decoded pairs, refusing bytes that are not UTF-8.
pub fn decode_query(raw: &str) -> Result<Vec<(String, String)>, ParamError> {
    let mut out = Vec::new();
    for part in raw.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let decode = |s: &str| -> Result<String, ()> {
            let plus = s.replace('+', " ");
            let bytes: Cow<[u8]> = percent_decode(plus.as_bytes()).into();
            String::from_utf8(bytes.into_owned()).map_err(|_| ())
        };
        if k.is_empty() && v.is_empty() {
            continue; // a stray "=" or "&="
        }
        let key = decode(k).map_err(|_| {
            bad(
                "query",
                "the address has characters that are not valid text (UTF-8)",
            )
        })?;
        let value = decode(v)
            .map_err(|_| bad(&key, "this has characters that are not valid text (UTF-8)"))?;
        out.push((key, value));
    }
    Ok(out)
}

/// `true`/`false`, `yes`/`no`, `1`/`0`, `on`/`off`.
pub fn parse_bool(param: &str, v: &str) -> Result<bool, ParamError> {
    match v.to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "on" => Ok(true),
        "false" | "no" | "0" | "off" => Ok(false),
        _ => Err(bad(param, format!("'{}' should be true or false", clip(v)))),
    }
}

pub fn parse_number<T: std::str::FromStr>(
    param: &str,
    v: &str,
    what: &str,
) -> Result<T, ParamError> {
    v.parse()
        .map_err(|_| bad(param, format!("'{}' is not {what}", clip(v))))
}

/// A value as quoted back in a message: at most 30 characters.
pub fn clip(v: &str) -> String {
    let s: String = v.chars().take(30).collect();
    if v.chars().count() > 30 {
        format!("{s}…")
    } else {
        s
    }
}

/// A `page` value: 1 to [`MAX_PAGE`].
pub fn parse_page(v: &str) -> Result<usize, ParamError> {
    let n: i64 = parse_number("page", v, "a page number")?;
    if !(1..=MAX_PAGE as i64).contains(&n) {
        return Err(bad("page", format!("choose a page from 1 to {MAX_PAGE}")));
    }
    Ok(usize::try_from(n).unwrap_or(1))
}

/// A `per_page` value: 1 to [`MAX_PER_PAGE`].
pub fn parse_per_page(v: &str) -> Result<usize, ParamError> {
    let n: i64 = parse_number("per_page", v, "a number of results")?;
    if !(1..=MAX_PER_PAGE as i64).contains(&n) {
        return Err(bad(
            "per_page",
            format!("choose from 1 to {MAX_PER_PAGE} results a page"),
        ));
    }
    Ok(usize::try_from(n).unwrap_or(DEFAULT_PER_PAGE))
}

/// Pounds as typed ("3", "3.5", "£3.50") to pence.
fn parse_pounds(v: &str) -> Result<u32, ParamError> {
    let t = v.trim().trim_start_matches('£');
    let err = || {
        bad(
            "max_price",
            format!("'{}' is not an amount in pounds, like 3 or 2.50", clip(v)),
        )
    };
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty() && frac.is_empty() || frac.len() > 2 {
        return Err(err());
    }
    let whole: u32 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| err())?
    };
    let frac_pence: u32 = match frac.len() {
        0 => 0,
        1 => frac.parse::<u32>().map_err(|_| err())? * 10,
        _ => frac.parse().map_err(|_| err())?,
    };
    let pence = whole.saturating_mul(100).saturating_add(frac_pence);
    if pence > 100_000 {
        return Err(bad("max_price", "must be £1000 or less"));
    }
    Ok(pence)
}

impl SearchParams {
    /// The search as query-string pairs in their plainest spelling (`day=sat` comes back as
    /// `day=saturday`), for links and for filling in the search form.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        PARAMS
            .iter()
            .flat_map(|param| {
                (param.write)(self)
                    .into_iter()
                    .map(|v| (param.name.to_owned(), v))
            })
            .collect()
    }

    /// The filters in use beyond the words, the place and the distance, as people say them
    /// ("Free only", "Evenings", "Sport"), in the order of [`PARAMS`]: the search form's
    /// summary of its folded filters.
    pub fn chosen(&self) -> Vec<String> {
        self.chosen_filters()
            .into_iter()
            .filter(|c| c.param != "age")
            .map(|c| c.label)
            .collect()
    }

    /// Every filter in use beyond the words, the place and the distance, with the parameter
    /// that holds it, so a page can offer to take each one away.
    pub fn chosen_filters(&self) -> Vec<Chosen> {
        let f = &self.filters;
        let mut out = Vec::new();
        let mut add = |label: String, param: &'static str, value: Option<&str>| {
            out.push(Chosen {
                label,
                param,
                value: value.map(str::to_owned),
            });
        };
        if let Some(age) = f.age {
            add(format!("Age {age}"), "age", None);
        }
        if let Some(d) = f.day {
            add(signpost_model::weekday_title(d).to_owned(), "day", None);
        }
        if let Some(w) = f.when {
            add(w.label().to_owned(), "when", None);
        }
        if f.free == Some(true) {
            add("Free only".to_owned(), "free", None);
        }
        if let Some(p) = f.max_price_pence {
            let label = if p % 100 == 0 {
                format!("Up to £{}", p / 100)
            } else {
                format!("Up to £{}.{:02}", p / 100, p % 100)
            };
            add(label, "max_price", None);
        }
        for c in &f.categories {
            add(c.name().to_owned(), "category", Some(c.slug()));
        }
        match f.gender {
            Some(Gender::Girls) => add("For girls".to_owned(), "gender", None),
            Some(Gender::Boys) => add("For boys".to_owned(), "gender", None),
            Some(Gender::Mixed) => add("Mixed groups only".to_owned(), "gender", None),
            None => {}
        }
        for a in &f.access {
            add(a.label().to_owned(), "access", Some(a.as_str()));
        }
        if let Some(l) = &f.language {
            add(format!("Speaks {l}"), "language", None);
        }
        for j in &f.join {
            add(j.label().to_owned(), "join", Some(j.as_str()));
        }
        for n in &f.newcomers {
            add(n.filter_label().to_owned(), "newcomers", Some(n.as_str()));
        }
        if f.checked {
            add("Safety checked only".to_owned(), "checked", None);
        }
        match self.sort {
            Sort::Relevance => {}
            Sort::Distance => add("Nearest first".to_owned(), "sort", None),
            Sort::Confirmed => add("Recently checked first".to_owned(), "sort", None),
        }
        out
    }

    /// As much of a search as can be read: the pairs without those the parser refuses (each
    /// refusal names its parameter), for showing what was chosen beside the error.
    pub fn parse_what_can_be(pairs: &[(String, String)]) -> SearchParams {
        let mut pairs = pairs.to_vec();
        for _ in 0..PARAMS.len() {
            match SearchParams::parse(&pairs) {
                Ok(p) => return p,
                Err(e) => pairs.retain(|(k, _)| *k != e.param),
            }
        }
        SearchParams::default()
    }

    /// Parses decoded pairs. Empty values count as not given (that is what an empty form field
    /// sends). Unknown parameters are refused, so a typo is not silently ignored.
    pub fn parse(pairs: &[(String, String)]) -> Result<Self, ParamError> {
        let mut r = Reading::default();
        let mut seen: Vec<&str> = Vec::new();
        for (key, value) in pairs {
            let key = key.as_str();
            let Some(param) = param_named(key) else {
                return Err(bad(
                    key,
                    format!(
                        "unknown parameter; the search understands: {}",
                        param_names()
                    ),
                ));
            };
            let v = value.trim();
            if v.is_empty() {
                continue;
            }
            if !param.repeatable {
                if seen.contains(&param.name) {
                    return Err(bad(param.name, "give this only once"));
                }
                seen.push(param.name);
            }
            (param.read)(&mut r, v)?;
        }
        let Reading {
            mut p,
            lat,
            lon,
            mut places,
        } = r;
        match (lat, lon) {
            (Some(lat), Some(lon)) => {
                let c = Coordinates::new(lat, lon).map_err(|e| {
                    let param = if e.to_string().starts_with("latitude") {
                        "lat"
                    } else {
                        "lon"
                    };
                    bad(param, e.to_string())
                })?;
                places.push(("lat", Where::Point(c)));
            }
            (Some(_), None) => return Err(bad("lon", "give lon as well as lat")),
            (None, Some(_)) => return Err(bad("lat", "give lat as well as lon")),
            (None, None) => {}
        }
        if places.len() > 1 {
            let names: Vec<_> = places.iter().map(|(n, _)| *n).collect();
            return Err(bad(
                places[1].0,
                format!(
                    "give only one of postcode, place or lat/lon (got {})",
                    names.join(" and ")
                ),
            ));
        }
        p.place = places.pop().map(|(_, w)| w);
        if p.sort == Sort::Distance && p.place.is_none() {
            return Err(bad(
                "sort",
                "sorting by distance needs a postcode, place or lat/lon",
            ));
        }
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(q: &str) -> Result<SearchParams, ParamError> {
        SearchParams::parse(&decode_query(q)?)
    }

    #[test]
    fn a_full_search_parses() {
        let p = parse("q=free+football&age=13&postcode=hu5&radius_km=3&day=Saturday&when=weekend&free=true&max_price=2.5&category=sport&category=music&gender=girls&access=wheelchair&join=drop-in&checked=true&sort=distance&page=2&per_page=50").unwrap();
        assert_eq!(p.filters.text.as_deref(), Some("free football"));
        assert_eq!(p.filters.age, Some(13));
        assert!(matches!(p.place, Some(Where::Postcode(_))));
        assert_eq!(p.filters.max_price_pence, Some(250));
        assert_eq!(p.filters.categories.len(), 2);
        assert_eq!((p.page, p.per_page), (2, 50));
    }

    #[test]
    fn empty_fields_are_ignored() {
        assert_eq!(
            parse("q=&age=&postcode=&radius_km=").unwrap(),
            SearchParams::default()
        );
    }

    #[test]
    fn nonsense_is_refused_against_the_right_parameter() {
        for (q, param) in [
            ("age=-3", "age"),
            ("age=teen", "age"),
            ("radius_km=1e9", "radius_km"),
            ("radius_km=NaN", "radius_km"),
            ("page=0", "page"),
            ("page=99999", "page"),
            ("per_page=1000", "per_page"),
            ("category=quidditch", "category"),
            ("postcode=90210", "postcode"),
            ("lat=100&lon=0", "lat"),
            ("lat=53", "lon"),
            ("postcode=HU5&place=Hull", "place"),
            ("sort=distance", "sort"),
            ("free=maybe", "free"),
            ("max_price=lots", "max_price"),
            ("max_price=1000.01", "max_price"),
            ("age=1&age=2", "age"),
            ("colour=red", "colour"),
            ("when=tomorrow", "when"),
            ("day=funday", "day"),
            ("day=%FF", "day"),
        ] {
            let err = parse(q).expect_err(q);
            assert_eq!(err.param, param, "{q}: {err}");
        }
        let long = format!("q={}", "a".repeat(10_000));
        assert_eq!(parse(&long).unwrap_err().param, "q");
    }

    #[test]
    fn plainest_spelling_parses_back_to_the_same_search() {
        let p = parse("q=art&day=sat&gender=girl&free=yes&max_price=2.5&near=hu53ab&radius_km=3&category=music&access=quiet&join=booking&language=Polish&checked=1&sort=confirmed&page=2&per_page=10&age=9&when=evening").unwrap();
        let pairs = p.to_pairs();
        assert!(pairs.contains(&("day".into(), "saturday".into())));
        assert!(pairs.contains(&("gender".into(), "girls".into())));
        assert!(pairs.contains(&("near".into(), "HU5 3AB".into())));
        assert_eq!(SearchParams::parse(&pairs).unwrap(), p);
        let point = parse("lat=53.5&lon=-0.25").unwrap();
        assert_eq!(SearchParams::parse(&point.to_pairs()).unwrap(), point);
    }

    #[test]
    fn chosen_filters_are_said_in_words_and_a_wrong_one_leaves_the_rest() {
        let p = parse("q=art&near=HU5&day=sat&free=yes&max_price=3&category=sport&access=quiet&sort=confirmed")
            .unwrap();
        assert_eq!(
            p.chosen(),
            vec![
                "Saturday",
                "Free only",
                "Up to £3",
                "Sport",
                "Quiet or autism-friendly sessions",
                "Recently checked first"
            ]
        );
        let pairs = decode_query("day=someday&free=true&max_price=2.50&sort=distance").unwrap();
        assert!(SearchParams::parse(&pairs).is_err());
        assert_eq!(
            SearchParams::parse_what_can_be(&pairs).chosen(),
            vec!["Free only", "Up to £2.50"]
        );
    }

    #[test]
    fn near_takes_a_postcode_or_a_place() {
        assert!(matches!(
            parse("near=E15").unwrap().place,
            Some(Where::Postcode(_))
        ));
        assert!(matches!(
            parse("near=Truro").unwrap().place,
            Some(Where::Place(_))
        ));
    }
}
