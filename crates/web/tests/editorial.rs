//! Providers, checkers and admins over HTTP: the whole flow from invite to search, the
//! permission matrix, CSRF, sessions, throttling, evidence, suggestions and freshness.
//!
//! Each test starts the real server on port 0 with its own temporary data directory and a
//! clock the test controls. A small `Browser` keeps cookies and does not follow redirects, so
//! every answer can be checked.

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, TimeZone, Utc};
use signpost_accounts::Accounts;
use signpost_directory::Directory;
use signpost_model::fixture::{HULL, activity, provider, venue};
use signpost_model::{Id, NewUser, Postcode, Role};
use signpost_web::SiteConfig;

struct App {
    _data: tempfile::TempDir,
    base: String,
    directory: Arc<Directory>,
    clock: Arc<AtomicI64>,
    accounts: Accounts,
}

/// Wednesday 25 November 2026, 12:00 in London.
fn start_time() -> DateTime<Utc> {
    common::wednesday_noon()
}

impl App {
    fn advance(&self, by: Duration) {
        self.clock.fetch_add(by.num_seconds(), Ordering::SeqCst);
    }

    fn browser(&self) -> Browser {
        Browser {
            base: self.base.clone(),
            client: {
                // reqwest is built without a crypto provider of its own.
                let _ = rustls::crypto::ring::default_provider().install_default();
                reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .unwrap()
            },
            cookies: Mutex::new(HashMap::new()),
        }
    }

    /// An account with a password already chosen, signed in over HTTP.
    async fn signed_in(&self, email: &str, role: Role, org: Option<&str>) -> Browser {
        let (_, token) = self
            .accounts
            .invite(NewUser {
                email: email.into(),
                name: email.split('@').next().unwrap().into(),
                role,
                provider_id: org
                    .filter(|_| role == Role::Provider)
                    .map(|o| Id::parse(o).unwrap()),
                organisation: org.filter(|_| role == Role::Checker).map(str::to_owned),
            })
            .unwrap();
        self.accounts
            .set_password(&token, "plum tractor winter")
            .unwrap();
        let b = self.browser();
        let r = b.sign_in(email, "plum tractor winter").await;
        assert_eq!(r.status, 303, "{}", r.body);
        b
    }
}

struct Answer {
    status: u16,
    location: String,
    set_cookies: Vec<String>,
    body: String,
}

struct Browser {
    base: String,
    client: reqwest::Client,
    cookies: Mutex<HashMap<String, String>>,
}

impl Browser {
    fn cookie_header(&self) -> String {
        self.cookies
            .lock()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn finish(&self, r: reqwest::Response) -> Answer {
        let status = r.status().as_u16();
        let location = r
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let set_cookies: Vec<String> = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        for c in &set_cookies {
            let (pair, _) = c.split_once(';').unwrap_or((c, ""));
            let (k, v) = pair.split_once('=').unwrap();
            let mut jar = self.cookies.lock().unwrap();
            if c.contains("Max-Age=0") {
                jar.remove(k);
            } else {
                jar.insert(k.to_owned(), v.to_owned());
            }
        }
        let body = r.text().await.unwrap();
        Answer {
            status,
            location,
            set_cookies,
            body,
        }
    }

    async fn get(&self, path: &str) -> Answer {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .unwrap();
        self.finish(r).await
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> Answer {
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .form(form)
            .send()
            .await
            .unwrap();
        self.finish(r).await
    }

    /// Posts a form from a page, with the page's own anti-forgery token.
    async fn submit(&self, page: &str, action: &str, form: &[(&str, &str)]) -> Answer {
        let html = self.get(page).await.body;
        let token = csrf(&html);
        let mut all = vec![("csrf", token.as_str())];
        all.extend_from_slice(form);
        self.post(action, &all).await
    }

    async fn sign_in(&self, email: &str, password: &str) -> Answer {
        self.submit(
            "/login",
            "/login",
            &[("email", email), ("password", password)],
        )
        .await
    }
}

/// The first address on a page that starts with `prefix` (a link or a form's action).
fn first_href(html: &str, prefix: &str) -> String {
    let at = html
        .find(prefix)
        .unwrap_or_else(|| panic!("nothing starting {prefix} in {html}"));
    html[at..].chars().take_while(|c| *c != '"').collect()
}

/// The first anti-forgery token on a page.
fn csrf(html: &str) -> String {
    let at = html
        .find(r#"name="csrf" value=""#)
        .unwrap_or_else(|| panic!("no csrf field in {html}"));
    let rest = &html[at + r#"name="csrf" value=""#.len()..];
    rest[..rest.find('"').unwrap()].to_owned()
}

/// A small directory: two clubs in Hull with one listing each.
async fn spawn(config: SiteConfig) -> App {
    let clock = Arc::new(AtomicI64::new(start_time().timestamp()));
    let c = clock.clone();
    let data = tempfile::tempdir().unwrap();
    let (dir, _) = Directory::open(&data.path().join("data"), &data.path().join("index")).unwrap();
    let dir = dir.with_clock(Arc::new(move || {
        Utc.timestamp_opt(c.load(Ordering::SeqCst), 0).unwrap()
    }));
    common::load(
        &dir,
        "places.json",
        r#"{"format":"signpost-directory","version":1,
            "postcodes":[{"postcode":"HU5","lat":53.7443,"lon":-0.3326,"town":"Hull"}]}"#,
    );
    for (pid, name, aid, title) in [
        ("club-a", "Club A", "a-football", "Saturday Football"),
        ("club-b", "Club B", "b-drama", "Youth Drama"),
    ] {
        dir.save_provider(provider(pid, name)).unwrap();
        let mut a = activity(aid, pid, title);
        a.venues = vec![venue("Park", HULL.0, HULL.1)];
        a.venues[0].postcode = Postcode::parse("HU5 3AB").ok();
        dir.save_activity(a).unwrap();
    }
    let directory = Arc::new(dir);
    let accounts = Accounts::new(directory.backend(), directory.clock());
    let base = common::serve(directory.clone(), config).await;
    App {
        _data: data,
        base,
        directory,
        clock,
        accounts,
    }
}

async fn spawn_app() -> App {
    spawn(SiteConfig::default()).await
}

/// The listing form as the edit page shows it, with some fields changed.
async fn edit_listing(b: &Browser, id: &str, changes: &[(&str, &str)]) -> Answer {
    let page = b.get(&format!("/provider/listings/{id}/edit")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let mut form: Vec<(String, String)> = vec![("csrf".into(), csrf(&page.body))];
    let value_of = |name: &str| -> Option<String> {
        let key = format!(r#"name="{name}" value=""#);
        let at = page.body.find(&key)? + key.len();
        let rest = &page.body[at..];
        Some(rest[..rest.find('"')?].to_owned())
    };
    let textarea = |name: &str| -> String {
        let key = format!(r#"name="{name}""#);
        let Some(at) = page.body.find(&key) else {
            return String::new();
        };
        let rest = &page.body[at..];
        let open = rest.find('>').unwrap() + 1;
        let close = rest.find("</textarea>").unwrap();
        rest[open..close].to_owned()
    };
    for name in [
        "title",
        "ages",
        "price",
        "concessions",
        "venue_name",
        "venue_address",
        "venue_postcode",
        "languages",
        "contact_email",
        "contact_phone",
        "contact_url",
    ] {
        form.push((name.into(), value_of(name).unwrap_or_default()));
    }
    for name in ["description", "timetable", "join_notes"] {
        form.push((name.into(), textarea(name)));
    }
    form.push(("category".into(), "sport".into()));
    form.push(("gender".into(), "mixed".into()));
    form.push(("free".into(), "on".into()));
    form.push(("join".into(), "drop-in".into()));
    for (k, v) in changes {
        form.retain(|(name, _)| name != k);
        form.push(((*k).into(), (*v).into()));
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    b.post(&format!("/provider/listings/{id}/edit"), &pairs)
        .await
}

#[tokio::test]
async fn invite_edit_review_approve_verify_expire() {
    let app = spawn_app().await;
    // The first admin comes from the command line (here: the accounts service directly).
    let (_, token) = app
        .accounts
        .invite(NewUser {
            email: "admin@council.example".into(),
            name: "Ada Admin".into(),
            role: Role::Admin,
            provider_id: None,
            organisation: None,
        })
        .unwrap();
    let admin = app.browser();
    let page = admin.get(&format!("/account/password?token={token}")).await;
    assert_eq!(page.status, 200);
    let weak = admin
        .submit(
            &format!("/account/password?token={token}"),
            "/account/password",
            &[
                ("token", &token),
                ("password", "short"),
                ("confirm", "short"),
            ],
        )
        .await;
    assert_eq!(weak.status, 400);
    assert!(
        weak.body.contains("at least 10 characters"),
        "{}",
        weak.body
    );
    let set = admin
        .submit(
            &format!("/account/password?token={token}"),
            "/account/password",
            &[
                ("token", &token),
                ("password", "plum tractor winter"),
                ("confirm", "plum tractor winter"),
            ],
        )
        .await;
    assert_eq!(set.status, 303, "{}", set.body);
    // The link works once.
    assert_eq!(
        admin
            .get(&format!("/account/password?token={token}"))
            .await
            .status,
        410
    );
    let signed = admin
        .sign_in("admin@council.example", "plum tractor winter")
        .await;
    assert_eq!((signed.status, signed.location.as_str()), (303, "/admin"));

    // The admin invites a provider editor for Club A and gets a link to pass on.
    let invited = admin
        .submit(
            "/admin",
            "/admin/invite",
            &[
                ("name", "Sam Provider"),
                ("email", "sam@club-a.example"),
                ("role", "provider"),
                ("org", "club-a"),
            ],
        )
        .await;
    assert_eq!(invited.status, 200, "{}", invited.body);
    let at = invited.body.find("/account/password?token=").unwrap();
    let link: String = invited.body[at..]
        .chars()
        .take_while(|c| *c != '<')
        .collect();
    let sam = app.browser();
    let set = sam
        .submit(
            &link,
            "/account/password",
            &[
                ("token", link.split('=').nth(1).unwrap()),
                ("password", "green kettle mountain"),
                ("confirm", "green kettle mountain"),
            ],
        )
        .await;
    assert_eq!(set.status, 303, "{}", set.body);
    let r = sam
        .sign_in("sam@club-a.example", "green kettle mountain")
        .await;
    assert_eq!(r.location, "/provider");

    // Sam edits the listing: it waits for review and the public version stays.
    let r = edit_listing(
        &sam,
        "a-football",
        &[("title", "Saturday Football <b>Club</b>")],
    )
    .await;
    assert_eq!(
        (r.status, r.location.as_str()),
        (303, "/provider?done=submitted"),
        "{}",
        r.body
    );
    let public = app.browser().get("/activities/a-football").await.body;
    assert!(public.contains("Saturday Football") && !public.contains("Club</b>"));
    let dash = sam.get("/provider").await.body;
    assert!(dash.contains("Edit waiting for review"), "{dash}");

    // A checker sees it in the queue as a before/after diff, with the markup as text.
    let checker = app
        .signed_in(
            "jo@sps.example",
            Role::Checker,
            Some("Hull Social Prescribing"),
        )
        .await;
    let queue = checker.get("/check").await.body;
    assert!(queue.contains("from Club A"), "{queue}");
    let change_path = first_href(&queue, "/check/changes/");
    let review = checker.get(&change_path).await.body;
    assert!(
        review.contains(r#"<td class="before">Saturday Football</td>"#),
        "{review}"
    );
    assert!(
        review.contains("<td class=\"after\">Saturday Football &lt;b&gt;Club&lt;/b&gt;</td>"),
        "{review}"
    );
    // Sending back needs a reason.
    let r = checker
        .submit(
            &change_path,
            &change_path,
            &[("decision", "reject"), ("message", "")],
        )
        .await;
    assert_eq!(r.status, 400);
    let r = checker
        .submit(
            &change_path,
            &change_path,
            &[("decision", "approve"), ("message", "Looks good")],
        )
        .await;
    assert_eq!(
        (r.status, r.location.as_str()),
        (303, "/check?done=approved")
    );
    let found = app.browser().get("/api/search?q=football").await.body;
    assert!(found.contains("Saturday Football <b>Club</b>"), "{found}");
    let html = app.browser().get("/activities/a-football").await.body;
    assert!(html.contains("Saturday Football &lt;b&gt;Club&lt;/b&gt;"));

    // Safeguarding: declared (public at once, self-declared), then verified by the checker.
    let r = sam
        .submit(
            "/provider/safeguarding",
            "/provider/safeguarding",
            &[
                ("has_policy", "on"),
                ("policy_reviewed", "2026-09-01"),
                ("lead_role", "Club Welfare Officer"),
                ("enhanced_dbs", "on"),
                ("insurance_expires", "2027-08-31"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let api = app.browser().get("/api/activities/a-football").await.body;
    assert!(
        api.contains(r#""safeguarding":"self-declared""#) || api.contains("self-declared"),
        "{api}"
    );
    let queue = checker.get("/check").await.body;
    assert!(queue.contains("Safeguarding checks to make (1)"), "{queue}");
    let r = checker
        .submit(
            "/check/providers/club-a",
            "/check/providers/club-a/verify",
            &[
                ("evidence", "Policy and 3 DBS certificates seen"),
                ("expires_on", "2027-02-01"),
            ],
        )
        .await;
    assert_eq!(
        (r.status, r.location.as_str()),
        (303, "/check?done=verified"),
        "{}",
        r.body
    );
    let api = app.browser().get("/api/activities/a-football").await.body;
    assert!(
        api.contains("Hull Social Prescribing") && api.contains("verified"),
        "{api}"
    );
    let results = app.browser().get("/?q=football&checked=true").await.body;
    assert!(
        results.contains("Saturday Football"),
        "the checked badge filter finds it"
    );

    // Audit: every step, with who and which fields.
    let history = sam.get("/history/a-football").await.body;
    for step in [
        "submitted an edit for review",
        "approved",
        "jo (checker, Hull Social Prescribing)",
    ] {
        assert!(history.contains(step), "missing {step}: {history}");
    }
    let all = sam.get("/provider/history").await.body;
    for step in [
        "declared safeguarding",
        "verified safeguarding",
        "Club Welfare Officer",
    ] {
        assert!(all.contains(step), "missing {step}: {all}");
    }

    // Near expiry the check is in the checker queue; after it, expired everywhere at once.
    app.advance(Duration::days(50));
    // (Sessions last 12 hours: sign in again.)
    let checker = app.browser();
    checker
        .sign_in("jo@sps.example", "plum tractor winter")
        .await;
    let queue = checker.get("/check").await.body;
    assert!(queue.contains("expiring within 30 days (1)"), "{queue}");
    app.advance(Duration::days(30));
    let api = app.browser().get("/api/activities/a-football").await.body;
    assert!(api.contains("expired"), "{api}");
    let results = app.browser().get("/?q=football&checked=true").await.body;
    assert!(!results.contains("Saturday Football"));

    // Changing a declared item after a check drops it back to self-declared.
    app.advance(Duration::days(-80));
    let sam = app.browser();
    sam.sign_in("sam@club-a.example", "green kettle mountain")
        .await;
    let r = sam
        .submit(
            "/provider/safeguarding",
            "/provider/safeguarding",
            &[("has_policy", "on"), ("first_aid", "on")],
        )
        .await;
    assert_eq!(r.status, 303);
    let api = app.browser().get("/api/activities/a-football").await.body;
    assert!(api.contains("self-declared"), "{api}");
}

#[tokio::test]
async fn a_trusted_provider_publishes_at_once_and_is_still_audited() {
    let app = spawn_app().await;
    let sam = app
        .signed_in("sam@a.example", Role::Provider, Some("club-a"))
        .await;
    let checker = app
        .signed_in("jo@sps.example", Role::Checker, Some("SPS"))
        .await;
    let r = checker
        .submit(
            "/check/providers/club-a",
            "/check/providers/club-a/trust",
            &[("trusted", "yes")],
        )
        .await;
    assert_eq!(r.status, 303);
    let r = edit_listing(&sam, "a-football", &[("title", "Football for All")]).await;
    assert_eq!(r.location, "/provider?done=published", "{}", r.body);
    assert!(
        app.browser()
            .get("/api/search?q=football")
            .await
            .body
            .contains("Football for All")
    );
    let history = checker.get("/history/a-football").await.body;
    assert!(
        history.contains("published at once: trusted provider"),
        "{history}"
    );
    assert!(
        history.contains("marked trusted")
            || checker
                .get("/check/providers/club-a")
                .await
                .body
                .contains("marked trusted")
    );
}

#[tokio::test]
async fn new_listings_withdrawal_and_still_running() {
    let app = spawn_app().await;
    let sam = app
        .signed_in("sam@a.example", Role::Provider, Some("club-a"))
        .await;
    let page = sam.get("/provider/listings/new").await;
    let token = csrf(&page.body);
    let r = sam
        .post(
            "/provider/listings/new",
            &[
                ("csrf", &token),
                ("title", "Junior Chess"),
                ("category", "skills-learning"),
                ("ages", "8-14"),
                ("free", "on"),
                ("timetable", "funday 10:00-11:00"),
                ("venue_name", "Library"),
                ("venue_postcode", "HU5 2AA"),
            ],
        )
        .await;
    assert_eq!(r.status, 400, "a bad timetable line is named");
    assert!(r.body.contains("timetable line 1"), "{}", r.body);
    assert!(r.body.contains("Junior Chess"), "what was typed is kept");
    let r = sam
        .post(
            "/provider/listings/new",
            &[
                ("csrf", &token),
                ("title", "Junior Chess"),
                ("category", "skills-learning"),
                ("ages", "8-14"),
                ("free", "on"),
                ("timetable", "saturday 10:00-11:00"),
                ("venue_name", "Library"),
                ("venue_postcode", "HU5 2AA"),
            ],
        )
        .await;
    assert_eq!(r.location, "/provider?done=submitted", "{}", r.body);
    assert!(
        !app.browser()
            .get("/api/search?q=chess")
            .await
            .body
            .contains("Junior Chess")
    );
    assert!(sam.get("/provider").await.body.contains("Junior Chess"));

    // A listing nobody confirmed for six months is marked and the dashboard says so.
    app.advance(Duration::days(200));
    let results = app.browser().get("/?q=football").await.body;
    assert!(results.contains("May be out of date"), "{results}");
    let sam = app.browser();
    sam.sign_in("sam@a.example", "plum tractor winter").await;
    let dash = sam.get("/provider").await.body;
    assert!(
        dash.contains("have not been confirmed") || dash.contains("has not been confirmed"),
        "{dash}"
    );
    let r = sam
        .submit("/provider", "/provider/listings/a-football/confirm", &[])
        .await;
    assert_eq!(r.location, "/provider?done=confirmed");
    let results = app.browser().get("/?q=football").await.body;
    assert!(!results.contains("May be out of date"), "{results}");

    // Withdrawing takes it out of search at once; its history stays.
    let r = sam
        .submit(
            "/provider",
            "/provider/listings/a-football/withdraw",
            &[("reason", "Season over")],
        )
        .await;
    assert_eq!(r.location, "/provider?done=withdrawn");
    assert!(
        !app.browser()
            .get("/api/search?q=football")
            .await
            .body
            .contains("a-football")
    );
    assert_eq!(
        app.browser().get("/activities/a-football").await.status,
        410
    );
    let history = sam.get("/history/a-football").await.body;
    assert!(
        history.contains("withdrew") && history.contains("Season over"),
        "{history}"
    );
}

/// Who posts, from which page, to where, with what, and the status they must get.
type Attempt<'a> = (&'a Browser, &'a str, &'a str, Vec<(&'a str, &'a str)>, u16);

#[tokio::test]
async fn permission_matrix_over_http() {
    let app = spawn_app().await;
    let a = app
        .signed_in("a@a.example", Role::Provider, Some("club-a"))
        .await;
    let b = app
        .signed_in("b@b.example", Role::Provider, Some("club-b"))
        .await;
    let checker = app
        .signed_in("c@sps.example", Role::Checker, Some("SPS"))
        .await;
    let admin = app.signed_in("admin@x.example", Role::Admin, None).await;
    let anon = app.browser();

    // Club A has a pending edit, a safeguarding declaration and evidence.
    assert_eq!(
        edit_listing(&a, "a-football", &[("title", "A new title")])
            .await
            .status,
        303
    );
    let link = a
        .submit(
            "/provider/safeguarding",
            "/provider/evidence/link",
            &[("title", "Policy"), ("url", "https://a.example/policy.pdf")],
        )
        .await;
    assert_eq!(link.status, 303);
    let queue = checker.get("/check").await.body;
    let change = first_href(&queue, "/check/changes/");
    let safeguarding = a.get("/provider/safeguarding").await.body;
    let at = safeguarding.find("/evidence/").unwrap();
    let evidence: String = safeguarding[at..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();

    // (path, [provider A, provider B, checker, admin]); anonymous is always sent to sign in.
    let gets: Vec<(&str, [u16; 4])> = vec![
        ("/provider", [200, 200, 403, 403]),
        ("/provider/listings/new", [200, 200, 403, 403]),
        ("/provider/listings/a-football/edit", [200, 404, 403, 403]),
        ("/provider/safeguarding", [200, 200, 403, 403]),
        ("/provider/history", [200, 200, 403, 403]),
        ("/history/a-football", [200, 404, 200, 404]),
        (evidence.as_str(), [200, 404, 200, 404]),
        ("/check", [403, 403, 200, 403]),
        (change.as_str(), [403, 403, 200, 403]),
        ("/check/providers/club-a", [403, 403, 200, 403]),
        ("/admin", [403, 403, 403, 200]),
    ];
    for (path, expected) in &gets {
        for (who, (b, want)) in ["provider A", "provider B", "checker", "admin"]
            .iter()
            .zip([&a, &b, &checker, &admin].iter().zip(expected))
        {
            let r = b.get(path).await;
            assert_eq!(r.status, *want, "{who} GET {path}");
        }
        let r = anon.get(path).await;
        assert_eq!(r.status, 303, "anonymous GET {path}");
        assert!(r.location.starts_with("/login"), "anonymous GET {path}");
    }

    // Changes: only the roles allowed get through, whatever ids they guess.
    let posts: Vec<Attempt<'_>> = vec![
        (
            &b,
            "/provider",
            "/provider/listings/a-football/confirm",
            vec![],
            404,
        ),
        (
            &b,
            "/provider",
            "/provider/listings/a-football/withdraw",
            vec![],
            404,
        ),
        (
            &b,
            "/provider",
            "/provider/listings/a-football/edit",
            vec![("title", "Hijacked")],
            404,
        ),
        (
            &a,
            "/provider",
            "/check/providers/club-a/verify",
            vec![("evidence", "I checked myself")],
            403,
        ),
        (
            &a,
            "/provider",
            "/check/providers/club-a/trust",
            vec![("trusted", "yes")],
            403,
        ),
        (
            &a,
            "/provider",
            change.as_str(),
            vec![("decision", "approve")],
            403,
        ),
        (
            &a,
            "/provider",
            "/admin/invite",
            vec![("role", "admin"), ("email", "x@y.example"), ("name", "X")],
            403,
        ),
        (
            &checker,
            "/check",
            "/provider/listings/a-football/confirm",
            vec![],
            403,
        ),
        (
            &checker,
            "/check",
            "/admin/providers",
            vec![("id", "new-org"), ("name", "New")],
            403,
        ),
        (
            &admin,
            "/admin",
            "/check/providers/club-a/verify",
            vec![("evidence", "x")],
            403,
        ),
        (
            &admin,
            "/admin",
            change.as_str(),
            vec![("decision", "approve")],
            403,
        ),
    ];
    for (who, page, action, form, want) in posts {
        let r = who.submit(page, action, &form).await;
        assert_eq!(r.status, want, "POST {action}: {}", r.body);
    }
    let r = anon
        .post("/provider/listings/a-football/confirm", &[])
        .await;
    assert_eq!((r.status, r.location.as_str()), (303, "/login"));
    // Nothing above changed Club A's public listing or verified it.
    let api = app.browser().get("/api/activities/a-football").await.body;
    assert!(
        api.contains("Saturday Football") && api.contains("not-checked"),
        "{api}"
    );
    assert!(
        !checker
            .get("/history/a-football")
            .await
            .body
            .contains("Hijacked")
    );
}

#[tokio::test]
async fn forms_without_a_valid_token_are_refused() {
    let app = spawn_app().await;
    let sam = app
        .signed_in("sam@a.example", Role::Provider, Some("club-a"))
        .await;
    for token in [None, Some("0".repeat(64))] {
        let mut form = vec![];
        if let Some(t) = &token {
            form.push(("csrf", t.as_str()));
        }
        let r = sam
            .post("/provider/listings/a-football/confirm", &form)
            .await;
        assert_eq!(r.status, 403, "token {token:?}");
        assert!(r.body.contains("This form has expired"));
        let r = sam.post("/logout", &form).await;
        assert_eq!(r.status, 403);
    }
    // Another session's token does not work either.
    let other = app
        .signed_in("sam2@a.example", Role::Provider, Some("club-a"))
        .await;
    let theirs = csrf(&other.get("/provider").await.body);
    let r = sam
        .post(
            "/provider/listings/a-football/confirm",
            &[("csrf", &theirs)],
        )
        .await;
    assert_eq!(r.status, 403);
    // Signing in needs the form's own token, which a cross-site page cannot have.
    let fresh = app.browser();
    let r = fresh
        .post(
            "/login",
            &[
                ("email", "sam@a.example"),
                ("password", "plum tractor winter"),
            ],
        )
        .await;
    assert_eq!(r.status, 403);
    let r = fresh
        .post(
            "/activities/b-drama/suggest",
            &[("message", "The times are wrong on this one")],
        )
        .await;
    assert_eq!(r.status, 403);
}

#[tokio::test]
async fn sessions_are_http_only_lax_revocable_and_expire() {
    let app = spawn_app().await;
    let sam = app
        .signed_in("sam@a.example", Role::Provider, Some("club-a"))
        .await;
    let again = app.browser();
    let r = again.sign_in("sam@a.example", "plum tractor winter").await;
    let cookie = r
        .set_cookies
        .iter()
        .find(|c| c.starts_with("signpost_session="))
        .unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain http in tests");

    // Logout ends the session on the server: the old cookie no longer works.
    let saved = sam.cookie_header();
    let r = sam.submit("/provider", "/logout", &[]).await;
    assert_eq!(r.status, 303);
    let replay = app.browser();
    replay.cookies.lock().unwrap().extend(
        saved
            .split("; ")
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned())),
    );
    assert_eq!(replay.get("/provider").await.status, 303);

    // Sessions expire after 12 hours.
    assert_eq!(again.get("/provider").await.status, 200);
    app.advance(Duration::hours(13));
    assert_eq!(again.get("/provider").await.status, 303);

    // Over https the cookie is Secure.
    let secure = spawn(SiteConfig {
        public_url: Some("https://signpost.example.org".into()),
        ..SiteConfig::default()
    })
    .await;
    let _b = secure
        .signed_in("x@a.example", Role::Provider, Some("club-a"))
        .await;
    let r = secure
        .browser()
        .sign_in("x@a.example", "plum tractor winter")
        .await;
    assert!(
        r.set_cookies
            .iter()
            .any(|c| c.starts_with("signpost_session=") && c.contains("; Secure"))
    );
}

#[tokio::test]
async fn disabling_an_account_signs_it_out_everywhere() {
    let app = spawn_app().await;
    let sam = app
        .signed_in("sam@a.example", Role::Provider, Some("club-a"))
        .await;
    let admin = app.signed_in("admin@x.example", Role::Admin, None).await;
    let users = admin.get("/admin").await.body;
    let sam_id = app
        .accounts
        .users()
        .unwrap()
        .into_iter()
        .find(|u| u.email == "sam@a.example")
        .unwrap()
        .id;
    assert!(users.contains("sam@a.example"));
    let r = admin
        .submit(
            "/admin",
            &format!("/admin/users/{sam_id}"),
            &[("role", "provider"), ("org", "club-a"), ("disabled", "on")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(sam.get("/provider").await.status, 303);
    assert_eq!(
        sam.sign_in("sam@a.example", "plum tractor winter")
            .await
            .status,
        401
    );
}

impl Browser {
    /// Signs in through a reverse proxy that says the request came from `client`.
    async fn sign_in_from(&self, client: &str, email: &str, password: &str) -> Answer {
        let token = csrf(&self.get("/login").await.body);
        let r = self
            .client
            .post(format!("{}/login", self.base))
            .header("cookie", self.cookie_header())
            .header("x-forwarded-for", format!("{client}, 10.0.0.7"))
            .form(&[
                ("csrf", token.as_str()),
                ("email", email),
                ("password", password),
            ])
            .send()
            .await
            .unwrap();
        self.finish(r).await
    }
}

#[tokio::test]
async fn repeated_wrong_passwords_are_throttled() {
    let app = spawn_app().await;
    let _sam = app
        .signed_in("sam@a.example", Role::Provider, Some("club-a"))
        .await;
    let b = app.browser();
    for _ in 0..5 {
        let r = b.sign_in("sam@a.example", "wrong password here").await;
        assert_eq!(r.status, 401);
        assert!(r.body.contains("do not match"));
    }
    let r = b.sign_in("sam@a.example", "plum tractor winter").await;
    assert_eq!(r.status, 429, "even the right password waits");
    assert!(r.body.contains("too many failed sign-ins"), "{}", r.body);
    // Without a trusted proxy, a forwarded address is the client's own invention.
    let r = b
        .sign_in_from("198.51.100.4", "sam@a.example", "plum tractor winter")
        .await;
    assert_eq!(
        r.status, 429,
        "X-Forwarded-For is ignored from anyone but a proxy"
    );
    app.advance(Duration::minutes(16));
    assert_eq!(
        b.sign_in("sam@a.example", "plum tractor winter")
            .await
            .status,
        303
    );
}

#[tokio::test]
async fn an_attacker_cannot_lock_the_real_user_out() {
    // Behind a reverse proxy on this machine, as nginx would be.
    let app = spawn(SiteConfig {
        trusted_proxies: vec!["127.0.0.1".parse().unwrap(), "10.0.0.7".parse().unwrap()],
        ..SiteConfig::default()
    })
    .await;
    let _sam = app
        .signed_in("sam@a.example", Role::Provider, Some("club-a"))
        .await;
    let attacker = app.browser();
    for _ in 0..8 {
        attacker
            .sign_in_from("203.0.113.9", "sam@a.example", "guess guess guess")
            .await;
    }
    let r = attacker
        .sign_in_from("203.0.113.9", "sam@a.example", "plum tractor winter")
        .await;
    assert_eq!(r.status, 429, "the attacker's address waits");
    // Sam, at home, signs in as usual.
    let sam = app.browser();
    let r = sam
        .sign_in_from("198.51.100.4", "sam@a.example", "plum tractor winter")
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
}

#[tokio::test]
async fn signing_in_never_sends_anyone_off_the_site() {
    let app = spawn_app().await;
    let _sam = app
        .signed_in("sam@a.example", Role::Provider, Some("club-a"))
        .await;
    // Browsers drop tabs and newlines from an address and read `\` as `/`: each of these
    // would land on evil.example.
    for next in [
        "//evil.example/",
        "/\tevil.example",
        "/\t/evil.example/",
        "/\n/evil.example/",
        "/\\evil.example/",
        "https://evil.example/",
    ] {
        let b = app.browser();
        let page = b.get("/login").await;
        let r = b
            .post(
                "/login",
                &[
                    ("csrf", &csrf(&page.body)),
                    ("email", "sam@a.example"),
                    ("password", "plum tractor winter"),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{next:?}: {}", r.body);
        assert_eq!(r.location, "/provider", "{next:?}");
    }
    let b = app.browser();
    let page = b.get("/login?next=%2F%09%2Fevil.example%2F").await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("evil.example"), "{}", page.body);
    let page = b.get("/login").await;
    let r = b
        .post(
            "/login",
            &[
                ("csrf", &csrf(&page.body)),
                ("email", "sam@a.example"),
                ("password", "plum tractor winter"),
                ("next", "/provider/safeguarding"),
            ],
        )
        .await;
    assert_eq!(
        r.location, "/provider/safeguarding",
        "a page of ours is kept"
    );
}

#[tokio::test]
async fn evidence_is_limited_private_and_served_only_to_its_provider_and_checkers() {
    let app = spawn_app().await;
    let a = app
        .signed_in("a@a.example", Role::Provider, Some("club-a"))
        .await;
    let b = app
        .signed_in("b@b.example", Role::Provider, Some("club-b"))
        .await;
    let checker = app
        .signed_in("c@sps.example", Role::Checker, Some("SPS"))
        .await;
    let token = csrf(&a.get("/provider/safeguarding").await.body);
    let upload = |bytes: Vec<u8>, name: &'static str| {
        let form = reqwest::multipart::Form::new()
            .text("csrf", token.clone())
            .text("title", "Safeguarding policy")
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name(name),
            );
        a.client
            .post(format!("{}/provider/evidence", a.base))
            .header("cookie", a.cookie_header())
            .multipart(form)
            .send()
    };
    let r = upload(b"<html><script>alert(1)</script>".to_vec(), "policy.pdf")
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400, "type is judged by contents");
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(6 * 1024 * 1024, b'x');
    let r = upload(big, "big.pdf").await.unwrap();
    assert!(
        matches!(r.status().as_u16(), 400 | 413),
        "too big: {}",
        r.status()
    );
    // A real PDF whose name says it is a web page.
    let r = upload(b"%PDF-1.7\nreal policy".to_vec(), "../../poly.html")
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);

    let page = a.get("/provider/safeguarding").await.body;
    let at = page.find("/evidence/").unwrap();
    let path: String = page[at..].chars().take_while(|c| *c != '"').collect();
    let r = a
        .client
        .get(format!("{}{path}", a.base))
        .header("cookie", a.cookie_header())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(
        r.headers()["content-disposition"].to_str().unwrap(),
        "attachment; filename=\"poly.pdf\"",
        "named from the type its contents are, never the uploader's extension"
    );
    assert_eq!(checker.get(&path).await.status, 200);
    assert_eq!(b.get(&path).await.status, 404);
    assert_eq!(app.browser().get(&path).await.status, 303);
    // Stored inside the data directory under a random name, not under the web root.
    let stored = std::fs::read_dir(app.directory.data_dir().unwrap().join("evidence"))
        .unwrap()
        .count();
    assert_eq!(stored, 1);
    assert_eq!(app.browser().get("/static/evidence").await.status, 404);

    // A link is a web address by the same rules as everywhere: a script is not one.
    for (url, status) in [("javascript:alert(1)", 400), ("www.a.example/policy", 303)] {
        let r = a
            .submit(
                "/provider/safeguarding",
                "/provider/evidence/link",
                &[("title", "Policy"), ("url", url)],
            )
            .await;
        assert_eq!(r.status, status, "{url}: {}", r.body);
        if status == 400 {
            assert!(r.body.contains("is not a web address"), "{}", r.body);
        }
    }
    let page = a.get("/provider/safeguarding").await.body;
    assert_eq!(page.matches("(link)").count(), 1, "{page}");
    let link = a.get(&first_href(&page, "/evidence/2")).await.body;
    assert!(
        link.contains("href=\"https://www.a.example/policy\""),
        "{link}"
    );
}

/// Fills in the suggestion form as a person would, ten seconds after it appeared.
async fn suggest(app: &App, public: &Browser, message: &str, honeypot: &str) -> Answer {
    let page = public.get("/activities/b-drama/suggest").await.body;
    let token = csrf(&page);
    let at = page.find(r#"name="shown" value=""#).unwrap() + r#"name="shown" value=""#.len();
    let shown: String = page[at..].chars().take_while(|c| *c != '"').collect();
    app.advance(Duration::seconds(10));
    public
        .post(
            "/activities/b-drama/suggest",
            &[
                ("csrf", &token),
                ("shown", &shown),
                ("website", honeypot),
                ("message", message),
                ("contact", ""),
            ],
        )
        .await
}

#[tokio::test]
async fn suggestions_reach_the_checker_queue_and_spam_does_not() {
    let app = spawn_app().await;
    let checker = app
        .signed_in("c@sps.example", Role::Checker, Some("SPS"))
        .await;
    let public = app.browser();
    let r = suggest(
        &app,
        &public,
        "The Tuesday session moved to 17:00 <script>x</script>",
        "",
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = suggest(
        &app,
        &public,
        "Cheap pills at http://spam.example",
        "http://spam.example",
    )
    .await;
    assert_eq!(r.status, 200, "bots are thanked, and nothing is kept");
    let r = suggest(&app, &public, "short", "").await;
    assert_eq!(r.status, 400);
    let queue = checker.get("/check").await.body;
    assert!(queue.contains("Reports from the public (1)"), "{queue}");
    assert!(queue.contains("moved to 17:00 &lt;script&gt;"), "{queue}");
    assert!(!queue.contains("Cheap pills"));

    // Sent the moment the form appears: refused.
    let page = public.get("/activities/b-drama/suggest").await.body;
    let at = page.find(r#"name="shown" value=""#).unwrap() + r#"name="shown" value=""#.len();
    let shown: String = page[at..].chars().take_while(|c| *c != '"').collect();
    let r = public
        .post(
            "/activities/b-drama/suggest",
            &[
                ("csrf", &csrf(&page)),
                ("shown", &shown),
                ("message", "A perfectly fine message"),
            ],
        )
        .await;
    assert_eq!(r.status, 400);
    // Too many from one address in an hour.
    for _ in 0..4 {
        assert_eq!(
            suggest(&app, &public, "The hall has changed to the library", "")
                .await
                .status,
            200
        );
    }
    let r = suggest(&app, &public, "The hall has changed to the library", "").await;
    assert_eq!(r.status, 429, "{}", r.body);
    let history = checker.get("/history/b-drama").await.body;
    assert!(history.contains("reported a problem"));
}

/// Club A with a check by a named checker and a (public) charity number.
fn check_club_a(app: &App) {
    let mut p = provider("club-a", "Club A");
    p.charity_number = Some("1187654".into());
    p.verification = signpost_model::Verification::Verified(signpost_model::VerificationCheck {
        checked_by: "J. Okafor".into(),
        on_behalf_of: "Hull Social Prescribing Service".into(),
        checked_on: chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
        evidence: "Policy, DBS certificates".into(),
        expires_on: chrono::NaiveDate::from_ymd_opt(2027, 9, 1).unwrap(),
    });
    app.directory.save_provider(p).unwrap();
}

/// A feed whose organisation quotes Club A's charity number under another name.
fn crawl_borrowing_feed(app: &App, items: &[&str]) -> signpost_ingest::Summary {
    use signpost_feeds::{ActivityDraft, Draft, Entry, ProviderDraft, VenueDraft};
    let entries = items
        .iter()
        .map(|item| {
            let mut activity = ActivityDraft::titled(format!("Boxing {item}"));
            activity.categories = vec![signpost_model::Category::Sport];
            activity.venues = vec![VenueDraft {
                name: "Gym".into(),
                address: String::new(),
                postcode: Postcode::parse("HU5 3AB").ok(),
                coordinates: signpost_model::Coordinates::new(HULL.0, HULL.1).ok(),
            }];
            Entry::Item(Box::new(Draft {
                source_id: (*item).into(),
                provider: ProviderDraft {
                    source_id: Some("org-1".into()),
                    name: "Someone Else Ltd".into(),
                    charity_number: Some("1187654".into()),
                    ..ProviderDraft::default()
                },
                activity,
            }))
        })
        .collect();
    let summary = signpost_ingest::Ingest::new(app.directory.backend(), app.directory.now())
        .apply(
            &signpost_ingest::Source {
                url: "https://someone-else.example/feed".into(),
                kind: signpost_ingest::SourceKind::OpenActive,
            },
            entries,
            signpost_ingest::BatchExtras::default(),
        )
        .unwrap();
    app.directory.catch_up().unwrap();
    summary
}

/// The public page of the listing a feed item became.
async fn listing_page_of(app: &App, item: &str) -> String {
    let link = app
        .directory
        .backend()
        .link(
            "https://someone-else.example/feed",
            signpost_store::LinkKind::Activity,
            item,
        )
        .unwrap()
        .unwrap();
    let page = app
        .browser()
        .get(&format!("/activities/{}", link.target))
        .await;
    assert_eq!(page.status, 200);
    page.body
}

#[tokio::test]
async fn a_feed_cannot_borrow_a_checked_organisations_badge_until_a_checker_confirms() {
    let app = spawn_app().await;
    check_club_a(&app);
    let s = crawl_borrowing_feed(&app, &["1"]);
    assert_eq!(s.claims, 1, "{s}");

    // The public sees the feed's own organisation, not checked.
    let body = listing_page_of(&app, "1").await;
    assert!(body.contains("Someone Else Ltd"), "{body}");
    assert!(!body.contains("Club A"), "{body}");
    assert!(!body.contains("Safety checked"), "{body}");

    // A checker is asked, and says yes.
    let checker = app
        .signed_in("jo@sps.example", Role::Checker, Some("SPS"))
        .await;
    let queue = checker.get("/check").await.body;
    assert!(
        queue.contains("Sources that say they are an organisation in the directory (1)"),
        "{queue}"
    );
    assert!(
        queue.contains("the same charity number, 1187654"),
        "{queue}"
    );
    let action = first_href(&queue, "/check/claims/");
    assert!(action.ends_with("/confirm"), "{action}");
    let r = checker.submit("/check", &action, &[]).await;
    assert_eq!(
        (r.status, r.location.as_str()),
        (303, "/check?done=linked"),
        "{}",
        r.body
    );
    let again = checker.submit("/check", &action, &[]).await;
    assert_eq!(again.status, 409, "a claim is answered once");

    let body = listing_page_of(&app, "1").await;
    assert!(
        body.contains("Club A") && body.contains("Safety checked"),
        "{body}"
    );
    let history = checker.get("/check/providers/club-a").await.body;
    assert!(
        history.contains("confirmed a source speaks for this organisation"),
        "{history}"
    );

    // The feed's later items flow to Club A, and it never renames the checked organisation.
    let s = crawl_borrowing_feed(&app, &["1", "2"]);
    assert_eq!((s.added, s.claims, s.providers_added), (1, 0, 0), "{s}");
    let body = listing_page_of(&app, "2").await;
    assert!(
        body.contains("Club A") && body.contains("Safety checked"),
        "{body}"
    );
    let club = app
        .directory
        .backend()
        .provider(&Id::parse("club-a").unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(club.name, "Club A");
}

#[tokio::test]
async fn a_dismissed_claim_keeps_the_feed_apart_for_good() {
    let app = spawn_app().await;
    check_club_a(&app);
    crawl_borrowing_feed(&app, &["1"]);
    let checker = app
        .signed_in("jo@sps.example", Role::Checker, Some("SPS"))
        .await;
    let queue = checker.get("/check").await.body;
    let confirm = first_href(&queue, "/check/claims/");
    let action = confirm.replace("/confirm", "/dismiss");
    assert!(queue.contains(&format!(r#"action="{action}""#)), "{queue}");
    let r = checker.submit("/check", &action, &[]).await;
    assert_eq!(
        (r.status, r.location.as_str()),
        (303, "/check?done=kept-apart")
    );
    let s = crawl_borrowing_feed(&app, &["1", "2"]);
    assert_eq!(s.claims, 0, "{s}");
    assert!(
        checker
            .get("/check")
            .await
            .body
            .contains("Sources that say they are an organisation in the directory (0)")
    );
    let body = listing_page_of(&app, "2").await;
    assert!(
        !body.contains("Safety checked") && body.contains("Someone Else Ltd"),
        "{body}"
    );
    // Providers cannot answer claims.
    let sam = app
        .signed_in("sam@a.example", Role::Provider, Some("club-a"))
        .await;
    let page = sam.get("/provider").await;
    let r = sam
        .post("/check/claims/1/confirm", &[("csrf", &csrf(&page.body))])
        .await;
    assert_eq!(r.status, 403);
}

#[tokio::test]
async fn a_finished_listing_is_not_confirmed_as_running_and_the_provider_is_told_to_add_dates() {
    let app = spawn_app().await;
    // Club A's summer camp ran once, in August.
    let mut camp = activity("a-camp", "club-a", "Summer Camp");
    camp.schedule = signpost_model::Schedule {
        dated: vec![signpost_model::DatedSession {
            date: chrono::NaiveDate::from_ymd_opt(2026, 8, 10).unwrap(),
            start: signpost_model::SessionTime::parse("10:00").unwrap(),
            end: signpost_model::SessionTime::parse("15:00").unwrap(),
        }],
        ..Default::default()
    };
    app.directory.save_activity(camp).unwrap();
    let sam = app
        .signed_in("sam@a.example", Role::Provider, Some("club-a"))
        .await;
    let dash = sam.get("/provider").await.body;
    assert!(
        !dash.contains("/provider/listings/a-camp/confirm"),
        "no confirm button on a finished listing"
    );
    assert!(dash.contains("This activity has finished"), "{dash}");
    assert!(dash.contains(r#"href="/provider/listings/a-camp/edit">Add new dates"#));

    // An old form, or a crafted post, is told the truth.
    let r = sam
        .submit("/provider", "/provider/listings/a-camp/confirm", &[])
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(
        r.body
            .contains("has finished: its last date was 10 August 2026"),
        "{}",
        r.body
    );
    assert!(r.body.contains("add the new dates"), "{}", r.body);
    assert!(!r.body.contains("confirmed as running today"));
    let history = sam.get("/history/a-camp").await.body;
    assert!(!history.contains("confirmed still running"), "{history}");
}

#[tokio::test]
async fn an_edit_changes_only_what_the_provider_changed_and_a_moved_venue_shows_in_the_diff() {
    let app = spawn_app().await;
    // The venue's exact position, a kilometre from its postcode district's centre.
    let mut park = app
        .directory
        .backend()
        .activity(&Id::parse("a-football").unwrap())
        .unwrap()
        .unwrap();
    park.venues = vec![venue("Pickering Park Pavilion", 53.74601, -0.39527)];
    park.venues[0].postcode = Postcode::parse("HU5 3AB").ok();
    app.directory.save_activity(park.clone()).unwrap();
    let position = park.venues[0].coordinates;

    let sam = app
        .signed_in("sam@a.example", Role::Provider, Some("club-a"))
        .await;
    let checker = app
        .signed_in("jo@sps.example", Role::Checker, Some("SPS"))
        .await;

    // Only the time changes.
    let r = edit_listing(&sam, "a-football", &[("timetable", "Saturday 10:30-12:00")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let change = first_href(&checker.get("/check").await.body, "/check/changes/");
    let review = checker.get(&change).await.body;
    assert!(review.contains("Timetable"), "{review}");
    assert!(
        !review.contains("map position"),
        "the venue did not change: {review}"
    );
    let r = checker
        .submit(
            &change,
            &change,
            &[("decision", "approve"), ("message", "")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let after = app
        .directory
        .backend()
        .activity(&Id::parse("a-football").unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(
        after.venues[0].coordinates, position,
        "the venue stayed where it is"
    );
    assert_eq!(after.venues[0].name, "Pickering Park Pavilion");

    // A new postcode moves the venue, and the checker sees where to.
    let r = edit_listing(&sam, "a-football", &[("venue_postcode", "HU5")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let change = first_href(&checker.get("/check").await.body, "/check/changes/");
    let review = checker.get(&change).await.body;
    assert!(
        review.contains("map position 53.74601, -0.39527"),
        "{review}"
    );
    assert!(
        review.contains("map position 53.74430, -0.33260"),
        "{review}"
    );
}
