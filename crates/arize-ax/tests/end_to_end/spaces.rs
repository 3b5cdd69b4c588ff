//! Spaces and their members through the facade, against the fake: the
//! lifecycle, names across organizations, the membership rules, bulk,
//! lost answers, and bad input refused with nothing sent.

use super::client;

use arize_ax::{Error, Kind, OrgRole, Removal, SpaceRole};
use arize_ax_fake::{FakeArize, Fault};

async fn fake(orgs: usize, spaces_per_org: usize) -> FakeArize {
    super::seeded(5, orgs, spaces_per_org).await
}

#[tokio::test]
async fn a_space_lives_from_create_to_delete() {
    let fake = fake(1, 0).await;
    let spaces = client(&fake).spaces();

    let made = spaces
        .create("org-00001", "ranking")
        .description("Ranking models")
        .private(true)
        .await
        .unwrap();
    assert_eq!(made.name, "ranking");
    assert_eq!(made.description, "Ranking models");
    assert!(made.is_private);
    let org_id = fake.organizations()[0].id.clone();
    assert_eq!(made.organization_id.as_deref(), Some(org_id.as_str()));

    // By name (with and without the organization) and by ID.
    let by_name = spaces
        .get("ranking")
        .organization("org-00001")
        .await
        .unwrap();
    assert_eq!(by_name.id, made.id);
    assert_eq!(spaces.get("ranking").await.unwrap().id, made.id);
    assert_eq!(spaces.get(made.id.as_str()).await.unwrap().name, "ranking");

    // An update keeps what it leaves out and clears what it clears.
    let changed = spaces
        .update("ranking")
        .organization("org-00001")
        .name("ranking-archive")
        .private(false)
        .ml_models(true)
        .gradient_start_color("#112233")
        .await
        .unwrap();
    assert_eq!(changed.name, "ranking-archive");
    assert_eq!(changed.description, "Ranking models", "kept");
    assert!(!changed.is_private);
    assert!(changed.ml_models_enabled);
    assert_eq!(changed.gradient_start_color, "#112233");
    let cleared = spaces
        .update(made.id.as_str())
        .clear_description()
        .await
        .unwrap();
    assert_eq!(cleared.description, "");
    assert_eq!(cleared.name, "ranking-archive", "kept");

    assert_eq!(
        spaces.delete("ranking-archive").await.unwrap(),
        Removal::Done
    );
    assert!(fake.spaces().is_empty());
    let gone = spaces.get(made.id.as_str()).await.unwrap_err();
    assert_eq!(gone.status(), Some(404), "{gone}");
}

#[tokio::test]
async fn a_name_in_two_organizations_needs_the_organization() {
    let fake = fake(2, 1).await;
    let spaces = client(&fake).spaces();
    // Every seeded organization has a space named `default`.
    let err = spaces.get("default").await.unwrap_err();
    match &err {
        Error::Ambiguous(a) => {
            assert_eq!(a.kind, Kind::Space);
            assert_eq!(a.ids.len(), 2);
            assert_eq!(a.places.len(), 2);
            let text = err.to_string();
            assert!(
                text.contains("org-00001") && text.contains("org-00002"),
                "{text}"
            );
        }
        other => panic!("{other:?}"),
    }
    let second = spaces
        .get("default")
        .organization("org-00002")
        .await
        .unwrap();
    assert_eq!(
        second.organization_id.as_deref(),
        Some(fake.organizations()[1].id.as_str())
    );
    // A delete by an ambiguous name deletes nothing.
    assert!(matches!(
        spaces.delete("default").await,
        Err(Error::Ambiguous(_))
    ));
    assert_eq!(fake.spaces().len(), 2);
    let missing = spaces.get("nope").await.unwrap_err();
    assert!(matches!(missing, Error::NotFound(_)), "{missing}");
}

#[tokio::test]
async fn a_taken_name_is_a_conflict_unless_exist_ok() {
    let fake = fake(1, 1).await;
    let spaces = client(&fake).spaces();
    let err = spaces.create("org-00001", "default").await.unwrap_err();
    assert_eq!(err.status(), Some(409), "{err}");
    let existing = spaces
        .create("org-00001", "default")
        .exist_ok(true)
        .await
        .unwrap();
    assert_eq!(existing.id, fake.spaces()[0].id);
    assert_eq!(fake.spaces().len(), 1);
}

#[tokio::test]
async fn members_join_change_role_and_leave() {
    let fake = fake(1, 1).await;
    let client = client(&fake);
    let spaces = client.spaces();
    client
        .organizations()
        .add_user("org-00001", "bob@example.com", OrgRole::Member)
        .await
        .unwrap();

    let m = spaces
        .add_user("default", "bob@example.com", SpaceRole::ReadOnly)
        .await
        .unwrap();
    let bob = fake
        .users()
        .into_iter()
        .find(|u| u.email == "bob@example.com")
        .unwrap();
    assert_eq!(m.user_id, bob.id);
    assert_eq!(m.space_id, fake.spaces()[0].id);
    assert_eq!(m.role.name().as_deref(), Some("READ_ONLY"));
    // Again, with another role: an upsert.
    let m = spaces
        .add_user("default", bob.id.as_str(), SpaceRole::Admin)
        .await
        .unwrap();
    assert_eq!(m.role.name().as_deref(), Some("ADMIN"));

    assert_eq!(
        spaces
            .remove_user("default", "bob@example.com")
            .await
            .unwrap(),
        Removal::Done
    );
    let again = spaces
        .remove_user("default", "bob@example.com")
        .await
        .unwrap_err();
    assert_eq!(again.status(), Some(404), "{again}");
}

#[tokio::test]
async fn a_user_outside_the_organization_is_told_to_join_it_first() {
    let fake = fake(1, 1).await;
    let client = client(&fake);
    let spaces = client.spaces();
    let err = spaces
        .add_user("default", "bob@example.com", SpaceRole::Member)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotInOrganization { .. }), "{err:?}");
    assert!(err.to_string().contains("join_org"), "{err}");

    // With join_org: the organization first, then the space.
    let m = spaces
        .add_user("default", "bob@example.com", SpaceRole::Member)
        .join_org(OrgRole::ReadOnly)
        .await
        .unwrap();
    assert_eq!(m.role.name().as_deref(), Some("MEMBER"));
    let org_roles: Vec<_> = fake
        .memberships()
        .into_iter()
        .filter(|ms| ms.user_id == m.user_id)
        .collect();
    assert_eq!(org_roles.len(), 1, "joined the organization once");
}

#[tokio::test]
async fn onboarding_invites_joins_and_adds_in_one_step() {
    let fake = fake(1, 1).await;
    let spaces = client(&fake).spaces();
    let before = fake.users().len();
    for _ in 0..2 {
        // Twice: the second run finds the pending invitation.
        spaces
            .add_user("default", "new.hire@example.com", SpaceRole::Member)
            .join_org(OrgRole::Member)
            .invite(true)
            .name("New Hire")
            .await
            .unwrap();
    }
    let users = fake.users();
    assert_eq!(users.len(), before + 1);
    let hire = users
        .iter()
        .find(|u| u.email == "new.hire@example.com")
        .unwrap();
    assert_eq!(hire.name, "New Hire");
}

#[tokio::test]
async fn the_annotator_rule_is_checked_before_any_write() {
    let fake = fake(1, 1).await;
    let client = client(&fake);
    client
        .organizations()
        .add_user("org-00001", "ann@example.com", OrgRole::Annotator)
        .await
        .unwrap();
    fake.clear_requests();
    let err = client
        .spaces()
        .add_user("default", "ann@example.com", SpaceRole::Member)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::RoleConstraint(_)), "{err:?}");
    assert_eq!(fake.request_count("POST", "/v2/"), 0, "nothing written");
    client
        .spaces()
        .add_user("default", "ann@example.com", SpaceRole::Annotator)
        .await
        .unwrap();
}

#[tokio::test]
async fn bulk_adds_and_removes_refusing_duplicates_first() {
    let fake = fake(1, 1).await;
    let client = client(&fake);
    let emails = ["bob@example.com", "alice@example.com"];
    let report = client
        .organizations()
        .add_users("org-00001", emails.map(|e| (e, OrgRole::Member)))
        .await
        .unwrap();
    assert!(report.all_succeeded());

    fake.clear_requests();
    let twice = client
        .spaces()
        .add_users(
            "default",
            [
                ("bob@example.com", SpaceRole::Member),
                ("BOB@example.com", SpaceRole::Admin),
            ],
        )
        .await
        .unwrap_err();
    assert!(twice.is_invalid_input(), "{twice}");
    assert_eq!(fake.requests().len(), 0, "nothing sent");

    let report = client
        .spaces()
        .add_users(
            "default",
            [
                ("bob@example.com", SpaceRole::Member),
                ("alice@example.com", SpaceRole::Admin),
                ("ivy@example.com", SpaceRole::Member),
            ],
        )
        .organization("org-00001")
        .concurrency(2)
        .await
        .unwrap();
    let failed: Vec<_> = report
        .failed()
        .map(|(u, _)| u.as_str().to_owned())
        .collect();
    assert_eq!(
        failed,
        ["ivy@example.com"],
        "ivy is not in the organization"
    );
    assert_eq!(report.succeeded().count(), 2);

    let report = client
        .spaces()
        .remove_users("default", emails)
        .await
        .unwrap();
    assert!(report.all_succeeded());
}

#[tokio::test]
async fn lost_answers_never_duplicate_a_space_nor_fail_a_done_delete() {
    let fake = fake(1, 0).await;
    let spaces = client(&fake).spaces();

    fake.inject(Fault::status(502).on("POST", "/v2/spaces").after_effect());
    let err = spaces.create("org-00001", "ranking").await.unwrap_err();
    match &err {
        Error::MaybeCreated { kind, name, .. } => {
            assert_eq!(*kind, Kind::Space);
            assert_eq!(name, "ranking");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(fake.spaces().len(), 1, "created once, not retried");

    fake.inject(Fault::status(502).on("POST", "/v2/spaces").after_effect());
    let again = spaces
        .create("org-00001", "ranking")
        .exist_ok(true)
        .await
        .unwrap();
    assert_eq!(fake.spaces().len(), 1, "exist_ok found it");
    assert_eq!(again.id, fake.spaces()[0].id);

    fake.inject(Fault::status(502).on("DELETE", "/v2/spaces").after_effect());
    assert_eq!(
        spaces.delete(again.id.as_str()).await.unwrap(),
        Removal::DoneByLostAttempt
    );
    assert!(fake.spaces().is_empty());
}

#[tokio::test]
async fn bad_input_sends_nothing() {
    let fake = fake(1, 1).await;
    let spaces = client(&fake).spaces();
    fake.clear_requests();
    let long = "x".repeat(1001);
    let cases: Vec<(&str, Error)> = vec![
        ("name", spaces.create("org-00001", " ").await.unwrap_err()),
        (
            "description",
            spaces
                .create("org-00001", "ok")
                .description(long.as_str())
                .await
                .unwrap_err(),
        ),
        ("update", spaces.update("default").await.unwrap_err()),
        (
            "default_llm_integration.integration_id",
            spaces
                .update("default")
                .default_llm_integration("not an id", "gpt")
                .await
                .unwrap_err(),
        ),
        (
            "space",
            spaces
                .get(arize_ax::SpaceRef::id("nope"))
                .await
                .unwrap_err(),
        ),
        (
            "role",
            spaces
                .add_user("default", "bob@example.com", SpaceRole::custom(""))
                .await
                .unwrap_err(),
        ),
        (
            "user",
            spaces
                .add_user("default", "VXNlcjox", SpaceRole::Member)
                .join_org(OrgRole::Member)
                .invite(true)
                .await
                .unwrap_err(),
        ),
        (
            "concurrency",
            spaces
                .add_users("default", [("bob@example.com", SpaceRole::Member)])
                .concurrency(0)
                .await
                .unwrap_err(),
        ),
    ];
    for (field, err) in cases {
        match err {
            Error::InvalidInput { field: f, .. } => assert_eq!(f, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    assert!(fake.requests().is_empty(), "{:?}", fake.requests());
}

#[tokio::test]
async fn custom_roles_by_name_cost_one_listing_per_client() {
    let fake = fake(1, 1).await;
    let client = client(&fake);
    let reviewer = fake.custom_roles()[0].clone();
    let emails = ["bob@example.com", "alice@example.com"];
    client
        .organizations()
        .add_users(
            "org-00001",
            emails.map(|e| (e, OrgRole::custom(reviewer.name.clone()))),
        )
        .await
        .unwrap();
    let m = client
        .spaces()
        .add_user(
            "default",
            "bob@example.com",
            SpaceRole::custom(reviewer.name.clone()),
        )
        .await
        .unwrap();
    assert_eq!(m.role.id().as_deref(), Some(reviewer.id.as_str()));
    let report = client
        .spaces()
        .add_users(
            "default",
            emails.map(|e| (e, SpaceRole::custom(reviewer.name.clone()))),
        )
        .await
        .unwrap();
    assert!(report.all_succeeded(), "{:?}", report.items);
    let listings = fake
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path == "/v2/roles")
        .count();
    assert_eq!(listings, 1, "one listing for the client, then none");
    let members = fake.space_members();
    assert_eq!(members.len(), 2);
}

#[tokio::test]
async fn roles_that_cannot_fit_one_account_are_refused_before_an_invitation() {
    let fake = fake(1, 1).await;
    let before = fake.users().len();
    fake.clear_requests();
    let err = client(&fake)
        .spaces()
        .add_user("default", "newbie@example.com", SpaceRole::Member)
        .join_org(OrgRole::Annotator)
        .invite(true)
        .await
        .unwrap_err();
    assert!(err.is_invalid_input(), "{err:?}");
    assert!(fake.requests().is_empty(), "{:?}", fake.requests());
    assert_eq!(fake.users().len(), before, "nobody invited");
}

#[tokio::test]
async fn join_org_leaves_a_member_s_organization_role_alone() {
    let fake = fake(1, 1).await;
    let client = client(&fake);
    client
        .organizations()
        .add_user("org-00001", "alice@example.com", OrgRole::Admin)
        .await
        .unwrap();
    client
        .spaces()
        .add_user("default", "alice@example.com", SpaceRole::Member)
        .join_org(OrgRole::Member)
        .await
        .unwrap();
    let alice = fake
        .users()
        .into_iter()
        .find(|u| u.email == "alice@example.com")
        .unwrap();
    let org_role: Vec<String> = fake
        .memberships()
        .iter()
        .filter(|m| m.user_id == alice.id)
        .map(|m| format!("{:?}", m.role))
        .collect();
    assert_eq!(org_role.len(), 1);
    assert!(
        org_role[0].contains("ADMIN") || org_role[0].contains("Admin"),
        "{org_role:?}"
    );
}

#[tokio::test]
async fn an_annotator_refusal_is_not_called_an_outsider() {
    let fake = fake(1, 1).await;
    let client = client(&fake);
    client
        .organizations()
        .add_user("org-00001", "ann@example.com", OrgRole::Annotator)
        .await
        .unwrap();
    let ann = fake
        .users()
        .into_iter()
        .find(|u| u.email == "ann@example.com")
        .unwrap();
    // Given by ID with the look-up skipped: the 400 is the server's
    // annotator rule, which the facade did not judge.
    let err = client
        .spaces()
        .add_user("default", ann.id.as_str(), SpaceRole::Member)
        .skip_role_check()
        .await
        .unwrap_err();
    assert!(!matches!(err, Error::NotInOrganization { .. }), "{err:?}");
    assert_eq!(err.status(), Some(400), "{err}");
}

#[tokio::test]
async fn a_role_renamed_by_someone_else_is_never_given_by_its_old_name() {
    let fake = fake(1, 1).await;
    let me = client(&fake);
    let other = client(&fake);
    let reviewer = fake.custom_roles()[0].clone();
    let name = reviewer.name.clone();
    // My client keeps a listing in which the name is the seeded role.
    assert_eq!(
        me.roles().resolve_id(name.as_str()).await.unwrap(),
        reviewer.id
    );
    // Another admin renames it and makes a new role of that name.
    other
        .roles()
        .update(reviewer.id.as_str())
        .name("Old Reviewer")
        .await
        .unwrap();
    let new = other
        .roles()
        .create(name.as_str())
        .permissions(["USER_READ"])
        .await
        .unwrap();
    let m = me
        .organizations()
        .add_user(
            "org-00001",
            "bob@example.com",
            OrgRole::custom(name.clone()),
        )
        .await
        .unwrap();
    assert_eq!(m.role.id().as_deref(), Some(new.id.as_str()));
    // A delete by that name deletes the new role, not the renamed one.
    me.organizations()
        .add_user("org-00001", "bob@example.com", OrgRole::Member)
        .await
        .unwrap();
    me.roles().delete(name.as_str()).await.unwrap();
    let left: Vec<String> = fake.custom_roles().into_iter().map(|r| r.id).collect();
    assert!(left.contains(&reviewer.id), "{left:?}");
    assert!(!left.contains(&new.id), "{left:?}");
}

#[tokio::test]
async fn bulk_space_adds_refuse_invite_before_anything_is_sent() {
    let fake = fake(1, 1).await;
    fake.clear_requests();
    let err = client(&fake)
        .spaces()
        .add_users("default", [("newbie@example.com", SpaceRole::Member)])
        .invite(true)
        .await
        .unwrap_err();
    assert!(err.is_invalid_input(), "{err:?}");
    assert!(fake.requests().is_empty());
}
