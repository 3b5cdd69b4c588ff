//! The facade against the fake: the documented walkthrough, pagination,
//! retries and the annotator rule, end to end.

use super::client;
use std::time::Duration;

use arize_ax::{Error, OrgRole, RoleAssignment};
use arize_ax_fake::{FakeArize, Fault};
use futures::TryStreamExt;

#[tokio::test]
async fn the_whole_walkthrough() {
    let fake = FakeArize::builder()
        .api_key("k")
        .seed(3)
        .seed_orgs(5)
        .start()
        .await
        .unwrap();
    let client = client(&fake);
    let orgs = client.organizations();

    let page = orgs.list().limit(3).send().await.unwrap();
    assert_eq!(page.organizations.len(), 3);
    assert!(page.pagination.has_more);

    let org = orgs
        .create("my-organization")
        .description("Optional description")
        .send()
        .await
        .unwrap();
    assert_eq!(org.description, "Optional description");

    let by_name = orgs.get("my-organization").await.unwrap();
    let by_id = orgs.get(&org.id).await.unwrap();
    assert_eq!(by_name, org);
    assert_eq!(by_id, org);

    let updated = orgs
        .update("my-organization")
        .name("updated-org-name")
        .description("Updated description")
        .send()
        .await
        .unwrap();
    assert_eq!(
        (updated.id.as_str(), updated.name.as_str()),
        (org.id.as_str(), "updated-org-name")
    );
    let cleared = orgs.update(&org.id).clear_description().await.unwrap();
    assert_eq!(cleared.description, "");

    let bob = fake
        .users()
        .into_iter()
        .find(|u| u.email == "bob@example.com")
        .unwrap();
    let by_id = orgs
        .add_user("updated-org-name", bob.id.as_str(), OrgRole::Member)
        .await
        .unwrap();
    assert_eq!(by_id.role, RoleAssignment::Predefined(OrgRole::Member));
    // Upsert, this time by email (any case).
    let by_email = orgs
        .add_user(&org.id, "BOB@example.com", OrgRole::Admin)
        .await
        .unwrap();
    assert_eq!(by_email.id, by_id.id);
    assert_eq!(by_email.role, RoleAssignment::Predefined(OrgRole::Admin));
    assert_eq!(fake.memberships().len(), 1);

    orgs.remove_user("updated-org-name", "bob@example.com")
        .await
        .unwrap();
    assert!(fake.memberships().is_empty());
    orgs.add_user(&org.id, bob.id.as_str(), OrgRole::ReadOnly)
        .await
        .unwrap();

    orgs.delete("updated-org-name").await.unwrap();
    assert!(
        fake.memberships().is_empty(),
        "delete cascades to memberships"
    );
    let err = orgs.get(&org.id).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert!(err.is_not_found());
    let err = orgs.get("updated-org-name").await.unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
}

#[tokio::test]
async fn pagination_over_260_organizations() {
    let fake = FakeArize::builder().seed_orgs(260).start().await.unwrap();
    let client = client(&fake);
    let all: Vec<arize_ax::Organization> = client
        .organizations()
        .list()
        .limit(100)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 260);
    let expected: Vec<String> = fake.organizations().into_iter().map(|o| o.id).collect();
    let got: Vec<String> = all.into_iter().map(|o| o.id).collect();
    assert_eq!(got, expected, "every organization once, in order");
    assert_eq!(fake.request_count("GET", "/v2/organizations"), 3);

    // Resolving the last one by name pages with the filter: `org-00260`
    // matches itself only.
    let last = client.organizations().get("org-00260").await.unwrap();
    assert_eq!(last.id, *expected.last().unwrap());
}

#[tokio::test]
async fn a_rate_limit_is_retried_to_success() {
    let fake = FakeArize::builder().seed_orgs(1).start().await.unwrap();
    fake.inject(
        Fault::rate_limited(0)
            .on("POST", "/v2/organizations")
            .times(2),
    );
    let client = client(&fake);
    let org = client
        .organizations()
        .create("after-throttling")
        .await
        .unwrap();
    assert_eq!(org.name, "after-throttling");
    assert_eq!(fake.request_count("POST", "/v2/organizations"), 3);
    assert_eq!(fake.organizations().len(), 2, "created exactly once");
}

#[tokio::test]
async fn a_server_error_on_create_is_not_retried() {
    let fake = FakeArize::builder().start().await.unwrap();
    fake.inject(Fault::status(500).on("POST", "/v2/organizations"));
    let err = client(&fake)
        .organizations()
        .create("once")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(fake.request_count("POST", "/v2/organizations"), 1);
}

#[tokio::test]
async fn the_annotator_rule_end_to_end() {
    let fake = FakeArize::builder().start().await.unwrap();
    let client = client(&fake);
    let orgs = client.organizations();
    let org = orgs.create("labelling").await.unwrap();

    // Checked by the facade before writing...
    for (user, role) in [
        ("ann@example.com", OrgRole::Member),
        ("bob@example.com", OrgRole::Annotator),
    ] {
        let err = orgs.add_user(&org.id, user, role).await.unwrap_err();
        assert!(matches!(err, Error::RoleConstraint(_)), "{user}: {err:?}");
    }
    assert_eq!(fake.request_count("POST", "/v2/organizations/"), 0);

    // ...and by the server when the check is skipped.
    let ann = fake
        .users()
        .into_iter()
        .find(|u| u.email == "ann@example.com")
        .unwrap();
    let err = orgs
        .add_user(&org.id, ann.id.as_str(), OrgRole::Member)
        .skip_role_check()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert!(err.to_string().contains("ANNOTATOR"), "{err}");

    let ok = orgs
        .add_user(&org.id, "ann@example.com", OrgRole::Annotator)
        .await
        .unwrap();
    assert_eq!(ok.role, RoleAssignment::Predefined(OrgRole::Annotator));
}

#[tokio::test]
async fn streams_fetch_one_page_ahead_and_no_further() {
    let fake = FakeArize::builder()
        .api_key("k")
        .seed_orgs(10)
        .latency(Duration::from_millis(5))
        .start()
        .await
        .unwrap();
    let client = client(&fake);
    let mut stream = client.organizations().list().limit(2).stream();
    let first = stream.try_next().await.unwrap().unwrap();
    assert_eq!(first.name, "org-00001");
    // The caller is busy with page 1: page 2 arrives meanwhile, page 3 is
    // not asked for.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(fake.request_count("GET", "/v2/organizations"), 2);
    let rest: Vec<_> = stream.try_collect().await.unwrap();
    assert_eq!(rest.len(), 9);
    assert_eq!(fake.request_count("GET", "/v2/organizations"), 5);

    // Dropping a stream stops it: no page is fetched after.
    fake.clear_requests();
    let mut stream = client.organizations().list().limit(2).stream();
    stream.try_next().await.unwrap();
    drop(stream);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(fake.request_count("GET", "/v2/organizations") <= 2);
}

#[tokio::test]
async fn an_error_on_a_prefetched_page_ends_the_stream_with_it() {
    let fake = FakeArize::builder()
        .api_key("k")
        .seed_orgs(6)
        .start()
        .await
        .unwrap();
    let client = client(&fake);
    // Page 1 gets through; page 2 (fetched ahead) is refused.
    fake.inject(
        Fault::status(401)
            .on("GET", "/v2/organizations")
            .skip(1)
            .times(5),
    );
    let mut stream = client.organizations().list().limit(3).stream();
    let mut seen = 0;
    let err = loop {
        match stream.try_next().await {
            Ok(Some(_)) => seen += 1,
            Ok(None) => panic!("the stream ended without the error"),
            Err(e) => break e,
        }
    };
    assert_eq!(seen, 3, "page 1 is delivered before page 2's error");
    assert_eq!(err.status(), Some(401));
    assert!(
        stream.try_next().await.unwrap().is_none(),
        "an error ends the stream"
    );
}
