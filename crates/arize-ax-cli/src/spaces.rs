//! `arize-ax spaces …`

use std::io::{IsTerminal, Write};

use arize_ax::{Client, OrgRole, Space, SpaceMembership, SpaceRole};

use crate::args::Global;
use crate::args::{Paging, parse_role};
use crate::bulk_input::{read_users, split_names, summarize};
use crate::confirm::{confirm_delete, say_deleted};
use crate::failure::Failure;
use crate::listing;
use crate::output::{self, Record};
use crate::progress;
use crate::terminal::printable;
use clap::{Args, Subcommand};
use std::path::PathBuf;

/// `arize-ax spaces [API FLAGS] COMMAND`
#[derive(Debug, Args)]
pub struct SpacesArgs {
    #[command(subcommand)]
    pub command: Spaces,
}

/// A space, by name or ID, and the organization that narrows a name.
#[derive(Debug, Args)]
pub struct Target {
    /// Space name (exact) or ID.
    space: String,
    /// The space's organization (name or ID): a space name is looked for
    /// there only. Without it, the name must match exactly one space the
    /// key can see.
    #[arg(long)]
    org: Option<String>,
}

/// `arize-ax spaces …`
#[derive(Debug, Subcommand)]
pub enum Spaces {
    /// List spaces (one page, or every one with --all).
    List {
        /// Only the spaces of this organization (name or ID).
        #[arg(long)]
        org: Option<String>,
        /// Keep spaces whose name contains this text (any case).
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        paging: Paging,
    },
    /// Show one space, by name or ID.
    Get {
        #[command(flatten)]
        target: Target,
    },
    /// Create a space in an organization.
    Create {
        /// Its name (at most 255 characters, unique within the
        /// organization).
        name: String,
        /// The organization that holds it (name or ID).
        #[arg(long)]
        org: String,
        /// What it is for (at most 1000 characters).
        #[arg(long)]
        description: Option<String>,
        /// Make it private: seen only by its members and administrators.
        #[arg(long)]
        private: bool,
        /// If the organization has a space of that name, print it instead
        /// of failing (and retry safely when an answer is lost).
        #[arg(long)]
        exist_ok: bool,
    },
    /// Change a space's settings (what is not given stays as it is).
    Update {
        #[command(flatten)]
        target: Target,
        /// The new name.
        #[arg(long)]
        name: Option<String>,
        /// The new description ("" clears it).
        #[arg(long, conflicts_with = "clear_description")]
        description: Option<String>,
        /// Clear the description.
        #[arg(long)]
        clear_description: bool,
        /// Make it private.
        #[arg(long, conflicts_with = "public")]
        private: bool,
        /// Make it public.
        #[arg(long)]
        public: bool,
        /// Turn machine-learning models on (true) or off (false).
        #[arg(long, value_name = "true|false")]
        ml_models: Option<bool>,
        /// First colour of the avatar's gradient (such as #1f77b4).
        #[arg(long, value_name = "COLOR")]
        gradient_start: Option<String>,
        /// Second colour of the avatar's gradient.
        #[arg(long, value_name = "COLOR")]
        gradient_end: Option<String>,
        /// The default LLM integration, as INTEGRATION_ID:MODEL.
        #[arg(
            long,
            value_name = "ID:MODEL",
            conflicts_with = "clear_llm_integration"
        )]
        llm_integration: Option<String>,
        /// Clear the default LLM integration.
        #[arg(long)]
        clear_llm_integration: bool,
        /// The default agent runtime (an integration ID).
        #[arg(long, value_name = "ID", conflicts_with = "clear_agent_runtime")]
        agent_runtime: Option<String>,
        /// Clear the default agent runtime.
        #[arg(long)]
        clear_agent_runtime: bool,
    },
    /// Delete a space and EVERYTHING in it (irreversible).
    ///
    /// On a terminal it asks you to type the space's name; elsewhere it
    /// refuses unless --yes is given.
    Delete {
        #[command(flatten)]
        target: Target,
        /// Delete without asking.
        #[arg(long, short)]
        yes: bool,
        /// Show what would be deleted and change nothing.
        #[arg(long, conflicts_with = "yes")]
        dry_run: bool,
    },
    /// Give a user a role in a space (or change their role).
    AddUser {
        #[command(flatten)]
        target: Target,
        /// User ID or email.
        user: String,
        /// admin, member, read-only, annotator, or custom:<ROLE NAME or ID>.
        #[arg(long, value_parser = parse_role)]
        role: SpaceRole,
        /// When they are not in the space's organization yet, add them to it
        /// with this role first (admin, member, read-only, annotator,
        /// custom:<NAME or ID>); a member keeps their organization role.
        #[arg(long, value_name = "ORG_ROLE", value_parser = parse_role)]
        join_org: Option<OrgRole>,
        /// Onboarding: invite an email that is not a user yet (email link),
        /// then add them. Safe to repeat. Needs --join-org.
        #[arg(long, requires = "join_org")]
        invite: bool,
        /// The display name of a user --invite creates (default: the part
        /// of the email before @).
        #[arg(long, requires = "invite")]
        name: Option<String>,
    },
    /// Give many users (one ID or email per line) one role in a space.
    ///
    /// Blank lines and lines starting with # are skipped. Every user must
    /// belong to the space's organization (onboard new people with `orgs
    /// add-users --invite` first). Prints the memberships made; reports
    /// failures on stderr and exits 1 if any user failed.
    AddUsers {
        #[command(flatten)]
        target: Target,
        /// admin, member, read-only, annotator, or custom:<ROLE NAME or ID>.
        #[arg(long, value_parser = parse_role)]
        role: SpaceRole,
        /// File of users, or - for stdin.
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        /// Requests in flight at once (1 to 64).
        #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
        concurrency: u16,
    },
    /// Take many users (one ID or email per line) out of a space.
    RemoveUsers {
        #[command(flatten)]
        target: Target,
        /// File of users, or - for stdin.
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        /// Requests in flight at once (1 to 64).
        #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
        concurrency: u16,
    },
    /// Take a user out of a space (with their role bindings on it).
    RemoveUser {
        #[command(flatten)]
        target: Target,
        /// User ID or email.
        user: String,
    },
}

impl Record for SpaceMembership {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "user_id",
        "space_id",
        "role_type",
        "role_name",
        "role_id",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.user_id.clone(),
            self.space_id.clone(),
            self.role.type_name(),
            self.role.name().unwrap_or_default(),
            self.role.id().unwrap_or_default(),
        ]
    }
}

/// Runs one `spaces` command.
pub async fn run(
    client: &Client,
    global: &Global,
    command: Spaces,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let spaces = client.spaces();
    let format = global.format();
    match command {
        Spaces::List { org, name, paging } => {
            let mut request = spaces.list();
            if let Some(org) = org {
                request = request.organization(org);
            }
            if let Some(name) = name {
                request = request.name(name);
            }
            listing::run(request, paging, "spaces", global, out).await?;
        }
        Spaces::Get { target } => {
            let space = get(client, &target).await?;
            output::one(out, format, &space)?;
        }
        Spaces::Create {
            name,
            org,
            description,
            private,
            exist_ok,
        } => {
            let mut request = spaces.create(org, name).private(private).exist_ok(exist_ok);
            if let Some(description) = description {
                request = request.description(description);
            }
            output::one(out, format, &request.await?)?;
        }
        Spaces::Update {
            target,
            name,
            description,
            clear_description,
            private,
            public,
            ml_models,
            gradient_start,
            gradient_end,
            llm_integration,
            clear_llm_integration,
            agent_runtime,
            clear_agent_runtime,
        } => {
            let mut request = spaces.update(target.space);
            if let Some(org) = target.org {
                request = request.organization(org);
            }
            if let Some(name) = name {
                request = request.name(name);
            }
            if let Some(description) = description {
                request = request.description(description);
            }
            if clear_description {
                request = request.clear_description();
            }
            if private || public {
                request = request.private(private);
            }
            if let Some(on) = ml_models {
                request = request.ml_models(on);
            }
            if let Some(color) = gradient_start {
                request = request.gradient_start_color(color);
            }
            if let Some(color) = gradient_end {
                request = request.gradient_end_color(color);
            }
            if let Some(llm) = llm_integration {
                let Some((id, model)) = llm.split_once(':') else {
                    return Err(Failure::usage(format!(
                        "invalid --llm-integration {}: give INTEGRATION_ID:MODEL",
                        printable(&format!("{llm:?}"))
                    )));
                };
                request = request.default_llm_integration(id, model);
            }
            if clear_llm_integration {
                request = request.clear_default_llm_integration();
            }
            if let Some(runtime) = agent_runtime {
                request = request.default_agent_runtime(runtime);
            }
            if clear_agent_runtime {
                request = request.clear_default_agent_runtime();
            }
            output::one(out, format, &request.await?)?;
        }
        Spaces::Delete {
            target,
            yes,
            dry_run,
        } => {
            if !yes && !dry_run && !std::io::stdin().is_terminal() {
                return Err(Failure::usage(format!(
                    "refusing to delete space {} without confirmation: deleting a space removes \
                     everything in it and cannot be undone. Run it on a terminal to confirm by \
                     typing the name, or pass --yes.",
                    printable(&format!("{:?}", target.space))
                )));
            }
            // Resolve first, so the person confirms the space that will
            // actually be deleted, and the delete targets its ID.
            let space = get(client, &target).await?;
            if dry_run {
                if format == output::Format::Table {
                    writeln!(out, "{}", preview(client, &space).await)?;
                    writeln!(out, "dry run: nothing was deleted")?;
                } else {
                    output::one(out, format, &space)?;
                }
                return Ok(());
            }
            if !yes {
                eprintln!("{}", preview(client, &space).await);
                confirm_delete("space", &space.name, &space.id, "and EVERYTHING in it")?;
            }
            spaces.delete(&space).await?;
            say_deleted("space", &space.name, &space.id, global.quiet);
        }
        Spaces::AddUser {
            target,
            user,
            role,
            join_org,
            invite,
            name,
        } => {
            let mut request = spaces.add_user(target.space, user, role).invite(invite);
            if let Some(org) = target.org {
                request = request.organization(org);
            }
            if let Some(join) = join_org {
                request = request.join_org(join);
            }
            if let Some(name) = name {
                request = request.name(name);
            }
            output::one(out, format, &request.await?)?;
        }
        Spaces::AddUsers {
            target,
            role,
            from,
            concurrency,
        } => {
            let (users, _) = split_names(read_users(&from)?, false)?;
            let bar = progress::bar(global, users.len(), "users added");
            let mut request = spaces
                .add_users(target.space, users.into_iter().map(|u| (u, role.clone())))
                .concurrency(usize::from(concurrency))
                .on_progress(progress::tick(&bar));
            if let Some(org) = target.org {
                request = request.organization(org);
            }
            let report = request.send().await;
            progress::finish(bar);
            let report = report?;
            let made: Vec<_> = report.succeeded().map(|(_, m)| m.clone()).collect();
            // The failures are told even when stdout has gone away.
            let written = output::many(out, format, &made);
            summarize("added", report.items.len(), report.failed(), global)?;
            written?;
        }
        Spaces::RemoveUsers {
            target,
            from,
            concurrency,
        } => {
            let users = read_users(&from)?;
            let bar = progress::bar(global, users.len(), "users removed");
            let mut request = spaces
                .remove_users(target.space, users)
                .concurrency(usize::from(concurrency))
                .on_progress(progress::tick(&bar));
            if let Some(org) = target.org {
                request = request.organization(org);
            }
            let report = request.send().await;
            progress::finish(bar);
            let report = report?;
            summarize("removed", report.items.len(), report.failed(), global)?;
        }
        Spaces::RemoveUser { target, user } => {
            let mut request = spaces.remove_user(target.space.as_str(), user.as_str());
            if let Some(org) = &target.org {
                request = request.organization(org.as_str());
            }
            request.await?;
            if !global.quiet {
                eprintln!(
                    "removed user {} from space {}",
                    printable(&user),
                    printable(&target.space)
                );
            }
        }
    }
    Ok(())
}

/// The space a target names.
async fn get(client: &Client, target: &Target) -> Result<Space, Failure> {
    let mut request = client.spaces().get(target.space.as_str());
    if let Some(org) = &target.org {
        request = request.organization(org.as_str());
    }
    Ok(request.await?)
}

/// What deleting `space` takes with it, for a person.
pub(crate) async fn preview(client: &Client, space: &Space) -> String {
    let org = match &space.organization_id {
        Some(id) => match client.organizations().get(id.as_str()).await {
            Ok(org) => format!(
                " of organization {} ({})",
                printable(&format!("{:?}", org.name)),
                printable(&org.id)
            ),
            Err(_) => format!(" of organization {}", printable(id)),
        },
        None => String::new(),
    };
    format!(
        "Deleting {} space {} ({}){org} also deletes everything it holds: its projects, \
         models, monitors, dashboards, datasets, experiments, custom metrics, and its members' \
         access.",
        if space.is_private {
            "private"
        } else {
            "public"
        },
        printable(&format!("{:?}", space.name)),
        printable(&space.id)
    )
}
