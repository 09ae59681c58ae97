//! Signing in and out, and choosing a password from a one-time link.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use signpost_accounts::{AccountError, MIN_PASSWORD_CHARS};
use signpost_model::{Role, TokenPurpose};

use crate::chrome::error_page;
use crate::session::{
    ClientIp, MaybeSignedIn, SESSION_COOKIE, SignedIn, check_csrf, check_form_cookie, form_token,
    set_cookie,
};
use crate::signed_in::{field, page, problems};
use crate::{AppState, WebError, off_thread};

type Pairs = Vec<(String, String)>;

fn home_of(role: Role) -> &'static str {
    match role {
        Role::Provider => "/provider",
        Role::Checker => "/check",
        Role::Admin => "/admin",
    }
}

fn login_page(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    email: &str,
    next: &str,
    note: Option<&str>,
    errors: &[String],
) -> Response {
    let (token, set) = form_token(state, headers);
    let body = html! {
        h1 { "Sign in" }
        p { "For providers keeping their listings up to date, and for checkers and administrators." }
        @if let Some(note) = note { p.notice role="status" { (note) } }
        (problems(errors))
        form.stack method="post" action="/login" {
            input type="hidden" name="csrf" value=(token);
            input type="hidden" name="next" value=(next);
            label for="email" { "Email address" }
            input #email type="email" name="email" value=(email) autocomplete="username" required;
            label for="password" { "Password" }
            input #password type="password" name="password" autocomplete="current-password" required;
            button type="submit" { "Sign in" }
        }
        p { "Forgotten your password, or not set one up yet? Ask your Signpost administrator for a new link." }
    };
    let mut resp = page(state, None, status, "Sign in", body);
    if let Some(c) = set {
        resp.headers_mut().append(header::SET_COOKIE, c);
    }
    resp
}

pub async fn login_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeSignedIn(session): MaybeSignedIn,
    Query(q): Query<Pairs>,
) -> Response {
    if let Some(s) = session {
        return Redirect::to(home_of(s.user.role)).into_response();
    }
    let next = crate::redirect::local(field(&q, "next")).unwrap_or("");
    let note =
        (field(&q, "done") == "password").then_some("Your password is set. Sign in with it now.");
    login_page(&state, &headers, StatusCode::OK, "", next, note, &[])
}

pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Form(form): Form<Pairs>,
) -> Response {
    if let Some(r) = check_form_cookie(&state, &headers, &form) {
        return r;
    }
    let email = field(&form, "email").to_owned();
    let password = field(&form, "password").to_owned();
    let next = crate::redirect::local(field(&form, "next"))
        .unwrap_or("")
        .to_owned();
    let accounts = state.accounts.clone();
    let e = email.clone();
    let result = tokio::task::spawn_blocking(move || accounts.login(&e, &password, ip)).await;
    match result {
        Ok(Ok((user, session))) => {
            let to = if next.is_empty() {
                home_of(user.role).to_owned()
            } else {
                next
            };
            let max_age = (session.expires_at - state.directory.now())
                .num_seconds()
                .max(0);
            let mut resp = crate::redirect::to_local(&to, "/");
            resp.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(
                    SESSION_COOKIE,
                    &session.token,
                    max_age,
                    state.secure_cookies(),
                ),
            );
            resp
        }
        Ok(Err(e @ AccountError::BadLogin)) => login_page(
            &state,
            &headers,
            StatusCode::UNAUTHORIZED,
            &email,
            &next,
            None,
            &[e.to_string()],
        ),
        Ok(Err(e @ AccountError::Throttled { .. })) => login_page(
            &state,
            &headers,
            StatusCode::TOO_MANY_REQUESTS,
            &email,
            &next,
            None,
            &[e.to_string()],
        ),
        Ok(Err(e)) => error_page(&state, e.into()),
        Err(e) => error_page(&state, WebError::Internal(e.to_string())),
    }
}

pub async fn logout(
    State(state): State<AppState>,
    SignedIn(session): SignedIn,
    Form(form): Form<Pairs>,
) -> Response {
    if let Some(r) = check_csrf(&state, &session, &form) {
        return r;
    }
    let accounts = state.accounts.clone();
    let token = session.token.clone();
    if let Err(e) = off_thread(move || accounts.logout(&token)).await {
        return error_page(&state, e);
    }
    let mut resp = Redirect::to("/").into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "gone", 0, state.secure_cookies()),
    );
    resp
}

fn password_page(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    token: &str,
    email: &str,
    purpose: TokenPurpose,
    errors: &[String],
) -> Response {
    let (csrf, set) = form_token(state, headers);
    let title = match purpose {
        TokenPurpose::Invite => "Welcome to Signpost: choose a password",
        TokenPurpose::Reset => "Choose a new password",
    };
    let body = html! {
        h1 { (title) }
        p { "For " strong { (email) } "." }
        (problems(errors))
        form.stack method="post" action="/account/password" {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="token" value=(token);
            input type="text" name="username" value=(email) autocomplete="username" hidden;
            label for="password" { "New password" }
            p.hint #password-hint { "At least " (MIN_PASSWORD_CHARS) " characters. Three or four unrelated words are easy to remember and hard to guess." }
            input #password type="password" name="password" autocomplete="new-password" aria-describedby="password-hint" required minlength=(MIN_PASSWORD_CHARS);
            label for="confirm" { "The same password again" }
            input #confirm type="password" name="confirm" autocomplete="new-password" required;
            button type="submit" { "Save password" }
        }
    };
    let mut resp = page(state, None, status, title, body);
    if let Some(c) = set {
        resp.headers_mut().append(header::SET_COOKIE, c);
    }
    resp
}

fn link_gone(state: &AppState) -> Response {
    page(
        state,
        None,
        StatusCode::GONE,
        "Link expired",
        html! {
            h1 { "This link has expired or has already been used" }
            p { "Links to set a password work once, for a limited time. Ask your Signpost administrator for a new one." }
        },
    )
}

pub async fn password_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<Pairs>,
) -> Response {
    let token = field(&q, "token").to_owned();
    let accounts = state.accounts.clone();
    let t = token.clone();
    match off_thread(move || accounts.link_user(&t)).await {
        Ok(Some((user, purpose))) => password_page(
            &state,
            &headers,
            StatusCode::OK,
            &token,
            &user.email,
            purpose,
            &[],
        ),
        Ok(None) => link_gone(&state),
        Err(e) => error_page(&state, e),
    }
}

pub async fn set_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<Pairs>,
) -> Response {
    if let Some(r) = check_form_cookie(&state, &headers, &form) {
        return r;
    }
    let token = field(&form, "token").to_owned();
    let password = field(&form, "password").to_owned();
    let accounts = state.accounts.clone();
    let t = token.clone();
    let found = match off_thread(move || accounts.link_user(&t)).await {
        Ok(Some(found)) => found,
        Ok(None) => return link_gone(&state),
        Err(e) => return error_page(&state, e),
    };
    let (user, purpose) = found;
    let again = |errors: &[String]| {
        password_page(
            &state,
            &headers,
            StatusCode::BAD_REQUEST,
            &token,
            &user.email,
            purpose,
            errors,
        )
    };
    if password != field(&form, "confirm") {
        return again(&["the two passwords are not the same".to_owned()]);
    }
    let accounts = state.accounts.clone();
    let t = token.clone();
    let result = tokio::task::spawn_blocking(move || accounts.set_password(&t, &password)).await;
    match result {
        Ok(Ok(_)) => Redirect::to("/login?done=password").into_response(),
        Ok(Err(AccountError::Password(p))) => again(&[p]),
        Ok(Err(AccountError::LinkInvalid)) => link_gone(&state),
        Ok(Err(e)) => error_page(&state, e.into()),
        Err(e) => error_page(&state, WebError::Internal(e.to_string())),
    }
}
