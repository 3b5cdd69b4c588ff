//! Hand-written hook that the generated client calls before every request.

use std::convert::Infallible;

/// Percent-encodes `+` and `=` in the request path.
///
/// Arize IDs are standard base64, so they may contain `+`, `/` and `=`.
/// progenitor already encodes `/` inside a path parameter (keeping the ID one
/// segment), but leaves `+` and `=` as they are; some servers and proxies read
/// a literal `+` as a space. The path templates of this API contain neither
/// character, so every occurrence came from a parameter and is encoded here.
/// A `%` in a parameter was already encoded as `%25`, so nothing is encoded
/// twice.
pub(crate) async fn encode_reserved_in_path(
    request: &mut reqwest::Request,
) -> Result<(), Infallible> {
    let path = request.url().path();
    if path.contains(['+', '=']) {
        let encoded = path.replace('+', "%2B").replace('=', "%3D");
        request.url_mut().set_path(&encoded);
    }
    Ok(())
}
