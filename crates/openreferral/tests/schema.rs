//! Output checked against the real ORUK 3.0 schema (`../shared/samples/oruk/`, when present),
//! and the rules the crate docs promise.

use chrono::{NaiveDate, Weekday};
use serde_json::Value;
use signpost_model::fixture::{activity, provider, weekly};
use signpost_model::{
    Activity, AgeRange, Category, DatedSession, Email, Gender, JoinMethod, Newcomer, Phone,
    Postcode, Provider, SafeguardingPolicy, SessionTime, TermPattern, Verification,
    VerificationCheck, WebUrl, public_uuid,
};
use signpost_openreferral::{At, Audience, Field, export, organization, service, service_as};

const CHECKER: &str = "R. Patel, link worker";

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[path = "support/oruk_schema.rs"]
mod oruk_schema;

use oruk_schema::service_validator as validator;

fn assert_valid(v: &Value) {
    if let Some(validator) = validator() {
        oruk_schema::assert_valid(&validator, v);
    }
}

fn verified_provider() -> Provider {
    let mut p = provider("humber-fc", "Humber FC Juniors");
    p.description = "A volunteer-run club.".into();
    p.website = WebUrl::parse("https://humber-fc.example.org").ok();
    p.phone = Phone::parse("01632 960001").ok();
    p.charity_number = Some("1234567".into());
    p.company_number = Some("07654321".into());
    p.postcode = Postcode::parse("HU5 3AB").ok();
    p.safeguarding.policy = Some(SafeguardingPolicy {
        last_reviewed: Some(date("2026-03-01")),
    });
    p.safeguarding.designated_lead_role = Some("Club Welfare Officer".into());
    p.safeguarding.enhanced_dbs = true;
    p.safeguarding.insurance_expires = Some(date("2027-06-30"));
    p.safeguarding.first_aid = true;
    p.verification = Verification::Verified(
        VerificationCheck::new(
            CHECKER.into(),
            "Hull Social Prescribing Partnership".into(),
            date("2025-11-30"),
            "Policy and DBS certificates seen".into(),
            None,
        )
        .unwrap(),
    );
    p
}

/// An activity with every field set.
fn everything() -> Activity {
    let mut a = activity("girls-football", "humber-fc", "Girls Football");
    a.description = "Friendly football for girls.\n\nBring trainers.".into();
    a.categories = vec![Category::Sport, Category::Outdoors];
    a.terms = vec!["Football".into(), "Team sports".into()];
    a.ages = AgeRange::parse("6m-4").unwrap();
    a.gender = Gender::Girls;
    a.cost.free = false;
    a.cost.price_pence = Some(350);
    a.cost.concessions = Some("£1 with a Max card".into());
    a.cost.bursary = true;
    let mut term_time = weekly(Weekday::Tue, "16:00", "17:30");
    term_time.term = TermPattern::TermTime;
    term_time.valid_from = Some(date("2026-09-01"));
    term_time.valid_to = Some(date("2027-07-20"));
    a.schedule.weekly.push(term_time);
    a.schedule.dated.push(DatedSession {
        date: date("2026-12-20"),
        start: SessionTime::parse("14:00").unwrap(),
        end: SessionTime::parse("16:00").unwrap(),
    });
    a.schedule.exceptions = vec![date("2026-12-26")];
    a.venues[0].address = "Pickering Park, Hull".into();
    a.online = true;
    a.access.wheelchair = true;
    a.access.send_friendly = true;
    a.access.quiet_sessions = true;
    a.access.languages = vec!["Polish".into(), "Arabic".into()];
    a.join.methods = vec![JoinMethod::DropIn, JoinMethod::Booking];
    a.join.contact.name = Some("Jo Smith".into());
    a.join.contact.email = Email::parse("jo@humber-fc.example.org").ok();
    a.join.contact.phone = Phone::parse("01632 960123").ok();
    a.join.contact.url = WebUrl::parse("https://humber-fc.example.org/girls").ok();
    a.join.notes = "Come ten minutes early the first time.".into();
    a.join.newcomers = vec![Newcomer::Alone, Newcomer::WithParent];
    a
}

fn values(v: &Value, field: Field) -> Vec<String> {
    v["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["taxonomy_term"]["code"] == field.term_id())
        .map(|a| a["value"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_full_service_validates_against_the_oruk_schema() {
    let today = date("2026-11-25");
    let p = verified_provider();
    let a = everything();
    assert_valid(&service(&a, &p, today));
    assert_valid(&service_as(&a, &p, today, Audience::Export));
    // A plain listing too: no ages stated, free, nothing optional.
    let mut plain = activity("plain", "art-hub", "Plain");
    plain.age_not_stated = true;
    assert_valid(&service(&plain, &provider("art-hub", "Art Hub"), today));
    // The export's services are full services.
    let page = export(&[p], &[a], today);
    assert_valid(&page["contents"][0]);
}

#[test]
fn the_schema_check_catches_mistakes() {
    let Some(validator) = validator() else {
        return;
    };
    let good = service(&everything(), &verified_provider(), date("2026-11-25"));
    assert!(validator.is_valid(&good));
    for (pointer, bad) in [
        ("/status", serde_json::json!("open")),
        ("/email", serde_json::json!("not an address")),
        ("/last_modified", serde_json::json!("yesterday")),
        ("/minimum_age", serde_json::json!("five")),
        ("/id", serde_json::json!("girls-football")),
        ("/organization/id", serde_json::json!("not a uuid")),
    ] {
        let mut v = good.clone();
        *v.pointer_mut(pointer).unwrap() = bad;
        assert!(!validator.is_valid(&v), "{pointer} should be refused");
    }
}

#[test]
fn the_service_says_what_oruk_can_say_in_its_own_fields() {
    let s = service(&everything(), &verified_provider(), date("2026-11-25"));
    assert_eq!(s["id"], public_uuid("service", "girls-football"));
    assert_eq!(
        s["organization"]["id"],
        public_uuid("organization", "humber-fc")
    );
    assert_eq!(s["organization_id"], s["organization"]["id"]);
    assert_eq!(s["status"], "active");
    assert_eq!(s["minimum_age"], 0.5);
    assert_eq!(s["maximum_age"], 4);
    assert_eq!(s["assured_date"], "2026-11-01");
    assert_eq!(s["last_modified"], "2026-11-01T09:00:00Z");
    assert_eq!(s["url"], "https://humber-fc.example.org/girls");
    assert_eq!(s["email"], "jo@humber-fc.example.org");
    assert_eq!(s["phones"][0]["number"], "01632 960123");
    assert_eq!(s["contacts"][0]["name"], "Jo Smith");
    assert_eq!(s["languages"][1]["name"], "Arabic");
    let costs = s["cost_options"].as_array().unwrap();
    assert_eq!(costs[0]["amount"], 3.5);
    assert_eq!(costs[0]["currency"], "GBP");
    assert_eq!(costs[1]["option"], "£1 with a Max card");
    // Weekly sessions and the one-off, all as ORUK schedules.
    let sched = s["schedules"].as_array().unwrap();
    assert_eq!(sched.len(), 3);
    assert_eq!(sched[0]["byday"], "SA");
    assert_eq!(sched[0]["opens_at"], "10:00");
    assert_eq!(sched[1]["valid_to"], "2027-07-20");
    assert!(
        sched[1]["description"]
            .as_str()
            .unwrap()
            .contains("term time only")
    );
    assert_eq!(sched[2]["dtstart"], "2026-12-20");
    assert_eq!(sched[2]["until"], "2026-12-20");
    assert_eq!(sched[2]["byday"], "SU");
    assert!(
        sched[0]["notes"]
            .as_str()
            .unwrap()
            .contains("26 December 2026")
    );
    // A physical location per venue and a virtual one for online.
    let sals = s["service_at_locations"].as_array().unwrap();
    assert_eq!(sals.len(), 2);
    let hall = &sals[0]["location"];
    assert_eq!(
        sals[0]["id"],
        signpost_model::owned_uuid(
            "service_at_location",
            &At::Venue(0).id(&everything().id),
            "girls-football"
        )
    );
    assert_eq!(sals[0]["service_id"], s["id"]);
    assert_eq!(sals[0]["location_id"], hall["id"]);
    assert_eq!(hall["addresses"][0]["postal_code"], "HU1");
    assert_eq!(hall["addresses"][0]["country"], "GB");
    assert_eq!(hall["accessibility"].as_array().unwrap().len(), 3);
    assert_eq!(sals[1]["location"]["location_type"], "virtual");
    let ids: Vec<&str> = s["organization"]["organization_identifiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["identifier_scheme"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["GB-CHC", "GB-COH"]);
}

#[test]
fn signpost_attributes_carry_the_rest() {
    let a = everything();
    let s = service(&a, &verified_provider(), date("2026-11-25"));
    assert_eq!(values(&s, Field::Id), vec!["girls-football"]);
    assert_eq!(values(&s, Field::Ages), vec!["6m-4"]);
    assert_eq!(values(&s, Field::Gender), vec!["girls"]);
    assert_eq!(values(&s, Field::Join), vec!["drop-in", "booking"]);
    assert_eq!(values(&s, Field::Newcomers), vec!["alone", "parent"]);
    assert_eq!(
        values(&s, Field::Access),
        vec!["wheelchair", "send", "quiet"]
    );
    assert_eq!(values(&s, Field::Schedule), vec![a.schedule.to_lines()]);
    assert_eq!(values(&s, Field::Online), vec!["true"]);
    assert_eq!(values(&s, Field::Bursary), vec!["true"]);
    assert_eq!(values(&s, Field::Term), vec!["Football", "Team sports"]);
    assert!(values(&s, Field::AgeNotStated).is_empty());
    let cats: Vec<&str> = s["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["link_type"] == "category")
        .map(|a| a["taxonomy_term"]["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        cats,
        vec!["signpost-category:sport", "signpost-category:outdoors"]
    );
    let org = &s["organization"];
    assert_eq!(values(org, Field::Id), vec!["humber-fc"]);
    assert_eq!(values(org, Field::SafeguardingStatus), vec!["verified"]);
    assert_eq!(
        values(org, Field::CheckedFor),
        vec!["Hull Social Prescribing Partnership"]
    );
    assert_eq!(values(org, Field::CheckExpires), vec!["2026-11-30"]);
    // The status is judged on the day asked about.
    let later = service(&a, &verified_provider(), date("2026-12-01"));
    assert_eq!(
        values(&later["organization"], Field::SafeguardingStatus),
        vec!["expired"]
    );
}

#[test]
fn the_checker_is_named_only_inside_the_export_record() {
    let (a, p, today) = (everything(), verified_provider(), date("2026-11-25"));
    let public = service(&a, &p, today).to_string();
    assert!(!public.contains("Patel"), "{public}");
    assert!(!public.contains("safeguarding-record"));
    let exported = service_as(&a, &p, today, Audience::Export);
    let records = values(&exported["organization"], Field::VerificationRecord);
    assert_eq!(records.len(), 1);
    let back: Verification = serde_json::from_str(&records[0]).unwrap();
    assert_eq!(back, p.verification);
    let record = values(&exported["organization"], Field::SafeguardingRecord);
    assert_eq!(
        serde_json::from_str::<signpost_model::Safeguarding>(&record[0]).unwrap(),
        p.safeguarding
    );
    assert_eq!(
        values(&exported["organization"], Field::Postcode),
        vec!["HU5 3AB"]
    );
    // Nowhere else in the export.
    let mut text = exported.to_string();
    text = text.replace(&serde_json::to_string(&records[0]).unwrap(), "");
    assert!(!text.contains("Patel"), "{text}");
}

#[test]
fn export_is_one_page_of_every_service() {
    let p = verified_provider();
    let a = everything();
    let mut b = activity("second", "humber-fc", "Second");
    b.categories = vec![Category::Music];
    let orphan = activity("orphan", "nobody", "Orphan");
    let page = export(&[p], &[a, b, orphan], date("2026-11-25"));
    assert_eq!(page["total_items"], 2);
    assert_eq!(page["total_pages"], 1);
    assert_eq!(page["page_number"], 1);
    assert_eq!(page["size"], 2);
    assert_eq!(page["first_page"], true);
    assert_eq!(page["last_page"], true);
    assert_eq!(page["empty"], false);
    assert_eq!(page["contents"][1]["id"], public_uuid("service", "second"));
}

#[test]
fn an_organization_lists_its_own_services_and_its_safeguarding() {
    let p = verified_provider();
    let other = activity("elsewhere", "someone-else", "Elsewhere");
    let o = organization(&p, &[everything(), other], date("2026-11-25"));
    assert_eq!(o["id"], public_uuid("organization", "humber-fc"));
    let services = o["services"].as_array().unwrap();
    assert_eq!(services.len(), 1);
    assert_eq!(services[0]["id"], public_uuid("service", "girls-football"));
    assert_eq!(services[0]["organization_id"], o["id"]);
    assert!(services[0].get("attributes").is_none(), "list shape");
    assert_eq!(values(&o, Field::SafeguardingStatus), vec!["verified"]);
    assert!(!o.to_string().contains("Patel"));
}

/// Every `id` and `*_id` anywhere in `v`.
fn ids_in<'a>(v: &'a Value, out: &mut Vec<(String, &'a Value)>) {
    match v {
        Value::Array(items) => items.iter().for_each(|i| ids_in(i, out)),
        Value::Object(map) => {
            for (k, value) in map {
                if k == "id" || k.ends_with("_id") {
                    out.push((k.clone(), value));
                } else {
                    ids_in(value, out);
                }
            }
        }
        _ => {}
    }
}

#[test]
fn a_service_and_its_organisation_with_the_same_id_share_no_uuid() {
    let p = provider("club", "Club");
    let mut a = activity("club", "club", "Club");
    a.join.contact.phone = Phone::parse("01632 960123").ok();
    let mut p = p;
    p.phone = Phone::parse("01632 960124").ok();
    let s = service_as(&a, &p, date("2026-11-25"), Audience::Export);
    let mut ids = Vec::new();
    ids_in(&s, &mut ids);
    let mut own: Vec<&str> = ids
        .iter()
        .filter(|(k, _)| k == "id")
        .map(|(_, v)| v.as_str().unwrap())
        .collect();
    // Terms repeat (each attribute carries its own copy); records never do.
    let terms: Vec<&str> = s["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .chain(s["organization"]["attributes"].as_array().unwrap())
        .map(|a| a["taxonomy_term"]["id"].as_str().unwrap())
        .collect();
    own.retain(|id| !terms.contains(id));
    let n = own.len();
    own.sort_unstable();
    own.dedup();
    assert_eq!(own.len(), n);
}

#[test]
fn every_id_published_is_a_uuid_and_the_same_every_time() {
    let (a, p, today) = (everything(), verified_provider(), date("2026-11-25"));
    let exported = service_as(&a, &p, today, Audience::Export);
    let mut ids = Vec::new();
    ids_in(&exported, &mut ids);
    assert!(ids.len() > 40, "{}", ids.len());
    for (key, id) in &ids {
        let text = id.as_str().unwrap_or_default();
        assert!(signpost_model::is_uuid(text), "{key}: {id}");
    }
    // Each record's own id is unique in the whole service.
    let mut own: Vec<&str> = ids
        .iter()
        .filter(|(k, _)| k == "id")
        .map(|(_, v)| v.as_str().unwrap())
        .collect();
    let n = own.len();
    own.sort_unstable();
    own.dedup();
    // Terms repeat (each attribute carries its term); everything else is one record each.
    let terms = exported["attributes"].as_array().unwrap().len()
        + exported["organization"]["attributes"]
            .as_array()
            .unwrap()
            .len();
    assert!(n - own.len() <= terms, "{n} ids, {} distinct", own.len());
    assert_eq!(service_as(&a, &p, today, Audience::Export), exported);
}
