//! The real ORUK 3.0 compiled service schema, for tests in any crate (included by `#[path]`):
//! read from `../shared/samples/oruk/` when it is there, with every format asserted.

use serde_json::Value;

const SERVICE_SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/samples/oruk/uk3_schema_compiled_service.json"
);

/// The compiled ORUK 3.0 service schema, or `None` (with a note) when the samples are not here.
pub fn service_validator() -> Option<jsonschema::Validator> {
    let path = std::path::Path::new(SERVICE_SCHEMA);
    if !path.exists() {
        eprintln!("skipping schema check: {} not found", path.display());
        return None;
    }
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    Some(
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            // Every format the schema names is asserted: uuid, uri, email, date-time.
            .should_validate_formats(true)
            .build(&schema)
            .unwrap(),
    )
}

/// Fails the test with every way `v` breaks the schema.
pub fn assert_valid(validator: &jsonschema::Validator, v: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(v)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}: {errors:#?}", v["id"]);
}
