//! The roles API (BETA): predefined and custom roles, each a named set of
//! permissions. List, get (by ID or name), create, update and delete custom
//! roles; the known permissions.
//!
//! The API has no filter by name, so a role given by name is looked up in
//! the listing of every role, which the client keeps (one listing per
//! client and its clones; see [`Roles::get`]).

mod cache;
mod permissions;
mod record;
mod write;

use std::sync::Arc;

use arize_ax_api::ops;
use arize_ax_api::types::Id;

use crate::core::client::Client;
use crate::core::error::Error;
use crate::core::error::Result;
use crate::core::paging::{Listing, Query, RESOLVE_PAGE_SIZE, Trail};
use crate::role::OrgRole;
use crate::types::decode;

pub use permissions::{
    Permission, known_permissions, parse_permission, permission_resource, permissions_by_resource,
};
pub use record::{Role, RoleRef, RolesPage};
pub use write::{CreateRole, UpdateRole};

use crate::core::paging::Pagination;

const LIST: &str = "roles.list";
const GET: &str = "roles.get";
const CREATE: &str = "roles.create";
const UPDATE: &str = "roles.update";
const DELETE: &str = "roles.delete";

/// The method keys of this module and the operations they call.
pub const METHODS: &[(&str, &str)] = &[
    (LIST, ops::LIST_ROLES.id),
    (GET, ops::GET_ROLE.id),
    (CREATE, ops::CREATE_ROLE.id),
    (UPDATE, ops::UPDATE_ROLE.id),
    (DELETE, ops::DELETE_ROLE.id),
];

/// The roles API (BETA); get it with [`Client::roles`].
///
/// Wherever a role is expected, pass its ID or its exact name (see
/// [`RoleRef`]). Predefined roles can be read but neither changed nor
/// deleted; this is refused before anything is sent.
#[derive(Debug, Clone)]
pub struct Roles {
    client: Client,
}

impl Client {
    /// The roles API (BETA): predefined and custom roles.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let role = client.roles().get("Dataset Curator").await?;
    /// println!("{} {:?}", role.id, role.permissions);
    /// # Ok(())
    /// # }
    /// ```
    pub fn roles(&self) -> Roles {
        Roles {
            client: self.clone(),
        }
    }
}

impl Roles {
    /// Lists roles, predefined and custom (or one kind, with
    /// [`predefined`](ListRoles::predefined) or [`custom`](ListRoles::custom)):
    /// one page with [`send`](ListRoles::send) (or `.await`), or every one
    /// with [`stream`](ListRoles::stream).
    ///
    /// ```no_run
    /// use futures::TryStreamExt;
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let custom: Vec<arize_ax::Role> = client.roles().list().custom().stream().try_collect().await?;
    /// for role in &custom {
    ///     println!("{} {} ({} permissions)", role.id, role.name, role.permissions.len());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(&self) -> ListRoles {
        ListRoles(Listing::new(self.client.clone(), RolesQuery::default()))
    }

    /// Gets a role by ID or exact name.
    ///
    /// An ID is read from the server each time. A name is looked up in the
    /// listing of roles this client (and its clones) keeps: the first
    /// look-up by name lists every role once, later ones send nothing; the
    /// client's own creates, updates and deletes of roles drop the listing,
    /// and a name it does not hold is looked for once more in a fresh
    /// listing (another admin may have just created it) before
    /// [`Error::NotFound`]. A role found by name may therefore be as old as
    /// the listing; get it by ID for what the server holds now.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let role = client.roles().get("Dataset Curator").await?;
    /// let same = client.roles().get(&role).await?; // by ID
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a malformed reference (nothing is sent),
    /// [`Error::NotFound`] or [`Error::Ambiguous`] for a name that does not
    /// match exactly one role, [`Error::Api`] with 404 for an unknown ID,
    /// and API and transport errors.
    pub async fn get(&self, role: impl Into<RoleRef>) -> Result<Role> {
        let role = role.into();
        role.validate()?;
        self.client.warn_prerelease(GET, ops::GET_ROLE);
        self.resolve(GET, role).await
    }

    /// Resolves a role reference to an ID: an ID as it is (nothing is
    /// sent), a name through the listing the client keeps (see
    /// [`get`](Self::get)), so repeating it is free.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let id = client.roles().resolve_id("Dataset Curator").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get).
    pub async fn resolve_id(&self, role: impl Into<RoleRef>) -> Result<String> {
        let role = role.into();
        role.validate()?;
        match role {
            RoleRef::Id(id) => Ok(id),
            RoleRef::Name(name) => {
                self.client.warn_prerelease(LIST, ops::LIST_ROLES);
                Ok(self.find_by_name(GET, &name).await?.id)
            }
        }
    }

    /// The role `role` names, for `method` (a method key, e.g.
    /// `spaces.add_user`): an ID read from the server, a name from the
    /// listing the client keeps (one listing per client; see
    /// [`get`](Self::get)). The reference is validated here too.
    pub(crate) async fn resolve(&self, method: &'static str, role: RoleRef) -> Result<Role> {
        role.validate()?;
        match role {
            RoleRef::Id(id) => self.get_by_id(method, &id).await,
            RoleRef::Name(name) => self.find_by_name(method, &name).await,
        }
    }

    /// `role` with a custom role given by name replaced by its ID, for
    /// `method` (the caller's method key): one listing per client, and a
    /// read of the role to confirm a name from an older listing. A built-in role, or a custom role given by ID, is returned as
    /// it is. A name that belongs to a predefined role is refused: that
    /// role is given as itself (`member`, not `custom:MEMBER`).
    pub(crate) async fn custom_by_id(
        &self,
        method: &'static str,
        role: OrgRole,
    ) -> Result<OrgRole> {
        let Some(name) = role.custom_name() else {
            return Ok(role);
        };
        let found = self.find_for_write(method, name).await?;
        if found.is_predefined {
            return Err(Error::invalid(
                "role",
                format!(
                    "{name:?} is a built-in role, not a custom one; give it as {} instead",
                    name.to_lowercase().replace('_', "-")
                ),
            ));
        }
        Ok(OrgRole::Custom(found.id))
    }

    /// Every permission this version knows, in the spec's order (see
    /// [`permissions_by_resource`] for them grouped).
    ///
    /// ```no_run
    /// # fn run(client: arize_ax::Client) {
    /// for permission in client.roles().permissions() {
    ///     println!("{permission}");
    /// }
    /// # }
    /// ```
    pub fn permissions(&self) -> &'static [Permission] {
        known_permissions()
    }

    /// Deletes a custom role. A name is resolved to exactly one role first;
    /// a predefined role is refused before anything is sent.
    ///
    /// The API refuses (409) to delete a role that role bindings still
    /// use: delete those bindings first (the error says how).
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// client.roles().delete("Dataset Curator").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a malformed reference or a predefined
    /// role (nothing is deleted); resolution errors as for
    /// [`get`](Self::get); [`Error::Api`] with 409 while role bindings use
    /// the role; API and transport errors.
    pub async fn delete(&self, role: impl Into<RoleRef>) -> Result<crate::core::removal::Removal> {
        write::delete(self, role.into()).await
    }

    /// Starts creating a custom role with at least one permission; names
    /// are unique within the account.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let role = client
    ///     .roles()
    ///     .create("Dataset Curator")
    ///     .description("Reads projects and manages datasets.")
    ///     .permissions(["project_read", "dataset_read", "DATASET_CREATE"])
    ///     .send()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn create(&self, name: impl Into<String>) -> CreateRole {
        CreateRole::new(self.client.clone(), name.into())
    }

    /// Starts updating a custom role: its name, description or permissions
    /// (at least one change).
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let role = client
    ///     .roles()
    ///     .update("Dataset Curator")
    ///     .add_permissions(["DATASET_DELETE"])
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn update(&self, role: impl Into<RoleRef>) -> UpdateRole {
        UpdateRole::new(self.client.clone(), role.into())
    }

    /// Reads one role by ID.
    pub(crate) async fn get_by_id(&self, method: &'static str, id: &str) -> Result<Role> {
        let call = self
            .client
            .raw()
            .get_role()
            .role_id(Id(id.to_owned()))
            .send();
        self.client
            .call(method, call)
            .await
            .and_then(|role| decode(method, role))
    }

    /// The role named exactly `name`, from the kept listing (refreshed once
    /// when it does not hold the name and was not just fetched).
    async fn find_by_name(&self, method: &'static str, name: &str) -> Result<Role> {
        let cache = self.client.memo::<cache::RoleListing>();
        let fetch = || fetch_all(&self.client, method);
        let (roles, generation, fresh) = cache.current(fetch).await?;
        match cache::pick(&roles, name) {
            Err(e) if e.is_not_found() && !fresh => {
                let roles = cache.refreshed(generation, fetch).await?;
                cache::pick(&roles, name)
            }
            found => found,
        }
    }

    /// The role named exactly `name`, for a write (an update, a delete, a
    /// role given to someone): the kept listing may be older than a rename
    /// or a delete by someone else, so a hit from an older listing is
    /// confirmed by reading the role (one request) and, when the server no
    /// longer knows it by that name, the listing is fetched again once.
    pub(crate) async fn find_for_write(&self, method: &'static str, name: &str) -> Result<Role> {
        let cache = self.client.memo::<cache::RoleListing>();
        let fetch = || fetch_all(&self.client, method);
        let (roles, generation, fresh) = cache.current(fetch).await?;
        let picked = cache::pick(&roles, name);
        if fresh {
            return picked;
        }
        if let Ok(role) = &picked {
            match self.get_by_id(method, &role.id).await {
                Ok(current) if current.name == name => return Ok(current),
                Ok(_) => {}
                Err(e) if e.status() == Some(404) => {}
                Err(e) => return Err(e),
            }
        }
        let roles = cache.refreshed(generation, fetch).await?;
        cache::pick(&roles, name)
    }

    /// A role reference resolved for a write (see
    /// [`find_for_write`](Self::find_for_write)).
    pub(crate) async fn resolve_for_write(
        &self,
        method: &'static str,
        role: RoleRef,
    ) -> Result<Role> {
        role.validate()?;
        match role {
            RoleRef::Id(id) => self.get_by_id(method, &id).await,
            RoleRef::Name(name) => self.find_for_write(method, &name).await,
        }
    }

    /// Drops the kept listing after this client wrote a role.
    pub(crate) async fn forget(&self) {
        self.client.memo::<cache::RoleListing>().forget().await;
    }
}

/// Every role, page by page at the largest page size.
async fn fetch_all(client: &Client, method: &'static str) -> Result<Arc<[Role]>> {
    let mut roles = Vec::new();
    let mut cursor: Option<String> = None;
    let mut trail = Trail::default();
    loop {
        let page = fetch_page(client, method, None, Some(RESOLVE_PAGE_SIZE), cursor.take()).await?;
        let next = trail.next(method, &page.pagination, page.roles.is_empty())?;
        roles.extend(page.roles);
        match next {
            Some(next) => cursor = Some(next),
            None => return Ok(roles.into()),
        }
    }
}

/// Fetches one page of roles.
async fn fetch_page(
    client: &Client,
    method: &'static str,
    is_predefined: Option<bool>,
    limit: Option<u32>,
    cursor: Option<String>,
) -> Result<RolesPage> {
    let mut request = client.raw().list_roles();
    if let Some(is_predefined) = is_predefined {
        request = request.is_predefined(is_predefined);
    }
    let request = crate::core::paging::paged!(request, limit, cursor);
    client
        .call(method, request.send())
        .await
        .and_then(|page| decode(method, page))
}

/// A request for roles; see [`Roles::list`].
#[derive(Debug, Clone)]
#[must_use = "a list request does nothing until sent or streamed"]
pub struct ListRoles(Listing<RolesQuery>);

/// The filter of [`ListRoles`].
#[derive(Debug, Clone, Default)]
pub(crate) struct RolesQuery {
    is_predefined: Option<bool>,
}

impl Query for RolesQuery {
    type Item = Role;
    type Page = RolesPage;
    const METHOD: &'static str = LIST;
    const OPERATION: &'static arize_ax_api::Operation = ops::LIST_ROLES;

    fn validate(&self) -> Result<()> {
        Ok(())
    }

    async fn fetch(
        &self,
        client: &Client,
        limit: Option<u32>,
        cursor: Option<String>,
    ) -> Result<RolesPage> {
        fetch_page(client, LIST, self.is_predefined, limit, cursor).await
    }

    fn split(page: RolesPage) -> (Vec<Role>, Pagination) {
        (page.roles, page.pagination)
    }

    fn join(roles: Vec<Role>, pagination: Pagination) -> RolesPage {
        RolesPage { roles, pagination }
    }
}

impl ListRoles {
    /// Keeps only the built-in (predefined) roles.
    pub fn predefined(self) -> Self {
        self.is_predefined(true)
    }

    /// Keeps only the account's custom roles.
    pub fn custom(self) -> Self {
        self.is_predefined(false)
    }

    /// `true` keeps only the predefined roles, `false` only the custom ones
    /// (the default lists both).
    pub fn is_predefined(mut self, is_predefined: bool) -> Self {
        self.0.query.is_predefined = Some(is_predefined);
        self
    }
}

crate::core::paging::listing_builder!(
    ListRoles,
    Role,
    RolesPage,
    "role",
    "[`Error::InvalidInput`] for a limit outside 1..=100 or an empty cursor (nothing is sent); API and transport errors."
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_facade_method_maps_to_an_operation_of_the_spec() {
        for (method, op) in METHODS {
            assert!(arize_ax_api::operation(op).is_some(), "{method} → {op}");
        }
    }
}
