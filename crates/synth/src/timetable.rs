//! Timetables: after school, evenings, weekends, weekday mornings for the under-fives,
//! term-time only, school holidays only, holiday clubs on the dates of the next school
//! holidays, one-off events, seasons with start and end dates, listings that have ended or
//! start later, and dates off. All relative to [`crate::SYNTH_TODAY`].

use chrono::{Datelike, Days, NaiveDate, Weekday};
use signpost_model::calendar::is_school_holiday;
use signpost_model::{DatedSession, Schedule, SessionTime, TermPattern, WeeklySession};

use crate::SYNTH_TODAY;
use crate::rng::Rand;

/// What sort of timetable a listing has; the search's `day` and `when` filters and "ended"
/// all see a realistic mix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    AfterSchool,
    Evening,
    WeekendMorning,
    WeekendAfternoon,
    /// Weekday mornings or early afternoons: baby and toddler groups.
    Daytime,
    /// Weekly, in the school holidays only.
    HolidayWeekly,
    /// A holiday club on dates in the next school holidays.
    HolidayClub,
    /// One to four dated events in the next few months.
    OneOff,
    /// "Contact us for times": no timetable at all.
    NoTimes,
}

/// The school holidays around "today", worked out from the model's calendar once.
#[derive(Debug)]
pub(crate) struct Holidays {
    /// The next three holidays (Christmas, February half term, Easter from 2026-11-21).
    pub next: Vec<(NaiveDate, NaiveDate)>,
}

/// Bank holidays in the months ahead, when many weekly sessions do not run.
const BANK_HOLIDAYS: &[(i32, u32, u32)] = &[
    (2026, 12, 25),
    (2026, 12, 28),
    (2027, 1, 1),
    (2027, 3, 26),
    (2027, 3, 29),
    (2027, 5, 3),
    (2027, 5, 31),
];

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("fixed dates are valid")
}

fn bank_holidays() -> impl Iterator<Item = NaiveDate> {
    BANK_HOLIDAYS.iter().map(|&(y, m, d)| ymd(y, m, d))
}

impl Holidays {
    pub(crate) fn new() -> Holidays {
        let mut next = Vec::new();
        let mut day = SYNTH_TODAY;
        let mut start: Option<NaiveDate> = None;
        while next.len() < 3 && day < SYNTH_TODAY + Days::new(400) {
            match (is_school_holiday(day), start) {
                (true, None) => start = Some(day),
                (false, Some(s)) => {
                    next.push((s, day.pred_opt().unwrap_or(day)));
                    start = None;
                }
                _ => {}
            }
            day = day.succ_opt().unwrap_or(day);
        }
        Holidays { next }
    }
}

fn time(minutes: u32) -> SessionTime {
    let m = minutes % (24 * 60);
    SessionTime::hm(m / 60, m % 60)
}

const WEEKDAYS: [Weekday; 5] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];

fn hm(h: u32, m: u32) -> u32 {
    h * 60 + m
}

/// A day, start and end (minutes) for one weekly session of this kind.
fn slot(rng: &mut Rand, kind: Kind) -> (Weekday, u32, u32) {
    match kind {
        Kind::AfterSchool => {
            let start = hm(15, 30) + 15 * rng.between(0, 6);
            let end = (start + 15 * rng.between(3, 8)).min(hm(18, 0));
            (*rng.pick(&WEEKDAYS), start, end)
        }
        Kind::Evening => {
            let start = *rng.pick(&[
                hm(18, 0),
                hm(18, 0),
                hm(18, 15),
                hm(18, 30),
                hm(18, 30),
                hm(18, 45),
                hm(19, 0),
                hm(19, 0),
                hm(19, 30),
                hm(20, 0),
            ]);
            let end = (start + 30 * rng.between(2, 5)).min(hm(21, 30));
            let day = if rng.chance(0.12) {
                *rng.pick(&[Weekday::Sat, Weekday::Sun])
            } else {
                *rng.pick(&WEEKDAYS)
            };
            (day, start, end)
        }
        Kind::WeekendMorning => {
            let start = hm(9, 0) + 30 * rng.between(0, 4);
            let end = start + 30 * rng.between(2, 6);
            (weekend_day(rng), start, end)
        }
        Kind::WeekendAfternoon => {
            let start = hm(12, 30) + 30 * rng.between(0, 5);
            let end = start + 30 * rng.between(2, 5);
            (weekend_day(rng), start, end)
        }
        Kind::Daytime => {
            let start = *rng.pick(&[hm(9, 30), hm(10, 0), hm(10, 0), hm(10, 30), hm(13, 0)]);
            let end = start + 30 * rng.between(2, 4);
            (*rng.pick(&WEEKDAYS), start, end)
        }
        Kind::HolidayWeekly | Kind::HolidayClub => {
            let start = hm(9, 0) + 30 * rng.between(0, 3);
            let end = start + 60 * rng.between(3, 6);
            (*rng.pick(&WEEKDAYS), start, end)
        }
        Kind::OneOff | Kind::NoTimes => (weekend_day(rng), hm(10, 0), hm(12, 0)),
    }
}

fn weekend_day(rng: &mut Rand) -> Weekday {
    if rng.chance(0.65) {
        Weekday::Sat
    } else {
        Weekday::Sun
    }
}

fn session(day: Weekday, start: u32, end: u32, term: TermPattern) -> WeeklySession {
    WeeklySession::new(day, time(start), time(end), term, None, None)
        .expect("generated sessions have a length")
}

/// A listing's timetable, and the day its title may name (its one weekly day).
pub(crate) fn schedule(rng: &mut Rand, kind: Kind, holidays: &Holidays) -> Schedule {
    let mut s = Schedule::default();
    match kind {
        Kind::NoTimes => return s,
        Kind::HolidayClub => {
            s.dated = holiday_club(rng, holidays);
            return s;
        }
        Kind::OneOff => {
            s.dated = one_offs(rng);
            return s;
        }
        _ => {}
    }
    let term = match kind {
        Kind::HolidayWeekly => TermPattern::SchoolHolidays,
        Kind::AfterSchool if rng.chance(0.6) => TermPattern::TermTime,
        Kind::Daytime if rng.chance(0.5) => TermPattern::TermTime,
        Kind::Evening | Kind::WeekendMorning | Kind::WeekendAfternoon if rng.chance(0.3) => {
            TermPattern::TermTime
        }
        _ => TermPattern::AllYear,
    };
    let (day, start, end) = slot(rng, kind);
    s.weekly.push(session(day, start, end, term));
    // A second session: usually the same kind on another day, sometimes another kind.
    let more = match kind {
        Kind::HolidayWeekly => rng.below(3),
        _ if rng.chance(0.3) => 1,
        _ => 0,
    };
    for _ in 0..more {
        let other = if rng.chance(0.2) {
            *rng.pick(&[Kind::Evening, Kind::WeekendMorning, Kind::AfterSchool])
        } else {
            kind
        };
        let (d, a, b) = slot(rng, other);
        if s.weekly.iter().all(|w| w.day != d) {
            s.weekly.push(session(d, a, b, term));
        }
    }
    if kind == Kind::Evening && rng.chance(0.02) {
        // A late night that runs past midnight.
        let day = *rng.pick(&[Weekday::Fri, Weekday::Sat]);
        if s.weekly.iter().all(|w| w.day != day) {
            s.weekly
                .push(session(day, hm(21, 0), hm(0, 30), TermPattern::AllYear));
        }
    }
    lifecycle(rng, &mut s);
    if rng.chance(0.15) {
        days_off(rng, &mut s);
    }
    s
}

/// Seasons, ended listings and ones that start later, set on the weekly sessions.
fn lifecycle(rng: &mut Rand, s: &mut Schedule) {
    let r = rng.unit();
    let (from, to) = if r < 0.03 {
        // Ended: the last session was before today.
        let to = SYNTH_TODAY - Days::new(u64::from(rng.between(3, 240)));
        (
            Some(to - Days::new(u64::from(rng.between(42, 300)))),
            Some(to),
        )
    } else if r < 0.05 {
        // Starts later: from a date in the new year, sometimes for a season only.
        let from = SYNTH_TODAY + Days::new(u64::from(rng.between(20, 150)));
        let to = rng
            .chance(0.5)
            .then(|| from + Days::new(u64::from(rng.between(42, 200))));
        (Some(from), to)
    } else if r < 0.13 {
        // This school year.
        (
            Some(ymd(2026, 9, rng.between(1, 14))),
            Some(ymd(2027, 7, rng.between(9, 21))),
        )
    } else if r < 0.17 {
        // A short course that began recently.
        let from = SYNTH_TODAY - Days::new(u64::from(rng.between(7, 50)));
        (
            Some(from),
            Some(from + Days::new(7 * u64::from(rng.between(6, 12)))),
        )
    } else {
        (None, None)
    };
    for w in &mut s.weekly {
        w.valid_from = from;
        w.valid_to = to;
    }
}

/// Dates a weekly listing does not run: bank holidays, or a week the hall is booked.
fn days_off(rng: &mut Rand, s: &mut Schedule) {
    let days: Vec<Weekday> = s.weekly.iter().map(|w| w.day).collect();
    if rng.chance(0.5) {
        s.exceptions
            .extend(bank_holidays().filter(|d| days.contains(&d.weekday())));
    }
    if s.exceptions.is_empty() || rng.chance(0.5) {
        let Some(&day) = days.first() else { return };
        let mut date = SYNTH_TODAY + Days::new(u64::from(rng.between(7, 60)));
        while date.weekday() != day {
            date = date.succ_opt().unwrap_or(date);
        }
        if !s.exceptions.contains(&date) {
            s.exceptions.push(date);
        }
    }
    s.exceptions.sort();
}

/// Two to five weekdays in a row, in one of the next school holidays (not bank holidays).
fn holiday_club(rng: &mut Rand, holidays: &Holidays) -> Vec<DatedSession> {
    let Some(&(first, last)) = holidays.next.get(rng.weighted(&[45, 30, 25])) else {
        return Vec::new();
    };
    let weekdays: Vec<NaiveDate> = first
        .iter_days()
        .take_while(|d| *d <= last)
        .filter(|d| d.weekday().num_days_from_monday() < 5 && !bank_holidays().any(|b| b == *d))
        .collect();
    if weekdays.is_empty() {
        return Vec::new();
    }
    let run = 2 + rng.below(4);
    let begin = rng.below(weekdays.len());
    let (_, start, end) = slot(rng, Kind::HolidayClub);
    weekdays[begin..(begin + run).min(weekdays.len())]
        .iter()
        .map(|&date| DatedSession {
            date,
            start: time(start),
            end: time(end),
        })
        .collect()
}

/// One to four events on weekends in the next four months, or (one in ten) all in the past.
fn one_offs(rng: &mut Rand) -> Vec<DatedSession> {
    let past = rng.chance(0.1);
    let count = 1 + rng.below(4);
    let kind = if rng.chance(0.6) {
        Kind::WeekendMorning
    } else {
        Kind::WeekendAfternoon
    };
    let (_, start, end) = slot(rng, kind);
    let mut dates: Vec<NaiveDate> = Vec::new();
    for _ in 0..count {
        let offset = Days::new(u64::from(rng.between(1, 120)));
        let mut d = if past {
            SYNTH_TODAY - offset - Days::new(1)
        } else {
            SYNTH_TODAY + offset
        };
        while d.weekday().num_days_from_monday() < 5 {
            d = d.pred_opt().unwrap_or(d);
        }
        if !dates.contains(&d) {
            dates.push(d);
        }
    }
    dates.sort();
    dates
        .into_iter()
        .map(|date| DatedSession {
            date,
            start: time(start),
            end: time(end),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_holidays_are_christmas_february_and_easter() {
        let h = Holidays::new();
        assert_eq!(h.next[0], (ymd(2026, 12, 19), ymd(2027, 1, 3)));
        assert_eq!(h.next[1].0, ymd(2027, 2, 13));
        assert_eq!(h.next[2].0, ymd(2027, 3, 27));
    }
}
