//! Writing the whole directory as a filled-in template, one row per activity, with cells a spreadsheet cannot run and text the reader gives back unchanged.

use super::*;

/// Rows of cells as CSV text: CRLF line ends (what spreadsheets write), quotes only where a
/// cell needs them.
pub(super) fn to_csv<R, C>(rows: impl IntoIterator<Item = R>) -> String
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
pub(super) fn row_of(p: &Provider, a: &Activity) -> Vec<String> {
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

pub(super) fn yes_no_cell(yes: bool) -> String {
    if yes { "yes" } else { "no" }.to_owned()
}

/// How the reader takes a text cell: as one line, or as text with line breaks.
#[derive(Clone, Copy)]
pub(super) enum Text {
    Line,
    Plain,
}

/// A text value as a cell the reader gives back unchanged. The reader turns HTML into text,
/// so a value it would change (one holding `&amp;` or `<b>` as words) has its `&`, `<` and
/// `>` written as entities; everything else is written as it is, for people to read.
pub(super) fn as_text(value: &str, how: Text) -> String {
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
pub(super) const FORMULA_START: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// A cell made safe to open in a spreadsheet: one that would start a formula gets a `'` in
/// front, as spreadsheets do when you type text like that. So does one that already starts
/// with `'` and then one of those (or another `'`), so [`unguard`] never takes off a quote
/// that was part of the value. Plain numbers (`-0.3573`) are left alone.
pub(super) fn guard(cell: String) -> String {
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
pub(super) fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with('\'') || rest.starts_with(FORMULA_START) => rest,
        _ => cell,
    }
}

/// `-12`, `-0.3573`: a number a spreadsheet reads as a number, not a formula.
pub(super) fn is_plain_number(s: &str) -> bool {
    let all_digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    match unsigned.split_once('.') {
        Some((whole, frac)) => all_digits(whole) && all_digits(frac),
        None => all_digits(unsigned),
    }
}
