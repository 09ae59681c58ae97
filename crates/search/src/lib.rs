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

pub use index::{IndexOpened, Rebuild, SearchIndex};
pub use query::{
    AccessNeed, Filters, Hit, IndexedActivity, Near, Prepared, ProviderSummary, SearchQuery,
    SearchResults, Sort, WHEN_HORIZON_DAYS, When,
};

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
