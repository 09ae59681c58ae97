//! Checkers' pages: the queue, reviewing a change as a before/after diff, verifying a
//! provider's safeguarding, trusting a provider, closing reports.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use signpost_editorial::{ChangeReview, ProviderCheck, Queue};
use signpost_model::{ChangeKind, ChangeStatus, SafeguardingStatus};

use crate::format::long_date;
use crate::session::{Session, SignedIn, check_csrf};
use crate::signed_in::{act, audit_log, csrf_field, evidence_list, fail, field, page, problems};
use crate::{AppState, WebError, off_thread};

type Pairs = Vec<(String, String)>;

fn done_note(q: &Pairs) -> Option<&'static str> {
    Some(match field(q, "done") {
        "approved" => "Approved: the listing is public now.",
        "rejected" => "Sent back to the provider with your message.",
        "verified" => "Verified: the provider's listings now show the check.",
        "trusted" => "Saved.",
        "closed" => "Report closed.",
        "linked" => "Confirmed: the source's listings now show under that organisation.",
        "kept-apart" => {
            "Dismissed: the source's listings stay with their own, unchecked organisation."
        }
        _ => return None,
    })
}

fn render_queue(state: &AppState, s: &Session, q: &Queue, note: Option<&str>) -> Response {
    let body = html! {
        h1 { "Checker queue" }
        @if let Some(n) = note { p.notice role="status" { (n) } }
        h2 { "Sources that say they are an organisation in the directory (" (q.claims.len()) ")" }
        @if q.claims.is_empty() { p { "None." } }
        @else {
            p {
                "A feed or file named an organisation that matches one already here, but a source cannot take on "
                "another organisation's safeguarding status by itself. Its listings are public under a separate, "
                "not-checked organisation until you confirm the source speaks for the one it matched."
            }
        }
        ul.manage {
            @for c in &q.claims {
                li {
                    p {
                        strong { (c.claim.name) } " from " code { (c.claim.source) }
                        " matched " a href={"/check/providers/" (c.claimed.id)} { (c.claimed.name) }
                        " (" (status_words(c.claimed_status)) ") by " (c.claim.reason) "."
                    }
                    @if c.listings.is_empty() {
                        p { "No listings from it yet." }
                    } @else {
                        p {
                            (c.listings.len()) @if c.listings.len() == 1 { " listing waits" } @else { " listings wait" }
                            " under " a href={"/providers/" (c.claim.interim)} { "its own record" } ":"
                        }
                        ul { @for a in c.listings.iter().take(5) { li { a href={"/activities/" (a.id)} { (a.title) } } } }
                    }
                    div.choices {
                        form.inline method="post" action={"/check/claims/" (c.claim.id) "/confirm"} {
                            (csrf_field(s))
                            button.secondary type="submit" { "Confirm: it speaks for " (c.claimed.name) }
                        }
                        form.inline method="post" action={"/check/claims/" (c.claim.id) "/dismiss"} {
                            (csrf_field(s))
                            button.secondary type="submit" { "Keep them apart" }
                        }
                    }
                }
            }
        }
        h2 { "Listings waiting for review (" (q.listings.len()) ")" }
        @if q.listings.is_empty() { p { "Nothing waiting." } }
        ul {
            @for (c, name) in &q.listings {
                li { a href={"/check/changes/" (c.id)} { "Change " (c.id) " from " (name) } " – sent " (long_date(c.submitted_at.date_naive())) }
            }
        }
        h2 { "Safeguarding checks to make (" (q.safeguarding.len()) ")" }
        @if q.safeguarding.is_empty() { p { "Nothing waiting." } }
        ul {
            @for (c, name) in &q.safeguarding {
                li { a href={"/check/providers/" (c.provider_id)} { (name) } " declared changes on " (long_date(c.submitted_at.date_naive())) }
            }
        }
        h2 { "Checks expired or expiring within 30 days (" (q.expiring.len()) ")" }
        @if q.expiring.is_empty() { p { "None." } }
        ul {
            @for (p, d, status) in &q.expiring {
                li {
                    a href={"/check/providers/" (p.id)} { (p.name) }
                    @if *status == SafeguardingStatus::Expired { " – expired " } @else { " – expires " }
                    (long_date(*d))
                }
            }
        }
        h2 { "Reports from the public (" (q.reports.len()) ")" }
        @if q.reports.is_empty() { p { "None open." } }
        ul.manage {
            @for (r, title) in &q.reports {
                li {
                    p { "About " a href={"/activities/" (r.activity_id)} { (title) } ", " (long_date(r.created_at.date_naive())) }
                    blockquote { (r.message) }
                    @if !r.contact.is_empty() { p { "Contact: " (r.contact) } }
                    form.stack method="post" action={"/check/reports/" (r.id) "/close"} {
                        (csrf_field(s))
                        label for={"note-" (r.id)} { "What was done (kept in the listing's history)" }
                        input id={"note-" (r.id)} type="text" name="note" maxlength="1000";
                        button type="submit" { "Close report" }
                    }
                }
            }
        }
    };
    page(state, Some(s), StatusCode::OK, "Checker queue", body)
}

pub async fn queue(
    State(state): State<AppState>,
    SignedIn(s): SignedIn,
    Query(q): Query<Pairs>,
) -> Response {
    let desk = state.desk.clone();
    let user = s.user.clone();
    match off_thread(move || desk.queue(&user)).await {
        Ok(queue) => render_queue(&state, &s, &queue, done_note(&q)),
        Err(e) => fail(&state, &s, e),
    }
}

fn render_review(
    state: &AppState,
    s: &Session,
    status: StatusCode,
    r: &ChangeReview,
    errors: &[String],
) -> Response {
    let c = &r.change;
    let body = html! {
        h1 {
            @match c.kind {
                ChangeKind::Listing => @if r.is_new { "New listing: " } @else { "Edited listing: " },
                ChangeKind::Safeguarding => "Safeguarding declaration: ",
            }
            (r.title)
        }
        p { "From " a href={"/check/providers/" (r.provider.id)} { (r.provider.name) } ", sent " (long_date(c.submitted_at.date_naive())) ". Status: " strong { (c.status.label()) } "." }
        @if let Some(id) = &c.activity_id { p { a href={"/history/" (id)} { "History of this listing" } } }
        (problems(errors))
        table.diff {
            caption { "What would change" }
            thead { tr { th scope="col" { "Field" } th scope="col" { "Now (public)" } th scope="col" { "Proposed" } } }
            tbody {
                @for f in &r.diff {
                    tr { th scope="row" { (f.field) } td.before { (f.before) } td.after { (f.after) } }
                }
            }
        }
        @if c.status == ChangeStatus::Pending {
            @match c.kind {
                ChangeKind::Listing => {
                    form.stack method="post" action={"/check/changes/" (c.id)} {
                        (csrf_field(s))
                        label for="message" { "Message to the provider (needed if you send it back)" }
                        textarea #message name="message" rows="3" maxlength="2000" {}
                        button type="submit" name="decision" value="approve" { "Approve and publish" }
                        " "
                        button type="submit" name="decision" value="reject" { "Send back" }
                    }
                }
                ChangeKind::Safeguarding => {
                    p { a href={"/check/providers/" (r.provider.id)} { "Check the evidence and verify" } ", or send it back:" }
                    form.stack method="post" action={"/check/changes/" (c.id)} {
                        (csrf_field(s))
                        label for="message" { "What the provider needs to put right" }
                        textarea #message name="message" rows="3" maxlength="2000" {}
                        button type="submit" name="decision" value="reject" { "Send back" }
                    }
                }
            }
        } @else if !c.message.is_empty() {
            p { "Message: “" (c.message) "”" }
        }
    };
    page(state, Some(s), status, "Review a change", body)
}

fn change_id(id: &str) -> Result<i64, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

pub async fn review(
    State(state): State<AppState>,
    SignedIn(s): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let id = match change_id(&id) {
        Ok(id) => id,
        Err(e) => return fail(&state, &s, e),
    };
    let desk = state.desk.clone();
    let user = s.user.clone();
    match off_thread(move || desk.review(&user, id)).await {
        Ok(r) => render_review(&state, &s, StatusCode::OK, &r, &[]),
        Err(e) => fail(&state, &s, e),
    }
}

pub async fn decide(
    State(state): State<AppState>,
    SignedIn(s): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<Pairs>,
) -> Response {
    if let Some(r) = check_csrf(&state, &s, &form) {
        return r;
    }
    let id = match change_id(&id) {
        Ok(id) => id,
        Err(e) => return fail(&state, &s, e),
    };
    let approve = match field(&form, "decision") {
        "approve" => true,
        "reject" => false,
        _ => {
            return fail(
                &state,
                &s,
                WebError::Invalid(vec!["choose approve or send back".into()]),
            );
        }
    };
    let message = field(&form, "message").to_owned();
    let desk = state.desk.clone();
    let user = s.user.clone();
    match off_thread(move || desk.decide(&user, id, approve, &message)).await {
        Ok(()) if approve => Redirect::to("/check?done=approved").into_response(),
        Ok(()) => Redirect::to("/check?done=rejected").into_response(),
        Err(WebError::Invalid(p)) => {
            let desk = state.desk.clone();
            let user = s.user.clone();
            match off_thread(move || desk.review(&user, id)).await {
                Ok(r) => render_review(&state, &s, StatusCode::BAD_REQUEST, &r, &p),
                Err(e) => fail(&state, &s, e),
            }
        }
        Err(e) => fail(&state, &s, e),
    }
}

fn render_provider(
    state: &AppState,
    s: &Session,
    status: StatusCode,
    c: &ProviderCheck,
    errors: &[String],
) -> Response {
    let p = &c.provider;
    let sg = &p.safeguarding;
    let today = state.directory.today();
    let default_expiry = today
        .checked_add_months(chrono::Months::new(12))
        .unwrap_or(today);
    let body = html! {
        h1 { "Safeguarding: " (p.name) }
        p { "Status: " strong { (c.status.as_str()) } "." }
        @if let Some(v) = p.verification.check() {
            p { "Last verified " (long_date(v.checked_on)) " by " (v.checked_by) " for " (v.on_behalf_of) "; expires " (long_date(v.expires_on)) ". Evidence seen: " (v.evidence) }
        }
        @if let Some(pending) = &c.pending {
            p.notice { "New declaration waiting since " (long_date(pending.submitted_at.date_naive())) ". " a href={"/check/changes/" (pending.id)} { "See what changed" } }
        }
        h2 { "What they declare" }
        dl {
            dt { "Written policy" } dd { @if let Some(pol) = &sg.policy { "Yes" @if let Some(d) = pol.last_reviewed { ", reviewed " (long_date(d)) } } @else { "No" } }
            dt { "Safeguarding lead" } dd { (sg.designated_lead_role.as_deref().unwrap_or("Not given")) }
            dt { "Enhanced DBS checks" } dd { @if sg.enhanced_dbs { "Yes" } @else { "No" } }
            dt { "Insurance runs until" } dd { @if let Some(d) = sg.insurance_expires { (long_date(d)) } @else { "Not given" } }
            dt { "First aider at sessions" } dd { @if sg.first_aid { "Yes" } @else { "No" } }
        }
        h2 { "Evidence they gave" }
        (evidence_list(&c.evidence))
        h2 { "Verify" }
        p { "Your name and " strong { (s.user.organisation.as_deref().unwrap_or("")) } " are recorded with the check. Your name is not shown publicly." }
        (problems(errors))
        form.stack method="post" action={"/check/providers/" (p.id) "/verify"} {
            (csrf_field(s))
            label for="evidence" { "What you saw" }
            p.hint #evidence-hint { "e.g. “Policy (reviewed March 2026), DBS certificates for 4 staff, insurance schedule to June 2027”. This is shown publicly." }
            textarea #evidence name="evidence" rows="3" maxlength="1000" aria-describedby="evidence-hint" {}
            label for="expires_on" { "The check holds until" }
            input #expires_on type="date" name="expires_on" value=(default_expiry.to_string());
            button type="submit" { "Record the check as verified" }
        }
        h2 { "Trust" }
        form.inline method="post" action={"/check/providers/" (p.id) "/trust"} {
            (csrf_field(s))
            @if p.trusted {
                p { "Trusted: their edits publish at once." }
                input type="hidden" name="trusted" value="no";
                button type="submit" { "Stop trusting: review their edits again" }
            } @else {
                p { "Not trusted: their edits wait for review." }
                input type="hidden" name="trusted" value="yes";
                button type="submit" { "Trust: publish their edits at once" }
            }
        }
        h2 { "Listings" }
        ul { @for a in &c.listings { li { a href={"/activities/" (a.id)} { (a.title) } @if a.withdrawn { " (withdrawn)" } " · " a href={"/history/" (a.id)} { "history" } } } }
        h2 { "History" }
        (audit_log(&c.history))
    };
    page(state, Some(s), status, "Safeguarding check", body)
}

pub async fn provider(
    State(state): State<AppState>,
    SignedIn(s): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let desk = state.desk.clone();
    let user = s.user.clone();
    match off_thread(move || desk.provider_check(&user, &id)).await {
        Ok(c) => render_provider(&state, &s, StatusCode::OK, &c, &[]),
        Err(e) => fail(&state, &s, e),
    }
}

pub async fn verify(
    State(state): State<AppState>,
    SignedIn(s): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<Pairs>,
) -> Response {
    if let Some(r) = check_csrf(&state, &s, &form) {
        return r;
    }
    let evidence = field(&form, "evidence").to_owned();
    let expires = match field(&form, "expires_on").trim() {
        "" => None,
        d => match d.parse() {
            Ok(d) => Some(d),
            Err(_) => {
                return fail(
                    &state,
                    &s,
                    WebError::Invalid(vec!["the expiry is not a date: use YYYY-MM-DD".into()]),
                );
            }
        },
    };
    let desk = state.desk.clone();
    let user = s.user.clone();
    let pid = id.clone();
    match off_thread(move || desk.verify(&user, &pid, &evidence, expires)).await {
        Ok(()) => Redirect::to("/check?done=verified").into_response(),
        Err(WebError::Invalid(p)) => {
            let desk = state.desk.clone();
            let user = s.user.clone();
            match off_thread(move || desk.provider_check(&user, &id)).await {
                Ok(c) => render_provider(&state, &s, StatusCode::BAD_REQUEST, &c, &p),
                Err(e) => fail(&state, &s, e),
            }
        }
        Err(e) => fail(&state, &s, e),
    }
}

pub async fn trust(
    State(state): State<AppState>,
    SignedIn(s): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<Pairs>,
) -> Response {
    let trusted = field(&form, "trusted") == "yes";
    act(&state, &s, &form, "/check?done=trusted", move |d, u| {
        d.set_trusted(u, &id, trusted)
    })
    .await
}

/// How a safeguarding status reads in the checker's queue.
fn status_words(status: SafeguardingStatus) -> &'static str {
    match status {
        SafeguardingStatus::NotChecked => "not checked",
        SafeguardingStatus::SelfDeclared => "self-declared",
        SafeguardingStatus::Verified => "safety checked",
        SafeguardingStatus::Expired => "check expired",
    }
}

/// `POST /check/claims/{id}/confirm` and `/dismiss`.
pub async fn decide_claim(
    State(state): State<AppState>,
    SignedIn(s): SignedIn,
    Path((id, answer)): Path<(String, String)>,
    Form(form): Form<Pairs>,
) -> Response {
    let confirm = match answer.as_str() {
        "confirm" => true,
        "dismiss" => false,
        _ => return crate::chrome::error_page(&state, WebError::NotFound),
    };
    let done = if confirm {
        "/check?done=linked"
    } else {
        "/check?done=kept-apart"
    };
    act(&state, &s, &form, done, move |d, u| {
        let id = id
            .parse()
            .map_err(|_| signpost_editorial::DeskError::NotFound)?;
        d.decide_claim(u, id, confirm)
    })
    .await
}

pub async fn close_report(
    State(state): State<AppState>,
    SignedIn(s): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<Pairs>,
) -> Response {
    let note = field(&form, "note").to_owned();
    act(&state, &s, &form, "/check?done=closed", move |d, u| {
        let id = id
            .parse()
            .map_err(|_| signpost_editorial::DeskError::NotFound)?;
        d.close_report(u, id, &note)
    })
    .await
}
