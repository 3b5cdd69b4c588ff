//! Deriving the checked-in OpenAPI 3.0.3 document from an upstream 3.1 (or
//! 3.0) document.
//!
//! The conversion is deliberately small and explicit: every rewrite below is
//! either a 3.1 → 3.0 translation with the same meaning, or an adaptation for
//! progenitor that is explained where it happens. Nothing in `openapi/` is
//! ever edited by hand.
//!
//! The document-level steps live here; what they do to one schema (the
//! 3.1 → 3.0 rewrite, pinning a discriminator tag, merging success bodies)
//! is in [`crate::schema`], which `spec drift` reads documents through too.

use std::collections::{BTreeSet, VecDeque};

use serde_json::{Map, Value, json};

use crate::error::SpecError;
use crate::schema::{convert_schema, deref, escape_pointer, invalid, merged_success_body, pin_tag};
use crate::scope::{DEFAULT_PATH_PREFIXES, HTTP_METHODS};

/// The value written to the top-level `x-derived-by` key of the output.
pub const DERIVED_NOTE: &str = "Derived from the upstream Arize OpenAPI document by `arize-ax spec sync`. Do not edit by hand: re-run the sync instead.";

/// Options for [`to_openapi_30`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ConvertOptions {
    /// Operations whose path equals one of these prefixes or continues it with
    /// `/` are kept; all others are dropped.
    pub path_prefixes: Vec<String>,
}

impl Default for ConvertOptions {
    fn default() -> Self {
        Self {
            path_prefixes: DEFAULT_PATH_PREFIXES
                .iter()
                .map(|p| (*p).to_owned())
                .collect(),
        }
    }
}

/// Produces the OpenAPI 3.0.3 rendering of `upstream` that the generated
/// client is built from.
///
/// Accepts OpenAPI 3.0.x and 3.1.x. The result keeps only the operations under
/// [`ConvertOptions::path_prefixes`] and the components they reach.
///
/// # Errors
///
/// [`SpecError::Invalid`] when the input is not an OpenAPI 3.0/3.1 object, or
/// uses a 3.1 construct that 3.0.3 cannot express (such as a schema whose
/// `type` lists two non-null types), naming the place in the document.
///
/// # Examples
///
/// ```
/// use arize_ax_spec::{ConvertOptions, parse, to_openapi_30};
///
/// let upstream = parse(r#"
/// openapi: 3.1.1
/// info: {title: t, version: '1', summary: dropped in 3.0}
/// paths: {}
/// components:
///   schemas:
///     Name: {type: [string, "null"], examples: [acme]}
/// "#, "inline").unwrap();
/// let out = to_openapi_30(&upstream, &ConvertOptions::default()).unwrap();
/// assert_eq!(out["openapi"], "3.0.3");
/// // Unreferenced components are pruned.
/// assert!(out["components"].get("schemas").is_none());
/// ```
pub fn to_openapi_30(upstream: &Value, options: &ConvertOptions) -> Result<Value, SpecError> {
    let root = upstream
        .as_object()
        .ok_or_else(|| invalid("", "the document is not a JSON/YAML object"))?;
    let version = root
        .get("openapi")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("/openapi", "missing the `openapi` version string"))?;
    if !(version.starts_with("3.0.") || version.starts_with("3.1.")) {
        return Err(invalid(
            "/openapi",
            &format!("version {version} is not supported (expected 3.0.x or 3.1.x)"),
        ));
    }

    let mut out = Map::new();
    for (key, value) in root {
        match key.as_str() {
            "openapi" => {
                out.insert(key.clone(), json!("3.0.3"));
            }
            // 3.1-only top-level members with no 3.0 counterpart; the client
            // has no use for them.
            "webhooks" | "jsonSchemaDialect" => {}
            "info" => {
                out.insert(key.clone(), convert_info(value));
            }
            "paths" => {
                out.insert(key.clone(), filter_paths(value, options)?);
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    out.insert("x-derived-by".to_owned(), json!(DERIVED_NOTE));
    if !out.contains_key("paths") {
        return Err(invalid("/paths", "the document has no `paths`"));
    }

    let mut doc = Value::Object(out);
    if let Some(components) = doc.get_mut("components").and_then(Value::as_object_mut) {
        // 3.1 allows reusable path items in components; 3.0 does not.
        components.remove("pathItems");
    }
    convert_schemas_everywhere(&mut doc, "")?;
    fix_discriminator_tags(&mut doc)?;
    merge_success_bodies(&mut doc)?;
    add_json_alias_for_problem_bodies(&mut doc);
    prune_unreferenced_components(&mut doc);
    prune_unused_tags(&mut doc);
    Ok(doc)
}

/// Renders a document as the checked-in file: pretty JSON with two-space
/// indentation, keys in document order, and a trailing newline.
pub fn render(doc: &Value) -> String {
    let mut text = serde_json::to_string_pretty(doc).expect("a JSON value always serialises");
    text.push('\n');
    text
}

fn convert_info(info: &Value) -> Value {
    let mut info = info.clone();
    if let Some(map) = info.as_object_mut() {
        // `info.summary` and `license.identifier` are 3.1 additions.
        map.remove("summary");
        if let Some(license) = map.get_mut("license").and_then(Value::as_object_mut) {
            license.remove("identifier");
        }
    }
    info
}

fn path_is_kept(path: &str, options: &ConvertOptions) -> bool {
    options.path_prefixes.iter().any(|prefix| {
        path == prefix
            || path
                .strip_prefix(prefix.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

fn filter_paths(paths: &Value, options: &ConvertOptions) -> Result<Value, SpecError> {
    let paths = paths
        .as_object()
        .ok_or_else(|| invalid("/paths", "`paths` is not an object"))?;
    let mut kept = Map::new();
    for (path, item) in paths {
        if !path_is_kept(path, options) {
            continue;
        }
        let item_map = item.as_object().ok_or_else(|| {
            invalid(
                &format!("/paths/{}", escape_pointer(path)),
                "path item is not an object",
            )
        })?;
        if item_map.contains_key("$ref") {
            return Err(invalid(
                &format!("/paths/{}", escape_pointer(path)),
                "path items given by `$ref` are not supported; inline them upstream",
            ));
        }
        let has_operation = item_map.keys().any(|k| HTTP_METHODS.contains(&k.as_str()));
        if has_operation {
            kept.insert(path.clone(), item.clone());
        }
    }
    Ok(Value::Object(kept))
}

/// Walks the document and converts every schema found under a `schema` key
/// (parameters, media types, headers) and every entry of
/// `components.schemas`.
fn convert_schemas_everywhere(node: &mut Value, pointer: &str) -> Result<(), SpecError> {
    match node {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let child_pointer = format!("{pointer}/{}", escape_pointer(key));
                if key == "schema" && child.is_object() {
                    convert_schema(child, &child_pointer)?;
                } else if key == "schemas" && pointer == "/components" {
                    if let Some(schemas) = child.as_object_mut() {
                        for (name, schema) in schemas.iter_mut() {
                            convert_schema(
                                schema,
                                &format!("{child_pointer}/{}", escape_pointer(name)),
                            )?;
                        }
                    }
                } else {
                    convert_schemas_everywhere(child, &child_pointer)?;
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                convert_schemas_everywhere(child, &format!("{pointer}/{i}"))?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// A discriminated union (`oneOf` with a `discriminator` and a `mapping`)
/// says which tag value each branch carries; JSON Schema validators and
/// generators read only the branches. Where a branch types its tag as a
/// shared enum (`type: {$ref: …AssignmentType}`, both values), a validator
/// finds a body valid under both branches (`oneOf` fails) and a generator
/// cannot tell them apart. This writes the mapping into each branch: its tag
/// property becomes the one value (`{type: string, enum: [TAG]}`, what a 3.1
/// `const` converts to), keeping its description and whether it is
/// required. The meaning is the document's own.
fn fix_discriminator_tags(doc: &mut Value) -> Result<(), SpecError> {
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Ok(());
    };
    let mut fixes: Vec<(String, String, String)> = Vec::new();
    for (name, schema) in schemas {
        let Some(discriminator) = schema.get("discriminator") else {
            continue;
        };
        let (Some(property), Some(mapping)) = (
            discriminator.get("propertyName").and_then(Value::as_str),
            discriminator.get("mapping").and_then(Value::as_object),
        ) else {
            continue;
        };
        for (tag, target) in mapping {
            let branch = target
                .as_str()
                .and_then(|t| t.strip_prefix("#/components/schemas/"))
                .ok_or_else(|| {
                    invalid(
                        &format!(
                            "/components/schemas/{}/discriminator/mapping",
                            escape_pointer(name)
                        ),
                        "a mapping value is not a reference to a component schema",
                    )
                })?;
            if let Some((_, _, other)) = fixes
                .iter()
                .find(|(b, p, t)| b == branch && p == property && t != tag)
            {
                return Err(invalid(
                    &format!("/components/schemas/{}", escape_pointer(branch)),
                    &format!("the branch is mapped to two tags, {other} and {tag}"),
                ));
            }
            fixes.push((branch.to_owned(), property.to_owned(), tag.clone()));
        }
    }
    for (branch, property, tag) in fixes {
        let pointer = format!(
            "/components/schemas/{}/properties/{}",
            escape_pointer(&branch),
            escape_pointer(&property)
        );
        if let Some(Value::Object(schema)) = doc.pointer_mut(&pointer) {
            pin_tag(schema, &tag);
        }
    }
    Ok(())
}

/// Adaptation for progenitor: it supports one success type per operation
/// (`extract_responses` asserts it). Arize's `create_user` answers 200 with a
/// `User` (the invitation already existed) or 201 with a
/// `CreateUserResponse`. For every operation whose 2xx responses carry more
/// than one JSON schema, this adds one schema that covers them all,
/// `<OperationId>Success` (`CreateUserSuccess`): every property of every
/// body, required only where every body requires it. Each 2xx response of
/// the operation is inlined with that schema, so its description, headers
/// and other media types stay; the HTTP status (kept by the generated
/// `ResponseValue`) tells the bodies apart.
///
/// The bodies must be objects that agree on the schema of each property they
/// share (compared as `spec drift` compares schemas: references resolved,
/// wording and dialect aside); anything else has no honest merge and is an
/// error naming the operation. The merge itself is
/// [`merged_success_body`], which `spec drift` shares.
fn merge_success_bodies(doc: &mut Value) -> Result<(), SpecError> {
    let mut merges: Vec<(String, String, Vec<String>, Value)> = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Ok(());
    };
    for (path, item) in paths {
        for (method, op) in item.as_object().into_iter().flatten() {
            if !HTTP_METHODS.contains(&method.as_str()) {
                continue;
            }
            let id = op
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let pointer = format!("/paths/{}/{method}", escape_pointer(path));
            let Some((statuses, merged)) = merged_success_body(doc, op, &pointer)? else {
                continue;
            };
            merges.push((pointer, pascal_case(id) + "Success", statuses, merged));
        }
    }
    for (pointer, name, statuses, merged) in merges {
        let schemas = doc
            .pointer_mut("/components")
            .and_then(Value::as_object_mut)
            .map(|c| c.entry("schemas").or_insert_with(|| json!({})))
            .and_then(Value::as_object_mut)
            .ok_or_else(|| invalid("/components", "`components` is not an object"))?;
        if schemas.contains_key(&name) {
            return Err(invalid(
                &format!("/components/schemas/{name}"),
                "the name for the merged success body is taken",
            ));
        }
        schemas.insert(name.clone(), merged);
        for status in statuses {
            let at = format!("{pointer}/responses/{status}");
            let mut response = deref(doc, &doc.pointer(&at).cloned().unwrap_or_default()).clone();
            response["content"]["application/json"]["schema"] =
                json!({ "$ref": format!("#/components/schemas/{name}") });
            if let Some(slot) = doc.pointer_mut(&at) {
                *slot = response;
            }
        }
    }
    Ok(())
}

/// `create_user` → `CreateUser`.
fn pascal_case(id: &str) -> String {
    id.split(['_', '-'])
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
        .collect()
}

/// Adaptation for progenitor: it generates typed responses only for the
/// `application/json` media type and hands back raw bytes for any other. Error
/// responses are `application/problem+json` (RFC 9457). To give the
/// generated client a typed `Problem` for every declared error status, each
/// response that offers `application/problem+json` but not `application/json`
/// also gets an `application/json` entry with the same schema.
///
/// The problem+json entry stays first and unchanged, so the document still
/// tells the truth about what servers send (and conformance checks that look at
/// the content type still pass); the facade parses the body as problem details
/// whatever the content type says.
fn add_json_alias_for_problem_bodies(doc: &mut Value) {
    fn visit_response(response: &mut Value) {
        let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) else {
            return;
        };
        if content.contains_key("application/json") {
            return;
        }
        if let Some(problem) = content.get("application/problem+json").cloned() {
            content.insert("application/json".to_owned(), problem);
        }
    }
    if let Some(responses) = doc
        .pointer_mut("/components/responses")
        .and_then(Value::as_object_mut)
    {
        responses.values_mut().for_each(visit_response);
    }
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for (method, op) in item.iter_mut() {
                if !HTTP_METHODS.contains(&method.as_str()) {
                    continue;
                }
                if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
                    responses
                        .values_mut()
                        .filter(|r| r.get("$ref").is_none())
                        .for_each(visit_response);
                }
            }
        }
    }
}

/// Collects every local `$ref` target (`#/components/<kind>/<name>`) below a
/// node.
fn collect_refs(node: &Value, out: &mut Vec<(String, String)>) {
    match node {
        Value::Object(map) => {
            for (key, child) in map {
                if key == "$ref" {
                    if let Some(target) =
                        child.as_str().and_then(|r| r.strip_prefix("#/components/"))
                        && let Some((kind, name)) = target.split_once('/')
                    {
                        out.push((kind.to_owned(), name.replace("~1", "/").replace("~0", "~")));
                    }
                } else {
                    collect_refs(child, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|c| collect_refs(c, out)),
        _ => {}
    }
}

fn prune_unreferenced_components(doc: &mut Value) {
    let mut reachable: BTreeSet<(String, String)> = BTreeSet::new();
    let mut queue: VecDeque<(String, String)> = VecDeque::new();
    let mut found = Vec::new();
    if let Some(paths) = doc.get("paths") {
        collect_refs(paths, &mut found);
    }
    queue.extend(found.drain(..));
    while let Some(target) = queue.pop_front() {
        if !reachable.insert(target.clone()) {
            continue;
        }
        if let Some(node) = doc
            .get("components")
            .and_then(|c| c.get(&target.0))
            .and_then(|k| k.get(&target.1))
        {
            collect_refs(node, &mut found);
            queue.extend(found.drain(..));
        }
    }
    let Some(components) = doc.get_mut("components").and_then(Value::as_object_mut) else {
        return;
    };
    for (kind, entries) in components.iter_mut() {
        // Security schemes are referenced by name from `security`, not by
        // `$ref`; keep them.
        if kind == "securitySchemes" {
            continue;
        }
        if let Some(entries) = entries.as_object_mut() {
            entries.retain(|name, _| reachable.contains(&(kind.clone(), name.clone())));
        }
    }
    components.retain(|kind, entries| {
        kind == "securitySchemes" || entries.as_object().is_none_or(|e| !e.is_empty())
    });
}

fn prune_unused_tags(doc: &mut Value) {
    let mut used = BTreeSet::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for item in paths.values().filter_map(Value::as_object) {
            for (method, op) in item {
                if !HTTP_METHODS.contains(&method.as_str()) {
                    continue;
                }
                for tag in op
                    .get("tags")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if let Some(tag) = tag.as_str() {
                        used.insert(tag.to_owned());
                    }
                }
            }
        }
    }
    if let Some(tags) = doc.get_mut("tags").and_then(Value::as_array_mut) {
        tags.retain(|t| {
            t.get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| used.contains(n))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny_doc() -> Value {
        json!({
            "openapi": "3.1.1",
            "info": {"title": "t", "version": "1", "summary": "s",
                      "license": {"name": "x", "identifier": "MIT"}},
            "webhooks": {},
            "tags": [{"name": "Kept"}, {"name": "Gone"}],
            "paths": {
                "/v2/organizations": {"get": {"operationId": "a", "tags": ["Kept"], "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}},
                    "400": {"$ref": "#/components/responses/Bad"}
                }}},
                "/v2/organizationsX": {"get": {"operationId": "b", "tags": ["Gone"], "responses": {}}},
                "/v2/projects": {"get": {"operationId": "c", "tags": ["Gone"], "responses": {}}}
            },
            "components": {
                "schemas": {
                    "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
                    "B": {"type": ["string", "null"]},
                    "Unused": {"type": "string"},
                    "P": {"type": "object"}
                },
                "responses": {
                    "Bad": {"description": "bad", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/P"}}}},
                    "UnusedResponse": {"description": "x"}
                },
                "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}
            }
        })
    }

    #[test]
    fn document_level_conversion() {
        let out = to_openapi_30(&tiny_doc(), &ConvertOptions::default()).unwrap();
        assert_eq!(out["openapi"], "3.0.3");
        assert!(out.get("webhooks").is_none());
        assert!(out["info"].get("summary").is_none());
        assert!(out["info"]["license"].get("identifier").is_none());
        let paths: Vec<&String> = out["paths"].as_object().unwrap().keys().collect();
        assert_eq!(paths, ["/v2/organizations"]);
        let schemas: Vec<&String> = out["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(schemas, ["A", "B", "P"]);
        assert_eq!(out["components"]["schemas"]["B"]["nullable"], true);
        assert!(
            out["components"]["responses"]
                .get("UnusedResponse")
                .is_none()
        );
        let content = out["components"]["responses"]["Bad"]["content"]
            .as_object()
            .unwrap();
        let media: Vec<&String> = content.keys().collect();
        assert_eq!(media, ["application/problem+json", "application/json"]);
        assert_eq!(out["tags"], json!([{"name": "Kept"}]));
        assert!(out["components"]["securitySchemes"]["bearerAuth"].is_object());
        assert_eq!(out["x-derived-by"], DERIVED_NOTE);
    }

    fn two_success_bodies(second: Value) -> Value {
        json!({
            "openapi": "3.1.1",
            "info": {"title": "t", "version": "1"},
            "paths": {"/v2/users": {"post": {"operationId": "create_user", "responses": {
                "200": {"$ref": "#/components/responses/User"},
                "201": {"description": "made", "headers": {"X-Id": {"schema": {"type": "string"}}},
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Created"}}}}
            }}}},
            "components": {
                "schemas": {
                    "User": {"type": "object", "required": ["id", "name"], "properties": {
                        "id": {"type": "string"}, "name": {"type": "string", "description": "one wording"}}},
                    "Created": second
                },
                "responses": {"User": {"description": "found", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}}}
            }
        })
    }

    #[test]
    fn several_success_bodies_become_one_schema() {
        let doc = two_success_bodies(
            json!({"type": "object", "required": ["id", "name", "mode"], "properties": {
            "id": {"type": "string"}, "name": {"type": "string", "description": "another wording"},
            "mode": {"type": "string"}, "secret": {"type": "string", "format": "password"}}}),
        );
        let out = to_openapi_30(&doc, &ConvertOptions::default()).unwrap();
        let responses = &out["paths"]["/v2/users"]["post"]["responses"];
        for status in ["200", "201"] {
            assert_eq!(
                responses[status]["content"]["application/json"]["schema"],
                json!({"$ref": "#/components/schemas/CreateUserSuccess"}),
                "{status}"
            );
        }
        // Each response keeps what it said besides its schema.
        assert_eq!(responses["200"]["description"], "found");
        assert!(responses["201"]["headers"]["X-Id"].is_object());
        let merged = &out["components"]["schemas"]["CreateUserSuccess"];
        assert_eq!(merged["required"], json!(["id", "name"]));
        let names: Vec<&String> = merged["properties"].as_object().unwrap().keys().collect();
        assert_eq!(names, ["id", "name", "mode", "secret"]);
        // The component only one response used is pruned; `User` stays for others.
        assert!(out["components"]["schemas"].get("Created").is_none());
        // Running the conversion again changes nothing.
        let again = to_openapi_30(&out, &ConvertOptions::default()).unwrap();
        assert_eq!(render(&out), render(&again));
    }

    #[test]
    fn success_bodies_that_disagree_are_an_error() {
        for second in [
            json!({"type": "object", "properties": {"id": {"type": "integer"}}}),
            json!({"type": "array", "items": {"type": "string"}}),
        ] {
            let err = to_openapi_30(
                &two_success_bodies(second.clone()),
                &ConvertOptions::default(),
            )
            .unwrap_err();
            assert!(err.to_string().contains("create_user"), "{second}: {err}");
        }
    }

    #[test]
    fn conversion_is_idempotent() {
        let once = to_openapi_30(&tiny_doc(), &ConvertOptions::default()).unwrap();
        let twice = to_openapi_30(&once, &ConvertOptions::default()).unwrap();
        assert_eq!(render(&once), render(&twice));
    }

    #[test]
    fn rejects_what_is_not_openapi_3() {
        for doc in [
            json!([]),
            json!({"swagger": "2.0"}),
            json!({"openapi": "2.0", "paths": {}}),
            json!({"openapi": "3.1.0"}),
        ] {
            assert!(
                to_openapi_30(&doc, &ConvertOptions::default()).is_err(),
                "{doc}"
            );
        }
    }
}
