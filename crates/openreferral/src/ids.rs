//! The one place Signpost's names become the UUIDs ORUK 3.0 asks for.
//!
//! Records are built with Signpost's own names (`girls-football`, `girls-football--at-1`,
//! `signpost:gender`), which keep the builders readable and the relations obvious. Before a
//! record leaves this crate, [`publish`] replaces every id in it, nested ones and references
//! alike, with [`public_uuid`] of the table it belongs to and that name. A reference and the
//! record it points at are rewritten with the same table and name, so they still agree.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde_json::Value;
use signpost_model::{Category, owned_uuid, public_uuid};

use crate::attributes::Field;
use crate::taxonomy::{CATEGORY_TAXONOMY_ID, SIGNPOST_TAXONOMY_ID, category_term_id};

/// Signpost's fixed records (its two taxonomies and their terms) and their UUIDs, worked out
/// once: a published service names about 30 terms.
#[derive(Default)]
struct Fixed {
    /// Readable id to UUID, for each of the two tables.
    taxonomy: HashMap<String, String>,
    taxonomy_term: HashMap<String, String>,
    /// UUID to readable id.
    name: HashMap<String, String>,
}

static FIXED: LazyLock<Fixed> = LazyLock::new(|| {
    let taxonomies = [CATEGORY_TAXONOMY_ID, SIGNPOST_TAXONOMY_ID].map(str::to_owned);
    let terms = Category::ALL
        .iter()
        .map(|c| category_term_id(*c))
        .chain(Field::ALL.iter().map(|f| f.term_id().to_owned()));
    let records: Vec<(&str, String)> = taxonomies
        .into_iter()
        .map(|t| ("taxonomy", t))
        .chain(terms.map(|t| ("taxonomy_term", t)))
        .collect();
    let mut fixed = Fixed::default();
    for (table, name) in records {
        let uuid = public_uuid(table, &name);
        fixed.name.insert(uuid.clone(), name.clone());
        let by_name = match table {
            "taxonomy" => &mut fixed.taxonomy,
            _ => &mut fixed.taxonomy_term,
        };
        by_name.insert(name, uuid);
    }
    fixed
});

/// The UUID of a fixed record, worked out before.
fn fixed_uuid(table: &str, name: &str) -> Option<&'static String> {
    match table {
        "taxonomy" => FIXED.taxonomy.get(name),
        "taxonomy_term" => FIXED.taxonomy_term.get(name),
        _ => None,
    }
}

/// The readable id (`signpost`, `signpost:gender`) of the fixed taxonomy or term whose
/// published UUID is `uuid` (any case).
pub(crate) fn fixed_name(uuid: &str) -> Option<&'static str> {
    FIXED
        .name
        .get(&uuid.trim().to_ascii_lowercase())
        .map(String::as_str)
}

/// Rewrites every id in `record`, a record of `table` (an ORUK table name, singular), and in
/// everything nested in it. Call it exactly once per record, on the way out.
pub(crate) fn publish(table: &str, mut record: Value) -> Value {
    walk(table, None, &mut record);
    record
}

/// Records of these tables own themselves; any other is owned by the service or
/// organisation it is part of (see `signpost_model::owned_uuid`).
fn owns_itself(table: &str) -> bool {
    matches!(
        table,
        "service" | "organization" | "taxonomy" | "taxonomy_term"
    )
}

fn walk(table: &str, owner: Option<&str>, v: &mut Value) {
    match v {
        Value::Array(items) => items.iter_mut().for_each(|item| walk(table, owner, item)),
        Value::Object(map) => {
            let name = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_owned);
            // Read before anything is rewritten: who owns this record and what it holds.
            let owner: Option<String> = if owns_itself(table) {
                name("id")
            } else if table == "service_at_location" {
                name("service_id").or_else(|| owner.map(str::to_owned))
            } else {
                owner.map(str::to_owned)
            };
            // An attribute's `link_id` points into the table its `link_entity` names.
            let linked = name("link_entity").unwrap_or_else(|| table.to_owned());
            let owner = owner.as_deref();
            for (key, value) in map.iter_mut() {
                match key.as_str() {
                    "id" | "parent_id" => rewrite(table, owner, value),
                    "link_id" => rewrite(&linked, owner, value),
                    _ => match key.strip_suffix("_id") {
                        Some(other) => rewrite(other, owner, value),
                        None => walk(&table_of(table, key), owner, value),
                    },
                }
            }
        }
        _ => {}
    }
}

fn rewrite(table: &str, owner: Option<&str>, v: &mut Value) {
    if let Value::String(name) = v {
        let owner = if owns_itself(table) {
            name.as_str()
        } else {
            owner.unwrap_or(name)
        };
        *name = match fixed_uuid(table, name) {
            Some(uuid) => uuid.clone(),
            None => owned_uuid(table, name, owner),
        };
    }
}

/// The table of the records under `key` in a record of `table`: the key made singular
/// (`service_at_locations`, `addresses`, `taxonomies`), or the same table for a page's
/// `contents`.
fn table_of(table: &str, key: &str) -> String {
    if key == "contents" {
        table.to_owned()
    } else if let Some(stem) = key.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = key.strip_suffix("sses") {
        format!("{stem}ss")
    } else {
        key.strip_suffix('s').unwrap_or(key).to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use signpost_model::public_uuid;

    #[test]
    fn every_id_and_reference_becomes_the_uuid_of_its_table_and_name() {
        let out = publish(
            "service",
            json!({
                "id": "club",
                "organization_id": "humber-fc",
                "organization": {"id": "humber-fc", "organization_identifiers": [
                    {"id": "humber-fc--charity", "organization_id": "humber-fc", "identifier": "1234567"}
                ]},
                "service_at_locations": [{"id": "club--at-1", "service_id": "club",
                    "location_id": "club--venue-1", "location": {"id": "club--venue-1",
                    "addresses": [{"id": "club--venue-1--address", "location_id": "club--venue-1"}]}}],
                "attributes": [{"id": "club--gender", "link_id": "club", "link_entity": "service",
                    "taxonomy_term_id": "signpost:gender", "value": "girls",
                    "taxonomy_term": {"id": "signpost:gender", "code": "signpost:gender", "taxonomy_id": "signpost"}}],
            }),
        );
        let u = public_uuid;
        let club = |table, name| owned_uuid(table, name, "club");
        assert_eq!(out["id"], u("service", "club"));
        assert_eq!(out["organization_id"], u("organization", "humber-fc"));
        assert_eq!(out["organization"]["id"], out["organization_id"]);
        let ident = &out["organization"]["organization_identifiers"][0];
        assert_eq!(
            ident["id"],
            owned_uuid("organization_identifier", "humber-fc--charity", "humber-fc")
        );
        assert_eq!(ident["identifier"], "1234567", "not an id: left alone");
        let sal = &out["service_at_locations"][0];
        assert_eq!(sal["id"], club("service_at_location", "club--at-1"));
        assert_eq!(sal["service_id"], out["id"]);
        assert_eq!(sal["location_id"], sal["location"]["id"]);
        assert_eq!(
            sal["location"]["addresses"][0]["id"],
            club("address", "club--venue-1--address")
        );
        assert_eq!(
            sal["location"]["addresses"][0]["location_id"],
            sal["location_id"]
        );
        let attr = &out["attributes"][0];
        assert_eq!(attr["link_id"], out["id"]);
        assert_eq!(attr["taxonomy_term_id"], attr["taxonomy_term"]["id"]);
        assert_eq!(
            attr["taxonomy_term_id"],
            u("taxonomy_term", "signpost:gender")
        );
        assert_eq!(attr["taxonomy_term"]["code"], "signpost:gender");
        assert_eq!(
            attr["taxonomy_term"]["taxonomy_id"],
            u("taxonomy", "signpost")
        );
        assert_eq!(attr["value"], "girls");
    }

    #[test]
    fn a_service_at_location_alone_is_owned_by_its_service() {
        let out = publish(
            "service_at_location",
            json!({"id": "club--at-1", "service_id": "club", "location_id": "club--venue-1",
                "location": {"id": "club--venue-1"}}),
        );
        assert_eq!(
            out["id"],
            owned_uuid("service_at_location", "club--at-1", "club")
        );
        assert_eq!(
            out["location"]["id"],
            owned_uuid("location", "club--venue-1", "club")
        );
        assert_eq!(out["location_id"], out["location"]["id"]);
    }

    #[test]
    fn a_page_rewrites_its_contents_as_records_of_its_table() {
        let out = publish(
            "service",
            json!({"total_items": 1, "contents": [{"id": "club"}]}),
        );
        assert_eq!(out["contents"][0]["id"], public_uuid("service", "club"));
        assert_eq!(out["total_items"], 1);
    }
}
