//! A search, already validated and with its place resolved to coordinates, and what comes back.

use chrono::{NaiveDate, NaiveDateTime, Weekday};
use serde::{Deserialize, Serialize};
use signpost_model::calendar::SchoolHoliday;
use signpost_model::{
    Activity, Category, Coordinates, Gender, Id, JoinMethod, Newcomer, Occurrence, Safeguarding,
    SafeguardingStatus, Verification,
};

/// Search near a point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Near {
    pub point: Coordinates,
    pub radius_km: f64,
}

/// Named parts of the week.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum When {
    /// Saturday or Sunday.
    Weekend,
    /// A weekday session that overlaps 15:00-18:00.
    AfterSchool,
    /// Any session that overlaps 18:00-24:00.
    Evening,
    /// A session in the school holiday under way, or else the next one, or the next of a
    /// name (see [`SchoolHoliday::dates_from`]).
    Holidays(SchoolHoliday),
    /// Running at this moment.
    Now,
}

impl When {
    /// Every window, in the order the search form offers them.
    pub const ALL: [When; 9] = [
        When::AfterSchool,
        When::Evening,
        When::Weekend,
        When::Holidays(SchoolHoliday::Next),
        When::Holidays(SchoolHoliday::HalfTerm),
        When::Holidays(SchoolHoliday::Christmas),
        When::Holidays(SchoolHoliday::Easter),
        When::Holidays(SchoolHoliday::Summer),
        When::Now,
    ];

    pub fn parse(s: &str) -> Option<When> {
        match s.trim().to_ascii_lowercase().as_str() {
            "weekend" => Some(When::Weekend),
            "after-school" | "afterschool" => Some(When::AfterSchool),
            "evening" => Some(When::Evening),
            "holidays" | "holiday" | "school-holidays" => Some(When::Holidays(SchoolHoliday::Next)),
            "half-term" => Some(When::Holidays(SchoolHoliday::HalfTerm)),
            "christmas-holidays" => Some(When::Holidays(SchoolHoliday::Christmas)),
            "easter-holidays" => Some(When::Holidays(SchoolHoliday::Easter)),
            "summer-holidays" => Some(When::Holidays(SchoolHoliday::Summer)),
            "now" => Some(When::Now),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            When::Weekend => "weekend",
            When::AfterSchool => "after-school",
            When::Evening => "evening",
            When::Holidays(SchoolHoliday::Next) => "holidays",
            When::Holidays(SchoolHoliday::HalfTerm) => "half-term",
            When::Holidays(SchoolHoliday::Christmas) => "christmas-holidays",
            When::Holidays(SchoolHoliday::Easter) => "easter-holidays",
            When::Holidays(SchoolHoliday::Summer) => "summer-holidays",
            When::Now => "now",
        }
    }

    /// As people say it, for a chosen filter: "Evenings".
    pub fn label(self) -> &'static str {
        match self {
            When::Weekend => "Weekends",
            When::AfterSchool => "After school",
            When::Evening => "Evenings",
            When::Holidays(SchoolHoliday::Next) => "School holidays",
            When::Holidays(SchoolHoliday::HalfTerm) => "Half term",
            When::Holidays(SchoolHoliday::Christmas) => "Christmas holidays",
            When::Holidays(SchoolHoliday::Easter) => "Easter holidays",
            When::Holidays(SchoolHoliday::Summer) => "Summer holidays",
            When::Now => "On right now",
        }
    }
}

/// Access needs a searcher can insist on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccessNeed {
    Wheelchair,
    SendFriendly,
    Quiet,
}

impl AccessNeed {
    pub const ALL: &'static [AccessNeed] = &[
        AccessNeed::Wheelchair,
        AccessNeed::SendFriendly,
        AccessNeed::Quiet,
    ];

    pub fn parse(s: &str) -> Option<AccessNeed> {
        match s.trim().to_ascii_lowercase().as_str() {
            "wheelchair" => Some(AccessNeed::Wheelchair),
            "send" | "send-friendly" => Some(AccessNeed::SendFriendly),
            "quiet" | "autism-friendly" => Some(AccessNeed::Quiet),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AccessNeed::Wheelchair => "wheelchair",
            AccessNeed::SendFriendly => "send",
            AccessNeed::Quiet => "quiet",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AccessNeed::Wheelchair => "Wheelchair accessible",
            AccessNeed::SendFriendly => {
                "Welcoming for children with SEND (special educational needs and disabilities)"
            }
            AccessNeed::Quiet => "Quiet or autism-friendly sessions",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Relevance,
    Distance,
    /// Most recently confirmed first.
    Confirmed,
}

/// How many days ahead "day" and "when" filters look for a session: four weeks, so a term-time
/// club still shows during a two-week holiday but a summer-only scheme does not show in March.
pub const WHEN_HORIZON_DAYS: i64 = 28;

/// What "runs soon" means for [`First::Soon`]: a session within this many days.
pub const SOON_DAYS: i64 = 14;

/// Listings a search puts before the rest when it has no words to rank by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum First {
    /// Those with a session in the next [`SOON_DAYS`] days: a weekly club round the corner
    /// before a one-off event months away.
    Soon,
    /// Those that do not run in the term after the holidays asked for ([`When::Holidays`]):
    /// holiday clubs and holiday events before the clubs that run all year.
    HolidaysOnly,
}

/// The first and last date whose sessions a "day" or "when" filter looks at: the next
/// [`WHEN_HORIZON_DAYS`] days, or for [`When::Holidays`] the days of the school holiday asked
/// for, however far off. ([`When::Now`] looks only at today and last night.)
pub fn days_asked(when: Option<When>, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    if let Some(When::Holidays(which)) = when {
        return which.dates_from(today);
    }
    let last = today
        .checked_add_signed(chrono::Duration::days(WHEN_HORIZON_DAYS - 1))
        .unwrap_or(today);
    (today, last)
}

/// What a search asks of an activity, apart from where and in what order. Shared by the
/// parsed request (`signpost-directory`) and the query run here, so a new filter is added once.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filters {
    pub text: Option<String>,
    pub age: Option<u16>,
    pub day: Option<Weekday>,
    pub when: Option<When>,
    pub free: Option<bool>,
    pub max_price_pence: Option<u32>,
    /// Any of these (empty: all).
    pub categories: Vec<Category>,
    /// Who is searching: `Girls` finds mixed and girls-only.
    pub gender: Option<Gender>,
    /// All of these.
    pub access: Vec<AccessNeed>,
    pub language: Option<String>,
    /// Any of these.
    pub join: Vec<JoinMethod>,
    /// All of these: who a newcomer may come with on a first visit.
    pub newcomers: Vec<Newcomer>,
    /// Only providers whose safeguarding is verified and in date.
    pub checked: bool,
}

/// A validated search. Build one with [`SearchQuery::new`] and set what you need.
#[derive(Clone, Debug)]
pub struct SearchQuery {
    pub filters: Filters,
    pub near: Option<Near>,
    pub sort: Sort,
    /// 1-based.
    pub page: usize,
    pub per_page: usize,
    /// Wall-clock time in Europe/London that "now", "ended" and "expired" are judged against.
    pub now: NaiveDateTime,
    /// Listings last confirmed (or, never confirmed, last updated) before this date "may be
    /// out of date": they are marked so and rank lower by relevance.
    pub fresh_since: Option<NaiveDate>,
    /// Find listings with any of the words, not all: those with more of them, and with the
    /// rarer ones ("skateboarding" over "lessons"), first: each word found adds the same
    /// large amount to the score. For when every word together finds too few.
    pub any_word: bool,
    /// Which listings come before the rest, each part in the order asked for (see [`First`]).
    pub first: Option<First>,
}

impl SearchQuery {
    pub fn new(now: NaiveDateTime) -> Self {
        SearchQuery {
            filters: Filters::default(),
            near: None,
            sort: Sort::Relevance,
            page: 1,
            per_page: 20,
            now,
            fresh_since: None,
            any_word: false,
            first: None,
        }
    }
}

/// The provider details copied into every indexed activity, so a result can be shown without
/// going back to the store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProviderSummary {
    pub id: Id,
    pub name: String,
    pub safeguarding: Safeguarding,
    pub verification: Verification,
}

/// What the index holds for one activity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndexedActivity {
    pub activity: Activity,
    pub provider: ProviderSummary,
}

/// An [`IndexedActivity`] whose two parts are already JSON, as a rebuild reads them from the
/// store: the index keeps the two joined instead of serialising the listing again, which was
/// a tenth of a rebuild's work at a million listings.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub item: IndexedActivity,
    activity_json: String,
    provider_json: std::sync::Arc<str>,
}

impl Prepared {
    /// `activity_json` must read as `item.activity` and `provider_json` as `item.provider`
    /// (they are what the item was read from). Checked in debug builds.
    pub fn new(
        item: IndexedActivity,
        activity_json: String,
        provider_json: std::sync::Arc<str>,
    ) -> Self {
        debug_assert_eq!(
            serde_json::from_str::<Activity>(&activity_json)
                .ok()
                .as_ref(),
            Some(&item.activity)
        );
        debug_assert_eq!(
            serde_json::from_str::<ProviderSummary>(&provider_json)
                .ok()
                .as_ref(),
            Some(&item.provider)
        );
        Prepared {
            item,
            activity_json,
            provider_json,
        }
    }

    /// The record the index stores: the [`IndexedActivity`] as JSON.
    pub(crate) fn record(&self) -> String {
        let (a, p) = (&*self.activity_json, &*self.provider_json);
        let mut out = String::with_capacity(a.len() + p.len() + 32);
        out.push_str(r#"{"activity":"#);
        out.push_str(a);
        out.push_str(r#","provider":"#);
        out.push_str(p);
        out.push('}');
        out
    }
}

/// One result.
#[derive(Clone, Debug)]
pub struct Hit {
    pub item: IndexedActivity,
    pub score: f32,
    /// To the nearest venue, when the search had a place.
    pub distance_km: Option<f64>,
    /// Which of the activity's venues that is (an index into `item.activity.venues`).
    pub nearest_venue: Option<usize>,
    pub next_session: Option<Occurrence>,
    pub safeguarding: SafeguardingStatus,
    /// Not confirmed as running for a long time (see [`SearchQuery::fresh_since`]).
    pub stale: bool,
}

#[derive(Clone, Debug)]
pub struct SearchResults {
    /// Matches across all pages.
    pub total: usize,
    pub hits: Vec<Hit>,
    /// For each category, how many results there would be with that category chosen (every
    /// other filter kept). Categories with none are left out.
    pub category_counts: Vec<(Category, usize)>,
}
