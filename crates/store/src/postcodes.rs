//! Reading postcode centroid files: district tables (like the CC0 outcode list) and the ONS
//! Postcode Directory. Columns are found by name, so either layout loads.

use std::collections::BTreeMap;
use std::io::Read;

use signpost_model::{Coordinates, Postcode};

use crate::{Place, StoreError};

/// Postcodes and places read from a file, ready to store.
#[derive(Debug, Default)]
pub struct PostcodeImport {
    pub postcodes: Vec<(Postcode, Coordinates, Option<String>)>,
    /// Towns named in the file, placed at the mean of their postcodes.
    pub places: Vec<Place>,
    /// Rows left out, with why (a terminated or unplaced ONS postcode, a malformed row).
    pub skipped: usize,
}

const CODE_COLUMNS: &[&str] = &["pcds", "postcode", "pcd", "pcd2", "outcode", "district"];
const LAT_COLUMNS: &[&str] = &["lat", "latitude"];
const LON_COLUMNS: &[&str] = &["long", "lon", "lng", "longitude"];
const TOWN_COLUMNS: &[&str] = &["town", "place", "post_town"];

fn find(headers: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    names.iter().find_map(|n| {
        headers.iter().position(|h| {
            h.trim()
                .trim_start_matches('\u{feff}')
                .eq_ignore_ascii_case(n)
        })
    })
}

/// Each town named on postcode rows, placed at the mean of its postcodes, so people can search
/// by "Truro" as well as "TR1".
pub fn places_from_towns(rows: &[(Postcode, Coordinates, Option<String>)]) -> Vec<Place> {
    let mut towns: BTreeMap<String, (String, f64, f64, u32)> = BTreeMap::new();
    for (_, c, town) in rows {
        let Some(t) = town.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
            continue;
        };
        let e = towns
            .entry(t.to_lowercase())
            .or_insert_with(|| (t.to_owned(), 0.0, 0.0, 0));
        e.1 += c.lat();
        e.2 += c.lon();
        e.3 += 1;
    }
    towns
        .into_values()
        .filter_map(|(name, lat, lon, n)| {
            let n = f64::from(n);
            Coordinates::new(lat / n, lon / n)
                .ok()
                .map(|coordinates| Place {
                    name,
                    coordinates,
                    radius_km: None,
                })
        })
        .collect()
}

/// Reads a postcode CSV. The header must name a postcode column (`postcode`, `pcds`, `pcd`),
/// a latitude column (`latitude`, `lat`) and a longitude column (`longitude`, `long`); a
/// `town` column, when present, also gives searchable place names.
pub fn read_postcode_csv(input: impl Read) -> Result<PostcodeImport, StoreError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let headers = reader
        .headers()
        .map_err(|e| StoreError::Input(format!("cannot read the header row: {e}")))?
        .clone();
    let (Some(code_i), Some(lat_i), Some(lon_i)) = (
        find(&headers, CODE_COLUMNS),
        find(&headers, LAT_COLUMNS),
        find(&headers, LON_COLUMNS),
    ) else {
        return Err(StoreError::Input(format!(
            "the header row must name a postcode column ({}), a latitude column ({}) and a longitude column ({}); found: {}",
            CODE_COLUMNS.join("/"),
            LAT_COLUMNS.join("/"),
            LON_COLUMNS.join("/"),
            headers.iter().collect::<Vec<_>>().join(",")
        )));
    };
    let town_i = find(&headers, TOWN_COLUMNS);
    let terminated_i = find(&headers, &["doterm"]);

    let mut out = PostcodeImport::default();
    for record in reader.records() {
        let record = record.map_err(|e| StoreError::Input(format!("malformed CSV: {e}")))?;
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        if terminated_i.is_some_and(|i| !field(i).is_empty()) {
            out.skipped += 1;
            continue;
        }
        let parsed = (
            Postcode::parse(field(code_i)),
            field(lat_i).parse::<f64>(),
            field(lon_i).parse::<f64>(),
        );
        let (Ok(code), Ok(lat), Ok(lon)) = parsed else {
            out.skipped += 1;
            continue;
        };
        // The ONS directory writes 99.999999 for postcodes it cannot place.
        if lat > 90.0 - 1e-3 || (lat == 0.0 && lon == 0.0) {
            out.skipped += 1;
            continue;
        }
        let Ok(coords) = Coordinates::new(lat, lon) else {
            out.skipped += 1;
            continue;
        };
        let town = town_i
            .map(field)
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        out.postcodes.push((code, coords, town));
    }
    out.places = places_from_towns(&out.postcodes);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_district_table_with_towns() {
        let csv = "postcode,eastings,northings,latitude,longitude,town\n\
                   HU5,1,2,53.75961,-0.37524,Hull\n\
                   HU1,1,2,53.74288,-0.33494,Hull\n\
                   BAD!,1,2,1,1,Nowhere\n";
        let got = read_postcode_csv(csv.as_bytes()).unwrap();
        assert_eq!(got.postcodes.len(), 2);
        assert_eq!(got.skipped, 1);
        assert_eq!(got.places.len(), 1);
        assert_eq!(got.places[0].name, "Hull");
        assert!((got.places[0].coordinates.lat() - 53.751245).abs() < 1e-6);
    }

    #[test]
    fn reads_ons_layout_and_skips_terminated_and_unplaced() {
        let csv = "pcd,pcd2,pcds,doterm,lat,long\n\
                   HU5 3AB,HU5  3AB,HU5 3AB,,53.76,-0.37\n\
                   HU5 9ZZ,HU5  9ZZ,HU5 9ZZ,200101,53.76,-0.37\n\
                   HU5 9ZY,HU5  9ZY,HU5 9ZY,,99.999999,0.000000\n";
        let got = read_postcode_csv(csv.as_bytes()).unwrap();
        assert_eq!(got.postcodes.len(), 1);
        assert_eq!(got.postcodes[0].0.to_string(), "HU5 3AB");
        assert_eq!(got.skipped, 2);
    }

    #[test]
    fn a_file_without_the_columns_is_refused_with_the_names_it_needs() {
        let err = read_postcode_csv("a,b\n1,2\n".as_bytes())
            .unwrap_err()
            .to_string();
        assert!(err.contains("latitude"), "{err}");
    }
}
