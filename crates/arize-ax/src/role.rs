//! Organization roles and role assignments.

use std::fmt;
use std::str::FromStr;

use arize_ax_api::open;
use arize_ax_api::types;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::core::error::Error;

/// Longest custom role name (from the spec).
const ROLE_NAME_MAX_LEN: usize = arize_ax_api::limits::ROLE_NAME_MAX_LEN;

/// A role to give a member of an organization or a space (the two share
/// their built-in roles): a built-in one, or a custom RBAC role by its name
/// or ID.
///
/// Parse what people write with [`str::parse`]: `admin`, `member`,
/// `read-only` (or `read_only`, `readonly`), `annotator`, in any case, the
/// wire names (`READ_ONLY`), and `custom:<role name or ID>`. A custom role
/// given by name is resolved to its ID before anything is written (one
/// listing of the roles, shared by every call of the client).
///
/// ```
/// use arize_ax::OrgRole;
///
/// assert_eq!("Read-Only".parse::<OrgRole>().unwrap(), OrgRole::ReadOnly);
/// assert_eq!(OrgRole::ReadOnly.wire_name(), "READ_ONLY");
/// assert_eq!(OrgRole::ReadOnly.to_string(), "read-only");
/// let custom: OrgRole = "custom:Um9sZTo3".parse().unwrap();
/// assert_eq!(custom, OrgRole::Custom("Um9sZTo3".into()));
/// assert_eq!(custom.to_string(), "custom:Um9sZTo3");
/// let by_name: OrgRole = "custom:Auditor".parse().unwrap();
/// assert_eq!(by_name, OrgRole::custom("Auditor"));
/// let err = "owner".parse::<OrgRole>().unwrap_err();
/// assert!(err.to_string().contains("admin, member, read-only, annotator, custom:<NAME or ID>"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum OrgRole {
    /// Manages the organization and everything in it.
    Admin,
    /// Regular access.
    Member,
    /// Can look but not change anything.
    ReadOnly,
    /// Limited to annotation work; only for users whose account role is
    /// ANNOTATOR.
    Annotator,
    /// A custom RBAC role, by its ID or its exact name (a value that reads
    /// as an ID is taken as one). Not for users whose account role is
    /// ANNOTATOR.
    Custom(String),
}

impl OrgRole {
    /// Every built-in role, in order of decreasing access.
    pub const ALL: [OrgRole; 4] = [
        OrgRole::Admin,
        OrgRole::Member,
        OrgRole::ReadOnly,
        OrgRole::Annotator,
    ];

    /// The name on the wire (`ADMIN`, `MEMBER`, `READ_ONLY`, `ANNOTATOR`), or
    /// `CUSTOM` for a custom role.
    pub fn wire_name(&self) -> &'static str {
        match self {
            OrgRole::Admin => "ADMIN",
            OrgRole::Member => "MEMBER",
            OrgRole::ReadOnly => "READ_ONLY",
            OrgRole::Annotator => "ANNOTATOR",
            OrgRole::Custom(_) => "CUSTOM",
        }
    }

    /// The spelling Arize's docs use (`admin`, `member`, `read-only`,
    /// `annotator`), or `custom` for a custom role.
    pub fn as_str(&self) -> &'static str {
        match self {
            OrgRole::Admin => "admin",
            OrgRole::Member => "member",
            OrgRole::ReadOnly => "read-only",
            OrgRole::Annotator => "annotator",
            OrgRole::Custom(_) => "custom",
        }
    }

    /// A custom RBAC role by its name or ID.
    pub fn custom(name_or_id: impl Into<String>) -> Self {
        OrgRole::Custom(name_or_id.into())
    }

    /// The custom role's ID or name as given, for a custom role.
    pub fn custom_id(&self) -> Option<&str> {
        match self {
            OrgRole::Custom(id) => Some(id),
            _ => None,
        }
    }

    /// A custom role given by name, which needs resolving to its ID.
    pub(crate) fn custom_name(&self) -> Option<&str> {
        match self {
            OrgRole::Custom(name) if !crate::core::id::is_id(name) => Some(name),
            _ => None,
        }
    }

    /// The account role a user invited to be given this role gets:
    /// ANNOTATOR for the annotator role (the annotator rule), MEMBER
    /// otherwise.
    pub(crate) fn account_role_for_invite(&self) -> open::UserRole {
        if *self == OrgRole::Annotator {
            open::UserRole::Annotator
        } else {
            open::UserRole::Member
        }
    }

    /// Refuses a custom role whose name breaks the rules of role names
    /// (nothing is sent).
    pub(crate) fn validate(&self) -> Result<(), Error> {
        match self {
            OrgRole::Custom(name) => {
                crate::core::checks::check_text("role", name)?;
                Ok(crate::core::checks::check_len(
                    "role",
                    name,
                    ROLE_NAME_MAX_LEN,
                )?)
            }
            _ => Ok(()),
        }
    }

    /// The role as the add-user request carries it.
    pub(crate) fn to_request(&self) -> types::OrganizationRoleAssignmentRequest {
        match self {
            OrgRole::Custom(id) => types::OrganizationCustomRoleAssignmentRequest {
                id: types::Id(id.clone()),
                type_: types::OrganizationCustomRoleAssignmentRequestType::Custom,
            }
            .into(),
            builtin => types::OrganizationPredefinedRoleAssignmentRequest {
                name: open::OrganizationRole::from(builtin.wire_name().to_owned()),
                type_: types::OrganizationPredefinedRoleAssignmentRequestType::Predefined,
            }
            .into(),
        }
    }
}

impl OrgRole {
    /// The role as the space add-user request carries it.
    pub(crate) fn to_space_request(&self) -> types::SpaceRoleAssignmentRequest {
        match self {
            OrgRole::Custom(id) => types::CustomRoleAssignmentRequest {
                id: types::Id(id.clone()),
                type_: types::CustomRoleAssignmentRequestType::Custom,
            }
            .into(),
            builtin => types::PredefinedRoleAssignmentRequest {
                name: open::UserSpaceRole::from(builtin.wire_name().to_owned()),
                type_: types::PredefinedRoleAssignmentRequestType::Predefined,
            }
            .into(),
        }
    }
}

/// A space role to give a user: the same built-in roles as an
/// organization's (`admin`, `member`, `read-only`, `annotator`), or a custom
/// RBAC role.
pub type SpaceRole = OrgRole;

impl fmt::Display for OrgRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OrgRole::Custom(id) => write!(f, "custom:{id}"),
            builtin => f.write_str(builtin.as_str()),
        }
    }
}

impl FromStr for OrgRole {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        if let Some((kind, id)) = trimmed.split_once(':')
            && kind.eq_ignore_ascii_case("custom")
        {
            let role = OrgRole::Custom(id.trim().to_owned());
            role.validate()?;
            return Ok(role);
        }
        let normal: String = trimmed
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | ' '))
            .flat_map(char::to_lowercase)
            .collect();
        match normal.as_str() {
            "admin" => Ok(OrgRole::Admin),
            "member" => Ok(OrgRole::Member),
            "readonly" => Ok(OrgRole::ReadOnly),
            "annotator" => Ok(OrgRole::Annotator),
            _ => Err(Error::invalid(
                "role",
                format!(
                    "{s:?} is not a role; valid roles: admin, member, read-only, annotator, \
                     custom:<NAME or ID> (a custom role by its name or ID)"
                ),
            )),
        }
    }
}

/// A role as a membership carries it on the wire: `{"type": "PREDEFINED",
/// "name": "MEMBER"}` or `{"type": "CUSTOM", "id": …, "name": …}`.
///
/// Decoding never fails on a role this version does not know: a predefined
/// name it has no variant for, or a new `type`, is kept as it came.
///
/// ```
/// use arize_ax::{OrgRole, RoleAssignment};
///
/// let known: RoleAssignment = serde_json::from_str(r#"{"type":"PREDEFINED","name":"ADMIN"}"#).unwrap();
/// assert_eq!(known, RoleAssignment::Predefined(OrgRole::Admin));
/// let newer: RoleAssignment = serde_json::from_str(r#"{"type":"PREDEFINED","name":"OWNER"}"#).unwrap();
/// assert_eq!(newer, RoleAssignment::UnknownPredefined("OWNER".into()));
/// assert_eq!(serde_json::to_string(&newer).unwrap(), r#"{"type":"PREDEFINED","name":"OWNER"}"#);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RoleAssignment {
    /// A built-in role.
    Predefined(OrgRole),
    /// A built-in role this version does not know, by its wire name.
    UnknownPredefined(String),
    /// A custom RBAC role.
    Custom {
        /// The custom role's ID.
        id: String,
        /// Its display name, when the server sent one.
        name: Option<String>,
    },
    /// A role assignment of a kind this version does not know, as received.
    Other(Value),
}

impl RoleAssignment {
    /// The built-in role, when it is one this version knows.
    pub fn predefined(&self) -> Option<OrgRole> {
        match self {
            RoleAssignment::Predefined(role) => Some(role.clone()),
            _ => None,
        }
    }

    /// The `type` discriminator (`PREDEFINED`, `CUSTOM`, or what came).
    pub fn type_name(&self) -> String {
        match self {
            RoleAssignment::Predefined(_) | RoleAssignment::UnknownPredefined(_) => {
                "PREDEFINED".into()
            }
            RoleAssignment::Custom { .. } => "CUSTOM".into(),
            RoleAssignment::Other(v) => v
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
        }
    }

    /// The role's name: the wire name of a built-in role, or a custom role's
    /// display name.
    pub fn name(&self) -> Option<String> {
        match self {
            RoleAssignment::Predefined(role) => Some(role.wire_name().into()),
            RoleAssignment::UnknownPredefined(name) => Some(name.clone()),
            RoleAssignment::Custom { name, .. } => name.clone(),
            RoleAssignment::Other(v) => v.get("name").and_then(Value::as_str).map(str::to_owned),
        }
    }

    /// A custom role's ID.
    pub fn id(&self) -> Option<String> {
        match self {
            RoleAssignment::Custom { id, .. } => Some(id.clone()),
            RoleAssignment::Other(v) => v.get("id").and_then(Value::as_str).map(str::to_owned),
            _ => None,
        }
    }
}

impl From<&OrgRole> for open::OrganizationRole {
    fn from(role: &OrgRole) -> Self {
        match role {
            OrgRole::Admin => open::OrganizationRole::Admin,
            OrgRole::Member => open::OrganizationRole::Member,
            OrgRole::ReadOnly => open::OrganizationRole::ReadOnly,
            OrgRole::Annotator => open::OrganizationRole::Annotator,
            OrgRole::Custom(_) => open::OrganizationRole::Other("CUSTOM".into()),
        }
    }
}

impl From<open::OrganizationRoleAssignment> for RoleAssignment {
    fn from(wire: open::OrganizationRoleAssignment) -> Self {
        use open::OrganizationRole as Wire;
        match wire {
            open::RoleAssignment::Predefined(role) => match role {
                Wire::Admin => RoleAssignment::Predefined(OrgRole::Admin),
                Wire::Member => RoleAssignment::Predefined(OrgRole::Member),
                Wire::ReadOnly => RoleAssignment::Predefined(OrgRole::ReadOnly),
                Wire::Annotator => RoleAssignment::Predefined(OrgRole::Annotator),
                other => RoleAssignment::UnknownPredefined(other.as_str().to_owned()),
            },
            open::RoleAssignment::Custom { id, name } => RoleAssignment::Custom { id, name },
            open::RoleAssignment::Other(value) => RoleAssignment::Other(value),
            other => RoleAssignment::Other(other.to_value()),
        }
    }
}

/// A space role as received: the space roles are the organization roles by
/// name (`ADMIN`, `MEMBER`, `READ_ONLY`, `ANNOTATOR`), so one vocabulary
/// reads both.
impl From<open::SpaceRoleAssignment> for RoleAssignment {
    fn from(wire: open::SpaceRoleAssignment) -> Self {
        match wire {
            open::RoleAssignment::Predefined(role) => {
                RoleAssignment::from(open::OrganizationRoleAssignment::Predefined(
                    open::OrganizationRole::from(role.as_str().to_owned()),
                ))
            }
            open::RoleAssignment::Custom { id, name } => RoleAssignment::Custom { id, name },
            open::RoleAssignment::Other(value) => RoleAssignment::Other(value),
            other => RoleAssignment::Other(other.to_value()),
        }
    }
}

impl From<&RoleAssignment> for open::OrganizationRoleAssignment {
    fn from(role: &RoleAssignment) -> Self {
        match role {
            RoleAssignment::Predefined(role) => open::RoleAssignment::Predefined(role.into()),
            RoleAssignment::UnknownPredefined(name) => {
                open::RoleAssignment::Predefined(open::OrganizationRole::from(name.clone()))
            }
            RoleAssignment::Custom { id, name } => open::RoleAssignment::Custom {
                id: id.clone(),
                name: name.clone(),
            },
            RoleAssignment::Other(value) => open::RoleAssignment::Other(value.clone()),
        }
    }
}

impl From<OrgRole> for RoleAssignment {
    fn from(role: OrgRole) -> Self {
        match role {
            OrgRole::Custom(id) => RoleAssignment::Custom { id, name: None },
            builtin => RoleAssignment::Predefined(builtin),
        }
    }
}

impl fmt::Display for RoleAssignment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RoleAssignment::Predefined(role) => write!(f, "{role}"),
            RoleAssignment::UnknownPredefined(name) => write!(f, "{}", name.to_lowercase()),
            RoleAssignment::Custom { id, name } => match name {
                Some(name) => write!(f, "custom:{name}"),
                None => write!(f, "custom:{id}"),
            },
            RoleAssignment::Other(v) => write!(f, "{v}"),
        }
    }
}

/// On the wire exactly as the generated client's open type.
impl Serialize for RoleAssignment {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        open::OrganizationRoleAssignment::from(self).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for RoleAssignment {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        open::OrganizationRoleAssignment::deserialize(deserializer).map(RoleAssignment::from)
    }
}

impl schemars::JsonSchema for RoleAssignment {
    fn schema_name() -> String {
        "RoleAssignment".into()
    }

    fn json_schema(generator: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        open::OrganizationRoleAssignment::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_people_write() {
        let cases = [
            ("admin", OrgRole::Admin),
            ("ADMIN", OrgRole::Admin),
            (" Member ", OrgRole::Member),
            ("read-only", OrgRole::ReadOnly),
            ("read_only", OrgRole::ReadOnly),
            ("READ_ONLY", OrgRole::ReadOnly),
            ("readonly", OrgRole::ReadOnly),
            ("Read Only", OrgRole::ReadOnly),
            ("annotator", OrgRole::Annotator),
            ("Annotator", OrgRole::Annotator),
        ];
        for (input, role) in cases {
            assert_eq!(input.parse::<OrgRole>().unwrap(), role, "{input}");
        }
    }

    #[test]
    fn rejects_everything_else_naming_the_field() {
        for input in [
            "",
            " ",
            "owner",
            "custom",
            "adminn",
            "read--only!",
            "member\n2",
        ] {
            match input.parse::<OrgRole>() {
                Err(Error::InvalidInput { field, reason }) => {
                    assert_eq!(field, "role");
                    assert!(
                        reason.contains("admin, member, read-only, annotator, custom:<NAME or ID>")
                    );
                }
                other => panic!("{input:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn display_parses_back() {
        for role in OrgRole::ALL {
            assert_eq!(role.to_string().parse::<OrgRole>().unwrap(), role);
            assert_eq!(role.wire_name().parse::<OrgRole>().unwrap(), role);
        }
        for text in ["custom:Um9sZTox", "CUSTOM: Um9sZTox"] {
            let role: OrgRole = text.parse().unwrap();
            assert_eq!(role, OrgRole::Custom("Um9sZTox".into()));
            assert_eq!(role.to_string().parse::<OrgRole>().unwrap(), role);
        }
        for bad in ["custom:", "custom: ", "custom:a\u{7}b"] {
            assert!(bad.parse::<OrgRole>().is_err(), "{bad}");
        }
    }

    #[test]
    fn assignments_round_trip_including_unknown_ones() {
        let cases = [
            r#"{"type":"PREDEFINED","name":"READ_ONLY"}"#,
            r#"{"type":"PREDEFINED","name":"SUPERVISOR"}"#,
            r#"{"type":"CUSTOM","id":"Um9sZTox","name":"Reviewers"}"#,
            r#"{"type":"CUSTOM","id":"Um9sZTox"}"#,
            r#"{"type":"GROUP","group_id":"x"}"#,
            r#"{"name":"ADMIN"}"#,
        ];
        for text in cases {
            let role: RoleAssignment = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&role).unwrap(), text, "{role:?}");
        }
        let custom: RoleAssignment = serde_json::from_str(cases[2]).unwrap();
        assert_eq!(custom.type_name(), "CUSTOM");
        assert_eq!(custom.id().as_deref(), Some("Um9sZTox"));
        assert_eq!(custom.name().as_deref(), Some("Reviewers"));
    }
}
