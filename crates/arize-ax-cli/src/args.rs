//! The arguments every command group shares: the global flags, the API
//! flags, paging, and the value parsers.

use std::path::PathBuf;

use arize_ax::{OrgRole, UserStatus};
use clap::Args;

use crate::output::Format;

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
#[command(next_help_heading = "API flags (for the commands that call the Arize API)")]
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

/// Which page of a listing: one page (`--limit`, `--cursor`) or all.
#[derive(Debug, Args)]
pub struct Paging {
    /// Page size, 1 to 100 (the server's default is 50).
    #[arg(long, value_parser = parse_limit)]
    pub limit: Option<u32>,
    /// Continue from a page's next_cursor (with --all: every match from
    /// there on).
    #[arg(long)]
    pub cursor: Option<String>,
    /// Follow cursors and list every match.
    #[arg(long)]
    pub all: bool,
}

pub(crate) fn parse_timeout(text: &str) -> Result<std::time::Duration, String> {
    match text.parse::<f64>() {
        Ok(s) if s > 0.0 && s.is_finite() && s <= 3600.0 => {
            Ok(std::time::Duration::from_secs_f64(s))
        }
        _ => Err(format!(
            "{text:?} is not a number of seconds between 0 and 3600"
        )),
    }
}

pub(crate) fn parse_role(text: &str) -> Result<OrgRole, String> {
    text.parse::<OrgRole>().map_err(|e| match e {
        arize_ax::Error::InvalidInput { reason, .. } => reason,
        other => other.to_string(),
    })
}

pub(crate) fn parse_status(text: &str) -> Result<UserStatus, String> {
    match text.trim().parse::<UserStatus>() {
        Ok(status) if status.is_known() => Ok(status),
        _ => Err(format!(
            "{text:?} is not a user status; use active, invited or expired (any case)"
        )),
    }
}

pub(crate) fn parse_limit(text: &str) -> Result<u32, String> {
    use arize_ax::raw::limits::{PAGE_LIMIT_MAX, PAGE_LIMIT_MIN};
    match text.parse::<u32>() {
        Ok(n) if (PAGE_LIMIT_MIN..=PAGE_LIMIT_MAX).contains(&n) => Ok(n),
        _ => Err(format!(
            "{text:?} is not a page size from {PAGE_LIMIT_MIN} to {PAGE_LIMIT_MAX}"
        )),
    }
}

/// An RFC 3339 time, e.g. 2027-01-01T00:00:00Z.
pub(crate) fn parse_time(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| format!("{text:?} is not an RFC 3339 time (e.g. 2027-01-01T00:00:00Z): {e}"))
}

/// A duration such as 90d, 12h or 30m.
pub(crate) fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    humantime::parse_duration(text)
        .map_err(|e| format!("{text:?} is not a duration such as 90d, 12h or 30m: {e}"))
}

/// A moment: an RFC 3339 time, or a duration ago (`7d`: seven days before
/// now).
pub(crate) fn parse_when(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    if let Ok(time) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(time.with_timezone(&chrono::Utc));
    }
    let ago = humantime::parse_duration(text).map_err(|_| {
        format!(
            "{text:?} is neither a duration such as 7d, 12h or 30m (that long ago) nor an RFC 3339 \
             time such as 2026-06-01T00:00:00Z"
        )
    })?;
    chrono::Duration::from_std(ago)
        .ok()
        .and_then(|ago| chrono::Utc::now().checked_sub_signed(ago))
        .ok_or_else(|| format!("{text:?} is too long ago"))
}
