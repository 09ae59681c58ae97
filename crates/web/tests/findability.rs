//! The search page read as a person uses it: everyday phrases on the bundled sample directory
//! find the listings that are there (issue: people who type ordinary words got empty pages).

mod common;

/// The number in "12 activities within 5 km of HU6", and the titles of the results.
fn found(page: &str) -> (usize, Vec<String>) {
    let heading = page
        .split("id=\"results-heading\">")
        .nth(1)
        .unwrap_or_else(|| panic!("no results heading: {page}"));
    let n = heading
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count: {heading}"));
    let titles = page
        .split("<h3")
        .skip(1)
        .filter_map(|h| {
            let text = h.split_once('>')?.1;
            let text = text.split("</h3>").next()?;
            // The title is a link: keep its text only.
            Some(
                text.split('<')
                    .flat_map(|p| p.split_once('>').map_or(p, |(_, t)| t).split('\n'))
                    .collect::<String>()
                    .trim()
                    .to_owned(),
            )
        })
        .collect();
    (n, titles)
}

#[tokio::test]
async fn everyday_phrases_find_what_is_nearby() {
    let app = common::seeded_site(reqwest::Client::builder()).await;
    // (typed, where, a word every one of the first results is about)
    for (q, near, about) in [
        ("swimming lessons", "HU6", &["swim"][..]),
        (
            "art classes",
            "HU5",
            &["art", "craft", "paint", "draw", "pottery"][..],
        ),
        ("football club", "HU5", &["football"][..]),
        (
            "mental health support",
            "E12",
            &["wellbeing", "mental", "mind", "talk", "calm"][..],
        ),
    ] {
        let path = format!("/?q={}&near={near}", q.replace(' ', "+"));
        let (status, page) = app.html(&path).await;
        assert_eq!(status, 200, "{q}");
        let (n, titles) = found(&page);
        assert!(n > 0, "{q} near {near} found nothing: {page}");
        let first = titles.first().unwrap().to_lowercase();
        assert!(
            about.iter().any(|w| first.contains(w)) || {
                // The title may not say it; the card's summary then does.
                let card = page.split("<h3").nth(1).unwrap_or_default().to_lowercase();
                about.iter().any(|w| card.contains(w))
            },
            "{q} near {near}: the first result is {first:?} ({titles:?})"
        );
    }
}

#[tokio::test]
async fn words_no_listing_has_together_find_those_with_some_and_say_so() {
    let app = common::seeded_site(reqwest::Client::builder()).await;
    let (status, page) = app.html("/?q=skateboarding+trampoline&near=Cornwall").await;
    assert_eq!(status, 200);
    let (n, _) = found(&page);
    assert!(n > 0, "{page}");
    assert!(
        page.contains("Nothing has all of “skateboarding trampoline”"),
        "{page}"
    );
    // One word nobody uses still finds nothing, and the page offers what to loosen.
    let (_, page) = app.html("/?q=quidditch&near=Cornwall").await;
    assert_eq!(found(&page).0, 0, "{page}");
    assert!(!page.contains("Nothing has all of"), "{page}");
}

#[tokio::test]
async fn nothing_nearby_shows_the_nearest_further_away_with_where_they_are() {
    let app = common::seeded_site(reqwest::Client::builder()).await;
    // The surf clubs are in Newquay, about 28 km from Falmouth.
    let (status, page) = app.html("/?q=surf&near=TR11").await;
    assert_eq!(status, 200);
    assert_eq!(found(&page).0, 0, "nothing within the usual 5 km: {page}");
    let nearest = page
        .split("class=\"nearest\"")
        .nth(1)
        .unwrap_or_else(|| panic!("no nearest matches shown: {page}"));
    let nearest = nearest.split("</section>").next().unwrap();
    assert!(
        nearest.contains("Nothing within 5 km. The nearest 3 are further away:"),
        "{nearest}"
    );
    assert_eq!(
        nearest.matches("<li class=\"result\"").count(),
        3,
        "{nearest}"
    );
    assert_eq!(nearest.matches("28.4 km away").count(), 3, "{nearest}");
    assert!(nearest.contains("Newquay"), "each says where: {nearest}");
    assert!(
        nearest.to_lowercase().matches("surf").count() >= 3,
        "{nearest}"
    );
    // No listing anywhere has both words: the nearest with either say so.
    let (_, page) = app.html("/?q=surf+trampoline&near=TR11").await;
    assert!(
        page.contains("The nearest 3, with some of your words, are further away:"),
        "{page}"
    );
    // Where nothing matches anywhere, nothing is offered as nearest.
    let (_, page) = app.html("/?q=quidditch&near=TR11").await;
    assert!(!page.contains("class=\"nearest\""), "{page}");
}

#[tokio::test]
async fn a_word_put_right_is_said_so() {
    let app = common::seeded_site(reqwest::Client::builder()).await;
    let (_, page) = app.html("/?q=dnace&near=Hull").await;
    assert!(found(&page).0 > 0, "{page}");
    assert!(
        page.contains("Showing results for “dance” (you typed “dnace”)."),
        "{page}"
    );
    let (_, page) = app.html("/?q=dance&near=Hull").await;
    assert!(!page.contains("Showing results for"), "{page}");
}

#[tokio::test]
async fn a_real_postcode_outside_the_directory_is_told_so_not_to_check_it() {
    let app = common::seeded_site(reqwest::Client::builder()).await;
    let (status, page) = app.html("/?q=football&near=M1").await;
    assert_eq!(status, 400);
    assert!(
        page.contains("we cannot find M1 among the places Signpost lists"),
        "{page}"
    );
    assert!(page.contains("Signpost has nothing near it yet"), "{page}");
    // Not a UK postcode area at all: then it is worth checking.
    let (_, page) = app.html("/?q=football&near=ZZ9").await;
    assert!(
        page.contains("we could not find the postcode ZZ9"),
        "{page}"
    );
}

/// Each card's distance in km and whether its next session is within two weeks of the test
/// site's day (Wednesday 25 November 2026), as the card shows them.
fn distances_and_soon(page: &str) -> Vec<(f64, bool)> {
    page.split("<li class=\"result\"")
        .skip(1)
        .filter_map(|card| {
            let d = card.split("<li class=\"distance\">").nth(1)?;
            let d = d.split('<').next()?;
            let (n, unit) = d.split_once(' ')?;
            let n: f64 = n.parse().ok()?;
            let km = if unit.starts_with("km") {
                n
            } else {
                n / 1000.0
            };
            let next = card
                .split("<li>Next: ")
                .nth(1)
                .and_then(|n| n.split('<').next());
            let soon = next.is_some_and(|n| {
                n.starts_with("Today")
                    || n.starts_with("Tomorrow")
                    || [
                        "Nov", "1 Dec", "2 Dec", "3 Dec", "4 Dec", "5 Dec", "6 Dec", "7 Dec",
                        "8 Dec",
                    ]
                    .iter()
                    .any(|d| n.contains(&format!(" {d},")) || n.contains(&format!(" {d} ")))
            });
            Some((km, soon))
        })
        .collect()
}

#[tokio::test]
async fn with_no_words_what_runs_soon_comes_first_nearest_first() {
    let app = common::seeded_site(reqwest::Client::builder()).await;
    let (_, page) = app.html("/?near=HU5&per_page=100").await;
    let cards = distances_and_soon(&page);
    assert!(cards.len() >= 20, "{page}");
    // Those running in the next two weeks, nearest first; then the rest, nearest first.
    let split = cards
        .iter()
        .position(|(_, soon)| !soon)
        .unwrap_or(cards.len());
    let (soon, later) = cards.split_at(split);
    assert!(soon.len() >= 10, "{cards:?}");
    assert!(
        !later.is_empty(),
        "the sample has one-offs and holiday clubs: {cards:?}"
    );
    assert!(later.iter().all(|(_, s)| !s), "soon ones first: {cards:?}");
    for part in [soon, later] {
        assert!(
            part.windows(2).all(|w| w[0].0 <= w[1].0),
            "nearest first: {part:?}"
        );
    }
}

#[tokio::test]
async fn in_the_holidays_becomes_a_filter_with_the_dates_said() {
    let app = common::seeded_site(reqwest::Client::builder()).await;
    let (status, page) = app
        .html("/?q=things+to+do+in+the+holidays&near=HU5&per_page=100")
        .await;
    assert_eq!(status, 200);
    let (n, titles) = found(&page);
    assert!(n > 0, "{page}");
    // What runs only in the holidays comes first: the holiday clubs before the weekly ones.
    let weekly = titles.iter().position(|t| t == "Stay and Play");
    let holiday: Vec<usize> = (0..titles.len())
        .filter(|i| titles[*i].contains("Holiday"))
        .collect();
    assert!(holiday.len() >= 2, "holiday clubs are found: {titles:?}");
    assert!(
        weekly.is_some_and(|w| holiday.iter().all(|h| *h < w)),
        "holiday clubs before the weekly Stay and Play: {titles:?}"
    );
    // The chip that takes it away says which days it means.
    assert!(
        page.contains("School holidays, 19 Dec to 3 Jan<span"),
        "{page}"
    );
    // Term-time-only clubs stop for Christmas: none is among them.
    let (_, all) = app.html("/?near=HU5&per_page=100").await;
    assert!(found(&all).0 > n, "not everything runs in the holidays");
}

#[tokio::test]
async fn a_uk_town_signpost_lists_nothing_near_is_told_so() {
    let app = common::seeded_site(reqwest::Client::builder()).await;
    let (status, page) = app.html("/?q=football+in+Manchester").await;
    assert_eq!(status, 400, "{page}");
    assert!(
        page.contains("Signpost does not cover Manchester yet"),
        "{page}"
    );
    // London is a real town where Signpost does list things (Newham): ask for a postcode.
    let (_, page) = app.html("/?q=football+near+london").await;
    assert!(
        page.contains(
            "we do not know where in London to search from: try a postcode there instead (like E"
        ),
        "{page}"
    );
    // And a postcode after "near" that it lists nothing near, said in the words.
    let (status, page) = app.html("/?q=football+near+M1").await;
    assert_eq!(status, 400);
    assert!(page.contains("Signpost has nothing near it yet"), "{page}");
}

#[tokio::test]
async fn the_shortlist_keeps_the_place_on_the_page_and_returns_to_the_same_search() {
    let app =
        common::seeded_site(reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()))
            .await;
    let (_, page) = app.html("/?q=drama&near=Hull").await;
    let id = page
        .split("<li class=\"result\" id=\"r-")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_else(|| panic!("no result card with an id: {page}"))
        .to_owned();
    let r = app
        .get(&format!(
            "/shortlist/add?id={id}&list=&back=%2F%3Fq%3Ddrama%26near%3DHull"
        ))
        .await;
    let to = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(to.starts_with("/?q=drama&near=Hull&list="), "{to}");
    assert!(to.ends_with(&format!("#r-{id}")), "back to the card: {to}");

    // The shortlist's "Add more" goes back to the search it was opened from, known by the
    // Referer this site's pages send, never carried in the shortlist's own (shared) address.
    let (_, page) = app.html(to.split('#').next().unwrap()).await;
    let link = page
        .split("See it and print a handout")
        .next()
        .and_then(|p| p.rsplit("href=\"").next())
        .map(|h| h.split('"').next().unwrap().replace("&amp;", "&"))
        .unwrap();
    assert!(
        !link.contains("q=") && !link.contains("near="),
        "the search stays out of the address: {link}"
    );
    let more = |page: &str| {
        page.split("Add more from search")
            .next()
            .and_then(|p| p.rsplit("href=\"").next())
            .map(|h| h.split('"').next().unwrap().replace("&amp;", "&"))
            .unwrap()
    };
    let from_search = opened_from(&app, &link, &format!("{}/?q=drama&near=Hull", app.base)).await;
    assert!(
        more(&from_search).starts_with("/?q=drama&near=Hull&list="),
        "{}",
        more(&from_search)
    );
    // Only this site's search page: another site, or another page, is the search page.
    for referer in ["https://evil.example/?q=x", "/provider", "//evil.example/"] {
        let page = opened_from(&app, &link, referer).await;
        assert!(
            more(&page).starts_with("/?list="),
            "{referer}: {}",
            more(&page)
        );
    }
}

/// The page at `path` as a browser opening it from `referer` gets it.
async fn opened_from(app: &common::SeededSite, path: &str, referer: &str) -> String {
    let r = app
        .client
        .get(format!("{}{path}", app.base))
        .header("referer", referer)
        .send()
        .await
        .unwrap();
    r.text().await.unwrap()
}

#[tokio::test]
async fn filters_read_from_words_are_shown_and_each_can_be_taken_away() {
    let app = common::seeded_site(reqwest::Client::builder()).await;
    // Wednesday noon: "tonight" is this Wednesday evening.
    let (status, page) = app
        .html("/?q=free+youth+club+tonight+for+a+14+year+old&near=HU5")
        .await;
    assert_eq!(status, 200);
    let chips = page
        .split("aria-label=\"Your filters\"")
        .nth(1)
        .and_then(|c| c.split("</nav>").next())
        .unwrap_or_else(|| panic!("no chosen filters shown: {page}"));
    for label in ["Age 14", "Wednesday", "Evenings", "Free only"] {
        assert!(chips.contains(label), "{label}: {chips}");
    }
    // Taking away "Free only" keeps everything else.
    let free = chips
        .split("<li>")
        .find(|c| c.contains("Free only"))
        .and_then(|c| c.split("href=\"").nth(1))
        .and_then(|h| h.split('"').next())
        .unwrap()
        .replace("&amp;", "&");
    assert!(!free.contains("free="), "{free}");
    for kept in [
        "q=youth+club",
        "near=HU5",
        "age=14",
        "day=wednesday",
        "when=evening",
    ] {
        assert!(free.contains(kept), "{kept}: {free}");
    }
    let (status, _) = app.html(&free).await;
    assert_eq!(status, 200);
}
