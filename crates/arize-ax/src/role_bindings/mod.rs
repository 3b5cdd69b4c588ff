//! The role bindings API (BETA): who holds which role on which space or
//! project. List (by resource type, user, space, project or role), get,
//! create (or ensure, with [`replace`](CreateRoleBinding::replace)), change
//! the role, delete.
//!
//! A user holds at most one binding per resource. The API lists bindings of
//! one resource type, narrowed to one user at most; filters by space,
//! project or role are applied on this side, page by page.

mod record;
mod write;

use arize_ax_api::ops;
use arize_ax_api::types::{self as raw, Id};

use crate::core::client::Client;
use crate::core::error::{Error, Result};
use crate::core::paging::{Listing, Pagination, Query, RESOLVE_PAGE_SIZE, Trail};
use crate::core::removal::Removal;
use crate::refs::{OrgRef, RoleRef, SpaceRef, UserRef};
use crate::types::decode;

pub use record::{Resource, ResourceType, RoleBinding, RoleBindingsPage};
pub use write::CreateRoleBinding;

const LIST: &str = "role_bindings.list";
const GET: &str = "role_bindings.get";
const CREATE: &str = "role_bindings.create";
const UPDATE: &str = "role_bindings.update";
const DELETE: &str = "role_bindings.delete";

/// The method keys of this module and the operations they call.
pub const METHODS: &[(&str, &str)] = &[
    (LIST, ops::LIST_ROLE_BINDINGS.id),
    (GET, ops::GET_ROLE_BINDING.id),
    (CREATE, ops::CREATE_ROLE_BINDING.id),
    (UPDATE, ops::UPDATE_ROLE_BINDING.id),
    (DELETE, ops::DELETE_ROLE_BINDING.id),
];

/// The role bindings API (BETA); get it with [`Client::role_bindings`].
///
/// Users are given by ID or email, roles by ID or exact name, spaces by ID
/// or exact name (narrowed to an organization with `organization(…)`),
/// projects by ID.
#[derive(Debug, Clone)]
pub struct RoleBindings {
    client: Client,
}

impl Client {
    /// The role bindings API (BETA): roles granted to users on spaces and
    /// projects.
    ///
    /// ```no_run
    /// use arize_ax::role_bindings::Resource;
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let binding = client
    ///     .role_bindings()
    ///     .create("jane@example.com", "Dataset Curator", Resource::space("ranking"))
    ///     .replace(true)
    ///     .await?;
    /// println!("{}", binding.id);
    /// # Ok(())
    /// # }
    /// ```
    pub fn role_bindings(&self) -> RoleBindings {
        RoleBindings {
            client: self.clone(),
        }
    }
}

impl RoleBindings {
    /// Lists bindings on spaces (the default) or projects: one page with
    /// [`send`](ListRoleBindings::send) (or `.await`), or every one with
    /// [`stream`](ListRoleBindings::stream).
    ///
    /// ```no_run
    /// use futures::TryStreamExt;
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let on_ranking: Vec<arize_ax::RoleBinding> = client
    ///     .role_bindings()
    ///     .list()
    ///     .space("ranking")
    ///     .stream()
    ///     .try_collect()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(&self) -> ListRoleBindings {
        ListRoleBindings(Listing::new(self.client.clone(), BindingsQuery::default()))
    }

    /// Gets a binding by ID.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let binding = client.role_bindings().get("Um9sZUJpbmRpbmc6MzEzMQ==").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a malformed ID (nothing is sent);
    /// [`Error::Api`] with 404 for a binding that does not exist or that the
    /// caller may not read; API and transport errors.
    pub async fn get(&self, binding_id: impl Into<String>) -> Result<RoleBinding> {
        let id = binding_id.into();
        check_binding_id(&id)?;
        self.client.warn_prerelease(GET, ops::GET_ROLE_BINDING);
        let call = self
            .client
            .raw()
            .get_role_binding()
            .binding_id(Id(id))
            .send();
        self.client
            .call(GET, call)
            .await
            .and_then(|b| decode(GET, b))
    }

    /// Starts granting `role` to `user` on `resource`. The API refuses a
    /// second binding of the same user on the same resource (409);
    /// [`replace`](CreateRoleBinding::replace) turns that into "ensure": the
    /// existing binding gets the role.
    ///
    /// ```no_run
    /// use arize_ax::role_bindings::Resource;
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// client
    ///     .role_bindings()
    ///     .create("VXNlcjoxMjM0NQ==", "READ_ONLY", Resource::project("UHJvamVjdDoyNDY4"))
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn create(
        &self,
        user: impl Into<UserRef>,
        role: impl Into<RoleRef>,
        resource: impl Into<Resource>,
    ) -> CreateRoleBinding {
        CreateRoleBinding::new(
            self.client.clone(),
            user.into(),
            role.into(),
            resource.into(),
        )
    }

    /// Gives a binding another role (by ID or exact name); its user and
    /// resource stay. Safe to repeat.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// client.role_bindings().update("Um9sZUJpbmRpbmc6MzEzMQ==", "ADMIN").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a malformed ID or role (nothing is sent);
    /// role resolution errors as for [`Roles::get`](crate::Roles::get);
    /// [`Error::Api`] with 404 for an unknown binding or role; API and
    /// transport errors.
    pub async fn update(
        &self,
        binding_id: impl Into<String>,
        role: impl Into<RoleRef>,
    ) -> Result<RoleBinding> {
        let id = binding_id.into();
        let role = role.into();
        check_binding_id(&id)?;
        role.validate()?;
        self.client
            .warn_prerelease(UPDATE, ops::UPDATE_ROLE_BINDING);
        let role_id = self.role_id(UPDATE, role).await?;
        self.set_role(UPDATE, &id, role_id).await
    }

    /// Deletes a binding. A 404 after an attempt whose answer was lost
    /// means that attempt deleted it: [`Removal::DoneByLostAttempt`].
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// client.role_bindings().delete("Um9sZUJpbmRpbmc6MzEzMQ==").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a malformed ID (nothing is sent);
    /// [`Error::Api`] with 404 for a binding that does not exist (or that
    /// the caller may not delete); API and transport errors.
    pub async fn delete(&self, binding_id: impl Into<String>) -> Result<Removal> {
        let id = binding_id.into();
        check_binding_id(&id)?;
        self.client
            .warn_prerelease(DELETE, ops::DELETE_ROLE_BINDING);
        let call = self
            .client
            .raw()
            .delete_role_binding()
            .binding_id(Id(id.clone()))
            .send();
        let (result, report) = self.client.call_reporting(DELETE, call).await;
        Removal::judge_noting(DELETE, result.map(|_| ()), &report, || {
            format!("deleting role binding {id}")
        })
    }

    /// A role's ID: an ID as given, a name from the kept listing of roles
    /// (confirmed for a write).
    async fn role_id(&self, method: &'static str, role: RoleRef) -> Result<String> {
        match role {
            RoleRef::Id(id) => Ok(id),
            RoleRef::Name(name) => Ok(self.client.roles().find_for_write(method, &name).await?.id),
        }
    }

    /// `PATCH`es the role of binding `id`.
    async fn set_role(
        &self,
        method: &'static str,
        id: &str,
        role_id: String,
    ) -> Result<RoleBinding> {
        let body = raw::UpdateRoleBindingRequest {
            role_id: Id(role_id),
        };
        let call = self
            .client
            .raw()
            .update_role_binding()
            .binding_id(Id(id.to_owned()))
            .body(body)
            .send();
        self.client
            .call(method, call)
            .await
            .and_then(|b| decode(method, b))
    }

    /// The binding `user_id` holds on `resource_id` (of kind `kind`), if
    /// any: the user's bindings of that kind, listed at the largest page
    /// size.
    async fn held(
        &self,
        method: &'static str,
        kind: ResourceType,
        user_id: &str,
        resource_id: &str,
    ) -> Result<Option<RoleBinding>> {
        let mut cursor = None;
        let mut trail = Trail::default();
        loop {
            let page = fetch_page(
                &self.client,
                method,
                &kind,
                Some(user_id),
                Some(RESOLVE_PAGE_SIZE),
                cursor.take(),
            )
            .await?;
            let next = trail.next(method, &page.pagination, page.role_bindings.is_empty())?;
            if let Some(found) = page
                .role_bindings
                .into_iter()
                .find(|b| b.resource_id == resource_id)
            {
                return Ok(Some(found));
            }
            match next {
                Some(next) => cursor = Some(next),
                None => return Ok(None),
            }
        }
    }
}

/// Checks a binding ID before anything is sent.
fn check_binding_id(id: &str) -> Result<()> {
    Ok(crate::core::checks::check_id("binding", id)?)
}

/// Fetches one page of bindings of one kind, for one user at most.
async fn fetch_page(
    client: &Client,
    method: &'static str,
    kind: &ResourceType,
    user_id: Option<&str>,
    limit: Option<u32>,
    cursor: Option<String>,
) -> Result<RoleBindingsPage> {
    let mut request = client
        .raw()
        .list_role_bindings()
        .resource_type(kind.clone());
    if let Some(user_id) = user_id {
        request = request.user_id(Id(user_id.to_owned()));
    }
    let request = crate::core::paging::paged!(request, limit, cursor);
    client
        .call(method, request.send())
        .await
        .and_then(|page| decode(method, page))
}

/// A request for role bindings; see [`RoleBindings::list`].
#[derive(Debug, Clone)]
#[must_use = "a list request does nothing until sent or streamed"]
pub struct ListRoleBindings(Listing<BindingsQuery>);

/// The filters of [`ListRoleBindings`]; references are resolved to IDs
/// once, before the first page.
#[derive(Debug, Clone, Default)]
pub(crate) struct BindingsQuery {
    kind: Option<ResourceType>,
    user: Option<UserRef>,
    space: Option<SpaceRef>,
    org: Option<OrgRef>,
    project: Option<String>,
    role: Option<RoleRef>,
}

impl BindingsQuery {
    fn kind(&self) -> ResourceType {
        self.kind.clone().unwrap_or(ResourceType::Space)
    }
}

impl Query for BindingsQuery {
    type Item = RoleBinding;
    type Page = RoleBindingsPage;
    const METHOD: &'static str = LIST;
    const OPERATION: &'static arize_ax_api::Operation = ops::LIST_ROLE_BINDINGS;

    fn validate(&self) -> Result<()> {
        let kind = self.kind();
        if !kind.is_known() {
            return Err(Error::invalid(
                "resource_type",
                format!("must be SPACE or PROJECT (got {:?})", kind.as_str()),
            ));
        }
        if let Some(user) = &self.user {
            user.validate()?;
        }
        if let Some(role) = &self.role {
            role.validate()?;
        }
        if let Some(org) = &self.org {
            org.validate()?;
            if self.space.is_none() {
                return Err(Error::invalid(
                    "organization",
                    "narrows a space name; give a space too",
                ));
            }
        }
        if let Some(space) = &self.space {
            space.validate()?;
            if kind != ResourceType::Space {
                return Err(Error::invalid(
                    "space",
                    "filters bindings on spaces; it cannot go with resource type PROJECT",
                ));
            }
        }
        if let Some(project) = &self.project {
            crate::core::checks::check_id("project", project)?;
            if kind != ResourceType::Project {
                return Err(Error::invalid(
                    "project",
                    "filters bindings on projects; set the resource type to PROJECT",
                ));
            }
        }
        Ok(())
    }

    async fn prepare(mut self, client: &Client) -> Result<Self> {
        if let Some(UserRef::Email(email)) = &self.user {
            let id = client
                .users()
                .resolve(LIST, UserRef::Email(email.clone()))
                .await?;
            self.user = Some(UserRef::Id(id));
        }
        if let Some(SpaceRef::Name(name)) = &self.space {
            let id = client
                .spaces()
                .resolve_id(SpaceRef::Name(name.clone()), self.org.clone())
                .await?;
            self.space = Some(SpaceRef::Id(id));
        }
        if let Some(RoleRef::Name(name)) = &self.role {
            let id = client
                .roles()
                .resolve_id(RoleRef::Name(name.clone()))
                .await?;
            self.role = Some(RoleRef::Id(id));
        }
        Ok(self)
    }

    async fn fetch(
        &self,
        client: &Client,
        limit: Option<u32>,
        cursor: Option<String>,
    ) -> Result<RoleBindingsPage> {
        let user = self.user.as_ref().map(UserRef::as_str);
        fetch_page(client, LIST, &self.kind(), user, limit, cursor).await
    }

    /// The API filters by resource type and user only: a space, project
    /// or role is kept here.
    fn keep(&self, binding: &RoleBinding) -> bool {
        let resource = match (&self.space, &self.project) {
            (Some(space), _) => Some(space.as_str()),
            (None, Some(project)) => Some(project.as_str()),
            (None, None) => None,
        };
        let role = self.role.as_ref().map(RoleRef::as_str);
        resource.is_none_or(|r| binding.resource_id == r)
            && role.is_none_or(|r| binding.role_id == r)
    }

    fn split(page: RoleBindingsPage) -> (Vec<RoleBinding>, Pagination) {
        (page.role_bindings, page.pagination)
    }

    fn join(role_bindings: Vec<RoleBinding>, pagination: Pagination) -> RoleBindingsPage {
        RoleBindingsPage {
            role_bindings,
            pagination,
        }
    }
}

impl ListRoleBindings {
    /// Lists bindings on this kind of resource (`Space` when not set).
    pub fn resource_type(mut self, kind: ResourceType) -> Self {
        self.0.query.kind = Some(kind);
        self
    }

    /// Lists bindings on projects.
    pub fn projects(self) -> Self {
        self.resource_type(ResourceType::Project)
    }

    /// Keeps one user's bindings (by ID or email; for a service key, its
    /// bot user's ID). The API filters by user.
    pub fn user(mut self, user: impl Into<UserRef>) -> Self {
        self.0.query.user = Some(user.into());
        self
    }

    /// Keeps the bindings on one space (by ID or exact name). The API
    /// cannot filter by resource: pages are filtered on this side.
    pub fn space(mut self, space: impl Into<SpaceRef>) -> Self {
        self.0.query.space = Some(space.into());
        self
    }

    /// Looks the [`space`](Self::space) name up in this organization only.
    pub fn organization(mut self, org: impl Into<OrgRef>) -> Self {
        self.0.query.org = Some(org.into());
        self
    }

    /// Keeps the bindings on one project (by ID); implies
    /// [`projects`](Self::projects) only if set so. Filtered on this side.
    pub fn project(mut self, project_id: impl Into<String>) -> Self {
        self.0.query.project = Some(project_id.into());
        self
    }

    /// Keeps the bindings of one role (by ID or exact name). Filtered on
    /// this side.
    pub fn role(mut self, role: impl Into<RoleRef>) -> Self {
        self.0.query.role = Some(role.into());
        self
    }
}

crate::core::paging::listing_builder!(
    ListRoleBindings,
    RoleBinding,
    RoleBindingsPage,
    "role binding",
    "[`Error::InvalidInput`] for bad filters, a limit outside 1..=100 or an empty cursor (nothing is sent); resolution errors for a user, space or role given by email or name; API and transport errors."
);
