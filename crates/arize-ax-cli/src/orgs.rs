//! `arize-ax orgs …`

use std::io::{IsTerminal, Write};

use arize_ax::{Client, Organization, Space};
use futures::TryStreamExt;

use crate::args::Global;
use crate::args::{Paging, parse_role};
use crate::bulk_input::{read_users, split_names, summarize};
use crate::confirm::{confirm_delete, say_deleted};
use crate::failure::Failure;
use crate::listing;
use crate::output;
use crate::progress;
use crate::terminal::{cell, printable};
use arize_ax::OrgRole;
use clap::{Args, Subcommand};
use std::path::PathBuf;

/// `arize-ax orgs [API FLAGS] COMMAND`
#[derive(Debug, Args)]
pub struct OrgsArgs {
    #[command(subcommand)]
    pub command: Orgs,
}

/// `arize-ax orgs …`
#[derive(Debug, Subcommand)]
pub enum Orgs {
    /// List organizations (one page, or every one with --all).
    List {
        /// Keep organizations whose name contains this text (any case).
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        paging: Paging,
    },
    /// Show one organization, by name or ID.
    Get {
        /// Organization name (exact) or ID.
        org: String,
    },
    /// Create an organization.
    Create {
        /// Its name (1 to 255 characters, unique within the account).
        name: String,
        /// What it is for (at most 1000 characters).
        #[arg(long)]
        description: Option<String>,
        /// If the name is taken, print that organization instead of failing
        /// (and retry safely when an answer is lost).
        #[arg(long)]
        exist_ok: bool,
    },
    /// Rename an organization or change its description.
    Update {
        /// Organization name (exact) or ID.
        org: String,
        /// The new name.
        #[arg(long)]
        name: Option<String>,
        /// The new description ("" clears it).
        #[arg(long)]
        description: Option<String>,
    },
    /// Delete an organization and EVERYTHING in it (irreversible).
    ///
    /// On a terminal it asks you to type the organization's name; elsewhere it
    /// refuses unless --yes is given.
    Delete {
        /// Organization name (exact) or ID.
        org: String,
        /// Delete without asking.
        #[arg(long, short)]
        yes: bool,
        /// Show what would be deleted (the organization and its spaces) and
        /// change nothing.
        #[arg(long, conflicts_with = "yes")]
        dry_run: bool,
    },
    /// Add a user to an organization with a role (or change their role).
    AddUser {
        /// Organization name (exact) or ID.
        org: String,
        /// User ID or email.
        user: String,
        /// admin, member, read-only, annotator, or custom:<ROLE NAME or ID>.
        #[arg(long, value_parser = parse_role)]
        role: OrgRole,
        /// Onboarding: invite an email that is not a user yet (email link;
        /// account role annotator for --role annotator, member otherwise),
        /// then add them. Safe to repeat.
        #[arg(long)]
        invite: bool,
        /// The display name of a user --invite creates (default: the part
        /// of the email before @).
        #[arg(long, requires = "invite")]
        name: Option<String>,
    },
    /// Add many users (one ID or email per line) with one role.
    ///
    /// Blank lines and lines starting with # are skipped. With --invite a
    /// line may be `email,name`. Prints the memberships made; reports
    /// failures on stderr and exits 1 if any user failed.
    AddUsers {
        /// Organization name (exact) or ID.
        org: String,
        /// admin, member, read-only, annotator, or custom:<ROLE NAME or ID>.
        #[arg(long, value_parser = parse_role)]
        role: OrgRole,
        /// Onboarding: invite every email that is not a user yet, then add
        /// them (see `add-user --invite`).
        #[arg(long)]
        invite: bool,
        /// File of users, or - for stdin.
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        /// Requests in flight at once (1 to 64).
        #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
        concurrency: u16,
    },
    /// Remove many users (one ID or email per line).
    RemoveUsers {
        /// Organization name (exact) or ID.
        org: String,
        /// File of users, or - for stdin.
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        /// Requests in flight at once (1 to 64).
        #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
        concurrency: u16,
    },
    /// Remove a user from an organization (and all its spaces).
    RemoveUser {
        /// Organization name (exact) or ID.
        org: String,
        /// User ID or email.
        user: String,
    },
}

/// Runs one `orgs` command.
pub async fn run(
    client: &Client,
    global: &Global,
    command: Orgs,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let orgs = client.organizations();
    let format = global.format();
    match command {
        Orgs::List { name, paging } => {
            let mut request = orgs.list();
            if let Some(name) = name {
                request = request.name(name);
            }
            listing::run(request, paging, "organizations", global, out).await?;
        }
        Orgs::Get { org } => {
            let org = orgs.get(org).await?;
            output::one(out, format, &org)?;
        }
        Orgs::Create {
            name,
            description,
            exist_ok,
        } => {
            let mut request = orgs.create(name).exist_ok(exist_ok);
            if let Some(description) = description {
                request = request.description(description);
            }
            let org = request.send().await?;
            output::one(out, format, &org)?;
        }
        Orgs::Update {
            org,
            name,
            description,
        } => {
            let mut request = orgs.update(org);
            if let Some(name) = name {
                request = request.name(name);
            }
            if let Some(description) = description {
                request = request.description(description);
            }
            let org = request.send().await?;
            output::one(out, format, &org)?;
        }
        Orgs::Delete { org, yes, dry_run } => {
            let stdin_is_terminal = std::io::stdin().is_terminal();
            if dry_run {
                let target = orgs.get(org.as_str()).await?;
                let spaces = spaces_of(client, &target).await?;
                if format == output::Format::Table {
                    writeln!(out, "{}", preview(&target, &spaces))?;
                    writeln!(out, "dry run: nothing was deleted")?;
                } else {
                    output::many(out, format, &spaces)?;
                }
                return Ok(());
            }
            if !yes && !stdin_is_terminal {
                return Err(Failure::usage(format!(
                    "refusing to delete {org:?} without confirmation: deleting an organization removes \
                     every space and resource in it and cannot be undone. Run it on a terminal to confirm \
                     by typing the name, or pass --yes."
                )));
            }
            // Resolve first, so the person confirms the organization that
            // will actually be deleted, and the delete targets its ID.
            let target = orgs.get(org.as_str()).await?;
            if !yes {
                // The preview helps the person decide; when it cannot be had
                // (a key that may delete but not list spaces), say so and ask.
                match spaces_of(client, &target).await {
                    Ok(spaces) => eprintln!("{}", preview(&target, &spaces)),
                    Err(e) => eprintln!(
                        "warning: cannot list the spaces that go with it: {}",
                        printable(&format!("{:#}", e.error))
                    ),
                }
                confirm_delete(
                    "organization",
                    &target.name,
                    &target.id,
                    "and EVERYTHING in it: all spaces, projects, experiments, datasets, monitors, \
                     dashboards, integrations and API keys",
                )?;
            }
            orgs.delete(&target).await?;
            say_deleted("organization", &target.name, &target.id, global.quiet);
        }
        Orgs::AddUser {
            org,
            user,
            role,
            invite,
            name,
        } => {
            let mut request = orgs.add_user(org, user, role).invite(invite);
            if let Some(name) = name {
                request = request.name(name);
            }
            let membership = request.send().await?;
            output::one(out, format, &membership)?;
        }
        Orgs::AddUsers {
            org,
            role,
            invite,
            from,
            concurrency,
        } => {
            let (users, names) = split_names(read_users(&from)?, invite)?;
            let bar = progress::bar(global, users.len(), "users added");
            let report = orgs
                .add_users(org, users.into_iter().map(|u| (u, role.clone())))
                .invite(invite)
                .invite_names(names)
                .concurrency(usize::from(concurrency))
                .on_progress(progress::tick(&bar))
                .send()
                .await;
            progress::finish(bar);
            let report = report?;
            let made: Vec<_> = report.succeeded().map(|(_, m)| m.clone()).collect();
            // The failures are told even when stdout has gone away.
            let written = output::many(out, format, &made);
            summarize("added", report.items.len(), report.failed(), global)?;
            written?;
        }
        Orgs::RemoveUsers {
            org,
            from,
            concurrency,
        } => {
            let users = read_users(&from)?;
            let bar = progress::bar(global, users.len(), "users removed");
            let report = orgs
                .remove_users(org, users)
                .concurrency(usize::from(concurrency))
                .on_progress(progress::tick(&bar))
                .send()
                .await;
            progress::finish(bar);
            let report = report?;
            summarize("removed", report.items.len(), report.failed(), global)?;
        }
        Orgs::RemoveUser { org, user } => {
            orgs.remove_user(org.as_str(), user.as_str()).await?;
            if !global.quiet {
                eprintln!(
                    "removed user {} from organization {}",
                    printable(&user),
                    printable(&org)
                );
            }
        }
    }
    Ok(())
}

/// How many spaces a delete preview names; the rest are counted.
const PREVIEW_SPACES: usize = 20;

/// Every space of an organization, for the delete preview.
async fn spaces_of(client: &Client, org: &Organization) -> Result<Vec<Space>, Failure> {
    Ok(client
        .spaces()
        .list()
        .organization(org)
        .stream()
        .try_collect()
        .await?)
}

/// What deleting `org` takes with it, for a person: its spaces (private ones
/// marked), a screenful of names and a count of the rest.
fn preview(org: &Organization, spaces: &[Space]) -> String {
    let mut text = format!(
        "Deleting organization {} ({}) also deletes ",
        printable(&format!("{:?}", org.name)),
        printable(&org.id)
    );
    match spaces.len() {
        0 => text.push_str("its content; it has no spaces."),
        n => {
            text.push_str(&format!(
                "its {n} space{} and everything in them:",
                if n == 1 { "" } else { "s" }
            ));
            for space in spaces.iter().take(PREVIEW_SPACES) {
                text.push_str(&format!(
                    "\n  {}{}",
                    cell(&space.name),
                    if space.is_private { " (private)" } else { "" }
                ));
            }
            if n > PREVIEW_SPACES {
                text.push_str(&format!("\n  … and {} more", n - PREVIEW_SPACES));
            }
        }
    }
    text
}
