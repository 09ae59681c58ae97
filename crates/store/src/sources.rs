//! Listings from outside sources: provenance (which source record became which listing),
//! each source's position in its feed, OpenActive items waiting for the other half of a join,
//! and HTTP validators for conditional re-fetching.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use signpost_model::{Activity, Claim, Id, Provider};

use crate::sqlite::SqliteStore;
use crate::{StoreError, time_from, time_to};

/// What kind of Signpost record a source record became.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LinkKind {
    Activity,
    Provider,
}

impl LinkKind {
    fn as_str(self) -> &'static str {
        match self {
            LinkKind::Activity => "activity",
            LinkKind::Provider => "provider",
        }
    }
}

/// A source record and the listing or provider it became.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The feed, API or file that supplied the record.
    pub source: String,
    pub kind: LinkKind,
    pub source_id: String,
    pub target: Id,
    /// A digest of what the source said last time, so an unchanged record is recognised
    /// without comparing listings field by field.
    pub fingerprint: String,
}

/// Where a listing came from, as shown on its page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provenance {
    /// The feed, API or file it came from.
    pub source: String,
    pub source_id: String,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
}

/// An OpenActive item kept as it came, until the item it joins with arrives.
#[derive(Clone, Debug, PartialEq)]
pub struct Staged {
    pub source: String,
    pub item_id: String,
    /// The item's own `@id` (a SessionSeries' URL, which sessions name as `superEvent`).
    pub node_id: Option<String>,
    /// For a ScheduledSession: the `superEvent` it belongs to.
    pub parent: Option<String>,
    pub data: serde_json::Value,
}

/// One step of a source run, written in one transaction: a crash leaves either all of it or
/// none, and the feed position moves only with the items it covers.
#[derive(Debug, Default)]
pub struct SourceBatch {
    pub source: String,
    /// "openactive", "oruk", "website", "file".
    pub kind: String,
    pub at: Option<DateTime<Utc>>,
    pub providers: Vec<Provider>,
    pub activities: Vec<Activity>,
    /// New or changed links (first seen is kept when the link already exists).
    pub links: Vec<Link>,
    /// Records seen again unchanged (source, kind, source id): only last-seen moves.
    pub seen: Vec<(String, LinkKind, String)>,
    pub stage: Vec<Staged>,
    /// Item ids of this source to drop from the staging table.
    pub unstage: Vec<String>,
    /// The feed position to resume from next time (an RPDE `next` URL).
    pub cursor: Option<String>,
    /// Organisations waiting for a checker to say whether this source speaks for them
    /// (their ids and statuses are ignored: new ones are open; known ones are left alone).
    pub claims: Vec<Claim>,
}

impl SourceBatch {
    pub fn writes_listings(&self) -> bool {
        !self.providers.is_empty() || !self.activities.is_empty()
    }
}

/// Storage for outside sources. Part of [`crate::Backend`].
pub trait SourceStore: Send + Sync {
    fn link(
        &self,
        source: &str,
        kind: LinkKind,
        source_id: &str,
    ) -> Result<Option<Link>, StoreError>;
    /// Every link a source has made of one kind.
    fn links_of(&self, source: &str, kind: LinkKind) -> Result<Vec<Link>, StoreError>;
    /// Every link of one kind, from every source.
    fn every_link(&self, kind: LinkKind) -> Result<Vec<Link>, StoreError>;
    /// The links of one kind that sources whose names start with `source_prefix` made for
    /// records called `source_id`.
    fn links_by_record(
        &self,
        kind: LinkKind,
        source_prefix: &str,
        source_id: &str,
    ) -> Result<Vec<Link>, StoreError>;
    /// Where an activity came from, if it was imported or crawled (the most recently seen
    /// source when there are several).
    fn provenance(&self, activity: &Id) -> Result<Option<Provenance>, StoreError>;
    fn source_cursor(&self, source: &str) -> Result<Option<String>, StoreError>;
    /// Writes the batch in one transaction. The generation is bumped only when listings
    /// were written; returns the generation after the write.
    fn write_source_batch(&self, batch: &SourceBatch) -> Result<u64, StoreError>;
    fn staged(&self, source: &str, item_id: &str) -> Result<Option<Staged>, StoreError>;
    /// The staged item (from any source) whose `@id` is `node_id`.
    fn staged_node(&self, node_id: &str) -> Result<Option<Staged>, StoreError>;
    /// Staged items (from any source) that name `parent` as their `superEvent`.
    fn staged_children(&self, parent: &str) -> Result<Vec<Staged>, StoreError>;
    /// The ETag and Last-Modified last seen for a URL.
    fn http_validators(&self, url: &str) -> Result<(Option<String>, Option<String>), StoreError>;
    fn set_http_validators(
        &self,
        url: &str,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> Result<(), StoreError>;
}

/// A staged row as read: source, item id, node id, parent, data.
type StagedRow = (String, String, Option<String>, Option<String>, String);

fn staged_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StagedRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

fn to_staged((source, item_id, node_id, parent, data): StagedRow) -> Result<Staged, StoreError> {
    let data = serde_json::from_str(&data)
        .map_err(|e| StoreError::Corrupt(format!("staged item {item_id}"), e.to_string()))?;
    Ok(Staged {
        source,
        item_id,
        node_id,
        parent,
        data,
    })
}

const STAGED_COLUMNS: &str = "source, item_id, node_id, parent, data";

impl SqliteStore {
    /// The links matching `condition` (on provenance's columns), all of kind `kind`.
    fn links_where(
        &self,
        condition: &str,
        args: impl rusqlite::Params,
        kind: LinkKind,
    ) -> Result<Vec<Link>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT source, source_id, target, fingerprint FROM provenance WHERE {condition}"
        ))?;
        let rows = stmt.query_map(args, |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (source, source_id, target, fingerprint) = row?;
            out.push(Link {
                target: Id::parse(&target)
                    .map_err(|e| StoreError::Corrupt(format!("link {source_id}"), e.to_string()))?,
                source,
                kind,
                source_id,
                fingerprint,
            });
        }
        Ok(out)
    }
}

/// Records (or moves) a link; its first sighting is kept when it exists.
pub(crate) fn write_link(tx: &rusqlite::Connection, l: &Link, at: &str) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO provenance (source, kind, source_id, target, fingerprint, first_seen, last_seen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
         ON CONFLICT(source, kind, source_id) DO UPDATE SET target = excluded.target,
             fingerprint = excluded.fingerprint, last_seen = excluded.last_seen",
    )?
    .execute(params![
        l.source,
        l.kind.as_str(),
        l.source_id,
        l.target.as_str(),
        l.fingerprint,
        at
    ])?;
    Ok(())
}

impl SourceStore for SqliteStore {
    fn link(
        &self,
        source: &str,
        kind: LinkKind,
        source_id: &str,
    ) -> Result<Option<Link>, StoreError> {
        let row: Option<(String, String)> = self
            .conn()
            .query_row(
                "SELECT target, fingerprint FROM provenance
                 WHERE source = ?1 AND kind = ?2 AND source_id = ?3",
                params![source, kind.as_str(), source_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        row.map(|(target, fingerprint)| {
            Ok(Link {
                source: source.to_owned(),
                kind,
                source_id: source_id.to_owned(),
                target: Id::parse(&target)
                    .map_err(|e| StoreError::Corrupt(format!("link {source_id}"), e.to_string()))?,
                fingerprint,
            })
        })
        .transpose()
    }

    fn links_of(&self, source: &str, kind: LinkKind) -> Result<Vec<Link>, StoreError> {
        self.links_where(
            "source = ?1 AND kind = ?2 ORDER BY source_id",
            params![source, kind.as_str()],
            kind,
        )
    }

    fn every_link(&self, kind: LinkKind) -> Result<Vec<Link>, StoreError> {
        self.links_where("kind = ?1", params![kind.as_str()], kind)
    }

    fn links_by_record(
        &self,
        kind: LinkKind,
        source_prefix: &str,
        source_id: &str,
    ) -> Result<Vec<Link>, StoreError> {
        // By the record's index, then a range of source names rather than LIKE, whose
        // wildcards the prefix might contain.
        let end = format!("{source_prefix}\u{10FFFF}");
        self.links_where(
            "kind = ?1 AND source_id = ?4 AND source >= ?2 AND source < ?3",
            params![kind.as_str(), source_prefix, end, source_id],
            kind,
        )
    }

    fn provenance(&self, activity: &Id) -> Result<Option<Provenance>, StoreError> {
        let row: Option<(String, String, String, String)> = self
            .conn()
            .query_row(
                "SELECT source, source_id, first_seen, last_seen FROM provenance
                 WHERE kind = 'activity' AND target = ?1 ORDER BY last_seen DESC LIMIT 1",
                [activity.as_str()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        row.map(|(source, source_id, first, last)| {
            Ok(Provenance {
                source,
                source_id,
                first_seen: time_from(&first)?,
                last_seen: time_from(&last)?,
            })
        })
        .transpose()
    }

    fn source_cursor(&self, source: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()
            .query_row("SELECT cursor FROM sources WHERE url = ?1", [source], |r| {
                r.get::<_, Option<String>>(0)
            })
            .optional()?
            .flatten())
    }

    fn write_source_batch(&self, batch: &SourceBatch) -> Result<u64, StoreError> {
        let at = time_to(batch.at.unwrap_or_else(Utc::now));
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        for p in &batch.providers {
            SqliteStore::write_provider(&tx, p)?;
        }
        for a in &batch.activities {
            SqliteStore::write_activity(&tx, a)?;
        }
        {
            for l in &batch.links {
                write_link(&tx, l, &at)?;
            }
            let mut seen = tx.prepare(
                "UPDATE provenance SET last_seen = ?4
                 WHERE source = ?1 AND kind = ?2 AND source_id = ?3",
            )?;
            for (source, kind, source_id) in &batch.seen {
                seen.execute(params![source, kind.as_str(), source_id, at])?;
            }
            let mut stage = tx.prepare(
                "INSERT INTO staged (source, item_id, node_id, parent, data) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(source, item_id) DO UPDATE SET node_id = excluded.node_id,
                     parent = excluded.parent, data = excluded.data",
            )?;
            for s in &batch.stage {
                stage.execute(params![
                    s.source,
                    s.item_id,
                    s.node_id,
                    s.parent,
                    s.data.to_string()
                ])?;
            }
            let mut unstage =
                tx.prepare("DELETE FROM staged WHERE source = ?1 AND item_id = ?2")?;
            for item in &batch.unstage {
                unstage.execute(params![batch.source, item])?;
            }
            let mut claim = tx.prepare(
                "INSERT INTO claims (source, source_key, name, claimed, interim, reason, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(source, source_key, claimed) DO NOTHING",
            )?;
            for c in &batch.claims {
                claim.execute(params![
                    c.source,
                    c.source_key,
                    c.name,
                    c.claimed.as_str(),
                    c.interim.as_str(),
                    c.reason,
                    at
                ])?;
            }
        }
        tx.execute(
            "INSERT INTO sources (url, kind, cursor, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(url) DO UPDATE SET kind = excluded.kind,
                 cursor = COALESCE(excluded.cursor, sources.cursor), updated_at = excluded.updated_at",
            params![batch.source, batch.kind, batch.cursor, at],
        )?;
        let generation = if batch.writes_listings() {
            SqliteStore::bump(&tx)?
        } else {
            SqliteStore::read_generation(&tx)?
        };
        tx.commit()?;
        Ok(generation)
    }

    fn staged(&self, source: &str, item_id: &str) -> Result<Option<Staged>, StoreError> {
        let row = self
            .conn()
            .query_row(
                &format!("SELECT {STAGED_COLUMNS} FROM staged WHERE source = ?1 AND item_id = ?2"),
                params![source, item_id],
                staged_row,
            )
            .optional()?;
        row.map(to_staged).transpose()
    }

    fn staged_node(&self, node_id: &str) -> Result<Option<Staged>, StoreError> {
        let row = self
            .conn()
            .query_row(
                &format!("SELECT {STAGED_COLUMNS} FROM staged WHERE node_id = ?1 LIMIT 1"),
                [node_id],
                staged_row,
            )
            .optional()?;
        row.map(to_staged).transpose()
    }

    fn staged_children(&self, parent: &str) -> Result<Vec<Staged>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {STAGED_COLUMNS} FROM staged WHERE parent = ?1 ORDER BY source, item_id"
        ))?;
        let rows: Vec<_> = stmt
            .query_map([parent], staged_row)?
            .collect::<Result<_, _>>()?;
        rows.into_iter().map(to_staged).collect()
    }

    fn http_validators(&self, url: &str) -> Result<(Option<String>, Option<String>), StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT etag, last_modified FROM http_cache WHERE url = ?1",
                [url],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .unwrap_or((None, None)))
    }

    fn set_http_validators(
        &self,
        url: &str,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> Result<(), StoreError> {
        self.conn().execute(
            "INSERT INTO http_cache (url, etag, last_modified) VALUES (?1, ?2, ?3)
             ON CONFLICT(url) DO UPDATE SET etag = excluded.etag,
                 last_modified = excluded.last_modified",
            params![url, etag, last_modified],
        )?;
        Ok(())
    }
}
