//! The drift checker against a corpus of upstream variants, each made from
//! the vendored upstream document by one change: every rule in both
//! directions, and rewrites that must report nothing.

use std::path::PathBuf;

use arize_ax_spec::drift::{Kind, Report, compare};
use serde_json::{Value, json};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn ours() -> Value {
    let text = std::fs::read_to_string(root().join(arize_ax_spec::CHECKED_IN_SPEC)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn upstream() -> Value {
    arize_ax_spec::load_file(&root().join(arize_ax_spec::VENDORED_UPSTREAM)).unwrap()
}

fn at<'a>(doc: &'a mut Value, pointer: &str) -> &'a mut Value {
    doc.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("no {pointer} in the upstream document"))
}

fn props<'a>(doc: &'a mut Value, schema: &str) -> &'a mut serde_json::Map<String, Value> {
    at(doc, &format!("/components/schemas/{schema}/properties"))
        .as_object_mut()
        .unwrap()
}

/// A schema's `required` list, made empty first where it has none (the
/// document requires no response field).
fn required<'a>(doc: &'a mut Value, schema: &str) -> &'a mut Vec<Value> {
    at(doc, &format!("/components/schemas/{schema}"))
        .as_object_mut()
        .unwrap()
        .entry("required")
        .or_insert_with(|| json!([]))
        .as_array_mut()
        .unwrap()
}

fn report_for(mutate: impl FnOnce(&mut Value)) -> Report {
    let mut doc = upstream();
    mutate(&mut doc);
    compare(&ours(), &doc).unwrap()
}

fn has(report: &Report, kind: Kind, location: &str) -> bool {
    report
        .changes
        .iter()
        .any(|c| c.kind == kind && c.location.contains(location))
}

#[test]
fn the_shared_upstream_has_no_drift() {
    let report = compare(&ours(), &upstream()).unwrap();
    assert!(report.is_empty(), "{}", report.to_text());
}

type Mutation = Box<dyn FnOnce(&mut Value)>;

/// (name, change, expected kind, location it is reported at)
fn corpus() -> Vec<(&'static str, Mutation, Kind, &'static str)> {
    vec![
        // ---- breaking ----
        (
            "operation removed",
            Box::new(|d: &mut Value| {
                at(d, "/paths/~1v2~1users~1{user_id}")
                    .as_object_mut()
                    .unwrap()
                    .remove("get");
            }),
            Kind::Breaking,
            "get_user",
        ),
        (
            "path changed",
            Box::new(|d: &mut Value| {
                let paths = at(d, "/paths").as_object_mut().unwrap();
                let item = paths.remove("/v2/organizations/{org_id}").unwrap();
                paths.insert("/v2/orgs/{org_id}".into(), item);
            }),
            Kind::Breaking,
            "get_organization",
        ),
        (
            "method changed",
            Box::new(|d: &mut Value| {
                let item = at(d, "/paths/~1v2~1organizations~1{org_id}")
                    .as_object_mut()
                    .unwrap();
                let op = item.remove("patch").unwrap();
                item.insert("put".into(), op);
            }),
            Kind::Breaking,
            "update_organization",
        ),
        (
            "required query parameter added",
            Box::new(|d: &mut Value| {
                at(d, "/paths/~1v2~1organizations/get/parameters").as_array_mut().unwrap()
                .push(json!({"name": "workspace", "in": "query", "required": true, "schema": {"type": "string"}}));
            }),
            Kind::Breaking,
            "list_organizations query parameter `workspace`",
        ),
        (
            "query parameter removed",
            Box::new(|d: &mut Value| {
                at(d, "/paths/~1v2~1organizations/get/parameters")
                    .as_array_mut()
                    .unwrap()
                    .remove(0);
            }),
            Kind::Breaking,
            "list_organizations query parameter `name`",
        ),
        (
            "request field removed",
            Box::new(|d: &mut Value| {
                props(d, "CreateOrganizationRequest").remove("description");
            }),
            Kind::Breaking,
            "create_organization request body .description",
        ),
        (
            "required request field added",
            Box::new(|d: &mut Value| {
                props(d, "CreateOrganizationRequest")
                    .insert("region".into(), json!({"type": "string"}));
                required(d, "CreateOrganizationRequest").push(json!("region"));
            }),
            Kind::Breaking,
            "create_organization request body .region",
        ),
        (
            "optional request field made required",
            Box::new(|d: &mut Value| {
                required(d, "CreateOrganizationRequest").push(json!("description"));
            }),
            Kind::Breaking,
            "create_organization request body .description",
        ),
        (
            "response field removed",
            Box::new(|d: &mut Value| {
                props(d, "Organization").remove("description");
                required(d, "Organization").retain(|v| v != "description");
            }),
            Kind::Breaking,
            "get_organization response 200 .description",
        ),
        (
            "response field made required",
            Box::new(|d: &mut Value| {
                required(d, "Organization").push(json!("created_at"));
            }),
            Kind::Additive,
            "get_organization response 200 .created_at",
        ),
        (
            "type changed",
            Box::new(|d: &mut Value| {
                props(d, "PaginationMetadata").insert("has_more".into(), json!({"type": "string"}));
            }),
            Kind::Breaking,
            "list_organizations response 200 .pagination.has_more",
        ),
        (
            "format changed",
            Box::new(|d: &mut Value| {
                props(d, "Organization").insert(
                    "created_at".into(),
                    json!({"type": "string", "format": "date"}),
                );
            }),
            Kind::Breaking,
            "get_organization response 200 .created_at",
        ),
        (
            "response became nullable",
            Box::new(|d: &mut Value| {
                props(d, "Organization").insert("name".into(), json!({"type": ["string", "null"]}));
            }),
            Kind::Breaking,
            "get_organization response 200 .name",
        ),
        (
            "response enum value added",
            Box::new(|d: &mut Value| {
                at(d, "/components/schemas/OrganizationRole/enum")
                    .as_array_mut()
                    .unwrap()
                    .push(json!("OWNER"));
            }),
            Kind::Breaking,
            "add_organization_user response 200 .role<PREDEFINED>.name",
        ),
        (
            "request enum value removed",
            Box::new(|d: &mut Value| {
                *at(
                    d,
                    "/components/parameters/UserStatusQueryParam/schema/items",
                ) = json!({"type": "string", "enum": ["ACTIVE", "INVITED"]});
            }),
            Kind::Breaking,
            "list_users query parameter `status`[]",
        ),
        (
            "request variant removed",
            Box::new(|d: &mut Value| {
                at(
                    d,
                    "/components/schemas/OrganizationRoleAssignmentRequest/oneOf",
                )
                .as_array_mut()
                .unwrap()
                .remove(1);
            }),
            Kind::Breaking,
            "add_organization_user request body .role<CUSTOM>",
        ),
        (
            "success status changed",
            Box::new(|d: &mut Value| {
                let responses = at(d, "/paths/~1v2~1organizations/post/responses")
                    .as_object_mut()
                    .unwrap();
                let created = responses.remove("201").unwrap();
                responses.insert("200".into(), created);
            }),
            Kind::Breaking,
            "create_organization responses",
        ),
        (
            "success body no longer JSON",
            Box::new(|d: &mut Value| {
                let content = at(d, "/components/responses/Organization/content")
                    .as_object_mut()
                    .unwrap();
                let media = content.remove("application/json").unwrap();
                content.insert("application/vnd.arize+json".into(), media);
            }),
            Kind::Breaking,
            "get_organization response 200",
        ),
        (
            "maxLength tightened",
            Box::new(|d: &mut Value| {
                props(d, "CreateOrganizationRequest")["name"]["maxLength"] = json!(100);
            }),
            Kind::Breaking,
            "create_organization request body .name",
        ),
        (
            "minLength tightened",
            Box::new(|d: &mut Value| {
                props(d, "UpdateOrganizationRequest")["name"]["minLength"] = json!(3);
            }),
            Kind::Breaking,
            "update_organization request body .name",
        ),
        (
            "maximum tightened",
            Box::new(|d: &mut Value| {
                at(d, "/components/parameters/LimitQueryParamMax100/schema")["maximum"] = json!(50);
            }),
            Kind::Breaking,
            "list_organizations query parameter `limit`",
        ),
        (
            "minimum tightened",
            Box::new(|d: &mut Value| {
                at(d, "/components/parameters/LimitQueryParamMax100/schema")["minimum"] = json!(10);
            }),
            Kind::Breaking,
            "list_users query parameter `limit`",
        ),
        (
            "pattern added",
            Box::new(|d: &mut Value| {
                props(d, "CreateOrganizationRequest")["name"]["pattern"] = json!("^[a-z0-9-]+$");
            }),
            Kind::Breaking,
            "create_organization request body .name",
        ),
        (
            "request no longer nullable",
            Box::new(|d: &mut Value| {
                props(d, "UpdateOrganizationRequest")["description"]["type"] = json!("string");
            }),
            Kind::Breaking,
            "update_organization request body .description",
        ),
        // ---- additive ----
        (
            "new operation",
            Box::new(|d: &mut Value| {
                at(d, "/paths").as_object_mut().unwrap().insert("/v2/organizations/{org_id}/spaces".into(), json!({
                "get": {"operationId": "list_organization_spaces", "parameters": [{"$ref": "#/components/parameters/OrgIdPathParam"}],
                        "responses": {"200": {"description": "ok"}}}
            }));
            }),
            Kind::Additive,
            "list_organization_spaces",
        ),
        (
            "new optional request field",
            Box::new(|d: &mut Value| {
                props(d, "CreateOrganizationRequest").insert(
                    "tags".into(),
                    json!({"type": "array", "items": {"type": "string"}}),
                );
            }),
            Kind::Additive,
            "create_organization request body .tags",
        ),
        (
            "new optional query parameter",
            Box::new(|d: &mut Value| {
                at(d, "/paths/~1v2~1organizations/get/parameters")
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"name": "sort", "in": "query", "schema": {"type": "string"}}));
            }),
            Kind::Additive,
            "list_organizations query parameter `sort`",
        ),
        (
            "new optional response field",
            Box::new(|d: &mut Value| {
                props(d, "Organization").insert(
                    "updated_at".into(),
                    json!({"type": "string", "format": "date-time"}),
                );
            }),
            Kind::Additive,
            "get_organization response 200 .updated_at",
        ),
        (
            "new error status",
            Box::new(|d: &mut Value| {
                at(d, "/paths/~1v2~1organizations~1{org_id}/get/responses")
                    .as_object_mut()
                    .unwrap()
                    .insert(
                        "403".into(),
                        json!({"$ref": "#/components/responses/Forbidden"}),
                    );
            }),
            Kind::Additive,
            "get_organization response 403",
        ),
        (
            "maxLength loosened",
            Box::new(|d: &mut Value| {
                props(d, "CreateOrganizationRequest")["name"]["maxLength"] = json!(500);
            }),
            Kind::Additive,
            "create_organization request body .name",
        ),
        (
            "maximum loosened",
            Box::new(|d: &mut Value| {
                at(d, "/components/parameters/LimitQueryParamMax100/schema")["maximum"] =
                    json!(500);
            }),
            Kind::Additive,
            "list_organizations query parameter `limit`",
        ),
        (
            "required request field made optional",
            Box::new(|d: &mut Value| {
                required(d, "AddOrganizationUserRequest").retain(|v| v != "role");
            }),
            Kind::Additive,
            "add_organization_user request body .role",
        ),
        (
            "request enum value added",
            Box::new(|d: &mut Value| {
                *at(
                    d,
                    "/components/parameters/UserStatusQueryParam/schema/items",
                ) = json!({"type": "string", "enum": ["ACTIVE", "INVITED", "EXPIRED", "SUSPENDED"]});
            }),
            Kind::Additive,
            "list_users query parameter `status`[]",
        ),
        (
            "response enum value removed",
            Box::new(|d: &mut Value| {
                // Both success bodies of create_user carry a status: they
                // change together, so they still merge.
                for schema in ["User", "CreateUserResponse"] {
                    props(d, schema).insert(
                        "status".into(),
                        json!({"type": "string", "enum": ["ACTIVE", "INVITED"]}),
                    );
                }
            }),
            Kind::Additive,
            "get_user response 200 .status",
        ),
        (
            "request became nullable",
            Box::new(|d: &mut Value| {
                props(d, "CreateOrganizationRequest")["description"]["type"] =
                    json!(["string", "null"]);
            }),
            Kind::Additive,
            "create_organization request body .description",
        ),
    ]
}

#[test]
fn every_rule_is_classified() {
    let mut failures = Vec::new();
    for (name, mutate, kind, location) in corpus() {
        let report = report_for(mutate);
        if !has(&report, kind, location) {
            failures.push(format!(
                "{name}: expected {kind} at {location:?}, got:\n{}",
                report.to_text()
            ));
        }
        if kind == Kind::Additive && report.has_breaking() {
            failures.push(format!(
                "{name}: additive change reported as breaking:\n{}",
                report.to_text()
            ));
        }
        let expected_exit = if kind == Kind::Breaking { 1 } else { 0 };
        if report.exit_code(false) != expected_exit || report.exit_code(true) != 1 {
            failures.push(format!(
                "{name}: exit codes {} / {}",
                report.exit_code(false),
                report.exit_code(true)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_removed_pattern_is_additive() {
    // Ours has no pattern, so add one to ours and remove it upstream.
    let mut ours = ours();
    ours.pointer_mut("/components/schemas/CreateOrganizationRequest/properties/name")
        .unwrap()["pattern"] = json!("^.+$");
    let report = compare(&ours, &upstream()).unwrap();
    assert!(
        has(
            &report,
            Kind::Additive,
            "create_organization request body .name"
        ),
        "{}",
        report.to_text()
    );
    assert!(!report.has_breaking(), "{}", report.to_text());
}

fn reverse_keys(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
            entries.reverse();
            for (k, mut v) in entries {
                reverse_keys(&mut v);
                map.insert(k, v);
            }
        }
        Value::Array(items) if items.iter().all(|v| v.is_object()) => {
            items.iter_mut().for_each(reverse_keys)
        }
        _ => {}
    }
}

fn reword(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if (k == "description" || k == "summary" || k == "title") && v.is_string() {
                    *v = json!("Reworded.");
                } else if k == "examples" || k == "example" {
                    *v = match v {
                        Value::Array(_) => json!(["other"]),
                        Value::Object(_) => json!({}),
                        _ => json!("other"),
                    };
                } else {
                    reword(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(reword),
        _ => {}
    }
}

#[test]
fn equivalent_rewrites_report_nothing() {
    let rewrites: Vec<(&str, Value)> = vec![
        ("JSON instead of YAML", {
            let text = serde_json::to_string_pretty(&upstream()).unwrap();
            arize_ax_spec::parse(&text, "upstream.json").unwrap()
        }),
        ("reordered keys", {
            let mut d = upstream();
            reverse_keys(&mut d);
            d
        }),
        ("reworded descriptions and examples", {
            let mut d = upstream();
            reword(&mut d);
            d
        }),
        ("an inlined $ref", {
            let mut d = upstream();
            let org = d
                .pointer("/components/schemas/Organization")
                .unwrap()
                .clone();
            *d.pointer_mut("/components/responses/Organization/content/application~1json/schema")
                .unwrap() = org;
            let page = d
                .pointer("/components/schemas/PaginationMetadata")
                .unwrap()
                .clone();
            *d.pointer_mut("/components/schemas/ListOrganizationsResponse/properties/pagination")
                .unwrap() = page;
            d
        }),
        ("the 3.0.3 rendering itself", ours()),
        ("3.0 spelling of nullable", {
            let mut d = upstream();
            d.pointer_mut("/components/schemas/UpdateOrganizationRequest/properties/description")
                .unwrap()["type"] = json!("string");
            d.pointer_mut("/components/schemas/UpdateOrganizationRequest/properties/description")
                .unwrap()["nullable"] = json!(true);
            d
        }),
        ("a $ref wrapped in allOf to carry a description", {
            let mut d = upstream();
            let role = d
                .pointer_mut("/components/schemas/AddOrganizationUserRequest/properties/role")
                .unwrap();
            let target = role["$ref"].clone();
            *role = json!({"allOf": [{"$ref": target}], "description": "The role to give."});
            d
        }),
        ("a nullable field as anyOf with null", {
            let mut d = upstream();
            *d.pointer_mut(
                "/components/schemas/UpdateOrganizationRequest/properties/description",
            )
            .unwrap() = json!({
                "anyOf": [{"type": "string", "maxLength": 1000}, {"type": "null"}],
                "description": "New description.",
            });
            d
        }),
        ("a nullable field as allOf with a nullable sibling", {
            let mut d = upstream();
            d.pointer_mut("/components/schemas")
                .unwrap()
                .as_object_mut()
                .unwrap()
                .insert(
                    "Description".into(),
                    json!({"type": "string", "maxLength": 1000}),
                );
            *d.pointer_mut(
                "/components/schemas/UpdateOrganizationRequest/properties/description",
            )
            .unwrap() = json!({
                "allOf": [{"$ref": "#/components/schemas/Description"}],
                "nullable": true,
            });
            d
        }),
    ];
    for (name, doc) in rewrites {
        let report = compare(&ours(), &doc).unwrap();
        assert!(report.is_empty(), "{name}:\n{}", report.to_text());
    }
}

#[test]
fn json_output_has_kind_location_and_change() {
    let report = report_for(|d| {
        props(d, "CreateOrganizationRequest")["name"]["maxLength"] = json!(100);
    });
    let value = serde_json::to_value(&report).unwrap();
    let first = &value.as_array().unwrap()[0];
    assert_eq!(first["kind"], "breaking");
    assert!(
        first["location"]
            .as_str()
            .unwrap()
            .starts_with("create_organization")
    );
    assert!(
        first["change"]
            .as_str()
            .unwrap()
            .contains("maxLength tightened from 255 to 100")
    );
}

#[test]
fn invalid_input_is_an_error() {
    assert!(compare(&ours(), &json!({"swagger": "2.0"})).is_err());
    assert!(compare(&ours(), &json!({"openapi": "3.1.0"})).is_err());
}

/// The spec synced from the vendored document before Arize added the user
/// lifecycle, spaces and strict role requests.
fn synced_before_users_lifecycle() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/synced-before-users-lifecycle.openapi.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The spec synced from revision 2 of the vendored document (our model of
/// Arize's API, before it was checked against the real document).
fn synced_revision_2() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/synced-revision-2.openapi.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn the_user_lifecycle_revision_is_additive_only() {
    let report = compare(&synced_before_users_lifecycle(), &synced_revision_2()).unwrap();
    assert!(!report.has_breaking(), "{}", report.to_text());
    assert_eq!(report.exit_code(false), 0);
    for op in [
        "create_user",
        "update_user",
        "delete_user",
        "resend_user_invitation",
        "reset_user_password",
        "list_spaces",
    ] {
        assert!(
            report.changes.iter().any(|c| c.kind == Kind::Additive
                && c.location == op
                && c.change.contains("new operation")),
            "{op} missing from\n{}",
            report.to_text()
        );
    }
    // The custom role's read-only `name` left the request form: no change.
    assert!(
        !report
            .changes
            .iter()
            .any(|c| c.location.contains("role<CUSTOM>.name")),
        "{}",
        report.to_text()
    );
}

#[test]
fn read_only_request_and_write_only_response_properties_never_count() {
    // A read-only property added to a request schema, or removed from one,
    // is nothing the client sends.
    let added = report_for(|doc| {
        props(doc, "CreateOrganizationRequest")
            .insert("etag".into(), json!({"type": "string", "readOnly": true}));
        required(doc, "CreateOrganizationRequest").push(json!("etag"));
    });
    assert!(added.is_empty(), "{}", added.to_text());
    // A write-only property of a response schema is never received.
    let write_only = report_for(|doc| {
        props(doc, "Organization").insert(
            "secret".into(),
            json!({"type": "string", "writeOnly": true}),
        );
        required(doc, "Organization").push(json!("secret"));
    });
    assert!(write_only.is_empty(), "{}", write_only.to_text());
    // Without the marker the same change is breaking.
    let plain = report_for(|doc| {
        props(doc, "CreateOrganizationRequest").insert("etag".into(), json!({"type": "string"}));
        required(doc, "CreateOrganizationRequest").push(json!("etag"));
    });
    assert!(plain.has_breaking(), "{}", plain.to_text());
}

#[test]
fn the_merged_success_body_of_create_user_is_not_drift() {
    // Ours has one merged schema for 200 and 201; upstream two. Changing a
    // field of the 201 body upstream still shows, at the merged body.
    let changed = report_for(|doc| {
        props(doc, "CreateUserResponse").remove("invite_mode");
        let req = required(doc, "CreateUserResponse");
        req.retain(|r| r != "invite_mode");
    });
    assert!(
        has(
            &changed,
            Kind::Breaking,
            "create_user response 201 .invite_mode"
        ),
        "{}",
        changed.to_text()
    );
}

#[test]
fn success_bodies_that_can_no_longer_be_merged_are_breaking() {
    let report = report_for(|doc| {
        props(doc, "CreateUserResponse").insert("name".into(), json!({"type": "integer"}));
    });
    assert!(
        has(&report, Kind::Breaking, "create_user responses"),
        "{}",
        report.to_text()
    );
}

#[test]
fn read_only_beside_a_reference_counts_as_read_only() {
    let report = report_for(|doc| {
        props(doc, "CreateUserRequest").insert(
            "etag".into(),
            json!({"$ref": "#/components/schemas/Id", "readOnly": true}),
        );
        required(doc, "CreateUserRequest").push(json!("etag"));
    });
    assert!(report.is_empty(), "{}", report.to_text());
}

#[test]
fn success_bodies_that_differ_only_in_wording_still_merge() {
    for wording in [
        json!({"$ref": "#/components/schemas/Id", "deprecated": true}),
        json!({"allOf": [{"$ref": "#/components/schemas/Id"}], "description": "the ID"}),
        json!({"$ref": "#/components/schemas/Id", "examples": ["VXNlcjox"]}),
    ] {
        let mut doc = upstream();
        props(&mut doc, "CreateUserResponse").insert("id".into(), wording.clone());
        let report = compare(&ours(), &doc).unwrap();
        assert!(report.is_empty(), "{wording}: {}", report.to_text());
        arize_ax_spec::to_openapi_30(&doc, &arize_ax_spec::ConvertOptions::default())
            .unwrap_or_else(|e| panic!("{wording}: {e}"));
    }
}

/// Revision 3 of the vendored document, checked against Arize's real one,
/// as `spec drift` reports it against the spec synced from revision 2: each
/// breaking and additive change at its location, and the role-assignment
/// variants (now tagged through a `$ref`ed enum and a discriminator) matched
/// as the same variants.
#[test]
fn revision_3_against_the_spec_synced_from_revision_2() {
    let report = compare(&synced_revision_2(), &upstream()).unwrap();
    let text = report.to_text();
    let breaking = [
        // No response field is required any more.
        "get_organization response 200 .created_at",
        "get_organization response 200 .id",
        "list_organizations response 200 .pagination",
        "list_users response 200 .users[].email",
        "list_spaces response 200 .spaces[].is_private",
        "add_organization_user response 200 .role<CUSTOM>.type",
        "get_user response 404 .title",
        // The create request lost a field the client sent.
        "create_user request body .is_developer",
        // A role value the generated (closed) enum of revision 2 lacked.
        "get_user response 200 .role<PREDEFINED>.name",
    ];
    for location in breaking {
        assert!(
            has(&report, Kind::Breaking, location),
            "{location} not breaking in\n{text}"
        );
    }
    let additive = [
        "create_user request body .role<PREDEFINED>.name",
        "list_spaces response 200 .spaces[].organization_id",
        "list_spaces response 200 .spaces[].default_llm_integration",
        "list_spaces response 200 .spaces[].ml_models_enabled",
    ];
    for location in additive {
        assert!(
            has(&report, Kind::Additive, location),
            "{location} not additive in\n{text}"
        );
    }
    for op in [
        "get_space",
        "create_space",
        "update_space",
        "delete_space",
        "add_space_user",
        "remove_space_user",
        "list_roles",
        "get_role",
        "create_role",
        "update_role",
        "delete_role",
        "list_role_bindings",
        "get_role_binding",
        "create_role_binding",
        "update_role_binding",
        "delete_role_binding",
        "list_api_keys",
        "create_api_key",
        "refresh_api_key",
        "revoke_api_key",
        "list_audit_logs",
        "list_resource_restrictions",
        "create_resource_restriction",
        "delete_resource_restriction",
    ] {
        assert!(
            report.changes.iter().any(|c| c.kind == Kind::Additive
                && c.location == op
                && c.change.contains("new operation")),
            "{op} not a new operation in\n{text}"
        );
    }
    // The same variants, tagged another way: never reported as removed or
    // new, nor by position.
    assert!(!text.contains("variant removed"), "{text}");
    assert!(!text.contains("new variant"), "{text}");
    assert!(!text.contains("<#"), "{text}");
    assert_eq!(report.exit_code(false), 1);
}

/// A discriminated union's branches are matched by the discriminator's
/// mapping, whatever their order and however the tag is typed.
#[test]
fn discriminated_branches_match_by_mapping_not_position() {
    let swapped = report_for(|doc| {
        let union = at(doc, "/components/schemas/OrganizationRoleAssignment/oneOf")
            .as_array_mut()
            .unwrap();
        union.reverse();
    });
    assert!(swapped.is_empty(), "{}", swapped.to_text());
    let new_kind = report_for(|doc| {
        let schemas = at(doc, "/components/schemas").as_object_mut().unwrap();
        schemas.insert(
            "OrganizationGroupRoleAssignment".into(),
            json!({"type": "object", "properties": {
                "type": {"$ref": "#/components/schemas/OrganizationRoleAssignmentType"},
                "group": {"type": "string"}}}),
        );
        let union = at(doc, "/components/schemas/OrganizationRoleAssignment");
        union["oneOf"]
            .as_array_mut()
            .unwrap()
            .push(json!({"$ref": "#/components/schemas/OrganizationGroupRoleAssignment"}));
        union["discriminator"]["mapping"]["GROUP"] =
            json!("#/components/schemas/OrganizationGroupRoleAssignment");
    });
    assert!(
        has(
            &new_kind,
            Kind::Breaking,
            "add_organization_user response 200 .role<GROUP>"
        ),
        "{}",
        new_kind.to_text()
    );
}

/// A branch that loses its tag property is not silently re-tagged: the
/// change shows at the union.
#[test]
fn a_branch_that_loses_its_tag_shows() {
    let report = report_for(|doc| {
        props(doc, "OrganizationCustomRoleAssignment").remove("type");
    });
    assert!(
        has(
            &report,
            Kind::Breaking,
            "add_organization_user response 200 .role<"
        ),
        "{}",
        report.to_text()
    );
}

/// A resource upstream publishes outside the SDK's path prefixes is named,
/// with how many operations it has, and is neither breaking nor additive.
#[test]
fn a_resource_out_of_scope_is_named_not_counted() {
    let report = report_for(|doc| {
        at(doc, "/paths").as_object_mut().unwrap().insert(
            "/v2/widgets".into(),
            json!({
                "get": {"operationId": "list_widgets", "responses": {"200": {"description": "ok"}}},
                "post": {"operationId": "create_widget", "responses": {"201": {"description": "made"}}}
            }),
        );
    });
    let text = report.to_text();
    assert!(report.is_empty(), "{text}");
    assert_eq!(report.exit_code(true), 0);
    assert!(
        text.lines()
            .any(|line| line == "not in scope: /v2/widgets (2 operations)"),
        "{text}"
    );
    assert_eq!(text.matches("not in scope").count(), 1, "{text}");
}

/// The vendored upstream has nothing outside the SDK's scope.
#[test]
fn the_shared_upstream_has_nothing_out_of_scope() {
    let report = compare(&ours(), &upstream()).unwrap();
    assert!(report.out_of_scope.is_empty(), "{:?}", report.out_of_scope);
    assert!(!report.to_text().contains("not in scope"));
}
