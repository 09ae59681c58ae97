//! Categories, ages and cost: terms onto Signpost's categories, ages from 3.0's fields and 1.0's eligibility, cost options and fees.

use super::*;

pub(super) fn read_terms(service: &Value) -> Vec<String> {
    let mut terms = Vec::new();
    // 3.0: attributes[].taxonomy_term.{name, term}
    for attribute in items(service, &["attributes"]) {
        if let Some(term) = attribute.get("taxonomy_term") {
            let name = str_at(term, "name").or_else(|| str_at(term, "term"));
            if let Some(name) = name.map(text::line).filter(|n| !n.is_empty()) {
                push_unique_ci(&mut terms, name);
            }
        }
    }
    // 1.0: service_taxonomys[].taxonomy.name
    for link in items(service, &["service_taxonomys", "service_taxonomies"]) {
        if let Some(name) = link
            .get("taxonomy")
            .and_then(|t| str_at(t, "name"))
            .map(text::line)
            .filter(|n| !n.is_empty())
        {
            push_unique_ci(&mut terms, name);
        }
    }
    terms
}

/// Ages from the service (3.0 `minimum_age`/`maximum_age`) and every 1.0 eligibility entry,
/// joined into one range that covers them all; gender from 1.0 eligibility.
pub(super) fn read_eligibility(service: &Value) -> (Option<AgeRange>, Gender) {
    let mut ranges: Vec<(f64, f64)> = Vec::new();
    if let Some(r) = numeric_range(service) {
        ranges.push(r);
    }
    let (mut girls, mut boys, mut anyone) = (false, false, false);
    for e in items(service, &["eligibilitys", "eligibilities", "eligibility"]) {
        let words = [str_at(e, "eligibility"), str_at(e, "gender")]
            .into_iter()
            .flatten()
            .map(|s| s.to_lowercase())
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(r) = numeric_range(e).or_else(|| range_from_words(&words)) {
            ranges.push(r);
        }
        let female = ["female", "girls", "girl", "women", "woman"]
            .iter()
            .any(|w| mentions(&words, w));
        let male = ["male", "boys", "boy", "men", "man"]
            .iter()
            .any(|w| mentions(&words, w));
        match (female, male) {
            (true, false) => girls = true,
            (false, true) => boys = true,
            (true, true) => anyone = true,
            (false, false) => {
                // An eligibility entry about something else (ages, "family") says nothing
                // about gender; a transgender entry opens it to everyone.
                if mentions(&words, "transgender") {
                    anyone = true;
                }
            }
        }
    }
    let gender = match (girls, boys, anyone) {
        (true, false, false) => Gender::Girls,
        (false, true, false) => Gender::Boys,
        _ => Gender::Mixed,
    };
    let ages = if ranges.is_empty() {
        None
    } else {
        let lo = ranges.iter().map(|r| r.0).fold(f64::INFINITY, f64::min);
        let hi = ranges.iter().map(|r| r.1).fold(0.0, f64::max);
        // Publishers write 99, 100 or 999 for "no upper limit": all mean the directory's top.
        let top = f64::from(MAX_AGE_YEARS);
        let (lo, hi) = (lo.clamp(0.0, top).floor(), hi.clamp(0.0, top).floor());
        // Floored and clamped to 0..=120 above, so the casts cannot truncate.
        AgeRange::years(lo as u16, hi as u16).ok()
    };
    (ages, gender)
}

/// `minimum_age`/`maximum_age` on one object; a missing end is open (0 or the top age).
pub(super) fn numeric_range(v: &Value) -> Option<(f64, f64)> {
    let min = number_at(v, "minimum_age").filter(|n| *n >= 0.0);
    let max = number_at(v, "maximum_age").filter(|n| *n >= 0.0);
    match (min, max) {
        (None, None) => None,
        (min, max) => Some((min.unwrap_or(0.0), max.unwrap_or(f64::from(MAX_AGE_YEARS)))),
    }
}

/// The 1.0 eligibility vocabulary ("adult", "child", "teen", ...) as age ranges, for entries
/// that give no numbers. "Young people" follows UK youth services: 11 to 25 (25 covers young
/// people with SEND and care leavers, whom youth services keep until then).
pub(super) fn range_from_words(words: &str) -> Option<(f64, f64)> {
    const WORDS: &[(&str, f64, f64)] = &[
        ("child", 0.0, 17.0),
        ("children", 0.0, 17.0),
        ("teen", 13.0, 19.0),
        ("teens", 13.0, 19.0),
        ("teenager", 13.0, 19.0),
        ("teenagers", 13.0, 19.0),
        ("young people", 11.0, 25.0),
        ("young person", 11.0, 25.0),
        ("youth", 11.0, 25.0),
        ("adult", 18.0, 120.0),
        ("adults", 18.0, 120.0),
    ];
    let hits: Vec<(f64, f64)> = WORDS
        .iter()
        .filter(|(w, _, _)| mentions(words, w))
        .map(|(_, lo, hi)| (*lo, *hi))
        .collect();
    if hits.is_empty() {
        return None;
    }
    let lo = hits.iter().map(|r| r.0).fold(f64::INFINITY, f64::min);
    let hi = hits.iter().map(|r| r.1).fold(0.0, f64::max);
    Some((lo, hi))
}

pub(super) fn read_cost(service: &Value) -> Cost {
    let mut free = false;
    let mut lowest: Option<u32> = None;
    let mut described = Vec::new();
    for option in items(service, &["cost_options"]) {
        let pence = amount_pence(option.get("amount"));
        let condition = str_at(option, "option").map(text::line).unwrap_or_default();
        let per = str_at(option, "amount_description")
            .map(text::line)
            .unwrap_or_default();
        if pence == Some(0) || mentions(&condition.to_lowercase(), "free") {
            free = true;
        }
        if let Some(p) = pence.filter(|p| *p > 0) {
            lowest = Some(lowest.map_or(p, |l| l.min(p)));
        }
        let price = match pence {
            Some(0) => "free".to_owned(),
            Some(p) => format!("£{}.{:02}", p / 100, p % 100),
            None => String::new(),
        };
        let line = [price, per]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let line = match (condition.is_empty(), line.is_empty()) {
            (true, _) => line,
            (false, true) => condition,
            (false, false) => format!("{condition}: {line}"),
        };
        if !line.is_empty() && !described.contains(&line) {
            described.push(line);
        }
    }
    let fees = ["fees_description", "fees"]
        .iter()
        .find_map(|k| str_at(service, k).map(text::line).filter(|s| !s.is_empty()));
    if let Some(fees) = &fees {
        let lower = fees.to_lowercase();
        if (mentions(&lower, "free") && !lower.contains("not free"))
            || lower.contains("no charge")
            || lower.contains("no cost")
        {
            free = true;
        }
    }
    // The words say who pays what: the cost options when there are any, else the fees text.
    let concessions = if described.is_empty() {
        fees.filter(|f| !f.eq_ignore_ascii_case("free"))
    } else {
        Some(described.join("; "))
    };
    let bursary = items(service, &["fundings", "funding"]).any(|f| {
        str_at(f, "source").is_some_and(|s| {
            let s = s.to_lowercase();
            mentions_start(&s, "bursar") || s.contains("hardship") || s.contains("assisted place")
        })
    });
    Cost {
        free,
        // Signpost holds one price, and a free option beats every paid one.
        price_pence: if free { None } else { lowest },
        concessions,
        bursary,
    }
}

/// An amount in pounds (a number, or text like "3.50" or "£3.50") in pence.
pub(super) fn amount_pence(v: Option<&Value>) -> Option<u32> {
    let pounds = match v? {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().trim_start_matches('£').trim().parse().ok()?,
        _ => return None,
    };
    let pence = (pounds * 100.0).round();
    (pence.is_finite() && (0.0..=f64::from(u32::MAX)).contains(&pence)).then_some(pence as u32)
}
