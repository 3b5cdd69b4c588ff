//! Drift between an upstream spec and ours, classified by what it does to
//! this SDK's generated client and facade.
//!
//! Both documents are normalised first (by the crate's `schema` module), so differences
//! that mean the same thing are not reported: OpenAPI 3.1 vs 3.0 spellings
//! (`type: [T, "null"]` vs `nullable`, `examples` vs `example`, `const` vs a
//! one-value `enum`), `$ref` vs the same schema inline, key order, YAML vs
//! JSON, and wording (descriptions, summaries, titles, examples, tags,
//! extensions).
//!
//! Upstream resources outside this SDK's scope are not compared; the report
//! names each one ([`OutOfScope`]) so that a new one is seen.
//!
//! The files depend on each other one way: `report` (what is found) and
//! `model` (each document read as operations) on nothing here,
//! `schema_diff` on `report`, `operation` on all three, and this file on
//! all of them.

mod model;
mod operation;
mod report;
mod schema_diff;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::SpecError;
use crate::scope::resource_prefix;
use model::Normalized;
use operation::compare_operation;
pub use report::{Change, Kind, OutOfScope, Report};

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
    // New operations on the paths this SDK covers; the others, by resource,
    // are named as not in scope.
    let mut out_of_scope: BTreeMap<String, usize> = BTreeMap::new();
    for (id, op) in &upstream.ops {
        if ours.ops.contains_key(id) {
            continue;
        }
        if ours.covers_path(&op.path) {
            changes.push(Change {
                kind: Kind::Additive,
                location: id.clone(),
                change: format!(
                    "new operation {} {}: run `spec sync` to generate it",
                    op.method.to_uppercase(),
                    op.path
                ),
            });
        } else {
            *out_of_scope.entry(resource_prefix(&op.path)).or_default() += 1;
        }
    }
    changes.sort();
    changes.dedup();
    Ok(Report {
        changes,
        out_of_scope: out_of_scope
            .into_iter()
            .map(|(path, operations)| OutOfScope { path, operations })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A schema that refers to itself twice (and a mutually recursive pair)
    /// used to be expanded along every path to depth 32: 2^32 copies. A
    /// whole comparison of such a document with itself ends and finds
    /// nothing.
    #[test]
    fn self_references_do_not_explode() {
        let doc = crate::schema::recursive_document();
        let report = compare(&doc, &doc).unwrap();
        assert!(report.is_empty(), "{}", report.to_text());
    }

    fn op(id: &str) -> Value {
        json!({"operationId": id, "responses": {"200": {"description": "ok"}}})
    }

    #[test]
    fn upstream_resources_out_of_scope_are_named_not_counted() {
        let ours = json!({"openapi": "3.0.3", "paths": {"/v2/users": {"get": op("list_users")}}});
        let upstream = json!({"openapi": "3.1.1", "paths": {
            "/v2/users": {"get": op("list_users"), "parameters": []},
            "/v2/widgets": {"get": op("list_widgets"), "post": op("create_widget")},
            "/v2/widgets/{widget_id}": {"delete": op("delete_widget")},
            "/health": {"get": op("health"), "summary": "not an operation"}
        }});
        let report = compare(&ours, &upstream).unwrap();
        assert!(report.is_empty(), "{}", report.to_text());
        assert_eq!(report.exit_code(true), 0);
        assert_eq!(
            report.to_text(),
            "no drift: upstream means the same as the checked-in spec for every operation the SDK uses\n\
             not in scope: /health (1 operation)\n\
             not in scope: /v2/widgets (3 operations)\n"
        );
        // The JSON form is the list of changes alone, as before.
        assert_eq!(serde_json::to_value(&report).unwrap(), json!([]));
    }
}
