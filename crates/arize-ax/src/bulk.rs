//! Bulk membership changes: many users, one organization, bounded
//! concurrency, one result per user.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use futures::stream::{self, StreamExt};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::organizations::Organizations;
use crate::refs::{OrgRef, UserRef};
use crate::role::OrgRole;
use crate::types::OrganizationMembership;

/// Default number of requests in flight for bulk calls.
pub const DEFAULT_BULK_CONCURRENCY: usize = 8;
/// Largest accepted concurrency.
pub const MAX_BULK_CONCURRENCY: usize = 64;
/// How many more times one user is tried after its requests stay rate
/// limited through the client's own retries.
const RATE_LIMIT_ROUNDS: u32 = 8;

/// The outcome for one user of a bulk call.
#[derive(Debug)]
pub struct BulkItem<T> {
    /// The user as given.
    pub user: UserRef,
    /// What happened to them.
    pub result: Result<T>,
}

/// One result per user, in the order the users were given. A failure for one
/// user never hides the others.
#[derive(Debug)]
pub struct BulkReport<T> {
    /// Every user's outcome.
    pub items: Vec<BulkItem<T>>,
}

impl<T> BulkReport<T> {
    /// Whether every user succeeded.
    pub fn all_succeeded(&self) -> bool {
        self.items.iter().all(|i| i.result.is_ok())
    }

    /// The users that succeeded, with their results.
    pub fn succeeded(&self) -> impl Iterator<Item = (&UserRef, &T)> {
        self.items
            .iter()
            .filter_map(|i| i.result.as_ref().ok().map(|v| (&i.user, v)))
    }

    /// The users that failed, with their errors.
    pub fn failed(&self) -> impl Iterator<Item = (&UserRef, &Error)> {
        self.items
            .iter()
            .filter_map(|i| i.result.as_ref().err().map(|e| (&i.user, e)))
    }
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = Result<T>> + Send + 'static>>;

/// A progress callback: called after each user with (users done, users in
/// all).
#[derive(Clone)]
pub struct Progress(std::sync::Arc<dyn Fn(usize, usize) + Send + Sync>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress(..)")
    }
}

fn report_progress(
    progress: &Option<Progress>,
    done: &std::sync::atomic::AtomicUsize,
    total: usize,
) {
    let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
    if let Some(progress) = progress {
        (progress.0)(n, total);
    }
}

fn check_concurrency(n: usize) -> Result<()> {
    if !(1..=MAX_BULK_CONCURRENCY).contains(&n) {
        return Err(Error::invalid(
            "concurrency",
            format!("must be between 1 and {MAX_BULK_CONCURRENCY} (got {n})"),
        ));
    }
    Ok(())
}

/// Checks a batch and resolves its organization, once.
async fn prepare(
    client: &Client,
    concurrency: usize,
    org: OrgRef,
) -> Result<(Organizations, OrgRef)> {
    check_concurrency(concurrency)?;
    org.validate()?;
    let orgs = Organizations::new(client.clone());
    let id = orgs.resolve_id(org).await?;
    Ok((orgs, OrgRef::Id(id)))
}

/// Runs `call` for every item, `concurrency` at a time, waiting out rate
/// limits, and keeps one result per item in input order.
async fn for_each_user<I: Clone, T, Fut>(
    concurrency: usize,
    progress: &Option<Progress>,
    items: Vec<I>,
    user: impl Fn(&I) -> UserRef,
    call: impl Fn(I) -> Fut,
) -> Vec<BulkItem<T>>
where
    Fut: Future<Output = Result<T>>,
{
    let total = items.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let (call, done) = (&call, &done);
    stream::iter(items)
        .map(|item| {
            let user = user(&item);
            async move {
                let result = patiently(|| call(item.clone())).await;
                report_progress(progress, done, total);
                BulkItem { user, result }
            }
        })
        .buffered(concurrency)
        .collect()
        .await
}

/// Waits out rate limiting beyond the client's own retries, so a long batch
/// under throttling completes instead of failing users.
async fn patiently<T, F, Fut>(mut attempt: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let mut rounds = 0;
    loop {
        match attempt().await {
            Err(Error::Api(api)) if api.status == 429 && rounds < RATE_LIMIT_ROUNDS => {
                rounds += 1;
                let wait = api
                    .retry_after
                    .unwrap_or(Duration::from_millis(250 << rounds.min(5)))
                    .min(Duration::from_secs(30));
                tokio::time::sleep(wait).await;
            }
            other => return other,
        }
    }
}

/// Adds many users to one organization; see [`Organizations::add_users`].
#[derive(Debug, Clone)]
#[must_use = "a bulk request does nothing until sent"]
pub struct AddUsers {
    pub(crate) client: Client,
    pub(crate) org: OrgRef,
    pub(crate) users: Vec<(UserRef, OrgRole)>,
    pub(crate) concurrency: usize,
    pub(crate) check_role: bool,
    pub(crate) progress: Option<Progress>,
}

impl AddUsers {
    /// Requests in flight at once (1 to 64; default 8).
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n;
        self
    }

    /// Calls `progress(done, total)` after each user.
    pub fn on_progress(mut self, progress: impl Fn(usize, usize) + Send + Sync + 'static) -> Self {
        self.progress = Some(Progress(std::sync::Arc::new(progress)));
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
    /// Only for the batch as a whole: invalid concurrency or organization, or
    /// an organization that does not resolve. Per-user failures (including
    /// invalid user references) are in the report.
    pub async fn send(self) -> Result<BulkReport<OrganizationMembership>> {
        let (orgs, org) = prepare(&self.client, self.concurrency, self.org).await?;
        let check_role = self.check_role;
        let items = for_each_user(
            self.concurrency,
            &self.progress,
            self.users,
            |(user, _)| user.clone(),
            |(user, role)| {
                let mut call = orgs.add_user(org.clone(), user, role);
                if !check_role {
                    call = call.skip_role_check();
                }
                call.send()
            },
        )
        .await;
        Ok(BulkReport { items })
    }
}

impl IntoFuture for AddUsers {
    type Output = Result<BulkReport<OrganizationMembership>>;
    type IntoFuture = BoxFuture<BulkReport<OrganizationMembership>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// Removes many users from one organization; see
/// [`Organizations::remove_users`].
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
        self.progress = Some(Progress(std::sync::Arc::new(progress)));
        self
    }

    /// Resolves the organization once, then removes every user.
    ///
    /// # Errors
    ///
    /// As [`AddUsers::send`].
    pub async fn send(self) -> Result<BulkReport<()>> {
        let (orgs, org) = prepare(&self.client, self.concurrency, self.org).await?;
        let items = for_each_user(
            self.concurrency,
            &self.progress,
            self.users,
            UserRef::clone,
            |user| {
                let (orgs, org) = (orgs.clone(), org.clone());
                async move { orgs.remove_user(org, user).await }
            },
        )
        .await;
        Ok(BulkReport { items })
    }
}

impl IntoFuture for RemoveUsers {
    type Output = Result<BulkReport<()>>;
    type IntoFuture = BoxFuture<BulkReport<()>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
