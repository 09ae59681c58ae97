//! The crawler: reads OpenActive RPDE feeds, Open Referral UK APIs and provider web pages,
//! and hands what it finds to `signpost-ingest`.
//!
//! Fetching is polite ([`fetch`]): one request at a time per host at a set pace, timeouts,
//! retries with backoff, `Retry-After`, a size cap, limited redirects, robots.txt and
//! conditional requests. Each page's items are written in one transaction together with the
//! feed position, so a crawl stopped at any point (a crash, a page limit, a server that
//! gives up) resumes where it left off and loses nothing.

pub mod fetch;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use reqwest::Url;
use signpost_feeds::{Entry, Rejection, jsonld, openactive, oruk};
use signpost_ingest::{BatchExtras, Ingest, IngestError, Source, SourceKind, Summary};
use signpost_store::LinkKind;

pub use fetch::{FetchConfig, FetchError, Fetched, Fetcher, Validators};

/// What to read a URL as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An RPDE feed, or a dataset site that lists feeds.
    OpenActive,
    /// An Open Referral UK API (its base URL, or its `/services` URL).
    Oruk,
    /// A provider's web page carrying schema.org JSON-LD.
    Website,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "openactive" | "rpde" => Some(Kind::OpenActive),
            "oruk" | "openreferral" | "open-referral" => Some(Kind::Oruk),
            "website" | "web" | "jsonld" => Some(Kind::Website),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::OpenActive => "openactive",
            Kind::Oruk => "oruk",
            Kind::Website => "website",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CrawlError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error("{0}")]
    Feed(String),
}

/// How far one run may go.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Pages fetched per source per run; the next run carries on from there.
    pub max_pages: usize,
    /// Services asked for per ORUK page.
    pub per_page: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_pages: 1000,
            per_page: 50,
        }
    }
}

/// What happened to one source.
#[derive(Debug)]
pub struct SourceReport {
    pub url: String,
    pub summary: Summary,
    /// Why the run stopped before the end of the source, if it did. What was read before
    /// that is kept.
    pub stopped: Option<String>,
}

impl SourceReport {
    /// Whether the source gave nothing usable: not one listing added, updated, seen
    /// unchanged, withdrawn or kept waiting, and the run stopped early (a 500, a page that
    /// is not JSON, JSON that is not a feed). A scheduled job should hear about it. A feed
    /// that is read to its end is not a failure, even when Signpost refuses its items.
    pub fn failed(&self) -> bool {
        let s = &self.summary;
        let usable = s.added + s.updated + s.unchanged + s.withdrawn + s.waiting;
        usable == 0 && self.stopped.is_some()
    }
}

/// Told after every page, for a progress display.
pub type ProgressFn = Arc<dyn Fn(&str, &Summary) + Send + Sync>;

pub struct Crawler {
    fetcher: Fetcher,
    ingest: Arc<Mutex<Ingest>>,
    limits: Limits,
    progress: Option<ProgressFn>,
}

impl std::fmt::Debug for Crawler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Crawler")
            .field("limits", &self.limits)
            .finish()
    }
}

impl Crawler {
    pub fn new(fetcher: Fetcher, ingest: Ingest, limits: Limits) -> Self {
        Crawler {
            fetcher,
            ingest: Arc::new(Mutex::new(ingest)),
            limits,
            progress: None,
        }
    }

    pub fn with_progress(mut self, progress: ProgressFn) -> Self {
        self.progress = Some(progress);
        self
    }

    /// Runs a blocking step of the ingester (SQLite) off the async workers.
    async fn ingest<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Ingest) -> Result<T, IngestError> + Send + 'static,
    ) -> Result<T, CrawlError> {
        let ingest = self.ingest.clone();
        let joined = tokio::task::spawn_blocking(move || {
            let mut ingest = ingest.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut ingest)
        })
        .await;
        match joined {
            Ok(r) => Ok(r?),
            Err(e) => Err(CrawlError::Feed(format!("the import step failed: {e}"))),
        }
    }

    fn tell(&self, url: &str, summary: &Summary) {
        if let Some(p) = &self.progress {
            p(url, summary);
        }
    }

    /// Crawls one URL as the given kind. A dataset site can list several feeds; each is
    /// its own source with its own report.
    pub async fn crawl(&self, kind: Kind, url: &str) -> Vec<SourceReport> {
        let parsed = match fetch::parse_url(url) {
            Ok(u) => u,
            Err(e) => return vec![report(url, Summary::default(), Some(e.to_string()))],
        };
        match kind {
            Kind::OpenActive => self.openactive(parsed).await,
            Kind::Oruk => vec![self.oruk(parsed).await],
            Kind::Website => vec![self.website(parsed).await],
        }
    }

    async fn openactive(&self, start: Url) -> Vec<SourceReport> {
        let source = Source {
            url: start.to_string(),
            kind: SourceKind::OpenActive,
        };
        let resume = {
            let s = source.clone();
            self.ingest(move |i| i.cursor(&s)).await
        };
        let resume = match resume {
            Ok(r) => r.and_then(|c| Url::parse(&c).ok()),
            Err(e) => return vec![report(&source.url, Summary::default(), Some(e.to_string()))],
        };
        if let Some(cursor) = resume {
            return vec![self.rpde(&source, cursor, None).await];
        }
        // A first visit: the URL may be a feed, or a dataset site that lists feeds.
        let (first, landed) = match self.fetch_allowed(&start, None).await {
            Ok(Fetched::Body { text, url, .. }) => (text, url),
            Ok(Fetched::NotModified) => (String::new(), start.clone()),
            Err(e) => return vec![report(&source.url, Summary::default(), Some(e.to_string()))],
        };
        match openactive::parse_page(&first) {
            // Its links are read from where it was found, after redirects.
            Ok(page) => vec![self.rpde(&source, landed, Some(page)).await],
            Err(page_problem) => {
                let feeds = discover_feeds(&first);
                if feeds.is_empty() {
                    return vec![report(
                        &source.url,
                        fetched(1),
                        Some(format!(
                            "{}: not an RPDE feed page ({page_problem}), and no dataset feeds were found in it",
                            source.url
                        )),
                    )];
                }
                let mut reports = Vec::new();
                for feed in feeds {
                    match Url::parse(&feed).or_else(|_| start.join(&feed)) {
                        Ok(u) => {
                            let s = Source {
                                url: u.to_string(),
                                kind: SourceKind::OpenActive,
                            };
                            let cursor = {
                                let s = s.clone();
                                self.ingest(move |i| i.cursor(&s)).await.ok().flatten()
                            };
                            let from = cursor.and_then(|c| Url::parse(&c).ok()).unwrap_or(u);
                            reports.push(Box::pin(self.rpde(&s, from, None)).await);
                        }
                        Err(_) => reports.push(report(
                            &feed,
                            Summary::default(),
                            Some(format!(
                                "the dataset lists '{feed}', which is not a web address"
                            )),
                        )),
                    }
                }
                reports
            }
        }
    }

    async fn fetch_allowed(
        &self,
        url: &Url,
        v: Option<&Validators>,
    ) -> Result<Fetched, FetchError> {
        if !self.fetcher.allowed(url).await {
            return Err(FetchError::Disallowed {
                url: url.to_string(),
            });
        }
        self.fetcher.get(url, v).await
    }

    /// Walks an RPDE feed from `url`, following `next` exactly, until the last page (no
    /// items and `next` the same as the page's own URL) or the page limit.
    async fn rpde(
        &self,
        source: &Source,
        mut url: Url,
        mut first: Option<openactive::RpdePage>,
    ) -> SourceReport {
        let mut summary = Summary::default();
        let mut pages = 0;
        // Pages read and items met this run: a feed whose `next` leads back, or whose
        // pages only repeat what came before, ends the run instead of looping.
        let mut visited: HashSet<Url> = HashSet::new();
        let mut met: HashSet<(String, openactive::Modified)> = HashSet::new();
        loop {
            if pages >= self.limits.max_pages {
                return report(
                    &source.url,
                    summary,
                    Some(format!(
                        "stopped after {pages} pages (the limit for one run); the next run carries on from there"
                    )),
                );
            }
            let page = match first.take() {
                Some(p) => p,
                None => match self.fetch_allowed(&url, None).await {
                    // A page's links are read from where it was found, after redirects.
                    Ok(Fetched::Body {
                        text, url: landed, ..
                    }) => match openactive::parse_page(&text).inspect(|_| url = landed) {
                        Ok(p) => p,
                        Err(e) => {
                            summary.fetched += 1;
                            return report(&source.url, summary, Some(format!("{url}: {e}")));
                        }
                    },
                    Ok(Fetched::NotModified) => break,
                    Err(e) => return report(&source.url, summary, Some(e.to_string())),
                },
            };
            pages += 1;
            summary.fetched += 1;
            visited.insert(url.clone());
            let new_items = page
                .items
                .iter()
                .filter(|i| met.insert((i.id.clone(), i.modified.clone())))
                .count();
            if !page.items.is_empty() && new_items == 0 {
                return report(
                    &source.url,
                    summary,
                    Some(format!(
                        "{url}: the page repeats items already read this run; the feed's paging is broken"
                    )),
                );
            }
            let next = match Url::parse(&page.next).or_else(|_| url.join(&page.next)) {
                Ok(n) => n,
                Err(_) => {
                    return report(
                        &source.url,
                        summary,
                        Some(format!(
                            "{url}: the page's next link '{}' is not a web address",
                            page.next
                        )),
                    );
                }
            };
            // The RPDE end of a feed: a page whose `next` is the page itself. Its items (if
            // any) are applied once; the next run asks the same page again for news.
            let last = next == url;
            if !last && visited.contains(&next) {
                return report(
                    &source.url,
                    summary,
                    Some(format!(
                        "{url}: its next link leads back to {next}, already read this run; the feed's paging is broken"
                    )),
                );
            }
            let s = source.clone();
            let cursor = Some(next.to_string());
            let applied = self.ingest(move |i| i.apply_rpde(&s, &page, cursor)).await;
            match applied {
                Ok(done) => summary.absorb(done),
                Err(e) => return report(&source.url, summary, Some(e.to_string())),
            }
            self.tell(&source.url, &summary);
            if last {
                break;
            }
            url = next;
        }
        report(&source.url, summary, None)
    }

    async fn oruk(&self, given: Url) -> SourceReport {
        let base = oruk_base(&given);
        let source = Source {
            url: base.to_string(),
            kind: SourceKind::Oruk,
        };
        let mut summary = Summary::default();
        let mut seen: HashSet<String> = HashSet::new();
        // Services with no id, by their whole text.
        let mut met: HashSet<String> = HashSet::new();
        let mut page_number = 1;
        loop {
            if page_number > self.limits.max_pages {
                return report(
                    &source.url,
                    summary,
                    Some(format!(
                        "stopped after {} pages (the limit for one run)",
                        self.limits.max_pages
                    )),
                );
            }
            let mut list = base.clone();
            list.path_segments_mut()
                .map(|mut p| {
                    p.pop_if_empty().push("services");
                })
                .ok();
            list.query_pairs_mut()
                .append_pair("page", &page_number.to_string())
                .append_pair("per_page", &self.limits.per_page.to_string());
            let page = match self.fetch_allowed(&list, None).await {
                Ok(Fetched::Body { text, .. }) => match oruk::parse_services(&text) {
                    Ok(p) => p,
                    Err(e) => {
                        summary.fetched += 1;
                        return report(&source.url, summary, Some(format!("{list}: {e}")));
                    }
                },
                Ok(Fetched::NotModified) => break,
                Err(e) => return report(&source.url, summary, Some(e.to_string())),
            };
            summary.fetched += 1;
            // A page that brings no service this run has not met (an API that repeats its
            // first page, or claims a million pages) ends the run: what it read is kept,
            // and nothing is withdrawn, since the list was not read whole.
            let fresh = page
                .services
                .iter()
                .filter(|s| match service_id(s) {
                    Some(id) => !seen.contains(&id),
                    None => met.insert(s.to_string()),
                })
                .count();
            if !page.services.is_empty() && fresh == 0 {
                return report(
                    &source.url,
                    summary,
                    Some(format!(
                        "{list}: page {page_number} repeats services already read; the API's paging is broken"
                    )),
                );
            }
            let mut entries = Vec::new();
            for service in &page.services {
                let id = service_id(service);
                if let Some(id) = &id
                    && !seen.insert(id.clone())
                {
                    // Already read (and its details fetched) this run.
                    continue;
                }
                if oruk::is_full(service) || id.is_none() {
                    entries.push(oruk::map_service(service));
                    continue;
                }
                let id = id.unwrap_or_default();
                let mut one = base.clone();
                one.path_segments_mut()
                    .map(|mut p| {
                        p.pop_if_empty().push("services").push(&id);
                    })
                    .ok();
                summary.fetched += 1;
                match self.fetch_allowed(&one, None).await {
                    Ok(Fetched::Body { text, .. }) => match oruk::parse_services(&text) {
                        Ok(full) => entries.extend(full.services.iter().map(oruk::map_service)),
                        Err(e) => entries
                            .push(Entry::Rejected(Rejection::new(format!("service {id}"), e))),
                    },
                    Ok(Fetched::NotModified) => entries.push(oruk::map_service(service)),
                    Err(e) => entries.push(Entry::Rejected(Rejection::new(
                        format!("service {id}"),
                        e.to_string(),
                    ))),
                }
            }
            let s = source.clone();
            match self
                .ingest(move |i| i.apply(&s, entries, BatchExtras::default()))
                .await
            {
                Ok(done) => summary.absorb(done),
                Err(e) => return report(&source.url, summary, Some(e.to_string())),
            }
            self.tell(&source.url, &summary);
            if !page.has_more() || page.services.is_empty() {
                break;
            }
            page_number += 1;
        }
        // The whole list was read: services it no longer holds have gone.
        match self.withdraw_unseen(&source, seen).await {
            Ok(done) => summary.absorb(done),
            Err(e) => return report(&source.url, summary, Some(e.to_string())),
        }
        report(&source.url, summary, None)
    }

    /// After a complete read of a source that has no deletion feed, withdraws the listings
    /// it made before that it no longer lists.
    async fn withdraw_unseen(
        &self,
        source: &Source,
        seen: HashSet<String>,
    ) -> Result<Summary, CrawlError> {
        let s = source.clone();
        self.ingest(move |i| {
            let gone: Vec<Entry> = i
                .store()
                .links_of(&s.url, LinkKind::Activity)?
                .into_iter()
                .filter(|l| !seen.contains(&l.source_id))
                .map(|l| Entry::Deleted {
                    source_id: l.source_id,
                })
                .collect();
            if gone.is_empty() {
                return Ok(Summary::default());
            }
            i.apply(&s, gone, BatchExtras::default())
        })
        .await
    }

    async fn website(&self, url: Url) -> SourceReport {
        let source = Source {
            url: url.to_string(),
            kind: SourceKind::Website,
        };
        let validators = {
            let u = source.url.clone();
            self.ingest(move |i| Ok(i.store().http_validators(&u)?))
                .await
        };
        let validators = match validators {
            Ok((etag, last_modified)) => Validators {
                etag,
                last_modified,
            },
            Err(e) => return report(&source.url, Summary::default(), Some(e.to_string())),
        };
        let (text, etag, last_modified) = match self.fetch_allowed(&url, Some(&validators)).await {
            Ok(Fetched::Body {
                text,
                etag,
                last_modified,
                ..
            }) => (text, etag, last_modified),
            Ok(Fetched::NotModified) => {
                let mut summary = fetched(1);
                // Unchanged since last time: its listings are as they were.
                summary.unchanged += 1;
                return report(&source.url, summary, None);
            }
            Err(e) => return report(&source.url, Summary::default(), Some(e.to_string())),
        };
        let entries = jsonld::read_page(url.as_str(), &text);
        let seen: HashSet<String> = entries
            .iter()
            .filter_map(|e| match e {
                Entry::Item(d) => Some(d.source_id.clone()),
                _ => None,
            })
            .collect();
        let s = source.clone();
        let mut summary = match self
            .ingest(move |i| {
                let done = i.apply(&s, entries, BatchExtras::default())?;
                if !i.is_dry_run() {
                    i.store().set_http_validators(
                        &s.url,
                        etag.as_deref(),
                        last_modified.as_deref(),
                    )?;
                }
                Ok(done)
            })
            .await
        {
            Ok(s) => s,
            Err(e) => return report(&source.url, fetched(1), Some(e.to_string())),
        };
        summary.fetched += 1;
        match self.withdraw_unseen(&source, seen).await {
            Ok(done) => summary.absorb(done),
            Err(e) => return report(&source.url, summary, Some(e.to_string())),
        }
        self.tell(&source.url, &summary);
        report(&source.url, summary, None)
    }
}

fn report(url: &str, summary: Summary, stopped: Option<String>) -> SourceReport {
    SourceReport {
        url: url.to_owned(),
        summary,
        stopped,
    }
}

fn fetched(n: usize) -> Summary {
    Summary {
        fetched: n,
        ..Summary::default()
    }
}

/// The API's base: `https://x/api/services?page=2` → `https://x/api/`.
fn oruk_base(given: &Url) -> Url {
    let mut base = given.clone();
    base.set_query(None);
    base.set_fragment(None);
    let path = base.path().trim_end_matches('/').to_owned();
    let path = path.strip_suffix("/services").unwrap_or(&path).to_owned();
    base.set_path(&format!("{path}/"));
    base
}

fn service_id(service: &serde_json::Value) -> Option<String> {
    match service.get("id")? {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Feed URLs a dataset site lists, from its JSON-LD (embedded in HTML or served bare).
fn discover_feeds(text: &str) -> Vec<String> {
    let mut nodes = Vec::new();
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(text) {
        nodes.extend(jsonld::nodes(&v));
    } else {
        for block in jsonld::blocks(text).into_iter().flatten() {
            nodes.extend(jsonld::nodes(&block));
        }
    }
    openactive::dataset_feeds(&nodes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oruk_base_accepts_the_api_root_or_its_services_url() {
        for given in [
            "https://api.example.org/v3",
            "https://api.example.org/v3/",
            "https://api.example.org/v3/services",
            "https://api.example.org/v3/services?page=4",
        ] {
            assert_eq!(
                oruk_base(&Url::parse(given).unwrap()).as_str(),
                "https://api.example.org/v3/"
            );
        }
    }
}
