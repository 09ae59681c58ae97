//! schema.org JSON-LD on provider web pages: the `<script type="application/ld+json">` blocks a
//! club's or charity's site carries, read into listings.
//!
//! Events on a page (Event, EventSeries, SportsEvent, any other `...Event`) each become a
//! listing. A page with no events but a place or organisation with opening hours (a youth
//! centre, a community hall) becomes one listing for that place, open at those hours. Vocabulary
//! is read by [`crate::schemaorg`], the same as for OpenActive.

use std::collections::HashMap;

use html5gum::{DefaultEmitter, Token, Tokenizer};
use serde_json::Value;
use signpost_model::{HowToJoin, JoinMethod, Schedule};

use crate::schemaorg::{
    self, flag, get, has_type, id_of, json_error, labels, line_of, many, raw_str, type_of, types,
    web_url,
};
use crate::{ActivityDraft, Draft, Entry, ProviderDraft, Rejection, categories, text};

/// Every JSON-LD block on a page, parsed. The `type` attribute is matched without regard to
/// case or attribute order; blank blocks are skipped.
pub fn blocks(html: &str) -> Vec<Result<Value, String>> {
    let mut emitter = DefaultEmitter::default();
    // Switches the tokenizer into script-data state after <script>, so a block's text comes
    // through whole instead of being read as markup.
    emitter.naively_switch_states(true);
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(tag) if tag.name.eq_ignore_ascii_case(b"script") => {
                let is_json_ld = tag.attributes.get(b"type".as_slice()).is_some_and(|t| {
                    let t = String::from_utf8_lossy(t).to_ascii_lowercase();
                    t.split(';').next().map(str::trim) == Some("application/ld+json")
                });
                current = (is_json_ld && !tag.self_closing).then(String::new);
            }
            Token::String(s) => {
                if let Some(buf) = current.as_mut() {
                    buf.push_str(&String::from_utf8_lossy(&s));
                }
            }
            Token::EndTag(tag) if tag.name.eq_ignore_ascii_case(b"script") => {
                if let Some(buf) = current.take()
                    && let Some(parsed) = parse_block(&buf)
                {
                    out.push(parsed);
                }
            }
            _ => {}
        }
    }
    // A block left open at the end of the page.
    if let Some(buf) = current.take()
        && let Some(parsed) = parse_block(&buf)
    {
        out.push(parsed);
    }
    out
}

fn parse_block(raw: &str) -> Option<Result<Value, String>> {
    let body = unwrap_block(raw);
    if body.is_empty() {
        return None;
    }
    Some(serde_json::from_str(body).or_else(|first| {
        // Hand-written blocks often break a long description over several lines inside a
        // string, which JSON forbids. Outside strings these characters are only whitespace, so
        // making them spaces changes nothing else. The error reported is the original one.
        let relaxed = body.replace(['\n', '\r', '\t'], " ");
        serde_json::from_str(&relaxed).map_err(|_| json_error(&first))
    }))
}

/// Strips the wrappers old pages put round script text (`<!-- -->`, `//<![CDATA[ //]]>`).
fn unwrap_block(raw: &str) -> &str {
    let mut s = raw.trim();
    loop {
        let before = s;
        for prefix in ["<!--", "//<![CDATA[", "<![CDATA["] {
            s = s.strip_prefix(prefix).unwrap_or(s).trim();
        }
        for suffix in ["-->", "//]]>", "]]>"] {
            s = s.strip_suffix(suffix).unwrap_or(s).trim();
        }
        if s == before {
            return s;
        }
    }
}

/// Every typed node in a block: a single object, an array of them, and the contents of
/// `@graph` (at any depth), flattened into one list. A node keeps its nested values; only
/// `@graph` is taken out.
pub fn nodes(v: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    collect(v, &mut out, 0);
    out
}

/// Deep enough for any real page; serde_json has already bounded nesting when parsing.
const MAX_DEPTH: usize = 32;

fn collect(v: &Value, out: &mut Vec<Value>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match v {
        Value::Array(items) => {
            for x in items {
                collect(x, out, depth + 1);
            }
        }
        Value::Object(o) => {
            if let Some(graph) = o.get("@graph") {
                collect(graph, out, depth + 1);
            }
            if !types(v).is_empty() {
                let mut node = v.clone();
                if let Value::Object(m) = &mut node {
                    m.remove("@graph");
                }
                out.push(node);
            }
        }
        _ => {}
    }
}

/// Types that run things.
const ORGANISATION_TYPES: &[&str] = &[
    "Organization",
    "NGO",
    "SportsOrganization",
    "SportsTeam",
    "SportsClub",
    "LocalBusiness",
    "EducationalOrganization",
    "School",
    "GovernmentOrganization",
    "Corporation",
    "NonprofitOrganization",
    "Library",
    "ExerciseGym",
    "SportsActivityLocation",
    "EntertainmentBusiness",
    "PerformingGroup",
    "MusicGroup",
    "DanceGroup",
    "TheaterGroup",
];

/// Types that are places people go (besides organisations that are also places).
const PLACE_TYPES: &[&str] = &[
    "Place",
    "CivicStructure",
    "CommunityCenter",
    "EventVenue",
    "PlaceOfWorship",
    "Church",
    "Park",
    "Playground",
    "StadiumOrArena",
    "PublicSwimmingPool",
    "SportsActivityLocation",
];

fn is_organisation(v: &Value) -> bool {
    has_type(v, ORGANISATION_TYPES)
        || types(v)
            .iter()
            .any(|t| t.ends_with("Organization") || t.ends_with("Business"))
}

fn is_event(v: &Value) -> bool {
    types(v).iter().any(|t| {
        t.ends_with("Event")
            || matches!(
                t.as_str(),
                "EventSeries" | "CourseInstance" | "SessionSeries"
            )
    })
}

/// The listings a provider's web page describes. A block that is not valid JSON gives one
/// rejection and the rest of the page still counts.
pub fn read_page(page_url: &str, html: &str) -> Vec<Entry> {
    let at_page = format!("page {page_url}");
    let mut out = Vec::new();
    let mut all: Vec<Value> = Vec::new();
    for (n, block) in blocks(html).into_iter().enumerate() {
        match block {
            Ok(v) => all.extend(nodes(&v)),
            Err(e) => out.push(Entry::Rejected(Rejection::new(
                at_page.clone(),
                format!(
                    "a JSON-LD block is not valid JSON (block {} on the page): {e}",
                    n + 1
                ),
            ))),
        }
    }
    let page = Page::new(page_url, &all);

    // Events, at the top level or listed under an organisation or place (`event`).
    let mut events: Vec<(Value, Option<&Value>)> = Vec::new();
    for node in &all {
        if is_event(node) {
            events.push((page.embed(node), None));
            continue;
        }
        for key in ["event", "events"] {
            for e in many(get(node, key)) {
                let e = page.resolve(e);
                if is_event(e) {
                    let host = is_organisation(node).then_some(node);
                    events.push((page.embed(e), host));
                }
            }
        }
    }

    let mut ids = SourceIds::default();
    if !events.is_empty() {
        for (n, (event, host)) in events.iter().enumerate() {
            out.push(page.event_entry(event, *host, n + 1, &mut ids));
        }
        return out;
    }

    // No events: a place or organisation with opening hours is open for people to come to.
    for (n, node) in all.iter().enumerate() {
        let has_hours =
            get(node, "openingHoursSpecification").is_some() || get(node, "openingHours").is_some();
        if has_hours && (is_organisation(node) || has_type(node, PLACE_TYPES)) {
            out.push(page.hours_entry(&page.embed(node), n + 1, &mut ids));
        }
    }
    out
}

/// Source ids made unique within a page: two events both called "Football" must not overwrite
/// each other.
#[derive(Default)]
struct SourceIds {
    seen: Vec<String>,
}

impl SourceIds {
    fn claim(&mut self, id: String) -> String {
        let mut candidate = id.clone();
        let mut n = 2;
        while self.seen.contains(&candidate) {
            candidate = format!("{id}-{n}");
            n += 1;
        }
        self.seen.push(candidate.clone());
        candidate
    }
}

struct Page<'a> {
    url: &'a str,
    /// The page's own address without a fragment, for ids made from names.
    base: &'a str,
    by_id: HashMap<String, &'a Value>,
    organisation: Option<&'a Value>,
}

impl<'a> Page<'a> {
    fn new(url: &'a str, all: &'a [Value]) -> Self {
        let base = url.split('#').next().unwrap_or(url);
        let mut by_id = HashMap::new();
        for node in all {
            if let Some(id) = id_of(node) {
                by_id.entry(id).or_insert(node);
            }
        }
        Page {
            url,
            base,
            by_id,
            organisation: all.iter().find(|n| is_organisation(n)),
        }
    }

    /// The node a reference points at (`{"@id": "#org"}`, or the id as a string), else the
    /// value itself.
    fn resolve<'v>(&'v self, v: &'v Value) -> &'v Value {
        let id = match v {
            Value::String(s) => Some(s.trim().to_owned()),
            Value::Object(o)
                if o.keys()
                    .all(|k| matches!(k.as_str(), "@id" | "id" | "@type" | "type")) =>
            {
                id_of(v)
            }
            _ => None,
        };
        id.and_then(|id| self.by_id.get(&id).copied()).unwrap_or(v)
    }

    /// A copy of a node with its references to other nodes on the page (organiser, location,
    /// offers...) replaced by those nodes, two levels deep.
    fn embed(&self, node: &Value) -> Value {
        self.embed_depth(node, 2)
    }

    fn embed_depth(&self, node: &Value, depth: u8) -> Value {
        let Value::Object(o) = node else {
            return node.clone();
        };
        let own = id_of(node);
        let mut copy = o.clone();
        for (key, value) in copy.iter_mut() {
            if key.starts_with('@') || depth == 0 {
                continue;
            }
            let swap = |v: &Value| -> Value {
                let r = self.resolve(v);
                let is_self = r.is_object() && own.is_some() && id_of(r) == own;
                if std::ptr::eq(r, v) || is_self || !r.is_object() {
                    v.clone()
                } else {
                    self.embed_depth(r, depth - 1)
                }
            };
            let replaced = match &*value {
                Value::Array(items) => Value::Array(
                    items
                        .iter()
                        .map(|v| if v.is_object() { swap(v) } else { v.clone() })
                        .collect(),
                ),
                Value::Object(_) => swap(value),
                _ => continue,
            };
            *value = replaced;
        }
        Value::Object(copy)
    }

    /// The node's id (made absolute when it is a fragment), or the page address and a slug of
    /// its name.
    fn source_id(&self, node: &Value, title: &str, ids: &mut SourceIds) -> String {
        let id = match id_of(node) {
            Some(id) if id.starts_with('#') => format!("{}{id}", self.base),
            Some(id) => id,
            None => format!("{}#{}", self.base, slug(title)),
        };
        ids.claim(id)
    }

    fn where_is(&self, node: &Value, n: usize) -> String {
        match line_of(node, "name") {
            Some(name) => format!("page {}, \"{name}\"", self.url),
            None => format!(
                "page {}, {} {n}",
                self.url,
                type_of(node).unwrap_or_else(|| "node".into())
            ),
        }
    }

    /// The organiser named on the node, or the host it was listed under, or the page's
    /// organisation. A provider's own site is its website when it names no other.
    fn provider(&self, node: &Value, host: Option<&Value>) -> Option<ProviderDraft> {
        let named = ["organizer", "provider"].iter().find_map(|k| {
            many(get(node, k))
                .into_iter()
                .find_map(|o| schemaorg::organisation(self.resolve(o), true))
        });
        named
            .or_else(|| host.and_then(|h| schemaorg::organisation(h, true)))
            .or_else(|| {
                let mut p = schemaorg::organisation(self.organisation?, true)?;
                if p.website.is_none() {
                    p.website = web_url(Some(&Value::String(self.base.to_owned())));
                }
                Some(p)
            })
    }

    fn event_entry(
        &self,
        node: &Value,
        host: Option<&Value>,
        n: usize,
        ids: &mut SourceIds,
    ) -> Entry {
        let at = self.where_is(node, n);
        let reject = |reason: &str| Entry::Rejected(Rejection::new(at.clone(), reason));
        let problems = schemaorg::problems(node);
        if !problems.is_empty() {
            return reject(&problems.join("; "));
        }
        let Some(title) = line_of(node, "name") else {
            return reject("has no name");
        };
        let Some(provider) = self.provider(node, host) else {
            return reject("names no organiser");
        };

        let places = many(get(node, "location"));
        let attendance = raw_str(node, "eventAttendanceMode")
            .map(|m| schemaorg::short_name(&m).to_ascii_lowercase());
        let online = attendance
            .as_deref()
            .is_some_and(|m| m.starts_with("online") || m.starts_with("mixed"))
            || places.iter().any(|p| has_type(p, &["VirtualLocation"]));
        let venues = match venues(&places) {
            Ok(v) => v,
            Err(reason) => return reject(&reason),
        };
        if venues.is_empty() && !online {
            return reject(
                "has no venue with a location: its place needs coordinates or a postcode",
            );
        }
        let Some((terms, found)) = categorise(node, &title) else {
            return reject(NO_CATEGORY);
        };

        let mut schedule = schemaorg::event_schedule(
            node,
            (
                schemaorg::date_of(node, "startDate"),
                schemaorg::date_of(node, "endDate"),
            ),
        );
        for sub in many(get(node, "subEvent")) {
            if let Some(d) = schemaorg::dated_session(self.resolve(sub)) {
                schedule.dated.push(d);
            }
        }
        // An event with no pattern of sessions is one session, on its own dates.
        if get(node, "eventSchedule").is_none()
            && let Some(d) = schemaorg::dated_session(node)
        {
            schedule.dated.push(d);
        }
        schemaorg::tidy(&mut schedule);

        let source_id = self.source_id(node, &title, ids);
        Entry::Item(Box::new(Draft {
            source_id,
            activity: self.activity(
                node, title, terms, found, schedule, venues, online, &provider,
            ),
            provider,
        }))
    }

    fn hours_entry(&self, node: &Value, n: usize, ids: &mut SourceIds) -> Entry {
        let at = self.where_is(node, n);
        let reject = |reason: &str| Entry::Rejected(Rejection::new(at.clone(), reason));
        let Some(title) = line_of(node, "name") else {
            return reject("has opening hours but no name");
        };
        // The place is the node itself (a LocalBusiness has its own address), else its location.
        let mut places = vec![node];
        places.extend(many(get(node, "location")));
        let venues = match venues(&places) {
            Ok(v) => v,
            Err(reason) => return reject(&reason),
        };
        let Some(venue) = venues.into_iter().next() else {
            return reject(
                "has opening hours but no address with a postcode or coordinates, so it cannot be placed",
            );
        };
        let provider = if is_organisation(node) {
            schemaorg::organisation(node, true)
        } else {
            self.provider(node, None)
        };
        let Some(provider) = provider else {
            return reject("names no organiser");
        };
        let schedule = schemaorg::opening_hours(node);
        if schedule.is_empty() {
            return reject(
                "its opening hours could not be read: write them like \"Mo-Fr 09:00-17:00\"",
            );
        }
        let Some((terms, found)) = categorise(node, &title) else {
            return reject(NO_CATEGORY);
        };
        let source_id = self.source_id(node, &title, ids);
        Entry::Item(Box::new(Draft {
            source_id,
            activity: self.activity(
                node,
                title,
                terms,
                found,
                schedule,
                vec![venue],
                false,
                &provider,
            ),
            provider,
        }))
    }

    /// The parts of a listing read the same way for events and opening hours.
    #[allow(clippy::too_many_arguments)]
    fn activity(
        &self,
        node: &Value,
        title: String,
        terms: Vec<String>,
        found: Vec<signpost_model::Category>,
        schedule: Schedule,
        venues: Vec<crate::VenueDraft>,
        online: bool,
        provider: &ProviderDraft,
    ) -> ActivityDraft {
        let offers: Vec<&Value> = many(get(node, "offers"))
            .into_iter()
            .map(|o| self.resolve(o))
            .collect();
        let mut access_words = schemaorg::access_labels(node);
        for place in many(get(node, "location")) {
            access_words.extend(schemaorg::access_labels(place));
        }
        let offer_url = offers.iter().find_map(|o| web_url(get(o, "url")));
        let mut join = HowToJoin::default();
        if offer_url.is_some() {
            join.methods.push(JoinMethod::Booking);
        }
        join.contact.url = web_url(get(node, "url"))
            .or(offer_url)
            .or_else(|| web_url(Some(&Value::String(self.url.to_owned()))));
        join.contact.email =
            schemaorg::email(get(node, "email")).or_else(|| provider.email.clone());
        join.contact.phone =
            schemaorg::phone(get(node, "telephone")).or_else(|| provider.phone.clone());

        let mut a = ActivityDraft::titled(title);
        a.description = raw_str(node, "description")
            .map(|d| text::plain(&d))
            .unwrap_or_default();
        a.categories = found;
        a.terms = terms;
        a.ages = schemaorg::ages(node);
        a.gender = schemaorg::gender(node).unwrap_or_default();
        a.cost = schemaorg::cost(&offers, flag(get(node, "isAccessibleForFree")));
        a.schedule = schedule;
        a.venues = venues;
        a.online = online;
        a.access = schemaorg::access(&access_words);
        a.join = join;
        a.updated = raw_str(node, "dateModified").and_then(|s| schemaorg::instant(&s));
        a
    }
}

/// Websites cover every kind of activity, not only sport, so there is no safe default: a
/// listing filed under the wrong category misleads more than one that is sent back. The
/// provider can fix it by adding `keywords` to the page.
const NO_CATEGORY: &str = "no category could be matched; add keywords (e.g. \"football, youth club\") to the page's JSON-LD";

/// Terms from `about` (names or text) and `keywords` (comma-separated text or a list), then
/// categories from those terms, else from the title. `None` when nothing matches.
fn categorise(node: &Value, title: &str) -> Option<(Vec<String>, Vec<signpost_model::Category>)> {
    let mut terms = labels(get(node, "about"));
    for k in many(get(node, "keywords")) {
        let words = match k {
            Value::String(s) => s.split(',').map(text::line).collect::<Vec<_>>(),
            other => labels(Some(other)),
        };
        for w in words {
            if !w.is_empty() && !terms.contains(&w) {
                terms.push(w);
            }
        }
    }
    let found = categories::from_terms(&terms, title);
    (!found.is_empty()).then_some((terms, found))
}

fn venues(places: &[&Value]) -> Result<Vec<crate::VenueDraft>, String> {
    let mut out = Vec::new();
    for place in places {
        if let Some(v) = schemaorg::venue(place)?
            && !out.contains(&v)
        {
            out.push(v);
        }
    }
    Ok(out)
}

/// "Under 11s Football!" → "under-11s-football".
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.chars().count() >= 60 {
            break;
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "item".to_owned()
    } else {
        out.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;
    use serde_json::json;
    use signpost_model::{Category, DatedSession, SessionTime};

    fn t(s: &str) -> SessionTime {
        SessionTime::parse(s).unwrap()
    }

    fn item(e: &Entry) -> &Draft {
        match e {
            Entry::Item(d) => d,
            other => panic!("expected an item, got {other:?}"),
        }
    }

    fn rejection(e: &Entry) -> &Rejection {
        match e {
            Entry::Rejected(r) => r,
            other => panic!("expected a rejection, got {other:?}"),
        }
    }

    fn page(blocks: &[&str]) -> String {
        let mut html = String::from("<!doctype html><html><head><title>Club</title>\n");
        for b in blocks {
            html.push_str(b);
            html.push('\n');
        }
        html.push_str(
            "</head><body><p>Hello &amp; welcome</p><script>var x = '<b>';</script></body></html>",
        );
        html
    }

    #[test]
    fn blocks_are_found_by_type_in_any_case_and_order() {
        let html = page(&[
            r#"<script type="application/ld+json">{"@type": "Event", "name": "A <b>tag</b> inside"}</script>"#,
            r#"<SCRIPT id="x" TYPE="Application/LD+JSON; charset=utf-8">[{"@type": "Thing"}]</SCRIPT>"#,
            r#"<script type="text/javascript">{"@type": "NotMe"}</script>"#,
            r#"<script type='application/ld+json'>  </script>"#,
            "<script type=\"application/ld+json\"><!--\n{\"@type\": \"Old\"}\n--></script>",
        ]);
        let found = blocks(&html);
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].as_ref().unwrap()["name"], "A <b>tag</b> inside");
        assert_eq!(found[1].as_ref().unwrap()[0]["@type"], "Thing");
        assert_eq!(found[2].as_ref().unwrap()["@type"], "Old");
    }

    #[test]
    fn nodes_from_object_array_and_graph() {
        assert_eq!(nodes(&json!({"@type": "Event"})).len(), 1);
        assert_eq!(
            nodes(&json!([{"@type": "Event"}, {"@type": "Place"}, {"no": "type"}])).len(),
            2
        );
        let g = json!({"@context": "https://schema.org", "@graph": [
            {"@type": "WebPage"},
            {"@graph": [{"@type": "Event"}, {"@type": "NGO"}]}
        ]});
        let ns = nodes(&g);
        let ts: Vec<String> = ns.iter().filter_map(type_of).collect();
        assert_eq!(ts, vec!["WebPage", "Event", "NGO"]);
        assert!(nodes(&json!("text")).is_empty());
    }

    const CLUB: &str = r##"<script type="application/ld+json">
    {"@context": "https://schema.org", "@graph": [
      {"@type": "NGO", "@id": "https://hullyouth.org.uk/#org", "name": "Hull Youth Project",
       "url": "https://hullyouth.org.uk/", "email": "hello@hullyouth.org.uk",
       "identifier": {"@type": "PropertyValue", "propertyID": "Registered charity number", "value": "1123456"}},
      {"@type": "Place", "@id": "#hall", "name": "St Mary's Hall",
       "address": {"@type": "PostalAddress", "streetAddress": "1 Church Lane", "addressLocality": "Hull", "postalCode": "HU5 3AB"},
       "geo": {"@type": "GeoCoordinates", "latitude": "53.76", "longitude": "-0.37"}},
      {"@type": "SportsEvent", "name": "Girls&#39; Football <em>Taster</em>",
       "description": "<p>Come along!</p>", "keywords": "football, girls",
       "startDate": "2026-03-07T10:00:00+00:00", "endDate": "2026-03-07T11:30:00+00:00",
       "location": {"@id": "#hall"}, "organizer": {"@id": "https://hullyouth.org.uk/#org"},
       "typicalAgeRange": "11-16", "isAccessibleForFree": true,
       "audience": {"@type": "PeopleAudience", "requiredGender": "female"},
       "offers": {"@type": "Offer", "price": 0, "url": "https://hullyouth.org.uk/book"}},
      {"@type": "EventSeries", "name": "Youth Club", "about": [{"@type": "Thing", "name": "Youth club"}],
       "location": {"@id": "#hall"},
       "eventSchedule": {"@type": "Schedule", "byDay": ["https://schema.org/Tuesday", "http://schema.org/Friday"],
                         "startTime": "18:30", "endTime": "21:00", "repeatFrequency": "P1W"},
       "offers": [{"@type": "Offer", "price": "1.50", "priceCurrency": "GBP"}]}
    ]}
    </script>"##;

    #[test]
    fn events_in_a_graph_become_listings() {
        let entries = read_page("https://hullyouth.org.uk/whats-on", &page(&[CLUB]));
        assert_eq!(entries.len(), 2, "{entries:?}");

        let football = item(&entries[0]);
        assert_eq!(
            football.source_id,
            "https://hullyouth.org.uk/whats-on#girls-football-taster"
        );
        let a = &football.activity;
        assert_eq!(a.title, "Girls' Football Taster");
        assert_eq!(a.description, "Come along!");
        assert_eq!(a.terms, vec!["football", "girls"]);
        assert_eq!(a.categories, vec![Category::Sport]);
        assert_eq!(
            a.ages.map(|r| (r.min_years(), r.max_years())),
            Some((11, 16))
        );
        assert_eq!(a.gender, signpost_model::Gender::Girls);
        assert!(a.cost.free);
        assert_eq!(
            a.schedule.dated,
            vec![DatedSession {
                date: "2026-03-07".parse().unwrap(),
                start: t("10:00"),
                end: t("11:30"),
            }]
        );
        assert_eq!(a.venues[0].name, "St Mary's Hall");
        assert_eq!(
            a.venues[0].postcode.as_ref().unwrap().to_string(),
            "HU5 3AB"
        );
        assert_eq!(a.join.methods, vec![JoinMethod::Booking]);
        assert_eq!(
            a.join.contact.url.as_deref(),
            Some("https://hullyouth.org.uk/book")
        );
        assert_eq!(
            a.join.contact.email.as_deref(),
            Some("hello@hullyouth.org.uk")
        );
        let p = &football.provider;
        assert_eq!(p.name, "Hull Youth Project");
        assert_eq!(p.charity_number.as_deref(), Some("1123456"));
        assert_eq!(
            p.source_id.as_deref(),
            Some("https://hullyouth.org.uk/#org")
        );

        // The series names no organiser: the page's organisation runs it.
        let club = item(&entries[1]);
        assert_eq!(club.provider.name, "Hull Youth Project");
        assert_eq!(club.activity.categories, vec![Category::YouthClub]);
        let days: Vec<Weekday> = club
            .activity
            .schedule
            .weekly
            .iter()
            .map(|w| w.day)
            .collect();
        assert_eq!(days, vec![Weekday::Tue, Weekday::Fri]);
        assert_eq!(club.activity.cost.price_pence, Some(150));
        assert_eq!(
            club.activity.join.contact.url.as_deref(),
            Some("https://hullyouth.org.uk/whats-on")
        );
        assert!(club.activity.join.methods.is_empty());
    }

    #[test]
    fn a_bad_block_is_reported_and_the_rest_counts() {
        let html = page(&[
            "<script type=\"application/ld+json\">{\"@type\": \"Event\",, }</script>",
            CLUB,
        ]);
        let entries = read_page("https://hullyouth.org.uk/", &html);
        assert_eq!(entries.len(), 3);
        let r = rejection(&entries[0]);
        assert_eq!(r.at, "page https://hullyouth.org.uk/");
        assert!(
            r.reason.starts_with(
                "a JSON-LD block is not valid JSON (block 1 on the page): line 1 column"
            ),
            "{}",
            r.reason
        );
        assert!(matches!(entries[1], Entry::Item(_)));
    }

    #[test]
    fn line_breaks_inside_strings_are_forgiven() {
        let html = page(&[
            "<script type=\"application/ld+json\">{\"@type\": \"Event\", \"name\": \"Two\nlines\"}</script>",
        ]);
        let b = blocks(&html);
        assert_eq!(b[0].as_ref().unwrap()["name"], "Two lines");
    }

    #[test]
    fn events_in_an_array_with_a_string_address() {
        let html = page(&[r#"<script type="application/ld+json">[
            {"@type": "Organization", "name": "Art Space", "taxID": "1098765"},
            {"@type": "Event", "@id": "https://artspace.org/events/7", "name": "Drawing club",
             "location": "Art Space, 4 Quay St, Bristol BS1 4SD",
             "eventSchedule": {"byDay": "Saturday", "startTime": "10:00:00", "endTime": "12:00:00"},
             "audience": {"@type": "PeopleAudience", "suggestedMinAge": 8, "suggestedMaxAge": 12}}
        ]</script>"#]);
        let entries = read_page("https://artspace.org/", &html);
        let d = item(&entries[0]);
        assert_eq!(d.source_id, "https://artspace.org/events/7");
        assert_eq!(
            d.activity.categories,
            vec![Category::ArtsCrafts],
            "from the title"
        );
        assert_eq!(d.activity.venues[0].name, "Art Space");
        assert_eq!(
            d.activity.venues[0].postcode.as_ref().unwrap().to_string(),
            "BS1 4SD"
        );
        assert_eq!(
            d.activity.ages.map(|r| (r.min_years(), r.max_years())),
            Some((8, 12))
        );
        assert_eq!(d.provider.charity_number.as_deref(), Some("1098765"));
        assert_eq!(
            d.provider.website.as_deref(),
            Some("https://artspace.org/"),
            "the page is its site"
        );
        assert_eq!(d.activity.schedule.weekly[0].day, Weekday::Sat);
    }

    #[test]
    fn events_the_page_cannot_place_or_file_are_refused() {
        let html = page(&[r#"<script type="application/ld+json">[
            {"@type": "NGO", "name": "Org"},
            {"@type": "Event", "name": "Mystery evening", "location": {"@type": "Place", "name": "Hall", "address": {"postalCode": "HU5 3AB"}}},
            {"@type": "Event", "name": "Football", "location": {"@type": "Place", "name": "Nowhere"}},
            {"@type": "Event", "name": "Football", "location": {"@type": "Place", "geo": {"latitude": 91, "longitude": 0}}},
            {"@type": "Event", "location": {"@type": "Place", "address": {"postalCode": "HU5 3AB"}}},
            {"@type": "Event", "name": "Online coding club", "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode"}
        ]</script>"#]);
        let entries = read_page("https://x.org/", &html);
        assert_eq!(entries.len(), 5);
        assert!(
            rejection(&entries[0])
                .reason
                .starts_with("no category could be matched; add keywords")
        );
        assert_eq!(
            rejection(&entries[0]).at,
            "page https://x.org/, \"Mystery evening\""
        );
        assert!(
            rejection(&entries[1])
                .reason
                .starts_with("has no venue with a location")
        );
        assert!(
            rejection(&entries[2])
                .reason
                .starts_with("latitude 91 is out of range")
        );
        assert_eq!(rejection(&entries[3]).reason, "has no name");
        assert_eq!(rejection(&entries[3]).at, "page https://x.org/, Event 4");
        let online = item(&entries[4]);
        assert!(online.activity.online);
        assert_eq!(online.activity.categories, vec![Category::SkillsLearning]);
    }

    #[test]
    fn same_named_events_get_distinct_ids() {
        let html = page(&[r#"<script type="application/ld+json">[
            {"@type": "SportsClub", "name": "FC", "address": {"postalCode": "HU5 3AB"}},
            {"@type": "SportsEvent", "name": "Football", "location": {"address": {"postalCode": "HU5 3AB"}}},
            {"@type": "SportsEvent", "name": "Football", "location": {"address": {"postalCode": "HU5 3AB"}}}
        ]</script>"#]);
        let entries = read_page("https://fc.org/#top", &html);
        let ids: Vec<&str> = entries.iter().map(|e| item(e).source_id.as_str()).collect();
        assert_eq!(
            ids,
            vec!["https://fc.org/#football", "https://fc.org/#football-2"]
        );
    }

    #[test]
    fn a_place_with_opening_hours_becomes_one_listing() {
        let html = page(&[r#"<script type="application/ld+json">
            {"@context": "https://schema.org", "@type": ["LocalBusiness", "CommunityCenter"],
             "name": "Orchard Park Youth Centre", "keywords": ["youth centre", "pool table"],
             "telephone": "01482 111111",
             "address": {"@type": "PostalAddress", "streetAddress": "Courtway Road", "addressLocality": "Hull", "postalCode": "HU6 9TA"},
             "openingHoursSpecification": [
               {"@type": "OpeningHoursSpecification", "dayOfWeek": ["Monday", "Wednesday"], "opens": "17:00", "closes": "21:00"},
               {"@type": "OpeningHoursSpecification", "dayOfWeek": "https://schema.org/Friday", "opens": "19:00", "closes": "01:00"}
             ]}
        </script>"#]);
        let entries = read_page("https://opyc.org.uk/", &html);
        assert_eq!(entries.len(), 1);
        let d = item(&entries[0]);
        assert_eq!(d.activity.title, "Orchard Park Youth Centre");
        assert_eq!(d.provider.name, "Orchard Park Youth Centre");
        assert_eq!(d.activity.categories, vec![Category::YouthClub]);
        assert_eq!(d.activity.venues[0].address, "Courtway Road, Hull");
        assert_eq!(
            d.activity.join.contact.phone.as_deref(),
            Some("01482 111111")
        );
        assert_eq!(
            d.activity.schedule.to_lines(),
            "monday 17:00-21:00\nwednesday 17:00-21:00\nfriday 19:00-01:00"
        );
    }

    #[test]
    fn opening_hours_text_form_on_an_organisation_at_a_place() {
        let html = page(&[r##"<script type="application/ld+json">{"@graph": [
            {"@type": "Organization", "@id": "#org", "name": "Sea Scouts Trust", "openingHours": "Tu,Th 18:30-20:00",
             "location": {"@id": "#hut"}},
            {"@type": "Place", "@id": "#hut", "name": "The Scout Hut", "geo": {"latitude": 53.75, "longitude": -0.33}}
        ]}</script>"##]);
        let entries = read_page("https://scouts.example.org/", &html);
        assert_eq!(entries.len(), 1, "{entries:?}");
        let d = item(&entries[0]);
        assert_eq!(d.source_id, "https://scouts.example.org/#org");
        assert_eq!(
            d.activity.categories,
            vec![Category::Outdoors],
            "'scouts' in the title"
        );
        assert_eq!(d.activity.venues[0].name, "The Scout Hut");
        assert_eq!(
            d.activity.schedule.to_lines(),
            "tuesday 18:30-20:00\nthursday 18:30-20:00"
        );
    }

    #[test]
    fn opening_hours_are_ignored_when_the_page_has_events_and_need_a_place() {
        let with_event = page(&[r#"<script type="application/ld+json">[
            {"@type": "SportsClub", "name": "FC", "openingHours": "Mo 10:00-12:00", "address": {"postalCode": "HU5 3AB"}},
            {"@type": "SportsEvent", "name": "Football", "location": {"address": {"postalCode": "HU5 3AB"}}}
        ]</script>"#]);
        let entries = read_page("https://fc.org/", &with_event);
        assert_eq!(entries.len(), 1);
        assert_eq!(item(&entries[0]).activity.title, "Football");

        let nowhere = page(&[
            r#"<script type="application/ld+json">{"@type": "Organization", "name": "Football club", "openingHours": "Mo 10:00-12:00"}</script>"#,
        ]);
        let entries = read_page("https://fc.org/", &nowhere);
        assert!(rejection(&entries[0]).reason.contains("cannot be placed"));

        // A page with nothing to list gives nothing.
        assert!(read_page("https://x.org/", "<html><body>Hi</body></html>").is_empty());
        assert!(read_page("https://x.org/", "").is_empty());
    }

    #[test]
    fn cut_or_mangled_pages_never_panic() {
        let html = page(&[CLUB]);
        for cut in (0..html.len()).filter(|i| html.is_char_boundary(*i)) {
            let _ = read_page("https://x.org/", &html[..cut]);
        }
        let start = CLUB.find('{').unwrap();
        let end = CLUB.rfind('}').unwrap();
        let graph: Value = serde_json::from_str(&CLUB[start..=end]).unwrap();
        let odd = [
            json!(null),
            json!(true),
            json!(0),
            json!(-1.5),
            json!(1e300),
            json!(""),
            json!("x"),
            json!("#org"),
            json!("#hall"),
            json!([]),
            json!({}),
            json!([1, "a", {}, null]),
            json!({"@id": "#hall"}),
            json!({"@id": "https://hullyouth.org.uk/#org"}),
        ];
        let mut stack = vec![(String::new(), &graph)];
        let mut ptrs = Vec::new();
        while let Some((at, v)) = stack.pop() {
            ptrs.push(at.clone());
            match v {
                Value::Object(o) => stack.extend(o.iter().map(|(k, x)| {
                    (
                        format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                        x,
                    )
                })),
                Value::Array(a) => {
                    stack.extend(a.iter().enumerate().map(|(i, x)| (format!("{at}/{i}"), x)))
                }
                _ => {}
            }
        }
        for ptr in ptrs.iter().skip(1) {
            for o in &odd {
                let mut m = graph.clone();
                if let Some(slot) = m.pointer_mut(ptr) {
                    *slot = o.clone();
                }
                let block = format!("<script type=\"application/ld+json\">{m}</script>");
                let _ = read_page("https://x.org/#a", &page(&[&block]));
            }
        }
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Under 11s Football!"), "under-11s-football");
        assert_eq!(slug("  ---  "), "item");
        assert_eq!(slug("Café Ça"), "café-ça");
        assert!(slug(&"a".repeat(500)).len() <= 60);
    }
}
