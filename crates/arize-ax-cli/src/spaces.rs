//! `arize-ax spaces …`

use std::io::Write;

use arize_ax::Client;

use crate::args::Global;
use crate::args::Paging;
use crate::failure::Failure;
use crate::listing;
use clap::{Args, Subcommand};

/// `arize-ax spaces [API FLAGS] COMMAND`
#[derive(Debug, Args)]
pub struct SpacesArgs {
    #[command(subcommand)]
    pub command: Spaces,
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

/// Runs one `spaces` command.
pub async fn run(
    client: &Client,
    global: &Global,
    command: Spaces,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    match command {
        Spaces::List { org, name, paging } => {
            let mut request = client.spaces().list();
            if let Some(org) = org {
                request = request.organization(org);
            }
            if let Some(name) = name {
                request = request.name(name);
            }
            listing::run(request, paging, "spaces", global, out).await?;
        }
    }
    Ok(())
}
