//! Reads the formats other directories publish into *draft* listings, ready to be placed in
//! the directory by `signpost-ingest`.
//!
//! Every reader is a pure function from text (or parsed JSON) to [`Entry`]s: a draft, a
//! deletion, or a rejection that says where and why. Nothing here touches the network or the
//! store: postcodes are looked up, ids given and providers matched later, by the ingester.
//!
//! - [`openactive`]: RPDE pages and OpenActive opportunity data (SessionSeries,
//!   ScheduledSession, Event, CourseInstance, ...).
//! - [`oruk`]: Open Referral UK 3.0 and 1.0 services (a paged response, an array, or one service).
//! - [`jsonld`]: schema.org JSON-LD from provider web pages.
//! - [`template`]: Signpost's own CSV template (one row per activity).
//!
//! Text from outside is stored as text: [`text::plain`] turns any HTML in it into plain text, so
//! nothing a feed sends is ever rendered as markup.

pub mod categories;
pub mod jsonld;
pub mod openactive;
pub mod oruk;
pub mod schemaorg;
pub mod template;
pub mod text;

use chrono::{DateTime, NaiveDate, Utc};
use signpost_model::{
    Access, AgeRange, Category, Coordinates, Cost, Email, Gender, HowToJoin, Id, Phone, Postcode,
    Safeguarding, Schedule, Verification, WebUrl,
};

/// One thing a source said about one record.
#[derive(Clone, Debug, PartialEq)]
pub enum Entry {
    /// A listing, to add or update.
    Item(Box<Draft>),
    /// The source deleted the record with this id (an RPDE `deleted` item).
    Deleted { source_id: String },
    /// A record that cannot be used, with where it is and why.
    Rejected(Rejection),
}

/// Where a bad record is ("line 12", "item abc123", "service 3f2a...") and why it was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    pub at: String,
    pub reason: String,
}

impl Rejection {
    pub fn new(at: impl Into<String>, reason: impl Into<String>) -> Self {
        Rejection {
            at: at.into(),
            reason: reason.into(),
        }
    }
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.at, self.reason)
    }
}

/// A listing as a source describes it, before it has a Signpost id or a place on the map.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    /// The record's id in its source: an RPDE item id, an ORUK service id, a JSON-LD `@id`
    /// or page URL, a CSV row's `id` column. Stable across runs: it is how a re-import finds
    /// the listing it made last time.
    pub source_id: String,
    pub provider: ProviderDraft,
    pub activity: ActivityDraft,
}

/// The organisation behind a listing, as the source names it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProviderDraft {
    /// The organisation's id in the source, when it has one (ORUK `organization.id`,
    /// OpenActive `organizer.@id`).
    pub source_id: Option<String>,
    pub name: String,
    pub description: String,
    pub website: Option<WebUrl>,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    /// Registered charity number (England and Wales, Scotland "SC...", NI "NIC...").
    pub charity_number: Option<String>,
    pub company_number: Option<String>,
    /// The organisation's own postcode, used with its name to recognise it across sources.
    pub postcode: Option<Postcode>,
    /// The Signpost id to give the provider if it is new here and the id is free: set only
    /// when reading Signpost's own exports, so a directory moved to a new instance keeps its
    /// addresses.
    pub signpost_id: Option<Id>,
    /// The safeguarding record and check as another Signpost directory holds them. The
    /// ingester uses them only when the person importing says they trust the file
    /// (`Ingest::keep_checks`); otherwise no source can vouch for safeguarding.
    pub safeguarding: Option<Safeguarding>,
    pub verification: Option<Verification>,
}

/// What a listing offers, as far as the source says. Plain text only.
#[derive(Clone, Debug, PartialEq)]
pub struct ActivityDraft {
    pub title: String,
    pub description: String,
    /// Signpost categories the source terms map onto; never empty for an `Item`.
    pub categories: Vec<Category>,
    /// The source's own category terms, kept as given ("Badminton", "Youth clubs").
    pub terms: Vec<String>,
    /// `None` when the source does not say: the listing is kept but marked "age not stated"
    /// and left out of age-filtered searches rather than assumed to suit children.
    pub ages: Option<AgeRange>,
    pub gender: Gender,
    pub cost: Cost,
    pub schedule: Schedule,
    pub venues: Vec<VenueDraft>,
    pub online: bool,
    pub access: Access,
    pub join: HowToJoin,
    /// When the source last changed it, if it says.
    pub updated: Option<DateTime<Utc>>,
    /// When a person last confirmed it still runs, if the source says (ORUK `assured_date`).
    pub confirmed: Option<NaiveDate>,
    /// The Signpost id to give the listing if it is new here and the id is free: Signpost's
    /// own exports and the CSV template's `id` column, so moved listings keep their addresses.
    pub signpost_id: Option<Id>,
}

/// A place, before its postcode is looked up. A venue needs coordinates or a postcode the
/// directory knows; the ingester rejects it otherwise.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VenueDraft {
    pub name: String,
    pub address: String,
    pub postcode: Option<Postcode>,
    pub coordinates: Option<Coordinates>,
}

impl ActivityDraft {
    /// An empty draft with the given title: every other field at its "not stated" value.
    pub fn titled(title: impl Into<String>) -> Self {
        ActivityDraft {
            title: title.into(),
            description: String::new(),
            categories: Vec::new(),
            terms: Vec::new(),
            ages: None,
            gender: Gender::Mixed,
            cost: Cost::default(),
            schedule: Schedule::default(),
            venues: Vec::new(),
            online: false,
            access: Access::default(),
            join: HowToJoin::default(),
            updated: None,
            confirmed: None,
            signpost_id: None,
        }
    }
}

/// Reads coordinates, refusing impossible ones with a reason a person can act on
/// ("latitude 100 is not between -90 and 90"). Zero-zero ("null island") is refused too:
/// it is what broken exports write for "unknown".
pub fn coordinates(lat: f64, lon: f64) -> Result<Coordinates, String> {
    if lat == 0.0 && lon == 0.0 {
        return Err("coordinates 0, 0 are a placeholder, not a place".to_owned());
    }
    Coordinates::new(lat, lon).map_err(|e| e.to_string())
}
