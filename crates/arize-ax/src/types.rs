//! Response types, owned by this crate and forward compatible: unknown extra
//! fields are ignored, and roles this version does not know are kept rather
//! than failing the call.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

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

/// Where a user stands in the account.
///
/// Statuses this version does not know are kept as [`Other`](Self::Other),
/// so a new one never fails a call. Parses from any case (`active`,
/// `Invited`) and shows as the API spells it.
///
/// ```
/// use arize_ax::UserStatus;
///
/// assert_eq!("invited".parse::<UserStatus>().unwrap(), UserStatus::Invited);
/// let s: UserStatus = serde_json::from_str("\"SUSPENDED\"").unwrap();
/// assert_eq!(s, UserStatus::Other("SUSPENDED".into()));
/// assert_eq!(s.to_string(), "SUSPENDED");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UserStatus {
    /// Confirmed and can sign in.
    Active,
    /// Invited; the invitation is still valid.
    Invited,
    /// The invitation ran out.
    Expired,
    /// A status this version does not know, as the server sent it.
    Other(String),
}

impl UserStatus {
    /// The statuses this version knows.
    pub const KNOWN: [UserStatus; 3] =
        [UserStatus::Active, UserStatus::Invited, UserStatus::Expired];

    /// The status as the API spells it (`ACTIVE`, `INVITED`, `EXPIRED`).
    pub fn as_str(&self) -> &str {
        match self {
            UserStatus::Active => "ACTIVE",
            UserStatus::Invited => "INVITED",
            UserStatus::Expired => "EXPIRED",
            UserStatus::Other(other) => other,
        }
    }

    fn from_wire(value: String) -> Self {
        match value.as_str() {
            "ACTIVE" => UserStatus::Active,
            "INVITED" => UserStatus::Invited,
            "EXPIRED" => UserStatus::Expired,
            _ => UserStatus::Other(value),
        }
    }
}

impl std::fmt::Display for UserStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for UserStatus {
    type Err = crate::Error;

    /// Parses a status in any case. Any other non-empty word without
    /// spaces or control characters becomes [`UserStatus::Other`], upper-cased.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        check_status_word(text)?;
        Ok(UserStatus::from_wire(text.to_uppercase()))
    }
}

/// A status must be one word: not empty, no spaces or control characters.
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

impl Serialize for UserStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for UserStatus {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(UserStatus::from_wire)
    }
}

impl schemars::JsonSchema for UserStatus {
    fn schema_name() -> String {
        "UserStatus".into()
    }

    fn json_schema(generator: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        let mut schema = String::json_schema(generator).into_object();
        schema.metadata().description =
            Some("ACTIVE, INVITED or EXPIRED; other values are kept as sent.".into());
        schema.into()
    }
}

/// An account-level role: `{"type": "PREDEFINED", "name": "ANNOTATOR"}` or a
/// custom one. Kept as received, since the account may use roles (such as
/// `MEMBER_UI_ONLY`) beyond the ones documented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
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
