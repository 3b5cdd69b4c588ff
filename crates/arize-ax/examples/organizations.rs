//! Walks through every organizations call, as in Arize's docs.
//!
//! Point it at Arize with `ARIZE_API_KEY` (and `ARIZE_REGION` etc.), or at the
//! fake server:
//!
//! ```sh
//! cargo run -p arize-ax-cli -- fake serve --port 8080 --api-key demo &
//! ARIZE_API_KEY=demo ARIZE_API_HOST=127.0.0.1 ARIZE_API_SCHEME=http ARIZE_API_PORT=8080 \
//!   ARIZE_EXAMPLE_USER=alice@example.com cargo run -p arize-ax --example organizations
//! ```

use arize_ax::{Client, OrgRole, Organization};
use futures::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let orgs = client.organizations();

    // List organizations, with an optional substring filter.
    let page = orgs.list().name("my").limit(50).send().await?;
    for org in &page.organizations {
        println!("listed: {} {}", org.id, org.name);
    }
    let all: Vec<Organization> = orgs.list().stream().try_collect().await?;
    println!("{} organizations in all", all.len());

    // Create, get by name and by ID, update.
    let org = orgs
        .create("my-organization")
        .description("Optional description")
        .send()
        .await?;
    println!("created: {} {}", org.id, org.name);
    let by_name = orgs.get("my-organization").await?;
    let by_id = orgs.get(&by_name.id).await?;
    assert_eq!(by_name, by_id);
    let org = orgs
        .update(&org)
        .name("updated-org-name")
        .description("Updated description")
        .send()
        .await?;
    println!("updated: {} {}", org.id, org.name);

    // Add a user (by ID or email) with a role, then remove them.
    if let Ok(user) = std::env::var("ARIZE_EXAMPLE_USER") {
        let membership = orgs.add_user(&org, user.as_str(), OrgRole::Member).await?;
        println!(
            "added: {} {} {}",
            membership.id, membership.user_id, membership.role
        );
        orgs.remove_user(&org, &membership.user_id).await?;
        println!("user removed from organization");
    }

    // Irreversible: removes the organization and everything in it.
    orgs.delete(&org).await?;
    println!("organization deleted successfully");
    Ok(())
}
