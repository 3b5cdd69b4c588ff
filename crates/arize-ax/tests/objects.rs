//! Response objects: JSON round trips with the wire names, field lists that
//! match the schemas, forward-compatible roles.

use arize_ax::{
    AccountRole, OrgRole, Organization, OrganizationMembership, OrganizationsPage, Pagination,
    ResponseObject, RoleAssignment, User, UserStatus, UsersPage,
};
use serde_json::{Value, json};

fn org() -> Value {
    json!({"id": "T3JnYW5pemF0aW9uOjE=", "name": "search", "description": "Ranking",
           "created_at": "2025-03-04T09:30:00Z"})
}

fn membership(role: Value) -> Value {
    json!({"id": "TWVtYmVyc2hpcDox", "user_id": "VXNlcjox", "organization_id": "T3JnYW5pemF0aW9uOjE=", "role": role})
}

fn user(role: Value, status: &str) -> Value {
    json!({"id": "VXNlcjox", "name": "Jane", "email": "jane@example.com", "created_at": "2025-01-15T08:00:00Z",
           "status": status, "role": role, "is_developer": true})
}

/// Decodes, encodes and compares with the input (timestamps normalised).
fn round_trip<T: ResponseObject + PartialEq + std::fmt::Debug>(input: Value) -> T {
    let value = T::from_json(input.clone()).unwrap();
    let output = value.to_json();
    assert_eq!(
        normalise(output.clone()),
        normalise(input),
        "wire names and values survive"
    );
    assert_eq!(T::from_json(output).unwrap(), value);
    value
}

fn normalise(mut v: Value) -> Value {
    match &mut v {
        Value::Object(map) => {
            for (k, x) in map.iter_mut() {
                if k == "created_at" {
                    let t = chrono::DateTime::parse_from_rfc3339(x.as_str().unwrap()).unwrap();
                    *x = json!(t.timestamp());
                } else {
                    *x = normalise(x.take());
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|x| *x = normalise(x.take())),
        _ => {}
    }
    v
}

#[test]
fn organizations_pages_and_pagination_round_trip() {
    let o: Organization = round_trip(org());
    assert_eq!(
        o.created_at.unwrap().to_rfc3339(),
        "2025-03-04T09:30:00+00:00"
    );
    let p: OrganizationsPage = round_trip(json!({"organizations": [org(), org()],
        "pagination": {"has_more": true, "next_cursor": "Y3Vyc29yOjI="}}));
    assert_eq!(p.organizations.len(), 2);
    let last: Pagination = round_trip(json!({"has_more": false}));
    assert_eq!(last.next_cursor, None);
}

#[test]
fn memberships_round_trip_with_every_kind_of_role() {
    let cases = [
        (
            json!({"type": "PREDEFINED", "name": "READ_ONLY"}),
            RoleAssignment::Predefined(OrgRole::ReadOnly),
        ),
        (
            json!({"type": "PREDEFINED", "name": "SUPERVISOR"}),
            RoleAssignment::UnknownPredefined("SUPERVISOR".into()),
        ),
        (
            json!({"type": "CUSTOM", "id": "Um9sZTox", "name": "Reviewers"}),
            RoleAssignment::Custom {
                id: "Um9sZTox".into(),
                name: Some("Reviewers".into()),
            },
        ),
        (
            json!({"type": "GROUP", "group": "g"}),
            RoleAssignment::Other(json!({"type": "GROUP", "group": "g"})),
        ),
    ];
    for (role, expected) in cases {
        let m: OrganizationMembership = round_trip(membership(role));
        assert_eq!(m.role, expected);
    }
}

#[test]
fn users_round_trip_including_unknown_account_roles() {
    let u: User = round_trip(user(
        json!({"type": "PREDEFINED", "name": "ANNOTATOR"}),
        "ACTIVE",
    ));
    assert!(u.role.is_annotator());
    assert_eq!(u.status, Some(UserStatus::Active));
    let u: User = round_trip(user(
        json!({"type": "PREDEFINED", "name": "MEMBER_UI_ONLY"}),
        "INVITED",
    ));
    assert_eq!(u.role.name.as_deref(), Some("MEMBER_UI_ONLY"));
    let custom: AccountRole =
        round_trip(json!({"type": "CUSTOM", "id": "Um9sZToy", "name": "Ops"}));
    assert_eq!(custom.label(), "CUSTOM:Ops");
    let u: User = round_trip(user(
        json!({"type": "PREDEFINED", "name": "MEMBER"}),
        "DEACTIVATED",
    ));
    assert_eq!(u.status, Some(UserStatus::Other("DEACTIVATED".into())));
    let page: UsersPage = round_trip(json!({
        "users": [user(json!({"type": "PREDEFINED", "name": "ADMIN"}), "EXPIRED")],
        "pagination": {"has_more": true, "next_cursor": "Y3Vyc29y"},
    }));
    assert_eq!(page.users[0].status, Some(UserStatus::Expired));
}

fn schema_fields<T: ResponseObject>() -> Vec<String> {
    let schema = T::schema();
    let mut names: Vec<String> = schema
        .schema
        .object
        .as_ref()
        .unwrap()
        .properties
        .keys()
        .cloned()
        .collect();
    names.sort();
    names
}

fn sorted(fields: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = fields.iter().map(|s| (*s).to_owned()).collect();
    v.sort();
    v
}

#[test]
fn field_lists_match_the_json_schemas() {
    assert_eq!(
        schema_fields::<Organization>(),
        sorted(Organization::FIELDS)
    );
    assert_eq!(schema_fields::<Pagination>(), sorted(Pagination::FIELDS));
    assert_eq!(
        schema_fields::<OrganizationsPage>(),
        sorted(OrganizationsPage::FIELDS)
    );
    assert_eq!(
        schema_fields::<OrganizationMembership>(),
        sorted(OrganizationMembership::FIELDS)
    );
    assert_eq!(schema_fields::<User>(), sorted(User::FIELDS));
    assert_eq!(schema_fields::<UsersPage>(), sorted(UsersPage::FIELDS));
    assert_eq!(schema_fields::<AccountRole>(), sorted(AccountRole::FIELDS));
    // And with what the serialised value actually carries.
    let o = Organization::from_json(org()).unwrap().to_json();
    let keys: Vec<&str> = o.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, Organization::FIELDS);
}

#[test]
fn the_role_schema_describes_the_wire_shape() {
    let schema = schemars::schema_for!(RoleAssignment);
    let props = &schema.schema.object.as_ref().unwrap().properties;
    let keys: Vec<&String> = props.keys().collect();
    assert_eq!(keys, ["id", "name", "type"]);
}

#[test]
fn page_schemas_describe_their_items() {
    use arize_ax::{OrganizationsPage, ResponseObject, SpacesPage, UsersPage};
    let described = [
        (
            serde_json::to_value(OrganizationsPage::schema()).unwrap(),
            "organizations",
        ),
        (serde_json::to_value(UsersPage::schema()).unwrap(), "users"),
        (
            serde_json::to_value(SpacesPage::schema()).unwrap(),
            "spaces",
        ),
    ];
    for (schema, field) in described {
        assert_eq!(
            schema["properties"][field]["description"],
            format!("The {field} on this page."),
            "{schema}"
        );
    }
}
