//! The API keys API (BETA): personal keys and service keys (a bot user made
//! for the key, reaching the spaces it is given). List, create, refresh
//! (a new secret for the same key), revoke.
//!
//! **The secret is a secret.** The API returns it once, in the answer to a
//! create or a refresh; this crate hands it over as an [`ApiKey`](crate::ApiKey)
//! inside an [`IssuedKey`], whose `Debug` shows `***`, and never writes it
//! to a log or an error.
//!
//! **No orphaned key after a lost answer.** A create whose answer is lost
//! may have made a key whose secret nobody holds. The facade never leaves
//! it live: it lists the keys of that name made since the attempt (those
//! that were not there before it), revokes them, and creates again (now
//! safe); when the second answer is lost too, it revokes again and fails
//! with [`Error::KeyRevokedAfterLostAnswer`].
//! A refresh whose answer is lost rotated the key: it is sent again, which
//! rotates once more and voids the lost secret (which still works for the
//! grace period, when one was asked for).

mod create;
mod record;
mod refresh;

use arize_ax_api::ops;
use arize_ax_api::types::Id;
use futures::TryStreamExt;

use crate::core::checks::check_id;
use crate::core::client::Client;
use crate::core::error::{Ambiguous, Error, Kind, NotFound, Result};
use crate::core::paging::{Listing, Pagination, Query};
use crate::refs::{OrgRef, SpaceRef, UserRef};
use crate::types::decode;

pub use create::CreateApiKey;
pub use record::{
    BotOrganization, BotSpace, BotUser, IssuedKey, Key, KeyStatus, KeyType, KeysPage,
};
pub use refresh::{KeyRef, RefreshApiKey};

const LIST: &str = "api_keys.list";
const CREATE: &str = "api_keys.create";
const REFRESH: &str = "api_keys.refresh";
const REVOKE: &str = "api_keys.revoke";

/// The method keys of this module and the operations they call.
pub const METHODS: &[(&str, &str)] = &[
    (LIST, ops::LIST_API_KEYS.id),
    (CREATE, ops::CREATE_API_KEY.id),
    (REFRESH, ops::REFRESH_API_KEY.id),
    (REVOKE, ops::REVOKE_API_KEY.id),
];

/// The API keys API (BETA); get it with [`Client::api_keys`].
#[derive(Debug, Clone)]
pub struct ApiKeys {
    client: Client,
}

impl Client {
    /// The API keys API (BETA): personal and service keys.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let issued = client
    ///     .api_keys()
    ///     .create_service("nightly-evals")
    ///     .space("ranking", arize_ax::SpaceRole::Member)
    ///     .expires_in(std::time::Duration::from_secs(90 * 86_400))
    ///     .await?;
    /// // Store issued.secret.expose_secret() in a vault; it is shown once.
    /// # Ok(())
    /// # }
    /// ```
    pub fn api_keys(&self) -> ApiKeys {
        ApiKeys {
            client: self.clone(),
        }
    }
}

impl ApiKeys {
    /// Lists keys: by default the caller's personal keys that are active;
    /// with [`space`](ListApiKeys::space), the service keys of that space
    /// (one page with [`send`](ListApiKeys::send), or every one with
    /// [`stream`](ListApiKeys::stream)). Secrets are never listed.
    ///
    /// ```no_run
    /// use futures::TryStreamExt;
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let service: Vec<arize_ax::api_keys::Key> =
    ///     client.api_keys().list().space("ranking").stream().try_collect().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(&self) -> ListApiKeys {
        ListApiKeys(Listing::new(self.client.clone(), KeysQuery::default()))
    }

    /// Starts making a personal key, which acts as the caller.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let issued = client.api_keys().create("laptop").description("dev box").await?;
    /// println!("{} {}", issued.key.id, issued.key.redacted_key);
    /// # Ok(())
    /// # }
    /// ```
    pub fn create(&self, name: impl Into<String>) -> CreateApiKey {
        CreateApiKey::personal(self.client.clone(), name.into())
    }

    /// Starts making a service key: a bot user made for it reaches the
    /// spaces given with [`space`](CreateApiKey::space) (at least one) and
    /// their organizations.
    pub fn create_service(&self, name: impl Into<String>) -> CreateApiKey {
        CreateApiKey::service(self.client.clone(), name.into())
    }

    /// Starts refreshing a key: same ID, a new secret (the old one stops
    /// working at once, or after [`grace_period`](RefreshApiKey::grace_period)).
    /// Given a [`Key`] record (from a listing or [`find`](Self::find)), the
    /// document's expiry rules are checked before anything is sent.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let key = client.api_keys().find("laptop", None).await?;
    /// let issued = client
    ///     .api_keys()
    ///     .refresh(&key)
    ///     .grace_period(std::time::Duration::from_secs(3600))
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn refresh(&self, key: impl Into<KeyRef>) -> RefreshApiKey {
        RefreshApiKey::new(self.client.clone(), key.into())
    }

    /// Revokes a key by ID; it stops authenticating at once. Revoking a
    /// revoked key changes nothing and succeeds again, so this is safe to
    /// repeat.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// client.api_keys().revoke("QXBpS2V5OjUxNTE=").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a malformed ID (nothing is sent);
    /// [`Error::Api`] with 404 for a key the caller cannot see; API and
    /// transport errors.
    pub async fn revoke(&self, key_id: impl Into<String>) -> Result<()> {
        let id = key_id.into();
        check_id("api_key", &id)?;
        self.client.warn_prerelease(REVOKE, ops::REVOKE_API_KEY);
        self.revoke_id(REVOKE, &id).await
    }

    async fn revoke_id(&self, method: &'static str, id: &str) -> Result<()> {
        let call = self
            .client
            .raw()
            .revoke_api_key()
            .api_key_id(Id(id.to_owned()))
            .send();
        self.client.call(method, call).await.map(drop)
    }

    /// The one active key named exactly `name`: among the caller's personal
    /// keys, and the service keys of `space` when one is given.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let key = client.api_keys().find("nightly-evals", Some("ranking".into())).await?;
    /// client.api_keys().revoke(key.id).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] (with similar names) or [`Error::Ambiguous`]
    /// unless exactly one key has the name; [`Error::InvalidInput`] for an
    /// empty name; listing errors.
    pub async fn find(&self, name: &str, space: Option<SpaceRef>) -> Result<Key> {
        crate::core::checks::check_text("name", name)?;
        let mut keys: Vec<Key> = self.list().stream().try_collect().await?;
        if let Some(space) = space {
            keys.extend(
                self.list()
                    .space(space)
                    .stream()
                    .try_collect::<Vec<Key>>()
                    .await?,
            );
        }
        let (exact, other): (Vec<Key>, Vec<Key>) = keys.into_iter().partition(|k| k.name == name);
        match exact.len() {
            1 => Ok(exact.into_iter().next().expect("one")),
            0 => {
                let needle = name.to_lowercase();
                Err(Error::NotFound(NotFound {
                    kind: Kind::ApiKey,
                    query: name.to_owned(),
                    similar: other
                        .into_iter()
                        .map(|k| k.name)
                        .filter(|n| n.to_lowercase().contains(&needle))
                        .take(10)
                        .collect(),
                }))
            }
            _ => Err(Error::Ambiguous(Ambiguous {
                kind: Kind::ApiKey,
                query: name.to_owned(),
                ids: exact.into_iter().map(|k| k.id).collect(),
                places: Vec::new(),
            })),
        }
    }
}

/// Fetches one page of keys.
async fn fetch_page(
    client: &Client,
    method: &'static str,
    query: &KeysQuery,
    limit: Option<u32>,
    cursor: Option<String>,
) -> Result<KeysPage> {
    let mut request = client.raw().list_api_keys();
    if let Some(kind) = &query.kind {
        request = request.key_type(kind.clone());
    }
    if let Some(status) = &query.status {
        request = request.status(status.clone());
    }
    if let Some(space) = &query.space {
        request = request.space_id(Id(space.as_str().to_owned()));
    }
    if let Some(user) = &query.user {
        request = request.user_id(Id(user.as_str().to_owned()));
    }
    let request = crate::core::paging::paged!(request, limit, cursor);
    client
        .call(method, request.send())
        .await
        .and_then(|page| decode(method, page))
}

/// A request for API keys; see [`ApiKeys::list`].
#[derive(Debug, Clone)]
#[must_use = "a list request does nothing until sent or streamed"]
pub struct ListApiKeys(Listing<KeysQuery>);

/// The filters of [`ListApiKeys`]; a space name and a user's email are
/// resolved once, before the first page.
#[derive(Debug, Clone, Default)]
pub(crate) struct KeysQuery {
    kind: Option<KeyType>,
    status: Option<KeyStatus>,
    space: Option<SpaceRef>,
    org: Option<OrgRef>,
    user: Option<UserRef>,
}

impl Query for KeysQuery {
    type Item = Key;
    type Page = KeysPage;
    const METHOD: &'static str = LIST;
    const OPERATION: &'static arize_ax_api::Operation = ops::LIST_API_KEYS;

    fn validate(&self) -> Result<()> {
        if let Some(kind) = &self.kind {
            match (kind, &self.space) {
                (KeyType::User, Some(_)) => {
                    return Err(Error::invalid(
                        "key_type",
                        "a space lists service keys; USER cannot go with it",
                    ));
                }
                (KeyType::Service, None) => {
                    return Err(Error::invalid(
                        "key_type",
                        "service keys are listed per space: give a space",
                    ));
                }
                (k, _) if !k.is_known() => {
                    return Err(Error::invalid("key_type", "must be USER or SERVICE"));
                }
                _ => {}
            }
        }
        if let Some(status) = &self.status
            && !status.is_known()
        {
            return Err(Error::invalid("status", "must be ACTIVE or REVOKED"));
        }
        if let Some(org) = &self.org {
            org.validate()?;
            if !matches!(self.space, Some(SpaceRef::Name(_))) {
                return Err(Error::invalid(
                    "organization",
                    "narrows a space name; give a space by name too",
                ));
            }
        }
        if let Some(space) = &self.space {
            space.validate()?;
        }
        if let Some(user) = &self.user {
            user.validate()?;
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
                .resolve_id(SpaceRef::Name(name.clone()), self.org.take())
                .await?;
            self.space = Some(SpaceRef::Id(id));
        }
        Ok(self)
    }

    async fn fetch(
        &self,
        client: &Client,
        limit: Option<u32>,
        cursor: Option<String>,
    ) -> Result<KeysPage> {
        fetch_page(client, LIST, self, limit, cursor).await
    }

    fn split(page: KeysPage) -> (Vec<Key>, Pagination) {
        (page.api_keys, page.pagination)
    }

    fn join(api_keys: Vec<Key>, pagination: Pagination) -> KeysPage {
        KeysPage {
            api_keys,
            pagination,
        }
    }
}

impl ListApiKeys {
    /// Keeps keys of one kind (`Service` needs a [`space`](Self::space)).
    pub fn key_type(mut self, kind: KeyType) -> Self {
        self.0.query.kind = Some(kind);
        self
    }

    /// Keeps keys in this status (`Active` when not set).
    pub fn status(mut self, status: KeyStatus) -> Self {
        self.0.query.status = Some(status);
        self
    }

    /// Lists the service keys of this space (by ID or exact name); their
    /// bot users come without organizations in such a listing.
    pub fn space(mut self, space: impl Into<SpaceRef>) -> Self {
        self.0.query.space = Some(space.into());
        self
    }

    /// Looks the [`space`](Self::space) name up in this organization only.
    pub fn organization(mut self, org: impl Into<OrgRef>) -> Self {
        self.0.query.org = Some(org.into());
        self
    }

    /// Without a space: this user's personal keys (account admins only);
    /// with one: the service keys this user made. By ID or email.
    pub fn user(mut self, user: impl Into<UserRef>) -> Self {
        self.0.query.user = Some(user.into());
        self
    }
}

crate::core::paging::listing_builder!(
    ListApiKeys,
    Key,
    KeysPage,
    "API key",
    "[`Error::InvalidInput`] for filters that cannot go together, a limit outside 1..=100 or an empty cursor (nothing is sent); resolution errors for a space or user given by name or email; API and transport errors."
);
