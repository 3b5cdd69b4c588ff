//! Users from invitation to removal, custom organization roles, spaces and
//! onboarding in one step: the facade against the fake, and the lost-answer
//! matrix of the new operations.

use super::client;

use arize_ax::{Creation, Error, InviteMode, OrgRole, RoleAssignment, UserRole, UserStatus};
use arize_ax_fake::{FakeArize, Fault};
use futures::TryStreamExt;

async fn fake() -> FakeArize {
    super::seeded(4, 2, 2).await
}

fn user_of(fake: &FakeArize, email: &str) -> Option<arize_ax_fake::User> {
    fake.users()
        .into_iter()
        .find(|u| u.email.eq_ignore_ascii_case(email))
}

#[tokio::test]
async fn create_tells_created_from_already_invited_and_sends_one_email() {
    let fake = fake().await;
    let users = client(&fake).users();
    let first = users
        .create("Nia New", "nia@example.com", UserRole::Member)
        .send()
        .await
        .unwrap();
    assert_eq!(first.outcome, Creation::Created);
    assert_eq!(first.invite_mode, Some(InviteMode::EmailLink));
    assert_eq!(first.user.status, Some(UserStatus::Invited));
    assert!(first.temporary_password.is_none());
    // The same email again, in another case: the pending invitation.
    let again = users
        .create("Nia New", "NIA@example.com", UserRole::Member)
        .send()
        .await
        .unwrap();
    assert_eq!(again.outcome, Creation::AlreadyInvited);
    assert_eq!(again.user.id, first.user.id);
    let stored = user_of(&fake, "nia@example.com").unwrap();
    assert_eq!(stored.invitations_sent, 1, "no second email");
    assert_eq!(
        fake.users()
            .iter()
            .filter(|u| u.email.eq_ignore_ascii_case("nia@example.com"))
            .count(),
        1
    );
    // An active member's address is a conflict.
    let err = users
        .create("Bob", "bob@example.com", UserRole::Member)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(409), "{err}");
}

#[tokio::test]
async fn invite_modes_and_the_temporary_password_is_a_secret() {
    let fake = fake().await;
    let users = client(&fake).users();
    let direct = users
        .create("Sso User", "sso@example.com", UserRole::Admin)
        .invite(InviteMode::None)
        .send()
        .await
        .unwrap();
    assert_eq!(direct.user.status, Some(UserStatus::Active));
    assert!(direct.user.is_developer);
    // The create request has no `is_developer`; it is a second call.
    let direct = users
        .update(direct.user.id.as_str())
        .developer(false)
        .send()
        .await
        .unwrap();
    assert!(!direct.is_developer);
    let temp = users
        .create("Tom Temp", "tom@example.com", UserRole::Annotator)
        .invite(InviteMode::TemporaryPassword)
        .send()
        .await
        .unwrap();
    let password = temp.temporary_password.clone().expect("a password");
    assert!(!password.expose_secret().is_empty());
    for shown in [
        format!("{temp:?}"),
        format!("{password}"),
        format!("{password:?}"),
    ] {
        assert!(!shown.contains(password.expose_secret()), "{shown}");
    }
    // An expired invitation is renewed: 201 again, same user.
    let renewed = users
        .create("Ed Expired", "ed@example.com", UserRole::Member)
        .send()
        .await
        .unwrap();
    assert_eq!(renewed.outcome, Creation::Created);
    assert_eq!(renewed.user.status, Some(UserStatus::Invited));
}

#[tokio::test]
async fn bad_input_is_refused_before_any_request() {
    let fake = fake().await;
    let users = client(&fake).users();
    fake.clear_requests();
    let long = "x".repeat(256);
    let cases: Vec<(&str, arize_ax::CreateUser)> = vec![
        ("name", users.create("", "a@example.com", UserRole::Member)),
        (
            "name",
            users.create("   ", "a@example.com", UserRole::Member),
        ),
        (
            "name",
            users.create(long.as_str(), "a@example.com", UserRole::Member),
        ),
        ("email", users.create("A", "not-an-email", UserRole::Member)),
        (
            "email",
            users.create("A", "a@@example.com", UserRole::Member),
        ),
        (
            "email",
            users.create("A", "Jane Doe <jane@example.com>", UserRole::Member),
        ),
        (
            "email",
            users.create("A", "jane@localhost", UserRole::Member),
        ),
        (
            "email",
            users.create("A", "jane@[127.0.0.1]", UserRole::Member),
        ),
        (
            "email",
            users.create("A", "\"a b\"@example.com", UserRole::Member),
        ),
        (
            "role",
            users.create("A", "a@example.com", UserRole::Other("CUSTOM".into())),
        ),
        (
            "invite",
            users
                .create("A", "a@example.com", UserRole::Member)
                .invite(InviteMode::Other("MAGIC".into())),
        ),
    ];
    for (field, request) in cases {
        match request.send().await {
            Err(Error::InvalidInput { field: f, reason }) => assert_eq!(f, field, "{reason}"),
            other => panic!("{field}: {other:?}"),
        }
    }
    match users.update("bob@example.com").send().await {
        Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "update"),
        other => panic!("{other:?}"),
    }
    match users.update("bob@example.com").name(" \t ").send().await {
        Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "name"),
        other => panic!("{other:?}"),
    }
    assert!(fake.requests().is_empty(), "{:?}", fake.requests());
}

#[tokio::test]
async fn update_delete_resend_and_reset_by_id_or_email() {
    let fake = fake().await;
    let c = client(&fake);
    let users = c.users();
    let bob = users
        .update("BOB@example.com")
        .name("  Bob Builder ")
        .developer(false)
        .await
        .unwrap();
    assert_eq!(bob.name, "Bob Builder");
    assert!(!bob.is_developer);

    // Resend only for invited users; reset only for verified ones.
    users.resend_invitation("ivy@example.com").await.unwrap();
    assert_eq!(
        user_of(&fake, "ivy@example.com").unwrap().invitations_sent,
        1
    );
    let err = users
        .resend_invitation("bob@example.com")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400), "{err}");
    users.reset_password(&bob.id).await.unwrap();
    assert_eq!(
        user_of(&fake, "bob@example.com")
            .unwrap()
            .password_resets_sent,
        1
    );
    let err = users.reset_password("ivy@example.com").await.unwrap_err();
    assert_eq!(err.status(), Some(400), "{err}");

    // Delete cascades to memberships, hides the user, and is repeatable.
    let orgs = c.organizations();
    let org = fake.organizations()[0].clone();
    orgs.add_user(org.id.as_str(), bob.id.as_str(), OrgRole::Member)
        .await
        .unwrap();
    users.delete("bob@example.com").await.unwrap();
    assert!(fake.memberships().iter().all(|m| m.user_id != bob.id));
    assert!(users.get(bob.id.as_str()).await.unwrap_err().is_not_found());
    assert!(
        users
            .get("bob@example.com")
            .await
            .unwrap_err()
            .is_not_found()
    );
    users.delete(bob.id.as_str()).await.unwrap();
    // A removed address cannot be invited again.
    let err = users
        .create("Bob", "bob@example.com", UserRole::Member)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(409), "{err}");
    // Nobody removes themselves (the key's owner is the first admin).
    let err = users.delete("alice@example.com").await.unwrap_err();
    assert_eq!(err.status(), Some(400), "{err}");
}

#[tokio::test]
async fn custom_roles_in_add_user_and_the_annotator_rule() {
    let fake = fake().await;
    let orgs = client(&fake).organizations();
    let org = fake.organizations()[0].clone();
    let role = fake.custom_roles()[0].clone();
    let m = orgs
        .add_user(
            org.id.as_str(),
            "bob@example.com",
            OrgRole::Custom(role.id.clone()),
        )
        .await
        .unwrap();
    assert_eq!(
        m.role,
        RoleAssignment::Custom {
            id: role.id.clone(),
            name: Some(role.name.clone())
        }
    );
    // An annotator can only get the built-in annotator role: refused
    // before anything is written.
    fake.clear_requests();
    let err = orgs
        .add_user(
            org.id.as_str(),
            "ann@example.com",
            OrgRole::Custom(role.id.clone()),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::RoleConstraint(_)), "{err:?}");
    assert_eq!(fake.request_count("POST", "/v2/organizations"), 0);
    // A custom role by name: resolved to its ID; an unknown name is not
    // found, a built-in role's name is refused; nothing is written.
    let m = orgs
        .add_user(
            org.id.as_str(),
            "bob@example.com",
            OrgRole::custom(role.name.clone()),
        )
        .await
        .unwrap();
    assert_eq!(m.role.id().as_deref(), Some(role.id.as_str()));
    fake.clear_requests();
    let err = orgs
        .add_user(org.id.as_str(), "bob@example.com", OrgRole::custom("ops"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    let err = orgs
        .add_user(
            org.id.as_str(),
            "bob@example.com",
            OrgRole::custom("MEMBER"),
        )
        .await
        .unwrap_err();
    assert!(err.is_invalid_input(), "{err:?}");
    assert!(err.to_string().contains("built-in"), "{err}");
    assert_eq!(fake.request_count("POST", "/v2/"), 0, "nothing written");
    // Bulk adds take custom roles too.
    let report = orgs
        .add_users(
            org.id.as_str(),
            [("alice@example.com", OrgRole::Custom(role.id.clone()))],
        )
        .send()
        .await
        .unwrap();
    assert!(report.all_succeeded(), "{:?}", report.items);
}

#[tokio::test]
async fn spaces_by_organization_and_gone_with_it() {
    let fake = fake().await;
    let c = client(&fake);
    let org = fake.organizations()[0].clone();
    let spaces: Vec<arize_ax::Space> = c
        .spaces()
        .list()
        .organization(org.name.as_str())
        .stream()
        .try_collect()
        .await
        .unwrap();
    let names: Vec<(&str, bool)> = spaces
        .iter()
        .map(|s| (s.name.as_str(), s.is_private))
        .collect();
    assert_eq!(names, [("default", false), ("restricted", true)]);
    let all = c.spaces().list().limit(1).send().await.unwrap();
    assert_eq!(all.spaces.len(), 1);
    assert!(all.pagination.has_more);
    let filtered = c.spaces().list().name("RESTR").send().await.unwrap();
    assert_eq!(filtered.spaces.len(), 2);
    c.organizations().delete(org.id.as_str()).await.unwrap();
    assert!(fake.spaces().iter().all(|s| s.organization_id != org.id));
    assert_eq!(fake.spaces().len(), 2);
}

#[tokio::test]
async fn onboarding_invites_then_adds_and_is_safe_to_repeat() {
    let fake = fake().await;
    let orgs = client(&fake).organizations();
    let org = fake.organizations()[0].clone();
    let m = orgs
        .add_user(org.id.as_str(), "hire@example.com", OrgRole::Annotator)
        .invite(true)
        .name("New Hire")
        .await
        .unwrap();
    let hire = user_of(&fake, "hire@example.com").unwrap();
    assert_eq!(m.user_id, hire.id);
    assert_eq!(
        (hire.name.as_str(), hire.account_role.as_str()),
        ("New Hire", "ANNOTATOR")
    );
    // Again: the same user, no second invitation.
    orgs.add_user(org.id.as_str(), "hire@example.com", OrgRole::Annotator)
        .invite(true)
        .await
        .unwrap();
    assert_eq!(
        user_of(&fake, "hire@example.com").unwrap().invitations_sent,
        1
    );
    // Without --invite, an unknown email is not found.
    let err = orgs
        .add_user(org.id.as_str(), "stranger@example.com", OrgRole::Member)
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    // In bulk, with names for some.
    let emails: Vec<String> = (0..25).map(|i| format!("p{i}@example.com")).collect();
    let report = orgs
        .add_users(
            org.id.as_str(),
            emails.iter().map(|e| (e.as_str(), OrgRole::Member)),
        )
        .invite(true)
        .invite_names([("p0@example.com", "Person Zero")])
        .send()
        .await
        .unwrap();
    assert!(
        report.all_succeeded(),
        "{:?}",
        report.failed().collect::<Vec<_>>()
    );
    assert_eq!(
        user_of(&fake, "p0@example.com").unwrap().name,
        "Person Zero"
    );
    assert_eq!(user_of(&fake, "p1@example.com").unwrap().name, "p1");
    assert_eq!(
        fake.memberships()
            .iter()
            .filter(|m| m.organization_id == org.id)
            .count(),
        26
    );
}

/// Both ways of losing an answer after the change took effect.
fn losses() -> [Fault; 2] {
    [Fault::status(502), Fault::drop_connection()]
}

#[tokio::test]
async fn lost_answers_of_the_user_operations() {
    for fault in losses() {
        let fake = fake().await;
        let users = client(&fake).users();
        // Email link: the retry finds the pending invitation; one user, one email.
        fake.inject(fault.clone().on("POST", "/v2/users").after_effect());
        let made = users
            .create("Lia Lost", "lia@example.com", UserRole::Member)
            .await
            .unwrap();
        assert_eq!(made.outcome, Creation::AlreadyInvited);
        assert_eq!(
            user_of(&fake, "lia@example.com").unwrap().invitations_sent,
            1
        );
        // No invitation: the retry's 409 leads to the user, with a note.
        fake.inject(fault.clone().on("POST", "/v2/users").after_effect());
        let made = users
            .create("Nat None", "nat@example.com", UserRole::Member)
            .invite(InviteMode::None)
            .await
            .unwrap();
        assert_eq!(made.outcome, Creation::FoundAfterLostAnswer);
        assert_eq!(made.user.email, "nat@example.com");
        // No invitation, and the address was someone else's already: the
        // 409 after the lost answer is the truth, not a success.
        fake.inject(fault.clone().on("POST", "/v2/users").after_effect());
        let err = users
            .create("Not Bob", "bob@example.com", UserRole::Admin)
            .invite(InviteMode::None)
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(409), "{err:?}");
        // Temporary password: issued and lost is an error of its own.
        fake.inject(fault.clone().on("POST", "/v2/users").after_effect());
        let err = users
            .create("Pat Pass", "pat@example.com", UserRole::Member)
            .invite(InviteMode::TemporaryPassword)
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::TemporaryPasswordLost { .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("invitation"), "{err}");
        assert_eq!(
            fake.users()
                .iter()
                .filter(|u| u.email == "pat@example.com")
                .count(),
            1
        );
        // Update and delete are idempotent: retried, and right.
        fake.inject(fault.clone().on("PATCH", "/v2/users").after_effect());
        let bob = users
            .update("bob@example.com")
            .name("Robert")
            .await
            .unwrap();
        assert_eq!(bob.name, "Robert");
        fake.inject(fault.clone().on("DELETE", "/v2/users").after_effect());
        users.delete(bob.id.as_str()).await.unwrap();
        assert!(user_of(&fake, "bob@example.com").unwrap().removed);
        // Resend and reset are never repeated once an attempt may have
        // taken effect: one email, and an error that says it may be out.
        fake.clear_requests();
        fake.inject(fault.clone().on("POST", "/v2/users/").after_effect());
        let err = users
            .resend_invitation("ivy@example.com")
            .await
            .unwrap_err();
        assert!(matches!(err, Error::MaybeSent { .. }), "{err:?}");
        assert_eq!(
            user_of(&fake, "ivy@example.com").unwrap().invitations_sent,
            1
        );
        assert_eq!(fake.request_count("POST", "/v2/users/"), 1);
        fake.inject(fault.clone().on("POST", "/v2/users/").after_effect());
        let err = users.reset_password("ann@example.com").await.unwrap_err();
        assert!(matches!(err, Error::MaybeSent { .. }), "{err:?}");
        assert_eq!(
            user_of(&fake, "ann@example.com")
                .unwrap()
                .password_resets_sent,
            1
        );
    }
}

#[tokio::test]
async fn email_calls_wait_out_429_and_send_once() {
    let fake = fake().await;
    let users = client(&fake).users();
    fake.inject(Fault::rate_limited(0).on("POST", "/v2/users/"));
    users.resend_invitation("ivy@example.com").await.unwrap();
    assert_eq!(
        user_of(&fake, "ivy@example.com").unwrap().invitations_sent,
        1
    );
}

#[tokio::test]
async fn the_same_user_twice_in_a_batch_is_refused_before_any_request() {
    let fake = fake().await;
    let orgs = client(&fake).organizations();
    let org = fake.organizations()[0].clone();
    fake.clear_requests();
    let err = orgs
        .add_users(
            org.id.as_str(),
            [
                ("bob@example.com", OrgRole::Member),
                ("alice@example.com", OrgRole::Member),
                ("BOB@example.com", OrgRole::ReadOnly),
            ],
        )
        .send()
        .await
        .unwrap_err();
    assert!(err.is_invalid_input(), "{err:?}");
    assert!(err.to_string().contains("#1 and #3"), "{err}");
    let err = orgs
        .remove_users(org.id.as_str(), ["VXNlcjox", "VXNlcjox"])
        .send()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("#1 and #2"), "{err}");
    assert!(fake.requests().is_empty(), "{:?}", fake.requests());
}

#[tokio::test]
async fn an_email_and_an_id_of_one_user_in_a_large_batch_are_refused_before_any_write() {
    let mut builder = FakeArize::builder().api_key("k").seed_orgs(1);
    for i in 0..25 {
        builder = builder.user(&format!("P{i}"), &format!("p{i}@example.com"), "MEMBER");
    }
    let fake = builder.start().await.unwrap();
    let orgs = client(&fake).organizations();
    let org = fake.organizations()[0].clone();
    let p3 = user_of(&fake, "p3@example.com").unwrap();
    let mut users: Vec<(String, OrgRole)> = (0..25)
        .map(|i| (format!("p{i}@example.com"), OrgRole::Member))
        .collect();
    users.push((p3.id.clone(), OrgRole::ReadOnly));
    let err = orgs
        .add_users(org.id.as_str(), users)
        .send()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("#4 and #26"), "{err}");
    assert!(fake.memberships().is_empty(), "nothing written");
    assert!(
        fake.requests().iter().all(|r| r.method == "GET"),
        "{:?}",
        fake.requests()
    );
}

#[tokio::test]
async fn an_email_and_an_id_of_one_user_in_a_small_batch_are_refused_before_any_write() {
    let fake = fake().await;
    let orgs = client(&fake).organizations();
    let org = fake.organizations()[0].clone();
    let bob = user_of(&fake, "bob@example.com").unwrap();
    let err = orgs
        .remove_users(org.id.as_str(), ["bob@example.com", bob.id.as_str()])
        .send()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("#1 and #2"), "{err}");
    assert!(fake.requests().iter().all(|r| r.method == "GET"));
}
