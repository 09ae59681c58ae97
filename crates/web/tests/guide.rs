//! The "What matters to you?" guide, as a young person and their link worker would use it:
//! the real server on port 0 with its own data directory, the sample directory and a fixed
//! clock.

mod common;

use serde_json::Value;

type App = common::SeededSite;

impl App {
    /// Follows redirects; returns the status, the address it ended at and the page.
    async fn html(&self, path: &str) -> (u16, reqwest::Url, String) {
        let r = self.get(path).await;
        let status = r.status().as_u16();
        let url = r.url().clone();
        (status, url, r.text().await.unwrap())
    }

    async fn json(&self, path: &str) -> Value {
        let (status, body) = self.site.json(path).await;
        assert_eq!(status, 200, "{path}");
        body
    }
}

/// The sample directory, with "now" fixed at Wednesday 25 November 2026, 12:00 (term time).
async fn spawn_app() -> App {
    common::seeded_site(reqwest::Client::builder()).await
}

/// Every `id` given to an input or select on the page.
fn control_ids(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for tag in ["<input", "<select"] {
        for part in html.split(tag).skip(1) {
            let attrs = part.split('>').next().unwrap_or("");
            if attrs.contains("type=\"hidden\"") {
                continue;
            }
            let id = attrs
                .split("id=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_else(|| panic!("a control without an id: {tag}{attrs}"));
            ids.push(id.to_owned());
        }
    }
    ids
}

#[tokio::test]
async fn the_guide_asks_every_question_with_a_label_and_no_script() {
    let app = spawn_app().await;
    let (status, _, page) = app.html("/guide").await;
    assert_eq!(status, 200);
    for question in [
        "How old are you?",
        "Where do you live or go to school?",
        "When are you free?",
        "Is there a day that suits you best?",
        "What do you enjoy, or want to try?",
        "Anything else you&#39;d like to do?",
        "What could make it hard?",
        "<legend>Money</legend>",
        "<legend>Going for the first time</legend>",
        "<legend>Getting there</legend>",
        "Is there anything that would help you join in?",
        "a language other than English",
        "Only groups whose safeguarding has been checked",
    ] {
        let found = page.contains(question) || page.contains(&question.replace("&#39;", "'"));
        assert!(found, "missing {question:?}");
    }
    let ids = control_ids(&page);
    assert!(ids.len() > 30, "{ids:?}");
    for id in &ids {
        assert!(
            page.contains(&format!("for=\"{id}\"")),
            "no label for #{id}"
        );
    }
    assert_eq!(page.matches("name=\"enjoy\"").count(), 16, "every category");
    assert!(!page.contains("<script"), "works without JavaScript");
    assert!(page.contains("action=\"/guide/results\"") && page.contains("method=\"get\""));
}

#[tokio::test]
async fn the_search_page_offers_the_guide() {
    let app = spawn_app().await;
    let (_, _, home) = app.html("/").await;
    assert!(home.contains("Not sure what to look for?"));
    assert!(home.contains("href=\"/guide\""));
    let (_, _, results) = app.html("/?q=football").await;
    assert!(results.contains("href=\"/guide\""));
}

#[tokio::test]
async fn a_nervous_13_year_old_footballer_in_hu5_lands_on_a_matching_search() {
    let app = spawn_app().await;
    // What the form sends: every field, most of them left empty.
    let (status, url, page) = app
        .html(
            "/guide/results?age=13&where=HU5&when=weekend&day=&words=football&cost=free\
             &first=friend&distance=&language=",
        )
        .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(url.path(), "/", "the answers became an ordinary search");
    let query = url.query().unwrap().to_owned();

    // The form shows every answer as a filter the person can change.
    assert!(page.contains(r#"name="q" value="football""#), "{query}");
    assert!(page.contains(r#"name="near" value="HU5""#));
    assert!(page.contains(r#"name="age" min="0" max="120" inputmode="numeric" value="13""#));
    assert!(page.contains(r#"<option value="weekend" selected>"#));
    assert!(page.contains(r#"name="free" value="true" checked"#));
    assert!(page.contains(r#"name="newcomers" value="friend" checked"#));
    assert!(!page.contains(r#"name="checked" value="true" checked"#));
    assert!(!page.contains("<script"));

    // Every result really is for a 13-year-old, free, at the weekend, within 5 km of HU5, and
    // happy for a friend to come along the first time.
    let body = app.json(&format!("/api/search?{query}&per_page=100")).await;
    let results = body["results"].as_array().unwrap();
    assert!(!results.is_empty(), "the sample has something: {body}");
    assert_eq!(body["total"].as_u64().unwrap() as usize, results.len());
    for r in results {
        let id = r["id"].as_str().unwrap();
        assert!(r["age_min"].as_u64().unwrap() <= 13, "{id}");
        assert!(r["age_max"].as_u64().unwrap() >= 13, "{id}");
        assert_eq!(r["free"], true, "{id}");
        assert!(r["distance_km"].as_f64().unwrap() <= 5.0, "{id}");
        let listing = app.json(&format!("/api/activities/{id}")).await;
        let sessions = listing["sessions"].as_array().unwrap();
        assert!(
            sessions
                .iter()
                .any(|s| ["saturday", "sunday"].contains(&s["day"].as_str().unwrap_or(""))),
            "{id} meets at the weekend"
        );
        let newcomers = listing["join"]["newcomers"].as_array().unwrap();
        assert!(newcomers.contains(&Value::from("friend")), "{id}");
    }
}

#[tokio::test]
async fn answers_that_cannot_be_used_come_back_with_a_message_at_the_question() {
    let app = spawn_app().await;
    let (status, url, page) = app
        .html("/guide/results?age=200&where=ZZ9&when=weekend&day=monday&enjoy=music&words=drums&cost=free&first=alone&checked=true")
        .await;
    assert_eq!(status, 400);
    assert_eq!(url.path(), "/guide/results", "no redirect");
    assert!(page.contains("<title>Error: What matters to you?"));
    assert!(page.contains("Please check your answers"));
    // Each message sits at its question and the control points at it.
    assert!(page.contains(r#"id="age-error""#) && page.contains("That age looks too big"));
    assert!(page.contains(r#"aria-invalid="true" aria-describedby="age-error""#));
    assert!(page.contains(r#"id="where-error""#) && page.contains("ZZ9"));
    assert!(page.contains(r#"aria-describedby="where-hint where-error""#));
    assert!(page.contains(r#"id="day-error""#) && page.contains("you picked Monday"));
    assert!(
        page.contains(r##"href="#age""##),
        "the summary links to the field"
    );
    // The answers are kept.
    assert!(page.contains(r#"value="200""#));
    assert!(page.contains(r#"value="ZZ9""#));
    assert!(page.contains(r#"value="drums""#));
    assert!(page.contains(r#"value="music" checked"#));
    assert!(page.contains(r#"value="weekend" checked"#));
    assert!(page.contains(r#"value="monday" selected"#));
    assert!(page.contains(r#"name="cost" value="free" checked"#));
    assert!(page.contains(r#"name="first" value="alone" checked"#));
    assert!(page.contains(r#"name="checked" value="true" checked"#));

    let (status, _, page) = app.html("/guide/results?where=Atlantis").await;
    assert_eq!(status, 400);
    assert!(page.contains("We do not know a place called"), "{page}");
    assert!(page.contains(r#"value="Atlantis""#));

    let (status, _, page) = app.html("/guide/results?distance=1").await;
    assert_eq!(status, 400);
    assert!(page.contains("we need your postcode or town"));

    let (status, _, _) = app.html("/guide/results?age=%FF").await;
    assert_eq!(status, 400, "unreadable bytes are a message, not a 500");
}

#[tokio::test]
async fn skipping_every_question_lands_on_the_ordinary_search_page() {
    let app = spawn_app().await;
    let (status, url, page) = app
        .html("/guide/results?age=&where=&when=&day=&words=&cost=&first=&distance=&language=")
        .await;
    assert_eq!(status, 200);
    assert_eq!((url.path(), url.query()), ("/", None));
    assert!(page.contains("Find things to do"));
}
