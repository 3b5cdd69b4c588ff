//! The users of a bulk batch (any resource's membership: reached through
//! [`Users::for_batch`](crate::users::Users)): listed once when that is
//! cheaper than looking each one up, else looked up one by one, paced as the
//! batch; and the check that an email and an ID in one batch do not name the
//! same user.

use std::collections::HashMap;

use crate::bulk::{Batch, Pace};
use crate::core::client::Client;
use crate::core::error::{Ambiguous, Error, Kind, NotFound, Result};
use crate::core::paging::{RESOLVE_PAGE_SIZE, next_cursor};
use crate::refs::UserRef;
use crate::types::User;
use crate::users::Users;

/// An email and an ID that name the same user are refused too, before any
/// write: from the account's users when the batch listed them all, else
/// (only for a batch that mixes emails and IDs) by looking each email up
/// first, paced as the batch; the users found are kept in `directory`, so
/// the batch does not look them up again.
async fn check_unique_resolved(
    client: &Client,
    method: &'static str,
    users: &[&UserRef],
    directory: &mut Directory,
    batch: &Batch,
) -> Result<()> {
    let mixed = users.iter().any(|u| matches!(u, UserRef::Email(_)))
        && users.iter().any(|u| matches!(u, UserRef::Id(_)));
    if !directory.complete && !mixed {
        return Ok(());
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, user) in users.iter().enumerate() {
        let id = match user {
            UserRef::Email(email) if directory.complete => match directory.email(email) {
                Some(Ok(found)) => found.id.clone(),
                _ => continue,
            },
            // Errors here (not found, say) are the user's own result later.
            UserRef::Email(email) => {
                if user.validate().is_err() {
                    continue;
                }
                batch.admit().await;
                match client
                    .users()
                    .find_by_email(method, &batch.options, email)
                    .await
                {
                    Ok(found) => {
                        let id = found.id.clone();
                        directory.insert(found);
                        id
                    }
                    Err(_) => continue,
                }
            }
            UserRef::Id(id) => id.clone(),
        };
        if let Some(first) = seen.insert(id.clone(), i + 1) {
            return Err(Error::invalid(
                "users",
                format!(
                    "users #{first} and #{} are the same user ({id}, once by email and once by ID); \
                     give each user once",
                    i + 1
                ),
            ));
        }
    }
    Ok(())
}

/// From this many look-ups on, a batch asks for the first page of the
/// account's users (100 a page): when that is all of them, one request
/// replaces every look-up.
const LIST_FROM: usize = 3;
/// The listing goes on only while its pages cost at most one in this many
/// of the look-ups it would replace (the API gives no total, so a listing is
/// followed only while it is sure to stay cheap).
const LIST_SHARE: usize = 10;

/// The users a batch knows: all of the account's (`complete`, listed once),
/// or those it happened to look up already.
#[derive(Default)]
pub(crate) struct Directory {
    complete: bool,
    by_email: HashMap<String, Vec<User>>,
    by_id: HashMap<String, User>,
}

impl Directory {
    /// Lists the account's users for a batch that needs `lookups` look-ups,
    /// when that is known to cost fewer requests: the first page holds them
    /// all, or the pages end within a tenth of the look-ups. Otherwise (or
    /// when a page fails) the directory is empty and each user is looked up.
    /// Every page is paced as the batch. A 401 or 403 (the key may not list
    /// users, so it may not look them up either) fails the batch.
    async fn for_batch(
        client: &Client,
        method: &'static str,
        lookups: usize,
        batch: &Batch,
    ) -> Result<Directory> {
        let mut directory = Directory::default();
        if lookups < LIST_FROM {
            return Ok(directory);
        }
        let budget = (lookups / LIST_SHARE).max(1);
        let mut everyone: Vec<User> = Vec::new();
        let mut cursor: Option<String> = None;
        let mut seen = std::collections::HashSet::new();
        for pages in 1.. {
            batch.admit().await;
            let page = match client
                .users()
                .page(
                    &batch.options,
                    method,
                    None,
                    &[],
                    Some(RESOLVE_PAGE_SIZE),
                    cursor.as_deref(),
                )
                .await
            {
                Ok(page) => page,
                // The key cannot list users: it cannot look them up either.
                Err(error) if matches!(error.status(), Some(401 | 403)) => return Err(error),
                Err(error) => {
                    crate::core::warning::note(
                        method,
                        &format!(
                            "listing the account's users failed ({}); looking each user up instead",
                            error
                                .status()
                                .map_or_else(|| "no answer".to_owned(), |s| format!("HTTP {s}"))
                        ),
                    );
                    return Ok(directory);
                }
            };
            everyone.extend(page.users);
            match next_cursor(method, &page.pagination, &mut seen) {
                Ok(None) => break,
                Ok(Some(next)) if pages < budget => cursor = Some(next),
                // Longer than it is worth, or a broken cursor: look up.
                Ok(Some(_)) | Err(_) => return Ok(directory),
            }
        }
        directory.complete = true;
        for user in everyone {
            directory.insert(user);
        }
        Ok(directory)
    }

    fn insert(&mut self, user: User) {
        let list = self.by_email.entry(user.email.to_lowercase()).or_default();
        if !list.iter().any(|u| u.id == user.id) {
            list.push(user.clone());
        }
        self.by_id.insert(user.id.clone(), user);
    }

    /// The one user with this email (ignoring case, as the server does);
    /// `None` when this directory cannot tell (it is not complete and has
    /// not seen the email).
    fn email(&self, email: &str) -> Option<Result<&User>> {
        match self.by_email.get(&email.to_lowercase()).map(Vec::as_slice) {
            Some([user]) => Some(Ok(user)),
            Some(several) if several.len() > 1 => Some(Err(Error::Ambiguous(Ambiguous {
                kind: Kind::User,
                query: email.to_owned(),
                ids: several.iter().map(|u| u.id.clone()).collect(),
                places: Vec::new(),
            }))),
            _ if self.complete => Some(Err(Error::NotFound(NotFound {
                kind: Kind::User,
                query: email.to_owned(),
                similar: Vec::new(),
            }))),
            _ => None,
        }
    }
}

/// Finds the user to act on: from the directory when it knows, else with a
/// request paced as the batch (only when needed: an email, or an ID whose
/// account role must be checked). `None` means "send the ID as given".
/// Errors name `method`.
async fn look_up(
    client: &Client,
    method: &'static str,
    directory: &Directory,
    user: &UserRef,
    need_role: bool,
    pace: &Pace,
) -> Result<Option<User>> {
    user.validate()?;
    let users = client.users();
    let options = &pace.batch.options;
    match user {
        UserRef::Email(email) => match directory.email(email) {
            Some(known) => known.cloned().map(Some),
            None => {
                pace.before_request().await;
                users.find_by_email(method, options, email).await.map(Some)
            }
        },
        UserRef::Id(id) if need_role => match directory.by_id.get(id) {
            Some(known) => Ok(Some(known.clone())),
            // An ID the complete listing did not have: let the server judge it.
            None if directory.complete => Ok(None),
            None => {
                pace.before_request().await;
                users.get_by_id(method, options, id).await.map(Some)
            }
        },
        UserRef::Id(_) => Ok(None),
    }
}

/// A batch's users, with the client that looks up the ones it does not know.
pub(crate) struct BatchUsers {
    client: Client,
    directory: Directory,
}

impl Users {
    /// The users of a batch that will need `lookups` look-ups (see
    /// [`Directory::for_batch`]), paced as `batch`.
    pub(crate) async fn for_batch(
        &self,
        method: &'static str,
        lookups: usize,
        batch: &Batch,
    ) -> Result<BatchUsers> {
        let directory = Directory::for_batch(&self.client, method, lookups, batch).await?;
        Ok(BatchUsers {
            client: self.client.clone(),
            directory,
        })
    }
}

impl BatchUsers {
    /// Refuses an email and an ID naming one user (see
    /// [`check_unique_resolved`]).
    pub(crate) async fn check_unique(
        &mut self,
        method: &'static str,
        users: &[&UserRef],
        batch: &Batch,
    ) -> Result<()> {
        check_unique_resolved(&self.client, method, users, &mut self.directory, batch).await
    }

    /// The user to act on (see [`look_up`]).
    pub(crate) async fn look_up(
        &self,
        method: &'static str,
        user: &UserRef,
        need_role: bool,
        pace: &Pace,
    ) -> Result<Option<User>> {
        look_up(&self.client, method, &self.directory, user, need_role, pace).await
    }
}
