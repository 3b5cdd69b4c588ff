//! `arize-ax api-keys …`

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use arize_ax::api_keys::{IssuedKey, Key, KeyRef, KeyStatus, KeyType};
use arize_ax::{Client, OrgRole, UserRole};
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand, ValueEnum};
use futures::TryStreamExt;

use crate::args::{Global, Paging, parse_role};
use crate::args::{parse_duration, parse_time};
use crate::confirm::type_to_confirm;
use crate::env_file;
use crate::failure::Failure;
use crate::listing;
use crate::output::{self, Record, time_cell};
use crate::terminal::printable;

/// The variable an `--env-file` receives.
const ENV_NAME: &str = arize_ax::env::API_KEY;

/// `arize-ax api-keys [API FLAGS] COMMAND`
#[derive(Debug, Args)]
pub struct ApiKeysArgs {
    #[command(subcommand)]
    pub command: ApiKeys,
}

/// A key's kind, for `list --type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// Personal keys.
    User,
    /// Service keys (need --space).
    Service,
}

/// A key's status, for `list --status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Status {
    /// Keys that work.
    Active,
    /// Revoked keys.
    Revoked,
}

/// A service key's account role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AccountRole {
    /// Account administrator.
    Admin,
    /// Account member (the default).
    Member,
}

/// When a new or refreshed key stops working.
#[derive(Debug, Args)]
pub struct Expiry {
    /// An RFC 3339 time, e.g. 2027-01-01T00:00:00Z.
    #[arg(long, value_parser = parse_time, conflicts_with = "expires_in")]
    expires_at: Option<DateTime<Utc>>,
    /// A lifetime from now: 90d, 12h, 2w…
    #[arg(long, value_parser = parse_duration)]
    expires_in: Option<Duration>,
}

impl Expiry {
    /// The expiry asked for, checked (in the future, not too far) before
    /// anything is sent or looked up.
    fn at(&self) -> Result<Option<DateTime<Utc>>, Failure> {
        if let Some(at) = self.expires_at {
            if at <= Utc::now() {
                return Err(Failure::usage(format!(
                    "invalid --expires-at: must be in the future (got {at})"
                )));
            }
            return Ok(Some(at));
        }
        match self.expires_in {
            None => Ok(None),
            Some(lifetime) => chrono::Duration::from_std(lifetime)
                .ok()
                .and_then(|d| Utc::now().checked_add_signed(d))
                .map(Some)
                .ok_or_else(|| Failure::usage("invalid --expires-in: it is too long")),
        }
    }
}

/// Where service keys are looked for: a space, narrowed by organization.
#[derive(Debug, Args)]
pub struct Among {
    /// Also look among the service keys of this space (name or ID).
    #[arg(long)]
    space: Option<String>,
    /// The organization a --space name is looked for in.
    #[arg(long, requires = "space")]
    org: Option<String>,
}

/// `arize-ax api-keys …`
#[derive(Debug, Subcommand)]
pub enum ApiKeys {
    /// List keys (never their secrets): your active personal keys by
    /// default; a space's service keys with --space.
    List {
        /// Only keys of this kind (service needs --space).
        #[arg(long = "type", value_enum)]
        kind: Option<Kind>,
        /// Keys in this status (default: active).
        #[arg(long, value_enum)]
        status: Option<Status>,
        /// The service keys of this space (name or ID).
        #[arg(long)]
        space: Option<String>,
        /// The organization a --space name is looked for in.
        #[arg(long, requires = "space")]
        org: Option<String>,
        /// Without --space: this user's personal keys (account admins);
        /// with it: the service keys this user made. ID or email.
        #[arg(long)]
        user: Option<String>,
        #[command(flatten)]
        paging: Paging,
    },
    /// Make a personal key, which acts as you.
    ///
    /// The secret is printed once (the `key` column of a table or CSV,
    /// with a note on stderr; the `key` field in JSON); with --env-file it
    /// goes into that file instead and is not printed. A lost answer never leaves a live key
    /// nobody holds: what it made is found and revoked, and the key made
    /// again.
    Create {
        /// The key's name (at most 256 characters).
        name: String,
        /// A note about the key.
        #[arg(long)]
        description: Option<String>,
        #[command(flatten)]
        expiry: Expiry,
        /// Write ARIZE_API_KEY=<secret> into this dotenv file (other lines
        /// kept; mode 0600; atomic; never through a symlink) instead of
        /// printing it. If the write fails, the new key is revoked.
        #[arg(long, value_name = "PATH")]
        env_file: Option<PathBuf>,
    },
    /// Make a service key: a bot user that reaches the spaces given.
    CreateServiceKey {
        /// The key's name (the bot user's name too).
        name: String,
        /// A space it reaches (name or ID); repeat for more. Their
        /// organizations are found from them.
        #[arg(long = "space", value_name = "SPACE", required = true)]
        spaces: Vec<String>,
        /// The organization --space names are looked for in.
        #[arg(long)]
        org: Option<String>,
        /// The bot user's role in those spaces: member (default), admin,
        /// read-only, or custom:NAME.
        #[arg(long, value_parser = parse_role, default_value = "member")]
        space_role: OrgRole,
        /// Its role in their organizations: read-only (default), member or
        /// admin.
        #[arg(long, value_parser = parse_role)]
        org_role: Option<OrgRole>,
        /// Its account role.
        #[arg(long, value_enum)]
        account_role: Option<AccountRole>,
        /// A note about the key.
        #[arg(long)]
        description: Option<String>,
        #[command(flatten)]
        expiry: Expiry,
        /// As for `create`: the secret goes into this dotenv file.
        #[arg(long, value_name = "PATH")]
        env_file: Option<PathBuf>,
    },
    /// Give a key a new secret (same ID); the old one stops at once, or
    /// after --grace-period.
    ///
    /// A refresh can shorten a key's life, never lengthen it: a key that
    /// expires needs --expires-at/--expires-in no later than its expiry
    /// (checked before sending when the key is found by name or among the
    /// listings). A lost answer is followed by one more refresh, which
    /// voids the lost secret.
    Refresh {
        /// The key: ID, or exact name (among your active personal keys
        /// and, with --space, that space's service keys).
        key: String,
        #[command(flatten)]
        among: Among,
        #[command(flatten)]
        expiry: Expiry,
        /// How long the old secret keeps working: 0 to 24h (e.g. 1h).
        #[arg(long, value_parser = parse_grace)]
        grace_period: Option<Duration>,
        /// Write the new secret into this dotenv file instead of printing it.
        #[arg(long, value_name = "PATH")]
        env_file: Option<PathBuf>,
    },
    /// Revoke a key: it stops working at once (revoking again is fine).
    ///
    /// On a terminal it asks you to type the key's name; elsewhere it
    /// refuses unless --yes is given.
    Revoke {
        /// The key: ID, or exact name (as for refresh).
        key: String,
        #[command(flatten)]
        among: Among,
        /// Revoke without asking.
        #[arg(long, short)]
        yes: bool,
    },
}

fn parse_grace(text: &str) -> Result<Duration, String> {
    let max = arize_ax::raw::limits::REFRESH_GRACE_PERIOD_MAX_SECONDS as u64;
    let grace = parse_duration(text)?;
    if grace.as_secs() > max {
        return Err(format!(
            "grace_period: at most 24h ({max} seconds); got {}",
            humantime::format_duration(grace)
        ));
    }
    Ok(grace)
}

impl Record for Key {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "name",
        "key_type",
        "status",
        "redacted_key",
        "created_at",
        "expires_at",
        "last_used_at",
        "bot_user_id",
        "description",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.name.clone(),
            self.key_type
                .as_ref()
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default(),
            self.status.as_str().to_owned(),
            self.redacted_key.clone(),
            time_cell(self.created_at),
            time_cell(self.expires_at),
            time_cell(self.last_used_at),
            self.bot_user
                .as_ref()
                .map(|b| b.id.clone())
                .unwrap_or_default(),
            self.description.clone(),
        ]
    }
}

/// A key with its secret, as printed once: the record's fields and `key`.
#[derive(serde::Serialize)]
struct Shown<'a> {
    #[serde(flatten)]
    record: &'a Key,
    key: &'a str,
}

impl Record for Shown<'_> {
    const COLUMNS: &'static [&'static str] = &["id", "name", "key_type", "expires_at", "key"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.record.id.clone(),
            self.record.name.clone(),
            self.record
                .key_type
                .as_ref()
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default(),
            time_cell(self.record.expires_at),
            self.key.to_owned(),
        ]
    }
}

/// Hands a new secret over: into the env file (the record printed, no
/// secret), or printed once. `on_failure` says what a failed write means.
async fn hand_over(
    issued: &IssuedKey,
    pending: Option<env_file::Pending>,
    path: Option<&PathBuf>,
    global: &Global,
    out: &mut dyn Write,
    on_failure: impl AsyncFnOnce(anyhow::Error) -> Failure,
) -> Result<(), Failure> {
    // stderr may be closed: a failed note must not lose the key.
    let note = |text: String| {
        let _ = writeln!(std::io::stderr(), "{text}");
    };
    if !issued.revoked_after_lost_answer.is_empty() && !global.quiet {
        note(format!(
            "note: an earlier attempt's answer was lost; the key(s) it made ({}) were revoked",
            printable(&issued.revoked_after_lost_answer.join(", "))
        ));
    }
    match (pending, path) {
        (Some(pending), Some(path)) => {
            if let Err(e) = pending.write(ENV_NAME, issued.secret.expose_secret()) {
                return Err(on_failure(e).await);
            }
            // The secret is safe in the file: a failed print loses nothing,
            // and the command succeeded (a retry would make another key).
            if let Err(e) = output::one(out, global.format(), &issued.key) {
                note(format!(
                    "warning: the key's record could not be printed: {e}"
                ));
            }
            if !global.quiet {
                note(format!(
                    "wrote {ENV_NAME} to {} (the secret is not printed)",
                    printable(&path.display().to_string())
                ));
            }
        }
        _ => {
            let shown = Shown {
                record: &issued.key,
                key: issued.secret.expose_secret(),
            };
            // Printing is the only hand-over: if it fails (a closed pipe, a
            // full disk), nobody holds the secret.
            if let Err(e) =
                output::one(out, global.format(), &shown).and_then(|()| Ok(out.flush()?))
            {
                return Err(on_failure(e).await);
            }
            if global.format() == output::Format::Table {
                note(
                    "this is the only time the secret is shown: store it now (or use --env-file)"
                        .into(),
                );
            }
        }
    }
    Ok(())
}

/// The key a command names: by exact name (looked up), or by ID. For a
/// refresh (`with_record`), an ID is looked up in the listings (your
/// personal keys, and the `--space` service keys) so that the expiry rules
/// can be checked first; when they do not have it or cannot be read, the ID
/// is used as it is (the server judges).
async fn target(
    client: &Client,
    key: &str,
    among: &Among,
    with_record: bool,
) -> Result<KeyRef, Failure> {
    let space = || async {
        match &among.space {
            Some(space) => client
                .spaces()
                .resolve_id(space.as_str(), among.org.as_deref().map(Into::into))
                .await
                .map(|id| Some(arize_ax::SpaceRef::Id(id))),
            None => Ok(None),
        }
    };
    let keys = client.api_keys();
    if !arize_ax::is_id(key) {
        return Ok(KeyRef::Key(Box::new(keys.find(key, space().await?).await?)));
    }
    if !with_record {
        return Ok(KeyRef::Id(key.to_owned()));
    }
    let mut listings = vec![keys.list()];
    if let Ok(Some(space)) = space().await {
        listings.push(keys.list().space(space));
    }
    for listing in listings {
        match listing.stream().try_collect::<Vec<Key>>().await {
            Ok(found) => {
                if let Some(record) = found.into_iter().find(|k| k.id == key) {
                    return Ok(KeyRef::Key(Box::new(record)));
                }
            }
            Err(e) => {
                let _ = writeln!(
                    std::io::stderr(),
                    "warning: could not read the key's record ({e}); the server will judge its \
                     expiry"
                );
            }
        }
    }
    Ok(KeyRef::Id(key.to_owned()))
}

/// Whether a failure is "no active key of that name" (not an ambiguous
/// name, not a space or organization that was not found).
fn no_such_key(failure: &Failure) -> bool {
    matches!(
        failure.error.downcast_ref::<arize_ax::Error>(),
        Some(arize_ax::Error::NotFound(nf)) if nf.kind == arize_ax::Kind::ApiKey
    )
}

/// The one revoked key named `name` (among your personal keys, or the
/// space's service keys when a space is given): revoking it again is done
/// already. `None` unless exactly one matches.
async fn already_revoked(
    client: &Client,
    name: &str,
    among: &Among,
) -> Result<Option<String>, Failure> {
    let keys = client.api_keys();
    let listing = match &among.space {
        Some(space) => keys
            .list()
            .status(KeyStatus::Revoked)
            .space(arize_ax::SpaceRef::Id(
                client
                    .spaces()
                    .resolve_id(space.as_str(), among.org.as_deref().map(Into::into))
                    .await?,
            )),
        None => keys.list().status(KeyStatus::Revoked),
    };
    let found: Vec<Key> = listing.stream().try_collect().await?;
    let mut named = found.into_iter().filter(|k| k.name == name);
    Ok(match (named.next(), named.next()) {
        (Some(key), None) => Some(key.id),
        _ => None,
    })
}

/// Runs one `api-keys` command.
pub async fn run(
    client: &Client,
    global: &Global,
    command: ApiKeys,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let keys = client.api_keys();
    match command {
        ApiKeys::List {
            kind,
            status,
            space,
            org,
            user,
            paging,
        } => {
            let mut request = keys.list();
            if let Some(kind) = kind {
                request = request.key_type(match kind {
                    Kind::User => KeyType::User,
                    Kind::Service => KeyType::Service,
                });
            }
            if let Some(status) = status {
                request = request.status(match status {
                    Status::Active => KeyStatus::Active,
                    Status::Revoked => KeyStatus::Revoked,
                });
            }
            if let Some(space) = space {
                request = request.space(space);
            }
            if let Some(org) = org {
                request = request.organization(org);
            }
            if let Some(user) = user {
                request = request.user(user);
            }
            listing::run(request, paging, "API keys", global, out).await?;
        }
        ApiKeys::Create {
            name,
            description,
            expiry,
            env_file,
        } => {
            let pending = env_file.as_deref().map(env_file::prepare).transpose()?;
            let mut request = keys.create(name);
            if let Some(d) = description {
                request = request.description(d);
            }
            if let Some(at) = expiry.at()? {
                request = request.expires_at(at);
            }
            let issued = request.await?;
            hand_over(
                &issued,
                pending,
                env_file.as_ref(),
                global,
                out,
                async |e| revoke_after(&keys, &issued, e).await,
            )
            .await?;
        }
        ApiKeys::CreateServiceKey {
            name,
            spaces,
            org,
            space_role,
            org_role,
            account_role,
            description,
            expiry,
            env_file,
        } => {
            let pending = env_file.as_deref().map(env_file::prepare).transpose()?;
            let mut request = keys.create_service(name);
            for space in &spaces {
                request = request.space(space.as_str(), space_role.clone());
            }
            if let Some(org) = &org {
                request = request.organization(org.as_str());
            }
            if let Some(role) = account_role {
                request = request.account_role(match role {
                    AccountRole::Admin => UserRole::Admin,
                    AccountRole::Member => UserRole::Member,
                });
            }
            if let Some(d) = description {
                request = request.description(d);
            }
            if let Some(at) = expiry.at()? {
                request = request.expires_at(at);
            }
            if let Some(role) = org_role {
                // The role of every organization the spaces belong to.
                for org in organizations_of(client, &spaces, org.as_deref()).await? {
                    request = request.organization_role(org, role.clone());
                }
            }
            let issued = request.await?;
            hand_over(
                &issued,
                pending,
                env_file.as_ref(),
                global,
                out,
                async |e| revoke_after(&keys, &issued, e).await,
            )
            .await?;
        }
        ApiKeys::Refresh {
            key,
            among,
            expiry,
            grace_period,
            env_file,
        } => {
            let expires_at = expiry.at()?;
            let pending = env_file.as_deref().map(env_file::prepare).transpose()?;
            let target = target(client, &key, &among, true).await?;
            let mut request = keys.refresh(target);
            if let Some(at) = expires_at {
                request = request.expires_at(at);
            }
            if let Some(grace) = grace_period {
                request = request.grace_period(grace);
            }
            let issued = request.await?;
            hand_over(
                &issued,
                pending,
                env_file.as_ref(),
                global,
                out,
                async |e| {
                    Failure::from(e.context(format!(
                    "key {} was refreshed, but its new secret could not be written (it is lost); \
                     refresh it again",
                    issued.key.id
                )))
                },
            )
            .await?;
        }
        ApiKeys::Revoke { key, among, yes } => {
            if !yes && !std::io::stdin().is_terminal() {
                return Err(Failure::usage(format!(
                    "refusing to revoke key {key:?} without confirmation; run it on a terminal to \
                     confirm by typing its name, or pass --yes"
                )));
            }
            let target = match target(client, &key, &among, false).await {
                Err(failure) if !arize_ax::is_id(&key) && no_such_key(&failure) => {
                    match already_revoked(client, &key, &among).await? {
                        Some(id) => {
                            if !global.quiet {
                                eprintln!(
                                    "API key {} ({}) is revoked already",
                                    printable(&key),
                                    printable(&id)
                                );
                            }
                            return Ok(());
                        }
                        None => return Err(failure),
                    }
                }
                other => other?,
            };
            let (id, name) = match &target {
                KeyRef::Key(k) => (k.id.clone(), Some(k.name.clone())),
                KeyRef::Id(id) => (id.clone(), None),
            };
            if !yes {
                let expected = name.clone().unwrap_or_else(|| id.clone());
                type_to_confirm(
                    &format!(
                        "This revokes API key {}: whatever uses it stops working at once.",
                        printable(&expected)
                    ),
                    if name.is_some() {
                        "the key's name"
                    } else {
                        "the key's ID"
                    },
                    &expected,
                    false,
                    "that was not the key",
                )?;
            }
            keys.revoke(id.as_str()).await?;
            if !global.quiet {
                eprintln!("revoked API key {}", printable(&id));
            }
        }
    }
    Ok(())
}

/// The organizations (IDs) holding `spaces`, in order, once each.
async fn organizations_of(
    client: &Client,
    spaces: &[String],
    org: Option<&str>,
) -> Result<Vec<String>, Failure> {
    let mut ids: Vec<String> = Vec::new();
    for space in spaces {
        let mut get = client.spaces().get(space.as_str());
        if let Some(org) = org {
            get = get.organization(org);
        }
        if let Some(id) = get.await?.organization_id
            && !ids.contains(&id)
        {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// A new key whose secret could not be written: revoked, and the failure
/// says so.
async fn revoke_after(
    keys: &arize_ax::api_keys::ApiKeys,
    issued: &IssuedKey,
    error: anyhow::Error,
) -> Failure {
    let id = &issued.key.id;
    match keys.revoke(id.as_str()).await {
        Ok(()) => Failure::from(error.context(format!(
            "the secret of the new key {id} could not be written, so the key was revoked; \
             nothing is left live"
        ))),
        Err(revoke) => Failure::from(error.context(format!(
            "the secret of the new key {id} could not be written, and revoking the key failed \
             too ({revoke}): revoke it with `arize-ax api-keys revoke {id} --yes`"
        ))),
    }
}
