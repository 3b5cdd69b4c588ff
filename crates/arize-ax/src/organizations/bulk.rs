//! Organization membership in bulk: [`AddUsers`] and [`RemoveUsers`] on the
//! shared bulk flow (`bulk::members`).

use arize_ax_api::ops;
use arize_ax_api::transport::{CallOptions, CallReport};

use crate::bulk::BulkReport;
use crate::bulk::members::{Membership, Settings, add_all, bulk_settings, remove_all};
use crate::core::client::Client;
use crate::core::error::Result;
use crate::core::future::awaitable;
use crate::core::removal::Removal;
use crate::organizations::{add_member, remove_member};
use crate::refs::{OrgRef, UserRef};
use crate::role::OrgRole;
use crate::types::OrganizationMembership;

/// Organization membership, for the bulk flow.
struct Members;

impl Membership for Members {
    type Record = OrganizationMembership;

    async fn add(
        &self,
        client: &Client,
        method: &'static str,
        options: CallOptions,
        org_id: &str,
        user_id: String,
        role: &OrgRole,
    ) -> (Result<OrganizationMembership>, CallReport) {
        add_member(client, method, options, org_id, user_id, role).await
    }

    async fn remove(
        &self,
        client: &Client,
        method: &'static str,
        options: CallOptions,
        org_id: &str,
        user_id: &str,
    ) -> (Result<Removal>, CallReport) {
        remove_member(client, method, options, org_id, user_id).await
    }
}

/// Adds many users to one organization; see [`crate::Organizations::add_users`].
#[derive(Debug, Clone)]
#[must_use = "a bulk request does nothing until sent"]
pub struct AddUsers {
    pub(crate) client: Client,
    pub(crate) org: OrgRef,
    pub(crate) users: Vec<(UserRef, OrgRole)>,
    pub(crate) settings: Settings,
}

bulk_settings!(AddUsers, adds);

impl AddUsers {
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
        self.org.validate()?;
        let orgs = client.organizations();
        let org = orgs.resolve(METHOD, self.org);
        client.warn_prerelease(METHOD, ops::ADD_ORGANIZATION_USER);
        add_all(client, METHOD, &Members, org, self.users, self.settings).await
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
    pub(crate) settings: Settings,
}

bulk_settings!(RemoveUsers);

impl RemoveUsers {
    /// Resolves the organization once, then removes every user.
    ///
    /// # Errors
    ///
    /// As [`AddUsers::send`].
    pub async fn send(self) -> Result<BulkReport<Removal>> {
        const METHOD: &str = "organizations.remove_user";
        let client = &self.client;
        self.org.validate()?;
        let orgs = client.organizations();
        let org = orgs.resolve(METHOD, self.org);
        client.warn_prerelease(METHOD, ops::REMOVE_ORGANIZATION_USER);
        remove_all(client, METHOD, &Members, org, self.users, self.settings).await
    }
}

awaitable!(RemoveUsers => BulkReport<Removal>);
