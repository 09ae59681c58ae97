//! The backend-agnostic store suite. Every backend runs every check in `suite`.

use signpost_model::fixture::{activity, id, provider};
use signpost_model::{Activity, Coordinates, Postcode};
use signpost_store::{
    ImportBatch, PostcodeImport, ScanFrom, SqliteStore, Store, StoreError, read_postcode_csv,
};

fn backends() -> Vec<(&'static str, Box<dyn Store>, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().unwrap();
    let on_disk = SqliteStore::open(dir.path()).unwrap();
    vec![
        (
            "sqlite-memory",
            Box::new(SqliteStore::open_in_memory().unwrap()),
            None,
        ),
        ("sqlite-file", Box::new(on_disk), Some(dir)),
    ]
}

#[test]
fn providers_and_activities_round_trip() {
    for (name, store, _dir) in backends() {
        assert!(store.is_empty().unwrap(), "{name}");
        let p = provider("hull-fc", "Hull FC Juniors");
        let a = activity("hull-fc-u14", "hull-fc", "Under 14s football");
        store.upsert_provider(&p).unwrap();
        store.upsert_activity(&a).unwrap();
        assert!(!store.is_empty().unwrap());
        assert_eq!(store.provider(&p.id).unwrap(), Some(p.clone()), "{name}");
        assert_eq!(store.activity(&a.id).unwrap(), Some(a.clone()), "{name}");
        assert_eq!(store.activities_of(&p.id).unwrap(), vec![a.clone()]);
        assert_eq!(store.activity(&id("nope")).unwrap(), None);

        let mut changed = a.clone();
        changed.title = "Under 14s girls football".into();
        store.upsert_activity(&changed).unwrap();
        assert_eq!(
            store.activities().unwrap(),
            vec![changed],
            "{name}: upsert replaces"
        );
    }
}

/// Every page of a scan from the start, with `between` run after each page.
fn scan(store: &dyn Store, size: usize, mut between: impl FnMut(usize)) -> Vec<String> {
    let mut seen = Vec::new();
    let mut from = ScanFrom::default();
    for page_number in 0.. {
        let (page, next) = store.activities_page(&from, size).unwrap();
        assert!(page.len() <= size);
        if page.is_empty() {
            break;
        }
        from = next;
        for (activity, json) in &page {
            let read: Activity = serde_json::from_str(json).unwrap();
            assert_eq!(&read, activity, "the JSON is the activity's");
            seen.push(activity.id.as_str().to_owned());
        }
        between(page_number);
    }
    seen
}

#[test]
fn activities_come_a_page_at_a_time_each_once() {
    for (name, store, _dir) in backends() {
        store.upsert_provider(&provider("p", "P")).unwrap();
        for n in [7, 3, 9, 1, 5, 2, 8] {
            store
                .upsert_activity(&activity(&format!("a{n}"), "p", "Club"))
                .unwrap();
        }
        let mut paged = scan(&*store, 3, |_| {});
        paged.sort();
        assert_eq!(paged, ["a1", "a2", "a3", "a5", "a7", "a8", "a9"], "{name}");
    }
}

/// A rebuild reads the store while providers edit it: a listing changed mid-scan, whether
/// already read or not, must not be indexed twice or left out.
#[test]
fn a_listing_changed_during_a_scan_is_read_once() {
    for (name, store, _dir) in backends() {
        store.upsert_provider(&provider("p", "P")).unwrap();
        for n in 0..9 {
            store
                .upsert_activity(&activity(&format!("a{n}"), "p", "Club"))
                .unwrap();
        }
        let mut paged = scan(&*store, 2, |page| {
            if page == 1 {
                for n in [0, 8] {
                    let edited = activity(&format!("a{n}"), "p", "Renamed club");
                    store.upsert_activity(&edited).unwrap();
                }
            }
        });
        paged.sort();
        let all: Vec<String> = (0..9).map(|n| format!("a{n}")).collect();
        assert_eq!(paged, all, "{name}");
    }
}

#[test]
fn an_activity_for_an_unknown_provider_is_refused() {
    for (name, store, _dir) in backends() {
        let a = activity("orphan", "nobody", "Orphan club");
        let err = store.upsert_activity(&a).unwrap_err();
        assert!(
            matches!(err, StoreError::UnknownProvider { .. }),
            "{name}: {err}"
        );
    }
}

#[test]
fn a_failed_import_writes_nothing() {
    for (name, store, _dir) in backends() {
        let p = provider("good", "Good Group");
        let ok = activity("ok", "good", "Fine");
        let bad = activity("bad", "missing", "Bad");
        let csv = "postcode,latitude,longitude,town\nHU5,53.75961,-0.37524,Hull\n";
        let batch = ImportBatch {
            providers: vec![p],
            activities: vec![ok, bad],
            postcodes: read_postcode_csv(csv.as_bytes()).unwrap(),
            meta: vec![("sample_data".into(), "true".into())],
        };
        assert!(store.import(&batch).is_err());
        assert!(
            store.is_empty().unwrap(),
            "{name}: import is all or nothing"
        );
        assert_eq!(store.postcode_count().unwrap(), 0, "{name}: postcodes too");
        assert_eq!(
            store.meta("sample_data").unwrap(),
            None,
            "{name}: settings too"
        );
        assert_eq!(store.generation().unwrap(), 0);
    }
}

#[test]
fn postcodes_and_places_are_found_and_full_postcodes_fall_back_to_their_district() {
    for (name, store, _dir) in backends() {
        let csv = "postcode,latitude,longitude,town\nHU5,53.75961,-0.37524,Hull\nE15,51.53911,0.00307,Stratford\n";
        let import: PostcodeImport = read_postcode_csv(csv.as_bytes()).unwrap();
        assert_eq!(store.import_postcodes(&import).unwrap(), 2);
        assert_eq!(store.postcode_count().unwrap(), 2);

        let hu5 = store
            .locate_postcode(&Postcode::parse("hu5").unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(
            hu5.coordinates,
            Coordinates::new(53.75961, -0.37524).unwrap(),
            "{name}"
        );
        assert!(hu5.exact);

        let full = store
            .locate_postcode(&Postcode::parse("HU5 3AB").unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(full.label, "HU5");
        assert!(!full.exact, "{name}: fell back to the district");

        assert!(
            store
                .locate_postcode(&Postcode::parse("ZE2").unwrap())
                .unwrap()
                .is_none()
        );
        let in_area = |area: &str| store.district_in_area(area).unwrap().map(|p| p.to_string());
        assert_eq!(in_area("E").as_deref(), Some("E15"), "{name}");
        assert_eq!(in_area("hu").as_deref(), Some("HU5"), "{name}");
        assert_eq!(in_area("EC"), None, "{name}: E15 is not in EC");
        assert_eq!(in_area("M"), None, "{name}");
        let hull = store.locate_place("  hULL ").unwrap().unwrap();
        assert_eq!(hull.label, "Hull");
        assert!(store.locate_place("Atlantis").unwrap().is_none());
    }
}

#[test]
fn a_data_directory_that_cannot_be_written_gives_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    let err = SqliteStore::open(&file.join("data"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("cannot use data directory"), "{err}");
}

#[test]
fn data_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = SqliteStore::open(dir.path()).unwrap();
        store.upsert_provider(&provider("keep", "Keep Me")).unwrap();
    }
    let store = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(store.providers().unwrap().len(), 1);
}

#[test]
fn each_database_has_its_own_identity_for_life() {
    let ids: Vec<String> = backends()
        .iter()
        .map(|(name, store, _dir)| {
            let id = store.identity().unwrap();
            assert!(id.len() >= 32, "{name}: {id}");
            store.upsert_provider(&provider("p", "P")).unwrap();
            store.set_meta("sample_data", "yes").unwrap();
            assert_eq!(
                store.identity().unwrap(),
                id,
                "{name}: writes never change it"
            );
            id
        })
        .collect();
    assert_ne!(ids[0], ids[1]);
    let dir = tempfile::tempdir().unwrap();
    let first = SqliteStore::open(dir.path()).unwrap().identity().unwrap();
    assert_eq!(
        SqliteStore::open(dir.path()).unwrap().identity().unwrap(),
        first
    );
}

#[test]
fn meta_settings_are_kept() {
    for (name, store, _dir) in backends() {
        assert_eq!(store.meta("sample_data").unwrap(), None, "{name}");
        store.set_meta("sample_data", "true").unwrap();
        store.set_meta("sample_data", "yes").unwrap();
        assert_eq!(store.meta("sample_data").unwrap().as_deref(), Some("yes"));
    }
}

#[test]
fn every_listing_write_bumps_the_generation() {
    for (name, store, _dir) in backends() {
        assert_eq!(store.generation().unwrap(), 0, "{name}");
        assert_eq!(store.upsert_provider(&provider("p", "P")).unwrap(), 1);
        assert_eq!(store.upsert_activity(&activity("a", "p", "A")).unwrap(), 2);
        let batch = ImportBatch {
            activities: vec![activity("b", "p", "B")],
            ..ImportBatch::default()
        };
        assert_eq!(store.import(&batch).unwrap(), 3);
        assert_eq!(store.generation().unwrap(), 3, "{name}");
        let csv = "postcode,latitude,longitude\nHU5,53.7,-0.3\n";
        store
            .import_postcodes(&read_postcode_csv(csv.as_bytes()).unwrap())
            .unwrap();
        assert_eq!(
            store.generation().unwrap(),
            3,
            "postcodes do not touch listings"
        );
    }
}

#[test]
fn an_ons_only_store_places_districts_and_unknown_full_postcodes() {
    for (name, store, _dir) in backends() {
        let csv = "pcds,lat,long\nHU5 3AB,53.70,-0.30\nHU5 4CD,53.80,-0.40\nHU53 1AA,50.0,-1.0\n";
        store
            .import_postcodes(&read_postcode_csv(csv.as_bytes()).unwrap())
            .unwrap();
        let district = store
            .locate_postcode(&Postcode::parse("HU5").unwrap())
            .unwrap()
            .unwrap();
        assert!(
            (district.coordinates.lat() - 53.75).abs() < 1e-9,
            "{name}: HU53 is not HU5"
        );
        let unknown = store
            .locate_postcode(&Postcode::parse("HU5 9ZZ").unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(unknown.label, "HU5");
        assert!(!unknown.exact);
    }
}

#[test]
fn towns_on_postcode_rows_become_places() {
    let csv = "postcode,latitude,longitude,town\nTR1,50.26,-5.05,Truro\nTR2,50.24,-5.03,Truro\n";
    let import = read_postcode_csv(csv.as_bytes()).unwrap();
    let store = SqliteStore::open_in_memory().unwrap();
    store.import_postcodes(&import).unwrap();
    let truro = store.locate_place("truro").unwrap().unwrap();
    assert!((truro.coordinates.lat() - 50.25).abs() < 1e-9);
}
