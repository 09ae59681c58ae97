//! What checkers do: review queued changes, verify safeguarding, handle reports.

use chrono::{Duration, Months, NaiveDate};
use signpost_model::{
    Activity, AuditEntry, Change, ChangeKind, ChangeStatus, Claim, ClaimDecision, ClaimStatus,
    Decision, Evidence, FieldChange, Id, Provider, Report, SafeguardingStatus, User, Verification,
    VerificationCheck,
};
use signpost_store::{ChangeFilter, EditBatch, Link, LinkKind};

use crate::form::{diff, listing_fields, safeguarding_fields};
use crate::{Desk, DeskError, decode_activity, decode_safeguarding, invalid};

/// Verifications expiring within this many days appear in the checker queue.
pub const EXPIRY_WARNING_DAYS: i64 = 30;
/// The longest a check may be valid for.
pub const MAX_CHECK_MONTHS: u32 = 36;

/// A checker's work.
#[derive(Debug, Default)]
pub struct Queue {
    /// New and edited listings waiting for review, oldest first, with the provider's name.
    pub listings: Vec<(Change, String)>,
    /// Safeguarding declarations waiting to be checked, oldest first.
    pub safeguarding: Vec<(Change, String)>,
    /// Providers whose verification has expired or expires within 30 days, soonest first.
    pub expiring: Vec<(Provider, NaiveDate, SafeguardingStatus)>,
    /// Reports from the public, oldest first, with the listing's title.
    pub reports: Vec<(Report, String)>,
    /// Sources whose organisation matched a provider they may not join by themselves,
    /// oldest first.
    pub claims: Vec<ClaimReview>,
}

/// An open [`Claim`] with what a checker needs to decide it.
#[derive(Debug)]
pub struct ClaimReview {
    pub claim: Claim,
    /// The provider the source matched, as it is now.
    pub claimed: Provider,
    pub claimed_status: SafeguardingStatus,
    /// The source's listings, waiting with the interim provider.
    pub listings: Vec<Activity>,
}

/// One queued change with everything needed to decide it.
#[derive(Debug)]
pub struct ChangeReview {
    pub change: Change,
    pub provider: Provider,
    /// The listing's title (proposed), or the provider's name for safeguarding.
    pub title: String,
    /// Field by field, against what is public now.
    pub diff: Vec<FieldChange>,
    /// True when there was no public version: a new listing.
    pub is_new: bool,
}

/// A provider's safeguarding record as a checker sees it.
#[derive(Debug)]
pub struct ProviderCheck {
    pub provider: Provider,
    pub status: SafeguardingStatus,
    pub evidence: Vec<Evidence>,
    pub pending: Option<Change>,
    pub history: Vec<AuditEntry>,
    pub listings: Vec<Activity>,
}

impl Desk {
    pub fn queue(&self, actor: &User) -> Result<Queue, DeskError> {
        self.require_checker(actor)?;
        let mut names = std::collections::HashMap::new();
        let mut name_of = |id: &Id| -> Result<String, DeskError> {
            if let Some(n) = names.get(id) {
                return Ok(String::clone(n));
            }
            let n = self
                .store
                .provider(id)?
                .map(|p| p.name)
                .unwrap_or_else(|| id.to_string());
            names.insert(id.clone(), n.clone());
            Ok(n)
        };
        let pending = self.store.changes(&ChangeFilter {
            status: Some(ChangeStatus::Pending),
            ..Default::default()
        })?;
        let mut queue = Queue::default();
        for c in pending.into_iter().rev() {
            let name = name_of(&c.provider_id)?;
            match c.kind {
                ChangeKind::Listing => queue.listings.push((c, name)),
                ChangeKind::Safeguarding => queue.safeguarding.push((c, name)),
            }
        }
        let today = self.today();
        let soon = today + Duration::days(EXPIRY_WARNING_DAYS);
        for p in self.store.providers()? {
            if let Verification::Verified(check) = &p.verification
                && check.expires_on <= soon
            {
                let status = p.verification.status(today);
                queue.expiring.push((p.clone(), check.expires_on, status));
            }
        }
        queue.expiring.sort_by_key(|(_, d, _)| *d);
        for r in self.store.open_reports()? {
            let title = self
                .store
                .activity(&r.activity_id)?
                .map(|a| a.title)
                .unwrap_or_else(|| r.activity_id.to_string());
            queue.reports.push((r, title));
        }
        for claim in self.store.open_claims()? {
            let claimed = self.provider_record(&claim.claimed)?;
            queue.claims.push(ClaimReview {
                claimed_status: self.status_of(&claimed),
                listings: self.store.activities_of(&claim.interim)?,
                claimed,
                claim,
            });
        }
        Ok(queue)
    }

    /// Answers a [`Claim`]. Confirming says the source speaks for the claimed provider: its
    /// listings move there from the interim provider, and its later items go there too.
    /// Dismissing leaves them where they are, for good. Either is audited on the claimed
    /// provider, and a claim already answered is a conflict.
    pub fn decide_claim(&self, actor: &User, id: i64, confirm: bool) -> Result<(), DeskError> {
        self.require_checker(actor)?;
        let claim = self.store.claim(id)?.ok_or(DeskError::NotFound)?;
        if claim.status != ClaimStatus::Open {
            return Err(DeskError::Conflict(
                "this organisation's link has already been confirmed or dismissed".to_owned(),
            ));
        }
        let claimed = self.provider_record(&claim.claimed)?;
        let mut batch = EditBatch {
            claim: Some(ClaimDecision {
                claim_id: id,
                confirmed: confirm,
                decided_by: actor.id,
                decided_at: self.now(),
            }),
            ..Default::default()
        };
        let note = if confirm {
            // Only the claiming source's own listings: another source that joined the
            // interim provider has not been confirmed for anyone.
            let its_own: std::collections::HashSet<Id> = self
                .store
                .links_of(&claim.source, LinkKind::Activity)?
                .into_iter()
                .map(|l| l.target)
                .collect();
            let moved: Vec<Activity> = self
                .store
                .activities_of(&claim.interim)?
                .into_iter()
                .filter(|a| its_own.contains(&a.id))
                .map(|mut a| {
                    a.provider_id = claimed.id.clone();
                    a
                })
                .collect();
            let note = format!(
                "{} speaks for this organisation (it called it \"{}\"; matched by {}); {} listings moved here",
                claim.source,
                claim.name,
                claim.reason,
                moved.len()
            );
            batch.activities = moved;
            batch.links.push(Link {
                source: claim.source.clone(),
                kind: LinkKind::Provider,
                source_id: claim.source_key.clone(),
                target: claimed.id.clone(),
                fingerprint: String::new(),
            });
            note
        } else {
            format!(
                "{} does not speak for this organisation (it called it \"{}\"; matched by {}); its listings stay apart",
                claim.source, claim.name, claim.reason
            )
        };
        let action = if confirm {
            "confirmed a source speaks for this organisation"
        } else {
            "dismissed a source's match"
        };
        batch
            .audit
            .push(self.audit(actor, &claimed.id, None, action, Vec::new(), &note));
        self.directory.apply(&batch)?;
        Ok(())
    }

    pub fn review(&self, actor: &User, change_id: i64) -> Result<ChangeReview, DeskError> {
        self.require_checker(actor)?;
        let change = self.store.change(change_id)?.ok_or(DeskError::NotFound)?;
        let provider = self.provider_record(&change.provider_id)?;
        let (title, diff, is_new) = match change.kind {
            ChangeKind::Listing => {
                let after = decode_activity(&change.after)?;
                let current = match &change.activity_id {
                    Some(id) => self.store.activity(id)?,
                    None => None,
                };
                let before = current.as_ref().map(listing_fields).unwrap_or_default();
                (
                    after.title.clone(),
                    diff(&before, &listing_fields(&after)),
                    current.is_none(),
                )
            }
            ChangeKind::Safeguarding => {
                let after = decode_safeguarding(&change.after)?;
                let before = change
                    .before
                    .as_deref()
                    .map(decode_safeguarding)
                    .transpose()?
                    .unwrap_or_default();
                let v = Verification::NotChecked;
                let mut d = diff(
                    &safeguarding_fields(&before, &v),
                    &safeguarding_fields(&after, &v),
                );
                d.retain(|f| f.field != "Status");
                (provider.name.clone(), d, false)
            }
        };
        Ok(ChangeReview {
            change,
            provider,
            title,
            diff,
            is_new,
        })
    }

    /// Approves or rejects a queued listing change; rejects a safeguarding declaration (to
    /// approve one, [`Desk::verify`] it). Rejecting needs a message the provider will see.
    pub fn decide(
        &self,
        actor: &User,
        change_id: i64,
        approve: bool,
        message: &str,
    ) -> Result<(), DeskError> {
        self.require_checker(actor)?;
        let message = message.trim();
        if message.chars().count() > 2000 {
            return Err(invalid("keep the message to 2,000 characters"));
        }
        if !approve && message.is_empty() {
            return Err(invalid(
                "say why it is not approved, so the provider can put it right",
            ));
        }
        let change = self.store.change(change_id)?.ok_or(DeskError::NotFound)?;
        if change.status != ChangeStatus::Pending {
            return Err(DeskError::Conflict(format!(
                "this change is no longer waiting: it was {}",
                change.status.label().to_lowercase()
            )));
        }
        if approve && change.kind == ChangeKind::Safeguarding {
            return Err(invalid(
                "to approve a safeguarding declaration, verify it with what you saw and when \
                 the check expires",
            ));
        }
        let decision = Decision {
            change_id,
            status: if approve {
                ChangeStatus::Approved
            } else {
                ChangeStatus::Rejected
            },
            decided_by: actor.id,
            decided_at: self.now(),
            message: message.to_owned(),
        };
        let mut batch = EditBatch {
            decision: Some(decision),
            ..Default::default()
        };
        if approve {
            let mut after = decode_activity(&change.after)?;
            let current = match &change.activity_id {
                Some(id) => self.store.activity(id)?,
                None => None,
            };
            // Steps taken since it was sent (a confirmation, a withdrawal) are kept.
            if let Some(cur) = &current {
                after.last_confirmed = after.last_confirmed.max(cur.last_confirmed);
                after.withdrawn = cur.withdrawn;
            }
            let before = current.as_ref().map(listing_fields).unwrap_or_default();
            let fields = diff(&before, &listing_fields(&after));
            batch.audit.push(self.audit(
                actor,
                &change.provider_id,
                change.activity_id.as_ref(),
                "approved",
                fields,
                message,
            ));
            batch.activities.push(after);
        } else {
            let action = match change.kind {
                ChangeKind::Listing => "rejected an edit",
                ChangeKind::Safeguarding => "did not verify safeguarding",
            };
            batch.audit.push(self.audit(
                actor,
                &change.provider_id,
                change.activity_id.as_ref(),
                action,
                Vec::new(),
                message,
            ));
        }
        self.directory.apply(&batch)?;
        Ok(())
    }

    /// Records a named check of a provider's safeguarding: who checked, for which
    /// organisation, what evidence was seen, and until when it holds (12 months if not said).
    pub fn verify(
        &self,
        actor: &User,
        provider_id: &str,
        evidence_seen: &str,
        expires_on: Option<NaiveDate>,
    ) -> Result<(), DeskError> {
        self.require_checker(actor)?;
        let id = Id::parse(provider_id).map_err(|_| DeskError::NotFound)?;
        let mut provider = self.provider_record(&id)?;
        let today = self.today();
        let mut problems = Vec::new();
        let evidence_seen = evidence_seen.trim();
        if evidence_seen.is_empty() {
            problems.push("say what evidence you saw (e.g. policy reviewed March 2026, DBS certificates for 4 staff)".to_owned());
        }
        if evidence_seen.chars().count() > 1000 {
            problems.push("keep the evidence note to 1,000 characters".to_owned());
        }
        let latest = today
            .checked_add_months(Months::new(MAX_CHECK_MONTHS))
            .unwrap_or(today);
        if let Some(d) = expires_on
            && (d <= today || d > latest)
        {
            problems.push(format!(
                "the check must expire after today and within {MAX_CHECK_MONTHS} months"
            ));
        }
        if provider.safeguarding == Default::default() {
            problems.push("the provider has not declared anything to check yet".to_owned());
        }
        if !problems.is_empty() {
            return Err(DeskError::Invalid(problems));
        }
        let organisation = actor.organisation.clone().unwrap_or_default();
        let check = VerificationCheck::new(
            actor.name.clone(),
            organisation,
            today,
            evidence_seen.to_owned(),
            expires_on,
        )
        .map_err(|e| invalid(e.to_string()))?;
        let before = safeguarding_fields(&provider.safeguarding, &provider.verification);
        provider.verification = Verification::Verified(check);
        let fields = diff(
            &before,
            &safeguarding_fields(&provider.safeguarding, &provider.verification),
        );
        let pending = self.pending_safeguarding(&id)?;
        let audit = self.audit(actor, &id, None, "verified safeguarding", fields, "");
        self.directory.apply(&EditBatch {
            providers: vec![provider],
            decision: pending.map(|c| Decision {
                change_id: c.id,
                status: ChangeStatus::Approved,
                decided_by: actor.id,
                decided_at: self.now(),
                message: "Verified.".to_owned(),
            }),
            audit: vec![audit],
            ..Default::default()
        })?;
        Ok(())
    }

    /// Marks a provider trusted (its edits publish at once) or not.
    pub fn set_trusted(
        &self,
        actor: &User,
        provider_id: &str,
        trusted: bool,
    ) -> Result<(), DeskError> {
        self.require_checker(actor)?;
        let id = Id::parse(provider_id).map_err(|_| DeskError::NotFound)?;
        let mut provider = self.provider_record(&id)?;
        if provider.trusted == trusted {
            return Ok(());
        }
        provider.trusted = trusted;
        let fields = vec![FieldChange {
            field: "Trusted".to_owned(),
            before: if trusted { "No" } else { "Yes" }.to_owned(),
            after: if trusted { "Yes" } else { "No" }.to_owned(),
        }];
        let action = if trusted {
            "marked trusted"
        } else {
            "removed trust"
        };
        let audit = self.audit(actor, &id, None, action, fields, "");
        self.directory.apply(&EditBatch {
            providers: vec![provider],
            audit: vec![audit],
            ..Default::default()
        })?;
        Ok(())
    }

    /// The provider's safeguarding declaration waiting for a checker, if there is one.
    fn pending_safeguarding(&self, id: &Id) -> Result<Option<Change>, DeskError> {
        Ok(self
            .store
            .changes(&ChangeFilter {
                status: Some(ChangeStatus::Pending),
                provider: Some(id.clone()),
                kind: Some(ChangeKind::Safeguarding),
                limit: 1,
                ..Default::default()
            })?
            .into_iter()
            .next())
    }

    pub fn provider_check(
        &self,
        actor: &User,
        provider_id: &str,
    ) -> Result<ProviderCheck, DeskError> {
        self.require_checker(actor)?;
        let id = Id::parse(provider_id).map_err(|_| DeskError::NotFound)?;
        let provider = self.provider_record(&id)?;
        let pending = self.pending_safeguarding(&id)?;
        Ok(ProviderCheck {
            status: self.status_of(&provider),
            evidence: self.store.evidence_of(&id)?,
            history: self.store.audit(&id, None)?,
            listings: self.store.activities_of(&id)?,
            provider,
            pending,
        })
    }

    pub fn close_report(&self, actor: &User, id: i64, note: &str) -> Result<(), DeskError> {
        self.require_checker(actor)?;
        let r = self.store.report(id)?.ok_or(DeskError::NotFound)?;
        let note = note.trim();
        if note.chars().count() > 1000 {
            return Err(invalid("keep the note to 1,000 characters"));
        }
        let audit = self.audit(
            actor,
            &r.provider_id,
            Some(&r.activity_id),
            "closed a report",
            Vec::new(),
            note,
        );
        if !self
            .store
            .close_report(id, actor.id, self.now(), note, &audit)?
        {
            return Err(DeskError::Conflict(
                "this report was already closed".to_owned(),
            ));
        }
        Ok(())
    }
}
