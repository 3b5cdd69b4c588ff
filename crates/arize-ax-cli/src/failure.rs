//! How a command fails: the error and its exit code, how it is told (with
//! a hint of the command to run next), and the shell quoting of the
//! commands a failure suggests.

use crate::terminal::printable;

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
    /// Tells the person what failed (and the command that answers the
    /// question it leaves open) on stderr, escaped; the exit code. A write
    /// to a reader that went away (`| head`) is a normal end, as for
    /// ripgrep; any other failure (a bulk command's failed users) is told.
    pub fn report(self) -> u8 {
        if is_broken_pipe(&self.error) {
            return exit::OK;
        }
        eprintln!("error: {}", printable(&format!("{:#}", self.error)));
        if let Some(hint) = hint(&self.error) {
            eprintln!("hint: {}", printable(&hint));
        }
        self.code
    }

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
    // `=` is plain but at the start (zsh expands `=word`): base64 IDs and
    // cursors end with it.
    let plain = !text.is_empty()
        && !text.starts_with('=')
        && text.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@' | '+' | '/' | ':' | '=')
        });
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// The command that answers the question an error leaves open, for the
/// person at the terminal (the library's messages name its own methods).
fn hint(error: &anyhow::Error) -> Option<String> {
    match error.downcast_ref::<arize_ax::Error>()? {
        arize_ax::Error::MaybeCreated { kind, name, .. } => match kind {
            arize_ax::Kind::Organization => Some(format!(
                "check with `arize-ax orgs get {}`, or run the create again with --exist-ok",
                shell_quote(name)
            )),
            arize_ax::Kind::User => Some(format!(
                "check with `arize-ax users get {}`",
                shell_quote(name)
            )),
            arize_ax::Kind::Space => Some(format!(
                "check with `arize-ax spaces get {} --org ORG`, or run the create again with \
                 --exist-ok",
                shell_quote(name)
            )),
            arize_ax::Kind::Role => Some(format!(
                "check with `arize-ax roles get {}`, or run the create again with --exist-ok",
                shell_quote(name)
            )),
            _ => None,
        },
        arize_ax::Error::NotInOrganization { user, .. } => Some(format!(
            "add them to the organization in the same step: `arize-ax spaces add-user … {} \
             --role … --join-org member`",
            shell_quote(user)
        )),
        arize_ax::Error::Api(api) if api.status == 409 && api.operation == "roles.delete" => Some(
            "give the organization and space members who hold it another role; find the \
             bindings that hold it with `arize-ax role-bindings list --role ROLE --all` (and \
             again with `--resource-type project`) and delete each with `arize-ax role-bindings \
             delete BINDING_ID`; then delete the role"
                .to_owned(),
        ),
        arize_ax::Error::TemporaryPasswordLost { email, .. } => Some(format!(
            "send them an invitation email: `arize-ax users resend-invitation {}`",
            shell_quote(email)
        )),
        _ => None,
    }
}

/// Whether a failure is a write to a closed stdout, however the writer
/// (JSON, CSV) wrapped it.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(BrokenPipe))
            || cause.downcast_ref::<csv::Error>().is_some_and(
                |e| matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == BrokenPipe),
            )
    })
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
        assert_eq!(shell_quote("Y3Vyc29yOjI="), "Y3Vyc29yOjI=");
        assert_eq!(shell_quote("=cmd"), "'=cmd'");
    }
}
