//! The Open Referral UK 3.0 API under `/oruk/`, on the real server with the bundled sample
//! directory read at a fixed moment: paging, the ORUK filters against Signpost's own search,
//! the ORUK schema, what is never published, and the error answers.

mod common;
#[path = "../../openreferral/tests/support/oruk_schema.rs"]
mod oruk_schema;

use oruk_schema::{assert_valid, service_validator};
use serde_json::Value;
use signpost_model::{Coordinates, public_uuid};

type App = common::SeededSite;

impl App {
    async fn ok(&self, path: &str) -> Value {
        let (status, body) = self.json(path).await;
        assert_eq!(status, 200, "{path}: {body}");
        body
    }

    /// Every entry of a paged list, page by page.
    async fn all(&self, path: &str) -> Vec<Value> {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut out = Vec::new();
        for page in 1.. {
            let body = self
                .ok(&format!("{path}{sep}page={page}&per_page=100"))
                .await;
            out.extend(body["contents"].as_array().unwrap().iter().cloned());
            if body["last_page"] == true {
                break;
            }
        }
        out
    }
}

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../seed-data/directory.json"
);

/// The bundled sample directory, read at Wednesday 25 November 2026, noon.
async fn spawn_app() -> App {
    common::seeded_site(reqwest::Client::builder()).await
}

fn seed() -> Value {
    serde_json::from_str(&std::fs::read_to_string(SEED).unwrap()).unwrap()
}

/// The names of the people who checked the sample providers.
fn checkers() -> Vec<String> {
    let seed = seed();
    let names: Vec<String> = seed["providers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["verification"]["checked_by"].as_str())
        .map(str::to_owned)
        .collect();
    assert!(names.len() > 3, "the sample has verified providers");
    names
}

async fn api_total(app: &App, query: &str) -> u64 {
    app.ok(&format!("/api/search?{query}")).await["total"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn services_are_paged_in_the_oruk_envelope() {
    let app = spawn_app().await;
    let total = api_total(&app, "").await;
    assert!(total > 100, "{total}");
    let first = app.ok("/oruk/services?per_page=7").await;
    assert_eq!(first["total_items"], total, "the same listings as the site");
    let pages = total.div_ceil(7);
    assert_eq!(first["total_pages"], pages);
    assert_eq!(first["page_number"], 1);
    assert_eq!(first["size"], 7);
    assert_eq!(first["first_page"], true);
    assert_eq!(first["last_page"], false);
    assert_eq!(first["empty"], false);
    // The list shape: one-to-one fields and the organisation's, nothing nested in lists.
    let s = &first["contents"][0];
    assert!(s["id"].is_string() && s["name"].is_string() && s["status"] == "active");
    assert!(s["organization"]["name"].is_string());
    assert!(s.get("schedules").is_none() && s.get("attributes").is_none());

    let last = app
        .ok(&format!("/oruk/services?per_page=7&page={pages}"))
        .await;
    assert_eq!(last["last_page"], true);
    assert_eq!(last["first_page"], false);
    let expected_size = if total % 7 == 0 { 7 } else { total % 7 };
    assert_eq!(last["size"], expected_size);
    let beyond = app
        .ok(&format!("/oruk/services?per_page=7&page={}", pages + 1))
        .await;
    assert_eq!(beyond["empty"], true);
    assert_eq!(beyond["contents"], serde_json::json!([]));

    // Every page together holds every listing once.
    let all = app.all("/oruk/services").await;
    let mut ids: Vec<&str> = all.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len() as u64, total);
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len() as u64, total);
}

#[tokio::test]
async fn oruk_filters_find_what_the_search_finds() {
    let app = spawn_app().await;
    for (oruk, api) in [
        ("search=football", "q=football"),
        ("text=football", "q=football"),
        ("taxonomy_term_id=signpost-category:sport", "category=sport"),
        (
            "taxonomy_term_id=sport&taxonomy_term_id=music",
            "category=sport&category=music",
        ),
        ("day=SA", "day=saturday"),
        ("postcode=HU5&proximity=3000", "postcode=HU5&radius_km=3"),
        ("postcode=HU5", "postcode=HU5"),
    ] {
        let body = app.ok(&format!("/oruk/services?{oruk}")).await;
        let total = api_total(&app, api).await;
        assert!(total > 0, "{api} finds something");
        assert_eq!(body["total_items"], total, "{oruk}");
    }
    // A category's services carry its term.
    let sport = app
        .all("/oruk/services?taxonomy_term_id=signpost-category:sport&full=true")
        .await;
    for s in &sport {
        let terms: Vec<&str> = s["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|a| a["taxonomy_term"]["code"].as_str())
            .collect();
        assert!(terms.contains(&"signpost-category:sport"), "{}", s["id"]);
    }
    // The term's id (a UUID) filters the same way as its code.
    let sport_id = public_uuid("taxonomy_term", "signpost-category:sport");
    let by_id = app
        .all(&format!(
            "/oruk/services?taxonomy_term_id={sport_id}&full=true"
        ))
        .await;
    assert_eq!(by_id, sport);
    // Ages as ORUK defines the filters: minimum age at least, maximum age at most.
    let teens = app
        .all("/oruk/services?minimum_age=11&maximum_age=18&full=true")
        .await;
    assert!(!teens.is_empty());
    // Exactly those: the filter drops none that qualify.
    let everything = app.all("/oruk/services?full=true").await;
    let qualifying = everything
        .iter()
        .filter(|s| {
            s["minimum_age"].as_f64().is_some_and(|m| m >= 11.0)
                && s["maximum_age"].as_f64().is_some_and(|m| m <= 18.0)
        })
        .count();
    assert_eq!(teens.len(), qualifying);
    for s in &teens {
        let (min, max) = (
            s["minimum_age"].as_f64().unwrap(),
            s["maximum_age"].as_f64().unwrap(),
        );
        assert!(min >= 11.0 && max <= 18.0, "{}: {min}-{max}", s["id"]);
    }
    // Times: a session starting at or after 18:00.
    let evening = app.all("/oruk/services?start_time=18:00&full=true").await;
    assert!(!evening.is_empty());
    for s in &evening {
        let starts: Vec<&str> = s["schedules"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|x| x["opens_at"].as_str())
            .collect();
        assert!(
            starts.iter().any(|t| *t >= "18:00"),
            "{}: {starts:?}",
            s["id"]
        );
    }
    // A session ending by noon.
    let morning = app.all("/oruk/services?end_time=12:00&full=true").await;
    assert!(!morning.is_empty() && morning.len() < everything.len());
    for s in &morning {
        let ends: Vec<&str> = s["schedules"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|x| x["closes_at"].as_str())
            .collect();
        assert!(ends.iter().any(|t| *t <= "12:00"), "{}: {ends:?}", s["id"]);
    }
    // Changed since: everything since long ago, nothing since a date to come.
    let since = |d: &str| format!("/oruk/services?modified_after={d}");
    assert_eq!(
        app.ok(&since("2000-01-01T00:00:00Z")).await["total_items"],
        everything.len()
    );
    assert_eq!(
        app.ok(&since("2030-01-01T00:00:00Z")).await["total_items"],
        0
    );
    // One organisation's services.
    let org_id = public_uuid("organization", "humber-wanderers-junior-fc");
    let org = app
        .ok(&format!("/oruk/services?organization_id={org_id}"))
        .await;
    assert!(org["total_items"].as_u64().unwrap() > 0);
    for s in org["contents"].as_array().unwrap() {
        assert_eq!(s["organization"]["id"], org_id);
        assert_eq!(s["organization_id"], org_id);
    }
    // Its Signpost id finds the same.
    assert_eq!(
        app.ok("/oruk/services?organization_id=humber-wanderers-junior-fc")
            .await,
        org
    );
}

#[tokio::test]
async fn service_at_locations_near_a_postcode_are_within_proximity_nearest_first() {
    let app = spawn_app().await;
    // HU5's centre, as the sample postcode table has it.
    let hu5 = Coordinates::new(53.7596, -0.3752).unwrap();
    let near = app
        .all("/oruk/service_at_locations?postcode=HU5&proximity=2500")
        .await;
    assert!(!near.is_empty());
    let mut last = 0.0;
    for sal in &near {
        let l = &sal["location"];
        assert_eq!(l["location_type"], "physical");
        let at = Coordinates::new(
            l["latitude"].as_f64().unwrap(),
            l["longitude"].as_f64().unwrap(),
        )
        .unwrap();
        let km = at.distance_km(hu5);
        assert!(km <= 2.5, "{}: {km} km", sal["id"]);
        assert!(km >= last - 1e-9, "nearest first");
        last = km;
        assert!(sal["service"]["name"].is_string());
    }
    // Without a place: every venue of every listing, and a virtual location for online ones.
    let results = {
        let mut out = Vec::new();
        for page in 1.. {
            let body = app
                .ok(&format!("/api/search?per_page=100&page={page}"))
                .await;
            let hits = body["results"].as_array().unwrap().clone();
            let n = hits.len();
            out.extend(hits);
            if n < 100 {
                break;
            }
        }
        out
    };
    let expected: usize = results
        .iter()
        .map(|r| r["venues"].as_array().unwrap().len() + usize::from(r["online"] == true))
        .sum();
    let everywhere = app.ok("/oruk/service_at_locations?per_page=5").await;
    assert_eq!(everywhere["total_items"], expected);
    let one = everywhere["contents"][0]["id"].as_str().unwrap().to_owned();
    let full = app.ok(&format!("/oruk/service_at_locations/{one}")).await;
    assert_eq!(full["id"], one.as_str());
    assert!(full["location"]["addresses"].is_array());
    assert!(full["service"]["schedules"].is_array());
}

#[tokio::test]
async fn full_services_validate_against_the_oruk_schema() {
    let app = spawn_app().await;
    let Some(validator) = service_validator() else {
        return;
    };
    let services = app.all("/oruk/services?full=true").await;
    assert!(services.len() > 100);
    for s in &services {
        assert_valid(&validator, s);
    }
    let id = services[0]["id"].as_str().unwrap();
    let one = app.ok(&format!("/oruk/services/{id}")).await;
    assert_valid(&validator, &one);
    assert_eq!(&one, &services[0]);
    // Upper case is the same UUID; the Signpost id (its signpost:id) names it too.
    let upper = app
        .ok(&format!("/oruk/services/{}", id.to_ascii_uppercase()))
        .await;
    assert_eq!(upper, one);
    let signpost_id = one["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["taxonomy_term"]["code"] == "signpost:id")
        .and_then(|a| a["value"].as_str())
        .unwrap();
    assert_eq!(id, public_uuid("service", signpost_id));
    assert_eq!(app.ok(&format!("/oruk/services/{signpost_id}")).await, one);
    // Each service at a location is found by its own UUID.
    for sal in one["service_at_locations"].as_array().unwrap() {
        let at = app
            .ok(&format!(
                "/oruk/service_at_locations/{}",
                sal["id"].as_str().unwrap()
            ))
            .await;
        assert_eq!(at["id"], sal["id"]);
        assert_eq!(at["service"]["id"], one["id"]);
    }
}

#[tokio::test]
async fn the_checkers_own_names_are_never_published() {
    let app = spawn_app().await;
    let names = checkers();
    let mut published = String::new();
    for path in [
        "/oruk/services?full=true",
        "/oruk/service_at_locations?full=true",
    ] {
        for v in app.all(path).await {
            published.push_str(&v.to_string());
        }
    }
    assert!(
        published.contains("signpost:checked-for"),
        "checks are shown"
    );
    for name in &names {
        assert!(!published.contains(name.as_str()), "{name} was published");
    }
    assert!(!published.contains("verification-record"));
    assert!(!published.contains("safeguarding-record"));
}

#[tokio::test]
async fn taxonomies_and_terms() {
    let app = spawn_app().await;
    let info = app.ok("/oruk/").await;
    assert_eq!(info["version"], "3.0");
    // The address this server is reached at, not a fixed one.
    assert_eq!(
        info["openapi_url"].as_str().unwrap(),
        format!("{}/oruk/openapi.json", app.base)
    );
    assert_eq!(app.ok("/oruk").await, info);
    let doc = app.ok("/oruk/openapi.json").await;
    assert!(doc["paths"]["/oruk/services"]["get"].is_object());
    // Every example id in the description names something that is there.
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(example) = item["get"]["parameters"]
            .as_array()
            .and_then(|ps| ps.iter().find(|p| p["in"] == "path"))
            .and_then(|p| p["example"].as_str())
        else {
            continue;
        };
        app.ok(&path.replace("{id}", example)).await;
    }

    let taxonomies = app.ok("/oruk/taxonomies").await;
    assert_eq!(taxonomies["total_items"], 2);
    let categories = app.ok("/oruk/taxonomies/signpost-categories").await;
    assert_eq!(categories["taxonomy_terms"].as_array().unwrap().len(), 16);
    let categories_id = categories["id"].as_str().unwrap();
    assert_eq!(
        categories_id,
        public_uuid("taxonomy", "signpost-categories")
    );
    assert_eq!(
        app.ok(&format!("/oruk/taxonomies/{categories_id}")).await,
        categories
    );
    assert_eq!(
        app.ok(&format!(
            "/oruk/taxonomy_terms?taxonomy_id={categories_id}&per_page=10"
        ))
        .await["total_items"],
        16
    );
    let terms = app
        .ok("/oruk/taxonomy_terms?taxonomy_id=signpost-categories&per_page=10")
        .await;
    assert_eq!(terms["total_items"], 16);
    assert_eq!(terms["total_pages"], 2);
    let all = app.ok("/oruk/taxonomy_terms?per_page=100").await;
    assert_eq!(
        all["total_items"].as_u64().unwrap() as usize,
        signpost_model::Category::ALL.len() + signpost_openreferral::Field::ALL.len()
    );
    let sport = app.ok("/oruk/taxonomy_terms/signpost-category:sport").await;
    assert_eq!(sport["name"], "Sport");
    assert_eq!(sport["code"], "signpost-category:sport");
    assert_eq!(sport["taxonomy_id"], categories_id);
    let sport_id = sport["id"].as_str().unwrap();
    assert_eq!(
        app.ok(&format!("/oruk/taxonomy_terms/{sport_id}")).await,
        sport
    );
    let gender = app.ok("/oruk/taxonomy_terms/signpost:gender").await;
    assert_eq!(gender["taxonomy_id"], public_uuid("taxonomy", "signpost"));
}

#[tokio::test]
async fn bad_parameters_are_400s_that_name_them() {
    let app = spawn_app().await;
    for (path, param) in [
        ("/oruk/services?per_page=1000", "per_page"),
        ("/oruk/services?page=0", "page"),
        ("/oruk/services?postcode=HU5&proximity=50", "proximity"),
        ("/oruk/services?proximity=5000", "proximity"),
        ("/oruk/services?postcode=ZZ99", "postcode"),
        ("/oruk/services?postcode=90210", "postcode"),
        (
            "/oruk/services?taxonomy_term_id=quidditch",
            "taxonomy_term_id",
        ),
        ("/oruk/services?taxonomy_id=lga", "taxonomy_id"),
        ("/oruk/services?minimum_age=old", "minimum_age"),
        ("/oruk/services?start_time=teatime", "start_time"),
        ("/oruk/services?colour=red", "colour"),
        ("/oruk/service_at_locations?full=perhaps", "full"),
        ("/oruk/taxonomies?per_page=0", "per_page"),
        ("/oruk/taxonomy_terms?taxonomy_id=nope", "taxonomy_id"),
    ] {
        let (status, body) = app.json(path).await;
        assert_eq!(status, 400, "{path}: {body}");
        assert_eq!(body["error"]["code"], "invalid_parameter", "{path}");
        assert_eq!(body["error"]["parameter"], param, "{path}: {body}");
    }
}

#[tokio::test]
async fn unknown_withdrawn_or_ended_ids_are_404s() {
    let app = spawn_app().await;
    // The sample's first listing ran until July 2025: ended, so not published.
    let ended = "humber-wanderers-junior-fc-girls-football";
    let (status, _) = app.json(&format!("/api/activities/{ended}")).await;
    assert_eq!(status, 200, "it exists");
    for path in [
        "/oruk/services/no-such-service".to_owned(),
        format!("/oruk/services/{ended}"),
        format!("/oruk/service_at_locations/{ended}--at-1"),
        "/oruk/service_at_locations/humber-wanderers-junior-fc-pan-disability--at-9".to_owned(),
        "/oruk/service_at_locations/nonsense".to_owned(),
        format!("/oruk/services/{}", public_uuid("service", ended)),
        format!(
            "/oruk/services/{}",
            public_uuid("service", "no-such-service")
        ),
        "/oruk/services/00000000-0000-0000-0000-000000000000".to_owned(),
        // A service's UUID is not a service at a location, nor the other way round.
        format!(
            "/oruk/service_at_locations/{}",
            public_uuid("service", "humber-wanderers-junior-fc-pan-disability")
        ),
        format!(
            "/oruk/services/{}",
            signpost_model::owned_uuid(
                "service_at_location",
                "humber-wanderers-junior-fc-pan-disability--at-1",
                "humber-wanderers-junior-fc-pan-disability"
            )
        ),
        format!("/oruk/taxonomies/{}", public_uuid("taxonomy", "nope")),
        "/oruk/taxonomies/nope".to_owned(),
        "/oruk/taxonomy_terms/signpost:nope".to_owned(),
        "/oruk/organizations".to_owned(),
    ] {
        let (status, body) = app.json(&path).await;
        assert_eq!(status, 404, "{path}: {body}");
        assert_eq!(body["error"]["code"], "not_found", "{path}");
    }
    let found = app
        .ok("/oruk/service_at_locations/humber-wanderers-junior-fc-pan-disability--at-1")
        .await;
    assert_eq!(
        found["service"]["id"],
        public_uuid("service", "humber-wanderers-junior-fc-pan-disability")
    );
}
