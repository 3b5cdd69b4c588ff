//! What an Arize ID looks like. Apart from the checks (which return
//! errors) so that the vocabulary the error type names can use it too.

use base64::Engine as _;

/// Whether `value` is an Arize ID: standard base64 (with padding) of UTF-8
/// text containing `:`. This is the rule Arize's own SDKs use.
///
/// ```
/// use arize_ax::is_id;
///
/// assert!(is_id("T3JnYW5pemF0aW9uOjEyMzQ1")); // "Organization:12345"
/// assert!(!is_id("my-organization"));
/// assert!(!is_id("bXktb3Jn")); // "my-org": base64, but no colon
/// ```
pub fn is_id(value: &str) -> bool {
    base64::engine::general_purpose::STANDARD
        .decode(value)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .is_some_and(|text| text.contains(':'))
}

/// The kind of record an ID names, as its decoded text starts
/// (`"Space"` for base64 of `Space:12`); `None` for a value that is not an
/// ID.
pub(crate) fn kind_of(value: &str) -> Option<String> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(value)
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    text.split_once(':').map(|(kind, _)| kind.to_owned())
}
