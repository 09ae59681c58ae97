//! Services, organisations and service-at-locations: full and list shapes, and the export.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, SecondsFormat};
use serde_json::{Map, Value, json};
use signpost_model::{
    Activity, AgeRange, At, Category, Gender, Id, Provider, TermPattern, Venue, Verification,
};

use crate::attributes::{Attributes, Field};
use crate::ids::publish;
use crate::taxonomy::{category_term, category_term_id};
use crate::{Audience, page};

// ---------------------------------------------------------------------------------------------
// Services

/// A full service for the public API: everything nested, nothing personal.
pub fn service(activity: &Activity, provider: &Provider, today: NaiveDate) -> Value {
    service_as(activity, provider, today, Audience::Public)
}

/// A full service for the given audience.
pub fn service_as(
    activity: &Activity,
    provider: &Provider,
    today: NaiveDate,
    audience: Audience,
) -> Value {
    publish("service", full_service(activity, provider, today, audience))
}

fn full_service(
    activity: &Activity,
    provider: &Provider,
    today: NaiveDate,
    audience: Audience,
) -> Value {
    let mut s = service_details(activity, provider, today, audience);
    let sals: Vec<Value> = At::all(activity)
        .into_iter()
        .filter_map(|at| sal(activity, at, true))
        .collect();
    s.insert("service_at_locations".into(), Value::Array(sals));
    Value::Object(s)
}

/// A service in the list shape: only its one-to-one fields, and its organisation's.
pub fn service_summary(activity: &Activity, provider: &Provider) -> Value {
    publish("service", summary(activity, provider))
}

fn summary(activity: &Activity, provider: &Provider) -> Value {
    let mut s = one_to_one(activity);
    s.insert("organization".into(), org_summary(provider));
    Value::Object(s)
}

/// Everything of a full service except its service-at-locations.
fn service_details(
    a: &Activity,
    provider: &Provider,
    today: NaiveDate,
    audience: Audience,
) -> Map<String, Value> {
    let mut s = one_to_one(a);
    s.insert(
        "organization".into(),
        Value::Object(organization_details(provider, today, audience)),
    );
    s.insert("schedules".into(), Value::Array(schedules(a)));
    let (costs, funding) = costs(a);
    s.insert("cost_options".into(), Value::Array(costs));
    s.insert("funding".into(), Value::Array(funding));
    let (contacts, phones) = contacts(a);
    s.insert("contacts".into(), Value::Array(contacts));
    s.insert("phones".into(), Value::Array(phones));
    let languages = a
        .access
        .languages
        .iter()
        .enumerate()
        .map(|(i, l)| json!({"id": format!("{}--language-{}", a.id, i + 1), "name": l}))
        .collect();
    s.insert("languages".into(), Value::Array(languages));
    s.insert("attributes".into(), Value::Array(service_attributes(a)));
    s
}

fn one_to_one(a: &Activity) -> Map<String, Value> {
    let mut s = Map::new();
    s.insert("id".into(), json!(a.id));
    s.insert("organization_id".into(), json!(a.provider_id));
    s.insert("name".into(), json!(a.title));
    s.insert("description".into(), json!(a.description));
    if let Some(url) = a.join.contact.url.as_deref() {
        s.insert("url".into(), json!(url));
    }
    if let Some(email) = a.join.contact.email.as_deref() {
        s.insert("email".into(), json!(email));
    }
    let status = if a.withdrawn { "inactive" } else { "active" };
    s.insert("status".into(), json!(status));
    let fees = match a.cost.concessions.as_deref().map(str::trim) {
        Some(c) if !c.is_empty() => format!("{}. {c}", a.cost.label()),
        _ => a.cost.label(),
    };
    s.insert("fees".into(), json!(fees));
    s.insert("fees_description".into(), json!(fees));
    if let Some(ages) = a.stated_ages() {
        s.insert("minimum_age".into(), years(ages.min_months(), false));
        s.insert("maximum_age".into(), years(ages.max_months(), true));
    }
    s.insert("eligibility_description".into(), json!(eligibility(a)));
    if !a.join.notes.trim().is_empty() {
        s.insert("application_process".into(), json!(a.join.notes));
    }
    if let Some(d) = a.last_confirmed {
        s.insert("assured_date".into(), json!(d.to_string()));
    }
    s.insert(
        "last_modified".into(),
        json!(a.last_updated.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
    );
    s
}

/// An age bound in years for `minimum_age`/`maximum_age`: whole years as integers, months as
/// a fraction of a year (18 months is 1.5). An upper bound of "16" means up to the 17th
/// birthday, and is written 16.
fn years(months: u16, upper: bool) -> Value {
    if whole_years(months, upper) {
        json!(months / 12)
    } else {
        json!(year_fraction(months))
    }
}

/// An upper end of 11 months past a birthday ("up to 16" is 16 years 11 months) or a lower
/// end on a birthday is a whole number of years.
fn whole_years(months: u16, upper: bool) -> bool {
    if upper {
        months % 12 == 11
    } else {
        months.is_multiple_of(12)
    }
}

fn year_fraction(months: u16) -> f64 {
    (f64::from(months) / 12.0 * 100.0).round() / 100.0
}

/// The youngest and oldest ages in years exactly as services publish them
/// (`minimum_age`, `maximum_age`), so filters on them agree with what is shown.
pub fn age_years(ages: AgeRange) -> (f64, f64) {
    let one = |months: u16, upper: bool| {
        if whole_years(months, upper) {
            f64::from(months / 12)
        } else {
            year_fraction(months)
        }
    };
    (one(ages.min_months(), false), one(ages.max_months(), true))
}

fn eligibility(a: &Activity) -> String {
    let mut out = a.ages_label();
    if a.gender != Gender::Mixed {
        out.push_str(". ");
        out.push_str(a.gender.label());
    }
    out.push('.');
    out
}

// ---------------------------------------------------------------------------------------------
// When

fn long_date(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// One ORUK schedule per weekly session and per dated session. ORUK cannot say "term time
/// only" or "not on these dates": the description and notes say it in words, and the
/// `signpost:schedule` attribute carries the exact timetable.
fn schedules(a: &Activity) -> Vec<Value> {
    let sched = &a.schedule;
    let notes = if sched.exceptions.is_empty() {
        None
    } else {
        let dates: Vec<String> = sched.exceptions.iter().map(|d| long_date(*d)).collect();
        Some(format!("Not running on {}.", dates.join(", ")))
    };
    let mut out = Vec::new();
    for w in &sched.weekly {
        let mut words = format!(
            "{} {}-{}",
            signpost_model::weekday_title(w.day),
            w.start,
            w.end
        );
        if let Some(term) = w.term.label() {
            words.push_str(&format!(", {term}"));
        }
        if let Some(d) = w.valid_from {
            words.push_str(&format!(", from {}", long_date(d)));
        }
        if let Some(d) = w.valid_to {
            words.push_str(&format!(", until {}", long_date(d)));
        }
        let mut s = json!({
            "id": format!("{}--schedule-{}", a.id, out.len() + 1),
            "service_id": a.id,
            "freq": "WEEKLY",
            "interval": 1,
            "byday": signpost_model::ical_code(w.day),
            "opens_at": w.start.to_string(),
            "closes_at": w.end.to_string(),
            "description": words,
        });
        if let Some(d) = w.valid_from {
            s["valid_from"] = json!(d.to_string());
            s["dtstart"] = json!(d.to_string());
        }
        if let Some(d) = w.valid_to {
            s["valid_to"] = json!(d.to_string());
            s["until"] = json!(d.to_string());
        }
        if w.term != TermPattern::AllYear {
            s["attending_type"] = json!("Weeks follow English school terms");
        }
        if let Some(n) = &notes {
            s["notes"] = json!(n);
        }
        out.push(s);
    }
    for d in &sched.dated {
        // A one-off is a weekly rule on its weekday that starts and ends on its date: readers
        // that know nothing of `dtstart`/`until` still find exactly one session.
        let date = d.date.to_string();
        let mut s = json!({
            "id": format!("{}--schedule-{}", a.id, out.len() + 1),
            "service_id": a.id,
            "freq": "WEEKLY",
            "interval": 1,
            "count": 1,
            "byday": signpost_model::ical_code(d.date.weekday()),
            "dtstart": date,
            "until": date,
            "valid_from": date,
            "valid_to": date,
            "opens_at": d.start.to_string(),
            "closes_at": d.end.to_string(),
            "description": format!(
                "{} {}, {}-{}",
                signpost_model::weekday_title(d.date.weekday()),
                long_date(d.date),
                d.start,
                d.end
            ),
        });
        if let Some(n) = &notes {
            s["notes"] = json!(n);
        }
        out.push(s);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Cost and contact

fn costs(a: &Activity) -> (Vec<Value>, Vec<Value>) {
    let c = &a.cost;
    let mut options: Vec<Value> = Vec::new();
    let id = |n: usize| format!("{}--cost-{n}", a.id);
    if c.free {
        options.push(json!({
            "id": id(options.len() + 1), "service_id": a.id, "option": "Free",
            "amount": 0, "currency": "GBP", "amount_description": "Free",
        }));
    } else if let Some(p) = c.price_pence {
        let amount = if p % 100 == 0 {
            json!(p / 100)
        } else {
            json!(f64::from(p) / 100.0)
        };
        options.push(json!({
            "id": id(options.len() + 1), "service_id": a.id, "option": "Per session",
            "amount": amount, "currency": "GBP", "amount_description": "per session",
        }));
    }
    if let Some(text) = c.concessions.as_deref().filter(|t| !t.trim().is_empty()) {
        options.push(json!({
            "id": id(options.len() + 1), "service_id": a.id, "option": text,
            "amount_description": "Concessions",
        }));
    }
    let funding = if c.bursary {
        vec![json!({
            "id": format!("{}--funding-1", a.id), "service_id": a.id,
            "source": "Bursaries or funded places can cover the cost",
        })]
    } else {
        Vec::new()
    };
    (options, funding)
}

fn contacts(a: &Activity) -> (Vec<Value>, Vec<Value>) {
    let c = &a.join.contact;
    let phone = c.phone.as_deref();
    let mut contacts = Vec::new();
    if let Some(name) = c.name.as_deref().filter(|n| !n.trim().is_empty()) {
        let mut contact = json!({
            "id": format!("{}--contact", a.id), "service_id": a.id, "name": name,
        });
        if let Some(e) = c.email.as_deref() {
            contact["email"] = json!(e);
        }
        if let Some(p) = phone {
            contact["phones"] = json!([{"id": format!("{}--contact-phone", a.id), "number": p}]);
        }
        contacts.push(contact);
    }
    let phones = phone
        .map(|p| vec![json!({"id": format!("{}--phone", a.id), "service_id": a.id, "number": p})])
        .unwrap_or_default();
    (contacts, phones)
}

// ---------------------------------------------------------------------------------------------
// Where

/// The service-at-location record: the location in full (with `full`) or its one-to-one
/// fields only.
fn sal(a: &Activity, at: At, full: bool) -> Option<Value> {
    let location = location(a, at, full)?;
    Some(json!({
        "id": at.id(&a.id),
        "service_id": a.id,
        "location_id": location["id"],
        "location": location,
    }))
}

fn location(a: &Activity, at: At, full: bool) -> Option<Value> {
    if !at.is_in(a) {
        return None;
    }
    let At::Venue(i) = at else {
        return Some(json!({
            "id": format!("{}--online", a.id),
            "location_type": "virtual",
            "name": "Online",
            "description": "This activity can be joined online.",
        }));
    };
    let venue = &a.venues[i];
    let id = format!("{}--venue-{}", a.id, i + 1);
    let mut l = json!({
        "id": id,
        "location_type": "physical",
        "name": venue.name,
        "latitude": venue.coordinates.lat(),
        "longitude": venue.coordinates.lon(),
    });
    if !full {
        return Some(l);
    }
    if let Some(address) = address(venue, &id) {
        l["addresses"] = json!([address]);
    }
    let mut access = Vec::new();
    let mut push = |text: &str| {
        access.push(json!({
            "id": format!("{id}--access-{}", access.len() + 1),
            "location_id": id,
            "description": text,
        }));
    };
    // Worded so that readers that look for phrases find exactly these needs (and no more).
    if a.access.wheelchair {
        push("Wheelchair accessible: step-free access.");
    }
    if a.access.send_friendly {
        push(
            "SEND friendly: welcoming and adapted for children with special educational needs and disabilities.",
        );
    }
    if a.access.quiet_sessions {
        push("Quiet sessions are available.");
    }
    l["accessibility"] = Value::Array(access);
    Some(l)
}

/// The venue's address. Signpost keeps it as one line, "1 Newland Avenue, Hull": the last
/// part is written as the city, so readers that join the parts with ", " get the line back.
fn address(venue: &Venue, location_id: &str) -> Option<Value> {
    let line = venue.address.trim();
    if line.is_empty() && venue.postcode.is_none() {
        return None;
    }
    let (first, city) = match line.rsplit_once(", ") {
        Some((first, city)) if !first.trim().is_empty() && !city.trim().is_empty() => {
            (first.trim(), city.trim())
        }
        _ => (line, ""),
    };
    Some(json!({
        "id": format!("{location_id}--address"),
        "location_id": location_id,
        "address_1": first,
        "city": city,
        "state_province": "",
        "postal_code": venue.postcode.as_ref().map(ToString::to_string).unwrap_or_default(),
        "country": "GB",
        "address_type": "physical",
    }))
}

/// A service at one of its locations, in full: the location with its addresses and
/// accessibility, and the whole service (public). `None` when the activity is not there.
pub fn service_at_location(
    activity: &Activity,
    provider: &Provider,
    at: At,
    today: NaiveDate,
) -> Option<Value> {
    let mut record = sal(activity, at, true)?;
    record["service"] = Value::Object(service_details(activity, provider, today, Audience::Public));
    Some(publish("service_at_location", record))
}

/// A service at one of its locations, in the list shape.
pub fn service_at_location_summary(
    activity: &Activity,
    provider: &Provider,
    at: At,
) -> Option<Value> {
    let mut record = sal(activity, at, false)?;
    record["service"] = summary(activity, provider);
    Some(publish("service_at_location", record))
}

// ---------------------------------------------------------------------------------------------
// Attributes

fn service_attributes(a: &Activity) -> Vec<Value> {
    let mut attrs = Attributes::new(a.id.as_str(), "service");
    attrs.push(Field::Id, a.id.as_str());
    for c in &a.categories {
        attrs.push_value(category_attribute(a, *c));
    }
    match a.stated_ages() {
        Some(ages) => attrs.push(Field::Ages, ages.to_string()),
        None => attrs.push(Field::AgeNotStated, "true"),
    }
    attrs.push(Field::Gender, a.gender.as_str());
    for m in &a.join.methods {
        attrs.push(Field::Join, m.as_str());
    }
    for n in &a.join.newcomers {
        attrs.push(Field::Newcomers, n.as_str());
    }
    for (yes, need) in [
        (a.access.wheelchair, "wheelchair"),
        (a.access.send_friendly, "send"),
        (a.access.quiet_sessions, "quiet"),
    ] {
        if yes {
            attrs.push(Field::Access, need);
        }
    }
    let lines = a.schedule.to_lines();
    if !lines.is_empty() {
        attrs.push(Field::Schedule, lines);
    }
    attrs.flag(Field::Online, a.online);
    attrs.flag(Field::Bursary, a.cost.bursary);
    if let Some(c) = a
        .cost
        .concessions
        .as_deref()
        .filter(|c| !c.trim().is_empty())
    {
        attrs.push(Field::Concessions, c);
    }
    for t in &a.terms {
        attrs.push(Field::Term, t.as_str());
    }
    attrs.into_vec()
}

fn category_attribute(a: &Activity, c: Category) -> Value {
    json!({
        "id": format!("{}--category-{}", a.id, c.slug()),
        "link_id": a.id,
        "link_type": "category",
        "link_entity": "service",
        "taxonomy_term_id": category_term_id(c),
        "taxonomy_term": category_term(c),
    })
}

fn organization_attributes(p: &Provider, today: NaiveDate, audience: Audience) -> Vec<Value> {
    let mut attrs = Attributes::new(p.id.as_str(), "organization");
    attrs.push(Field::Id, p.id.as_str());
    attrs.push(
        Field::SafeguardingStatus,
        p.verification.status(today).as_str(),
    );
    let s = &p.safeguarding;
    attrs.flag(Field::WrittenPolicy, s.policy.is_some());
    if let Some(d) = s.policy.as_ref().and_then(|p| p.last_reviewed) {
        attrs.push(Field::PolicyReviewed, d.to_string());
    }
    if let Some(role) = s
        .designated_lead_role
        .as_deref()
        .filter(|r| !r.trim().is_empty())
    {
        attrs.push(Field::LeadRole, role);
    }
    attrs.flag(Field::EnhancedDbs, s.enhanced_dbs);
    if let Some(d) = s.insurance_expires {
        attrs.push(Field::InsuranceExpires, d.to_string());
    }
    attrs.flag(Field::FirstAid, s.first_aid);
    match &p.verification {
        Verification::NotChecked => {}
        Verification::SelfDeclared { declared_on } => {
            if let Some(d) = declared_on {
                attrs.push(Field::DeclaredOn, d.to_string());
            }
        }
        // Who checked is never published: only the organisation they checked for.
        Verification::Verified(c) => {
            attrs.push(Field::CheckedFor, c.on_behalf_of.as_str());
            attrs.push(Field::CheckedOn, c.checked_on.to_string());
            attrs.push(Field::CheckExpires, c.expires_on.to_string());
            if !c.evidence.trim().is_empty() {
                attrs.push(Field::CheckEvidence, c.evidence.as_str());
            }
        }
    }
    if audience == Audience::Export {
        let record = |v: serde_json::Result<String>| v.expect("model values serialise as JSON");
        attrs.push(
            Field::SafeguardingRecord,
            record(serde_json::to_string(&p.safeguarding)),
        );
        attrs.push(
            Field::VerificationRecord,
            record(serde_json::to_string(&p.verification)),
        );
        if let Some(pc) = &p.postcode {
            attrs.push(Field::Postcode, pc.to_string());
        }
    }
    attrs.into_vec()
}

// ---------------------------------------------------------------------------------------------
// Organisations

/// An organisation's one-to-one fields.
pub fn organization_summary(p: &Provider) -> Value {
    publish("organization", org_summary(p))
}

fn org_summary(p: &Provider) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), json!(p.id));
    o.insert("name".into(), json!(p.name));
    o.insert("description".into(), json!(p.description));
    if let Some(e) = p.email.as_deref() {
        o.insert("email".into(), json!(e));
    }
    if let Some(w) = p.website.as_deref() {
        o.insert("website".into(), json!(w));
    }
    Value::Object(o)
}

fn organization_details(p: &Provider, today: NaiveDate, audience: Audience) -> Map<String, Value> {
    let Value::Object(mut o) = org_summary(p) else {
        unreachable!("org_summary builds an object")
    };
    let mut identifiers = Vec::new();
    if let Some(n) = p
        .charity_number
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        // Scottish charity numbers start SC, Northern Irish ones NIC (org-id.guide schemes).
        let upper = n.to_ascii_uppercase();
        let scheme = if upper.starts_with("SC") {
            "GB-SC"
        } else if upper.starts_with("NI") {
            "GB-NIC"
        } else {
            "GB-CHC"
        };
        identifiers.push(json!({
            "id": format!("{}--charity", p.id), "organization_id": p.id,
            "identifier_scheme": scheme, "identifier_type": "Charity number", "identifier": n,
        }));
    }
    if let Some(n) = p
        .company_number
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        identifiers.push(json!({
            "id": format!("{}--company", p.id), "organization_id": p.id,
            "identifier_scheme": "GB-COH", "identifier_type": "Company number", "identifier": n,
        }));
    }
    o.insert("organization_identifiers".into(), Value::Array(identifiers));
    let phones = p
        .phone
        .as_deref()
        .map(|n| vec![json!({"id": format!("{}--org-phone", p.id), "number": n})])
        .unwrap_or_default();
    o.insert("phones".into(), Value::Array(phones));
    o.insert(
        "attributes".into(),
        Value::Array(organization_attributes(p, today, audience)),
    );
    o
}

/// An organisation in full (public), with its services in the list shape.
pub fn organization(provider: &Provider, services: &[Activity], today: NaiveDate) -> Value {
    let mut o = organization_details(provider, today, Audience::Public);
    let list = services
        .iter()
        .filter(|a| a.provider_id == provider.id)
        .map(|a| Value::Object(one_to_one(a)))
        .collect();
    o.insert("services".into(), Value::Array(list));
    publish("organization", Value::Object(o))
}

// ---------------------------------------------------------------------------------------------
// Export

/// Every given activity as a full service (export audience: with the safeguarding records a
/// re-import with `--keep-checks` restores), in one page: page 1 of 1. Activities whose
/// provider is not among `providers` are left out; so are providers with no activities, which
/// a list of services cannot hold.
pub fn export(providers: &[Provider], activities: &[Activity], today: NaiveDate) -> Value {
    let by_id: HashMap<&Id, &Provider> = providers.iter().map(|p| (&p.id, p)).collect();
    let contents: Vec<Value> = activities
        .iter()
        .filter_map(|a| {
            let p = by_id.get(&a.provider_id)?;
            Some(full_service(a, p, today, Audience::Export))
        })
        .collect();
    let n = contents.len();
    publish("service", page(contents, n, 1, n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use signpost_model::fixture::{activity, provider};

    #[test]
    fn export_only_fields_are_in_exports_and_never_in_public_answers() {
        let mut p = provider("club", "Club");
        p.postcode = signpost_model::Postcode::parse("HU5 3AB").ok();
        let a = activity("a", "club", "A");
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let public = service(&a, &p, today).to_string();
        let export = service_as(&a, &p, today, Audience::Export).to_string();
        for f in Field::ALL {
            let term = format!("\"{}\"", f.term_id());
            if f.export_only() {
                assert!(!public.contains(&term), "{term} is published");
                assert!(export.contains(&term), "{term} is not exported");
            }
        }
    }

    #[test]
    fn ages_in_months_are_fractions_of_a_year() {
        assert_eq!(years(132, false), json!(11));
        assert_eq!(years(16 * 12 + 11, true), json!(16));
        assert_eq!(years(18, true), json!(1.5));
        assert_eq!(years(6, false), json!(0.5));
    }

    #[test]
    fn addresses_split_so_joining_gives_the_line_back() {
        let mut a = activity("a", "p", "A");
        a.venues[0].address = "1 Newland Avenue, Hull".into();
        let l = location(&a, At::Venue(0), true).unwrap();
        assert_eq!(l["addresses"][0]["address_1"], "1 Newland Avenue");
        assert_eq!(l["addresses"][0]["city"], "Hull");
        a.venues[0].address = "Newland Park".into();
        let l = location(&a, At::Venue(0), true).unwrap();
        assert_eq!(l["addresses"][0]["address_1"], "Newland Park");
        assert_eq!(l["addresses"][0]["city"], "");
    }
}
