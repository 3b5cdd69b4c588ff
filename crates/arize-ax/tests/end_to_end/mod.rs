//! The facade against the fake server, end to end: lifecycles, bulk work,
//! faults and lost answers, bad input, secrets.

use std::sync::Arc;
use std::time::Duration;

use arize_ax::{Client, PrereleaseGate, RetryPolicy};
use arize_ax_fake::FakeArize;

mod api_keys;
mod bad_input;
mod bulk;
mod e2e;
mod faults;
mod lifecycle;
mod lost_answers;
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
