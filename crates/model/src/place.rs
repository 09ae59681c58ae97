//! Where things happen: UK postcodes, coordinates and venues.

use std::fmt;

use geo::{Distance, Haversine, Point};
use serde::{Deserialize, Serialize};

/// A UK postcode, either full (`HU5 3AB`) or just its district, the outward code (`HU5`).
///
/// Parsing normalises case and spacing, so `hu53ab`, ` HU5  3ab ` and `HU5 3AB` are equal.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Postcode {
    outward: String,
    inward: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("'{0}' is not a UK postcode: try a full one like 'HU5 3AB' or a district like 'HU5'")]
pub struct PostcodeError(pub String);

fn is_outward(s: &[u8]) -> bool {
    // A9, A99, A9A, AA9, AA99, AA9A
    let letters = s.iter().take_while(|b| b.is_ascii_uppercase()).count();
    if !(1..=2).contains(&letters) {
        return false;
    }
    let rest = &s[letters..];
    match rest {
        [d] => d.is_ascii_digit(),
        [d, x] => d.is_ascii_digit() && (x.is_ascii_digit() || x.is_ascii_uppercase()),
        _ => false,
    }
}

impl Postcode {
    pub fn parse(s: &str) -> Result<Self, PostcodeError> {
        let compact: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let err = || PostcodeError(s.trim().chars().take(20).collect());
        if !compact.is_ascii() {
            return Err(err());
        }
        let b = compact.as_bytes();
        if is_outward(b) {
            return Ok(Postcode {
                outward: compact,
                inward: None,
            });
        }
        if b.len() >= 5 {
            let (out, inw) = b.split_at(b.len() - 3);
            let inward_ok = inw[0].is_ascii_digit()
                && inw[1].is_ascii_uppercase()
                && inw[2].is_ascii_uppercase();
            if inward_ok && is_outward(out) {
                return Ok(Postcode {
                    outward: compact[..compact.len() - 3].to_owned(),
                    inward: Some(compact[compact.len() - 3..].to_owned()),
                });
            }
        }
        Err(err())
    }

    /// The district (outward code), e.g. `HU5`.
    pub fn district(&self) -> &str {
        &self.outward
    }

    pub fn is_full(&self) -> bool {
        self.inward.is_some()
    }

    /// Whether its area (the letters it starts with: `HU`, `M`, `TR`) is one of the UK's
    /// postcode areas, so it names a real place even where no listing is.
    pub fn in_uk_area(&self) -> bool {
        let area: String = self
            .outward
            .chars()
            .take_while(char::is_ascii_alphabetic)
            .collect();
        UK_POSTCODE_AREAS.iter().any(|(a, _)| *a == area)
    }

    /// The same postcode cut down to its district.
    pub fn to_district(&self) -> Postcode {
        Postcode {
            outward: self.outward.clone(),
            inward: None,
        }
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inward {
            Some(inward) => write!(f, "{} {}", self.outward, inward),
            None => f.write_str(&self.outward),
        }
    }
}

impl Serialize for Postcode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Postcode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Postcode::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// The UK's 124 geographic postcode areas and the town each is named after (Royal Mail's
/// names, with the names people also use for a few: "Newcastle", "Stoke", "Middlesbrough").
const UK_POSTCODE_AREAS: &[(&str, &[&str])] = &[
    ("AB", &["Aberdeen"]),
    ("AL", &["St Albans"]),
    ("B", &["Birmingham"]),
    ("BA", &["Bath"]),
    ("BB", &["Blackburn"]),
    ("BD", &["Bradford"]),
    ("BH", &["Bournemouth"]),
    ("BL", &["Bolton"]),
    ("BN", &["Brighton"]),
    ("BR", &["Bromley"]),
    ("BS", &["Bristol"]),
    ("BT", &["Belfast"]),
    ("CA", &["Carlisle"]),
    ("CB", &["Cambridge"]),
    ("CF", &["Cardiff"]),
    ("CH", &["Chester"]),
    ("CM", &["Chelmsford"]),
    ("CO", &["Colchester"]),
    ("CR", &["Croydon"]),
    ("CT", &["Canterbury"]),
    ("CV", &["Coventry"]),
    ("CW", &["Crewe"]),
    ("DA", &["Dartford"]),
    ("DD", &["Dundee"]),
    ("DE", &["Derby"]),
    ("DG", &["Dumfries"]),
    ("DH", &["Durham"]),
    ("DL", &["Darlington"]),
    ("DN", &["Doncaster"]),
    ("DT", &["Dorchester"]),
    ("DY", &["Dudley"]),
    ("E", &["London"]),
    ("EC", &["London"]),
    ("EH", &["Edinburgh"]),
    ("EN", &["Enfield"]),
    ("EX", &["Exeter"]),
    ("FK", &["Falkirk"]),
    ("FY", &["Blackpool"]),
    ("G", &["Glasgow"]),
    ("GL", &["Gloucester"]),
    ("GU", &["Guildford"]),
    ("GY", &["Guernsey"]),
    ("HA", &["Harrow"]),
    ("HD", &["Huddersfield"]),
    ("HG", &["Harrogate"]),
    ("HP", &["Hemel Hempstead"]),
    ("HR", &["Hereford"]),
    ("HS", &["Outer Hebrides", "Stornoway"]),
    ("HU", &["Hull", "Kingston upon Hull"]),
    ("HX", &["Halifax"]),
    ("IG", &["Ilford"]),
    ("IM", &["Isle of Man", "Douglas"]),
    ("IP", &["Ipswich"]),
    ("IV", &["Inverness"]),
    ("JE", &["Jersey"]),
    ("KA", &["Kilmarnock"]),
    ("KT", &["Kingston upon Thames", "Kingston"]),
    ("KW", &["Kirkwall"]),
    ("KY", &["Kirkcaldy"]),
    ("L", &["Liverpool"]),
    ("LA", &["Lancaster"]),
    ("LD", &["Llandrindod Wells"]),
    ("LE", &["Leicester"]),
    ("LL", &["Llandudno"]),
    ("LN", &["Lincoln"]),
    ("LS", &["Leeds"]),
    ("LU", &["Luton"]),
    ("M", &["Manchester"]),
    ("ME", &["Rochester", "Medway"]),
    ("MK", &["Milton Keynes"]),
    ("ML", &["Motherwell"]),
    ("N", &["London"]),
    ("NE", &["Newcastle upon Tyne", "Newcastle"]),
    ("NG", &["Nottingham"]),
    ("NN", &["Northampton"]),
    ("NP", &["Newport"]),
    ("NR", &["Norwich"]),
    ("NW", &["London"]),
    ("OL", &["Oldham"]),
    ("OX", &["Oxford"]),
    ("PA", &["Paisley"]),
    ("PE", &["Peterborough"]),
    ("PH", &["Perth"]),
    ("PL", &["Plymouth"]),
    ("PO", &["Portsmouth"]),
    ("PR", &["Preston"]),
    ("RG", &["Reading"]),
    ("RH", &["Redhill"]),
    ("RM", &["Romford"]),
    ("S", &["Sheffield"]),
    ("SA", &["Swansea"]),
    ("SE", &["London"]),
    ("SG", &["Stevenage"]),
    ("SK", &["Stockport"]),
    ("SL", &["Slough"]),
    ("SM", &["Sutton"]),
    ("SN", &["Swindon"]),
    ("SO", &["Southampton"]),
    ("SP", &["Salisbury"]),
    ("SR", &["Sunderland"]),
    ("SS", &["Southend-on-Sea", "Southend"]),
    ("ST", &["Stoke-on-Trent", "Stoke"]),
    ("SW", &["London"]),
    ("SY", &["Shrewsbury"]),
    ("TA", &["Taunton"]),
    ("TD", &["Galashiels"]),
    ("TF", &["Telford"]),
    ("TN", &["Tonbridge"]),
    ("TQ", &["Torquay"]),
    ("TR", &["Truro"]),
    ("TS", &["Cleveland", "Middlesbrough"]),
    ("TW", &["Twickenham"]),
    ("UB", &["Southall"]),
    ("W", &["London"]),
    ("WA", &["Warrington"]),
    ("WC", &["London"]),
    ("WD", &["Watford"]),
    ("WF", &["Wakefield"]),
    ("WN", &["Wigan"]),
    ("WR", &["Worcester"]),
    ("WS", &["Walsall"]),
    ("WV", &["Wolverhampton"]),
    ("YO", &["York"]),
    ("ZE", &["Shetland", "Lerwick"]),
];

/// A town a UK postcode area is named after ("Manchester", "newcastle"), as it is usually
/// written, with the areas that carry its name (London has eight). Signpost knows these
/// are real places even where it lists nothing, so it can say so.
pub fn uk_post_town(name: &str) -> Option<(&'static str, Vec<&'static str>)> {
    let key = |s: &str| {
        s.split(|c: char| c.is_whitespace() || c == '-')
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
    };
    let wanted = key(name);
    let mut found: Option<(&'static str, Vec<&'static str>)> = None;
    for (area, towns) in UK_POSTCODE_AREAS {
        if let Some(town) = towns.iter().find(|t| key(t) == wanted) {
            let (_, areas) = found.get_or_insert((*town, Vec::new()));
            areas.push(area);
        }
    }
    found
}

/// The furthest anyone searches around a place, in km: a search's radius and a place's own
/// default radius stay within it.
pub const MAX_RADIUS_KM: f64 = 200.0;

/// A WGS84 point. Latitude in [-90, 90], longitude in [-180, 180], both finite.

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawCoordinates")]
pub struct Coordinates {
    lat: f64,
    lon: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCoordinates {
    lat: f64,
    lon: f64,
}

impl TryFrom<RawCoordinates> for Coordinates {
    type Error = CoordinatesError;
    fn try_from(r: RawCoordinates) -> Result<Self, CoordinatesError> {
        Coordinates::new(r.lat, r.lon)
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CoordinatesError {
    #[error("latitude {0} is out of range: it must be between -90 and 90")]
    Latitude(f64),
    #[error("longitude {0} is out of range: it must be between -180 and 180")]
    Longitude(f64),
}

impl Coordinates {
    pub fn new(lat: f64, lon: f64) -> Result<Self, CoordinatesError> {
        if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
            return Err(CoordinatesError::Latitude(lat));
        }
        if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
            return Err(CoordinatesError::Longitude(lon));
        }
        Ok(Coordinates { lat, lon })
    }

    pub fn lat(self) -> f64 {
        self.lat
    }

    pub fn lon(self) -> f64 {
        self.lon
    }

    /// Great-circle distance in kilometres.
    pub fn distance_km(self, other: Coordinates) -> f64 {
        let a = Point::new(self.lon, self.lat);
        let b = Point::new(other.lon, other.lat);
        Haversine.distance(a, b) / 1000.0
    }

    /// The point on the unit sphere, for comparing many places with one circle.
    pub fn unit_vector(self) -> UnitVector {
        let (lat, lon) = (self.lat.to_radians(), self.lon.to_radians());
        UnitVector([lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()])
    }
}

/// A place as a point on the unit sphere.
///
/// The straight line between two such points (the chord) grows with the great-circle
/// distance between the places: a chord of `c` is an arc of `2 asin(c / 2)`, which is how
/// the haversine formula behind [`Coordinates::distance_km`] ends. So comparing squared
/// chords orders places exactly as their distances do, at the cost of three multiplications
/// instead of five trigonometric calls; [`UnitVector::chord_squared_of_km`] and
/// [`UnitVector::km_of_chord_squared`] convert between the two.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct UnitVector([f64; 3]);

impl UnitVector {
    /// The squared straight-line distance to `other` (0 to 4).
    #[inline]
    pub fn chord_squared(self, other: UnitVector) -> f64 {
        let [a, b, c] = self.0;
        let [x, y, z] = other.0;
        (a - x) * (a - x) + (b - y) * (b - y) + (c - z) * (c - z)
    }

    /// The squared chord of two places `km` apart (any distance past half the globe's
    /// circumference counts as the antipode).
    pub fn chord_squared_of_km(km: f64) -> f64 {
        let arc = (km * 1000.0 / Haversine.radius()).clamp(0.0, std::f64::consts::PI);
        let chord = 2.0 * (arc / 2.0).sin();
        chord * chord
    }

    /// The great-circle distance in kilometres of a squared chord, by the last step of the
    /// haversine formula (so it agrees with [`Coordinates::distance_km`] to rounding).
    pub fn km_of_chord_squared(chord_squared: f64) -> f64 {
        let a = (chord_squared / 4.0).clamp(0.0, 1.0);
        2.0 * a.sqrt().asin() * Haversine.radius() / 1000.0
    }
}

/// A place where an activity happens. In files: `{"name", "address", "postcode", "lat", "lon"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawVenue", into = "RawVenue")]
pub struct Venue {
    pub name: String,
    pub address: String,
    pub postcode: Option<Postcode>,
    pub coordinates: Coordinates,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVenue {
    name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    address: String,
    #[serde(default)]
    postcode: Option<Postcode>,
    lat: f64,
    lon: f64,
}

impl TryFrom<RawVenue> for Venue {
    type Error = CoordinatesError;
    fn try_from(r: RawVenue) -> Result<Self, CoordinatesError> {
        Ok(Venue {
            name: r.name,
            address: r.address,
            postcode: r.postcode,
            coordinates: Coordinates::new(r.lat, r.lon)?,
        })
    }
}

impl From<Venue> for RawVenue {
    fn from(v: Venue) -> Self {
        RawVenue {
            name: v.name,
            address: v.address,
            postcode: v.postcode,
            lat: v.coordinates.lat(),
            lon: v.coordinates.lon(),
        }
    }
}

impl Venue {
    /// A link that shows the venue on OpenStreetMap.
    pub fn map_url(&self) -> String {
        format!(
            "https://www.openstreetmap.org/?mlat={lat:.5}&mlon={lon:.5}#map=17/{lat:.5}/{lon:.5}",
            lat = self.coordinates.lat(),
            lon = self.coordinates.lon()
        )
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn towns_of_the_postcode_areas_are_known_however_written() {
        use super::uk_post_town;
        assert_eq!(uk_post_town("manchester"), Some(("Manchester", vec!["M"])));
        assert_eq!(uk_post_town("Newcastle"), Some(("Newcastle", vec!["NE"])));
        assert_eq!(
            uk_post_town("stoke on trent"),
            Some(("Stoke-on-Trent", vec!["ST"]))
        );
        let (_, london) = uk_post_town("LONDON").unwrap();
        assert_eq!(london, ["E", "EC", "N", "NW", "SE", "SW", "W", "WC"]);
        assert_eq!(uk_post_town("Narnia"), None);
        assert_eq!(uk_post_town(""), None);
        assert_eq!(super::UK_POSTCODE_AREAS.len(), 124);
    }

    use super::*;

    #[test]
    fn postcodes_normalise_case_and_spacing() {
        let a = Postcode::parse(" hu5  3ab ").unwrap();
        assert_eq!(a.to_string(), "HU5 3AB");
        assert_eq!(a.district(), "HU5");
        assert!(a.is_full());
        assert_eq!(Postcode::parse("e15").unwrap().to_string(), "E15");
        assert_eq!(Postcode::parse("SW1A1AA").unwrap().to_string(), "SW1A 1AA");
        assert_eq!(Postcode::parse("tr1").unwrap().district(), "TR1");
    }

    #[test]
    fn rejects_things_that_are_not_postcodes() {
        for bad in [
            "",
            "hello",
            "12345",
            "HU5 3A",
            "HUU5",
            "90210",
            "HU5 3AB X",
            "ÅB1",
        ] {
            assert!(Postcode::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn coordinates_reject_out_of_range_and_nan() {
        assert!(Coordinates::new(100.0, 0.0).is_err());
        assert!(Coordinates::new(0.0, 181.0).is_err());
        assert!(Coordinates::new(f64::NAN, 0.0).is_err());
        assert!(Coordinates::new(53.76, -0.35).is_ok());
    }

    #[test]
    fn venues_refuse_misspelt_fields_and_bad_coordinates() {
        let ok = r#"{"name":"Hall","postcode":"HU5 3AB","lat":53.7,"lon":-0.3}"#;
        let v: Venue = serde_json::from_str(ok).unwrap();
        assert_eq!(
            serde_json::from_str::<Venue>(&serde_json::to_string(&v).unwrap()).unwrap(),
            v
        );
        let typo = r#"{"name":"Hall","lat":53.7,"lng":-0.3}"#;
        assert!(serde_json::from_str::<Venue>(typo).is_err());
        let bad = r#"{"name":"Hall","lat":100,"lon":-0.3}"#;
        assert!(serde_json::from_str::<Venue>(bad).is_err());
    }

    #[test]
    fn hull_to_london_is_about_250_km() {
        let hull = Coordinates::new(53.7676, -0.3274).unwrap();
        let london = Coordinates::new(51.5074, -0.1278).unwrap();
        let d = hull.distance_km(london);
        assert!((245.0..260.0).contains(&d), "{d}");
    }

    /// A search decides "within the radius" and orders by distance with squared chords: they
    /// must give the haversine's distances back, and the same order, near and far.
    #[test]
    fn chords_agree_with_the_haversine_distance() {
        let mut rng = fastrand::Rng::with_seed(7);
        let mut unit = || rng.f64();
        let hull = Coordinates::new(53.7676, -0.3274).unwrap();
        let mut pairs = Vec::new();
        for i in 0..5_000 {
            // Half within a few kilometres of Hull, half anywhere on Earth.
            let p = if i % 2 == 0 {
                Coordinates::new(
                    53.7676 + 0.1 * (unit() - 0.5),
                    -0.3274 + 0.1 * (unit() - 0.5),
                )
            } else {
                Coordinates::new(-90.0 + 180.0 * unit(), -180.0 + 360.0 * unit())
            }
            .unwrap();
            let km = hull.distance_km(p);
            let chord = hull.unit_vector().chord_squared(p.unit_vector());
            let back = UnitVector::km_of_chord_squared(chord);
            // A millimetre is the slack a search allows at the edge of its radius.
            assert!((back - km).abs() < 1e-6, "{p:?}: {back} against {km}");
            let limit = UnitVector::chord_squared_of_km(km);
            assert!(
                (UnitVector::km_of_chord_squared(limit) - km).abs() < 1e-6,
                "{p:?}"
            );
            pairs.push((km, chord));
        }
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        for w in pairs.windows(2) {
            // Distances a millimetre apart or more are in the same order by chord.
            if w[1].0 - w[0].0 > 1e-6 {
                assert!(w[0].1 < w[1].1, "{w:?}");
            }
        }
        assert_eq!(UnitVector::chord_squared_of_km(0.0), 0.0);
        assert!((UnitVector::chord_squared_of_km(1e9) - 4.0).abs() < 1e-12);
    }
}
