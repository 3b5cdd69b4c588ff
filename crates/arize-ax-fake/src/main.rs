//! `arize-ax-fake`: serve the fake Arize API on loopback.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use arize_ax_fake::FakeArize;
use clap::Parser;

/// A stateful fake Arize AX server (organizations and users) for offline use.
///
/// Prints its base URL as the first line of stdout, then serves until
/// interrupted.
#[derive(Debug, Parser)]
#[command(name = "arize-ax-fake", version)]
struct Args {
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// The API key clients must send as `Authorization: Bearer <key>`.
    #[arg(long, default_value = "test", env = "ARIZE_FAKE_API_KEY")]
    api_key: String,
    /// Seed for deterministic IDs.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// How many organizations to start with.
    #[arg(long, default_value_t = 0)]
    orgs: usize,
    /// Load state from this JSON file (if it exists) and save it there after
    /// every change.
    #[arg(long)]
    state: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let mut builder = FakeArize::builder()
        .api_key(args.api_key)
        .seed(args.seed)
        .seed_orgs(args.orgs)
        .addr(SocketAddr::new(args.host, args.port));
    if let Some(state) = args.state {
        builder = builder.state_file(state);
    }
    let fake = match builder.start().await {
        Ok(fake) => fake,
        Err(e) => {
            eprintln!("error: cannot start the fake server: {e}");
            return ExitCode::from(1);
        }
    };
    println!("{}", fake.base_url());
    eprintln!(
        "arize-ax-fake: serving on {} (Ctrl-C to stop)",
        fake.base_url()
    );
    let _ = tokio::signal::ctrl_c().await;
    if let Err(e) = fake.save() {
        eprintln!("error: cannot save state: {e}");
        return ExitCode::from(1);
    }
    fake.shutdown().await;
    ExitCode::SUCCESS
}
