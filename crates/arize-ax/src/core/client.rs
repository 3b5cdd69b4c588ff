//! The client and the one call path: every call is a generated builder run
//! through [`Client::call`] (or a variant that also returns what the
//! transport did, or the success status), whose errors become this crate's.
//! Each resource adds its accessor (`client.organizations()`, …) in its own
//! module.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use arize_ax_api::transport::{
    CallOptions, CallReport, NON_PROBLEM_BODY, OVERSIZED_BODY, is_certificate_error, observe_with,
    retry_after,
};
use arize_ax_api::{ClientInfo, Operation, types};

use crate::core::error::{ApiError, DecodeError, Error, Problem, Result, TransportError, snippet};
use crate::core::warning::PrereleaseGate;

/// The Arize AX client. Cheap to clone; clones share connections.
///
/// ```no_run
/// # async fn run() -> arize_ax::Result<()> {
/// let client = arize_ax::Client::from_env()?;
/// let org = client.organizations().get("my-organization").await?;
/// println!("{} {}", org.id, org.name);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    /// The generated client; its transport carries the key, headers,
    /// timeout and retry policy.
    pub(crate) raw: arize_ax_api::Client,
    pub(crate) base_url: url::Url,
    pub(crate) gate: Option<Arc<PrereleaseGate>>,
    /// What a resource keeps for the life of the client (see
    /// [`Client::memo`]).
    pub(crate) memo: Memo,
}

/// One value per type, shared by a client and its clones: where a resource
/// keeps what it has learnt (a listing it resolves names in), without the
/// core knowing what it is. Each slot is created empty (`Default`) on first
/// use and lives as long as the client.
#[derive(Default)]
pub(crate) struct Memo(Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>);

impl fmt::Debug for Memo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let slots = self.0.lock().map_or(0, |slots| slots.len());
        f.debug_struct("Memo").field("slots", &slots).finish()
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("transport", self.inner.raw.inner())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// The URL requests are sent to.
    pub fn base_url(&self) -> &url::Url {
        &self.inner.base_url
    }

    /// The generated client this one calls, with the same key, headers,
    /// timeout and retry policy: for operations and options the facade does
    /// not cover.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let page = client.raw().list_users().limit(10).send().await?;
    /// println!("{} users", page.users.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn raw(&self) -> &arize_ax_api::Client {
        &self.inner.raw
    }

    /// Prints the pre-release warning of `method` once, with the stage its
    /// operation has in the spec.
    pub(crate) fn warn_prerelease(&self, method: &'static str, operation: &Operation) {
        if let Some(gate) = &self.inner.gate {
            gate.warn(method, operation.stage);
        }
    }

    /// The memo slot of type `T` of this client (shared by its clones),
    /// created with `T::default()` on first use. The slot's type is its key,
    /// so a resource keeps a private type there that nobody else can name;
    /// what it holds, and when that goes stale, is the resource's business
    /// (the slot is behind an `Arc`; it does its own locking inside).
    pub(crate) fn memo<T: Any + Send + Sync + Default>(&self) -> Arc<T> {
        let mut slots = self
            .inner
            .memo
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let slot = slots
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Arc::new(T::default()));
        Arc::clone(slot)
            .downcast::<T>()
            .unwrap_or_else(|_| unreachable!("a memo slot is keyed by its own type"))
    }

    /// Runs one generated call and turns its failure into this crate's
    /// errors, named after `method` (the facade method, e.g.
    /// `organizations.get`).
    pub(crate) async fn call<T>(
        &self,
        method: &'static str,
        call: impl Future<Output = RawResult<T>>,
    ) -> Result<T> {
        self.call_reporting(method, call).await.0
    }

    /// Like [`call`](Self::call), with what the transport did; retried as
    /// if the operation had `idempotency`, when given.
    pub(crate) async fn call_reporting<T>(
        &self,
        method: &'static str,
        call: impl Future<Output = RawResult<T>>,
    ) -> (Result<T>, CallReport) {
        self.call_as(method, CallOptions::default(), call).await
    }

    /// Like [`call_reporting`](Self::call_reporting), with options for the
    /// transport (an idempotency to retry by, a hook told of each attempt).
    pub(crate) async fn call_as<T>(
        &self,
        method: &'static str,
        options: CallOptions,
        call: impl Future<Output = RawResult<T>>,
    ) -> (Result<T>, CallReport) {
        let (result, report) = self.call_with_status(method, options, call).await;
        (result.map(|(_, value)| value), report)
    }

    /// Like [`call_as`](Self::call_as), keeping the success status (for an
    /// operation whose 2xx statuses mean different things).
    pub(crate) async fn call_with_status<T>(
        &self,
        method: &'static str,
        options: CallOptions,
        call: impl Future<Output = RawResult<T>>,
    ) -> (Result<(u16, T)>, CallReport) {
        let (result, report) = observe_with(options, call).await;
        let result = match result {
            Ok(value) => Ok((value.status().as_u16(), value.into_inner())),
            Err(error) => Err(from_raw::<T>(method, error, &report).await),
        };
        (result, report)
    }
}

/// What a generated call returns.
pub(crate) type RawResult<T> =
    std::result::Result<arize_ax_api::ResponseValue<T>, arize_ax_api::Error<types::Problem>>;

/// Turns a generated call's error into this crate's error.
async fn from_raw<T>(
    method: &'static str,
    error: arize_ax_api::Error<types::Problem>,
    report: &CallReport,
) -> Error {
    use arize_ax_api::Error as Raw;
    let attempts = report.attempts.max(1);
    match error {
        Raw::ErrorResponse(response) => {
            let status = response.status().as_u16();
            let retry_after = retry_after(response.headers());
            api_error(method, status, retry_after, response.into_inner(), attempts)
        }
        Raw::UnexpectedResponse(response) => {
            let status = response.status().as_u16();
            let retry_after = retry_after(response.headers());
            match response.bytes().await {
                Ok(body) => match serde_json::from_slice::<types::Problem>(&body) {
                    Ok(problem) => api_error(method, status, retry_after, problem, attempts),
                    Err(_) => Error::Api(Box::new(ApiError {
                        operation: method,
                        status,
                        problem: None,
                        body_snippet: (!body.is_empty()).then(|| snippet(&body)),
                        retry_after,
                        attempts,
                        advice: None,
                    })),
                },
                Err(e) => transport(method, attempts, e),
            }
        }
        Raw::CommunicationError(e) | Raw::ResponseBodyError(e) | Raw::InvalidUpgrade(e) => {
            transport(method, attempts, e)
        }
        Raw::InvalidResponsePayload(body, e) => Error::Decode(DecodeError {
            operation: method,
            expected: short_type_name::<T>(),
            reason: if body.is_empty() {
                "the body is empty".into()
            } else if let Some(rest) = body.strip_prefix(OVERSIZED_BODY.as_bytes()) {
                let cap = String::from_utf8_lossy(rest);
                let cap = cap.split(' ').next().unwrap_or_default();
                format!(
                    "the body is larger than the cap of {cap} bytes \
                     (ClientBuilder::max_body_size); reading stopped there. The server \
                     answered with success, so any change the call asked for took effect"
                )
            } else {
                "it does not have the expected shape".into()
            },
            snippet: snippet(&body),
            source: (!body.is_empty()).then(|| Box::new(e) as Box<_>),
        }),
        Raw::InvalidRequest(reason) | Raw::Custom(reason) => Error::InvalidInput {
            field: "request",
            reason,
        },
    }
}

/// `arize_ax_api::types::Organization` → `Organization`.
fn short_type_name<T>() -> &'static str {
    let name = std::any::type_name::<T>();
    let base = name.split('<').next().unwrap_or(name);
    base.rsplit("::").next().unwrap_or(base)
}

fn api_error(
    operation: &'static str,
    status: u16,
    retry_after: Option<Duration>,
    problem: types::Problem,
    attempts: u32,
) -> Error {
    // The transport turns a body that was not problem JSON into a problem of
    // this type, with the start of the body as its detail.
    let (problem, body_snippet) = if problem.type_.as_deref() == Some(NON_PROBLEM_BODY) {
        (None, problem.detail)
    } else {
        (Some(Problem::from(problem)), None)
    };
    Error::Api(Box::new(ApiError {
        operation,
        status,
        problem,
        body_snippet,
        retry_after,
        attempts,
        advice: None,
    }))
}

fn transport(operation: &'static str, attempts: u32, error: reqwest::Error) -> Error {
    // reqwest's messages include the URL but never headers, so the key stays
    // out; strip the URL anyway to keep the line short.
    let is_timeout = error.is_timeout();
    let is_certificate = is_certificate_error(&error);
    let is_connect = error.is_connect() && !is_certificate;
    // The message is reqwest's own line; its causes (the I/O or TLS error)
    // stay reachable through `source()`, so `{:#}` prints each level once.
    let error = error.without_url();
    let message = error.to_string();
    Error::Transport(TransportError {
        operation,
        message,
        is_timeout,
        is_connect,
        is_certificate,
        attempts,
        source: Some(Box::new(error)),
    })
}
