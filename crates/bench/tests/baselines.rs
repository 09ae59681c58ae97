//! The baselines against the brute-force scan on the whole mix: every total and category
//! count, and every page whose order is defined, must be the oracle's.
//!
//! SQLite runs in process and always runs (in CI). PostgreSQL and Typesense need the servers
//! `bench/setup.sh` installs: they are heavy, out-of-CI comparisons, ignored unless asked for
//! with `cargo test -p signpost-bench --test baselines -- --ignored` after setting the
//! variables that script prints.

use signpost_bench::{Answer, BenchQuery, Engine, mix, oracle, stats};
use signpost_search::IndexedActivity;
use signpost_synth::Synth;

fn items() -> Vec<IndexedActivity> {
    let items: Vec<_> = signpost_bench::indexed(&Synth::new(2_000, 5)).collect();
    assert_eq!(items.len(), 2_000);
    items
}

fn describe(q: &BenchQuery, want: &Answer, got: &Answer) -> String {
    format!(
        "{:?} {}\n  oracle: total {} {:?}\n  engine: total {} {:?}\n  pages: {:?}\n      vs {:?}",
        q.class,
        q.query_string(),
        want.total,
        want.categories,
        got.total,
        got.categories,
        want.page,
        got.page
    )
}

/// Runs the mix on two threads and compares every answer with the oracle's.
fn agrees_with_the_oracle(engine: &dyn Engine, items: &[IndexedActivity]) {
    let queries = mix::generate(300, 3);
    let (_, truth) = stats::run(&oracle::Oracle::build(items), &queries, 1).unwrap();
    let found = truth.iter().filter(|a| a.total > 0).count();
    assert!(
        found * 2 >= queries.len(),
        "only {found} queries found anything"
    );
    let (_, answers) = stats::run(engine, &queries, 2).unwrap();
    let mut wrong = Vec::new();
    for ((q, want), got) in queries.iter().zip(&truth).zip(&answers) {
        let counts = want.total == got.total && want.categories == got.categories;
        let page = !q.order_defined() || want.page == got.page;
        if !(counts && page) {
            wrong.push(describe(q, want, got));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} answers differ from the oracle's:\n{}",
        wrong.len(),
        queries.len(),
        wrong.iter().take(8).cloned().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn sqlite_agrees_with_the_brute_force_scan_on_the_whole_mix() {
    let items = items();
    let tmp = tempfile::tempdir().unwrap();
    let (engine, built) = signpost_bench::sqlite::Sqlite::build(&items, tmp.path()).unwrap();
    assert!(built.disk_bytes > 0);
    agrees_with_the_oracle(&engine, &items);
}

#[test]
#[ignore = "out of CI: needs the PostgreSQL that bench/setup.sh starts (SIGNPOST_BENCH_PG)"]
fn postgres_agrees_with_the_brute_force_scan_on_the_whole_mix() {
    assert!(
        std::env::var_os(signpost_bench::postgres::ENV).is_some(),
        "set {} as bench/setup.sh prints it",
        signpost_bench::postgres::ENV
    );
    let items = items();
    let tmp = tempfile::tempdir().unwrap();
    let (engine, built) = signpost_bench::postgres::Postgres::build(&items, tmp.path()).unwrap();
    assert!(built.disk_bytes > 0);
    agrees_with_the_oracle(&engine, &items);
}

#[test]
#[ignore = "out of CI: needs the Typesense server that bench/setup.sh installs (SIGNPOST_BENCH_TYPESENSE_BIN)"]
fn typesense_agrees_with_the_brute_force_scan_on_the_whole_mix() {
    assert!(
        std::env::var_os(signpost_bench::typesense::ENV).is_some(),
        "set {} as bench/setup.sh prints it",
        signpost_bench::typesense::ENV
    );
    let items = items();
    let tmp = tempfile::tempdir().unwrap();
    let (engine, built) = signpost_bench::typesense::Typesense::build(&items, tmp.path()).unwrap();
    assert!(built.disk_bytes > 0);
    agrees_with_the_oracle(&engine, &items);
}
