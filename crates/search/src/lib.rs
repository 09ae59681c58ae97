//! The search index: a tantivy index derived from the store, and every search filter.
//!
//! Text relevance and the exact-match filters (age, free or paid, gender, access, language, how
//! to join, newcomers) are tantivy term queries. Filters that depend on the moment of the
//! search or on a distance are found in two steps: a term query for a superset (the
//! timetable's day and hour terms in [`calendar`], grid cells around the place in [`geo`]),
//! then an exact check in the collector ([`collect`]) on fast fields: "not ended", safeguarding
//! in date, price, term dates and days off, and the distance to the nearest venue. Nothing in
//! the index goes stale with the calendar: the same index answers correctly tomorrow.
//! Searches without text skip tantivy's query and combine the same terms as bitsets
//! ([`bits`]), with the same collector for the exact checks.
//!
//! # How a search runs
//!
//! `SearchIndex`: schema (`schema.rs`), the analyser (tantivy's stemmer behind a per-copy
//! cache) and youth synonym list (`text.rs`), writes (`index.rs`: upsert, remove, and a rebuild
//! fed in chunks; each one commit) and `search.rs`. A rebuild's listings come as `Prepared`:
//! the stored JSON of the activity and of its provider's summary, joined into the index record
//! rather than serialised again. A search turns its term filters into one bitset a segment
//! (`bits.rs`), then either counts and pages from bits (no text) or moves its text query's
//! tantivy scorer through them into one collector (`collect.rs`). A query word some listing has
//! (in any text field, deleted documents aside) is matched exactly; only a word no listing has
//! is a typo, matched within one or two edits. Age (whole-year terms), free/paid, gender
//! (`open-to:` terms), access, language, join and newcomers are terms. Day, "when" and "now"
//! are found by timetable terms and decided by an exact check on sessions packed into `u64`s
//! (`calendar.rs`; a property test holds it to `Schedule::occurrences`); distance by grid-cell
//! terms at seven sizes and an exact check by squared chord on venues kept as unit vectors, the
//! page's distances by haversine (`geo.rs`). The filters' bitsets: each term's documents (dense
//! ones kept per segment, sparse grid cells straight from their postings) ANDed a word at a
//! time with "not ended" ("checked") less deleted documents, kept per day and per set of
//! deletions. The exact timetable answer (the documents with the timetable term whose sessions
//! pass) is kept per segment by the check's key: a day-long answer (a day, "after school",
//! "evening", "weekend") is worked out by the first search that asks that day; a minute's "now"
//! only by a search without text or place (otherwise the collector checks just the candidates).
//! The collector takes matches 64 at a time and reads their per-segment rows together, so the
//! cache misses overlap (`rows.rs`: rows built from fast fields, 16 hot bytes a document, the
//! rest apart; the tie-break key only when a tie needs it), checks price, time and distance,
//! counts categories (disjunctive: each count ignores the category filter itself) and keeps
//! only the top `page × per_page`. A text search ordered by score with none of those checks
//! counts from bits too, and reads a match's row only when its score could be kept. A search
//! without text and without those checks is all counting: popcounts, and the page read off a
//! per-segment list in last-confirmed order (a few matches are ordered directly). The index is
//! sorted by a Z-order key of the first venue, so a town's listings are neighbours. Ties are
//! broken by a number derived from the id, so a rebuilt and an incrementally updated index
//! agree. Records are stored as JSON text (tantivy reads bytes back a byte at a time),
//! compressed 4 KiB at a time (tantivy's 16 KiB made each listing on a page decompress a
//! dozen).
//!
//! This crate knows nothing of HTTP: errors are categories the web layer maps to statuses.

mod bits;
mod calendar;
mod collect;
mod geo;
mod index;
mod query;
mod rows;
mod schema;
mod search;
pub mod text;
mod why;

pub use index::{IndexOpened, Rebuild, SearchIndex};
pub use query::{
    AccessNeed, Filters, First, Hit, IndexedActivity, Near, Prepared, ProviderSummary, SearchQuery,
    SearchResults, Sort, WHEN_HORIZON_DAYS, When, days_asked,
};
pub use why::{How, Matched, Part, why};

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The request cannot be answered as asked (e.g. sorting by distance with no place).
    #[error("{0}")]
    BadRequest(String),
    /// Something went wrong inside the index; logged, never shown in detail.
    #[error("search index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index directory {path}: {source}")]
    Directory {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "the search index is in use by another Signpost process: stop `signpost serve` first, or give this command its own --index-dir"
    )]
    InUse,
    #[error("indexed record could not be read: {0}")]
    Corrupt(String),
}
