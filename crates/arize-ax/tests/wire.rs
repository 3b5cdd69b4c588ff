//! The exact request every call puts on the wire, and what it decodes.

use arize_ax::{OrgRole, RoleAssignment};
use httpmock::MockServer;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn list_sends_filters_identity_headers_and_decodes_a_page() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/v2/organizations")
                .query_param("name", "my-org")
                .query_param("limit", "50")
                .query_param("cursor", "c+/=")
                .header("authorization", format!("Bearer {KEY}"))
                .header("accept", "application/json")
                .header("sdk-language", "rust")
                .header("sdk-version", env!("CARGO_PKG_VERSION"))
                .header("sdk-package-name", "arize-ax")
                .header_exists("language-version")
                .header(
                    "user-agent",
                    format!("arize-ax-rust/{}", env!("CARGO_PKG_VERSION")),
                );
            then.status(200)
                .json_body(page(vec![org(ORG_ID, "my-org")], Some("next")));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let page = client
        .organizations()
        .list()
        .name("my-org")
        .limit(50)
        .cursor("c+/=")
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(page.organizations.len(), 1);
    assert_eq!(page.organizations[0].id, ORG_ID);
    assert_eq!(page.organizations[0].name, "my-org");
    assert!(page.pagination.has_more);
    assert_eq!(page.pagination.next_cursor.as_deref(), Some("next"));
}

#[tokio::test]
async fn list_builder_can_be_awaited_directly() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/v2/organizations")
                .query_param_missing("limit");
            then.status(200).json_body(page(vec![], None));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let page = client.organizations().list().await.unwrap();
    mock.assert_async().await;
    assert!(page.organizations.is_empty() && !page.pagination.has_more);
}

#[tokio::test]
async fn create_posts_name_and_description() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/v2/organizations")
                .header("content-type", "application/json")
                .json_body(
                    json!({"name": "my-organization", "description": "Optional description"}),
                );
            then.status(201).json_body(org(ORG_ID, "my-organization"));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let created = client
        .organizations()
        .create("my-organization")
        .description("Optional description")
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(created.id, ORG_ID);
}

#[tokio::test]
async fn create_without_description_sends_only_the_name() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/v2/organizations")
                .json_body(json!({"name": "n"}));
            then.status(201).json_body(org(ORG_ID, "n"));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    client.organizations().create("n").await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn get_by_id_keeps_the_id_one_encoded_segment() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("GET")
                .path(format!("/v2/organizations/{ORG_ID_IN_PATH}"));
            then.status(200).json_body(org(ORG_ID, "x"));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let got = client.organizations().get(ORG_ID).await.unwrap();
    mock.assert_async().await;
    assert_eq!(got.id, ORG_ID);
}

#[tokio::test]
async fn update_sends_only_set_fields_and_null_to_clear_the_description() {
    let server = MockServer::start_async().await;
    let rename = server
        .mock_async(|when, then| {
            when.method("PATCH")
                .path(format!("/v2/organizations/{ORG_ID_IN_PATH}"))
                .json_body(json!({"name": "new-name", "description": "new"}));
            then.status(200).json_body(org(ORG_ID, "new-name"));
        })
        .await;
    let clear = server
        .mock_async(|when, then| {
            when.method("PATCH")
                .path(format!("/v2/organizations/{ORG_ID_IN_PATH}"))
                .json_body(json!({"description": null}));
            then.status(200).json_body(org(ORG_ID, "new-name"));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let orgs = client.organizations();
    let updated = orgs
        .update(ORG_ID)
        .name("new-name")
        .description("new")
        .send()
        .await
        .unwrap();
    assert_eq!(updated.name, "new-name");
    orgs.update(ORG_ID).clear_description().await.unwrap();
    rename.assert_async().await;
    clear.assert_async().await;
}

#[tokio::test]
async fn delete_by_id_sends_one_delete() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("DELETE")
                .path(format!("/v2/organizations/{ORG_ID_IN_PATH}"));
            then.status(204);
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    client.organizations().delete(ORG_ID).await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn add_user_by_id_looks_up_the_account_role_then_posts() {
    let server = MockServer::start_async().await;
    let lookup = server
        .mock_async(|when, then| {
            when.method("GET")
                .path(format!("/v2/users/{USER_ID_IN_PATH}"));
            then.status(200)
                .json_body(user(USER_ID, "jane@example.com", "MEMBER"));
        })
        .await;
    let post = server
        .mock_async(|when, then| {
            when.method("POST")
                .path(format!("/v2/organizations/{ORG_ID_IN_PATH}/users"))
                .json_body(json!({"user_id": USER_ID, "role": {"type": "PREDEFINED", "name": "READ_ONLY"}}));
            then.status(200).json_body(json!({
                "id": "T3JnTWVtYmVyc2hpcDox", "user_id": USER_ID, "organization_id": ORG_ID,
                "role": {"type": "PREDEFINED", "name": "READ_ONLY"}
            }));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let m = client
        .organizations()
        .add_user(ORG_ID, USER_ID, OrgRole::ReadOnly)
        .await
        .unwrap();
    lookup.assert_async().await;
    post.assert_async().await;
    assert_eq!(m.role, RoleAssignment::Predefined(OrgRole::ReadOnly));
    assert_eq!(
        (m.user_id.as_str(), m.organization_id.as_str()),
        (USER_ID, ORG_ID)
    );
}

#[tokio::test]
async fn add_user_skip_role_check_sends_only_the_post() {
    let server = MockServer::start_async().await;
    let lookup = server
        .mock_async(|when, then| {
            when.method("GET").path_prefix("/v2/users");
            then.status(500);
        })
        .await;
    let post = server
        .mock_async(|when, then| {
            when.method("POST")
                .path(format!("/v2/organizations/{ORG_ID_IN_PATH}/users"));
            then.status(200).json_body(json!({
                "id": "T3JnTWVtYmVyc2hpcDox", "user_id": USER_ID, "organization_id": ORG_ID,
                "role": {"type": "PREDEFINED", "name": "ADMIN"}
            }));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    client
        .organizations()
        .add_user(ORG_ID, USER_ID, OrgRole::Admin)
        .skip_role_check()
        .await
        .unwrap();
    lookup.assert_calls_async(0).await;
    post.assert_async().await;
}

#[tokio::test]
async fn add_user_by_email_resolves_exactly_ignoring_case() {
    let server = MockServer::start_async().await;
    let users = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/v2/users")
                .query_param("email", "Jane@Example.com")
                .query_param("limit", "100");
            then.status(200).json_body(json!({
                "users": [
                    user("VXNlcjox", "jane@example.com.au", "MEMBER"),
                    user(USER_ID, "jane@example.com", "MEMBER")
                ],
                "pagination": {"has_more": false}
            }));
        })
        .await;
    let post = server
        .mock_async(|when, then| {
            when.method("POST")
                .path(format!("/v2/organizations/{ORG_ID_IN_PATH}/users"))
                .json_body(
                    json!({"user_id": USER_ID, "role": {"type": "PREDEFINED", "name": "MEMBER"}}),
                );
            then.status(200).json_body(json!({
                "id": "T3JnTWVtYmVyc2hpcDox", "user_id": USER_ID, "organization_id": ORG_ID,
                "role": {"type": "PREDEFINED", "name": "MEMBER"}
            }));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    client
        .organizations()
        .add_user(ORG_ID, "Jane@Example.com", OrgRole::Member)
        .await
        .unwrap();
    users.assert_async().await;
    post.assert_async().await;
}

#[tokio::test]
async fn remove_user_encodes_both_ids() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("DELETE").path(format!(
                "/v2/organizations/{ORG_ID_IN_PATH}/users/{USER_ID_IN_PATH}"
            ));
            then.status(204);
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    client
        .organizations()
        .remove_user(ORG_ID, USER_ID)
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn unknown_fields_and_custom_or_unknown_roles_decode() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("POST")
                .path(format!("/v2/organizations/{ORG_ID_IN_PATH}/users"));
            then.status(200).json_body(json!({
                "id": "T3JnTWVtYmVyc2hpcDox", "user_id": USER_ID, "organization_id": ORG_ID,
                "role": {"type": "CUSTOM", "id": "Um9sZTox", "name": "Reviewers"},
                "granted_by": "someone", "extra": {"nested": [1, 2]}
            }));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let m = client
        .organizations()
        .add_user(ORG_ID, USER_ID, OrgRole::Member)
        .skip_role_check()
        .await
        .unwrap();
    assert_eq!(
        m.role,
        RoleAssignment::Custom {
            id: "Um9sZTox".into(),
            name: Some("Reviewers".into())
        }
    );
}

#[tokio::test]
async fn stream_follows_cursors_one_page_at_a_time() {
    use futures::TryStreamExt;
    let server = MockServer::start_async().await;
    let first = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/v2/organizations")
                .query_param("limit", "2")
                .query_param_missing("cursor");
            then.status(200).json_body(page(
                vec![org(&org_id(1), "a"), org(&org_id(2), "b")],
                Some("p2"),
            ));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/v2/organizations")
                .query_param("cursor", "p2");
            then.status(200)
                .json_body(page(vec![org(&org_id(3), "c")], None));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let mut stream = client.organizations().list().limit(2).stream();
    let head = stream.try_next().await.unwrap().unwrap();
    assert_eq!(head.name, "a");
    // Only the first page has been fetched so far.
    first.assert_calls_async(1).await;
    second.assert_calls_async(0).await;
    let rest: Vec<String> = stream.map_ok(|o| o.name).try_collect().await.unwrap();
    assert_eq!(rest, ["b", "c"]);
    second.assert_calls_async(1).await;
}

#[tokio::test]
async fn stream_stops_on_a_repeated_cursor() {
    use futures::TryStreamExt;
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET").path("/v2/organizations");
            then.status(200)
                .json_body(page(vec![org(&org_id(1), "a")], Some("same")));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let result: Result<Vec<_>, _> = client.organizations().list().stream().try_collect().await;
    let err = result.unwrap_err();
    assert!(err.to_string().contains("twice"), "{err}");
}

#[tokio::test]
async fn a_caller_supplied_http_client_still_sends_key_identity_and_timeout() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("GET")
                .path(format!("/v2/organizations/{ORG_ID_IN_PATH}"))
                .header("authorization", format!("Bearer {KEY}"))
                .header("sdk-package-name", "arize-ax")
                .header("sdk-language", "rust");
            then.status(200)
                .json_body(org(ORG_ID, "x"))
                .delay(std::time::Duration::from_millis(600));
        })
        .await;
    let client = arize_ax::Client::builder()
        .api_key(KEY)
        .base_url(server.base_url())
        .http_client(reqwest::Client::new())
        .prerelease_warning(false)
        .build()
        .unwrap();
    client.organizations().get(ORG_ID).await.unwrap();
    mock.assert_async().await;

    let impatient = arize_ax::Client::builder()
        .api_key(KEY)
        .base_url(server.base_url())
        .http_client(reqwest::Client::new())
        .timeout(std::time::Duration::from_millis(100))
        .retry(arize_ax::RetryPolicy::none())
        .prerelease_warning(false)
        .build()
        .unwrap();
    let err = impatient.organizations().get(ORG_ID).await.unwrap_err();
    assert!(
        matches!(&err, arize_ax::Error::Transport(t) if t.is_timeout),
        "{err:?}"
    );
}
