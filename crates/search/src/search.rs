//! Running a search: the term filters as bitsets ([`crate::bits`]), the tantivy query of its
//! text moved through them, the collector ([`crate::collect`]) for the exact checks, category
//! counts and the top of the order, then the page's records.

use std::sync::Arc;

use signpost_model::Category;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, DocSet, Searcher, TERMINATED, TantivyDocument, Term};

use crate::bits::{self, Filter};
use crate::calendar::{self, TimeCheck};
use crate::collect::{Collect, Plan};
use crate::query::{
    First, Hit, IndexedActivity, SOON_DAYS, SearchQuery, SearchResults, Sort, When,
};
use crate::schema::{access_tag, age_tag, day_number, language_tag, newcomer_tag, open_to_tag};
use crate::text::{self, ANALYSER};
use crate::{SearchError, SearchIndex};
use crate::{geo, rows};

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

pub(crate) fn term_query(term: &Term) -> BoxQuery {
    Box::new(TermQuery::new(term.clone(), IndexRecordOption::Basic))
}

/// What each word found adds to a listing's score when any of the words will do: more than
/// any word's own score can be (a few hundred at most, at a million listings), so the count
/// of words found decides first.
pub(crate) const PER_WORD: f32 = 10_000.0;

/// How much a synonym's match counts, against the word's own.
const SYNONYM_WEIGHT: f32 = 0.5;

/// How many edits a query word may be from an indexed word and still match.
pub(crate) fn fuzziness(token: &str) -> u8 {
    match token.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

impl SearchIndex {
    /// The text fields searched, with their boosts.
    fn text_fields(&self) -> [(Field, f32); 4] {
        [
            (self.fields.title, 3.0),
            (self.fields.category_text, 2.0),
            (self.fields.provider, 1.5),
            (self.fields.description, 1.0),
        ]
    }

    /// Whether some listing (ended and withdrawn ones included, deleted ones not) has `token`
    /// in a text field. Only a word no listing uses is taken for a typo.
    fn known(&self, searcher: &Searcher, token: &str) -> Result<bool, SearchError> {
        for segment in searcher.segment_readers() {
            for (field, _) in self.text_fields() {
                let term = Term::from_field_text(field, token);
                let index = segment.inverted_index(field)?;
                let postings = index.read_postings(&term, IndexRecordOption::Basic);
                let Some(mut postings) = postings.map_err(tantivy::TantivyError::from)? else {
                    continue;
                };
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if segment.alive_bitset().is_none_or(|a| a.is_alive(doc)) {
                        return Ok(true);
                    }
                    doc = postings.advance();
                }
            }
        }
        Ok(false)
    }

    fn text_query(
        &self,
        searcher: &Searcher,
        text: &str,
        any_word: bool,
    ) -> Result<Option<BoxQuery>, SearchError> {
        let Some(mut analyser) = self.index.tokenizers().get(ANALYSER) else {
            return Ok(None);
        };
        let fields = self.text_fields();
        let token_query = |token: &str, fuzzy: bool| -> Result<BoxQuery, SearchError> {
            let distance = fuzziness(token);
            let fuzzy = fuzzy && distance > 0 && !self.known(searcher, token)?;
            let mut parts: Vec<BoxQuery> = Vec::new();
            for (field, boost) in fields {
                let term = Term::from_field_text(field, token);
                let exact = TermQuery::new(term.clone(), IndexRecordOption::WithFreqs);
                parts.push(Box::new(BoostQuery::new(Box::new(exact), boost * 2.0)));
                if fuzzy {
                    let near = FuzzyTermQuery::new(term, distance, true);
                    parts.push(Box::new(BoostQuery::new(Box::new(near), boost * 0.5)));
                }
            }
            Ok(any_of(parts))
        };
        let mut words: Vec<BoxQuery> = Vec::new();
        for word in text::units(text) {
            let word = word.as_str();
            let own = text::tokens(&mut analyser, word);
            if own.is_empty() {
                continue; // a stop word such as "the"
            }
            let own = own.iter().map(|t| token_query(t, true));
            let mut alternatives = vec![must_all(own.collect::<Result<_, _>>()?)];
            for alt in text::synonyms(word) {
                let toks = text::tokens(&mut analyser, alt);
                if !toks.is_empty() {
                    let toks = toks.iter().map(|t| token_query(t, false));
                    let alt = must_all(toks.collect::<Result<_, _>>()?);
                    // What a word means counts for less than the word itself: "homework"
                    // finds a homework club before a listing about learning.
                    alternatives.push(Box::new(BoostQuery::new(alt, SYNONYM_WEIGHT)));
                }
            }
            let word = any_of(alternatives);
            words.push(if any_word {
                // Each word a listing has adds the same large amount, so those with more of
                // the words always come first, and how telling the words are (BM25) orders
                // those with as many: every word of "parent and baby swim" before "parent".
                let counted = Box::new(ConstScoreQuery::new(word.box_clone(), PER_WORD));
                any_of(vec![word, counted])
            } else {
                word
            });
        }
        Ok((!words.is_empty()).then(|| {
            if any_word {
                any_of(words)
            } else {
                must_all(words)
            }
        }))
    }

    /// The term filters, or `None` when nothing can match. Everything a term cannot decide
    /// is left to the collector's [`Plan`].
    fn filters(&self, q: &SearchQuery) -> Option<Vec<Filter>> {
        let tag = |value: &str| Term::from_field_text(self.fields.tags, value);
        let mut parts = Vec::new();
        if let Some(age) = q.filters.age {
            parts.push(Filter::Term(tag(&age_tag(age))));
        }
        match q.filters.free {
            Some(true) => parts.push(Filter::Term(tag("free"))),
            Some(false) => parts.push(Filter::Term(tag("paid"))),
            None => {}
        }
        if let Some(g) = q.filters.gender {
            parts.push(Filter::Term(tag(&open_to_tag(g))));
        }
        for need in &q.filters.access {
            parts.push(Filter::Term(tag(&access_tag(*need))));
        }
        if let Some(lang) = &q.filters.language {
            parts.push(Filter::Term(tag(&language_tag(lang))));
        }
        if !q.filters.join.is_empty() {
            let any = q
                .filters
                .join
                .iter()
                .map(|m| tag(&format!("join:{}", m.as_str())))
                .collect();
            parts.push(Filter::AnyOf(any));
        }
        for n in &q.filters.newcomers {
            parts.push(Filter::Term(tag(&newcomer_tag(*n))));
        }
        if let Some(check) = TimeCheck::new(q.filters.day, q.filters.when, q.now) {
            let term = calendar::query_term(q.filters.day, q.filters.when, q.now)?;
            parts.push(Filter::Time(tag(&term), check));
        }
        if let Some(cells) = q.near.as_ref().and_then(geo::cover) {
            parts.push(Filter::AnyOf(cells.iter().map(|c| tag(c)).collect()));
        }
        Some(parts)
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
        let json = doc
            .get_first(self.fields.record)
            .and_then(|v| v.as_str())
            .ok_or_else(|| SearchError::Corrupt("document has no record".into()))?;
        serde_json::from_str(json).map_err(|e| SearchError::Corrupt(e.to_string()))
    }

    /// Whether some listing has `word` (as the index analyses it: stemmed, folded) in a text
    /// field. A word that is only stop words is not known.
    pub fn knows(&self, word: &str) -> Result<bool, SearchError> {
        let Some(mut analyser) = self.index.tokenizers().get(ANALYSER) else {
            return Ok(false);
        };
        let searcher = self.reader.searcher();
        let tokens = text::tokens(&mut analyser, word);
        for token in &tokens {
            if !self.known(&searcher, token)? {
                return Ok(false);
            }
        }
        Ok(!tokens.is_empty())
    }

    /// Runs a search.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults, SearchError> {
        if q.sort == Sort::Distance && q.near.is_none() {
            return Err(SearchError::BadRequest(
                "sorting by distance needs a postcode, place or lat/lon".into(),
            ));
        }
        let searcher = self.reader.searcher();
        let empty = SearchResults {
            total: 0,
            hits: Vec::new(),
            category_counts: Vec::new(),
        };
        if searcher.num_docs() == 0 {
            return Ok(empty);
        }
        let text = match q.filters.text.as_deref() {
            Some(t) => self.text_query(&searcher, t, q.any_word)?,
            None => None,
        };
        let text_given = q
            .filters
            .text
            .as_deref()
            .is_some_and(|t| !t.trim().is_empty());
        if text_given && text.is_none() {
            // Only stop words ("the", "and"): nothing to look for, so nothing found.
            return Ok(empty);
        }
        let Some(filters) = self.filters(q) else {
            return Ok(empty);
        };
        let start = q.page.saturating_sub(1).saturating_mul(q.per_page);
        let keep = start.saturating_add(q.per_page);
        // Nothing kept (a count, as for loosened searches): nothing to score.
        let scoring = text.is_some() && q.sort != Sort::Distance && keep > 0;
        let plan = Plan {
            today: rows::day(day_number(q.now.date())),
            checked: q.filters.checked,
            max_price: q.filters.max_price_pence.map(u64::from),
            // The check the timetable filter was made with: prepared once (the days it asks about).
            time: filters.iter().find_map(|f| match f {
                Filter::Time(_, check) => Some(check.clone()),
                _ => None,
            }),
            near: q.near.as_ref().map(geo::Reach::new),
            wanted: q
                .filters
                .categories
                .iter()
                .fold(0u64, |m, c| m | (1 << c.index())),
            sort: q.sort,
            fresh_since: q.fresh_since.map(|d| rows::day(day_number(d))),
            first: match (q.first, q.filters.when) {
                (Some(First::Soon), _) => Some((TimeCheck::soon(q.now, SOON_DAYS), true)),
                (Some(First::HolidaysOnly), Some(when @ When::Holidays(_))) => {
                    Some((TimeCheck::term_after(when, q.now), false))
                }
                _ => None,
            },
            keep,
            scoring,
        };
        let collect = Collect {
            plan: Arc::new(plan),
            filters,
            rows: self.rows.for_searcher(&searcher)?,
        };
        let found = match text {
            None => bits::search(&searcher, &collect)?,
            Some(text) => searcher.search(&*text, &collect)?,
        };

        let today = q.now.date();
        let mut hits = Vec::new();
        for c in found.top.iter().skip(start) {
            let item = self.load(&searcher, DocAddress::new(c.segment, c.doc))?;
            // The collector ordered by chord; the page shows the haversine distance.
            let venues = item.activity.venues.iter().map(|v| v.coordinates);
            let nearest = q.near.as_ref().and_then(|n| geo::nearest(venues, n.point));
            hits.push(Hit {
                next_session: item.activity.schedule.next_occurrence(q.now),
                safeguarding: item.provider.verification.status(today),
                item,
                score: c.score,
                distance_km: nearest.map(|(_, km)| km),
                nearest_venue: nearest.map(|(i, _)| i),
                stale: c.stale,
            });
        }
        let category_counts = Category::ALL
            .iter()
            .map(|c| (*c, found.counts[c.index()]))
            .filter(|(_, n)| *n > 0)
            .collect();
        Ok(SearchResults {
            total: found.total,
            hits,
            category_counts,
        })
    }
}
