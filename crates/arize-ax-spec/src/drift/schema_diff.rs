//! Two normalised schemas compared, section by section (type and format,
//! nullability, enum values, constraints, properties and `required`, array
//! items, unions), each difference classified by the direction the data
//! travels.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::report::Kind;
use crate::schema::required_set;

/// Which way the data travels, which decides whether a difference breaks.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Direction {
    /// Data the SDK sends.
    Request,
    /// Data the SDK decodes.
    Response,
}

/// The differences found: kind, schema path (` .name`, `[]`, `<TAG>`) and
/// what changed.
pub(super) type Sub = Vec<(Kind, String, String)>;

/// Compares `ours` with `theirs`, pushing every difference under `path`.
pub(super) fn compare_schema(
    ours: &Value,
    theirs: &Value,
    dir: Direction,
    path: &str,
    out: &mut Sub,
) {
    if ours == theirs {
        return;
    }
    if !compare_type_and_format(ours, theirs, path, out) {
        return;
    }
    compare_nullable(ours, theirs, dir, path, out);
    compare_enum(ours, theirs, dir, path, out);
    if dir == Direction::Request {
        compare_constraints(ours, theirs, path, out);
    }
    compare_properties(ours, theirs, dir, path, out);
    if let (Some(ia), Some(ib)) = (ours.get("items"), theirs.get("items")) {
        compare_schema(ia, ib, dir, &format!("{path}[]"), out);
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        compare_union(key, ours, theirs, dir, path, out);
    }
}

/// A schema path as it follows a location: a space before a property path,
/// none before an array's `[]`.
fn at(path: &str) -> String {
    if path.is_empty() || path.starts_with('[') {
        path.to_owned()
    } else {
        format!(" {path}")
    }
}

fn get_str<'a>(schema: &'a Value, key: &str) -> Option<&'a str> {
    schema.get(key).and_then(Value::as_str)
}

/// Type and format. Returns whether to go on: after a type change nothing
/// else is worth comparing.
fn compare_type_and_format(ours: &Value, theirs: &Value, path: &str, out: &mut Sub) -> bool {
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
        return false;
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
    true
}

fn compare_nullable(ours: &Value, theirs: &Value, dir: Direction, path: &str, out: &mut Sub) {
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
}

/// A schema's enum values, each as JSON text.
fn enum_values(schema: &Value) -> Option<BTreeSet<String>> {
    schema
        .get("enum")
        .and_then(Value::as_array)
        .map(|v| v.iter().map(Value::to_string).collect())
}

fn compare_enum(ours: &Value, theirs: &Value, dir: Direction, path: &str, out: &mut Sub) {
    let (Some(ea), Some(eb)) = (enum_values(ours), enum_values(theirs)) else {
        let restricted = enum_values(theirs).is_some();
        if enum_values(ours).is_some() != restricted {
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
        return;
    };
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
}

/// Bounds and patterns, which only bind what the SDK sends (the caller
/// compares them for requests only).
fn compare_constraints(ours: &Value, theirs: &Value, path: &str, out: &mut Sub) {
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

/// An object's properties as seen in one direction, and its `required`
/// names among them.
struct Fields {
    /// The properties that take part: a `readOnly` one is never sent and a
    /// `writeOnly` one never received, so in that direction it is no part
    /// of the contract, and adding, removing or changing it does not count
    /// either way.
    visible: Map<String, Value>,
    /// The required names, less those hidden on either side.
    required: BTreeSet<String>,
}

/// The [`Fields`] of `ours` and `theirs` in direction `dir`.
fn fields(ours: &Value, theirs: &Value, dir: Direction) -> (Fields, Fields) {
    let props = |s: &Value| -> Map<String, Value> {
        s.get("properties")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let unseen = match dir {
        Direction::Request => "readOnly",
        Direction::Response => "writeOnly",
    };
    let is_unseen = |p: &Value| p.get(unseen) == Some(&Value::Bool(true));
    let hidden = |s: &Value| -> BTreeSet<String> {
        props(s)
            .into_iter()
            .filter(|(_, p)| is_unseen(p))
            .map(|(n, _)| n)
            .collect()
    };
    let hidden = &hidden(ours) | &hidden(theirs);
    let side = |s: &Value| {
        let mut visible = props(s);
        visible.retain(|_, p| !is_unseen(p));
        Fields {
            visible,
            required: &required_set(s) - &hidden,
        }
    };
    (side(ours), side(theirs))
}

/// Object properties and whether each is required.
fn compare_properties(ours: &Value, theirs: &Value, dir: Direction, path: &str, out: &mut Sub) {
    let (a, b) = fields(ours, theirs, dir);
    for (name, sa) in &a.visible {
        let child = format!("{path}.{name}");
        let Some(sb) = b.visible.get(name) else {
            out.push((
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
            ));
            continue;
        };
        let (was, is) = (a.required.contains(name), b.required.contains(name));
        compare_required(was, is, dir, &child, out);
        compare_schema(sa, sb, dir, &child, out);
    }
    added_properties(&a, &b, dir, path, out);
}

/// A property both sides have that became required or optional.
fn compare_required(was: bool, is: bool, dir: Direction, child: &str, out: &mut Sub) {
    match (dir, was, is) {
        (Direction::Request, false, true) => out.push((
            Kind::Breaking,
            at(child),
            "field became required: requests without it will be rejected".into(),
        )),
        (Direction::Request, true, false) => {
            out.push((Kind::Additive, at(child), "field became optional".into()))
        }
        (Direction::Response, true, false) => out.push((
            Kind::Breaking,
            at(child),
            "field became optional: the client requires it and fails when it is missing".into(),
        )),
        (Direction::Response, false, true) => out.push((
            Kind::Additive,
            at(child),
            "field is now always present".into(),
        )),
        _ => {}
    }
}

/// Properties (and required names) only `theirs` has.
fn added_properties(a: &Fields, b: &Fields, dir: Direction, path: &str, out: &mut Sub) {
    for name in b.visible.keys().filter(|n| !a.visible.contains_key(*n)) {
        let child = format!("{path}.{name}");
        let required = b.required.contains(name);
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
        for name in b
            .required
            .difference(&a.required)
            .filter(|n| !b.visible.contains_key(*n))
        {
            out.push((
                Kind::Breaking,
                at(&format!("{path}.{name}")),
                "new required field: the client does not send it".into(),
            ));
        }
    }
}

/// The branches of a `oneOf`/`anyOf`/`allOf`, by name: a branch's
/// discriminating value where every branch's is distinct, else `#i`, its
/// position.
fn branches(key: &str, schema: &Value) -> BTreeMap<String, Value> {
    let list: Vec<&Value> = schema
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .collect();
    let keys: Vec<Option<String>> = list.iter().map(|b| branch_key(b)).collect();
    // Keys that two branches share tell nothing apart: then every branch is
    // matched by position.
    let known: Vec<&String> = keys.iter().flatten().collect();
    let distinct = known.iter().collect::<BTreeSet<_>>().len() == known.len();
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
}

/// Alternatives (`key` is `oneOf`, `anyOf` or `allOf`), matched by their
/// discriminator value where they have one.
fn compare_union(
    key: &str,
    ours: &Value,
    theirs: &Value,
    dir: Direction,
    path: &str,
    out: &mut Sub,
) {
    let (ba, bb) = (branches(key, ours), branches(key, theirs));
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
