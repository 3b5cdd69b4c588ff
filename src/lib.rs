//! Low-level client for the Arize AX REST API v2 (organizations and users).
//!
//! **Generated** by progenitor from `openapi/arize-v2-organizations.openapi.json`
//! at build time (see `build.rs`); do not edit the generated code, refresh the
//! spec instead. Most applications want the hand-written `arize-ax` crate,
//! which adds name-or-ID resolution, validation, retries and typed errors on
//! top of the same API.
//!
//! # Calling an operation
//!
//! Give [`Client::new`] (or [`Client::new_with_client`], with your own
//! `reqwest::Client`) the base URL and a [`transport::Transport`]: the key,
//! identity headers, timeout and retry policy every call runs through. Every
//! operation is a method returning a builder; `send()` runs it.
//!
//! ```no_run
//! use std::time::Duration;
//! use arize_ax_api::transport::{RetryPolicy, Transport};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let key = std::env::var("ARIZE_API_KEY")?;
//! let transport = Transport::default()
//!     .bearer(&key)
//!     .timeout(Duration::from_secs(30))
//!     .retry(RetryPolicy::default()); // the default is to send once
//! let client = arize_ax_api::Client::new("https://api.arize.com", transport);
//! let page = client.list_organizations().name("platform").limit(10u64).send().await?;
//! // Arize's document marks no response field as required, so every field
//! // of a generated record is an `Option`: a server may leave any of them out.
//! for org in &page.organizations {
//!     let id = org.id.as_deref().map_or("?", |id| id.as_str());
//!     println!("{id} {}", org.name.as_deref().unwrap_or(""));
//! }
//! # Ok(())
//! # }
//! ```
//!
//! The transport (`src/transport.rs`) is the one hand-written part of the
//! wire layer: path encoding, identity headers, timeout, retries by each
//! operation's [`Idempotency`], turning error bodies that are not problem
//! JSON into ones the generated code decodes, and one `tracing` span per
//! call. The enums Arize may extend (role names, user statuses, kinds of
//! role assignment) are the open types of [`open`]. [`OPERATIONS`] and
//! [`ops`] describe every operation; [`limits`] holds the input limits the
//! spec declares.
//!
//! Error statuses decode into [`types::Problem`] (RFC 9457 problem details):
//! see `openapi/README.md` for how the spec is adapted to make that possible.
//!
//! # Which crate
//!
//! - **`arize-ax`** (the facade) for application code: names or IDs, checked
//!   input, retries that know each operation, typed errors, streams, bulk
//!   calls at the server's pace. Start there.
//! - **`arize-ax-api`** (this crate) for direct access to every operation
//!   and field exactly as the spec declares them: its types follow the spec
//!   and change when the spec does (see the repository's CHANGELOG).
//! - **`arize-ax-fake`** to test either against a stateful fake server.
//!
//! # Features
//!
//! - `mock`: [`mock`], progenitor's typed httpmock helpers, so tests can write
//!   `server.get_organization(|when, then| ...)`.
//!
//! # Types of other crates in this API
//!
//! The generated code speaks progenitor's and reqwest's types
//! (`progenitor_client::Error`, `ResponseValue`, `reqwest::Client` in
//! [`Client::new_with_client`]): they are the generator's contract, and
//! wrapping them would hide the raw access this crate exists for. The
//! transport takes `reqwest::header` names and values because those are
//! what it sends; generated types derive `schemars::JsonSchema` and use
//! `chrono` for date-times, as the spec's formats say.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod open;
pub mod transport;

#[allow(
    clippy::all,
    clippy::pedantic,
    missing_docs,
    unused_imports,
    irrefutable_let_patterns,
    rustdoc::bare_urls,
    rustdoc::broken_intra_doc_links,
    rustdoc::invalid_html_tags
)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/client.rs"));
}

pub use generated::*;

/// Typed httpmock helpers for this API: an extension trait on
/// `httpmock::MockServer` with one method per operation.
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
#[allow(
    clippy::all,
    missing_docs,
    rustdoc::bare_urls,
    rustdoc::broken_intra_doc_links
)]
pub mod mock {
    include!(concat!(env!("OUT_DIR"), "/httpmock.rs"));
}

/// The OpenAPI 3.0.3 document this crate was generated from.
pub const SPEC: &str = include_str!("../openapi/arize-v2-organizations.openapi.json");

/// Release stage of an operation, from the spec's `x-stage` extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Stage {
    /// Pre-release; may change without notice.
    Alpha,
    /// Pre-release, closer to stable; may still change without notice.
    Beta,
    /// Generally available.
    Stable,
}

impl Stage {
    /// Whether the stage is pre-release (alpha or beta).
    pub fn is_prerelease(self) -> bool {
        !matches!(self, Stage::Stable)
    }

    /// The stage in capitals, as the pre-release warning prints it.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Alpha => "ALPHA",
            Stage::Beta => "BETA",
            Stage::Stable => "STABLE",
        }
    }
}

/// Whether repeating an operation is harmless; retries follow it (see
/// [`transport::retry_delay`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Idempotency {
    /// Reads only (list, get).
    Safe,
    /// Changes state, but sending it twice leaves the same state as once
    /// (update with absolute values, delete, the add-user upsert, remove).
    Idempotent,
    /// Sending it twice may do it twice (create).
    NotIdempotent,
}

/// One operation of the embedded spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Operation {
    /// The `operationId`, which is also the generated method's name.
    pub id: &'static str,
    /// The HTTP method in capitals.
    pub method: &'static str,
    /// The path template, e.g. `/v2/organizations/{org_id}`.
    pub path: &'static str,
    /// The release stage.
    pub stage: Stage,
    /// Whether repeating it is harmless.
    pub idempotency: Idempotency,
}

include!(concat!(env!("OUT_DIR"), "/operations.rs"));

/// Looks up an operation of the embedded spec by its `operationId`.
///
/// ```
/// let op = arize_ax_api::operation("delete_organization").unwrap();
/// assert_eq!((op.method, op.path), ("DELETE", "/v2/organizations/{org_id}"));
/// assert_eq!(op.stage, arize_ax_api::Stage::Alpha);
/// ```
pub fn operation(id: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|op| op.id == id)
}
