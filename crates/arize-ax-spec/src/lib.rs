//! OpenAPI tooling for arize-ax.
//!
//! Arize publishes its REST API as OpenAPI 3.1; progenitor, which generates
//! the `arize-ax-api` client, reads OpenAPI 3.0.x. This crate turns an
//! upstream document into the 3.0.3 file checked into `openapi/` (see
//! [`to_openapi_30`] for every rewrite it makes), and is where spec drift is
//! measured.
//!
//! The upstream document itself is vendored at [`VENDORED_UPSTREAM`]. When
//! Arize publishes a new one, replace that file and refresh the checked-in
//! spec, at the repository root, with:
//!
//! ```text
//! cargo run -p arize-ax-cli -- spec sync
//! ```
//!
//! # Examples
//!
//! ```
//! use arize_ax_spec::{ConvertOptions, parse, render, to_openapi_30};
//!
//! let upstream = parse("openapi: 3.1.1\ninfo: {title: t, version: '1'}\npaths: {}\n", "inline")?;
//! let text = render(&to_openapi_30(&upstream, &ConvertOptions::default())?);
//! assert!(text.contains("\"openapi\": \"3.0.3\""));
//! # Ok::<(), arize_ax_spec::SpecError>(())
//! ```
//!
//! # Layout
//!
//! The modules depend on each other one way. `error` ([`SpecError`]),
//! `scope` (the path prefixes this SDK takes) and `schema` (resolving
//! `$ref`s, normalising and converting one schema, merging success bodies)
//! are shared; `convert` (`spec sync`),
//! [`drift`] (`spec drift`) and [`samples`] build on them and never on each
//! other. This file re-exports the public items.

mod convert;
pub mod drift;
mod error;
mod load;
pub mod samples;
mod schema;
mod scope;

use std::path::Path;

pub use convert::{ConvertOptions, DERIVED_NOTE, render, to_openapi_30};
pub use error::SpecError;
pub use load::parse;
pub use scope::DEFAULT_PATH_PREFIXES;

/// Where the derived spec lives, relative to the repository root.
pub const CHECKED_IN_SPEC: &str = "openapi/arize-v2-organizations.openapi.json";

/// Where the vendored copy of Arize's upstream document (OpenAPI 3.1, YAML)
/// lives, relative to the repository root. [`CHECKED_IN_SPEC`] is derived
/// from it, and `arize-ax spec sync` / `spec drift` read it by default.
pub const VENDORED_UPSTREAM: &str = "openapi/upstream/arize-v2-organizations.openapi.yaml";

/// Reads and parses an OpenAPI document (YAML or JSON) from a file.
///
/// # Errors
///
/// [`SpecError::Io`] when the file cannot be read, [`SpecError::Parse`] when
/// its text is not JSON or YAML.
pub fn load_file(path: &Path) -> Result<serde_json::Value, SpecError> {
    let text = std::fs::read_to_string(path).map_err(|source| SpecError::Io {
        path: path.display().to_string(),
        source,
    })?;
    parse(&text, &path.display().to_string())
}

/// Converts the upstream document at `upstream` and returns the text of the
/// checked-in spec, without writing anything.
///
/// # Errors
///
/// As [`load_file`] and [`to_openapi_30`].
pub fn derive_file(upstream: &Path, options: &ConvertOptions) -> Result<String, SpecError> {
    let doc = load_file(upstream)?;
    let converted = to_openapi_30(&doc, options).map_err(|e| match e {
        SpecError::Invalid { pointer, reason } => SpecError::Invalid {
            pointer: format!("{}#{pointer}", upstream.display()),
            reason,
        },
        other => other,
    })?;
    Ok(render(&converted))
}

/// Whether `out` already holds exactly what `upstream` converts to (a file
/// that cannot be read counts as out of date). Writes nothing.
///
/// # Errors
///
/// As [`derive_file`].
pub fn is_in_sync(
    upstream: &Path,
    out: &Path,
    options: &ConvertOptions,
) -> Result<bool, SpecError> {
    let text = derive_file(upstream, options)?;
    Ok(std::fs::read_to_string(out).is_ok_and(|current| current == text))
}

/// Converts `upstream` and writes the result to `out` (atomically: a temporary
/// file in the same folder, then a rename). Returns whether the file changed.
///
/// # Errors
///
/// As [`derive_file`], plus [`SpecError::Io`] when writing fails.
pub fn sync_file(upstream: &Path, out: &Path, options: &ConvertOptions) -> Result<bool, SpecError> {
    let text = derive_file(upstream, options)?;
    if std::fs::read_to_string(out).is_ok_and(|old| old == text) {
        return Ok(false);
    }
    let io = |source| SpecError::Io {
        path: out.display().to_string(),
        source,
    };
    let tmp = out.with_extension("json.tmp");
    std::fs::write(&tmp, &text).map_err(io)?;
    std::fs::rename(&tmp, out).map_err(io)?;
    Ok(true)
}
