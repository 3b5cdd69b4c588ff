//! The transport every generated call runs through, as raw-client users get
//! it: identity headers, no retries by default, retries by idempotency when
//! asked, and error bodies that are not problem JSON made decodable.

use std::time::Duration;

use arize_ax_api::transport::{self, NON_PROBLEM_BODY, RetryPolicy, Transport};
use arize_ax_api::{Client, Error, types};
use httpmock::MockServer;
use serde_json::json;

const ORG_ID: &str = "T3JnYW5pemF0aW9uOmF+fn4/fg==";

fn client(server: &MockServer, transport: Transport) -> Client {
    Client::new(&server.base_url(), transport)
}

fn quick_retries() -> RetryPolicy {
    RetryPolicy::default().initial_backoff(Duration::from_millis(1))
}

#[tokio::test]
async fn by_default_a_request_is_sent_once_with_identity_headers() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/v2/organizations")
                .header("authorization", "Bearer k")
                .header("sdk-language", "rust")
                .header("sdk-package-name", "arize-ax-api")
                .header_exists("sdk-version")
                .header_exists("language-version");
            then.status(503).body("busy");
        })
        .await;
    let raw = client(&server, Transport::default().bearer("k"));
    let (result, report) = transport::observe(raw.list_organizations().send()).await;
    assert!(result.is_err());
    mock.assert_calls_async(1).await;
    assert_eq!(report.attempts, 1);
}

#[tokio::test]
async fn asked_to_retry_it_retries_what_is_safe_to_repeat_only() {
    let server = MockServer::start_async().await;
    let reads = server
        .mock_async(|when, then| {
            when.method("GET").path("/v2/organizations");
            then.status(503);
        })
        .await;
    let creates = server
        .mock_async(|when, then| {
            when.method("POST").path("/v2/organizations");
            then.status(502);
        })
        .await;
    let raw = client(&server, Transport::default().retry(quick_retries()));
    let (_, report) = transport::observe(raw.list_organizations().send()).await;
    assert_eq!(report.attempts, 3);
    reads.assert_calls_async(3).await;
    let body = types::CreateOrganizationRequest {
        name: "n".parse().unwrap(),
        description: None,
    };
    let (_, report) = transport::observe(raw.create_organization().body(body).send()).await;
    assert_eq!(report.attempts, 1, "a create is not repeated after a 502");
    assert!(report.may_have_taken_effect);
    creates.assert_calls_async(1).await;
}

#[tokio::test]
async fn an_error_body_that_is_not_problem_json_keeps_its_status_and_headers() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET").path_includes("/v2/organizations/");
            then.status(404)
                .header("content-type", "text/html")
                .header("x-request-id", "req-7")
                .body("<html><body>Not Found</body></html>");
        })
        .await;
    let result = client(&server, Transport::default())
        .get_organization()
        .org_id(ORG_ID.to_string())
        .send()
        .await;
    match result {
        Err(Error::ErrorResponse(response)) => {
            assert_eq!(response.status().as_u16(), 404);
            assert_eq!(response.headers()["x-request-id"], "req-7");
            assert_eq!(response.type_.as_deref(), Some(NON_PROBLEM_BODY));
            assert_eq!(response.status, Some(404));
            assert_eq!(response.title.as_deref(), Some("Not Found"));
            assert_eq!(
                response.detail.as_deref(),
                Some("<html><body>Not Found</body></html>")
            );
        }
        other => panic!("expected a decoded problem, got {other:?}"),
    }
}

#[tokio::test]
async fn a_lost_delete_that_finds_nothing_on_retry_returns_that_404_and_says_so() {
    let server = MockServer::start_async().await;
    let lost = server
        .mock_async(|when, then| {
            when.method("DELETE");
            then.status(502)
                .json_body(json!({"title": "Bad gateway", "status": 502}));
        })
        .await;
    // A backoff long enough to swap the server's answer before the retry.
    let policy = RetryPolicy::default().initial_backoff(Duration::from_millis(400));
    let raw = client(&server, Transport::default().retry(policy));
    let first = tokio::spawn({
        let raw = raw.clone();
        async move {
            transport::observe(raw.delete_organization().org_id(ORG_ID.to_string()).send()).await
        }
    });
    // Once the first attempt was answered 502, the organization is gone.
    while lost.calls_async().await == 0 {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    lost.delete_async().await;
    server
        .mock_async(|when, then| {
            when.method("DELETE");
            then.status(404)
                .json_body(json!({"title": "Not found", "status": 404}));
        })
        .await;
    let (result, report) = first.await.unwrap();
    // The raw client reports what happened; it does not conclude.
    match result {
        Err(Error::ErrorResponse(response)) => assert_eq!(response.status().as_u16(), 404),
        other => panic!("{other:?}"),
    }
    assert_eq!(report.attempts, 2);
    assert!(report.may_have_taken_effect);
}

#[tokio::test]
async fn no_path_parameter_can_change_the_path_requested() {
    let server = MockServer::start_async().await;
    let anything = server
        .mock_async(|_when, then| {
            then.status(204);
        })
        .await;
    let raw = client(&server, Transport::default());
    for user_id in ["..", ".", ""] {
        let result = raw
            .remove_organization_user()
            .org_id(ORG_ID.to_string())
            .user_id(user_id.to_string())
            .send()
            .await;
        assert!(
            matches!(&result, Err(Error::InvalidRequest(reason)) if reason.contains("nothing was sent")),
            "{user_id:?}: {result:?}"
        );
        let result = raw.get_user().user_id(user_id.to_string()).send().await;
        assert!(
            matches!(result, Err(Error::InvalidRequest(_))),
            "{user_id:?}"
        );
    }
    anything.assert_calls_async(0).await;
    // Dots inside an ID, and percent signs (sent as `%25`, so `%2e%2e` is
    // the literal text, not a dot segment), are ordinary segments.
    for user_id in ["a.b", "...", "%2e%2e", ".%2E"] {
        let result = raw.delete_user().user_id(user_id.to_string()).send().await;
        assert!(result.is_ok(), "{user_id:?}: {result:?}");
    }
    anything.assert_calls_async(4).await;
}

#[tokio::test]
async fn a_patient_call_spends_no_attempt_on_throttling_and_stops_at_the_total_wait() {
    let server = MockServer::start_async().await;
    let busy = server
        .mock_async(|when, then| {
            when.method("GET").path("/v2/organizations");
            then.status(429).header("retry-after", "0");
        })
        .await;
    let policy = quick_retries()
        .max_attempts(3)
        .max_total_wait(Duration::from_millis(40));
    let raw = client(&server, Transport::default().retry(policy));
    let (_, report) = transport::observe(raw.list_organizations().send()).await;
    assert_eq!(report.attempts, 3, "an ordinary call: three attempts");
    busy.assert_calls_async(3).await;

    let options = transport::CallOptions::new().patient();
    let (result, report) = transport::observe_with(options, raw.list_organizations().send()).await;
    assert!(
        result.is_err(),
        "still throttled when the total wait ran out"
    );
    assert!(
        report.attempts > 3,
        "throttled answers spent no attempt: {report:?}"
    );
    assert!(report.waited <= Duration::from_millis(40), "{report:?}");
    assert_eq!(report.rate_limited, report.attempts);

    // Its own errors still count: a 500 ends a read after three attempts.
    let server = MockServer::start_async().await;
    let broken = server
        .mock_async(|when, then| {
            when.method("GET").path("/v2/organizations");
            then.status(500);
        })
        .await;
    let raw = client(&server, Transport::default().retry(quick_retries()));
    let options = transport::CallOptions::new().patient();
    let (_, report) = transport::observe_with(options, raw.list_organizations().send()).await;
    assert_eq!(report.attempts, 3);
    broken.assert_calls_async(3).await;

    // Without retries at all, patience changes nothing.
    let raw = client(&server, Transport::default());
    let options = transport::CallOptions::new().patient();
    let (_, report) = transport::observe_with(options, raw.list_organizations().send()).await;
    assert_eq!(report.attempts, 1);
}

#[tokio::test]
async fn the_retry_gate_holds_every_retry_and_its_time_is_reported_apart() {
    let server = MockServer::start_async().await;
    let busy = server
        .mock_async(|when, then| {
            when.method("GET").path("/v2/organizations");
            then.status(503).header("retry-after", "0");
        })
        .await;
    let raw = client(&server, Transport::default().retry(quick_retries()));
    let held = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let gate: transport::RetryGate = {
        let held = held.clone();
        std::sync::Arc::new(move || {
            held.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Box::pin(tokio::time::sleep(Duration::from_millis(30)))
        })
    };
    let options = transport::CallOptions::new().before_retry(gate);
    let (result, report) = transport::observe_with(options, raw.list_organizations().send()).await;
    assert!(result.is_err());
    busy.assert_calls_async(3).await;
    assert_eq!(
        held.load(std::sync::atomic::Ordering::SeqCst),
        2,
        "before each retry"
    );
    assert!(report.paced >= Duration::from_millis(60), "{report:?}");
    assert!(report.waited < Duration::from_millis(60), "{report:?}");
}

#[tokio::test]
async fn a_body_past_the_cap_is_not_read_and_fails_to_decode_naming_the_cap() {
    let server = MockServer::start_async().await;
    let huge = format!(
        r#"{{"organizations": [], "pad": "{}"}}"#,
        "x".repeat(64 * 1024)
    );
    server
        .mock_async(|when, then| {
            when.method("GET").path("/v2/organizations");
            then.status(200)
                .header("content-type", "application/json")
                .body(huge.clone());
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method("GET").path_includes("/v2/users/");
            then.status(404).body("y".repeat(64 * 1024));
        })
        .await;
    let small = client(&server, Transport::default().max_body_size(16 * 1024));
    match small.list_organizations().send().await {
        Err(Error::InvalidResponsePayload(body, _)) => {
            let text = String::from_utf8_lossy(&body);
            assert!(text.starts_with(transport::OVERSIZED_BODY), "{text}");
            assert!(text.contains("16384 bytes"), "{text}");
        }
        other => panic!("expected a decode failure, got {other:?}"),
    }
    // An error status keeps its status; the note is the problem's detail.
    match small
        .get_user()
        .user_id("VXNlcjox".to_string())
        .send()
        .await
    {
        Err(Error::ErrorResponse(response)) => {
            assert_eq!(response.status().as_u16(), 404);
            assert!(
                response
                    .detail
                    .as_deref()
                    .is_some_and(|d| d.starts_with(transport::OVERSIZED_BODY)),
                "{:?}",
                response.detail
            );
        }
        other => panic!("expected the 404, got {other:?}"),
    }
    // Under the cap (the default is 32 MiB), the same answer decodes.
    let roomy = client(&server, Transport::default());
    assert!(roomy.list_organizations().send().await.is_ok());
    assert_eq!(
        Transport::default().max_body(),
        transport::DEFAULT_MAX_BODY_BYTES
    );
}
