//! Writing and reading the template: every field back as it went in, every refusal named.

use super::*;
use chrono::Weekday;
use signpost_model::{Email, Phone, WebUrl};

fn items(entries: Vec<Entry>) -> Vec<Draft> {
    entries
        .into_iter()
        .map(|e| match e {
            Entry::Item(d) => *d,
            other => panic!("expected an item, got {other:?}"),
        })
        .collect()
}

fn rejections(entries: &[Entry]) -> Vec<&Rejection> {
    entries
        .iter()
        .filter_map(|e| match e {
            Entry::Rejected(r) => Some(r),
            _ => None,
        })
        .collect()
}

/// A header for the required columns plus `extra`, and rows written in the same order.
fn csv(extra: &str, rows: &[&str]) -> String {
    let mut out = format!("id,provider_name,title{extra}\n");
    for r in rows {
        out.push_str(r);
        out.push('\n');
    }
    out
}

#[test]
fn the_template_reads_back_as_its_example() {
    let text = template_csv();
    assert!(text.starts_with("id,provider_name,provider_id,provider_charity_number,"));
    let drafts = items(read(&text));
    assert_eq!(drafts.len(), 1);
    let d = &drafts[0];
    assert_eq!(d.source_id, "riverside-tue-club");
    assert_eq!(d.provider.name, "Riverside Youth Trust");
    assert_eq!(d.provider.charity_number.as_deref(), Some("1234567"));
    assert_eq!(
        d.provider.postcode,
        Some(Postcode::parse("HU5 2AA").unwrap())
    );
    let a = &d.activity;
    assert_eq!(a.title, "Tuesday Youth Club");
    assert!(a.description.contains("\nCome with friends"));
    assert_eq!(a.categories, vec![Category::YouthClub, Category::Music]);
    assert_eq!(a.ages, Some(AgeRange::years(11, 16).unwrap()));
    assert_eq!(a.cost.price_pence, Some(100));
    assert!(!a.cost.free);
    assert_eq!(a.schedule.weekly.len(), 1);
    assert_eq!(a.schedule.weekly[0].day, Weekday::Tue);
    assert_eq!(a.schedule.exceptions.len(), 1);
    assert_eq!(a.venues.len(), 1);
    assert_eq!(
        a.venues[0].postcode,
        Some(Postcode::parse("HU5 3AB").unwrap())
    );
    assert!(a.venues[0].coordinates.is_some());
    assert!(a.access.wheelchair && a.access.send_friendly && !a.access.quiet_sessions);
    assert_eq!(
        a.access.languages,
        vec!["Polish".to_owned(), "Arabic".to_owned()]
    );
    assert_eq!(a.join.methods, vec![JoinMethod::DropIn]);
    assert_eq!(a.join.contact.name.as_deref(), Some("Sam Taylor"));
    assert_eq!(a.join.notes, "Just turn up; your first session is free.");
    assert_eq!(
        a.updated.map(|t| t.date_naive().to_string()).as_deref(),
        Some("2026-01-15")
    );
    assert_eq!(a.confirmed, Some("2026-01-15".parse().unwrap()));
    assert_eq!(
        a.terms,
        vec!["Youth clubs".to_owned(), "Cooking".to_owned()]
    );
    let p = &d.provider;
    assert_eq!(
        p.signpost_id.as_ref().map(Id::as_str),
        Some("riverside-youth-trust")
    );
    assert!(p.description.starts_with("A youth charity"));
    let s = p.safeguarding.as_ref().unwrap();
    assert_eq!(
        s.designated_lead_role.as_deref(),
        Some("Youth Work Manager")
    );
    assert!(s.enhanced_dbs && s.first_aid);
    assert_eq!(
        p.verification,
        Some(Verification::SelfDeclared {
            declared_on: Some("2026-01-10".parse().unwrap())
        })
    );
    // Every column is in the template, once, and every column is documented.
    assert_eq!(EXAMPLE.len(), COLUMNS.len());
    for (name, _, help) in COLUMNS {
        assert!(!help.is_empty(), "{name}");
    }
}

#[test]
fn bad_rows_report_their_physical_line_even_after_a_multiline_cell() {
    let text = csv(
        ",description,schedule,venue_postcode,online",
        &[
            "a,Org,Football,\"Line one\nline two\nline three\",saturday 10:00-11:00,HU5 3AB,",
            "",
            "b,Org,Netball,,funday 10:00-11:00,HU5 3AB,",
            "c,Org,,,,,maybe",
        ],
    );
    let entries = read(&text);
    assert_eq!(entries.len(), 3, "the blank line is skipped: {entries:?}");
    assert!(matches!(entries[0], Entry::Item(_)));
    let bad = rejections(&entries);
    assert_eq!(bad.len(), 2);
    // Header 1, row a 2-4, blank 5, row b 6, row c 7.
    assert_eq!(bad[0].at, "line 6");
    assert!(
        bad[0].reason.contains("'funday' is not a day"),
        "{}",
        bad[0].reason
    );
    assert_eq!(bad[1].at, "line 7");
    let reason = &bad[1].reason;
    for expected in [
        "title is required",
        "online 'maybe' should be yes or no",
        "give a venue",
    ] {
        assert!(reason.contains(expected), "{expected}: {reason}");
    }
}

#[test]
fn line_numbers_hold_with_crlf_and_several_blank_lines() {
    let text = "id,provider_name,title\r\n\r\n\r\nx,,Club\r\n\r\n\"y\",Org,\"Two\r\nlines\"\r\nz,,Club\r\n";
    let entries = read(text);
    let at: Vec<&str> = rejections(&entries).iter().map(|r| r.at.as_str()).collect();
    assert_eq!(at, vec!["line 4", "line 6", "line 8"]);
}

#[test]
fn every_problem_in_a_row_is_in_one_reason() {
    let text = csv(
        ",categories,ages,gender,price,free,venue_postcode,venue_lat,contact_email,join,last_updated",
        &["x,Org,Club,quidditch,16-11,robots,3.505,yes,ZZ,91,nobody,phone me,15/01/2026"],
    );
    let entries = read(&text);
    let bad = rejections(&entries);
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].at, "line 2");
    let reason = &bad[0].reason;
    for expected in [
        "'quidditch' is not a category; choose from: sport, arts-crafts",
        "ages:",
        "gender 'robots'",
        "price '3.505' is not an amount",
        "venue_postcode:",
        "give both venue_lat and venue_lon",
        "contact_email 'nobody' is not an email address",
        "join: 'phone me' not understood; choose from: drop-in",
        "last_updated '15/01/2026'",
    ] {
        assert!(reason.contains(expected), "{expected}: {reason}");
    }
}

#[test]
fn header_problems_are_one_rejection_for_line_one() {
    let entries = read("id,provider_name,titel,colour\nx,Org,Club,red\n");
    assert_eq!(entries.len(), 1);
    let bad = rejections(&entries);
    assert_eq!(bad[0].at, "line 1");
    let reason = &bad[0].reason;
    assert!(
        reason.contains("unknown columns 'titel', 'colour'"),
        "{reason}"
    );
    assert!(
        reason.contains("required column is missing: title"),
        "{reason}"
    );
    let entries = read("id,id,provider_name,title\n");
    assert!(
        rejections(&entries)[0]
            .reason
            .contains("id appears more than once")
    );
    assert_eq!(rejections(&read(""))[0].at, "line 1");
}

#[test]
fn a_bom_and_friendly_headers_are_accepted() {
    let text = "\u{feff}ID,Provider Name,Title,Online,Categories\r\nx,Org,Chess club,YES,skills-learning\r\n";
    let drafts = items(read(text));
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0].source_id, "x");
    assert!(drafts[0].activity.online);
    assert_eq!(
        drafts[0].activity.categories,
        vec![Category::SkillsLearning]
    );
}

#[test]
fn categories_fall_back_to_the_title_then_refuse() {
    let text = csv(",online", &["a,Org,Street dance,y", "b,Org,Tuesday club,y"]);
    let entries = read(&text);
    let Entry::Item(d) = &entries[0] else {
        panic!("{entries:?}")
    };
    assert_eq!(d.activity.categories, vec![Category::DanceDrama]);
    let bad = rejections(&entries);
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].at, "line 3");
    assert!(
        bad[0].reason.contains("none can be worked out"),
        "{}",
        bad[0].reason
    );
}

#[test]
fn yes_no_price_and_duplicates() {
    let text = csv(
        ",online,free,price,wheelchair,quiet_sessions",
        &[
            "a,Org,Football,TRUE,n,£2.5,1,0",
            "b,Org,Football,true,,0,,",
            "a,Org,Football,true,yes,4,,",
            "c,Org,Football,true,,-1,,",
        ],
    );
    let entries = read(&text);
    let Entry::Item(a) = &entries[0] else {
        panic!("{entries:?}")
    };
    assert_eq!(a.activity.cost.price_pence, Some(250));
    assert!(a.activity.access.wheelchair && !a.activity.access.quiet_sessions);
    let Entry::Item(b) = &entries[1] else {
        panic!("{entries:?}")
    };
    assert!(b.activity.cost.free && b.activity.cost.price_pence.is_none());
    let bad = rejections(&entries);
    assert_eq!(bad.len(), 2);
    assert!(
        bad[0].reason.contains("id 'a' is already used on line 2"),
        "{}",
        bad[0].reason
    );
    assert!(
        bad[0].reason.contains("free is yes but price is 4"),
        "{}",
        bad[0].reason
    );
    assert!(bad[1].reason.contains("price '-1'"), "{}", bad[1].reason);
}

#[test]
fn html_is_text_and_extra_cells_are_caught() {
    let text = csv(
        ",description,online",
        &[
            "a,Org,<b>Judo</b>,<p>Throws &amp; holds</p><script>x()</script>,yes",
            "b,Org,Judo,Fun, games,yes",
        ],
    );
    let entries = read(&text);
    let Entry::Item(a) = &entries[0] else {
        panic!("{entries:?}")
    };
    assert_eq!(a.activity.title, "Judo");
    assert_eq!(a.activity.description, "Throws & holds");
    let bad = rejections(&entries);
    assert!(
        bad[0]
            .reason
            .contains("the row has 6 cells but the header has 5"),
        "{}",
        bad[0].reason
    );
}

#[test]
fn a_venue_needs_a_place() {
    let text = csv(
        ",venue_name,venue_postcode,venue_lat,venue_lon",
        &[
            "a,Org,Football,Hall,,,",
            "b,Org,Football,,,53.76,-0.35",
            "c,Org,Football,Hall,,100,1",
        ],
    );
    let entries = read(&text);
    let bad = rejections(&entries);
    assert_eq!(bad.len(), 2);
    assert!(
        bad[0].reason.contains("the venue needs a venue_postcode"),
        "{}",
        bad[0].reason
    );
    assert!(bad[1].reason.contains("latitude 100"), "{}", bad[1].reason);
    let Entry::Item(b) = &entries[1] else {
        panic!("{entries:?}")
    };
    assert!(b.activity.venues[0].coordinates.is_some());
}

#[test]
fn nonsense_never_panics() {
    for text in [
        "\"",
        "id\n\"unterminated",
        ",,,\n,,,",
        "id,provider_name,title\n\u{0}",
        "\u{feff}",
    ] {
        let _ = read(text);
    }
}

// ---- write, then read: the export round trip ----

use chrono::TimeZone;
use signpost_model::fixture;
use signpost_model::{DatedSession, SessionTime, TermPattern, Venue, WeeklySession};

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn place(name: &str, address: &str, postcode: Option<&str>, lat: f64, lon: f64) -> Venue {
    Venue {
        name: name.to_owned(),
        address: address.to_owned(),
        postcode: postcode.map(|p| Postcode::parse(p).unwrap()),
        coordinates: signpost_model::Coordinates::new(lat, lon).unwrap(),
    }
}

fn check(by: &str, on: &str, expires: &str) -> Verification {
    Verification::Verified(
        VerificationCheck::new(
            by.to_owned(),
            "Hull Social Prescribing Service".to_owned(),
            day(on),
            "Policy (reviewed Mar 2026), DBS certificates for 4 staff;\ninsurance schedule"
                .to_owned(),
            Some(day(expires)),
        )
        .unwrap(),
    )
}

/// Providers with every kind of safeguarding record and check, and awkward text.
fn providers() -> Vec<Provider> {
    let full = Safeguarding {
        policy: Some(SafeguardingPolicy {
            last_reviewed: Some(day("2026-03-01")),
        }),
        designated_lead_role: Some("Club Welfare Officer".to_owned()),
        enhanced_dbs: true,
        insurance_expires: Some(day("2027-03-31")),
        first_aid: true,
    };
    let verified = Provider {
        description:
            "Football, netball and \"fun\" for everyone.\n\nRun by volunteers, since 1987."
                .to_owned(),
        website: WebUrl::parse("https://riverside.example.org/?a=1&b=2").ok(),
        phone: Phone::parse("+44 1632 960123").ok(),
        charity_number: Some("1234567".to_owned()),
        company_number: Some("09876543".to_owned()),
        postcode: Some(Postcode::parse("HU5 2AA").unwrap()),
        safeguarding: full.clone(),
        verification: check("J. O'Kafor, link worker", "2026-01-10", "2027-01-10"),
        ..fixture::provider("riverside", "Riverside Youth Trust, Hull")
    };
    let expired = Provider {
        safeguarding: Safeguarding {
            policy: Some(SafeguardingPolicy::default()),
            ..full.clone()
        },
        verification: check("=cmd|' /C calc'!A0", "2024-01-01", "2025-01-01"),
        ..fixture::provider("old-check", "@Old Check Club")
    };
    let declared = Provider {
        safeguarding: Safeguarding {
            designated_lead_role: Some("-Youth Lead".to_owned()),
            ..Safeguarding::default()
        },
        verification: Verification::SelfDeclared {
            declared_on: Some(day("2026-02-02")),
        },
        charity_number: Some("SC012345".to_owned()),
        ..fixture::provider("declared", "+Plus Arts")
    };
    let declared_undated = Provider {
        verification: Verification::SelfDeclared { declared_on: None },
        ..fixture::provider("declared-undated", "Quiet Readers")
    };
    // Two organisations with one name: only their ids tell them apart.
    let bare = Provider::named(fixture::id("st-johns-hull"), "St John's Church");
    let bare_twin = Provider::named(fixture::id("st-johns-truro"), "St John's Church");
    vec![
        verified,
        expired,
        declared,
        declared_undated,
        bare,
        bare_twin,
    ]
}

/// Activities covering every field's odd cases.
fn activities() -> Vec<Activity> {
    let base = fixture::activity;
    let mut out = vec![base(
        "plain-saturday-football",
        "riverside",
        "Saturday Football",
    )];

    let mut two = base(
        "two-venues-baby-group",
        "riverside",
        "Baby & Me, \"Rhyme Time\"",
    );
    two.ages = AgeRange::parse("0m-18m").unwrap();
    two.categories = vec![Category::Family, Category::Music];
    two.venues = vec![
        place("=Library", "", None, 53.7676, -0.3573),
        place(
            "Hall, upstairs",
            "12 Chanterlands Avenue, Hull",
            Some("HU5 3AB"),
            53.75,
            -0.36,
        ),
    ];
    two.terms = vec!["Baby groups".to_owned(), "Arts, crafts".to_owned()];
    out.push(two);

    let mut unstated = base("ages-unknown", "old-check", "Open Gym");
    unstated.age_not_stated = true;
    unstated.ages = AgeRange::years(0, signpost_model::MAX_AGE_YEARS).unwrap();
    unstated.last_confirmed = None;
    unstated.last_updated = Utc.with_ymd_and_hms(2025, 6, 30, 23, 59, 59).unwrap()
        + chrono::Duration::milliseconds(250);
    out.push(unstated);

    let mut timetable = base("term-and-holidays", "declared", "Art Club");
    timetable.categories = vec![Category::ArtsCrafts];
    timetable.schedule = Schedule {
        weekly: vec![
            WeeklySession::new(
                chrono::Weekday::Tue,
                SessionTime::hm(16, 0),
                SessionTime::hm(17, 30),
                TermPattern::TermTime,
                Some(day("2026-09-01")),
                Some(day("2027-07-20")),
            )
            .unwrap(),
            WeeklySession::new(
                chrono::Weekday::Wed,
                SessionTime::hm(22, 0),
                SessionTime::hm(1, 0),
                TermPattern::SchoolHolidays,
                None,
                None,
            )
            .unwrap(),
        ],
        dated: vec![DatedSession {
            date: day("2026-12-20"),
            start: SessionTime::hm(14, 0),
            end: SessionTime::hm(16, 0),
        }],
        exceptions: vec![day("2026-11-24"), day("2026-12-22")],
    };
    timetable.gender = Gender::Girls;
    timetable.cost = Cost {
        free: false,
        price_pence: Some(350),
        concessions: Some("-£1 with a Max card, 50p for siblings".to_owned()),
        bursary: true,
    };
    out.push(timetable);

    let mut joining = base("every-way-in", "declared-undated", "Peer Support");
    joining.categories = vec![Category::PeerSupport, Category::Wellbeing];
    joining.gender = Gender::Boys;
    joining.join = HowToJoin {
        methods: JoinMethod::ALL.to_vec(),
        newcomers: Newcomer::ALL.to_vec(),
        contact: Contact {
            name: Some("@sam_t".to_owned()),
            email: Email::parse("sam+club@example.org").ok(),
            phone: Phone::parse("07700 900123").ok(),
            url: WebUrl::parse("https://example.org/join?x=1&copy=2").ok(),
        },
        notes: "Ring first; \"quiet\" room available.\nParents: wait in the café.".to_owned(),
    };
    joining.access = Access {
        wheelchair: true,
        send_friendly: true,
        quiet_sessions: true,
        languages: vec!["Polish".to_owned(), "British Sign Language".to_owned()],
    };
    out.push(joining);

    let mut free = base("free-with-help", "st-johns-hull", "Holiday Lunch Club");
    free.categories = vec![Category::HolidayFood];
    free.cost = Cost {
        free: true,
        price_pence: None,
        concessions: Some("Lunch free for everyone; trips £2".to_owned()),
        bursary: true,
    };
    out.push(free);

    let mut online = base("online-only", "st-johns-truro", "Online Chess");
    online.categories = vec![Category::SkillsLearning];
    online.online = true;
    online.venues = Vec::new();
    online.schedule = Schedule::default();
    out.push(online);

    let mut awkward = base("awkward-text", "riverside", "=SUM(A1:A9)");
    awkward.description = "+44 is the code.\n-- not a list --\n@everyone welcome, \"all\" ages.\n\nFish &amp; chips, <b>bold</b> claims, I <3 it & so will you; 5 > 4."
        .to_owned();
    awkward.terms = vec!["=1+1".to_owned(), "'quoted'".to_owned(), "a;b".to_owned()];
    awkward.join.notes = "'=already quoted".to_owned();
    awkward.cost.concessions = Some("''double".to_owned());
    awkward.venues = vec![place(
        "-5 Hall",
        "@ the back, \"Unit 2\"",
        Some("HU1 1AA"),
        -33.5,
        151.25,
    )];
    out.push(awkward);

    let mut numeric = base("numeric-title", "old-check", "-5");
    numeric.online = true;
    out.push(numeric);
    out
}

/// The draft reading a row back should give: the listing as the directory holds it.
fn expected(p: &Provider, a: &Activity) -> Draft {
    Draft {
        source_id: a.id.to_string(),
        provider: ProviderDraft {
            source_id: Some(p.id.to_string()),
            name: p.name.clone(),
            description: p.description.clone(),
            website: p.website.clone(),
            email: p.email.clone(),
            phone: p.phone.clone(),
            charity_number: p.charity_number.clone(),
            company_number: p.company_number.clone(),
            postcode: p.postcode.clone(),
            signpost_id: Some(p.id.clone()),
            safeguarding: Some(p.safeguarding.clone()),
            verification: Some(p.verification.clone()),
        },
        activity: ActivityDraft {
            title: a.title.clone(),
            description: a.description.clone(),
            categories: a.categories.clone(),
            terms: a.terms.clone(),
            ages: a.stated_ages(),
            gender: a.gender,
            cost: a.cost.clone(),
            schedule: a.schedule.clone(),
            venues: a
                .venues
                .iter()
                .map(|v| VenueDraft {
                    name: v.name.clone(),
                    address: v.address.clone(),
                    postcode: v.postcode.clone(),
                    coordinates: Some(v.coordinates),
                })
                .collect(),
            online: a.online,
            access: a.access.clone(),
            join: a.join.clone(),
            updated: Some(a.last_updated),
            confirmed: a.last_confirmed,
            signpost_id: Some(a.id.clone()),
        },
    }
}

#[test]
fn write_then_read_gives_back_every_field() {
    let providers = providers();
    let activities = activities();
    let text = write(&providers, &activities).unwrap();
    let drafts = items(read(&text));
    assert_eq!(drafts.len(), activities.len());
    for (draft, a) in drafts.iter().zip(&activities) {
        let p = providers.iter().find(|p| p.id == a.provider_id).unwrap();
        assert_eq!(*draft, expected(p, a), "{}", a.id);
    }
}

#[test]
fn the_exported_file_opens_in_a_spreadsheet_without_running_anything() {
    let text = write(&providers(), &activities()).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut guarded = 0;
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            if cell.starts_with('\'') {
                guarded += 1;
            }
            assert!(
                !cell.starts_with(FORMULA_START) || is_plain_number(cell),
                "{cell:?} would run as a formula"
            );
        }
    }
    assert!(guarded >= 8, "{guarded}");
    // The awkward row, as a spreadsheet sees it.
    assert!(text.contains(",'=SUM(A1:A9),"), "{text}");
    assert!(text.contains(",'=cmd|' /C calc'!A0,"), "{text}");
    assert!(text.contains(",''=already quoted,"), "{text}");
    assert!(text.contains(",'''double,"), "{text}");
    // A number is a number, but lines of them are a sum to a spreadsheet.
    assert!(text.contains(",-0.3326,"), "{text}");
    assert!(
        text.contains(",\"53.7676\n53.75\",\"'-0.3573\n-0.36\","),
        "{text}"
    );
    // Text the reader would decode is escaped; other text is left as it is.
    assert!(
        text.contains("Fish &amp;amp; chips, &lt;b&gt;bold&lt;/b&gt;"),
        "{text}"
    );
    assert!(text.contains("?x=1&amp;copy=2"), "{text}");
    assert!(text.contains("?a=1&b=2"), "{text}");
}

#[test]
fn a_quote_a_person_typed_is_kept() {
    let text = csv(
        ",description,online,categories",
        &["a,Org,'Tis the season,'hello,yes,family"],
    );
    let drafts = items(read(&text));
    assert_eq!(drafts[0].activity.title, "'Tis the season");
    assert_eq!(drafts[0].activity.description, "'hello");
}

#[test]
fn writing_names_an_activity_whose_provider_is_missing() {
    let a = fixture::activity("lost", "nobody", "Lost Club");
    assert_eq!(
        write(&[], &[a]),
        Err(MissingProvider {
            activity: fixture::id("lost"),
            provider: fixture::id("nobody"),
        })
    );
}

#[test]
fn several_venues_are_one_line_each_in_the_venue_cells() {
    let text = csv(
        ",venue_name,venue_address,venue_postcode,venue_lat,venue_lon",
        &[
            "a,Org,Football,\"Park\nHall\",\"\nHigh St, Hull\",\"HU5 3AB\nHU1 1AA\",,",
            "b,Org,Football,Hall,\"12 High St\nHull\",HU1 1AA,,",
            "c,Org,Football,\"Park\nHall\",\"a\nb\nc\",\"HU5 3AB\nHU1 1AA\",,",
            "d,Org,Football,\"Park\nHall\",,\"HU5 3AB\nZZ\",\"53.7\n53.8\",-0.3",
        ],
    );
    let entries = read(&text);
    let Entry::Item(a) = &entries[0] else {
        panic!("{entries:?}")
    };
    let venues = &a.activity.venues;
    assert_eq!(venues.len(), 2);
    assert_eq!(
        (venues[0].name.as_str(), venues[0].address.as_str()),
        ("Park", "")
    );
    assert_eq!(venues[1].address, "High St, Hull");
    assert_eq!(
        venues[1].postcode,
        Some(Postcode::parse("HU1 1AA").unwrap())
    );
    // One venue's address may run over lines, as it always could.
    let Entry::Item(b) = &entries[1] else {
        panic!("{entries:?}")
    };
    assert_eq!(b.activity.venues.len(), 1);
    assert_eq!(b.activity.venues[0].address, "12 High St Hull");
    let bad = rejections(&entries);
    assert_eq!(bad.len(), 2);
    assert!(
        bad[0]
            .reason
            .contains("venue_address has 3 lines but there are 2 venues"),
        "{}",
        bad[0].reason
    );
    for expected in [
        "venue 2: venue_postcode:",
        "venue 2: give both venue_lat and venue_lon",
    ] {
        assert!(bad[1].reason.contains(expected), "{}", bad[1].reason);
    }
}

#[test]
fn provider_ids_keep_organisations_apart_and_become_their_ids() {
    let text = csv(
        ",provider_id,online",
        &[
            "a,St John's,Football,st-johns-hull,yes",
            "b,St John's,Football,St Johns #2,yes",
        ],
    );
    let drafts = items(read(&text));
    assert_eq!(
        drafts[0].provider.source_id.as_deref(),
        Some("st-johns-hull")
    );
    assert_eq!(
        drafts[0].provider.signpost_id,
        Some(fixture::id("st-johns-hull"))
    );
    // Any text keys the organisation; only a good address becomes its id.
    assert_eq!(drafts[1].provider.source_id.as_deref(), Some("St Johns #2"));
    assert_eq!(drafts[1].provider.signpost_id, None);
    // Without the columns, a file says nothing about safeguarding.
    assert_eq!(drafts[0].provider.safeguarding, None);
    assert_eq!(drafts[0].provider.verification, None);
}

#[test]
fn impossible_or_muddled_checks_are_row_problems() {
    let text = csv(
        ",online,provider_verification,provider_verification_date,provider_verification_expires,provider_verified_by,provider_safeguarding_policy,provider_insurance_expires",
        &[
            "a,Org,Football,yes,verified,2026-05-01,2026-04-01,J. Okafor,,",
            "b,Org,Football,yes,verified,,,J. Okafor,,",
            "c,Org,Football,yes,self-declared,2026-05-01,2027-05-01,J. Okafor,,",
            "d,Org,Football,yes,expired,,,,sometimes,31/12/2026",
            "e,Org,Football,yes,not-checked,2026-01-01,,,,",
            "f,Org,Football,yes,Verified,2026-05-01,,J. Okafor,yes,",
        ],
    );
    let entries = read(&text);
    let bad = rejections(&entries);
    assert_eq!(bad.len(), 5, "{bad:?}");
    let expect = |i: usize, what: &str| {
        assert!(bad[i].reason.contains(what), "{what}: {}", bad[i].reason);
    };
    expect(
        0,
        "a verification cannot expire (2026-04-01) before it was made (2026-05-01)",
    );
    expect(
        1,
        "so give the date it was checked in provider_verification_date",
    );
    expect(
        2,
        "provider_verification_expires is only for a verified check, but provider_verification is self-declared",
    );
    expect(2, "provider_verified_by is only for a verified check");
    expect(
        3,
        "provider_verification 'expired' should be not-checked, self-declared or verified",
    );
    expect(
        3,
        "provider_safeguarding_policy 'sometimes' should be yes, no, or the date",
    );
    expect(3, "provider_insurance_expires '31/12/2026' is not a date");
    expect(
        4,
        "provider_verification_date is given but provider_verification is not-checked",
    );
    // A check with no expiry lasts twelve months; a policy can be undated.
    let Entry::Item(f) = &entries[5] else {
        panic!("{entries:?}")
    };
    let Some(Verification::Verified(c)) = &f.provider.verification else {
        panic!("{f:?}")
    };
    assert_eq!(c.expires_on, day("2027-05-01"));
    assert_eq!(
        f.provider.safeguarding.as_ref().unwrap().policy,
        Some(SafeguardingPolicy::default())
    );
}
