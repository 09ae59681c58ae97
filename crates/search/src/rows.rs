//! What the collector reads of every candidate, one compact row per document, held in memory
//! per segment.
//!
//! The fast fields are the lasting copy; reading a dozen of them per candidate through
//! tantivy's column readers cost about 300 ns a document at a million listings (a call and a
//! bit-unpacking per value, and the multi-valued indexes for venues and sessions). Here the
//! few values every candidate needs are packed 16 bytes a document ([`Hot`]), the rest in a
//! second array ([`Cold`]) read only when a filter or the order needs it. Rows are built from the fast fields (no stored
//! record is parsed) when a segment is first searched or right after a commit, and dropped
//! when the segment leaves the index. Segments never change once written, and deletions need
//! no rebuild: the query never matches a deleted document.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use signpost_model::{Coordinates, UnitVector};
use tantivy::index::SegmentId;
use tantivy::{DocId, Searcher, SegmentReader};

/// What every candidate needs, kept small so a cache line holds four documents.
/// Day numbers are `i32` (saturating: "never" stays never).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Hot {
    pub ends_on: i32,
    pub confirmed: i32,
    pub verified_until: i32,
    pub mask: u16,
    pub flags: u16,
}

/// The rest, read only when a filter or the order needs it.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Cold {
    pub order: u64,
    pub price: u64,
    /// The first venue, on the unit sphere; further ones are in [`Rows::more_venues`].
    first_venue: UnitVector,
    sessions_at: u32,
    more_venues_at: u32,
    sessions: u16,
    venues: u16,
}

// Category masks are kept in 16 bits.
const _: () = assert!(signpost_model::Category::ALL.len() <= 16);

pub(crate) fn day(d: i64) -> i32 {
    i32::try_from(d).unwrap_or(if d < 0 { i32::MIN } else { i32::MAX })
}

#[derive(Debug, Default)]
pub(crate) struct Rows {
    hot: Vec<Hot>,
    cold: Vec<Cold>,
    sessions: Vec<u64>,
    more_venues: Vec<UnitVector>,
    /// Bitsets for searches without text, built as they are needed.
    pub bits: crate::bits::SegmentBits,
}

impl Rows {
    fn build(segment: &SegmentReader) -> tantivy::Result<Rows> {
        let ff = segment.fast_fields();
        let ends_on = ff.i64("ends_on")?;
        let verified_until = ff.i64("verified_until")?;
        let confirmed = ff.i64("confirmed")?;
        let price = ff.u64("price")?;
        let flags = ff.u64("flags")?;
        let mask = ff.u64("category_mask")?;
        let order = ff.u64("order_key")?;
        let sessions = ff.u64("sessions")?;
        let lat = ff.f64("lat")?;
        let lon = ff.f64("lon")?;
        let mut out = Rows {
            hot: Vec::with_capacity(segment.max_doc() as usize),
            cold: Vec::with_capacity(segment.max_doc() as usize),
            ..Rows::default()
        };
        for doc in 0..segment.max_doc() {
            let sessions_at = out.sessions.len();
            out.sessions.extend(sessions.values_for_doc(doc));
            let more_venues_at = out.more_venues.len();
            // Coordinates were checked when the listing was indexed; one that somehow is not
            // valid is left out rather than measured from.
            let mut venues = lat
                .values_for_doc(doc)
                .zip(lon.values_for_doc(doc))
                .filter_map(|(lat, lon)| Coordinates::new(lat, lon).ok())
                .map(Coordinates::unit_vector);
            let first_venue = venues.next();
            out.more_venues.extend(venues);
            let count = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
            out.hot.push(Hot {
                ends_on: day(ends_on.first(doc).unwrap_or(i64::MIN)),
                confirmed: day(confirmed.first(doc).unwrap_or(0)),
                verified_until: day(verified_until.first(doc).unwrap_or(i64::MIN)),
                mask: u16::try_from(mask.first(doc).unwrap_or(0)).unwrap_or(0),
                flags: u16::try_from(flags.first(doc).unwrap_or(0)).unwrap_or(0),
            });
            out.cold.push(Cold {
                order: order.first(doc).unwrap_or(0),
                price: price.first(doc).unwrap_or(u64::MAX),
                first_venue: first_venue.unwrap_or_default(),
                sessions_at: u32::try_from(sessions_at).unwrap_or(u32::MAX),
                more_venues_at: u32::try_from(more_venues_at).unwrap_or(u32::MAX),
                sessions: count(out.sessions.len() - sessions_at),
                venues: count(
                    usize::from(first_venue.is_some()) + out.more_venues.len() - more_venues_at,
                ),
            });
        }
        out.bits = crate::bits::SegmentBits::build(&out);
        Ok(out)
    }

    /// Documents in the segment, deleted ones included.
    pub fn len(&self) -> u32 {
        self.hot.len() as u32
    }

    pub fn hot(&self, doc: DocId) -> Hot {
        self.hot.get(doc as usize).copied().unwrap_or_default()
    }

    pub fn cold(&self, doc: DocId) -> &Cold {
        &self.cold[doc as usize]
    }

    /// The timetable packed by [`crate::calendar::pack`].
    pub fn sessions(&self, row: &Cold) -> &[u64] {
        let at = row.sessions_at as usize;
        &self.sessions[at..at + usize::from(row.sessions)]
    }

    /// Every venue, on the unit sphere.
    pub fn venues<'a>(&'a self, row: &'a Cold) -> impl Iterator<Item = UnitVector> + 'a {
        let at = row.more_venues_at as usize;
        let more = usize::from(row.venues.saturating_sub(1));
        (row.venues > 0)
            .then_some(row.first_venue)
            .into_iter()
            .chain(self.more_venues[at..at + more].iter().copied())
    }
}

/// Rows per segment, kept while the segment is in the index.
#[derive(Default)]
pub(crate) struct RowCache {
    segments: Mutex<HashMap<SegmentId, Arc<Rows>>>,
}

impl RowCache {
    /// The rows of every segment of `searcher`, in segment order, building what is missing and
    /// forgetting segments the searcher no longer has.
    pub fn for_searcher(&self, searcher: &Searcher) -> tantivy::Result<Vec<Arc<Rows>>> {
        let mut out = Vec::with_capacity(searcher.segment_readers().len());
        let mut current = HashMap::new();
        for segment in searcher.segment_readers() {
            let id = segment.segment_id();
            let cached = self
                .segments
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get(&id)
                .cloned();
            let rows = match cached {
                Some(rows) => rows,
                None => Arc::new(Rows::build(segment)?),
            };
            current.insert(id, rows.clone());
            out.push(rows);
        }
        let mut segments = self.segments.lock().unwrap_or_else(|p| p.into_inner());
        if segments.len() != current.len() || current.keys().any(|k| !segments.contains_key(k)) {
            *segments = current;
        }
        Ok(out)
    }
}
