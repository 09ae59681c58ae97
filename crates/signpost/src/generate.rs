//! `signpost generate`: a realistic synthetic directory of any size, for benchmarks and load
//! tests (`signpost-synth`), in the file format `signpost import` reads.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use anyhow::Result;
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
/// `activities` has been checked by [`parse_count`].
pub fn run(activities: usize, seed: u64, out: Option<&Path>) -> Result<()> {
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
            crate::export::write_whole(path, |f| synth.write_directory(f))?;
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
