//! SQLite with FTS5 and R*Tree, in process: what a small team builds first, written properly.
//!
//! - **Tables**: one row per activity (the filters as integer columns), its categories as
//!   rows, its weekly sessions, dated sessions and exceptions as rows, a calendar table (day,
//!   weekday, school holiday) from 2020 to 2040, an R*Tree of venues, and a contentless FTS5
//!   table over the activity's analysed tokens. Indexes are made after the bulk load, then
//!   `ANALYZE`.
//! - **Text**: tokens are analysed in Rust by the search crate's analyser (stemming, stop
//!   words, folding) when loading and when querying, so FTS5 (`unicode61`, no further
//!   folding) only matches whole analysed tokens. Typos: the FTS5 vocabulary (`fts5vocab`)
//!   is copied into a `terms` table with each term's length once the load is done; a query
//!   token's candidates are the terms of a near length within the allowed edits by a
//!   registered `within_edits` function (optimal string alignment), expanded into an OR in
//!   the MATCH expression; synonyms are ORed in as exact alternatives. Relevance is `bm25`.
//! - **Distance**: the R*Tree box around the point is the coarse filter; a registered
//!   `haversine_km` function (the model's own `Coordinates::distance_km`) gives the exact
//!   distance to each venue in the box, the nearest per activity kept within the radius.
//! - **Time**: the activity's session rows joined to the calendar days of the horizon (or
//!   yesterday and today for "now"), honouring date ranges, term time, holidays and
//!   exceptions: a correlated EXISTS per candidate when a place has narrowed them, else the
//!   set of activities with a fitting session worked out once (`a.id IN (...)`).
//! - **Counts**: one statement per search: the matches in a materialised CTE, then the total,
//!   a GROUP BY over the category rows and the page.
//!
//! Each searching thread takes a read-only connection from a small pool, with its prepared
//! statements cached.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use anyhow::Context as _;
use rusqlite::functions::FunctionFlags;
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags, params};
use signpost_model::Coordinates;
use signpost_search::IndexedActivity;

use crate::shared::{
    self, Ask, Collect, Flavor, Param, QueryText, RADIUS_SLACK_KM, Resolved, Source, Sql, TimeForm,
    search_sql,
};
use crate::{Answer, BenchQuery, BuildStats, Engine};

const SCHEMA: &str = "
CREATE TABLE activities (
    id INTEGER PRIMARY KEY,
    ext_id TEXT NOT NULL,
    order_key INTEGER NOT NULL,
    age_min INTEGER NOT NULL,
    age_max INTEGER NOT NULL,
    ends_on INTEGER NOT NULL,
    free INTEGER NOT NULL,
    gender INTEGER NOT NULL,
    access INTEGER NOT NULL,
    verified_until INTEGER,
    confirmed INTEGER NOT NULL,
    mask INTEGER NOT NULL
);
CREATE TABLE activity_categories (
    activity INTEGER NOT NULL,
    category INTEGER NOT NULL,
    PRIMARY KEY (activity, category)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE venue_box USING rtree(id, min_lat, max_lat, min_lon, max_lon, +activity, +lat, +lon);
CREATE TABLE weekly (
    activity INTEGER NOT NULL,
    weekday INTEGER NOT NULL,
    start_min INTEGER NOT NULL,
    end_min INTEGER NOT NULL,
    term INTEGER NOT NULL,
    valid_from INTEGER,
    valid_to INTEGER
);
CREATE TABLE dated (
    activity INTEGER NOT NULL,
    day INTEGER NOT NULL,
    start_min INTEGER NOT NULL,
    end_min INTEGER NOT NULL
);
CREATE TABLE exceptions (
    activity INTEGER NOT NULL,
    day INTEGER NOT NULL,
    PRIMARY KEY (activity, day)
) WITHOUT ROWID;
CREATE TABLE calendar (
    day INTEGER PRIMARY KEY,
    weekday INTEGER NOT NULL,
    holiday INTEGER NOT NULL
);
CREATE VIRTUAL TABLE activity_text USING fts5(tokens, content='', tokenize='unicode61 remove_diacritics 0');
";

/// Run once the rows are in: indexes, the typo vocabulary, statistics.
const AFTER_LOAD: &str = "
CREATE INDEX weekly_activity ON weekly (activity);
CREATE INDEX weekly_weekday ON weekly (weekday, start_min, end_min);
CREATE INDEX dated_activity ON dated (activity);
CREATE INDEX activity_categories_category ON activity_categories (category, activity);
CREATE INDEX activities_confirmed ON activities (confirmed DESC, order_key);
INSERT INTO activity_text (activity_text) VALUES ('optimize');
CREATE VIRTUAL TABLE temp.activity_vocab USING fts5vocab(main, activity_text, 'row');
CREATE TABLE terms (term TEXT PRIMARY KEY, len INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO terms SELECT term, length(term) FROM temp.activity_vocab;
CREATE INDEX terms_len ON terms (len);
ANALYZE;
";

const NEAR_TERMS: &str =
    "SELECT term FROM terms WHERE len BETWEEN ?1 AND ?2 AND within_edits(term, ?3, ?4)";

/// The SQLite baseline.
pub struct Sqlite {
    path: PathBuf,
    pool: Mutex<Vec<Connection>>,
}

/// The SQL functions every connection has: the exact distance and the typo rule.
fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8
        | FunctionFlags::SQLITE_DETERMINISTIC
        | FunctionFlags::SQLITE_INNOCUOUS;
    conn.create_scalar_function("haversine_km", 4, flags, |ctx| {
        let point = |lat: f64, lon: f64| {
            Coordinates::new(lat, lon).map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))
        };
        let venue = point(ctx.get(0)?, ctx.get(1)?)?;
        let from = point(ctx.get(2)?, ctx.get(3)?)?;
        Ok(venue.distance_km(from))
    })?;
    conn.create_scalar_function("within_edits", 3, flags, |ctx| {
        let a: String = ctx.get(0)?;
        let b: String = ctx.get(1)?;
        let limit: i64 = ctx.get(2)?;
        Ok(shared::within_edits(&a, &b, limit.max(0) as usize))
    })?;
    Ok(())
}

impl Sqlite {
    /// Loads every item into a new database file under `work_dir` and indexes it.
    pub fn build(items: &[IndexedActivity], work_dir: &Path) -> anyhow::Result<(Self, BuildStats)> {
        let started = Instant::now();
        std::fs::create_dir_all(work_dir)
            .with_context(|| format!("creating {}", work_dir.display()))?;
        let path = work_dir.join("signpost-bench.sqlite");
        for suffix in ["", "-wal", "-shm"] {
            let p = PathBuf::from(format!("{}{suffix}", path.display()));
            if p.exists() {
                std::fs::remove_file(&p).with_context(|| format!("removing {}", p.display()))?;
            }
        }
        let mut conn = Connection::open(&path)?;
        register_functions(&conn)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -262144;",
        )?;
        conn.execute_batch(SCHEMA)?;
        let flats = shared::flatten(items);
        let tx = conn.transaction()?;
        {
            let mut calendar = tx.prepare("INSERT INTO calendar VALUES (?1, ?2, ?3)")?;
            for (day, weekday, holiday) in shared::calendar_rows() {
                calendar.execute(params![day, weekday, holiday])?;
            }
            let mut activity = tx.prepare(
                "INSERT INTO activities VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?;
            let mut category = tx.prepare("INSERT INTO activity_categories VALUES (?1, ?2)")?;
            let mut venue =
                tx.prepare("INSERT INTO venue_box VALUES (?1, ?2, ?2, ?3, ?3, ?4, ?2, ?3)")?;
            let mut weekly =
                tx.prepare("INSERT INTO weekly VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?;
            let mut dated = tx.prepare("INSERT INTO dated VALUES (?1, ?2, ?3, ?4)")?;
            let mut exception = tx.prepare("INSERT OR IGNORE INTO exceptions VALUES (?1, ?2)")?;
            let mut text =
                tx.prepare("INSERT INTO activity_text (rowid, tokens) VALUES (?1, ?2)")?;
            let mut venue_id = 0i64;
            for (i, f) in flats.iter().enumerate() {
                let id = i as i64 + 1;
                activity.execute(params![
                    id,
                    f.id,
                    f.order_key,
                    f.age_min,
                    f.age_max,
                    f.ends_on,
                    f.free,
                    shared::gender_code(f.gender),
                    f.access,
                    f.verified_until,
                    f.confirmed,
                    f.mask,
                ])?;
                for c in &f.categories {
                    category.execute(params![id, c.index() as i64])?;
                }
                for (lat, lon) in &f.venues {
                    venue_id += 1;
                    venue.execute(params![venue_id, lat, lon, id])?;
                }
                for w in &f.weekly {
                    weekly.execute(params![
                        id,
                        w.weekday,
                        w.start,
                        w.end,
                        w.term,
                        w.valid_from,
                        w.valid_to
                    ])?;
                }
                for d in &f.dated {
                    dated.execute(params![id, d.day, d.start, d.end])?;
                }
                for d in &f.exceptions {
                    exception.execute(params![id, d])?;
                }
                text.execute(params![id, f.tokens.join(" ")])?;
            }
        }
        tx.commit()?;
        conn.execute_batch(AFTER_LOAD)?;
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        drop(conn);
        let stats = BuildStats {
            build_seconds: started.elapsed().as_secs_f64(),
            disk_bytes: shared::disk_bytes(&path)
                + shared::disk_bytes(&PathBuf::from(format!("{}-wal", path.display()))),
        };
        Ok((
            Sqlite {
                path,
                pool: Mutex::new(Vec::new()),
            },
            stats,
        ))
    }

    fn connect(&self) -> anyhow::Result<Connection> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        register_functions(&conn)?;
        conn.set_prepared_statement_cache_capacity(256);
        conn.execute_batch(
            "PRAGMA query_only = 1; PRAGMA cache_size = -131072; PRAGMA mmap_size = 1073741824;",
        )?;
        Ok(conn)
    }

    /// Runs `f` with a pooled connection (one per searching thread, made when first needed).
    fn with_connection<T>(
        &self,
        f: impl FnOnce(&Connection) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        let taken = self.pool.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let conn = match taken {
            Some(c) => c,
            None => self.connect()?,
        };
        let out = f(&conn);
        self.pool
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(conn);
        out
    }
}

/// The FTS5 MATCH expression: words ANDed, each word's alternatives ORed, each alternative's
/// token sets ANDed, each set's terms ORed.
fn match_expression(words: &[Resolved]) -> String {
    let quote = |t: &str| format!("\"{}\"", t.replace('"', "\"\""));
    words
        .iter()
        .map(|alternatives| {
            let alts: Vec<String> = alternatives
                .iter()
                .map(|sets| {
                    let sets: Vec<String> = sets
                        .iter()
                        .map(|set| {
                            let terms: Vec<String> = set.iter().map(|t| quote(t)).collect();
                            format!("({})", terms.join(" OR "))
                        })
                        .collect();
                    format!("({})", sets.join(" AND "))
                })
                .collect();
            format!("({})", alts.join(" OR "))
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

fn to_sql(p: &Param) -> Value {
    match p {
        Param::Int(v) => Value::Integer(*v),
        Param::Real(v) => Value::Real(*v),
        Param::Text(v) => Value::Text(v.clone()),
    }
}

impl Engine for Sqlite {
    fn name(&self) -> &str {
        "sqlite"
    }

    fn search(&self, bq: &BenchQuery) -> anyhow::Result<Answer> {
        let q = &bq.query;
        let ask = Ask::of(q)?;
        let words = match shared::query_text(q) {
            QueryText::Absent => None,
            QueryText::Words(w) => Some(w),
            QueryText::OnlyStopWords => return Ok(Answer::default()),
        };
        self.with_connection(|conn| {
            let resolved = match &words {
                None => None,
                Some(words) => {
                    let mut near = conn.prepare_cached(NEAR_TERMS)?;
                    let found = shared::resolve(words, |token, edits| {
                        let len = token.chars().count() as i64;
                        let rows = near.query_map(
                            params![len - edits as i64, len + edits as i64, token, edits as i64],
                            |r| r.get::<_, String>(0),
                        )?;
                        Ok(rows.collect::<Result<Vec<_>, _>>()?)
                    })?;
                    match found {
                        Some(r) => Some(r),
                        None => return Ok(Answer::default()),
                    }
                }
            };
            let mut sql = Sql::new(Flavor::Sqlite);
            let mut source = Source {
                ctes: Vec::new(),
                from: "FROM activities a".into(),
                conditions: Vec::new(),
                km: "0.0".into(),
                score: "0.0".into(),
            };
            if let Some(near) = &q.near {
                let (lat, lon) = (near.point.lat(), near.point.lon());
                let (min_lat, max_lat, min_lon, max_lon) =
                    shared::bounding_box(lat, lon, near.radius_km);
                let (plat, plon) = (sql.real(lat), sql.real(lon));
                let (a, b, c, d) = (
                    sql.real(max_lat),
                    sql.real(min_lat),
                    sql.real(max_lon),
                    sql.real(min_lon),
                );
                source.from = format!(
                    "FROM (SELECT r.activity AS aid, min(haversine_km(r.lat, r.lon, {plat}, {plon})) AS km \
                       FROM venue_box r WHERE r.min_lat <= {a} AND r.max_lat >= {b} \
                       AND r.min_lon <= {c} AND r.max_lon >= {d} GROUP BY r.activity) d \
                     JOIN activities a ON a.id = d.aid"
                );
                source.km = "d.km".into();
                source
                    .conditions
                    .push(format!("d.km <= {}", sql.real(near.radius_km + RADIUS_SLACK_KM)));
            }
            if let Some(words) = &resolved {
                // The full-text query runs once, into a table joined by rowid: left in the
                // join, SQLite may run it again for every activity in the box.
                source.ctes.push(format!(
                    "t AS MATERIALIZED (SELECT rowid AS tid, -bm25(activity_text) AS score \
                       FROM activity_text WHERE activity_text MATCH {})",
                    sql.text(match_expression(words))
                ));
                source.from.push_str(" JOIN t ON t.tid = a.id");
                source.score = "t.score".into();
            }
            // A place narrows the candidates to a few, each checked for a session; without
            // one, the activities with a fitting session are found once.
            let time_form = if q.near.is_some() {
                TimeForm::PerCandidate
            } else {
                TimeForm::Set
            };
            search_sql(&mut sql, &ask, source, shared::order_by(q.sort), time_form)?;
            let mut stmt = conn.prepare_cached(&sql.text)?;
            let params: Vec<Value> = sql.params.iter().map(to_sql).collect();
            let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
            let mut collect = Collect::default();
            while let Some(r) = rows.next()? {
                collect.row(r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            }
            Ok(collect.answer())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_expression_nests_words_alternatives_and_sets() {
        let words = vec![vec![
            vec![vec!["footbal".to_owned(), "fotbal".to_owned()]],
            vec![vec!["soccer".to_owned()]],
        ]];
        assert_eq!(
            match_expression(&words),
            "(((\"footbal\" OR \"fotbal\")) OR ((\"soccer\")))"
        );
    }
}
