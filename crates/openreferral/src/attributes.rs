//! The `signpost` taxonomy: one term per fact Signpost keeps that ORUK has no field for, and
//! the attributes that carry those facts (see the crate docs for the convention).

use serde_json::{Value, json};

use crate::taxonomy::{FIELD_TERM_PREFIX, SIGNPOST_TAXONOMY_ID, SIGNPOST_TAXONOMY_NAME};

macro_rules! fields {
    ($($variant:ident => $key:literal, $name:literal, $export_only:literal, $description:literal;)*) => {
        /// A fact Signpost carries as an attribute under the `signpost` taxonomy. The term id
        /// is `signpost:{key}`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Field { $($variant),* }

        impl Field {
            /// Every field, in the order the taxonomy lists them.
            pub const ALL: &'static [Field] = &[$(Field::$variant),*];

            /// The part after `signpost:`.
            pub fn key(self) -> &'static str {
                match self { $(Field::$variant => $key),* }
            }

            /// The term id, `signpost:{key}`.
            pub fn term_id(self) -> &'static str {
                match self { $(Field::$variant => concat!("signpost:", $key)),* }
            }

            /// The term's name, as people read it.
            pub fn name(self) -> &'static str {
                match self { $(Field::$variant => $name),* }
            }

            /// What the value holds.
            pub fn description(self) -> &'static str {
                match self { $(Field::$variant => $description),* }
            }

            /// Written only in export files, never by the public API.
            pub fn export_only(self) -> bool {
                match self { $(Field::$variant => $export_only),* }
            }
        }
    };
}

fields! {
    Id => "id", "Signpost id", false,
        "The listing's or organisation's id in Signpost, which is also its address there (/activities/{id}, /providers/{id}). Published ids are UUIDs derived from it; a re-import reads this to keep the same listing.";
    Ages => "ages", "Ages", false,
        "The ages as Signpost holds them: whole years ('11-16'), or months for the under-twos ('0-18m', '6m-4'). Absent when the ages are not stated.";
    AgeNotStated => "age-not-stated", "Age not stated", false,
        "'true' when the source gave no ages: the listing is left out of age-filtered searches.";
    Gender => "gender", "Who can join", false,
        "'mixed', 'girls' or 'boys'.";
    Join => "join", "How to join", false,
        "One of 'drop-in', 'self-referral', 'professional-referral', 'booking'; one attribute per way.";
    Newcomers => "newcomers", "First visit", false,
        "Who a newcomer may come with the first time: 'alone' (someone meets them), 'friend' or 'parent'; one attribute per value.";
    Access => "access", "Access", false,
        "An access need the activity meets: 'wheelchair', 'send' (welcoming and adapted for special educational needs and disabilities) or 'quiet' (quiet or autism-friendly sessions); one attribute per need.";
    Schedule => "schedule", "Timetable (Signpost form)", false,
        "The whole timetable, one line per session: 'saturday 10:00-12:00', 'tuesday 16:00-17:30 term-time from 2026-09-01 until 2027-07-20', 'wednesday 10:00-15:00 holidays', '2026-12-20 14:00-16:00', 'not 2026-12-25'. Times are Europe/London wall-clock times; 'term-time' and 'holidays' follow English school terms.";
    Online => "online", "Online", false,
        "'true' when the activity can be joined online.";
    Bursary => "bursary", "Bursary", false,
        "'true' when funding or a bursary can cover the cost.";
    Concessions => "concessions", "Concessions", false,
        "Cheaper prices for some people, in words.";
    Term => "term", "Source term", false,
        "A category term from the source the listing was imported from, kept as given; one attribute per term.";
    SafeguardingStatus => "safeguarding-status", "Safeguarding", false,
        "The provider's safeguarding status on the day of the response: 'not-checked', 'self-declared' (the provider filled in its record; nobody has checked it), 'verified' (checked, in date) or 'expired' (checked, past its expiry date).";
    WrittenPolicy => "written-policy", "Written safeguarding policy", false,
        "'true' when the provider has a written safeguarding policy.";
    PolicyReviewed => "policy-reviewed", "Policy last reviewed", false,
        "The date (YYYY-MM-DD) the safeguarding policy was last reviewed.";
    LeadRole => "designated-lead-role", "Designated safeguarding lead", false,
        "The role of the designated safeguarding lead (a role, never a person's details).";
    EnhancedDbs => "enhanced-dbs", "Enhanced DBS checks", false,
        "'true' when staff and volunteers who work with children have enhanced DBS checks.";
    InsuranceExpires => "insurance-expires", "Insurance expires", false,
        "The date (YYYY-MM-DD) the public liability insurance runs out.";
    FirstAid => "first-aid", "First aid", false,
        "'true' when a trained first-aider is at every session.";
    DeclaredOn => "declared-on", "Declared on", false,
        "The date (YYYY-MM-DD) the provider declared its safeguarding record.";
    CheckedFor => "checked-for", "Checked for", false,
        "The organisation the safeguarding check was made for (the person who checked is never published).";
    CheckedOn => "checked-on", "Checked on", false,
        "The date (YYYY-MM-DD) of the safeguarding check.";
    CheckExpires => "check-expires", "Check expires", false,
        "The date (YYYY-MM-DD) the safeguarding check runs out.";
    CheckEvidence => "check-evidence", "Evidence seen", false,
        "What the checker saw.";
    SafeguardingRecord => "safeguarding-record", "Safeguarding record (export)", true,
        "Export files only: the provider's safeguarding record as Signpost's compact JSON, for 'signpost import --keep-checks'.";
    VerificationRecord => "verification-record", "Verification record (export)", true,
        "Export files only: the safeguarding check as Signpost's compact JSON (naming who checked), for 'signpost import --keep-checks'.";
    Postcode => "postcode", "Provider postcode (export)", true,
        "Export files only: the provider's own postcode, used to recognise it across sources.";
}

impl Field {
    /// The field a term id names (`signpost:gender`), if any.
    pub fn from_term_id(id: &str) -> Option<Field> {
        let key = id.trim().strip_prefix(FIELD_TERM_PREFIX)?;
        Field::ALL.iter().copied().find(|f| f.key() == key)
    }
}

/// The taxonomy term for a field, as it appears inside an attribute and in `/taxonomy_terms`
/// (before its ids are published: `code` keeps the readable id).
pub(crate) fn field_term(field: Field) -> Value {
    json!({
        "id": field.term_id(),
        "code": field.term_id(),
        "name": field.name(),
        "description": field.description(),
        "taxonomy": SIGNPOST_TAXONOMY_NAME,
        "taxonomy_id": SIGNPOST_TAXONOMY_ID,
        "term": field.key(),
    })
}

/// Collects the attributes of one service or organisation, numbering repeated fields.
pub(crate) struct Attributes {
    link_id: String,
    link_entity: &'static str,
    list: Vec<Value>,
}

impl Attributes {
    pub(crate) fn new(link_id: &str, link_entity: &'static str) -> Self {
        Attributes {
            link_id: link_id.to_owned(),
            link_entity,
            list: Vec::new(),
        }
    }

    /// One value of a field.
    pub(crate) fn push(&mut self, field: Field, value: impl Into<String>) {
        let n = self
            .list
            .iter()
            .filter(|a| a["taxonomy_term_id"] == field.term_id())
            .count();
        // An organisation's attributes are named apart from those of a service that happens
        // to have the same id.
        let entity = if self.link_entity == "organization" {
            "org-"
        } else {
            ""
        };
        let id = if n == 0 {
            format!("{}--{entity}{}", self.link_id, field.key())
        } else {
            format!("{}--{entity}{}-{}", self.link_id, field.key(), n + 1)
        };
        self.list.push(json!({
            "id": id,
            "link_id": self.link_id,
            "link_type": "signpost",
            "link_entity": self.link_entity,
            "taxonomy_term_id": field.term_id(),
            "taxonomy_term": field_term(field),
            "value": value.into(),
        }));
    }

    /// A yes/no field: written only when true.
    pub(crate) fn flag(&mut self, field: Field, yes: bool) {
        if yes {
            self.push(field, "true");
        }
    }

    /// An attribute already built (a category).
    pub(crate) fn push_value(&mut self, attribute: Value) {
        self.list.push(attribute);
    }

    pub(crate) fn into_vec(self) -> Vec<Value> {
        self.list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_a_unique_key_and_reads_back_from_its_term_id() {
        for f in Field::ALL {
            assert_eq!(Field::from_term_id(f.term_id()), Some(*f));
            assert_eq!(f.term_id(), format!("signpost:{}", f.key()));
            assert!(!f.description().is_empty());
        }
        let mut keys: Vec<_> = Field::ALL.iter().map(|f| f.key()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), Field::ALL.len());
        assert_eq!(Field::from_term_id("signpost:nonsense"), None);
        assert_eq!(Field::from_term_id("gender"), None);
    }

    #[test]
    fn repeated_fields_get_numbered_ids() {
        let mut a = Attributes::new("club", "service");
        a.push(Field::Join, "drop-in");
        a.push(Field::Join, "booking");
        a.flag(Field::Online, false);
        a.flag(Field::Bursary, true);
        let list = a.into_vec();
        let ids: Vec<&str> = list.iter().map(|v| v["id"].as_str().unwrap()).collect();
        assert_eq!(ids, vec!["club--join", "club--join-2", "club--bursary"]);
        assert_eq!(list[0]["taxonomy_term"]["code"], "signpost:join");
        assert_eq!(list[1]["value"], "booking");
        assert_eq!(list[2]["taxonomy_term"]["taxonomy_id"], "signpost");
    }
}
