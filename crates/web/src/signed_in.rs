//! What the signed-in pages (providers', checkers', admins') share: the page with the
//! account header, reading a form's fields, the list of problems, the CSRF field, doing one
//! thing at the desk, and the views of evidence and of the audit log. Feature modules import
//! it; it imports only the chrome and the session.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use signpost_editorial::{Desk, DeskError};
use signpost_model::{AuditEntry, Evidence, EvidenceKind, User};

use crate::chrome::layout_with;
use crate::format::long_date;
use crate::session::{Session, check_csrf};
use crate::{AppState, WebError, off_thread};

pub(crate) fn field<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// A page for signed-in people, with their name and a sign-out button in the header.
pub(crate) fn page(
    state: &AppState,
    session: Option<&Session>,
    status: StatusCode,
    title: &str,
    body: Markup,
) -> Response {
    let nav = session.map(Session::nav);
    (status, layout_with(state.sample_data, title, nav, body)).into_response()
}

pub(crate) fn problems(list: &[String]) -> Markup {
    html! {
        @if !list.is_empty() {
            div.errors role="alert" {
                h2 { "Please put this right" }
                ul { @for p in list { li { (p) } } }
            }
        }
    }
}

pub(crate) fn fail(state: &AppState, session: &Session, e: WebError) -> Response {
    let status = e.status();
    let (title, message) = match &e {
        WebError::Forbidden => (
            "Not allowed",
            "Your account cannot do that. If you think it should, ask your Signpost administrator."
                .to_owned(),
        ),
        WebError::NotFound => (
            "Not found",
            "There is nothing here, or it is not yours to see.".to_owned(),
        ),
        WebError::Invalid(p) => ("Please check what you sent", p.join(". ")),
        WebError::Conflict(m) | WebError::TooMany(m) => ("Not done", m.clone()),
        WebError::BadRequest(p) => ("Please check what you sent", p.message.clone()),
        WebError::Internal(_) => (
            "Something went wrong",
            "Something went wrong on our side. Please try again in a minute.".to_owned(),
        ),
    };
    page(
        state,
        Some(session),
        status,
        title,
        html! { h1 { (title) } p { (message) } p { a href="/login" { "Back to your home page" } } },
    )
}

/// A signed-in form that does one thing at the desk and then goes to `done`: checks the
/// form's token, runs the step off the async workers, and shows any refusal.
pub(crate) async fn act<T: Send + 'static>(
    state: &AppState,
    s: &Session,
    form: &[(String, String)],
    done: &str,
    step: impl FnOnce(&Desk, &User) -> Result<T, DeskError> + Send + 'static,
) -> Response {
    if let Some(r) = check_csrf(state, s, form) {
        return r;
    }
    let desk = state.desk.clone();
    let user = s.user.clone();
    match off_thread(move || step(&desk, &user)).await {
        Ok(_) => Redirect::to(done).into_response(),
        Err(e) => fail(state, s, e),
    }
}

pub(crate) fn csrf_field(session: &Session) -> Markup {
    html! { input type="hidden" name="csrf" value=(session.csrf); }
}

pub(crate) fn evidence_list(items: &[Evidence]) -> Markup {
    html! {
        @if items.is_empty() { p { "No evidence added yet." } }
        ul {
            @for e in items {
                li {
                    a href={"/evidence/" (e.id)} { (e.title) }
                    @match &e.kind {
                        EvidenceKind::Link(_) => " (link)",
                        EvidenceKind::File { original_name, bytes, .. } => {
                            " (" (original_name) ", " (bytes / 1024 + 1) " KB)"
                        }
                    }
                    " added " (long_date(e.uploaded_at.date_naive()))
                }
            }
        }
    }
}

pub(crate) fn audit_log(entries: &[AuditEntry]) -> Markup {
    html! {
        @if entries.is_empty() { p { "Nothing recorded yet." } }
        ol.audit reversed {
            @for e in entries {
                li {
                    p {
                        strong { (e.at.with_timezone(&signpost_model::LONDON).format("%-d %b %Y %H:%M")) }
                        " – " (e.actor_label) " " (e.action)
                        @if !e.note.is_empty() { ": “" (e.note) "”" }
                    }
                    @if !e.fields.is_empty() {
                        table.diff {
                            thead { tr { th scope="col" { "Field" } th scope="col" { "Before" } th scope="col" { "After" } } }
                            tbody {
                                @for f in &e.fields {
                                    tr { th scope="row" { (f.field) } td.before { (f.before) } td.after { (f.after) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
