//! The checked-in spec is exactly what the conversion program makes of the
//! vendored upstream document, and the embedded metadata matches it.

use std::path::PathBuf;

fn upstream_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(arize_ax_spec::VENDORED_UPSTREAM)
}

#[test]
fn checked_in_spec_is_reproduced_byte_for_byte_from_upstream() {
    let upstream = upstream_path();
    let derived = arize_ax_spec::derive_file(&upstream, &arize_ax_spec::ConvertOptions::default())
        .expect("the upstream spec converts");
    if derived != arize_ax_api::SPEC {
        let first_difference = derived
            .lines()
            .zip(arize_ax_api::SPEC.lines())
            .position(|(a, b)| a != b)
            .map_or_else(|| "length".to_owned(), |i| format!("line {}", i + 1));
        panic!(
            "openapi/ differs from the conversion of {} (first difference: {first_difference}); \
             run `cargo run -p arize-ax-cli -- spec sync` and commit the result",
            upstream.display()
        );
    }
}

#[test]
fn embedded_spec_is_openapi_3_0_3_with_every_admin_operation() {
    let doc: serde_json::Value = serde_json::from_str(arize_ax_api::SPEC).unwrap();
    assert_eq!(doc["openapi"], "3.0.3");
    let mut ids: Vec<&str> = arize_ax_api::OPERATIONS.iter().map(|op| op.id).collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        [
            "add_organization_user",
            "add_space_user",
            "create_api_key",
            "create_organization",
            "create_resource_restriction",
            "create_role",
            "create_role_binding",
            "create_space",
            "create_user",
            "delete_organization",
            "delete_resource_restriction",
            "delete_role",
            "delete_role_binding",
            "delete_space",
            "delete_user",
            "get_organization",
            "get_role",
            "get_role_binding",
            "get_space",
            "get_user",
            "list_api_keys",
            "list_audit_logs",
            "list_organizations",
            "list_resource_restrictions",
            "list_role_bindings",
            "list_roles",
            "list_spaces",
            "list_users",
            "refresh_api_key",
            "remove_organization_user",
            "remove_space_user",
            "resend_user_invitation",
            "reset_user_password",
            "revoke_api_key",
            "update_organization",
            "update_role",
            "update_role_binding",
            "update_space",
            "update_user",
        ]
    );
}

#[test]
fn operation_table_carries_method_path_and_stage_from_the_spec() {
    use arize_ax_api::{Stage, operation};
    let cases = [
        (
            "list_organizations",
            "GET",
            "/v2/organizations",
            Stage::Alpha,
        ),
        (
            "create_organization",
            "POST",
            "/v2/organizations",
            Stage::Alpha,
        ),
        (
            "get_organization",
            "GET",
            "/v2/organizations/{org_id}",
            Stage::Alpha,
        ),
        (
            "update_organization",
            "PATCH",
            "/v2/organizations/{org_id}",
            Stage::Alpha,
        ),
        (
            "delete_organization",
            "DELETE",
            "/v2/organizations/{org_id}",
            Stage::Alpha,
        ),
        (
            "add_organization_user",
            "POST",
            "/v2/organizations/{org_id}/users",
            Stage::Alpha,
        ),
        (
            "remove_organization_user",
            "DELETE",
            "/v2/organizations/{org_id}/users/{user_id}",
            Stage::Alpha,
        ),
        ("list_users", "GET", "/v2/users", Stage::Beta),
        ("get_user", "GET", "/v2/users/{user_id}", Stage::Beta),
        ("create_user", "POST", "/v2/users", Stage::Beta),
        ("update_user", "PATCH", "/v2/users/{user_id}", Stage::Beta),
        ("delete_user", "DELETE", "/v2/users/{user_id}", Stage::Beta),
        (
            "resend_user_invitation",
            "POST",
            "/v2/users/{user_id}/resend-invitation",
            Stage::Beta,
        ),
        (
            "reset_user_password",
            "POST",
            "/v2/users/{user_id}/reset-password",
            Stage::Beta,
        ),
        ("list_spaces", "GET", "/v2/spaces", Stage::Beta),
    ];
    for (id, method, path, stage) in cases {
        let op = operation(id).unwrap_or_else(|| panic!("{id} missing"));
        assert_eq!(
            (op.method, op.path, op.stage),
            (method, path, stage),
            "{id}"
        );
    }
    assert!(operation("list_projects").is_none());
    use arize_ax_api::Idempotency::*;
    for (id, idempotency) in [
        ("create_user", NotIdempotent),
        ("update_user", Idempotent),
        ("delete_user", Idempotent),
        ("resend_user_invitation", NotIdempotent),
        ("reset_user_password", NotIdempotent),
        ("list_spaces", Safe),
        ("add_space_user", Idempotent),
        ("create_space", NotIdempotent),
        ("create_api_key", NotIdempotent),
        ("refresh_api_key", NotIdempotent),
        ("revoke_api_key", Idempotent),
        ("create_resource_restriction", Idempotent),
    ] {
        assert_eq!(operation(id).unwrap().idempotency, idempotency, "{id}");
    }
}

#[test]
fn create_user_has_one_success_type_for_both_statuses() {
    let doc: serde_json::Value = serde_json::from_str(arize_ax_api::SPEC).unwrap();
    let responses = &doc["paths"]["/v2/users"]["post"]["responses"];
    for status in ["200", "201"] {
        assert_eq!(
            responses[status]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/CreateUserSuccess",
            "{status}"
        );
    }
    let merged = &doc["components"]["schemas"]["CreateUserSuccess"];
    // The document requires no response field, so neither does the merge.
    // (OpenAPI 3.0 has no empty `required`: the key is left out.)
    assert!(merged.get("required").is_none(), "{}", merged["required"]);
    assert!(merged["properties"]["email"].is_object());
    assert!(merged["properties"]["temporary_password"].is_object());
}
