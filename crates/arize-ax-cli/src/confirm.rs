//! Type-to-confirm for what cannot be undone: the person types the
//! target's name (or email) back; anything else stops with nothing done.

use std::io::{BufRead, Write};

use crate::failure::Failure;
use crate::terminal::printable;

/// Prints `warning` on stderr, asks for `what` (e.g. "the organization's
/// name") and succeeds only when the line typed is `expected` (ignoring
/// ASCII case when `ignore_case`); else a usage failure saying
/// "`mismatch`; nothing was deleted".
pub(crate) fn type_to_confirm(
    warning: &str,
    what: &str,
    expected: &str,
    ignore_case: bool,
    mismatch: &str,
) -> Result<(), Failure> {
    eprintln!("{warning}");
    eprint!("Type {what} to confirm: ");
    std::io::stderr().flush()?;
    let mut typed = String::new();
    std::io::stdin().lock().read_line(&mut typed)?;
    let typed = typed.trim_end_matches(['\n', '\r']);
    let same = if ignore_case {
        typed.eq_ignore_ascii_case(expected)
    } else {
        typed == expected
    };
    if !same {
        return Err(Failure::usage(format!("{mismatch}; nothing was deleted")));
    }
    Ok(())
}

/// Asks for the name of a record about to be deleted for good: "This
/// deletes {kind} "name" (id) {what_goes}. It cannot be undone.", then
/// "Type the {kind}'s name to confirm". Server text is escaped.
pub(crate) fn confirm_delete(
    kind: &str,
    name: &str,
    id: &str,
    what_goes: &str,
) -> Result<(), Failure> {
    type_to_confirm(
        &format!(
            "This deletes {kind} {} ({}) {what_goes}. It cannot be undone.",
            printable(&format!("{name:?}")),
            printable(id)
        ),
        &format!("the {kind}'s name"),
        name,
        false,
        "the name did not match",
    )
}

/// Says on stderr that a record is gone (`deleted {kind} "name" (id)`),
/// unless `quiet`.
pub(crate) fn say_deleted(kind: &str, name: &str, id: &str, quiet: bool) {
    if !quiet {
        eprintln!(
            "deleted {kind} {} ({})",
            printable(&format!("{name:?}")),
            printable(id)
        );
    }
}
