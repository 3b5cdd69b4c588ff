//! Bulk membership changes: many users, one organization, one request per
//! user at the pace the server accepts (see [`crate::limiter`]), one result
//! per user in input order.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use arize_ax_api::ops;
use arize_ax_api::transport::{AttemptHook, CallOptions, Outcome, RetryGate};
use futures::future;
use futures::stream::{FuturesUnordered, StreamExt};

use crate::core::client::Client;
use crate::core::error::{Ambiguous, Error, Kind, NotFound, Result};
use crate::core::paging::{RESOLVE_PAGE_SIZE, next_cursor};
use crate::limiter::{Limiter, Signal};
use crate::organizations::{
    Organizations, Removal, add_member, check_annotator_rule, remove_member,
};
use crate::refs::{OrgRef, UserRef};
use crate::role::OrgRole;
use crate::types::{OrganizationMembership, User};

/// Default number of requests in flight for bulk calls.
pub const DEFAULT_BULK_CONCURRENCY: usize = 8;
/// Largest accepted concurrency.
pub const MAX_BULK_CONCURRENCY: usize = 64;

/// The outcome for one user of a bulk call.
#[derive(Debug)]
#[non_exhaustive]
pub struct BulkItem<T> {
    /// The user as given.
    pub user: UserRef,
    /// What happened to them.
    pub result: Result<T>,
}

/// One result per user, in the order the users were given. A failure for one
/// user never hides the others.
#[derive(Debug)]
#[non_exhaustive]
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

fn check_concurrency(n: usize) -> Result<()> {
    if !(1..=MAX_BULK_CONCURRENCY).contains(&n) {
        return Err(Error::invalid(
            "concurrency",
            format!("must be between 1 and {MAX_BULK_CONCURRENCY} (got {n})"),
        ));
    }
    Ok(())
}

/// Refuses a batch that names one user twice (the same ID, or the same
/// email in any case): the outcome would depend on which request landed
/// last. Positions count from 1.
fn check_unique<'a>(users: impl Iterator<Item = &'a UserRef>) -> Result<()> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, user) in users.enumerate() {
        let key = match user {
            UserRef::Email(email) => format!("email:{}", email.to_lowercase()),
            UserRef::Id(id) => format!("id:{id}"),
        };
        if let Some(first) = seen.insert(key, i + 1) {
            return Err(Error::invalid(
                "users",
                format!(
                    "users #{first} and #{} are the same user ({}); give each user once",
                    i + 1,
                    user.as_str()
                ),
            ));
        }
    }
    Ok(())
}

/// An email and an ID that name the same user are refused too, before any
/// write: from the account's users when the batch listed them all, else
/// (only for a batch that mixes emails and IDs) by looking each email up
/// first, paced as the batch; the users found are kept in `directory`, so
/// the batch does not look them up again.
async fn check_unique_resolved(
    client: &Client,
    method: &'static str,
    users: &[&UserRef],
    directory: &mut Directory,
    batch: &Batch,
) -> Result<()> {
    let mixed = users.iter().any(|u| matches!(u, UserRef::Email(_)))
        && users.iter().any(|u| matches!(u, UserRef::Id(_)));
    if !directory.complete && !mixed {
        return Ok(());
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, user) in users.iter().enumerate() {
        let id = match user {
            UserRef::Email(email) if directory.complete => match directory.email(email) {
                Some(Ok(found)) => found.id.clone(),
                _ => continue,
            },
            // Errors here (not found, say) are the user's own result later.
            UserRef::Email(email) => {
                if user.validate().is_err() {
                    continue;
                }
                batch.admit().await;
                match client
                    .users()
                    .find_by_email(method, &batch.options, email)
                    .await
                {
                    Ok(found) => {
                        let id = found.id.clone();
                        directory.insert(found);
                        id
                    }
                    Err(_) => continue,
                }
            }
            UserRef::Id(id) => id.clone(),
        };
        if let Some(first) = seen.insert(id.clone(), i + 1) {
            return Err(Error::invalid(
                "users",
                format!(
                    "users #{first} and #{} are the same user ({id}, once by email and once by ID); \
                     give each user once",
                    i + 1
                ),
            ));
        }
    }
    Ok(())
}

/// Checks a batch and resolves its organization, once.
async fn prepare(client: &Client, concurrency: usize, org: OrgRef) -> Result<String> {
    check_concurrency(concurrency)?;
    org.validate()?;
    Organizations::new(client.clone())
        .resolve("organizations.resolve", org)
        .await
}

/// From this many look-ups on, a batch asks for the first page of the
/// account's users (100 a page): when that is all of them, one request
/// replaces every look-up.
const LIST_FROM: usize = 3;
/// The listing goes on only while its pages cost at most one in this many
/// of the look-ups it would replace (the API gives no total, so a listing is
/// followed only while it is sure to stay cheap).
const LIST_SHARE: usize = 10;

/// The users a batch knows: all of the account's (`complete`, listed once),
/// or those it happened to look up already.
#[derive(Default)]
struct Directory {
    complete: bool,
    by_email: HashMap<String, Vec<User>>,
    by_id: HashMap<String, User>,
}

impl Directory {
    /// Lists the account's users for a batch that needs `lookups` look-ups,
    /// when that is known to cost fewer requests: the first page holds them
    /// all, or the pages end within a tenth of the look-ups. Otherwise (or
    /// when a page fails) the directory is empty and each user is looked up.
    /// Every page is paced as the batch. A 401 or 403 (the key may not list
    /// users, so it may not look them up either) fails the batch.
    async fn for_batch(
        client: &Client,
        method: &'static str,
        lookups: usize,
        batch: &Batch,
    ) -> Result<Directory> {
        let mut directory = Directory::default();
        if lookups < LIST_FROM {
            return Ok(directory);
        }
        let budget = (lookups / LIST_SHARE).max(1);
        let mut everyone: Vec<User> = Vec::new();
        let mut cursor: Option<String> = None;
        let mut seen = std::collections::HashSet::new();
        for pages in 1.. {
            batch.admit().await;
            let page = match crate::users::fetch_page(
                client,
                &batch.options,
                method,
                None,
                &[],
                Some(RESOLVE_PAGE_SIZE),
                cursor.as_deref(),
            )
            .await
            {
                Ok(page) => page,
                // The key cannot list users: it cannot look them up either.
                Err(error) if matches!(error.status(), Some(401 | 403)) => return Err(error),
                Err(error) => {
                    crate::core::warning::note(
                        method,
                        &format!(
                            "listing the account's users failed ({}); looking each user up instead",
                            error
                                .status()
                                .map_or_else(|| "no answer".to_owned(), |s| format!("HTTP {s}"))
                        ),
                    );
                    return Ok(directory);
                }
            };
            everyone.extend(page.users);
            match next_cursor(method, &page.pagination, &mut seen) {
                Ok(None) => break,
                Ok(Some(next)) if pages < budget => cursor = Some(next),
                // Longer than it is worth, or a broken cursor: look up.
                Ok(Some(_)) | Err(_) => return Ok(directory),
            }
        }
        directory.complete = true;
        for user in everyone {
            directory.insert(user);
        }
        Ok(directory)
    }

    fn insert(&mut self, user: User) {
        let list = self.by_email.entry(user.email.to_lowercase()).or_default();
        if !list.iter().any(|u| u.id == user.id) {
            list.push(user.clone());
        }
        self.by_id.insert(user.id.clone(), user);
    }

    /// The one user with this email (ignoring case, as the server does);
    /// `None` when this directory cannot tell (it is not complete and has
    /// not seen the email).
    fn email(&self, email: &str) -> Option<Result<&User>> {
        match self.by_email.get(&email.to_lowercase()).map(Vec::as_slice) {
            Some([user]) => Some(Ok(user)),
            Some(several) if several.len() > 1 => Some(Err(Error::Ambiguous(Ambiguous {
                kind: Kind::User,
                query: email.to_owned(),
                ids: several.iter().map(|u| u.id.clone()).collect(),
            }))),
            _ if self.complete => Some(Err(Error::NotFound(NotFound {
                kind: Kind::User,
                query: email.to_owned(),
                similar: Vec::new(),
            }))),
            _ => None,
        }
    }
}

/// Finds the user to act on: from the directory when it knows, else with a
/// request paced as the batch (only when needed: an email, or an ID whose
/// account role must be checked). `None` means "send the ID as given".
/// Errors name `method`.
async fn look_up(
    client: &Client,
    method: &'static str,
    directory: &Directory,
    user: &UserRef,
    need_role: bool,
    pace: &Pace,
) -> Result<Option<User>> {
    user.validate()?;
    let users = client.users();
    let options = &pace.batch.options;
    match user {
        UserRef::Email(email) => match directory.email(email) {
            Some(known) => known.cloned().map(Some),
            None => {
                pace.before_request().await;
                users.find_by_email(method, options, email).await.map(Some)
            }
        },
        UserRef::Id(id) if need_role => match directory.by_id.get(id) {
            Some(known) => Ok(Some(known.clone())),
            // An ID the complete listing did not have: let the server judge it.
            None if directory.complete => Ok(None),
            None => {
                pace.before_request().await;
                users.get_by_id(method, options, id).await.map(Some)
            }
        },
        UserRef::Id(_) => Ok(None),
    }
}

/// A batch's pacing, shared by every request it sends (listing pages,
/// look-ups, invitations, membership changes): one [`Limiter`], told of
/// every answer as it arrives, with the time its request was sent (the
/// attempt hook), and admitting every request, each retry included (the
/// retry gate). A throttled answer is the batch's pace, not one user's
/// failure, so the calls are patient.
///
/// Each `Batch` value is one lane: requests sent one after another (a
/// user's look-up, invitation and membership, or the listing's pages), so
/// that the lane knows when its current request was sent. [`lane`](Self::lane)
/// makes another lane on the same limiter.
#[derive(Clone)]
pub(crate) struct Batch {
    pub(crate) options: CallOptions,
    limiter: Arc<Mutex<Limiter>>,
    clock: Instant,
    longest_pause: Duration,
    /// When this lane's current request was admitted.
    sent: Arc<Mutex<Duration>>,
}

impl Batch {
    /// A batch of up to `concurrency` users at a time.
    fn new(client: &Client, concurrency: usize) -> Batch {
        // A `Retry-After` past what the policy waits out fails its own call
        // at once; the batch pauses no longer than the policy would wait.
        let longest_pause = {
            use arize_ax_api::ClientInfo;
            client.raw().inner().retry_policy().retry_after_limit()
        };
        let limiter = Arc::new(Mutex::new(Limiter::new(concurrency)));
        Batch::on(limiter, Instant::now(), longest_pause, Duration::ZERO)
    }

    /// A lane on `limiter` whose first request was admitted at `sent`.
    fn on(
        limiter: Arc<Mutex<Limiter>>,
        clock: Instant,
        longest_pause: Duration,
        sent: Duration,
    ) -> Batch {
        let sent = Arc::new(Mutex::new(sent));
        let hook: AttemptHook = {
            let (limiter, sent) = (limiter.clone(), sent.clone());
            Arc::new(move |outcome| {
                let signal = match outcome {
                    Outcome::Answered(429, after) => {
                        Signal::Throttled(after.map(|a| a.min(longest_pause)))
                    }
                    Outcome::Answered(503, after) => {
                        Signal::Unavailable(after.map(|a| a.min(longest_pause)))
                    }
                    Outcome::Answered(..) => Signal::Clean,
                    _ => return,
                };
                let sent = *lock(&sent);
                lock(&limiter).finished(clock.elapsed(), sent, signal);
            })
        };
        let gate: RetryGate = {
            let (limiter, sent) = (limiter.clone(), sent.clone());
            Arc::new(move || {
                let (limiter, sent) = (limiter.clone(), sent.clone());
                Box::pin(async move {
                    let at = admit(&limiter, clock).await;
                    *lock(&sent) = at;
                })
            })
        };
        let options = CallOptions::new()
            .on_attempt(hook)
            .before_retry(gate)
            .patient();
        Batch {
            options,
            limiter,
            clock,
            longest_pause,
            sent,
        }
    }

    /// Another lane on the same limiter, whose first request was admitted
    /// at `sent`.
    fn lane(&self, sent: Duration) -> Batch {
        Batch::on(self.limiter.clone(), self.clock, self.longest_pause, sent)
    }

    /// Waits until the limiter lets this lane's next request start.
    async fn admit(&self) {
        let at = admit(&self.limiter, self.clock).await;
        *lock(&self.sent) = at;
    }
}

/// One job's share of the batch's pacing: the job was started by the
/// limiter, which covers its first request; each further request (a
/// look-up, then an invitation, then the membership) waits for the limiter
/// too, so the pace counts requests, not users.
pub(crate) struct Pace {
    pub(crate) batch: Batch,
    first: std::sync::atomic::AtomicBool,
}

impl Pace {
    /// Waits until the limiter lets this job's next request start.
    pub(crate) async fn before_request(&self) {
        use std::sync::atomic::Ordering;
        if self.first.swap(false, Ordering::Relaxed) {
            return;
        }
        self.batch.admit().await;
    }
}

/// Waits until `limiter` lets a request start (its pace, and any pause a
/// `Retry-After` asked for), counts the start and says when it was.
async fn admit(limiter: &Mutex<Limiter>, clock: Instant) -> Duration {
    loop {
        let wait = {
            let mut limiter = lock(limiter);
            let now = clock.elapsed();
            match limiter.wait(now, 0) {
                Some(Duration::ZERO) | None => {
                    limiter.started(now);
                    return now;
                }
                Some(wait) => wait,
            }
        };
        tokio::time::sleep(wait).await;
    }
}

/// Runs `job` for every item under the batch's [`Limiter`] (up to its cap
/// in flight, paced), in any order, and returns one result per item in
/// input order. Each job passes the batch's [`CallOptions`] to its calls;
/// each call retries only as the client's retry policy says, nothing here
/// repeats a request.
async fn for_each_user<I, T, Fut>(
    batch: &Batch,
    progress: &Option<Progress>,
    items: Vec<I>,
    user: impl Fn(&I) -> UserRef,
    job: impl Fn(I, Pace) -> Fut,
) -> Vec<BulkItem<T>>
where
    Fut: Future<Output = Result<T>>,
{
    let total = items.len();
    let users: Vec<UserRef> = items.iter().map(&user).collect();
    let mut results: Vec<Option<Result<T>>> = (0..total).map(|_| None).collect();
    let mut pending = items.into_iter().enumerate();
    let mut in_flight = FuturesUnordered::new();
    let clock = batch.clock;
    let mut done = 0;
    let job = &job;
    loop {
        let mut pause = None;
        while pending.len() > 0 {
            let mut limiter = lock(&batch.limiter);
            match limiter.wait(clock.elapsed(), in_flight.len()) {
                Some(Duration::ZERO) => {
                    let now = clock.elapsed();
                    limiter.started(now);
                    let (index, item) = pending.next().expect("an item is pending");
                    let pace = Pace {
                        batch: batch.lane(now),
                        first: std::sync::atomic::AtomicBool::new(true),
                    };
                    in_flight.push(async move { (index, job(item, pace).await) });
                }
                Some(wait) => {
                    pause = Some(wait);
                    break;
                }
                None => break,
            }
        }
        if in_flight.is_empty() && pause.is_none() {
            break;
        }
        let finished = match pause {
            Some(wait) if in_flight.is_empty() => {
                tokio::time::sleep(wait).await;
                None
            }
            Some(wait) => {
                let sleep = std::pin::pin!(tokio::time::sleep(wait));
                match future::select(in_flight.next(), sleep).await {
                    future::Either::Left((finished, _)) => finished,
                    future::Either::Right(((), _)) => None,
                }
            }
            None => in_flight.next().await,
        };
        if let Some((index, result)) = finished {
            results[index] = Some(result);
            done += 1;
            if let Some(progress) = progress {
                (progress.0)(done, total);
            }
        }
    }
    users
        .into_iter()
        .zip(results)
        .map(|(user, result)| BulkItem {
            user,
            result: result.expect("every item ran"),
        })
        .collect()
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
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
        let mut directory = Directory::for_batch(client, METHOD, lookups, &batch).await?;
        let given: Vec<&UserRef> = self.users.iter().map(|(u, _)| u).collect();
        check_unique_resolved(client, METHOD, &given, &mut directory, &batch).await?;
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
                        let found = look_up(client, METHOD, directory, &user, true, &pace)
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
                    _ => look_up(client, METHOD, directory, &user, check_role, &pace).await?,
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
        let mut directory = Directory::for_batch(client, METHOD, lookups, &batch).await?;
        let given: Vec<&UserRef> = self.users.iter().collect();
        check_unique_resolved(client, METHOD, &given, &mut directory, &batch).await?;
        let (org_id, directory) = (&org_id, &directory);
        let items = for_each_user(
            &batch,
            &self.progress,
            self.users,
            UserRef::clone,
            |user, pace| async move {
                let found = look_up(client, METHOD, directory, &user, false, &pace).await?;
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

impl IntoFuture for RemoveUsers {
    type Output = Result<BulkReport<Removal>>;
    type IntoFuture = BoxFuture<BulkReport<Removal>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
