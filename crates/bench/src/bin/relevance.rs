//! `signpost-relevance`: asks the judged queries (bench/relevance) of Signpost and, when the
//! Typesense server is installed (`bench/setup.sh`), of Typesense with the same listings, and
//! prints nDCG@10 and the zero-result rate of each.

use std::path::PathBuf;
use std::rc::Rc;

use clap::Parser;
use signpost_bench::relevance::{self, Ranker, Scores, SignpostRanker};
use signpost_bench::typesense_relevance::{Locate, TypesenseRanker};

#[derive(Parser)]
#[command(about = "How well search finds what people ask for, by judged queries")]
struct Args {
    /// The folder of judged queries.
    #[arg(long, default_value = "bench/relevance")]
    queries: PathBuf,
    /// The directory file the judgments were made on.
    #[arg(long, default_value = "seed-data/directory.json")]
    seed: PathBuf,
    /// Also list each query's score for the first engine.
    #[arg(long)]
    each: bool,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let queries = relevance::load(&args.queries)?;
    let signpost = Rc::new(SignpostRanker::build(&args.seed)?);
    // Typesense is given the places as Signpost places them.
    let places: Locate = {
        let signpost = signpost.clone();
        Box::new(move |near| signpost.place(near))
    };
    let mut rankers: Vec<Box<dyn Ranker>> = vec![Box::new(signpost)];
    match TypesenseRanker::build(&args.seed, places) {
        Ok(t) => rankers.push(Box::new(t)),
        Err(e) => eprintln!("Typesense is left out: {e:#}"),
    }
    if args.each {
        for q in &queries {
            let ranked = rankers[0].rank(q)?;
            println!(
                "{:.2}  {:<14} {:?} near {:?} -> {}",
                relevance::ndcg(&ranked, &q.judged),
                q.id,
                q.q,
                q.near,
                ranked.len()
            );
        }
    }
    let scores: Vec<Scores> = rankers
        .iter()
        .map(|r| relevance::score(r.as_ref(), &queries))
        .collect::<anyhow::Result<_>>()?;
    println!("{}", report(&scores));
    Ok(())
}

/// The table BENCHMARKS.md shows.
fn report(scores: &[Scores]) -> String {
    let mut out = String::from(
        "| engine | queries | nDCG@10 | found nothing where something fits | young people | parents | link workers |\n| --- | --- | --- | --- | --- | --- | --- |\n",
    );
    for s in scores {
        let asker = |k: &str| {
            s.by_asker
                .get(k)
                .map_or("-".to_owned(), |(_, n)| format!("{n:.3}"))
        };
        out.push_str(&format!(
            "| {} | {} | {:.3} | {:.1}% ({} of {}) | {} | {} | {} |\n",
            s.engine,
            s.queries,
            s.ndcg,
            100.0 * s.zero_rate(),
            s.empty_answerable,
            s.answerable,
            asker("young person"),
            asker("parent"),
            asker("link worker"),
        ));
    }
    for s in scores {
        if !s.empty_ids.is_empty() {
            out.push_str(&format!(
                "\n{} found nothing for: {}\n",
                s.engine,
                s.empty_ids.join(", ")
            ));
        }
    }
    out
}
