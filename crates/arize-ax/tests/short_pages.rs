//! Listings through short and empty pages (the server filters a page after
//! reading it, so `has_more` may come with nothing): one page comes back
//! empty while more follow only after `MAX_EMPTY_PAGES` empty pages in a
//! row, streams go on to the end, and a cursor that repeats, or endless
//! empty pages, stop the listing instead of looping.

use futures::TryStreamExt;
use httpmock::MockServer;
use serde_json::{Value, json};

use crate::support::client_for;

const PROJECT: &str = "UHJvamVjdDoyNDY4";

fn restrictions(ids: &[&str], next: Option<&str>) -> Value {
    let items: Vec<Value> = ids
        .iter()
        .map(|id| json!({"resource_type": "PROJECT", "resource_id": id}))
        .collect();
    match next {
        Some(cursor) => json!({
            "resource_restrictions": items,
            "pagination": {"has_more": true, "next_cursor": cursor}
        }),
        None => json!({"resource_restrictions": items, "pagination": {"has_more": false}}),
    }
}

/// Pages: empty (→ c1), empty (→ c2), one item (→ c3), empty (→ c4), one
/// item (end).
async fn script(server: &MockServer) -> Vec<httpmock::Mock<'_>> {
    let mut mocks = Vec::new();
    let pages: [(Option<&str>, &[&str], Option<&str>); 5] = [
        (None, &[], Some("c1")),
        (Some("c1"), &[], Some("c2")),
        (Some("c2"), &[PROJECT], Some("c3")),
        (Some("c3"), &[], Some("c4")),
        (Some("c4"), &["UHJvbXB0Ojk="], None),
    ];
    for (cursor, ids, next) in pages {
        let mock = server
            .mock_async(|when, then| {
                let when = when.method("GET").path("/v2/resource-restrictions");
                match cursor {
                    Some(cursor) => when.query_param("cursor", cursor),
                    None => when.query_param_missing("cursor"),
                };
                then.status(200).json_body(restrictions(ids, next));
            })
            .await;
        mocks.push(mock);
    }
    mocks
}

#[tokio::test]
async fn one_page_follows_empty_pages_to_the_first_item() {
    let server = MockServer::start_async().await;
    let mocks = script(&server).await;
    let (client, _) = client_for(&server.base_url());
    let page = client.resource_restrictions().list().await.unwrap();
    let ids: Vec<&str> = page
        .resource_restrictions
        .iter()
        .map(|r| r.resource_id.as_str())
        .collect();
    assert_eq!(ids, [PROJECT]);
    assert_eq!(page.pagination.next_cursor.as_deref(), Some("c3"));
    for mock in &mocks[..3] {
        mock.assert_calls_async(1).await;
    }
    mocks[3].assert_calls_async(0).await;
    // Continuing from that cursor skips the empty page too.
    let rest = client
        .resource_restrictions()
        .list()
        .cursor("c3")
        .await
        .unwrap();
    assert_eq!(rest.resource_restrictions.len(), 1);
    assert!(!rest.pagination.has_more);
}

#[tokio::test]
async fn a_stream_goes_through_short_and_empty_pages_to_the_end() {
    let server = MockServer::start_async().await;
    let mocks = script(&server).await;
    let (client, _) = client_for(&server.base_url());
    let all: Vec<String> = client
        .resource_restrictions()
        .list()
        .stream()
        .map_ok(|r| r.resource_id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all, [PROJECT, "UHJvbXB0Ojk="]);
    for mock in &mocks {
        mock.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn an_empty_page_whose_cursor_repeats_is_an_error_not_a_loop() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET").path("/v2/resource-restrictions");
            then.status(200).json_body(restrictions(&[], Some("same")));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let err = client.resource_restrictions().list().await.unwrap_err();
    assert!(err.to_string().contains("twice"), "{err}");
    let err = client
        .resource_restrictions()
        .list()
        .stream()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("twice"), "{err}");
    // A cursor given by the caller that comes straight back is a repeat too.
    let err = client
        .resource_restrictions()
        .list()
        .cursor("same")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("twice"), "{err}");
}

#[tokio::test]
async fn audit_log_filters_go_on_every_page_and_a_403_says_what_it_needs() {
    let server = MockServer::start_async().await;
    let entry =
        |id: &str| json!({"id": id, "operation_name": "POST /v2/spaces", "operation_text": null});
    let first = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/v2/audit-logs")
                .query_param("operation_name", "POST /v2/spaces")
                .query_param("operation_name", "DELETE /v2/spaces/{space_id}")
                .query_param("operation_type", "MUTATION")
                .query_param("start_time", "2026-01-01T00:00:00Z")
                .query_param_missing("cursor");
            then.status(200).json_body(json!({
                "logs": [entry("QXVkaXRMb2c6MQ==")],
                "pagination": {"has_more": true, "next_cursor": "n1"}
            }));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/v2/audit-logs")
                .query_param("operation_name", "POST /v2/spaces")
                .query_param("operation_name", "DELETE /v2/spaces/{space_id}")
                .query_param("operation_type", "MUTATION")
                .query_param("start_time", "2026-01-01T00:00:00Z")
                .query_param("cursor", "n1");
            then.status(200).json_body(json!({
                "logs": [entry("QXVkaXRMb2c6Mg==")],
                "pagination": {"has_more": false}
            }));
        })
        .await;
    let (client, _) = client_for(&server.base_url());
    let since = "2026-01-01T00:00:00Z".parse().unwrap();
    let ids: Vec<String> = client
        .audit_logs()
        .list()
        .since(since)
        .operations(["POST /v2/spaces", "DELETE /v2/spaces/{space_id}"])
        .operation_type(arize_ax::audit_logs::OperationType::Mutation)
        .stream()
        .map_ok(|e| e.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["QXVkaXRMb2c6MQ==", "QXVkaXRMb2c6Mg=="]);
    first.assert_calls_async(1).await;
    second.assert_calls_async(1).await;

    let forbidden = MockServer::start_async().await;
    forbidden
        .mock_async(|when, then| {
            when.method("GET").path("/v2/audit-logs");
            then.status(403)
                .header("content-type", "application/problem+json")
                .json_body(json!({"status": 403, "title": "Forbidden"}));
        })
        .await;
    let (client, _) = client_for(&forbidden.base_url());
    let err = client.audit_logs().list().await.unwrap_err();
    let text = format!("{err:#}");
    assert!(
        text.contains("account admin") && text.contains("audit logging enabled"),
        "{text}"
    );
}

/// Empty pages for ever, each with a fresh cursor: one page stops after
/// `MAX_EMPTY_PAGES` of them and hands over the last (empty, with its
/// cursor); a stream ends with an error naming the cursor to go on from.
#[tokio::test]
async fn endless_empty_pages_end_instead_of_running_for_ever() {
    use crate::support::{Reply, Scripted};
    let max = arize_ax::MAX_EMPTY_PAGES;
    let replies: Vec<Reply> = (1..=max + 5)
        .map(|n| Reply::json(200, restrictions(&[], Some(&format!("c{n}")))))
        .collect();
    let server = Scripted::start(replies.clone()).await;
    let (client, _) = client_for(&server.base_url);
    let page = client.resource_restrictions().list().await.unwrap();
    assert!(page.resource_restrictions.is_empty());
    assert!(page.pagination.has_more);
    assert_eq!(
        page.pagination.next_cursor.as_deref(),
        Some(&*format!("c{max}"))
    );
    assert_eq!(server.count(), max);

    let server = Scripted::start(replies).await;
    let (client, _) = client_for(&server.base_url);
    let err = client
        .resource_restrictions()
        .list()
        .stream()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains(&format!("{max} empty pages")),
        "{err}"
    );
    assert!(
        matches!(&err, arize_ax::Error::EmptyPages { pages, cursor, .. }
            if *pages == max && *cursor == format!("c{max}")),
        "{err:?}"
    );
    assert_eq!(server.count(), max, "nothing fetched after the last one");

    // A look-up by name pages through the same way, and stops the same.
    let replies: Vec<Reply> = (1..=max + 5)
        .map(|n| {
            let page = json!({
                "organizations": [],
                "pagination": {"has_more": true, "next_cursor": format!("c{n}")}
            });
            Reply::json(200, page)
        })
        .collect();
    let server = Scripted::start(replies).await;
    let (client, _) = client_for(&server.base_url);
    let err = client.organizations().get("research").await.unwrap_err();
    assert!(matches!(err, arize_ax::Error::EmptyPages { .. }), "{err:?}");
    assert_eq!(server.count(), max);
}
