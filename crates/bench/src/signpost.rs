//! Signpost itself: the real store and index, searched in process the way the server does.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use signpost_directory::Directory;
use signpost_model::Id;
use signpost_store::{ImportBatch, SqliteStore, Store};
use signpost_synth::Synth;

use crate::mix::{BenchQuery, bench_now};
use crate::{Answer, BuildStats, Engine};

/// Rows written to the store per transaction while loading.
const LOAD_CHUNK: usize = 20_000;

pub struct Signpost {
    pub dir: Directory,
    pub data_dir: PathBuf,
    pub index_dir: PathBuf,
}

/// Writes the synthetic directory into a new store in `data_dir`.
pub fn load_store(synth: &Synth, data_dir: &Path) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let store = SqliteStore::open(data_dir)?;
    store.import(&ImportBatch {
        providers: synth.providers().collect(),
        activities: Vec::new(),
        postcodes: Default::default(),
        meta: Vec::new(),
    })?;
    let mut chunk = Vec::with_capacity(LOAD_CHUNK);
    for a in synth.activities() {
        chunk.push(a);
        if chunk.len() == LOAD_CHUNK {
            store.import(&ImportBatch {
                providers: Vec::new(),
                activities: std::mem::take(&mut chunk),
                postcodes: Default::default(),
                meta: Vec::new(),
            })?;
        }
    }
    if !chunk.is_empty() {
        store.import(&ImportBatch {
            providers: Vec::new(),
            activities: chunk,
            postcodes: Default::default(),
            meta: Vec::new(),
        })?;
    }
    Ok(started.elapsed())
}

fn open(data_dir: &Path, index_dir: &Path) -> anyhow::Result<Directory> {
    let (dir, _) = Directory::open(data_dir, index_dir)?;
    // The bench moment is in November, when London keeps UTC.
    let now = bench_now().and_utc();
    Ok(dir.with_clock(std::sync::Arc::new(move || now)))
}

impl Signpost {
    /// Opens the directory on a store already loaded with [`load_store`], rebuilding the index
    /// from nothing: the build time is a full rebuild.
    pub fn build(data_dir: &Path, index_dir: &Path) -> anyhow::Result<(Signpost, BuildStats)> {
        let _ = std::fs::remove_dir_all(index_dir);
        let started = Instant::now();
        let dir = open(data_dir, index_dir)?;
        let build_seconds = started.elapsed().as_secs_f64();
        let engine = Signpost {
            dir,
            data_dir: data_dir.to_path_buf(),
            index_dir: index_dir.to_path_buf(),
        };
        Ok((
            engine,
            BuildStats {
                build_seconds,
                disk_bytes: crate::shared::disk_bytes(index_dir),
            },
        ))
    }

    /// Opens a store and index left by an earlier run as they are (the index is rebuilt only
    /// if it is missing or from another version).
    pub fn open(data_dir: &Path, index_dir: &Path) -> anyhow::Result<Signpost> {
        Ok(Signpost {
            dir: open(data_dir, index_dir)?,
            data_dir: data_dir.to_path_buf(),
            index_dir: index_dir.to_path_buf(),
        })
    }

    /// Closes and reopens the directory with its index in place: how long a restart takes
    /// before the first search can be answered (that first search included).
    pub fn reopen(self, first: &BenchQuery) -> anyhow::Result<(Signpost, Duration)> {
        let Signpost {
            dir,
            data_dir,
            index_dir,
        } = self;
        drop(dir);
        let started = Instant::now();
        let dir = open(&data_dir, &index_dir)?;
        let engine = Signpost {
            dir,
            data_dir,
            index_dir,
        };
        engine.search(first)?;
        Ok((engine, started.elapsed()))
    }

    /// Edits listings one at a time and times each until a search finds the new title. Listings
    /// that have ended or been withdrawn are skipped.
    pub fn edit_to_searchable(&self, ids: &[Id]) -> anyhow::Result<Vec<Duration>> {
        let mut times = Vec::new();
        for (n, id) in ids.iter().enumerate() {
            let Some(page) = self.dir.activity(id.as_str())? else {
                continue;
            };
            let mut a = page.activity;
            if a.withdrawn || a.schedule.has_ended(bench_now().date()) {
                continue; // a search would never show it, edited or not
            }
            let word = format!("benchedit{n}x");
            a.title = format!("{} {word}", a.title);
            let started = Instant::now();
            self.dir.save_activity(a)?;
            let mut q = signpost_search::SearchQuery::new(bench_now());
            q.filters.text = Some(word);
            q.per_page = 100;
            loop {
                // Earlier edits' words are one letter away, so look for this listing itself.
                let found = self.dir.index().search(&q)?;
                if found.hits.iter().any(|h| h.item.activity.id == *id) {
                    break;
                }
                anyhow::ensure!(
                    started.elapsed() < Duration::from_secs(30),
                    "an edited listing was not searchable after 30 s"
                );
                std::thread::sleep(Duration::from_millis(1));
            }
            times.push(started.elapsed());
        }
        Ok(times)
    }
}

impl Engine for Signpost {
    fn name(&self) -> &str {
        "signpost"
    }

    fn search(&self, q: &BenchQuery) -> anyhow::Result<Answer> {
        let r = self.dir.index().search(&q.query)?;
        Ok(Answer {
            total: r.total,
            page: r
                .hits
                .iter()
                .map(|h| h.item.activity.id.as_str().to_owned())
                .collect(),
            categories: r.category_counts,
        })
    }
}
