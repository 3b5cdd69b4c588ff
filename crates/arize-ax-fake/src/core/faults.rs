//! Faults to inject: statuses, `Retry-After`, delays, dropped connections,
//! malformed or empty bodies, redirects, and lost answers.

use std::time::Duration;

use axum::http::Method;

/// What a fault does to the requests it matches.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultAction {
    /// Answer with this status and a problem body (a 429 also carries
    /// `Retry-After` when given).
    Status {
        /// The status.
        status: u16,
        /// Seconds for `Retry-After`.
        retry_after: Option<u64>,
    },
    /// Wait this long, then handle the request normally.
    Delay(Duration),
    /// Start a 200 response and drop the connection mid-body.
    DropConnection,
    /// Answer 200 with truncated JSON.
    MalformedBody,
    /// Answer 200 with an empty body.
    EmptyBody,
    /// Answer 307 with this `Location` (e.g. another host).
    Redirect(String),
}

/// A fault to inject: the next `times` requests matching a method and path
/// prefix get `action` instead of (or before) their normal answer.
///
/// ```
/// use arize_ax_fake::Fault;
/// use std::time::Duration;
///
/// let throttle = Fault::rate_limited(1).on("GET", "/v2/organizations").times(2);
/// let outage = Fault::status(503).on("DELETE", "/v2/organizations/");
/// let slow = Fault::delay(Duration::from_millis(50)).times(usize::MAX);
/// # let _ = (throttle, outage, slow);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub(crate) method: Option<String>,
    pub(crate) path_prefix: String,
    pub(crate) remaining: usize,
    pub(crate) action: FaultAction,
    pub(crate) after_effect: bool,
    pub(crate) skip: usize,
}

impl Fault {
    fn new(action: FaultAction) -> Self {
        Fault {
            method: None,
            path_prefix: "/".into(),
            remaining: 1,
            action,
            after_effect: false,
            skip: 0,
        }
    }

    /// Answer with `status` and a problem body.
    pub fn status(status: u16) -> Self {
        Fault::new(FaultAction::Status {
            status,
            retry_after: None,
        })
    }

    /// Answer 429 with `Retry-After: seconds`.
    pub fn rate_limited(seconds: u64) -> Self {
        Fault::new(FaultAction::Status {
            status: 429,
            retry_after: Some(seconds),
        })
    }

    /// Delay the answer.
    pub fn delay(delay: Duration) -> Self {
        Fault::new(FaultAction::Delay(delay))
    }

    /// Drop the connection in the middle of the response.
    pub fn drop_connection() -> Self {
        Fault::new(FaultAction::DropConnection)
    }

    /// Answer 200 with a truncated JSON body.
    pub fn malformed_body() -> Self {
        Fault::new(FaultAction::MalformedBody)
    }

    /// Answer 200 with an empty body.
    pub fn empty_body() -> Self {
        Fault::new(FaultAction::EmptyBody)
    }

    /// Answer 307 to `location`.
    pub fn redirect(location: impl Into<String>) -> Self {
        Fault::new(FaultAction::Redirect(location.into()))
    }

    /// Only requests with this method (any case) whose raw path starts with
    /// `path_prefix`.
    pub fn on(mut self, method: &str, path_prefix: &str) -> Self {
        self.method = Some(method.to_ascii_uppercase());
        self.path_prefix = path_prefix.into();
        self
    }

    /// Only requests whose raw path starts with `path_prefix`, any method.
    pub fn on_path(mut self, path_prefix: &str) -> Self {
        self.path_prefix = path_prefix.into();
        self
    }

    /// Handle the request first, so its change takes effect, and then answer
    /// with the fault instead: a lost answer (a 502 from a proxy after the
    /// backend committed, or a connection dropped after the request was
    /// carried out).
    ///
    /// ```
    /// use arize_ax_fake::Fault;
    ///
    /// let lost = Fault::status(502).on("DELETE", "/v2/organizations/").after_effect();
    /// # let _ = lost;
    /// ```
    pub fn after_effect(mut self) -> Self {
        self.after_effect = true;
        self
    }

    /// Lets the first `n` matching requests through untouched.
    pub fn skip(mut self, n: usize) -> Self {
        self.skip = n;
        self
    }

    /// How many matching requests it affects (default 1).
    pub fn times(mut self, times: usize) -> Self {
        self.remaining = times;
        self
    }

    pub(crate) fn matches(&self, method: &Method, path: &str) -> bool {
        self.remaining > 0
            && self.method.as_deref().is_none_or(|m| m == method.as_str())
            && path.starts_with(&self.path_prefix)
    }
}
