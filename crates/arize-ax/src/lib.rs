#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]

pub mod access_review;
pub mod api_keys;
pub mod audit_logs;
mod bulk;
mod core;
#[cfg(feature = "polars")]
mod dataframe;
pub mod organizations;
mod refs;
mod registry;
pub mod resource_restrictions;
mod role;
pub mod role_bindings;
pub mod roles;
pub mod spaces;
mod types;
pub mod users;

pub use bulk::{BulkItem, BulkReport, DEFAULT_BULK_CONCURRENCY, MAX_BULK_CONCURRENCY, Progress};
pub use core::builder::{
    ApiKey, ClientBuilder, DEFAULT_HOST, DEFAULT_TIMEOUT, ENV_VARS, REGIONS, RetryPolicy, env,
};
pub use core::client::Client;
pub use core::error::{
    Ambiguous, ApiError, ApiErrorKind, DecodeError, Error, Kind, NotFound, Problem, Result,
    RoleConstraint, TransportError,
};
pub use core::paging::{ListRequest, MAX_EMPTY_PAGES, Pagination};
pub use core::removal::Removal;
#[cfg(feature = "polars")]
#[cfg_attr(docsrs, doc(cfg(feature = "polars")))]
pub use dataframe::{ToDataFrame, memberships_dataframe, organizations_dataframe, users_dataframe};
pub use organizations::{
    AddUser, AddUsers, CreateOrganization, ListOrganizations, Organizations, RemoveUsers,
    UpdateOrganization,
};
pub use refs::{MAX_DESCRIPTION_LEN, MAX_NAME_LEN, OrgRef, UserRef, is_id};
pub use registry::{HELPER_OPERATIONS, METHODS, RAW_ONLY_OPERATIONS};
pub use role::{OrgRole, RoleAssignment, SpaceRole};
pub use role_bindings::{
    CreateRoleBinding, ListRoleBindings, RoleBinding, RoleBindings, RoleBindingsPage,
};
pub use roles::{CreateRole, ListRoles, Permission, Role, RoleRef, Roles, RolesPage, UpdateRole};
pub use spaces::{
    AddSpaceUser, AddSpaceUsers, CreateSpace, DeleteSpace, GetSpace, ListSpaces, RemoveSpaceUser,
    RemoveSpaceUsers, SpaceMembership, SpaceRef, Spaces, UpdateSpace,
};
pub use types::{
    AccountRole, AgentRuntime, LlmIntegration, Organization, OrganizationMembership,
    OrganizationsPage, ResponseObject, Space, SpacesPage, User, UserStatus, UsersPage,
};
pub use users::{
    CreateUser, CreatedUser, Creation, ListUsers, TemporaryPassword, UpdateUser, Users,
};

/// How a new user is brought into the account (see
/// [`CreateUser::invite`]): `EmailLink`, `None` or `TemporaryPassword`.
/// Parses from the wire names in any case (`"email_link".parse()`).
pub use arize_ax_api::open::InviteMode;
/// A built-in account role (`Admin`, `Member`, `Annotator`), as
/// [`Users::create`] takes it.
pub use arize_ax_api::open::UserRole;
pub use core::warning::{
    DISABLE_PRERELEASE_WARNING_ENV, PRERELEASE_TARGET, PrereleaseGate,
    message as prerelease_message,
};

/// The generated low-level client, for operations and options this crate
/// does not cover.
pub use arize_ax_api as raw;

/// The examples of the repository's top-level README, compiled as doctests
/// so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct RepositoryReadme;
