//! Each document read as its operations, keyed by `operationId`, every
//! schema in them resolved and normalised ([`normalize`]).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::error::SpecError;
use crate::schema::{merged_success_body, normalize, resolve};
use crate::scope::{DEFAULT_PATH_PREFIXES, HTTP_METHODS, resource_prefix};

/// One operation, normalised.
#[derive(Debug)]
pub(super) struct Operation {
    pub(super) method: String,
    pub(super) path: String,
    pub(super) params: BTreeMap<(String, String), Param>,
    pub(super) body: Option<Body>,
    pub(super) responses: BTreeMap<String, Response>,
    /// Why its success bodies cannot be merged into one type, when they
    /// cannot (`spec sync` refuses such a document).
    pub(super) unmergeable: Option<String>,
}

/// A parameter: whether it is required, and its schema.
#[derive(Debug)]
pub(super) struct Param {
    pub(super) required: bool,
    pub(super) schema: Value,
}

/// A request body: whether it is required, and its schema.
#[derive(Debug)]
pub(super) struct Body {
    pub(super) required: bool,
    pub(super) schema: Option<Value>,
}

/// A response: whether it offers `application/json`, and its schema.
#[derive(Debug)]
pub(super) struct Response {
    pub(super) json: bool,
    pub(super) schema: Option<Value>,
}

/// A whole document, read for comparison.
pub(super) struct Normalized {
    /// Every operation, by `operationId`.
    pub(super) ops: BTreeMap<String, Operation>,
    /// First path segments (e.g. `/v2/organizations`) of every operation.
    prefixes: BTreeSet<String>,
}

impl Normalized {
    pub(super) fn new(doc: &Value, which: &str) -> Result<Self, SpecError> {
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
                if !HTTP_METHODS.contains(&method.as_str()) {
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
                prefixes.insert(resource_prefix(path));
                ops.insert(id, operation);
            }
        }
        Ok(Normalized { ops, prefixes })
    }

    /// Whether `path` is in this SDK's scope: under a prefix of one of our
    /// operations, or one `spec sync` keeps ([`DEFAULT_PATH_PREFIXES`]), so
    /// an operation the next sync brings in is reported before it arrives.
    pub(super) fn covers_path(&self, path: &str) -> bool {
        let first = resource_prefix(path);
        self.prefixes.contains(&first) || DEFAULT_PATH_PREFIXES.contains(&first.as_str())
    }
}

impl Operation {
    fn new(method: &str, path: &str, op: &Value, shared_params: &Value, doc: &Value) -> Self {
        let body = op.get("requestBody").map(|b| {
            let b = resolve(b, doc);
            Body {
                required: b.get("required").and_then(Value::as_bool).unwrap_or(false),
                schema: media_schema(b.get("content"), doc),
            }
        });
        let mut responses = read_responses(op, doc);
        // Several success bodies compare as the one schema the sync merges
        // them into (progenitor takes one success type per operation), so
        // that rewrite is never reported as drift.
        let mut unmergeable = None;
        match merged_success_body(doc, op, path) {
            Ok(Some((statuses, merged))) => {
                let merged = normalize(&merged, doc);
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
            params: read_params(op, shared_params, doc),
            body,
            responses,
        }
    }
}

/// An operation's parameters (the path item's, then its own), by location
/// and name.
fn read_params(
    op: &Value,
    shared_params: &Value,
    doc: &Value,
) -> BTreeMap<(String, String), Param> {
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
                        .map(|s| normalize(s, doc))
                        .unwrap_or(Value::Null),
                },
            );
        }
    }
    params
}

/// An operation's responses, by status.
fn read_responses(op: &Value, doc: &Value) -> BTreeMap<String, Response> {
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
    responses
}

/// The schema of a content map: `application/json` first, then
/// `application/problem+json`, then whatever is there.
fn media_schema(content: Option<&Value>, doc: &Value) -> Option<Value> {
    let content = content?.as_object()?;
    let media = content
        .get("application/json")
        .or_else(|| content.get("application/problem+json"))
        .or_else(|| content.values().next())?;
    media.get("schema").map(|s| normalize(s, doc))
}
