//! Bulk membership changes through the facade, against the fake.

use std::time::Duration;

use arize_ax::{Client, Error, OrgRole, RetryPolicy};
use arize_ax_fake::{FakeArize, Fault};

async fn fake_with_users(n: usize) -> FakeArize {
    let mut builder = FakeArize::builder().seed_orgs(1);
    for i in 0..n {
        builder = builder.user(
            &format!("User {i}"),
            &format!("user{i}@example.com"),
            "MEMBER",
        );
    }
    builder.start().await.unwrap()
}

fn client(fake: &FakeArize) -> Client {
    Client::builder()
        .api_key(fake.api_key())
        .base_url(fake.base_url())
        .prerelease_warning(false)
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(2)))
        .build()
        .unwrap()
}

#[tokio::test]
async fn adds_every_user_resolving_the_organization_once() {
    let fake = fake_with_users(40).await;
    let users: Vec<(String, OrgRole)> = (0..40)
        .map(|i| (format!("user{i}@example.com"), OrgRole::Member))
        .collect();
    fake.clear_requests();
    let report = client(&fake)
        .organizations()
        .add_users("org-00001", users)
        .concurrency(8)
        .send()
        .await
        .unwrap();
    assert!(report.all_succeeded());
    assert_eq!(report.items.len(), 40);
    assert_eq!(
        report.items[7].user.as_str(),
        "user7@example.com",
        "results keep the input order"
    );
    assert_eq!(fake.memberships().len(), 40);
    assert_eq!(
        fake.request_count("GET", "/v2/organizations"),
        1,
        "the organization is resolved once"
    );
}

#[tokio::test]
async fn one_failure_never_hides_the_others() {
    let fake = fake_with_users(5).await;
    let users = vec![
        ("user0@example.com", OrgRole::Member),
        ("nobody@example.com", OrgRole::Member),
        ("ann@example.com", OrgRole::Admin),
        ("", OrgRole::Member),
        ("user1@example.com", OrgRole::ReadOnly),
    ];
    let report = client(&fake)
        .organizations()
        .add_users("org-00001", users)
        .send()
        .await
        .unwrap();
    let failed: Vec<&str> = report.failed().map(|(u, _)| u.as_str()).collect();
    assert_eq!(failed, ["nobody@example.com", "ann@example.com", ""]);
    assert!(matches!(report.items[1].result, Err(Error::NotFound(_))));
    assert!(matches!(
        report.items[2].result,
        Err(Error::RoleConstraint(_))
    ));
    assert!(matches!(
        report.items[3].result,
        Err(Error::InvalidInput { field: "user", .. })
    ));
    assert_eq!(report.succeeded().count(), 2);
    assert_eq!(fake.memberships().len(), 2);
}

fn member_ids(fake: &FakeArize) -> Vec<(String, OrgRole)> {
    fake.users()
        .into_iter()
        .filter(|u| u.email.starts_with("user"))
        .map(|u| (u.id, OrgRole::Member))
        .collect()
}

#[tokio::test]
async fn rate_limits_are_retried_by_the_clients_policy_only() {
    let fake = fake_with_users(30).await;
    // Ten of the first sixteen adds (all sent before any answer) are
    // rate limited; the client's policy retries each once.
    fake.inject(
        Fault::rate_limited(0)
            .on("POST", "/v2/organizations/")
            .times(10),
    );
    let org = fake.organizations()[0].id.clone();
    let report = client(&fake)
        .organizations()
        .add_users(org.as_str(), member_ids(&fake))
        .concurrency(16)
        .skip_role_check()
        .send()
        .await
        .unwrap();
    let failures: Vec<String> = report
        .failed()
        .map(|(u, e)| format!("{}: {e}", u.as_str()))
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(fake.memberships().len(), 30);
    assert_eq!(fake.request_count("POST", "/v2/organizations/"), 40);
}

#[tokio::test]
async fn with_no_retries_a_rate_limited_user_fails_after_one_attempt() {
    let fake = fake_with_users(30).await;
    fake.inject(
        Fault::rate_limited(0)
            .on("POST", "/v2/organizations/")
            .times(10),
    );
    let org = fake.organizations()[0].id.clone();
    let client = Client::builder()
        .api_key(fake.api_key())
        .base_url(fake.base_url())
        .prerelease_warning(false)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let report = client
        .organizations()
        .add_users(org.as_str(), member_ids(&fake))
        .concurrency(16)
        .skip_role_check()
        .send()
        .await
        .unwrap();
    assert_eq!(
        fake.request_count("POST", "/v2/organizations/"),
        30,
        "one request per user"
    );
    let throttled = report
        .failed()
        .filter(|(_, e)| e.status() == Some(429))
        .count();
    assert_eq!(throttled, 10);
    assert_eq!(report.succeeded().count(), 20);
    assert_eq!(fake.memberships().len(), 20);
}

#[tokio::test]
async fn a_large_batch_lists_users_once_instead_of_one_look_up_each() {
    let fake = fake_with_users(150).await;
    let users: Vec<(String, OrgRole)> = (0..150)
        .map(|i| (format!("USER{i}@example.com"), OrgRole::Member))
        .chain([("ann@example.com".to_owned(), OrgRole::Member)])
        .chain([("nobody@example.com".to_owned(), OrgRole::Member)])
        .collect();
    fake.clear_requests();
    let report = client(&fake)
        .organizations()
        .add_users("org-00001", users)
        .send()
        .await
        .unwrap();
    assert_eq!(report.succeeded().count(), 150);
    assert!(matches!(
        report.items[150].result,
        Err(Error::RoleConstraint(_))
    ));
    assert!(matches!(report.items[151].result, Err(Error::NotFound(_))));
    assert_eq!(fake.request_count("POST", "/v2/organizations/"), 150);
    // 155 users, 100 a page: two pages, and no per-user look-up.
    assert_eq!(fake.request_count("GET", "/v2/users"), 2);
    let requests = fake.requests().len() as f64;
    assert!(requests / 152.0 < 1.05, "{requests} requests for 152 users");
}

#[tokio::test]
async fn removes_users_and_reports_each() {
    let fake = fake_with_users(3).await;
    let orgs = client(&fake).organizations();
    let users = [
        "user0@example.com",
        "user1@example.com",
        "user2@example.com",
    ];
    orgs.add_users("org-00001", users.map(|u| (u, OrgRole::Member)))
        .await
        .unwrap();
    assert_eq!(fake.memberships().len(), 3);
    // A user given twice is refused before anything is removed.
    let err = orgs
        .remove_users(
            "org-00001",
            [
                "user0@example.com",
                "user2@example.com",
                "user0@example.com",
            ],
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("#1 and #3"), "{err}");
    assert_eq!(fake.memberships().len(), 3);
    let report = orgs
        .remove_users("org-00001", ["user0@example.com", "user2@example.com"])
        .await
        .unwrap();
    assert!(report.all_succeeded(), "{:?}", report.items);
    assert_eq!(fake.memberships().len(), 1);
}

#[tokio::test]
async fn invalid_batches_send_nothing() {
    let fake = fake_with_users(1).await;
    fake.clear_requests();
    let orgs = client(&fake).organizations();
    for n in [0, 65] {
        let err = orgs
            .add_users("org-00001", [("user0@example.com", OrgRole::Member)])
            .concurrency(n)
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidInput {
                    field: "concurrency",
                    ..
                }
            ),
            "{err:?}"
        );
    }
    let err = orgs
        .remove_users(" ", ["user0@example.com"])
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        Error::InvalidInput {
            field: "organization",
            ..
        }
    ));
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn throttling_spends_no_users_attempts_only_the_total_wait() {
    let fake = fake_with_users(3).await;
    // Each add is refused four times (more than the policy's three
    // attempts) before the server takes it: the batch is throttled, no user
    // is at fault.
    fake.inject(
        Fault::rate_limited(0)
            .on("POST", "/v2/organizations/")
            .times(12),
    );
    let org = fake.organizations()[0].id.clone();
    let report = client(&fake)
        .organizations()
        .add_users(org.as_str(), member_ids(&fake))
        .concurrency(2)
        .skip_role_check()
        .send()
        .await
        .unwrap();
    let failures: Vec<String> = report
        .failed()
        .map(|(u, e)| format!("{}: {e}", u.as_str()))
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(fake.memberships().len(), 3);
    assert_eq!(fake.request_count("POST", "/v2/organizations/"), 15);

    // One user call outside a batch keeps the policy's three attempts.
    fake.inject(
        Fault::rate_limited(0)
            .on("POST", "/v2/organizations/")
            .times(5),
    );
    let user = member_ids(&fake)[0].0.clone();
    let err = client(&fake)
        .organizations()
        .add_user(org.as_str(), user.as_str(), OrgRole::Admin)
        .skip_role_check()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api(api) if api.status == 429),
        "{err}"
    );
}

#[tokio::test]
async fn a_retry_after_past_the_policy_fails_its_user_and_pauses_the_batch_no_longer() {
    let fake = fake_with_users(5).await;
    fake.inject(
        Fault::rate_limited(86_400)
            .on("POST", "/v2/organizations/")
            .times(1),
    );
    let org = fake.organizations()[0].id.clone();
    let client = Client::builder()
        .api_key(fake.api_key())
        .base_url(fake.base_url())
        .prerelease_warning(false)
        .retry(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(2))
                .max_retry_after(Duration::from_millis(200)),
        )
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let report = tokio::time::timeout(
        Duration::from_secs(20),
        client
            .organizations()
            .add_users(org.as_str(), member_ids(&fake))
            .concurrency(1)
            .skip_role_check()
            .send(),
    )
    .await
    .expect("the batch is not frozen for a day")
    .unwrap();
    assert_eq!(
        report.failed().count(),
        1,
        "the user told to come back tomorrow"
    );
    assert_eq!(fake.memberships().len(), 4);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}
