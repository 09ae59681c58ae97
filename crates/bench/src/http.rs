//! The HTTP part: the real `signpost serve` on an existing index, loaded by oha.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::mix::BenchQuery;
use crate::report::{HttpLevel, HttpResult};

/// Seconds each load level runs for.
const LEVEL_SECONDS: u64 = 10;

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Peak resident memory so far, from the kernel's high-water mark.
    fn peak_rss_mb(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    }
}

/// Starts the server and waits for it to answer `first`; returns it and the time taken.
fn start(
    server: &Path,
    data: &Path,
    index: &Path,
    first: &BenchQuery,
) -> anyhow::Result<(Server, Duration)> {
    let started = Instant::now();
    let mut child = Command::new(server)
        .arg("serve")
        .arg("--no-seed")
        .arg("--data-dir")
        .arg(data)
        .arg("--index-dir")
        .arg(index)
        .args(["--addr", "127.0.0.1:0"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| {
            format!(
                "starting {} (build it with `cargo build --release -p signpost`)",
                server.display()
            )
        })?;
    let stdout = child.stdout.take().context("server stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let base = loop {
        let Some(line) = lines.next() else {
            anyhow::bail!("the server stopped before printing its address");
        };
        if let Some(rest) = line?.split("running at ").nth(1) {
            break rest.trim().trim_end_matches('/').to_owned();
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    let server = Server { child, base };
    let url = format!("{}/api/search?{}", server.base, first.query_string());
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::blocking::Client::builder().no_proxy().build()?;
    loop {
        // Not listening yet counts as not answered yet.
        if client
            .get(&url)
            .send()
            .is_ok_and(|r| r.status().is_success())
        {
            break;
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(120),
            "the server did not answer within 2 minutes"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    Ok((server, started.elapsed()))
}

/// Runs oha once and reads its JSON summary.
fn oha(oha: &Path, urls: &Path, load: &[String]) -> anyhow::Result<HttpLevel> {
    let out = Command::new(oha)
        .args(["--no-tui", "--output-format", "json", "-z"])
        .arg(format!("{LEVEL_SECONDS}s"))
        .args(load)
        .arg("--urls-from-file")
        .arg(urls)
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("running {} (install it with bench/setup.sh)", oha.display()))?;
    anyhow::ensure!(
        out.status.success(),
        "oha failed: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).context("oha's JSON")?;
    let s = &v["summary"];
    let status = v["statusCodeDistribution"].as_object();
    let ok = status
        .and_then(|m| m.get("200"))
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0) as usize;
    let all: usize = status
        .map(|m| {
            m.values()
                .filter_map(serde_json::Value::as_u64)
                .sum::<u64>() as usize
        })
        .unwrap_or(0);
    // Requests still in flight when the time is up are cut off, not failed.
    let errors: usize = v["errorDistribution"]
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(k, _)| !k.contains("deadline"))
                .filter_map(|(_, n)| n.as_u64())
                .sum::<u64>() as usize
        })
        .unwrap_or(0);
    let pct = |p: &str| v["latencyPercentiles"][p].as_f64().unwrap_or(0.0) * 1000.0;
    Ok(HttpLevel {
        requests: all,
        rps: s["requestsPerSec"].as_f64().unwrap_or(0.0),
        p50_ms: pct("p50"),
        p99_ms: pct("p99"),
        errors: errors + (all - ok),
        ..HttpLevel::default()
    })
}

/// The whole HTTP run for one size.
pub fn run(
    server: &Path,
    oha_bin: &Path,
    data: &Path,
    index: &Path,
    queries: &[BenchQuery],
) -> anyhow::Result<HttpResult> {
    let first = queries.first().context("an empty query mix")?;
    let (srv, start) = start(server, data, index, first)?;
    eprintln!(
        "  server answered {:.2} s after starting",
        start.as_secs_f64()
    );
    let dir = tempfile::tempdir()?;
    let write_urls = |name: &str, api: bool, html: bool| -> anyhow::Result<std::path::PathBuf> {
        let path = dir.path().join(name);
        let mut text = String::new();
        for (i, q) in queries.iter().enumerate() {
            let page = if api && (!html || i % 2 == 0) {
                "/api/search"
            } else {
                "/"
            };
            text.push_str(&format!("{}{page}?{}\n", srv.base, q.query_string()));
        }
        std::fs::write(&path, text)?;
        Ok(path)
    };
    let api = write_urls("api.txt", true, false)?;
    let html = write_urls("html.txt", false, true)?;
    let mixed = write_urls("mixed.txt", true, true)?;
    let mut levels = Vec::new();
    for (target, urls) in [("/api/search", &api), ("/ (HTML)", &html)] {
        for c in [1usize, 16, 64] {
            let mut l = oha(oha_bin, urls, &["-c".into(), c.to_string()])?;
            l.target = target.into();
            l.concurrency = c;
            eprintln!(
                "  {target} c={c}: {:.0} req/s, p99 {:.2} ms",
                l.rps, l.p99_ms
            );
            levels.push(l);
        }
    }
    let mut saturated = oha(oha_bin, &mixed, &["-c".into(), "64".into()])?;
    saturated.target = "mixed".into();
    saturated.concurrency = 64;
    let rate = (saturated.rps / 2.0).max(1.0).round();
    eprintln!(
        "  mixed saturation {:.0} req/s; open loop at {rate}/s",
        saturated.rps
    );
    levels.push(saturated);
    let mut open = oha(
        oha_bin,
        &mixed,
        &[
            "-c".into(),
            "64".into(),
            "-q".into(),
            format!("{rate}"),
            "--latency-correction".into(),
        ],
    )?;
    open.target = "mixed".into();
    open.rate = rate;
    levels.push(open);
    Ok(HttpResult {
        start_seconds: start.as_secs_f64(),
        peak_rss_mb: srv.peak_rss_mb(),
        levels,
    })
}
