//! `arize-ax access …`

use std::io::Write;

use arize_ax::Client;
use arize_ax::access_review::AccessRow;
use clap::{Args, Subcommand};

use crate::args::Global;
use crate::failure::Failure;
use crate::listing;
use crate::output::Record;

/// `arize-ax access [API FLAGS] COMMAND`
#[derive(Debug, Args)]
pub struct AccessArgs {
    #[command(subcommand)]
    pub command: Access,
}

/// `arize-ax access …`
#[derive(Debug, Subcommand)]
pub enum Access {
    /// Who has access to what: one row per principal (user or service key),
    /// resource (space or project) and role, with custom roles'
    /// permissions and restricted resources marked.
    ///
    /// Built from listings read once each (users, roles, organizations,
    /// spaces, restrictions, role bindings per resource type) and each
    /// space's service keys; never a request per user. What the API cannot
    /// show (and what --org or --no-service-keys leave out) is printed on
    /// stderr, even with --quiet.
    Review {
        /// Review one organization (name or ID): its spaces only (project
        /// bindings are left out: the API does not say where a project is).
        #[arg(long)]
        org: Option<String>,
        /// Do not list each space's service keys (bindings of their bot
        /// users then show as unknown principals).
        #[arg(long)]
        no_service_keys: bool,
    },
}

impl Record for AccessRow {
    const COLUMNS: &'static [&'static str] = AccessRow::COLUMNS;

    fn cells(&self) -> Vec<String> {
        AccessRow::cells(self)
    }
}

/// Runs one `access` command.
pub async fn run(
    client: &Client,
    global: &Global,
    command: Access,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    match command {
        Access::Review {
            org,
            no_service_keys,
        } => {
            let mut review = client.access_review().service_keys(!no_service_keys);
            if let Some(org) = org {
                review = review.organization(org);
            }
            let gaps = review.gaps();
            let written = listing::stream_all(review.stream(), "rows", global, out).await;
            // Part of the report, not chatter: printed even with --quiet,
            // and after a failure too (the rows written so far are not the
            // whole review: the exit code and the error say so).
            eprintln!("not shown (the API does not list it, or not to this key):");
            for gap in gaps {
                eprintln!("  - {gap}");
            }
            if written.is_err() {
                eprintln!("the review is incomplete: it stopped at the error below");
            }
            written
        }
    }
}
