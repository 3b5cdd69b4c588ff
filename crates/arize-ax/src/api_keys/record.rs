//! The API-key record (never its secret), a page of them, the bot user of
//! a service key, and a key just issued or refreshed with its secret.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use arize_ax_api::open::{
    self, OrganizationRoleAssignment, SpaceRoleAssignment, UserRoleAssignment,
};
use arize_ax_api::types as raw;

use crate::core::builder::ApiKey as Secret;
use crate::types::{FromRaw, Missing, ResponseObject};

/// Whether a key still works: `Active` or `Revoked`.
pub use arize_ax_api::open::ApiKeyStatus as KeyStatus;
/// The kind of a key: `User` (personal) or `Service` (a bot user's).
pub use arize_ax_api::open::ApiKeyType as KeyType;

/// An API key as listed: its metadata, never its secret (the API returns
/// the secret once, when the key is made or refreshed: see [`IssuedKey`]).
/// Fields the server left out read as empty; `status` as `Active` (the
/// document: "`ACTIVE` when left out").
///
/// ```
/// let key: arize_ax::api_keys::Key = serde_json::from_str(r#"{
///     "id": "QXBpS2V5OjUxNTE=", "name": "laptop", "key_type": "USER",
///     "redacted_key": "ak-3f9...b21"
/// }"#).unwrap();
/// assert_eq!(key.status, arize_ax::api_keys::KeyStatus::Active);
/// assert!(key.bot_user.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct Key {
    /// The key's ID (not its secret).
    pub id: String,
    /// The name chosen for it.
    #[serde(default)]
    pub name: String,
    /// A note about it; empty when unset.
    #[serde(default)]
    pub description: String,
    /// Personal or service; `None` when the server left it out.
    #[serde(default)]
    pub key_type: Option<KeyType>,
    /// Whether it still works.
    #[serde(default = "active")]
    pub status: KeyStatus,
    /// A shortened form of the secret, safe to show.
    #[serde(default)]
    pub redacted_key: String,
    /// When it was made.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// When it stops working; `None`: never (or left out).
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
    /// Who made it; empty when left out.
    #[serde(default)]
    pub created_by_user_id: String,
    /// Roughly when it last authenticated a request.
    #[serde(default)]
    pub last_used_at: Option<DateTime<Utc>>,
    /// A service key's bot user (whose ID role bindings for the key name).
    #[serde(default)]
    pub bot_user: Option<BotUser>,
}

fn active() -> KeyStatus {
    KeyStatus::Active
}

impl ResponseObject for Key {
    const FIELDS: &'static [&'static str] = &[
        "id",
        "name",
        "description",
        "key_type",
        "status",
        "redacted_key",
        "created_at",
        "expires_at",
        "created_by_user_id",
        "last_used_at",
        "bot_user",
    ];
}

/// The service account behind a service key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct BotUser {
    /// Its user ID: the `user` of role bindings for the key.
    pub id: String,
    /// Its display name; empty when the server could not look it up.
    #[serde(default)]
    pub name: String,
    /// Its account role (a `MEMBER` placeholder when `name` is empty).
    #[serde(default)]
    pub account_role: Option<UserRoleAssignment>,
    /// The organizations (and their spaces) it reaches; empty in a listing
    /// by space.
    #[serde(default)]
    pub organizations: Vec<BotOrganization>,
}

/// An organization a bot user reaches, its role there, and its spaces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct BotOrganization {
    /// The organization's ID.
    #[serde(default)]
    pub org_id: String,
    /// The bot user's organization role.
    #[serde(default)]
    pub role: Option<OrganizationRoleAssignment>,
    /// The spaces of it the bot user reaches.
    #[serde(default)]
    pub spaces: Vec<BotSpace>,
}

/// A space a bot user reaches, with its role there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct BotSpace {
    /// The space's ID.
    #[serde(default)]
    pub space_id: String,
    /// The bot user's space role.
    #[serde(default)]
    pub role: Option<SpaceRoleAssignment>,
}

fn id_of(id: Option<raw::Id>) -> String {
    id.map(|id| id.0).unwrap_or_default()
}

fn orgs(organizations: Vec<raw::ServiceKeyBotUserOrgAssignment>) -> Vec<BotOrganization> {
    organizations
        .into_iter()
        .map(|o| BotOrganization {
            org_id: id_of(o.org_id),
            role: o.role,
            spaces: o
                .spaces
                .into_iter()
                .map(|s| BotSpace {
                    space_id: id_of(s.space_id),
                    role: s.role,
                })
                .collect(),
        })
        .collect()
}

fn bot(bot: raw::ServiceKeyBotUser) -> Result<BotUser, Missing> {
    Ok(BotUser {
        id: bot
            .id
            .ok_or(Missing {
                record: "ServiceKeyBotUser",
                field: "id",
            })?
            .0,
        name: bot.name.unwrap_or_default(),
        account_role: bot.account_role,
        organizations: orgs(bot.organizations),
    })
}

/// The fields every kind of key record shares.
macro_rules! key_from {
    ($raw:expr, $record:literal, $kind:expr, $bot:expr) => {{
        let k = $raw;
        Key {
            id: k
                .id
                .ok_or(Missing {
                    record: $record,
                    field: "id",
                })?
                .0,
            name: k.name.unwrap_or_default(),
            description: k.description.unwrap_or_default(),
            key_type: $kind,
            status: k.status.unwrap_or(KeyStatus::Active),
            redacted_key: k.redacted_key.unwrap_or_default(),
            created_at: k.created_at,
            expires_at: k.expires_at,
            created_by_user_id: id_of(k.created_by_user_id),
            last_used_at: k.last_used_at,
            bot_user: $bot,
        }
    }};
}

impl FromRaw<open::ApiKey> for Key {
    fn from_raw(key: open::ApiKey) -> Result<Self, Missing> {
        match key {
            open::ApiKey::User(k) => Ok(key_from!(k, "UserApiKey", Some(KeyType::User), None)),
            open::ApiKey::Service(mut k) => {
                let bot_user = k.bot_user.take().map(bot).transpose()?;
                Ok(key_from!(
                    k,
                    "ServiceApiKey",
                    Some(KeyType::Service),
                    bot_user
                ))
            }
            // A kind this version does not know: its tag and ID, no more
            // (the body may hold anything).
            open::ApiKey::Other(value) => other_key(&value),
            _ => Err(Missing {
                record: "ApiKey",
                field: "key_type",
            }),
        }
    }
}

/// A key of a kind this version does not know: its ID, name and tag.
fn other_key(value: &serde_json::Value) -> Result<Key, Missing> {
    Ok(Key {
        id: value
            .get("id")
            .and_then(serde_json::Value::as_str)
            .ok_or(Missing {
                record: "ApiKey",
                field: "id",
            })?
            .to_owned(),
        name: value
            .get("name")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        description: String::new(),
        key_type: value
            .get("key_type")
            .and_then(serde_json::Value::as_str)
            .map(|t| KeyType::from(t.to_owned())),
        status: KeyStatus::Active,
        redacted_key: String::new(),
        created_at: None,
        expires_at: None,
        created_by_user_id: String::new(),
        last_used_at: None,
        bot_user: None,
    })
}

crate::types::page_type!(
    /// One page of API keys.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
    KeysPage {
        /// The keys on this page.
        api_keys: Key
    } from ListApiKeysResponse
);

/// A key just made or refreshed, with its secret: the only time the API
/// returns it. `Debug` shows the secret as `***`; read it with
/// [`secret`](Self::secret)`.expose_secret()`, and keep it out of logs.
///
/// ```
/// # fn show(issued: arize_ax::api_keys::IssuedKey) {
/// println!("{issued:?}"); // the secret shows as ***
/// let usable = issued.secret.expose_secret(); // for a vault, a dotenv file, a client
/// # }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct IssuedKey {
    /// The key's record (a refresh's has no bot user: it does not change).
    pub key: Key,
    /// The secret, usable as a client's key (`ClientBuilder::api_key`).
    pub secret: Secret,
    /// Keys revoked on the way because an earlier attempt's answer was lost
    /// (each was made, and its secret never arrived): their IDs.
    pub revoked_after_lost_answer: Vec<String>,
}

/// The secret of a create or refresh answer; an answer without one is a
/// decoding error (a key nobody can use must not pass for success).
pub(crate) fn secret_of(key: Option<open::Secret>, method: &'static str) -> crate::Result<Secret> {
    key.map(Secret::from).ok_or_else(|| {
        crate::Error::Decode(crate::DecodeError {
            operation: method,
            expected: "the new key's secret (`key`)",
            reason: "the answer carried no `key`".into(),
            snippet: String::new(),
            source: None,
        })
    })
}

fn created_user(k: raw::CreatedUserApiKey) -> Result<Key, Missing> {
    Ok(key_from!(k, "CreatedUserApiKey", Some(KeyType::User), None))
}

fn created_service(mut k: raw::CreatedServiceApiKey) -> Result<Key, Missing> {
    let bot_user = k
        .bot_user
        .take()
        .map(|b| {
            bot(raw::ServiceKeyBotUser {
                id: b.id,
                name: b.name,
                account_role: b.account_role,
                organizations: b.organizations,
            })
        })
        .transpose()?;
    Ok(key_from!(
        k,
        "CreatedServiceApiKey",
        Some(KeyType::Service),
        bot_user
    ))
}

fn refreshed(mut k: raw::RefreshApiKeyResponse) -> Result<Key, Missing> {
    let kind = k.key_type.take();
    Ok(key_from!(k, "RefreshApiKeyResponse", kind, None))
}

/// A key record from a create answer, and its secret.
pub(crate) fn from_created(
    answer: open::CreateApiKeyResponse,
    method: &'static str,
) -> crate::Result<(Key, Secret)> {
    match answer {
        open::CreateApiKeyResponse::User(mut k) => {
            let secret = secret_of(k.key.take(), method)?;
            Ok((created_user(k).map_err(|m| m.into_error(method))?, secret))
        }
        open::CreateApiKeyResponse::Service(mut k) => {
            let secret = secret_of(k.key.take(), method)?;
            Ok((
                created_service(k).map_err(|m| m.into_error(method))?,
                secret,
            ))
        }
        open::CreateApiKeyResponse::Other(value) => {
            let secret = secret_of(
                value
                    .get("key")
                    .and_then(serde_json::Value::as_str)
                    .map(open::Secret::from),
                method,
            )?;
            let key = other_key(&value).map_err(|m| m.into_error(method))?;
            Ok((key, secret))
        }
        _ => Err(Missing {
            record: "CreateApiKeyResponse",
            field: "key_type",
        }
        .into_error(method)),
    }
}

/// A key record from a refresh answer, and its new secret.
pub(crate) fn from_refreshed(
    mut answer: raw::RefreshApiKeyResponse,
    method: &'static str,
) -> crate::Result<(Key, Secret)> {
    let secret = secret_of(answer.key.take(), method)?;
    Ok((refreshed(answer).map_err(|m| m.into_error(method))?, secret))
}
