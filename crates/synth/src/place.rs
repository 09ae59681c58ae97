//! Venues, postcodes, phone numbers and people's names: all fictional, in real towns.

use signpost_model::{Coordinates, Postcode, Venue};

use crate::rng::Rand;
use crate::towns::{Nation, Town, land_bearings, nation};
use crate::words::LOCALES;

const KM_PER_DEGREE: f64 = 111.32;

/// Letters used in the inward part of real postcodes (never C, I, K, M, O or V).
const INWARD_LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";

/// One of the town's districts with a made-up inward part: `LS1 4TD`.
pub(crate) fn postcode(rng: &mut Rand, town: &Town) -> Postcode {
    let district = rng.pick(town.districts);
    let a = char::from(*rng.pick(INWARD_LETTERS));
    let b = char::from(*rng.pick(INWARD_LETTERS));
    let text = format!("{district} {}{a}{b}", rng.below(10));
    Postcode::parse(&text)
        .or_else(|_| Postcode::parse(district))
        .expect("town districts are valid postcodes")
}

/// A point around the town centre: a random bearing on the land side, and a distance up to
/// the town's radius, denser towards the centre as towns are.
pub(crate) fn point(rng: &mut Rand, town: &Town) -> Coordinates {
    let (from, to) = land_bearings(town);
    let bearing = (from + rng.unit() * (to - from)).to_radians();
    let km = town.radius_km * rng.unit().powf(0.75);
    let lat = town.lat + km * bearing.cos() / KM_PER_DEGREE;
    let lon = town.lon + km * bearing.sin() / (KM_PER_DEGREE * town.lat.to_radians().cos());
    // Five decimals is about a metre: plenty, and it keeps the file small.
    let round = |x: f64| (x * 1e5).round() / 1e5;
    Coordinates::new(round(lat), round(lon)).expect("UK coordinates are in range")
}

const VENUE_KINDS: &[&str] = &[
    "Community Centre",
    "Community Centre",
    "Leisure Centre",
    "Church Hall",
    "Sports Hall",
    "Library",
    "Youth Centre",
    "Primary School",
    "Academy",
    "Scout Hut",
    "Family Hub",
    "Park Pavilion",
    "Arts Centre",
    "Methodist Hall",
    "Sports Ground",
    "Neighbourhood Centre",
];

const SAINTS: &[&str] = &[
    "St Mark's",
    "St Anne's",
    "St John's",
    "St Peter's",
    "St Mary's",
    "St Luke's",
    "St Andrew's",
    "St David's",
    "St Patrick's",
    "St Columba's",
];

const STREETS: &[&str] = &[
    "Church",
    "Station",
    "Victoria",
    "Park",
    "Mill",
    "High",
    "Queen's",
    "King's",
    "Albert",
    "Grange",
    "Manor",
    "Chapel",
    "School",
    "Springfield",
    "Beech",
    "Oak",
    "Willow",
    "North",
    "West",
    "Orchard",
    "Meadow",
    "Bridge",
    "Market",
    "Castle",
    "Brook",
    "Green",
];

const STREET_KINDS: &[&str] = &[
    "Road", "Street", "Lane", "Avenue", "Close", "Way", "Road", "Street",
];

/// A made-up venue somewhere in the town.
pub(crate) fn venue(rng: &mut Rand, town: &Town) -> Venue {
    let kind = *rng.pick(VENUE_KINDS);
    let name = if kind.contains("Church") || kind.contains("Methodist") {
        format!("{} {kind}", rng.pick(SAINTS))
    } else {
        format!("{} {kind}", rng.pick(LOCALES))
    };
    let address = format!(
        "{} {} {}, {}",
        rng.between(1, 240),
        rng.pick(STREETS),
        rng.pick(STREET_KINDS),
        town.name
    );
    Venue {
        name,
        address,
        postcode: Some(postcode(rng, town)),
        coordinates: point(rng, town),
    }
}

/// A landline from Ofcom's ranges kept for drama: `020 7946 0xxx` in London, `01632 960xxx`
/// elsewhere; see seed-data/README.md.
pub(crate) fn landline(rng: &mut Rand, town: &Town) -> String {
    if town.name == "London" {
        format!("020 7946 0{:03}", rng.below(1000))
    } else {
        format!("01632 960{:03}", rng.below(1000))
    }
}

/// A mobile from Ofcom's drama range: `07700 900xxx`.
pub(crate) fn mobile(rng: &mut Rand) -> String {
    format!("07700 900{:03}", rng.below(1000))
}

const FIRST_NAMES: &[&str] = &[
    "Sam", "Jess", "Tom", "Kelly", "Dan", "Zofia", "Lee", "Becky", "Amina", "Marek", "Priya",
    "Ibrahim", "Fatima", "Chloe", "Kwame", "Grace", "Ravi", "Nadia", "Andrei", "Tamsin", "Rhys",
    "Cerys", "Iona", "Callum", "Niamh", "Ciaran", "Aisha", "Jo", "Alex", "Morgan",
];

const SURNAMES: &[&str] = &[
    "Patel", "Okafor", "Harrison", "Begum", "Adeyemi", "Nowak", "Evans", "Campbell", "Murphy",
    "Khan", "Taylor", "Jones", "MacLeod", "O'Neill", "Hughes", "Ahmed", "Walsh", "Kowalski",
    "Davies", "Reid",
];

pub(crate) fn first_name(rng: &mut Rand) -> &'static str {
    FIRST_NAMES[rng.below(FIRST_NAMES.len())]
}

/// "R. Patel", a checker's name as the sample writes it.
pub(crate) fn initial_and_surname(rng: &mut Rand) -> String {
    let initial = char::from(b'A' + u8::try_from(rng.below(26)).unwrap_or(0));
    format!("{initial}. {}", rng.pick(SURNAMES))
}

/// Languages besides English that the people running an activity speak.
pub(crate) fn languages(rng: &mut Rand, town: &Town) -> Vec<String> {
    const COMMON: &[&str] = &[
        "Polish",
        "Urdu",
        "Bengali",
        "Punjabi",
        "Arabic",
        "Romanian",
        "Somali",
        "British Sign Language",
        "Portuguese",
        "Tamil",
        "Gujarati",
        "Lithuanian",
        "Kurdish",
        "Ukrainian",
        "Cantonese",
        "Turkish",
    ];
    let local: &[&str] = match nation(town) {
        Nation::Wales => &["Welsh", "Welsh", "Welsh"],
        Nation::Scotland => &["Scottish Gaelic"],
        Nation::NorthernIreland => &["Irish", "Ulster Scots"],
        Nation::England => &[],
    };
    let mut out: Vec<String> = Vec::new();
    for _ in 0..=usize::from(rng.chance(0.25)) {
        let lang = if !local.is_empty() && rng.chance(0.5) {
            rng.pick(local)
        } else {
            rng.pick_skewed(COMMON)
        };
        if !out.iter().any(|l| l == lang) {
            out.push((*lang).to_owned());
        }
    }
    out
}
