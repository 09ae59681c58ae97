//! What provider editors do: keep their listings and safeguarding declaration current.

use signpost_model::{
    Activity, AgeRange, Change, ChangeKind, Evidence, Id, MAX_AGE_YEARS, NewChange, Provider,
    SafeguardingStatus, User, Verification,
};
use signpost_store::{ChangeFilter, EditBatch};

use crate::form::{ListingForm, SafeguardingForm, diff, listing_fields, safeguarding_fields};
use crate::{Desk, DeskError, decode_activity, encode, invalid};

/// One of a provider's listings on its dashboard.
#[derive(Debug)]
pub struct Listing {
    pub activity: Activity,
    /// Not confirmed for the configured period: "may be out of date".
    pub stale: bool,
    pub ended: bool,
    /// An edit is waiting for review.
    pub pending: Option<i64>,
}

/// Everything a provider editor's home page shows.
#[derive(Debug)]
pub struct Dashboard {
    pub provider: Provider,
    pub status: SafeguardingStatus,
    /// Current listings, those that may be out of date first; withdrawn ones last.
    pub listings: Vec<Listing>,
    /// Recent submissions and what became of them, newest first.
    pub changes: Vec<Change>,
    pub evidence: Vec<Evidence>,
}

/// What happened to a submitted listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    pub activity_id: Id,
    /// True when it went public at once (a trusted provider); otherwise it waits for review.
    pub published: bool,
}

/// A new listing id from its title: a readable slug and a random suffix.
fn new_id(title: &str) -> Id {
    Id::slugged(title, "listing", &signpost_accounts::random_token()[..8])
}

impl Desk {
    pub fn dashboard(&self, actor: &User) -> Result<Dashboard, DeskError> {
        let provider = self.own_provider(actor)?;
        let today = self.today();
        let pending: Vec<Change> = self.store.changes(&ChangeFilter {
            status: Some(signpost_model::ChangeStatus::Pending),
            provider: Some(provider.id.clone()),
            kind: Some(ChangeKind::Listing),
            ..Default::default()
        })?;
        let mut listings: Vec<Listing> = self
            .store
            .activities_of(&provider.id)?
            .into_iter()
            .map(|a| Listing {
                stale: !a.withdrawn && self.directory.is_stale(&a),
                ended: a.schedule.has_ended(today),
                pending: pending
                    .iter()
                    .find(|c| c.activity_id.as_ref() == Some(&a.id))
                    .map(|c| c.id),
                activity: a,
            })
            .collect();
        // New listings waiting for their first review are not stored as listings yet.
        for c in &pending {
            let known = listings
                .iter()
                .any(|l| Some(&l.activity.id) == c.activity_id.as_ref());
            if !known && let Ok(a) = decode_activity(&c.after) {
                listings.push(Listing {
                    stale: false,
                    ended: false,
                    pending: Some(c.id),
                    activity: a,
                });
            }
        }
        listings.sort_by_key(|l| (l.activity.withdrawn, !l.stale, l.activity.title.clone()));
        let changes = self.store.changes(&ChangeFilter {
            provider: Some(provider.id.clone()),
            limit: 20,
            ..Default::default()
        })?;
        let evidence = self.store.evidence_of(&provider.id)?;
        Ok(Dashboard {
            status: self.status_of(&provider),
            provider,
            listings,
            changes,
            evidence,
        })
    }

    /// The form for a listing: its waiting edit if there is one, else the public version.
    pub fn listing_form(&self, actor: &User, id: &str) -> Result<(ListingForm, bool), DeskError> {
        let provider = self.own_provider(actor)?;
        let parsed = Id::parse(id).map_err(|_| DeskError::NotFound)?;
        if let Some(c) = self.pending_listing_change(&parsed)? {
            if c.provider_id != provider.id {
                return Err(DeskError::NotFound);
            }
            return Ok((
                ListingForm::from_activity(&decode_activity(&c.after)?),
                true,
            ));
        }
        let (_, activity) = self.own_listing(actor, id)?;
        Ok((ListingForm::from_activity(&activity), false))
    }

    /// Submits a new listing (`id` None) or an edit. A trusted provider's edit publishes at
    /// once; otherwise it waits for a checker while the last approved version stays public.
    /// Sending an edit also confirms the listing is running.
    pub fn submit_listing(
        &self,
        actor: &User,
        id: Option<&str>,
        form: &ListingForm,
    ) -> Result<Submitted, DeskError> {
        let provider = self.own_provider(actor)?;
        let now = self.now();
        let (current, base) = match id {
            Some(id) => {
                let parsed = Id::parse(id).map_err(|_| DeskError::NotFound)?;
                match self.store.activity(&parsed)? {
                    Some(a) if a.provider_id == provider.id => (Some(a.clone()), a),
                    Some(_) => return Err(DeskError::NotFound),
                    None => {
                        // A new listing still waiting for its first review.
                        let c = self
                            .pending_listing_change(&parsed)?
                            .filter(|c| c.provider_id == provider.id)
                            .ok_or(DeskError::NotFound)?;
                        (None, decode_activity(&c.after)?)
                    }
                }
            }
            None => {
                let blank = Activity {
                    id: new_id(&form.title),
                    provider_id: provider.id.clone(),
                    title: String::new(),
                    description: String::new(),
                    categories: Vec::new(),
                    terms: Vec::new(),
                    ages: AgeRange::years(0, MAX_AGE_YEARS).map_err(|e| invalid(e.to_string()))?,
                    age_not_stated: false,
                    gender: Default::default(),
                    cost: Default::default(),
                    schedule: Default::default(),
                    venues: Vec::new(),
                    online: false,
                    access: Default::default(),
                    join: Default::default(),
                    last_updated: now,
                    last_confirmed: None,
                    withdrawn: false,
                };
                (None, blank)
            }
        };
        let store = &self.store;
        let mut activity = form
            .apply(base, |pc| {
                store
                    .locate_postcode(pc)
                    .ok()
                    .flatten()
                    .map(|l| l.coordinates)
            })
            .map_err(DeskError::Invalid)?;
        activity.provider_id = provider.id.clone();
        let before_fields = current.as_ref().map(listing_fields).unwrap_or_default();
        let changed = diff(&before_fields, &listing_fields(&activity));
        if current.is_some() && changed.is_empty() {
            return Err(invalid(
                "nothing was changed; to say it is still running, use \"Confirm still running\"",
            ));
        }
        activity.last_updated = now;
        activity.last_confirmed = Some(self.today());
        let fields = diff(&before_fields, &listing_fields(&activity));
        let change = NewChange {
            kind: ChangeKind::Listing,
            provider_id: provider.id.clone(),
            activity_id: Some(activity.id.clone()),
            before: current.as_ref().map(encode).transpose()?,
            after: encode(&activity)?,
            submitted_by: actor.id,
            submitted_at: now,
            approved_at_once: provider.trusted,
        };
        let action = match (provider.trusted, current.is_some()) {
            (true, true) => "edited (published at once: trusted provider)",
            (true, false) => "added (published at once: trusted provider)",
            (false, true) => "submitted an edit for review",
            (false, false) => "submitted a new listing for review",
        };
        let audit = self.audit(actor, &provider.id, Some(&activity.id), action, fields, "");
        let batch = EditBatch {
            activities: if provider.trusted {
                vec![activity.clone()]
            } else {
                Vec::new()
            },
            change: Some(change),
            audit: vec![audit],
            ..Default::default()
        };
        self.directory.apply(&batch)?;
        Ok(Submitted {
            activity_id: activity.id,
            published: provider.trusted,
        })
    }

    /// "Still running": one click sets the date a person last confirmed it.
    pub fn confirm(&self, actor: &User, id: &str) -> Result<(), DeskError> {
        let (provider, activity) = self.own_listing(actor, id)?;
        if activity.withdrawn {
            return Err(invalid("this listing has been withdrawn"));
        }
        // A finished listing stays out of search whatever is confirmed: saying "confirmed"
        // would tell the provider it is back when it is not.
        if let Some(last) = activity
            .schedule
            .ends_on()
            .filter(|last| *last < self.today())
        {
            return Err(DeskError::Conflict(format!(
                "\"{}\" has finished: its last date was {}, so it is not in search and cannot be confirmed as running. If it is running again, edit it and add the new dates.",
                activity.title,
                last.format("%-d %B %Y")
            )));
        }
        let today = self.today();
        self.change_at_once(
            actor,
            &provider,
            activity,
            "confirmed still running",
            "",
            |a| {
                a.last_confirmed = Some(today);
            },
        )
    }

    /// Makes a change to a listing that needs no review, with its line in the history.
    fn change_at_once(
        &self,
        actor: &User,
        provider: &Provider,
        mut activity: Activity,
        action: &str,
        reason: &str,
        change: impl FnOnce(&mut Activity),
    ) -> Result<(), DeskError> {
        let before = listing_fields(&activity);
        change(&mut activity);
        let fields = diff(&before, &listing_fields(&activity));
        let audit = self.audit(
            actor,
            &provider.id,
            Some(&activity.id),
            action,
            fields,
            reason,
        );
        self.directory.apply(&EditBatch {
            activities: vec![activity],
            audit: vec![audit],
            ..Default::default()
        })?;
        Ok(())
    }

    /// Takes a listing out of search at once. It stays in the history; nothing is deleted.
    pub fn withdraw(&self, actor: &User, id: &str, reason: &str) -> Result<(), DeskError> {
        let (provider, activity) = self.own_listing(actor, id)?;
        if activity.withdrawn {
            return Err(invalid("this listing is already withdrawn"));
        }
        if reason.chars().count() > 500 {
            return Err(invalid("keep the reason to 500 characters"));
        }
        let now = self.now();
        self.change_at_once(actor, &provider, activity, "withdrew", reason.trim(), |a| {
            a.withdrawn = true;
            a.last_updated = now;
        })
    }

    /// The provider's safeguarding declaration as its form holds it, and its evidence.
    #[allow(clippy::type_complexity, reason = "three parts of one page")]
    pub fn safeguarding_form(
        &self,
        actor: &User,
    ) -> Result<(Provider, SafeguardingForm, Vec<Evidence>), DeskError> {
        let provider = self.own_provider(actor)?;
        let form = SafeguardingForm::from_record(&provider.safeguarding);
        let evidence = self.store.evidence_of(&provider.id)?;
        Ok((provider, form, evidence))
    }

    /// Declares the safeguarding record. It is public at once as "self-declared": any
    /// change drops a verification until a checker checks again, and queues the check.
    pub fn declare(&self, actor: &User, form: &SafeguardingForm) -> Result<(), DeskError> {
        let mut provider = self.own_provider(actor)?;
        let record = form.to_record().map_err(DeskError::Invalid)?;
        if record == provider.safeguarding
            && !matches!(provider.verification, Verification::NotChecked)
        {
            return Err(invalid("nothing was changed"));
        }
        let before = safeguarding_fields(&provider.safeguarding, &provider.verification);
        let before_json = encode(&provider.safeguarding)?;
        provider.safeguarding = record;
        provider.verification = Verification::SelfDeclared {
            declared_on: Some(self.today()),
        };
        let fields = diff(
            &before,
            &safeguarding_fields(&provider.safeguarding, &provider.verification),
        );
        let change = NewChange {
            kind: ChangeKind::Safeguarding,
            provider_id: provider.id.clone(),
            activity_id: None,
            before: Some(before_json),
            after: encode(&provider.safeguarding)?,
            submitted_by: actor.id,
            submitted_at: self.now(),
            approved_at_once: false,
        };
        let audit = self.audit(
            actor,
            &provider.id,
            None,
            "declared safeguarding",
            fields,
            "",
        );
        self.directory.apply(&EditBatch {
            providers: vec![provider],
            change: Some(change),
            audit: vec![audit],
            ..Default::default()
        })?;
        Ok(())
    }

    /// The provider's own audit log, newest first.
    pub fn own_history(&self, actor: &User) -> Result<Vec<signpost_model::AuditEntry>, DeskError> {
        let provider = self.own_provider(actor)?;
        Ok(self.store.audit(&provider.id, None)?)
    }
}
