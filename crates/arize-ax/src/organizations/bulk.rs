//! Organization membership in bulk: [`AddUsers`] and [`RemoveUsers`] on the
//! shared bulk engine.

use std::collections::HashMap;

use arize_ax_api::ops;

use crate::bulk::{Batch, BulkReport, Progress, check_concurrency, check_unique, for_each_user};
use crate::core::client::Client;
use crate::core::error::{Error, Result};
use crate::core::future::awaitable;
use crate::core::removal::Removal;
use crate::organizations::{add_member, remove_member};
use crate::refs::{OrgRef, UserRef};
use crate::role::OrgRole;
use crate::role::check_annotator_rule;
use crate::types::OrganizationMembership;

/// Checks a batch and resolves its organization, once.
async fn prepare(client: &Client, concurrency: usize, org: OrgRef) -> Result<String> {
    check_concurrency(concurrency)?;
    org.validate()?;
    client
        .organizations()
        .resolve("organizations.resolve", org)
        .await
}

/// Adds many users to one organization; see [`crate::Organizations::add_users`].
#[derive(Debug, Clone)]
#[must_use = "a bulk request does nothing until sent"]
pub struct AddUsers {
    pub(crate) client: Client,
    pub(crate) org: OrgRef,
    pub(crate) users: Vec<(UserRef, OrgRole)>,
    pub(crate) concurrency: usize,
    pub(crate) check_role: bool,
    pub(crate) progress: Option<Progress>,
    pub(crate) invite: bool,
    pub(crate) names: HashMap<String, String>,
}

impl AddUsers {
    /// Onboarding: invite every email that belongs to nobody in the account
    /// yet, then add them (see [`AddUser::invite`](crate::AddUser::invite)).
    pub fn invite(mut self, invite: bool) -> Self {
        self.invite = invite;
        self
    }

    /// Display names for the users [`invite`](Self::invite) creates, by
    /// email (default: the part before `@`).
    pub fn invite_names<E: Into<String>, N: Into<String>>(
        mut self,
        names: impl IntoIterator<Item = (E, N)>,
    ) -> Self {
        self.names.extend(
            names
                .into_iter()
                .map(|(e, n)| (e.into().to_lowercase(), n.into())),
        );
        self
    }

    /// Requests in flight at once (1 to 64; default 8).
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n;
        self
    }

    /// Calls `progress(done, total)` after each user.
    pub fn on_progress(mut self, progress: impl Fn(usize, usize) + Send + Sync + 'static) -> Self {
        self.progress = Some(Progress::new(progress));
        self
    }

    /// Skips the per-user account-role look-up (see
    /// [`AddUser::skip_role_check`](crate::AddUser::skip_role_check)).
    pub fn skip_role_check(mut self) -> Self {
        self.check_role = false;
        self
    }

    /// Resolves the organization once, then adds every user.
    ///
    /// # Errors
    ///
    /// Only for the batch as a whole: invalid concurrency or organization, a
    /// user given twice (the same ID, or the same email in any case; nothing
    /// is sent), an organization that does not resolve, or a 401 or 403 when
    /// listing the account's users. Per-user failures (including invalid
    /// user references) are in the report.
    pub async fn send(self) -> Result<BulkReport<OrganizationMembership>> {
        const METHOD: &str = "organizations.add_user";
        let client = &self.client;
        check_unique(self.users.iter().map(|(u, _)| u))?;
        let org_id = prepare(client, self.concurrency, self.org).await?;
        client.warn_prerelease(METHOD, ops::ADD_ORGANIZATION_USER);
        let check_role = self.check_role;
        let lookups = self
            .users
            .iter()
            .filter(|(u, _)| matches!(u, UserRef::Email(_)) || check_role)
            .count();
        let batch = Batch::new(client, self.concurrency);
        let mut directory = client.users().for_batch(METHOD, lookups, &batch).await?;
        let given: Vec<&UserRef> = self.users.iter().map(|(u, _)| u).collect();
        directory.check_unique(METHOD, &given, &batch).await?;
        let (org_id, directory) = (&org_id, &directory);
        let (invite, names) = (self.invite, &self.names);
        let items = for_each_user(
            &batch,
            &self.progress,
            self.users,
            |(user, _)| user.clone(),
            |(user, role), pace| async move {
                role.validate()?;
                let found = match (&user, invite) {
                    (UserRef::Email(email), true) => {
                        crate::core::checks::check_email(email)?;
                        let found = directory
                            .look_up(METHOD, &user, true, &pace)
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
                                    METHOD,
                                    &pace.batch.options,
                                    email,
                                    name,
                                    role.account_role_for_invite(),
                                    found,
                                )
                                .await?,
                        )
                    }
                    _ => directory.look_up(METHOD, &user, check_role, &pace).await?,
                };
                if let (Some(found), true) = (&found, check_role) {
                    check_annotator_rule(found, &role)?;
                }
                let user_id = found.map_or_else(|| user.as_str().to_owned(), |u| u.id);
                pace.before_request().await;
                add_member(client, METHOD, pace.batch.options, org_id, user_id, &role)
                    .await
                    .0
            },
        )
        .await;
        Ok(BulkReport { items })
    }
}

awaitable!(AddUsers => BulkReport<OrganizationMembership>);

/// Removes many users from one organization; see
/// [`crate::Organizations::remove_users`].
#[derive(Debug, Clone)]
#[must_use = "a bulk request does nothing until sent"]
pub struct RemoveUsers {
    pub(crate) client: Client,
    pub(crate) org: OrgRef,
    pub(crate) users: Vec<UserRef>,
    pub(crate) concurrency: usize,
    pub(crate) progress: Option<Progress>,
}

impl RemoveUsers {
    /// Requests in flight at once (1 to 64; default 8).
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n;
        self
    }

    /// Calls `progress(done, total)` after each user.
    pub fn on_progress(mut self, progress: impl Fn(usize, usize) + Send + Sync + 'static) -> Self {
        self.progress = Some(Progress::new(progress));
        self
    }

    /// Resolves the organization once, then removes every user.
    ///
    /// # Errors
    ///
    /// As [`AddUsers::send`].
    pub async fn send(self) -> Result<BulkReport<Removal>> {
        const METHOD: &str = "organizations.remove_user";
        let client = &self.client;
        check_unique(self.users.iter())?;
        let org_id = prepare(client, self.concurrency, self.org).await?;
        client.warn_prerelease(METHOD, ops::REMOVE_ORGANIZATION_USER);
        let lookups = self
            .users
            .iter()
            .filter(|u| matches!(u, UserRef::Email(_)))
            .count();
        let batch = Batch::new(client, self.concurrency);
        let mut directory = client.users().for_batch(METHOD, lookups, &batch).await?;
        let given: Vec<&UserRef> = self.users.iter().collect();
        directory.check_unique(METHOD, &given, &batch).await?;
        let (org_id, directory) = (&org_id, &directory);
        let items = for_each_user(
            &batch,
            &self.progress,
            self.users,
            UserRef::clone,
            |user, pace| async move {
                let found = directory.look_up(METHOD, &user, false, &pace).await?;
                let user_id = found.map_or_else(|| user.as_str().to_owned(), |u| u.id);
                pace.before_request().await;
                remove_member(client, METHOD, pace.batch.options, org_id, &user_id)
                    .await
                    .0
            },
        )
        .await;
        Ok(BulkReport { items })
    }
}

awaitable!(RemoveUsers => BulkReport<Removal>);
