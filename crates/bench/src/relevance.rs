//! Does search find what people ask for? The judged queries in `bench/relevance/*.toml` (see
//! its README: the words people use, with graded judgments of the sample listings) asked of
//! an engine, scored by nDCG@10 and the zero-result rate.
//!
//! Signpost is asked as its search page asks ([`SignpostRanker`]): the words are read for
//! filters first (`Directory::understand_query`), then searched, on the sample directory at
//! the moment the judgments were made.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;
use chrono::{DateTime, TimeZone, Utc};
use serde::Deserialize;
use signpost_directory::{Directory, SearchParams, params};
use signpost_model::Coordinates;

/// Results that count, as on the first page a person sees.
pub const DEPTH: usize = 10;

/// One query and its judgments.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Judged {
    pub id: String,
    pub asked_by: String,
    /// What is typed in the "What" box.
    pub q: String,
    /// What is typed in the "Where" box ("" for nothing).
    #[serde(default)]
    pub near: String,
    /// Activity id to grade (1 to 3); any other listing is 0.
    #[serde(default)]
    pub judged: BTreeMap<String, u8>,
}

impl Judged {
    /// Whether something exactly right (grade 3) exists: then an empty answer is a failure.
    pub fn has_exact(&self) -> bool {
        self.judged.values().any(|g| *g >= 3)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    query: Vec<Judged>,
}

/// Every judged query in `dir` (each `*.toml`, in name order), with its grades checked.
pub fn load(dir: &Path) -> anyhow::Result<Vec<Judged>> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    let mut all = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path)?;
        let file: File =
            toml::from_str(&text).with_context(|| format!("reading {}", path.display()))?;
        for q in &file.query {
            if let Some((id, g)) = q.judged.iter().find(|(_, g)| !(1..=3).contains(*g)) {
                anyhow::bail!(
                    "{}: {}: {id} has grade {g}, not 1 to 3",
                    path.display(),
                    q.id
                );
            }
        }
        all.extend(file.query);
    }
    Ok(all)
}

/// Normalised discounted cumulative gain of `ranked` over its first [`DEPTH`] places, with
/// gain 2^grade - 1: 1 when the best judged listings come first in the best order, 0 when
/// none of the first ten is judged. A query with no judged listing scores 1 for an empty
/// answer and 0 otherwise (something was shown where nothing fits).
pub fn ndcg(ranked: &[String], judged: &BTreeMap<String, u8>) -> f64 {
    let gain = |g: u8| f64::from((1u32 << g) - 1);
    let discount = |i: usize| (i as f64 + 2.0).log2();
    // Summing nothing gives -0.0: start from +0.0 so a miss prints as 0.
    let dcg = 0.0
        + ranked
            .iter()
            .take(DEPTH)
            .enumerate()
            .map(|(i, id)| gain(judged.get(id).copied().unwrap_or(0)) / discount(i))
            .sum::<f64>();
    let mut best: Vec<u8> = judged.values().copied().collect();
    best.sort_unstable_by(|a, b| b.cmp(a));
    let ideal: f64 = best
        .iter()
        .take(DEPTH)
        .enumerate()
        .map(|(i, g)| gain(*g) / discount(i))
        .sum();
    if ideal == 0.0 {
        if ranked.is_empty() { 1.0 } else { 0.0 }
    } else {
        dcg / ideal
    }
}

/// An engine asked the judged queries.
pub trait Ranker {
    fn name(&self) -> &str;
    /// The ids on the first page for `q`, best first; empty when nothing is found (or the
    /// search is refused, as a person would see it).
    fn rank(&self, q: &Judged) -> anyhow::Result<Vec<String>>;
}

impl<T: Ranker + ?Sized> Ranker for std::rc::Rc<T> {
    fn name(&self) -> &str {
        (**self).name()
    }

    fn rank(&self, q: &Judged) -> anyhow::Result<Vec<String>> {
        (**self).rank(q)
    }
}

/// How one engine did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scores {
    pub engine: String,
    pub queries: usize,
    /// Mean nDCG@10 over every query.
    pub ndcg: f64,
    /// Queries with something exactly right, and of those, how many found nothing at all.
    pub answerable: usize,
    pub empty_answerable: usize,
    /// The ids of the answerable queries that found nothing.
    pub empty_ids: Vec<String>,
    /// Mean nDCG@10 per kind of asker.
    pub by_asker: BTreeMap<String, (usize, f64)>,
}

impl Scores {
    /// The share of answerable queries that found nothing.
    pub fn zero_rate(&self) -> f64 {
        if self.answerable == 0 {
            0.0
        } else {
            self.empty_answerable as f64 / self.answerable as f64
        }
    }
}

/// Asks every query of `ranker`.
pub fn score(ranker: &dyn Ranker, queries: &[Judged]) -> anyhow::Result<Scores> {
    let mut s = Scores {
        engine: ranker.name().to_owned(),
        queries: queries.len(),
        ..Scores::default()
    };
    let mut total = 0.0;
    for q in queries {
        let ranked = ranker
            .rank(q)
            .with_context(|| format!("{}: {}", q.id, q.q))?;
        let n = ndcg(&ranked, &q.judged);
        total += n;
        let asker = s.by_asker.entry(q.asked_by.clone()).or_default();
        asker.0 += 1;
        asker.1 += n;
        if q.has_exact() {
            s.answerable += 1;
            if ranked.is_empty() {
                s.empty_answerable += 1;
                s.empty_ids.push(q.id.clone());
            }
        }
    }
    s.ndcg = total / queries.len().max(1) as f64;
    for (n, sum) in s.by_asker.values_mut() {
        *sum /= (*n).max(1) as f64;
    }
    Ok(s)
}

/// The moment the judgments were made: Wednesday 25 November 2026, 12:00 in London.
pub fn judged_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0)
        .single()
        .unwrap_or_default()
}

/// Signpost on the sample directory, asked as its search page asks.
pub struct SignpostRanker {
    directory: Directory,
    _dirs: tempfile::TempDir,
}

impl SignpostRanker {
    /// Loads `seed` (a Signpost directory file) into a new data directory.
    pub fn build(seed: &Path) -> anyhow::Result<Self> {
        let dirs = tempfile::tempdir()?;
        let (directory, _) =
            Directory::open(&dirs.path().join("data"), &dirs.path().join("index"))?;
        let directory = directory.with_clock(Arc::new(judged_at));
        signpost_ingest::Ingest::new(directory.backend(), judged_at())
            .load_directory_files(true)
            .import_path(seed)?;
        directory.catch_up()?;
        Ok(SignpostRanker {
            directory,
            _dirs: dirs,
        })
    }
}

impl SignpostRanker {
    /// Where `near` is and how far around it Signpost searches by default, as the search
    /// page would place it; `None` for a place it does not know.
    pub fn place(&self, near: &str) -> Option<(Coordinates, f64)> {
        let params = SearchParams::parse(&[("near".to_owned(), near.to_owned())]).ok()?;
        let located = self.directory.locate(params.place.as_ref()?).ok()?;
        Some((
            located.coordinates,
            located.radius_km.unwrap_or(params::DEFAULT_RADIUS_KM),
        ))
    }
}

impl Ranker for SignpostRanker {
    fn name(&self) -> &str {
        "Signpost"
    }

    fn rank(&self, q: &Judged) -> anyhow::Result<Vec<String>> {
        let mut asked = vec![("q".to_owned(), q.q.clone())];
        if !q.near.trim().is_empty() {
            asked.push(("near".to_owned(), q.near.clone()));
        }
        // As the page does: words that name filters become them, then the search runs.
        let pairs = self.directory.understand_query(&asked)?.unwrap_or(asked);
        let Ok(params) = SearchParams::parse(&pairs) else {
            return Ok(Vec::new());
        };
        let outcome = match self.directory.find(params) {
            Ok(o) => o,
            // A place the directory cannot find is an answer with nothing in it.
            Err(signpost_directory::DirectoryError::Param(_)) => return Ok(Vec::new()),
            Err(e) => return Err(e.into()),
        };
        // Nothing within the radius: the page shows the nearest further away, on the same page.
        let hits = if outcome.results.total == 0 {
            self.directory.nearest_beyond(&outcome)?.hits
        } else {
            outcome.results.hits
        };
        Ok(hits
            .iter()
            .take(DEPTH)
            .map(|h| h.item.activity.id.to_string())
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grades(pairs: &[(&str, u8)]) -> BTreeMap<String, u8> {
        pairs.iter().map(|(k, g)| ((*k).to_owned(), *g)).collect()
    }

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn ndcg_is_one_for_the_ideal_order_and_falls_as_the_best_sink() {
        let j = grades(&[("a", 3), ("b", 2), ("c", 1)]);
        assert!((ndcg(&ids(&["a", "b", "c"]), &j) - 1.0).abs() < 1e-12);
        let swapped = ndcg(&ids(&["c", "b", "a"]), &j);
        assert!(swapped < 1.0 && swapped > 0.0);
        assert!(ndcg(&ids(&["x", "a", "b", "c"]), &j) < 1.0);
        assert_eq!(ndcg(&ids(&["x", "y"]), &j), 0.0);
        assert_eq!(ndcg(&[], &j), 0.0);
        // Beyond the tenth place nothing counts.
        let late: Vec<String> = (0..10)
            .map(|i| format!("x{i}"))
            .chain(ids(&["a"]))
            .collect();
        assert_eq!(ndcg(&late, &j), 0.0);
        // Nothing fits: an empty answer is right, anything shown is wrong.
        assert_eq!(ndcg(&[], &BTreeMap::new()), 1.0);
        assert_eq!(ndcg(&ids(&["x"]), &BTreeMap::new()), 0.0);
    }

    /// Not a tuning target (BENCHMARKS.md has the figures): a floor, so a change that makes
    /// people's words find nothing again fails here rather than in front of them.
    #[test]
    fn signpost_finds_something_for_nearly_every_answerable_query() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let queries = load(&root.join("bench/relevance")).unwrap();
        let signpost = SignpostRanker::build(&root.join("seed-data/directory.json")).unwrap();
        let s = score(&signpost, &queries).unwrap();
        assert!(s.zero_rate() <= 0.05, "{s:?}");
        assert!(s.ndcg >= 0.55, "{s:?}");
    }

    #[test]
    fn the_repository_query_set_reads_and_covers_every_kind_of_asker() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/relevance");
        let queries = load(&dir).unwrap();
        let mut ids = std::collections::HashSet::new();
        for q in &queries {
            assert!(ids.insert(q.id.clone()), "{} twice", q.id);
            assert!(
                ["young person", "parent", "link worker"].contains(&q.asked_by.as_str()),
                "{}: {}",
                q.id,
                q.asked_by
            );
            assert!(!q.q.trim().is_empty(), "{}", q.id);
        }
    }
}
