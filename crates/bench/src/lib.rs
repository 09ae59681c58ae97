//! The benchmark harness: one synthetic directory, one fixed query mix, every engine.
//!
//! Each engine answers the same [`BenchQuery`] list. The brute-force scan ([`oracle`]) is the
//! correctness reference: every engine's total, category counts and (where the order is fully
//! defined) page of ids are compared with it, and disagreements are reported per class.
//!
//! What a query means is Signpost's search semantics, written down in [`oracle`]; the
//! baselines implement the same meaning in their own query languages.

use anyhow::Context;

pub mod baselines;
pub mod http;
pub mod mix;
pub mod oracle;
pub mod postgres;
pub mod relevance;
pub mod report;
mod shared;
pub mod signpost;
pub mod sqlite;
pub mod stats;
pub mod typesense;
pub mod typesense_relevance;

use std::collections::HashMap;

use signpost_model::Category;
use signpost_search::{IndexedActivity, ProviderSummary};
use signpost_synth::Synth;

pub use mix::{BenchQuery, Class};

/// What an engine returns for one query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Answer {
    /// Matches across all pages.
    pub total: usize,
    /// The requested page, as activity ids, in the engine's order.
    pub page: Vec<String>,
    /// For each category with at least one match: how many matches there would be with that
    /// category chosen, every other filter kept (the facet counts). Sorted by category.
    pub categories: Vec<(Category, usize)>,
}

/// A search engine under test. Built and loaded by its own constructor; `search` is called
/// from several threads at once.
pub trait Engine: Send + Sync {
    /// Short name used in tables ("signpost", "brute-force", "sqlite", ...).
    fn name(&self) -> &str;
    /// Answers one query of the mix.
    fn search(&self, q: &BenchQuery) -> anyhow::Result<Answer>;
}

/// What building an engine's index cost.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct BuildStats {
    /// Wall time to load and index every activity, in seconds.
    pub build_seconds: f64,
    /// Bytes on disk (database files, index directory); 0 when it lives in memory only.
    pub disk_bytes: u64,
}

/// Every synthetic activity with its provider's summary, as the index holds it: what the
/// engines other than Signpost load.
pub fn indexed(synth: &Synth) -> impl Iterator<Item = IndexedActivity> + '_ {
    let providers: HashMap<String, ProviderSummary> = synth
        .providers()
        .map(|p| {
            (
                p.id.as_str().to_owned(),
                ProviderSummary {
                    id: p.id,
                    name: p.name,
                    safeguarding: p.safeguarding,
                    verification: p.verification,
                },
            )
        })
        .collect();
    synth.activities().filter_map(move |activity| {
        let provider = providers.get(activity.provider_id.as_str())?.clone();
        Some(IndexedActivity { activity, provider })
    })
}

/// A directory size as written on the command line: `10000`, `100k` or `1m`.
pub fn parse_size(s: &str) -> anyhow::Result<usize> {
    let s = s.trim().to_ascii_lowercase();
    let (digits, scale) = if let Some(d) = s.strip_suffix('m') {
        (d, 1_000_000)
    } else if let Some(d) = s.strip_suffix('k') {
        (d, 1_000)
    } else {
        (s.as_str(), 1)
    };
    let n: usize = digits
        .parse()
        .with_context(|| format!("size {s:?}: expected a number like 10000, 100k or 1m"))?;
    anyhow::ensure!(n > 0, "size {s:?}: must be more than zero");
    Ok(n * scale)
}
