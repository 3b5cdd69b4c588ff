//! Custom roles through the facade, against the fake: the lifecycle, names,
//! predefined roles, roles in use, and lost answers.

use super::client;

use arize_ax::{Error, Kind, OrgRole, Permission, Removal};
use arize_ax_fake::{FakeArize, Fault};

async fn fake() -> FakeArize {
    super::seeded(7, 1, 0).await
}

fn names(permissions: &[Permission]) -> Vec<String> {
    let mut names: Vec<String> = permissions.iter().map(|p| p.to_string()).collect();
    names.sort();
    names
}

#[tokio::test]
async fn a_custom_role_lives_from_create_to_delete() {
    let fake = fake().await;
    let roles = client(&fake).roles();

    let made = roles
        .create("Dataset Curator")
        .description("Reads projects, curates datasets")
        .permissions(["project_read", "Dataset-Read"])
        .await
        .unwrap();
    assert!(!made.is_predefined);
    assert_eq!(names(&made.permissions), ["DATASET_READ", "PROJECT_READ"]);

    let by_name = roles.get("Dataset Curator").await.unwrap();
    assert_eq!(by_name.id, made.id);

    // Listing: the predefined roles and the custom ones, or one kind.
    let custom = roles.list().custom().send().await.unwrap();
    assert!(custom.roles.iter().all(|r| !r.is_predefined));
    assert!(custom.roles.iter().any(|r| r.id == made.id));
    let predefined = roles.list().predefined().send().await.unwrap();
    assert!(!predefined.roles.is_empty());
    assert!(predefined.roles.iter().all(|r| r.is_predefined));

    // add/remove read, change and write the whole set.
    let changed = roles
        .update("Dataset Curator")
        .add_permissions(["DATASET_CREATE"])
        .remove_permissions(["PROJECT_READ"])
        .await
        .unwrap();
    assert_eq!(
        names(&changed.permissions),
        ["DATASET_CREATE", "DATASET_READ"]
    );
    let renamed = roles
        .update(made.id.as_str())
        .name("Curator")
        .clear_description()
        .await
        .unwrap();
    assert_eq!(renamed.name, "Curator");
    assert_eq!(renamed.description, "");
    assert_eq!(
        names(&renamed.permissions),
        ["DATASET_CREATE", "DATASET_READ"]
    );

    // The client's own rename is seen by a look-up by name.
    assert_eq!(roles.get("Curator").await.unwrap().id, made.id);
    assert!(matches!(
        roles.get("Dataset Curator").await,
        Err(Error::NotFound(_))
    ));

    assert_eq!(roles.delete("Curator").await.unwrap(), Removal::Done);
    assert!(fake.custom_roles().iter().all(|r| r.id != made.id));
}

#[tokio::test]
async fn exist_ok_compares_the_permissions() {
    let fake = fake().await;
    let roles = client(&fake).roles();
    roles
        .create("Auditor")
        .permissions(["PROJECT_READ", "DATASET_READ"])
        .await
        .unwrap();
    let taken = roles
        .create("Auditor")
        .permissions(["PROJECT_READ"])
        .await
        .unwrap_err();
    assert_eq!(taken.status(), Some(409), "{taken}");
    let same = roles
        .create("Auditor")
        .permissions(["DATASET_READ", "project_read"])
        .exist_ok(true)
        .await
        .unwrap();
    assert_eq!(same.name, "Auditor");
    let other = roles
        .create("Auditor")
        .permissions(["PROJECT_READ", "USER_READ"])
        .exist_ok(true)
        .await
        .unwrap_err();
    let text = other.to_string();
    assert!(
        text.contains("USER_READ") && text.contains("DATASET_READ"),
        "{text}"
    );
    assert_eq!(
        fake.custom_roles()
            .iter()
            .filter(|r| r.name == "Auditor")
            .count(),
        1
    );
}

#[tokio::test]
async fn predefined_roles_are_refused_before_sending_and_used_roles_explained() {
    let fake = fake().await;
    let client = client(&fake);
    let roles = client.roles();
    fake.clear_requests();
    let err = roles.delete("ADMIN").await.unwrap_err();
    assert!(err.is_invalid_input(), "{err:?}");
    let err = roles.update("MEMBER").name("Boss").await.unwrap_err();
    assert!(err.is_invalid_input(), "{err:?}");
    assert!(
        fake.requests().iter().all(|r| r.method == "GET"),
        "{:?}",
        fake.requests()
    );

    // A role a member holds cannot be deleted: the error says why.
    let reviewer = fake.custom_roles()[0].clone();
    client
        .organizations()
        .add_user(
            "org-00001",
            "bob@example.com",
            OrgRole::custom(reviewer.name.clone()),
        )
        .await
        .unwrap();
    let err = roles.delete(reviewer.name.as_str()).await.unwrap_err();
    assert_eq!(err.status(), Some(409), "{err}");
    assert!(err.to_string().contains("binding"), "{err}");
}

#[tokio::test]
async fn lost_answers_never_duplicate_a_role_nor_fail_a_done_delete() {
    let fake = fake().await;
    let roles = client(&fake).roles();
    let before = fake.custom_roles().len();

    fake.inject(Fault::status(502).on("POST", "/v2/roles").after_effect());
    let err = roles
        .create("Ops")
        .permissions(["PROJECT_READ"])
        .await
        .unwrap_err();
    match &err {
        Error::MaybeCreated { kind, .. } => assert_eq!(*kind, Kind::Role),
        other => panic!("{other:?}"),
    }
    assert_eq!(fake.custom_roles().len(), before + 1, "sent once");

    fake.inject(Fault::status(502).on("POST", "/v2/roles").after_effect());
    let found = roles
        .create("Ops")
        .permissions(["PROJECT_READ"])
        .exist_ok(true)
        .await
        .unwrap();
    assert_eq!(fake.custom_roles().len(), before + 1, "no duplicate");

    fake.inject(Fault::status(502).on("DELETE", "/v2/roles").after_effect());
    assert_eq!(
        roles.delete(found.id.as_str()).await.unwrap(),
        Removal::DoneByLostAttempt
    );
    assert_eq!(fake.custom_roles().len(), before);
}
