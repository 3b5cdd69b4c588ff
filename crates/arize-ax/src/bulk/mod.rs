//! The bulk engine, resource-agnostic: many users, one request each at the
//! pace the server accepts ([`limiter`]), one result per user in input
//! order. Duplicates are refused before any write ([`check_unique`]); a
//! batch's users come from the users API (`Users::for_batch`). A membership
//! (an organization's today, a space's next) plugs in with
//! [`for_each_user`]: its own validation and its one request per user.

pub(crate) mod limiter;
pub(crate) mod members;

use std::time::Duration;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use arize_ax_api::transport::{AttemptHook, CallOptions, Outcome, RetryGate};
use futures::future;
use futures::stream::{FuturesUnordered, StreamExt};

use crate::bulk::limiter::{Limiter, Signal};
use crate::core::client::Client;
use crate::core::error::{Error, Result};
use crate::refs::UserRef;
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

/// A progress callback: called after each user with (users done, users in
/// all).
#[derive(Clone)]
pub struct Progress(std::sync::Arc<dyn Fn(usize, usize) + Send + Sync>);

impl Progress {
    /// A callback told `(done, total)` after each user.
    pub(crate) fn new(progress: impl Fn(usize, usize) + Send + Sync + 'static) -> Self {
        Progress(Arc::new(progress))
    }

    /// Tells the callback.
    pub(crate) fn tell(&self, done: usize, total: usize) {
        (self.0)(done, total)
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress(..)")
    }
}

pub(crate) fn check_concurrency(n: usize) -> Result<()> {
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
pub(crate) fn check_unique<'a>(users: impl Iterator<Item = &'a UserRef>) -> Result<()> {
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
    pub(crate) fn new(client: &Client, concurrency: usize) -> Batch {
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
                    // A wait past what the policy waits out is judged as
                    // asked (no fit explains it): the batch pauses, for
                    // as long as the policy would wait.
                    Outcome::Answered(429, Some(after)) if after > longest_pause => {
                        Signal::Unavailable(Some(longest_pause))
                    }
                    Outcome::Answered(429, after) => Signal::Throttled(after),
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
    pub(crate) async fn admit(&self) {
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
pub(crate) async fn for_each_user<I, T, Fut>(
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
                progress.tell(done, total);
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
