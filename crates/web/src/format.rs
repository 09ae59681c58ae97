//! Dates, times and money the way people in the UK write them.

use chrono::{Datelike, NaiveDate};
use signpost_model::Occurrence;

/// "28 November 2026"
pub fn long_date(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// `text` cut to at most `most` characters at the last space before, with "…" after, and
/// with `trim` taken off the end first; whole when it fits.
pub fn cut_at_word(text: &str, most: usize, trim: &[char]) -> String {
    if text.chars().count() <= most {
        return text.to_owned();
    }
    let cut: String = text.chars().take(most).collect();
    let head = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", head.trim_end_matches(trim))
}

/// "19 Dec"
pub fn day_month(d: NaiveDate) -> String {
    d.format("%-d %b").to_string()
}

/// "Sat 28 Nov"
pub fn short_date(d: NaiveDate) -> String {
    d.format("%a %-d %b").to_string()
}

/// "Sat 28 Nov, 10:00 to 12:00", or "Today, ..." / "Tomorrow, ...".
pub fn occurrence(o: &Occurrence, today: NaiveDate) -> String {
    let day = if o.date == today {
        "Today".to_owned()
    } else if today.succ_opt() == Some(o.date) {
        "Tomorrow".to_owned()
    } else if o.date.year() != today.year() {
        o.date.format("%a %-d %b %Y").to_string()
    } else {
        short_date(o.date)
    };
    format!("{day}, {} to {}", o.start, o.end)
}

/// Pence as pounds for the JSON API: 350 -> 3.5.
pub fn pounds(pence: u32) -> f64 {
    f64::from(pence) / 100.0
}

/// Kilometres to two decimal places.
pub fn km(d: f64) -> f64 {
    (d * 100.0).round() / 100.0
}

/// "1.2 km away" / "350 m away"
pub fn distance(d: f64) -> String {
    if d < 1.0 {
        format!("{} m away", ((d * 1000.0) / 10.0).round() * 10.0)
    } else {
        format!("{d:.1} km away")
    }
}
