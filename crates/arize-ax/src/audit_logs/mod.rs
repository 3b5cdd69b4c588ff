//! The audit logs API (BETA): who called what, when, and from where,
//! newest first. Account admins only, and only while audit logging is
//! enabled for the account.
//!
//! A listing covers a time window (`since` … `until`, both included; the
//! server's default is the 30 days before now), narrowed by user, by
//! operation names (1 to 20, compared exactly) and by operation type.
//! [`stream`](ListAuditLogs::stream) goes through any window holding at
//! most two pages, however many entries it has.

mod record;

use arize_ax_api::limits::{
    AUDIT_OPERATION_NAME_MAX_LEN, AUDIT_OPERATION_NAME_MIN_LEN, AUDIT_OPERATION_NAMES_MAX,
};
use arize_ax_api::ops;
use arize_ax_api::types::{Id, ListAuditLogsOperationNameItem};
use chrono::{DateTime, Utc};

use crate::core::checks::{check_len, check_text};
use crate::core::client::Client;
use crate::core::error::{Error, Result};
use crate::core::paging::{Listing, Pagination, Query};
use crate::refs::UserRef;
use crate::types::decode;

pub use record::{AuditEntry, AuditLogPage, OperationType};

const LIST: &str = "audit_logs.list";

/// The method keys of this module and the operations they call.
pub const METHODS: &[(&str, &str)] = &[(LIST, ops::LIST_AUDIT_LOGS.id)];

/// What a 403 of the audit log means, in place of the general hint.
const FORBIDDEN: &str = "reading the audit log needs an account admin's API key, and audit \
                         logging enabled for the account (an account admin turns it on in \
                         Arize's account settings)";

/// The audit logs API (BETA); get it with [`Client::audit_logs`].
#[derive(Debug, Clone)]
pub struct AuditLogs {
    client: Client,
}

impl Client {
    /// The audit logs API (BETA): the account's record of authenticated
    /// actions.
    ///
    /// ```no_run
    /// use futures::TryStreamExt;
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let week_ago = chrono::Utc::now() - chrono::Duration::days(7);
    /// let mut entries = client
    ///     .audit_logs()
    ///     .list()
    ///     .since(week_ago)
    ///     .operation("DELETE /v2/spaces/{space_id}")
    ///     .stream();
    /// while let Some(entry) = entries.try_next().await? {
    ///     println!("{:?} {} {}", entry.created_at, entry.user_id, entry.operation_name);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn audit_logs(&self) -> AuditLogs {
        AuditLogs {
            client: self.clone(),
        }
    }
}

impl AuditLogs {
    /// Lists entries, newest first: one page with
    /// [`send`](ListAuditLogs::send) (or `.await`), or every one in the
    /// window with [`stream`](ListAuditLogs::stream).
    pub fn list(&self) -> ListAuditLogs {
        ListAuditLogs(Listing::new(self.client.clone(), LogsQuery::default()))
    }
}

/// A request for audit-log entries; see [`AuditLogs::list`].
#[derive(Debug, Clone)]
#[must_use = "a list request does nothing until sent or streamed"]
pub struct ListAuditLogs(Listing<LogsQuery>);

/// The filters of [`ListAuditLogs`]; a user's email is resolved once,
/// before the first page.
#[derive(Debug, Clone, Default)]
pub(crate) struct LogsQuery {
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    user: Option<UserRef>,
    operations: Vec<String>,
    kind: Option<OperationType>,
}

/// Checks the operation names: at most the spec's number of them, each of
/// the spec's length and printable.
fn check_operations(names: &[String]) -> Result<()> {
    if names.len() > AUDIT_OPERATION_NAMES_MAX {
        return Err(Error::invalid(
            "operation_name",
            format!(
                "at most {AUDIT_OPERATION_NAMES_MAX} operation names per listing (got {})",
                names.len()
            ),
        ));
    }
    for name in names {
        if name.chars().count() < AUDIT_OPERATION_NAME_MIN_LEN {
            return Err(Error::invalid(
                "operation_name",
                format!("must be at least {AUDIT_OPERATION_NAME_MIN_LEN} character long"),
            ));
        }
        check_text("operation_name", name)?;
        check_len("operation_name", name, AUDIT_OPERATION_NAME_MAX_LEN)?;
    }
    Ok(())
}

impl Query for LogsQuery {
    type Item = AuditEntry;
    type Page = AuditLogPage;
    const METHOD: &'static str = LIST;
    const OPERATION: &'static arize_ax_api::Operation = ops::LIST_AUDIT_LOGS;

    fn validate(&self) -> Result<()> {
        match (self.since, self.until) {
            (Some(since), Some(until)) if since > until => {
                return Err(Error::invalid(
                    "start_time",
                    format!("must not be after end_time ({since} is after {until})"),
                ));
            }
            (Some(since), None) if since > Utc::now() => {
                return Err(Error::invalid(
                    "start_time",
                    format!(
                        "must not be in the future when end_time is left out (now; got {since})"
                    ),
                ));
            }
            _ => {}
        }
        check_operations(&self.operations)?;
        if let Some(kind) = &self.kind
            && !kind.is_known()
        {
            return Err(Error::invalid(
                "operation_type",
                "must be QUERY, MUTATION or SUBSCRIPTION",
            ));
        }
        if let Some(user) = &self.user {
            user.validate()?;
        }
        Ok(())
    }

    async fn prepare(mut self, client: &Client) -> Result<Self> {
        if let Some(UserRef::Email(email)) = &self.user {
            let id = client
                .users()
                .resolve(LIST, UserRef::Email(email.clone()))
                .await?;
            self.user = Some(UserRef::Id(id));
        }
        Ok(self)
    }

    async fn fetch(
        &self,
        client: &Client,
        limit: Option<u32>,
        cursor: Option<String>,
    ) -> Result<AuditLogPage> {
        let mut request = client.raw().list_audit_logs();
        if let Some(since) = self.since {
            request = request.start_time(since);
        }
        if let Some(until) = self.until {
            request = request.end_time(until);
        }
        if let Some(user) = &self.user {
            request = request.user_id(Id(user.as_str().to_owned()));
        }
        if !self.operations.is_empty() {
            let names = self
                .operations
                .iter()
                .map(|name| ListAuditLogsOperationNameItem::try_from(name.clone()))
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|e| Error::invalid("operation_name", e.to_string()))?;
            request = request.operation_name(names);
        }
        if let Some(kind) = &self.kind {
            request = request.operation_type(kind.clone());
        }
        let request = crate::core::paging::paged!(request, limit, cursor);
        match client.call(LIST, request.send()).await {
            Ok(page) => decode(LIST, page),
            Err(e) if e.status() == Some(403) => Err(e.with_advice(FORBIDDEN)),
            Err(e) => Err(e),
        }
    }

    fn split(page: AuditLogPage) -> (Vec<AuditEntry>, Pagination) {
        (page.logs, page.pagination)
    }

    fn join(logs: Vec<AuditEntry>, pagination: Pagination) -> AuditLogPage {
        AuditLogPage { logs, pagination }
    }
}

impl ListAuditLogs {
    /// The earliest time to include (inclusive); the server's default is
    /// 30 days before [`until`](Self::until).
    pub fn since(mut self, since: DateTime<Utc>) -> Self {
        self.0.query.since = Some(since);
        self
    }

    /// The latest time to include (inclusive); the server's default is now.
    pub fn until(mut self, until: DateTime<Utc>) -> Self {
        self.0.query.until = Some(until);
        self
    }

    /// Keeps the entries of one user, by ID or email.
    pub fn user(mut self, user: impl Into<UserRef>) -> Self {
        self.0.query.user = Some(user.into());
        self
    }

    /// Keeps entries of this operation name (compared exactly, case
    /// included); call it again for more names, up to 20.
    pub fn operation(mut self, name: impl Into<String>) -> Self {
        self.0.query.operations.push(name.into());
        self
    }

    /// Keeps entries of any of these operation names (adds to those given
    /// already; up to 20 in all).
    pub fn operations<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.0
            .query
            .operations
            .extend(names.into_iter().map(Into::into));
        self
    }

    /// Keeps entries of one kind of operation.
    pub fn operation_type(mut self, kind: OperationType) -> Self {
        self.0.query.kind = Some(kind);
        self
    }
}

crate::core::paging::listing_builder!(
    ListAuditLogs,
    AuditEntry,
    AuditLogPage,
    "audit-log entry",
    "[`Error::InvalidInput`] for a window that ends before it starts, more than 20 operation names or one that is empty, too long or not printable, an operation type this version does not know, a limit outside 1..=100 or an empty cursor (nothing is sent); resolution errors for a user given by email; [`Error::Api`] with 403 (its advice: an account admin's key, audit logging enabled) and other API and transport errors."
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_follow_the_spec() {
        let names = |n: usize, name: &str| vec![name.to_owned(); n];
        assert!(check_operations(&names(20, "GET /v2/users")).is_ok());
        assert!(check_operations(&names(21, "GET /v2/users")).is_err());
        assert!(check_operations(&names(1, &"x".repeat(255))).is_ok());
        assert!(check_operations(&names(1, &"x".repeat(256))).is_err());
        assert!(check_operations(&names(1, "")).is_err());
        assert!(check_operations(&names(1, "a\u{1b}[2J")).is_err());
    }
}
