//! Making a key, personal or service, and never leaving one live whose
//! secret was lost with its answer.

use std::collections::HashSet;
use std::time::Duration;

use arize_ax_api::limits::{
    API_KEY_DESCRIPTION_MAX_LEN, API_KEY_NAME_MAX_LEN, SERVICE_KEY_ORGANIZATIONS_MAX,
};
use arize_ax_api::open::UserRole;
use arize_ax_api::ops;
use arize_ax_api::types as raw;
use chrono::{DateTime, Utc};
use futures::TryStreamExt;

use crate::api_keys::record::{IssuedKey, Key, from_created};
use crate::api_keys::{ApiKeys, CREATE, KeyStatus};
use crate::core::checks::{check_len, check_text, request_value};
use crate::core::client::Client;
use crate::core::error::{Error, Kind, Result};
use crate::core::future::awaitable;
use crate::core::warning::note;
use crate::refs::{OrgRef, SpaceRef};
use crate::role::OrgRole;

/// How many times a create is sent when answers are lost (each lost one is
/// followed by revoking what it made).
const ATTEMPTS: u32 = 2;

/// How long after the last attempt the keys of that name are searched once
/// more, for a key a timed-out attempt made late.
const SETTLE: Duration = Duration::from_secs(1);

/// What a service key's bot user reaches.
#[derive(Debug, Clone, Default)]
struct Reach {
    account_role: Option<UserRole>,
    spaces: Vec<(SpaceRef, OrgRole)>,
    org_roles: Vec<(OrgRef, OrgRole)>,
    org: Option<OrgRef>,
}

/// A request to make an API key; see [`ApiKeys::create`] and
/// [`ApiKeys::create_service`].
///
/// Before sending, the keys already named so are noted (one listing), so
/// that after a lost answer the key the attempt made, and only it, can be
/// found and revoked (its secret never arrived). The create is then sent
/// again; see the [module](crate::api_keys) documentation.
#[derive(Debug, Clone)]
#[must_use = "a create request does nothing until sent or awaited"]
pub struct CreateApiKey {
    client: Client,
    name: String,
    description: Option<String>,
    expires_at: Option<DateTime<Utc>>,
    expires_in: Option<Duration>,
    service: Option<Reach>,
}

impl CreateApiKey {
    pub(crate) fn personal(client: Client, name: String) -> Self {
        CreateApiKey {
            client,
            name,
            description: None,
            expires_at: None,
            expires_in: None,
            service: None,
        }
    }

    pub(crate) fn service(client: Client, name: String) -> Self {
        CreateApiKey {
            service: Some(Reach::default()),
            ..CreateApiKey::personal(client, name)
        }
    }

    /// A note about the key (at most 1000 characters).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// When the key stops working (in the future). Left out, it never
    /// expires, unless the account limits key lifetimes.
    pub fn expires_at(mut self, at: DateTime<Utc>) -> Self {
        self.expires_at = Some(at);
        self.expires_in = None;
        self
    }

    /// The key stops working this long after it is sent.
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        self.expires_in = Some(lifetime);
        self.expires_at = None;
        self
    }

    /// A space the service key reaches (by ID or exact name), with the bot
    /// user's role there (`Member` is the API's default; `Annotator` is
    /// refused; a custom role by name or ID is allowed). Repeat for more
    /// spaces; their organizations are found from them. Personal keys
    /// refuse it.
    pub fn space(mut self, space: impl Into<SpaceRef>, role: OrgRole) -> Self {
        self.service
            .get_or_insert_with(Reach::default)
            .spaces
            .push((space.into(), role));
        self
    }

    /// The bot user's role in an organization of its spaces (by ID or exact
    /// name; `ReadOnly` when not set; built-in roles only, not `Annotator`).
    pub fn organization_role(mut self, org: impl Into<OrgRef>, role: OrgRole) -> Self {
        self.service
            .get_or_insert_with(Reach::default)
            .org_roles
            .push((org.into(), role));
        self
    }

    /// Looks space names up in this organization only.
    pub fn organization(mut self, org: impl Into<OrgRef>) -> Self {
        self.service.get_or_insert_with(Reach::default).org = Some(org.into());
        self
    }

    /// The bot user's account role (`Member` when not set; `Admin` or
    /// `Member`: the API refuses the others).
    pub fn account_role(mut self, role: UserRole) -> Self {
        self.service.get_or_insert_with(Reach::default).account_role = Some(role);
        self
    }

    /// Checks everything that can be checked before sending.
    fn validate(&self) -> Result<Option<DateTime<Utc>>> {
        check_text("name", &self.name)?;
        check_len("name", &self.name, API_KEY_NAME_MAX_LEN)?;
        if let Some(d) = &self.description {
            check_len("description", d, API_KEY_DESCRIPTION_MAX_LEN)?;
        }
        let expires_at = match (self.expires_at, self.expires_in) {
            (Some(at), _) => Some(at),
            (None, Some(lifetime)) => Some(
                chrono::Duration::from_std(lifetime)
                    .ok()
                    .and_then(|d| Utc::now().checked_add_signed(d))
                    .ok_or_else(|| Error::invalid("expires_in", "is too long"))?,
            ),
            (None, None) => None,
        };
        if let Some(at) = expires_at
            && at <= Utc::now()
        {
            return Err(Error::invalid(
                "expires_at",
                format!("must be in the future (got {at})"),
            ));
        }
        let Some(reach) = &self.service else {
            return Ok(expires_at);
        };
        if reach.spaces.is_empty() {
            return Err(Error::invalid(
                "spaces",
                "a service key reaches at least one space: give one with space(…)",
            ));
        }
        if let Some(role) = &reach.account_role
            && !matches!(role, UserRole::Admin | UserRole::Member)
        {
            return Err(Error::invalid(
                "account_role",
                format!(
                    "a service key's account role is ADMIN or MEMBER (got {})",
                    role.as_str()
                ),
            ));
        }
        for (space, role) in &reach.spaces {
            space.validate()?;
            role.validate()?;
            if *role == OrgRole::Annotator {
                return Err(Error::invalid(
                    "space_role",
                    "a service key cannot be given the space role ANNOTATOR",
                ));
            }
        }
        for (org, role) in &reach.org_roles {
            org.validate()?;
            if matches!(role, OrgRole::Annotator | OrgRole::Custom(_)) {
                return Err(Error::invalid(
                    "organization_role",
                    "a service key's organization role is ADMIN, MEMBER or READ_ONLY (custom \
                     roles are not supported there yet)",
                ));
            }
        }
        if let Some(org) = &reach.org {
            org.validate()?;
        }
        Ok(expires_at)
    }

    /// Sends the request.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for bad input (nothing is sent); resolution
    /// errors for spaces, organizations and custom roles given by name;
    /// [`Error::KeyRevokedAfterLostAnswer`] when every attempt's answer was
    /// lost (what they made was revoked); [`Error::MaybeCreated`] when an
    /// answer was lost and the search for what it made failed too; API and
    /// transport errors.
    pub async fn send(self) -> Result<IssuedKey> {
        let expires_at = self.validate()?;
        self.client.warn_prerelease(CREATE, ops::CREATE_API_KEY);
        let body = self.body(expires_at).await?;
        let keys = self.client.api_keys();
        // The space whose service keys (or the caller's personal keys) a
        // key of this name would show up among.
        let among = match &body {
            raw::CreateApiKeyRequest::ServiceApiKeyRequest(r) => {
                Some(r.organizations[0].spaces[0].space_id.0.clone())
            }
            raw::CreateApiKeyRequest::UserApiKeyRequest(_) => None,
        };
        // The keys of that name already there, so that after a lost answer
        // only what an attempt made is revoked. Listing a space's service
        // keys needs more than making one (SERVICE_KEY_READ, which space
        // admins have; members may create): without it, the key is made
        // all the same, but a lost answer can then only be reported.
        let before = match named(&keys, &self.name, among.as_deref()).await {
            Ok(before) => Some(before),
            Err(e) if e.status() == Some(403) => None,
            Err(e) => return Err(e),
        };
        let mut revoked = Vec::new();
        let mut attempt = 0;
        let mut lost_any = false;
        loop {
            attempt += 1;
            let call = self.client.raw().create_api_key().body(body.clone()).send();
            let (result, report) = self.client.call_reporting(CREATE, call).await;
            let e = match result.and_then(|answer| from_created(answer, CREATE)) {
                Ok((key, secret)) => {
                    if lost_any && let Some(before) = &before {
                        // An attempt still being processed when the search
                        // ran (a timeout) may show up a moment later: made
                        // by the same caller (the creator of this key).
                        let late = self
                            .settle(&keys, among.as_deref(), before, &revoked, Some(&key))
                            .await;
                        revoked.extend(late);
                    }
                    return Ok(IssuedKey {
                        key,
                        secret,
                        revoked_after_lost_answer: revoked,
                    });
                }
                Err(e) if report.may_have_taken_effect || answered(&e) => e,
                Err(e) => return Err(e),
            };
            lost_any = true;
            // A success (2xx) that could not be read (no secret, a field of
            // another shape) would come the same way again: what it made is
            // revoked, and it is not sent again.
            let unreadable = answered(&e);
            let Some(before) = &before else {
                return Err(Error::MaybeCreated {
                    kind: Kind::ApiKey,
                    name: self.name,
                    source: Box::new(e),
                });
            };
            // The key may exist, and its secret is lost: find what this
            // attempt made (a key of that name that was not there before)
            // and revoke it.
            let orphans = match orphans(&keys, &self.name, among.as_deref(), before, &revoked).await
            {
                Ok(orphans) => orphans,
                Err(_) => {
                    return Err(Error::MaybeCreated {
                        kind: Kind::ApiKey,
                        name: self.name,
                        source: Box::new(e),
                    });
                }
            };
            for id in orphans {
                if keys.revoke_id(CREATE, &id).await.is_err() {
                    note(
                        CREATE,
                        &format!(
                            "API key {id} ({:?}) was made by an attempt whose answer was lost, \
                             and revoking it failed: revoke it",
                            self.name
                        ),
                    );
                    return Err(Error::MaybeCreated {
                        kind: Kind::ApiKey,
                        name: self.name,
                        source: Box::new(e),
                    });
                }
                note(
                    CREATE,
                    &format!(
                        "the answer to creating API key {:?} was lost, so its secret never \
                         arrived: the key it made ({id}) was revoked",
                        self.name
                    ),
                );
                revoked.push(id);
            }
            if attempt >= ATTEMPTS || unreadable {
                let late = self
                    .settle(&keys, among.as_deref(), before, &revoked, None)
                    .await;
                revoked.extend(late);
                return Err(Error::KeyRevokedAfterLostAnswer {
                    name: self.name,
                    attempts: attempt,
                    revoked,
                    source: Box::new(e),
                });
            }
        }
    }

    /// One more search, a moment after the last attempt, for a key an
    /// earlier attempt made while the first search ran (a request still
    /// being processed after a timeout); what it finds is revoked. After a
    /// success (`issued`), only keys of the same creator count, and never
    /// the key issued. Best effort: what it cannot do is said in a note.
    async fn settle(
        &self,
        keys: &ApiKeys,
        among: Option<&str>,
        before: &HashSet<String>,
        revoked: &[String],
        issued: Option<&Key>,
    ) -> Vec<String> {
        tokio::time::sleep(SETTLE).await;
        let found = match orphans_of(keys, &self.name, among, before, revoked).await {
            Ok(found) => found,
            Err(e) => {
                note(
                    CREATE,
                    &format!(
                        "after a lost answer, the last search for API keys named {:?} failed \
                         ({e}); list them and revoke any made just now that you do not hold",
                        self.name
                    ),
                );
                return Vec::new();
            }
        };
        let mut late = Vec::new();
        for key in found {
            if let Some(issued) = issued
                && (key.id == issued.id
                    || (!issued.created_by_user_id.is_empty()
                        && key.created_by_user_id != issued.created_by_user_id))
            {
                continue;
            }
            match keys.revoke_id(CREATE, &key.id).await {
                Ok(()) => {
                    note(
                        CREATE,
                        &format!(
                            "API key {} ({:?}), made by an attempt whose answer was lost, \
                             showed up late: revoked",
                            key.id, self.name
                        ),
                    );
                    late.push(key.id);
                }
                Err(e) => note(
                    CREATE,
                    &format!(
                        "API key {} ({:?}), made by an attempt whose answer was lost, is live \
                         and revoking it failed ({e}): revoke it",
                        key.id, self.name
                    ),
                ),
            }
        }
        late
    }

    /// The request body, with spaces, organizations and custom roles
    /// resolved to IDs.
    async fn body(&self, expires_at: Option<DateTime<Utc>>) -> Result<raw::CreateApiKeyRequest> {
        let Some(reach) = &self.service else {
            return Ok(raw::CreateApiKeyRequest::UserApiKeyRequest(
                raw::CreateUserApiKeyRequest {
                    key_type: raw::CreateUserApiKeyRequestKeyType::User,
                    name: request_value("name", self.name.clone())?,
                    description: self
                        .description
                        .clone()
                        .map(|d| request_value("description", d))
                        .transpose()?,
                    expires_at,
                },
            ));
        };
        // Each space, with its organization, in the order given.
        let mut organizations: Vec<raw::ServiceKeyOrgAssignment> = Vec::new();
        for (space, role) in &reach.spaces {
            let mut get = self.client.spaces().get(space.clone());
            if let (Some(org), SpaceRef::Name(_)) = (&reach.org, space) {
                get = get.organization(org.clone());
            }
            let found = get.await?;
            let org_id = found.organization_id.clone().ok_or_else(|| {
                Error::invalid(
                    "space",
                    format!(
                        "the server did not say which organization holds space {}",
                        found.id
                    ),
                )
            })?;
            let role = self
                .client
                .roles()
                .custom_by_id(CREATE, role.clone())
                .await?;
            let assignment = raw::ServiceKeySpaceAssignment {
                space_id: raw::Id(found.id.clone()),
                role: Some(role.to_space_request()),
            };
            match organizations.iter_mut().find(|o| o.org_id.0 == org_id) {
                Some(org) => org.spaces.push(assignment),
                None => organizations.push(raw::ServiceKeyOrgAssignment {
                    org_id: raw::Id(org_id),
                    role: None,
                    spaces: vec![assignment],
                }),
            }
        }
        for (org, role) in &reach.org_roles {
            let id = self.client.organizations().resolve_id(org.clone()).await?;
            let Some(target) = organizations.iter_mut().find(|o| o.org_id.0 == id) else {
                return Err(Error::invalid(
                    "organization_role",
                    format!(
                        "organization {} holds none of the key's spaces; give one of its spaces \
                         with space(…)",
                        org.as_str()
                    ),
                ));
            };
            target.role = Some(role.to_request());
        }
        if organizations.len() > SERVICE_KEY_ORGANIZATIONS_MAX {
            return Err(Error::invalid(
                "spaces",
                format!(
                    "a service key reaches at most {SERVICE_KEY_ORGANIZATIONS_MAX} organizations"
                ),
            ));
        }
        Ok(raw::CreateApiKeyRequest::ServiceApiKeyRequest(
            raw::CreateServiceApiKeyRequest {
                key_type: raw::CreateServiceApiKeyRequestKeyType::Service,
                name: request_value("name", self.name.clone())?,
                description: self
                    .description
                    .clone()
                    .map(|d| request_value("description", d))
                    .transpose()?,
                expires_at,
                account_role: reach.account_role.clone().map(|name| {
                    raw::UserRoleAssignmentRequest::PredefinedUserRoleAssignmentRequest(
                        raw::PredefinedUserRoleAssignmentRequest {
                            name,
                            type_: raw::PredefinedUserRoleAssignmentRequestType::Predefined,
                        },
                    )
                }),
                organizations,
            },
        ))
    }
}

awaitable!(CreateApiKey => IssuedKey);

/// The active keys named `name`: the caller's personal keys, or the
/// service keys of space `among`.
async fn keys_named(keys: &ApiKeys, name: &str, among: Option<&str>) -> Result<Vec<Key>> {
    let mut listing = keys.list().status(KeyStatus::Active);
    if let Some(space) = among {
        listing = listing.space(SpaceRef::Id(space.to_owned()));
    }
    let all: Vec<Key> = listing.stream().try_collect().await?;
    Ok(all.into_iter().filter(|k| k.name == name).collect())
}

/// The IDs of the keys named `name` before the create.
async fn named(keys: &ApiKeys, name: &str, among: Option<&str>) -> Result<HashSet<String>> {
    Ok(keys_named(keys, name, among)
        .await?
        .into_iter()
        .map(|k| k.id)
        .collect())
}

/// The keys an attempt may have made: named `name`, not there before the
/// create, not revoked already (by this create).
async fn orphans_of(
    keys: &ApiKeys,
    name: &str,
    among: Option<&str>,
    before: &HashSet<String>,
    revoked: &[String],
) -> Result<Vec<Key>> {
    Ok(keys_named(keys, name, among)
        .await?
        .into_iter()
        .filter(|k| !before.contains(&k.id) && !revoked.contains(&k.id))
        .collect())
}

/// Their IDs.
async fn orphans(
    keys: &ApiKeys,
    name: &str,
    among: Option<&str>,
    before: &HashSet<String>,
    revoked: &[String],
) -> Result<Vec<String>> {
    Ok(orphans_of(keys, name, among, before, revoked)
        .await?
        .into_iter()
        .map(|k| k.id)
        .collect())
}

/// Whether an error is a success (2xx) that could not be used: a body that
/// could not be read, or a 2xx status the document does not list. The
/// server did the work.
pub(crate) fn answered(e: &Error) -> bool {
    match e {
        Error::Decode(_) => true,
        Error::Api(api) => (200..300).contains(&api.status),
        _ => false,
    }
}
