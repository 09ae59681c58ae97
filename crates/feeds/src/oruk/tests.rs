//! The reader against the real samples and hand-made services in every shape.

use super::*;
use serde_json::json;
use signpost_model::{Email, WebUrl};

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/samples");

/// A sample file, or `None` (with a note) when the samples folder is not there.
fn sample(path: &str) -> Option<Value> {
    let dir = std::path::Path::new(SAMPLES);
    if !dir.exists() {
        eprintln!("skipping: {SAMPLES} not found");
        return None;
    }
    let text = std::fs::read_to_string(dir.join(path)).unwrap();
    Some(serde_json::from_str(&text).unwrap())
}

fn item(entry: Entry) -> Draft {
    match entry {
        Entry::Item(d) => *d,
        other => panic!("expected an item, got {other:?}"),
    }
}

fn rejected(entry: Entry) -> Rejection {
    match entry {
        Entry::Rejected(r) => r,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Moves every location in a sample to a real place in Hull, so the rest of the record
/// can be checked past the samples' deliberately impossible coordinates.
fn place_in_hull(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if map.contains_key("latitude") {
                map.insert("latitude".into(), json!(53.7676));
                map.insert("longitude".into(), json!(-0.3573));
            }
            for child in map.values_mut() {
                place_in_hull(child);
            }
        }
        Value::Array(list) => list.iter_mut().for_each(place_in_hull),
        _ => {}
    }
}

#[test]
fn uk3_sample_latitude_100_rejects_the_service() {
    let Some(service) = sample("oruk/uk3_service_full.json") else {
        return;
    };
    assert_eq!(
        service["service_at_locations"][0]["location"]["latitude"],
        100
    );
    let r = rejected(map_service(&service));
    assert_eq!(r.at, "service ac148810-d857-441c-9679-408f346de14b");
    assert!(r.reason.contains("latitude 100"), "{}", r.reason);
    assert!(r.reason.contains("MyCity Civic Center"), "{}", r.reason);
}

#[test]
fn uk3_sample_full_service_reads_every_part() {
    let Some(mut service) = sample("oruk/uk3_service_full.json") else {
        return;
    };
    assert!(is_full(&service));
    place_in_hull(&mut service);
    let d = item(map_service(&service));
    assert_eq!(d.source_id, "ac148810-d857-441c-9679-408f346de14b");
    assert_eq!(d.provider.name, "Example Organization Inc.");
    assert_eq!(
        d.provider.source_id.as_deref(),
        Some("d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610")
    );
    assert_eq!(d.provider.company_number.as_deref(), Some("1234567"));
    assert_eq!(d.provider.website.as_deref(), Some("http://example.com"));
    let a = &d.activity;
    assert_eq!(a.title, "Community Counselling");
    assert!(a.description.starts_with("Counselling Services provided"));
    assert_eq!(a.ages, Some(AgeRange::years(12, 100).unwrap()));
    // The sample's only term is the placeholder "name", so the title places it:
    // "Counselling" is wellbeing.
    assert_eq!(a.terms, vec!["name".to_owned()]);
    assert_eq!(a.categories, vec![Category::Wellbeing]);
    // One paid option of £35.
    assert!(!a.cost.free);
    assert_eq!(a.cost.price_pence, Some(3500));
    assert_eq!(
        a.cost.concessions.as_deref(),
        Some("Under 18s and Over 60s: £35.00 per 1 hour session")
    );
    // WEEKLY, byday TH,FR, 10:00:00-18:00:00, valid 2005-01-01 only.
    let days: Vec<Weekday> = a.schedule.weekly.iter().map(|w| w.day).collect();
    assert_eq!(days, vec![Weekday::Thu, Weekday::Fri]);
    let w = &a.schedule.weekly[0];
    assert_eq!(
        (w.start.to_string(), w.end.to_string()),
        ("10:00".into(), "18:00".into())
    );
    assert_eq!(w.valid_from, Some(date("2005-01-01")));
    assert_eq!(w.valid_to, Some(date("2005-01-01")));
    // The venue: its US postcode is dropped, the (moved) coordinates kept.
    assert_eq!(a.venues.len(), 1);
    let v = &a.venues[0];
    assert_eq!(v.name, "MyCity Civic Center");
    assert_eq!(v.address, "1-30 Main Street, MyCity");
    assert_eq!(v.postcode, None);
    assert!(v.coordinates.is_some());
    assert!(!a.online);
    assert!(
        a.access.wheelchair,
        "\"Wheelchair access is possible on all levels\""
    );
    assert_eq!(a.join.contact.name.as_deref(), Some("Ann Persona"));
    assert_eq!(a.join.contact.email.as_deref(), Some("email@example.com"));
    assert_eq!(
        a.join.contact.url.as_deref(),
        Some("http://example.com/counselling")
    );
    assert_eq!(
        a.updated.map(|t| t.to_rfc3339()),
        Some("2023-03-15T10:30:45.123+00:00".to_owned())
    );
}

#[test]
fn uk3_service_list_is_a_page_of_summaries() {
    let dir = std::path::Path::new(SAMPLES);
    if !dir.exists() {
        eprintln!("skipping: {SAMPLES} not found");
        return;
    }
    let text = std::fs::read_to_string(dir.join("oruk/uk3_service_list.json")).unwrap();
    let page = parse_services(&text).unwrap();
    assert_eq!(page.services.len(), 1);
    assert_eq!(page.page, Some(1));
    assert_eq!(page.total_pages, Some(10));
    assert_eq!(page.last, Some(false));
    assert!(page.has_more());
    // "Services that only have one-to-one fields in them": fetch /services/{id}.
    assert!(!is_full(&page.services[0]));
    // Read as it is, a summary has no venue.
    let r = rejected(map_service(&page.services[0]));
    assert!(r.reason.starts_with("has no venue"), "{}", r.reason);
}

#[test]
fn uk3_service_at_location_record_is_its_service_at_that_place() {
    let Some(mut record) = sample("oruk/uk3_service_at_location_full.json") else {
        return;
    };
    let r = rejected(map_service(&record));
    assert!(r.reason.contains("latitude"), "{}", r.reason);
    place_in_hull(&mut record);
    let d = item(map_service(&record));
    assert_eq!(d.source_id, "ac148810-d857-441c-9679-408f346de14b");
    assert_eq!(d.activity.venues.len(), 1);
    assert_eq!(d.activity.venues[0].name, "MyCity Civic Center");
    assert_eq!(d.activity.schedule.weekly.len(), 2);
}

#[test]
fn hsds3_sample_full_service() {
    let Some(mut service) = sample("hsds3/hsds3_service_full.json") else {
        return;
    };
    let r = rejected(map_service(&service));
    assert!(r.reason.contains("latitude 100"), "{}", r.reason);
    place_in_hull(&mut service);
    let d = item(map_service(&service));
    let a = &d.activity;
    assert_eq!(a.ages, Some(AgeRange::years(12, 100).unwrap()));
    // The same schedule sits on the service, its service_at_location and its location.
    assert_eq!(a.schedule.weekly.len(), 2);
    assert_eq!(a.access.languages, vec!["Urdu".to_owned()]);
    assert!(a.access.wheelchair);
    // The stray quotes around the sample's phone number are gone.
    assert_eq!(a.join.contact.phone.as_deref(), Some("+44 1234 234567"));
    assert!(a.join.notes.starts_with("If you are an NHS patient"));
    assert_eq!(a.cost.price_pence, Some(3500));
    assert_eq!(d.provider.phone.as_deref(), Some("+44 1234 234567"));
    assert_eq!(a.venues.len(), 1, "one location, listed twice");
}

/// A 1.0 service as the reference server writes it: plural table names, ages in
/// `eligibilitys`, weekday names, holiday closures, `locations` with `physical_addresses`.
fn uk1_service() -> Value {
    json!({
        "id": 4021,
        "name": "<b>Youth</b> Drop-in &amp; Chill",
        "description": "<p>A safe space for young people.</p><p>Pool, music &amp; snacks.<br>Staff on hand.</p><script>alert(1)</script>",
        "url": "www.hullyouth.example.org/drop-in",
        "email": "youth@hullyouth.example.org",
        "status": "active",
        "fees": "Free",
        "attending_type": "venue",
        "attending_access": "drop-in",
        "assured_date": "2024-05-01",
        "organization": {
            "id": "org-77",
            "name": "Hull Youth Trust",
            "description": "Youth work across the city.",
            "url": "https://hullyouth.example.org",
            "email": "info@hullyouth.example.org"
        },
        "eligibilitys": [
            {"id": "e1", "eligibility": "young people", "minimum_age": 11, "maximum_age": 18},
            {"id": "e2", "eligibility": "teen", "minimum_age": 13, "maximum_age": 19}
        ],
        "service_taxonomys": [
            {"id": "st1", "taxonomy": {"id": "t1", "name": "Youth clubs", "vocabulary": "esd"}},
            {"id": "st2", "taxonomy": {"id": "t2", "name": "Pool", "vocabulary": "esd"}}
        ],
        "regular_schedules": [
            {"id": "rs1", "weekday": "Monday", "opens_at": "18:00", "closes_at": "20:30",
             "freq": "WEEKLY", "interval": 1, "byday": "MO", "valid_from": "2024-09-01"},
            {"id": "rs2", "weekday": 5, "opens_at": "18:00Z", "closes_at": "21:00+01:00"},
            {"id": "rs3", "opens_at": "10:00", "closes_at": "12:00", "freq": "MONTHLY",
             "byday": "2SA", "description": "Second Saturday of the month: trips out"}
        ],
        "holiday_schedules": [
            {"id": "h1", "closed": true, "start_date": "2024-12-23", "end_date": "2024-12-27"},
            {"id": "h2", "closed": false, "opens_at": "10:00", "closes_at": "12:00",
             "start_date": "2025-04-07", "end_date": "2025-04-07"}
        ],
        "fundings": [{"id": "f1", "source": "Hull City Council youth grant"}],
        "contacts": [
            {"id": "c1", "name": "Jo Smith", "title": "Youth worker",
             "phones": [{"id": "p1", "number": "01632 960123"}]}
        ],
        "languages": [{"id": "l1", "language": "English"}, {"id": "l2", "language": "Polish"}],
        "locations": [
            {
                "id": "loc1",
                "name": "Newland Youth Centre",
                "latitude": "53.7712",
                "longitude": "-0.3671",
                "physical_addresses": [
                    {"id": "a1", "address_1": "1 Newland Avenue", "city": "Hull",
                     "postal_code": "hu5 3ab", "country": "GB"}
                ],
                "accessibility_for_disabilities": [
                    {"id": "ac1", "accessibility": "Step-free entrance and accessible toilet"}
                ]
            }
        ]
    })
}

#[test]
fn uk1_service_with_plural_tables() {
    let service = uk1_service();
    assert!(is_full(&service));
    let d = item(map_service(&service));
    assert_eq!(d.source_id, "4021");
    assert_eq!(d.provider.name, "Hull Youth Trust");
    assert_eq!(
        d.provider.website.as_deref(),
        Some("https://hullyouth.example.org")
    );
    let a = &d.activity;
    assert_eq!(a.title, "Youth Drop-in & Chill");
    assert_eq!(
        a.description,
        "A safe space for young people.\n\nPool, music & snacks.\nStaff on hand."
    );
    assert_eq!(a.ages, Some(AgeRange::years(11, 19).unwrap()));
    assert_eq!(a.terms, vec!["Youth clubs".to_owned(), "Pool".to_owned()]);
    assert_eq!(a.categories, vec![Category::YouthClub]);
    assert!(a.cost.free);
    assert_eq!(a.cost.price_pence, None);
    assert_eq!(a.join.methods, vec![JoinMethod::DropIn]);
    assert_eq!(a.join.contact.name.as_deref(), Some("Jo Smith"));
    assert_eq!(a.join.contact.phone.as_deref(), Some("01632 960123"));
    assert_eq!(
        a.join.contact.url.as_deref(),
        Some("https://www.hullyouth.example.org/drop-in")
    );
    // Monday (weekday name and byday agree: one session) and Friday (weekday 5, with
    // its Z and offset read as London wall time); the monthly rule goes to the notes.
    let sessions: Vec<String> = a
        .schedule
        .weekly
        .iter()
        .map(|w| format!("{:?} {}-{}", w.day, w.start, w.end))
        .collect();
    assert_eq!(sessions, vec!["Mon 18:00-20:30", "Fri 18:00-21:00"]);
    assert_eq!(a.schedule.weekly[0].valid_from, Some(date("2024-09-01")));
    assert_eq!(a.join.notes, "Second Saturday of the month: trips out");
    // Closed 23rd to 27th December; the open holiday row adds nothing.
    assert_eq!(a.schedule.exceptions.len(), 5);
    assert_eq!(a.schedule.exceptions[0], date("2024-12-23"));
    assert_eq!(a.venues.len(), 1);
    let v = &a.venues[0];
    assert_eq!(v.name, "Newland Youth Centre");
    assert_eq!(v.address, "1 Newland Avenue, Hull");
    assert_eq!(v.postcode, Some(Postcode::parse("HU5 3AB").unwrap()));
    assert!(v.coordinates.is_some());
    assert!(a.access.wheelchair);
    assert_eq!(a.access.languages, vec!["Polish".to_owned()]);
    assert!(!a.online);
    assert_eq!(a.updated.map(|t| t.date_naive()), Some(date("2024-05-01")));
}

#[test]
fn uk1_words_and_access_map() {
    let mut service = uk1_service();
    service["eligibilitys"] = json!([{"id": "e", "eligibility": "female"},
                                     {"id": "e2", "eligibility": "child"}]);
    service["attending_access"] = json!("referral");
    service["attending_type"] = json!("online");
    service["locations"] = json!([]);
    let a = item(map_service(&service)).activity;
    assert_eq!(a.ages, Some(AgeRange::years(0, 17).unwrap()));
    assert_eq!(a.gender, Gender::Girls);
    assert_eq!(a.join.methods, vec![JoinMethod::ProfessionalReferral]);
    assert!(a.online);
    assert!(a.venues.is_empty());
}

#[test]
fn a_postcode_alone_is_a_usable_venue() {
    let mut service = uk1_service();
    let loc = &mut service["locations"][0];
    loc["latitude"] = Value::Null;
    loc.as_object_mut().unwrap().remove("longitude");
    let a = item(map_service(&service)).activity;
    assert_eq!(a.venues[0].coordinates, None);
    assert!(a.venues[0].postcode.is_some());
}

#[test]
fn no_usable_venue_and_not_online_is_rejected() {
    let mut service = uk1_service();
    let loc = &mut service["locations"][0];
    loc["latitude"] = json!(0);
    loc["longitude"] = json!(0);
    loc["physical_addresses"][0]["postal_code"] = json!("not a postcode");
    let r = rejected(map_service(&service));
    assert_eq!(r.at, "service 4021");
    assert!(
        r.reason
            .starts_with("has no venue with a location or postcode")
            && r.reason.contains("Newland Youth Centre"),
        "{}",
        r.reason
    );
}

#[test]
fn status_decides_deleted_and_closed() {
    let mut service = uk1_service();
    service["status"] = json!("defunct");
    assert_eq!(
        map_service(&service),
        Entry::Deleted {
            source_id: "4021".into()
        }
    );
    service["status"] = json!("inactive");
    assert!(matches!(map_service(&service), Entry::Deleted { .. }));
    service["status"] = json!("temporarily closed");
    let a = item(map_service(&service)).activity;
    assert!(
        a.description
            .starts_with("Temporarily closed.\n\nA safe space")
    );
}

#[test]
fn fortnightly_and_wordy_schedules_become_notes() {
    let mut service = uk1_service();
    service["regular_schedules"] = json!([
        {"id": "a", "freq": "WEEKLY", "interval": 2, "byday": "TU",
         "opens_at": "16:00", "closes_at": "17:00"},
        {"id": "b", "freq": "MONTHLY", "byday": "-1FR", "opens_at": "19:00", "closes_at": "21:00"},
        {"id": "c", "description": "Open <i>most</i> weekday afternoons"}
    ]);
    let a = item(map_service(&service)).activity;
    assert!(a.schedule.weekly.is_empty());
    assert_eq!(
        a.join.notes,
        "Fortnightly: Tuesday, 16:00-17:00\nMonthly: last Friday, 19:00-21:00\nOpen most weekday afternoons"
    );
}

#[test]
fn cost_options_and_fees() {
    let mut service = uk1_service();
    service["fees"] = json!("See options");
    service["cost_options"] = json!([
        {"id": "1", "option": "Adults", "amount": 4.5, "amount_description": "per session"},
        {"id": "2", "option": "Members", "amount": "£2.75"}
    ]);
    service["fundings"] = json!([{"id": "f", "source": "Bursaries available from the trust"}]);
    let cost = item(map_service(&service)).activity.cost;
    assert!(!cost.free);
    assert_eq!(cost.price_pence, Some(275));
    assert!(cost.bursary);
    assert_eq!(
        cost.concessions.as_deref(),
        Some("Adults: £4.50 per session; Members: £2.75")
    );
    service["cost_options"][1]["amount"] = json!(0);
    let cost = item(map_service(&service)).activity.cost;
    assert!(cost.free);
    assert_eq!(cost.price_pence, None);
}

#[test]
fn virtual_locations_are_online_and_placeless_ones_are_named() {
    let service = json!({
        "id": "v1", "name": "Online art club",
        "organization": {"id": "o", "name": "Art Org"},
        "service_at_locations": [
            {"id": "s1", "location": {"id": "l1", "location_type": "virtual", "name": "Zoom"}}
        ]
    });
    let d = item(map_service(&service));
    assert!(d.activity.online);
    assert!(d.activity.venues.is_empty());
    assert_eq!(d.activity.categories, vec![Category::ArtsCrafts]);
    assert_eq!(d.activity.ages, None, "no ages given: not stated");
}

#[test]
fn unplaced_services_fall_back_to_wellbeing() {
    let service = json!({
        "id": "w1", "name": "Tuesday drop-in",
        "organization": {"id": "o", "name": "Org"},
        "attending_type": "online",
        "attributes": [{"taxonomy_term": {"name": "Advice"}}]
    });
    let a = item(map_service(&service)).activity;
    assert_eq!(a.terms, vec!["Advice".to_owned()]);
    assert_eq!(a.categories, vec![Category::Wellbeing]);
}

#[test]
fn missing_name_id_or_organization_is_rejected_without_panicking() {
    for bad in [
        json!(null),
        json!("text"),
        json!([]),
        json!({"name": "No id"}),
        json!({"id": "x"}),
        json!({"id": "x", "name": "No org", "attending_type": "online"}),
        json!({"id": "x", "name": "Bad lat", "organization": {"name": "O"},
               "locations": [{"latitude": "north", "longitude": 1}]}),
        json!({"id": 1, "name": "Weird", "organization": {"name": "O"}, "attending_type": "online",
               "regular_schedules": [{"weekday": 99, "opens_at": "25:99", "closes_at": []}],
               "holiday_schedules": [{"closed": true, "start_date": "2024-01-01", "end_date": "2099-01-01"}],
               "eligibilitys": [{"minimum_age": -4, "maximum_age": 1e300}],
               "cost_options": [{"amount": -3}, {"amount": 1e40}]}),
    ] {
        let _ = map_service(&bad);
    }
    let r = rejected(map_service(&json!({"id": "x", "name": "Bad lat",
        "organization": {"name": "O"},
        "locations": [{"name": "Hall", "latitude": "north", "longitude": 1}]})));
    assert!(r.reason.contains("latitude 'north'"), "{}", r.reason);
    let r = rejected(map_service(
        &json!({"id": "x", "name": "N", "attending_type": "online"}),
    ));
    assert!(r.reason.contains("organization"), "{}", r.reason);
    let weird = item(map_service(&json!({"id": 1, "name": "Weird",
        "organization": {"name": "O"}, "attending_type": "online",
        "holiday_schedules": [{"closed": true, "start_date": "2024-01-01", "end_date": "2099-01-01"}],
        "eligibilitys": [{"minimum_age": -4, "maximum_age": 1e300}]})));
    assert_eq!(weird.activity.schedule.exceptions.len(), MAX_EXCEPTIONS);
    assert_eq!(weird.activity.ages, Some(AgeRange::years(0, 120).unwrap()));
}

#[test]
fn paging_shapes() {
    let spring = r#"{"totalElements": 45, "totalPages": 3, "number": 1, "size": 20,
                     "first": true, "last": false, "content": [{"id": "a"}, {"id": "b"}]}"#;
    let p = parse_services(spring).unwrap();
    assert_eq!(
        (p.services.len(), p.page, p.total_pages),
        (2, Some(1), Some(3))
    );
    assert!(p.has_more());
    let contents = r#"{"totalElements": 45, "totalPages": 3, "number": 3, "size": 20,
                       "first": false, "last": true, "contents": [{"id": "c"}]}"#;
    let p = parse_services(contents).unwrap();
    assert_eq!(p.services.len(), 1);
    assert!(!p.has_more());
    // Page numbers alone decide when `last` is missing.
    let p = parse_services(r#"{"page_number": 2, "total_pages": 3, "contents": [{}]}"#).unwrap();
    assert!(p.has_more());
    let p = parse_services(r#"{"page_number": 3, "total_pages": 3, "contents": [{}]}"#).unwrap();
    assert!(!p.has_more());
    // An empty page ends paging even if the numbers say otherwise.
    let p = parse_services(r#"{"page_number": 1, "total_pages": 3, "contents": []}"#).unwrap();
    assert!(!p.has_more());
    let p = parse_services(r#"{"totalElements": 0, "totalPages": 0, "empty": true}"#).unwrap();
    assert!(p.services.is_empty() && !p.has_more());

    let p = parse_services("\u{feff}[{\"id\": \"a\"}]").unwrap();
    assert_eq!(p.services.len(), 1);
    assert!(!p.has_more());
    let p = parse_services(r#"{"id": "a", "name": "One"}"#).unwrap();
    assert_eq!(p.services.len(), 1);

    let err = parse_services("<html>Bad gateway</html>").unwrap_err();
    assert!(err.starts_with("the response is not JSON"), "{err}");
    let err = parse_services(r#"{"error": "rate limited"}"#).unwrap_err();
    assert!(
        err.contains("not a services response") && err.contains("error"),
        "{err}"
    );
    let err = parse_services(r#"{"contents": {"id": "a"}}"#).unwrap_err();
    assert!(err.contains("'contents' should be a list"), "{err}");
    assert!(parse_services("42").is_err());
}

#[test]
fn times_of_day() {
    let t = |s: &str| time_of_day(s).map(|t| t.to_string());
    assert_eq!(t("09:30"), Some("09:30".into()));
    assert_eq!(t("09:30:00"), Some("09:30".into()));
    assert_eq!(t("09:30Z"), Some("09:30".into()));
    assert_eq!(t("09:30:00+01:00"), Some("09:30".into()));
    assert_eq!(t("09:30-0500"), Some("09:30".into()));
    assert_eq!(t("1970-01-01T09:30:00Z"), Some("09:30".into()));
    assert_eq!(t("0930"), Some("09:30".into()));
    assert_eq!(t("half nine"), None);
    assert_eq!(t("25:00"), None);
    assert_eq!(t(""), None);
}

// -----------------------------------------------------------------------------------------
// Signpost's own output read back

fn checked_provider() -> signpost_model::Provider {
    use signpost_model::fixture::provider;
    let mut p = provider("humber-fc", "Humber FC Juniors");
    p.description = "A volunteer-run club.".into();
    p.website = WebUrl::parse("https://humber-fc.example.org").ok();
    p.phone = Phone::parse("01632 960001").ok();
    p.charity_number = Some("SC012345".into());
    p.company_number = Some("07654321".into());
    p.postcode = Postcode::parse("HU5 3AB").ok();
    p.safeguarding.policy = Some(signpost_model::SafeguardingPolicy {
        last_reviewed: Some(date("2026-03-01")),
    });
    p.safeguarding.designated_lead_role = Some("Club Welfare Officer".into());
    p.safeguarding.enhanced_dbs = true;
    p.safeguarding.insurance_expires = Some(date("2027-06-30"));
    p.safeguarding.first_aid = true;
    p.verification = Verification::Verified(
        VerificationCheck::new(
            "R. Patel, link worker".into(),
            "Hull Social Prescribing Partnership".into(),
            date("2025-11-30"),
            "Policy and DBS certificates seen".into(),
            Some(date("2026-11-30")),
        )
        .unwrap(),
    );
    p
}

/// A listing with every field set to something a guess from words would get wrong.
fn rich_activity() -> signpost_model::Activity {
    use signpost_model::fixture::{activity, weekly};
    let mut a = activity("girls-football", "humber-fc", "Girls Football");
    a.description = "Friendly football for girls.\n\nBring trainers.".into();
    // Words that would guess other categories.
    a.categories = vec![Category::YoungCarers, Category::Music];
    a.terms = vec!["Football".into(), "Youth clubs".into()];
    a.ages = AgeRange::parse("6m-4").unwrap();
    a.gender = Gender::Girls;
    a.cost.free = false;
    a.cost.price_pence = Some(350);
    a.cost.concessions = Some("Free with a Max card".into());
    a.cost.bursary = true;
    let mut term_time = weekly(Weekday::Tue, "16:00", "17:30");
    term_time.term = TermPattern::TermTime;
    term_time.valid_from = Some(date("2026-09-01"));
    term_time.valid_to = Some(date("2027-07-20"));
    a.schedule.weekly.push(term_time);
    let mut holidays = weekly(Weekday::Wed, "10:00", "15:00");
    holidays.term = TermPattern::SchoolHolidays;
    a.schedule.weekly.push(holidays);
    a.schedule.dated.push(signpost_model::DatedSession {
        date: date("2026-12-20"),
        start: SessionTime::parse("14:00").unwrap(),
        end: SessionTime::parse("16:00").unwrap(),
    });
    a.schedule.exceptions = vec![date("2026-12-26")];
    a.venues[0].address = "Pickering Park, Hull".into();
    a.venues
        .push(signpost_model::fixture::venue("Boxing Gym", 53.76, -0.3));
    a.venues[1].address = "2 High Street".into();
    a.venues[1].postcode = None;
    a.online = true;
    a.access.wheelchair = false;
    a.access.send_friendly = true;
    a.access.quiet_sessions = true;
    a.access.languages = vec!["Polish".into(), "English".into()];
    a.join.methods = vec![JoinMethod::Booking, JoinMethod::DropIn];
    a.join.contact.name = Some("Jo Smith".into());
    a.join.contact.email = Email::parse("jo@humber-fc.example.org").ok();
    a.join.contact.phone = Phone::parse("01632 960123").ok();
    a.join.contact.url = WebUrl::parse("https://humber-fc.example.org/girls").ok();
    a.join.notes = "Come ten minutes early the first time.".into();
    a.join.newcomers = vec![Newcomer::WithParent, Newcomer::Alone];
    a.last_updated = DateTime::parse_from_rfc3339("2026-11-01T09:00:00.123456Z")
        .unwrap()
        .with_timezone(&Utc);
    a.last_confirmed = Some(date("2026-10-15"));
    a
}

#[test]
fn a_signpost_export_reads_back_exactly() {
    use signpost_openreferral::{Audience, service_as};
    let (a, p) = (rich_activity(), checked_provider());
    let service = service_as(&a, &p, date("2026-11-25"), Audience::Export);
    let d = item(map_service(&service));
    // Known by its Signpost id (as before ids were UUIDs), so earlier links still hold.
    assert_eq!(d.source_id, "girls-football");
    let r = &d.activity;
    assert_eq!(r.signpost_id, Some(a.id.clone()));
    assert_eq!(r.title, a.title);
    assert_eq!(r.description, a.description);
    assert_eq!(r.categories, a.categories);
    assert_eq!(r.terms, a.terms);
    assert_eq!(r.ages, Some(a.ages));
    assert_eq!(r.gender, a.gender);
    assert_eq!(r.cost, a.cost);
    assert_eq!(r.schedule, a.schedule);
    assert_eq!(r.online, a.online);
    assert_eq!(r.access, a.access);
    assert_eq!(r.join, a.join);
    assert_eq!(r.updated, Some(a.last_updated));
    assert_eq!(r.confirmed, a.last_confirmed);
    let venues: Vec<(
        String,
        String,
        Option<Postcode>,
        Option<signpost_model::Coordinates>,
    )> = a
        .venues
        .iter()
        .map(|v| {
            (
                v.name.clone(),
                v.address.clone(),
                v.postcode.clone(),
                Some(v.coordinates),
            )
        })
        .collect();
    let read: Vec<_> = r
        .venues
        .iter()
        .map(|v| {
            (
                v.name.clone(),
                v.address.clone(),
                v.postcode.clone(),
                v.coordinates,
            )
        })
        .collect();
    assert_eq!(read, venues);

    let o = &d.provider;
    assert_eq!(o.signpost_id, Some(p.id.clone()));
    assert_eq!(o.source_id.as_deref(), Some("humber-fc"));
    assert_eq!(o.name, p.name);
    assert_eq!(o.description, p.description);
    assert_eq!(o.website, p.website);
    assert_eq!(o.email, p.email);
    assert_eq!(o.phone, p.phone);
    assert_eq!(o.charity_number, p.charity_number);
    assert_eq!(o.company_number, p.company_number);
    assert_eq!(o.postcode, p.postcode);
    assert_eq!(o.safeguarding.as_ref(), Some(&p.safeguarding));
    assert_eq!(o.verification.as_ref(), Some(&p.verification));
}

#[test]
fn age_not_stated_and_free_read_back() {
    use signpost_openreferral::{Audience, service_as};
    let mut a = rich_activity();
    a.age_not_stated = true;
    a.cost = Cost {
        free: true,
        ..Cost::default()
    };
    a.schedule = Schedule::default();
    a.online = false;
    a.join = HowToJoin::default();
    a.terms.clear();
    let mut p = checked_provider();
    p.verification = Verification::SelfDeclared {
        declared_on: Some(date("2026-01-05")),
    };
    let service = service_as(&a, &p, date("2026-11-25"), Audience::Export);
    let d = item(map_service(&service));
    assert_eq!(d.activity.ages, None);
    assert_eq!(d.activity.cost, a.cost);
    assert_eq!(d.activity.schedule, Schedule::default());
    assert!(!d.activity.online);
    assert_eq!(d.activity.join, a.join);
    assert!(d.activity.terms.is_empty());
    assert_eq!(d.provider.verification, Some(p.verification));
}

#[test]
fn public_signpost_output_carries_no_check_to_restore() {
    let service =
        signpost_openreferral::service(&rich_activity(), &checked_provider(), date("2026-11-25"));
    let d = item(map_service(&service));
    assert_eq!(d.activity.categories, rich_activity().categories);
    assert_eq!(
        d.provider.signpost_id.as_ref().map(|i| i.as_str()),
        Some("humber-fc")
    );
    assert_eq!(d.provider.safeguarding, None);
    assert_eq!(d.provider.verification, None);
    assert_eq!(
        d.provider.postcode, None,
        "the provider's postcode is export-only"
    );
}

#[test]
fn signpost_attributes_are_text_too() {
    use signpost_openreferral::{Audience, service_as};
    let mut p = checked_provider();
    p.safeguarding.designated_lead_role = Some("<b>Welfare</b> Officer".into());
    let mut a = rich_activity();
    a.terms = vec!["<i>Football</i>".into()];
    let service = service_as(&a, &p, date("2026-11-25"), Audience::Export);
    let d = item(map_service(&service));
    assert_eq!(d.activity.terms, vec!["Football".to_owned()]);
    assert_eq!(
        d.provider
            .safeguarding
            .unwrap()
            .designated_lead_role
            .as_deref(),
        Some("Welfare Officer")
    );
    // A record that is not Signpost's JSON is ignored: the provider is not vouched for.
    let mut broken = service.clone();
    for attr in broken["organization"]["attributes"].as_array_mut().unwrap() {
        if attr["taxonomy_term"]["code"] == "signpost:verification-record" {
            attr["value"] = json!("{\"status\":\"verified\"}");
        }
    }
    assert_eq!(item(map_service(&broken)).provider.verification, None);
}

#[test]
fn a_file_from_before_ids_were_uuids_still_reads_back() {
    let mut old = uk1_service();
    old["id"] = json!("girls-football");
    old["organization"]["id"] = json!("humber-fc");
    let attrs = json!([{"id": "girls-football--gender", "link_id": "girls-football",
        "taxonomy_term_id": "signpost:gender", "value": "girls",
        "taxonomy_term": {"id": "signpost:gender", "name": "Who can join"}}]);
    old["attributes"] = attrs.clone();
    old["organization"]["attributes"] = attrs;
    let d = item(map_service(&old));
    assert_eq!(d.activity.gender, Gender::Girls);
    assert_eq!(d.activity.signpost_id.unwrap().as_str(), "girls-football");
    assert_eq!(d.provider.signpost_id.unwrap().as_str(), "humber-fc");
    // A UUID is never taken for a Signpost id, even where one could be.
    let uuid = signpost_model::public_uuid("service", "girls-football");
    old["id"] = json!(uuid);
    assert_eq!(item(map_service(&old)).activity.signpost_id, None);
}

#[test]
fn services_without_signpost_attributes_are_not_given_signpost_ids() {
    let d = item(map_service(&uk1_service()));
    assert_eq!(d.activity.signpost_id, None);
    assert_eq!(d.provider.signpost_id, None);
    assert_eq!(d.activity.confirmed, None);
}
