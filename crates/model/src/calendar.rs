//! School holidays, so that "term-time only" and "school holidays only" sessions can be honoured.
//!
//! Term dates are set by each local authority (and academies set their own), so no single table
//! is right everywhere. Signpost ships a typical English calendar: the holidays below follow the
//! pattern most English councils publish. Outside the table's years a fixed approximation is used
//! (Christmas, Easter-ish, summer and the three half terms). A per-area calendar kept in the store
//! is the natural next step; until then this is the one place that knows.

use chrono::{Datelike, NaiveDate};

/// Inclusive (first day off, last day off) pairs, weekends included.
/// (year, month, day)
type Ymd = (i32, u32, u32);

const HOLIDAYS: &[(Ymd, Ymd)] = &[
    ((2024, 10, 26), (2024, 11, 3)),
    ((2024, 12, 21), (2025, 1, 5)),
    ((2025, 2, 15), (2025, 2, 23)),
    ((2025, 4, 5), (2025, 4, 21)),
    ((2025, 5, 24), (2025, 6, 1)),
    ((2025, 7, 23), (2025, 9, 2)),
    ((2025, 10, 25), (2025, 11, 2)),
    ((2025, 12, 20), (2026, 1, 4)),
    ((2026, 2, 14), (2026, 2, 22)),
    ((2026, 3, 28), (2026, 4, 12)),
    ((2026, 5, 23), (2026, 5, 31)),
    ((2026, 7, 22), (2026, 9, 2)),
    ((2026, 10, 24), (2026, 11, 1)),
    ((2026, 12, 19), (2027, 1, 3)),
    ((2027, 2, 13), (2027, 2, 21)),
    ((2027, 3, 27), (2027, 4, 11)),
    ((2027, 5, 29), (2027, 6, 6)),
    ((2027, 7, 21), (2027, 9, 1)),
    ((2027, 10, 23), (2027, 10, 31)),
    ((2027, 12, 18), (2028, 1, 3)),
    ((2028, 2, 12), (2028, 2, 20)),
    ((2028, 4, 1), (2028, 4, 17)),
    ((2028, 5, 27), (2028, 6, 4)),
    ((2028, 7, 21), (2028, 9, 3)),
];

/// Whether `date` falls in an English school holiday.
pub fn is_school_holiday(date: NaiveDate) -> bool {
    // (year, month, day) tuples order as the dates do: no date is built for the comparison
    // (a search's timetable check asks about 28 days, and each hit about its next session).
    let ymd: Ymd = (date.year(), date.month(), date.day());
    let first = HOLIDAYS[0].0;
    let last = HOLIDAYS[HOLIDAYS.len() - 1].1;
    if ymd >= first && ymd <= last {
        return HOLIDAYS.iter().any(|&(a, b)| ymd >= a && ymd <= b);
    }
    approximate_holiday(date)
}

/// The school holiday under way on `date`, or else the next one: its first day from `date` on
/// and its last day. "In the holidays" means these days.
pub fn school_holiday_from(date: NaiveDate) -> (NaiveDate, NaiveDate) {
    // Holidays come at least every two months and last at most seven weeks (the table's and
    // the approximation's), so both walks are short; the bounds only guard the dates' end.
    let mut first = date;
    for _ in 0..120 {
        if is_school_holiday(first) {
            break;
        }
        let Some(next) = first.succ_opt() else { break };
        first = next;
    }
    let mut last = first;
    for _ in 0..90 {
        match last.succ_opt() {
            Some(next) if is_school_holiday(next) => last = next,
            _ => break,
        }
    }
    (first, last)
}

/// Which school holiday someone means: the next one ("in the holidays"), or one by name
/// ("the summer holidays", "half term"), the next of that name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SchoolHoliday {
    Next,
    Christmas,
    Easter,
    Summer,
    HalfTerm,
}

impl SchoolHoliday {
    /// Whether the holiday from `first` to `last` is one of this name.
    fn is(self, (first, last): (NaiveDate, NaiveDate)) -> bool {
        let month = first.month();
        match self {
            SchoolHoliday::Next => true,
            // Under way on 2 January, it started in December.
            SchoolHoliday::Christmas => month == 12 || (month == 1 && first.day() <= 7),
            SchoolHoliday::Easter => matches!(month, 3 | 4),
            SchoolHoliday::Summer => matches!(month, 7 | 8),
            SchoolHoliday::HalfTerm => {
                matches!(month, 2 | 5 | 6 | 10) && (last - first).num_days() <= 10
            }
        }
    }

    /// Its days: from `today` if it is under way, else the next of its name.
    pub fn dates_from(self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        let mut found = school_holiday_from(today);
        // Six holidays a year: a name comes round within seven.
        for _ in 0..7 {
            if self.is(found) {
                return found;
            }
            let Some(next) = found.1.succ_opt() else {
                break;
            };
            found = school_holiday_from(next);
        }
        found
    }
}

/// A fixed-date approximation for years outside the table.
fn approximate_holiday(date: NaiveDate) -> bool {
    let md = (date.month(), date.day());
    let within = |a: (u32, u32), b: (u32, u32)| md >= a && md <= b;
    within((1, 1), (1, 3))
        || within((2, 14), (2, 22))
        || within((4, 1), (4, 14))
        || within((5, 25), (5, 31))
        || within((7, 22), (8, 31))
        || within((9, 1), (9, 2))
        || within((10, 24), (10, 31))
        || within((12, 20), (12, 31))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn christmas_and_summer_are_holidays_and_a_november_weekday_is_not() {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert!(is_school_holiday(date(2026, 12, 25)));
        assert!(is_school_holiday(date(2026, 8, 10)));
        assert!(!is_school_holiday(date(2026, 11, 24)));
        assert!(
            is_school_holiday(date(2031, 8, 10)),
            "approximation outside the table"
        );
        assert!(!is_school_holiday(date(2031, 11, 12)));
    }

    #[test]
    fn the_holidays_are_the_one_under_way_or_the_next() {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let christmas = (date(2026, 12, 19), date(2027, 1, 3));
        assert_eq!(school_holiday_from(date(2026, 12, 7)), christmas);
        assert_eq!(school_holiday_from(date(2026, 12, 19)), christmas);
        assert_eq!(
            school_holiday_from(date(2026, 12, 30)),
            (date(2026, 12, 30), christmas.1),
            "from today, not from the first day"
        );
        assert_eq!(
            school_holiday_from(date(2027, 1, 4)),
            (date(2027, 2, 13), date(2027, 2, 21))
        );
        assert_eq!(
            school_holiday_from(date(2026, 6, 1)),
            (date(2026, 7, 22), date(2026, 9, 2)),
            "seven weeks ahead, the whole summer"
        );
        // Past the table: the approximation, across the new year.
        assert_eq!(
            school_holiday_from(date(2031, 12, 1)),
            (date(2031, 12, 20), date(2032, 1, 3))
        );
    }

    #[test]
    fn a_holiday_by_name_is_the_next_of_that_name() {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let in_may = date(2026, 5, 4);
        assert_eq!(
            SchoolHoliday::Next.dates_from(in_may),
            (date(2026, 5, 23), date(2026, 5, 31))
        );
        assert_eq!(
            SchoolHoliday::HalfTerm.dates_from(in_may),
            (date(2026, 5, 23), date(2026, 5, 31))
        );
        assert_eq!(
            SchoolHoliday::Summer.dates_from(in_may),
            (date(2026, 7, 22), date(2026, 9, 2))
        );
        assert_eq!(
            SchoolHoliday::Christmas.dates_from(date(2026, 10, 20)),
            (date(2026, 12, 19), date(2027, 1, 3)),
            "not the October half term"
        );
        assert_eq!(
            SchoolHoliday::Christmas.dates_from(date(2027, 1, 2)),
            (date(2027, 1, 2), date(2027, 1, 3)),
            "under way"
        );
        assert_eq!(
            SchoolHoliday::Easter.dates_from(date(2026, 12, 7)),
            (date(2027, 3, 27), date(2027, 4, 11))
        );
    }

    #[test]
    fn a_holiday_includes_its_first_and_last_days_across_a_new_year() {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert!(!is_school_holiday(date(2026, 12, 18)));
        assert!(is_school_holiday(date(2026, 12, 19)));
        assert!(is_school_holiday(date(2027, 1, 3)));
        assert!(!is_school_holiday(date(2027, 1, 4)));
        assert!(is_school_holiday(date(2028, 9, 3)), "the table's last day");
        assert!(!is_school_holiday(date(2028, 9, 4)));
        assert!(
            is_school_holiday(date(2024, 10, 26)),
            "the table's first day"
        );
    }
}
