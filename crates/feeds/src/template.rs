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

/// What a person is told about safeguarding columns.
macro_rules! keep_checks_note {
    () => {
        " Read only when the person importing passes --keep-checks (moving a directory between Signpost servers); otherwise no file can vouch for safeguarding. Give the same value on every row of the organisation."
    };
}

/// Every column: its header, whether it is required, and what to write in it with an example.
pub const COLUMNS: &[(&str, bool, &str)] = &[
    (
        "id",
        true,
        "Your own id for this row, unique in the file and kept the same every time you upload, so Signpost updates the listing instead of adding a new one. An id of lowercase letters, digits and dashes also becomes the listing's address when it is free. e.g. riverside-tue-club",
    ),
    (
        "provider_name",
        true,
        "The organisation that runs the activity. e.g. Riverside Youth Trust",
    ),
    (
        "provider_id",
        false,
        "Your own id for the organisation: rows with the same provider_id are one organisation. One of lowercase letters, digits and dashes also becomes the organisation's address when it is new and the address is free. Empty: rows with the same provider_name are one organisation. e.g. riverside-youth-trust",
    ),
    (
        "provider_charity_number",
        false,
        "Registered charity number, if any (England and Wales digits, Scotland SC..., Northern Ireland NIC...). e.g. 1234567",
    ),
    (
        "provider_company_number",
        false,
        "Companies House number, if any: letters and digits. e.g. 09876543",
    ),
    (
        "provider_website",
        false,
        "The organisation's website. e.g. https://riverside-youth.example.org",
    ),
    (
        "provider_email",
        false,
        "The organisation's email address. e.g. hello@riverside-youth.example.org",
    ),
    (
        "provider_phone",
        false,
        "The organisation's phone number. e.g. 01632 960123",
    ),
    (
        "provider_postcode",
        false,
        "The organisation's own postcode (its office, not the venue). e.g. HU5 2AA",
    ),
    (
        "provider_description",
        false,
        "What the organisation does. Plain text; line breaks are kept. e.g. A youth charity in west Hull.",
    ),
    (
        "title",
        true,
        "The activity's name as young people would search for it. e.g. Tuesday Youth Club",
    ),
    (
        "description",
        false,
        "What happens, who it suits, what to bring. Plain text; line breaks are kept.",
    ),
    (
        "categories",
        false,
        "One or more of: sport, arts-crafts, music, dance-drama, outdoors, youth-club, wellbeing, peer-support, lgbtq, young-carers, send-inclusive, volunteering, skills-learning, faith-culture, family, holiday-food; separated by ;. Empty: worked out from the title. e.g. youth-club;music",
    ),
    (
        "terms",
        false,
        "Your own words for the kind of activity, kept as written and searchable; separated by ;, or one per line (then a ; is part of a term). e.g. Youth clubs;Cooking",
    ),
    (
        "ages",
        false,
        "Youngest and oldest age, inclusive; months for under-twos. Empty: age not stated. e.g. 11-16, or 0m-18m",
    ),
    ("gender", false, "mixed, girls or boys. Empty: mixed."),
    ("free", false, "yes if it costs nothing. e.g. no"),
    ("price", false, "Price per session in pounds. e.g. 1.50"),
    (
        "concessions",
        false,
        "Cheaper prices for some people, in words. e.g. Free with a Max card",
    ),
    (
        "bursary",
        false,
        "yes if a bursary or funding can cover the cost. e.g. no",
    ),
    (
        "schedule",
        false,
        "When it runs, one entry per line or separated by ;: a day and times, optionally term-time or holidays, from DATE, until DATE; a one-off date and times; or not DATE for a date it does not run. e.g. tuesday 18:30-20:30 term-time; not 2026-11-24",
    ),
    (
        "venue_name",
        false,
        "Where it happens. For several venues, write one line per venue in each venue_* cell, in the same order, leaving a line empty where a venue has no value. e.g. Riverside Community Centre",
    ),
    (
        "venue_address",
        false,
        "The venue's street address, without the postcode; one line per venue when there are several. e.g. 12 Chanterlands Avenue, Hull",
    ),
    (
        "venue_postcode",
        false,
        "The venue's postcode. A venue needs this or venue_lat and venue_lon. e.g. HU5 3AB",
    ),
    (
        "venue_lat",
        false,
        "The venue's latitude, if you know it. e.g. 53.7676",
    ),
    (
        "venue_lon",
        false,
        "The venue's longitude, if you know it. e.g. -0.3573",
    ),
    (
        "online",
        false,
        "yes if it runs online (then a venue is optional). e.g. no",
    ),
    (
        "wheelchair",
        false,
        "yes if a wheelchair user can get in and take part. e.g. yes",
    ),
    (
        "send_friendly",
        false,
        "yes if it welcomes and adapts for children with special educational needs and disabilities. e.g. yes",
    ),
    (
        "quiet_sessions",
        false,
        "yes if there are quiet or autism-friendly sessions. e.g. no",
    ),
    (
        "languages",
        false,
        "Languages the leaders speak besides English, separated by ;. e.g. Polish;Arabic",
    ),
    (
        "join",
        false,
        "How to join, one or more of: drop-in, self-referral, professional-referral, booking; separated by ;. e.g. drop-in",
    ),
    (
        "newcomers",
        false,
        "Who a newcomer may come with on their first visit, one or more of: alone (someone will meet them), friend, parent (a parent or carer can stay); separated by ;. e.g. alone;friend",
    ),
    (
        "contact_name",
        false,
        "Who to ask about the activity. e.g. Sam Taylor",
    ),
    (
        "contact_email",
        false,
        "Email for questions or booking. e.g. sam@riverside-youth.example.org",
    ),
    (
        "contact_phone",
        false,
        "Phone for questions or booking. e.g. 01632 960124",
    ),
    (
        "contact_url",
        false,
        "A page about the activity or for booking. e.g. https://riverside-youth.example.org/tuesday",
    ),
    (
        "join_notes",
        false,
        "Anything else about joining. e.g. Just turn up; your first session is free.",
    ),
    (
        "last_updated",
        false,
        "When the listing last changed, as YYYY-MM-DD, or with the time as Signpost's exports write it (2026-01-15T09:30:00Z). e.g. 2026-01-15",
    ),
    (
        "last_confirmed",
        false,
        "When someone last confirmed the activity still runs, as YYYY-MM-DD. e.g. 2026-01-15",
    ),
    (
        "provider_safeguarding_policy",
        false,
        concat!(
            "yes if the organisation has a written safeguarding policy, or the date it was last reviewed as YYYY-MM-DD; empty or no if it has none.",
            keep_checks_note!(),
            " e.g. 2025-09-01"
        ),
    ),
    (
        "provider_safeguarding_lead",
        false,
        concat!(
            "The designated safeguarding lead's role: a role, not a person's name, as it is shown publicly.",
            keep_checks_note!(),
            " e.g. Youth Work Manager"
        ),
    ),
    (
        "provider_enhanced_dbs",
        false,
        concat!(
            "yes if staff and volunteers who work with children have enhanced DBS checks.",
            keep_checks_note!(),
            " e.g. yes"
        ),
    ),
    (
        "provider_insurance_expires",
        false,
        concat!(
            "When the public liability insurance runs out, as YYYY-MM-DD.",
            keep_checks_note!(),
            " e.g. 2026-12-31"
        ),
    ),
    (
        "provider_first_aid",
        false,
        concat!(
            "yes if a trained first-aider is at every session.",
            keep_checks_note!(),
            " e.g. yes"
        ),
    ),
    (
        "provider_verification",
        false,
        concat!(
            "Whether anyone checked the safeguarding record: not-checked (or empty), self-declared (the organisation filled it in; nobody checked) or verified (a checker saw the evidence; it shows as expired after provider_verification_expires).",
            keep_checks_note!(),
            " e.g. self-declared"
        ),
    ),
    (
        "provider_verification_date",
        false,
        concat!(
            "For self-declared, the date it was declared (optional); for verified, the date it was checked (required). YYYY-MM-DD.",
            keep_checks_note!(),
            " e.g. 2026-01-10"
        ),
    ),
    (
        "provider_verification_expires",
        false,
        concat!(
            "Verified only: when the check runs out, as YYYY-MM-DD, not before provider_verification_date. Empty: 12 months after it.",
            keep_checks_note!(),
            " e.g. 2027-01-10"
        ),
    ),
    (
        "provider_verified_by",
        false,
        concat!(
            "Verified only: the person who checked. Signpost never shows this name publicly, but exports carry it: keep export files within the directory team.",
            keep_checks_note!(),
            " e.g. J. Okafor"
        ),
    ),
    (
        "provider_verified_for",
        false,
        concat!(
            "Verified only: the organisation the checker checked for (shown publicly).",
            keep_checks_note!(),
            " e.g. Hull Social Prescribing Service"
        ),
    ),
    (
        "provider_verification_evidence",
        false,
        concat!(
            "Verified only: what the checker saw.",
            keep_checks_note!(),
            " e.g. Policy reviewed Sept 2025, DBS certificates for 4 staff, insurance schedule"
        ),
    ),
];

/// The example row written under the header by [`template_csv`], in [`COLUMNS`] order.
const EXAMPLE: &[&str] = &[
    "riverside-tue-club",
    "Riverside Youth Trust",
    "riverside-youth-trust",
    "1234567",
    "",
    "https://riverside-youth.example.org",
    "hello@riverside-youth.example.org",
    "01632 960123",
    "HU5 2AA",
    "A youth charity in west Hull: clubs, trips and one-to-one support for young people.",
    "Tuesday Youth Club",
    "Games, cooking and music for 11 to 16 year olds.\nCome with friends or on your own: our youth workers will make you welcome.",
    "youth-club;music",
    "Youth clubs;Cooking",
    "11-16",
    "mixed",
    "no",
    "1.00",
    "Free with a Max card",
    "no",
    "tuesday 18:30-20:30 term-time\nnot 2026-11-24",
    "Riverside Community Centre",
    "12 Chanterlands Avenue, Hull",
    "HU5 3AB",
    "53.7676",
    "-0.3573",
    "no",
    "yes",
    "yes",
    "no",
    "Polish;Arabic",
    "drop-in",
    "alone;friend",
    "Sam Taylor",
    "sam@riverside-youth.example.org",
    "01632 960124",
    "https://riverside-youth.example.org/tuesday",
    "Just turn up; your first session is free.",
    "2026-01-15",
    "2026-01-15",
    "2025-09-01",
    "Youth Work Manager",
    "yes",
    "2026-12-31",
    "yes",
    "self-declared",
    "2026-01-10",
    "",
    "",
    "",
    "",
];

/// The header line and one filled-in example row, ready to open in a spreadsheet.
pub fn template_csv() -> String {
    let header: Vec<&str> = COLUMNS.iter().map(|(name, _, _)| *name).collect();
    to_csv([header, EXAMPLE.to_vec()])
}

/// Rows of cells as CSV text: CRLF line ends (what spreadsheets write), quotes only where a
/// cell needs them.
fn to_csv<R, C>(rows: impl IntoIterator<Item = R>) -> String
where
    R: IntoIterator<Item = C>,
    C: AsRef<[u8]>,
{
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for row in rows {
        writer
            .write_record(row)
            .expect("writing CSV to memory cannot fail");
    }
    let bytes = writer
        .into_inner()
        .expect("writing CSV to memory cannot fail");
    String::from_utf8(bytes).expect("CSV made from strings is UTF-8")
}

/// An activity whose provider is not among the providers given to [`write`].
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("activity {activity} belongs to provider {provider}, which is not in the directory")]
pub struct MissingProvider {
    pub activity: Id,
    pub provider: Id,
}

/// The whole directory as a filled-in template: the header, then one row per activity (in the
/// order given) with its provider's details, safeguarding record and check on every row.
/// [`read`] gives the same listings back. The file carries checkers' names: it is for the
/// directory team, not for publishing.
pub fn write(providers: &[Provider], activities: &[Activity]) -> Result<String, MissingProvider> {
    let by_id: HashMap<&Id, &Provider> = providers.iter().map(|p| (&p.id, p)).collect();
    let header: Vec<String> = COLUMNS.iter().map(|(c, _, _)| (*c).to_owned()).collect();
    let mut rows = vec![header];
    for a in activities {
        let p = by_id.get(&a.provider_id).ok_or_else(|| MissingProvider {
            activity: a.id.clone(),
            provider: a.provider_id.clone(),
        })?;
        rows.push(row_of(p, a));
    }
    Ok(to_csv(rows))
}

/// One activity's cells, in [`COLUMNS`] order.
fn row_of(p: &Provider, a: &Activity) -> Vec<String> {
    let mut cells: HashMap<&'static str, String> = HashMap::new();
    let mut set = |column: &'static str, value: String| {
        debug_assert!(COLUMNS.iter().any(|(c, _, _)| *c == column), "{column}");
        cells.insert(column, value);
    };
    let line = |s: &str| as_text(s, Text::Line);
    let opt_line = |s: Option<&str>| s.map(line).unwrap_or_default();
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();

    set("id", line(a.id.as_str()));
    set("provider_name", line(&p.name));
    set("provider_id", line(p.id.as_str()));
    set(
        "provider_charity_number",
        opt_line(p.charity_number.as_deref()),
    );
    set(
        "provider_company_number",
        opt_line(p.company_number.as_deref()),
    );
    set("provider_website", opt_line(p.website.as_deref()));
    set("provider_email", opt_line(p.email.as_deref()));
    set("provider_phone", opt_line(p.phone.as_deref()));
    set(
        "provider_postcode",
        p.postcode
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
    );
    set("provider_description", as_text(&p.description, Text::Plain));

    set("title", line(&a.title));
    set("description", as_text(&a.description, Text::Plain));
    set(
        "categories",
        a.categories
            .iter()
            .map(|c| c.slug())
            .collect::<Vec<_>>()
            .join(";"),
    );
    // Terms are free words: one per line when one of them holds the ';' that separates them.
    let terms: Vec<String> = a.terms.iter().map(|t| line(t)).collect();
    let separator = if terms.iter().any(|t| t.contains(';')) {
        "\n"
    } else {
        ";"
    };
    set("terms", terms.join(separator));
    set(
        "ages",
        a.stated_ages().map(|r| r.to_string()).unwrap_or_default(),
    );
    set("gender", a.gender.as_str().to_owned());
    set("free", yes_no_cell(a.cost.free));
    set(
        "price",
        a.cost
            .price_pence
            .map(|p| format!("{}.{:02}", p / 100, p % 100))
            .unwrap_or_default(),
    );
    set("concessions", opt_line(a.cost.concessions.as_deref()));
    set("bursary", yes_no_cell(a.cost.bursary));
    set("schedule", a.schedule.to_lines());

    // One line per venue in each venue cell; a value with a line break of its own would
    // shift the venues after it, so each is written as the one line the reader makes of it.
    let venue_cell = |value: &dyn Fn(&signpost_model::Venue) -> String| {
        a.venues
            .iter()
            .map(|v| value(v).split_whitespace().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    set("venue_name", venue_cell(&|v| line(&v.name)));
    set("venue_address", venue_cell(&|v| line(&v.address)));
    set(
        "venue_postcode",
        venue_cell(&|v| {
            v.postcode
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default()
        }),
    );
    set(
        "venue_lat",
        venue_cell(&|v| v.coordinates.lat().to_string()),
    );
    set(
        "venue_lon",
        venue_cell(&|v| v.coordinates.lon().to_string()),
    );
    set("online", yes_no_cell(a.online));

    set("wheelchair", yes_no_cell(a.access.wheelchair));
    set("send_friendly", yes_no_cell(a.access.send_friendly));
    set("quiet_sessions", yes_no_cell(a.access.quiet_sessions));
    set(
        "languages",
        a.access
            .languages
            .iter()
            .map(|l| line(l))
            .collect::<Vec<_>>()
            .join(";"),
    );
    set(
        "join",
        a.join
            .methods
            .iter()
            .map(|m| m.as_str())
            .collect::<Vec<_>>()
            .join(";"),
    );
    set(
        "newcomers",
        a.join
            .newcomers
            .iter()
            .map(|n| n.as_str())
            .collect::<Vec<_>>()
            .join(";"),
    );
    set("contact_name", opt_line(a.join.contact.name.as_deref()));
    set("contact_email", opt_line(a.join.contact.email.as_deref()));
    set("contact_phone", opt_line(a.join.contact.phone.as_deref()));
    set("contact_url", opt_line(a.join.contact.url.as_deref()));
    set("join_notes", as_text(&a.join.notes, Text::Plain));
    set(
        "last_updated",
        a.last_updated.to_rfc3339_opts(SecondsFormat::AutoSi, true),
    );
    set("last_confirmed", date(a.last_confirmed));

    let s = &p.safeguarding;
    set(
        "provider_safeguarding_policy",
        match &s.policy {
            None => String::new(),
            Some(SafeguardingPolicy {
                last_reviewed: None,
            }) => "yes".to_owned(),
            Some(SafeguardingPolicy {
                last_reviewed: Some(d),
            }) => d.to_string(),
        },
    );
    set(
        "provider_safeguarding_lead",
        opt_line(s.designated_lead_role.as_deref()),
    );
    set("provider_enhanced_dbs", yes_no_cell(s.enhanced_dbs));
    set("provider_insurance_expires", date(s.insurance_expires));
    set("provider_first_aid", yes_no_cell(s.first_aid));

    let (status, on, expires, by, for_, evidence) = match &p.verification {
        Verification::NotChecked => ("not-checked", None, None, "", "", ""),
        Verification::SelfDeclared { declared_on } => {
            ("self-declared", *declared_on, None, "", "", "")
        }
        Verification::Verified(c) => (
            "verified",
            Some(c.checked_on),
            Some(c.expires_on),
            c.checked_by.as_str(),
            c.on_behalf_of.as_str(),
            c.evidence.as_str(),
        ),
    };
    set("provider_verification", status.to_owned());
    set("provider_verification_date", date(on));
    set("provider_verification_expires", date(expires));
    set("provider_verified_by", line(by));
    set("provider_verified_for", line(for_));
    set(
        "provider_verification_evidence",
        as_text(evidence, Text::Plain),
    );

    debug_assert_eq!(cells.len(), COLUMNS.len(), "every column is written");
    COLUMNS
        .iter()
        .map(|(c, _, _)| guard(cells.remove(c).unwrap_or_default()))
        .collect()
}

fn yes_no_cell(yes: bool) -> String {
    if yes { "yes" } else { "no" }.to_owned()
}

/// How the reader takes a text cell: as one line, or as text with line breaks.
#[derive(Clone, Copy)]
enum Text {
    Line,
    Plain,
}

/// A text value as a cell the reader gives back unchanged. The reader turns HTML into text,
/// so a value it would change (one holding `&amp;` or `<b>` as words) has its `&`, `<` and
/// `>` written as entities; everything else is written as it is, for people to read.
fn as_text(value: &str, how: Text) -> String {
    let read = |s: &str| match how {
        Text::Line => text::line(s),
        Text::Plain => text::plain(s),
    };
    if read(value) == value {
        return value.to_owned();
    }
    let escaped = value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    if read(&escaped) == value {
        escaped
    } else {
        // Only spacing differs (the reader tidies runs of spaces): nothing to escape.
        value.to_owned()
    }
}

/// What a spreadsheet runs as a formula when a cell starts with it.
const FORMULA_START: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// A cell made safe to open in a spreadsheet: one that would start a formula gets a `'` in
/// front, as spreadsheets do when you type text like that. So does one that already starts
/// with `'` and then one of those (or another `'`), so [`unguard`] never takes off a quote
/// that was part of the value. Plain numbers (`-0.3573`) are left alone.
fn guard(cell: String) -> String {
    let mut chars = cell.chars();
    let needs = match chars.next() {
        Some(c) if FORMULA_START.contains(&c) => !is_plain_number(&cell),
        Some('\'') => chars
            .next()
            .is_some_and(|c| c == '\'' || FORMULA_START.contains(&c)),
        _ => false,
    };
    if needs { format!("'{cell}") } else { cell }
}

/// Takes off the `'` that [`guard`] put in front of a cell.
fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with('\'') || rest.starts_with(FORMULA_START) => rest,
        _ => cell,
    }
}

/// `-12`, `-0.3573`: a number a spreadsheet reads as a number, not a formula.
fn is_plain_number(s: &str) -> bool {
    let all_digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    match unsigned.split_once('.') {
        Some((whole, frac)) => all_digits(whole) && all_digits(frac),
        None => all_digits(unsigned),
    }
}

/// Reads a filled-in template. Each row becomes an [`Entry::Item`], or an [`Entry::Rejected`]
/// at "line N" (the row's first line in the file, the header being line 1) with every problem
/// in that row. A header with unknown, repeated or missing columns is one rejection for
/// "line 1" and nothing else is read: a misspelt column would otherwise drop that column's
/// answers from every row without anyone noticing.
pub fn read(text: &str) -> Vec<Entry> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return vec![header_rejection(
            "the file is empty: the first line should be the header (download the template to start)",
        )];
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        // Short rows (a spreadsheet that drops trailing empty cells) are read as blanks;
        // long rows are reported by the row check, with the line.
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return vec![header_rejection(&format!(
                "cannot read the header line: {e}"
            ))];
        }
    };
    let columns = match Columns::new(&headers) {
        Ok(c) => c,
        Err(reason) => return vec![header_rejection(&reason)],
    };
    let mut out = Vec::new();
    let mut ids: HashMap<String, u64> = HashMap::new();
    let mut lines = LineCounter::new(text);
    for result in reader.records() {
        match result {
            Ok(record) => {
                let line = record.position().map_or(0, |p| lines.at(p.byte()));
                if record.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                out.push(read_row(&columns, &record, line, &mut ids));
            }
            Err(e) => {
                let at = e.position().map_or_else(
                    || "file".to_owned(),
                    |p| format!("line {}", lines.at(p.byte())),
                );
                out.push(Entry::Rejected(Rejection::new(
                    at,
                    format!("cannot read this row: {e}"),
                )));
            }
        }
    }
    out
}

/// The line (from 1) a record starting at a byte is on. csv's own line count lags behind
/// after blank lines and with CRLF endings, because a record's position is taken before the
/// line breaks that precede it are skipped; counting newlines up to its first real character
/// is exact, and counts the lines inside quoted multi-line cells too. Records come in order,
/// so the count carries on from the last one: the whole file is read once, not once a row.
struct LineCounter<'t> {
    bytes: &'t [u8],
    counted_to: usize,
    newlines: u64,
}

impl<'t> LineCounter<'t> {
    fn new(text: &'t str) -> Self {
        LineCounter {
            bytes: text.as_bytes(),
            counted_to: 0,
            newlines: 0,
        }
    }

    fn at(&mut self, byte: u64) -> u64 {
        let bytes = self.bytes;
        let mut start = usize::try_from(byte)
            .unwrap_or(bytes.len())
            .min(bytes.len());
        while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start < self.counted_to {
            // Never expected (records come in order); count again from the start.
            self.counted_to = 0;
            self.newlines = 0;
        }
        let more = bytes[self.counted_to..start]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.newlines = self
            .newlines
            .saturating_add(u64::try_from(more).unwrap_or(u64::MAX));
        self.counted_to = start;
        self.newlines.saturating_add(1)
    }
}

fn header_rejection(reason: &str) -> Entry {
    Entry::Rejected(Rejection::new("line 1", reason))
}

/// One row, read by column name.
struct Row<'r> {
    columns: &'r Columns,
    record: &'r csv::StringRecord,
}

impl<'r> Row<'r> {
    fn cell(&self, column: &str) -> &'r str {
        self.columns.get(self.record, column)
    }

    /// Whether the file has this column at all (an absent column says nothing; a present
    /// empty cell says "none").
    fn has(&self, column: &str) -> bool {
        self.columns.index.contains_key(column)
    }

    /// The lines of a cell that holds one line per venue, each trimmed, without the blank
    /// lines at the end (a blank line before another one stands for a venue without a value).
    fn lines(&self, column: &str) -> Vec<&'r str> {
        let raw = self
            .columns
            .index
            .get(column)
            .and_then(|i| self.record.get(*i))
            .unwrap_or("");
        let raw = unguard(raw.trim_start_matches([' ', '\t']).trim_end());
        if raw.is_empty() {
            return Vec::new();
        }
        raw.lines().map(str::trim).collect()
    }
}

/// Where each known column is in the file.
struct Columns {
    index: HashMap<&'static str, usize>,
    width: usize,
}

impl Columns {
    fn new(headers: &csv::StringRecord) -> Result<Self, String> {
        let mut index = HashMap::new();
        let mut unknown = Vec::new();
        let mut repeated = Vec::new();
        for (i, raw) in headers.iter().enumerate() {
            // Spreadsheets are forgiving about headers, so this is too: "Provider name" is
            // provider_name. Blank headers (trailing empty columns) are ignored.
            let name = raw.trim().to_ascii_lowercase().replace([' ', '-'], "_");
            if name.is_empty() {
                continue;
            }
            match COLUMNS.iter().find(|(c, _, _)| *c == name) {
                Some((c, _, _)) => {
                    if index.insert(*c, i).is_some() && !repeated.contains(c) {
                        repeated.push(*c);
                    }
                }
                None => unknown.push(format!("'{}'", raw.trim())),
            }
        }
        let missing: Vec<&str> = COLUMNS
            .iter()
            .filter(|(c, required, _)| *required && !index.contains_key(c))
            .map(|(c, _, _)| *c)
            .collect();
        let mut problems = Vec::new();
        if !unknown.is_empty() {
            problems.push(format!(
                "unknown column{} {}; the columns are: {}",
                if unknown.len() == 1 { "" } else { "s" },
                unknown.join(", "),
                COLUMNS
                    .iter()
                    .map(|(c, _, _)| *c)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !repeated.is_empty() {
            problems.push(format!(
                "column{} {} appear{} more than once",
                if repeated.len() == 1 { "" } else { "s" },
                repeated.join(", "),
                if repeated.len() == 1 { "s" } else { "" }
            ));
        }
        if !missing.is_empty() {
            problems.push(format!(
                "required column{} missing: {}",
                if missing.len() == 1 { " is" } else { "s are" },
                missing.join(", ")
            ));
        }
        if problems.is_empty() {
            Ok(Columns {
                index,
                width: headers.len(),
            })
        } else {
            Err(format!(
                "the header line has problems: {}",
                problems.join("; ")
            ))
        }
    }

    /// The trimmed cell under `column` without the `'` that keeps a formula from running,
    /// or "" when the column or the cell is absent.
    fn get<'r>(&self, record: &'r csv::StringRecord, column: &str) -> &'r str {
        self.index
            .get(column)
            .and_then(|i| record.get(*i))
            .map_or("", |c| unguard(c.trim()))
    }
}

fn read_row(
    columns: &Columns,
    record: &csv::StringRecord,
    line: u64,
    ids: &mut HashMap<String, u64>,
) -> Entry {
    let mut problems: Vec<String> = Vec::new();
    let row = Row { columns, record };
    let cell = |name: &str| row.cell(name);

    if record.len() > columns.width
        && record
            .iter()
            .skip(columns.width)
            .any(|c| !c.trim().is_empty())
    {
        problems.push(format!(
            "the row has {} cells but the header has {} columns (a comma in a cell needs the cell in \"quotes\")",
            record.len(),
            columns.width
        ));
    }

    let id = text::line(cell("id"));
    if id.is_empty() {
        problems.push("id is required".to_owned());
    } else if let Some(first) = ids.get(&id) {
        problems.push(format!("id '{id}' is already used on line {first}"));
    } else {
        ids.insert(id.clone(), line);
    }

    let provider_name = text::line(cell("provider_name"));
    if provider_name.is_empty() {
        problems.push("provider_name is required".to_owned());
    }
    let title = text::line(cell("title"));
    if title.is_empty() {
        problems.push("title is required".to_owned());
    }

    // A provider_id names the organisation in this file: rows sharing it are one provider
    // (two organisations may share a name), and it becomes the provider's own id when free.
    // Like the row id, any text will do; one that is a good address is kept as the provider's.
    let provider_id = text::line(cell("provider_id"));
    let provider_signpost_id = Id::parse(&provider_id).ok();
    let provider = ProviderDraft {
        source_id: Some(provider_id).filter(|s| !s.is_empty()),
        name: provider_name,
        description: text::plain(cell("provider_description")),
        website: checked(
            cell("provider_website"),
            "provider_website",
            web_address,
            "a web address",
            &mut problems,
        ),
        email: checked(
            cell("provider_email"),
            "provider_email",
            email_address,
            "an email address",
            &mut problems,
        ),
        phone: checked(
            cell("provider_phone"),
            "provider_phone",
            phone_number,
            "a phone number",
            &mut problems,
        ),
        charity_number: checked(
            cell("provider_charity_number"),
            "provider_charity_number",
            charity_number_shape,
            "a charity number: e.g. 1234567, SC012345 or NIC100001",
            &mut problems,
        ),
        company_number: checked(
            cell("provider_company_number"),
            "provider_company_number",
            company_number_shape,
            "a company number: e.g. 09876543 or SC123456",
            &mut problems,
        ),
        postcode: postcode(
            cell("provider_postcode"),
            "provider_postcode",
            &mut problems,
        ),
        signpost_id: provider_signpost_id,
        safeguarding: read_safeguarding(&row, &mut problems),
        verification: read_verification(&row, &mut problems),
    };

    let mut activity = ActivityDraft::titled(title);
    activity.description = text::plain(cell("description"));
    activity.categories = read_categories(cell("categories"), &activity.title, &mut problems);
    // Terms are the provider's own words, commas and all: one per line, or else parted by ';'.
    let terms = cell("terms");
    let separator = if terms.contains('\n') { '\n' } else { ';' };
    activity.terms = terms
        .split(separator)
        .map(text::line)
        .filter(|t| !t.is_empty())
        .collect();

    let ages = cell("ages");
    if !ages.is_empty() {
        match AgeRange::parse(ages) {
            Ok(r) => activity.ages = Some(r),
            Err(e) => problems.push(format!("ages: {e}")),
        }
    }
    let gender = cell("gender");
    if !gender.is_empty() {
        match Gender::parse(gender) {
            Some(g) => activity.gender = g,
            None => problems.push(format!(
                "gender '{}' should be mixed, girls or boys",
                shown(gender)
            )),
        }
    }

    activity.cost = read_cost(&row, &mut problems);

    let schedule = cell("schedule");
    if !schedule.is_empty() {
        // One entry per line or per ';' in the cell, as Schedule::parse_lines reads lines.
        match Schedule::parse_lines(&schedule.replace(';', "\n")) {
            Ok(s) => activity.schedule = s,
            Err(errors) => {
                for e in errors {
                    problems.push(format!("schedule: {e}"));
                }
            }
        }
    }

    activity.online = yes_no(cell("online"), "online", &mut problems);
    activity.venues = read_venues(&row, &mut problems);
    if activity.venues.is_empty() && !activity.online && !has_venue_cells(&row) {
        problems.push(
            "give a venue (venue_postcode, or venue_lat and venue_lon), or set online to yes"
                .to_owned(),
        );
    }

    let mut languages: Vec<String> = Vec::new();
    for l in list(cell("languages")) {
        let l = text::line(l);
        if !l.is_empty()
            && !l.eq_ignore_ascii_case("english")
            && !languages.iter().any(|x| x.eq_ignore_ascii_case(&l))
        {
            languages.push(l);
        }
    }
    activity.access = Access {
        wheelchair: yes_no(cell("wheelchair"), "wheelchair", &mut problems),
        send_friendly: yes_no(cell("send_friendly"), "send_friendly", &mut problems),
        quiet_sessions: yes_no(cell("quiet_sessions"), "quiet_sessions", &mut problems),
        languages,
    };

    let mut methods = Vec::new();
    let mut unknown_methods = Vec::new();
    for m in list(cell("join")) {
        let normal = m.trim().to_ascii_lowercase().replace([' ', '_'], "-");
        let normal = if normal == "dropin" {
            "drop-in".to_owned()
        } else {
            normal
        };
        match JoinMethod::parse(&normal) {
            Some(method) if !methods.contains(&method) => methods.push(method),
            Some(_) => {}
            None => unknown_methods.push(format!("'{}'", shown(m))),
        }
    }
    if !unknown_methods.is_empty() {
        problems.push(format!(
            "join: {} not understood; choose from: {}",
            unknown_methods.join(", "),
            JoinMethod::ALL
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let mut newcomers = Vec::new();
    let mut unknown_newcomers = Vec::new();
    for n in list(cell("newcomers")) {
        match Newcomer::parse(n) {
            Some(who) if !newcomers.contains(&who) => newcomers.push(who),
            Some(_) => {}
            None => unknown_newcomers.push(format!("'{}'", shown(n))),
        }
    }
    if !unknown_newcomers.is_empty() {
        problems.push(format!(
            "newcomers: {} not understood; choose from: {}",
            unknown_newcomers.join(", "),
            Newcomer::names()
        ));
    }
    activity.join = HowToJoin {
        methods,
        newcomers,
        contact: Contact {
            name: Some(text::line(cell("contact_name"))).filter(|n| !n.is_empty()),
            email: checked(
                cell("contact_email"),
                "contact_email",
                email_address,
                "an email address",
                &mut problems,
            ),
            phone: checked(
                cell("contact_phone"),
                "contact_phone",
                phone_number,
                "a phone number",
                &mut problems,
            ),
            url: checked(
                cell("contact_url"),
                "contact_url",
                web_address,
                "a web address",
                &mut problems,
            ),
        },
        notes: text::plain(cell("join_notes")),
    };

    let updated = cell("last_updated");
    if !updated.is_empty() {
        // A date from a person; a date and time (to the second or finer) from an export.
        if let Ok(t) = DateTime::parse_from_rfc3339(updated) {
            activity.updated = Some(t.with_timezone(&Utc));
        } else {
            activity.updated = date(updated, "last_updated", &mut problems)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc());
        }
    }
    activity.confirmed = date(cell("last_confirmed"), "last_confirmed", &mut problems);

    // A row id that is a good address keeps it as the listing's own (when free), so listings
    // moved from another Signpost directory keep their links.
    activity.signpost_id = Id::parse(&id).ok();
    if problems.is_empty() {
        Entry::Item(Box::new(Draft {
            source_id: id,
            provider,
            activity,
        }))
    } else {
        Entry::Rejected(Rejection::new(format!("line {line}"), problems.join("; ")))
    }
}

fn read_categories(cell: &str, title: &str, problems: &mut Vec<String>) -> Vec<Category> {
    let mut found = Vec::new();
    let mut unknown = Vec::new();
    for word in list(cell) {
        // The slug, or the name people see ("Arts and crafts").
        let category = Category::parse(word).ok().or_else(|| {
            Category::ALL
                .iter()
                .copied()
                .find(|c| c.name().eq_ignore_ascii_case(word.trim()))
        });
        match category {
            Some(c) if !found.contains(&c) => found.push(c),
            Some(_) => {}
            None => unknown.push(format!("'{}'", shown(word))),
        }
    }
    let choices = || {
        Category::ALL
            .iter()
            .map(|c| c.slug())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !unknown.is_empty() {
        problems.push(format!(
            "categories: {} {} not a category; choose from: {}",
            unknown.join(", "),
            if unknown.len() == 1 { "is" } else { "are" },
            choices()
        ));
        return found;
    }
    if found.is_empty() {
        found = categories::from_terms(&[], title);
        if found.is_empty() {
            problems.push(format!(
                "categories: none given and none can be worked out from the title; choose from: {}",
                choices()
            ));
        }
    }
    found
}

fn read_cost(row: &Row<'_>, problems: &mut Vec<String>) -> Cost {
    let cell = |name: &str| row.cell(name);
    let mut free = yes_no(cell("free"), "free", problems);
    let mut price_pence = None;
    let price = cell("price");
    if !price.is_empty() {
        match pounds_to_pence(price) {
            Ok(0) => free = true,
            Ok(_) if free => problems.push(format!(
                "free is yes but price is {}: leave price empty for a free activity",
                shown(price)
            )),
            Ok(p) if p > 100_000 => problems.push(format!(
                "price {} is more than £1,000 a session: write pounds, e.g. 3.50",
                shown(price)
            )),
            Ok(p) => price_pence = Some(p),
            Err(e) => problems.push(e),
        }
    }
    Cost {
        free,
        price_pence,
        concessions: Some(text::line(cell("concessions"))).filter(|c| !c.is_empty()),
        bursary: yes_no(cell("bursary"), "bursary", problems),
    }
}

/// "3.50", "£3.50", "3.5", "3" in pence.
fn pounds_to_pence(s: &str) -> Result<u32, String> {
    let err = || {
        format!(
            "price '{}' is not an amount in pounds: write it like 3.50",
            shown(s)
        )
    };
    let t = s.trim().trim_start_matches('£').trim();
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |x: &str| x.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() && frac.is_empty() || !digits(whole) || !digits(frac) || frac.len() > 2 {
        return Err(err());
    }
    let whole: u32 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| err())?
    };
    let frac: u32 = match frac.len() {
        0 => 0,
        1 => frac.parse::<u32>().map_err(|_| err())? * 10,
        _ => frac.parse().map_err(|_| err())?,
    };
    whole
        .checked_mul(100)
        .and_then(|p| p.checked_add(frac))
        .ok_or_else(err)
}

const VENUE_CELLS: &[&str] = &[
    "venue_name",
    "venue_address",
    "venue_postcode",
    "venue_lat",
    "venue_lon",
];

fn has_venue_cells(row: &Row<'_>) -> bool {
    VENUE_CELLS.iter().any(|c| !row.cell(c).is_empty())
}

/// The row's venues: none when no venue cell is filled, else one per line of the
/// `venue_*` cells (the most lines any of them has). One venue's address may run over several
/// lines (it is read as one line); with several venues, each address takes one line. Problems
/// (a bad postcode, one coordinate without the other, a venue with no way to place it) are
/// added to `problems`, naming the venue when there are several.
fn read_venues(row: &Row<'_>, problems: &mut Vec<String>) -> Vec<VenueDraft> {
    if !has_venue_cells(row) {
        return Vec::new();
    }
    let names = row.lines("venue_name");
    let postcodes = row.lines("venue_postcode");
    let lats = row.lines("venue_lat");
    let lons = row.lines("venue_lon");
    let count = [names.len(), postcodes.len(), lats.len(), lons.len()]
        .into_iter()
        .max()
        .unwrap_or(0)
        .max(1);
    let addresses: Vec<&str> = if count == 1 {
        vec![row.cell("venue_address")]
    } else {
        let lines = row.lines("venue_address");
        if lines.len() > count {
            problems.push(format!(
                "venue_address has {} lines but there are {count} venues: write one line per venue, in the same order as the other venue cells",
                lines.len()
            ));
            return Vec::new();
        }
        lines
    };
    fn at<'c>(lines: &[&'c str], i: usize) -> &'c str {
        lines.get(i).copied().unwrap_or("")
    }
    (0..count)
        .filter_map(|i| {
            let label = if count == 1 {
                String::new()
            } else {
                format!("venue {}: ", i + 1)
            };
            read_venue(
                &VenueCells {
                    name: at(&names, i),
                    address: at(&addresses, i),
                    postcode: at(&postcodes, i),
                    lat: at(&lats, i),
                    lon: at(&lons, i),
                },
                &label,
                problems,
            )
        })
        .collect()
}

/// One venue's values from the `venue_*` cells.
struct VenueCells<'c> {
    name: &'c str,
    address: &'c str,
    postcode: &'c str,
    lat: &'c str,
    lon: &'c str,
}

fn read_venue(
    cells: &VenueCells<'_>,
    label: &str,
    problems: &mut Vec<String>,
) -> Option<VenueDraft> {
    let mut found = Vec::new();
    let postcode = postcode(cells.postcode, "venue_postcode", &mut found);
    let number = |column: &str, v: &str, found: &mut Vec<String>| -> Option<f64> {
        if v.is_empty() {
            return None;
        }
        match v.parse::<f64>() {
            Ok(n) if n.is_finite() => Some(n),
            _ => {
                found.push(format!("{column} '{}' is not a number", shown(v)));
                None
            }
        }
    };
    let lat = number("venue_lat", cells.lat, &mut found);
    let lon = number("venue_lon", cells.lon, &mut found);
    let coords = match (lat, lon, cells.lat.is_empty(), cells.lon.is_empty()) {
        (Some(lat), Some(lon), _, _) => match coordinates(lat, lon) {
            Ok(c) => Some(c),
            Err(e) => {
                found.push(format!("venue_lat/venue_lon: {e}"));
                None
            }
        },
        (_, _, true, false) | (_, _, false, true) => {
            found.push("give both venue_lat and venue_lon, or neither".to_owned());
            None
        }
        _ => None,
    };
    if found.is_empty() && postcode.is_none() && coords.is_none() {
        found.push(
            "the venue needs a venue_postcode, or venue_lat and venue_lon, so people can find it"
                .to_owned(),
        );
    }
    if !found.is_empty() {
        problems.extend(found.into_iter().map(|p| format!("{label}{p}")));
        return None;
    }
    let address = text::line(cells.address);
    let mut name = text::line(cells.name);
    if name.is_empty() {
        // A venue needs a name to show; the first part of its address is the next best.
        name = address
            .split(',')
            .next()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .or_else(|| postcode.as_ref().map(ToString::to_string))
            .unwrap_or_default();
    }
    Some(VenueDraft {
        name,
        address,
        postcode,
        coordinates: coords,
    })
}

/// An optional date cell, YYYY-MM-DD.
fn date(value: &str, column: &str, problems: &mut Vec<String>) -> Option<NaiveDate> {
    if value.is_empty() {
        return None;
    }
    match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            problems.push(format!(
                "{column} '{}' is not a date: write it as YYYY-MM-DD, e.g. 2026-01-15",
                shown(value)
            ));
            None
        }
    }
}

/// A Companies House number: letters and digits (spaces ignored), e.g. 09876543 or SC123456.
fn company_number_shape(value: &str) -> Option<String> {
    let compact = compact_upper(value);
    ((1..=10).contains(&compact.len()) && compact.chars().all(|c| c.is_ascii_alphanumeric()))
        .then_some(compact)
}

/// Without spaces, in capitals: how registration numbers are compared and kept.
fn compact_upper(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

const SAFEGUARDING_CELLS: &[&str] = &[
    "provider_safeguarding_policy",
    "provider_safeguarding_lead",
    "provider_enhanced_dbs",
    "provider_insurance_expires",
    "provider_first_aid",
];

const VERIFICATION_CELLS: &[&str] = &[
    "provider_verification",
    "provider_verification_date",
    "provider_verification_expires",
    "provider_verified_by",
    "provider_verified_for",
    "provider_verification_evidence",
];

/// The provider's safeguarding record, when the file has any of its columns: a file without
/// them says nothing about it, and a file with them but empty cells says "nothing declared".
fn read_safeguarding(row: &Row<'_>, problems: &mut Vec<String>) -> Option<Safeguarding> {
    if !SAFEGUARDING_CELLS.iter().any(|c| row.has(c)) {
        return None;
    }
    let cell = |name: &str| row.cell(name);
    let policy_cell = cell("provider_safeguarding_policy");
    let policy = match yes_no_word(policy_cell) {
        Some(false) => None,
        Some(true) => Some(SafeguardingPolicy::default()),
        None => match NaiveDate::parse_from_str(policy_cell, "%Y-%m-%d") {
            Ok(d) => Some(SafeguardingPolicy {
                last_reviewed: Some(d),
            }),
            Err(_) => {
                problems.push(format!(
                    "provider_safeguarding_policy '{}' should be yes, no, or the date it was last reviewed as YYYY-MM-DD",
                    shown(policy_cell)
                ));
                None
            }
        },
    };
    Some(Safeguarding {
        policy,
        designated_lead_role: Some(text::line(cell("provider_safeguarding_lead")))
            .filter(|r| !r.is_empty()),
        enhanced_dbs: yes_no(
            cell("provider_enhanced_dbs"),
            "provider_enhanced_dbs",
            problems,
        ),
        insurance_expires: date(
            cell("provider_insurance_expires"),
            "provider_insurance_expires",
            problems,
        ),
        first_aid: yes_no(cell("provider_first_aid"), "provider_first_aid", problems),
    })
}

/// Who checked the provider's safeguarding record, when the file has any of the check's
/// columns. Cells that only a verified check has are refused for any other status rather than
/// dropped, and a check that expires before it was made is refused.
fn read_verification(row: &Row<'_>, problems: &mut Vec<String>) -> Option<Verification> {
    if !VERIFICATION_CELLS.iter().any(|c| row.has(c)) {
        return None;
    }
    let cell = |name: &str| row.cell(name);
    let status = cell("provider_verification");
    let on = date(
        cell("provider_verification_date"),
        "provider_verification_date",
        problems,
    );
    let expires = date(
        cell("provider_verification_expires"),
        "provider_verification_expires",
        problems,
    );
    let status = status.to_ascii_lowercase().replace([' ', '_'], "-");
    let only_verified = |status: &str, problems: &mut Vec<String>| {
        for column in [
            "provider_verification_expires",
            "provider_verified_by",
            "provider_verified_for",
            "provider_verification_evidence",
        ] {
            if !cell(column).is_empty() {
                problems.push(format!(
                    "{column} is only for a verified check, but provider_verification is {status}"
                ));
            }
        }
    };
    match status.as_str() {
        "" | "not-checked" => {
            only_verified("not-checked", problems);
            if !cell("provider_verification_date").is_empty() {
                problems.push(
                    "provider_verification_date is given but provider_verification is not-checked"
                        .to_owned(),
                );
            }
            Some(Verification::NotChecked)
        }
        "self-declared" => {
            only_verified("self-declared", problems);
            Some(Verification::SelfDeclared { declared_on: on })
        }
        "verified" => {
            let Some(checked_on) = on else {
                if cell("provider_verification_date").is_empty() {
                    problems.push(
                        "provider_verification is verified, so give the date it was checked in provider_verification_date"
                            .to_owned(),
                    );
                }
                return None;
            };
            match VerificationCheck::new(
                text::line(cell("provider_verified_by")),
                text::line(cell("provider_verified_for")),
                checked_on,
                text::plain(cell("provider_verification_evidence")),
                expires,
            ) {
                Ok(check) => Some(Verification::Verified(check)),
                Err(e) => {
                    problems.push(format!("provider_verification_expires: {e}"));
                    None
                }
            }
        }
        _ => {
            problems.push(format!(
                "provider_verification '{}' should be not-checked, self-declared or verified (a check past its provider_verification_expires date is still verified)",
                shown(cell("provider_verification"))
            ));
            None
        }
    }
}

fn postcode(value: &str, column: &str, problems: &mut Vec<String>) -> Option<Postcode> {
    if value.is_empty() {
        return None;
    }
    match Postcode::parse(value) {
        Ok(p) => Some(p),
        Err(e) => {
            problems.push(format!("{column}: {e}"));
            None
        }
    }
}

/// A registered charity number: England and Wales digits (with an optional "-1" for a linked
/// charity), Scotland "SC" and six digits, Northern Ireland "NIC" and six digits.
fn charity_number_shape(value: &str) -> Option<String> {
    let compact = compact_upper(value);
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit())
    };
    let ok = if let Some(rest) = compact.strip_prefix("SC") {
        digits(rest, 6..=6)
    } else if let Some(rest) = compact.strip_prefix("NIC") {
        digits(rest, 6..=6)
    } else {
        let (main, linked) = compact.split_once('-').unwrap_or((&compact, "1"));
        digits(main, 6..=8) && digits(linked, 1..=3)
    };
    ok.then_some(compact)
}

/// An optional cell read by `parse`; a cell that does not parse is a problem.
fn checked<T>(
    value: &str,
    column: &str,
    parse: fn(&str) -> Option<T>,
    what: &str,
    problems: &mut Vec<String>,
) -> Option<T> {
    if value.is_empty() {
        return None;
    }
    let parsed = parse(value);
    if parsed.is_none() {
        problems.push(format!("{column} '{}' is not {what}", shown(value)));
    }
    parsed
}

/// yes/no, y/n, true/false, 1/0 in any case; empty is no. `None` for anything else.
fn yes_no_word(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "" | "no" | "n" | "false" | "0" => Some(false),
        "yes" | "y" | "true" | "1" => Some(true),
        _ => None,
    }
}

/// yes/no, y/n, true/false, 1/0 in any case; empty is no.
fn yes_no(value: &str, column: &str, problems: &mut Vec<String>) -> bool {
    match yes_no_word(value) {
        Some(yes) => yes,
        None => {
            problems.push(format!("{column} '{}' should be yes or no", shown(value)));
            false
        }
    }
}

/// A cell holding several values separated by ';' (or ',', which people type anyway).
fn list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split([';', ',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A cell's value cut short for a message.
fn shown(value: &str) -> String {
    let one_line = text::line(value);
    let mut out: String = one_line.chars().take(40).collect();
    if one_line.chars().count() > 40 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
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
}
