//! Client construction, configuration and the request loop (headers,
//! retries, error mapping).

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, DecodeError, Error, Problem, Result, TransportError, snippet};
use crate::organizations::Organizations;
use crate::warning::{
    DISABLE_PRERELEASE_WARNING_ENV, PrereleaseGate, disabled_by_env, has_subscriber, silences,
};

/// Regions with their own API host (`api.<region>.arize.com`).
pub const REGIONS: &[&str] = &["us-central-1a", "eu-west-1a", "ca-central-1a", "us-east-1b"];

/// The default API host.
pub const DEFAULT_HOST: &str = "api.arize.com";

/// Default time limit for one request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// An API key. Its `Debug` and `Display` never show the key.
///
/// ```
/// let key = arize_ax::ApiKey::new("ak-secret");
/// assert_eq!(format!("{key:?}"), "ApiKey(<redacted>)");
/// assert_eq!(key.to_string(), "<redacted>");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key.
    pub fn new(key: impl Into<String>) -> Self {
        ApiKey(key.into())
    }

    /// The key itself, for code that must send it somewhere else.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<&str> for ApiKey {
    fn from(key: &str) -> Self {
        ApiKey::new(key)
    }
}

impl From<String> for ApiKey {
    fn from(key: String) -> Self {
        ApiKey::new(key)
    }
}

/// When and how often to try a request again.
///
/// Rate-limited answers (429) are retried for every method, waiting as long
/// as the server's `Retry-After` says (capped by `max_retry_after`); 502, 503
/// and 504 answers and failed connections only for GET and DELETE, with
/// exponential backoff and jitter. A create or update that got a 5xx is never
/// retried: a duplicate organization is worse than an error.
///
/// ```
/// use std::time::Duration;
/// let policy = arize_ax::RetryPolicy::default()
///     .max_attempts(5)
///     .max_total_wait(Duration::from_secs(120));
/// # let _ = policy;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    pub(crate) max_attempts: u32,
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) max_retry_after: Duration,
    pub(crate) max_total_wait: Duration,
}

impl Default for RetryPolicy {
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

    /// The most time one call spends waiting between attempts (default 60 s).
    pub fn max_total_wait(mut self, delay: Duration) -> Self {
        self.max_total_wait = delay;
        self
    }

    fn backoff(&self, retry: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(1u32 << retry.saturating_sub(1).min(16));
        let capped = exp.min(self.max_backoff);
        // Jitter: somewhere between half and all of the delay.
        let half = capped / 2;
        half + half.mul_f64(random_unit())
    }
}

/// A random number in [0, 1) from the standard library's hasher seeds.
fn random_unit() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0x5eed);
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// Settings for a [`Client`].
///
/// Start from [`Client::builder`] (nothing set) or [`ClientBuilder::from_env`]
/// (the Arize SDK environment variables), adjust, then [`build`](Self::build).
///
/// ```
/// use std::time::Duration;
///
/// let client = arize_ax::Client::builder()
///     .api_key("ak-test")
///     .base_url("http://127.0.0.1:8080")
///     .timeout(Duration::from_secs(10))
///     .prerelease_warning(false)
///     .build()?;
/// # let _ = client;
/// # Ok::<(), arize_ax::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct ClientBuilder {
    api_key: Option<ApiKey>,
    base_url: Option<String>,
    host: Option<String>,
    scheme: Option<String>,
    port: Option<String>,
    region: Option<String>,
    single_host: Option<String>,
    single_port: Option<String>,
    base_domain: Option<String>,
    verify_tls: Option<String>,
    ca_cert: Option<PathBuf>,
    proxy: Option<String>,
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    headers: Vec<(String, String)>,
    http: Option<reqwest::Client>,
    prerelease_warning: Option<bool>,
    gate: Option<Arc<PrereleaseGate>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key)
            .field("base_url", &self.base_url)
            .field("host", &self.host)
            .field("region", &self.region)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// The environment variables [`ClientBuilder::from_env`] reads.
pub const ENV_VARS: &[&str] = &[
    "ARIZE_API_KEY",
    "ARIZE_REGION",
    "ARIZE_API_HOST",
    "ARIZE_API_SCHEME",
    "ARIZE_API_PORT",
    "ARIZE_SINGLE_HOST",
    "ARIZE_SINGLE_PORT",
    "ARIZE_BASE_DOMAIN",
    "ARIZE_REQUEST_VERIFY",
    "ARIZE_SSL_CA_CERT",
    "SSL_CERT_FILE",
    "ARIZE_PROXY_URL",
];

impl ClientBuilder {
    /// Reads the Arize SDK environment variables:
    ///
    /// | variable | meaning |
    /// |---|---|
    /// | `ARIZE_API_KEY` | the API key (required) |
    /// | `ARIZE_REGION` | one of [`REGIONS`]: host `api.<region>.arize.com` |
    /// | `ARIZE_API_HOST`, `ARIZE_API_SCHEME`, `ARIZE_API_PORT` | host (no scheme), `http`/`https`, port (0 or unset: the scheme's) |
    /// | `ARIZE_SINGLE_HOST`, `ARIZE_SINGLE_PORT` | one host for everything |
    /// | `ARIZE_BASE_DOMAIN` | host `api.<domain>` |
    /// | `ARIZE_REQUEST_VERIFY` | `false` disables TLS verification (warns) |
    /// | `ARIZE_SSL_CA_CERT` (else `SSL_CERT_FILE`) | extra CA certificate, PEM |
    /// | `ARIZE_PROXY_URL` | proxy for every request |
    /// | `DISABLE_PRERELEASE_WARNING` | `true` silences the pre-release warning |
    ///
    /// `ARIZE_REGION`, `ARIZE_SINGLE_HOST` and `ARIZE_BASE_DOMAIN` are
    /// mutually exclusive; `ARIZE_API_HOST` is the most specific and wins over
    /// them. Nothing is validated until [`build`](Self::build).
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`from_env`](Self::from_env), reading variables through `lookup`
    /// (for tests and for configuration kept elsewhere).
    ///
    /// ```
    /// let builder = arize_ax::ClientBuilder::from_lookup(|name| match name {
    ///     "ARIZE_API_KEY" => Some("ak-test".into()),
    ///     "ARIZE_REGION" => Some("eu-west-1a".into()),
    ///     _ => None,
    /// });
    /// let client = builder.build()?;
    /// assert_eq!(client.base_url().as_str(), "https://api.eu-west-1a.arize.com/");
    /// # Ok::<(), arize_ax::Error>(())
    /// ```
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        ClientBuilder {
            api_key: get("ARIZE_API_KEY").map(ApiKey),
            host: get("ARIZE_API_HOST"),
            scheme: get("ARIZE_API_SCHEME"),
            port: get("ARIZE_API_PORT"),
            region: get("ARIZE_REGION"),
            single_host: get("ARIZE_SINGLE_HOST"),
            single_port: get("ARIZE_SINGLE_PORT"),
            base_domain: get("ARIZE_BASE_DOMAIN"),
            verify_tls: get("ARIZE_REQUEST_VERIFY"),
            ca_cert: get("ARIZE_SSL_CA_CERT")
                .or_else(|| get("SSL_CERT_FILE"))
                .map(PathBuf::from),
            proxy: get("ARIZE_PROXY_URL"),
            prerelease_warning: get(DISABLE_PRERELEASE_WARNING_ENV).map(|v| !silences(&v)),
            ..ClientBuilder::default()
        }
    }

    /// The API key, sent as `Authorization: Bearer <key>`.
    pub fn api_key(mut self, key: impl Into<ApiKey>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// A full base URL (`http://127.0.0.1:8080`, a proxy's URL with a path),
    /// overriding every host setting. Paths are appended to it.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The API host, without scheme (`api.arize.com`). Replaces any region,
    /// single host or base domain set before.
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.clear_endpoint();
        self.host = Some(host.into());
        self
    }

    /// `https` (default) or `http`.
    pub fn scheme(mut self, scheme: impl Into<String>) -> Self {
        self.scheme = Some(scheme.into());
        self
    }

    /// The port (0: the scheme's default).
    pub fn port(mut self, port: u16) -> Self {
        self.port = Some(port.to_string());
        self
    }

    /// A region from [`REGIONS`]. Replaces any host, single host or base
    /// domain set before (including from the environment).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.clear_endpoint();
        self.region = Some(region.into());
        self
    }

    /// One host (and optional port) for everything. Replaces any host,
    /// region or base domain set before.
    pub fn single_host(mut self, host: impl Into<String>, port: Option<u16>) -> Self {
        self.clear_endpoint();
        self.single_host = Some(host.into());
        self.single_port = port.map(|p| p.to_string());
        self
    }

    /// A base domain: the API host becomes `api.<domain>`. Replaces any
    /// host, region or single host set before.
    pub fn base_domain(mut self, domain: impl Into<String>) -> Self {
        self.clear_endpoint();
        self.base_domain = Some(domain.into());
        self
    }

    fn clear_endpoint(&mut self) {
        self.host = None;
        self.region = None;
        self.single_host = None;
        self.single_port = None;
        self.base_domain = None;
    }

    /// Whether to verify TLS certificates (default true). Turning it off
    /// prints a warning when the client is built.
    pub fn verify_tls(mut self, verify: bool) -> Self {
        self.verify_tls = Some(verify.to_string());
        self
    }

    /// An extra CA certificate (PEM file) to trust.
    pub fn ca_cert(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_cert = Some(path.into());
        self
    }

    /// A proxy URL for every request.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// The time limit of one request attempt (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// When to retry (see [`RetryPolicy`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// An extra header sent with every request.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Uses this `reqwest::Client` (its TLS, proxy and pool settings) instead
    /// of building one; the TLS, CA and proxy settings here are then ignored.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Whether to print the once-per-method pre-release warning (default:
    /// yes, unless `DISABLE_PRERELEASE_WARNING=true`).
    pub fn prerelease_warning(mut self, enabled: bool) -> Self {
        self.prerelease_warning = Some(enabled);
        self
    }

    /// Uses this gate for the pre-release warning instead of the process-wide
    /// one (tests use [`PrereleaseGate::capturing`]).
    pub fn prerelease_gate(mut self, gate: Arc<PrereleaseGate>) -> Self {
        self.gate = Some(gate);
        self
    }

    /// Checks the settings and makes the client. Nothing is sent.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the key is missing, two endpoint overrides are
    /// set, a host, scheme, port or region is malformed, the CA file cannot
    /// be read, or the HTTP client cannot be built.
    pub fn build(self) -> Result<Client> {
        let api_key = self.api_key.clone().ok_or_else(|| {
            Error::Config(
                "no API key: set ARIZE_API_KEY (find keys in Arize under Settings > API Keys), \
                 or pass one to ClientBuilder::api_key"
                    .into(),
            )
        })?;
        if api_key.0.trim().is_empty() {
            return Err(Error::Config("the API key is empty".into()));
        }
        if api_key.0.chars().any(char::is_control) {
            return Err(Error::Config(
                "the API key contains control characters (a stray newline?)".into(),
            ));
        }
        let base_url = self.resolve_base_url()?;
        let verify = match self.verify_tls.as_deref().map(str::trim) {
            None => true,
            Some(v) if v.eq_ignore_ascii_case("true") || v == "1" => true,
            Some(v) if v.eq_ignore_ascii_case("false") || v == "0" => false,
            Some(v) => {
                return Err(Error::Config(format!(
                    "ARIZE_REQUEST_VERIFY must be true or false (got {v:?})"
                )));
            }
        };
        let mut headers = HeaderMap::new();
        let mut auth = HeaderValue::from_str(&format!("Bearer {}", api_key.0))
            .map_err(|_| Error::Config("the API key is not a valid header value".into()))?;
        auth.set_sensitive(true);
        headers.insert(reqwest::header::AUTHORIZATION, auth);
        headers.insert(
            reqwest::header::USER_AGENT,
            HeaderValue::from_static(concat!("arize-ax-rust/", env!("CARGO_PKG_VERSION"))),
        );
        headers.insert("sdk-language", HeaderValue::from_static("rust"));
        headers.insert(
            "language-version",
            HeaderValue::from_static(env!("ARIZE_AX_RUSTC_VERSION")),
        );
        headers.insert(
            "sdk-version",
            HeaderValue::from_static(env!("CARGO_PKG_VERSION")),
        );
        headers.insert("sdk-package-name", HeaderValue::from_static("arize-ax"));
        headers.insert(
            reqwest::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        for (name, value) in &self.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::Config(format!("{name:?} is not a valid header name")))?;
            let value = HeaderValue::from_str(value).map_err(|_| {
                Error::Config(format!(
                    "the value of header {name} is not a valid header value"
                ))
            })?;
            headers.insert(name, value);
        }
        let warn = self
            .prerelease_warning
            .unwrap_or_else(|| !disabled_by_env());
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        // A client built here carries the headers and the timeout itself; a
        // caller-supplied one gets them on every request.
        let (http, per_request) = match self.http.clone() {
            Some(http) => (http, Some((headers, timeout))),
            None => (self.build_http(verify, headers, timeout)?, None),
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                per_request,
                timeout,
                retry: self.retry.unwrap_or_default(),
                gate: if warn {
                    Some(self.gate.unwrap_or_else(PrereleaseGate::process))
                } else {
                    None
                },
            }),
        })
    }

    fn resolve_base_url(&self) -> Result<url::Url> {
        if let Some(base) = &self.base_url {
            let url = url::Url::parse(base)
                .map_err(|e| Error::Config(format!("base URL {base:?} is not a URL: {e}")))?;
            if !matches!(url.scheme(), "http" | "https") {
                return Err(Error::Config(format!(
                    "base URL {base:?} must start with http:// or https://"
                )));
            }
            if url.query().is_some() || url.fragment().is_some() {
                return Err(Error::Config(format!(
                    "base URL {base:?} must not have a query or fragment"
                )));
            }
            return Ok(url);
        }
        let overrides: Vec<&str> = [
            ("ARIZE_REGION", self.region.is_some()),
            ("ARIZE_SINGLE_HOST", self.single_host.is_some()),
            ("ARIZE_BASE_DOMAIN", self.base_domain.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, set)| set.then_some(name))
        .collect();
        if overrides.len() > 1 {
            return Err(Error::Config(format!(
                "{} are mutually exclusive; set only one",
                overrides.join(" and ")
            )));
        }
        let scheme = self.scheme.as_deref().unwrap_or("https").trim();
        if !matches!(scheme, "http" | "https") {
            return Err(Error::Config(format!(
                "ARIZE_API_SCHEME must be http or https (got {scheme:?})"
            )));
        }
        let (host, port, host_var) = if let Some(host) = &self.host {
            (host.clone(), self.port.as_deref(), "ARIZE_API_HOST")
        } else if let Some(host) = &self.single_host {
            (
                host.clone(),
                self.single_port.as_deref(),
                "ARIZE_SINGLE_HOST",
            )
        } else if let Some(region) = &self.region {
            let region = region.trim();
            if !REGIONS.contains(&region) {
                return Err(Error::Config(format!(
                    "ARIZE_REGION {region:?} is not a known region; valid regions: {}",
                    REGIONS.join(", ")
                )));
            }
            (
                format!("api.{region}.arize.com"),
                self.port.as_deref(),
                "ARIZE_REGION",
            )
        } else if let Some(domain) = &self.base_domain {
            (
                format!("api.{}", domain.trim()),
                self.port.as_deref(),
                "ARIZE_BASE_DOMAIN",
            )
        } else {
            (
                DEFAULT_HOST.to_owned(),
                self.port.as_deref(),
                "ARIZE_API_HOST",
            )
        };
        let host = host.trim();
        if host.is_empty() || host.contains("://") || host.contains(['/', '?', '#', '@', ' ']) {
            return Err(Error::Config(format!(
                "{host_var} must be a host name without scheme or path (got {host:?})"
            )));
        }
        let port = match port.map(str::trim) {
            None | Some("0") => None,
            Some(p) => Some(p.parse::<u16>().map_err(|_| {
                Error::Config(format!(
                    "the port must be a number from 0 to 65535 (got {p:?})"
                ))
            })?),
        };
        let text = match port {
            Some(port) => format!("{scheme}://{host}:{port}"),
            None => format!("{scheme}://{host}"),
        };
        url::Url::parse(&text)
            .map_err(|e| Error::Config(format!("{host_var}: {text:?} is not a valid URL: {e}")))
    }

    fn build_http(
        &self,
        verify: bool,
        headers: HeaderMap,
        timeout: Duration,
    ) -> Result<reqwest::Client> {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10).min(timeout))
            .timeout(timeout)
            .default_headers(headers);
        if !verify {
            builder = builder.danger_accept_invalid_certs(true);
            let message = "TLS certificate verification is disabled (ARIZE_REQUEST_VERIFY=false); \
                           connections can be intercepted";
            if has_subscriber() {
                tracing::warn!(target: "arize_ax::tls", "{message}");
            } else {
                eprintln!("warning: {message}");
            }
        }
        if let Some(path) = &self.ca_cert {
            let pem = std::fs::read(path).map_err(|e| {
                Error::Config(format!(
                    "cannot read CA certificate {}: {e}",
                    path.display()
                ))
            })?;
            let cert = reqwest::Certificate::from_pem(&pem).map_err(|e| {
                Error::Config(format!("{} is not a PEM certificate: {e}", path.display()))
            })?;
            builder = builder.add_root_certificate(cert);
        }
        if let Some(proxy) = &self.proxy {
            let proxy = reqwest::Proxy::all(proxy.as_str()).map_err(|e| {
                Error::Config(format!("ARIZE_PROXY_URL is not a valid proxy URL: {e}"))
            })?;
            builder = builder.proxy(proxy);
        }
        builder
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))
    }
}

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
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: url::Url,
    /// Headers and timeout to add to each request, when the HTTP client was
    /// supplied by the caller (ours carries them already).
    per_request: Option<(HeaderMap, Duration)>,
    timeout: Duration,
    retry: RetryPolicy,
    gate: Option<Arc<PrereleaseGate>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("api_key", &"<redacted>")
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
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

    /// The users API (BETA): list the account's users and get one by ID or
    /// email.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let user = client.users().get("jane@example.com").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn users(&self) -> crate::Users {
        crate::Users::new(self.clone())
    }

    /// The organizations API.
    pub fn organizations(&self) -> Organizations {
        Organizations::new(self.clone())
    }

    /// The URL requests are sent to.
    pub fn base_url(&self) -> &url::Url {
        &self.inner.base_url
    }

    pub(crate) fn warn_prerelease(&self, method: &'static str, operation_id: &str) {
        if let Some(gate) = &self.inner.gate {
            let stage = arize_ax_api::operation(operation_id)
                .map_or(arize_ax_api::Stage::Alpha, |op| op.stage);
            gate.warn(method, stage);
        }
    }

    /// Sends a call and decodes a JSON body.
    pub(crate) async fn send_json<T: DeserializeOwned>(
        &self,
        call: Call<'_>,
        expected: &'static str,
    ) -> Result<T> {
        let operation = call.operation;
        let body = self.send(call).await?;
        if body.is_empty() {
            return Err(Error::Decode(DecodeError {
                operation,
                expected,
                reason: "the body is empty".into(),
                snippet: String::new(),
            }));
        }
        serde_json::from_slice(&body).map_err(|e| {
            Error::Decode(DecodeError {
                operation,
                expected,
                reason: e.to_string(),
                snippet: snippet(&body),
            })
        })
    }

    /// Sends a call whose success has no body (204).
    pub(crate) async fn send_empty(&self, call: Call<'_>) -> Result<()> {
        self.send(call).await.map(|_| ())
    }

    fn url(&self, segments: &[&str]) -> url::Url {
        /// Everything but RFC 3986 unreserved characters is encoded, so a
        /// value is always exactly one path segment (`/`, `+`, `=`, `?`, `#`,
        /// `%` and `..` included).
        const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
            .remove(b'-')
            .remove(b'.')
            .remove(b'_')
            .remove(b'~');
        let mut url = self.inner.base_url.clone();
        let mut path = url.path().trim_end_matches('/').to_owned();
        for segment in segments {
            path.push('/');
            // A bare `.` or `..` would be collapsed by URL normalisation even
            // when encoded; IDs are validated as base64 first, which never
            // forms either.
            debug_assert!(!matches!(*segment, "." | ".."), "dot segment {segment:?}");
            path.extend(utf8_percent_encode(segment, SEGMENT));
        }
        url.set_path(&path);
        url
    }

    async fn send(&self, call: Call<'_>) -> Result<bytes::Bytes> {
        let inner = &self.inner;
        let url = self.url(call.segments);
        let idempotent = matches!(call.method, Method::GET | Method::DELETE);
        let body = call
            .body
            .as_ref()
            .map(|b| serde_json::to_vec(b).expect("JSON values always serialise"));
        let mut attempt: u32 = 0;
        let mut waited = Duration::ZERO;
        loop {
            attempt += 1;
            let mut request = inner.http.request(call.method.clone(), url.clone());
            if let Some((headers, timeout)) = &inner.per_request {
                request = request.headers(headers.clone()).timeout(*timeout);
            }
            if !call.query.is_empty() {
                request = request.query(&call.query);
            }
            if let Some(body) = &body {
                request = request
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(body.clone());
            }
            tracing::debug!(
                target: "arize_ax::http",
                operation = call.operation,
                method = %call.method,
                path = url.path(),
                attempt,
                "sending request"
            );
            let outcome = request.send().await;
            let retry_delay = match outcome {
                Ok(response) => {
                    let status = response.status();
                    let retry_after = retry_after(response.headers());
                    let bytes = response
                        .bytes()
                        .await
                        .map_err(|e| transport(call.operation, attempt, e))?;
                    if status.is_success() {
                        return Ok(bytes);
                    }
                    let retryable = status == StatusCode::TOO_MANY_REQUESTS
                        || (idempotent && matches!(status.as_u16(), 502..=504));
                    let delay = if status == StatusCode::TOO_MANY_REQUESTS {
                        retry_after
                            .map(|d| d.min(inner.retry.max_retry_after))
                            .unwrap_or_else(|| inner.retry.backoff(attempt))
                    } else {
                        inner.retry.backoff(attempt)
                    };
                    if !retryable
                        || attempt >= inner.retry.max_attempts
                        || waited + delay > inner.retry.max_total_wait
                    {
                        return Err(api_error(
                            call.operation,
                            status,
                            retry_after,
                            &bytes,
                            attempt,
                        ));
                    }
                    tracing::debug!(target: "arize_ax::http", operation = call.operation, status = status.as_u16(), ?delay, "retrying");
                    delay
                }
                Err(e) => {
                    let delay = inner.retry.backoff(attempt);
                    let retryable = idempotent && e.is_connect();
                    if !retryable
                        || attempt >= inner.retry.max_attempts
                        || waited + delay > inner.retry.max_total_wait
                    {
                        return Err(transport(call.operation, attempt, e));
                    }
                    tracing::debug!(target: "arize_ax::http", operation = call.operation, ?delay, "connection failed; retrying");
                    delay
                }
            };
            waited += retry_delay;
            tokio::time::sleep(retry_delay).await;
        }
    }
}

/// One request, described before it is sent.
pub(crate) struct Call<'a> {
    pub operation: &'static str,
    pub method: Method,
    pub segments: &'a [&'a str],
    pub query: Vec<(&'static str, String)>,
    pub body: Option<serde_json::Value>,
}

impl<'a> Call<'a> {
    pub fn new(operation: &'static str, method: Method, segments: &'a [&'a str]) -> Self {
        Call {
            operation,
            method,
            segments,
            query: Vec::new(),
            body: None,
        }
    }

    pub fn query(mut self, name: &'static str, value: Option<impl ToString>) -> Self {
        if let Some(value) = value {
            self.query.push((name, value.to_string()));
        }
        self
    }

    pub fn json(mut self, body: serde_json::Value) -> Self {
        self.body = Some(body);
        self
    }
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

fn api_error(
    operation: &'static str,
    status: StatusCode,
    retry_after: Option<Duration>,
    body: &[u8],
    attempts: u32,
) -> Error {
    let problem = serde_json::from_slice::<Problem>(body)
        .ok()
        .filter(|p| p.title.is_some() || p.detail.is_some());
    Error::Api(Box::new(ApiError {
        operation,
        status: status.as_u16(),
        body_snippet: if problem.is_none() && !body.is_empty() {
            Some(snippet(body))
        } else {
            None
        },
        problem,
        retry_after,
        attempts,
    }))
}

fn transport(operation: &'static str, attempts: u32, error: reqwest::Error) -> Error {
    // reqwest's messages include the URL but never headers, so the key stays
    // out; strip the URL anyway to keep the line short.
    let is_timeout = error.is_timeout();
    let is_connect = error.is_connect();
    let error = error.without_url();
    let message = {
        let mut text = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(s) = source {
            text.push_str(": ");
            text.push_str(&s.to_string());
            source = s.source();
        }
        text
    };
    Error::Transport(TransportError {
        operation,
        message,
        is_timeout,
        is_connect,
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
    fn debug_output_never_shows_the_key() {
        let builder = Client::builder().api_key("ak-very-secret-123");
        assert!(!format!("{builder:?}").contains("ak-very-secret-123"));
        let client = builder.base_url("http://127.0.0.1:1").build().unwrap();
        let text = format!("{client:?}");
        assert!(!text.contains("ak-very-secret-123"), "{text}");
        assert!(text.contains("<redacted>"));
    }

    #[test]
    fn path_segments_are_fully_encoded() {
        let client = Client::builder()
            .api_key("k")
            .base_url("http://h/prefix/")
            .build()
            .unwrap();
        let cases = [
            (
                "T3JnYW5pemF0aW9uOmF+fn4/fg==",
                "/prefix/v2/organizations/T3JnYW5pemF0aW9uOmF%2Bfn4%2Ffg%3D%3D",
            ),
            (
                "a/../../v2/users",
                "/prefix/v2/organizations/a%2F..%2F..%2Fv2%2Fusers",
            ),
            (
                "x?admin=1#frag",
                "/prefix/v2/organizations/x%3Fadmin%3D1%23frag",
            ),
            ("100%", "/prefix/v2/organizations/100%25"),
        ];
        for (id, path) in cases {
            let url = client.url(&["v2", "organizations", id]);
            assert_eq!(url.path(), path, "{id}");
            assert_eq!(url.query(), None, "{id}");
        }
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let policy = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(350));
        for (retry, low, high) in [(1, 50, 100), (2, 100, 200), (3, 175, 350), (10, 175, 350)] {
            let d = policy.backoff(retry).as_millis();
            assert!((low..=high).contains(&d), "retry {retry}: {d}ms");
        }
    }
}
