//! How callers name organizations and users: by ID, by name, by email.

use crate::core::checks::{check_id, check_len, check_text};
use crate::core::error::Error;

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
            OrgRef::Name(name) => check_len(FIELD, name, MAX_NAME_LEN),
            OrgRef::Id(id) => check_id(FIELD, id),
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
            UserRef::Email(email) => {
                check_len(FIELD, email, arize_ax_api::limits::EMAIL_FILTER_MAX_LEN)
            }
            UserRef::Id(id) => check_id(FIELD, id),
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
