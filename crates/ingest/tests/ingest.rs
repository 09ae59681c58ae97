//! Ingesting files: the real third-party samples, re-imports, dry runs, providers matched
//! across sources, and deletions that stay in their lane.

use std::path::Path;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use signpost_feeds::{ActivityDraft, Draft, Entry, ProviderDraft, VenueDraft};
use signpost_ingest::{BatchExtras, Ingest, Source, SourceKind};
use signpost_model::{Category, Coordinates, Postcode, Verification};
use signpost_store::{Backend, LinkKind, SqliteStore};

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/samples");

fn store() -> Arc<dyn Backend> {
    Arc::new(SqliteStore::open_in_memory().unwrap())
}

fn ingest(store: &Arc<dyn Backend>) -> Ingest {
    Ingest::new(
        store.clone(),
        Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap(),
    )
}

#[test]
fn every_openactive_and_oruk_sample_is_read_with_a_reason_for_each_refusal() {
    let dir = Path::new(SAMPLES);
    if !dir.exists() {
        eprintln!("skipped: {SAMPLES} is not here");
        return;
    }
    let store = store();
    let mut ing = ingest(&store);
    let mut added = 0;
    for sub in ["openactive", "oruk", "hsds3"] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let wanted = (name.starts_with("fn_") || name.starts_with("dm_"))
                || name.contains("service") && name.ends_with(".json") && !name.contains("schema");
            if !wanted {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let (_, summary) = ing
                .import_text(&name, &text)
                .unwrap_or_else(|e| panic!("{name} could not be read: {e}"));
            for r in &summary.rejected {
                assert!(
                    !r.reason.trim().is_empty(),
                    "{name}: a refusal with no reason"
                );
                assert!(
                    r.at.starts_with(&name),
                    "{name}: refusal does not say where: {r}"
                );
            }
            added += summary.added;
        }
    }
    assert!(added >= 10, "only {added} sample listings were imported");
    // Nothing from a feed is ever verified, and no text kept any markup.
    for p in store.providers().unwrap() {
        assert_eq!(p.verification, Verification::NotChecked, "{}", p.id);
    }
    for a in store.activities().unwrap() {
        assert!(
            !a.title.contains('<') && !a.description.contains("<p>"),
            "{}",
            a.id
        );
    }
}

fn draft(source_id: &str, org: &str, charity: Option<&str>, postcode: &str) -> Entry {
    let mut activity = ActivityDraft::titled(format!("Football {source_id}"));
    activity.categories = vec![Category::Sport];
    activity.venues = vec![VenueDraft {
        name: "Pearson Park".into(),
        address: String::new(),
        postcode: Postcode::parse(postcode).ok(),
        coordinates: Coordinates::new(53.76, -0.35).ok(),
    }];
    Entry::Item(Box::new(Draft {
        source_id: source_id.into(),
        provider: ProviderDraft {
            name: org.into(),
            charity_number: charity.map(str::to_owned),
            ..ProviderDraft::default()
        },
        activity,
    }))
}

fn source(url: &str) -> Source {
    Source {
        url: url.into(),
        kind: SourceKind::OpenActive,
    }
}

#[test]
fn one_organisation_from_two_sources_is_one_provider_and_deletions_stay_in_their_lane() {
    let store = store();
    let mut ing = ingest(&store);
    let a = source("https://a.example.org/feed");
    let b = source("https://b.example.org/feed");
    ing.apply(
        &a,
        vec![draft("1", "Hull Juniors FC", None, "HU5 2TD")],
        BatchExtras::default(),
    )
    .unwrap();
    // Same name (spelt a little differently) at the same postcode: the same organisation.
    ing.apply(
        &b,
        vec![draft("x", "The Hull Juniors F.C.", None, "HU5 2TD")],
        BatchExtras::default(),
    )
    .unwrap();
    // Same name elsewhere, in another source, is a different club.
    let c = source("https://c.example.org/feed");
    ing.apply(
        &c,
        vec![draft("y", "Hull Juniors FC", None, "E15 1AA")],
        BatchExtras::default(),
    )
    .unwrap();
    assert_eq!(store.providers().unwrap().len(), 2);

    // Feed b deletes item "1": that is feed a's listing, so nothing happens to it.
    let s = ing
        .apply(
            &b,
            vec![Entry::Deleted {
                source_id: "1".into(),
            }],
            BatchExtras::default(),
        )
        .unwrap();
    assert_eq!(s.withdrawn, 0);
    let link = store
        .link(&a.url, LinkKind::Activity, "1")
        .unwrap()
        .unwrap();
    assert!(!store.activity(&link.target).unwrap().unwrap().withdrawn);
    let s = ing
        .apply(
            &a,
            vec![Entry::Deleted {
                source_id: "1".into(),
            }],
            BatchExtras::default(),
        )
        .unwrap();
    assert_eq!(s.withdrawn, 1);
    assert!(store.activity(&link.target).unwrap().unwrap().withdrawn);
}

#[test]
fn a_dry_run_counts_the_same_and_writes_nothing() {
    let store = store();
    let csv = "id,provider_name,title,categories,ages,venue_name,venue_lat,venue_lon\n\
               a,Org,Chess,skills-learning,8-12,Library,53.7,-0.3\n\
               b,Org,Draughts,skills-learning,8-12,Library,53.7,-0.3\n";
    let mut dry = ingest(&store).dry_run(true);
    let (_, s) = dry.import_text("club.csv", csv).unwrap();
    assert_eq!((s.added, s.providers_added), (2, 1), "{s}");
    assert!(store.is_empty().unwrap(), "a dry run wrote something");

    let (_, s) = ingest(&store).import_text("club.csv", csv).unwrap();
    assert_eq!((s.added, s.providers_added), (2, 1), "{s}");
    let (_, s) = ingest(&store).import_text("club.csv", csv).unwrap();
    assert_eq!(
        (s.added, s.updated, s.unchanged),
        (0, 0, 2),
        "re-importing changes nothing"
    );
    let generation = store.generation().unwrap();
    ingest(&store).import_text("club.csv", csv).unwrap();
    assert_eq!(
        store.generation().unwrap(),
        generation,
        "no write at all when unchanged"
    );
}

#[test]
fn a_long_file_is_written_in_one_transaction_and_a_repeated_deletion_writes_nothing() {
    let store = store();
    let mut csv =
        String::from("id,provider_name,title,categories,ages,venue_name,venue_lat,venue_lon\n");
    for i in 0..1201 {
        csv.push_str(&format!(
            "r{i},Org,Chess {i},skills-learning,8-12,Library,53.7,-0.3\n"
        ));
    }
    let before = store.generation().unwrap();
    let (_, s) = ingest(&store).import_text("long.csv", &csv).unwrap();
    assert_eq!(s.added, 1201);
    // One write for the whole file: a kill part-way leaves nothing of it.
    assert_eq!(store.generation().unwrap(), before + 1);

    let a = source("https://a.example.org/feed");
    let mut ing = ingest(&store);
    ing.apply(
        &a,
        vec![draft("1", "Club", None, "HU5 2TD")],
        BatchExtras::default(),
    )
    .unwrap();
    let gone = || {
        vec![Entry::Deleted {
            source_id: "1".into(),
        }]
    };
    assert_eq!(
        ing.apply(&a, gone(), BatchExtras::default())
            .unwrap()
            .withdrawn,
        1
    );
    let generation = store.generation().unwrap();
    assert_eq!(
        ing.apply(&a, gone(), BatchExtras::default())
            .unwrap()
            .withdrawn,
        0
    );
    assert_eq!(
        store.generation().unwrap(),
        generation,
        "a second deletion rewrote the listing"
    );
}

/// Dockside Boxing Academy, checked by a named checker, with its (public) charity number.
fn checked_dockside(store: &Arc<dyn Backend>) -> signpost_model::Provider {
    let mut p =
        signpost_model::fixture::provider("dockside-boxing-academy", "Dockside Boxing Academy");
    p.charity_number = Some("1187654".into());
    p.postcode = Postcode::parse("HU9 1AA").ok();
    p.verification = Verification::Verified(signpost_model::VerificationCheck {
        checked_by: "J. Okafor".into(),
        on_behalf_of: "Hull Social Prescribing Service".into(),
        checked_on: chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
        evidence: "Policy, DBS certificates".into(),
        expires_on: chrono::NaiveDate::from_ymd_opt(2027, 9, 1).unwrap(),
    });
    store.upsert_provider(&p).unwrap();
    p
}

/// Every listing a source's record became, with its provider.
fn providers_of_listings(store: &Arc<dyn Backend>, source: &str) -> Vec<signpost_model::Provider> {
    store
        .links_of(source, LinkKind::Activity)
        .unwrap()
        .into_iter()
        .map(|l| {
            let a = store.activity(&l.target).unwrap().unwrap();
            store.provider(&a.provider_id).unwrap().unwrap()
        })
        .collect()
}

fn assert_not_borrowed(
    store: &Arc<dyn Backend>,
    source: &str,
    dockside: &signpost_model::Provider,
) {
    let providers = providers_of_listings(store, source);
    assert!(!providers.is_empty(), "{source} made no listing");
    for p in &providers {
        assert_ne!(
            p.id, dockside.id,
            "{source}: the listing went to the checked organisation"
        );
        assert_eq!(
            p.verification,
            Verification::NotChecked,
            "{source}: {}",
            p.id
        );
    }
    let claims = store.open_claims().unwrap();
    let claim = claims
        .iter()
        .find(|c| c.source == source)
        .unwrap_or_else(|| panic!("no claim for a checker from {source}: {claims:?}"));
    assert_eq!(claim.claimed, dockside.id);
    assert_eq!(claim.interim, providers[0].id);
    assert!(claim.reason.contains("1187654"), "{}", claim.reason);
    // Nothing about the checked organisation changed.
    assert_eq!(store.provider(&dockside.id).unwrap().unwrap(), *dockside);
}

#[test]
fn a_feed_quoting_a_checked_organisations_charity_number_cannot_borrow_its_check() {
    let store = store();
    let dockside = checked_dockside(&store);
    let feed = source("https://someone-else.example/feed");
    let mut ing = ingest(&store);
    let s = ing
        .apply(
            &feed,
            vec![draft("1", "Someone Else Ltd", Some("1187654"), "HU9 1AA")],
            BatchExtras::default(),
        )
        .unwrap();
    assert_eq!((s.added, s.providers_added, s.claims), (1, 1, 1), "{s}");
    assert_not_borrowed(&store, &feed.url, &dockside);

    // Even the right name with the number is only a claim: the feed is not the organisation
    // until a checker says so.
    let copycat = source("https://copycat.example/feed");
    ingest(&store)
        .apply(
            &copycat,
            vec![draft(
                "1",
                "Dockside Boxing Academy",
                Some("1187654"),
                "HU9 1AA",
            )],
            BatchExtras::default(),
        )
        .unwrap();
    assert_not_borrowed(&store, &copycat.url, &dockside);

    // Reading the feed again asks nothing new and keeps the listing where it is.
    let s = ingest(&store)
        .apply(
            &feed,
            vec![
                draft("1", "Someone Else Ltd", Some("1187654"), "HU9 1AA"),
                draft("2", "Someone Else Ltd", Some("1187654"), "HU9 1AA"),
            ],
            BatchExtras::default(),
        )
        .unwrap();
    assert_eq!((s.added, s.providers_added, s.claims), (1, 0, 0), "{s}");
    assert_eq!(store.open_claims().unwrap().len(), 2);
    assert_not_borrowed(&store, &feed.url, &dockside);
}

#[test]
fn a_csv_row_quoting_a_checked_organisations_charity_number_cannot_borrow_its_check() {
    let store = store();
    let dockside = checked_dockside(&store);
    let csv = "id,provider_name,provider_charity_number,title,categories,ages,venue_name,venue_lat,venue_lon\n\
               a,Someone Else Ltd,1187654,Boxing,sport,11-16,Gym,53.74,-0.30\n";
    let (_, s) = ingest(&store).import_text("borrowed.csv", csv).unwrap();
    assert_eq!((s.added, s.claims), (1, 1), "{s}");
    assert_not_borrowed(&store, "file:borrowed.csv", &dockside);
}

#[test]
fn an_oruk_file_quoting_a_checked_organisations_charity_number_cannot_borrow_its_check() {
    let store = store();
    let dockside = checked_dockside(&store);
    let oruk = serde_json::json!({
        "total_items": 1, "total_pages": 1, "page_number": 1, "size": 1,
        "contents": [{
            "id": "svc-1",
            "name": "Boxing for teens",
            "description": "Boxing.",
            "status": "active",
            "organization": {
                "id": "org-1",
                "name": "Someone Else Ltd",
                "organization_identifiers": [
                    {"id": "oi-1", "identifier_scheme": "GB-CHC", "identifier": "1187654"}
                ]
            },
            "service_at_locations": [{"id": "sal-1", "location": {
                "id": "loc-1", "name": "Gym", "latitude": 53.74, "longitude": -0.30
            }}]
        }]
    });
    let (_, s) = ingest(&store)
        .import_text("borrowed.json", &oruk.to_string())
        .unwrap();
    assert_eq!((s.added, s.claims), (1, 1), "{s}");
    assert_not_borrowed(&store, "file:borrowed.json", &dockside);
}

#[test]
fn a_record_renamed_within_one_batch_is_one_listing_changed_in_place() {
    let store = store();
    let feed = source("https://a.example.org/feed");
    let renamed = |title: &str| {
        let Entry::Item(mut d) = draft("1", "Hull Juniors FC", None, "HU5 2TD") else {
            unreachable!()
        };
        d.activity.title = title.into();
        Entry::Item(d)
    };
    let mut ing = ingest(&store);
    ing.apply(
        &feed,
        vec![renamed("Saturday Football")],
        BatchExtras::default(),
    )
    .unwrap();
    let first = store.activities().unwrap()[0].id.clone();
    // Renamed twice over in one batch (an RPDE page, a file), then again in another run.
    let s = ing
        .apply(
            &feed,
            vec![renamed("Saturday Soccer"), renamed("Saturday Futsal")],
            BatchExtras::default(),
        )
        .unwrap();
    assert_eq!((s.added, s.updated), (0, 1), "{s}");
    let s = ingest(&store)
        .apply(
            &feed,
            vec![renamed("Saturday Five-a-side")],
            BatchExtras::default(),
        )
        .unwrap();
    assert_eq!((s.added, s.updated), (0, 1), "{s}");
    let all = store.activities().unwrap();
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(all[0].id, first, "its address stays");
    assert_eq!(all[0].title, "Saturday Five-a-side");

    // A new record renamed within the batch that brings it is one listing too.
    let other = source("https://b.example.org/feed");
    let s = ingest(&store)
        .apply(
            &other,
            vec![renamed("Chess"), renamed("Chess Club")],
            BatchExtras::default(),
        )
        .unwrap();
    assert_eq!(s.added, 1, "{s}");
    assert_eq!(store.activities().unwrap().len(), 2);
}

#[test]
fn listings_an_old_rename_left_behind_are_withdrawn_once() {
    let store = store();
    let feed = source("https://a.example.org/feed");
    ingest(&store)
        .apply(
            &feed,
            vec![draft("1", "Hull Juniors FC", None, "HU5 2TD")],
            BatchExtras::default(),
        )
        .unwrap();
    ingest(&store)
        .apply(
            &feed,
            vec![draft("2", "Hull Juniors FC", None, "HU5 2TD")],
            BatchExtras::default(),
        )
        .unwrap();
    // What the old bug left: record 1's link moved to a second listing, the first left live.
    let kept = store
        .link(&feed.url, LinkKind::Activity, "1")
        .unwrap()
        .unwrap()
        .target;
    let mut copy = store.activity(&kept).unwrap().unwrap();
    copy.id = signpost_model::Id::parse(&format!("{}-2", kept)).unwrap();
    copy.title = "Renamed".into();
    store.upsert_activity(&copy).unwrap();
    store
        .write_source_batch(&signpost_store::SourceBatch {
            source: feed.url.clone(),
            kind: "openactive".into(),
            links: vec![signpost_store::Link {
                source: feed.url.clone(),
                kind: LinkKind::Activity,
                source_id: "1".into(),
                target: copy.id.clone(),
                fingerprint: String::new(),
            }],
            ..Default::default()
        })
        .unwrap();
    // And a listing made by a person, which no source ever linked.
    store
        .upsert_activity(&signpost_model::fixture::activity(
            "club-listing-abcdefgh",
            store.activity(&kept).unwrap().unwrap().provider_id.as_str(),
            "Made by hand",
        ))
        .unwrap();

    let now = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
    assert_eq!(signpost_ingest::withdraw_orphans(&*store, now).unwrap(), 1);
    assert!(
        store.activity(&kept).unwrap().unwrap().withdrawn,
        "the orphan"
    );
    assert!(!store.activity(&copy.id).unwrap().unwrap().withdrawn);
    let two = store
        .link(&feed.url, LinkKind::Activity, "2")
        .unwrap()
        .unwrap()
        .target;
    assert!(!store.activity(&two).unwrap().unwrap().withdrawn);
    assert!(
        !store
            .activity(&signpost_model::Id::parse("club-listing-abcdefgh").unwrap())
            .unwrap()
            .unwrap()
            .withdrawn
    );
    let history = store
        .audit(
            &store.activity(&kept).unwrap().unwrap().provider_id,
            Some(&kept),
        )
        .unwrap();
    assert_eq!(history[0].action, "withdrawn");
    // Once only.
    store
        .upsert_activity(
            &store
                .activity(&kept)
                .unwrap()
                .map(|mut a| {
                    a.withdrawn = false;
                    a
                })
                .unwrap(),
        )
        .unwrap();
    assert_eq!(signpost_ingest::withdraw_orphans(&*store, now).unwrap(), 0);
}

#[test]
fn the_same_file_under_another_name_changes_nothing() {
    let store = store();
    let csv = "id,provider_name,title,categories,ages,venue_name,venue_lat,venue_lon\n\
               a,Org,Chess,skills-learning,8-12,Library,53.7,-0.3\n\
               b,Org,Draughts,skills-learning,8-12,Library,53.7,-0.3\n";
    let (_, s) = ingest(&store).import_text("club.csv", csv).unwrap();
    assert_eq!((s.added, s.providers_added), (2, 1), "{s}");
    let generation = store.generation().unwrap();
    // A browser saves the second download as "club (1).csv".
    let (_, s) = ingest(&store).import_text("club (1).csv", csv).unwrap();
    assert_eq!((s.added, s.unchanged, s.providers_added), (0, 2, 0), "{s}");
    assert_eq!(store.activities().unwrap().len(), 2);
    assert_eq!(store.providers().unwrap().len(), 1);
    assert_eq!(
        store.generation().unwrap(),
        generation,
        "no listing written"
    );
    // That file's later versions update the same listings.
    let changed = csv.replace("Draughts", "Draughts Club");
    let (_, s) = ingest(&store)
        .import_text("club (1).csv", &changed)
        .unwrap();
    assert_eq!((s.added, s.updated, s.unchanged), (0, 1, 1), "{s}");
    assert_eq!(store.activities().unwrap().len(), 2);
    // A row whose details differ is not the same row, whatever its id says: another
    // organisation's file with an "a" row makes a listing of its own.
    let other = "id,provider_name,title,categories,ages,venue_name,venue_lat,venue_lon\n\
                 a,Another Org,Chess,skills-learning,8-12,Library,53.7,-0.3\n";
    let (_, s) = ingest(&store).import_text("other.csv", other).unwrap();
    assert_eq!(s.added, 1, "{s}");
}

#[test]
fn two_organisations_a_file_keeps_apart_stay_apart_though_they_share_a_number() {
    // An export of two clubs that share a charity number (and a name, and a town).
    let store = store();
    let csv = "id,provider_id,provider_name,provider_charity_number,title,categories,ages,venue_name,venue_postcode,venue_lat,venue_lon\n\
               a,hull-fc-east,Hull FC,1100001,Chess,skills-learning,8-12,Library,HU5 2TD,53.7,-0.3\n\
               b,hull-fc-west,Hull FC,1100001,Draughts,skills-learning,8-12,Library,HU5 2TD,53.7,-0.3\n";
    let (_, s) = ingest(&store).import_text("export.csv", csv).unwrap();
    assert_eq!((s.added, s.providers_added, s.claims), (2, 2, 0), "{s}");
    let owners: std::collections::BTreeSet<String> = store
        .activities()
        .unwrap()
        .into_iter()
        .map(|a| a.provider_id.to_string())
        .collect();
    assert_eq!(
        owners.into_iter().collect::<Vec<_>>(),
        ["hull-fc-east", "hull-fc-west"]
    );
}

#[test]
fn a_copied_file_cannot_take_over_a_checked_organisation() {
    let store = store();
    let csv = "id,provider_name,title,categories,ages,venue_name,venue_lat,venue_lon\n\
               a,Org,Chess,skills-learning,8-12,Library,53.7,-0.3\n";
    ingest(&store).import_text("club.csv", csv).unwrap();
    // A checker checks the organisation the file made.
    let mut org = store.providers().unwrap().remove(0);
    org.verification = Verification::SelfDeclared { declared_on: None };
    store.upsert_provider(&org).unwrap();
    // Someone copies the public row into a file of their own, with a second row.
    let copy = format!("{csv}b,Org,Boxing,sport,11-16,Gym,53.7,-0.3\n");
    let (_, s) = ingest(&store).import_text("copy.csv", &copy).unwrap();
    assert_eq!(s.added, 2, "the copy is not the organisation's file: {s}");
    for l in store.links_of("file:copy.csv", LinkKind::Activity).unwrap() {
        let a = store.activity(&l.target).unwrap().unwrap();
        assert_ne!(
            a.provider_id, org.id,
            "{} went to the checked organisation",
            a.title
        );
    }
}

#[test]
fn a_signpost_export_from_before_uuids_then_one_after_is_the_same_listings() {
    let store = store();
    // Before: the service and organisation went by their Signpost ids.
    let attrs = |link: &str| {
        serde_json::json!([{"id": format!("{link}--gender"), "link_id": link,
            "taxonomy_term_id": "signpost:gender", "value": "girls",
            "taxonomy_term": {"id": "signpost:gender", "name": "Who can join"}}])
    };
    let service = |id: &str, org_id: &str, attributes: serde_json::Value, org_attributes| {
        serde_json::json!({
            "total_items": 1, "total_pages": 1, "page_number": 1, "size": 1,
            "contents": [{
                "id": id, "name": "Girls Boxing", "description": "Boxing.", "status": "active",
                "attributes": attributes,
                "organization": {"id": org_id, "name": "Dockside Boxing Academy",
                    "attributes": org_attributes},
                "service_at_locations": [{"id": "sal-1", "location": {
                    "id": "loc-1", "name": "Gym", "latitude": 53.74, "longitude": -0.30
                }}]
            }]
        })
        .to_string()
    };
    let before = service(
        "girls-boxing",
        "dockside",
        attrs("girls-boxing"),
        attrs("dockside"),
    );
    let (_, s) = ingest(&store)
        .import_text("directory.json", &before)
        .unwrap();
    assert_eq!((s.added, s.rejected.len()), (1, 0), "{s}");
    // After: UUIDs, with the Signpost ids in signpost:id.
    let with_id = |link: &str| {
        let mut a = attrs(link);
        a.as_array_mut().unwrap().push(serde_json::json!({
            "id": "x", "link_id": "x", "value": link,
            "taxonomy_term": {"id": "y", "code": "signpost:id"}
        }));
        a
    };
    let after = service(
        &signpost_model::public_uuid("service", "girls-boxing"),
        &signpost_model::public_uuid("organization", "dockside"),
        with_id("girls-boxing"),
        with_id("dockside"),
    );
    let (_, s) = ingest(&store)
        .import_text("directory.json", &after)
        .unwrap();
    assert_eq!((s.added, s.updated, s.unchanged), (0, 0, 1), "{s}");
    assert_eq!(
        store.providers().unwrap().len(),
        1,
        "one organisation still"
    );
}

/// A directory file: one checked provider and one listing, in Hull.
fn directory_file(title: &str) -> String {
    serde_json::json!({
        "format": "signpost-directory", "version": 1,
        "postcodes": [{"postcode": "HU5", "lat": 53.7596, "lon": -0.3752, "town": "Hull"}],
        "providers": [{
            "id": "example-club", "name": "Example Club",
            "verification": {"status": "verified", "checked_by": "R. Patel, link worker",
                "on_behalf_of": "Hull Social Prescribing Service", "checked_on": "2026-09-01",
                "evidence": "Policy reviewed"}
        }],
        "activities": [{
            "id": "example-club-football", "provider_id": "example-club",
            "title": title, "categories": ["sport"], "ages": "8-13",
            "venues": [{"name": "Community Hall", "lat": 53.761, "lon": -0.372}],
            "last_updated": "2026-10-02T09:30:00Z"
        }]
    })
    .to_string()
}

#[test]
fn a_directory_file_is_reported_like_any_file_and_keeps_its_ids_and_checks() {
    let store = store();
    let file = directory_file("Saturday Football");
    let (format, s) = ingest(&store)
        .load_directory_files(true)
        .dry_run(true)
        .import_text("mine.json", &file)
        .unwrap();
    assert_eq!(format, signpost_ingest::Format::Directory);
    assert_eq!((s.added, s.providers_added, s.places), (1, 1, 2), "{s}");
    assert!(store.is_empty().unwrap(), "a dry run wrote");

    let (_, s) = ingest(&store)
        .load_directory_files(true)
        .import_text("mine.json", &file)
        .unwrap();
    assert_eq!((s.added, s.updated, s.unchanged), (1, 0, 0), "{s}");
    let provider = store
        .provider(&signpost_model::Id::parse("example-club").unwrap())
        .unwrap();
    assert!(
        provider.is_some_and(|p| p.vouched_for()),
        "the file's check was not kept"
    );
    assert!(
        store
            .activity(&signpost_model::Id::parse("example-club-football").unwrap())
            .unwrap()
            .is_some()
    );

    // Again, under any name: no listing or provider changes.
    let generation = store.generation().unwrap();
    let (_, s) = ingest(&store)
        .load_directory_files(true)
        .import_text("copy.json", &file)
        .unwrap();
    assert_eq!(
        (s.added, s.updated, s.unchanged, s.changed()),
        (0, 0, 1, 0),
        "{s}"
    );
    assert_eq!(s.providers_added, 0);

    let (_, s) = ingest(&store)
        .load_directory_files(true)
        .import_text("mine.json", &directory_file("Sunday Football"))
        .unwrap();
    assert_eq!((s.added, s.updated, s.unchanged), (0, 1, 0), "{s}");
    assert!(store.generation().unwrap() > generation);

    // A renewed check alone is a change, and says so.
    let mut renewed: serde_json::Value =
        serde_json::from_str(&directory_file("Sunday Football")).unwrap();
    renewed["providers"][0]["verification"]["checked_on"] = "2026-11-01".into();
    let (_, s) = ingest(&store)
        .load_directory_files(true)
        .import_text("mine.json", &renewed.to_string())
        .unwrap();
    assert_eq!(
        (s.providers_updated, s.unchanged, s.changed()),
        (1, 1, 1),
        "{s}"
    );
    assert!(s.to_string().contains("1 providers changed"), "{s}");
}

#[test]
fn a_dry_run_of_several_directory_files_reports_what_the_real_run_does() {
    let first = directory_file("Saturday Football");
    // A second file naming the first one's provider, and repeating its listing.
    let mut second: serde_json::Value = serde_json::from_str(&first).unwrap();
    second["providers"] = serde_json::json!([]);
    let listing = second["activities"][0].clone();
    let mut another = listing.clone();
    another["id"] = "example-club-netball".into();
    another["title"] = "Netball".into();
    second["activities"] = serde_json::json!([listing, another]);
    let second = second.to_string();
    let run = |dry: bool, store: &Arc<dyn Backend>| {
        let mut ing = ingest(store).load_directory_files(true).dry_run(dry);
        ["a.json", "b.json"]
            .iter()
            .zip([&first, &second])
            .map(|(name, text)| {
                let (_, s) = ing.import_text(name, text).unwrap();
                (s.added, s.updated, s.unchanged, s.providers_added)
            })
            .collect::<Vec<_>>()
    };
    let store = store();
    let dry = run(true, &store);
    assert!(store.is_empty().unwrap());
    let real = run(false, &store);
    assert_eq!(dry, real);
    assert_eq!(real, [(1, 0, 0, 1), (1, 0, 1, 0)]);
}

#[test]
fn a_directory_file_is_refused_whole_with_every_problem_or_when_not_allowed() {
    let store = store();
    let mut bad: serde_json::Value =
        serde_json::from_str(&directory_file("Saturday Football")).unwrap();
    let refusal = |file: &serde_json::Value| {
        ingest(&store)
            .load_directory_files(true)
            .import_text("bad.json", &file.to_string())
            .unwrap_err()
            .to_string()
    };
    bad["activities"][0]["categories"] = serde_json::json!(["quidditch"]);
    let err = refusal(&bad);
    for said in [
        "bad.json",
        "'quidditch' is not a category",
        "nothing was changed",
    ] {
        assert!(err.contains(said), "{said}: {err}");
    }
    // Every problem at once, so the file is fixed in one pass.
    bad["activities"][0]["categories"] = serde_json::json!(["sport"]);
    let listing = bad["activities"][0].clone();
    bad["activities"] = serde_json::json!([listing, listing]);
    bad["places"] =
        serde_json::json!([{"name": "Far", "lat": 53.7, "lon": -0.3, "radius_km": 900}]);
    let err = refusal(&bad);
    for said in ["appears more than once", "place Far: radius_km"] {
        assert!(err.contains(said), "{said}: {err}");
    }
    // A listing whose provider is nowhere: the file is refused whole.
    bad["activities"] = serde_json::json!([bad["activities"][0].clone()]);
    bad["activities"][0]["provider_id"] = "nobody".into();
    bad["places"] = serde_json::json!([]);
    let err = ingest(&store)
        .load_directory_files(true)
        .import_text("bad.json", &bad.to_string())
        .unwrap_err()
        .to_string();
    assert!(err.contains("'nobody' is not in the file"), "{err}");
    assert!(store.is_empty().unwrap());
    assert_eq!(store.postcode_count().unwrap(), 0);

    // Anything that hands ingest text it did not choose cannot plant a check.
    let err = ingest(&store)
        .import_text("mine.json", &directory_file("Saturday Football"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("only `signpost import` loads"), "{err}");
    assert!(store.is_empty().unwrap());
}
