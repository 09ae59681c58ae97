//! The page chrome every HTML page shares: the layout (header, sample-data notice, footer),
//! answering with a page, and the error pages. Feature modules import it; it imports only
//! the stylesheet's address.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};

use crate::{AppState, WebError};

/// Who is signed in, for the page header.
pub(crate) struct Nav<'a> {
    pub user: &'a signpost_model::User,
    pub csrf: &'a str,
}

pub(crate) fn layout(sample: bool, title: &str, body: Markup) -> Markup {
    layout_with(sample, title, None, body)
}

pub(crate) fn layout_with(sample: bool, title: &str, nav: Option<Nav<'_>>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – Signpost" }
                link rel="stylesheet" href=(crate::assets::STYLE.href);
            }
            body {
                a.skip href="#main" { "Skip to main content" }
                header.site {
                    a.brand href="/" { "Signpost" }
                    span.tagline { "Things to do for children and young people near you" }
                    @if let Some(nav) = &nav {
                        nav.account aria-label="Your account" {
                            span { "Signed in as " (nav.user.name) " (" (nav.user.role.label()) ")" }
                            " "
                            @match nav.user.role {
                                signpost_model::Role::Provider => a href="/provider" { "Your listings" },
                                signpost_model::Role::Checker => a href="/check" { "Checker queue" },
                                signpost_model::Role::Admin => a href="/admin" { "Accounts" },
                            }
                            form.inline method="post" action="/logout" {
                                input type="hidden" name="csrf" value=(nav.csrf);
                                button type="submit" { "Sign out" }
                            }
                        }
                    }
                }
                @if sample {
                    aside.sample aria-label="Sample data" { strong { "Sample data. " } "Every group listed here is made up, to show how Signpost works. Please do not contact them." }
                }
                main #main { (body) }
                footer.site {
                    p { "Listings come from local groups. Always check the details with them before you go." }
                    p { a href="/api/search" { "Open data (JSON API)" } " · " a href="/login" { "Sign in for providers and checkers" } }
                }
            }
        }
    }
}

pub(crate) fn respond(state: &AppState, status: StatusCode, title: &str, body: Markup) -> Response {
    (status, layout(state.sample_data, title, body)).into_response()
}

pub(crate) fn error_page(state: &AppState, e: WebError) -> Response {
    let status = e.status();
    let (title, message): (&str, Markup) = match &e {
        WebError::BadRequest(p) => ("Please check your search", html! { (p.message) }),
        WebError::Invalid(problems) => (
            "Please check what you sent",
            html! { ul.errors { @for p in problems { li { (p) } } } p { "Go back, put it right and send it again." } },
        ),
        WebError::Forbidden => (
            "Not allowed",
            html! { "Your account cannot do that. If you think it should, ask your Signpost administrator." },
        ),
        WebError::NotFound => (
            "Page not found",
            html! { "We could not find that page. It may have been taken down." },
        ),
        WebError::Conflict(m) => ("Already changed", html! { (m) }),
        WebError::TooMany(m) => ("Please wait", html! { (m) }),
        WebError::Internal(_) => (
            "Something went wrong",
            html! { "Something went wrong on our side. Please try again in a minute." },
        ),
    };
    respond(
        state,
        status,
        title,
        html! {
            h1 { (title) }
            div { (message) }
            p { a href="/" { "Go to the search page" } }
        },
    )
}

pub async fn not_found(State(state): State<AppState>) -> Response {
    error_page(&state, WebError::NotFound)
}
