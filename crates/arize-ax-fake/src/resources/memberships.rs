//! Organization memberships: `POST /v2/organizations/{org_id}/users` (an
//! upsert with the annotator rule) and
//! `DELETE /v2/organizations/{org_id}/users/{user_id}`.

use arize_ax_api::open::{OrganizationRole, RoleAssignment, UserRole};
use arize_ax_api::types::{self, Id};
use serde::{Deserialize, Serialize};

use crate::core::{
    Answer, Call, Directory, Event, Ids, Problem, ROLE_NAMES, Record, Reply, Table,
    diagnose_member_add,
};

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
    /// Organization role: `ADMIN`, `MEMBER`, `READ_ONLY`, `ANNOTATOR`, or
    /// `CUSTOM` with [`custom_role_id`](Self::custom_role_id).
    pub role: MemberRole,
    /// The custom role's ID, for a `CUSTOM` role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_role_id: Option<String>,
}

/// A membership's role: the raw crate's [`OrganizationRole`], which holds
/// `CUSTOM` as `Other("CUSTOM")`. Compares with the role's wire name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MemberRole(pub OrganizationRole);

impl MemberRole {
    /// The role of a membership with a custom role.
    pub fn custom() -> Self {
        MemberRole(OrganizationRole::from("CUSTOM".to_owned()))
    }
}

impl std::ops::Deref for MemberRole {
    type Target = OrganizationRole;
    fn deref(&self) -> &OrganizationRole {
        &self.0
    }
}

impl PartialEq<&str> for MemberRole {
    fn eq(&self, other: &&str) -> bool {
        self.0.as_str() == *other
    }
}

impl Record for Membership {
    fn id(&self) -> &str {
        &self.id
    }
    /// A user is a member of an organization once.
    fn unique_name(&self) -> Option<(&str, &str)> {
        Some((&self.organization_id, &self.user_id))
    }
}

/// Every membership.
pub type Memberships = Table<Membership>;

/// A membership as the API returns it; `custom_name` is its custom role's
/// name, when it has one.
pub fn wire(membership: &Membership, custom_name: Option<String>) -> types::OrganizationMembership {
    let role = match &membership.custom_role_id {
        Some(id) => RoleAssignment::Custom {
            id: id.clone(),
            name: custom_name,
        },
        None => RoleAssignment::Predefined(membership.role.0.clone()),
    };
    types::OrganizationMembership {
        id: Some(Id(membership.id.clone())),
        user_id: Some(Id(membership.user_id.clone())),
        organization_id: Some(Id(membership.organization_id.clone())),
        role: Some(role),
    }
}

/// Follows a change elsewhere: a deleted organization or a removed user
/// takes its memberships.
pub fn follow(memberships: &mut Memberships, event: &Event) {
    match event {
        Event::OrganizationDeleted(org) => memberships.retain(|m| m.organization_id != *org),
        Event::UserRemoved(user) => memberships.retain(|m| m.user_id != *user),
        _ => {}
    }
}

/// `POST /v2/organizations/{org_id}/users`: an upsert that enforces the
/// annotator rule.
pub fn add(
    memberships: &mut Memberships,
    ids: &mut Ids,
    directory: &dyn Directory,
    call: &Call,
) -> Answer<Reply> {
    let (body, _) = call.typed::<types::AddOrganizationUserRequest>(|body| {
        diagnose_member_add(body, |name| {
            OrganizationRole::from(name.to_owned()).is_known()
        })
    })?;
    let (role, custom_role_id) = match body.role {
        types::OrganizationRoleAssignmentRequest::PredefinedRoleAssignmentRequest(r)
            if r.name.is_known() =>
        {
            (MemberRole(r.name), None)
        }
        types::OrganizationRoleAssignmentRequest::PredefinedRoleAssignmentRequest(_) => {
            return Err(Problem::new(422, ROLE_NAMES));
        }
        types::OrganizationRoleAssignmentRequest::CustomRoleAssignmentRequest(r) => {
            (MemberRole::custom(), Some(r.id.0))
        }
    };
    let org_id = call.param("org_id");
    let user_id = body.user_id.0;
    if !directory.organization_exists(org_id) {
        return Err(Problem::new(
            404,
            format!("No organization has the ID {org_id}."),
        ));
    }
    let account_role = directory
        .user_account_role(&user_id)
        .ok_or_else(|| Problem::new(404, format!("No user has the ID {user_id}.")))?;
    let custom_name = match &custom_role_id {
        Some(id) => Some(
            directory
                .custom_role_name(id)
                .ok_or_else(|| Problem::new(404, format!("No custom role has the ID {id}.")))?,
        ),
        None => None,
    };
    let annotator_account = account_role == UserRole::Annotator;
    let annotator_role = role.0 == OrganizationRole::Annotator;
    if annotator_account && !annotator_role {
        return Err(Problem::new(
            400,
            "A user whose account role is ANNOTATOR can only be given the organization role ANNOTATOR.",
        ));
    }
    if !annotator_account && annotator_role {
        return Err(Problem::new(
            400,
            "Only users whose account role is ANNOTATOR can be given the organization role ANNOTATOR.",
        ));
    }
    let membership = match memberships.by_name(org_id, &user_id).map(|m| m.id.clone()) {
        Some(id) => memberships
            .update(&id, |m| {
                m.role = role;
                m.custom_role_id = custom_role_id;
                m.clone()
            })
            .expect("found"),
        None => {
            let seq = ids.next_seq();
            let membership = Membership {
                id: ids.make_id("OrganizationMembership", seq),
                user_id,
                organization_id: org_id.to_owned(),
                role,
                custom_role_id,
            };
            memberships
                .insert(seq, membership)
                .cloned()
                .unwrap_or_else(|m| m)
        }
    };
    Ok(Reply::json(200, &wire(&membership, custom_name)).changed())
}

/// `DELETE /v2/organizations/{org_id}/users/{user_id}`: the user leaves the
/// organization's spaces too, through the event.
pub fn remove(
    memberships: &mut Memberships,
    directory: &dyn Directory,
    call: &Call,
) -> Answer<(Reply, Event)> {
    let (org_id, user_id) = (call.param("org_id"), call.param("user_id"));
    if !directory.organization_exists(org_id) {
        return Err(Problem::new(
            404,
            format!("No organization has the ID {org_id}."),
        ));
    }
    let id = memberships
        .by_name(org_id, user_id)
        .map(|m| m.id.clone())
        .ok_or_else(|| {
            Problem::new(
                404,
                format!("User {user_id} is not a member of organization {org_id}."),
            )
        })?;
    memberships.remove(&id);
    Ok((
        Reply::no_content(),
        Event::OrganizationMemberRemoved {
            organization_id: org_id.to_owned(),
            user_id: user_id.to_owned(),
        },
    ))
}
