//! The collector behind every search: the exact checks on fast fields, category counts, the
//! total, and only the top of the order (the page asked for and those before it).
//!
//! The tantivy query has already narrowed the documents with terms (text, tags, ages, the
//! timetable's terms and the grid cells around a place). What a term cannot decide is checked
//! here per candidate, reading fast fields only, never the stored record: "not ended",
//! safeguarding in date, price, the exact timetable and the exact distance.

use std::cmp::Ordering;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::calendar::TimeCheck;
use crate::schema::FLAG_SIMPLE_TIMETABLE;
use crate::{Near, Sort, geo};

/// How much a listing that may be out of date keeps of its relevance score.
const STALE_FACTOR: f32 = 0.5;

/// What one search asks of every candidate, worked out once.
#[derive(Debug)]
pub(crate) struct Plan {
    /// Day number of the search's date: listings that ended before it are left out.
    pub today: i64,
    pub checked: bool,
    pub max_price: Option<u64>,
    pub time: Option<TimeCheck>,
    pub near: Option<Near>,
    /// Categories chosen (any of); 0 for all.
    pub wanted: u64,
    pub sort: Sort,
    pub fresh_since: Option<i64>,
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
    pub distance_km: Option<f64>,
    pub confirmed: i64,
    pub order: u64,
}

/// What a search found: every match counted, the best [`Plan::keep`] in order.
#[derive(Debug)]
pub(crate) struct Found {
    pub total: usize,
    /// By `Category::index`, counted before the category filter.
    pub counts: [usize; 64],
    pub top: Vec<Candidate>,
}

impl Default for Found {
    fn default() -> Self {
        Found {
            total: 0,
            counts: [0; 64],
            top: Vec::new(),
        }
    }
}

fn compare(sort: Sort) -> impl Fn(&Candidate, &Candidate) -> Ordering {
    move |a, b| {
        let first = match sort {
            Sort::Relevance => b
                .score
                .total_cmp(&a.score)
                .then(b.confirmed.cmp(&a.confirmed)),
            Sort::Distance => a
                .distance_km
                .unwrap_or(f64::MAX)
                .total_cmp(&b.distance_km.unwrap_or(f64::MAX)),
            Sort::Confirmed => b
                .confirmed
                .cmp(&a.confirmed)
                .then(b.score.total_cmp(&a.score)),
        };
        first
            .then(a.order.cmp(&b.order))
            .then((a.segment, a.doc).cmp(&(b.segment, b.doc)))
    }
}

/// Keeps the best `keep` of `top`, in no particular order.
fn trim(top: &mut Vec<Candidate>, keep: usize, sort: Sort) {
    if top.len() > keep {
        if keep > 0 {
            top.select_nth_unstable_by(keep - 1, compare(sort));
        }
        top.truncate(keep);
    }
}

pub(crate) struct Collect(pub Arc<Plan>);

pub(crate) struct SegmentCollect {
    plan: Arc<Plan>,
    segment: SegmentOrdinal,
    ends_on: Column<i64>,
    verified_until: Column<i64>,
    price: Column<u64>,
    flags: Column<u64>,
    sessions: Column<u64>,
    lat: Column<f64>,
    lon: Column<f64>,
    mask: Column<u64>,
    confirmed: Column<i64>,
    order: Column<u64>,
    packed: Vec<u64>,
    found: Found,
}

impl Collector for Collect {
    type Fruit = Found;
    type Child = SegmentCollect;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentCollect> {
        let ff = reader.fast_fields();
        Ok(SegmentCollect {
            plan: self.0.clone(),
            segment,
            ends_on: ff.i64("ends_on")?,
            verified_until: ff.i64("verified_until")?,
            price: ff.u64("price")?,
            flags: ff.u64("flags")?,
            sessions: ff.u64("sessions")?,
            lat: ff.f64("lat")?,
            lon: ff.f64("lon")?,
            mask: ff.u64("category_mask")?,
            confirmed: ff.i64("confirmed")?,
            order: ff.u64("order_key")?,
            packed: Vec::new(),
            found: Found::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.0.scoring
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
        trim(&mut all.top, self.0.keep, self.0.sort);
        all.top.sort_by(compare(self.0.sort));
        Ok(all)
    }
}

impl SegmentCollector for SegmentCollect {
    type Fruit = Found;

    fn collect(&mut self, doc: DocId, score: Score) {
        let p = &*self.plan;
        if self.ends_on.first(doc).unwrap_or(i64::MIN) < p.today {
            return;
        }
        if p.checked && self.verified_until.first(doc).unwrap_or(i64::MIN) < p.today {
            return;
        }
        if let Some(max) = p.max_price
            && self.price.first(doc).unwrap_or(u64::MAX) > max
        {
            return;
        }
        if let Some(time) = &p.time {
            let simple = self.flags.first(doc).unwrap_or(0) & FLAG_SIMPLE_TIMETABLE != 0;
            if !(simple && time.term_is_exact_for_simple()) {
                self.packed.clear();
                self.packed.extend(self.sessions.values_for_doc(doc));
                if !time.matches(&self.packed) {
                    return;
                }
            }
        }
        let mut distance_km = None;
        if let Some(near) = &p.near {
            let venues = self
                .lat
                .values_for_doc(doc)
                .zip(self.lon.values_for_doc(doc));
            match geo::within(venues, near) {
                Some(d) => distance_km = Some(d),
                None => return,
            }
        }
        let mask = self.mask.first(doc).unwrap_or(0);
        let mut bits = mask;
        while bits != 0 {
            self.found.counts[bits.trailing_zeros() as usize] += 1;
            bits &= bits - 1;
        }
        if p.wanted != 0 && mask & p.wanted == 0 {
            return;
        }
        self.found.total += 1;
        let confirmed = self.confirmed.first(doc).unwrap_or(0);
        let stale = p.fresh_since.is_some_and(|d| confirmed < d);
        self.found.top.push(Candidate {
            segment: self.segment,
            doc,
            // Out-of-date listings rank lower: half the relevance of a fresh one.
            score: if stale { score * STALE_FACTOR } else { score },
            stale,
            distance_km,
            confirmed,
            order: self.order.first(doc).unwrap_or(0),
        });
        if self.found.top.len() >= 2 * p.keep.max(64) {
            trim(&mut self.found.top, p.keep, p.sort);
        }
    }

    fn harvest(mut self) -> Found {
        trim(&mut self.found.top, self.plan.keep, self.plan.sort);
        self.found
    }
}

#[cfg(test)]
mod tests {
    use tantivy::{Index, TantivyDocument, doc};

    /// Distances pair each venue's latitude with its longitude by position, so tantivy must
    /// keep a document's values in the order they were added, also when segments merge.
    #[test]
    fn venue_coordinates_keep_their_order_through_a_merge() {
        let (schema, f) = crate::schema::build();
        let index = Index::create_in_ram(schema);
        index
            .tokenizers()
            .register(crate::text::ANALYSER, crate::text::analyser());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let venues = [(53.0, -1.0), (52.0, -3.0), (54.5, -2.0), (51.0, 0.5)];
        for round in 0..3 {
            for n in 1..=venues.len() {
                let mut d: TantivyDocument = doc!(f.order_key => (round * 10 + n) as u64);
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
