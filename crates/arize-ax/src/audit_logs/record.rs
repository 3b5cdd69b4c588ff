//! The audit-log entry and its page.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use arize_ax_api::types as raw;

use crate::types::{FromRaw, Missing, ResponseObject};

/// The kind of operation an entry records: `Query`, `Mutation` or
/// `Subscription` (a kind this version does not know is kept as sent).
/// Parses from the wire names in any case (`"mutation".parse()`).
pub use arize_ax_api::open::AuditLogOperationType as OperationType;

/// One recorded action of an authenticated user. Every field may be left
/// out by the server; text fields then read as empty, the others as
/// `None`. The text fields are the server's (and a caller's) words: show
/// them through a filter for control characters, never raw on a terminal.
/// `operation_text` and `variables` hold what a caller sent, which may
/// include secrets of theirs (an integration's key in a mutation): `Debug`
/// shows only their length; serialise an entry on purpose, not into logs.
///
/// ```
/// let entry: arize_ax::audit_logs::AuditEntry = serde_json::from_str(r#"{
///     "id": "QXVkaXRMb2c6OTkwMDE=", "user_id": "VXNlcjoxMjM0NQ==",
///     "operation_type": "MUTATION", "operation_name": "POST /v2/spaces",
///     "operation_text": "{\"name\": \"ranking\"}",
///     "variables": null, "created_at": "2025-06-03T10:15:00Z"
/// }"#).unwrap();
/// assert_eq!(entry.operation_name, "POST /v2/spaces");
/// assert_eq!(entry.variables, None);
/// assert!(!format!("{entry:?}").contains("ranking")); // the body: only its length
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct AuditEntry {
    /// The entry's ID; empty when left out.
    #[serde(default)]
    pub id: String,
    /// When the action was recorded.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// Who acted (a user's ID); empty when left out.
    #[serde(default)]
    pub user_id: String,
    /// The IP address the request came from; empty when left out.
    #[serde(default)]
    pub ip: String,
    /// The kind of operation.
    #[serde(default)]
    pub operation_type: Option<OperationType>,
    /// The GraphQL operation's or the REST endpoint's name
    /// (`POST /v2/spaces`); empty when left out or null.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub operation_name: String,
    /// The operation's full text (a query, a mutation, a REST request
    /// body); empty when left out or null.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub operation_text: String,
    /// The variables sent with the operation, as a JSON-encoded string.
    #[serde(default)]
    pub variables: Option<String>,
}

impl std::fmt::Debug for AuditEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let chars = |text: &str| format!("<{} characters>", text.chars().count());
        f.debug_struct("AuditEntry")
            .field("id", &self.id)
            .field("created_at", &self.created_at)
            .field("user_id", &self.user_id)
            .field("ip", &self.ip)
            .field("operation_type", &self.operation_type)
            .field("operation_name", &self.operation_name)
            .field("operation_text", &chars(&self.operation_text))
            .field("variables", &self.variables.as_deref().map(chars))
            .finish()
    }
}

fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

impl ResponseObject for AuditEntry {
    const FIELDS: &'static [&'static str] = &[
        "id",
        "created_at",
        "user_id",
        "ip",
        "operation_type",
        "operation_name",
        "operation_text",
        "variables",
    ];
}

impl FromRaw<raw::AuditLog> for AuditEntry {
    fn from_raw(entry: raw::AuditLog) -> Result<Self, Missing> {
        let raw::AuditLog {
            created_at,
            id,
            ip,
            operation_name,
            operation_text,
            operation_type,
            user_id,
            variables,
        } = entry;
        Ok(AuditEntry {
            id: id.map(|id| id.0).unwrap_or_default(),
            created_at,
            user_id: user_id.map(|id| id.0).unwrap_or_default(),
            ip: ip.unwrap_or_default(),
            operation_type,
            operation_name: operation_name.unwrap_or_default(),
            operation_text: operation_text.unwrap_or_default(),
            variables,
        })
    }
}

crate::types::page_type!(
    /// One page of audit-log entries, newest first.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
    AuditLogPage {
        /// The entries on this page.
        logs: AuditEntry
    } from ListAuditLogsResponse
);
