//! The spaces API (BETA): the spaces an organization holds.

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use arize_ax_api::limits::NAME_FILTER_MAX_LEN;
use arize_ax_api::ops;
use arize_ax_api::types::Id;
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};

use crate::client::Client;
#[cfg(doc)]
use crate::error::Error;
use crate::error::Result;
use crate::organizations::Organizations;
use crate::paging::{check_limit, stream_pages};
use crate::refs::{OrgRef, check_len, check_text};
use crate::types::{Space, SpacesPage};

type BoxFuture<T> = Pin<Box<dyn Future<Output = Result<T>> + Send + 'static>>;

const METHOD: &str = "spaces.list";

/// The spaces the key can see; get it with [`Client::spaces`].
#[derive(Debug, Clone)]
pub struct Spaces {
    client: Client,
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
        ListSpaces {
            client: self.client.clone(),
            org: None,
            name: None,
            limit: None,
            cursor: None,
        }
    }
}

/// A request for spaces; see [`Spaces::list`].
#[derive(Debug, Clone)]
#[must_use = "a list request does nothing until sent or streamed"]
pub struct ListSpaces {
    client: Client,
    org: Option<OrgRef>,
    name: Option<String>,
    limit: Option<u32>,
    cursor: Option<String>,
}

impl ListSpaces {
    /// Keeps the spaces of this organization (by name or ID; a name is
    /// resolved to its ID first).
    pub fn organization(mut self, org: impl Into<OrgRef>) -> Self {
        self.org = Some(org.into());
        self
    }

    /// Keeps spaces whose name contains this text, ignoring case.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Page size, 1 to 100 (the server's default is 50).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Continues from a page's `pagination.next_cursor`.
    pub fn cursor(mut self, cursor: impl Into<String>) -> Self {
        self.cursor = Some(cursor.into());
        self
    }

    fn validate(&self) -> Result<()> {
        if let Some(org) = &self.org {
            org.validate()?;
        }
        if let Some(name) = &self.name {
            check_text("name", name)?;
            check_len("name", name, NAME_FILTER_MAX_LEN)?;
        }
        check_limit(self.limit)?;
        if let Some(cursor) = &self.cursor {
            check_text("cursor", cursor)?;
        }
        Ok(())
    }

    /// The organization's ID, resolved once.
    async fn org_id(client: &Client, org: Option<OrgRef>) -> Result<Option<String>> {
        match org {
            None => Ok(None),
            Some(org) => Organizations::new(client.clone())
                .resolve(METHOD, org)
                .await
                .map(Some),
        }
    }

    /// Fetches one page.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a limit outside 1..=100 or an empty name
    /// filter or cursor (nothing is sent); resolution errors for the
    /// organization; API and transport errors.
    pub async fn send(self) -> Result<SpacesPage> {
        self.validate()?;
        self.client.warn_prerelease(METHOD, ops::LIST_SPACES);
        let org_id = Self::org_id(&self.client, self.org).await?;
        fetch_page(
            &self.client,
            org_id.as_deref(),
            self.name.as_deref(),
            self.limit,
            self.cursor.as_deref(),
        )
        .await
    }

    /// Every matching space, lazily, following cursors until the server
    /// says there are no more. An error ends the stream.
    pub fn stream(self) -> BoxStream<'static, Result<Space>> {
        if let Err(e) = self.validate() {
            return stream::once(async move { Err(e) }).boxed();
        }
        self.client.warn_prerelease(METHOD, ops::LIST_SPACES);
        let ListSpaces {
            client,
            org,
            name,
            limit,
            cursor,
        } = self;
        stream::once(async move {
            let org_id = Self::org_id(&client, org).await?;
            Ok(stream_pages(METHOD, cursor, move |cursor| {
                let (client, org_id, name) = (client.clone(), org_id.clone(), name.clone());
                async move {
                    let page = fetch_page(
                        &client,
                        org_id.as_deref(),
                        name.as_deref(),
                        limit,
                        cursor.as_deref(),
                    )
                    .await?;
                    Ok((page.spaces, page.pagination))
                }
            }))
        })
        .try_flatten()
        .boxed()
    }
}

impl IntoFuture for ListSpaces {
    type Output = Result<SpacesPage>;
    type IntoFuture = BoxFuture<SpacesPage>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// Fetches one page of spaces.
pub(crate) async fn fetch_page(
    client: &Client,
    org_id: Option<&str>,
    name: Option<&str>,
    limit: Option<u32>,
    cursor: Option<&str>,
) -> Result<SpacesPage> {
    let mut request = client.raw().list_spaces();
    if let Some(org_id) = org_id {
        request = request.org_id(Id(org_id.to_owned()));
    }
    if let Some(name) = name {
        request = request.name(name);
    }
    if let Some(limit) = limit {
        request = request.limit(u64::from(limit));
    }
    if let Some(cursor) = cursor {
        request = request.cursor(cursor);
    }
    client
        .call(METHOD, request.send())
        .await
        .map(SpacesPage::from)
}
