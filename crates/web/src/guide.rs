//! "What matters to you?": a few plain questions a link worker can go through with a young
//! person. The answers become an ordinary search, so the person lands on the search page with
//! the filters set and can change any of them.
//!
//! All the questions are on one page rather than in steps. With JavaScript off every step
//! would be a round trip carrying earlier answers in the query string; on a phone one scroll
//! of short fieldsets is quicker, any question can be skipped or revisited without a back
//! button, and a single GET form keeps the whole set of answers in one shareable address.
//!
//! [`Answers::to_search`] is the whole mapping from answers to search parameters: pure, and
//! tested below. The only thing it cannot judge is whether the directory knows the place,
//! which the handler asks the directory before leaving the page.

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Weekday;
use maud::{Markup, html};
use signpost_directory::AccessNeed;
use signpost_directory::params::MAX_TEXT_CHARS;
use signpost_directory::params::{MAX_LANGUAGE_CHARS, MAX_PLACE_CHARS};
use signpost_directory::{SearchParams, decode_query};
use signpost_model::{
    Category, MAX_AGE_YEARS, Newcomer, parse_weekday, weekday_name, weekday_title,
};

use crate::chrome::{error_page, respond};
use crate::{AppState, WebError, blocking};

type Pairs = Vec<(String, String)>;

/// "When are you free?": the guide's value is the search's `when`.
const WHEN: &[(&str, &str)] = &[
    ("", "Any time"),
    ("after-school", "After school, Monday to Friday"),
    ("evening", "In the evening"),
    ("weekend", "At the weekend"),
    ("holidays", "In the school holidays"),
];

/// "Money": nothing, free only, or a most-per-session in pounds.
const COST: &[(&str, &str)] = &[
    ("", "Money is not a problem"),
    ("free", "It needs to be free"),
    ("2", "A little is OK: up to £2 each time"),
    ("5", "Up to £5 each time"),
];

/// "Going for the first time": the guide's value is the search's `newcomers`.
const FIRST: &[(&str, &str)] = &[
    ("", "I'm happy to just go"),
    (
        "alone",
        "I'd go on my own, so I'd like someone to meet me when I arrive",
    ),
    ("friend", "I'd like to bring a friend"),
    ("parent", "I'd like a parent or carer to stay with me"),
];

/// "Getting there": a smaller search radius in km.
const DISTANCE: &[(&str, &str)] = &[
    ("", "I can get about"),
    ("2", "It needs to be close: about 2 km (a bus stop or two)"),
    ("1", "It needs to be a short walk: about 1 km"),
];

/// What each category is, in words a 12-year-old would use. A new category must be given
/// words here before it compiles.
fn enjoy_words(c: Category) -> &'static str {
    match c {
        Category::Sport => "Sport and games, like football, swimming or boxing",
        Category::ArtsCrafts => "Art, drawing and making things",
        Category::Music => "Music: singing, playing or making it",
        Category::DanceDrama => "Dance, drama and performing",
        Category::Outdoors => "Being outdoors: nature, camping, adventures",
        Category::YouthClub => "Youth clubs: hanging out, games and meeting people",
        Category::Wellbeing => "Feeling calmer and happier",
        Category::PeerSupport => "Talking with others who understand",
        Category::Lgbtq => "LGBTQ+ groups",
        Category::YoungCarers => "Groups for young carers (if you help look after someone)",
        Category::SendInclusive => "Groups for young people with SEND or a disability",
        Category::Volunteering => "Helping out and volunteering",
        Category::SkillsLearning => "Learning new skills",
        Category::FaithCulture => "Faith and culture",
        Category::Family => "Things to do with my family",
        Category::HolidayFood => "Holiday clubs with food",
    }
}

fn access_words(a: AccessNeed) -> &'static str {
    match a {
        AccessNeed::Wheelchair => "I use a wheelchair, so I need step-free access",
        AccessNeed::SendFriendly => {
            "Staff who understand SEND (special educational needs and disabilities)"
        }
        AccessNeed::Quiet => "Quiet or autism-friendly sessions",
    }
}

/// The answers as given, kept as typed so the page can show them again.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Answers {
    pub age: String,
    pub place: String,
    pub when: String,
    pub day: String,
    pub enjoy: Vec<String>,
    pub words: String,
    pub cost: String,
    pub first: String,
    pub distance: String,
    pub access: Vec<String>,
    pub language: String,
    pub checked: bool,
}

/// An answer that cannot be used, and what to do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Problem {
    /// The answer's name in the form (`age`, `where`, ...).
    pub field: &'static str,
    pub message: String,
}

fn problem(field: &'static str, message: impl Into<String>) -> Problem {
    Problem {
        field,
        message: message.into(),
    }
}

const CHOOSE: &str = "Choose one of the options.";

impl Answers {
    /// Reads the form's fields; anything else in the address (tracking tags) is ignored.
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut a = Answers::default();
        for (k, v) in pairs {
            let v = v.trim().to_owned();
            let single = |slot: &mut String| {
                if slot.is_empty() {
                    *slot = v.clone();
                }
            };
            match k.as_str() {
                "age" => single(&mut a.age),
                "where" => single(&mut a.place),
                "when" => single(&mut a.when),
                "day" => single(&mut a.day),
                "words" => single(&mut a.words),
                "cost" => single(&mut a.cost),
                "first" => single(&mut a.first),
                "distance" => single(&mut a.distance),
                "language" => single(&mut a.language),
                "enjoy" if !v.is_empty() => a.enjoy.push(v),
                "access" if !v.is_empty() => a.access.push(v),
                "checked" => a.checked |= matches!(v.as_str(), "true" | "on" | "yes"),
                _ => {}
            }
        }
        a
    }

    /// The search these answers ask for, as the search page's parameters, or every answer
    /// that needs changing. Skipped questions add nothing.
    pub fn to_search(&self) -> Result<Vec<(&'static str, String)>, Vec<Problem>> {
        let mut out: Vec<(&'static str, String)> = Vec::new();
        let mut problems = Vec::new();

        if !self.words.is_empty() {
            if self.words.chars().count() > MAX_TEXT_CHARS {
                problems.push(problem(
                    "words",
                    format!("That is a lot of words! Keep it under {MAX_TEXT_CHARS} letters."),
                ));
            } else {
                out.push(("q", self.words.clone()));
            }
        }

        if !self.place.is_empty() {
            if self.place.chars().count() > MAX_PLACE_CHARS {
                problems.push(problem(
                    "where",
                    "That is too long for a postcode or town. Try the first part of your postcode, like HU5.",
                ));
            } else {
                out.push(("near", self.place.clone()));
            }
        }

        match DISTANCE.iter().find(|(v, _)| *v == self.distance) {
            Some(("", _)) => {}
            Some(_) if self.place.is_empty() => {
                problems.push(problem(
                    "where",
                    "To find things close to you, we need your postcode or town. Or choose \"I can get about\" under Getting there.",
                ));
            }
            Some((km, _)) => out.push(("radius_km", (*km).to_owned())),
            None => problems.push(problem("distance", CHOOSE)),
        }

        if !self.age.is_empty() {
            match self.age.parse::<u32>() {
                Ok(age) if age <= u32::from(MAX_AGE_YEARS) => out.push(("age", age.to_string())),
                Ok(_) => problems.push(problem(
                    "age",
                    "That age looks too big. Type how old you are in years, like 13.",
                )),
                Err(_) => problems.push(problem("age", "Type your age as a number, like 13.")),
            }
        }

        let when = WHEN.iter().find(|(v, _)| *v == self.when).map(|(v, _)| *v);
        match when {
            None => problems.push(problem("when", CHOOSE)),
            Some("") => {}
            Some(w) => out.push(("when", w.to_owned())),
        }
        if !self.day.is_empty() {
            match parse_weekday(&self.day) {
                Err(_) => problems.push(problem("day", "Choose a day from the list.")),
                Ok(d) => {
                    let weekend = matches!(d, Weekday::Sat | Weekday::Sun);
                    match when {
                        Some("weekend") if !weekend => problems.push(problem(
                            "day",
                            format!(
                                "The weekend is Saturday and Sunday, but you picked {}. Choose Saturday, Sunday or \"Any day\".",
                                weekday_title(d)
                            ),
                        )),
                        Some("after-school") if weekend => problems.push(problem(
                            "day",
                            format!(
                                "After school is Monday to Friday, but you picked {}. Choose a weekday or \"Any day\".",
                                weekday_title(d)
                            ),
                        )),
                        _ => out.push(("day", weekday_name(d).to_owned())),
                    }
                }
            }
        }

        match self.cost.as_str() {
            "" => {}
            "free" => out.push(("free", "true".to_owned())),
            pounds if COST.iter().any(|(v, _)| *v == pounds) => {
                out.push(("max_price", pounds.to_owned()));
            }
            _ => problems.push(problem("cost", CHOOSE)),
        }

        let mut bad_enjoy = false;
        for slug in &self.enjoy {
            match Category::parse(slug) {
                Ok(c) if !out.contains(&("category", c.slug().to_owned())) => {
                    out.push(("category", c.slug().to_owned()));
                }
                Ok(_) => {}
                Err(_) => bad_enjoy = true,
            }
        }
        if bad_enjoy {
            problems.push(problem("enjoy", "Tick the things you enjoy from the list."));
        }

        let mut bad_access = false;
        for need in &self.access {
            match AccessNeed::parse(need) {
                Some(a) if !out.contains(&("access", a.as_str().to_owned())) => {
                    out.push(("access", a.as_str().to_owned()));
                }
                Some(_) => {}
                None => bad_access = true,
            }
        }
        if bad_access {
            problems.push(problem(
                "access",
                "Tick the things that would help from the list.",
            ));
        }
        if !self.language.is_empty() {
            if self.language.chars().count() > MAX_LANGUAGE_CHARS {
                problems.push(problem(
                    "language",
                    "That is too long for the name of a language. Try just one, like Polish.",
                ));
            } else {
                out.push(("language", self.language.clone()));
            }
        }

        match self.first.as_str() {
            "" => {}
            n => match Newcomer::parse(n) {
                Some(n) => out.push(("newcomers", n.as_str().to_owned())),
                None => problems.push(problem("first", CHOOSE)),
            },
        }

        if self.checked {
            out.push(("checked", "true".to_owned()));
        }

        if problems.is_empty() {
            Ok(out)
        } else {
            problems.sort_by_key(|p| order(p.field));
            Err(problems)
        }
    }
}

/// Where a question comes on the page, so problems are listed top to bottom.
fn order(field: &str) -> usize {
    const FIELDS: &[&str] = &[
        "age", "where", "when", "day", "enjoy", "words", "cost", "first", "distance", "access",
        "language",
    ];
    FIELDS
        .iter()
        .position(|f| *f == field)
        .unwrap_or(FIELDS.len())
}

/// The first control of a question, where an error summary link takes you.
fn anchor(field: &str) -> String {
    match field {
        "when" | "cost" | "first" | "distance" => format!("{field}-any"),
        "enjoy" => format!("enjoy-{}", Category::ALL[0].slug()),
        "access" => format!("access-{}", AccessNeed::ALL[0].as_str()),
        other => other.to_owned(),
    }
}

/// A directory message ("we could not find ...") as a sentence.
fn sentence(message: &str) -> String {
    let mut c = message.chars();
    let mut s: String = c
        .next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default();
    if !s.ends_with(['.', '!', '?']) {
        s.push('.');
    }
    s
}

/// `/guide`: the questions. Answers in the address fill the form, so "change your answers"
/// links work.
pub async fn form(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let pairs = decode_query(raw.as_deref().unwrap_or("")).unwrap_or_default();
    render(&state, StatusCode::OK, &Answers::from_pairs(&pairs), &[])
}

/// `/guide/results`: on to the search page with the answers as filters, or back to the
/// questions with what to change.
pub async fn results(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let pairs = match decode_query(raw.as_deref().unwrap_or("")) {
        Ok(p) => p,
        Err(_) => {
            let p = problem(
                "words",
                "Some of what you typed could not be read. Please type it again.",
            );
            return render(&state, StatusCode::BAD_REQUEST, &Answers::default(), &[p]);
        }
    };
    let answers = Answers::from_pairs(&pairs);
    let mapped = answers.to_search();
    let mut problems = mapped.clone().err().unwrap_or_default();
    if !answers.place.is_empty() && !problems.iter().any(|p| p.field == "where") {
        match place_problem(&state, &answers.place).await {
            Ok(Some(p)) => {
                problems.push(p);
                problems.sort_by_key(|p| order(p.field));
            }
            Ok(None) => {}
            Err(e) => return error_page(&state, e),
        }
    }
    match mapped {
        Ok(search) if problems.is_empty() => {
            let qs = serde_urlencoded::to_string(&search).unwrap_or_default();
            let to = if qs.is_empty() {
                "/".to_owned()
            } else {
                format!("/?{qs}")
            };
            Redirect::to(&to).into_response()
        }
        _ => render(&state, StatusCode::BAD_REQUEST, &answers, &problems),
    }
}

/// Whether the directory can place a postcode or town: asked as the search would ask it.
async fn place_problem(state: &AppState, place: &str) -> Result<Option<Problem>, WebError> {
    let pairs: Pairs = vec![("near".to_owned(), place.to_owned())];
    let place = match SearchParams::parse(&pairs) {
        Ok(p) => p.place,
        Err(e) => return Ok(Some(problem("where", sentence(&e.message)))),
    };
    let Some(place) = place else {
        return Ok(None);
    };
    // Only the lookup the search would make, not a whole search.
    match blocking(state, move |d| d.locate(&place)).await {
        Ok(_) => Ok(None),
        Err(WebError::BadRequest(e)) => Ok(Some(problem("where", sentence(&e.message)))),
        Err(e) => Err(e),
    }
}

struct Fields<'a>(&'a [Problem]);

impl Fields<'_> {
    fn problem(&self, field: &str) -> Option<&Problem> {
        self.0.iter().find(|p| p.field == field)
    }

    fn invalid(&self, field: &str) -> Option<&'static str> {
        self.problem(field).map(|_| "true")
    }

    /// `aria-describedby` for a control: its hint, if it has one, and its error.
    fn described(&self, field: &str, hint: bool) -> Option<String> {
        let mut ids = Vec::new();
        if hint {
            ids.push(format!("{field}-hint"));
        }
        if self.problem(field).is_some() {
            ids.push(format!("{field}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }

    fn error(&self, field: &str) -> Markup {
        html! {
            @if let Some(p) = self.problem(field) {
                p.field-error id={(field) "-error"} {
                    span.visually-hidden { "Error: " } (p.message)
                }
            }
        }
    }
}

fn radios(
    f: &Fields<'_>,
    name: &'static str,
    legend: &str,
    current: &str,
    options: &[(&str, &str)],
) -> Markup {
    html! {
        fieldset.question aria-describedby=[f.described(name, false)] {
            legend { (legend) }
            (f.error(name))
            @for (value, text) in options {
                @let id = if value.is_empty() { format!("{name}-any") } else { format!("{name}-{value}") };
                label.check for=(id) {
                    input id=(id) type="radio" name=(name) value=(value) checked[*value == current];
                    " " (text)
                }
            }
        }
    }
}

fn render(state: &AppState, status: StatusCode, a: &Answers, problems: &[Problem]) -> Response {
    let f = Fields(problems);
    let title = if problems.is_empty() {
        "What matters to you?"
    } else {
        "Error: What matters to you?"
    };
    let body = html! {
        h1 { "What matters to you?" }
        p { "Answer a few questions and we'll find things you could do. Skip any you like: every question is optional. You can change anything on the next page." }
        @if !problems.is_empty() {
            div.error role="alert" {
                h2 { "Please check your answers" }
                ul {
                    @for p in problems {
                        li { a href={"#" (anchor(p.field))} { (p.message) } }
                    }
                }
            }
        }
        form.guide method="get" action="/guide/results" {
            div.field.question {
                label for="age" { "How old are you?" }
                (f.error("age"))
                input #age type="number" name="age" min="0" max=(MAX_AGE_YEARS) inputmode="numeric"
                    value=(a.age) aria-invalid=[f.invalid("age")] aria-describedby=[f.described("age", false)];
            }
            div.field.question {
                label for="where" { "Where do you live or go to school?" }
                p.hint #where-hint { "Your postcode, the first part of it (like HU5), or your town." }
                (f.error("where"))
                input #where type="text" name="where" maxlength=(MAX_PLACE_CHARS) autocomplete="postal-code"
                    value=(a.place) aria-invalid=[f.invalid("where")] aria-describedby=[f.described("where", true)];
            }
            (radios(&f, "when", "When are you free?", &a.when, WHEN))
            div.field {
                label for="day" { "Is there a day that suits you best?" }
                (f.error("day"))
                select #day name="day" aria-invalid=[f.invalid("day")] aria-describedby=[f.described("day", false)] {
                    option value="" { "Any day" }
                    @for d in signpost_model::WEEK {
                        @let v = weekday_name(d);
                        option value=(v) selected[parse_weekday(&a.day).ok() == Some(d)] { (weekday_title(d)) }
                    }
                }
            }
            fieldset.question aria-describedby=[f.described("enjoy", false)] {
                legend { "What do you enjoy, or want to try?" }
                p.hint { "Tick as many as you like." }
                (f.error("enjoy"))
                div.checks {
                    @for c in Category::ALL {
                        @let id = format!("enjoy-{}", c.slug());
                        label.check for=(id) {
                            input id=(id) type="checkbox" name="enjoy" value=(c.slug()) checked[a.enjoy.iter().any(|e| e == c.slug())];
                            " " (enjoy_words(*c))
                        }
                    }
                }
            }
            div.field.question {
                label for="words" { "Anything else you'd like to do? Type a few words." }
                p.hint #words-hint { "Like football, drawing, coding or chess." }
                (f.error("words"))
                input #words type="text" name="words" maxlength=(MAX_TEXT_CHARS) value=(a.words)
                    aria-invalid=[f.invalid("words")] aria-describedby=[f.described("words", true)];
            }
            h2 { "What could make it hard?" }
            p { "Lots of people find some of these tricky. Tell us, and we'll look for groups that make it easier." }
            (radios(&f, "cost", "Money", &a.cost, COST))
            (radios(&f, "first", "Going for the first time", &a.first, FIRST))
            (radios(&f, "distance", "Getting there", &a.distance, DISTANCE))
            fieldset.question aria-describedby=[f.described("access", false)] {
                legend { "Is there anything that would help you join in?" }
                (f.error("access"))
                @for n in AccessNeed::ALL {
                    @let id = format!("access-{}", n.as_str());
                    label.check for=(id) {
                        input id=(id) type="checkbox" name="access" value=(n.as_str()) checked[a.access.iter().any(|x| x == n.as_str())];
                        " " (access_words(*n))
                    }
                }
            }
            div.field.question {
                label for="language" { "Would you like people there to speak a language other than English?" }
                p.hint #language-hint { "Leave it empty for English. For example Polish, Arabic or BSL." }
                (f.error("language"))
                input #language type="text" name="language" maxlength=(MAX_LANGUAGE_CHARS) value=(a.language)
                    aria-invalid=[f.invalid("language")] aria-describedby=[f.described("language", true)];
            }
            fieldset.question {
                legend { "Keeping safe" }
                label.check for="checked" {
                    input #checked type="checkbox" name="checked" value="true" checked[a.checked] aria-describedby="checked-hint";
                    " Only groups whose safeguarding has been checked"
                }
                p.hint #checked-hint { "Someone has checked how the group keeps children safe, and the check is in date. Link workers often choose this." }
            }
            button type="submit" { "Show me things to do" }
        }
        p { a href="/" { "Or search in your own way" } }
    };
    respond(state, status, title, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(q: &str) -> Answers {
        Answers::from_pairs(&decode_query(q).unwrap())
    }

    fn mapped(q: &str) -> Vec<(&'static str, String)> {
        answers(q).to_search().unwrap()
    }

    fn fields(q: &str) -> Vec<&'static str> {
        answers(q)
            .to_search()
            .unwrap_err()
            .into_iter()
            .map(|p| p.field)
            .collect()
    }

    fn owned(pairs: &[(&'static str, String)]) -> Pairs {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    #[test]
    fn a_nervous_13_year_old_footballer_in_hu5() {
        let m = mapped(
            "age=13&where=HU5&when=weekend&day=&words=football&cost=free&first=friend&distance=&language=",
        );
        assert_eq!(
            m,
            [
                ("q", "football".to_owned()),
                ("near", "HU5".to_owned()),
                ("age", "13".to_owned()),
                ("when", "weekend".to_owned()),
                ("free", "true".to_owned()),
                ("newcomers", "friend".to_owned()),
            ]
        );
        SearchParams::parse(&owned(&m)).unwrap();
    }

    #[test]
    fn every_answer_reaches_a_search_parameter_the_search_accepts() {
        let m = mapped(
            "age=9&where=Truro&when=after-school&day=tuesday&enjoy=music&enjoy=outdoors&words=drums&cost=2&first=alone&distance=1&access=wheelchair&access=quiet&language=Polish&checked=true",
        );
        for pair in [
            ("radius_km", "1"),
            ("day", "tuesday"),
            ("category", "music"),
            ("category", "outdoors"),
            ("max_price", "2"),
            ("newcomers", "alone"),
            ("access", "wheelchair"),
            ("access", "quiet"),
            ("language", "Polish"),
            ("checked", "true"),
        ] {
            assert!(
                m.contains(&(pair.0, pair.1.to_owned())),
                "{pair:?} in {m:?}"
            );
        }
        let p = SearchParams::parse(&owned(&m)).unwrap();
        assert_eq!(p.filters.categories.len(), 2);
        assert_eq!(p.radius_km, Some(1.0));
    }

    #[test]
    fn skipping_every_question_asks_for_nothing() {
        assert!(mapped("").is_empty());
        assert!(
            mapped("age=&where=&when=&day=&words=&cost=&first=&distance=&language=").is_empty()
        );
    }

    #[test]
    fn unusable_answers_are_each_tied_to_their_question() {
        assert_eq!(fields("age=200"), ["age"]);
        assert_eq!(fields("age=thirteen"), ["age"]);
        assert_eq!(fields("age=-1"), ["age"]);
        assert_eq!(fields("when=weekend&day=monday"), ["day"]);
        assert_eq!(fields("when=after-school&day=sunday"), ["day"]);
        assert_eq!(fields("day=funday"), ["day"]);
        assert_eq!(fields("when=tomorrow"), ["when"]);
        assert_eq!(fields("cost=lots"), ["cost"]);
        assert_eq!(fields("first=dog"), ["first"]);
        assert_eq!(fields("enjoy=quidditch"), ["enjoy"]);
        assert_eq!(fields("access=jetpack"), ["access"]);
        assert_eq!(
            fields("distance=1"),
            ["where"],
            "close by, but close to where?"
        );
        assert_eq!(fields("distance=3&where=HU5"), ["distance"]);
        let long = format!("words={}", "a".repeat(MAX_TEXT_CHARS + 1));
        assert_eq!(fields(&long), ["words"]);
        let long = format!("language={}", "a".repeat(41));
        assert_eq!(fields(&long), ["language"]);
        assert_eq!(
            fields("age=200&where=HU5&when=weekend&day=friday"),
            ["age", "day"],
            "every problem is shown at once"
        );
    }

    #[test]
    fn a_repeated_tick_is_one_filter_and_tracking_tags_are_ignored() {
        let m = mapped("enjoy=music&enjoy=music&fbclid=x&checked=on");
        assert_eq!(
            m,
            [
                ("category", "music".to_owned()),
                ("checked", "true".to_owned())
            ]
        );
    }

    #[test]
    fn every_category_has_friendly_words() {
        for c in Category::ALL {
            assert!(!enjoy_words(*c).is_empty());
        }
    }

    #[test]
    fn directory_messages_become_sentences() {
        assert_eq!(
            sentence("we could not find the postcode ZZ9: check it"),
            "We could not find the postcode ZZ9: check it."
        );
    }
}
