//! The embedded SQLite backend.
//!
//! Records are stored as JSON documents beside the columns that are queried (ids, provider,
//! title), so the model can grow without a migration for every field while the database still
//! enforces identity and the provider relationship. One connection behind a mutex is enough
//! for a single web node; a pool comes with the shared Postgres backend.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, params};
use rusqlite_migration::{M, Migrations};
use serde::Serialize;
use serde::de::DeserializeOwned;
use signpost_model::{Activity, Coordinates, Id, Postcode, Provider};

use crate::{ImportBatch, Located, PostcodeImport, ScanFrom, Store, StoreError};

const MIGRATIONS: &[M<'static>] = &[
    M::up(
        "CREATE TABLE providers (
         id TEXT PRIMARY KEY NOT NULL,
         name TEXT NOT NULL,
         record TEXT NOT NULL,
         updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
     );
     CREATE TABLE activities (
         id TEXT PRIMARY KEY NOT NULL,
         provider_id TEXT NOT NULL REFERENCES providers(id),
         title TEXT NOT NULL,
         record TEXT NOT NULL,
         last_updated TEXT NOT NULL
     );
     CREATE INDEX activities_by_provider ON activities(provider_id);
     CREATE TABLE postcodes (
         code TEXT PRIMARY KEY NOT NULL,
         lat REAL NOT NULL,
         lon REAL NOT NULL,
         town TEXT
     ) WITHOUT ROWID;
     CREATE TABLE places (
         key TEXT PRIMARY KEY NOT NULL,
         name TEXT NOT NULL,
         lat REAL NOT NULL,
         lon REAL NOT NULL,
         radius_km REAL
     ) WITHOUT ROWID;
     CREATE TABLE meta (
         key TEXT PRIMARY KEY NOT NULL,
         value TEXT NOT NULL
     ) WITHOUT ROWID;",
    ),
    M::up(
        "CREATE TABLE users (
         id INTEGER PRIMARY KEY,
         email TEXT NOT NULL UNIQUE,
         name TEXT NOT NULL,
         role TEXT NOT NULL,
         provider_id TEXT REFERENCES providers(id),
         organisation TEXT,
         password_hash TEXT,
         disabled INTEGER NOT NULL DEFAULT 0,
         created_at TEXT NOT NULL
     );
     CREATE TABLE sessions (
         token_hash TEXT PRIMARY KEY NOT NULL,
         user_id INTEGER NOT NULL REFERENCES users(id),
         csrf TEXT NOT NULL,
         created_at TEXT NOT NULL,
         expires_at TEXT NOT NULL
     ) WITHOUT ROWID;
     CREATE INDEX sessions_by_user ON sessions(user_id);
     CREATE TABLE tokens (
         token_hash TEXT PRIMARY KEY NOT NULL,
         user_id INTEGER NOT NULL REFERENCES users(id),
         purpose TEXT NOT NULL,
         expires_at TEXT NOT NULL,
         used_at TEXT
     ) WITHOUT ROWID;
     CREATE TABLE changes (
         id INTEGER PRIMARY KEY,
         kind TEXT NOT NULL,
         provider_id TEXT NOT NULL REFERENCES providers(id),
         activity_id TEXT,
         before TEXT,
         after TEXT NOT NULL,
         submitted_by INTEGER NOT NULL REFERENCES users(id),
         submitted_at TEXT NOT NULL,
         status TEXT NOT NULL,
         decided_by INTEGER REFERENCES users(id),
         decided_at TEXT,
         message TEXT NOT NULL DEFAULT ''
     );
     CREATE INDEX changes_by_status ON changes(status);
     CREATE INDEX changes_by_provider ON changes(provider_id);
     CREATE TABLE audit (
         id INTEGER PRIMARY KEY,
         at TEXT NOT NULL,
         actor INTEGER REFERENCES users(id),
         actor_label TEXT NOT NULL,
         provider_id TEXT NOT NULL,
         activity_id TEXT,
         action TEXT NOT NULL,
         fields TEXT NOT NULL,
         note TEXT NOT NULL DEFAULT ''
     );
     CREATE INDEX audit_by_provider ON audit(provider_id);
     CREATE INDEX audit_by_activity ON audit(activity_id);
     CREATE TABLE reports (
         id INTEGER PRIMARY KEY,
         activity_id TEXT NOT NULL,
         provider_id TEXT NOT NULL,
         message TEXT NOT NULL,
         contact TEXT NOT NULL,
         created_at TEXT NOT NULL,
         closed_by INTEGER REFERENCES users(id),
         closed_at TEXT,
         closing_note TEXT NOT NULL DEFAULT ''
     );
     CREATE TABLE evidence (
         id INTEGER PRIMARY KEY,
         provider_id TEXT NOT NULL REFERENCES providers(id),
         title TEXT NOT NULL,
         link TEXT,
         stored_as TEXT,
         content_type TEXT,
         bytes INTEGER,
         original_name TEXT,
         uploaded_by INTEGER NOT NULL REFERENCES users(id),
         uploaded_at TEXT NOT NULL
     );
     CREATE INDEX evidence_by_provider ON evidence(provider_id);",
    ),
    // Listings from outside sources: where each came from (provenance), each source's place
    // in its feed, OpenActive items waiting to be joined, and HTTP validators for polite
    // re-fetching. `written_gen` records which store generation last wrote a row, so a
    // running server can bring its index up to date with writes made by another process.
    M::up(
        "CREATE TABLE sources (
         url TEXT PRIMARY KEY NOT NULL,
         kind TEXT NOT NULL,
         cursor TEXT,
         updated_at TEXT NOT NULL
     ) WITHOUT ROWID;
     CREATE TABLE provenance (
         source TEXT NOT NULL,
         kind TEXT NOT NULL,
         source_id TEXT NOT NULL,
         target TEXT NOT NULL,
         fingerprint TEXT NOT NULL DEFAULT '',
         first_seen TEXT NOT NULL,
         last_seen TEXT NOT NULL,
         PRIMARY KEY (source, kind, source_id)
     ) WITHOUT ROWID;
     CREATE INDEX provenance_by_target ON provenance(kind, target);
     CREATE TABLE staged (
         source TEXT NOT NULL,
         item_id TEXT NOT NULL,
         node_id TEXT,
         parent TEXT,
         data TEXT NOT NULL,
         PRIMARY KEY (source, item_id)
     ) WITHOUT ROWID;
     CREATE INDEX staged_by_node ON staged(node_id);
     CREATE INDEX staged_by_parent ON staged(parent);
     CREATE TABLE http_cache (
         url TEXT PRIMARY KEY NOT NULL,
         etag TEXT,
         last_modified TEXT
     ) WITHOUT ROWID;
     ALTER TABLE providers ADD COLUMN written_gen INTEGER NOT NULL DEFAULT 0;
     ALTER TABLE activities ADD COLUMN written_gen INTEGER NOT NULL DEFAULT 0;
     CREATE INDEX activities_by_gen ON activities(written_gen);
     CREATE INDEX providers_by_gen ON providers(written_gen);",
    ),
    // A source's organisation that matched a provider it may not join by itself waits here
    // for a checker or admin (see `Claim`). One row per source, organisation and match, so a
    // rerun adds nothing and a dismissed claim stays dismissed. `identity` is the database's
    // own id, made once (see `Store::identity`).
    M::up(
        "CREATE TABLE claims (
         id INTEGER PRIMARY KEY,
         source TEXT NOT NULL,
         source_key TEXT NOT NULL,
         name TEXT NOT NULL,
         claimed TEXT NOT NULL REFERENCES providers(id),
         interim TEXT NOT NULL REFERENCES providers(id),
         reason TEXT NOT NULL,
         created_at TEXT NOT NULL,
         status TEXT NOT NULL DEFAULT 'open',
         decided_by INTEGER REFERENCES users(id),
         decided_at TEXT,
         UNIQUE (source, source_key, claimed)
     );
     CREATE INDEX claims_by_status ON claims(status);
     CREATE INDEX provenance_by_record ON provenance(kind, source_id);
     INSERT INTO meta (key, value) VALUES ('database_id', lower(hex(randomblob(16))))
         ON CONFLICT(key) DO NOTHING;",
    ),
];

pub struct SqliteStore {
    conn: Mutex<Connection>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SqliteStore")
    }
}

fn place_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt("(new)".into(), e.to_string()))
}

pub(crate) fn from_json<T: DeserializeOwned>(id: &str, json: &str) -> Result<T, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(id.to_owned(), e.to_string()))
}

impl SqliteStore {
    /// Opens (creating if needed) `signpost.db` in `data_dir` and brings its schema up to date.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        let dir_err = |source| StoreError::DataDir {
            path: data_dir.display().to_string(),
            source,
        };
        std::fs::create_dir_all(data_dir).map_err(dir_err)?;
        // Find out now, with a clear message, whether we can write here.
        let probe = data_dir.join(".signpost-write-test");
        std::fs::write(&probe, b"ok").map_err(dir_err)?;
        let _ = std::fs::remove_file(&probe);
        let conn = Connection::open(data_dir.join("signpost.db"))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        Self::init(conn)
    }

    /// A throwaway store for tests.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Self, StoreError> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Migrations::from_slice(MIGRATIONS).to_latest(&mut conn)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
        })
    }

    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written (transactions roll
        // back on drop), so a poisoned lock is safe to reuse.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Bumps and returns the write generation, inside the caller's transaction.
    pub(crate) fn read_generation(tx: &Connection) -> Result<u64, StoreError> {
        let value: Option<String> = tx
            .query_row("SELECT value FROM meta WHERE key = 'generation'", [], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(value.and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    pub(crate) fn bump(tx: &Connection) -> Result<u64, StoreError> {
        let next: i64 = tx.query_row(
            "INSERT INTO meta (key, value) VALUES ('generation', '1')
             ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1
             RETURNING CAST(value AS INTEGER)",
            [],
            |r| r.get(0),
        )?;
        Ok(u64::try_from(next).unwrap_or(0))
    }

    fn write_postcodes(tx: &Connection, import: &PostcodeImport) -> Result<(), StoreError> {
        let mut put = tx.prepare(
            "INSERT INTO postcodes (code, lat, lon, town) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(code) DO UPDATE SET lat = excluded.lat, lon = excluded.lon,
                 town = excluded.town",
        )?;
        for (code, c, town) in &import.postcodes {
            put.execute(params![code.to_string(), c.lat(), c.lon(), town])?;
        }
        let mut place = tx.prepare(
            "INSERT INTO places (key, name, lat, lon, radius_km) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(key) DO UPDATE SET name = excluded.name, lat = excluded.lat,
                 lon = excluded.lon, radius_km = excluded.radius_km",
        )?;
        for p in &import.places {
            place.execute(params![
                place_key(&p.name),
                p.name,
                p.coordinates.lat(),
                p.coordinates.lon(),
                p.radius_km
            ])?;
        }
        Ok(())
    }

    fn write_meta(tx: &Connection, key: &str, value: &str) -> Result<(), StoreError> {
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    pub(crate) fn write_provider(tx: &Connection, p: &Provider) -> Result<(), StoreError> {
        tx.execute(
            "INSERT INTO providers (id, name, record, written_gen)
             VALUES (?1, ?2, ?3, (SELECT COALESCE(MAX(CAST(value AS INTEGER)), 0) + 1
                                  FROM meta WHERE key = 'generation'))
             ON CONFLICT(id) DO UPDATE SET name = excluded.name, record = excluded.record,
                 written_gen = excluded.written_gen,
                 updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
            params![p.id.as_str(), p.name, to_json(p)?],
        )?;
        Ok(())
    }

    pub(crate) fn write_activity(tx: &Connection, a: &Activity) -> Result<(), StoreError> {
        let known: bool = tx
            .query_row(
                "SELECT 1 FROM providers WHERE id = ?1",
                [a.provider_id.as_str()],
                |_| Ok(true),
            )
            .optional()?
            .unwrap_or(false);
        if !known {
            return Err(StoreError::UnknownProvider {
                activity: a.id.clone(),
                provider: a.provider_id.clone(),
            });
        }
        tx.execute(
            "INSERT INTO activities (id, provider_id, title, record, last_updated, written_gen)
             VALUES (?1, ?2, ?3, ?4, ?5, (SELECT COALESCE(MAX(CAST(value AS INTEGER)), 0) + 1
                                          FROM meta WHERE key = 'generation'))
             ON CONFLICT(id) DO UPDATE SET provider_id = excluded.provider_id,
                 title = excluded.title, record = excluded.record,
                 last_updated = excluded.last_updated, written_gen = excluded.written_gen",
            params![
                a.id.as_str(),
                a.provider_id.as_str(),
                a.title,
                to_json(a)?,
                a.last_updated.to_rfc3339()
            ],
        )?;
        Ok(())
    }

    fn query_records<T: DeserializeOwned>(
        &self,
        sql: &str,
        args: impl rusqlite::Params,
    ) -> Result<Vec<T>, StoreError> {
        let conn = self.conn();
        // Cached: a rebuild looks up each of a quarter of a million providers once, and
        // preparing the statement every time was most of that.
        let mut stmt = conn.prepare_cached(sql)?;
        let mut rows = stmt.query(args)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            // Parsed from SQLite's own buffer: no copy of each record first.
            let id = row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
            let json = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
            out.push(from_json(id, json)?);
        }
        Ok(out)
    }

    fn locate_code(conn: &Connection, code: &str) -> Result<Option<Coordinates>, StoreError> {
        let row: Option<(f64, f64)> = conn
            .query_row(
                "SELECT lat, lon FROM postcodes WHERE code = ?1",
                [code],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(row.and_then(|(lat, lon)| Coordinates::new(lat, lon).ok()))
    }
}

impl Store for SqliteStore {
    fn is_empty(&self) -> Result<bool, StoreError> {
        let n: i64 = self.conn().query_row(
            "SELECT (SELECT count(*) FROM providers) + (SELECT count(*) FROM activities)",
            [],
            |r| r.get(0),
        )?;
        Ok(n == 0)
    }

    fn generation(&self) -> Result<u64, StoreError> {
        let value: Option<String> = self.meta("generation")?;
        Ok(value.and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    fn identity(&self) -> Result<String, StoreError> {
        self.meta("database_id")?
            .ok_or_else(|| StoreError::Corrupt("meta".into(), "the database has no id".into()))
    }

    fn upsert_provider(&self, provider: &Provider) -> Result<u64, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        Self::write_provider(&tx, provider)?;
        let generation = Self::bump(&tx)?;
        tx.commit()?;
        Ok(generation)
    }

    fn upsert_activity(&self, activity: &Activity) -> Result<u64, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        Self::write_activity(&tx, activity)?;
        let generation = Self::bump(&tx)?;
        tx.commit()?;
        Ok(generation)
    }

    fn import(&self, batch: &ImportBatch) -> Result<u64, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        Self::write_postcodes(&tx, &batch.postcodes)?;
        for (key, value) in &batch.meta {
            Self::write_meta(&tx, key, value)?;
        }
        for p in &batch.providers {
            Self::write_provider(&tx, p)?;
        }
        for a in &batch.activities {
            Self::write_activity(&tx, a)?;
        }
        let generation = Self::bump(&tx)?;
        tx.commit()?;
        Ok(generation)
    }

    fn provider(&self, id: &Id) -> Result<Option<Provider>, StoreError> {
        Ok(self
            .query_records(
                "SELECT id, record FROM providers WHERE id = ?1",
                [id.as_str()],
            )?
            .pop())
    }

    fn activity(&self, id: &Id) -> Result<Option<Activity>, StoreError> {
        Ok(self
            .query_records(
                "SELECT id, record FROM activities WHERE id = ?1",
                [id.as_str()],
            )?
            .pop())
    }

    fn providers(&self) -> Result<Vec<Provider>, StoreError> {
        self.query_records("SELECT id, record FROM providers ORDER BY id", [])
    }

    fn activities(&self) -> Result<Vec<Activity>, StoreError> {
        self.query_records("SELECT id, record FROM activities ORDER BY id", [])
    }

    /// In rowid order: a walk of the table's own b-tree. Id order went through the id index
    /// to the table for every row, in no order the table is stored in. An upsert keeps its
    /// row's rowid (`ON CONFLICT DO UPDATE`), so a listing changed during a scan is neither
    /// read twice nor skipped.
    fn activities_page(
        &self,
        from: &ScanFrom,
        limit: usize,
    ) -> Result<(Vec<(Activity, String)>, ScanFrom), StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT rowid, id, record FROM activities WHERE rowid > ?1 ORDER BY rowid LIMIT ?2",
        )?;
        let mut rows = stmt.query(rusqlite::params![
            from.0,
            i64::try_from(limit).unwrap_or(i64::MAX)
        ])?;
        let mut out = Vec::new();
        let mut next = from.clone();
        while let Some(row) = rows.next()? {
            next = ScanFrom(row.get(0)?);
            let id = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
            let json = row.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
            out.push((from_json(id, json)?, json.to_owned()));
        }
        Ok((out, next))
    }

    fn activities_of(&self, provider: &Id) -> Result<Vec<Activity>, StoreError> {
        self.query_records(
            "SELECT id, record FROM activities WHERE provider_id = ?1 ORDER BY title, id",
            [provider.as_str()],
        )
    }

    fn changed_since(&self, generation: u64) -> Result<Vec<Activity>, StoreError> {
        let generation = i64::try_from(generation).unwrap_or(i64::MAX);
        self.query_records(
            "SELECT id, record FROM activities WHERE written_gen > ?1
             OR provider_id IN (SELECT id FROM providers WHERE written_gen > ?1) ORDER BY id",
            [generation],
        )
    }

    fn import_postcodes(&self, import: &PostcodeImport) -> Result<usize, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        Self::write_postcodes(&tx, import)?;
        tx.commit()?;
        Ok(import.postcodes.len())
    }

    fn locate_postcode(&self, postcode: &Postcode) -> Result<Option<Located>, StoreError> {
        let conn = self.conn();
        if let Some(c) = Self::locate_code(&conn, &postcode.to_string())? {
            return Ok(Some(Located {
                label: postcode.to_string(),
                coordinates: c,
                exact: true,
                radius_km: None,
            }));
        }
        let label = postcode.district().to_owned();
        let district = match Self::locate_code(&conn, &label)? {
            Some(c) => Some(c),
            // No row for the district itself (an ONS-only store): the mean of its full
            // postcodes, found by key range ('!' sorts just after the space).
            None => conn
                .query_row(
                    "SELECT avg(lat), avg(lon) FROM postcodes
                     WHERE code >= ?1 || ' ' AND code < ?1 || '!' HAVING count(*) > 0",
                    [&label],
                    |r| Ok((r.get::<_, f64>(0)?, r.get::<_, f64>(1)?)),
                )
                .optional()?
                .and_then(|(lat, lon)| Coordinates::new(lat, lon).ok()),
        };
        Ok(district.map(|coordinates| Located {
            label,
            coordinates,
            exact: !postcode.is_full(),
            radius_km: None,
        }))
    }

    fn locate_place(&self, name: &str) -> Result<Option<Located>, StoreError> {
        let row: Option<(String, f64, f64, Option<f64>)> = self
            .conn()
            .query_row(
                "SELECT name, lat, lon, radius_km FROM places WHERE key = ?1",
                [place_key(name)],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        Ok(row.and_then(|(label, lat, lon, radius_km)| {
            Coordinates::new(lat, lon).ok().map(|coordinates| Located {
                label,
                coordinates,
                exact: true,
                radius_km,
            })
        }))
    }

    fn district_in_area(&self, area: &str) -> Result<Option<Postcode>, StoreError> {
        // The area's letters then a digit: '0' to ':' (which sorts just after '9').
        let code: Option<String> = self
            .conn()
            .query_row(
                "SELECT code FROM postcodes WHERE code >= ?1 || '0' AND code < ?1 || ':' LIMIT 1",
                [area.to_ascii_uppercase()],
                |r| r.get(0),
            )
            .optional()?;
        Ok(code
            .and_then(|c| Postcode::parse(&c).ok())
            .map(|p| p.to_district()))
    }

    fn postcode_count(&self) -> Result<usize, StoreError> {
        let n: i64 = self
            .conn()
            .query_row("SELECT count(*) FROM postcodes", [], |r| r.get(0))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        Self::write_meta(&self.conn(), key, value)
    }

    fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }
}
