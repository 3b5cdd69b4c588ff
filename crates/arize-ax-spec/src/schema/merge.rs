//! An operation's several success bodies as one schema. progenitor supports
//! one success type per operation; `spec sync` writes this schema into the
//! document (as `<OperationId>Success`) and `spec drift` reads upstream
//! operations through it, so the merge is never reported as a difference.

use serde_json::{Map, Value, json};

use super::error::invalid;
use super::normalize::normalize;
use crate::error::SpecError;

/// Follows a local `$ref` (one level, as components/responses use them).
pub(crate) fn deref<'a>(doc: &'a Value, node: &'a Value) -> &'a Value {
    node.get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|p| doc.pointer(p))
        .unwrap_or(node)
}

/// The statuses and merged schema of an operation whose 2xx responses carry
/// more than one JSON schema; `None` when they carry at most one. The merged
/// schema is an object with every property of every body, required only
/// where every body requires it.
///
/// The bodies must be objects that agree on the schema of each property they
/// share (compared as `spec drift` compares schemas: references resolved,
/// wording and dialect aside); anything else is an error at `pointer` naming
/// the operation. `spec sync` refuses such a document and `spec drift`
/// reports it.
pub(crate) fn merged_success_body(
    doc: &Value,
    op: &Value,
    pointer: &str,
) -> Result<Option<(Vec<String>, Value)>, SpecError> {
    let Some(responses) = op.get("responses").and_then(Value::as_object) else {
        return Ok(None);
    };
    let mut statuses = Vec::new();
    let mut schemas: Vec<Value> = Vec::new();
    for (status, response) in responses.iter().filter(|(s, _)| s.starts_with('2')) {
        if let Some(schema) = deref(doc, response).pointer("/content/application~1json/schema") {
            statuses.push(status.clone());
            if !schemas.contains(schema) {
                schemas.push(schema.clone());
            }
        }
    }
    if schemas.len() < 2 {
        return Ok(None);
    }
    let id = op
        .get("operationId")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let merged = merged_object_schema(doc, &schemas, pointer, id)?;
    Ok(Some((statuses, merged)))
}

/// The object schema that covers every one of `schemas` (see
/// [`merged_success_body`]).
fn merged_object_schema(
    doc: &Value,
    schemas: &[Value],
    pointer: &str,
    id: &str,
) -> Result<Value, SpecError> {
    let mut properties = Map::new();
    let mut required: Option<Vec<Value>> = None;
    let mut names = Vec::new();
    for schema in schemas {
        if let Some(name) = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.rsplit('/').next())
        {
            names.push(format!("`{name}`"));
        }
        let schema = deref(doc, schema);
        if schema.get("type").and_then(Value::as_str) != Some("object") {
            return Err(invalid(
                pointer,
                &format!(
                    "`{id}` has several success bodies and one is not an object; they cannot be merged into one type"
                ),
            ));
        }
        for (name, property) in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            match properties.get(name) {
                Some(existing) if normalize(existing, doc) != normalize(property, doc) => {
                    return Err(invalid(
                        pointer,
                        &format!(
                            "`{id}` has several success bodies that disagree on property `{name}`; they cannot be merged into one type"
                        ),
                    ));
                }
                Some(_) => {}
                None => {
                    properties.insert(name.clone(), property.clone());
                }
            }
        }
        let this: Vec<Value> = schema
            .get("required")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        required = Some(match required {
            None => this,
            Some(previous) => previous.into_iter().filter(|r| this.contains(r)).collect(),
        });
    }
    let mut merged = json!({
        "type": "object",
        "description": format!(
            "Any success body of `{id}` ({}): every property of each, required where all of them require it. The HTTP status tells which one the server sent. Made by `arize-ax spec sync`.",
            names.join(", ")
        ),
        "required": required.unwrap_or_default(),
        "properties": properties,
    });
    // OpenAPI 3.0 wants at least one name in `required`: none is no list.
    if merged["required"].as_array().is_some_and(Vec::is_empty)
        && let Some(map) = merged.as_object_mut()
    {
        map.remove("required");
    }
    Ok(merged)
}
