//! The spaces API (BETA): the spaces an organization holds.

use arize_ax_api::limits::NAME_FILTER_MAX_LEN;
use arize_ax_api::ops;
use arize_ax_api::types::Id;

use crate::core::checks::{check_len, check_text};
use crate::core::client::Client;
#[cfg(doc)]
use crate::core::error::Error;
use crate::core::error::Result;
use crate::core::paging::{Listing, Query};
use crate::refs::OrgRef;
use crate::types::{Pagination, Space, SpacesPage, decode};

const METHOD: &str = "spaces.list";

/// The method keys of this module and the operations they call.
pub const METHODS: &[(&str, &str)] = &[(METHOD, ops::LIST_SPACES.id)];

/// The spaces the key can see; get it with [`Client::spaces`].
#[derive(Debug, Clone)]
pub struct Spaces {
    client: Client,
}

impl Client {
    /// The spaces API (BETA): the spaces of an organization.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let page = client.spaces().list().organization("research").send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn spaces(&self) -> Spaces {
        Spaces::new(self.clone())
    }
}

impl Spaces {
    pub(crate) fn new(client: Client) -> Self {
        Spaces { client }
    }

    /// Lists spaces, optionally of one organization: one page with
    /// [`send`](ListSpaces::send) (or `.await`), or every one with
    /// [`stream`](ListSpaces::stream).
    ///
    /// ```no_run
    /// use futures::TryStreamExt;
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let spaces: Vec<arize_ax::Space> =
    ///     client.spaces().list().organization("research").stream().try_collect().await?;
    /// for space in &spaces {
    ///     println!("{} {}{}", space.id, space.name, if space.is_private { " (private)" } else { "" });
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(&self) -> ListSpaces {
        ListSpaces(Listing::new(self.client.clone(), SpacesQuery::default()))
    }
}

/// A request for spaces; see [`Spaces::list`].
#[derive(Debug, Clone)]
#[must_use = "a list request does nothing until sent or streamed"]
pub struct ListSpaces(Listing<SpacesQuery>);

/// The filters of [`ListSpaces`]; the organization is resolved to its ID
/// once, before the first page.
#[derive(Debug, Clone, Default)]
pub(crate) struct SpacesQuery {
    org: Option<OrgRef>,
    name: Option<String>,
}

impl Query for SpacesQuery {
    type Item = Space;
    type Page = SpacesPage;
    const METHOD: &'static str = METHOD;
    const OPERATION: &'static arize_ax_api::Operation = ops::LIST_SPACES;

    fn validate(&self) -> Result<()> {
        if let Some(org) = &self.org {
            org.validate()?;
        }
        if let Some(name) = &self.name {
            check_text("name", name)?;
            check_len("name", name, NAME_FILTER_MAX_LEN)?;
        }
        Ok(())
    }

    async fn prepare(mut self, client: &Client) -> Result<Self> {
        if let Some(OrgRef::Name(name)) = &self.org {
            let id = client
                .organizations()
                .resolve(METHOD, OrgRef::Name(name.clone()))
                .await?;
            self.org = Some(OrgRef::Id(id));
        }
        Ok(self)
    }

    async fn fetch(
        &self,
        client: &Client,
        limit: Option<u32>,
        cursor: Option<String>,
    ) -> Result<SpacesPage> {
        let mut request = client.raw().list_spaces();
        if let Some(org) = &self.org {
            request = request.org_id(Id(org.as_str().to_owned()));
        }
        if let Some(name) = &self.name {
            request = request.name(name.as_str());
        }
        let request = crate::core::paging::paged!(request, limit, cursor);
        client
            .call(METHOD, request.send())
            .await
            .and_then(|page| decode(METHOD, page))
    }

    fn split(page: SpacesPage) -> (Vec<Space>, Pagination) {
        (page.spaces, page.pagination)
    }
}

impl ListSpaces {
    /// Keeps the spaces of this organization (by name or ID; a name is
    /// resolved to its ID first).
    pub fn organization(mut self, org: impl Into<OrgRef>) -> Self {
        self.0.query.org = Some(org.into());
        self
    }

    /// Keeps spaces whose name contains this text, ignoring case.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.0.query.name = Some(name.into());
        self
    }
}

crate::core::paging::listing_builder!(
    ListSpaces,
    Space,
    SpacesPage,
    "space",
    "[`Error::InvalidInput`] for a limit outside 1..=100 or an empty name filter or cursor (nothing is sent); resolution errors for the organization; API and transport errors."
);
