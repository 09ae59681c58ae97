//! Distance: coarse grid-cell terms find the candidates, an exact haversine decides.
//!
//! tantivy has no geographic type. Each venue is indexed under the cell that holds it in
//! seven square grids of latitude/longitude, from 0.01° (about 1 km) to 0.64° (about 70 km).
//! A search takes the finest grid in which the circle's bounding box needs at most
//! [`MAX_CELLS`] cells and asks for any of them: one small union of term postings, a superset
//! of the answer. The exact distance to each candidate's nearest venue is then worked out
//! from its coordinates in fast fields, with the same formula the model uses
//! ([`Coordinates::distance_km`]), so every engine agrees to the millimetre.
//! BENCHMARKS.md says why this beat the alternatives.

use signpost_model::Coordinates;

use crate::Near;

/// Cell sides in degrees, finest first.
const LEVELS: [f64; 7] = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64];
/// The most cells a search asks for; a wider circle uses a coarser grid.
const MAX_CELLS: i64 = 36;
/// Smaller than the Earth's mean radius, so the bounding box is never too small.
const EARTH_RADIUS_KM: f64 = 6_360.0;
/// Distances within this of the radius count as inside it (floating-point slack of a millimetre).
const RADIUS_SLACK_KM: f64 = 1e-6;

fn cell(size: f64, lat: f64, lon: f64) -> (i64, i64) {
    (
        ((lon + 180.0) / size).floor() as i64,
        ((lat + 90.0) / size).floor() as i64,
    )
}

fn term(level: usize, (x, y): (i64, i64)) -> String {
    format!("g{level}:{x}:{y}")
}

/// The cell terms of one venue.
pub(crate) fn cell_terms(c: Coordinates) -> impl Iterator<Item = String> {
    LEVELS
        .iter()
        .enumerate()
        .map(move |(level, size)| term(level, cell(*size, c.lat(), c.lon())))
}

/// The cells that cover the circle, or `None` when it is too wide, reaches a pole or crosses
/// the 180° meridian (then every listing is a candidate and the exact check alone decides).
pub(crate) fn cover(near: &Near) -> Option<Vec<String>> {
    let angle = (near.radius_km + RADIUS_SLACK_KM) / EARTH_RADIUS_KM;
    let (lat, lon) = (near.point.lat(), near.point.lon());
    let dlat = angle.to_degrees() * 1.001 + 1e-9;
    let (south, north) = (lat - dlat, lat + dlat);
    if south <= -90.0 || north >= 90.0 {
        return None;
    }
    // The widest longitude on a small circle: sin Δλ = sin r / cos φ.
    let reach = angle.sin() / lat.to_radians().cos();
    if !(0.0..1.0).contains(&reach) {
        return None;
    }
    let dlon = reach.asin().to_degrees() * 1.001 + 1e-9;
    let (west, east) = (lon - dlon, lon + dlon);
    if west <= -180.0 || east >= 180.0 {
        return None;
    }
    LEVELS.iter().enumerate().find_map(|(level, size)| {
        let (x0, y0) = cell(*size, south, west);
        let (x1, y1) = cell(*size, north, east);
        ((x1 - x0 + 1) * (y1 - y0 + 1) <= MAX_CELLS).then(|| {
            (x0..=x1)
                .flat_map(|x| (y0..=y1).map(move |y| term(level, (x, y))))
                .collect()
        })
    })
}

/// A point's place on a Z-order (Morton) curve: latitude and longitude in 32 bits each,
/// interleaved, so points near each other mostly have keys near each other.
pub(crate) fn z_order(c: Coordinates) -> u64 {
    let scale = |v: f64, lo: f64, span: f64| ((v - lo) / span * f64::from(u32::MAX)) as u32;
    let spread = |v: u32| {
        let mut x = u64::from(v);
        x = (x | (x << 16)) & 0x0000_FFFF_0000_FFFF;
        x = (x | (x << 8)) & 0x00FF_00FF_00FF_00FF;
        x = (x | (x << 4)) & 0x0F0F_0F0F_0F0F_0F0F;
        x = (x | (x << 2)) & 0x3333_3333_3333_3333;
        (x | (x << 1)) & 0x5555_5555_5555_5555
    };
    spread(scale(c.lat(), -90.0, 180.0)) << 1 | spread(scale(c.lon(), -180.0, 360.0))
}

/// Distance to the nearest venue, if any venue is within the radius.
pub(crate) fn within(venues: impl Iterator<Item = (f64, f64)>, near: &Near) -> Option<f64> {
    venues
        .filter_map(|(lat, lon)| Coordinates::new(lat, lon).ok())
        .map(|v| v.distance_km(near.point))
        .min_by(f64::total_cmp)
        .filter(|d| *d <= near.radius_km + RADIUS_SLACK_KM)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(lat: f64, lon: f64) -> Coordinates {
        Coordinates::new(lat, lon).unwrap()
    }

    /// Every point within the radius is in a covering cell, at every radius and latitude the
    /// directory meets (and well beyond).
    #[test]
    fn the_cover_holds_every_point_within_the_radius() {
        let mut seed = 11u64;
        let mut unit = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut covered = 0;
        for _ in 0..2_000 {
            let centre = at(-70.0 + 140.0 * unit(), -170.0 + 340.0 * unit());
            let radius_km = [0.2, 1.0, 2.0, 5.0, 15.0, 25.0, 60.0][(unit() * 7.0) as usize];
            let near = Near {
                point: centre,
                radius_km,
            };
            let Some(cells) = cover(&near) else {
                continue;
            };
            covered += 1;
            assert!(cells.len() as i64 <= MAX_CELLS);
            // Points on and around the circle's edge, in every direction.
            for k in 0..64 {
                let bearing = k as f64 / 64.0 * std::f64::consts::TAU;
                let d = radius_km * (0.999 + 0.001 * unit()) / 6_371.008_8;
                let (lat1, lon1) = (centre.lat().to_radians(), centre.lon().to_radians());
                let lat2 = (lat1.sin() * d.cos() + lat1.cos() * d.sin() * bearing.cos()).asin();
                let lon2 = lon1
                    + (bearing.sin() * d.sin() * lat1.cos())
                        .atan2(d.cos() - lat1.sin() * lat2.sin());
                let p = at(lat2.to_degrees(), lon2.to_degrees());
                if within(std::iter::once((p.lat(), p.lon())), &near).is_none() {
                    continue;
                }
                assert!(
                    cell_terms(p).any(|t| cells.contains(&t)),
                    "{p:?} within {radius_km} km of {centre:?} but outside the cover"
                );
            }
        }
        // Most circles get a cover, so the check above is not vacuous.
        assert!(covered > 1_500, "{covered}");
    }

    #[test]
    fn small_circles_use_fine_cells_and_huge_ones_none() {
        let hull = at(53.7676, -0.3274);
        let small = cover(&Near {
            point: hull,
            radius_km: 2.0,
        })
        .unwrap();
        assert!(small.iter().all(|t| t.starts_with("g0:")), "{small:?}");
        let wide = cover(&Near {
            point: hull,
            radius_km: 15.0,
        })
        .unwrap();
        assert!(wide.len() <= MAX_CELLS as usize);
        assert!(
            cover(&Near {
                point: hull,
                radius_km: 500.0
            })
            .is_none()
        );
    }

    #[test]
    fn z_order_keeps_neighbours_together() {
        let hull = z_order(at(53.7676, -0.3274));
        let cottingham = z_order(at(53.7817, -0.4128));
        let london = z_order(at(51.5074, -0.1278));
        assert!(hull.abs_diff(cottingham) < hull.abs_diff(london));
        assert_eq!(z_order(at(-90.0, -180.0)), 0);
        assert_eq!(z_order(at(90.0, 180.0)), u64::MAX);
    }

    #[test]
    fn the_nearest_venue_within_the_radius_gives_the_distance() {
        let near = Near {
            point: at(53.7676, -0.3274),
            radius_km: 5.0,
        };
        let venues = [(53.9, -0.3274), (53.78, -0.3274)];
        let d = within(venues.into_iter(), &near).unwrap();
        assert!((d - 1.379).abs() < 0.001, "{d}");
        assert_eq!(within([(53.9, -0.3274)].into_iter(), &near), None);
    }
}
