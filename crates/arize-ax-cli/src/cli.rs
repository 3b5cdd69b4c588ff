//! Command-line arguments.

use clap::{Parser, Subcommand};

use crate::access::AccessArgs;
use crate::api_keys::ApiKeysArgs;
use crate::args::{ApiArgs, Global};
use crate::audit_logs::AuditLogsArgs;
use crate::config::Config;
use crate::orgs::OrgsArgs;
use crate::restrictions::RestrictionsArgs;
use crate::role_bindings::RoleBindingsArgs;
use crate::roles::RolesArgs;
use crate::spaces::SpacesArgs;
use crate::spec::Spec;
use crate::users::UsersArgs;

/// Manage Arize AX organizations from a terminal or a script.
///
/// Settings come from the API flags below (before or after the command),
/// then the Arize SDK environment variables (ARIZE_API_KEY, ARIZE_REGION,
/// ARIZE_API_HOST, ARIZE_API_SCHEME, ARIZE_API_PORT, …), then a profile of
/// Arize's `ax` CLI (~/.arize/profiles/NAME.toml: --profile, ARIZE_PROFILE,
/// or ax's active profile). `arize-ax config show` says which applies. Try it
/// without an account: `arize-ax demo`.
///
/// Exit codes: 0 success; 2 usage or invalid input (nothing sent); 3 not found
/// (or an ambiguous name); 4 authentication or permission; 1 anything else.
#[derive(Debug, Parser)]
#[command(name = "arize-ax", version, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(flatten)]
    pub api: ApiArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Organizations: list, get, create, update, delete, add and remove users.
    Orgs(OrgsArgs),
    /// Users of the account (BETA): list, get, create (invite), update,
    /// delete, resend an invitation, reset a password.
    Users(UsersArgs),
    /// Spaces (BETA): list, get, create, update, delete; add and remove
    /// members, one by one or in bulk.
    Spaces(SpacesArgs),
    /// Roles (BETA): list, get, create, update and delete custom roles; the
    /// known permissions.
    Roles(RolesArgs),
    /// Role bindings (BETA): who holds which role on which space or
    /// project; list, get, create (or ensure), update, delete.
    RoleBindings(RoleBindingsArgs),
    /// API keys (BETA): list, create personal and service keys, refresh,
    /// revoke; secrets shown once or written to a dotenv file.
    ApiKeys(ApiKeysArgs),
    /// Audit logs (BETA): who called what, when, from where; account
    /// admins, with audit logging enabled.
    AuditLogs(AuditLogsArgs),
    /// Resource restrictions (BETA): projects, dashboards and prompts
    /// reachable only through their own role bindings; list, restrict,
    /// unrestrict.
    Restrictions(RestrictionsArgs),
    /// Access review: who holds which role on which space or project,
    /// as a table, CSV or JSON for an audit.
    Access(AccessArgs),
    /// Walk through the organizations, users, spaces and roles calls against
    /// a fake server started in-process (nothing leaves this machine).
    Demo,
    /// The fake Arize server, for pointing your own code at.
    #[command(subcommand)]
    Fake(Fake),
    /// The OpenAPI spec: refresh it from upstream, or check it for drift.
    #[command(subcommand)]
    Spec(Spec),
    /// The settings the API commands would use, and profiles.
    #[command(subcommand)]
    Config(Config),
    /// Print a shell completion script.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// `arize-ax fake …`
#[derive(Debug, Subcommand)]
pub enum Fake {
    /// Serve the fake API on loopback; prints its base URL first.
    ///
    /// Clients must send the key given with --api-key or --api-key-file
    /// (else ARIZE_FAKE_API_KEY, else demo). The same server as the
    /// `arize-ax-fake` binary.
    Serve(arize_ax_fake::serve::ServeOptions),
}
