//! How a create by name is sent and judged, for every resource whose
//! records have unique names (organizations, spaces, roles): with
//! `exist_ok` it is safe to repeat, so it is retried like any idempotent
//! call and a 409 means "that name exists"; without it, it is sent once
//! and an error after which the record may exist is
//! [`Error::MaybeCreated`], never a plain failure.

use std::future::Future;

use arize_ax_api::Idempotency;
use arize_ax_api::transport::CallOptions;

use crate::core::client::{Client, RawResult};
use crate::core::error::{Error, Kind, Result};

/// What a create by name came to.
pub(crate) enum Created<R> {
    /// The server made it and answered with the raw record.
    New(R),
    /// With `exist_ok`, the name was taken (the 409 kept, for a resource
    /// that refuses some existing records); the caller fetches the record
    /// of that name.
    Taken(Error),
}

/// A create of `kind` named `name`, sent the one way (see the module).
pub(crate) async fn create_named<R>(
    client: &Client,
    method: &'static str,
    kind: Kind,
    name: &str,
    exist_ok: bool,
    call: impl Future<Output = RawResult<R>>,
) -> Result<Created<R>> {
    let options = match exist_ok {
        true => CallOptions::new().idempotency(Idempotency::Idempotent),
        false => CallOptions::new(),
    };
    let (result, report) = client.call_as(method, options, call).await;
    match result {
        Ok(raw) => Ok(Created::New(raw)),
        Err(e) if exist_ok && e.status() == Some(409) => Ok(Created::Taken(e)),
        Err(e) if report.may_have_taken_effect => Err(Error::MaybeCreated {
            kind,
            name: name.to_owned(),
            source: Box::new(e),
        }),
        Err(e) => Err(e),
    }
}
