//! `arize-ax users …`

use std::io::{BufRead, IsTerminal, Write};

use arize_ax::{Client, InviteMode, User, UserRole};

use crate::Failure;
use crate::cli::{AccountRoleArg, Global, InviteArg, Users, developer_flag};
use crate::output::{self, NewUser};
use crate::terminal::printable;

/// Runs one `users` command.
pub async fn run(
    client: &Client,
    global: &Global,
    command: Users,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let users = client.users();
    let format = global.format();
    match command {
        Users::List {
            email,
            status,
            paging,
        } => {
            let mut request = users.list().statuses(status);
            if let Some(email) = email {
                request = request.email(email);
            }
            if let Some(limit) = paging.limit {
                request = request.limit(limit);
            }
            if let Some(cursor) = paging.cursor {
                request = request.cursor(cursor);
            }
            if paging.all {
                output::stream_all(request.stream(), "users", global, out).await?;
            } else {
                let page = request.send().await?;
                output::many(out, format, &page.users)?;
                output::more_hint(&page.pagination, global);
            }
        }
        Users::Get { user } => {
            let user = users.get(user).await?;
            output::one(out, format, &user)?;
        }
        Users::Create {
            name,
            email,
            role,
            invite,
            developer,
            no_developer,
        } => {
            let role = match role {
                AccountRoleArg::Admin => UserRole::Admin,
                AccountRoleArg::Member => UserRole::Member,
                AccountRoleArg::MemberUiOnly => UserRole::MemberUiOnly,
                AccountRoleArg::Annotator => UserRole::Annotator,
            };
            let mode = match invite {
                InviteArg::EmailLink => InviteMode::EmailLink,
                InviteArg::None => InviteMode::None,
                InviteArg::TemporaryPassword => InviteMode::TemporaryPassword,
            };
            let asked_email = email.clone();
            let mut created = users
                .create(name, email, role)
                .invite(mode.clone())
                .send()
                .await?;
            // The create request has no `is_developer`: the flag is a second,
            // idempotent call. If it fails, the user (and a temporary
            // password) is still printed, and the error says what to rerun.
            let mut follow_up = None;
            // Sent whenever the flag is given: the answer's own flag may be
            // left out (read as false), and setting the value a user already
            // has changes nothing.
            if let Some(is_developer) = developer_flag(developer, no_developer) {
                // By the email asked for: the answer's ID may be left out.
                match users
                    .update(asked_email.clone())
                    .developer(is_developer)
                    .send()
                    .await
                {
                    Ok(user) => created.user = user,
                    Err(error) => follow_up = Some((is_developer, error)),
                }
            }
            output::one(out, format, &NewUser::new(&created))?;
            if !global.quiet {
                let email = printable(&asked_email);
                match created.outcome {
                    arize_ax::Creation::AlreadyInvited if mode == InviteMode::TemporaryPassword => {
                        eprintln!(
                            "warning: {email} was already invited, so no temporary password was returned; \
                             if an earlier run created them, its password is lost: send an invitation email \
                             with `arize-ax users resend-invitation {email}`"
                        )
                    }
                    arize_ax::Creation::AlreadyInvited => eprintln!(
                        "note: {email} was already invited; the pending invitation is returned unchanged"
                    ),
                    _ if created.temporary_password.is_some() => eprintln!(
                        "note: the temporary password above is shown this once and will not be shown again; \
                         hand it to {email} safely"
                    ),
                    _ => {}
                }
            }
            if let Some((is_developer, error)) = follow_up {
                let flag = if is_developer {
                    "--developer"
                } else {
                    "--no-developer"
                };
                let who = crate::shell_quote(&asked_email);
                // Exit 1 whatever the update's error: the create succeeded.
                return Err(Failure {
                    code: crate::exit::FAILURE,
                    error: anyhow::Error::new(error).context(format!(
                        "the user was created, but setting {flag} failed; run \
                         `arize-ax users update {who} {flag}`"
                    )),
                });
            }
        }
        Users::Update {
            user,
            name,
            developer,
            no_developer,
        } => {
            let mut request = users.update(user);
            if let Some(name) = name {
                request = request.name(name);
            }
            if let Some(is_developer) = developer_flag(developer, no_developer) {
                request = request.developer(is_developer);
            }
            let user = request.send().await?;
            output::one(out, format, &user)?;
        }
        Users::Delete { user, yes } => {
            if !yes && !std::io::stdin().is_terminal() {
                return Err(Failure::usage(format!(
                    "refusing to delete user {} without confirmation: it removes them from the account \
                     for good (memberships, API keys, role bindings) and cannot be undone. Run it on a \
                     terminal to confirm by typing their email, or pass --yes.",
                    printable(&format!("{user:?}"))
                )));
            }
            // Resolve first, so the person confirms the user that will
            // actually be removed, and the delete targets their ID.
            let target = users.get(user.as_str()).await?;
            if !yes {
                confirm(&target)?;
            }
            users.delete(&target).await?;
            if !global.quiet {
                eprintln!(
                    "deleted user {} ({})",
                    printable(&target.email),
                    printable(&target.id)
                );
            }
        }
        Users::ResendInvitation { user } => {
            users.resend_invitation(user.as_str()).await?;
            if !global.quiet {
                eprintln!("sent the invitation to {} again", printable(&user));
            }
        }
        Users::ResetPassword { user } => {
            users.reset_password(user.as_str()).await?;
            if !global.quiet {
                eprintln!("sent a password-reset email to {}", printable(&user));
            }
        }
    }
    Ok(())
}

/// Asks the person at the terminal to type the user's email.
fn confirm(user: &User) -> Result<(), Failure> {
    eprintln!(
        "This removes user {} ({}) from the account for good: they cannot sign in or be invited \
         again, and their organization and space memberships, API keys and role bindings go too. \
         It cannot be undone.",
        printable(&user.email),
        printable(&user.id)
    );
    eprint!("Type the user's email to confirm: ");
    std::io::stderr().flush()?;
    let mut typed = String::new();
    std::io::stdin().lock().read_line(&mut typed)?;
    if !typed
        .trim_end_matches(['\n', '\r'])
        .eq_ignore_ascii_case(&user.email)
    {
        return Err(Failure::usage(
            "the email did not match; nothing was deleted",
        ));
    }
    Ok(())
}
