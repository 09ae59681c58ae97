//! OpenActive: RPDE feed pages, and opportunity data (SessionSeries, ScheduledSession, Event,
//! CourseInstance, ...) mapped into draft listings.
//!
//! An RPDE page is read tolerantly: one malformed item is reported on its own and the rest of
//! the page still counts. Opportunity data inherits: a ScheduledSession's series, a
//! SessionSeries' EventSeries, a CourseInstance's Course may each hold the name, organiser,
//! place or ages, so fields missing on the item are looked for up that chain.
//!
//! Sessions published in a separate ScheduledSession feed refer to their series by id; joining
//! the two feeds is the ingester's job ([`parent_of`] finds the series id, [`map_opportunity`]
//! takes the series with its sessions).

use std::fmt;

use chrono::NaiveDate;
use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde_json::Value;
use signpost_model::{Category, HowToJoin, JoinMethod};

use crate::schemaorg::{
    self, flag, get, id_of, json_error, labels, many, raw_str, short_name, type_of, web_url,
};
use crate::{ActivityDraft, Draft, Entry, Rejection, categories, text};

// ---------------------------------------------------------------------------------------------
// RPDE pages

/// One page of an RPDE feed.
#[derive(Clone, Debug, PartialEq)]
pub struct RpdePage {
    /// The URL of the next page, exactly as given.
    pub next: String,
    pub items: Vec<RpdeItem>,
    pub license: Option<String>,
    /// Items too malformed to use (no id, an unknown state...), each with where and why. They
    /// do not stop the rest of the page.
    pub bad_items: Vec<Rejection>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RpdeItem {
    /// The item id, kept as text whether the feed wrote a number or a string.
    pub id: String,
    pub state: ItemState,
    pub kind: Option<String>,
    pub modified: Modified,
    /// The opportunity; absent for deleted items.
    pub data: Option<Value>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemState {
    Updated,
    Deleted,
}

/// An item's `modified` value, as the feed wrote it: seconds, milliseconds, .NET ticks or a
/// string. Never a float: ticks such as 637884288000000000 are beyond what an f64 holds
/// exactly, and a feed's paging breaks if the value changes on the way back.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Modified {
    Int(i64),
    Text(String),
}

impl Modified {
    /// The value as text, for an `afterTimestamp` parameter or a log.
    pub fn as_text(&self) -> String {
        match self {
            Modified::Int(n) => n.to_string(),
            Modified::Text(s) => s.clone(),
        }
    }
}

impl fmt::Display for Modified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_text())
    }
}

impl<'de> Deserialize<'de> for Modified {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ModifiedVisitor;

        impl Visitor<'_> for ModifiedVisitor {
            type Value = Modified;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a whole number or a string")
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Modified, E> {
                Ok(Modified::Int(v))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Modified, E> {
                i64::try_from(v)
                    .map(Modified::Int)
                    .map_err(|_| E::custom(format!("{v} is too large for a modified value")))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Modified, E> {
                Err(E::custom(format!(
                    "{v} is not a whole number: RPDE `modified` values are integers or strings"
                )))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Modified, E> {
                Ok(Modified::Text(v.to_owned()))
            }
        }

        d.deserialize_any(ModifiedVisitor)
    }
}

/// Reads one RPDE page. The page itself must be JSON with a `next` URL and an `items` list;
/// items that cannot be read go to [`RpdePage::bad_items`].
pub fn parse_page(text: &str) -> Result<RpdePage, String> {
    let v: Value = serde_json::from_str(text)
        .map_err(|e| format!("the feed page is not JSON: {}", json_error(&e)))?;
    let Value::Object(page) = &v else {
        return Err(
            "the feed page is not a JSON object: an RPDE page looks like {\"next\": ..., \"items\": [...]}"
                .to_owned(),
        );
    };
    let next = page
        .get("next")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or("the page has no `next` URL")?
        .to_owned();
    let license = page
        .get("license")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let raw_items = page
        .get("items")
        .and_then(Value::as_array)
        .ok_or("the page has no `items` list")?;
    let mut items = Vec::new();
    let mut bad_items = Vec::new();
    for (n, raw) in raw_items.iter().enumerate() {
        let id = raw.get("id").and_then(item_id);
        match parse_item(raw, id.clone()) {
            Ok(item) => items.push(item),
            Err(reason) => {
                let at = match id {
                    Some(id) => format!("item {id}"),
                    None => format!("item {} on the page", n + 1),
                };
                bad_items.push(Rejection::new(at, reason));
            }
        }
    }
    Ok(RpdePage {
        next,
        items,
        license,
        bad_items,
    })
}

fn item_id(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn parse_item(raw: &Value, id: Option<String>) -> Result<RpdeItem, String> {
    if !raw.is_object() {
        return Err("is not a JSON object".to_owned());
    }
    let id = id.ok_or("has no `id`")?;
    let state = match raw.get("state").and_then(Value::as_str) {
        None => return Err("has no `state`".to_owned()),
        Some(s) if s.trim().eq_ignore_ascii_case("updated") => ItemState::Updated,
        Some(s) if s.trim().eq_ignore_ascii_case("deleted") => ItemState::Deleted,
        Some(s) => {
            let shown: String = s.chars().take(20).collect();
            return Err(format!(
                "has state '{shown}': it should be 'updated' or 'deleted'"
            ));
        }
    };
    let kind = raw
        .get("kind")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    let modified = match raw.get("modified") {
        None | Some(Value::Null) => return Err("has no `modified` value".to_owned()),
        Some(m) => Modified::deserialize(m).map_err(|e| format!("its `modified` value: {e}"))?,
    };
    let data = raw.get("data").filter(|d| !d.is_null()).cloned();
    if state == ItemState::Updated && data.is_none() {
        return Err("is 'updated' but carries no data".to_owned());
    }
    Ok(RpdeItem {
        id,
        state,
        kind,
        modified,
        data,
    })
}

// ---------------------------------------------------------------------------------------------
// Feed discovery

/// The RPDE feed URLs a dataset site lists, from its JSON-LD nodes (`distribution[].contentUrl`).
pub fn dataset_feeds(nodes: &[Value]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for node in nodes {
        for d in many(get(node, "distribution")) {
            for url in many(get(d, "contentUrl")) {
                if let Some(u) = web_url(Some(url)).map(String::from)
                    && !out.contains(&u)
                {
                    out.push(u);
                }
            }
        }
    }
    out
}

/// The dataset sites a data catalog lists: `hasPart` (a catalog of catalogs) and `dataset`
/// (a catalog of dataset sites), as URLs or nodes with an `@id`/`url`.
pub fn catalog_links(nodes: &[Value]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for node in nodes {
        for key in ["hasPart", "dataset"] {
            for link in many(get(node, key)) {
                let url = match link {
                    Value::Object(_) => id_of(link)
                        .and_then(|i| web_url(Some(&Value::String(i))))
                        .or_else(|| web_url(get(link, "url")))
                        .map(String::from),
                    other => web_url(Some(other)).map(String::from),
                };
                if let Some(u) = url
                    && !out.contains(&u)
                {
                    out.push(u);
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Opportunity data

/// The series a ScheduledSession belongs to (its `superEvent`), or the facility a Slot books
/// (its `facilityUse`): a reference by id, or the whole thing embedded.
#[derive(Clone, Debug, PartialEq)]
pub enum Parent {
    Ref(String),
    Embedded(Value),
}

pub fn parent_of(data: &Value) -> Option<Parent> {
    let p = ["superEvent", "facilityUse", "aggregateFacilityUse"]
        .iter()
        .find_map(|k| get(data, k))?;
    match many(Some(p)).into_iter().next()? {
        Value::String(s) => Some(s.trim())
            .filter(|s| !s.is_empty())
            .map(|s| Parent::Ref(s.to_owned())),
        obj @ Value::Object(o) => {
            let substantive = o
                .keys()
                .any(|k| !matches!(k.as_str(), "@id" | "id" | "@type" | "type" | "@context"));
            if substantive {
                Some(Parent::Embedded(obj.clone()))
            } else {
                id_of(obj).map(Parent::Ref)
            }
        }
        _ => None,
    }
}

/// Maps one RPDE item: a deletion, or its data through [`map_item`] (the item's `kind` stands
/// in for a missing `@type`).
pub fn map_rpde_item(item: &RpdeItem) -> Entry {
    match (item.state, &item.data) {
        (ItemState::Deleted, _) => Entry::Deleted {
            source_id: item.id.clone(),
        },
        (ItemState::Updated, Some(data)) => dispatch(&item.id, data, item.kind.as_deref()),
        (ItemState::Updated, None) => rejected(&item.id, "is 'updated' but carries no data"),
    }
}

/// Maps one item's data. A ScheduledSession with its series embedded becomes that series with
/// this session; one that only names its series waits for the ingester to join it; anything
/// else goes to [`map_opportunity`].
pub fn map_item(item_id: &str, data: &Value) -> Entry {
    dispatch(item_id, data, None)
}

fn dispatch(item_id: &str, data: &Value, kind: Option<&str>) -> Entry {
    let ty = type_of(data).or_else(|| kind.map(kind_type));
    let Some(ty) = ty else {
        return rejected(
            item_id,
            "has no @type (or type) and its feed gives no kind, so it is not clear what it describes",
        );
    };
    if ty == "ScheduledSession" {
        match parent_of(data) {
            Some(Parent::Embedded(series)) => {
                let id = id_of(&series).unwrap_or_else(|| item_id.to_owned());
                let series_type = type_of(&series).unwrap_or_else(|| "SessionSeries".to_owned());
                // Refusals name the item as the feed does, so it can be found there.
                return map_typed(
                    item_id,
                    &id,
                    &series,
                    &series_type,
                    std::slice::from_ref(data),
                );
            }
            Some(Parent::Ref(id)) => {
                return rejected(item_id, format!("waits for its series {id}"));
            }
            // A session with no series at all is an event in its own right.
            None => {}
        }
    }
    map_typed(item_id, item_id, data, &ty, &[])
}

/// `SessionSeries.ScheduledSession` → `SessionSeries`; `IndividualFacilityUse/Slot` →
/// `IndividualFacilityUse`.
fn kind_type(kind: &str) -> String {
    let first = kind.split(['.', '/']).next().unwrap_or(kind);
    short_name(first).to_owned()
}

/// Maps a SessionSeries, EventSeries, HeadlineEvent, Event, CourseInstance or OnDemandEvent
/// into a draft listing. `sessions` are ScheduledSession data objects (from another feed) that
/// belong to it; each adds a dated session, as do its embedded `subEvent`s.
pub fn map_opportunity(source_id: &str, data: &Value, sessions: &[Value]) -> Entry {
    match type_of(data) {
        Some(ty) => map_typed(source_id, source_id, data, &ty, sessions),
        None => rejected(
            source_id,
            "has no @type (or type), so it is not clear what it describes",
        ),
    }
}

/// Why a type is not a listing, for the types feeds publish that are not activities.
fn not_an_activity(ty: &str) -> Option<String> {
    let reason = match ty {
        "FacilityUse" | "IndividualFacilityUse" => {
            format!("{ty} is a facility booking, not an activity")
        }
        "Slot" => "Slot is a time to book a facility, not an activity".to_owned(),
        "Place" | "SportsActivityLocation" => format!("{ty} is a venue, not an activity"),
        "Organization" | "Person" => format!("{ty} is an organiser, not an activity"),
        _ => return None,
    };
    Some(reason)
}

/// Types that describe something a person joins.
fn is_activity_type(ty: &str) -> bool {
    matches!(
        ty,
        "SessionSeries" | "EventSeries" | "CourseInstance" | "Course" | "ScheduledSession"
    ) || ty.ends_with("Event")
}

/// Types whose own `startDate`/`endDate` are one session, not the dates a series runs between.
fn is_single_occasion(ty: &str) -> bool {
    ty == "ScheduledSession" || (ty.ends_with("Event") && ty != "OnDemandEvent")
}

fn rejected(item_id: &str, reason: impl Into<String>) -> Entry {
    Entry::Rejected(Rejection::new(format!("item {item_id}"), reason))
}

/// The item and what it inherits from: its embedded `superEvent`s (a series, the series'
/// EventSeries), their `instanceOfCourse`, and finally a session of it, whose own copy of a
/// field is the last resort.
struct Layers<'a> {
    all: Vec<&'a Value>,
}

impl<'a> Layers<'a> {
    fn new(data: &'a Value, session: Option<&'a Value>) -> Self {
        let mut all = vec![data];
        let mut current = data;
        for _ in 0..3 {
            match get(current, "superEvent") {
                Some(p) if p.is_object() => {
                    all.push(p);
                    current = p;
                }
                _ => break,
            }
        }
        let courses: Vec<&Value> = all
            .iter()
            .filter_map(|v| get(v, "instanceOfCourse"))
            .filter(|c| c.is_object())
            .collect();
        all.extend(courses);
        all.extend(session);
        Layers { all }
    }

    /// The first layer's value for `key` that says something (not null, not blank, not `[]`).
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.all.iter().find_map(|v| {
            get(v, key).filter(|x| match x {
                Value::String(s) => !s.trim().is_empty(),
                Value::Array(a) => !a.is_empty(),
                _ => true,
            })
        })
    }

    fn find<T>(&self, f: impl Fn(&Value) -> Option<T>) -> Option<T> {
        self.all.iter().find_map(|v| f(v))
    }
}

/// Maps data of type `ty` under `source_id`; refusals are reported at "item `at`".
fn map_typed(at: &str, source_id: &str, data: &Value, ty: &str, sessions: &[Value]) -> Entry {
    if let Some(reason) = not_an_activity(ty) {
        return rejected(at, reason);
    }
    if !is_activity_type(ty) {
        return rejected(at, format!("{ty} is not a kind of activity Signpost lists"));
    }
    let layers = Layers::new(data, sessions.first());
    let mut problems = schemaorg::problems(data);
    problems.extend(sessions.iter().flat_map(schemaorg::problems));
    if !problems.is_empty() {
        return rejected(at, problems.join("; "));
    }

    let Some(title) = layers
        .get("name")
        .and_then(|n| text::some_line(schemaorg::text_of(n).as_deref()))
    else {
        return rejected(at, "has no name");
    };

    // The organiser; failing that, the booking system's `provider`.
    let provider = ["organizer", "provider"].iter().find_map(|key| {
        layers.find(|v| {
            many(get(v, key))
                .into_iter()
                .find_map(|o| schemaorg::organisation(o, false))
        })
    });
    let Some(provider) = provider else {
        return rejected(at, "names no organiser");
    };

    let attendance = layers
        .get("eventAttendanceMode")
        .and_then(schemaorg::text_of)
        .map(|m| short_name(&m).to_ascii_lowercase());
    let offline_only = attendance.as_deref() == Some("offlineeventattendancemode");
    let places = many(layers.get("location"));
    let online = ty == "OnDemandEvent"
        || attendance
            .as_deref()
            .is_some_and(|m| m.starts_with("online") || m.starts_with("mixed"))
        || places
            .iter()
            .any(|p| schemaorg::has_type(p, &["VirtualLocation"]))
        || (!offline_only && layers.get("beta:virtualLocation").is_some());

    let mut venues = Vec::new();
    for place in &places {
        match schemaorg::venue(place) {
            Ok(Some(v)) if !venues.contains(&v) => venues.push(v),
            Ok(_) => {}
            Err(reason) => return rejected(at, reason),
        }
    }
    if venues.is_empty() && !online {
        return rejected(
            at,
            "has no venue with a location: its place needs coordinates or a postcode",
        );
    }

    let mut terms = labels(layers.get("activity"));
    for c in labels(layers.get("category")) {
        if !terms.contains(&c) {
            terms.push(c);
        }
    }
    let mut found = categories::from_terms(&terms, &title);
    if found.is_empty() {
        // OpenActive publishes physical activity: with nothing more specific, it is sport.
        found = vec![Category::Sport];
    }

    let offers = many(layers.get("offers"));
    let cost = schemaorg::cost(&offers, flag(layers.get("isAccessibleForFree")));

    let mut access_words = labels(layers.get("accessibilitySupport"));
    for place in &places {
        access_words.extend(schemaorg::access_labels(place));
    }

    let url = web_url(layers.get("url"));
    let offer_url = offers.iter().find_map(|o| web_url(get(o, "url")));
    let mut join = HowToJoin::default();
    if url.is_some() || offer_url.is_some() {
        join.methods.push(JoinMethod::Booking);
    }
    join.contact.url = url.or(offer_url);
    join.contact.email = provider.email.clone();
    join.contact.phone = provider.phone.clone();

    let range = (
        schemaorg::date_of(data, "startDate"),
        schemaorg::date_of(data, "endDate"),
    );
    let schedule = schedule(data, ty, range, sessions);

    let mut activity = ActivityDraft::titled(title);
    activity.description = layers
        .get("description")
        .and_then(schemaorg::text_of)
        .map(|d| text::plain(&d))
        .unwrap_or_default();
    activity.categories = found;
    activity.terms = terms;
    activity.ages = layers.find(schemaorg::ages);
    activity.gender = layers.find(schemaorg::gender).unwrap_or_default();
    activity.cost = cost;
    activity.schedule = schedule;
    activity.venues = venues;
    activity.online = online;
    activity.access = schemaorg::access(&access_words);
    activity.join = join;
    activity.updated = raw_str(data, "dateModified").and_then(|s| schemaorg::instant(&s));

    Entry::Item(Box::new(Draft {
        source_id: source_id.to_owned(),
        provider,
        activity,
    }))
}

fn schedule(
    data: &Value,
    ty: &str,
    range: (Option<NaiveDate>, Option<NaiveDate>),
    sessions: &[Value],
) -> signpost_model::Schedule {
    let mut s = schemaorg::event_schedule(data, range);
    let embedded = many(get(data, "subEvent"));
    for session in embedded.into_iter().chain(sessions.iter()) {
        if let Some(d) = schemaorg::dated_session(session) {
            s.dated.push(d);
        }
    }
    if is_single_occasion(ty)
        && get(data, "eventSchedule").is_none()
        && let Some(d) = schemaorg::dated_session(data)
    {
        s.dated.push(d);
    }
    schemaorg::tidy(&mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;
    use serde_json::json;
    use signpost_model::{DatedSession, Gender, SessionTime};

    fn samples_dir() -> Option<std::path::PathBuf> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/samples/openactive");
        if dir.is_dir() {
            Some(dir)
        } else {
            eprintln!("skipping: {} does not exist", dir.display());
            None
        }
    }

    /// A sample file as JSON, or `None` (test skipped) when the samples are not on this machine.
    fn sample(name: &str) -> Option<Value> {
        let text = std::fs::read_to_string(samples_dir()?.join(name)).unwrap();
        Some(serde_json::from_str(&text).unwrap())
    }

    /// An fn_* sample (one RPDE item) mapped through its `data`, with its `id` when it has one.
    fn map_sample(name: &str) -> Option<Entry> {
        let item = sample(name)?;
        let id = item
            .get("id")
            .and_then(item_id)
            .unwrap_or_else(|| "sample".into());
        Some(map_item(&id, &item["data"]))
    }

    fn item(e: Entry) -> Draft {
        match e {
            Entry::Item(d) => *d,
            other => panic!("expected an item, got {other:?}"),
        }
    }

    fn reason(e: Entry) -> String {
        match e {
            Entry::Rejected(r) => r.reason,
            other => panic!("expected a rejection, got {other:?}"),
        }
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn t(s: &str) -> SessionTime {
        SessionTime::parse(s).unwrap()
    }

    #[test]
    fn playwaze_session_series() {
        let Some(e) = map_sample("fn_sessionseries.json") else {
            return;
        };
        let draft = item(e);
        assert_eq!(draft.source_id, "jifgh8dinma");
        let a = &draft.activity;
        assert_eq!(
            a.title,
            "No Strings Badminton and coaching Sessions - Thursday evenings 19:00 - 23:00"
        );
        assert!(
            a.description
                .starts_with("Pay and play badminton sessions. Coordinated")
        );
        assert_eq!(a.schedule.weekly.len(), 1);
        let w = &a.schedule.weekly[0];
        assert_eq!(
            (w.day, w.start, w.end),
            (Weekday::Thu, t("19:00"), t("23:00"))
        );
        assert_eq!(
            (w.valid_from, w.valid_to),
            (Some(d("2019-11-21")), Some(d("2020-10-17")))
        );
        assert_eq!(a.venues.len(), 1);
        let c = a.venues[0].coordinates.unwrap();
        assert_eq!((c.lat(), c.lon()), (52.0406224, -0.7594171));
        assert_eq!(
            a.venues[0].name, "Venue",
            "a name made of coordinates is replaced"
        );
        assert!(a.cost.free);
        assert_eq!(a.ages, None, "age not stated");
        assert_eq!(a.terms, vec!["General"]);
        assert_eq!(
            a.categories,
            vec![Category::Sport],
            "from 'Badminton' in the title"
        );
        assert_eq!(a.gender, Gender::Mixed);
        assert!(!a.online);
        assert_eq!(
            draft.provider.name,
            "National Badminton Centre, Milton Keynes"
        );
        assert_eq!(
            draft.provider.source_id.as_deref(),
            Some(
                "https://badmintonengland.playwaze.com/national-badminton-centre-milton-keynes/xdpcp4jkpqzscommunity-details"
            )
        );
        assert!(draft.provider.website.is_some());
        assert_eq!(a.join.methods, vec![JoinMethod::Booking]);
        assert!(
            a.join
                .contact
                .url
                .as_deref()
                .unwrap()
                .ends_with("/groupplaymanager-display/w1uebcxqyx2c4")
        );
    }

    #[test]
    fn except_dates_become_exceptions() {
        let Some(e) = map_sample("fn_sessionseries-with-schedule-exdates.json") else {
            return;
        };
        let a = item(e).activity;
        let w = &a.schedule.weekly[0];
        assert_eq!(
            (w.day, w.start, w.end),
            (Weekday::Thu, t("11:00"), t("14:00"))
        );
        assert_eq!(a.schedule.exceptions, vec![d("2020-07-23")]);
        let Some(e) = map_sample("fn_sessionseries-with-schedule.json") else {
            return;
        };
        assert!(item(e).activity.schedule.exceptions.is_empty());
    }

    #[test]
    fn http_day_names_and_beta_time_zone() {
        let Some(course) = sample("fn_course-schedule-httpday.json") else {
            return;
        };
        let data = &course["data"];
        let range = (
            schemaorg::date_of(data, "startDate"),
            schemaorg::date_of(data, "endDate"),
        );
        let s = schemaorg::event_schedule(data, range);
        assert_eq!(s.weekly.len(), 1);
        let w = &s.weekly[0];
        assert_eq!(
            (w.day, w.start, w.end),
            (Weekday::Fri, t("09:00"), t("10:00"))
        );
        assert_eq!(w.valid_from, Some(d("2020-07-31")));
        assert_eq!(
            w.valid_to,
            Some(d("2020-09-04")),
            "the course's own end date bounds it"
        );
        // It names no organiser, so it cannot be listed.
        assert!(reason(map_item("311870", data)).contains("organiser"));
    }

    #[test]
    fn an_online_course_needs_no_venue() {
        let Some(e) = map_sample("fn_course-with-schedule.json") else {
            return;
        };
        let draft = item(e);
        let a = &draft.activity;
        assert_eq!(a.title, "S4K TV - Dance");
        assert!(a.online);
        assert!(a.venues.is_empty());
        assert_eq!(a.categories, vec![Category::DanceDrama]);
        assert!(a.cost.free);
        let w = &a.schedule.weekly[0];
        assert_eq!(
            (w.day, w.start, w.end),
            (Weekday::Fri, t("14:30"), t("15:00"))
        );
        assert_eq!(
            draft.provider.email.as_deref(),
            Some("enquiries@sport4kids.biz")
        );
        assert_eq!(a.join.contact.phone.as_deref(), Some("0300 303 3866"));
    }

    #[test]
    fn on_demand_event_is_online() {
        let Some(e) = map_sample("fn_on-demand-event.json") else {
            return;
        };
        let a = item(e).activity;
        assert!(a.online);
        assert!(a.venues.is_empty());
        assert_eq!(a.title, "Otsimo Special Education");
        assert_eq!(a.categories, vec![Category::SkillsLearning]);
        assert!(a.cost.free);
        assert!(a.schedule.is_empty());
    }

    #[test]
    fn event_inherits_from_its_embedded_series() {
        let Some(e) = map_sample("fn_event-with-superevent.json") else {
            return;
        };
        let draft = item(e);
        let a = &draft.activity;
        assert_eq!(a.title, "WOD Class");
        assert_eq!(draft.provider.name, "CrossFit Fierce Spirit");
        assert_eq!(a.cost.price_pence, Some(500));
        assert!(!a.cost.free);
        assert_eq!(
            a.ages.map(|r| (r.min_years(), r.max_years())),
            Some((14, 120))
        );
        assert_eq!(a.terms, vec!["Crossfit"]);
        assert_eq!(a.categories, vec![Category::Sport]);
        // 07:00 UTC on 4 July is 08:00 in London.
        assert_eq!(
            a.schedule.dated,
            vec![DatedSession {
                date: d("2020-07-04"),
                start: t("08:00"),
                end: t("09:00")
            }]
        );
        let v = &a.venues[0];
        assert_eq!(v.name, "CrossFit Fierce Spirit");
        assert_eq!(v.postcode.as_ref().unwrap().to_string(), "CW12 1QU");
        assert_eq!(v.address, "Unit 5B Thomas Street, Congleton, Cheshire");
        assert_eq!(a.updated, None);
    }

    #[test]
    fn headline_event_with_a_place() {
        let Some(e) = map_sample("fn_headline-event-with-subevents.json") else {
            return;
        };
        let draft = item(e);
        assert_eq!(draft.source_id, "6302");
        assert_eq!(
            draft.provider.name,
            "Lewis and Harris Youth Clubs Association"
        );
        let a = &draft.activity;
        assert_eq!(
            a.venues[0].postcode.as_ref().unwrap().to_string(),
            "HS3 3AB"
        );
        assert_eq!(
            a.venues[0].address,
            "Scaladale Outdoor Cnetre, Ardvourlie, Isle of Harris, Western Isles"
        );
        // A date with no hours is not a session.
        assert!(a.schedule.is_empty());
    }

    #[test]
    fn facility_bookings_are_not_activities() {
        for name in [
            "fn_facilityuse.json",
            "fn_facilityuse-2.json",
            "fn_facilityuse-embedded-slot.json",
            "fn_facilityuse-ifu-slots.json",
            "fn_ifu-facilityuse-slots.json",
            "fn_individualfacilityuse-embedded-slot.json",
            "fn_slot-referenced-facilityuse.json",
            "fn_slot-referenced-facilityuse-2.json",
        ] {
            let Some(e) = map_sample(name) else { return };
            let r = reason(e);
            assert!(r.contains("facility"), "{name}: {r}");
        }
        let Some(e) = map_sample("fn_facilityuse-2.json") else {
            return;
        };
        assert_eq!(
            reason(e),
            "FacilityUse is a facility booking, not an activity"
        );
        let Some(slot) = sample("fn_slot-referenced-facilityuse-2.json") else {
            return;
        };
        assert_eq!(
            parent_of(&slot["data"]),
            Some(Parent::Ref(
                "https://lincsinspire-openactive.legendonlineservices.co.uk/api/facility-uses/10-3"
                    .into()
            ))
        );
    }

    #[test]
    fn a_place_without_coordinates_or_postcode_is_refused() {
        let Some(e) = map_sample("fn_sessionseries-2.json") else {
            return;
        };
        assert!(reason(e).starts_with("has no venue with a location"));
    }

    #[test]
    fn synthetic_samples_without_an_organiser_are_refused() {
        for name in [
            "fn_courseinstance.json",
            "fn_scheduledsession-with-superevent.json",
            "fn_sessionseries-with-subevent.json",
        ] {
            let Some(e) = map_sample(name) else { return };
            assert_eq!(reason(e), "names no organiser", "{name}");
        }
        // A session with its series embedded: the refusal names the feed's item.
        let data = json!({"@type": "ScheduledSession", "superEvent": {"@type": "SessionSeries", "@id": "https://x/series/1", "name": "Yoga"}});
        let Entry::Rejected(r) = map_item("session-9", &data) else {
            panic!()
        };
        assert_eq!(r.to_string(), "item session-9: names no organiser");
    }

    #[test]
    fn embedded_sub_events_add_dated_sessions() {
        let Some(mut s) = sample("fn_sessionseries-with-subevent.json") else {
            return;
        };
        let data = &mut s["data"];
        data["organizer"] = json!({"@type": "Organization", "name": "Yoga Club"});
        data["location"] =
            json!({"@type": "Place", "name": "Hall", "address": {"postalCode": "HU5 3AB"}});
        let a = item(map_item("111", data)).activity;
        // 18:00 at UTC-5 on 5 September is midnight in London: the 6th, 00:00 to 01:00.
        assert_eq!(
            a.schedule.dated,
            vec![DatedSession {
                date: d("2018-09-06"),
                start: t("00:00"),
                end: t("01:00")
            }]
        );
        assert_eq!(a.categories, vec![Category::Sport], "yoga");
    }

    #[test]
    fn a_session_that_only_names_its_series_waits_for_it() {
        let Some(session) = sample("fn_scheduledsession-referenced-superevent.json") else {
            return;
        };
        let data = &session["data"];
        assert_eq!(
            reason(map_item("bzncxfzk8oe", data)),
            "waits for its series https://playwaze.com/SessionSeries/jifgh8dinma"
        );
        let Some(Parent::Ref(series_id)) = parent_of(data) else {
            panic!("a reference")
        };
        assert_eq!(series_id, "https://playwaze.com/SessionSeries/jifgh8dinma");

        // The ingester's join: the series with its session. The session falls on the weekly
        // pattern, so it adds nothing new.
        let Some(series) = sample("fn_sessionseries.json") else {
            return;
        };
        let joined = item(map_opportunity(
            "jifgh8dinma",
            &series["data"],
            std::slice::from_ref(data),
        ));
        assert_eq!(joined.activity.schedule.weekly.len(), 1);
        assert!(joined.activity.schedule.dated.is_empty());
        // A session outside the pattern is added; a cancelled one is not.
        let extra = json!({"@type": "ScheduledSession", "startDate": "2020-12-05T10:00:00Z", "endDate": "2020-12-05T12:00:00Z"});
        let cancelled = json!({"@type": "ScheduledSession", "eventStatus": "https://schema.org/EventCancelled",
            "startDate": "2020-12-06T10:00:00Z", "endDate": "2020-12-06T12:00:00Z"});
        let joined = item(map_opportunity(
            "jifgh8dinma",
            &series["data"],
            &[extra, cancelled],
        ));
        assert_eq!(
            joined.activity.schedule.dated,
            vec![DatedSession {
                date: d("2020-12-05"),
                start: t("10:00"),
                end: t("12:00")
            }]
        );

        let Some(other) = sample("fn_scheduledsession-referenced-superevent-2.json") else {
            return;
        };
        assert!(
            reason(map_item("11575967", &other["data"]))
                .starts_with("waits for its series https://ncc.leisurecloud.net/")
        );
    }

    #[test]
    fn data_model_pages() {
        let page = |name: &str| -> Option<RpdePage> {
            let text = std::fs::read_to_string(samples_dir()?.join(name)).unwrap();
            Some(parse_page(&text).unwrap())
        };
        let Some(p) = page("dm_sessionseries_example_1.json") else {
            return;
        };
        assert_eq!(p.items.len(), 1);
        assert!(p.bad_items.is_empty());
        assert_eq!(
            p.license.as_deref(),
            Some("https://creativecommons.org/licenses/by/4.0/")
        );
        assert_eq!(p.items[0].modified, Modified::Int(1521565719));
        let draft = item(map_rpde_item(&p.items[0]));
        let a = &draft.activity;
        assert_eq!(a.title, "Virtual BODYPUMP");
        assert_eq!(draft.provider.name, "Everyone Active");
        assert_eq!(draft.provider.phone.as_deref(), Some("01455 890508"));
        assert_eq!(
            a.ages.map(|r| (r.min_years(), r.max_years())),
            Some((16, 120))
        );
        assert_eq!(a.cost.price_pence, Some(330));
        let w = &a.schedule.weekly[0];
        assert_eq!(
            (w.day, w.start, w.end),
            (Weekday::Tue, t("20:15"), t("20:45"))
        );
        // Both sub-events fall on the weekly pattern (19:15 UTC is 20:15 BST).
        assert!(a.schedule.dated.is_empty());
        assert_eq!(
            a.venues[0].postcode.as_ref().unwrap().to_string(),
            "TS4 3AE"
        );
        assert!(a.terms.contains(&"Bodypump™".to_owned()));
        assert!(a.terms.contains(&"Group Exercise Classes".to_owned()));
        assert_eq!(a.categories, vec![Category::Sport]);

        let Some(p) = page("dm_scheduledsession_example_1.json") else {
            return;
        };
        let draft = item(map_rpde_item(&p.items[0]));
        assert_eq!(
            draft.source_id,
            "https://opensessions.io/api/session-series/1402CBP20150217"
        );
        assert_eq!(draft.provider.name, "Better");
        let s = &draft.activity.schedule;
        assert_eq!(
            s.weekly.iter().map(|w| w.day).collect::<Vec<_>>(),
            vec![Weekday::Tue, Weekday::Sun]
        );
        assert_eq!(
            s.dated,
            vec![DatedSession {
                date: d("2018-10-03"),
                start: t("20:15"),
                end: t("21:15")
            }]
        );

        let Some(p) = page("dm_scheduledsession-split_example_1.json") else {
            return;
        };
        assert!(reason(map_rpde_item(&p.items[0])).starts_with("waits for its series"));

        let Some(p) = page("dm_sessionseries-eventseries-split_example_1.json") else {
            return;
        };
        let draft = item(map_rpde_item(&p.items[0]));
        assert_eq!(
            draft.activity.title, "Virtual BODYPUMP",
            "name from the EventSeries"
        );
        assert_eq!(draft.provider.name, "Everyone Active");
        assert_eq!(
            draft.activity.ages.map(|r| (r.min_years(), r.max_years())),
            Some((18, 30))
        );

        let Some(p) = page("dm_courseinstance_example_1.json") else {
            return;
        };
        assert_eq!(p.items[0].id, "76121");
        let draft = item(map_rpde_item(&p.items[0]));
        let a = &draft.activity;
        assert_eq!(a.title, "Netball Youth Camp");
        assert_eq!(
            a.ages.map(|r| (r.min_years(), r.max_years())),
            Some((11, 16)),
            "from the Course"
        );
        assert!(
            a.description
                .starts_with("Netball Youth Camps give junior netballers")
        );
        assert_eq!(a.cost.price_pence, Some(12400));
        assert_eq!(a.schedule.dated.len(), 4, "a daily camp, 1 to 4 August");
        assert_eq!(a.categories, vec![Category::Sport]);

        let Some(p) = page("dm_event_example_1.json") else {
            return;
        };
        let a = item(map_rpde_item(&p.items[0])).activity;
        assert_eq!(
            a.schedule.dated,
            vec![DatedSession {
                date: d("2019-08-25"),
                start: t("10:00"),
                end: t("12:40")
            }]
        );
        assert!(a.cost.free);
        assert_eq!(a.join.methods, vec![JoinMethod::Booking]);

        for (name, expect) in [
            ("dm_facilityuse_example_1.json", "facility booking"),
            ("dm_slot_example_1.json", "facility"),
            ("dm_place_example_1.json", "Place is a venue"),
        ] {
            let Some(p) = page(name) else { return };
            let r = reason(map_rpde_item(&p.items[0]));
            assert!(r.contains(expect), "{name}: {r}");
        }
    }

    #[test]
    fn impossible_latitude_rejects_the_item() {
        let data = json!({
            "@type": "SessionSeries", "name": "Football",
            "organizer": {"@type": "Organization", "name": "Club"},
            "location": {"@type": "Place", "name": "Pitch", "geo": {"latitude": 100, "longitude": -1.2}}
        });
        let r = reason(map_item("1", &data));
        assert!(r.starts_with("latitude 100 is out of range"), "{r}");
    }

    #[test]
    fn html_in_feed_text_comes_out_as_text() {
        let data = json!({
            "@type": "SessionSeries",
            "name": "<b>Girls</b> Football &amp; Fun<script>alert(1)</script>",
            "description": "<p>Bring <em>trainers</em>.</p><p>Ages 11&ndash;16</p>",
            "genderRestriction": "https://openactive.io/FemaleOnly",
            "organizer": {"@type": "Organization", "name": "<i>Hull</i> FC", "url": "javascript:alert(1)"},
            "location": {"@type": "Place", "name": "<b>Park</b>", "address": {"postalCode": "HU5 3AB"}},
            "accessibilitySupport": [{"@type": "Concept", "prefLabel": "Learning disability"}],
            "dateModified": "2024-05-01T10:00:00Z"
        });
        let draft = item(map_item("42", &data));
        assert_eq!(draft.activity.title, "Girls Football & Fun");
        assert_eq!(
            draft.activity.description,
            "Bring trainers.\n\nAges 11\u{2013}16"
        );
        assert_eq!(draft.provider.name, "Hull FC");
        assert_eq!(draft.provider.website, None);
        assert_eq!(draft.activity.venues[0].name, "Park");
        assert_eq!(draft.activity.gender, Gender::Girls);
        assert!(draft.activity.access.send_friendly);
        assert_eq!(
            draft.activity.join,
            HowToJoin::default(),
            "no url, no booking"
        );
        assert_eq!(
            draft.activity.updated.map(|u| u.to_rfc3339()),
            Some("2024-05-01T10:00:00+00:00".into())
        );
    }

    #[test]
    fn items_without_a_type_or_name() {
        let r = reason(map_item("9", &json!({"name": "Mystery"})));
        assert!(r.contains("no @type"), "{r}");
        let r = reason(map_item(
            "9",
            &json!({"@type": "SessionSeries", "name": "  "}),
        ));
        assert_eq!(r, "has no name");
        let r = reason(map_item("9", &json!({"@type": "Offer"})));
        assert_eq!(r, "Offer is not a kind of activity Signpost lists");
        // The feed's kind stands in for a missing type.
        let it = RpdeItem {
            id: "9".into(),
            state: ItemState::Updated,
            kind: Some("FacilityUse.Slot".into()),
            modified: Modified::Int(1),
            data: Some(json!({"name": "Court"})),
        };
        assert!(reason(map_rpde_item(&it)).contains("facility booking"));
    }

    #[test]
    fn a_session_without_a_series_is_an_event() {
        let data = json!({
            "@type": "ScheduledSession", "name": "Taster session",
            "startDate": "2024-03-02T10:00:00Z", "endDate": "2024-03-02T11:30:00Z",
            "organizer": {"@type": "Organization", "name": "Club"},
            "location": {"@type": "Place", "address": "Hall, Hull HU5 3AB"}
        });
        let a = item(map_item("5", &data)).activity;
        assert_eq!(
            a.schedule.dated,
            vec![DatedSession {
                date: d("2024-03-02"),
                start: t("10:00"),
                end: t("11:30")
            }]
        );
        assert_eq!(a.venues[0].name, "Hall");
    }

    #[test]
    fn ticks_survive_exactly() {
        let page = r#"{"next": "https://x.org/feed?afterTimestamp=637884288000000000",
            "items": [{"id": 7, "state": "updated", "kind": "SessionSeries", "modified": 637884288000000000, "data": {"@type": "SessionSeries"}},
                      {"id": "b", "state": "deleted", "kind": "SessionSeries", "modified": "2024-01-01T00:00:00Z"}]}"#;
        let p = parse_page(page).unwrap();
        assert_eq!(p.items[0].modified, Modified::Int(637884288000000000));
        assert_eq!(p.items[0].modified.as_text(), "637884288000000000");
        assert_eq!(p.items[0].id, "7");
        assert_eq!(p.items[1].modified.as_text(), "2024-01-01T00:00:00Z");
        assert_eq!(p.items[1].state, ItemState::Deleted);
        assert_eq!(
            map_rpde_item(&p.items[1]),
            Entry::Deleted {
                source_id: "b".into()
            }
        );
        assert_eq!(p.license, None);
        let direct: Modified = serde_json::from_str("637884288000000001").unwrap();
        assert_eq!(direct, Modified::Int(637884288000000001));
        assert!(serde_json::from_str::<Modified>("1.5e9").is_err());
    }

    #[test]
    fn bad_items_do_not_sink_the_page() {
        let page = r#"{"next": "https://x.org/feed?page=2", "items": [
            {"state": "updated", "modified": 1, "data": {}},
            {"id": "a", "state": "changed", "modified": 1},
            {"id": "b", "state": "updated", "modified": 1.5, "data": {}},
            {"id": "c", "state": "updated", "modified": 2},
            "nonsense",
            {"id": "d", "state": "deleted", "modified": 3}
        ]}"#;
        let p = parse_page(page).unwrap();
        assert_eq!(p.items.len(), 1);
        assert_eq!(p.items[0].id, "d");
        let bad: Vec<String> = p.bad_items.iter().map(|r| r.to_string()).collect();
        assert_eq!(bad.len(), 5);
        assert!(
            bad[0].starts_with("item 1 on the page: has no `id`"),
            "{bad:?}"
        );
        assert!(bad[1].starts_with("item a: has state 'changed'"), "{bad:?}");
        assert!(
            bad[2].contains("item b: its `modified` value: 1.5 is not a whole number"),
            "{bad:?}"
        );
        assert!(
            bad[3].contains("item c: is 'updated' but carries no data"),
            "{bad:?}"
        );
        assert!(
            bad[4].starts_with("item 5 on the page: is not a JSON object"),
            "{bad:?}"
        );
    }

    #[test]
    fn page_errors_say_what_is_wrong() {
        let e = parse_page("{\n  \"next\": \"x\",\n  \"items\": [,]\n}").unwrap_err();
        assert!(
            e.starts_with("the feed page is not JSON: line 3 column"),
            "{e}"
        );
        assert_eq!(
            parse_page(r#"{"items": []}"#).unwrap_err(),
            "the page has no `next` URL"
        );
        assert_eq!(
            parse_page(r#"{"next": "", "items": []}"#).unwrap_err(),
            "the page has no `next` URL"
        );
        assert_eq!(
            parse_page(r#"{"next": "x"}"#).unwrap_err(),
            "the page has no `items` list"
        );
        assert!(parse_page("[]").unwrap_err().contains("not a JSON object"));
        assert!(
            parse_page("")
                .unwrap_err()
                .starts_with("the feed page is not JSON")
        );
    }

    #[test]
    fn feed_discovery_from_a_dataset_site() {
        let Some(site) = sample("dataset_site_example-minimal.jsonld") else {
            return;
        };
        assert_eq!(
            dataset_feeds(&[site]),
            vec![
                "https://www.example.com/feeds/scheduled-sessions",
                "https://www.example.com/feeds/session-series"
            ]
        );
        let Some(collection) = sample("data-catalog-collection.jsonld") else {
            return;
        };
        let Some(singular) = sample("data-catalog-singular.jsonld") else {
            return;
        };
        assert_eq!(catalog_links(std::slice::from_ref(&collection)).len(), 4);
        let sites = catalog_links(&[singular]);
        assert_eq!(sites.len(), 23);
        assert_eq!(sites[0], "http://data.better.org.uk/");
        assert!(dataset_feeds(&[collection]).is_empty());
    }

    /// JSON pointers to every value in `v`, a few levels deep.
    fn pointers(v: &Value, at: String, depth: usize, out: &mut Vec<String>) {
        out.push(at.clone());
        if depth == 0 {
            return;
        }
        match v {
            Value::Object(o) => {
                for (k, x) in o {
                    pointers(
                        x,
                        format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                        depth - 1,
                        out,
                    );
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    pointers(x, format!("{at}/{i}"), depth - 1, out);
                }
            }
            _ => {}
        }
    }

    fn odd_values() -> Vec<Value> {
        vec![
            json!(null),
            json!(true),
            json!(0),
            json!(-1.5),
            json!(1e300),
            json!(u64::MAX),
            json!(""),
            json!("x"),
            json!("2020-13-45T99:99:99Z"),
            json!("P99999999W"),
            json!("P9999999W9999999W9999999W"),
            json!("+262143-12-31T23:59:59Z"),
            json!("https://schema.org/Monday"),
            json!([]),
            json!({}),
            json!([1, "a", {}, null, [[]]]),
            json!({"@id": "x"}),
            json!({"@value": 5}),
        ]
    }

    #[test]
    fn odd_values_anywhere_never_panic() {
        let Some(dir) = samples_dir() else { return };
        let odd = odd_values();
        let mut tried = 0;
        for file in std::fs::read_dir(dir).unwrap() {
            let path = file.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if !(name.starts_with("fn_") || name.starts_with("dm_")) {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Cut short anywhere, a page is an error, never a panic.
            for cut in (0..text.len())
                .step_by(97)
                .filter(|i| text.is_char_boundary(*i))
            {
                let _ = parse_page(&text[..cut]);
            }
            let v: Value = serde_json::from_str(&text).unwrap();
            let datas: Vec<Value> = match v.get("items").and_then(Value::as_array) {
                Some(items) => items.iter().map(|i| i["data"].clone()).collect(),
                None => vec![v["data"].clone()],
            };
            for data in datas {
                let mut ptrs = Vec::new();
                pointers(&data, String::new(), 4, &mut ptrs);
                // Half the odd values at each place, alternating, keeps this quick.
                for (i, ptr) in ptrs.iter().enumerate().skip(1) {
                    for o in odd.iter().skip(i % 2).step_by(2) {
                        let mut m = data.clone();
                        if let Some(slot) = m.pointer_mut(ptr) {
                            *slot = o.clone();
                        }
                        // As an item, and as a series given itself as one of its sessions.
                        let _ = map_item("x", &m);
                        if tried % 4 == 0 {
                            let _ = map_opportunity("x", &m, std::slice::from_ref(&m));
                        }
                        tried += 1;
                    }
                }
            }
        }
        assert!(tried > 1000, "{tried}");
    }

    #[test]
    fn parents_by_reference_or_embedded() {
        assert_eq!(
            parent_of(&json!({"superEvent": "https://x/1"})),
            Some(Parent::Ref("https://x/1".into()))
        );
        assert_eq!(
            parent_of(&json!({"superEvent": {"@id": "https://x/2", "@type": "SessionSeries"}})),
            Some(Parent::Ref("https://x/2".into()))
        );
        assert!(matches!(
            parent_of(&json!({"superEvent": {"id": "https://x/3", "name": "Yoga"}})),
            Some(Parent::Embedded(_))
        ));
        assert_eq!(parent_of(&json!({"name": "x"})), None);
    }
}
