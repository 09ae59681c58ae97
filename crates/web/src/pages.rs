//! The server-rendered pages. Plain HTML forms and links: everything works with JavaScript off,
//! the search form is a GET so every search has a shareable address and the back button works.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use maud::{Markup, html};
use signpost_directory::params::{Chosen, param_named};
use signpost_directory::{AccessNeed, Hit, How, Matched, Part, Reading, Sort};
use signpost_directory::{
    ActivityPage, ProviderPage, SearchOutcome, SearchParams, Standing, decode_query,
};
use signpost_model::{
    Activity, Category, Coordinates, Email, Gender, JoinMethod, LONDON, Newcomer, Phone, Provider,
    Safeguarding, SafeguardingStatus, Venue, Verification, WebUrl, weekday_title,
};

use crate::chrome::{error_page, respond};
use crate::format::{self, long_date};
use crate::map::{self, MapTiles};
use crate::shortlist::{self, Shortlist};
use crate::views::timetable;
use crate::{AppState, WebError, blocking};

type Pairs = Vec<(String, String)>;

fn raw<'a>(pairs: &'a Pairs, name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, v)| k == name && !v.is_empty())
        .map_or("", |(_, v)| v.as_str())
}

fn has(pairs: &Pairs, name: &str, value: &str) -> bool {
    pairs.iter().any(|(k, v)| k == name && v == value)
}

/// The current search's address with some parameters changed.
fn href(pairs: &Pairs, drop: &[&str], add: &[(&str, &str)]) -> String {
    let mut kept: Vec<(&str, &str)> = pairs
        .iter()
        .filter(|(k, v)| !v.is_empty() && !drop.contains(&k.as_str()))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    kept.extend_from_slice(add);
    let qs = serde_urlencoded::to_string(&kept).unwrap_or_default();
    if qs.is_empty() {
        "/".to_owned()
    } else {
        format!("/?{qs}")
    }
}

/// The form field a search parameter is typed into, for pointing at it when it is wrong.
fn field_for(param: &str) -> Option<&'static str> {
    param_named(param).and_then(|p| p.field)
}

fn select(
    name: &str,
    label: &str,
    current: &str,
    options: &[(&str, &str)],
    invalid: bool,
) -> Markup {
    html! {
        div.field {
            label for=(name) { (label) }
            select id=(name) name=(name) aria-invalid=[invalid.then_some("true")]
                aria-describedby=[invalid.then_some("search-error")] {
                @for (value, text) in options {
                    option value=(value) selected[*value == current] { (text) }
                }
            }
        }
    }
}

/// The search form, filled in from `pairs`; `chosen` is the folded filters' summary.
fn search_form(
    pairs: &Pairs,
    error: Option<&signpost_directory::ParamError>,
    chosen: &[String],
) -> Markup {
    let bad_field = error.and_then(|e| field_for(&e.param));
    let bad = |id: &str| bad_field == Some(id);
    let invalid = |id: &str| bad(id).then_some("true");
    let described = |id: &str| bad(id).then_some("search-error");
    let near = [
        raw(pairs, "near"),
        raw(pairs, "postcode"),
        raw(pairs, "place"),
    ]
    .into_iter()
    .find(|s| !s.is_empty())
    .unwrap_or("");
    // On a phone the extra filters would push the results off the screen, so they stay
    // folded unless something in them needs fixing; the summary line says what is chosen.
    let when_options: Vec<(&str, &str)> = std::iter::once(("", "Any time"))
        .chain(signpost_directory::When::ALL.map(|w| (w.as_str(), w.label())))
        .collect();
    let more_open = error
        .and_then(|e| param_named(&e.param))
        .is_some_and(|p| p.folded && p.field.is_some());
    let radius = raw(pairs, "radius_km");
    let mut radii: Vec<(&str, &str)> = vec![
        ("", "Usual distance"),
        ("1", "1 km"),
        ("2", "2 km"),
        ("5", "5 km"),
        ("10", "10 km"),
        ("25", "25 km"),
        ("50", "50 km"),
    ];
    let custom = format!("{radius} km");
    if !radius.is_empty() && !radii.iter().any(|(v, _)| *v == radius) {
        radii.push((radius, &custom));
    }
    let days: Vec<(String, String)> = std::iter::once((String::new(), "Any day".to_owned()))
        .chain(signpost_model::WEEK.map(|d| {
            (
                signpost_model::weekday_name(d).to_owned(),
                weekday_title(d).to_owned(),
            )
        }))
        .collect();
    let days: Vec<(&str, &str)> = days.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    html! {
        form.search method="get" action="/" role="search" {
            @if !raw(pairs, "list").is_empty() {
                input type="hidden" name="list" value=(raw(pairs, "list"));
            }
            @if let Some(e) = error {
                div.error role="alert" {
                    h2 { "Please check your search" }
                    @match field_for(&e.param) {
                        Some(id) => { p #search-error { a href={"#" (id)} { (e.message) } } },
                        None => { p #search-error { (e.message) } },
                    }
                }
            }
            div.field {
                label for="q" { "What do you want to do?" }
                input #q aria-invalid=[invalid("q")] aria-describedby=[described("q")] type="search" name="q" value=(raw(pairs, "q")) maxlength="200"
                    placeholder="football, art, youth club…" autocomplete="off";
            }
            div.row {
                div.field {
                    label for="near" { "Postcode or town" }
                    input #near aria-invalid=[invalid("near")] aria-describedby=[described("near")] type="text" name="near" value=(near) maxlength="100"
                        placeholder="HU5 or Hull" autocomplete="postal-code";
                }
                (select("radius_km", "How far", radius, &radii, bad("radius_km")))
                div.field.age {
                    label for="age" { "Age" }
                    input #age aria-invalid=[invalid("age")] aria-describedby=[described("age")] type="number" name="age" min="0" max="120" inputmode="numeric" value=(raw(pairs, "age"));
                }
            }
            details.more open[more_open] {
                summary {
                    "More filters"
                    @if !chosen.is_empty() { span.chosen { ": " (chosen.join(", ")) } }
                }
                div.row {
                    (select("when", "When", raw(pairs, "when"), &when_options, bad("when")))
                    (select("day", "Day", raw(pairs, "day"), &days, bad("day")))
                    (select("gender", "Who for", raw(pairs, "gender"), &[("", "Anyone"), ("girls", "Girls (mixed and girls-only)"), ("boys", "Boys (mixed and boys-only)"), ("mixed", "Mixed groups only")], bad("gender")))
                }
                fieldset {
                    legend { "Cost" }
                    label.check { input type="checkbox" name="free" value="true" checked[has(pairs, "free", "true")]; " Free only" }
                    div.field.inline {
                        label for="max_price" { "Most I can pay per session (£)" }
                        input #max_price aria-invalid=[invalid("max_price")] aria-describedby=[described("max_price")] type="text" inputmode="decimal" name="max_price" size="5" value=(raw(pairs, "max_price"));
                    }
                }
                fieldset {
                    legend { "Type of activity" }
                    div.checks {
                        @for c in Category::ALL {
                            label.check { input type="checkbox" name="category" value=(c.slug()) checked[has(pairs, "category", c.slug())]; " " (c.name()) }
                        }
                    }
                }
                fieldset {
                    legend { "Access needs" }
                    @for a in AccessNeed::ALL {
                        label.check { input type="checkbox" name="access" value=(a.as_str()) checked[has(pairs, "access", a.as_str())]; " " (a.label()) }
                    }
                }
                div.field {
                    label for="language" { "Language spoken (besides English)" }
                    input #language aria-invalid=[invalid("language")] aria-describedby=[described("language")] type="text" name="language" maxlength="40" value=(raw(pairs, "language")) placeholder="Polish, BSL…";
                }
                fieldset {
                    legend { "How to join" }
                    @for m in [JoinMethod::DropIn, JoinMethod::SelfReferral] {
                        label.check { input type="checkbox" name="join" value=(m.as_str()) checked[has(pairs, "join", m.as_str())]; " " (m.label()) }
                    }
                }
                fieldset {
                    legend { "Going for the first time" }
                    @for n in Newcomer::ALL {
                        label.check { input type="checkbox" name="newcomers" value=(n.as_str()) checked[has(pairs, "newcomers", n.as_str())]; " " (n.filter_label()) }
                    }
                }
                fieldset {
                    legend { "Safety" }
                    label.check { input type="checkbox" name="checked" value="true" checked[has(pairs, "checked", "true")]; " Only groups whose safeguarding has been checked" }
                }
                (select("sort", "Show first", raw(pairs, "sort"), &[("", "Best match"), ("distance", "Nearest"), ("confirmed", "Most recently checked as running")], bad("sort")))
            }
            @if near.is_empty() && !raw(pairs, "lat").is_empty() {
                input type="hidden" name="lat" value=(raw(pairs, "lat"));
                input type="hidden" name="lon" value=(raw(pairs, "lon"));
            }
            button type="submit" { "Search" }
        }
    }
}

/// The parts of a safeguarding record that are in place, in a few words.
fn record_summary(s: &Safeguarding, today: NaiveDate) -> String {
    let parts: Vec<&str> = [
        (s.policy.is_some(), "written policy"),
        (s.designated_lead_role.is_some(), "named lead"),
        (s.enhanced_dbs, "DBS checks"),
        (s.insured_on(today), "insurance"),
        (s.first_aid, "first aid"),
    ]
    .into_iter()
    .filter_map(|(has, name)| has.then_some(name))
    .collect();
    parts.join(", ")
}

/// A short badge that says exactly what was checked, and when.
fn badge(
    status: SafeguardingStatus,
    verification: &Verification,
    record: &Safeguarding,
    today: NaiveDate,
) -> Markup {
    let summary = record_summary(record, today);
    match (status, verification.check()) {
        (SafeguardingStatus::Verified, Some(c)) => html! {
            p.badge.verified {
                "✓ Safety checked by " (c.on_behalf_of) " on " (long_date(c.checked_on))
                @if !summary.is_empty() { ": " (summary) }
            }
        },
        (SafeguardingStatus::Expired, Some(c)) => html! {
            p.badge.expired { "Safety check out of date (it ran out on " (long_date(c.expires_on)) ")" }
        },
        (SafeguardingStatus::SelfDeclared, _) => html! {
            p.badge.declared {
                "Safety details from the group, not checked yet"
                @if !summary.is_empty() { ": they say they have " (summary) }
            }
        },
        _ => {
            html! { p.badge.unchecked { "Safety not checked: ask the group how they keep children safe" } }
        }
    }
}

/// The venue a result's map marker stands on: the one nearest the place searched (the search
/// found it), else the first.
fn marker_venue(hit: &Hit) -> Option<Coordinates> {
    let venues = &hit.item.activity.venues;
    hit.nearest_venue
        .and_then(|i| venues.get(i))
        .or(venues.first())
        .map(|v| v.coordinates)
}

/// A listing's description in one line for its card: the first sentence, cut at a word
/// before 120 characters.
fn one_line(description: &str) -> String {
    const MOST: usize = 120;
    let first = description
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    let sentence = match first.find(". ") {
        Some(end) => &first[..=end],
        None => first,
    };
    format::cut_at_word(sentence, MOST, &[',', ';', ':', ' '])
}

/// Where a venue is, in a few words: its name and its town (the last part of its address),
/// else its postcode district: "Pickering Park Pavilion, Hull".
fn where_line(v: &Venue) -> String {
    let town = v
        .address
        .rsplit(',')
        .next()
        .map(str::trim)
        .filter(|t| !t.is_empty() && !t.starts_with(|c: char| c.is_ascii_digit()))
        .filter(|t| !v.name.contains(t))
        .map(str::to_owned)
        .or_else(|| v.postcode.as_ref().map(|p| p.district().to_owned()));
    match town {
        Some(t) => format!("{}, {t}", v.name),
        None => v.name.clone(),
    }
}

/// Why a result is there, when its title and provider's name do not show it: "Matches judo,
/// for “martial”; “skate” in the description". None when they do.
fn why_line(matched: &[Matched]) -> Option<String> {
    if matched
        .iter()
        .all(|m| matches!(m.how, How::Itself(Part::Title | Part::Provider)))
    {
        return None;
    }
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for m in matched {
        let word = &m.word;
        match &m.how {
            How::Itself(Part::Title | Part::Provider) => found.push(format!("“{word}”")),
            How::Itself(Part::Kind(kind)) => found.push(format!("“{word}”: listed as {kind}")),
            How::Itself(Part::Description) => found.push(format!("“{word}” in the description")),
            How::Means(alt, _) => found.push(format!("{alt}, for “{word}”")),
            How::Near(close, _) => found.push(format!("{close}, for “{word}”")),
            How::Missing => missing.push(format!("“{word}”")),
        }
    }
    let mut line = String::new();
    if !found.is_empty() {
        line = format!("Matches {}", found.join("; "));
    }
    if !missing.is_empty() {
        let sep = if line.is_empty() {
            "Does not mention "
        } else {
            "; not "
        };
        line.push_str(sep);
        line.push_str(&missing.join(" or "));
    }
    Some(line)
}

fn result_card(
    hit: &Hit,
    today: NaiveDate,
    list: &Shortlist,
    back: &str,
    point: Option<(String, String)>,
    why: Option<String>,
) -> Markup {
    let a = &hit.item.activity;
    let link = if list.is_empty() {
        format!("/activities/{}", a.id)
    } else {
        shortlist::with_list(&format!("/activities/{}", a.id), list)
    };
    let (lat, lon) = point.unzip();
    let venue = hit
        .nearest_venue
        .and_then(|i| a.venues.get(i))
        .or(a.venues.first());
    html! {
        li.result id={"r-" (a.id)} data-lat=[lat] data-lon=[lon] {
            h3 { a href=(link) { (a.title) } }
            p.provider { (hit.item.provider.name) }
            @if let Some(v) = venue {
                p.where { span.visually-hidden { "Where: " } (where_line(v))
                    @if a.venues.len() > 1 { " (and " (a.venues.len() - 1) " more)" } }
            }
            @if !a.description.trim().is_empty() {
                p.summary { (one_line(&a.description)) }
            }
            @if let Some(why) = why {
                p.why { (why) }
            }
            ul.facts {
                @if let Some(d) = hit.distance_km { li.distance { (format::distance(d)) } }
                @if let Some(next) = &hit.next_session {
                    li { "Next: " (format::occurrence(next, today)) }
                } @else {
                    li { "Ask about times" }
                }
                li { (a.cost.label()) }
                li { (a.ages_label()) }
                @if a.gender != Gender::Mixed { li { (a.gender.label()) } }
                @if a.online && a.venues.is_empty() { li { "Online" } }
                @if hit.stale { li.stale { "May be out of date" } }
            }
            (badge(hit.safeguarding, &hit.item.provider.verification, &hit.item.provider.safeguarding, today))
            (shortlist::toggle_button(&a.id, &a.title, list, back))
        }
    }
}

fn results(
    outcome: &SearchOutcome,
    pairs: &Pairs,
    today: NaiveDate,
    list: &Shortlist,
    tiles: Option<&MapTiles>,
) -> Markup {
    let back = href(pairs, &["list"], &[]);
    let r = &outcome.results;
    let p = &outcome.params;
    let pages = r.total.div_ceil(p.per_page).max(1);
    html! {
        section.results aria-labelledby="results-heading" {
            h2 #results-heading {
                (r.total) @if r.total == 1 { " activity" } @else { " activities" }
                @if let Some(l) = &outcome.located {
                    " within " (outcome.radius_km.unwrap_or_default()) " km of " (l.label)
                }
            }
            @if let Some(l) = &outcome.located {
                @if !l.exact {
                    p.note { "We do not have that exact postcode, so we searched from the middle of " (l.label) "." }
                }
            }
            @if !outcome.corrected.is_empty() {
                p.note {
                    "Showing results for "
                    @for (i, (_, to)) in outcome.corrected.iter().enumerate() {
                        @if i > 0 { ", " }
                        "“" (to) "”"
                    }
                    " (you typed "
                    @for (i, (from, _)) in outcome.corrected.iter().enumerate() {
                        @if i > 0 { ", " }
                        "“" (from) "”"
                    }
                    ")."
                }
            }
            @match outcome.reading {
                Reading::SomeWords { with_all } => p.note {
                    @let words = p.filters.text.as_deref().unwrap_or_default();
                    @if with_all == 0 {
                        "Nothing has all of “" (words) "”, so these have some of those words"
                    } @else {
                        "Only " (with_all) @if with_all == 1 { " has" } @else { " have" }
                        " all of “" (words) "”, so those with some of the words are here too"
                    }
                    @if p.sort == Sort::Relevance { ", the closest matches first" }
                    "."
                },
                Reading::NoTellingWords => p.note {
                    "“" (p.filters.text.as_deref().unwrap_or_default())
                    "” names no activity, so here is everything. Add a word like football or art, or "
                    a href="/guide" { "answer a few questions" } "."
                },
                Reading::AllWords => {}
            }
            @let chips: Vec<Chosen> = p.chosen_filters().into_iter().filter(|c| c.param != "category").collect();
            // On a phone the chosen filters and the types share one row that scrolls sideways.
            div.facet-rows {
                @if !chips.is_empty() {
                    nav.facets aria-label="Your filters" {
                        ul {
                            @for c in &chips {
                                li {
                                    a.on href=(href_without(pairs, c)) {
                                        (c.label)
                                        // Which holidays: the usual English dates.
                                        @if c.param == "when" && let Some((first, last)) = outcome.holidays() {
                                            ", " (format::day_month(first)) " to " (format::day_month(last))
                                        }
                                        span aria-hidden="true" { " ✕" }
                                        span.visually-hidden { ": select to remove" }
                                    }
                                }
                            }
                        }
                    }
                }
                @if !r.category_counts.is_empty() {
                    nav.facets aria-label="Filter by type" {
                        ul {
                            @for (c, n) in &r.category_counts {
                                @let on = p.filters.categories.contains(c);
                                li {
                                    @if on {
                                        a.on aria-current="true" href=(href_toggle(pairs, c.slug(), true)) {
                                            (c.name()) " (" (n) ")"
                                            span aria-hidden="true" { " ✕" }
                                            span.visually-hidden { ", chosen: select to remove" }
                                        }
                                    } @else {
                                        a href=(href_toggle(pairs, c.slug(), false)) { (c.name()) " (" (n) ")" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if r.total == 0 && !outcome.nearest.hits.is_empty() {
                section.nearest aria-labelledby="nearest-heading" {
                    p.note #nearest-heading {
                        @let n = outcome.nearest.hits.len();
                        "Nothing within " (outcome.radius_km.unwrap_or_default()) " km. The nearest"
                        @if n > 1 { " " (n) }
                        @if outcome.nearest.some_words { ", with some of your words," }
                        @if n == 1 { " is" } @else { " are" }
                        " further away:"
                    }
                    ol.result-list {
                        @for hit in &outcome.nearest.hits {
                            (result_card(hit, today, list, &back, None, why_line(&outcome.why(hit))))
                        }
                    }
                }
            }
            @if r.hits.is_empty() && r.total == 0 {
                @if outcome.loosened.is_empty() {
                    p { "Nothing matched. Try a bigger distance, fewer filters, or different words." }
                } @else {
                    p { "Nothing matched everything you chose. You could try:" }
                    ul.loosen {
                        @for l in &outcome.loosened {
                            li { a href=(href(&l.params.to_pairs(), &[], &[])) { (l.what) } " (" (l.total) " found)" }
                        }
                    }
                }
            } @else if r.hits.is_empty() {
                p { "There are no more results. " a href=(href(pairs, &["page"], &[])) { "Back to the first page" } }
            } @else {
                // The list first, so a phone shows a result on its first screen; from 64rem the
                // map stands beside the list.
                (map::map_link(tiles))
                div.results-body.with-map[tiles.is_some()] {
                    ol.result-list {
                        @for hit in &r.hits {
                            @let point = tiles.and_then(|_| marker_venue(hit)).and_then(|at| map::point(tiles, at));
                            (result_card(hit, today, list, &back, point, why_line(&outcome.why(hit))))
                        }
                    }
                    (map::map_box(tiles, "Map of these activities"))
                }
            }
            @if pages > 1 {
                nav.pages aria-label="Pages" {
                    @if p.page > 1 {
                        a rel="prev" href=(href(pairs, &["page"], &[("page", &(p.page - 1).to_string())])) { "← Previous" }
                    }
                    span { "Page " (p.page.min(pages)) " of " (pages) }
                    @if p.page < pages {
                        a rel="next" href=(href(pairs, &["page"], &[("page", &(p.page + 1).to_string())])) { "Next →" }
                    }
                }
            }
        }
    }
}

/// The same search without one chosen filter (back to its first page).
fn href_without(pairs: &Pairs, c: &Chosen) -> String {
    let kept: Pairs = pairs
        .iter()
        .filter(|(k, v)| {
            k != "page" && !(k == c.param && c.value.as_deref().is_none_or(|want| want == v))
        })
        .cloned()
        .collect();
    href(&kept, &[], &[])
}

fn href_toggle(pairs: &Pairs, slug: &str, on: bool) -> String {
    let mut next: Pairs = pairs
        .iter()
        .filter(|(k, v)| k != "page" && !(on && k == "category" && v == slug))
        .cloned()
        .collect();
    if !on {
        next.push(("category".into(), slug.into()));
    }
    href(&next, &[], &[])
}

fn welcome() -> Markup {
    html! {
        section.welcome {
            h2 { "Popular things to do" }
            ul.quick {
                @for c in Category::ALL {
                    li { a href={"/?category=" (c.slug())} { (c.name()) } }
                }
            }
            p { "Tip: type your postcode to see what is close by, and tick "
                em { "Only groups whose safeguarding has been checked" } " under More filters." }
        }
    }
}

pub async fn search(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw_query): RawQuery,
) -> Response {
    let raw_query = raw_query.unwrap_or_default();
    let pairs = match decode_query(&raw_query) {
        Ok(p) => p,
        Err(e) => {
            let list = Shortlist::current(&[], &headers);
            return render_search(&state, &Vec::new(), Err(e), None, &list);
        }
    };
    let list = Shortlist::current(&pairs, &headers);
    // Links shared on social media pick up tracking tags (fbclid, utm_source): the page
    // ignores parameters it does not know. The API, for programs, refuses them.
    let pairs: Pairs = pairs
        .into_iter()
        .filter(|(k, _)| param_named(k).is_some())
        .collect();
    if pairs.iter().all(|(_, v)| v.trim().is_empty()) {
        return render_search(&state, &pairs, Ok(None), None, &list);
    }
    let params = match SearchParams::parse(&pairs) {
        Ok(p) => p,
        Err(e) => return render_search(&state, &pairs, Err(e), None, &list),
    };
    // Words that name filters ("saturday", "free", "near HU5") become those filters: the
    // person lands on an address whose form shows exactly what is being searched.
    let asked = pairs.clone();
    let answer = blocking(&state, move |d| match d.understand_query(&asked)? {
        Some(rewritten) => Ok(Err(rewritten)),
        None => {
            let mut outcome = d.find(params)?;
            if outcome.results.total == 0 {
                outcome.nearest = d.nearest_beyond(&outcome)?;
                outcome.loosened = d.loosen(&outcome)?;
            }
            Ok(Ok((outcome, d.today())))
        }
    })
    .await;
    match answer {
        Ok(Err(rewritten)) => {
            let mut to = href(&rewritten, &[], &[]);
            if !list.is_empty() {
                to = shortlist::with_list(&to, &list);
            }
            Redirect::to(&to).into_response()
        }
        Ok(Ok((outcome, today))) => {
            // The form and links show the search in its plainest spelling, so every value
            // appears in the form exactly as it was applied.
            let shown = outcome.params.to_pairs();
            render_search(&state, &shown, Ok(Some(&outcome)), Some(today), &list)
        }
        Err(WebError::BadRequest(e)) => render_search(&state, &pairs, Err(e), None, &list),
        Err(e) => error_page(&state, e),
    }
}

/// What was searched, in one line: "“football” near HU5 · age 12 · Sunday".
fn asked(o: &SearchOutcome) -> String {
    let p = &o.params;
    let mut parts = Vec::new();
    if let Some(t) = p.filters.text.as_deref().filter(|t| !t.trim().is_empty()) {
        parts.push(format!("“{t}”"));
    }
    if let Some(l) = &o.located {
        parts.push(format!("near {}", l.label));
    }
    if let Some(age) = p.filters.age {
        parts.push(format!("age {age}"));
    }
    parts.extend(p.chosen());
    if parts.is_empty() {
        "Everything".to_owned()
    } else {
        parts.join(" · ")
    }
}

fn render_search(
    state: &AppState,
    pairs: &Pairs,
    outcome: Result<Option<&SearchOutcome>, signpost_directory::ParamError>,
    today: Option<NaiveDate>,
    list: &Shortlist,
) -> Response {
    // The form and every link on the page carry the shortlist on, whatever the outcome.
    let mut pairs: Pairs = pairs.iter().filter(|(k, _)| k != "list").cloned().collect();
    if !list.is_empty() {
        pairs.push(("list".to_owned(), list.encoded()));
    }
    let pairs = &pairs;
    let (status, error) = match &outcome {
        Err(e) => (StatusCode::BAD_REQUEST, Some(e)),
        Ok(_) => (StatusCode::OK, None),
    };
    let title = match (&outcome, raw(pairs, "q")) {
        (Ok(Some(_)), q) if !q.is_empty() => format!("{q}: search"),
        (Ok(Some(_)), _) => "Search results".to_owned(),
        (Err(_), _) => "Error: Find things to do".to_owned(),
        _ => "Find things to do".to_owned(),
    };
    // What the folded filters hold: the search's own, or beside an error what can be read.
    let chosen = match &outcome {
        Ok(Some(o)) => o.params.chosen(),
        _ => SearchParams::parse_what_can_be(pairs).chosen(),
    };
    let form = search_form(pairs, error, &chosen);
    let body = html! {
        h1 { "Find things to do" }
        // Before a search. After one it would push the results down, so it comes after them.
        @if !matches!(outcome, Ok(Some(_))) {
            p.guide-link { "Not sure what to look for? " a href="/guide" { "Answer a few questions" } }
        }
        (shortlist::bar(list))
        @match (&outcome, today) {
            (Ok(Some(o)), Some(today)) => {
                // On a phone the answer starts on the first screen: the form folds to one line
                // of what was asked (open it to change the search). Beside a wide screen's
                // results it stands open as a column of filters (the stylesheet).
                div.search-layout {
                    details.search-box open[o.results.total == 0 && o.nearest.hits.is_empty()] {
                        summary.search-summary {
                            span.asked { (asked(o)) }
                            " "
                            span.change { "Change" span.visually-hidden { " your search" } }
                        }
                        (form)
                    }
                    (results(o, pairs, today, list, state.config.map_tiles.as_ref()))
                }
                p.guide-link { "Not finding the right thing? " a href="/guide" { "Answer a few questions" } }
            }
            (Ok(None), _) => { (form) (welcome()) }
            _ => { (form) }
        }
    };
    respond(state, status, &title, body)
}

fn paragraphs(text: &str) -> Markup {
    html! {
        @for para in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            p { (para) }
        }
    }
}

fn yes_no(label: &str, ok: bool, detail: Option<String>) -> Markup {
    html! {
        li class=(if ok { "yes" } else { "no" }) {
            span.visually-hidden { (if ok { "Yes: " } else { "No: " }) }
            (label)
            @if let Some(d) = detail { " (" (d) ")" }
        }
    }
}

fn safeguarding_record(p: &Provider, status: SafeguardingStatus, today: NaiveDate) -> Markup {
    let s = &p.safeguarding;
    html! {
        section.safeguarding aria-labelledby="safe-heading" {
            h2 #safe-heading { "Keeping children safe" }
            (badge(status, &p.verification, &p.safeguarding, today))
            @match (status, p.verification.check()) {
                (SafeguardingStatus::Verified | SafeguardingStatus::Expired, Some(c)) => {
                    p { "Checked for " (c.on_behalf_of) " on " (long_date(c.checked_on))
                        ". The check lasts until " (long_date(c.expires_on)) "." }
                    @if !c.evidence.is_empty() { p { "What was seen: " (c.evidence) } }
                },
                (SafeguardingStatus::SelfDeclared, _) => {
                    p { "The group told us the details below. Nobody has checked them yet." }
                },
                _ => { p { "Nobody has checked this group's safeguarding yet. Ask them about it before you go." } },
            }
            ul.record {
                (yes_no("Written safeguarding policy", s.policy.is_some(),
                    s.policy.as_ref().and_then(|p| p.last_reviewed).map(|d| format!("last reviewed {}", long_date(d)))))
                (yes_no("Named safeguarding lead", s.designated_lead_role.is_some(), s.designated_lead_role.clone()))
                (yes_no("Enhanced DBS checks for staff and volunteers", s.enhanced_dbs, None))
                (yes_no("Public liability insurance in date", s.insured_on(today),
                    s.insurance_expires.map(|d| format!("until {}", long_date(d)))))
                (yes_no("First aid cover", s.first_aid, None))
            }
        }
    }
}

/// How to get in touch. Each detail was checked when it came in (`signpost_model`'s contact
/// types), so a website is always an `http(s)` address and can be a link.
fn contact_items(email: Option<&Email>, phone: Option<&Phone>, url: Option<&WebUrl>) -> Markup {
    html! {
        @if let Some(e) = email { li { "Email: " a href={"mailto:" (e)} { (e) } } }
        @if let Some(t) = phone { li { "Phone: " a href={"tel:" (t.dial())} { (t) } } }
        @if let Some(u) = url { li { "Website: " a href=(u) rel="nofollow noopener" { (u) } } }
    }
}

fn report_link(a: &Activity) -> Markup {
    html! {
        section.report aria-labelledby="report-heading" {
            h2 #report-heading { "Something wrong?" }
            p { a href={"/activities/" (a.id) "/suggest"} { "Suggest an edit or report a problem with this listing" } ". No account needed; a checker reads every message." }
            p { "Worried about a child's safety? In an emergency call 999. Otherwise contact the children's services team at your local council, or the NSPCC helpline on 0808 800 5000." }
        }
    }
}

pub async fn activity(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw_query): RawQuery,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let pairs = decode_query(raw_query.as_deref().unwrap_or("")).unwrap_or_default();
    let list = Shortlist::current(&pairs, &headers);
    let Ok(Path(id)) = id else {
        return error_page(&state, WebError::NotFound);
    };
    match blocking(&state, move |d| Ok((d.activity(&id)?, d.today()))).await {
        Ok((Some(page), _)) if page.standing() == Standing::Withdrawn => respond(
            &state,
            StatusCode::GONE,
            "Listing withdrawn",
            html! {
                h1 { "This listing has been withdrawn" }
                p { (page.activity.title) " is no longer listed: the group has taken it down." }
                p { a href={"/providers/" (page.provider.id)} { "See what else " (page.provider.name) " runs" } " or " a href="/" { "search again" } "." }
            },
        ),
        Ok((Some(page), today)) => render_activity(&state, &page, today, &list),
        Ok((None, _)) => error_page(&state, WebError::NotFound),
        Err(e) => error_page(&state, e),
    }
}

fn render_activity(
    state: &AppState,
    page: &ActivityPage,
    today: NaiveDate,
    list: &Shortlist,
) -> Response {
    let a = &page.activity;
    let p = &page.provider;
    let here = format!("/activities/{}", a.id);
    let tiles = state.config.map_tiles.as_ref();
    let body = html! {
        (shortlist::bar(list))
        article.listing {
            h1 { (a.title) }
            p.provider { "Run by " a href={"/providers/" (p.id)} { (p.name) } }
            @if !page.ended { (shortlist::toggle_button(&a.id, &a.title, list, &here)) }
            @if page.ended {
                p.warning role="status" { "This activity has finished. It is kept here for the record." }
            }
            @if page.stale {
                p.warning role="status" { "May be out of date: nobody has confirmed this is still running for a long time. Check with the group before you go." }
            }
            (badge(page.safeguarding, &p.verification, &p.safeguarding, today))
            ul.tags { @for c in &a.categories { li { a href={"/?category=" (c.slug())} { (c.name()) } } } }
            @if !a.terms.is_empty() { p.terms { "Listed by its source as: " (a.terms.join(", ")) } }
            (paragraphs(&a.description))

            h2 { "Who can come" }
            ul { li { (a.ages_label()) } li { (a.gender.label()) } }

            h2 { "When" }
            @if let Some(next) = &page.next_session {
                p.next { "Next session: " strong { (format::occurrence(next, today)) } }
            }
            @let sessions = timetable(a);
            @if sessions.is_empty() {
                p { "Get in touch to find out when it runs." }
            } @else {
                table.timetable {
                    caption.visually-hidden { "Timetable" }
                    thead { tr { th scope="col" { "Day" } th scope="col" { "Time" } th scope="col" { "Notes" } } }
                    tbody {
                        @for w in &a.schedule.weekly {
                            tr {
                                td { "Every " (weekday_title(w.day)) }
                                td { (w.start) " to " (w.end) }
                                td {
                                    @if let Some(l) = w.term.label() { (l) " " }
                                    @if let Some(f) = w.valid_from { "from " (long_date(f)) " " }
                                    @if let Some(t) = w.valid_to { "until " (long_date(t)) }
                                }
                            }
                        }
                        @for d in &a.schedule.dated {
                            tr { td { (format::short_date(d.date)) " " (d.date.format("%Y")) } td { (d.start) " to " (d.end) } td { "One-off" } }
                        }
                    }
                }
            }
            @if !a.schedule.exceptions.is_empty() {
                p { "Not running on: "
                    @for (i, d) in a.schedule.exceptions.iter().enumerate() {
                        @if i > 0 { ", " } (long_date(*d))
                    }
                }
            }

            h2 { "Where" }
            @for v in &a.venues {
                @let (lat, lon) = map::point(tiles, v.coordinates).unzip();
                div.venue data-lat=[lat] data-lon=[lon] {
                    p { strong { (v.name) } br;
                        @if !v.address.is_empty() { (v.address) br; }
                        @if let Some(pc) = &v.postcode { (pc) br; }
                        a href=(v.map_url()) { "Show " (v.name) " on a map (OpenStreetMap)" }
                    }
                }
            }
            @if !a.venues.is_empty() {
                (map::map_box(tiles, if a.venues.len() == 1 { "Map of the venue" } else { "Map of the venues" }))
            }
            @if a.online { p { "This activity is online." } }

            h2 { "Cost" }
            p { (a.cost.label()) }
            @if let Some(c) = &a.cost.concessions { p { (c) } }
            @if a.cost.bursary { p { "Help with the cost is available: ask the group." } }

            @let access = &a.access;
            @if access.wheelchair || access.send_friendly || access.quiet_sessions || !access.languages.is_empty() {
                h2 { "Access" }
                ul {
                    @if access.wheelchair { li { (AccessNeed::Wheelchair.label()) } }
                    @if access.send_friendly { li { "Welcoming for children with special educational needs and disabilities (SEND)" } }
                    @if access.quiet_sessions { li { (AccessNeed::Quiet.label()) } }
                    @if !access.languages.is_empty() { li { "Languages spoken: " (access.languages.join(", ")) } }
                }
            }

            @if !a.join.newcomers.is_empty() {
                h2 { "Your first visit" }
                ul { @for n in &a.join.newcomers { li { (n.label()) } } }
            }

            h2 { "How to join" }
            @if a.join.methods.is_empty() { p { "Get in touch with the group." } }
            ul { @for m in &a.join.methods { li { (m.label()) } } }
            @if !a.join.notes.is_empty() { p { (a.join.notes) } }
            @let c = &a.join.contact;
            ul.contact {
                @if let Some(n) = &c.name { li { "Contact: " (n) } }
                (contact_items(
                    c.email.as_ref().or(p.email.as_ref()),
                    c.phone.as_ref().or(p.phone.as_ref()),
                    c.url.as_ref().or(p.website.as_ref()),
                ))
            }

            (safeguarding_record(p, page.safeguarding, today))

            p.updated {
                @if let Some(d) = a.last_confirmed {
                    "Last confirmed as running: " (long_date(d)) ". "
                } @else {
                    "Nobody has confirmed this is still running. "
                }
                "Last updated: " (long_date(a.last_updated.with_timezone(&LONDON).date_naive())) "."
            }
            @if let Some(src) = &page.source {
                p.source {
                    @match src.source.strip_prefix("file:") {
                        Some(file) => { "Imported from the file " (file) },
                        None => {
                            "Listed from "
                            @match WebUrl::parse(&src.source) {
                                Ok(link) => { a href=(link) rel="nofollow noopener" { (src.source) } },
                                Err(_) => { (src.source) },
                            }
                        },
                    }
                    ", first seen " (long_date(src.first_seen.with_timezone(&LONDON).date_naive()))
                    ", last seen " (long_date(src.last_seen.with_timezone(&LONDON).date_naive())) "."
                }
            }
            (report_link(a))
        }
    };
    respond(state, StatusCode::OK, &a.title, body)
}

pub async fn provider(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let Ok(Path(id)) = id else {
        return error_page(&state, WebError::NotFound);
    };
    match blocking(&state, move |d| Ok((d.provider(&id)?, d.today()))).await {
        Ok((Some(page), today)) => render_provider(&state, &page, today),
        Ok((None, _)) => error_page(&state, WebError::NotFound),
        Err(e) => error_page(&state, e),
    }
}

fn render_provider(state: &AppState, page: &ProviderPage, today: NaiveDate) -> Response {
    let p = &page.provider;
    let body = html! {
        h1 { (p.name) }
        (paragraphs(&p.description))
        ul.contact {
            (contact_items(p.email.as_ref(), p.phone.as_ref(), p.website.as_ref()))
            @if let Some(n) = &p.charity_number { li { "Registered charity " (n) } }
            @if let Some(n) = &p.company_number { li { "Company number " (n) } }
        }
        h2 { "Activities" }
        @if page.activities.is_empty() { p { "No activities listed." } }
        ul.activities {
            @for (a, ended) in &page.activities {
                li {
                    a href={"/activities/" (a.id)} { (a.title) }
                    @if *ended { " " span.ended { "(finished)" } }
                }
            }
        }
        (safeguarding_record(p, page.safeguarding, today))
    };
    respond(state, StatusCode::OK, &p.name, body)
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn a_card_shows_the_first_sentence_cut_at_a_word() {
        assert_eq!(
            one_line("Fun football for girls. Bring trainers.\n\nMore here."),
            "Fun football for girls."
        );
        assert_eq!(one_line("\n  Just one line  "), "Just one line");
        let long = "word ".repeat(40);
        let cut = one_line(&long);
        assert!(cut.ends_with("word…"), "{cut}");
        assert!(cut.chars().count() <= 121, "{cut}");
        assert_eq!(one_line(""), "");
    }
}
