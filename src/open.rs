//! Open types: hand-written replacements for the spec's enums that Arize may
//! extend (role names, user statuses, invite modes, kinds of role
//! assignment), and [`Secret`] for the values the spec marks as passwords.
//!
//! The generated client uses these instead of closed enums (see `build.rs`),
//! so a value this version does not know decodes into an `Other` variant that
//! keeps it, and serialises back unchanged; no call fails because Arize added
//! a role.
//!
//! ```
//! use arize_ax_api::open::{OrganizationRole, OrganizationRoleAssignment, UserStatus};
//!
//! let status: UserStatus = serde_json::from_str(r#""SUSPENDED""#).unwrap();
//! assert_eq!(status, UserStatus::Other("SUSPENDED".into()));
//! assert_eq!(serde_json::to_string(&status).unwrap(), r#""SUSPENDED""#);
//!
//! let role: OrganizationRoleAssignment =
//!     serde_json::from_str(r#"{"type": "PREDEFINED", "name": "OWNER"}"#).unwrap();
//! assert_eq!(role, OrganizationRoleAssignment::Predefined(OrganizationRole::Other("OWNER".into())));
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// Defines an open string enum: known wire names plus `Other(String)`.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal,)+ }
    ) => {
        $(#[$meta])*
        ///
        /// Parsing ([`FromStr`]) accepts the known names in any case and never
        /// fails: anything else becomes `Other`, as given.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this version does not know, as the server sent it.
            Other(String),
        }

        impl $name {
            /// The values this version knows, in the spec's order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// The value as the API spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)+
                    $name::Other(other) => other,
                }
            }

            /// Whether this is a value this version knows.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Other(_))
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    $($wire => $name::$variant,)+
                    _ => $name::Other(value),
                }
            }
        }

        impl FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                let upper = text.to_ascii_uppercase();
                Ok(match $name::from(upper) {
                    $name::Other(_) => $name::Other(text.to_owned()),
                    known => known,
                })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map($name::from)
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> String {
                stringify!($name).into()
            }

            fn json_schema(
                generator: &mut schemars::r#gen::SchemaGenerator,
            ) -> schemars::schema::Schema {
                let mut schema = String::json_schema(generator).into_object();
                schema.metadata().description = Some(format!(
                    "One of {}; other values are kept as sent.",
                    [$($wire),+].join(", ")
                ));
                schema.into()
            }
        }
    };
}

// One `open_enum!` per schema of build.rs's OPEN_ENUMS, generated from the
// spec's values and descriptions.
include!(concat!(env!("OUT_DIR"), "/open_enums.rs"));

/// A secret the API returns (the spec's `format: password`: a new user's
/// temporary password). Its `Debug` prints `Secret(***)` and its `Display`
/// `***`, so it never reaches
/// a log line or an error by accident; [`expose_secret`](Self::expose_secret)
/// is the one way to read it. On the wire it is the plain string.
///
/// ```
/// use arize_ax_api::open::Secret;
///
/// let secret: Secret = serde_json::from_str(r#""hunter2""#).unwrap();
/// assert_eq!(format!("{secret:?}"), "Secret(***)");
/// assert_eq!(secret.expose_secret(), "hunter2");
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself. Handle with care: never log it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Shows `***`, never the secret.
impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl schemars::JsonSchema for Secret {
    fn schema_name() -> String {
        "Secret".into()
    }

    fn json_schema(generator: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        let mut schema = String::json_schema(generator).into_object();
        schema.format = Some("password".into());
        schema.into()
    }
}

/// A role assignment as the wire carries it, told apart by `type`:
/// `{"type": "PREDEFINED", "name": …}` or `{"type": "CUSTOM", "id": …,
/// "name": …}`. A kind this version does not know is kept as received.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RoleAssignment<R> {
    /// A built-in role.
    Predefined(R),
    /// A custom RBAC role.
    Custom {
        /// The custom role's ID.
        id: String,
        /// Its display name (set by the server in responses).
        name: Option<String>,
    },
    /// A kind of assignment this version does not know, as received.
    Other(Value),
}

/// The role a user holds in an organization.
pub type OrganizationRoleAssignment = RoleAssignment<OrganizationRole>;

/// The account-level role of a user.
pub type UserRoleAssignment = RoleAssignment<UserRole>;

/// The role a user holds in a space.
pub type SpaceRoleAssignment = RoleAssignment<UserSpaceRole>;

impl<R: From<String> + AsRef<str>> RoleAssignment<R> {
    /// The assignment as JSON, with the API's field names.
    pub fn to_value(&self) -> Value {
        let mut map = Map::new();
        match self {
            RoleAssignment::Predefined(role) => {
                map.insert("type".into(), "PREDEFINED".into());
                map.insert("name".into(), role.as_ref().into());
            }
            RoleAssignment::Custom { id, name } => {
                map.insert("type".into(), "CUSTOM".into());
                map.insert("id".into(), id.as_str().into());
                if let Some(name) = name {
                    map.insert("name".into(), name.as_str().into());
                }
            }
            RoleAssignment::Other(value) => return value.clone(),
        }
        Value::Object(map)
    }

    /// Reads an assignment from JSON; never fails (see [`RoleAssignment::Other`]).
    pub fn from_value(value: Value) -> Self {
        let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
        match (text("type").as_deref(), text("name"), text("id")) {
            (Some("PREDEFINED"), Some(name), _) => RoleAssignment::Predefined(R::from(name)),
            (Some("CUSTOM"), name, Some(id)) => RoleAssignment::Custom { id, name },
            _ => RoleAssignment::Other(value),
        }
    }
}

impl<R: From<String> + AsRef<str>> Serialize for RoleAssignment<R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(serializer)
    }
}

impl<'de, R: From<String> + AsRef<str>> Deserialize<'de> for RoleAssignment<R> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(RoleAssignment::from_value)
    }
}

/// The wire shape of an assignment, for its JSON Schema.
#[derive(schemars::JsonSchema)]
#[allow(dead_code)]
struct RoleAssignmentWire<R> {
    /// `PREDEFINED` or `CUSTOM` (other kinds are kept as sent).
    #[serde(rename = "type")]
    type_: String,
    /// The built-in role's name, or a custom role's display name.
    name: Option<R>,
    /// A custom role's ID.
    id: Option<String>,
}

impl<R: schemars::JsonSchema> schemars::JsonSchema for RoleAssignment<R> {
    fn schema_name() -> String {
        format!("{}Assignment", R::schema_name())
    }

    fn json_schema(generator: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        RoleAssignmentWire::<R>::json_schema(generator)
    }
}

/// A field of an update (PATCH) body that may be left out, cleared or set:
/// the spec's nullable, optional properties of request bodies (an
/// organization's or a space's description, a space's default LLM
/// integration…). `Option` cannot tell "leave it" from "clear it"; this can.
///
/// | value | on the wire |
/// |---|---|
/// | `Patch::Keep` (the default) | the field is left out |
/// | `Patch::Clear` | `null` |
/// | `Patch::Set(v)` | `v` |
///
/// ```
/// use arize_ax_api::open::Patch;
/// use arize_ax_api::types::UpdateOrganizationRequest;
///
/// let mut body = UpdateOrganizationRequest::default();
/// assert_eq!(serde_json::to_string(&body).unwrap(), "{}");
/// body.description = Patch::Clear;
/// assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"description":null}"#);
/// let back: UpdateOrganizationRequest = serde_json::from_str(r#"{"description":null}"#).unwrap();
/// assert_eq!(back.description, Patch::Clear);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum Patch<T> {
    /// Left out: the server keeps the current value.
    #[default]
    Keep,
    /// Sent as `null`: the server clears the value.
    Clear,
    /// Sent as the value: the server sets it.
    Set(T),
}

impl<T> Patch<T> {
    /// Whether the field is left out (what `skip_serializing_if` asks).
    pub fn is_keep(&self) -> bool {
        matches!(self, Patch::Keep)
    }

    /// `None` → keep, `Some(None)` → clear, `Some(Some(v))` → set.
    pub fn from_option(value: Option<Option<T>>) -> Self {
        match value {
            None => Patch::Keep,
            Some(None) => Patch::Clear,
            Some(Some(value)) => Patch::Set(value),
        }
    }

    /// The value to set, if this sets one.
    pub fn as_set(&self) -> Option<&T> {
        match self {
            Patch::Set(value) => Some(value),
            _ => None,
        }
    }
}

impl<T> From<T> for Patch<T> {
    fn from(value: T) -> Self {
        Patch::Set(value)
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Patch::Set(value) => value.serialize(serializer),
            Patch::Keep | Patch::Clear => serializer.serialize_none(),
        }
    }
}

/// A present field decodes as `Clear` (`null`) or `Set`; an absent one is
/// `Keep` through `#[serde(default)]`.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(|value| match value {
            Some(value) => Patch::Set(value),
            None => Patch::Clear,
        })
    }
}

impl<T: schemars::JsonSchema> schemars::JsonSchema for Patch<T> {
    fn schema_name() -> String {
        format!("Nullable_{}", T::schema_name())
    }

    fn json_schema(generator: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        Option::<T>::json_schema(generator)
    }
}

/// Defines an open discriminated union: a variant per known value of the
/// tag property, each holding the generated type of that kind, plus
/// `Other(Value)` for a kind this version does not know (or a body without
/// the tag), kept whole.
macro_rules! open_union {
    (
        $(#[$meta:meta])*
        $name:ident by $tag:literal {
            $($(#[$vmeta:meta])* $variant:ident($ty:ty) = $wire:literal,)+
        }
    ) => {
        $(#[$meta])*
        ///
        /// Decoding reads the tag first. A body with an unknown or missing
        /// tag, or with a known tag that does not match its kind, is kept
        /// whole in `Other` (never an error: an error would quote the body,
        /// secret and all). `Debug` of `Other` shows `***` for secret
        /// fields (`key`, `temporary_password`, …).
        #[derive(Clone, PartialEq)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant($ty),)+
            /// A kind this version does not know, as received.
            Other(Value),
        }

        impl $name {
            /// The value of the tag property, as the API spells it.
            pub fn tag(&self) -> Option<&str> {
                match self {
                    $($name::$variant(_) => Some($wire),)+
                    $name::Other(value) => value.get($tag).and_then(Value::as_str),
                }
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    $($name::$variant(inner) => f
                        .debug_tuple(stringify!($variant))
                        .field(inner)
                        .finish(),)+
                    $name::Other(value) => f
                        .debug_tuple("Other")
                        .field(&redact_secrets(value))
                        .finish(),
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let (tag, value) = match self {
                    $($name::$variant(inner) => (
                        $wire,
                        serde_json::to_value(inner).map_err(serde::ser::Error::custom)?,
                    ),)+
                    $name::Other(value) => return value.serialize(serializer),
                };
                let mut value = value;
                if let Value::Object(map) = &mut value {
                    map.insert($tag.into(), tag.into());
                }
                value.serialize(serializer)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = Value::deserialize(deserializer)?;
                match value.get($tag).and_then(Value::as_str) {
                    $(Some($wire) => Ok(match serde_json::from_value(value.clone()) {
                        Ok(inner) => $name::$variant(inner),
                        Err(_) => $name::Other(value),
                    }),)+
                    _ => Ok($name::Other(value)),
                }
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> String {
                stringify!($name).into()
            }

            fn json_schema(
                generator: &mut schemars::r#gen::SchemaGenerator,
            ) -> schemars::schema::Schema {
                schemars::schema::SchemaObject {
                    subschemas: Some(Box::new(schemars::schema::SubschemaValidation {
                        one_of: Some(vec![$(generator.subschema_for::<$ty>(),)+]),
                        ..Default::default()
                    })),
                    ..Default::default()
                }
                .into()
            }
        }
    };
}

/// What the name of a field that holds a secret contains (`key`,
/// `api_key`, `temporary_password`, `client_secret`, `token`…); `key_type`
/// and `redacted_key` name no secret.
fn is_secret_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    if matches!(name.as_str(), "key_type" | "redacted_key") {
        return false;
    }
    ["key", "secret", "password", "token"]
        .iter()
        .any(|part| name.contains(part))
}

/// A copy of `value` with every field whose name says it holds a secret
/// (it contains `key`, `secret`, `password` or `token`; not `key_type` or
/// `redacted_key`) shown as `***`, at any depth: for `Debug` of bodies kept
/// as JSON.
///
/// ```
/// use arize_ax_api::open::redact_secrets;
///
/// let body = serde_json::json!({"name": "ci", "bot": {"key": "ak-live-1"}});
/// assert_eq!(redact_secrets(&body), serde_json::json!({"name": "ci", "bot": {"key": "***"}}));
/// ```
/// The start of a body (at most `max` characters), safe to show in an
/// error or a log: a JSON body with its secrets as `***` (see
/// [`redact_secrets`]); a body that is not JSON but names a secret (`key`,
/// `secret`, `password`, `token`, in any case) or holds something shaped
/// like an API key (`ak-`) is withheld whole.
///
/// ```
/// use arize_ax_api::open::safe_snippet;
///
/// assert_eq!(safe_snippet(br#"{"id":"1","key":"ak-live"}"#, 200), r#"{"id":"1","key":"***"}"#);
/// assert_eq!(safe_snippet(b"created key=ak-live", 200), "(withheld: the body may hold a secret)");
/// assert_eq!(safe_snippet(b"upstream timed out", 8), "upstream…");
/// ```
pub fn safe_snippet(body: &[u8], max: usize) -> String {
    let text = match serde_json::from_slice::<Value>(body) {
        Ok(value) => redact_secrets(&value).to_string(),
        Err(_) => {
            let raw = String::from_utf8_lossy(body);
            let folded: String = raw
                .chars()
                .filter(|c| *c != '\0')
                .flat_map(char::to_lowercase)
                .collect();
            if ["key", "secret", "password", "token", "ak-"]
                .iter()
                .any(|word| folded.contains(word))
            {
                return "(withheld: the body may hold a secret)".into();
            }
            raw.trim().to_owned()
        }
    };
    let mut out: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}

pub fn redact_secrets(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let shown = if is_secret_name(k) && !v.is_null() {
                        Value::String("***".into())
                    } else {
                        redact_secrets(v)
                    };
                    (k.clone(), shown)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(redact_secrets).collect()),
        other => other.clone(),
    }
}

open_union! {
    /// An API key as listed (without its secret), told apart by `key_type`.
    ApiKey by "key_type" {
        /// A personal key.
        User(crate::types::UserApiKey) = "USER",
        /// A service key, with its bot user.
        Service(crate::types::ServiceApiKey) = "SERVICE",
    }
}

open_union! {
    /// A key just created, with its secret, told apart by `key_type`.
    CreateApiKeyResponse by "key_type" {
        /// A personal key.
        User(crate::types::CreatedUserApiKey) = "USER",
        /// A service key, with its bot user.
        Service(crate::types::CreatedServiceApiKey) = "SERVICE",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_round_trip_known_and_unknown() {
        for (text, status) in [
            ("ACTIVE", UserStatus::Active),
            ("EXPIRED", UserStatus::Expired),
            ("SUSPENDED", UserStatus::Other("SUSPENDED".into())),
        ] {
            let decoded: UserStatus = serde_json::from_value(json!(text)).unwrap();
            assert_eq!(decoded, status);
            assert_eq!(serde_json::to_value(&decoded).unwrap(), json!(text));
        }
        assert_eq!("read_only".parse(), Ok(OrganizationRole::ReadOnly));
        assert_eq!("owner".parse(), Ok(OrganizationRole::Other("owner".into())));
        assert!(!UserRole::Other("X".into()).is_known());
        assert_eq!(UserStatus::KNOWN.len(), 3);
    }

    #[test]
    fn assignments_keep_what_they_do_not_know() {
        let cases = [
            (
                json!({"type": "PREDEFINED", "name": "ADMIN"}),
                OrganizationRoleAssignment::Predefined(OrganizationRole::Admin),
            ),
            (
                json!({"type": "PREDEFINED", "name": "OWNER"}),
                OrganizationRoleAssignment::Predefined(OrganizationRole::Other("OWNER".into())),
            ),
            (
                json!({"type": "CUSTOM", "id": "Um9sZTox", "name": "Ops"}),
                OrganizationRoleAssignment::Custom {
                    id: "Um9sZTox".into(),
                    name: Some("Ops".into()),
                },
            ),
            (
                json!({"type": "GROUP", "group": "g1"}),
                OrganizationRoleAssignment::Other(json!({"type": "GROUP", "group": "g1"})),
            ),
            (
                json!({"type": "CUSTOM"}),
                OrganizationRoleAssignment::Other(json!({"type": "CUSTOM"})),
            ),
        ];
        for (wire, expected) in cases {
            let decoded: OrganizationRoleAssignment = serde_json::from_value(wire.clone()).unwrap();
            assert_eq!(decoded, expected, "{wire}");
            assert_eq!(serde_json::to_value(&decoded).unwrap(), wire);
        }
    }
}
