//! Signpost's own CSV template: one row per activity, for providers, councils and youth
//! services who keep their listings in a spreadsheet, and the format `signpost export --format
//! csv` writes so another Signpost directory can take a whole directory in.
//!
//! Columns are found by their header name, in any order; [`COLUMNS`] lists them with what to
//! write. A row with problems is refused as a whole, with every problem in one reason and the
//! row's line in the file, so a person can fix the spreadsheet in one pass.
//!
//! [`write`] and [`read`] are a pair: what `write` puts in a file, `read` gives back field for
//! field (the tests hold them to that). Three conventions make that work:
//! - **Several venues** go in the `venue_*` cells one line per venue, in the same order.
//! - **Cells a spreadsheet would run as a formula** (starting `=`, `+`, `-` or `@`, other than
//!   a plain number like `-0.35`) are written with a `'` in front, as spreadsheets themselves
//!   do, and the reader takes it off again. Opening an export cannot run anything.
//! - **Text the reader would change** (it turns HTML into text) is written with `&`, `<` and
//!   `>` as `&amp;`, `&lt;` and `&gt;`, so "Fish &amp; chips" in a listing stays as it is.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use signpost_model::{
    Access, Activity, AgeRange, Category, Contact, Cost, Gender, HowToJoin, Id, JoinMethod,
    Newcomer, Postcode, Provider, Safeguarding, SafeguardingPolicy, Schedule, Verification,
    VerificationCheck,
};

use crate::text::{email_address, phone_number, web_address};
use crate::{
    ActivityDraft, Draft, Entry, ProviderDraft, Rejection, VenueDraft, categories, coordinates,
    text,
};

mod columns;
mod read;
#[cfg(test)]
mod tests;
mod write;

pub use columns::{COLUMNS, template_csv};
pub use read::read;
pub use write::{MissingProvider, write};

#[cfg(test)]
use columns::*;
use write::*;
