//! Command-line arguments.

use std::path::PathBuf;

use arize_ax::{OrgRole, UserStatus};
use clap::{Args, Parser, Subcommand};

use crate::output::Format;

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

/// Flags every command accepts.
#[derive(Debug, Args)]
pub struct Global {
    /// Output format (default: table). Commands that print something else
    /// refuse it.
    #[arg(short, long, global = true, value_enum)]
    pub output: Option<Format>,
    /// No pre-release warnings, progress or confirmations on stderr.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

impl Global {
    /// The output format asked for, else a table.
    pub fn format(&self) -> Format {
        self.output.unwrap_or(Format::Table)
    }
}

/// How to reach Arize: the flags of the commands that call the API (`orgs`,
/// `users`, `spaces`, and `config show`), in any position (`arize-ax
/// --api-key-file k orgs list`, `arize-ax orgs --api-key-file k list`,
/// `arize-ax orgs list --api-key-file k`).
#[derive(Debug, Args)]
#[command(next_help_heading = "API flags (for orgs, users, spaces and config show)")]
pub struct ApiArgs {
    /// Use this profile of the `ax` CLI (~/.arize/profiles/NAME.toml;
    /// overrides ARIZE_PROFILE and ax's active profile).
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// API key (overrides ARIZE_API_KEY; for `fake serve`, the key it
    /// accepts). Anyone who can list processes on this machine can read it
    /// from the command line: prefer ARIZE_API_KEY or --api-key-file.
    #[arg(
        long,
        global = true,
        value_name = "KEY",
        conflicts_with = "api_key_file"
    )]
    pub api_key: Option<String>,
    /// Read the API key from this file (its first line), or from stdin with -.
    #[arg(long, global = true, value_name = "PATH")]
    pub api_key_file: Option<PathBuf>,
    /// Region: us-central-1a, eu-west-1a, ca-central-1a, us-east-1b, or US,
    /// EU, CA (overrides ARIZE_REGION and any host setting).
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,
    /// Full base URL, e.g. http://127.0.0.1:8080 (overrides every host setting).
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// Seconds to wait for each request (for `spec drift`, for an upstream
    /// URL).
    #[arg(long, global = true, value_name = "SECONDS", value_parser = parse_timeout)]
    pub timeout: Option<std::time::Duration>,
}

/// `arize-ax orgs [API FLAGS] COMMAND`
#[derive(Debug, Args)]
pub struct OrgsArgs {
    #[command(subcommand)]
    pub command: Orgs,
}

/// `arize-ax users [API FLAGS] COMMAND`
#[derive(Debug, Args)]
pub struct UsersArgs {
    #[command(subcommand)]
    pub command: Users,
}

/// `arize-ax spaces [API FLAGS] COMMAND`
#[derive(Debug, Args)]
pub struct SpacesArgs {
    #[command(subcommand)]
    pub command: Spaces,
}

fn parse_timeout(text: &str) -> Result<std::time::Duration, String> {
    match text.parse::<f64>() {
        Ok(s) if s > 0.0 && s.is_finite() && s <= 3600.0 => {
            Ok(std::time::Duration::from_secs_f64(s))
        }
        _ => Err(format!(
            "{text:?} is not a number of seconds between 0 and 3600"
        )),
    }
}

fn parse_role(text: &str) -> Result<OrgRole, String> {
    text.parse::<OrgRole>().map_err(|e| match e {
        arize_ax::Error::InvalidInput { reason, .. } => reason,
        other => other.to_string(),
    })
}

fn parse_status(text: &str) -> Result<UserStatus, String> {
    match text.trim().parse::<UserStatus>() {
        Ok(status) if status.is_known() => Ok(status),
        _ => Err(format!(
            "{text:?} is not a user status; use active, invited or expired (any case)"
        )),
    }
}

fn parse_limit(text: &str) -> Result<u32, String> {
    use arize_ax::raw::limits::{PAGE_LIMIT_MAX, PAGE_LIMIT_MIN};
    match text.parse::<u32>() {
        Ok(n) if (PAGE_LIMIT_MIN..=PAGE_LIMIT_MAX).contains(&n) => Ok(n),
        _ => Err(format!(
            "{text:?} is not a page size from {PAGE_LIMIT_MIN} to {PAGE_LIMIT_MAX}"
        )),
    }
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Organizations: list, get, create, update, delete, add and remove users.
    Orgs(OrgsArgs),
    /// Users of the account (BETA): list, get, create (invite), update,
    /// delete, resend an invitation, reset a password.
    Users(UsersArgs),
    /// Spaces (BETA): list the spaces of an organization.
    Spaces(SpacesArgs),
    /// Walk through every organizations call against a fake server started
    /// in-process (nothing leaves this machine).
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

/// `arize-ax config …`
#[derive(Debug, Subcommand)]
pub enum Config {
    /// Show the endpoint, region, TLS settings, timeout, profile and key
    /// the API commands would use, each with where it came from (the key
    /// only by its source and last four characters). Sends nothing.
    Show,
    /// List the `ax` CLI's profiles (~/.arize/profiles), the active one
    /// marked.
    Profiles,
}

/// Which page of a listing: one page (`--limit`, `--cursor`) or all.
#[derive(Debug, Args)]
pub struct Paging {
    /// Page size, 1 to 100 (the server's default is 50).
    #[arg(long, value_parser = parse_limit)]
    pub limit: Option<u32>,
    /// Continue from a page's next_cursor.
    #[arg(long, conflicts_with = "all")]
    pub cursor: Option<String>,
    /// Follow cursors and list every match.
    #[arg(long)]
    pub all: bool,
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
        /// admin, member, read-only, annotator, or custom:<ROLE ID>.
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
        /// admin, member, read-only, annotator, or custom:<ROLE ID>.
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

/// `arize-ax users …`
#[derive(Debug, Subcommand)]
pub enum Users {
    /// List the account's users (one page, or every one with --all).
    List {
        /// Keep users whose email contains this text (any case).
        #[arg(long)]
        email: Option<String>,
        /// Keep users with this status: active, invited or expired (any
        /// case); repeat it or separate with commas for several.
        #[arg(long, value_parser = parse_status, value_delimiter = ',')]
        status: Vec<UserStatus>,
        #[command(flatten)]
        paging: Paging,
    },
    /// Show one user, by ID or exact email (any case).
    Get {
        /// User ID or email.
        user: String,
    },
    /// Invite a user to the account (or show their pending invitation).
    ///
    /// Prints the user; with --invite temporary-password also the password,
    /// once: it is never shown again.
    Create {
        /// Full name (1 to 255 characters).
        name: String,
        /// Email address; the key that makes the command safe to repeat.
        email: String,
        /// Account role.
        #[arg(long, value_enum, default_value_t = AccountRoleArg::Member)]
        role: AccountRoleArg,
        /// How to bring them in.
        #[arg(long, value_enum, default_value_t = InviteArg::EmailLink)]
        invite: InviteArg,
        /// May call the API (the server's default: yes for admins and
        /// members). Set by a second call after the create (the create
        /// request has no such field).
        #[arg(long, overrides_with = "no_developer")]
        developer: bool,
        /// May not call the API (the server's default for annotators). Set
        /// by a second call after the create.
        #[arg(long, overrides_with = "developer")]
        no_developer: bool,
    },
    /// Rename a user, or grant or take away API access.
    Update {
        /// User ID or email.
        user: String,
        /// The new display name.
        #[arg(long)]
        name: Option<String>,
        /// Grant API access.
        #[arg(long, overrides_with = "no_developer")]
        developer: bool,
        /// Take API access away.
        #[arg(long, overrides_with = "developer")]
        no_developer: bool,
    },
    /// Remove a user from the account FOR GOOD (irreversible): they cannot
    /// sign in or be invited again; their memberships, API keys and role
    /// bindings go too.
    ///
    /// On a terminal it asks you to type the user's email; elsewhere it
    /// refuses unless --yes is given.
    Delete {
        /// User ID or email.
        user: String,
        /// Delete without asking.
        #[arg(long, short)]
        yes: bool,
    },
    /// Send an invited user's invitation email again (earlier links stop
    /// working).
    ResendInvitation {
        /// User ID or email.
        user: String,
    },
    /// Email a user a link to choose a new password (valid 30 minutes).
    ResetPassword {
        /// User ID or email.
        user: String,
    },
}

/// Account roles a user can be created with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AccountRoleArg {
    /// Manages the account.
    Admin,
    /// Regular access.
    Member,
    /// A member meant for the web interface (the document lists admin,
    /// member and annotator for new users; the server may refuse it).
    MemberUiOnly,
    /// Annotation work only.
    Annotator,
}

/// How `users create` brings a user in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InviteArg {
    /// Email a link to finish registering.
    EmailLink,
    /// No invitation: active at once (sign-in through an identity provider).
    None,
    /// A temporary password, printed once.
    TemporaryPassword,
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
}

/// `--developer` / `--no-developer`: a choice, or neither.
pub fn developer_flag(developer: bool, no_developer: bool) -> Option<bool> {
    match (developer, no_developer) {
        (true, _) => Some(true),
        (false, true) => Some(false),
        (false, false) => None,
    }
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

/// Formats of `spec drift`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DriftFormat {
    /// One line per change, then a summary.
    Text,
    /// An array of `{kind, location, change}`.
    Json,
}

/// `arize-ax spec …`
#[derive(Debug, Subcommand)]
pub enum Spec {
    /// Compare an upstream spec with ours and classify what would break this
    /// SDK.
    ///
    /// Exit 0 when nothing is breaking (additive changes are still listed),
    /// 1 on breaking drift (or on any drift with --strict), 2 when a document
    /// cannot be read.
    Drift {
        /// The upstream document: a path or an http(s) URL (YAML or JSON,
        /// OpenAPI 3.0 or 3.1). Default: the copy vendored in this
        /// repository (run from its root).
        #[arg(long, default_value = arize_ax_spec::VENDORED_UPSTREAM)]
        upstream: String,
        /// Our document (default: the spec built into this binary).
        #[arg(long)]
        ours: Option<PathBuf>,
        /// Output format (`-o json` means the same as `--format json`).
        #[arg(long, value_enum)]
        format: Option<DriftFormat>,
        /// Fail on additive changes too.
        #[arg(long)]
        strict: bool,
    },
    /// Convert an upstream document (3.0/3.1, YAML/JSON) into openapi/.
    Sync {
        /// The upstream document (YAML or JSON, OpenAPI 3.0 or 3.1). Default:
        /// the copy vendored in this repository (run from its root).
        #[arg(long, default_value = arize_ax_spec::VENDORED_UPSTREAM)]
        upstream: PathBuf,
        /// Where to write.
        #[arg(long, default_value = arize_ax_spec::CHECKED_IN_SPEC)]
        out: PathBuf,
        /// Write nothing; exit 1 if the file would change.
        #[arg(long)]
        check: bool,
    },
}
