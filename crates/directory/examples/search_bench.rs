//! Search latency on a directory N times the size of the sample data.
//!
//! `cargo run --release -p signpost-directory --example search_bench -- [COPIES] [ROUNDS]`
//!
//! Copies the sample activities COPIES times (default 25, about 9,450 activities), then runs
//! each kind of search ROUNDS times (default 50) and prints the median and 95th percentile.
//! Results are written down in BENCHMARKS.md at the repository root.

use std::time::{Duration, Instant};

use chrono::Utc;
use signpost_directory::{Directory, SearchParams, decode_query};
use signpost_ingest::Ingest;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let copies: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(25);
    let rounds: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(50);

    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let seed = std::fs::read_to_string(root.join("seed-data/directory.json"))?;
    let mut file: serde_json::Value = serde_json::from_str(&seed)?;
    let originals = file["activities"].as_array().cloned().unwrap_or_default();
    let mut all = Vec::new();
    for copy in 0..copies {
        for a in &originals {
            let mut a = a.clone();
            a["id"] = format!("{}-{copy}", a["id"].as_str().unwrap_or("x")).into();
            all.push(a);
        }
    }
    file["activities"] = all.into();
    let text = serde_json::to_string(&file)?;

    let tmp = tempfile::tempdir()?;
    let (dir, _) = Directory::open(&tmp.path().join("data"), &tmp.path().join("index"))?;
    let started = Instant::now();
    let (_, report) = Ingest::new(dir.backend(), Utc::now())
        .load_directory_files(true)
        .import_text("bench.json", &text)?;
    println!(
        "imported {} activities in {:.2?}",
        report.added,
        started.elapsed()
    );
    let started = Instant::now();
    let n = dir.reindex()?;
    println!(
        "rebuilt the index ({n} activities) in {:.2?}",
        started.elapsed()
    );

    let searches = [
        ("everything", ""),
        ("text", "q=football"),
        ("typo + synonym", "q=footy+clubb"),
        ("age + category", "age=13&category=sport&category=music"),
        ("near postcode", "near=HU5&radius_km=5"),
        (
            "near + sort distance",
            "near=E15&radius_km=10&sort=distance",
        ),
        ("when=evening", "when=evening"),
        ("day + near + age", "day=saturday&near=TR1&age=9"),
        ("checked + free", "checked=true&free=true"),
        (
            "everything combined",
            "q=club&age=12&near=HU5&radius_km=10&when=after-school&free=true&gender=girls&checked=true",
        ),
    ];
    println!(
        "{:<24} {:>8} {:>10} {:>10}",
        "search", "total", "median", "p95"
    );
    for (name, query) in searches {
        let params = SearchParams::parse(&decode_query(query)?)?;
        let mut times: Vec<Duration> = Vec::with_capacity(rounds);
        let mut total = 0;
        for _ in 0..rounds {
            let t = Instant::now();
            total = dir.search(params.clone())?.results.total;
            times.push(t.elapsed());
        }
        times.sort();
        let p = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
        println!("{name:<24} {total:>8} {:>10.2?} {:>10.2?}", p(0.5), p(0.95));
    }
    Ok(())
}
