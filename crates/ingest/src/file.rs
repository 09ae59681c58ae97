//! Importing files: Signpost's CSV template, Open Referral UK JSON (3.0 or 1.0; a paged
//! response, an array or one service), OpenActive JSON (an RPDE page, an array of items,
//! one item, or one opportunity) and Signpost directory files (see `directory_file`, which
//! are the directory's own records rather than a source's).
//!
//! A file is one source, named by its file name, so re-importing the same file (from
//! anywhere) finds the listings it made before; a row already here from a file of another
//! name, with every detail the same, is matched too (see `Ingest::place`). **A file is
//! written all or nothing**: every entry in one transaction, so an import killed part-way
//! writes nothing, and a rerun does the whole file. The file is in memory already, so one
//! batch costs no more memory than its rows.

use std::path::Path;

use serde_json::Value;
use signpost_feeds::openactive::{self, RpdePage};
use signpost_feeds::{Entry, Rejection, oruk, template};

use crate::directory_file::DirectoryFile;
use crate::{BatchExtras, Ingest, IngestError, Source, SourceKind, Summary};

/// What a file turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Oruk,
    OpenActive,
    Directory,
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::Csv => "Signpost CSV template",
            Format::Oruk => "Open Referral UK",
            Format::OpenActive => "OpenActive",
            Format::Directory => "Signpost directory file",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The file as a whole cannot be read: nothing from it was used.
    #[error("{0}")]
    Unreadable(String),
    #[error(transparent)]
    Ingest(#[from] IngestError),
}

enum Contents {
    Entries(Vec<Entry>),
    Rpde(RpdePage),
    Directory(DirectoryFile),
}

/// A directory file's problems: all of them, so a person can fix the file in one pass.
fn refused(name: &str, problems: Vec<String>) -> FileError {
    FileError::Unreadable(format!(
        "{name} is a Signpost directory file that cannot be used as it is, so nothing was changed:\n  {}",
        problems.join("\n  ")
    ))
}

fn has(v: &Value, key: &str) -> bool {
    v.get(key).is_some()
}

fn looks_like_rpde_item(v: &Value) -> bool {
    has(v, "state") && has(v, "id") && (has(v, "kind") || has(v, "data") || has(v, "modified"))
}

fn looks_like_opportunity(v: &Value) -> bool {
    let ctx = v.get("@context").map(|c| c.to_string()).unwrap_or_default();
    ctx.contains("openactive")
        || has(v, "eventSchedule")
        || has(v, "superEvent")
        || has(v, "subEvent")
}

/// Reads a file's text and says what it is.
fn read(name: &str, text: &str) -> Result<(Format, Contents), FileError> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".csv") {
        return Ok((Format::Csv, Contents::Entries(template::read(text))));
    }
    let value: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        FileError::Unreadable(format!(
            "{name} is not a CSV file (by its name) and not valid JSON: line {} column {}: {e}",
            e.line(),
            e.column()
        ))
    })?;
    if DirectoryFile::claims(&value) {
        let file = DirectoryFile::parse(text.trim_start_matches('\u{feff}'))
            .map_err(|p| refused(name, p.0))?;
        return Ok((Format::Directory, Contents::Directory(file)));
    }
    let page = |items: Vec<Value>| -> Result<RpdePage, FileError> {
        let wrapped = serde_json::json!({ "next": format!("file:{name}"), "items": items });
        openactive::parse_page(&wrapped.to_string()).map_err(FileError::Unreadable)
    };
    // `{"data": {...}}` without an item id: an opportunity in a partial envelope (as feed
    // tools save them), read as the opportunity itself.
    let value = match value {
        Value::Object(ref o)
            if !o.contains_key("id") && o.get("data").is_some_and(Value::is_object) =>
        {
            o["data"].clone()
        }
        other => other,
    };
    let first = match &value {
        Value::Array(a) => a.first().cloned().unwrap_or(Value::Null),
        other => other.clone(),
    };
    if has(&value, "items") && has(&value, "next") {
        let page = openactive::parse_page(text).map_err(FileError::Unreadable)?;
        return Ok((Format::OpenActive, Contents::Rpde(page)));
    }
    if looks_like_rpde_item(&first) {
        let items = match value {
            Value::Array(a) => a,
            one => vec![one],
        };
        return Ok((Format::OpenActive, Contents::Rpde(page(items)?)));
    }
    if looks_like_opportunity(&first) {
        let items: Vec<Value> = match value {
            Value::Array(a) => a,
            one => vec![one],
        };
        let entries = items
            .iter()
            .enumerate()
            .map(|(i, data)| {
                let id = ["@id", "id", "identifier"]
                    .iter()
                    .find_map(|k| data.get(*k).and_then(|v| v.as_str().map(str::to_owned)))
                    .unwrap_or_else(|| format!("{name}#{}", i + 1));
                openactive::map_item(&id, data)
            })
            .collect();
        return Ok((Format::OpenActive, Contents::Entries(entries)));
    }
    match oruk::parse_services(text) {
        Ok(page) if !page.services.is_empty() => Ok((
            Format::Oruk,
            Contents::Entries(page.services.iter().map(oruk::map_service).collect()),
        )),
        Ok(_) => Err(FileError::Unreadable(format!(
            "{name} holds no services or items"
        ))),
        Err(e) => Err(FileError::Unreadable(format!(
            "{name} is not a format Signpost reads (its CSV template, Open Referral UK or OpenActive JSON): {e}"
        ))),
    }
}

impl Ingest {
    /// Imports the file at `path`, named by its file name (see [`Ingest::import_text`]).
    pub fn import_path(&mut self, path: &Path) -> Result<(Format, Summary), FileError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            FileError::Unreadable(format!("could not read {}: {e}", path.display()))
        })?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        self.import_text(&name, &text)
    }

    /// Imports one file's text. Bad records are reported in the summary (with the file
    /// name); good ones are imported.
    pub fn import_text(&mut self, name: &str, text: &str) -> Result<(Format, Summary), FileError> {
        let (format, contents) = read(name, text)?;
        let source = Source {
            url: format!("{}{name}", crate::FILE_PREFIX),
            kind: SourceKind::File,
        };
        let mut summary = Summary {
            fetched: 1,
            ..Summary::default()
        };
        match contents {
            Contents::Entries(entries) => {
                summary.absorb(self.apply(&source, entries, BatchExtras::default())?);
            }
            Contents::Rpde(page) => {
                summary.absorb(self.apply_rpde(&source, &page, None)?);
            }
            Contents::Directory(_) if !self.directory_files => {
                return Err(FileError::Unreadable(format!(
                    "{name} is a Signpost directory file, which only `signpost import` loads"
                )));
            }
            Contents::Directory(file) => {
                return match self.load_directory(file)? {
                    Ok(loaded) => Ok((format, loaded)),
                    Err(problems) => Err(refused(name, problems.0)),
                };
            }
        }
        for r in &mut summary.rejected {
            *r = Rejection::new(format!("{name} {}", r.at), std::mem::take(&mut r.reason));
        }
        Ok((format, summary))
    }
}
