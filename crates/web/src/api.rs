//! The JSON API: `/api/search`, `/api/activities/{id}`, `/api/providers/{id}`,
//! `/api/categories`. Errors are `{"error": {"code", "parameter"?, "message"}}`.

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use signpost_directory::{SearchParams, Standing, decode_query};
use signpost_model::Category;

use crate::views::{ActivityView, ProviderPageView, SearchView};
use crate::{AppState, WebError, blocking};

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = match &self {
            WebError::BadRequest(p) => json!({"error": {
                "code": "invalid_parameter", "parameter": p.param, "message": p.message}}),
            WebError::NotFound => json!({"error": {
                "code": "not_found", "message": "there is nothing at this address"}}),
            WebError::Invalid(m) => json!({"error": {"code": "invalid", "message": m.join("; ")}}),
            WebError::Forbidden => {
                json!({"error": {"code": "forbidden", "message": "you may not do that"}})
            }
            WebError::Conflict(m) => json!({"error": {"code": "conflict", "message": m}}),
            WebError::TooMany(m) => json!({"error": {"code": "too_many", "message": m}}),
            WebError::Internal(_) => json!({"error": {
                "code": "internal", "message": "something went wrong on our side; please try again"}}),
        };
        (status, Json(body)).into_response()
    }
}

pub async fn search(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<SearchView>, WebError> {
    let pairs = decode_query(raw.as_deref().unwrap_or("")).map_err(WebError::BadRequest)?;
    let params = SearchParams::parse(&pairs).map_err(WebError::BadRequest)?;
    let outcome = blocking(&state, move |d| d.search(params)).await?;
    Ok(Json(SearchView::from(&outcome)))
}

pub async fn activity(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<ActivityView>, WebError> {
    let Ok(Path(id)) = id else {
        return Err(WebError::NotFound);
    };
    let (page, today) = blocking(&state, move |d| Ok((d.activity(&id)?, d.today()))).await?;
    let page = page
        .filter(|p| p.standing() != Standing::Withdrawn)
        .ok_or(WebError::NotFound)?;
    Ok(Json(ActivityView::new(&page, today)))
}

pub async fn provider(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<ProviderPageView>, WebError> {
    let Ok(Path(id)) = id else {
        return Err(WebError::NotFound);
    };
    let (page, today) = blocking(&state, move |d| Ok((d.provider(&id)?, d.today()))).await?;
    let page = page.ok_or(WebError::NotFound)?;
    Ok(Json(ProviderPageView::new(&page, today)))
}

pub async fn categories() -> Json<serde_json::Value> {
    let list: Vec<_> = Category::ALL
        .iter()
        .map(|c| json!({"slug": c.slug(), "name": c.name()}))
        .collect();
    Json(json!({ "categories": list }))
}

/// Any other address under `/api` answers in JSON too.
pub async fn not_found() -> WebError {
    WebError::NotFound
}
