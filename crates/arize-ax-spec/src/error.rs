//! The crate's error type.

/// What can go wrong reading or converting a spec.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SpecError {
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file involved.
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The text is not valid JSON or YAML.
    #[error("{source_name}: {reason}")]
    Parse {
        /// The input's name (usually its path).
        source_name: String,
        /// What is wrong.
        reason: String,
    },
    /// The document is not an OpenAPI document this tool can convert.
    #[error("invalid OpenAPI document at {pointer}: {reason}")]
    Invalid {
        /// JSON pointer of the offending place.
        pointer: String,
        /// What is wrong.
        reason: String,
    },
}
