//! The Signpost directory file: the documented JSON format `signpost import` reads and the
//! seed data is written in. See `seed-data/README.md` for the field-by-field description.

use std::collections::HashSet;

use serde::Deserialize;
use signpost_model::{Activity, Coordinates, Id, Postcode, Provider};
use signpost_store::{Place, PostcodeImport, places_from_towns};

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
            if row.radius_km.is_some_and(|r| {
                !(r.is_finite() && (0.1..=crate::params::MAX_RADIUS_KM).contains(&r))
            }) {
                problems.push(format!(
                    "place {}: radius_km must be from 0.1 to {}",
                    row.name,
                    crate::params::MAX_RADIUS_KM
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
