//! The template's columns: each header, whether it is required, what to write in it, and the example row.

use super::*;

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
pub(super) const EXAMPLE: &[&str] = &[
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
