//! A link worker's shortlist and handout, as a browser with JavaScript off uses them: GET
//! forms, redirects, the address and a cookie. Each test starts the real server on port 0
//! with its own data directory holding the bundled sample directory.

mod common;

use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::redirect::Policy;
use serde_json::Value;

type App = common::SeededSite;

impl App {
    async fn get_with_cookie(&self, path: &str, cookie: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .header(COOKIE, cookie)
            .send()
            .await
            .unwrap()
    }

    /// Two football listings from the sample data, by id and title.
    async fn two_listings(&self) -> Vec<(String, String)> {
        let body: Value = self
            .get("/api/search?q=football&per_page=2")
            .await
            .json()
            .await
            .unwrap();
        body["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["id"].as_str().unwrap().to_owned(),
                    r["title"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }
}

/// Its client follows no redirects and keeps no cookies: each step is checked by hand.
async fn spawn_app() -> App {
    common::seeded_site(reqwest::Client::builder().redirect(Policy::none())).await
}

fn location(r: &reqwest::Response) -> String {
    r.headers()[LOCATION].to_str().unwrap().to_owned()
}

fn shortlist_cookie(r: &reqwest::Response) -> String {
    r.headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("signpost_shortlist="))
        .expect("the shortlist cookie is set")
}

#[tokio::test]
async fn adding_and_removing_works_with_plain_links_and_lives_in_the_address() {
    let app = spawn_app().await;
    let found = app.two_listings().await;
    let (first, first_title) = &found[0];
    let (second, _) = &found[1];

    // The results page offers a button per result.
    let (_, results) = app.html("/?q=football").await;
    assert!(results.contains("Add to shortlist"));
    assert!(results.contains(r#"action="/shortlist/add""#));
    assert!(!results.contains("<script"), "no JavaScript needed");

    // Adding from the results goes back to the same search with the list in the address.
    let r = app
        .get(&format!(
            "/shortlist/add?id={first}&list=&back=%2F%3Fq%3Dfootball"
        ))
        .await;
    assert_eq!(r.status().as_u16(), 303);
    // ... at the card just added.
    assert_eq!(location(&r), format!("/?q=football&list={first}#r-{first}"));
    assert!(shortlist_cookie(&r).starts_with(&format!("signpost_shortlist={first};")));

    let (_, page) = app.html(&location(&r)).await;
    assert!(page.contains("Your shortlist has 1 activity"));
    assert!(page.contains(&format!(
        "Remove from shortlist<span class=\"visually-hidden\">: {first_title}"
    )));
    // Links from the results carry the list on, so it survives without cookies.
    assert!(page.contains(&format!("/activities/{first}?list={first}")));

    // Adding the second from its own page keeps both, in order.
    let r = app
        .get(&format!(
            "/shortlist/add?id={second}&list={first}&back=%2Factivities%2F{second}"
        ))
        .await;
    assert_eq!(
        location(&r),
        format!("/activities/{second}?list={first}.{second}")
    );
    let (_, listing) = app.html(&location(&r)).await;
    assert!(listing.contains("Your shortlist has 2 activities"));
    assert!(listing.contains("Remove from shortlist"));

    // Removing the first leaves the second.
    let r = app
        .get(&format!(
            "/shortlist/remove?id={first}&list={first}.{second}&back=%2Fshortlist"
        ))
        .await;
    assert_eq!(location(&r), format!("/shortlist?list={second}"));
}

#[tokio::test]
async fn the_shortlist_page_reads_the_address_or_the_cookie_and_can_be_cleared() {
    let app = spawn_app().await;
    let found = app.two_listings().await;
    let list = format!("{}.{}", found[0].0, found[1].0);

    let r = app.get(&format!("/shortlist?list={list}")).await;
    assert_eq!(r.status().as_u16(), 200);
    let cookie = shortlist_cookie(&r);
    let html = r.text().await.unwrap();
    let (a, b) = (
        html.find(&found[0].1).expect("first shown"),
        html.find(&found[1].1).expect("second shown"),
    );
    assert!(a < b, "in the order they were added");
    assert!(html.contains("Print a handout"));

    // A later visit without the list in the address finds it through the cookie.
    let pair = cookie.split(';').next().unwrap();
    let html = app
        .get_with_cookie("/shortlist", pair)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(&found[1].1));

    // Clearing forgets it (the cookie expires) and shows an empty list.
    let r = app.get_with_cookie("/shortlist/clear", pair).await;
    assert_eq!(location(&r), "/shortlist?list=");
    assert!(shortlist_cookie(&r).contains("Max-Age=0"));
    let (_, html) = app.html("/shortlist?list=").await;
    assert!(html.contains("Your shortlist is empty"));
}

#[tokio::test]
async fn the_handout_has_what_a_family_needs_and_a_short_link_and_qr_code_that_reopen_it() {
    let app = spawn_app().await;
    let found = app.two_listings().await;
    let list = format!("{}.{}", found[0].0, found[1].0);
    let (status, html) = app.html(&format!("/shortlist/handout?list={list}")).await;
    assert_eq!(status, 200);
    for (_, title) in &found {
        assert!(html.contains(title.as_str()));
    }
    for heading in [
        "When",
        "Where",
        "Ages",
        "Cost",
        "How to join",
        "Contact",
        "Keeping children safe",
    ] {
        assert_eq!(
            html.matches(&format!("<dt>{heading}</dt>")).count(),
            2,
            "{heading} for each activity"
        );
    }
    assert!(!html.contains("<script"));

    // The QR code is drawn here and encodes the full address of this shortlist.
    let full = format!("{}/shortlist?list={list}", app.base);
    let expected = qrcode::QrCode::with_error_correction_level(full.as_bytes(), qrcode::EcLevel::M)
        .unwrap()
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(160, 160)
        .dark_color(qrcode::render::svg::Color("#000"))
        .light_color(qrcode::render::svg::Color("#fff"))
        .build();
    let path_data = expected
        .split("d=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap();
    assert!(html.contains(path_data), "the QR code is of {full}");

    // The short link, typed in lower case from paper, opens the same list.
    let short = html
        .split(&format!("{}/s/", app.base))
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("a short link is printed")
        .to_owned();
    assert_eq!(short.len(), 17, "two 8-character references: {short}");
    let r = app.get(&format!("/s/{}", short.to_lowercase())).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(location(&r), format!("/shortlist?list={list}"));

    // The page prints on A4 in black and white.
    let css = app.get("/static/style.css").await.text().await.unwrap();
    assert!(css.contains("@media print") && css.contains("size: A4"));
}

#[tokio::test]
async fn bad_shortlist_input_gets_a_clear_answer_and_never_leaves_the_site() {
    let app = spawn_app().await;
    let found = app.two_listings().await;
    let first = &found[0].0;

    // A search with a mistake keeps the shortlist in its form, so fixing it loses nothing.
    let (status, html) = app.html(&format!("/?age=200&list={first}")).await;
    assert_eq!(status, 400);
    assert!(html.contains(&format!(r#"name="list" value="{first}""#)));

    let (status, html) = app.html("/shortlist/add?id=..%2F..%2Fetc&back=%2F").await;
    assert_eq!(status, 400);
    assert!(html.contains("not a listing"));

    // Somewhere else as the way back becomes the search page.
    for back in [
        "%2F%2Fevil.example%2F",
        "https%3A%2F%2Fevil.example%2F",
        "%2F%5Cevil.example",
        // Browsers drop tabs and newlines from an address: `/\t/evil` is `//evil` to them.
        "%2F%09%2Fevil.example%2F",
        "%2F%0A%2Fevil.example%2F",
        "%2F%0D%0ALocation:%20x",
        "%2F%20%2Fevil.example",
    ] {
        let r = app
            .get(&format!("/shortlist/add?id={first}&back={back}"))
            .await;
        assert_eq!(
            location(&r),
            format!("/?list={first}#r-{first}"),
            "back={back}"
        );
    }

    // Junk in the list is dropped; a very long list is cut to twenty.
    let many: Vec<String> = (0..50).map(|i| format!("id-{i}")).collect();
    let (status, html) = app
        .html(&format!(
            "/shortlist?list={}.NOT%20AN%20ID.{}",
            first,
            many.join(".")
        ))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains(&found[0].1));

    let (status, html) = app.html("/s/ZZZZZZZZ-not-a-ref").await;
    assert_eq!(status, 404);
    assert!(html.contains("did not match a listing"));
}
