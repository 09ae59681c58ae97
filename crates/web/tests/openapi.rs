//! The JSON API's contract, tested on the real server with the bundled sample directory: the
//! OpenAPI document at `/api/openapi.json` names exactly the routed API paths and the search
//! parameters the server accepts, every documented operation answers as documented, and the
//! API (only the API) is open to other sites and revalidated with ETags.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use reqwest::Method;
use serde_json::{Value, json};

type App = common::SeededSite;

impl App {
    async fn request(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut r = self.client.request(method, format!("{}{path}", self.base));
        for (name, value) in headers {
            r = r.header(*name, *value);
        }
        r.send().await.unwrap()
    }

    async fn document(&self) -> Value {
        let r = self.get("/api/openapi.json").await;
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    }
}

/// The bundled sample directory, read at a fixed moment: Wednesday 25 November 2026, noon.
async fn spawn_app() -> App {
    // The whole workspace's build turns on reqwest's gzip, which would unpack answers and
    // hide their encoding from the ETag tests.
    common::seeded_site(reqwest::Client::builder().no_gzip()).await
}

// ---------------------------------------------------------------------------------------
// Reading the document

/// Follows a local `$ref` (`#/components/...`) to what it names.
fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let target = doc
                .pointer(r.strip_prefix('#').unwrap())
                .unwrap_or_else(|| panic!("{r} names nothing"));
            resolve(doc, target)
        }
        None => v,
    }
}

/// Every operation: (path, method, operation).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            out.push((path.clone(), method.clone(), op.clone()));
        }
    }
    out
}

fn parameters(doc: &Value, op: &Value, place: &str) -> Vec<Value> {
    op["parameters"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .map(|p| resolve(doc, p).clone())
                .filter(|p| p["in"] == place)
                .collect()
        })
        .unwrap_or_default()
}

/// A value as it is written in an address.
fn as_query_values(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items.iter().flat_map(as_query_values).collect(),
        other => vec![other.to_string()],
    }
}

fn query_string(pairs: &[(String, Value)]) -> String {
    let mut parts = Vec::new();
    for (name, value) in pairs {
        for v in as_query_values(value) {
            let encoded: String = v
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect();
            parts.push(format!("{name}={encoded}"));
        }
    }
    parts.join("&")
}

/// The address for an operation, its path parameters filled with their examples.
fn address(path: &str, path_params: &[Value], query: &[(String, Value)]) -> String {
    let mut out = path.to_owned();
    for p in path_params {
        let name = p["name"].as_str().unwrap();
        let example = p["example"]
            .as_str()
            .unwrap_or_else(|| panic!("{path}: give path parameter {name} an example"));
        out = out.replace(&format!("{{{name}}}"), example);
    }
    if query.is_empty() {
        out
    } else {
        format!("{out}?{}", query_string(query))
    }
}

/// OpenAPI cannot say that two parameters go together; these must.
const TOGETHER: &[(&str, &str)] = &[("lat", "lon"), ("lon", "lat"), ("proximity", "postcode")];

/// A parameter's example, with the examples of any parameter it needs.
fn example_query(params: &[Value], name: &str, value: Value) -> Vec<(String, Value)> {
    let mut q = vec![(name.to_owned(), value)];
    for (a, b) in TOGETHER {
        if *a == name
            && let Some(p) = params.iter().find(|p| p["name"] == *b)
        {
            q.push(((*b).to_owned(), p["example"].clone()));
        }
    }
    q
}

/// A validator for `schema`, with the document's components beside it so `$ref`s resolve.
fn validator(doc: &Value, schema: &Value) -> jsonschema::Validator {
    let root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": doc["components"],
        "allOf": [schema],
    });
    jsonschema::options()
        .should_validate_formats(true)
        .build(&root)
        .unwrap_or_else(|e| panic!("not a valid JSON Schema: {e}\n{schema:#}"))
}

fn assert_valid(doc: &Value, schema: &Value, body: &Value, what: &str) {
    let v = validator(doc, schema);
    let errors: Vec<String> = v
        .iter_errors(body)
        .map(|e| format!("{e} (at {})", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

/// The JSON schema documented for one status of an operation.
fn response_schema<'a>(doc: &'a Value, op: &'a Value, status: &str) -> Option<&'a Value> {
    let response = resolve(doc, op["responses"].get(status)?);
    response.pointer("/content/application~1json/schema")
}

/// Calls `url`, checks the status and the body against the documented schema for it.
async fn check_call(app: &App, doc: &Value, op: &Value, url: &str, status: u16) -> Value {
    let r = app.get(url).await;
    assert_eq!(r.status().as_u16(), status, "{url}");
    let content_type = r.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(
        content_type.starts_with("application/json"),
        "{url}: {content_type}"
    );
    let body: Value = r.json().await.unwrap();
    let schema = response_schema(doc, op, &status.to_string())
        .unwrap_or_else(|| panic!("{url}: status {status} is not documented"));
    assert_valid(doc, schema, &body, url);
    body
}

/// The read-only JSON API's routes, as the router has them.
fn routed_api_paths() -> BTreeSet<String> {
    signpost_web::json_api_paths()
        .into_iter()
        .map(str::to_owned)
        .collect()
}

// ---------------------------------------------------------------------------------------
// The document against the routes and the server

#[tokio::test]
async fn every_routed_api_path_is_documented_and_every_documented_path_is_routed() {
    let app = spawn_app().await;
    let doc = app.document().await;
    let documented: BTreeSet<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
    let routed = routed_api_paths();
    let undocumented: Vec<_> = routed.difference(&documented).collect();
    let unrouted: Vec<_> = documented.difference(&routed).collect();
    assert!(
        undocumented.is_empty(),
        "routed but not in the OpenAPI document: {undocumented:?}"
    );
    assert!(
        unrouted.is_empty(),
        "in the OpenAPI document but not routed: {unrouted:?}"
    );
    for (path, method, _) in operations(&doc) {
        assert!(
            ["get", "summary", "description", "parameters"].contains(&method.as_str()),
            "{path}: the API is read-only, yet {method} is documented"
        );
    }
}

#[tokio::test]
async fn the_document_is_openapi_3_1_with_valid_schemas_and_examples() {
    let app = spawn_app().await;
    let doc = app.document().await;
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    for (path, _, op) in operations(&doc) {
        for (status, response) in op["responses"].as_object().unwrap() {
            let response = resolve(&doc, response);
            assert!(response["description"].is_string(), "{path} {status}");
            let Some(media) = response.pointer("/content/application~1json") else {
                continue;
            };
            // Building the validator checks the schema against the JSON Schema meta-schema.
            let schema = &media["schema"];
            validator(&doc, schema);
            if let Some(example) = media.get("example") {
                assert_valid(&doc, schema, example, &format!("{path} {status} example"));
            }
        }
        for p in parameters(&doc, &op, "query")
            .iter()
            .chain(&parameters(&doc, &op, "path"))
        {
            let what = format!("{path} parameter {}", p["name"]);
            assert!(p["description"].is_string(), "{what}: describe it");
            assert!(!p["example"].is_null(), "{what}: give it an example");
            assert_valid(&doc, &p["schema"], &p["example"], &what);
        }
    }
}

#[tokio::test]
async fn every_documented_operation_answers_with_its_documented_schema() {
    let app = spawn_app().await;
    let doc = app.document().await;
    let mut calls = 0;
    for (path, _, op) in operations(&doc) {
        let path_params = parameters(&doc, &op, "path");
        let query = parameters(&doc, &op, "query");
        let required: Vec<(String, Value)> = query
            .iter()
            .filter(|p| p["required"] == true)
            .map(|p| (p["name"].as_str().unwrap().to_owned(), p["example"].clone()))
            .collect();

        // With the examples of the required parameters only, then each example in turn.
        let url = address(&path, &path_params, &required);
        check_call(&app, &doc, &op, &url, 200).await;
        calls += 1;
        for p in &query {
            let name = p["name"].as_str().unwrap();
            let mut q = required.clone();
            q.retain(|(n, _)| n != name);
            q.extend(example_query(&query, name, p["example"].clone()));
            let url = address(&path, &path_params, &q);
            check_call(&app, &doc, &op, &url, 200).await;
            calls += 1;
        }

        // A 404 where one is documented: an id nothing has.
        if op["responses"].get("404").is_some() {
            let missing: Vec<Value> = path_params
                .iter()
                .map(|p| {
                    let mut p = p.clone();
                    p["example"] = json!("no-such-thing-anywhere");
                    p
                })
                .collect();
            let url = address(&path, &missing, &required);
            let body = check_call(&app, &doc, &op, &url, 404).await;
            assert_eq!(body["error"]["code"], "not_found", "{url}");
            calls += 1;
        }
    }
    assert!(calls > 25, "only {calls} calls made");
}

/// Values the schema forbids: each must be refused with a 400 naming the parameter.
fn invalid_values(schema: &Value) -> Vec<Value> {
    let schema = if schema["type"] == "array" {
        &schema["items"]
    } else {
        schema
    };
    let mut out = Vec::new();
    if schema.get("enum").is_some() {
        out.push(json!("not-a-value"));
    }
    match schema["type"].as_str() {
        Some("boolean") => out.push(json!("maybe")),
        Some("integer") => {
            out.push(json!("lots"));
            out.extend(schema["minimum"].as_i64().map(|min| json!(min - 1)));
            out.extend(schema["maximum"].as_i64().map(|max| json!(max + 1)));
        }
        Some("number") => {
            out.push(json!("lots"));
            out.extend(schema["minimum"].as_f64().map(|min| json!(min - 1.0)));
            out.extend(schema["maximum"].as_f64().map(|max| json!(max + 1.0)));
        }
        _ => {}
    }
    if let Some(n) = schema["maxLength"].as_u64() {
        out.push(json!("a".repeat(n as usize + 1)));
    }
    out
}

#[tokio::test]
async fn documented_values_are_accepted_and_documented_limits_enforced() {
    let app = spawn_app().await;
    let doc = app.document().await;
    let mut bad_requests = 0;
    for (path, _, op) in operations(&doc) {
        if op["responses"].get("400").is_none() {
            continue;
        }
        let path_params = parameters(&doc, &op, "path");
        let query = parameters(&doc, &op, "query");
        for p in &query {
            let name = p["name"].as_str().unwrap();
            let schema = &p["schema"];
            // Every allowed value is accepted...
            let allowed = schema["enum"]
                .as_array()
                .or(schema["items"]["enum"].as_array());
            for value in allowed.into_iter().flatten() {
                let mut q = example_query(&query, name, value.clone());
                if name == "sort" {
                    // Sorting by distance needs a place, as its description says.
                    q.push(("near".into(), json!("HU5")));
                }
                let url = address(&path, &path_params, &q);
                check_call(&app, &doc, &op, &url, 200).await;
            }
            // ...and values outside the documented limits are refused, naming the parameter.
            for value in invalid_values(schema) {
                let url = address(&path, &path_params, &example_query(&query, name, value));
                let body = check_call(&app, &doc, &op, &url, 400).await;
                assert_eq!(body["error"]["code"], "invalid_parameter", "{url}");
                assert_eq!(body["error"]["parameter"], name, "{url}");
                bad_requests += 1;
            }
        }
        // A name that is not documented is refused too, not silently ignored.
        let url = address(&path, &path_params, &[("colour".into(), json!("red"))]);
        let body = check_call(&app, &doc, &op, &url, 400).await;
        assert_eq!(body["error"]["parameter"], "colour", "{url}");
    }
    assert!(bad_requests > 20, "only {bad_requests} bad requests tried");
}

#[tokio::test]
async fn documented_search_parameters_are_exactly_the_ones_the_server_accepts() {
    let app = spawn_app().await;
    let doc = app.document().await;
    let op = &doc["paths"]["/api/search"]["get"];
    let documented: BTreeSet<String> = parameters(&doc, op, "query")
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect();
    let accepted: BTreeSet<String> = signpost_directory::params::PARAMS
        .iter()
        .map(|p| p.name.to_owned())
        .collect();
    // A parameter the search takes more than once is documented as a list, and only those.
    for p in parameters(&doc, op, "query") {
        let name = p["name"].as_str().unwrap();
        let repeatable =
            signpost_directory::params::param_named(name).is_some_and(|param| param.repeatable);
        assert_eq!(p["schema"]["type"] == "array", repeatable, "{name}");
    }
    assert_eq!(
        documented.difference(&accepted).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "documented but not accepted by the search"
    );
    assert_eq!(
        accepted.difference(&documented).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "accepted by the search but not documented"
    );
}

// ---------------------------------------------------------------------------------------
// CORS

const ORIGIN: (&str, &str) = ("origin", "https://council.example.org");

#[tokio::test]
async fn any_site_may_read_the_api_without_credentials() {
    let app = spawn_app().await;
    for path in [
        "/api/search?q=football",
        "/api/categories",
        "/api/openapi.json",
        "/api/activities/no-such-thing",
    ] {
        let r = app.request(Method::GET, path, &[ORIGIN]).await;
        let h = r.headers();
        assert_eq!(h["access-control-allow-origin"], "*", "{path}");
        assert!(
            !h.contains_key("access-control-allow-credentials"),
            "{path}"
        );
        assert!(
            !h.get_all("vary")
                .iter()
                .any(|v| v.to_str().unwrap().contains("origin")),
            "{path}: every origin gets the same answer"
        );
        assert!(
            h["access-control-expose-headers"]
                .to_str()
                .unwrap()
                .contains("etag"),
            "{path}: scripts need to read the ETag"
        );
    }
}

#[tokio::test]
async fn a_preflight_for_get_is_answered_for_the_apis_only() {
    let app = spawn_app().await;
    let preflight = [
        ORIGIN,
        ("access-control-request-method", "GET"),
        ("access-control-request-headers", "if-none-match"),
    ];
    for path in [
        "/api/search",
        "/api/activities/lotus-arts-bharatanatyam-school-bharatanatyam",
        "/oruk/services",
    ] {
        let r = app.request(Method::OPTIONS, path, &preflight).await;
        assert!(r.status().is_success(), "{path}: {}", r.status());
        let h = r.headers();
        assert_eq!(h["access-control-allow-origin"], "*", "{path}");
        let methods = h["access-control-allow-methods"].to_str().unwrap();
        assert!(
            methods.contains("GET") && methods.contains("HEAD"),
            "{methods}"
        );
        assert!(!methods.contains("POST"), "{methods}");
        assert!(
            h["access-control-allow-headers"]
                .to_str()
                .unwrap()
                .contains("if-none-match")
        );
        assert!(!h.contains_key("access-control-allow-credentials"));
    }
    // Pages and forms are not opened to other sites.
    for path in [
        "/",
        "/activities/lotus-arts-bharatanatyam-school-bharatanatyam",
        "/login",
    ] {
        let r = app.request(Method::OPTIONS, path, &preflight).await;
        assert!(
            !r.headers().contains_key("access-control-allow-origin"),
            "{path}"
        );
        let r = app.request(Method::GET, path, &[ORIGIN]).await;
        assert!(
            !r.headers().contains_key("access-control-allow-origin"),
            "{path}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// ETags

const LISTING: &str = "/api/activities/lotus-arts-bharatanatyam-school-bharatanatyam";

fn etag_of(r: &reqwest::Response) -> String {
    r.headers()
        .get("etag")
        .unwrap_or_else(|| panic!("{}: no ETag", r.url()))
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_same_answer_has_the_same_etag_and_is_not_sent_again() {
    let app = spawn_app().await;
    for path in [
        LISTING,
        "/api/search?near=HU5&category=sport",
        "/api/providers/lotus-arts-bharatanatyam-school",
        "/api/categories",
        "/api/openapi.json",
    ] {
        let first = app.get(path).await;
        let tag = etag_of(&first);
        assert!(tag.starts_with("W/\""), "{path}: {tag}");
        assert_eq!(first.headers()["cache-control"], "no-cache", "{path}");
        assert_eq!(etag_of(&app.get(path).await), tag, "{path}");

        let again = app
            .request(Method::GET, path, &[("if-none-match", &tag), ORIGIN])
            .await;
        assert_eq!(again.status(), 304, "{path}");
        assert_eq!(etag_of(&again), tag, "{path}");
        assert_eq!(again.headers()["cache-control"], "no-cache", "{path}");
        assert_eq!(
            again.headers()["access-control-allow-origin"],
            "*",
            "a cross-origin revalidation needs CORS too"
        );
        assert!(!again.headers().contains_key("content-type"), "{path}");
        assert!(!again.headers().contains_key("content-length"), "{path}");
        assert!(again.bytes().await.unwrap().is_empty(), "{path}");

        // A list of tags, or the strong form of ours, matches too; another tag does not.
        let list = format!("\"something-else\", {}", tag.trim_start_matches("W/"));
        let r = app
            .request(Method::GET, path, &[("if-none-match", &list)])
            .await;
        assert_eq!(r.status(), 304, "{path}");
        let r = app
            .request(Method::GET, path, &[("if-none-match", "W/\"0000\"")])
            .await;
        assert_eq!(r.status(), 200, "{path}");
    }
}

#[tokio::test]
async fn head_has_the_same_etag_as_get_and_no_body() {
    let app = spawn_app().await;
    let tag = etag_of(&app.get(LISTING).await);
    let head = app.request(Method::HEAD, LISTING, &[]).await;
    assert_eq!(head.status(), 200);
    assert_eq!(etag_of(&head), tag);
    assert!(head.bytes().await.unwrap().is_empty());
    let head = app
        .request(Method::HEAD, LISTING, &[("if-none-match", &tag)])
        .await;
    assert_eq!(head.status(), 304);
}

#[tokio::test]
async fn the_gzipped_and_plain_answers_share_a_weak_etag() {
    let app = spawn_app().await;
    let plain = app.get(LISTING).await;
    let tag = etag_of(&plain);
    let plain_len = plain.bytes().await.unwrap().len();
    let gzip = [("accept-encoding", "gzip")];
    let zipped = app.request(Method::GET, LISTING, &gzip).await;
    assert_eq!(zipped.headers()["content-encoding"], "gzip");
    assert!(
        zipped
            .headers()
            .get_all("vary")
            .iter()
            .any(|v| v.to_str().unwrap().contains("accept-encoding"))
    );
    // Different bytes, so the tag must be weak to be shared.
    assert_eq!(etag_of(&zipped), tag);
    assert!(tag.starts_with("W/"));
    assert_ne!(zipped.bytes().await.unwrap().len(), plain_len);
    let r = app
        .request(
            Method::GET,
            LISTING,
            &[("accept-encoding", "gzip"), ("if-none-match", &tag)],
        )
        .await;
    assert_eq!(r.status(), 304);
    assert!(!r.headers().contains_key("content-encoding"));
    assert!(
        r.headers()
            .get_all("vary")
            .iter()
            .any(|v| v.to_str().unwrap().contains("accept-encoding")),
        "a 304 names the same variants as its 200"
    );
}

#[tokio::test]
async fn a_changed_listing_changes_its_etags() {
    let app = spawn_app().await;
    let search = "/api/search?q=bharatanatyam";
    let before = etag_of(&app.get(LISTING).await);
    let search_before = etag_of(&app.get(search).await);

    let id = LISTING.rsplit('/').next().unwrap();
    let mut changed = app.seeded.directory.activity(id).unwrap().unwrap().activity;
    changed.title = format!("{} (now on Sundays too)", changed.title);
    app.seeded.directory.save_activity(changed).unwrap();

    let after = app
        .request(Method::GET, LISTING, &[("if-none-match", &before)])
        .await;
    assert_eq!(after.status(), 200, "an old tag no longer matches");
    assert_ne!(etag_of(&after), before);
    let body: Value = after.json().await.unwrap();
    assert!(
        body["title"]
            .as_str()
            .unwrap()
            .ends_with("(now on Sundays too)")
    );
    assert_ne!(etag_of(&app.get(search).await), search_before);
}

#[tokio::test]
async fn errors_and_pages_carry_no_etag() {
    let app = spawn_app().await;
    for (path, status) in [
        ("/api/activities/no-such-thing", 404),
        ("/api/search?age=-3", 400),
        ("/api/nothing-here", 404),
        ("/", 200),
        (
            "/activities/lotus-arts-bharatanatyam-school-bharatanatyam",
            200,
        ),
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status(), status, "{path}");
        assert!(!r.headers().contains_key("etag"), "{path}");
    }
    // Nor does a POST, which the API refuses.
    let r = app.request(Method::POST, "/api/search", &[]).await;
    assert_eq!(r.status(), 405);
    assert!(!r.headers().contains_key("etag"));
}

#[tokio::test]
async fn every_documented_operation_can_be_revalidated() {
    let app = spawn_app().await;
    let doc = app.document().await;
    for (path, _, op) in operations(&doc) {
        assert!(
            op["responses"].get("304").is_some(),
            "{path}: document the 304"
        );
        let url = address(&path, &parameters(&doc, &op, "path"), &[]);
        let tag = etag_of(&app.get(&url).await);
        let r = app
            .request(Method::GET, &url, &[("if-none-match", &tag)])
            .await;
        assert_eq!(r.status(), 304, "{url}");
    }
}

#[tokio::test]
async fn every_sample_listing_and_provider_matches_the_documented_schema() {
    // The examples show one of each; the sample directory has every shape the views can take
    // (one-off dates, unstated ages, online only, ended, expired checks, no contact details).
    let app = spawn_app().await;
    let doc = app.document().await;
    let seed: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seed-data/directory.json"),
        )
        .unwrap(),
    )
    .unwrap();
    for (kind, path) in [
        ("activities", "/api/activities/{id}"),
        ("providers", "/api/providers/{id}"),
    ] {
        let op = &doc["paths"][path]["get"];
        let schema = response_schema(&doc, op, "200").unwrap();
        let v = validator(&doc, schema);
        let items = seed[kind].as_array().unwrap();
        for item in items {
            let url = path.replace("{id}", item["id"].as_str().unwrap());
            let r = app.get(&url).await;
            assert_eq!(r.status(), 200, "{url}");
            let body: Value = r.json().await.unwrap();
            let errors: Vec<String> = v
                .iter_errors(&body)
                .map(|e| format!("{e} (at {})", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{url}: {errors:#?}");
        }
        assert!(items.len() > 100, "{kind}: {}", items.len());
    }
}
