//! `signpost generate`: a realistic synthetic directory of any size, for benchmarks and load
//! tests (`signpost-synth`), in the file format `signpost import` reads.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use signpost_synth::Synth;

/// The most listings one run writes: ten times the largest benchmark.
pub const MAX_ACTIVITIES: usize = 10_000_000;

fn count_problem() -> String {
    format!("give the number of activities as a whole number from 1 to {MAX_ACTIVITIES}")
}

/// Reads `--activities`: a whole number from 1 to [`MAX_ACTIVITIES`] (`1_000_000` too).
pub fn parse_count(text: &str) -> Result<usize, String> {
    match text.trim().replace('_', "").parse::<usize>() {
        Ok(n) if (1..=MAX_ACTIVITIES).contains(&n) => Ok(n),
        _ => Err(count_problem()),
    }
}

/// Writes `activities` listings from `seed` to `out` (standard output when `None`). A file
/// is written beside its target and renamed into place, so it is whole or absent.
pub fn run(activities: usize, seed: u64, out: Option<&Path>) -> Result<()> {
    if activities == 0 || activities > MAX_ACTIVITIES {
        bail!("{}", count_problem());
    }
    let started = Instant::now();
    let synth = Synth::new(activities, seed);
    let written = match out {
        None => {
            let mut stdout = std::io::stdout().lock();
            synth.write_directory(&mut stdout)?;
            stdout.flush()?;
            "standard output".to_owned()
        }
        Some(path) => {
            let dir = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            let tmp = tempfile::NamedTempFile::new_in(dir)
                .with_context(|| format!("cannot write in {}", dir.display()))?;
            synth
                .write_directory(tmp.as_file())
                .with_context(|| format!("cannot write {}", path.display()))?;
            tmp.as_file().sync_all()?;
            tmp.persist(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            path.display().to_string()
        }
    };
    eprintln!(
        "Generated {} activities from {} providers (seed {seed}) to {written} in {:.1} s.",
        synth.activity_count(),
        synth.provider_count(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
