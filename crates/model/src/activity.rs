//! Activities: the listings people search for.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::{AgeRange, Category, Email, Id, Phone, Schedule, Venue, WebUrl, check_len};

/// Who can join, by gender.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Gender {
    #[default]
    Mixed,
    Girls,
    Boys,
}

impl Gender {
    pub fn parse(s: &str) -> Option<Gender> {
        match s.trim().to_ascii_lowercase().as_str() {
            "mixed" | "any" | "all" => Some(Gender::Mixed),
            "girls" | "girl" | "female" => Some(Gender::Girls),
            "boys" | "boy" | "male" => Some(Gender::Boys),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Mixed => "mixed",
            Gender::Girls => "girls",
            Gender::Boys => "boys",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Gender::Mixed => "Everyone welcome",
            Gender::Girls => "Girls only",
            Gender::Boys => "Boys only",
        }
    }
}

/// What it costs. Prices are per session, in pence.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cost {
    #[serde(default)]
    pub free: bool,
    /// Price per session in pence, when not free.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_pence: Option<u32>,
    /// Cheaper prices for some people, in words: "£1 with a Max card".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concessions: Option<String>,
    /// Funding or a bursary can cover the cost.
    #[serde(default)]
    pub bursary: bool,
}

impl Cost {
    /// The price a person pays per session in pence, if known (0 when free).
    pub fn effective_pence(&self) -> Option<u32> {
        if self.free { Some(0) } else { self.price_pence }
    }

    pub fn label(&self) -> String {
        match (self.free, self.price_pence) {
            (true, _) => "Free".to_owned(),
            (false, Some(p)) => format!("£{}.{:02} a session", p / 100, p % 100),
            (false, None) => "Ask about cost".to_owned(),
        }
    }
}

/// Access needs the activity meets.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Access {
    #[serde(default)]
    pub wheelchair: bool,
    /// Welcoming and adapted for children with special educational needs and disabilities.
    #[serde(default)]
    pub send_friendly: bool,
    /// Quiet or autism-friendly sessions.
    #[serde(default)]
    pub quiet_sessions: bool,
    /// Languages spoken by the people who run it, besides English.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
}

/// Ways to join.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum JoinMethod {
    DropIn,
    SelfReferral,
    ProfessionalReferral,
    Booking,
}

impl JoinMethod {
    pub const ALL: &'static [JoinMethod] = &[
        JoinMethod::DropIn,
        JoinMethod::SelfReferral,
        JoinMethod::ProfessionalReferral,
        JoinMethod::Booking,
    ];

    pub fn parse(s: &str) -> Option<JoinMethod> {
        JoinMethod::ALL
            .iter()
            .copied()
            .find(|m| m.as_str() == s.trim().to_ascii_lowercase())
    }

    pub fn as_str(self) -> &'static str {
        match self {
            JoinMethod::DropIn => "drop-in",
            JoinMethod::SelfReferral => "self-referral",
            JoinMethod::ProfessionalReferral => "professional-referral",
            JoinMethod::Booking => "booking",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            JoinMethod::DropIn => "Just turn up",
            JoinMethod::SelfReferral => "Get in touch yourself",
            JoinMethod::ProfessionalReferral => "Needs a referral from a professional",
            JoinMethod::Booking => "Book a place first",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Email>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<Phone>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<WebUrl>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
/// Read through [`StoredHowToJoin`] (which refuses unknown fields); written as it is.
#[serde(from = "StoredHowToJoin")]
pub struct HowToJoin {
    pub methods: Vec<JoinMethod>,
    pub contact: Contact,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// How a first visit can go. Fear of going alone is one of the barriers young people
    /// name most, so a listing can say who a newcomer may come with.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub newcomers: Vec<Newcomer>,
}

/// How to join as it is read from the store or a directory file, its contact details as
/// text. Details written before Signpost checked them (the provider form kept what was
/// typed) that the rules refuse are not lost: they move into the notes, where people still
/// read them ("Phone: ring the office"), and the next save keeps them there.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredHowToJoin {
    #[serde(default)]
    methods: Vec<JoinMethod>,
    #[serde(default)]
    contact: StoredContact,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    newcomers: Vec<Newcomer>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredContact {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

impl From<StoredHowToJoin> for HowToJoin {
    fn from(s: StoredHowToJoin) -> HowToJoin {
        fn read<T: std::str::FromStr>(
            label: &str,
            raw: Option<String>,
            refused: &mut Vec<String>,
        ) -> Option<T> {
            let raw = raw.filter(|r| !r.trim().is_empty())?;
            let parsed = raw.parse().ok();
            if parsed.is_none() {
                refused.push(format!("{label}: {}", raw.trim()));
            }
            parsed
        }
        let mut refused = Vec::new();
        let contact = Contact {
            email: read("Email", s.contact.email, &mut refused),
            phone: read("Phone", s.contact.phone, &mut refused),
            url: read("Website", s.contact.url, &mut refused),
            name: s.contact.name,
        };
        let mut notes = s.notes;
        for line in refused {
            if !notes.contains(&line) {
                if !notes.is_empty() {
                    notes.push('\n');
                }
                notes.push_str(&line);
            }
        }
        HowToJoin {
            methods: s.methods,
            contact,
            notes,
            newcomers: s.newcomers,
        }
    }
}

/// Who a newcomer is welcome to come with on their first visit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Newcomer {
    /// On their own: someone meets them and looks after them.
    Alone,
    /// With a friend, even one who is not joining.
    #[serde(rename = "friend")]
    WithFriend,
    /// With a parent or carer who can stay for the first session.
    #[serde(rename = "parent")]
    WithParent,
}

impl Newcomer {
    pub const ALL: &'static [Newcomer] =
        &[Newcomer::Alone, Newcomer::WithFriend, Newcomer::WithParent];

    /// Reads the short names used in addresses and files (`alone`, `friend`, `parent`) and the
    /// long ones (`with-friend`).
    pub fn parse(s: &str) -> Option<Newcomer> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace(['_', ' '], "-")
            .as_str()
        {
            "alone" | "on-their-own" | "on-my-own" => Some(Newcomer::Alone),
            "friend" | "with-friend" | "with-a-friend" => Some(Newcomer::WithFriend),
            "parent" | "with-parent" | "with-a-parent" | "carer" | "with-carer" => {
                Some(Newcomer::WithParent)
            }
            _ => None,
        }
    }

    /// Every short name, for messages: "alone, friend, parent".
    pub fn names() -> String {
        Newcomer::ALL
            .iter()
            .map(|n| n.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The short name used in addresses and files.
    pub fn as_str(self) -> &'static str {
        match self {
            Newcomer::Alone => "alone",
            Newcomer::WithFriend => "friend",
            Newcomer::WithParent => "parent",
        }
    }

    /// What the listing says.
    pub fn label(self) -> &'static str {
        match self {
            Newcomer::Alone => "Happy for you to come on your own: someone will meet you",
            Newcomer::WithFriend => "Bring a friend the first time",
            Newcomer::WithParent => "A parent or carer can stay for the first visit",
        }
    }

    /// The search filter's wording.
    pub fn filter_label(self) -> &'static str {
        match self {
            Newcomer::Alone => "Fine to come on your own",
            Newcomer::WithFriend => "Can bring a friend the first time",
            Newcomer::WithParent => "A parent or carer can stay the first time",
        }
    }
}

/// One listing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    pub id: Id,
    pub provider_id: Id,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub categories: Vec<Category>,
    /// The source's own category terms, for imported listings ("Badminton", "Youth clubs"):
    /// kept as given and searchable, since Signpost's categories are coarser.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<String>,
    pub ages: AgeRange,
    /// The source gave no ages (common in OpenActive feeds). `ages` then holds the widest
    /// range, the listing says "Age not stated", and age-filtered searches leave it out rather
    /// than assume it suits children.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub age_not_stated: bool,
    #[serde(default)]
    pub gender: Gender,
    #[serde(default)]
    pub cost: Cost,
    #[serde(default)]
    pub schedule: Schedule,
    #[serde(default)]
    pub venues: Vec<Venue>,
    #[serde(default)]
    pub online: bool,
    #[serde(default)]
    pub access: Access,
    #[serde(default)]
    pub join: HowToJoin,
    pub last_updated: DateTime<Utc>,
    /// When a person last confirmed it still runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_confirmed: Option<NaiveDate>,
    /// The provider withdrew it: it leaves search but stays in the history. Nothing is ever
    /// hard-deleted by a provider.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub withdrawn: bool,
}

impl Activity {
    /// The ages as people read them: "11 to 16", or "Age not stated".
    pub fn ages_label(&self) -> String {
        if self.age_not_stated {
            "Age not stated".to_owned()
        } else {
            self.ages.label()
        }
    }

    /// The ages, unless the source did not state them.
    pub fn stated_ages(&self) -> Option<AgeRange> {
        (!self.age_not_stated).then_some(self.ages)
    }

    /// The date freshness is judged by: when a person last confirmed it runs, or failing that
    /// when it was last updated.
    pub fn freshness_date(&self) -> NaiveDate {
        self.last_confirmed
            .unwrap_or_else(|| self.last_updated.date_naive())
    }

    /// Checks the rules that cross fields; the field types enforce the rest. Returns every
    /// problem at once so an importer can report them together.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.title.trim().is_empty() {
            out.push("title is empty".to_owned());
        }
        for (field, value, max) in [
            ("title", &self.title, 200),
            ("description", &self.description, 10_000),
        ] {
            if let Err(e) = check_len(field, value, max) {
                out.push(e);
            }
        }
        if self.categories.is_empty() {
            out.push("give at least one category".to_owned());
        }
        if self.venues.is_empty() && !self.online {
            out.push("give at least one venue, or mark it as online".to_owned());
        }
        if self.cost.free && self.cost.price_pence.is_some_and(|p| p > 0) {
            out.push("a free activity cannot have a price".to_owned());
        }
        if self.cost.price_pence.is_some_and(|p| p > 100_000) {
            out.push("price per session is above £1,000: check the units (pence)".to_owned());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_details_stored_before_they_were_checked_move_into_the_notes() {
        let old = r#"{"methods": ["drop-in"], "notes": "Come early.",
            "contact": {"name": "Jo", "email": "jo@club.example.org",
                        "phone": "ring the office", "url": "our facebook page"}}"#;
        let join: HowToJoin = serde_json::from_str(old).unwrap();
        assert_eq!(join.contact.email.as_deref(), Some("jo@club.example.org"));
        assert_eq!(join.contact.phone, None);
        assert_eq!(join.contact.url, None);
        assert_eq!(join.contact.name.as_deref(), Some("Jo"));
        assert_eq!(
            join.notes,
            "Come early.\nPhone: ring the office\nWebsite: our facebook page"
        );
        // Saved and read again: the same, nothing added twice.
        let again: HowToJoin =
            serde_json::from_str(&serde_json::to_string(&join).unwrap()).unwrap();
        assert_eq!(again, join);
        // Unknown fields are still refused.
        assert!(serde_json::from_str::<HowToJoin>(r#"{"contact": {"fax": "1"}}"#).is_err());
    }
}
