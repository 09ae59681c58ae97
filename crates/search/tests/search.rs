//! Search semantics for every filter, on small hand-built fixtures.

use chrono::{NaiveDate, NaiveDateTime, Weekday};
use signpost_model::calendar::SchoolHoliday;
use signpost_model::fixture::{HULL, activity, provider, venue, weekly};
use signpost_model::{
    Activity, AgeRange, Category, Coordinates, DatedSession, Gender, JoinMethod, Newcomer,
    Provider, SafeguardingStatus, SessionTime, TermPattern, Verification, VerificationCheck,
};
use signpost_search::{
    AccessNeed, First, IndexOpened, IndexedActivity, Near, Prepared, ProviderSummary, SearchIndex,
    SearchQuery, Sort, When,
};

/// Wednesday 25 November 2026, noon: term time.
fn wednesday_noon() -> NaiveDateTime {
    at("2026-11-25 12:00")
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn item(a: Activity, p: &Provider) -> IndexedActivity {
    IndexedActivity {
        activity: a,
        provider: ProviderSummary {
            id: p.id.clone(),
            name: p.name.clone(),
            safeguarding: p.safeguarding.clone(),
            verification: p.verification.clone(),
        },
    }
}

fn index_of(items: &[IndexedActivity]) -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    index.rebuild(items, 0).unwrap();
    index
}

/// The ids found, in the order found.
fn in_order(index: &SearchIndex, q: &SearchQuery) -> Vec<String> {
    let hits = index.search(q).unwrap().hits;
    hits.iter()
        .map(|h| h.item.activity.id.to_string())
        .collect()
}

/// The ids found, sorted.
fn ids(index: &SearchIndex, q: &SearchQuery) -> Vec<String> {
    let mut got = in_order(index, q);
    got.sort();
    got
}

fn query() -> SearchQuery {
    let mut q = SearchQuery::new(wednesday_noon());
    q.per_page = 100;
    q
}

fn with_text(text: &str) -> SearchQuery {
    let mut q = query();
    q.filters.text = Some(text.into());
    q
}

fn p() -> Provider {
    provider("hull-youth", "Hull Youth Trust")
}

fn session(a: &mut Activity, day: Weekday, start: &str, end: &str) {
    a.schedule.weekly = vec![weekly(day, start, end)];
}

#[test]
fn text_is_stemmed_typo_tolerant_and_knows_youth_words() {
    let p = p();
    let mut football = activity("football", "hull-youth", "Saturday Football");
    football.description = "Kickabout for all abilities".into();
    let mut swim = activity("swim", "hull-youth", "Swimming Lessons");
    swim.categories = vec![Category::Sport];
    let mut pride = activity("pride", "hull-youth", "Friday Night Group");
    pride.categories = vec![Category::Lgbtq];
    let index = index_of(&[item(football, &p), item(swim, &p), item(pride, &p)]);

    assert_eq!(ids(&index, &with_text("football")), ["football"]);
    assert_eq!(ids(&index, &with_text("fotball")), ["football"], "one typo");
    assert_eq!(ids(&index, &with_text("footy")), ["football"], "synonym");
    assert_eq!(ids(&index, &with_text("swim")), ["swim"], "stemmed");
    assert_eq!(ids(&index, &with_text("LGBTQ")), ["pride"], "category name");
    assert_eq!(ids(&index, &with_text("trust")).len(), 3, "provider name");
    assert_eq!(
        ids(&index, &with_text("kickabout football")),
        ["football"],
        "all words"
    );
    assert!(ids(&index, &with_text("chess")).is_empty());
    assert!(ids(&index, &with_text("the")).is_empty(), "only stop words");
}

#[test]
fn any_word_finds_listings_with_some_of_the_words_the_most_telling_first() {
    let p = p();
    let mut skate = activity("skate", "hull-youth", "Skateboarding for Beginners");
    skate.description = "Learn to ride at the skatepark.".into();
    let mut swim = activity("swim", "hull-youth", "Swimming Lessons");
    swim.description = "Lessons in small groups.".into();
    let mut both = activity("both", "hull-youth", "Skateboarding Lessons");
    both.description = "Lessons on the ramps.".into();
    let chess = activity("chess", "hull-youth", "Chess Club");
    // "lessons" is a common word here, "skateboarding" a rare one.
    let piano = activity("piano", "hull-youth", "Piano Lessons");
    let guitar = activity("guitar", "hull-youth", "Guitar Lessons");
    let drums = activity("drums", "hull-youth", "Drum Lessons");
    let index = index_of(&[
        item(skate, &p),
        item(swim, &p),
        item(both, &p),
        item(chess, &p),
        item(piano, &p),
        item(guitar, &p),
        item(drums, &p),
    ]);
    let mut q = with_text("skateboarding lessons weekends");
    assert!(ids(&index, &q).is_empty(), "no listing has every word");
    q.any_word = true;
    let found = in_order(&index, &q);
    assert_eq!(found.len(), 6, "{found:?}");
    assert!(!found.contains(&"chess".to_owned()));
    assert_eq!(found[0], "both", "two of the words first: {found:?}");
    assert_eq!(
        found[1], "skate",
        "a rare word outweighs a common one: {found:?}"
    );
}

#[test]
fn out_of_date_lowers_a_listing_among_those_with_as_many_words_not_below_fewer() {
    let p = p();
    let mut stale = activity("stale-two-words", "hull-youth", "Skateboarding Weekends");
    stale.last_confirmed = Some(date("2025-01-10"));
    // "Skateboarding" three times: its own score beats the stale one's, word for word.
    let fresh = activity(
        "fresh-one-word",
        "hull-youth",
        "Skateboarding Skateboarding Skateboarding",
    );
    // "Weekends" is a common word here, so it adds little of its own.
    let mut items = vec![item(stale, &p), item(fresh, &p)];
    for n in 0..6 {
        let id = format!("weekends-{n}");
        items.push(item(activity(&id, "hull-youth", "Weekends Chess"), &p));
    }
    let index = index_of(&items);
    let mut q = with_text("skateboarding weekends");
    q.any_word = true;
    q.fresh_since = Some(date("2026-05-21"));
    let hits = index.search(&q).unwrap().hits;
    let order: Vec<String> = hits
        .iter()
        .map(|h| h.item.activity.id.to_string())
        .collect();
    assert_eq!(
        order[..2],
        ["stale-two-words", "fresh-one-word"],
        "{order:?}"
    );
    assert!(hits[0].stale, "it is marked out of date all the same");
}

#[test]
fn a_word_some_listing_has_is_not_taken_for_a_typo_of_another() {
    let p = p();
    let dance = activity("dance", "hull-youth", "Street Dance");
    let lance = activity("lance", "hull-youth", "Lance Corporal Cadets");
    let lance_id = lance.id.clone();
    let index = index_of(&[item(dance, &p), item(lance, &p)]);

    assert_eq!(
        ids(&index, &with_text("dance")),
        ["dance"],
        "lance is a word"
    );
    assert_eq!(
        ids(&index, &with_text("lance")),
        ["lance"],
        "dance is a word"
    );
    assert_eq!(
        ids(&index, &with_text("lanse")),
        ["lance"],
        "a word no listing has is a typo"
    );

    // Once the only listing with a word is gone, the word is a typo again.
    index.remove(&[lance_id], 1).unwrap();
    assert_eq!(ids(&index, &with_text("lance")), ["dance"]);
}

#[test]
fn a_title_match_ranks_above_a_description_match() {
    let p = p();
    let mut a = activity("a", "hull-youth", "Art Club");
    a.description = "Music while you paint".into();
    let b = activity("b", "hull-youth", "Music Makers");
    let index = index_of(&[item(a, &p), item(b, &p)]);
    let hits = index.search(&with_text("music")).unwrap().hits;
    assert_eq!(hits[0].item.activity.id.as_str(), "b");
}

#[test]
fn age_13_finds_activities_whose_range_includes_13_with_inclusive_ends() {
    let p = p();
    let mut teens = activity("teens", "hull-youth", "Teens");
    teens.ages = AgeRange::years(11, 16).unwrap();
    let mut little = activity("little", "hull-youth", "Little ones");
    little.ages = AgeRange::parse("0m-18m").unwrap();
    let mut older = activity("older", "hull-youth", "Older");
    older.ages = AgeRange::years(17, 25).unwrap();
    let index = index_of(&[item(teens, &p), item(little, &p), item(older, &p)]);
    let age = |n| {
        let mut q = query();
        q.filters.age = Some(n);
        ids(&index, &q)
    };
    assert_eq!(age(13), ["teens"]);
    assert_eq!(age(11), ["teens"], "lower end");
    assert_eq!(age(16), ["teens"], "upper end");
    assert_eq!(age(17), ["older"]);
    assert_eq!(age(1), ["little"], "18 months covers a one-year-old");
    assert!(age(2).is_empty());
}

#[test]
fn radius_includes_a_venue_exactly_at_the_edge_and_reports_distance() {
    let p = p();
    let centre = Coordinates::new(HULL.0, HULL.1).unwrap();
    let mut near = activity("near", "hull-youth", "Near");
    near.venues = vec![venue("Near Hall", HULL.0 + 0.01, HULL.1)];
    let mut edge = activity("edge", "hull-youth", "Edge");
    edge.venues = vec![venue("Edge Hall", HULL.0 + 0.04, HULL.1)];
    let mut far = activity("far", "hull-youth", "Far");
    far.venues = vec![
        venue("Far Hall", HULL.0 + 0.3, HULL.1),
        venue("Second site", HULL.0 + 0.2, HULL.1),
    ];
    let mut online = activity("online", "hull-youth", "Online");
    online.venues.clear();
    online.online = true;
    let edge_km = centre.distance_km(Coordinates::new(HULL.0 + 0.04, HULL.1).unwrap());
    let index = index_of(&[
        item(near, &p),
        item(edge, &p),
        item(far, &p),
        item(online, &p),
    ]);

    let mut q = query();
    q.near = Some(Near {
        point: centre,
        radius_km: edge_km,
    });
    q.sort = Sort::Distance;
    let res = index.search(&q).unwrap();
    let got: Vec<_> = res
        .hits
        .iter()
        .map(|h| h.item.activity.id.as_str())
        .collect();
    assert_eq!(got, ["near", "edge"], "sorted nearest first; edge included");
    assert!((res.hits[1].distance_km.unwrap() - edge_km).abs() < 1e-9);
    assert!((res.hits[0].distance_km.unwrap() - 1.11).abs() < 0.01);

    q.near = Some(Near {
        point: centre,
        radius_km: 25.0,
    });
    let res = index.search(&q).unwrap();
    let far_hit = res
        .hits
        .iter()
        .find(|h| h.item.activity.id.as_str() == "far")
        .unwrap();
    assert!(
        far_hit.distance_km.unwrap() < 23.0,
        "distance is to the nearest venue"
    );
    // The page puts the map marker on that venue: the second site.
    assert_eq!(far_hit.nearest_venue, Some(1));
}

#[test]
fn sorting_by_distance_without_a_place_is_refused() {
    let index = index_of(&[]);
    let mut q = query();
    q.sort = Sort::Distance;
    assert!(index.search(&q).is_err());
}

fn timed(id: &str, day: Weekday, start: &str, end: &str) -> Activity {
    let mut a = activity(id, "hull-youth", id);
    session(&mut a, day, start, end);
    a
}

#[test]
fn when_filters_use_exact_overlap() {
    let p = p();
    let items = [
        timed("tue-1730-1900", Weekday::Tue, "17:30", "19:00"),
        timed("tue-1600-1800", Weekday::Tue, "16:00", "18:00"),
        timed("tue-1800-2000", Weekday::Tue, "18:00", "20:00"),
        timed("tue-1300-1500", Weekday::Tue, "13:00", "15:00"),
        timed("sat-1000-1200", Weekday::Sat, "10:00", "12:00"),
        timed("sat-1700-1900", Weekday::Sat, "17:00", "19:00"),
        timed("sun-2300-0100", Weekday::Sun, "23:00", "01:00"),
    ]
    .map(|a| item(a, &p));
    let index = index_of(&items);
    let when = |w| {
        let mut q = query();
        q.filters.when = Some(w);
        ids(&index, &q)
    };
    assert_eq!(
        when(When::Evening),
        [
            "sat-1700-1900",
            "sun-2300-0100",
            "tue-1730-1900",
            "tue-1800-2000"
        ],
        "a session ending exactly at 18:00 is not an evening session"
    );
    assert_eq!(
        when(When::AfterSchool),
        ["tue-1600-1800", "tue-1730-1900"],
        "weekdays only; 18:00 start and 15:00 end do not overlap"
    );
    assert_eq!(
        when(When::Weekend),
        ["sat-1000-1200", "sat-1700-1900", "sun-2300-0100"]
    );

    let mut q = query();
    q.filters.day = Some(Weekday::Sat);
    assert_eq!(ids(&index, &q), ["sat-1000-1200", "sat-1700-1900"]);
    q.filters.when = Some(When::Evening);
    assert_eq!(
        ids(&index, &q),
        ["sat-1700-1900"],
        "day and when hold for the same session"
    );
}

/// `a` running once only, on `day`, 10:00 to 16:00.
fn one_off(mut a: Activity, day: &str) -> Activity {
    a.schedule.weekly.clear();
    a.schedule.dated = vec![DatedSession {
        date: date(day),
        start: SessionTime::hm(10, 0),
        end: SessionTime::hm(16, 0),
    }];
    a
}

#[test]
fn in_the_holidays_means_the_next_school_holiday_however_far_off() {
    let p = p();
    let weekly_club = timed("weekly", Weekday::Tue, "17:00", "19:00");
    let mut term_only = timed("term-only", Weekday::Tue, "17:00", "19:00");
    term_only.schedule.weekly[0].term = TermPattern::TermTime;
    let mut holiday_club = timed("holiday-club", Weekday::Mon, "10:00", "15:00");
    holiday_club.schedule.weekly[0].term = TermPattern::SchoolHolidays;
    let dated = |id: &str, day: &str| one_off(activity(id, "hull-youth", id), day);
    // Christmas 2026 runs from 19 December to 3 January; February half term after it.
    let items = [
        weekly_club,
        term_only,
        holiday_club,
        dated("christmas-camp", "2026-12-31"),
        dated("before-christmas", "2026-12-18"),
        dated("half-term-camp", "2027-02-15"),
    ]
    .map(|a| item(a, &p));
    let index = index_of(&items);
    let holidays = |now: &str| {
        let mut q = SearchQuery::new(at(now));
        q.per_page = 100;
        q.filters.when = Some(When::Holidays(SchoolHoliday::Next));
        ids(&index, &q)
    };
    // From late November the holidays are a month away, past the usual four weeks.
    assert_eq!(
        holidays("2026-11-25 12:00"),
        ["christmas-camp", "holiday-club", "weekly"]
    );
    // In the holiday's last days only those days count: no Monday or Tuesday is left.
    assert_eq!(holidays("2026-12-30 12:00"), ["christmas-camp"]);
    assert_eq!(
        holidays("2027-01-04 12:00"),
        ["half-term-camp", "holiday-club", "weekly"],
        "back at school: the next holiday is February half term"
    );
    // Asked to put what runs only in the holidays first: the camp and the holiday club
    // before the club that runs all year.
    let mut q = SearchQuery::new(at("2026-11-25 12:00"));
    q.per_page = 100;
    q.filters.when = Some(When::Holidays(SchoolHoliday::Next));
    q.first = Some(First::HolidaysOnly);
    let order = in_order(&index, &q);
    assert_eq!(order.len(), 3);
    assert_eq!(order[2], "weekly", "{order:?}");
}

#[test]
fn with_soon_first_a_one_off_months_away_comes_after_weekly_clubs() {
    let p = p();
    let at_km = |id: &str, km: f64| {
        let mut a = activity(id, "hull-youth", id);
        a.venues = vec![venue("Hall", HULL.0 + km / 111.0, HULL.1)];
        a
    };
    let far_off = one_off(at_km("one-off-in-march", 0.1), "2027-03-20");
    let next_week = one_off(at_km("one-off-next-week", 3.0), "2026-12-02");
    let mut no_times = at_km("ask-about-times", 0.5);
    no_times.schedule = Default::default();
    let items = [
        far_off,
        at_km("weekly-1km", 1.0),
        at_km("weekly-2km", 2.0),
        next_week,
        no_times,
    ]
    .map(|a| item(a, &p));
    let index = index_of(&items);
    let mut q = query();
    q.near = Some(Near {
        point: Coordinates::new(HULL.0, HULL.1).unwrap(),
        radius_km: 10.0,
    });
    q.sort = Sort::Distance;
    let in_order = |q: &SearchQuery| in_order(&index, q);
    assert_eq!(in_order(&q)[0], "one-off-in-march", "nearest first");
    q.first = Some(First::Soon);
    assert_eq!(
        in_order(&q),
        [
            "weekly-1km",
            "weekly-2km",
            "one-off-next-week",
            "one-off-in-march",
            "ask-about-times"
        ],
        "with no timetable it is not known to run soon"
    );
    // Without a place: what runs soon first as well.
    q.near = None;
    q.sort = Sort::Relevance;
    let order = in_order(&q);
    assert_eq!(&order[3..], ["ask-about-times", "one-off-in-march"]);
    assert_eq!(index.search(&q).unwrap().total, 5, "nothing left out");
}

#[test]
fn now_means_running_at_this_moment_including_past_midnight() {
    let p = p();
    let items = [
        timed("sat-1000-1200", Weekday::Sat, "10:00", "12:00"),
        timed("fri-2300-0100", Weekday::Fri, "23:00", "01:00"),
    ]
    .map(|a| item(a, &p));
    let index = index_of(&items);
    let now = |t: &str| {
        let mut q = SearchQuery::new(at(t));
        q.filters.when = Some(When::Now);
        ids(&index, &q)
    };
    assert_eq!(
        now("2026-11-28 10:00"),
        ["sat-1000-1200"],
        "start is inclusive"
    );
    assert_eq!(now("2026-11-28 11:59"), ["sat-1000-1200"]);
    assert!(now("2026-11-28 12:00").is_empty(), "end is exclusive");
    assert_eq!(
        now("2026-11-28 00:30"),
        ["fri-2300-0100"],
        "Friday's late session"
    );
}

#[test]
fn a_timetable_answer_kept_for_one_moment_is_used_for_that_moment_only() {
    let p = p();
    let mut not_today = timed("sat-1000-1300-off", Weekday::Sat, "10:00", "13:00");
    not_today.schedule.exceptions = vec![date("2026-11-28")];
    let ten = timed("sat-1000-1200", Weekday::Sat, "10:00", "12:00");
    let ten_id = ten.id.clone();
    let items = [
        ten,
        timed("sat-1100-1300", Weekday::Sat, "11:00", "13:00"),
        not_today,
    ];
    let index = index_of(&items.map(|a| item(a, &p)));
    let now = |t: &str, place: bool| {
        let mut q = SearchQuery::new(at(t));
        q.filters.when = Some(When::Now);
        if place {
            q.near = Some(Near {
                point: Coordinates::new(HULL.0, HULL.1).unwrap(),
                radius_km: 5.0,
            });
        }
        ids(&index, &q)
    };
    // With a place and nothing kept, each listing nearby is checked.
    assert_eq!(now("2026-11-28 10:30", true), ["sat-1000-1200"]);
    // Without one the answer is worked out for the whole index and kept...
    assert_eq!(now("2026-11-28 10:30", false), ["sat-1000-1200"]);
    // ...and used by the next search at that moment, with a place or not.
    assert_eq!(now("2026-11-28 10:30", true), ["sat-1000-1200"]);
    assert_eq!(
        now("2026-11-28 11:30", false),
        ["sat-1000-1200", "sat-1100-1300"],
        "another minute, another answer"
    );
    assert_eq!(
        now("2026-12-05 10:30", false),
        ["sat-1000-1200", "sat-1000-1300-off"],
        "a week later the day off is past"
    );
    index.remove(&[ten_id], 1).unwrap();
    assert!(
        now("2026-11-28 10:30", false).is_empty(),
        "a kept answer does not bring back a removed listing"
    );
}

#[test]
fn term_dates_holidays_and_exceptions_are_honoured() {
    let p = p();
    let mut term = timed("term", Weekday::Tue, "16:00", "17:00");
    term.schedule.weekly[0].term = TermPattern::TermTime;
    let mut holiday = timed("holiday", Weekday::Tue, "10:00", "14:00");
    holiday.schedule.weekly[0].term = TermPattern::SchoolHolidays;
    let index = index_of(&[item(term, &p), item(holiday, &p)]);

    let mut q = query();
    q.filters.day = Some(Weekday::Tue);
    assert_eq!(
        ids(&index, &q),
        ["holiday", "term"],
        "late Nov: term, then Christmas"
    );
    q.now = at("2026-08-04 09:00");
    assert_eq!(ids(&index, &q), ["holiday"], "summer holidays");
    q.now = at("2026-09-15 09:00");
    assert_eq!(
        ids(&index, &q),
        ["term"],
        "four weeks of term, before half term"
    );

    // A Saturday club with its next four Saturdays all cancelled is not "on Saturday".
    let mut cancelled = timed("cancelled", Weekday::Sat, "10:00", "11:00");
    cancelled.schedule.exceptions = ["2026-11-28", "2026-12-05", "2026-12-12", "2026-12-19"]
        .map(date)
        .to_vec();
    let index = index_of(&[item(cancelled, &p)]);
    let mut q = query();
    q.filters.day = Some(Weekday::Sat);
    assert!(ids(&index, &q).is_empty());
}

#[test]
fn ended_schedules_are_hidden_and_future_dated_sessions_keep_listings() {
    let p = p();
    let mut ended = timed("ended", Weekday::Mon, "18:00", "19:00");
    ended.schedule.weekly[0].valid_to = Some(date("2026-11-24"));
    let mut ends_today = timed("ends-today", Weekday::Mon, "18:00", "19:00");
    ends_today.schedule.weekly[0].valid_to = Some(date("2026-11-25"));
    let mut one_off = timed("one-off", Weekday::Mon, "18:00", "19:00");
    one_off.schedule.weekly[0].valid_to = Some(date("2026-01-01"));
    one_off.schedule.dated.push(DatedSession {
        date: date("2026-12-12"),
        start: SessionTime::hm(10, 0),
        end: SessionTime::hm(12, 0),
    });
    let mut starts_later = timed("starts-later", Weekday::Mon, "18:00", "19:00");
    starts_later.schedule.weekly[0].valid_from = Some(date("2027-01-11"));
    let index = index_of(&[ended, ends_today, one_off, starts_later].map(|a| item(a, &p)));
    assert_eq!(
        ids(&index, &query()),
        ["ends-today", "one-off", "starts-later"]
    );

    let mut q = query();
    q.filters.day = Some(Weekday::Sat);
    assert_eq!(
        ids(&index, &q),
        ["one-off"],
        "the dated session is on a Saturday"
    );
}

#[test]
fn cost_filters() {
    let p = p();
    let free = activity("free", "hull-youth", "Free");
    let mut cheap = activity("cheap", "hull-youth", "Cheap");
    cheap.cost.free = false;
    cheap.cost.price_pence = Some(250);
    let mut dear = activity("dear", "hull-youth", "Dear");
    dear.cost.free = false;
    dear.cost.price_pence = Some(400);
    let mut ask = activity("ask", "hull-youth", "Ask");
    ask.cost.free = false;
    let index = index_of(&[free, cheap, dear, ask].map(|a| item(a, &p)));
    let mut q = query();
    q.filters.free = Some(true);
    assert_eq!(ids(&index, &q), ["free"]);
    let mut q = query();
    q.filters.max_price_pence = Some(300);
    assert_eq!(
        ids(&index, &q),
        ["cheap", "free"],
        "unknown prices are not promised"
    );
    q.filters.max_price_pence = Some(250);
    assert_eq!(ids(&index, &q), ["cheap", "free"], "max is inclusive");
}

#[test]
fn categories_combine_as_any_of_with_counts_for_every_category() {
    let p = p();
    let mut a = activity("sport", "hull-youth", "Sport");
    a.categories = vec![Category::Sport];
    let mut b = activity("music", "hull-youth", "Music");
    b.categories = vec![Category::Music, Category::YouthClub];
    let mut c = activity("art", "hull-youth", "Art");
    c.categories = vec![Category::ArtsCrafts];
    let index = index_of(&[a, b, c].map(|a| item(a, &p)));
    let mut q = query();
    q.filters.categories = vec![Category::Sport, Category::Music];
    let res = index.search(&q).unwrap();
    assert_eq!(res.total, 2);
    let count = |cat| {
        res.category_counts
            .iter()
            .find(|(c, _)| *c == cat)
            .map(|(_, n)| *n)
    };
    assert_eq!(
        count(Category::ArtsCrafts),
        Some(1),
        "counts ignore the category filter"
    );
    assert_eq!(count(Category::YouthClub), Some(1));
    assert_eq!(count(Category::Lgbtq), None);
}

#[test]
fn girls_find_mixed_and_girls_only() {
    let p = p();
    let mixed = activity("mixed", "hull-youth", "Mixed");
    let mut girls = activity("girls", "hull-youth", "Girls");
    girls.gender = Gender::Girls;
    let mut boys = activity("boys", "hull-youth", "Boys");
    boys.gender = Gender::Boys;
    let index = index_of(&[mixed, girls, boys].map(|a| item(a, &p)));
    let g = |gender| {
        let mut q = query();
        q.filters.gender = Some(gender);
        ids(&index, &q)
    };
    assert_eq!(g(Gender::Girls), ["girls", "mixed"]);
    assert_eq!(g(Gender::Boys), ["boys", "mixed"]);
    assert_eq!(g(Gender::Mixed), ["mixed"]);
}

#[test]
fn access_needs_all_hold_and_join_methods_any_hold() {
    let p = p();
    let mut both = activity("both", "hull-youth", "Both");
    both.access.wheelchair = true;
    both.access.quiet_sessions = true;
    both.access.languages = vec!["Polish".into()];
    let mut wheel = activity("wheel", "hull-youth", "Wheel");
    wheel.access.wheelchair = true;
    wheel.join.methods = vec![JoinMethod::ProfessionalReferral];
    let index = index_of(&[both, wheel].map(|a| item(a, &p)));
    let mut q = query();
    q.filters.access = vec![AccessNeed::Wheelchair];
    assert_eq!(ids(&index, &q), ["both", "wheel"]);
    q.filters.access.push(AccessNeed::Quiet);
    assert_eq!(ids(&index, &q), ["both"]);
    let mut q = query();
    q.filters.language = Some("polish".into());
    assert_eq!(ids(&index, &q), ["both"]);
    let mut q = query();
    q.filters.join = vec![JoinMethod::DropIn, JoinMethod::SelfReferral];
    assert_eq!(ids(&index, &q), ["both"]);
}

#[test]
fn newcomer_filters_all_hold() {
    let p = p();
    let mut alone_and_friend = activity("alone-friend", "hull-youth", "Open night");
    alone_and_friend.join.newcomers = vec![Newcomer::Alone, Newcomer::WithFriend];
    let mut parent = activity("parent", "hull-youth", "Toddler gym");
    parent.join.newcomers = vec![Newcomer::WithParent];
    let silent = activity("silent", "hull-youth", "Says nothing");
    let index = index_of(&[alone_and_friend, parent, silent].map(|a| item(a, &p)));
    let mut q = query();
    assert_eq!(ids(&index, &q).len(), 3);
    q.filters.newcomers = vec![Newcomer::Alone];
    assert_eq!(ids(&index, &q), ["alone-friend"]);
    q.filters.newcomers.push(Newcomer::WithParent);
    assert!(ids(&index, &q).is_empty(), "both must hold");
    q.filters.newcomers = vec![Newcomer::WithParent];
    assert_eq!(ids(&index, &q), ["parent"]);
}

fn verified(id: &str, checked_on: &str) -> Provider {
    let mut p = provider(id, id);
    p.verification = Verification::Verified(
        VerificationCheck::new(
            "R. Patel".into(),
            "Hull SPP".into(),
            date(checked_on),
            "Policy, DBS".into(),
            None,
        )
        .unwrap(),
    );
    p
}

#[test]
fn checked_keeps_only_verified_in_date_providers_and_status_is_derived() {
    let good = verified("good", "2026-03-01");
    let expired = verified("expired", "2025-11-24");
    let mut declared = provider("declared", "declared");
    declared.verification = Verification::SelfDeclared { declared_on: None };
    let none = provider("none", "none");
    let items = [
        item(activity("a-good", "good", "A"), &good),
        item(activity("a-expired", "expired", "A"), &expired),
        item(activity("a-declared", "declared", "A"), &declared),
        item(activity("a-none", "none", "A"), &none),
    ];
    let index = index_of(&items);
    let mut q = query();
    q.filters.checked = true;
    assert_eq!(ids(&index, &q), ["a-good"]);

    let status = |id: &str| {
        let res = index.search(&query()).unwrap();
        res.hits
            .into_iter()
            .find(|h| h.item.activity.id.as_str() == id)
            .unwrap()
            .safeguarding
    };
    assert_eq!(status("a-good"), SafeguardingStatus::Verified);
    assert_eq!(
        status("a-expired"),
        SafeguardingStatus::Expired,
        "expired 24 Nov 2026"
    );
    assert_eq!(status("a-declared"), SafeguardingStatus::SelfDeclared);
    assert_eq!(status("a-none"), SafeguardingStatus::NotChecked);

    // The day before it ran out it was still verified.
    let mut q = SearchQuery::new(at("2026-11-24 12:00"));
    q.filters.checked = true;
    assert_eq!(ids(&index, &q), ["a-expired", "a-good"]);
}

#[test]
fn paging_and_a_page_past_the_end() {
    let p = p();
    let items: Vec<_> = (0..25)
        .map(|i| item(activity(&format!("a{i:02}"), "hull-youth", "Club"), &p))
        .collect();
    let index = index_of(&items);
    let mut q = query();
    q.per_page = 10;
    q.page = 3;
    let res = index.search(&q).unwrap();
    assert_eq!((res.total, res.hits.len()), (25, 5));
    q.page = 99_999;
    let res = index.search(&q).unwrap();
    assert_eq!((res.total, res.hits.len()), (25, 0));
}

/// A search asked only for its count (no page, as the loosened suggestions ask) counts what
/// the full search finds, text and categories included.
#[test]
fn a_count_only_search_counts_what_the_full_search_finds() {
    let p = p();
    let cats = [Category::Sport, Category::Music];
    let items: Vec<_> = (0..30)
        .map(|i| {
            let title = if i % 3 == 0 {
                "Football club"
            } else {
                "Drama club"
            };
            let mut a = activity(&format!("a{i:02}"), "hull-youth", title);
            a.categories = vec![cats[i % 2]];
            item(a, &p)
        })
        .collect();
    let index = index_of(&items);
    for text in ["football", "club", "fotball"] {
        let full = index.search(&with_text(text)).unwrap();
        let mut q = with_text(text);
        q.per_page = 0;
        let count = index.search(&q).unwrap();
        assert!(full.total > 0, "{text}");
        assert_eq!(count.total, full.total, "{text}");
        assert_eq!(count.category_counts, full.category_counts, "{text}");
        assert!(count.hits.is_empty());
    }
}

/// A text search finds the same listings and counts whatever the order, with filters a
/// term decides (age, a day), one that needs each listing's row (price) and a place, and
/// with listings edited and removed after indexing: each order takes its own way through the
/// collector.
#[test]
fn a_text_search_finds_the_same_listings_in_every_order() {
    let p = p();
    let cats = [Category::Sport, Category::Music, Category::Outdoors];
    let make = |i: usize| {
        let title = if i.is_multiple_of(2) {
            "Youth rowing"
        } else {
            "Drama group"
        };
        let mut a = activity(&format!("a{i:02}"), "hull-youth", &format!("{title} {i}"));
        a.categories = vec![cats[i % 3]];
        a.ages = AgeRange::years((i % 4) as u16 * 4, (i % 4) as u16 * 4 + 6).unwrap();
        a.venues = vec![venue("Hall", HULL.0 + (i % 7) as f64 * 0.01, HULL.1)];
        a.cost.free = !i.is_multiple_of(5);
        a.cost.price_pence = i.is_multiple_of(5).then_some(200 + i as u32);
        let day = [Weekday::Mon, Weekday::Sat][(i / 4) % 2];
        session(&mut a, day, "18:00", "20:00");
        a.last_confirmed = Some(date("2026-01-01") + chrono::Duration::days((i * 7 % 30) as i64));
        item(a, &p)
    };
    let mut items: Vec<_> = (0..80).map(make).collect();
    let index = index_of(&items);
    items[10].activity.title = "Drama group 10".into();
    index.upsert(&[items[10].clone()], 0).unwrap();
    index.remove(&[items[12].activity.id.clone()], 0).unwrap();

    let near = Near {
        point: Coordinates::new(HULL.0, HULL.1).unwrap(),
        radius_km: 3.5,
    };
    let mut searches = Vec::new();
    for filters in 0..8 {
        let mut q = with_text("rowing");
        q.filters.age = (filters & 1 == 1).then_some(9);
        q.filters.day = (filters & 2 == 2).then_some(Weekday::Mon);
        q.near = (filters & 4 == 4).then_some(near);
        searches.push(q.clone());
        q.filters.categories = vec![Category::Music];
        searches.push(q.clone());
        q.filters.max_price_pence = Some(230);
        searches.push(q);
    }
    for base in searches {
        let mut answers = Vec::new();
        for sort in [Sort::Relevance, Sort::Confirmed, Sort::Distance] {
            if sort == Sort::Distance && base.near.is_none() {
                continue;
            }
            let mut q = base.clone();
            q.sort = sort;
            let (total, mut found, counts) = all_results(&index, &q);
            found.sort();
            assert_eq!(total, found.len(), "{q:?}");
            answers.push((total, found, counts));
        }
        assert!(answers[0].0 > 0, "{base:?}");
        for other in &answers[1..] {
            assert_eq!(&answers[0], other, "{base:?}");
        }
        // The edited listing lost the word; the removed one is gone.
        assert!(!answers[0].1.iter().any(|id| id == "a10" || id == "a12"));
        // Every even listing (within reach) that passes the filters, and nothing else.
        let mut expected: Vec<String> = items
            .iter()
            .filter(|it| {
                let a = &it.activity;
                let f = &base.filters;
                a.title.starts_with("Youth rowing")
                    && a.id.to_string() != "a12"
                    && base
                        .near
                        .as_ref()
                        .is_none_or(|n| a.venues[0].coordinates.distance_km(n.point) <= n.radius_km)
                    && f.age.is_none_or(|age| a.ages.includes_years(age))
                    && f.day.is_none_or(|d| a.schedule.weekly[0].day == d)
                    && f.max_price_pence
                        .is_none_or(|m| a.cost.free || a.cost.price_pence.is_some_and(|p| p <= m))
                    && (f.categories.is_empty() || f.categories.contains(&a.categories[0]))
            })
            .map(|it| it.activity.id.to_string())
            .collect();
        expected.sort();
        assert_eq!(answers[0].1, expected, "{base:?}");
    }
}

/// A short page of a text search ordered by relevance is the top of the whole order, with
/// enough matches in one segment that the collector stops reading the rows of matches whose
/// scores cannot make the page.
#[test]
fn a_short_page_of_a_text_search_is_the_top_of_the_whole_order() {
    let p = p();
    let items: Vec<_> = (0..400)
        .map(|i: usize| {
            // The word in the title for some, in descriptions of three lengths for the rest:
            // many equal scores, ordered among themselves by the date last confirmed.
            let title = if i.is_multiple_of(9) {
                "Rowing"
            } else {
                "Club"
            };
            let mut a = activity(&format!("a{i:03}"), "hull-youth", &format!("{title} {i}"));
            a.description = format!("rowing{}", " and more".repeat(i % 3));
            a.last_confirmed = Some(date("2026-01-01") + chrono::Duration::days((i % 40) as i64));
            item(a, &p)
        })
        .collect();
    let index = index_of(&items);
    let mut q = with_text("rowing");
    q.per_page = 400;
    let (total, whole, _) = all_results(&index, &q);
    assert_eq!(total, 400);
    let mut paged = Vec::new();
    q.per_page = 7;
    for page in 1..=5 {
        q.page = page;
        let (page_total, hits, _) = all_results(&index, &q);
        assert_eq!(page_total, total);
        paged.extend(hits);
    }
    assert_eq!(paged, whole[..35]);
    assert!(whole[..5].iter().all(|id| {
        let i: usize = id[1..].parse().unwrap();
        i.is_multiple_of(9)
    }));
}

#[test]
fn sort_by_confirmed_puts_the_most_recently_confirmed_first() {
    let p = p();
    let mut old = activity("old", "hull-youth", "Old");
    old.last_confirmed = Some(date("2025-01-01"));
    let mut new = activity("new", "hull-youth", "New");
    new.last_confirmed = Some(date("2026-11-20"));
    // Never confirmed: judged by when it was last updated.
    let mut never = activity("never", "hull-youth", "Never");
    never.last_confirmed = None;
    never.last_updated = "2024-06-01T09:00:00Z".parse().unwrap();
    let index = index_of(&[old, never, new].map(|a| item(a, &p)));
    let mut q = query();
    q.sort = Sort::Confirmed;
    let got: Vec<_> = index
        .search(&q)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.item.activity.id.to_string())
        .collect();
    assert_eq!(got, ["new", "old", "never"]);
}

fn all_results(
    index: &SearchIndex,
    q: &SearchQuery,
) -> (usize, Vec<String>, Vec<(Category, usize)>) {
    let res = index.search(q).unwrap();
    let ids = res
        .hits
        .iter()
        .map(|h| h.item.activity.id.to_string())
        .collect();
    (res.total, ids, res.category_counts)
}

#[test]
fn a_rebuilt_index_answers_exactly_as_the_incrementally_updated_one() {
    let p = p();
    let cats = [Category::Sport, Category::Music, Category::Outdoors];
    let make = |i: usize| {
        let mut a = activity(&format!("club-{i:02}"), "hull-youth", &format!("Club {i}"));
        a.categories = vec![cats[i % 3]];
        a.ages = AgeRange::years((i % 10) as u16, (i % 10 + 5) as u16).unwrap();
        a.venues = vec![venue("Hall", HULL.0 + i as f64 * 0.002, HULL.1)];
        session(
            &mut a,
            [Weekday::Mon, Weekday::Sat][i % 2],
            "17:00",
            "19:00",
        );
        a.last_confirmed = Some(date("2026-01-01") + chrono::Duration::days(i as i64));
        item(a, &p)
    };
    let mut items: Vec<_> = (0..30).map(make).collect();

    let incremental = SearchIndex::in_memory().unwrap();
    for chunk in items.chunks(7) {
        incremental.upsert(chunk, 0).unwrap();
    }
    // Edit some, remove some, one at a time, searching in between: what a search keeps
    // about a segment must not outlive the segment's next deletion.
    let everything = incremental.search(&query()).unwrap().total;
    for i in [3, 8, 21] {
        items[i].activity.title = format!("Renamed football {i}");
        items[i].activity.categories = vec![Category::Sport, Category::Music];
        incremental.upsert(&[items[i].clone()], 0).unwrap();
        // The old version is gone, not counted beside the new one.
        assert_eq!(incremental.search(&query()).unwrap().total, everything);
    }
    let removed: Vec<_> = items.drain(25..).map(|i| i.activity.id).collect();
    incremental.remove(&removed, 0).unwrap();
    assert_eq!(
        incremental.search(&query()).unwrap().total,
        everything - removed.len()
    );

    let rebuilt = index_of(&items);
    let mut queries = vec![query(), with_text("football"), with_text("club")];
    let mut q = query();
    q.filters.age = Some(7);
    q.filters.categories = vec![Category::Music];
    queries.push(q);
    let mut q = query();
    q.near = Some(Near {
        point: Coordinates::new(HULL.0, HULL.1).unwrap(),
        radius_km: 3.0,
    });
    q.sort = Sort::Distance;
    q.filters.when = Some(When::Evening);
    queries.push(q);
    let mut q = query();
    q.sort = Sort::Confirmed;
    q.filters.day = Some(Weekday::Sat);
    queries.push(q);
    for q in &queries {
        let (a_total, mut a_ids, a_counts) = all_results(&incremental, q);
        let (b_total, mut b_ids, b_counts) = all_results(&rebuilt, q);
        assert_eq!(a_total, b_total, "{q:?}");
        assert_eq!(a_counts, b_counts, "{q:?}");
        if q.filters.text.is_some() {
            // BM25 statistics count deleted documents until segments merge, so text scores
            // (and so ties) may differ slightly; the matching set may not.
            a_ids.sort();
            b_ids.sort();
        }
        assert_eq!(a_ids, b_ids, "{q:?}");
    }
    assert_eq!(incremental.len(), rebuilt.len());
}

#[test]
fn an_index_on_disk_reopens_and_one_from_another_version_starts_empty() {
    let dir = tempfile::tempdir().unwrap();
    let p = p();
    {
        let (index, opened) = SearchIndex::open(dir.path()).unwrap();
        assert_eq!(opened, IndexOpened::Empty);
        index
            .upsert(&[item(activity("a", "hull-youth", "A"), &p)], 0)
            .unwrap();
    }
    {
        let (index, opened) = SearchIndex::open(dir.path()).unwrap();
        assert_eq!(opened, IndexOpened::Existing);
        assert_eq!(index.len(), 1);
        index.remove(&[], 7).unwrap();
        assert_eq!(index.generation().unwrap(), Some(7));
    }
    std::fs::write(
        dir.path().join("signpost-index-version"),
        "signpost-index-0",
    )
    .unwrap();
    std::fs::write(dir.path().join("README.md"), "derived").unwrap();
    let (index, opened) = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(opened, IndexOpened::Empty);
    assert_eq!(index.len(), 0);
    assert!(
        dir.path().join("README.md").exists(),
        "notes left by people are kept"
    );
}

#[test]
fn next_session_is_reported() {
    let p = p();
    let index = index_of(&[item(activity("a", "hull-youth", "A"), &p)]);
    let hit = index.search(&query()).unwrap().hits.remove(0);
    let next = hit.next_session.unwrap();
    assert_eq!(next.date, date("2026-11-28"));
}

#[test]
fn a_second_writer_on_the_same_directory_is_told_the_index_is_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let (first, _) = SearchIndex::open(dir.path()).unwrap();
    first
        .upsert(&[item(activity("a", "hull-youth", "A"), &p())], 0)
        .unwrap();
    let err = SearchIndex::open(dir.path()).unwrap_err().to_string();
    assert!(err.contains("in use by another Signpost process"), "{err}");
    first
        .upsert(&[item(activity("b", "hull-youth", "B"), &p())], 0)
        .unwrap();
    assert_eq!(first.len(), 2, "the running index was left alone");
}

#[test]
fn listings_not_confirmed_for_long_are_marked_and_rank_below_fresh_ones() {
    let p = p();
    let mut stale = activity("stale", "hull-youth", "Football club");
    stale.last_confirmed = Some(date("2026-01-10"));
    let mut fresh = activity("fresh", "hull-youth", "Football club");
    fresh.last_confirmed = Some(date("2026-11-01"));
    // A stale listing that matches the words better still keeps its place above a fresh one
    // that barely matches only if it is far more relevant; equal matches go fresh first.
    let index = index_of(&[stale, fresh].map(|a| item(a, &p)));
    let mut q = query();
    q.filters.text = Some("football".into());
    q.fresh_since = Some(date("2026-05-21"));
    let hits = index.search(&q).unwrap().hits;
    let got: Vec<_> = hits
        .iter()
        .map(|h| (h.item.activity.id.to_string(), h.stale))
        .collect();
    assert_eq!(
        got,
        [("fresh".to_owned(), false), ("stale".to_owned(), true)]
    );
    // Without a freshness date nothing is marked.
    q.fresh_since = None;
    assert!(index.search(&q).unwrap().hits.iter().all(|h| !h.stale));
}

#[test]
fn withdrawn_listings_leave_search() {
    let p = p();
    let mut gone = activity("gone", "hull-youth", "Football club");
    gone.withdrawn = true;
    let index = index_of(&[gone].map(|a| item(a, &p)));
    let mut q = query();
    q.filters.text = Some("football".into());
    assert_eq!(index.search(&q).unwrap().total, 0);
}

/// A rebuild hands over each listing's JSON as the store holds it (its keys in any order);
/// the listing found is the one stored.
#[test]
fn a_listing_indexed_from_its_stored_json_is_found_as_it_was_stored() {
    let p = p();
    let mut a = activity("drama", "hull-youth", "Drama for \"young\" people");
    a.description = "Scenes, songs and a show at the end of term.\nAll welcome.".into();
    let item = item(a, &p);
    // The store's JSON need not be serde's own: reverse the keys of the activity.
    let value = serde_json::to_value(&item.activity).unwrap();
    let reversed: serde_json::Map<String, serde_json::Value> = value
        .as_object()
        .unwrap()
        .clone()
        .into_iter()
        .rev()
        .collect();
    let activity_json = serde_json::to_string(&reversed).unwrap();
    let provider_json = serde_json::to_string(&item.provider).unwrap();
    let prepared = Prepared::new(item.clone(), activity_json, provider_json.into());

    let index = SearchIndex::in_memory().unwrap();
    let mut rebuild = index.start_rebuild().unwrap();
    rebuild.add_prepared(&[prepared]).unwrap();
    rebuild.commit(0).unwrap();
    let found = index.search(&with_text("drama")).unwrap();
    assert_eq!(found.total, 1);
    assert_eq!(found.hits[0].item, item);
}

/// Every entry of the reviewed synonym file (`src/synonyms.toml`), one case each: the word
/// finds the listing its entry names, by meaning alone (the title never says the word, even
/// by stem), and not a listing about something else.
#[test]
fn every_synonym_finds_its_listing_by_meaning_alone() {
    // A provider whose name says nothing any entry means.
    let p = provider("hull-youth", "Example Trust");
    let mut analyser = signpost_search::text::analyser();
    let mut problems = Vec::new();
    for (word, means, finds) in signpost_search::text::synonym_entries() {
        let own = signpost_search::text::tokens(&mut analyser, word);
        let title = signpost_search::text::tokens(&mut analyser, finds);
        if own.iter().any(|t| title.contains(t)) {
            problems.push(format!(
                "{word}: \"{finds}\" says the word itself (by stem), so it proves nothing"
            ));
            continue;
        }
        for alt in means {
            let alt_tokens = signpost_search::text::tokens(&mut analyser, alt);
            if !alt_tokens.is_empty() && alt_tokens == own {
                problems.push(format!(
                    "{word}: \"{alt}\" is the same word to search (same stem): drop it"
                ));
            }
        }
        let mut found = activity("found", "hull-youth", finds);
        found.description = String::new();
        let mut decoy = activity("decoy", "hull-youth", "Chess Evening");
        decoy.description = String::new();
        let index = index_of(&[item(found, &p), item(decoy, &p)]);
        let got = ids(&index, &with_text(word));
        if got != ["found"] {
            problems.push(format!("{word}: finds {got:?}, not \"{finds}\""));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
