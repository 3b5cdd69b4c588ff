//! The role record, its page, and how callers name a role.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use arize_ax_api::types as raw;

use crate::core::error::Result;
use crate::roles::permissions::Permission;
use crate::types::{FromRaw, Missing, ResponseObject};

pub use crate::refs::RoleRef;

/// A role: a named set of permissions, built in (predefined) or defined by
/// the account (custom). Fields the server left out read as empty.
///
/// ```
/// let role: arize_ax::Role = serde_json::from_str(r#"{
///     "id": "Um9sZTo5MDE=", "name": "Dataset Curator",
///     "permissions": ["PROJECT_READ", "DATASET_READ", "SOMETHING_NEW"]
/// }"#).unwrap();
/// assert_eq!(role.permissions.len(), 3);
/// assert!(!role.is_predefined);
/// assert_eq!(role.description, "");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Role {
    /// The role's ID.
    pub id: String,
    /// Its name, unique within the account; empty when the server left it
    /// out.
    #[serde(default)]
    pub name: String,
    /// What it is for; empty when unset.
    #[serde(default)]
    pub description: String,
    /// The permissions it grants (empty when the server left them out:
    /// only callers holding `ROLE_READ` receive them). A permission this
    /// version does not know is kept as sent.
    #[serde(default)]
    pub permissions: Vec<Permission>,
    /// Whether it is built in; built-in roles can be neither changed nor
    /// deleted. `false` when the server left it out (the server then
    /// judges a change).
    #[serde(default)]
    pub is_predefined: bool,
    /// When it was created; `None` when the server left it out.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// When it was last changed; `None` when the server left it out.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

impl ResponseObject for Role {
    const FIELDS: &'static [&'static str] = &[
        "id",
        "name",
        "description",
        "permissions",
        "is_predefined",
        "created_at",
        "updated_at",
    ];
}

impl FromRaw<raw::Role> for Role {
    fn from_raw(role: raw::Role) -> Result<Self, Missing> {
        let raw::Role {
            created_at,
            description,
            id,
            is_predefined,
            name,
            permissions,
            updated_at,
        } = role;
        Ok(Role {
            id: id
                .ok_or(Missing {
                    record: "Role",
                    field: "id",
                })?
                .0,
            name: name.unwrap_or_default(),
            description: description.unwrap_or_default(),
            permissions,
            is_predefined: is_predefined.unwrap_or_default(),
            created_at,
            updated_at,
        })
    }
}

crate::types::page_type!(
    /// One page of roles.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
    RolesPage {
        /// The roles on this page.
        roles: Role
    } from ListRolesResponse
);

impl From<&Role> for RoleRef {
    fn from(role: &Role) -> Self {
        RoleRef::Id(role.id.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::Error;
    use arize_ax_api::limits::ROLE_NAME_MAX_LEN;

    #[test]
    fn a_sparse_role_decodes() {
        let role = Role::from_raw(raw::Role {
            id: Some(raw::Id("Um9sZTox".into())),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(role.name, "");
        assert!(role.permissions.is_empty());
        assert!(!role.is_predefined);
        assert!(Role::from_raw(raw::Role::default()).is_err(), "no id");
    }

    #[test]
    fn references_are_checked() {
        let long = "x".repeat(ROLE_NAME_MAX_LEN + 1);
        for (r, rule) in [
            (RoleRef::from(""), "empty"),
            (RoleRef::from("a\u{1}b"), "control"),
            (RoleRef::from(long.as_str()), "at most"),
            (RoleRef::id("nope"), "not a valid ID"),
        ] {
            match r.validate() {
                Err(Error::InvalidInput { field, reason }) => {
                    assert_eq!(field, "role");
                    assert!(reason.contains(rule), "{reason}");
                }
                other => panic!("{r:?}: {other:?}"),
            }
        }
        assert!(RoleRef::from("Um9sZTo5MDE=").validate().is_ok());
    }
}
