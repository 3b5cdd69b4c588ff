//! `arize-ax restrictions …`

use std::io::Write;

use arize_ax::resource_restrictions::{Restriction, RestrictionType};
use arize_ax::{Client, Removal};
use clap::{Args, Subcommand, ValueEnum};

use crate::args::{Global, Paging};
use crate::failure::Failure;
use crate::listing;
use crate::output::{self, Record, time_cell};
use crate::terminal::printable;

/// `arize-ax restrictions [API FLAGS] COMMAND`
#[derive(Debug, Args)]
pub struct RestrictionsArgs {
    #[command(subcommand)]
    pub command: Restrictions,
}

/// A kind of restrictable resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "lower")]
pub enum Kind {
    /// Projects.
    Project,
    /// Dashboards.
    Dashboard,
    /// Prompts.
    Prompt,
}

impl From<Kind> for RestrictionType {
    fn from(kind: Kind) -> Self {
        match kind {
            Kind::Project => RestrictionType::Project,
            Kind::Dashboard => RestrictionType::Dashboard,
            Kind::Prompt => RestrictionType::Prompt,
        }
    }
}

/// `arize-ax restrictions …`
#[derive(Debug, Subcommand)]
pub enum Restrictions {
    /// List restricted projects, dashboards and prompts (those you may
    /// manage), one page or every one with --all.
    ///
    /// The server filters a page for your rights after reading it, so a
    /// page may be short; an empty one is never shown while more follow.
    List {
        /// Only resources of this kind.
        #[arg(long = "type", value_enum)]
        kind: Option<Kind>,
        #[command(flatten)]
        paging: Paging,
    },
    /// Restrict a project, dashboard or prompt to its own role bindings:
    /// roles bound on its space, organization or account stop reaching it.
    /// Restricting it again is harmless.
    Restrict {
        /// The resource's ID.
        resource: String,
    },
    /// Lift a restriction: roles bound on the space, organization or account
    /// reach the resource again.
    Unrestrict {
        /// The resource's ID.
        resource: String,
    },
}

impl Record for Restriction {
    const COLUMNS: &'static [&'static str] = &["resource_type", "resource_id", "created_at"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.resource_type
                .as_ref()
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default(),
            self.resource_id.clone(),
            time_cell(self.created_at),
        ]
    }
}

/// Runs one `restrictions` command.
pub async fn run(
    client: &Client,
    global: &Global,
    command: Restrictions,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let restrictions = client.resource_restrictions();
    match command {
        Restrictions::List { kind, paging } => {
            let mut request = restrictions.list();
            if let Some(kind) = kind {
                request = request.resource_type(kind.into());
            }
            listing::run(request, paging, "restrictions", global, out).await?;
        }
        Restrictions::Restrict { resource } => {
            output::one(
                out,
                global.format(),
                &restrictions.restrict(resource).await?,
            )?;
        }
        Restrictions::Unrestrict { resource } => {
            let removal = restrictions.unrestrict(resource.as_str()).await?;
            if !global.quiet {
                let how = match removal {
                    Removal::DoneByLostAttempt => " (by an attempt whose answer was lost)",
                    _ => "",
                };
                eprintln!("lifted the restriction of {}{how}", printable(&resource));
            }
        }
    }
    Ok(())
}
