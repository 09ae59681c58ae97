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
    let source_id = signpost_id_of(service).unwrap_or(source_id);
    let status = str_at(service, "status")
        .map(|s| s.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if status == "inactive" || status == "defunct" {
        return Entry::Deleted { source_id };
    }
    match read_service(service, source_id.clone(), status == "temporarily closed") {
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

fn read_service(service: &Value, source_id: String, closed: bool) -> Result<Draft, String> {
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
    if let Some(facts) = SignpostFacts::of(service) {
        facts.apply(service, &mut activity);
        activity.signpost_id = facts.signpost_id(&source_id);
    }

    Ok(Draft {
        source_id,
        provider,
        activity,
    })
}

// ---------------------------------------------------------------------------------------------
// The organisation

fn read_organization(service: &Value) -> Result<ProviderDraft, String> {
    let org = service.get("organization").filter(|o| o.is_object());
    let name = org
        .and_then(|o| str_at(o, "name"))
        .map(text::line)
        .unwrap_or_default();
    if name.is_empty() {
        // Without a name the ingester cannot match or create the provider, and Signpost never
        // lists an activity without saying who runs it.
        return Err(
            "has no organization name (the service must include its organization)".to_owned(),
        );
    }
    let mut provider = ProviderDraft {
        source_id: org
            .and_then(signpost_id_of)
            .or_else(|| org.and_then(|o| id_text(o.get("id"))))
            .or_else(|| id_text(service.get("organization_id"))),
        name,
        ..ProviderDraft::default()
    };
    let Some(org) = org else {
        return Ok(provider);
    };
    provider.description = str_at(org, "description")
        .map(text::plain)
        .unwrap_or_default();
    provider.website = ["website", "url"]
        .iter()
        .find_map(|k| str_at(org, k).and_then(web_address));
    provider.email = str_at(org, "email").and_then(email_address);
    provider.phone = phones_in(org).into_iter().next();
    for ident in items(org, &["organization_identifiers"]) {
        let scheme = str_at(ident, "identifier_scheme")
            .unwrap_or_default()
            .trim()
            .to_ascii_uppercase();
        let Some(value) = id_text(ident.get("identifier")) else {
            continue;
        };
        // org-id.guide schemes: Companies House, and the three UK charity registers.
        match scheme.as_str() {
            "GB-COH" => provider.company_number = provider.company_number.or(Some(value)),
            "GB-CHC" | "GB-SC" | "GB-NIC" => {
                provider.charity_number = provider.charity_number.or(Some(value))
            }
            _ => {}
        }
    }
    if let Some(facts) = SignpostFacts::of(org) {
        facts.apply_to_provider(org, &mut provider);
    }
    Ok(provider)
}

// ---------------------------------------------------------------------------------------------
// Signpost's own attributes

/// The Signpost id a service or organisation carries in its `signpost:id` attribute.
fn signpost_id_of(v: &Value) -> Option<String> {
    SignpostFacts::of(v)?
        .first(Field::Id)
        .map(text::line)
        .filter(|id| !id.is_empty())
}

/// The `signpost:*` attributes and `signpost-category:*` terms on one service or organisation.
struct SignpostFacts {
    values: Vec<(Field, String)>,
    categories: Vec<Category>,
}

impl SignpostFacts {
    /// `None` when the object carries no Signpost attribute: it is read like any other.
    fn of(v: &Value) -> Option<SignpostFacts> {
        let mut facts = SignpostFacts {
            values: Vec::new(),
            categories: Vec::new(),
        };
        let mut any = false;
        for attribute in items(v, &["attributes"]) {
            // Signpost's term is named by its code (its id is a UUID); files written before
            // ids were UUIDs named it by the id.
            let term = attribute.get("taxonomy_term");
            let term_id = term
                .and_then(|t| id_text(t.get("code")))
                .or_else(|| term.and_then(|t| id_text(t.get("id"))))
                .or_else(|| id_text(attribute.get("taxonomy_term_id")));
            // A term named only by its UUID (a re-publisher dropped the code) is one of
            // Signpost's when the UUID is: they are derived, so the same everywhere.
            let term_id = term_id.map(|id| {
                if is_uuid(&id) {
                    signpost_openreferral::taxonomy_term(&id)
                        .and_then(|t| t["code"].as_str().map(str::to_owned))
                        .unwrap_or(id)
                } else {
                    id
                }
            });
            let Some(term_id) = term_id else {
                continue;
            };
            if let Some(field) = Field::from_term_id(&term_id) {
                any = true;
                let value = match attribute.get("value") {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Bool(b)) => b.to_string(),
                    Some(Value::Number(n)) => n.to_string(),
                    _ => continue,
                };
                facts.values.push((field, value));
            } else if term_id.starts_with(CATEGORY_TERM_PREFIX) {
                any = true;
                if let Some(c) = category_for_term(&term_id)
                    && !facts.categories.contains(&c)
                {
                    facts.categories.push(c);
                }
            }
        }
        any.then_some(facts)
    }

    /// The Signpost id of what these facts describe: `signpost:id`, or in a file written
    /// before ids were UUIDs, the record's own id (`record_id`) when it is a Signpost id.
    fn signpost_id(&self, record_id: &str) -> Option<Id> {
        match self.first(Field::Id) {
            Some(id) => Id::parse(id.trim()).ok(),
            None if !is_uuid(record_id) => Id::parse(record_id).ok(),
            None => None,
        }
    }

    /// Every value of a field, as given (callers pass them through [`text`]).
    fn all(&self, field: Field) -> impl Iterator<Item = &str> {
        self.values
            .iter()
            .filter(move |(f, _)| *f == field)
            .map(|(_, v)| v.as_str())
    }

    fn first(&self, field: Field) -> Option<&str> {
        self.all(field).next()
    }

    /// A yes/no field: present (and not "false") means yes.
    fn yes(&self, field: Field) -> bool {
        self.all(field)
            .any(|v| !v.trim().eq_ignore_ascii_case("false"))
    }

    /// One-line values of a field, cleaned.
    fn lines(&self, field: Field) -> Vec<String> {
        self.all(field)
            .map(text::line)
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// Replaces what was guessed from the service's ORUK fields with what Signpost said.
    fn apply(&self, service: &Value, a: &mut ActivityDraft) {
        if !self.categories.is_empty() {
            a.categories.clone_from(&self.categories);
        }
        a.terms = self.lines(Field::Term);
        if self.yes(Field::AgeNotStated) {
            a.ages = None;
        } else if let Some(ages) = self
            .first(Field::Ages)
            .and_then(|t| AgeRange::parse(&text::line(t)).ok())
        {
            a.ages = Some(ages);
        }
        if let Some(g) = self.first(Field::Gender).and_then(Gender::parse) {
            a.gender = g;
        }
        a.join.methods = Vec::new();
        for m in self.all(Field::Join).filter_map(JoinMethod::parse) {
            if !a.join.methods.contains(&m) {
                a.join.methods.push(m);
            }
        }
        a.join.newcomers = Vec::new();
        for n in self.all(Field::Newcomers).filter_map(Newcomer::parse) {
            if !a.join.newcomers.contains(&n) {
                a.join.newcomers.push(n);
            }
        }
        let needs: Vec<String> = self
            .lines(Field::Access)
            .into_iter()
            .map(|n| n.to_ascii_lowercase())
            .collect();
        let need = |names: &[&str]| needs.iter().any(|n| names.contains(&n.as_str()));
        let mut languages = Vec::new();
        for l in items(service, &["languages"]) {
            let name = match l {
                Value::String(s) => Some(s.as_str()),
                _ => str_at(l, "name"),
            };
            if let Some(name) = name.map(text::line).filter(|n| !n.is_empty()) {
                push_unique_ci(&mut languages, name);
            }
        }
        a.access = Access {
            wheelchair: need(&["wheelchair"]),
            send_friendly: need(&["send", "send-friendly"]),
            quiet_sessions: need(&["quiet", "quiet-sessions"]),
            languages,
        };
        // The timetable in Signpost's own words says what ORUK schedules cannot (term time,
        // exception dates); one that cannot be read leaves the ORUK schedules' reading.
        if let Some(lines) = self.first(Field::Schedule)
            && let Ok(schedule) = Schedule::parse_lines(&text::plain(lines))
        {
            a.schedule = schedule;
        }
        // How to join, in words: the schedules are all weekly, so nothing was added to it.
        a.join.notes = str_at(service, "application_process")
            .map(text::plain)
            .unwrap_or_default();
        a.online = self.yes(Field::Online);
        let amounts: Vec<u32> = items(service, &["cost_options"])
            .filter_map(|o| amount_pence(o.get("amount")))
            .collect();
        let free = amounts.contains(&0);
        a.cost = Cost {
            free,
            price_pence: if free {
                None
            } else {
                amounts.into_iter().find(|p| *p > 0)
            },
            concessions: self
                .first(Field::Concessions)
                .map(text::plain)
                .filter(|c| !c.is_empty()),
            bursary: self.yes(Field::Bursary),
        };
        a.confirmed = date_at(service, "assured_date");
    }

    /// The organisation's Signpost id, and from an export its postcode and its safeguarding
    /// record and check (used only under `--keep-checks`).
    fn apply_to_provider(&self, org: &Value, p: &mut ProviderDraft) {
        p.signpost_id = self.signpost_id(&id_text(org.get("id")).unwrap_or_default());
        if p.postcode.is_none() {
            p.postcode = self
                .first(Field::Postcode)
                .and_then(|pc| Postcode::parse(&text::line(pc)).ok());
        }
        p.safeguarding = self
            .first(Field::SafeguardingRecord)
            .and_then(|json| serde_json::from_str::<Safeguarding>(json).ok())
            .map(|mut s| {
                s.designated_lead_role = s
                    .designated_lead_role
                    .map(|r| text::line(&r))
                    .filter(|r| !r.is_empty());
                s
            });
        p.verification = self
            .first(Field::VerificationRecord)
            .and_then(|json| serde_json::from_str::<Verification>(json).ok())
            .and_then(|v| match v {
                Verification::Verified(c) => VerificationCheck::new(
                    text::line(&c.checked_by),
                    text::line(&c.on_behalf_of),
                    c.checked_on,
                    text::plain(&c.evidence),
                    Some(c.expires_on),
                )
                .ok()
                .map(Verification::Verified),
                other => Some(other),
            });
    }
}

// ---------------------------------------------------------------------------------------------
// Categories, ages, cost

fn read_terms(service: &Value) -> Vec<String> {
    let mut terms = Vec::new();
    // 3.0: attributes[].taxonomy_term.{name, term}
    for attribute in items(service, &["attributes"]) {
        if let Some(term) = attribute.get("taxonomy_term") {
            let name = str_at(term, "name").or_else(|| str_at(term, "term"));
            if let Some(name) = name.map(text::line).filter(|n| !n.is_empty()) {
                push_unique_ci(&mut terms, name);
            }
        }
    }
    // 1.0: service_taxonomys[].taxonomy.name
    for link in items(service, &["service_taxonomys", "service_taxonomies"]) {
        if let Some(name) = link
            .get("taxonomy")
            .and_then(|t| str_at(t, "name"))
            .map(text::line)
            .filter(|n| !n.is_empty())
        {
            push_unique_ci(&mut terms, name);
        }
    }
    terms
}

/// Ages from the service (3.0 `minimum_age`/`maximum_age`) and every 1.0 eligibility entry,
/// joined into one range that covers them all; gender from 1.0 eligibility.
fn read_eligibility(service: &Value) -> (Option<AgeRange>, Gender) {
    let mut ranges: Vec<(f64, f64)> = Vec::new();
    if let Some(r) = numeric_range(service) {
        ranges.push(r);
    }
    let (mut girls, mut boys, mut anyone) = (false, false, false);
    for e in items(service, &["eligibilitys", "eligibilities", "eligibility"]) {
        let words = [str_at(e, "eligibility"), str_at(e, "gender")]
            .into_iter()
            .flatten()
            .map(|s| s.to_lowercase())
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(r) = numeric_range(e).or_else(|| range_from_words(&words)) {
            ranges.push(r);
        }
        let female = ["female", "girls", "girl", "women", "woman"]
            .iter()
            .any(|w| mentions(&words, w));
        let male = ["male", "boys", "boy", "men", "man"]
            .iter()
            .any(|w| mentions(&words, w));
        match (female, male) {
            (true, false) => girls = true,
            (false, true) => boys = true,
            (true, true) => anyone = true,
            (false, false) => {
                // An eligibility entry about something else (ages, "family") says nothing
                // about gender; a transgender entry opens it to everyone.
                if mentions(&words, "transgender") {
                    anyone = true;
                }
            }
        }
    }
    let gender = match (girls, boys, anyone) {
        (true, false, false) => Gender::Girls,
        (false, true, false) => Gender::Boys,
        _ => Gender::Mixed,
    };
    let ages = if ranges.is_empty() {
        None
    } else {
        let lo = ranges.iter().map(|r| r.0).fold(f64::INFINITY, f64::min);
        let hi = ranges.iter().map(|r| r.1).fold(0.0, f64::max);
        // Publishers write 99, 100 or 999 for "no upper limit": all mean the directory's top.
        let top = f64::from(MAX_AGE_YEARS);
        let (lo, hi) = (lo.clamp(0.0, top).floor(), hi.clamp(0.0, top).floor());
        // Floored and clamped to 0..=120 above, so the casts cannot truncate.
        AgeRange::years(lo as u16, hi as u16).ok()
    };
    (ages, gender)
}

/// `minimum_age`/`maximum_age` on one object; a missing end is open (0 or the top age).
fn numeric_range(v: &Value) -> Option<(f64, f64)> {
    let min = number_at(v, "minimum_age").filter(|n| *n >= 0.0);
    let max = number_at(v, "maximum_age").filter(|n| *n >= 0.0);
    match (min, max) {
        (None, None) => None,
        (min, max) => Some((min.unwrap_or(0.0), max.unwrap_or(f64::from(MAX_AGE_YEARS)))),
    }
}

/// The 1.0 eligibility vocabulary ("adult", "child", "teen", ...) as age ranges, for entries
/// that give no numbers. "Young people" follows UK youth services: 11 to 25 (25 covers young
/// people with SEND and care leavers, whom youth services keep until then).
fn range_from_words(words: &str) -> Option<(f64, f64)> {
    const WORDS: &[(&str, f64, f64)] = &[
        ("child", 0.0, 17.0),
        ("children", 0.0, 17.0),
        ("teen", 13.0, 19.0),
        ("teens", 13.0, 19.0),
        ("teenager", 13.0, 19.0),
        ("teenagers", 13.0, 19.0),
        ("young people", 11.0, 25.0),
        ("young person", 11.0, 25.0),
        ("youth", 11.0, 25.0),
        ("adult", 18.0, 120.0),
        ("adults", 18.0, 120.0),
    ];
    let hits: Vec<(f64, f64)> = WORDS
        .iter()
        .filter(|(w, _, _)| mentions(words, w))
        .map(|(_, lo, hi)| (*lo, *hi))
        .collect();
    if hits.is_empty() {
        return None;
    }
    let lo = hits.iter().map(|r| r.0).fold(f64::INFINITY, f64::min);
    let hi = hits.iter().map(|r| r.1).fold(0.0, f64::max);
    Some((lo, hi))
}

fn read_cost(service: &Value) -> Cost {
    let mut free = false;
    let mut lowest: Option<u32> = None;
    let mut described = Vec::new();
    for option in items(service, &["cost_options"]) {
        let pence = amount_pence(option.get("amount"));
        let condition = str_at(option, "option").map(text::line).unwrap_or_default();
        let per = str_at(option, "amount_description")
            .map(text::line)
            .unwrap_or_default();
        if pence == Some(0) || mentions(&condition.to_lowercase(), "free") {
            free = true;
        }
        if let Some(p) = pence.filter(|p| *p > 0) {
            lowest = Some(lowest.map_or(p, |l| l.min(p)));
        }
        let price = match pence {
            Some(0) => "free".to_owned(),
            Some(p) => format!("£{}.{:02}", p / 100, p % 100),
            None => String::new(),
        };
        let line = [price, per]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let line = match (condition.is_empty(), line.is_empty()) {
            (true, _) => line,
            (false, true) => condition,
            (false, false) => format!("{condition}: {line}"),
        };
        if !line.is_empty() && !described.contains(&line) {
            described.push(line);
        }
    }
    let fees = ["fees_description", "fees"]
        .iter()
        .find_map(|k| str_at(service, k).map(text::line).filter(|s| !s.is_empty()));
    if let Some(fees) = &fees {
        let lower = fees.to_lowercase();
        if (mentions(&lower, "free") && !lower.contains("not free"))
            || lower.contains("no charge")
            || lower.contains("no cost")
        {
            free = true;
        }
    }
    // The words say who pays what: the cost options when there are any, else the fees text.
    let concessions = if described.is_empty() {
        fees.filter(|f| !f.eq_ignore_ascii_case("free"))
    } else {
        Some(described.join("; "))
    };
    let bursary = items(service, &["fundings", "funding"]).any(|f| {
        str_at(f, "source").is_some_and(|s| {
            let s = s.to_lowercase();
            mentions_start(&s, "bursar") || s.contains("hardship") || s.contains("assisted place")
        })
    });
    Cost {
        free,
        // Signpost holds one price, and a free option beats every paid one.
        price_pence: if free { None } else { lowest },
        concessions,
        bursary,
    }
}

/// An amount in pounds (a number, or text like "3.50" or "£3.50") in pence.
fn amount_pence(v: Option<&Value>) -> Option<u32> {
    let pounds = match v? {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().trim_start_matches('£').trim().parse().ok()?,
        _ => return None,
    };
    let pence = (pounds * 100.0).round();
    (pence.is_finite() && (0.0..=f64::from(u32::MAX)).contains(&pence)).then_some(pence as u32)
}

// ---------------------------------------------------------------------------------------------
// Places

#[derive(Default)]
struct Places<'a> {
    venues: Vec<VenueDraft>,
    online: bool,
    access: Access,
    languages: Vec<String>,
    /// Names of physical locations that had neither coordinates nor a usable postcode.
    unusable: Vec<String>,
    sals: Vec<&'a Value>,
    locations: Vec<&'a Value>,
}

fn read_places(service: &Value) -> Result<Places<'_>, String> {
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

fn read_venue(location: &Value) -> Result<VenueDraft, String> {
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
fn coordinate(location: &Value, key: &str, label: &str) -> Result<Option<f64>, String> {
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
fn access_from(texts: &[String]) -> Access {
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
fn read_languages(list: Option<&Value>) -> Vec<String> {
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
fn attends_online(service: &Value) -> bool {
    str_at(service, "attending_type").is_some_and(|t| mentions(&t.to_lowercase(), "online"))
}

// ---------------------------------------------------------------------------------------------
// Schedules

/// Most holiday dates a service can add: a year of closures is already "closed"; anything
/// longer is a publishing mistake that would bloat the listing.
const MAX_EXCEPTIONS: usize = 366;

/// The timetable from every schedule that belongs to the service, plus notes for the ones
/// Signpost cannot hold as weekly sessions (monthly, fortnightly, times only in words).
fn read_schedules(
    service: &Value,
    sals: &[&Value],
    locations: &[&Value],
) -> (Schedule, Vec<String>) {
    const RULES: &[&str] = &["schedules", "regular_schedules"];
    let mut rules: Vec<&Value> = items(service, RULES).collect();
    for sal in sals {
        rules.extend(items(sal, RULES));
    }
    if rules.is_empty() {
        // A location's schedule is the building's opening hours, not the service's: use it
        // only when the service gives no times of its own.
        for location in locations {
            rules.extend(items(location, RULES));
        }
    }
    let mut schedule = Schedule::default();
    let mut notes: Vec<String> = Vec::new();
    let mut seen_ids: Vec<String> = Vec::new();
    for rule in rules {
        // The same schedule is often repeated on the service, its service_at_location and
        // its location.
        if let Some(id) = id_text(rule.get("id")) {
            if seen_ids.contains(&id) {
                continue;
            }
            seen_ids.push(id);
        }
        match read_rule(rule) {
            Rule::Weekly(sessions) => {
                for s in sessions {
                    if !schedule.weekly.contains(&s) {
                        schedule.weekly.push(s);
                    }
                }
            }
            Rule::Note(note) => {
                if !note.is_empty() && !notes.contains(&note) {
                    notes.push(note);
                }
            }
        }
    }
    let mut holidays: Vec<&Value> = items(service, &["holiday_schedules"]).collect();
    for sal in sals {
        holidays.extend(items(sal, &["holiday_schedules"]));
    }
    'holidays: for h in holidays {
        let closed = match h.get("closed") {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => {
                matches!(s.trim().to_ascii_lowercase().as_str(), "true" | "yes" | "1")
            }
            Some(Value::Number(n)) => n.as_f64() == Some(1.0),
            _ => false,
        };
        let Some(start) = date_at(h, "start_date") else {
            continue;
        };
        if !closed {
            // Different opening hours on holiday dates: Signpost cannot say "open, but at
            // other times" (an exception date removes dated sessions too), so it is left out.
            continue;
        }
        let end = date_at(h, "end_date").unwrap_or(start);
        let mut date = start;
        while date <= end {
            if schedule.exceptions.len() >= MAX_EXCEPTIONS {
                break 'holidays;
            }
            if !schedule.exceptions.contains(&date) {
                schedule.exceptions.push(date);
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => break,
            }
        }
    }
    schedule.exceptions.sort();
    (schedule, notes)
}

enum Rule {
    Weekly(Vec<WeeklySession>),
    /// Not a weekly timetable: the words that describe it, for the join notes.
    Note(String),
}

/// One schedule (3.0 `schedule` or 1.0 `regular_schedule`). Weekly with interval 1 becomes a
/// session on each day; anything else (monthly "2MO", fortnightly, no times) becomes a note.
fn read_rule(rule: &Value) -> Rule {
    let description = str_at(rule, "description")
        .map(text::plain)
        .filter(|d| !d.is_empty());
    let freq = str_at(rule, "freq")
        .map(|f| f.trim().to_ascii_uppercase())
        .unwrap_or_default();
    let interval = number_at(rule, "interval").unwrap_or(1.0);
    let byday: Vec<String> = str_at(rule, "byday")
        .unwrap_or_default()
        .split(',')
        .map(|t| t.trim().to_ascii_uppercase())
        .filter(|t| !t.is_empty())
        .collect();
    // "2MO", "-1FR": the nth weekday of a month, which only a monthly rule can mean.
    let ordinal = byday
        .iter()
        .any(|t| t.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+'));
    let opens = str_at(rule, "opens_at").and_then(time_of_day);
    let closes = str_at(rule, "closes_at").and_then(time_of_day);
    let note = || {
        Rule::Note(
            description
                .clone()
                .unwrap_or_else(|| describe_rule(&freq, interval, &byday, opens, closes)),
        )
    };
    // A 1.0 row with a weekday and no rule is weekly.
    let weekly = freq.is_empty() || freq == "WEEKLY";
    if !weekly || interval != 1.0 || ordinal {
        return note();
    }
    let mut days: Vec<Weekday> = Vec::new();
    for token in &byday {
        if let Some(day) = parse_ical_weekday(token)
            && !days.contains(&day)
        {
            days.push(day);
        }
    }
    if let Some(day) = rule.get("weekday").and_then(weekday_value)
        && !days.contains(&day)
    {
        days.push(day);
    }
    let (Some(start), Some(end)) = (opens, closes) else {
        return note();
    };
    if days.is_empty() {
        return note();
    }
    let from = date_at(rule, "valid_from");
    let to = date_at(rule, "valid_to").or_else(|| date_at(rule, "until"));
    let mut sessions = Vec::new();
    for day in days {
        match WeeklySession::new(day, start, end, TermPattern::AllYear, from, to) {
            Ok(s) => sessions.push(s),
            // Zero-length sessions or inverted dates: keep the words instead.
            Err(_) => return note(),
        }
    }
    Rule::Weekly(sessions)
}

/// A readable line for a rule with no description of its own: "Monthly: 2nd Monday,
/// 10:00-12:00".
fn describe_rule(
    freq: &str,
    interval: f64,
    byday: &[String],
    opens: Option<SessionTime>,
    closes: Option<SessionTime>,
) -> String {
    let every = match freq {
        "MONTHLY" if interval == 1.0 => "Monthly".to_owned(),
        "MONTHLY" => format!("Every {interval} months"),
        "WEEKLY" | "" if interval == 2.0 => "Fortnightly".to_owned(),
        "WEEKLY" | "" if interval != 1.0 => format!("Every {interval} weeks"),
        "DAILY" => "Daily".to_owned(),
        _ => "Weekly".to_owned(),
    };
    let days: Vec<String> = byday.iter().filter_map(|t| describe_day(t)).collect();
    let mut out = every;
    if !days.is_empty() {
        out.push_str(&format!(": {}", days.join(", ")));
    }
    if let (Some(a), Some(b)) = (opens, closes) {
        out.push_str(&format!(", {a}-{b}"));
    }
    out
}

fn describe_day(token: &str) -> Option<String> {
    let split = token
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(token.len());
    let (n, day) = token.split_at(split);
    let name = match parse_ical_weekday(day)? {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    };
    let nth = match n.trim_start_matches('+') {
        "" => return Some(name.to_owned()),
        "1" => "1st",
        "2" => "2nd",
        "3" => "3rd",
        "4" => "4th",
        "5" => "5th",
        "-1" => "last",
        "-2" => "second to last",
        other => return Some(format!("{other} {name}")),
    };
    Some(format!("{nth} {name}"))
}

/// A 1.0 `weekday`: a name ("Monday") or a number. Numbers follow ISO 8601 (1 = Monday,
/// 7 = Sunday); 0 is read as Sunday, as servers counting from Sunday write it.
fn weekday_value(v: &Value) -> Option<Weekday> {
    let n = match v {
        Value::String(s) => match parse_weekday(s) {
            Ok(day) => return Some(day),
            Err(_) => s.trim().parse::<u8>().ok()?,
        },
        Value::Number(n) => u8::try_from(n.as_u64()?).ok()?,
        _ => return None,
    };
    Some(match n {
        0 | 7 => Weekday::Sun,
        1 => Weekday::Mon,
        2 => Weekday::Tue,
        3 => Weekday::Wed,
        4 => Weekday::Thu,
        5 => Weekday::Fri,
        6 => Weekday::Sat,
        _ => return None,
    })
}

/// A time of day: "18:30", "18:30:00", "0930", possibly with "Z" or an offset, or inside a
/// full date-time.
///
/// The suffix is dropped and the time read as Europe/London wall-clock time. A UTC offset on a
/// bare time of day cannot be converted honestly: "09:00Z" means 09:00 in winter and 10:00 in
/// summer in London, and the schema gives no date to decide. In practice UK publishers write
/// their local opening time and add the suffix because the schema asks for one, so converting
/// would move every summer session by an hour.
fn time_of_day(s: &str) -> Option<SessionTime> {
    let mut s = s.trim();
    if let Some((_, time)) = s.split_once(['T', 't']) {
        s = time;
    }
    s = s.trim_end_matches(['Z', 'z']);
    // An offset starts with + or - after the time itself ("10:00+01:00", "10:00:00-0500").
    if let Some(i) = s.rfind(['+', '-'])
        && i >= 4
    {
        s = &s[..i];
    }
    let s = s.trim();
    let time = ["%H:%M:%S%.f", "%H:%M:%S", "%H:%M", "%H%M"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(s, f).ok())?;
    Some(SessionTime::hm(time.hour(), time.minute()))
}

// ---------------------------------------------------------------------------------------------
// Joining

fn read_join_methods(service: &Value) -> Vec<JoinMethod> {
    let mut out = Vec::new();
    let Some(access) = str_at(service, "attending_access") else {
        return out;
    };
    for part in access.split([',', ';', '/']) {
        let part = part.trim().to_lowercase();
        let method = if part.contains("self") && part.contains("referral") {
            Some(JoinMethod::SelfReferral)
        } else if part.contains("referral") {
            Some(JoinMethod::ProfessionalReferral)
        } else if part.contains("appointment") || part.contains("booking") {
            Some(JoinMethod::Booking)
        } else if part.contains("drop") {
            Some(JoinMethod::DropIn)
        } else if part.contains("membership") {
            // Joining a membership service starts with getting in touch yourself.
            Some(JoinMethod::SelfReferral)
        } else {
            None
        };
        if let Some(m) = method
            && !out.contains(&m)
        {
            out.push(m);
        }
    }
    out
}

fn read_contact(service: &Value, sals: &[&Value]) -> Contact {
    let mut contacts: Vec<&Value> = items(service, &["contacts"]).collect();
    for sal in sals {
        contacts.extend(items(sal, &["contacts"]));
    }
    let name = contacts
        .iter()
        .find_map(|c| str_at(c, "name").map(text::line).filter(|n| !n.is_empty()));
    let email = contacts
        .iter()
        .find_map(|c| str_at(c, "email").and_then(email_address))
        .or_else(|| str_at(service, "email").and_then(email_address));
    let mut phones: Vec<Phone> = phones_in(service);
    for c in &contacts {
        phones.extend(phones_in(c));
    }
    for sal in sals {
        phones.extend(phones_in(sal));
    }
    Contact {
        name,
        email,
        phone: phones.into_iter().next(),
        url: str_at(service, "url").and_then(web_address),
    }
}

/// Phone numbers on an object: 3.0/1.0 `phones[].number`.
fn phones_in(v: &Value) -> Vec<Phone> {
    items(v, &["phones"])
        .filter_map(|p| match p {
            Value::String(s) => phone_number(s),
            _ => str_at(p, "number").and_then(phone_number),
        })
        .collect()
}

/// When the source last changed the service: 3.0 `last_modified`, else 1.0 `assured_date`
/// (the day a person last checked it, the nearest thing 1.0 has).
fn read_updated(service: &Value) -> Option<DateTime<Utc>> {
    if let Some(s) = str_at(service, "last_modified") {
        let s = s.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Some(t.with_timezone(&Utc));
        }
        if let Ok(t) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
            return Some(t.and_utc());
        }
    }
    ["last_modified", "assured_date"]
        .iter()
        .find_map(|k| date_at(service, k))
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}

// ---------------------------------------------------------------------------------------------
// Reading values

/// A non-empty string field.
fn str_at<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// An id as text: ids are strings in 3.0 and sometimes numbers in 1.0.
fn id_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A number, or text holding one.
fn number_at(v: &Value, key: &str) -> Option<f64> {
    match v.get(key)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|n: &f64| n.is_finite())
}

/// A date at the start of a field ("2026-01-31" or "2026-01-31T00:00:00Z").
fn date_at(v: &Value, key: &str) -> Option<NaiveDate> {
    let s = str_at(v, key)?.trim();
    s.get(..10)?.parse().ok()
}

/// The elements of every list under any of `keys` (servers disagree on plural forms).
fn items<'a>(v: &'a Value, keys: &'a [&'a str]) -> impl Iterator<Item = &'a Value> + 'a {
    keys.iter()
        .filter_map(move |k| v.get(*k).and_then(Value::as_array))
        .flatten()
}

fn first_u64(map: &Map<String, Value>, keys: &[&str]) -> Option<u64> {
    keys.iter().find_map(|k| match map.get(*k)? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

fn first_bool(map: &Map<String, Value>, keys: &[&str]) -> Option<bool> {
    keys.iter().find_map(|k| match map.get(*k)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn push_unique_ci(list: &mut Vec<String>, item: String) {
    if !list.iter().any(|l| l.eq_ignore_ascii_case(&item)) {
        list.push(item);
    }
}

/// `word` appears in lowercase `text` as a whole word.
fn mentions(text: &str, word: &str) -> bool {
    word_at(text, word, true)
}

/// `word` appears in lowercase `text` at the start of a word ("bursar" in "bursaries").
fn mentions_start(text: &str, word: &str) -> bool {
    word_at(text, word, false)
}

fn word_at(text: &str, word: &str, whole: bool) -> bool {
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    text.match_indices(word).any(|(i, _)| {
        boundary(text[..i].chars().next_back())
            && (!whole || boundary(text[i + word.len()..].chars().next()))
    })
}

// ---------------------------------------------------------------------------------------------
// Contact details shared with the CSV template reader.

#[cfg(test)]
mod tests {
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
        let p =
            parse_services(r#"{"page_number": 2, "total_pages": 3, "contents": [{}]}"#).unwrap();
        assert!(p.has_more());
        let p =
            parse_services(r#"{"page_number": 3, "total_pages": 3, "contents": [{}]}"#).unwrap();
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
        let service = signpost_openreferral::service(
            &rich_activity(),
            &checked_provider(),
            date("2026-11-25"),
        );
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
}
