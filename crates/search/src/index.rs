//! Opening, writing and reloading the index.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use signpost_model::Id;
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::SearchError;
use crate::query::{IndexedActivity, Prepared};
use crate::rows::RowCache;
use crate::schema::{self, Fields, SCHEMA_VERSION};
use crate::text;

const VERSION_FILE: &str = "signpost-index-version";
/// The indexing buffer, shared by the indexing threads: a thread writes a segment each time
/// its share fills. Taken only as documents arrive (an edit uses a few megabytes). At a
/// million listings 200 MB peaks at about 1.1 GB for the whole rebuild; 400 MB was no faster
/// and peaked at 2 GB. See BENCHMARKS.md.
const WRITER_MEMORY: usize = 200_000_000;
const INDEXING_THREADS: usize = 2;

/// The index. One reader for the life of the process, one searcher per search; writes are
/// serialised through one writer and are visible as soon as the call returns.
///
/// Every method blocks (commits touch the disk): async callers use a blocking thread.
pub struct SearchIndex {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    pub(crate) fields: Fields,
    pub(crate) rows: RowCache,
    /// The database this index is written from (`Store::identity`), recorded with every
    /// commit beside the generation.
    owner: std::sync::OnceLock<String>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SearchIndex")
    }
}

/// Whether an opened index can be trusted as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexOpened {
    /// It was there and written by this version.
    Existing,
    /// It was missing, unreadable or from another version, and is now empty: rebuild it.
    Empty,
}

impl SearchIndex {
    /// Opens the index in `dir`, or creates an empty one there when it is missing, damaged or
    /// was written by another version of Signpost. Deleting the directory is always safe.
    pub fn open(dir: &Path) -> Result<(Self, IndexOpened), SearchError> {
        let io = |source| SearchError::Directory {
            path: dir.display().to_string(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let version = std::fs::read_to_string(dir.join(VERSION_FILE)).unwrap_or_default();
        if version.trim() == SCHEMA_VERSION {
            match Self::open_existing(dir) {
                Ok(index) => return Ok((index, IndexOpened::Existing)),
                // Another process is writing here: never clear its files from under it.
                Err(SearchError::InUse) => return Err(SearchError::InUse),
                Err(e) => tracing::warn!(error = %e, "search index unreadable; starting afresh"),
            }
        }
        // Clear out whatever is there, keeping a README or other notes a person left.
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let entry = entry.map_err(io)?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let ours = name.ends_with(".idx")
                || name.ends_with(".pos")
                || name.ends_with(".term")
                || name.ends_with(".store")
                || name.ends_with(".fast")
                || name.ends_with(".fieldnorm")
                || name.ends_with(".del")
                || name.ends_with(".lock")
                || name == "meta.json"
                || name == ".managed.json"
                || name == VERSION_FILE;
            if ours && entry.path().is_file() {
                std::fs::remove_file(entry.path()).map_err(io)?;
            }
        }
        let (schema, _) = schema::build();
        let index = Index::builder()
            .schema(schema)
            .settings(schema::settings())
            .create_in_dir(dir)?;
        std::fs::write(dir.join(VERSION_FILE), SCHEMA_VERSION).map_err(io)?;
        Ok((Self::from_index(index)?, IndexOpened::Empty))
    }

    fn open_existing(dir: &Path) -> Result<Self, SearchError> {
        let mmap = MmapDirectory::open(dir).map_err(|e| SearchError::Directory {
            path: dir.display().to_string(),
            source: std::io::Error::other(e.to_string()),
        })?;
        Self::from_index(Index::open(mmap)?)
    }

    /// An index in memory, for tests.
    pub fn in_memory() -> Result<Self, SearchError> {
        let (schema, _) = schema::build();
        Self::from_index(
            Index::builder()
                .schema(schema)
                .settings(schema::settings())
                .create_in_ram()?,
        )
    }

    fn from_index(index: Index) -> Result<Self, SearchError> {
        index
            .tokenizers()
            .register(text::ANALYSER, text::analyser());
        let (expected, fields) = schema::build();
        if index.schema() != expected
            || index.settings().sort_by_field != schema::settings().sort_by_field
        {
            return Err(SearchError::Corrupt("index schema does not match".into()));
        }
        // Two indexing threads: while one writes out a segment (sorting it by place and
        // rewriting its stored records in that order), the other goes on indexing. With the
        // thread reading the store, a rebuild keeps both cores busy.
        let writer = index
            .writer_with_num_threads(INDEXING_THREADS, WRITER_MEMORY)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => SearchError::InUse,
                other => other.into(),
            })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let opened = SearchIndex {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            rows: RowCache::default(),
            owner: std::sync::OnceLock::new(),
        };
        opened.warm()?;
        Ok(opened)
    }

    /// Stages changes with `f` and commits them with the store generation they reflect.
    fn write(
        &self,
        generation: u64,
        f: impl FnOnce(&mut IndexWriter<TantivyDocument>) -> Result<(), SearchError>,
    ) -> Result<(), SearchError> {
        let mut writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        if let Err(e) = f(&mut writer) {
            // Drop whatever this call staged so the next commit does not publish half of it.
            writer.rollback()?;
            return Err(e);
        }
        self.commit(&mut writer, generation)
    }

    fn commit(
        &self,
        writer: &mut IndexWriter<TantivyDocument>,
        generation: u64,
    ) -> Result<(), SearchError> {
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&match self.owner.get() {
            Some(owner) => format!("{owner}/{generation}"),
            None => generation.to_string(),
        });
        commit.commit()?;
        self.reader.reload()?;
        self.warm()
    }

    /// Builds the collector's rows for segments that do not have them yet, so the first
    /// search after opening or writing does not pay for it.
    fn warm(&self) -> Result<(), SearchError> {
        self.rows.for_searcher(&self.reader.searcher())?;
        Ok(())
    }

    /// Says which database this index is written from; every later commit records it.
    /// Set once: an index open for one database is never written for another.
    pub fn belong_to(&self, database: &str) {
        let _ = self.owner.set(database.to_owned());
    }

    /// Whether the index was last written from the database it now belongs to (see
    /// [`SearchIndex::belong_to`]), and that database's generation then (`None` for an
    /// index never written). An index from before indexes recorded their database is not.
    pub fn stamp_is_ours(&self) -> Result<(bool, Option<u64>), SearchError> {
        let (owner, generation) = self.stamp()?;
        Ok((
            owner.is_some() && owner.as_deref() == self.owner.get().map(String::as_str),
            generation,
        ))
    }

    /// Where the index last stood: the database it was written from (`None` for an index
    /// from before indexes recorded it) and that database's generation (`None` for an
    /// index never written).
    fn stamp(&self) -> Result<(Option<String>, Option<u64>), SearchError> {
        let Some(payload) = self.index.load_metas()?.payload else {
            return Ok((None, None));
        };
        Ok(match payload.rsplit_once('/') {
            Some((owner, generation)) => (Some(owner.to_owned()), generation.parse().ok()),
            None => (None, payload.parse().ok()),
        })
    }

    /// The store generation the index was last written from (see `signpost_store::Store`);
    /// `None` for an index never written.
    pub fn generation(&self) -> Result<Option<u64>, SearchError> {
        Ok(self.stamp()?.1)
    }

    fn add(
        &self,
        writer: &IndexWriter<TantivyDocument>,
        item: &IndexedActivity,
    ) -> Result<(), SearchError> {
        let record =
            serde_json::to_string(item).map_err(|e| SearchError::Corrupt(e.to_string()))?;
        writer.add_document(schema::to_document(&self.fields, item, record))?;
        Ok(())
    }

    /// Replaces everything in the index with `items`, in one commit: searches see the old
    /// index until the new one is complete. `generation` is the store generation the items
    /// were read at; likewise for the other writes.
    pub fn rebuild(&self, items: &[IndexedActivity], generation: u64) -> Result<(), SearchError> {
        let mut rebuild = self.start_rebuild()?;
        rebuild.add(items)?;
        rebuild.commit(generation)
    }

    /// Starts replacing everything in the index, for items that come in chunks: add them with
    /// [`Rebuild::add`], then [`Rebuild::commit`]. Searches see the old index until the
    /// commit; dropping the rebuild without committing leaves the index as it was. Other
    /// writes wait until it is committed or dropped.
    pub fn start_rebuild(&self) -> Result<Rebuild<'_>, SearchError> {
        let writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        writer.delete_all_documents()?;
        Ok(Rebuild {
            index: self,
            writer,
            done: false,
        })
    }

    /// Adds or replaces these activities.
    pub fn upsert(&self, items: &[IndexedActivity], generation: u64) -> Result<(), SearchError> {
        self.write(generation, |w| {
            for item in items {
                w.delete_term(Term::from_field_text(
                    self.fields.id,
                    item.activity.id.as_str(),
                ));
                self.add(w, item)?;
            }
            Ok(())
        })
    }

    /// Takes activities out of search.
    pub fn remove(&self, ids: &[Id], generation: u64) -> Result<(), SearchError> {
        self.write(generation, |w| {
            for id in ids {
                w.delete_term(Term::from_field_text(self.fields.id, id.as_str()));
            }
            Ok(())
        })
    }

    /// The listings whose short reference (`Id::reference`) is `code`: usually one, none for
    /// a mistyped code, and rarely two that share it. Withdrawn and ended ones included; the
    /// caller decides what to show.
    pub fn ids_with_reference(&self, code: &str) -> Result<Vec<Id>, SearchError> {
        let searcher = self.reader.searcher();
        let query = crate::search::term_query(&Term::from_field_text(
            self.fields.tags,
            &schema::reference_tag(code),
        ));
        let found = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
        let mut ids = Vec::new();
        for address in found {
            let doc: TantivyDocument = searcher.doc(address)?;
            let item = self.record(&doc)?;
            ids.push(item.activity.id);
        }
        ids.sort();
        Ok(ids)
    }

    /// How many activities are indexed (ended ones included).
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A whole-index rebuild in progress (see [`SearchIndex::start_rebuild`]).
pub struct Rebuild<'a> {
    index: &'a SearchIndex,
    writer: MutexGuard<'a, IndexWriter<TantivyDocument>>,
    done: bool,
}

impl Rebuild<'_> {
    pub fn add(&mut self, items: &[IndexedActivity]) -> Result<(), SearchError> {
        for item in items {
            self.index.add(&self.writer, item)?;
        }
        Ok(())
    }

    /// [`Self::add`] for listings whose JSON is already made.
    pub fn add_prepared(&mut self, items: &[Prepared]) -> Result<(), SearchError> {
        let fields = &self.index.fields;
        for p in items {
            let doc = schema::to_document(fields, &p.item, p.record());
            self.writer.add_document(doc)?;
        }
        Ok(())
    }

    /// Publishes the new index, marked with the store generation it was read at.
    pub fn commit(mut self, generation: u64) -> Result<(), SearchError> {
        let index = self.index;
        let result = index.commit(&mut self.writer, generation);
        self.done = result.is_ok();
        result
    }
}

impl Drop for Rebuild<'_> {
    fn drop(&mut self) {
        if !self.done {
            // Nothing staged may reach a later commit.
            if let Err(e) = self.writer.rollback() {
                tracing::error!(error = %e, "could not abandon an unfinished index rebuild");
            }
        }
    }
}
