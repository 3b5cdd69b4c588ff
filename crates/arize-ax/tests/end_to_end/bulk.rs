//! Bulk membership changes through the facade, against the fake.

use super::client;
use std::time::Duration;

use arize_ax::{BulkReport, Client, Error, OrgRole, OrganizationMembership, RetryPolicy};
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

/// Adds every `user…` of the fake to its first organization by ID (no role
/// check), `concurrency` at a time.
async fn add_members(fake: &FakeArize, concurrency: usize) -> BulkReport<OrganizationMembership> {
    let org = fake.organizations()[0].id.clone();
    client(fake)
        .organizations()
        .add_users(org.as_str(), member_ids(fake))
        .concurrency(concurrency)
        .skip_role_check()
        .send()
        .await
        .unwrap()
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
    let report = add_members(&fake, 16).await;
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
    let report = add_members(&fake, 2).await;
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
    let org = fake.organizations()[0].id.clone();
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

/// The arrival times of the requests to `path_prefix`, oldest first.
fn arrivals(fake: &FakeArize, method: &str, path_prefix: &str) -> Vec<(std::time::Instant, u16)> {
    let mut times: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.method == method && r.path.starts_with(path_prefix))
        .map(|r| (r.received, r.status))
        .collect();
    times.sort();
    times
}

#[tokio::test]
async fn a_retry_after_pauses_the_whole_batch_and_in_flight_requests_finish() {
    let mut builder = FakeArize::builder()
        .seed_orgs(1)
        .latency(Duration::from_millis(40));
    for i in 0..12 {
        builder = builder.user(
            &format!("User {i}"),
            &format!("user{i}@example.com"),
            "MEMBER",
        );
    }
    let fake = builder.start().await.unwrap();
    // The third add is told to come back in a second.
    fake.inject(
        Fault::rate_limited(1)
            .on("POST", "/v2/organizations/")
            .skip(2)
            .times(1),
    );
    let report = add_members(&fake, 8).await;
    assert!(report.all_succeeded());
    assert_eq!(fake.memberships().len(), 12);
    let posts = arrivals(&fake, "POST", "/v2/organizations/");
    assert_eq!(posts.len(), 13, "one retry, nothing else repeated");
    let refused = posts.iter().find(|(_, s)| *s == 429).unwrap().0;
    // The answer came 40 ms after the request (and reached the client a
    // little later: allow 25 ms); from then, one second of nothing
    // (requests sent before the answer went on).
    let answered = refused + Duration::from_millis(40);
    let (quiet_from, quiet_until) = (
        answered + Duration::from_millis(25),
        answered + Duration::from_millis(990),
    );
    let inside: Vec<Duration> = posts
        .iter()
        .filter(|(t, _)| *t > quiet_from && *t < quiet_until)
        .map(|(t, _)| *t - refused)
        .collect();
    assert!(inside.is_empty(), "started during the pause: {inside:?}");
    let after = posts.iter().filter(|(t, _)| *t >= quiet_until).count();
    assert!(after >= 9, "the rest came after the pause ({after})");
}

#[tokio::test]
async fn every_retry_waits_for_the_batch_s_pace() {
    let fake = fake_with_users(6).await;
    // Each user's first add is refused with `Retry-After: 0`: no pause,
    // but the batch slows down, and its retries keep to that pace instead of
    // all coming back at once.
    fake.inject(
        Fault::rate_limited(0)
            .on("POST", "/v2/organizations/")
            .times(6),
    );
    let report = add_members(&fake, 6).await;
    assert!(report.all_succeeded());
    let posts = arrivals(&fake, "POST", "/v2/organizations/");
    assert_eq!(posts.len(), 12);
    // Paced at 20 a second or slower, requests are 50 ms apart or more; a
    // retry that skipped the pace would follow its 429 by ~10 ms.
    let gaps: Vec<Duration> = posts.windows(2).map(|w| w[1].0 - w[0].0).collect();
    assert!(
        gaps.iter().all(|g| *g >= Duration::from_millis(30)),
        "{gaps:?}"
    );
}

fn emails(range: std::ops::Range<usize>) -> Vec<(String, OrgRole)> {
    range
        .map(|i| (format!("user{i}@example.com"), OrgRole::Member))
        .collect()
}

#[tokio::test]
async fn emails_in_a_large_account_cost_about_one_look_up_each() {
    let fake = fake_with_users(5000).await;
    fake.clear_requests();
    let report = client(&fake)
        .organizations()
        .add_users("org-00001", emails(1000..1025))
        .send()
        .await
        .unwrap();
    assert!(report.all_succeeded());
    // The first page says there are more, and the listing is not followed
    // further than a tenth of the look-ups (two pages here): then one
    // filtered look-up per email.
    let gets = fake.request_count("GET", "/v2/users");
    assert_eq!(gets, 2 + 25, "{gets} user requests for 25 emails");
}

#[tokio::test]
async fn an_account_listed_in_one_page_costs_one_request() {
    let fake = fake_with_users(60).await;
    fake.clear_requests();
    let report = client(&fake)
        .organizations()
        .add_users("org-00001", emails(0..10))
        .send()
        .await
        .unwrap();
    assert!(report.all_succeeded());
    assert_eq!(fake.request_count("GET", "/v2/users"), 1);
    // Two look-ups are not worth a page: one request each.
    fake.clear_requests();
    let report = client(&fake)
        .organizations()
        .add_users("org-00001", emails(10..12))
        .send()
        .await
        .unwrap();
    assert!(report.all_succeeded());
    assert_eq!(fake.request_count("GET", "/v2/users"), 2);
}

#[tokio::test]
async fn a_failed_listing_falls_back_to_one_look_up_per_email() {
    let fake = fake_with_users(60).await;
    fake.clear_requests();
    fake.inject(Fault::status(400).on("GET", "/v2/users").times(1));
    let report = client(&fake)
        .organizations()
        .add_users("org-00001", emails(0..10))
        .send()
        .await
        .unwrap();
    let failures: Vec<String> = report.failed().map(|(_, e)| e.to_string()).collect();
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(fake.memberships().len(), 10);
    assert_eq!(fake.request_count("GET", "/v2/users"), 1 + 10);
}

#[tokio::test]
async fn throttled_look_ups_listings_and_invitations_spend_no_attempts() {
    let fake = fake_with_users(12).await;
    // Two emails: a look-up each (no listing); between them they are
    // refused eight times, so one is refused at least four times (more than
    // the policy's three attempts); the invitation is refused four times.
    fake.inject(Fault::rate_limited(0).on("GET", "/v2/users").times(8));
    fake.inject(Fault::rate_limited(0).on("POST", "/v2/users").times(4));
    fake.clear_requests();
    let users = vec![
        ("user0@example.com".to_owned(), OrgRole::Member),
        ("new@example.com".to_owned(), OrgRole::Member),
    ];
    let report = client(&fake)
        .organizations()
        .add_users("org-00001", users)
        .invite(true)
        .send()
        .await
        .unwrap();
    let failures: Vec<String> = report.failed().map(|(_, e)| e.to_string()).collect();
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(fake.memberships().len(), 2);
    assert!(fake.users().iter().any(|u| u.email == "new@example.com"));
    assert_eq!(fake.request_count("GET", "/v2/users"), 2 + 8);
    assert_eq!(fake.request_count("POST", "/v2/users"), 1 + 4);

    // A listing refused four times on its first page is still used.
    fake.inject(Fault::rate_limited(0).on("GET", "/v2/users").times(4));
    fake.clear_requests();
    let report = client(&fake)
        .organizations()
        .add_users("org-00001", emails(2..10))
        .send()
        .await
        .unwrap();
    assert!(report.all_succeeded());
    assert_eq!(
        fake.request_count("GET", "/v2/users"),
        1 + 4,
        "one page, no look-ups"
    );
}

#[tokio::test]
async fn a_listing_refused_for_the_key_fails_the_batch_without_look_ups() {
    let fake = fake_with_users(60).await;
    fake.inject(Fault::status(403).on("GET", "/v2/users").times(1));
    fake.clear_requests();
    let err = client(&fake)
        .organizations()
        .add_users("org-00001", emails(0..10))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403), "{err}");
    assert_eq!(
        fake.request_count("GET", "/v2/users"),
        1,
        "no look-up after it"
    );
    assert!(fake.memberships().is_empty());
}
