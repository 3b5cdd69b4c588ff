//! `arize-ax roles …`

use std::io::{IsTerminal, Write};

use arize_ax::{Client, Role};
use clap::{Args, Subcommand};

use crate::args::{Global, Paging};
use crate::confirm::{confirm_delete, say_deleted};
use crate::failure::Failure;
use crate::listing;
use crate::output::{self, Record};
use crate::terminal::printable;

/// `arize-ax roles [API FLAGS] COMMAND`
#[derive(Debug, Args)]
pub struct RolesArgs {
    #[command(subcommand)]
    pub command: Roles,
}

/// `arize-ax roles …`
#[derive(Debug, Subcommand)]
pub enum Roles {
    /// List roles, predefined and custom (one page, or every one with --all).
    List {
        /// Only the built-in (predefined) roles.
        #[arg(long, conflicts_with = "custom")]
        predefined: bool,
        /// Only the account's custom roles.
        #[arg(long)]
        custom: bool,
        #[command(flatten)]
        paging: Paging,
    },
    /// Show one role with its permissions, by name or ID.
    Get {
        /// Role name (exact, case-sensitive) or ID.
        role: String,
    },
    /// Create a custom role.
    Create {
        /// Its name, unique within the account: 1 to 255 characters among
        /// letters, digits, spaces and `-_.,()[]'"/:\&@#$%!?+=`.
        name: String,
        /// A permission to grant (repeat it, or separate with commas; any
        /// case, e.g. project_read). `arize-ax roles permissions` lists them.
        #[arg(
            long = "permission",
            value_name = "PERMISSION",
            value_delimiter = ',',
            required = true
        )]
        permissions: Vec<String>,
        /// What it is for (at most 1000 characters).
        #[arg(long)]
        description: Option<String>,
        /// If the name is taken by a role with the same permissions, print
        /// that role instead of failing (and retry safely when an answer is
        /// lost); different permissions are an error showing the difference.
        #[arg(long)]
        exist_ok: bool,
    },
    /// Rename a custom role, change its description or its permissions.
    ///
    /// --add-permission and --remove-permission read the role's current
    /// permissions and write the whole set back; the API has no
    /// compare-and-set, so two admins changing one role at the same moment
    /// can lose one of the changes.
    Update {
        /// Role name (exact) or ID.
        role: String,
        /// The new name.
        #[arg(long)]
        name: Option<String>,
        /// The new description ("" clears it).
        #[arg(long, conflicts_with = "clear_description")]
        description: Option<String>,
        /// Clear the description.
        #[arg(long)]
        clear_description: bool,
        /// The complete new set of permissions, comma-separated (replaces
        /// the current set).
        #[arg(long, value_name = "P,Q", value_delimiter = ',', num_args = 1, conflicts_with_all = ["add_permissions", "remove_permissions"])]
        permissions: Option<Vec<String>>,
        /// A permission to add (repeatable, or comma-separated).
        #[arg(
            long = "add-permission",
            value_name = "PERMISSION",
            value_delimiter = ','
        )]
        add_permissions: Vec<String>,
        /// A permission to remove (repeatable, or comma-separated).
        #[arg(
            long = "remove-permission",
            value_name = "PERMISSION",
            value_delimiter = ','
        )]
        remove_permissions: Vec<String>,
    },
    /// Delete a custom role (predefined roles cannot be deleted).
    ///
    /// A role that role bindings still use cannot be deleted: delete the
    /// bindings first. On a terminal it asks you to type the role's name;
    /// elsewhere it refuses unless --yes is given.
    Delete {
        /// Role name (exact) or ID.
        role: String,
        /// Delete without asking.
        #[arg(long, short)]
        yes: bool,
        /// Show the role that would be deleted and change nothing.
        #[arg(long, conflicts_with = "yes")]
        dry_run: bool,
    },
    /// The permissions this version knows, grouped by resource (calls no
    /// API).
    Permissions,
}

/// A role as a row: its permissions joined by spaces in a table, commas in
/// CSV (JSON keeps the list).
impl Record for Role {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "name",
        "is_predefined",
        "permissions",
        "description",
        "created_at",
        "updated_at",
    ];

    fn cells(&self) -> Vec<String> {
        let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
            t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
                .unwrap_or_default()
        };
        vec![
            self.id.clone(),
            self.name.clone(),
            self.is_predefined.to_string(),
            self.permissions
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            self.description.clone(),
            time(self.created_at),
            time(self.updated_at),
        ]
    }
}

/// One resource and its actions, for `roles permissions` as a table (a
/// permission is `RESOURCE_ACTION`; full names would not fit a cell).
#[derive(serde::Serialize)]
struct ResourceActions {
    resource: String,
    actions: String,
}

impl Record for ResourceActions {
    const COLUMNS: &'static [&'static str] = &["resource", "actions"];

    fn cells(&self) -> Vec<String> {
        vec![self.resource.clone(), self.actions.clone()]
    }
}

/// One resource and its permissions, for `roles permissions`.
#[derive(serde::Serialize)]
struct PermissionGroup {
    resource: String,
    permissions: Vec<String>,
}

impl Record for PermissionGroup {
    const COLUMNS: &'static [&'static str] = &["resource", "permissions"];

    fn cells(&self) -> Vec<String> {
        vec![self.resource.clone(), self.permissions.join(" ")]
    }
}

/// `arize-ax roles permissions`: the known permissions by resource.
pub fn permissions(global: &Global, out: &mut dyn Write) -> Result<(), Failure> {
    let groups = arize_ax::roles::permissions_by_resource();
    if global.format() == output::Format::Table {
        let rows: Vec<ResourceActions> = groups
            .into_iter()
            .map(|(resource, permissions)| ResourceActions {
                actions: permissions
                    .iter()
                    .map(|p| {
                        let name = p.as_str();
                        name.strip_prefix(resource.as_str())
                            .and_then(|rest| rest.strip_prefix('_'))
                            .unwrap_or(name)
                            .to_owned()
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
                resource,
            })
            .collect();
        output::many(out, output::Format::Table, &rows)?;
        return Ok(());
    }
    let groups: Vec<PermissionGroup> = groups
        .into_iter()
        .map(|(resource, permissions)| PermissionGroup {
            resource,
            permissions: permissions.iter().map(ToString::to_string).collect(),
        })
        .collect();
    output::many(out, global.format(), &groups)?;
    Ok(())
}

/// Writes one role; a table shows its permissions in full below the row
/// (the row's cell is cut to fit).
fn one(out: &mut dyn Write, format: output::Format, role: &Role) -> Result<(), Failure> {
    output::one(out, format, role)?;
    if format == output::Format::Table && !role.permissions.is_empty() {
        writeln!(out, "\npermissions ({}):", role.permissions.len())?;
        for permission in &role.permissions {
            writeln!(out, "  {}", printable(permission.as_str()))?;
        }
    }
    Ok(())
}

/// Runs one `roles` command that calls the API.
pub async fn run(
    client: &Client,
    global: &Global,
    command: Roles,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let roles = client.roles();
    let format = global.format();
    match command {
        Roles::List {
            predefined,
            custom,
            paging,
        } => {
            let mut request = roles.list();
            if predefined {
                request = request.predefined();
            }
            if custom {
                request = request.custom();
            }
            listing::run(request, paging, "roles", global, out).await?;
        }
        Roles::Get { role } => {
            let role = roles.get(role).await?;
            one(out, format, &role)?;
        }
        Roles::Create {
            name,
            permissions,
            description,
            exist_ok,
        } => {
            let mut request = roles
                .create(name)
                .permissions(permissions)
                .exist_ok(exist_ok);
            if let Some(description) = description {
                request = request.description(description);
            }
            let role = request.send().await?;
            one(out, format, &role)?;
        }
        Roles::Update {
            role,
            name,
            description,
            clear_description,
            permissions,
            add_permissions,
            remove_permissions,
        } => {
            let mut request = roles
                .update(role)
                .add_permissions(add_permissions)
                .remove_permissions(remove_permissions);
            if let Some(name) = name {
                request = request.name(name);
            }
            if let Some(description) = description {
                request = request.description(description);
            }
            if clear_description {
                request = request.clear_description();
            }
            if let Some(permissions) = permissions {
                request = request.permissions(permissions);
            }
            let role = request.send().await?;
            one(out, format, &role)?;
        }
        Roles::Delete { role, yes, dry_run } => {
            if !yes && !dry_run && !std::io::stdin().is_terminal() {
                return Err(Failure::usage(format!(
                    "refusing to delete role {role:?} without confirmation; run it on a terminal \
                     to confirm by typing the name, or pass --yes"
                )));
            }
            // Resolve first, so the person confirms the role that will be
            // deleted, and the delete targets its ID.
            let target = roles.get(role.as_str()).await?;
            if dry_run {
                one(out, format, &target)?;
                if format == output::Format::Table {
                    writeln!(out, "dry run: nothing was deleted")?;
                }
                return Ok(());
            }
            if !yes && !target.is_predefined {
                confirm_delete(
                    "role",
                    &target.name,
                    &target.id,
                    &format!("with its {} permission(s)", target.permissions.len()),
                )?;
            }
            // A predefined role is refused here, before anything is sent.
            roles.delete(&target).await?;
            say_deleted("role", &target.name, &target.id, global.quiet);
        }
        Roles::Permissions => permissions(global, out)?,
    }
    Ok(())
}
