//! Typesense set up for relevance as a team would set it up from its documentation: the
//! listings' words in text fields weighted title first, its typo tolerance and token dropping
//! at their documented defaults (`num_typos` 2, `typo_tokens_threshold` 1,
//! `drop_tokens_threshold` 1), ended and withdrawn listings filtered out, and the place typed
//! in the "Where" box as a geo filter with Signpost's radius. The words are sent as typed:
//! Typesense has no reading of "on saturday" or "for my 9 year old". Unlike the speed
//! baseline ([`crate::typesense`]), nothing here imitates Signpost's matching: this is the
//! alternative a team would compare Signpost with.

use std::path::Path;

use anyhow::Context as _;
use serde_json::{Value, json};
use signpost_ingest::DirectoryFile;
use signpost_model::Coordinates;

use crate::relevance::{DEPTH, Judged, Ranker, judged_at};
use crate::typesense::Node;

const COLLECTION: &str = "listings";

/// Where a "Where" box entry is and how far around it to search.
pub type Locate = Box<dyn Fn(&str) -> Option<(Coordinates, f64)>>;

pub struct TypesenseRanker {
    locate: Locate,
    node: Node,
    _work: tempfile::TempDir,
}

impl TypesenseRanker {
    /// Starts a server (see `bench/setup.sh`) and loads the listings of `seed`.
    pub fn build(seed: &Path, locate: Locate) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(seed)?;
        let file = DirectoryFile::parse(&text).map_err(|e| anyhow::anyhow!("{e}"))?;
        let work = tempfile::tempdir()?;
        let node = Node::start(work.path())?;
        node.post(
            "/collections",
            &json!({
                "name": COLLECTION,
                "fields": [
                    {"name": "title", "type": "string"},
                    {"name": "terms", "type": "string[]"},
                    {"name": "categories", "type": "string[]"},
                    {"name": "description", "type": "string"},
                    {"name": "provider", "type": "string"},
                    {"name": "live", "type": "bool"},
                    {"name": "venues", "type": "geopoint[]", "optional": true},
                ],
            }),
        )?;
        let today = judged_at().date_naive();
        let docs: Vec<Value> = file
            .activities
            .iter()
            .map(|a| {
                let provider = file
                    .providers
                    .iter()
                    .find(|p| p.id == a.provider_id)
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                let venues: Vec<[f64; 2]> = a
                    .venues
                    .iter()
                    .map(|v| [v.coordinates.lat(), v.coordinates.lon()])
                    .collect();
                let mut doc = json!({
                    "id": a.id.as_str(),
                    "title": a.title,
                    "terms": a.terms,
                    "categories": a.categories.iter().map(|c| c.name()).collect::<Vec<_>>(),
                    "description": a.description,
                    "provider": provider,
                    "live": !a.withdrawn && !a.schedule.has_ended(today),
                });
                if !venues.is_empty() {
                    doc["venues"] = json!(venues);
                }
                doc
            })
            .collect();
        node.import(COLLECTION, &docs)
            .context("loading the listings into Typesense")?;
        Ok(TypesenseRanker {
            locate,
            node,
            _work: work,
        })
    }
}

impl Ranker for TypesenseRanker {
    fn name(&self) -> &str {
        "Typesense"
    }

    fn rank(&self, q: &Judged) -> anyhow::Result<Vec<String>> {
        let mut filter = "live:=true".to_owned();
        if !q.near.trim().is_empty() {
            match (self.locate)(&q.near) {
                Some((c, km)) => {
                    filter.push_str(&format!(" && venues:({}, {}, {km} km)", c.lat(), c.lon()))
                }
                // As on Signpost's page: a place that cannot be found finds nothing.
                None => return Ok(Vec::new()),
            }
        }
        let results = self.node.multi(vec![json!({
            "collection": COLLECTION,
            "q": q.q,
            "query_by": "title,terms,categories,description,provider",
            "query_by_weights": "4,3,2,1,1",
            "num_typos": 2,
            "typo_tokens_threshold": 1,
            "drop_tokens_threshold": 1,
            "prioritize_exact_match": true,
            "filter_by": filter,
            "per_page": DEPTH,
        })])?;
        Ok(results
            .first()
            .and_then(|r| r["hits"].as_array())
            .into_iter()
            .flatten()
            .filter_map(|h| h["document"]["id"].as_str().map(str::to_owned))
            .collect())
    }
}
