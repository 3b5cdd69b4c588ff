//! `arize-ax users …`

use std::io::{IsTerminal, Write};

use arize_ax::{Client, InviteMode, UserRole};

use crate::args::Global;
use crate::args::{Paging, parse_status};
use crate::confirm::type_to_confirm;
use crate::failure::Failure;
use crate::listing;
use crate::output::{self, NewUser};
use crate::terminal::printable;
use arize_ax::UserStatus;
use clap::{Args, Subcommand};

/// `arize-ax users [API FLAGS] COMMAND`
#[derive(Debug, Args)]
pub struct UsersArgs {
    #[command(subcommand)]
    pub command: Users,
}

/// `arize-ax users …`
#[derive(Debug, Subcommand)]
pub enum Users {
    /// List the account's users (one page, or every one with --all).
    List {
        /// Keep users whose email contains this text (any case).
        #[arg(long)]
        email: Option<String>,
        /// Keep users with this status: active, invited or expired (any
        /// case); repeat it or separate with commas for several.
        #[arg(long, value_parser = parse_status, value_delimiter = ',')]
        status: Vec<UserStatus>,
        #[command(flatten)]
        paging: Paging,
    },
    /// Show one user, by ID or exact email (any case).
    Get {
        /// User ID or email.
        user: String,
    },
    /// Invite a user to the account (or show their pending invitation).
    ///
    /// Prints the user; with --invite temporary-password also the password,
    /// once: it is never shown again.
    Create {
        /// Full name (1 to 255 characters).
        name: String,
        /// Email address; the key that makes the command safe to repeat.
        email: String,
        /// Account role.
        #[arg(long, value_enum, default_value_t = AccountRoleArg::Member)]
        role: AccountRoleArg,
        /// How to bring them in.
        #[arg(long, value_enum, default_value_t = InviteArg::EmailLink)]
        invite: InviteArg,
        /// May call the API (the server's default: yes for admins and
        /// members). Set by a second call after the create (the create
        /// request has no such field).
        #[arg(long, overrides_with = "no_developer")]
        developer: bool,
        /// May not call the API (the server's default for annotators). Set
        /// by a second call after the create.
        #[arg(long, overrides_with = "developer")]
        no_developer: bool,
    },
    /// Rename a user, or grant or take away API access.
    Update {
        /// User ID or email.
        user: String,
        /// The new display name.
        #[arg(long)]
        name: Option<String>,
        /// Grant API access.
        #[arg(long, overrides_with = "no_developer")]
        developer: bool,
        /// Take API access away.
        #[arg(long, overrides_with = "developer")]
        no_developer: bool,
    },
    /// Remove a user from the account FOR GOOD (irreversible): they cannot
    /// sign in or be invited again; their memberships, API keys and role
    /// bindings go too.
    ///
    /// On a terminal it asks you to type the user's email; elsewhere it
    /// refuses unless --yes is given.
    Delete {
        /// User ID or email.
        user: String,
        /// Delete without asking.
        #[arg(long, short)]
        yes: bool,
    },
    /// Send an invited user's invitation email again (earlier links stop
    /// working).
    ResendInvitation {
        /// User ID or email.
        user: String,
    },
    /// Email a user a link to choose a new password (valid 30 minutes).
    ResetPassword {
        /// User ID or email.
        user: String,
    },
}

/// Account roles a user can be created with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AccountRoleArg {
    /// Manages the account.
    Admin,
    /// Regular access.
    Member,
    /// A member meant for the web interface (the document lists admin,
    /// member and annotator for new users; the server may refuse it).
    MemberUiOnly,
    /// Annotation work only.
    Annotator,
}

/// How `users create` brings a user in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InviteArg {
    /// Email a link to finish registering.
    EmailLink,
    /// No invitation: active at once (sign-in through an identity provider).
    None,
    /// A temporary password, printed once.
    TemporaryPassword,
}

/// `--developer` / `--no-developer`: a choice, or neither.
pub fn developer_flag(developer: bool, no_developer: bool) -> Option<bool> {
    match (developer, no_developer) {
        (true, _) => Some(true),
        (false, true) => Some(false),
        (false, false) => None,
    }
}

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
            listing::run(request, paging, "users", global, out).await?;
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
                let who = crate::failure::shell_quote(&asked_email);
                // Exit 1 whatever the update's error: the create succeeded.
                return Err(Failure {
                    code: crate::failure::exit::FAILURE,
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
                type_to_confirm(
                    &format!(
                        "This removes user {} ({}) from the account for good: they cannot sign in \
                         or be invited again, and their organization and space memberships, API \
                         keys and role bindings go too. It cannot be undone.",
                        printable(&target.email),
                        printable(&target.id)
                    ),
                    "the user's email",
                    &target.email,
                    true,
                    "the email did not match",
                )?;
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
