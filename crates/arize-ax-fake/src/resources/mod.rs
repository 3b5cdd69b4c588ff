//! One module per resource, each with its records, rules and handlers.
//! They import [`crate::core`] only, never each other: what one needs of
//! another goes through [`crate::core::Directory`] and [`crate::core::Event`].

pub mod api_keys;
pub mod audit_logs;
pub mod memberships;
pub mod organizations;
pub mod resource_restrictions;
pub mod role_bindings;
pub mod roles;
pub mod space_members;
pub mod spaces;
pub mod users;
