//! Space memberships: `POST /v2/spaces/{space_id}/users` (an upsert with
//! the annotator rule, for members of the space's organization only) and
//! `DELETE /v2/spaces/{space_id}/users/{user_id}`.

use arize_ax_api::open::{RoleAssignment, UserRole, UserSpaceRole};
use arize_ax_api::types::{self, Id};
use serde::{Deserialize, Serialize};

use crate::core::{
    Answer, Call, Directory, Event, Ids, Problem, ROLE_NAMES, Record, Reply, Table,
    diagnose_member_add,
};

/// A user's membership in a space.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SpaceMember {
    /// The membership's ID.
    pub id: String,
    /// The member.
    pub user_id: String,
    /// The space.
    pub space_id: String,
    /// The organization holding the space (so that cascades need no
    /// look-up).
    pub organization_id: String,
    /// Space role: `ADMIN`, `MEMBER`, `READ_ONLY`, `ANNOTATOR`, or `CUSTOM`
    /// with [`custom_role_id`](Self::custom_role_id).
    pub role: UserSpaceRole,
    /// The custom role's ID, for a `CUSTOM` role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_role_id: Option<String>,
}

impl Record for SpaceMember {
    fn id(&self) -> &str {
        &self.id
    }
    /// A user is a member of a space once.
    fn unique_name(&self) -> Option<(&str, &str)> {
        Some((&self.space_id, &self.user_id))
    }
}

/// Every space membership.
pub type SpaceMembers = Table<SpaceMember>;

/// The role a space member is given.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SpaceRole {
    /// A built-in space role.
    Predefined(UserSpaceRole),
    /// A custom role, by ID.
    Custom(String),
}

/// A membership as the API returns it; `custom_name` is its custom role's
/// name, when it has one.
pub fn wire(member: &SpaceMember, custom_name: Option<String>) -> types::SpaceMembership {
    let role = match &member.custom_role_id {
        Some(id) => RoleAssignment::Custom {
            id: id.clone(),
            name: custom_name,
        },
        None => RoleAssignment::Predefined(member.role.clone()),
    };
    types::SpaceMembership {
        id: Some(Id(member.id.clone())),
        user_id: Some(Id(member.user_id.clone())),
        space_id: Some(Id(member.space_id.clone())),
        role: Some(role),
    }
}

/// Follows a change elsewhere: a deleted organization or space, a user who
/// left the organization or the account, each take their space memberships.
pub fn follow(members: &mut SpaceMembers, event: &Event) {
    match event {
        Event::OrganizationDeleted(org) => members.retain(|m| m.organization_id != *org),
        Event::UserRemoved(user) => members.retain(|m| m.user_id != *user),
        Event::OrganizationMemberRemoved {
            organization_id,
            user_id,
        } => members.retain(|m| m.organization_id != *organization_id || m.user_id != *user_id),
        Event::SpaceDeleted(space) => members.retain(|m| m.space_id != *space),
        _ => {}
    }
}

/// Gives `user_id` `role` in a space (an upsert): 404 for an unknown space,
/// user or custom role; 400 for a user outside the space's organization and
/// for a role that breaks the annotator rule.
pub fn upsert(
    members: &mut SpaceMembers,
    ids: &mut Ids,
    directory: &dyn Directory,
    space_id: &str,
    user_id: &str,
    role: SpaceRole,
) -> Answer<(SpaceMember, Option<String>)> {
    let org_id = directory
        .space_organization(space_id)
        .ok_or_else(|| Problem::new(404, format!("No space has the ID {space_id}.")))?;
    let account_role = directory
        .user_account_role(user_id)
        .ok_or_else(|| Problem::new(404, format!("No user has the ID {user_id}.")))?;
    if !directory.is_organization_member(&org_id, user_id) {
        return Err(Problem::new(
            400,
            format!(
                "User {user_id} is not a member of organization {org_id}, which holds the space; add them to the organization first."
            ),
        ));
    }
    let (role, custom_role_id, custom_name) = match role {
        SpaceRole::Predefined(role) if role.is_known() => (role, None, None),
        SpaceRole::Predefined(_) => return Err(Problem::new(422, ROLE_NAMES)),
        SpaceRole::Custom(id) => {
            let name = directory
                .custom_role_name(&id)
                .ok_or_else(|| Problem::new(404, format!("No custom role has the ID {id}.")))?;
            (
                UserSpaceRole::from("CUSTOM".to_owned()),
                Some(id),
                Some(name),
            )
        }
    };
    let annotator_account = account_role == UserRole::Annotator;
    let annotator_role = role == UserSpaceRole::Annotator;
    if annotator_account && !annotator_role {
        return Err(Problem::new(
            400,
            "A user whose account role is ANNOTATOR can only be given the space role ANNOTATOR.",
        ));
    }
    if !annotator_account && annotator_role {
        return Err(Problem::new(
            400,
            "Only users whose account role is ANNOTATOR can be given the space role ANNOTATOR.",
        ));
    }
    let member = match members.by_name(space_id, user_id).map(|m| m.id.clone()) {
        Some(id) => members
            .update(&id, |m| {
                m.role = role;
                m.custom_role_id = custom_role_id;
                m.clone()
            })
            .expect("found"),
        None => {
            let seq = ids.next_seq();
            let member = SpaceMember {
                id: ids.make_id("SpaceMembership", seq),
                user_id: user_id.to_owned(),
                space_id: space_id.to_owned(),
                organization_id: org_id,
                role,
                custom_role_id,
            };
            members.insert(seq, member).cloned().unwrap_or_else(|m| m)
        }
    };
    Ok((member, custom_name))
}

/// `POST /v2/spaces/{space_id}/users`.
pub fn add(
    members: &mut SpaceMembers,
    ids: &mut Ids,
    directory: &dyn Directory,
    call: &Call,
) -> Answer<Reply> {
    let (body, _) = call.typed::<types::AddSpaceUserRequest>(|body| {
        diagnose_member_add(body, |name| UserSpaceRole::from(name.to_owned()).is_known())
    })?;
    let role = match body.role {
        types::SpaceRoleAssignmentRequest::PredefinedRoleAssignmentRequest(r) => {
            SpaceRole::Predefined(r.name)
        }
        types::SpaceRoleAssignmentRequest::CustomRoleAssignmentRequest(r) => {
            SpaceRole::Custom(r.id.0)
        }
    };
    let (member, custom_name) = upsert(
        members,
        ids,
        directory,
        call.param("space_id"),
        &body.user_id.0,
        role,
    )?;
    Ok(Reply::json(200, &wire(&member, custom_name)).changed())
}

/// `DELETE /v2/spaces/{space_id}/users/{user_id}`: 404 for a user who is
/// not a member; the event is where (issue 34) their bindings on the space
/// go.
pub fn remove(
    members: &mut SpaceMembers,
    directory: &dyn Directory,
    call: &Call,
) -> Answer<(Reply, Event)> {
    let (space_id, user_id) = (call.param("space_id"), call.param("user_id"));
    if directory.space_organization(space_id).is_none() {
        return Err(Problem::new(
            404,
            format!("No space has the ID {space_id}."),
        ));
    }
    let id = members
        .by_name(space_id, user_id)
        .map(|m| m.id.clone())
        .ok_or_else(|| {
            Problem::new(
                404,
                format!("User {user_id} is not a member of space {space_id}."),
            )
        })?;
    members.remove(&id);
    Ok((
        Reply::no_content(),
        Event::SpaceMemberRemoved {
            space_id: space_id.to_owned(),
            user_id: user_id.to_owned(),
        },
    ))
}
