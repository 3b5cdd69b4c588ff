//! The fake's answers as the generated client's types: every response body
//! is one of `arize_ax_api::types` serialised, so the fake speaks exactly
//! the spec it was built from (a field added, removed or retyped there fails
//! to compile here).

use arize_ax_api::open::{OrganizationRole, RoleAssignment, UserRole, UserStatus};
use arize_ax_api::types::{self, Id};

use crate::state::{Membership, Org, User, parse_time};

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

/// A membership as the API returns it.
pub fn membership(membership: &Membership) -> types::OrganizationMembership {
    types::OrganizationMembership {
        id: Id(membership.id.clone()),
        user_id: Id(membership.user_id.clone()),
        organization_id: Id(membership.organization_id.clone()),
        role: RoleAssignment::Predefined(OrganizationRole::from(membership.role.clone())),
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
