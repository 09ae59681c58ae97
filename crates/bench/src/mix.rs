//! The fixed query mix: generated from a seed, the same list for every engine.
//!
//! Seven classes, in fixed proportions, each a kind of search people make:
//!
//! | class | share | what | order |
//! | --- | --- | --- | --- |
//! | `text-near` | 25% | a word, an age, a place and radius, sometimes free / checked / a category | distance |
//! | `filters` | 15% | age, one or two categories, sometimes free / checked / gender / access; no text, no place | last confirmed |
//! | `time-near` | 15% | a day or a part of the week (weekend, after school, evening), a place | distance |
//! | `now` | 10% | running right now; half with a place | distance, or last confirmed |
//! | `text` | 15% | one or two words, nothing else | relevance |
//! | `typo` | 10% | one word with one letter wrong, swapped or missing | relevance |
//! | `deep-page` | 10% | a filters or text-near search asking for page 10 to 100 | as its kind |
//!
//! Every query asks for category counts (every engine computes them on every query). Queries
//! ordered by distance or by last-confirmed date have one right order (ties broken by the
//! listing's order key), so engines are compared on their page of ids too; for relevance only
//! the total and counts are compared, because each engine scores text its own way.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use signpost_directory::{SearchParams, Where};
use signpost_model::{Category, Coordinates, Gender};
use signpost_search::{AccessNeed, Filters, Near, SearchQuery, Sort, When};
use signpost_synth::{TOWNS, Town};

/// The moment every query is asked at: a term-time Wednesday, just after school.
pub fn bench_now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 25)
        .unwrap_or(NaiveDate::MIN)
        .and_time(NaiveTime::from_hms_opt(16, 30, 0).unwrap_or(NaiveTime::MIN))
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    TextNear,
    Filters,
    TimeNear,
    Now,
    Text,
    Typo,
    DeepPage,
}

impl Class {
    pub const ALL: &'static [Class] = &[
        Class::TextNear,
        Class::Filters,
        Class::TimeNear,
        Class::Now,
        Class::Text,
        Class::Typo,
        Class::DeepPage,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Class::TextNear => "text-near",
            Class::Filters => "filters",
            Class::TimeNear => "time-near",
            Class::Now => "now",
            Class::Text => "text",
            Class::Typo => "typo",
            Class::DeepPage => "deep-page",
        }
    }

    /// Out of 100.
    fn share(self) -> u32 {
        match self {
            Class::TextNear => 25,
            Class::Filters | Class::TimeNear | Class::Text => 15,
            Class::Now | Class::Typo | Class::DeepPage => 10,
        }
    }
}

/// One query of the mix, in both forms: as a person asks it (for HTTP) and resolved (for
/// engines in process).
#[derive(Clone, Debug)]
pub struct BenchQuery {
    pub class: Class,
    /// What the web page and API take (`SearchParams::to_pairs` gives the query string).
    pub params: SearchParams,
    /// The same search with the place resolved, at [`bench_now`], with no freshness cut-off.
    pub query: SearchQuery,
}

impl BenchQuery {
    /// Whether the order of results is fully defined, so pages can be compared.
    pub fn order_defined(&self) -> bool {
        self.query.sort != Sort::Relevance
    }

    /// The query string for `/api/search` or `/`.
    pub fn query_string(&self) -> String {
        self.params
            .to_pairs()
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

fn encode(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// SplitMix64: a tiny, fixed generator so the mix never changes with a dependency's version.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const RADII_KM: &[f64] = &[2.0, 3.0, 5.0, 5.0, 10.0, 15.0];
const WEEKDAYS: &[Weekday] = &signpost_model::WEEK;

/// A town by population, and a point within a couple of kilometres of its centre.
fn place(rng: &mut Rng) -> Coordinates {
    let total: u64 = TOWNS.iter().map(|t| u64::from(t.population)).sum();
    let mut ticket = rng.next() % total.max(1);
    let mut town: &Town = &TOWNS[0];
    for t in TOWNS {
        if ticket < u64::from(t.population) {
            town = t;
            break;
        }
        ticket -= u64::from(t.population);
    }
    // Up to ~2 km in each direction.
    let dlat = (rng.unit() - 0.5) * 0.036;
    let dlon = (rng.unit() - 0.5) * 0.036 / town.lat.to_radians().cos();
    Coordinates::new(town.lat + dlat, town.lon + dlon)
        .or_else(|_| Coordinates::new(town.lat, town.lon))
        .unwrap_or_else(|_| unreachable_coordinates())
}

fn unreachable_coordinates() -> Coordinates {
    // TOWNS are all valid coordinates (checked by a test); this is never reached.
    Coordinates::new(54.0, -2.0).unwrap_or_else(|_| panic!("fixed coordinates are valid"))
}

fn word(rng: &mut Rng) -> String {
    (*rng.pick(signpost_synth::vocabulary())).to_owned()
}

/// One letter changed, two swapped, or one dropped, away from the ends of the word.
fn typo(rng: &mut Rng, word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() < 5 {
        return word.to_owned();
    }
    let i = 1 + rng.below(chars.len() - 3);
    match rng.below(3) {
        0 => {
            let c = chars[i];
            let mut r = c;
            while r == c || "aeiou".contains(r) != "aeiou".contains(c) {
                r = (b'a' + rng.below(26) as u8) as char;
            }
            chars[i] = r;
        }
        1 if chars[i] != chars[i + 1] => chars.swap(i, i + 1),
        _ => {
            chars.remove(i);
        }
    }
    chars.into_iter().collect()
}

fn categories(rng: &mut Rng, up_to: usize) -> Vec<Category> {
    let mut out = Vec::new();
    for _ in 0..(1 + rng.below(up_to)) {
        let c = *rng.pick(Category::ALL);
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out.sort();
    out
}

fn age(rng: &mut Rng) -> u16 {
    // Mostly school ages.
    if rng.chance(85) {
        5 + rng.below(14) as u16
    } else {
        rng.below(26) as u16
    }
}

fn some_filters(rng: &mut Rng, f: &mut Filters) {
    if rng.chance(30) {
        f.free = Some(true);
    }
    if rng.chance(25) {
        f.checked = true;
    }
    if rng.chance(15) {
        f.gender = Some(*rng.pick(&[Gender::Girls, Gender::Boys]));
    }
    if rng.chance(10) {
        f.access = vec![*rng.pick(AccessNeed::ALL)];
    }
}

fn text_near(rng: &mut Rng) -> (Filters, Option<(Coordinates, f64)>, Sort) {
    let mut f = Filters {
        text: Some(word(rng)),
        age: Some(age(rng)),
        ..Filters::default()
    };
    if rng.chance(50) {
        some_filters(rng, &mut f);
    }
    if rng.chance(20) {
        f.categories = categories(rng, 2);
    }
    (f, Some((place(rng), *rng.pick(RADII_KM))), Sort::Distance)
}

fn filters_only(rng: &mut Rng) -> (Filters, Option<(Coordinates, f64)>, Sort) {
    let mut f = Filters {
        age: Some(age(rng)),
        categories: categories(rng, 2),
        ..Filters::default()
    };
    some_filters(rng, &mut f);
    (f, None, Sort::Confirmed)
}

fn one(rng: &mut Rng, class: Class) -> (Filters, Option<(Coordinates, f64)>, Sort, usize) {
    let (f, near, sort) = match class {
        Class::TextNear => text_near(rng),
        Class::Filters => filters_only(rng),
        Class::TimeNear => {
            let mut f = Filters::default();
            match rng.below(4) {
                0 => f.day = Some(*rng.pick(WEEKDAYS)),
                1 => f.when = Some(When::Weekend),
                2 => f.when = Some(When::AfterSchool),
                _ => f.when = Some(When::Evening),
            }
            if rng.chance(50) {
                f.age = Some(age(rng));
            }
            (f, Some((place(rng), *rng.pick(RADII_KM))), Sort::Distance)
        }
        Class::Now => {
            let f = Filters {
                when: Some(When::Now),
                ..Filters::default()
            };
            if rng.chance(50) {
                (f, Some((place(rng), 10.0)), Sort::Distance)
            } else {
                (f, None, Sort::Confirmed)
            }
        }
        Class::Text => {
            let mut text = word(rng);
            if rng.chance(30) {
                text = format!("{text} {}", word(rng));
            }
            let f = Filters {
                text: Some(text),
                ..Filters::default()
            };
            (f, None, Sort::Relevance)
        }
        Class::Typo => {
            let w = word(rng);
            let f = Filters {
                text: Some(typo(rng, &w)),
                ..Filters::default()
            };
            (f, None, Sort::Relevance)
        }
        Class::DeepPage => {
            let (f, near, sort) = if rng.chance(50) {
                filters_only(rng)
            } else {
                let (mut f, near, sort) = text_near(rng);
                f.age = None;
                (f, near.map(|(p, _)| (p, 25.0)), sort)
            };
            return (f, near, sort, 10 + rng.below(91));
        }
    };
    (f, near, sort, 1)
}

/// `count` queries from `seed`, classes interleaved in their shares.
pub fn generate(count: usize, seed: u64) -> Vec<BenchQuery> {
    let mut rng = Rng(seed ^ 0x5167_7057_u64);
    let mut wheel = Vec::new();
    for c in Class::ALL {
        wheel.extend(std::iter::repeat_n(*c, c.share() as usize));
    }
    let now = bench_now();
    (0..count)
        .map(|i| {
            let class = wheel[(i * 37) % wheel.len()];
            let (filters, near, sort, page) = one(&mut rng, class);
            let params = SearchParams {
                filters: filters.clone(),
                place: near.map(|(p, _)| Where::Point(p)),
                radius_km: near.map(|(_, r)| r),
                sort,
                page,
                per_page: 20,
            };
            let query = SearchQuery {
                filters,
                near: near.map(|(point, radius_km)| Near { point, radius_km }),
                sort,
                page,
                per_page: 20,
                now,
                fresh_since: None,
                any_word: false,
                first: None,
            };
            BenchQuery {
                class,
                params,
                query,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mix_is_fixed_by_its_seed_and_has_every_class_in_share() {
        let a = generate(1000, 1);
        let b = generate(1000, 1);
        let c = generate(1000, 2);
        assert_eq!(
            a.iter().map(BenchQuery::query_string).collect::<Vec<_>>(),
            b.iter().map(BenchQuery::query_string).collect::<Vec<_>>()
        );
        assert_ne!(
            a.iter().map(BenchQuery::query_string).collect::<Vec<_>>(),
            c.iter().map(BenchQuery::query_string).collect::<Vec<_>>()
        );
        for class in Class::ALL {
            let n = a.iter().filter(|q| q.class == *class).count();
            assert_eq!(n, class.share() as usize * 10, "{class:?}");
        }
    }

    #[test]
    fn every_query_string_parses_back_to_the_same_search() {
        for q in generate(300, 9) {
            let pairs = signpost_directory::decode_query(&q.query_string()).unwrap();
            let parsed = SearchParams::parse(&pairs).unwrap();
            assert_eq!(parsed.filters, q.params.filters, "{}", q.query_string());
            assert_eq!(parsed.sort, q.params.sort);
            assert_eq!(parsed.page, q.params.page);
        }
    }

    #[test]
    fn typos_are_one_edit_away() {
        let mut rng = Rng(3);
        for _ in 0..200 {
            let t = typo(&mut rng, "football");
            assert_ne!(t, "football");
            assert!(t.len() == 7 || t.len() == 8, "{t}");
        }
    }
}
