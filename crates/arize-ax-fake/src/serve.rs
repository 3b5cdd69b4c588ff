//! Serving the fake as a process: the one implementation behind both the
//! `arize-ax-fake` binary and `arize-ax fake serve`, with the same flags and
//! defaults.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use crate::FakeArize;

/// The flags of a served fake: the key clients must send, and the rest.
#[derive(Debug, Clone, clap::Args)]
#[non_exhaustive]
pub struct ServeArgs {
    /// The API key clients must send as `Authorization: Bearer <key>`.
    #[arg(long, default_value = DEFAULT_KEY, env = "ARIZE_FAKE_API_KEY")]
    pub api_key: String,
    #[command(flatten)]
    pub options: ServeOptions,
}

impl ServeArgs {
    /// The flags with this key (as `--api-key` gives it).
    pub fn new(api_key: impl Into<String>, options: ServeOptions) -> Self {
        ServeArgs {
            api_key: api_key.into(),
            options,
        }
    }
}

/// The key a served fake accepts unless told otherwise.
pub const DEFAULT_KEY: &str = "demo";

/// The flags of a served fake besides its key (a command line with an
/// `--api-key` of its own, such as `arize-ax`, passes the key separately).
#[derive(Debug, Clone, clap::Args)]
#[non_exhaustive]
pub struct ServeOptions {
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Address to bind (loopback by default).
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// Seed for deterministic IDs.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// How many organizations to start with.
    #[arg(long, default_value_t = 3)]
    pub orgs: usize,
    /// How many spaces each organization starts with (the second private).
    #[arg(long, default_value_t = 2)]
    pub spaces: usize,
    /// How many extra account users to start with (`user{i}@example.com`,
    /// account role MEMBER), besides the five default ones.
    #[arg(long, default_value_t = 0)]
    pub users: usize,
    /// Load state from this JSON file (if it exists) and save it there after
    /// every change.
    #[arg(long)]
    pub state: Option<PathBuf>,
    /// Accept this many requests a second (a token bucket); beyond it answer
    /// 429 with Retry-After.
    #[arg(long, value_name = "PER_SECOND")]
    pub rate_limit: Option<f64>,
    /// Requests the bucket holds for bursts (default: one second's worth).
    #[arg(long, requires = "rate_limit")]
    pub burst: Option<u32>,
    /// Answer every request after this many milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub latency: u64,
    /// Add up to this many milliseconds more, at random.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub jitter: u64,
    /// Leave every empty value (`""`, `false`, `0`, `null`, `[]`, `{}`) out
    /// of answers, as a server with Go's `omitempty` does (the document
    /// requires no response field).
    #[arg(long)]
    pub omit_empty: bool,
    /// Run as an account without audit logging: nothing is recorded, and
    /// reading the audit log answers 403.
    #[arg(long)]
    pub no_audit_log: bool,
    /// Start with this many audit-log entries (a second apart, the newest
    /// a second ago).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub audit_entries: usize,
    /// Start with this many restrictions no key may manage (listings of
    /// restrictions then come back in short or empty pages).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub hidden_restrictions: usize,
}

/// Starts the fake, prints its base URL as the first line of `out`, says on
/// stderr how to point the SDK at it (unless `quiet`), and serves until
/// Ctrl-C; then saves the state file, if any.
///
/// # Errors
///
/// When the address cannot be bound, the state file cannot be read or
/// written, or `out` cannot be written.
pub async fn serve(args: ServeArgs, quiet: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let ServeArgs {
        api_key,
        options: args,
    } = args;
    let mut builder = FakeArize::builder()
        .api_key(api_key.as_str())
        .seed(args.seed)
        .seed_orgs(args.orgs)
        .spaces_per_org(args.spaces)
        .addr(SocketAddr::new(args.host, args.port));
    for i in 0..args.users {
        builder = builder.user(
            &format!("User {i}"),
            &format!("user{i}@example.com"),
            "MEMBER",
        );
    }
    if let Some(state) = args.state {
        builder = builder.state_file(state);
    }
    if let Some(rate) = args.rate_limit {
        let burst = args.burst.unwrap_or(rate.ceil().max(1.0) as u32);
        builder = builder.rate_limit(rate, burst);
    }
    builder = builder
        .latency(std::time::Duration::from_millis(args.latency))
        .jitter(std::time::Duration::from_millis(args.jitter))
        .omit_empty(args.omit_empty)
        .audit_logging(!args.no_audit_log)
        .audit_entries(args.audit_entries)
        .hidden_restrictions(args.hidden_restrictions);
    let fake = builder.start().await?;
    writeln!(out, "{}", fake.base_url())?;
    out.flush()?;
    if !quiet {
        let addr = fake.addr();
        eprintln!(
            "Fake Arize server on {} (API key {:?}). Point the SDK at it with:\n  \
             ARIZE_API_KEY={} ARIZE_API_HOST={} ARIZE_API_SCHEME=http ARIZE_API_PORT={}\n\
             Custom organization roles: {}.\n\
             Press Ctrl-C to stop.",
            fake.base_url(),
            api_key,
            api_key,
            addr.ip(),
            addr.port(),
            fake.custom_roles()
                .iter()
                .map(|r| format!("{} (custom:{})", r.name, r.id))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    tokio::signal::ctrl_c().await?;
    fake.save()?;
    fake.shutdown().await;
    Ok(())
}
