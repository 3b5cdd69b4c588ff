//! The transport policy every generated call runs through: the one
//! hand-written piece of the wire layer (`impl ClientHooks for Client`).
//!
//! Before a request: `+` and `=` in the path are percent-encoded (IDs are
//! base64; progenitor encodes `/` but not these), the identity headers and
//! any configured ones are added, and the per-request timeout is set.
//!
//! Sending: a request is retried according to a [`RetryPolicy`] and the
//! operation's [`Idempotency`] (see [`retry_delay`] for the whole table):
//! 429 and 503 on every operation after `Retry-After`; 500/502/504 and a
//! connection lost after sending only when repeating the operation is
//! harmless; a connection that never opened on every operation; a
//! certificate error never. Every answer is returned as it came: when a
//! DELETE's retry finds nothing (404) after an attempt that may have taken
//! effect, the 404 comes back and [`CallReport::may_have_taken_effect`] says
//! an earlier attempt may have done the work; what that means is the
//! caller's to decide (the `arize-ax` facade decides per operation).
//!
//! After: an error answer whose body is not problem JSON is rewritten into a
//! problem body the generated code decodes ([`NON_PROBLEM_BODY`]), keeping
//! its status and headers.
//!
//! Each call is one `tracing` span, `arize_ax_api::call`, with the
//! operation, attempts, final status and elapsed milliseconds; each retry is
//! a debug event in it.
//!
//! The defaults suit the raw client: identity headers, no timeout beyond the
//! HTTP client's, and **no retries** ([`RetryPolicy::none`]) unless asked
//! for with [`Transport::retry`].

use std::cell::RefCell;
use std::future::Future;
use std::time::{Duration, Instant};

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Request, Response, StatusCode};
use tracing::Instrument;

use crate::{Client, Idempotency, types};

/// The `type` of a problem body made up by the transport because the
/// server's error body was not problem JSON (an HTML page from a proxy, say);
/// its `detail` holds the start of the original body.
pub const NON_PROBLEM_BODY: &str = "urn:arize-ax:non-problem-body";

/// The shortest wait between throttled attempts of a patient call, so that
/// its total wait bounds it even with a zero backoff and `Retry-After: 0`.
const PATIENT_FLOOR: Duration = Duration::from_millis(10);

/// The longest part of an original body kept in a made-up problem's
/// `detail`, in characters.
const SNIPPET_CHARS: usize = 200;

/// When and how often to try a request again.
///
/// ```
/// use std::time::Duration;
/// use arize_ax_api::transport::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_attempts(5)
///     .max_total_wait(Duration::from_secs(120));
/// assert_eq!(RetryPolicy::none().attempts(), 1);
/// # let _ = policy;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    max_total_wait: Duration,
}

impl Default for RetryPolicy {
    /// Three attempts, backoff from 200 ms to 5 s, `Retry-After` waits up to
    /// 30 s, at most 60 s of waiting per call.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
            max_total_wait: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is sent once.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Attempts per request, the first one included (at least 1; default 3).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The first backoff delay; it doubles with each retry (default 200 ms).
    pub fn initial_backoff(mut self, delay: Duration) -> Self {
        self.initial_backoff = delay;
        self
    }

    /// The longest backoff delay (default 5 s).
    pub fn max_backoff(mut self, delay: Duration) -> Self {
        self.max_backoff = delay;
        self
    }

    /// The longest single wait a `Retry-After` may impose (default 30 s).
    pub fn max_retry_after(mut self, delay: Duration) -> Self {
        self.max_retry_after = delay;
        self
    }

    /// The longest `Retry-After` a call waits out (a longer one fails the
    /// call at once).
    pub fn retry_after_limit(&self) -> Duration {
        self.max_retry_after
    }

    /// The most time one call spends waiting between attempts (default 60 s).
    pub fn max_total_wait(mut self, delay: Duration) -> Self {
        self.max_total_wait = delay;
        self
    }

    /// Attempts per request, the first one included.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The backoff before retry number `retry` (1 for the first), with
    /// `jitter` in [0, 1] choosing between half and all of the delay.
    pub fn backoff(&self, retry: u32, jitter: f64) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(1u32 << retry.saturating_sub(1).min(16));
        let capped = exp.min(self.max_backoff);
        let half = capped / 2;
        // A NaN or out-of-range jitter is the middle; the product cannot
        // exceed `half`, so nothing here overflows or panics.
        let jitter = if jitter.is_nan() {
            0.5
        } else {
            jitter.clamp(0.0, 1.0)
        };
        let spread = Duration::try_from_secs_f64(half.as_secs_f64() * jitter).unwrap_or(half);
        half.saturating_add(spread.min(half))
    }
}

/// What came of one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// The server answered with this status (and `Retry-After`, if any).
    Answered(u16, Option<Duration>),
    /// The connection could not be opened: the request was never sent.
    NotSent,
    /// The request was (or may have been) sent, but no answer came: a
    /// timeout, or the connection closed mid-way. It may have taken effect.
    Lost,
    /// The server's TLS certificate was not trusted. Final.
    Certificate,
}

impl Outcome {
    /// Whether the attempt may have changed something although it did not
    /// say so: a lost answer, or a server error that may come after the
    /// work (500, 502, 504, …). A 503 (unavailable) and a 501 (not
    /// implemented) say the request was not processed.
    pub fn may_have_taken_effect(self) -> bool {
        match self {
            Outcome::Lost => true,
            Outcome::Answered(501 | 503, _) => false,
            Outcome::Answered(status, _) => (500..600).contains(&status),
            Outcome::NotSent | Outcome::Certificate => false,
        }
    }
}

/// How long to wait before trying attempt `attempt + 1`, or `None` to stop
/// after attempt `attempt` (1-based), given what it came to, what the
/// operation may repeat, what was waited so far, and the policy. `jitter` in
/// [0, 1] spreads backoff delays.
///
/// | outcome | safe / idempotent | not idempotent |
/// |---|---|---|
/// | 429, 503 (not processed) | after `Retry-After`, else backoff | same |
/// | 429, 503 with a `Retry-After` longer than the policy's `max_retry_after` | stop at once | stop at once |
/// | 500, 502, 504 | backoff | stop |
/// | connection lost after sending | backoff | stop |
/// | connection never opened | backoff | backoff |
/// | certificate not trusted | stop | stop |
/// | any other status | stop | stop |
///
/// And always stop once `attempt` reaches the policy's attempts, or when the
/// wait would take the call past its total waiting time.
pub fn retry_delay(
    idempotency: Idempotency,
    outcome: Outcome,
    attempt: u32,
    waited: Duration,
    policy: &RetryPolicy,
    jitter: f64,
) -> Option<Duration> {
    if attempt >= policy.max_attempts {
        return None;
    }
    let repeatable = idempotency != Idempotency::NotIdempotent;
    let delay = match outcome {
        // Waiting less than the server asked would only spend the attempt.
        Outcome::Answered(429 | 503, Some(after)) if after > policy.max_retry_after => {
            return None;
        }
        Outcome::Answered(429 | 503, Some(after)) => after,
        Outcome::Answered(429 | 503, None) => policy.backoff(attempt, jitter),
        Outcome::Answered(500 | 502 | 504, _) if repeatable => policy.backoff(attempt, jitter),
        Outcome::Lost if repeatable => policy.backoff(attempt, jitter),
        Outcome::NotSent => policy.backoff(attempt, jitter),
        _ => return None,
    };
    (waited.saturating_add(delay) <= policy.max_total_wait).then_some(delay)
}

/// What the transport did for one call; read it with [`observe`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallReport {
    /// Requests sent (or tried), the first one included.
    pub attempts: u32,
    /// Time spent waiting between attempts.
    pub waited: Duration,
    /// Some attempt may have taken effect without saying so (a 500, 502 or
    /// 504, or a lost answer). The last attempt's answer is the result, so
    /// when that is a plain answer (a 404, say) this speaks of an earlier
    /// attempt.
    pub may_have_taken_effect: bool,
    /// How many answers were 429 (rate limited), retried or not.
    pub rate_limited: u32,
    /// Time the retries were held by [`CallOptions::before_retry`] (a
    /// batch's pace), after their waits; not counted in `waited` nor in the
    /// policy's total wait.
    pub paced: Duration,
}

/// What one call's scope holds: its report, and how repeatable the caller
/// says this call is.
struct Scope {
    report: RefCell<CallReport>,
    options: CallOptions,
}

/// Called with the outcome of every attempt of a call, as it happens
/// (before any wait for a retry): a caller pacing many calls learns of a 429
/// at once.
pub type AttemptHook = std::sync::Arc<dyn Fn(Outcome) + Send + Sync>;

/// Awaited before each retry of a call (after the retry's own wait): work
/// paced as a whole holds the retry until its pace lets it go.
pub type RetryGate =
    std::sync::Arc<dyn Fn() -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// How the transport treats one call; see [`observe_with`].
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct CallOptions {
    /// Retry as if the operation had this idempotency.
    pub idempotency: Option<Idempotency>,
    /// Told the outcome of every attempt.
    pub on_attempt: Option<AttemptHook>,
    /// Answers that say "not now" (429, and 503 with `Retry-After`) do not count toward the
    /// policy's attempts: such a call gives up only for its own error, or
    /// when its waits reach the policy's total wait. For work that is paced
    /// as a whole (bulk calls), where a throttled answer says nothing about
    /// this one request. Only with a policy that retries at all.
    pub patient: bool,
    /// Awaited before every retry, after its wait.
    pub before_retry: Option<RetryGate>,
}

impl CallOptions {
    /// No overrides: the operation's own idempotency, no hook.
    ///
    /// ```
    /// use arize_ax_api::{Idempotency, transport::CallOptions};
    ///
    /// let options = CallOptions::new()
    ///     .idempotency(Idempotency::Idempotent)
    ///     .on_attempt(std::sync::Arc::new(|outcome| eprintln!("{outcome:?}")));
    /// assert_eq!(options.idempotency, Some(Idempotency::Idempotent));
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Retry as if the operation had `idempotency`.
    pub fn idempotency(mut self, idempotency: Idempotency) -> Self {
        self.idempotency = Some(idempotency);
        self
    }

    /// Tell `hook` the outcome of every attempt.
    pub fn on_attempt(mut self, hook: AttemptHook) -> Self {
        self.on_attempt = Some(hook);
        self
    }

    /// Await `gate` before every retry (after the retry's own wait).
    pub fn before_retry(mut self, gate: RetryGate) -> Self {
        self.before_retry = Some(gate);
        self
    }

    /// Do not count 429 and 503 answers toward the attempts (see
    /// [`patient`](Self::patient) the field).
    pub fn patient(mut self) -> Self {
        self.patient = true;
        self
    }
}

impl std::fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallOptions")
            .field("idempotency", &self.idempotency)
            .field("on_attempt", &self.on_attempt.is_some())
            .field("patient", &self.patient)
            .field("before_retry", &self.before_retry.is_some())
            .finish()
    }
}

tokio::task_local! {
    static SCOPE: Scope;
}

/// Runs `call` (one generated call) and returns its result with what the
/// transport did for it. Concurrent calls each get their own report.
///
/// ```no_run
/// # async fn run(client: arize_ax_api::Client) {
/// let call = client.get_organization().org_id("T3JnYW5pemF0aW9uOjE=".to_string()).send();
/// let (result, report) = arize_ax_api::transport::observe(call).await;
/// println!("{} attempts: {:?}", report.attempts, result.map(|r| r.into_inner().name));
/// # }
/// ```
pub async fn observe<F: Future>(call: F) -> (F::Output, CallReport) {
    observe_with(CallOptions::default(), call).await
}

/// Like [`observe`], retrying the call as if its operation had
/// `idempotency`: for a caller that made a call safe to repeat (a create
/// that treats "name taken" as success, say).
pub async fn observe_as<F: Future>(idempotency: Idempotency, call: F) -> (F::Output, CallReport) {
    let options = CallOptions::new().idempotency(idempotency);
    observe_with(options, call).await
}

/// Like [`observe`], with [`CallOptions`] for this call.
pub async fn observe_with<F: Future>(options: CallOptions, call: F) -> (F::Output, CallReport) {
    let scope = Scope {
        report: RefCell::new(CallReport::default()),
        options,
    };
    SCOPE
        .scope(scope, async move {
            let output = call.await;
            (output, SCOPE.with(|scope| scope.report.take()))
        })
        .await
}

fn record(update: impl FnOnce(&mut CallReport)) {
    let _ = SCOPE.try_with(|scope| update(&mut scope.report.borrow_mut()));
}

/// What every generated call carries: identity and extra headers, the
/// per-request timeout and the retry policy.
///
/// ```
/// use std::time::Duration;
/// use arize_ax_api::transport::{RetryPolicy, Transport};
///
/// let transport = Transport::default()
///     .bearer("ak-secret")
///     .timeout(Duration::from_secs(10))
///     .retry(RetryPolicy::default());
/// let client = arize_ax_api::Client::new("https://api.arize.com", transport);
/// assert!(!format!("{client:?}").contains("ak-secret"));
/// ```
#[derive(Clone)]
pub struct Transport {
    headers: HeaderMap,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    max_body: usize,
}

/// The default cap on a response body: 32 MiB. A page of this API is a few
/// hundred kB at most; a larger answer is a fault (or hostile), and reading
/// it whole would hold it all in memory.
pub const DEFAULT_MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// How the body of an answer past the cap starts: the transport stops
/// reading at the cap and hands the generated code this text instead, so the
/// call fails to decode with a message that names the cap.
pub const OVERSIZED_BODY: &str = "arize-ax-api: the response body is larger than the cap of ";

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if value.is_sensitive() {
                    "<redacted>"
                } else {
                    value.to_str().unwrap_or("<binary>")
                };
                (name.as_str(), shown)
            })
            .collect();
        f.debug_struct("Transport")
            .field("headers", &headers)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("max_body", &self.max_body)
            .finish()
    }
}

impl Default for Transport {
    /// Identity headers of this crate, no timeout of its own, no retries.
    fn default() -> Self {
        Transport::identified_as("arize-ax-api", env!("CARGO_PKG_VERSION"))
    }
}

impl Transport {
    /// A transport whose identity headers name `package` at `version`
    /// (`User-Agent`, `sdk-language`, `language-version`, `sdk-version`,
    /// `sdk-package-name`), with no timeout of its own and no retries.
    pub fn identified_as(package: &str, version: &str) -> Self {
        let mut headers = HeaderMap::new();
        let mut set = |name: &'static str, value: String| {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(HeaderName::from_static(name), value);
            }
        };
        set("user-agent", format!("{package}-rust/{version}"));
        set("sdk-language", "rust".into());
        set("language-version", env!("ARIZE_AX_RUSTC_VERSION").into());
        set("sdk-version", version.into());
        set("sdk-package-name", package.into());
        Transport {
            headers,
            timeout: None,
            retry: RetryPolicy::none(),
            max_body: DEFAULT_MAX_BODY_BYTES,
        }
    }

    /// Sends `Authorization: Bearer <key>` (marked sensitive: never shown in
    /// `Debug`).
    ///
    /// # Panics
    ///
    /// If the key is not a valid header value (control characters).
    pub fn bearer(self, key: &str) -> Self {
        let mut value =
            HeaderValue::from_str(&format!("Bearer {key}")).expect("the API key is a header value");
        value.set_sensitive(true);
        self.header(reqwest::header::AUTHORIZATION, value)
    }

    /// Adds a header to every request (replacing one of the same name). Its
    /// value is marked sensitive, so `Debug` shows it as `<redacted>` (it may
    /// be a gateway's key).
    pub fn header(mut self, name: HeaderName, mut value: HeaderValue) -> Self {
        value.set_sensitive(true);
        self.headers.insert(name, value);
        self
    }

    /// Time limit of each attempt.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The largest response body read, in bytes (default
    /// [`DEFAULT_MAX_BODY_BYTES`], 32 MiB). Past it the transport stops
    /// reading and the call fails to decode, naming the cap (the body then
    /// starts with [`OVERSIZED_BODY`]); an error status keeps its status.
    ///
    /// ```
    /// use arize_ax_api::transport::Transport;
    ///
    /// let transport = Transport::default().max_body_size(4 << 20);
    /// assert_eq!(transport.max_body(), 4 << 20);
    /// ```
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// The cap on a response body, in bytes.
    pub fn max_body(&self) -> usize {
        self.max_body
    }

    /// The retry policy (default: [`RetryPolicy::none`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The retry policy in force.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    fn prepare(&self, request: &mut Request) {
        encode_reserved_in_path(request);
        for (name, value) in &self.headers {
            if !request.headers().contains_key(name) {
                request.headers_mut().insert(name, value.clone());
            }
        }
        if let (Some(timeout), None) = (self.timeout, request.timeout()) {
            *request.timeout_mut() = Some(timeout);
        }
    }

    async fn execute(
        &self,
        http: &reqwest::Client,
        request: Request,
        operation_id: &'static str,
    ) -> reqwest::Result<Response> {
        let (idempotency, on_attempt, patient, before_retry) = SCOPE
            .try_with(|scope| {
                (
                    scope.options.idempotency,
                    scope.options.on_attempt.clone(),
                    scope.options.patient,
                    scope.options.before_retry.clone(),
                )
            })
            .unwrap_or_default();
        // A patient call counts only the attempts that were not throttled;
        // throttled ones are bounded by the total wait alone.
        let patient = patient && self.retry.max_attempts > 1;
        let unbounded = self.retry.clone().max_attempts(u32::MAX);
        let mut throttled = 0;
        let idempotency = idempotency
            .or(crate::operation(operation_id).map(|op| op.idempotency))
            .unwrap_or(Idempotency::NotIdempotent);
        let span = tracing::debug_span!(
            "arize_ax_api::call",
            operation = operation_id,
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let mut waited = Duration::ZERO;
        let mut attempt = 0;
        let mut original = Some(request);
        let result = async {
            loop {
                attempt += 1;
                // Keep the original for a retry when it can be copied (every
                // body of this API is JSON bytes, so it can).
                let this = match original.as_ref().and_then(Request::try_clone) {
                    Some(copy) => copy,
                    None => original.take().expect("a request is left to send"),
                };
                tracing::debug!(
                    target: "arize_ax_api::transport",
                    operation = operation_id,
                    method = %this.method(),
                    path = this.url().path(),
                    attempt,
                    "sending request"
                );
                // The whole answer is read here, so a connection lost in the
                // middle of a body is a lost answer the policy can retry.
                let sent = match http.execute(this).await {
                    Ok(response) => read_whole(response, self.max_body).await,
                    Err(error) => Err(error),
                };
                let outcome = match &sent {
                    Ok(whole) => {
                        Outcome::Answered(whole.status.as_u16(), retry_after(&whole.headers))
                    }
                    Err(error) => classify_error(error),
                };
                if let Some(hook) = &on_attempt {
                    hook(outcome);
                }
                record(|r| {
                    r.attempts = attempt;
                    r.may_have_taken_effect |= outcome.may_have_taken_effect();
                    r.rate_limited += u32::from(matches!(outcome, Outcome::Answered(429, _)));
                });
                // "Not now": a 429, or a 503 that says when (a 503 without
                // a Retry-After may be an outage, which patience would
                // stretch to the total wait for every user).
                let not_now = matches!(
                    outcome,
                    Outcome::Answered(429, _) | Outcome::Answered(503, Some(_))
                );
                let delay = match (original.is_some(), patient && not_now) {
                    (false, _) => None,
                    (true, true) => {
                        throttled += 1;
                        // At least the first backoff each time, so that the
                        // total wait bounds even a run of `Retry-After: 0`.
                        retry_delay(
                            idempotency,
                            outcome,
                            attempt,
                            waited,
                            &unbounded,
                            random_unit(),
                        )
                        .map(|d| d.max(self.retry.initial_backoff).max(PATIENT_FLOOR))
                        .filter(|d| waited.saturating_add(*d) <= self.retry.max_total_wait)
                    }
                    (true, false) => retry_delay(
                        idempotency,
                        outcome,
                        attempt - if patient { throttled } else { 0 },
                        waited,
                        &self.retry,
                        random_unit(),
                    ),
                };
                let Some(delay) = delay else {
                    break sent.map(normalise);
                };
                tracing::debug!(
                    target: "arize_ax_api::transport",
                    operation = operation_id,
                    attempt,
                    ?outcome,
                    ?delay,
                    "retrying"
                );
                waited += delay;
                record(|r| r.waited = waited);
                tokio::time::sleep(delay).await;
                if let Some(gate) = &before_retry {
                    let held = Instant::now();
                    gate().await;
                    let held = held.elapsed();
                    record(|r| r.paced = r.paced.saturating_add(held));
                }
            }
        }
        .instrument(span.clone())
        .await;
        span.record("attempts", attempt);
        if let Ok(response) = &result {
            span.record("status", response.status().as_u16());
        }
        span.record("elapsed_ms", started.elapsed().as_millis() as u64);
        result
    }
}

impl ClientHooks<Transport> for Client {
    async fn pre<E>(
        &self,
        request: &mut Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        if let Some(op) = crate::operation(info.operation_id)
            && !path_fits(request.url().path(), op.path)
        {
            return Err(progenitor_client::Error::InvalidRequest(format!(
                "a path parameter of {} is empty, `.` or `..` (however encoded), which would \
                 change the path requested; nothing was sent",
                op.id
            )));
        }
        self.inner.prepare(request);
        Ok(())
    }

    async fn exec(&self, request: Request, info: &OperationInfo) -> reqwest::Result<Response> {
        self.inner
            .execute(self.client(), request, info.operation_id)
            .await
    }
}

/// Whether a request path still has the shape of its operation's template
/// (`/v2/organizations/{org_id}/users`): progenitor leaves `.` unencoded and
/// the URL parser then removes dot segments (`%2e%2e` too), so a parameter
/// `..` or `.` would send the request to another path, and an empty one
/// leaves an empty segment. The template must match the end of the path (a
/// base URL may carry a prefix), literal segments exactly and every
/// parameter segment non-empty.
fn path_fits(path: &str, template: &str) -> bool {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let parts: Vec<&str> = template.trim_start_matches('/').split('/').collect();
    if segments.len() < parts.len() {
        return false;
    }
    let tail = &segments[segments.len() - parts.len()..];
    tail.iter().zip(&parts).all(|(segment, part)| {
        if part.starts_with('{') {
            !segment.is_empty() && *segment != "." && *segment != ".."
        } else {
            segment == part
        }
    })
}

/// Percent-encodes `+` and `=` in the request path. The path templates of
/// this API contain neither, so every occurrence came from a parameter; a
/// `%` in a parameter was already encoded as `%25`, so nothing is encoded
/// twice.
fn encode_reserved_in_path(request: &mut Request) {
    let path = request.url().path();
    if path.contains(['+', '=']) {
        let encoded = path.replace('+', "%2B").replace('=', "%3D");
        request.url_mut().set_path(&encoded);
    }
}

fn classify_error(error: &reqwest::Error) -> Outcome {
    if is_certificate_error(error) {
        Outcome::Certificate
    } else if error.is_connect() {
        Outcome::NotSent
    } else {
        Outcome::Lost
    }
}

/// Whether an error (or a cause of it) is a TLS certificate the client does
/// not trust.
pub fn is_certificate_error(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = cause {
        let text = e.to_string().to_ascii_lowercase();
        if text.contains("certificate") || text.contains("unknownissuer") {
            return true;
        }
        cause = e.source();
    }
    false
}

/// The `Retry-After` of an answer, in either form HTTP allows: whole
/// seconds (as Arize sends it) or an HTTP date (the time until then; zero
/// for a date already past).
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(text).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// An answer read to its end.
struct Whole {
    status: StatusCode,
    headers: HeaderMap,
    body: bytes::Bytes,
}

/// Reads the answer, at most `cap` bytes of body: past it, reading stops
/// and the body becomes the [`OVERSIZED_BODY`] note.
async fn read_whole(mut response: Response, cap: usize) -> reqwest::Result<Whole> {
    let status = response.status();
    let headers = response.headers().clone();
    let oversized = || {
        bytes::Bytes::from(format!(
            "{OVERSIZED_BODY}{cap} bytes (Transport::max_body_size); reading stopped there"
        ))
    };
    let declared = response.content_length().unwrap_or(0);
    if usize::try_from(declared).map_or(true, |n| n > cap) {
        return Ok(Whole {
            status,
            headers,
            body: oversized(),
        });
    }
    let mut body = bytes::BytesMut::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len().saturating_add(chunk.len()) > cap {
            return Ok(Whole {
                status,
                headers,
                body: oversized(),
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Whole {
        status,
        headers,
        body: body.freeze(),
    })
}

/// An answer for the generated code to read.
fn answer(status: StatusCode, mut headers: HeaderMap, body: bytes::Bytes) -> Response {
    headers.remove(reqwest::header::CONTENT_LENGTH);
    headers.remove(reqwest::header::TRANSFER_ENCODING);
    let mut response = http::Response::new(body);
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    Response::from(response)
}

/// Error answers reach the generated code with a body it decodes: problem
/// JSON as sent, or one made from the status and the start of the body.
fn normalise(whole: Whole) -> Response {
    let Whole {
        status,
        mut headers,
        body,
    } = whole;
    if !(status.is_client_error() || status.is_server_error())
        || serde_json::from_slice::<types::Problem>(&body).is_ok()
    {
        return answer(status, headers, body);
    }
    // Never a secret (a body may echo a key): see `open::safe_snippet`.
    let snippet = crate::open::safe_snippet(&body, SNIPPET_CHARS);
    let problem = types::Problem {
        type_: Some(NON_PROBLEM_BODY.to_owned()),
        title: Some(
            status
                .canonical_reason()
                .unwrap_or("Unexpected status")
                .to_owned(),
        ),
        status: Some(i64::from(status.as_u16())),
        detail: (!snippet.is_empty()).then_some(snippet),
        instance: None,
    };
    let body = serde_json::to_vec(&problem).expect("a problem always serialises");
    headers.insert(
        reqwest::header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    answer(status, headers, body.into())
}

/// A random number in [0, 1) from the standard library's hasher seeds.
fn random_unit() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0x5eed);
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use Idempotency::*;
    use Outcome::*;

    const S: Duration = Duration::from_secs(1);

    /// The retry classification, operation × outcome → wait or stop.
    #[test]
    fn retry_table() {
        let policy = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(400));
        let backoff = |retry| Some(policy.backoff(retry, 1.0));
        #[rustfmt::skip]
        let table: &[(Idempotency, Outcome, u32, Option<Duration>)] = &[
            (Safe,          Answered(429, Some(2 * S)), 1, Some(2 * S)),
            (NotIdempotent, Answered(429, Some(2 * S)), 1, Some(2 * S)),
            // Longer than the policy allows: stop at once, not after 30 s.
            (NotIdempotent, Answered(429, Some(90 * S)), 1, None),
            (Safe,          Answered(503, Some(90 * S)), 1, None),
            (Safe,          Answered(429, Some(30 * S)), 1, Some(30 * S)),
            // A 503 was not processed: retried for every operation, after
            // its Retry-After when it has one.
            (NotIdempotent, Answered(503, None),        1, backoff(1)),
            (NotIdempotent, Answered(503, Some(2 * S)), 1, Some(2 * S)),
            (Safe,          Answered(429, Some(Duration::ZERO)), 1, Some(Duration::ZERO)),
            (Safe,          Answered(429, Some(Duration::ZERO)), 3, None),
            (Idempotent,    Answered(429, None),        1, backoff(1)),
            (Safe,          Answered(503, None),        1, backoff(1)),
            (Idempotent,    Answered(502, None),        2, backoff(2)),
            (Idempotent,    Answered(500, None),        1, backoff(1)),
            (Idempotent,    Answered(504, None),        1, backoff(1)),
            (NotIdempotent, Answered(502, None),        1, None),
            (NotIdempotent, Answered(500, None),        1, None),
            (Safe,          Answered(501, None),        1, None),
            (Safe,          Answered(404, None),        1, None),
            (Safe,          Answered(400, None),        1, None),
            (Idempotent,    Answered(409, None),        1, None),
            (Safe,          Answered(200, None),        1, None),
            (Safe,          Lost,                       1, backoff(1)),
            (Idempotent,    Lost,                       1, backoff(1)),
            (NotIdempotent, Lost,                       1, None),
            (NotIdempotent, NotSent,                    1, backoff(1)),
            (Safe,          NotSent,                    2, backoff(2)),
            (Safe,          Certificate,                1, None),
            (NotIdempotent, Certificate,                1, None),
            // The last attempt is the last.
            (Safe,          Answered(429, Some(S)),     3, None),
            (Safe,          NotSent,                    3, None),
        ];
        for (idempotency, outcome, attempt, expected) in table {
            let got = retry_delay(
                *idempotency,
                *outcome,
                *attempt,
                Duration::ZERO,
                &policy,
                1.0,
            );
            assert_eq!(
                got, *expected,
                "{idempotency:?} × {outcome:?} at attempt {attempt}"
            );
        }
    }

    #[test]
    fn waits_stay_within_the_total_budget_and_backoff_grows_with_jitter() {
        let policy = RetryPolicy::default().max_total_wait(Duration::from_secs(10));
        let at = |waited| retry_delay(Safe, Answered(429, Some(4 * S)), 1, waited, &policy, 0.5);
        assert_eq!(at(6 * S), Some(4 * S));
        assert_eq!(at(7 * S), None);
        let policy = RetryPolicy::default();
        assert_eq!(policy.backoff(1, 0.0), Duration::from_millis(100));
        assert_eq!(policy.backoff(1, 1.0), Duration::from_millis(200));
        assert_eq!(policy.backoff(2, 1.0), Duration::from_millis(400));
        assert_eq!(policy.backoff(30, 1.0), Duration::from_secs(5));
        // Never panics: NaN and out-of-range jitter, huge delays.
        assert_eq!(policy.backoff(1, f64::NAN), Duration::from_millis(150));
        assert_eq!(policy.backoff(1, 7.0), Duration::from_millis(200));
        let huge = RetryPolicy::default()
            .initial_backoff(Duration::MAX)
            .max_backoff(Duration::MAX);
        assert!(huge.backoff(u32::MAX, 1.0) >= Duration::from_secs(1 << 62));
        let at = retry_delay(Safe, Answered(429, Some(S)), 1, Duration::MAX, &huge, 0.5);
        assert_eq!(at, None, "past the total wait, without overflowing");
    }

    #[test]
    fn retry_after_in_both_forms() {
        let headers = |value: &str| {
            let mut map = HeaderMap::new();
            map.insert(reqwest::header::RETRY_AFTER, value.parse().unwrap());
            map
        };
        assert_eq!(retry_after(&headers("7")), Some(7 * S));
        let soon = std::time::SystemTime::now() + Duration::from_secs(120);
        let got = retry_after(&headers(&httpdate::fmt_http_date(soon))).unwrap();
        assert!(got > 100 * S && got <= 120 * S, "{got:?}");
        assert_eq!(
            retry_after(&headers("Wed, 21 Oct 2015 07:28:00 GMT")),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers("soon")), None);
    }

    #[test]
    fn paths_keep_the_shape_of_their_template() {
        let t = "/v2/organizations/{org_id}/users/{user_id}";
        assert!(path_fits("/v2/organizations/T3Jn/users/VXNl", t));
        assert!(path_fits(
            "/gateway/arize/v2/organizations/T3Jn/users/VXNl",
            t
        ));
        for collapsed in [
            "/v2/organizations/T3Jn/",
            "/v2/organizations/T3Jn/users/",
            "/v2/organizations//users/VXNl",
            "/v2/organizations/T3Jn/users",
        ] {
            assert!(!path_fits(collapsed, t), "{collapsed}");
        }
        assert!(!path_fits("/v2/users/", "/v2/users/{user_id}"));
        assert!(path_fits("/v2/users", "/v2/users"));
    }

    #[test]
    fn what_may_have_taken_effect() {
        assert!(Lost.may_have_taken_effect());
        assert!(Answered(502, None).may_have_taken_effect());
        assert!(Answered(500, None).may_have_taken_effect());
        assert!(!Answered(503, None).may_have_taken_effect());
        assert!(!Answered(501, None).may_have_taken_effect());
        assert!(!Answered(429, None).may_have_taken_effect());
        assert!(!NotSent.may_have_taken_effect());
        assert!(!Certificate.may_have_taken_effect());
    }

    #[test]
    fn debug_hides_the_key() {
        let transport = Transport::default().bearer("ak-very-secret").header(
            HeaderName::from_static("x-api-key"),
            HeaderValue::from_static("gateway-secret"),
        );
        let text = format!("{transport:?}");
        assert!(!text.contains("ak-very-secret"), "{text}");
        assert!(!text.contains("gateway-secret"), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
        // The identity headers stay readable.
        assert!(text.contains("sdk-language"), "{text}");
    }
}
