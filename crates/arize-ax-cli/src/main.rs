//! `arize-ax`: the command-line tool for Arize AX organizations. This file
//! parses, dispatches and maps failures to exit codes; each command group
//! lives in its own module.
#![deny(clippy::print_stdout)]

mod access;
mod api;
mod api_keys;
mod args;
mod audit_logs;
mod bulk_input;
mod cli;
mod config;
mod confirm;
mod demo;
mod env_file;
mod failure;
mod listing;
mod orgs;
mod output;
mod profiles;
mod progress;
mod restrictions;
mod role_bindings;
mod roles;
mod settings;
mod spaces;
mod spec;
mod terminal;
mod users;

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{CommandFactory, Parser};

use access::AccessArgs;
use api_keys::ApiKeysArgs;
use args::Global;
use audit_logs::AuditLogsArgs;
use cli::{Cli, Command, Fake};
use failure::{Failure, exit};
use orgs::OrgsArgs;
use restrictions::RestrictionsArgs;
use role_bindings::RoleBindingsArgs;
use roles::RolesArgs;
use spaces::SpacesArgs;
use users::UsersArgs;

fn main() -> ExitCode {
    let cli = Cli::parse();
    logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(exit::FAILURE);
        }
    };
    let stdout = std::io::stdout();
    let mut out = Stdout {
        inner: stdout.lock(),
        closed: false,
    };
    let result = runtime.block_on(run(cli, &mut out));
    let result = result.and_then(|()| out.flush().map_err(Failure::from));
    match result {
        Ok(()) => ExitCode::from(exit::OK),
        Err(failure) => ExitCode::from(failure.report()),
    }
}

/// Sends the SDK's `tracing` events to stderr for people: pre-release and
/// TLS warnings as `warning: …`, notes (a lost answer that turned out to have
/// taken effect) as `note: …`. `ARIZE_AX_LOG` (an env-filter directive such
/// as `debug` or `arize_ax_api=debug`) shows more, e.g. each call's span and
/// retries.
fn logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("ARIZE_AX_LOG").unwrap_or_else(|_| {
        EnvFilter::new("arize_ax::prerelease=warn,arize_ax::tls=warn,arize_ax::note=info")
    });
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(filter)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .event_format(terminal::ForPeople)
        .try_init();
}

/// Standard output that remembers whether its reader closed the pipe, so
/// that the end is quiet however the error was wrapped on its way up.
struct Stdout<'a> {
    inner: std::io::StdoutLock<'a>,
    closed: bool,
}

impl Stdout<'_> {
    fn check<T>(&mut self, result: std::io::Result<T>) -> std::io::Result<T> {
        if let Err(e) = &result
            && e.kind() == std::io::ErrorKind::BrokenPipe
        {
            self.closed = true;
        }
        result
    }
}

impl Write for Stdout<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let result = self.inner.write(buf);
        self.check(result)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let result = self.inner.flush();
        self.check(result)
    }
}

async fn run(cli: Cli, out: &mut dyn Write) -> Result<(), Failure> {
    let Cli {
        global,
        api,
        command,
    } = cli;
    if let Some(what) = prints_nothing(&command) {
        refuse_output(
            &global,
            what,
            "prints nothing on stdout (it reports on stderr)",
        )?;
    }
    match command {
        Command::Orgs(OrgsArgs { command }) => {
            // Both would read stdin: the key would swallow the users.
            let reads_stdin = |p: &std::path::Path| p.as_os_str() == "-";
            if let (
                Some(key),
                orgs::Orgs::AddUsers { from, .. } | orgs::Orgs::RemoveUsers { from, .. },
            ) = (&api.api_key_file, &command)
                && reads_stdin(key)
                && reads_stdin(from)
            {
                return Err(Failure::usage(
                    "--api-key-file - and --from - cannot both read stdin; put the key in a file \
                     or in ARIZE_API_KEY",
                ));
            }
            orgs::run(&api::client(&api, &global)?, &global, command, out).await
        }
        Command::Users(UsersArgs { command }) => {
            users::run(&api::client(&api, &global)?, &global, command, out).await
        }
        Command::Roles(RolesArgs {
            command: roles::Roles::Permissions,
        }) => {
            refuse_api_flags(&api, "roles permissions", &[])?;
            roles::permissions(&global, out)
        }
        Command::Roles(RolesArgs { command }) => {
            roles::run(&api::client(&api, &global)?, &global, command, out).await
        }
        Command::ApiKeys(ApiKeysArgs { command }) => {
            api_keys::run(&api::client(&api, &global)?, &global, command, out).await
        }
        Command::RoleBindings(RoleBindingsArgs { command }) => {
            role_bindings::run(&api::client(&api, &global)?, &global, command, out).await
        }
        Command::AuditLogs(AuditLogsArgs { command }) => {
            audit_logs::run(&api::client(&api, &global)?, &global, command, out).await
        }
        Command::Access(AccessArgs { command }) => {
            access::run(&api::client(&api, &global)?, &global, command, out).await
        }
        Command::Restrictions(RestrictionsArgs { command }) => {
            restrictions::run(&api::client(&api, &global)?, &global, command, out).await
        }
        Command::Spaces(SpacesArgs { command }) => {
            spaces::run(&api::client(&api, &global)?, &global, command, out).await
        }
        Command::Config(config::Config::Show) => config::show(&api, &global, out),
        Command::Config(config::Config::Profiles) => {
            refuse_api_flags(&api, "config profiles", &[])?;
            config::profiles(&global, out)
        }
        Command::Demo => {
            refuse_api_flags(&api, "demo", &[])?;
            demo::run(&global, out).await
        }
        Command::Fake(Fake::Serve(options)) => {
            refuse_api_flags(&api, "fake serve", &["--api-key", "--api-key-file"])?;
            refuse_output(&global, "fake serve", "prints its base URL")?;
            let api_key = match (&api.api_key, &api.api_key_file) {
                (Some(key), _) => key.clone(),
                (None, Some(path)) => settings::read_key(path)?,
                (None, None) => std::env::var("ARIZE_FAKE_API_KEY")
                    .ok()
                    .filter(|k| !k.trim().is_empty())
                    .unwrap_or_else(|| arize_ax_fake::serve::DEFAULT_KEY.to_owned()),
            };
            let args = arize_ax_fake::serve::ServeArgs::new(api_key, options);
            arize_ax_fake::serve::serve(args, global.quiet, out)
                .await
                .context("the fake server failed")
                .map_err(Failure::from)
        }
        Command::Spec(command) => {
            match &command {
                spec::Spec::Drift { .. } => refuse_api_flags(&api, "spec drift", &["--timeout"])?,
                spec::Spec::Sync { .. } => refuse_api_flags(&api, "spec sync", &[])?,
            }
            spec::run(command, global.output, api.timeout, out).await
        }
        Command::Completions { shell } => {
            refuse_api_flags(&api, "completions", &[])?;
            refuse_output(&global, "completions", "prints a shell script")?;
            let mut command = Cli::command();
            // Into memory first: the generator panics on a write error.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "arize-ax", &mut script);
            out.write_all(&script)?;
            Ok(())
        }
    }
}

/// The API commands that print no data, so `-o` means nothing to them.
fn prints_nothing(command: &Command) -> Option<&'static str> {
    use orgs::Orgs;
    use users::Users;
    match command {
        Command::Orgs(OrgsArgs { command }) => match command {
            Orgs::Delete { dry_run: false, .. } => Some("orgs delete"),
            Orgs::RemoveUser { .. } => Some("orgs remove-user"),
            Orgs::RemoveUsers { .. } => Some("orgs remove-users"),
            _ => None,
        },
        Command::Users(UsersArgs { command }) => match command {
            Users::Delete { .. } => Some("users delete"),
            Users::ResendInvitation { .. } => Some("users resend-invitation"),
            Users::ResetPassword { .. } => Some("users reset-password"),
            _ => None,
        },
        Command::Roles(RolesArgs {
            command: roles::Roles::Delete { dry_run: false, .. },
        }) => Some("roles delete"),
        Command::RoleBindings(RoleBindingsArgs {
            command: role_bindings::RoleBindings::Delete { .. },
        }) => Some("role-bindings delete"),
        Command::ApiKeys(ApiKeysArgs {
            command: api_keys::ApiKeys::Revoke { .. },
        }) => Some("api-keys revoke"),
        Command::Restrictions(RestrictionsArgs {
            command: restrictions::Restrictions::Unrestrict { .. },
        }) => Some("restrictions unrestrict"),
        _ => None,
    }
}

/// Refuses the API flags a command that calls no API was given (but those
/// in `allowed`, which mean something to it), with a sentence.
fn refuse_api_flags(api: &args::ApiArgs, what: &str, allowed: &[&str]) -> Result<(), Failure> {
    let given = [
        ("--profile", api.profile.is_some()),
        ("--api-key", api.api_key.is_some()),
        ("--api-key-file", api.api_key_file.is_some()),
        ("--region", api.region.is_some()),
        ("--base-url", api.base_url.is_some()),
        ("--timeout", api.timeout.is_some()),
    ];
    let refused: Vec<&str> = given
        .into_iter()
        .filter(|(flag, set)| *set && !allowed.contains(flag))
        .map(|(flag, _)| flag)
        .collect();
    if refused.is_empty() {
        return Ok(());
    }
    Err(Failure::usage(format!(
        "{} {} for the commands that call the Arize API (orgs, users, spaces, roles, role-bindings, api-keys, config show); \
         `arize-ax {what}` calls none",
        refused.join(", "),
        if refused.len() == 1 { "is" } else { "are" }
    )))
}

/// Refuses `-o` where a command prints one fixed thing.
fn refuse_output(global: &Global, what: &str, prints: &str) -> Result<(), Failure> {
    match global.output {
        None => Ok(()),
        Some(format) => Err(Failure::usage(format!(
            "`arize-ax {what}` {prints}; -o {} means nothing there",
            format.name()
        ))),
    }
}
