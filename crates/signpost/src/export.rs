//! `signpost export`: the whole directory in a format another directory can take in.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use signpost_model::{Activity, Provider};
use signpost_store::{SqliteStore, Store};

use crate::Dirs;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Open Referral UK 3.0 JSON: one paged response holding every service in full.
    Oruk,
    /// Signpost's CSV template, one row per listing.
    Csv,
}

/// Reads the store (not the index, so it works while `serve` runs) and writes the export.
pub fn run(dirs: &Dirs, format: Format, out: Option<&Path>) -> Result<()> {
    let store = SqliteStore::open(&dirs.data_dir())?;
    let providers = store.providers()?;
    let activities: Vec<Activity> = store
        .activities()?
        .into_iter()
        .filter(|a| !a.withdrawn)
        .collect();
    let text = match format {
        Format::Oruk => oruk(&providers, &activities)?,
        Format::Csv => csv(&providers, &activities)?,
    };
    match out {
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes())?;
            stdout.flush()?;
        }
        Some(path) => {
            write_whole(path, |f| f.write_all(text.as_bytes()))?;
            eprintln!(
                "Exported {} activities from {} providers to {}.",
                activities.len(),
                providers.len(),
                path.display()
            );
        }
    }
    Ok(())
}

/// Writes beside the target with `write` and renames, so a crash never leaves half a file
/// under its name.
pub(crate) fn write_whole(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    write(tmp.as_file_mut()).with_context(|| format!("cannot write {}", path.display()))?;
    tmp.as_file().sync_all()?;
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Open Referral UK 3.0: one page holding every listing as a full service, with the
/// `signpost` attributes that carry what ORUK has no field for, and each provider's whole
/// safeguarding record and check (checkers' names included: the file is for moving a
/// directory, and `signpost import --keep-checks` restores them). See `signpost-openreferral`.
fn oruk(providers: &[Provider], activities: &[Activity]) -> Result<String> {
    let today = chrono::Utc::now()
        .with_timezone(&signpost_model::LONDON)
        .date_naive();
    let page = signpost_openreferral::export(providers, activities, today);
    let mut text = serde_json::to_string_pretty(&page)?;
    text.push('\n');
    Ok(text)
}

/// Signpost's CSV template, filled in: one row per listing with its provider's details,
/// safeguarding record and check (checkers' names included: the file is for the directory
/// team). `signpost import --keep-checks` on another directory takes it all in.
fn csv(providers: &[Provider], activities: &[Activity]) -> Result<String> {
    let text = signpost_feeds::template::write(providers, activities)?;
    // Read back as an import will: a value the template refuses is named now, not found
    // missing on the new server.
    for entry in signpost_feeds::template::read(&text) {
        if let signpost_feeds::Entry::Rejected(r) = entry {
            eprintln!("warning: {r} (an import of this file will refuse that row)");
        }
    }
    Ok(text)
}
