//! The spaces API (BETA): the spaces an organization holds and their
//! members. A space is named by ID or by name; names are unique only inside
//! one organization, so a name is resolved within the organization given
//! (`organization(…)`), or else among every space the key can see, where it
//! must match exactly one.

use arize_ax_api::limits::NAME_FILTER_MAX_LEN;
use arize_ax_api::ops;
use arize_ax_api::types::Id;

use crate::core::checks::{check_len, check_text};
use crate::core::client::Client;
use crate::core::error::{Error, Kind, Result};
use crate::core::future::awaitable;
use crate::core::paging::{Listing, Query, RESOLVE_PAGE_SIZE, find_exact};
use crate::refs::OrgRef;
pub use crate::refs::SpaceRef;
use crate::types::{Pagination, Space, SpacesPage, decode};

mod bulk;
mod members;
mod write;

pub use bulk::{AddSpaceUsers, RemoveSpaceUsers};
pub use members::{AddSpaceUser, RemoveSpaceUser, SpaceMembership};
pub use write::{CreateSpace, DeleteSpace, UpdateSpace};

const METHOD: &str = "spaces.list";

/// The method keys of this module and the operations they call.
pub const METHODS: &[(&str, &str)] = &[
    (METHOD, ops::LIST_SPACES.id),
    ("spaces.get", ops::GET_SPACE.id),
    ("spaces.create", ops::CREATE_SPACE.id),
    ("spaces.update", ops::UPDATE_SPACE.id),
    ("spaces.delete", ops::DELETE_SPACE.id),
    ("spaces.add_user", ops::ADD_SPACE_USER.id),
    ("spaces.remove_user", ops::REMOVE_SPACE_USER.id),
];

/// The spaces API; get it with [`Client::spaces`].
#[derive(Debug, Clone)]
pub struct Spaces {
    client: Client,
}

impl Client {
    /// The spaces API (BETA): the spaces of an organization and their
    /// members.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let page = client.spaces().list().organization("research").send().await?;
    /// let space = client.spaces().get("ranking").organization("research").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn spaces(&self) -> Spaces {
        Spaces::new(self.clone())
    }
}

impl From<&Space> for SpaceRef {
    fn from(space: &Space) -> Self {
        SpaceRef::Id(space.id.clone())
    }
}

/// Where a space is: its reference and, for a name, the organization that
/// narrows the search.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub(crate) space: SpaceRef,
    pub(crate) org: Option<OrgRef>,
}

impl Target {
    pub(crate) fn new(space: impl Into<SpaceRef>) -> Self {
        Target {
            space: space.into(),
            org: None,
        }
    }

    pub(crate) fn validate(&self) -> Result<()> {
        self.space.validate()?;
        if let Some(org) = &self.org {
            org.validate()?;
        }
        Ok(())
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

    /// Gets a space by ID or exact name. A name is looked for in the
    /// organization given with [`organization`](GetSpace::organization), or
    /// else among every space the key can see, where it must match exactly
    /// one (two organizations may each have a space of that name).
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let space = client.spaces().get("ranking").organization("research").await?;
    /// println!("{} {} in {:?}", space.id, space.name, space.organization_id);
    /// # Ok(())
    /// # }
    /// ```
    pub fn get(&self, space: impl Into<SpaceRef>) -> GetSpace {
        GetSpace {
            client: self.client.clone(),
            target: Target::new(space),
        }
    }

    /// Resolves a space reference to its ID: an ID as it is, a name as
    /// [`get`](Self::get) finds it.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let id = client.spaces().resolve_id("ranking", Some("research".into())).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get).
    pub async fn resolve_id(
        &self,
        space: impl Into<SpaceRef>,
        org: Option<OrgRef>,
    ) -> Result<String> {
        let target = Target {
            space: space.into(),
            org,
        };
        target.validate()?;
        self.resolve("spaces.resolve", target).await
    }

    /// The ID of a space; a name is resolved (one listing), an ID is used
    /// as given.
    pub(crate) async fn resolve(&self, method: &'static str, target: Target) -> Result<String> {
        match target.space {
            SpaceRef::Id(id) => Ok(id),
            SpaceRef::Name(name) => Ok(self.find_by_name(method, &name, target.org).await?.id),
        }
    }

    /// The space itself (a name costs a listing, an ID a get).
    pub(crate) async fn fetch(&self, method: &'static str, target: Target) -> Result<Space> {
        match target.space {
            SpaceRef::Id(id) => self.get_by_id(method, &id).await,
            SpaceRef::Name(name) => self.find_by_name(method, &name, target.org).await,
        }
    }

    async fn get_by_id(&self, method: &'static str, id: &str) -> Result<Space> {
        let call = self
            .client
            .raw()
            .get_space()
            .space_id(Id(id.to_owned()))
            .send();
        self.client
            .call(method, call)
            .await
            .and_then(|space| decode(method, space))
    }

    /// Pages through the name filter (a case-insensitive substring match on
    /// the server), within one organization when one is given, and keeps
    /// exact, case-sensitive matches. Several matches in different
    /// organizations are ambiguous, naming them.
    async fn find_by_name(
        &self,
        method: &'static str,
        name: &str,
        org: Option<OrgRef>,
    ) -> Result<Space> {
        let client = &self.client;
        let org_id = match org {
            Some(org) => Some(client.organizations().resolve(method, org).await?),
            None => None,
        };
        let org_id = org_id.as_deref();
        let found = find_exact(
            method,
            Kind::Space,
            name,
            |cursor| async move {
                let query = SpacesQuery {
                    org: org_id.map(OrgRef::id),
                    name: Some(name.to_owned()),
                };
                let page = query
                    .fetch_page(client, method, Some(RESOLVE_PAGE_SIZE), cursor)
                    .await?;
                Ok((page.spaces, page.pagination))
            },
            |space: &Space| space.name == name,
            |space| (space.id.clone(), space.name.clone()),
            |space| space.organization_id.clone(),
        )
        .await;
        match found {
            Err(Error::Ambiguous(mut ambiguous)) => {
                // Name the organizations for people: best effort, one get
                // each; an ID stays when its name cannot be read.
                for place in &mut ambiguous.places {
                    if let Ok(org) = client.organizations().get(OrgRef::id(place.clone())).await {
                        *place = format!("{:?} ({})", org.name, org.id);
                    }
                }
                Err(Error::Ambiguous(ambiguous))
            }
            other => other,
        }
    }
}

/// A request for one space; see [`Spaces::get`]. Await it, or call
/// [`send`](Self::send).
#[derive(Debug, Clone)]
#[must_use = "a get request does nothing until awaited"]
pub struct GetSpace {
    client: Client,
    target: Target,
}

impl GetSpace {
    /// Looks for a space name in this organization only (by name or ID).
    /// Ignored for a space given by ID.
    pub fn organization(mut self, org: impl Into<OrgRef>) -> Self {
        self.target.org = Some(org.into());
        self
    }

    /// Gets the space.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a malformed reference (nothing is sent);
    /// [`Error::NotFound`] or [`Error::Ambiguous`] when a name does not
    /// resolve to one space; [`Error::Api`] with 404 for an unknown ID; the
    /// organization's resolution errors; transport errors.
    pub async fn send(self) -> Result<Space> {
        const METHOD: &str = "spaces.get";
        self.target.validate()?;
        self.client.warn_prerelease(METHOD, ops::GET_SPACE);
        Spaces::new(self.client).fetch(METHOD, self.target).await
    }
}

awaitable!(GetSpace => Space);

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
        self.fetch_page(client, METHOD, limit, cursor).await
    }

    fn split(page: SpacesPage) -> (Vec<Space>, Pagination) {
        (page.spaces, page.pagination)
    }

    fn join(spaces: Vec<Space>, pagination: Pagination) -> SpacesPage {
        SpacesPage { spaces, pagination }
    }
}

impl SpacesQuery {
    /// One page of the listing, for `method` (the listing's, or a
    /// resolution's).
    async fn fetch_page(
        &self,
        client: &Client,
        method: &'static str,
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
            .call(method, request.send())
            .await
            .and_then(|page| decode(method, page))
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
