//! OpenActive pages: applying RPDE items, and joining sessions to their series across feeds.
//!
//! Publishers often split a SessionSeries feed (what, where, who) from a ScheduledSession
//! feed (when), joined by each session's `superEvent`. Either half can arrive first, in any
//! run. Every series and every referring session is kept as it came in the `staged` table;
//! whenever either half changes, the series is mapped again with all the sessions that name
//! it, and the listing belongs to the series' feed. A session whose series has not arrived
//! yet waits (it is counted, not rejected).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde_json::Value;
use signpost_feeds::Entry;
use signpost_feeds::openactive::{
    ItemState, Parent, RpdePage, map_opportunity, map_rpde_item, parent_of,
};
use signpost_store::Staged;

use crate::{BatchExtras, Ingest, IngestError, Source, Summary};

/// The `@id` (or `id`) of an OpenActive object, which sessions use to name their series.
fn node_id(data: &Value) -> Option<String> {
    ["@id", "id"]
        .iter()
        .find_map(|k| data.get(*k).and_then(Value::as_str))
        .map(str::to_owned)
}

fn is_slot(data: &Value) -> bool {
    ["@type", "type"].iter().any(|k| {
        data.get(*k)
            .and_then(Value::as_str)
            .is_some_and(|t| t.ends_with("Slot"))
    })
}

pub(crate) fn apply_page(
    ing: &mut Ingest,
    source: &Source,
    page: &RpdePage,
    cursor: Option<String>,
) -> Result<Summary, IngestError> {
    let mut stage: Vec<Staged> = Vec::new();
    let mut unstage: Vec<String> = Vec::new();
    let mut touched: BTreeSet<String> = BTreeSet::new();
    // Series (and other standalone items) in this page, mapped after staging is known.
    let mut own: Vec<(String, Value)> = Vec::new();
    let mut entries: Vec<(Option<String>, Entry)> = Vec::new();
    let mut summary = Summary::default();
    summary.rejected.extend(page.bad_items.iter().cloned());

    for item in &page.items {
        let data = match (&item.state, &item.data) {
            (ItemState::Updated, Some(data)) => data,
            _ => {
                if let Some(parent) = ing
                    .store
                    .staged(&source.url, &item.id)?
                    .and_then(|s| s.parent)
                {
                    touched.insert(parent);
                } else {
                    entries.push((
                        None,
                        Entry::Deleted {
                            source_id: item.id.clone(),
                        },
                    ));
                }
                unstage.push(item.id.clone());
                continue;
            }
        };
        match parent_of(data) {
            // A Slot belongs to a facility booking, never to a listing: refused at once
            // rather than kept waiting for a parent that never becomes one.
            Some(Parent::Ref(_)) if is_slot(data) => entries.push((None, map_rpde_item(item))),
            Some(Parent::Ref(parent)) => {
                stage.push(Staged {
                    source: source.url.clone(),
                    item_id: item.id.clone(),
                    node_id: node_id(data),
                    parent: Some(parent.clone()),
                    data: data.clone(),
                });
                touched.insert(parent);
            }
            Some(Parent::Embedded(_)) => entries.push((None, map_rpde_item(item))),
            None => {
                stage.push(Staged {
                    source: source.url.clone(),
                    item_id: item.id.clone(),
                    node_id: node_id(data),
                    parent: None,
                    data: data.clone(),
                });
                own.push((item.id.clone(), data.clone()));
            }
        }
    }

    let dropped: HashSet<(String, String)> = unstage
        .iter()
        .map(|id| (source.url.clone(), id.clone()))
        .collect();
    let sessions_of = |ing: &Ingest, parent: &str| -> Result<Vec<Value>, IngestError> {
        let mut found: BTreeMap<(String, String), Value> = ing
            .store
            .staged_children(parent)?
            .into_iter()
            .map(|s| ((s.source, s.item_id), s.data))
            .collect();
        found.retain(|k, _| !dropped.contains(k));
        for s in stage.iter().filter(|s| s.parent.as_deref() == Some(parent)) {
            found.insert((s.source.clone(), s.item_id.clone()), s.data.clone());
        }
        Ok(found.into_values().collect())
    };

    let mut mapped: HashSet<String> = HashSet::new();
    for (item_id, data) in &own {
        let sessions = match node_id(data) {
            Some(n) => {
                mapped.insert(n.clone());
                sessions_of(ing, &n)?
            }
            None => Vec::new(),
        };
        entries.push((None, map_opportunity(item_id, data, &sessions)));
    }
    for parent in touched.iter().filter(|p| !mapped.contains(*p)) {
        let series = match stage
            .iter()
            .find(|s| s.parent.is_none() && s.node_id.as_deref() == Some(parent.as_str()))
        {
            Some(s) => Some(s.clone()),
            None => ing.store.staged_node(parent)?,
        };
        let sessions = sessions_of(ing, parent)?;
        match series {
            Some(series) => {
                let owner = (series.source != source.url).then(|| series.source.clone());
                entries.push((
                    owner,
                    map_opportunity(&series.item_id, &series.data, &sessions),
                ));
            }
            None => summary.waiting += sessions.len(),
        }
    }

    let applied = ing.apply_from(
        source,
        entries,
        BatchExtras {
            stage,
            unstage,
            cursor,
        },
    )?;
    summary.absorb(applied);
    Ok(summary)
}
