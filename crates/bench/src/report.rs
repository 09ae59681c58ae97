//! The results: bench/results.json whole, and the generated part of BENCHMARKS.md.

use std::fmt::Write as _;
use std::path::Path;

use crate::BuildStats;
use crate::mix::Class;
use crate::stats::{Agreement, Latency, Run};

#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct EngineResult {
    pub name: String,
    pub build: BuildStats,
    /// One thread, then two.
    pub runs: Vec<Run>,
    /// Against the brute-force scan, per class (empty for the scan itself).
    pub agreement: Vec<Agreement>,
    /// Why the engine could not run, when it could not.
    pub error: Option<String>,
}

/// One load level of the HTTP run.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct HttpLevel {
    /// What was asked for: `/api/search`, `/` (the HTML page) or both mixed.
    pub target: String,
    /// Connections kept busy (closed loop), or 0 for an open-loop run at `rate`.
    pub concurrency: usize,
    /// Requests per second offered (open loop), or 0.
    pub rate: f64,
    pub requests: usize,
    pub rps: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub errors: usize,
}

#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct HttpResult {
    /// From starting `signpost serve` on an existing index to the first answered search.
    pub start_seconds: f64,
    /// Peak resident memory of the server over the whole HTTP run.
    pub peak_rss_mb: f64,
    pub levels: Vec<HttpLevel>,
}

#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct SizeResult {
    pub activities: usize,
    /// The commit and day this size was measured on (sizes from earlier runs are kept).
    #[serde(default)]
    pub measured: String,
    pub store_load_seconds: f64,
    /// Reopening the directory on its existing index and answering one search, in process.
    pub start_seconds_in_process: f64,
    /// Median time from saving an edited listing to a search finding it.
    pub edit_to_searchable_ms: f64,
    pub engines: Vec<EngineResult>,
    pub http: Option<HttpResult>,
}

#[derive(serde::Serialize)]
struct Results<'a> {
    machine: Machine,
    queries: usize,
    seed: u64,
    sizes: &'a [SizeResult],
}

/// What [`earlier`] reads back.
#[derive(serde::Deserialize)]
struct Earlier {
    queries: usize,
    seed: u64,
    sizes: Vec<SizeResult>,
}

/// The sizes an earlier run wrote to `json_path` with the same mix, other than `except`:
/// kept so that running one size (1M alone, say) does not drop the others' tables. Nothing
/// when the file is missing, unreadable or from a different mix.
pub fn earlier(json_path: &Path, queries: usize, seed: u64, except: &[usize]) -> Vec<SizeResult> {
    let Ok(text) = std::fs::read_to_string(json_path) else {
        return Vec::new();
    };
    match serde_json::from_str::<Earlier>(&text) {
        Ok(e) if e.queries == queries && e.seed == seed => e
            .sizes
            .into_iter()
            .filter(|s| !except.contains(&s.activities))
            .collect(),
        Ok(_) => Vec::new(),
        Err(e) => {
            eprintln!(
                "not keeping earlier sizes: {} does not parse: {e}",
                json_path.display()
            );
            Vec::new()
        }
    }
}

/// The current commit and today's date, for [`SizeResult::measured`].
pub fn measured_now() -> String {
    let commit = std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown commit".into());
    format!("{commit}, {}", chrono::Local::now().format("%-d %B %Y"))
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct Machine {
    pub cpu: String,
    pub cores: usize,
    pub memory_gb: f64,
    pub os: String,
}

pub fn machine() -> Machine {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown".into());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory_kb: f64 = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0.0);
    let os = std::fs::read_to_string("/etc/os-release")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("PRETTY_NAME="))
        .map(|s| s.trim_matches('"').to_owned())
        .unwrap_or_else(|| std::env::consts::OS.to_owned());
    Machine {
        cpu,
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        memory_gb: memory_kb / 1024.0 / 1024.0,
        os,
    }
}

const START: &str =
    "<!-- results:start (written by signpost-bench; edit outside these markers) -->";
const END: &str = "<!-- results:end -->";

fn ms(us: f64) -> String {
    if us >= 100_000.0 {
        format!("{:.0}", us / 1000.0)
    } else if us >= 10_000.0 {
        format!("{:.1}", us / 1000.0)
    } else {
        format!("{:.2}", us / 1000.0)
    }
}

fn latency_of(run: &Run, class: Option<Class>) -> Option<&Latency> {
    match class {
        None => Some(&run.all),
        Some(c) => run.by_class.iter().find(|(k, _)| *k == c).map(|(_, l)| l),
    }
}

/// The generated Markdown for every size.
pub fn markdown(sizes: &[SizeResult], queries: usize, seed: u64) -> String {
    let m = machine();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Machine: {} ({} cores, {:.0} GB), {}. Mix: {queries} queries, seed {seed}.\n",
        m.cpu, m.cores, m.memory_gb, m.os
    );
    for size in sizes {
        let _ = writeln!(out, "### {} activities\n", size.activities);
        if !size.measured.is_empty() {
            let _ = writeln!(out, "Measured at {}.\n", size.measured);
        }
        let _ = writeln!(
            out,
            "In process, one thread: p50 / p99 latency in milliseconds per query class.\n"
        );
        let mut header = String::from("| engine |");
        let mut rule = String::from("| --- |");
        for c in Class::ALL {
            let _ = write!(header, " {} |", c.as_str());
            rule.push_str(" ---: |");
        }
        header.push_str(" all | QPS 1 thread | QPS 2 threads |");
        rule.push_str(" ---: | ---: | ---: |");
        let _ = writeln!(out, "{header}\n{rule}");
        for e in &size.engines {
            let _ = write!(out, "| {} |", e.name);
            if let Some(err) = &e.error {
                let _ = writeln!(out, " did not run: {} |", err.replace('|', "/"));
                continue;
            }
            let one = e.runs.first();
            for c in Class::ALL.iter().map(|c| Some(*c)).chain([None]) {
                match one.and_then(|r| latency_of(r, c)) {
                    Some(l) => {
                        let _ = write!(out, " {} / {} |", ms(l.p50_us), ms(l.p99_us));
                    }
                    None => out.push_str(" |"),
                }
            }
            let qps = |i: usize| e.runs.get(i).map_or(0.0, |r| r.all.qps);
            let _ = writeln!(out, " {:.0} | {:.0} |", qps(0), qps(1));
        }
        out.push('\n');
        // Ratios against Signpost on p99, per class.
        if let Some(sp) = size.engines.iter().find(|e| e.name == "signpost") {
            let _ = writeln!(
                out,
                "p99 of each engine divided by Signpost's p99 (above 1: Signpost is faster).\n"
            );
            let _ = writeln!(out, "{header}\n{rule}");
            for e in size
                .engines
                .iter()
                .filter(|e| e.name != "signpost" && e.error.is_none())
            {
                let _ = write!(out, "| {} |", e.name);
                for c in Class::ALL.iter().map(|c| Some(*c)).chain([None]) {
                    let theirs = e.runs.first().and_then(|r| latency_of(r, c));
                    let ours = sp.runs.first().and_then(|r| latency_of(r, c));
                    match (theirs, ours) {
                        (Some(t), Some(o)) if o.p99_us > 0.0 => {
                            let _ = write!(out, " {:.1}× |", t.p99_us / o.p99_us);
                        }
                        _ => out.push_str(" |"),
                    }
                }
                let q = |x: &EngineResult, i: usize| x.runs.get(i).map_or(0.0, |r| r.all.qps);
                let _ = writeln!(
                    out,
                    " {:.2}× | {:.2}× |",
                    q(sp, 0) / q(e, 0).max(1e-9),
                    q(sp, 1) / q(e, 1).max(1e-9)
                );
            }
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "Agreement with the brute-force scan (same total and category counts; same page where the order is defined):\n"
        );
        let _ = writeln!(
            out,
            "| engine | counts agree | pages agree | first disagreement |"
        );
        let _ = writeln!(out, "| --- | ---: | ---: | --- |");
        for e in size.engines.iter().filter(|e| !e.agreement.is_empty()) {
            let q: usize = e.agreement.iter().map(|a| a.queries).sum();
            let c: usize = e.agreement.iter().map(|a| a.counts_agree).sum();
            let pc: usize = e.agreement.iter().map(|a| a.pages_compared).sum();
            let pa: usize = e.agreement.iter().map(|a| a.pages_agree).sum();
            let first = e
                .agreement
                .iter()
                .find_map(|a| a.examples.first())
                .map_or(String::from("none"), |s| format!("`{s}`"));
            let _ = writeln!(out, "| {} | {c} / {q} | {pa} / {pc} | {first} |", e.name);
        }
        out.push('\n');
        let _ = writeln!(out, "| build and run | value |");
        let _ = writeln!(out, "| --- | ---: |");
        let _ = writeln!(
            out,
            "| store load (SQLite, {} activities) | {:.1} s |",
            size.activities, size.store_load_seconds
        );
        for e in size.engines.iter().filter(|e| e.error.is_none()) {
            let rate = size.activities as f64 / e.build.build_seconds.max(1e-9);
            let _ = writeln!(
                out,
                "| {} build | {:.1} s ({:.0} activities/s){} |",
                e.name,
                e.build.build_seconds,
                rate,
                if e.build.disk_bytes > 0 {
                    format!(", {:.1} MB on disk", e.build.disk_bytes as f64 / 1e6)
                } else {
                    String::new()
                }
            );
        }
        let _ = writeln!(
            out,
            "| Signpost start to first answer, in process, existing index | {:.2} s |",
            size.start_seconds_in_process
        );
        let _ = writeln!(
            out,
            "| Signpost edit to searchable (median of 20) | {:.0} ms |",
            size.edit_to_searchable_ms
        );
        if let Some(h) = &size.http {
            let _ = writeln!(
                out,
                "| `signpost serve` start to first answer, existing index | {:.2} s |",
                h.start_seconds
            );
            let _ = writeln!(
                out,
                "| `signpost serve` peak RSS | {:.0} MB |",
                h.peak_rss_mb
            );
            out.push('\n');
            let _ = writeln!(out, "Over HTTP (oha on the same machine, loopback):\n");
            let _ = writeln!(
                out,
                "| target | load | requests | req/s | p50 ms | p99 ms | errors |"
            );
            let _ = writeln!(out, "| --- | --- | ---: | ---: | ---: | ---: | ---: |");
            for l in &h.levels {
                let load = if l.rate > 0.0 {
                    format!("open loop at {:.0}/s", l.rate)
                } else {
                    format!("{} connections", l.concurrency)
                };
                let _ = writeln!(
                    out,
                    "| {} | {load} | {} | {:.0} | {:.2} | {:.2} | {} |",
                    l.target, l.requests, l.rps, l.p50_ms, l.p99_ms, l.errors
                );
            }
        }
        out.push('\n');
    }
    out
}

/// Writes both files. The JSON is replaced; in the Markdown only the part between the
/// results markers is (the file is created with the markers when missing). Returns what was
/// written, for the log.
pub fn write(
    sizes: &[SizeResult],
    markdown_path: &Path,
    json_path: &Path,
    queries: usize,
    seed: u64,
) -> anyhow::Result<String> {
    let json = serde_json::to_string_pretty(&Results {
        machine: machine(),
        queries,
        seed,
        sizes,
    })?;
    if let Some(parent) = json_path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(json_path, json + "\n")?;
    let generated = markdown(sizes, queries, seed);
    let existing = std::fs::read_to_string(markdown_path).unwrap_or_default();
    let text = match (existing.find(START), existing.find(END)) {
        (Some(a), Some(b)) if a < b => {
            format!("{}{START}\n\n{generated}{}", &existing[..a], &existing[b..])
        }
        _ => format!("{existing}\n## Results\n\n{START}\n\n{generated}{END}\n"),
    };
    std::fs::write(markdown_path, text)?;
    Ok(format!(
        "{} and {}",
        markdown_path.display(),
        json_path.display()
    ))
}
