//! What the HTTP test files share: the real server on port 0, with its own data directory
//! holding the bundled sample directory, read at a fixed moment.

// Each test file uses its own part of this.
#![allow(dead_code, unused_macros, unused_imports)]

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use signpost_directory::Directory;
use signpost_web::SiteConfig;

/// Wednesday 25 November 2026, 12:00 in London (and UTC).
pub fn wednesday_noon() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
}

/// Imports a file as `signpost import` does and brings the index in step.
pub fn load(dir: &Directory, name: &str, text: &str) {
    signpost_ingest::Ingest::new(dir.backend(), dir.now())
        .load_directory_files(true)
        .import_text(name, text)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    dir.catch_up().unwrap();
}

pub struct Seeded {
    /// Removed when dropped: keep it as long as the server runs.
    pub data: tempfile::TempDir,
    pub base: String,
    pub directory: Arc<Directory>,
}

/// The sample directory served at [`wednesday_noon`].
pub async fn start_seeded() -> Seeded {
    start_seeded_with(SiteConfig::default()).await
}

/// The sample directory served at [`wednesday_noon`] with these settings.
pub async fn start_seeded_with(config: SiteConfig) -> Seeded {
    let data = tempfile::tempdir().unwrap();
    let (dir, _) = Directory::open(&data.path().join("data"), &data.path().join("index")).unwrap();
    let now = wednesday_noon();
    let dir = dir.with_clock(Arc::new(move || now));
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seed-data/directory.json");
    load(
        &dir,
        "directory.json",
        &std::fs::read_to_string(seed).unwrap(),
    );
    let directory = Arc::new(dir);
    let base = serve(directory.clone(), config).await;
    Seeded {
        data,
        base,
        directory,
    }
}

/// The sample directory served at [`wednesday_noon`], and a client for it. A suite adds its
/// own helpers with `impl common::SeededSite`; the [`Site`] ones come through `Deref`.
pub struct SeededSite {
    pub seeded: Seeded,
    pub site: Site,
}

impl std::ops::Deref for SeededSite {
    type Target = Site;
    fn deref(&self) -> &Site {
        &self.site
    }
}

/// [`start_seeded`], talked to with a client made from `builder`.
pub async fn seeded_site(builder: reqwest::ClientBuilder) -> SeededSite {
    let seeded = start_seeded().await;
    let site = Site {
        base: seeded.base.clone(),
        client: client(builder),
    };
    SeededSite { seeded, site }
}

/// Serves `directory` with `config` on a port of its own, for as long as the test runs; the
/// address to reach it, `http://127.0.0.1:{port}`.
pub async fn serve(directory: Arc<Directory>, config: SiteConfig) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        signpost_web::serve(listener, directory, config, std::future::pending())
            .await
            .unwrap();
    });
    base
}

/// The server a test talks to, and the client it talks with.
pub struct Site {
    pub base: String,
    pub client: reqwest::Client,
}

impl Site {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    /// The status and the page.
    pub async fn html(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// The status and the JSON answer (a test fails with the text if it is not JSON).
    pub async fn json(&self, path: &str) -> (u16, serde_json::Value) {
        let (status, text) = self.html(path).await;
        let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}: {text}"));
        (status, body)
    }
}

/// `app.get(..)`, `app.json(..)`, `app.base`: a test's `App` with a `site` field reads as its
/// [`Site`].
macro_rules! reads_as_site {
    ($app:ty) => {
        impl std::ops::Deref for $app {
            type Target = common::Site;
            fn deref(&self) -> &common::Site {
                &self.site
            }
        }
    };
}
pub(crate) use reads_as_site;

/// A client from `builder`, after installing the TLS crypto provider reqwest is built
/// without.
pub fn client(builder: reqwest::ClientBuilder) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    builder.build().unwrap()
}
