//! Open Referral UK services (1.0 and 3.0, and plain HSDS 3.0) read into drafts: one service,
//! one listing.
//!
//! Two generations are live. 3.0 nests `schedules`, `service_at_locations[].location`,
//! `cost_options`, `attributes[].taxonomy_term` and the `organization` in each service; 1.0
//! writes the reference server's plural table names (`eligibilitys`, `service_taxonomys`,
//! `regular_schedules`, `holiday_schedules`, `fundings`) and keeps ages in `eligibilitys`.
//! The reader accepts both in the same pass: the keys do not clash, so a service is read by
//! whatever it carries rather than by a version it claims.
//!
//! Paging: [`parse_services`] reads a 3.0 page (`contents`), a 1.0 Spring page (`content`,
//! or `contents` on some servers), a bare array, or one service. List endpoints may return
//! summaries ([`is_full`] says which); the caller fetches `/services/{id}` for those.
//!
//! Signpost's own output (`signpost export --format oruk`, another Signpost's `/oruk/` API)
//! carries attributes under the `signpost` and `signpost-categories` taxonomies (the
//! convention is written down in `signpost_openreferral`). When a service has them they are
//! read exactly, instead of guessed from words: categories, ages in months or "not stated",
//! who can join, how to join, first visits, access, the timetable with its term pattern and
//! exception dates, concessions, bursary, `assured_date` as the confirmed date, and the
//! Signpost ids. An export's organisation also carries its safeguarding record and check,
//! which the ingester keeps only when asked to (`--keep-checks`). Every value is still text
//! from outside and goes through [`text`].

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc, Weekday};
use serde_json::{Map, Value};
use signpost_model::{
    Access, AgeRange, Category, Contact, Cost, Gender, HowToJoin, Id, JoinMethod, MAX_AGE_YEARS,
    Newcomer, Phone, Postcode, Safeguarding, Schedule, SessionTime, TermPattern, Verification,
    VerificationCheck, WeeklySession, is_uuid, parse_ical_weekday, parse_weekday,
};
use signpost_openreferral::{CATEGORY_TERM_PREFIX, Field, category_for_term};

use crate::text::{email_address, phone_number, web_address};
use crate::{
    ActivityDraft, Draft, Entry, ProviderDraft, Rejection, VenueDraft, categories, coordinates,
    text,
};

mod eligibility;
mod facts;
mod joining;
mod organization;
mod places;
mod schedules;
#[cfg(test)]
mod tests;
mod values;

use eligibility::*;
use facts::*;
use joining::*;
use organization::*;
use places::*;
use schedules::*;
use values::*;

/// One response from a services endpoint.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServicePage {
    /// The services on this page, as the server wrote them (full or summaries: see [`is_full`]).
    pub services: Vec<Value>,
    /// This page's number as the server counts it (3.0 `page_number`, 1.0 `number`).
    pub page: Option<u64>,
    pub total_pages: Option<u64>,
    /// The server says this is the last page (3.0 `last_page`, 1.0 `last`).
    pub last: Option<bool>,
}

impl ServicePage {
    /// Whether another page follows this one. An empty page never has more: a server whose
    /// page numbers are off by one would otherwise be asked for pages for ever.
    pub fn has_more(&self) -> bool {
        if self.last == Some(true) || self.services.is_empty() {
            return false;
        }
        match (self.page, self.total_pages) {
            (Some(page), Some(total)) => page < total,
            _ => self.last == Some(false),
        }
    }
}

/// Reads a services response: a 3.0 page
/// `{total_items, total_pages, page_number, size, first_page, last_page, empty, contents}`,
/// a 1.0 Spring page `{totalElements, totalPages, number, size, first, last, content}` (or
/// `contents`), a plain array of services, or one service object.
pub fn parse_services(text: &str) -> Result<ServicePage, String> {
    let text = text.trim_start_matches('\u{feff}').trim();
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let start: String = text.chars().take(40).collect();
        format!("the response is not JSON ({e}); it starts: {start:?}")
    })?;
    let mut map = match value {
        Value::Array(services) => {
            return Ok(ServicePage {
                services,
                ..ServicePage::default()
            });
        }
        Value::Object(map) => map,
        other => {
            return Err(format!(
                "expected a page of services, a list of services or one service, but the response is {}",
                kind(&other)
            ));
        }
    };
    let paging = |map: &Map<String, Value>, services| ServicePage {
        services,
        page: first_u64(map, &["page_number", "number"]),
        total_pages: first_u64(map, &["total_pages", "totalPages"]),
        last: first_bool(map, &["last_page", "last"]),
    };
    for key in ["contents", "content"] {
        match map.remove(key) {
            Some(Value::Array(services)) => return Ok(paging(&map, services)),
            // An empty page: some servers write null rather than [].
            Some(Value::Null) => return Ok(paging(&map, Vec::new())),
            Some(other) => {
                return Err(format!(
                    "'{key}' should be a list of services, but it is {}",
                    kind(&other)
                ));
            }
            None => {}
        }
    }
    // A page with no results at all may leave the list out.
    if ["total_items", "totalElements", "total_pages", "totalPages"]
        .iter()
        .any(|k| map.contains_key(*k))
    {
        return Ok(paging(&map, Vec::new()));
    }
    let is_service = id_text(map.get("id")).is_some()
        && (map.contains_key("name") || map.get("service").is_some_and(Value::is_object));
    if is_service {
        return Ok(ServicePage {
            services: vec![Value::Object(map)],
            ..ServicePage::default()
        });
    }
    let keys: Vec<&str> = map.keys().take(12).map(String::as_str).collect();
    Err(format!(
        "not a services response: expected a page with 'contents' or 'content', a list of services, or one service with an id and a name; found an object with keys: {}",
        if keys.is_empty() {
            "(none)".to_owned()
        } else {
            keys.join(", ")
        }
    ))
}

/// Keys only a full service carries. The 3.0 list endpoint returns "services that only have
/// one-to-one fields in them" (no nested lists), so any one of these marks a full record.
const DETAIL_KEYS: &[&str] = &[
    "service_at_locations",
    "locations",
    "schedules",
    "regular_schedules",
    "holiday_schedules",
    "eligibilitys",
    "eligibilities",
    "cost_options",
    "contacts",
    "phones",
    "attributes",
    "service_taxonomys",
    "service_taxonomies",
    "languages",
    "fundings",
    "funding",
];

/// Whether a list entry carries its details (locations, schedules, eligibility, ...) or is a
/// summary that must be fetched from `/services/{id}` before it can be read.
pub fn is_full(service: &Value) -> bool {
    DETAIL_KEYS
        .iter()
        .any(|k| service.get(*k).is_some_and(Value::is_array))
}

/// Reads one service (or one `service_at_location` record, as its service at that location).
/// An `inactive` or `defunct` service becomes [`Entry::Deleted`]: the ingester withdraws the
/// listing if it made one.
pub fn map_service(service: &Value) -> Entry {
    let merged;
    let service = match service_at_location(service) {
        Some(s) => {
            merged = s;
            &merged
        }
        None => service,
    };
    if !service.is_object() {
        return Entry::Rejected(Rejection::new(
            "service",
            format!("expected a service object, found {}", kind(service)),
        ));
    }
    let Some(source_id) = id_text(service.get("id")) else {
        let name = str_at(service, "name").map(text::line).unwrap_or_default();
        return Entry::Rejected(Rejection::new(
            format!("service {name:?}"),
            "has no id, so it cannot be kept up to date",
        ));
    };
    // A Signpost export or API names its records by UUID and carries the Signpost id beside
    // it: the record is known by that id, as it was before ids were UUIDs, so the links an
    // earlier import or crawl made still find it.
    let facts = SignpostFacts::of(service);
    let source_id = facts
        .as_ref()
        .and_then(SignpostFacts::carried_id)
        .unwrap_or(source_id);
    let status = str_at(service, "status")
        .map(|s| s.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if status == "inactive" || status == "defunct" {
        return Entry::Deleted { source_id };
    }
    match read_service(
        service,
        facts.as_ref(),
        source_id.clone(),
        status == "temporarily closed",
    ) {
        Ok(draft) => Entry::Item(Box::new(draft)),
        Err(reason) => Entry::Rejected(Rejection::new(format!("service {source_id}"), reason)),
    }
}

/// A `/service_at_locations/{id}` record (`{id, service, location}`) rewritten as its service
/// with that location listed in `service_at_locations`.
fn service_at_location(record: &Value) -> Option<Value> {
    let inner = record.get("service").filter(|s| s.is_object())?;
    if record.get("name").is_some() {
        return None;
    }
    let mut service = inner.clone();
    if let (Some(location), Some(obj)) = (
        record.get("location").filter(|l| l.is_object()),
        service.as_object_mut(),
    ) {
        let mut sal = Map::new();
        for key in ["id", "schedules", "regular_schedules", "contacts", "phones"] {
            if let Some(v) = record.get(key) {
                sal.insert(key.to_owned(), v.clone());
            }
        }
        sal.insert("location".to_owned(), location.clone());
        match obj.get_mut("service_at_locations") {
            Some(Value::Array(list)) => list.push(Value::Object(sal)),
            _ => {
                obj.insert(
                    "service_at_locations".to_owned(),
                    Value::Array(vec![Value::Object(sal)]),
                );
            }
        }
    }
    Some(service)
}

fn read_service(
    service: &Value,
    facts: Option<&SignpostFacts>,
    source_id: String,
    closed: bool,
) -> Result<Draft, String> {
    let title = str_at(service, "name").map(text::line).unwrap_or_default();
    if title.is_empty() {
        return Err("has no name".to_owned());
    }
    let provider = read_organization(service)?;
    let mut activity = ActivityDraft::titled(title);

    let mut description = str_at(service, "description")
        .map(text::plain)
        .unwrap_or_default();
    if closed {
        // Still listed (it is coming back), but nobody should turn up expecting it.
        description = if description.is_empty() {
            "Temporarily closed.".to_owned()
        } else {
            format!("Temporarily closed.\n\n{description}")
        };
    }
    activity.description = description;

    activity.terms = read_terms(service);
    activity.categories = categories::from_terms(&activity.terms, &activity.title);
    if activity.categories.is_empty() {
        // Open Referral directories are social-prescribing and family-information
        // directories: what they list is overwhelmingly support services, so an unplaced
        // service is far more likely to be wellbeing than sport or arts. The source terms are
        // kept on the listing, so nothing is lost by the guess.
        activity.categories = vec![Category::Wellbeing];
    }

    let (ages, gender) = read_eligibility(service);
    activity.ages = ages;
    activity.gender = gender;
    activity.cost = read_cost(service);

    let places = read_places(service)?;
    activity.online = places.online || attends_online(service);
    if places.venues.is_empty() && !activity.online {
        let mut reason = "has no venue with a location or postcode".to_owned();
        if !places.unusable.is_empty() {
            reason.push_str(&format!(
                " ({} has neither coordinates nor a UK postcode)",
                places.unusable.join(", ")
            ));
        }
        return Err(reason);
    }
    activity.venues = places.venues;
    let mut languages = read_languages(service.get("languages"));
    for l in places.languages {
        push_unique_ci(&mut languages, l);
    }
    activity.access = Access {
        wheelchair: places.access.wheelchair,
        send_friendly: places.access.send_friendly,
        quiet_sessions: places.access.quiet_sessions,
        languages,
    };

    let (schedule, schedule_notes) = read_schedules(service, &places.sals, &places.locations);
    activity.schedule = schedule;

    let mut notes = Vec::new();
    if let Some(process) = str_at(service, "application_process").map(text::plain)
        && !process.is_empty()
    {
        notes.push(process);
    }
    for note in schedule_notes {
        if !notes.contains(&note) {
            notes.push(note);
        }
    }
    activity.join = HowToJoin {
        methods: read_join_methods(service),
        contact: read_contact(service, &places.sals),
        notes: notes.join("\n"),
        newcomers: Vec::new(),
    };
    activity.updated = read_updated(service);
    if let Some(facts) = facts {
        facts.apply(service, &mut activity);
        activity.signpost_id = facts.signpost_id(&source_id);
    }

    Ok(Draft {
        source_id,
        provider,
        activity,
    })
}
