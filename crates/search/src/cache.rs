//! Per-segment cache of what the distance and calendar filters read.
//!
//! Those filters need each matching activity's venues and timetable. Reading and parsing them
//! from the document store on every search costs about 12 µs per activity (over 100 ms at ten
//! thousand activities). Segments never change once written, so each segment's data is parsed
//! once, the first time a search needs it, and dropped when the segment leaves the index
//! (merged away or deleted).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use signpost_model::{Coordinates, Schedule};
use tantivy::{Searcher, SegmentReader, index::SegmentId};

use crate::SearchError;

/// What the distance and calendar filters need of one activity.
#[derive(Debug)]
pub(crate) struct WhenWhere {
    pub venues: Vec<Coordinates>,
    pub schedule: Schedule,
}

/// Indexed by document id; `None` for deleted documents.
pub(crate) type SegmentData = Arc<Vec<Option<WhenWhere>>>;

#[derive(Default)]
pub(crate) struct SegmentCache {
    segments: Mutex<HashMap<SegmentId, SegmentData>>,
}

impl SegmentCache {
    /// The data for every segment of `searcher`, in segment order, building what is missing.
    /// Deletions made after a segment was cached leave stale entries behind, which is harmless:
    /// the query never matches a deleted document, and new documents go to new segments.
    pub fn for_searcher(
        &self,
        searcher: &Searcher,
        build: impl Fn(&SegmentReader) -> Result<Vec<Option<WhenWhere>>, SearchError>,
    ) -> Result<Vec<Option<SegmentData>>, SearchError> {
        let mut out = Vec::with_capacity(searcher.segment_readers().len());
        let mut fresh = HashMap::new();
        for segment in searcher.segment_readers() {
            let id = segment.segment_id();
            let cached = {
                let map = self.segments.lock().unwrap_or_else(|p| p.into_inner());
                map.get(&id).cloned()
            };
            let data = match cached {
                Some(d) => d,
                None => Arc::new(build(segment)?),
            };
            fresh.insert(id, data.clone());
            out.push(Some(data));
        }
        // Keep only segments the index still has.
        *self.segments.lock().unwrap_or_else(|p| p.into_inner()) = fresh;
        Ok(out)
    }
}
