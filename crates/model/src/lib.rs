//! Domain types for Signpost: providers and their safeguarding, activities, ages, schedules and
//! places.
//!
//! Everything here is parsed once at the edge ("parse, don't validate"): a value of one of these
//! types is known to be well formed, so the store, the search index and the web layer trust it.
//! This crate knows nothing of SQLite, tantivy or HTTP.

mod account;
mod activity;
mod age;
pub mod calendar;
mod category;
mod contact;
pub mod fixture;
mod id;
mod place;
mod provider;
mod published;
mod review;
mod schedule;

pub use account::{NewUser, Role, TokenPurpose, User, UserId};
pub use activity::{Access, Activity, Contact, Cost, Gender, HowToJoin, JoinMethod, Newcomer};
pub use age::{AgeRange, AgeRangeError, MAX_AGE_YEARS};
pub use category::{Category, UnknownCategory};
pub use contact::{ContactError, Email, Phone, WebUrl};
pub use id::{Id, IdError, fnv1a, parse_reference};
pub use place::{
    Coordinates, CoordinatesError, MAX_RADIUS_KM, Postcode, PostcodeError, UnitVector, Venue,
    uk_post_town,
};
pub use provider::{
    Provider, Safeguarding, SafeguardingPolicy, SafeguardingStatus, Verification, VerificationCheck,
};
pub use published::{At, activity_uuids, is_uuid, owned_uuid, public_uuid, reference_in_uuid};
pub use review::{
    AuditEntry, Change, ChangeKind, ChangeStatus, Claim, ClaimDecision, ClaimStatus, Decision,
    Evidence, EvidenceKind, FieldChange, NewAudit, NewChange, Report,
};
pub use schedule::{
    DatedSession, Occurrence, Schedule, ScheduleError, SessionTime, TermPattern, WEEK,
    WeeklySession, ical_code, parse_ical_weekday, parse_weekday, weekday_name, weekday_title,
};

/// The time zone every schedule in the directory is written in.
pub const LONDON: chrono_tz::Tz = chrono_tz::Europe::London;

/// One check on a string field coming from outside: present text no longer than `max` chars.
pub(crate) fn check_len(field: &str, value: &str, max: usize) -> Result<(), String> {
    if value.chars().count() > max {
        return Err(format!("{field} is too long (at most {max} characters)"));
    }
    Ok(())
}
