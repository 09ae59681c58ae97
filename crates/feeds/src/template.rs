//! Signpost's own CSV template: one row per activity, for providers, councils and youth
//! services who keep their listings in a spreadsheet.
//!
//! Columns are found by their header name, in any order; [`COLUMNS`] lists them with what to
//! write. A row with problems is refused as a whole, with every problem in one reason and the
//! row's line in the file, so a person can fix the spreadsheet in one pass.

use std::collections::HashMap;

use chrono::NaiveDate;
use signpost_model::{
    Access, AgeRange, Category, Contact, Cost, Gender, HowToJoin, JoinMethod, Newcomer, Postcode,
    Schedule,
};

use crate::oruk::{email_address, phone_number, web_address};
use crate::{
    ActivityDraft, Draft, Entry, ProviderDraft, Rejection, VenueDraft, categories, coordinates,
    text,
};

/// Every column: its header, whether it is required, and what to write in it with an example.
pub const COLUMNS: &[(&str, bool, &str)] = &[
    (
        "id",
        true,
        "Your own id for this row, unique in the file and kept the same every time you upload, so Signpost updates the listing instead of adding a new one. e.g. riverside-tue-club",
    ),
    (
        "provider_name",
        true,
        "The organisation that runs the activity. e.g. Riverside Youth Trust",
    ),
    (
        "provider_charity_number",
        false,
        "Registered charity number, if any (England and Wales digits, Scotland SC..., Northern Ireland NIC...). e.g. 1234567",
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
        "Where it happens. e.g. Riverside Community Centre",
    ),
    (
        "venue_address",
        false,
        "The venue's street address, without the postcode. e.g. 12 Chanterlands Avenue, Hull",
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
        "When you last checked the row, as YYYY-MM-DD. e.g. 2026-01-15",
    ),
];

/// The example row written under the header by [`template_csv`], in [`COLUMNS`] order.
const EXAMPLE: &[&str] = &[
    "riverside-tue-club",
    "Riverside Youth Trust",
    "1234567",
    "https://riverside-youth.example.org",
    "hello@riverside-youth.example.org",
    "01632 960123",
    "HU5 2AA",
    "Tuesday Youth Club",
    "Games, cooking and music for 11 to 16 year olds.\nCome with friends or on your own: our youth workers will make you welcome.",
    "youth-club;music",
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
];

/// The header line and one filled-in example row, ready to open in a spreadsheet.
pub fn template_csv() -> String {
    let header: Vec<&str> = COLUMNS.iter().map(|(name, _, _)| *name).collect();
    let mut out = csv_line(&header);
    out.push_str(&csv_line(EXAMPLE));
    out
}

fn csv_line(cells: &[&str]) -> String {
    let quoted: Vec<String> = cells
        .iter()
        .map(|c| {
            if c.contains([',', '"', '\n', '\r']) || c.starts_with(' ') || c.ends_with(' ') {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                (*c).to_owned()
            }
        })
        .collect();
    format!("{}\r\n", quoted.join(","))
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
    for result in reader.records() {
        match result {
            Ok(record) => {
                let line = record.position().map_or(0, |p| line_at(text, p.byte()));
                if record.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                out.push(read_row(&columns, &record, line, &mut ids));
            }
            Err(e) => {
                let at = e.position().map_or_else(
                    || "file".to_owned(),
                    |p| format!("line {}", line_at(text, p.byte())),
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

/// The line (from 1) a record starting at `byte` is on. csv's own line count lags behind
/// after blank lines and with CRLF endings, because a record's position is taken before the
/// line breaks that precede it are skipped; counting newlines up to its first real character
/// is exact, and counts the lines inside quoted multi-line cells too.
fn line_at(text: &str, byte: u64) -> u64 {
    let bytes = text.as_bytes();
    let mut start = usize::try_from(byte)
        .unwrap_or(bytes.len())
        .min(bytes.len());
    while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
        start += 1;
    }
    let newlines = bytes[..start].iter().filter(|b| **b == b'\n').count();
    u64::try_from(newlines)
        .unwrap_or(u64::MAX)
        .saturating_add(1)
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

    /// The trimmed cell under `column`, or "" when the column or the cell is absent.
    fn get<'r>(&self, record: &'r csv::StringRecord, column: &str) -> &'r str {
        self.index
            .get(column)
            .and_then(|i| record.get(*i))
            .map_or("", str::trim)
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

    let provider = ProviderDraft {
        source_id: None,
        name: provider_name,
        description: String::new(),
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
        charity_number: charity_number(cell("provider_charity_number"), &mut problems),
        company_number: None,
        postcode: postcode(
            cell("provider_postcode"),
            "provider_postcode",
            &mut problems,
        ),
        ..ProviderDraft::default()
    };

    let mut activity = ActivityDraft::titled(title);
    activity.description = text::plain(cell("description"));
    activity.categories = read_categories(cell("categories"), &activity.title, &mut problems);

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
    if let Some(venue) = read_venue(&row, &mut problems) {
        activity.venues.push(venue);
    } else if !activity.online && !has_venue_cells(&row) {
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
            "newcomers: {} not understood; choose from: alone, friend, parent",
            unknown_newcomers.join(", ")
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
        match NaiveDate::parse_from_str(updated, "%Y-%m-%d") {
            Ok(d) => activity.updated = d.and_hms_opt(0, 0, 0).map(|t| t.and_utc()),
            Err(_) => problems.push(format!(
                "last_updated '{}' is not a date: write it as YYYY-MM-DD, e.g. 2026-01-15",
                shown(updated)
            )),
        }
    }

    // A row id that is a good address keeps it as the listing's own (when free), so listings
    // moved from another Signpost directory keep their links.
    activity.signpost_id = signpost_model::Id::parse(&id).ok();
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

/// The row's venue, if it gives one. Problems (a bad postcode, one coordinate without the
/// other, a venue with no way to place it) are added to `problems`.
fn read_venue(row: &Row<'_>, problems: &mut Vec<String>) -> Option<VenueDraft> {
    let cell = |name: &str| row.cell(name);
    if !has_venue_cells(row) {
        return None;
    }
    let before = problems.len();
    let postcode = postcode(cell("venue_postcode"), "venue_postcode", problems);
    let number = |column: &str, problems: &mut Vec<String>| -> Option<f64> {
        let v = cell(column);
        if v.is_empty() {
            return None;
        }
        match v.parse::<f64>() {
            Ok(n) if n.is_finite() => Some(n),
            _ => {
                problems.push(format!("{column} '{}' is not a number", shown(v)));
                None
            }
        }
    };
    let lat = number("venue_lat", problems);
    let lon = number("venue_lon", problems);
    let coords = match (
        lat,
        lon,
        cell("venue_lat").is_empty(),
        cell("venue_lon").is_empty(),
    ) {
        (Some(lat), Some(lon), _, _) => match coordinates(lat, lon) {
            Ok(c) => Some(c),
            Err(e) => {
                problems.push(format!("venue_lat/venue_lon: {e}"));
                None
            }
        },
        (_, _, true, false) | (_, _, false, true) => {
            problems.push("give both venue_lat and venue_lon, or neither".to_owned());
            None
        }
        _ => None,
    };
    if problems.len() > before {
        return None;
    }
    if postcode.is_none() && coords.is_none() {
        problems.push(
            "the venue needs a venue_postcode, or venue_lat and venue_lon, so people can find it"
                .to_owned(),
        );
        return None;
    }
    let address = text::line(cell("venue_address"));
    let mut name = text::line(cell("venue_name"));
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
fn charity_number(value: &str, problems: &mut Vec<String>) -> Option<String> {
    if value.is_empty() {
        return None;
    }
    let compact: String = value
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
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
    if ok {
        Some(compact)
    } else {
        problems.push(format!(
            "provider_charity_number '{}' is not a charity number: e.g. 1234567, SC012345 or NIC100001",
            shown(value)
        ));
        None
    }
}

/// An optional cell read by `parse`; a cell that does not parse is a problem.
fn checked(
    value: &str,
    column: &str,
    parse: fn(&str) -> Option<String>,
    what: &str,
    problems: &mut Vec<String>,
) -> Option<String> {
    if value.is_empty() {
        return None;
    }
    let parsed = parse(value);
    if parsed.is_none() {
        problems.push(format!("{column} '{}' is not {what}", shown(value)));
    }
    parsed
}

/// yes/no, y/n, true/false, 1/0 in any case; empty is no.
fn yes_no(value: &str, column: &str, problems: &mut Vec<String>) -> bool {
    match value.trim().to_ascii_lowercase().as_str() {
        "" | "no" | "n" | "false" | "0" => false,
        "yes" | "y" | "true" | "1" => true,
        _ => {
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
        assert!(text.starts_with("id,provider_name,provider_charity_number,"));
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
}
