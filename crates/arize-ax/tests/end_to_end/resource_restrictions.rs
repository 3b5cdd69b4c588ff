//! Resource restrictions through the facade, against the fake: restrict
//! (idempotent), list through short and empty pages, unrestrict (a lost
//! answer's 404 is done), bad IDs refused with nothing sent.

use super::client;

use arize_ax::resource_restrictions::RestrictionType;
use arize_ax::{Error, Removal};
use arize_ax_fake::{FakeArize, Fault};
use base64::Engine as _;
use futures::TryStreamExt;

fn id(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

#[tokio::test]
async fn restrict_is_idempotent_and_unrestrict_undoes_it() {
    let fake = FakeArize::builder().start().await.unwrap();
    let restrictions = client(&fake).resource_restrictions();
    let project = id("Project:1");
    let first = restrictions.restrict(&project).await.unwrap();
    assert_eq!(first.resource_type, Some(RestrictionType::Project));
    let again = restrictions.restrict(&project).await.unwrap();
    assert_eq!(
        again, first,
        "restricting twice answers the same restriction"
    );
    let dashboard = restrictions.restrict(id("Dashboard:7")).await.unwrap();
    assert_eq!(dashboard.resource_type, Some(RestrictionType::Dashboard));
    assert_eq!(fake.with_state(|s| s.resource_restrictions().len()), 2);

    let projects: Vec<String> = restrictions
        .list()
        .resource_type(RestrictionType::Project)
        .stream()
        .map_ok(|r| r.resource_id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(projects, std::slice::from_ref(&project));

    assert_eq!(
        restrictions.unrestrict(&project).await.unwrap(),
        Removal::Done
    );
    let err = restrictions.unrestrict(&project).await.unwrap_err();
    assert_eq!(err.status(), Some(404), "{err}");
    let err = restrictions.restrict(id("Model:3")).await.unwrap_err();
    assert_eq!(
        err.status(),
        Some(400),
        "not a restrictable resource: {err}"
    );
}

#[tokio::test]
async fn lost_answers_are_neither_false_errors_nor_false_successes() {
    let fake = FakeArize::builder().start().await.unwrap();
    let restrictions = client(&fake).resource_restrictions();
    let project = id("Project:2");
    // The restriction is made, its answer lost: restricting again is safe.
    fake.inject(
        Fault::status(502)
            .on("POST", "/v2/resource-restrictions")
            .after_effect(),
    );
    let made = restrictions.restrict(&project).await.unwrap();
    assert_eq!(made.resource_id, project);
    // Lifted, answer lost: the retry's 404 means done.
    fake.inject(
        Fault::status(502)
            .on("DELETE", "/v2/resource-restrictions/")
            .after_effect(),
    );
    assert_eq!(
        restrictions.unrestrict(&project).await.unwrap(),
        Removal::DoneByLostAttempt
    );
    assert!(fake.with_state(|s| s.resource_restrictions().is_empty()));
    // A 503 was not processed: its retry's 404 is a real 404.
    fake.inject(Fault::status(503).on("DELETE", "/v2/resource-restrictions/"));
    let err = restrictions.unrestrict(&project).await.unwrap_err();
    assert_eq!(err.status(), Some(404), "{err}");
}

#[tokio::test]
async fn listings_go_through_short_and_empty_pages() {
    let fake = FakeArize::builder()
        .hidden_restrictions(120)
        .start()
        .await
        .unwrap();
    let restrictions = client(&fake).resource_restrictions();
    for n in 0..3 {
        restrictions
            .restrict(id(&format!("Prompt:{n}")))
            .await
            .unwrap();
    }
    fake.with_state(|s| s.add_hidden_restrictions(60));
    for n in 3..5 {
        restrictions
            .restrict(id(&format!("Prompt:{n}")))
            .await
            .unwrap();
    }
    let before = fake.requests().len();
    // 50 a page: two empty pages, then one with 3 of its 50.
    let page = restrictions.list().limit(50).await.unwrap();
    assert_eq!(page.resource_restrictions.len(), 3);
    assert!(page.pagination.has_more);
    assert_eq!(
        fake.requests().len() - before,
        3,
        "two empty pages followed"
    );
    let all: Vec<_> = restrictions
        .list()
        .limit(50)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 5, "every visible restriction, none lost");
}

#[tokio::test]
async fn bad_ids_are_refused_before_anything_is_sent() {
    let fake = FakeArize::builder().start().await.unwrap();
    let restrictions = client(&fake).resource_restrictions();
    for bad in ["", "not an id", &id("Space:1"), &id("Organization:1")] {
        let err = restrictions.restrict(bad).await.unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput { field, .. } if *field == "resource_id"),
            "{bad}: {err}"
        );
        assert!(restrictions.unrestrict(bad).await.is_err());
    }
    assert!(fake.requests().is_empty(), "nothing sent");
}
