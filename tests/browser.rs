//! Real-browser tests: the built `signpost` binary serves the sample directory on
//! `127.0.0.1:0`, and headless Chromium, driven from Node by `playwright-core`, uses it the
//! way people do (the journeys are in `tests/browser/*.mjs`). axe-core checks every page
//! type, the search results page is weighed, and screenshots of the main pages at 375 and
//! 1280 pixels wide are saved in `target/screenshots/`.
//!
//! These tests need Debian's `chromium` and `npm ci --prefix tests/browser`; `scripts/test`
//! installs both. Without them the tests fail and say so: they are never skipped. Nothing
//! here reaches anything but loopback (the map's tile server is a made-up host the browser
//! never reaches: the journey answers its requests itself).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::{BIN, Dirs, Server, cli, repo_root, run_with_timeout};

/// Long enough for a slow machine; the journeys take about half a minute.
const JOURNEY_TIMEOUT: Duration = Duration::from_secs(240);

/// The listing the provider edits and the checker approves (in the sample directory).
const EDITED_LISTING: &str = "humber-wanderers-junior-fc-pan-disability";
const EDITED_PROVIDER: &str = "humber-wanderers-junior-fc";
/// A sample listing with two venues, both in Hull.
const TWO_VENUES: &str = "green-shoots-hull-community-garden-eco-volunteers";
/// A tile server on a host that does not exist; the map journey answers for it.
const FAKE_TILES: &str = "http://tiles.test/{z}/{x}/{y}.png";

const HOW_TO_FIX: &str = "run `scripts/test` (it installs both), or by hand: \
     `apt-get install chromium` (or set CHROMIUM to a Chromium binary) and \
     `PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix tests/browser`";

/// Chromium, Node and the journeys' npm packages, or a failure that says how to get them.
fn browser_tools() -> PathBuf {
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        chromium.exists(),
        "the browser tests need Chromium at {}: {HOW_TO_FIX}",
        chromium.display()
    );
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.as_ref().is_ok_and(|o| o.status.success()),
        "the browser tests need Node.js 20 or later on the PATH (`node`): install it, then {HOW_TO_FIX}"
    );
    let modules = repo_root().join("tests/browser/node_modules");
    for package in ["playwright-core", "axe-core"] {
        assert!(
            modules.join(package).join("package.json").exists(),
            "the browser tests need {package} in tests/browser/node_modules: {HOW_TO_FIX}"
        );
    }
    chromium
}

/// `<target dir>/screenshots`, beside the `debug` folder the binary is in.
fn screenshots_dir() -> PathBuf {
    Path::new(BIN)
        .ancestors()
        .nth(2)
        .expect("the binary sits in <target>/<profile>/")
        .join("screenshots")
}

/// `signpost user invite`, returning the one-time link it prints.
fn invite(dirs: &Dirs, server: &Server, email: &str, role: &str, org: &str) -> String {
    let ran = cli(
        dirs,
        &[
            "user",
            "invite",
            "--email",
            email,
            "--role",
            role,
            "--org",
            org,
            "--public-url",
            &server.url,
        ],
    );
    assert!(ran.status.success(), "{ran}");
    ran.stdout
        .lines()
        .find(|l| l.contains("/account/password?token="))
        .unwrap_or_else(|| panic!("no link in {ran}"))
        .trim()
        .to_owned()
}

/// Runs one journey file against `server` and fails with everything it printed if any
/// journey in it failed.
fn journeys(script: &str, chromium: &Path, server: &Server, env: &[(&str, &str)]) {
    let shots = screenshots_dir();
    let mut cmd = Command::new("node");
    cmd.arg(repo_root().join("tests/browser").join(script))
        .current_dir(repo_root())
        .env("CHROMIUM", chromium)
        .env("SIGNPOST_URL", &server.url)
        .env("SIGNPOST_SCREENSHOTS", &shots)
        // Belt and braces: playwright-core never downloads a browser, and nothing may.
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .envs(env.iter().copied());
    let ran = run_with_timeout(&mut cmd, JOURNEY_TIMEOUT)
        .unwrap_or_else(|| panic!("{script} took longer than {JOURNEY_TIMEOUT:?}"));
    // Shown with --nocapture, and on failure: which journeys ran and the page weight.
    println!("{}", ran.stdout);
    assert!(ran.status.success(), "{script} failed: {ran}");
    println!("Screenshots are in {}", shots.display());
}

#[test]
fn people_use_the_site_in_a_real_browser() {
    let chromium = browser_tools();
    let dirs = Dirs::new();
    let server = Server::start(&dirs, &[]);
    let provider_email = "editor@humber-wanderers.example";
    let checker_email = "checker@hull-council.example";
    let admin_email = "admin@hull-council.example";
    let provider = invite(&dirs, &server, provider_email, "provider", EDITED_PROVIDER);
    let checker = invite(
        &dirs,
        &server,
        checker_email,
        "checker",
        "Hull City Council",
    );
    let admin = invite(&dirs, &server, admin_email, "admin", "Hull City Council");
    journeys(
        "journeys.mjs",
        &chromium,
        &server,
        &[
            ("SIGNPOST_PROVIDER_LINK", &provider),
            ("SIGNPOST_PROVIDER_EMAIL", provider_email),
            ("SIGNPOST_CHECKER_LINK", &checker),
            ("SIGNPOST_CHECKER_EMAIL", checker_email),
            ("SIGNPOST_ADMIN_LINK", &admin),
            ("SIGNPOST_ADMIN_EMAIL", admin_email),
            ("SIGNPOST_EDIT_LISTING", EDITED_LISTING),
        ],
    );
    server.stop();
}

#[test]
fn results_and_listings_show_venues_on_a_map_when_a_tile_server_is_configured() {
    let chromium = browser_tools();
    let dirs = Dirs::new();
    let server = Server::start(&dirs, &["--map-tiles", FAKE_TILES]);
    journeys(
        "map.mjs",
        &chromium,
        &server,
        &[
            ("SIGNPOST_MAP_TILES", FAKE_TILES),
            ("SIGNPOST_MANY_VENUES", TWO_VENUES),
        ],
    );
    server.stop();
}
