//! PostgreSQL full-text search with earthdistance: what Outpost-style directories run on.
//!
//! The server is a throwaway cluster on loopback that `bench/setup.sh` starts; its connection
//! string is read from `SIGNPOST_BENCH_PG`. Each build makes its own database (dropped again
//! when the engine is dropped).
//!
//! - **Tables**: as the SQLite baseline: activities with the filters as columns and a
//!   `tsvector`, category rows, venue rows, weekly / dated session rows, exception rows and a
//!   calendar table (day, weekday, school holiday) for 2020 to 2040. Loaded with `COPY`;
//!   keys and indexes made afterwards, then `VACUUM ANALYZE`.
//! - **Text**: tokens are analysed in Rust by the search crate's analyser at load and query
//!   time; the `tsvector` holds exactly those lexemes (no Postgres dictionary runs), GIN
//!   indexed, and queries are `tsquery` values of the same lexemes. Typos: the vocabulary
//!   (`ts_stat` over the column, kept in a `terms` table with each term's length) gives the
//!   terms of a near length within twice the allowed edits by `fuzzystrmatch`'s
//!   `levenshtein_less_equal` (a swap is two Levenshtein edits but one here); the few
//!   candidates are then checked against the rule (optimal string alignment) in Rust, as
//!   Postgres has no Damerau distance. Synonyms are ORed in exactly. Relevance is `ts_rank`.
//! - **Distance**: `earth_box(ll_to_earth(..), r)` against a GiST index on
//!   `ll_to_earth(lat, lon)` is the coarse filter (its box is on earthdistance's sphere, so
//!   the radius is scaled up to hold every point within the radius on the model's); an SQL
//!   haversine function with the model's Earth radius gives the exact distance to each venue
//!   in the box, the nearest per activity kept within the radius.
//! - **Time** and **counts**: the same SQL as the SQLite baseline (the session rows joined to
//!   the calendar days, per candidate with a place and as a set without; a materialised CTE of
//!   the matches, then the total, a GROUP BY over category rows and the page).
//!
//! Each searching thread takes a connection from a small pool; each connection prepares a
//! statement once per query shape.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::Path;
use std::str::FromStr as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use anyhow::Context as _;
use postgres::types::ToSql;
use postgres::{Client, Config, NoTls, Statement};
use signpost_search::IndexedActivity;

use crate::shared::{
    self, Ask, Collect, Flavor, Param, QueryText, RADIUS_SLACK_KM, Resolved, Source, Sql, TimeForm,
    search_sql,
};
use crate::{Answer, BenchQuery, BuildStats, Engine};

/// The environment variable with the connection string (`host=... port=... user=...
/// dbname=...`) of a server the benchmark may create databases on.
pub const ENV: &str = "SIGNPOST_BENCH_PG";

/// earthdistance's sphere radius (its `earth()` function), in metres.
const EARTHDISTANCE_RADIUS_M: f64 = 6_378_168.0;

const SCHEMA: &str = "
CREATE EXTENSION IF NOT EXISTS cube;
CREATE EXTENSION IF NOT EXISTS earthdistance;
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
CREATE FUNCTION haversine_km(lat1 float8, lon1 float8, lat2 float8, lon2 float8) RETURNS float8
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT 6371008.8::float8 * (2 * asin(sqrt(
        power(sin(radians(lat2 - lat1) / 2), 2)
        + cos(radians(lat1)) * cos(radians(lat2)) * power(sin(radians(lon2 - lon1) / 2), 2)
    ))) / 1000
$$;
CREATE TABLE activities (
    id bigint NOT NULL,
    ext_id text NOT NULL,
    order_key bigint NOT NULL,
    age_min bigint NOT NULL,
    age_max bigint NOT NULL,
    ends_on bigint NOT NULL,
    free bigint NOT NULL,
    gender bigint NOT NULL,
    access bigint NOT NULL,
    verified_until bigint,
    confirmed bigint NOT NULL,
    mask bigint NOT NULL,
    tsv tsvector NOT NULL
);
CREATE TABLE activity_categories (activity bigint NOT NULL, category integer NOT NULL);
CREATE TABLE venues (activity bigint NOT NULL, lat float8 NOT NULL, lon float8 NOT NULL);
CREATE TABLE weekly (
    activity bigint NOT NULL,
    weekday bigint NOT NULL,
    start_min bigint NOT NULL,
    end_min bigint NOT NULL,
    term bigint NOT NULL,
    valid_from bigint,
    valid_to bigint
);
CREATE TABLE dated (activity bigint NOT NULL, day bigint NOT NULL, start_min bigint NOT NULL, end_min bigint NOT NULL);
CREATE TABLE exceptions (activity bigint NOT NULL, day bigint NOT NULL);
CREATE TABLE calendar (day bigint NOT NULL, weekday bigint NOT NULL, holiday bigint NOT NULL);
CREATE TABLE terms (term text NOT NULL, len integer NOT NULL);
";

const AFTER_LOAD: &str = "
ALTER TABLE activities ADD PRIMARY KEY (id);
CREATE INDEX activities_tsv ON activities USING gin (tsv);
CREATE INDEX activities_confirmed ON activities (confirmed DESC, order_key);
ALTER TABLE activity_categories ADD PRIMARY KEY (activity, category);
CREATE INDEX activity_categories_category ON activity_categories (category, activity);
CREATE INDEX venues_earth ON venues USING gist (ll_to_earth(lat, lon));
CREATE INDEX weekly_activity ON weekly (activity);
CREATE INDEX weekly_weekday ON weekly (weekday, start_min, end_min);
CREATE INDEX dated_activity ON dated (activity);
ALTER TABLE exceptions ADD PRIMARY KEY (activity, day);
ALTER TABLE calendar ADD PRIMARY KEY (day);
INSERT INTO terms SELECT word, length(word) FROM ts_stat('SELECT tsv FROM activities');
ALTER TABLE terms ADD PRIMARY KEY (term);
CREATE INDEX terms_len ON terms (len);
";

const NEAR_TERMS: &str = "SELECT term FROM terms WHERE len BETWEEN $1::integer AND $2::integer \
     AND levenshtein_less_equal(term, $3::text, $4::integer) <= $4::integer";

const TABLE_BYTES: &str = "SELECT coalesce(sum(pg_total_relation_size(oid)), 0)::bigint FROM pg_class \
     WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace";

/// One pooled connection and the statements it has prepared.
struct Conn {
    client: Client,
    statements: HashMap<String, Statement>,
}

impl Conn {
    fn statement(&mut self, sql: &str) -> anyhow::Result<Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self
            .client
            .prepare(sql)
            .with_context(|| format!("preparing {sql}"))?;
        self.statements.insert(sql.to_owned(), s.clone());
        Ok(s)
    }
}

/// The PostgreSQL baseline.
pub struct Postgres {
    admin: Config,
    config: Config,
    database: String,
    pool: Mutex<Vec<Conn>>,
}

/// COPY's text format: backslash, tab and line breaks escaped.
fn copy_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

/// A `tsvector` or `tsquery` lexeme, quoted so Postgres takes it as it is.
fn lexeme(t: &str) -> String {
    format!("'{}'", t.replace('\\', "\\\\").replace('\'', "''"))
}

/// The tsquery: words ANDed, each word's alternatives ORed, each alternative's token sets
/// ANDed, each set's terms ORed.
fn tsquery(words: &[Resolved]) -> String {
    words
        .iter()
        .map(|alternatives| {
            let alts: Vec<String> = alternatives
                .iter()
                .map(|sets| {
                    let sets: Vec<String> = sets
                        .iter()
                        .map(|set| {
                            let terms: Vec<String> = set.iter().map(|t| lexeme(t)).collect();
                            format!("({})", terms.join(" | "))
                        })
                        .collect();
                    format!("({})", sets.join(" & "))
                })
                .collect();
            format!("({})", alts.join(" | "))
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

fn connect(config: &Config) -> anyhow::Result<Client> {
    config
        .connect(NoTls)
        .context("connecting to PostgreSQL (run bench/setup.sh and set SIGNPOST_BENCH_PG)")
}

impl Postgres {
    /// Creates a fresh database on the server named by `SIGNPOST_BENCH_PG` and loads every
    /// item into it. `work_dir` is not used: the data lives in the server's cluster.
    pub fn build(items: &[IndexedActivity], work_dir: &Path) -> anyhow::Result<(Self, BuildStats)> {
        let _ = work_dir;
        let conninfo = std::env::var(ENV).map_err(|_| {
            anyhow::anyhow!(
                "{ENV} is not set: run bench/setup.sh, which starts a throwaway PostgreSQL on loopback and prints it"
            )
        })?;
        Self::build_on(items, &conninfo)
    }

    /// As [`Postgres::build`], on the server at `conninfo`.
    pub fn build_on(
        items: &[IndexedActivity],
        conninfo: &str,
    ) -> anyhow::Result<(Self, BuildStats)> {
        static BUILDS: AtomicU64 = AtomicU64::new(0);
        let admin =
            Config::from_str(conninfo).context("reading the PostgreSQL connection string")?;
        let database = format!(
            "signpost_bench_{}_{}",
            std::process::id(),
            BUILDS.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin_client = connect(&admin)?;
        admin_client.batch_execute(&format!("DROP DATABASE IF EXISTS {database}"))?;
        admin_client.batch_execute(&format!("CREATE DATABASE {database}"))?;
        drop(admin_client);
        let mut config = admin.clone();
        config.dbname(&database);
        let engine = Postgres {
            admin,
            config,
            database,
            pool: Mutex::new(Vec::new()),
        };
        let started = Instant::now();
        let mut client = connect(&engine.config)?;
        client.batch_execute(SCHEMA)?;
        load(&mut client, items)?;
        client.batch_execute(AFTER_LOAD)?;
        client.batch_execute("VACUUM ANALYZE")?;
        let build_seconds = started.elapsed().as_secs_f64();
        let bytes: i64 = client.query_one(TABLE_BYTES, &[])?.get(0);
        Ok((
            engine,
            BuildStats {
                build_seconds,
                disk_bytes: bytes.max(0) as u64,
            },
        ))
    }

    fn with_connection<T>(
        &self,
        f: impl FnOnce(&mut Conn) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        let taken = self.pool.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let mut conn = match taken {
            Some(c) => c,
            None => Conn {
                client: connect(&self.config)?,
                statements: HashMap::new(),
            },
        };
        let out = f(&mut conn);
        // A connection that failed mid-query may be unusable: only healthy ones go back.
        if !conn.client.is_closed() {
            self.pool
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(conn);
        }
        out
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        self.pool.lock().unwrap_or_else(|p| p.into_inner()).clear();
        if let Ok(mut admin) = connect(&self.admin) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.database
            ));
        }
    }
}

/// Every row, by COPY in the text format.
fn load(client: &mut Client, items: &[IndexedActivity]) -> anyhow::Result<()> {
    let flats = shared::flatten(items);
    let opt = |v: Option<i64>| v.map_or_else(|| "\\N".to_owned(), |v| v.to_string());
    let mut tables: Vec<(&str, String)> = vec![
        ("activities", String::new()),
        ("activity_categories", String::new()),
        ("venues", String::new()),
        ("weekly", String::new()),
        ("dated", String::new()),
        ("exceptions", String::new()),
        ("calendar", String::new()),
    ];
    {
        let [
            (_, activities),
            (_, categories),
            (_, venues),
            (_, weekly),
            (_, dated),
            (_, exceptions),
            (_, calendar),
        ] = &mut tables[..]
        else {
            unreachable!("seven tables")
        };
        for (i, f) in flats.iter().enumerate() {
            let id = i as i64 + 1;
            activities.push_str(&format!("{id}\t"));
            copy_text(activities, &f.id);
            let tsv: Vec<String> = f.tokens.iter().map(|t| lexeme(t)).collect();
            activities.push_str(&format!(
                "\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t",
                f.order_key,
                f.age_min,
                f.age_max,
                f.ends_on,
                i64::from(f.free),
                shared::gender_code(f.gender),
                f.access,
                opt(f.verified_until),
                f.confirmed,
                f.mask,
            ));
            copy_text(activities, &tsv.join(" "));
            activities.push('\n');
            for c in &f.categories {
                categories.push_str(&format!("{id}\t{}\n", c.index()));
            }
            for (lat, lon) in &f.venues {
                // `{:?}` prints the shortest text that reads back as the same f64.
                venues.push_str(&format!("{id}\t{lat:?}\t{lon:?}\n"));
            }
            for w in &f.weekly {
                weekly.push_str(&format!(
                    "{id}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                    w.weekday,
                    w.start,
                    w.end,
                    w.term,
                    opt(w.valid_from),
                    opt(w.valid_to)
                ));
            }
            for d in &f.dated {
                dated.push_str(&format!("{id}\t{}\t{}\t{}\n", d.day, d.start, d.end));
            }
            for d in &f.exceptions {
                exceptions.push_str(&format!("{id}\t{d}\n"));
            }
        }
        for (day, weekday, holiday) in shared::calendar_rows() {
            calendar.push_str(&format!("{day}\t{weekday}\t{}\n", i64::from(holiday)));
        }
    }
    for (table, rows) in &tables {
        let mut writer = client.copy_in(&format!("COPY {table} FROM STDIN"))?;
        writer.write_all(rows.as_bytes())?;
        writer
            .finish()
            .with_context(|| format!("copying {table}"))?;
    }
    Ok(())
}

fn to_sql(p: &Param) -> Box<dyn ToSql + Sync> {
    match p {
        Param::Int(v) => Box::new(*v),
        Param::Real(v) => Box::new(*v),
        Param::Text(v) => Box::new(v.clone()),
    }
}

impl Engine for Postgres {
    fn name(&self) -> &str {
        "postgres"
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
                    let near = conn.statement(NEAR_TERMS)?;
                    let client = &mut conn.client;
                    let found = shared::resolve(words, |token, edits| {
                        let len = token.chars().count() as i32;
                        let e = edits as i32;
                        let rows = client.query(&near, &[&(len - e), &(len + e), &token, &(2 * e)])?;
                        Ok(rows
                            .iter()
                            .map(|r| r.get::<_, String>(0))
                            .filter(|t| shared::within_edits(t, token, edits))
                            .collect())
                    })?;
                    match found {
                        Some(r) => Some(r),
                        None => return Ok(Answer::default()),
                    }
                }
            };
            let mut sql = Sql::new(Flavor::Postgres);
            let mut source = Source {
                ctes: Vec::new(),
                from: "FROM activities a".into(),
                conditions: Vec::new(),
                km: "0.0::float8".into(),
                score: "0.0::float4".into(),
            };
            if let Some(near) = &q.near {
                let (lat, lon) = (near.point.lat(), near.point.lon());
                // Every point within the radius on the model's sphere is within this on
                // earthdistance's larger one; 1% and 10 m more for the box's own rounding.
                let box_m = near.radius_km * 1000.0 * (EARTHDISTANCE_RADIUS_M / 6_371_008.8) * 1.01
                    + 10.0;
                let (plat, plon, blat, blon, b) = (
                    sql.real(lat),
                    sql.real(lon),
                    sql.real(lat),
                    sql.real(lon),
                    sql.real(box_m),
                );
                source.from = format!(
                    "FROM (SELECT v.activity AS aid, min(haversine_km(v.lat, v.lon, {plat}, {plon})) AS km \
                       FROM venues v WHERE earth_box(ll_to_earth({blat}, {blon}), {b}) @> ll_to_earth(v.lat, v.lon) \
                       GROUP BY v.activity) d \
                     JOIN activities a ON a.id = d.aid"
                );
                source.km = "d.km".into();
                source
                    .conditions
                    .push(format!("d.km <= {}", sql.real(near.radius_km + RADIUS_SLACK_KM)));
            }
            if let Some(words) = &resolved {
                let text = tsquery(words);
                let (q1, q2) = (sql.text(text.clone()), sql.text(text));
                source.conditions.push(format!("a.tsv @@ {q1}::tsquery"));
                source.score = format!("ts_rank(a.tsv, {q2}::tsquery)");
            }
            // As in SQLite: with a place, each of the few candidates' sessions are looked up;
            // without one, the activities with a fitting session are found once (measured:
            // each form is several times slower in the other case).
            let time_form = if q.near.is_some() {
                TimeForm::PerCandidate
            } else {
                TimeForm::Set
            };
            search_sql(&mut sql, &ask, source, shared::order_by(q.sort), time_form)?;
            let stmt = conn.statement(&sql.text)?;
            let params: Vec<Box<dyn ToSql + Sync>> = sql.params.iter().map(to_sql).collect();
            let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref()).collect();
            let rows = conn.client.query(&stmt, &refs)?;
            let mut collect = Collect::default();
            for r in rows {
                let part: i32 = r.get(0);
                let category: Option<i32> = r.get(1);
                collect.row(i64::from(part), category.map(i64::from), r.get(2), r.get(3));
            }
            Ok(collect.answer())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexemes_are_quoted_and_the_query_nests() {
        assert_eq!(lexeme("o'neil"), "'o''neil'");
        let words = vec![vec![vec![vec!["a".to_owned(), "b".to_owned()]]]];
        assert_eq!(tsquery(&words), "((('a' | 'b')))");
    }
}
