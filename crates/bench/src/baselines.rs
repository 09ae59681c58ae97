//! Running a baseline engine by name, recording a failure to build as a result rather than
//! stopping the whole benchmark (a missing server should not lose the other numbers).

use std::path::Path;

use signpost_search::IndexedActivity;

use crate::mix::BenchQuery;
use crate::report::EngineResult;
use crate::{Answer, BuildStats, Engine, stats};

/// The baselines `--baselines` accepts.
pub const NAMES: &[&str] = &["sqlite", "postgres", "typesense"];

fn build(
    name: &str,
    items: &[IndexedActivity],
    work: &Path,
) -> anyhow::Result<(Box<dyn Engine>, BuildStats)> {
    fn boxed<E: Engine + 'static>(
        built: anyhow::Result<(E, BuildStats)>,
    ) -> anyhow::Result<(Box<dyn Engine>, BuildStats)> {
        built.map(|(e, s)| (Box::new(e) as Box<dyn Engine>, s))
    }
    match name {
        "sqlite" => boxed(crate::sqlite::Sqlite::build(items, work)),
        "postgres" => boxed(crate::postgres::Postgres::build(items, work)),
        "typesense" => boxed(crate::typesense::Typesense::build(items, work)),
        other => anyhow::bail!("unknown baseline {other:?}: expected one of {NAMES:?}"),
    }
}

/// Builds `name`, runs the mix on one and two threads and compares with `truth`.
pub fn run(
    name: &str,
    items: &[IndexedActivity],
    work: &Path,
    queries: &[BenchQuery],
    truth: &[Answer],
) -> EngineResult {
    let mut result = EngineResult {
        name: name.to_owned(),
        ..EngineResult::default()
    };
    let mut attempt = || -> anyhow::Result<()> {
        let dir = work.join(name);
        std::fs::create_dir_all(&dir)?;
        let (engine, built) = build(name, items, &dir)?;
        eprintln!("  {name} built in {:.1} s", built.build_seconds);
        result.build = built;
        let (runs, answers) = stats::runs(engine.as_ref(), queries, &[1, 2])?;
        result.runs = runs;
        result.agreement = stats::agreement(queries, truth, &answers);
        Ok(())
    };
    if let Err(e) = attempt() {
        eprintln!("  {name} did not run: {e:#}");
        result.error = Some(format!("{e:#}"));
    }
    result
}
