//! `signpost export`: the whole directory in a format another directory can take in.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use signpost_model::{Activity, Provider};
use signpost_store::{Backend, SqliteStore};

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
    let store: Arc<dyn Backend> = Arc::new(SqliteStore::open(&dirs.data_dir)?);
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
        Some(path) => write_whole(path, text.as_bytes())?,
    }
    if let Some(path) = out {
        eprintln!(
            "Exported {} activities from {} providers to {}.",
            activities.len(),
            providers.len(),
            path.display()
        );
    }
    Ok(())
}

/// Writes beside the target and renames, so a crash never leaves half a file under its name.
fn write_whole(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

fn oruk(_providers: &[Provider], _activities: &[Activity]) -> Result<String> {
    bail!("the Open Referral UK export is not written yet")
}

fn csv(_providers: &[Provider], _activities: &[Activity]) -> Result<String> {
    bail!("the CSV export is not written yet")
}
