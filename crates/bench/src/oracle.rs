//! The brute-force scan: every activity's facts in plain columns, every query a loop over all
//! of them. It is the benchmark's definition of a right answer and its hardware floor.
//!
//! It is written from Signpost's documented search semantics, not from the search crate's
//! code, so that a bug there shows up as a disagreement here:
//!
//! - **Text**: the query is split into words (letters, digits, `-` and `'`); each word is run
//!   through the index's analyser (lower case, accents folded, English stop words dropped,
//!   English stemming). A word matches an activity when all its tokens occur in the title,
//!   description, provider name or category text, or when one of its synonyms' token lists
//!   all occur. A token some activity has is matched exactly; one that no activity has is a
//!   typo, matched within 1 edit (tokens of 4-7 letters) or 2 edits (8 or more; a swap of
//!   neighbours is one edit). Every word must match. A query of stop words
//!   only finds nothing.
//! - **Filters**: not ended (last possible session today or later; withdrawn never), age in
//!   range (in months; "age not stated" never matches an age), free, gender (mixed always
//!   matches), access needs (all), checked (a verification in date today), categories (any).
//! - **Where**: the nearest venue within the radius, by the haversine distance.
//! - **When**: some session in the next 28 days on the day asked, at the weekend (Sat/Sun),
//!   after school (a weekday session overlapping 15:00-18:00) or in the evening (overlapping
//!   18:00-24:00), honouring term-time, holiday-only, date ranges and exceptions; "now" means
//!   a session running at that minute, yesterday's late ones included.
//! - **Counts**: per category, over the matches before the category filter.
//! - **Order**: distance then order key; last confirmed (newest first) then order key.

use std::collections::HashMap;

use chrono::{Datelike, Weekday};
use signpost_model::calendar::is_school_holiday;
use signpost_model::{Category, Coordinates, Gender, Schedule};
use signpost_search::text;
use signpost_search::{IndexedActivity, Sort, When};

use crate::mix::BenchQuery;
use crate::shared::{self, Flat, allowed_edits, within_edits_chars};
use crate::{Answer, Engine};

struct Doc {
    id: String,
    order: u64,
    tokens: Vec<u32>,
    age_min: i64,
    age_max: i64,
    ends_on: i64,
    free: bool,
    gender: Gender,
    /// Bit 0 wheelchair, 1 SEND, 2 quiet.
    access: i64,
    verified_until: Option<i64>,
    confirmed: i64,
    mask: i64,
    venues: Vec<Coordinates>,
    schedule: Schedule,
}

/// The brute-force engine.
pub struct Oracle {
    docs: Vec<Doc>,
    vocabulary: HashMap<String, u32>,
    /// Token text by id, for the edit-distance search.
    words: Vec<Vec<char>>,
}

impl Oracle {
    /// The scan's columns: the facts every baseline stores ([`Flat`]), tokens numbered, and
    /// the timetable kept whole for the calendar filters.
    pub fn build<'a>(items: impl IntoIterator<Item = &'a IndexedActivity>) -> Oracle {
        let mut analyser = text::analyser();
        let mut analyse = |s: &str| text::tokens(&mut analyser, s);
        let mut vocabulary: HashMap<String, u32> = HashMap::new();
        let mut words = Vec::new();
        let mut docs = Vec::new();
        for item in items {
            let flat = Flat::of(item, &mut analyse);
            let mut tokens: Vec<u32> = flat
                .tokens
                .into_iter()
                .map(|t| {
                    let next = vocabulary.len() as u32;
                    *vocabulary.entry(t).or_insert_with_key(|t| {
                        words.push(t.chars().collect());
                        next
                    })
                })
                .collect();
            tokens.sort_unstable();
            docs.push(Doc {
                id: flat.id,
                order: signpost_model::fnv1a(item.activity.id.as_str().as_bytes()),
                tokens,
                age_min: flat.age_min,
                age_max: flat.age_max,
                ends_on: flat.ends_on,
                free: flat.free,
                gender: flat.gender,
                access: flat.access,
                verified_until: flat.verified_until,
                confirmed: flat.confirmed,
                mask: flat.mask,
                venues: item.activity.venues.iter().map(|v| v.coordinates).collect(),
                schedule: item.activity.schedule.clone(),
            });
        }
        Oracle {
            docs,
            vocabulary,
            words,
        }
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// For each word of the query, its alternatives; each alternative is a list of token sets
    /// that must all be met. `None` when the text has only stop words.
    fn text_plan(&self, text: &str) -> Option<Vec<Vec<Vec<Vec<u32>>>>> {
        let plan = shared::words(text)?
            .into_iter()
            .map(|w| {
                let mut alternatives = vec![w.own.iter().map(|t| self.near_tokens(t)).collect()];
                alternatives.extend(w.synonyms.iter().map(|toks| {
                    toks.iter()
                        .map(|t| self.vocabulary.get(t).copied().into_iter().collect())
                        .collect()
                }));
                alternatives
            })
            .collect();
        Some(plan)
    }

    /// The token's own id when some activity has it; otherwise the ids within the allowed
    /// number of edits of `token`.
    fn near_tokens(&self, token: &str) -> Vec<u32> {
        if let Some(&id) = self.vocabulary.get(token) {
            return vec![id];
        }
        let query: Vec<char> = token.chars().collect();
        let allowed = allowed_edits(token);
        (0..self.words.len() as u32)
            .filter(|&i| within_edits_chars(&query, &self.words[i as usize], allowed))
            .collect()
    }
}

fn has_any(tokens: &[u32], wanted: &[u32]) -> bool {
    // Both sorted: walk them together.
    let (mut i, mut j) = (0, 0);
    while i < tokens.len() && j < wanted.len() {
        match tokens[i].cmp(&wanted[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

fn text_matches(doc: &Doc, plan: &[Vec<Vec<Vec<u32>>>]) -> bool {
    plan.iter().all(|alternatives| {
        alternatives
            .iter()
            .any(|all| all.iter().all(|set| has_any(&doc.tokens, set)))
    })
}

/// Some session in the horizon fits the day and part of the week asked for.
fn fits_time(schedule: &Schedule, q: &signpost_search::SearchQuery) -> bool {
    let f = &q.filters;
    if f.day.is_none() && f.when.is_none() {
        return true;
    }
    let today = q.now.date();
    if f.when == Some(When::Now) {
        let yesterday = today.pred_opt().unwrap_or(today);
        return schedule
            .occurrences(yesterday, today)
            .iter()
            .any(|o| o.is_running_at(q.now) && f.day.is_none_or(|d| o.date.weekday() == d));
    }
    let (first, last) = signpost_search::days_asked(f.when, today);
    schedule.occurrences(first, last).iter().any(|o| {
        let wd = o.date.weekday();
        let weekend = matches!(wd, Weekday::Sat | Weekday::Sun);
        f.day.is_none_or(|d| wd == d)
            && match f.when {
                None | Some(When::Now) => true,
                Some(When::Holidays(_)) => is_school_holiday(o.date),
                Some(When::Weekend) => weekend,
                Some(When::AfterSchool) => !weekend && o.overlaps_minutes(15 * 60, 18 * 60),
                Some(When::Evening) => o.overlaps_minutes(18 * 60, 24 * 60),
            }
    })
}

impl Engine for Oracle {
    fn name(&self) -> &str {
        "brute-force"
    }

    fn search(&self, bq: &BenchQuery) -> anyhow::Result<Answer> {
        let q = &bq.query;
        let f = &q.filters;
        // The same reading of the filters as the baselines (and the same refusals).
        let ask = shared::Ask::of(q)?;
        let plan = match f.text.as_deref().filter(|t| !t.trim().is_empty()) {
            Some(t) => match self.text_plan(t) {
                Some(p) => Some(p),
                None => return Ok(Answer::default()),
            },
            None => None,
        };
        let (today, age, access, wanted) = (ask.today, ask.age_months, ask.access, ask.categories);
        let mut counts = [0usize; 64];
        let mut found: Vec<(usize, f64)> = Vec::new();
        for (i, d) in self.docs.iter().enumerate() {
            if d.ends_on < today
                || age.is_some_and(|lo| d.age_min > lo + 11 || d.age_max < lo)
                || ask.free.is_some_and(|free| d.free != free)
                || ask
                    .gender
                    .is_some_and(|g| d.gender != Gender::Mixed && d.gender != g)
                || d.access & access != access
                || (ask.checked && d.verified_until.is_none_or(|u| u < today))
            {
                continue;
            }
            if let Some(plan) = &plan
                && !text_matches(d, plan)
            {
                continue;
            }
            let mut distance = 0.0;
            if let Some(near) = &q.near {
                match d
                    .venues
                    .iter()
                    .map(|v| v.distance_km(near.point))
                    .min_by(f64::total_cmp)
                {
                    Some(km) if km <= near.radius_km + 1e-6 => distance = km,
                    _ => continue,
                }
            }
            if !fits_time(&d.schedule, q) {
                continue;
            }
            for (c, count) in counts.iter_mut().enumerate().take(Category::ALL.len()) {
                if d.mask & (1 << c) != 0 {
                    *count += 1;
                }
            }
            if wanted != 0 && d.mask & wanted == 0 {
                continue;
            }
            found.push((i, distance));
        }
        let docs = &self.docs;
        let page = match q.sort {
            Sort::Relevance => Vec::new(),
            Sort::Distance => {
                found.sort_by(|a, b| {
                    a.1.total_cmp(&b.1)
                        .then(docs[a.0].order.cmp(&docs[b.0].order))
                });
                page_of(&found, q)
            }
            Sort::Confirmed => {
                found.sort_by(|a, b| {
                    docs[b.0]
                        .confirmed
                        .cmp(&docs[a.0].confirmed)
                        .then(docs[a.0].order.cmp(&docs[b.0].order))
                });
                page_of(&found, q)
            }
        };
        Ok(Answer {
            total: found.len(),
            page: page.into_iter().map(|i| docs[i].id.clone()).collect(),
            categories: Category::ALL
                .iter()
                .map(|c| (*c, counts[c.index()]))
                .filter(|(_, n)| *n > 0)
                .collect(),
        })
    }
}

fn page_of(found: &[(usize, f64)], q: &signpost_search::SearchQuery) -> Vec<usize> {
    found
        .iter()
        .skip(q.page.saturating_sub(1) * q.per_page)
        .take(q.per_page)
        .map(|(i, _)| *i)
        .collect()
}
