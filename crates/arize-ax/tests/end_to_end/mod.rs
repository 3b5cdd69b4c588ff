//! The facade against the fake server, end to end: lifecycles, bulk work,
//! faults and lost answers, bad input, secrets.

use std::sync::Arc;
use std::time::Duration;

use arize_ax::{Client, PrereleaseGate, RetryPolicy};
use arize_ax_fake::FakeArize;

mod access_review;
mod api_keys;
mod audit_logs;
mod bad_input;
mod bulk;
mod e2e;
mod faults;
mod lifecycle;
mod lost_answers;
mod resource_restrictions;
mod role_bindings;
mod roles;
mod security;
mod spaces;
mod users;

/// A client of `fake`: its key and URL, warnings captured (never printed),
/// retries 2 ms apart.
pub fn client(fake: &FakeArize) -> Client {
    Client::builder()
        .api_key(fake.api_key())
        .base_url(fake.base_url())
        .prerelease_gate(Arc::new(PrereleaseGate::capturing()))
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(2)))
        .build()
        .unwrap()
}

/// A fake with `orgs` generated organizations (`org-00001`, …) of
/// `spaces` spaces each, its IDs and names drawn from `seed`.
pub async fn seeded(seed: u64, orgs: usize, spaces: usize) -> FakeArize {
    FakeArize::builder()
        .seed(seed)
        .seed_orgs(orgs)
        .spaces_per_org(spaces)
        .start()
        .await
        .unwrap()
}

/// One organization with a space `ranking` and a custom role `role`
/// (DATASET_READ), made through the facade.
pub async fn with_space_and_role(seed: u64, role: &str) -> FakeArize {
    let fake = seeded(seed, 1, 0).await;
    let client = client(&fake);
    client
        .spaces()
        .create("org-00001", "ranking")
        .await
        .unwrap();
    client
        .roles()
        .create(role)
        .permissions(["DATASET_READ"])
        .await
        .unwrap();
    fake
}

/// Held by every test that captures tracing output with a thread-local
/// subscriber: tracing caches each call site's interest process-wide, and
/// tests that install and drop subscribers on other threads at the same
/// moment can leave a call site disabled for one of them. One at a time,
/// with the cache rebuilt after installing (see [`capture`]).
pub static TRACING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Installs `subscriber` as this thread's default and rebuilds the call
/// sites' interest, so that every event reaches it; hold [`TRACING`] while
/// the guard lives.
pub fn capture(
    subscriber: impl tracing::Subscriber + Send + Sync + 'static,
) -> tracing::subscriber::DefaultGuard {
    let guard = tracing::subscriber::set_default(subscriber);
    tracing::callsite::rebuild_interest_cache();
    guard
}
