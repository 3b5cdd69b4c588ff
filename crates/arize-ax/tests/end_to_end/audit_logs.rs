//! The audit log through the facade, against the fake: every call served
//! is recorded and read back with each filter, a long window streams to
//! the end, and a 403 says what it needs.

use super::client;

use arize_ax::Error;
use arize_ax::audit_logs::OperationType;
use arize_ax_fake::FakeArize;
use chrono::{Duration, Utc};
use futures::TryStreamExt;

#[tokio::test]
async fn every_call_is_recorded_and_each_filter_narrows_the_log() {
    let fake = FakeArize::builder().start().await.unwrap();
    let client = client(&fake);
    client.organizations().create("audited").await.unwrap();
    client.users().list().await.unwrap();
    let logs = client.audit_logs();

    let creates: Vec<_> = logs
        .list()
        .operation("POST /v2/organizations")
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(creates.len(), 1, "{creates:?}");
    let create = &creates[0];
    assert_eq!(create.operation_type, Some(OperationType::Mutation));
    assert!(create.operation_text.contains("audited"), "{create:?}");
    let admin = fake
        .users()
        .into_iter()
        .find(|u| u.email == "alice@example.com")
        .unwrap();
    assert_eq!(create.user_id, admin.id, "the key's user made the call");

    let reads: Vec<_> = logs
        .list()
        .operation_type(OperationType::Query)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(reads.iter().any(|e| e.operation_name == "GET /v2/users"));
    assert!(
        reads
            .iter()
            .all(|e| e.operation_type == Some(OperationType::Query))
    );

    // By email: resolved to the admin's ID once.
    let mine = logs
        .list()
        .user("alice@example.com")
        .limit(100)
        .await
        .unwrap();
    assert!(!mine.logs.is_empty());
    assert!(mine.logs.iter().all(|e| e.user_id == admin.id));
    // Newest first.
    let times: Vec<_> = mine.logs.iter().map(|e| e.created_at.unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
}

#[tokio::test]
async fn a_window_streams_to_its_end_and_nothing_outside_it() {
    let fake = FakeArize::builder().start().await.unwrap();
    // 480 entries, one an hour: the last 20 days.
    fake.with_state(|s| s.seed_audit_log(480, Duration::hours(1)));
    let logs = client(&fake).audit_logs();
    let count = |since, until| {
        let logs = logs.clone();
        async move {
            let mut request = logs.list().limit(100).since(since);
            if let Some(until) = until {
                request = request.until(until);
            }
            request
                .stream()
                .try_collect::<Vec<_>>()
                .await
                .unwrap()
                .len()
        }
    };
    let now = Utc::now();
    assert_eq!(count(now - Duration::days(30), Some(now)).await, 480);
    // The 48 entries of the last two days (give or take the edge).
    let two_days = count(now - Duration::hours(48) + Duration::minutes(30), Some(now)).await;
    assert_eq!(two_days, 48);
    let old = count(now - Duration::days(30), Some(now - Duration::days(10))).await;
    assert_eq!(old, 480 - 240);
    // The server's default window (30 days) holds them all, and the reads
    // made meanwhile land in the log without disturbing the pages.
    let default: Vec<_> = logs.list().stream().try_collect().await.unwrap();
    assert!(default.len() >= 480, "{}", default.len());
}

#[tokio::test]
async fn a_403_says_an_admin_key_and_audit_logging_are_needed() {
    let fake = FakeArize::builder()
        .audit_logging(false)
        .start()
        .await
        .unwrap();
    let client = client(&fake);
    client.organizations().list().await.unwrap();
    assert!(
        fake.with_state(|s| s.audit_log().is_empty()),
        "nothing recorded"
    );
    let err = client.audit_logs().list().await.unwrap_err();
    assert_eq!(err.status(), Some(403));
    let text = err.to_string();
    assert!(text.contains("audit logging enabled"), "{text}");
}

#[tokio::test]
async fn bad_filters_are_refused_before_anything_is_sent() {
    let fake = FakeArize::builder().start().await.unwrap();
    let logs = client(&fake).audit_logs();
    let names: Vec<String> = (0..21).map(|n| format!("GET /v2/x{n}")).collect();
    let now = Utc::now();
    let cases = [
        logs.list().operations(names),
        logs.list().operation(""),
        logs.list().operation("x".repeat(256)),
        logs.list().operation("GET\n/v2/users"),
        logs.list().since(now).until(now - Duration::hours(1)),
        logs.list().since(now + Duration::hours(1)),
        logs.list().user("not an email or id"),
        logs.list().limit(0),
    ];
    for request in cases {
        let err = request.await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{err}");
    }
    assert!(fake.requests().is_empty(), "nothing sent");
}
