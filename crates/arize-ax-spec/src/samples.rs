//! Sample instances of a schema, whole and sparse, for tests that must hold
//! for every answer a server following the document may send.
//!
//! Arize's document marks no response field as required, so a server may
//! leave any of them out. [`sparse_samples`] makes, from one schema of an
//! OpenAPI 3.0 document: a whole instance (every property present); one
//! instance per optional property with just that property left out (at any
//! depth); and one with every optional property left out. A union
//! (`oneOf`/`anyOf`) gives one whole instance per branch, tagged by its
//! discriminator when it has one.
//!
//! ```
//! use arize_ax_spec::samples::sparse_samples;
//! use serde_json::json;
//!
//! let doc = json!({"components": {"schemas": {"Org": {
//!     "type": "object",
//!     "required": ["id"],
//!     "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
//! }}}});
//! let samples = sparse_samples(&doc, &json!({"$ref": "#/components/schemas/Org"}));
//! let removed: Vec<&str> = samples.iter().map(|s| s.removed.as_str()).collect();
//! assert_eq!(removed, ["", ".name", "*"]);
//! assert_eq!(samples[1].value, json!({"id": "id-1"}));
//! ```

use serde_json::{Map, Value, json};

/// One sample instance of a schema.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Sample {
    /// What was left out: `""` for a whole instance, the property's path
    /// (`.pagination.has_more`, `.users[].email`) for one left out, `*` for
    /// every optional property left out.
    pub removed: String,
    /// The instance.
    pub value: Value,
}

/// Every sample of `schema` (see the module documentation). References are
/// resolved against `doc`; a schema met again inside itself is not expanded
/// a second time.
pub fn sparse_samples(doc: &Value, schema: &Value) -> Vec<Sample> {
    let mut out = Vec::new();
    let branches = branch_count(doc, schema);
    for branch in 0..branches {
        let whole = instance(doc, schema, branch, &mut Vec::new());
        out.push(Sample {
            removed: String::new(),
            value: whole.clone(),
        });
        let mut paths = Vec::new();
        optional_paths(doc, schema, branch, "", &mut paths, &mut Vec::new());
        for path in paths {
            let mut value = whole.clone();
            remove_at(&mut value, &path);
            if !out.iter().any(|s| s.removed == path && s.value == value) {
                out.push(Sample {
                    removed: path,
                    value,
                });
            }
        }
        let mut bare = whole;
        strip_optional(doc, schema, &mut bare, branch, &mut Vec::new());
        out.push(Sample {
            removed: "*".into(),
            value: bare,
        });
    }
    out
}

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    let mut current = schema;
    for _ in 0..16 {
        match current
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| doc.pointer(p))
        {
            Some(next) => current = next,
            None => break,
        }
    }
    current
}

fn ref_name(schema: &Value) -> Option<&str> {
    schema.get("$ref").and_then(Value::as_str)
}

fn union(schema: &Value) -> Option<&Vec<Value>> {
    schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array)
        .filter(|branches| !branches.is_empty())
}

/// The most branches of any union the schema reaches: that many whole
/// instances cover every branch (branch `i` of each union in instance `i`,
/// wrapping).
fn branch_count(doc: &Value, schema: &Value) -> usize {
    fn walk(doc: &Value, schema: &Value, seen: &mut Vec<String>) -> usize {
        if let Some(name) = ref_name(schema) {
            if seen.iter().any(|s| s == name) {
                return 1;
            }
            seen.push(name.to_owned());
            let n = walk(doc, resolve(doc, schema), seen);
            seen.pop();
            return n;
        }
        let mut most = union(schema).map_or(1, Vec::len);
        for key in ["oneOf", "anyOf", "allOf"] {
            for sub in schema
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                most = most.max(walk(doc, sub, seen));
            }
        }
        if let Some(items) = schema.get("items") {
            most = most.max(walk(doc, items, seen));
        }
        for (_, property) in properties(schema) {
            most = most.max(walk(doc, property, seen));
        }
        most
    }
    walk(doc, schema, &mut Vec::new())
}

/// The branch `index` of a union (wrapping), with its discriminator tag.
fn pick<'a>(
    doc: &'a Value,
    schema: &'a Value,
    index: usize,
) -> (&'a Value, Option<(String, String)>) {
    let branches = union(schema).expect("a union");
    let branch = &branches[index % branches.len()];
    let tag = schema.get("discriminator").and_then(|d| {
        let property = d.get("propertyName")?.as_str()?;
        let target = ref_name(branch)?;
        let (tag, _) = d
            .get("mapping")?
            .as_object()?
            .iter()
            .find(|(_, to)| to.as_str() == Some(target))?;
        Some((property.to_owned(), tag.clone()))
    });
    (resolve(doc, branch), tag)
}

fn instance(doc: &Value, schema: &Value, branch: usize, seen: &mut Vec<String>) -> Value {
    if let Some(name) = ref_name(schema) {
        if seen.iter().any(|s| s == name) {
            return Value::Null;
        }
        seen.push(name.to_owned());
        let value = instance(doc, resolve(doc, schema), branch, seen);
        seen.pop();
        return value;
    }
    if union(schema).is_some() {
        let (chosen, tag) = pick(doc, schema, branch);
        let mut value = instance(doc, chosen, branch, seen);
        if let (Some((property, tag)), Value::Object(map)) = (tag, &mut value) {
            map.insert(property, json!(tag));
        }
        return value;
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        for part in all {
            match instance(doc, part, branch, seen) {
                Value::Object(map) => merged.extend(map),
                other => return other,
            }
        }
        return Value::Object(merged);
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array)
        && let Some(first) = values.first()
    {
        return first.clone();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("object") | None if schema.get("properties").is_some() => {
            let mut map = Map::new();
            for (name, property) in properties(schema) {
                map.insert(name.clone(), instance(doc, property, branch, seen));
            }
            Value::Object(map)
        }
        Some("object") => json!({}),
        Some("array") => match schema.get("items") {
            Some(items) => json!([instance(doc, items, branch, seen)]),
            None => json!([]),
        },
        Some("boolean") => json!(true),
        Some("integer") => json!(
            schema
                .get("minimum")
                .and_then(Value::as_i64)
                .unwrap_or(0)
                .max(1)
        ),
        Some("number") => json!(1.5),
        Some("string") => string_sample(schema),
        _ => Value::Null,
    }
}

fn string_sample(schema: &Value) -> Value {
    let pattern = schema.get("pattern").and_then(Value::as_str).unwrap_or("");
    match schema.get("format").and_then(Value::as_str) {
        Some("date-time") => json!("2025-03-04T09:30:00Z"),
        Some("date") => json!("2025-03-04"),
        Some("email") => json!("jane@example.com"),
        Some("uri" | "uri-reference") => json!("https://example.com/x"),
        _ if pattern.contains("A-Za-z0-9+/") || pattern.contains("base64") => json!("SWQ6MQ=="),
        _ => json!("id-1"),
    }
}

fn properties(schema: &Value) -> impl Iterator<Item = (&String, &Value)> {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
}

/// The paths of the optional properties of the instance made for `branch`.
fn optional_paths(
    doc: &Value,
    schema: &Value,
    branch: usize,
    at: &str,
    out: &mut Vec<String>,
    seen: &mut Vec<String>,
) {
    if let Some(name) = ref_name(schema) {
        if seen.iter().any(|s| s == name) {
            return;
        }
        seen.push(name.to_owned());
        optional_paths(doc, resolve(doc, schema), branch, at, out, seen);
        seen.pop();
        return;
    }
    if union(schema).is_some() {
        let (chosen, _) = pick(doc, schema, branch);
        optional_paths(doc, chosen, branch, at, out, seen);
        return;
    }
    if let Some(items) = schema.get("items") {
        optional_paths(doc, items, branch, &format!("{at}[]"), out, seen);
    }
    let needed = crate::schema::required_set(schema);
    for (name, property) in properties(schema) {
        let path = format!("{at}.{name}");
        if !needed.contains(name) {
            out.push(path.clone());
        }
        optional_paths(doc, property, branch, &path, out, seen);
    }
}

/// Removes the property at `path` (`.a.b`, `.list[].c`) from `value`.
fn remove_at(value: &mut Value, path: &str) {
    let path = path.strip_prefix('.').unwrap_or(path);
    let (head, rest) = match path.find(['.', '[']) {
        Some(i) => (&path[..i], &path[i..]),
        None => (path, ""),
    };
    let Value::Object(map) = value else {
        return;
    };
    if rest.is_empty() {
        map.remove(head);
        return;
    }
    let Some(child) = map.get_mut(head) else {
        return;
    };
    if let Some(after) = rest.strip_prefix("[]") {
        if let Value::Array(items) = child {
            for item in items {
                remove_at(item, after);
            }
        }
    } else {
        remove_at(child, rest);
    }
}

/// Leaves every optional property out, at every depth.
fn strip_optional(
    doc: &Value,
    schema: &Value,
    value: &mut Value,
    branch: usize,
    seen: &mut Vec<String>,
) {
    if let Some(name) = ref_name(schema) {
        if seen.iter().any(|s| s == name) {
            return;
        }
        seen.push(name.to_owned());
        strip_optional(doc, resolve(doc, schema), value, branch, seen);
        seen.pop();
        return;
    }
    if union(schema).is_some() {
        let (chosen, _) = pick(doc, schema, branch);
        strip_optional(doc, chosen, value, branch, seen);
        return;
    }
    match value {
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for item in items {
                    strip_optional(doc, item_schema, item, branch, seen);
                }
            }
        }
        Value::Object(map) => {
            let needed = crate::schema::required_set(schema);
            map.retain(|k, _| needed.contains(k));
            for (name, property) in properties(schema) {
                if let Some(child) = map.get_mut(name) {
                    strip_optional(doc, property, child, branch, seen);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_lists_unions_and_the_bare_instance() {
        let doc = json!({"components": {"schemas": {
            "Page": {"type": "object", "properties": {
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
            }},
            "Item": {"oneOf": [
                {"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}],
                "discriminator": {"propertyName": "kind", "mapping": {
                    "A": "#/components/schemas/A", "B": "#/components/schemas/B"}}},
            "A": {"type": "object", "required": ["a"], "properties": {
                "kind": {"type": "string"}, "a": {"type": "string", "format": "date-time"}}},
            "B": {"type": "object", "properties": {"kind": {"type": "string"}, "b": {"type": "boolean"}}},
        }}});
        let samples = sparse_samples(&doc, &json!({"$ref": "#/components/schemas/Page"}));
        let find = |removed: &str, n: usize| {
            samples
                .iter()
                .filter(|s| s.removed == removed)
                .nth(n)
                .unwrap_or_else(|| panic!("no sample {removed:?} #{n} in {samples:#?}"))
                .value
                .clone()
        };
        assert_eq!(
            find("", 0),
            json!({"items": [{"kind": "A", "a": "2025-03-04T09:30:00Z"}]})
        );
        assert_eq!(find("", 1), json!({"items": [{"kind": "B", "b": true}]}));
        assert_eq!(
            find(".items[].kind", 0),
            json!({"items": [{"a": "2025-03-04T09:30:00Z"}]})
        );
        assert_eq!(find(".items[].b", 0), json!({"items": [{"kind": "B"}]}));
        assert_eq!(find("*", 0), json!({}));
        assert!(samples.iter().all(|s| s.removed != ".items[].a"));
    }
}
