//! "Suggest an edit or report a problem": open to anyone, no account. It lands in the
//! checker queue.
//!
//! Spam is kept out without third-party services: a field people never see (bots fill it),
//! a signed note of when the form was shown (too quick or too old is refused), at most two
//! links per message, and a per-address limit per hour.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use maud::html;
use signpost_directory::Standing;

use crate::chrome::error_page;
use crate::session::{ClientIp, check_form_cookie, form_token};
use crate::signed_in::{field, page, problems};
use crate::{AppState, WebError, off_thread};

type Pairs = Vec<(String, String)>;

/// Suggestions one address may send in an hour.
pub const PER_ADDRESS_PER_HOUR: usize = 5;
/// A person takes longer than this to read the form and write something.
const MIN_SECONDS: i64 = 3;
const MAX_SECONDS: i64 = 24 * 60 * 60;

fn stamp(state: &AppState, activity: &str, at: i64) -> String {
    let mac = signpost_accounts::keyed_hash(&state.form_key, &format!("suggest:{activity}:{at}"));
    format!("{at}.{mac}")
}

/// Seconds since the form was shown, if the note is ours.
fn age_of(state: &AppState, activity: &str, note: &str, now: i64) -> Option<i64> {
    let (at, _) = note.split_once('.')?;
    let at: i64 = at.parse().ok()?;
    signpost_accounts::same(&stamp(state, activity, at), note).then_some(now - at)
}

#[allow(
    clippy::too_many_arguments,
    reason = "one page's parts; a struct would only rename them"
)]
fn render(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    id: &str,
    title: &str,
    message: &str,
    contact: &str,
    errors: &[String],
) -> Response {
    let (csrf, set) = form_token(state, headers);
    let shown = stamp(state, id, state.directory.now().timestamp());
    let body = html! {
        h1 { "Suggest an edit or report a problem" }
        p { "About " a href={"/activities/" (id)} { (title) } ". A checker reads every message and, where needed, asks the group to put it right." }
        p { strong { "Worried about a child's safety?" } " Do not use this form. In an emergency call 999. Otherwise contact the children's services team at your local council, or the NSPCC helpline on 0808 800 5000." }
        (problems(errors))
        form.stack method="post" action={"/activities/" (id) "/suggest"} {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="shown" value=(shown);
            div.hp aria-hidden="true" {
                label for="website" { "Leave this empty" }
                input #website type="text" name="website" tabindex="-1" autocomplete="off";
            }
            label for="message" { "What is wrong, or what should change?" }
            textarea #message name="message" rows="6" maxlength="2000" required { (message) }
            label for="contact" { "Your email or phone (optional, only if you are happy to be asked about it)" }
            input #contact type="text" name="contact" value=(contact) maxlength="200" autocomplete="email";
            button type="submit" { "Send" }
        }
    };
    let mut resp = page(state, None, status, "Suggest an edit", body);
    if let Some(c) = set {
        resp.headers_mut().append(header::SET_COOKIE, c);
    }
    resp
}

async fn public_title(state: &AppState, id: String) -> Result<Option<String>, WebError> {
    let dir = state.directory.clone();
    off_thread(move || {
        Ok::<_, signpost_directory::DirectoryError>(
            dir.activity(&id)?
                .filter(|p| p.standing() != Standing::Withdrawn)
                .map(|p| p.activity.title),
        )
    })
    .await
}

pub async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    match public_title(&state, id.clone()).await {
        Ok(Some(title)) => render(&state, &headers, StatusCode::OK, &id, &title, "", "", &[]),
        Ok(None) => error_page(&state, WebError::NotFound),
        Err(e) => error_page(&state, e),
    }
}

fn thanks(state: &AppState, id: &str) -> Response {
    page(
        state,
        None,
        StatusCode::OK,
        "Thank you",
        html! {
            h1 { "Thank you" }
            p { "Your message has reached the people who check listings." }
            p { a href={"/activities/" (id)} { "Back to the listing" } }
        },
    )
}

pub async fn send(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Form(form): Form<Pairs>,
) -> Response {
    if let Some(r) = check_form_cookie(&state, &headers, &form) {
        return r;
    }
    let title = match public_title(&state, id.clone()).await {
        Ok(Some(t)) => t,
        Ok(None) => return error_page(&state, WebError::NotFound),
        Err(e) => return error_page(&state, e),
    };
    let message = field(&form, "message").to_owned();
    let contact = field(&form, "contact").to_owned();
    // Bots fill in every field; people never see this one. Say thanks and keep nothing.
    if !field(&form, "website").is_empty() {
        return thanks(&state, &id);
    }
    let now = state.directory.now();
    let again = |status, errors: &[String]| {
        render(
            &state, &headers, status, &id, &title, &message, &contact, errors,
        )
    };
    match age_of(&state, &id, field(&form, "shown"), now.timestamp()) {
        Some(age) if (MIN_SECONDS..=MAX_SECONDS).contains(&age) => {}
        Some(age) if age < MIN_SECONDS => {
            return again(
                StatusCode::BAD_REQUEST,
                &["that was very quick: please check your message and send it again".to_owned()],
            );
        }
        _ => {
            return again(
                StatusCode::BAD_REQUEST,
                &["this form has expired: please send it again".to_owned()],
            );
        }
    }
    let key = signpost_accounts::address_key(ip);
    {
        let mut limit = state.suggestions.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(wait) = limit.wait(&key, now) {
            let minutes = (wait.num_seconds() + 59) / 60;
            drop(limit);
            return again(
                StatusCode::TOO_MANY_REQUESTS,
                &[format!(
                    "you have sent several messages in the last hour: please wait {minutes} minutes"
                )],
            );
        }
    }
    let desk = state.desk.clone();
    let (i, m, c) = (id.clone(), message.clone(), contact.clone());
    match off_thread(move || desk.suggest(&i, &m, &c)).await {
        Ok(_) => {
            state
                .suggestions
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .record(&key, now);
            thanks(&state, &id)
        }
        Err(WebError::Invalid(p)) => again(StatusCode::BAD_REQUEST, &p),
        Err(e) => error_page(&state, e),
    }
}
