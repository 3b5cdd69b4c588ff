//! Response types, owned by this crate and forward compatible: unknown extra
//! fields are ignored, and roles this version does not know are kept rather
//! than failing the call.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use arize_ax_api::types as raw;

use crate::core::error::{Error, RoleConstraint};
pub use crate::core::paging::Pagination;
use crate::refs::{OrgRef, UserRef};
use crate::role::{OrgRole, RoleAssignment};

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

impl ResponseObject for Pagination {
    const FIELDS: &'static [&'static str] = &["has_more", "next_cursor"];
}

impl ResponseObject for Organization {
    const FIELDS: &'static [&'static str] = &["id", "name", "description", "created_at"];
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

impl ResponseObject for Space {
    const FIELDS: &'static [&'static str] = &[
        "id",
        "organization_id",
        "name",
        "description",
        "created_at",
        "is_private",
        "ml_models_enabled",
        "default_llm_integration",
        "default_agent_runtime",
        "gradient_start_color",
        "gradient_end_color",
    ];
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
/// assert_eq!(org.created_at.unwrap().to_rfc3339(), "2025-03-04T09:30:00+00:00");
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
    /// When it was created; `None` when the server left it out.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
}

/// A user's membership in an organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct OrganizationMembership {
    /// The membership's own ID; empty when the server left it out.
    #[serde(default)]
    pub id: String,
    /// The member's user ID; empty when the server left it out.
    #[serde(default)]
    pub user_id: String,
    /// The organization's ID; empty when the server left it out.
    #[serde(default)]
    pub organization_id: String,
    /// The member's role in the organization (`Other(null)` when the
    /// server left it out).
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
    crate::core::checks::check_text("status", text)?;
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct AccountRole {
    /// `PREDEFINED` or `CUSTOM`; empty when the server left the role out.
    #[serde(rename = "type", default)]
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
    /// Display name; empty when unset.
    #[serde(default)]
    pub name: String,
    /// Email address; empty when the server left it out.
    #[serde(default)]
    pub email: String,
    /// When the user was created; `None` when the server left it out.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// Where the user stands in the account; `None` when the server left
    /// it out.
    #[serde(default)]
    pub status: Option<UserStatus>,
    /// The account-level role (empty when the server left it out).
    #[serde(default)]
    pub role: AccountRole,
    /// Whether the user may call the API.
    #[serde(default)]
    pub is_developer: bool,
}

/// A space: a container inside an organization that groups projects,
/// datasets, experiments and the like, with its own access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Space {
    /// The space's ID.
    pub id: String,
    /// The ID of the organization that holds it; `None` when the server
    /// left it out (older servers do).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Its name, unique within its organization.
    #[serde(default)]
    pub name: String,
    /// What it is for; empty when unset.
    #[serde(default)]
    pub description: String,
    /// When it was created; `None` when the server left it out.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// Whether only its members and administrators can see it.
    #[serde(default)]
    pub is_private: bool,
    /// Whether machine-learning models are turned on for it.
    #[serde(default)]
    pub ml_models_enabled: bool,
    /// The LLM integration and model it uses by default, if any.
    #[serde(default)]
    pub default_llm_integration: Option<LlmIntegration>,
    /// The integration it uses as its default agent runtime, if any.
    #[serde(default)]
    pub default_agent_runtime: Option<AgentRuntime>,
    /// First colour of its avatar's gradient; empty when unset.
    #[serde(default)]
    pub gradient_start_color: String,
    /// Second colour of its avatar's gradient; empty when unset.
    #[serde(default)]
    pub gradient_end_color: String,
}

/// A space's default LLM integration and model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct LlmIntegration {
    /// The integration's ID; empty when the server left it out.
    #[serde(default)]
    pub integration_id: String,
    /// The model chosen within it; empty when the server left it out.
    #[serde(default)]
    pub model_name: String,
}

/// A space's default agent runtime.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct AgentRuntime {
    /// The integration's ID; empty when the server left it out.
    #[serde(default)]
    pub integration_id: String,
}

// Conversions from the generated client's types. Arize's document marks no
// response field as required, so every field of a generated record is an
// `Option`: each conversion below says what an absent field becomes (the
// README's table of sparse answers), and fails with `Missing` only for an ID
// the facade must act on. Every field is named, so a change of the spec that
// adds, removes or retypes a field fails to compile here, at the field,
// instead of drifting silently.

/// A field a record cannot do without was absent from an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Missing {
    /// The record type, as the facade names it.
    pub(crate) record: &'static str,
    /// The field, as the API spells it.
    pub(crate) field: &'static str,
}

impl Missing {
    /// The decode error of `operation` (a method key such as
    /// `organizations.get`) for this absent field.
    pub(crate) fn into_error(self, operation: &'static str) -> crate::Error {
        crate::Error::Decode(crate::core::error::DecodeError {
            operation,
            expected: self.record,
            reason: format!(
                "the field `{}` is missing, and the {} cannot be used without it",
                self.field, self.record
            ),
            snippet: String::new(),
            source: None,
        })
    }
}

/// Converts a generated record into this crate's record (see [`Missing`]).
pub(crate) trait FromRaw<R>: Sized {
    fn from_raw(raw: R) -> std::result::Result<Self, Missing>;
}

/// Converts the answer of `operation`, naming it in the error.
pub(crate) fn decode<R, T: FromRaw<R>>(operation: &'static str, raw: R) -> crate::Result<T> {
    T::from_raw(raw).map_err(|missing| missing.into_error(operation))
}

fn required<T>(value: Option<T>, record: &'static str, field: &'static str) -> Result<T, Missing> {
    value.ok_or(Missing { record, field })
}

pub(crate) fn all<R, T: FromRaw<R>>(items: Vec<R>) -> Result<Vec<T>, Missing> {
    items.into_iter().map(T::from_raw).collect()
}

impl FromRaw<raw::Space> for Space {
    fn from_raw(space: raw::Space) -> Result<Self, Missing> {
        let raw::Space {
            created_at,
            default_agent_runtime,
            default_llm_integration,
            description,
            gradient_end_color,
            gradient_start_color,
            id,
            is_private,
            ml_models_enabled,
            name,
            organization_id,
        } = space;
        Ok(Space {
            id: required(id, "Space", "id")?.0,
            organization_id: organization_id.map(|id| id.0),
            name: name.unwrap_or_default(),
            description: description.unwrap_or_default(),
            created_at,
            is_private: is_private.unwrap_or_default(),
            ml_models_enabled: ml_models_enabled.unwrap_or_default(),
            default_llm_integration: default_llm_integration.map(|llm| {
                let raw::DefaultLlmIntegrationResponse {
                    integration_id,
                    model_name,
                } = llm;
                LlmIntegration {
                    integration_id: integration_id.map(|id| id.0).unwrap_or_default(),
                    model_name: model_name.unwrap_or_default(),
                }
            }),
            default_agent_runtime: default_agent_runtime.map(|runtime| {
                let raw::DefaultAgentRuntimeResponse { integration_id } = runtime;
                AgentRuntime {
                    integration_id: integration_id.map(|id| id.0).unwrap_or_default(),
                }
            }),
            gradient_start_color: gradient_start_color.unwrap_or_default(),
            gradient_end_color: gradient_end_color.unwrap_or_default(),
        })
    }
}

impl FromRaw<raw::Organization> for Organization {
    fn from_raw(org: raw::Organization) -> Result<Self, Missing> {
        let raw::Organization {
            id,
            name,
            description,
            created_at,
        } = org;
        Ok(Organization {
            id: required(id, "Organization", "id")?.0,
            name: name.unwrap_or_default(),
            description: description.unwrap_or_default(),
            created_at,
        })
    }
}

impl FromRaw<raw::OrganizationMembership> for OrganizationMembership {
    fn from_raw(membership: raw::OrganizationMembership) -> Result<Self, Missing> {
        let raw::OrganizationMembership {
            id,
            user_id,
            organization_id,
            role,
        } = membership;
        Ok(OrganizationMembership {
            id: id.map(|id| id.0).unwrap_or_default(),
            user_id: user_id.map(|id| id.0).unwrap_or_default(),
            organization_id: organization_id.map(|id| id.0).unwrap_or_default(),
            role: role.map_or(RoleAssignment::Other(serde_json::Value::Null), Into::into),
        })
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

impl FromRaw<raw::User> for User {
    fn from_raw(user: raw::User) -> Result<Self, Missing> {
        let raw::User {
            id,
            name,
            email,
            created_at,
            status,
            role,
            is_developer,
        } = user;
        Ok(User {
            id: required(id, "User", "id")?.0,
            name: name.unwrap_or_default(),
            email: email.map(|e| e.0).unwrap_or_default(),
            created_at,
            status,
            role: role.map(AccountRole::from).unwrap_or_default(),
            is_developer: is_developer.unwrap_or_default(),
        })
    }
}

impl From<&Organization> for OrgRef {
    fn from(org: &Organization) -> Self {
        OrgRef::Id(org.id.clone())
    }
}

impl From<&User> for UserRef {
    fn from(user: &User) -> Self {
        UserRef::Id(user.id.clone())
    }
}

/// A page of a listing: its items and where it sits (iterating over it
/// yields the items), a [`ResponseObject`], and decoded from the raw
/// answer, whose fields it names one by one (a new one fails to compile
/// here).
macro_rules! page_type {
    ($(#[$attr:meta])* $page:ident { $(#[$field_doc:meta])* $field:ident: $item:ty } from $raw:ident) => {
        $(#[$attr])*
        #[non_exhaustive]
        pub struct $page {
            $(#[$field_doc])*
            #[serde(default)]
            pub $field: Vec<$item>,
            /// How to get the next page.
            #[serde(default)]
            pub pagination: $crate::core::paging::Pagination,
        }

        impl IntoIterator for $page {
            type Item = $item;
            type IntoIter = std::vec::IntoIter<$item>;

            fn into_iter(self) -> Self::IntoIter {
                self.$field.into_iter()
            }
        }

        impl $crate::types::ResponseObject for $page {
            const FIELDS: &'static [&'static str] = &[stringify!($field), "pagination"];
        }

        impl $crate::types::FromRaw<arize_ax_api::types::$raw> for $page {
            fn from_raw(
                page: arize_ax_api::types::$raw,
            ) -> Result<Self, $crate::types::Missing> {
                let arize_ax_api::types::$raw { $field, pagination } = page;
                Ok($page {
                    $field: $crate::types::all($field)?,
                    pagination: pagination
                        .map($crate::core::paging::Pagination::from)
                        .unwrap_or_default(),
                })
            }
        }
    };
}
pub(crate) use page_type;

page_type!(
    /// One page of organizations.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
    OrganizationsPage {
        /// The organizations on this page.
        organizations: Organization
    } from ListOrganizationsResponse
);

page_type!(
    /// One page of users.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
    UsersPage {
        /// The users on this page.
        users: User
    } from ListUsersResponse
);

page_type!(
    /// One page of spaces.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
    SpacesPage {
        /// The spaces on this page.
        spaces: Space
    } from ListSpacesResponse
);

/// The annotator rule: ANNOTATOR account users get only the annotator
/// role (of an organization or a space); nobody else gets it. Judged on
/// the user record (here, with the records) so that `role.rs` stays below
/// them.
pub(crate) fn check_annotator_rule(user: &User, role: &OrgRole) -> Result<(), Error> {
    // An answer that left the account role out says nothing either way:
    // the server, which knows it, judges.
    if user.role.type_.is_empty() {
        return Ok(());
    }
    let annotator_account = user.role.is_annotator();
    if annotator_account != (*role == OrgRole::Annotator) {
        return Err(Error::RoleConstraint(RoleConstraint {
            user_id: user.id.clone(),
            account_role: user.role.label(),
            requested: role.clone(),
        }));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::role::OrgRole;

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

    #[test]
    fn an_account_role_the_answer_left_out_is_not_judged() {
        let mut unknown = user("ANNOTATOR");
        unknown.role = AccountRole::default();
        assert!(check_annotator_rule(&unknown, &OrgRole::Annotator).is_ok());
        assert!(check_annotator_rule(&unknown, &OrgRole::Member).is_ok());
        assert!(check_annotator_rule(&user("ANNOTATOR"), &OrgRole::Member).is_err());
    }

    fn user(role: &str) -> User {
        User {
            id: "VXNlcjox".into(),
            name: "u".into(),
            email: "u@example.com".into(),
            created_at: Some(chrono::DateTime::UNIX_EPOCH),
            status: Some(UserStatus::Active),
            role: AccountRole {
                type_: "PREDEFINED".into(),
                name: Some(role.into()),
                id: None,
            },
            is_developer: false,
        }
    }

    #[test]
    fn annotator_rule_table() {
        use OrgRole::*;
        let cases = [
            ("ANNOTATOR", Annotator, true),
            ("ANNOTATOR", Member, false),
            ("ANNOTATOR", Admin, false),
            ("ANNOTATOR", ReadOnly, false),
            ("MEMBER", Annotator, false),
            ("ADMIN", Annotator, false),
            ("MEMBER_UI_ONLY", Annotator, false),
            ("MEMBER", Member, true),
            ("ADMIN", Admin, true),
            ("MEMBER_UI_ONLY", ReadOnly, true),
        ];
        for (account, role, allowed) in cases {
            let result = check_annotator_rule(&user(account), &role);
            assert_eq!(result.is_ok(), allowed, "{account} → {role}: {result:?}");
            if let Err(e) = result {
                assert!(matches!(e, Error::RoleConstraint(_)));
                assert!(e.to_string().contains("annotator"), "{e}");
            }
        }
    }
}
