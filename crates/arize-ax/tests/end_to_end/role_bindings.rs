//! Role bindings through the facade, against the fake: the lifecycle with
//! users, roles and spaces by name, the "ensure" of `replace`, client-side
//! filters, lost answers, and bad input refused with nothing sent.

use super::client;

use arize_ax::role_bindings::{Resource, ResourceType};
use arize_ax::{Error, Removal};
use arize_ax_fake::{FakeArize, Fault};
use futures::TryStreamExt;

const PROJECT: &str = "UHJvamVjdDoyNDY4"; // base64 of "Project:2468"

/// One organization with the space `ranking` and the custom role `Curator`.
async fn fake() -> FakeArize {
    super::with_space_and_role(11, "Curator").await
}

fn user_id(fake: &FakeArize, email: &str) -> String {
    fake.users()
        .into_iter()
        .find(|u| u.email == email)
        .unwrap()
        .id
}

#[tokio::test]
async fn a_binding_lives_from_create_to_delete_with_names_resolved() {
    let fake = fake().await;
    let bindings = client(&fake).role_bindings();
    let bob = user_id(&fake, "bob@example.com");
    let curator = fake
        .custom_roles()
        .into_iter()
        .find(|r| r.name == "Curator")
        .unwrap()
        .id;
    let space = fake.spaces()[0].id.clone();

    let made = bindings
        .create("bob@example.com", "Curator", Resource::space("ranking"))
        .organization("org-00001")
        .await
        .unwrap();
    assert_eq!(
        (
            made.user_id.as_str(),
            made.role_id.as_str(),
            made.resource_id.as_str()
        ),
        (bob.as_str(), curator.as_str(), space.as_str())
    );
    assert_eq!(made.resource_type, Some(ResourceType::Space));
    assert_eq!(bindings.get(made.id.as_str()).await.unwrap(), made);

    // A second binding of bob on the space: the API's 409, explained.
    let err = bindings
        .create(bob.as_str(), "ADMIN", Resource::space(space.as_str()))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(409), "{err}");
    let text = format!("{err:#}");
    assert!(
        text.contains(&made.id) && text.contains("replace"),
        "{text}"
    );

    // replace: the existing binding gets the role; again, nothing changes.
    let admin = fake.predefined_roles()[0].id.clone();
    let replaced = bindings
        .create(bob.as_str(), "ADMIN", Resource::space("ranking"))
        .replace(true)
        .await
        .unwrap();
    assert_eq!(replaced.id, made.id);
    assert_eq!(replaced.role_id, admin);
    fake.clear_requests();
    let same = bindings
        .create(bob.as_str(), "ADMIN", Resource::space(space.as_str()))
        .replace(true)
        .await
        .unwrap();
    assert_eq!(same.id, made.id);
    assert_eq!(fake.request_count("PATCH", "/v2/role-bindings"), 0);
    assert_eq!(fake.role_bindings().len(), 1);

    // update by role name, then delete; a second delete is a 404.
    let back = bindings.update(made.id.as_str(), "Curator").await.unwrap();
    assert_eq!(back.role_id, curator);
    assert_eq!(
        bindings.delete(made.id.as_str()).await.unwrap(),
        Removal::Done
    );
    let err = bindings.delete(made.id.as_str()).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert!(fake.role_bindings().is_empty());
}

#[tokio::test]
async fn listings_filter_by_user_on_the_server_and_by_space_and_role_here() {
    let fake = fake().await;
    let client = client(&fake);
    client.spaces().create("org-00001", "other").await.unwrap();
    let bindings = client.role_bindings();
    for (user, role, space) in [
        ("bob@example.com", "Curator", "ranking"),
        ("alice@example.com", "ADMIN", "ranking"),
        ("bob@example.com", "READ_ONLY", "other"),
    ] {
        bindings
            .create(user, role, Resource::space(space))
            .await
            .unwrap();
    }
    bindings
        .create("bob@example.com", "MEMBER", Resource::project(PROJECT))
        .await
        .unwrap();

    let all: Vec<_> = bindings.list().stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 3, "spaces by default");
    let bob = user_id(&fake, "bob@example.com");
    let bobs: Vec<_> = bindings
        .list()
        .user("bob@example.com")
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(bobs.len(), 2);
    assert!(bobs.iter().all(|b| b.user_id == bob));
    let on_ranking: Vec<_> = bindings
        .list()
        .space("ranking")
        .limit(1)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(on_ranking.len(), 2);
    let curators: Vec<_> = bindings
        .list()
        .role("Curator")
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(curators.len(), 1);
    assert_eq!(curators[0].user_id, bob);
    let projects = bindings
        .list()
        .projects()
        .project(PROJECT)
        .send()
        .await
        .unwrap();
    assert_eq!(projects.role_bindings.len(), 1);
    assert!(
        fake.requests()
            .iter()
            .any(|r| r.query.as_deref().is_some_and(|q| q.contains("user_id="))),
        "the user filter goes to the server"
    );
}

#[tokio::test]
async fn a_lost_answer_to_a_create_is_the_binding_it_made_not_a_conflict() {
    let fake = fake().await;
    let bindings = client(&fake).role_bindings();
    fake.inject(
        Fault::status(502)
            .on("POST", "/v2/role-bindings")
            .after_effect(),
    );
    let made = bindings
        .create("bob@example.com", "Curator", Resource::space("ranking"))
        .await
        .unwrap();
    assert_eq!(fake.role_bindings().len(), 1, "made once");
    assert_eq!(made.id, fake.role_bindings()[0].id);

    // A lost answer with another role asked for is the conflict it is.
    let other = fake.spaces()[0].id.clone();
    fake.inject(
        Fault::status(502)
            .on("POST", "/v2/role-bindings")
            .after_effect(),
    );
    let err = bindings
        .create("bob@example.com", "ADMIN", Resource::space(other.as_str()))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(409), "{err}");

    fake.inject(
        Fault::status(502)
            .on("DELETE", "/v2/role-bindings")
            .after_effect(),
    );
    assert_eq!(
        bindings.delete(made.id.as_str()).await.unwrap(),
        Removal::DoneByLostAttempt
    );
}

#[tokio::test]
async fn bad_input_sends_nothing() {
    let fake = fake().await;
    let bindings = client(&fake).role_bindings();
    fake.clear_requests();
    let cases: Vec<(Error, &str)> = vec![
        (
            bindings
                .create("bob@example.com", "Curator", Resource::project("not an id"))
                .await
                .unwrap_err(),
            "project",
        ),
        (
            bindings
                .create("", "Curator", Resource::space("ranking"))
                .await
                .unwrap_err(),
            "user",
        ),
        (
            bindings
                .create("bob@example.com", "Curator", Resource::project(PROJECT))
                .organization("org-00001")
                .await
                .unwrap_err(),
            "organization",
        ),
        (bindings.get("nope").await.unwrap_err(), "binding"),
        (
            bindings
                .update("Um9sZUJpbmRpbmc6MQ==", "")
                .await
                .unwrap_err(),
            "role",
        ),
        (
            bindings
                .list()
                .projects()
                .space("ranking")
                .send()
                .await
                .unwrap_err(),
            "space",
        ),
        (
            bindings.list().project(PROJECT).send().await.unwrap_err(),
            "project",
        ),
        (
            bindings
                .list()
                .organization("org-00001")
                .send()
                .await
                .unwrap_err(),
            "organization",
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
