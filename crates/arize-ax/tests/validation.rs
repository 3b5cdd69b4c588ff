//! Bad input is refused before anything is sent.

use arize_ax::{Error, OrgRef, OrgRole};
use httpmock::MockServer;

use crate::support::*;

#[tokio::test]
async fn invalid_input_sends_zero_requests() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200);
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let orgs = client.organizations();
    let long_name = "n".repeat(256);
    let long_description = "d".repeat(1001);
    let results: Vec<(&str, &str, Result<(), Error>)> = vec![
        (
            "list limit 0",
            "limit",
            orgs.list().limit(0).send().await.map(drop),
        ),
        (
            "list limit 101",
            "limit",
            orgs.list().limit(101).send().await.map(drop),
        ),
        (
            "list empty name",
            "name",
            orgs.list().name("").send().await.map(drop),
        ),
        (
            "list empty cursor",
            "cursor",
            orgs.list().cursor(" ").send().await.map(drop),
        ),
        ("get empty", "organization", orgs.get("").await.map(drop)),
        (
            "get whitespace",
            "organization",
            orgs.get("  \t").await.map(drop),
        ),
        (
            "get control",
            "organization",
            orgs.get("a\u{0}b").await.map(drop),
        ),
        (
            "get too long",
            "organization",
            orgs.get(long_name.as_str()).await.map(drop),
        ),
        (
            "get bad id",
            "organization",
            orgs.get(OrgRef::id("not-base64!")).await.map(drop),
        ),
        ("create empty", "name", orgs.create("").await.map(drop)),
        (
            "create whitespace",
            "name",
            orgs.create("   ").await.map(drop),
        ),
        (
            "create too long",
            "name",
            orgs.create(long_name.clone()).await.map(drop),
        ),
        (
            "create control",
            "name",
            orgs.create("a\nb").await.map(drop),
        ),
        (
            "create long description",
            "description",
            orgs.create("ok")
                .description(long_description.clone())
                .await
                .map(drop),
        ),
        (
            "update nothing",
            "update",
            orgs.update(ORG_ID).await.map(drop),
        ),
        (
            "update empty name",
            "name",
            orgs.update(ORG_ID).name("").await.map(drop),
        ),
        (
            "update empty org",
            "organization",
            orgs.update("").name("x").await.map(drop),
        ),
        (
            "delete empty",
            "organization",
            orgs.delete("").await.map(drop),
        ),
        (
            "delete bad id",
            "organization",
            orgs.delete(OrgRef::id("bm9jb2xvbg==")).await.map(drop),
        ),
        (
            "add empty user",
            "user",
            orgs.add_user(ORG_ID, "", OrgRole::Member).await.map(drop),
        ),
        (
            "add bad user id",
            "user",
            orgs.add_user(ORG_ID, "nope", OrgRole::Member)
                .await
                .map(drop),
        ),
        (
            "add empty org",
            "organization",
            orgs.add_user(" ", USER_ID, OrgRole::Member).await.map(drop),
        ),
        (
            "remove empty user",
            "user",
            orgs.remove_user(ORG_ID, " ").await.map(drop),
        ),
        (
            "remove control org",
            "organization",
            orgs.remove_user("\u{1b}[31m", USER_ID).await.map(drop),
        ),
        ("role", "role", "owner".parse::<OrgRole>().map(drop)),
    ];
    for (case, expected_field, result) in results {
        match result {
            Err(Error::InvalidInput { field, reason }) => {
                assert_eq!(field, expected_field, "{case}: {reason}");
                assert!(!reason.is_empty());
            }
            other => panic!("{case}: expected invalid input, got {other:?}"),
        }
    }
    let err = orgs.list().limit(101).send().await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid limit: must be between 1 and 100 (got 101)"
    );
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn the_stream_reports_invalid_input_without_sending() {
    use futures::TryStreamExt;
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200);
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let result: Result<Vec<_>, _> = client
        .organizations()
        .list()
        .limit(0)
        .stream()
        .try_collect()
        .await;
    assert!(matches!(
        result,
        Err(Error::InvalidInput { field: "limit", .. })
    ));
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn the_annotator_rule_is_checked_before_the_write() {
    let server = MockServer::start_async().await;
    let annotator_id = "VXNlcjphbm5vdGF0b3I="; // User:annotator
    server
        .mock_async(|when, then| {
            when.method("GET").path("/v2/users/VXNlcjphbm5vdGF0b3I%3D");
            then.status(200)
                .json_body(user(annotator_id, "a@example.com", "ANNOTATOR"));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method("GET")
                .path(format!("/v2/users/{USER_ID_IN_PATH}"));
            then.status(200)
                .json_body(user(USER_ID, "m@example.com", "MEMBER"));
        })
        .await;
    let post = server
        .mock_async(|when, then| {
            when.method("POST");
            then.status(200);
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let orgs = client.organizations();
    for (user, role) in [
        (annotator_id, OrgRole::Member),
        (USER_ID, OrgRole::Annotator),
    ] {
        let err = orgs.add_user(ORG_ID, user, role.clone()).await.unwrap_err();
        let Error::RoleConstraint(rc) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(rc.user_id, user);
        assert_eq!(rc.requested, role);
        assert!(err.to_string().contains("annotator"), "{err}");
    }
    post.assert_calls_async(0).await;
}
