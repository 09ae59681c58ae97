//! Running a search: the tantivy query, the calendar and distance filters over its matches,
//! category counts, sorting and paging.

use std::cmp::Ordering;
use std::ops::Bound;

use chrono::{Datelike, Duration, Weekday};
use signpost_model::{Category, Gender, Schedule};

use crate::cache::WhenWhere;
use signpost_model::Coordinates;
use tantivy::collector::TopDocs;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::query::{Hit, IndexedActivity, Near, SearchQuery, SearchResults, Sort, When};
use crate::schema::{access_tag, day_number, gender_tag, language_tag, newcomer_tag};
use crate::text::{self, ANALYSER};
use crate::{SearchError, SearchIndex, WHEN_HORIZON_DAYS};

/// Distances within this of the radius count as inside it (floating-point slack of a millimetre).
const RADIUS_SLACK_KM: f64 = 1e-6;
/// How much a listing that may be out of date keeps of its relevance score.
const STALE_FACTOR: f32 = 0.5;

type BoxQuery = Box<dyn Query>;

fn must_all(parts: Vec<BoxQuery>) -> BoxQuery {
    Box::new(BooleanQuery::new(
        parts.into_iter().map(|q| (Occur::Must, q)).collect(),
    ))
}

fn any_of(parts: Vec<BoxQuery>) -> BoxQuery {
    Box::new(BooleanQuery::new(
        parts.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

fn filter(q: BoxQuery) -> BoxQuery {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

pub(crate) fn tag(field: Field, value: &str) -> BoxQuery {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

fn u64_at_most(field: Field, max: u64) -> BoxQuery {
    Box::new(RangeQuery::new(
        Bound::Included(Term::from_field_u64(field, 0)),
        Bound::Included(Term::from_field_u64(field, max)),
    ))
}

fn u64_at_least(field: Field, min: u64) -> BoxQuery {
    Box::new(RangeQuery::new(
        Bound::Included(Term::from_field_u64(field, min)),
        Bound::Included(Term::from_field_u64(field, u64::MAX)),
    ))
}

fn i64_at_least(field: Field, min: i64) -> BoxQuery {
    Box::new(RangeQuery::new(
        Bound::Included(Term::from_field_i64(field, min)),
        Bound::Included(Term::from_field_i64(field, i64::MAX)),
    ))
}

/// How many edits a query word may be from an indexed word and still match.
fn fuzziness(token: &str) -> u8 {
    match token.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Whether a session in the search's horizon fits its day and "when" filters.
pub(crate) fn fits_time(schedule: &Schedule, q: &SearchQuery) -> bool {
    if q.filters.day.is_none() && q.filters.when.is_none() {
        return true;
    }
    let today = q.now.date();
    if q.filters.when == Some(When::Now) {
        // Yesterday's late session may still be running after midnight.
        let yesterday = today.pred_opt().unwrap_or(today);
        return schedule.occurrences(yesterday, today).iter().any(|o| {
            o.is_running_at(q.now) && q.filters.day.is_none_or(|d| o.date.weekday() == d)
        });
    }
    let horizon = today + Duration::days(WHEN_HORIZON_DAYS - 1);
    schedule.occurrences(today, horizon).iter().any(|o| {
        let weekday = o.date.weekday();
        let day_ok = q.filters.day.is_none_or(|d| weekday == d);
        let when_ok = match q.filters.when {
            None | Some(When::Now) => true,
            Some(When::Weekend) => matches!(weekday, Weekday::Sat | Weekday::Sun),
            Some(When::AfterSchool) => {
                !matches!(weekday, Weekday::Sat | Weekday::Sun)
                    && o.overlaps_minutes(15 * 60, 18 * 60)
            }
            Some(When::Evening) => o.overlaps_minutes(18 * 60, 24 * 60),
        };
        day_ok && when_ok
    })
}

/// Distance to the nearest venue, if any venue is within the radius.
pub(crate) fn within(venues: &[Coordinates], near: &Near) -> Option<f64> {
    venues
        .iter()
        .map(|v| v.distance_km(near.point))
        .min_by(f64::total_cmp)
        .filter(|d| *d <= near.radius_km + RADIUS_SLACK_KM)
}

struct Candidate {
    address: DocAddress,
    score: f32,
    stale: bool,
    distance_km: Option<f64>,
    confirmed: i64,
    order: u64,
}

impl SearchIndex {
    fn text_query(&self, text: &str) -> Option<BoxQuery> {
        let mut analyser = self.index.tokenizers().get(ANALYSER)?;
        let fields = [
            (self.fields.title, 3.0),
            (self.fields.category_text, 2.0),
            (self.fields.provider, 1.5),
            (self.fields.description, 1.0),
        ];
        let token_query = |token: &str, fuzzy: bool| -> BoxQuery {
            let mut parts: Vec<BoxQuery> = Vec::new();
            for (field, boost) in fields {
                let term = Term::from_field_text(field, token);
                let exact = TermQuery::new(term.clone(), IndexRecordOption::WithFreqs);
                parts.push(Box::new(BoostQuery::new(Box::new(exact), boost * 2.0)));
                let distance = fuzziness(token);
                if fuzzy && distance > 0 {
                    let near = FuzzyTermQuery::new(term, distance, true);
                    parts.push(Box::new(BoostQuery::new(Box::new(near), boost * 0.5)));
                }
            }
            any_of(parts)
        };
        let mut words: Vec<BoxQuery> = Vec::new();
        let lowered = text.to_lowercase();
        for word in lowered
            .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
            .filter(|w| !w.is_empty())
        {
            let own = text::tokens(&mut analyser, word);
            if own.is_empty() {
                continue; // a stop word such as "the"
            }
            let mut alternatives: Vec<BoxQuery> =
                vec![must_all(own.iter().map(|t| token_query(t, true)).collect())];
            for alt in text::synonyms(word) {
                let toks = text::tokens(&mut analyser, alt);
                if !toks.is_empty() {
                    alternatives.push(must_all(
                        toks.iter().map(|t| token_query(t, false)).collect(),
                    ));
                }
            }
            words.push(any_of(alternatives));
        }
        if words.is_empty() {
            None
        } else {
            Some(must_all(words))
        }
    }

    fn filter_query(&self, q: &SearchQuery) -> Vec<BoxQuery> {
        let f = &self.fields;
        let today = day_number(q.now.date());
        let mut parts = vec![i64_at_least(f.ends_on, today)];
        if let Some(age) = q.filters.age {
            let lo = u64::from(age) * 12;
            parts.push(u64_at_most(f.age_min, lo + 11));
            parts.push(u64_at_least(f.age_max, lo));
        }
        match q.filters.free {
            Some(true) => parts.push(tag(f.tags, "free")),
            Some(false) => parts.push(tag(f.tags, "paid")),
            None => {}
        }
        if let Some(max) = q.filters.max_price_pence {
            parts.push(u64_at_most(f.price, u64::from(max)));
        }
        if let Some(g) = q.filters.gender {
            let mut allowed = vec![tag(f.tags, &gender_tag(Gender::Mixed))];
            if g != Gender::Mixed {
                allowed.push(tag(f.tags, &gender_tag(g)));
            }
            parts.push(any_of(allowed));
        }
        for need in &q.filters.access {
            parts.push(tag(f.tags, &access_tag(*need)));
        }
        if let Some(lang) = &q.filters.language {
            parts.push(tag(f.tags, &language_tag(lang)));
        }
        if !q.filters.join.is_empty() {
            let any = q
                .filters
                .join
                .iter()
                .map(|m| tag(f.tags, &format!("join:{}", m.as_str())))
                .collect();
            parts.push(any_of(any));
        }
        for n in &q.filters.newcomers {
            parts.push(tag(f.tags, &newcomer_tag(*n)));
        }
        if q.filters.checked {
            parts.push(i64_at_least(f.verified_until, today));
        }
        parts.into_iter().map(filter).collect()
    }

    fn load(
        &self,
        searcher: &Searcher,
        address: DocAddress,
    ) -> Result<IndexedActivity, SearchError> {
        self.record(&searcher.doc(address)?)
    }

    /// The [`IndexedActivity`] stored in a document.
    pub(crate) fn record(&self, doc: &TantivyDocument) -> Result<IndexedActivity, SearchError> {
        let bytes = doc
            .get_first(self.fields.record)
            .and_then(|v| v.as_bytes())
            .ok_or_else(|| SearchError::Corrupt("document has no record".into()))?;
        serde_json::from_slice(bytes).map_err(|e| SearchError::Corrupt(e.to_string()))
    }

    /// Venues and timetable of every live document in one segment, for the cache.
    fn when_where_of(
        &self,
        segment: &tantivy::SegmentReader,
    ) -> Result<Vec<Option<WhenWhere>>, SearchError> {
        let store = segment
            .get_store_reader(8)
            .map_err(tantivy::TantivyError::from)?;
        let mut out = Vec::with_capacity(segment.max_doc() as usize);
        for doc_id in 0..segment.max_doc() {
            if segment.is_deleted(doc_id) {
                out.push(None);
                continue;
            }
            let item = self.record(&store.get(doc_id)?)?;
            out.push(Some(WhenWhere {
                venues: item.activity.venues.iter().map(|v| v.coordinates).collect(),
                schedule: item.activity.schedule,
            }));
        }
        Ok(out)
    }

    /// Runs a search.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults, SearchError> {
        if q.sort == Sort::Distance && q.near.is_none() {
            return Err(SearchError::BadRequest(
                "sorting by distance needs a postcode, place or lat/lon".into(),
            ));
        }
        let searcher = self.reader.searcher();
        let limit = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        let empty = SearchResults {
            total: 0,
            hits: Vec::new(),
            category_counts: Vec::new(),
        };
        if limit == 0 {
            return Ok(empty);
        }
        let text = q.filters.text.as_deref().and_then(|t| self.text_query(t));
        let text_given = q
            .filters
            .text
            .as_deref()
            .is_some_and(|t| !t.trim().is_empty());
        if text_given && text.is_none() {
            // Only stop words ("the", "and"): nothing to look for, so nothing found.
            return Ok(empty);
        }
        let mut parts = self.filter_query(q);
        parts.push(text.unwrap_or_else(|| Box::new(AllQuery)));
        let query = must_all(parts);
        let matched = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;

        struct Columns {
            mask: tantivy::columnar::Column<u64>,
            confirmed: tantivy::columnar::Column<i64>,
            order: tantivy::columnar::Column<u64>,
        }
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|r| {
                let ff = r.fast_fields();
                Ok(Columns {
                    mask: ff.u64("category_mask")?,
                    confirmed: ff.i64("confirmed")?,
                    order: ff.u64("order_key")?,
                })
            })
            .collect::<Result<Vec<_>, tantivy::TantivyError>>()?;

        let wanted = q
            .filters
            .categories
            .iter()
            .fold(0u64, |m, c| m | (1 << c.index()));
        let needs_when_where =
            q.near.is_some() || q.filters.day.is_some() || q.filters.when.is_some();
        let when_where: Vec<Option<std::sync::Arc<Vec<Option<WhenWhere>>>>> = if needs_when_where {
            self.cache
                .for_searcher(&searcher, |seg| self.when_where_of(seg))?
        } else {
            Vec::new()
        };
        let fresh_since = q.fresh_since.map(day_number);
        let mut counts = [0usize; 64];
        let mut candidates = Vec::new();
        for (score, address) in matched {
            let col = &columns[address.segment_ord as usize];
            let mut distance_km = None;
            if needs_when_where {
                let Some(ww) = when_where
                    .get(address.segment_ord as usize)
                    .and_then(|seg| seg.as_ref())
                    .and_then(|seg| seg.get(address.doc_id as usize))
                    .and_then(|d| d.as_ref())
                else {
                    continue;
                };
                if !fits_time(&ww.schedule, q) {
                    continue;
                }
                if let Some(near) = &q.near {
                    match within(&ww.venues, near) {
                        Some(d) => distance_km = Some(d),
                        None => continue,
                    }
                }
            }
            let mask = col.mask.first(address.doc_id).unwrap_or(0);
            for (i, count) in counts.iter_mut().enumerate().take(Category::ALL.len()) {
                if mask & (1 << i) != 0 {
                    *count += 1;
                }
            }
            if wanted != 0 && mask & wanted == 0 {
                continue;
            }
            let confirmed = col.confirmed.first(address.doc_id).unwrap_or(0);
            let stale = fresh_since.is_some_and(|d| confirmed < d);
            candidates.push(Candidate {
                address,
                // Out-of-date listings rank lower: half the relevance of a fresh one.
                score: if stale { score * STALE_FACTOR } else { score },
                stale,
                distance_km,
                confirmed,
                order: col.order.first(address.doc_id).unwrap_or(0),
            });
        }

        let by_id = |a: &Candidate, b: &Candidate| a.order.cmp(&b.order);
        match q.sort {
            Sort::Relevance => candidates.sort_by(|a, b| {
                b.score
                    .total_cmp(&a.score)
                    .then(b.confirmed.cmp(&a.confirmed))
                    .then_with(|| by_id(a, b))
            }),
            Sort::Distance => candidates.sort_by(|a, b| {
                let da = a.distance_km.unwrap_or(f64::MAX);
                let db = b.distance_km.unwrap_or(f64::MAX);
                da.total_cmp(&db).then_with(|| by_id(a, b))
            }),
            Sort::Confirmed => candidates.sort_by(|a, b| {
                b.confirmed
                    .cmp(&a.confirmed)
                    .then(b.score.total_cmp(&a.score).then(Ordering::Equal))
                    .then_with(|| by_id(a, b))
            }),
        }

        let total = candidates.len();
        let start = q.page.saturating_sub(1).saturating_mul(q.per_page);
        let today = q.now.date();
        let mut hits = Vec::new();
        for c in candidates.into_iter().skip(start).take(q.per_page) {
            let item = self.load(&searcher, c.address)?;
            hits.push(Hit {
                next_session: item.activity.schedule.next_occurrence(q.now),
                safeguarding: item.provider.verification.status(today),
                item,
                score: c.score,
                distance_km: c.distance_km,
                stale: c.stale,
            });
        }
        let category_counts = Category::ALL
            .iter()
            .map(|c| (*c, counts[c.index()]))
            .filter(|(_, n)| *n > 0)
            .collect();
        Ok(SearchResults {
            total,
            hits,
            category_counts,
        })
    }
}
