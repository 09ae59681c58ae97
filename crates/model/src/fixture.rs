//! Small hand-built values for tests in every crate: one provider, one activity, with every
//! field set to something ordinary that a test then changes.

use chrono::{NaiveDate, TimeZone, Utc, Weekday};

use crate::{
    Access, Activity, AgeRange, Category, Coordinates, Cost, Gender, HowToJoin, Id, JoinMethod,
    Postcode, Provider, Schedule, SessionTime, TermPattern, Venue, WeeklySession,
};

/// Hull city centre.
pub const HULL: (f64, f64) = (53.7443, -0.3326);

pub fn id(s: &str) -> Id {
    Id::parse(s).expect("fixture ids are valid")
}

pub fn provider(pid: &str, name: &str) -> Provider {
    Provider {
        email: crate::Email::parse(&format!("hello@{pid}.example.org")).ok(),
        ..Provider::named(id(pid), name)
    }
}

pub fn venue(name: &str, lat: f64, lon: f64) -> Venue {
    Venue {
        name: name.to_owned(),
        address: String::new(),
        postcode: Postcode::parse("HU1").ok(),
        coordinates: Coordinates::new(lat, lon).expect("fixture coordinates are valid"),
    }
}

pub fn weekly(day: Weekday, start: &str, end: &str) -> WeeklySession {
    WeeklySession::new(
        day,
        SessionTime::parse(start).expect("fixture time"),
        SessionTime::parse(end).expect("fixture time"),
        TermPattern::AllYear,
        None,
        None,
    )
    .expect("fixture session")
}

/// An all-year, free, mixed, 11-16 sport activity on Saturday 10:00-12:00 in central Hull.
pub fn activity(aid: &str, provider: &str, title: &str) -> Activity {
    Activity {
        id: id(aid),
        provider_id: id(provider),
        title: title.to_owned(),
        description: String::new(),
        categories: vec![Category::Sport],
        terms: Vec::new(),
        ages: AgeRange::years(11, 16).expect("fixture ages"),
        age_not_stated: false,
        gender: Gender::Mixed,
        cost: Cost {
            free: true,
            ..Cost::default()
        },
        schedule: Schedule {
            weekly: vec![weekly(Weekday::Sat, "10:00", "12:00")],
            ..Schedule::default()
        },
        venues: vec![venue("Community Hall", HULL.0, HULL.1)],
        online: false,
        access: Access::default(),
        join: HowToJoin {
            methods: vec![JoinMethod::DropIn],
            ..HowToJoin::default()
        },
        last_updated: Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap(),
        last_confirmed: NaiveDate::from_ymd_opt(2026, 11, 1),
        withdrawn: false,
    }
}
