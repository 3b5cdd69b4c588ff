//! The input checks every resource uses: IDs, text, lengths. Each names
//! the field and the rule it breaks; nothing is sent on a failed check.
//!
//! A failed check is an [`Invalid`], which the error type takes in as
//! [`Error::InvalidInput`](crate::Error::InvalidInput) (`?` converts it):
//! the checks know no error type, so the vocabulary the error type names
//! (roles) can use them without an import circle.

pub use crate::core::id::is_id;

/// A value that breaks a rule: the field at fault and the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Invalid {
    pub(crate) field: &'static str,
    pub(crate) reason: String,
}

impl Invalid {
    pub(crate) fn new(field: &'static str, reason: impl Into<String>) -> Self {
        Invalid {
            field,
            reason: reason.into(),
        }
    }
}

/// Rejects empty, whitespace-only and control-character values.
pub(crate) fn check_text(field: &'static str, value: &str) -> Result<(), Invalid> {
    if value.is_empty() {
        return Err(Invalid::new(field, "must not be empty"));
    }
    if value.trim().is_empty() {
        return Err(Invalid::new(field, "must not be only whitespace"));
    }
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return Err(Invalid::new(
            field,
            format!("must not contain control characters (found {c:?})"),
        ));
    }
    Ok(())
}

pub(crate) fn check_len(field: &'static str, value: &str, max: usize) -> Result<(), Invalid> {
    let len = value.chars().count();
    if len > max {
        return Err(Invalid::new(
            field,
            format!("must be at most {max} characters (got {len})"),
        ));
    }
    Ok(())
}

/// Checks free text (a description): any characters but control ones
/// other than newlines and tabs, at most `max` of them.
pub(crate) fn check_free_text(field: &'static str, value: &str, max: usize) -> Result<(), Invalid> {
    if let Some(c) = value
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(Invalid::new(
            field,
            format!(
                "must not contain control characters other than newlines and tabs (found {c:?})"
            ),
        ));
    }
    check_len(field, value, max)
}

pub(crate) fn check_id(field: &'static str, id: &str) -> Result<(), Invalid> {
    if !is_id(id) {
        return Err(Invalid::new(
            field,
            format!(
                "{id:?} is not a valid ID (IDs are standard base64 of text containing ':'); \
                 pass a name instead, or check the ID"
            ),
        ));
    }
    Ok(())
}

/// Checks an email address (the spec's `format: email`).
pub(crate) fn check_email(email: &str) -> Result<(), Invalid> {
    check_text("email", email)?;
    check_len("email", email, arize_ax_api::limits::EMAIL_FILTER_MAX_LEN)?;
    // A plain address: no display text (`Jane <jane@…>`), no domain
    // literal (`jane@[127.0.0.1]`), a dotted domain, no spaces.
    let options = email_address::Options::default()
        .without_display_text()
        .without_domain_literal()
        .with_required_tld();
    if email.chars().any(char::is_whitespace)
        || email_address::EmailAddress::parse_with_options(email, options).is_err()
    {
        return Err(Invalid::new(
            "email",
            format!("{email:?} is not an email address"),
        ));
    }
    Ok(())
}

/// A value for a constrained field of a generated request type. The facade
/// checked it already; the generated type checks the spec's rules again.
pub(crate) fn request_value<T: TryFrom<String>>(
    field: &'static str,
    value: String,
) -> Result<T, Invalid>
where
    T::Error: std::fmt::Display,
{
    T::try_from(value).map_err(|e| Invalid::new(field, e.to_string()))
}
