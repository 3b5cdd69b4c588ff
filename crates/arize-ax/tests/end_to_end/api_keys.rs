//! API keys through the facade, against the fake: personal and service
//! keys, refresh with and without grace, revoke; lost answers never leave a
//! live key nobody holds; the secret never reaches a log, `Debug` or an
//! error; bad input sends nothing.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::client;

use arize_ax::api_keys::{KeyStatus, KeyType};
use arize_ax::{Client, Error, SpaceRole};
use arize_ax_fake::{FakeArize, Fault};
use futures::TryStreamExt;

/// One organization with the space `ranking` and the custom role `Runner`.
async fn fake() -> FakeArize {
    super::with_space_and_role(13, "Runner").await
}

/// A client of `fake` that authenticates with `secret`.
fn client_with(fake: &FakeArize, secret: &str) -> Client {
    Client::builder()
        .api_key(secret)
        .base_url(fake.base_url())
        .prerelease_warning(false)
        .build()
        .unwrap()
}

fn live(fake: &FakeArize) -> Vec<arize_ax_fake::ApiKey> {
    fake.api_keys()
        .into_iter()
        .filter(|k| k.status == KeyStatus::Active)
        .collect()
}

#[tokio::test]
async fn a_personal_key_works_until_refreshed_away_and_revoked() {
    let fake = fake().await;
    let keys = client(&fake).api_keys();
    let issued = keys.create("laptop").description("dev box").await.unwrap();
    assert_eq!(issued.key.key_type, Some(KeyType::User));
    assert_eq!(issued.key.status, KeyStatus::Active);
    assert!(issued.revoked_after_lost_answer.is_empty());
    let secret = issued.secret.expose_secret().to_owned();
    assert!(!format!("{issued:?}").contains(&secret));
    let own = client_with(&fake, &secret);
    own.organizations().list().send().await.unwrap();

    // Listed without the secret; found by name.
    let listed: Vec<_> = keys.list().stream().try_collect().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, issued.key.id);
    let found = keys.find("laptop", None).await.unwrap();
    assert_eq!(found.id, issued.key.id);

    // A refresh with a grace period: both work; without one, only the new.
    let second = keys
        .refresh(&found)
        .grace_period(Duration::from_secs(600))
        .await
        .unwrap();
    assert_eq!(second.key.id, issued.key.id);
    let second_secret = second.secret.expose_secret().to_owned();
    assert_ne!(second_secret, secret);
    own.organizations().list().send().await.unwrap();
    let third = keys.refresh(issued.key.id.as_str()).await.unwrap();
    let err = client_with(&fake, &second_secret)
        .organizations()
        .list()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(401));
    client_with(&fake, third.secret.expose_secret())
        .organizations()
        .list()
        .send()
        .await
        .unwrap();

    keys.revoke(issued.key.id.as_str()).await.unwrap();
    keys.revoke(issued.key.id.as_str()).await.unwrap(); // again: fine
    let err = client_with(&fake, third.secret.expose_secret())
        .organizations()
        .list()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert!(live(&fake).is_empty());
    let revoked: Vec<_> = keys
        .list()
        .status(KeyStatus::Revoked)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(revoked.len(), 1);
}

#[tokio::test]
async fn a_service_key_reaches_its_spaces_and_its_bot_user_can_be_bound() {
    let fake = fake().await;
    let client = client(&fake);
    let issued = client
        .api_keys()
        .create_service("nightly")
        .space("ranking", SpaceRole::custom("Runner"))
        .organization_role("org-00001", arize_ax::OrgRole::Member)
        .expires_in(Duration::from_secs(86_400))
        .await
        .unwrap();
    let bot = issued.key.bot_user.clone().expect("a bot user");
    assert_eq!(bot.organizations.len(), 1);
    let space = fake.spaces()[0].id.clone();
    assert_eq!(bot.organizations[0].spaces[0].space_id, space);
    assert!(issued.key.expires_at.is_some());

    // Listed among the space's service keys, by space name.
    let of_space: Vec<_> = client
        .api_keys()
        .list()
        .space("ranking")
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(of_space.len(), 1);
    assert_eq!(of_space[0].bot_user.as_ref().unwrap().id, bot.id);

    // Its bot user is a user role bindings can name.
    client
        .role_bindings()
        .create(
            bot.id.as_str(),
            "READ_ONLY",
            arize_ax::role_bindings::Resource::space("ranking"),
        )
        .await
        .unwrap();

    // A refresh of a key that expires must keep (or shorten) its expiry:
    // refused before sending when the record is given.
    let found = client
        .api_keys()
        .find("nightly", Some("ranking".into()))
        .await
        .unwrap();
    fake.clear_requests();
    let err = client.api_keys().refresh(&found).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidInput {
                field: "expires_at",
                ..
            }
        ),
        "{err}"
    );
    let later = found.expires_at.unwrap() + chrono::Duration::days(1);
    let err = client
        .api_keys()
        .refresh(&found)
        .expires_at(later)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("lengthen"), "{err}");
    assert!(fake.requests().is_empty());
    client
        .api_keys()
        .refresh(&found)
        .expires_at(found.expires_at.unwrap())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_lost_create_answer_never_leaves_a_key_nobody_holds() {
    let fake = fake().await;
    let keys = client(&fake).api_keys();
    // A key of the same name made before is not touched.
    let earlier = keys.create("ci").await.unwrap();

    fake.inject(Fault::status(502).on("POST", "/v2/api-keys").after_effect());
    let issued = keys.create("ci").await.unwrap();
    assert_eq!(issued.revoked_after_lost_answer.len(), 1);
    let alive = live(&fake);
    assert_eq!(alive.len(), 2, "the earlier key and the new one");
    assert!(alive.iter().any(|k| k.id == earlier.key.id));
    assert!(alive.iter().any(|k| k.id == issued.key.id));
    let orphan = &issued.revoked_after_lost_answer[0];
    assert!(
        fake.api_keys()
            .iter()
            .any(|k| &k.id == orphan && k.status == KeyStatus::Revoked)
    );

    // Every answer lost: what was made is revoked, and the error says so.
    fake.inject(
        Fault::status(502)
            .on("POST", "/v2/api-keys")
            .after_effect()
            .times(2),
    );
    let err = keys.create("ci").await.unwrap_err();
    match &err {
        Error::KeyRevokedAfterLostAnswer {
            attempts, revoked, ..
        } => {
            assert_eq!(*attempts, 2);
            assert_eq!(revoked.len(), 2);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(live(&fake).len(), 2, "nothing new is live");
}

#[tokio::test]
async fn a_lost_refresh_answer_is_repeated_so_the_lost_secret_is_void() {
    let fake = fake().await;
    let keys = client(&fake).api_keys();
    let issued = keys.create("rotating").await.unwrap();
    let before = fake.api_keys()[0].secret.expose_secret().to_owned();
    assert_eq!(before, issued.secret.expose_secret());
    fake.inject(
        Fault::status(502)
            .on("POST", "/v2/api-keys/")
            .after_effect(),
    );
    let refreshed = keys.refresh(issued.key.id.as_str()).await.unwrap();
    assert_eq!(
        fake.request_count("POST", "/v2/api-keys/"),
        2,
        "sent once more"
    );
    // Only the secret this client holds works.
    let now = fake.api_keys()[0].secret.expose_secret().to_owned();
    assert_eq!(now, refreshed.secret.expose_secret());
    assert!(
        fake.api_keys()[0].previous.is_none(),
        "no grace: nothing else works"
    );

    fake.inject(
        Fault::status(502)
            .on("POST", "/v2/api-keys/")
            .after_effect()
            .times(2),
    );
    let err = keys.refresh(issued.key.id.as_str()).await.unwrap_err();
    assert!(matches!(err, Error::RefreshLost { .. }), "{err:?}");

    // The repeat refused (say, a 422): still "the key was rotated", never
    // a bare 422.
    fake.inject(
        Fault::status(502)
            .on("POST", "/v2/api-keys/")
            .after_effect(),
    );
    fake.inject(Fault::status(422).on("POST", "/v2/api-keys/"));
    let err = keys.refresh(issued.key.id.as_str()).await.unwrap_err();
    assert!(matches!(err, Error::RefreshLost { .. }), "{err:?}");
    assert_eq!(err.status(), Some(422));
}

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

#[tokio::test]
async fn no_secret_reaches_a_log_line_debug_or_an_error() {
    let fake = fake().await;
    let buf = Captured::default();
    let writer = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .finish();
    let _one = super::TRACING.lock().await;
    let _guard = super::capture(subscriber);
    let keys = client(&fake).api_keys();
    let mut texts = Vec::new();
    let mut secrets = Vec::new();

    let issued = keys.create("audited").await.unwrap();
    texts.push(format!("{issued:?}"));
    secrets.push(issued.secret.expose_secret().to_owned());
    let service = keys
        .create_service("audited-bot")
        .space("ranking", SpaceRole::Member)
        .await
        .unwrap();
    texts.push(format!("{service:?}"));
    secrets.push(service.secret.expose_secret().to_owned());
    // A lost answer, a refresh lost and repeated, a refused refresh.
    fake.inject(Fault::status(502).on("POST", "/v2/api-keys").after_effect());
    let again = keys.create("audited").await.unwrap();
    secrets.push(again.secret.expose_secret().to_owned());
    fake.inject(
        Fault::status(502)
            .on("POST", "/v2/api-keys/")
            .after_effect(),
    );
    let refreshed = keys.refresh(issued.key.id.as_str()).await.unwrap();
    texts.push(format!("{refreshed:?}"));
    secrets.push(refreshed.secret.expose_secret().to_owned());
    let err = keys
        .refresh(issued.key.id.as_str())
        .grace_period(Duration::from_secs(100_000))
        .await
        .unwrap_err();
    texts.push(format!("{err} {err:?}"));
    keys.revoke(issued.key.id.as_str()).await.unwrap();
    let err = client_with(&fake, &secrets[3])
        .organizations()
        .list()
        .send()
        .await
        .unwrap_err();
    texts.push(format!(
        "{err} {err:?} {:?}",
        client_with(&fake, &secrets[3])
    ));
    // Every secret ever issued, lost ones included (the fake knows them).
    secrets.extend(
        fake.api_keys()
            .iter()
            .map(|k| k.secret.expose_secret().to_owned()),
    );
    let log = String::from_utf8_lossy(&buf.0.lock().unwrap()).into_owned();
    assert!(log.contains("api-keys"), "tracing captured nothing: {log}");
    texts.push(log);
    for secret in &secrets {
        for text in &texts {
            assert!(
                !text.contains(secret.as_str()),
                "a secret leaked into: {text}"
            );
        }
    }
}

#[tokio::test]
async fn bad_input_sends_nothing() {
    let fake = fake().await;
    let keys = client(&fake).api_keys();
    fake.clear_requests();
    let past = chrono::Utc::now() - chrono::Duration::hours(1);
    let cases: Vec<(Error, &str)> = vec![
        (keys.create("").await.unwrap_err(), "name"),
        (keys.create("x".repeat(257)).await.unwrap_err(), "name"),
        (
            keys.create("k").expires_at(past).await.unwrap_err(),
            "expires_at",
        ),
        (keys.create_service("bot").await.unwrap_err(), "spaces"),
        (
            keys.create_service("bot")
                .space("ranking", SpaceRole::Annotator)
                .await
                .unwrap_err(),
            "space_role",
        ),
        (
            keys.create_service("bot")
                .space("ranking", SpaceRole::Member)
                .account_role(arize_ax::UserRole::Annotator)
                .await
                .unwrap_err(),
            "account_role",
        ),
        (
            keys.create_service("bot")
                .space("ranking", SpaceRole::Member)
                .organization_role("org-00001", SpaceRole::custom("Runner"))
                .await
                .unwrap_err(),
            "organization_role",
        ),
        (keys.revoke("not an id").await.unwrap_err(), "api_key"),
        (
            keys.refresh("QXBpS2V5OjE=")
                .grace_period(Duration::from_secs(86_401))
                .await
                .unwrap_err(),
            "grace_period",
        ),
        (
            keys.list()
                .key_type(KeyType::Service)
                .send()
                .await
                .unwrap_err(),
            "key_type",
        ),
    ];
    for (err, field) in cases {
        match err {
            Error::InvalidInput { field: f, .. } => assert_eq!(f, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    assert!(fake.requests().is_empty(), "{:?}", fake.requests());
}
