//! The core of the fake, which knows no resource: errors, IDs and clocks,
//! the generic [`Table`] with its paging, the request a handler sees
//! ([`Call`]) and the answer it gives ([`Reply`]), the shared interface
//! through which resources see each other ([`Directory`], [`Event`]), faults,
//! and the HTTP helpers. Resource modules import this module and nothing
//! else of the crate.

pub mod faults;
pub mod file;
pub mod http;
pub mod table;

use arize_ax_api::open::UserRole;
use arize_ax_api::types;
use base64::Engine as _;
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use table::{Record, Table};
pub(crate) use table::{decode_cursor, encode_cursor};

pub(crate) const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// An error answer: status, title and detail of a problem+json body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Problem {
    /// HTTP status.
    pub status: u16,
    /// What happened, for a person.
    pub detail: String,
}

impl Problem {
    pub(crate) fn new(status: u16, detail: impl Into<String>) -> Self {
        Problem {
            status,
            detail: detail.into(),
        }
    }
}

/// A rule's result: the value, or the problem to answer with.
pub type Answer<T> = Result<T, Problem>;

/// Suffixes that make some IDs contain `+`, `/` and `=` on purpose.
const KEY_SUFFIXES: [&str; 4] = ["", "~", "~?", "?>~"];

/// Where IDs come from: a seed and one sequence shared by organizations,
/// users and memberships (so IDs never collide and creation order is one
/// order).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Ids {
    seed: u64,
    next_seq: u64,
}

impl Ids {
    /// A sequence starting at 1 for `seed`.
    pub fn new(seed: u64) -> Self {
        Ids { seed, next_seq: 1 }
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The next sequence number.
    pub fn next_seq(&mut self) -> u64 {
        let seq = self.next_seq.max(1);
        self.next_seq = seq + 1;
        seq
    }

    /// A deterministic ID: base64 of `<kind>:<seed>-<seq><suffix>`; the
    /// suffix varies so that some IDs contain `+`, `/` and `=`.
    pub fn make_id(&self, kind: &str, seq: u64) -> String {
        let suffix = KEY_SUFFIXES[(seq % 4) as usize];
        B64.encode(format!("{kind}:{}-{seq}{suffix}", self.seed))
    }

    /// An ID outside the shared sequence: base64 of `<kind>:<seed>-<n>`.
    pub fn plain_id(&self, kind: &str, n: u64) -> String {
        B64.encode(format!("{kind}:{}-{n}", self.seed))
    }

    /// A secret derived from a sequence number: base64 of
    /// `<kind>:<seed>:<seq>`.
    pub fn secret(&self, kind: &str, seq: u64) -> String {
        B64.encode(format!("{kind}:{}:{seq}", self.seed))
    }

    /// The creation time of the record with this sequence number: 61
    /// seconds apart from 2025-01-01.
    pub fn timestamp(seq: u64) -> DateTime<Utc> {
        let base = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
        base + Duration::seconds(seq as i64 * 61)
    }
}

/// The kind of record an ID names, as its decoded text starts (`Project`
/// for base64 of `Project:2468`): the fake keeps no projects, dashboards
/// or prompts, and knows them by their IDs alone.
pub fn id_kind(id: &str) -> Option<String> {
    let text = String::from_utf8(B64.decode(id).ok()?).ok()?;
    text.split_once(':').map(|(kind, _)| kind.to_owned())
}

/// What a resource may ask about the others (implemented by the state that
/// owns every table).
pub trait Directory {
    /// Whether an organization has this ID.
    fn organization_exists(&self, id: &str) -> bool;
    /// The account role of a user who has not been removed.
    fn user_account_role(&self, id: &str) -> Option<UserRole>;
    /// The name of a custom role.
    fn custom_role_name(&self, id: &str) -> Option<String>;
    /// Whether a user belongs to an organization (has a membership in it).
    fn is_organization_member(&self, org_id: &str, user_id: &str) -> bool;
    /// The organization holding a space, when the space exists.
    fn space_organization(&self, space_id: &str) -> Option<String>;
    /// Whether anything still uses a custom role: an organization or space
    /// membership that holds it, or a role binding of it.
    fn role_in_use(&self, role_id: &str) -> bool;
    /// Whether the account has a role (built in or custom) with this ID.
    fn role_exists(&self, role_id: &str) -> bool;
}

/// A change other resources may have to follow (cascades).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// An organization was deleted: its spaces, its memberships and the
    /// memberships of its spaces go.
    OrganizationDeleted(String),
    /// A user was removed from the account: their organization and space
    /// memberships go.
    UserRemoved(String),
    /// A user left an organization: they leave its spaces too.
    OrganizationMemberRemoved {
        /// The organization.
        organization_id: String,
        /// The user.
        user_id: String,
    },
    /// A space was deleted: its members and its role bindings go.
    SpaceDeleted(String),
    /// A user left a space: the role bindings they hold on it go.
    SpaceMemberRemoved {
        /// The space.
        space_id: String,
        /// The user.
        user_id: String,
    },
}

/// One request as a handler sees it: the path parameters, the query and the
/// body (already checked for fields its schema lacks).
#[derive(Debug, Clone, Default)]
pub struct Call {
    /// The operation, whose body schema [`object`](Self::object) checks.
    pub op: Option<&'static arize_ax_api::Operation>,
    /// Path parameters, decoded.
    pub params: Vec<(&'static str, String)>,
    /// Query pairs, decoded, in order.
    pub query: Vec<(String, String)>,
    /// The raw body.
    pub body: Vec<u8>,
    /// The user the request acts as (the owner of the server's key, or of
    /// an API key the fake issued); `None` when unknown.
    pub caller: Option<String>,
}

impl Call {
    /// A path parameter (empty when absent).
    pub fn param(&self, name: &str) -> &str {
        self.params
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// A query parameter given at most once.
    pub fn single(&self, name: &str) -> Answer<Option<String>> {
        let mut values = self.query.iter().filter(|(k, _)| k == name).map(|(_, v)| v);
        let first = values.next().cloned();
        if values.next().is_some() {
            return Err(Problem::new(400, format!("{name} may be given only once.")));
        }
        Ok(first)
    }

    /// A text filter of at most `max` characters.
    pub fn filter(&self, name: &str, max: usize) -> Answer<Option<String>> {
        let value = self.single(name)?;
        if let Some(value) = &value
            && value.chars().count() > max
        {
            return Err(Problem::new(
                400,
                format!("{name} must be at most {max} characters long."),
            ));
        }
        Ok(value)
    }

    /// Every value of a repeated query parameter.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.query
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// `limit`: 1–100, 50 when left out (Arize's default; the spec declares
    /// none).
    pub fn limit(&self) -> Answer<usize> {
        let (min, max) = (
            arize_ax_api::limits::PAGE_LIMIT_MIN,
            arize_ax_api::limits::PAGE_LIMIT_MAX,
        );
        match self.single("limit")? {
            None => Ok(DEFAULT_PAGE_LIMIT),
            Some(text) => match text.parse::<u32>() {
                Ok(n) if (min..=max).contains(&n) => Ok(n as usize),
                _ => Err(Problem::new(
                    400,
                    format!("limit must be an integer from {min} to {max} (got {text:?})."),
                )),
            },
        }
    }

    /// The body as a JSON object: 400 when it is not one or has a field its
    /// schema lacks (only operations the fake serves read a body, so an
    /// unserved one stays 501).
    pub fn object(&self) -> Answer<Map<String, Value>> {
        if let Some(op) = self.op {
            http::refuse_unknown_fields(op, &self.body)?;
        }
        match serde_json::from_slice::<Value>(&self.body) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) => Err(Problem::new(400, "The body must be a JSON object.")),
            Err(e) => Err(Problem::new(
                400,
                format!("The body is not valid JSON: {e}."),
            )),
        }
    }

    /// The body as the generated request type `T`. When it does not fit,
    /// `diagnose` names the first problem with Arize's wording (it only runs
    /// then); a problem it cannot name is a 422 quoting serde.
    pub fn typed<T: serde::de::DeserializeOwned>(
        &self,
        diagnose: impl FnOnce(&Map<String, Value>) -> Answer<()>,
    ) -> Answer<(T, Map<String, Value>)> {
        self.typed_with(|_| {}, diagnose)
    }

    /// [`typed`](Self::typed), reading the body as `prepare` leaves it (a
    /// rule the document states before its schema, such as a name counted
    /// once trimmed); the map returned is the body as sent.
    pub fn typed_with<T: serde::de::DeserializeOwned>(
        &self,
        prepare: impl FnOnce(&mut Map<String, Value>),
        diagnose: impl FnOnce(&Map<String, Value>) -> Answer<()>,
    ) -> Answer<(T, Map<String, Value>)> {
        let map = self.object()?;
        let mut read = map.clone();
        prepare(&mut read);
        match serde_json::from_value::<T>(Value::Object(read)) {
            Ok(typed) => Ok((typed, map)),
            Err(e) => {
                diagnose(&map)?;
                Err(Problem::new(
                    422,
                    format!("The body does not fit the schema: {e}."),
                ))
            }
        }
    }
}

/// Arize's page size when `limit` is left out.
const DEFAULT_PAGE_LIMIT: usize = 50;

/// A handler's answer: a status and an optional JSON body, and whether the
/// state changed (so a state file must be saved).
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// The JSON body; none for 204.
    pub body: Option<Value>,
    /// Whether the state changed.
    pub changed: bool,
}

impl Reply {
    /// A JSON body (one of the generated client's types).
    pub fn json<T: Serialize>(status: u16, body: &T) -> Self {
        Reply {
            status,
            body: Some(serde_json::to_value(body).expect("API types serialise")),
            changed: false,
        }
    }

    /// 204, no body, after a change.
    pub fn no_content() -> Self {
        Reply {
            status: 204,
            body: None,
            changed: true,
        }
    }

    /// Marks the state as changed.
    pub fn changed(mut self) -> Self {
        self.changed = true;
        self
    }
}

/// Where a page sits: `next_cursor` only when there is more.
pub fn pagination(next_cursor: Option<String>) -> types::PaginationMetadata {
    types::PaginationMetadata {
        has_more: Some(next_cursor.is_some()),
        next_cursor,
    }
}

/// A problem body (RFC 9457).
pub fn problem_body(
    type_: String,
    title: &str,
    status: u16,
    detail: &str,
    instance: &str,
) -> types::Problem {
    types::Problem {
        type_: Some(type_),
        title: Some(title.to_owned()),
        status: Some(i64::from(status)),
        detail: Some(detail.to_owned()),
        instance: Some(instance.to_owned()),
    }
}

/// A field sent as `null` where the schema wants a value: serde would read
/// it as absent.
pub fn null_field(body: &Map<String, Value>, field: &str, wanted: &str) -> Answer<()> {
    if body.get(field) == Some(&Value::Null) {
        return Err(Problem::new(422, format!("{field} must be {wanted}.")));
    }
    Ok(())
}

/// The 422 detail for a predefined role name that is none of the built-in
/// ones (organizations and spaces share them).
pub const ROLE_NAMES: &str = "role.name must be one of ADMIN, MEMBER, READ_ONLY, ANNOTATOR.";

/// Why the body of an add-member call (organization or space: the two
/// share their role assignment) does not fit its schema, in Arize's words;
/// `known` says whether a predefined role's name is one.
pub fn diagnose_member_add(body: &Map<String, Value>, known: impl Fn(&str) -> bool) -> Answer<()> {
    match body.get("user_id") {
        Some(Value::String(_)) => {}
        Some(_) => return Err(Problem::new(422, "user_id must be a string.")),
        None => return Err(Problem::new(422, "user_id is required.")),
    }
    let role = match body.get("role") {
        Some(Value::Object(role)) => role,
        Some(_) => return Err(Problem::new(422, "role must be an object.")),
        None => return Err(Problem::new(422, "role is required.")),
    };
    match (
        role.get("type").and_then(Value::as_str),
        role.get("name"),
        role.get("id"),
    ) {
        (Some("PREDEFINED"), Some(Value::String(name)), _) if known(name) => Ok(()),
        (Some("PREDEFINED"), _, _) => Err(Problem::new(422, ROLE_NAMES)),
        (Some("CUSTOM"), None, Some(Value::String(_))) => Ok(()),
        (Some("CUSTOM"), Some(_), _) => Err(Problem::new(
            422,
            "role.name is set by the server for a CUSTOM role; send only its id.",
        )),
        (Some("CUSTOM"), _, _) => Err(Problem::new(422, "role.id is required for a CUSTOM role.")),
        _ => Err(Problem::new(422, "role.type must be PREDEFINED or CUSTOM.")),
    }
}
