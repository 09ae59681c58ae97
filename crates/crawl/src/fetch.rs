//! Polite HTTP: one request at a time per host at a set pace, timeouts, retries with
//! exponential backoff, `Retry-After`, a size cap, limited redirects, conditional requests
//! and robots.txt.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::header::{
    ETAG, HeaderMap, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, RETRY_AFTER,
};
use reqwest::{StatusCode, Url};
use tokio::time::Instant;

/// How the crawler behaves towards the sites it reads.
#[derive(Clone, Debug)]
pub struct FetchConfig {
    /// Sent with every request, so site owners know who is asking and how to reach us.
    pub user_agent: String,
    /// The product token robots.txt rules are matched against.
    pub robots_token: String,
    /// The least time between two requests to the same host.
    pub min_interval: Duration,
    pub connect_timeout: Duration,
    /// How long to wait for the response (and each part of its body).
    pub read_timeout: Duration,
    /// How long one whole response may take, headers and body together: a body trickled a
    /// byte at a time, or one that never ends, is given up on after this.
    pub total_timeout: Duration,
    /// Attempts after the first, on timeouts, connection failures, 5xx and 429.
    pub retries: u32,
    /// The first backoff; it doubles with each retry.
    pub backoff: Duration,
    /// A `Retry-After` longer than this ends the run for that source rather than waiting.
    pub max_retry_after: Duration,
    /// Responses larger than this are refused.
    pub max_bytes: usize,
    pub max_redirects: usize,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            user_agent: format!(
                "SignpostBot/{} (+https://github.com/signpost-directory; a directory of activities for young people)",
                env!("CARGO_PKG_VERSION")
            ),
            robots_token: "SignpostBot".to_owned(),
            min_interval: Duration::from_millis(1000),
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            total_timeout: Duration::from_secs(60),
            retries: 3,
            backoff: Duration::from_secs(2),
            max_retry_after: Duration::from_secs(300),
            max_bytes: 20 * 1024 * 1024,
            max_redirects: 5,
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FetchError {
    #[error("{url} is gone (HTTP {status}): stopped")]
    Gone { url: String, status: u16 },
    #[error("{url} answered HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("{url} asked us to wait {seconds} s before trying again: try later")]
    ComeBackLater { url: String, seconds: u64 },
    #[error("{url} is larger than the {limit} byte limit")]
    TooLarge { url: String, limit: usize },
    #[error("{url} did not answer in time")]
    Timeout { url: String },
    #[error("{url}: too many redirects (more than {0})", .limit)]
    Redirects { url: String, limit: usize },
    #[error("robots.txt does not allow us to read {url}")]
    Disallowed { url: String },
    #[error("{url}: {message}")]
    Network { url: String, message: String },
    #[error("'{0}' is not a web address we can fetch (use http:// or https://)")]
    BadUrl(String),
}

/// A response body, or word that it has not changed since last time.
#[derive(Debug)]
pub enum Fetched {
    Body {
        /// Where the body came from after redirects.
        url: Url,
        text: String,
        content_type: Option<String>,
        etag: Option<String>,
        last_modified: Option<String>,
    },
    NotModified,
}

/// Validators from an earlier fetch, sent so an unchanged page costs a 304.
#[derive(Clone, Debug, Default)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// Fetches pages. Clone freely: clones share the per-host pacing and the robots cache.
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    config: Arc<FetchConfig>,
    /// One lock per host: held for the whole request, so requests to a host never overlap,
    /// and holding the time the next request may start.
    hosts: Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<Instant>>>>>,
    /// robots.txt bodies by origin ("" means no rules: everything allowed; None means
    /// nothing allowed).
    robots: Arc<Mutex<HashMap<String, Option<String>>>>,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher")
            .field("config", &self.config)
            .finish()
    }
}

enum Attempt {
    Done(Fetched),
    /// A redirect to follow (the fetcher follows them itself, to ask each new site's
    /// robots.txt first).
    Moved(Url),
    Retry {
        after: Option<Duration>,
        why: FetchError,
    },
    Fail(FetchError),
}

pub fn parse_url(s: &str) -> Result<Url, FetchError> {
    match Url::parse(s.trim()) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => Ok(u),
        _ => Err(FetchError::BadUrl(s.chars().take(200).collect())),
    }
}

/// `Retry-After` as seconds or an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

fn header(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

impl Fetcher {
    pub fn new(config: FetchConfig) -> Result<Self, FetchError> {
        // reqwest is built without a default crypto provider (to avoid a second, C-built
        // one): ring is installed once per process. An error means one is already set.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .connect_timeout(config.connect_timeout)
            .read_timeout(config.read_timeout)
            // Redirects are followed by `get`, which reads robots.txt where it lands first.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| FetchError::Network {
                url: String::new(),
                message: format!("could not set up HTTP: {e}"),
            })?;
        Ok(Fetcher {
            client,
            config: Arc::new(config),
            hosts: Arc::default(),
            robots: Arc::default(),
        })
    }

    pub fn config(&self) -> &FetchConfig {
        &self.config
    }

    fn host_lock(&self, url: &Url) -> Arc<tokio::sync::Mutex<Instant>> {
        let key = format!(
            "{}:{}",
            url.host_str().unwrap_or(""),
            url.port_or_known_default().unwrap_or(0)
        );
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        hosts
            .entry(key)
            .or_insert_with(|| Arc::new(tokio::sync::Mutex::new(Instant::now())))
            .clone()
    }

    /// GETs `url`, politely, retrying what is worth retrying and following redirects: each
    /// page a redirect leads to is read only if its site's robots.txt allows it, read before
    /// the page is asked for.
    pub async fn get(
        &self,
        url: &Url,
        validators: Option<&Validators>,
    ) -> Result<Fetched, FetchError> {
        self.follow(url, validators, true).await
    }

    /// As [`Fetcher::get`]; `robots` false for robots.txt itself (RFC 9309 follows its
    /// redirects without asking).
    async fn follow(
        &self,
        url: &Url,
        validators: Option<&Validators>,
        robots: bool,
    ) -> Result<Fetched, FetchError> {
        let mut at = url.clone();
        for _ in 0..=self.config.max_redirects {
            match self.get_one(&at, validators).await? {
                Err(fetched) => return Ok(fetched),
                Ok(to) => {
                    if !matches!(to.scheme(), "http" | "https") {
                        return Err(FetchError::Network {
                            url: at.to_string(),
                            message: format!("redirects to {to}, which is not a web address"),
                        });
                    }
                    if robots && !Box::pin(self.allowed(&to)).await {
                        return Err(FetchError::Disallowed {
                            url: to.to_string(),
                        });
                    }
                    at = to;
                }
            }
        }
        Err(FetchError::Redirects {
            url: url.to_string(),
            limit: self.config.max_redirects,
        })
    }

    /// One request (with its retries): `Err` holds the answer, `Ok` where it redirects to.
    async fn get_one(
        &self,
        url: &Url,
        validators: Option<&Validators>,
    ) -> Result<Result<Url, Fetched>, FetchError> {
        let mut backoff = self.config.backoff;
        let mut attempt = 0;
        loop {
            let outcome = {
                let lock = self.host_lock(url);
                let mut next_allowed = lock.lock().await;
                tokio::time::sleep_until(*next_allowed).await;
                let outcome = match tokio::time::timeout(
                    self.config.total_timeout,
                    self.attempt(url, validators),
                )
                .await
                {
                    Ok(outcome) => outcome,
                    Err(_) => Attempt::Retry {
                        after: None,
                        why: FetchError::Timeout {
                            url: url.to_string(),
                        },
                    },
                };
                *next_allowed = Instant::now() + self.config.min_interval;
                outcome
            };
            match outcome {
                Attempt::Done(f) => return Ok(Err(f)),
                Attempt::Moved(to) => return Ok(Ok(to)),
                Attempt::Fail(e) => return Err(e),
                Attempt::Retry { after, why } => {
                    if attempt >= self.config.retries {
                        return Err(why);
                    }
                    attempt += 1;
                    let wait = match after {
                        Some(d) if d > self.config.max_retry_after => {
                            return Err(FetchError::ComeBackLater {
                                url: url.to_string(),
                                seconds: d.as_secs(),
                            });
                        }
                        Some(d) => d.max(backoff),
                        None => backoff,
                    };
                    tracing::info!(%url, %why, wait_ms = wait.as_millis() as u64, "retrying");
                    tokio::time::sleep(wait).await;
                    backoff = backoff.saturating_mul(2);
                }
            }
        }
    }

    async fn attempt(&self, url: &Url, validators: Option<&Validators>) -> Attempt {
        let shown = url.to_string();
        let mut request = self.client.get(url.clone());
        if let Some(v) = validators {
            if let Some(etag) = &v.etag {
                request = request.header(IF_NONE_MATCH, etag);
            }
            if let Some(lm) = &v.last_modified {
                request = request.header(IF_MODIFIED_SINCE, lm);
            }
        }
        let response = match request.send().await {
            Ok(r) => r,
            Err(e) => return self.transport_error(shown, e),
        };
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED {
            return Attempt::Done(Fetched::NotModified);
        }
        if status == StatusCode::NOT_FOUND || status == StatusCode::GONE {
            return Attempt::Fail(FetchError::Gone {
                url: shown,
                status: status.as_u16(),
            });
        }
        if status == StatusCode::TOO_MANY_REQUESTS
            || status == StatusCode::SERVICE_UNAVAILABLE
            || status.is_server_error()
        {
            return Attempt::Retry {
                after: retry_after(response.headers()),
                why: FetchError::Status {
                    url: shown,
                    status: status.as_u16(),
                },
            };
        }
        if status.is_redirection()
            && let Some(to) = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .and_then(|l| url.join(l).ok())
        {
            return Attempt::Moved(to);
        }
        if !status.is_success() {
            return Attempt::Fail(FetchError::Status {
                url: shown,
                status: status.as_u16(),
            });
        }
        let limit = self.config.max_bytes;
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Attempt::Fail(FetchError::TooLarge { url: shown, limit });
        }
        let final_url = response.url().clone();
        let headers = response.headers().clone();
        let mut response = response;
        let mut body: Vec<u8> = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > limit {
                        return Attempt::Fail(FetchError::TooLarge { url: shown, limit });
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return self.transport_error(shown, e),
            }
        }
        Attempt::Done(Fetched::Body {
            url: final_url,
            text: String::from_utf8_lossy(&body).into_owned(),
            content_type: header(&headers, reqwest::header::CONTENT_TYPE),
            etag: header(&headers, ETAG),
            last_modified: header(&headers, LAST_MODIFIED),
        })
    }

    fn transport_error(&self, url: String, e: reqwest::Error) -> Attempt {
        if e.is_redirect() {
            return Attempt::Fail(FetchError::Redirects {
                url,
                limit: self.config.max_redirects,
            });
        }
        if e.is_timeout() {
            return Attempt::Retry {
                after: None,
                why: FetchError::Timeout { url },
            };
        }
        // Connection refused or reset, a body cut off: worth another try.
        let mut message = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            message = format!("{message}: {s}");
            source = s.source();
        }
        Attempt::Retry {
            after: None,
            why: FetchError::Network { url, message },
        }
    }

    /// Whether robots.txt lets us read `url`. Fetched once per origin per run; a missing
    /// robots.txt (404) allows everything, one that cannot be read (5xx, no answer) allows
    /// nothing, as RFC 9309 asks.
    pub async fn allowed(&self, url: &Url) -> bool {
        let origin = url.origin().ascii_serialization();
        let cached = {
            let robots = self.robots.lock().unwrap_or_else(|p| p.into_inner());
            robots.get(&origin).cloned()
        };
        let rules = match cached {
            Some(rules) => rules,
            None => {
                let rules = match url.join("/robots.txt") {
                    Ok(robots_url) => match self.follow(&robots_url, None, false).await {
                        Ok(Fetched::Body { text, .. }) => Some(text),
                        Ok(Fetched::NotModified) => Some(String::new()),
                        Err(FetchError::Gone { .. }) => Some(String::new()),
                        Err(FetchError::Status { status, .. }) if (400..500).contains(&status) => {
                            Some(String::new())
                        }
                        Err(_) => None,
                    },
                    Err(_) => None,
                };
                self.robots
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(origin, rules.clone());
                rules
            }
        };
        match rules {
            None => false,
            Some(body) if body.trim().is_empty() => true,
            Some(body) => robotstxt::DefaultMatcher::default().one_agent_allowed_by_robots(
                &body,
                &self.config.robots_token,
                url.as_str(),
            ),
        }
    }
}
