//! Where a redirect may send someone: the one check for every target that comes from the
//! request (`next=` after signing in, `back=` after changing the shortlist).
//!
//! Browsers are generous with what they follow: they drop tabs and newlines from an address
//! and read `\` as `/`, so `/\t/evil.example` and `/\evil.example` both leave the site as
//! `//evil.example` does. A target is kept only when it is a path on this site made of
//! printable characters; anything else falls back to a page the caller chooses.

use axum::response::{IntoResponse, Redirect, Response};

/// The longest target kept; longer ones are not something our own pages make.
const MAX_LEN: usize = 2000;

/// `target` when it is a path on this site, else `None`.
pub(crate) fn local(target: &str) -> Option<&str> {
    let mut chars = target.chars();
    let first_two = (chars.next(), chars.next());
    let on_site = matches!(first_two, (Some('/'), None))
        || matches!(first_two, (Some('/'), Some(c)) if c != '/' && c != '\\');
    // Printable ASCII only: a header cannot carry anything else (a raw `é` would fail to
    // become a Location header), and our own addresses are percent-encoded.
    let plain = target.chars().all(|c| c.is_ascii_graphic() && c != '\\');
    (on_site && plain && target.len() <= MAX_LEN).then_some(target)
}

/// A 303 to `target` when it is [`local`], else to `fallback` (a fixed page of ours).
pub(crate) fn to_local(target: &str, fallback: &'static str) -> Response {
    Redirect::to(local(target).unwrap_or(fallback)).into_response()
}

#[cfg(test)]
mod tests {
    use super::local;

    #[test]
    fn paths_on_this_site_are_kept() {
        for ok in [
            "/",
            "/shortlist",
            "/?q=football&near=HU5",
            "/activities/a-b?list=x.y",
            "/search%2Fthing",
        ] {
            assert_eq!(local(ok), Some(ok), "{ok}");
        }
    }

    #[test]
    fn anything_a_browser_could_take_off_the_site_is_refused() {
        for bad in [
            "",
            "evil.example",
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "/\t/evil.example/",
            "/\n/evil.example/",
            "/\r/evil.example",
            "/ /evil.example",
            "/\u{0}x",
            "/a\\b",
            "/\u{a0}/evil.example",
            "/caf\u{e9}",
        ] {
            assert_eq!(local(bad), None, "{bad:?}");
        }
        assert_eq!(local(&format!("/{}", "a".repeat(3000))), None);
    }
}
