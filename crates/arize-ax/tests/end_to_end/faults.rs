//! The fault matrix: each fault the fake can inject, the facade's outcome,
//! and how many requests reached the server.

use std::sync::Arc;
use std::time::{Duration, Instant};

use arize_ax::{Client, Error, OrgRef, OrgRole, RetryPolicy};
use arize_ax_fake::{FakeArize, Fault};

fn client_with(fake: &FakeArize, retry: RetryPolicy, timeout: Duration) -> Client {
    Client::builder()
        .api_key(fake.api_key())
        .base_url(fake.base_url())
        .prerelease_warning(false)
        .timeout(timeout)
        .retry(retry)
        .build()
        .unwrap()
}

fn client(fake: &FakeArize) -> Client {
    client_with(
        fake,
        RetryPolicy::default().initial_backoff(Duration::from_millis(2)),
        Duration::from_secs(10),
    )
}

async fn fake() -> (FakeArize, String) {
    let fake = FakeArize::builder().seed_orgs(3).start().await.unwrap();
    let id = fake.organizations()[0].id.clone();
    (fake, id)
}

#[tokio::test]
async fn rate_limit_with_retry_after_succeeds_after_the_wait() {
    let (fake, id) = fake().await;
    fake.inject(Fault::rate_limited(1).on("GET", "/v2/organizations/"));
    let started = Instant::now();
    let org = client(&fake)
        .organizations()
        .get(OrgRef::Id(id.clone()))
        .await
        .unwrap();
    assert_eq!(org.id, id);
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(fake.request_count("GET", "/v2/organizations/"), 2);
}

#[tokio::test]
async fn total_waiting_is_capped() {
    let (fake, id) = fake().await;
    fake.inject(
        Fault::rate_limited(1)
            .on("GET", "/v2/organizations/")
            .times(10),
    );
    let retry = RetryPolicy::default()
        .max_attempts(5)
        .max_total_wait(Duration::from_millis(2500));
    let started = Instant::now();
    let err = client_with(&fake, retry, Duration::from_secs(10))
        .organizations()
        .get(OrgRef::Id(id))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert!(started.elapsed() < Duration::from_secs(5));
    // Two waits of 1 s fit the 2.5 s budget; a third would not.
    assert_eq!(fake.request_count("GET", "/v2/organizations/"), 3);
}

#[tokio::test]
async fn gateway_errors_on_get_and_delete_are_retried_then_succeed() {
    for status in [502, 503, 504] {
        let (fake, id) = fake().await;
        fake.inject(
            Fault::status(status)
                .on("GET", "/v2/organizations/")
                .times(2),
        );
        client(&fake)
            .organizations()
            .get(OrgRef::Id(id.clone()))
            .await
            .unwrap();
        assert_eq!(
            fake.request_count("GET", "/v2/organizations/"),
            3,
            "GET {status}"
        );

        fake.inject(Fault::status(status).on("DELETE", "/v2/organizations/"));
        client(&fake)
            .organizations()
            .delete(OrgRef::Id(id.clone()))
            .await
            .unwrap();
        assert_eq!(
            fake.request_count("DELETE", "/v2/organizations/"),
            2,
            "DELETE {status}"
        );
        assert_eq!(fake.organizations().len(), 2);
    }
}

#[tokio::test]
async fn exhausted_retries_name_the_attempts() {
    let (fake, id) = fake().await;
    fake.inject(
        Fault::status(503)
            .on("DELETE", "/v2/organizations/")
            .times(100),
    );
    let err = client(&fake)
        .organizations()
        .delete(OrgRef::Id(id))
        .await
        .unwrap_err();
    assert_eq!(fake.request_count("DELETE", "/v2/organizations/"), 3);
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
    assert_eq!(fake.organizations().len(), 3, "nothing deleted");
}

#[tokio::test]
async fn a_server_error_on_create_is_sent_exactly_once() {
    let (fake, _) = fake().await;
    for status in [500, 502, 504] {
        fake.clear_requests();
        fake.inject(Fault::status(status).on("POST", "/v2/organizations"));
        let err = client(&fake)
            .organizations()
            .create(format!("new-{status}"))
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert_eq!(
            fake.request_count("POST", "/v2/organizations"),
            1,
            "{status}"
        );
    }
    assert_eq!(fake.organizations().len(), 3, "no organization was created");
}

#[tokio::test]
async fn a_dropped_connection_is_a_transport_error() {
    let (fake, _) = fake().await;
    fake.inject(Fault::drop_connection().on("POST", "/v2/organizations"));
    let err = client(&fake)
        .organizations()
        .create("dropped")
        .await
        .unwrap_err();
    let Error::MaybeCreated { source, .. } = &err else {
        panic!("a lost create may have taken effect: {err:?}")
    };
    assert!(matches!(**source, Error::Transport(_)), "{err:?}");
    assert_eq!(
        fake.request_count("POST", "/v2/organizations"),
        1,
        "a create is not retried"
    );
}

#[tokio::test]
async fn a_slow_server_times_out_promptly() {
    let (fake, id) = fake().await;
    fake.inject(
        Fault::delay(Duration::from_secs(5))
            .on("GET", "/v2/organizations/")
            .times(5),
    );
    let started = Instant::now();
    let err = client_with(&fake, RetryPolicy::none(), Duration::from_millis(200))
        .organizations()
        .get(OrgRef::Id(id))
        .await
        .unwrap_err();
    let Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert!(t.is_timeout);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn malformed_and_empty_bodies_are_decode_errors_with_a_snippet() {
    let (fake, id) = fake().await;
    fake.inject(Fault::malformed_body().on("GET", "/v2/organizations/"));
    let err = client(&fake)
        .organizations()
        .get(OrgRef::Id(id.clone()))
        .await
        .unwrap_err();
    let Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert!(d.snippet.starts_with("{\"id\""), "{}", d.snippet);

    fake.inject(Fault::empty_body().on("GET", "/v2/organizations"));
    let err = client(&fake)
        .organizations()
        .list()
        .send()
        .await
        .unwrap_err();
    let Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert!(d.reason.contains("empty"), "{}", d.reason);
    assert_eq!(fake.requests().len(), 2, "decode errors are not retried");
}

/// 32 clients × 200 mixed operations; afterwards the fake holds exactly what
/// the successful calls say it should.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_clients_leave_consistent_state() {
    const TASKS: usize = 32;
    const OPS: usize = 200;
    let mut builder = FakeArize::builder().no_default_users();
    for i in 0..8 {
        builder = builder.user(&format!("U{i}"), &format!("u{i}@example.com"), "MEMBER");
    }
    let fake = Arc::new(builder.start().await.unwrap());
    let users: Vec<String> = fake.users().into_iter().map(|u| u.id).collect();
    let tasks: Vec<_> = (0..TASKS)
        .map(|t| {
            let fake = fake.clone();
            let users = users.clone();
            tokio::spawn(async move {
                let orgs = client(&fake).organizations();
                // What this task believes exists: org id -> members.
                let mut mine: std::collections::BTreeMap<
                    String,
                    std::collections::BTreeSet<String>,
                > = Default::default();
                for op in 0..OPS {
                    match op % 5 {
                        0 | 1 => {
                            let org = orgs.create(format!("t{t}-o{op}")).await.unwrap();
                            mine.insert(org.id, Default::default());
                        }
                        2 => {
                            if let Some(id) = mine.keys().nth(op % mine.len().max(1)).cloned() {
                                let user = users[(t + op) % users.len()].clone();
                                orgs.add_user(
                                    OrgRef::Id(id.clone()),
                                    user.as_str(),
                                    OrgRole::Member,
                                )
                                .skip_role_check()
                                .await
                                .unwrap();
                                mine.get_mut(&id).unwrap().insert(user);
                            }
                        }
                        3 => {
                            let target = mine.iter().find_map(|(id, members)| {
                                members.iter().next().map(|u| (id.clone(), u.clone()))
                            });
                            if let Some((id, user)) = target {
                                orgs.remove_user(OrgRef::Id(id.clone()), user.as_str())
                                    .await
                                    .unwrap();
                                mine.get_mut(&id).unwrap().remove(&user);
                            }
                        }
                        _ => {
                            if let Some(id) = mine.keys().next().cloned() {
                                orgs.delete(OrgRef::Id(id.clone())).await.unwrap();
                                mine.remove(&id);
                            }
                        }
                    }
                }
                mine
            })
        })
        .collect();
    let mut expected_orgs = std::collections::BTreeSet::new();
    let mut expected_members = std::collections::BTreeSet::new();
    for task in tasks {
        for (org, members) in task.await.unwrap() {
            for user in members {
                expected_members.insert((org.clone(), user));
            }
            expected_orgs.insert(org);
        }
    }
    let actual_orgs: std::collections::BTreeSet<String> =
        fake.organizations().into_iter().map(|o| o.id).collect();
    let actual_members: std::collections::BTreeSet<(String, String)> = fake
        .memberships()
        .into_iter()
        .map(|m| (m.organization_id, m.user_id))
        .collect();
    assert_eq!(
        actual_orgs, expected_orgs,
        "lost or duplicated organizations"
    );
    assert_eq!(
        actual_members, expected_members,
        "lost or duplicated memberships"
    );
    assert_eq!(
        fake.memberships().len(),
        expected_members.len(),
        "duplicate membership rows"
    );
    let names: std::collections::BTreeSet<String> =
        fake.organizations().into_iter().map(|o| o.name).collect();
    assert_eq!(names.len(), actual_orgs.len(), "duplicate names");
    assert_eq!(fake.requests().len(), TASKS * OPS);
}

#[tokio::test]
async fn a_503_on_create_was_not_processed_so_it_is_retried_and_creates_one() {
    let (fake, _) = fake().await;
    fake.clear_requests();
    fake.inject(Fault::status(503).on("POST", "/v2/organizations"));
    let org = client(&fake)
        .organizations()
        .create("after-503")
        .await
        .unwrap();
    assert_eq!(org.name, "after-503");
    assert_eq!(fake.request_count("POST", "/v2/organizations"), 2);
    assert_eq!(
        fake.organizations()
            .iter()
            .filter(|o| o.name == "after-503")
            .count(),
        1
    );
}

#[tokio::test]
async fn a_503_then_404_on_remove_user_is_not_found_not_success() {
    // The 503 was not processed, so the 404 after it is the truth: the user
    // was never a member.
    let (fake, id) = fake().await;
    let bob = fake
        .users()
        .into_iter()
        .find(|u| u.email == "bob@example.com")
        .unwrap();
    fake.inject(Fault::status(503).on("DELETE", "/v2/organizations/"));
    let err = client(&fake)
        .organizations()
        .remove_user(OrgRef::Id(id), bob.id.as_str())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404), "{err}");
}
