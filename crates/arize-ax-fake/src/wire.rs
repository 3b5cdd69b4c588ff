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
        id: Id(org.id.clone()),
        name: org.name.clone(),
        description: org.description.clone(),
        created_at: parse_time(&org.created_at).unwrap_or_default(),
    }
}

/// A user as the API returns it.
pub fn user(user: &User) -> types::User {
    types::User {
        id: Id(user.id.clone()),
        name: user.name.clone(),
        email: types::Email(user.email.clone()),
        created_at: parse_time(&user.created_at).unwrap_or_default(),
        status: UserStatus::from(user.status.clone()),
        role: RoleAssignment::Predefined(UserRole::from(user.account_role.clone())),
        is_developer: user.is_developer,
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
        id: Id(membership.id.clone()),
        user_id: Id(membership.user_id.clone()),
        organization_id: Id(membership.organization_id.clone()),
        role,
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
        id: Id(space.id.clone()),
        name: space.name.clone(),
        description: space.description.clone(),
        created_at: parse_time(&space.created_at).unwrap_or_default(),
        is_private: space.is_private,
    }
}

/// One page of spaces.
pub fn spaces_page(spaces: &[&Space], next_cursor: Option<String>) -> types::ListSpacesResponse {
    types::ListSpacesResponse {
        spaces: spaces.iter().map(|s| space(s)).collect(),
        pagination: pagination(next_cursor),
    }
}

/// Where a page sits: `next_cursor` only when there is more.
pub fn pagination(next_cursor: Option<String>) -> types::PaginationMetadata {
    types::PaginationMetadata {
        has_more: next_cursor.is_some(),
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
        pagination: pagination(next_cursor),
    }
}

/// One page of users.
pub fn users_page(users: &[&User], next_cursor: Option<String>) -> types::ListUsersResponse {
    types::ListUsersResponse {
        users: users.iter().map(|u| user(u)).collect(),
        pagination: pagination(next_cursor),
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
        title: title.to_owned(),
        status: i64::from(status),
        detail: Some(detail.to_owned()),
        instance: Some(instance.to_owned()),
    }
}
