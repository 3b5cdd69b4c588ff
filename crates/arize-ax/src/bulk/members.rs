//! Memberships in bulk, whatever they are memberships of: the settings
//! every bulk call takes, and the one flow of adding (look the user up or
//! invite them, check the annotator rule, write) and removing many users.
//! A resource plugs its single add and remove calls in through
//! [`Membership`].

use std::collections::HashMap;
use std::future::Future;

use arize_ax_api::transport::{CallOptions, CallReport};

use crate::bulk::{
    Batch, BulkReport, DEFAULT_BULK_CONCURRENCY, Progress, check_concurrency, check_unique,
    for_each_user,
};
use crate::core::client::Client;
use crate::core::error::{Error, Result};
use crate::core::removal::Removal;
use crate::refs::UserRef;
use crate::role::OrgRole;
use crate::types::check_annotator_rule;

/// What a membership resource gives the bulk flow: its single calls.
pub(crate) trait Membership: Sync {
    /// The record an add returns.
    type Record: Send + 'static;

    /// Adds (or changes) one membership of the resource `target_id`.
    fn add(
        &self,
        client: &Client,
        method: &'static str,
        options: CallOptions,
        target_id: &str,
        user_id: String,
        role: &OrgRole,
    ) -> impl Future<Output = (Result<Self::Record>, CallReport)> + Send;

    /// Removes one membership.
    fn remove(
        &self,
        client: &Client,
        method: &'static str,
        options: CallOptions,
        target_id: &str,
        user_id: &str,
    ) -> impl Future<Output = (Result<Removal>, CallReport)> + Send;
}

/// The settings of a bulk call: requests in flight, progress, and for
/// adds the role check and onboarding.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) concurrency: usize,
    pub(crate) progress: Option<Progress>,
    pub(crate) check_role: bool,
    pub(crate) invite: bool,
    pub(crate) names: HashMap<String, String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            concurrency: DEFAULT_BULK_CONCURRENCY,
            progress: None,
            check_role: true,
            invite: false,
            names: HashMap::new(),
        }
    }
}

/// The setters of [`Settings`] on a bulk request type with a `settings`
/// field: `concurrency` and `on_progress` for every one, and for an add
/// (`adds`) `invite`, `invite_names` and `skip_role_check`.
macro_rules! bulk_settings {
    ($request:ident) => {
        impl $request {
            /// Requests in flight at once (1 to 64; default 8).
            pub fn concurrency(mut self, n: usize) -> Self {
                self.settings.concurrency = n;
                self
            }

            /// Calls `progress(done, total)` after each user.
            pub fn on_progress(
                mut self,
                progress: impl Fn(usize, usize) + Send + Sync + 'static,
            ) -> Self {
                self.settings.progress = Some($crate::bulk::Progress::new(progress));
                self
            }
        }
    };
    ($request:ident, adds) => {
        $crate::bulk::members::bulk_settings!($request);

        impl $request {
            /// Onboarding: invite every email that belongs to nobody in the
            /// account yet (an email link; account role ANNOTATOR for the
            /// annotator role, MEMBER otherwise), then add them. Safe to
            /// repeat: the email is the key.
            pub fn invite(mut self, invite: bool) -> Self {
                self.settings.invite = invite;
                self
            }

            /// Display names for the users [`invite`](Self::invite)
            /// creates, by email (default: the part before `@`).
            pub fn invite_names<E: Into<String>, N: Into<String>>(
                mut self,
                names: impl IntoIterator<Item = (E, N)>,
            ) -> Self {
                self.settings.names.extend(
                    names
                        .into_iter()
                        .map(|(e, n)| (e.into().to_lowercase(), n.into())),
                );
                self
            }

            /// Skips the per-user account-role look-up that checks the
            /// annotator rule before writing (the server still enforces
            /// it).
            pub fn skip_role_check(mut self) -> Self {
                self.settings.check_role = false;
                self
            }
        }
    };
}
pub(crate) use bulk_settings;

/// Adds every user with their role to the resource `target` resolves to
/// (once, after the batch's own checks). A custom role given by name is
/// resolved once for the batch; a name that resolves to no custom role
/// fails the batch before any write. The batch's users are looked up together,
/// duplicates refused before any write, unknown emails invited when asked,
/// the annotator rule checked, then one paced write each.
pub(crate) async fn add_all<M: Membership>(
    client: &Client,
    method: &'static str,
    membership: &M,
    target: impl Future<Output = Result<String>>,
    users: Vec<(UserRef, OrgRole)>,
    settings: Settings,
) -> Result<BulkReport<M::Record>> {
    check_unique(users.iter().map(|(u, _)| u))?;
    check_concurrency(settings.concurrency)?;
    let target_id = &target.await?;
    // Custom roles given by name: each name resolved once for the batch
    // (one listing of the roles), before any write.
    let mut by_name: HashMap<String, OrgRole> = HashMap::new();
    let roles = client.roles();
    let mut users = users;
    for (_, role) in &mut users {
        // A malformed role is that user's failure (reported with them), and
        // is never looked up.
        if role.validate().is_err() {
            continue;
        }
        if let Some(name) = role.custom_name() {
            let resolved = match by_name.get(name) {
                Some(resolved) => resolved.clone(),
                None => {
                    let resolved = roles.custom_by_id(method, role.clone()).await?;
                    by_name.insert(name.to_owned(), resolved.clone());
                    resolved
                }
            };
            *role = resolved;
        }
    }
    let check_role = settings.check_role;
    let lookups = users
        .iter()
        .filter(|(u, _)| matches!(u, UserRef::Email(_)) || check_role)
        .count();
    let batch = Batch::new(client, settings.concurrency);
    let mut directory = client.users().for_batch(method, lookups, &batch).await?;
    let given: Vec<&UserRef> = users.iter().map(|(u, _)| u).collect();
    directory.check_unique(method, &given, &batch).await?;
    let directory = &directory;
    let (invite, names) = (settings.invite, &settings.names);
    let items = for_each_user(
        &batch,
        &settings.progress,
        users,
        |(user, _)| user.clone(),
        |(user, role), pace| async move {
            role.validate()?;
            let found = match (&user, invite) {
                (UserRef::Email(email), true) => {
                    crate::core::checks::check_email(email)?;
                    let found = directory
                        .look_up(method, &user, true, &pace)
                        .await
                        .map(|u| u.expect("an email look-up finds a user or fails"));
                    if matches!(found, Err(Error::NotFound(_))) {
                        pace.before_request().await;
                    }
                    let name = names.get(&email.to_lowercase()).map(String::as_str);
                    Some(
                        client
                            .users()
                            .find_or_invite(
                                method,
                                &pace.batch.options,
                                email,
                                name,
                                role.account_role_for_invite(),
                                found,
                            )
                            .await?,
                    )
                }
                _ => directory.look_up(method, &user, check_role, &pace).await?,
            };
            if let (Some(found), true) = (&found, check_role) {
                check_annotator_rule(found, &role)?;
            }
            let user_id = found.map_or_else(|| user.as_str().to_owned(), |u| u.id);
            pace.before_request().await;
            membership
                .add(
                    client,
                    method,
                    pace.batch.options,
                    target_id,
                    user_id,
                    &role,
                )
                .await
                .0
        },
    )
    .await;
    Ok(BulkReport { items })
}

/// Removes every user from the resource `target` resolves to; see
/// [`add_all`].
pub(crate) async fn remove_all<M: Membership>(
    client: &Client,
    method: &'static str,
    membership: &M,
    target: impl Future<Output = Result<String>>,
    users: Vec<UserRef>,
    settings: Settings,
) -> Result<BulkReport<Removal>> {
    check_unique(users.iter())?;
    check_concurrency(settings.concurrency)?;
    let target_id = &target.await?;
    let lookups = users
        .iter()
        .filter(|u| matches!(u, UserRef::Email(_)))
        .count();
    let batch = Batch::new(client, settings.concurrency);
    let mut directory = client.users().for_batch(method, lookups, &batch).await?;
    let given: Vec<&UserRef> = users.iter().collect();
    directory.check_unique(method, &given, &batch).await?;
    let directory = &directory;
    let items = for_each_user(
        &batch,
        &settings.progress,
        users,
        UserRef::clone,
        |user, pace| async move {
            let found = directory.look_up(method, &user, false, &pace).await?;
            let user_id = found.map_or_else(|| user.as_str().to_owned(), |u| u.id);
            pace.before_request().await;
            membership
                .remove(client, method, pace.batch.options, target_id, &user_id)
                .await
                .0
        },
    )
    .await;
    Ok(BulkReport { items })
}
