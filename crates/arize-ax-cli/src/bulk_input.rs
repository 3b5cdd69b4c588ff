//! The input and the report of the bulk commands (`add-users`,
//! `remove-users`): users one per line, duplicates refused before anything
//! is sent; one line per failed user, exit 1 if any failed.

use crate::args::Global;
use crate::failure::{Failure, exit};
use crate::terminal::printable;

/// The users of a file (or of stdin for `-`): one per line, blank lines and
/// `#` comments skipped; the same user twice is refused, naming both lines.
pub(crate) fn read_users(from: &std::path::Path) -> Result<Vec<String>, Failure> {
    let text = if from.as_os_str() == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)?;
        text
    } else {
        std::fs::read_to_string(from).map_err(|e| {
            Failure::usage(format!("cannot read users from {}: {e}", from.display()))
        })?
    };
    let numbered: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .collect();
    // The same user twice (the same ID, or the same email in any case,
    // whatever follows a comma) would end with whichever request landed
    // last: refuse it, naming both lines, before anything is sent.
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (line, text) in &numbered {
        let user = text.split(',').next().unwrap_or(text).trim();
        let key = if user.contains('@') {
            user.to_lowercase()
        } else {
            user.to_owned()
        };
        if let Some(first) = seen.insert(key, *line) {
            return Err(Failure::usage(format!(
                "{}: lines {first} and {line} name the same user ({}); give each user once",
                from.display(),
                printable(user)
            )));
        }
    }
    let users: Vec<String> = numbered.into_iter().map(|(_, l)| l.to_owned()).collect();
    if users.is_empty() {
        return Err(Failure::usage(format!(
            "no users in {}: give one user ID or email per line",
            from.display()
        )));
    }
    Ok(users)
}

/// Reports a bulk call on stderr; fails (exit 1) if any user failed.
pub(crate) fn summarize<'a>(
    verb: &str,
    total: usize,
    failed: impl Iterator<Item = (&'a arize_ax::UserRef, &'a arize_ax::Error)>,
    global: &Global,
) -> Result<(), Failure> {
    let failed: Vec<_> = failed.collect();
    if failed.is_empty() {
        if !global.quiet {
            eprintln!("{verb} {total} of {total} users");
        }
        return Ok(());
    }
    eprintln!(
        "{verb} {} of {total} users; {} failed:",
        total - failed.len(),
        failed.len()
    );
    for (user, error) in &failed {
        eprintln!(
            "  {}: {}",
            printable(user.as_str()),
            printable(&error.to_string())
        );
    }
    Err(Failure {
        code: exit::FAILURE,
        error: anyhow::anyhow!("{} of {total} users failed", failed.len()),
    })
}

/// Display names by email, for the users `--invite` creates.
pub(crate) type Names = Vec<(String, String)>;

/// The users of `lines` and, with `invite`, the display names given as
/// `email,name`; a comma without `invite` is refused.
pub(crate) fn split_names(
    lines: Vec<String>,
    invite: bool,
) -> Result<(Vec<String>, Names), Failure> {
    let mut users = Vec::with_capacity(lines.len());
    let mut names = Vec::new();
    for line in lines {
        match line.split_once(',') {
            Some((email, name)) if invite => {
                if !name.trim().is_empty() {
                    names.push((email.trim().to_owned(), name.trim().to_owned()));
                }
                users.push(email.trim().to_owned());
            }
            Some(_) => {
                return Err(Failure::usage(format!(
                    "{}: a line `email,name` is for --invite; give one user ID or email per line",
                    printable(&line)
                )));
            }
            None => users.push(line),
        }
    }
    Ok((users, names))
}
