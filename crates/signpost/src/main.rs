//! The `signpost` command: serve the directory, import files, rebuild the index, load postcodes.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod export;
mod generate;
mod sources;

use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use signpost_accounts::Accounts;
use signpost_crawl::FetchConfig;
use signpost_directory::Directory;
use signpost_model::{Id, NewUser, Role};
use signpost_store::{SqliteStore, Store};
use signpost_web::SiteConfig;

/// Signpost: a searchable directory of activities for children and young people.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the data lives. The defaults work from the repository root with no setup.
#[derive(Args, Debug, Clone)]
struct Dirs {
    /// Directory for the SQLite database (the source of truth). Created if missing.
    /// [default: data]
    #[arg(long = "data-dir", env = "SIGNPOST_DATA_DIR", global = true)]
    given_data_dir: Option<PathBuf>,
    /// Directory for the search index. Derived from the database: safe to delete, and
    /// rebuilt if it was written from another database. [default: `index` inside the data
    /// directory when one is given, else `index`]
    #[arg(long = "index-dir", env = "SIGNPOST_INDEX_DIR", global = true)]
    given_index_dir: Option<PathBuf>,
}

impl Dirs {
    fn data_dir(&self) -> PathBuf {
        self.given_data_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from("data"))
    }

    /// A data directory of its own gets an index of its own, so two never share one.
    fn index_dir(&self) -> PathBuf {
        match (&self.given_index_dir, &self.given_data_dir) {
            (Some(index), _) => index.clone(),
            (None, Some(data)) => data.join("index"),
            (None, None) => PathBuf::from("index"),
        }
    }
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the web site and JSON API.
    Serve {
        #[command(flatten)]
        dirs: Dirs,
        /// Address to listen on. Port 0 picks a free port.
        #[arg(long, env = "SIGNPOST_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Do not load the bundled sample directory into an empty database.
        #[arg(long)]
        no_seed: bool,
        /// The directory file loaded on first start.
        #[arg(
            long,
            env = "SIGNPOST_SEED",
            default_value = "seed-data/directory.json"
        )]
        seed: PathBuf,
        /// The directory team's email address, shown to providers and checkers.
        #[arg(long, env = "SIGNPOST_CONTACT_EMAIL")]
        contact_email: Option<String>,
        /// The address people reach the site at, e.g. https://signpost.example.org. Used in
        /// invite links; an https address marks cookies Secure.
        #[arg(long, env = "SIGNPOST_PUBLIC_URL")]
        public_url: Option<String>,
        /// Months a listing can go unconfirmed before it shows "may be out of date".
        #[arg(long, env = "SIGNPOST_STALE_AFTER_MONTHS", default_value_t = signpost_directory::DEFAULT_STALE_MONTHS)]
        stale_after_months: u32,
        /// A TOML file of sources to crawl on a schedule (see the README).
        #[arg(long, env = "SIGNPOST_SOURCES")]
        sources: Option<PathBuf>,
        /// A map tile server, e.g. https://tile.example.org/{z}/{x}/{y}.png: results and
        /// listings then show their venues on a map. Without it there is no map and no
        /// request to anyone else.
        #[arg(long, env = "SIGNPOST_MAP_TILES", value_name = "URL", value_parser = signpost_web::MapTiles::parse)]
        map_tiles: Option<signpost_web::MapTiles>,
        /// The address of a reverse proxy in front of Signpost (repeat, or separate with
        /// commas), e.g. 127.0.0.1 for nginx on the same machine. Requests from it are
        /// counted against the client address it gives in X-Forwarded-For; without this
        /// setting that header is ignored.
        #[arg(
            long = "trusted-proxy",
            env = "SIGNPOST_TRUSTED_PROXIES",
            value_name = "IP",
            value_delimiter = ','
        )]
        trusted_proxies: Vec<std::net::IpAddr>,
        /// Connections open at once, in all [default: half the open-files limit, 16 to
        /// 4096]. Each address may hold 64 of them; a request's head must arrive within
        /// 10 s and its body within 90 s.
        #[arg(long, env = "SIGNPOST_MAX_CONNECTIONS", value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        max_connections: Option<u16>,
    },
    /// Accounts for providers, checkers and admins. Works while `serve` runs.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Import files: Signpost directory files (seed-data/README.md), Signpost's CSV template,
    /// Open Referral UK JSON (3.0 or 1.0) or OpenActive JSON. Works while `serve` runs.
    Import {
        #[command(flatten)]
        dirs: Dirs,
        /// Report what would change, and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Keep the safeguarding records and checks CSV and Open Referral UK files carry
        /// (Signpost's own exports do). Only for files you trust, such as your own directory
        /// moving to a new server: without it, every new provider from them starts as not
        /// checked. Signpost directory files are the directory's own records and always keep
        /// theirs.
        #[arg(long)]
        keep_checks: bool,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Write the whole directory in a format another directory can take in: Open Referral
    /// UK 3.0 JSON (`oruk`) or Signpost's CSV template (`csv`). Withdrawn listings are left
    /// out.
    Export {
        #[command(flatten)]
        dirs: Dirs,
        /// oruk or csv.
        #[arg(long)]
        format: export::Format,
        /// Where to write; standard output when left out. Written whole or not at all.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Crawl OpenActive feeds, Open Referral UK APIs or provider web pages. Works while
    /// `serve` runs.
    Crawl {
        #[command(flatten)]
        dirs: Dirs,
        /// What the URLs are: openactive (an RPDE feed or a dataset site), oruk (an API's
        /// base URL) or website (pages with schema.org JSON-LD).
        #[arg(long, default_value = "openactive")]
        kind: String,
        /// Report what would change, and write nothing.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        polite: Politeness,
        #[arg(required = true)]
        urls: Vec<String>,
    },
    /// Write a realistic synthetic directory (made-up listings in real towns) for
    /// benchmarks and load tests, in the format `signpost import` reads.
    Generate {
        /// How many activities: about one provider is made for every four.
        #[arg(long, value_name = "N", value_parser = generate::parse_count)]
        activities: usize,
        /// The same seed always gives the same file.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Where to write; standard output when left out. Written whole or not at all.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Rebuild the search index from the database.
    Reindex {
        #[command(flatten)]
        dirs: Dirs,
    },
    /// Postcode lookup tables.
    Postcodes {
        #[command(subcommand)]
        command: PostcodesCommand,
    },
}

/// How hard the crawler may press on other people's servers.
#[derive(Args, Debug, Clone)]
struct Politeness {
    /// Least time between two requests to the same host, in milliseconds.
    #[arg(long, env = "SIGNPOST_CRAWL_DELAY_MS", default_value_t = 1000)]
    delay_ms: u64,
    /// Pages read from one source in one run; the next run carries on from there.
    #[arg(long, default_value_t = 1000)]
    max_pages: usize,
    /// Seconds to wait for a connection, and for a whole response (headers and body): a
    /// response still arriving after this is given up on (and retried).
    #[arg(long, default_value_t = 30)]
    timeout_secs: u64,
    /// Retries after a timeout, a failed connection or a server error.
    #[arg(long, default_value_t = 3)]
    retries: u32,
    /// The largest response accepted, in megabytes.
    #[arg(long, default_value_t = 20)]
    max_mb: usize,
}

impl Politeness {
    fn fetch_config(&self) -> FetchConfig {
        FetchConfig {
            min_interval: Duration::from_millis(self.delay_ms),
            connect_timeout: Duration::from_secs(self.timeout_secs.min(30)),
            read_timeout: Duration::from_secs(self.timeout_secs),
            total_timeout: Duration::from_secs(self.timeout_secs),
            retries: self.retries,
            max_bytes: self.max_mb.saturating_mul(1024 * 1024),
            ..FetchConfig::default()
        }
    }
}

/// The account a one-time link is for, and the site it leads to.
#[derive(Args, Debug, Clone)]
struct LinkFor {
    #[command(flatten)]
    dirs: Dirs,
    #[arg(long)]
    email: String,
    /// The site's public address, to build the link from.
    #[arg(
        long,
        env = "SIGNPOST_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    public_url: String,
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// Create an account and print its one-time link to choose a password (there is no email
    /// sending yet: pass the link on privately).
    Invite {
        #[command(flatten)]
        to: LinkFor,
        /// provider, checker or admin.
        #[arg(long)]
        role: String,
        /// For a provider editor: the organisation's id. For a checker: the organisation they
        /// check for.
        #[arg(long)]
        org: Option<String>,
        /// The person's name (defaults to the start of the email address).
        #[arg(long)]
        name: Option<String>,
    },
    /// Print a one-time password-reset link for an account.
    Reset {
        #[command(flatten)]
        to: LinkFor,
    },
    /// List the accounts.
    List {
        #[command(flatten)]
        dirs: Dirs,
    },
}

#[derive(Subcommand, Debug)]
enum PostcodesCommand {
    /// Load a postcode-district centroid CSV or the ONS Postcode Directory CSV.
    Import {
        #[command(flatten)]
        dirs: Dirs,
        file: PathBuf,
    },
}

fn open(dirs: &Dirs) -> Result<Directory> {
    sources::repair(&SqliteStore::open(&dirs.data_dir())?)?;
    let (dir, report) = Directory::open(&dirs.data_dir(), &dirs.index_dir())?;
    if let Some(n) = report.rebuilt {
        eprintln!("Rebuilt the search index from the database ({n} activities).");
    }
    Ok(dir)
}

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SIGNPOST_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    if let Err(e) = run(Cli::parse()) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve {
            dirs,
            addr,
            no_seed,
            seed,
            contact_email,
            public_url,
            stale_after_months,
            sources,
            map_tiles,
            trusted_proxies,
            max_connections,
        } => serve(
            &dirs,
            addr,
            no_seed,
            &seed,
            stale_after_months,
            sources.as_deref(),
            SiteConfig {
                contact_email,
                public_url,
                map_tiles,
                // An IPv4 proxy seen through an IPv6 socket is the same proxy.
                trusted_proxies: trusted_proxies
                    .into_iter()
                    .map(|ip| ip.to_canonical())
                    .collect(),
                limits: {
                    let mut limits = signpost_web::ConnectionLimits::default();
                    if let Some(n) = max_connections {
                        limits.max_connections = usize::from(n);
                    }
                    limits
                },
            },
        ),
        Command::User { command } => user(command),
        Command::Import {
            dirs,
            dry_run,
            keep_checks,
            files,
        } => sources::import(&dirs, dry_run, keep_checks, &files),
        Command::Export { dirs, format, out } => export::run(&dirs, format, out.as_deref()),
        Command::Crawl {
            dirs,
            kind,
            dry_run,
            polite,
            urls,
        } => sources::crawl(&dirs, &kind, dry_run, &polite, &urls),
        Command::Generate {
            activities,
            seed,
            out,
        } => generate::run(activities, seed, out.as_deref()),
        Command::Reindex { dirs } => {
            let dir = open(&dirs)?;
            let n = dir.reindex()?;
            println!("Indexed {n} activities.");
            Ok(())
        }
        Command::Postcodes {
            command: PostcodesCommand::Import { dirs, file },
        } => {
            let r = Directory::import_postcodes_into(&dirs.data_dir(), &file)
                .with_context(|| format!("could not import postcodes from {}", file.display()))?;
            println!(
                "Loaded {} postcodes and {} places ({} rows skipped).",
                r.postcodes, r.places, r.skipped
            );
            Ok(())
        }
    }
}

fn accounts(dirs: &Dirs) -> Result<(Arc<SqliteStore>, Accounts)> {
    let store = Arc::new(SqliteStore::open(&dirs.data_dir())?);
    let accounts = Accounts::new(store.clone(), Arc::new(chrono::Utc::now));
    Ok((store, accounts))
}

fn link(to: &LinkFor, token: &str) -> String {
    format!(
        "{}/account/password?token={token}",
        to.public_url.trim_end_matches('/')
    )
}

fn user(command: UserCommand) -> Result<()> {
    match command {
        UserCommand::Invite {
            to,
            role,
            org,
            name,
        } => {
            let Some(role) = Role::parse(&role) else {
                bail!("'{role}' is not a role: use provider, checker or admin");
            };
            let (store, accounts) = accounts(&to.dirs)?;
            let email = to.email.clone();
            let provider_id = match role {
                Role::Provider => {
                    let org = org.as_deref().unwrap_or("");
                    let id = Id::parse(org).map_err(|_| {
                        anyhow::anyhow!("a provider editor needs --org with the organisation's id")
                    })?;
                    if store.provider(&id)?.is_none() {
                        bail!("there is no organisation with the id '{id}'");
                    }
                    Some(id)
                }
                _ => None,
            };
            let name = name.unwrap_or_else(|| email.split('@').next().unwrap_or("").to_owned());
            let (user, token) = accounts.invite(NewUser {
                email,
                name,
                role,
                provider_id,
                organisation: org.filter(|_| role == Role::Checker),
            })?;
            println!(
                "Invited {} as {}. Send them this link (it works once, for 7 days):",
                user.email,
                role.label().to_lowercase()
            );
            println!("{}", link(&to, &token));
            Ok(())
        }
        UserCommand::Reset { to } => {
            let (_, accounts) = accounts(&to.dirs)?;
            let (user, token) = accounts.reset_link(&to.email)?;
            println!(
                "A one-time link for {} to choose a password (it works once):",
                user.email
            );
            println!("{}", link(&to, &token));
            Ok(())
        }
        UserCommand::List { dirs } => {
            let (_, accounts) = accounts(&dirs)?;
            for u in accounts.users()? {
                let org = u
                    .provider_id
                    .as_ref()
                    .map(|p| p.to_string())
                    .or(u.organisation.clone())
                    .unwrap_or_default();
                let state = if u.disabled {
                    "disabled"
                } else if u.active {
                    "active"
                } else {
                    "invited"
                };
                println!("{}\t{}\t{}\t{}", u.email, u.role.as_str(), org, state);
            }
            Ok(())
        }
    }
}

fn serve(
    dirs: &Dirs,
    addr: SocketAddr,
    no_seed: bool,
    seed: &Path,
    stale_after_months: u32,
    sources: Option<&Path>,
    config: SiteConfig,
) -> Result<()> {
    let sources = sources.map(sources::read_sources).transpose()?;
    let dir = open(dirs)?.with_stale_after(stale_after_months);
    if !no_seed && dir.is_empty()? {
        if !seed.exists() {
            bail!(
                "the database is empty and the sample data {} was not found: run from the repository root, pass --seed FILE, or use --no-seed",
                seed.display()
            );
        }
        let r = sources::load_seed(&dir, seed)?;
        eprintln!(
            "Loaded the sample directory: {} providers, {} activities.",
            r.providers_added, r.added
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("could not start the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
            if e.kind() == std::io::ErrorKind::AddrInUse {
                anyhow::anyhow!("address {addr} is already in use: stop the other program or pass --addr with another port")
            } else {
                anyhow::anyhow!("could not listen on {addr}: {e}")
            }
        })?;
        let local = listener.local_addr()?;
        let dir = Arc::new(dir);
        tokio::spawn(catch_up(dir.clone()));
        if let Some(file) = sources {
            tokio::spawn(sources::schedule(dir.backend(), file));
        }
        // Listen for Ctrl-C and `kill` before saying we are running: a signal that came
        // between the two would otherwise end the process without a clean stop.
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt =
            signal(SignalKind::interrupt()).context("could not listen for Ctrl-C")?;
        let mut terminate =
            signal(SignalKind::terminate()).context("could not listen for SIGTERM")?;
        println!("Signpost is running at http://{local}/");
        signpost_web::serve(listener, dir, config, async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        })
        .await
        .context("the web server stopped")
    })
}

/// How often the server looks for writes made by other processes (an import, a crawl).
const CATCH_UP_EVERY: Duration = Duration::from_secs(2);

/// Keeps the index in step with writes another process makes to the database, so an import
/// or crawl beside a running server shows within seconds, with no restart.
async fn catch_up(dir: Arc<Directory>) {
    loop {
        tokio::time::sleep(CATCH_UP_EVERY).await;
        let d = dir.clone();
        match tokio::task::spawn_blocking(move || d.catch_up()).await {
            Ok(Ok(0)) => {}
            Ok(Ok(n)) => tracing::info!(listings = n, "index caught up with the database"),
            Ok(Err(e)) => tracing::warn!(error = %e, "could not catch the index up"),
            Err(e) => tracing::warn!(error = %e, "index catch-up stopped unexpectedly"),
        }
    }
}
