//! Property-based fuzzing (proptest) of what comes from outside: response
//! decoding, `OrgRef` classification and `OrgRole` parsing. `cargo test`
//! runs a bounded smoke (256 cases each); raise it with e.g.
//! `PROPTEST_CASES=100000 cargo test -p arize-ax --test tests fuzz`.

use arize_ax::{
    OrgRef, OrgRole, Organization, OrganizationMembership, OrganizationsPage, RoleAssignment, is_id,
};
use base64::Engine as _;
use proptest::prelude::*;
use serde_json::{Value, json};

/// Arbitrary JSON values, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,10}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Wire-shaped organizations with arbitrary text and extra fields.
fn org_json() -> impl Strategy<Value = Value> {
    (
        ".{0,40}",
        ".{1,40}",
        ".{0,60}",
        0i64..4_000_000_000,
        prop::collection::btree_map("x_[a-z]{1,8}", any_json(), 0..3),
    )
        .prop_map(|(id, name, description, secs, extra)| {
            let mut v = json!({
                "id": id, "name": name, "description": description,
                "created_at": chrono::DateTime::from_timestamp(secs, 0).unwrap().to_rfc3339(),
            });
            for (k, x) in extra {
                v[k] = x;
            }
            v
        })
}

fn role_json() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(vec![
            "ADMIN",
            "MEMBER",
            "READ_ONLY",
            "ANNOTATOR",
            "OWNER",
            ""
        ])
        .prop_map(|n| json!({"type": "PREDEFINED", "name": n})),
        ("[A-Za-z0-9+/=]{1,20}", proptest::option::of(".{0,20}"))
            .prop_map(|(id, name)| json!({"type": "CUSTOM", "id": id, "name": name})),
        any_json(),
    ]
}

proptest! {
    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = serde_json::from_slice::<Organization>(&bytes);
        let _ = serde_json::from_slice::<OrganizationsPage>(&bytes);
        let _ = serde_json::from_slice::<OrganizationMembership>(&bytes);
        let _ = serde_json::from_slice::<RoleAssignment>(&bytes);
        let _ = serde_json::from_slice::<arize_ax::User>(&bytes);
    }

    #[test]
    fn decoding_arbitrary_json_never_panics(value in any_json()) {
        let _ = serde_json::from_value::<Organization>(value.clone());
        let _ = serde_json::from_value::<OrganizationsPage>(value.clone());
        let _ = serde_json::from_value::<OrganizationMembership>(value.clone());
        // Any JSON is a role assignment this version can keep.
        let role: RoleAssignment = serde_json::from_value(value).unwrap();
        let _ = role.to_string();
    }

    #[test]
    fn wire_organizations_decode_and_round_trip(v in org_json()) {
        let org: Organization = serde_json::from_value(v.clone()).unwrap();
        prop_assert_eq!(&org.name, v["name"].as_str().unwrap());
        let back: Organization = serde_json::from_value(serde_json::to_value(&org).unwrap()).unwrap();
        prop_assert_eq!(back, org);
    }

    #[test]
    fn memberships_with_any_role_decode_and_round_trip(role in role_json()) {
        let v = json!({"id": "a", "user_id": "b", "organization_id": "c", "role": role, "extra": [1]});
        let m: OrganizationMembership = serde_json::from_value(v).unwrap();
        let again: OrganizationMembership = serde_json::from_value(serde_json::to_value(&m).unwrap()).unwrap();
        prop_assert_eq!(again, m);
    }

    #[test]
    fn classification_never_panics_and_follows_the_rule(s in "\\PC{0,64}") {
        let by_rule = base64::engine::general_purpose::STANDARD
            .decode(&s)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .is_some_and(|t| t.contains(':'));
        prop_assert_eq!(is_id(&s), by_rule);
        prop_assert_eq!(matches!(OrgRef::from(s.as_str()), OrgRef::Id(_)), by_rule);
    }

    #[test]
    fn base64_of_text_with_a_colon_is_an_id(kind in "[A-Za-z]{1,20}", key in "\\PC{0,30}") {
        let id = base64::engine::general_purpose::STANDARD.encode(format!("{kind}:{key}"));
        prop_assert!(is_id(&id));
        prop_assert!(matches!(OrgRef::from(id), OrgRef::Id(_)));
    }

    #[test]
    fn role_parsing_never_panics_and_round_trips(s in "\\PC{0,24}") {
        if let Ok(role) = s.parse::<OrgRole>() {
            prop_assert_eq!(role.to_string().parse::<OrgRole>().unwrap(), role.clone());
            if role.custom_id().is_none() {
                prop_assert_eq!(role.wire_name().parse::<OrgRole>().unwrap(), role);
            }
        }
    }

    #[test]
    fn role_spellings_parse_in_any_case(
        role in prop::sample::select(OrgRole::ALL.to_vec()),
        upper in prop::collection::vec(any::<bool>(), 16),
        sep in prop::sample::select(vec!["-", "_", " ", ""]),
    ) {
        let spelled: String = role.as_str().replace('-', sep).chars().zip(upper.iter().cycle())
            .map(|(c, u)| if *u { c.to_ascii_uppercase() } else { c })
            .collect();
        prop_assert_eq!(spelled.parse::<OrgRole>().unwrap(), role);
    }
}
