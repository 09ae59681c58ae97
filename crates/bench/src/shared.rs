//! What the three baselines (SQLite, PostgreSQL, Typesense) share: every activity flattened
//! into the plain values a row or document holds, the query text turned into words and
//! alternatives by the index's own analyser, the typo rule's edit distance, the school
//! calendar, and the SQL both databases run.
//!
//! The meaning of every value here is the brute-force scan's ([`crate::oracle`]); each engine
//! stores them its own way and answers in its own query language.

use std::collections::HashMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate, Timelike};
use signpost_model::{Activity, Category, Gender, TermPattern, Verification};
use signpost_search::text::{self, synonyms};
use signpost_search::{AccessNeed, IndexedActivity, SearchQuery, When};

use crate::Answer;

/// The mean Earth radius `Coordinates::distance_km` uses (geo's GRS80 mean radius).
pub(crate) const EARTH_RADIUS_KM: f64 = 6371.0088;
/// Distances this far past the radius still count as inside it (a millimetre).
pub(crate) const RADIUS_SLACK_KM: f64 = 1e-6;
/// Minutes after midnight of the after-school and evening windows.
pub(crate) const AFTER_SCHOOL: (i64, i64) = (15 * 60, 18 * 60);
pub(crate) const EVENING: (i64, i64) = (18 * 60, 24 * 60);
pub(crate) const DAY_MINUTES: i64 = 24 * 60;

/// The day number every engine stores dates as (days from 0001-01-01, as the index does).
pub(crate) fn day_number(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce())
}

/// The listing's order key as a signed integer that sorts like the unsigned one: databases
/// and Typesense have no unsigned 64-bit type.
pub(crate) fn order_key(id: &str) -> i64 {
    (signpost_model::fnv1a(id.as_bytes()) ^ (1 << 63)) as i64
}

pub(crate) fn access_bit(n: AccessNeed) -> i64 {
    match n {
        AccessNeed::Wheelchair => 1,
        AccessNeed::SendFriendly => 2,
        AccessNeed::Quiet => 4,
    }
}

/// Gender as a small code: mixed 0, girls 1, boys 2.
pub(crate) fn gender_code(g: Gender) -> i64 {
    match g {
        Gender::Mixed => 0,
        Gender::Girls => 1,
        Gender::Boys => 2,
    }
}

/// Monday 0 ... Sunday 6.
pub(crate) fn weekday_code(d: chrono::Weekday) -> i64 {
    i64::from(d.num_days_from_monday())
}

/// The text the index searches for an activity's categories and extra terms.
fn category_text(a: &Activity) -> String {
    let mut parts: Vec<String> = a
        .categories
        .iter()
        .map(|c| format!("{} {}", c.name(), c.slug().replace('-', " ")))
        .collect();
    parts.extend(a.terms.iter().cloned());
    parts.join(" ")
}

/// One weekly session as a row. `end` is past `start`: a session that runs past midnight
/// ends after 1440.
#[derive(Clone, Debug)]
pub(crate) struct WeeklyRow {
    pub weekday: i64,
    pub start: i64,
    pub end: i64,
    /// 0 all year, 1 term time, 2 school holidays.
    pub term: i64,
    pub valid_from: Option<i64>,
    pub valid_to: Option<i64>,
}

/// One dated session as a row.
#[derive(Clone, Debug)]
pub(crate) struct DatedRow {
    pub day: i64,
    pub start: i64,
    pub end: i64,
}

fn span(start: signpost_model::SessionTime, end: signpost_model::SessionTime) -> (i64, i64) {
    let s = i64::from(start.minutes());
    let mut e = i64::from(end.minutes());
    if e <= s {
        e += DAY_MINUTES;
    }
    (s, e)
}

/// An activity as the plain values the baselines store.
#[derive(Clone, Debug)]
pub(crate) struct Flat {
    pub id: String,
    pub order_key: i64,
    /// Analysed tokens of the title, description, provider name and category text; sorted,
    /// each once.
    pub tokens: Vec<String>,
    /// Months; "age not stated" is the empty range (min above max).
    pub age_min: i64,
    pub age_max: i64,
    /// Day number of the last possible session: `i64::MAX` open-ended, `i64::MIN` withdrawn.
    pub ends_on: i64,
    pub free: bool,
    pub gender: Gender,
    /// Bit 0 wheelchair, 1 SEND, 2 quiet.
    pub access: i64,
    pub verified_until: Option<i64>,
    /// Day number last confirmed (or last updated).
    pub confirmed: i64,
    pub categories: Vec<Category>,
    pub mask: i64,
    /// (lat, lon) of each venue.
    pub venues: Vec<(f64, f64)>,
    pub weekly: Vec<WeeklyRow>,
    pub dated: Vec<DatedRow>,
    pub exceptions: Vec<i64>,
}

impl Flat {
    pub fn of(item: &IndexedActivity, tokens: &mut impl FnMut(&str) -> Vec<String>) -> Flat {
        let a = &item.activity;
        let mut toks = Vec::new();
        for field in [
            a.title.as_str(),
            a.description.as_str(),
            item.provider.name.as_str(),
            &category_text(a),
        ] {
            toks.extend(tokens(field));
        }
        toks.sort_unstable();
        toks.dedup();
        let access = [
            (a.access.wheelchair, AccessNeed::Wheelchair),
            (a.access.send_friendly, AccessNeed::SendFriendly),
            (a.access.quiet_sessions, AccessNeed::Quiet),
        ]
        .iter()
        .filter(|(has, _)| *has)
        .fold(0, |m, (_, n)| m | access_bit(*n));
        let s = &a.schedule;
        Flat {
            id: a.id.as_str().to_owned(),
            order_key: order_key(a.id.as_str()),
            tokens: toks,
            age_min: if a.age_not_stated {
                i64::from(u32::MAX)
            } else {
                i64::from(a.ages.min_months())
            },
            age_max: if a.age_not_stated {
                0
            } else {
                i64::from(a.ages.max_months())
            },
            ends_on: if a.withdrawn {
                i64::MIN
            } else {
                s.ends_on().map_or(i64::MAX, day_number)
            },
            free: a.cost.free,
            gender: a.gender,
            access,
            verified_until: match &item.provider.verification {
                Verification::Verified(c) => Some(day_number(c.expires_on)),
                _ => None,
            },
            confirmed: day_number(a.freshness_date()),
            categories: a.categories.clone(),
            mask: a.categories.iter().fold(0, |m, c| m | (1 << c.index())),
            venues: a
                .venues
                .iter()
                .map(|v| (v.coordinates.lat(), v.coordinates.lon()))
                .collect(),
            weekly: s
                .weekly
                .iter()
                .map(|w| {
                    let (start, end) = span(w.start, w.end);
                    WeeklyRow {
                        weekday: weekday_code(w.day),
                        start,
                        end,
                        term: match w.term {
                            TermPattern::AllYear => 0,
                            TermPattern::TermTime => 1,
                            TermPattern::SchoolHolidays => 2,
                        },
                        valid_from: w.valid_from.map(day_number),
                        valid_to: w.valid_to.map(day_number),
                    }
                })
                .collect(),
            dated: s
                .dated
                .iter()
                .map(|d| {
                    let (start, end) = span(d.start, d.end);
                    DatedRow {
                        day: day_number(d.date),
                        start,
                        end,
                    }
                })
                .collect(),
            exceptions: {
                let mut days: Vec<i64> = s.exceptions.iter().map(|d| day_number(*d)).collect();
                days.sort_unstable();
                days.dedup();
                days
            },
        }
    }
}

/// Flattens every item with one analyser.
pub(crate) fn flatten(items: &[IndexedActivity]) -> Vec<Flat> {
    let mut analyser = text::analyser();
    let mut tokens = |s: &str| text::tokens(&mut analyser, s);
    items.iter().map(|i| Flat::of(i, &mut tokens)).collect()
}

/// How many edits a query token may be from an indexed one (by its length in characters).
pub(crate) fn allowed_edits(token: &str) -> usize {
    match token.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Whether `a` and `b` are within `limit` edits: optimal string alignment (insert, delete,
/// substitute, or swap two neighbours, each one edit).
pub(crate) fn within_edits(a: &str, b: &str, limit: usize) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    within_edits_chars(&a, &b, limit)
}

/// [`within_edits`] on words already split into characters (the scan keeps its vocabulary so).
pub(crate) fn within_edits_chars(a: &[char], b: &[char], limit: usize) -> bool {
    if a.len().abs_diff(b.len()) > limit {
        return false;
    }
    let n = b.len();
    let mut prev2 = vec![0usize; n + 1];
    let mut prev: Vec<usize> = (0..=n).collect();
    let mut cur = vec![0usize; n + 1];
    // A swap reaches back two rows, so stop early only when two rows in a row are over.
    let mut prev_min = 0;
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > limit && prev_min > limit {
            return false;
        }
        prev_min = row_min;
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[n] <= limit
}

/// One word of the query: its own tokens (each may match within the allowed edits) and its
/// synonyms' token lists (each token exactly).
#[derive(Clone, Debug)]
pub(crate) struct Word {
    pub own: Vec<String>,
    pub synonyms: Vec<Vec<String>>,
}

/// The query text as words, the way the oracle reads it. `None` when there is text but only
/// stop words (which finds nothing).
pub(crate) fn words(text_in: &str) -> Option<Vec<Word>> {
    let mut analyser = text::analyser();
    let mut out = Vec::new();
    // Words, with the phrases of the synonym list ("martial arts") kept whole.
    for word in text::units(text_in) {
        let word = word.as_str();
        let own = text::tokens(&mut analyser, word);
        if own.is_empty() {
            continue;
        }
        let synonyms = synonyms(word)
            .iter()
            .map(|alt| text::tokens(&mut analyser, alt))
            .filter(|t| !t.is_empty())
            .collect();
        out.push(Word { own, synonyms });
    }
    (!out.is_empty()).then_some(out)
}

/// A word resolved against an engine's vocabulary: alternatives, each a list of token sets,
/// every set needing one of its terms. Only alternatives that can match are kept.
pub(crate) type Resolved = Vec<Vec<Vec<String>>>;

/// Resolves every word with `near` (the terms of the engine's vocabulary within the allowed
/// edits of a token); a token the vocabulary has resolves to itself alone. `None` when some
/// word can match nothing, so the search finds nothing.
pub(crate) fn resolve(
    words: &[Word],
    mut near: impl FnMut(&str, usize) -> anyhow::Result<Vec<String>>,
) -> anyhow::Result<Option<Vec<Resolved>>> {
    let mut cache: HashMap<String, Vec<String>> = HashMap::new();
    let mut out = Vec::new();
    for w in words {
        let mut alternatives: Resolved = Vec::new();
        let mut own = Vec::new();
        for t in &w.own {
            let edits = allowed_edits(t);
            let set = if edits == 0 {
                vec![t.clone()]
            } else if let Some(s) = cache.get(t) {
                s.clone()
            } else {
                let mut s = near(t, edits)?;
                if s.contains(t) {
                    // A word some listing has is not a typo: only itself.
                    s = vec![t.clone()];
                }
                s.sort();
                s.dedup();
                cache.insert(t.clone(), s.clone());
                s
            };
            own.push(set);
        }
        if own.iter().all(|s| !s.is_empty()) {
            alternatives.push(own);
        }
        for syn in &w.synonyms {
            alternatives.push(syn.iter().map(|t| vec![t.clone()]).collect());
        }
        if alternatives.is_empty() {
            return Ok(None);
        }
        out.push(alternatives);
    }
    Ok(Some(out))
}

/// First and last day of the calendar table the SQL engines hold.
pub(crate) fn calendar_range() -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or(NaiveDate::MIN),
        NaiveDate::from_ymd_opt(2040, 12, 31).unwrap_or(NaiveDate::MAX),
    )
}

/// (day number, weekday code, school holiday) for every day of the calendar table.
pub(crate) fn calendar_rows() -> Vec<(i64, i64, bool)> {
    let (mut d, last) = calendar_range();
    let mut out = Vec::new();
    while d <= last {
        out.push((
            day_number(d),
            weekday_code(d.weekday()),
            signpost_model::calendar::is_school_holiday(d),
        ));
        d = match d.succ_opt() {
            Some(n) => n,
            None => break,
        };
    }
    out
}

/// What a query asks about time.
#[derive(Clone, Copy, Debug)]
pub(crate) enum TimeAsk {
    Any,
    /// Some session from `from` to `to` (day numbers) on `day` and in the part of the week.
    Horizon {
        from: i64,
        to: i64,
        day: Option<i64>,
        when: Option<When>,
    },
    /// A session running at `minute` (after midnight) of `today`; yesterday's late ones count.
    Now {
        today: i64,
        minute: i64,
        day: Option<i64>,
    },
}

impl TimeAsk {
    pub fn of(q: &SearchQuery) -> TimeAsk {
        let f = &q.filters;
        if f.day.is_none() && f.when.is_none() {
            return TimeAsk::Any;
        }
        let today = q.now.date();
        let day = f.day.map(weekday_code);
        if f.when == Some(When::Now) {
            return TimeAsk::Now {
                today: day_number(today),
                minute: i64::from(q.now.hour() * 60 + q.now.minute()),
                day,
            };
        }
        let (first, last) = signpost_search::days_asked(f.when, today);
        TimeAsk::Horizon {
            from: day_number(first),
            to: day_number(last),
            day,
            when: f.when,
        }
    }

    /// The first and last day whose sessions can matter.
    pub fn days(self) -> Option<(i64, i64)> {
        match self {
            TimeAsk::Any => None,
            TimeAsk::Horizon { from, to, .. } => Some((from, to)),
            TimeAsk::Now { today, .. } => Some((today - 1, today)),
        }
    }
}

/// The filters every baseline applies, read off the query once.
#[derive(Clone, Debug)]
pub(crate) struct Ask {
    pub today: i64,
    /// The age asked for, in months: matches ranges that meet `[lo, lo + 11]`.
    pub age_months: Option<i64>,
    pub free: Option<bool>,
    pub gender: Option<Gender>,
    pub access: i64,
    pub checked: bool,
    /// Category mask; 0 for any.
    pub categories: i64,
    pub time: TimeAsk,
    pub offset: usize,
    pub limit: usize,
}

impl Ask {
    pub fn of(q: &SearchQuery) -> anyhow::Result<Ask> {
        let f = &q.filters;
        anyhow::ensure!(
            f.max_price_pence.is_none()
                && f.language.is_none()
                && f.join.is_empty()
                && f.newcomers.is_empty(),
            "the baselines do not implement price, language, join or newcomer filters"
        );
        anyhow::ensure!(
            !q.any_word,
            "the baselines match every word; any-word searches are Signpost's own"
        );
        anyhow::ensure!(
            q.sort != signpost_search::Sort::Distance || q.near.is_some(),
            "sorting by distance needs a place"
        );
        Ok(Ask {
            today: day_number(q.now.date()),
            age_months: f.age.map(|a| i64::from(a) * 12),
            free: f.free,
            gender: f.gender,
            access: f.access.iter().fold(0, |m, n| m | access_bit(*n)),
            checked: f.checked,
            categories: f.categories.iter().fold(0, |m, c| m | (1 << c.index())),
            time: TimeAsk::of(q),
            offset: q.page.saturating_sub(1).saturating_mul(q.per_page),
            limit: q.per_page,
        })
    }
}

/// What the query's text asks for.
pub(crate) enum QueryText {
    /// No text, or only blanks: no text condition.
    Absent,
    Words(Vec<Word>),
    /// Only stop words: nothing is found.
    OnlyStopWords,
}

pub(crate) fn query_text(q: &SearchQuery) -> QueryText {
    match q.filters.text.as_deref().filter(|t| !t.trim().is_empty()) {
        None => QueryText::Absent,
        Some(t) => words(t).map_or(QueryText::OnlyStopWords, QueryText::Words),
    }
}

/// Category counts in the order [`Answer::categories`] wants, leaving out zeros.
pub(crate) fn category_counts(
    counts: impl IntoIterator<Item = (usize, usize)>,
) -> Vec<(Category, usize)> {
    let mut by = [0usize; 64];
    for (i, n) in counts {
        if i < by.len() {
            by[i] += n;
        }
    }
    Category::ALL
        .iter()
        .map(|c| (*c, by[c.index()]))
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// A rough box around a point that holds every point within `radius_km`: (min lat, max lat,
/// min lon, max lon), with a margin.
pub(crate) fn bounding_box(lat: f64, lon: f64, radius_km: f64) -> (f64, f64, f64, f64) {
    let dlat = (radius_km / EARTH_RADIUS_KM).to_degrees() * 1.01 + 1e-4;
    let far = (lat.abs() + dlat).min(89.9);
    let dlon = (dlat / far.to_radians().cos()).min(180.0);
    (lat - dlat, lat + dlat, lon - dlon, lon + dlon)
}

/// Bytes under a path (a file, or a directory and everything in it).
pub(crate) fn disk_bytes(path: &Path) -> u64 {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return 0;
    };
    if meta.is_dir() {
        std::fs::read_dir(path)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| disk_bytes(&e.path()))
                    .sum()
            })
            .unwrap_or(0)
    } else {
        meta.len()
    }
}

/// A query parameter of the SQL the two databases share.
#[derive(Clone, Debug)]
pub(crate) enum Param {
    Int(i64),
    Real(f64),
    Text(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flavor {
    Sqlite,
    Postgres,
}

/// SQL text with its parameters, numbered as they are added.
#[derive(Debug)]
pub(crate) struct Sql {
    flavor: Flavor,
    pub text: String,
    pub params: Vec<Param>,
}

impl Sql {
    pub fn new(flavor: Flavor) -> Sql {
        Sql {
            flavor,
            text: String::new(),
            params: Vec::new(),
        }
    }

    /// A placeholder for `p`.
    pub fn bind(&mut self, p: Param) -> String {
        let ty = match p {
            Param::Int(_) => "bigint",
            Param::Real(_) => "float8",
            Param::Text(_) => "text",
        };
        self.params.push(p);
        let n = self.params.len();
        match self.flavor {
            Flavor::Sqlite => format!("?{n}"),
            Flavor::Postgres => format!("${n}::{ty}"),
        }
    }

    pub fn int(&mut self, v: i64) -> String {
        self.bind(Param::Int(v))
    }

    pub fn real(&mut self, v: f64) -> String {
        self.bind(Param::Real(v))
    }

    pub fn text(&mut self, v: impl Into<String>) -> String {
        self.bind(Param::Text(v.into()))
    }
}

/// The parts of one search that differ between SQLite and PostgreSQL.
pub(crate) struct Source {
    /// Common table expressions the FROM clause uses (`name AS MATERIALIZED (...)`).
    pub ctes: Vec<String>,
    /// `FROM ...` with `a` the activities table (and whatever spatial or text joins).
    pub from: String,
    /// Conditions the text and place add to the WHERE clause.
    pub conditions: Vec<String>,
    /// Expression for the distance (0 without a place).
    pub km: String,
    /// Expression for the text score, higher is better (0 without text).
    pub score: String,
}

/// Whether one session row (alias `t`, joined to calendar `c`) fits the time asked.
fn session_fits(sql: &mut Sql, time: TimeAsk) -> String {
    let mut parts = Vec::new();
    match time {
        TimeAsk::Any => parts.push("1 = 1".to_owned()),
        TimeAsk::Horizon { day, when, .. } => {
            if let Some(d) = day {
                parts.push(format!("c.weekday = {}", sql.int(d)));
            }
            match when {
                None | Some(When::Now) => {}
                Some(When::Holidays(_)) => parts.push("c.holiday = 1".into()),
                Some(When::Weekend) => parts.push("c.weekday >= 5".into()),
                Some(When::AfterSchool) => parts.push(format!(
                    "c.weekday < 5 AND t.start_min < {} AND t.end_min > {}",
                    AFTER_SCHOOL.1, AFTER_SCHOOL.0
                )),
                Some(When::Evening) => parts.push(format!(
                    "t.start_min < {} AND t.end_min > {}",
                    EVENING.1, EVENING.0
                )),
            }
        }
        TimeAsk::Now { today, minute, day } => {
            let (t1, m1, m2, y, m3) = (
                sql.int(today),
                sql.int(minute),
                sql.int(minute),
                sql.int(today - 1),
                sql.int(minute + DAY_MINUTES),
            );
            parts.push(format!(
                "((c.day = {t1} AND t.start_min <= {m1} AND t.end_min > {m2}) OR (c.day = {y} AND t.end_min > {m3}))"
            ));
            if let Some(d) = day {
                parts.push(format!("c.weekday = {}", sql.int(d)));
            }
        }
    }
    if parts.is_empty() {
        "1 = 1".into()
    } else {
        parts.join(" AND ")
    }
}

/// How the time condition is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TimeForm {
    /// A correlated EXISTS per candidate: best when something else (a place) has already
    /// narrowed the candidates to a few.
    PerCandidate,
    /// `a.id IN (...)`: the activities with a fitting session, worked out once: best when
    /// the time is the most selective condition (and it lets Postgres choose the join).
    Set,
}

/// The condition for the time asked: a weekly or dated session on a calendar day of the
/// horizon, honouring date ranges, term patterns and exceptions.
fn time_condition(sql: &mut Sql, time: TimeAsk, form: TimeForm) -> Option<String> {
    let (from, to) = time.days()?;
    let (f1, t1) = (sql.int(from), sql.int(to));
    let weekly_fits = session_fits(sql, time);
    let (f2, t2) = (sql.int(from), sql.int(to));
    let dated_fits = session_fits(sql, time);
    let weekly = format!(
        "FROM weekly t JOIN calendar c ON c.weekday = t.weekday \
            WHERE c.day BETWEEN {f1} AND {t1} \
            AND (t.valid_from IS NULL OR c.day >= t.valid_from) \
            AND (t.valid_to IS NULL OR c.day <= t.valid_to) \
            AND (t.term = 0 OR (t.term = 1 AND c.holiday = 0) OR (t.term = 2 AND c.holiday = 1)) \
            AND {weekly_fits} \
            AND NOT EXISTS (SELECT 1 FROM exceptions x WHERE x.activity = t.activity AND x.day = c.day)"
    );
    let dated = format!(
        "FROM dated t JOIN calendar c ON c.day = t.day \
            WHERE t.day BETWEEN {f2} AND {t2} \
            AND {dated_fits} \
            AND NOT EXISTS (SELECT 1 FROM exceptions x WHERE x.activity = t.activity AND x.day = t.day)"
    );
    Some(match form {
        TimeForm::PerCandidate => format!(
            "(EXISTS (SELECT 1 {weekly} AND t.activity = a.id) \
             OR EXISTS (SELECT 1 {dated} AND t.activity = a.id))"
        ),
        TimeForm::Set => {
            format!("a.id IN (SELECT t.activity {weekly} UNION ALL SELECT t.activity {dated})")
        }
    })
}

/// One statement for the whole answer: the matches before the category filter in a
/// materialised CTE; then the total (category filter applied), the count per category (a
/// GROUP BY over the category rows) and the page with each row's position.
///
/// Rows: `(part, category, ext_id, n)`: part 0 has the total in `n`; part 1 a category and
/// its count; part 2 an id and its position in `n`.
pub(crate) fn search_sql(
    sql: &mut Sql,
    ask: &Ask,
    source: Source,
    order: &str,
    time_form: TimeForm,
) -> anyhow::Result<()> {
    let (first, last) = calendar_range();
    if let Some((from, to)) = ask.time.days() {
        anyhow::ensure!(
            from >= day_number(first) && to <= day_number(last),
            "the calendar table covers {first} to {last} only"
        );
    }
    let mut conditions = vec![format!("a.ends_on >= {}", sql.int(ask.today))];
    conditions.extend(source.conditions);
    if let Some(lo) = ask.age_months {
        conditions.push(format!(
            "a.age_min <= {} AND a.age_max >= {}",
            sql.int(lo + 11),
            sql.int(lo)
        ));
    }
    if let Some(free) = ask.free {
        conditions.push(format!("a.free = {}", sql.int(i64::from(free))));
    }
    if let Some(g) = ask.gender {
        conditions.push(format!("a.gender IN (0, {})", sql.int(gender_code(g))));
    }
    if ask.access != 0 {
        conditions.push(format!(
            "(a.access & {}) = {}",
            sql.int(ask.access),
            sql.int(ask.access)
        ));
    }
    if ask.checked {
        conditions.push(format!("a.verified_until >= {}", sql.int(ask.today)));
    }
    if let Some(c) = time_condition(sql, ask.time, time_form) {
        conditions.push(c);
    }
    let in_categories = if ask.categories != 0 {
        format!("WHERE (m.mask & {}) <> 0", sql.int(ask.categories))
    } else {
        String::new()
    };
    let in_categories_again = if ask.categories != 0 {
        format!("WHERE (m.mask & {}) <> 0", sql.int(ask.categories))
    } else {
        String::new()
    };
    let limit = sql.int(ask.limit as i64);
    let offset = sql.int(ask.offset as i64);
    let ctes: String = source.ctes.iter().map(|c| format!("{c}, ")).collect();
    sql.text = format!(
        "WITH {ctes}m AS MATERIALIZED (\
            SELECT a.id, a.ext_id, a.order_key, a.confirmed, a.mask, {km} AS km, {score} AS score \
            {from} WHERE {conditions}) \
         SELECT 0 AS part, CAST(NULL AS INTEGER) AS category, CAST(NULL AS TEXT) AS ext_id, count(*) AS n \
            FROM m {in_categories} \
         UNION ALL \
         SELECT 1, ac.category, NULL, count(*) FROM m JOIN activity_categories ac ON ac.activity = m.id \
            GROUP BY ac.category \
         UNION ALL \
         SELECT * FROM (SELECT 2, CAST(NULL AS INTEGER), m.ext_id, row_number() OVER (ORDER BY {order}) \
            FROM m {in_categories_again} ORDER BY {order} LIMIT {limit} OFFSET {offset}) p",
        km = source.km,
        score = source.score,
        from = source.from,
        conditions = conditions.join(" AND "),
    );
    Ok(())
}

/// Builds the answer from the rows of [`search_sql`].
#[derive(Default)]
pub(crate) struct Collect {
    total: usize,
    counts: Vec<(usize, usize)>,
    page: Vec<(i64, String)>,
}

impl Collect {
    pub fn row(&mut self, part: i64, category: Option<i64>, id: Option<String>, n: i64) {
        match part {
            0 => self.total = n as usize,
            1 => {
                if let Some(c) = category {
                    self.counts.push((c as usize, n as usize));
                }
            }
            _ => {
                if let Some(id) = id {
                    self.page.push((n, id));
                }
            }
        }
    }

    pub fn answer(mut self) -> Answer {
        self.page.sort();
        Answer {
            total: self.total,
            page: self.page.into_iter().map(|(_, id)| id).collect(),
            categories: category_counts(self.counts),
        }
    }
}

/// ORDER BY for the sort asked (columns of the CTE `m`).
pub(crate) fn order_by(sort: signpost_search::Sort) -> &'static str {
    match sort {
        signpost_search::Sort::Distance => "m.km, m.order_key",
        signpost_search::Sort::Confirmed => "m.confirmed DESC, m.order_key",
        signpost_search::Sort::Relevance => "m.score DESC, m.confirmed DESC, m.order_key",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_swap_is_one_edit_and_lengths_are_bounded() {
        assert!(within_edits("fotbal", "footbal", 1));
        assert!(within_edits("footbla", "footbal", 1));
        assert!(!within_edits("fotbla", "footbal", 1));
        assert!(within_edits("fotbla", "footbal", 2));
        assert!(!within_edits("kitten", "sitting", 2));
        assert!(within_edits("play", "lay", 1));
    }

    #[test]
    fn edit_counts_match_the_scans_rule_and_stop_early_only_when_over() {
        let within = |a: &str, b: &str, limit| within_edits(a, b, limit);
        assert!(within("footbal", "footbal", 0));
        for typo in ["fotobal", "footbl", "footbaal", "fxotbal"] {
            assert!(
                within(typo, "footbal", 1) && !within(typo, "footbal", 0),
                "{typo}"
            );
        }
        assert!(within("kitten", "sitting", 3) && !within("kitten", "sitting", 2));
        assert!(!within("abcdefgh", "zzzzzzzz", 2));
    }

    #[test]
    fn order_keys_keep_their_order_as_signed_integers() {
        let ids = ["a", "b", "act-1", "act-2", "zzz"];
        for x in ids {
            for y in ids {
                let (ux, uy) = (
                    signpost_model::fnv1a(x.as_bytes()),
                    signpost_model::fnv1a(y.as_bytes()),
                );
                assert_eq!(ux.cmp(&uy), order_key(x).cmp(&order_key(y)));
            }
        }
    }

    #[test]
    fn stop_words_alone_find_nothing_and_synonyms_come_along() {
        assert!(words("the and").is_none());
        let w = words("Footy the club").unwrap();
        assert_eq!(w.len(), 2);
        assert!(!w[0].synonyms.is_empty());
    }
}
