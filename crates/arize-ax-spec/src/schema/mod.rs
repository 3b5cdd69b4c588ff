//! Schema-level work shared by `spec sync` ([`crate::convert`]), `spec drift`
//! ([`crate::drift`]) and the sample generator ([`crate::samples`]), so both
//! commands read a document the same way without depending on each other.
//!
//! - `dialect`: one JSON Schema (OpenAPI 3.1) rewritten as an OpenAPI 3.0
//!   Schema Object ([`convert_schema`]).
//! - `normalize`: `$ref`s resolved ([`resolve`]) and a schema brought to one
//!   spelling, wording aside ([`normalize()`]).
//! - `merge`: an operation's several success bodies as one schema
//!   ([`merged_success_body`]).
//! - `keywords`: small readers and writers of keywords ([`required_set`],
//!   [`pin_tag`]).
//! - `error`: the [`SpecError::Invalid`](crate::SpecError::Invalid) helper
//!   and JSON pointer escaping.
//!
//! The files depend on each other one way: `error` and `keywords` on
//! nothing, `dialect` on `error`, `normalize` on `dialect` and `keywords`,
//! `merge` on `error` and `normalize`. Nothing here imports `convert`,
//! `drift` or `samples`.

mod dialect;
mod error;
mod keywords;
mod merge;
mod normalize;

pub(crate) use dialect::convert_schema;
pub(crate) use error::{escape_pointer, invalid};
pub(crate) use keywords::{pin_tag, required_set};
pub(crate) use merge::{deref, merged_success_body};
#[cfg(test)]
pub(crate) use normalize::recursive_document;
pub(crate) use normalize::{normalize, resolve};
