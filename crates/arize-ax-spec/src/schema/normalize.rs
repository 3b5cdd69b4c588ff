//! `$ref`s resolved and a schema brought to one spelling, so that two
//! schemas that mean the same compare equal: OpenAPI 3.1 vs 3.0 spellings
//! (`type: [T, "null"]` vs `nullable`, `examples` vs `example`, `const` vs a
//! one-value `enum`), `$ref` vs the same schema inline, wrappers of one
//! schema, and wording (descriptions, summaries, titles, examples,
//! extensions).

use serde_json::Value;

use super::dialect::convert_schema;
use super::keywords::pin_tag;

/// Replaces local `$ref`s with their targets. A reference met again inside
/// its own expansion (a recursive schema: a tree's `left` and `right`, a
/// filter's `all`/`any` lists of itself) stays a `$ref` and is compared by
/// name, so every chain of references is expanded once and the work stays
/// proportional to the document, however often a schema refers to itself.
pub(crate) fn resolve(value: &Value, doc: &Value) -> Value {
    resolve_within(value, doc, &mut Vec::new())
}

fn resolve_within<'a>(value: &'a Value, doc: &'a Value, expanding: &mut Vec<&'a str>) -> Value {
    match value {
        Value::Object(map) => {
            if let Some(target) = map.get("$ref").and_then(Value::as_str) {
                if !expanding.contains(&target)
                    && let Some(found) = target
                        .strip_prefix('#')
                        .and_then(|pointer| doc.pointer(pointer))
                {
                    expanding.push(target);
                    let mut resolved = resolve_within(found, doc, expanding);
                    expanding.pop();
                    // Siblings that change meaning (3.1 allows them beside a
                    // `$ref`): a read-only or write-only use of a shared
                    // schema, or a nullable one.
                    if let Value::Object(out) = &mut resolved {
                        for key in ["readOnly", "writeOnly", "nullable"] {
                            if let Some(value) = map.get(key) {
                                out.insert(key.to_owned(), value.clone());
                            }
                        }
                    }
                    return resolved;
                }
                return Value::Object(
                    [("$ref".to_owned(), Value::String(target.to_owned()))]
                        .into_iter()
                        .collect(),
                );
            }
            let mut resolved = Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), resolve_within(v, doc, expanding)))
                    .collect(),
            );
            tag_discriminated_branches(map, &mut resolved);
            resolved
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| resolve_within(v, doc, expanding))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Keywords that document but do not change what is valid.
const WORDING: &[&str] = &[
    "description",
    "summary",
    "title",
    "example",
    "examples",
    "externalDocs",
    "discriminator",
    "xml",
    "deprecated",
    "$comment",
];

/// A schema, resolved and normalised to one spelling: the same 3.1 → 3.0
/// rewrites as `spec sync`, then wording, extensions and `nullable: false`
/// removed and wrappers of one schema unwrapped.
pub(crate) fn normalize(value: &Value, doc: &Value) -> Value {
    let mut resolved = resolve(value, doc);
    // Same 3.1 → 3.0 rewrites as the sync, so both dialects compare equal;
    // a schema the sync cannot express is compared as it is.
    let _ = convert_schema(&mut resolved, "");
    strip(&mut resolved);
    unwrap_combinators(&mut resolved);
    resolved
}

/// Spellings generators choose for one schema, made one: an `allOf` with a
/// single schema (a common way to put a description or `nullable` beside a
/// `$ref`) is that schema; an `anyOf`/`oneOf` of one schema (and maybe
/// `null`) is that schema, nullable with the `null`. The wrapper's own `nullable` carries over. Runs
/// after [`strip`], so wording siblings are already gone.
fn unwrap_combinators(value: &mut Value) {
    match value {
        Value::Object(map) => {
            subschemas(map, unwrap_combinators);
            let is_null =
                |branch: &Value| branch.get("type").and_then(Value::as_str) == Some("null");
            for key in ["allOf", "anyOf", "oneOf"] {
                let Some(Value::Array(branches)) = map.get(key) else {
                    continue;
                };
                if map.keys().any(|k| k != key && k != "nullable") {
                    continue;
                }
                let (nulls, schemas): (Vec<&Value>, Vec<&Value>) =
                    branches.iter().partition(|b| is_null(b));
                let wrapper_nullable = map.get("nullable") == Some(&Value::Bool(true));
                let single = match (key, schemas.as_slice(), nulls.len()) {
                    ("allOf", [only], 0) => (*only).clone(),
                    // One schema (the 3.0 conversion may already have turned
                    // the null branch into the wrapper's `nullable`).
                    ("anyOf" | "oneOf", [only], n) if n > 0 || wrapper_nullable => {
                        let mut only = (*only).clone();
                        if let (Value::Object(inner), true) = (&mut only, n > 0) {
                            inner.insert("nullable".into(), Value::Bool(true));
                        }
                        only
                    }
                    _ => continue,
                };
                *value = single;
                if wrapper_nullable && let Value::Object(inner) = value {
                    inner.insert("nullable".into(), Value::Bool(true));
                }
                return;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(unwrap_combinators),
        _ => {}
    }
}

/// Applies `f` to every schema inside `map`: each property's schema (not the
/// `properties` map itself, whose keys are names) and every other value but
/// an `enum`'s (data, not schemas).
fn subschemas(map: &mut serde_json::Map<String, Value>, f: fn(&mut Value)) {
    for (key, child) in map.iter_mut() {
        if key == "properties" {
            if let Some(props) = child.as_object_mut() {
                props.values_mut().for_each(f);
            }
        } else if key != "enum" {
            f(child);
        }
    }
}

fn strip(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|k, _| !WORDING.contains(&k.as_str()) && !k.starts_with("x-"));
            if map.get("nullable") == Some(&Value::Bool(false)) {
                map.remove("nullable");
            }
            subschemas(map, strip);
        }
        Value::Array(items) => items.iter_mut().for_each(strip),
        _ => {}
    }
}

/// Where a `oneOf` names its discriminator (`propertyName` and a `mapping`
/// from tag to branch `$ref`), the tag property of each resolved branch
/// becomes that branch's one value, as a single-value enum. The mapping is
/// lost once references are inlined, and branches that share a tag enum
/// through a `$ref` (`type: {$ref: …AssignmentType}`) would otherwise be
/// told apart only by position; a `const` tag spells the same thing.
fn tag_discriminated_branches(original: &serde_json::Map<String, Value>, resolved: &mut Value) {
    let Some(discriminator) = original.get("discriminator") else {
        return;
    };
    let (Some(property), Some(mapping)) = (
        discriminator.get("propertyName").and_then(Value::as_str),
        discriminator.get("mapping").and_then(Value::as_object),
    ) else {
        return;
    };
    let Some(branches) = original.get("oneOf").and_then(Value::as_array) else {
        return;
    };
    for (i, branch) in branches.iter().enumerate() {
        let Some(target) = branch.get("$ref").and_then(Value::as_str) else {
            continue;
        };
        let Some(tag) = mapping
            .iter()
            .find(|(_, to)| to.as_str() == Some(target))
            .map(|(tag, _)| tag)
        else {
            continue;
        };
        // Only a tag the branch has: a branch that lost (or never had) its
        // tag property is compared as it is, so that change shows.
        if let Some(Value::Object(schema)) = resolved
            .pointer_mut(&format!("/oneOf/{i}/properties"))
            .and_then(Value::as_object_mut)
            .and_then(|props| props.get_mut(property))
        {
            pin_tag(schema, tag);
        }
    }
}

/// A document whose schemas refer to themselves twice and to each other
/// (for the tests of both normalising and comparing).
#[cfg(test)]
pub(crate) fn recursive_document() -> Value {
    serde_json::json!({"openapi": "3.1.0", "paths": {"/t": {"get": {"operationId": "t",
    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/Tree"}}}}}}}},
    "components": {"schemas": {
        "Tree": {"type": "object", "properties": {
            "left": {"$ref": "#/components/schemas/Tree"},
            "right": {"$ref": "#/components/schemas/Tree"},
            "filter": {"$ref": "#/components/schemas/Filter"}}},
        "Filter": {"type": "object", "properties": {
            "all": {"type": "array", "items": {"$ref": "#/components/schemas/Filter"}},
            "any": {"type": "array", "items": {"$ref": "#/components/schemas/Filter"}},
            "not": {"$ref": "#/components/schemas/Negation"}}},
        "Negation": {"type": "object", "properties": {
            "of": {"$ref": "#/components/schemas/Filter"},
            "or": {"$ref": "#/components/schemas/Filter"}}}
    }}})
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn normalisation_sees_through_dialects_and_wording() {
        let doc =
            json!({"components": {"schemas": {"Id": {"type": "string", "description": "an id"}}}});
        let cases = [
            (
                json!({"type": ["string", "null"], "examples": ["a"], "description": "x"}),
                json!({"type": "string", "nullable": true, "example": "b"}),
            ),
            (
                json!({"$ref": "#/components/schemas/Id", "description": "doc"}),
                json!({"type": "string"}),
            ),
            (json!({"const": "A"}), json!({"enum": ["A"], "title": "t"})),
            (
                json!({"type": "object", "properties": {"a": {"type": "integer", "x-internal": true}}}),
                json!({"properties": {"a": {"type": "integer"}}, "type": "object"}),
            ),
            (
                json!({"type": "string", "nullable": false}),
                json!({"type": "string"}),
            ),
        ];
        for (a, b) in cases {
            assert_eq!(normalize(&a, &doc), normalize(&b, &doc), "{a} vs {b}");
        }
    }

    #[test]
    fn every_spelling_of_nullable_and_of_a_described_reference_is_one() {
        let doc = json!({"components": {"schemas": {"Id": {"type": "string", "maxLength": 9}}}});
        let nullable = [
            json!({"type": ["string", "null"], "maxLength": 9}),
            json!({"type": "string", "maxLength": 9, "nullable": true}),
            json!({"anyOf": [{"type": "string", "maxLength": 9}, {"type": "null"}]}),
            json!({"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Id"}]}),
            json!({"allOf": [{"$ref": "#/components/schemas/Id"}], "nullable": true}),
            json!({"anyOf": [{"$ref": "#/components/schemas/Id"}, {"type": "null"}],
                   "description": "d"}),
        ];
        for spelling in &nullable[1..] {
            assert_eq!(
                normalize(spelling, &doc),
                normalize(&nullable[0], &doc),
                "{spelling}"
            );
        }
        let plain = [
            json!({"$ref": "#/components/schemas/Id"}),
            json!({"allOf": [{"$ref": "#/components/schemas/Id"}], "description": "doc"}),
            json!({"allOf": [{"type": "string", "maxLength": 9}]}),
        ];
        for spelling in &plain[1..] {
            assert_eq!(
                normalize(spelling, &doc),
                normalize(&plain[0], &doc),
                "{spelling}"
            );
        }
        assert_ne!(normalize(&nullable[0], &doc), normalize(&plain[0], &doc));
        // Two real branches stay a choice.
        let choice = json!({"oneOf": [{"type": "string"}, {"type": "integer"}]});
        assert!(normalize(&choice, &doc).get("oneOf").is_some());
    }

    #[test]
    fn a_property_named_like_a_keyword_is_not_stripped() {
        let doc = json!({});
        let s = normalize(
            &json!({"type": "object", "properties": {"description": {"type": "string"}}}),
            &doc,
        );
        assert!(s.pointer("/properties/description").is_some(), "{s}");
    }

    #[test]
    fn recursive_references_terminate() {
        let doc = json!({"components": {"schemas": {"Node": {"type": "object", "properties": {
            "next": {"$ref": "#/components/schemas/Node"}}}}}});
        let s = normalize(&json!({"$ref": "#/components/schemas/Node"}), &doc);
        assert_eq!(s["type"], "object");
        assert_eq!(s["properties"]["next"]["$ref"], "#/components/schemas/Node");
    }

    /// A schema that refers to itself twice (and a mutually recursive pair)
    /// used to be expanded along every path to depth 32: 2^32 copies. Each
    /// reference is now expanded once per chain.
    #[test]
    fn self_references_do_not_explode() {
        let doc = recursive_document();
        let tree = normalize(&json!({"$ref": "#/components/schemas/Tree"}), &doc);
        assert_eq!(
            tree["properties"]["left"]["$ref"],
            "#/components/schemas/Tree"
        );
        let filter = &tree["properties"]["filter"];
        assert_eq!(
            filter["properties"]["all"]["items"]["$ref"],
            "#/components/schemas/Filter"
        );
        assert_eq!(
            filter["properties"]["not"]["properties"]["of"]["$ref"],
            "#/components/schemas/Filter"
        );
    }
}
