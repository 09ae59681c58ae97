//! Running a mix against an engine and summarising the timings.

use std::time::{Duration, Instant};

use crate::mix::{BenchQuery, Class};
use crate::{Answer, Engine};

/// Latency percentiles and throughput of one run.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Latency {
    pub queries: usize,
    pub p50_us: f64,
    pub p95_us: f64,
    pub p99_us: f64,
    pub max_us: f64,
    /// Queries per second over the whole run (all threads together).
    pub qps: f64,
}

impl Latency {
    pub fn of(mut times: Vec<Duration>, wall: Duration) -> Latency {
        if times.is_empty() {
            return Latency::default();
        }
        times.sort();
        let at = |p: f64| {
            let i = ((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1;
            times[i].as_secs_f64() * 1e6
        };
        Latency {
            queries: times.len(),
            p50_us: at(0.50),
            p95_us: at(0.95),
            p99_us: at(0.99),
            max_us: at(1.0),
            qps: times.len() as f64 / wall.as_secs_f64().max(1e-9),
        }
    }
}

/// One engine's run of the mix on some threads: overall and per class.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Run {
    pub threads: usize,
    pub all: Latency,
    pub by_class: Vec<(Class, Latency)>,
}

/// Runs every query once on each of `threads` threads (the mix split between them), after
/// one untimed pass to warm caches. Returns the answers of the timed pass in mix order.
pub fn run(
    engine: &dyn Engine,
    mix: &[BenchQuery],
    threads: usize,
) -> anyhow::Result<(Run, Vec<Answer>)> {
    let (mut runs, answers) = runs(engine, mix, &[threads])?;
    Ok((runs.remove(0), answers))
}

/// One untimed pass to warm caches, then a timed pass of the whole mix for each entry of
/// `threads`. The first timed pass leaves the engine as warm as a second warm-up would, so
/// there is one warm-up in all: at 1M a slow baseline's pass takes minutes. Returns the runs
/// in `threads` order and the answers of the first, in mix order.
pub fn runs(
    engine: &dyn Engine,
    mix: &[BenchQuery],
    threads: &[usize],
) -> anyhow::Result<(Vec<Run>, Vec<Answer>)> {
    anyhow::ensure!(!threads.is_empty(), "no thread counts to run the mix on");
    for q in mix {
        engine.search(q)?;
    }
    let mut runs = Vec::with_capacity(threads.len());
    let mut first = None;
    for &t in threads {
        let (run, answers) = timed(engine, mix, t)?;
        runs.push(run);
        first.get_or_insert(answers);
    }
    Ok((runs, first.unwrap_or_default()))
}

/// One timed pass of the mix, split between `threads` threads.
fn timed(
    engine: &dyn Engine,
    mix: &[BenchQuery],
    threads: usize,
) -> anyhow::Result<(Run, Vec<Answer>)> {
    let threads = threads.max(1);
    let started = Instant::now();
    let results: Vec<anyhow::Result<Vec<(usize, Duration, Answer)>>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                s.spawn(move || {
                    let mut out = Vec::new();
                    for (i, q) in mix.iter().enumerate().skip(t).step_by(threads) {
                        let began = Instant::now();
                        let answer = engine.search(q)?;
                        out.push((i, began.elapsed(), answer));
                    }
                    Ok(out)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a bench thread panicked")))
            })
            .collect()
    });
    let wall = started.elapsed();
    let mut timed: Vec<(usize, Duration, Answer)> = Vec::with_capacity(mix.len());
    for r in results {
        timed.extend(r?);
    }
    timed.sort_by_key(|(i, _, _)| *i);
    let by_class = Class::ALL
        .iter()
        .map(|c| {
            let times = timed
                .iter()
                .filter(|(i, _, _)| mix[*i].class == *c)
                .map(|(_, t, _)| *t)
                .collect();
            // Per-class throughput is not meaningful in a mixed run; keep latency only.
            let mut l = Latency::of(times, wall);
            l.qps = 0.0;
            (*c, l)
        })
        .collect();
    let all = Latency::of(timed.iter().map(|(_, t, _)| *t).collect(), wall);
    Ok((
        Run {
            threads,
            all,
            by_class,
        },
        timed.into_iter().map(|(_, _, a)| a).collect(),
    ))
}

/// How one engine's answers compare with the oracle's, per class.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Agreement {
    pub class: Option<Class>,
    pub queries: usize,
    /// Same total and the same category counts.
    pub counts_agree: usize,
    /// Of the queries with a defined order: the same page of ids.
    pub pages_compared: usize,
    pub pages_agree: usize,
    /// Up to five disagreements, described, for the report.
    pub examples: Vec<String>,
}

pub fn agreement(mix: &[BenchQuery], oracle: &[Answer], engine: &[Answer]) -> Vec<Agreement> {
    let mut out: Vec<Agreement> = Class::ALL
        .iter()
        .map(|c| Agreement {
            class: Some(*c),
            ..Agreement::default()
        })
        .collect();
    for ((q, want), got) in mix.iter().zip(oracle).zip(engine) {
        let Some(a) = out.iter_mut().find(|a| a.class == Some(q.class)) else {
            continue;
        };
        a.queries += 1;
        let counts_ok = want.total == got.total && want.categories == got.categories;
        if counts_ok {
            a.counts_agree += 1;
        }
        let mut page_ok = true;
        if q.order_defined() {
            a.pages_compared += 1;
            page_ok = want.page == got.page;
            if page_ok {
                a.pages_agree += 1;
            }
        }
        if (!counts_ok || !page_ok) && a.examples.len() < 5 {
            a.examples.push(format!(
                "{}: expected total {} got {}{}",
                q.query_string(),
                want.total,
                got.total,
                if page_ok { "" } else { "; page differs" }
            ));
        }
    }
    out
}
