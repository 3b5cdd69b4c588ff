//! The client and the one call path: every call is a generated builder run
//! through [`Client::call`] (or a variant that also returns what the
//! transport did, or the success status), whose errors become this crate's.
//! Each resource adds its accessor (`client.organizations()`, …) in its own
//! module.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use arize_ax_api::transport::{
    CallOptions, CallReport, NON_PROBLEM_BODY, OVERSIZED_BODY, is_certificate_error, observe_with,
    retry_after,
};
use arize_ax_api::{ClientInfo, Operation, types};

use crate::core::builder::ClientBuilder;
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
    /// A builder with nothing set.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the Arize SDK environment variables (see
    /// [`ClientBuilder::from_env`]).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] as for [`ClientBuilder::build`].
    pub fn from_env() -> Result<Client> {
        ClientBuilder::from_env().build()
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    fn from(vars: &[(&str, &str)]) -> Result<Client> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        ClientBuilder::from_lookup(move |name| {
            vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
        .build()
    }

    #[test]
    fn endpoint_from_environment() {
        let key = ("ARIZE_API_KEY", "k");
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[key], "https://api.arize.com/"),
            (
                &[key, ("ARIZE_REGION", "eu-west-1a")],
                "https://api.eu-west-1a.arize.com/",
            ),
            (
                &[key, ("ARIZE_BASE_DOMAIN", "example.org")],
                "https://api.example.org/",
            ),
            (
                &[
                    key,
                    ("ARIZE_SINGLE_HOST", "arize.internal"),
                    ("ARIZE_SINGLE_PORT", "8443"),
                ],
                "https://arize.internal:8443/",
            ),
            (
                &[
                    key,
                    ("ARIZE_API_HOST", "127.0.0.1"),
                    ("ARIZE_API_SCHEME", "http"),
                    ("ARIZE_API_PORT", "9000"),
                ],
                "http://127.0.0.1:9000/",
            ),
            (
                &[
                    key,
                    ("ARIZE_API_HOST", "h.example"),
                    ("ARIZE_API_PORT", "0"),
                ],
                "https://h.example/",
            ),
            (
                &[
                    key,
                    ("ARIZE_API_HOST", "h.example"),
                    ("ARIZE_REGION", "eu-west-1a"),
                ],
                "https://h.example/",
            ),
        ];
        for (vars, url) in cases {
            let client = from(vars).unwrap_or_else(|e| panic!("{vars:?}: {e}"));
            assert_eq!(client.base_url().as_str(), *url, "{vars:?}");
        }
    }

    #[test]
    fn configuration_errors_name_the_variable() {
        let key = ("ARIZE_API_KEY", "k");
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[], "ARIZE_API_KEY"),
            (&[("ARIZE_API_KEY", "   ")], "ARIZE_API_KEY"),
            (
                &[
                    key,
                    ("ARIZE_REGION", "eu-west-1a"),
                    ("ARIZE_SINGLE_HOST", "h"),
                ],
                "ARIZE_REGION and ARIZE_SINGLE_HOST are mutually exclusive",
            ),
            (
                &[
                    key,
                    ("ARIZE_REGION", "eu-west-1a"),
                    ("ARIZE_BASE_DOMAIN", "d"),
                ],
                "mutually exclusive",
            ),
            (
                &[key, ("ARIZE_REGION", "mars-1")],
                "valid regions: us-central-1a",
            ),
            (&[key, ("ARIZE_API_SCHEME", "ftp")], "ARIZE_API_SCHEME"),
            (
                &[key, ("ARIZE_API_HOST", "https://api.arize.com")],
                "ARIZE_API_HOST",
            ),
            (
                &[key, ("ARIZE_API_HOST", "h"), ("ARIZE_API_PORT", "99999")],
                "port",
            ),
            (
                &[key, ("ARIZE_REQUEST_VERIFY", "maybe")],
                "ARIZE_REQUEST_VERIFY",
            ),
            (
                &[key, ("ARIZE_SSL_CA_CERT", "/nonexistent/ca.pem")],
                "/nonexistent/ca.pem",
            ),
        ];
        for (vars, expected) in cases {
            match from(vars) {
                Err(Error::Config(message)) => {
                    assert!(message.contains(expected), "{vars:?}: {message}")
                }
                other => panic!("{vars:?}: expected a configuration error, got {other:?}"),
            }
        }
    }

    #[test]
    fn a_zero_timeout_is_refused() {
        let err = Client::builder()
            .api_key("k")
            .base_url("http://127.0.0.1:1")
            .timeout(Duration::ZERO)
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("timeout"), "{err}");
    }

    #[test]
    fn debug_output_never_shows_the_key() {
        let builder = Client::builder().api_key("ak-very-secret-123");
        assert!(!format!("{builder:?}").contains("ak-very-secret-123"));
        let client = builder.base_url("http://127.0.0.1:1").build().unwrap();
        let text = format!("{client:?}");
        assert!(!text.contains("ak-very-secret-123"), "{text}");
        assert!(text.contains("<redacted>"));
    }
}
