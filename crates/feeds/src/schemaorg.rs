//! schema.org vocabulary as OpenActive feeds and provider web pages write it, read into
//! Signpost's types: days, times and schedules, places, offers, ages, organisations.
//!
//! Both [`crate::openactive`] and [`crate::jsonld`] read the same vocabulary, written with the
//! same looseness: `@type` or `type`, `@id` or `id`, one value or an array of them, day names as
//! full URLs or bare words, numbers as strings. Everything here accepts all of those and never
//! panics; a value it cannot read counts as not stated, except an impossible coordinate, which
//! is an error the caller turns into a rejection (a pin in the sea is worse than no listing).
//!
//! All times come out as Europe/London wall-clock times, the way the directory stores them.

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone,
    Timelike, Utc, Weekday,
};
use chrono_tz::Tz;
use serde_json::Value;
use signpost_model::{
    Access, AgeRange, Coordinates, Cost, DatedSession, Email, Gender, LONDON, MAX_AGE_YEARS, Phone,
    Postcode, Schedule, SessionTime, TermPattern, WebUrl, WeeklySession, parse_weekday,
};

use crate::{ProviderDraft, VenueDraft, text};

// ---------------------------------------------------------------------------------------------
// JSON shapes

/// The value at `key`, unless it is absent or `null`.
pub fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.get(key).filter(|x| !x.is_null())
}

/// A value that may be one thing or an array of things, as a list (nulls dropped).
pub fn many(v: Option<&Value>) -> Vec<&Value> {
    match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().filter(|x| !x.is_null()).collect(),
        Some(x) => vec![x],
    }
}

/// The text in a value as given (not cleaned): a string, a number, a JSON-LD `{"@value": ..}`,
/// or the first of these in an array.
pub fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => items.iter().find_map(text_of),
        Value::Object(o) => o.get("@value").and_then(text_of),
        _ => None,
    }
}

/// The trimmed text at `key`, unless blank.
pub fn raw_str(v: &Value, key: &str) -> Option<String> {
    get(v, key)
        .and_then(text_of)
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

/// The text at `key` as one line of plain text (no markup), unless blank.
pub fn line_of(v: &Value, key: &str) -> Option<String> {
    text::some_line(raw_str(v, key).as_deref())
}

/// A true/false flag, also when written as a string.
pub fn flag(v: Option<&Value>) -> Option<bool> {
    match v? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" => Some(true),
            "false" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A vocabulary term without its namespace: `https://schema.org/Monday`, `http://schema.org/Monday`
/// and `schema:Monday` all become `Monday`; `https://openactive.io/FemaleOnly` becomes `FemaleOnly`.
pub fn short_name(s: &str) -> &str {
    let s = s.trim();
    if s.starts_with("http://") || s.starts_with("https://") {
        let tail = s.trim_end_matches('/');
        return tail.rsplit(['/', '#']).next().unwrap_or(tail).trim();
    }
    match s.split_once(':') {
        Some((prefix, rest))
            if !prefix.is_empty()
                && prefix.chars().all(|c| c.is_ascii_alphanumeric())
                && !rest.starts_with("//") =>
        {
            rest.trim()
        }
        _ => s,
    }
}

/// A node's types (`@type` or `type`), namespaces removed. One feed writes `"Organization "`
/// with a trailing space, so names are trimmed.
pub fn types(v: &Value) -> Vec<String> {
    let t = get(v, "@type").or_else(|| get(v, "type"));
    many(t)
        .into_iter()
        .filter_map(Value::as_str)
        .map(|s| short_name(s).to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// A node's first type.
pub fn type_of(v: &Value) -> Option<String> {
    types(v).into_iter().next()
}

/// Whether any of the node's types is one of `names` (case-insensitive).
pub fn has_type(v: &Value, names: &[&str]) -> bool {
    types(v)
        .iter()
        .any(|t| names.iter().any(|n| t.eq_ignore_ascii_case(n)))
}

/// A node's id (`@id` or `id`), numbers kept as their text.
pub fn id_of(v: &Value) -> Option<String> {
    match get(v, "@id").or_else(|| get(v, "id"))? {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Labels from a field of terms: strings, or Concepts / Things with `prefLabel` or `name`.
/// Bare URLs are dropped: an activity-list id is not a word a person searches for.
pub fn labels(v: Option<&Value>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in many(v) {
        let raw = match item {
            Value::String(s) => Some(s.clone()),
            Value::Object(_) => raw_str(item, "prefLabel").or_else(|| raw_str(item, "name")),
            _ => None,
        };
        let Some(raw) = raw else { continue };
        if looks_like_url(&raw) {
            continue;
        }
        let label = text::line(&raw);
        if !label.is_empty() && !out.contains(&label) {
            out.push(label);
        }
    }
    out
}

fn looks_like_url(s: &str) -> bool {
    let s = s.trim().to_ascii_lowercase();
    s.starts_with("http://") || s.starts_with("https://")
}

/// A web address people can follow ([`WebUrl::parse`]), from a string, an array, or an
/// object with a `url` (an ImageObject, a MediaObject): the first that is one. Schema.org
/// data is written by programs, so an address must be absolute: `events.html` is a page of
/// the site it came from, not the host `events.html`.
pub fn web_url(v: Option<&Value>) -> Option<WebUrl> {
    many(v).into_iter().find_map(|item| {
        let s = match item {
            Value::Object(_) => raw_str(item, "url")?,
            other => text_of(other)?,
        };
        if looks_like_url(&s) {
            text::web_address(&s)
        } else {
            None
        }
    })
}

/// An email address ([`Email::parse`]): the first that is one.
pub fn email(v: Option<&Value>) -> Option<Email> {
    many(v)
        .into_iter()
        .find_map(|item| text_of(item).and_then(|s| text::email_address(&s)))
}

/// A telephone number ([`Phone::parse`]): the first that is one.
pub fn phone(v: Option<&Value>) -> Option<Phone> {
    many(v)
        .into_iter()
        .find_map(|item| text_of(item).and_then(|s| text::phone_number(&s)))
}

/// A serde_json error as "line 3 column 5: expected value".
pub fn json_error(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full);
    format!("line {} column {}: {message}", e.line(), e.column())
}

// ---------------------------------------------------------------------------------------------
// Days, times and dates

/// A day of the week in any spelling feeds use: `https://schema.org/Monday`,
/// `http://schema.org/Monday`, `schema:Monday`, `Monday`, `Mon`, `Mo`, or a DayOfWeek object.
/// `PublicHolidays` is not a weekday and gives `None`.
pub fn weekday(v: &Value) -> Option<Weekday> {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Object(_) => id_of(v).or_else(|| raw_str(v, "name"))?,
        _ => return None,
    };
    weekday_str(&s)
}

fn weekday_str(s: &str) -> Option<Weekday> {
    let name = short_name(s).to_ascii_lowercase();
    match name.as_str() {
        "mo" => Some(Weekday::Mon),
        "tu" => Some(Weekday::Tue),
        "we" => Some(Weekday::Wed),
        "th" => Some(Weekday::Thu),
        "fr" => Some(Weekday::Fri),
        "sa" => Some(Weekday::Sat),
        "su" => Some(Weekday::Sun),
        other => parse_weekday(other).ok(),
    }
}

/// The weekdays in a field of days (one or many), in order given, without repeats.
pub fn weekdays(v: Option<&Value>) -> Vec<Weekday> {
    let mut out = Vec::new();
    for d in many(v).into_iter().filter_map(weekday) {
        if !out.contains(&d) {
            out.push(d);
        }
    }
    out
}

/// A clock time, `19:00`, `19:00:00`, `9:00` or `19:00:00.000`, with any `Z` or UTC offset
/// after it. Seconds are dropped: sessions are kept to the minute. `24:00` means the end of
/// the day and reads as 23:59.
pub fn clock(s: &str) -> Option<(NaiveTime, Option<FixedOffset>)> {
    let (t, offset) = split_offset(s.trim());
    let t = t.trim();
    let parsed = ["%H:%M:%S%.f", "%H:%M"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(t, f).ok())
        .or_else(|| {
            matches!(t, "24:00" | "24:00:00").then(|| NaiveTime::from_hms_opt(23, 59, 0))?
        })?;
    Some((
        NaiveTime::from_hms_opt(parsed.hour(), parsed.minute(), 0)?,
        offset,
    ))
}

fn split_offset(s: &str) -> (&str, Option<FixedOffset>) {
    if let Some(t) = s.strip_suffix(['Z', 'z']) {
        return (t, FixedOffset::east_opt(0));
    }
    if let Some(i) = s.rfind(['+', '-'])
        && i > 0
        && let Some(off) = utc_offset(&s[i..])
    {
        return (&s[..i], Some(off));
    }
    (s, None)
}

/// `+01:00`, `-0500`, `+01`.
fn utc_offset(s: &str) -> Option<FixedOffset> {
    let sign = match s.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let digits: String = s[1..].chars().filter(|c| *c != ':').collect();
    if !(digits.len() == 2 || digits.len() == 4) || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let h: i32 = digits.get(..2)?.parse().ok()?;
    let m: i32 = digits
        .get(2..)
        .filter(|m| !m.is_empty())
        .map_or(Some(0), |m| m.parse().ok())?;
    if h > 23 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// A date, or a date and time turned into London wall-clock time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    Date(NaiveDate),
    At(NaiveDateTime),
}

impl When {
    pub fn date(self) -> NaiveDate {
        match self {
            When::Date(d) => d,
            When::At(dt) => dt.date(),
        }
    }
}

/// Years a listing's dates can sensibly fall in. Anything outside is a typo or a placeholder,
/// and keeping dates in this window means date arithmetic can never overflow.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// Reads `2020-01-02`, or a date-time (`2020-07-23T11:00:00.000Z`, `2018-10-03T20:15:00+01:00`,
/// `2018-10-03T20:15`). A date-time with an offset is converted to London time; one without is
/// taken as wall-clock time in `tz`. Dates outside 1900 to 2200 are not read.
pub fn when(s: &str, tz: Tz) -> Option<When> {
    let s = s.trim();
    let sensible = |d: NaiveDate| YEARS.contains(&d.year()).then_some(d);
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return sensible(d).map(When::Date);
    }
    let (date, time) = s.split_once(['T', 't', ' '])?;
    let date = sensible(NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?)?;
    let (time, offset) = clock(time)?;
    Some(When::At(to_london(date.and_time(time), tz, offset)))
}

/// The date in a field holding a date or date-time (London date).
pub fn date_of(v: &Value, key: &str) -> Option<NaiveDate> {
    raw_str(v, key)
        .and_then(|s| when(&s, LONDON))
        .map(When::date)
}

/// A date-time as UTC (for "last modified" stamps); a bare date is taken as midnight UTC.
pub fn instant(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.with_timezone(&Utc));
    }
    match when(s, LONDON)? {
        When::Date(d) => Some(d.and_time(NaiveTime::MIN).and_utc()),
        When::At(local) => LONDON
            .from_local_datetime(&local)
            .earliest()
            .map(|dt| dt.with_timezone(&Utc)),
    }
}

/// Wall-clock time in London for a time given with an offset, or as local time in `tz`.
pub fn to_london(naive: NaiveDateTime, tz: Tz, offset: Option<FixedOffset>) -> NaiveDateTime {
    match offset {
        Some(off) => off
            .from_local_datetime(&naive)
            .single()
            .map_or(naive, |dt| dt.with_timezone(&LONDON).naive_local()),
        None if tz == LONDON => naive,
        None => tz
            .from_local_datetime(&naive)
            .earliest()
            .map_or(naive, |dt| dt.with_timezone(&LONDON).naive_local()),
    }
}

/// The time zone a schedule is written in (`scheduleTimezone`, or the older `beta:timeZone`);
/// London when unstated or unknown.
pub fn timezone(v: &Value) -> Tz {
    ["scheduleTimezone", "beta:timeZone", "timeZone"]
        .iter()
        .find_map(|k| raw_str(v, k))
        .and_then(|s| s.parse::<Tz>().ok())
        .unwrap_or(LONDON)
}

/// An ISO 8601 duration with a fixed length: `PT1H`, `PT45M`, `PT2H40M0S`, `P1D`, `P1W`.
/// Months and years have no fixed length and give `None`.
pub fn iso_duration(s: &str) -> Option<Duration> {
    let rest = s.trim().strip_prefix(['P', 'p'])?;
    let mut seconds: i64 = 0;
    let mut in_time = false;
    let mut number = String::new();
    let mut any = false;
    for c in rest.chars() {
        match c {
            'T' | 't' if number.is_empty() => in_time = true,
            '0'..='9' | '.' => number.push(c),
            _ => {
                let n: f64 = number.parse().ok()?;
                number.clear();
                let unit: i64 = match (c.to_ascii_uppercase(), in_time) {
                    ('W', false) => 7 * 86_400,
                    ('D', false) => 86_400,
                    ('H', true) => 3_600,
                    ('M', true) => 60,
                    ('S', true) => 1,
                    _ => return None,
                };
                if !(n.is_finite() && (0.0..1e7).contains(&n)) {
                    return None;
                }
                seconds = seconds.checked_add((n * unit as f64) as i64)?;
                any = true;
            }
        }
    }
    if !number.is_empty() || !any {
        return None;
    }
    Duration::try_seconds(seconds)
}

fn session_time(t: NaiveTime) -> SessionTime {
    SessionTime::hm(t.hour(), t.minute())
}

const LAST_MINUTE: (u32, u32) = (23, 59);

/// Start and end as session times on the start's date. A span that ends before it starts (or
/// on the next morning) runs past midnight, which the directory's schedules represent as an
/// end time earlier than the start. A span of a day or more cannot be one session: it is cut
/// at 23:59 on its first day. `None` when nothing is left.
fn span(start: NaiveDateTime, end: NaiveDateTime) -> Option<(SessionTime, SessionTime)> {
    let length = end - start;
    if length <= Duration::zero() {
        return None;
    }
    let begin = session_time(start.time());
    let finish = if length >= Duration::days(1) {
        SessionTime::hm(LAST_MINUTE.0, LAST_MINUTE.1)
    } else {
        session_time(end.time())
    };
    (begin != finish).then_some((begin, finish))
}

// ---------------------------------------------------------------------------------------------
// Schedules

/// One session on a date from an event's `startDate`/`endDate` date-times (or `startDate` plus
/// `duration`), in London time. A cancelled or postponed session gives `None`, and so does a
/// date without a time: a session needs its hours.
pub fn dated_session(event: &Value) -> Option<DatedSession> {
    if let Some(status) = raw_str(event, "eventStatus") {
        let status = short_name(&status).to_ascii_lowercase();
        if status.contains("cancelled") || status.contains("postponed") {
            return None;
        }
    }
    let tz = timezone(event);
    let When::At(start) = when(&raw_str(event, "startDate")?, tz)? else {
        return None;
    };
    let end = match raw_str(event, "endDate").and_then(|s| when(&s, tz)) {
        Some(When::At(end)) => end,
        _ => {
            start.checked_add_signed(raw_str(event, "duration").and_then(|d| iso_duration(&d))?)?
        }
    };
    let (start_t, end_t) = span(start, end)?;
    Some(DatedSession {
        date: start.date(),
        start: start_t,
        end: end_t,
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Repeat {
    Weekly,
    Daily,
    /// No `repeatFrequency`: weekly when days are given, else one date.
    Unstated,
}

/// Longest daily schedule written out as separate dates (a holiday camp); longer daily
/// schedules become weekly sessions on every day, which say the same thing more briefly.
const DAILY_AS_DATES_MAX_DAYS: i64 = 31;

/// The sessions in a node's `eventSchedule` (Schedule or PartialSchedule, one or many), with
/// their `exceptDate`s. `range` is the node's own start and end date, used where a schedule
/// gives none: a series cannot run outside its own dates.
///
/// Weekly schedules (`P1W`, `P7D`, or days with no frequency) become weekly sessions; daily
/// ones (`P1D`) become dated sessions when short, or weekly sessions on each day. Any other
/// frequency (`P2W`, `P1M`) or a monthly pattern (`byMonthDay`...) is skipped: the directory
/// cannot say "every other week", and calling a fortnightly session weekly would send someone
/// to a closed hall on the off weeks. A listing left with no timetable still shows, as
/// "contact them for times".
pub fn event_schedule(node: &Value, range: (Option<NaiveDate>, Option<NaiveDate>)) -> Schedule {
    let mut out = Schedule::default();
    for s in many(get(node, "eventSchedule")) {
        add_schedule(s, range, &mut out);
    }
    tidy(&mut out);
    out
}

fn add_schedule(
    s: &Value,
    (default_from, default_to): (Option<NaiveDate>, Option<NaiveDate>),
    out: &mut Schedule,
) {
    if ["byMonth", "byMonthDay", "byMonthWeek"]
        .iter()
        .any(|k| get(s, k).is_some())
    {
        return;
    }
    let tz = timezone(s);
    let repeat = match raw_str(s, "repeatFrequency") {
        None => Repeat::Unstated,
        Some(f) => match iso_duration(&f) {
            Some(d) if d == Duration::days(7) => Repeat::Weekly,
            Some(d) if d == Duration::days(1) => Repeat::Daily,
            _ => return,
        },
    };
    let start_when = raw_str(s, "startDate").and_then(|x| when(&x, tz));
    let from = start_when.map(When::date).or(default_from);
    let to = raw_str(s, "endDate")
        .and_then(|x| when(&x, tz))
        .map(When::date)
        .or(default_to);
    if let (Some(a), Some(b)) = (from, to)
        && a > b
    {
        return;
    }
    // The first session's start and end, in London time, on the schedule's first date (or an
    // arbitrary Monday when it has none: the times are then taken as London times).
    let base = from
        .or_else(|| NaiveDate::from_isoywd_opt(2024, 1, Weekday::Mon))
        .unwrap_or_default();
    let start = match raw_str(s, "startTime").and_then(|t| clock(&t)) {
        Some((t, offset)) => to_london(base.and_time(t), tz, offset),
        None => match start_when {
            Some(When::At(dt)) => dt,
            _ => return,
        },
    };
    let end = match raw_str(s, "endTime").and_then(|t| clock(&t)) {
        Some((t, offset)) => {
            let mut end = to_london(base.and_time(t), tz, offset);
            if end <= start {
                end += Duration::days(1);
            }
            end
        }
        None => match raw_str(s, "duration")
            .and_then(|d| iso_duration(&d))
            .and_then(|d| start.checked_add_signed(d))
        {
            Some(end) => end,
            None => return,
        },
    };
    let Some((start_t, end_t)) = span(start, end) else {
        return;
    };
    // Converting from another time zone can move the session to the day before or after.
    let shift = (start.date() - base).num_days();
    let shift_day = |d: Weekday| match shift {
        1 => d.succ(),
        -1 => d.pred(),
        _ => d,
    };
    let shift_date = |d: NaiveDate| d + Duration::days(shift);

    let mut days = weekdays(get(s, "byDay"));
    for x in many(get(s, "exceptDate")) {
        if let Some(d) = text_of(x).and_then(|t| when(&t, tz)) {
            out.exceptions.push(d.date());
        }
    }
    let weekly = |days: &[Weekday], out: &mut Schedule| {
        for &day in days {
            if let Ok(w) = WeeklySession::new(
                shift_day(day),
                start_t,
                end_t,
                TermPattern::AllYear,
                from,
                to,
            ) {
                out.weekly.push(w);
            }
        }
    };
    match repeat {
        Repeat::Weekly | Repeat::Unstated if !days.is_empty() => weekly(&days, out),
        Repeat::Weekly => {
            // Weekly with no days repeats on the weekday of its first date.
            if let Some(f) = from {
                weekly(&[f.weekday()], out);
            }
        }
        Repeat::Daily => match (from, to) {
            (Some(a), Some(b)) if (b - a).num_days() <= DAILY_AS_DATES_MAX_DAYS => {
                let mut date = a;
                while date <= b {
                    if days.is_empty() || days.contains(&date.weekday()) {
                        out.dated.push(DatedSession {
                            date: shift_date(date),
                            start: start_t,
                            end: end_t,
                        });
                    }
                    match date.succ_opt() {
                        Some(next) => date = next,
                        None => break,
                    }
                }
            }
            _ => {
                if days.is_empty() {
                    days = signpost_model::WEEK.to_vec();
                }
                weekly(&days, out);
            }
        },
        Repeat::Unstated => {
            // No frequency and no days: a single session on its date.
            if let Some(a) = from
                && to.is_none_or(|b| b == a)
            {
                out.dated.push(DatedSession {
                    date: shift_date(a),
                    start: start_t,
                    end: end_t,
                });
            }
        }
    }
}

/// Removes repeats, drops dated sessions a weekly session already covers (feeds often send
/// both the pattern and its first few sessions), and puts dates in order.
pub fn tidy(s: &mut Schedule) {
    let mut weekly: Vec<WeeklySession> = Vec::new();
    for w in s.weekly.drain(..) {
        if !weekly.contains(&w) {
            weekly.push(w);
        }
    }
    s.weekly = weekly;
    let covered = |d: &DatedSession| {
        s.weekly.iter().any(|w| {
            w.day == d.date.weekday()
                && w.start == d.start
                && w.end == d.end
                && w.term == TermPattern::AllYear
                && w.valid_from.is_none_or(|f| d.date >= f)
                && w.valid_to.is_none_or(|t| d.date <= t)
        })
    };
    let mut dated: Vec<DatedSession> = s.dated.iter().filter(|d| !covered(d)).cloned().collect();
    dated.sort_by_key(|d| (d.date, d.start, d.end));
    dated.dedup();
    s.dated = dated;
    s.exceptions.sort();
    s.exceptions.dedup();
}

/// Opening hours as weekly sessions: `openingHoursSpecification` (one or many, with
/// `dayOfWeek`, `opens`, `closes`, `validFrom`, `validThrough`) and the text form
/// `openingHours` (`"Mo-Fr 09:00-17:00"`, a string or an array).
///
/// Closing before opening means open past midnight, which the directory's schedules represent
/// directly (an end time earlier than the start), so "Fr 18:00-02:00" stays what it says.
/// Opening and closing at the same time marks a closed day and adds nothing.
pub fn opening_hours(node: &Value) -> Schedule {
    let mut out = Schedule::default();
    for spec in many(get(node, "openingHoursSpecification")) {
        let opens = raw_str(spec, "opens").and_then(|t| clock(&t));
        let closes = raw_str(spec, "closes").and_then(|t| clock(&t));
        let (Some((opens, _)), Some((closes, _))) = (opens, closes) else {
            continue;
        };
        let (start, end) = (session_time(opens), session_time(closes));
        if start == end {
            continue;
        }
        let from = date_of(spec, "validFrom");
        let to = date_of(spec, "validThrough");
        let days = weekdays(get(spec, "dayOfWeek"));
        if days.is_empty() {
            // Hours for one date only (a special opening).
            if let (Some(a), Some(b)) = (from, to)
                && a == b
            {
                out.dated.push(DatedSession {
                    date: a,
                    start,
                    end,
                });
            }
            continue;
        }
        for day in days {
            if let Ok(w) = WeeklySession::new(day, start, end, TermPattern::AllYear, from, to) {
                out.weekly.push(w);
            }
        }
    }
    for text in many(get(node, "openingHours")) {
        let Value::String(text) = text else { continue };
        for (day, start, end) in opening_hours_text(text) {
            if let Ok(w) = WeeklySession::new(day, start, end, TermPattern::AllYear, None, None) {
                out.weekly.push(w);
            }
        }
    }
    tidy(&mut out);
    out
}

/// The schema.org text form of opening hours: days (`Mo`, `Mo-Fr`, `Mo,We,Fr`) followed by one
/// or more time ranges (`09:00-17:00`, `09:00-12:00,13:00-17:00`); several groups may share a
/// string, separated by spaces or semicolons. Anything unreadable is skipped.
pub fn opening_hours_text(s: &str) -> Vec<(Weekday, SessionTime, SessionTime)> {
    let mut out = Vec::new();
    let mut days: Vec<Weekday> = Vec::new();
    for token in s
        .split(|c: char| c.is_whitespace() || c == ';')
        .map(|t| t.trim_matches(','))
        .filter(|t| !t.is_empty())
    {
        if token.starts_with(|c: char| c.is_ascii_digit()) {
            for range in token.split(',') {
                let Some((a, b)) = range.split_once('-') else {
                    continue;
                };
                let (Some((a, _)), Some((b, _))) = (clock(a), clock(b)) else {
                    continue;
                };
                let (a, b) = (session_time(a), session_time(b));
                if a == b {
                    continue;
                }
                for &day in &days {
                    out.push((day, a, b));
                }
            }
        } else {
            days = day_set(token);
        }
    }
    out
}

/// `Mo-Fr`, `Mo,We,Fr`, `Sa-Su`, `Fr-Mo` (wrapping over the weekend).
fn day_set(token: &str) -> Vec<Weekday> {
    let mut out = Vec::new();
    for part in token.split(',') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (Some(a), Some(b)) = (weekday_str(a), weekday_str(b)) else {
                    continue;
                };
                let mut d = a;
                for _ in 0..7 {
                    if !out.contains(&d) {
                        out.push(d);
                    }
                    if d == b {
                        break;
                    }
                    d = d.succ();
                }
            }
            None => {
                if let Some(d) = weekday_str(part)
                    && !out.contains(&d)
                {
                    out.push(d);
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Offers and cost

/// What it costs, from a node's offers and `isAccessibleForFree`:
/// free when the flag says so or every priced offer is 0; otherwise the cheapest non-zero price
/// in pounds sterling, with "Free option available" when a free offer sits beside paid ones.
/// Offers in another currency are ignored: a price in euros is not a price in pence.
pub fn cost(offers: &[&Value], accessible_for_free: Option<bool>) -> Cost {
    let prices: Vec<u32> = offers.iter().filter_map(|o| offer_price(o)).collect();
    if accessible_for_free == Some(true) || (!prices.is_empty() && prices.iter().all(|p| *p == 0)) {
        return Cost {
            free: true,
            ..Cost::default()
        };
    }
    match prices.iter().copied().filter(|p| *p > 0).min() {
        None => Cost::default(),
        Some(p) => Cost {
            free: false,
            price_pence: Some(p),
            concessions: prices
                .contains(&0)
                .then(|| "Free option available".to_owned()),
            bursary: false,
        },
    }
}

fn offer_price(offer: &Value) -> Option<u32> {
    if let Some(currency) = raw_str(offer, "priceCurrency")
        && !currency.eq_ignore_ascii_case("GBP")
    {
        return None;
    }
    let spec_price = many(get(offer, "priceSpecification"))
        .into_iter()
        .find_map(|p| get(p, "price"));
    let price = get(offer, "price")
        .or_else(|| get(offer, "lowPrice"))
        .or(spec_price)?;
    pence(price)
}

/// A price in pounds (`6.9`, `"6.00"`, `"£6"`, `"Free"`) as pence.
pub fn pence(v: &Value) -> Option<u32> {
    let pounds = match v {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => {
            let t = s.trim().trim_start_matches('£').trim();
            if t.eq_ignore_ascii_case("free") {
                0.0
            } else {
                t.replace(',', "").parse::<f64>().ok()?
            }
        }
        _ => return None,
    };
    if !pounds.is_finite() || !(0.0..=10_000_000.0).contains(&pounds) {
        return None;
    }
    Some((pounds * 100.0).round() as u32)
}

// ---------------------------------------------------------------------------------------------
// Ages and gender

/// The ages a node states: OpenActive `ageRange {minValue, maxValue}` (inclusive; a missing
/// minimum is 0 and a missing maximum is the oldest age stored), schema.org `typicalAgeRange`
/// text (`"7-11"`, `"11-"`, `"18+"`), or `audience {suggestedMinAge, suggestedMaxAge}`.
/// `None` when none is stated (or it makes no sense, such as 16 to 11).
pub fn ages(node: &Value) -> Option<AgeRange> {
    for r in many(get(node, "ageRange")) {
        if let Some(a) = age_range(
            age_number(get(r, "minValue")),
            age_number(get(r, "maxValue")),
        ) {
            return Some(a);
        }
    }
    if let Some(t) = raw_str(node, "typicalAgeRange")
        && let Some(a) = typical_age_range(&t)
    {
        return Some(a);
    }
    many(get(node, "audience")).into_iter().find_map(|a| {
        age_range(
            age_number(get(a, "suggestedMinAge")),
            age_number(get(a, "suggestedMaxAge")),
        )
    })
}

/// What a node states that cannot be so: ages no person has, ages that run backwards, and
/// session times that are not times of day. A reader refuses such an item with these
/// reasons, rather than quietly reading it as "age not stated" or "no timetable".
pub fn problems(node: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let stated = many(get(node, "ageRange"))
        .into_iter()
        .map(|r| ("ageRange", get(r, "minValue"), get(r, "maxValue")))
        .chain(many(get(node, "audience")).into_iter().map(|a| {
            (
                "audience",
                get(a, "suggestedMinAge"),
                get(a, "suggestedMaxAge"),
            )
        }));
    for (what, min, max) in stated {
        let negative = [min, max]
            .into_iter()
            .flatten()
            .any(|v| v.as_f64().is_some_and(|n| n < 0.0));
        if negative {
            out.push(format!("{what} has a negative age"));
            continue;
        }
        let (lo, hi) = (age_number(min), age_number(max));
        match (lo, hi) {
            (Some(lo), _) if lo > MAX_AGE_YEARS => out.push(format!(
                "{what} starts at {lo} years, an age nobody is (ages run 0 to {MAX_AGE_YEARS})"
            )),
            // 99 and 999 are how feeds write "no upper limit".
            (Some(lo), Some(hi)) if hi < lo => {
                out.push(format!("{what} runs backwards, from {lo} to {hi} years"))
            }
            _ => {}
        }
    }
    for s in many(get(node, "eventSchedule")) {
        for key in ["startTime", "endTime"] {
            // A time of day, or a date and time (schema.org allows either).
            if let Some(t) = raw_str(s, key)
                && clock(&t).is_none()
                && instant(&t).is_none()
            {
                out.push(format!(
                    "eventSchedule {key} '{t}' is not a time of day (00:00 to 24:00)"
                ));
            }
        }
    }
    out
}

fn age_number(v: Option<&Value>) -> Option<u16> {
    let n = match v? {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    if !n.is_finite() || n < 0.0 {
        return None;
    }
    Some(n.min(f64::from(u16::MAX)).floor() as u16)
}

fn age_range(min: Option<u16>, max: Option<u16>) -> Option<AgeRange> {
    if min.is_none() && max.is_none() {
        return None;
    }
    // Feeds write 99 or 999 for "no upper limit".
    let max = max.unwrap_or(MAX_AGE_YEARS).min(MAX_AGE_YEARS);
    AgeRange::years(min.unwrap_or(0), max).ok()
}

/// `"7-11"`, `"7 to 11"`, `"7–11 years"`, `"11-"`, `"18+"`, `"-11"`, `"14"`.
pub fn typical_age_range(text: &str) -> Option<AgeRange> {
    let t = text
        .to_lowercase()
        .replace(['\u{2013}', '\u{2014}'], "-")
        .replace(" to ", "-");
    let t: String = t
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '-' || *c == '+')
        .collect();
    if let Some(min) = t.strip_suffix('+') {
        return age_range(Some(min.parse().ok()?), None);
    }
    match t.split_once('-') {
        Some((a, b)) => {
            let min = if a.is_empty() {
                None
            } else {
                Some(a.parse().ok()?)
            };
            let max = if b.is_empty() {
                None
            } else {
                Some(b.parse().ok()?)
            };
            age_range(min, max)
        }
        None => {
            let n = t.parse().ok()?;
            age_range(Some(n), Some(n))
        }
    }
}

/// Who may join: OpenActive `genderRestriction` (`FemaleOnly`, `MaleOnly`, `NoRestriction` in
/// any namespace spelling) or schema.org `audience.requiredGender`. `None` when not stated.
pub fn gender(node: &Value) -> Option<Gender> {
    for g in many(get(node, "genderRestriction")) {
        let Some(s) = g.as_str() else { continue };
        match short_name(s).to_ascii_lowercase().as_str() {
            "femaleonly" => return Some(Gender::Girls),
            "maleonly" => return Some(Gender::Boys),
            "norestriction" => return Some(Gender::Mixed),
            _ => {}
        }
    }
    many(get(node, "audience"))
        .into_iter()
        .find_map(|a| raw_str(a, "requiredGender").and_then(|g| Gender::parse(&g)))
}

// ---------------------------------------------------------------------------------------------
// Access

/// Words about access on a node: OpenActive `accessibilitySupport` concepts, schema.org
/// `accessibilityFeature`, and the names of `amenityFeature`s that are present (not `false`).
pub fn access_labels(v: &Value) -> Vec<String> {
    let mut out = labels(get(v, "accessibilitySupport"));
    out.extend(labels(get(v, "accessibilityFeature")));
    for f in many(get(v, "amenityFeature")) {
        if flag(get(f, "value")) == Some(false) {
            continue;
        }
        if let Some(name) = line_of(f, "name") {
            out.push(name);
        }
    }
    out
}

/// A small, cautious mapping from access words to Signpost's access flags: only words that
/// plainly say the thing set a flag.
pub fn access(labels: &[String]) -> Access {
    let has = |words: &[&str]| {
        labels.iter().any(|l| {
            let l = l.to_lowercase();
            words.iter().any(|w| contains_word(&l, w))
        })
    };
    Access {
        wheelchair: has(&["wheelchair", "step-free", "step free", "level access"]),
        send_friendly: has(&[
            "learning disab",
            "learning difficult",
            "autis",
            "special educational",
            "sen",
            "send",
            "additional needs",
            "neurodivers",
            "adhd",
            "down syndrome",
        ]),
        quiet_sessions: has(&[
            "quiet",
            "autism friendly",
            "autism-friendly",
            "sensory friendly",
            "sensory-friendly",
            "relaxed",
        ]),
        languages: Vec::new(),
    }
}

/// `word` starts at a word boundary in `text`; words of four letters or fewer must also end at
/// one ("sen" is not "senior").
fn contains_word(text: &str, word: &str) -> bool {
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    text.match_indices(word).any(|(i, _)| {
        boundary(text[..i].chars().next_back())
            && (word.len() > 4 || boundary(text[i + word.len()..].chars().next()))
    })
}

// ---------------------------------------------------------------------------------------------
// Places

/// A venue from a Place (or a PostalAddress, or an address written as text): its name, its
/// address, its postcode (a postcode that does not parse is dropped) and its coordinates.
///
/// `Ok(None)` when the place cannot be put on a map (no coordinates and no postcode) or is a
/// VirtualLocation. `Err` when it gives coordinates that cannot be right: the item should be
/// refused with that reason rather than pinned somewhere else.
pub fn venue(place: &Value) -> Result<Option<VenueDraft>, String> {
    match place {
        Value::String(s) => {
            if looks_like_url(s) {
                return Ok(None);
            }
            let (address, postcode) = address_of(Some(place));
            let Some(postcode) = postcode else {
                return Ok(None);
            };
            let name = first_part(&address).unwrap_or_else(|| "Venue".to_owned());
            Ok(Some(VenueDraft {
                name,
                address,
                postcode: Some(postcode),
                coordinates: None,
            }))
        }
        Value::Object(_) => place_venue(place, 0),
        _ => Ok(None),
    }
}

fn place_venue(place: &Value, depth: u8) -> Result<Option<VenueDraft>, String> {
    if has_type(place, &["VirtualLocation"]) {
        return Ok(None);
    }
    let name = line_of(place, "name").unwrap_or_default();
    let coordinates = coordinates_of(place)?;
    let (address, postcode) = if has_type(place, &["PostalAddress"]) {
        address_of(Some(place))
    } else {
        address_of(get(place, "address"))
    };
    if coordinates.is_none() && postcode.is_none() {
        // A court or studio inside a building: the building has the address.
        if depth < 3
            && let Some(outer) = get(place, "containedInPlace").filter(|o| o.is_object())
            && let Some(mut v) = place_venue(outer, depth + 1)?
        {
            if !name.is_empty() && name != v.name {
                v.name = format!("{name}, {}", v.name);
            }
            return Ok(Some(v));
        }
        return Ok(None);
    }
    // Some feeds name a place by its coordinates ("52.04, -0.75"): a name nobody recognises.
    let name = if name.is_empty() || looks_like_coordinates(&name) {
        first_part(&address).unwrap_or_else(|| "Venue".to_owned())
    } else {
        name
    };
    Ok(Some(VenueDraft {
        name,
        address,
        postcode,
        coordinates,
    }))
}

fn first_part(address: &str) -> Option<String> {
    address
        .split(',')
        .map(str::trim)
        .find(|p| !p.is_empty())
        .map(str::to_owned)
}

fn looks_like_coordinates(name: &str) -> bool {
    name.chars().any(|c| c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_digit() || " .,-+°NSEWnsew".contains(c))
}

/// Coordinates from `geo {latitude, longitude}` (or `latitude`/`longitude` on the place), as
/// numbers or strings. Both missing (or blank) is `Ok(None)`; one without the other is not
/// enough to place anything and is also `Ok(None)`.
fn coordinates_of(place: &Value) -> Result<Option<Coordinates>, String> {
    let geo = many(get(place, "geo"))
        .into_iter()
        .find(|g| g.is_object())
        .unwrap_or(place);
    let lat = coordinate(get(geo, "latitude"), "latitude")?;
    let lon = coordinate(get(geo, "longitude"), "longitude")?;
    match (lat, lon) {
        (Some(lat), Some(lon)) => crate::coordinates(lat, lon).map(Some),
        _ => Ok(None),
    }
}

fn coordinate(v: Option<&Value>, what: &str) -> Result<Option<f64>, String> {
    match v {
        None => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64()),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s.trim().parse::<f64>().map(Some).map_err(|_| {
            let shown: String = s.trim().chars().take(30).collect();
            format!("{what} '{shown}' is not a number")
        }),
        Some(_) => Err(format!("{what} is not a number")),
    }
}

/// An address as one line ("Alan Peacock Way, Village East, Middlesbrough") and its postcode.
/// A PostalAddress gives `streetAddress`, `addressLocality`, `addressRegion` and `postalCode`;
/// an address written as text is kept whole, with a full postcode found at its end if any.
pub fn address_of(v: Option<&Value>) -> (String, Option<Postcode>) {
    let Some(v) = many(v).into_iter().next() else {
        return (String::new(), None);
    };
    match v {
        Value::String(s) => {
            let line = text::line(s);
            let postcode = postcode_in(&line);
            (line, postcode)
        }
        Value::Object(_) => {
            let mut parts: Vec<String> = Vec::new();
            for key in ["streetAddress", "addressLocality", "addressRegion"] {
                let Some(part) = line_of(v, key) else {
                    continue;
                };
                let part = part.trim_matches(|c: char| c == ',' || c.is_whitespace());
                if !part.is_empty() && !parts.iter().any(|p| p.eq_ignore_ascii_case(part)) {
                    parts.push(part.to_owned());
                }
            }
            let line = parts.join(", ");
            let postcode = raw_str(v, "postalCode")
                .and_then(|p| Postcode::parse(&p).ok())
                .or_else(|| postcode_in(&line));
            (line, postcode)
        }
        _ => (String::new(), None),
    }
}

/// A full UK postcode in free text ("1 High St, Bristol BS1 4SD"), looking from the end. Only
/// full postcodes: a lone district-like word ("A1") is too often a road.
pub fn postcode_in(text: &str) -> Option<Postcode> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    for i in (0..words.len()).rev() {
        let candidates = [
            words.get(i.wrapping_sub(1)..=i).map(|w| w.join(" ")),
            Some(words[i].to_owned()),
        ];
        for c in candidates.into_iter().flatten() {
            if let Ok(p) = Postcode::parse(&c)
                && p.is_full()
            {
                return Some(p);
            }
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Organisations

/// An organisation (or a person) that runs things: Organization, NGO, SportsOrganization,
/// LocalBusiness, Person. `None` without a name.
///
/// `loose_ids` says whether a bare `identifier` or `taxID` shaped like a charity number counts
/// as one. On a provider's own web page it does; in booking-system feeds `identifier` is the
/// booking system's own id, so only an identifier labelled as a charity number counts.
pub fn organisation(org: &Value, loose_ids: bool) -> Option<ProviderDraft> {
    if !org.is_object() {
        return None;
    }
    let person_name = || {
        let parts: Vec<String> = ["givenName", "familyName"]
            .iter()
            .filter_map(|k| line_of(org, k))
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    };
    let name = line_of(org, "name")
        .or_else(person_name)
        .or_else(|| line_of(org, "legalName"))?;
    Some(ProviderDraft {
        source_id: id_of(org),
        name,
        description: raw_str(org, "description")
            .map(|d| text::plain(&d))
            .unwrap_or_default(),
        website: web_url(get(org, "url")),
        email: email(get(org, "email")),
        phone: phone(get(org, "telephone")),
        charity_number: charity_number(org, loose_ids),
        company_number: labelled_id(org, "company").and_then(|c| company_number_shape(&c)),
        postcode: address_of(get(org, "address")).1,
        ..ProviderDraft::default()
    })
}

/// The value of an `identifier` PropertyValue whose `propertyID` or `name` mentions `word`.
fn labelled_id(org: &Value, word: &str) -> Option<String> {
    many(get(org, "identifier")).into_iter().find_map(|id| {
        if !id.is_object() {
            return None;
        }
        let label = [raw_str(id, "propertyID"), raw_str(id, "name")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        label.contains(word).then(|| raw_str(id, "value")).flatten()
    })
}

fn charity_number(org: &Value, loose: bool) -> Option<String> {
    if let Some(n) = labelled_id(org, "charit").and_then(|c| charity_number_shape(&c)) {
        return Some(n);
    }
    if !loose {
        return None;
    }
    many(get(org, "identifier"))
        .into_iter()
        .filter(|v| !v.is_object())
        .chain(many(get(org, "taxID")))
        .filter_map(text_of)
        .find_map(|s| charity_number_shape(&s))
}

/// A charity number as the registers write it: England and Wales 6 or 7 digits (a linked
/// charity may add "-1"), Scotland "SC" and 6 digits, Northern Ireland "NIC" and 5 or 6 digits.
fn charity_number_shape(s: &str) -> Option<String> {
    let compact: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let compact = compact
        .strip_prefix("CHARITYNO.")
        .or_else(|| compact.strip_prefix("CHARITYNO"))
        .unwrap_or(&compact)
        .trim_start_matches([':', '.']);
    let digits =
        |t: &str, lens: &[usize]| lens.contains(&t.len()) && t.chars().all(|c| c.is_ascii_digit());
    let main =
        compact.split_once('-').map_or(
            compact,
            |(m, suffix)| {
                if digits(suffix, &[1, 2]) { m } else { compact }
            },
        );
    let ok = digits(main, &[6, 7])
        || main.strip_prefix("SC").is_some_and(|d| digits(d, &[6]))
        || main.strip_prefix("NIC").is_some_and(|d| digits(d, &[5, 6]));
    ok.then(|| compact.to_owned())
}

/// A Companies House number: 8 characters, digits or a two-letter prefix and 6 digits.
fn company_number_shape(s: &str) -> Option<String> {
    let c: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let ok = c.len() == 8
        && c.chars().all(|ch| ch.is_ascii_alphanumeric())
        && c.get(2..)
            .is_some_and(|d| d.chars().all(|ch| ch.is_ascii_digit()));
    ok.then_some(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn t(s: &str) -> SessionTime {
        SessionTime::parse(s).unwrap()
    }

    #[test]
    fn contact_details_take_the_one_rule_and_addresses_must_be_absolute() {
        let v = |s: &str| Value::String(s.to_owned());
        assert_eq!(
            web_url(Some(&v("https://club.example.org/x"))).as_deref(),
            Some("https://club.example.org/x")
        );
        // A page's relative link is not a host.
        assert_eq!(web_url(Some(&v("events.html"))), None);
        assert_eq!(web_url(Some(&v("www.club.example.org"))), None);
        assert_eq!(
            phone(Some(&v("Call 01632 960123"))).as_deref(),
            Some("01632 960123")
        );
        assert_eq!(
            email(Some(&json!([
                "not an address",
                "mailto:jo@club.example.org"
            ])))
            .as_deref(),
            Some("jo@club.example.org")
        );
    }

    #[test]
    fn day_names_in_every_spelling() {
        for s in [
            "https://schema.org/Monday",
            "http://schema.org/Monday",
            "schema:Monday",
            "Monday",
            "Mon",
            "Mo",
        ] {
            assert_eq!(weekday(&json!(s)), Some(Weekday::Mon), "{s}");
        }
        assert_eq!(
            weekday(&json!({"@id": "https://schema.org/Friday"})),
            Some(Weekday::Fri)
        );
        assert_eq!(weekday(&json!("https://schema.org/PublicHolidays")), None);
        assert_eq!(
            weekdays(Some(&json!([
                "https://schema.org/Saturday",
                "Sunday",
                "https://schema.org/PublicHolidays",
                "Saturday"
            ]))),
            vec![Weekday::Sat, Weekday::Sun]
        );
    }

    #[test]
    fn type_and_id_aliases() {
        let a = json!({"@type": "https://schema.org/Event", "@id": "x"});
        let b = json!({"type": ["Organization ", "NGO"], "id": 42});
        assert_eq!(type_of(&a).as_deref(), Some("Event"));
        assert_eq!(types(&b), vec!["Organization", "NGO"]);
        assert!(has_type(&b, &["ngo"]));
        assert_eq!(id_of(&a).as_deref(), Some("x"));
        assert_eq!(id_of(&b).as_deref(), Some("42"));
        assert_eq!(many(Some(&json!({"a": 1}))).len(), 1);
        assert_eq!(many(Some(&json!([1, null, 2]))).len(), 2);
        assert!(many(None).is_empty());
    }

    #[test]
    fn times_and_dates_come_out_in_london() {
        assert_eq!(
            clock("19:00").map(|c| c.0),
            NaiveTime::from_hms_opt(19, 0, 0)
        );
        assert_eq!(
            clock("19:00:30").map(|c| c.0),
            NaiveTime::from_hms_opt(19, 0, 0)
        );
        assert_eq!(clock("9:05").map(|c| c.0), NaiveTime::from_hms_opt(9, 5, 0));
        assert!(clock("25:00").is_none());
        assert!(clock("teatime").is_none());
        // Summer: UTC 11:00 is 12:00 in London.
        let at = when("2020-07-23T11:00:00.000Z", LONDON).unwrap();
        assert_eq!(at, When::At(d("2020-07-23").and_hms_opt(12, 0, 0).unwrap()));
        // Winter: UTC and London agree.
        let at = when("2019-11-28T19:00:00+00:00", LONDON).unwrap();
        assert_eq!(at, When::At(d("2019-11-28").and_hms_opt(19, 0, 0).unwrap()));
        // US Central 18:00 is past midnight in London.
        let at = when("2018-09-05T18:00:00-05:00", LONDON).unwrap();
        assert_eq!(at, When::At(d("2018-09-06").and_hms_opt(0, 0, 0).unwrap()));
        assert_eq!(
            when("2020-01-02", LONDON),
            Some(When::Date(d("2020-01-02")))
        );
        assert_eq!(when("next week", LONDON), None);
        assert_eq!(iso_duration("PT2H40M0S"), Some(Duration::minutes(160)));
        assert_eq!(iso_duration("P7D"), iso_duration("P1W"));
        assert_eq!(iso_duration("P1M"), None);
        assert_eq!(iso_duration("P"), None);
        assert_eq!(
            instant("2020-07-10T14:44:38.042Z").map(|i| i.to_rfc3339()),
            Some("2020-07-10T14:44:38.042+00:00".to_owned())
        );
    }

    #[test]
    fn weekly_schedule_with_dates_and_exceptions() {
        let node = json!({"eventSchedule": [{
            "@type": "Schedule",
            "byDay": ["https://schema.org/Thursday"],
            "startTime": "11:00", "endTime": "14:00:00",
            "repeatFrequency": "P7D",
            "startDate": "2020-01-02", "endDate": "2020-12-04",
            "exceptDate": ["2020-07-23T11:00:00.000Z", "2020-12-24"]
        }]});
        let s = event_schedule(&node, (None, None));
        assert_eq!(s.weekly.len(), 1);
        let w = &s.weekly[0];
        assert_eq!(
            (w.day, w.start, w.end),
            (Weekday::Thu, t("11:00"), t("14:00"))
        );
        assert_eq!(
            (w.valid_from, w.valid_to),
            (Some(d("2020-01-02")), Some(d("2020-12-04")))
        );
        assert_eq!(s.exceptions, vec![d("2020-07-23"), d("2020-12-24")]);
    }

    #[test]
    fn fortnightly_and_monthly_schedules_are_not_called_weekly() {
        let node = json!({"eventSchedule": [
            {"byDay": ["Monday"], "startTime": "10:00", "endTime": "11:00", "repeatFrequency": "P2W"},
            {"byMonthDay": [1], "startTime": "10:00", "endTime": "11:00", "repeatFrequency": "P1M"}
        ]});
        assert!(event_schedule(&node, (None, None)).is_empty());
    }

    #[test]
    fn a_short_daily_schedule_becomes_dates() {
        let node = json!({"eventSchedule": {
            "startDate": "2018-08-01", "endDate": "2018-08-04", "repeatFrequency": "P1D",
            "startTime": "09:00", "endTime": "17:00", "scheduleTimezone": "Europe/London"
        }});
        let s = event_schedule(&node, (None, None));
        assert!(s.weekly.is_empty());
        let dates: Vec<NaiveDate> = s.dated.iter().map(|x| x.date).collect();
        assert_eq!(
            dates,
            vec![
                d("2018-08-01"),
                d("2018-08-02"),
                d("2018-08-03"),
                d("2018-08-04")
            ]
        );
        assert_eq!((s.dated[0].start, s.dated[0].end), (t("09:00"), t("17:00")));
    }

    #[test]
    fn a_schedule_in_another_zone_is_moved_to_london_time() {
        // 18:00 in New York on a summer Monday is 23:00 in London, the same day.
        let node = json!({"eventSchedule": {
            "byDay": ["Monday"], "startTime": "18:00", "endTime": "19:30",
            "repeatFrequency": "P1W", "startDate": "2024-06-03",
            "scheduleTimezone": "America/New_York"
        }});
        let s = event_schedule(&node, (None, None));
        assert_eq!(s.weekly.len(), 1);
        assert_eq!(
            (s.weekly[0].day, s.weekly[0].start, s.weekly[0].end),
            (Weekday::Mon, t("23:00"), t("00:30"))
        );
        // 20:00 in New York is 01:00 on Tuesday in London.
        let node = json!({"eventSchedule": {
            "byDay": ["Monday"], "startTime": "20:00", "endTime": "21:00",
            "startDate": "2024-06-03", "scheduleTimezone": "America/New_York"
        }});
        let s = event_schedule(&node, (None, None));
        assert_eq!(
            (s.weekly[0].day, s.weekly[0].start),
            (Weekday::Tue, t("01:00"))
        );
    }

    #[test]
    fn dated_sessions_skip_cancelled_and_keep_short_overnights() {
        let s = json!({"startDate": "2018-10-02T19:15:00Z", "endDate": "2018-10-02T19:45:00Z"});
        let x = dated_session(&s).unwrap();
        assert_eq!(
            (x.date, x.start, x.end),
            (d("2018-10-02"), t("20:15"), t("20:45"))
        );
        let s = json!({"startDate": "2018-10-02T19:15:00Z", "duration": "PT1H", "eventStatus": "https://schema.org/EventCancelled"});
        assert!(dated_session(&s).is_none());
        let s = json!({"startDate": "2024-01-05T22:00:00Z", "duration": "PT3H"});
        let x = dated_session(&s).unwrap();
        assert_eq!(
            (x.start, x.end),
            (t("22:00"), t("01:00")),
            "past midnight, as the model writes it"
        );
        let s = json!({"startDate": "2024-01-05T10:00:00Z", "endDate": "2024-01-07T16:00:00Z"});
        let x = dated_session(&s).unwrap();
        assert_eq!(
            (x.date, x.start, x.end),
            (d("2024-01-05"), t("10:00"), t("23:59")),
            "a multi-day span is cut"
        );
        assert!(
            dated_session(&json!({"startDate": "2016-06-18"})).is_none(),
            "no hours"
        );
        assert!(
            dated_session(
                &json!({"startDate": "2016-06-18T10:00:00Z", "endDate": "2016-06-18T09:00:00Z"})
            )
            .is_none()
        );
    }

    #[test]
    fn absurd_dates_and_durations_are_not_stated_rather_than_a_panic() {
        let huge = "P9999999W9999999W9999999W";
        assert!(
            dated_session(&json!({"startDate": "2020-01-01T10:00:00Z", "duration": huge}))
                .is_none()
        );
        let node =
            json!({"eventSchedule": {"byDay": "Monday", "startTime": "10:00", "duration": huge}});
        assert!(event_schedule(&node, (None, None)).is_empty());
        for far in [
            "262143-12-31",
            "+262143-12-31T23:59:59Z",
            "0001-01-01T00:00:00-05:00",
        ] {
            assert_eq!(when(far, LONDON), None, "{far}");
        }
        let node = json!({"eventSchedule": {"byDay": "Monday", "startTime": "23:00", "endTime": "01:00",
            "startDate": "262143-12-31", "repeatFrequency": "P1D", "exceptDate": ["262143-12-31"]}});
        let _ = event_schedule(&node, (None, None));
    }

    #[test]
    fn opening_hours_specification_past_midnight_and_closed_days() {
        let node = json!({"openingHoursSpecification": [
            {"@type": "OpeningHoursSpecification", "dayOfWeek": ["https://schema.org/Monday", "http://schema.org/Tuesday"], "opens": "16:00:00", "closes": "20:00:00"},
            {"dayOfWeek": "Friday", "opens": "18:00", "closes": "02:00"},
            {"dayOfWeek": "Sunday", "opens": "00:00", "closes": "00:00"},
            {"dayOfWeek": "https://schema.org/PublicHolidays", "opens": "10:00", "closes": "12:00"},
            {"dayOfWeek": "Saturday", "opens": "10:00", "closes": "12:00", "validFrom": "2026-01-01", "validThrough": "2026-06-30"}
        ]});
        let s = opening_hours(&node);
        let lines: Vec<String> = s.to_lines().lines().map(str::to_owned).collect();
        assert_eq!(
            lines,
            vec![
                "monday 16:00-20:00",
                "tuesday 16:00-20:00",
                "friday 18:00-02:00",
                "saturday 10:00-12:00 from 2026-01-01 until 2026-06-30",
            ]
        );
    }

    #[test]
    fn opening_hours_text_form() {
        let node = json!({"openingHours": ["Mo-Fr 09:00-17:00", "Sa 10:00-14:00"]});
        let s = opening_hours(&node);
        assert_eq!(s.weekly.len(), 6);
        assert_eq!(s.weekly[5].day, Weekday::Sat);
        assert_eq!(
            (s.weekly[5].start, s.weekly[5].end),
            (t("10:00"), t("14:00"))
        );
        let v = opening_hours_text(
            "Tu,Th 16:00-20:00; Fr-Mo 10:00-12:00,13:00-15:00 nonsense 99:99-10:00",
        );
        let days: Vec<Weekday> = v.iter().map(|x| x.0).collect();
        assert_eq!(
            days,
            vec![
                Weekday::Tue,
                Weekday::Thu,
                Weekday::Fri,
                Weekday::Sat,
                Weekday::Sun,
                Weekday::Mon,
                Weekday::Fri,
                Weekday::Sat,
                Weekday::Sun,
                Weekday::Mon,
            ]
        );
        assert!(opening_hours_text("").is_empty());
    }

    #[test]
    fn cost_rules() {
        let free = json!({"price": 0, "priceCurrency": "GBP"});
        let paid = json!({"price": "6.00", "priceCurrency": "GBP"});
        let cheaper = json!({"price": 3.3});
        let euros = json!({"price": 1, "priceCurrency": "EUR"});
        assert!(cost(&[&free], None).free);
        assert!(cost(&[&paid], Some(true)).free);
        let c = cost(&[&paid, &cheaper, &euros], None);
        assert_eq!(
            (c.free, c.price_pence, c.concessions.as_deref()),
            (false, Some(330), None)
        );
        let c = cost(&[&free, &paid], None);
        assert_eq!(
            (c.free, c.price_pence, c.concessions.as_deref()),
            (false, Some(600), Some("Free option available"))
        );
        assert_eq!(cost(&[], None), Cost::default());
        assert_eq!(pence(&json!(6.9)), Some(690));
        assert_eq!(pence(&json!("£12.50")), Some(1250));
        assert_eq!(pence(&json!(-1)), None);
        assert_eq!(pence(&json!("lots")), None);
    }

    #[test]
    fn ages_in_all_their_forms() {
        let r = |a: Option<AgeRange>| a.map(|a| (a.min_years(), a.max_years()));
        assert_eq!(
            r(ages(&json!({"ageRange": {"minValue": 11, "maxValue": 16}}))),
            Some((11, 16))
        );
        assert_eq!(
            r(ages(&json!({"ageRange": {"minValue": 16}}))),
            Some((16, MAX_AGE_YEARS))
        );
        assert_eq!(
            r(ages(&json!({"ageRange": {"maxValue": "15"}}))),
            Some((0, 15))
        );
        assert_eq!(
            r(ages(
                &json!({"ageRange": {"minValue": 18, "maxValue": 999}})
            )),
            Some((18, MAX_AGE_YEARS))
        );
        assert_eq!(
            r(ages(&json!({"ageRange": {"minValue": 16, "maxValue": 11}}))),
            None
        );
        assert_eq!(r(ages(&json!({"typicalAgeRange": "7-11"}))), Some((7, 11)));
        assert_eq!(
            r(ages(&json!({"typicalAgeRange": "11-"}))),
            Some((11, MAX_AGE_YEARS))
        );
        assert_eq!(
            r(ages(&json!({"typicalAgeRange": "18+"}))),
            Some((18, MAX_AGE_YEARS))
        );
        assert_eq!(
            r(ages(&json!({"typicalAgeRange": "8 to 12 years"}))),
            Some((8, 12))
        );
        assert_eq!(r(ages(&json!({"typicalAgeRange": "teens"}))), None);
        assert_eq!(
            r(ages(
                &json!({"audience": {"@type": "PeopleAudience", "suggestedMinAge": 5, "suggestedMaxAge": 9}})
            )),
            Some((5, 9))
        );
        assert_eq!(ages(&json!({})), None);
    }

    #[test]
    fn gender_from_either_vocabulary() {
        assert_eq!(
            gender(&json!({"genderRestriction": "https://openactive.io/FemaleOnly"})),
            Some(Gender::Girls)
        );
        assert_eq!(
            gender(&json!({"genderRestriction": ["http://openactive.io/MaleOnly"]})),
            Some(Gender::Boys)
        );
        assert_eq!(
            gender(&json!({"genderRestriction": "oa:NoRestriction"})),
            Some(Gender::Mixed)
        );
        assert_eq!(
            gender(&json!({"audience": {"requiredGender": "female"}})),
            Some(Gender::Girls)
        );
        assert_eq!(gender(&json!({})), None);
    }

    #[test]
    fn access_words() {
        let a = access(&["Wheelchair accessible".into(), "Learning disability".into()]);
        assert!(a.wheelchair && a.send_friendly && !a.quiet_sessions);
        let a = access(&["Visual impairment".into(), "Seniors".into()]);
        assert_eq!(a, Access::default());
        let place = json!({"amenityFeature": [
            {"name": "Wheelchair access", "value": false},
            {"name": "Quiet room", "value": true}
        ]});
        let a = access(&access_labels(&place));
        assert!(!a.wheelchair && a.quiet_sessions);
    }

    #[test]
    fn venues_from_places() {
        let place = json!({
            "@type": "Place", "name": "<b>Grimsby</b> L C",
            "address": {"streetAddress": "Cromwell Road", "addressLocality": "North East Lincolnshire",
                        "addressRegion": "North East Lincolnshire", "postalCode": "dn312bh"},
            "geo": {"latitude": "53.569465", "longitude": -0.113715}
        });
        let v = venue(&place).unwrap().unwrap();
        assert_eq!(v.name, "Grimsby L C");
        assert_eq!(v.address, "Cromwell Road, North East Lincolnshire");
        assert_eq!(v.postcode.unwrap().to_string(), "DN31 2BH");
        let c = v.coordinates.unwrap();
        assert_eq!((c.lat(), c.lon()), (53.569465, -0.113715));

        let named_by_coordinates = json!({"name": "52.0406224, -0.7594171", "geo": {"latitude": 52.0406224, "longitude": -0.7594171}});
        assert_eq!(venue(&named_by_coordinates).unwrap().unwrap().name, "Venue");
        let with_street = json!({"name": "52.04, -0.75", "address": "1 High Street, Newport Pagnell MK16 8AA", "geo": {"latitude": 52.04, "longitude": -0.75}});
        let v = venue(&with_street).unwrap().unwrap();
        assert_eq!(v.name, "1 High Street");
        assert_eq!(v.postcode.unwrap().to_string(), "MK16 8AA");

        let bad_postcode = json!({"name": "Hall", "address": {"postalCode": "not a postcode"}, "geo": {"latitude": 51.5, "longitude": -0.1}});
        assert_eq!(venue(&bad_postcode).unwrap().unwrap().postcode, None);
        let nowhere =
            json!({"name": "Harvey Hadden Sports Vill", "address": {"@type": "PostalAddress"}});
        assert_eq!(venue(&nowhere), Ok(None));

        let impossible = json!({"name": "Sea", "geo": {"latitude": 100, "longitude": 1}});
        let e = venue(&impossible).unwrap_err();
        assert!(e.starts_with("latitude 100 is out of range"), "{e}");
        let text = json!({"name": "Hall", "geo": {"latitude": "north", "longitude": "1"}});
        assert!(
            venue(&text)
                .unwrap_err()
                .contains("latitude 'north' is not a number")
        );
        assert!(
            venue(&json!({"geo": {"latitude": 0, "longitude": 0}}))
                .unwrap_err()
                .contains("placeholder")
        );

        let court = json!({"@type": "SportsActivityLocation", "name": "Court 1", "containedInPlace": {
            "@type": "Place", "name": "Leisure Centre", "address": {"postalCode": "BS1 4SD"}}});
        assert_eq!(
            venue(&court).unwrap().unwrap().name,
            "Court 1, Leisure Centre"
        );
        assert_eq!(
            venue(&json!({"@type": "VirtualLocation", "url": "https://x.org"})),
            Ok(None)
        );
        assert!(
            venue(&json!("https://example.org/places/1"))
                .unwrap()
                .is_none()
        );
        assert_eq!(
            venue(&json!("Church Hall, Hull HU5 3AB"))
                .unwrap()
                .unwrap()
                .name,
            "Church Hall"
        );
    }

    #[test]
    fn organisations_and_their_numbers() {
        let org = json!({
            "@type": "NGO", "@id": "https://x.org/#org", "name": "Hull Youth &amp; Play",
            "url": "javascript:alert(1)", "email": "mailto:hello@hullyouth.org.uk",
            "telephone": "01482 000000",
            "identifier": [{"@type": "PropertyValue", "propertyID": "Charity Number", "value": "1123456"},
                           {"@type": "PropertyValue", "name": "Company number", "value": "01234567"}],
            "address": {"postalCode": "HU5 3AB"}
        });
        let p = organisation(&org, false).unwrap();
        assert_eq!(p.name, "Hull Youth & Play");
        assert_eq!(p.website, None, "only http(s) links are kept");
        assert_eq!(p.email.as_deref(), Some("hello@hullyouth.org.uk"));
        assert_eq!(p.charity_number.as_deref(), Some("1123456"));
        assert_eq!(p.company_number.as_deref(), Some("01234567"));
        assert_eq!(p.postcode.unwrap().to_string(), "HU5 3AB");
        let bare = json!({"name": "Club", "identifier": "SC012345", "taxID": "GB123456789"});
        assert_eq!(
            organisation(&bare, true).unwrap().charity_number.as_deref(),
            Some("SC012345")
        );
        assert_eq!(organisation(&bare, false).unwrap().charity_number, None);
        let vat_only = json!({"name": "Club", "taxID": "GB123456789"});
        assert_eq!(organisation(&vat_only, true).unwrap().charity_number, None);
        let person = json!({"@type": "Person", "givenName": "Nicole", "familyName": "Smith"});
        assert_eq!(organisation(&person, false).unwrap().name, "Nicole Smith");
        assert!(organisation(&json!({"url": "https://x.org"}), false).is_none());
        assert!(organisation(&json!("https://x.org/org"), false).is_none());
    }
}
