//! HTTP for Signpost: the server-rendered pages (axum + maud) and the JSON API.
//!
//! This is the only crate that knows about HTTP. Handlers are thin: decode the request, make
//! one call into the directory on a blocking thread, turn the answer into a view, render it.

mod account;
mod admin;
mod api;
mod api_doc;
mod assets;
mod cache;
mod check;
mod chrome;
mod error;
mod format;
mod guide;
mod listen;
mod manage;
mod map;
mod openapi;
mod oruk;
mod pages;
mod redirect;
mod session;
mod shortlist;
mod signed_in;
mod suggest;
mod views;

use std::future::Future;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::{get, post};
use signpost_accounts::{Accounts, RateLimit};
use signpost_directory::Directory;
use signpost_editorial::Desk;
use tokio::net::TcpListener;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use error::WebError;
pub use listen::ConnectionLimits;
pub use map::MapTiles;

/// Settings for the web site.
#[derive(Clone, Debug, Default)]
pub struct SiteConfig {
    /// The directory team's address, shown to providers and checkers.
    pub contact_email: Option<String>,
    /// Where the site is reached from outside, e.g. `https://signpost.example.org`: used in
    /// invite links, and an https address makes cookies Secure.
    pub public_url: Option<String>,
    /// A tile server for the optional map on result and listing pages, e.g.
    /// `https://tile.example.org/{z}/{x}/{y}.png`. Without one there is no map, no script
    /// and no request to anyone else (see `map.rs`).
    pub map_tiles: Option<MapTiles>,
    /// Reverse proxies in front of the site (e.g. nginx on `127.0.0.1`). A request that
    /// comes from one of them is taken to be from the address it names in
    /// `X-Forwarded-For`; from anywhere else that header is ignored, so nobody can choose
    /// the address their sign-in attempts are counted against.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// How many connections, for how long (see `listen.rs`).
    pub limits: ConnectionLimits,
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub directory: Arc<Directory>,
    pub config: Arc<SiteConfig>,
    /// Made-up sample data is loaded: every page says so.
    pub sample_data: bool,
    pub desk: Arc<Desk>,
    pub accounts: Arc<Accounts>,
    /// Suggestions from the public, per address.
    pub suggestions: Arc<Mutex<RateLimit>>,
    /// Signs the time a suggestion form was shown (a fresh key each start).
    pub form_key: Arc<str>,
}

impl AppState {
    /// Cookies are marked Secure when the site is served over https.
    pub fn secure_cookies(&self) -> bool {
        self.config
            .public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }

    /// Where the site is reached from, for addresses that leave the page (a QR code, a short
    /// link, the ORUK API's OpenAPI address): the configured public address, else the host
    /// this request came to (when it is a plain host name).
    pub(crate) fn site_base(&self, headers: &axum::http::HeaderMap) -> String {
        if let Some(url) = &self.config.public_url {
            return url.trim_end_matches('/').to_owned();
        }
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| {
                !h.is_empty()
                    && h.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
            })
            .unwrap_or("127.0.0.1:8080");
        format!("http://{host}")
    }

    /// Where one-time links point.
    pub fn public_url(&self) -> String {
        self.config
            .public_url
            .clone()
            .unwrap_or_else(|| "http://127.0.0.1:8080".to_owned())
            .trim_end_matches('/')
            .to_owned()
    }
}

/// Runs blocking work (SQLite, password hashing, index commits, files) on a blocking
/// thread, never on an async worker.
pub(crate) async fn off_thread<T, E, F>(f: F) -> Result<T, WebError>
where
    T: Send + 'static,
    E: Into<WebError> + Send + 'static,
    F: FnOnce() -> Result<T, E> + Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| WebError::Internal(format!("worker failed: {e}")))?
        .map_err(Into::into)
}

/// How many directory calls (searches, mostly) run at once: eight a core. Under load the
/// rest wait their turn here instead of each taking a blocking thread of its own (64
/// connections had made 146 threads). Two a core let a few slow searches hold up the rest:
/// p99 at half load went from 14 to 100 ms at a million listings.
static DIRECTORY_CALLS: std::sync::LazyLock<Arc<tokio::sync::Semaphore>> =
    std::sync::LazyLock::new(|| {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Arc::new(tokio::sync::Semaphore::new(8 * cores))
    });

/// Runs directory work on a blocking thread: it touches SQLite and the index.
pub(crate) async fn blocking<T, F>(state: &AppState, f: F) -> Result<T, WebError>
where
    T: Send + 'static,
    F: FnOnce(&Directory) -> Result<T, signpost_directory::DirectoryError> + Send + 'static,
{
    let dir = state.directory.clone();
    let turn = DIRECTORY_CALLS
        .clone()
        .acquire_owned()
        .await
        .map_err(|e| WebError::Internal(format!("directory calls closed: {e}")))?;
    // The turn goes with the work: a client that hangs up drops this future, but the blocking
    // call runs to the end and keeps its place until then.
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
        f(&dir)
    })
    .await
    .map_err(|e| WebError::Internal(format!("worker failed: {e}")))?
    .map_err(WebError::from)
}

/// Signpost's CSV template for importing many listings at once (documented in the README).
async fn csv_template() -> impl axum::response::IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"signpost-template.csv\"",
            ),
        ],
        signpost_feeds::template::template_csv(),
    )
}

/// The whole site. Reads one setting from the store and prepares the accounts service, so
/// call it at startup (it blocks briefly).
pub fn router(directory: Arc<Directory>, config: SiteConfig) -> Router {
    let sample_data = directory.holds_sample_data().unwrap_or_else(|e| {
        tracing::warn!(error = %e, "could not read whether sample data is loaded");
        false
    });
    let evidence_dir = directory.data_dir().map_or_else(
        || std::env::temp_dir().join("signpost-evidence"),
        |d| d.join("evidence"),
    );
    let accounts = Accounts::new(directory.backend(), directory.clock());
    let policy = map::content_security_policy(config.map_tiles.as_ref());
    let policy =
        HeaderValue::from_str(&policy).expect("a checked tile address makes a valid header");
    let state = AppState {
        desk: Arc::new(Desk::new(directory.clone(), evidence_dir)),
        accounts: Arc::new(accounts),
        directory,
        config: Arc::new(config),
        sample_data,
        suggestions: Arc::new(Mutex::new(RateLimit::new(
            suggest::PER_ADDRESS_PER_HOUR,
            chrono::Duration::hours(1),
        ))),
        form_key: signpost_accounts::random_token().into(),
    };
    Router::new()
        .route("/", get(pages::search))
        .route("/guide", get(guide::form))
        .route("/guide/results", get(guide::results))
        .route("/activities/{id}", get(pages::activity))
        .route(
            "/activities/{id}/suggest",
            get(suggest::form).post(suggest::send),
        )
        .route("/providers/{id}", get(pages::provider))
        .route("/shortlist", get(shortlist::page))
        .route("/shortlist/add", get(shortlist::add))
        .route("/shortlist/remove", get(shortlist::remove))
        .route("/shortlist/clear", get(shortlist::clear))
        .route("/shortlist/handout", get(shortlist::handout))
        .route("/s/{refs}", get(shortlist::short))
        .route("/login", get(account::login_form).post(account::login))
        .route("/logout", post(account::logout))
        .route(
            "/account/password",
            get(account::password_form).post(account::set_password),
        )
        .route("/provider", get(manage::dashboard))
        .route(
            "/provider/listings/new",
            get(manage::new_form).post(manage::create),
        )
        .route(
            "/provider/listings/{id}/edit",
            get(manage::edit_form).post(manage::update),
        )
        .route("/provider/listings/{id}/confirm", post(manage::confirm))
        .route("/provider/listings/{id}/withdraw", post(manage::withdraw))
        .route(
            "/provider/safeguarding",
            get(manage::safeguarding_form).post(manage::declare),
        )
        .route(
            "/provider/evidence",
            post(manage::upload).layer(DefaultBodyLimit::max(
                signpost_editorial::MAX_EVIDENCE_BYTES + 64 * 1024,
            )),
        )
        .route("/provider/evidence/link", post(manage::add_link))
        .route("/provider/history", get(manage::own_history))
        .route("/history/{id}", get(manage::history))
        .route("/evidence/{id}", get(manage::evidence))
        .route("/check", get(check::queue))
        .route(
            "/check/changes/{id}",
            get(check::review).post(check::decide),
        )
        .route("/check/providers/{id}", get(check::provider))
        .route("/check/providers/{id}/verify", post(check::verify))
        .route("/check/providers/{id}/trust", post(check::trust))
        .route("/check/reports/{id}/close", post(check::close_report))
        .route("/check/claims/{id}/{answer}", post(check::decide_claim))
        .route("/admin", get(admin::home))
        .route("/admin/providers", post(admin::create_provider))
        .route("/admin/invite", post(admin::invite))
        .route("/admin/users/{id}", post(admin::update_user))
        .route("/admin/users/{id}/link", post(admin::new_link))
        .merge(json_api())
        .route("/api", get(api::not_found))
        .route("/api/", get(api::not_found))
        .route("/api/{*rest}", get(api::not_found))
        .route("/oruk/{*rest}", get(api::not_found))
        .route("/static/{file}", get(static_file))
        .route("/import/template.csv", get(csv_template))
        .route("/healthz", get(|| async { "ok" }))
        .fallback(chrome::not_found)
        .with_state(state)
        // CORS and ETags for the JSON APIs only; inside compression, so tags are taken before gzip.
        .layer(axum::middleware::from_fn(cache::read_only_api))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            policy,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        // Gzip's fastest level: a results page comes out about 9% larger than at the default
        // level (3.5 KB instead of 3.2 KB), for a third of the compressing, which was a tenth
        // of the server's work at saturation.
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .layer(TraceLayer::new_for_http())
}

/// `GET /static/{file}`: the stylesheet and script, else the not-found page.
async fn static_file(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    assets::find(&file).unwrap_or_else(|| chrome::error_page(&state, WebError::NotFound))
}

/// The read-only JSON API (`/api/` and Open Referral UK's `/oruk/`): every path and its
/// handler, in one table that the router and [`json_api_paths`] (which the OpenAPI test
/// compares with the document) both read. The JSON "not found" catch-alls are not in it.
fn json_api_routes() -> Vec<(&'static str, axum::routing::MethodRouter<AppState>)> {
    vec![
        ("/api/search", get(api::search)),
        ("/api/activities/{id}", get(api::activity)),
        ("/api/providers/{id}", get(api::provider)),
        ("/api/categories", get(api::categories)),
        ("/api/openapi.json", get(openapi::document)),
        ("/oruk", get(oruk::root)),
        ("/oruk/", get(oruk::root)),
        ("/oruk/openapi.json", get(oruk::openapi)),
        ("/oruk/services", get(oruk::services)),
        ("/oruk/services/{id}", get(oruk::service)),
        (
            "/oruk/service_at_locations",
            get(oruk::service_at_locations),
        ),
        (
            "/oruk/service_at_locations/{id}",
            get(oruk::service_at_location),
        ),
        ("/oruk/taxonomies", get(oruk::taxonomies)),
        ("/oruk/taxonomies/{id}", get(oruk::taxonomy)),
        ("/oruk/taxonomy_terms", get(oruk::taxonomy_terms)),
        ("/oruk/taxonomy_terms/{id}", get(oruk::taxonomy_term)),
    ]
}

fn json_api() -> Router<AppState> {
    json_api_routes()
        .into_iter()
        .fold(Router::new(), |r, (path, handler)| r.route(path, handler))
}

/// Every path the read-only JSON API answers (see [`json_api_routes`]).
pub fn json_api_paths() -> Vec<&'static str> {
    json_api_routes()
        .into_iter()
        .map(|(path, _)| path)
        .collect()
}

/// Serves until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    directory: Arc<Directory>,
    config: SiteConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limits = config.limits.clone();
    let trusted = config.trusted_proxies.clone();
    listen::run(
        listener,
        router(directory, config),
        limits,
        trusted,
        shutdown,
    )
    .await
}
