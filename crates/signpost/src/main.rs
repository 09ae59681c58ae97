//! The `signpost` command: serve the directory, import files, rebuild the index, load postcodes.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use signpost_directory::Directory;
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
    #[arg(long, env = "SIGNPOST_DATA_DIR", default_value = "data", global = true)]
    data_dir: PathBuf,
    /// Directory for the search index. Derived from the database: safe to delete.
    #[arg(
        long,
        env = "SIGNPOST_INDEX_DIR",
        default_value = "index",
        global = true
    )]
    index_dir: PathBuf,
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
        /// Where "report a problem" emails go. Without it they go to the group itself.
        #[arg(long, env = "SIGNPOST_CONTACT_EMAIL")]
        contact_email: Option<String>,
    },
    /// Import one or more directory files (the format in seed-data/README.md).
    Import {
        #[command(flatten)]
        dirs: Dirs,
        #[arg(required = true)]
        files: Vec<PathBuf>,
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
    let (dir, report) = Directory::open(&dirs.data_dir, &dirs.index_dir)?;
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
        } => serve(&dirs, addr, no_seed, &seed, SiteConfig { contact_email }),
        Command::Import { dirs, files } => {
            let dir = open(&dirs)?;
            for file in &files {
                let r = dir.import_file(file).with_context(|| {
                    format!("could not import {}; nothing was changed", file.display())
                })?;
                println!(
                    "Imported {}: {} providers, {} activities, {} postcodes.",
                    file.display(),
                    r.providers,
                    r.activities,
                    r.postcodes
                );
            }
            Ok(())
        }
        Command::Reindex { dirs } => {
            let dir = open(&dirs)?;
            let n = dir.reindex()?;
            println!("Indexed {n} activities.");
            Ok(())
        }
        Command::Postcodes {
            command: PostcodesCommand::Import { dirs, file },
        } => {
            let r = Directory::import_postcodes_into(&dirs.data_dir, &file)
                .with_context(|| format!("could not import postcodes from {}", file.display()))?;
            println!(
                "Loaded {} postcodes and {} places ({} rows skipped).",
                r.postcodes, r.places, r.skipped
            );
            Ok(())
        }
    }
}

fn serve(
    dirs: &Dirs,
    addr: SocketAddr,
    no_seed: bool,
    seed: &Path,
    config: SiteConfig,
) -> Result<()> {
    let dir = open(dirs)?;
    if !no_seed && dir.is_empty()? {
        if !seed.exists() {
            bail!(
                "the database is empty and the sample data {} was not found: run from the repository root, pass --seed FILE, or use --no-seed",
                seed.display()
            );
        }
        let r = dir
            .import_file(seed)
            .with_context(|| format!("could not load the sample data {}", seed.display()))?;
        eprintln!(
            "Loaded the sample directory: {} providers, {} activities.",
            r.providers, r.activities
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
        println!("Signpost is running at http://{local}/");
        signpost_web::serve(listener, Arc::new(dir), config, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("the web server stopped")
    })
}
