//! Who may change what, and the record of every change.
//!
//! Provider editors keep their own organisation's listings and safeguarding declaration;
//! their edits wait in a review queue (the last approved version stays public) unless a
//! checker has marked the provider trusted. Checkers review changes as before/after diffs,
//! verify safeguarding with a named, dated, expiring check, and handle reports from the
//! public. Admins manage organisations and accounts.
//!
//! Every operation takes the signed-in [`User`] and checks, here and not in the web layer,
//! that they may do it: a handler cannot forget. Anything that belongs to another provider is
//! reported as not found, so ids cannot be probed. Every change is written together with its
//! audit line in one transaction.
//!
//! Nothing here knows about HTTP.

mod admin;
mod checker;
pub mod evidence;
pub mod form;
mod provider;

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use signpost_directory::{Directory, DirectoryError};
use signpost_model::{
    Activity, Change, ChangeKind, Evidence, FieldChange, Id, NewAudit, Provider, Report, Role,
    SafeguardingStatus, User,
};
use signpost_store::{Backend, StoreError};

pub use checker::{ChangeReview, ClaimReview, ProviderCheck, Queue};
pub use evidence::{EvidenceUpload, MAX_EVIDENCE_BYTES};
pub use form::{ListingForm, SafeguardingForm};
pub use provider::{Dashboard, Listing, Submitted};

#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    /// Not signed in as someone who may do this.
    #[error("you do not have permission to do that")]
    Forbidden,
    /// Missing, or belonging to someone else (the two are not told apart).
    #[error("not found")]
    NotFound,
    /// Input the person can fix; every problem is listed.
    #[error("{}", .0.join("\n"))]
    Invalid(Vec<String>),
    /// Someone else got there first (a change already decided).
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Directory(#[from] DirectoryError),
    #[error(transparent)]
    Accounts(#[from] signpost_accounts::AccountError),
    #[error("could not store the file: {0}")]
    Io(#[from] std::io::Error),
}

impl From<StoreError> for DeskError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(m) => DeskError::Conflict(m),
            e => DeskError::Directory(DirectoryError::Store(e)),
        }
    }
}

fn invalid(message: impl Into<String>) -> DeskError {
    DeskError::Invalid(vec![message.into()])
}

/// The editorial service. Every method blocks (SQLite, index commits, file writes).
pub struct Desk {
    directory: Arc<Directory>,
    store: Arc<dyn Backend>,
    evidence_dir: PathBuf,
}

impl std::fmt::Debug for Desk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Desk")
    }
}

/// How an audit line names a person: their name and role, and a checker's organisation.
pub fn actor_label(user: &User) -> String {
    match (&user.role, &user.organisation) {
        (Role::Checker, Some(org)) => format!("{} (checker, {org})", user.name),
        (role, _) => format!("{} ({})", user.name, role.label().to_lowercase()),
    }
}

impl Desk {
    /// `evidence_dir` is where uploaded evidence files are kept: inside the data directory,
    /// never under the web root.
    pub fn new(directory: Arc<Directory>, evidence_dir: PathBuf) -> Self {
        Desk {
            store: directory.backend(),
            directory,
            evidence_dir,
        }
    }

    fn now(&self) -> DateTime<Utc> {
        self.directory.now()
    }

    fn today(&self) -> NaiveDate {
        self.directory.today()
    }

    fn audit(
        &self,
        actor: &User,
        provider: &Id,
        activity: Option<&Id>,
        action: &str,
        fields: Vec<FieldChange>,
        note: &str,
    ) -> NewAudit {
        NewAudit {
            at: self.now(),
            actor: Some(actor.id),
            actor_label: actor_label(actor),
            provider_id: provider.clone(),
            activity_id: activity.cloned(),
            action: action.to_owned(),
            fields,
            note: note.to_owned(),
        }
    }

    fn provider_record(&self, id: &Id) -> Result<Provider, DeskError> {
        self.store.provider(id)?.ok_or(DeskError::NotFound)
    }

    /// The organisation a provider editor keeps.
    fn own_provider(&self, actor: &User) -> Result<Provider, DeskError> {
        match (&actor.role, &actor.provider_id) {
            (Role::Provider, Some(id)) if !actor.disabled => self.provider_record(id),
            _ => Err(DeskError::Forbidden),
        }
    }

    /// One of the actor's own listings; someone else's is "not found".
    fn own_listing(&self, actor: &User, id: &str) -> Result<(Provider, Activity), DeskError> {
        let provider = self.own_provider(actor)?;
        let id = Id::parse(id).map_err(|_| DeskError::NotFound)?;
        let activity = self.store.activity(&id)?.ok_or(DeskError::NotFound)?;
        if activity.provider_id != provider.id {
            return Err(DeskError::NotFound);
        }
        Ok((provider, activity))
    }

    fn require_checker(&self, actor: &User) -> Result<(), DeskError> {
        if actor.is(Role::Checker) {
            Ok(())
        } else {
            Err(DeskError::Forbidden)
        }
    }

    /// Whether `actor` may see this provider's drafts, evidence and history: its own
    /// editors and checkers.
    fn may_see(&self, actor: &User, provider: &Id) -> bool {
        actor.edits(provider) || actor.is(Role::Checker)
    }

    /// A listing's audit log, newest first: for its provider's editors and checkers.
    pub fn history(
        &self,
        actor: &User,
        activity_id: &str,
    ) -> Result<(Activity, Vec<signpost_model::AuditEntry>), DeskError> {
        let id = Id::parse(activity_id).map_err(|_| DeskError::NotFound)?;
        let activity = self.store.activity(&id)?.ok_or(DeskError::NotFound)?;
        if !self.may_see(actor, &activity.provider_id) {
            return Err(DeskError::NotFound);
        }
        let log = self.store.audit(&activity.provider_id, Some(&id))?;
        Ok((activity, log))
    }

    /// Anyone may suggest an edit or report a problem with a public listing. The web layer
    /// limits how often; this checks the message itself.
    pub fn suggest(
        &self,
        activity_id: &str,
        message: &str,
        contact: &str,
    ) -> Result<i64, DeskError> {
        let id = Id::parse(activity_id).map_err(|_| DeskError::NotFound)?;
        let activity = self.store.activity(&id)?.ok_or(DeskError::NotFound)?;
        if activity.withdrawn {
            return Err(DeskError::NotFound);
        }
        let message = message.trim();
        let contact = contact.trim();
        let mut problems = Vec::new();
        let chars = message.chars().count();
        if chars < 10 {
            problems.push(
                "say what is wrong or what should change (at least 10 characters)".to_owned(),
            );
        }
        if chars > 2000 {
            problems.push("keep the message to 2,000 characters".to_owned());
        }
        if contact.chars().count() > 200 {
            problems.push("keep the contact details to 200 characters".to_owned());
        }
        let links = message.matches("http://").count() + message.matches("https://").count();
        if links > 2 {
            problems.push("include at most two web links".to_owned());
        }
        if !problems.is_empty() {
            return Err(DeskError::Invalid(problems));
        }
        let now = self.now();
        let report = Report {
            id: 0,
            activity_id: id.clone(),
            provider_id: activity.provider_id.clone(),
            message: message.to_owned(),
            contact: contact.to_owned(),
            created_at: now,
            closed_by: None,
            closed_at: None,
            closing_note: String::new(),
        };
        let audit = NewAudit {
            at: now,
            actor: None,
            actor_label: "Member of the public".to_owned(),
            provider_id: activity.provider_id,
            activity_id: Some(id),
            action: "reported a problem".to_owned(),
            fields: Vec::new(),
            note: message.to_owned(),
        };
        Ok(self.store.add_report(&report, &audit)?)
    }

    /// Evidence a provider gave, for its editors and checkers only.
    pub fn evidence_item(&self, actor: &User, id: i64) -> Result<Evidence, DeskError> {
        let item = self.store.evidence(id)?.ok_or(DeskError::NotFound)?;
        if !self.may_see(actor, &item.provider_id) {
            return Err(DeskError::NotFound);
        }
        Ok(item)
    }

    /// The safeguarding status shown for a provider today.
    pub fn status_of(&self, provider: &Provider) -> SafeguardingStatus {
        provider.verification.status(self.today())
    }

    fn pending_listing_change(&self, activity: &Id) -> Result<Option<Change>, DeskError> {
        Ok(self
            .store
            .changes(&signpost_store::ChangeFilter {
                status: Some(signpost_model::ChangeStatus::Pending),
                activity: Some(activity.clone()),
                kind: Some(ChangeKind::Listing),
                limit: 1,
                ..Default::default()
            })?
            .into_iter()
            .next())
    }
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> DeskError {
    StoreError::Corrupt(what.to_owned(), e.to_string()).into()
}

fn decode_activity(json: &str) -> Result<Activity, DeskError> {
    serde_json::from_str(json).map_err(|e| corrupt("queued listing", e))
}

fn decode_safeguarding(json: &str) -> Result<signpost_model::Safeguarding, DeskError> {
    serde_json::from_str(json).map_err(|e| corrupt("queued safeguarding record", e))
}

fn encode<T: serde::Serialize>(value: &T) -> Result<String, DeskError> {
    serde_json::to_string(value).map_err(|e| corrupt("new record", e))
}
