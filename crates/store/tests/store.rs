//! The backend-agnostic store suite. Every backend runs every check in `suite`.

use signpost_model::fixture::{activity, id, provider};
use signpost_model::{Coordinates, Postcode};
use signpost_store::{PostcodeImport, SqliteStore, Store, StoreError, read_postcode_csv};

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
        assert!(store.import(&[p], &[ok, bad]).is_err());
        assert!(
            store.is_empty().unwrap(),
            "{name}: import is all or nothing"
        );
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
fn meta_settings_are_kept() {
    for (name, store, _dir) in backends() {
        assert_eq!(store.meta("sample_data").unwrap(), None, "{name}");
        store.set_meta("sample_data", "true").unwrap();
        store.set_meta("sample_data", "yes").unwrap();
        assert_eq!(store.meta("sample_data").unwrap().as_deref(), Some("yes"));
    }
}
