//! Real UK towns and cities: where the synthetic venues are.
//!
//! Centres, populations and postcode districts are approximate, from general knowledge: good
//! enough for "near me" searches to behave as they would on a national directory, not a
//! gazetteer. The districts are outward codes of each centre (a city's central district or
//! two); the generated file gives each of them the town's centre as its centroid.

/// A town or city venues are placed around.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Town {
    pub name: &'static str,
    /// The centre, WGS84 degrees.
    pub lat: f64,
    pub lon: f64,
    /// Roughly how many people live there (the built-up area or the city itself): venues are
    /// spread over towns in proportion to it.
    pub population: u32,
    /// Postcode districts (outward codes) of the centre.
    pub districts: &'static [&'static str],
    /// How far from the centre venues may be: bigger for bigger places.
    pub radius_km: f64,
}

const fn t(
    name: &'static str,
    lat: f64,
    lon: f64,
    population: u32,
    districts: &'static [&'static str],
    radius_km: f64,
) -> Town {
    Town {
        name,
        lat,
        lon,
        population,
        districts,
        radius_km,
    }
}

/// 99 towns and cities across England, Scotland, Wales and Northern Ireland.
pub const TOWNS: &[Town] = &[
    // England
    t(
        "London",
        51.5074,
        -0.1278,
        8_800_000,
        &["WC2N", "SW1A"],
        15.0,
    ),
    t(
        "Birmingham",
        52.4797,
        -1.9027,
        1_150_000,
        &["B1", "B2"],
        12.0,
    ),
    t("Leeds", 53.7997, -1.5492, 800_000, &["LS1", "LS2"], 10.0),
    t("Sheffield", 53.3811, -1.4701, 560_000, &["S1"], 9.0),
    t("Manchester", 53.4808, -2.2426, 550_000, &["M1", "M2"], 9.0),
    t("Bradford", 53.7938, -1.7564, 540_000, &["BD1"], 8.0),
    t("Liverpool", 53.4084, -2.9916, 490_000, &["L1", "L2"], 8.0),
    t("Bristol", 51.4545, -2.5879, 470_000, &["BS1"], 8.0),
    t("Leicester", 52.6369, -1.1398, 370_000, &["LE1"], 7.0),
    t("Coventry", 52.4068, -1.5197, 350_000, &["CV1"], 7.0),
    t("Nottingham", 52.9548, -1.1581, 330_000, &["NG1"], 7.0),
    t("Newcastle", 54.9783, -1.6178, 300_000, &["NE1"], 7.0),
    t("Brighton", 50.8225, -0.1372, 290_000, &["BN1", "BN2"], 6.0),
    t("Hull", 53.7443, -0.3326, 270_000, &["HU1", "HU2"], 6.0),
    t("Plymouth", 50.3755, -4.1427, 265_000, &["PL1"], 6.0),
    t("Stoke-on-Trent", 53.0253, -2.1770, 260_000, &["ST1"], 6.0),
    t("Wolverhampton", 52.5862, -2.1288, 260_000, &["WV1"], 6.0),
    t("Derby", 52.9225, -1.4746, 260_000, &["DE1"], 6.0),
    t(
        "Southampton",
        50.9097,
        -1.4044,
        250_000,
        &["SO14", "SO15"],
        6.0,
    ),
    t("Milton Keynes", 52.0406, -0.7594, 230_000, &["MK9"], 6.0),
    t("Northampton", 52.2405, -0.9027, 225_000, &["NN1"], 5.0),
    t("Luton", 51.8787, -0.4200, 225_000, &["LU1"], 5.0),
    t("Portsmouth", 50.7989, -1.0912, 210_000, &["PO1"], 5.0),
    t("York", 53.9600, -1.0873, 210_000, &["YO1"], 5.0),
    t("Bolton", 53.5769, -2.4282, 200_000, &["BL1"], 5.0),
    t("Peterborough", 52.5695, -0.2405, 200_000, &["PE1"], 6.0),
    t("Bournemouth", 50.7192, -1.8808, 190_000, &["BH1"], 6.0),
    t("Swindon", 51.5558, -1.7797, 185_000, &["SN1"], 5.0),
    t(
        "Southend-on-Sea",
        51.5459,
        0.7077,
        180_000,
        &["SS1", "SS2"],
        5.0,
    ),
    t("Reading", 51.4543, -0.9781, 175_000, &["RG1"], 5.0),
    t("Middlesbrough", 54.5742, -1.2350, 175_000, &["TS1"], 6.0),
    t("Sunderland", 54.9069, -1.3838, 175_000, &["SR1"], 5.0),
    t("Warrington", 53.3900, -2.5970, 170_000, &["WA1"], 5.0),
    t("Huddersfield", 53.6458, -1.7850, 160_000, &["HD1"], 5.0),
    t("Oxford", 51.7520, -1.2577, 160_000, &["OX1"], 5.0),
    t("Slough", 51.5105, -0.5950, 160_000, &["SL1"], 4.0),
    t("Cambridge", 52.2053, 0.1218, 145_000, &["CB1", "CB2"], 5.0),
    t("Norwich", 52.6309, 1.2974, 145_000, &["NR1", "NR2"], 5.0),
    t("Preston", 53.7632, -2.7031, 145_000, &["PR1"], 5.0),
    t("Telford", 52.6784, -2.4453, 145_000, &["TF3"], 5.0),
    t("Blackpool", 53.8175, -3.0357, 140_000, &["FY1"], 5.0),
    t("Ipswich", 52.0567, 1.1482, 140_000, &["IP1", "IP4"], 5.0),
    t("Stockport", 53.4106, -2.1575, 140_000, &["SK1"], 5.0),
    t("Exeter", 50.7184, -3.5339, 130_000, &["EX1", "EX4"], 5.0),
    t("Gloucester", 51.8642, -2.2382, 130_000, &["GL1"], 5.0),
    t("Colchester", 51.8959, 0.8919, 130_000, &["CO1"], 5.0),
    t("Blackburn", 53.7486, -2.4875, 120_000, &["BB1", "BB2"], 4.0),
    t("Cheltenham", 51.8994, -2.0783, 115_000, &["GL50"], 4.0),
    t("Crawley", 51.1091, -0.1872, 115_000, &["RH10"], 4.0),
    t("Wakefield", 53.6833, -1.4977, 110_000, &["WF1"], 5.0),
    t("Doncaster", 53.5228, -1.1285, 110_000, &["DN1"], 5.0),
    t("Chelmsford", 51.7356, 0.4685, 110_000, &["CM1"], 4.0),
    t(
        "Maidstone",
        51.2720,
        0.5292,
        110_000,
        &["ME14", "ME15"],
        4.0,
    ),
    t("Wigan", 53.5451, -2.6325, 105_000, &["WN1"], 4.0),
    t("Oldham", 53.5409, -2.1114, 100_000, &["OL1"], 4.0),
    t("Watford", 51.6565, -0.3903, 100_000, &["WD17"], 4.0),
    t("Worcester", 52.1920, -2.2200, 100_000, &["WR1"], 4.0),
    t("Lincoln", 53.2307, -0.5406, 100_000, &["LN1", "LN2"], 4.0),
    t("Barnsley", 53.5526, -1.4797, 95_000, &["S70"], 5.0),
    t("Bath", 51.3811, -2.3590, 95_000, &["BA1", "BA2"], 4.0),
    t("Darlington", 54.5236, -1.5595, 95_000, &["DL1", "DL3"], 4.0),
    t("Hastings", 50.8543, 0.5735, 90_000, &["TN34"], 4.0),
    t("Hartlepool", 54.6863, -1.2129, 90_000, &["TS24"], 3.0),
    t("Grimsby", 53.5675, -0.0802, 85_000, &["DN31"], 4.0),
    t("Burnley", 53.7893, -2.2405, 75_000, &["BB11"], 4.0),
    t("Harrogate", 53.9921, -1.5418, 75_000, &["HG1"], 4.0),
    t("Shrewsbury", 52.7073, -2.7553, 75_000, &["SY1"], 4.0),
    t("Carlisle", 54.8925, -2.9329, 75_000, &["CA1", "CA3"], 4.0),
    t("Torquay", 50.4619, -3.5253, 65_000, &["TQ1", "TQ2"], 4.0),
    t("Scarborough", 54.2831, -0.3998, 60_000, &["YO11"], 3.0),
    t("Canterbury", 51.2802, 1.0789, 55_000, &["CT1"], 4.0),
    t("Lancaster", 54.0466, -2.8007, 52_000, &["LA1"], 4.0),
    t("Durham", 54.7761, -1.5733, 50_000, &["DH1"], 3.0),
    t("Salisbury", 51.0688, -1.7945, 45_000, &["SP1"], 3.0),
    t("Truro", 50.2632, -5.0510, 20_000, &["TR1"], 3.0),
    // Scotland
    t("Glasgow", 55.8609, -4.2514, 630_000, &["G1", "G2"], 9.0),
    t("Edinburgh", 55.9533, -3.1883, 520_000, &["EH1", "EH2"], 8.0),
    t(
        "Aberdeen",
        57.1497,
        -2.0943,
        200_000,
        &["AB10", "AB11"],
        6.0,
    ),
    t("Dundee", 56.4620, -2.9707, 150_000, &["DD1"], 5.0),
    t("East Kilbride", 55.7644, -4.1770, 75_000, &["G74"], 3.0),
    t("Livingston", 55.8865, -3.5227, 57_000, &["EH54"], 3.0),
    t("Inverness", 57.4778, -4.2247, 48_000, &["IV1", "IV2"], 4.0),
    t("Perth", 56.3950, -3.4308, 48_000, &["PH1", "PH2"], 3.0),
    t("Stirling", 56.1165, -3.9369, 38_000, &["FK8"], 3.0),
    // Wales
    t("Cardiff", 51.4816, -3.1791, 360_000, &["CF10"], 7.0),
    t("Swansea", 51.6214, -3.9436, 240_000, &["SA1"], 6.0),
    t("Newport", 51.5842, -2.9977, 130_000, &["NP20"], 5.0),
    t("Wrexham", 53.0462, -2.9930, 65_000, &["LL11", "LL13"], 4.0),
    t("Llanelli", 51.6840, -4.1629, 50_000, &["SA15"], 3.0),
    t("Bridgend", 51.5043, -3.5769, 50_000, &["CF31"], 3.0),
    t("Merthyr Tydfil", 51.7487, -3.3816, 45_000, &["CF47"], 3.0),
    t("Aberystwyth", 52.4153, -4.0829, 19_000, &["SY23"], 3.0),
    // Northern Ireland
    t("Belfast", 54.5973, -5.9301, 345_000, &["BT1", "BT2"], 7.0),
    t("Derry", 54.9966, -7.3086, 85_000, &["BT48"], 4.0),
    t("Bangor", 54.6538, -5.6682, 65_000, &["BT20"], 3.0),
    t("Lisburn", 54.5162, -6.0580, 50_000, &["BT28"], 3.0),
    t(
        "Ballymena",
        54.8653,
        -6.2767,
        30_000,
        &["BT42", "BT43"],
        3.0,
    ),
    t("Newry", 54.1751, -6.3402, 30_000, &["BT34", "BT35"], 3.0),
    t("Armagh", 54.3503, -6.6528, 16_000, &["BT61"], 3.0),
];

/// The nation a town is in, for languages and phone numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Nation {
    England,
    Scotland,
    Wales,
    NorthernIreland,
}

pub(crate) fn nation(town: &Town) -> Nation {
    match town.districts[0] {
        d if d.starts_with("BT") => Nation::NorthernIreland,
        "CF10" | "SA1" | "NP20" | "LL11" | "SA15" | "CF31" | "CF47" | "SY23" => Nation::Wales,
        d if ["G", "EH", "AB", "DD", "PA", "IV", "PH", "FK"]
            .iter()
            .any(|p| {
                d.starts_with(p) && d[p.len()..].starts_with(|c: char| c.is_ascii_digit())
            }) =>
        {
            Nation::Scotland
        }
        _ => Nation::England,
    }
}

/// The directions (degrees clockwise from north, `from..to`, `to` may pass 360) in which a
/// coastal or riverside centre has land, so venues are not put in the sea. Other towns use
/// every direction.
pub(crate) fn land_bearings(town: &Town) -> (f64, f64) {
    match town.name {
        "Liverpool" | "Blackpool" | "Aberystwyth" => (10.0, 170.0),
        "Brighton" | "Bournemouth" | "Plymouth" | "Hastings" | "Southend-on-Sea" | "Swansea" => {
            (-80.0, 80.0)
        }
        "Hull" | "Cardiff" | "Southampton" => (-100.0, 100.0),
        "Dundee" => (-90.0, 90.0),
        "Portsmouth" => (0.0, 120.0),
        "Sunderland" | "Aberdeen" | "Scarborough" | "Hartlepool" => (190.0, 350.0),
        "Middlesbrough" => (100.0, 260.0),
        "Torquay" => (240.0, 400.0),
        "Grimsby" => (150.0, 300.0),
        "Edinburgh" => (80.0, 280.0),
        "Bangor" => (100.0, 260.0),
        "Belfast" => (120.0, 380.0),
        _ => (0.0, 360.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use signpost_model::{Coordinates, Postcode};

    #[test]
    fn towns_are_real_looking_and_unique() {
        assert!((60..=100).contains(&TOWNS.len()), "{}", TOWNS.len());
        let mut names = std::collections::HashSet::new();
        let mut districts = std::collections::HashSet::new();
        for t in TOWNS {
            assert!(names.insert(t.name.to_lowercase()), "{} twice", t.name);
            assert!(Coordinates::new(t.lat, t.lon).is_ok(), "{}", t.name);
            assert!((49.8..61.0).contains(&t.lat) && (-8.5..2.0).contains(&t.lon));
            assert!(t.population > 0 && (2.0..=15.0).contains(&t.radius_km));
            assert!(!t.districts.is_empty());
            for d in t.districts {
                let pc = Postcode::parse(d).unwrap();
                assert!(!pc.is_full(), "{d}");
                assert!(districts.insert(*d), "{d} twice");
            }
        }
        for n in [
            Nation::England,
            Nation::Scotland,
            Nation::Wales,
            Nation::NorthernIreland,
        ] {
            assert!(
                TOWNS.iter().filter(|t| nation(t) == n).count() >= 6,
                "{n:?}"
            );
        }
    }
}
