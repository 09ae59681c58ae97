//! What the tests at the repository root share: the built `signpost` binary run the way a
//! person runs it, each test with its own temporary data and index directories, and a
//! [`Server`] started on `127.0.0.1:0` whose address is read from the line it prints.

// Each test file uses its own part of this.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

pub const BIN: &str = env!("CARGO_BIN_EXE_signpost");
/// How long a server may take to load the sample directory and start listening.
pub const START_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a command that should fail at once may take to do so.
pub const EXIT_TIMEOUT: Duration = Duration::from_secs(10);

/// The repository root: the default seed path (`seed-data/directory.json`) is relative to it.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A `signpost` command run from the repository root, with no settings leaking in from the
/// environment of whoever runs the tests.
pub fn signpost() -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(repo_root())
        .env_remove("SIGNPOST_DATA_DIR")
        .env_remove("SIGNPOST_INDEX_DIR")
        .env_remove("SIGNPOST_ADDR")
        .env_remove("SIGNPOST_SEED")
        .env_remove("SIGNPOST_LOG")
        .env_remove("SIGNPOST_PUBLIC_URL")
        .env_remove("SIGNPOST_MAP_TILES")
        .stdin(Stdio::null());
    cmd
}

/// A fresh pair of data and index directories inside one temporary directory.
pub struct Dirs {
    pub tmp: TempDir,
}

impl Dirs {
    pub fn new() -> Self {
        Dirs {
            tmp: tempfile::tempdir().unwrap(),
        }
    }

    pub fn root(&self) -> &Path {
        self.tmp.path()
    }

    pub fn data(&self) -> PathBuf {
        self.root().join("data")
    }

    pub fn index(&self) -> PathBuf {
        self.root().join("index")
    }

    /// `--data-dir DIR --index-dir DIR`, for any subcommand.
    pub fn args(&self) -> Vec<String> {
        vec![
            "--data-dir".into(),
            self.data().display().to_string(),
            "--index-dir".into(),
            self.index().display().to_string(),
        ]
    }

    /// Writes a file into the temporary directory and returns its path.
    pub fn write(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.root().join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }
}

/// Runs a command to completion and returns what it printed.
pub struct Ran {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Display for Ran {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.status, self.stdout, self.stderr
        )
    }
}

impl From<Output> for Ran {
    fn from(o: Output) -> Self {
        Ran {
            status: o.status,
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// `signpost <args...> [--data-dir ... --index-dir ...]`, run to completion.
pub fn cli(dirs: &Dirs, args: &[&str]) -> Ran {
    let mut cmd = signpost();
    cmd.args(args).args(dirs.args());
    cmd.output().unwrap().into()
}

/// Reads everything from a pipe on a thread, so the child never blocks on a full pipe. The
/// thread ends, giving the text, when the child has exited.
pub fn drain(mut pipe: impl Read + Send + 'static) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Waits for a child to exit, killing it if it takes longer than `timeout`.
pub fn wait_for_exit(child: &mut Child, timeout: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs a command that is expected to stop by itself, killing it after `timeout`. Returns
/// `None` when it had to be killed.
pub fn run_with_timeout(cmd: &mut Command, timeout: Duration) -> Option<Ran> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = drain(child.stdout.take().unwrap());
    let stderr = drain(child.stderr.take().unwrap());
    let status = wait_for_exit(&mut child, timeout);
    let stdout = stdout.join().unwrap();
    let stderr = stderr.join().unwrap();
    status.map(|status| Ran {
        status,
        stdout,
        stderr,
    })
}

/// A running `signpost serve`. Dropping it kills the process and waits for it.
pub struct Server {
    pub child: Child,
    pub url: String,
    pub stderr: Option<JoinHandle<String>>,
    pub http: reqwest::Client,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `signpost serve` on a free port with the given directories and extra arguments,
    /// and waits until it says it is listening.
    pub fn start(dirs: &Dirs, extra: &[&str]) -> Server {
        let mut args = dirs.args();
        args.extend(extra.iter().map(|a| a.to_string()));
        Server::start_with(&args)
    }

    /// As [`Server::start`], with every argument after `serve` given.
    pub fn start_with(args: &[String]) -> Server {
        let mut cmd = signpost();
        cmd.arg("serve")
            .args(["--addr", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        let stderr = drain(child.stderr.take().unwrap());

        let (tx, rx) = mpsc::channel::<String>();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if !sent && let Some(url) = line.split("Signpost is running at ").nth(1) {
                    let _ = tx.send(url.trim().trim_end_matches('/').to_owned());
                    sent = true;
                }
            }
        });

        let url = match rx.recv_timeout(START_TIMEOUT) {
            Ok(url) => url,
            Err(e) => {
                let _ = child.kill();
                let status = child.wait().unwrap();
                panic!(
                    "the server did not say it was running ({e:?}); it exited with {status}\n--- stderr ---\n{}",
                    stderr.join().unwrap()
                );
            }
        };
        // reqwest is built without a crypto provider of its own.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        Server {
            child,
            url,
            stderr: Some(stderr),
            http,
        }
    }

    /// Stops the server the way a person does, with Ctrl-C, checks it exits cleanly, and
    /// returns everything it wrote to stderr.
    pub fn stop(mut self) -> String {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .is_ok_and(|s| s.success());
        let status = if sent {
            wait_for_exit(&mut self.child, EXIT_TIMEOUT)
        } else {
            // No `kill` command here: stop it outright instead.
            let _ = self.child.kill();
            self.child.wait().ok()
        };
        let stderr = self.stderr.take().unwrap().join().unwrap();
        if sent {
            assert!(
                status.is_some_and(|s| s.success()),
                "the server did not stop cleanly on Ctrl-C: {status:?}\n--- stderr ---\n{stderr}"
            );
        }
        stderr
    }

    /// GETs a path and returns the status and body.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let url = format!("{}{path}", self.url);
        let response = self
            .http
            .get(&url)
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {url}: {e}"));
        let status = response.status().as_u16();
        let body = response.text().await.unwrap();
        (status, body)
    }

    /// GETs a path that answers JSON.
    pub async fn json(&self, path: &str) -> (u16, Value) {
        let (status, body) = self.get(path).await;
        let value = serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("GET {path} gave {status} and not JSON ({e}): {body}"));
        (status, value)
    }
}
