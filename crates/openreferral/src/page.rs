//! The ORUK 3.0 paged envelope.

use serde_json::{Value, json};

/// `{total_items, total_pages, page_number, size, first_page, last_page, empty, contents}`.
///
/// `page_number` counts from 1; `size` is the number of entries on this page (as the ORUK
/// OpenAPI defines it), not the page size asked for. A search with no results has 0 pages,
/// and its page 1 is both first and last.
pub fn page(
    contents: Vec<Value>,
    total_items: usize,
    page_number: usize,
    per_page: usize,
) -> Value {
    let total_pages = total_items.div_ceil(per_page.max(1));
    json!({
        "total_items": total_items,
        "total_pages": total_pages,
        "page_number": page_number,
        "size": contents.len(),
        "first_page": page_number <= 1,
        "last_page": page_number >= total_pages,
        "empty": contents.is_empty(),
        "contents": contents,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_counts() {
        let p = page(vec![json!({}), json!({})], 5, 1, 2);
        assert_eq!(p["total_pages"], 3);
        assert_eq!(p["size"], 2);
        assert_eq!(
            (p["first_page"].clone(), p["last_page"].clone()),
            (json!(true), json!(false))
        );
        let p = page(vec![json!({})], 5, 3, 2);
        assert_eq!(p["last_page"], true);
        let p = page(Vec::new(), 0, 1, 20);
        assert_eq!(p["total_pages"], 0);
        assert_eq!(p["empty"], true);
        assert_eq!(p["last_page"], true);
    }
}
