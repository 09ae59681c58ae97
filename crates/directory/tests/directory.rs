//! The directory service over a real data directory: the bundled sample data, and keeping the
//! index in step with the store across restarts and crashes.

use std::path::{Path, PathBuf};

use chrono::Utc;
use signpost_directory::{Directory, SearchParams, decode_query};
use signpost_ingest::Ingest;
use signpost_model::fixture::activity;
use signpost_store::{SqliteStore, Store};

fn seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seed-data/directory.json")
}

fn total(dir: &Directory, query: &str) -> usize {
    let params = SearchParams::parse(&decode_query(query).unwrap()).unwrap();
    dir.search(params).unwrap().results.total
}

#[test]
fn the_sample_directory_imports_and_its_towns_and_areas_are_searchable() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _) = Directory::open(&tmp.path().join("data"), &tmp.path().join("index")).unwrap();
    let (_, report) = Ingest::new(dir.backend(), Utc::now())
        .load_directory_files(true)
        .import_path(&seed())
        .unwrap();
    dir.catch_up().unwrap();
    assert!(
        report.providers_added >= 100 && report.added >= 300,
        "{report:?}"
    );
    assert!(dir.holds_sample_data().unwrap());

    for town in ["Truro", "Stratford", "Penzance", "Hull", "Newham"] {
        assert!(total(&dir, &format!("near={town}")) > 0, "{town}");
    }
    // Cornwall carries its own default radius; at the usual 5 km its middle has nothing.
    assert!(total(&dir, "near=Cornwall") > 50);
    assert_eq!(total(&dir, "near=Cornwall&radius_km=5"), 0);
    // Every category has something to find.
    for c in signpost_model::Category::ALL {
        assert!(total(&dir, &format!("category={}", c.slug())) > 0, "{c:?}");
    }
}

#[test]
fn another_process_writes_are_caught_up_without_a_restart() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, index) = (tmp.path().join("data"), tmp.path().join("index"));
    let (dir, _) = Directory::open(&data, &index).unwrap();
    dir.save_provider(signpost_model::fixture::provider("p", "P"))
        .unwrap();
    dir.save_activity(activity("one", "p", "Chess Club"))
        .unwrap();
    assert_eq!(dir.catch_up().unwrap(), 0, "nothing to do when in step");
    // An import in another process writes the database only.
    let other = SqliteStore::open(&data).unwrap();
    other
        .upsert_activity(&activity("two", "p", "Draughts Club"))
        .unwrap();
    let mut renamed = signpost_model::fixture::provider("p", "Renamed Provider");
    renamed.charity_number = Some("1100001".into());
    other.upsert_provider(&renamed).unwrap();
    assert_eq!(total(&dir, "q=draughts"), 0, "not seen until caught up");
    assert_eq!(
        dir.catch_up().unwrap(),
        2,
        "the new listing and the renamed provider's other one"
    );
    assert_eq!(total(&dir, "q=draughts"), 1);
    assert_eq!(
        total(&dir, "q=renamed"),
        2,
        "provider changes reach every listing"
    );
    assert_eq!(dir.catch_up().unwrap(), 0);
}

#[test]
fn a_write_the_index_never_saw_is_caught_at_the_next_start() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, index) = (tmp.path().join("data"), tmp.path().join("index"));
    {
        let (dir, _) = Directory::open(&data, &index).unwrap();
        dir.save_provider(signpost_model::fixture::provider("p", "P"))
            .unwrap();
        dir.save_activity(activity("kept", "p", "Chess Club"))
            .unwrap();
    }
    {
        let (_, report) = Directory::open(&data, &index).unwrap();
        assert_eq!(report.rebuilt, None, "in step: no rebuild");
    }
    // As if the process died after the database commit but before the index update.
    SqliteStore::open(&data)
        .unwrap()
        .upsert_activity(&activity("kept", "p", "Draughts Club"))
        .unwrap();
    let (dir, report) = Directory::open(&data, &index).unwrap();
    assert_eq!(
        report.rebuilt, None,
        "caught up listing by listing, not rebuilt"
    );
    assert_eq!(total(&dir, "q=draughts"), 1);
    assert_eq!(total(&dir, "q=chess"), 0);
}

#[test]
fn an_index_written_from_another_database_is_rebuilt_even_at_the_same_generation() {
    let tmp = tempfile::tempdir().unwrap();
    let index = tmp.path().join("shared-index");
    // Two data directories with one listing each: both at the same generation.
    for (data, id, title) in [("a", "one", "Chess Club"), ("b", "two", "Draughts Club")] {
        let store = SqliteStore::open(&tmp.path().join(data)).unwrap();
        store
            .upsert_provider(&signpost_model::fixture::provider("p", "P"))
            .unwrap();
        store.upsert_activity(&activity(id, "p", title)).unwrap();
    }
    let (a, report) = Directory::open(&tmp.path().join("a"), &index).unwrap();
    assert_eq!(report.rebuilt, Some(1));
    assert_eq!((total(&a, "q=chess"), total(&a, "q=draughts")), (1, 0));
    drop(a);

    let (b, report) = Directory::open(&tmp.path().join("b"), &index).unwrap();
    assert_eq!(
        report.rebuilt,
        Some(1),
        "b's database is not the one the index was written from"
    );
    assert_eq!((total(&b, "q=chess"), total(&b, "q=draughts")), (0, 1));
    assert_eq!(b.catch_up().unwrap(), 0, "in step with b now");
    drop(b);

    // Back to a: rebuilt again, never served with b's listings.
    let (a, report) = Directory::open(&tmp.path().join("a"), &index).unwrap();
    assert_eq!(report.rebuilt, Some(1));
    assert_eq!((total(&a, "q=chess"), total(&a, "q=draughts")), (1, 0));
}

#[test]
fn find_reads_words_as_people_mean_them_and_search_as_written() {
    use signpost_directory::Reading;
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _) = Directory::open(&tmp.path().join("data"), &tmp.path().join("index")).unwrap();
    Ingest::new(dir.backend(), Utc::now())
        .load_directory_files(true)
        .import_path(&seed())
        .unwrap();
    dir.catch_up().unwrap();
    let find = |query: &str| {
        let params = SearchParams::parse(&decode_query(query).unwrap()).unwrap();
        dir.find(params).unwrap()
    };
    let football = find("q=football&near=Hull");
    assert!(football.results.total > 0);
    // Words of asking, curly apostrophes and "club" add nothing and take nothing away.
    for q in [
        "football+club",
        "I%E2%80%99m+looking+for+football",
        "football%2Fclub",
        "what%27s+football",
    ] {
        let o = find(&format!("q={q}&near=Hull"));
        assert_eq!(o.results.total, football.results.total, "{q}");
        assert_eq!(o.reading, Reading::AllWords, "{q}");
    }
    // Two letters swapped, as thumbs do: the word is put right (the API's search is literal).
    let dance = find("q=dance&near=Hull").results.total;
    assert!(dance > 0);
    assert_eq!(find("q=dnace+classes&near=Hull").results.total, dance);
    assert_eq!(find("q=adnce&near=Hull").results.total, dance);
    // Words that only say "something": everything near, and the page can say why.
    let o = find("q=things+to+do&near=Hull");
    assert_eq!(o.reading, Reading::NoTellingWords);
    // Misspelt, they still say only "something".
    let o = find("q=somthing+to+do&near=Hull");
    assert_eq!(o.reading, Reading::NoTellingWords);
    assert_eq!(o.results.total, total(&dir, "near=Hull"));
    // No listing has both words: those with either, said so; the API's search finds none.
    let o = find("q=football+drama&near=Hull");
    assert_eq!(o.reading, Reading::SomeWords { with_all: 0 });
    assert!(o.results.total > football.results.total);
    assert_eq!(total(&dir, "q=football+drama&near=Hull"), 0);
    // One listing has every word: it comes first, and the others with some of the words follow
    // it, page after page, none twice.
    let every = {
        let params = SearchParams::parse(&decode_query("q=parent+baby+swim&near=HU6").unwrap());
        dir.search(params.unwrap()).unwrap().results
    };
    assert_eq!(
        every.total, 1,
        "the API's literal search: one has every word"
    );
    let page = |n: usize| find(&format!("q=parent+baby+swim&near=HU6&per_page=5&page={n}"));
    let (first, second) = (page(1), page(2));
    assert_eq!(first.reading, Reading::SomeWords { with_all: 1 });
    assert_eq!(
        first.results.hits[0].item.activity.id,
        every.hits[0].item.activity.id
    );
    assert!(first.results.total > 5, "{}", first.results.total);
    let ids = |o: &signpost_directory::SearchOutcome| -> Vec<String> {
        o.results
            .hits
            .iter()
            .map(|h| h.item.activity.id.to_string())
            .collect()
    };
    let (a, b) = (ids(&first), ids(&second));
    assert_eq!(b.len(), 5);
    assert!(b.iter().all(|id| !a.contains(id)), "{a:?} then {b:?}");
}
