//! Custom RBAC roles that organization members can be given (seeded only:
//! the fake serves no role operation yet).

use serde::{Deserialize, Serialize};

use crate::core::{Ids, Record, Table};

/// A custom RBAC role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CustomRole {
    /// Its ID.
    pub id: String,
    /// Its display name.
    pub name: String,
}

impl Record for CustomRole {
    fn id(&self) -> &str {
        &self.id
    }
}

/// Every custom role.
pub type CustomRoles = Table<CustomRole>;

/// Adds a custom role; returns it. Its ID does not use the shared sequence,
/// so adding roles leaves every other ID as it was.
pub fn insert(roles: &mut CustomRoles, ids: &Ids, name: &str) -> CustomRole {
    let n = roles.last_key().unwrap_or(0) + 1;
    let role = CustomRole {
        id: ids.plain_id("Role", n),
        name: name.into(),
    };
    roles.insert(n, role).cloned().unwrap_or_else(|r| r)
}
