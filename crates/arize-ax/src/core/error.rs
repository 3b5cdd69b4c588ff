//! The one error type of this crate.

use std::fmt;
use std::time::Duration;

use crate::core::checks::Invalid;
use crate::role::OrgRole;

/// A specialised `Result` for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in a call.
///
/// Variants say *where* a call failed: before anything was sent
/// ([`InvalidInput`](Error::InvalidInput), [`Config`](Error::Config),
/// [`RoleConstraint`](Error::RoleConstraint)), while resolving a name
/// ([`NotFound`](Error::NotFound), [`Ambiguous`](Error::Ambiguous)), at the
/// API ([`Api`](Error::Api)), on the way ([`Transport`](Error::Transport)),
/// when reading the answer ([`Decode`](Error::Decode)), or because the
/// server kept sending empty pages ([`EmptyPages`](Error::EmptyPages)); the
/// others say what a lost answer may have left behind.
///
/// ```
/// use arize_ax::Error;
///
/// fn explain(err: &Error) -> &'static str {
///     match err {
///         Error::InvalidInput { .. } => "fix the input; nothing was sent",
///         Error::NotFound(_) => "no such organization",
///         Error::Api(api) if api.status == 409 => "that name is taken",
///         e if e.is_retryable() => "try again later",
///         _ => "something else",
///     }
/// }
/// # let _ = explain;
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An argument breaks a rule of the API; nothing was sent.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The argument (or setting) at fault, e.g. `name` or `limit`.
        field: &'static str,
        /// The rule it breaks.
        reason: String,
    },
    /// The client could not be configured (environment or builder settings).
    #[error("configuration error: {0}")]
    Config(String),
    /// A name or email matched nothing.
    #[error("{0}")]
    NotFound(NotFound),
    /// A name matched more than one organization exactly.
    #[error("{0}")]
    Ambiguous(Ambiguous),
    /// The requested role (of an organization or a space) does not fit the user's account role
    /// (the annotator rule); nothing was written.
    #[error("{0}")]
    RoleConstraint(RoleConstraint),
    /// The API answered with an error status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The request did not complete (connection, TLS, timeout); the HTTP
    /// client's error is its `source` field, and its causes follow as
    /// [`source`](std::error::Error::source).
    #[error(transparent)]
    Transport(TransportError),
    /// The response could not be read as the expected type; the decoder's
    /// error, when there is one, is its [`source`](std::error::Error::source).
    #[error(transparent)]
    Decode(DecodeError),
    /// A create failed in a way that leaves open whether it took effect (a
    /// server error, or the answer was lost): the resource may exist.
    /// The failure itself is the [`source`](std::error::Error::source).
    #[error(
        "creating {kind} {name:?} failed in a way that leaves open whether it took effect: \
         it may exist; {check}",
        check = kind.how_to_check()
    )]
    MaybeCreated {
        /// What was being created.
        kind: Kind,
        /// The name that was being created.
        name: String,
        /// What went wrong.
        #[source]
        source: Box<Error>,
    },
    /// A user was created with a temporary password, but the answer that
    /// carried it was lost, and the password is returned only once: the
    /// user exists, and nobody knows the password.
    #[error(
        "user {email} ({user_id}) was created with a temporary password, but the password did not \
         reach this client (the answer was lost, or the server left it out) and it cannot be \
         fetched again; send them an invitation email instead (resend the invitation)"
    )]
    TemporaryPasswordLost {
        /// The new user's email.
        email: String,
        /// The new user's ID.
        user_id: String,
    },
    /// The server refused to add a user to a space (400) because, as far as
    /// the facade can tell, they are not a member of the space's
    /// organization: space members must belong to it first. Add them to the
    /// organization (the space add-user's `join_org`), then retry. The
    /// server's answer is the [`source`](std::error::Error::source).
    #[error(
        "user {user} cannot join space {space}: the server refused (400), and a user must \
         belong to the space's organization{org} first; add them to the organization (join_org) \
         and retry",
        org = organization.as_deref().map(|o| format!(" ({o})")).unwrap_or_default()
    )]
    NotInOrganization {
        /// The user, as given.
        user: String,
        /// The space's ID.
        space: String,
        /// The organization's ID, when known.
        organization: Option<String>,
        /// The server's refusal.
        #[source]
        source: Box<Error>,
    },
    /// Creating an API key lost its answers: each attempt that may have made
    /// a key was followed by a search for the keys it made, and those were
    /// revoked (their secrets never arrived, so nobody could use them), but
    /// no attempt's answer came back. Nothing is left live; create the key
    /// again. The last failure is the [`source`](std::error::Error::source).
    #[error(
        "creating API key {name:?} lost its answer{again} (or got one that could not be read); the key(s) it made ({revoked}) were \
         found and revoked, since their secret never arrived: nothing found is left live; create the \
         key again",
        again = if *attempts > 1 { " each time" } else { "" },
        revoked = if revoked.is_empty() { "none found".to_owned() } else { revoked.join(", ") }
    )]
    KeyRevokedAfterLostAnswer {
        /// The key's name.
        name: String,
        /// How many attempts were made.
        attempts: u32,
        /// The IDs of the keys revoked.
        revoked: Vec<String>,
        /// The last attempt's failure.
        #[source]
        source: Box<Error>,
    },
    /// Refreshing an API key lost its answer (or got a success it could not
    /// read), and the refresh sent again to void the lost secret failed too
    /// (or was not sent: an unreadable success would come again): the key
    /// may have a secret nobody holds (and its previous one works no
    /// longer, but for a grace period). Refresh it again. The failure is the
    /// [`source`](std::error::Error::source).
    #[error(
        "refreshing API key {id} lost its answer (or got one that could not be read), and sending \
         it again did not settle it: the key may have a new secret that did not arrive (the old \
         one then stops working after the grace period, if any); refresh it again"
    )]
    RefreshLost {
        /// The key's ID.
        id: String,
        /// What went wrong.
        #[source]
        source: Box<Error>,
    },
    /// An email-sending call (resend invitation, reset password) failed in a
    /// way that leaves open whether the email went out. It is not repeated
    /// by itself: each call makes a new link and voids the one before.
    #[error(
        "the {what} email to {user} may have been sent all the same (sending it again voids that \
         link)"
    )]
    MaybeSent {
        /// `invitation` or `password-reset`.
        what: &'static str,
        /// The user, as given.
        user: String,
        /// What went wrong.
        #[source]
        source: Box<Error>,
    },
    /// A listing met [`MAX_EMPTY_PAGES`](crate::MAX_EMPTY_PAGES) empty pages
    /// in a row, each saying more follow, and stopped there rather than go
    /// on for ever; it can go on from `cursor`.
    #[error(
        "{operation}: the server sent {pages} empty pages in a row, each saying more follow; \
         stopped (go on from cursor {cursor:?})"
    )]
    EmptyPages {
        /// The operation listed.
        operation: &'static str,
        /// How many empty pages came in a row.
        pages: usize,
        /// The cursor of the page after the last one read.
        cursor: String,
    },
}

impl Error {
    /// This error with `advice` in place of its status's general hint, when
    /// it is an API error; any other error as it is.
    pub(crate) fn with_advice(self, advice: impl Into<String>) -> Self {
        match self {
            Error::Api(mut api) => {
                api.advice = Some(advice.into());
                Error::Api(api)
            }
            other => other,
        }
    }

    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Invalid::new(field, reason).into()
    }

    /// The HTTP status, when the API answered with an error.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::MaybeCreated { source, .. }
            | Error::MaybeSent { source, .. }
            | Error::KeyRevokedAfterLostAnswer { source, .. }
            | Error::RefreshLost { source, .. }
            | Error::NotInOrganization { source, .. } => source.status(),
            _ => None,
        }
    }

    /// Whether trying the same call again later may succeed: rate limiting,
    /// a 502/503/504, a timeout or a failed connection.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(api) => matches!(api.status, 429 | 502 | 503 | 504),
            Error::Transport(t) => t.is_timeout || t.is_connect,
            _ => false,
        }
    }

    /// Whether the thing asked for does not exist: a name that resolved to
    /// nothing, or a 404 from the API.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::NotFound(_)) || self.status() == Some(404)
    }

    /// Whether nothing was sent because the input or settings were invalid.
    pub fn is_invalid_input(&self) -> bool {
        matches!(
            self,
            Error::InvalidInput { .. } | Error::Config(_) | Error::RoleConstraint(_)
        )
    }
}

/// What kind of thing a resolution looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Kind {
    /// An organization, by name.
    Organization,
    /// A user, by email.
    User,
    /// A space, by name.
    Space,
    /// A role (predefined or custom), by name.
    Role,
    /// An API key, by name.
    ApiKey,
}

impl Kind {
    /// How to settle whether a create of this kind took effect.
    fn how_to_check(&self) -> &'static str {
        match self {
            Kind::Organization => {
                "check with Organizations::get, or create it with exist_ok, which is safe to retry"
            }
            Kind::User => "check with Users::get",
            Kind::Space => {
                "check with Spaces::get (narrowed to its organization), or create it with \
                 exist_ok, which is safe to retry"
            }
            Kind::Role => {
                "check with Roles::get, or create it with exist_ok, which is safe to retry"
            }
            Kind::ApiKey => {
                "its secret is lost if it was made: list the keys of that name (ApiKeys::list; \
                 service keys by space) and revoke the one made just now"
            }
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Organization => "organization",
            Kind::User => "user",
            Kind::Space => "space",
            Kind::Role => "role",
            Kind::ApiKey => "API key",
        })
    }
}

/// A name (or email) that matched nothing exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NotFound {
    /// What was looked for.
    pub kind: Kind,
    /// The name or email given.
    pub query: String,
    /// Up to ten similar names the server returned (substring matches).
    pub similar: Vec<String>,
}

impl fmt::Display for NotFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let by = match self.kind {
            Kind::Organization | Kind::Space | Kind::Role | Kind::ApiKey => "named",
            Kind::User => "with email",
        };
        write!(f, "no {} {by} {:?}", self.kind, self.query)?;
        if self.similar.is_empty() {
            match self.kind {
                Kind::Organization => write!(
                    f,
                    " (names match exactly and case-sensitively; list organizations to see what exists)"
                ),
                Kind::User => write!(f, " (check the address, or pass the user's ID)"),
                Kind::Space => write!(
                    f,
                    " (names match exactly and case-sensitively; list spaces to see what exists)"
                ),
                Kind::Role => write!(
                    f,
                    " (names match exactly and case-sensitively; list roles to see what exists)"
                ),
                Kind::ApiKey => write!(
                    f,
                    " (names match exactly; only active personal keys, and a space's service \
                     keys when a space is given, are searched; or pass the key's ID)"
                ),
            }
        } else {
            let names: Vec<String> = self.similar.iter().map(|s| format!("{s:?}")).collect();
            write!(f, "; similar: {}", names.join(", "))
        }
    }
}

/// A name that matched several organizations exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Ambiguous {
    /// What was looked for.
    pub kind: Kind,
    /// The name given.
    pub query: String,
    /// The IDs of every exact match.
    pub ids: Vec<String>,
    /// Where each match lives, when that tells them apart (the
    /// organization of each space); empty otherwise.
    pub places: Vec<String>,
}

impl fmt::Display for Ambiguous {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {:?} is ambiguous: it matches IDs {}",
            self.ids.len(),
            match self.kind {
                Kind::Organization => "organizations named",
                Kind::User => "users with email",
                Kind::Space => "spaces named",
                Kind::Role => "roles named",
                Kind::ApiKey => "API keys named",
            },
            self.query,
            self.ids.join(", ")
        )?;
        if self.places.is_empty() {
            f.write_str("; pass one of the IDs instead")
        } else {
            write!(
                f,
                " in organizations {}; name the organization, or pass one of the IDs",
                self.places.join(", ")
            )
        }
    }
}

/// The annotator rule, refused before the write.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RoleConstraint {
    /// The user's ID.
    pub user_id: String,
    /// The user's account-level role name (e.g. `ANNOTATOR`, `MEMBER`).
    pub account_role: String,
    /// The role (of an organization or a space) that was asked for.
    pub requested: OrgRole,
}

impl fmt::Display for RoleConstraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.account_role == "ANNOTATOR" {
            write!(
                f,
                "user {} has the account role ANNOTATOR and can only get the role annotator (in an organization or a space), not {}",
                self.user_id, self.requested
            )
        } else {
            write!(
                f,
                "user {} has the account role {} and cannot get the role annotator (in an organization or a space) \
                 (it is reserved for users whose account role is ANNOTATOR)",
                self.user_id, self.account_role
            )
        }
    }
}

/// RFC 9457 problem details from an error response.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Problem {
    /// URI reference naming the kind of problem.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
    /// Short summary of the kind of problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The status the server put in the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Explanation of this occurrence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// URI reference naming this occurrence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
}

impl From<arize_ax_api::types::Problem> for Problem {
    fn from(problem: arize_ax_api::types::Problem) -> Self {
        Problem {
            type_: problem.type_,
            title: problem.title,
            status: problem.status.and_then(|s| u16::try_from(s).ok()),
            detail: problem.detail,
            instance: problem.instance,
        }
    }
}

/// The broad class of an API error status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// 400: the request breaks a rule of the endpoint.
    BadRequest,
    /// 401: no valid API key.
    Unauthorized,
    /// 403: the key may not do this.
    Forbidden,
    /// 404: no such resource (or not visible to the caller).
    NotFound,
    /// 409: clashes with existing data (a name in use).
    Conflict,
    /// 422: well-formed but unacceptable values.
    Unprocessable,
    /// 429: rate limited.
    RateLimited,
    /// 5xx: the server failed.
    Server,
    /// Any other status.
    Other,
}

/// An error status from the API.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The method key of the call, e.g. `organizations.get`.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// Problem details, when the body had them.
    pub problem: Option<Problem>,
    /// The start of the body when it was not problem JSON.
    pub body_snippet: Option<String>,
    /// The server's `Retry-After`, when it sent one.
    pub retry_after: Option<Duration>,
    /// How many attempts were made (more than one after retries).
    pub attempts: u32,
    /// What to do about it, from the method that knows what the status
    /// means for its call (a 409 on a delete is not a taken name); shown
    /// instead of the status's general hint. `None` for the general hint.
    pub advice: Option<String>,
}

impl ApiError {
    /// The broad class of the status.
    pub fn kind(&self) -> ApiErrorKind {
        match self.status {
            400 => ApiErrorKind::BadRequest,
            401 => ApiErrorKind::Unauthorized,
            403 => ApiErrorKind::Forbidden,
            404 => ApiErrorKind::NotFound,
            409 => ApiErrorKind::Conflict,
            422 => ApiErrorKind::Unprocessable,
            429 => ApiErrorKind::RateLimited,
            500..=599 => ApiErrorKind::Server,
            _ => ApiErrorKind::Other,
        }
    }

    fn hint(&self) -> String {
        if let Some(advice) = &self.advice {
            return advice.clone();
        }
        match self.kind() {
            ApiErrorKind::Unauthorized => {
                "check the API key (ARIZE_API_KEY) and that it belongs to this account".into()
            }
            ApiErrorKind::Forbidden => {
                "the API key lacks permission for this (changing an organization or its members needs organization admin)".into()
            }
            ApiErrorKind::NotFound => {
                "check the name or ID, and that the API key can see it".into()
            }
            ApiErrorKind::Conflict => "choose another name".into(),
            ApiErrorKind::BadRequest | ApiErrorKind::Unprocessable => {
                "the server rejected the input; see the detail".into()
            }
            ApiErrorKind::RateLimited => match self.retry_after {
                Some(d) => format!("rate limited; try again in {}s", d.as_secs()),
                None => "rate limited; try again later".into(),
            },
            ApiErrorKind::Server => match (self.status, self.retry_after) {
                (503, Some(d)) => {
                    format!("the server is unavailable; try again in {}s", d.as_secs())
                }
                _ => "the server failed; try again later".into(),
            },
            ApiErrorKind::Other => "unexpected status".into(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed with status {}", self.operation, self.status)?;
        if let Some(problem) = &self.problem {
            if let Some(title) = &problem.title {
                write!(f, " ({title})")?;
            }
            if let Some(detail) = &problem.detail {
                write!(f, ": {}", detail.trim_end_matches('.'))?;
            }
        } else if let Some(snippet) = &self.body_snippet {
            write!(f, ": {snippet}")?;
        }
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        write!(f, "; {}", self.hint())
    }
}

/// The request did not complete.
///
/// `message` is the HTTP client's own line for the failure; its causes (the
/// I/O or TLS error underneath) follow as [`source`](std::error::Error::source),
/// so a report that prints every level (`{:#}`) shows each one once. The
/// HTTP client's error itself stays reachable through the `source` field.
#[derive(Debug)]
#[non_exhaustive]
pub struct TransportError {
    /// The method key of the call.
    pub operation: &'static str,
    /// What happened.
    pub message: String,
    /// Whether the request timed out.
    pub is_timeout: bool,
    /// Whether the connection could not be made (the request was not sent).
    pub is_connect: bool,
    /// Whether the server's TLS certificate was not trusted (never retried).
    pub is_certificate: bool,
    /// How many attempts were made.
    pub attempts: u32,
    /// The underlying error (the HTTP client's), whose own line is `message`.
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} could not reach the server", self.operation)?;
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        let hint = if self.is_certificate {
            " (the server's TLS certificate is not trusted: set ARIZE_SSL_CA_CERT to the PEM file of \
             the CA that signed it, or, only on a network you trust, ARIZE_REQUEST_VERIFY=false)"
        } else if self.is_timeout {
            " (timed out; raise the timeout or try again)"
        } else if self.is_connect {
            " (check the host, port and network)"
        } else {
            " (the connection was lost; the request may or may not have taken effect)"
        };
        write!(f, ": {}{hint}", self.message)
    }
}

impl std::error::Error for TransportError {
    /// The causes of the underlying error: its own line is already `message`.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().and_then(|error| error.source())
    }
}

/// A response that could not be read.
#[derive(Debug, thiserror::Error)]
#[error(
    "{operation} returned a response that could not be read as {expected}: {reason}; body starts: {snippet:?}"
)]
#[non_exhaustive]
pub struct DecodeError {
    /// The method key of the call.
    pub operation: &'static str,
    /// The type that was expected.
    pub expected: &'static str,
    /// What is wrong.
    pub reason: String,
    /// The first characters of the body.
    pub snippet: String,
    /// The decoder's error, when there is one.
    #[source]
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// Shortens a body to a snippet suitable for an error message.
pub(crate) fn snippet(body: &[u8]) -> String {
    // A body may hold a secret (an API key, a temporary password).
    arize_ax_api::open::safe_snippet(body, 200)
}

/// A failed input check is an [`Error::InvalidInput`].
impl From<Invalid> for Error {
    fn from(Invalid { field, reason }: Invalid) -> Self {
        Error::InvalidInput { field, reason }
    }
}
