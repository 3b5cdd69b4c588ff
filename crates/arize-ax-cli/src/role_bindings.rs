//! `arize-ax role-bindings …`

use std::io::Write;

use arize_ax::role_bindings::{Resource, ResourceType};
use arize_ax::{Client, RoleBinding};
use clap::{Args, Subcommand, ValueEnum};

use crate::args::{Global, Paging};
use crate::failure::Failure;
use crate::listing;
use crate::output::{self, Record, time_cell};
use crate::terminal::printable;

/// `arize-ax role-bindings [API FLAGS] COMMAND`
#[derive(Debug, Args)]
pub struct RoleBindingsArgs {
    #[command(subcommand)]
    pub command: RoleBindings,
}

/// The kind of resource a binding is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "lower")]
pub enum Kind {
    /// Spaces.
    Space,
    /// Projects.
    Project,
}

impl From<Kind> for ResourceType {
    fn from(kind: Kind) -> Self {
        match kind {
            Kind::Space => ResourceType::Space,
            Kind::Project => ResourceType::Project,
        }
    }
}

/// The resource of a new binding: a space (by name or ID) or a project (by
/// ID).
#[derive(Debug, Args)]
#[group(required = true, multiple = false, id = "resource")]
pub struct Target {
    /// The space (name or ID).
    #[arg(long, group = "resource")]
    space: Option<String>,
    /// The project (ID).
    #[arg(long, group = "resource")]
    project: Option<String>,
}

/// `arize-ax role-bindings …`
#[derive(Debug, Subcommand)]
pub enum RoleBindings {
    /// List role bindings on spaces (or projects), one page or every one
    /// with --all.
    ///
    /// The API lists one resource type at a time and filters by user only;
    /// --space, --project and --role are applied here, page by page (a page
    /// may then show fewer rows than --limit).
    List {
        /// The kind of resource.
        #[arg(long, value_enum, default_value = "space")]
        resource_type: Kind,
        /// Only this user's bindings (ID or email; for a service key, its
        /// bot user's ID).
        #[arg(long)]
        user: Option<String>,
        /// Only bindings on this space (name or ID).
        #[arg(long, conflicts_with = "project")]
        space: Option<String>,
        /// The organization a --space name is looked for in.
        #[arg(long, requires = "space")]
        org: Option<String>,
        /// Only bindings on this project (ID; needs --resource-type project).
        #[arg(long)]
        project: Option<String>,
        /// Only bindings of this role (name or ID).
        #[arg(long)]
        role: Option<String>,
        #[command(flatten)]
        paging: Paging,
    },
    /// Show one binding by ID.
    Get {
        /// Binding ID.
        binding: String,
    },
    /// Grant a role to a user on a space or project.
    ///
    /// A user holds at most one binding per resource: without --replace a
    /// second one is refused (409) and the error names the existing one.
    /// A lost answer never makes a second binding, nor a false 409: the
    /// binding it made is the result.
    Create {
        /// The user (ID or email; for a service key, its bot user's ID).
        #[arg(long)]
        user: String,
        /// The role (name, e.g. ADMIN or a custom role's name, or ID).
        #[arg(long)]
        role: String,
        #[command(flatten)]
        target: Target,
        /// The organization a --space name is looked for in.
        #[arg(long, requires = "space")]
        org: Option<String>,
        /// Ensure rather than create: a binding the user already holds on
        /// the resource gets this role.
        #[arg(long)]
        replace: bool,
    },
    /// Give a binding another role (its user and resource stay).
    Update {
        /// Binding ID.
        binding: String,
        /// The new role (name or ID).
        #[arg(long)]
        role: String,
    },
    /// Delete a binding: the user loses that role on that resource.
    Delete {
        /// Binding ID.
        binding: String,
    },
}

impl Record for RoleBinding {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "user_id",
        "role_id",
        "resource_type",
        "resource_id",
        "created_at",
        "updated_at",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.user_id.clone(),
            self.role_id.clone(),
            self.resource_type
                .as_ref()
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default(),
            self.resource_id.clone(),
            time_cell(self.created_at),
            time_cell(self.updated_at),
        ]
    }
}

/// Runs one `role-bindings` command.
pub async fn run(
    client: &Client,
    global: &Global,
    command: RoleBindings,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let bindings = client.role_bindings();
    let format = global.format();
    match command {
        RoleBindings::List {
            resource_type,
            user,
            space,
            org,
            project,
            role,
            paging,
        } => {
            let mut request = bindings.list().resource_type(resource_type.into());
            if let Some(user) = user {
                request = request.user(user);
            }
            if let Some(space) = space {
                request = request.space(space);
            }
            if let Some(org) = org {
                request = request.organization(org);
            }
            if let Some(project) = project {
                request = request.project(project);
            }
            if let Some(role) = role {
                request = request.role(role);
            }
            listing::run(request, paging, "role bindings", global, out).await?;
        }
        RoleBindings::Get { binding } => {
            output::one(out, format, &bindings.get(binding).await?)?;
        }
        RoleBindings::Create {
            user,
            role,
            target,
            org,
            replace,
        } => {
            let resource = match (target.space, target.project) {
                (Some(space), _) => Resource::space(space),
                (None, Some(project)) => Resource::project(project),
                (None, None) => unreachable!("clap requires one"),
            };
            let mut request = bindings.create(user, role, resource).replace(replace);
            if let Some(org) = org {
                request = request.organization(org);
            }
            output::one(out, format, &request.await?)?;
        }
        RoleBindings::Update { binding, role } => {
            output::one(out, format, &bindings.update(binding, role).await?)?;
        }
        RoleBindings::Delete { binding } => {
            bindings.delete(binding.as_str()).await?;
            if !global.quiet {
                eprintln!("deleted role binding {}", printable(&binding));
            }
        }
    }
    Ok(())
}
