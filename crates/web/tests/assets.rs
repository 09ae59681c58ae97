//! Static files under fingerprinted names, and the optional map: what a page links to, how
//! long browsers may keep it, and that nothing of the map (no script, no coordinates, no
//! outside origin in the security policy) is there unless a tile server is configured.
//!
//! The map itself is drawn and checked in a real browser by `tests/browser/map.mjs`.

mod common;

use blake2::digest::consts::U16;
use blake2::{Blake2b, Digest};
use signpost_web::{MapTiles, SiteConfig};

const TILES: &str = "https://tile.example.org/{z}/{x}/{y}.png";

/// A sample listing with two venues.
const TWO_VENUES: &str = "green-shoots-hull-community-garden-eco-volunteers";

struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: String,
}

async fn get(base: &str, path: &str) -> Answer {
    let r = common::client(reqwest::Client::builder())
        .get(format!("{base}{path}"))
        .send()
        .await
        .unwrap();
    Answer {
        status: r.status().as_u16(),
        headers: r.headers().clone(),
        body: r.text().await.unwrap(),
    }
}

fn header<'a>(a: &'a Answer, name: &str) -> &'a str {
    a.headers.get(name).map_or("", |v| v.to_str().unwrap_or(""))
}

/// The value of the first `attr="..."` after `after` in `html`.
fn attribute<'a>(html: &'a str, after: &str, attr: &str) -> &'a str {
    let from = html
        .find(after)
        .unwrap_or_else(|| panic!("no {after} in {html}"));
    let key = format!("{attr}=\"");
    let start = from
        + html[from..]
            .find(&key)
            .unwrap_or_else(|| panic!("no {attr} after {after}"))
        + key.len();
    &html[start..start + html[start..].find('"').unwrap()]
}

/// The first 12 hex digits of the BLAKE2b-128 of a file in `web/`.
fn fingerprint_of(file: &str) -> String {
    let bytes = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../web")
            .join(file),
    )
    .unwrap();
    Blake2b::<U16>::digest(&bytes)
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn pages_link_the_stylesheet_by_a_hash_of_its_bytes_and_browsers_keep_it_a_year() {
    let s = common::start_seeded().await;
    let page = get(&s.base, "/").await;
    let href = attribute(&page.body, "<link rel=\"stylesheet\"", "href");
    assert_eq!(
        href,
        format!("/static/style.{}.css", fingerprint_of("style.css"))
    );

    let css = get(&s.base, href).await;
    assert_eq!(css.status, 200);
    assert_eq!(header(&css, "content-type"), "text/css; charset=utf-8");
    assert_eq!(
        header(&css, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert!(css.body.contains("@media print"), "{}", css.body);

    // Every page type links the same name.
    for path in ["/?near=HU5", "/guide", "/login", "/no-such-page"] {
        let other = get(&s.base, path).await;
        assert!(other.body.contains(href), "{path} does not link {href}");
    }
}

#[tokio::test]
async fn a_wrong_or_old_hash_is_not_found_but_the_plain_name_still_answers_briefly_cached() {
    let s = common::start_seeded().await;
    for path in [
        "/static/style.000000000000.css",
        "/static/style.css.map",
        "/static/map.000000000000.js",
        "/static/map.js",
        "/static/nothing.txt",
    ] {
        let a = get(&s.base, path).await;
        assert_eq!(a.status, 404, "{path}");
        assert!(!header(&a, "cache-control").contains("immutable"), "{path}");
    }
    // Pages cached before fingerprinting still get their stylesheet, for an hour at most.
    let old = get(&s.base, "/static/style.css").await;
    assert_eq!(old.status, 200);
    assert_eq!(header(&old, "cache-control"), "public, max-age=3600");
    assert!(old.body.contains("@media print"));
}

#[tokio::test]
async fn without_a_tile_server_there_is_no_map_no_script_and_no_outside_origin() {
    let s = common::start_seeded().await;
    for path in ["/?near=HU5", &format!("/activities/{TWO_VENUES}")] {
        let page = get(&s.base, path).await;
        assert_eq!(page.status, 200, "{path}");
        for absent in ["<script", "data-lat", "data-map-tiles", "class=\"map\""] {
            assert!(!page.body.contains(absent), "{path} has {absent}");
        }
        let csp = header(&page, "content-security-policy");
        assert_eq!(
            csp,
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
            "{path}"
        );
    }
}

#[tokio::test]
async fn with_a_tile_server_results_and_listings_carry_coordinates_and_the_map_script() {
    let s = common::start_seeded_with(SiteConfig {
        map_tiles: Some(MapTiles::parse(TILES).unwrap()),
        ..SiteConfig::default()
    })
    .await;

    let results = get(&s.base, "/?near=HU5").await;
    let csp = header(&results, "content-security-policy");
    assert!(csp.contains("script-src 'self';"), "{csp}");
    assert!(
        csp.contains("img-src 'self' data: https://tile.example.org;"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe"), "{csp}");
    assert_eq!(
        attribute(&results.body, "<section class=\"map\"", "data-map-tiles"),
        TILES
    );
    let script = attribute(&results.body, "<script", "src");
    assert_eq!(
        script,
        format!("/static/map.{}.js", fingerprint_of("map.js"))
    );
    assert!(
        results
            .body
            .contains(&format!("<script src=\"{script}\" defer>"))
    );
    // Every result near HU5 has a venue, so every one carries its coordinates.
    let cards = results.body.matches("<li class=\"result\"").count();
    assert_eq!(cards, 20, "a full page of results");
    assert_eq!(results.body.matches("data-lat=\"").count(), cards);
    assert_eq!(results.body.matches("data-lon=\"").count(), cards);
    let lat: f64 = attribute(&results.body, "<li class=\"result\"", "data-lat")
        .parse()
        .unwrap();
    let lon: f64 = attribute(&results.body, "<li class=\"result\"", "data-lon")
        .parse()
        .unwrap();
    assert!(
        (53.6..53.9).contains(&lat) && (-0.5..-0.2).contains(&lon),
        "{lat},{lon} is not in Hull"
    );

    let js = get(&s.base, script).await;
    assert_eq!(js.status, 200);
    assert_eq!(
        header(&js, "content-type"),
        "text/javascript; charset=utf-8"
    );
    assert_eq!(
        header(&js, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert!(js.body.contains("data-map-tiles"));

    // A listing: one point per venue, on the venue blocks it already shows.
    let listing = get(&s.base, &format!("/activities/{TWO_VENUES}")).await;
    assert_eq!(
        listing
            .body
            .matches("<div class=\"venue\" data-lat=\"")
            .count(),
        2
    );
    assert!(listing.body.contains("aria-label=\"Map of the venues\""));
    assert!(listing.body.contains("on a map (OpenStreetMap)"));

    // Pages with no venues to show have no map.
    for path in ["/", "/guide", "/shortlist"] {
        let page = get(&s.base, path).await;
        assert!(!page.body.contains("<script"), "{path}");
    }
}
