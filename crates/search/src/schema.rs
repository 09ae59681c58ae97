//! The index schema and how an activity becomes a document.

use chrono::{Datelike, NaiveDate};
use signpost_model::{Gender, MAX_AGE_YEARS, Newcomer, Verification};
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{IndexSettings, IndexSortByField, Order, TantivyDocument, doc};

use crate::query::{AccessNeed, IndexedActivity};
use crate::text::ANALYSER;
use crate::{calendar, geo};

/// Bumped whenever the schema or what goes into it changes: an index written by another
/// version is rebuilt from the store instead of being misread.
pub const SCHEMA_VERSION: &str = "signpost-index-11";

#[derive(Clone, Copy, Debug)]
pub struct Fields {
    pub id: Field,
    /// A stable number derived from the id ([`order_key`]): the last tie-break when sorting,
    /// so a rebuilt and an incrementally updated index order results alike.
    pub order_key: Field,
    pub title: Field,
    pub description: Field,
    pub provider: Field,
    pub category_text: Field,
    /// Exact-match keywords: `cat:sport`, `open-to:girls`, `free`, `access:wheelchair`,
    /// `lang:polish`, `join:drop-in`, `newcomer:alone`, `ref:K7Q2M9XD` (the listing's
    /// short reference), `age:13` (for every whole year the age range reaches into), the
    /// timetable's terms (`cal:…`, `run:…`, see [`crate::calendar`]) and its venues' grid cells
    /// (`g3:…`, see [`crate::geo`]).
    pub tags: Field,
    /// Pence per session; `u64::MAX` when unknown.
    pub price: Field,
    /// Day number (days since 0001-01-01) the verification lasts to; `i64::MIN` when not
    /// verified.
    pub verified_until: Field,
    /// Day number of the last day it can be found: its last possible session, `i64::MAX` when
    /// open-ended, `i64::MIN` when withdrawn.
    pub ends_on: Field,
    /// Day number the listing was last confirmed as running or, failing that, last updated.
    pub confirmed: Field,
    /// Bit `i` set for `Category::ALL[i]`.
    pub category_mask: Field,
    /// [`FLAG_SIMPLE_TIMETABLE`] and friends.
    pub flags: Field,
    /// The timetable packed for the exact calendar check ([`crate::calendar::pack`]).
    pub sessions: Field,
    /// Venue latitudes and longitudes, in the same order.
    pub lat: Field,
    pub lon: Field,
    /// Where the first venue is, as a Z-order curve key ([`geo::z_order`]): the index keeps
    /// documents sorted by it, so listings near each other sit together on disk and in memory.
    pub geo_key: Field,
    /// The whole [`IndexedActivity`] as JSON.
    pub record: Field,
}

/// The fast field the index is sorted by.
pub const GEO_KEY: &str = "geo_key";

/// Bytes of stored records compressed together. Each listing on a page decompresses its whole
/// block: tantivy's 16 KiB (about a dozen records) made that a tenth of the server's work.
const DOCSTORE_BLOCK: usize = 4096;

/// How every index is set up: sorted by place (see [`Fields::geo_key`]), stored records in
/// [`DOCSTORE_BLOCK`]s.
pub fn settings() -> IndexSettings {
    IndexSettings {
        sort_by_field: Some(IndexSortByField {
            field: GEO_KEY.to_owned(),
            order: Order::Asc,
        }),
        docstore_blocksize: DOCSTORE_BLOCK,
        ..IndexSettings::default()
    }
}

/// The timetable is plain weekly sessions ([`crate::calendar::is_simple`]).
pub const FLAG_SIMPLE_TIMETABLE: u64 = 1;

pub fn day_number(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce())
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    // Frequencies for scoring; no positions, as no search asks for a phrase (leaving them out
    // saves about 3% of a rebuild and 12 MB at a million listings).
    let text = || {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYSER)
                .set_index_option(IndexRecordOption::WithFreqs),
        )
    };
    let fields = Fields {
        id: b.add_text_field("id", STRING),
        order_key: b.add_u64_field("order_key", FAST),
        title: b.add_text_field("title", text()),
        description: b.add_text_field("description", text()),
        provider: b.add_text_field("provider", text()),
        category_text: b.add_text_field("category_text", text()),
        tags: b.add_text_field("tags", STRING),
        price: b.add_u64_field("price", FAST),
        verified_until: b.add_i64_field("verified_until", FAST),
        ends_on: b.add_i64_field("ends_on", FAST),
        confirmed: b.add_i64_field("confirmed", FAST),
        category_mask: b.add_u64_field("category_mask", FAST),
        flags: b.add_u64_field("flags", FAST),
        sessions: b.add_u64_field("sessions", FAST),
        lat: b.add_f64_field("lat", FAST),
        lon: b.add_f64_field("lon", FAST),
        geo_key: b.add_u64_field(GEO_KEY, FAST),
        // Stored as text, not bytes: tantivy reads a bytes value back a byte at a time (2% of
        // the server's CPU at 1M) and a string in one copy.
        record: b.add_text_field("record", STORED),
    };
    (b.build(), fields)
}

/// FNV-1a of the id: cheap to read per document, unlike the id string itself.
pub fn order_key(id: &str) -> u64 {
    signpost_model::fnv1a(id.as_bytes())
}

/// The tag of listings for someone `years` old.
pub fn age_tag(years: u16) -> String {
    format!("age:{years}")
}

/// The tag that finds a listing by its short reference (`Id::reference`).
pub fn reference_tag(code: &str) -> String {
    format!("ref:{code}")
}

/// The tag of listings someone of gender `g` may go to: mixed ones, and their own. Asking
/// for `Mixed` finds mixed listings only.
pub fn open_to_tag(g: Gender) -> String {
    format!("open-to:{}", g.as_str())
}

pub fn access_tag(a: AccessNeed) -> String {
    format!("access:{}", a.as_str())
}

pub fn newcomer_tag(n: Newcomer) -> String {
    format!("newcomer:{}", n.as_str())
}

pub fn language_tag(lang: &str) -> String {
    format!("lang:{}", lang.trim().to_lowercase())
}

/// The document for `item`, keeping `record` (the item as JSON) to show it from.
pub fn to_document(f: &Fields, item: &IndexedActivity, record: String) -> TantivyDocument {
    let a = &item.activity;
    let categories: Vec<String> = a
        .categories
        .iter()
        .map(|c| format!("{} {}", c.name(), c.slug().replace('-', " ")))
        .collect();
    let mut d = doc!(
        f.id => a.id.as_str(),
        f.order_key => order_key(a.id.as_str()),
        f.title => a.title.as_str(),
        f.description => a.description.as_str(),
        f.provider => item.provider.name.as_str(),
        f.category_text => format!("{} {}", categories.join(" "), a.terms.join(" ")),
        f.ends_on => if a.withdrawn { i64::MIN } else { a.schedule.ends_on().map_or(i64::MAX, day_number) },
        f.confirmed => day_number(a.freshness_date()),
        f.category_mask => a.categories.iter().fold(0u64, |m, c| m | (1 << c.index())),
        f.flags => if calendar::is_simple(&a.schedule) { FLAG_SIMPLE_TIMETABLE } else { 0 },
        f.price => a.cost.effective_pence().map_or(u64::MAX, u64::from),
        f.verified_until => match &item.provider.verification {
            Verification::Verified(check) => day_number(check.expires_on),
            _ => i64::MIN,
        },
        f.record => record,
    );
    for packed in calendar::pack(&a.schedule) {
        d.add_u64(f.sessions, packed);
    }
    d.add_u64(
        f.geo_key,
        a.venues
            .first()
            .map_or(u64::MAX, |v| geo::z_order(v.coordinates)),
    );
    for v in &a.venues {
        d.add_f64(f.lat, v.coordinates.lat());
        d.add_f64(f.lon, v.coordinates.lon());
    }
    let mut tags = vec![reference_tag(&a.id.reference())];
    match a.gender {
        Gender::Mixed => tags.extend(
            [Gender::Mixed, Gender::Girls, Gender::Boys]
                .into_iter()
                .map(open_to_tag),
        ),
        own => tags.push(open_to_tag(own)),
    }
    tags.extend(a.categories.iter().map(|c| format!("cat:{}", c.slug())));
    if a.cost.free {
        tags.push("free".into());
    } else {
        tags.push("paid".into());
    }
    let access = [
        (a.access.wheelchair, AccessNeed::Wheelchair),
        (a.access.send_friendly, AccessNeed::SendFriendly),
        (a.access.quiet_sessions, AccessNeed::Quiet),
    ];
    tags.extend(
        access
            .iter()
            .filter(|(has, _)| *has)
            .map(|(_, n)| access_tag(*n)),
    );
    tags.extend(a.access.languages.iter().map(|l| language_tag(l)));
    tags.extend(
        a.join
            .methods
            .iter()
            .map(|m| format!("join:{}", m.as_str())),
    );
    tags.extend(a.join.newcomers.iter().map(|n| newcomer_tag(*n)));
    // "Age not stated" matches no age filter.
    if !a.age_not_stated {
        let oldest = a.ages.max_months() / 12;
        tags.extend((a.ages.min_months() / 12..=oldest.min(MAX_AGE_YEARS)).map(age_tag));
    }
    tags.extend(calendar::terms(&a.schedule));
    let mut cells: Vec<String> = a
        .venues
        .iter()
        .flat_map(|v| geo::cell_terms(v.coordinates))
        .collect();
    cells.sort();
    cells.dedup();
    tags.extend(cells);
    for t in tags {
        d.add_text(f.tags, t);
    }
    d
}
