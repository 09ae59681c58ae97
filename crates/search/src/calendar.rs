//! Timetables in the index, for the "day", "when" and "now" filters.
//!
//! Two parts, so the filters cost little at a million listings:
//! - **Terms** name what a timetable could ever match, whatever the date: `cal:5` (a session
//!   on a Saturday), `cal:2:as` (a Wednesday session overlapping after school), `cal:ev` (some
//!   evening session), `cal:we` (some weekend session), `cal:hol` (a session that could fall in
//!   a school holiday: not term-time only), `run:2:16` (running during the hour
//!   from 16:00 on a Wednesday, a late session's minutes past midnight counted on the next
//!   day). A filter becomes one term query: a superset of the right answer.
//! - **Packed sessions**, one `u64` per weekly session, dated session or day off, held in a
//!   fast field, for the exact check of what a term let through: term dates, school holidays,
//!   "from/until" dates, one-off dates and days off, judged at the moment of the search.
//!
//! A timetable of plain weekly sessions (all year, no dates, no days off) is *simple*: for
//! "day" and "when" its terms are exact when the days asked about make a whole week (as the
//! four-week horizon always does), so the exact check is skipped. "Now" is always checked to the minute.
//!
//! The semantics are [`signpost_model::Schedule::occurrences`]'s: a test compares this with
//! the occurrence-by-occurrence definition on random timetables and moments.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike, Weekday};
use signpost_model::calendar::is_school_holiday;
use signpost_model::{Occurrence, Schedule, SessionTime, TermPattern};

use crate::schema::day_number;
use crate::{WHEN_HORIZON_DAYS, When, days_asked};

/// Packed dates count days from 2000-01-01 in 17 bits, up to the year 2358. A "from" date
/// before 2000 is kept as 2000-01-01 and an "until" date past 2358 as none; sessions wholly
/// outside that span are left out. Searches are always made inside it.
const EPOCH_DAY: i64 = 730_120;
const DAY_BITS: u32 = 17;
const DAY_MAX: u64 = (1 << DAY_BITS) - 1;

const KIND_WEEKLY: u64 = 0;
const KIND_DATED: u64 = 1;
const KIND_DAY_OFF: u64 = 2;

const AFTER_SCHOOL: (u32, u32) = (15 * 60, 18 * 60);
const EVENING: (u32, u32) = (18 * 60, 24 * 60);
const DAY_MINUTES: u32 = 24 * 60;

fn relative_day(d: NaiveDate) -> i64 {
    day_number(d) - EPOCH_DAY
}

fn weekday_index(d: Weekday) -> u32 {
    d.num_days_from_monday()
}

/// Start and end in minutes after midnight of the session's own date; the end may pass 24:00.
fn span(start: SessionTime, end: SessionTime) -> (u32, u32) {
    let date = NaiveDate::MIN;
    Occurrence { date, start, end }.minute_span()
}

fn term_code(t: TermPattern) -> u64 {
    match t {
        TermPattern::AllYear => 0,
        TermPattern::TermTime => 1,
        TermPattern::SchoolHolidays => 2,
    }
}

/// The timetable packed for the exact check.
pub(crate) fn pack(schedule: &Schedule) -> Vec<u64> {
    let mut out = Vec::new();
    let in_range = |d: i64| u64::try_from(d).ok().filter(|d| *d <= DAY_MAX);
    for w in &schedule.weekly {
        let from = match w.valid_from.map(relative_day) {
            None => 0,
            Some(d) if d < 0 => 0,
            Some(d) => match in_range(d) {
                Some(d) => d,
                None => continue, // starts after 2358
            },
        };
        let to = match w.valid_to.map(relative_day) {
            None => DAY_MAX,
            Some(d) if d < 0 => continue, // ended before 2000
            Some(d) => in_range(d).unwrap_or(DAY_MAX),
        };
        let (s, e) = span(w.start, w.end);
        out.push(
            KIND_WEEKLY
                | u64::from(weekday_index(w.day)) << 2
                | u64::from(s) << 5
                | u64::from(e) << 16
                | term_code(w.term) << 28
                | from << 30
                | to << 47,
        );
    }
    for d in &schedule.dated {
        if let Some(day) = in_range(relative_day(d.date)) {
            let (s, e) = span(d.start, d.end);
            out.push(KIND_DATED | day << 2 | u64::from(s) << 19 | u64::from(e) << 30);
        }
    }
    for x in &schedule.exceptions {
        if let Some(day) = in_range(relative_day(*x)) {
            out.push(KIND_DAY_OFF | day << 2);
        }
    }
    out
}

/// Plain weekly sessions only: the day and "when" terms are exact for it.
pub(crate) fn is_simple(schedule: &Schedule) -> bool {
    schedule.dated.is_empty()
        && schedule.exceptions.is_empty()
        && schedule.weekly.iter().all(|w| {
            w.term == TermPattern::AllYear && w.valid_from.is_none() && w.valid_to.is_none()
        })
}

fn overlaps((s, e): (u32, u32), (from, to): (u32, u32)) -> bool {
    s < to && e > from
}

/// The terms a timetable is indexed under (see the module documentation).
pub(crate) fn terms(schedule: &Schedule) -> Vec<String> {
    let sessions = schedule
        .weekly
        .iter()
        .map(|w| (weekday_index(w.day), span(w.start, w.end)))
        .chain(
            schedule
                .dated
                .iter()
                .map(|d| (weekday_index(d.date.weekday()), span(d.start, d.end))),
        );
    let mut out = Vec::new();
    let in_holidays = schedule
        .weekly
        .iter()
        .any(|w| w.term != TermPattern::TermTime)
        || schedule.dated.iter().any(|d| is_school_holiday(d.date));
    if in_holidays {
        out.push("cal:hol".to_owned());
    }
    for (day, (s, e)) in sessions {
        out.push(format!("cal:{day}"));
        if day < 5 && overlaps((s, e), AFTER_SCHOOL) {
            out.push(format!("cal:{day}:as"));
            out.push("cal:as".to_owned());
        }
        if overlaps((s, e), EVENING) {
            out.push(format!("cal:{day}:ev"));
            out.push("cal:ev".to_owned());
        }
        if day >= 5 {
            out.push("cal:we".to_owned());
        }
        for hour in s / 60..=(e - 1) / 60 {
            let (d, h) = if hour < 24 {
                (day, hour)
            } else {
                ((day + 1) % 7, hour - 24)
            };
            out.push(format!("run:{d}:{h}"));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The one term every match of these filters has, or `None` when nothing can match (a
/// weekend day asked for after school, say). Only called when a day or "when" is given.
pub(crate) fn query_term(
    day: Option<Weekday>,
    when: Option<When>,
    now: NaiveDateTime,
) -> Option<String> {
    let day = day.map(weekday_index);
    match (when, day) {
        (Some(When::Now), _) => Some(format!(
            "run:{}:{}",
            weekday_index(now.date().weekday()),
            now.hour()
        )),
        (None, Some(d)) => Some(format!("cal:{d}")),
        (None, None) => None,
        (Some(When::Weekend), Some(d)) => (d >= 5).then(|| format!("cal:{d}")),
        (Some(When::Weekend), None) => Some("cal:we".to_owned()),
        (Some(When::AfterSchool), Some(d)) => (d < 5).then(|| format!("cal:{d}:as")),
        (Some(When::AfterSchool), None) => Some("cal:as".to_owned()),
        (Some(When::Evening), Some(d)) => Some(format!("cal:{d}:ev")),
        (Some(When::Evening), None) => Some("cal:ev".to_owned()),
        (Some(When::Holidays(_)), Some(d)) => Some(format!("cal:{d}")),
        (Some(When::Holidays(_)), None) => Some("cal:hol".to_owned()),
    }
}

#[derive(Clone, Copy, Debug)]
struct Day {
    relative: u64,
    weekday: u32,
    holiday: bool,
}

impl Day {
    fn of(d: NaiveDate) -> Day {
        Day {
            relative: u64::try_from(relative_day(d)).unwrap_or(0),
            weekday: weekday_index(d.weekday()),
            holiday: is_school_holiday(d),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Test {
    /// A session on one of the days that fits the day and part of the week.
    Window {
        day: Option<u32>,
        when: Option<When>,
    },
    /// A session running at `minute` past midnight of day `today` (on that day's occurrence
    /// date, if `day` is given).
    Now {
        today: u64,
        minute: u32,
        day: Option<u32>,
    },
}

/// Identifies a [`TimeCheck`]'s answer, for keeping it between searches: its days follow
/// from the first, and the test holds the rest (the minute, for "now").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct TimeKey {
    first_day: u64,
    test: Test,
}

/// The exact check of one search, prepared once and run on each candidate's packed sessions.
#[derive(Clone, Debug)]
pub(crate) struct TimeCheck {
    days: Vec<Day>,
    test: Test,
    /// Every day of the week is among `days`: worked out once, since the collector asks for
    /// each candidate ([`TimeCheck::term_is_exact_for_simple`]).
    whole_week: bool,
}

impl TimeCheck {
    /// `None` when the search has no day or "when" filter.
    pub(crate) fn new(
        day: Option<Weekday>,
        when: Option<When>,
        now: NaiveDateTime,
    ) -> Option<Self> {
        if day.is_none() && when.is_none() {
            return None;
        }
        let today = now.date();
        let day = day.map(weekday_index);
        if when == Some(When::Now) {
            let yesterday = today.pred_opt().unwrap_or(today);
            let mut days = vec![Day::of(yesterday)];
            if yesterday != today {
                days.push(Day::of(today));
            }
            let minute = now.hour() * 60 + now.minute();
            return Some(TimeCheck::of(
                days,
                Test::Now {
                    today: Day::of(today).relative,
                    minute,
                    day,
                },
            ));
        }
        let (first, last) = days_asked(when, today);
        let days = first
            .iter_days()
            .take_while(|d| *d <= last)
            .map(Day::of)
            .collect();
        Some(TimeCheck::of(days, Test::Window { day, when }))
    }

    /// Any session in the `days` days from `now`'s date on (at least a week).
    pub(crate) fn soon(now: NaiveDateTime, days: i64) -> Self {
        Self::any_session(Self::days_from(now.date(), days.max(7)).collect())
    }

    /// Any session on a school day of the four weeks after the holidays `when` asks for: a
    /// listing with none runs only in the holidays.
    pub(crate) fn term_after(when: When, now: NaiveDateTime) -> Self {
        let (_, last) = days_asked(Some(when), now.date());
        let first = last.succ_opt().unwrap_or(last);
        Self::any_session(
            Self::days_from(first, WHEN_HORIZON_DAYS)
                .filter(|d| !d.holiday)
                .collect(),
        )
    }

    fn days_from(first: NaiveDate, n: i64) -> impl Iterator<Item = Day> {
        (0..n)
            .filter_map(move |i| first.checked_add_days(chrono::Days::new(i.unsigned_abs())))
            .map(Day::of)
    }

    fn any_session(days: Vec<Day>) -> Self {
        TimeCheck::of(
            days,
            Test::Window {
                day: None,
                when: None,
            },
        )
    }

    fn of(days: Vec<Day>, test: Test) -> Self {
        let whole_week = (0..7).all(|w| days.iter().any(|d| d.weekday == w));
        TimeCheck {
            days,
            test,
            whole_week,
        }
    }

    /// What the check's answer depends on: two checks with one key pass the same timetables.
    pub(crate) fn key(&self) -> TimeKey {
        TimeKey {
            first_day: self.days.first().map_or(0, |d| d.relative),
            test: self.test,
        }
    }

    /// Whether the check's answer holds for the whole day (a day or part of the week, not a
    /// "now"), so that working it out once serves every search that day.
    pub(crate) fn holds_all_day(&self) -> bool {
        matches!(self.test, Test::Window { .. })
    }

    /// Whether the check can be skipped for a simple timetable that has the query's term: it
    /// can when the days asked about hold every day of the week, since every weekly session
    /// then falls on one of them (the last days of a holiday may not).
    pub(crate) fn term_is_exact_for_simple(&self) -> bool {
        matches!(self.test, Test::Window { .. }) && self.whole_week
    }

    fn fits(&self, day: &Day, (s, e): (u32, u32)) -> bool {
        match self.test {
            Test::Window { day: want, when } => {
                want.is_none_or(|w| w == day.weekday)
                    && match when {
                        // The days are the holiday's.
                        None | Some(When::Now | When::Holidays(_)) => true,
                        Some(When::Weekend) => day.weekday >= 5,
                        Some(When::AfterSchool) => {
                            day.weekday < 5 && overlaps((s, e), AFTER_SCHOOL)
                        }
                        Some(When::Evening) => overlaps((s, e), EVENING),
                    }
            }
            Test::Now {
                today,
                minute,
                day: want,
            } => {
                let at = if day.relative == today {
                    minute
                } else if day.relative + 1 == today {
                    minute + DAY_MINUTES
                } else {
                    return false;
                };
                want.is_none_or(|w| w == day.weekday) && s <= at && at < e
            }
        }
    }

    /// Whether a timetable packed by [`pack`] has a session that passes.
    pub(crate) fn matches(&self, packed: &[u64]) -> bool {
        let day_off = |d: u64| {
            packed
                .iter()
                .any(|&v| v & 3 == KIND_DAY_OFF && (v >> 2) & DAY_MAX == d)
        };
        for &v in packed {
            match v & 3 {
                KIND_WEEKLY => {
                    let weekday = ((v >> 2) & 7) as u32;
                    let s = ((v >> 5) & 0x7FF) as u32;
                    let e = ((v >> 16) & 0xFFF) as u32;
                    let term = (v >> 28) & 3;
                    let from = (v >> 30) & DAY_MAX;
                    let to = (v >> 47) & DAY_MAX;
                    let hit = self.days.iter().any(|day| {
                        day.weekday == weekday
                            && from <= day.relative
                            && day.relative <= to
                            && match term {
                                1 => !day.holiday,
                                2 => day.holiday,
                                _ => true,
                            }
                            && self.fits(day, (s, e))
                            && !day_off(day.relative)
                    });
                    if hit {
                        return true;
                    }
                }
                KIND_DATED => {
                    let date = (v >> 2) & DAY_MAX;
                    let s = ((v >> 19) & 0x7FF) as u32;
                    let e = ((v >> 30) & 0xFFF) as u32;
                    let hit = self.days.iter().any(|day| {
                        day.relative == date && self.fits(day, (s, e)) && !day_off(date)
                    });
                    if hit {
                        return true;
                    }
                }
                _ => {}
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use signpost_model::calendar::SchoolHoliday;
    use signpost_model::{DatedSession, WeeklySession};

    /// The definition: occurrence by occurrence, as `Schedule` sees it.
    fn fits_time(
        schedule: &Schedule,
        day: Option<Weekday>,
        when: Option<When>,
        now: NaiveDateTime,
    ) -> bool {
        let today = now.date();
        if when == Some(When::Now) {
            let yesterday = today.pred_opt().unwrap_or(today);
            return schedule
                .occurrences(yesterday, today)
                .iter()
                .any(|o| o.is_running_at(now) && day.is_none_or(|d| o.date.weekday() == d));
        }
        let (first, last) = days_asked(when, today);
        schedule.occurrences(first, last).iter().any(|o| {
            let weekday = o.date.weekday();
            let weekend = matches!(weekday, Weekday::Sat | Weekday::Sun);
            day.is_none_or(|d| weekday == d)
                && match when {
                    None | Some(When::Now) => true,
                    Some(When::Holidays(_)) => is_school_holiday(o.date),
                    Some(When::Weekend) => weekend,
                    Some(When::AfterSchool) => !weekend && o.overlaps_minutes(15 * 60, 18 * 60),
                    Some(When::Evening) => o.overlaps_minutes(18 * 60, 24 * 60),
                }
        })
    }

    /// A seeded generator, so the cases are the same on every run.
    struct Rng(fastrand::Rng);
    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0.u64(..n)
        }
    }

    fn base() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()
    }

    fn date(rng: &mut Rng) -> NaiveDate {
        base() + Duration::days(rng.below(150) as i64)
    }

    fn time(rng: &mut Rng) -> SessionTime {
        // Quarter hours, and now and then an odd minute right at a boundary.
        if rng.below(4) == 0 {
            let edges = [
                (14, 59),
                (15, 0),
                (17, 59),
                (18, 0),
                (23, 59),
                (0, 0),
                (0, 1),
            ];
            let (h, m) = edges[rng.below(edges.len() as u64) as usize];
            SessionTime::hm(h, m)
        } else {
            SessionTime::hm(rng.below(24) as u32, 15 * rng.below(4) as u32)
        }
    }

    fn schedule(rng: &mut Rng) -> Schedule {
        let mut s = Schedule::default();
        for _ in 0..rng.below(4) {
            let (start, end) = (time(rng), time(rng));
            if start == end {
                continue;
            }
            let term = [
                TermPattern::AllYear,
                TermPattern::TermTime,
                TermPattern::SchoolHolidays,
            ][rng.below(3) as usize];
            let from = (rng.below(3) == 0).then(|| date(rng));
            let to = (rng.below(3) == 0).then(|| date(rng));
            let (from, to) = match (from, to) {
                (Some(a), Some(b)) if a > b => (Some(b), Some(a)),
                other => other,
            };
            let day = signpost_model::WEEK[rng.below(7) as usize];
            s.weekly
                .push(WeeklySession::new(day, start, end, term, from, to).unwrap());
        }
        for _ in 0..rng.below(3) {
            let (start, end) = (time(rng), time(rng));
            if start != end {
                s.dated.push(DatedSession {
                    date: date(rng),
                    start,
                    end,
                });
            }
        }
        for _ in 0..rng.below(3) {
            s.exceptions.push(date(rng));
        }
        s
    }

    #[test]
    fn packed_check_with_terms_equals_the_occurrence_definition() {
        let mut rng = Rng(fastrand::Rng::with_seed(7));
        let mut matched = 0;
        for case in 0..40_000 {
            let s = if case % 5 == 0 {
                // Plain weekly timetables, where the terms alone decide.
                let mut s = schedule(&mut rng);
                s.dated.clear();
                s.exceptions.clear();
                for w in &mut s.weekly {
                    w.term = TermPattern::AllYear;
                    w.valid_from = None;
                    w.valid_to = None;
                }
                s
            } else {
                schedule(&mut rng)
            };
            let now = date(&mut rng).and_time(time(&mut rng).time());
            let day = (rng.below(2) == 0).then(|| signpost_model::WEEK[rng.below(7) as usize]);
            let when = [
                None,
                Some(When::Weekend),
                Some(When::AfterSchool),
                Some(When::Evening),
                Some(When::Holidays(SchoolHoliday::Next)),
                Some(When::Holidays(SchoolHoliday::Summer)),
                Some(When::Now),
            ][rng.below(7) as usize];
            if day.is_none() && when.is_none() {
                continue;
            }
            let want = fits_time(&s, day, when, now);
            let check = TimeCheck::new(day, when, now).unwrap();
            let indexed = terms(&s);
            let got = match query_term(day, when, now) {
                None => false,
                Some(t) if !indexed.contains(&t) => false,
                Some(_) if is_simple(&s) && check.term_is_exact_for_simple() => true,
                Some(_) => check.matches(&pack(&s)),
            };
            assert_eq!(got, want, "{s:?} day {day:?} when {when:?} at {now}");
            matched += usize::from(want);
        }
        // The cases are not all one answer.
        assert!(matched > 4_000, "{matched}");
    }

    #[test]
    fn dates_outside_the_packed_span_are_kept_or_dropped_safely() {
        let old = NaiveDate::from_ymd_opt(1999, 6, 1).unwrap();
        let far = NaiveDate::from_ymd_opt(2400, 1, 1).unwrap();
        let mut s = Schedule::default();
        let at = |h| SessionTime::hm(h, 0);
        s.weekly.push(
            WeeklySession::new(
                Weekday::Sat,
                at(10),
                at(12),
                TermPattern::AllYear,
                Some(old),
                Some(far),
            )
            .unwrap(),
        );
        // Ended before 2000: never found.
        s.weekly.push(
            WeeklySession::new(
                Weekday::Sun,
                at(10),
                at(12),
                TermPattern::AllYear,
                None,
                Some(old),
            )
            .unwrap(),
        );
        assert_eq!(pack(&s).len(), 1);
        let now = base().and_time(at(9).time());
        let check = |d| {
            TimeCheck::new(Some(d), None, now)
                .unwrap()
                .matches(&pack(&s))
        };
        assert!(check(Weekday::Sat));
        assert!(!check(Weekday::Sun));
        assert_eq!(
            EPOCH_DAY,
            day_number(NaiveDate::from_ymd_opt(2000, 1, 1).unwrap())
        );
    }
}
