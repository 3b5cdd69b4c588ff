//! One row of an access review: a principal, a resource, a role.

use serde::{Deserialize, Serialize};

/// Who holds access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PrincipalType {
    /// A person of the account (as `list_users` shows them).
    User,
    /// The bot user of a service key.
    ServiceKey,
    /// Neither: a user the account's listing does not show (removed, or
    /// in a status the listing leaves out), or the bot of a service key
    /// in a space the review did not read.
    Unknown,
}

impl PrincipalType {
    /// The name the review writes (`user`, `service_key`, `unknown`).
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalType::User => "user",
            PrincipalType::ServiceKey => "service_key",
            PrincipalType::Unknown => "unknown",
        }
    }
}

/// Where a row's access comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Grant {
    /// The user's account role (resource type `ACCOUNT`).
    AccountRole,
    /// A role binding (its ID in `binding_id`).
    RoleBinding,
    /// A service key reaching a space it was made for (the API lists it
    /// under the space, without its role there).
    ServiceKey,
}

impl Grant {
    /// The name the review writes (`account_role`, `role_binding`,
    /// `service_key`).
    pub fn as_str(self) -> &'static str {
        match self {
            Grant::AccountRole => "account_role",
            Grant::RoleBinding => "role_binding",
            Grant::ServiceKey => "service_key",
        }
    }
}

/// One principal's access to one resource through one role: a row of an
/// access review. Text the API left out reads as empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct AccessRow {
    /// A person, a service key's bot user, or unknown.
    pub principal_type: PrincipalType,
    /// The user's (or bot user's) ID: the `user` of role bindings.
    pub principal_id: String,
    /// The user's email, or the service key's name.
    pub principal: String,
    /// The user's (or bot user's) display name.
    pub name: String,
    /// The user's status in the account (`ACTIVE`, `INVITED`, …); empty
    /// for a service key.
    pub status: String,
    /// The account role (`ADMIN`, `MEMBER`, …, or a custom role's name).
    pub account_role: String,
    /// The organization holding the resource (empty for a project: the API
    /// does not say which space a project is in).
    pub organization_id: String,
    /// Its name.
    pub organization: String,
    /// `ACCOUNT` (the account role's row), `SPACE` or `PROJECT`.
    pub resource_type: String,
    /// The space's or project's ID.
    pub resource_id: String,
    /// The space's name (a project's is not listed by the API).
    pub resource: String,
    /// The role's ID; empty when the API does not list it (a service key's
    /// role in its space).
    pub role_id: String,
    /// The role's name.
    pub role: String,
    /// Whether the role is built in: `predefined` or `custom` (empty when
    /// unknown).
    pub role_type: String,
    /// A custom role's permissions (built-in roles' are Arize's; empty
    /// when the caller may not read them).
    pub permissions: Vec<String>,
    /// Where the access comes from.
    pub granted_by: Grant,
    /// The role binding's ID, for a row granted by one.
    pub binding_id: String,
    /// Whether the resource is restricted (reachable through its own
    /// bindings only), as far as the caller may see restrictions.
    pub restricted: bool,
    /// What the review could not tell about this row (a space whose
    /// service keys the caller may not read; a bot user the server could
    /// not look up); empty when nothing.
    pub note: String,
}

impl AccessRow {
    /// The column names of [`cells`](Self::cells), for a table or CSV.
    pub const COLUMNS: &'static [&'static str] = &[
        "principal_type",
        "principal_id",
        "principal",
        "name",
        "status",
        "account_role",
        "organization",
        "resource_type",
        "resource_id",
        "resource",
        "role",
        "role_type",
        "permissions",
        "restricted",
        "granted_by",
        "binding_id",
        "organization_id",
        "role_id",
        "note",
    ];

    /// The row's values in [`COLUMNS`](Self::COLUMNS) order (permissions
    /// separated by spaces).
    pub fn cells(&self) -> Vec<String> {
        vec![
            self.principal_type.as_str().to_owned(),
            self.principal_id.clone(),
            self.principal.clone(),
            self.name.clone(),
            self.status.clone(),
            self.account_role.clone(),
            self.organization.clone(),
            self.resource_type.clone(),
            self.resource_id.clone(),
            self.resource.clone(),
            self.role.clone(),
            self.role_type.clone(),
            self.permissions.join(" "),
            self.restricted.to_string(),
            self.granted_by.as_str().to_owned(),
            self.binding_id.clone(),
            self.organization_id.clone(),
            self.role_id.clone(),
            self.note.clone(),
        ]
    }
}
