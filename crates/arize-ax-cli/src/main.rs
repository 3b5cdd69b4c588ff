//! `arize-ax`: the command-line tool for Arize AX organizations.
#![deny(clippy::print_stdout)]

mod cli;
mod demo;
mod orgs;
mod output;
mod users;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{CommandFactory, Parser};

use cli::{Cli, Command, Fake, Global, Spec};

/// Exit codes.
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// Any other failure.
    pub const FAILURE: u8 = 1;
    /// Usage or invalid input; nothing was sent.
    pub const USAGE: u8 = 2;
    /// Not found (name resolution or 404), or an ambiguous name.
    pub const NOT_FOUND: u8 = 3;
    /// Authentication or permission (401/403).
    pub const AUTH: u8 = 4;
}

/// An error with the exit code it deserves.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub error: anyhow::Error,
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(error: E) -> Self {
        let error = error.into();
        let code = error
            .downcast_ref::<arize_ax::Error>()
            .map_or(exit::FAILURE, code_for);
        Failure { code, error }
    }
}

impl Failure {
    /// A usage error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: exit::USAGE,
            error: anyhow::anyhow!(message.into()),
        }
    }
}

/// The exit code for a facade error.
pub fn code_for(error: &arize_ax::Error) -> u8 {
    use arize_ax::Error;
    match error {
        Error::InvalidInput { .. } | Error::Config(_) | Error::RoleConstraint(_) => exit::USAGE,
        Error::NotFound(_) | Error::Ambiguous(_) => exit::NOT_FOUND,
        Error::Api(api) => match api.status {
            404 => exit::NOT_FOUND,
            401 | 403 => exit::AUTH,
            _ => exit::FAILURE,
        },
        _ => exit::FAILURE,
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
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
    let mut out = stdout.lock();
    let result = runtime.block_on(run(cli, &mut out));
    let result = result.and_then(|()| out.flush().map_err(Failure::from));
    match result {
        Ok(()) => ExitCode::from(exit::OK),
        Err(failure) if is_broken_pipe(&failure.error) => ExitCode::from(exit::OK),
        Err(failure) => {
            eprintln!("error: {:#}", failure.error);
            ExitCode::from(failure.code)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

async fn run(cli: Cli, out: &mut dyn Write) -> Result<(), Failure> {
    let Cli { global, command } = cli;
    match command {
        Command::Orgs(command) => {
            let client = client(&global)?;
            orgs::run(&client, &global, command, out).await
        }
        Command::Users(command) => {
            let client = client(&global)?;
            users::run(&client, &global, command, out).await
        }
        Command::Demo => demo::run(&global, out).await,
        Command::Fake(Fake::Serve {
            port,
            seed,
            orgs,
            state,
        }) => fake_serve(&global, port, seed, orgs, state, out).await,
        Command::Spec(Spec::Drift {
            upstream,
            ours,
            format,
            strict,
        }) => spec_drift(&upstream, ours.as_deref(), format, strict, &global, out).await,
        Command::Spec(Spec::Sync {
            upstream,
            out: path,
            check,
        }) => spec_sync(&upstream, &path, check, out),
        Command::Completions { shell } => {
            let mut command = Cli::command();
            clap_complete::generate(shell, &mut command, "arize-ax", out);
            Ok(())
        }
    }
}

/// The facade client from the environment and the global flags.
pub fn client(global: &Global) -> Result<arize_ax::Client, Failure> {
    let mut builder = arize_ax::ClientBuilder::from_env();
    if let Some(key) = &global.api_key {
        builder = builder.api_key(key.as_str());
    }
    if let Some(region) = &global.region {
        builder = builder.region(region.as_str());
    }
    if let Some(url) = &global.base_url {
        builder = builder.base_url(url.as_str());
    }
    if let Some(timeout) = global.timeout {
        builder = builder.timeout(timeout);
    }
    if global.quiet {
        builder = builder.prerelease_warning(false);
    }
    let has_key = global.api_key.is_some() || std::env::var_os("ARIZE_API_KEY").is_some();
    builder.build().map_err(|e| {
        if has_key {
            Failure::from(e)
        } else {
            Failure::usage(
                "no API key. Set ARIZE_API_KEY (in Arize: Settings > API Keys), e.g.\n  \
                 export ARIZE_API_KEY=...\nor pass --api-key. To try arize-ax without an account, run `arize-ax demo`.",
            )
        }
    })
}

/// Whether to draw progress: stderr is a terminal and not `--quiet`.
pub fn show_progress(global: &Global) -> bool {
    !global.quiet && std::io::stderr().is_terminal()
}

async fn fake_serve(
    global: &Global,
    port: u16,
    seed: u64,
    orgs: usize,
    state: Option<std::path::PathBuf>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let key = global.api_key.clone().unwrap_or_else(|| "demo".into());
    let mut builder = arize_ax_fake::FakeArize::builder()
        .api_key(key.as_str())
        .seed(seed)
        .seed_orgs(orgs)
        .addr(std::net::SocketAddr::from(([127, 0, 0, 1], port)));
    if let Some(state) = state {
        builder = builder.state_file(state);
    }
    let fake = builder
        .start()
        .await
        .context("cannot start the fake server")?;
    writeln!(out, "{}", fake.base_url())?;
    out.flush()?;
    if !global.quiet {
        let url = url_parts(&fake.base_url());
        eprintln!(
            "Fake Arize server on {} (API key {key:?}). Point the SDK at it with:\n  \
             ARIZE_API_KEY={key} ARIZE_API_HOST={} ARIZE_API_SCHEME=http ARIZE_API_PORT={}\n\
             Press Ctrl-C to stop.",
            fake.base_url(),
            url.0,
            url.1
        );
    }
    tokio::signal::ctrl_c()
        .await
        .context("cannot wait for Ctrl-C")?;
    fake.save().context("cannot save the state file")?;
    fake.shutdown().await;
    Ok(())
}

fn url_parts(base_url: &str) -> (String, String) {
    let rest = base_url.trim_start_matches("http://");
    match rest.rsplit_once(':') {
        Some((host, port)) => (host.to_owned(), port.to_owned()),
        None => (rest.to_owned(), "80".to_owned()),
    }
}

/// Reads a spec from a path or an http(s) URL.
async fn read_spec(
    source: &str,
    timeout: std::time::Duration,
) -> Result<serde_json::Value, Failure> {
    let unreadable = |e: anyhow::Error| Failure {
        code: exit::USAGE,
        error: e,
    };
    if source.starts_with("http://") || source.starts_with("https://") {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|e| unreadable(e.into()))?;
        let response = client
            .get(source)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| unreadable(anyhow::anyhow!("cannot fetch {source}: {e}")))?;
        let text = response
            .text()
            .await
            .map_err(|e| unreadable(anyhow::anyhow!("cannot read {source}: {e}")))?;
        arize_ax_spec::parse(&text, source).map_err(|e| unreadable(e.into()))
    } else {
        arize_ax_spec::load_file(std::path::Path::new(source)).map_err(|e| unreadable(e.into()))
    }
}

async fn spec_drift(
    upstream: &str,
    ours: Option<&std::path::Path>,
    format: cli::DriftFormat,
    strict: bool,
    global: &Global,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let timeout = global.timeout.unwrap_or(std::time::Duration::from_secs(30));
    let theirs = read_spec(upstream, timeout).await?;
    let ours = match ours {
        Some(path) => read_spec(&path.to_string_lossy(), timeout).await?,
        None => serde_json::from_str(arize_ax::raw::SPEC).context("the built-in spec")?,
    };
    let report = arize_ax_spec::drift::compare(&ours, &theirs).map_err(|e| Failure {
        code: exit::USAGE,
        error: e.into(),
    })?;
    match format {
        cli::DriftFormat::Text => out.write_all(report.to_text().as_bytes())?,
        cli::DriftFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &report)?;
            writeln!(out)?;
        }
    }
    match report.exit_code(strict) {
        0 => Ok(()),
        _ => {
            let breaking = report.has_breaking();
            Err(Failure {
                code: exit::FAILURE,
                error: anyhow::anyhow!(if breaking {
                    "upstream has drifted in a way that breaks this SDK; see above"
                } else {
                    "upstream has additive changes (--strict); run `arize-ax spec sync` to pick them up"
                }),
            })
        }
    }
}

fn spec_sync(
    upstream: &std::path::Path,
    path: &std::path::Path,
    check: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let options = arize_ax_spec::ConvertOptions::default();
    let spec_failure = |e: arize_ax_spec::SpecError| Failure {
        code: exit::USAGE,
        error: anyhow::anyhow!(e),
    };
    if check {
        if !arize_ax_spec::is_in_sync(upstream, path, &options).map_err(spec_failure)? {
            return Err(Failure {
                code: exit::FAILURE,
                error: anyhow::anyhow!(
                    "{} differs from the conversion of {}; run `arize-ax spec sync --upstream {}`",
                    path.display(),
                    upstream.display(),
                    upstream.display()
                ),
            });
        }
        writeln!(out, "{} is up to date", path.display())?;
        return Ok(());
    }
    let changed = arize_ax_spec::sync_file(upstream, path, &options).map_err(spec_failure)?;
    writeln!(
        out,
        "{} {}",
        path.display(),
        if changed {
            "updated"
        } else {
            "already up to date"
        }
    )?;
    Ok(())
}
