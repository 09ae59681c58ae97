//! The Open Referral UK 3.0 API under `/oruk/`: read-only services, service-at-locations and
//! Signpost's taxonomies in ORUK's shapes (written by `signpost-openreferral`), for council
//! and social-prescribing directories that take ORUK feeds.
//!
//! Only what the public site shows is published: every list goes through the directory's
//! search, which leaves out withdrawn and ended listings. ORUK's query parameters map onto
//! Signpost's search where it has the filter (`search`/`text`, `taxonomy_term_id`, `day`,
//! `postcode`+`proximity`); the directory judges the rest (`minimum_age`, `maximum_age`,
//! `start_time`, `end_time`, `organization_id`, `modified_after`) as ORUK defines them
//! (`signpost_directory::services`). This module reads ORUK's parameters and writes its
//! answers. Errors are the JSON API's: `{"error": {"code", "parameter", "message"}}`.

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde_json::{Value, json};
use signpost_directory::Sort;
use signpost_directory::params::{self, MAX_RADIUS_KM, MAX_TEXT_CHARS, clip, parse_number};
use signpost_directory::{
    ActivityPage, Directory, DirectoryError, ParamError, SearchParams, ServiceFilters, Standing,
    Where,
};
use signpost_model::{Id, MAX_AGE_YEARS, Postcode, owned_uuid, parse_ical_weekday, public_uuid};
use signpost_openreferral::{self as oruk, At};

use crate::api_doc::{self, query};
use crate::{AppState, WebError, blocking};

const SERVICE_PARAMS: &[&str] = &[
    "search",
    "text",
    "page",
    "per_page",
    "taxonomy_term_id",
    "taxonomy_id",
    "minimum_age",
    "maximum_age",
    "day",
    "start_time",
    "end_time",
    "postcode",
    "proximity",
    "organization_id",
    "modified_after",
    "full",
];
const PAGE_PARAMS: &[&str] = &["page", "per_page"];
const TERM_PARAMS: &[&str] = &["page", "per_page", "taxonomy_id"];

fn bad(param: &str, message: impl Into<String>) -> WebError {
    WebError::BadRequest(ParamError {
        param: param.to_owned(),
        message: message.into(),
    })
}

// ---------------------------------------------------------------------------------------------
// Reading the query

/// What a list request asks for, every value checked.
#[derive(Clone, Debug, Default)]
struct Ask {
    /// The search, with the ORUK page in `page`/`per_page`.
    search: SearchParams,
    /// ORUK's filters the index does not run (the directory judges them).
    filters: ServiceFilters,
    /// Whole services (or service-at-locations) rather than the list shape.
    full: bool,
}

fn pairs(raw: Option<&str>, known: &[&str]) -> Result<Vec<(String, String)>, WebError> {
    let pairs =
        signpost_directory::decode_query(raw.unwrap_or("")).map_err(WebError::BadRequest)?;
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for (k, v) in pairs {
        if !known.contains(&k.as_str()) {
            return Err(bad(
                &k,
                format!(
                    "unknown parameter; this list understands: {}",
                    known.join(", ")
                ),
            ));
        }
        let v = v.trim().to_owned();
        if v.is_empty() {
            continue;
        }
        if k != "taxonomy_term_id" {
            if seen.contains(&k) {
                return Err(bad(&k, "give this only once"));
            }
            seen.push(k.clone());
        }
        out.push((k, v));
    }
    Ok(out)
}

fn paging(pairs: &[(String, String)]) -> Result<(usize, usize), WebError> {
    let mut page = 1;
    let mut per_page = signpost_directory::params::DEFAULT_PER_PAGE;
    for (k, v) in pairs {
        match k.as_str() {
            "page" => page = params::parse_page(v)?,
            "per_page" => per_page = params::parse_per_page(v)?,
            _ => {}
        }
    }
    Ok((page, per_page))
}

/// `HH:MM` or `HH:MM:SS`, with the `Z` ORUK asks for allowed (times are London wall-clock).
fn time(param: &str, v: &str) -> Result<NaiveTime, WebError> {
    let t = v.trim().trim_end_matches(['Z', 'z']);
    ["%H:%M:%S", "%H:%M"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(t, f).ok())
        .ok_or_else(|| bad(param, format!("'{}' is not a time like 18:30", clip(v))))
}

fn age(param: &str, v: &str) -> Result<f64, WebError> {
    let n: f64 = parse_number(param, v, "an age in years, like 11")?;
    if !(n.is_finite() && (0.0..=f64::from(MAX_AGE_YEARS)).contains(&n)) {
        return Err(bad(
            param,
            format!("give an age in years from 0 to {MAX_AGE_YEARS}"),
        ));
    }
    Ok(n)
}

fn taxonomy_id(v: &str) -> Result<String, WebError> {
    if !oruk::is_taxonomy(v) {
        return Err(bad(
            "taxonomy_id",
            format!(
                "'{}' is not a taxonomy here; give the id of one in /oruk/taxonomies, or {} or {}",
                clip(v),
                oruk::CATEGORY_TAXONOMY_ID,
                oruk::SIGNPOST_TAXONOMY_ID
            ),
        ));
    }
    Ok(v.to_owned())
}

/// Reads the query of `/oruk/services` and `/oruk/service_at_locations`.
fn parse_ask(raw: Option<&str>) -> Result<Ask, WebError> {
    let pairs = pairs(raw, SERVICE_PARAMS)?;
    let mut ask = Ask::default();
    (ask.search.page, ask.search.per_page) = paging(&pairs)?;
    let mut postcode = None;
    let mut proximity_m: Option<f64> = None;
    for (k, v) in &pairs {
        match k.as_str() {
            "search" | "text" => {
                if ask.search.filters.text.is_some() {
                    return Err(bad(k, "give only one of search and text"));
                }
                if v.chars().count() > MAX_TEXT_CHARS {
                    return Err(bad(
                        k,
                        format!("keep the search text under {MAX_TEXT_CHARS} characters"),
                    ));
                }
                ask.search.filters.text = Some(v.clone());
            }
            "taxonomy_term_id" => {
                let category = oruk::category_for_term(v).ok_or_else(|| {
                    bad(
                        "taxonomy_term_id",
                        format!(
                            "'{}' is not a category term; services are classified by the terms of the {} taxonomy: give a term's id from /oruk/taxonomy_terms, or its code, like signpost-category:sport",
                            clip(v),
                            oruk::CATEGORY_TAXONOMY_ID
                        ),
                    )
                })?;
                if !ask.search.filters.categories.contains(&category) {
                    ask.search.filters.categories.push(category);
                }
            }
            // Every service has terms in both taxonomies: a known one filters nothing out.
            "taxonomy_id" => {
                taxonomy_id(v)?;
            }
            "minimum_age" => ask.filters.min_age = Some(age(k, v)?),
            "maximum_age" => ask.filters.max_age = Some(age(k, v)?),
            "day" => {
                ask.search.filters.day = Some(parse_ical_weekday(v).ok_or_else(|| {
                    bad(
                        "day",
                        format!("'{}' is not a day, like MO or monday", clip(v)),
                    )
                })?);
            }
            "start_time" => ask.filters.start_time = Some(time(k, v)?),
            "end_time" => ask.filters.end_time = Some(time(k, v)?),
            "postcode" => {
                postcode = Some(Postcode::parse(v).map_err(|e| bad("postcode", e.to_string()))?);
            }
            "proximity" => {
                let m: f64 = parse_number("proximity", v, "a distance in metres")?;
                let most = MAX_RADIUS_KM * 1000.0;
                if !(m.is_finite() && (100.0..=most).contains(&m)) {
                    return Err(bad(
                        "proximity",
                        format!("choose a distance from 100 to {most} metres"),
                    ));
                }
                proximity_m = Some(m);
            }
            "organization_id" => ask.filters.organization = Some(v.clone()),
            "modified_after" => {
                let t = DateTime::parse_from_rfc3339(v)
                    .map(|t| t.with_timezone(&Utc))
                    .ok()
                    .or_else(|| {
                        v.parse::<NaiveDate>()
                            .ok()
                            .and_then(|d| d.and_hms_opt(0, 0, 0))
                            .map(|t| t.and_utc())
                    })
                    .ok_or_else(|| {
                        bad(
                            "modified_after",
                            format!("'{}' is not a date-time like 2026-11-01T09:00:00Z", clip(v)),
                        )
                    })?;
                ask.filters.modified_after = Some(t);
            }
            "full" => ask.full = params::parse_bool("full", v)?,
            _ => {}
        }
    }
    match (postcode, proximity_m) {
        (Some(pc), m) => {
            ask.search.place = Some(Where::Postcode(pc));
            ask.search.radius_km = m.map(|m| m / 1000.0);
            ask.search.sort = Sort::Distance;
        }
        (None, Some(_)) => {
            return Err(bad(
                "proximity",
                "give a postcode to measure the distance from",
            ));
        }
        (None, None) => {}
    }
    Ok(ask)
}

// ---------------------------------------------------------------------------------------------
// Lists

fn slice<T>(all: Vec<T>, page: usize, per_page: usize) -> Vec<T> {
    all.into_iter()
        .skip((page - 1).saturating_mul(per_page))
        .take(per_page)
        .collect()
}

fn list_services(d: &Directory, ask: &Ask) -> Result<Value, DirectoryError> {
    let today = d.today();
    let found = d.services(&ask.search, &ask.filters)?;
    let contents = found
        .items
        .iter()
        .map(|s| {
            if ask.full {
                oruk::service(&s.activity, &s.provider, today)
            } else {
                oruk::service_summary(&s.activity, &s.provider)
            }
        })
        .collect();
    Ok(oruk::page(
        contents,
        found.total,
        ask.search.page,
        ask.search.per_page,
    ))
}

fn list_service_at_locations(d: &Directory, ask: &Ask) -> Result<Value, DirectoryError> {
    let today = d.today();
    let found = d.service_places(&ask.search, &ask.filters)?;
    let contents = found
        .items
        .iter()
        .filter_map(|s| {
            if ask.full {
                oruk::service_at_location(&s.activity, &s.provider, s.at, today)
            } else {
                oruk::service_at_location_summary(&s.activity, &s.provider, s.at)
            }
        })
        .collect();
    Ok(oruk::page(
        contents,
        found.total,
        ask.search.page,
        ask.search.per_page,
    ))
}

/// ORUK publishes live listings only (see [`Standing`]).
fn published(page: &ActivityPage) -> bool {
    page.standing() == Standing::Live
}

// ---------------------------------------------------------------------------------------------
// Handlers

/// `/oruk/`: the ORUK version and profile this API follows.
pub async fn root(State(state): State<AppState>, headers: HeaderMap) -> Json<Value> {
    Json(oruk::api_info(&format!(
        "{}/oruk/openapi.json",
        state.site_base(&headers)
    )))
}

/// `/oruk/openapi.json`: the OpenAPI description of the `/oruk/` routes alone.
pub async fn openapi() -> Json<Value> {
    Json(json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Signpost: Open Referral UK 3.0",
            "version": "3.0",
            "description": "Signpost's activities for children and young people as Open Referral UK 3.0 (the UK profile of HSDS 3.0). Signpost's own facts are attributes under the 'signpost' taxonomy; see /oruk/taxonomies/signpost.",
        },
        "paths": openapi_paths(),
    }))
}

pub async fn services(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, WebError> {
    let ask = parse_ask(raw.as_deref())?;
    let page = blocking(&state, move |d| list_services(d, &ask)).await?;
    Ok(Json(page))
}

pub async fn service(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<Value>, WebError> {
    let Ok(Path(id)) = id else {
        return Err(WebError::NotFound);
    };
    let found = blocking(&state, move |d| {
        let today = d.today();
        // Its UUID, or its Signpost id (the address on the site).
        let page = match d.activity_by_uuid(&id)? {
            Some((page, None)) => Some(page),
            Some((_, Some(_))) => None,
            None => d.activity(&id)?,
        };
        Ok(page
            .filter(published)
            .map(|p| oruk::service(&p.activity, &p.provider, today)))
    })
    .await?;
    found.map(Json).ok_or(WebError::NotFound)
}

pub async fn service_at_locations(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, WebError> {
    let ask = parse_ask(raw.as_deref())?;
    let page = blocking(&state, move |d| list_service_at_locations(d, &ask)).await?;
    Ok(Json(page))
}

pub async fn service_at_location(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<Value>, WebError> {
    let Ok(Path(id)) = id else {
        return Err(WebError::NotFound);
    };
    let found = blocking(&state, move |d| {
        let today = d.today();
        // Its UUID, or its Signpost name (`{activity}--at-1`).
        let found = match d.activity_by_uuid(&id)? {
            Some((page, Some(at))) => Some((page, at)),
            Some((_, None)) => None,
            None => match At::parse(&id) {
                Some((activity, at)) => d.activity(activity.as_str())?.map(|p| (p, at)),
                None => None,
            },
        };
        Ok(found
            .filter(|(p, _)| published(p))
            .and_then(|(p, at)| oruk::service_at_location(&p.activity, &p.provider, at, today)))
    })
    .await?;
    found.map(Json).ok_or(WebError::NotFound)
}

pub async fn taxonomies(RawQuery(raw): RawQuery) -> Result<Json<Value>, WebError> {
    let pairs = pairs(raw.as_deref(), PAGE_PARAMS)?;
    let (page, per_page) = paging(&pairs)?;
    let all = oruk::taxonomies();
    let total = all.len();
    Ok(Json(oruk::page(
        slice(all, page, per_page),
        total,
        page,
        per_page,
    )))
}

pub async fn taxonomy(id: Result<Path<String>, PathRejection>) -> Result<Json<Value>, WebError> {
    id.ok()
        .and_then(|Path(id)| oruk::taxonomy(&id))
        .map(Json)
        .ok_or(WebError::NotFound)
}

pub async fn taxonomy_terms(RawQuery(raw): RawQuery) -> Result<Json<Value>, WebError> {
    let pairs = pairs(raw.as_deref(), TERM_PARAMS)?;
    let (page, per_page) = paging(&pairs)?;
    let taxonomy = pairs
        .iter()
        .find(|(k, _)| k == "taxonomy_id")
        .map(|(_, v)| taxonomy_id(v))
        .transpose()?;
    let all = oruk::taxonomy_terms(taxonomy.as_deref());
    let total = all.len();
    Ok(Json(oruk::page(
        slice(all, page, per_page),
        total,
        page,
        per_page,
    )))
}

pub async fn taxonomy_term(
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<Value>, WebError> {
    id.ok()
        .and_then(|Path(id)| oruk::taxonomy_term(&id))
        .map(Json)
        .ok_or(WebError::NotFound)
}

// ---------------------------------------------------------------------------------------------
// OpenAPI

/// An example listing in the bundled sample directory (`seed-data/`), which runs all year.
const EXAMPLE_SERVICE: &str = "humber-wanderers-junior-fc-pan-disability";

/// The `{id}` of one record: its UUID, with its Signpost name (`name`) as the other spelling.
fn path_id(what: &str, table: &str, name: &str, owner: &str) -> Value {
    api_doc::path_id(
        &format!("The {what}'s id (a UUID). Signpost's own name for it, {name}, is accepted too."),
        &owned_uuid(table, name, owner),
    )
}

fn paging_params() -> Vec<Value> {
    vec![
        query(
            "page",
            "Page number, from 1.",
            json!({"type": "integer", "minimum": 1, "maximum": params::MAX_PAGE, "default": 1}),
            json!(1),
        ),
        query(
            "per_page",
            "Results a page.",
            json!({"type": "integer", "minimum": 1, "maximum": params::MAX_PER_PAGE, "default": signpost_directory::params::DEFAULT_PER_PAGE}),
            json!(10),
        ),
    ]
}

fn search_params() -> Vec<Value> {
    let text = json!({"type": "string", "maxLength": MAX_TEXT_CHARS});
    let age = json!({"type": "number", "minimum": 0, "maximum": MAX_AGE_YEARS});
    let mut out = vec![
        query(
            "search",
            "Full text search (title, description, terms).",
            text.clone(),
            json!("football"),
        ),
        query(
            "text",
            "The ORUK 1.0 name for search.",
            text,
            json!("football"),
        ),
    ];
    out.extend(paging_params());
    out.extend([
        query("taxonomy_term_id", "Services with this category term: its id (a UUID), its code (signpost-category:sport) or the bare slug (sport). Repeat for any of several.", json!({"type": "string"}), json!(public_uuid("taxonomy_term", &oruk::category_term_id(signpost_model::Category::Sport)))),
        query("taxonomy_id", "Services with any term in this taxonomy: its id (a UUID), or signpost-categories or signpost (every service has both).", json!({"type": "string"}), json!(public_uuid("taxonomy", oruk::CATEGORY_TAXONOMY_ID))),
        query("minimum_age", "Services whose minimum age is at least this, in years. Services whose ages are not stated are left out.", age.clone(), json!(11)),
        query("maximum_age", "Services whose maximum age is at or below this, in years. Services whose ages are not stated are left out.", age, json!(16)),
        query("day", "Services with a session on this day in the next four weeks (term dates and exceptions honoured): MO to SU, or a day name.", json!({"type": "string"}), json!("SA")),
        query("start_time", "Services with a session still to come starting at or after this time (HH:MM, London time).", json!({"type": "string"}), json!("16:00")),
        query("end_time", "Services with a session still to come ending at or before this time (HH:MM, London time).", json!({"type": "string"}), json!("20:00")),
        query("postcode", "A UK postcode or district: services with a venue within proximity of it, nearest first.", json!({"type": "string"}), json!("HU5")),
        query("proximity", "Metres from the postcode's centre; needs postcode. Without it, 5 km or the area's own default.", json!({"type": "number", "minimum": 100, "maximum": MAX_RADIUS_KM * 1000.0}), json!(5000)),
        query("organization_id", "Services of this organisation: its id (a UUID), or its Signpost id.", json!({"type": "string"}), json!(public_uuid("organization", "humber-wanderers-junior-fc"))),
        query("modified_after", "Services changed on or after this date-time (RFC 3339) or date.", json!({"type": "string", "format": "date-time"}), json!("2026-01-01T00:00:00Z")),
        query("full", "true: whole records rather than the list shape.", json!({"type": "boolean", "default": false}), json!(true)),
    ]);
    out
}

fn record(description: &str, required: &[&str]) -> Value {
    json!({"type": "object", "description": description, "required": required, "additionalProperties": true})
}

fn service_schema(full: bool) -> Value {
    record(
        if full {
            "A fully nested ORUK 3.0 service (https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/compiled/service.json): organization, schedules, service_at_locations, cost_options, contacts, languages and attributes. Signpost's own facts are attributes under the 'signpost' taxonomy."
        } else {
            "A service's one-to-one fields and its organization's (ORUK 3.0 list shape)."
        },
        &["id", "name", "status"],
    )
}

fn sal_schema(full: bool) -> Value {
    record(
        if full {
            "A service at one location: the location in full and the whole service."
        } else {
            "A service at one location, list shape: the location's and the service's one-to-one fields."
        },
        &["id", "location", "service"],
    )
}

fn term_schema() -> Value {
    record(
        "A taxonomy term: {id, name, description, taxonomy, taxonomy_id, term}.",
        &["id", "name", "description"],
    )
}

fn taxonomy_schema() -> Value {
    record(
        "A taxonomy: {id, name, description, version}; one fetched by id lists its taxonomy_terms.",
        &["id", "name", "description"],
    )
}

fn page_schema(item: Value) -> Value {
    json!({
        "type": "object",
        "required": ["total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"],
        "properties": {
            "total_items": {"type": "integer"},
            "total_pages": {"type": "integer"},
            "page_number": {"type": "integer"},
            "size": {"type": "integer", "description": "Entries on this page."},
            "first_page": {"type": "boolean"},
            "last_page": {"type": "boolean"},
            "empty": {"type": "boolean"},
            "contents": {"type": "array", "items": item},
        },
    })
}

fn error_schema() -> Value {
    json!({
        "type": "object",
        "required": ["error"],
        "properties": {"error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "parameter": {"type": "string", "description": "The query parameter at fault."},
                "message": {"type": "string"},
            },
        }},
    })
}

fn json_response(description: &str, schema: Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

fn get(summary: &str, parameters: Vec<Value>, ok: Value, errors: &[(&str, &str)]) -> Value {
    let mut responses = serde_json::Map::new();
    responses.insert("200".into(), ok);
    for (code, description) in errors {
        responses.insert((*code).into(), json_response(description, error_schema()));
    }
    json!({"get": {"tags": ["Open Referral UK"], "summary": summary, "parameters": parameters, "responses": responses}})
}

/// The OpenAPI 3 `paths` of every `/oruk/` route, with response schemas. Served at
/// `/oruk/openapi.json` and merged into the site's whole OpenAPI description.
pub(crate) fn openapi_paths() -> Value {
    let bad_request = ("400", "A parameter cannot be used; the error names it.");
    let missing = (
        "404",
        "Nothing has this id (or it is withdrawn or has ended).",
    );
    let root = get(
        "The ORUK version and profile this API follows.",
        Vec::new(),
        json_response(
            "Version information.",
            json!({
                "type": "object",
                "properties": {
                    "version": {"type": "string"},
                    "profile": {"type": "string", "format": "uri"},
                    "openapi_url": {"type": "string", "format": "uri"},
                },
            }),
        ),
        &[],
    );
    json!({
        "/oruk": root.clone(),
        "/oruk/": root,
        "/oruk/openapi.json": get(
            "This description of the /oruk/ routes.",
            Vec::new(),
            json_response("An OpenAPI 3 document.", json!({"type": "object"})),
            &[],
        ),
        "/oruk/services": get(
            "Services that the public site shows (not withdrawn, not ended), paged.",
            search_params(),
            json_response("A page of services.", page_schema(service_schema(false))),
            &[bad_request],
        ),
        "/oruk/services/{id}": get(
            "One service, fully nested. Its Signpost id (as in /activities/{id}) is in its signpost:id attribute.",
            vec![path_id("service", "service", EXAMPLE_SERVICE, EXAMPLE_SERVICE)],
            json_response("The service.", service_schema(true)),
            &[missing],
        ),
        "/oruk/service_at_locations": get(
            "Services at each of their locations, paged; near a postcode, only venues within proximity, nearest first.",
            search_params(),
            json_response("A page of services at locations.", page_schema(sal_schema(false))),
            &[bad_request],
        ),
        "/oruk/service_at_locations/{id}": get(
            "One service at one location, fully nested.",
            vec![path_id("service at location", "service_at_location", &At::Venue(0).id(&Id::parse(EXAMPLE_SERVICE).expect("a valid id")), EXAMPLE_SERVICE)],
            json_response("The service at that location.", sal_schema(true)),
            &[missing],
        ),
        "/oruk/taxonomies": get(
            "Signpost's taxonomies: signpost-categories (what services are classified by) and signpost (the terms of Signpost's own attributes).",
            paging_params(),
            json_response("A page of taxonomies.", page_schema(taxonomy_schema())),
            &[bad_request],
        ),
        "/oruk/taxonomies/{id}": get(
            "One taxonomy with its terms.",
            vec![path_id("taxonomy", "taxonomy", oruk::CATEGORY_TAXONOMY_ID, oruk::CATEGORY_TAXONOMY_ID)],
            json_response("The taxonomy.", taxonomy_schema()),
            &[missing],
        ),
        "/oruk/taxonomy_terms": get(
            "Taxonomy terms, paged.",
            {
                let mut p = paging_params();
                p.push(query(
                    "taxonomy_id",
                    "Only the terms of this taxonomy: its id (a UUID), or signpost-categories or signpost.",
                    json!({"type": "string"}),
                    json!(public_uuid("taxonomy", oruk::SIGNPOST_TAXONOMY_ID)),
                ));
                p
            },
            json_response("A page of taxonomy terms.", page_schema(term_schema())),
            &[bad_request],
        ),
        "/oruk/taxonomy_terms/{id}": get(
            "One taxonomy term.",
            {
                let sport = oruk::category_term_id(signpost_model::Category::Sport);
                vec![path_id("taxonomy term", "taxonomy_term", &sport, &sport)]
            },
            json_response("The term.", term_schema()),
            &[missing],
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_has_an_openapi_path_with_a_200_schema() {
        let paths = openapi_paths();
        let paths = paths.as_object().unwrap();
        assert_eq!(paths.len(), 11);
        for (path, item) in paths {
            let ok = &item["get"]["responses"]["200"]["content"]["application/json"]["schema"];
            assert!(ok.is_object(), "{path}");
        }
        let services = &paths["/oruk/services"]["get"]["parameters"];
        assert!(
            services
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["name"] == "proximity")
        );
    }

    #[test]
    fn parameters_are_checked_against_their_names() {
        for (q, param) in [
            ("proximity=500", "proximity"),
            ("postcode=90210", "postcode"),
            ("postcode=HU5&proximity=10", "proximity"),
            ("taxonomy_term_id=quidditch", "taxonomy_term_id"),
            ("taxonomy_term_id=signpost:gender", "taxonomy_term_id"),
            ("taxonomy_id=lga", "taxonomy_id"),
            ("minimum_age=-1", "minimum_age"),
            ("day=someday", "day"),
            ("start_time=late", "start_time"),
            ("per_page=1000", "per_page"),
            ("page=0", "page"),
            ("modified_after=last+week", "modified_after"),
            ("search=a&text=b", "text"),
            ("colour=red", "colour"),
        ] {
            let Err(WebError::BadRequest(e)) = parse_ask(Some(q)) else {
                panic!("{q} should be refused");
            };
            assert_eq!(e.param, param, "{q}: {}", e.message);
        }
    }

    #[test]
    fn oruk_parameters_map_onto_the_search() {
        let ask = parse_ask(Some(
            "search=football&taxonomy_term_id=signpost-category:sport&taxonomy_term_id=music&day=SA&postcode=hu5&proximity=2500&page=2&per_page=5",
        ))
        .unwrap();
        let s = &ask.search;
        assert_eq!(s.filters.text.as_deref(), Some("football"));
        assert_eq!(s.filters.categories.len(), 2);
        assert_eq!(s.filters.day, Some(chrono::Weekday::Sat));
        assert_eq!(s.radius_km, Some(2.5));
        assert_eq!(s.sort, Sort::Distance);
        assert_eq!((s.page, s.per_page), (2, 5));
        assert_eq!(ask.filters, ServiceFilters::default());
        let ask = parse_ask(Some("minimum_age=11&organization_id=Humber-FC")).unwrap();
        assert_eq!(ask.filters.min_age, Some(11.0));
        assert_eq!(ask.filters.organization.as_deref(), Some("Humber-FC"));
    }
}
