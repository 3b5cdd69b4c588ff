//! `arize-ax audit-logs …`

use std::io::Write;

use arize_ax::Client;
use arize_ax::audit_logs::{AuditEntry, OperationType};
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand, ValueEnum};

use crate::args::{Global, Paging, parse_when};
use crate::failure::Failure;
use crate::listing;
use crate::output::{Record, time_cell};

/// `arize-ax audit-logs [API FLAGS] COMMAND`
#[derive(Debug, Args)]
pub struct AuditLogsArgs {
    #[command(subcommand)]
    pub command: AuditLogs,
}

/// A kind of operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "lower")]
pub enum Kind {
    /// Reads.
    Query,
    /// Writes.
    Mutation,
    /// Subscriptions.
    Subscription,
}

impl From<Kind> for OperationType {
    fn from(kind: Kind) -> Self {
        match kind {
            Kind::Query => OperationType::Query,
            Kind::Mutation => OperationType::Mutation,
            Kind::Subscription => OperationType::Subscription,
        }
    }
}

/// `arize-ax audit-logs …`
#[derive(Debug, Subcommand)]
pub enum AuditLogs {
    /// List the account's audit log, newest first: one page, or every entry
    /// of the window with --all (streamed; `-o jsonl` for pipelines).
    ///
    /// Needs an account admin's key, and audit logging enabled for the
    /// account. The window is the 30 days before --until (now) unless
    /// --since says otherwise. --all with -o jsonl or csv holds two pages
    /// at most, whatever the window (a table waits for every row). With
    /// --cursor, give --since and --until as times: a duration counts from
    /// now, so the window would move.
    List {
        /// The earliest entries to include: a duration ago (7d, 12h) or an
        /// RFC 3339 time.
        #[arg(long, value_parser = parse_when)]
        since: Option<DateTime<Utc>>,
        /// The latest entries to include: a duration ago or an RFC 3339
        /// time (default: now).
        #[arg(long, value_parser = parse_when)]
        until: Option<DateTime<Utc>>,
        /// Only this user's actions (ID or email).
        #[arg(long)]
        user: Option<String>,
        /// Only this operation name, exactly (e.g. "POST /v2/spaces");
        /// repeat for up to 20.
        #[arg(long = "operation", value_name = "NAME")]
        operations: Vec<String>,
        /// Only operations of this kind.
        #[arg(long = "type", value_enum)]
        kind: Option<Kind>,
        #[command(flatten)]
        paging: Paging,
    },
}

impl Record for AuditEntry {
    const COLUMNS: &'static [&'static str] = &[
        "created_at",
        "user_id",
        "operation_type",
        "operation_name",
        "ip",
        "operation_text",
        "id",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            time_cell(self.created_at),
            self.user_id.clone(),
            self.operation_type
                .as_ref()
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default(),
            self.operation_name.clone(),
            self.ip.clone(),
            self.operation_text.clone(),
            self.id.clone(),
        ]
    }
}

/// Runs one `audit-logs` command.
pub async fn run(
    client: &Client,
    global: &Global,
    command: AuditLogs,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    match command {
        AuditLogs::List {
            since,
            until,
            user,
            operations,
            kind,
            paging,
        } => {
            let mut request = client.audit_logs().list().operations(operations);
            if let Some(since) = since {
                request = request.since(since);
            }
            if let Some(until) = until {
                request = request.until(until);
            }
            if let Some(user) = user {
                request = request.user(user);
            }
            if let Some(kind) = kind {
                request = request.operation_type(kind.into());
            }
            listing::run(request, paging, "audit-log entries", global, out).await
        }
    }
}
