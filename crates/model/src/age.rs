//! Age ranges, in years, with months allowed for the under-twos.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The oldest age the directory will store or search for.
pub const MAX_AGE_YEARS: u16 = 120;

/// An inclusive age range held in whole months.
///
/// "11-16" means from an 11th birthday until the day before the 17th, so the upper bound is
/// stored as the last month of that year (16 years 11 months). Under-twos may be given in
/// months: "0m-18m" is birth to 18 months.
///
/// The text form (`"11-16"`, `"0m-18m"`, `"6m-4"`) is what files and the store use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AgeRange {
    min_months: u16,
    max_months: u16,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AgeRangeError {
    #[error("age range '{0}' should look like '11-16', or '0m-18m' for babies")]
    Format(String),
    #[error("ages in months are only for under-twos: write '{0}' in years")]
    MonthsTooLarge(String),
    #[error("the youngest age ({0}) is above the oldest ({1})")]
    Inverted(String, String),
    #[error("ages above {MAX_AGE_YEARS} are not allowed")]
    TooOld,
}

/// One bound: either whole years or months (for under-twos).
#[derive(Clone, Copy)]
enum Bound {
    Years(u16),
    Months(u16),
}

fn parse_bound(s: &str) -> Option<Bound> {
    let s = s.trim();
    if let Some(m) = s.strip_suffix('m') {
        return m.trim().parse().ok().map(Bound::Months);
    }
    let s = s.strip_suffix('y').unwrap_or(s);
    s.trim().parse().ok().map(Bound::Years)
}

impl AgeRange {
    /// From whole years, both ends inclusive.
    pub fn years(min: u16, max: u16) -> Result<Self, AgeRangeError> {
        Self::from_bounds(
            Bound::Years(min),
            Bound::Years(max),
            &format!("{min}-{max}"),
        )
    }

    pub fn parse(s: &str) -> Result<Self, AgeRangeError> {
        let (a, b) = s
            .split_once('-')
            .ok_or_else(|| AgeRangeError::Format(s.chars().take(20).collect()))?;
        let (Some(min), Some(max)) = (parse_bound(a), parse_bound(b)) else {
            return Err(AgeRangeError::Format(s.chars().take(20).collect()));
        };
        Self::from_bounds(min, max, s)
    }

    fn from_bounds(min: Bound, max: Bound, text: &str) -> Result<Self, AgeRangeError> {
        let to_months = |b: Bound, upper: bool| -> Result<u16, AgeRangeError> {
            match b {
                Bound::Months(m) if m > 24 => Err(AgeRangeError::MonthsTooLarge(text.into())),
                Bound::Months(m) => Ok(m),
                Bound::Years(y) if y > MAX_AGE_YEARS => Err(AgeRangeError::TooOld),
                Bound::Years(y) => Ok(y * 12 + if upper { 11 } else { 0 }),
            }
        };
        let min_months = to_months(min, false)?;
        let max_months = to_months(max, true)?;
        if min_months > max_months {
            return Err(AgeRangeError::Inverted(
                Self::bound_text(min_months, false),
                Self::bound_text(max_months, true),
            ));
        }
        Ok(AgeRange {
            min_months,
            max_months,
        })
    }

    pub fn min_months(self) -> u16 {
        self.min_months
    }

    pub fn max_months(self) -> u16 {
        self.max_months
    }

    /// Youngest age in whole years (0 for a range that starts in months).
    pub fn min_years(self) -> u16 {
        self.min_months / 12
    }

    /// Oldest age in whole years: someone this many years old can join.
    pub fn max_years(self) -> u16 {
        self.max_months / 12
    }

    /// Whether a person who is `years` old (anywhere in that year of life) can join.
    pub fn includes_years(self, years: u16) -> bool {
        let (lo, hi) = (years * 12, years * 12 + 11);
        self.min_months <= hi && self.max_months >= lo
    }

    fn bound_text(months: u16, upper: bool) -> String {
        let whole_year = if upper {
            months % 12 == 11
        } else {
            months.is_multiple_of(12)
        };
        if whole_year {
            format!("{}", months / 12)
        } else {
            format!("{months}m")
        }
    }

    /// Plain-language label, e.g. "Ages 11 to 16", "Ages 0 to 18 months".
    pub fn label(self) -> String {
        let lo = Self::bound_text(self.min_months, false);
        let hi = Self::bound_text(self.max_months, true);
        let words = |t: String| match t.strip_suffix('m') {
            Some(m) => format!("{m} months"),
            None => t,
        };
        format!("Ages {} to {}", words(lo), words(hi))
    }
}

impl fmt::Display for AgeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}",
            Self::bound_text(self.min_months, false),
            Self::bound_text(self.max_months, true)
        )
    }
}

impl Serialize for AgeRange {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for AgeRange {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        AgeRange::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_of_a_year_range_are_inclusive() {
        let r = AgeRange::parse("11-16").unwrap();
        assert!(!r.includes_years(10));
        assert!(r.includes_years(11));
        assert!(r.includes_years(16));
        assert!(!r.includes_years(17));
        assert_eq!((r.min_years(), r.max_years()), (11, 16));
    }

    #[test]
    fn baby_ranges_in_months() {
        let r = AgeRange::parse("0m-18m").unwrap();
        assert!(r.includes_years(0));
        assert!(r.includes_years(1), "an 18-month-old is 1");
        assert!(!r.includes_years(2));
        assert_eq!(r.to_string(), "0-18m");
        assert_eq!(r.label(), "Ages 0 to 18 months");
        assert_eq!(AgeRange::parse(&r.to_string()).unwrap(), r);
    }

    #[test]
    fn text_form_round_trips() {
        for s in ["11-16", "0-25", "6m-4", "0-18m", "5-5"] {
            let r = AgeRange::parse(s).unwrap();
            assert_eq!(AgeRange::parse(&r.to_string()).unwrap(), r, "{s}");
        }
    }

    #[test]
    fn rejects_nonsense_with_a_reason() {
        assert!(matches!(
            AgeRange::parse("16-11"),
            Err(AgeRangeError::Inverted(..))
        ));
        assert!(matches!(
            AgeRange::parse("teen"),
            Err(AgeRangeError::Format(_))
        ));
        assert!(matches!(
            AgeRange::parse("-3-5"),
            Err(AgeRangeError::Format(_))
        ));
        assert!(matches!(
            AgeRange::parse("0m-30m"),
            Err(AgeRangeError::MonthsTooLarge(_))
        ));
        assert!(matches!(
            AgeRange::parse("5-500"),
            Err(AgeRangeError::TooOld)
        ));
    }
}
