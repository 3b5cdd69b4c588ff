//! The role binding record, its page, and the resource a binding is on.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use arize_ax_api::types as raw;

use crate::core::checks::check_id;
use crate::core::error::Result;
use crate::refs::SpaceRef;
use crate::types::{FromRaw, Missing, ResponseObject};

/// The kind of resource a binding is on: `Space` or `Project` (a kind this
/// version does not know is kept as sent). Parses from the wire names in
/// any case (`"space".parse()`).
pub use arize_ax_api::open::RoleBindingResourceType as ResourceType;

/// A grant of one role to one user (a person, or a service key's bot user)
/// on one space or project. Fields the server left out read as empty.
///
/// ```
/// let binding: arize_ax::RoleBinding = serde_json::from_str(r#"{
///     "id": "Um9sZUJpbmRpbmc6MzEzMQ==", "role_id": "Um9sZTo5MDE=",
///     "resource_type": "SPACE", "resource_id": "U3BhY2U6MTIzNDU="
/// }"#).unwrap();
/// assert_eq!(binding.resource_type, Some(arize_ax::role_bindings::ResourceType::Space));
/// assert_eq!(binding.user_id, "");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct RoleBinding {
    /// The binding's ID.
    pub id: String,
    /// The granted role's ID; empty when the server left it out.
    #[serde(default)]
    pub role_id: String,
    /// The user holding the role (for a service key, its bot user); empty
    /// when the server left it out.
    #[serde(default)]
    pub user_id: String,
    /// The kind of resource; `None` when the server left it out.
    #[serde(default)]
    pub resource_type: Option<ResourceType>,
    /// The space or project; empty when the server left it out.
    #[serde(default)]
    pub resource_id: String,
    /// When it was created; `None` when the server left it out.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// When its role last changed; `None` when the server left it out.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

impl ResponseObject for RoleBinding {
    const FIELDS: &'static [&'static str] = &[
        "id",
        "role_id",
        "user_id",
        "resource_type",
        "resource_id",
        "created_at",
        "updated_at",
    ];
}

impl FromRaw<raw::RoleBinding> for RoleBinding {
    fn from_raw(binding: raw::RoleBinding) -> Result<Self, Missing> {
        let raw::RoleBinding {
            created_at,
            id,
            resource_id,
            resource_type,
            role_id,
            updated_at,
            user_id,
        } = binding;
        Ok(RoleBinding {
            id: id
                .ok_or(Missing {
                    record: "RoleBinding",
                    field: "id",
                })?
                .0,
            role_id: role_id.map(|id| id.0).unwrap_or_default(),
            user_id: user_id.map(|id| id.0).unwrap_or_default(),
            resource_type,
            resource_id: resource_id.map(|id| id.0).unwrap_or_default(),
            created_at,
            updated_at,
        })
    }
}

crate::types::page_type!(
    /// One page of role bindings.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
    RoleBindingsPage {
        /// The bindings on this page (after the filters applied on this side,
        /// so possibly fewer than the page size while `pagination.has_more`
        /// is true; none only at the end — an emptied page is followed — or
        /// after `MAX_EMPTY_PAGES` pages the server sent empty in a row).
        role_bindings: RoleBinding
    } from ListRoleBindingsResponse
);

/// The resource a binding is on: a space (by ID or name) or a project (by
/// ID: the API has no projects to look a name up in).
///
/// ```
/// use arize_ax::role_bindings::{Resource, ResourceType};
///
/// assert_eq!(Resource::space("ranking").kind(), ResourceType::Space);
/// assert_eq!(Resource::project("UHJvamVjdDoyNDY4").kind(), ResourceType::Project);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Resource {
    /// A space, by ID or exact name.
    Space(SpaceRef),
    /// A project, by ID.
    Project(String),
}

impl Resource {
    /// A space by ID or exact name (see [`SpaceRef`]).
    pub fn space(space: impl Into<SpaceRef>) -> Self {
        Resource::Space(space.into())
    }

    /// A project by ID.
    pub fn project(id: impl Into<String>) -> Self {
        Resource::Project(id.into())
    }

    /// Its kind.
    pub fn kind(&self) -> ResourceType {
        match self {
            Resource::Space(_) => ResourceType::Space,
            Resource::Project(_) => ResourceType::Project,
        }
    }

    /// Checks the reference before anything is sent.
    pub(crate) fn validate(&self) -> Result<()> {
        match self {
            Resource::Space(space) => space.validate(),
            Resource::Project(id) => Ok(check_id("project", id)?),
        }
    }
}

impl From<SpaceRef> for Resource {
    fn from(space: SpaceRef) -> Self {
        Resource::Space(space)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sparse_binding_decodes_and_one_without_id_does_not() {
        let binding = RoleBinding::from_raw(raw::RoleBinding {
            id: Some(raw::Id("Um9sZUJpbmRpbmc6MQ==".into())),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(binding.role_id, "");
        assert_eq!(binding.resource_type, None);
        assert!(RoleBinding::from_raw(raw::RoleBinding::default()).is_err());
    }

    #[test]
    fn resources_are_checked() {
        assert!(Resource::project("not an id").validate().is_err());
        assert!(Resource::space("").validate().is_err());
        assert!(Resource::space("ranking").validate().is_ok());
    }
}
