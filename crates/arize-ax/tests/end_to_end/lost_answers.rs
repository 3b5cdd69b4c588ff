//! Lost answers: the server carries a request out and then the answer is
//! lost (a 502 after the change, or the connection dropped in the middle of
//! the answer). For all seven organization operations and both ways of
//! losing the answer, what the facade reports must match the state the fake
//! ends up in, and a create is never duplicated.

use super::client;

use arize_ax::{Client, Error, OrgRole, Removal, RetryPolicy};
use arize_ax_fake::{FakeArize, Fault};

async fn fake() -> FakeArize {
    super::seeded(9, 3, 0).await
}

/// Both ways of losing an answer after the change took effect.
fn losses() -> [(&'static str, Fault); 2] {
    [
        ("502 after the change", Fault::status(502)),
        (
            "connection dropped after the change",
            Fault::drop_connection(),
        ),
    ]
}

fn lose(fake: &FakeArize, fault: Fault, method: &str) {
    fake.clear_requests();
    fake.inject(fault.on(method, "/v2/").after_effect());
}

fn count(fake: &FakeArize, method: &str) -> usize {
    fake.requests()
        .iter()
        .filter(|r| r.method == method)
        .count()
}

#[tokio::test]
async fn reads_are_retried() {
    for (how, fault) in losses() {
        let fake = fake().await;
        let orgs = client(&fake).organizations();
        let first = fake.organizations()[0].clone();

        lose(&fake, fault.clone(), "GET");
        let page = orgs
            .list()
            .send()
            .await
            .unwrap_or_else(|e| panic!("list, {how}: {e}"));
        assert_eq!(page.organizations.len(), 3, "list, {how}");
        assert_eq!(count(&fake, "GET"), 2, "list, {how}");

        lose(&fake, fault, "GET");
        let got = orgs
            .get(first.id.as_str())
            .await
            .unwrap_or_else(|e| panic!("get, {how}: {e}"));
        assert_eq!(got.name, first.name, "get, {how}");
        assert_eq!(count(&fake, "GET"), 2, "get, {how}");
    }
}

#[tokio::test]
async fn a_lost_create_is_not_repeated_and_says_the_organization_may_exist() {
    for (how, fault) in losses() {
        let fake = fake().await;
        let orgs = client(&fake).organizations();
        lose(&fake, fault, "POST");
        let err = orgs.create("fresh").await.unwrap_err();
        assert!(matches!(err, Error::MaybeCreated { .. }), "{how}: {err:?}");
        let text = err.to_string();
        assert!(
            text.contains("\"fresh\"") && text.contains("may exist") && text.contains("exist_ok"),
            "{how}: {text}"
        );
        // The cause is the source, not repeated in the message, so an error
        // chain (`{:#}`) prints each level once.
        let source = std::error::Error::source(&err).expect("a cause");
        assert!(!text.contains(&source.to_string()), "{how}: {text}");
        assert_eq!(count(&fake, "POST"), 1, "{how}: a create is sent once");
        let named: Vec<_> = fake
            .organizations()
            .into_iter()
            .filter(|o| o.name == "fresh")
            .collect();
        assert_eq!(named.len(), 1, "{how}: it did take effect, once");
    }
}

#[tokio::test]
async fn with_exist_ok_a_lost_create_is_retried_and_returns_the_one_organization() {
    for (how, fault) in losses() {
        let fake = fake().await;
        let orgs = client(&fake).organizations();
        lose(&fake, fault, "POST");
        let org = orgs
            .create("fresh")
            .description("d")
            .exist_ok(true)
            .await
            .unwrap_or_else(|e| panic!("{how}: {e}"));
        assert_eq!(
            (org.name.as_str(), org.description.as_str()),
            ("fresh", "d")
        );
        let named: Vec<_> = fake
            .organizations()
            .into_iter()
            .filter(|o| o.name == "fresh")
            .collect();
        assert_eq!(named.len(), 1, "{how}: zero duplicates");
        assert_eq!(named[0].id, org.id, "{how}");
        assert_eq!(count(&fake, "POST"), 2, "{how}: retried once, answered 409");
    }
}

#[tokio::test]
async fn exist_ok_returns_an_organization_that_already_exists() {
    let fake = fake().await;
    let orgs = client(&fake).organizations();
    let existing = fake.organizations()[1].clone();
    let org = orgs
        .create(existing.name.as_str())
        .exist_ok(true)
        .await
        .unwrap();
    assert_eq!(org.id, existing.id);
    let err = orgs.create(existing.name.as_str()).await.unwrap_err();
    assert_eq!(err.status(), Some(409));
    assert_eq!(fake.organizations().len(), 3);
}

#[tokio::test]
async fn a_lost_update_is_retried_with_the_same_values() {
    for (how, fault) in losses() {
        let fake = fake().await;
        let orgs = client(&fake).organizations();
        let target = fake.organizations()[0].clone();
        lose(&fake, fault, "PATCH");
        let org = orgs
            .update(target.id.as_str())
            .name("renamed")
            .description("new")
            .await
            .unwrap_or_else(|e| panic!("{how}: {e}"));
        assert_eq!(org.name, "renamed", "{how}");
        let stored = fake
            .organizations()
            .into_iter()
            .find(|o| o.id == target.id)
            .unwrap();
        assert_eq!(
            (stored.name.as_str(), stored.description.as_str()),
            ("renamed", "new")
        );
        assert_eq!(count(&fake, "PATCH"), 2, "{how}");
    }
}

#[tokio::test]
async fn a_lost_delete_is_a_delete() {
    for (how, fault) in losses() {
        let fake = fake().await;
        let orgs = client(&fake).organizations();
        let target = fake.organizations()[2].clone();
        lose(&fake, fault, "DELETE");
        let removal = orgs
            .delete(target.id.as_str())
            .await
            .unwrap_or_else(|e| panic!("{how}: a deleted organization reported as {e}"));
        assert_eq!(removal, Removal::DoneByLostAttempt, "{how}");
        assert!(
            fake.organizations().iter().all(|o| o.id != target.id),
            "{how}"
        );
        assert_eq!(count(&fake, "DELETE"), 2, "{how}: the retry found it gone");
    }
}

#[tokio::test]
async fn a_lost_add_user_is_retried_since_it_is_an_upsert() {
    for (how, fault) in losses() {
        let fake = fake().await;
        let orgs = client(&fake).organizations();
        let org = fake.organizations()[0].clone();
        let bob = fake
            .users()
            .into_iter()
            .find(|u| u.email == "bob@example.com")
            .unwrap();
        lose(&fake, fault, "POST");
        let membership = orgs
            .add_user(org.id.as_str(), bob.id.as_str(), OrgRole::ReadOnly)
            .skip_role_check()
            .await
            .unwrap_or_else(|e| panic!("{how}: {e}"));
        assert_eq!(
            membership.role.predefined(),
            Some(OrgRole::ReadOnly),
            "{how}"
        );
        let members: Vec<_> = fake
            .memberships()
            .into_iter()
            .filter(|m| m.organization_id == org.id && m.user_id == bob.id)
            .collect();
        assert_eq!(members.len(), 1, "{how}: one membership");
        assert_eq!(members[0].role, "READ_ONLY", "{how}");
        assert_eq!(count(&fake, "POST"), 2, "{how}");
    }
}

#[tokio::test]
async fn a_lost_remove_user_is_a_removal() {
    for (how, fault) in losses() {
        let fake = fake().await;
        let orgs = client(&fake).organizations();
        let org = fake.organizations()[0].clone();
        orgs.add_user(org.id.as_str(), "bob@example.com", OrgRole::Member)
            .await
            .unwrap();
        lose(&fake, fault, "DELETE");
        let removal = orgs
            .remove_user(org.id.as_str(), "bob@example.com")
            .await
            .unwrap_or_else(|e| panic!("{how}: a removed member reported as {e}"));
        assert_eq!(removal, Removal::DoneByLostAttempt, "{how}");
        assert!(fake.memberships().is_empty(), "{how}");
        assert_eq!(count(&fake, "DELETE"), 2, "{how}");
    }
}

#[tokio::test]
async fn without_retries_a_lost_answer_is_reported_as_it_came() {
    let fake = fake().await;
    let client = Client::builder()
        .api_key(fake.api_key())
        .base_url(fake.base_url())
        .prerelease_warning(false)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let target = fake.organizations()[0].clone();
    lose(&fake, Fault::status(502), "DELETE");
    let err = client
        .organizations()
        .delete(target.id.as_str())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(502));
    assert_eq!(count(&fake, "DELETE"), 1, "RetryPolicy::none() sends once");
}
