//! A realistic synthetic directory of any size, for benchmarks and load tests.
//!
//! [`Synth`] makes providers and activities one at a time from `(seed, index)`: any record
//! can be made alone, in any order and on any thread, and the same seed always gives the same
//! records on every build (see `rng.rs`). Nothing holds the whole directory, so a million
//! listings stream out in seconds ([`Synth::write_directory`] writes the `signpost-directory`
//! file that `signpost import` reads).
//!
//! What is real: the towns ([`TOWNS`], real centres and postcode districts, venues spread in
//! proportion to population), the school holidays (the model's calendar) and the shape of the
//! data (the sample's mix of categories, ages, timetables, costs and safeguarding states).
//! What is made up: every organisation, venue, person, email (`example.org`/`example.com`),
//! phone number (Ofcom's drama ranges), charity and company number (starting 99) and inward
//! postcode. "Today" is [`SYNTH_TODAY`], so which checks have expired and which listings have
//! ended is fixed too.

mod activity;
mod place;
mod provider;
mod rng;
mod timetable;
mod towns;
mod words;

use std::io::Write;

use chrono::NaiveDate;
use serde::Serialize;
use signpost_model::{Activity, Provider, Venue};

pub use towns::{TOWNS, Town};
pub use words::vocabulary;

use rng::{Rand, Stream};
use timetable::Holidays;

/// The day the synthetic directory is written for: checks, seasons and holiday clubs are
/// dated relative to it (the sample data's "today" too).
pub const SYNTH_TODAY: NaiveDate = match NaiveDate::from_ymd_opt(2026, 11, 21) {
    Some(d) => d,
    None => panic!("2026-11-21 is a date"),
};

/// Activities per provider, on average.
const ACTIVITIES_PER_PROVIDER: usize = 4;

/// A synthetic directory of `activities` listings from `seed`. Cheap to make; every record is
/// made on demand.
#[derive(Debug)]
pub struct Synth {
    activities: usize,
    providers: usize,
    seed: u64,
    /// Running totals of town populations, for picking a town in proportion to it.
    town_totals: Vec<u64>,
    holidays: Holidays,
}

impl Synth {
    pub fn new(activities: usize, seed: u64) -> Synth {
        let mut total = 0;
        let town_totals = TOWNS
            .iter()
            .map(|t| {
                total += u64::from(t.population);
                total
            })
            .collect();
        Synth {
            activities,
            providers: activities.div_ceil(ACTIVITIES_PER_PROVIDER),
            seed,
            town_totals,
            holidays: Holidays::new(),
        }
    }

    pub fn activity_count(&self) -> usize {
        self.activities
    }

    pub fn provider_count(&self) -> usize {
        self.providers
    }

    /// Provider `i` (`i < provider_count()`): the same for the same seed and index.
    pub fn provider(&self, i: usize) -> Provider {
        self.make_provider(i)
    }

    /// Activity `i` (`i < activity_count()`): the same for the same seed and index. Its
    /// provider is `provider(j)` for some `j < provider_count()`.
    pub fn activity(&self, i: usize) -> Activity {
        self.make_activity(i)
    }

    pub fn providers(&self) -> impl Iterator<Item = Provider> + '_ {
        (0..self.providers).map(|i| self.provider(i))
    }

    pub fn activities(&self) -> impl Iterator<Item = Activity> + '_ {
        (0..self.activities).map(|i| self.activity(i))
    }

    /// Which provider runs activity `i`: provider `i` for the first `provider_count()`
    /// activities (so every provider runs something), then any provider at random, so some
    /// run one activity and some a dozen.
    fn owner(&self, i: usize) -> usize {
        if i < self.providers {
            i
        } else {
            let k = rng::key(self.seed, Stream::Owner, i as u64);
            usize::try_from((u128::from(k) * self.providers as u128) >> 64).unwrap_or(0)
        }
    }

    /// A town, with probability in proportion to its population.
    fn town(&self, rng: &mut Rand) -> &'static Town {
        let total = self.town_totals.last().copied().unwrap_or(1);
        let x = u64::try_from((u128::from(rng.next()) * u128::from(total)) >> 64).unwrap_or(0);
        let i = self.town_totals.partition_point(|&t| t <= x);
        &TOWNS[i.min(TOWNS.len() - 1)]
    }

    /// One of the three venues provider `j` usually uses.
    fn usual_venue(&self, j: usize, k: usize, town: &Town) -> Venue {
        let mut rng = Rand::new(self.seed, Stream::ProviderVenue, (j * 3 + k) as u64);
        place::venue(&mut rng, town)
    }

    /// Writes the whole directory as a `signpost-directory` file (seed-data/README.md), one
    /// record per line, streaming: memory stays flat whatever the size. The file carries each
    /// town's postcode districts (with the town's centre) and the town itself as a place, so
    /// `near=LS1` and `near=Leeds` work once it is imported.
    pub fn write_directory(&self, out: impl Write) -> std::io::Result<()> {
        let mut out = std::io::BufWriter::with_capacity(1 << 20, out);
        let note = format!(
            "SYNTHETIC DATA made by `signpost generate --activities {} --seed {}` for benchmarks and load tests. Towns and postcode districts are real; every organisation, venue, person, email address, phone number and charity or company number is made up. Dates are relative to {SYNTH_TODAY}.",
            self.activities, self.seed
        );
        write!(
            out,
            "{{\"format\":\"signpost-directory\",\"version\":1,\"sample\":false,\"note\":{},\n\"postcodes\":[",
            serde_json::to_string(&note)?
        )?;
        let mut first = true;
        for t in TOWNS {
            for d in t.districts {
                let row = PostcodeRow {
                    postcode: d,
                    lat: t.lat,
                    lon: t.lon,
                    town: t.name,
                };
                record(&mut out, &mut first, &row)?;
            }
        }
        out.write_all(b"],\n\"places\":[")?;
        first = true;
        for t in TOWNS {
            let row = PlaceRow {
                name: t.name,
                lat: t.lat,
                lon: t.lon,
                radius_km: t.radius_km,
            };
            record(&mut out, &mut first, &row)?;
        }
        out.write_all(b"],\n\"providers\":[")?;
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
        records(&mut out, self.providers, threads, |i| self.provider(i))?;
        out.write_all(b"],\n\"activities\":[")?;
        records(&mut out, self.activities, threads, |i| self.activity(i))?;
        out.write_all(b"]}\n")?;
        out.flush()
    }
}

/// Records per piece of work in [`records`]: big enough that threads rarely wait, small enough
/// that memory stays flat (a few megabytes in flight).
const CHUNK: usize = 2_048;

/// Writes records `0..count`, one per line, made and serialised on `threads` threads in chunks
/// and written in order, so the bytes are the same whatever the number of threads.
fn records<T: Serialize>(
    out: &mut impl Write,
    count: usize,
    threads: usize,
    make: impl Fn(usize) -> T + Sync,
) -> std::io::Result<()> {
    let threads = threads.max(1);
    let chunk = |start: usize| -> std::io::Result<Vec<u8>> {
        let mut buf = Vec::with_capacity(CHUNK * 1_300);
        for i in start..(start + CHUNK).min(count) {
            buf.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
            serde_json::to_writer(&mut buf, &make(i))?;
        }
        Ok(buf)
    };
    let mut start = 0;
    while start < count {
        let starts: Vec<usize> = (0..threads)
            .map(|t| start + t * CHUNK)
            .filter(|s| *s < count)
            .collect();
        let done: Vec<std::io::Result<Vec<u8>>> = if starts.len() == 1 {
            vec![chunk(start)]
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = starts
                    .iter()
                    .map(|&s| scope.spawn(move || chunk(s)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                    .collect()
            })
        };
        for bytes in done {
            out.write_all(&bytes?)?;
        }
        start += threads * CHUNK;
    }
    Ok(())
}

fn record(out: &mut impl Write, first: &mut bool, value: &impl Serialize) -> std::io::Result<()> {
    out.write_all(if *first { b"\n" } else { b",\n" })?;
    *first = false;
    serde_json::to_writer(&mut *out, value)?;
    Ok(())
}

#[derive(Serialize)]
struct PostcodeRow {
    postcode: &'static str,
    lat: f64,
    lon: f64,
    town: &'static str,
}

#[derive(Serialize)]
struct PlaceRow {
    name: &'static str,
    lat: f64,
    lon: f64,
    radius_km: f64,
}

#[cfg(test)]
mod tests;
