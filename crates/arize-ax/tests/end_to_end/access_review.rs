//! The access review through the facade, against the fake: who holds what,
//! from one listing of each kind (never a request per user, per space's
//! binding or per role), scoped to one organization or not.

use super::client;

use arize_ax::SpaceRole;
use arize_ax::access_review::{AccessRow, Grant, PrincipalType};
use arize_ax::role_bindings::Resource;
use arize_ax_fake::FakeArize;
use futures::{StreamExt, TryStreamExt};

const PROJECT: &str = "UHJvamVjdDoyNDY4"; // base64 of "Project:2468"

/// Two organizations with two spaces each; bob bound to a custom role on
/// one space and to a project (restricted); a service key on another space
/// whose bot is also bound.
async fn account() -> FakeArize {
    let fake = super::seeded(21, 2, 2).await;
    let client = client(&fake);
    client
        .roles()
        .create("Curator")
        .permissions(["DATASET_READ", "PROJECT_READ"])
        .await
        .unwrap();
    let spaces = fake.spaces();
    let bindings = client.role_bindings();
    bindings
        .create(
            "bob@example.com",
            "Curator",
            Resource::space(spaces[0].id.clone()),
        )
        .await
        .unwrap();
    bindings
        .create("bob@example.com", "MEMBER", Resource::project(PROJECT))
        .await
        .unwrap();
    client
        .resource_restrictions()
        .restrict(PROJECT)
        .await
        .unwrap();
    let key = client
        .api_keys()
        .create_service("nightly")
        .space(spaces[2].id.clone(), SpaceRole::Member)
        .await
        .unwrap();
    let bot = key.key.bot_user.unwrap().id;
    bindings
        .create(bot, "ADMIN", Resource::space(spaces[3].id.clone()))
        .await
        .unwrap();
    fake
}

#[tokio::test]
async fn the_review_names_every_principal_resource_and_role() {
    let fake = account().await;
    let spaces = fake.spaces();
    let before = fake.requests().len();
    let rows: Vec<AccessRow> = client(&fake)
        .access_review()
        .stream()
        .try_collect()
        .await
        .unwrap();
    let requests = fake.requests()[before..].to_vec();

    // Every user with their account role.
    let accounts: Vec<&AccessRow> = rows
        .iter()
        .filter(|r| r.granted_by == Grant::AccountRole)
        .collect();
    assert_eq!(accounts.len(), fake.users().len(), "{accounts:#?}");
    let alice = accounts
        .iter()
        .find(|r| r.principal == "alice@example.com")
        .unwrap();
    assert_eq!(
        (alice.role.as_str(), alice.resource_type.as_str()),
        ("ADMIN", "ACCOUNT")
    );

    // Bob's custom role on a space, with its permissions and place.
    let curator = rows
        .iter()
        .find(|r| r.role == "Curator")
        .expect("the custom binding");
    assert_eq!(curator.principal_type, PrincipalType::User);
    assert_eq!(curator.principal, "bob@example.com");
    assert_eq!(curator.status, "ACTIVE");
    assert_eq!(curator.resource_id, spaces[0].id);
    assert_eq!(curator.resource, spaces[0].name);
    assert_eq!(curator.organization, "org-00001");
    assert_eq!(curator.role_type, "custom");
    assert_eq!(curator.permissions, ["DATASET_READ", "PROJECT_READ"]);
    assert!(!curator.binding_id.is_empty());

    // The project binding, marked restricted.
    let project = rows.iter().find(|r| r.resource_id == PROJECT).unwrap();
    assert_eq!(project.resource_type, "PROJECT");
    assert!(project.restricted);
    assert_eq!(
        (project.role.as_str(), project.role_type.as_str()),
        ("MEMBER", "predefined")
    );

    // The service key: the space it reaches, and its bot's binding named
    // after the key.
    let reach = rows
        .iter()
        .find(|r| r.granted_by == Grant::ServiceKey)
        .unwrap();
    assert_eq!(
        (reach.principal.as_str(), reach.resource_id.as_str()),
        ("nightly", spaces[2].id.as_str())
    );
    assert_eq!(reach.role, "", "the API does not list it");
    let bot = rows
        .iter()
        .find(|r| r.granted_by == Grant::RoleBinding && r.resource_id == spaces[3].id)
        .unwrap();
    assert_eq!(bot.principal_type, PrincipalType::ServiceKey);
    assert_eq!(
        (bot.principal.as_str(), bot.role.as_str()),
        ("nightly", "ADMIN")
    );
    assert_eq!(bot.principal_id, reach.principal_id);

    // Cost: each listing once, service keys once per space; nothing per
    // user or per binding.
    let paths: Vec<&str> = requests.iter().map(|r| r.path.as_str()).collect();
    let count = |path: &str| paths.iter().filter(|p| **p == path).count();
    assert_eq!(count("/v2/users"), 1);
    assert_eq!(count("/v2/roles"), 1);
    assert_eq!(count("/v2/organizations"), 1);
    assert_eq!(count("/v2/spaces"), 1);
    assert_eq!(count("/v2/resource-restrictions"), 1);
    assert_eq!(count("/v2/role-bindings"), 2, "SPACE, then PROJECT");
    assert_eq!(count("/v2/api-keys"), spaces.len());
    assert_eq!(requests.len(), 7 + spaces.len(), "{paths:?}");
}

#[tokio::test]
async fn one_organization_shows_its_spaces_only_and_says_nothing_of_projects() {
    let fake = account().await;
    let spaces = fake.spaces();
    let rows: Vec<AccessRow> = client(&fake)
        .access_review()
        .organization("org-00001")
        .stream()
        .try_collect()
        .await
        .unwrap();
    let theirs = [spaces[0].id.as_str(), spaces[1].id.as_str()];
    for row in &rows {
        match row.granted_by {
            Grant::AccountRole => assert_eq!(row.role, "ADMIN", "only account admins: {row:?}"),
            _ => assert!(theirs.contains(&row.resource_id.as_str()), "{row:?}"),
        }
    }
    assert!(rows.iter().any(|r| r.role == "Curator"));
    assert!(rows.iter().all(|r| r.resource_type != "PROJECT"));

    // Without service keys: the bot's binding elsewhere is not here, and
    // no space's keys are listed.
    let before = fake.requests().len();
    let rows: Vec<AccessRow> = client(&fake)
        .access_review()
        .service_keys(false)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(
        fake.requests()[before..]
            .iter()
            .all(|r| r.path != "/v2/api-keys")
    );
    let bot = rows.iter().find(|r| r.resource_id == spaces[3].id).unwrap();
    assert_eq!(bot.principal_type, PrincipalType::Unknown);
    assert!(rows.iter().all(|r| r.granted_by != Grant::ServiceKey));
}

#[tokio::test]
async fn a_space_whose_keys_are_not_readable_is_marked_and_an_error_ends_the_review() {
    use arize_ax_fake::Fault;
    let fake = account().await;
    // One space's service keys answer 403: the review goes on and says so.
    fake.inject(Fault::status(403).on("GET", "/v2/api-keys").times(1));
    let rows: Vec<AccessRow> = client(&fake)
        .access_review()
        .stream()
        .try_collect()
        .await
        .unwrap();
    let marked: Vec<&AccessRow> = rows.iter().filter(|r| !r.note.is_empty()).collect();
    assert_eq!(marked.len(), 1, "{marked:#?}");
    assert_eq!(marked[0].granted_by, Grant::ServiceKey);
    assert!(marked[0].note.contains("403"), "{:?}", marked[0].note);
    // Which one depends on which listing reached the fake first (four run
    // at once); it is one of the spaces, named.
    let spaces = fake.spaces();
    let space = spaces
        .iter()
        .find(|s| s.id == marked[0].resource_id)
        .unwrap();
    assert_eq!(marked[0].resource, space.name);

    // A listing that fails ends the stream with its error: nothing after it,
    // and nothing read after it.
    fake.inject(Fault::status(403).on("GET", "/v2/role-bindings").times(1));
    fake.clear_requests();
    let items: Vec<arize_ax::Result<AccessRow>> =
        client(&fake).access_review().stream().collect().await;
    let last = items.last().unwrap();
    assert_eq!(last.as_ref().unwrap_err().status(), Some(403));
    assert_eq!(items.iter().filter(|i| i.is_err()).count(), 1);
    let bindings: Vec<String> = fake
        .requests()
        .into_iter()
        .filter(|r| r.path == "/v2/role-bindings")
        .map(|r| r.query.unwrap_or_default())
        .collect();
    assert_eq!(
        bindings.len(),
        1,
        "the PROJECT listing is not read: {bindings:?}"
    );
    assert!(bindings[0].contains("SPACE"), "{bindings:?}");
}
