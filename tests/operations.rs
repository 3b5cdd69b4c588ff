//! Wire-level tests of all nine generated operations against httpmock: the
//! exact request (method, encoded path, query, body, headers) and the decoding
//! of every declared response, successes and problem+json errors alike.

use arize_ax_api::mock::MockServerExt;
use arize_ax_api::transport::Transport;
use arize_ax_api::{Client, Error, open, types};
use httpmock::MockServer;
use serde_json::{Value, json};

/// Real-looking IDs whose base64 contains `+`, `/` and `=`.
/// `Organization:a~~~?~`, `User:~~~?~`, `OrganizationMembership:~~~?~`.
const ORG_ID: &str = "T3JnYW5pemF0aW9uOmF+fn4/fg==";
const ORG_ID_IN_PATH: &str = "T3JnYW5pemF0aW9uOmF%2Bfn4%2Ffg%3D%3D";
const USER_ID: &str = "VXNlcjp+fn4/fg==";
const USER_ID_IN_PATH: &str = "VXNlcjp%2Bfn4%2Ffg%3D%3D";
const MEMBERSHIP_ID: &str = "T3JnYW5pemF0aW9uTWVtYmVyc2hpcDp+fn4/fg==";
const KEY: &str = "test-key-123";

fn client(server: &MockServer) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        format!("Bearer {KEY}").parse().unwrap(),
    );
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    Client::new_with_client(&server.base_url(), http, Transport::default())
}

fn org_json() -> Value {
    json!({
        "id": ORG_ID,
        "name": "Search Relevance",
        "description": "Ranking and retrieval experiments",
        "created_at": "2025-03-04T09:30:00Z"
    })
}

fn org() -> types::Organization {
    serde_json::from_value(org_json()).unwrap()
}

fn user_json() -> Value {
    json!({
        "id": USER_ID,
        "name": "Jane Doe",
        "email": "jane.doe@example.com",
        "created_at": "2025-01-15T08:00:00Z",
        "status": "ACTIVE",
        "role": {"type": "PREDEFINED", "name": "MEMBER"},
        "is_developer": true
    })
}

fn problem(status: u16) -> Value {
    json!({
        "type": "https://arize.com/docs/ax/rest-reference/errors#x",
        "title": format!("title {status}"),
        "status": status,
        "detail": format!("detail {status}"),
        "instance": "/v2/organizations"
    })
}

/// Checks an error is the declared problem body for `status`.
fn assert_problem<T: std::fmt::Debug>(result: Result<T, Error<types::Problem>>, status: u16) {
    match result {
        Err(Error::ErrorResponse(response)) => {
            assert_eq!(response.status().as_u16(), status);
            assert_eq!(response.status, Some(status as i64));
            assert_eq!(response.title, Some(format!("title {status}")));
            assert_eq!(
                response.detail.as_deref(),
                Some(format!("detail {status}").as_str())
            );
            assert_eq!(response.instance.as_deref(), Some("/v2/organizations"));
        }
        other => panic!("expected a problem for {status}, got {other:?}"),
    }
}

async fn problem_server(method: httpmock::Method, path: &str, status: u16) -> MockServer {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(method).path(path);
            then.status(status)
                .header("content-type", "application/problem+json")
                .json_body(problem(status));
        })
        .await;
    server
}

#[tokio::test]
async fn list_organizations_sends_filters_and_decodes_the_page() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/v2/organizations")
                .query_param("name", "search")
                .query_param("limit", "25")
                .query_param("cursor", "b3JnLWN1cnNvci0y")
                .header("authorization", format!("Bearer {KEY}"))
                .header("accept", "application/json");
            then.status(200).json_body(json!({
                "organizations": [org_json()],
                "pagination": {"has_more": true, "next_cursor": "next+/="}
            }));
        })
        .await;
    let page = client(&server)
        .list_organizations()
        .name("search")
        .limit(std::num::NonZeroU64::new(25).unwrap())
        .cursor("b3JnLWN1cnNvci0y")
        .send()
        .await
        .unwrap()
        .into_inner();
    mock.assert_async().await;
    assert_eq!(page.organizations, vec![org()]);
    let pagination = page.pagination.unwrap();
    assert_eq!(pagination.has_more, Some(true));
    assert_eq!(pagination.next_cursor.as_deref(), Some("next+/="));
}

#[tokio::test]
async fn list_organizations_without_filters_sends_no_query() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/v2/organizations")
                .query_param_missing("name")
                .query_param_missing("limit")
                .query_param_missing("cursor");
            then.status(200)
                .json_body(json!({"organizations": [], "pagination": {"has_more": false}}));
        })
        .await;
    let page = client(&server).list_organizations().send().await.unwrap();
    mock.assert_async().await;
    assert!(page.organizations.is_empty());
    assert_eq!(page.pagination.as_ref().unwrap().next_cursor, None);
}

#[tokio::test]
async fn create_organization_posts_the_body_and_decodes_201() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/v2/organizations")
                .header("content-type", "application/json")
                .header("authorization", format!("Bearer {KEY}"))
                .json_body(json!({"name": "Search Relevance", "description": "Ranking and retrieval experiments"}));
            then.status(201).json_body(org_json());
        })
        .await;
    let body = types::CreateOrganizationRequest {
        name: "Search Relevance".parse().unwrap(),
        description: Some("Ranking and retrieval experiments".parse().unwrap()),
    };
    let response = client(&server)
        .create_organization()
        .body(body)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(response.into_inner(), org());
}

#[tokio::test]
async fn create_organization_rejects_an_overlong_name_before_sending() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(201).json_body(org_json());
        })
        .await;
    let too_long = "x".repeat(256);
    let err = client(&server)
        .create_organization()
        .body_map(|b| b.name(too_long.as_str()))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    mock.assert_calls_async(0).await;
}

#[tokio::test]
async fn get_organization_encodes_the_id_as_one_segment() {
    let server = MockServer::start_async().await;
    // Typed helpers from the `mock` feature: `then.ok` takes the generated type.
    let mock = server.get_organization(|when, then| {
        let when = when
            .into_inner()
            .path(format!("/v2/organizations/{ORG_ID_IN_PATH}"));
        let _ = when;
        then.ok(&org());
    });
    let got = client(&server)
        .get_organization()
        .org_id(ORG_ID.to_string())
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(got.into_inner(), org());
}

#[tokio::test]
async fn update_organization_patches_only_the_given_fields() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("PATCH")
                .path(format!("/v2/organizations/{ORG_ID_IN_PATH}"))
                .json_body(json!({"description": ""}));
            then.status(200).json_body(org_json());
        })
        .await;
    let got = client(&server)
        .update_organization()
        .org_id(ORG_ID.to_string())
        .body_map(|b| {
            b.description(
                "".parse::<types::UpdateOrganizationRequestDescription>()
                    .unwrap(),
            )
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(got.into_inner(), org());
}

/// A tri-state field: left out, sent as `null` (clear), or set.
#[tokio::test]
async fn update_organization_sends_null_to_clear_and_nothing_to_keep() {
    let server = MockServer::start_async().await;
    let clear = server
        .mock_async(|when, then| {
            when.method("PATCH")
                .path(format!("/v2/organizations/{ORG_ID_IN_PATH}"))
                .json_body(json!({"description": null}));
            then.status(200).json_body(org_json());
        })
        .await;
    let keep = server
        .mock_async(|when, then| {
            when.method("PATCH")
                .path(format!("/v2/organizations/{ORG_ID_IN_PATH}"))
                .json_body(json!({"name": "renamed"}));
            then.status(200).json_body(org_json());
        })
        .await;
    client(&server)
        .update_organization()
        .org_id(ORG_ID.to_string())
        .body_map(|b| b.description(open::Patch::Clear))
        .send()
        .await
        .unwrap();
    client(&server)
        .update_organization()
        .org_id(ORG_ID.to_string())
        .body_map(|b| b.name(Some("renamed".parse().unwrap())))
        .send()
        .await
        .unwrap();
    clear.assert_async().await;
    keep.assert_async().await;
}

#[tokio::test]
async fn delete_organization_decodes_204_without_a_body() {
    let server = MockServer::start_async().await;
    let mock = server.delete_organization(|when, then| {
        let _ = when
            .into_inner()
            .path(format!("/v2/organizations/{ORG_ID_IN_PATH}"));
        then.no_content();
    });
    let response = client(&server)
        .delete_organization()
        .org_id(ORG_ID.to_string())
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status().as_u16(), 204);
}

#[tokio::test]
async fn add_organization_user_posts_the_role_assignment() {
    let server = MockServer::start_async().await;
    let membership = json!({
        "id": MEMBERSHIP_ID,
        "user_id": USER_ID,
        "organization_id": ORG_ID,
        "role": {"type": "PREDEFINED", "name": "READ_ONLY"}
    });
    let mock = server
        .mock_async(|when, then| {
            when.method("POST")
                .path(format!("/v2/organizations/{ORG_ID_IN_PATH}/users"))
                .json_body(json!({"user_id": USER_ID, "role": {"type": "PREDEFINED", "name": "READ_ONLY"}}));
            then.status(200).json_body(membership.clone());
        })
        .await;
    let role = types::OrganizationPredefinedRoleAssignmentRequest {
        name: open::OrganizationRole::ReadOnly,
        type_: types::OrganizationPredefinedRoleAssignmentRequestType::Predefined,
    }
    .into();
    let got = client(&server)
        .add_organization_user()
        .org_id(ORG_ID.to_string())
        .body(types::AddOrganizationUserRequest {
            user_id: types::Id(USER_ID.into()),
            role,
        })
        .send()
        .await
        .unwrap()
        .into_inner();
    mock.assert_async().await;
    assert_eq!(serde_json::to_value(&got).unwrap(), membership);
}

#[tokio::test]
async fn remove_organization_user_encodes_both_ids() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("DELETE").path(format!(
                "/v2/organizations/{ORG_ID_IN_PATH}/users/{USER_ID_IN_PATH}"
            ));
            then.status(204);
        })
        .await;
    let response = client(&server)
        .remove_organization_user()
        .org_id(ORG_ID.to_string())
        .user_id(USER_ID.to_string())
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status().as_u16(), 204);
}

#[tokio::test]
async fn list_users_repeats_the_status_parameter() {
    let server = MockServer::start_async().await;
    let statuses = vec![open::UserStatus::Active, open::UserStatus::Invited];
    let mock = server.list_users(|when, then| {
        when.email(&"jane@example.com".parse::<types::ListUsersEmail>().unwrap())
            .limit(std::num::NonZeroU64::new(100))
            .status(&statuses)
            .cursor(None);
        then.ok(&serde_json::from_value(json!({
            "users": [user_json()],
            "pagination": {"has_more": false}
        }))
        .unwrap());
    });
    let page = client(&server)
        .list_users()
        .email("jane@example.com")
        .limit(std::num::NonZeroU64::new(100).unwrap())
        .status(statuses.clone())
        .send()
        .await
        .unwrap()
        .into_inner();
    mock.assert_async().await;
    assert_eq!(page.users.len(), 1);
    assert_eq!(serde_json::to_value(&page.users[0]).unwrap(), user_json());
}

#[tokio::test]
async fn get_user_decodes_a_user() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("GET")
                .path(format!("/v2/users/{USER_ID_IN_PATH}"));
            then.status(200).json_body(user_json());
        })
        .await;
    let user = client(&server)
        .get_user()
        .user_id(USER_ID.to_string())
        .send()
        .await
        .unwrap()
        .into_inner();
    mock.assert_async().await;
    assert_eq!(user.email.unwrap().0, "jane.doe@example.com");
    assert_eq!(user.status, Some(open::UserStatus::Active));
}

/// Every declared error status of every operation decodes into `Problem`.
#[tokio::test]
async fn every_declared_error_status_decodes_as_problem() {
    use httpmock::Method::{DELETE, GET, PATCH, POST};
    let org_path = format!("/v2/organizations/{ORG_ID_IN_PATH}");
    let users_path = format!("{org_path}/users");
    let member_path = format!("{org_path}/users/{USER_ID_IN_PATH}");
    let user_path = format!("/v2/users/{USER_ID_IN_PATH}");
    let create_body = || types::CreateOrganizationRequest {
        name: "n".parse().unwrap(),
        description: None,
    };
    let add_body = || types::AddOrganizationUserRequest {
        user_id: types::Id(USER_ID.into()),
        role: types::OrganizationPredefinedRoleAssignmentRequest {
            name: open::OrganizationRole::Member,
            type_: types::OrganizationPredefinedRoleAssignmentRequestType::Predefined,
        }
        .into(),
    };

    for status in [400, 401, 403, 429] {
        let s = problem_server(GET, "/v2/organizations", status).await;
        assert_problem(client(&s).list_organizations().send().await, status);
    }
    for status in [400, 401, 403, 409, 422, 429] {
        let s = problem_server(POST, "/v2/organizations", status).await;
        assert_problem(
            client(&s)
                .create_organization()
                .body(create_body())
                .send()
                .await,
            status,
        );
    }
    for status in [400, 401, 404, 429] {
        let s = problem_server(GET, &org_path, status).await;
        assert_problem(
            client(&s)
                .get_organization()
                .org_id(ORG_ID.to_string())
                .send()
                .await,
            status,
        );
    }
    for status in [400, 401, 403, 404, 409, 422, 429] {
        let s = problem_server(PATCH, &org_path, status).await;
        let c = client(&s);
        let call = c
            .update_organization()
            .org_id(ORG_ID.to_string())
            .body_map(|b| b.name(Some("x".parse().unwrap())));
        assert_problem(call.send().await, status);
    }
    for status in [400, 401, 403, 404, 429] {
        let s = problem_server(DELETE, &org_path, status).await;
        assert_problem(
            client(&s)
                .delete_organization()
                .org_id(ORG_ID.to_string())
                .send()
                .await,
            status,
        );
    }
    for status in [400, 401, 403, 404, 422, 429] {
        let s = problem_server(POST, &users_path, status).await;
        let c = client(&s);
        let call = c
            .add_organization_user()
            .org_id(ORG_ID.to_string())
            .body(add_body());
        assert_problem(call.send().await, status);
    }
    for status in [400, 401, 403, 404, 429] {
        let s = problem_server(DELETE, &member_path, status).await;
        let c = client(&s);
        let call = c
            .remove_organization_user()
            .org_id(ORG_ID.to_string())
            .user_id(USER_ID.to_string());
        assert_problem(call.send().await, status);
    }
    for status in [400, 401, 403, 429] {
        let s = problem_server(GET, "/v2/users", status).await;
        assert_problem(client(&s).list_users().send().await, status);
    }
    for status in [400, 401, 404, 429] {
        let s = problem_server(GET, &user_path, status).await;
        assert_problem(
            client(&s)
                .get_user()
                .user_id(USER_ID.to_string())
                .send()
                .await,
            status,
        );
    }
}

#[tokio::test]
async fn an_undeclared_status_is_an_unexpected_response() {
    let server = problem_server(httpmock::Method::GET, "/v2/organizations", 503).await;
    match client(&server).list_organizations().send().await {
        Err(Error::UnexpectedResponse(response)) => assert_eq!(response.status().as_u16(), 503),
        other => panic!("expected UnexpectedResponse, got {other:?}"),
    }
}
