//! The harness at a small size, in CI: Signpost and the brute-force scan must agree on every
//! query of the mix, and the report must come out with a row per engine.

use signpost_bench::report::{EngineResult, SizeResult};
use signpost_bench::{Engine, mix, oracle, signpost, stats};
use signpost_synth::Synth;

#[test]
fn signpost_agrees_with_the_brute_force_scan_on_the_whole_mix() {
    let synth = Synth::new(3_000, 11);
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let index = tmp.path().join("index");
    signpost::load_store(&synth, &data).unwrap();
    let (engine, build) = signpost::Signpost::build(&data, &index).unwrap();
    assert!(build.disk_bytes > 0);

    let queries = mix::generate(400, 5);
    let items: Vec<_> = signpost_bench::indexed(&synth).collect();
    assert_eq!(items.len(), 3_000);
    let truth_engine = oracle::Oracle::build(&items);
    let (_, truth) = stats::run(&truth_engine, &queries, 1).unwrap();
    // The mix must find things, or agreement would prove nothing.
    let found = truth.iter().filter(|a| a.total > 0).count();
    assert!(
        found * 10 >= queries.len() * 7,
        "only {found} queries found anything"
    );
    for class in mix::Class::ALL {
        assert!(
            queries
                .iter()
                .zip(&truth)
                .any(|(q, a)| q.class == *class && a.total > 0),
            "no {class:?} query found anything"
        );
    }

    let (run, answers) = stats::run(&engine, &queries, 2).unwrap();
    assert_eq!(run.all.queries, queries.len());
    let agreement = stats::agreement(&queries, &truth, &answers);
    for a in &agreement {
        assert_eq!(
            a.counts_agree, a.queries,
            "{:?}: {:#?}",
            a.class, a.examples
        );
        assert_eq!(
            a.pages_agree, a.pages_compared,
            "{:?}: {:#?}",
            a.class, a.examples
        );
    }

    let (engine, _) = engine.reopen(&queries[0]).unwrap();
    let ids: Vec<_> = (0..10).map(|i| synth.activity(i * 300).id).collect();
    assert!(engine.edit_to_searchable(&ids).unwrap().len() >= 5);

    let size = SizeResult {
        activities: 3_000,
        engines: vec![
            EngineResult {
                name: engine.name().into(),
                build,
                runs: vec![run],
                agreement,
                error: None,
            },
            EngineResult {
                name: "sqlite".into(),
                error: Some("not set up".into()),
                ..EngineResult::default()
            },
        ],
        ..SizeResult::default()
    };
    let md = tmp.path().join("BENCHMARKS.md");
    std::fs::write(&md, "# Benchmarks\n\nintro\n").unwrap();
    let json = tmp.path().join("results.json");
    signpost_bench::report::write(std::slice::from_ref(&size), &md, &json, 400, 5).unwrap();
    // Written twice: the generated part is replaced, the rest kept.
    let size_agreements = size.engines[0].agreement.len();
    signpost_bench::report::write(&[size], &md, &json, 400, 5).unwrap();
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(text.starts_with("# Benchmarks\n\nintro\n"));
    assert_eq!(text.matches("### 3000 activities").count(), 1, "{text}");
    assert!(text.contains("| signpost |"), "{text}");
    assert!(
        text.contains("| sqlite | did not run: not set up |"),
        "{text}"
    );
    assert!(text.contains("| signpost | 400 / 400 |"), "{text}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["sizes"][0]["activities"], 3000);

    // A later run of another size keeps this one; a different mix does not.
    let kept = signpost_bench::report::earlier(&json, 400, 5, &[1_000_000]);
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].engines[0].agreement.len(), size_agreements);
    assert!(signpost_bench::report::earlier(&json, 400, 5, &[3_000]).is_empty());
    assert!(signpost_bench::report::earlier(&json, 1000, 5, &[]).is_empty());
}
