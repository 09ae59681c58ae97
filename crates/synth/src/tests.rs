//! The synthetic directory is reproducible, imports cleanly and covers what a benchmark needs.

use std::collections::{HashMap, HashSet};

use signpost_ingest::DirectoryFile;
use signpost_model::{Activity, Category, Gender, Provider, SafeguardingStatus, TermPattern};
use signpost_search::text::{analyser, synonyms, tokens};

use super::*;

fn bytes(activities: usize, seed: u64) -> Vec<u8> {
    let mut out = Vec::new();
    Synth::new(activities, seed)
        .write_directory(&mut out)
        .unwrap();
    out
}

/// Activities and providers of a 2,000-listing directory, made once.
fn sample() -> &'static (Vec<Provider>, Vec<Activity>) {
    static SAMPLE: std::sync::OnceLock<(Vec<Provider>, Vec<Activity>)> = std::sync::OnceLock::new();
    SAMPLE.get_or_init(|| {
        let s = Synth::new(2_000, 1);
        (s.providers().collect(), s.activities().collect())
    })
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_does_not() {
    let a = bytes(300, 1);
    assert_eq!(a, bytes(300, 1));
    assert_ne!(a, bytes(300, 2));
}

#[test]
fn the_bytes_do_not_depend_on_the_number_of_threads() {
    fn assert_sync<T: Sync>() {}
    assert_sync::<Synth>();
    let s = Synth::new(3 * CHUNK + 17, 5);
    let write = |threads| {
        let mut out = Vec::new();
        records(&mut out, s.activity_count(), threads, |i| s.activity(i)).unwrap();
        out
    };
    let one = write(1);
    assert_eq!(one, write(2));
    assert_eq!(one, write(3));
    assert_eq!(
        one.iter().filter(|b| **b == b'\n').count(),
        s.activity_count()
    );
}

#[test]
fn records_can_be_made_in_any_order() {
    let s = Synth::new(1_000, 3);
    for i in [0, 1, 249, 250, 251, 777, 999] {
        assert_eq!(
            s.activity(i),
            s.activities().nth(i).unwrap(),
            "activity {i}"
        );
    }
    for j in [0, 1, 124, 249] {
        assert_eq!(s.provider(j), s.providers().nth(j).unwrap(), "provider {j}");
    }
    // A bigger directory keeps the first records' providers where they were.
    assert_eq!(Synth::new(5_000, 3).provider(7), s.provider(7));
}

#[test]
fn about_one_provider_per_four_activities_and_every_provider_runs_something() {
    let s = Synth::new(2_000, 1);
    assert_eq!(s.activity_count(), 2_000);
    assert_eq!(s.provider_count(), 500);
    assert_eq!(Synth::new(1, 1).provider_count(), 1);
    assert_eq!(Synth::new(0, 1).provider_count(), 0);
    let (providers, activities) = sample();
    let runs: HashSet<&str> = activities.iter().map(|a| a.provider_id.as_str()).collect();
    for p in providers {
        assert!(runs.contains(p.id.as_str()), "{} runs nothing", p.id);
    }
}

#[test]
fn the_file_passes_the_importers_checks() {
    let text = String::from_utf8(bytes(2_000, 1)).unwrap();
    let file = DirectoryFile::parse(&text).unwrap_or_else(|e| panic!("{e}"));
    assert!(!file.sample);
    assert!(file.note.contains("SYNTHETIC"));
    assert_eq!(file.providers.len(), 500);
    assert_eq!(file.activities.len(), 2_000);
    let providers: HashSet<_> = file.providers.iter().map(|p| &p.id).collect();
    for a in &file.activities {
        assert!(providers.contains(&a.provider_id), "{}", a.id);
        assert!((1..=3).contains(&a.categories.len()), "{}", a.id);
    }
    // Every town is searchable by name and by each of its districts.
    let import = file.postcode_import();
    let names: HashSet<&str> = import.places.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names.len(), TOWNS.len());
    assert_eq!(
        import.postcodes.len(),
        TOWNS.iter().map(|t| t.districts.len()).sum::<usize>()
    );
    for t in TOWNS {
        assert!(
            import
                .places
                .iter()
                .any(|p| p.name == t.name && p.radius_km == Some(t.radius_km)),
            "{}",
            t.name
        );
    }
}

#[test]
fn every_category_state_cost_and_kind_of_timetable_is_there() {
    let (providers, activities) = sample();
    let today = SYNTH_TODAY;
    let statuses: HashSet<SafeguardingStatus> = providers
        .iter()
        .map(|p| p.verification.status(today))
        .collect();
    assert_eq!(statuses.len(), 4, "{statuses:?}");
    assert!(providers.iter().any(|p| p.trusted));

    let mut categories: HashMap<Category, usize> = HashMap::new();
    for a in activities {
        for c in &a.categories {
            *categories.entry(*c).or_default() += 1;
        }
    }
    for c in Category::ALL {
        assert!(
            categories.get(c).copied().unwrap_or(0) >= 20,
            "{c:?}: {categories:?}"
        );
    }

    let count = |f: &dyn Fn(&Activity) -> bool| activities.iter().filter(|a| f(a)).count();
    let share = |f: &dyn Fn(&Activity) -> bool| count(f) as f64 / activities.len() as f64;
    let free = share(&|a| a.cost.free);
    assert!((0.4..0.6).contains(&free), "free {free}");
    assert!(count(&|a| a.cost.price_pence == Some(50)) > 0);
    assert!(count(&|a| a.cost.price_pence == Some(1_500)) > 0);
    assert!(
        count(&|a| a
            .cost
            .price_pence
            .is_some_and(|p| !(50..=1_500).contains(&p)))
            == 0
    );
    assert!(count(&|a| a.cost.bursary) > 0 && count(&|a| a.cost.concessions.is_some()) > 0);
    assert!(count(&|a| a.gender == Gender::Girls) > 50);
    assert!(count(&|a| a.gender == Gender::Boys) > 50);
    assert!(count(&|a| a.ages.min_months() == 0 && a.ages.max_months() < 24) > 0);
    assert!(count(&|a| a.ages.max_years() == 25) > 0);
    assert!(count(&|a| a.age_not_stated) > 0);
    assert!(count(&|a| a.online && a.venues.is_empty()) > 10);
    assert!(count(&|a| a.venues.len() == 2) > 200);
    assert!(count(&|a| a.withdrawn) > 0);
    assert!(count(&|a| !a.access.languages.is_empty()) > 50);
    assert!(count(&|a| a.join.methods.contains(&JoinMethod::ProfessionalReferral)) > 20);
    assert!(count(&|a| !a.join.newcomers.is_empty()) > 200);

    let weekly = |a: &Activity, f: &dyn Fn(&signpost_model::WeeklySession) -> bool| {
        a.schedule.weekly.iter().any(f)
    };
    let minutes = |t: signpost_model::SessionTime| t.minutes();
    let weekday = |d: chrono::Weekday| d.num_days_from_monday() < 5;
    let after_school = count(&|a| {
        weekly(a, &|w| {
            weekday(w.day) && minutes(w.start) >= 15 * 60 + 30 && minutes(w.end) <= 18 * 60
        })
    });
    let evening = count(&|a| weekly(a, &|w| minutes(w.start) >= 18 * 60));
    let weekend = count(&|a| weekly(a, &|w| !weekday(w.day)));
    let term_time = count(&|a| weekly(a, &|w| w.term == TermPattern::TermTime));
    let holidays = count(&|a| weekly(a, &|w| w.term == TermPattern::SchoolHolidays));
    let holiday_clubs = count(&|a| {
        !a.schedule.dated.is_empty()
            && a.schedule
                .dated
                .iter()
                .all(|d| signpost_model::calendar::is_school_holiday(d.date) && d.date > today)
    });
    let ended = count(&|a| a.schedule.has_ended(today));
    let later = count(&|a| weekly(a, &|w| w.valid_from.is_some_and(|f| f > today)));
    let seasons = count(&|a| weekly(a, &|w| w.valid_to.is_some_and(|t| t > today)));
    let days_off = count(&|a| !a.schedule.exceptions.is_empty());
    let no_times = count(&|a| a.schedule.is_empty());
    let past_midnight = count(&|a| weekly(a, &|w| w.end < w.start));
    let two_sessions = count(&|a| a.schedule.weekly.len() >= 2);
    for (what, n, least) in [
        ("after school", after_school, 300),
        ("evening", evening, 300),
        ("weekend", weekend, 300),
        ("term time", term_time, 300),
        ("school holidays", holidays, 30),
        ("holiday clubs", holiday_clubs, 30),
        ("ended", ended, 30),
        ("starting later", later, 15),
        ("seasons", seasons, 100),
        ("days off", days_off, 100),
        ("no times", no_times, 5),
        ("past midnight", past_midnight, 1),
        ("two sessions", two_sessions, 200),
    ] {
        assert!(n >= least, "{what}: {n} < {least}");
    }
    assert!(
        ended < activities.len() / 10,
        "most listings should be running: {ended} ended"
    );
}

#[test]
fn venues_are_around_their_towns_and_bigger_towns_have_more() {
    let (_, activities) = sample();
    let mut per_town: HashMap<&str, usize> = HashMap::new();
    for a in activities {
        for v in &a.venues {
            let district = v.postcode.as_ref().unwrap().district().to_owned();
            let town = TOWNS
                .iter()
                .find(|t| t.districts.contains(&district.as_str()))
                .unwrap_or_else(|| panic!("{district} is no town's"));
            let centre = signpost_model::Coordinates::new(town.lat, town.lon).unwrap();
            let km = v.coordinates.distance_km(centre);
            assert!(
                km <= town.radius_km + 0.01,
                "{} is {km} km from {}",
                v.name,
                town.name
            );
            *per_town.entry(town.name).or_default() += 1;
        }
    }
    let london = per_town["London"];
    let leeds = per_town.get("Leeds").copied().unwrap_or(0);
    let small = per_town.get("Armagh").copied().unwrap_or(0);
    assert!(london > leeds * 4 && leeds > small, "{per_town:?}");
    assert!(per_town.len() > 60, "venues in {} towns", per_town.len());
}

#[test]
fn contact_details_are_from_fictional_ranges() {
    let (providers, activities) = sample();
    let fictional_email = |e: &str| e.ends_with(".example.org") || e.ends_with(".example.com");
    let fictional_phone = |p: &str| {
        p.starts_with("01632 960") || p.starts_with("020 7946 0") || p.starts_with("07700 900")
    };
    for p in providers {
        assert!(p.email.as_deref().is_none_or(fictional_email), "{p:?}");
        assert!(p.phone.as_deref().is_none_or(fictional_phone), "{p:?}");
        assert!(
            p.charity_number
                .as_deref()
                .is_none_or(|n| n.starts_with("99"))
        );
        assert!(
            p.company_number
                .as_deref()
                .is_none_or(|n| n.starts_with("99"))
        );
        if let Some(w) = &p.website {
            assert!(
                w.contains(".example.org/") || w.contains(".example.com/"),
                "{w}"
            );
        }
    }
    for a in activities {
        let c = &a.join.contact;
        assert!(c.email.as_deref().is_none_or(fictional_email), "{c:?}");
        assert!(c.phone.as_deref().is_none_or(fictional_phone), "{c:?}");
    }
}

#[test]
fn ids_are_readable_unique_and_carry_the_index() {
    let (providers, activities) = sample();
    let ids: HashSet<&str> = activities.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids.len(), activities.len());
    assert!(
        activities[42].id.as_str().ends_with("-a42"),
        "{}",
        activities[42].id
    );
    assert!(
        providers[7].id.as_str().ends_with("-p7"),
        "{}",
        providers[7].id
    );
    assert!(activities[42].id.as_str().len() > 8);
}

/// Damerau (optimal string alignment) distance, as tantivy's fuzzy queries count it.
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// Signpost's fuzzy distance for a query token of this length (`search.rs`).
fn fuzziness(token: &str) -> usize {
    match token.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

fn stem(word: &str) -> Vec<String> {
    tokens(&mut analyser(), word)
}

#[test]
fn vocabulary_words_are_distinct_base_forms_no_engine_can_confuse() {
    let words = vocabulary();
    assert!(words.len() >= 250, "{} words", words.len());
    let mut problems = Vec::new();
    let mut stems: HashMap<String, &str> = HashMap::new();
    for w in words {
        if w.len() < 4 || !w.bytes().all(|b| b.is_ascii_lowercase()) {
            problems.push(format!("{w}: not 4+ lowercase ASCII letters"));
        }
        if !synonyms(w).is_empty() {
            problems.push(format!("{w}: a synonym key"));
        }
        let s = stem(w);
        let [s] = &s[..] else {
            problems.push(format!("{w}: analyses to {s:?}"));
            continue;
        };
        if let Some(other) = stems.insert(s.clone(), w) {
            problems.push(format!("{w} and {other} share the stem {s}"));
        }
    }
    // Porter, Snowball and lemmatisers differ at the ends of words: no two words may share
    // their first five letters (or the whole of a shorter one).
    for (i, a) in words.iter().enumerate() {
        for b in &words[i + 1..] {
            let k = a.len().min(b.len()).min(5);
            if a[..k] == b[..k] {
                problems.push(format!("{a} and {b} begin alike"));
            }
        }
    }
    // No synonym key's stem is a vocabulary stem either ("volunteers" would be one).
    for key in [
        "football",
        "skating",
        "cycling",
        "fitness",
        "drama",
        "theatre",
        "acting",
        "drawing",
        "coding",
        "programming",
        "computers",
        "gaming",
        "music",
        "singing",
        "choir",
        "autism",
        "wellbeing",
        "youth",
        "club",
        "group",
        "holiday",
        "food",
        "baby",
        "toddler",
        "parent",
        "church",
        "faith",
        "camping",
        "martial",
        "homework",
        "maths",
    ] {
        assert!(
            !synonyms(key).is_empty(),
            "{key} is no longer a synonym key"
        );
        for s in stem(key) {
            if let Some(w) = stems.get(&s) {
                problems.push(format!(
                    "{w} shares the stem {s} with the synonym key {key}"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_vocabulary_word_matches_only_itself_in_the_text() {
    // Every word of every searchable field (title, description, provider name, category
    // names): any that shares a vocabulary word's stem must be that word, and none may be
    // within the fuzzy distance Signpost allows a query word.
    let (providers, activities) = sample();
    let mut text_words: HashSet<String> = HashSet::new();
    let mut add = |text: &str| {
        for w in text
            .to_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            text_words.insert(w.to_owned());
        }
    };
    for p in providers {
        add(&p.name);
    }
    for a in activities {
        add(&a.title);
        add(&a.description);
    }
    for c in Category::ALL {
        add(&format!("{} {}", c.name(), c.slug()));
    }
    let vocab: HashSet<&str> = vocabulary().iter().copied().collect();
    let vocab_stems: HashMap<String, &str> = vocabulary()
        .iter()
        .map(|w| (stem(w).concat(), *w))
        .collect();
    let mut used: HashSet<&str> = HashSet::new();
    let mut problems = Vec::new();
    let mut text_stems: HashMap<String, String> = HashMap::new();
    for w in &text_words {
        if let Some(v) = vocab.get(w.as_str()) {
            used.insert(v);
        }
        for s in stem(w) {
            if let Some(v) = vocab_stems.get(&s)
                && *v != w
            {
                problems.push(format!("'{w}' in the text has the stem of '{v}'"));
            }
            text_stems.insert(s, w.clone());
        }
    }
    for (s, v) in &vocab_stems {
        for (t, w) in &text_stems {
            if t != s && distance(s, t) <= fuzziness(s) {
                problems.push(format!(
                    "'{v}' ({s}) is within fuzzy reach of '{w}' ({t}) in the text"
                ));
            }
        }
    }
    problems.sort();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let unused: Vec<&&str> = vocabulary().iter().filter(|w| !used.contains(*w)).collect();
    assert!(
        unused.is_empty(),
        "never used in 2,000 listings: {unused:?}"
    );
}

use signpost_model::JoinMethod;

#[test]
fn the_output_for_a_seed_never_changes() {
    // The benchmark's numbers only compare across runs and versions if the data is the same:
    // any change to the generator, its helpers or its word tables shows up here. Change the
    // pinned value only on purpose, and say so in BENCHMARKS.md.
    let out = bytes(300, 1);
    assert_eq!(
        (out.len(), signpost_model::fnv1a(&out)),
        (PINNED_LEN, PINNED_FNV),
        "the generated directory for (300, seed 1) changed"
    );
}

const PINNED_LEN: usize = 363_931;
const PINNED_FNV: u64 = 8_195_151_333_683_947_848;
