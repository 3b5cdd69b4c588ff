//! Every error status maps to `Error::Api` with the problem details, and no
//! error shows the key.

use arize_ax::{ApiErrorKind, Error, OrgRole};
use httpmock::MockServer;

use crate::support::*;

#[tokio::test]
async fn every_status_carries_problem_details_and_a_hint() {
    let cases = [
        (400, ApiErrorKind::BadRequest, "rejected the input"),
        (401, ApiErrorKind::Unauthorized, "ARIZE_API_KEY"),
        (403, ApiErrorKind::Forbidden, "permission"),
        (404, ApiErrorKind::NotFound, "check the name or ID"),
        (409, ApiErrorKind::Conflict, "another name"),
        (422, ApiErrorKind::Unprocessable, "rejected the input"),
        (429, ApiErrorKind::RateLimited, "rate limited"),
        (500, ApiErrorKind::Server, "server failed"),
    ];
    for (status, kind, hint) in cases {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.method("POST").path("/v2/organizations");
                then.status(status)
                    .header("content-type", "application/problem+json")
                    .header("retry-after", "7")
                    .json_body(problem(status, "the server's own words"));
            })
            .await;
        let (client, _) = client_for(&server.base_url());
        let client = if status == 429 {
            // No retry, to see the error itself.
            arize_ax::Client::builder()
                .api_key(KEY)
                .base_url(server.base_url())
                .retry(arize_ax::RetryPolicy::none())
                .prerelease_warning(false)
                .build()
                .unwrap()
        } else {
            client
        };
        let err = match client.organizations().create("n").await.unwrap_err() {
            // A server error leaves open whether the create took effect.
            Error::MaybeCreated { name, source, .. } if status >= 500 => {
                assert_eq!(name, "n");
                *source
            }
            err => {
                assert!(status < 500, "{status}: {err:?}");
                err
            }
        };
        mock.assert_calls_async(1).await;
        let Error::Api(api) = &err else {
            panic!("{status}: {err:?}")
        };
        assert_eq!(api.status, status);
        assert_eq!(api.kind(), kind);
        assert_eq!(api.operation, "organizations.create");
        let p = api.problem.as_ref().expect("problem details");
        assert_eq!(p.title.as_deref(), Some(format!("Title {status}").as_str()));
        assert_eq!(p.detail.as_deref(), Some("the server's own words"));
        assert_eq!(p.status, Some(status));
        assert_eq!(p.instance.as_deref(), Some("/v2/organizations"));
        assert!(p.type_.as_deref().unwrap().starts_with("https://"));
        assert_eq!(api.retry_after, Some(std::time::Duration::from_secs(7)));
        let text = err.to_string();
        assert!(text.contains("the server's own words"), "{text}");
        assert!(text.contains(hint), "{status}: {text}");
        assert!(text.contains(&status.to_string()), "{text}");
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.is_not_found(), status == 404);
    }
}

#[tokio::test]
async fn a_non_problem_error_body_is_kept_as_a_snippet() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(403).body("<html>denied by proxy</html>");
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let err = client.organizations().get(ORG_ID).await.unwrap_err();
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.problem, None);
    assert_eq!(
        api.body_snippet.as_deref(),
        Some("<html>denied by proxy</html>")
    );
    assert!(err.to_string().contains("denied by proxy"));
}

#[tokio::test]
async fn malformed_and_empty_bodies_are_decode_errors_with_a_snippet() {
    for (body, expect) in [("{\"id\": \"x\", \"na", "EOF while parsing"), ("", "empty")] {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.any_request();
                then.status(200).body(body);
            })
            .await;
        let (client, _) = client_for(&server.base_url());
        let err = client.organizations().get(ORG_ID).await.unwrap_err();
        let Error::Decode(decode) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(decode.snippet, body);
        assert_eq!(decode.expected, "Organization");
        // The decoder's own words are the cause, reachable through source().
        let mut chain = err.to_string();
        let mut cause = std::error::Error::source(&err);
        while let Some(c) = cause {
            assert!(!chain.contains(&c.to_string()), "printed twice: {chain}");
            chain.push_str(&format!(": {c}"));
            cause = c.source();
        }
        assert!(chain.contains(expect), "{chain}");
    }
}

#[tokio::test]
async fn the_key_never_appears_in_errors() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(401).json_body(problem(401, "bad key"));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let errors = vec![
        client.organizations().get(ORG_ID).await.unwrap_err(),
        client
            .organizations()
            .add_user(ORG_ID, USER_ID, OrgRole::Admin)
            .await
            .unwrap_err(),
        // Transport error: nothing listens on port 9 of loopback.
        client_for("http://127.0.0.1:9")
            .0
            .organizations()
            .get(ORG_ID)
            .await
            .unwrap_err(),
    ];
    for err in errors {
        for text in [err.to_string(), format!("{err:?}"), format!("{err:#}")] {
            assert!(!text.contains(KEY), "key leaked: {text}");
        }
    }
    assert!(!format!("{client:?}").contains(KEY));
}

#[tokio::test]
async fn an_answer_past_the_body_cap_is_a_decode_error_naming_the_cap() {
    let server = httpmock::MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET").path("/v2/organizations");
            then.status(200)
                .header("content-type", "application/json")
                .body(format!(
                    r#"{{"organizations": [], "pad": "{}"}}"#,
                    "x".repeat(8192)
                ));
        })
        .await;
    let client = arize_ax::Client::builder()
        .api_key("k")
        .base_url(server.base_url())
        .prerelease_warning(false)
        .max_body_size(4096)
        .build()
        .unwrap();
    let err = client.organizations().list().send().await.unwrap_err();
    let arize_ax::Error::Decode(decode) = &err else {
        panic!("expected a decode error, got {err:?}");
    };
    assert!(decode.reason.contains("cap of 4096 bytes"), "{err}");
    assert!(decode.reason.contains("took effect"), "{err}");
    assert!(err.to_string().contains("organizations.list"), "{err}");
}
