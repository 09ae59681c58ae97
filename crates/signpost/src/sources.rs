//! `signpost import` and `signpost crawl`, and the crawl schedule `serve` runs from a sources
//! file. Both write to the database only; the search index follows (here when no server holds
//! it, or in the running server within seconds).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use chrono::Utc;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Deserialize;
use signpost_crawl::{Crawler, FetchConfig, Fetcher, Kind, Limits, SourceReport};
use signpost_directory::{Directory, DirectoryError};
use signpost_ingest::{Ingest, Summary};
use signpost_search::SearchError;
use signpost_store::{Backend, SqliteStore};

use crate::{Dirs, Politeness};

/// The database, repaired once (see [`repair`]) unless this is a dry run, which writes
/// nothing.
fn store(dirs: &Dirs, dry_run: bool) -> Result<Arc<dyn Backend>> {
    let store: Arc<dyn Backend> = Arc::new(SqliteStore::open(&dirs.data_dir())?);
    if !dry_run {
        repair(&*store)?;
    }
    Ok(store)
}

/// Repairs left by older versions, once per database (see `signpost_ingest::withdraw_orphans`).
pub(crate) fn repair(store: &dyn Backend) -> Result<()> {
    let n = signpost_ingest::withdraw_orphans(store, chrono::Utc::now())?;
    if n > 0 {
        eprintln!(
            "Withdrew {n} listings left behind when their source renamed them (each is in its history)."
        );
    }
    Ok(())
}

/// Brings the index in step with the database, unless a running server holds it (it then
/// catches up by itself).
fn sync_index(dirs: &Dirs) -> Result<()> {
    match Directory::open(&dirs.data_dir(), &dirs.index_dir()) {
        Ok(_) => Ok(()),
        Err(DirectoryError::Search(SearchError::InUse)) => {
            println!(
                "signpost serve is using this data: it shows the changes within a few seconds."
            );
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

fn print_rejections(summary: &Summary) {
    const SHOWN: usize = 50;
    for r in summary.rejected.iter().take(SHOWN) {
        println!("  rejected {r}");
    }
    if summary.rejected.len() > SHOWN {
        println!(
            "  ... and {} more rejected records",
            summary.rejected.len() - SHOWN
        );
    }
}

/// Imports each file in turn, as one transaction each. A file that cannot be used at all is
/// reported and the others still go in; the command then fails, naming how many.
pub fn import(dirs: &Dirs, dry_run: bool, keep_checks: bool, files: &[PathBuf]) -> Result<()> {
    let store = store(dirs, dry_run)?;
    let mut ingest = Ingest::new(store.clone(), Utc::now())
        .dry_run(dry_run)
        .keep_checks(keep_checks)
        .load_directory_files(true);
    let mut wrote = false;
    let mut unreadable = 0;
    for path in files {
        let (format, summary) = match ingest.import_path(path) {
            Ok(done) => done,
            Err(e @ signpost_ingest::FileError::Unreadable(_)) => {
                eprintln!("Could not import {}: {e}", path.display());
                unreadable += 1;
                continue;
            }
            Err(e) => {
                return Err(
                    anyhow::Error::new(e).context(format!("could not import {}", path.display()))
                );
            }
        };
        wrote |= summary.changed() > 0 || summary.places > 0;
        let verb = if dry_run { "Would import" } else { "Imported" };
        println!("{verb} {} ({}): {summary}.", path.display(), format.label());
        print_rejections(&summary);
    }
    if dry_run {
        println!("Dry run: nothing was written.");
    } else if wrote {
        sync_index(dirs)?;
    }
    if unreadable > 0 {
        bail!(
            "{unreadable} of {} files could not be used (see above)",
            files.len()
        );
    }
    Ok(())
}

/// Loads the bundled sample data into an empty directory, as `signpost import` would.
pub fn load_seed(dir: &Directory, seed: &Path) -> Result<Summary> {
    let text = std::fs::read_to_string(seed)
        .with_context(|| format!("could not read the sample data {}", seed.display()))?;
    let is_directory = serde_json::from_str::<serde_json::Value>(&text)
        .is_ok_and(|v| signpost_ingest::DirectoryFile::claims(&v));
    if !is_directory {
        bail!(
            "{} is not a Signpost directory file (seed-data/README.md): the sample data must be one",
            seed.display()
        );
    }
    let name = seed.file_name().map_or_else(
        || seed.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let (_, summary) = Ingest::new(dir.backend(), Utc::now())
        .load_directory_files(true)
        .import_text(&name, &text)
        .with_context(|| format!("could not load the sample data {}", seed.display()))?;
    dir.catch_up()?;
    Ok(summary)
}

fn progress_bar() -> ProgressBar {
    // Drawn only on a terminal: in CI and logs the summary lines are enough.
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {elapsed} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

pub async fn crawl_all(
    store: Arc<dyn Backend>,
    kind: Kind,
    urls: &[String],
    dry_run: bool,
    fetch: FetchConfig,
    limits: Limits,
    bar: Option<ProgressBar>,
) -> Result<Vec<SourceReport>> {
    let fetcher = Fetcher::new(fetch)?;
    let ingest = Ingest::new(store, Utc::now()).dry_run(dry_run);
    let mut crawler = Crawler::new(fetcher, ingest, limits);
    if let Some(bar) = bar.clone() {
        crawler = crawler.with_progress(Arc::new(move |url, s| {
            bar.set_message(format!("{url}: {s}"));
        }));
    }
    let mut reports = Vec::new();
    for url in urls {
        reports.extend(crawler.crawl(kind, url).await);
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(reports)
}

pub fn crawl(
    dirs: &Dirs,
    kind: &str,
    dry_run: bool,
    polite: &Politeness,
    urls: &[String],
) -> Result<()> {
    let Some(kind) = Kind::parse(kind) else {
        bail!("'{kind}' is not a kind of source: use openactive, oruk or website");
    };
    let store = store(dirs, dry_run)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("could not start the async runtime")?;
    let limits = Limits {
        max_pages: polite.max_pages.max(1),
        ..Limits::default()
    };
    let reports = runtime.block_on(crawl_all(
        store,
        kind,
        urls,
        dry_run,
        polite.fetch_config(),
        limits,
        Some(progress_bar()),
    ))?;
    let mut total = Summary::default();
    let mut failed = Vec::new();
    for r in reports {
        println!("{}: {}.", r.url, r.summary);
        print_rejections(&r.summary);
        if let Some(why) = &r.stopped {
            println!("  stopped early: {why}");
        }
        if r.failed() {
            failed.push(r.url.clone());
        }
        total.absorb(r.summary);
    }
    println!("In all: {total}.");
    if dry_run {
        println!("Dry run: nothing was written.");
    } else if total.changed() > 0 {
        sync_index(dirs)?;
    }
    // A scheduled job must be able to tell a broken feed: any source that gave nothing
    // usable (a server error, a page that is not a feed) makes the run fail.
    if !failed.is_empty() {
        bail!(
            "{} of {} sources gave nothing usable: {}",
            failed.len(),
            urls.len(),
            failed.join(", ")
        );
    }
    Ok(())
}

/// The sources file `serve --sources` reads:
///
/// ```toml
/// [[source]]
/// kind = "openactive"
/// url = "https://example.org/feeds/session-series"
/// every_hours = 6
/// ```
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourcesFile {
    #[serde(default, rename = "source")]
    pub sources: Vec<SourceEntry>,
    /// Least time between two requests to one host, in milliseconds.
    #[serde(default = "default_delay")]
    pub delay_ms: u64,
}

fn default_delay() -> u64 {
    1000
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceEntry {
    pub kind: String,
    pub url: String,
    /// How often to crawl it.
    #[serde(default = "default_every")]
    pub every_hours: f64,
}

fn default_every() -> f64 {
    6.0
}

pub fn read_sources(path: &Path) -> Result<SourcesFile> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("could not read the sources file {}", path.display()))?;
    let file: SourcesFile = toml::from_str(&text)
        .with_context(|| format!("the sources file {} is not valid", path.display()))?;
    for s in &file.sources {
        if Kind::parse(&s.kind).is_none() {
            bail!(
                "{}: '{}' is not a kind of source: use openactive, oruk or website",
                path.display(),
                s.kind
            );
        }
        signpost_crawl::fetch::parse_url(&s.url)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        if !(s.every_hours > 0.0 && s.every_hours.is_finite()) {
            bail!("{}: every_hours must be above 0", path.display());
        }
    }
    Ok(file)
}

/// Crawls each source when it is due, for as long as the server runs. The server's own
/// catch-up loop puts the changes in the index.
pub async fn schedule(store: Arc<dyn Backend>, file: SourcesFile) {
    let mut due: Vec<tokio::time::Instant> = vec![tokio::time::Instant::now(); file.sources.len()];
    let fetch = FetchConfig {
        min_interval: Duration::from_millis(file.delay_ms),
        ..FetchConfig::default()
    };
    loop {
        let now = tokio::time::Instant::now();
        for (i, s) in file.sources.iter().enumerate() {
            if due[i] > now {
                continue;
            }
            due[i] = now + Duration::from_secs_f64(s.every_hours * 3600.0);
            let Some(kind) = Kind::parse(&s.kind) else {
                continue;
            };
            match crawl_all(
                store.clone(),
                kind,
                std::slice::from_ref(&s.url),
                false,
                fetch.clone(),
                Limits::default(),
                None,
            )
            .await
            {
                Ok(reports) => {
                    for r in reports {
                        if r.failed() {
                            tracing::warn!(source = %r.url, summary = %r.summary, stopped = ?r.stopped, "the source gave nothing usable");
                        } else {
                            tracing::info!(source = %r.url, summary = %r.summary, stopped = ?r.stopped, "crawled");
                        }
                    }
                }
                Err(e) => tracing::warn!(source = %s.url, error = %e, "crawl failed"),
            }
        }
        tokio::time::sleep(Duration::from_secs(30)).await;
    }
}
