//! The OpenAPI 3.1 document for the JSON APIs, served at `/api/openapi.json`.
//!
//! Written by hand with `serde_json`, beside the views it describes (`views.rs`), and kept true
//! by `tests/openapi.rs`: every routed API path is documented and every documented one routed,
//! every operation is called with the document's own examples and its answer validated against
//! the documented schema, and the documented search parameters are exactly the ones
//! `signpost_directory::params::PARAMS` accepts. Objects say `additionalProperties: false`, so a field
//! added to a view without being documented fails that test.
//!
//! Lists of allowed values come from the types that parse them (`Category::ALL`,
//! `JoinMethod::ALL`, ...), so a new category is documented without touching this file.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::IntoResponse;
use serde_json::{Map, Value, json};
use signpost_directory::AccessNeed;
use signpost_directory::params::{
    DEFAULT_PER_PAGE, DEFAULT_RADIUS_KM, MAX_PAGE, MAX_PER_PAGE, MAX_RADIUS_KM, MAX_TEXT_CHARS,
};
use signpost_model::{Category, Gender, JoinMethod, MAX_AGE_YEARS, Newcomer};

use crate::api_doc::{path_id, query};

/// Paths that other modules document themselves, merged into the document: the Open
/// Referral UK API (`oruk.rs`), whose schemas are inline. `tests/openapi.rs` checks its
/// `/oruk/...` routes like the rest.
fn other_paths() -> Value {
    crate::oruk::openapi_paths()
}

/// `GET /api/openapi.json`. Built once; the ETag layer lets clients revalidate it cheaply.
pub(crate) async fn document() -> impl IntoResponse {
    static TEXT: LazyLock<String> = LazyLock::new(|| build().to_string());
    ([(header::CONTENT_TYPE, "application/json")], TEXT.as_str())
}

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn or_null(schema: Value) -> Value {
    json!({ "anyOf": [schema, { "type": "null" }] })
}

fn nullable(ty: &str) -> Value {
    json!({ "type": [ty, "null"] })
}

fn date() -> Value {
    json!({ "type": "string", "format": "date" })
}

fn nullable_date() -> Value {
    json!({ "type": ["string", "null"], "format": "date" })
}

/// Session times are London wall-clock times, `HH:MM`.
fn clock_time() -> Value {
    json!({ "type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "examples": ["16:00"] })
}

fn enum_of<'a>(values: impl IntoIterator<Item = &'a str>) -> Value {
    json!({ "type": "string", "enum": values.into_iter().collect::<Vec<_>>() })
}

fn category_slug() -> Value {
    enum_of(Category::ALL.iter().map(|c| c.slug()))
}

fn weekday() -> Value {
    enum_of([
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ])
}

fn gender() -> Value {
    enum_of([Gender::Mixed, Gender::Girls, Gender::Boys].map(Gender::as_str))
}

fn join_method() -> Value {
    enum_of(JoinMethod::ALL.iter().map(|j| j.as_str()))
}

fn newcomer() -> Value {
    enum_of(Newcomer::ALL.iter().map(|n| n.as_str()))
}

fn safeguarding_status() -> Value {
    enum_of(["not-checked", "self-declared", "verified", "expired"])
}

/// An object with exactly these properties, of which `optional` may be left out.
fn object(properties: Value, optional: &[&str]) -> Value {
    let required: Vec<&String> = properties
        .as_object()
        .expect("properties are an object")
        .keys()
        .filter(|k| !optional.contains(&k.as_str()))
        .collect();
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": required,
        "properties": properties,
    })
}

fn provider_properties() -> Map<String, Value> {
    let properties = json!({
        "id": { "type": "string" },
        "name": { "type": "string" },
        "description": { "type": "string" },
        "website": nullable("string"),
        "email": nullable("string"),
        "phone": nullable("string"),
        "charity_number": nullable("string"),
        "company_number": nullable("string"),
        "safeguarding": schema_ref("Safeguarding"),
    });
    match properties {
        Value::Object(map) => map,
        _ => unreachable!("json! object"),
    }
}

fn schemas() -> Value {
    let mut provider_page = provider_properties();
    provider_page.insert(
        "activities".into(),
        json!({ "type": "array", "items": schema_ref("ProviderActivity") }),
    );
    let mut s = Map::new();
    s.insert("Error".into(), object(json!({
            "error": object(json!({
                "code": {
                    "type": "string",
                    "enum": ["invalid_parameter", "not_found", "internal"],
                    "description": "`invalid_parameter` (400), `not_found` (404) or `internal` (500).",
                },
                "parameter": {
                    "type": "string",
                    "description": "The query parameter at fault, with `invalid_parameter`.",
                },
                "message": {
                    "type": "string",
                    "description": "What went wrong, in words a person can act on.",
                },
            }), &["parameter"]),
        }), &[]));
    s.insert(
        "ProviderRef".into(),
        object(
            json!({
                "id": { "type": "string" },
                "name": { "type": "string" },
            }),
            &[],
        ),
    );
    s.insert(
        "Session".into(),
        object(
            json!({
                "date": date(),
                "day": weekday(),
                "start": clock_time(),
                "end": clock_time(),
            }),
            &[],
        ),
    );
    s.insert(
        "Venue".into(),
        object(
            json!({
                "name": { "type": "string" },
                "address": { "type": "string", "description": "Left out when not known." },
                "postcode": nullable("string"),
                "lat": { "type": "number", "minimum": -90, "maximum": 90 },
                "lon": { "type": "number", "minimum": -180, "maximum": 180 },
                "map_url": { "type": "string", "format": "uri" },
            }),
            &["address"],
        ),
    );
    s.insert("SearchResult".into(), object(json!({
            "id": { "type": "string" },
            "url": { "type": "string", "description": "The listing's page on this site." },
            "title": { "type": "string" },
            "summary": { "type": "string", "description": "The description's first 200 characters or so." },
            "provider": schema_ref("ProviderRef"),
            "categories": { "type": "array", "items": category_slug() },
            "age_min": { "type": ["integer", "null"], "minimum": 0, "description": "Null when the listing's source did not state ages." },
            "age_max": { "type": ["integer", "null"], "minimum": 0 },
            "ages": { "type": "string", "description": "The ages in words, e.g. `11-16`." },
            "gender": gender(),
            "free": { "type": "boolean" },
            "price": { "type": ["number", "null"], "minimum": 0, "description": "Pounds a session; null when free or not known." },
            "distance_km": { "type": ["number", "null"], "minimum": 0, "description": "From the place searched near; null without one." },
            "next_session": or_null(schema_ref("Session")),
            "safeguarding": safeguarding_status(),
            "online": { "type": "boolean" },
            "venues": { "type": "array", "items": schema_ref("Venue") },
            "last_confirmed": nullable_date(),
            "may_be_out_of_date": { "type": "boolean", "description": "Not confirmed as running for a long time." },
        }), &[]));
    s.insert("Location".into(), object(json!({
            "label": { "type": "string" },
            "lat": { "type": "number" },
            "lon": { "type": "number" },
            "radius_km": { "type": "number", "exclusiveMinimum": 0 },
            "exact": { "type": "boolean", "description": "False when a full postcode was not known and its district was used." },
        }), &[]));
    s.insert("SearchResults".into(), object(json!({
            "total": { "type": "integer", "minimum": 0 },
            "page": { "type": "integer", "minimum": 1 },
            "per_page": { "type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE },
            "results": { "type": "array", "items": schema_ref("SearchResult") },
            "facets": object(json!({
                "category": {
                    "type": "object",
                    "description": "How many results each category would have, ignoring the category filter itself.",
                    "propertyNames": category_slug(),
                    "additionalProperties": { "type": "integer", "minimum": 0 },
                },
            }), &[]),
            "location": or_null(schema_ref("Location")),
        }), &[]));
    s.insert("Check".into(), object(json!({
            "on_behalf_of": { "type": "string", "description": "The organisation the check was made for (never the checker's name)." },
            "checked_on": date(),
            "expires_on": date(),
            "evidence": { "type": "string" },
        }), &[]));
    s.insert(
        "Safeguarding".into(),
        object(
            json!({
                "status": safeguarding_status(),
                "written_policy": { "type": "boolean" },
                "policy_last_reviewed": nullable_date(),
                "designated_lead_role": nullable("string"),
                "enhanced_dbs": { "type": "boolean" },
                "insurance_expires": nullable_date(),
                "insurance_in_date": { "type": "boolean" },
                "first_aid": { "type": "boolean" },
                "check": or_null(schema_ref("Check")),
            }),
            &[],
        ),
    );
    s.insert(
        "Provider".into(),
        json!({
            "type": "object",
            "additionalProperties": false,
            "required": provider_properties().keys().collect::<Vec<_>>(),
            "properties": provider_properties(),
        }),
    );
    s.insert(
        "TimetableEntry".into(),
        json!({
            "oneOf": [
                object(json!({
                    "repeats": { "const": "weekly" },
                    "day": weekday(),
                    "start": clock_time(),
                    "end": clock_time(),
                    "term": enum_of(["all-year", "term-time", "school-holidays"]),
                    "valid_from": date(),
                    "valid_to": date(),
                }), &["valid_from", "valid_to"]),
                object(json!({
                    "repeats": { "const": "once" },
                    "day": weekday(),
                    "start": clock_time(),
                    "end": clock_time(),
                    "date": date(),
                }), &[]),
            ],
        }),
    );
    s.insert("Cost".into(), object(json!({
            "free": { "type": "boolean" },
            "price": { "type": ["number", "null"], "minimum": 0 },
            "concessions": nullable("string"),
            "bursary": { "type": "boolean", "description": "Funding or a bursary can cover the cost." },
        }), &[]));
    s.insert("Access".into(), object(json!({
            "wheelchair": { "type": "boolean" },
            "send_friendly": { "type": "boolean" },
            "quiet_sessions": { "type": "boolean" },
            "languages": { "type": "array", "items": { "type": "string" }, "description": "Besides English; left out when none." },
        }), &["languages"]));
    s.insert(
        "Contact".into(),
        object(
            json!({
                "name": { "type": "string" },
                "email": { "type": "string" },
                "phone": { "type": "string" },
                "url": { "type": "string" },
            }),
            &["name", "email", "phone", "url"],
        ),
    );
    s.insert("HowToJoin".into(), object(json!({
            "methods": { "type": "array", "items": join_method() },
            "contact": schema_ref("Contact"),
            "notes": { "type": "string" },
            "newcomers": {
                "type": "array",
                "items": newcomer(),
                "description": "Who a newcomer may come with the first time; left out when not said.",
            },
        }), &["notes", "newcomers"]));
    s.insert("Activity".into(), object(json!({
            "id": { "type": "string" },
            "url": { "type": "string" },
            "title": { "type": "string" },
            "description": { "type": "string" },
            "provider": schema_ref("Provider"),
            "categories": { "type": "array", "items": category_slug() },
            "age_min": { "type": ["integer", "null"], "minimum": 0 },
            "age_max": { "type": ["integer", "null"], "minimum": 0 },
            "age_min_months": { "type": ["integer", "null"], "minimum": 0 },
            "age_max_months": { "type": ["integer", "null"], "minimum": 0 },
            "ages": { "type": "string" },
            "gender": gender(),
            "free": { "type": "boolean" },
            "price": { "type": ["number", "null"], "minimum": 0 },
            "cost": schema_ref("Cost"),
            "sessions": { "type": "array", "items": schema_ref("TimetableEntry") },
            "exceptions": { "type": "array", "items": date(), "description": "Dates it does not run." },
            "next_session": or_null(schema_ref("Session")),
            "ended": { "type": "boolean" },
            "venues": { "type": "array", "items": schema_ref("Venue") },
            "online": { "type": "boolean" },
            "access": schema_ref("Access"),
            "join": schema_ref("HowToJoin"),
            "last_updated": { "type": "string", "format": "date-time" },
            "last_confirmed": nullable_date(),
            "may_be_out_of_date": { "type": "boolean" },
            "withdrawn": { "type": "boolean", "description": "Always false: a withdrawn listing is not found." },
        }), &[]));
    s.insert(
        "ProviderActivity".into(),
        object(
            json!({
                "id": { "type": "string" },
                "title": { "type": "string" },
                "url": { "type": "string" },
                "ended": { "type": "boolean" },
            }),
            &[],
        ),
    );
    s.insert(
        "ProviderPage".into(),
        json!({
            "type": "object",
            "additionalProperties": false,
            "required": provider_page.keys().collect::<Vec<_>>(),
            "properties": provider_page,
        }),
    );
    s.insert(
        "Categories".into(),
        object(
            json!({
                "categories": {
                    "type": "array",
                    "items": object(json!({
                        "slug": category_slug(),
                        "name": { "type": "string" },
                    }), &[]),
                },
            }),
            &[],
        ),
    );
    s.insert(
        "OpenApiDocument".into(),
        json!({
            "type": "object",
            "required": ["openapi", "info", "paths"],
            "properties": {
                "openapi": { "type": "string", "pattern": "^3\\.1\\." },
                "info": { "type": "object", "required": ["title", "version"] },
                "paths": { "type": "object" },
                "components": { "type": "object" },
            },
        }),
    );
    Value::Object(s)
}

/// A parameter that may be given more than once (`category=sport&category=music`).
fn repeatable(name: &str, description: &str, items: Value, example: &str) -> Value {
    let mut p = query(
        name,
        description,
        json!({ "type": "array", "items": items }),
        json!([example]),
    );
    p["style"] = json!("form");
    p["explode"] = json!(true);
    p
}

/// Every search parameter (`tests/openapi.rs` holds them to `signpost_directory::PARAMS`,
/// lists marking the repeatable ones). Each example alone
/// (with `lat` and `lon` together) finds something in the bundled sample directory.
fn search_parameters() -> Value {
    json!([
        query(
            "q",
            "Words to look for in titles, descriptions and providers' names.",
            json!({ "type": "string", "maxLength": MAX_TEXT_CHARS }),
            json!("football")
        ),
        query(
            "age",
            "The child's age in whole years.",
            json!({ "type": "integer", "minimum": 0, "maximum": MAX_AGE_YEARS }),
            json!(13)
        ),
        query(
            "postcode",
            "A full postcode or a postcode district, e.g. `HU5 3AB` or `HU5`.",
            json!({ "type": "string" }),
            json!("HU5")
        ),
        query(
            "place",
            "A town or area the directory knows.",
            json!({ "type": "string", "maxLength": 100 }),
            json!("Hull")
        ),
        query(
            "near",
            "A postcode or a place, whichever it is.",
            json!({ "type": "string", "maxLength": 100 }),
            json!("E15")
        ),
        query(
            "lat",
            "Latitude of the point to search near; give `lon` with it.",
            json!({ "type": "number", "minimum": -90, "maximum": 90 }),
            json!(53.7443)
        ),
        query(
            "lon",
            "Longitude of the point to search near; give `lat` with it.",
            json!({ "type": "number", "minimum": -180, "maximum": 180 }),
            json!(-0.3326)
        ),
        query(
            "radius_km",
            &format!(
                "How far from the place to look. Defaults to the place's own radius, else {DEFAULT_RADIUS_KM} km."
            ),
            json!({ "type": "number", "minimum": 0.1, "maximum": MAX_RADIUS_KM }),
            json!(3)
        ),
        query(
            "day",
            "A day of the week the activity runs on (short forms like `sat` are read too).",
            weekday(),
            json!("saturday")
        ),
        query(
            "when",
            "`weekend`, `after-school` (weekdays 15:00-18:00), `evening` (after 18:00), `holidays` (in the English school holiday under way or the next one; `half-term`, `christmas-holidays`, `easter-holidays` and `summer-holidays` the next of that name) or `now` (running at this moment, London time).",
            enum_of(signpost_directory::When::ALL.map(|w| w.as_str())),
            json!("weekend")
        ),
        query(
            "free",
            "Only free activities (`true`) or only paid ones (`false`).",
            json!({ "type": "boolean" }),
            json!(true)
        ),
        query(
            "max_price",
            "Most a session may cost, in pounds.",
            json!({ "type": "number", "minimum": 0, "maximum": 1000 }),
            json!(3)
        ),
        repeatable(
            "category",
            "Any of these categories.",
            category_slug(),
            "sport"
        ),
        query(
            "gender",
            "Who can join: `girls`, `boys` or `mixed` (a girls' search also finds mixed activities).",
            gender(),
            json!("girls")
        ),
        repeatable(
            "access",
            "Access needs the activity must meet (all of them).",
            enum_of(AccessNeed::ALL.iter().map(|a| a.as_str())),
            "wheelchair"
        ),
        query(
            "language",
            "A language spoken by the people who run it.",
            json!({ "type": "string", "maxLength": 40 }),
            json!("Polish")
        ),
        repeatable(
            "join",
            "Ways of joining, any of them.",
            join_method(),
            "drop-in"
        ),
        repeatable(
            "newcomers",
            "How a newcomer may come the first time, all of these: on their own (`alone`), with a `friend`, or with a `parent` or carer who stays.",
            newcomer(),
            "friend"
        ),
        query(
            "checked",
            "Only providers whose safeguarding a checker has verified and whose check is in date.",
            json!({ "type": "boolean" }),
            json!(true)
        ),
        query(
            "sort",
            "`relevance` (the default), `distance` (needs a place) or `confirmed` (most recently confirmed first).",
            enum_of(["relevance", "distance", "confirmed"]),
            json!("confirmed")
        ),
        query(
            "page",
            "Which page of results.",
            json!({ "type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1 }),
            json!(1)
        ),
        query(
            "per_page",
            "Results a page.",
            json!({ "type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE }),
            json!(20)
        ),
    ])
}

/// A 200 with the given schema.
fn ok(description: &str, schema: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": schema_ref(schema) } },
    })
}

fn response_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/responses/{name}") })
}

/// Every successful API answer carries an ETag, `Cache-Control` and CORS's
/// `Access-Control-Allow-Origin`, and can be revalidated (`cache.rs`), whichever module
/// answers it; so every operation, merged ones too, says so here.
fn document_caching(paths: &mut Map<String, Value>) {
    for item in paths.values_mut() {
        let Some(op) = item.get_mut("get").and_then(Value::as_object_mut) else {
            continue;
        };
        let parameters = op.entry("parameters").or_insert_with(|| json!([]));
        if let Some(list) = parameters.as_array_mut() {
            list.push(json!({ "$ref": "#/components/parameters/If-None-Match" }));
        }
        let responses = op.entry("responses").or_insert_with(|| json!({}));
        if let Some(ok) = responses.get_mut("200").and_then(Value::as_object_mut) {
            ok.insert(
                "headers".into(),
                json!({
                    "ETag": { "$ref": "#/components/headers/ETag" },
                    "Cache-Control": { "$ref": "#/components/headers/Cache-Control" },
                    "Access-Control-Allow-Origin": { "$ref": "#/components/headers/Access-Control-Allow-Origin" },
                }),
            );
        }
        responses["304"] = response_ref("NotModified");
    }
}

fn error_response(description: &str, example: Value) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": schema_ref("Error"), "example": example } },
    })
}

/// The whole document.
pub(crate) fn build() -> Value {
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Signpost",
            "version": env!("CARGO_PKG_VERSION"),
            "summary": "Community activities for children and young people.",
            "description": "Read-only JSON. Any site may call it from a browser (CORS, GET and HEAD, no credentials). Every answer carries a weak `ETag` and `Cache-Control: no-cache`: send the tag back in `If-None-Match` and an unchanged answer is `304 Not Modified` with no body. Errors are `{\"error\": {\"code\", \"parameter\"?, \"message\"}}`.",
            "license": { "name": "MIT", "identifier": "MIT" },
        },
        "paths": {
            "/api/search": { "get": {
                "operationId": "search",
                "summary": "Search current activities",
                "description": "Every parameter is optional; an unknown one is refused, so a typo is not silently ignored. Give at most one of `postcode`, `place`, `near` or `lat`+`lon`.",
                "parameters": search_parameters(),
                "responses": {
                    "200": ok("One page of results, with category counts and the place searched.", "SearchResults"),
                    "400": response_ref("BadParameter"),
                    "500": response_ref("Internal"),
                },
            }},
            "/api/activities/{id}": { "get": {
                "operationId": "activity",
                "summary": "One listing",
                "description": "The whole listing: timetable, venues, how to join, and its provider's safeguarding record.",
                "parameters": [
                    path_id("The listing's id.", "lotus-arts-bharatanatyam-school-bharatanatyam"),
                ],
                "responses": {
                    "200": ok("The listing.", "Activity"),
                    "404": response_ref("NotFound"),
                    "500": response_ref("Internal"),
                },
            }},
            "/api/providers/{id}": { "get": {
                "operationId": "provider",
                "summary": "One provider and its listings",
                "parameters": [
                    path_id("The provider's id.", "lotus-arts-bharatanatyam-school"),
                ],
                "responses": {
                    "200": ok("The provider, its safeguarding record and its listings.", "ProviderPage"),
                    "404": response_ref("NotFound"),
                    "500": response_ref("Internal"),
                },
            }},
            "/api/categories": { "get": {
                "operationId": "categories",
                "summary": "The category taxonomy",
                "description": "Slugs are stable: they are the values of the search's `category` parameter.",
                "responses": {
                    "200": ok("Every category, in display order.", "Categories"),
                },
            }},
            "/api/openapi.json": { "get": {
                "operationId": "openapi",
                "summary": "This document",
                "responses": {
                    "200": ok("The OpenAPI 3.1 document.", "OpenApiDocument"),
                },
            }},
        },
        "components": {
            "schemas": schemas(),
            "parameters": {
                "If-None-Match": {
                    "name": "If-None-Match",
                    "in": "header",
                    "required": false,
                    "description": "The `ETag` of the answer you have; if it still holds, the answer is `304 Not Modified`.",
                    "schema": { "type": "string" },
                },
            },
            "headers": {
                "ETag": {
                    "description": "A weak tag for this answer, the same whether or not it was gzipped.",
                    "schema": { "type": "string", "pattern": "^W/\"[0-9a-f]+\"$" },
                },
                "Cache-Control": {
                    "description": "`no-cache`: keep the answer, but revalidate it with `If-None-Match` before each use.",
                    "schema": { "type": "string" },
                },
                "Access-Control-Allow-Origin": {
                    "description": "`*`: any site may read the API.",
                    "schema": { "type": "string" },
                },
            },
            "responses": {
                "NotModified": {
                    "description": "The answer has not changed since the tag in `If-None-Match`; no body.",
                    "headers": {
                        "ETag": { "$ref": "#/components/headers/ETag" },
                        "Cache-Control": { "$ref": "#/components/headers/Cache-Control" },
                    },
                },
                "BadParameter": error_response(
                    "A parameter could not be used; `parameter` names it.",
                    json!({ "error": {
                        "code": "invalid_parameter",
                        "parameter": "age",
                        "message": "give an age in years from 0 to 120",
                    }}),
                ),
                "NotFound": error_response(
                    "Nothing has that id (or the listing was withdrawn).",
                    json!({ "error": { "code": "not_found", "message": "there is nothing at this address" }}),
                ),
                "Internal": error_response(
                    "Something went wrong on the server; the detail is logged, not sent.",
                    json!({ "error": {
                        "code": "internal",
                        "message": "something went wrong on our side; please try again",
                    }}),
                ),
            },
        },
    });
    if let (Some(paths), Value::Object(other)) = (doc["paths"].as_object_mut(), other_paths()) {
        paths.extend(other);
    }
    if let Some(paths) = doc["paths"].as_object_mut() {
        document_caching(paths);
    }
    doc
}
