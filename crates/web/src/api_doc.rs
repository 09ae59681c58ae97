//! OpenAPI building blocks that the site's description (`openapi.rs`) and Open Referral UK's
//! (`oruk.rs`) share, so a parameter is described the same way in both.

use serde_json::{Value, json};

/// An optional query parameter.
pub(crate) fn query(name: &str, description: &str, schema: Value, example: Value) -> Value {
    json!({
        "name": name,
        "in": "query",
        "required": false,
        "description": description,
        "schema": schema,
        "example": example,
    })
}

/// The `{id}` in a path.
pub(crate) fn path_id(description: &str, example: &str) -> Value {
    json!({
        "name": "id",
        "in": "path",
        "required": true,
        "description": description,
        "schema": { "type": "string" },
        "example": example,
    })
}
