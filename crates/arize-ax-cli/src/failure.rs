//! How a command fails: the error and its exit code, and the shell quoting
//! of the commands a failure suggests.

/// Exit codes.
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// Any other failure.
    pub const FAILURE: u8 = 1;
    /// Usage or invalid input; nothing was sent.
    pub const USAGE: u8 = 2;
    /// Not found (name resolution or 404), or an ambiguous name.
    pub const NOT_FOUND: u8 = 3;
    /// Authentication or permission (401/403).
    pub const AUTH: u8 = 4;
}

/// An error with the exit code it deserves.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub error: anyhow::Error,
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(error: E) -> Self {
        let error = error.into();
        let code = error
            .downcast_ref::<arize_ax::Error>()
            .map_or(exit::FAILURE, code_for);
        Failure { code, error }
    }
}

impl Failure {
    /// A usage error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: exit::USAGE,
            error: anyhow::anyhow!(message.into()),
        }
    }
}

/// The exit code for a facade error.
pub fn code_for(error: &arize_ax::Error) -> u8 {
    use arize_ax::Error;
    match error {
        Error::InvalidInput { .. } | Error::Config(_) | Error::RoleConstraint(_) => exit::USAGE,
        Error::MaybeSent { source, .. } => code_for(source),
        Error::NotFound(_) | Error::Ambiguous(_) => exit::NOT_FOUND,
        Error::Api(api) => match api.status {
            404 => exit::NOT_FOUND,
            401 | 403 => exit::AUTH,
            _ => exit::FAILURE,
        },
        _ => exit::FAILURE,
    }
}

/// `text` as one shell word: as is when it is plain, else in single quotes.
pub fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@' | '+' | '/' | ':')
        });
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::shell_quote;

    #[test]
    fn names_are_quoted_for_the_shell() {
        assert_eq!(shell_quote("fresh"), "fresh");
        assert_eq!(shell_quote("jane@example.com"), "jane@example.com");
        assert_eq!(shell_quote("my org"), "'my org'");
        assert_eq!(shell_quote("it's; rm -rf ~"), r"'it'\''s; rm -rf ~'");
        assert_eq!(shell_quote(""), "''");
    }
}
