//! The resource restrictions API (BETA): restrict a project, dashboard or
//! prompt to its own role bindings (roles bound on its space, organization
//! or account stop reaching it), list the restrictions, lift one.
//!
//! Restricting is idempotent (a resource restricted already is answered
//! with its restriction), so a lost answer is simply asked again. Lifting a
//! restriction that is not there is a 404, except after an attempt whose
//! answer was lost: then it is done ([`Removal::DoneByLostAttempt`]).
//!
//! The listing is filtered for the caller's rights after the server reads
//! a page, so a page may be short or empty while more follow; this crate's
//! listings keep going until the server says there are no more.

mod record;

use arize_ax_api::ops;
use arize_ax_api::types::{self as raw, Id};

use crate::core::client::Client;
use crate::core::error::{Error, Result};
use crate::core::paging::{Listing, Pagination, Query};
use crate::core::removal::Removal;
use crate::types::decode;

pub use record::{Restriction, RestrictionType, RestrictionsPage};

const LIST: &str = "resource_restrictions.list";
const RESTRICT: &str = "resource_restrictions.restrict";
const UNRESTRICT: &str = "resource_restrictions.unrestrict";

/// The method keys of this module and the operations they call.
pub const METHODS: &[(&str, &str)] = &[
    (LIST, ops::LIST_RESOURCE_RESTRICTIONS.id),
    (RESTRICT, ops::CREATE_RESOURCE_RESTRICTION.id),
    (UNRESTRICT, ops::DELETE_RESOURCE_RESTRICTION.id),
];

/// The resource restrictions API (BETA); get it with
/// [`Client::resource_restrictions`].
#[derive(Debug, Clone)]
pub struct ResourceRestrictions {
    client: Client,
}

impl Client {
    /// The resource restrictions API (BETA): projects, dashboards and
    /// prompts reachable only through their own role bindings.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let restriction = client
    ///     .resource_restrictions()
    ///     .restrict("UHJvamVjdDoyNDY4")
    ///     .await?;
    /// println!("{:?} restricted", restriction.resource_type);
    /// # Ok(())
    /// # }
    /// ```
    pub fn resource_restrictions(&self) -> ResourceRestrictions {
        ResourceRestrictions {
            client: self.clone(),
        }
    }
}

impl ResourceRestrictions {
    /// Lists the restrictions the caller may manage: one page with
    /// [`send`](ListRestrictions::send) (or `.await`; an empty page while
    /// more follow only after [`MAX_EMPTY_PAGES`](crate::MAX_EMPTY_PAGES) of
    /// them in a row), or every one with
    /// [`stream`](ListRestrictions::stream).
    ///
    /// ```no_run
    /// use arize_ax::resource_restrictions::RestrictionType;
    /// use futures::TryStreamExt;
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let projects: Vec<_> = client
    ///     .resource_restrictions()
    ///     .list()
    ///     .resource_type(RestrictionType::Project)
    ///     .stream()
    ///     .try_collect()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(&self) -> ListRestrictions {
        ListRestrictions(Listing::new(
            self.client.clone(),
            RestrictionsQuery::default(),
        ))
    }

    /// Restricts a project, dashboard or prompt, by ID; restricting one
    /// that is restricted already succeeds again (and returns its
    /// restriction), so a lost answer is retried safely.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// client.resource_restrictions().restrict("UHJvamVjdDoyNDY4").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a malformed ID, or the ID of a kind of
    /// record that cannot be restricted (a space, an organization, a user,
    /// a role, a binding, a key): nothing is sent. [`Error::Api`] with 400
    /// for an ID the server does not know as a project, dashboard or
    /// prompt, 403 when the caller may not restrict it; transport errors.
    pub async fn restrict(&self, resource_id: impl Into<String>) -> Result<Restriction> {
        let id = resource_id.into();
        check_resource_id(&id)?;
        self.client
            .warn_prerelease(RESTRICT, ops::CREATE_RESOURCE_RESTRICTION);
        let body = raw::CreateResourceRestrictionRequest {
            resource_id: Id(id.clone()),
        };
        let call = self
            .client
            .raw()
            .create_resource_restriction()
            .body(body)
            .send();
        let mut restriction = self.client.call(RESTRICT, call).await?;
        // The restriction is the resource's: an answer that leaves its ID
        // out still names the resource sent (a success is not a failure).
        restriction.resource_id = restriction.resource_id.or(Some(Id(id)));
        decode(RESTRICT, restriction)
    }

    /// Lifts the restriction of a resource (by the resource's own ID:
    /// restrictions have none). A resource that is not restricted is a 404,
    /// unless an earlier attempt of this call, whose answer was lost, did
    /// it ([`Removal::DoneByLostAttempt`]).
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// client.resource_restrictions().unrestrict("UHJvamVjdDoyNDY4").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a malformed ID (nothing is sent);
    /// [`Error::Api`] with 404 for a resource that is not restricted, 403
    /// when the caller may not lift it; transport errors.
    pub async fn unrestrict(&self, resource_id: impl Into<String>) -> Result<Removal> {
        let id = resource_id.into();
        check_resource_id(&id)?;
        self.client
            .warn_prerelease(UNRESTRICT, ops::DELETE_RESOURCE_RESTRICTION);
        let call = self
            .client
            .raw()
            .delete_resource_restriction()
            .resource_id(Id(id.clone()))
            .send();
        let (result, report) = self.client.call_reporting(UNRESTRICT, call).await;
        Removal::judge_noting(UNRESTRICT, result.map(|_| ()), &report, || {
            format!("lifting the restriction of {id}")
        })
    }
}

/// The kinds of record whose IDs are never those of a project, dashboard
/// or prompt (as an ID's decoded text names them).
const NOT_RESTRICTABLE: &[&str] = &[
    "Account",
    "ApiKey",
    "Organization",
    "Role",
    "RoleBinding",
    "Space",
    "User",
];

/// Checks a resource ID before anything is sent: an ID, and not one of a
/// kind of record that cannot be restricted (a space's ID given for a
/// project's, say).
fn check_resource_id(id: &str) -> Result<()> {
    if !crate::core::id::is_id(id) {
        return Err(Error::invalid(
            "resource_id",
            format!(
                "{id:?} is not a valid ID (IDs are standard base64 of text containing ':'); give \
                 the project's, dashboard's or prompt's ID"
            ),
        ));
    }
    if let Some(kind) = crate::core::id::kind_of(id)
        && NOT_RESTRICTABLE.contains(&kind.as_str())
    {
        return Err(Error::invalid(
            "resource_id",
            format!(
                "{id:?} is the ID of a {kind}; only projects, dashboards and prompts can be \
                 restricted"
            ),
        ));
    }
    Ok(())
}

/// A request for resource restrictions; see [`ResourceRestrictions::list`].
#[derive(Debug, Clone)]
#[must_use = "a list request does nothing until sent or streamed"]
pub struct ListRestrictions(Listing<RestrictionsQuery>);

/// The filter of [`ListRestrictions`].
#[derive(Debug, Clone, Default)]
pub(crate) struct RestrictionsQuery {
    kind: Option<RestrictionType>,
}

impl Query for RestrictionsQuery {
    type Item = Restriction;
    type Page = RestrictionsPage;
    const METHOD: &'static str = LIST;
    const OPERATION: &'static arize_ax_api::Operation = ops::LIST_RESOURCE_RESTRICTIONS;

    fn validate(&self) -> Result<()> {
        if let Some(kind) = &self.kind
            && !kind.is_known()
        {
            return Err(Error::invalid(
                "resource_type",
                "must be PROJECT, DASHBOARD or PROMPT",
            ));
        }
        Ok(())
    }

    async fn fetch(
        &self,
        client: &Client,
        limit: Option<u32>,
        cursor: Option<String>,
    ) -> Result<RestrictionsPage> {
        let mut request = client.raw().list_resource_restrictions();
        if let Some(kind) = &self.kind {
            request = request.resource_type(kind.clone());
        }
        let request = crate::core::paging::paged!(request, limit, cursor);
        client
            .call(LIST, request.send())
            .await
            .and_then(|page| decode(LIST, page))
    }

    fn split(page: RestrictionsPage) -> (Vec<Restriction>, Pagination) {
        (page.resource_restrictions, page.pagination)
    }

    fn join(resource_restrictions: Vec<Restriction>, pagination: Pagination) -> RestrictionsPage {
        RestrictionsPage {
            resource_restrictions,
            pagination,
        }
    }
}

impl ListRestrictions {
    /// Keeps restrictions of one kind of resource.
    pub fn resource_type(mut self, kind: RestrictionType) -> Self {
        self.0.query.kind = Some(kind);
        self
    }
}

crate::core::paging::listing_builder!(
    ListRestrictions,
    Restriction,
    RestrictionsPage,
    "restriction",
    "[`Error::InvalidInput`] for a kind this version does not know, a limit outside 1..=100 or an empty cursor (nothing is sent); API and transport errors."
);
