//! `signpost-bench`: builds synthetic directories of the sizes asked for, runs the fixed
//! query mix against every engine, and writes BENCHMARKS.md's results section and
//! bench/results.json. `bench/run` is the one command that sets up and runs everything.

use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;
use signpost_bench::report::{self, EngineResult, SizeResult};
use signpost_bench::{Engine, mix, oracle, signpost, stats};
use signpost_synth::Synth;

#[derive(Parser)]
#[command(about = "Signpost's search benchmark, side by side with the alternatives")]
struct Args {
    /// Directory sizes in activities, comma separated; `k` and `m` suffixes allowed.
    #[arg(long, default_value = "10k", value_delimiter = ',')]
    sizes: Vec<String>,
    /// How many queries in the mix.
    #[arg(long, default_value_t = 1000)]
    queries: usize,
    /// Seed for the data and the mix.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Engines to run besides Signpost and the brute-force scan.
    #[arg(long, value_delimiter = ',', default_value = "")]
    baselines: Vec<String>,
    /// Also measure over HTTP with the built `signpost` binary and oha.
    #[arg(long)]
    http: bool,
    /// The `signpost` binary for the HTTP runs.
    #[arg(long, default_value = "target/release/signpost")]
    server: PathBuf,
    /// The oha load generator for the HTTP runs.
    #[arg(long, default_value = "oha")]
    oha: PathBuf,
    /// Where directories and indexes are built (kept between sizes only while in use).
    #[arg(long)]
    work_dir: Option<PathBuf>,
    /// Machine-readable results.
    #[arg(long, default_value = "bench/results.json")]
    json: PathBuf,
    /// The report; the part between the results markers is replaced.
    #[arg(long, default_value = "BENCHMARKS.md")]
    markdown: PathBuf,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let sizes = args
        .sizes
        .iter()
        .map(|s| signpost_bench::parse_size(s))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let work = match &args.work_dir {
        Some(d) => {
            std::fs::create_dir_all(d)?;
            tempfile::tempdir_in(d)?
        }
        None => tempfile::tempdir()?,
    };
    let queries = mix::generate(args.queries, args.seed);
    let mut results = report::earlier(&args.json, args.queries, args.seed, &sizes);
    for &n in &sizes {
        eprintln!("== {n} activities");
        results.push(run_size(&args, n, &queries, work.path())?);
        results.sort_by_key(|s| s.activities);
        let written = report::write(
            &results,
            &args.markdown,
            &args.json,
            args.queries,
            args.seed,
        )?;
        eprintln!("wrote {written}");
    }
    Ok(())
}

fn run_size(
    args: &Args,
    n: usize,
    queries: &[mix::BenchQuery],
    work: &std::path::Path,
) -> anyhow::Result<SizeResult> {
    let synth = Synth::new(n, args.seed);
    let here = work.join(n.to_string());
    let data = here.join("data");
    let index = here.join("index");
    let store_seconds = signpost::load_store(&synth, &data)?.as_secs_f64();
    eprintln!("  store loaded in {store_seconds:.1} s");

    let (engine, build) = signpost::Signpost::build(&data, &index)?;
    eprintln!("  signpost index built in {:.1} s", build.build_seconds);
    let (engine, start) = engine.reopen(&queries[0])?;
    let mut size = SizeResult {
        activities: n,
        measured: report::measured_now(),
        store_load_seconds: store_seconds,
        ..SizeResult::default()
    };

    let started = Instant::now();
    let items: Vec<signpost_search::IndexedActivity> = signpost_bench::indexed(&synth).collect();
    let oracle = oracle::Oracle::build(&items);
    let oracle_build = started.elapsed().as_secs_f64();
    eprintln!("  brute-force columns built in {oracle_build:.1} s");
    let (oracle_runs, truth) = stats::runs(&oracle, queries, &[1, 2])?;
    size.engines.push(EngineResult {
        name: oracle.name().to_owned(),
        build: signpost_bench::BuildStats {
            build_seconds: oracle_build,
            disk_bytes: 0,
        },
        runs: oracle_runs,
        agreement: Vec::new(),
        error: None,
    });

    let mut signpost_result = EngineResult {
        name: engine.name().to_owned(),
        build,
        ..EngineResult::default()
    };
    let (runs, answers) = stats::runs(&engine, queries, &[1, 2])?;
    signpost_result.runs = runs;
    signpost_result.agreement = stats::agreement(queries, &truth, &answers);
    let ids: Vec<_> = (0..20).map(|i| synth.activity(i * n / 20).id).collect();
    let edits = engine.edit_to_searchable(&ids)?;
    size.edit_to_searchable_ms =
        stats::Latency::of(edits, std::time::Duration::from_secs(1)).p50_us / 1000.0;
    size.start_seconds_in_process = start.as_secs_f64();
    size.engines.insert(0, signpost_result);
    drop(engine);

    for name in &args.baselines {
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        size.engines.push(signpost_bench::baselines::run(
            name, &items, &here, queries, &truth,
        ));
    }
    drop(items);
    drop(oracle);

    if args.http {
        size.http = Some(signpost_bench::http::run(
            &args.server,
            &args.oha,
            &data,
            &index,
            queries,
        )?);
    }
    let _ = std::fs::remove_dir_all(&here);
    Ok(size)
}
