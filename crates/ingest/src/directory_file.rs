//! The Signpost directory file: the documented JSON format the seed data, `signpost generate`
//! and a directory moving server are written in. See `seed-data/README.md` for the
//! field-by-field description.
//!
//! It is one more format of [`Ingest::import_text`](crate::Ingest::import_text), reported like
//! the others, but it is not a *source*: its records are the directory's own, so they keep
//! their Signpost ids (matching is by id, and no provenance is recorded), and their
//! safeguarding records, checks and trust are written as they are. Import one only when you
//! would restore it as a backup: your own sample data or directory. It is written all or
//! nothing: every problem in the file is listed and nothing is written, and the records that
//! are new or changed go in one transaction.

use std::collections::HashSet;

use serde::Deserialize;
use signpost_model::{Activity, Coordinates, Id, MAX_RADIUS_KM, Postcode, Provider};
use signpost_store::{ImportBatch, Place, PostcodeImport, SAMPLE_DATA, places_from_towns};

use signpost_store::StoreError;

use crate::{Ingest, IngestError, Summary};

/// What the directory files of a dry run would have written, by id.
#[derive(Default)]
pub(crate) struct DryLoaded {
    providers: std::collections::HashMap<Id, Provider>,
    activities: std::collections::HashMap<Id, Activity>,
}

pub const FORMAT: &str = "signpost-directory";
pub const VERSION: u32 = 1;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectoryFile {
    pub format: String,
    pub version: u32,
    #[serde(default)]
    pub note: String,
    /// Made-up data for trying Signpost out; pages say so once any is imported.
    #[serde(default)]
    pub sample: bool,
    #[serde(default)]
    pub postcodes: Vec<PostcodeRow>,
    #[serde(default)]
    pub places: Vec<PlaceRow>,
    #[serde(default)]
    pub providers: Vec<Provider>,
    #[serde(default)]
    pub activities: Vec<Activity>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostcodeRow {
    pub postcode: Postcode,
    pub lat: f64,
    pub lon: f64,
    #[serde(default)]
    pub town: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceRow {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    /// How far to search around it by default: for areas bigger than a town.
    #[serde(default)]
    pub radius_km: Option<f64>,
}

/// Everything wrong with a file, so a person can fix it in one pass.
#[derive(Debug, thiserror::Error)]
#[error("{}", .0.join("\n"))]
pub struct FileProblems(pub Vec<String>);

impl DirectoryFile {
    /// Whether `value` says it is a directory file (then it is read as one, or refused).
    pub fn claims(value: &serde_json::Value) -> bool {
        value.get("format").and_then(serde_json::Value::as_str) == Some(FORMAT)
    }

    /// Parses and checks a whole file. Nothing is stored unless every record is good.
    pub fn parse(text: &str) -> Result<Self, FileProblems> {
        let file: DirectoryFile = serde_json::from_str(text).map_err(|e| {
            FileProblems(vec![format!(
                "line {} column {}: {}",
                e.line(),
                e.column(),
                e
            )])
        })?;
        let mut problems = Vec::new();
        if file.format != FORMAT {
            problems.push(format!("format is '{}', expected '{FORMAT}'", file.format));
        }
        if file.version != VERSION {
            problems.push(format!(
                "version {} is not supported (this Signpost reads version {VERSION})",
                file.version
            ));
        }
        let mut provider_ids: HashSet<&Id> = HashSet::new();
        for p in &file.providers {
            if !provider_ids.insert(&p.id) {
                problems.push(format!("provider '{}' appears more than once", p.id));
            }
            if p.name.trim().is_empty() {
                problems.push(format!("provider '{}': name is empty", p.id));
            }
        }
        let mut activity_ids: HashSet<&Id> = HashSet::new();
        for a in &file.activities {
            if !activity_ids.insert(&a.id) {
                problems.push(format!("activity '{}' appears more than once", a.id));
            }
            for problem in a.problems() {
                problems.push(format!("activity '{}': {problem}", a.id));
            }
        }
        for row in &file.postcodes {
            if let Err(e) = Coordinates::new(row.lat, row.lon) {
                problems.push(format!("postcode {}: {e}", row.postcode));
            }
        }
        for row in &file.places {
            if let Err(e) = Coordinates::new(row.lat, row.lon) {
                problems.push(format!("place {}: {e}", row.name));
            }
            if row
                .radius_km
                .is_some_and(|r| !(r.is_finite() && (0.1..=MAX_RADIUS_KM).contains(&r)))
            {
                problems.push(format!(
                    "place {}: radius_km must be from 0.1 to {MAX_RADIUS_KM}",
                    row.name
                ));
            }
        }
        if problems.is_empty() {
            Ok(file)
        } else {
            Err(FileProblems(problems))
        }
    }

    /// The postcodes and places in the file, ready for the store. Towns named on postcode rows
    /// become places too; a place listed under `places` wins over a town of the same name.
    pub fn postcode_import(&self) -> PostcodeImport {
        let postcodes: Vec<_> = self
            .postcodes
            .iter()
            .filter_map(|r| {
                Coordinates::new(r.lat, r.lon)
                    .ok()
                    .map(|c| (r.postcode.clone(), c, r.town.clone()))
            })
            .collect();
        let mut places = places_from_towns(&postcodes);
        places.extend(self.places.iter().filter_map(|r| {
            Coordinates::new(r.lat, r.lon)
                .ok()
                .map(|coordinates| Place {
                    name: r.name.clone(),
                    coordinates,
                    radius_km: r.radius_km,
                })
        }));
        PostcodeImport {
            postcodes,
            places,
            skipped: 0,
        }
    }
}

/// The records of `records` that are not already stored as they are, counted as added,
/// updated or unchanged. An empty store holds none of them, so it is not asked.
fn new_or_changed<T: PartialEq>(
    records: Vec<T>,
    empty: bool,
    id: impl Fn(&T) -> &Id,
    stored: impl Fn(&Id) -> Result<Option<T>, StoreError>,
) -> Result<(Vec<T>, Summary), StoreError> {
    let mut summary = Summary::default();
    let mut write = Vec::new();
    for record in records {
        match if empty { None } else { stored(id(&record))? } {
            None => summary.added += 1,
            Some(there) if there == record => {
                summary.unchanged += 1;
                continue;
            }
            Some(_) => summary.updated += 1,
        }
        write.push(record);
    }
    Ok((write, summary))
}

impl Ingest {
    /// Loads a directory file: the listings and providers in it that are new or changed, and
    /// its postcodes and places, in one transaction; or nothing, when a listing names a
    /// provider that is nowhere. A dry run works out the same summary and writes nothing.
    pub(crate) fn load_directory(
        &mut self,
        file: DirectoryFile,
    ) -> Result<Result<Summary, FileProblems>, IngestError> {
        let store = self.store.clone();
        // A dry run writes nothing, so what earlier directory files in it would have written
        // is kept here and read before the store.
        let loaded = std::mem::take(&mut self.dry_loaded);
        let provider = |id: &Id| match loaded.providers.get(id) {
            Some(p) => Ok(Some(p.clone())),
            None => store.provider(id),
        };
        let activity = |id: &Id| match loaded.activities.get(id) {
            Some(a) => Ok(Some(a.clone())),
            None => store.activity(id),
        };
        let in_file: HashSet<&Id> = file.providers.iter().map(|p| &p.id).collect();
        let mut missing = Vec::new();
        for a in &file.activities {
            if !in_file.contains(&a.provider_id) && provider(&a.provider_id)?.is_none() {
                missing.push(format!(
                    "activity '{}': provider '{}' is not in the file or the directory",
                    a.id, a.provider_id
                ));
            }
        }
        if !missing.is_empty() {
            self.dry_loaded = loaded;
            return Ok(Err(FileProblems(missing)));
        }
        let postcodes = file.postcode_import();
        let empty = store.is_empty()? && loaded.providers.is_empty();
        let (providers, of_providers) = new_or_changed(file.providers, empty, |p| &p.id, provider)?;
        let (activities, mut summary) =
            new_or_changed(file.activities, empty, |a| &a.id, activity)?;
        self.dry_loaded = loaded;
        summary.fetched = 1;
        summary.providers_added = of_providers.added;
        summary.providers_updated = of_providers.updated;
        summary.places = postcodes.postcodes.len() + postcodes.places.len();
        // Later files in this run match against these providers and keep off these ids.
        for p in &providers {
            self.learn_provider(p)?;
        }
        self.issued.extend(activities.iter().map(|a| a.id.clone()));
        let nothing =
            providers.is_empty() && activities.is_empty() && summary.places == 0 && !file.sample;
        if self.dry_run {
            self.dry_loaded
                .providers
                .extend(providers.into_iter().map(|p| (p.id.clone(), p)));
            self.dry_loaded
                .activities
                .extend(activities.into_iter().map(|a| (a.id.clone(), a)));
        } else if !nothing {
            store.import(&ImportBatch {
                postcodes,
                meta: if file.sample {
                    vec![(SAMPLE_DATA.to_owned(), "true".to_owned())]
                } else {
                    Vec::new()
                },
                providers,
                activities,
            })?;
        }
        Ok(Ok(summary))
    }
}
