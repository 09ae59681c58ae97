//! The source of truth: providers, activities and postcodes in SQLite.
//!
//! Everything else (the search index above all) is derived from what is stored here. The
//! [`Store`] trait is the narrow interface the rest of Signpost uses, so that a shared Postgres
//! backend can sit behind it later; [`SqliteStore`] is the embedded default. Calls are
//! blocking: async callers run them on a blocking thread.

mod accounts;
mod postcodes;
mod review;
mod sources;
mod sqlite;

use chrono::{DateTime, SecondsFormat, Utc};
use signpost_model::{Activity, Coordinates, Id, Postcode, Provider};

pub use accounts::{AccountStore, SessionRecord};
pub use review::{ChangeFilter, EditBatch, EditWritten, ReviewStore};
pub use sources::{Link, LinkKind, Provenance, SourceBatch, SourceStore, Staged};

pub use postcodes::{PostcodeImport, places_from_towns, read_postcode_csv};
pub use sqlite::SqliteStore;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("could not prepare the database: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("stored record {0} could not be read: {1}")]
    Corrupt(String, String),
    #[error("activity {activity} names provider {provider}, which is not in the directory")]
    UnknownProvider { activity: Id, provider: Id },
    #[error("cannot use data directory {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Input(String),
    /// The write clashes with what is stored (an email already taken, a change already
    /// decided). The message is for the person.
    #[error("{0}")]
    Conflict(String),
}

/// Where a scan of every activity ([`Store::activities_page`]) has got to. Its meaning is
/// the backend's own; [`ScanFrom::default`] is the start.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScanFrom(pub(crate) i64);

/// Every backend the rest of Signpost needs: listings, accounts, the review queue and
/// outside sources.
pub trait Backend: Store + AccountStore + ReviewStore + SourceStore {}
impl<T: Store + AccountStore + ReviewStore + SourceStore> Backend for T {}

/// Times are stored as RFC 3339 UTC text to the second, so they sort as text.
pub(crate) fn time_to(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub(crate) fn time_from(s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt(format!("time {s}"), e.to_string()))
}

/// Where a postcode or place was found.
#[derive(Clone, Debug, PartialEq)]
pub struct Located {
    /// What was found, as people write it: "HU5 3AB", "HU5" or "Hull".
    pub label: String,
    pub coordinates: Coordinates,
    /// False when a full postcode was not known and its district's centre was used instead.
    pub exact: bool,
    /// How far to search around it when the searcher does not say: set for areas bigger than
    /// a town ("Cornwall"), where the usual 5 km would find almost nothing.
    pub radius_km: Option<f64>,
}

/// A named place people search by ("Hull", "Newham").
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub name: String,
    pub coordinates: Coordinates,
    /// Default search radius around it, for areas bigger than a town.
    pub radius_km: Option<f64>,
}

/// The meta key set while the directory holds made-up sample data (pages say so).
pub const SAMPLE_DATA: &str = "sample_data";

/// Everything one directory file brings, written in one transaction.
#[derive(Debug, Default)]
pub struct ImportBatch {
    pub providers: Vec<Provider>,
    pub activities: Vec<Activity>,
    pub postcodes: PostcodeImport,
    /// Settings to record with the import (e.g. that it is sample data).
    pub meta: Vec<(String, String)>,
}

/// The storage interface. Every method is one transaction: it either happens whole or not at
/// all.
///
/// Every write to providers or activities bumps the store's *generation*, returned by the
/// write. The search index records the generation it was built from, so a crash between a
/// store write and the index update is noticed at the next start and the index rebuilt.
pub trait Store: Send + Sync {
    /// True when the directory holds no providers and no activities.
    fn is_empty(&self) -> Result<bool, StoreError>;

    /// How many writes to providers and activities there have been.
    fn generation(&self) -> Result<u64, StoreError>;
    /// This database's own id: random, made once when it was created, and never changed by
    /// anything written to it. An index records it, so it is never served beside another
    /// database whose generation happens to match.
    fn identity(&self) -> Result<String, StoreError>;

    fn upsert_provider(&self, provider: &Provider) -> Result<u64, StoreError>;
    /// Fails with [`StoreError::UnknownProvider`] when the provider is not stored.
    fn upsert_activity(&self, activity: &Activity) -> Result<u64, StoreError>;
    /// Postcodes, settings, providers, then activities, in one transaction.
    fn import(&self, batch: &ImportBatch) -> Result<u64, StoreError>;

    fn provider(&self, id: &Id) -> Result<Option<Provider>, StoreError>;
    fn activity(&self, id: &Id) -> Result<Option<Activity>, StoreError>;
    fn providers(&self) -> Result<Vec<Provider>, StoreError>;
    fn activities(&self) -> Result<Vec<Activity>, StoreError>;
    /// Up to `limit` activities from where `from` left off, each with its JSON as stored (it
    /// reads back as the activity), and where the next page starts: reads the whole table a
    /// page at a time, so a rebuild of a million listings never holds them all. The order is
    /// the backend's cheapest (SQLite's storage order is four times faster than id order at a
    /// million listings). An activity stored for the whole scan is returned exactly once, even
    /// if it is changed meanwhile; an empty page means the scan is over.
    fn activities_page(
        &self,
        from: &ScanFrom,
        limit: usize,
    ) -> Result<(Vec<(Activity, String)>, ScanFrom), StoreError>;
    fn activities_of(&self, provider: &Id) -> Result<Vec<Activity>, StoreError>;
    /// Activities written after `generation`, and those whose provider was: what an index
    /// built at that generation is missing. Lets a running server pick up writes made by
    /// another process (an import, a crawl) without a restart.
    fn changed_since(&self, generation: u64) -> Result<Vec<Activity>, StoreError>;

    /// Adds or replaces postcodes (full or district) and named places. Returns how many
    /// postcodes were written.
    fn import_postcodes(&self, import: &PostcodeImport) -> Result<usize, StoreError>;
    /// A full postcode falls back to its district's centre when it is not known itself.
    fn locate_postcode(&self, postcode: &Postcode) -> Result<Option<Located>, StoreError>;
    fn locate_place(&self, name: &str) -> Result<Option<Located>, StoreError>;
    fn postcode_count(&self) -> Result<usize, StoreError>;
    /// One district the directory knows in a postcode area (`E` holds E15, not EC1), if any:
    /// whether Signpost can search from anywhere there.
    fn district_in_area(&self, area: &str) -> Result<Option<Postcode>, StoreError>;

    /// Small named settings about the directory as a whole (e.g. that it holds sample data).
    fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError>;
    fn meta(&self, key: &str) -> Result<Option<String>, StoreError>;
}
