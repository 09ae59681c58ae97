//! Reading a filled-in template: the header checked as a whole, then each row by column name into a draft or a rejection with every problem in it.

use super::*;

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
pub(super) struct LineCounter<'t> {
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

pub(super) fn header_rejection(reason: &str) -> Entry {
    Entry::Rejected(Rejection::new("line 1", reason))
}

/// One row, read by column name.
pub(super) struct Row<'r> {
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
pub(super) struct Columns {
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

pub(super) fn read_row(
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

pub(super) fn read_categories(
    cell: &str,
    title: &str,
    problems: &mut Vec<String>,
) -> Vec<Category> {
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

pub(super) fn read_cost(row: &Row<'_>, problems: &mut Vec<String>) -> Cost {
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
pub(super) fn pounds_to_pence(s: &str) -> Result<u32, String> {
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

pub(super) const VENUE_CELLS: &[&str] = &[
    "venue_name",
    "venue_address",
    "venue_postcode",
    "venue_lat",
    "venue_lon",
];

pub(super) fn has_venue_cells(row: &Row<'_>) -> bool {
    VENUE_CELLS.iter().any(|c| !row.cell(c).is_empty())
}

/// The row's venues: none when no venue cell is filled, else one per line of the
/// `venue_*` cells (the most lines any of them has). One venue's address may run over several
/// lines (it is read as one line); with several venues, each address takes one line. Problems
/// (a bad postcode, one coordinate without the other, a venue with no way to place it) are
/// added to `problems`, naming the venue when there are several.
pub(super) fn read_venues(row: &Row<'_>, problems: &mut Vec<String>) -> Vec<VenueDraft> {
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
pub(super) struct VenueCells<'c> {
    name: &'c str,
    address: &'c str,
    postcode: &'c str,
    lat: &'c str,
    lon: &'c str,
}

pub(super) fn read_venue(
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
pub(super) fn date(value: &str, column: &str, problems: &mut Vec<String>) -> Option<NaiveDate> {
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
pub(super) fn company_number_shape(value: &str) -> Option<String> {
    let compact = compact_upper(value);
    ((1..=10).contains(&compact.len()) && compact.chars().all(|c| c.is_ascii_alphanumeric()))
        .then_some(compact)
}

/// Without spaces, in capitals: how registration numbers are compared and kept.
pub(super) fn compact_upper(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

pub(super) const SAFEGUARDING_CELLS: &[&str] = &[
    "provider_safeguarding_policy",
    "provider_safeguarding_lead",
    "provider_enhanced_dbs",
    "provider_insurance_expires",
    "provider_first_aid",
];

pub(super) const VERIFICATION_CELLS: &[&str] = &[
    "provider_verification",
    "provider_verification_date",
    "provider_verification_expires",
    "provider_verified_by",
    "provider_verified_for",
    "provider_verification_evidence",
];

/// The provider's safeguarding record, when the file has any of its columns: a file without
/// them says nothing about it, and a file with them but empty cells says "nothing declared".
pub(super) fn read_safeguarding(row: &Row<'_>, problems: &mut Vec<String>) -> Option<Safeguarding> {
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
pub(super) fn read_verification(row: &Row<'_>, problems: &mut Vec<String>) -> Option<Verification> {
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

pub(super) fn postcode(value: &str, column: &str, problems: &mut Vec<String>) -> Option<Postcode> {
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
pub(super) fn charity_number_shape(value: &str) -> Option<String> {
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
pub(super) fn checked<T>(
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
pub(super) fn yes_no_word(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "" | "no" | "n" | "false" | "0" => Some(false),
        "yes" | "y" | "true" | "1" => Some(true),
        _ => None,
    }
}

/// yes/no, y/n, true/false, 1/0 in any case; empty is no.
pub(super) fn yes_no(value: &str, column: &str, problems: &mut Vec<String>) -> bool {
    match yes_no_word(value) {
        Some(yes) => yes,
        None => {
            problems.push(format!("{column} '{}' should be yes or no", shown(value)));
            false
        }
    }
}

/// A cell holding several values separated by ';' (or ',', which people type anyway).
pub(super) fn list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split([';', ',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A cell's value cut short for a message.
pub(super) fn shown(value: &str) -> String {
    let one_line = text::line(value);
    let mut out: String = one_line.chars().take(40).collect();
    if one_line.chars().count() > 40 {
        out.push('…');
    }
    out
}
