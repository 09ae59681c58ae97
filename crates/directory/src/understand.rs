//! Reading filters out of the words people type.
//!
//! People type "free football on saturday near HU5 for a 13 year old" into the search box. Read
//! literally, every word must appear in a listing, and almost nothing matches. This turns the
//! words that name a filter (a day, "weekend", "in the holidays", "free", "cheap", an age,
//! "girls", a postcode, or after "near" or "in" a place the directory knows or a UK town) into
//! that filter, leaving the rest as search text. The web page then
//! shows the filters in the form, so the person sees exactly what was searched and can change
//! it. The JSON API does not do this: its parameters mean exactly what they say.

use chrono::Weekday;
use signpost_model::{Postcode, parse_weekday, weekday_name};

/// What the words said, as search parameters.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Understood {
    /// The words left over for text search.
    pub text: String,
    /// Parameters read from the words, e.g. `("day", "saturday")`.
    pub params: Vec<(&'static str, String)>,
}

const AGE_WORDS: &[&str] = &[
    "year",
    "years",
    "yr",
    "yrs",
    "year-old",
    "year-olds",
    "yo",
    "y/o",
];

fn clean(word: &str) -> String {
    word.trim_matches(|c: char| matches!(c, ',' | '.' | '!' | '?' | ';' | ':' | '"' | '(' | ')'))
        .to_lowercase()
}

/// Words cleaned and joined by spaces: a place name as the directory looks it up.
fn joined(words: &[&str]) -> String {
    words.iter().map(|w| clean(w)).collect::<Vec<_>>().join(" ")
}

fn age_in(word: &str) -> Option<u16> {
    // "13yo", "13yr", "13-year-old", "13yrs"
    let digits: String = word.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 2 {
        return None;
    }
    let rest = word[digits.len()..].trim_start_matches('-');
    let rest = rest
        .strip_suffix("-old")
        .or(rest.strip_suffix("-olds"))
        .unwrap_or(rest);
    if ["yo", "yr", "yrs", "year", "years", "year-old", "year-olds"].contains(&rest) {
        digits.parse().ok()
    } else {
        None
    }
}

/// Reads filters out of `text`. `has` says whether a parameter was already given (explicit
/// choices win); `known_place` says whether the directory can place a postcode or place name;
/// `today` is the day "today", "tonight" and "tomorrow" mean.
pub fn understand(
    text: &str,
    has: impl Fn(&str) -> bool,
    known_place: impl Fn(&str) -> bool,
    today: Weekday,
) -> Understood {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut kept: Vec<&str> = Vec::new();
    let mut params: Vec<(&'static str, String)> = Vec::new();
    let set = |params: &mut Vec<(&'static str, String)>, name: &'static str, value: String| {
        if has(name) || params.iter().any(|(n, _)| *n == name) {
            false
        } else {
            params.push((name, value));
            true
        }
    };
    let mut i = 0;
    while i < words.len() {
        let w = clean(words[i]);
        let next = words.get(i + 1).map(|n| clean(n));
        let after = words.get(i + 2).map(|n| clean(n));
        let mut used = 0;

        // A postcode, full ("HU5 3AB" as one or two words) or a district ("HU5"), that the
        // directory knows. A preceding "near"/"in"/"around" goes with it.
        let (lead, at, at_next) = if matches!(w.as_str(), "near" | "in" | "around") {
            (1, next.clone(), after.clone())
        } else {
            (0, Some(w.clone()), next.clone())
        };
        if let Some(at) = at {
            let two = at_next.map(|n| format!("{at} {n}"));
            let postcode = two
                .as_deref()
                .and_then(|t| {
                    Postcode::parse(t)
                        .ok()
                        .filter(|p| p.is_full())
                        .map(|p| (p, 2))
                })
                .or_else(|| Postcode::parse(&at).ok().map(|p| (p, 1)));
            if let Some((pc, n)) = postcode {
                // One the directory knows; or after "near" (or whole, "M1 1AE"), any in a
                // real UK area, so the page can say Signpost lists nothing there yet.
                let place = known_place(&pc.to_string())
                    || ((lead == 1 || pc.is_full()) && pc.in_uk_area());
                if place && set(&mut params, "near", pc.to_string()) {
                    used = lead + n;
                }
            } else if lead == 0 && i > 0 && words.len() - i <= 3 {
                // A place the directory knows, typed last without "near" ("swimming for
                // toddlers hull"): the words before it say what, it says where. Only last,
                // so "hull city" stays words.
                let name = joined(&words[i..]);
                if known_place(&name) && set(&mut params, "near", name) {
                    used = words.len() - i;
                }
            } else if lead == 1 {
                // "near Hull", "in Milton Keynes": a place name only counts after "near",
                // "in" or "around", and must be one the directory knows or a UK town. After
                // "in" a town must be written as a name ("in Reading", not "help in reading"):
                // "in" is also the commonest little word.
                let as_name = w != "in"
                    || words
                        .get(i + 1)
                        .and_then(|n| n.chars().next())
                        .is_some_and(char::is_uppercase);
                let name = (1..=3).rev().find_map(|n| {
                    let name = joined(words.get(i + 1..i + 1 + n)?);
                    let town = || as_name && signpost_model::uk_post_town(&name).is_some();
                    (!name.is_empty() && (known_place(&name) || town())).then_some((name, n))
                });
                if let Some((name, n)) = name
                    && set(&mut params, "near", name)
                {
                    used = 1 + n;
                }
            }
        }
        if used == 0 {
            if let Some(age) = age_in(&w) {
                if set(&mut params, "age", age.to_string()) {
                    used = 1 + usize::from(next.as_deref() == Some("old"));
                }
            } else if let Ok(n) = w.parse::<u16>() {
                if n <= 25
                    && next.as_deref().is_some_and(|x| AGE_WORDS.contains(&x))
                    && set(&mut params, "age", n.to_string())
                {
                    used = 2 + usize::from(matches!(after.as_deref(), Some("old" | "olds")));
                }
            } else if (matches!(
                w.replace('\u{2019}', "'").as_str(),
                "age" | "aged" | "ages" | "im" | "i'm"
            ) || (w == "am" && i > 0 && clean(words[i - 1]) == "i"))
                && let Some(n) = next.as_deref().and_then(|x| x.parse::<u16>().ok())
                && n <= 25
                && set(&mut params, "age", n.to_string())
            {
                used = 2;
            }
        }
        if used == 0 {
            let day = w
                .strip_suffix('s')
                .filter(|d| d.ends_with("day"))
                .unwrap_or(&w);
            // Each filter with how many words say it.
            let one = |name, value: &str| Some((name, value.to_owned(), 1));
            let two = |name, value: &str| Some((name, value.to_owned(), 2));
            let on = |d: Weekday| one("day", weekday_name(d));
            // "Tonight" is this evening: the day as well as the time (below).
            if w == "tonight" && !has("when") {
                set(&mut params, "day", weekday_name(today).to_owned());
            }
            let matched = match w.as_str() {
                _ if day.ends_with("day") && parse_weekday(day).is_ok() => {
                    parse_weekday(day).ok().and_then(on)
                }
                "today" => on(today),
                "tomorrow" => on(today.succ()),
                "weekend" | "weekends" => one("when", "weekend"),
                "evening" | "evenings" | "tonight" | "night" | "nights" => one("when", "evening"),
                "after-school" | "afterschool" => one("when", "after-school"),
                "after" if next.as_deref() == Some("school") => two("when", "after-school"),
                // "In the holidays", "half term": the school holiday under way or the next.
                // "Holiday" alone stays a word: "holiday club" names the thing itself.
                "holidays" | "hols" => one("when", "holidays"),
                "half-term" | "halfterm" => one("when", "half-term"),
                "half" if next.as_deref() == Some("term") => two("when", "half-term"),
                // "The summer hols" are the next summer holidays, not the next holiday.
                "school" | "christmas" | "xmas" | "easter" | "summer"
                    if matches!(next.as_deref(), Some("holidays" | "hols")) =>
                {
                    let which = match w.as_str() {
                        "school" => "holidays",
                        "christmas" | "xmas" => "christmas-holidays",
                        "easter" => "easter-holidays",
                        _ => "summer-holidays",
                    };
                    two("when", which)
                }
                "free" => one("free", "true"),
                // What people call cheap: the guide's "up to £5 each time", shown as a filter
                // they can take away.
                "cheap" | "affordable" | "inexpensive" | "low-cost" => one("max_price", "5"),
                "low" if next.as_deref() == Some("cost") => two("max_price", "5"),
                "girl" | "girls" | "girls'" => one("gender", "girls"),
                "boy" | "boys" | "boys'" => one("gender", "boys"),
                _ => None,
            };
            if let Some((name, value, words)) = matched
                && set(&mut params, name, value)
            {
                used = words;
            }
        }
        if used == 0 {
            kept.push(words[i]);
            used = 1;
        }
        i += used;
    }
    // Little words left hanging once the filters are gone.
    let filler = [
        "on", "for", "a", "an", "the", "near", "in", "at", "old", "olds", "my", "me", "during",
        "over",
    ];
    let text = if params.is_empty() {
        text.trim().to_owned()
    } else {
        kept.into_iter()
            .filter(|w| !filler.contains(&clean(w).as_str()))
            .collect::<Vec<_>>()
            .join(" ")
    };
    Understood { text, params }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Understood {
        understand(
            text,
            |_| false,
            |p| ["HU5", "HU5 3AB", "hull"].contains(&p),
            Weekday::Wed,
        )
    }

    fn params(u: &Understood) -> Vec<(&str, &str)> {
        u.params.iter().map(|(n, v)| (*n, v.as_str())).collect()
    }

    #[test]
    fn the_example_sentence_becomes_filters() {
        let u = read("free football on Saturday near HU5 for a 13-year-old");
        assert_eq!(u.text, "football");
        assert_eq!(
            params(&u),
            [
                ("free", "true"),
                ("day", "saturday"),
                ("near", "HU5"),
                ("age", "13")
            ]
        );
    }

    #[test]
    fn ages_weeks_and_places_in_other_words() {
        let u = read("drama for 9 year olds at weekends in Hull");
        assert_eq!(u.text, "drama");
        assert_eq!(
            params(&u),
            [("age", "9"), ("when", "weekend"), ("near", "hull")]
        );
        let u = read("girls boxing after school hu5 3ab");
        assert_eq!(u.text, "boxing");
        assert_eq!(
            params(&u),
            [
                ("gender", "girls"),
                ("when", "after-school"),
                ("near", "HU5 3AB")
            ]
        );
        assert_eq!(params(&read("aged 7 swimming")), [("age", "7")]);
        assert_eq!(
            params(&read("stuff after school im 12")),
            [("when", "after-school"), ("age", "12")]
        );
        assert_eq!(params(&read("I\u{2019}m 14 and like art")), [("age", "14")]);
        // On a Wednesday.
        assert_eq!(
            params(&read("anything on tonight")),
            [("day", "wednesday"), ("when", "evening")]
        );
        assert_eq!(params(&read("football today")), [("day", "wednesday")]);
        assert_eq!(
            params(&read("youth club friday night")),
            [("day", "friday"), ("when", "evening")]
        );
        let u = read("things to do in the holidays");
        assert_eq!(
            (u.text.as_str(), params(&u)),
            ("things to do", vec![("when", "holidays")])
        );
        let u = read("football over half term");
        assert_eq!(
            (u.text.as_str(), params(&u)),
            ("football", vec![("when", "half-term")])
        );
        assert_eq!(
            params(&read("surf camp in the summer hols")),
            [("when", "summer-holidays")]
        );
        let u = read("cheap stuff in the christmas holidays");
        assert_eq!(
            (u.text.as_str(), params(&u)),
            (
                "stuff",
                vec![("max_price", "5"), ("when", "christmas-holidays")]
            )
        );
        let u = read("low cost gym");
        assert_eq!(
            (u.text.as_str(), params(&u)),
            ("gym", vec![("max_price", "5")])
        );
        assert!(read("summer camp").params.is_empty());
        let u = read("drama in the school hols");
        assert_eq!(
            (u.text.as_str(), params(&u)),
            ("drama", vec![("when", "holidays")])
        );
        assert_eq!(params(&read("drama tomorrow")), [("day", "thursday")]);
        // Times of day are not ages, and "am" is an age only after "I".
        assert_eq!(params(&read("swimming 7 am 8 am")), []);
        assert_eq!(params(&read("i am 9")), [("age", "9")]);
        assert_eq!(
            params(&read("13yo coding sundays")),
            [("age", "13"), ("day", "sunday")]
        );
    }

    #[test]
    fn places_signpost_does_not_list_are_still_read_as_places() {
        // So the page can say it lists nothing there, rather than look for the word.
        let u = read("football in Manchester");
        assert_eq!(
            (u.text.as_str(), params(&u)),
            ("football", vec![("near", "manchester")])
        );
        let u = read("swimming near milton keynes on sunday");
        assert_eq!(
            (u.text.as_str(), params(&u)),
            (
                "swimming",
                vec![("near", "milton keynes"), ("day", "sunday")]
            )
        );
        let u = read("dance near M1");
        assert_eq!(
            (u.text.as_str(), params(&u)),
            ("dance", vec![("near", "M1")])
        );
        let u = read("dance M1 1AE");
        assert_eq!(params(&u), [("near", "M1 1AE")]);
        // A bare district Signpost does not know stays a word: it may be a name.
        assert!(read("E99 club").params.is_empty());
        assert!(read("in narnia").params.is_empty());
        // A place the directory knows, typed last, is where.
        let u = read("swimming for toddlers hull");
        assert_eq!(
            (u.text.as_str(), params(&u)),
            ("swimming toddlers", vec![("near", "hull")])
        );
        assert!(
            read("hull").params.is_empty(),
            "a place alone is what was typed"
        );
        // After "in", a town is a name only when written as one: reading is also a word.
        assert!(read("help in reading").params.is_empty());
        assert_eq!(params(&read("drama in Reading")), [("near", "reading")]);
        assert_eq!(params(&read("drama near bath")), [("near", "bath")]);
    }

    #[test]
    fn ordinary_words_are_left_alone() {
        for text in [
            "football",
            "u12 football",
            "sunshine club",
            "E99 club",
            "hull city",
            "holiday club",
            "school choir",
        ] {
            let u = read(text);
            assert!(u.params.is_empty(), "{text}: {u:?}");
            assert_eq!(u.text, text);
        }
    }

    #[test]
    fn explicit_parameters_win() {
        let u = understand(
            "free saturday football",
            |p| p == "day",
            |_| false,
            Weekday::Wed,
        );
        assert_eq!(u.text, "saturday football");
        assert_eq!(u.params, vec![("free", "true".to_owned())]);
    }
}
