//! The pre-release warning: once per method key, also under concurrency;
//! silenced by the builder switch.

use std::sync::Arc;

use arize_ax::{Client, PrereleaseGate};
use httpmock::MockServer;

use crate::support::*;

async fn server() -> MockServer {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET").path_prefix("/v2/organizations/");
            then.status(200).json_body(org(ORG_ID, "x"));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method("GET").path("/v2/organizations");
            then.status(200)
                .json_body(page(vec![org(ORG_ID, "x")], None));
        })
        .await;
    server
}

#[tokio::test]
async fn each_method_warns_once() {
    let server = server().await;
    let (client, gate) = client_for(&server.base_url());
    let orgs = client.organizations();
    orgs.get(ORG_ID).await.unwrap();
    orgs.get(ORG_ID).await.unwrap();
    orgs.list().send().await.unwrap();
    orgs.get("x").await.unwrap(); // by name: still organizations.get only
    orgs.list().send().await.unwrap();
    let messages = gate.captured();
    assert_eq!(messages.len(), 2, "{messages:#?}");
    assert!(messages[0].starts_with("[ALPHA] organizations.get is an alpha API in arize-ax "));
    assert!(messages[1].starts_with("[ALPHA] organizations.list"));
    assert!(
        messages
            .iter()
            .all(|m| m.contains("may change without notice"))
    );
}

#[tokio::test]
async fn concurrent_first_calls_warn_once() {
    let server = server().await;
    let (client, gate) = client_for(&server.base_url());
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.organizations().get(ORG_ID).await.map(drop) })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(gate.captured().len(), 1);
}

#[tokio::test]
async fn the_switch_silences_it() {
    let server = server().await;
    let gate = Arc::new(PrereleaseGate::capturing());
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.base_url())
        .prerelease_gate(gate.clone())
        .prerelease_warning(false)
        .build()
        .unwrap();
    client.organizations().get(ORG_ID).await.unwrap();
    assert!(gate.captured().is_empty());
}

#[tokio::test]
async fn the_environment_variable_silences_it() {
    let server = server().await;
    let gate = Arc::new(PrereleaseGate::capturing());
    let client = arize_ax::ClientBuilder::from_lookup(|name| match name {
        "ARIZE_API_KEY" => Some(KEY.into()),
        "DISABLE_PRERELEASE_WARNING" => Some("true".into()),
        _ => None,
    })
    .base_url(server.base_url())
    .prerelease_gate(gate.clone())
    .build()
    .unwrap();
    client.organizations().get(ORG_ID).await.unwrap();
    assert!(gate.captured().is_empty());
}

#[tokio::test]
async fn it_goes_to_tracing_when_a_subscriber_is_installed() {
    use std::sync::Mutex;
    #[derive(Clone, Default)]
    struct Buf(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Buf {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buf = Buf::default();
    let writer = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::TRACE)
        .finish();
    let gate = PrereleaseGate::new();
    tracing::subscriber::with_default(subscriber, || {
        assert!(gate.warn("organizations.delete", arize_ax_api::Stage::Alpha));
    });
    let text = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("WARN"), "{text}");
    assert!(text.contains("arize_ax::prerelease"), "{text}");
    assert!(text.contains("[ALPHA] organizations.delete"), "{text}");
}
