//! HTTP helpers that know no resource: problem and JSON answers, the
//! spec-driven check for fields a body's schema lacks, and `omit_empty`.

use arize_ax_api::{OPERATIONS, Operation};
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::Value;

use super::{Problem, Reply, problem_body};

const PROBLEM_BASE: &str = "https://arize.com/docs/ax/rest-reference/errors";

fn title(status: u16) -> (&'static str, &'static str) {
    match status {
        400 => ("invalid-request", "Invalid request parameters"),
        401 => ("authentication-required", "Authentication required"),
        403 => ("access-forbidden", "Access forbidden"),
        404 => ("resource-not-found", "Resource not found"),
        405 => ("method-not-allowed", "Method not allowed"),
        409 => ("resource-conflict", "Resource conflict"),
        422 => ("unprocessable-entity", "Unprocessable Entity"),
        429 => ("rate-limit-exceeded", "Rate limit exceeded"),
        502 => ("bad-gateway", "Bad gateway"),
        503 => ("service-unavailable", "Service unavailable"),
        504 => ("gateway-timeout", "Gateway timeout"),
        _ => ("server-error", "Internal server error"),
    }
}

pub(crate) fn problem_response(problem: &Problem, instance: &str) -> Response {
    let (slug, title) = title(problem.status);
    let body = problem_body(
        format!("{PROBLEM_BASE}#{slug}"),
        title,
        problem.status,
        &problem.detail,
        instance,
    );
    let text = serde_json::to_string(&body).expect("a problem serialises");
    let mut response = Response::new(Body::from(text));
    *response.status_mut() =
        StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    if problem.status == 429 {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    response
}

/// The HTTP answer of operation `op` for a handler's reply. Empty lists
/// are sent as `[]` (the generated types leave them out; Arize sends them).
pub(crate) fn reply_response(op: &Operation, reply: Reply) -> Response {
    let mut response = match reply.body {
        Some(mut body) => {
            if let Some(schema) = response_schema(op, reply.status) {
                fill_empty_lists(&body_schemas().0, schema, &mut body);
            }
            let text = serde_json::to_string(&body).expect("JSON serialises");
            let mut response = Response::new(Body::from(text));
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            response
        }
        None => Response::new(Body::empty()),
    };
    *response.status_mut() = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::OK);
    response
}

pub(crate) fn no_content() -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    response
}

/// The embedded spec, and the request-body schema of each operation.
fn body_schemas() -> &'static (Value, Vec<(&'static str, Value)>) {
    static TABLE: std::sync::OnceLock<(Value, Vec<(&'static str, Value)>)> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let spec: Value =
            serde_json::from_str(arize_ax_api::SPEC).expect("the embedded spec is JSON");
        let mut table = Vec::new();
        for known in OPERATIONS {
            let path = known.path.replace('~', "~0").replace('/', "~1");
            let pointer = format!("/paths/{path}/{}/requestBody", known.method.to_lowercase());
            if let Some(body) = spec.pointer(&pointer) {
                let body = resolve(&spec, body);
                if let Some(schema) = body.pointer("/content/application~1json/schema") {
                    table.push((known.id, schema.clone()));
                }
            }
        }
        (spec, table)
    })
}

/// The schema of `op`'s JSON answer with `status`.
fn response_schema(op: &Operation, status: u16) -> Option<&'static Value> {
    let spec = &body_schemas().0;
    let path = op.path.replace('~', "~0").replace('/', "~1");
    let pointer = format!(
        "/paths/{path}/{}/responses/{status}",
        op.method.to_lowercase()
    );
    resolve(spec, spec.pointer(&pointer)?).pointer("/content/application~1json/schema")
}

/// Puts `[]` where `value` leaves out a list its schema has (one that may
/// be empty and is not nullable), at any depth; inside a union only when
/// its discriminator names the branch (or it has one branch).
fn fill_empty_lists(spec: &Value, schema: &Value, value: &mut Value) {
    let schema = resolve(spec, schema);
    if let Some(branches) = union_branches(spec, schema, value) {
        // Only a branch known for sure: the response schemas allow any
        // field, so "fits" would say nothing.
        if let [branch] = branches[..] {
            fill_empty_lists(spec, branch, value);
        }
        return;
    }
    for part in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        fill_empty_lists(spec, part, value);
    }
    match value {
        Value::Object(map) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            for (key, sub) in properties.into_iter().flatten() {
                match map.get_mut(key) {
                    Some(child) => fill_empty_lists(spec, sub, child),
                    None => {
                        let sub = resolve(spec, sub);
                        let list = sub.get("type") == Some(&Value::String("array".into()));
                        let nullable = sub.get("nullable") == Some(&Value::Bool(true));
                        let may_be_empty =
                            sub.get("minItems").and_then(Value::as_u64).unwrap_or(0) == 0;
                        if list && !nullable && may_be_empty {
                            map.insert(key.clone(), Value::Array(Vec::new()));
                        }
                    }
                }
            }
        }
        Value::Array(items) => {
            if let Some(sub) = schema.get("items") {
                items
                    .iter_mut()
                    .for_each(|item| fill_empty_lists(spec, sub, item));
            }
        }
        _ => {}
    }
}

/// The branches of a union (`oneOf`/`anyOf`) that `value` may be: the one
/// its discriminator names, or else every one; `None` for a schema that is
/// no union.
fn union_branches<'a>(spec: &'a Value, schema: &'a Value, value: &Value) -> Option<Vec<&'a Value>> {
    let branches = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array)?;
    let by_tag = schema.get("discriminator").and_then(|d| {
        let tag = value.get(d.get("propertyName")?.as_str()?)?.as_str()?;
        let target = d.get("mapping")?.get(tag)?.as_str()?;
        spec.pointer(target.trim_start_matches('#'))
    });
    Some(match by_tag {
        Some(branch) => vec![branch],
        None => branches.iter().collect(),
    })
}

fn resolve<'a>(spec: &'a Value, node: &'a Value) -> &'a Value {
    let mut node = node;
    for _ in 0..16 {
        match node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| spec.pointer(r.trim_start_matches('#')))
        {
            Some(next) => node = next,
            None => break,
        }
    }
    node
}

/// The first field of `value`, at any depth, that its schema does not have
/// where the schema says `additionalProperties: false` (every request body
/// of Arize's document and the objects inside it), as a path
/// (`role.extra`). A union's branch is chosen by its discriminator, or else
/// the value must fit one branch.
fn unknown_field(spec: &Value, schema: &Value, value: &Value, at: &str) -> Option<String> {
    let schema = resolve(spec, schema);
    if let Some(branches) = union_branches(spec, schema, value) {
        let mut first = None;
        for branch in branches {
            match unknown_field(spec, branch, value, at) {
                None => return None,
                Some(found) => {
                    first.get_or_insert(found);
                }
            }
        }
        return first;
    }
    match value {
        Value::Object(map) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            for (key, child) in map {
                let path = if at.is_empty() {
                    key.clone()
                } else {
                    format!("{at}.{key}")
                };
                match properties.and_then(|p| p.get(key)) {
                    Some(sub) => {
                        if let Some(found) = unknown_field(spec, sub, child, &path) {
                            return Some(found);
                        }
                    }
                    None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                        return Some(path);
                    }
                    None => {}
                }
            }
            None
        }
        Value::Array(items) => {
            let sub = schema.get("items")?;
            items
                .iter()
                .find_map(|item| unknown_field(spec, sub, item, &format!("{at}[]")))
        }
        _ => None,
    }
}

/// Refuses a body with a field its schema does not have, as Arize does
/// (400, naming the field).
pub(crate) fn refuse_unknown_fields(op: &Operation, body: &[u8]) -> Result<(), Problem> {
    let (spec, table) = body_schemas();
    let Some((_, schema)) = table.iter().find(|(id, _)| *id == op.id) else {
        return Ok(());
    };
    if let Ok(value) = serde_json::from_slice::<Value>(body)
        && let Some(unknown) = unknown_field(spec, schema, &value, "")
    {
        return Err(Problem::new(400, format!("Unknown field '{unknown}'.")));
    }
    Ok(())
}

/// A JSON answer with every empty value left out, as a server with Go's
/// `omitempty` sends it.
pub(crate) async fn omit_empty(response: Response) -> Response {
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    strip_empty(&mut value);
    let text = serde_json::to_vec(&value).expect("JSON serialises");
    let mut response = Response::from_parts(parts, Body::from(text));
    response.headers_mut().remove(header::CONTENT_LENGTH);
    response
}

fn strip_empty(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.values_mut().for_each(strip_empty);
            map.retain(|_, v| !is_empty(v));
        }
        Value::Array(items) => items.iter_mut().for_each(strip_empty),
        _ => {}
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
    }
}
