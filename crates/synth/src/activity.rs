//! Activities: one listing from its (seed, index), with its provider's town and kind.

use chrono::{Days, TimeZone, Utc, Weekday};
use signpost_model::{
    Access, Activity, AgeRange, Category, Contact, Cost, Email, Gender, HowToJoin, Id, JoinMethod,
    MAX_AGE_YEARS, Newcomer, Phone, Schedule, WebUrl,
};

use crate::place::{first_name, languages, mobile, venue};
use crate::provider::Core;
use crate::rng::{Rand, Stream};
use crate::timetable::{Kind, schedule};
use crate::words::{ADJECTIVES, ITEMS, QUALITIES, article, capitalise, lexicon, prefixes};
use crate::{SYNTH_TODAY, Synth};

use Category::*;

/// An age band, as the model writes ranges: months for under-twos.
fn ages(rng: &mut Rand, category: Category) -> AgeRange {
    // Bands: 0 babies, 1 under-fives, 2 primary, 3 teens, 4 young adults, 5 wide.
    let weights: [u32; 6] = match category {
        Family => [30, 35, 15, 0, 0, 20],
        HolidayFood => [0, 5, 55, 20, 0, 20],
        YouthClub => [0, 0, 25, 60, 10, 5],
        Lgbtq | PeerSupport => [0, 0, 5, 55, 35, 5],
        YoungCarers => [0, 0, 30, 45, 15, 10],
        SendInclusive => [0, 10, 30, 25, 15, 20],
        Volunteering | SkillsLearning => [0, 0, 30, 45, 20, 5],
        Sport | DanceDrama | Music => [0, 8, 45, 35, 5, 7],
        _ => [0, 5, 35, 35, 10, 15],
    };
    let text = match rng.weighted(&weights) {
        0 => (*rng.pick(&["0m-12m", "0m-18m", "6m-24m", "0-1", "6m-4", "18m-4", "0-4"])).to_owned(),
        1 => (*rng.pick(&["2-4", "3-5", "0-5", "2-5", "3-4", "4-6"])).to_owned(),
        2 => {
            let lo = rng.between(4, 9);
            format!("{lo}-{}", lo + rng.between(2, 6))
        }
        3 => {
            let lo = rng.between(10, 15);
            format!("{lo}-{}", (lo + rng.between(3, 7)).min(19))
        }
        4 => {
            let lo = rng.between(14, 18);
            format!("{lo}-{}", *rng.pick(&[19, 21, 24, 25]))
        }
        _ => (*rng.pick(&["5-16", "8-18", "0-18", "10-25", "0-25", "5-25", "11-25"])).to_owned(),
    };
    AgeRange::parse(&text).expect("generated age ranges are valid")
}

fn schedule_kind(rng: &mut Rand, category: Category, ages: AgeRange) -> Kind {
    use Kind::*;
    let kinds = [
        AfterSchool,
        Evening,
        WeekendMorning,
        WeekendAfternoon,
        Daytime,
        HolidayWeekly,
        HolidayClub,
        OneOff,
        NoTimes,
    ];
    let weights: [u32; 9] = if ages.max_years() < 5 {
        [2, 0, 25, 10, 55, 2, 0, 4, 2]
    } else {
        match category {
            HolidayFood => [0, 0, 0, 0, 0, 35, 60, 5, 0],
            YouthClub => [25, 60, 5, 5, 0, 2, 1, 1, 1],
            Family => [5, 0, 35, 20, 25, 5, 3, 6, 1],
            Lgbtq | PeerSupport | YoungCarers => [30, 45, 5, 10, 0, 3, 2, 3, 2],
            Outdoors | Volunteering => [10, 15, 40, 20, 0, 4, 4, 6, 1],
            FaithCulture => [15, 15, 30, 15, 0, 3, 2, 18, 2],
            _ => [35, 25, 18, 10, 0, 3, 4, 4, 1],
        }
    };
    kinds[rng.weighted(&weights)]
}

fn gender(rng: &mut Rand, category: Category) -> Gender {
    if matches!(category, Family | Lgbtq | HolidayFood) {
        return Gender::Mixed;
    }
    match rng.weighted(&[84, 9, 7]) {
        1 => Gender::Girls,
        2 => Gender::Boys,
        _ => Gender::Mixed,
    }
}

/// Who it is for, for a title: "for Girls", "for Teens".
fn audience_short(ages: AgeRange, gender: Gender) -> &'static str {
    match (gender, ages.min_years(), ages.max_years()) {
        (Gender::Girls, lo, _) if lo >= 13 => "for Teen Girls",
        (Gender::Girls, ..) => "for Girls",
        (Gender::Boys, ..) => "for Boys",
        (_, _, hi) if hi < 2 => "for Babies",
        (_, _, hi) if hi < 5 => "for Under-5s",
        (_, lo, _) if lo >= 16 => "for Young Adults",
        (_, lo, _) if lo >= 11 => "for Teens",
        (_, _, hi) if hi <= 11 => "for Kids",
        _ => "for Young People",
    }
}

/// Who it is for, in a sentence: "girls aged 8 to 13", "babies and their grown-ups".
fn audience_long(ages: AgeRange, gender: Gender) -> String {
    let span = ages.label().trim_start_matches("Ages ").to_owned();
    let who = match (gender, ages.max_years()) {
        (Gender::Girls, _) => "girls",
        (Gender::Boys, _) => "boys",
        (_, hi) if hi < 5 => return format!("little ones aged {span} and their grown-ups"),
        (_, hi) if hi <= 11 => "children",
        _ => "young people",
    };
    format!("{who} aged {span}")
}

fn level(ages: AgeRange) -> &'static str {
    match (ages.min_years(), ages.max_years()) {
        (_, hi) if hi < 7 => "Little",
        (_, hi) if hi <= 12 => "Junior",
        (lo, _) if lo >= 16 => "Senior",
        (lo, _) if lo >= 11 => "Teen",
        _ => "Youth",
    }
}

fn day_title(day: Weekday) -> &'static str {
    signpost_model::weekday_title(day)
}

/// The one day a title may name: when every weekly session is on it.
fn only_day(s: &Schedule) -> Option<Weekday> {
    let first = s.weekly.first()?.day;
    (s.dated.is_empty() && s.weekly.iter().all(|w| w.day == first)).then_some(first)
}

struct Text {
    title: String,
    description: String,
}

fn text(
    rng: &mut Rand,
    category: Category,
    ages: AgeRange,
    gender: Gender,
    s: &Schedule,
    town: &str,
) -> Text {
    let lex = lexicon(category);
    let activity = *rng.pick_skewed(lex.activities);
    let other = *rng.pick_skewed(lex.activities);
    let format = *rng.pick(lex.formats);
    let adjective = *rng.pick(ADJECTIVES);
    let day = only_day(s);
    let audience = audience_short(ages, gender);
    let gendered = gender != Gender::Mixed;
    let a = capitalise(activity);
    let f = capitalise(format);
    let title = match rng.below(10) {
        0 | 1 if !lex.heads.is_empty() => {
            let head = *rng.pick(lex.heads);
            match day {
                Some(d) if rng.chance(0.5) => format!("{} {head}", day_title(d)),
                _ if gendered => format!("{head} {audience}"),
                _ => head.to_owned(),
            }
        }
        2 | 3 if !prefixes(category).is_empty() => {
            format!("{} {a} {f}", rng.pick(prefixes(category)))
        }
        0..=3 => match day {
            Some(d) => format!("{} {a} {audience}", day_title(d)),
            None => format!("{} {a} {f}", level(ages)),
        },
        4 | 5 => {
            if gendered {
                format!("{a} {f} {audience}")
            } else {
                format!("{} {a} {f}", level(ages))
            }
        }
        6 => format!("{} {a} {f}", capitalise(adjective)),
        7 if other != activity => format!("{a} and {}", capitalise(other)),
        _ if gendered => format!("{a} {audience}"),
        _ => format!("{a} {f}"),
    };

    let things = rng.pick_distinct(lex.things, 3);
    let (t1, t2, t3) = (things[0], things[1], things[2]);
    let who = audience_long(ages, gender);
    let session = format.to_lowercase();
    let first = match rng.below(3) {
        0 => format!(
            "{} {adjective} {activity} {session} for {who} in {town}.",
            capitalise(article(adjective))
        ),
        1 => format!("Come along to our {adjective} {activity} {session} in {town}, for {who}."),
        _ => format!(
            "{} for {who} in {town}, in a {adjective} setting.",
            capitalise(activity)
        ),
    };
    let middle = match rng.below(4) {
        0 => format!("Sessions cover {t1}, {t2} and {t3}."),
        1 => format!("Expect {t1}, {t2} and a little {t3}, whatever your level."),
        2 => format!("We start with {t1} and finish with {t2}, and there is always time for {t3}."),
        _ => format!(
            "Every week mixes {t1} and {t2}, and helps you build your {}.",
            rng.pick(QUALITIES)
        ),
    };
    let mut description = format!("{first} {middle}");
    if rng.chance(0.6) {
        let last = match rng.below(5) {
            0 => "No experience needed.".to_owned(),
            1 => {
                let item = rng.pick(ITEMS);
                format!("Bring {} {item}.", article(item))
            }
            2 => "Come on your own or bring a friend.".to_owned(),
            3 => "Spaces are limited, so please get in touch first.".to_owned(),
            _ => "Parents and carers are welcome to stay.".to_owned(),
        };
        description.push(' ');
        description.push_str(&last);
    }
    Text { title, description }
}

fn cost(rng: &mut Rand, category: Category, kind: Kind) -> Cost {
    let free_share = match category {
        HolidayFood => 0.8,
        YoungCarers | PeerSupport | Lgbtq => 0.9,
        Volunteering | Wellbeing | YouthClub => 0.65,
        _ => 0.38,
    };
    if rng.chance(free_share) {
        return Cost {
            free: true,
            ..Cost::default()
        };
    }
    // 50p to £15 a session, mostly £1 to £3, dearer for long holiday days.
    const STEPS: [u32; 16] = [2, 4, 3, 1, 5, 6, 8, 7, 10, 9, 12, 14, 16, 20, 24, 30];
    let steps = if matches!(kind, Kind::HolidayClub | Kind::HolidayWeekly) {
        rng.between(8, 30)
    } else {
        *rng.pick_skewed(&STEPS)
    };
    let price = 50 * steps;
    Cost {
        free: false,
        price_pence: Some(price),
        concessions: rng.chance(0.2).then(|| {
            (*rng.pick(&[
                "Half price for brothers and sisters",
                "Free for children on free school meals",
                "£1 with a leisure card",
                "Pay what you can",
                "First session free",
            ]))
            .to_owned()
        }),
        bursary: rng.chance(0.25),
    }
}

fn join(rng: &mut Rand, category: Category, ages: AgeRange, core: &Core, title: &str) -> HowToJoin {
    let weights: [u32; 4] = match category {
        PeerSupport | YoungCarers | Wellbeing => [25, 40, 30, 5],
        HolidayFood => [15, 10, 10, 65],
        YouthClub => [80, 10, 5, 5],
        _ => [45, 15, 5, 35],
    };
    let mut methods = vec![JoinMethod::ALL[rng.weighted(&weights)]];
    if rng.chance(0.25) {
        let second = JoinMethod::ALL[rng.weighted(&weights)];
        if !methods.contains(&second) {
            methods.push(second);
        }
    }
    let first = first_name(rng);
    let contact = Contact {
        name: rng.chance(0.6).then(|| {
            format!(
                "{first} ({})",
                rng.pick(&[
                    "coach",
                    "youth worker",
                    "session leader",
                    "organiser",
                    "volunteer"
                ])
            )
        }),
        email: rng
            .chance(0.7)
            .then(|| format!("{}@{}", first.to_lowercase(), core.domain))
            .map(|e| Email::parse(&e).expect("made-up emails are valid")),
        phone: rng
            .chance(0.4)
            .then(|| mobile(rng))
            .map(|p| Phone::parse(&p).expect("made-up numbers are valid")),
        url: rng
            .chance(0.3)
            .then(|| {
                format!(
                    "https://{}/{}",
                    core.domain,
                    Id::slugged(title, "activity", "").as_str()
                )
            })
            .map(|u| WebUrl::parse(&u).expect("made-up addresses are valid")),
    };
    let notes = if rng.chance(0.4) {
        (*rng.pick(&[
            "Bring a water bottle.",
            "Wear comfortable clothes you can move in.",
            "Everything you need is provided.",
            "Please arrive ten minutes early the first time.",
            "The first session is a free taster.",
            "Ring or email before your first visit so we know to expect you.",
        ]))
        .to_owned()
    } else {
        String::new()
    };
    let mut newcomers = Vec::new();
    if rng.chance(0.5) {
        let young = ages.min_years() < 11;
        for (n, p) in [
            (Newcomer::Alone, if young { 0.1 } else { 0.5 }),
            (Newcomer::WithFriend, 0.6),
            (Newcomer::WithParent, if young { 0.8 } else { 0.3 }),
        ] {
            if rng.chance(p) {
                newcomers.push(n);
            }
        }
    }
    HowToJoin {
        methods,
        contact,
        notes,
        newcomers,
    }
}

impl Synth {
    pub(crate) fn make_activity(&self, i: usize) -> Activity {
        let j = self.owner(i);
        let core = self.core(j);
        let mut rng = Rand::new(self.seed, Stream::Activity, i as u64);

        let primary = if rng.chance(0.75) {
            core.category
        } else {
            *rng.pick(Category::ALL)
        };
        let mut categories = vec![primary];
        let related = lexicon(primary).related;
        for p in [0.45, 0.2] {
            let c = *rng.pick(related);
            if rng.chance(p) && !categories.contains(&c) {
                categories.push(c);
            }
        }

        let ages = ages(&mut rng, primary);
        let gender = gender(&mut rng, primary);
        let kind = schedule_kind(&mut rng, primary, ages);
        let schedule = schedule(&mut rng, kind, &self.holidays);
        let Text { title, description } =
            text(&mut rng, primary, ages, gender, &schedule, core.town.name);
        let cost = cost(&mut rng, primary, kind);

        let online_share = match primary {
            Wellbeing | PeerSupport | SkillsLearning | Lgbtq => 0.06,
            _ => 0.012,
        };
        let (venues, online) = if rng.chance(online_share) {
            (Vec::new(), true)
        } else {
            let count = if rng.chance(0.22) { 2 } else { 1 };
            let mut venues = Vec::with_capacity(count);
            for _ in 0..count {
                let v = if rng.chance(0.75) {
                    self.usual_venue(j, rng.below(3), core.town)
                } else {
                    venue(&mut rng, core.town)
                };
                if !venues.contains(&v) {
                    venues.push(v);
                }
            }
            (venues, rng.chance(0.02))
        };

        let send = primary == SendInclusive || categories.contains(&SendInclusive);
        let access = Access {
            wheelchair: rng.chance(if send { 0.9 } else { 0.55 }),
            send_friendly: rng.chance(if send { 1.0 } else { 0.18 }),
            quiet_sessions: rng.chance(if send { 0.6 } else { 0.07 }),
            languages: if rng.chance(0.12) {
                languages(&mut rng, core.town)
            } else {
                Vec::new()
            },
        };
        let join = join(&mut rng, primary, ages, &core, &title);

        let updated_day = SYNTH_TODAY - Days::new(u64::from(rng.between(1, 540)));
        let last_updated = Utc.from_utc_datetime(
            &updated_day
                .and_hms_opt(rng.between(7, 19), rng.between(0, 59), rng.between(0, 59))
                .expect("a valid time of day"),
        );
        let last_confirmed = rng.chance(0.7).then(|| {
            let since = (SYNTH_TODAY - updated_day).num_days().max(0);
            updated_day + Days::new(rng.below(usize::try_from(since).unwrap_or(0) + 1) as u64)
        });
        let age_not_stated = rng.chance(0.01);

        Activity {
            id: Id::slugged(&title, "activity", &format!("a{i}")),
            provider_id: core.id,
            title,
            description,
            categories,
            terms: Vec::new(),
            ages: if age_not_stated {
                AgeRange::years(0, MAX_AGE_YEARS).expect("the widest range is valid")
            } else {
                ages
            },
            age_not_stated,
            gender,
            cost,
            schedule,
            venues,
            online,
            access,
            join,
            last_updated,
            last_confirmed,
            withdrawn: rng.chance(0.005),
        }
    }
}
