//! Signpost's two taxonomies as ORUK serves them: `signpost-categories` (the 16 categories,
//! which services are classified by) and `signpost` (the terms that name Signpost's own
//! attributes).

use serde_json::{Value, json};
use signpost_model::Category;

use crate::attributes::Field;
use crate::ids::{fixed_name, publish};

/// The taxonomy whose terms are Signpost's categories.
pub const CATEGORY_TAXONOMY_ID: &str = "signpost-categories";
/// Category term ids are this followed by the category's slug: `signpost-category:sport`.
pub const CATEGORY_TERM_PREFIX: &str = "signpost-category:";
/// The taxonomy whose terms name Signpost's own attributes.
pub const SIGNPOST_TAXONOMY_ID: &str = "signpost";
/// Attribute term ids are this followed by the field's key: `signpost:gender`.
pub const FIELD_TERM_PREFIX: &str = "signpost:";

pub(crate) const SIGNPOST_TAXONOMY_NAME: &str = "Signpost";
const CATEGORY_TAXONOMY_NAME: &str = "Signpost categories";
const VERSION: &str = "1";

/// `signpost-category:{slug}`.
pub fn category_term_id(category: Category) -> String {
    format!("{CATEGORY_TERM_PREFIX}{}", category.slug())
}

/// The category a term names: its published UUID, its code `signpost-category:sport`, or the
/// bare slug `sport`.
pub fn category_for_term(id: &str) -> Option<Category> {
    let id = id.trim();
    let id = fixed_name(id).unwrap_or(id);
    let slug = id.strip_prefix(CATEGORY_TERM_PREFIX).unwrap_or(id);
    Category::parse(slug).ok()
}

/// A category as a taxonomy term (before its ids are published: `code` keeps the readable id).
pub(crate) fn category_term(category: Category) -> Value {
    json!({
        "id": category_term_id(category),
        "code": category_term_id(category),
        "name": category.name(),
        "description": format!("Activities Signpost lists under {}.", category.name()),
        "taxonomy": CATEGORY_TAXONOMY_NAME,
        "taxonomy_id": CATEGORY_TAXONOMY_ID,
        "term": category.slug(),
    })
}

use crate::attributes::field_term;

/// The taxonomy `id` names: its published UUID or its readable id (`signpost`).
fn taxonomy_named(id: &str) -> Option<&'static str> {
    let id = id.trim().to_ascii_lowercase();
    let id = fixed_name(&id).unwrap_or(&id);
    [CATEGORY_TAXONOMY_ID, SIGNPOST_TAXONOMY_ID]
        .into_iter()
        .find(|t| *t == id)
}

/// Whether `id` names one of the taxonomies (its UUID, or its readable id).
pub fn is_taxonomy(id: &str) -> bool {
    taxonomy_named(id).is_some()
}

fn taxonomy_head(id: &str) -> Option<Value> {
    let (name, description) = match id {
        CATEGORY_TAXONOMY_ID => (
            CATEGORY_TAXONOMY_NAME,
            "The categories Signpost sorts activities for children and young people into. A service's categories are attributes whose term is in this taxonomy.",
        ),
        SIGNPOST_TAXONOMY_ID => (
            SIGNPOST_TAXONOMY_NAME,
            "Facts Signpost keeps that Open Referral UK has no field for (ages in months, who can join, how to join, access, the exact timetable, safeguarding). Each attribute's term names the fact and its value holds it.",
        ),
        _ => return None,
    };
    Some(json!({
        "id": id,
        "name": name,
        "description": description,
        "version": VERSION,
    }))
}

/// Both taxonomies, in the list shape (no terms).
pub fn taxonomies() -> Vec<Value> {
    [CATEGORY_TAXONOMY_ID, SIGNPOST_TAXONOMY_ID]
        .iter()
        .filter_map(|id| taxonomy_head(id))
        .map(|head| publish("taxonomy", head))
        .collect()
}

/// One taxonomy with its terms, if `id` names one (its UUID, or `signpost`).
pub fn taxonomy(id: &str) -> Option<Value> {
    let id = taxonomy_named(id)?;
    let mut head = taxonomy_head(id)?;
    head["taxonomy_terms"] = Value::Array(terms(Some(id)));
    Some(publish("taxonomy", head))
}

/// The terms of one taxonomy (named by its UUID or readable id; none for an unknown one), or
/// of both.
pub fn taxonomy_terms(taxonomy_id: Option<&str>) -> Vec<Value> {
    let taxonomy = match taxonomy_id {
        Some(id) => match taxonomy_named(id) {
            Some(t) => Some(t),
            None => return Vec::new(),
        },
        None => None,
    };
    terms(taxonomy)
        .into_iter()
        .map(|t| publish("taxonomy_term", t))
        .collect()
}

/// The terms before their ids are published.
fn terms(taxonomy_id: Option<&str>) -> Vec<Value> {
    let mut out = Vec::new();
    if taxonomy_id.is_none_or(|t| t == CATEGORY_TAXONOMY_ID) {
        out.extend(Category::ALL.iter().map(|c| category_term(*c)));
    }
    if taxonomy_id.is_none_or(|t| t == SIGNPOST_TAXONOMY_ID) {
        out.extend(Field::ALL.iter().map(|f| field_term(*f)));
    }
    out
}

/// One term, if `id` names one exactly: its UUID, or its code (`signpost-category:sport`,
/// `signpost:gender`).
pub fn taxonomy_term(id: &str) -> Option<Value> {
    let id = fixed_name(id).unwrap_or(id);
    terms(None)
        .into_iter()
        .find(|t| t["code"] == id)
        .map(|t| publish("taxonomy_term", t))
}

#[cfg(test)]
mod tests {
    use signpost_model::public_uuid;

    use super::*;

    #[test]
    fn terms_are_found_by_their_exact_ids() {
        let sport = taxonomy_term("signpost-category:sport").unwrap();
        assert_eq!(sport["name"], "Sport");
        assert_eq!(sport["code"], "signpost-category:sport");
        assert_eq!(
            sport["id"],
            public_uuid("taxonomy_term", "signpost-category:sport")
        );
        assert_eq!(
            taxonomy_term(sport["id"].as_str().unwrap()),
            Some(sport.clone())
        );
        let upper = sport["id"].as_str().unwrap().to_ascii_uppercase();
        assert_eq!(taxonomy_term(&upper), Some(sport.clone()));
        assert_eq!(
            category_for_term(sport["id"].as_str().unwrap()),
            Some(Category::Sport)
        );
        assert_eq!(
            taxonomy_term("signpost:gender").unwrap()["taxonomy_id"],
            public_uuid("taxonomy", "signpost")
        );
        assert!(taxonomy_term("sport").is_none());
        assert!(taxonomy_term("signpost-category:SPORT").is_none());
        assert_eq!(category_for_term("sport"), Some(Category::Sport));
        assert_eq!(
            category_for_term("signpost-category:young-carers"),
            Some(Category::YoungCarers)
        );
        assert_eq!(category_for_term("signpost:gender"), None);
    }

    #[test]
    fn taxonomies_list_their_terms() {
        assert_eq!(taxonomies().len(), 2);
        let cats = taxonomy(CATEGORY_TAXONOMY_ID).unwrap();
        assert_eq!(
            cats["taxonomy_terms"].as_array().unwrap().len(),
            Category::ALL.len()
        );
        assert_eq!(
            taxonomy_terms(None).len(),
            Category::ALL.len() + Field::ALL.len()
        );
        assert!(taxonomy("nope").is_none());
        let by_uuid = taxonomy(&public_uuid("taxonomy", SIGNPOST_TAXONOMY_ID)).unwrap();
        assert_eq!(by_uuid, taxonomy(SIGNPOST_TAXONOMY_ID).unwrap());
        assert_eq!(by_uuid["taxonomy_terms"][0]["taxonomy_id"], by_uuid["id"]);
        assert!(taxonomy_terms(Some("nope")).is_empty());
    }
}
