//! `arize-ax-fake`: serve the fake Arize API on loopback (the same server
//! and flags as `arize-ax fake serve`).

use std::process::ExitCode;

use arize_ax_fake::serve::{ServeArgs, serve};
use clap::Parser;

/// A stateful fake Arize AX server (organizations and users) for offline use.
///
/// Prints its base URL as the first line of stdout, then serves until
/// interrupted.
#[derive(Debug, Parser)]
#[command(name = "arize-ax-fake", version)]
struct Args {
    #[command(flatten)]
    serve: ServeArgs,
    /// Say nothing on stderr.
    #[arg(short, long)]
    quiet: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let stdout = std::io::stdout();
    match serve(args.serve, args.quiet, &mut stdout.lock()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
