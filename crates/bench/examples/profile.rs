//! Signpost alone at one size, keeping the store and index between runs: for profiling and
//! for trying a change quickly without the whole benchmark.
//!
//! ```text
//! cargo run --release -p signpost-bench --example profile -- --size 1m \
//!     [--dir bench/.work/profile] [--class time-near] [--repeat 3] [--rebuild]
//! cargo run --release -p signpost-bench --example profile -- \
//!     --urls http://127.0.0.1:3000/api/search > urls.txt   # for oha --urls-from-file
//! perf record -g target/release/examples/profile --size 1m --class filters --repeat 20
//! ```
//!
//! Prints p50/p99/max per class over all repeats, and the slowest queries.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Parser;
use signpost_bench::Engine;
use signpost_bench::mix::{self, Class};
use signpost_bench::signpost::{Signpost, load_store};
use signpost_bench::stats::Latency;
use signpost_synth::Synth;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value = "100k")]
    size: String,
    #[arg(long, default_value = "bench/.work/profile")]
    dir: PathBuf,
    /// Only this class of the mix (`text-near`, `filters`, ...).
    #[arg(long)]
    class: Option<String>,
    #[arg(long, default_value_t = 1)]
    repeat: usize,
    #[arg(long, default_value_t = 1000)]
    queries: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Rebuild the index from the store (timed) even when it is there.
    #[arg(long)]
    rebuild: bool,
    /// Instead of searching, print the mix as URLs on this server (for example
    /// `http://127.0.0.1:3000/api/search`), one a line, for `oha --urls-from-file`.
    #[arg(long)]
    urls: Option<String>,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if let Some(base) = &args.urls {
        for q in mix::generate(args.queries, args.seed) {
            println!("{base}?{}", q.query_string());
        }
        return Ok(());
    }
    let n = signpost_bench::parse_size(&args.size)?;
    let here = args.dir.join(format!("{n}-seed{}", args.seed));
    let (data, index) = (here.join("data"), here.join("index"));
    if !data.exists() {
        let took = load_store(&Synth::new(n, args.seed), &data)?;
        eprintln!("store loaded in {:.1} s", took.as_secs_f64());
    }
    let engine = if args.rebuild || !index.exists() {
        let (engine, stats) = Signpost::build(&data, &index)?;
        eprintln!("index built in {:.1} s", stats.build_seconds);
        engine
    } else {
        let started = Instant::now();
        let engine = Signpost::open(&data, &index)?;
        eprintln!("index opened in {:.3} s", started.elapsed().as_secs_f64());
        engine
    };
    let queries: Vec<_> = mix::generate(args.queries, args.seed)
        .into_iter()
        .filter(|q| args.class.as_deref().is_none_or(|c| q.class.as_str() == c))
        .collect();
    let mut times: Vec<(Class, Duration, usize)> = Vec::new();
    for _ in 0..args.repeat {
        for (i, q) in queries.iter().enumerate() {
            let started = Instant::now();
            engine.search(q)?;
            times.push((q.class, started.elapsed(), i));
        }
    }
    for class in Class::ALL {
        let t: Vec<Duration> = times
            .iter()
            .filter(|(c, ..)| c == class)
            .map(|(_, d, _)| *d)
            .collect();
        if t.is_empty() {
            continue;
        }
        let mean = t.iter().sum::<Duration>() / t.len() as u32;
        let l = Latency::of(t, Duration::from_secs(1));
        println!(
            "{:10} n {:5} mean {:7.3} ms  p50 {:7.3} ms  p99 {:7.3} ms  max {:7.3} ms",
            class.as_str(),
            l.queries,
            mean.as_secs_f64() * 1000.0,
            l.p50_us / 1000.0,
            l.p99_us / 1000.0,
            l.max_us / 1000.0
        );
    }
    times.sort_by_key(|t| std::cmp::Reverse(t.1));
    for (class, took, i) in times.iter().take(5) {
        let total = engine.search(&queries[*i])?.total;
        println!(
            "slow: {:.3} ms {} total {total}: {}",
            took.as_secs_f64() * 1000.0,
            class.as_str(),
            queries[*i].query_string()
        );
    }
    Ok(())
}
