//! Places drafts from outside sources in the directory.
//!
//! The readers in `signpost-feeds` say what a source holds; this crate decides what that
//! means for the directory:
//! - **Which listing**: a source record keeps the listing it made the first time (provenance,
//!   keyed by source and source id), so re-reading a source updates rather than duplicates.
//! - **Which provider**: the same organisation from two sources becomes one provider, matched
//!   by charity number, or by name and postcode.
//! - **Never a check nobody made**: a new provider is `not-checked`; an existing provider's
//!   safeguarding record, verification and trust are never touched by a source.
//! - **Withdrawals stay in their lane**: a deletion withdraws only a listing that source made.
//! - **Batches**: each call to [`Ingest::apply`] is one transaction (listings, provenance, the
//!   feed position), so a run killed part-way leaves the store consistent and a rerun finishes
//!   the job. With `dry_run` nothing is written but the summary is the same.
//!
//! Writes go to the store only. The search index follows: the caller brings it in step, or a
//! running server notices the new generation and does (`Directory::catch_up`).

mod directory_file;
mod file;
mod openactive;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use signpost_feeds::{Draft, Entry, ProviderDraft, Rejection, VenueDraft};
use signpost_model::{
    Activity, AgeRange, Claim, ClaimStatus, Id, MAX_AGE_YEARS, Postcode, Provider, Venue,
};
use signpost_store::{Backend, Link, LinkKind, SourceBatch, Staged, StoreError};

pub use directory_file::{DirectoryFile, FileProblems};
pub use file::{FileError, Format};

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The kind of source, recorded with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    OpenActive,
    Oruk,
    Website,
    File,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::OpenActive => "openactive",
            SourceKind::Oruk => "oruk",
            SourceKind::Website => "website",
            SourceKind::File => "file",
        }
    }
}

/// Where records come from: a feed URL, an API base URL, a web page list, or a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    pub url: String,
    pub kind: SourceKind,
}

/// What a run did (or, in a dry run, would do).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Pages or files read.
    pub fetched: usize,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub withdrawn: usize,
    /// New providers made for organisations not already in the directory.
    pub providers_added: usize,
    /// Providers whose record changed (from a directory file, which carries them whole).
    pub providers_updated: usize,
    /// OpenActive sessions kept until the series they belong to arrives.
    pub waiting: usize,
    /// Organisations that matched a provider the source may not join by itself: their
    /// listings went to a new, not-checked provider and a checker is asked.
    pub claims: usize,
    /// Postcodes and places loaded (from a directory file).
    pub places: usize,
    pub rejected: Vec<Rejection>,
}

impl Summary {
    pub fn changed(&self) -> usize {
        self.added + self.updated + self.withdrawn + self.providers_updated
    }

    pub fn absorb(&mut self, other: Summary) {
        self.fetched += other.fetched;
        self.added += other.added;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
        self.withdrawn += other.withdrawn;
        self.providers_added += other.providers_added;
        self.providers_updated += other.providers_updated;
        self.waiting += other.waiting;
        self.claims += other.claims;
        self.places += other.places;
        self.rejected.extend(other.rejected);
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} fetched, {} added, {} updated, {} unchanged, {} withdrawn, {} rejected",
            self.fetched,
            self.added,
            self.updated,
            self.unchanged,
            self.withdrawn,
            self.rejected.len()
        )?;
        if self.providers_added > 0 {
            write!(f, "; {} new providers", self.providers_added)?;
        }
        if self.providers_updated > 0 {
            write!(f, "; {} providers changed", self.providers_updated)?;
        }
        match self.claims {
            0 => {}
            1 => write!(
                f,
                "; 1 organisation matched one in the directory and waits for a checker to confirm"
            )?,
            n => write!(
                f,
                "; {n} organisations matched ones in the directory and wait for a checker to confirm"
            )?,
        }
        if self.waiting > 0 {
            write!(f, "; {} sessions waiting for their series", self.waiting)?;
        }
        if self.places > 0 {
            write!(f, "; {} postcodes and places", self.places)?;
        }
        Ok(())
    }
}

/// Extra state to write with a batch of entries: OpenActive staging and the feed position.
#[derive(Debug, Default)]
pub struct BatchExtras {
    pub stage: Vec<Staged>,
    pub unstage: Vec<String>,
    pub cursor: Option<String>,
}

/// Places entries from sources in the store. Keep one for a whole run: it remembers the
/// providers it has matched or made, so a dry run of a long file counts them once.
pub struct Ingest {
    store: Arc<dyn Backend>,
    now: DateTime<Utc>,
    dry_run: bool,
    /// The person importing trusts the file's safeguarding checks (another Signpost
    /// directory's export): providers it makes keep them.
    keep_checks: bool,
    /// Directory files may be loaded (their records and checks are written as they are).
    directory_files: bool,
    dry_loaded: directory_file::DryLoaded,
    matcher: Option<ProviderMatcher>,
    /// Ids given out in this run (a dry run writes nothing, so the store cannot tell).
    issued: HashSet<Id>,
    /// Providers linked in this run, by (source, provider key): the store does not hold
    /// them yet within a batch, or at all in a dry run.
    provider_links: HashMap<(String, String), Id>,
    /// Listings placed in this batch, by (source, source id), before the store holds their
    /// links (kept for the whole run in a dry run, which writes none).
    activity_links: HashMap<(String, String), Id>,
    /// The providers each source already speaks for (its provider links), read once.
    own_providers: HashMap<String, HashSet<Id>>,
}

impl std::fmt::Debug for Ingest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ingest")
            .field("dry_run", &self.dry_run)
            .finish()
    }
}

/// Finds the provider a draft names among those already known.
#[derive(Default)]
struct ProviderMatcher {
    by_charity: HashMap<String, Id>,
    by_name: HashMap<String, Vec<Id>>,
    /// Postcodes each provider is known at: its own, and its listings' venues.
    postcodes: HashMap<Id, HashSet<String>>,
    /// Providers as they will be after this run (includes new and changed ones).
    records: HashMap<Id, Provider>,
    /// Providers whose listings' postcodes were read since the last batch was written.
    learned: HashSet<Id>,
}

/// A name as compared across sources: case, punctuation inside words ("F.C."), "The" and
/// legal suffixes ("Ltd", "CIC") do not matter.
fn name_key(name: &str) -> String {
    let words: Vec<String> = name
        .to_lowercase()
        .split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
        })
        .filter(|w| {
            !w.is_empty() && !matches!(w.as_str(), "the" | "ltd" | "limited" | "cic" | "cio")
        })
        .collect();
    words.join(" ")
}

fn charity_key(number: &str) -> String {
    number
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_uppercase()
}

/// A short stable digest for ids: FNV-1a of the parts (each ended by a 0 byte), shown as 6
/// hex digits.
fn short_hash(parts: &[&str]) -> String {
    let bytes: Vec<u8> = parts.iter().flat_map(|p| p.bytes().chain([0])).collect();
    format!("{:06x}", signpost_model::fnv1a(&bytes) & 0xff_ffff)
}

impl Ingest {
    pub fn new(store: Arc<dyn Backend>, now: DateTime<Utc>) -> Self {
        Ingest {
            store,
            now,
            dry_run: false,
            keep_checks: false,
            directory_files: false,
            dry_loaded: Default::default(),
            matcher: None,
            issued: HashSet::new(),
            provider_links: HashMap::new(),
            activity_links: HashMap::new(),
            own_providers: HashMap::new(),
        }
    }

    /// Work everything out but write nothing.
    pub fn dry_run(mut self, yes: bool) -> Self {
        self.dry_run = yes;
        self
    }

    /// Keep the safeguarding records and checks a file carries (Signpost's own exports do)
    /// on the providers this source makes or owns. Only for files the person importing
    /// trusts, such as their own directory moving to a new server: without it, no source can
    /// vouch for safeguarding and every new provider is `not-checked`.
    pub fn keep_checks(mut self, yes: bool) -> Self {
        self.keep_checks = yes;
        self
    }

    /// Load Signpost directory files (see `directory_file`): the directory's own records,
    /// written with their ids, safeguarding records and checks as they are, like a backup
    /// restored. Only for the operator's own command line: without it, such a file is refused,
    /// so nothing that hands this crate someone else's text can plant a check.
    pub fn load_directory_files(mut self, yes: bool) -> Self {
        self.directory_files = yes;
        self
    }

    pub fn is_dry_run(&self) -> bool {
        self.dry_run
    }

    pub fn store(&self) -> &Arc<dyn Backend> {
        &self.store
    }

    /// Where the source left off last time (an RPDE `next` URL).
    pub fn cursor(&self, source: &Source) -> Result<Option<String>, IngestError> {
        Ok(self.store.source_cursor(&source.url)?)
    }

    /// The listing `source` made of its record `source_id`: earlier in this batch (the
    /// store does not hold that link yet), else in an earlier one.
    fn activity_link(&self, source: &str, source_id: &str) -> Result<Option<Id>, IngestError> {
        let run_key = (source.to_owned(), source_id.to_owned());
        if let Some(id) = self.activity_links.get(&run_key) {
            return Ok(Some(id.clone()));
        }
        Ok(self
            .store
            .link(source, LinkKind::Activity, source_id)?
            .map(|l| l.target))
    }

    /// The provider `source` names `key` (see [`provider_key`]): in this run, else before.
    fn provider_link(&self, source: &str, key: &str) -> Result<Option<Id>, IngestError> {
        let run_key = (source.to_owned(), key.to_owned());
        if let Some(id) = self.provider_links.get(&run_key) {
            return Ok(Some(id.clone()));
        }
        Ok(self
            .store
            .link(source, LinkKind::Provider, key)?
            .map(|l| l.target))
    }

    /// Learns, once a run, the providers `source` speaks for: those it made, and those a
    /// checker confirmed.
    fn load_own_providers(&mut self, source: &str) -> Result<(), IngestError> {
        if !self.own_providers.contains_key(source) {
            let ids = self
                .store
                .links_of(source, LinkKind::Provider)?
                .into_iter()
                .map(|l| l.target)
                .collect();
            self.own_providers.insert(source.to_owned(), ids);
        }
        Ok(())
    }

    /// A provider written in this run by other means (a directory file): later entries may
    /// match it. A matcher made later reads it from the store, unless this run writes nothing.
    fn learn_provider(&mut self, p: &Provider) -> Result<(), IngestError> {
        if self.matcher.is_none() && !self.dry_run {
            return Ok(());
        }
        let m = self.matcher()?;
        m.remember(p);
        m.records.insert(p.id.clone(), p.clone());
        Ok(())
    }

    fn matcher(&mut self) -> Result<&mut ProviderMatcher, IngestError> {
        if self.matcher.is_none() {
            let mut m = ProviderMatcher::default();
            for p in self.store.providers()? {
                m.remember(&p);
                m.records.insert(p.id.clone(), p);
            }
            self.matcher = Some(m);
        }
        Ok(self.matcher.as_mut().expect("set above"))
    }

    /// Applies one batch of entries from a source in one transaction.
    pub fn apply(
        &mut self,
        source: &Source,
        entries: Vec<Entry>,
        extras: BatchExtras,
    ) -> Result<Summary, IngestError> {
        self.apply_from(
            source,
            entries.into_iter().map(|e| (None, e)).collect(),
            extras,
        )
    }

    /// As [`Ingest::apply`], where some entries belong to another source (an OpenActive
    /// series re-read because a session in this feed joined it).
    fn apply_from(
        &mut self,
        source: &Source,
        entries: Vec<(Option<String>, Entry)>,
        extras: BatchExtras,
    ) -> Result<Summary, IngestError> {
        let mut summary = Summary::default();
        let mut batch = SourceBatch {
            source: source.url.clone(),
            kind: source.kind.as_str().to_owned(),
            at: Some(self.now),
            stage: extras.stage,
            unstage: extras.unstage,
            cursor: extras.cursor,
            ..SourceBatch::default()
        };
        // Later entries for the same listing replace earlier ones in the batch.
        let mut activities: BTreeMap<Id, Activity> = BTreeMap::new();
        let mut providers: BTreeMap<Id, Provider> = BTreeMap::new();
        for (owner, entry) in entries {
            let from = owner.unwrap_or_else(|| source.url.clone());
            match entry {
                Entry::Rejected(r) => summary.rejected.push(r),
                Entry::Deleted { source_id } => {
                    self.withdraw(&from, &source_id, &mut activities, &mut summary)?
                }
                Entry::Item(draft) => {
                    if let Err(reason) = self.place(
                        &from,
                        *draft,
                        &mut batch,
                        &mut activities,
                        &mut providers,
                        &mut summary,
                    )? {
                        summary.rejected.push(reason);
                    }
                }
            }
        }
        batch.activities = activities.into_values().collect();
        batch.providers = providers.into_values().collect();
        if !self.dry_run {
            self.store.write_source_batch(&batch)?;
            // The store holds this batch's links now: the map stays the size of a batch.
            self.activity_links.clear();
            if let Some(m) = &mut self.matcher {
                m.learned.clear();
            }
        }
        Ok(summary)
    }

    fn withdraw(
        &mut self,
        source: &str,
        source_id: &str,
        pending: &mut BTreeMap<Id, Activity>,
        summary: &mut Summary,
    ) -> Result<(), IngestError> {
        // Only a listing this source made (earlier in this batch, or before): another
        // source's copy is not this feed's to end.
        let Some(target) = self.activity_link(source, source_id)? else {
            return Ok(());
        };
        // A listing already written in this batch is changed there; otherwise it is read,
        // and written again only if it was not withdrawn already.
        if let Some(a) = pending.get_mut(&target) {
            if !a.withdrawn {
                a.withdrawn = true;
                a.last_updated = self.now;
                summary.withdrawn += 1;
            }
        } else if let Some(mut a) = self.store.activity(&target)?
            && !a.withdrawn
        {
            a.withdrawn = true;
            a.last_updated = self.now;
            summary.withdrawn += 1;
            pending.insert(a.id.clone(), a);
        }
        Ok(())
    }

    /// Turns a draft into a listing (and maybe a provider) in the batch. `Ok(Err(..))` is a
    /// rejected record; `Err` is a store failure.
    fn place(
        &mut self,
        source: &str,
        draft: Draft,
        batch: &mut SourceBatch,
        activities: &mut BTreeMap<Id, Activity>,
        providers: &mut BTreeMap<Id, Provider>,
        summary: &mut Summary,
    ) -> Result<Result<(), Rejection>, IngestError> {
        let at = |reason: String| Rejection::new(format!("item {}", draft.source_id), reason);
        let (venues, venue_problems) = self.resolve_venues(&draft.activity.venues)?;
        if venues.is_empty() && !draft.activity.online {
            let reason = if venue_problems.is_empty() {
                "has no venue and is not online".to_owned()
            } else {
                venue_problems.join("; ")
            };
            return Ok(Err(at(reason)));
        }
        if draft.provider.name.trim().is_empty() {
            return Ok(Err(at("names no provider".to_owned())));
        }
        let postcode = draft
            .provider
            .postcode
            .clone()
            .or_else(|| venues.iter().find_map(|v| v.postcode.clone()));
        // The listing this record made before. A record whose name changed keeps its
        // listing and address; only a record never seen gets a new one.
        let linked = self.activity_link(source, &draft.source_id)?;
        if linked.is_none()
            && source.starts_with(FILE_PREFIX)
            && let Some((target, provider)) =
                self.same_row_in_another_file(source, &draft, &venues)?
        {
            // The same row, already here from a file of another name (a copy of that file):
            // nothing changes, and this file's later versions update that listing and its
            // provider, which nobody vouches for (see `same_row_in_another_file`).
            summary.unchanged += 1;
            let key = provider_key(&draft.provider);
            self.provider_links
                .insert((source.to_owned(), key.clone()), provider.clone());
            self.activity_links
                .insert((source.to_owned(), draft.source_id.clone()), target.clone());
            for (kind, source_id, target) in [
                (LinkKind::Provider, key, provider),
                (LinkKind::Activity, draft.source_id, target),
            ] {
                batch.links.push(Link {
                    source: source.to_owned(),
                    kind,
                    source_id,
                    target,
                    fingerprint: String::new(),
                });
            }
            return Ok(Ok(()));
        }
        let provider_id =
            self.provider_for(source, &draft.provider, postcode, batch, providers, summary)?;

        let id = match linked {
            Some(id) => id,
            None => self.new_activity_id(source, &draft)?,
        };
        self.activity_links
            .insert((source.to_owned(), draft.source_id.clone()), id.clone());
        // Counted once a batch, however often the batch mentions it.
        let counted = activities.contains_key(&id);
        let existing = match activities.get(&id) {
            Some(a) => Some(a.clone()),
            None => self.store.activity(&id)?,
        };
        let d = draft.activity;
        let updated = d.updated;
        let mut activity = self.listing(id.clone(), provider_id, d, venues, existing.as_ref());
        let problems = activity.problems();
        if !problems.is_empty() {
            return Ok(Err(at(problems.join("; "))));
        }
        let unchanged = existing
            .as_ref()
            .is_some_and(|e| same_listing(&activity, e));
        if unchanged {
            summary.unchanged += 1;
            batch
                .seen
                .push((source.to_owned(), LinkKind::Activity, draft.source_id));
            return Ok(Ok(()));
        }
        if existing.is_some() {
            if !counted {
                summary.updated += 1;
            }
            // A source that does not date its changes: the change is dated now.
            if updated.is_none() {
                activity.last_updated = self.now;
            }
        } else {
            summary.added += 1;
        }
        batch.links.push(Link {
            source: source.to_owned(),
            kind: LinkKind::Activity,
            source_id: draft.source_id,
            target: id.clone(),
            fingerprint: String::new(),
        });
        activities.insert(id, activity);
        Ok(Ok(()))
    }

    /// The listing a draft describes, with `id` and `provider_id`.
    fn listing(
        &self,
        id: Id,
        provider_id: Id,
        d: signpost_feeds::ActivityDraft,
        venues: Vec<Venue>,
        existing: Option<&Activity>,
    ) -> Activity {
        let ages = match d.ages {
            Some(a) => a,
            None => AgeRange::years(0, MAX_AGE_YEARS).expect("the widest range is valid"),
        };
        Activity {
            id,
            provider_id,
            title: d.title,
            description: d.description,
            categories: d.categories,
            terms: d.terms,
            ages,
            age_not_stated: d.ages.is_none(),
            gender: d.gender,
            cost: d.cost,
            schedule: d.schedule,
            venues,
            online: d.online,
            access: d.access,
            join: d.join,
            last_updated: d.updated.unwrap_or(self.now),
            last_confirmed: d
                .confirmed
                .or_else(|| existing.and_then(|e| e.last_confirmed)),
            withdrawn: false,
        }
    }

    /// For a row its own file has not linked yet: a listing a file of another name made
    /// from this very row (the same row id, the same organisation name, and every detail
    /// the same) under a provider nobody vouches for. Only content already here is matched,
    /// so a renamed copy of a file changes nothing, and no file takes over a listing by
    /// quoting its id. Returns the listing and its provider.
    fn same_row_in_another_file(
        &self,
        source: &str,
        draft: &Draft,
        venues: &[Venue],
    ) -> Result<Option<(Id, Id)>, IngestError> {
        // A file that already names its organisation as some provider speaks only for it.
        let own_provider = self.provider_link(source, &provider_key(&draft.provider))?;
        for link in self
            .store
            .links_by_record(LinkKind::Activity, FILE_PREFIX, &draft.source_id)?
        {
            if link.source == source {
                continue;
            }
            let Some(there) = self.store.activity(&link.target)? else {
                continue;
            };
            let Some(provider) = self.store.provider(&there.provider_id)? else {
                continue;
            };
            // Never a way round the claim rule: a provider someone vouches for is joined
            // only through `provider_for`.
            if there.withdrawn
                || provider.vouched_for()
                || own_provider.as_ref().is_some_and(|own| *own != provider.id)
                || name_key(&provider.name) != name_key(&draft.provider.name)
            {
                continue;
            }
            let candidate = self.listing(
                there.id.clone(),
                there.provider_id.clone(),
                draft.activity.clone(),
                venues.to_vec(),
                Some(&there),
            );
            if same_listing(&candidate, &there) {
                return Ok(Some((there.id, provider.id)));
            }
        }
        Ok(None)
    }

    fn new_activity_id(&mut self, source: &str, draft: &Draft) -> Result<Id, IngestError> {
        if let Some(id) = &draft.activity.signpost_id
            && !self.issued.contains(id)
            && self.store.activity(id)?.is_none()
        {
            self.issued.insert(id.clone());
            return Ok(id.clone());
        }
        let suffix = short_hash(&[source, &draft.source_id]);
        let mut id = Id::slugged(&draft.activity.title, "activity", &suffix);
        let mut n = 2;
        while self.issued.contains(&id) || self.store.activity(&id)?.is_some() {
            id = Id::slugged(&draft.activity.title, "activity", &format!("{suffix}-{n}"));
            n += 1;
        }
        self.issued.insert(id.clone());
        Ok(id)
    }

    fn resolve_venues(
        &self,
        drafts: &[VenueDraft],
    ) -> Result<(Vec<Venue>, Vec<String>), IngestError> {
        let mut venues = Vec::new();
        let mut problems = Vec::new();
        for v in drafts {
            let coordinates = match (v.coordinates, &v.postcode) {
                (Some(c), _) => Some(c),
                (None, Some(pc)) => self.store.locate_postcode(pc)?.map(|l| l.coordinates),
                (None, None) => None,
            };
            match coordinates {
                Some(coordinates) => venues.push(Venue {
                    name: if v.name.trim().is_empty() {
                        "Venue".to_owned()
                    } else {
                        v.name.clone()
                    },
                    address: v.address.clone(),
                    postcode: v.postcode.clone(),
                    coordinates,
                }),
                None => problems.push(match &v.postcode {
                    Some(pc) => format!(
                        "venue '{}': the postcode {pc} is not in the postcode table, and no coordinates were given",
                        v.name
                    ),
                    None => format!("venue '{}' has no coordinates and no postcode", v.name),
                }),
            }
        }
        Ok((venues, problems))
    }

    /// The provider a draft belongs to: the one this source linked before, else one with the
    /// same charity number, else one with the same name at the same postcode, else a new one.
    fn provider_for(
        &mut self,
        source: &str,
        draft: &ProviderDraft,
        postcode: Option<Postcode>,
        batch: &mut SourceBatch,
        providers: &mut BTreeMap<Id, Provider>,
        summary: &mut Summary,
    ) -> Result<Id, IngestError> {
        // A source without organisation ids names them; within one source, one name is one
        // organisation. Across sources a name must also share a postcode (see `find`).
        let source_key = provider_key(draft);
        let run_key = (source.to_owned(), source_key.clone());
        let linked = self.provider_link(source, &source_key)?;
        let store = self.store.clone();
        let keep_checks = self.keep_checks;
        self.load_own_providers(source)?;
        self.matcher()?;
        let own = &self.own_providers[source];
        let matcher = self.matcher.as_mut().expect("loaded above");
        let mut claim = None;
        let found = match linked.clone() {
            Some(id) if matcher.records.contains_key(&id) => Some(id),
            _ => match matcher.find(&*store, draft, postcode.as_ref())? {
                None => None,
                Some((id, reason)) => {
                    let candidate = &matcher.records[&id];
                    let names_agree = name_key(&candidate.name) == name_key(&draft.name);
                    let its_own = own.contains(&id);
                    if its_own {
                        // The source already calls that provider something else (another
                        // id of its own): it says these are two organisations.
                        None
                    } else if names_agree && !candidate.vouched_for() {
                        Some(id)
                    } else {
                        // Only a checker's decision joins them, never an identifier alone.
                        claim = Some((id, reason));
                        None
                    }
                }
            },
        };
        let (id, is_new) = match found {
            Some(id) => (id, false),
            None => {
                let free = |id: &Id| -> Result<bool, IngestError> {
                    Ok(!matcher.records.contains_key(id) && store.provider(id)?.is_none())
                };
                // The id a Signpost export gave it, else its name, else its name numbered.
                let mut candidates = draft
                    .signpost_id
                    .iter()
                    .cloned()
                    .chain(std::iter::once(Id::slugged(&draft.name, "provider", "")))
                    .chain(
                        (2..).map(|n: u32| Id::slugged(&draft.name, "provider", &n.to_string())),
                    );
                let id = loop {
                    let candidate = candidates.next().expect("the numbered names never run out");
                    if free(&candidate)? {
                        break candidate;
                    }
                };
                // No feed can vouch for safeguarding: a new provider is not checked.
                let provider = Provider::named(id.clone(), draft.name.clone());
                matcher.records.insert(id.clone(), provider);
                summary.providers_added += 1;
                (id, true)
            }
        };
        let current = matcher
            .records
            .get(&id)
            .cloned()
            .expect("matched providers are known");
        // A provider this source made follows the source, until a person stands behind it;
        // one that exists for other reasons (made by an admin or another source, or linked
        // to this source by a checker) only has its blanks filled.
        let owned =
            is_new || linked.as_ref() == Some(&id) && (keep_checks || !current.vouched_for());
        let mut next = current.clone();
        if owned {
            next.name.clone_from(&draft.name);
        }
        if !draft.description.trim().is_empty() && (next.description.trim().is_empty() || owned) {
            next.description.clone_from(&draft.description);
        }
        fill(&mut next.website, &draft.website, owned);
        fill(&mut next.email, &draft.email, owned);
        fill(&mut next.phone, &draft.phone, owned);
        // A provider made while its source's claim waits does not carry the disputed
        // numbers: it must not become the one they lead to.
        if claim.is_none() {
            fill(&mut next.charity_number, &draft.charity_number, owned);
            fill(&mut next.company_number, &draft.company_number, owned);
        }
        if next.postcode.is_none() || owned && draft.postcode.is_some() {
            next.postcode = draft.postcode.clone().or(postcode.clone());
        }
        if owned && keep_checks && claim.is_none() {
            if let Some(s) = &draft.safeguarding {
                next.safeguarding.clone_from(s);
            }
            if let Some(v) = &draft.verification {
                next.verification.clone_from(v);
            }
        }
        if next != current || is_new {
            matcher.remember(&next);
            matcher.records.insert(id.clone(), next.clone());
            providers.insert(id.clone(), next);
        }
        if let Some(pc) = &postcode {
            matcher
                .postcodes
                .entry(id.clone())
                .or_default()
                .insert(pc.to_string());
        }
        if let Some((claimed, reason)) = claim {
            summary.claims += 1;
            batch.claims.push(Claim {
                id: 0,
                source: source.to_owned(),
                source_key: source_key.clone(),
                name: draft.name.clone(),
                claimed,
                interim: id.clone(),
                reason,
                created_at: self.now,
                status: ClaimStatus::Open,
            });
        }
        self.own_providers
            .entry(source.to_owned())
            .or_default()
            .insert(id.clone());
        self.provider_links.insert(run_key, id.clone());
        // `linked` is this run's or the store's link: write one only when it is new.
        if linked.as_ref() != Some(&id) {
            batch.links.push(Link {
                source: source.to_owned(),
                kind: LinkKind::Provider,
                source_id: source_key,
                target: id.clone(),
                fingerprint: String::new(),
            });
        }
        Ok(id)
    }

    /// Re-reads staged OpenActive items; see [`openactive`].
    pub fn apply_rpde(
        &mut self,
        source: &Source,
        page: &signpost_feeds::openactive::RpdePage,
        cursor: Option<String>,
    ) -> Result<Summary, IngestError> {
        openactive::apply_page(self, source, page, cursor)
    }
}

/// How a file source is named: `file:` and the file's name.
const FILE_PREFIX: &str = "file:";

/// How a source names an organisation: its own id for it, else its name.
fn provider_key(draft: &ProviderDraft) -> String {
    draft
        .source_id
        .clone()
        .unwrap_or_else(|| format!("name:{}", name_key(&draft.name)))
}

/// Whether a listing as a source now describes it is the one stored: everything but when it
/// was last changed.
fn same_listing(new: &Activity, stored: &Activity) -> bool {
    let mut same = new.clone();
    same.last_updated = stored.last_updated;
    same == *stored
}

/// Set once [`withdraw_orphans`] has run on a database.
const ORPHANS_WITHDRAWN: &str = "orphans_withdrawn";

/// Repairs what an old bug left: a record renamed within one batch made a second listing and
/// moved its provenance there, leaving the first live with no source pointing at it. Such a
/// listing is recognised by the digest of its source and record that ends its id (as
/// [`Ingest`] makes them) while no link points at it; it is withdrawn (never deleted). Runs
/// once per database, in one transaction; returns how many it withdrew.
pub fn withdraw_orphans(store: &dyn Backend, now: DateTime<Utc>) -> Result<usize, IngestError> {
    if store.meta(ORPHANS_WITHDRAWN)?.is_some() {
        return Ok(0);
    }
    let links = store.every_link(LinkKind::Activity)?;
    let linked: HashSet<Id> = links.iter().map(|l| l.target.clone()).collect();
    // For each record's digest, the listings that record made and still points at (their
    // ids end with the same digest).
    let mut made: HashMap<String, Vec<Id>> = HashMap::new();
    for l in links {
        let digest = short_hash(&[&l.source, &l.source_id]);
        if id_digest(l.target.as_str()) == Some(digest.as_str()) {
            made.entry(digest).or_default().push(l.target);
        }
    }
    let makers: HashSet<&Id> = made.values().flatten().collect();
    let mut provider_of: HashMap<Id, Id> = HashMap::new();
    let mut candidates = Vec::new();
    let mut from = signpost_store::ScanFrom::default();
    loop {
        let (page, next) = store.activities_page(&from, 1000)?;
        if page.is_empty() {
            break;
        }
        for (a, _) in page {
            if makers.contains(&a.id) {
                provider_of.insert(a.id.clone(), a.provider_id.clone());
            } else if !a.withdrawn
                && !linked.contains(&a.id)
                && id_digest(a.id.as_str()).is_some_and(|d| made.contains_key(d))
            {
                candidates.push(a);
            }
        }
        from = next;
    }
    // An orphan is the same record's older listing: same digest, same provider as the
    // listing the record points at now. An id that only happens to end like a digest, or a
    // listing brought from another server, does not pass.
    let orphans: Vec<Activity> = candidates
        .into_iter()
        .filter(|a| {
            id_digest(a.id.as_str())
                .and_then(|d| made.get(d))
                .is_some_and(|now| {
                    now.iter()
                        .any(|t| provider_of.get(t) == Some(&a.provider_id))
                })
        })
        .map(|mut a| {
            a.withdrawn = true;
            a.last_updated = now;
            a
        })
        .collect();
    let n = orphans.len();
    if n > 0 {
        let audit = orphans
            .iter()
            .map(|a| signpost_model::NewAudit {
                at: now,
                actor: None,
                actor_label: "Signpost".to_owned(),
                provider_id: a.provider_id.clone(),
                activity_id: Some(a.id.clone()),
                action: "withdrawn".to_owned(),
                fields: Vec::new(),
                note: "An older copy of a listing its source renamed: no source lists it now."
                    .to_owned(),
            })
            .collect();
        store.write_edits(&signpost_store::EditBatch {
            activities: orphans,
            audit,
            ..Default::default()
        })?;
    }
    store.set_meta(ORPHANS_WITHDRAWN, &now.to_rfc3339())?;
    Ok(n)
}

/// The source digest an ingested listing's id ends with: `...-1a2b3c` or `...-1a2b3c-2`.
fn id_digest(id: &str) -> Option<&str> {
    let mut parts = id.rsplit('-');
    let last = parts.next()?;
    let hex = |s: &str| s.len() == 6 && s.bytes().all(|b| b.is_ascii_hexdigit());
    if hex(last) {
        return Some(last);
    }
    let before = parts.next()?;
    (last.bytes().all(|b| b.is_ascii_digit()) && hex(before)).then_some(before)
}

/// Fills a field from a source: a blank one always; a filled one only when the source owns
/// the provider (so a provider's or admin's own words are never replaced by a feed's).
fn fill<T: Clone + std::ops::Deref<Target = str>>(
    field: &mut Option<T>,
    value: &Option<T>,
    owned: bool,
) {
    if let Some(v) = value.as_ref().filter(|v| !v.trim().is_empty())
        && (field.is_none() || owned)
    {
        *field = Some(v.clone());
    }
}

impl ProviderMatcher {
    fn remember(&mut self, p: &Provider) {
        if let Some(n) = &p.charity_number {
            let key = charity_key(n);
            // The number leads to the provider a person stands behind, whoever came first.
            let keep_current = self.by_charity.get(&key).is_some_and(|current| {
                current == &p.id
                    || !p.vouched_for()
                    || self.records.get(current).is_some_and(Provider::vouched_for)
            });
            if !key.is_empty() && !keep_current {
                self.by_charity.insert(key, p.id.clone());
            }
        }
        let ids = self.by_name.entry(name_key(&p.name)).or_default();
        if !ids.contains(&p.id) {
            ids.push(p.id.clone());
        }
        if let Some(pc) = &p.postcode {
            self.postcodes
                .entry(p.id.clone())
                .or_default()
                .insert(pc.to_string());
        }
    }

    /// A provider the draft may be, and why (for the checker, when it is only a claim).
    fn find(
        &mut self,
        store: &dyn Backend,
        draft: &ProviderDraft,
        postcode: Option<&Postcode>,
    ) -> Result<Option<(Id, String)>, IngestError> {
        if let Some((number, id)) = draft.charity_number.as_deref().and_then(|n| {
            self.by_charity
                .get(&charity_key(n))
                .map(|id| (n.trim(), id.clone()))
        }) {
            return Ok(Some((id, format!("the same charity number, {number}"))));
        }
        let Some(postcode) = postcode else {
            return Ok(None);
        };
        let wanted = postcode.to_string();
        let candidates = self
            .by_name
            .get(&name_key(&draft.name))
            .cloned()
            .unwrap_or_default();
        for id in candidates {
            if !self.postcodes.get(&id).is_some_and(|s| s.contains(&wanted))
                && self.learned.insert(id.clone())
            {
                // Learn where this provider's listings are, once a batch.
                let known = self.postcodes.entry(id.clone()).or_default();
                for a in store.activities_of(&id)? {
                    known.extend(
                        a.venues
                            .iter()
                            .filter_map(|v| v.postcode.as_ref())
                            .map(|p| p.to_string()),
                    );
                }
            }
            if self.postcodes.get(&id).is_some_and(|s| s.contains(&wanted)) {
                return Ok(Some((id, format!("the same name at {wanted}"))));
            }
        }
        Ok(None)
    }
}
