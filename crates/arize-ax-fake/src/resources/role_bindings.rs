//! Role bindings: `/v2/role-bindings` and `/v2/role-bindings/{binding_id}`.
//! A binding grants one role (built in or custom) to one user on one space
//! or project; a user holds at most one binding per resource (409).
//!
//! The fake keeps no projects: a `PROJECT` binding is accepted for any ID
//! that reads as a project's (base64 of `Project:…`), and refused (403, as
//! Arize answers for a resource it does not find) otherwise.

use arize_ax_api::open::RoleBindingResourceType;
use arize_ax_api::types::{self, Id};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::core::{
    Answer, Call, Directory, Event, Ids, Problem, Record, Reply, Table, id_kind, pagination,
};

/// A grant of one role to one user on one resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RoleBinding {
    /// The binding's ID.
    pub id: String,
    /// The granted role (built in or custom).
    pub role_id: String,
    /// The user holding it (a person, or a service key's bot user).
    pub user_id: String,
    /// `SPACE` or `PROJECT`.
    pub resource_type: RoleBindingResourceType,
    /// The space or project.
    pub resource_id: String,
    /// The organization holding the space, for a space binding (so that
    /// deleting the organization takes the binding with no look-up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When its role last changed.
    pub updated_at: DateTime<Utc>,
}

impl Record for RoleBinding {
    fn id(&self) -> &str {
        &self.id
    }
    /// A user holds one binding per resource.
    fn unique_name(&self) -> Option<(&str, &str)> {
        Some((&self.resource_id, &self.user_id))
    }
}

/// Every role binding.
pub type RoleBindings = Table<RoleBinding>;

/// A binding as the API returns it.
pub fn wire(binding: &RoleBinding) -> types::RoleBinding {
    types::RoleBinding {
        id: Some(Id(binding.id.clone())),
        role_id: Some(Id(binding.role_id.clone())),
        user_id: Some(Id(binding.user_id.clone())),
        resource_type: Some(binding.resource_type.clone()),
        resource_id: Some(Id(binding.resource_id.clone())),
        created_at: Some(binding.created_at),
        updated_at: Some(binding.updated_at),
    }
}

/// Whether any binding grants the role (a role in use cannot be deleted).
pub fn uses_role(bindings: &RoleBindings, role_id: &str) -> bool {
    bindings.values().any(|b| b.role_id == role_id)
}

/// Follows a change elsewhere: a deleted organization or space takes the
/// bindings on it; a user removed from the account, all of theirs; a user
/// taken out of a space (the document: "every role binding they hold on
/// the space"), or out of an organization (and so out of its spaces), their
/// bindings there.
pub fn follow(bindings: &mut RoleBindings, event: &Event) {
    match event {
        Event::SpaceMemberRemoved { space_id, user_id } => {
            bindings.retain(|b| b.resource_id != *space_id || b.user_id != *user_id)
        }
        Event::OrganizationMemberRemoved {
            organization_id,
            user_id,
        } => bindings.retain(|b| {
            b.organization_id.as_deref() != Some(organization_id.as_str()) || b.user_id != *user_id
        }),
        Event::OrganizationDeleted(org) => {
            bindings.retain(|b| b.organization_id.as_deref() != Some(org.as_str()))
        }
        Event::SpaceDeleted(space) => bindings.retain(|b| b.resource_id != *space),
        Event::UserRemoved(user) => bindings.retain(|b| b.user_id != *user),
    }
}

fn not_found(id: &str) -> Problem {
    Problem::new(404, format!("No role binding has the ID {id}."))
}

/// Whether `id` reads as a project's ID (the fake keeps no projects).
fn is_project_id(id: &str) -> bool {
    id_kind(id).as_deref() == Some("Project")
}

fn resource_type(text: &str) -> Answer<RoleBindingResourceType> {
    let kind = RoleBindingResourceType::from(text.to_owned());
    if kind.is_known() {
        Ok(kind)
    } else {
        Err(Problem::new(
            400,
            format!("resource_type must be SPACE or PROJECT (got {text:?})."),
        ))
    }
}

/// `GET /v2/role-bindings`: `resource_type` required; `user_id` narrows to
/// one user (404 for a user the account does not have).
pub fn list(bindings: &RoleBindings, directory: &dyn Directory, call: &Call) -> Answer<Reply> {
    let kind = match call.single("resource_type")? {
        Some(text) => resource_type(&text)?,
        None => return Err(Problem::new(400, "resource_type is required.")),
    };
    let user = call.single("user_id")?;
    if let Some(user) = &user
        && directory.user_account_role(user).is_none()
    {
        return Err(Problem::new(404, format!("No user has the ID {user}.")));
    }
    let limit = call.limit()?;
    let cursor = call.single("cursor")?;
    let (page, next) = bindings.page(cursor.as_deref(), limit, |b| {
        b.resource_type == kind && user.as_deref().is_none_or(|u| b.user_id == u)
    })?;
    Ok(Reply::json(
        200,
        &types::ListRoleBindingsResponse {
            role_bindings: page.into_iter().map(wire).collect(),
            pagination: Some(pagination(next)),
        },
    ))
}

/// `GET /v2/role-bindings/{binding_id}`.
pub fn get(bindings: &RoleBindings, call: &Call) -> Answer<Reply> {
    let id = call.param("binding_id");
    let binding = bindings.get(id).ok_or_else(|| not_found(id))?;
    Ok(Reply::json(200, &wire(binding)))
}

/// A role the account has (built in or custom): 404 otherwise.
fn check_role(directory: &dyn Directory, role_id: &str) -> Answer<()> {
    if directory.role_exists(role_id) {
        Ok(())
    } else {
        Err(Problem::new(404, format!("No role has the ID {role_id}.")))
    }
}

/// `POST /v2/role-bindings`: 404 for a user or role the account lacks, 403
/// for a resource that does not exist (or is of another type), 409 when the
/// user already holds a binding on the resource.
pub fn create(
    bindings: &mut RoleBindings,
    ids: &mut Ids,
    directory: &dyn Directory,
    call: &Call,
) -> Answer<Reply> {
    let (body, _) = call.typed::<types::CreateRoleBindingRequest>(diagnose_create)?;
    let kind = resource_type(body.resource_type.as_str())?;
    let (user_id, role_id, resource_id) = (body.user_id.0, body.role_id.0, body.resource_id.0);
    let organization_id = match kind {
        RoleBindingResourceType::Space => directory.space_organization(&resource_id),
        _ => None,
    };
    let exists = match kind {
        RoleBindingResourceType::Space => organization_id.is_some(),
        _ => is_project_id(&resource_id),
    };
    if !exists {
        return Err(Problem::new(
            403,
            format!(
                "No {} with the ID {resource_id} is within reach.",
                kind.as_str().to_lowercase()
            ),
        ));
    }
    if directory.user_account_role(&user_id).is_none() {
        return Err(Problem::new(404, format!("No user has the ID {user_id}.")));
    }
    check_role(directory, &role_id)?;
    if bindings.by_name(&resource_id, &user_id).is_some() {
        return Err(Problem::new(
            409,
            format!(
                "User {user_id} already holds a binding on {resource_id}; update that binding to \
                 change its role."
            ),
        ));
    }
    let seq = ids.next_seq();
    let at = Ids::timestamp(seq);
    let binding = RoleBinding {
        id: ids.make_id("RoleBinding", seq),
        role_id,
        user_id,
        resource_type: kind,
        resource_id,
        organization_id,
        created_at: at,
        updated_at: at,
    };
    let binding = bindings
        .insert(seq, binding)
        .map_err(|_| Problem::new(409, "The user already holds a binding on this resource."))?;
    Ok(Reply::json(201, &wire(binding)).changed())
}

/// `PATCH /v2/role-bindings/{binding_id}`: the role only.
pub fn update(
    bindings: &mut RoleBindings,
    ids: &mut Ids,
    directory: &dyn Directory,
    call: &Call,
) -> Answer<Reply> {
    let (body, _) =
        call.typed::<types::UpdateRoleBindingRequest>(|map| match map.get("role_id") {
            Some(Value::String(_)) => Ok(()),
            Some(_) => Err(Problem::new(422, "role_id must be a string.")),
            None => Err(Problem::new(422, "role_id is required.")),
        })?;
    let id = call.param("binding_id");
    if bindings.get(id).is_none() {
        return Err(not_found(id));
    }
    check_role(directory, &body.role_id.0)?;
    let at = Ids::timestamp(ids.next_seq());
    let binding = bindings
        .update(id, |b| {
            if b.role_id != body.role_id.0 {
                b.role_id = body.role_id.0.clone();
                b.updated_at = at;
            }
            b.clone()
        })
        .expect("found above");
    Ok(Reply::json(200, &wire(&binding)).changed())
}

/// `DELETE /v2/role-bindings/{binding_id}`: 404 when there is none.
pub fn delete(bindings: &mut RoleBindings, call: &Call) -> Answer<Reply> {
    let id = call.param("binding_id");
    bindings.remove(id).ok_or_else(|| not_found(id))?;
    Ok(Reply::no_content())
}

/// Why a create body does not fit its schema, in Arize's words.
fn diagnose_create(body: &Map<String, Value>) -> Answer<()> {
    for field in ["role_id", "user_id", "resource_type", "resource_id"] {
        match body.get(field) {
            Some(Value::String(_)) => {}
            Some(_) => return Err(Problem::new(422, format!("{field} must be a string."))),
            None => return Err(Problem::new(422, format!("{field} is required."))),
        }
    }
    Ok(())
}
