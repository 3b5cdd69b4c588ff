//! API keys: `/v2/api-keys`, `/v2/api-keys/{api_key_id}/refresh` and
//! `/v2/api-keys/{api_key_id}/revoke`. Personal keys act as their creator;
//! a service key acts as a bot user made for it, which reaches the
//! organizations and spaces it was given (and may be bound roles like any
//! user: its ID is a user ID).
//!
//! The fake **honours the keys it issues**: [`authenticate`] finds the key a
//! bearer token is, and the server lets the request through as that key's
//! user until the key is revoked, expires, or is refreshed away (after the
//! grace period). Secrets are random per process (not derived from the
//! seed) but not of cryptographic strength: this is a test server.

use std::hash::{BuildHasher, Hasher};

use arize_ax_api::open::{
    self, ApiKeyStatus, ApiKeyType, OrganizationRole, RoleAssignment, Secret, UserRole,
    UserSpaceRole,
};
use arize_ax_api::types::{self, Id};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::core::{
    Answer, Call, Directory, Event, Ids, Problem, Record, Reply, Table, null_field, pagination,
};

/// The longest grace period of a refresh, in seconds (from the document).
const MAX_GRACE_SECONDS: i64 = 86_400;

/// A space a service key's bot user reaches, with its role there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BotSpace {
    /// The space.
    pub space_id: String,
    /// A built-in space role, or `CUSTOM`.
    pub role: UserSpaceRole,
    /// The custom role's ID, for a `CUSTOM` role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_role_id: Option<String>,
}

/// An organization a service key's bot user reaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BotOrganization {
    /// The organization.
    pub org_id: String,
    /// Its built-in organization role (custom ones are refused).
    pub role: OrganizationRole,
    /// The spaces of it the bot reaches.
    pub spaces: Vec<BotSpace>,
}

/// The bot user behind a service key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BotUser {
    /// Its user ID (what role bindings for the key name).
    pub id: String,
    /// Its display name (the key's name).
    pub name: String,
    /// Its account role.
    pub account_role: UserRole,
    /// What it reaches.
    pub organizations: Vec<BotOrganization>,
}

/// An API key. Its secret never appears in `Debug`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiKey {
    /// The key's ID (not its secret).
    pub id: String,
    /// The name chosen for it.
    pub name: String,
    /// A note; empty when unset.
    #[serde(default)]
    pub description: String,
    /// `USER` or `SERVICE`.
    pub key_type: ApiKeyType,
    /// `ACTIVE` or `REVOKED`.
    pub status: ApiKeyStatus,
    /// The secret that authenticates now.
    pub secret: Secret,
    /// The secret before the last refresh, and until when it still works
    /// (a refresh's grace period).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<(Secret, DateTime<Utc>)>,
    /// The shortened secret, safe to show.
    pub redacted_key: String,
    /// When it was made (the real clock: callers look keys up by it).
    pub created_at: DateTime<Utc>,
    /// When it stops working; `None`: never.
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
    /// Who made it.
    pub created_by_user_id: String,
    /// When it last authenticated a request.
    #[serde(default)]
    pub last_used_at: Option<DateTime<Utc>>,
    /// A service key's bot user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bot_user: Option<BotUser>,
}

impl Record for ApiKey {
    fn id(&self) -> &str {
        &self.id
    }
}

/// Every API key, revoked ones included.
pub type ApiKeys = Table<ApiKey>;

impl ApiKey {
    /// The user a request made with this key acts as: the creator of a
    /// personal key, the bot user of a service key.
    pub fn acts_as(&self) -> &str {
        match &self.bot_user {
            Some(bot) => &bot.id,
            None => &self.created_by_user_id,
        }
    }

    fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.status == ApiKeyStatus::Active && self.expires_at.is_none_or(|at| now < at)
    }
}

/// The key `token` is, if it authenticates at `now` (active, not expired,
/// or the previous secret of one refreshed within its grace period); its
/// `last_used_at` is set. Returns the user the request acts as.
pub fn authenticate(keys: &mut ApiKeys, token: &str, now: DateTime<Utc>) -> Option<String> {
    let id = keys
        .values()
        .find(|k| {
            k.is_live(now)
                && (k.secret.expose_secret() == token
                    || k.previous
                        .as_ref()
                        .is_some_and(|(s, until)| s.expose_secret() == token && now < *until))
        })?
        .id
        .clone();
    keys.update(&id, |k| {
        k.last_used_at = Some(now);
        k.acts_as().to_owned()
    })
}

/// The account role of a service key's bot user (who is a user of the
/// account while the key is not revoked).
pub fn bot_account_role(keys: &ApiKeys, user_id: &str) -> Option<UserRole> {
    keys.values().find_map(|k| {
        k.bot_user
            .as_ref()
            .filter(|b| b.id == user_id && k.status == ApiKeyStatus::Active)
            .map(|b| b.account_role.clone())
    })
}

/// Follows a change elsewhere: a user removed from the account loses their
/// personal keys; a deleted organization takes the service keys that reach
/// it (the document: its API keys go with it).
pub fn follow(keys: &mut ApiKeys, event: &Event) {
    let revoke: Vec<String> = keys
        .values()
        .filter(|k| match event {
            Event::UserRemoved(user) => k.bot_user.is_none() && k.created_by_user_id == *user,
            Event::OrganizationDeleted(org) => k
                .bot_user
                .as_ref()
                .is_some_and(|b| b.organizations.iter().any(|o| o.org_id == *org)),
            _ => false,
        })
        .map(|k| k.id.clone())
        .collect();
    for id in revoke {
        keys.update(&id, |k| k.status = ApiKeyStatus::Revoked);
    }
}

/// A fresh secret: `ak-` and 32 hex digits, from the process's random hash
/// keys and the sequence number.
fn fresh_secret(seq: u64) -> String {
    let word = |salt: u64| {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(seq);
        hasher.write_u64(salt);
        hasher.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        hasher.finish()
    };
    format!("ak-{:016x}{:016x}", word(1), word(2))
}

/// `ak-3f9...b21`: enough to tell keys apart, never enough to use one.
fn redact(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    if chars.len() < 12 {
        return "***".into();
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 3..].iter().collect();
    format!("{head}...{tail}")
}

fn not_found(id: &str) -> Problem {
    Problem::new(404, format!("No API key has the ID {id}."))
}

fn bot_wire(bot: &BotUser, with_orgs: bool) -> types::ServiceKeyBotUser {
    types::ServiceKeyBotUser {
        id: Some(Id(bot.id.clone())),
        name: Some(bot.name.clone()),
        account_role: Some(RoleAssignment::Predefined(bot.account_role.clone())),
        organizations: if with_orgs {
            orgs_wire(bot)
        } else {
            Vec::new()
        },
    }
}

fn orgs_wire(bot: &BotUser) -> Vec<types::ServiceKeyBotUserOrgAssignment> {
    bot.organizations
        .iter()
        .map(|o| types::ServiceKeyBotUserOrgAssignment {
            org_id: Some(Id(o.org_id.clone())),
            role: Some(RoleAssignment::Predefined(o.role.clone())),
            spaces: o
                .spaces
                .iter()
                .map(|s| types::ServiceKeyBotUserSpaceAssignment {
                    space_id: Some(Id(s.space_id.clone())),
                    role: Some(match &s.custom_role_id {
                        Some(id) => RoleAssignment::Custom {
                            id: id.clone(),
                            name: None,
                        },
                        None => RoleAssignment::Predefined(s.role.clone()),
                    }),
                })
                .collect(),
        })
        .collect()
}

fn description(key: &ApiKey) -> Option<String> {
    (!key.description.is_empty()).then(|| key.description.clone())
}

/// A key as listed (no secret); a service key's bot user without its
/// organizations when `with_orgs` is false (a listing by space).
pub fn wire(key: &ApiKey, with_orgs: bool) -> open::ApiKey {
    match &key.bot_user {
        None => open::ApiKey::User(types::UserApiKey {
            id: Some(Id(key.id.clone())),
            name: Some(key.name.clone()),
            description: description(key),
            key_type: Some(types::UserApiKeyKeyType::User),
            status: Some(key.status.clone()),
            redacted_key: Some(key.redacted_key.clone()),
            created_at: Some(key.created_at),
            expires_at: key.expires_at,
            created_by_user_id: Some(Id(key.created_by_user_id.clone())),
            last_used_at: key.last_used_at,
        }),
        Some(bot) => open::ApiKey::Service(types::ServiceApiKey {
            id: Some(Id(key.id.clone())),
            name: Some(key.name.clone()),
            description: description(key),
            key_type: Some(types::ServiceApiKeyKeyType::Service),
            status: Some(key.status.clone()),
            redacted_key: Some(key.redacted_key.clone()),
            created_at: Some(key.created_at),
            expires_at: key.expires_at,
            created_by_user_id: Some(Id(key.created_by_user_id.clone())),
            last_used_at: key.last_used_at,
            bot_user: Some(bot_wire(bot, with_orgs)),
        }),
    }
}

/// A key just made, with its secret (the only answer but a refresh's that
/// carries it).
fn created_wire(key: &ApiKey) -> open::CreateApiKeyResponse {
    let secret = Some(key.secret.clone());
    match &key.bot_user {
        None => open::CreateApiKeyResponse::User(types::CreatedUserApiKey {
            id: Some(Id(key.id.clone())),
            name: Some(key.name.clone()),
            description: description(key),
            key_type: Some(types::CreatedUserApiKeyKeyType::User),
            status: Some(key.status.clone()),
            redacted_key: Some(key.redacted_key.clone()),
            created_at: Some(key.created_at),
            expires_at: key.expires_at,
            created_by_user_id: Some(Id(key.created_by_user_id.clone())),
            last_used_at: key.last_used_at,
            key: secret,
        }),
        Some(bot) => open::CreateApiKeyResponse::Service(types::CreatedServiceApiKey {
            id: Some(Id(key.id.clone())),
            name: Some(key.name.clone()),
            description: description(key),
            key_type: Some(types::CreatedServiceApiKeyKeyType::Service),
            status: Some(key.status.clone()),
            redacted_key: Some(key.redacted_key.clone()),
            created_at: Some(key.created_at),
            expires_at: key.expires_at,
            created_by_user_id: Some(Id(key.created_by_user_id.clone())),
            last_used_at: key.last_used_at,
            bot_user: Some(types::CreatedServiceKeyBotUser {
                id: Some(Id(bot.id.clone())),
                name: Some(bot.name.clone()),
                account_role: Some(RoleAssignment::Predefined(bot.account_role.clone())),
                organizations: orgs_wire(bot),
            }),
            key: secret,
        }),
    }
}

/// The caller of a request, who must be known to make keys.
fn caller(call: &Call) -> Answer<&str> {
    call.caller
        .as_deref()
        .ok_or_else(|| Problem::new(403, "The caller is not a user of the account."))
}

fn parse_kind(text: &str) -> Answer<ApiKeyType> {
    let kind = ApiKeyType::from(text.to_owned());
    match kind.is_known() {
        true => Ok(kind),
        false => Err(Problem::new(400, "key_type must be USER or SERVICE.")),
    }
}

/// `GET /v2/api-keys`: the caller's personal keys by default (another
/// user's with `user_id`, for account admins); with `space_id`, the service
/// keys that reach that space (`user_id` then keeps those its user made).
/// `status` is `ACTIVE` when left out.
pub fn list(keys: &ApiKeys, directory: &dyn Directory, call: &Call) -> Answer<Reply> {
    let kind = call
        .single("key_type")?
        .map(|t| parse_kind(&t))
        .transpose()?;
    let status = match call.single("status")? {
        None => ApiKeyStatus::Active,
        Some(text) => {
            let status = ApiKeyStatus::from(text);
            if !status.is_known() {
                return Err(Problem::new(400, "status must be ACTIVE or REVOKED."));
            }
            status
        }
    };
    let space = call.single("space_id")?;
    let user = call.single("user_id")?;
    let limit = call.limit()?;
    let cursor = call.single("cursor")?;
    if let Some(user) = &user
        && directory.user_account_role(user).is_none()
    {
        return Err(Problem::new(404, format!("No user has the ID {user}.")));
    }
    let (page, next, with_orgs) = match &space {
        Some(space) => {
            if directory.space_organization(space).is_none() {
                return Err(Problem::new(404, format!("No space has the ID {space}.")));
            }
            if kind == Some(ApiKeyType::User) {
                return Err(Problem::new(
                    400,
                    "space_id lists service keys; key_type USER cannot go with it.",
                ));
            }
            let (page, next) = keys.page(cursor.as_deref(), limit, |k| {
                k.status == status
                    && user.as_deref().is_none_or(|u| k.created_by_user_id == u)
                    && k.bot_user.as_ref().is_some_and(|b| {
                        b.organizations
                            .iter()
                            .any(|o| o.spaces.iter().any(|s| s.space_id == *space))
                    })
            })?;
            (page, next, false)
        }
        None => {
            if kind == Some(ApiKeyType::Service) {
                return Err(Problem::new(
                    400,
                    "Service keys are listed per space: give space_id.",
                ));
            }
            let me = caller(call)?;
            let owner = user.as_deref().unwrap_or(me);
            if owner != me && directory.user_account_role(me) != Some(UserRole::Admin) {
                return Err(Problem::new(
                    403,
                    "Only account admins may list another user's keys.",
                ));
            }
            let (page, next) = keys.page(cursor.as_deref(), limit, |k| {
                k.status == status && k.bot_user.is_none() && k.created_by_user_id == owner
            })?;
            (page, next, true)
        }
    };
    Ok(Reply::json(
        200,
        &types::ListApiKeysResponse {
            api_keys: page.into_iter().map(|k| wire(k, with_orgs)).collect(),
            pagination: Some(pagination(next)),
        },
    ))
}

/// A bot user's organizations and spaces, checked against the document's
/// rules (404 for an organization, space or custom role the account lacks;
/// 400 for a space of another organization; 422 for a custom or
/// `ANNOTATOR` organization role and an `ANNOTATOR` space role).
fn assignments(
    directory: &dyn Directory,
    requested: Vec<types::ServiceKeyOrgAssignment>,
) -> Answer<Vec<BotOrganization>> {
    if requested.is_empty() || requested.len() > 100 {
        return Err(Problem::new(
            422,
            "organizations must list 1 to 100 organizations.",
        ));
    }
    let mut out = Vec::with_capacity(requested.len());
    for org in requested {
        let org_id = org.org_id.0;
        if !directory.organization_exists(&org_id) {
            return Err(Problem::new(
                404,
                format!("No organization has the ID {org_id}."),
            ));
        }
        let role = match org.role {
            None => OrganizationRole::ReadOnly,
            Some(types::OrganizationRoleAssignmentRequest::CustomRoleAssignmentRequest(_)) => {
                return Err(Problem::new(
                    422,
                    "Custom roles are not supported at the organization level yet.",
                ));
            }
            Some(types::OrganizationRoleAssignmentRequest::PredefinedRoleAssignmentRequest(r)) => {
                r.name
            }
        };
        if role == OrganizationRole::Annotator || !role.is_known() {
            return Err(Problem::new(
                422,
                "A service key's organization role is ADMIN, MEMBER or READ_ONLY.",
            ));
        }
        if org.spaces.is_empty() {
            return Err(Problem::new(
                422,
                format!("Organization {org_id} lists no space; give at least one."),
            ));
        }
        let mut spaces = Vec::with_capacity(org.spaces.len());
        for space in org.spaces {
            let space_id = space.space_id.0;
            match directory.space_organization(&space_id) {
                None => {
                    return Err(Problem::new(
                        404,
                        format!("No space has the ID {space_id}."),
                    ));
                }
                Some(holder) if holder != org_id => {
                    return Err(Problem::new(
                        400,
                        format!("Space {space_id} does not belong to organization {org_id}."),
                    ));
                }
                Some(_) => {}
            }
            let (role, custom_role_id) = match space.role {
                None => (UserSpaceRole::Member, None),
                Some(types::SpaceRoleAssignmentRequest::PredefinedRoleAssignmentRequest(r)) => {
                    (r.name, None)
                }
                Some(types::SpaceRoleAssignmentRequest::CustomRoleAssignmentRequest(r)) => {
                    if directory.custom_role_name(&r.id.0).is_none() {
                        return Err(Problem::new(
                            404,
                            format!("No custom role has the ID {}.", r.id.0),
                        ));
                    }
                    (UserSpaceRole::from("CUSTOM".to_owned()), Some(r.id.0))
                }
            };
            if role == UserSpaceRole::Annotator {
                return Err(Problem::new(
                    422,
                    "A service key cannot be given the space role ANNOTATOR.",
                ));
            }
            spaces.push(BotSpace {
                space_id,
                role,
                custom_role_id,
            });
        }
        out.push(BotOrganization {
            org_id,
            role,
            spaces,
        });
    }
    Ok(out)
}

fn check_future(expires_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Answer<()> {
    match expires_at {
        Some(at) if at <= now => Err(Problem::new(422, "expires_at must be in the future.")),
        _ => Ok(()),
    }
}

/// `POST /v2/api-keys`: a personal key for the caller, or a service key
/// with a new bot user; 201 with the secret, the only time it is shown.
pub fn create(
    keys: &mut ApiKeys,
    ids: &mut Ids,
    directory: &dyn Directory,
    call: &Call,
) -> Answer<Reply> {
    let (body, raw) = call.typed::<types::CreateApiKeyRequest>(diagnose_create)?;
    for (field, wanted) in [
        ("expires_at", "a date-time"),
        ("description", "a string"),
        ("account_role", "an object"),
    ] {
        null_field(&raw, field, wanted)?;
    }
    let creator = caller(call)?.to_owned();
    let now = Utc::now();
    let (name, description, expires_at, bot) = match body {
        types::CreateApiKeyRequest::UserApiKeyRequest(r) => (
            String::from(r.name),
            r.description.map(String::from).unwrap_or_default(),
            r.expires_at,
            None,
        ),
        types::CreateApiKeyRequest::ServiceApiKeyRequest(r) => {
            let account_role = match r.account_role {
                None => UserRole::Member,
                Some(types::UserRoleAssignmentRequest::CustomUserRoleAssignmentRequest(_)) => {
                    return Err(Problem::new(
                        422,
                        "Custom roles are not supported at the account level yet.",
                    ));
                }
                Some(types::UserRoleAssignmentRequest::PredefinedUserRoleAssignmentRequest(p)) => {
                    p.name
                }
            };
            if matches!(account_role, UserRole::MemberUiOnly | UserRole::Annotator) {
                return Err(Problem::new(
                    400,
                    "A service key's account role cannot be MEMBER_UI_ONLY or ANNOTATOR.",
                ));
            }
            if !account_role.is_known() {
                return Err(Problem::new(422, "account_role.name is not a known role."));
            }
            let organizations = assignments(directory, r.organizations)?;
            let name = String::from(r.name);
            let bot_seq = ids.next_seq();
            let bot = BotUser {
                id: ids.make_id("User", bot_seq),
                name: name.clone(),
                account_role,
                organizations,
            };
            (
                name,
                r.description.map(String::from).unwrap_or_default(),
                r.expires_at,
                Some(bot),
            )
        }
    };
    check_future(expires_at, now)?;
    let seq = ids.next_seq();
    let secret = fresh_secret(seq);
    let key = ApiKey {
        id: ids.make_id("ApiKey", seq),
        name,
        description,
        key_type: if bot.is_some() {
            ApiKeyType::Service
        } else {
            ApiKeyType::User
        },
        status: ApiKeyStatus::Active,
        redacted_key: redact(&secret),
        secret: Secret::new(secret),
        previous: None,
        created_at: now,
        expires_at,
        created_by_user_id: creator,
        last_used_at: None,
        bot_user: bot,
    };
    let key = keys
        .insert(seq, key)
        .map_err(|_| Problem::new(500, "An API key ID repeated."))?;
    Ok(Reply::json(201, &created_wire(key)).changed())
}

/// `POST /v2/api-keys/{api_key_id}/refresh`: a new secret, the old one
/// valid for the grace period (never past its own expiry); the expiry may
/// shorten, never lengthen, and a key that expires must be given one.
pub fn refresh(
    keys: &mut ApiKeys,
    ids: &mut Ids,
    directory: &dyn Directory,
    call: &Call,
) -> Answer<Reply> {
    let body: types::RefreshApiKeyRequest = if call.body.iter().all(u8::is_ascii_whitespace) {
        types::RefreshApiKeyRequest::default()
    } else {
        let (body, raw) = call.typed::<types::RefreshApiKeyRequest>(|_| Ok(()))?;
        null_field(&raw, "expires_at", "a date-time")?;
        null_field(&raw, "grace_period_seconds", "an integer")?;
        body
    };
    let id = call.param("api_key_id");
    let key = keys
        .get(id)
        .filter(|k| may_manage(k, directory, call))
        .ok_or_else(|| not_found(id))?;
    let now = Utc::now();
    if key.status != ApiKeyStatus::Active {
        return Err(Problem::new(400, format!("API key {id} is revoked.")));
    }
    let grace = body.grace_period_seconds.unwrap_or(0);
    if !(0..=MAX_GRACE_SECONDS).contains(&grace) {
        return Err(Problem::new(
            422,
            format!("grace_period_seconds must be from 0 to {MAX_GRACE_SECONDS}."),
        ));
    }
    match (key.expires_at, body.expires_at) {
        (Some(_), None) => {
            return Err(Problem::new(
                422,
                "This key expires: give expires_at (no later than its current expiry).",
            ));
        }
        (Some(old), Some(new)) if new > old => {
            return Err(Problem::new(
                422,
                format!("expires_at may not be later than the key's current expiry, {old}."),
            ));
        }
        _ => {}
    }
    check_future(body.expires_at, now)?;
    let secret = fresh_secret(ids.next_seq());
    let key = keys
        .update(id, |k| {
            let old = std::mem::replace(&mut k.secret, Secret::new(secret.clone()));
            let until = now + chrono::Duration::seconds(grace);
            let until = k.expires_at.map_or(until, |at| until.min(at));
            k.previous = (grace > 0).then_some((old, until));
            k.redacted_key = redact(&secret);
            if body.expires_at.is_some() {
                k.expires_at = body.expires_at;
            }
            k.clone()
        })
        .expect("found above");
    Ok(Reply::json(
        200,
        &types::RefreshApiKeyResponse {
            id: Some(Id(key.id.clone())),
            name: Some(key.name.clone()),
            description: description(&key),
            key_type: Some(key.key_type.clone()),
            status: Some(key.status.clone()),
            redacted_key: Some(key.redacted_key.clone()),
            created_at: Some(key.created_at),
            expires_at: key.expires_at,
            created_by_user_id: Some(Id(key.created_by_user_id.clone())),
            last_used_at: key.last_used_at,
            key: Some(key.secret.clone()),
        },
    )
    .changed())
}

/// Whether the caller may refresh or revoke `key`: its creator, or an
/// account admin. Anyone else is answered 404, so that key IDs cannot be
/// probed. (The space-level permissions of service keys are not modelled:
/// the fake's other callers are account admins or the keys' own users.)
fn may_manage(key: &ApiKey, directory: &dyn Directory, call: &Call) -> bool {
    match call.caller.as_deref() {
        None => false,
        Some(caller) => {
            caller == key.created_by_user_id
                || directory.user_account_role(caller) == Some(UserRole::Admin)
        }
    }
}

/// `PUT /v2/api-keys/{api_key_id}/revoke`: 204, again for a revoked key.
pub fn revoke(keys: &mut ApiKeys, directory: &dyn Directory, call: &Call) -> Answer<Reply> {
    let id = call.param("api_key_id");
    if !keys.get(id).is_some_and(|k| may_manage(k, directory, call)) {
        return Err(not_found(id));
    }
    keys.update(id, |k| {
        k.status = ApiKeyStatus::Revoked;
        k.previous = None;
    })
    .ok_or_else(|| not_found(id))?;
    Ok(Reply::no_content())
}

/// Why a create body does not fit its schema, in Arize's words.
fn diagnose_create(body: &Map<String, Value>) -> Answer<()> {
    match body.get("key_type").and_then(Value::as_str) {
        Some("USER" | "SERVICE") => {}
        _ => return Err(Problem::new(422, "key_type must be USER or SERVICE.")),
    }
    match body.get("name") {
        Some(Value::String(name)) if name.chars().count() > 256 => Err(Problem::new(
            422,
            "name must be at most 256 characters long.",
        )),
        Some(Value::String(_)) => Ok(()),
        Some(_) => Err(Problem::new(422, "name must be a string.")),
        None => Err(Problem::new(422, "name is required.")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_fresh_and_redacted() {
        let (a, b) = (fresh_secret(1), fresh_secret(1));
        assert_ne!(a, b);
        assert_eq!(a.len(), 35);
        let shown = redact(&a);
        assert!(shown.starts_with("ak-") && shown.contains("..."), "{shown}");
        assert!(!shown.contains(&a[6..a.len() - 3]));
    }
}
