//! Provider editors' pages: their listings, edits, "still running", withdrawals, the
//! safeguarding declaration and evidence; and the audit history (also for checkers).

use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use signpost_editorial::{Dashboard, EvidenceUpload, ListingForm, SafeguardingForm};
use signpost_model::{
    Category, ChangeStatus, Evidence, EvidenceKind, Gender, JoinMethod, Newcomer, Role,
    SafeguardingStatus,
};

use crate::format::long_date;
use crate::session::{Session, SignedIn, check_csrf};
use crate::signed_in::{act, audit_log, csrf_field, evidence_list, fail, field, page, problems};
use crate::{AppState, WebError, off_thread};

type Pairs = Vec<(String, String)>;

fn done_note(q: &Pairs) -> Option<&'static str> {
    Some(match field(q, "done") {
        "submitted" => {
            "Thank you. Your change has been sent for review; the current version stays public until a checker approves it."
        }
        "published" => "Thank you. Your change is public now.",
        "confirmed" => "Thank you. The listing now shows it was confirmed as running today.",
        "withdrawn" => {
            "The listing has been withdrawn. It no longer appears in search; its history is kept."
        }
        "declared" => {
            "Thank you. Your safeguarding record is updated and shows as self-declared until a checker checks it."
        }
        "evidence" => "Evidence added. Checkers can see it when they check your record.",
        _ => return None,
    })
}

fn status_label(s: SafeguardingStatus) -> &'static str {
    match s {
        SafeguardingStatus::NotChecked => "Not checked: nothing declared yet",
        SafeguardingStatus::SelfDeclared => "Self-declared: waiting for a checker",
        SafeguardingStatus::Verified => "Verified by a checker",
        SafeguardingStatus::Expired => "Check expired: ask for a new check",
    }
}

fn render_dashboard(state: &AppState, s: &Session, d: &Dashboard, note: Option<&str>) -> Response {
    let p = &d.provider;
    let stale = d.listings.iter().filter(|l| l.stale).count();
    let body = html! {
        h1 { (p.name) }
        @if let Some(n) = note { p.notice role="status" { (n) } }
        p { "Safeguarding: " strong { (status_label(d.status)) } ". " a href="/provider/safeguarding" { "Your safeguarding record" } }
        @if p.trusted { p { "Your organisation is trusted: your edits go public at once. Every change is still recorded." } }
        @if stale > 0 {
            p.warning role="status" { (stale) " of your listings " @if stale == 1 { "has" } @else { "have" } " not been confirmed for a long time and show as “may be out of date”. If they still run, confirm them below." }
        }
        p { a.button href="/provider/listings/new" { "Add a listing" } " " a href="/provider/history" { "Everything changed, and by whom" } }
        h2 { "Your listings" }
        @if d.listings.is_empty() { p { "No listings yet." } }
        ul.manage {
            @for l in &d.listings {
                @let a = &l.activity;
                li {
                    h3 { (a.title) }
                    p.state {
                        @if a.withdrawn { span.tag { "Withdrawn" } " " }
                        @if l.stale { span.tag.warn { "May be out of date" } " " }
                        @if l.ended { span.tag { "Finished" } " " }
                        @if l.pending.is_some() { span.tag { "Edit waiting for review" } " " }
                        @if let Some(c) = a.last_confirmed { "Last confirmed " (long_date(c)) "." }
                    }
                    p.actions {
                        a href={"/provider/listings/" (a.id) "/edit"} { "Edit" } " · "
                        a href={"/activities/" (a.id)} { "Public page" } " · "
                        a href={"/history/" (a.id)} { "History" }
                    }
                    @if l.ended && !a.withdrawn {
                        p {
                            "This activity has finished, so it is not in search. Running it again? "
                            a href={"/provider/listings/" (a.id) "/edit"} { "Add new dates" }
                        }
                    } @else if !a.withdrawn {
                        form.inline method="post" action={"/provider/listings/" (a.id) "/confirm"} {
                            (csrf_field(s))
                            button type="submit" { "Confirm still running" }
                        }
                    }
                    @if !a.withdrawn {
                        details {
                            summary { "Withdraw this listing" }
                            form.stack method="post" action={"/provider/listings/" (a.id) "/withdraw"} {
                                (csrf_field(s))
                                label for={"reason-" (a.id)} { "Why (optional, kept in the history)" }
                                input id={"reason-" (a.id)} type="text" name="reason" maxlength="500";
                                button type="submit" { "Withdraw from search" }
                            }
                        }
                    }
                }
            }
        }
        h2 { "Recent changes you sent" }
        @if d.changes.is_empty() { p { "None yet." } }
        ul {
            @for c in &d.changes {
                li {
                    (c.kind.as_str()) " sent " (long_date(c.submitted_at.date_naive())) ": "
                    strong { (c.status.label()) }
                    @if !c.message.is_empty() { " – checker's message: “" (c.message) "”" }
                    @if c.status == ChangeStatus::Rejected && c.activity_id.is_some() {
                        " " a href={"/provider/listings/" (c.activity_id.as_ref().map(|i| i.as_str()).unwrap_or("")) "/edit"} { "Edit and send again" }
                    }
                }
            }
        }
    };
    page(state, Some(s), StatusCode::OK, "Your listings", body)
}

pub async fn dashboard(
    State(state): State<AppState>,
    SignedIn(s): SignedIn,
    Query(q): Query<Pairs>,
) -> Response {
    let desk = state.desk.clone();
    let user = s.user.clone();
    match off_thread(move || desk.dashboard(&user)).await {
        Ok(d) => render_dashboard(&state, &s, &d, done_note(&q)),
        Err(e) => fail(&state, &s, e),
    }
}

fn checkbox(name: &str, value: &str, label: &str, checked: bool) -> Markup {
    let id = format!("{name}-{value}");
    html! {
        div.check {
            input id=(id) type="checkbox" name=(name) value=(value) checked[checked];
            label for=(id) { (label) }
        }
    }
}

fn text_input(name: &str, label: &str, value: &str, hint: Option<&str>) -> Markup {
    let hint_id = format!("{name}-hint");
    html! {
        label for=(name) { (label) }
        @if let Some(h) = hint { p.hint id=(hint_id) { (h) } }
        input id=(name) type="text" name=(name) value=(value) aria-describedby=[hint.map(|_| hint_id.clone())];
    }
}

fn listing_form(s: &Session, action: &str, f: &ListingForm) -> Markup {
    html! {
        form.stack.editor method="post" action=(action) {
            (csrf_field(s))
            (text_input("title", "Title", &f.title, None))
            label for="description" { "Description" }
            textarea #description name="description" rows="6" { (f.description) }
            fieldset {
                legend { "Categories (at least one)" }
                @for c in Category::ALL { (checkbox("category", c.slug(), c.name(), f.categories.iter().any(|x| x == c.slug()))) }
            }
            (text_input("ages", "Ages", &f.ages, Some("Youngest to oldest in years, e.g. 11-16. Use m for months: 0m-18m.")))
            label for="gender" { "Who can come" }
            select #gender name="gender" {
                @for g in [Gender::Mixed, Gender::Girls, Gender::Boys] {
                    option value=(g.as_str()) selected[f.gender == g.as_str()] { (g.label()) }
                }
            }
            fieldset {
                legend { "Cost" }
                (checkbox("free", "on", "Free", f.free))
                (text_input("price", "Price per session in pounds (if not free)", &f.price, None))
                (text_input("concessions", "Cheaper prices for some people", &f.concessions, None))
                (checkbox("bursary", "on", "Funding or a bursary can cover the cost", f.bursary))
            }
            label for="timetable" { "Timetable" }
            p.hint #timetable-hint {
                "One line per session, e.g. “saturday 10:00-12:00”, “tuesday 16:00-17:30 term-time”, “wednesday 10:00-15:00 holidays”, “tuesday 18:00-19:00 from 2026-09-01 until 2027-07-20”, a one-off “2026-12-20 14:00-16:00”, or a date it is not running: “not 2026-12-25”."
            }
            textarea #timetable name="timetable" rows="5" aria-describedby="timetable-hint" { (f.timetable) }
            fieldset {
                legend { "Where" }
                (text_input("venue_name", "Venue name", &f.venue_name, None))
                (text_input("venue_address", "Address", &f.venue_address, None))
                (text_input("venue_postcode", "Postcode", &f.venue_postcode, None))
                (checkbox("online", "on", "It runs online", f.online))
            }
            fieldset {
                legend { "Access" }
                (checkbox("wheelchair", "on", "Wheelchair accessible", f.wheelchair))
                (checkbox("send_friendly", "on", "Welcoming for children with SEND", f.send_friendly))
                (checkbox("quiet_sessions", "on", "Quiet or autism-friendly sessions", f.quiet_sessions))
                (text_input("languages", "Languages spoken besides English", &f.languages, Some("Separate them with commas.")))
            }
            fieldset {
                legend { "How to join" }
                @for m in JoinMethod::ALL { (checkbox("join", m.as_str(), m.label(), f.join.iter().any(|x| x == m.as_str()))) }
                (text_input("contact_email", "Contact email", &f.contact_email, None))
                (text_input("contact_phone", "Contact phone", &f.contact_phone, None))
                (text_input("contact_url", "Website", &f.contact_url, None))
                label for="join_notes" { "Anything else about joining" }
                textarea #join_notes name="join_notes" rows="3" { (f.join_notes) }
            }
            fieldset {
                legend { "Coming for the first time" }
                p.hint { "Many young people say going somewhere new on their own is what stops them. Tick what you welcome; it becomes a search filter." }
                @for n in Newcomer::ALL { (checkbox("newcomers", n.as_str(), n.label(), f.newcomers.iter().any(|x| x == n.as_str()))) }
            }
            button type="submit" { "Send" }
        }
    }
}

fn render_listing_form(
    state: &AppState,
    s: &Session,
    status: StatusCode,
    id: Option<&str>,
    f: &ListingForm,
    pending: bool,
    errors: &[String],
) -> Response {
    let (title, action) = match id {
        Some(id) => ("Edit listing", format!("/provider/listings/{id}/edit")),
        None => ("Add a listing", "/provider/listings/new".to_owned()),
    };
    let body = html! {
        h1 { (title) }
        @if pending { p.notice { "You are editing the version waiting for review. The public listing stays as it is until a checker approves." } }
        (problems(errors))
        (listing_form(s, &action, f))
    };
    page(state, Some(s), status, title, body)
}

pub async fn new_form(State(state): State<AppState>, SignedIn(s): SignedIn) -> Response {
    if !s.user.is(Role::Provider) {
        return fail(&state, &s, WebError::Forbidden);
    }
    let form = ListingForm {
        ages: "11-16".into(),
        gender: "mixed".into(),
        ..Default::default()
    };
    render_listing_form(&state, &s, StatusCode::OK, None, &form, false, &[])
}

pub async fn edit_form(
    State(state): State<AppState>,
    SignedIn(s): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let desk = state.desk.clone();
    let user = s.user.clone();
    let i = id.clone();
    match off_thread(move || desk.listing_form(&user, &i)).await {
        Ok((f, pending)) => {
            render_listing_form(&state, &s, StatusCode::OK, Some(&id), &f, pending, &[])
        }
        Err(e) => fail(&state, &s, e),
    }
}

async fn submit(state: AppState, s: Session, id: Option<String>, form: Pairs) -> Response {
    if let Some(r) = check_csrf(&state, &s, &form) {
        return r;
    }
    let listing = ListingForm::from_pairs(&form);
    let desk = state.desk.clone();
    let user = s.user.clone();
    let (i, l) = (id.clone(), listing.clone());
    match off_thread(move || desk.submit_listing(&user, i.as_deref(), &l)).await {
        Ok(done) if done.published => Redirect::to("/provider?done=published").into_response(),
        Ok(_) => Redirect::to("/provider?done=submitted").into_response(),
        Err(WebError::Invalid(p)) => render_listing_form(
            &state,
            &s,
            StatusCode::BAD_REQUEST,
            id.as_deref(),
            &listing,
            false,
            &p,
        ),
        Err(e) => fail(&state, &s, e),
    }
}

pub async fn create(
    State(state): State<AppState>,
    SignedIn(s): SignedIn,
    Form(form): Form<Pairs>,
) -> Response {
    submit(state, s, None, form).await
}

pub async fn update(
    State(state): State<AppState>,
    SignedIn(s): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<Pairs>,
) -> Response {
    submit(state, s, Some(id), form).await
}

pub async fn confirm(
    State(state): State<AppState>,
    SignedIn(s): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<Pairs>,
) -> Response {
    act(
        &state,
        &s,
        &form,
        "/provider?done=confirmed",
        move |d, u| d.confirm(u, &id),
    )
    .await
}

pub async fn withdraw(
    State(state): State<AppState>,
    SignedIn(s): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<Pairs>,
) -> Response {
    let reason = field(&form, "reason").to_owned();
    act(
        &state,
        &s,
        &form,
        "/provider?done=withdrawn",
        move |d, u| d.withdraw(u, &id, &reason),
    )
    .await
}

#[allow(
    clippy::too_many_arguments,
    reason = "one page's parts; a struct would only rename them"
)]
fn render_safeguarding(
    state: &AppState,
    s: &Session,
    status: StatusCode,
    provider: &signpost_model::Provider,
    f: &SafeguardingForm,
    evidence: &[Evidence],
    note: Option<&str>,
    errors: &[String],
) -> Response {
    let current = provider.verification.status(state.directory.today());
    let body = html! {
        h1 { "Your safeguarding record" }
        @if let Some(n) = note { p.notice role="status" { (n) } }
        p { "Status: " strong { (status_label(current)) } "." }
        @if let Some(c) = provider.verification.check() {
            p { "Last checked " (long_date(c.checked_on)) " for " (c.on_behalf_of) "; the check runs until " (long_date(c.expires_on)) "." }
        }
        p { "What you declare here is public as soon as you save it, marked “self-declared”. Changing anything after a check means it shows as self-declared again until a checker checks it." }
        (problems(errors))
        form.stack method="post" action="/provider/safeguarding" {
            (csrf_field(s))
            (checkbox("has_policy", "on", "We have a written safeguarding policy", f.has_policy))
            label for="policy_reviewed" { "Policy last reviewed (YYYY-MM-DD)" }
            input #policy_reviewed type="date" name="policy_reviewed" value=(f.policy_reviewed);
            (text_input("lead_role", "Designated safeguarding lead: their role", &f.lead_role, Some("A role such as “Club Welfare Officer”, not a name or phone number: this is public.")))
            (checkbox("enhanced_dbs", "on", "Staff and volunteers working with children have enhanced DBS checks", f.enhanced_dbs))
            label for="insurance_expires" { "Public liability insurance runs until (YYYY-MM-DD)" }
            input #insurance_expires type="date" name="insurance_expires" value=(f.insurance_expires);
            (checkbox("first_aid", "on", "A trained first-aider is at every session", f.first_aid))
            button type="submit" { "Save declaration" }
        }
        h2 { "Evidence" }
        p { "Checkers look at this when they check your record. Only you and checkers can see it." }
        (evidence_list(evidence))
        h3 { "Upload a file" }
        form.stack method="post" action="/provider/evidence" enctype="multipart/form-data" {
            (csrf_field(s))
            label for="ev-title" { "What it is" }
            input #ev-title type="text" name="title" required maxlength="200";
            label for="ev-file" { "File (PDF, PNG or JPEG, at most 5 MB)" }
            input #ev-file type="file" name="file" accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg" required;
            button type="submit" { "Upload" }
        }
        h3 { "Or give a link" }
        form.stack method="post" action="/provider/evidence/link" {
            (csrf_field(s))
            label for="link-title" { "What it is" }
            input #link-title type="text" name="title" required maxlength="200";
            label for="link-url" { "Web address" }
            input #link-url type="url" name="url" required;
            button type="submit" { "Add link" }
        }
    };
    page(state, Some(s), status, "Your safeguarding record", body)
}

pub async fn safeguarding_form(
    State(state): State<AppState>,
    SignedIn(s): SignedIn,
    Query(q): Query<Pairs>,
) -> Response {
    let desk = state.desk.clone();
    let user = s.user.clone();
    let loaded = off_thread(move || desk.safeguarding_form(&user)).await;
    match loaded {
        Ok((p, f, ev)) => {
            render_safeguarding(&state, &s, StatusCode::OK, &p, &f, &ev, done_note(&q), &[])
        }
        Err(e) => fail(&state, &s, e),
    }
}

pub async fn declare(
    State(state): State<AppState>,
    SignedIn(s): SignedIn,
    Form(form): Form<Pairs>,
) -> Response {
    if let Some(r) = check_csrf(&state, &s, &form) {
        return r;
    }
    let f = SafeguardingForm::from_pairs(&form);
    let desk = state.desk.clone();
    let user = s.user.clone();
    let sent = f.clone();
    match off_thread(move || desk.declare(&user, &sent)).await {
        Ok(()) => Redirect::to("/provider/safeguarding?done=declared").into_response(),
        Err(WebError::Invalid(p)) => {
            let desk = state.desk.clone();
            let user = s.user.clone();
            match off_thread(move || desk.safeguarding_form(&user)).await {
                Ok((prov, _, ev)) => render_safeguarding(
                    &state,
                    &s,
                    StatusCode::BAD_REQUEST,
                    &prov,
                    &f,
                    &ev,
                    None,
                    &p,
                ),
                Err(e) => fail(&state, &s, e),
            }
        }
        Err(e) => fail(&state, &s, e),
    }
}

pub async fn upload(
    State(state): State<AppState>,
    SignedIn(s): SignedIn,
    mut multipart: Multipart,
) -> Response {
    let mut fields: Pairs = Vec::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(f)) => {
                let name = f.name().unwrap_or("").to_owned();
                if name == "file" {
                    let file_name = f.file_name().unwrap_or("").to_owned();
                    match f.bytes().await {
                        Ok(b) => file = Some((file_name, b.to_vec())),
                        Err(_) => {
                            return fail(
                                &state,
                                &s,
                                WebError::Invalid(vec![format!(
                                    "the file could not be received: it may be over {} MB",
                                    signpost_editorial::MAX_EVIDENCE_BYTES / 1024 / 1024
                                )]),
                            );
                        }
                    }
                } else {
                    match f.text().await {
                        Ok(t) => fields.push((name, t)),
                        Err(_) => {
                            return fail(
                                &state,
                                &s,
                                WebError::Invalid(vec!["the form could not be read".into()]),
                            );
                        }
                    }
                }
            }
            Ok(None) => break,
            Err(_) => {
                return fail(
                    &state,
                    &s,
                    WebError::Invalid(vec![format!(
                        "the upload could not be read: files can be at most {} MB",
                        signpost_editorial::MAX_EVIDENCE_BYTES / 1024 / 1024
                    )]),
                );
            }
        }
    }
    if let Some(r) = check_csrf(&state, &s, &fields) {
        return r;
    }
    let (file_name, bytes) = file.unwrap_or_default();
    let upload = EvidenceUpload {
        title: field(&fields, "title").to_owned(),
        file_name,
        bytes,
    };
    let desk = state.desk.clone();
    let user = s.user.clone();
    match off_thread(move || desk.add_evidence_file(&user, upload)).await {
        Ok(_) => Redirect::to("/provider/safeguarding?done=evidence").into_response(),
        Err(e) => fail(&state, &s, e),
    }
}

pub async fn add_link(
    State(state): State<AppState>,
    SignedIn(s): SignedIn,
    Form(form): Form<Pairs>,
) -> Response {
    let (title, url) = (
        field(&form, "title").to_owned(),
        field(&form, "url").to_owned(),
    );
    act(
        &state,
        &s,
        &form,
        "/provider/safeguarding?done=evidence",
        move |d, u| d.add_evidence_link(u, &title, &url),
    )
    .await
}

pub async fn own_history(State(state): State<AppState>, SignedIn(s): SignedIn) -> Response {
    let desk = state.desk.clone();
    let user = s.user.clone();
    match off_thread(move || desk.own_history(&user)).await {
        Ok(log) => page(
            &state,
            Some(&s),
            StatusCode::OK,
            "History",
            html! { h1 { "Everything changed, and by whom" } (audit_log(&log)) },
        ),
        Err(e) => fail(&state, &s, e),
    }
}

pub async fn history(
    State(state): State<AppState>,
    SignedIn(s): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let desk = state.desk.clone();
    let user = s.user.clone();
    match off_thread(move || desk.history(&user, &id)).await {
        Ok((a, log)) => page(
            &state,
            Some(&s),
            StatusCode::OK,
            "History",
            html! {
                h1 { "History of “" (a.title) "”" }
                p { a href={"/activities/" (a.id)} { "Public page" } }
                (audit_log(&log))
            },
        ),
        Err(e) => fail(&state, &s, e),
    }
}

/// An evidence file or link, for the provider's editors and checkers only.
pub async fn evidence(
    State(state): State<AppState>,
    SignedIn(s): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return fail(&state, &s, WebError::NotFound);
    };
    let desk = state.desk.clone();
    let user = s.user.clone();
    let found = off_thread(move || {
        let item = desk.evidence_item(&user, id)?;
        let bytes = match desk.evidence_path(&item) {
            Some(path) => Some(std::fs::read(path).map_err(signpost_editorial::DeskError::Io)?),
            None => None,
        };
        Ok::<_, signpost_editorial::DeskError>((item, bytes))
    })
    .await;
    match found {
        Ok((item, Some(bytes))) => {
            let (ctype, name) = match &item.kind {
                EvidenceKind::File {
                    content_type,
                    original_name,
                    ..
                } => (
                    content_type.clone(),
                    // Files stored before names followed the type are renamed here too.
                    signpost_editorial::evidence::download_name(original_name, content_type),
                ),
                EvidenceKind::Link(_) => {
                    ("application/octet-stream".to_owned(), "evidence".to_owned())
                }
            };
            (
                [
                    (header::CONTENT_TYPE, ctype),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{name}\""),
                    ),
                    (header::CACHE_CONTROL, "private, no-store".to_owned()),
                ],
                bytes,
            )
                .into_response()
        }
        Ok((item, None)) => {
            let link = match &item.kind {
                EvidenceKind::Link(l) => l.clone(),
                EvidenceKind::File { .. } => String::new(),
            };
            page(
                &state,
                Some(&s),
                StatusCode::OK,
                "Evidence",
                html! {
                    h1 { (item.title) }
                    p { "A link given as evidence (check where it goes before you open it): " }
                    p { a href=(link) rel="noopener noreferrer nofollow" { (link) } }
                },
            )
        }
        Err(e) => fail(&state, &s, e),
    }
}
