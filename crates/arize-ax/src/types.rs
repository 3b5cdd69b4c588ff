//! Response types, owned by this crate and forward compatible: unknown extra
//! fields are ignored, and roles this version does not know are kept rather
//! than failing the call.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use arize_ax_api::types as raw;

use crate::role::RoleAssignment;

/// What every response type offers: JSON with the API's field names, its
/// field names, and its JSON Schema.
///
/// ```
/// use arize_ax::{Organization, ResponseObject};
///
/// assert_eq!(Organization::FIELDS, ["id", "name", "description", "created_at"]);
/// let schema = Organization::schema();
/// assert!(schema.schema.object.as_ref().unwrap().properties.contains_key("created_at"));
///
/// let org = Organization::from_json(serde_json::json!({
///     "id": "T3JnYW5pemF0aW9uOjE=", "name": "search", "description": "",
///     "created_at": "2025-03-04T09:30:00Z"
/// })).unwrap();
/// assert_eq!(org.to_json()["name"], "search");
/// ```
pub trait ResponseObject: Serialize + serde::de::DeserializeOwned + schemars::JsonSchema {
    /// The JSON field names, in wire order.
    const FIELDS: &'static [&'static str];

    /// The JSON Schema of the type (schemars).
    fn schema() -> schemars::schema::RootSchema {
        schemars::schema_for!(Self)
    }

    /// The value as JSON with the API's field names (the Python SDK's
    /// `to_dict`).
    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("response objects always serialise")
    }

    /// Reads the value from JSON with the API's field names.
    ///
    /// # Errors
    ///
    /// When a required field is missing or has the wrong type.
    fn from_json(value: serde_json::Value) -> Result<Self, serde_json::Error> {
        serde_json::from_value(value)
    }
}

impl ResponseObject for Organization {
    const FIELDS: &'static [&'static str] = &["id", "name", "description", "created_at"];
}

impl ResponseObject for Pagination {
    const FIELDS: &'static [&'static str] = &["has_more", "next_cursor"];
}

impl ResponseObject for OrganizationsPage {
    const FIELDS: &'static [&'static str] = &["organizations", "pagination"];
}

impl ResponseObject for OrganizationMembership {
    const FIELDS: &'static [&'static str] = &["id", "user_id", "organization_id", "role"];
}

impl ResponseObject for User {
    const FIELDS: &'static [&'static str] = &[
        "id",
        "name",
        "email",
        "created_at",
        "status",
        "role",
        "is_developer",
    ];
}

impl ResponseObject for UsersPage {
    const FIELDS: &'static [&'static str] = &["users", "pagination"];
}

impl ResponseObject for Space {
    const FIELDS: &'static [&'static str] =
        &["id", "name", "description", "created_at", "is_private"];
}

impl ResponseObject for SpacesPage {
    const FIELDS: &'static [&'static str] = &["spaces", "pagination"];
}

impl ResponseObject for AccountRole {
    const FIELDS: &'static [&'static str] = &["type", "name", "id"];
}

/// An organization: a top-level container of spaces and access.
///
/// ```
/// let org: arize_ax::Organization = serde_json::from_str(r#"{
///     "id": "T3JnYW5pemF0aW9uOjEyMzQ1", "name": "Search", "description": "",
///     "created_at": "2025-03-04T09:30:00Z", "added_later": true
/// }"#).unwrap();
/// assert_eq!(org.name, "Search");
/// assert_eq!(org.created_at.to_rfc3339(), "2025-03-04T09:30:00+00:00");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Organization {
    /// The organization's ID (opaque base64).
    pub id: String,
    /// Its name, unique within the account.
    pub name: String,
    /// What it is for; empty when unset.
    #[serde(default)]
    pub description: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// Where a page sits in a cursor-paginated listing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Pagination {
    /// Whether at least one more page exists.
    pub has_more: bool,
    /// Pass this to `cursor(..)` to get the next page; present only when
    /// `has_more` is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// One page of organizations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct OrganizationsPage {
    /// The organizations on this page.
    pub organizations: Vec<Organization>,
    /// How to get the next page.
    pub pagination: Pagination,
}

impl IntoIterator for OrganizationsPage {
    type Item = Organization;
    type IntoIter = std::vec::IntoIter<Organization>;

    fn into_iter(self) -> Self::IntoIter {
        self.organizations.into_iter()
    }
}

/// A user's membership in an organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct OrganizationMembership {
    /// The membership's own ID.
    pub id: String,
    /// The member's user ID.
    pub user_id: String,
    /// The organization's ID.
    pub organization_id: String,
    /// The member's role in the organization.
    pub role: RoleAssignment,
}

/// Where a user stands in the account: `Active`, `Invited`, `Expired`, or
/// `Other` for a status this version does not know (kept as sent). Parses
/// from any case (`"invited".parse()`), shows as the API spells it.
///
/// ```
/// use arize_ax::UserStatus;
///
/// assert_eq!("invited".parse::<UserStatus>().unwrap(), UserStatus::Invited);
/// let s: UserStatus = serde_json::from_str("\"SUSPENDED\"").unwrap();
/// assert_eq!(s, UserStatus::Other("SUSPENDED".into()));
/// assert_eq!(s.to_string(), "SUSPENDED");
/// ```
pub use arize_ax_api::open::UserStatus;

/// A status filter must be one word: not empty, no spaces or control
/// characters.
pub(crate) fn check_status_word(text: &str) -> crate::Result<()> {
    crate::refs::check_text("status", text)?;
    if text.chars().any(char::is_whitespace) {
        return Err(crate::Error::invalid(
            "status",
            format!("must be one word such as active, invited or expired (got {text:?})"),
        ));
    }
    Ok(())
}

/// An account-level role: `{"type": "PREDEFINED", "name": "ANNOTATOR"}` or a
/// custom one. Kept as received, since the account may use roles (such as
/// `MEMBER_UI_ONLY`) beyond the ones documented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct AccountRole {
    /// `PREDEFINED` or `CUSTOM`.
    #[serde(rename = "type")]
    pub type_: String,
    /// The predefined role's name, or a custom role's display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A custom role's ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

impl AccountRole {
    /// Whether this is the predefined ANNOTATOR account role, which limits
    /// the user to the annotator organization role.
    pub fn is_annotator(&self) -> bool {
        self.type_ == "PREDEFINED" && self.name.as_deref() == Some("ANNOTATOR")
    }

    /// A short label: the predefined name, or `CUSTOM:<name or id>`.
    pub fn label(&self) -> String {
        match (self.type_.as_str(), &self.name, &self.id) {
            ("PREDEFINED", Some(name), _) => name.clone(),
            (kind, Some(name), _) => format!("{kind}:{name}"),
            (kind, None, Some(id)) => format!("{kind}:{id}"),
            (kind, None, None) => kind.to_owned(),
        }
    }
}

/// A user of the account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct User {
    /// The user's ID.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Email address.
    pub email: String,
    /// When the user was created.
    pub created_at: DateTime<Utc>,
    /// Where the user stands in the account.
    pub status: UserStatus,
    /// The account-level role.
    pub role: AccountRole,
    /// Whether the user may call the API.
    #[serde(default)]
    pub is_developer: bool,
}

/// One page of users.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct UsersPage {
    /// The users on this page.
    pub users: Vec<User>,
    /// How to get the next page.
    pub pagination: Pagination,
}

impl IntoIterator for UsersPage {
    type Item = User;
    type IntoIter = std::vec::IntoIter<User>;

    fn into_iter(self) -> Self::IntoIter {
        self.users.into_iter()
    }
}

/// A space: a container inside an organization that groups projects,
/// datasets, experiments and the like, with its own access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Space {
    /// The space's ID.
    pub id: String,
    /// Its name, unique within its organization.
    pub name: String,
    /// What it is for; empty when unset.
    #[serde(default)]
    pub description: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Whether only its members and administrators can see it.
    pub is_private: bool,
}

/// One page of spaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct SpacesPage {
    /// The spaces on this page.
    pub spaces: Vec<Space>,
    /// How to get the next page.
    pub pagination: Pagination,
}

impl IntoIterator for SpacesPage {
    type Item = Space;
    type IntoIter = std::vec::IntoIter<Space>;

    fn into_iter(self) -> Self::IntoIter {
        self.spaces.into_iter()
    }
}

impl From<raw::Space> for Space {
    fn from(space: raw::Space) -> Self {
        let raw::Space {
            created_at,
            description,
            id,
            is_private,
            name,
        } = space;
        Space {
            id: id.0,
            name,
            description,
            created_at,
            is_private,
        }
    }
}

impl From<raw::ListSpacesResponse> for SpacesPage {
    fn from(page: raw::ListSpacesResponse) -> Self {
        let raw::ListSpacesResponse { pagination, spaces } = page;
        SpacesPage {
            spaces: spaces.into_iter().map(Space::from).collect(),
            pagination: pagination.into(),
        }
    }
}

// Conversions from the generated client's types. Every field is named, so a
// change of the spec that adds, removes or retypes a field fails to compile
// here, at the field, instead of drifting silently.

impl From<raw::Organization> for Organization {
    fn from(org: raw::Organization) -> Self {
        let raw::Organization {
            id,
            name,
            description,
            created_at,
        } = org;
        Organization {
            id: id.0,
            name,
            description,
            created_at,
        }
    }
}

impl From<raw::PaginationMetadata> for Pagination {
    fn from(pagination: raw::PaginationMetadata) -> Self {
        let raw::PaginationMetadata {
            has_more,
            next_cursor,
        } = pagination;
        Pagination {
            has_more,
            next_cursor,
        }
    }
}

impl From<raw::ListOrganizationsResponse> for OrganizationsPage {
    fn from(page: raw::ListOrganizationsResponse) -> Self {
        let raw::ListOrganizationsResponse {
            organizations,
            pagination,
        } = page;
        OrganizationsPage {
            organizations: organizations.into_iter().map(Organization::from).collect(),
            pagination: pagination.into(),
        }
    }
}

impl From<raw::OrganizationMembership> for OrganizationMembership {
    fn from(membership: raw::OrganizationMembership) -> Self {
        let raw::OrganizationMembership {
            id,
            user_id,
            organization_id,
            role,
        } = membership;
        OrganizationMembership {
            id: id.0,
            user_id: user_id.0,
            organization_id: organization_id.0,
            role: role.into(),
        }
    }
}

impl From<arize_ax_api::open::UserRoleAssignment> for AccountRole {
    fn from(role: arize_ax_api::open::UserRoleAssignment) -> Self {
        use arize_ax_api::open::RoleAssignment;
        match role {
            RoleAssignment::Predefined(name) => AccountRole {
                type_: "PREDEFINED".into(),
                name: Some(name.as_str().to_owned()),
                id: None,
            },
            RoleAssignment::Custom { id, name } => AccountRole {
                type_: "CUSTOM".into(),
                name,
                id: Some(id),
            },
            other => {
                let value = other.to_value();
                let text = |key: &str| value.get(key).and_then(|v| v.as_str()).map(str::to_owned);
                AccountRole {
                    type_: text("type").unwrap_or_default(),
                    name: text("name"),
                    id: text("id"),
                }
            }
        }
    }
}

impl From<raw::User> for User {
    fn from(user: raw::User) -> Self {
        let raw::User {
            id,
            name,
            email,
            created_at,
            status,
            role,
            is_developer,
        } = user;
        User {
            id: id.0,
            name,
            email: email.0,
            created_at,
            status,
            role: role.into(),
            is_developer,
        }
    }
}

impl From<raw::ListUsersResponse> for UsersPage {
    fn from(page: raw::ListUsersResponse) -> Self {
        let raw::ListUsersResponse { users, pagination } = page;
        UsersPage {
            users: users.into_iter().map(User::from).collect(),
            pagination: pagination.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_status_tolerates_new_values() {
        let s: UserStatus = serde_json::from_str("\"SUSPENDED\"").unwrap();
        assert_eq!(s, UserStatus::Other("SUSPENDED".into()));
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"SUSPENDED\"");
        let s: UserStatus = serde_json::from_str("\"INVITED\"").unwrap();
        assert_eq!(s, UserStatus::Invited);
    }

    #[test]
    fn account_roles() {
        let annot: AccountRole =
            serde_json::from_str(r#"{"type":"PREDEFINED","name":"ANNOTATOR"}"#).unwrap();
        assert!(annot.is_annotator());
        let ui: AccountRole =
            serde_json::from_str(r#"{"type":"PREDEFINED","name":"MEMBER_UI_ONLY"}"#).unwrap();
        assert!(!ui.is_annotator());
        assert_eq!(ui.label(), "MEMBER_UI_ONLY");
        let custom: AccountRole =
            serde_json::from_str(r#"{"type":"CUSTOM","id":"Um9sZTox"}"#).unwrap();
        assert!(!custom.is_annotator());
        assert_eq!(custom.label(), "CUSTOM:Um9sZTox");
    }
}
