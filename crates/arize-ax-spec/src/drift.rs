//! Drift between an upstream spec and ours, classified by what it does to
//! this SDK's generated client and facade.
//!
//! Both documents are normalised first, so differences that mean the same
//! thing are not reported: OpenAPI 3.1 vs 3.0 spellings (`type: [T, "null"]`
//! vs `nullable`, `examples` vs `example`, `const` vs a one-value `enum`),
//! `$ref` vs the same schema inline, key order, YAML vs JSON, and wording
//! (descriptions, summaries, titles, examples, tags, extensions).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::SpecError;
use crate::convert::{DEFAULT_PATH_PREFIXES, convert_schema, merged_success_body};

/// How much a difference matters to this SDK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Kind {
    /// The generated client or the facade would fail or misbehave.
    Breaking,
    /// New capability or looser rules; nothing the SDK does stops working.
    Additive,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Kind::Breaking => "breaking",
            Kind::Additive => "additive",
        })
    }
}

/// One difference.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[non_exhaustive]
pub struct Change {
    /// Breaking or additive.
    pub kind: Kind,
    /// Where: the operation id, then the parameter, body or response and a
    /// schema path (`create_organization request body .name`).
    pub location: String,
    /// What changed and why it matters, in one line.
    pub change: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:<9} {}: {}", self.kind, self.location, self.change)
    }
}

/// The result of a comparison.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
#[non_exhaustive]
pub struct Report {
    /// Every difference, breaking first.
    pub changes: Vec<Change>,
}

impl Report {
    /// Whether any change is breaking.
    pub fn has_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.kind == Kind::Breaking)
    }

    /// Whether anything changed at all.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The exit code for the drift command: 1 when something is breaking (or,
    /// with `strict`, anything changed), else 0.
    pub fn exit_code(&self, strict: bool) -> u8 {
        if self.has_breaking() || (strict && !self.is_empty()) {
            1
        } else {
            0
        }
    }

    /// Human-readable text, one change per line and a summary.
    pub fn to_text(&self) -> String {
        if self.changes.is_empty() {
            return "no drift: upstream means the same as the checked-in spec for every operation the SDK uses\n"
                .into();
        }
        let mut text = String::new();
        for change in &self.changes {
            text.push_str(&change.to_string());
            text.push('\n');
        }
        let breaking = self
            .changes
            .iter()
            .filter(|c| c.kind == Kind::Breaking)
            .count();
        text.push_str(&format!(
            "{breaking} breaking, {} additive\n",
            self.changes.len() - breaking
        ));
        text
    }
}

/// Compares `upstream` with `ours` for the operations in `ours`.
///
/// # Errors
///
/// [`SpecError::Invalid`] when either document is not an OpenAPI 3.0/3.1
/// object with `paths`, or an operation has no `operationId`.
///
/// # Examples
///
/// ```
/// use arize_ax_spec::{drift, parse};
///
/// let ours = parse(r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
///   "/things": {"get": {"operationId": "list_things", "responses": {"200": {"description": "ok"}}}}}}"#, "ours")?;
/// let upstream = parse("openapi: 3.1.1\ninfo: {title: t, version: '2'}\npaths: {}\n", "upstream")?;
/// let report = drift::compare(&ours, &upstream)?;
/// assert!(report.has_breaking()); // list_things was removed
/// # Ok::<(), arize_ax_spec::SpecError>(())
/// ```
pub fn compare(ours: &Value, upstream: &Value) -> Result<Report, SpecError> {
    let ours = Normalized::new(ours, "ours")?;
    let upstream = Normalized::new(upstream, "upstream")?;
    let mut changes = Vec::new();
    for (id, op) in &ours.ops {
        match upstream.ops.get(id) {
            None => changes.push(Change {
                kind: Kind::Breaking,
                location: id.clone(),
                change: "operation removed upstream: the generated method would call an endpoint that no longer exists".into(),
            }),
            Some(theirs) => compare_operation(id, op, theirs, &mut changes),
        }
    }
    // New operations on the paths this SDK covers.
    for (id, op) in &upstream.ops {
        if !ours.ops.contains_key(id) && ours.covers_path(&op.path) {
            changes.push(Change {
                kind: Kind::Additive,
                location: id.clone(),
                change: format!(
                    "new operation {} {}: run `spec sync` to generate it",
                    op.method.to_uppercase(),
                    op.path
                ),
            });
        }
    }
    changes.sort();
    changes.dedup();
    Ok(Report { changes })
}

#[derive(Debug)]
struct Operation {
    method: String,
    path: String,
    params: BTreeMap<(String, String), Param>,
    body: Option<Body>,
    responses: BTreeMap<String, Response>,
    /// Why its success bodies cannot be merged into one type, when they
    /// cannot (`spec sync` refuses such a document).
    unmergeable: Option<String>,
}

#[derive(Debug)]
struct Param {
    required: bool,
    schema: Value,
}

#[derive(Debug)]
struct Body {
    required: bool,
    schema: Option<Value>,
}

#[derive(Debug)]
struct Response {
    json: bool,
    schema: Option<Value>,
}

struct Normalized {
    ops: BTreeMap<String, Operation>,
    /// First path segments (e.g. `/v2/organizations`) of every operation.
    prefixes: BTreeSet<String>,
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl Normalized {
    fn new(doc: &Value, which: &str) -> Result<Self, SpecError> {
        let invalid = |pointer: &str, reason: String| SpecError::Invalid {
            pointer: format!("{which}#{pointer}"),
            reason,
        };
        let version = doc.get("openapi").and_then(Value::as_str).unwrap_or("");
        if !(version.starts_with("3.0.") || version.starts_with("3.1.")) {
            return Err(invalid(
                "/openapi",
                format!("not an OpenAPI 3.0/3.1 document (openapi: {version:?})"),
            ));
        }
        let paths = doc
            .get("paths")
            .and_then(Value::as_object)
            .ok_or_else(|| invalid("/paths", "missing `paths`".into()))?;
        let mut ops = BTreeMap::new();
        let mut prefixes = BTreeSet::new();
        for (path, item) in paths {
            let item = resolve(item, doc);
            let Some(item) = item.as_object() else {
                continue;
            };
            let shared_params = item.get("parameters").cloned().unwrap_or(Value::Null);
            for (method, op) in item {
                if !METHODS.contains(&method.as_str()) {
                    continue;
                }
                let id = op
                    .get("operationId")
                    .and_then(Value::as_str)
                    .ok_or_else(|| {
                        invalid(
                            &format!("/paths/{path}/{method}"),
                            "operation without operationId".into(),
                        )
                    })?
                    .to_owned();
                let operation = Operation::new(method, path, op, &shared_params, doc);
                prefixes.insert(prefix(path));
                ops.insert(id, operation);
            }
        }
        Ok(Normalized { ops, prefixes })
    }

    /// Whether `path` is in this SDK's scope: under a prefix of one of our
    /// operations, or one `spec sync` keeps ([`DEFAULT_PATH_PREFIXES`]), so
    /// an operation the next sync brings in is reported before it arrives.
    fn covers_path(&self, path: &str) -> bool {
        let first = prefix(path);
        self.prefixes.contains(&first) || DEFAULT_PATH_PREFIXES.contains(&first.as_str())
    }
}

/// `/v2/organizations/{org_id}/users` → `/v2/organizations`.
fn prefix(path: &str) -> String {
    path.split('/').take(3).collect::<Vec<_>>().join("/")
}

impl Operation {
    fn new(method: &str, path: &str, op: &Value, shared_params: &Value, doc: &Value) -> Self {
        let mut params = BTreeMap::new();
        for list in [shared_params, op.get("parameters").unwrap_or(&Value::Null)] {
            for param in list.as_array().into_iter().flatten() {
                let param = resolve(param, doc);
                let (Some(name), Some(location)) = (
                    param.get("name").and_then(Value::as_str),
                    param.get("in").and_then(Value::as_str),
                ) else {
                    continue;
                };
                params.insert(
                    (location.to_owned(), name.to_owned()),
                    Param {
                        required: param
                            .get("required")
                            .and_then(Value::as_bool)
                            .unwrap_or(location == "path"),
                        schema: param
                            .get("schema")
                            .map(|s| schema(s, doc))
                            .unwrap_or(Value::Null),
                    },
                );
            }
        }
        let body = op.get("requestBody").map(|b| {
            let b = resolve(b, doc);
            Body {
                required: b.get("required").and_then(Value::as_bool).unwrap_or(false),
                schema: media_schema(b.get("content"), doc),
            }
        });
        let mut responses = BTreeMap::new();
        for (status, response) in op
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let response = resolve(response, doc);
            let content = response.get("content");
            responses.insert(
                status.clone(),
                Response {
                    json: content.and_then(|c| c.get("application/json")).is_some(),
                    schema: media_schema(content, doc),
                },
            );
        }
        // Several success bodies compare as the one schema the sync merges
        // them into (progenitor takes one success type per operation), so
        // that rewrite is never reported as drift.
        let mut unmergeable = None;
        match merged_success_body(doc, op, path) {
            Ok(Some((statuses, merged))) => {
                let merged = schema(&merged, doc);
                for status in statuses {
                    if let Some(response) = responses.get_mut(&status) {
                        response.schema = Some(merged.clone());
                    }
                }
            }
            Ok(None) => {}
            Err(e) => unmergeable = Some(e.to_string()),
        }
        Operation {
            unmergeable,
            method: method.to_owned(),
            path: path.to_owned(),
            params,
            body,
            responses,
        }
    }
}

/// The schema of a content map: `application/json` first, then
/// `application/problem+json`, then whatever is there.
fn media_schema(content: Option<&Value>, doc: &Value) -> Option<Value> {
    let content = content?.as_object()?;
    let media = content
        .get("application/json")
        .or_else(|| content.get("application/problem+json"))
        .or_else(|| content.values().next())?;
    media.get("schema").map(|s| schema(s, doc))
}

/// Replaces local `$ref`s with their targets. A reference met again inside
/// its own expansion (a recursive schema: a tree's `left` and `right`, a
/// filter's `all`/`any` lists of itself) stays a `$ref` and is compared by
/// name, so every chain of references is expanded once and the work stays
/// proportional to the document, however often a schema refers to itself.
fn resolve(value: &Value, doc: &Value) -> Value {
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

/// A schema, resolved and normalised to one spelling.
pub(crate) fn schema(value: &Value, doc: &Value) -> Value {
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// Data the SDK sends.
    Request,
    /// Data the SDK decodes.
    Response,
}

fn compare_operation(id: &str, ours: &Operation, theirs: &Operation, out: &mut Vec<Change>) {
    let mut push = |kind, location: String, change: String| {
        out.push(Change {
            kind,
            location,
            change,
        })
    };
    if ours.method != theirs.method || ours.path != theirs.path {
        push(
            Kind::Breaking,
            id.to_owned(),
            format!(
                "moved from {} {} to {} {}: the generated client sends requests to the old place",
                ours.method.to_uppercase(),
                ours.path,
                theirs.method.to_uppercase(),
                theirs.path
            ),
        );
    }

    // Parameters.
    for (key, param) in &ours.params {
        let location = format!("{id} {} parameter `{}`", key.0, key.1);
        match theirs.params.get(key) {
            None => push(
                Kind::Breaking,
                location,
                "parameter removed upstream: the client still sends it".into(),
            ),
            Some(other) => {
                if other.required && !param.required {
                    push(
                        Kind::Breaking,
                        location.clone(),
                        "parameter became required: calls that leave it out will be rejected"
                            .into(),
                    );
                } else if !other.required && param.required {
                    push(
                        Kind::Additive,
                        location.clone(),
                        "parameter became optional".into(),
                    );
                }
                let mut sub = Vec::new();
                compare_schema(
                    &param.schema,
                    &other.schema,
                    Direction::Request,
                    "",
                    &mut sub,
                );
                for (kind, path, change) in sub {
                    push(kind, format!("{location}{path}"), change);
                }
            }
        }
    }
    for (key, param) in &theirs.params {
        if ours.params.contains_key(key) {
            continue;
        }
        let location = format!("{id} {} parameter `{}`", key.0, key.1);
        if param.required {
            push(
                Kind::Breaking,
                location,
                "new required parameter: the client does not send it".into(),
            );
        } else {
            push(Kind::Additive, location, "new optional parameter".into());
        }
    }

    // Request body.
    match (&ours.body, &theirs.body) {
        (Some(_), None) => push(
            Kind::Breaking,
            format!("{id} request body"),
            "request body removed upstream: the client still sends one".into(),
        ),
        (None, Some(body)) if body.required => push(
            Kind::Breaking,
            format!("{id} request body"),
            "new required request body: the client sends none".into(),
        ),
        (None, Some(_)) => push(
            Kind::Additive,
            format!("{id} request body"),
            "new optional request body".into(),
        ),
        (Some(a), Some(b)) => {
            if b.required && !a.required {
                push(
                    Kind::Breaking,
                    format!("{id} request body"),
                    "request body became required".into(),
                );
            }
            if let (Some(sa), Some(sb)) = (&a.schema, &b.schema) {
                let mut sub = Vec::new();
                compare_schema(sa, sb, Direction::Request, "", &mut sub);
                for (kind, path, change) in sub {
                    push(kind, format!("{id} request body{path}"), change);
                }
            }
        }
        (None, None) => {}
    }

    // Responses.
    let success = |op: &Operation| -> BTreeSet<String> {
        op.responses
            .keys()
            .filter(|s| s.starts_with('2'))
            .cloned()
            .collect()
    };
    let (our_success, their_success) = (success(ours), success(theirs));
    if our_success != their_success {
        push(
            Kind::Breaking,
            format!("{id} responses"),
            format!(
                "success status changed from {} to {}: the generated client treats the new status as unexpected",
                our_success.iter().cloned().collect::<Vec<_>>().join("/"),
                their_success.iter().cloned().collect::<Vec<_>>().join("/")
            ),
        );
    }
    if let Some(reason) = &theirs.unmergeable {
        push(
            Kind::Breaking,
            format!("{id} responses"),
            format!(
                "the success bodies no longer merge into one type, so `spec sync` fails: {reason}"
            ),
        );
    }
    for (status, ours_response) in &ours.responses {
        let Some(theirs_response) = theirs.responses.get(status) else {
            continue;
        };
        let location = format!("{id} response {status}");
        let is_success = status.starts_with('2');
        if is_success && ours_response.json && !theirs_response.json {
            push(
                Kind::Breaking,
                location.clone(),
                "the body is no longer application/json: the client cannot decode it".into(),
            );
        }
        match (&ours_response.schema, &theirs_response.schema) {
            (Some(a), Some(b)) => {
                let mut sub = Vec::new();
                compare_schema(a, b, Direction::Response, "", &mut sub);
                for (kind, path, change) in sub {
                    push(kind, format!("{location}{path}"), change);
                }
            }
            (Some(_), None) if is_success => push(
                Kind::Breaking,
                location,
                "the body was removed: the client expects one".into(),
            ),
            (None, Some(_)) if is_success => push(
                Kind::Breaking,
                location,
                "a body appeared where the client expects none".into(),
            ),
            _ => {}
        }
    }
    for status in theirs.responses.keys() {
        if !ours.responses.contains_key(status) && !status.starts_with('2') {
            push(
                Kind::Additive,
                format!("{id} response {status}"),
                "new error status: the client reports it as an unexpected response".into(),
            );
        }
    }
}

type Sub = Vec<(Kind, String, String)>;

fn get_str<'a>(schema: &'a Value, key: &str) -> Option<&'a str> {
    schema.get(key).and_then(Value::as_str)
}

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

fn compare_schema(ours: &Value, theirs: &Value, dir: Direction, path: &str, out: &mut Sub) {
    if ours == theirs {
        return;
    }
    let at = |p: &str| {
        if p.is_empty() || p.starts_with('[') {
            p.to_owned()
        } else {
            format!(" {p}")
        }
    };

    // Type and format.
    let (ta, tb) = (get_str(ours, "type"), get_str(theirs, "type"));
    if ta != tb {
        out.push((
            Kind::Breaking,
            at(path),
            format!(
                "type changed from {} to {}",
                ta.unwrap_or("(any)"),
                tb.unwrap_or("(any)")
            ),
        ));
        return;
    }
    let (fa, fb) = (get_str(ours, "format"), get_str(theirs, "format"));
    if fa != fb {
        out.push((
            Kind::Breaking,
            at(path),
            format!(
                "format changed from {} to {}: the generated type changes",
                fa.unwrap_or("(none)"),
                fb.unwrap_or("(none)")
            ),
        ));
    }

    // Nullability.
    let nullable = |s: &Value| s.get("nullable") == Some(&Value::Bool(true));
    match (nullable(ours), nullable(theirs), dir) {
        (false, true, Direction::Response) => out.push((
            Kind::Breaking,
            at(path),
            "may now be null: the generated type does not allow null".into(),
        )),
        (true, false, Direction::Request) => out.push((
            Kind::Breaking,
            at(path),
            "no longer accepts null: the client may send null".into(),
        )),
        (false, true, Direction::Request) => {
            out.push((Kind::Additive, at(path), "now accepts null".into()))
        }
        (true, false, Direction::Response) => {
            out.push((Kind::Additive, at(path), "is never null any more".into()))
        }
        _ => {}
    }

    // Enums.
    let values = |s: &Value| -> Option<BTreeSet<String>> {
        s.get("enum")
            .and_then(Value::as_array)
            .map(|v| v.iter().map(Value::to_string).collect())
    };
    if let (Some(ea), Some(eb)) = (values(ours), values(theirs)) {
        let added: Vec<&String> = eb.difference(&ea).collect();
        let removed: Vec<&String> = ea.difference(&eb).collect();
        let list = |v: &[&String]| v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
        if !added.is_empty() {
            let (kind, why) = match dir {
                Direction::Response => (
                    Kind::Breaking,
                    "the generated enum is closed and fails to decode it",
                ),
                Direction::Request => (Kind::Additive, "new accepted value"),
            };
            out.push((
                kind,
                at(path),
                format!("enum value {} added: {why}", list(&added)),
            ));
        }
        if !removed.is_empty() {
            let (kind, why) = match dir {
                Direction::Request => (Kind::Breaking, "the client may still send it"),
                Direction::Response => (Kind::Additive, "no longer returned"),
            };
            out.push((
                kind,
                at(path),
                format!("enum value {} removed: {why}", list(&removed)),
            ));
        }
    } else if values(ours).is_some() != values(theirs).is_some() {
        let restricted = values(theirs).is_some();
        let kind = match (restricted, dir) {
            (true, Direction::Request) | (false, Direction::Response) => Kind::Breaking,
            _ => Kind::Additive,
        };
        out.push((
            kind,
            at(path),
            if restricted {
                "now limited to an enum".into()
            } else {
                "no longer limited to an enum".into()
            },
        ));
    }

    // Constraints, which only bind what the SDK sends.
    if dir == Direction::Request {
        for (key, tighter_is_larger) in [
            ("minLength", true),
            ("minimum", true),
            ("minItems", true),
            ("minProperties", true),
            ("maxLength", false),
            ("maximum", false),
            ("maxItems", false),
            ("maxProperties", false),
        ] {
            let (a, b) = (
                ours.get(key).and_then(Value::as_f64),
                theirs.get(key).and_then(Value::as_f64),
            );
            if a == b {
                continue;
            }
            let tightened = match (a, b) {
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(a), Some(b)) => (b > a) == tighter_is_larger,
                (None, None) => unreachable!(),
            };
            let show = |v: Option<f64>| v.map_or("none".to_owned(), |v| v.to_string());
            out.push(if tightened {
                (
                    Kind::Breaking,
                    at(path),
                    format!(
                        "{key} tightened from {} to {}: input the SDK accepts would be rejected",
                        show(a),
                        show(b)
                    ),
                )
            } else {
                (
                    Kind::Additive,
                    at(path),
                    format!("{key} loosened from {} to {}", show(a), show(b)),
                )
            });
        }
        let (pa, pb) = (get_str(ours, "pattern"), get_str(theirs, "pattern"));
        if pa != pb {
            out.push(match (pa, pb) {
                (_, Some(p)) => (
                    Kind::Breaking,
                    at(path),
                    format!("pattern changed to {p:?}: input the SDK accepts may be rejected"),
                ),
                (Some(_), None) => (Kind::Additive, at(path), "pattern removed".into()),
                (None, None) => unreachable!(),
            });
        }
    }

    // Object properties.
    let props = |s: &Value| -> Map<String, Value> {
        s.get("properties")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    // A `readOnly` property is never sent and a `writeOnly` one never
    // received: in that direction it is no part of the contract, so adding,
    // removing or changing it does not count either way.
    let unseen = match dir {
        Direction::Request => "readOnly",
        Direction::Response => "writeOnly",
    };
    let visible = |mut m: Map<String, Value>| {
        m.retain(|_, s| s.get(unseen) != Some(&Value::Bool(true)));
        m
    };
    let (pa, pb) = (visible(props(ours)), visible(props(theirs)));
    let hidden = |s: &Value| -> BTreeSet<String> {
        props(s)
            .into_iter()
            .filter(|(_, p)| p.get(unseen) == Some(&Value::Bool(true)))
            .map(|(n, _)| n)
            .collect()
    };
    let hidden = &hidden(ours) | &hidden(theirs);
    let (ra, rb) = (
        &required_set(ours) - &hidden,
        &required_set(theirs) - &hidden,
    );
    for (name, sa) in &pa {
        let child = format!("{path}.{name}");
        match pb.get(name) {
            None => out.push((
                Kind::Breaking,
                at(&child),
                match dir {
                    Direction::Request => {
                        "field removed upstream: the client still sends it".into()
                    }
                    Direction::Response => {
                        "field removed upstream: the generated type expects it".into()
                    }
                },
            )),
            Some(sb) => {
                let (was, is) = (ra.contains(name), rb.contains(name));
                match (dir, was, is) {
                    (Direction::Request, false, true) => out.push((
                        Kind::Breaking,
                        at(&child),
                        "field became required: requests without it will be rejected".into(),
                    )),
                    (Direction::Request, true, false) => {
                        out.push((Kind::Additive, at(&child), "field became optional".into()))
                    }
                    (Direction::Response, true, false) => out.push((
                        Kind::Breaking,
                        at(&child),
                        "field became optional: the client requires it and fails when it is missing"
                            .into(),
                    )),
                    (Direction::Response, false, true) => {
                        out.push((Kind::Additive, at(&child), "field is now always present".into()))
                    }
                    _ => {}
                }
                compare_schema(sa, sb, dir, &child, out);
            }
        }
    }
    for name in pb.keys().filter(|n| !pa.contains_key(*n)) {
        let child = format!("{path}.{name}");
        let required = rb.contains(name);
        out.push(match (dir, required) {
            (Direction::Request, true) => (
                Kind::Breaking,
                at(&child),
                "new required field: the client does not send it".into(),
            ),
            (Direction::Request, false) => {
                (Kind::Additive, at(&child), "new optional field".into())
            }
            (Direction::Response, _) => (
                Kind::Additive,
                at(&child),
                "new response field (ignored by the SDK until it is synced)".into(),
            ),
        });
    }
    // A required name without a property schema (rare) still counts.
    if dir == Direction::Request {
        for name in rb.difference(&ra).filter(|n| !pb.contains_key(*n)) {
            out.push((
                Kind::Breaking,
                at(&format!("{path}.{name}")),
                "new required field: the client does not send it".into(),
            ));
        }
    }

    // Arrays.
    if let (Some(ia), Some(ib)) = (ours.get("items"), theirs.get("items")) {
        compare_schema(ia, ib, dir, &format!("{path}[]"), out);
    }

    // Alternatives, matched by their discriminator value where they have one.
    for key in ["oneOf", "anyOf", "allOf"] {
        let branches = |s: &Value| -> BTreeMap<String, Value> {
            let list: Vec<&Value> = s
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .collect();
            let keys: Vec<Option<String>> = list.iter().map(|b| branch_key(b)).collect();
            // Keys that two branches share tell nothing apart: then every
            // branch is matched by position.
            let known: Vec<&String> = keys.iter().flatten().collect();
            let distinct = known
                .iter()
                .collect::<std::collections::BTreeSet<_>>()
                .len()
                == known.len();
            list.iter()
                .enumerate()
                .map(|(i, b)| {
                    let name = match (&keys[i], distinct) {
                        (Some(k), true) => k.clone(),
                        _ => format!("#{i}"),
                    };
                    (name, (*b).clone())
                })
                .collect()
        };
        let (ba, bb) = (branches(ours), branches(theirs));
        for (name, branch) in &ba {
            let child = format!("{path}<{name}>");
            match bb.get(name) {
                Some(other) => compare_schema(branch, other, dir, &child, out),
                None => out.push(match dir {
                    Direction::Request => (
                        Kind::Breaking,
                        at(&child),
                        "variant removed: the client may still send it".into(),
                    ),
                    Direction::Response => (
                        Kind::Additive,
                        at(&child),
                        "variant no longer returned".into(),
                    ),
                }),
            }
        }
        for name in bb.keys().filter(|n| !ba.contains_key(*n)) {
            let child = format!("{path}<{name}>");
            out.push(match dir {
                Direction::Response => (
                    Kind::Breaking,
                    at(&child),
                    "new variant: the generated type fails to decode it".into(),
                ),
                Direction::Request => (Kind::Additive, at(&child), "new accepted variant".into()),
            });
        }
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
            crate::convert::pin_tag(schema, tag);
        }
    }
}

/// The discriminating value of a oneOf branch: the single enum value of its
/// `type` property (`PREDEFINED`, `CUSTOM`), or else of the first property
/// that has exactly one (`key_type`: `USER`, `SERVICE`).
fn branch_key(branch: &Value) -> Option<String> {
    let single = |schema: &Value| match schema.get("enum").and_then(Value::as_array) {
        Some(values) => match values.as_slice() {
            [Value::String(single)] => Some(single.clone()),
            _ => None,
        },
        None => None,
    };
    let props = branch.get("properties").and_then(Value::as_object)?;
    props
        .get("type")
        .and_then(single)
        .or_else(|| props.values().find_map(single))
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
            assert_eq!(schema(&a, &doc), schema(&b, &doc), "{a} vs {b}");
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
                schema(spelling, &doc),
                schema(&nullable[0], &doc),
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
                schema(spelling, &doc),
                schema(&plain[0], &doc),
                "{spelling}"
            );
        }
        assert_ne!(schema(&nullable[0], &doc), schema(&plain[0], &doc));
        // Two real branches stay a choice.
        let choice = json!({"oneOf": [{"type": "string"}, {"type": "integer"}]});
        assert!(schema(&choice, &doc).get("oneOf").is_some());
    }

    #[test]
    fn a_property_named_like_a_keyword_is_not_stripped() {
        let doc = json!({});
        let s = schema(
            &json!({"type": "object", "properties": {"description": {"type": "string"}}}),
            &doc,
        );
        assert!(s.pointer("/properties/description").is_some(), "{s}");
    }

    #[test]
    fn recursive_references_terminate() {
        let doc = json!({"components": {"schemas": {"Node": {"type": "object", "properties": {
            "next": {"$ref": "#/components/schemas/Node"}}}}}});
        let s = schema(&json!({"$ref": "#/components/schemas/Node"}), &doc);
        assert_eq!(s["type"], "object");
        assert_eq!(s["properties"]["next"]["$ref"], "#/components/schemas/Node");
    }

    /// A schema that refers to itself twice (and a mutually recursive pair)
    /// used to be expanded along every path to depth 32: 2^32 copies. Each
    /// reference is now expanded once per chain.
    #[test]
    fn self_references_do_not_explode() {
        let doc = json!({"openapi": "3.1.0", "paths": {"/t": {"get": {"operationId": "t",
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
        }}});
        let tree = schema(&json!({"$ref": "#/components/schemas/Tree"}), &doc);
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
        // And a whole comparison of the document with itself finds nothing.
        let report = compare(&doc, &doc).unwrap();
        assert!(report.is_empty(), "{}", report.to_text());
    }

    #[test]
    fn schema_rules_by_direction() {
        use Direction::*;
        let cases: Vec<(Value, Value, Direction, Option<Kind>)> = vec![
            (
                json!({"enum": ["A"]}),
                json!({"enum": ["A", "B"]}),
                Response,
                Some(Kind::Breaking),
            ),
            (
                json!({"enum": ["A"]}),
                json!({"enum": ["A", "B"]}),
                Request,
                Some(Kind::Additive),
            ),
            (
                json!({"enum": ["A", "B"]}),
                json!({"enum": ["A"]}),
                Request,
                Some(Kind::Breaking),
            ),
            (
                json!({"enum": ["A", "B"]}),
                json!({"enum": ["A"]}),
                Response,
                Some(Kind::Additive),
            ),
            (
                json!({"maxLength": 10}),
                json!({"maxLength": 5}),
                Request,
                Some(Kind::Breaking),
            ),
            (
                json!({"maxLength": 10}),
                json!({"maxLength": 20}),
                Request,
                Some(Kind::Additive),
            ),
            (
                json!({"minimum": 1}),
                json!({"minimum": 2}),
                Request,
                Some(Kind::Breaking),
            ),
            (
                json!({"minimum": 1}),
                json!({}),
                Request,
                Some(Kind::Additive),
            ),
            (
                json!({}),
                json!({"pattern": "^a"}),
                Request,
                Some(Kind::Breaking),
            ),
            (
                json!({"maxLength": 10}),
                json!({"maxLength": 5}),
                Response,
                None,
            ),
            (
                json!({"type": "string"}),
                json!({"type": "integer"}),
                Response,
                Some(Kind::Breaking),
            ),
            (
                json!({"type": "string", "format": "date-time"}),
                json!({"type": "string"}),
                Response,
                Some(Kind::Breaking),
            ),
            (
                json!({"type": "string"}),
                json!({"type": "string", "nullable": true}),
                Response,
                Some(Kind::Breaking),
            ),
            (
                json!({"type": "string"}),
                json!({"type": "string", "nullable": true}),
                Request,
                Some(Kind::Additive),
            ),
        ];
        for (a, b, dir, expected) in cases {
            let mut out = Vec::new();
            compare_schema(&a, &b, dir, "", &mut out);
            let kinds: BTreeSet<Kind> = out.iter().map(|c| c.0).collect();
            match expected {
                None => assert!(out.is_empty(), "{a} → {b}: {out:?}"),
                Some(kind) => assert_eq!(kinds, BTreeSet::from([kind]), "{a} → {b}: {out:?}"),
            }
        }
    }
}
