//! HTTP for Signpost: the server-rendered pages (axum + maud) and the JSON API.
//!
//! This is the only crate that knows about HTTP. Handlers are thin: decode the request, make
//! one call into the directory on a blocking thread, turn the answer into a view, render it.

mod api;
mod error;
mod format;
mod pages;
mod views;

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::get;
use signpost_directory::Directory;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use error::WebError;

/// Settings for the web site.
#[derive(Clone, Debug, Default)]
pub struct SiteConfig {
    /// Where "report a problem" emails go. Without it they go to the group itself.
    pub contact_email: Option<String>,
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub directory: Arc<Directory>,
    pub config: Arc<SiteConfig>,
    /// Made-up sample data is loaded: every page says so.
    pub sample_data: bool,
}

/// Runs directory work on a blocking thread: it touches SQLite and the index.
pub(crate) async fn blocking<T, F>(state: &AppState, f: F) -> Result<T, WebError>
where
    T: Send + 'static,
    F: FnOnce(&Directory) -> Result<T, signpost_directory::DirectoryError> + Send + 'static,
{
    let dir = state.directory.clone();
    tokio::task::spawn_blocking(move || f(&dir))
        .await
        .map_err(|e| WebError::Internal(format!("worker failed: {e}")))?
        .map_err(WebError::from)
}

const STYLE: &str = include_str!("../../../web/style.css");

async fn style() -> impl axum::response::IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLE,
    )
}

/// The whole site. Reads one setting from the store, so call it at startup (it blocks briefly).
pub fn router(directory: Arc<Directory>, config: SiteConfig) -> Router {
    let sample_data = directory.holds_sample_data().unwrap_or_else(|e| {
        tracing::warn!(error = %e, "could not read whether sample data is loaded");
        false
    });
    let state = AppState {
        directory,
        config: Arc::new(config),
        sample_data,
    };
    Router::new()
        .route("/", get(pages::search))
        .route("/activities/{id}", get(pages::activity))
        .route("/providers/{id}", get(pages::provider))
        .route("/api/search", get(api::search))
        .route("/api/activities/{id}", get(api::activity))
        .route("/api/providers/{id}", get(api::provider))
        .route("/api/categories", get(api::categories))
        .route("/api", get(api::not_found))
        .route("/api/", get(api::not_found))
        .route("/api/{*rest}", get(api::not_found))
        .route("/static/style.css", get(style))
        .route("/healthz", get(|| async { "ok" }))
        .fallback(pages::not_found)
        .with_state(state)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
            ),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}

/// Serves until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    directory: Arc<Directory>,
    config: SiteConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(directory, config))
        .with_graceful_shutdown(shutdown)
        .await
}
