//! Signpost's two taxonomies as ORUK serves them: `signpost-categories` (the 16 categories,
//! which services are classified by) and `signpost` (the terms that name Signpost's own
//! attributes).

use serde_json::{Value, json};
use signpost_model::Category;

use crate::attributes::Field;

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

/// The category a term id names: `signpost-category:sport`, or the bare slug `sport`.
pub fn category_for_term(id: &str) -> Option<Category> {
    let id = id.trim();
    let slug = id.strip_prefix(CATEGORY_TERM_PREFIX).unwrap_or(id);
    Category::parse(slug).ok()
}

/// A category as a taxonomy term.
pub fn category_term(category: Category) -> Value {
    json!({
        "id": category_term_id(category),
        "name": category.name(),
        "description": format!("Activities Signpost lists under {}.", category.name()),
        "taxonomy": CATEGORY_TAXONOMY_NAME,
        "taxonomy_id": CATEGORY_TAXONOMY_ID,
        "term": category.slug(),
    })
}

pub use crate::attributes::field_term;

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
        .collect()
}

/// One taxonomy with its terms, if the id names one.
pub fn taxonomy(id: &str) -> Option<Value> {
    let mut head = taxonomy_head(id)?;
    head["taxonomy_terms"] = Value::Array(taxonomy_terms(Some(id)));
    Some(head)
}

/// The terms of one taxonomy, or of both.
pub fn taxonomy_terms(taxonomy_id: Option<&str>) -> Vec<Value> {
    let mut out = Vec::new();
    if taxonomy_id.is_none_or(|t| t == CATEGORY_TAXONOMY_ID) {
        out.extend(Category::ALL.iter().map(|c| category_term(*c)));
    }
    if taxonomy_id.is_none_or(|t| t == SIGNPOST_TAXONOMY_ID) {
        out.extend(Field::ALL.iter().map(|f| field_term(*f)));
    }
    out
}

/// One term, if the id names one (exactly: `signpost-category:sport`, `signpost:gender`).
pub fn taxonomy_term(id: &str) -> Option<Value> {
    if let Some(slug) = id.strip_prefix(CATEGORY_TERM_PREFIX) {
        return Category::parse(slug)
            .ok()
            .filter(|c| c.slug() == slug)
            .map(category_term);
    }
    Field::from_term_id(id)
        .filter(|f| f.term_id() == id)
        .map(field_term)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_found_by_their_exact_ids() {
        assert_eq!(
            taxonomy_term("signpost-category:sport").unwrap()["name"],
            "Sport"
        );
        assert_eq!(
            taxonomy_term("signpost:gender").unwrap()["taxonomy_id"],
            "signpost"
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
    }
}
