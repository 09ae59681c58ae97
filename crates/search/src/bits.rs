//! The term filters of every search as bitsets: one bit a document per segment.
//!
//! A search's term filters (ages, gender, cost, access, the timetable's term, the grid cells
//! around a place) plus the collector's exact checks decide what it finds. Tantivy would
//! intersect the terms' posting lists one document at a time, seeking in each; at a million
//! listings that seeking and the per-document work behind it were most of a broad filter's
//! 12 ms, and its union of grid cells, rebuilt for every search, a third of a text search near
//! a place. Here every filter becomes a bitset (the common, dense ones kept per segment), the
//! bitsets are ANDed a word at a time ([`matching`]), and then:
//!
//! - a search with text moves its text query's scorer through the result (see
//!   [`crate::collect`]);
//! - when a filter still needs a per-listing check (price, the exact timetable, the exact
//!   distance), the surviving documents go through the same collector as every other search;
//! - otherwise everything is counting: the category counts and the total are popcounts of the
//!   result ANDed with each category's bitset, and the page is read off a per-segment list of
//!   documents in the order of the last-confirmed date.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Opstamp, Searcher, SegmentOrdinal, SegmentReader, Term};

use crate::calendar::{TimeCheck, TimeKey};
use crate::collect::{Candidate, Collect, Found, Plan};
use crate::rows::Rows;
use crate::schema::FLAG_SIMPLE_TIMETABLE;

/// One bit a document of a segment.
#[derive(Clone, Debug)]
pub(crate) struct Bits {
    words: Vec<u64>,
}

impl Bits {
    pub fn empty(max_doc: u32) -> Bits {
        Bits {
            words: vec![0; (max_doc as usize).div_ceil(64)],
        }
    }

    /// The documents for which `keep` holds.
    pub fn from_fn(max_doc: u32, mut keep: impl FnMut(DocId) -> bool) -> Bits {
        let mut bits = Bits::empty(max_doc);
        for doc in 0..max_doc {
            if keep(doc) {
                bits.insert(doc);
            }
        }
        bits
    }

    #[inline]
    pub fn insert(&mut self, doc: DocId) {
        self.words[doc as usize / 64] |= 1 << (doc % 64);
    }

    #[inline]
    pub fn contains(&self, doc: DocId) -> bool {
        self.words
            .get(doc as usize / 64)
            .is_some_and(|w| w & (1 << (doc % 64)) != 0)
    }

    pub fn and(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
    }

    pub fn or(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    /// The first document at or after `doc`, if any.
    #[inline]
    pub fn next_from(&self, doc: DocId) -> Option<DocId> {
        let mut i = doc as usize / 64;
        let mut word = self.words.get(i)? & (u64::MAX << (doc % 64));
        loop {
            if word != 0 {
                return Some((i * 64) as DocId + word.trailing_zeros());
            }
            i += 1;
            word = *self.words.get(i)?;
        }
    }

    pub fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    pub fn count_and(&self, other: &Bits) -> usize {
        self.words
            .iter()
            .zip(&other.words)
            .map(|(a, b)| (a & b).count_ones() as usize)
            .sum()
    }

    /// Every document in order, handed over in full blocks of 64 (the last may be short):
    /// the collector's per-block set-up is worth paying once per 64 documents, not once per
    /// word of a sparse set.
    pub fn for_each_block(&self, mut f: impl FnMut(&[DocId])) {
        let mut block = [0 as DocId; 64];
        let mut n = 0;
        for (i, &word) in self.words.iter().enumerate() {
            let mut w = word;
            while w != 0 {
                block[n] = (i * 64) as DocId + w.trailing_zeros();
                n += 1;
                w &= w - 1;
                if n == block.len() {
                    f(&block);
                    n = 0;
                }
            }
        }
        if n > 0 {
            f(&block[..n]);
        }
    }

    /// Adds every document a term's posting list holds (deleted ones too: the search ANDs
    /// with [`SegmentBits::live`], which leaves them out).
    fn add_postings(&mut self, segment: &SegmentReader, term: &Term) -> tantivy::Result<()> {
        let inverted = segment.inverted_index(term.field())?;
        if let Some(mut block) = inverted.read_block_postings(term, IndexRecordOption::Basic)? {
            loop {
                let docs = block.docs();
                if docs.is_empty() {
                    break;
                }
                for &doc in docs {
                    self.insert(doc);
                }
                block.advance();
            }
        }
        Ok(())
    }
}

/// A term filter. Both search paths turn the filters into one bitset a segment
/// ([`matching`]); a search with text then moves its text query through that bitset.
#[derive(Clone, Debug)]
pub(crate) enum Filter {
    Term(Term),
    /// Any of these terms (grid cells, ways to join).
    AnyOf(Vec<Term>),
    /// The timetable's term and the exact check it narrows: the exact answer when it is
    /// kept per segment (see [`SegmentBits::time`]), else the term, with the check left to
    /// the collector.
    Time(Term, TimeCheck),
}

/// The bitsets a segment keeps between searches, beside its rows.
#[derive(Debug, Default)]
pub(crate) struct SegmentBits {
    /// Dense terms' documents (a term on at least one document in [`DENSE`]).
    terms: Mutex<HashMap<Term, Arc<Bits>>>,
    /// Listings not ended, and those also with safeguarding checked, as of one day and one
    /// set of deletions.
    today: Mutex<Option<Live>>,
    /// Exact timetable answers: the documents with a check's term whose sessions pass it.
    /// A day's "after school" holds all day and a "now" for a minute; the segment's
    /// documents never change, and deletions are left out by the live bits.
    times: Mutex<HashMap<TimeKey, Arc<Bits>>>,
    /// Each category's listings, by `Category::index`.
    categories: Vec<Bits>,
    /// Every document, in the order of the last-confirmed date (newest first), ties by the
    /// listing's order key.
    by_confirmed: Vec<DocId>,
}

/// The listings live on one day (day number, not ended, not ended and checked), deleted
/// documents left out.
#[derive(Debug)]
struct Live {
    day: i32,
    /// The segment's deletions these bits leave out, by [`SegmentReader::delete_opstamp`]:
    /// an edit deletes the listing's old document, so new deletions mean new bits.
    deletes: Option<Opstamp>,
    live: Arc<Bits>,
    checked: Arc<Bits>,
}

/// Terms on at least one document in this many are kept as bitsets.
const DENSE: u32 = 64;
/// At most this many terms a segment are kept (each is `max_doc / 8` bytes).
const MAX_KEPT_TERMS: usize = 96;
/// At most this many timetable answers a segment are kept; when full, all are let go (most
/// are a past minute's "now").
const MAX_KEPT_TIMES: usize = 64;

impl SegmentBits {
    fn term(&self, segment: &SegmentReader, term: &Term) -> tantivy::Result<Arc<Bits>> {
        if let Some(bits) = self.lock_terms().get(term) {
            return Ok(bits.clone());
        }
        let mut bits = Bits::empty(segment.max_doc());
        bits.add_postings(segment, term)?;
        let bits = Arc::new(bits);
        // The bits hold the whole posting list, so their count is the term's document
        // frequency: no second look in the term dictionary.
        let doc_freq = u32::try_from(bits.count()).unwrap_or(u32::MAX);
        let mut terms = self.lock_terms();
        if doc_freq.saturating_mul(DENSE) >= segment.max_doc() && terms.len() < MAX_KEPT_TERMS {
            terms.insert(term.clone(), bits.clone());
        }
        Ok(bits)
    }

    /// Adds a term's documents to `bits`: from the kept bitset when the term is dense, else
    /// straight from its postings. Most grid cells are sparse; a bitset of their own, made
    /// and then ORed in, was a tenth of a search near a place at a million listings.
    fn add_term(
        &self,
        segment: &SegmentReader,
        term: &Term,
        bits: &mut Bits,
    ) -> tantivy::Result<()> {
        if let Some(kept) = self.lock_terms().get(term) {
            bits.or(kept);
            return Ok(());
        }
        let doc_freq = segment.inverted_index(term.field())?.doc_freq(term)?;
        if doc_freq.saturating_mul(DENSE) >= segment.max_doc() {
            bits.or(&*self.term(segment, term)?);
            Ok(())
        } else {
            bits.add_postings(segment, term)
        }
    }

    /// The documents whose timetables pass `check`, among those with its `term`: kept, or
    /// worked out when `work_out` (else `None`).
    fn time(
        &self,
        segment: &SegmentReader,
        rows: &Rows,
        (term, check): (&Term, &TimeCheck),
        work_out: bool,
    ) -> tantivy::Result<Option<Arc<Bits>>> {
        let key = check.key();
        let lock = || self.times.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(bits) = lock().get(&key) {
            return Ok(Some(bits.clone()));
        }
        if !work_out {
            return Ok(None);
        }
        let candidates = self.term(segment, term)?;
        let simple_decided = check.term_is_exact_for_simple();
        let mut bits = Bits::empty(segment.max_doc());
        candidates.for_each_block(|docs| {
            for &doc in docs {
                let simple = u64::from(rows.hot(doc).flags) & FLAG_SIMPLE_TIMETABLE != 0;
                if (simple && simple_decided) || check.matches(rows.sessions(rows.cold(doc))) {
                    bits.insert(doc);
                }
            }
        });
        let bits = Arc::new(bits);
        let mut kept = lock();
        if kept.len() >= MAX_KEPT_TIMES {
            kept.clear();
        }
        kept.insert(key, bits.clone());
        Ok(Some(bits))
    }

    fn lock_terms(&self) -> std::sync::MutexGuard<'_, HashMap<Term, Arc<Bits>>> {
        self.terms.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Listings not ended on `today`, or not ended and checked.
    fn live(&self, segment: &SegmentReader, rows: &Rows, today: i32, checked: bool) -> Arc<Bits> {
        let deletes = segment.delete_opstamp();
        let mut kept = self.today.lock().unwrap_or_else(|p| p.into_inner());
        let live = match &*kept {
            Some(live) if live.day == today && live.deletes == deletes => live,
            _ => {
                let alive = segment.alive_bitset();
                let alive = |d| alive.is_none_or(|a| a.is_alive(d));
                kept.insert(Live {
                    day: today,
                    deletes,
                    live: Arc::new(Bits::from_fn(rows.len(), |d| {
                        rows.hot(d).ends_on >= today && alive(d)
                    })),
                    checked: Arc::new(Bits::from_fn(rows.len(), |d| {
                        let hot = rows.hot(d);
                        hot.ends_on >= today && hot.verified_until >= today && alive(d)
                    })),
                })
            }
        };
        if checked {
            live.checked.clone()
        } else {
            live.live.clone()
        }
    }

    /// What does not depend on the search, built with the segment's rows (about 0.1 s for a
    /// million listings, most of it the sort).
    pub fn build(rows: &Rows) -> SegmentBits {
        let mut categories = vec![Bits::empty(rows.len()); 16];
        for doc in 0..rows.len() {
            let mut mask = rows.hot(doc).mask;
            while mask != 0 {
                categories[mask.trailing_zeros() as usize].insert(doc);
                mask &= mask - 1;
            }
        }
        let mut by_confirmed: Vec<DocId> = (0..rows.len()).collect();
        by_confirmed.sort_unstable_by_key(|&d| {
            (
                std::cmp::Reverse(rows.hot(d).confirmed),
                rows.cold(d).order,
                d,
            )
        });
        SegmentBits {
            categories,
            by_confirmed,
            ..SegmentBits::default()
        }
    }
}

/// The documents of one segment live on the plan's day (and checked, when it asks) that have
/// every filter's terms, and whether they also pass the plan's timetable check: they do when
/// its exact answer is kept or is worked out here. An answer that holds all day is always
/// worked out (once a day, then kept); a minute's "now" only when `work_out`, since it checks
/// every listing with the term.
pub(crate) fn matching(
    segment: &SegmentReader,
    rows: &Rows,
    plan: &Plan,
    filters: &[Filter],
    work_out: bool,
) -> tantivy::Result<(Bits, bool)> {
    let kept = &rows.bits;
    let mut matched = Bits::clone(&kept.live(segment, rows, plan.today, plan.checked));
    let mut time_decided = false;
    for filter in filters {
        match filter {
            Filter::Term(term) => matched.and(&*kept.term(segment, term)?),
            Filter::Time(term, check) => {
                let work_out = work_out || check.holds_all_day();
                match kept.time(segment, rows, (term, check), work_out)? {
                    Some(exact) => {
                        matched.and(&exact);
                        time_decided = true;
                    }
                    None => matched.and(&*kept.term(segment, term)?),
                }
            }
            Filter::AnyOf(terms) => {
                let mut any = Bits::empty(segment.max_doc());
                for term in terms {
                    kept.add_term(segment, term, &mut any)?;
                }
                matched.and(&any);
            }
        }
    }
    Ok((matched, time_decided))
}

/// Runs a search with no text, as [`Collect`] would over the same filters.
pub(crate) fn search(searcher: &Searcher, collect: &Collect) -> tantivy::Result<Found> {
    let plan = &*collect.plan;
    let mut fruits = Vec::with_capacity(searcher.segment_readers().len());
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let ord = ord as SegmentOrdinal;
        let rows = collect.rows.get(ord as usize).ok_or_else(|| {
            tantivy::TantivyError::InternalError(format!("no rows for segment {ord}"))
        })?;
        // Working a "now" out checks every listing with its term, as the collector would
        // without a place; with one, the collector checks only those within reach.
        let work_out = plan.near.is_none();
        let (matched, time_decided) = matching(segment, rows, plan, &collect.filters, work_out)?;
        let mut child = collect.for_segment(ord, segment)?;
        if time_decided {
            child.time_decided();
        }
        if child.needs_cold() {
            matched.for_each_block(|docs| child.collect_block(docs));
            fruits.push(child.harvest());
        } else {
            fruits.push(count(plan, ord, rows, &matched));
        }
    }
    collect.merge_fruits(fruits)
}

/// Whether `total` matches among `len` documents are better ordered directly than found by
/// walking [`SegmentBits::by_confirmed`] until `keep` turn up. The walk reads about
/// `keep * len / total` entries at a nanosecond or two each; ordering reads each match's rows
/// (overlapping misses, some tens of nanoseconds each) and scans the bits once.
fn few(total: usize, keep: usize, len: u32) -> bool {
    let total = total as u64;
    total.saturating_mul(total).saturating_mul(16) <= (keep as u64).saturating_mul(u64::from(len))
}

/// The category counts (before the category filter) and the total of `matched`, as the
/// collector would count them, and the matches in the categories asked for when the plan
/// asks for some.
pub(crate) fn tally(plan: &Plan, rows: &Rows, matched: &Bits) -> (Found, Option<Bits>) {
    let categories = &rows.bits.categories;
    let mut found = Found::default();
    for (n, bits) in found.counts.iter_mut().zip(categories) {
        *n = matched.count_and(bits);
    }
    // Without a category filter every match is wanted: no copy of the bits.
    let in_category = (plan.wanted != 0).then(|| {
        let mut any = Bits::empty(rows.len());
        for (c, bits) in categories.iter().enumerate() {
            if plan.wanted & (1 << c) != 0 {
                any.or(bits);
            }
        }
        any.and(matched);
        any
    });
    found.total = in_category.as_ref().unwrap_or(matched).count();
    (found, in_category)
}

/// What the collector would find in one segment when nothing needs a per-listing check.
fn count(plan: &Plan, segment: SegmentOrdinal, rows: &Rows, matched: &Bits) -> Found {
    let (mut found, in_category) = tally(plan, rows, matched);
    let wanted = in_category.as_ref().unwrap_or(matched);
    if plan.keep > 0 {
        // The page's documents first, then their rows: reading a row as each document was
        // found made the reads wait one after another (a quarter of a filters-only search
        // at a million listings); read together, their cache misses overlap.
        let docs: Vec<DocId> = if few(found.total, plan.keep, rows.len()) {
            // Walking the whole order to find a few would take longer than ordering them.
            let mut docs = Vec::with_capacity(found.total);
            wanted.for_each_block(|block| docs.extend_from_slice(block));
            docs
        } else {
            rows.bits
                .by_confirmed
                .iter()
                .copied()
                .filter(|&doc| wanted.contains(doc))
                .take(plan.keep)
                .collect()
        };
        let hot: Vec<_> = docs.iter().map(|&doc| rows.hot(doc)).collect();
        let order: Vec<_> = docs.iter().map(|&doc| rows.cold(doc).order).collect();
        for ((doc, hot), order) in docs.into_iter().zip(hot).zip(order) {
            found.top.push(Candidate {
                segment,
                doc,
                score: 0.0,
                stale: plan.fresh_since.is_some_and(|d| hot.confirmed < d),
                // Only a plan without `first` counts here (it needs each timetable).
                later: false,
                chord: None,
                confirmed: hot.confirmed,
                order: Some(order),
            });
        }
        // Not trimmed here (the few-matches path hands over all of them): merging the
        // segments' finds keeps the best `keep` in the search's order.
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_hand_over_every_document_once_in_order_and_full() {
        let max_doc = 1_000;
        let keep = |d: DocId| d.is_multiple_of(7) || (300..420).contains(&d) || d == 999;
        let bits = Bits::from_fn(max_doc, keep);
        let mut seen = Vec::new();
        let mut sizes = Vec::new();
        bits.for_each_block(|docs| {
            sizes.push(docs.len());
            seen.extend_from_slice(docs);
        });
        let expected: Vec<DocId> = (0..max_doc).filter(|d| keep(*d)).collect();
        assert_eq!(seen, expected);
        assert_eq!(bits.count(), expected.len());
        assert!(
            sizes[..sizes.len() - 1].iter().all(|n| *n == 64),
            "{sizes:?}"
        );
        for d in 0..max_doc {
            assert_eq!(bits.contains(d), keep(d));
        }
    }

    #[test]
    fn and_or_and_counts_agree_with_the_sets() {
        let a = Bits::from_fn(500, |d| d.is_multiple_of(2));
        let b = Bits::from_fn(500, |d| d.is_multiple_of(3));
        assert_eq!(
            a.count_and(&b),
            (0..500).filter(|d: &u32| d.is_multiple_of(6)).count()
        );
        let mut both = a.clone();
        both.and(&b);
        assert_eq!(both.count(), a.count_and(&b));
        let mut either = a.clone();
        either.or(&b);
        assert_eq!(
            either.count(),
            (0..500)
                .filter(|d: &u32| d.is_multiple_of(2) || d.is_multiple_of(3))
                .count()
        );
    }
}
