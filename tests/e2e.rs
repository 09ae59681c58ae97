//! End-to-end tests: they drive the built `signpost` binary the way a person would.
//!
//! Every test starts its own server on `127.0.0.1:0` with its own temporary data and index
//! directories, learns the address from the line the server prints, and kills the server when it
//! is done (see [`Server`]). Nothing here talks to anything but loopback.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::net::TcpListener;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{Dirs, EXIT_TIMEOUT, Server, cli, repo_root, run_with_timeout, signpost};
use serde_json::{Value, json};

impl Server {
    /// A search that must succeed.
    async fn search(&self, query: &str) -> Value {
        let (status, body) = self.json(&format!("/api/search?{query}")).await;
        assert_eq!(status, 200, "search {query}: {body}");
        body
    }

    async fn total(&self, query: &str) -> u64 {
        self.search(query).await["total"].as_u64().unwrap()
    }

    /// Every result of a search, page by page, in order.
    async fn all_results(&self, query: &str) -> Vec<Value> {
        let mut out = Vec::new();
        for page in 1.. {
            let sep = if query.is_empty() { "" } else { "&" };
            let body = self
                .search(&format!("{query}{sep}per_page=100&page={page}"))
                .await;
            let total = body["total"].as_u64().unwrap() as usize;
            let results = body["results"].as_array().unwrap();
            out.extend(results.iter().cloned());
            if results.is_empty() || out.len() >= total {
                assert_eq!(out.len(), total, "{query}: results do not add up to total");
                break;
            }
        }
        out
    }

    /// The ids of every result of a search, in order, and the total.
    async fn ids(&self, query: &str) -> (u64, Vec<String>) {
        let results = self.all_results(query).await;
        let ids = results
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect();
        (results.len() as u64, ids)
    }
}

/// A small directory file: one provider and two activities in HU5, plus the HU5 centre.
fn small_directory() -> String {
    let activity = |id: &str, title: &str, category: &str| {
        json!({
            "id": id,
            "provider_id": "test-club",
            "title": title,
            "description": "A test listing.",
            "categories": [category],
            "ages": "8-13",
            "cost": {"free": true},
            "schedule": {"weekly": [{"day": "saturday", "start": "10:00", "end": "11:30"}]},
            "venues": [{"name": "Test Hall", "postcode": "HU5 3AB", "lat": 53.761, "lon": -0.372}],
            "join": {"methods": ["drop-in"]},
            "last_updated": "2026-10-02T09:30:00Z"
        })
    };
    json!({
        "format": "signpost-directory",
        "version": 1,
        "postcodes": [{"postcode": "HU5", "lat": 53.7596, "lon": -0.3752, "town": "Hull"}],
        "providers": [{"id": "test-club", "name": "Test Club"}],
        "activities": [
            activity("test-club-football", "Saturday Test Football", "sport"),
            activity("test-club-art", "Saturday Test Art", "arts-crafts"),
        ]
    })
    .to_string()
}

/// A file with one good activity (for the provider already stored) and one bad one.
fn half_bad_directory(bad: Value) -> String {
    json!({
        "format": "signpost-directory",
        "version": 1,
        "activities": [
            {
                "id": "test-club-drama",
                "provider_id": "test-club",
                "title": "Test Drama",
                "categories": ["dance-drama"],
                "ages": "10-16",
                "venues": [{"name": "Test Hall", "postcode": "HU5", "lat": 53.761, "lon": -0.372}],
                "last_updated": "2026-10-02T09:30:00Z"
            },
            bad
        ]
    })
    .to_string()
}

fn sorted(ids: &[String]) -> BTreeSet<String> {
    ids.iter().cloned().collect()
}

#[tokio::test]
async fn serve_loads_the_sample_directory_on_first_start_and_answers_searches() {
    let dirs = Dirs::new();
    let server = Server::start(&dirs, &[]);

    let total = server.total("").await;
    // The sample has 378 activities; the few that have ended are hidden.
    assert!(
        total > 300 && total <= 378,
        "expected the sample directory, got {total}"
    );

    let near = server
        .all_results("near=HU5&radius_km=5&sort=distance")
        .await;
    assert!(!near.is_empty(), "nothing within 5 km of HU5");
    let distances: Vec<f64> = near
        .iter()
        .map(|r| {
            r["distance_km"]
                .as_f64()
                .unwrap_or_else(|| panic!("a result near HU5 has no distance: {r}"))
        })
        .collect();
    assert!(
        distances.iter().all(|d| (0.0..=5.0).contains(d)),
        "a result is further than 5 km: {distances:?}"
    );
    assert!(
        distances.windows(2).all(|w| w[0] <= w[1]),
        "sort=distance is not nearest first: {distances:?}"
    );
    let body = server.search("near=HU5&radius_km=5&sort=distance").await;
    assert_eq!(body["location"]["label"], "HU5", "{}", body["location"]);

    let (status, html) = server.get("/").await;
    assert_eq!(status, 200);
    assert!(html.contains("Find things to do"), "{html}");
    server.stop();
}

#[tokio::test]
async fn user_invite_prints_a_one_time_link_that_works_while_serving() {
    let dirs = Dirs::new();
    let server = Server::start(&dirs, &["--no-seed"]);
    let ran = cli(
        &dirs,
        &[
            "user",
            "invite",
            "--email",
            "Admin@Council.example",
            "--role",
            "admin",
            "--public-url",
            &server.url,
        ],
    );
    assert!(ran.status.success(), "{ran}");
    let link = ran
        .stdout
        .lines()
        .find(|l| l.contains("/account/password?token="))
        .unwrap_or_else(|| panic!("no link in {ran}"))
        .trim()
        .to_owned();
    assert!(link.starts_with(&server.url), "{link}");
    let page = reqwest::get(&link).await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("admin@council.example"));
    let listed = cli(&dirs, &["user", "list"]);
    assert!(
        listed
            .stdout
            .contains("admin@council.example\tadmin\t\tinvited"),
        "{listed}"
    );

    // Mistakes get a clear message and create nothing.
    let again = cli(
        &dirs,
        &[
            "user",
            "invite",
            "--email",
            "admin@council.example",
            "--role",
            "admin",
        ],
    );
    assert!(
        !again.status.success() && again.stderr.contains("already an account"),
        "{again}"
    );
    let no_org = cli(
        &dirs,
        &[
            "user",
            "invite",
            "--email",
            "p@x.example",
            "--role",
            "provider",
        ],
    );
    assert!(
        !no_org.status.success() && no_org.stderr.contains("--org"),
        "{no_org}"
    );
    let bad_role = cli(
        &dirs,
        &["user", "invite", "--email", "p@x.example", "--role", "boss"],
    );
    assert!(
        !bad_role.status.success() && bad_role.stderr.contains("not a role"),
        "{bad_role}"
    );
    let reset = cli(&dirs, &["user", "reset", "--email", "nobody@x.example"]);
    assert!(
        !reset.status.success() && reset.stderr.contains("no account"),
        "{reset}"
    );
    assert_eq!(cli(&dirs, &["user", "list"]).stdout.lines().count(), 1);
    server.stop();
}

#[tokio::test]
async fn no_seed_starts_an_empty_directory() {
    let dirs = Dirs::new();
    let server = Server::start(&dirs, &["--no-seed"]);
    let body = server.search("").await;
    assert_eq!(body["total"], 0, "{body}");
    assert_eq!(body["results"], json!([]), "{body}");
    server.stop();
}

#[tokio::test]
async fn a_second_start_does_not_load_the_seed_twice_and_keeps_data() {
    let dirs = Dirs::new();
    let first = Server::start(&dirs, &[]);
    let (total, ids) = first.ids("").await;
    assert!(total > 300, "{total}");
    let football = first.search("q=football").await["total"].clone();
    let stderr = first.stop();
    assert!(
        stderr.contains("Loaded the sample directory"),
        "the first start did not say it loaded the sample: {stderr}"
    );

    // Change one sample listing, as a person would, while the server is stopped.
    let seed: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("seed-data/directory.json")).unwrap(),
    )
    .unwrap();
    let mut changed = seed["activities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == ids[0].as_str())
        .unwrap()
        .clone();
    changed["title"] = json!("Renamed by the end-to-end test");
    let file = dirs.write(
        "change.json",
        &json!({"format": "signpost-directory", "version": 1, "activities": [changed]}).to_string(),
    );
    let ran = cli(&dirs, &["import", file.to_str().unwrap()]);
    assert!(ran.status.success(), "{ran}");

    let second = Server::start(&dirs, &[]);
    let (total_again, ids_again) = second.ids("").await;
    assert_eq!(total_again, total);
    assert_eq!(sorted(&ids_again), sorted(&ids));
    assert_eq!(second.search("q=football").await["total"], football);
    // Had the sample been loaded again, it would have undone the change.
    let (status, one) = second.json(&format!("/api/activities/{}", ids[0])).await;
    assert_eq!(status, 200, "{one}");
    assert_eq!(one["title"], "Renamed by the end-to-end test");
    let stderr = second.stop();
    assert!(
        !stderr.contains("Loaded the sample"),
        "the second start loaded the sample again: {stderr}"
    );
}

#[tokio::test]
async fn deleting_the_index_loses_nothing() {
    const QUERIES: &[&str] = &[
        "",
        "q=football",
        "near=E15",
        "near=E15&sort=distance",
        "category=lgbtq",
        "place=Cornwall&radius_km=50&age=12",
    ];
    let dirs = Dirs::new();
    let server = Server::start(&dirs, &[]);
    let mut before = Vec::new();
    for q in QUERIES {
        before.push(server.ids(q).await);
    }
    server.stop();
    assert!(before.iter().all(|(total, _)| *total > 0), "{before:?}");

    std::fs::remove_dir_all(dirs.index()).unwrap();
    let server = Server::start(&dirs, &[]);
    for (q, (total, ids)) in QUERIES.iter().zip(&before) {
        let (total_after, ids_after) = server.ids(q).await;
        assert_eq!(total_after, *total, "{q}: total changed after a rebuild");
        assert_eq!(&ids_after, ids, "{q}: results changed after a rebuild");
    }
    let stderr = server.stop();
    assert!(
        stderr.contains("Rebuilt the search index from the database (378 activities)"),
        "{stderr}"
    );
    assert!(!stderr.contains("Loaded the sample"), "{stderr}");
}

#[tokio::test]
async fn a_data_directory_is_never_served_with_another_ones_index() {
    // The sample directory, served once: its index is at generation 1.
    let a = Dirs::new();
    Server::start(&a, &[]).stop();
    // A second data directory after one CSV import is at generation 1 too.
    let b = Dirs::new();
    let csv = b.write("one.csv", &csv_listings(1));
    let data_b = b.data().display().to_string();
    let index_a = a.index().display().to_string();
    let ran: common::Ran = common::signpost()
        .args(["import", "--data-dir", &data_b, "--index-dir", &index_a])
        .arg(&csv)
        .output()
        .unwrap()
        .into();
    assert!(ran.status.success(), "{ran}");
    // Given a's index, b is served with its own listing alone.
    let server = Server::start_with(&[
        "--no-seed".into(),
        "--data-dir".into(),
        data_b.clone(),
        "--index-dir".into(),
        index_a,
    ]);
    assert_eq!(server.total("").await, 1);
    assert_eq!(server.total("q=junior%20football").await, 1);
    server.stop();

    // Without --index-dir, a data directory keeps its index inside itself.
    let c = Dirs::new();
    let server = Server::start_with(&[
        "--no-seed".into(),
        "--data-dir".into(),
        c.data().display().to_string(),
    ]);
    assert_eq!(server.total("").await, 0);
    server.stop();
    assert!(c.data().join("index").join("meta.json").exists());
    assert!(!c.index().exists());
}

#[tokio::test]
async fn import_adds_listings_and_a_bad_file_changes_nothing() {
    let dirs = Dirs::new();
    let good = dirs.write("good.json", &small_directory());
    let ran = cli(&dirs, &["import", good.to_str().unwrap()]);
    assert!(ran.status.success(), "{ran}");
    assert!(ran.stdout.contains("2 added"), "{ran}");

    // An unknown category: the whole file is refused.
    let bad_category = dirs.write(
        "bad-category.json",
        &half_bad_directory(json!({
            "id": "test-club-quidditch", "provider_id": "test-club", "title": "Quidditch",
            "categories": ["quidditch"], "ages": "8-13",
            "venues": [{"name": "Test Hall", "lat": 53.761, "lon": -0.372}],
            "last_updated": "2026-10-02T09:30:00Z"
        })),
    );
    let ran = cli(&dirs, &["import", bad_category.to_str().unwrap()]);
    assert!(!ran.status.success(), "{ran}");
    assert!(ran.stderr.contains("quidditch"), "{ran}");
    assert!(ran.stderr.contains("is not a category"), "{ran}");
    assert!(ran.stderr.contains("nothing was changed"), "{ran}");

    // An activity whose provider is nowhere: the whole file is refused, naming both.
    let bad_provider = dirs.write(
        "bad-provider.json",
        &half_bad_directory(json!({
            "id": "orphan-activity", "provider_id": "nobody-at-all", "title": "Orphan",
            "categories": ["sport"], "ages": "8-13",
            "venues": [{"name": "Test Hall", "lat": 53.761, "lon": -0.372}],
            "last_updated": "2026-10-02T09:30:00Z"
        })),
    );
    let ran = cli(&dirs, &["import", bad_provider.to_str().unwrap()]);
    assert!(!ran.status.success(), "{ran}");
    assert!(ran.stderr.contains("orphan-activity"), "{ran}");
    assert!(ran.stderr.contains("nobody-at-all"), "{ran}");
    assert!(ran.stderr.contains("nothing was changed"), "{ran}");

    // Not JSON at all: the error says where.
    let not_json = dirs.write(
        "not-json.json",
        "{\n  \"format\": \"signpost-directory\",\n  this is not json\n}\n",
    );
    let ran = cli(&dirs, &["import", not_json.to_str().unwrap()]);
    assert!(!ran.status.success(), "{ran}");
    assert!(ran.stderr.contains("line 3"), "{ran}");
    assert!(ran.stderr.contains("not-json.json"), "{ran}");

    // A file that is not there.
    let ran = cli(&dirs, &["import", "no-such-file.json"]);
    assert!(!ran.status.success(), "{ran}");
    assert!(ran.stderr.contains("no-such-file.json"), "{ran}");

    let server = Server::start(&dirs, &["--no-seed"]);
    let (total, ids) = server.ids("").await;
    assert_eq!(total, 2, "{ids:?}");
    assert_eq!(
        sorted(&ids),
        sorted(&["test-club-art".into(), "test-club-football".into()])
    );
    // The postcode row came in too: HU5 can be searched from.
    let near = server.search("postcode=HU5&sort=distance").await;
    assert_eq!(near["total"], 2, "{near}");
    let (status, one) = server.json("/api/activities/test-club-football").await;
    assert_eq!(status, 200, "{one}");
    assert_eq!(one["title"], "Saturday Test Football");
    assert_eq!(one["provider"]["name"], "Test Club");
    let (status, _) = server.json("/api/activities/test-club-drama").await;
    assert_eq!(status, 404, "the good half of a refused file was stored");
    server.stop();
}

#[tokio::test]
async fn reindex_rebuilds_the_index() {
    let dirs = Dirs::new();
    let good = dirs.write("good.json", &small_directory());
    let ran = cli(&dirs, &["import", good.to_str().unwrap()]);
    assert!(ran.status.success(), "{ran}");

    let ran = cli(&dirs, &["reindex"]);
    assert!(ran.status.success(), "{ran}");
    assert!(ran.stdout.contains("Indexed 2 activities"), "{ran}");

    // With the index gone, reindex brings it back from the database.
    std::fs::remove_dir_all(dirs.index()).unwrap();
    let ran = cli(&dirs, &["reindex"]);
    assert!(ran.status.success(), "{ran}");
    assert!(ran.stdout.contains("Indexed 2 activities"), "{ran}");

    let server = Server::start(&dirs, &["--no-seed"]);
    assert_eq!(server.total("q=football").await, 1);
    assert_eq!(server.total("").await, 2);
    server.stop();
}

#[tokio::test]
async fn postcodes_import_loads_a_district_table() {
    let dirs = Dirs::new();
    let csv = dirs.write(
        "districts.csv",
        "postcode,latitude,longitude,town\nZE9,60.1,-1.2,Testtown\nnot-a-postcode,1,1,Nowhere\n",
    );
    let ran = cli(&dirs, &["postcodes", "import", csv.to_str().unwrap()]);
    assert!(ran.status.success(), "{ran}");
    assert!(ran.stdout.contains("Loaded 1 postcodes"), "{ran}");
    assert!(ran.stdout.contains("1 rows skipped"), "{ran}");

    // A CSV without the columns it needs is refused with a message saying which.
    let wrong = dirs.write("wrong.csv", "code,x,y\nZE9,60.1,-1.2\n");
    let ran = cli(&dirs, &["postcodes", "import", wrong.to_str().unwrap()]);
    assert!(!ran.status.success(), "{ran}");
    assert!(ran.stderr.contains("header row"), "{ran}");

    let server = Server::start(&dirs, &["--no-seed"]);
    let body = server.search("postcode=ZE9").await;
    assert_eq!(body["total"], 0, "{body}");
    assert_eq!(body["location"]["label"], "ZE9", "{body}");
    let (status, body) = server.json("/api/search?postcode=ZE8").await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["parameter"], "postcode", "{body}");
    let body = server.search("place=Testtown").await;
    assert_eq!(body["total"], 0, "{body}");
    server.stop();

    // The third-party district table, if this machine has it. Never copy it into the project.
    let gibbs = repo_root().join("../shared/samples/postcodes/gibbs_outcodes.csv");
    if gibbs.exists() {
        let ran = cli(&dirs, &["postcodes", "import", gibbs.to_str().unwrap()]);
        assert!(ran.status.success(), "{ran}");
        let loaded: u64 = ran
            .stdout
            .split("Loaded ")
            .nth(1)
            .and_then(|s| s.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no count in: {ran}"));
        assert!(loaded > 2000, "{ran}");
    }
}

#[tokio::test]
async fn a_port_in_use_gets_a_clear_error() {
    let dirs = Dirs::new();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let ran = run_with_timeout(
        signpost()
            .arg("serve")
            .args(dirs.args())
            .args(["--no-seed", "--addr", &addr]),
        EXIT_TIMEOUT,
    )
    .expect("serve kept running on a port that was in use");
    assert!(!ran.status.success(), "{ran}");
    assert!(ran.stderr.contains("already in use"), "{ran}");
    assert!(ran.stderr.contains(&addr), "{ran}");
    assert!(!ran.stdout.contains("is running"), "{ran}");
    drop(taken);
}

#[tokio::test]
async fn a_bad_map_tile_address_gets_a_clear_error() {
    let dirs = Dirs::new();
    let serve = |tiles: Option<&str>| {
        let mut cmd = signpost();
        cmd.arg("serve")
            .args(dirs.args())
            .args(["--no-seed", "--addr", "127.0.0.1:0"]);
        match tiles {
            Some(t) => cmd.args(["--map-tiles", t]),
            None => cmd.env("SIGNPOST_MAP_TILES", "tile.example.org/{z}/{x}/{y}.png"),
        };
        run_with_timeout(&mut cmd, EXIT_TIMEOUT).expect("serve started with a bad tile address")
    };
    for (tiles, says) in [
        (Some("tile.example.org/{z}/{x}/{y}.png"), "https://"),
        (Some("https://tile.example.org/{z}/{x}.png"), "needs {y}"),
        (
            Some("https://{s}.tile.example.org/{z}/{x}/{y}.png"),
            "plain host",
        ),
        // The environment variable is read and checked the same way.
        (None, "https://"),
    ] {
        let ran = serve(tiles);
        assert!(!ran.status.success(), "{ran}");
        assert!(
            ran.stderr.contains("--map-tiles") && ran.stderr.contains(says),
            "{ran}"
        );
        assert!(!ran.stdout.contains("is running"), "{ran}");
    }
}

#[tokio::test]
async fn an_unwritable_data_directory_gets_a_clear_error() {
    let dirs = Dirs::new();
    // Tests may run as root, where permission bits stop nothing; a file in the way does.
    let in_the_way = dirs.write("file.txt", "not a directory");
    let data = in_the_way.join("data");
    let with_dirs = |cmd: &str| {
        let mut c = signpost();
        c.arg(cmd)
            .arg("--data-dir")
            .arg(&data)
            .arg("--index-dir")
            .arg(dirs.index());
        c
    };
    let ran = run_with_timeout(
        with_dirs("serve").args(["--no-seed", "--addr", "127.0.0.1:0"]),
        EXIT_TIMEOUT,
    )
    .expect("serve kept running with a data directory it cannot use");
    assert!(!ran.status.success(), "{ran}");
    assert!(ran.stderr.contains("cannot use data directory"), "{ran}");
    assert!(ran.stderr.contains("file.txt"), "{ran}");
    assert!(!ran.stdout.contains("is running"), "{ran}");

    // The other commands say the same.
    let ran = run_with_timeout(&mut with_dirs("reindex"), EXIT_TIMEOUT).unwrap();
    assert!(!ran.status.success(), "{ran}");
    assert!(ran.stderr.contains("cannot use data directory"), "{ran}");
}

#[tokio::test]
async fn bad_input_never_gives_a_5xx() {
    const SEARCHES: &[&str] = &[
        "age=-3",
        "radius_km=1e9",
        "postcode=ZZ99 9ZZ",
        "page=99999",
        "category=quidditch",
        "q=%FF%FE",
        "%FF=1",
        "lat=91&lon=0",
        "lat=53",
        "sort=distance",
        "unknown=1",
        "per_page=0",
        "age=1&age=2",
        "postcode=HU5&place=Hull",
        "place=Atlantis",
        "radius_km=NaN",
    ];
    let long_q = format!("q={}", "a".repeat(10_000));
    let dirs = Dirs::new();
    let server = Server::start(&dirs, &[]);

    let searches = SEARCHES.iter().copied().chain([long_q.as_str()]);
    for query in searches {
        let shown: String = query.chars().take(40).collect();
        let (status, body) = server.json(&format!("/api/search?{query}")).await;
        assert_eq!(status, 400, "/api/search?{shown}: {body}");
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "/api/search?{shown}: {body}");
        assert_eq!(body["error"]["code"], "invalid_parameter", "{body}");
        assert!(body["error"]["parameter"].is_string(), "{body}");

        let (status, html) = server.get(&format!("/?{query}")).await;
        assert!(status < 500, "/?{shown} gave {status}");
        if query == "unknown=1" {
            // The page ignores parameters it does not know (tracking tags on shared links).
            assert_eq!(status, 200, "/?{shown}");
            continue;
        }
        assert_eq!(status, 400, "/?{shown}");
        // Every page's footer says "check the details", so look for the error box itself.
        assert!(
            html.contains("Please check your search") && html.contains("role=\"alert\""),
            "/?{shown} does not ask the person to check their search"
        );
    }

    for path in [
        "/api/activities/..%2F..%2Fetc",
        "/api/activities/%FF",
        "/api/activities/does-not-exist",
        "/api/providers/does-not-exist",
        "/api/nothing-here",
    ] {
        let (status, body) = server.get(path).await;
        assert_eq!(status, 404, "{path}: {body}");
        if path.starts_with("/api/activities") || path.starts_with("/api/providers") {
            let body: Value = serde_json::from_str(&body)
                .unwrap_or_else(|e| panic!("{path} did not answer JSON ({e}): {body}"));
            let message = body["error"]["message"].as_str().unwrap_or_default();
            assert!(!message.is_empty(), "{path}: {body}");
        }
    }

    for path in [
        "/activities/%FF",
        "/activities/does-not-exist",
        "/activities/..%2F..%2Fetc",
        "/providers/%FF",
        "/no/such/page",
    ] {
        let (status, html) = server.get(path).await;
        assert!(status < 500, "{path} gave {status}");
        assert_eq!(status, 404, "{path}");
        assert!(
            html.contains("Page not found"),
            "{path} does not say not found"
        );
    }
    // Characters that mean something to a search engine are just text to a person.
    for query in [
        "q=*",
        "q=(",
        "q=a:b",
        "q=title:football",
        "q=%22unclosed",
        "q=%00",
        "q=foo^2",
        "q=%5B1+TO+2%5D",
        "q=-",
        "q=%E2%80%8B",
        "q=AND",
    ] {
        let (status, body) = server.json(&format!("/api/search?{query}")).await;
        assert_eq!(status, 200, "/api/search?{query}: {body}");
        let (status, _) = server.get(&format!("/?{query}")).await;
        assert_eq!(status, 200, "/?{query}");
    }
    server.stop();
}

/// A CSV in Signpost's template with `n` listings in Hull, one provider.
fn csv_listings(n: usize) -> String {
    let mut out = String::from(
        "id,provider_name,provider_charity_number,title,categories,ages,schedule,venue_name,venue_postcode,venue_lat,venue_lon,free\n",
    );
    for i in 0..n {
        out.push_str(&format!(
            "row-{i},Hull Juniors FC,1190001,Junior Football {i},sport,8-12,saturday 10:00-11:30,Pearson Park,HU5 2TD,53.7{:02},-0.35,yes\n",
            i % 100
        ));
    }
    out
}

/// Waits until a search finds `want` listings (the server catches up with other processes'
/// writes every few seconds).
async fn wait_for_total(server: &Server, query: &str, want: u64) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let total = server.total(query).await;
        if total == want {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "search {query} found {total}, not {want}, after 20 s"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn importing_beside_a_running_server_shows_within_seconds() {
    let dirs = Dirs::new();
    let server = Server::start(&dirs, &["--no-seed"]);

    // The template people fill in is on the site, and imports as it is.
    let (status, template) = server.get("/import/template.csv").await;
    assert_eq!(status, 200);
    assert!(template.starts_with("id,provider_name,"), "{template}");
    let file = dirs.write("template.csv", &template);
    let dry = cli(&dirs, &["import", "--dry-run", file.to_str().unwrap()]);
    assert!(dry.status.success(), "{dry}");
    assert!(dry.stdout.contains("1 added"), "{dry}");
    assert!(dry.stdout.contains("nothing was written"), "{dry}");
    // Read the database itself, not the server's index (which follows it every 2 s): an
    // export of it holds no listing.
    let out = dirs.root().join("after-dry-run.csv");
    let export = cli(
        &dirs,
        &["export", "--format", "csv", "--out", out.to_str().unwrap()],
    );
    assert!(export.status.success(), "{export}");
    let exported = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        exported.lines().count(),
        1,
        "a dry run writes nothing: {exported}"
    );
    assert_eq!(server.total("").await, 0);

    let ran = cli(&dirs, &["import", file.to_str().unwrap()]);
    assert!(ran.status.success(), "{ran}");
    assert!(ran.stdout.contains("1 added"), "{ran}");
    assert!(
        ran.stdout.contains("signpost serve is using this data"),
        "{ran}"
    );
    wait_for_total(&server, "", 1).await;

    // A file with good and bad rows: the good ones are imported, each bad one is named.
    let mixed = dirs.write(
        "mixed.csv",
        &format!(
            "{}row-bad,Hull Juniors FC,,No Venue,sport,8-12,saturday 10:00-11:00,,,,,yes\nrow-bad2,Hull Juniors FC,,Bad Ages,sport,12-8,,Hall,,53.7,-0.35,yes\n",
            csv_listings(3)
        ),
    );
    let ran = cli(&dirs, &["import", mixed.to_str().unwrap()]);
    assert!(ran.status.success(), "{ran}");
    assert!(ran.stdout.contains("3 added"), "{ran}");
    assert!(ran.stdout.contains("2 rejected"), "{ran}");
    assert!(ran.stdout.contains("mixed.csv line 5"), "{ran}");
    assert!(ran.stdout.contains("mixed.csv line 6"), "{ran}");
    wait_for_total(&server, "", 4).await;
    wait_for_total(&server, "q=junior+football&age=10", 3).await;

    // The same file again changes nothing.
    let again = cli(&dirs, &["import", mixed.to_str().unwrap()]);
    assert!(
        again.stdout.contains("0 added, 0 updated, 3 unchanged"),
        "{again}"
    );
    server.stop();
}

/// Whether a write transaction holds `db` now: another writer cannot begin.
fn write_in_progress(db: &Path) -> bool {
    let Ok(conn) = rusqlite::Connection::open_with_flags(
        db,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) else {
        return false;
    };
    let _ = conn.busy_timeout(Duration::ZERO);
    match conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;") {
        Ok(()) => false,
        Err(e) => e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy),
    }
}

#[tokio::test]
async fn an_import_killed_part_way_writes_nothing_of_the_file_and_a_rerun_does_it_all() {
    let dirs = Dirs::new();
    let rows = 20_000;
    let file = dirs.write("big.csv", &csv_listings(rows));
    let mut cmd = signpost();
    cmd.args(["import", file.to_str().unwrap()])
        .args(dirs.args())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut child = cmd.spawn().unwrap();
    // Kill it while it writes the file: once a write transaction has held the database for
    // a while (the short writes made at start-up take a few milliseconds; the file's takes
    // seconds), so the kill is known to land inside it.
    let db = dirs.data().join("signpost.db");
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut held_since: Option<Instant> = None;
    loop {
        assert!(
            Instant::now() < deadline,
            "the import never started writing"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import finished before it could be killed mid-write"
        );
        if db.exists() && write_in_progress(&db) {
            let since = *held_since.get_or_insert_with(Instant::now);
            if since.elapsed() >= Duration::from_millis(300) {
                break;
            }
        } else {
            held_since = None;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "killed, not finished: {status}");

    // Nothing of the file was written: a dry run finds every row still to add.
    let dry = cli(&dirs, &["import", "--dry-run", file.to_str().unwrap()]);
    assert!(dry.status.success(), "{dry}");
    assert!(
        dry.stdout
            .contains(&format!("{rows} added, 0 updated, 0 unchanged")),
        "{dry}"
    );
    assert!(dry.stdout.contains("0 rejected"), "{dry}");

    let ran = cli(&dirs, &["import", file.to_str().unwrap()]);
    assert!(ran.status.success(), "{ran}");
    let server = Server::start(&dirs, &["--no-seed"]);
    assert_eq!(server.total("").await, rows as u64);
    // One provider, however the run was split: a page of them, and the provider's own page.
    let page = server.search("q=junior&per_page=100").await;
    let distinct: BTreeSet<String> = page["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["provider"]["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(distinct.len(), 1, "{distinct:?}");
    server.stop();
}

/// The sample directory's postcode districts as the CSV `signpost postcodes import` reads: a
/// new directory loads its postcode table first (in real life, the ONS Postcode Directory).
fn seed_postcodes_csv() -> String {
    let seed: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("seed-data/directory.json")).unwrap(),
    )
    .unwrap();
    let mut csv = String::from("postcode,latitude,longitude,town\n");
    for p in seed["postcodes"].as_array().unwrap() {
        csv.push_str(&format!(
            "{},{},{},{}\n",
            p["postcode"].as_str().unwrap(),
            p["lat"],
            p["lon"],
            p["town"].as_str().unwrap_or("")
        ));
    }
    csv
}

/// Searches that together touch every filter, sort and facet the API offers.
const ROUND_TRIP_QUERIES: &[&str] = &[
    "",
    "q=football",
    "q=footy",
    "q=art&near=TR1&age=10",
    "age=13",
    "age=1",
    "near=HU5&radius_km=5",
    "near=E15&sort=distance",
    "lat=53.76&lon=-0.37&radius_km=3&sort=distance",
    "day=saturday",
    "when=weekend",
    "when=after-school&near=HU3",
    "when=evening",
    "free=true",
    "max_price=3",
    "category=arts-crafts",
    "category=sport&category=music",
    "gender=girls",
    "gender=boys&age=14",
    "access=wheelchair",
    "access=quiet&access=send",
    "language=Polish",
    "join=drop-in",
    "join=professional-referral",
    "newcomers=alone",
    "newcomers=parent&age=5",
    "checked=true",
    "checked=true&near=E6",
    "sort=confirmed",
];

/// Every `id` and `*_id` in an ORUK file, each with the path of keys it was first found at
/// (`contents.organization.attributes.id`).
fn oruk_ids(file: &Path) -> BTreeMap<String, String> {
    fn walk(v: &Value, path: &str, out: &mut BTreeMap<String, String>) {
        match v {
            Value::Array(items) => items.iter().for_each(|i| walk(i, path, out)),
            Value::Object(map) => {
                for (k, v) in map {
                    let path = format!("{path}.{k}");
                    match v.as_str() {
                        Some(id) if k == "id" || k.ends_with("_id") => {
                            out.entry(id.to_owned()).or_insert(path);
                        }
                        _ => walk(v, &path, out),
                    }
                }
            }
            _ => {}
        }
    }
    let v: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    walk(&v, "", &mut out);
    out
}

/// The directory `to` was made from `file` (an ORUK export): importing the file again adds
/// nothing, and exporting `to` gives every record the UUID it had in the file.
fn oruk_round_trip_keeps_every_uuid(to: &Dirs, file: &Path, exported: usize) {
    let ran = cli(to, &["import", "--keep-checks", file.to_str().unwrap()]);
    assert!(ran.status.success(), "{ran}");
    assert!(ran.stdout.contains(" 0 added"), "nothing doubled: {ran}");
    let again = to.root().join("again.oruk");
    let ran = cli(
        to,
        &[
            "export",
            "--format",
            "oruk",
            "--out",
            again.to_str().unwrap(),
        ],
    );
    assert!(ran.status.success(), "{ran}");
    let (first, second) = (oruk_ids(file), oruk_ids(&again));
    assert!(first.len() > exported * 10, "{}", first.len());
    assert!(first.keys().all(|id| signpost_model::is_uuid(id)));
    let lost: Vec<_> = first
        .iter()
        .filter(|(id, _)| !second.contains_key(*id))
        .collect();
    assert!(
        lost.is_empty(),
        "every record keeps its UUID: {} lost, like {:?}",
        lost.len(),
        &lost[..lost.len().min(3)]
    );
    // The one thing the import adds: a provider with no postcode of its own is known by its
    // first venue's (`signpost:postcode`, so it is recognised across sources).
    let new: Vec<_> = second
        .iter()
        .filter(|(id, _)| !first.contains_key(*id))
        .collect();
    assert!(
        new.iter()
            .all(|(_, path)| path.contains("organization.attributes")),
        "{:?}",
        &new[..new.len().min(3)]
    );
}

/// Exports the sample directory in `format`, imports the file into an empty directory, and
/// checks both answer every search in the mix the same way: the same listings in the same
/// order with the same details, and the same category counts.
async fn export_then_import_gives_the_same_search_results(format: &str) {
    let from = Dirs::new();
    let ran = cli(&from, &["import", "seed-data/directory.json"]);
    assert!(ran.status.success(), "{ran}");
    let file = from.root().join(format!("export.{format}"));
    let ran = cli(
        &from,
        &[
            "export",
            "--format",
            format,
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert!(ran.status.success(), "{ran}");
    let exported: usize = ran
        .stderr
        .split("Exported ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("export says how many it wrote: {ran}"));
    assert!(exported > 300, "{ran}");

    let to = Dirs::new();
    let postcodes = to.write("postcodes.csv", &seed_postcodes_csv());
    let ran = cli(&to, &["postcodes", "import", postcodes.to_str().unwrap()]);
    assert!(ran.status.success(), "{ran}");
    let ran = cli(&to, &["import", "--keep-checks", file.to_str().unwrap()]);
    assert!(ran.status.success(), "{ran}");
    assert!(ran.stdout.contains(" 0 rejected"), "{ran}");
    assert!(
        ran.stdout.contains(&format!(" {exported} added")),
        "every exported listing is added: {ran}"
    );
    if format == "oruk" {
        oruk_round_trip_keeps_every_uuid(&to, &file, exported);
    }

    let a = Server::start(&from, &["--no-seed"]);
    let b = Server::start(&to, &["--no-seed"]);
    for query in ROUND_TRIP_QUERIES {
        // The two servers answer a moment apart, and an answer depends on the time ("next
        // session", `when=now`): when the original's answer changed while the copy was
        // asked (a session began or ended), ask both again.
        let (mut first, mut second, mut x, mut y);
        let mut tries = 0;
        loop {
            first = a.search(query).await;
            second = b.search(query).await;
            x = a.all_results(query).await;
            y = b.all_results(query).await;
            let settled = a.search(query).await == first && a.all_results(query).await == x;
            tries += 1;
            if settled || tries == 3 {
                break;
            }
        }
        assert!(
            first["total"].as_u64().unwrap() > 0,
            "'{query}' finds something, so the comparison means something"
        );
        assert_eq!(
            (&first["total"], &first["facets"], &first["location"]),
            (&second["total"], &second["facets"], &second["location"]),
            "{format}: totals, category counts and place for '{query}'"
        );
        let ids = |r: &[Value]| -> Vec<String> {
            r.iter()
                .map(|v| v["id"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(ids(&x), ids(&y), "{format}: results of '{query}'");
        for (p, q) in x.iter().zip(&y) {
            assert_eq!(p, q, "{format}: '{query}' shows {} differently", p["id"]);
        }
    }
    // Every listing and provider page agrees too, safeguarding record included.
    let mut providers = BTreeSet::new();
    for r in a.all_results("").await {
        let path = format!("/api/activities/{}", r["id"].as_str().unwrap());
        let (p, q) = (a.json(&path).await, b.json(&path).await);
        assert_eq!(p.0, 200, "{format}: {path}");
        assert_eq!(p, q, "{format}: {path}");
        providers.insert(r["provider"]["id"].as_str().unwrap().to_owned());
    }
    for id in providers {
        let path = format!("/api/providers/{id}");
        let (p, q) = (a.json(&path).await, b.json(&path).await);
        assert_eq!(p.0, 200, "{format}: {path}");
        assert_eq!(p, q, "{format}: {path}");
    }
    a.stop();
    b.stop();
}

#[tokio::test]
async fn an_open_referral_export_imports_into_an_empty_directory_with_the_same_results() {
    export_then_import_gives_the_same_search_results("oruk").await;
}

#[tokio::test]
async fn a_csv_export_imports_into_an_empty_directory_with_the_same_results() {
    export_then_import_gives_the_same_search_results("csv").await;
}

/// `signpost generate --activities 1500 --seed 7 --out FILE`, run to completion.
fn generate(out: &std::path::Path, activities: &str) -> common::Ran {
    signpost()
        .args([
            "generate",
            "--activities",
            activities,
            "--seed",
            "7",
            "--out",
        ])
        .arg(out)
        .output()
        .unwrap()
        .into()
}

#[tokio::test]
async fn a_generated_directory_is_reproducible_imports_and_is_searchable_near_its_towns() {
    let dirs = Dirs::new();
    let first = dirs.root().join("synth-a.json");
    let ran = generate(&first, "1500");
    assert!(ran.status.success(), "{ran}");
    assert!(
        ran.stderr
            .contains("Generated 1500 activities from 375 providers"),
        "{ran}"
    );
    let second = dirs.root().join("synth-b.json");
    let ran = generate(&second, "1500");
    assert!(ran.status.success(), "{ran}");
    assert!(
        std::fs::read(&first).unwrap() == std::fs::read(&second).unwrap(),
        "the same seed gave different files"
    );

    let ran = cli(&dirs, &["import", first.to_str().unwrap()]);
    assert!(ran.status.success(), "{ran}");
    assert!(
        ran.stdout.contains("1500 added") && ran.stdout.contains("375 new providers"),
        "{ran}"
    );

    let server = Server::start(&dirs, &["--no-seed"]);
    // A few listings have ended or were withdrawn: search hides them.
    let total = server.total("").await;
    assert!((1300..1500).contains(&total), "{total} listings found");

    // Leeds's centre district, then Leeds by name (its own radius), then London, which is
    // ten times the size.
    let near = server.all_results("near=LS1&radius_km=10").await;
    assert!(!near.is_empty(), "nothing within 10 km of LS1");
    for r in &near {
        let d = r["distance_km"].as_f64().unwrap();
        assert!(d <= 10.0 + 0.1, "{d} km from LS1: {r}");
    }
    let leeds = server.search("near=Leeds").await;
    assert_eq!(leeds["location"]["label"], "Leeds", "{}", leeds["location"]);
    assert!(leeds["total"].as_u64().unwrap() > 0, "{leeds}");
    let london = server.total("near=WC2N&radius_km=10").await;
    assert!(
        london > near.len() as u64,
        "London {london}, Leeds {}",
        near.len()
    );
    // The vocabulary and the filters behave as on any directory.
    assert!(server.total("q=netball&near=London&radius_km=15").await > 0);
    assert!(server.total("free=true&day=saturday").await > 0);
    server.stop();

    // A count that is not one fails at once, says why, and writes nothing.
    for bad in ["0", "garbage", "1.5", "99999999999"] {
        let out = dirs.root().join("bad.json");
        let ran = generate(&out, bad);
        assert!(!ran.status.success(), "{bad}: {ran}");
        assert!(
            ran.stderr.contains("whole number from 1 to"),
            "{bad}: {ran}"
        );
        assert!(!out.exists(), "{bad}: a file was written");
    }
}
