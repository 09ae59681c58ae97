//! The directory service: the one place that keeps the store (source of truth) and the search
//! index (derived) in step, parses search requests and resolves where the searcher is.
//!
//! Every method blocks (SQLite, index commits); async callers run them on a blocking thread.
//! Nothing here knows about HTTP.

pub mod params;
pub mod services;
pub mod understand;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Datelike, Months, NaiveDate, NaiveDateTime, Utc};
use signpost_model::{Activity, At, Id, LONDON, Occurrence, Provider, SafeguardingStatus};
use signpost_search::{
    IndexOpened, IndexedActivity, Near, Prepared, ProviderSummary, SearchError, SearchIndex,
    SearchQuery, SearchResults,
};
use signpost_store::{
    Backend, EditBatch, Located, SAMPLE_DATA, ScanFrom, SqliteStore, StoreError, read_postcode_csv,
};

pub use params::{ParamError, SearchParams, Where, decode_query};
pub use services::{Service, ServiceAt, ServiceFilters, ServicePage};
// The search vocabulary the pages and APIs speak, so they need not depend on the engine.
pub use signpost_search::{AccessNeed, First, Hit, How, Matched, Part, Sort, When};
pub use signpost_store::Located as Location;

/// Activities read from the store per step of a rebuild.
const REBUILD_CHUNK: usize = 5_000;

/// Provider summaries (and their JSON) already read during one rebuild or summary.
type Providers = HashMap<Id, (ProviderSummary, Arc<str>)>;

/// Where "now" comes from; tests fix it.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    /// A search parameter the person can fix.
    #[error(transparent)]
    Param(#[from] ParamError),
    /// A listing or file that breaks the rules; every problem is listed.
    #[error("{}", .0.join("\n"))]
    Invalid(Vec<String>),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Search(#[from] SearchError),
}

/// What opening found.
#[derive(Debug, Clone, Copy)]
pub struct OpenReport {
    /// Set when the index had to be rebuilt from the store, with how many activities.
    pub rebuilt: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostcodeReport {
    pub postcodes: usize,
    pub places: usize,
    pub skipped: usize,
}

/// A search and what it found.
#[derive(Debug)]
pub struct SearchOutcome {
    /// Filled in by the page when nothing was found: see [`Directory::loosen`].
    pub loosened: Vec<Loosened>,
    pub params: SearchParams,
    /// Where the search was centred, when it had a place.
    pub located: Option<Located>,
    /// The radius searched, when it had a place.
    pub radius_km: Option<f64>,
    pub results: SearchResults,
    /// How the search's words were read (see [`Directory::find`]).
    pub reading: Reading,
    /// Filled in by the page when nothing was found within the radius: the nearest listings
    /// beyond it that match (see [`Directory::nearest_beyond`]).
    pub nearest: Nearest,
    /// The index query that was run, for [`Directory::nearest_beyond`].
    query: SearchQuery,
    /// Words put right before searching: (as typed, as searched).
    pub corrected: Vec<(String, String)>,
    /// The words searched that no listing has, so the search forgave a typo in them.
    typos: Vec<String>,
}

impl SearchOutcome {
    /// How a result has each word the search ran with (after the words were read and put
    /// right), for saying why it matched.
    pub fn why(&self, hit: &Hit) -> Vec<signpost_search::Matched> {
        self.query
            .filters
            .text
            .as_deref()
            .map(|t| signpost_search::why(t, &hit.item, |w| self.typos.iter().any(|t| t == w)))
            .unwrap_or_default()
    }

    /// The days "in the school holidays" meant for this search, when it asked for them.
    pub fn holidays(&self) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
        let when = self.query.filters.when;
        matches!(when, Some(When::Holidays(_)))
            .then(|| signpost_search::days_asked(when, self.query.now.date()))
    }
}

/// The nearest matches beyond a search's radius ([`Directory::nearest_beyond`]).
#[derive(Debug, Default)]
pub struct Nearest {
    pub hits: Vec<Hit>,
    /// None had all the words, so these have some of them.
    pub some_words: bool,
}

/// Fewer listings than this with every word, and [`Directory::find`] shows those with some of
/// the words after them: one listing is not much of a choice.
const FEW: usize = 3;

/// How [`Directory::find`] read the words of a search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    /// Every telling word is in each result (or there were no words).
    AllWords,
    /// Too few listings had them all (`with_all` of them, first), so these have some of them.
    SomeWords { with_all: usize },
    /// The words only said what kind of thing is wanted ("things to do"), so they narrowed
    /// nothing.
    NoTellingWords,
}

/// The words of `text` that search requires of a listing: all but those that only say what
/// kind of thing is wanted or are the words of asking ("club", "lessons", "what's";
/// `signpost_search::text::is_generic`), split as the index splits them.
fn telling_words(text: &str) -> String {
    let text = text.replace(['\u{2019}', '\u{2018}'], "'");
    signpost_search::text::words(&text)
        .filter(|w| !signpost_search::text::is_generic(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A search with one thing loosened, and how many it finds.
#[derive(Debug)]
pub struct Loosened {
    /// What changes, in plain words: "Any cost".
    pub what: String,
    pub params: SearchParams,
    pub total: usize,
}

/// One listing with everything its page shows.
#[derive(Debug)]
pub struct ActivityPage {
    pub activity: Activity,
    pub provider: Provider,
    pub safeguarding: SafeguardingStatus,
    pub next_session: Option<Occurrence>,
    /// Its sessions have all ended: it is kept for the record but not shown in search.
    pub ended: bool,
    /// Not confirmed as running for the configured period: it "may be out of date".
    pub stale: bool,
    /// Where it was imported or crawled from, if it was.
    pub source: Option<signpost_store::Provenance>,
}

/// Where a listing stands with the public. The one rule every surface follows: the site, the
/// JSON API and Open Referral UK.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// Running: shown everywhere, found by search, published over ORUK.
    Live,
    /// Every session is over. Its page stays (marked finished) so printed handouts and links
    /// still work, but search and ORUK leave it out.
    Ended,
    /// Taken down by its provider or a checker: the site answers 410 Gone, the APIs 404.
    Withdrawn,
}

impl ActivityPage {
    pub fn standing(&self) -> Standing {
        if self.activity.withdrawn {
            Standing::Withdrawn
        } else if self.ended {
            Standing::Ended
        } else {
            Standing::Live
        }
    }
}

/// A provider and all its listings.
#[derive(Debug)]
pub struct ProviderPage {
    pub provider: Provider,
    pub safeguarding: SafeguardingStatus,
    /// Listings that still run, then those that have ended (withdrawn ones are left out).
    pub activities: Vec<(Activity, bool)>,
}

pub struct Directory {
    store: Arc<dyn Backend>,
    index: SearchIndex,
    clock: Clock,
    stale_after: Months,
    /// Where the database lives (None in memory): other files the service keeps, such as
    /// uploaded evidence, go beside it.
    data_dir: Option<std::path::PathBuf>,
}

/// How long a listing can go unconfirmed before it "may be out of date", by default.
pub const DEFAULT_STALE_MONTHS: u32 = 6;

impl std::fmt::Debug for Directory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Directory")
    }
}

fn load_postcodes(store: &dyn Backend, path: &Path) -> Result<PostcodeReport, DirectoryError> {
    let io = |source| DirectoryError::Io {
        path: path.display().to_string(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let import = read_postcode_csv(std::io::BufReader::new(file))?;
    let postcodes = store.import_postcodes(&import)?;
    Ok(PostcodeReport {
        postcodes,
        places: import.places.len(),
        skipped: import.skipped,
    })
}

fn system_clock() -> Clock {
    Arc::new(Utc::now)
}

impl Directory {
    /// Opens the store in `data_dir` and the index in `index_dir`, rebuilding the index from
    /// the store when it is missing, from another version, or out of step.
    pub fn open(data_dir: &Path, index_dir: &Path) -> Result<(Self, OpenReport), DirectoryError> {
        let store = Arc::new(SqliteStore::open(data_dir)?);
        let (index, opened) = SearchIndex::open(index_dir)?;
        index.belong_to(&signpost_store::Store::identity(&*store)?);
        let dir = Directory {
            store,
            index,
            clock: system_clock(),
            stale_after: Months::new(DEFAULT_STALE_MONTHS),
            data_dir: Some(data_dir.to_path_buf()),
        };
        // The index notes the store generation it was written at: if a crash came between a
        // store write and the index update, they differ and the index is rebuilt.
        // Writes made while no index was open (an import beside a stopped server) are
        // caught up listing by listing; an empty index, or one that never recorded a
        // generation, is rebuilt whole.
        // An index written from another database (a second data directory given the same
        // index directory) is rebuilt whatever its generation says.
        let (ours, index_gen) = dir.index.stamp_is_ours()?;
        let index_gen = index_gen.unwrap_or(0);
        let rebuilt = if opened == IndexOpened::Empty || index_gen == 0 || !ours {
            Some(dir.reindex()?)
        } else {
            dir.catch_up()?;
            None
        };
        Ok((dir, OpenReport { rebuilt }))
    }

    /// A directory held in memory, for tests.
    pub fn in_memory() -> Result<Self, DirectoryError> {
        let store = Arc::new(SqliteStore::open_in_memory()?);
        let index = SearchIndex::in_memory()?;
        index.belong_to(&signpost_store::Store::identity(&*store)?);
        Ok(Directory {
            store,
            index,
            clock: system_clock(),
            stale_after: Months::new(DEFAULT_STALE_MONTHS),
            data_dir: None,
        })
    }

    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// How many months a listing can go unconfirmed before it "may be out of date".
    pub fn with_stale_after(mut self, months: u32) -> Self {
        self.stale_after = Months::new(months);
        self
    }

    /// The data directory, when the directory is stored on disk.
    /// The search index itself, for callers that resolve a query themselves (the benchmark).
    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    pub fn data_dir(&self) -> Option<&Path> {
        self.data_dir.as_deref()
    }

    pub fn clock(&self) -> Clock {
        self.clock.clone()
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// The storage behind the directory, for the accounts and review services. Writes to
    /// listings must go through [`Directory::apply`] so the index stays in step.
    pub fn backend(&self) -> Arc<dyn Backend> {
        self.store.clone()
    }

    /// Listings confirmed (or, never confirmed, updated) before this date may be out of date.
    pub fn fresh_since(&self) -> NaiveDate {
        let today = self.today();
        today.checked_sub_months(self.stale_after).unwrap_or(today)
    }

    /// Whether a listing may be out of date today.
    pub fn is_stale(&self, activity: &Activity) -> bool {
        activity.freshness_date() < self.fresh_since()
    }

    /// Writes one editorial step (listings, a queued change, a decision, audit lines) in one
    /// transaction, then brings the index in step with the listings it touched. Every
    /// listing is checked first.
    pub fn apply(&self, batch: &EditBatch) -> Result<signpost_store::EditWritten, DirectoryError> {
        let problems: Vec<String> = batch.activities.iter().flat_map(|a| a.problems()).collect();
        if !problems.is_empty() {
            return Err(DirectoryError::Invalid(problems));
        }
        let written = self.store.write_edits(batch)?;
        if batch.activities.is_empty() && batch.providers.is_empty() {
            return Ok(written);
        }
        let mut seen: HashSet<Id> = batch.activities.iter().map(|a| a.id.clone()).collect();
        let mut touched: Vec<Activity> = batch.activities.clone();
        for p in &batch.providers {
            for a in self.store.activities_of(&p.id)? {
                if seen.insert(a.id.clone()) {
                    touched.push(a);
                }
            }
        }
        let items = self.summarise(touched)?;
        self.index.upsert(&items, written.generation)?;
        Ok(written)
    }

    /// Wall-clock time in Europe/London.
    pub fn now_local(&self) -> NaiveDateTime {
        (self.clock)().with_timezone(&LONDON).naive_local()
    }

    pub fn today(&self) -> NaiveDate {
        self.now_local().date()
    }

    pub fn is_empty(&self) -> Result<bool, DirectoryError> {
        Ok(self.store.is_empty()?)
    }

    /// Whether any made-up sample data has been imported (pages then say so).
    pub fn holds_sample_data(&self) -> Result<bool, DirectoryError> {
        Ok(self.store.meta(SAMPLE_DATA)?.is_some())
    }

    fn summarise(&self, activities: Vec<Activity>) -> Result<Vec<IndexedActivity>, DirectoryError> {
        let mut providers = Providers::new();
        activities
            .into_iter()
            .map(|activity| {
                let (provider, _) = self.provider_summary(&activity, &mut providers)?;
                Ok(IndexedActivity { activity, provider })
            })
            .collect()
    }

    /// The summary of `activity`'s provider and its JSON, read from the store the first time
    /// it is asked for and kept in `providers`.
    fn provider_summary(
        &self,
        activity: &Activity,
        providers: &mut Providers,
    ) -> Result<(ProviderSummary, Arc<str>), DirectoryError> {
        if let Some(known) = providers.get(&activity.provider_id) {
            return Ok(known.clone());
        }
        let p = self.store.provider(&activity.provider_id)?.ok_or_else(|| {
            StoreError::UnknownProvider {
                activity: activity.id.clone(),
                provider: activity.provider_id.clone(),
            }
        })?;
        let summary = ProviderSummary {
            id: p.id,
            name: p.name,
            safeguarding: p.safeguarding,
            verification: p.verification,
        };
        let json: Arc<str> = serde_json::to_string(&summary)
            .map_err(|e| SearchError::Corrupt(e.to_string()))?
            .into();
        providers.insert(summary.id.clone(), (summary.clone(), json.clone()));
        Ok((summary, json))
    }

    /// Brings the index up to date with store writes made elsewhere (an import or a crawl in
    /// another process, while this one serves). Cheap when nothing changed: one read of the
    /// generation. Returns how many listings were re-indexed.
    pub fn catch_up(&self) -> Result<usize, DirectoryError> {
        // Read the store's generation first: anything written after this read is picked up
        // by the next call, never lost.
        let store_gen = self.store.generation()?;
        let (ours, index_gen) = self.index.stamp_is_ours()?;
        let index_gen = index_gen.unwrap_or(0);
        if store_gen == index_gen && ours {
            return Ok(0);
        }
        if store_gen < index_gen || index_gen == 0 || !ours {
            // The database was replaced by an older one, the index never recorded where it
            // stood, or it was written from another database: only a rebuild is safe.
            return self.reindex();
        }
        let items = self.summarise(self.store.changed_since(index_gen)?)?;
        self.index.upsert(&items, store_gen)?;
        Ok(items.len())
    }

    /// Rebuilds the whole index from the store, reading it a page at a time. Returns how many activities were indexed.
    pub fn reindex(&self) -> Result<usize, DirectoryError> {
        // Read the generation first: a write that lands meanwhile leaves the index marked
        // older than the store, so it is rebuilt again at the next start rather than missed.
        let generation = self.store.generation()?;
        let mut rebuild = self.index.start_rebuild()?;
        // A page at a time: a million listings are never all in memory at once. Reading the
        // store and making index documents each take about half the time, so the next page
        // is read on another thread while this one is indexed.
        let (pages, received) = std::sync::mpsc::sync_channel(1);
        let count = std::thread::scope(|scope| {
            scope.spawn(move || {
                let mut providers = Providers::new();
                let mut from = ScanFrom::default();
                loop {
                    let page = self.rebuild_page(&mut from, &mut providers);
                    let last = !matches!(&page, Ok(p) if !p.is_empty());
                    // A send fails when the indexing side has stopped on an error.
                    if pages.send(page).is_err() || last {
                        break;
                    }
                }
            });
            let mut count = 0;
            for page in received {
                let page = page?;
                count += page.len();
                rebuild.add_prepared(&page)?;
            }
            Ok::<_, DirectoryError>(count)
        })?;
        rebuild.commit(generation)?;
        Ok(count)
    }

    /// The next page of listings from `from` for a rebuild, moving `from` on.
    fn rebuild_page(
        &self,
        from: &mut ScanFrom,
        providers: &mut Providers,
    ) -> Result<Vec<Prepared>, DirectoryError> {
        let (chunk, next) = self.store.activities_page(from, REBUILD_CHUNK)?;
        *from = next;
        chunk
            .into_iter()
            .map(|(activity, json)| {
                let (provider, provider_json) = self.provider_summary(&activity, providers)?;
                let item = IndexedActivity { activity, provider };
                Ok(Prepared::new(item, json, provider_json))
            })
            .collect()
    }

    /// Loads a postcode centroid CSV (district table or ONS Postcode Directory) into the
    /// database in `data_dir`. Postcodes never touch the search index, so this works while
    /// `signpost serve` is running, and the running server sees them at once.
    pub fn import_postcodes_into(
        data_dir: &Path,
        path: &Path,
    ) -> Result<PostcodeReport, DirectoryError> {
        load_postcodes(&SqliteStore::open(data_dir)?, path)
    }

    /// Adds or changes one listing; search sees it when this returns.
    pub fn save_activity(&self, activity: Activity) -> Result<(), DirectoryError> {
        let problems = activity.problems();
        if !problems.is_empty() {
            return Err(DirectoryError::Invalid(problems));
        }
        let generation = self.store.upsert_activity(&activity)?;
        let items = self.summarise(vec![activity])?;
        self.index.upsert(&items, generation)?;
        Ok(())
    }

    /// Adds or changes a provider; its listings are re-indexed so results show the change.
    pub fn save_provider(&self, provider: Provider) -> Result<(), DirectoryError> {
        let generation = self.store.upsert_provider(&provider)?;
        let items = self.summarise(self.store.activities_of(&provider.id)?)?;
        self.index.upsert(&items, generation)?;
        Ok(())
    }

    /// Where a searched-for place is: its coordinates, label and default radius, or a
    /// `ParamError` naming what could not be found.
    pub fn locate(&self, place: &Where) -> Result<Located, DirectoryError> {
        let found = match place {
            Where::Point(c) => {
                return Ok(Located {
                    label: format!("{:.4}, {:.4}", c.lat(), c.lon()),
                    coordinates: *c,
                    exact: true,
                    radius_km: None,
                });
            }
            Where::Postcode(pc) => self.store.locate_postcode(pc)?.ok_or_else(|| ParamError {
                param: "postcode".into(),
                message: if pc.in_uk_area() {
                    format!(
                        "we cannot find {pc} among the places Signpost lists: if it is right, Signpost has nothing near it yet; if not, check it, or try a town's name"
                    )
                } else {
                    format!(
                        "we could not find the postcode {pc}: check it, or try just the first part (like HU5)"
                    )
                },
            }),
            Where::Place(name) => match self.store.locate_place(name)? {
                Some(found) => Ok(found),
                None => Err(ParamError {
                    param: "place".into(),
                    message: self.unplaced(name)?,
                }),
            },
        };
        Ok(found?)
    }

    /// Why a place name cannot be searched from. A UK town it does not cover is not a
    /// mistake, so the message says so ("Signpost does not cover Manchester yet"); a town
    /// where it knows postcodes asks for one of them.
    fn unplaced(&self, name: &str) -> Result<String, StoreError> {
        let Some((town, areas)) = signpost_model::uk_post_town(name) else {
            return Ok(format!(
                "we do not know a place called '{}': try a postcode instead (like HU5 or E15)",
                name.chars().take(40).collect::<String>()
            ));
        };
        for area in areas {
            if let Some(district) = self.store.district_in_area(area)? {
                return Ok(format!(
                    "we do not know where in {town} to search from: try a postcode there instead (like {district})"
                ));
            }
        }
        Ok(format!(
            "Signpost does not cover {town} yet, so it has nothing to show near there. Try a place it covers, or come back later"
        ))
    }

    /// Runs a search exactly as asked, every word required: the JSON API and ORUK.
    pub fn search(&self, params: SearchParams) -> Result<SearchOutcome, DirectoryError> {
        self.search_as(params, false)
    }

    /// A search as a person means it, for the search page: words that only say what kind of
    /// thing is wanted ("football club", "art classes") are not required, swapped letters are
    /// put right, and when the other words together find fewer than [`FEW`] listings, those
    /// with any of them follow, those with more of the words and the rarer ones first, so one
    /// extra word never hides what is there. The APIs keep [`Directory::search`], which means exactly
    /// what it says.
    pub fn find(&self, params: SearchParams) -> Result<SearchOutcome, DirectoryError> {
        self.search_as(params, true)
    }

    fn search_as(
        &self,
        params: SearchParams,
        forgiving: bool,
    ) -> Result<SearchOutcome, DirectoryError> {
        let located = params.place.as_ref().map(|w| self.locate(w)).transpose()?;
        let (query, radius_km) = self.query_at(&params, located.as_ref());
        let (telling, corrected) = match self.telling(params.filters.text.as_deref())? {
            Some((words, changed)) if forgiving => (Some(words), changed),
            _ => (None, Vec::new()),
        };
        let (results, reading, query) = if forgiving {
            self.run_forgiving(query, telling.as_deref())?
        } else {
            (self.run(&query)?, Reading::AllWords, query)
        };
        // For saying why a result matched: which words the search took for typos.
        let mut typos = Vec::new();
        if forgiving {
            for unit in signpost_search::text::units(query.filters.text.as_deref().unwrap_or("")) {
                if !self.index.knows(&unit)? {
                    typos.push(unit);
                }
            }
        }
        Ok(SearchOutcome {
            loosened: Vec::new(),
            nearest: Nearest::default(),
            params,
            located,
            radius_km,
            results,
            reading,
            query,
            corrected,
            typos,
        })
    }

    /// The words of `text` a listing must have, as [`Directory::find`] reads them: the telling
    /// words, with slips put right ([`Directory::put_right`]), and each word put right (as
    /// typed, as searched). `None` without text; empty words when they said nothing to look
    /// for.
    #[allow(
        clippy::type_complexity,
        reason = "the words and what was changed in them"
    )]
    fn telling(
        &self,
        text: Option<&str>,
    ) -> Result<Option<(String, Vec<(String, String)>)>, DirectoryError> {
        text.filter(|t| !t.trim().is_empty())
            .map(|t| self.put_right(&telling_words(t)))
            .transpose()
    }

    /// Runs `query` with its words read as a person means them (`telling`, from
    /// [`Directory::telling`]): only the telling words are required, and when together they
    /// find fewer than [`FEW`], listings with any of them follow. Returns what was found, how the
    /// words were read, and the query that found it.
    fn run_forgiving(
        &self,
        mut query: SearchQuery,
        telling: Option<&str>,
    ) -> Result<(SearchResults, Reading, SearchQuery), DirectoryError> {
        // Without words to match, the best match is what runs soon, nearest first: a weekly
        // club round the corner before a one-off event months away. Asked for the holidays,
        // what runs only then (a holiday club) before what runs all year; another day or
        // time asked for already says when.
        let nearest_first = |mut q: SearchQuery| {
            if q.sort == Sort::Relevance {
                q.first = match (q.filters.day, q.filters.when) {
                    (None, None) => Some(First::Soon),
                    (_, Some(When::Holidays(_))) => Some(First::HolidaysOnly),
                    _ => None,
                };
                if q.near.is_some() {
                    q.sort = Sort::Distance;
                }
            }
            q
        };
        let Some(telling) = telling.map(str::to_owned) else {
            query.filters.text = None;
            let query = nearest_first(query);
            return Ok((self.run(&query)?, Reading::AllWords, query));
        };
        if telling.is_empty() {
            query.filters.text = None;
            let query = nearest_first(query);
            return Ok((self.run(&query)?, Reading::NoTellingWords, query));
        }
        let several = signpost_search::text::units(&telling).len() > 1;
        query.filters.text = Some(telling);
        let results = self.run(&query)?;
        if results.total >= FEW || !several {
            return Ok((results, Reading::AllWords, query));
        }
        query.any_word = true;
        let wider = self.run(&query)?;
        if wider.total <= results.total {
            query.any_word = false;
            return Ok((results, Reading::AllWords, query));
        }
        // Those with every word come first: each word found counts the same large amount,
        // and being out of date lowers a listing only among those with as many words.
        let with_all = results.total;
        Ok((wider, Reading::SomeWords { with_all }, query))
    }

    /// `words` with each word no listing has, but which a listing has with two neighbouring
    /// letters the other way round ("dnace", "fotoball"), put right, and slips for generic
    /// words ("somthing") left out like the words themselves; and each word put right (as
    /// typed, as searched). Swapped letters are the commonest slip on a phone, and the
    /// stemmer can turn one into a word no single typo step reaches ("dnace" against "danc",
    /// the stem of "dance").
    fn put_right(&self, words: &str) -> Result<(String, Vec<(String, String)>), DirectoryError> {
        let mut out = Vec::new();
        let mut changed = Vec::new();
        for word in words.split_whitespace() {
            let mut fixed = word.to_owned();
            let chars: Vec<char> = word.chars().collect();
            // A word known by its synonyms ("singing" for a choir) is not a slip.
            let known = self.index.knows(word)?
                || signpost_search::text::synonyms(word)
                    .iter()
                    .map(|s| self.index.knows(s))
                    .collect::<Result<Vec<_>, _>>()?
                    .contains(&true);
            if chars.len() >= 4 && !known {
                let mut swapped = false;
                for i in 0..chars.len() - 1 {
                    let mut c = chars.clone();
                    c.swap(i, i + 1);
                    let candidate: String = c.into_iter().collect();
                    if self.index.knows(&candidate)? {
                        changed.push((word.to_owned(), candidate.clone()));
                        fixed = candidate;
                        swapped = true;
                        break;
                    }
                }
                // A slip for a word that only says "something" is not something to find.
                if !swapped && signpost_search::text::is_generic_slip(word) {
                    continue;
                }
            }
            out.push(fixed);
        }
        Ok((out.join(" "), changed))
    }

    /// The index query for `params` around an already located place, and the radius used.
    fn query_at(
        &self,
        params: &SearchParams,
        located: Option<&Located>,
    ) -> (SearchQuery, Option<f64>) {
        let radius_km = located.map(|l| {
            params
                .radius_km
                .or(l.radius_km)
                .unwrap_or(params::DEFAULT_RADIUS_KM)
        });
        let query = SearchQuery {
            filters: params.filters.clone(),
            near: located.zip(radius_km).map(|(l, radius_km)| Near {
                point: l.coordinates,
                radius_km,
            }),
            sort: params.sort,
            page: params.page,
            per_page: params.per_page,
            now: self.now_local(),
            fresh_since: Some(self.fresh_since()),
            any_word: false,
            first: None,
        };
        (query, radius_km)
    }

    fn run(&self, query: &SearchQuery) -> Result<SearchResults, DirectoryError> {
        self.index.search(query).map_err(|e| match e {
            SearchError::BadRequest(message) => DirectoryError::Param(ParamError {
                param: "sort".into(),
                message,
            }),
            other => other.into(),
        })
    }

    /// Reads filters out of the search words (see [`understand`]). Returns the search's
    /// parameters rewritten with those filters, or `None` when the words name none.
    pub fn understand_query(
        &self,
        pairs: &[(String, String)],
    ) -> Result<Option<Vec<(String, String)>>, DirectoryError> {
        let Some(text) = pairs
            .iter()
            .find(|(k, v)| k == "q" && !v.trim().is_empty())
            .map(|(_, v)| v.clone())
        else {
            return Ok(None);
        };
        let given = |name: &str| {
            let names: &[&str] = match name {
                "near" => &["near", "postcode", "place", "lat", "lon"],
                other => &[other][..],
            };
            pairs
                .iter()
                .any(|(k, v)| names.contains(&k.as_str()) && !v.trim().is_empty())
        };
        let store = &self.store;
        let known = |place: &str| match signpost_model::Postcode::parse(place) {
            Ok(pc) => store.locate_postcode(&pc).ok().flatten().is_some(),
            Err(_) => store.locate_place(place).ok().flatten().is_some(),
        };
        let today = self.today().weekday();
        let understood = understand::understand(&text, given, known, today);
        if understood.params.is_empty() {
            return Ok(None);
        }
        let mut out: Vec<(String, String)> = pairs
            .iter()
            .filter(|(k, _)| k != "q" && k != "page")
            .cloned()
            .collect();
        if !understood.text.is_empty() {
            out.insert(0, ("q".into(), understood.text));
        }
        out.extend(
            understood
                .params
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v)),
        );
        Ok(Some(out))
    }

    /// When a search around a place finds nothing within its radius: up to three listings
    /// that match everything else, nearest first, from anywhere up to the furthest anyone
    /// searches ([`signpost_model::MAX_RADIUS_KM`]). Those with all the words come first;
    /// failing that, those with any of them.
    pub fn nearest_beyond(&self, outcome: &SearchOutcome) -> Result<Nearest, DirectoryError> {
        let Some(near) = &outcome.query.near else {
            return Ok(Nearest::default());
        };
        if outcome.results.total > 0 {
            return Ok(Nearest::default());
        }
        let mut q = outcome.query.clone();
        q.near = Some(Near {
            point: near.point,
            radius_km: signpost_model::MAX_RADIUS_KM,
        });
        q.sort = Sort::Distance;
        q.page = 1;
        q.per_page = 3;
        if near.radius_km >= signpost_model::MAX_RADIUS_KM {
            return Ok(Nearest::default());
        }
        let found = self.run(&q)?;
        let several = q
            .filters
            .text
            .as_deref()
            .is_some_and(|t| signpost_search::text::units(t).len() > 1);
        if !found.hits.is_empty() || q.any_word || !several {
            return Ok(Nearest {
                hits: found.hits,
                some_words: q.any_word,
            });
        }
        q.any_word = true;
        Ok(Nearest {
            hits: self.run(&q)?.hits,
            some_words: true,
        })
    }

    /// When a search finds nothing: the same search with one thing loosened, each with how
    /// many it would find, best first (at most four). Giving up at "nothing found" is what
    /// this directory exists to prevent.
    pub fn loosen(&self, outcome: &SearchOutcome) -> Result<Vec<Loosened>, DirectoryError> {
        let params = &outcome.params;
        let mut tries: Vec<(String, SearchParams)> = Vec::new();
        let mut with = |what: &str, change: &dyn Fn(&mut SearchParams)| {
            let mut p = params.clone();
            change(&mut p);
            p.page = 1;
            if p != *params {
                tries.push((what.to_owned(), p));
            }
        };
        let f = &params.filters;
        if params.place.is_some() && params.radius_km.is_none_or(|r| r < 25.0) {
            with("Look up to 25 km away", &|p| p.radius_km = Some(25.0));
        }
        if let Some(t) = &f.text {
            with(&format!("Without the words \"{t}\""), &|p| {
                p.filters.text = None
            });
        }
        if f.free.is_some() || f.max_price_pence.is_some() {
            with("Any cost", &|p| {
                p.filters.free = None;
                p.filters.max_price_pence = None;
            });
        }
        if f.day.is_some() || f.when.is_some() {
            with("Any day or time", &|p| {
                p.filters.day = None;
                p.filters.when = None;
            });
        }
        if f.age.is_some() {
            with("Any age", &|p| p.filters.age = None);
        }
        if f.gender.is_some() {
            with("Anyone (not just girls or boys)", &|p| {
                p.filters.gender = None
            });
        }
        if !f.categories.is_empty() {
            with("Any type of activity", &|p| p.filters.categories.clear());
        }
        if !f.access.is_empty() || f.language.is_some() {
            with("Without the access and language needs", &|p| {
                p.filters.access.clear();
                p.filters.language = None;
            });
        }
        if !f.join.is_empty() {
            with("Any way of joining", &|p| p.filters.join.clear());
        }
        if f.checked {
            with("Include groups whose safety has not been checked", &|p| {
                p.filters.checked = false
            });
        }
        let mut out = Vec::new();
        for (what, p) in tries {
            // Every try keeps the place, so it is located once; only the count is wanted, of
            // the search the page would run.
            let (mut query, _) = self.query_at(&p, outcome.located.as_ref());
            query.per_page = 0;
            // The same words as the search read, not read again (the slip check costs index
            // lookups): the words it ran with count the same as words that said nothing.
            let telling = if p.filters.text == params.filters.text {
                outcome.query.filters.text.clone()
            } else {
                self.telling(p.filters.text.as_deref())?
                    .map(|(words, _)| words)
            };
            let total = self.run_forgiving(query, telling.as_deref())?.0.total;
            if total > 0 {
                out.push(Loosened {
                    what,
                    params: p,
                    total,
                });
            }
        }
        out.sort_by_key(|l| std::cmp::Reverse(l.total));
        out.truncate(4);
        Ok(out)
    }

    /// One listing, if the id names one.
    pub fn activity(&self, id: &str) -> Result<Option<ActivityPage>, DirectoryError> {
        let Ok(id) = Id::parse(id) else {
            return Ok(None);
        };
        match self.store.activity(&id)? {
            Some(activity) => self.page_of(activity),
            None => Ok(None),
        }
    }

    /// A stored listing as its page shows it (`None` if its provider has gone).
    fn page_of(&self, activity: Activity) -> Result<Option<ActivityPage>, DirectoryError> {
        let Some(provider) = self.store.provider(&activity.provider_id)? else {
            return Ok(None);
        };
        let now = self.now_local();
        Ok(Some(ActivityPage {
            source: self.store.provenance(&activity.id)?,
            stale: !activity.withdrawn && self.is_stale(&activity),
            safeguarding: provider.verification.status(now.date()),
            next_session: activity.schedule.next_occurrence(now),
            ended: activity.schedule.has_ended(now.date()),
            activity,
            provider,
        }))
    }

    /// The listings a short reference (`Id::reference`) names, as typed from a printed
    /// handout. Usually one; none for a mistyped reference; rarely two that share it.
    pub fn resolve_reference(&self, typed: &str) -> Result<Vec<Id>, DirectoryError> {
        match signpost_model::parse_reference(typed) {
            Some(code) => Ok(self.index.ids_with_reference(&code)?),
            None => Ok(Vec::new()),
        }
    }

    /// The listing one of whose published UUIDs ([`signpost_model::activity_uuids`]) is
    /// `uuid`, with the place that UUID names (`None` for the listing itself). Withdrawn and
    /// ended listings included; the caller decides what to show.
    pub fn activity_by_uuid(
        &self,
        uuid: &str,
    ) -> Result<Option<(ActivityPage, Option<At>)>, DirectoryError> {
        // The UUID carries its listing's short reference; the index finds the listings with
        // that reference (usually one), and the whole UUID decides.
        let Some(reference) = signpost_model::reference_in_uuid(uuid) else {
            return Ok(None);
        };
        let uuid = uuid.to_ascii_lowercase();
        for id in self.index.ids_with_reference(&reference)? {
            let Some(activity) = self.store.activity(&id)? else {
                continue;
            };
            let named = signpost_model::activity_uuids(&activity)
                .into_iter()
                .find(|(u, _)| *u == uuid);
            if let Some((_, at)) = named {
                return Ok(self.page_of(activity)?.map(|page| (page, at)));
            }
        }
        Ok(None)
    }

    /// A provider and its listings, if the id names one.
    pub fn provider(&self, id: &str) -> Result<Option<ProviderPage>, DirectoryError> {
        let Ok(id) = Id::parse(id) else {
            return Ok(None);
        };
        let Some(provider) = self.store.provider(&id)? else {
            return Ok(None);
        };
        let today = self.today();
        let mut activities: Vec<(Activity, bool)> = self
            .store
            .activities_of(&id)?
            .into_iter()
            .filter(|a| !a.withdrawn)
            .map(|a| {
                let ended = a.schedule.has_ended(today);
                (a, ended)
            })
            .collect();
        activities.sort_by_key(|(_, ended)| *ended);
        Ok(Some(ProviderPage {
            safeguarding: provider.verification.status(today),
            provider,
            activities,
        }))
    }
}
