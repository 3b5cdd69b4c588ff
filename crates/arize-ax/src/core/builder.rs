//! Client settings: the builder, the environment variables it reads, and
//! how they become the transport and the HTTP client.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use arize_ax_api::transport::Transport;
use reqwest::header::{HeaderName, HeaderValue};

use crate::core::client::{Client, Inner};
use crate::core::error::{Error, Result};
use crate::core::warning::{
    DISABLE_PRERELEASE_WARNING_ENV, PrereleaseGate, disabled_by_env, has_subscriber, silences,
};

/// Regions with their own API host (`api.<region>.arize.com`).
pub const REGIONS: &[&str] = &["us-central-1a", "eu-west-1a", "ca-central-1a", "us-east-1b"];

/// The default API host.
pub const DEFAULT_HOST: &str = "api.arize.com";

/// Default time limit for one request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// An API key, held as the crates' one secret type
/// ([`arize_ax_api::open::Secret`]): its `Debug` and `Display` never show
/// the key, and unlike a `Secret` (which the wire needs to read and write)
/// it cannot be serialized, so it never reaches a settings file or a log
/// line by way of serde. [`expose_secret`](Self::expose_secret) reads it.
///
/// ```
/// let key = arize_ax::ApiKey::new("ak-secret");
/// assert_eq!(format!("{key:?}"), "ApiKey(***)");
/// assert_eq!(key.to_string(), "***");
/// assert_eq!(key.expose_secret(), "ak-secret");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(arize_ax_api::open::Secret);

impl ApiKey {
    /// Wraps a key.
    pub fn new(key: impl Into<String>) -> Self {
        ApiKey(arize_ax_api::open::Secret::new(key))
    }

    /// The key itself, for code that must send it somewhere else.
    pub fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

/// Shows `***`, never the key.
impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl From<arize_ax_api::open::Secret> for ApiKey {
    fn from(key: arize_ax_api::open::Secret) -> Self {
        ApiKey(key)
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

/// When and how often to try a request again: the retry policy of the
/// transport layer every call runs through (`arize_ax_api::transport`).
///
/// Rate-limited (429) and unavailable (503) answers were not processed, so
/// they are retried for every operation, waiting as long as the server's
/// `Retry-After` says (seconds or an HTTP date); a `Retry-After` longer than
/// [`max_retry_after`](RetryPolicy::max_retry_after) fails at once, with the
/// wait in the error. 500/502/504 answers and connections lost after
/// sending are retried only for operations that are safe to repeat (list,
/// get, update, delete, add and remove user); a connection that never opened
/// for every operation; a create never on those, since a duplicate
/// organization is worse than an error.
///
/// ```
/// use std::time::Duration;
/// let policy = arize_ax::RetryPolicy::default()
///     .max_attempts(5)
///     .max_total_wait(Duration::from_secs(120));
/// # let _ = policy;
/// ```
pub use arize_ax_api::transport::RetryPolicy;

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
    port: Option<Setting<u16>>,
    region: Option<String>,
    single_host: Option<String>,
    single_port: Option<Setting<u16>>,
    base_domain: Option<String>,
    verify_tls: Option<Setting<bool>>,
    ca_cert: Option<PathBuf>,
    proxy: Option<String>,
    timeout: Option<Duration>,
    max_body: Option<usize>,
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
    env::API_KEY,
    env::REGION,
    env::API_HOST,
    env::API_SCHEME,
    env::API_PORT,
    env::SINGLE_HOST,
    env::SINGLE_PORT,
    env::BASE_DOMAIN,
    env::REQUEST_VERIFY,
    env::SSL_CA_CERT,
    env::SSL_CERT_FILE,
    env::PROXY_URL,
];

/// The names of the environment variables the client reads (those of
/// Arize's own SDKs), for tools that set, show or check them.
///
/// ```
/// assert_eq!(arize_ax::env::API_KEY, "ARIZE_API_KEY");
/// assert!(arize_ax::ENV_VARS.contains(&arize_ax::env::REGION));
/// ```
pub mod env {
    /// The API key (required).
    pub const API_KEY: &str = "ARIZE_API_KEY";
    /// A region of [`REGIONS`](crate::REGIONS): host `api.<region>.arize.com`.
    pub const REGION: &str = "ARIZE_REGION";
    /// The API host, without scheme.
    pub const API_HOST: &str = "ARIZE_API_HOST";
    /// `http` or `https`.
    pub const API_SCHEME: &str = "ARIZE_API_SCHEME";
    /// The API port (0 or unset: the scheme's).
    pub const API_PORT: &str = "ARIZE_API_PORT";
    /// One host for everything.
    pub const SINGLE_HOST: &str = "ARIZE_SINGLE_HOST";
    /// The port of [`SINGLE_HOST`].
    pub const SINGLE_PORT: &str = "ARIZE_SINGLE_PORT";
    /// Host `api.<domain>`.
    pub const BASE_DOMAIN: &str = "ARIZE_BASE_DOMAIN";
    /// `false` disables TLS verification.
    pub const REQUEST_VERIFY: &str = "ARIZE_REQUEST_VERIFY";
    /// An extra CA certificate (PEM).
    pub const SSL_CA_CERT: &str = "ARIZE_SSL_CA_CERT";
    /// The CA certificate file read when [`SSL_CA_CERT`] is unset.
    pub const SSL_CERT_FILE: &str = "SSL_CERT_FILE";
    /// A proxy for every request.
    pub const PROXY_URL: &str = "ARIZE_PROXY_URL";
    /// `true` silences the pre-release warning.
    pub const DISABLE_PRERELEASE_WARNING: &str =
        crate::core::warning::DISABLE_PRERELEASE_WARNING_ENV;
}

/// A setting given in code (typed) or read from the environment (the
/// variable's text, checked by [`ClientBuilder::build`], which names the
/// variable when it is malformed).
#[derive(Debug, Clone)]
enum Setting<T> {
    Value(T),
    Text(String),
}

impl<T: Copy> Setting<T> {
    fn get(&self, parse: impl Fn(&str) -> Option<T>, rule: impl Fn(&str) -> String) -> Result<T> {
        match self {
            Setting::Value(value) => Ok(*value),
            Setting::Text(text) => {
                parse(text.trim()).ok_or_else(|| Error::Config(rule(text.trim())))
            }
        }
    }
}

/// `true`/`false` (or `1`/`0`), in any case.
fn parse_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") || text == "1" {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") || text == "0" {
        Some(false)
    } else {
        None
    }
}

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
            api_key: get(env::API_KEY).map(ApiKey::from),
            host: get(env::API_HOST),
            scheme: get(env::API_SCHEME),
            port: get(env::API_PORT).map(Setting::Text),
            region: get(env::REGION),
            single_host: get(env::SINGLE_HOST),
            single_port: get(env::SINGLE_PORT).map(Setting::Text),
            base_domain: get(env::BASE_DOMAIN),
            verify_tls: get(env::REQUEST_VERIFY).map(Setting::Text),
            ca_cert: get(env::SSL_CA_CERT)
                .or_else(|| get(env::SSL_CERT_FILE))
                .map(PathBuf::from),
            proxy: get(env::PROXY_URL),
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
        self.port = Some(Setting::Value(port));
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
        self.single_port = port.map(Setting::Value);
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
        self.verify_tls = Some(Setting::Value(verify));
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

    /// The largest response body read, in bytes (default 32 MiB,
    /// [`arize_ax_api::transport::DEFAULT_MAX_BODY_BYTES`]). A larger answer
    /// fails with [`Error::Decode`] naming the cap, with nothing held past it.
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body = Some(bytes);
        self
    }

    /// When to retry (see [`RetryPolicy`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// An extra header sent with every request. Its value is treated as a
    /// secret: never shown in `Debug`, and never sent to another host (a
    /// redirect to another origin is not followed).
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
        if self.timeout == Some(Duration::ZERO) {
            return Err(Error::Config(
                "the timeout must be more than zero (a zero timeout fails every request)".into(),
            ));
        }
        if api_key.expose_secret().trim().is_empty() {
            return Err(Error::Config("the API key is empty".into()));
        }
        if api_key.expose_secret().chars().any(char::is_control) {
            return Err(Error::Config(
                "the API key contains control characters (a stray newline?)".into(),
            ));
        }
        let base_url = self.resolve_base_url()?;
        let verify = match &self.verify_tls {
            None => true,
            Some(setting) => setting.get(parse_bool, |v| {
                format!("{} must be true or false (got {v:?})", env::REQUEST_VERIFY)
            })?,
        };
        let mut transport = Transport::identified_as("arize-ax", env!("CARGO_PKG_VERSION"))
            .bearer(api_key.expose_secret())
            .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
            .max_body_size(
                self.max_body
                    .unwrap_or(arize_ax_api::transport::DEFAULT_MAX_BODY_BYTES),
            )
            .retry(self.retry.clone().unwrap_or_default());
        for (name, value) in &self.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::Config(format!("{name:?} is not a valid header name")))?;
            let mut value = HeaderValue::from_str(value).map_err(|_| {
                Error::Config(format!(
                    "the value of header {name} is not a valid header value"
                ))
            })?;
            // A caller's header may be a gateway's key: never shown.
            value.set_sensitive(true);
            transport = transport.header(name, value);
        }
        let warn = self
            .prerelease_warning
            .unwrap_or_else(|| !disabled_by_env());
        let http = match self.http.clone() {
            Some(http) => http,
            None => self.build_http(verify)?,
        };
        // The generated client appends operation paths to the base URL as
        // text, so it is given without the trailing slash.
        let raw = arize_ax_api::Client::new_with_client(
            base_url.as_str().trim_end_matches('/'),
            http,
            transport,
        );
        Ok(Client {
            inner: Arc::new(Inner {
                raw,
                base_url,
                memo: Default::default(),
                gate: if warn {
                    Some(self.gate.unwrap_or_else(PrereleaseGate::process))
                } else {
                    None
                },
            }),
        })
    }

    /// The base URL a client built from these settings would call, checked
    /// as [`build`](Self::build) checks it (no key needed): for showing
    /// where requests would go before sending any.
    ///
    /// ```
    /// let builder = arize_ax::Client::builder().region("eu-west-1a");
    /// assert_eq!(builder.endpoint()?.as_str(), "https://api.eu-west-1a.arize.com/");
    /// # Ok::<(), arize_ax::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Config`] as [`build`](Self::build) for the endpoint settings.
    pub fn endpoint(&self) -> Result<url::Url> {
        self.resolve_base_url()
    }

    fn resolve_base_url(&self) -> Result<url::Url> {
        if let Some(base) = &self.base_url {
            // Never repeat what may be credentials (`user:pass@host`).
            let shown = if base.contains('@') {
                "(not shown: it has an `@`)".to_owned()
            } else {
                format!("{base:?}")
            };
            let base = &shown;
            let url = url::Url::parse(self.base_url.as_deref().unwrap_or_default())
                .map_err(|e| Error::Config(format!("base URL {base} is not a URL: {e}")))?;
            if !url.username().is_empty() || url.password().is_some() {
                return Err(Error::Config(
                    "the base URL must not carry credentials (user:password@); the API key goes in \
                     ARIZE_API_KEY or ClientBuilder::api_key"
                        .into(),
                ));
            }
            if !matches!(url.scheme(), "http" | "https") {
                return Err(Error::Config(format!(
                    "base URL {base} must start with http:// or https://"
                )));
            }
            if url.query().is_some() || url.fragment().is_some() {
                return Err(Error::Config(format!(
                    "base URL {base} must not have a query or fragment"
                )));
            }
            return Ok(url);
        }
        let overrides: Vec<&str> = [
            (env::REGION, self.region.is_some()),
            (env::SINGLE_HOST, self.single_host.is_some()),
            (env::BASE_DOMAIN, self.base_domain.is_some()),
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
        let ((host, port, host_var), port_var) = if let Some(host) = &self.host {
            (
                (host.clone(), self.port.as_ref(), env::API_HOST),
                env::API_PORT,
            )
        } else if let Some(host) = &self.single_host {
            (
                (host.clone(), self.single_port.as_ref(), env::SINGLE_HOST),
                env::SINGLE_PORT,
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
                (
                    format!("api.{region}.arize.com"),
                    self.port.as_ref(),
                    env::REGION,
                ),
                env::API_PORT,
            )
        } else if let Some(domain) = &self.base_domain {
            (
                (
                    format!("api.{}", domain.trim()),
                    self.port.as_ref(),
                    env::BASE_DOMAIN,
                ),
                env::API_PORT,
            )
        } else {
            (
                (DEFAULT_HOST.to_owned(), self.port.as_ref(), env::API_HOST),
                env::API_PORT,
            )
        };
        let host = host.trim();
        if host.is_empty() || host.contains("://") || host.contains(['/', '?', '#', '@', ' ']) {
            return Err(Error::Config(format!(
                "{host_var} must be a host name without scheme or path (got {host:?})"
            )));
        }
        let port = match port {
            None => None,
            Some(setting) => Some(setting.get(
                |p| p.parse::<u16>().ok(),
                |p| format!("{port_var}: the port must be a number from 0 to 65535 (got {p:?})"),
            )?),
        }
        .filter(|&port| port != 0);
        let text = match port {
            Some(port) => format!("{scheme}://{host}:{port}"),
            None => format!("{scheme}://{host}"),
        };
        url::Url::parse(&text)
            .map_err(|e| Error::Config(format!("{host_var}: {text:?} is not a valid URL: {e}")))
    }

    fn build_http(&self, verify: bool) -> Result<reqwest::Client> {
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        // A redirect to another origin is not followed: the key and every
        // caller-added header (a gateway's `x-api-key`) stay with the host
        // they were meant for. Same-origin redirects are followed (10 at most).
        let redirects = reqwest::redirect::Policy::custom(|attempt| {
            let first = attempt.previous().first();
            let same_origin = first.is_some_and(|first| {
                first.scheme() == attempt.url().scheme()
                    && first.host_str() == attempt.url().host_str()
                    && first.port_or_known_default() == attempt.url().port_or_known_default()
            });
            if !same_origin {
                attempt.stop()
            } else if attempt.previous().len() > 10 {
                attempt.error("too many redirects")
            } else {
                attempt.follow()
            }
        });
        let mut builder = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10).min(timeout))
            .redirect(redirects);
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
                &[key, ("ARIZE_API_HOST", "h"), ("ARIZE_API_PORT", "http")],
                "ARIZE_API_PORT: the port",
            ),
            (
                &[key, ("ARIZE_SINGLE_HOST", "h"), ("ARIZE_SINGLE_PORT", "-1")],
                "ARIZE_SINGLE_PORT: the port",
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
