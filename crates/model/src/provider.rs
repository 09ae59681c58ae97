//! Providers (the organisations that run activities), their safeguarding record, and who
//! checked it.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::id::Id;
use crate::{Email, Phone, Postcode, WebUrl};

/// An organisation that runs activities: a club, a charity, a community group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    pub id: Id,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::contact::stored"
    )]
    pub website: Option<WebUrl>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::contact::stored"
    )]
    pub email: Option<Email>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::contact::stored"
    )]
    pub phone: Option<Phone>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charity_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_number: Option<String>,
    /// The organisation's own postcode, when a source gives it: with the name, it is how the
    /// same organisation is recognised in two sources that share no charity number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<Postcode>,
    #[serde(default)]
    pub safeguarding: Safeguarding,
    #[serde(default)]
    pub verification: Verification,
    /// A checker trusts this provider: its ordinary listing edits publish at once (still
    /// audited) instead of waiting in the review queue.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub trusted: bool,
}

impl Provider {
    /// A provider with only an id and a name: nothing declared, nothing checked, not trusted.
    pub fn named(id: Id, name: impl Into<String>) -> Self {
        Provider {
            id,
            name: name.into(),
            description: String::new(),
            website: None,
            email: None,
            phone: None,
            charity_number: None,
            company_number: None,
            postcode: None,
            safeguarding: Safeguarding::default(),
            verification: Verification::NotChecked,
            trusted: false,
        }
    }

    /// Whether a person stands behind this provider: it declared its safeguarding, a checker
    /// checked it (even if the check has since run out), or a checker trusts it. No outside
    /// source may take on such a provider's standing by itself (see `signpost-ingest`).
    pub fn vouched_for(&self) -> bool {
        self.trusted || !matches!(self.verification, Verification::NotChecked)
    }
}

/// What a provider has in place to keep children safe. No open data standard has these fields;
/// they are Signpost's own.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Safeguarding {
    /// A written safeguarding policy, if the provider has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<SafeguardingPolicy>,
    /// The designated safeguarding lead's role (e.g. "Club Welfare Officer"). A role, never a
    /// private person's contact details: this is shown on the public site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub designated_lead_role: Option<String>,
    /// Enhanced DBS checks for staff and volunteers who work with children.
    #[serde(default)]
    pub enhanced_dbs: bool,
    /// When the public liability insurance runs out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insurance_expires: Option<NaiveDate>,
    /// A trained first-aider at every session.
    #[serde(default)]
    pub first_aid: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SafeguardingPolicy {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_reviewed: Option<NaiveDate>,
}

impl Safeguarding {
    /// Whether the insurance is in date on `today` (false if none was declared).
    pub fn insured_on(&self, today: NaiveDate) -> bool {
        self.insurance_expires.is_some_and(|d| d >= today)
    }
}

/// Whether anyone has checked the safeguarding record. `expired` is never stored: it is derived
/// from a verification's expiry date by [`Verification::status`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Verification {
    #[default]
    NotChecked,
    /// The provider filled in its record; nobody has checked it.
    SelfDeclared {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        declared_on: Option<NaiveDate>,
    },
    Verified(VerificationCheck),
}

/// A named check of a provider's safeguarding record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawCheck")]
pub struct VerificationCheck {
    /// The person who checked, e.g. "J. Okafor, link worker".
    pub checked_by: String,
    /// The organisation they checked for, e.g. "Hull Social Prescribing Service".
    pub on_behalf_of: String,
    pub checked_on: NaiveDate,
    /// What was seen: "Policy (reviewed Mar 2026), DBS certificates for 4 staff, insurance schedule".
    pub evidence: String,
    pub expires_on: NaiveDate,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    checked_by: String,
    on_behalf_of: String,
    checked_on: NaiveDate,
    #[serde(default)]
    evidence: String,
    #[serde(default)]
    expires_on: Option<NaiveDate>,
}

#[derive(Debug, thiserror::Error)]
#[error("a verification cannot expire ({expires}) before it was made ({checked})")]
pub struct CheckDatesError {
    checked: NaiveDate,
    expires: NaiveDate,
}

impl TryFrom<RawCheck> for VerificationCheck {
    type Error = CheckDatesError;
    fn try_from(r: RawCheck) -> Result<Self, CheckDatesError> {
        VerificationCheck::new(
            r.checked_by,
            r.on_behalf_of,
            r.checked_on,
            r.evidence,
            r.expires_on,
        )
    }
}

impl VerificationCheck {
    /// How long a check lasts when no expiry is given.
    pub const DEFAULT_MONTHS: u32 = 12;

    pub fn new(
        checked_by: String,
        on_behalf_of: String,
        checked_on: NaiveDate,
        evidence: String,
        expires_on: Option<NaiveDate>,
    ) -> Result<Self, CheckDatesError> {
        let expires_on = expires_on.unwrap_or_else(|| {
            checked_on
                .checked_add_months(Months::new(Self::DEFAULT_MONTHS))
                .unwrap_or(checked_on)
        });
        if expires_on < checked_on {
            return Err(CheckDatesError {
                checked: checked_on,
                expires: expires_on,
            });
        }
        Ok(VerificationCheck {
            checked_by,
            on_behalf_of,
            checked_on,
            evidence,
            expires_on,
        })
    }
}

/// The four states shown to people and used by the `checked` filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SafeguardingStatus {
    NotChecked,
    SelfDeclared,
    Verified,
    Expired,
}

impl SafeguardingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SafeguardingStatus::NotChecked => "not-checked",
            SafeguardingStatus::SelfDeclared => "self-declared",
            SafeguardingStatus::Verified => "verified",
            SafeguardingStatus::Expired => "expired",
        }
    }
}

impl Verification {
    /// The status on `today`: a verification past its expiry date is `Expired`.
    pub fn status(&self, today: NaiveDate) -> SafeguardingStatus {
        match self {
            Verification::NotChecked => SafeguardingStatus::NotChecked,
            Verification::SelfDeclared { .. } => SafeguardingStatus::SelfDeclared,
            Verification::Verified(c) if c.expires_on < today => SafeguardingStatus::Expired,
            Verification::Verified(_) => SafeguardingStatus::Verified,
        }
    }

    pub fn check(&self) -> Option<&VerificationCheck> {
        match self {
            Verification::Verified(c) => Some(c),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_check_lasts_twelve_months_by_default_then_shows_expired() {
        let json = r#"{"status":"verified","checked_by":"J. Okafor","on_behalf_of":"Hull SPS","checked_on":"2025-11-20"}"#;
        let v: Verification = serde_json::from_str(json).unwrap();
        assert_eq!(v.check().unwrap().expires_on, date("2026-11-20"));
        assert_eq!(v.status(date("2026-11-20")), SafeguardingStatus::Verified);
        assert_eq!(v.status(date("2026-11-21")), SafeguardingStatus::Expired);
    }

    #[test]
    fn a_misspelt_expiry_is_refused_not_defaulted() {
        let json = r#"{"status":"verified","checked_by":"x","on_behalf_of":"y","checked_on":"2026-01-01","expires":"2026-02-01"}"#;
        assert!(serde_json::from_str::<Verification>(json).is_err());
    }

    #[test]
    fn expired_is_never_a_stored_state() {
        let json = r#"{"status":"expired"}"#;
        assert!(serde_json::from_str::<Verification>(json).is_err());
    }

    #[test]
    fn a_check_cannot_expire_before_it_was_made() {
        let json = r#"{"status":"verified","checked_by":"x","on_behalf_of":"y","checked_on":"2026-01-01","expires_on":"2025-01-01"}"#;
        assert!(serde_json::from_str::<Verification>(json).is_err());
    }
}
