//! `arize-ax demo`: every organizations call, the users, spaces, roles,
//! role-bindings and API-keys calls, against a fake server started
//! in-process.

use std::io::Write;

use arize_ax::{Client, Creation, Error, OrgRole, RetryPolicy, SpaceRole, UserRole, UserStatus};
use arize_ax_fake::FakeArize;
use futures::TryStreamExt;

use crate::args::Global;
use crate::failure::Failure;
use crate::output::{self, NewUser};
use crate::terminal::printable;

const KEY: &str = "demo-key";

/// Runs the walkthrough, printing each step.
pub async fn run(global: &Global, out: &mut dyn Write) -> Result<(), Failure> {
    let fake = FakeArize::builder()
        .api_key(KEY)
        .seed(2026)
        .start()
        .await
        .map_err(|e| anyhow::anyhow!("cannot start the fake server: {e}"))?;
    for (name, description) in [
        ("search-relevance", "Ranking and retrieval experiments"),
        ("support-bots", "Customer support assistants"),
        ("platform", ""),
    ] {
        fake.with_state(|s| {
            let body = serde_json::json!({"name": name, "description": description});
            s.create_org(body.as_object().expect("an object"))
                .map(drop)
                .map_err(|p| anyhow::anyhow!("seeding the fake failed: {}", p.detail))
        })?;
    }
    let client = Client::builder()
        .api_key(KEY)
        .base_url(fake.base_url())
        .prerelease_warning(!global.quiet)
        .retry(RetryPolicy::default())
        .build()?;
    let orgs = client.organizations();
    let users = client.users();
    let format = global.format();
    let mut n = 0;

    writeln!(
        out,
        "arize-ax demo: a fake Arize server is running at {} (in this process; nothing leaves this machine).\n",
        fake.base_url()
    )?;

    step(
        out,
        &mut n,
        "List organizations",
        "orgs.list().limit(50).send().await?",
    )?;
    let page = orgs.list().limit(50).send().await?;
    output::many(out, format, &page.organizations)?;

    step(
        out,
        &mut n,
        "Create an organization",
        "orgs.create(\"my-organization\").description(\"Optional description\").send().await?",
    )?;
    let org = orgs
        .create("my-organization")
        .description("Optional description")
        .send()
        .await?;
    output::one(out, format, &org)?;

    step(
        out,
        &mut n,
        "Get it by name (names match exactly; IDs work too)",
        "orgs.get(\"my-organization\").await?",
    )?;
    let org = orgs.get("my-organization").await?;
    output::one(out, format, &org)?;

    step(
        out,
        &mut n,
        "Update its name and description",
        "orgs.update(\"my-organization\").name(\"updated-org-name\").description(\"Updated description\").send().await?",
    )?;
    let org = orgs
        .update("my-organization")
        .name("updated-org-name")
        .description("Updated description")
        .send()
        .await?;
    output::one(out, format, &org)?;

    step(
        out,
        &mut n,
        "List the account's users who are not active yet (BETA)",
        "users.list().statuses([UserStatus::Invited, UserStatus::Expired]).send().await?",
    )?;
    let pending = users
        .list()
        .statuses([UserStatus::Invited, UserStatus::Expired])
        .send()
        .await?;
    output::many(out, format, &pending.users)?;

    step(
        out,
        &mut n,
        "Get a user by email (any case; IDs work too)",
        "users.get(\"Bob@Example.com\").await?",
    )?;
    let bob = users.get("Bob@Example.com").await?;
    output::one(out, format, &bob)?;

    step(
        out,
        &mut n,
        "Add a user by email with a role (an upsert)",
        "orgs.add_user(\"updated-org-name\", \"bob@example.com\", OrgRole::Member).await?",
    )?;
    let membership = orgs
        .add_user("updated-org-name", "bob@example.com", OrgRole::Member)
        .await?;
    output::one(out, format, &membership)?;

    step(
        out,
        &mut n,
        "The annotator rule is checked before writing",
        "orgs.add_user(\"updated-org-name\", \"ann@example.com\", OrgRole::Member).await",
    )?;
    match orgs
        .add_user("updated-org-name", "ann@example.com", OrgRole::Member)
        .await
    {
        Err(e @ Error::RoleConstraint(_)) => {
            writeln!(out, "refused, as expected: {}", printable(&e.to_string()))?
        }
        Ok(_) => return Err(anyhow::anyhow!("the annotator rule was not enforced").into()),
        Err(e) => return Err(e.into()),
    }

    step(
        out,
        &mut n,
        "Invite a new person to the account (BETA; an email link by default)",
        "users.create(\"Nia New\", \"nia@example.com\", UserRole::Member).send().await?",
    )?;
    let nia = users
        .create("Nia New", "nia@example.com", UserRole::Member)
        .send()
        .await?;
    output::one(out, format, &NewUser::new(&nia))?;
    let again = users
        .create("Nia New", "nia@example.com", UserRole::Member)
        .send()
        .await?;
    if again.outcome == Creation::AlreadyInvited {
        writeln!(
            out,
            "the same call again finds the pending invitation: one user, no second email"
        )?;
    }

    let reviewer = fake
        .custom_roles()
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("the fake has no custom role"))?;
    step(
        out,
        &mut n,
        "Give them a custom organization role, by its name",
        &format!(
            "orgs.add_user(\"updated-org-name\", \"nia@example.com\", OrgRole::custom({:?})).await?",
            reviewer.name
        ),
    )?;
    let membership = orgs
        .add_user(
            "updated-org-name",
            "nia@example.com",
            OrgRole::custom(reviewer.name.clone()),
        )
        .await?;
    output::one(out, format, &membership)?;

    step(
        out,
        &mut n,
        "Create a space in the organization (BETA)",
        "client.spaces().create(\"updated-org-name\", \"ranking\").description(\"Ranking models\").await?",
    )?;
    let space = client
        .spaces()
        .create("updated-org-name", "ranking")
        .description("Ranking models")
        .await?;
    output::one(out, format, &space)?;

    step(
        out,
        &mut n,
        "Give a member a role in the space: a custom role, by its name",
        &format!(
            "client.spaces().add_user(\"ranking\", \"nia@example.com\", SpaceRole::custom({:?})).organization(\"updated-org-name\").await?",
            reviewer.name
        ),
    )?;
    let member = client
        .spaces()
        .add_user(
            "ranking",
            "nia@example.com",
            SpaceRole::custom(reviewer.name.clone()),
        )
        .organization("updated-org-name")
        .await?;
    output::one(out, format, &member)?;

    step(
        out,
        &mut n,
        "Bind a role to them on the space (BETA), and ensure it again: no second binding",
        "client.role_bindings().create(\"nia@example.com\", \"READ_ONLY\", Resource::space(&space.id)).replace(true).await?   # CLI: role-bindings create --replace",
    )?;
    let bindings = client.role_bindings();
    let binding = bindings
        .create(
            "nia@example.com",
            "READ_ONLY",
            arize_ax::role_bindings::Resource::space(space.id.as_str()),
        )
        .replace(true)
        .await?;
    let again = bindings
        .create(
            "nia@example.com",
            "READ_ONLY",
            arize_ax::role_bindings::Resource::space(space.id.as_str()),
        )
        .replace(true)
        .await?;
    output::one(out, format, &again)?;
    writeln!(
        out,
        "the same binding both times: {}",
        binding.id == again.id
    )?;

    step(
        out,
        &mut n,
        "Make a service key for the space, its secret written to a dotenv file (BETA)",
        "arize-ax api-keys create-service-key nightly --space ranking --org updated-org-name --env-file .env",
    )?;
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let folder = std::env::temp_dir().join(format!("arize-ax-demo-{}-{stamp}", std::process::id()));
    // A new folder, only this user's (create_dir fails on one that exists).
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(&folder)?;
    let env_path = folder.join(".env");
    let pending = crate::env_file::prepare(&env_path)?;
    let issued = client
        .api_keys()
        .create_service("nightly")
        .space(space.id.as_str(), SpaceRole::Member)
        .await?;
    pending.write(arize_ax::env::API_KEY, issued.secret.expose_secret())?;
    output::one(out, format, &issued.key)?;
    writeln!(
        out,
        "wrote ARIZE_API_KEY to {} (mode 0600; the secret is not printed)",
        printable(&env_path.display().to_string())
    )?;
    let with_key = |secret: &str| {
        Client::builder()
            .api_key(secret)
            .base_url(fake.base_url())
            .prerelease_warning(false)
            .build()
    };
    let secret = issued.secret.expose_secret().to_owned();
    with_key(&secret)?.organizations().list().send().await?;
    writeln!(out, "the new key authenticates against the fake")?;

    step(
        out,
        &mut n,
        "Revoke it: it stops working at once",
        &format!(
            "client.api_keys().revoke({:?}).await?   # CLI: api-keys revoke nightly --space ranking --yes",
            issued.key.id
        ),
    )?;
    client.api_keys().revoke(issued.key.id.as_str()).await?;
    let refused = with_key(&secret)?.organizations().list().send().await;
    writeln!(
        out,
        "with the revoked key: {}",
        match refused {
            Err(e) if e.status() == Some(401) => "401, as it should".to_owned(),
            Err(e) => format!("unexpected error: {e}"),
            Ok(_) => "it still works (unexpected)".to_owned(),
        }
    )?;
    let _ = std::fs::remove_dir_all(&folder);

    step(
        out,
        &mut n,
        "Access review of the organization: who holds which role where",
        "client.access_review().organization(\"updated-org-name\").stream()   # CLI: access review --org ORG -o csv",
    )?;
    let review = client.access_review().organization("updated-org-name");
    let gaps = review.gaps();
    let rows: Vec<arize_ax::access_review::AccessRow> = review.stream().try_collect().await?;
    output::many(out, format, &rows)?;
    writeln!(out, "not shown: {}", gaps.join("; "))?;

    step(
        out,
        &mut n,
        "The audit log: the last five changes made through the API (BETA)",
        "client.audit_logs().list().operation_type(OperationType::Mutation).limit(5).await?   # CLI: audit-logs list --type mutation --since 1h",
    )?;
    let changes = client
        .audit_logs()
        .list()
        .operation_type(arize_ax::audit_logs::OperationType::Mutation)
        .limit(5)
        .send()
        .await?;
    output::many(out, format, &changes.logs)?;

    step(
        out,
        &mut n,
        "Preview deleting the space (nothing is deleted)",
        "arize-ax spaces delete ranking --org updated-org-name --dry-run",
    )?;
    writeln!(out, "{}", crate::spaces::preview(&client, &space).await)?;

    step(
        out,
        &mut n,
        "Remove the user",
        "orgs.remove_user(\"updated-org-name\", \"bob@example.com\").await?",
    )?;
    orgs.remove_user("updated-org-name", "bob@example.com")
        .await?;
    writeln!(out, "user removed from organization")?;

    // One more space, private, straight in the fake.
    fake.with_state(|s| {
        s.add_space(&org.id, "red-team", true)
            .map(drop)
            .map_err(|p| anyhow::anyhow!("seeding the fake failed: {}", p.detail))
    })?;
    step(
        out,
        &mut n,
        "Preview what a delete takes with it: the organization's spaces (BETA)",
        "client.spaces().list().organization(\"updated-org-name\").send().await?   # CLI: orgs delete ORG --dry-run",
    )?;
    let spaces = client
        .spaces()
        .list()
        .organization("updated-org-name")
        .send()
        .await?;
    output::many(out, format, &spaces.spaces)?;

    step(
        out,
        &mut n,
        "Delete the organization (irreversible: everything inside goes too)",
        "orgs.delete(\"updated-org-name\").await?",
    )?;
    orgs.delete("updated-org-name").await?;
    writeln!(out, "organization deleted successfully")?;
    match orgs.get(&org.id).await {
        Err(e) if e.is_not_found() => {
            writeln!(out, "getting it now: {}", printable(&e.to_string()))?
        }
        Ok(_) => return Err(anyhow::anyhow!("the organization still exists").into()),
        Err(e) => return Err(e.into()),
    }

    let requests = fake.requests().len();
    writeln!(
        out,
        "\nDone: {requests} requests to the fake server. Against Arize, set ARIZE_API_KEY and run e.g. \
         `arize-ax orgs list`; or serve this fake with `arize-ax fake serve`."
    )?;
    fake.shutdown().await;
    Ok(())
}

/// Prints the next step's number, title and the facade call it makes.
fn step(out: &mut dyn Write, n: &mut u32, title: &str, code: &str) -> std::io::Result<()> {
    *n += 1;
    writeln!(out, "\n── {n}. {title}\n   {code}")
}
