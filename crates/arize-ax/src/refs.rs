//! How callers name organizations, users, spaces and roles: by ID, by
//! name, by email. Every resource may name another through these.

use crate::core::checks::{check_id, check_len, check_text};
use crate::core::error::Error;
use arize_ax_api::limits::{ROLE_NAME_MAX_LEN, SPACE_NAME_MAX_LEN};

pub use crate::core::checks::is_id;

/// Longest organization name the API accepts (from the spec).
pub const MAX_NAME_LEN: usize = arize_ax_api::limits::ORGANIZATION_NAME_MAX_LEN;
/// Longest description the API accepts (from the spec).
pub const MAX_DESCRIPTION_LEN: usize = arize_ax_api::limits::ORGANIZATION_DESCRIPTION_MAX_LEN;

/// An organization, by ID or by name.
///
/// Anything that converts from a string classifies itself with [`is_id`];
/// use [`OrgRef::id`] or [`OrgRef::name`] to force one reading (say, for an
/// organization whose *name* happens to look like an ID).
///
/// ```
/// use arize_ax::OrgRef;
///
/// assert_eq!(OrgRef::from("T3JnYW5pemF0aW9uOjEyMzQ1"), OrgRef::Id("T3JnYW5pemF0aW9uOjEyMzQ1".into()));
/// assert_eq!(OrgRef::from("search-team"), OrgRef::Name("search-team".into()));
/// assert_eq!(OrgRef::name("T3JnYW5pemF0aW9uOjEyMzQ1"), OrgRef::Name("T3JnYW5pemF0aW9uOjEyMzQ1".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OrgRef {
    /// An organization ID, used as given.
    Id(String),
    /// An exact, case-sensitive organization name, resolved to an ID first.
    Name(String),
}

impl OrgRef {
    /// Forces the value to be read as an ID.
    pub fn id(id: impl Into<String>) -> Self {
        OrgRef::Id(id.into())
    }

    /// Forces the value to be read as a name.
    pub fn name(name: impl Into<String>) -> Self {
        OrgRef::Name(name.into())
    }

    /// The ID or name as given.
    pub fn as_str(&self) -> &str {
        match self {
            OrgRef::Id(s) | OrgRef::Name(s) => s,
        }
    }

    /// Checks the reference before anything is sent.
    pub(crate) fn validate(&self) -> Result<(), Error> {
        const FIELD: &str = "organization";
        let value = self.as_str();
        check_text(FIELD, value)?;
        match self {
            OrgRef::Name(name) => Ok(check_len(FIELD, name, MAX_NAME_LEN)?),
            OrgRef::Id(id) => Ok(check_id(FIELD, id)?),
        }
    }
}

impl From<&str> for OrgRef {
    fn from(value: &str) -> Self {
        if is_id(value) {
            OrgRef::Id(value.to_owned())
        } else {
            OrgRef::Name(value.to_owned())
        }
    }
}

impl From<String> for OrgRef {
    fn from(value: String) -> Self {
        if is_id(&value) {
            OrgRef::Id(value)
        } else {
            OrgRef::Name(value)
        }
    }
}

impl From<&String> for OrgRef {
    fn from(value: &String) -> Self {
        OrgRef::from(value.as_str())
    }
}

impl From<&OrgRef> for OrgRef {
    fn from(value: &OrgRef) -> Self {
        value.clone()
    }
}

/// A user, by ID or by email (anything containing `@`).
///
/// ```
/// use arize_ax::UserRef;
///
/// assert_eq!(UserRef::from("jane@example.com"), UserRef::Email("jane@example.com".into()));
/// assert_eq!(UserRef::from("VXNlcjoxMjM0NQ=="), UserRef::Id("VXNlcjoxMjM0NQ==".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum UserRef {
    /// A user ID, used as given.
    Id(String),
    /// An email address, resolved (exactly, ignoring case) to a user.
    Email(String),
}

impl UserRef {
    /// The ID or email as given.
    pub fn as_str(&self) -> &str {
        match self {
            UserRef::Id(s) | UserRef::Email(s) => s,
        }
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
        const FIELD: &str = "user";
        check_text(FIELD, self.as_str())?;
        match self {
            UserRef::Email(email) => Ok(check_len(
                FIELD,
                email,
                arize_ax_api::limits::EMAIL_FILTER_MAX_LEN,
            )?),
            UserRef::Id(id) => Ok(check_id(FIELD, id)?),
        }
    }
}

impl From<&str> for UserRef {
    fn from(value: &str) -> Self {
        UserRef::from(value.to_owned())
    }
}

impl From<String> for UserRef {
    fn from(value: String) -> Self {
        if value.contains('@') {
            UserRef::Email(value)
        } else {
            UserRef::Id(value)
        }
    }
}

impl From<&String> for UserRef {
    fn from(value: &String) -> Self {
        UserRef::from(value.clone())
    }
}

/// A space, by ID or by name.
///
/// Anything that converts from a string classifies itself with
/// [`is_id`](crate::is_id); use [`SpaceRef::id`] or [`SpaceRef::name`] to
/// force one reading.
///
/// ```
/// use arize_ax::spaces::SpaceRef;
///
/// assert_eq!(SpaceRef::from("U3BhY2U6MTIzNDU="), SpaceRef::Id("U3BhY2U6MTIzNDU=".into()));
/// assert_eq!(SpaceRef::from("ranking"), SpaceRef::Name("ranking".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SpaceRef {
    /// A space ID, used as given.
    Id(String),
    /// An exact, case-sensitive space name, resolved to an ID first.
    Name(String),
}

impl SpaceRef {
    /// Forces the value to be read as an ID.
    pub fn id(id: impl Into<String>) -> Self {
        SpaceRef::Id(id.into())
    }

    /// Forces the value to be read as a name.
    pub fn name(name: impl Into<String>) -> Self {
        SpaceRef::Name(name.into())
    }

    /// The ID or name as given.
    pub fn as_str(&self) -> &str {
        match self {
            SpaceRef::Id(s) | SpaceRef::Name(s) => s,
        }
    }

    /// Checks the reference before anything is sent.
    pub(crate) fn validate(&self) -> Result<(), Error> {
        const FIELD: &str = "space";
        check_text(FIELD, self.as_str())?;
        match self {
            SpaceRef::Name(name) => Ok(check_len(FIELD, name, SPACE_NAME_MAX_LEN)?),
            SpaceRef::Id(id) => Ok(check_id(FIELD, id)?),
        }
    }
}

impl From<&str> for SpaceRef {
    fn from(value: &str) -> Self {
        SpaceRef::from(value.to_owned())
    }
}

impl From<String> for SpaceRef {
    fn from(value: String) -> Self {
        if crate::core::id::is_id(&value) {
            SpaceRef::Id(value)
        } else {
            SpaceRef::Name(value)
        }
    }
}

impl From<&String> for SpaceRef {
    fn from(value: &String) -> Self {
        SpaceRef::from(value.as_str())
    }
}

/// A role, by ID or by name.
///
/// Anything that converts from a string classifies itself with
/// [`is_id`](crate::is_id); use [`RoleRef::id`] or [`RoleRef::name`] to force
/// one reading. A name matches exactly and case-sensitively; the API has no
/// name filter, so names are looked up in the listing of roles (kept by the
/// client, see [`Roles::get`](crate::roles::Roles::get)).
///
/// ```
/// use arize_ax::RoleRef;
///
/// assert_eq!(RoleRef::from("Um9sZTo5MDE="), RoleRef::Id("Um9sZTo5MDE=".into()));
/// assert_eq!(RoleRef::from("Dataset Curator"), RoleRef::Name("Dataset Curator".into()));
/// assert_eq!(RoleRef::name("Um9sZTo5MDE="), RoleRef::Name("Um9sZTo5MDE=".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RoleRef {
    /// A role ID, used as given.
    Id(String),
    /// An exact, case-sensitive role name, looked up in the listing of roles.
    Name(String),
}

impl RoleRef {
    /// Forces the value to be read as an ID.
    pub fn id(id: impl Into<String>) -> Self {
        RoleRef::Id(id.into())
    }

    /// Forces the value to be read as a name.
    pub fn name(name: impl Into<String>) -> Self {
        RoleRef::Name(name.into())
    }

    /// The ID or name as given.
    pub fn as_str(&self) -> &str {
        match self {
            RoleRef::Id(s) | RoleRef::Name(s) => s,
        }
    }

    /// Checks the reference before anything is sent.
    pub(crate) fn validate(&self) -> Result<(), Error> {
        const FIELD: &str = "role";
        check_text(FIELD, self.as_str())?;
        match self {
            RoleRef::Name(name) => Ok(check_len(FIELD, name, ROLE_NAME_MAX_LEN)?),
            RoleRef::Id(id) => Ok(check_id(FIELD, id)?),
        }
    }
}

impl From<&str> for RoleRef {
    fn from(value: &str) -> Self {
        RoleRef::from(value.to_owned())
    }
}

impl From<String> for RoleRef {
    fn from(value: String) -> Self {
        if is_id(&value) {
            RoleRef::Id(value)
        } else {
            RoleRef::Name(value)
        }
    }
}

impl From<&String> for RoleRef {
    fn from(value: &String) -> Self {
        RoleRef::from(value.as_str())
    }
}

impl From<&RoleRef> for RoleRef {
    fn from(value: &RoleRef) -> Self {
        value.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_ids_and_names() {
        let cases = [
            ("T3JnYW5pemF0aW9uOjEyMzQ1", true),
            ("VXNlcjoxMjM0NQ==", true),
            ("T3JnYW5pemF0aW9uOmF+fn4/fg==", true),
            ("VXNlcjoxMjM0NQ", false), // missing padding
            ("bXktb3Jn", false),       // "my-org": no colon
            ("my-organization", false),
            ("prod", false), // valid base64 of bytes that are not UTF-8 text with ':'
            ("", false),
            ("////", false),
            ("T3JnYW5pemF0aW9uOjEyMzQ1 ", false),
        ];
        for (value, id) in cases {
            assert_eq!(is_id(value), id, "{value:?}");
            let r = OrgRef::from(value);
            assert_eq!(matches!(r, OrgRef::Id(_)), id, "{value:?}");
        }
    }

    #[test]
    fn forced_readings_win() {
        assert!(matches!(
            OrgRef::name("T3JnYW5pemF0aW9uOjEyMzQ1"),
            OrgRef::Name(_)
        ));
        assert!(matches!(OrgRef::id("whatever"), OrgRef::Id(_)));
        assert!(OrgRef::id("whatever").validate().is_err());
    }

    #[test]
    fn validation_names_the_field_and_rule() {
        let long = "x".repeat(256);
        let cases: [(OrgRef, &str); 5] = [
            (OrgRef::from(""), "empty"),
            (OrgRef::from("   "), "whitespace"),
            (OrgRef::from("a\u{7}b"), "control"),
            (OrgRef::from(long.as_str()), "at most 255"),
            (OrgRef::id("nope"), "not a valid ID"),
        ];
        for (r, rule) in cases {
            match r.validate() {
                Err(Error::InvalidInput { field, reason }) => {
                    assert_eq!(field, "organization");
                    assert!(reason.contains(rule), "{reason}");
                }
                other => panic!("{r:?}: {other:?}"),
            }
        }
        assert!(OrgRef::from("x".repeat(255)).validate().is_ok());
    }

    #[test]
    fn users_by_email_or_id() {
        assert!(matches!(UserRef::from("a@b.c"), UserRef::Email(_)));
        assert!(matches!(UserRef::from("VXNlcjoxMjM0NQ=="), UserRef::Id(_)));
        assert!(UserRef::from("VXNlcjoxMjM0NQ==").validate().is_ok());
        assert!(UserRef::from("not-an-id").validate().is_err());
        assert!(UserRef::from("").validate().is_err());
    }
}
