//! Small readers and writers of schema keywords.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

/// The names a schema's `required` list holds (none when it has no list).
pub(crate) fn required_set(schema: &Value) -> BTreeSet<String> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// Makes a tag property's schema the one value `tag`
/// (`{type: string, enum: [tag]}`); its other keywords (description,
/// readOnly, nullable…) stay. `spec sync` writes a discriminator's mapping
/// into its branches with it, and `spec drift` reads both documents the same
/// way.
pub(crate) fn pin_tag(schema: &mut Map<String, Value>, tag: &str) {
    for key in ["$ref", "const", "allOf", "oneOf", "anyOf"] {
        schema.remove(key);
    }
    schema.insert("type".into(), json!("string"));
    schema.insert("enum".into(), json!([tag]));
}
