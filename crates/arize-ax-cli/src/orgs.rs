//! `arize-ax orgs …`

use std::io::{BufRead, IsTerminal, Write};

use arize_ax::{Client, Organization, Space};
use futures::TryStreamExt;

use crate::cli::{Global, Orgs};
use crate::output;
use crate::terminal::{cell, printable};
use crate::{Failure, show_progress};

/// Runs one `orgs` command.
pub async fn run(
    client: &Client,
    global: &Global,
    command: Orgs,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let orgs = client.organizations();
    let format = global.format();
    match command {
        Orgs::List { name, paging } => {
            let mut request = orgs.list();
            if let Some(name) = name {
                request = request.name(name);
            }
            if let Some(limit) = paging.limit {
                request = request.limit(limit);
            }
            if let Some(cursor) = paging.cursor {
                request = request.cursor(cursor);
            }
            if paging.all {
                output::stream_all(request.stream(), "organizations", global, out).await?;
            } else {
                let page = request.send().await?;
                output::many(out, format, &page.organizations)?;
                output::more_hint(&page.pagination, global);
            }
        }
        Orgs::Get { org } => {
            let org = orgs.get(org).await?;
            output::one(out, format, &org)?;
        }
        Orgs::Create {
            name,
            description,
            exist_ok,
        } => {
            let mut request = orgs.create(name).exist_ok(exist_ok);
            if let Some(description) = description {
                request = request.description(description);
            }
            let org = request.send().await?;
            output::one(out, format, &org)?;
        }
        Orgs::Update {
            org,
            name,
            description,
        } => {
            let mut request = orgs.update(org);
            if let Some(name) = name {
                request = request.name(name);
            }
            if let Some(description) = description {
                request = request.description(description);
            }
            let org = request.send().await?;
            output::one(out, format, &org)?;
        }
        Orgs::Delete { org, yes, dry_run } => {
            let stdin_is_terminal = std::io::stdin().is_terminal();
            if dry_run {
                let target = orgs.get(org.as_str()).await?;
                let spaces = spaces_of(client, &target).await?;
                if format == output::Format::Table {
                    writeln!(out, "{}", preview(&target, &spaces))?;
                    writeln!(out, "dry run: nothing was deleted")?;
                } else {
                    output::many(out, format, &spaces)?;
                }
                return Ok(());
            }
            if !yes && !stdin_is_terminal {
                return Err(Failure::usage(format!(
                    "refusing to delete {org:?} without confirmation: deleting an organization removes \
                     every space and resource in it and cannot be undone. Run it on a terminal to confirm \
                     by typing the name, or pass --yes."
                )));
            }
            // Resolve first, so the person confirms the organization that
            // will actually be deleted, and the delete targets its ID.
            let target = orgs.get(org.as_str()).await?;
            if !yes {
                // The preview helps the person decide; when it cannot be had
                // (a key that may delete but not list spaces), say so and ask.
                match spaces_of(client, &target).await {
                    Ok(spaces) => eprintln!("{}", preview(&target, &spaces)),
                    Err(e) => eprintln!(
                        "warning: cannot list the spaces that go with it: {}",
                        printable(&format!("{:#}", e.error))
                    ),
                }
                confirm(&target)?;
            }
            orgs.delete(&target).await?;
            if !global.quiet {
                eprintln!(
                    "deleted organization {} ({})",
                    printable(&format!("{:?}", target.name)),
                    printable(&target.id)
                );
            }
        }
        Orgs::AddUser {
            org,
            user,
            role,
            invite,
            name,
        } => {
            let mut request = orgs.add_user(org, user, role).invite(invite);
            if let Some(name) = name {
                request = request.name(name);
            }
            let membership = request.send().await?;
            output::one(out, format, &membership)?;
        }
        Orgs::AddUsers {
            org,
            role,
            invite,
            from,
            concurrency,
        } => {
            let lines = read_users(&from)?;
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
            let bar = progress_bar(global, users.len(), "users added");
            let report = orgs
                .add_users(org, users.into_iter().map(|u| (u, role.clone())))
                .invite(invite)
                .invite_names(names)
                .concurrency(usize::from(concurrency))
                .on_progress(tick(&bar))
                .send()
                .await;
            finish(bar);
            let report = report?;
            let made: Vec<_> = report.succeeded().map(|(_, m)| m.clone()).collect();
            // The failures are told even when stdout has gone away.
            let written = output::many(out, format, &made);
            summarize("added", report.items.len(), report.failed(), global)?;
            written?;
        }
        Orgs::RemoveUsers {
            org,
            from,
            concurrency,
        } => {
            let users = read_users(&from)?;
            let bar = progress_bar(global, users.len(), "users removed");
            let report = orgs
                .remove_users(org, users)
                .concurrency(usize::from(concurrency))
                .on_progress(tick(&bar))
                .send()
                .await;
            finish(bar);
            let report = report?;
            summarize("removed", report.items.len(), report.failed(), global)?;
        }
        Orgs::RemoveUser { org, user } => {
            orgs.remove_user(org.as_str(), user.as_str()).await?;
            if !global.quiet {
                eprintln!(
                    "removed user {} from organization {}",
                    printable(&user),
                    printable(&org)
                );
            }
        }
    }
    Ok(())
}

/// Reads users, one per line; blank lines and `#` comments are skipped.
fn read_users(from: &std::path::Path) -> Result<Vec<String>, Failure> {
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

fn progress_bar(global: &Global, total: usize, what: &str) -> Option<indicatif::ProgressBar> {
    show_progress(global).then(|| {
        let bar = indicatif::ProgressBar::new(total as u64);
        let template = format!("{{bar:30}} {{pos}}/{{len}} {what}");
        bar.set_style(
            indicatif::ProgressStyle::with_template(&template)
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    })
}

/// A bulk progress callback that moves `bar` (a no-op without one).
fn tick(bar: &Option<indicatif::ProgressBar>) -> impl Fn(usize, usize) + Send + Sync + 'static {
    let bar = bar.clone();
    move |done, _| {
        if let Some(bar) = &bar {
            bar.set_position(done as u64);
        }
    }
}

pub(crate) fn finish(bar: Option<indicatif::ProgressBar>) {
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
}

/// Reports a bulk call on stderr; fails (exit 1) if any user failed.
fn summarize<'a>(
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
        code: crate::exit::FAILURE,
        error: anyhow::anyhow!("{} of {total} users failed", failed.len()),
    })
}

/// How many spaces a delete preview names; the rest are counted.
const PREVIEW_SPACES: usize = 20;

/// Every space of an organization, for the delete preview.
async fn spaces_of(client: &Client, org: &Organization) -> Result<Vec<Space>, Failure> {
    Ok(client
        .spaces()
        .list()
        .organization(org)
        .stream()
        .try_collect()
        .await?)
}

/// What deleting `org` takes with it, for a person: its spaces (private ones
/// marked), a screenful of names and a count of the rest.
fn preview(org: &Organization, spaces: &[Space]) -> String {
    let mut text = format!(
        "Deleting organization {} ({}) also deletes ",
        printable(&format!("{:?}", org.name)),
        printable(&org.id)
    );
    match spaces.len() {
        0 => text.push_str("its content; it has no spaces."),
        n => {
            text.push_str(&format!(
                "its {n} space{} and everything in them:",
                if n == 1 { "" } else { "s" }
            ));
            for space in spaces.iter().take(PREVIEW_SPACES) {
                text.push_str(&format!(
                    "\n  {}{}",
                    cell(&space.name),
                    if space.is_private { " (private)" } else { "" }
                ));
            }
            if n > PREVIEW_SPACES {
                text.push_str(&format!("\n  … and {} more", n - PREVIEW_SPACES));
            }
        }
    }
    text
}

/// Asks the person at the terminal to type the organization's name.
fn confirm(org: &Organization) -> Result<(), Failure> {
    eprintln!(
        "This deletes organization {} ({}) and EVERYTHING in it: all spaces, projects, \
         experiments, datasets, monitors, dashboards, integrations and API keys. It cannot be undone.",
        printable(&format!("{:?}", org.name)),
        printable(&org.id)
    );
    eprint!("Type the organization's name to confirm: ");
    std::io::stderr().flush()?;
    let mut typed = String::new();
    std::io::stdin().lock().read_line(&mut typed)?;
    if typed.trim_end_matches(['\n', '\r']) != org.name {
        return Err(Failure::usage(
            "the name did not match; nothing was deleted",
        ));
    }
    Ok(())
}
