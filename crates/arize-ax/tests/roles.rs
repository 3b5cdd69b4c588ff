//! Roles on the wire: the listing kept per client for names, create with
//! exist_ok, update by read-modify-write, predefined roles refused, delete.

use arize_ax::{Error, Kind, Removal};
use httpmock::MockServer;
use serde_json::{Value, json};

use crate::support::*;

/// `Role:9012`: no padding, so the ID is its own path segment.
const ROLE_ID: &str = "Um9sZTo5MDEy";
/// `Role:1234`.
const OTHER_ID: &str = "Um9sZToxMjM0";
/// `Role:admn`: a predefined role.
const ADMIN_ID: &str = "Um9sZTphZG1u";

fn role(id: &str, name: &str, permissions: &[&str], predefined: bool) -> Value {
    json!({
        "id": id, "name": name, "permissions": permissions, "is_predefined": predefined,
        "created_at": "2025-05-10T09:00:00Z", "updated_at": "2025-05-10T09:00:00Z"
    })
}

fn curator() -> Value {
    role(
        ROLE_ID,
        "Dataset Curator",
        &["PROJECT_READ", "DATASET_READ"],
        false,
    )
}

fn admin() -> Value {
    role(ADMIN_ID, "Admin", &["ROLE_READ"], true)
}

fn roles_page(roles: Vec<Value>) -> Value {
    json!({"roles": roles, "pagination": {"has_more": false}})
}

#[tokio::test]
async fn list_sends_is_predefined_and_decodes_a_sparse_page() {
    let server = MockServer::start_async().await;
    let custom = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/v2/roles")
                .query_param("is_predefined", "false")
                .query_param("limit", "10");
            then.status(200)
                .json_body(json!({"roles": [{"id": ROLE_ID, "name": "Dataset Curator"}]}));
        })
        .await;
    let predefined = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/v2/roles")
                .query_param("is_predefined", "true");
            then.status(200).json_body(roles_page(vec![admin()]));
        })
        .await;
    let both = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/v2/roles")
                .query_param_missing("is_predefined");
            then.status(200)
                .json_body(roles_page(vec![admin(), curator()]));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let page = client
        .roles()
        .list()
        .custom()
        .limit(10)
        .send()
        .await
        .unwrap();
    assert_eq!(page.roles.len(), 1);
    assert_eq!(page.roles[0].name, "Dataset Curator");
    assert!(page.roles[0].permissions.is_empty());
    assert!(!page.pagination.has_more);
    let page = client.roles().list().predefined().await.unwrap();
    assert!(page.roles[0].is_predefined);
    let all: Vec<arize_ax::Role> =
        futures::TryStreamExt::try_collect(client.roles().list().stream())
            .await
            .unwrap();
    assert_eq!(all.len(), 2);
    custom.assert_async().await;
    predefined.assert_async().await;
    both.assert_async().await;
}

#[tokio::test]
async fn names_are_looked_up_in_one_listing_per_client() {
    let server = MockServer::start_async().await;
    let listing = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/v2/roles")
                .query_param("limit", "100");
            then.status(200)
                .json_body(roles_page(vec![admin(), curator()]));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let first = client.roles().get("Dataset Curator").await.unwrap();
    assert_eq!(first.id, ROLE_ID);
    // A clone shares the listing; resolve_id is free on repeat.
    let clone = client.clone();
    assert_eq!(clone.roles().get("Admin").await.unwrap().id, ADMIN_ID);
    assert_eq!(
        clone.roles().resolve_id("Dataset Curator").await.unwrap(),
        ROLE_ID
    );
    // An ID needs no look-up at all.
    assert_eq!(client.roles().resolve_id(OTHER_ID).await.unwrap(), OTHER_ID);
    assert_eq!(listing.calls_async().await, 1);
    // Exact and case-sensitive.
    let err = client.roles().get("dataset curator").await.unwrap_err();
    assert!(
        matches!(&err, Error::NotFound(nf) if nf.kind == Kind::Role),
        "{err:?}"
    );
    assert!(err.to_string().contains("\"Dataset Curator\""), "{err}");
    // Not in the kept listing: looked for once more, then not found.
    assert_eq!(listing.calls_async().await, 2);
}

#[tokio::test]
async fn a_name_missing_from_the_kept_listing_is_refreshed_once() {
    let server = MockServer::start_async().await;
    let old = server
        .mock_async(|when, then| {
            when.method("GET").path("/v2/roles");
            then.status(200).json_body(roles_page(vec![admin()]));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    client.roles().get("Admin").await.unwrap();
    assert_eq!(old.calls_async().await, 1);
    old.delete_async().await;
    // Another admin creates a role.
    let new = server
        .mock_async(|when, then| {
            when.method("GET").path("/v2/roles");
            then.status(200)
                .json_body(roles_page(vec![admin(), curator()]));
        })
        .await;
    let found = client.roles().get("Dataset Curator").await.unwrap();
    assert_eq!(found.id, ROLE_ID);
    assert_eq!(new.calls_async().await, 1);
    // And now it is kept.
    client.roles().get("Dataset Curator").await.unwrap();
    assert_eq!(new.calls_async().await, 1);
}

#[tokio::test]
async fn two_roles_of_one_name_are_ambiguous() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET").path("/v2/roles");
            then.status(200).json_body(roles_page(vec![
                curator(),
                role(OTHER_ID, "Dataset Curator", &["PROJECT_READ"], false),
            ]));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let err = client.roles().get("Dataset Curator").await.unwrap_err();
    let Error::Ambiguous(a) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(a.kind, Kind::Role);
    assert_eq!(a.ids, [ROLE_ID, OTHER_ID]);
}

#[tokio::test]
async fn create_sends_the_normalised_permissions() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST").path("/v2/roles").json_body(json!({
                "name": "Dataset Curator",
                "description": "Reads projects and manages datasets.",
                "permissions": ["PROJECT_READ", "DATASET_READ"]
            }));
            then.status(201).json_body(curator());
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let created = client
        .roles()
        .create("Dataset Curator")
        .description("Reads projects and manages datasets.")
        .permissions(["project_read", "Dataset-Read", "PROJECT_READ"])
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(created.id, ROLE_ID);
}

#[tokio::test]
async fn bad_input_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|_, then| {
            then.status(500);
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let roles = client.roles();
    let cases: Vec<(arize_ax::Result<arize_ax::Role>, &str, &str)> = vec![
        (
            roles.create("r").permissions(["PROJECT_RAED"]).await,
            "permissions",
            "did you mean PROJECT_READ?",
        ),
        (roles.create("r").await, "permissions", "at least one"),
        (
            roles.create("").permissions(["PROJECT_READ"]).await,
            "name",
            "empty",
        ),
        (
            roles.create("a\u{7}b").permissions(["PROJECT_READ"]).await,
            "name",
            "control",
        ),
        (
            roles
                .create("x".repeat(256))
                .permissions(["PROJECT_READ"])
                .await,
            "name",
            "at most 255",
        ),
        (
            roles
                .create("curator<1>")
                .permissions(["PROJECT_READ"])
                .await,
            "name",
            "'<' is not allowed",
        ),
        (
            roles
                .create("r")
                .permissions(["PROJECT_READ"])
                .description("d".repeat(1001))
                .await,
            "description",
            "at most 1000",
        ),
        (roles.update(ROLE_ID).await, "update", "at least one"),
        (
            roles.update(arize_ax::RoleRef::id("nope")).name("x").await,
            "role",
            "not a valid ID",
        ),
        (
            roles
                .update(ROLE_ID)
                .permissions(["PROJECT_READ"])
                .add_permissions(["DATASET_READ"])
                .await,
            "permissions",
            "not both",
        ),
        (
            roles
                .update(ROLE_ID)
                .add_permissions(["DATASET_READ"])
                .remove_permissions(["dataset-read"])
                .await,
            "permissions",
            "both added and removed",
        ),
        (
            roles.update(ROLE_ID).add_permissions(["DATSET_READ"]).await,
            "permissions",
            "did you mean DATASET_READ?",
        ),
        (
            roles
                .update(ROLE_ID)
                .permissions(Vec::<String>::new())
                .await,
            "permissions",
            "at least one",
        ),
    ];
    for (i, (result, field, rule)) in cases.into_iter().enumerate() {
        match result {
            Err(Error::InvalidInput { field: f, reason }) => {
                assert_eq!(f, field, "case {i}: {reason}");
                assert!(reason.contains(rule), "case {i}: {reason}");
            }
            other => panic!("case {i}: {other:?}"),
        }
    }
    assert_eq!(any.calls_async().await, 0);
}

#[tokio::test]
async fn exist_ok_succeeds_when_the_permissions_match() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method("POST").path("/v2/roles");
            then.status(409).json_body(problem(409, "role name taken"));
        })
        .await;
    let listing = server
        .mock_async(|when, then| {
            when.method("GET").path("/v2/roles");
            then.status(200)
                .json_body(roles_page(vec![admin(), curator()]));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let got = client
        .roles()
        .create("Dataset Curator")
        .permissions(["DATASET_READ", "PROJECT_READ"])
        .exist_ok(true)
        .await
        .unwrap();
    assert_eq!(got.id, ROLE_ID);
    assert_eq!(create.calls_async().await, 1);
    assert_eq!(listing.calls_async().await, 1);

    let err = client
        .roles()
        .create("Dataset Curator")
        .permissions(["PROJECT_READ", "DATASET_CREATE"])
        .exist_ok(true)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(409));
    let text = err.to_string();
    assert!(text.contains("missing DATASET_CREATE"), "{text}");
    assert!(text.contains("extra DATASET_READ"), "{text}");
    assert!(!text.contains("choose another name;"), "{text}");
    // A create drops the kept listing, so the second 409 listed afresh.
    assert_eq!(listing.calls_async().await, 2);
}

#[tokio::test]
async fn a_lost_create_answer_may_have_created_the_role() {
    let server = Scripted::start(vec![Reply::json(502, problem(502, "bad gateway"))]).await;
    let (client, _) = client_for(&server.base_url);
    let err = client
        .roles()
        .create("Dataset Curator")
        .permissions(["PROJECT_READ"])
        .await
        .unwrap_err();
    assert_eq!(server.count(), 1, "a create is not retried");
    match &err {
        Error::MaybeCreated { kind, name, .. } => {
            assert_eq!(*kind, Kind::Role);
            assert_eq!(name, "Dataset Curator");
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("Roles::get"), "{err}");
}

#[tokio::test]
async fn add_permissions_reads_then_writes_the_whole_set() {
    let server = MockServer::start_async().await;
    let get = server
        .mock_async(|when, then| {
            when.method("GET").path(format!("/v2/roles/{ROLE_ID}"));
            then.status(200).json_body(curator());
        })
        .await;
    let patch = server
        .mock_async(|when, then| {
            when.method("PATCH")
                .path(format!("/v2/roles/{ROLE_ID}"))
                .json_body(json!({"permissions": ["DATASET_READ", "DATASET_DELETE"]}));
            then.status(200).json_body(role(
                ROLE_ID,
                "Dataset Curator",
                &["DATASET_READ", "DATASET_DELETE"],
                false,
            ));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let updated = client
        .roles()
        .update(ROLE_ID)
        .add_permissions(["dataset_delete", "DATASET_READ"])
        .remove_permissions(["PROJECT_READ"])
        .await
        .unwrap();
    assert_eq!(updated.permissions.len(), 2);
    assert_eq!(get.calls_async().await, 1);
    assert_eq!(patch.calls_async().await, 1);
}

#[tokio::test]
async fn update_sends_the_set_fields_and_null_to_clear() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET").path(format!("/v2/roles/{ROLE_ID}"));
            then.status(200).json_body(curator());
        })
        .await;
    let patch = server
        .mock_async(|when, then| {
            when.method("PATCH")
                .path(format!("/v2/roles/{ROLE_ID}"))
                .json_body(
                    json!({"name": "Curator", "description": null, "permissions": ["ROLE_READ"]}),
                );
            then.status(200).json_body(curator());
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    client
        .roles()
        .update(ROLE_ID)
        .name("Curator")
        .clear_description()
        .permissions(["role-read"])
        .await
        .unwrap();
    patch.assert_async().await;
}

#[tokio::test]
async fn predefined_roles_are_neither_changed_nor_deleted() {
    let server = MockServer::start_async().await;
    let get = server
        .mock_async(|when, then| {
            when.method("GET").path(format!("/v2/roles/{ADMIN_ID}"));
            then.status(200).json_body(admin());
        })
        .await;
    let listing = server
        .mock_async(|when, then| {
            when.method("GET").path("/v2/roles");
            then.status(200).json_body(roles_page(vec![admin()]));
        })
        .await;
    let writes = server
        .mock_async(|when, then| {
            when.method_not("GET");
            then.status(500);
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    for err in [
        client.roles().update(ADMIN_ID).name("x").await.unwrap_err(),
        client
            .roles()
            .update("Admin")
            .add_permissions(["USER_READ"])
            .await
            .unwrap_err(),
        client.roles().delete(ADMIN_ID).await.unwrap_err(),
        client.roles().delete("Admin").await.unwrap_err(),
    ] {
        assert!(err.is_invalid_input(), "{err:?}");
        assert!(err.to_string().contains("predefined"), "{err}");
    }
    assert_eq!(writes.calls_async().await, 0);
    // Two reads by ID, and the second name's confirmation: a write by name
    // reads the role a kept (older) listing names before acting on it.
    assert_eq!(get.calls_async().await, 3);
    assert_eq!(listing.calls_async().await, 1);
}

#[tokio::test]
async fn deleting_a_bound_role_says_to_delete_its_bindings() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET").path(format!("/v2/roles/{ROLE_ID}"));
            then.status(200).json_body(curator());
        })
        .await;
    let delete = server
        .mock_async(|when, then| {
            when.method("DELETE").path(format!("/v2/roles/{ROLE_ID}"));
            then.status(409).json_body(problem(409, "role is in use"));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let err = client.roles().delete(ROLE_ID).await.unwrap_err();
    assert_eq!(delete.calls_async().await, 1);
    assert_eq!(err.status(), Some(409));
    let text = err.to_string();
    assert!(text.contains("role bindings first"), "{text}");
    assert!(text.contains("/v2/role-bindings"), "{text}");
    assert!(!text.contains("choose another name"), "{text}");
}

#[tokio::test]
async fn a_404_after_a_lost_delete_answer_means_done() {
    let server = Scripted::start(vec![
        Reply::json(200, curator()),
        Reply::json(502, problem(502, "bad gateway")),
        Reply::json(404, problem(404, "no such role")),
    ])
    .await;
    let (client, _) = client_for(&server.base_url);
    let removal = client.roles().delete(ROLE_ID).await.unwrap();
    assert_eq!(removal, Removal::DoneByLostAttempt);
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn a_write_drops_the_kept_listing() {
    let server = MockServer::start_async().await;
    let listing = server
        .mock_async(|when, then| {
            when.method("GET").path("/v2/roles");
            then.status(200)
                .json_body(roles_page(vec![admin(), curator()]));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method("PATCH").path(format!("/v2/roles/{ROLE_ID}"));
            then.status(200).json_body(curator());
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    client
        .roles()
        .update("Dataset Curator")
        .description("new")
        .await
        .unwrap();
    assert_eq!(listing.calls_async().await, 1);
    client.roles().get("Dataset Curator").await.unwrap();
    assert_eq!(listing.calls_async().await, 2);
}

#[tokio::test]
async fn look_ups_at_once_share_one_listing() {
    let server = MockServer::start_async().await;
    let listing = server
        .mock_async(|when, then| {
            when.method("GET").path("/v2/roles");
            then.status(200)
                .delay(std::time::Duration::from_millis(50))
                .json_body(roles_page(vec![admin(), curator()]));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let roles = client.roles();
    let ids = futures::future::try_join_all((0..8).map(|i| {
        roles.resolve_id(if i % 2 == 0 {
            "Admin"
        } else {
            "Dataset Curator"
        })
    }))
    .await
    .unwrap();
    assert_eq!(ids[0], ADMIN_ID);
    assert_eq!(ids[1], ROLE_ID);
    assert_eq!(listing.calls_async().await, 1);
}
