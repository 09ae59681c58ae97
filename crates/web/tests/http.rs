//! HTTP tests: each starts the real server on port 0 with its own temporary directory and a
//! clock the test controls.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, NaiveDate, TimeZone, Utc, Weekday};
use serde_json::Value;
use signpost_directory::Directory;
use signpost_model::fixture::{HULL, activity, provider, venue, weekly};
use signpost_model::{
    Category, Postcode, SafeguardingPolicy, Verification, VerificationCheck, WebUrl,
};
use signpost_web::SiteConfig;

struct App {
    _data: tempfile::TempDir,
    site: common::Site,
    directory: Arc<Directory>,
    clock: Arc<AtomicI64>,
}

common::reads_as_site!(App);

impl App {
    fn set_now(&self, t: DateTime<Utc>) {
        self.clock.store(t.timestamp(), Ordering::SeqCst);
    }
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

use common::wednesday_noon;

/// A small directory: a verified football club in Hull, an unchecked art group, an ended
/// scheme, and the HU5 postcode district.
async fn spawn_app() -> App {
    spawn_app_with(false, SiteConfig::default()).await
}

async fn spawn_app_with(sample: bool, config: SiteConfig) -> App {
    let clock = Arc::new(AtomicI64::new(wednesday_noon().timestamp()));
    let c = clock.clone();
    let data = tempfile::tempdir().unwrap();
    let (dir, _) = Directory::open(&data.path().join("data"), &data.path().join("index")).unwrap();
    let dir = dir.with_clock(Arc::new(move || {
        Utc.timestamp_opt(c.load(Ordering::SeqCst), 0).unwrap()
    }));

    let mut club = provider("humber-fc", "Humber FC Juniors");
    club.safeguarding.policy = Some(SafeguardingPolicy {
        last_reviewed: Some(date("2026-03-01")),
    });
    club.safeguarding.designated_lead_role = Some("Club Welfare Officer".into());
    club.safeguarding.enhanced_dbs = true;
    club.safeguarding.insurance_expires = Some(date("2027-06-30"));
    club.verification = Verification::Verified(
        VerificationCheck::new(
            "R. Patel, link worker".into(),
            "Hull Social Prescribing Partnership".into(),
            date("2025-11-30"),
            "Policy and DBS certificates seen".into(),
            None,
        )
        .unwrap(),
    );
    dir.save_provider(club).unwrap();
    let mut art_hub = provider("art-hub", "Art Hub <b>CIC</b>");
    // A web address whose query tries to break out of the link's attribute.
    art_hub.website = WebUrl::parse("art-hub.example.org/?x='onmouseover=alert(3)").ok();
    dir.save_provider(art_hub).unwrap();

    let mut football = activity("girls-football", "humber-fc", "Girls Football");
    football.description = "Friendly football for girls.\n\nBring trainers.".into();
    football.gender = signpost_model::Gender::Girls;
    football.venues = vec![venue("Pickering Park", HULL.0 + 0.01, HULL.1)];
    football.venues[0].postcode = Postcode::parse("HU4 6TD").ok();
    dir.save_activity(football).unwrap();

    let mut art = activity("art-club", "art-hub", "Art <script>alert(1)</script> Club");
    art.categories = vec![Category::ArtsCrafts];
    art.cost.free = false;
    art.cost.price_pence = Some(350);
    art.schedule.weekly = vec![weekly(Weekday::Tue, "16:00", "17:30")];
    art.venues = vec![venue("Art Studio", HULL.0 + 0.03, HULL.1)];
    dir.save_activity(art).unwrap();

    let mut boxing_club = provider("east-hull-boxing", "East Hull Boxing");
    boxing_club.email = None;
    dir.save_provider(boxing_club).unwrap();
    let mut boxing = activity("boys-boxing", "east-hull-boxing", "Boys Boxing");
    boxing.gender = signpost_model::Gender::Boys;
    boxing.ages = signpost_model::AgeRange::years(13, 18).unwrap();
    boxing.cost.free = false;
    boxing.cost.price_pence = Some(200);
    boxing.schedule.weekly = vec![weekly(Weekday::Thu, "19:00", "20:30")];
    boxing.join.methods = vec![signpost_model::JoinMethod::SelfReferral];
    boxing.access.wheelchair = true;
    boxing.venues = vec![venue("Boxing Gym", HULL.0 + 0.015, HULL.1)];
    dir.save_activity(boxing).unwrap();

    let mut ended = activity("summer-scheme", "art-hub", "Summer Scheme");
    ended.schedule.weekly[0].valid_to = Some(date("2026-08-31"));
    dir.save_activity(ended).unwrap();

    common::load(
        &dir,
        "places.json",
        &format!(
            r#"{{"format":"signpost-directory","version":1,"sample":{sample},
            "postcodes":[{{"postcode":"HU5","lat":53.7443,"lon":-0.3326,"town":"Hull"}},
                         {{"postcode":"HU4","lat":53.7357,"lon":-0.4004,"town":"West Hull"}}],
            "places":[{{"name":"Hull","lat":53.7443,"lon":-0.3326}}]}}"#
        ),
    );

    let directory = Arc::new(dir);
    let base = common::serve(directory.clone(), config).await;
    App {
        _data: data,
        site: common::Site {
            base,
            client: common::client(reqwest::Client::builder()),
        },
        directory,
        clock,
    }
}

#[tokio::test]
async fn api_search_returns_the_documented_shape() {
    let app = spawn_app().await;
    let (status, body) = app.json("/api/search?postcode=HU5&sort=distance").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["total"], 3, "the ended scheme is hidden: {body}");
    let first = &body["results"][0];
    assert_eq!(first["id"], "girls-football");
    assert_eq!(first["title"], "Girls Football");
    assert_eq!(first["provider"]["id"], "humber-fc");
    assert_eq!(first["provider"]["name"], "Humber FC Juniors");
    assert_eq!(first["age_min"], 11);
    assert_eq!(first["age_max"], 16);
    assert_eq!(first["free"], true);
    assert_eq!(first["safeguarding"], "verified");
    assert!((first["distance_km"].as_f64().unwrap() - 1.11).abs() < 0.01);
    assert_eq!(first["next_session"]["day"], "saturday");
    assert_eq!(first["next_session"]["start"], "10:00");
    assert_eq!(body["facets"]["category"]["sport"], 2);
    assert_eq!(body["facets"]["category"]["arts-crafts"], 1);
    assert_eq!(body["location"]["label"], "HU5");
    assert_eq!(body["location"]["radius_km"], 5.0);
    let order: Vec<_> = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        ["girls-football", "boys-boxing", "art-club"],
        "nearest first"
    );
    assert_eq!(body["results"][2]["price"], 3.5);
}

#[tokio::test]
async fn every_filter_reaches_the_search() {
    let app = spawn_app().await;
    let total = |v: &Value| v["total"].as_u64().unwrap();
    // Three current activities: girls' football (11-16, free, Saturday, drop-in, 1.1 km,
    // verified), an art club (mixed, 11-16, £3.50, Tuesday after school, drop-in, 3.3 km)
    // and boys' boxing (13-18, £2, Thursday evening, self-referral, wheelchair, 1.7 km).
    // Every expected count differs from 3, so a filter that was ignored would fail.
    for (query, expected) in [
        ("q=footy", 1),
        ("q=fotball", 1),
        ("age=12", 2),
        ("age=17", 1),
        ("gender=boys", 2),
        ("gender=girls", 2),
        ("gender=mixed", 1),
        ("free=true", 1),
        ("free=false", 2),
        ("max_price=1", 1),
        ("max_price=3", 2),
        ("category=arts-crafts", 1),
        ("category=sport", 2),
        ("day=tuesday", 1),
        ("when=after-school", 1),
        ("when=weekend", 1),
        ("when=evening", 1),
        ("checked=true", 1),
        ("join=self-referral", 1),
        ("join=drop-in", 2),
        ("access=wheelchair", 1),
        ("language=polish", 0),
        ("place=hull&radius_km=1", 0),
        ("place=hull&radius_km=2", 2),
        ("place=west+hull&radius_km=6", 2),
        ("lat=53.7443&lon=-0.3326&radius_km=1.5", 1),
        ("near=HU5&radius_km=2&category=sport&gender=boys", 1),
    ] {
        let (status, body) = app.json(&format!("/api/search?{query}")).await;
        assert_eq!(status, 200, "{query}: {body}");
        assert_eq!(total(&body), expected, "{query}: {body}");
    }
}

#[tokio::test]
async fn bad_parameters_get_a_clear_json_error_naming_the_parameter() {
    let app = spawn_app().await;
    for (query, param) in [
        ("age=-3", "age"),
        ("radius_km=1e9", "radius_km"),
        ("postcode=ZZ99%209ZZ", "postcode"),
        ("place=Atlantis", "place"),
        ("category=quidditch", "category"),
        ("q=%FF%FE", "q"),
        ("per_page=101", "per_page"),
        ("sort=distance", "sort"),
    ] {
        let (status, body) = app.json(&format!("/api/search?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["error"]["parameter"], param, "{query}: {body}");
        assert!(body["error"]["message"].as_str().unwrap().len() > 10);
    }
    let (status, body) = app.json("/api/search?page=9999").await;
    assert_eq!(status, 200, "a page past the end is just empty");
    assert_eq!(body["results"].as_array().unwrap().len(), 0);
    assert_eq!(body["total"], 3);
}

#[tokio::test]
async fn api_activity_returns_the_whole_listing_without_private_details() {
    let app = spawn_app().await;
    let (status, a) = app.json("/api/activities/girls-football").await;
    assert_eq!(status, 200);
    assert_eq!(a["sessions"][0]["day"], "saturday");
    assert_eq!(a["sessions"][0]["start"], "10:00");
    assert_eq!(a["sessions"][0]["end"], "12:00");
    assert_eq!(a["venues"][0]["postcode"], "HU4 6TD");
    assert!(a["venues"][0]["lat"].is_f64());
    assert_eq!(a["age_min"], 11);
    assert_eq!(a["age_max"], 16);
    assert_eq!(a["free"], true);
    assert_eq!(a["price"], Value::Null);
    assert_eq!(a["gender"], "girls");
    assert_eq!(a["categories"][0], "sport");
    let s = &a["provider"]["safeguarding"];
    assert_eq!(s["status"], "verified");
    assert_eq!(s["designated_lead_role"], "Club Welfare Officer");
    assert_eq!(
        s["check"]["on_behalf_of"],
        "Hull Social Prescribing Partnership"
    );
    assert!(
        !a.to_string().contains("R. Patel"),
        "the checker's own name stays private"
    );

    for path in ["/api/activities/nope", "/api/nothing-here", "/api/"] {
        let (status, body) = app.json(path).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(body["error"]["code"], "not_found", "{path}");
    }
}

#[tokio::test]
async fn search_page_shows_what_people_need_to_choose() {
    let app = spawn_app().await;
    let (status, page) = app.html("/?near=HU5&age=13").await;
    assert_eq!(status, 200);
    assert!(page.contains("3 activities within 5 km of HU5"), "{page}");
    assert!(page.contains("Girls Football"));
    assert!(page.contains("Humber FC Juniors"));
    assert!(page.contains("1.1 km away"));
    assert!(page.contains("Next: Sat 28 Nov, 10:00 to 12:00"));
    assert!(page.contains("Free"));
    assert!(page.contains("£3.50 a session"));
    assert!(page.contains("Ages 11 to 16"));
    assert!(page.contains(
        "Safety checked by Hull Social Prescribing Partnership on 30 November 2025: written policy, named lead, DBS checks, insurance"
    ), "the badge says what was checked and when");
    assert!(page.contains("Safety not checked"));
    assert!(
        page.contains(r#"value="HU5""#),
        "the form keeps what was typed"
    );
}

#[tokio::test]
async fn user_text_is_escaped_everywhere() {
    let app = spawn_app().await;
    let (_, page) = app.html("/?q=art").await;
    assert!(!page.contains("<script>alert(1)</script>"), "{page}");
    assert!(page.contains("&lt;script&gt;"));
    let (_, page) = app.html("/activities/art-club").await;
    assert!(!page.contains("<script>alert"));
    assert!(!page.contains("<b>CIC</b>"));
    assert!(
        page.contains(r#"href="https://art-hub.example.org/?x='onmouseover=alert(3)""#),
        "the whole address stays inside the quoted attribute: {page}"
    );
    let (_, page) = app.html("/?q=%3Cscript%3Ealert(2)%3C%2Fscript%3E").await;
    assert!(!page.contains("<script>alert(2)"));
}

#[tokio::test]
async fn a_bad_search_on_the_page_explains_and_keeps_the_form() {
    let app = spawn_app().await;
    let (status, page) = app.html("/?near=ZZ99+9ZZ&q=football").await;
    assert_eq!(status, 400);
    assert!(
        page.contains("we could not find the postcode ZZ99 9ZZ"),
        "{page}"
    );
    assert!(page.contains(r#"value="football""#));
    let (status, page) = app.html("/?age=-3").await;
    assert_eq!(status, 400);
    assert!(page.contains("give an age in years"));
}

#[tokio::test]
async fn listing_page_has_timetable_map_joining_and_safeguarding() {
    let app = spawn_app().await;
    let (status, page) = app.html("/activities/girls-football").await;
    assert_eq!(status, 200);
    for expected in [
        "Every Saturday",
        "10:00 to 12:00",
        "openstreetmap.org/?mlat=",
        "Just turn up",
        "Club Welfare Officer",
        "Enhanced DBS checks",
        "Last confirmed as running: 1 November 2026",
        "Suggest an edit or report a problem with this listing",
        "/activities/girls-football/suggest",
        "/providers/humber-fc",
    ] {
        assert!(page.contains(expected), "missing {expected:?}");
    }
    let (_, page) = app.html("/activities/summer-scheme").await;
    assert!(page.contains("This activity has finished"));
    let (status, _) = app.html("/activities/not-here").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn provider_page_lists_its_activities() {
    let app = spawn_app().await;
    let (status, page) = app.html("/providers/art-hub").await;
    assert_eq!(status, 200);
    assert!(page.contains("Summer Scheme"));
    assert!(page.contains("(finished)"));
    assert!(page.contains("Art &lt;script&gt;"));
}

#[tokio::test]
async fn a_changed_listing_is_searchable_at_once() {
    let app = spawn_app().await;
    let (_, body) = app.json("/api/search?q=netball").await;
    assert_eq!(body["total"], 0);
    let mut changed = app
        .directory
        .activity("girls-football")
        .unwrap()
        .unwrap()
        .activity;
    changed.title = "Girls Netball".into();
    app.directory.save_activity(changed).unwrap();
    let (_, body) = app.json("/api/search?q=netball").await;
    assert_eq!(body["total"], 1);
}

#[tokio::test]
async fn an_expired_check_shows_as_expired_at_once() {
    let app = spawn_app().await;
    app.set_now(Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap());
    let (_, body) = app.json("/api/search?q=football").await;
    assert_eq!(body["results"][0]["safeguarding"], "expired");
    let (_, body) = app.json("/api/search?checked=true").await;
    assert_eq!(body["total"], 0);
    let (_, page) = app.html("/activities/girls-football").await;
    assert!(page.contains("Safety check out of date (it ran out on 30 November 2026)"));
}

#[tokio::test]
async fn pages_are_compressed_and_marked_safe() {
    let app = spawn_app().await;
    // A client that does not undo the compression, so the header can be seen.
    let raw = reqwest::Client::builder().no_gzip().build().unwrap();
    let r = raw
        .get(format!("{}/static/style.css", app.base))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-encoding"], "gzip");
    // And the fingerprinted name the pages actually link.
    let (_, page) = app.html("/").await;
    let href = page
        .split("rel=\"stylesheet\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page links a stylesheet");
    assert!(
        href.starts_with("/static/style.") && href != "/static/style.css",
        "{href}"
    );
    let r = raw
        .get(format!("{}{href}", app.base))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-encoding"], "gzip");
    let r = app.get("/").await;
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert!(r.headers().contains_key("content-security-policy"));
}

#[tokio::test]
async fn sample_data_is_announced_on_every_page() {
    let app = spawn_app_with(true, SiteConfig::default()).await;
    for path in [
        "/",
        "/activities/girls-football",
        "/providers/art-hub",
        "/nowhere",
    ] {
        let (_, page) = app.html(path).await;
        assert!(
            page.contains("Every group listed here is made up"),
            "{path}"
        );
    }
    let app = spawn_app().await;
    let (_, page) = app.html("/").await;
    assert!(!page.contains("Every group listed here is made up"));
}

#[tokio::test]
async fn words_that_name_filters_become_filters_on_the_page() {
    let app = spawn_app().await;
    let r = app
        .get("/?q=free+football+on+Saturday+near+HU5+for+a+13+year+old")
        .await;
    assert_eq!(r.status(), 200);
    let url = r.url().to_string();
    for part in [
        "q=football",
        "free=true",
        "day=saturday",
        "near=HU5",
        "age=13",
    ] {
        assert!(url.contains(part), "{url} lacks {part}");
    }
    let page = r.text().await.unwrap();
    assert!(page.contains("1 activity within 5 km of HU5"), "{page}");
    assert!(page.contains("Girls Football"));

    // The API takes its words literally.
    let (_, body) = app.json("/api/search?q=free+football+saturday").await;
    assert_eq!(body["total"], 0);
}

#[tokio::test]
async fn when_now_uses_london_time_not_utc() {
    let app = spawn_app().await;
    // 18:30 UTC on Thursday 2 July 2026 is 19:30 in London (BST): boxing (19:00-20:30) is on.
    app.set_now(Utc.with_ymd_and_hms(2026, 7, 2, 18, 30, 0).unwrap());
    let (_, body) = app.json("/api/search?when=now").await;
    assert_eq!(body["total"], 1, "{body}");
    assert_eq!(body["results"][0]["id"], "boys-boxing");
    // 19:45 UTC is 20:45 in London: finished.
    app.set_now(Utc.with_ymd_and_hms(2026, 7, 2, 19, 45, 0).unwrap());
    let (_, body) = app.json("/api/search?when=now").await;
    assert_eq!(body["total"], 0, "{body}");
}

#[tokio::test]
async fn shared_links_with_tracking_tags_still_work_on_the_page() {
    let app = spawn_app().await;
    let (status, page) = app.html("/?q=football&fbclid=abc123&utm_source=x").await;
    assert_eq!(status, 200);
    assert!(page.contains("Girls Football"));
    assert!(!page.contains("fbclid"), "not carried into links");
    let (status, _) = app.json("/api/search?q=football&fbclid=abc123").await;
    assert_eq!(status, 400, "the API stays strict");
}

#[tokio::test]
async fn the_form_shows_every_value_the_search_applied() {
    let app = spawn_app().await;
    let (status, page) = app
        .html("/?q=art&day=tue&radius_km=3&near=hu5&gender=girl&free=no&language=Polish")
        .await;
    assert_eq!(status, 200);
    for expected in [
        r#"<option value="tuesday" selected>"#,
        r#"<option value="3" selected>3 km</option>"#,
        r#"<option value="girls" selected>"#,
        r#"value="HU5""#,
        r#"value="Polish""#,
        "within 3 km of HU5",
        "More filters<span class=\"chosen\">: Tuesday, For girls, Speaks Polish</span>",
        r#"<details class="more">"#,
    ] {
        assert!(page.contains(expected), "missing {expected}");
    }
}

#[tokio::test]
async fn every_listing_offers_a_suggestion_form_and_safety_advice() {
    let app = spawn_app().await;
    for id in ["girls-football", "boys-boxing"] {
        let (_, page) = app.html(&format!("/activities/{id}")).await;
        assert!(
            page.contains(&format!("/activities/{id}/suggest")),
            "{page}"
        );
        assert!(page.contains("In an emergency call 999"));
        let (status, form) = app.html(&format!("/activities/{id}/suggest")).await;
        assert_eq!(status, 200);
        assert!(form.contains("NSPCC"));
    }
}

#[tokio::test]
async fn nothing_found_offers_searches_that_would_find_something() {
    let app = spawn_app().await;
    let (status, page) = app.html("/?q=boxing&gender=girls").await;
    assert_eq!(status, 200);
    assert!(page.contains("0 activities"));
    assert!(
        page.contains("Nothing matched everything you chose"),
        "{page}"
    );
    assert!(
        page.contains(r#"<a href="/?q=boxing">Anyone (not just girls or boys)</a> (1 found)"#),
        "{page}"
    );
    assert!(
        page.contains("Without the words &quot;boxing&quot;</a> (2 found)"),
        "{page}"
    );
}

/// Reads from a raw connection until the server closes it; returns what it sent.
async fn read_until_closed(stream: &mut tokio::net::TcpStream) -> String {
    use tokio::io::AsyncReadExt;
    let mut got = Vec::new();
    // A guard against a hang, not a measurement: the server's own timeouts are far shorter.
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        stream.read_to_end(&mut got),
    )
    .await;
    assert!(read.is_ok(), "the server kept a slow connection open");
    String::from_utf8_lossy(&got).into_owned()
}

#[tokio::test]
async fn slow_and_idle_clients_cannot_starve_searches() {
    use std::time::Duration;
    use tokio::io::AsyncWriteExt;
    let limits = signpost_web::ConnectionLimits {
        max_connections: 40,
        per_address: 20,
        header_timeout: Duration::from_secs(1),
        request_timeout: Duration::from_secs(2),
        write_timeout: Duration::from_secs(2),
    };
    let app = spawn_app_with(
        false,
        SiteConfig {
            limits,
            ..SiteConfig::default()
        },
    )
    .await;
    let addr = app.base.trim_start_matches("http://").to_owned();

    // One client opens far more connections than its share: some say nothing, some send
    // half their headers, some half a body.
    let mut half_head = tokio::net::TcpStream::connect(&addr).await.unwrap();
    half_head
        .write_all(b"GET /api/search HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut half_body = tokio::net::TcpStream::connect(&addr).await.unwrap();
    half_body
        .write_all(b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nemail=a")
        .await
        .unwrap();
    let mut idle = Vec::new();
    for _ in 0..60 {
        idle.push(tokio::net::TcpStream::connect(&addr).await.unwrap());
    }

    // Someone else searches as usual.
    let other = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let r = other
        .get(format!("{}/api/search?q=football", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // The idle connections and the half-sent head are closed by the server; the half-sent
    // body gets a clear answer.
    for stream in idle.iter_mut().take(25) {
        read_until_closed(stream).await;
    }
    read_until_closed(&mut half_head).await;
    let answer = read_until_closed(&mut half_body).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");

    // And the first client is served again once its slow connections are gone.
    drop(idle);
    let r = app.get("/api/search?q=football").await;
    assert_eq!(r.status(), 200);
}
