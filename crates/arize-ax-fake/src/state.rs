//! The fake's data and the rules of each operation, independent of HTTP.

use std::collections::{BTreeMap, HashMap};

use arize_ax_api::types;
use base64::Engine as _;
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::wire;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// Longest organization name (from the spec).
pub const MAX_NAME: usize = arize_ax_api::limits::ORGANIZATION_NAME_MAX_LEN;
/// Longest user display name (from the spec).
pub const MAX_USER_NAME: usize = arize_ax_api::limits::USER_NAME_MAX_LEN;
/// Longest description (from the spec).
pub const MAX_DESCRIPTION: usize = arize_ax_api::limits::ORGANIZATION_DESCRIPTION_MAX_LEN;

/// An organization as stored (and as the API returns it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Org {
    /// Its ID.
    pub id: String,
    /// Its name, unique (exactly, case-sensitively) within the account.
    pub name: String,
    /// Its description, empty when unset.
    pub description: String,
    /// When it was created (RFC 3339).
    pub created_at: String,
}

/// An account user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct User {
    /// Its ID.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Email address.
    pub email: String,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// `ACTIVE`, `INVITED` or `EXPIRED`.
    pub status: String,
    /// Account role name: `ADMIN`, `MEMBER` or `ANNOTATOR`.
    pub account_role: String,
    /// Whether the user may call the API.
    pub is_developer: bool,
    /// Removed from the account (`DELETE /v2/users/{id}`): hidden from get
    /// and list, never invited again.
    #[serde(default)]
    pub removed: bool,
    /// Invitation emails sent (creation with an email link, and resends).
    #[serde(default)]
    pub invitations_sent: u32,
    /// Password-reset emails sent.
    #[serde(default)]
    pub password_resets_sent: u32,
}

/// A custom RBAC role that organization members can be given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CustomRole {
    /// Its ID.
    pub id: String,
    /// Its display name.
    pub name: String,
}

/// A space inside an organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Space {
    /// Its ID.
    pub id: String,
    /// Its name, unique within its organization.
    pub name: String,
    /// What it is for; empty when unset.
    pub description: String,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// Whether only its members can see it.
    pub is_private: bool,
    /// The organization it belongs to.
    pub organization_id: String,
}

/// A user's membership in an organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Membership {
    /// The membership's ID.
    pub id: String,
    /// The member.
    pub user_id: String,
    /// The organization.
    pub organization_id: String,
    /// Organization role name: `ADMIN`, `MEMBER`, `READ_ONLY`, `ANNOTATOR`,
    /// or `CUSTOM` with [`custom_role_id`](Self::custom_role_id).
    pub role: String,
    /// The custom role's ID, for a `CUSTOM` role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_role_id: Option<String>,
}

impl Membership {}

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

type Answer<T> = Result<T, Problem>;

/// Everything the fake knows. Organizations and users are kept in creation
/// order under a sequence number, which cursors point into, so a page costs
/// O(page) whatever the total.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    seed: u64,
    next_seq: u64,
    orgs: BTreeMap<u64, Org>,
    users: BTreeMap<u64, User>,
    memberships: Vec<Membership>,
    #[serde(default)]
    spaces: BTreeMap<u64, Space>,
    #[serde(default)]
    custom_roles: Vec<CustomRole>,
    /// The user who owns the API key (the first active admin): the caller
    /// of every request, who cannot remove themselves.
    #[serde(default)]
    caller: Option<String>,
    #[serde(skip)]
    index: Index,
    /// Records visited by list calls so far: shows that a page costs O(page).
    #[serde(skip)]
    examined: std::cell::Cell<u64>,
    /// Records compared by name so far: shows that adding one costs O(1).
    #[serde(skip)]
    name_probes: std::cell::Cell<u64>,
}

#[derive(Debug, Clone, Default)]
struct Index {
    org_by_id: HashMap<String, u64>,
    org_by_name: HashMap<String, u64>,
    /// Lower-cased names, for the case-insensitive filter.
    org_lower: HashMap<u64, String>,
    user_by_id: HashMap<String, u64>,
    /// Spaces by (organization ID, name): names are unique per organization.
    space_by_name: HashMap<(String, String), u64>,
}

/// Suffixes that make some IDs contain `+`, `/` and `=` on purpose.
const KEY_SUFFIXES: [&str; 4] = ["", "~", "~?", "?>~"];

impl State {
    /// An empty account whose IDs derive from `seed`.
    pub fn new(seed: u64) -> Self {
        State {
            seed,
            next_seq: 1,
            ..State::default()
        }
    }

    /// Rebuilds the lookup indexes (after loading from a file).
    pub fn reindex(&mut self) {
        let mut index = Index::default();
        for (seq, org) in &self.orgs {
            index.org_by_id.insert(org.id.clone(), *seq);
            index.org_by_name.insert(org.name.clone(), *seq);
            index.org_lower.insert(*seq, org.name.to_lowercase());
        }
        for (seq, user) in &self.users {
            index.user_by_id.insert(user.id.clone(), *seq);
        }
        for (n, space) in &self.spaces {
            let key = (space.organization_id.clone(), space.name.clone());
            index.space_by_name.insert(key, *n);
        }
        self.index = index;
    }

    fn next(&mut self) -> u64 {
        let seq = self.next_seq.max(1);
        self.next_seq = seq + 1;
        seq
    }

    /// A deterministic ID: base64 of `<kind>:<seed>-<seq><suffix>`; the
    /// suffix varies so that some IDs contain `+`, `/` and `=`.
    fn make_id(&self, kind: &str, seq: u64) -> String {
        let suffix = KEY_SUFFIXES[(seq % 4) as usize];
        B64.encode(format!("{kind}:{}-{seq}{suffix}", self.seed))
    }

    fn timestamp(seq: u64) -> String {
        let base = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
        (base + Duration::seconds(seq as i64 * 61))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    }

    /// Adds `count` organizations named `org-00001`, `org-00002`, ….
    pub fn seed_orgs(&mut self, count: usize) {
        let width = count.to_string().len().max(5);
        for i in 1..=count {
            let name = format!("org-{i:0width$}");
            let description = format!("Seeded organization {i}");
            // Seeded names are unique, so this cannot fail.
            let _ = self.insert_org(name, description);
        }
    }

    fn insert_org(&mut self, name: String, description: String) -> Answer<Org> {
        if self.index.org_by_name.contains_key(&name) {
            return Err(Problem::new(
                409,
                format!("Another organization of this account is already named {name}."),
            ));
        }
        let seq = self.next();
        let org = Org {
            id: self.make_id("Organization", seq),
            name,
            description,
            created_at: Self::timestamp(seq),
        };
        self.index.org_by_id.insert(org.id.clone(), seq);
        self.index.org_by_name.insert(org.name.clone(), seq);
        self.index.org_lower.insert(seq, org.name.to_lowercase());
        self.orgs.insert(seq, org.clone());
        Ok(org)
    }

    /// Adds an active account user; returns it.
    pub fn add_account_user(&mut self, name: &str, email: &str, account_role: &str) -> User {
        self.add_account_user_with_status(name, email, account_role, "ACTIVE")
    }

    /// Adds an account user with a status (`ACTIVE`, `INVITED`, `EXPIRED`);
    /// returns it.
    pub fn add_account_user_with_status(
        &mut self,
        name: &str,
        email: &str,
        account_role: &str,
        status: &str,
    ) -> User {
        let seq = self.next();
        let user = User {
            id: self.make_id("User", seq),
            name: name.into(),
            email: email.into(),
            created_at: Self::timestamp(seq),
            status: status.into(),
            account_role: account_role.into(),
            is_developer: account_role != "ANNOTATOR",
            removed: false,
            invitations_sent: 0,
            password_resets_sent: 0,
        };
        if self.caller.is_none() && account_role == "ADMIN" && status == "ACTIVE" {
            self.caller = Some(user.id.clone());
        }
        self.index.user_by_id.insert(user.id.clone(), seq);
        self.users.insert(seq, user.clone());
        user
    }

    /// Adds a custom RBAC role; returns it. Its ID does not use the shared
    /// sequence, so adding roles leaves every other ID as it was.
    pub fn add_custom_role(&mut self, name: &str) -> CustomRole {
        let n = self.custom_roles.len() as u64 + 1;
        let role = CustomRole {
            id: B64.encode(format!("Role:{}-{n}", self.seed)),
            name: name.into(),
        };
        self.custom_roles.push(role.clone());
        role
    }

    /// Every custom role.
    pub fn custom_roles(&self) -> Vec<CustomRole> {
        self.custom_roles.clone()
    }

    /// Adds a space to an organization (as the Arize UI would); returns it.
    /// Its ID does not use the shared sequence.
    ///
    /// # Errors
    ///
    /// 404 for an unknown organization, 409 for a name its organization
    /// already has.
    pub fn add_space(&mut self, org_id: &str, name: &str, is_private: bool) -> Answer<Space> {
        self.org_seq(org_id)?;
        self.name_probes.set(self.name_probes.get() + 1);
        let key = (org_id.to_owned(), name.to_owned());
        if self.index.space_by_name.contains_key(&key) {
            return Err(Problem::new(
                409,
                format!("The organization already has a space named {name}."),
            ));
        }
        let n = self.spaces.keys().next_back().map_or(1, |k| k + 1);
        let space = Space {
            id: B64.encode(format!("Space:{}-{n}", self.seed)),
            name: name.into(),
            description: String::new(),
            created_at: Self::timestamp(n),
            is_private,
            organization_id: org_id.into(),
        };
        self.index.space_by_name.insert(key, n);
        self.spaces.insert(n, space.clone());
        Ok(space)
    }

    /// Gives every organization `per_org` spaces: `default`, then
    /// `restricted` (private), then `space-3`, `space-4`, ….
    pub fn seed_spaces(&mut self, per_org: usize) {
        let orgs: Vec<String> = self.orgs.values().map(|o| o.id.clone()).collect();
        for org in orgs {
            for i in 1..=per_org {
                let (name, private) = match i {
                    1 => ("default".to_owned(), false),
                    2 => ("restricted".to_owned(), true),
                    n => (format!("space-{n}"), false),
                };
                // Seeded names are unique within the organization.
                let _ = self.add_space(&org, &name, private);
            }
        }
    }

    /// Every space.
    pub fn spaces(&self) -> Vec<Space> {
        self.spaces.values().cloned().collect()
    }

    /// How many records list calls have visited so far. Without a filter a
    /// page visits at most `limit + 1` records, wherever its cursor points.
    pub fn records_examined(&self) -> u64 {
        self.examined.get()
    }

    /// How many records adding spaces has compared names with so far: one
    /// per space added, whatever the number of spaces already there.
    pub fn name_probes(&self) -> u64 {
        self.name_probes.get()
    }

    /// Every organization, oldest first.
    pub fn orgs(&self) -> Vec<Org> {
        self.orgs.values().cloned().collect()
    }

    /// Every account user, oldest first.
    pub fn users(&self) -> Vec<User> {
        self.users.values().cloned().collect()
    }

    /// Every membership.
    pub fn memberships(&self) -> Vec<Membership> {
        self.memberships.clone()
    }

    fn org_seq(&self, id: &str) -> Answer<u64> {
        self.index
            .org_by_id
            .get(id)
            .copied()
            .ok_or_else(|| Problem::new(404, format!("No organization has the ID {id}.")))
    }

    /// A user who has not been removed.
    fn user_seq(&self, id: &str) -> Answer<u64> {
        self.index
            .user_by_id
            .get(id)
            .copied()
            .filter(|seq| !self.users[seq].removed)
            .ok_or_else(|| Problem::new(404, format!("No user has the ID {id}.")))
    }

    /// `GET /v2/organizations`.
    pub fn list_orgs(
        &self,
        name: Option<&str>,
        limit: usize,
        cursor: Option<&str>,
    ) -> Answer<types::ListOrganizationsResponse> {
        let needle = name.map(str::to_lowercase);
        let (orgs, next) = self.page(&self.orgs, cursor, limit, |seq, _| {
            needle
                .as_deref()
                .is_none_or(|n| self.index.org_lower.get(seq).is_some_and(|l| l.contains(n)))
        })?;
        Ok(wire::organizations_page(&orgs, next))
    }

    /// One page of `records` after the cursor: up to `limit` records that
    /// `keep` accepts, in sequence order, and the next page's cursor. Visits
    /// at most `limit + 1` accepted records (plus the rejected ones between
    /// them).
    fn page<'a, T>(
        &self,
        records: &'a BTreeMap<u64, T>,
        cursor: Option<&str>,
        limit: usize,
        keep: impl Fn(&u64, &T) -> bool,
    ) -> Answer<(Vec<&'a T>, Option<String>)> {
        let after = match cursor {
            Some(c) => decode_cursor(c)?,
            None => 0,
        };
        let mut page: Vec<(u64, &T)> = Vec::with_capacity(limit + 1);
        for (seq, record) in records.range(after + 1..) {
            self.examined.set(self.examined.get() + 1);
            if keep(seq, record) {
                page.push((*seq, record));
                if page.len() > limit {
                    break;
                }
            }
        }
        let has_more = page.len() > limit;
        page.truncate(limit);
        let next = has_more.then(|| encode_cursor(page.last().map_or(after, |(seq, _)| *seq)));
        Ok((page.into_iter().map(|(_, r)| r).collect(), next))
    }

    /// `POST /v2/organizations`.
    pub fn create_org(&mut self, body: &Map<String, Value>) -> Answer<Org> {
        for field in ["id", "created_at"] {
            if body.contains_key(field) {
                return Err(Problem::new(
                    422,
                    format!("{field} is assigned by the server and cannot be set."),
                ));
            }
        }
        let name = match body.get("name") {
            Some(Value::String(s)) => check_name(s)?,
            Some(_) => return Err(Problem::new(422, "name must be a string.")),
            None => return Err(Problem::new(422, "name is required.")),
        };
        let description = match body.get("description") {
            None => String::new(),
            Some(Value::String(s)) => check_description(s)?,
            Some(_) => return Err(Problem::new(422, "description must be a string.")),
        };
        self.insert_org(name, description)
    }

    /// `GET /v2/organizations/{org_id}`.
    pub fn get_org(&self, id: &str) -> Answer<Org> {
        let seq = self.org_seq(id)?;
        Ok(self.orgs[&seq].clone())
    }

    /// `PATCH /v2/organizations/{org_id}`.
    pub fn update_org(&mut self, id: &str, body: &Map<String, Value>) -> Answer<Org> {
        for field in ["id", "created_at"] {
            if body.contains_key(field) {
                return Err(Problem::new(422, format!("{field} cannot be changed.")));
            }
        }
        if !body.contains_key("name") && !body.contains_key("description") {
            return Err(Problem::new(
                400,
                "At least one of name or description must be provided.",
            ));
        }
        let name = match body.get("name") {
            None => None,
            Some(Value::String(s)) => Some(check_name(s)?),
            Some(_) => return Err(Problem::new(422, "name must be a string.")),
        };
        let description = match body.get("description") {
            None => None,
            Some(Value::Null) => Some(String::new()),
            Some(Value::String(s)) => Some(check_description(s)?),
            Some(_) => return Err(Problem::new(422, "description must be a string or null.")),
        };
        let seq = self.org_seq(id)?;
        if let Some(name) = &name
            && let Some(other) = self.index.org_by_name.get(name)
            && *other != seq
        {
            return Err(Problem::new(
                409,
                format!("Another organization of this account is already named {name}."),
            ));
        }
        let org = self.orgs.get_mut(&seq).expect("indexed");
        if let Some(name) = name {
            self.index.org_by_name.remove(&org.name);
            self.index.org_by_name.insert(name.clone(), seq);
            self.index.org_lower.insert(seq, name.to_lowercase());
            org.name = name;
        }
        if let Some(description) = description {
            org.description = description;
        }
        Ok(org.clone())
    }

    /// `DELETE /v2/organizations/{org_id}`: also removes its memberships.
    pub fn delete_org(&mut self, id: &str) -> Answer<()> {
        let seq = self.org_seq(id)?;
        let org = self.orgs.remove(&seq).expect("indexed");
        self.index.org_by_id.remove(&org.id);
        self.index.org_by_name.remove(&org.name);
        self.index.org_lower.remove(&seq);
        self.memberships.retain(|m| m.organization_id != org.id);
        self.spaces.retain(|_, s| s.organization_id != org.id);
        self.index.space_by_name.retain(|(o, _), _| *o != org.id);
        Ok(())
    }

    /// `POST /v2/organizations/{org_id}/users`: an upsert that enforces the
    /// annotator rule.
    pub fn add_member(&mut self, org_id: &str, body: &Map<String, Value>) -> Answer<Membership> {
        let user_id = match body.get("user_id") {
            Some(Value::String(s)) => s.clone(),
            Some(_) => return Err(Problem::new(422, "user_id must be a string.")),
            None => return Err(Problem::new(422, "user_id is required.")),
        };
        let role = match body.get("role") {
            Some(Value::Object(role)) => role,
            Some(_) => return Err(Problem::new(422, "role must be an object.")),
            None => return Err(Problem::new(422, "role is required.")),
        };
        enum Requested {
            Predefined(String),
            Custom(String),
        }
        let requested = match (
            role.get("type").and_then(Value::as_str),
            role.get("name"),
            role.get("id"),
        ) {
            (Some("PREDEFINED"), Some(Value::String(name)), _)
                if ["ADMIN", "MEMBER", "READ_ONLY", "ANNOTATOR"].contains(&name.as_str()) =>
            {
                Requested::Predefined(name.clone())
            }
            (Some("PREDEFINED"), _, _) => {
                return Err(Problem::new(
                    422,
                    "role.name must be one of ADMIN, MEMBER, READ_ONLY, ANNOTATOR.",
                ));
            }
            (Some("CUSTOM"), None, Some(Value::String(id))) => Requested::Custom(id.clone()),
            (Some("CUSTOM"), Some(_), _) => {
                return Err(Problem::new(
                    422,
                    "role.name is set by the server for a CUSTOM role; send only its id.",
                ));
            }
            (Some("CUSTOM"), _, _) => {
                return Err(Problem::new(422, "role.id is required for a CUSTOM role."));
            }
            _ => return Err(Problem::new(422, "role.type must be PREDEFINED or CUSTOM.")),
        };
        self.org_seq(org_id)?;
        let user_seq = self.user_seq(&user_id)?;
        let (role_name, custom_role_id) = match requested {
            Requested::Predefined(name) => (name, None),
            Requested::Custom(id) => {
                if !self.custom_roles.iter().any(|r| r.id == id) {
                    return Err(Problem::new(
                        404,
                        format!("No custom role has the ID {id}."),
                    ));
                }
                ("CUSTOM".to_owned(), Some(id))
            }
        };
        let annotator_account = self.users[&user_seq].account_role == "ANNOTATOR";
        if annotator_account && role_name != "ANNOTATOR" {
            return Err(Problem::new(
                400,
                "A user whose account role is ANNOTATOR can only be given the organization role ANNOTATOR.",
            ));
        }
        if !annotator_account && role_name == "ANNOTATOR" {
            return Err(Problem::new(
                400,
                "Only users whose account role is ANNOTATOR can be given the organization role ANNOTATOR.",
            ));
        }
        if let Some(existing) = self
            .memberships
            .iter_mut()
            .find(|m| m.organization_id == org_id && m.user_id == user_id)
        {
            existing.role = role_name;
            existing.custom_role_id = custom_role_id;
            return Ok(existing.clone());
        }
        let seq = self.next();
        let membership = Membership {
            id: self.make_id("OrganizationMembership", seq),
            user_id,
            organization_id: org_id.to_owned(),
            role: role_name,
            custom_role_id,
        };
        self.memberships.push(membership.clone());
        Ok(membership)
    }

    /// `DELETE /v2/organizations/{org_id}/users/{user_id}`.
    pub fn remove_member(&mut self, org_id: &str, user_id: &str) -> Answer<()> {
        self.org_seq(org_id)?;
        let before = self.memberships.len();
        self.memberships
            .retain(|m| !(m.organization_id == org_id && m.user_id == user_id));
        if self.memberships.len() == before {
            return Err(Problem::new(
                404,
                format!("User {user_id} is not a member of organization {org_id}."),
            ));
        }
        Ok(())
    }

    /// `GET /v2/users`.
    pub fn list_users(
        &self,
        email: Option<&str>,
        statuses: &[String],
        limit: usize,
        cursor: Option<&str>,
    ) -> Answer<types::ListUsersResponse> {
        let needle = email.map(str::to_lowercase);
        let (users, next) = self.page(&self.users, cursor, limit, |_, user| {
            let email_ok = needle
                .as_deref()
                .is_none_or(|n| user.email.to_lowercase().contains(n));
            !user.removed && email_ok && (statuses.is_empty() || statuses.contains(&user.status))
        })?;
        Ok(wire::users_page(&users, next))
    }

    /// `GET /v2/users/{user_id}`.
    pub fn get_user(&self, id: &str) -> Answer<User> {
        let seq = self.user_seq(id)?;
        Ok(self.users[&seq].clone())
    }

    /// The custom role named by a membership, for its wire form.
    pub fn custom_role(&self, id: &str) -> Option<&CustomRole> {
        self.custom_roles.iter().find(|r| r.id == id)
    }

    /// `POST /v2/users`: by the state of the email (any case), a new user
    /// (`Created`, with the temporary password when one was asked for), the
    /// pending invitation unchanged (`Pending`), or 409.
    pub fn create_user(&mut self, body: &Map<String, Value>) -> Answer<Created> {
        for field in ["id", "created_at", "status"] {
            if body.contains_key(field) {
                return Err(Problem::new(
                    422,
                    format!("{field} is assigned by the server and cannot be set."),
                ));
            }
        }
        let name = match body.get("name") {
            Some(Value::String(s)) => check_user_name(s)?,
            Some(_) => return Err(Problem::new(422, "name must be a string.")),
            None => return Err(Problem::new(422, "name is required.")),
        };
        let email = match body.get("email") {
            Some(Value::String(s)) if looks_like_email(s) => s.clone(),
            Some(Value::String(_)) => {
                return Err(Problem::new(400, "email is not a valid email address."));
            }
            Some(_) => return Err(Problem::new(422, "email must be a string.")),
            None => return Err(Problem::new(422, "email is required.")),
        };
        let role = match body.get("role") {
            Some(Value::Object(role)) => role,
            Some(_) => return Err(Problem::new(422, "role must be an object.")),
            None => return Err(Problem::new(422, "role is required.")),
        };
        let account_role = match (role.get("type").and_then(Value::as_str), role.get("name")) {
            (Some("PREDEFINED"), Some(Value::String(n)))
                if ["ADMIN", "MEMBER", "MEMBER_UI_ONLY", "ANNOTATOR"].contains(&n.as_str()) =>
            {
                n.clone()
            }
            (Some("PREDEFINED"), _) => {
                return Err(Problem::new(
                    422,
                    "role.name must be one of ADMIN, MEMBER, ANNOTATOR.",
                ));
            }
            (Some("CUSTOM"), _) => {
                return Err(Problem::new(
                    400,
                    "Custom account roles are not supported yet.",
                ));
            }
            _ => return Err(Problem::new(422, "role.type must be PREDEFINED or CUSTOM.")),
        };
        let mode = match body.get("invite_mode").and_then(Value::as_str) {
            Some(m @ ("NONE" | "EMAIL_LINK" | "TEMPORARY_PASSWORD")) => m.to_owned(),
            Some(_) => {
                return Err(Problem::new(
                    422,
                    "invite_mode must be NONE, EMAIL_LINK or TEMPORARY_PASSWORD.",
                ));
            }
            None => return Err(Problem::new(422, "invite_mode is required.")),
        };
        // The create request has no `is_developer` (the server refuses the
        // field): the role decides.
        let is_developer = account_role != "ANNOTATOR";
        let wanted = email.to_lowercase();
        let existing = self
            .users
            .iter()
            .find(|(_, u)| u.email.to_lowercase() == wanted)
            .map(|(seq, _)| *seq);
        let status = if mode == "NONE" { "ACTIVE" } else { "INVITED" };
        let seq = match existing {
            Some(seq) => {
                let user = &self.users[&seq];
                if user.removed {
                    return Err(Problem::new(
                        409,
                        "This address belongs to a user removed from the account; it cannot be invited again.",
                    ));
                }
                match user.status.as_str() {
                    "ACTIVE" => {
                        return Err(Problem::new(
                            409,
                            "This address belongs to a member of the account already.",
                        ));
                    }
                    "INVITED" => return Ok(Created::Pending(user.clone())),
                    // EXPIRED: a new invitation for the same user.
                    _ => {}
                }
                let user = self.users.get_mut(&seq).expect("found");
                user.status = status.into();
                seq
            }
            None => {
                let user = self.add_account_user_with_status(&name, &email, &account_role, status);
                self.index.user_by_id[&user.id]
            }
        };
        let user = self.users.get_mut(&seq).expect("present");
        user.is_developer = is_developer;
        if mode == "EMAIL_LINK" {
            user.invitations_sent += 1;
        }
        let password =
            (mode == "TEMPORARY_PASSWORD").then(|| B64.encode(format!("tmp:{}:{seq}", self.seed)));
        Ok(Created::New {
            user: self.users[&seq].clone(),
            invite_mode: mode,
            temporary_password: password,
        })
    }

    /// `PATCH /v2/users/{user_id}`.
    pub fn update_user(&mut self, id: &str, body: &Map<String, Value>) -> Answer<User> {
        if !body.contains_key("name") && !body.contains_key("is_developer") {
            return Err(Problem::new(
                400,
                "At least one of name or is_developer must be provided.",
            ));
        }
        let name = match body.get("name") {
            None => None,
            Some(Value::String(s)) => Some(check_user_name(s)?),
            Some(_) => return Err(Problem::new(422, "name must be a string.")),
        };
        let is_developer = match body.get("is_developer") {
            None => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => return Err(Problem::new(422, "is_developer must be a boolean.")),
        };
        let seq = self.user_seq(id)?;
        let user = self.users.get_mut(&seq).expect("indexed");
        if let Some(name) = name {
            user.name = name;
        }
        if let Some(is_developer) = is_developer {
            user.is_developer = is_developer;
        }
        Ok(user.clone())
    }

    /// `DELETE /v2/users/{user_id}`: blocks the user for good and removes
    /// their memberships; a user removed before is answered 204 again.
    pub fn delete_user(&mut self, id: &str) -> Answer<()> {
        let seq = self
            .index
            .user_by_id
            .get(id)
            .copied()
            .ok_or_else(|| Problem::new(404, format!("No user has the ID {id}.")))?;
        if self.caller.as_deref() == Some(id) {
            return Err(Problem::new(
                400,
                "You cannot remove yourself from the account.",
            ));
        }
        let user = self.users.get_mut(&seq).expect("indexed");
        user.removed = true;
        self.memberships.retain(|m| m.user_id != id);
        Ok(())
    }

    /// `POST /v2/users/{user_id}/resend-invitation`: only for `INVITED` users.
    pub fn resend_invitation(&mut self, id: &str) -> Answer<()> {
        let seq = self.user_seq(id)?;
        let user = self.users.get_mut(&seq).expect("indexed");
        if user.status != "INVITED" {
            return Err(Problem::new(
                400,
                format!(
                    "Only an INVITED user can be sent an invitation again; this user is {}.",
                    user.status
                ),
            ));
        }
        user.invitations_sent += 1;
        Ok(())
    }

    /// `POST /v2/users/{user_id}/reset-password`: only for verified (`ACTIVE`)
    /// users.
    pub fn reset_password(&mut self, id: &str) -> Answer<()> {
        let seq = self.user_seq(id)?;
        let user = self.users.get_mut(&seq).expect("indexed");
        if user.status != "ACTIVE" {
            return Err(Problem::new(
                400,
                "Only a user who has verified their account has a password to reset.",
            ));
        }
        user.password_resets_sent += 1;
        Ok(())
    }

    /// `GET /v2/spaces`.
    pub fn list_spaces(
        &self,
        org_id: Option<&str>,
        name: Option<&str>,
        limit: usize,
        cursor: Option<&str>,
    ) -> Answer<types::ListSpacesResponse> {
        if let Some(org_id) = org_id {
            // An organization that does not exist is 404, not an empty page.
            self.get_org(org_id)?;
        }
        let needle = name.map(str::to_lowercase);
        let (spaces, next) = self.page(&self.spaces, cursor, limit, |_, space| {
            org_id.is_none_or(|o| space.organization_id == o)
                && needle
                    .as_deref()
                    .is_none_or(|n| space.name.to_lowercase().contains(n))
        })?;
        Ok(wire::spaces_page(&spaces, next))
    }
}

/// What `create_user` did.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Created {
    /// A new user, or a new invitation for an expired one: 201.
    New {
        /// The user.
        user: User,
        /// How they were invited.
        invite_mode: String,
        /// With `TEMPORARY_PASSWORD`, the password.
        temporary_password: Option<String>,
    },
    /// An invitation for the email was pending: 200, unchanged.
    Pending(User),
}

/// The rough shape of an address: something, `@`, something with a dot
/// after it (the fake's stand-in for `format: email`).
fn looks_like_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !text.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

fn check_user_name(name: &str) -> Answer<String> {
    let trimmed = name.trim();
    let len = trimmed.chars().count();
    if !(1..=MAX_USER_NAME).contains(&len) {
        return Err(Problem::new(
            400,
            format!(
                "name must be between 1 and {MAX_USER_NAME} characters long once surrounding whitespace is removed."
            ),
        ));
    }
    Ok(trimmed.to_owned())
}

fn check_name(name: &str) -> Answer<String> {
    let len = name.chars().count();
    if !(1..=MAX_NAME).contains(&len) {
        return Err(Problem::new(
            422,
            format!("name must be between 1 and {MAX_NAME} characters long."),
        ));
    }
    Ok(name.to_owned())
}

fn check_description(description: &str) -> Answer<String> {
    if description.chars().count() > MAX_DESCRIPTION {
        return Err(Problem::new(
            422,
            format!("description must be at most {MAX_DESCRIPTION} characters long."),
        ));
    }
    Ok(description.to_owned())
}

/// Cursors are opaque to clients: base64 of `cursor:<last sequence number>`
/// (organizations and users share one sequence). An empty cursor means the
/// start, like none at all.
fn encode_cursor(seq: u64) -> String {
    B64.encode(format!("cursor:{seq}"))
}

fn decode_cursor(cursor: &str) -> Answer<u64> {
    if cursor.is_empty() {
        return Ok(0);
    }
    B64.decode(cursor)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|text| text.strip_prefix("cursor:").and_then(|n| n.parse().ok()))
        .ok_or_else(|| Problem::new(400, "cursor is not a cursor this server issued."))
}

/// Parses an RFC 3339 timestamp (for callers inspecting state).
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn ids_are_deterministic_and_some_need_encoding() {
        let mut a = State::new(7);
        let mut b = State::new(7);
        a.seed_orgs(20);
        b.seed_orgs(20);
        assert_eq!(a.orgs(), b.orgs());
        let ids: Vec<String> = a.orgs().into_iter().map(|o| o.id).collect();
        assert!(ids.iter().any(|id| id.contains('+')), "{ids:?}");
        assert!(ids.iter().any(|id| id.contains('/')), "{ids:?}");
        assert!(ids.iter().any(|id| id.contains('=')), "{ids:?}");
        let mut c = State::new(8);
        c.seed_orgs(1);
        assert_ne!(c.orgs()[0].id, a.orgs()[0].id);
    }

    #[test]
    fn pages_follow_cursors_and_filter_case_insensitively() {
        let mut s = State::new(1);
        for name in ["Alpha", "beta", "ALPHABET", "gamma", "alpha-2"] {
            s.create_org(&body(json!({"name": name}))).unwrap();
        }
        let first = s.list_orgs(Some("alpha"), 2, None).unwrap();
        let names: Vec<&str> = first
            .organizations
            .iter()
            .map(|o| o.name.as_deref().unwrap())
            .collect();
        assert_eq!(names, ["Alpha", "ALPHABET"]);
        let pagination = first.pagination.unwrap();
        assert_eq!(pagination.has_more, Some(true));
        let cursor = pagination.next_cursor.as_deref().unwrap();
        let second = s.list_orgs(Some("alpha"), 2, Some(cursor)).unwrap();
        assert_eq!(second.organizations[0].name.as_deref(), Some("alpha-2"));
        assert_eq!(
            serde_json::to_value(&second.pagination).unwrap(),
            json!({"has_more": false})
        );
        assert_eq!(
            s.list_orgs(None, 10, Some("bogus")).unwrap_err().status,
            400
        );
    }

    #[test]
    fn create_rules() {
        let mut s = State::new(1);
        let cases = [
            (json!({}), 422),
            (json!({"name": ""}), 422),
            (json!({"name": "x".repeat(256)}), 422),
            (json!({"name": 5}), 422),
            (json!({"name": "ok", "description": "d".repeat(1001)}), 422),
            (json!({"name": "ok", "id": "x"}), 422),
            (json!({"name": "ok", "created_at": "x"}), 422),
            (json!({"name": "ok", "description": null}), 422),
        ];
        for (b, status) in cases {
            assert_eq!(
                s.create_org(&body(b.clone())).unwrap_err().status,
                status,
                "{b}"
            );
        }
        let org = s.create_org(&body(json!({"name": "ok"}))).unwrap();
        assert_eq!(org.description, "");
        assert_eq!(
            s.create_org(&body(json!({"name": "ok"})))
                .unwrap_err()
                .status,
            409
        );
        // Names are unique exactly: a case variant is another organization.
        s.create_org(&body(json!({"name": "OK"}))).unwrap();
    }

    #[test]
    fn update_rules() {
        let mut s = State::new(1);
        let a = s
            .create_org(&body(json!({"name": "a", "description": "x"})))
            .unwrap();
        s.create_org(&body(json!({"name": "b"}))).unwrap();
        assert_eq!(
            s.update_org(&a.id, &body(json!({}))).unwrap_err().status,
            400
        );
        assert_eq!(
            s.update_org(&a.id, &body(json!({"name": "b"})))
                .unwrap_err()
                .status,
            409
        );
        assert_eq!(
            s.update_org("nope", &body(json!({"name": "c"})))
                .unwrap_err()
                .status,
            404
        );
        let renamed = s.update_org(&a.id, &body(json!({"name": "a"}))).unwrap();
        assert_eq!(renamed.name, "a", "renaming to its own name is fine");
        let cleared = s
            .update_org(&a.id, &body(json!({"description": null})))
            .unwrap();
        assert_eq!(cleared.description, "");
        s.update_org(&a.id, &body(json!({"description": "y"})))
            .unwrap();
        let cleared = s
            .update_org(&a.id, &body(json!({"description": ""})))
            .unwrap();
        assert_eq!(cleared.description, "");
        let renamed = s.update_org(&a.id, &body(json!({"name": "c"}))).unwrap();
        assert_eq!(renamed.name, "c");
        s.create_org(&body(json!({"name": "a"}))).unwrap();
    }

    #[test]
    fn memberships_upsert_cascade_and_the_annotator_rule() {
        let mut s = State::new(1);
        let org = s.create_org(&body(json!({"name": "o"}))).unwrap();
        let member = s.add_account_user("M", "m@example.com", "MEMBER");
        let annotator = s.add_account_user("A", "a@example.com", "ANNOTATOR");
        let add = |user: &str, role: &str| {
            body(json!({"user_id": user, "role": {"type": "PREDEFINED", "name": role}}))
        };
        let m1 = s.add_member(&org.id, &add(&member.id, "MEMBER")).unwrap();
        let m2 = s.add_member(&org.id, &add(&member.id, "ADMIN")).unwrap();
        assert_eq!(
            (m1.id.clone(), m2.role.as_str()),
            (m2.id.clone(), "ADMIN"),
            "upsert"
        );
        assert_eq!(s.memberships().len(), 1);
        assert_eq!(
            s.add_member(&org.id, &add(&member.id, "ANNOTATOR"))
                .unwrap_err()
                .status,
            400
        );
        assert_eq!(
            s.add_member(&org.id, &add(&annotator.id, "MEMBER"))
                .unwrap_err()
                .status,
            400
        );
        s.add_member(&org.id, &add(&annotator.id, "ANNOTATOR"))
            .unwrap();
        assert_eq!(
            s.add_member(&org.id, &add("nope", "MEMBER"))
                .unwrap_err()
                .status,
            404
        );
        let custom = body(json!({"user_id": member.id, "role": {"type": "CUSTOM", "id": "x"}}));
        assert_eq!(s.add_member(&org.id, &custom).unwrap_err().status, 404);
        let unknown =
            body(json!({"user_id": member.id, "role": {"type": "PREDEFINED", "name": "OWNER"}}));
        assert_eq!(s.add_member(&org.id, &unknown).unwrap_err().status, 422);
        s.remove_member(&org.id, &annotator.id).unwrap();
        assert_eq!(
            s.remove_member(&org.id, &annotator.id).unwrap_err().status,
            404
        );
        s.delete_org(&org.id).unwrap();
        assert!(s.memberships().is_empty(), "delete cascades");
        assert_eq!(s.get_org(&org.id).unwrap_err().status, 404);
    }

    #[test]
    fn users_filter_by_email_and_status() {
        let mut s = State::new(1);
        s.add_account_user("J", "jane@example.com", "MEMBER");
        s.add_account_user("K", "kim@example.com", "ADMIN");
        s.add_account_user("É", "Éva@Example.com", "MEMBER");
        let page = s.list_users(Some("JANE@"), &[], 10, None).unwrap();
        assert_eq!(page.users.len(), 1);
        // Unicode case folding, as the facade's exact match does.
        let page = s.list_users(Some("éVA@"), &[], 10, None).unwrap();
        assert_eq!(
            page.users[0].email.as_ref().unwrap().as_str(),
            "Éva@Example.com"
        );
        let page = s.list_users(None, &["INVITED".into()], 10, None).unwrap();
        assert!(page.users.is_empty());
    }

    #[test]
    fn seeding_compares_each_new_space_with_o_1_records() {
        const N: u64 = 2_000;
        let mut s = State::new(1);
        s.seed_orgs(N as usize);
        s.seed_spaces(2);
        assert_eq!(s.spaces().len() as u64, 2 * N);
        let probes = s.name_probes();
        assert!(
            probes < 10 * N,
            "{probes} name comparisons for {N} organizations"
        );
        // The index still refuses a taken name and forgets a deleted organization's.
        let org = s.orgs()[0].id.clone();
        assert_eq!(s.add_space(&org, "default", false).unwrap_err().status, 409);
        s.delete_org(&org).unwrap();
        let again = s.create_org(&body(json!({"name": "again"}))).unwrap();
        s.add_space(&again.id, "default", false).unwrap();
    }

    #[test]
    fn state_survives_serialisation() {
        let mut s = State::new(3);
        s.seed_orgs(3);
        let text = serde_json::to_string(&s).unwrap();
        let mut back: State = serde_json::from_str(&text).unwrap();
        back.reindex();
        assert_eq!(back.orgs(), s.orgs());
        let id = s.orgs()[1].id.clone();
        assert_eq!(back.get_org(&id).unwrap().name, "org-00002");
        // New IDs continue the sequence instead of colliding.
        let new = back.create_org(&body(json!({"name": "new"}))).unwrap();
        assert!(s.orgs().iter().all(|o| o.id != new.id));
    }
}
