//! Admins' pages: organisations and accounts. Invites and password resets are one-time
//! links shown here to pass on (Signpost does not send email yet).

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use signpost_accounts::Accounts;
use signpost_editorial::{Desk, DeskError};
use signpost_model::{Id, NewUser, Provider, Role, TokenPurpose, User};

use crate::session::{Session, SignedIn, check_csrf};
use crate::signed_in::{csrf_field, fail, field, page, problems};
use crate::{AppState, WebError, off_thread};

type Pairs = Vec<(String, String)>;

fn render_home(
    state: &AppState,
    s: &Session,
    status: StatusCode,
    users: &[User],
    providers: &[Provider],
    errors: &[String],
) -> Response {
    let body = html! {
        h1 { "Accounts and organisations" }
        (problems(errors))
        h2 { "Invite someone" }
        form.stack method="post" action="/admin/invite" {
            (csrf_field(s))
            label for="name" { "Name" }
            input #name type="text" name="name" required maxlength="100";
            label for="email" { "Email address" }
            input #email type="email" name="email" required;
            label for="role" { "Role" }
            select #role name="role" { @for r in Role::ALL { option value=(r.as_str()) { (r.label()) } } }
            label for="org" { "Organisation" }
            p.hint #org-hint { "For a provider editor: the organisation's short name (below). For a checker: the organisation they check for, e.g. “Hull Social Prescribing Service”." }
            input #org type="text" name="org" aria-describedby="org-hint" list="org-names";
            datalist #org-names { @for p in providers { option value=(p.id) { (p.name) } } }
            button type="submit" { "Make an invite link" }
        }
        h2 { "Accounts" }
        table.accounts {
            thead { tr { th scope="col" { "Who" } th scope="col" { "Role and organisation" } th scope="col" { "Change" } } }
            tbody {
                @for u in users {
                    tr {
                        td { (u.name) br; (u.email) @if u.disabled { br; strong { "Disabled" } } @else if !u.active { br; "Invited, not signed in yet" } }
                        td { (u.role.label()) @if let Some(p) = &u.provider_id { br; (p) } @if let Some(o) = &u.organisation { br; (o) } }
                        td {
                            form.stack method="post" action={"/admin/users/" (u.id)} {
                                (csrf_field(s))
                                label for={"role-" (u.id)} { "Role" }
                                select id={"role-" (u.id)} name="role" { @for r in Role::ALL { option value=(r.as_str()) selected[*r == u.role] { (r.label()) } } }
                                label for={"org-" (u.id)} { "Organisation" }
                                input id={"org-" (u.id)} type="text" name="org" value=(u.provider_id.as_ref().map(Id::as_str).or(u.organisation.as_deref()).unwrap_or(""));
                                div.check {
                                    input id={"disabled-" (u.id)} type="checkbox" name="disabled" value="on" checked[u.disabled];
                                    label for={"disabled-" (u.id)} { "Disabled (signs them out everywhere)" }
                                }
                                button type="submit" { "Save" }
                            }
                            form.inline method="post" action={"/admin/users/" (u.id) "/link"} {
                                (csrf_field(s))
                                button type="submit" { "New sign-in link" }
                            }
                        }
                    }
                }
            }
        }
        h2 { "Organisations (" (providers.len()) ")" }
        form.stack method="post" action="/admin/providers" {
            (csrf_field(s))
            label for="pname" { "Name" }
            input #pname type="text" name="name" required maxlength="200";
            label for="pid" { "Short name" }
            p.hint #pid-hint { "Lowercase letters, digits and dashes, e.g. hull-youth-theatre. It appears in web addresses and cannot be changed." }
            input #pid type="text" name="id" required pattern="[a-z0-9-]{1,80}" aria-describedby="pid-hint";
            button type="submit" { "Add organisation" }
        }
        ul { @for p in providers { li { (p.name) " (" (p.id) ") · " a href={"/check/providers/" (p.id)} { "safeguarding" } } } }
    };
    page(state, Some(s), status, "Accounts", body)
}

async fn home_with(
    state: AppState,
    s: Session,
    status: StatusCode,
    errors: Vec<String>,
) -> Response {
    let desk = state.desk.clone();
    let accounts = state.accounts.clone();
    let user = s.user.clone();
    let loaded = off_thread(move || {
        let users = desk.accounts(&user, &accounts)?;
        let providers = desk.providers(&user)?;
        Ok::<_, signpost_editorial::DeskError>((users, providers))
    })
    .await;
    match loaded {
        Ok((users, providers)) => render_home(&state, &s, status, &users, &providers, &errors),
        Err(e) => fail(&state, &s, e),
    }
}

pub async fn home(State(state): State<AppState>, SignedIn(s): SignedIn) -> Response {
    home_with(state, s, StatusCode::OK, Vec::new()).await
}

fn show_link(
    state: &AppState,
    s: &Session,
    user: &User,
    token: &str,
    purpose: TokenPurpose,
) -> Response {
    let link = format!("{}/account/password?token={token}", state.public_url());
    let lasts = match purpose {
        TokenPurpose::Invite => "7 days",
        TokenPurpose::Reset => "24 hours",
    };
    page(
        state,
        Some(s),
        StatusCode::OK,
        "Sign-in link",
        html! {
            h1 { "Send this link to " (user.name) }
            p { "It lets " (user.email) " choose a password. It works once, for " (lasts) ". Send it privately: anyone with it can use it." }
            p { code.link { (link) } }
            p { a href="/admin" { "Back to accounts" } }
        },
    )
}

/// One admin form: checks its token, runs the step off the async workers, then shows what
/// `done` makes of the result; the person's mistakes go back on the accounts page.
async fn admin_step<T: Send + 'static>(
    state: AppState,
    s: Session,
    form: &[(String, String)],
    step: impl FnOnce(&Desk, &Accounts, &User) -> Result<T, DeskError> + Send + 'static,
    done: impl FnOnce(&AppState, &Session, T) -> Response,
) -> Response {
    if let Some(r) = check_csrf(&state, &s, form) {
        return r;
    }
    let desk = state.desk.clone();
    let accounts = state.accounts.clone();
    let user = s.user.clone();
    match off_thread(move || step(&desk, &accounts, &user)).await {
        Ok(value) => done(&state, &s, value),
        Err(WebError::Invalid(p)) => home_with(state, s, StatusCode::BAD_REQUEST, p).await,
        Err(WebError::Conflict(m)) => home_with(state, s, StatusCode::CONFLICT, vec![m]).await,
        Err(e) => fail(&state, &s, e),
    }
}

fn back_to_accounts<T>(_: &AppState, _: &Session, _: T) -> Response {
    Redirect::to("/admin").into_response()
}

fn role_of(form: &[(String, String)]) -> Result<Role, DeskError> {
    Role::parse(field(form, "role")).ok_or_else(|| DeskError::Invalid(vec!["choose a role".into()]))
}

fn user_id(id: &str) -> Result<i64, DeskError> {
    id.parse().map_err(|_| DeskError::NotFound)
}

pub async fn invite(
    State(state): State<AppState>,
    SignedIn(s): SignedIn,
    Form(form): Form<Pairs>,
) -> Response {
    let sent = form.clone();
    let step = move |desk: &Desk, accounts: &Accounts, user: &User| {
        let role = role_of(&sent)?;
        let org = field(&sent, "org").trim().to_owned();
        let provider_id = match role {
            Role::Provider => Some(Id::parse(&org).map_err(|_| {
                DeskError::Invalid(vec![
                    "give the organisation's short name for a provider editor".into(),
                ])
            })?),
            _ => None,
        };
        let new = NewUser {
            email: field(&sent, "email").to_owned(),
            name: field(&sent, "name").to_owned(),
            role,
            provider_id,
            organisation: (role == Role::Checker).then_some(org),
        };
        desk.invite(user, accounts, new)
    };
    admin_step(state, s, &form, step, |state, s, (u, token)| {
        show_link(state, s, &u, &token, TokenPurpose::Invite)
    })
    .await
}

pub async fn update_user(
    State(state): State<AppState>,
    SignedIn(s): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<Pairs>,
) -> Response {
    let sent = form.clone();
    let step = move |desk: &Desk, accounts: &Accounts, user: &User| {
        let id = user_id(&id)?;
        let role = role_of(&sent)?;
        let disabled = field(&sent, "disabled") == "on";
        desk.update_account(user, accounts, id, role, field(&sent, "org"), disabled)
    };
    admin_step(state, s, &form, step, back_to_accounts).await
}

pub async fn new_link(
    State(state): State<AppState>,
    SignedIn(s): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<Pairs>,
) -> Response {
    let step = move |desk: &Desk, accounts: &Accounts, user: &User| {
        desk.reset_link(user, accounts, user_id(&id)?)
    };
    admin_step(state, s, &form, step, |state, s, (u, token)| {
        let purpose = if u.active {
            TokenPurpose::Reset
        } else {
            TokenPurpose::Invite
        };
        show_link(state, s, &u, &token, purpose)
    })
    .await
}

pub async fn create_provider(
    State(state): State<AppState>,
    SignedIn(s): SignedIn,
    Form(form): Form<Pairs>,
) -> Response {
    let (id, name) = (
        field(&form, "id").to_owned(),
        field(&form, "name").to_owned(),
    );
    let step = move |desk: &Desk, _: &Accounts, user: &User| desk.create_provider(user, &id, &name);
    admin_step(state, s, &form, step, back_to_accounts).await
}
