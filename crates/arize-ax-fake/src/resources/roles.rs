//! Roles: `/v2/roles` and `/v2/roles/{role_id}`. The built-in (predefined)
//! roles are not stored: every account has them, with IDs derived from the
//! seed. The table holds the account's custom roles, which organization and
//! space members can also be given by ID.

use arize_ax_api::open::{Patch, Permission};
use arize_ax_api::types::{self, Id};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::core::{
    Answer, Call, Directory, Ids, Problem, Record, Reply, Table, null_field, pagination,
};

/// A role: a named set of permissions, built in or custom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Role {
    /// Its ID.
    pub id: String,
    /// Its display name, unique (exactly) within the account.
    pub name: String,
    /// What it is for; empty when unset (and then left out of answers).
    #[serde(default)]
    pub description: String,
    /// The permissions it grants, in the order given.
    #[serde(default)]
    pub permissions: Vec<Permission>,
    /// Whether it is built in (such roles are never stored).
    #[serde(default)]
    pub is_predefined: bool,
    /// When it was created (unknown for roles of older state files).
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// When it was last changed.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A custom role (the name the seeding API has always used).
pub type CustomRole = Role;

impl Record for Role {
    fn id(&self) -> &str {
        &self.id
    }
    fn unique_name(&self) -> Option<(&str, &str)> {
        Some(("", &self.name))
    }
}

/// Every custom role.
pub type Roles = Table<Role>;
/// Every custom role (the name the state has always used).
pub type CustomRoles = Roles;

/// The permissions a seeded custom role gets when none are named.
pub const SEEDED_PERMISSIONS: &[Permission] = &[Permission::ProjectRead, Permission::DatasetRead];

/// The names of the built-in roles: those of the built-in space roles.
pub const PREDEFINED_NAMES: [&str; 4] = ["ADMIN", "MEMBER", "READ_ONLY", "ANNOTATOR"];

/// Families of permissions that administer the account rather than work in
/// it.
fn administrative(permission: &Permission) -> bool {
    let name = permission.as_str();
    ["ORGANIZATION_", "SPACE_", "USER_", "ROLE_", "SERVICE_KEY_"]
        .iter()
        .any(|p| name.starts_with(p))
        || name.ends_with("_RESTRICT")
}

/// The built-in roles of an account whose IDs derive from `ids`' seed:
/// `ADMIN` (every permission), `MEMBER` (every one but the administrative
/// families), `READ_ONLY` (every `*_READ`), `ANNOTATOR` (reading, and the
/// annotation permissions).
pub fn predefined(ids: &Ids) -> Vec<Role> {
    let all = Permission::KNOWN;
    let pick = |keep: &dyn Fn(&Permission) -> bool| -> Vec<Permission> {
        all.iter().filter(|p| keep(p)).cloned().collect()
    };
    let read = |p: &Permission| p.as_str().ends_with("_READ");
    let sets = [
        pick(&|_| true),
        pick(&|p| !administrative(p) || p.as_str() == "SPACE_READ"),
        pick(&read),
        pick(&|p| {
            p.as_str().starts_with("ANNOTATION")
                || (read(p) && !administrative(p))
                || p.as_str().starts_with("QUEUE_RECORD")
        }),
    ];
    let at = Ids::timestamp(0);
    (1..)
        .zip(PREDEFINED_NAMES.iter().zip(sets))
        .map(|(n, (name, permissions))| Role {
            id: ids.plain_id("PredefinedRole", n),
            name: (*name).to_owned(),
            description: format!("Built-in role {name}."),
            permissions,
            is_predefined: true,
            created_at: Some(at),
            updated_at: Some(at),
        })
        .collect()
}

fn not_found(id: &str) -> Problem {
    Problem::new(404, format!("No role has the ID {id}."))
}

fn taken(name: &str) -> Problem {
    Problem::new(
        409,
        format!("Another role of this account is already named {name}."),
    )
}

/// The document says predefined roles cannot change but names no status;
/// 403 (of those it lists) says "not allowed, whoever asks".
fn built_in(action: &str) -> Problem {
    Problem::new(403, format!("A predefined role cannot be {action}."))
}

/// Whether `name` is taken by a built-in role or another custom role.
fn name_taken(roles: &Roles, name: &str, except: Option<u64>) -> bool {
    PREDEFINED_NAMES.contains(&name)
        || roles
            .key_of_name("", name)
            .is_some_and(|k| Some(k) != except)
}

/// Adds a custom role; returns it (or, for a name the account already
/// has, the role with that name). A role seeded by name alone
/// ([`insert`]) keeps the ID it always had: base64 of
/// `Role:<seed>-<n>`, `n` counting the roles added.
pub fn seed(
    roles: &mut Roles,
    ids: &Ids,
    name: &str,
    description: &str,
    permissions: &[Permission],
) -> Role {
    if let Some(existing) = roles.by_name("", name) {
        return existing.clone();
    }
    let n = roles.last_key().unwrap_or(0) + 1;
    let mut id = ids.plain_id("Role", n);
    let mut spare = n;
    while roles.get(&id).is_some() {
        spare += 1;
        id = ids.plain_id("Role", spare);
    }
    let role = Role {
        id,
        name: name.into(),
        description: description.into(),
        permissions: permissions.to_vec(),
        is_predefined: false,
        created_at: Some(Ids::timestamp(n)),
        updated_at: Some(Ids::timestamp(n)),
    };
    roles.insert(n, role).cloned().unwrap_or_else(|r| r)
}

/// Adds a custom role with [`SEEDED_PERMISSIONS`]; returns it.
pub fn insert(roles: &mut Roles, ids: &Ids, name: &str) -> Role {
    seed(roles, ids, name, "", SEEDED_PERMISSIONS)
}

/// A role as the API returns it (an empty description left out).
pub fn wire(role: &Role) -> types::Role {
    types::Role {
        id: Some(Id(role.id.clone())),
        name: Some(role.name.clone()),
        description: (!role.description.is_empty()).then(|| role.description.clone()),
        permissions: role.permissions.clone(),
        is_predefined: Some(role.is_predefined),
        created_at: role.created_at,
        updated_at: role.updated_at,
    }
}

/// One page of roles.
pub fn wire_page(roles: &[&Role], next_cursor: Option<String>) -> types::ListRolesResponse {
    types::ListRolesResponse {
        roles: roles.iter().map(|r| wire(r)).collect(),
        pagination: Some(pagination(next_cursor)),
    }
}

/// `GET /v2/roles`: the built-in roles first, then the custom ones in
/// creation order, one cursor across both; `is_predefined` keeps one kind.
pub fn list(roles: &Roles, ids: &Ids, call: &Call) -> Answer<Reply> {
    let kind = match call.single("is_predefined")?.as_deref() {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(other) => {
            return Err(Problem::new(
                400,
                format!("is_predefined must be true or false (got {other:?})."),
            ));
        }
    };
    let limit = call.limit()?;
    let cursor = call.single("cursor")?;
    let first = predefined(ids);
    let (page, next) = roles.page_behind(&first, cursor.as_deref(), limit, |role| {
        kind.is_none_or(|k| role.is_predefined == k)
    })?;
    Ok(Reply::json(200, &wire_page(&page, next)))
}

/// The role with this ID, built in or custom.
pub fn find(roles: &Roles, ids: &Ids, id: &str) -> Answer<Role> {
    if let Some(role) = roles.get(id) {
        return Ok(role.clone());
    }
    predefined(ids)
        .into_iter()
        .find(|r| r.id == id)
        .ok_or_else(|| not_found(id))
}

/// `GET /v2/roles/{role_id}`.
pub fn get(roles: &Roles, ids: &Ids, call: &Call) -> Answer<Reply> {
    Ok(Reply::json(
        200,
        &wire(&find(roles, ids, call.param("role_id"))?),
    ))
}

/// Every permission known, in the order given, once each (422 for one the
/// document's `Permission` enum lacks, or for none at all).
fn check_permissions(permissions: Vec<Permission>) -> Answer<Vec<Permission>> {
    if permissions.is_empty() {
        return Err(Problem::new(
            422,
            "permissions must list at least one permission.",
        ));
    }
    let mut kept: Vec<Permission> = Vec::with_capacity(permissions.len());
    for permission in permissions {
        if !permission.is_known() {
            return Err(Problem::new(
                422,
                format!("{:?} is not a permission.", permission.as_str()),
            ));
        }
        if !kept.contains(&permission) {
            kept.push(permission);
        }
    }
    Ok(kept)
}

/// `POST /v2/roles`: a custom role, 409 for a name the account has (a
/// built-in role's included).
pub fn create(roles: &mut Roles, ids: &mut Ids, call: &Call) -> Answer<Reply> {
    let (body, raw) = call.typed::<types::CreateRoleRequest>(diagnose_create)?;
    null_field(&raw, "description", "a string")?;
    let permissions = check_permissions(body.permissions)?;
    let name = String::from(body.name);
    if name_taken(roles, &name, None) {
        return Err(taken(&name));
    }
    let key = roles.last_key().unwrap_or(0) + 1;
    let seq = ids.next_seq();
    let mut id = ids.make_id("Role", seq);
    while roles.get(&id).is_some() || predefined(ids).iter().any(|r| r.id == id) {
        let spare = ids.next_seq();
        id = ids.make_id("Role", spare);
    }
    let at = Ids::timestamp(seq);
    let role = Role {
        id,
        name,
        description: body.description.map(String::from).unwrap_or_default(),
        permissions,
        is_predefined: false,
        created_at: Some(at),
        updated_at: Some(at),
    };
    let role = roles.insert(key, role).map_err(|r| taken(&r.name))?;
    Ok(Reply::json(201, &wire(role)).changed())
}

/// `PATCH /v2/roles/{role_id}`: custom roles only (403 for a built-in one);
/// `permissions` replaces the whole set, `description: null` clears it.
pub fn update(roles: &mut Roles, ids: &mut Ids, call: &Call) -> Answer<Reply> {
    let (body, raw) = call.typed::<types::UpdateRoleRequest>(diagnose_update)?;
    if raw.is_empty() {
        return Err(Problem::new(
            400,
            "At least one of name, description or permissions must be provided.",
        ));
    }
    null_field(&raw, "name", "a string")?;
    let id = call.param("role_id");
    let Some(key) = roles.key_of(id) else {
        return Err(match find(roles, ids, id) {
            Ok(_) => built_in("changed"),
            Err(e) => e,
        });
    };
    let permissions = if raw.contains_key("permissions") {
        Some(check_permissions(body.permissions)?)
    } else {
        None
    };
    let name = body.name.map(String::from);
    if let Some(name) = &name
        && name_taken(roles, name, Some(key))
    {
        return Err(taken(name));
    }
    let description = match body.description {
        Patch::Keep => None,
        Patch::Clear => Some(String::new()),
        Patch::Set(d) => Some(String::from(d)),
    };
    let at = Ids::timestamp(ids.next_seq());
    let role = roles
        .update(id, |role| {
            if let Some(name) = name {
                role.name = name;
            }
            if let Some(description) = description {
                role.description = description;
            }
            if let Some(permissions) = permissions {
                role.permissions = permissions;
            }
            role.updated_at = Some(at);
            role.clone()
        })
        .expect("found above");
    Ok(Reply::json(200, &wire(&role)).changed())
}

/// `DELETE /v2/roles/{role_id}`: custom roles only (403 for a built-in
/// one); 409 while anything still uses it (see
/// [`Directory::role_in_use`], which issue 34's role bindings extend).
pub fn delete(
    roles: &mut Roles,
    ids: &Ids,
    directory: &dyn Directory,
    call: &Call,
) -> Answer<Reply> {
    let id = call.param("role_id");
    if roles.get(id).is_none() {
        find(roles, ids, id)?;
        return Err(built_in("deleted"));
    }
    if directory.role_in_use(id) {
        return Err(Problem::new(
            409,
            format!("Role {id} is still in use; remove its bindings and assignments first."),
        ));
    }
    roles.remove(id);
    Ok(Reply::no_content())
}

fn check_name(value: Option<&Value>, required: bool) -> Answer<()> {
    match value {
        None if required => Err(Problem::new(422, "name is required.")),
        None => Ok(()),
        Some(Value::String(s)) => {
            let len = s.chars().count();
            if !(1..=255).contains(&len) {
                return Err(Problem::new(
                    422,
                    "name must be between 1 and 255 characters long.",
                ));
            }
            let punctuation = " -_.,()[]'\"/:\\&@#$%!?+=";
            if s.chars()
                .all(|c| c.is_ascii_alphanumeric() || punctuation.contains(c))
            {
                return Ok(());
            }
            Err(Problem::new(
                422,
                "name may hold only letters, digits, spaces and the punctuation -_.,()[]'\"/:\\&@#$%!?+=.",
            ))
        }
        Some(_) => Err(Problem::new(422, "name must be a string.")),
    }
}

/// Names the first problem of a body that does not fit, in Arize's words.
fn diagnose(body: &Map<String, Value>, create: bool) -> Answer<()> {
    for field in ["id", "created_at", "updated_at", "is_predefined"] {
        if body.contains_key(field) {
            return Err(Problem::new(
                422,
                format!("{field} is set by the server and cannot be sent."),
            ));
        }
    }
    match body.get("description") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if s.chars().count() <= 1000 => {}
        Some(Value::String(_)) => {
            return Err(Problem::new(
                422,
                "description must be at most 1000 characters long.",
            ));
        }
        Some(_) => return Err(Problem::new(422, "description must be a string.")),
    }
    match body.get("permissions") {
        None if create => return Err(Problem::new(422, "permissions is required.")),
        None => {}
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => {}
        Some(_) => {
            return Err(Problem::new(
                422,
                "permissions must be a list of permission names.",
            ));
        }
    }
    check_name(body.get("name"), create)
}

fn diagnose_create(body: &Map<String, Value>) -> Answer<()> {
    diagnose(body, true)
}

fn diagnose_update(body: &Map<String, Value>) -> Answer<()> {
    diagnose(body, false)
}
