//! Safeguarding evidence: links, and uploaded files checked by their contents (PDF, PNG or
//! JPEG, at most 5 MB) and kept in the data directory under random names, never under the
//! web root. Files are served only to the provider's editors and checkers.

use std::io::Write;
use std::path::PathBuf;

use signpost_model::{Evidence, EvidenceKind, FieldChange, Id, User, WebUrl};
use signpost_store::StoreError;

use crate::{Desk, DeskError, invalid};

pub const MAX_EVIDENCE_BYTES: usize = 5 * 1024 * 1024;

/// A file as it arrived.
#[derive(Debug)]
pub struct EvidenceUpload {
    pub title: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// The file's real type, from its first bytes (what the browser claims is not trusted).
pub fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"%PDF-") {
        Some(("application/pdf", "pdf"))
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("image/png", "png"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("image/jpeg", "jpg"))
    } else {
        None
    }
}

fn check_title(title: &str) -> Result<String, DeskError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(invalid(
            "say what the evidence is (e.g. \"Safeguarding policy 2026\")",
        ));
    }
    if title.chars().count() > 200 {
        return Err(invalid("keep the title to 200 characters"));
    }
    Ok(title.to_owned())
}

/// A file name safe to show and to offer for download: letters, digits, dots, dashes.
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    if cleaned.trim_matches(['.', '_']).is_empty() {
        "evidence".to_owned()
    } else {
        cleaned
    }
}

/// The name a file is offered for download under: the uploader's name, cleaned, with the
/// extension of the type its contents were found to be. A PDF uploaded as `poly.html` is
/// `poly.pdf`, so no browser or desktop opens it as a page.
pub fn download_name(uploaded: &str, content_type: &str) -> String {
    let ext = match content_type {
        "application/pdf" => "pdf",
        "image/png" => "png",
        "image/jpeg" => "jpg",
        _ => "bin",
    };
    let cleaned = clean_name(uploaded);
    let stem = match cleaned.rsplit_once('.') {
        Some((stem, _)) if !stem.trim_matches(['.', '_']).is_empty() => stem,
        Some(_) => "evidence",
        None => cleaned.as_str(),
    };
    format!("{stem}.{ext}")
}

impl Desk {
    pub fn add_evidence_link(
        &self,
        actor: &User,
        title: &str,
        url: &str,
    ) -> Result<i64, DeskError> {
        let provider = self.own_provider(actor)?;
        let title = check_title(title)?;
        let url = WebUrl::parse(url).map_err(|e| invalid(e.to_string()))?;
        let shown = format!("{title}: {url}");
        let kind = EvidenceKind::Link(url.to_string());
        Ok(self.record_evidence(actor, &provider.id, title, kind, shown)?)
    }

    /// Stores one piece of evidence with its line in the audit log ("Evidence: `shown`").
    fn record_evidence(
        &self,
        actor: &User,
        provider: &Id,
        title: String,
        kind: EvidenceKind,
        shown: String,
    ) -> Result<i64, StoreError> {
        let evidence = Evidence {
            id: 0,
            provider_id: provider.clone(),
            title,
            kind,
            uploaded_by: actor.id,
            uploaded_at: self.now(),
        };
        let audit = self.audit(
            actor,
            provider,
            None,
            "added evidence",
            vec![FieldChange {
                field: "Evidence".into(),
                before: String::new(),
                after: shown,
            }],
            "",
        );
        self.store.add_evidence(&evidence, &audit)
    }

    /// Stores an uploaded file. It is written to a temporary file and renamed into place, and
    /// removed again if the database write fails: no half-written or orphaned evidence.
    pub fn add_evidence_file(
        &self,
        actor: &User,
        upload: EvidenceUpload,
    ) -> Result<i64, DeskError> {
        let provider = self.own_provider(actor)?;
        let title = check_title(&upload.title)?;
        if upload.bytes.is_empty() {
            return Err(invalid("choose a file to upload"));
        }
        if upload.bytes.len() > MAX_EVIDENCE_BYTES {
            return Err(invalid(format!(
                "the file is too big: at most {} MB",
                MAX_EVIDENCE_BYTES / 1024 / 1024
            )));
        }
        let Some((content_type, ext)) = sniff(&upload.bytes) else {
            return Err(invalid("upload a PDF, PNG or JPEG file"));
        };
        std::fs::create_dir_all(&self.evidence_dir)?;
        let stored_as = format!("{}.{ext}", signpost_accounts::random_token());
        let mut tmp = tempfile::NamedTempFile::new_in(&self.evidence_dir)?;
        tmp.write_all(&upload.bytes)?;
        tmp.as_file().sync_all()?;
        let path = self.evidence_dir.join(&stored_as);
        tmp.persist(&path).map_err(|e| e.error)?;
        let original_name = download_name(&upload.file_name, content_type);
        let shown = format!("{title}: {original_name}");
        let kind = EvidenceKind::File {
            stored_as,
            content_type: content_type.to_owned(),
            bytes: upload.bytes.len() as u64,
            original_name,
        };
        match self.record_evidence(actor, &provider.id, title, kind, shown) {
            Ok(id) => Ok(id),
            Err(e) => {
                let _ = std::fs::remove_file(&path);
                Err(e.into())
            }
        }
    }

    /// Where an evidence file is kept, after [`Desk::evidence_item`] has checked who asks.
    pub fn evidence_path(&self, evidence: &Evidence) -> Option<PathBuf> {
        match &evidence.kind {
            EvidenceKind::File { stored_as, .. } if !stored_as.contains(['/', '\\']) => {
                Some(self.evidence_dir.join(stored_as))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_recognised_by_contents_not_name() {
        assert_eq!(sniff(b"%PDF-1.7 ...").unwrap().0, "application/pdf");
        assert!(sniff(b"<html><script>").is_none());
        assert!(sniff(b"MZ\x90\x00").is_none());
    }

    #[test]
    fn uploaded_names_cannot_climb_out_or_inject() {
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(download_name("poly.html", "application/pdf"), "poly.pdf");
        assert_eq!(download_name("x.pdf.exe", "image/png"), "x.pdf.png");
        assert_eq!(
            download_name("policy 2026.pdf", "application/pdf"),
            "policy_2026.pdf"
        );
        assert_eq!(download_name("photo", "image/jpeg"), "photo.jpg");
        assert_eq!(download_name(".html", "image/jpeg"), "evidence.jpg");
        assert_eq!(download_name("a.svg", "text/html"), "a.bin");
        assert_eq!(clean_name("C:\\x\\policy 2026.pdf"), "policy_2026.pdf");
        assert_eq!(clean_name("\"><script>.pdf"), "___script_.pdf");
        assert_eq!(clean_name(".."), "evidence");
    }
}
