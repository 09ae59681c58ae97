//! Distance: coarse grid-cell terms find the candidates, an exact haversine decides.
//!
//! tantivy has no geographic type. Each venue is indexed under the cell that holds it in
//! seven square grids of latitude/longitude, from 0.01° (about 1 km) to 0.64° (about 70 km).
//! A search takes the finest grid in which the circle's bounding box needs at most
//! [`MAX_CELLS`] cells and asks for any of them: one small union of term postings, a superset
//! of the answer. Each candidate's nearest venue is then checked exactly, from coordinates
//! kept in memory as points on the unit sphere: comparing squared chords decides what the
//! model's haversine ([`Coordinates::distance_km`]) would, so every engine agrees to the
//! millimetre, and the page's distances are that haversine.
//! BENCHMARKS.md says why this beat the alternatives.

use signpost_model::{Coordinates, UnitVector};

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

/// A circle as the collector checks candidates against it: its centre on the unit sphere and
/// the squared chord of its radius. Comparing squared chords decides exactly what comparing
/// haversine distances would (see [`UnitVector`]), with no trigonometry per venue: at a
/// million listings a search near a city centre checks 50,000 to 80,000 of them.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reach {
    centre: UnitVector,
    limit: f64,
}

impl Reach {
    pub fn new(near: &Near) -> Reach {
        Reach {
            centre: near.point.unit_vector(),
            limit: UnitVector::chord_squared_of_km(near.radius_km + RADIUS_SLACK_KM),
        }
    }
}

/// The squared chord to the nearest venue, if any venue is within the circle. It orders
/// listings as their distances do; the distance itself is worked out for the page only.
pub(crate) fn within(venues: impl Iterator<Item = UnitVector>, reach: &Reach) -> Option<f64> {
    venues
        .map(|v| v.chord_squared(reach.centre))
        .min_by(f64::total_cmp)
        .filter(|c| *c <= reach.limit)
}

/// The nearest of `venues` (its position) and its distance in kilometres, by
/// [`Coordinates::distance_km`].
pub(crate) fn nearest(
    venues: impl Iterator<Item = Coordinates>,
    to: Coordinates,
) -> Option<(usize, f64)> {
    venues
        .map(|v| v.distance_km(to))
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(&b.1))
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
        let mut rng = fastrand::Rng::with_seed(11);
        let mut unit = || rng.f64();
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
                if within(std::iter::once(p.unit_vector()), &Reach::new(&near)).is_none() {
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
    fn the_nearest_venue_within_the_radius_is_the_one_measured() {
        let hull = at(53.7676, -0.3274);
        let reach = Reach::new(&Near {
            point: hull,
            radius_km: 5.0,
        });
        let venues = [at(53.9, -0.3274), at(53.78, -0.3274)];
        let chord = within(venues.iter().map(|v| v.unit_vector()), &reach).unwrap();
        let km = UnitVector::km_of_chord_squared(chord);
        assert!((km - 1.379).abs() < 0.001, "{km}");
        let (which, exact) = nearest(venues.into_iter(), hull).unwrap();
        assert_eq!(which, 1);
        assert!((exact - km).abs() < 1e-9, "{exact} against {km}");
        assert_eq!(
            within(std::iter::once(venues[0].unit_vector()), &reach),
            None
        );
    }

    /// The edge of the circle is where chord and haversine could part: venues a hundredth of
    /// a millimetre either side of it (by the model's distance) fall on the same side by chord.
    /// Closer than a micrometre, rounding decides either way; the radius has a millimetre of
    /// slack for that reason.
    #[test]
    fn the_chord_check_keeps_the_haversine_edge() {
        let hull = at(53.7676, -0.3274);
        for radius_km in [0.5, 2.0, 10.0, 15.0, 40.0] {
            let reach = Reach::new(&Near {
                point: hull,
                radius_km,
            });
            let limit = radius_km + RADIUS_SLACK_KM;
            let edge = (limit / 6_371.008_8).to_degrees();
            let (mut inside, mut outside) = (0, 0);
            // Northwards across the edge, about 11 micrometres a step.
            for step in -200..=200 {
                let v = at(53.7676 + edge + f64::from(step) * 1e-10, -0.3274);
                let margin = v.distance_km(hull) - limit;
                if margin.abs() < 1e-9 {
                    continue;
                }
                let by_chord = within(std::iter::once(v.unit_vector()), &reach).is_some();
                assert_eq!(by_chord, margin <= 0.0, "{radius_km} km, {v:?}, {margin}");
                if by_chord {
                    inside += 1;
                } else {
                    outside += 1;
                }
            }
            assert!(
                inside > 150 && outside > 150,
                "{radius_km} km: {inside}, {outside}"
            );
        }
    }
}
