//! Who is asking: session cookies, anti-forgery tokens and the client's address.
//!
//! The session cookie holds a random token (the store keeps only its hash); it is HttpOnly,
//! SameSite=Lax, and Secure when the site's public address is https. Every state-changing
//! form carries a CSRF token: the session's own when signed in, and for the sign-in, password
//! and suggestion forms a random value also set as a cookie ("double submit"), which a
//! cross-site form cannot read or send.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use signpost_model::User;

use crate::chrome::error_page;
use crate::{AppState, WebError, off_thread};

pub const SESSION_COOKIE: &str = "signpost_session";
pub const FORM_COOKIE: &str = "signpost_form";

/// A signed-in person.
#[derive(Clone, Debug)]
pub struct Session {
    pub user: User,
    pub csrf: String,
    pub token: String,
}

impl Session {
    pub fn nav(&self) -> crate::chrome::Nav<'_> {
        crate::chrome::Nav {
            user: &self.user,
            csrf: &self.csrf,
        }
    }
}

/// A cookie's value from the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    cookie_text(headers, name)
        .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// A cookie's value as sent, unchecked: the caller reads it (the shortlist's ids).
pub fn cookie_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim_matches('"').to_owned())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, for the whole site; Secure over https.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text =
        format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}");
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The client's address, for throttling: the connection's, unless it comes from a trusted
/// reverse proxy, when it is the last address in `X-Forwarded-For` that is not itself one of
/// those proxies (each proxy appends the address it was reached from; anything to the left
/// of that could have been written by the client).
pub fn client_ip(parts: &Parts, trusted_proxies: &[IpAddr]) -> IpAddr {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| {
            c.0.ip().to_canonical()
        });
    if !trusted_proxies.contains(&peer) {
        return peer;
    }
    let forwarded: Vec<&str> = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    for hop in forwarded.iter().rev() {
        match hop.parse::<IpAddr>().map(|ip| ip.to_canonical()) {
            Ok(ip) if trusted_proxies.contains(&ip) => continue,
            Ok(ip) => return ip,
            // Something the proxy did not write: stop at the proxy's own peer.
            Err(_) => break,
        }
    }
    peer
}

/// The client's address as an extractor.
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(parts, &state.config.trusted_proxies)))
    }
}

async fn load(parts: &Parts, state: &AppState) -> Result<Option<Session>, WebError> {
    let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let accounts = state.accounts.clone();
    let t = token.clone();
    let found = off_thread(move || accounts.session(&t)).await?;
    Ok(found.map(|(user, csrf)| Session { user, csrf, token }))
}

/// A page that needs someone signed in: anyone else is sent to sign in first.
pub struct SignedIn(pub Session);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match load(parts, state).await {
            Ok(Some(s)) => Ok(SignedIn(s)),
            Ok(None) => {
                let path = parts
                    .extensions
                    .get::<OriginalUri>()
                    .map_or_else(|| parts.uri.path().to_owned(), |u| u.0.path().to_owned());
                let next = if parts.method == axum::http::Method::GET {
                    format!("?next={}", utf8_percent_encode(&path, NON_ALPHANUMERIC))
                } else {
                    String::new()
                };
                Err(Redirect::to(&format!("/login{next}")).into_response())
            }
            Err(e) => Err(error_page(state, e)),
        }
    }
}

/// Whoever is signed in, if anyone.
pub struct MaybeSignedIn(pub Option<Session>);

impl FromRequestParts<AppState> for MaybeSignedIn {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        load(parts, state)
            .await
            .map(MaybeSignedIn)
            .map_err(|e| error_page(state, e))
    }
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A form was not sent by one of our own pages.
pub fn forged(state: &AppState) -> Response {
    crate::chrome::respond(
        state,
        axum::http::StatusCode::FORBIDDEN,
        "Form expired",
        maud::html! {
            h1 { "This form has expired" }
            p { "For your safety we could not accept it. Go back, reload the page and send it again." }
        },
    )
}

/// Checks a signed-in form's CSRF token against the session's.
pub fn check_csrf(
    state: &AppState,
    session: &Session,
    form: &[(String, String)],
) -> Option<Response> {
    match field(form, "csrf") {
        Some(t) if signpost_accounts::same(t, &session.csrf) => None,
        _ => Some(forged(state)),
    }
}

/// Checks an anonymous form's token against its cookie: the refusal to send, if any.
pub fn check_form_cookie(
    state: &AppState,
    headers: &HeaderMap,
    form: &[(String, String)],
) -> Option<Response> {
    match (cookie(headers, FORM_COOKIE), field(form, "csrf")) {
        (Some(c), Some(t)) if signpost_accounts::same(&c, t) => None,
        _ => Some(forged(state)),
    }
}

/// The token for an anonymous form, and the cookie to set when the browser has none yet.
pub fn form_token(state: &AppState, headers: &HeaderMap) -> (String, Option<HeaderValue>) {
    match cookie(headers, FORM_COOKIE) {
        Some(t) if t.len() == 64 => (t, None),
        _ => {
            let t = signpost_accounts::random_token();
            let c = set_cookie(FORM_COOKIE, &t, 60 * 60 * 24, state.secure_cookies());
            (t, Some(c))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_read_by_name_and_odd_values_ignored() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; signpost_session=abc123; b=<x>"),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("abc123"));
        assert_eq!(cookie(&h, "b"), None);
        assert_eq!(cookie(&h, "missing"), None);
    }

    #[test]
    fn session_cookies_are_http_only_lax_and_secure_on_https() {
        let c = set_cookie(SESSION_COOKIE, "t", 60, true);
        let c = c.to_str().unwrap();
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Secure"));
        let c = set_cookie(SESSION_COOKIE, "t", 60, false);
        assert!(!c.to_str().unwrap().contains("Secure"));
    }
}
