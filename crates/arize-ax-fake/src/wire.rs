//! The fake's answers as the generated client's types: every response body
//! is one of `arize_ax_api::types` serialised, so the fake speaks exactly
//! the spec it was built from (a field added, removed or retyped there fails
//! to compile). Each conversion lives with its resource; this module gathers
//! them under their earlier names.

pub use crate::core::pagination;
pub use crate::core::problem_body as problem;
pub use crate::resources::memberships::wire as membership;
pub use crate::resources::organizations::{wire as organization, wire_page as organizations_page};
pub use crate::resources::roles::{wire as role, wire_page as roles_page};
pub use crate::resources::space_members::wire as space_membership;
pub use crate::resources::spaces::{wire as space, wire_page as spaces_page};
pub use crate::resources::users::{
    wire as user, wire_created as created_user, wire_page as users_page,
};
