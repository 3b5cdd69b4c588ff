//! Secret hygiene and safe defaults, end to end.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use arize_ax::{Client, ClientBuilder, OrgRef, RetryPolicy};
use arize_ax_fake::{FakeArize, Fault};

const SECRET: &str = "ak-secret-9f8e7d6c5b4a";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

fn subscriber(buf: &Captured) -> impl tracing::Subscriber + Send + Sync {
    let writer = buf.clone();
    tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .finish()
}

#[tokio::test]
async fn the_key_never_reaches_tracing_debug_or_errors() {
    let fake = FakeArize::builder()
        .api_key(SECRET)
        .seed_orgs(2)
        .start()
        .await
        .unwrap();
    let buf = Captured::default();
    let _one = super::TRACING.lock().await;
    let _guard = super::capture(subscriber(&buf));
    let client = Client::builder()
        .api_key(SECRET)
        .base_url(fake.base_url())
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap();
    let wrong = Client::builder()
        .api_key(format!("{SECRET}-wrong"))
        .base_url(fake.base_url())
        .build()
        .unwrap();
    fake.inject(Fault::status(503).on("GET", "/v2/organizations"));
    let mut texts = vec![format!("{client:?}"), format!("{wrong:?}")];
    client.organizations().list().send().await.unwrap();
    for err in [
        wrong.organizations().list().send().await.unwrap_err(),
        client.organizations().get("no-such").await.unwrap_err(),
        client
            .organizations()
            .get(OrgRef::id("T3JnYW5pemF0aW9uOjk5OTk="))
            .await
            .unwrap_err(),
    ] {
        texts.push(err.to_string());
        texts.push(format!("{err:?}"));
    }
    let log = buf.text();
    assert!(
        log.contains("sending request"),
        "tracing captured nothing: {log}"
    );
    texts.push(log);
    for text in texts {
        assert!(!text.contains(SECRET), "the key leaked into: {text}");
    }
}

#[tokio::test]
async fn no_secret_follows_a_redirect_to_another_host() {
    let here = FakeArize::builder().api_key(SECRET).start().await.unwrap();
    let elsewhere = FakeArize::builder().api_key(SECRET).start().await.unwrap();
    // Same machine, another host name (and port): a different origin.
    let target = format!(
        "http://localhost:{}/v2/organizations",
        elsewhere.addr().port()
    );
    here.inject(Fault::redirect(target).on("GET", "/v2/organizations"));
    let client = Client::builder()
        .api_key(SECRET)
        .header("x-api-key", "gateway-secret-123")
        .base_url(here.base_url())
        .prerelease_warning(false)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.organizations().list().send().await.unwrap_err();
    assert!(
        err.status().is_some_and(|s| (300..400).contains(&s)),
        "the redirect comes back instead of being followed: {err}"
    );
    assert!(
        elsewhere.requests().is_empty(),
        "a request went to another host: {:?}",
        elsewhere.requests()
    );
    for text in [format!("{client:?}"), format!("{err:?}"), err.to_string()] {
        assert!(!text.contains("gateway-secret-123"), "{text}");
        assert!(!text.contains(SECRET), "{text}");
    }
}

#[tokio::test]
async fn a_base_url_with_credentials_is_refused_without_repeating_them() {
    for url in [
        "https://admin:hunter2@api.arize.com",
        "https://hunter2@api.arize.com",
        "htps://admin:hunter2@api.arize.com",
    ] {
        let err = ClientBuilder::default()
            .api_key(SECRET)
            .base_url(url)
            .build()
            .unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(matches!(err, arize_ax::Error::Config(_)), "{err:?}");
    }
}

#[tokio::test]
async fn disabling_tls_verification_warns() {
    let buf = Captured::default();
    let _one = super::TRACING.lock().await;
    let _guard = super::capture(subscriber(&buf));
    let lookup = |verify: &'static str| {
        move |name: &str| match name {
            "ARIZE_API_KEY" => Some(SECRET.to_owned()),
            "ARIZE_REQUEST_VERIFY" => Some(verify.to_owned()),
            _ => None,
        }
    };
    ClientBuilder::from_lookup(lookup("true")).build().unwrap();
    assert!(!buf.text().contains("verification is disabled"));
    ClientBuilder::from_lookup(lookup("false")).build().unwrap();
    let log = buf.text();
    assert!(
        log.contains("TLS certificate verification is disabled"),
        "{log}"
    );
    assert!(log.contains("WARN"), "{log}");
}

#[tokio::test]
async fn user_input_cannot_change_the_path_or_add_query_parameters() {
    let fake = FakeArize::builder()
        .api_key(SECRET)
        .seed_orgs(1)
        .start()
        .await
        .unwrap();
    let client = Client::builder()
        .api_key(SECRET)
        .base_url(fake.base_url())
        .prerelease_warning(false)
        .build()
        .unwrap();
    let orgs = client.organizations();
    // A hostile name filter and cursor stay single query values.
    let page = orgs
        .list()
        .name("x&limit=1&cursor=abc#frag")
        .send()
        .await
        .unwrap();
    assert!(page.organizations.is_empty());
    // A name with path syntax is resolved through the name filter, never
    // spliced into a path.
    let err = orgs.delete("../../v2/users").await.unwrap_err();
    assert!(err.is_not_found());
    // A forced ID with path syntax is refused before sending.
    let err = orgs.get(OrgRef::id("a/../../v2/users")).await.unwrap_err();
    assert!(err.is_invalid_input());
    let requests = fake.requests();
    assert_eq!(requests.len(), 2);
    for r in &requests {
        assert_eq!(r.path, "/v2/organizations", "{r:?}");
        let query = r.query.as_deref().unwrap_or("");
        let limits = query.split('&').filter(|p| p.starts_with("limit=")).count();
        assert!(limits <= 1, "{query}");
        assert!(!query.contains("&cursor="), "{query}");
    }
    assert_eq!(fake.organizations().len(), 1);
}

#[tokio::test]
async fn a_temporary_password_never_reaches_tracing_debug_or_errors() {
    let fake = FakeArize::builder().api_key("k").start().await.unwrap();
    let buf = Captured::default();
    let _one = super::TRACING.lock().await;
    let _guard = super::capture(subscriber(&buf));
    let client = Client::builder()
        .api_key("k")
        .base_url(fake.base_url())
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap();
    let users = client.users();
    let created = users
        .create("Tom Temp", "tom@example.com", arize_ax::UserRole::Member)
        .invite(arize_ax::InviteMode::TemporaryPassword)
        .send()
        .await
        .unwrap();
    let password = created
        .temporary_password
        .as_ref()
        .expect("a password")
        .expose_secret()
        .to_owned();
    // The same again: the pending invitation, without the password.
    let again = users
        .create("Tom Temp", "tom@example.com", arize_ax::UserRole::Member)
        .invite(arize_ax::InviteMode::TemporaryPassword)
        .send()
        .await
        .unwrap();
    assert!(again.temporary_password.is_none());
    let texts = [
        format!("{created:?}"),
        format!("{again:?}"),
        format!("{}", created.temporary_password.as_ref().unwrap()),
        buf.text(),
    ];
    // (Whether the transport's events were captured depends on tracing's
    // callsite cache when tests run in parallel, so that is not asserted
    // here; the key test above asserts it.)
    for text in texts {
        assert!(!text.contains(&password), "the password leaked: {text}");
    }
}
