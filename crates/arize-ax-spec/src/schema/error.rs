//! Building [`SpecError::Invalid`] and the JSON pointers it names.

use crate::error::SpecError;

/// A [`SpecError::Invalid`] at `pointer` (`/` for the empty pointer, the
/// document itself).
pub(crate) fn invalid(pointer: &str, reason: &str) -> SpecError {
    SpecError::Invalid {
        pointer: if pointer.is_empty() {
            "/".to_owned()
        } else {
            pointer.to_owned()
        },
        reason: reason.to_owned(),
    }
}

/// Escapes one segment of a JSON pointer (`~` → `~0`, `/` → `~1`).
pub(crate) fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}
