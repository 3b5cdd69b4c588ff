//! DataFrame conversions (feature `polars`): values and dtypes.
#![cfg(feature = "polars")]

use arize_ax::{
    Organization, OrganizationMembership, OrganizationsPage, ResponseObject, ToDataFrame,
    organizations_dataframe,
};
use polars::prelude::*;
use serde_json::json;

fn names(df: &DataFrame) -> Vec<String> {
    df.get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect()
}

fn strings(df: &DataFrame, column: &str) -> Vec<Option<String>> {
    let ca = df.column(column).unwrap().str().unwrap().clone();
    (0..ca.len())
        .map(|i| ca.get(i).map(str::to_owned))
        .collect()
}

fn orgs() -> Vec<Organization> {
    (1..=3)
        .map(|i| {
            Organization::from_json(json!({
                "id": format!("T3JnYW5pemF0aW9uOj{i}="), "name": format!("org-{i}"),
                "description": if i == 2 { "" } else { "text" },
                "created_at": format!("2025-03-0{i}T09:30:00.123456Z"),
            }))
            .unwrap()
        })
        .collect()
}

#[test]
fn organizations_have_typed_columns() {
    let df = orgs().to_dataframe().unwrap();
    assert_eq!(df.shape(), (3, 4));
    assert_eq!(names(&df), ["id", "name", "description", "created_at"]);
    for name in ["id", "name", "description"] {
        assert_eq!(
            df.column(name).unwrap().dtype(),
            &DataType::String,
            "{name}"
        );
    }
    assert_eq!(
        df.column("created_at").unwrap().dtype(),
        &DataType::Datetime(TimeUnit::Microseconds, Some(TimeZone::UTC))
    );
    assert_eq!(
        strings(&df, "name"),
        [
            Some("org-1".into()),
            Some("org-2".into()),
            Some("org-3".into())
        ]
    );
    let created = df
        .column("created_at")
        .unwrap()
        .datetime()
        .unwrap()
        .physical()
        .get(1)
        .unwrap();
    assert_eq!(created, orgs()[1].created_at.unwrap().timestamp_micros());
    assert_eq!(
        df.column("description").unwrap().str().unwrap().get(1),
        Some("")
    );
}

#[test]
fn a_page_an_iterator_and_one_object_convert_alike() {
    let page = OrganizationsPage::from_json(json!({
        "organizations": orgs().iter().map(|o| o.to_json()).collect::<Vec<_>>(),
        "pagination": {"has_more": false}
    }))
    .unwrap();
    let from_page = page.to_dataframe().unwrap();
    let from_iter = organizations_dataframe(orgs().iter().filter(|o| !o.name.is_empty())).unwrap();
    assert!(from_page.equals(&from_iter));
    assert_eq!(orgs()[0].to_dataframe().unwrap().height(), 1);
    assert_eq!(
        Vec::<Organization>::new().to_dataframe().unwrap().shape(),
        (0, 4)
    );
}

#[test]
fn memberships_flatten_the_role() {
    let ms: Vec<OrganizationMembership> = [
        json!({"type": "PREDEFINED", "name": "ADMIN"}),
        json!({"type": "CUSTOM", "id": "Um9sZTox", "name": "Reviewers"}),
        json!({"type": "PREDEFINED", "name": "FUTURE_ROLE"}),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, role)| {
        OrganizationMembership::from_json(json!({
            "id": format!("m{i}"), "user_id": format!("u{i}"), "organization_id": "o", "role": role
        }))
        .unwrap()
    })
    .collect();
    let df = ms.to_dataframe().unwrap();
    assert_eq!(
        names(&df),
        [
            "id",
            "user_id",
            "organization_id",
            "role_type",
            "role_name",
            "role_id"
        ]
    );
    for name in names(&df) {
        assert_eq!(
            df.column(&name).unwrap().dtype(),
            &DataType::String,
            "{name}"
        );
    }
    let col = |name: &str| strings(&df, name);
    assert_eq!(
        col("role_type"),
        [
            Some("PREDEFINED".into()),
            Some("CUSTOM".into()),
            Some("PREDEFINED".into())
        ]
    );
    assert_eq!(
        col("role_name"),
        [
            Some("ADMIN".into()),
            Some("Reviewers".into()),
            Some("FUTURE_ROLE".into())
        ]
    );
    assert_eq!(col("role_id"), [None, Some("Um9sZTox".into()), None]);
}

#[test]
fn users_flatten_the_account_role_and_keep_unknown_statuses() {
    let page = arize_ax::UsersPage::from_json(json!({
        "users": [
            {"id": "VXNlcjox", "name": "Ann", "email": "ann@example.com",
             "created_at": "2025-03-04T09:30:00Z", "status": "INVITED",
             "role": {"type": "PREDEFINED", "name": "ANNOTATOR"}, "is_developer": false},
            {"id": "VXNlcjoy", "name": "Cy", "email": "cy@example.com",
             "created_at": "2025-03-05T09:30:00Z", "status": "SUSPENDED",
             "role": {"type": "CUSTOM", "id": "Um9sZTox", "name": "Ops"}, "is_developer": true},
        ],
        "pagination": {"has_more": false},
    }))
    .unwrap();
    let df = page.to_dataframe().unwrap();
    assert_eq!(
        names(&df),
        [
            "id",
            "name",
            "email",
            "created_at",
            "status",
            "role_type",
            "role_name",
            "role_id",
            "is_developer"
        ]
    );
    assert_eq!(df.shape(), (2, 9));
    assert_eq!(
        strings(&df, "status"),
        [Some("INVITED".into()), Some("SUSPENDED".into())]
    );
    assert_eq!(strings(&df, "role_id"), [None, Some("Um9sZTox".into())]);
    assert_eq!(
        strings(&df, "role_name"),
        [Some("ANNOTATOR".into()), Some("Ops".into())]
    );
    assert_eq!(
        df.column("is_developer").unwrap().dtype(),
        &DataType::Boolean
    );
    assert!(matches!(
        df.column("created_at").unwrap().dtype(),
        DataType::Datetime(TimeUnit::Microseconds, Some(_))
    ));
    assert_eq!(page.users.to_dataframe().unwrap(), df);
    assert_eq!(page.users[1].to_dataframe().unwrap().shape(), (1, 9));
}
