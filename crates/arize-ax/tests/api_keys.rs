//! API keys on the wire: an answer that cannot be read never shows its
//! secret and counts as a rotation; a space member (no SERVICE_KEY_READ)
//! can still make a service key.

use arize_ax::Error;
use httpmock::MockServer;
use serde_json::json;

use crate::support::*;

/// `ApiKey:5151`.
const KEY_ID: &str = "QXBpS2V5OjUxNTE=";
const SECRET: &str = "ak-91c0b2d3e4f5a6b7c8d9e0f1a2b3c4aa";

#[tokio::test]
async fn a_refresh_answer_that_cannot_be_read_never_shows_its_secret() {
    let server = MockServer::start_async().await;
    // 200, with one field of the wrong type: the key rotated, and the body
    // holds the new secret.
    let refresh = server
        .mock_async(|when, then| {
            when.method("POST").path_includes("/refresh");
            then.status(200).json_body(json!({
                "id": KEY_ID, "key": SECRET, "key_type": "USER", "status": "ACTIVE",
                "last_used_at": 17
            }));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let err = client.api_keys().refresh(KEY_ID).await.unwrap_err();
    assert!(matches!(err, Error::RefreshLost { .. }), "{err:?}");
    assert_eq!(
        refresh.calls_async().await,
        1,
        "an unreadable success would come again: not repeated"
    );
    let shown = format!("{err} {err:#} {err:?}");
    assert!(!shown.contains(SECRET), "{shown}");
    if let Error::RefreshLost { source, .. } = &err {
        let inner = format!("{source} {source:?}");
        assert!(!inner.contains(SECRET), "{inner}");
        assert!(
            inner.contains("***") || inner.contains("withheld"),
            "{inner}"
        );
    }
}

#[tokio::test]
async fn a_space_member_can_make_a_service_key_without_reading_the_space_s_keys() {
    let server = MockServer::start_async().await;
    let space = "U3BhY2U6MTIzNDU=";
    server
        .mock_async(|when, then| {
            when.method("GET")
                .path(format!("/v2/spaces/{}", "U3BhY2U6MTIzNDU%3D"));
            then.status(200).json_body(json!({
                "id": space, "name": "ranking", "organization_id": ORG_ID
            }));
        })
        .await;
    let listing = server
        .mock_async(|when, then| {
            when.method("GET").path("/v2/api-keys");
            then.status(403)
                .json_body(problem(403, "SERVICE_KEY_READ is needed"));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method("POST").path("/v2/api-keys");
            then.status(201).json_body(json!({
                "id": KEY_ID, "name": "nightly", "key_type": "SERVICE", "key": SECRET,
                "bot_user": {"id": USER_ID}
            }));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let issued = client
        .api_keys()
        .create_service("nightly")
        .space(space, arize_ax::SpaceRole::Member)
        .await
        .unwrap();
    assert_eq!(issued.key.id, KEY_ID);
    assert_eq!(issued.secret.expose_secret(), SECRET);
    assert_eq!(listing.calls_async().await, 1);
}

#[tokio::test]
async fn an_error_body_that_echoes_a_secret_is_never_shown() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("PUT").path_includes("/revoke");
            then.status(400).body(format!("bad request: key={SECRET}"));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method("GET").path("/v2/api-keys");
            then.status(500)
                .json_body(json!([{"id": KEY_ID, "key": SECRET}]));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let refused = client.api_keys().revoke(KEY_ID).await.unwrap_err();
    let failed = client.api_keys().list().send().await.unwrap_err();
    for err in [refused, failed] {
        let shown = format!("{err} {err:#} {err:?}");
        assert!(!shown.contains(SECRET), "{shown}");
    }
}
