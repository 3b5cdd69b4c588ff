//! Deriving the checked-in OpenAPI 3.0.3 document from an upstream 3.1 (or
//! 3.0) document.
//!
//! The conversion is deliberately small and explicit: every rewrite below is
//! either a 3.1 → 3.0 translation with the same meaning, or an adaptation for
//! progenitor that is explained where it happens. Nothing in `openapi/` is
//! ever edited by hand.

use std::collections::{BTreeSet, VecDeque};

use serde_json::{Map, Value, json};

use crate::SpecError;

/// Path prefixes of the operations this SDK wraps. Every upstream operation
/// under one of them is kept, so a new endpoint published there reaches the
/// checked-in spec (and the facade's coverage test) on the next sync.
pub const DEFAULT_PATH_PREFIXES: &[&str] = &[
    "/v2/organizations",
    "/v2/users",
    "/v2/spaces",
    "/v2/roles",
    "/v2/role-bindings",
    "/v2/api-keys",
    "/v2/audit-logs",
    "/v2/resource-restrictions",
];

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

const HTTP_METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

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

fn invalid(pointer: &str, reason: &str) -> SpecError {
    SpecError::Invalid {
        pointer: if pointer.is_empty() {
            "/".to_owned()
        } else {
            pointer.to_owned()
        },
        reason: reason.to_owned(),
    }
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

fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
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

    // `type: [T, "null"]` → `type: T` + `nullable: true`.
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

    // Recurse into sub-schemas.
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

/// Makes a tag property's schema the one value `tag`
/// (`{type: string, enum: [tag]}`); its other keywords (description,
/// readOnly, nullable…) stay. Shared with `spec drift`, which reads both
/// documents the same way.
pub(crate) fn pin_tag(schema: &mut Map<String, Value>, tag: &str) {
    for key in ["$ref", "const", "allOf", "oneOf", "anyOf"] {
        schema.remove(key);
    }
    schema.insert("type".into(), json!("string"));
    schema.insert("enum".into(), json!([tag]));
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
/// error naming the operation.
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

/// Follows a local `$ref` (one level, as components/responses use them).
fn deref<'a>(doc: &'a Value, node: &'a Value) -> &'a Value {
    node.get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|p| doc.pointer(p))
        .unwrap_or(node)
}

/// The statuses and merged schema of an operation whose 2xx responses carry
/// more than one JSON schema (see [`merge_success_bodies`]); `None` when they
/// carry at most one. `spec drift` reads upstream operations through this
/// too, so the merge is never reported as a difference.
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
                Some(existing)
                    if crate::drift::schema(existing, doc)
                        != crate::drift::schema(property, doc) =>
                {
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
