//! The fake's answers as the generated client's types: every response body
//! is one of `arize_ax_api::types` serialised, so the fake speaks exactly
//! the spec it was built from (a field added, removed or retyped there fails
//! to compile here).

use arize_ax_api::open::{
    InviteMode, OrganizationRole, RoleAssignment, Secret, UserRole, UserStatus,
};
use arize_ax_api::types::{self, Id};

use crate::state::{CustomRole, Membership, Org, Space, User, parse_time};

/// An organization as the API returns it.
pub fn organization(org: &Org) -> types::Organization {
    types::Organization {
        id: Some(Id(org.id.clone())),
        name: Some(org.name.clone()),
        description: Some(org.description.clone()),
        created_at: parse_time(&org.created_at),
    }
}

/// A user as the API returns it.
pub fn user(user: &User) -> types::User {
    types::User {
        id: Some(Id(user.id.clone())),
        name: Some(user.name.clone()),
        email: Some(types::Email(user.email.clone())),
        created_at: parse_time(&user.created_at),
        status: Some(UserStatus::from(user.status.clone())),
        role: Some(RoleAssignment::Predefined(UserRole::from(
            user.account_role.clone(),
        ))),
        is_developer: Some(user.is_developer),
    }
}

/// A membership as the API returns it; `custom` is its custom role, when it
/// has one (a custom role shows with its ID and name).
pub fn membership(
    membership: &Membership,
    custom: Option<&CustomRole>,
) -> types::OrganizationMembership {
    let role = match (&membership.custom_role_id, custom) {
        (Some(id), role) => RoleAssignment::Custom {
            id: id.clone(),
            name: role.map(|r| r.name.clone()),
        },
        (None, _) => RoleAssignment::Predefined(OrganizationRole::from(membership.role.clone())),
    };
    types::OrganizationMembership {
        id: Some(Id(membership.id.clone())),
        user_id: Some(Id(membership.user_id.clone())),
        organization_id: Some(Id(membership.organization_id.clone())),
        role: Some(role),
    }
}

/// The answer to a create: the user, with how they were invited and (only
/// for a temporary password) the password, in 201; a plain user in 200.
pub fn created_user(
    user: &User,
    invite_mode: Option<&str>,
    temporary_password: Option<&str>,
) -> types::CreateUserSuccess {
    let types::User {
        created_at,
        email,
        id,
        is_developer,
        name,
        role,
        status,
    } = self::user(user);
    types::CreateUserSuccess {
        created_at,
        email,
        id,
        invite_mode: invite_mode.map(|m| InviteMode::from(m.to_owned())),
        is_developer,
        name,
        role,
        status,
        temporary_password: temporary_password.map(Secret::new),
    }
}

/// A space as the API returns it.
pub fn space(space: &Space) -> types::Space {
    types::Space {
        id: Some(Id(space.id.clone())),
        organization_id: Some(Id(space.organization_id.clone())),
        name: Some(space.name.clone()),
        description: Some(space.description.clone()),
        created_at: parse_time(&space.created_at),
        is_private: Some(space.is_private),
        // The fake keeps no LLM integrations, agent runtimes or avatars:
        // every space has the document's defaults for them.
        ml_models_enabled: Some(true),
        default_llm_integration: None,
        default_agent_runtime: None,
        gradient_start_color: Some(String::new()),
        gradient_end_color: Some(String::new()),
    }
}

/// One page of spaces.
pub fn spaces_page(spaces: &[&Space], next_cursor: Option<String>) -> types::ListSpacesResponse {
    types::ListSpacesResponse {
        spaces: spaces.iter().map(|s| space(s)).collect(),
        pagination: Some(pagination(next_cursor)),
    }
}

/// Where a page sits: `next_cursor` only when there is more.
pub fn pagination(next_cursor: Option<String>) -> types::PaginationMetadata {
    types::PaginationMetadata {
        has_more: Some(next_cursor.is_some()),
        next_cursor,
    }
}

/// One page of organizations.
pub fn organizations_page(
    orgs: &[&Org],
    next_cursor: Option<String>,
) -> types::ListOrganizationsResponse {
    types::ListOrganizationsResponse {
        organizations: orgs.iter().map(|o| organization(o)).collect(),
        pagination: Some(pagination(next_cursor)),
    }
}

/// One page of users.
pub fn users_page(users: &[&User], next_cursor: Option<String>) -> types::ListUsersResponse {
    types::ListUsersResponse {
        users: users.iter().map(|u| user(u)).collect(),
        pagination: Some(pagination(next_cursor)),
    }
}

/// A problem body (RFC 9457).
pub fn problem(
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
