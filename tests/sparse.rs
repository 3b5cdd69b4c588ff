//! Sparse answers: Arize's document marks no response field as required, so
//! a server may leave any of them out. Every response body the spec
//! declares decodes into its generated type whole, with each optional field
//! left out (at any depth), and with all of them left out. The instances are
//! generated from the spec (`arize_ax_spec::samples`), not listed by hand.

use std::collections::BTreeSet;

use arize_ax_api::types;
use arize_ax_spec::samples::sparse_samples;
use serde_json::Value;

fn spec() -> Value {
    serde_json::from_str(arize_ax_api::SPEC).unwrap()
}

/// The schema names of every JSON response body of the spec.
fn response_schemas(spec: &Value) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for item in spec["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            for response in op["responses"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(_, r)| r)
            {
                let response = match response["$ref"].as_str() {
                    Some(r) => spec.pointer(r.trim_start_matches('#')).unwrap(),
                    None => response,
                };
                if let Some(name) = response
                    .pointer("/content/application~1json/schema/$ref")
                    .and_then(Value::as_str)
                {
                    names.insert(name.rsplit('/').next().unwrap().to_owned());
                }
            }
        }
    }
    names
}

type Decode = fn(Value) -> Result<(), serde_json::Error>;

fn decode<T: serde::de::DeserializeOwned>(value: Value) -> Result<(), serde_json::Error> {
    serde_json::from_value::<T>(value).map(drop)
}

/// The generated type of each response body. A body the spec adds fails
/// `every_response_body_is_covered` until it is listed here.
const DECODERS: &[(&str, Decode)] = &[
    (
        "CreateApiKeyResponse",
        decode::<arize_ax_api::open::CreateApiKeyResponse>,
    ),
    ("CreateUserSuccess", decode::<types::CreateUserSuccess>),
    ("ListApiKeysResponse", decode::<types::ListApiKeysResponse>),
    (
        "ListAuditLogsResponse",
        decode::<types::ListAuditLogsResponse>,
    ),
    (
        "ListOrganizationsResponse",
        decode::<types::ListOrganizationsResponse>,
    ),
    (
        "ListResourceRestrictionsResponse",
        decode::<types::ListResourceRestrictionsResponse>,
    ),
    (
        "ListRoleBindingsResponse",
        decode::<types::ListRoleBindingsResponse>,
    ),
    ("ListRolesResponse", decode::<types::ListRolesResponse>),
    ("ListSpacesResponse", decode::<types::ListSpacesResponse>),
    ("ListUsersResponse", decode::<types::ListUsersResponse>),
    ("Organization", decode::<types::Organization>),
    (
        "OrganizationMembership",
        decode::<types::OrganizationMembership>,
    ),
    ("Problem", decode::<types::Problem>),
    (
        "RefreshApiKeyResponse",
        decode::<types::RefreshApiKeyResponse>,
    ),
    ("ResourceRestriction", decode::<types::ResourceRestriction>),
    ("Role", decode::<types::Role>),
    ("RoleBinding", decode::<types::RoleBinding>),
    ("Space", decode::<types::Space>),
    ("SpaceMembership", decode::<types::SpaceMembership>),
    ("User", decode::<types::User>),
];

#[test]
fn every_response_body_is_covered() {
    let listed: BTreeSet<String> = DECODERS.iter().map(|(n, _)| (*n).to_owned()).collect();
    assert_eq!(response_schemas(&spec()), listed);
}

#[test]
fn every_response_body_decodes_with_any_optional_field_left_out() {
    let spec = spec();
    let mut checked = 0;
    for (name, decode) in DECODERS {
        let schema = serde_json::json!({"$ref": format!("#/components/schemas/{name}")});
        let samples = sparse_samples(&spec, &schema);
        assert!(samples.len() > 2, "{name}: {samples:?}");
        for sample in samples {
            decode(sample.value.clone()).unwrap_or_else(|e| {
                panic!(
                    "{name} without {:?} does not decode: {e}\n{:#}",
                    sample.removed, sample.value
                )
            });
            checked += 1;
        }
    }
    assert!(checked > 200, "only {checked} samples");
}

#[test]
fn a_custom_assignment_with_only_type_and_id_is_custom() {
    let membership: types::OrganizationMembership =
        serde_json::from_value(serde_json::json!({"role": {"type": "CUSTOM", "id": "Um9sZTox"}}))
            .unwrap();
    assert_eq!(
        membership.role,
        Some(arize_ax_api::open::RoleAssignment::Custom {
            id: "Um9sZTox".into(),
            name: None
        })
    );
    let key: arize_ax_api::open::ApiKey =
        serde_json::from_value(serde_json::json!({"key_type": "ROBOT", "id": "QTox"})).unwrap();
    assert_eq!(key.tag(), Some("ROBOT"));
    assert!(matches!(key, arize_ax_api::open::ApiKey::Other(_)));
    let service: arize_ax_api::open::ApiKey =
        serde_json::from_value(serde_json::json!({"key_type": "SERVICE"})).unwrap();
    assert!(matches!(service, arize_ax_api::open::ApiKey::Service(_)));
    assert_eq!(
        serde_json::to_value(&service).unwrap(),
        serde_json::json!({"key_type": "SERVICE"})
    );
}

#[test]
fn a_permission_this_version_does_not_know_is_kept() {
    let role: types::Role =
        serde_json::from_value(serde_json::json!({"permissions": ["PROJECT_READ", "TIME_TRAVEL"]}))
            .unwrap();
    assert_eq!(
        role.permissions,
        [
            arize_ax_api::open::Permission::ProjectRead,
            arize_ax_api::open::Permission::Other("TIME_TRAVEL".into())
        ]
    );
}

#[test]
fn an_api_key_secret_never_shows_in_debug() {
    let created: arize_ax_api::open::CreateApiKeyResponse = serde_json::from_value(
        serde_json::json!({"key_type": "USER", "key": "ak-live-1234567890", "name": "ci"}),
    )
    .unwrap();
    let shown = format!("{created:?}");
    assert!(!shown.contains("ak-live-1234567890"), "{shown}");
    // Kept whole in `Other` (an unknown kind, or a known kind whose body does
    // not match it): still never shown.
    for body in [
        serde_json::json!({"key_type": "ORG", "key": "ak-live-1234567890"}),
        serde_json::json!({"key_type": "USER", "key": "ak-live-1234567890", "created_at": "soon"}),
        serde_json::json!({"key_type": "SERVICE", "bot_user": {"key": "ak-live-1234567890"}, "id": 7}),
    ] {
        let kept: arize_ax_api::open::CreateApiKeyResponse =
            serde_json::from_value(body.clone()).unwrap();
        assert!(
            matches!(kept, arize_ax_api::open::CreateApiKeyResponse::Other(_)),
            "{body}"
        );
        let shown = format!("{kept:?}");
        assert!(
            !shown.contains("ak-live-1234567890") && shown.contains("***"),
            "{shown}"
        );
        assert_eq!(serde_json::to_value(&kept).unwrap(), body);
    }
    let arize_ax_api::open::CreateApiKeyResponse::User(user) = created else {
        panic!("a user key");
    };
    assert_eq!(user.key.unwrap().expose_secret(), "ak-live-1234567890");
}
