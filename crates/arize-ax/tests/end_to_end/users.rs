//! The users API (BETA) of the facade against the fake: filters, pages, get
//! by ID and by email, unknown statuses, and the BETA warning once per method.

use std::sync::Arc;

use arize_ax::{Client, Error, PrereleaseGate, ResponseObject, User, UserStatus};
use arize_ax_fake::FakeArize;
use futures::TryStreamExt;

/// The five default users plus seven more: three of them invited, one with a
/// status this SDK version does not know.
async fn fake() -> FakeArize {
    let mut builder = FakeArize::builder().api_key("k");
    for i in 0..4 {
        builder = builder.user(
            &format!("Dev {i}"),
            &format!("dev{i}@corp.example"),
            "MEMBER",
        );
    }
    for i in 0..2 {
        builder = builder.user_with_status(
            &format!("Guest {i}"),
            &format!("Guest{i}@Corp.Example"),
            "MEMBER",
            "INVITED",
        );
    }
    builder
        .user_with_status(
            "Sam Suspended",
            "sam@corp.example",
            "ANNOTATOR",
            "SUSPENDED",
        )
        .start()
        .await
        .unwrap()
}

fn client(fake: &FakeArize, gate: &Arc<PrereleaseGate>) -> Client {
    Client::builder()
        .api_key(fake.api_key())
        .base_url(fake.base_url())
        .prerelease_gate(gate.clone())
        .build()
        .unwrap()
}

fn emails(users: &[User]) -> Vec<&str> {
    users.iter().map(|u| u.email.as_str()).collect()
}

#[tokio::test]
async fn pages_follow_cursors_and_stream_returns_everyone_once() {
    let fake = fake().await;
    let gate = Arc::new(PrereleaseGate::capturing());
    let users = client(&fake, &gate).users();

    let first = users.list().limit(5).send().await.unwrap();
    assert_eq!(first.users.len(), 5);
    assert!(first.pagination.has_more);
    let cursor = first.pagination.next_cursor.clone().unwrap();
    let second = users.list().limit(5).cursor(cursor).send().await.unwrap();
    assert_eq!(second.users.len(), 5);
    assert!(second.users.iter().all(|u| !first.users.contains(u)));

    let all: Vec<User> = users.list().limit(5).stream().try_collect().await.unwrap();
    let expected: Vec<String> = fake.users().into_iter().map(|u| u.email).collect();
    assert_eq!(
        emails(&all),
        expected.iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert_eq!(all.len(), 12);
    assert_eq!(fake.request_count("GET", "/v2/users"), 2 + 3);
}

#[tokio::test]
async fn email_filter_ignores_case_and_status_filters_combine() {
    let fake = fake().await;
    let gate = Arc::new(PrereleaseGate::capturing());
    let users = client(&fake, &gate).users();

    let corp: Vec<User> = users
        .list()
        .email("CORP.EXAMPLE")
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(corp.len(), 7);

    let invited = users
        .list()
        .email("@corp")
        .status(UserStatus::Invited)
        .send()
        .await
        .unwrap();
    assert_eq!(
        emails(&invited.users),
        ["Guest0@Corp.Example", "Guest1@Corp.Example"]
    );
    assert!(
        invited
            .users
            .iter()
            .all(|u| u.status == Some(UserStatus::Invited))
    );

    let invited_or_expired = users
        .list()
        .statuses([UserStatus::Invited, UserStatus::Expired])
        .send()
        .await
        .unwrap();
    assert_eq!(
        emails(&invited_or_expired.users),
        [
            "ivy@example.com",
            "ed@example.com",
            "Guest0@Corp.Example",
            "Guest1@Corp.Example"
        ]
    );
    let query = fake
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.path == "/v2/users")
        .unwrap()
        .query
        .unwrap_or_default();
    assert!(
        query.contains("status=INVITED") && query.contains("status=EXPIRED"),
        "statuses are sent as repeated parameters: {query}"
    );
}

#[tokio::test]
async fn get_by_id_and_by_email_in_any_case() {
    let fake = fake().await;
    let gate = Arc::new(PrereleaseGate::capturing());
    let users = client(&fake, &gate).users();
    let bob = fake
        .users()
        .into_iter()
        .find(|u| u.email == "bob@example.com")
        .unwrap();

    let by_id = users.get(bob.id.as_str()).await.unwrap();
    assert_eq!(
        (by_id.id.as_str(), by_id.name.as_str()),
        (bob.id.as_str(), "Bob Member")
    );
    assert_eq!(by_id.status, Some(UserStatus::Active));
    assert_eq!(by_id.role.label(), "MEMBER");

    let by_email = users.get("BOB@Example.COM").await.unwrap();
    assert_eq!(by_email, by_id);

    let guest = users.get("guest1@corp.example").await.unwrap();
    assert_eq!(guest.status, Some(UserStatus::Invited));
}

#[tokio::test]
async fn unknown_statuses_decode_and_keep_their_value() {
    let fake = fake().await;
    let gate = Arc::new(PrereleaseGate::capturing());
    let users = client(&fake, &gate).users();
    let sam = users.get("sam@corp.example").await.unwrap();
    assert_eq!(sam.status, Some(UserStatus::Other("SUSPENDED".into())));
    assert_eq!(sam.to_json()["status"], "SUSPENDED");

    let everyone: Vec<User> = users.list().stream().try_collect().await.unwrap();
    assert!(everyone.contains(&sam));

    // A status the spec does not list is sent as given; the server judges it.
    let err = users
        .list()
        .status(UserStatus::Other("SUSPENDED".into()))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api(api) if api.status == 400),
        "{err:?}"
    );
    assert!(err.to_string().contains("SUSPENDED"), "{err}");
}

#[tokio::test]
async fn not_found_by_id_and_by_email() {
    let fake = fake().await;
    let gate = Arc::new(PrereleaseGate::capturing());
    let users = client(&fake, &gate).users();

    let err = users.get("nobody@example.com").await.unwrap_err();
    let Error::NotFound(nf) = &err else {
        panic!("expected NotFound, got {err:?}")
    };
    assert_eq!(nf.query, "nobody@example.com");

    let err = users.get("VXNlcjo5OTk5OTk=").await.unwrap_err();
    assert!(
        matches!(&err, Error::Api(api) if api.status == 404),
        "expected a 404, got {err:?}"
    );
}

#[tokio::test]
async fn bad_input_is_refused_before_any_request() {
    let fake = fake().await;
    let gate = Arc::new(PrereleaseGate::capturing());
    let users = client(&fake, &gate).users();
    fake.clear_requests();

    let cases: Vec<(&str, Error)> = vec![
        ("limit", users.list().limit(0).send().await.unwrap_err()),
        ("limit", users.list().limit(101).send().await.unwrap_err()),
        ("email", users.list().email("").send().await.unwrap_err()),
        (
            "email",
            users.list().email("a\u{7}b").send().await.unwrap_err(),
        ),
        (
            "email",
            users
                .list()
                .email("x".repeat(256))
                .send()
                .await
                .unwrap_err(),
        ),
        (
            "status",
            users
                .list()
                .status(UserStatus::Other("ON HOLD".into()))
                .send()
                .await
                .unwrap_err(),
        ),
        ("cursor", users.list().cursor(" ").send().await.unwrap_err()),
        (
            "limit",
            users
                .list()
                .limit(0)
                .stream()
                .try_collect::<Vec<_>>()
                .await
                .unwrap_err(),
        ),
        ("user", users.get("").await.unwrap_err()),
        ("user", users.get("not an id!").await.unwrap_err()),
    ];
    for (field, err) in cases {
        match &err {
            Error::InvalidInput { field: f, .. } => assert_eq!(*f, field, "{err}"),
            other => panic!("expected invalid input for {field}, got {other:?}"),
        }
        assert!(err.to_string().contains(field), "{err}");
    }
    assert!(fake.requests().is_empty(), "{:?}", fake.requests());
}

#[tokio::test]
async fn the_beta_warning_comes_once_per_method() {
    let fake = fake().await;
    let gate = Arc::new(PrereleaseGate::capturing());
    let users = client(&fake, &gate).users();
    users.list().send().await.unwrap();
    users.list().limit(2).send().await.unwrap();
    let _: Vec<User> = users.list().stream().try_collect().await.unwrap();
    users.get("bob@example.com").await.unwrap();
    users.get("alice@example.com").await.unwrap();

    let warnings = gate.captured();
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    assert!(
        warnings[0].starts_with("[BETA] users.list "),
        "{}",
        warnings[0]
    );
    assert!(
        warnings[1].starts_with("[BETA] users.get "),
        "{}",
        warnings[1]
    );
    assert!(
        warnings.iter().all(|w| w.contains("a beta API")),
        "{warnings:#?}"
    );
}

#[tokio::test]
async fn emails_match_ignoring_case_beyond_ascii_as_the_server_does() {
    let fake = FakeArize::builder()
        .api_key("k")
        .user("Éva", "Éva.Ölmez@Example.com", "MEMBER")
        .start()
        .await
        .unwrap();
    let gate = Arc::new(PrereleaseGate::capturing());
    let client = client(&fake, &gate);
    let eva = client.users().get("éva.ölmez@example.com").await.unwrap();
    assert_eq!(eva.email, "Éva.Ölmez@Example.com");
    let org = client.organizations().create("team").await.unwrap();
    let membership = client
        .organizations()
        .add_user(
            org.id.as_str(),
            "ÉVA.ÖLMEZ@EXAMPLE.COM",
            arize_ax::OrgRole::Member,
        )
        .await
        .unwrap();
    assert_eq!(membership.user_id, eva.id);
}
