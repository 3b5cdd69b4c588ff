//! Retries against a scripted server: which answers are retried, how often,
//! and how long the client waits.

use std::time::{Duration, Instant};

use arize_ax::{Client, Error, RetryPolicy};
use serde_json::json;

use crate::support::*;

fn ok_org() -> Reply {
    Reply::json(200, org(ORG_ID, "x"))
}

#[tokio::test]
async fn a_429_is_waited_out_per_retry_after_then_succeeds() {
    let server = Scripted::start(vec![
        Reply::json(429, problem(429, "slow down")).header("retry-after", "1"),
        ok_org(),
    ])
    .await;
    let (client, _) = client_for(&server.base_url);
    let started = Instant::now();
    let got = client.organizations().get(ORG_ID).await.unwrap();
    assert_eq!(got.id, ORG_ID);
    assert_eq!(server.count(), 2);
    // The client honoured the server's one second (not its 5 ms backoff).
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_429_on_create_is_retried_too() {
    let server = Scripted::start(vec![
        Reply::json(429, problem(429, "slow down")).header("retry-after", "0"),
        Reply::json(201, org(ORG_ID, "n")),
    ])
    .await;
    let (client, _) = client_for(&server.base_url);
    client.organizations().create("n").await.unwrap();
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_retry_after_longer_than_the_policy_allows_fails_at_once() {
    for status in [429, 503] {
        let server = Scripted::start(vec![
            Reply::json(status, problem(status, "slow down")).header("retry-after", "3600"),
            ok_org(),
        ])
        .await;
        let client = Client::builder()
            .api_key(KEY)
            .base_url(&server.base_url)
            .prerelease_warning(false)
            .retry(RetryPolicy::default().max_retry_after(Duration::from_secs(30)))
            .build()
            .unwrap();
        let started = Instant::now();
        let err = client.organizations().get(ORG_ID).await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(10));
        assert_eq!(
            server.count(),
            1,
            "{status}: no attempt spent inside the window"
        );
        let Error::Api(api) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(api.retry_after, Some(Duration::from_secs(3600)));
        assert!(err.to_string().contains("try again in 3600s"), "{err}");
    }
}

#[tokio::test]
async fn a_retry_after_within_the_policy_is_waited_out() {
    let server = Scripted::start(vec![
        Reply::json(503, problem(503, "busy")).header("retry-after", "1"),
        ok_org(),
    ])
    .await;
    let (client, _) = client_for(&server.base_url);
    let started = Instant::now();
    client.organizations().get(ORG_ID).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(900));
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn total_waiting_is_capped() {
    let server = Scripted::start(vec![
        Reply::json(429, problem(429, "slow down")).header("retry-after", "1"),
    ])
    .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(&server.base_url)
        .prerelease_warning(false)
        .retry(
            RetryPolicy::default()
                .max_attempts(10)
                .max_total_wait(Duration::from_millis(500)),
        )
        .build()
        .unwrap();
    let err = client.organizations().get(ORG_ID).await.unwrap_err();
    assert_eq!(err.status(), Some(429));
    // A one-second wait would exceed the half-second budget: no retry.
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_503_on_get_is_retried() {
    let server = Scripted::start(vec![Reply::json(503, problem(503, "busy")), ok_org()]).await;
    let (client, _) = client_for(&server.base_url);
    client.organizations().get(ORG_ID).await.unwrap();
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn exhausted_retries_name_the_attempts() {
    let server = Scripted::start(vec![Reply::json(502, problem(502, "bad gateway"))]).await;
    let (client, _) = client_for(&server.base_url);
    let err = client.organizations().delete(ORG_ID).await.unwrap_err();
    assert_eq!(server.count(), 3);
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.attempts, 3);
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_5xx_on_create_is_never_retried() {
    for status in [500, 502, 504] {
        let server = Scripted::start(vec![
            Reply::json(status, problem(status, "boom")),
            Reply::json(201, org(ORG_ID, "n")),
        ])
        .await;
        let (client, _) = client_for(&server.base_url);
        let err = client.organizations().create("n").await.unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert_eq!(server.count(), 1, "exactly one create for {status}");
    }
}

#[tokio::test]
async fn a_5xx_on_update_is_retried_since_it_sets_absolute_values() {
    let server = Scripted::start(vec![Reply::json(503, problem(503, "busy")), ok_org()]).await;
    let (client, _) = client_for(&server.base_url);
    let org = client
        .organizations()
        .update(ORG_ID)
        .name("x")
        .await
        .unwrap();
    assert_eq!(org.id, ORG_ID);
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_dropped_connection_on_create_is_reported_as_maybe_created() {
    let server = Scripted::start(vec![Reply::dropped()]).await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(&server.base_url)
        .prerelease_warning(false)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.organizations().create("n").await.unwrap_err();
    let Error::MaybeCreated { source, .. } = &err else {
        panic!("a lost create may have taken effect: {err:?}")
    };
    assert!(matches!(**source, Error::Transport(_)), "{err:?}");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_slow_server_times_out_promptly() {
    // Accepts the connection but never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let client = Client::builder()
        .api_key(KEY)
        .base_url(format!("http://{addr}"))
        .prerelease_warning(false)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.organizations().get(ORG_ID).await.unwrap_err();
    let Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert!(t.is_timeout, "{err}");
    assert!(err.to_string().contains("timed out"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn refused_connections_on_get_are_retried() {
    let (client, _) = client_for("http://127.0.0.1:9");
    let err = client.organizations().get(ORG_ID).await.unwrap_err();
    let Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert!(t.is_connect);
    assert_eq!(t.attempts, 3);
    let _ = json!({});
}
