//! A link worker's shortlist and the handout printed from it.
//!
//! The shortlist lives in the address (`list=id.id.id`), so it can be bookmarked, shared and
//! opened on another device, and nothing about who looked at what is kept on the server. A
//! cookie remembers the last list so it survives following a link that does not carry it;
//! "Clear the shortlist" empties both. Adding and removing are plain GET forms: they change
//! nothing on the server, so they work with JavaScript off and with the back button.
//!
//! The handout carries a QR code (drawn here, no outside service) of the full address, and a
//! short link made of each listing's 8-character reference (`Id::reference`) for typing from
//! paper: `/s/K7Q2M9XD-4HZP0QWE`.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use maud::{Markup, PreEscaped, html};
use signpost_directory::{ActivityPage, Standing, decode_query};
use signpost_model::{Id, SafeguardingStatus, weekday_title};

use crate::chrome::{error_page, respond};
use crate::format::{self, long_date};
use crate::{AppState, WebError, blocking};

pub(crate) const COOKIE: &str = "signpost_shortlist";
/// More than a link worker would hand over at once, and keeps addresses and QR codes small.
pub(crate) const MAX: usize = 20;
/// Thirty days.
const COOKIE_SECS: i64 = 30 * 24 * 3600;

/// Listing ids in the order they were added.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Shortlist {
    ids: Vec<Id>,
}

impl Shortlist {
    /// Reads `id.id.id` (commas and spaces also separate). Anything that is not an id is
    /// dropped, repeats are kept once, and only the first [`MAX`] count.
    pub(crate) fn parse(text: &str) -> Self {
        let mut ids: Vec<Id> = Vec::new();
        for part in text.split(['.', ',', ' ']) {
            if let Ok(id) = Id::parse(part.trim())
                && !ids.contains(&id)
                && ids.len() < MAX
            {
                ids.push(id);
            }
        }
        Shortlist { ids }
    }

    /// The list the address names when it has a `list` parameter (even an empty one), else
    /// the one the cookie remembers.
    pub(crate) fn current(pairs: &[(String, String)], headers: &HeaderMap) -> Self {
        Self::in_address(pairs).unwrap_or_else(|| Self::remembered(headers))
    }

    fn in_address(pairs: &[(String, String)]) -> Option<Self> {
        pairs
            .iter()
            .rev()
            .find(|(k, _)| k == "list")
            .map(|(_, v)| Self::parse(v))
    }

    fn remembered(headers: &HeaderMap) -> Self {
        crate::session::cookie_text(headers, COOKIE)
            .map(|v| Self::parse(&v))
            .unwrap_or_default()
    }

    pub(crate) fn encoded(&self) -> String {
        self.ids
            .iter()
            .map(Id::as_str)
            .collect::<Vec<_>>()
            .join(".")
    }

    pub(crate) fn ids(&self) -> &[Id] {
        &self.ids
    }

    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub(crate) fn contains(&self, id: &Id) -> bool {
        self.ids.contains(id)
    }

    fn with(mut self, id: Id) -> Self {
        if !self.ids.contains(&id) && self.ids.len() < MAX {
            self.ids.push(id);
        }
        self
    }

    fn without(mut self, id: &Id) -> Self {
        self.ids.retain(|x| x != id);
        self
    }

    /// The cookie that remembers this list (or forgets it, when empty).
    fn cookie(&self, secure: bool) -> HeaderValue {
        let (value, age) = if self.is_empty() {
            (String::new(), 0)
        } else {
            (self.encoded(), COOKIE_SECS)
        };
        crate::session::set_cookie(COOKIE, &value, age, secure)
    }

    /// `/shortlist?list=...`
    pub(crate) fn page_href(&self) -> String {
        format!("/shortlist?list={}", self.encoded())
    }
}

/// `back` with its `list` parameter set to `list`. Only addresses on this site: anything
/// else (`//evil.example`, `https://...`) becomes the search page, so the form cannot be
/// used to send people elsewhere.
pub(crate) fn with_list(back: &str, list: &Shortlist) -> String {
    let back = crate::redirect::local(back).unwrap_or("/");
    let (path, query) = back.split_once('?').unwrap_or((back, ""));
    let mut pairs: Vec<(String, String)> = decode_query(query)
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| k != "list")
        .collect();
    pairs.push(("list".to_owned(), list.encoded()));
    let qs = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    format!("{path}?{qs}")
}

/// The add or remove button for one listing. `back` is the page it sits on.
pub(crate) fn toggle_button(id: &Id, title: &str, list: &Shortlist, back: &str) -> Markup {
    let on = list.contains(id);
    html! {
        form.shortlist-toggle method="get" action=(if on { "/shortlist/remove" } else { "/shortlist/add" }) {
            input type="hidden" name="id" value=(id);
            input type="hidden" name="list" value=(list.encoded());
            input type="hidden" name="back" value=(back);
            @if on {
                button.secondary type="submit" { "Remove from shortlist" span.visually-hidden { ": " (title) } }
            } @else {
                button.secondary type="submit" { "Add to shortlist" span.visually-hidden { ": " (title) } }
            }
        }
    }
}

/// The bar on search and listing pages saying what is on the shortlist.
pub(crate) fn bar(list: &Shortlist) -> Markup {
    html! {
        @if !list.is_empty() {
            p.shortlist-bar role="status" {
                "Your shortlist has " (list.len()) @if list.len() == 1 { " activity. " } @else { " activities. " }
                a href=(list.page_href()) { "See it and print a handout" }
            }
        }
    }
}

/// The search page the shortlist was opened from, by the `Referer` this site's own pages
/// send (its policy is same-origin). It is not put in the shortlist's address, which people
/// are told to share: the search can say more about a young person than the list does.
fn search_from(state: &AppState, headers: &HeaderMap) -> Option<String> {
    let referer = headers.get(axum::http::header::REFERER)?.to_str().ok()?;
    let path = referer.strip_prefix(&state.site_base(headers))?;
    crate::redirect::local(path)
        .filter(|f| *f == "/" || f.starts_with("/?"))
        .map(str::to_owned)
}

fn query_pairs(raw: Option<String>) -> Vec<(String, String)> {
    decode_query(raw.as_deref().unwrap_or("")).unwrap_or_default()
}

fn value<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// Sets the cookie that remembers `list` (or forgets it, when empty).
fn remember(state: &AppState, list: &Shortlist, resp: &mut Response) {
    resp.headers_mut()
        .append(header::SET_COOKIE, list.cookie(state.secure_cookies()));
}

fn moved(state: &AppState, to: &str, list: &Shortlist) -> Response {
    let mut resp = crate::redirect::to_local(to, "/shortlist");
    remember(state, list, &mut resp);
    resp
}

/// `GET /shortlist/add?id=..&list=..&back=..`
pub async fn add(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    change(&state, &headers, raw, true)
}

/// `GET /shortlist/remove?id=..&list=..&back=..`
pub async fn remove(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    change(&state, &headers, raw, false)
}

fn change(state: &AppState, headers: &HeaderMap, raw: Option<String>, add: bool) -> Response {
    let pairs = query_pairs(raw);
    let list = Shortlist::current(&pairs, headers);
    let Ok(id) = Id::parse(value(&pairs, "id")) else {
        return error_page(
            state,
            WebError::BadRequest(signpost_directory::ParamError {
                param: "id".to_owned(),
                message: "that is not a listing we can add to the shortlist".to_owned(),
            }),
        );
    };
    if add && !list.contains(&id) && list.len() >= MAX {
        return error_page(
            state,
            WebError::Conflict(format!(
                "A shortlist holds up to {MAX} activities. Remove one to add another."
            )),
        );
    }
    let next = if add {
        list.with(id.clone())
    } else {
        list.without(&id)
    };
    let back = match value(&pairs, "back") {
        "" => "/shortlist",
        b => b,
    };
    // Back to the same place on a search page: the card of the listing just added or removed.
    let mut to = with_list(back, &next);
    if to.starts_with("/?") {
        to = format!("{to}#r-{id}");
    }
    moved(state, &to, &next)
}

/// `GET /shortlist/clear`
pub async fn clear(State(state): State<AppState>) -> Response {
    let empty = Shortlist::default();
    moved(&state, "/shortlist?list=", &empty)
}

/// The list a request names (its address, else its cookie), with its listings.
struct Listed {
    list: Shortlist,
    /// The search it was opened from (see [`search_from`]), else the search page.
    more: String,
    /// The list came in the address: it is the one to remember.
    in_address: bool,
    pages: Vec<ActivityPage>,
    today: NaiveDate,
}

async fn listed(
    state: &AppState,
    headers: &HeaderMap,
    raw: Option<String>,
) -> Result<Listed, WebError> {
    let pairs = query_pairs(raw);
    let list = Shortlist::current(&pairs, headers);
    let (pages, today) = pages_of(state, &list).await?;
    Ok(Listed {
        more: with_list(search_from(state, headers).as_deref().unwrap_or("/"), &list),
        in_address: Shortlist::in_address(&pairs).is_some(),
        list,
        pages,
        today,
    })
}

/// The listings on the list, in its order, skipping any that no longer exist.
async fn pages_of(
    state: &AppState,
    list: &Shortlist,
) -> Result<(Vec<ActivityPage>, NaiveDate), WebError> {
    let ids = list.ids().to_vec();
    blocking(state, move |d| {
        let mut out = Vec::new();
        for id in &ids {
            if let Some(page) = d.activity(id.as_str())? {
                out.push(page);
            }
        }
        Ok((out, d.today()))
    })
    .await
}

/// `GET /shortlist?list=..`
pub async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let Listed {
        list,
        more,
        in_address,
        pages,
        today,
    } = match listed(&state, &headers, raw).await {
        Ok(found) => found,
        Err(e) => return error_page(&state, e),
    };
    let back = list.page_href();
    let share = format!("{}{}", state.site_base(&headers), list.page_href());
    let body = html! {
        h1 { "Your shortlist" }
        @if pages.is_empty() {
            p { "Your shortlist is empty. Search for activities and choose " strong { "Add to shortlist" } " on the ones to talk about or hand over." }
            p { a href="/" { "Search for activities" } }
        } @else {
            p { "Nothing is saved about you: the list lives in this page's address. Bookmark it or send the address to come back to it." }
            ul.actions {
                li { a.button href={"/shortlist/handout?list=" (list.encoded())} { "Print a handout" } }
                li { a href=(more) { "Add more from search" } }
                li { a href="/shortlist/clear" { "Clear the shortlist" } }
            }
            ol.shortlist {
                @for p in &pages {
                    @let a = &p.activity;
                    li {
                        h2 { a href={"/activities/" (a.id)} { (a.title) } }
                        p.provider { (p.provider.name) }
                        @if p.standing() != Standing::Live {
                            p.warning { "This activity is no longer running." }
                        } @else {
                            ul.facts {
                                @if let Some(next) = &p.next_session { li { "Next: " (format::occurrence(next, today)) } }
                                li { (a.cost.label()) }
                                li { (a.ages_label()) }
                                li { (status_words(p.safeguarding)) }
                            }
                        }
                        (toggle_button(&a.id, &a.title, &list, &back))
                    }
                }
            }
            p { "Share this shortlist: " code.share { (share) } }
        }
    };
    let mut resp = respond(&state, StatusCode::OK, "Your shortlist", body);
    if in_address {
        remember(&state, &list, &mut resp);
    }
    resp
}

fn status_words(s: SafeguardingStatus) -> &'static str {
    match s {
        SafeguardingStatus::Verified => "Safeguarding checked",
        SafeguardingStatus::Expired => "Safeguarding check out of date",
        SafeguardingStatus::SelfDeclared => "Safeguarding described by the group, not checked",
        SafeguardingStatus::NotChecked => "Safeguarding not checked",
    }
}

/// The QR code of `text` as inline SVG. The text is a URL this server made, never a
/// listing's words, so the markup is the QR library's own.
fn qr_svg(text: &str) -> Option<Markup> {
    let code =
        qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(160, 160)
        .dark_color(qrcode::render::svg::Color("#000"))
        .light_color(qrcode::render::svg::Color("#fff"))
        .quiet_zone(true)
        .build();
    // Inline in the page: drop the XML declaration a standalone file would have.
    let start = svg.find("<svg")?;
    let svg = svg[start..].replacen(
        "<svg",
        "<svg role=\"img\" aria-label=\"QR code that opens this shortlist on a phone\"",
        1,
    );
    Some(PreEscaped(svg))
}

/// `GET /shortlist/handout?list=..`: the page to print and hand over.
pub async fn handout(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let Listed { pages, today, .. } = match listed(&state, &headers, raw).await {
        Ok(found) => found,
        Err(e) => return error_page(&state, e),
    };
    let pages: Vec<&ActivityPage> = pages
        .iter()
        .filter(|p| p.standing() == Standing::Live)
        .collect();
    if pages.is_empty() {
        return respond(
            &state,
            StatusCode::OK,
            "Handout",
            html! {
                h1 { "Nothing to print yet" }
                p { "Add activities to your shortlist first. " a href="/" { "Search for activities" } }
            },
        );
    }
    let base = state.site_base(&headers);
    let kept = Shortlist {
        ids: pages.iter().map(|p| p.activity.id.clone()).collect(),
    };
    let full = format!("{base}{}", kept.page_href());
    let refs: Vec<String> = kept.ids.iter().map(Id::reference).collect();
    let short = format!("{base}/s/{}", refs.join("-"));
    let body = html! {
        article.handout {
            header.handout-head {
                h1 { "Things you could try" }
                p { "Made on " (long_date(today)) " with Signpost. Details change: check with the group before you go." }
            }
            @for p in &pages {
                @let a = &p.activity;
                section.handout-item {
                    h2 { (a.title) }
                    p.provider { "Run by " (p.provider.name) }
                    dl {
                        dt { "When" }
                        dd {
                            @if a.schedule.weekly.is_empty() && a.schedule.dated.is_empty() { "Ask the group" }
                            @for w in &a.schedule.weekly {
                                "Every " (weekday_title(w.day)) ", " (w.start) " to " (w.end)
                                @if let Some(l) = w.term.label() { " (" (l) ")" }
                                @if let Some(t) = w.valid_to { ", until " (long_date(t)) }
                                br;
                            }
                            @for d in a.schedule.dated.iter().filter(|d| d.date >= today).take(6) {
                                (long_date(d.date)) ", " (d.start) " to " (d.end) br;
                            }
                            @if let Some(next) = &p.next_session { strong { "Next: " (format::occurrence(next, today)) } }
                        }
                        dt { "Where" }
                        dd {
                            @if a.venues.is_empty() { @if a.online { "Online" } @else { "Ask the group" } }
                            @for v in &a.venues {
                                (v.name)
                                @if !v.address.is_empty() { ", " (v.address) }
                                @if let Some(pc) = &v.postcode { ", " (pc) }
                                br;
                            }
                        }
                        dt { "Ages" } dd { (a.ages_label()) }
                        dt { "Cost" }
                        dd {
                            (a.cost.label())
                            @if let Some(c) = &a.cost.concessions { ". " (c) }
                            @if a.cost.bursary { ". Help with the cost is available." }
                        }
                        dt { "How to join" }
                        dd {
                            @if a.join.methods.is_empty() { "Get in touch with the group." }
                            @for (i, m) in a.join.methods.iter().enumerate() { @if i > 0 { "; " } (m.label()) }
                            @if !a.join.notes.is_empty() { br; (a.join.notes) }
                            @for n in &a.join.newcomers { br; (n.label()) }
                        }
                        dt { "Contact" }
                        dd {
                            @let c = &a.join.contact;
                            @if let Some(e) = c.email.as_ref().or(p.provider.email.as_ref()) { "Email " (e) br; }
                            @if let Some(t) = c.phone.as_ref().or(p.provider.phone.as_ref()) { "Phone " (t) br; }
                            @if let Some(u) = c.url.as_ref().or(p.provider.website.as_ref()) { "Web " (u) }
                        }
                        dt { "Keeping children safe" }
                        dd {
                            (status_words(p.safeguarding))
                            @if let Some(check) = p.provider.verification.check() {
                                @match p.safeguarding {
                                    SafeguardingStatus::Verified => { ": checked for " (check.on_behalf_of) " on " (long_date(check.checked_on)) "." },
                                    SafeguardingStatus::Expired => { ": last checked " (long_date(check.checked_on)) ", now out of date." },
                                    _ => {},
                                }
                            }
                        }
                    }
                    p.ref { "Reference " (a.id.reference()) }
                }
            }
            footer.handout-link {
                @if let Some(svg) = qr_svg(&full) { div.qr { (svg) } }
                div {
                    p { "Scan the code, or type this link, to open this list on a phone:" }
                    p.short { (short) }
                }
            }
        }
        p.no-print { "Use your browser's Print command to print this page. " a href=(kept.page_href()) { "Back to the shortlist" } }
    };
    respond(&state, StatusCode::OK, "Handout", body)
}

/// `GET /s/{refs}`: a short link typed from a handout.
pub async fn short(State(state): State<AppState>, Path(refs): Path<String>) -> Response {
    let typed: Vec<String> = refs
        .split(['-', '.', '+', ',', ' '])
        .filter(|r| !r.trim().is_empty())
        .take(MAX)
        .map(str::to_owned)
        .collect();
    let asked = typed.clone();
    let found = blocking(&state, move |d| {
        asked
            .iter()
            .map(|r| d.resolve_reference(r))
            .collect::<Result<Vec<_>, _>>()
    })
    .await;
    let found = match found {
        Ok(f) => f,
        Err(e) => return error_page(&state, e),
    };
    let mut list = Shortlist::default();
    let mut missing = Vec::new();
    for (r, ids) in typed.iter().zip(found) {
        if ids.is_empty() {
            missing.push(r.clone());
        }
        for id in ids {
            list = list.with(id);
        }
    }
    if missing.is_empty() && !list.is_empty() {
        return Redirect::to(&list.page_href()).into_response();
    }
    respond(
        &state,
        StatusCode::NOT_FOUND,
        "Link not found",
        html! {
            h1 { "We could not find everything on that link" }
            p { "These references did not match a listing: " (missing.join(", ")) ". Check the letters and numbers on the handout (0 is zero, 1 is one)." }
            @if !list.is_empty() {
                p { a href=(list.page_href()) { "See the ones we found" } }
            }
            p { a href="/" { "Search for activities" } }
        },
    )
}
