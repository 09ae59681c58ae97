//! The crawler against a local fixture server (port 0): recorded feeds and pages, and the
//! faults real servers have. No test touches the network.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{TimeZone, Utc};
use serde_json::{Value, json};
use signpost_crawl::{Crawler, FetchConfig, Fetcher, Kind, Limits, SourceReport};
use signpost_ingest::Ingest;
use signpost_model::{
    Id, Verification, VerificationCheck,
    fixture::{self},
};
use signpost_store::{Backend, LinkKind, SqliteStore};

/// What the fixture answers for one path (with query).
#[derive(Clone)]
enum Reply {
    Json(Value),
    Text(&'static str, String),
    Status(u16),
    /// Fails with this status `n` times, then answers with the reply.
    FailThen(u16, usize, Box<Reply>),
    RetryAfter(u16, u64, usize, Box<Reply>),
    Slow(Duration, Box<Reply>),
    Redirect(String),
    Huge(usize),
    /// Answers 304 when the request carries this ETag, else the body with the ETag.
    ETagged(String, Box<Reply>),
    /// A body that never ends, one byte every so often.
    Trickle(Duration),
}

#[derive(Clone, Default)]
struct Fixture {
    routes: Arc<Mutex<HashMap<String, Reply>>>,
    hits: Arc<Mutex<Vec<(String, HeaderMap)>>>,
    fails: Arc<Mutex<HashMap<String, usize>>>,
}

impl Fixture {
    fn set(&self, path: &str, reply: Reply) {
        self.routes.lock().unwrap().insert(path.to_owned(), reply);
    }

    fn hits(&self, path: &str) -> usize {
        self.hits
            .lock()
            .unwrap()
            .iter()
            .filter(|(p, _)| p == path)
            .count()
    }

    fn headers_of_last(&self, path: &str) -> HeaderMap {
        self.hits
            .lock()
            .unwrap()
            .iter()
            .rev()
            .find(|(p, _)| p == path)
            .map(|(_, h)| h.clone())
            .unwrap_or_default()
    }
}

fn answer(fx: &Fixture, key: &str, reply: &Reply, headers: &HeaderMap) -> Response {
    match reply {
        Reply::Json(v) => {
            ([(header::CONTENT_TYPE, "application/json")], v.to_string()).into_response()
        }
        Reply::Text(ct, body) => ([(header::CONTENT_TYPE, *ct)], body.clone()).into_response(),
        Reply::Status(s) => StatusCode::from_u16(*s).unwrap().into_response(),
        Reply::FailThen(status, n, then) | Reply::RetryAfter(status, _, n, then) => {
            let mut fails = fx.fails.lock().unwrap();
            let done = fails.entry(key.to_owned()).or_default();
            if *done < *n {
                *done += 1;
                let mut r = StatusCode::from_u16(*status).unwrap().into_response();
                if let Reply::RetryAfter(_, secs, _, _) = reply {
                    r.headers_mut()
                        .insert(header::RETRY_AFTER, secs.to_string().parse().unwrap());
                }
                return r;
            }
            drop(fails);
            answer(fx, key, then, headers)
        }
        Reply::Slow(..) => unreachable!("handled by the async handler"),
        Reply::Trickle(every) => {
            let every = *every;
            let bytes = futures_util::stream::unfold((), move |()| async move {
                tokio::time::sleep(every).await;
                Some((
                    Ok::<_, std::convert::Infallible>(axum::body::Bytes::from_static(b" ")),
                    (),
                ))
            });
            (
                [(header::CONTENT_TYPE, "application/json")],
                axum::body::Body::from_stream(bytes),
            )
                .into_response()
        }
        Reply::Redirect(to) => {
            (StatusCode::FOUND, [(header::LOCATION, to.clone())]).into_response()
        }
        Reply::Huge(n) => {
            ([(header::CONTENT_TYPE, "application/json")], "x".repeat(*n)).into_response()
        }
        Reply::ETagged(tag, body) => {
            if headers
                .get(header::IF_NONE_MATCH)
                .is_some_and(|v| v.to_str().unwrap_or("") == tag)
            {
                return StatusCode::NOT_MODIFIED.into_response();
            }
            let mut r = answer(fx, key, body, headers);
            r.headers_mut().insert(header::ETAG, tag.parse().unwrap());
            r
        }
    }
}

async fn handle(State(fx): State<Fixture>, req: Request) -> Response {
    let key = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    fx.hits
        .lock()
        .unwrap()
        .push((key.clone(), req.headers().clone()));
    let reply = fx.routes.lock().unwrap().get(&key).cloned();
    match reply {
        Some(Reply::Slow(d, then)) => {
            tokio::time::sleep(d).await;
            answer(&fx, &key, &then, req.headers())
        }
        Some(r) => answer(&fx, &key, &r, req.headers()),
        None if key == "/robots.txt" => StatusCode::NOT_FOUND.into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn start() -> (Fixture, String) {
    let fx = Fixture::default();
    let app = Router::new().fallback(handle).with_state(fx.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (fx, format!("http://{addr}"))
}

fn quick() -> FetchConfig {
    FetchConfig {
        min_interval: Duration::ZERO,
        backoff: Duration::from_millis(10),
        read_timeout: Duration::from_millis(400),
        connect_timeout: Duration::from_millis(400),
        retries: 2,
        max_bytes: 200_000,
        ..FetchConfig::default()
    }
}

fn store() -> Arc<dyn Backend> {
    Arc::new(SqliteStore::open_in_memory().unwrap())
}

fn crawler(store: &Arc<dyn Backend>, max_pages: usize) -> Crawler {
    let now = Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap();
    Crawler::new(
        Fetcher::new(quick()).unwrap(),
        Ingest::new(store.clone(), now),
        Limits {
            max_pages,
            per_page: 2,
        },
    )
}

async fn crawl_one(store: &Arc<dyn Backend>, kind: Kind, url: &str) -> SourceReport {
    let mut reports = crawler(store, 50).crawl(kind, url).await;
    assert_eq!(reports.len(), 1, "one source");
    reports.remove(0)
}

fn series(id: &str, name: &str, lat: f64) -> Value {
    json!({
        "@context": "https://openactive.io/",
        "@type": "SessionSeries",
        "@id": format!("https://example.org/series/{id}"),
        "name": name,
        "description": "<p>Friendly football for <b>all</b>.</p><script>alert(1)</script>",
        "organizer": {"@type": "Organization", "name": "Hull Juniors FC", "url": "https://hulljuniors.example.org"},
        "location": {
            "@type": "Place", "name": "Pearson Park",
            "address": {"@type": "PostalAddress", "streetAddress": "Pearson Park", "postalCode": "HU5 2TD"},
            "geo": {"@type": "GeoCoordinates", "latitude": lat, "longitude": -0.35}
        },
        "activity": [{"@type": "Concept", "prefLabel": "Football"}],
        "ageRange": {"@type": "QuantitativeValue", "minValue": 8, "maxValue": 12},
        "eventSchedule": [{
            "@type": "Schedule", "byDay": ["https://schema.org/Saturday"],
            "startTime": "10:00", "endTime": "11:30", "repeatFrequency": "P1W",
            "scheduleTimezone": "Europe/London"
        }]
    })
}

fn updated(id: &str, modified: i64, data: Value) -> Value {
    json!({"state": "updated", "kind": "SessionSeries", "id": id, "modified": modified, "data": data})
}

fn deleted(id: &str, modified: i64) -> Value {
    json!({"state": "deleted", "kind": "SessionSeries", "id": id, "modified": modified})
}

fn page(base: &str, next: &str, items: Vec<Value>) -> Reply {
    Reply::Json(
        json!({"next": format!("{base}{next}"), "items": items, "license": "https://creativecommons.org/licenses/by/4.0/"}),
    )
}

fn listing(store: &Arc<dyn Backend>, source: &str, source_id: &str) -> signpost_model::Activity {
    let link = store
        .link(source, LinkKind::Activity, source_id)
        .unwrap()
        .unwrap_or_else(|| panic!("{source_id} from {source} was not imported"));
    store.activity(&link.target).unwrap().unwrap()
}

#[tokio::test]
async fn rpde_feed_is_followed_to_its_end_applies_deletions_and_resumes() {
    let (fx, base) = start().await;
    let feed = format!("{base}/feed");
    fx.set(
        "/feed",
        page(
            &base,
            "/feed?afterId=2",
            vec![
                updated("1", 100, series("1", "Saturday Football", 53.76)),
                updated("2", 101, series("2", "Sunday Football", 53.77)),
            ],
        ),
    );
    // An empty page whose next differs is not the end.
    fx.set("/feed?afterId=2", page(&base, "/feed?afterId=2b", vec![]));
    fx.set(
        "/feed?afterId=2b",
        page(
            &base,
            "/feed?afterId=3",
            vec![
                deleted("1", 102),
                updated(
                    "3",
                    637_884_288_000_000_000,
                    series("3", "Girls' Football <b>U12</b>", 53.75),
                ),
            ],
        ),
    );
    fx.set("/feed?afterId=3", page(&base, "/feed?afterId=3", vec![]));
    let store = store();
    let r = crawl_one(&store, Kind::OpenActive, &feed).await;
    assert_eq!(r.stopped, None, "{r:?}");
    assert_eq!(
        (r.summary.fetched, r.summary.added, r.summary.withdrawn),
        (4, 3, 1),
        "{:?}",
        r.summary
    );

    let first = listing(&store, &feed, "1");
    assert!(first.withdrawn, "a deleted item is withdrawn");
    let third = listing(&store, &feed, "3");
    assert_eq!(
        third.title, "Girls' Football U12",
        "markup in a title is stored as text"
    );
    assert!(!third.description.contains('<') && !third.description.contains("alert"));
    assert_eq!(third.ages.to_string(), "8-12");
    // Safe from the feed: the new provider is not checked.
    let provider = store.provider(&third.provider_id).unwrap().unwrap();
    assert_eq!(provider.verification, Verification::NotChecked);
    assert_eq!(
        store.source_cursor(&feed).unwrap().as_deref(),
        Some(format!("{base}/feed?afterId=3").as_str())
    );

    // The next run starts where this one ended, and finds nothing new.
    let again = crawl_one(&store, Kind::OpenActive, &feed).await;
    assert_eq!(again.summary.changed(), 0, "{:?}", again.summary);
    assert_eq!(fx.hits("/feed"), 1, "the first page is not read again");
    assert_eq!(fx.hits("/feed?afterId=3"), 2);
}

#[tokio::test]
async fn an_item_renamed_later_in_its_feed_changes_its_listing_in_place() {
    let (fx, base) = start().await;
    let feed = format!("{base}/feed");
    fx.set(
        "/feed",
        page(
            &base,
            "/feed?afterId=1",
            vec![updated("1", 100, series("1", "Saturday Football", 53.76))],
        ),
    );
    // Renamed twice: once on a later page, once twice over on one page.
    fx.set(
        "/feed?afterId=1",
        page(
            &base,
            "/feed?afterId=1b",
            vec![
                updated("1", 150, series("1", "Saturday Soccer", 53.76)),
                updated("1", 200, series("1", "Saturday Futsal", 53.76)),
            ],
        ),
    );
    fx.set("/feed?afterId=1b", page(&base, "/feed?afterId=1b", vec![]));
    let store = store();
    let r = crawl_one(&store, Kind::OpenActive, &feed).await;
    assert_eq!(r.stopped, None, "{r:?}");
    let all = store.activities().unwrap();
    assert_eq!(all.len(), 1, "one item, one listing: {all:#?}");
    let first_id = all[0].id.clone();
    // A later run finds it renamed again.
    fx.set(
        "/feed?afterId=1b",
        page(
            &base,
            "/feed?afterId=1c",
            vec![updated(
                "1",
                300,
                series("1", "Saturday Five-a-side", 53.76),
            )],
        ),
    );
    fx.set("/feed?afterId=1c", page(&base, "/feed?afterId=1c", vec![]));
    let r = crawl_one(&store, Kind::OpenActive, &feed).await;
    assert_eq!(r.summary.updated, 1, "{r:?}");
    let all = store.activities().unwrap();
    assert_eq!(all.len(), 1, "one item, one listing: {all:#?}");
    assert_eq!(all[0].id, first_id, "its address stays");
    assert_eq!(all[0].title, "Saturday Five-a-side");
    assert!(!listing(&store, &feed, "1").withdrawn);
}

#[tokio::test]
async fn sessions_join_their_series_from_another_feed_whichever_comes_first() {
    let (fx, base) = start().await;
    let session = |id: &str, start: &str, end: &str| {
        json!({"state": "updated", "kind": "ScheduledSession", "id": id, "modified": 5, "data": {
            "@context": "https://openactive.io/", "@type": "ScheduledSession",
            "@id": format!("https://example.org/sessions/{id}"),
            "superEvent": "https://example.org/series/9",
            "startDate": start, "endDate": end
        }})
    };
    fx.set(
        "/sessions",
        page(
            &base,
            "/sessions?end",
            vec![
                session("s1", "2026-12-05T10:00:00Z", "2026-12-05T11:00:00Z"),
                session(
                    "s2",
                    "2026-07-04T10:00:00+01:00",
                    "2026-07-04T11:00:00+01:00",
                ),
            ],
        ),
    );
    fx.set("/sessions?end", page(&base, "/sessions?end", vec![]));
    let mut only_dated = series("9", "Holiday Football", 53.76);
    only_dated.as_object_mut().unwrap().remove("eventSchedule");
    fx.set(
        "/series",
        page(&base, "/series?end", vec![updated("9", 1, only_dated)]),
    );
    fx.set("/series?end", page(&base, "/series?end", vec![]));

    let store = store();
    let sessions = crawl_one(&store, Kind::OpenActive, &format!("{base}/sessions")).await;
    assert_eq!(
        sessions.summary.waiting, 2,
        "sessions wait for their series: {:?}",
        sessions.summary
    );
    assert_eq!(sessions.summary.added, 0);
    let series = crawl_one(&store, Kind::OpenActive, &format!("{base}/series")).await;
    assert_eq!(series.summary.added, 1, "{:?}", series.summary);
    let a = listing(&store, &format!("{base}/series"), "9");
    let mut dated: Vec<String> = a
        .schedule
        .dated
        .iter()
        .map(|d| format!("{} {}-{}", d.date, d.start, d.end))
        .collect();
    dated.sort();
    // Times are London wall-clock: 10:00Z in December is 10:00; 10:00+01:00 in July is 10:00.
    assert_eq!(dated, ["2026-07-04 10:00-11:00", "2026-12-05 10:00-11:00"]);
}

#[tokio::test]
async fn a_dataset_site_leads_to_its_feeds() {
    let (fx, base) = start().await;
    let dataset = json!({
        "@context": ["https://schema.org/", "https://openactive.io/"],
        "@type": "Dataset", "name": "Hull Leisure Sessions",
        "distribution": [{"@type": "DataDownload", "name": "SessionSeries", "contentUrl": format!("{base}/feed"), "encodingFormat": "application/vnd.openactive.rpde+json; version=1"}]
    });
    fx.set("/", Reply::Text("text/html", format!(
        "<html><head><script type=\"application/ld+json\">{dataset}</script></head><body>Data</body></html>"
    )));
    fx.set(
        "/feed",
        page(
            &base,
            "/feed",
            vec![updated("1", 1, series("1", "Football", 53.76))],
        ),
    );
    let store = store();
    let reports = crawler(&store, 50)
        .crawl(Kind::OpenActive, &format!("{base}/"))
        .await;
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].url, format!("{base}/feed"));
    assert_eq!(reports[0].summary.added, 1, "{:?}", reports[0]);
}

#[tokio::test]
async fn server_errors_and_retry_after_are_retried_and_gone_feeds_stop() {
    let (fx, base) = start().await;
    fx.set(
        "/flaky",
        Reply::FailThen(
            500,
            2,
            Box::new(page(
                &base,
                "/busy",
                vec![updated("1", 1, series("1", "Football", 53.76))],
            )),
        ),
    );
    fx.set(
        "/busy",
        Reply::RetryAfter(503, 0, 1, Box::new(page(&base, "/busy", vec![]))),
    );
    let store = store();
    let r = crawl_one(&store, Kind::OpenActive, &format!("{base}/flaky")).await;
    assert_eq!(r.stopped, None, "{r:?}");
    assert_eq!(r.summary.added, 1);
    assert_eq!(fx.hits("/flaky"), 3, "two 500s then a good answer");
    assert_eq!(fx.hits("/busy"), 2, "a 503 with Retry-After is tried again");

    fx.set("/gone", Reply::Status(410));
    let r = crawl_one(&store, Kind::OpenActive, &format!("{base}/gone")).await;
    assert!(r.stopped.as_deref().unwrap_or("").contains("gone"), "{r:?}");
    assert_eq!(fx.hits("/gone"), 1, "404 and 410 are not retried");

    fx.set(
        "/later",
        Reply::RetryAfter(429, 3600, 9, Box::new(Reply::Status(200))),
    );
    let r = crawl_one(&store, Kind::OpenActive, &format!("{base}/later")).await;
    assert!(
        r.stopped.as_deref().unwrap_or("").contains("wait 3600"),
        "{r:?}"
    );
}

#[tokio::test]
async fn timeouts_truncated_json_huge_bodies_and_redirect_loops_stop_with_a_reason() {
    let (fx, base) = start().await;
    let store = store();
    fx.set(
        "/slow",
        Reply::Slow(Duration::from_secs(3), Box::new(Reply::Status(200))),
    );
    let r = crawl_one(&store, Kind::OpenActive, &format!("{base}/slow")).await;
    assert!(
        r.stopped
            .as_deref()
            .unwrap_or("")
            .contains("did not answer in time"),
        "{r:?}"
    );
    assert_eq!(fx.hits("/slow"), 3, "a timeout is retried");

    // A good first page, then a page cut off mid-way: what was read is kept, and the feed
    // position stays before the bad page so the next run tries it again.
    fx.set(
        "/cut",
        page(
            &base,
            "/cut?2",
            vec![updated("1", 1, series("1", "Football", 53.76))],
        ),
    );
    fx.set(
        "/cut?2",
        Reply::Text(
            "application/json",
            r#"{"next": "x", "items": [{"state": "upd"#.to_owned(),
        ),
    );
    let feed = format!("{base}/cut");
    let r = crawl_one(&store, Kind::OpenActive, &feed).await;
    assert_eq!(r.summary.added, 1);
    assert!(
        r.stopped.as_deref().unwrap_or("").contains("/cut?2"),
        "{r:?}"
    );
    assert_eq!(
        store.source_cursor(&feed).unwrap(),
        Some(format!("{base}/cut?2"))
    );

    fx.set("/huge", Reply::Huge(1_000_000));
    let r = crawl_one(&store, Kind::OpenActive, &format!("{base}/huge")).await;
    assert!(
        r.stopped.as_deref().unwrap_or("").contains("byte limit"),
        "{r:?}"
    );

    fx.set("/loop", Reply::Redirect("/loop2".into()));
    fx.set("/loop2", Reply::Redirect("/loop".into()));
    let r = crawl_one(&store, Kind::OpenActive, &format!("{base}/loop")).await;
    assert!(
        r.stopped.as_deref().unwrap_or("").contains("redirects"),
        "{r:?}"
    );
}

#[tokio::test]
async fn a_feed_that_never_ends_stops_at_the_page_limit_and_carries_on_next_run() {
    let (fx, base) = start().await;
    for i in 0..20 {
        fx.set(
            &format!("/endless?{i}"),
            page(
                &base,
                &format!("/endless?{}", i + 1),
                vec![updated("1", i, series("1", "Football", 53.76))],
            ),
        );
    }
    let store = store();
    let feed = format!("{base}/endless?0");
    let mut reports = crawler(&store, 5).crawl(Kind::OpenActive, &feed).await;
    let r = reports.remove(0);
    assert_eq!(r.summary.fetched, 5);
    assert!(
        r.stopped.as_deref().unwrap_or("").contains("limit"),
        "{r:?}"
    );
    assert_eq!(
        store.source_cursor(&feed).unwrap(),
        Some(format!("{base}/endless?5"))
    );
}

#[tokio::test]
async fn impossible_coordinates_and_nameless_items_are_rejected_with_reasons() {
    let (fx, base) = start().await;
    let mut nameless = series("2", "x", 53.76);
    nameless.as_object_mut().unwrap().remove("name");
    let mut ancient = series("4", "Ancient Football", 53.76);
    ancient["ageRange"] = json!({"type": "QuantitativeValue", "minValue": 200, "maxValue": 300});
    let mut late = series("5", "Late Football", 53.76);
    late["eventSchedule"] = json!([{"type": "Schedule", "byDay": ["https://schema.org/Monday"],
        "startTime": "25:99", "endTime": "26:00", "repeatFrequency": "P1W"}]);
    fx.set("/feed?end", page(&base, "/feed?end", vec![]));
    fx.set(
        "/feed",
        page(
            &base,
            "/feed?end",
            vec![
                updated("1", 1, series("1", "Lost Football", 100.0)),
                updated("2", 2, nameless),
                updated("3", 3, series("3", "Good Football", 53.76)),
                updated("4", 4, ancient),
                updated("5", 5, late),
            ],
        ),
    );
    let store = store();
    let r = crawl_one(&store, Kind::OpenActive, &format!("{base}/feed")).await;
    assert_eq!(r.summary.added, 1, "{:?}", r.summary);
    let reasons: Vec<String> = r.summary.rejected.iter().map(|x| x.to_string()).collect();
    assert_eq!(reasons.len(), 4, "{reasons:?}");
    // Absurd values are refused with a reason, not softened into "age not stated" or no
    // timetable.
    let refused = |item: &str, why: &str| {
        reasons
            .iter()
            .any(|x| x.starts_with(&format!("item {item}: ")) && x.contains(why))
    };
    assert!(refused("4", "ageRange starts at 200 years"), "{reasons:?}");
    assert!(
        refused("5", "startTime '25:99' is not a time of day"),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|x| x.contains('1') && x.contains("latitude")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|x| x.contains('2') && x.contains("name")),
        "{reasons:?}"
    );
}

fn oruk_service(id: &str, name: &str, charity: &str) -> Value {
    json!({
        "id": id, "name": name, "status": "active",
        "description": "A youth club with games, cooking and trips.",
        "minimum_age": 11, "maximum_age": 16,
        "organization": {"id": format!("org-{charity}"), "name": "Hull Youth Trust",
            "organization_identifiers": [{"identifier_scheme": "GB-CHC", "identifier": charity}]},
        "service_at_locations": [{"id": format!("sal-{id}"), "location": {
            "id": format!("loc-{id}"), "name": "Orchard Park Centre", "latitude": 53.78, "longitude": -0.38,
            "location_type": "physical",
            "addresses": [{"address_1": "1 Orchard Park Road", "city": "Hull", "postal_code": "HU6 9AA", "country": "GB"}]
        }}],
        "schedules": [{"freq": "WEEKLY", "interval": 1, "byday": "TU", "opens_at": "18:00", "closes_at": "20:00"}],
        "cost_options": [{"option": "Free", "amount": 0}]
    })
}

#[tokio::test]
async fn oruk_api_is_paged_detail_fetched_and_vanished_services_withdrawn() {
    let (fx, base) = start().await;
    let summary = |id: &str| json!({"id": id, "name": format!("Club {id}")});
    fx.set("/api/services?page=1&per_page=2", Reply::Json(json!({
        "total_items": 3, "total_pages": 2, "page_number": 1, "size": 2, "first_page": true, "last_page": false, "empty": false,
        "contents": [oruk_service("a", "Club A", "1100001"), summary("b")]
    })));
    fx.set(
        "/api/services/b",
        Reply::Json(oruk_service("b", "Club B", "1100001")),
    );
    fx.set("/api/services?page=2&per_page=2", Reply::Json(json!({
        "totalElements": 3, "totalPages": 2, "number": 2, "size": 2, "first": false, "last": true,
        "content": [oruk_service("c", "Club C", "1100001")]
    })));
    let store = store();
    // A provider a checker has verified, with the same charity number, is already here.
    let mut trust = fixture::provider("hull-youth-trust", "Hull Youth Trust");
    trust.charity_number = Some("1100001".into());
    trust.verification = Verification::Verified(
        VerificationCheck::new(
            "J. Okafor".into(),
            "Hull Social Prescribing".into(),
            chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            "Policy and DBS seen".into(),
            None,
        )
        .unwrap(),
    );
    store.upsert_provider(&trust).unwrap();

    let api = format!("{base}/api/services");
    let r = crawl_one(&store, Kind::Oruk, &api).await;
    assert_eq!(r.stopped, None, "{r:?}");
    assert_eq!(r.summary.added, 3, "{:?}", r.summary);
    assert_eq!(
        fx.hits("/api/services/b"),
        1,
        "a summary is fetched in full"
    );
    let source = format!("{base}/api/");
    let b = listing(&store, &source, "b");
    // The charity number is public: quoting it does not lend the feed the trust's check.
    // The feed's services are under an organisation of its own, and a checker is asked.
    assert_ne!(b.provider_id, Id::parse("hull-youth-trust").unwrap());
    let own = store.provider(&b.provider_id).unwrap().unwrap();
    assert_eq!(own.verification, Verification::NotChecked);
    let claims = store.open_claims().unwrap();
    assert_eq!(claims.len(), 1, "{claims:?}");
    assert_eq!(claims[0].claimed, Id::parse("hull-youth-trust").unwrap());
    assert_eq!(claims[0].interim, b.provider_id);
    assert_eq!(
        store.providers().unwrap().len(),
        2,
        "one organisation for the feed's three services"
    );
    let p = store
        .provider(&Id::parse("hull-youth-trust").unwrap())
        .unwrap()
        .unwrap();
    assert!(
        matches!(p.verification, Verification::Verified(_)),
        "a feed never changes a check"
    );

    // Service c disappears from the API: after a complete read it is withdrawn.
    fx.set(
        "/api/services?page=2&per_page=2",
        Reply::Json(json!({
            "total_items": 2, "total_pages": 2, "page_number": 2, "size": 2, "contents": []
        })),
    );
    let r = crawl_one(&store, Kind::Oruk, &api).await;
    assert_eq!(
        (r.summary.withdrawn, r.summary.unchanged),
        (1, 2),
        "{:?}",
        r.summary
    );
    assert!(listing(&store, &source, "c").withdrawn);
}

#[tokio::test]
async fn websites_obey_robots_and_are_fetched_conditionally() {
    let (fx, base) = start().await;
    let event = json!({
        "@context": "https://schema.org", "@graph": [
            {"@type": "NGO", "@id": "#org", "name": "Sculcoates Arts", "url": format!("{base}/"), "identifier": {"@type": "PropertyValue", "propertyID": "Charity number", "value": "1122334"}},
            {"@type": "EventSeries", "@id": format!("{base}/clubs/art"), "name": "Teen Art Club", "organizer": {"@id": "#org"},
             "typicalAgeRange": "12-16", "isAccessibleForFree": true,
             "location": {"@type": "Place", "name": "Sculcoates Hall", "address": {"@type": "PostalAddress", "postalCode": "HU5 1AA"}, "geo": {"@type": "GeoCoordinates", "latitude": 53.77, "longitude": -0.36}},
             "eventSchedule": {"@type": "Schedule", "byDay": "http://schema.org/Wednesday", "startTime": "16:00", "endTime": "17:30", "repeatFrequency": "P1W"}}
        ]
    });
    let html = format!(
        "<html><head><script type=\"application/ld+json\">{event}</script></head><body>Art</body></html>"
    );
    fx.set(
        "/clubs",
        Reply::ETagged("\"v1\"".into(), Box::new(Reply::Text("text/html", html))),
    );
    fx.set("/private", Reply::Text("text/html", "<html></html>".into()));
    fx.set(
        "/robots.txt",
        Reply::Text("text/plain", "User-agent: *\nDisallow: /private\n".into()),
    );
    let store = store();

    let r = crawl_one(&store, Kind::Website, &format!("{base}/clubs")).await;
    assert_eq!(r.summary.added, 1, "{r:?}");
    let r = crawl_one(&store, Kind::Website, &format!("{base}/clubs")).await;
    assert_eq!(r.summary.changed(), 0);
    assert_eq!(
        fx.headers_of_last("/clubs")
            .get(header::IF_NONE_MATCH)
            .map(|v| v.to_str().unwrap().to_owned()),
        Some("\"v1\"".to_owned()),
        "the second fetch is conditional"
    );

    let r = crawl_one(&store, Kind::Website, &format!("{base}/private")).await;
    assert!(
        r.stopped.as_deref().unwrap_or("").contains("robots.txt"),
        "{r:?}"
    );
    assert_eq!(fx.hits("/private"), 0, "a disallowed page is never fetched");
}

#[tokio::test]
async fn a_body_that_trickles_for_ever_is_given_up_on() {
    let (fx, base) = start().await;
    fx.set("/feed", Reply::Trickle(Duration::from_millis(50)));
    let store = store();
    let fetcher = Fetcher::new(FetchConfig {
        total_timeout: Duration::from_millis(600),
        retries: 1,
        ..quick()
    })
    .unwrap();
    let crawler = Crawler::new(
        fetcher,
        Ingest::new(
            store.clone(),
            Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap(),
        ),
        Limits::default(),
    );
    let r = crawler
        .crawl(Kind::OpenActive, &format!("{base}/feed"))
        .await
        .remove(0);
    let why = r.stopped.clone().unwrap_or_default();
    assert!(why.contains("did not answer in time"), "{r:?}");
    assert_eq!(fx.hits("/feed"), 2, "tried again once, then gave up");
    assert!(r.failed());
}

#[tokio::test]
async fn a_last_page_that_names_itself_ends_the_feed_even_with_items() {
    let (fx, base) = start().await;
    fx.set(
        "/feed",
        page(
            &base,
            "/feed",
            vec![updated("1", 100, series("1", "Saturday Football", 53.76))],
        ),
    );
    let store = store();
    let r = crawl_one(&store, Kind::OpenActive, &format!("{base}/feed")).await;
    assert_eq!(r.stopped, None, "{r:?}");
    assert_eq!(r.summary.added, 1);
    assert_eq!(fx.hits("/feed"), 1, "read once, not a thousand times");
    assert!(!r.failed());

    // Pages that lead back to each other, or only repeat what was read, end the run.
    fx.set(
        "/a",
        page(
            &base,
            "/b",
            vec![updated("2", 1, series("2", "Chess", 53.76))],
        ),
    );
    fx.set(
        "/b",
        page(
            &base,
            "/a",
            vec![updated("3", 2, series("3", "Drama", 53.76))],
        ),
    );
    let r = crawl_one(&store, Kind::OpenActive, &format!("{base}/a")).await;
    assert!(
        r.stopped.as_deref().unwrap_or("").contains("leads back"),
        "{r:?}"
    );
    assert_eq!((fx.hits("/a"), fx.hits("/b")), (1, 1));
    fx.set(
        "/c",
        page(
            &base,
            "/d",
            vec![updated("4", 1, series("4", "Art", 53.76))],
        ),
    );
    fx.set(
        "/d",
        page(
            &base,
            "/e",
            vec![updated("4", 1, series("4", "Art", 53.76))],
        ),
    );
    let r = crawl_one(&store, Kind::OpenActive, &format!("{base}/c")).await;
    assert!(
        r.stopped.as_deref().unwrap_or("").contains("repeats items"),
        "{r:?}"
    );
    assert_eq!(fx.hits("/e"), 0);
}

#[tokio::test]
async fn an_oruk_api_whose_pages_repeat_is_read_once() {
    let (fx, base) = start().await;
    let summary = |id: &str| json!({"id": id, "name": format!("Club {id}")});
    for n in 1..=3 {
        fx.set(
            &format!("/api/services?page={n}&per_page=2"),
            Reply::Json(json!({
                "total_items": 2_000_000, "total_pages": 1_000_000, "page_number": 1, "size": 2,
                "contents": [summary("a"), summary("b")]
            })),
        );
    }
    fx.set(
        "/api/services/a",
        Reply::Json(oruk_service("a", "Club A", "1100001")),
    );
    fx.set(
        "/api/services/b",
        Reply::Json(oruk_service("b", "Club B", "1100001")),
    );
    let store = store();
    let r = crawl_one(&store, Kind::Oruk, &format!("{base}/api/services")).await;
    assert!(
        r.stopped
            .as_deref()
            .unwrap_or("")
            .contains("repeats services"),
        "{r:?}"
    );
    assert_eq!(r.summary.added, 2);
    assert_eq!(
        (fx.hits("/api/services/a"), fx.hits("/api/services/b")),
        (1, 1)
    );
    assert_eq!(fx.hits("/api/services?page=3&per_page=2"), 0);
    assert!(!r.failed(), "what it read is kept");
}

#[tokio::test]
async fn a_source_that_gives_nothing_usable_is_a_failure() {
    let (fx, base) = start().await;
    fx.set("/broken", Reply::Text("application/json", "{oops".into()));
    fx.set("/notafeed", Reply::Json(json!({"hello": "world"})));
    fx.set("/down", Reply::Status(500));
    let store = store();
    for path in ["/broken", "/notafeed", "/down"] {
        let r = crawl_one(&store, Kind::OpenActive, &format!("{base}{path}")).await;
        assert!(r.failed(), "{path}: {r:?}");
    }
}

#[tokio::test]
async fn a_redirect_to_another_site_asks_that_sites_robots_txt_first() {
    let (fx, base) = start().await;
    let (elsewhere, other) = start().await;
    elsewhere.set(
        "/robots.txt",
        Reply::Text("text/plain", "User-agent: *\nDisallow: /\n".into()),
    );
    elsewhere.set(
        "/feed",
        page(
            &other,
            "/feed",
            vec![updated("1", 1, series("1", "Football", 53.76))],
        ),
    );
    fx.set("/feed", Reply::Redirect(format!("{other}/feed")));
    let store = store();
    let r = crawl_one(&store, Kind::OpenActive, &format!("{base}/feed")).await;
    assert!(
        r.stopped.as_deref().unwrap_or("").contains("robots.txt"),
        "{r:?}"
    );
    assert_eq!(elsewhere.hits("/robots.txt"), 1);
    assert_eq!(
        elsewhere.hits("/feed"),
        0,
        "never asked for what robots.txt forbids"
    );
    assert!(store.activities().unwrap().is_empty());

    // Where robots.txt allows it, the redirect is followed.
    elsewhere.set(
        "/robots.txt",
        Reply::Text("text/plain", "User-agent: *\nAllow: /\n".into()),
    );
    let (fx3, third) = start().await;
    fx3.set(
        "/feed",
        page(
            &third,
            "/feed",
            vec![updated("2", 1, series("2", "Chess", 53.76))],
        ),
    );
    fx.set("/moved", Reply::Redirect(format!("{third}/feed")));
    let r = crawl_one(&store, Kind::OpenActive, &format!("{base}/moved")).await;
    assert_eq!(r.stopped, None, "{r:?}");
    assert_eq!(r.summary.added, 1);
}
