//! The review queue, the audit log, reports from the public and evidence records: the storage
//! side. Who may do what is decided in `signpost-editorial`.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, Transaction, params};
use signpost_model::{
    Activity, AuditEntry, Change, ChangeKind, ChangeStatus, Claim, ClaimDecision, ClaimStatus,
    Decision, Evidence, EvidenceKind, FieldChange, Id, NewAudit, NewChange, Provider, Report,
    UserId,
};

use crate::sources::{Link, write_link};
use crate::sqlite::{SqliteStore, from_json, to_json};
use crate::{StoreError, time_from, time_to};

/// One editorial step, written in one transaction: listing and provider records to publish,
/// a change to queue, a decision on a queued change, and the audit lines saying so.
#[derive(Debug, Default)]
pub struct EditBatch {
    pub providers: Vec<Provider>,
    pub activities: Vec<Activity>,
    pub change: Option<NewChange>,
    pub decision: Option<Decision>,
    pub audit: Vec<NewAudit>,
    /// Source links to record or move (a confirmed [`Claim`] points its source at the
    /// provider it claimed).
    pub links: Vec<Link>,
    /// An answer to an open claim; one already answered fails with
    /// [`StoreError::Conflict`] and writes nothing.
    pub claim: Option<ClaimDecision>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EditWritten {
    /// The store generation after the write (bumped only when listings were written).
    pub generation: u64,
    pub change_id: Option<i64>,
}

/// Which queued changes to list.
#[derive(Debug, Default, Clone)]
pub struct ChangeFilter {
    pub status: Option<ChangeStatus>,
    pub provider: Option<Id>,
    pub activity: Option<Id>,
    pub kind: Option<ChangeKind>,
    /// At most this many, newest first (0: all).
    pub limit: usize,
}

pub trait ReviewStore: Send + Sync {
    /// Writes the batch whole or not at all. A new change replaces (marks superseded) any
    /// pending change for the same listing, or the same provider's pending safeguarding
    /// declaration. A decision on a change that is no longer pending fails with
    /// [`StoreError::Conflict`] and writes nothing.
    fn write_edits(&self, batch: &EditBatch) -> Result<EditWritten, StoreError>;
    fn change(&self, id: i64) -> Result<Option<Change>, StoreError>;
    fn changes(&self, filter: &ChangeFilter) -> Result<Vec<Change>, StoreError>;

    /// A provider's audit log (or one listing's), newest first.
    fn audit(&self, provider: &Id, activity: Option<&Id>) -> Result<Vec<AuditEntry>, StoreError>;

    /// Stores a report (its id and closing fields are ignored) with its audit line.
    fn add_report(&self, report: &Report, audit: &NewAudit) -> Result<i64, StoreError>;
    fn report(&self, id: i64) -> Result<Option<Report>, StoreError>;
    /// Open reports, oldest first.
    fn open_reports(&self) -> Result<Vec<Report>, StoreError>;
    /// False when it was already closed.
    fn close_report(
        &self,
        id: i64,
        by: UserId,
        at: DateTime<Utc>,
        note: &str,
        audit: &NewAudit,
    ) -> Result<bool, StoreError>;

    /// Stores an evidence record (its id is ignored) with its audit line.
    fn add_evidence(&self, evidence: &Evidence, audit: &NewAudit) -> Result<i64, StoreError>;
    fn evidence(&self, id: i64) -> Result<Option<Evidence>, StoreError>;
    fn evidence_of(&self, provider: &Id) -> Result<Vec<Evidence>, StoreError>;

    /// Claims waiting for a checker, oldest first.
    fn open_claims(&self) -> Result<Vec<Claim>, StoreError>;
    fn claim(&self, id: i64) -> Result<Option<Claim>, StoreError>;
}

/// A row's columns `0, 1, 2, ...` as a tuple, each converted to the tuple's type.
macro_rules! columns {
    ($r:expr, $($i:literal),+) => { ($($r.get($i)?),+) };
}

fn bad(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_owned(), e.to_string())
}

fn id_of(what: &str, s: String) -> Result<Id, StoreError> {
    Id::parse(&s).map_err(|e| bad(what, e))
}

const CLAIM_COLUMNS: &str =
    "id, source, source_key, name, claimed, interim, reason, created_at, status";

type ClaimRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

fn claim_row(r: &Row<'_>) -> rusqlite::Result<ClaimRow> {
    Ok(columns!(r, 0, 1, 2, 3, 4, 5, 6, 7, 8))
}

fn claim_from(
    (id, source, source_key, name, claimed, interim, reason, at, status): ClaimRow,
) -> Result<Claim, StoreError> {
    Ok(Claim {
        id,
        source,
        source_key,
        name,
        claimed: id_of("claim", claimed)?,
        interim: id_of("claim", interim)?,
        reason,
        created_at: time_from(&at)?,
        status: ClaimStatus::parse(&status).ok_or_else(|| bad("claim", &status))?,
    })
}

fn write_audit(tx: &Transaction<'_>, a: &NewAudit) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO audit (at, actor, actor_label, provider_id, activity_id, action, fields, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            time_to(a.at),
            a.actor,
            a.actor_label,
            a.provider_id.as_str(),
            a.activity_id.as_ref().map(Id::as_str),
            a.action,
            to_json(&a.fields)?,
            a.note
        ],
    )?;
    Ok(())
}

const CHANGE_COLUMNS: &str = "id, kind, provider_id, activity_id, before, after, submitted_by, \
                              submitted_at, status, decided_by, decided_at, message";

type ChangeRow = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    UserId,
    String,
    String,
    Option<UserId>,
    Option<String>,
    String,
);

fn change_row(r: &Row<'_>) -> rusqlite::Result<ChangeRow> {
    Ok(columns!(r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11))
}

fn change_from(row: ChangeRow) -> Result<Change, StoreError> {
    let (id, kind, provider, activity, before, after, by, at, status, dby, dat, message) = row;
    let what = format!("change {id}");
    Ok(Change {
        id,
        kind: ChangeKind::parse(&kind).ok_or_else(|| bad(&what, &kind))?,
        provider_id: id_of(&what, provider)?,
        activity_id: activity.map(|a| id_of(&what, a)).transpose()?,
        before,
        after,
        submitted_by: by,
        submitted_at: time_from(&at)?,
        status: ChangeStatus::parse(&status).ok_or_else(|| bad(&what, &status))?,
        decided_by: dby,
        decided_at: dat.as_deref().map(time_from).transpose()?,
        message,
    })
}

type ReportRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<UserId>,
    Option<String>,
    String,
);

fn report_from(row: ReportRow) -> Result<Report, StoreError> {
    let (id, activity, provider, message, contact, created, by, at, note) = row;
    let what = format!("report {id}");
    Ok(Report {
        id,
        activity_id: id_of(&what, activity)?,
        provider_id: id_of(&what, provider)?,
        message,
        contact,
        created_at: time_from(&created)?,
        closed_by: by,
        closed_at: at.as_deref().map(time_from).transpose()?,
        closing_note: note,
    })
}

const REPORT_COLUMNS: &str = "id, activity_id, provider_id, message, contact, created_at, \
                              closed_by, closed_at, closing_note";

fn report_row(r: &Row<'_>) -> rusqlite::Result<ReportRow> {
    Ok(columns!(r, 0, 1, 2, 3, 4, 5, 6, 7, 8))
}

type EvidenceRow = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    UserId,
    String,
);

const EVIDENCE_COLUMNS: &str = "id, provider_id, title, link, stored_as, content_type, bytes, \
                                original_name, uploaded_by, uploaded_at";

fn evidence_row(r: &Row<'_>) -> rusqlite::Result<EvidenceRow> {
    Ok(columns!(r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9))
}

fn evidence_from(row: EvidenceRow) -> Result<Evidence, StoreError> {
    let (id, provider, title, link, stored, ctype, bytes, original, by, at) = row;
    let what = format!("evidence {id}");
    let kind = match (link, stored) {
        (Some(link), _) => EvidenceKind::Link(link),
        (None, Some(stored_as)) => EvidenceKind::File {
            stored_as,
            content_type: ctype.unwrap_or_default(),
            bytes: u64::try_from(bytes.unwrap_or(0)).unwrap_or(0),
            original_name: original.unwrap_or_default(),
        },
        (None, None) => return Err(bad(&what, "neither a link nor a file")),
    };
    Ok(Evidence {
        id,
        provider_id: id_of(&what, provider)?,
        title,
        kind,
        uploaded_by: by,
        uploaded_at: time_from(&at)?,
    })
}

/// The record `id` of a table, read with `row` and made with `from`: `None` if there is none.
fn one_by_id<R, T>(
    store: &SqliteStore,
    sql: &str,
    id: i64,
    row: fn(&Row<'_>) -> rusqlite::Result<R>,
    from: fn(R) -> Result<T, StoreError>,
) -> Result<Option<T>, StoreError> {
    let found = store.conn().query_row(sql, [id], row).optional()?;
    found.map(from).transpose()
}

/// Inserts one record and its audit line in one transaction: the new record's id.
fn insert_audited(
    store: &SqliteStore,
    sql: &str,
    values: &[&dyn rusqlite::ToSql],
    audit: &NewAudit,
) -> Result<i64, StoreError> {
    let mut conn = store.conn();
    let tx = conn.transaction()?;
    tx.execute(sql, values)?;
    let id = tx.last_insert_rowid();
    write_audit(&tx, audit)?;
    tx.commit()?;
    Ok(id)
}

impl ReviewStore for SqliteStore {
    fn write_edits(&self, batch: &EditBatch) -> Result<EditWritten, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        if let Some(d) = &batch.decision {
            let updated = tx.execute(
                "UPDATE changes SET status = ?2, decided_by = ?3, decided_at = ?4, message = ?5
                 WHERE id = ?1 AND status = 'pending'",
                params![
                    d.change_id,
                    d.status.as_str(),
                    d.decided_by,
                    time_to(d.decided_at),
                    d.message
                ],
            )?;
            if updated == 0 {
                return Err(StoreError::Conflict(
                    "this change has already been decided or replaced".to_owned(),
                ));
            }
        }
        let mut change_id = None;
        if let Some(c) = &batch.change {
            match (&c.kind, &c.activity_id) {
                (ChangeKind::Listing, Some(a)) => tx.execute(
                    "UPDATE changes SET status = 'superseded' WHERE status = 'pending'
                         AND kind = 'listing' AND activity_id = ?1",
                    [a.as_str()],
                )?,
                _ => tx.execute(
                    "UPDATE changes SET status = 'superseded' WHERE status = 'pending'
                         AND kind = ?1 AND provider_id = ?2",
                    params![c.kind.as_str(), c.provider_id.as_str()],
                )?,
            };
            let (status, by, at) = if c.approved_at_once {
                (
                    "approved",
                    Some(c.submitted_by),
                    Some(time_to(c.submitted_at)),
                )
            } else {
                ("pending", None, None)
            };
            tx.execute(
                "INSERT INTO changes (kind, provider_id, activity_id, before, after, submitted_by,
                     submitted_at, status, decided_by, decided_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    c.kind.as_str(),
                    c.provider_id.as_str(),
                    c.activity_id.as_ref().map(Id::as_str),
                    c.before,
                    c.after,
                    c.submitted_by,
                    time_to(c.submitted_at),
                    status,
                    by,
                    at
                ],
            )?;
            change_id = Some(tx.last_insert_rowid());
        }
        for p in &batch.providers {
            SqliteStore::write_provider(&tx, p)?;
        }
        for a in &batch.activities {
            SqliteStore::write_activity(&tx, a)?;
        }
        for a in &batch.audit {
            write_audit(&tx, a)?;
        }
        if !batch.links.is_empty() {
            // Links move when a claim is answered: they are seen then.
            let at = time_to(batch.claim.map_or_else(Utc::now, |c| c.decided_at));
            for l in &batch.links {
                write_link(&tx, l, &at)?;
            }
        }
        if let Some(c) = &batch.claim {
            let status = if c.confirmed {
                ClaimStatus::Confirmed
            } else {
                ClaimStatus::Dismissed
            };
            let updated = tx.execute(
                "UPDATE claims SET status = ?2, decided_by = ?3, decided_at = ?4
                 WHERE id = ?1 AND status = 'open'",
                params![
                    c.claim_id,
                    status.as_str(),
                    c.decided_by,
                    time_to(c.decided_at)
                ],
            )?;
            if updated == 0 {
                return Err(StoreError::Conflict(
                    "this organisation's link has already been confirmed or dismissed".to_owned(),
                ));
            }
        }
        let generation = if batch.providers.is_empty() && batch.activities.is_empty() {
            SqliteStore::read_generation(&tx)?
        } else {
            SqliteStore::bump(&tx)?
        };
        tx.commit()?;
        Ok(EditWritten {
            generation,
            change_id,
        })
    }

    fn change(&self, id: i64) -> Result<Option<Change>, StoreError> {
        one_by_id(
            self,
            &format!("SELECT {CHANGE_COLUMNS} FROM changes WHERE id = ?1"),
            id,
            change_row,
            change_from,
        )
    }

    fn changes(&self, f: &ChangeFilter) -> Result<Vec<Change>, StoreError> {
        let conn = self.conn();
        let limit = if f.limit == 0 {
            -1
        } else {
            i64::try_from(f.limit).unwrap_or(-1)
        };
        let mut stmt = conn.prepare(&format!(
            "SELECT {CHANGE_COLUMNS} FROM changes
             WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR provider_id = ?2)
                 AND (?3 IS NULL OR activity_id = ?3) AND (?4 IS NULL OR kind = ?4)
             ORDER BY id DESC LIMIT ?5"
        ))?;
        let rows = stmt.query_map(
            params![
                f.status.map(ChangeStatus::as_str),
                f.provider.as_ref().map(Id::as_str),
                f.activity.as_ref().map(Id::as_str),
                f.kind.map(ChangeKind::as_str),
                limit
            ],
            change_row,
        )?;
        rows.map(|r| change_from(r?)).collect()
    }

    fn audit(&self, provider: &Id, activity: Option<&Id>) -> Result<Vec<AuditEntry>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, at, actor, actor_label, provider_id, activity_id, action, fields, note
             FROM audit WHERE provider_id = ?1 AND (?2 IS NULL OR activity_id = ?2)
             ORDER BY id DESC",
        )?;
        type Row9 = (
            i64,
            String,
            Option<UserId>,
            String,
            String,
            Option<String>,
            String,
            String,
            String,
        );
        let rows = stmt.query_map(params![provider.as_str(), activity.map(Id::as_str)], |r| {
            Ok::<Row9, _>((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
            ))
        })?;
        rows.map(|r| {
            let (id, at, actor, label, provider, activity, action, fields, note) = r?;
            let what = format!("audit {id}");
            Ok(AuditEntry {
                id,
                at: time_from(&at)?,
                actor,
                actor_label: label,
                provider_id: id_of(&what, provider)?,
                activity_id: activity.map(|a| id_of(&what, a)).transpose()?,
                action,
                fields: from_json::<Vec<FieldChange>>(&what, &fields)?,
                note,
            })
        })
        .collect()
    }

    fn add_report(&self, r: &Report, audit: &NewAudit) -> Result<i64, StoreError> {
        insert_audited(
            self,
            "INSERT INTO reports (activity_id, provider_id, message, contact, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                r.activity_id.as_str(),
                r.provider_id.as_str(),
                r.message,
                r.contact,
                time_to(r.created_at)
            ],
            audit,
        )
    }

    fn report(&self, id: i64) -> Result<Option<Report>, StoreError> {
        one_by_id(
            self,
            &format!("SELECT {REPORT_COLUMNS} FROM reports WHERE id = ?1"),
            id,
            report_row,
            report_from,
        )
    }

    fn open_claims(&self) -> Result<Vec<Claim>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {CLAIM_COLUMNS} FROM claims WHERE status = 'open' ORDER BY id"
        ))?;
        let rows = stmt.query_map([], claim_row)?;
        rows.map(|r| claim_from(r?)).collect()
    }

    fn claim(&self, id: i64) -> Result<Option<Claim>, StoreError> {
        one_by_id(
            self,
            &format!("SELECT {CLAIM_COLUMNS} FROM claims WHERE id = ?1"),
            id,
            claim_row,
            claim_from,
        )
    }

    fn open_reports(&self) -> Result<Vec<Report>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {REPORT_COLUMNS} FROM reports WHERE closed_at IS NULL ORDER BY id"
        ))?;
        let rows = stmt.query_map([], report_row)?;
        rows.map(|r| report_from(r?)).collect()
    }

    fn close_report(
        &self,
        id: i64,
        by: UserId,
        at: DateTime<Utc>,
        note: &str,
        audit: &NewAudit,
    ) -> Result<bool, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let n = tx.execute(
            "UPDATE reports SET closed_by = ?2, closed_at = ?3, closing_note = ?4
             WHERE id = ?1 AND closed_at IS NULL",
            params![id, by, time_to(at), note],
        )?;
        if n == 0 {
            return Ok(false);
        }
        write_audit(&tx, audit)?;
        tx.commit()?;
        Ok(true)
    }

    fn add_evidence(&self, e: &Evidence, audit: &NewAudit) -> Result<i64, StoreError> {
        let (link, stored, ctype, bytes, original) = match &e.kind {
            EvidenceKind::Link(l) => (Some(l.as_str()), None, None, None, None),
            EvidenceKind::File {
                stored_as,
                content_type,
                bytes,
                original_name,
            } => (
                None,
                Some(stored_as.as_str()),
                Some(content_type.as_str()),
                Some(i64::try_from(*bytes).unwrap_or(i64::MAX)),
                Some(original_name.as_str()),
            ),
        };
        insert_audited(
            self,
            "INSERT INTO evidence (provider_id, title, link, stored_as, content_type, bytes,
                 original_name, uploaded_by, uploaded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                e.provider_id.as_str(),
                e.title,
                link,
                stored,
                ctype,
                bytes,
                original,
                e.uploaded_by,
                time_to(e.uploaded_at)
            ],
            audit,
        )
    }

    fn evidence(&self, id: i64) -> Result<Option<Evidence>, StoreError> {
        one_by_id(
            self,
            &format!("SELECT {EVIDENCE_COLUMNS} FROM evidence WHERE id = ?1"),
            id,
            evidence_row,
            evidence_from,
        )
    }

    fn evidence_of(&self, provider: &Id) -> Result<Vec<Evidence>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {EVIDENCE_COLUMNS} FROM evidence WHERE provider_id = ?1 ORDER BY id DESC"
        ))?;
        let rows = stmt.query_map([provider.as_str()], evidence_row)?;
        rows.map(|r| evidence_from(r?)).collect()
    }
}
