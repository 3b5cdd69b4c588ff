//! Space membership in bulk: [`AddSpaceUsers`] and [`RemoveSpaceUsers`] on
//! the shared bulk flow (`bulk::members`).

use arize_ax_api::ops;
use arize_ax_api::transport::{CallOptions, CallReport};

use crate::bulk::BulkReport;
use crate::bulk::members::{Membership, Settings, add_all, bulk_settings, remove_all};
use crate::core::client::Client;
use crate::core::error::{Error, Result};
use crate::core::future::awaitable;
use crate::core::removal::Removal;
use crate::refs::{OrgRef, UserRef};
use crate::role::{OrgRole, SpaceRole};
use crate::spaces::members::{SpaceMembership, add_member, remove_member};
use crate::spaces::{SpaceRef, Spaces, Target};

/// Space membership, for the bulk flow.
struct Members;

impl Membership for Members {
    type Record = SpaceMembership;

    async fn add(
        &self,
        client: &Client,
        method: &'static str,
        options: CallOptions,
        space_id: &str,
        user_id: String,
        role: &OrgRole,
    ) -> (Result<SpaceMembership>, CallReport) {
        add_member(client, method, options, space_id, user_id, role).await
    }

    async fn remove(
        &self,
        client: &Client,
        method: &'static str,
        options: CallOptions,
        space_id: &str,
        user_id: &str,
    ) -> (Result<Removal>, CallReport) {
        remove_member(client, method, options, space_id, user_id).await
    }
}

impl Spaces {
    /// Gives many users (each with a role) a role in one space, resolving
    /// the space once and keeping up to `concurrency` requests in flight at
    /// the pace the server accepts. Every user must already belong to the
    /// space's organization.
    ///
    /// ```no_run
    /// use arize_ax::SpaceRole;
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let users = [("jane@example.com", SpaceRole::Member), ("sam@example.com", SpaceRole::ReadOnly)];
    /// let report = client.spaces().add_users("ranking", users).organization("research").await?;
    /// for (user, error) in report.failed() {
    ///     eprintln!("{}: {error}", user.as_str());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn add_users<U: Into<UserRef>>(
        &self,
        space: impl Into<SpaceRef>,
        users: impl IntoIterator<Item = (U, SpaceRole)>,
    ) -> AddSpaceUsers {
        AddSpaceUsers {
            client: self.client.clone(),
            target: Target::new(space),
            users: users.into_iter().map(|(u, r)| (u.into(), r)).collect(),
            settings: Settings::default(),
        }
    }

    /// Takes many users out of one space; see [`add_users`](Self::add_users).
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let report = client
    ///     .spaces()
    ///     .remove_users("ranking", ["jane@example.com", "sam@example.com"])
    ///     .organization("research")
    ///     .await?;
    /// assert!(report.all_succeeded());
    /// # Ok(())
    /// # }
    /// ```
    pub fn remove_users<U: Into<UserRef>>(
        &self,
        space: impl Into<SpaceRef>,
        users: impl IntoIterator<Item = U>,
    ) -> RemoveSpaceUsers {
        RemoveSpaceUsers {
            client: self.client.clone(),
            target: Target::new(space),
            users: users.into_iter().map(Into::into).collect(),
            settings: Settings::default(),
        }
    }
}

/// Adds many users to one space; see [`Spaces::add_users`].
#[derive(Debug, Clone)]
#[must_use = "a bulk request does nothing until sent"]
pub struct AddSpaceUsers {
    client: Client,
    target: Target,
    users: Vec<(UserRef, SpaceRole)>,
    settings: Settings,
}

bulk_settings!(AddSpaceUsers, adds);

impl AddSpaceUsers {
    /// Looks for a space name in this organization only (by name or ID).
    pub fn organization(mut self, org: impl Into<OrgRef>) -> Self {
        self.target.org = Some(org.into());
        self
    }

    /// Resolves the space once, then adds every user.
    ///
    /// # Errors
    ///
    /// Only for the batch as a whole: invalid concurrency or space, a user
    /// given twice, [`invite`](Self::invite) asked for (nothing is sent), a
    /// space or a custom role name that does not resolve, or a 401 or 403
    /// when listing the account's users. Per-user failures are in the
    /// report.
    pub async fn send(self) -> Result<BulkReport<SpaceMembership>> {
        const METHOD: &str = "spaces.add_user";
        let client = &self.client;
        self.target.validate()?;
        if self.settings.invite {
            // A new person belongs to no organization, and a space takes
            // members of its organization only: every add would fail after
            // the invitation went out.
            return Err(Error::invalid(
                "invite",
                "space members must belong to the space's organization: onboard many people \
                 with Organizations::add_users(..).invite(true) first, or one by one with \
                 Spaces::add_user(..).join_org(..).invite(true)",
            ));
        }
        let spaces = client.spaces();
        let space = spaces.resolve(METHOD, self.target);
        client.warn_prerelease(METHOD, ops::ADD_SPACE_USER);
        add_all(client, METHOD, &Members, space, self.users, self.settings).await
    }
}

awaitable!(AddSpaceUsers => BulkReport<SpaceMembership>);

/// Removes many users from one space; see [`Spaces::remove_users`].
#[derive(Debug, Clone)]
#[must_use = "a bulk request does nothing until sent"]
pub struct RemoveSpaceUsers {
    client: Client,
    target: Target,
    users: Vec<UserRef>,
    settings: Settings,
}

bulk_settings!(RemoveSpaceUsers);

impl RemoveSpaceUsers {
    /// Looks for a space name in this organization only (by name or ID).
    pub fn organization(mut self, org: impl Into<OrgRef>) -> Self {
        self.target.org = Some(org.into());
        self
    }

    /// Resolves the space once, then removes every user.
    ///
    /// # Errors
    ///
    /// As [`AddSpaceUsers::send`].
    pub async fn send(self) -> Result<BulkReport<Removal>> {
        const METHOD: &str = "spaces.remove_user";
        let client = &self.client;
        self.target.validate()?;
        let spaces = client.spaces();
        let space = spaces.resolve(METHOD, self.target);
        client.warn_prerelease(METHOD, ops::REMOVE_SPACE_USER);
        remove_all(client, METHOD, &Members, space, self.users, self.settings).await
    }
}

awaitable!(RemoveSpaceUsers => BulkReport<Removal>);
