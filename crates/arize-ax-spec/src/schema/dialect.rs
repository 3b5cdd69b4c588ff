//! One JSON Schema (OpenAPI 3.1 dialect) rewritten as an OpenAPI 3.0 Schema
//! Object. `spec sync` applies it to every schema of the document; `spec
//! drift` applies it before comparing, so both dialects compare equal.

use serde_json::{Map, Value, json};

use super::error::{escape_pointer, invalid};
use crate::error::SpecError;

/// Converts one JSON Schema (OpenAPI 3.1 dialect) into an OpenAPI 3.0 Schema
/// Object, recursing into its sub-schemas.
pub(crate) fn convert_schema(schema: &mut Value, pointer: &str) -> Result<(), SpecError> {
    let Some(map) = schema.as_object_mut() else {
        // `true`/`false` schemas have no 3.0 form; leave them for the
        // validator to report rather than guessing.
        return Ok(());
    };

    if map.contains_key("$ref") {
        // In 3.0 a Reference Object may not carry siblings (3.1 allows a
        // `description` next to `$ref`). They only document; the referenced
        // schema is what the client is generated from.
        map.retain(|k, _| k == "$ref");
        return Ok(());
    }

    nullable_type(map, pointer)?;
    rewrite_keywords(map);
    convert_subschemas(map, pointer)
}

/// `type: [T, "null"]` → `type: T` + `nullable: true`; a type list 3.0
/// cannot express is an error at `pointer`.
fn nullable_type(map: &mut Map<String, Value>, pointer: &str) -> Result<(), SpecError> {
    if let Some(Value::Array(types)) = map.get("type").cloned() {
        let non_null: Vec<&Value> = types.iter().filter(|t| *t != "null").collect();
        let had_null = non_null.len() != types.len();
        match non_null.as_slice() {
            [single] => {
                map.insert("type".to_owned(), (*single).clone());
            }
            [] => {
                return Err(invalid(
                    pointer,
                    "a schema whose only type is null has no OpenAPI 3.0 form",
                ));
            }
            _ => {
                return Err(invalid(
                    pointer,
                    "a schema with several non-null types has no OpenAPI 3.0 form; use oneOf upstream",
                ));
            }
        }
        if had_null {
            map.insert("nullable".to_owned(), json!(true));
        }
    } else if map.get("type").is_some_and(|t| t == "null") {
        return Err(invalid(
            pointer,
            "a schema whose only type is null has no OpenAPI 3.0 form",
        ));
    }
    Ok(())
}

/// The keyword rewrites of one schema, its sub-schemas aside: `null`
/// branches, `const`, `examples`, numeric exclusive bounds, and 2020-12
/// keywords with no 3.0 meaning.
fn rewrite_keywords(map: &mut Map<String, Value>) {
    // `oneOf`/`anyOf` with a `{type: null}` branch → nullable.
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(branches)) = map.get_mut(key) {
            let before = branches.len();
            branches.retain(|b| b.get("type").is_none_or(|t| t != "null"));
            if branches.len() != before {
                map.insert("nullable".to_owned(), json!(true));
            }
        }
    }

    // `const: v` → a one-value `enum`.
    if let Some(constant) = map.remove("const") {
        map.entry("enum").or_insert_with(|| json!([constant]));
    }

    // JSON Schema `examples` (an array) → 3.0 `example` (one value).
    if let Some(examples) = map.remove("examples")
        && let Value::Array(values) = examples
        && let Some(first) = values.into_iter().next()
    {
        map.entry("example").or_insert(first);
    }

    // Numeric exclusive bounds became numbers in 3.1; 3.0 has booleans
    // modifying `minimum`/`maximum`.
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(value) = map.get(exclusive).cloned()
            && value.is_number()
        {
            map.insert(bound.to_owned(), value);
            map.insert(exclusive.to_owned(), json!(true));
        }
    }

    // JSON Schema 2020-12 keywords with no OpenAPI 3.0 meaning.
    for key in [
        "$schema",
        "$id",
        "$comment",
        "$defs",
        "contentMediaType",
        "contentEncoding",
        "unevaluatedProperties",
        "unevaluatedItems",
        "dependentRequired",
        "dependentSchemas",
        "prefixItems",
        "propertyNames",
        "if",
        "then",
        "else",
    ] {
        map.remove(key);
    }
}

/// Converts every sub-schema: properties, `items`, `not`,
/// `additionalProperties` and the branches of `allOf`/`oneOf`/`anyOf`.
fn convert_subschemas(map: &mut Map<String, Value>, pointer: &str) -> Result<(), SpecError> {
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        for (name, sub) in props.iter_mut() {
            convert_schema(
                sub,
                &format!("{pointer}/properties/{}", escape_pointer(name)),
            )?;
        }
    }
    for key in ["items", "not", "additionalProperties"] {
        if let Some(sub) = map.get_mut(key)
            && sub.is_object()
        {
            convert_schema(sub, &format!("{pointer}/{key}"))?;
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(branches)) = map.get_mut(key) {
            for (i, sub) in branches.iter_mut().enumerate() {
                convert_schema(sub, &format!("{pointer}/{key}/{i}"))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(value: Value) -> Value {
        let mut value = value;
        convert_schema(&mut value, "/t").unwrap();
        value
    }

    #[test]
    fn schema_rewrites() {
        let cases = [
            (
                json!({"type": ["string", "null"], "maxLength": 3}),
                json!({"type": "string", "maxLength": 3, "nullable": true}),
            ),
            (json!({"type": ["integer"]}), json!({"type": "integer"})),
            (
                json!({"type": "string", "const": "PREDEFINED"}),
                json!({"type": "string", "enum": ["PREDEFINED"]}),
            ),
            (
                json!({"type": "string", "examples": ["a", "b"]}),
                json!({"type": "string", "example": "a"}),
            ),
            (
                json!({"$ref": "#/components/schemas/Id", "description": "doc"}),
                json!({"$ref": "#/components/schemas/Id"}),
            ),
            (
                json!({"type": "integer", "exclusiveMinimum": 0}),
                json!({"type": "integer", "exclusiveMinimum": true, "minimum": 0}),
            ),
            (
                json!({"oneOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]}),
                json!({"oneOf": [{"$ref": "#/components/schemas/A"}], "nullable": true}),
            ),
            (
                json!({"type": "object", "properties": {"a": {"type": ["boolean", "null"]}},
                       "additionalProperties": {"const": 1}}),
                json!({"type": "object", "properties": {"a": {"type": "boolean", "nullable": true}},
                       "additionalProperties": {"enum": [1]}}),
            ),
            (
                json!({"type": "array", "items": {"$ref": "#/x", "summary": "s"}}),
                json!({"type": "array", "items": {"$ref": "#/x"}}),
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(schema(input.clone()), expected, "input {input}");
        }
    }

    #[test]
    fn inexpressible_schemas_are_errors_with_a_location() {
        for input in [
            json!({"type": ["string", "integer"]}),
            json!({"type": "null"}),
            json!({"type": ["null"]}),
        ] {
            let mut value = input.clone();
            let err = convert_schema(&mut value, "/components/schemas/X").unwrap_err();
            assert!(
                err.to_string().contains("/components/schemas/X"),
                "{input}: {err}"
            );
        }
    }
}
