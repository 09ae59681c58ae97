//! The collector behind every search: the exact checks on fast fields, category counts, the
//! total, and only the top of the order (the page asked for and those before it).
//!
//! The filters' bitsets ([`crate::bits`]) have already narrowed the documents with terms (tags,
//! ages, the timetable's terms and the grid cells around a place) and left out listings ended
//! or (when asked) not checked; a text query's scorer is moved through them. What a term
//! cannot decide is checked here per candidate, reading fast fields only, never the stored
//! record: price, the exact timetable and the exact distance.

use std::cmp::Ordering;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{Scorer, Weight};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader, TERMINATED};

use crate::Sort;
use crate::bits::{self, Bits, Filter};
use crate::calendar::TimeCheck;
use crate::geo::{self, Reach};
use crate::rows::{Cold, Hot, Rows};
use crate::schema::FLAG_SIMPLE_TIMETABLE;
use crate::search::PER_WORD;

/// How much a listing that may be out of date keeps of its relevance score.
const STALE_FACTOR: f32 = 0.5;

/// An out-of-date listing's score: half its relevance, but not fewer of the words it was
/// counted for ([`PER_WORD`] each, when any of the words will do), so it still ranks above
/// listings with fewer of them.
fn stale_score(score: f32) -> f32 {
    let words = (score / PER_WORD).floor() * PER_WORD;
    words + (score - words) * STALE_FACTOR
}

/// What one search asks of every candidate, worked out once.
#[derive(Debug)]
pub(crate) struct Plan {
    /// Day number of the search's date: listings that ended before it are left out.
    pub today: i32,
    pub checked: bool,
    pub max_price: Option<u64>,
    pub time: Option<TimeCheck>,
    pub near: Option<Reach>,
    /// Categories chosen (any of); 0 for all.
    pub wanted: u64,
    pub sort: Sort,
    pub fresh_since: Option<i32>,
    /// Which listings go first ([`crate::SearchQuery::first`]): those whose timetable passes
    /// the check when `.1`, else those whose timetable does not.
    pub first: Option<(TimeCheck, bool)>,
    /// How many of the best to keep: every page up to the one asked for.
    pub keep: usize,
    pub scoring: bool,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Candidate {
    pub segment: SegmentOrdinal,
    pub doc: DocId,
    pub score: f32,
    pub stale: bool,
    /// Not among those the plan puts first ([`Plan::first`]).
    pub later: bool,
    /// The squared chord to the nearest venue, when the search has a place: it orders as the
    /// distance does (see [`geo::Reach`]).
    pub chord: Option<f64>,
    pub confirmed: i32,
    /// The listing's order key, the tie-break. Read only when needed: it is in [`Cold`], a
    /// cache miss per candidate, and most candidates kept early on are later dropped.
    pub order: Option<u64>,
}

/// What a search found: every match counted, the best [`Plan::keep`] in order.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub total: usize,
    /// By `Category::index`, counted before the category filter.
    pub counts: [usize; 16],
    pub top: Vec<Candidate>,
}

/// The order by what goes first (when asked) and what the sort asks for, before the
/// tie-breaks.
fn primary(sort: Sort, a: &Candidate, b: &Candidate) -> Ordering {
    a.later.cmp(&b.later).then_with(|| by_sort(sort, a, b))
}

fn by_sort(sort: Sort, a: &Candidate, b: &Candidate) -> Ordering {
    match sort {
        Sort::Relevance => b
            .score
            .total_cmp(&a.score)
            .then(b.confirmed.cmp(&a.confirmed)),
        Sort::Distance => a
            .chord
            .unwrap_or(f64::MAX)
            .total_cmp(&b.chord.unwrap_or(f64::MAX)),
        Sort::Confirmed => b
            .confirmed
            .cmp(&a.confirmed)
            .then(b.score.total_cmp(&a.score)),
    }
}

/// The whole order: ties broken by the listing's order key, then by where it is.
fn compare(sort: Sort) -> impl Fn(&Candidate, &Candidate) -> Ordering {
    move |a, b| {
        primary(sort, a, b)
            .then(a.order.cmp(&b.order))
            .then((a.segment, a.doc).cmp(&(b.segment, b.doc)))
    }
}

/// Keeps the best `keep` of `top`, in no particular order. Every order key must be read.
fn trim(top: &mut Vec<Candidate>, keep: usize, sort: Sort) {
    debug_assert!(top.iter().all(|c| c.order.is_some()));
    if top.len() > keep {
        if keep > 0 {
            top.select_nth_unstable_by(keep - 1, compare(sort));
        }
        top.truncate(keep);
    }
}

/// The collector for one search: its plan, its term filters, and the rows of every segment
/// of its searcher in segment order.
pub(crate) struct Collect {
    pub plan: Arc<Plan>,
    pub filters: Vec<Filter>,
    pub rows: Vec<Arc<Rows>>,
}

/// Byte `i` of `SPREAD[b]` is bit `i` of `b`.
const SPREAD: [u64; 256] = {
    let mut table = [0u64; 256];
    let mut b = 0;
    while b < 256 {
        let mut bit = 0;
        while bit < 8 {
            if b & (1 << bit) != 0 {
                table[b] |= 1 << (8 * bit);
            }
            bit += 1;
        }
        b += 1;
    }
    table
};

/// Category counts taken sixteen at a time: a listing's category mask is spread into
/// one-byte lanes (two table reads) and added to two running words, which are emptied into
/// the totals before a lane can overflow. Counting bit by bit was a fifth of a broad
/// filter's time at a million listings.
#[derive(Default)]
struct Tally {
    lanes: [u64; 2],
    pending: u8,
}

impl Tally {
    #[inline]
    fn add(&mut self, mask: u16, counts: &mut [usize; 16]) {
        self.lanes[0] += SPREAD[usize::from(mask & 0xff)];
        self.lanes[1] += SPREAD[usize::from(mask >> 8)];
        self.pending += 1;
        if self.pending == u8::MAX {
            self.flush(counts);
        }
    }

    fn flush(&mut self, counts: &mut [usize; 16]) {
        for (half, lanes) in self.lanes.iter().enumerate() {
            for lane in 0..8 {
                counts[half * 8 + lane] += ((lanes >> (8 * lane)) & 0xff) as usize;
            }
        }
        *self = Tally::default();
    }
}

pub(crate) struct SegmentCollect {
    plan: Arc<Plan>,
    segment: SegmentOrdinal,
    rows: Arc<Rows>,
    found: Found,
    tally: Tally,
    /// Once [`Plan::keep`] candidates are held, the worst of them: anything no better is
    /// counted but not kept.
    worst: Option<Candidate>,
    /// Whether [`Plan::time`] is still to be checked here (not when the documents handed
    /// over are already known to pass it).
    check_time: bool,
}

impl Collector for Collect {
    type Fruit = Found;
    type Child = SegmentCollect;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _reader: &SegmentReader,
    ) -> tantivy::Result<SegmentCollect> {
        let rows = self.rows.get(segment as usize).cloned().ok_or_else(|| {
            tantivy::TantivyError::InternalError(format!("no rows for segment {segment}"))
        })?;
        Ok(SegmentCollect {
            plan: self.plan.clone(),
            segment,
            rows,
            found: Found::default(),
            tally: Tally::default(),
            worst: None,
            check_time: self.plan.time.is_some(),
        })
    }

    /// The text query's documents among those the filters' bitsets hold (see
    /// [`bits::matching`]): the bitsets are made as a search without text makes them, from
    /// the kept ones, and the text query's scorer is moved on to each document they hold.
    /// Tantivy's union of a search's grid cells, rebuilt from the postings for every search,
    /// was a third of a search near a place at a million listings.
    ///
    /// When no match needs a check of its own and the order is by score (or nothing is
    /// kept), matches are counted from bits as well, and a match's row is read only when its
    /// score could put it among the best kept. Otherwise matches are gathered a block at a
    /// time and their rows read together (see [`SegmentCollect::take_block`]).
    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Found> {
        let mut child = self.for_segment(segment, reader)?;
        let plan = &*self.plan;
        let rows = child.rows.clone();
        // With text, the collector checks a "now" for text matches only, fewer than working
        // its answer out would.
        let (matched, time_decided) = bits::matching(reader, &rows, plan, &self.filters, false)?;
        if time_decided {
            child.time_decided();
        }
        let mut scorer = weight.scorer(reader, 1.0)?;
        let mut docs = [0; BLOCK];
        let mut scores = [0.0; BLOCK];
        let mut n = 0;
        if !child.needs_cold() && (plan.keep == 0 || plan.sort == Sort::Relevance) {
            let mut hits = Bits::empty(reader.max_doc());
            for_each_match(&mut *scorer, &matched, plan.scoring, |doc, score| {
                hits.insert(doc);
                if plan.keep > 0 && child.may_keep(score) {
                    docs[n] = doc;
                    scores[n] = score;
                    n += 1;
                    if n == BLOCK {
                        child.offer_block(&docs, &scores);
                        n = 0;
                    }
                }
            });
            child.offer_block(&docs[..n], &scores[..n]);
            let mut found = child.harvest();
            let (counted, _) = bits::tally(plan, &rows, &hits);
            found.total = counted.total;
            found.counts = counted.counts;
            return Ok(found);
        }
        for_each_match(&mut *scorer, &matched, plan.scoring, |doc, score| {
            docs[n] = doc;
            scores[n] = score;
            n += 1;
            if n == BLOCK {
                child.take_block(&docs, plan.scoring.then_some(&scores[..]));
                n = 0;
            }
        });
        child.take_block(&docs[..n], plan.scoring.then_some(&scores[..n]));
        Ok(child.harvest())
    }

    fn requires_scoring(&self) -> bool {
        self.plan.scoring
    }

    fn merge_fruits(&self, fruits: Vec<Found>) -> tantivy::Result<Found> {
        let mut all = Found::default();
        for f in fruits {
            all.total += f.total;
            for (sum, n) in all.counts.iter_mut().zip(f.counts) {
                *sum += n;
            }
            all.top.extend(f.top);
        }
        trim(&mut all.top, self.plan.keep, self.plan.sort);
        all.top.sort_by(compare(self.plan.sort));
        Ok(all)
    }
}

/// Matches are checked and their rows read in blocks of at most this many (tantivy hands over
/// unscored documents in blocks of this size too).
const BLOCK: usize = 64;

/// Hands each document both `scorer` and `matched` hold to `f` in order, with its score when
/// `scoring`. The scorer is moved straight to the next document the bits hold, so a
/// narrow filter skips whole blocks of a broad word's postings.
fn for_each_match(
    scorer: &mut dyn Scorer,
    matched: &Bits,
    scoring: bool,
    mut f: impl FnMut(DocId, Score),
) {
    let mut doc = scorer.doc();
    while doc != TERMINATED {
        match matched.next_from(doc) {
            None => break,
            Some(next) if next > doc => doc = scorer.seek(next),
            Some(_) => {
                f(doc, if scoring { scorer.score() } else { 0.0 });
                doc = scorer.advance();
            }
        }
    }
}

impl SegmentCollect {
    /// Every document handed over is already known to pass the plan's timetable check.
    pub fn time_decided(&mut self) {
        self.check_time = false;
    }

    /// Whether a candidate's [`Cold`] part is needed before it is counted.
    pub fn needs_cold(&self) -> bool {
        let p = &*self.plan;
        p.max_price.is_some() || self.check_time || p.near.is_some() || p.first.is_some()
    }

    /// Checks, counts and perhaps keeps each of `docs` (with its score, when scoring). The
    /// rows of the whole block are read first: those reads do not depend on each other, so
    /// their cache misses overlap instead of coming one after another. Reading a row as each
    /// document came was two fifths of a text search's time at a million listings.
    fn take_block(&mut self, docs: &[DocId], scores: Option<&[Score]>) {
        let needs_cold = self.needs_cold();
        for (at, chunk) in docs.chunks(BLOCK).enumerate() {
            let mut hot = [Hot::default(); BLOCK];
            for (h, d) in hot.iter_mut().zip(chunk) {
                *h = self.rows.hot(*d);
            }
            let mut cold = [None; BLOCK];
            if needs_cold {
                for (c, d) in cold.iter_mut().zip(chunk) {
                    *c = Some(*self.rows.cold(*d));
                }
            }
            for (i, ((h, c), d)) in hot.iter().zip(cold).zip(chunk).enumerate() {
                let score = scores.map_or(0.0, |s| s[at * BLOCK + i]);
                self.take(*d, *h, c, score);
            }
        }
    }

    /// Checks, counts and perhaps keeps one document, given its [`Hot`] part and, when the
    /// plan needs it, its [`Cold`] part.
    fn take(&mut self, doc: DocId, hot: Hot, cold: Option<Cold>, score: Score) {
        let p = &*self.plan;
        let rows = &*self.rows;
        if hot.ends_on < p.today || (p.checked && hot.verified_until < p.today) {
            return;
        }
        let mut chord = None;
        if let Some(cold) = &cold {
            if let Some(max) = p.max_price
                && cold.price > max
            {
                return;
            }
            // Distance first: a few multiplications, and the grid cells fetch two to three
            // times the circle's area, so it turns away more than the timetable would.
            if let Some(near) = &p.near {
                match geo::within(rows.venues(cold), near) {
                    Some(c) => chord = Some(c),
                    None => return,
                }
            }
            if let Some(time) = p.time.as_ref().filter(|_| self.check_time) {
                let simple = u64::from(hot.flags) & FLAG_SIMPLE_TIMETABLE != 0;
                let decided = simple && time.term_is_exact_for_simple();
                if !decided && !time.matches(rows.sessions(cold)) {
                    return;
                }
            }
        }
        self.tally.add(hot.mask, &mut self.found.counts);
        if p.wanted != 0 && u64::from(hot.mask) & p.wanted == 0 {
            return;
        }
        self.found.total += 1;
        // Only kept candidates need it. A plain weekly timetable runs every week, so has a
        // session in any whole week; no timetable at all ("ask about times") goes later.
        let later = match (&p.first, &cold) {
            (Some((check, first_if)), Some(cold)) if p.keep > 0 => {
                let sessions = rows.sessions(cold);
                let simple = u64::from(hot.flags) & FLAG_SIMPLE_TIMETABLE != 0;
                let passes =
                    (simple && check.term_is_exact_for_simple()) || check.matches(sessions);
                sessions.is_empty() || passes != *first_if
            }
            _ => false,
        };
        self.keep(doc, hot, cold.map(|c| c.order), chord, score, later);
    }

    /// Whether a match with this score (before any lowering for being out of date) could be
    /// among the best kept, when the order is by score.
    fn may_keep(&self, score: Score) -> bool {
        debug_assert_eq!(self.plan.sort, Sort::Relevance);
        self.worst.is_none_or(|w| score >= w.score)
    }

    /// Perhaps keeps each of `docs`, already counted elsewhere and known to pass every check
    /// but the category filter, with its score: their rows are read together.
    fn offer_block(&mut self, docs: &[DocId], scores: &[Score]) {
        let mut hot = [Hot::default(); BLOCK];
        for (h, d) in hot.iter_mut().zip(docs) {
            *h = self.rows.hot(*d);
        }
        let wanted = self.plan.wanted;
        for ((h, d), score) in hot.iter().zip(docs).zip(scores) {
            if wanted == 0 || u64::from(h.mask) & wanted != 0 {
                self.keep(*d, *h, None, None, *score, false);
            }
        }
    }

    /// Keeps a counted match if it is among the best so far.
    fn keep(
        &mut self,
        doc: DocId,
        hot: Hot,
        order: Option<u64>,
        chord: Option<f64>,
        score: Score,
        later: bool,
    ) {
        let p = &*self.plan;
        if p.keep == 0 {
            return;
        }
        let stale = p.fresh_since.is_some_and(|d| hot.confirmed < d);
        let mut candidate = Candidate {
            segment: self.segment,
            doc,
            // Out-of-date listings rank lower: half the relevance of a fresh one.
            score: if stale { stale_score(score) } else { score },
            stale,
            later,
            chord,
            confirmed: hot.confirmed,
            order,
        };
        if let Some(worst) = &self.worst {
            // Most candidates lose to the worst kept on the sort alone; only a tie needs the
            // order key.
            match primary(p.sort, &candidate, worst) {
                Ordering::Greater => return,
                Ordering::Less => {}
                Ordering::Equal => {
                    candidate.order = Some(self.rows.cold(doc).order);
                    if compare(p.sort)(&candidate, worst) != Ordering::Less {
                        return;
                    }
                }
            }
        }
        let (keep, sort) = (p.keep, p.sort);
        self.found.top.push(candidate);
        if self.found.top.len() >= 2 * keep.max(BLOCK) {
            self.trim();
            self.worst = self.found.top.iter().copied().max_by(compare(sort));
        }
    }

    /// Keeps the best [`Plan::keep`], reading the order keys still missing first: those
    /// reads do not depend on each other, so their cache misses overlap.
    fn trim(&mut self) {
        for c in self.found.top.iter_mut().filter(|c| c.order.is_none()) {
            c.order = Some(self.rows.cold(c.doc).order);
        }
        trim(&mut self.found.top, self.plan.keep, self.plan.sort);
    }
}

impl SegmentCollector for SegmentCollect {
    type Fruit = Found;

    fn collect(&mut self, doc: DocId, score: Score) {
        let hot = self.rows.hot(doc);
        let cold = self.needs_cold().then(|| *self.rows.cold(doc));
        self.take(doc, hot, cold, score);
    }

    /// Unscored searches without deletions come here, a block at a time.
    fn collect_block(&mut self, docs: &[DocId]) {
        self.take_block(docs, None);
    }

    fn harvest(mut self) -> Found {
        self.tally.flush(&mut self.found.counts);
        self.trim();
        self.found
    }
}

#[cfg(test)]
mod tests {
    use tantivy::{Index, TantivyDocument, doc};

    /// The lanes must never overflow into each other, however many listings share a category.
    #[test]
    fn tally_counts_every_category_of_every_listing() {
        let mut tally = super::Tally::default();
        let mut counts = [0usize; 16];
        let mut expected = [0usize; 16];
        let mut x: u32 = 12345;
        for i in 0..100_000u32 {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            // Every category on a long run of listings, then random masks.
            let mask = if i < 1_000 {
                u16::MAX
            } else {
                (x >> 16) as u16
            };
            tally.add(mask, &mut counts);
            for (bit, e) in expected.iter_mut().enumerate() {
                *e += usize::from(mask >> bit & 1 == 1);
            }
        }
        tally.flush(&mut counts);
        assert_eq!(counts, expected);
    }

    /// Distances pair each venue's latitude with its longitude by position, so tantivy must
    /// keep a document's values in the order they were added, also when it sorts documents by
    /// place and when sorted segments merge.
    #[test]
    fn venue_coordinates_keep_their_order_through_a_merge() {
        let (schema, f) = crate::schema::build();
        let index = Index::builder()
            .schema(schema)
            .settings(crate::schema::settings())
            .create_in_ram()
            .unwrap();
        index
            .tokenizers()
            .register(crate::text::ANALYSER, crate::text::analyser());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let venues = [(53.0, -1.0), (52.0, -3.0), (54.5, -2.0), (51.0, 0.5)];
        for round in 0..3 {
            for n in 1..=venues.len() {
                let mut d: TantivyDocument = doc!(
                    f.order_key => (round * 10 + n) as u64,
                    // Added in the opposite order to the one the index keeps.
                    f.geo_key => (100 - round * 10 - n) as u64,
                );
                for (lat, lon) in &venues[..n] {
                    d.add_f64(f.lat, *lat);
                    d.add_f64(f.lon, *lon);
                }
                writer.add_document(d).unwrap();
            }
            writer.commit().unwrap();
        }
        let segments = index.searchable_segment_ids().unwrap();
        assert_eq!(segments.len(), 3);
        writer.merge(&segments).wait().unwrap();
        writer.wait_merging_threads().unwrap();
        let reader = index.reader().unwrap();
        let searcher = reader.searcher();
        assert_eq!(searcher.segment_readers().len(), 1);
        let segment = &searcher.segment_readers()[0];
        let lat = segment.fast_fields().f64("lat").unwrap();
        let lon = segment.fast_fields().f64("lon").unwrap();
        let order = segment.fast_fields().u64("order_key").unwrap();
        let key = segment.fast_fields().u64("geo_key").unwrap();
        let keys: Vec<u64> = (0..segment.max_doc())
            .map(|d| key.first(d).unwrap())
            .collect();
        assert!(keys.is_sorted(), "{keys:?}");
        for doc in 0..segment.max_doc() {
            let n = (order.first(doc).unwrap() % 10) as usize;
            let pairs: Vec<(f64, f64)> = lat
                .values_for_doc(doc)
                .zip(lon.values_for_doc(doc))
                .collect();
            assert_eq!(pairs, venues[..n].to_vec());
        }
    }
}
