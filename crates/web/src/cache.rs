//! What the read-only JSON APIs (`/api/*`, `/oruk/*`) add for other sites and for caches:
//! CORS, so any web page may read them, and ETags, so a client that already has an answer is
//! told "304 Not Modified" instead of being sent it again.
//!
//! Applied to every route by one `Router::layer` in `lib.rs`, and acting only on those paths,
//! so an API route added later is covered without touching this file. Pages and forms get
//! neither: they carry cookies and CSRF tokens, and nothing outside should read them.

use std::convert::Infallible;
use std::sync::LazyLock;
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::handler::Handler;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::{Next, from_fn};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, any_service};
use blake2::digest::consts::U16;
use blake2::{Blake2b, Digest};
use tower_http::cors::{Any, CorsLayer};

/// The JSON APIs: read-only, public, the same for every caller.
fn is_read_only_api(path: &str) -> bool {
    ["/api", "/oruk"].iter().any(|prefix| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

/// Any origin may read the API with GET or HEAD. No credentials: the API answers everyone
/// alike, so a page elsewhere gains nothing by sending the visitor's cookies. `If-None-Match`
/// is allowed so scripts can revalidate themselves, and `ETag` is exposed so they can read it.
/// No `Vary: Origin`: with `*` every origin gets the same answer, so a cache needs one copy,
/// not one per site.
static CORS: LazyLock<CorsLayer> = LazyLock::new(|| {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::HEAD])
        .allow_headers([header::IF_NONE_MATCH])
        .expose_headers([header::ETAG])
        .max_age(Duration::from_secs(24 * 60 * 60))
        .vary(Vec::<HeaderName>::new())
});

/// Middleware for the whole router: CORS and ETags on the JSON APIs, nothing elsewhere.
///
/// axum cannot layer some paths only without moving their routes into a router of their own
/// (and other modules add routes to `lib.rs`), so this decides by path and runs the API's
/// layers around the rest of the stack itself: a `MethodRouter` wrapping `next`, called
/// through axum's `Handler` trait.
pub(crate) async fn read_only_api(req: Request, next: Next) -> Response {
    if !is_read_only_api(req.uri().path()) {
        return next.run(req).await;
    }
    // CORS outside the ETag check, so a 304 carries the CORS headers too (a cross-origin
    // revalidation needs them) and a preflight is answered before anything else runs.
    let api: MethodRouter = any_service(next)
        .layer::<_, Infallible>(from_fn(etag))
        .layer::<_, Infallible>(CORS.clone());
    Handler::call(api, req, ()).await
}

/// Every API answer may be stored, but must be revalidated before each use (`no-cache`): a
/// provider's change, and above all a withdrawn listing, shows at once, and a client whose
/// copy is current gets an empty 304. `public, max-age=60` would spare the server repeated
/// searches, but could show a withdrawn listing for a minute more; with `no-cache` the server
/// still answers every request, and an unchanged answer costs only an empty 304 on the wire.
const CACHE_CONTROL: &str = "no-cache";

/// The largest answer given a tag: bigger ones are not held in memory to be hashed.
const MAX_TAGGED_BYTES: u64 = 4 * 1024 * 1024;

/// Adds a weak ETag and `Cache-Control` to a successful JSON answer to GET or HEAD, and
/// answers `304 Not Modified` with no body when `If-None-Match` holds that tag. Errors and
/// other responses pass through untouched.
///
/// The tag is taken from the body before `CompressionLayer` (outside this) gzips it, so the
/// gzipped and plain bodies share it. A strong tag would claim they are the same bytes, which
/// they are not (RFC 9110 §8.8.1), so the tag is weak (`W/`); `If-None-Match` compares weakly
/// anyway, so revalidation works for both. tower-http's compression leaves `ETag` alone, so
/// marking it weak is up to us.
///
/// The hash is BLAKE2b-128, already used for tokens: a tag is only ever compared with an
/// earlier tag for the same address, so 128 bits make an accidental match out of the question,
/// and a provider cannot craft two listings with one tag to keep an old copy in caches.
pub(crate) async fn etag(mut req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    let wanted: Vec<String> = req
        .headers()
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_owned)
        .collect();
    // HEAD must carry the same tag as GET, so the handler answers GET; axum drops the body of
    // the answer to a HEAD request on the way out.
    *req.method_mut() = Method::GET;
    let response = next.run(req).await;
    // An answer of unknown or very large size is sent as it is, not held in memory to hash.
    let small = axum::body::HttpBody::size_hint(response.body())
        .upper()
        .is_some_and(|n| n <= MAX_TAGGED_BYTES);
    if response.status() != StatusCode::OK
        || response.headers().contains_key(header::ETAG)
        || !is_json(&response)
        || !small
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let limit = usize::try_from(MAX_TAGGED_BYTES).unwrap_or(usize::MAX);
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(b) => b,
        Err(e) => {
            return crate::WebError::Internal(format!("reading an API answer failed: {e}"))
                .into_response();
        }
    };
    let tag = weak_tag(&bytes);
    let headers = &mut parts.headers;
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(CACHE_CONTROL),
    );
    // Said here as well as by the compression layer, so that a 304 (which is never
    // compressed) names the same variants as the 200 it stands for.
    headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    let matches = wanted.iter().any(|w| if_none_match_holds(w, &tag));
    headers.insert(
        header::ETAG,
        HeaderValue::from_str(&tag).expect("a hex tag is a valid header"),
    );
    if matches {
        // A 304 repeats the validators and caching headers but sends no content, and so
        // no content type or length (RFC 9110 §15.4.5).
        headers.remove(header::CONTENT_TYPE);
        headers.remove(header::CONTENT_LENGTH);
        parts.status = StatusCode::NOT_MODIFIED;
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| {
            let mime = mime.trim();
            mime.eq_ignore_ascii_case("application/json") || mime.ends_with("+json")
        })
}

/// The 128-bit BLAKE2b hash of `bytes` in lower-case hex: ETags and asset fingerprints.
pub(crate) fn blake2_hex(bytes: &[u8]) -> String {
    Blake2b::<U16>::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn weak_tag(body: &[u8]) -> String {
    format!("W/\"{}\"", blake2_hex(body))
}

/// Whether one `If-None-Match` header value (`*`, or a comma-separated list of tags) holds
/// `tag`, compared weakly as RFC 9110 §13.1.2 asks: `W/"x"` and `"x"` are the same.
fn if_none_match_holds(header_value: &str, tag: &str) -> bool {
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    let ours = opaque(tag);
    header_value
        .split(',')
        .any(|t| t.trim() == "*" || opaque(t) == ours)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_json_apis_are_opened_to_other_sites() {
        for path in ["/api", "/api/", "/api/search", "/oruk/services/x", "/oruk"] {
            assert!(is_read_only_api(path), "{path}");
        }
        for path in [
            "/",
            "/apix",
            "/apis/search",
            "/activities/x",
            "/orukx",
            "/login",
        ] {
            assert!(!is_read_only_api(path), "{path}");
        }
    }

    #[test]
    fn if_none_match_compares_weakly_and_reads_lists() {
        let tag = weak_tag(b"{}");
        let opaque = tag.trim_start_matches("W/");
        assert!(if_none_match_holds(&tag, &tag));
        assert!(if_none_match_holds(opaque, &tag));
        assert!(if_none_match_holds(&format!("\"other\", {tag}"), &tag));
        assert!(if_none_match_holds("*", &tag));
        assert!(!if_none_match_holds("W/\"other\"", &tag));
        assert!(!if_none_match_holds("", &tag));
    }

    #[test]
    fn tags_differ_when_bodies_differ() {
        assert_eq!(weak_tag(b"{\"a\":1}"), weak_tag(b"{\"a\":1}"));
        assert_ne!(weak_tag(b"{\"a\":1}"), weak_tag(b"{\"a\":2}"));
        assert!(weak_tag(b"").starts_with("W/\""));
    }
}
