//! The audit log: `/v2/audit-logs`. The server records every call it
//! serves (its operation, its kind, who made it, when, its body and
//! parameters); account admins read it newest first, filtered by time
//! window, user, operation names and kind, while audit logging is on.
//!
//! The log lives in memory only (a state file does not keep it), holds at
//! most [`MAX_ENTRIES`] (the oldest go first), and pages by key: a cursor
//! names the last entry handed out, so entries recorded while a reader
//! pages (its own reads among them) never shift its pages.

use std::collections::BTreeMap;

use arize_ax_api::open::{AuditLogOperationType, UserRole};
use arize_ax_api::types::{self, Id};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value};

use crate::core::{
    Answer, Call, Directory, Ids, Problem, Reply, decode_cursor, encode_cursor, pagination,
};

/// The most entries the log keeps; past it, the oldest tenth goes.
pub const MAX_ENTRIES: usize = 1_000_000;

/// The address every entry is recorded from (the fake does not look at
/// the peer).
const IP: &str = "127.0.0.1";

/// One recorded call.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Entry {
    /// The entry's ID.
    pub id: String,
    /// Who made the call.
    pub user_id: String,
    /// `QUERY` for a read, `MUTATION` for anything else.
    pub operation_type: AuditLogOperationType,
    /// `METHOD /path/{template}`.
    pub operation_name: String,
    /// The request body, when there was one.
    pub operation_text: Option<String>,
    /// The path and query parameters as a JSON object, when there were any.
    pub variables: Option<String>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
}

/// The log: entries by key (in the order recorded, which is time order),
/// and whether the account records them.
#[derive(Debug, Clone)]
pub struct AuditLog {
    entries: BTreeMap<u64, Entry>,
    next_key: u64,
    enabled: bool,
}

impl Default for AuditLog {
    /// Empty, recording.
    fn default() -> Self {
        AuditLog {
            entries: BTreeMap::new(),
            next_key: 1,
            enabled: true,
        }
    }
}

impl AuditLog {
    /// Turns audit logging on or off (off: nothing is recorded, reading is
    /// a 403).
    pub fn set_enabled(&mut self, enabled: bool) {
        self.enabled = enabled;
    }

    /// Whether audit logging is on.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// How many entries it holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries, oldest first.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.values()
    }

    fn push(&mut self, ids: &Ids, entry: Entry) {
        if self.enabled {
            self.insert(ids, entry);
        }
    }

    /// Records a call the server served for `caller`.
    pub fn record(&mut self, ids: &Ids, op: &arize_ax_api::Operation, call: &Call, caller: &str) {
        if !self.enabled {
            return;
        }
        let mut variables = Map::new();
        for (name, value) in &call.params {
            variables.insert((*name).to_owned(), Value::String(value.clone()));
        }
        for (name, value) in &call.query {
            variables.insert(name.clone(), Value::String(value.clone()));
        }
        let entry = Entry {
            id: String::new(),
            user_id: caller.to_owned(),
            operation_type: kind_of_method(op.method),
            operation_name: format!("{} {}", op.method, op.path),
            operation_text: (!call.body.is_empty())
                .then(|| String::from_utf8_lossy(&call.body).into_owned()),
            variables: (!variables.is_empty()).then(|| Value::Object(variables).to_string()),
            created_at: Utc::now(),
        };
        self.push(ids, entry);
    }

    /// Adds `count` entries of `users` (in turn), the newest a second
    /// before `now` and each one `spacing` older than the next: reads and
    /// writes of a few operations, as a busy account's log holds. The log
    /// is kept in time order: when it holds entries already, every entry is
    /// keyed anew (and gets a new ID), so seed before handing out cursors.
    /// Seeding works whether logging is on or off.
    pub fn seed(
        &mut self,
        ids: &Ids,
        count: usize,
        users: &[String],
        now: DateTime<Utc>,
        spacing: Duration,
    ) {
        const OPERATIONS: [(&str, &str); 6] = [
            ("GET", "/v2/spaces"),
            ("GET", "/v2/users"),
            ("POST", "/v2/spaces"),
            ("PATCH", "/v2/users/{user_id}"),
            ("GET", "/v2/organizations/{org_id}"),
            ("DELETE", "/v2/role-bindings/{binding_id}"),
        ];
        let oldest = now - Duration::seconds(1) - spacing * (count.max(1) as i32 - 1);
        let mut all: Vec<Entry> = std::mem::take(&mut self.entries).into_values().collect();
        all.extend((0..count).map(|i| {
            let (method, path) = OPERATIONS[i % OPERATIONS.len()];
            Entry {
                id: String::new(),
                user_id: users
                    .get(i % users.len().max(1))
                    .cloned()
                    .unwrap_or_default(),
                operation_type: kind_of_method(method),
                operation_name: format!("{method} {path}"),
                operation_text: (method == "POST").then(|| format!("{{\"name\": \"seeded-{i}\"}}")),
                variables: None,
                created_at: oldest + spacing * i as i32,
            }
        }));
        // Stable: entries of one instant keep the order they had.
        all.sort_by_key(|e| e.created_at);
        self.next_key = 1;
        for entry in all {
            self.insert(ids, entry);
        }
    }

    /// Adds an entry under the next key, whatever the setting.
    fn insert(&mut self, ids: &Ids, mut entry: Entry) {
        if self.entries.len() >= MAX_ENTRIES {
            let drop: Vec<u64> = self
                .entries
                .keys()
                .take(MAX_ENTRIES / 10)
                .copied()
                .collect();
            for key in drop {
                self.entries.remove(&key);
            }
        }
        let key = self.next_key;
        self.next_key += 1;
        entry.id = ids.plain_id("AuditLog", key);
        self.entries.insert(key, entry);
    }
}

/// A REST call's kind of operation: a read is a query, anything else a
/// mutation.
fn kind_of_method(method: &str) -> AuditLogOperationType {
    if method == "GET" {
        AuditLogOperationType::Query
    } else {
        AuditLogOperationType::Mutation
    }
}

/// An entry as the API returns it.
pub fn wire(entry: &Entry) -> types::AuditLog {
    types::AuditLog {
        id: Some(Id(entry.id.clone())),
        user_id: Some(Id(entry.user_id.clone())),
        ip: Some(IP.to_owned()),
        operation_type: Some(entry.operation_type.clone()),
        operation_name: Some(entry.operation_name.clone()),
        operation_text: entry.operation_text.clone(),
        variables: entry.variables.clone(),
        created_at: Some(entry.created_at),
    }
}

fn time(call: &Call, name: &str) -> Answer<Option<DateTime<Utc>>> {
    call.single(name)?
        .map(|text| {
            // RFC 3339, or ISO 8601 with a `+0000` offset, as the official
            // Python SDK sends a time.
            DateTime::parse_from_rfc3339(&text)
                .or_else(|_| DateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M:%S%.f%z"))
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| {
                    Problem::new(
                        400,
                        format!("{name} must be an RFC 3339 date-time (got {text:?})."),
                    )
                })
        })
        .transpose()
}

/// `GET /v2/audit-logs`: account admins, while audit logging is on; newest
/// first within `start_time` … `end_time` (now and 30 days before it by
/// default), narrowed by `user_id`, `operation_name` (1–20 names of 1–255
/// characters, exact) and `operation_type`.
pub fn list(log: &AuditLog, directory: &dyn Directory, call: &Call) -> Answer<Reply> {
    let caller = call.caller.as_deref().unwrap_or_default();
    if directory.user_account_role(caller) != Some(UserRole::Admin) {
        return Err(Problem::new(
            403,
            "Only account admins may read the audit log.",
        ));
    }
    if !log.enabled {
        return Err(Problem::new(
            403,
            "Audit logging is not enabled for this account.",
        ));
    }
    let end = time(call, "end_time")?.unwrap_or_else(Utc::now);
    let start = time(call, "start_time")?.unwrap_or(end - Duration::days(30));
    if start > end {
        return Err(Problem::new(400, "start_time must not be after end_time."));
    }
    let user = call.single("user_id")?;
    let names = call.all("operation_name");
    if names.len() > 20 {
        return Err(Problem::new(
            400,
            "operation_name may be given at most 20 times.",
        ));
    }
    if let Some(bad) = names
        .iter()
        .find(|n| n.is_empty() || n.chars().count() > 255)
    {
        return Err(Problem::new(
            400,
            format!("operation_name must be 1 to 255 characters long (got {bad:?})."),
        ));
    }
    let kind = call
        .single("operation_type")?
        .map(|text| {
            let kind = AuditLogOperationType::from(text.clone());
            if kind.is_known() {
                Ok(kind)
            } else {
                Err(Problem::new(
                    400,
                    format!(
                        "operation_type must be QUERY, MUTATION or SUBSCRIPTION (got {text:?})."
                    ),
                ))
            }
        })
        .transpose()?;
    let limit = call.limit()?;
    // A cursor names the last entry handed out; the page is what came
    // before it (no cursor, or an empty one: from the newest).
    let before = match call.single("cursor")?.filter(|c| !c.is_empty()) {
        Some(cursor) => decode_cursor(&cursor)?,
        None => u64::MAX,
    };
    let mut page: Vec<(u64, &Entry)> = Vec::with_capacity(limit + 1);
    for (key, entry) in log.entries.range(..before).rev() {
        if entry.created_at > end {
            continue;
        }
        // Keys follow time: nothing older comes after this one.
        if entry.created_at < start {
            break;
        }
        let keep = user.as_deref().is_none_or(|u| entry.user_id == u)
            && (names.is_empty() || names.contains(&entry.operation_name))
            && kind.as_ref().is_none_or(|k| entry.operation_type == *k);
        if keep {
            page.push((*key, entry));
            if page.len() > limit {
                break;
            }
        }
    }
    let has_more = page.len() > limit;
    page.truncate(limit);
    let next = has_more.then(|| encode_cursor(page.last().map_or(before, |(key, _)| *key)));
    Ok(Reply::json(
        200,
        &types::ListAuditLogsResponse {
            logs: page.into_iter().map(|(_, e)| wire(e)).collect(),
            pagination: Some(pagination(next)),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeding_after_calls_keeps_the_log_in_time_order() {
        let ids = Ids::new(1);
        let mut log = AuditLog::default();
        let call = Call {
            caller: Some("u".into()),
            ..Call::default()
        };
        log.record(&ids, arize_ax_api::ops::LIST_USERS, &call, "u");
        log.seed(&ids, 3, &["s".to_owned()], Utc::now(), Duration::minutes(1));
        let times: Vec<_> = log.entries().map(|e| e.created_at).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
        assert_eq!(
            log.entries().last().unwrap().user_id,
            "u",
            "the call is the newest"
        );
    }
}
