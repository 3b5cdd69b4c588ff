//! Two versions of one operation compared, section by section: where it
//! lives, its parameters, its request body and its responses.

use std::collections::BTreeSet;

use super::model::{Body, Operation};
use super::report::{Change, Kind};
use super::schema_diff::{Direction, Sub, compare_schema};

/// Compares our version of operation `id` with upstream's, pushing every
/// difference to `out`.
pub(super) fn compare_operation(
    id: &str,
    ours: &Operation,
    theirs: &Operation,
    out: &mut Vec<Change>,
) {
    if ours.method != theirs.method || ours.path != theirs.path {
        push(
            out,
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
    compare_params(id, ours, theirs, out);
    compare_body(id, ours.body.as_ref(), theirs.body.as_ref(), out);
    compare_success_statuses(id, ours, theirs, out);
    compare_responses(id, ours, theirs, out);
}

fn push(out: &mut Vec<Change>, kind: Kind, location: String, change: String) {
    out.push(Change {
        kind,
        location,
        change,
    });
}

/// Compares two schemas in direction `dir` and pushes what differs, each at
/// `location` followed by its schema path.
fn push_schema_diff(
    out: &mut Vec<Change>,
    location: &str,
    ours: &serde_json::Value,
    theirs: &serde_json::Value,
    dir: Direction,
) {
    let mut sub: Sub = Vec::new();
    compare_schema(ours, theirs, dir, "", &mut sub);
    for (kind, path, change) in sub {
        push(out, kind, format!("{location}{path}"), change);
    }
}

/// Parameters, by location and name.
fn compare_params(id: &str, ours: &Operation, theirs: &Operation, out: &mut Vec<Change>) {
    for (key, param) in &ours.params {
        let location = format!("{id} {} parameter `{}`", key.0, key.1);
        let Some(other) = theirs.params.get(key) else {
            push(
                out,
                Kind::Breaking,
                location,
                "parameter removed upstream: the client still sends it".into(),
            );
            continue;
        };
        if other.required && !param.required {
            push(
                out,
                Kind::Breaking,
                location.clone(),
                "parameter became required: calls that leave it out will be rejected".into(),
            );
        } else if !other.required && param.required {
            push(
                out,
                Kind::Additive,
                location.clone(),
                "parameter became optional".into(),
            );
        }
        push_schema_diff(
            out,
            &location,
            &param.schema,
            &other.schema,
            Direction::Request,
        );
    }
    for (key, param) in &theirs.params {
        if ours.params.contains_key(key) {
            continue;
        }
        let location = format!("{id} {} parameter `{}`", key.0, key.1);
        if param.required {
            push(
                out,
                Kind::Breaking,
                location,
                "new required parameter: the client does not send it".into(),
            );
        } else {
            push(
                out,
                Kind::Additive,
                location,
                "new optional parameter".into(),
            );
        }
    }
}

/// The request body.
fn compare_body(id: &str, ours: Option<&Body>, theirs: Option<&Body>, out: &mut Vec<Change>) {
    let location = format!("{id} request body");
    match (ours, theirs) {
        (Some(_), None) => push(
            out,
            Kind::Breaking,
            location,
            "request body removed upstream: the client still sends one".into(),
        ),
        (None, Some(body)) if body.required => push(
            out,
            Kind::Breaking,
            location,
            "new required request body: the client sends none".into(),
        ),
        (None, Some(_)) => push(
            out,
            Kind::Additive,
            location,
            "new optional request body".into(),
        ),
        (Some(a), Some(b)) => {
            if b.required && !a.required {
                push(
                    out,
                    Kind::Breaking,
                    location.clone(),
                    "request body became required".into(),
                );
            }
            if let (Some(sa), Some(sb)) = (&a.schema, &b.schema) {
                push_schema_diff(out, &location, sa, sb, Direction::Request);
            }
        }
        (None, None) => {}
    }
}

/// The set of success statuses, and whether upstream's success bodies still
/// merge into one type.
fn compare_success_statuses(id: &str, ours: &Operation, theirs: &Operation, out: &mut Vec<Change>) {
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
            out,
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
            out,
            Kind::Breaking,
            format!("{id} responses"),
            format!(
                "the success bodies no longer merge into one type, so `spec sync` fails: {reason}"
            ),
        );
    }
}

/// Each response both sides declare, then the error statuses only upstream
/// has.
fn compare_responses(id: &str, ours: &Operation, theirs: &Operation, out: &mut Vec<Change>) {
    for (status, ours_response) in &ours.responses {
        let Some(theirs_response) = theirs.responses.get(status) else {
            continue;
        };
        let location = format!("{id} response {status}");
        let is_success = status.starts_with('2');
        if is_success && ours_response.json && !theirs_response.json {
            push(
                out,
                Kind::Breaking,
                location.clone(),
                "the body is no longer application/json: the client cannot decode it".into(),
            );
        }
        match (&ours_response.schema, &theirs_response.schema) {
            (Some(a), Some(b)) => push_schema_diff(out, &location, a, b, Direction::Response),
            (Some(_), None) if is_success => push(
                out,
                Kind::Breaking,
                location,
                "the body was removed: the client expects one".into(),
            ),
            (None, Some(_)) if is_success => push(
                out,
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
                out,
                Kind::Additive,
                format!("{id} response {status}"),
                "new error status: the client reports it as an unexpected response".into(),
            );
        }
    }
}
