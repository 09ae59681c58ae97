//! When an activity runs: weekly sessions (all year, term-time only or school holidays only,
//! between optional dates), one-off dated sessions, and dates it is not running.
//!
//! All times are wall-clock times in Europe/London; a session whose end is not after its start
//! runs past midnight.

use std::fmt;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use crate::calendar::is_school_holiday;

/// A wall-clock time written `HH:MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SessionTime(NaiveTime);

impl SessionTime {
    pub fn parse(s: &str) -> Result<Self, ScheduleError> {
        NaiveTime::parse_from_str(s.trim(), "%H:%M")
            .map(SessionTime)
            .map_err(|_| ScheduleError::Time(s.chars().take(20).collect()))
    }

    pub fn hm(h: u32, m: u32) -> Self {
        SessionTime(NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN))
    }

    pub fn time(self) -> NaiveTime {
        self.0
    }

    /// Minutes after midnight.
    pub fn minutes(self) -> u32 {
        use chrono::Timelike;
        self.0.hour() * 60 + self.0.minute()
    }
}

impl fmt::Display for SessionTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%H:%M"))
    }
}

impl Serialize for SessionTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SessionTime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        SessionTime::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ScheduleError {
    #[error("'{0}' is not a time: write it as HH:MM, e.g. 18:30")]
    Time(String),
    #[error("'{0}' is not a day of the week")]
    Day(String),
    #[error("a session cannot start and end at the same time ({0})")]
    ZeroLength(String),
    #[error("valid_from ({0}) is after valid_to ({1})")]
    InvertedDates(NaiveDate, NaiveDate),
}

/// A day as iCalendar and Open Referral write it: `MO` ... `SU`.
pub fn ical_code(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

/// The days of the week, Monday first (as English calendars and timetables list them).
pub const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// A day as feeds write it: an iCalendar code (`MO`) or a name ([`parse_weekday`]). The codes
/// are kept apart from `parse_weekday` so that words people type ("we") are not days.
pub fn parse_ical_weekday(token: &str) -> Option<Weekday> {
    let code = token.trim().to_ascii_uppercase();
    WEEK.into_iter()
        .find(|d| ical_code(*d) == code)
        .or_else(|| parse_weekday(token).ok())
}

/// Parses a day name: `saturday`, `Sat`, `SATURDAY`.
pub fn parse_weekday(s: &str) -> Result<Weekday, ScheduleError> {
    let lower = s.trim().to_ascii_lowercase();
    let day = match lower.as_str() {
        "monday" | "mon" => Weekday::Mon,
        "tuesday" | "tue" | "tues" => Weekday::Tue,
        "wednesday" | "wed" => Weekday::Wed,
        "thursday" | "thu" | "thur" | "thurs" => Weekday::Thu,
        "friday" | "fri" => Weekday::Fri,
        "saturday" | "sat" => Weekday::Sat,
        "sunday" | "sun" => Weekday::Sun,
        _ => return Err(ScheduleError::Day(s.chars().take(20).collect())),
    };
    Ok(day)
}

/// The lowercase English name of a day, as used in files and the API.
pub fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}

/// The day as a word in a sentence or a heading: "Saturday".
pub fn weekday_title(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

mod weekday_serde {
    use super::*;

    pub fn serialize<S: serde::Serializer>(d: &Weekday, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(weekday_name(*d))
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Weekday, D::Error> {
        let s = String::deserialize(d)?;
        parse_weekday(&s).map_err(serde::de::Error::custom)
    }
}

/// Which weeks of the year a weekly session runs in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TermPattern {
    #[default]
    AllYear,
    TermTime,
    SchoolHolidays,
}

impl TermPattern {
    fn runs_on(self, date: NaiveDate) -> bool {
        match self {
            TermPattern::AllYear => true,
            TermPattern::TermTime => !is_school_holiday(date),
            TermPattern::SchoolHolidays => is_school_holiday(date),
        }
    }

    pub fn label(self) -> Option<&'static str> {
        match self {
            TermPattern::AllYear => None,
            TermPattern::TermTime => Some("term time only"),
            TermPattern::SchoolHolidays => Some("school holidays only"),
        }
    }
}

/// A session that repeats every week on one day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawWeekly")]
pub struct WeeklySession {
    #[serde(with = "weekday_serde")]
    pub day: Weekday,
    pub start: SessionTime,
    pub end: SessionTime,
    #[serde(default, skip_serializing_if = "is_all_year")]
    pub term: TermPattern,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<NaiveDate>,
}

fn is_all_year(t: &TermPattern) -> bool {
    *t == TermPattern::AllYear
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWeekly {
    #[serde(with = "weekday_serde")]
    day: Weekday,
    start: SessionTime,
    end: SessionTime,
    #[serde(default)]
    term: TermPattern,
    #[serde(default)]
    valid_from: Option<NaiveDate>,
    #[serde(default)]
    valid_to: Option<NaiveDate>,
}

impl TryFrom<RawWeekly> for WeeklySession {
    type Error = ScheduleError;
    fn try_from(r: RawWeekly) -> Result<Self, ScheduleError> {
        WeeklySession::new(r.day, r.start, r.end, r.term, r.valid_from, r.valid_to)
    }
}

impl WeeklySession {
    pub fn new(
        day: Weekday,
        start: SessionTime,
        end: SessionTime,
        term: TermPattern,
        valid_from: Option<NaiveDate>,
        valid_to: Option<NaiveDate>,
    ) -> Result<Self, ScheduleError> {
        if start == end {
            return Err(ScheduleError::ZeroLength(start.to_string()));
        }
        if let (Some(a), Some(b)) = (valid_from, valid_to)
            && a > b
        {
            return Err(ScheduleError::InvertedDates(a, b));
        }
        Ok(WeeklySession {
            day,
            start,
            end,
            term,
            valid_from,
            valid_to,
        })
    }

    fn runs_on(&self, date: NaiveDate) -> bool {
        date.weekday() == self.day
            && self.valid_from.is_none_or(|f| date >= f)
            && self.valid_to.is_none_or(|t| date <= t)
            && self.term.runs_on(date)
    }
}

/// A one-off session on a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawDated")]
pub struct DatedSession {
    pub date: NaiveDate,
    pub start: SessionTime,
    pub end: SessionTime,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDated {
    date: NaiveDate,
    start: SessionTime,
    end: SessionTime,
}

impl TryFrom<RawDated> for DatedSession {
    type Error = ScheduleError;
    fn try_from(r: RawDated) -> Result<Self, ScheduleError> {
        if r.start == r.end {
            return Err(ScheduleError::ZeroLength(r.start.to_string()));
        }
        Ok(DatedSession {
            date: r.date,
            start: r.start,
            end: r.end,
        })
    }
}

/// Everything about when an activity runs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weekly: Vec<WeeklySession>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dated: Vec<DatedSession>,
    /// Dates on which no session runs (bank holidays, a hall booked for something else).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<NaiveDate>,
}

/// One actual session on one date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Occurrence {
    pub date: NaiveDate,
    pub start: SessionTime,
    pub end: SessionTime,
}

const DAY_MINUTES: u32 = 24 * 60;

impl Occurrence {
    /// Start and end in minutes after the occurrence date's midnight; the end may pass 24:00.
    pub fn minute_span(&self) -> (u32, u32) {
        let start = self.start.minutes();
        let mut end = self.end.minutes();
        if end <= start {
            end += DAY_MINUTES;
        }
        (start, end)
    }

    /// Whether the session shares any time with `[from, to)` on its own date (minutes after
    /// midnight, `to` may be 1440). Touching is not overlapping: 17:00-18:00 does not overlap
    /// 18:00-24:00.
    pub fn overlaps_minutes(&self, from: u32, to: u32) -> bool {
        let (start, end) = self.minute_span();
        start < to && end > from
    }

    /// Whether the session is running at `at`.
    pub fn is_running_at(&self, at: NaiveDateTime) -> bool {
        let begin = self.date.and_time(self.start.time());
        let (s, e) = self.minute_span();
        let end = begin + Duration::minutes(i64::from(e - s));
        begin <= at && at < end
    }

    pub fn end_datetime(&self) -> NaiveDateTime {
        let (s, e) = self.minute_span();
        self.date.and_time(self.start.time()) + Duration::minutes(i64::from(e - s))
    }
}

impl Schedule {
    pub fn is_empty(&self) -> bool {
        self.weekly.is_empty() && self.dated.is_empty()
    }

    /// Every session from `from` to `to` inclusive, in time order.
    pub fn occurrences(&self, from: NaiveDate, to: NaiveDate) -> Vec<Occurrence> {
        let mut out = Vec::new();
        let mut date = from;
        while date <= to {
            if !self.exceptions.contains(&date) {
                for w in self.weekly.iter().filter(|w| w.runs_on(date)) {
                    out.push(Occurrence {
                        date,
                        start: w.start,
                        end: w.end,
                    });
                }
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => break,
            }
        }
        for d in &self.dated {
            if d.date >= from && d.date <= to && !self.exceptions.contains(&d.date) {
                out.push(Occurrence {
                    date: d.date,
                    start: d.start,
                    end: d.end,
                });
            }
        }
        out.sort();
        out
    }

    /// The last date anything could run, or `None` when a weekly session has no end date (or
    /// there is no timetable at all: "contact us for times" listings never expire by date).
    pub fn ends_on(&self) -> Option<NaiveDate> {
        if self.is_empty() {
            return None;
        }
        let mut last = NaiveDate::MIN;
        for w in &self.weekly {
            last = last.max(w.valid_to?);
        }
        for d in &self.dated {
            last = last.max(d.date);
        }
        Some(last)
    }

    /// Whether a session still to come (from `today`) starts at or after `from` and ends by
    /// `until`, on `day` when one is given: Open Referral's `start_time`/`end_time` filter.
    /// Weekly sessions count until their `valid_to`, one-offs on their date.
    pub fn has_session_within(
        &self,
        today: NaiveDate,
        day: Option<Weekday>,
        from: Option<NaiveTime>,
        until: Option<NaiveTime>,
    ) -> bool {
        let fits = |on: Weekday, start: NaiveTime, end: NaiveTime| {
            day.is_none_or(|d| d == on)
                && from.is_none_or(|t| start >= t)
                && until.is_none_or(|t| end <= t && end > start)
        };
        self.weekly.iter().any(|w| {
            w.valid_to.is_none_or(|to| to >= today) && fits(w.day, w.start.time(), w.end.time())
        }) || self
            .dated
            .iter()
            .any(|d| d.date >= today && fits(d.date.weekday(), d.start.time(), d.end.time()))
    }

    /// Whether every session is in the past as of `today`.
    pub fn has_ended(&self, today: NaiveDate) -> bool {
        self.ends_on().is_some_and(|end| end < today)
    }

    /// The first session that has not finished by `now`, looking up to a year ahead.
    pub fn next_occurrence(&self, now: NaiveDateTime) -> Option<Occurrence> {
        let today = now.date();
        let from = today.pred_opt().unwrap_or(today);
        self.occurrences(from, today + Duration::days(366))
            .into_iter()
            .find(|o| o.end_datetime() > now)
    }
}

/// The timetable as lines people can read and edit, one session or date per line:
///
/// ```text
/// saturday 10:00-12:00
/// tuesday 16:00-17:30 term-time from 2026-09-01 until 2027-07-20
/// wednesday 10:00-15:00 holidays
/// 2026-12-20 14:00-16:00
/// not 2026-12-25
/// ```
///
/// [`Schedule::parse_lines`] reads the same form back, so editing a listing keeps every detail.
impl Schedule {
    pub fn to_lines(&self) -> String {
        let mut out = Vec::new();
        for w in &self.weekly {
            let mut line = format!("{} {}-{}", weekday_name(w.day), w.start, w.end);
            match w.term {
                TermPattern::AllYear => {}
                TermPattern::TermTime => line.push_str(" term-time"),
                TermPattern::SchoolHolidays => line.push_str(" holidays"),
            }
            if let Some(d) = w.valid_from {
                line.push_str(&format!(" from {d}"));
            }
            if let Some(d) = w.valid_to {
                line.push_str(&format!(" until {d}"));
            }
            out.push(line);
        }
        for d in &self.dated {
            out.push(format!("{} {}-{}", d.date, d.start, d.end));
        }
        for d in &self.exceptions {
            out.push(format!("not {d}"));
        }
        out.join("\n")
    }

    /// Reads the form written by [`Schedule::to_lines`]. Every problem is reported with its
    /// line number.
    pub fn parse_lines(text: &str) -> Result<Schedule, Vec<String>> {
        let mut schedule = Schedule::default();
        let mut problems = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            if let Err(e) = parse_line(line, &mut schedule) {
                let shown: String = line.chars().take(60).collect();
                problems.push(format!("timetable line {} (\"{shown}\"): {e}", n + 1));
            }
        }
        if problems.is_empty() {
            Ok(schedule)
        } else {
            Err(problems)
        }
    }
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    s.parse()
        .map_err(|_| format!("'{s}' is not a date: write it as YYYY-MM-DD, e.g. 2026-12-25"))
}

fn parse_span(s: &str) -> Result<(SessionTime, SessionTime), String> {
    let (a, b) = s
        .split_once('-')
        .ok_or_else(|| format!("'{s}' is not a time span: write it as 10:00-12:00"))?;
    let start = SessionTime::parse(a).map_err(|e| e.to_string())?;
    let end = SessionTime::parse(b).map_err(|e| e.to_string())?;
    if start == end {
        return Err(ScheduleError::ZeroLength(start.to_string()).to_string());
    }
    Ok((start, end))
}

fn parse_line(line: &str, schedule: &mut Schedule) -> Result<(), String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let first = words[0].to_ascii_lowercase();
    if first == "not" {
        let [_, date] = words[..] else {
            return Err("write a date the activity does not run as: not 2026-12-25".into());
        };
        schedule.exceptions.push(parse_date(date)?);
        return Ok(());
    }
    if first.starts_with(|c: char| c.is_ascii_digit()) {
        let [date, span] = words[..] else {
            return Err("write a one-off session as: 2026-12-20 14:00-16:00".into());
        };
        let date = parse_date(date)?;
        let (start, end) = parse_span(span)?;
        schedule.dated.push(DatedSession { date, start, end });
        return Ok(());
    }
    let day = parse_weekday(&first).map_err(|e| {
        format!("{e}; start a line with a day (saturday 10:00-12:00), a date, or 'not'")
    })?;
    let span = words
        .get(1)
        .ok_or("give the times after the day: saturday 10:00-12:00")?;
    let (start, end) = parse_span(span)?;
    let mut term = TermPattern::AllYear;
    let (mut from, mut to) = (None, None);
    let mut rest = words[2..].iter();
    while let Some(word) = rest.next() {
        match word.to_ascii_lowercase().as_str() {
            "term-time" | "term" => term = TermPattern::TermTime,
            "holidays" | "holiday" => term = TermPattern::SchoolHolidays,
            "from" => from = Some(parse_date(rest.next().ok_or("give a date after 'from'")?)?),
            "until" | "to" => {
                to = Some(parse_date(rest.next().ok_or("give a date after 'until'")?)?)
            }
            other => {
                return Err(format!(
                    "'{other}' is not understood: after the times write term-time, holidays, from DATE or until DATE"
                ));
            }
        }
    }
    let session = WeeklySession::new(day, start, end, term, from, to).map_err(|e| e.to_string())?;
    schedule.weekly.push(session);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_session_within_hours_is_one_still_to_come_that_fits_them() {
        let t = |s: &str| NaiveTime::parse_from_str(s, "%H:%M").unwrap();
        let mut s = Schedule::default();
        let mut tuesday = crate::fixture::weekly(Weekday::Tue, "16:00", "17:30");
        tuesday.valid_to = Some(date("2026-12-15"));
        s.weekly.push(tuesday);
        s.dated.push(DatedSession {
            date: date("2026-12-20"),
            start: SessionTime::parse("10:00").unwrap(),
            end: SessionTime::parse("12:00").unwrap(),
        });
        let today = date("2026-12-07");
        let within = |day, from, until| s.has_session_within(today, day, from, until);
        assert!(within(None, Some(t("16:00")), Some(t("18:00"))));
        assert!(
            !within(None, Some(t("16:30")), Some(t("18:00"))),
            "starts too early"
        );
        assert!(
            !within(Some(Weekday::Wed), Some(t("15:00")), None),
            "not on Wednesday"
        );
        assert!(
            within(Some(Weekday::Sun), None, Some(t("12:00"))),
            "the one-off"
        );
        assert!(!within(Some(Weekday::Sun), None, Some(t("11:00"))));
        // After the weekly sessions stop and the one-off has been, nothing is to come.
        assert!(!s.has_session_within(date("2026-12-21"), None, None, Some(t("23:00"))));
    }

    fn weekly(day: Weekday, start: &str, end: &str) -> WeeklySession {
        WeeklySession::new(
            day,
            SessionTime::parse(start).unwrap(),
            SessionTime::parse(end).unwrap(),
            TermPattern::AllYear,
            None,
            None,
        )
        .unwrap()
    }

    #[test]
    fn weekly_sessions_repeat_and_skip_exception_dates() {
        let mut s = Schedule {
            weekly: vec![weekly(Weekday::Sat, "10:00", "12:00")],
            ..Schedule::default()
        };
        // 2026-11-21 is a Saturday.
        assert_eq!(
            s.occurrences(date("2026-11-16"), date("2026-11-30")).len(),
            2
        );
        s.exceptions.push(date("2026-11-28"));
        let occ = s.occurrences(date("2026-11-16"), date("2026-11-30"));
        assert_eq!(occ.len(), 1);
        assert_eq!(occ[0].date, date("2026-11-21"));
    }

    #[test]
    fn term_time_sessions_stop_for_christmas_and_holiday_sessions_start() {
        let mut term = weekly(Weekday::Tue, "16:00", "17:00");
        term.term = TermPattern::TermTime;
        let mut hol = weekly(Weekday::Tue, "10:00", "15:00");
        hol.term = TermPattern::SchoolHolidays;
        let s = Schedule {
            weekly: vec![term, hol],
            ..Schedule::default()
        };
        let dec = s.occurrences(date("2026-12-22"), date("2026-12-22"));
        assert_eq!(dec.len(), 1);
        assert_eq!(dec[0].start.to_string(), "10:00");
        let nov = s.occurrences(date("2026-11-24"), date("2026-11-24"));
        assert_eq!(nov.len(), 1);
        assert_eq!(nov[0].start.to_string(), "16:00");
    }

    #[test]
    fn a_schedule_that_ended_yesterday_has_ended() {
        let mut w = weekly(Weekday::Mon, "18:00", "19:00");
        w.valid_to = Some(date("2026-11-20"));
        let s = Schedule {
            weekly: vec![w],
            ..Schedule::default()
        };
        assert!(s.has_ended(date("2026-11-21")));
        assert!(!s.has_ended(date("2026-11-20")));
    }

    #[test]
    fn a_future_dated_session_keeps_a_listing_alive() {
        let mut w = weekly(Weekday::Mon, "18:00", "19:00");
        w.valid_to = Some(date("2026-01-01"));
        let s = Schedule {
            weekly: vec![w],
            dated: vec![DatedSession {
                date: date("2026-12-05"),
                start: SessionTime::hm(10, 0),
                end: SessionTime::hm(12, 0),
            }],
            exceptions: vec![],
        };
        assert!(!s.has_ended(date("2026-11-21")));
        assert_eq!(Schedule::default().ends_on(), None);
    }

    #[test]
    fn overlap_is_exact_at_the_edges() {
        let o = |a: &str, b: &str| Occurrence {
            date: date("2026-11-23"),
            start: SessionTime::parse(a).unwrap(),
            end: SessionTime::parse(b).unwrap(),
        };
        let evening = (18 * 60, 24 * 60);
        assert!(o("17:30", "19:00").overlaps_minutes(evening.0, evening.1));
        assert!(!o("16:00", "18:00").overlaps_minutes(evening.0, evening.1));
        assert!(o("23:00", "01:00").overlaps_minutes(evening.0, evening.1));
        assert!(o("16:00", "18:00").overlaps_minutes(15 * 60, 18 * 60));
        assert!(!o("18:00", "19:00").overlaps_minutes(15 * 60, 18 * 60));
    }

    #[test]
    fn next_occurrence_skips_a_session_that_has_finished() {
        let s = Schedule {
            weekly: vec![weekly(Weekday::Sat, "10:00", "12:00")],
            ..Schedule::default()
        };
        let now = date("2026-11-21").and_hms_opt(13, 0, 0).unwrap();
        assert_eq!(s.next_occurrence(now).unwrap().date, date("2026-11-28"));
        let now = date("2026-11-21").and_hms_opt(11, 0, 0).unwrap();
        assert_eq!(s.next_occurrence(now).unwrap().date, date("2026-11-21"));
    }

    #[test]
    fn file_form_rejects_bad_times() {
        let bad = r#"{"day":"funday","start":"10:00","end":"11:00"}"#;
        assert!(serde_json::from_str::<WeeklySession>(bad).is_err());
        let bad = r#"{"day":"monday","start":"25:00","end":"11:00"}"#;
        assert!(serde_json::from_str::<WeeklySession>(bad).is_err());
        let typo = r#"{"day":"monday","start":"18:00","end":"19:00","valid_until":"2026-01-01"}"#;
        assert!(
            serde_json::from_str::<WeeklySession>(typo).is_err(),
            "a misspelt end date must not become a session that never ends"
        );
        let ok = r#"{"day":"Sat","start":"10:00","end":"11:30","term":"term-time"}"#;
        let w: WeeklySession = serde_json::from_str(ok).unwrap();
        assert_eq!(w.term, TermPattern::TermTime);
    }

    #[test]
    fn timetable_lines_round_trip_every_detail() {
        let text = "tuesday 16:00-17:30 term-time from 2026-09-01 until 2027-07-20\nwednesday 10:00-15:00 holidays\nsaturday 22:00-01:00\n2026-12-20 14:00-16:00\nnot 2026-12-25";
        let s = Schedule::parse_lines(text).unwrap();
        assert_eq!(s.weekly.len(), 3);
        assert_eq!(s.weekly[0].term, TermPattern::TermTime);
        assert_eq!(s.weekly[0].valid_to, Some(date("2027-07-20")));
        assert_eq!(s.dated.len(), 1);
        assert_eq!(s.exceptions, vec![date("2026-12-25")]);
        assert_eq!(s.to_lines(), text);
        assert_eq!(Schedule::parse_lines(&s.to_lines()).unwrap(), s);
    }

    #[test]
    fn timetable_mistakes_name_their_line() {
        let err =
            Schedule::parse_lines("saturday 10:00-12:00\nfunday 10:00-11:00\nsunday 25:00-26:00")
                .unwrap_err();
        assert_eq!(err.len(), 2);
        assert!(err[0].starts_with("timetable line 2"), "{err:?}");
        assert!(err[1].contains("not a time"), "{err:?}");
    }
}
