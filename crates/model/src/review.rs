//! The review queue, the audit log, reports from the public and safeguarding evidence.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{Id, UserId};

/// What a queued change is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// A new or edited listing, waiting for a checker before it is public.
    Listing,
    /// A safeguarding declaration waiting to be checked. It is public at once, as
    /// "self-declared"; only a checker's approval makes it "verified".
    Safeguarding,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Listing => "listing",
            ChangeKind::Safeguarding => "safeguarding",
        }
    }

    pub fn parse(s: &str) -> Option<ChangeKind> {
        match s {
            "listing" => Some(ChangeKind::Listing),
            "safeguarding" => Some(ChangeKind::Safeguarding),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeStatus {
    Pending,
    Approved,
    Rejected,
    /// A newer submission for the same listing replaced it before anyone decided.
    Superseded,
}

impl ChangeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeStatus::Pending => "pending",
            ChangeStatus::Approved => "approved",
            ChangeStatus::Rejected => "rejected",
            ChangeStatus::Superseded => "superseded",
        }
    }

    pub fn parse(s: &str) -> Option<ChangeStatus> {
        match s {
            "pending" => Some(ChangeStatus::Pending),
            "approved" => Some(ChangeStatus::Approved),
            "rejected" => Some(ChangeStatus::Rejected),
            "superseded" => Some(ChangeStatus::Superseded),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ChangeStatus::Pending => "Waiting for review",
            ChangeStatus::Approved => "Approved",
            ChangeStatus::Rejected => "Not approved",
            ChangeStatus::Superseded => "Replaced by a later edit",
        }
    }
}

/// One field that differs, as people read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// A submitted change and what became of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub id: i64,
    pub kind: ChangeKind,
    pub provider_id: Id,
    /// The listing, for listing changes.
    pub activity_id: Option<Id>,
    /// The public version when it was submitted (JSON), if there was one.
    pub before: Option<String>,
    /// The proposed version (JSON).
    pub after: String,
    pub submitted_by: UserId,
    pub submitted_at: DateTime<Utc>,
    pub status: ChangeStatus,
    pub decided_by: Option<UserId>,
    pub decided_at: Option<DateTime<Utc>>,
    /// What the checker told the provider.
    pub message: String,
}

/// A change to queue.
#[derive(Clone, Debug)]
pub struct NewChange {
    pub kind: ChangeKind,
    pub provider_id: Id,
    pub activity_id: Option<Id>,
    pub before: Option<String>,
    pub after: String,
    pub submitted_by: UserId,
    pub submitted_at: DateTime<Utc>,
    /// Set when the change takes effect at once (a trusted provider): it is recorded as
    /// already approved by its submitter.
    pub approved_at_once: bool,
}

/// A checker's decision on a queued change.
#[derive(Clone, Debug)]
pub struct Decision {
    pub change_id: i64,
    pub status: ChangeStatus,
    pub decided_by: UserId,
    pub decided_at: DateTime<Utc>,
    pub message: String,
}

/// One line of the audit log: who did what, when, to which fields.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// None for the public (a report) or the command line.
    pub actor: Option<UserId>,
    /// Who it was, as shown in the log ("Sam Lee (provider)"); kept so the log reads the same
    /// after an account changes.
    pub actor_label: String,
    pub provider_id: Id,
    pub activity_id: Option<Id>,
    /// What happened: "submitted", "approved", "withdrew", "verified"...
    pub action: String,
    pub fields: Vec<FieldChange>,
    pub note: String,
}

/// An audit line to write.
#[derive(Clone, Debug)]
pub struct NewAudit {
    pub at: DateTime<Utc>,
    pub actor: Option<UserId>,
    pub actor_label: String,
    pub provider_id: Id,
    pub activity_id: Option<Id>,
    pub action: String,
    pub fields: Vec<FieldChange>,
    pub note: String,
}

/// A suggestion or problem report from anyone, about a public listing.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub id: i64,
    pub activity_id: Id,
    pub provider_id: Id,
    pub message: String,
    /// How to reach the person who wrote it, if they gave it.
    pub contact: String,
    pub created_at: DateTime<Utc>,
    pub closed_by: Option<UserId>,
    pub closed_at: Option<DateTime<Utc>>,
    pub closing_note: String,
}

/// An outside source's organisation that an identifier or a name says may be a provider
/// already in the directory, where joining them by itself could lend the source that
/// provider's standing (someone vouches for it) or merge two organisations whose names
/// differ. Until a checker or admin confirms that the source speaks for `claimed`, the
/// source's listings stay with `interim`, a provider of the source's own that nobody has
/// checked (the rule is in `signpost-ingest`).
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    pub id: i64,
    /// The feed, API or file.
    pub source: String,
    /// How the source names the organisation (its own id, or `name:` and its name).
    pub source_key: String,
    /// The organisation's name as the source gives it.
    pub name: String,
    /// The provider the source's record matched.
    pub claimed: Id,
    /// Where the source's listings are meanwhile.
    pub interim: Id,
    /// Why they matched, for the checker: "the same charity number, 1234567".
    pub reason: String,
    pub created_at: DateTime<Utc>,
    pub status: ClaimStatus,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimStatus {
    Open,
    /// A checker or admin confirmed it: the source's listings moved to the claimed provider.
    Confirmed,
    Dismissed,
}

impl ClaimStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::Open => "open",
            ClaimStatus::Confirmed => "confirmed",
            ClaimStatus::Dismissed => "dismissed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            ClaimStatus::Open,
            ClaimStatus::Confirmed,
            ClaimStatus::Dismissed,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

/// A checker's or admin's answer to an open [`Claim`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClaimDecision {
    pub claim_id: i64,
    pub confirmed: bool,
    pub decided_by: UserId,
    pub decided_at: DateTime<Utc>,
}

/// Something a provider gave as evidence for its safeguarding record.
#[derive(Clone, Debug, PartialEq)]
pub struct Evidence {
    pub id: i64,
    pub provider_id: Id,
    /// What it is, in the provider's words ("Safeguarding policy 2026").
    pub title: String,
    pub kind: EvidenceKind,
    pub uploaded_by: UserId,
    pub uploaded_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum EvidenceKind {
    Link(String),
    /// A stored file: its random name in the evidence folder, its checked type and size.
    File {
        stored_as: String,
        content_type: String,
        bytes: u64,
        original_name: String,
    },
}
