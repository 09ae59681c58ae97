//! The static files compiled into the binary (the stylesheet and the optional map script),
//! served under names that carry a hash of their bytes: `/static/style.1a2b3c4d5e6f.css`.
//!
//! A fingerprinted name never changes meaning, so browsers may keep it for a year without
//! asking again (`immutable`); a new release has new bytes, so new names, and pages link the
//! new ones. A name with any other hash is "not found" rather than the current file, so a
//! stale page can never pin the wrong bytes under a long cache. The old unhashed
//! `/static/style.css` still answers, with a short cache, for pages cached before this.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// A year: as long as caches are asked to keep anything.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// For the unhashed stylesheet name, whose bytes change with each release.
const SHORT: &str = "public, max-age=3600";

/// One file, and the name it is served under.
pub(crate) struct Asset {
    /// `/static/style.1a2b3c4d5e6f.css`
    pub href: String,
    content_type: &'static str,
    bytes: &'static str,
}

impl Asset {
    fn new(stem: &str, ext: &str, content_type: &'static str, bytes: &'static str) -> Self {
        Asset {
            href: format!("/static/{stem}.{}.{ext}", fingerprint(bytes.as_bytes())),
            content_type,
            bytes,
        }
    }

    fn file_name(&self) -> &str {
        self.href.trim_start_matches("/static/")
    }

    fn response(&self, cache: &'static str) -> Response {
        (
            [
                (header::CONTENT_TYPE, self.content_type),
                (header::CACHE_CONTROL, cache),
            ],
            self.bytes,
        )
            .into_response()
    }
}

/// The first 12 hex digits (48 bits) of the BLAKE2b hash of `bytes`: plenty to tell one
/// release's file from another's.
pub(crate) fn fingerprint(bytes: &[u8]) -> String {
    let mut hex = crate::cache::blake2_hex(bytes);
    hex.truncate(12);
    hex
}

pub(crate) static STYLE: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        "style",
        "css",
        "text/css; charset=utf-8",
        include_str!("../../../web/style.css"),
    )
});

/// Only pages on a site with a tile server configured load it (see `map.rs`).
pub(crate) static MAP_SCRIPT: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        "map",
        "js",
        "text/javascript; charset=utf-8",
        include_str!("../../../web/map.js"),
    )
});

/// The answer to `GET /static/{file}`, if `file` is one of these assets (the router answers
/// any other with the not-found page).
pub fn find(file: &str) -> Option<Response> {
    if file == "style.css" {
        return Some(STYLE.response(SHORT));
    }
    [&*STYLE, &*MAP_SCRIPT]
        .into_iter()
        .find(|asset| file == asset.file_name())
        .map(|asset| asset.response(IMMUTABLE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_a_hash_of_the_bytes() {
        let a = Asset::new("style", "css", "text/css", "a { color: red }");
        let b = Asset::new("style", "css", "text/css", "a { color: blue }");
        assert_ne!(a.href, b.href);
        let hash = a
            .href
            .trim_start_matches("/static/style.")
            .trim_end_matches(".css");
        assert_eq!(hash.len(), 12, "{}", a.href);
        assert!(hash.bytes().all(|c| c.is_ascii_hexdigit()), "{}", a.href);
        assert_eq!(hash, fingerprint(b"a { color: red }"));
    }
}
