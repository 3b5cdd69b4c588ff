//! The users API (BETA): list and get the account's users.

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use arize_ax_api::ops;
use arize_ax_api::types::Id;
use futures::stream::{self, BoxStream, StreamExt};

use crate::client::Client;
#[cfg(doc)]
use crate::error::Error;
use crate::error::{Kind, Result};
use crate::paging::{RESOLVE_PAGE_SIZE, check_limit, find_exact, stream_pages};
use crate::refs::{UserRef, check_len, check_text};
use crate::types::{User, UserStatus, UsersPage, check_status_word};
use arize_ax_api::limits::EMAIL_FILTER_MAX_LEN;

type BoxFuture<T> = Pin<Box<dyn Future<Output = Result<T>> + Send + 'static>>;

/// The users of the account; get it with [`Client::users`].
///
/// Wherever a user is expected, pass the user's ID or exact email (see
/// [`UserRef`]); emails are matched ignoring case.
#[derive(Debug, Clone)]
pub struct Users {
    client: Client,
}

impl Users {
    pub(crate) fn new(client: Client) -> Self {
        Users { client }
    }

    /// Lists users: one page with [`send`](ListUsers::send) (or `.await`), or
    /// every one with [`stream`](ListUsers::stream).
    ///
    /// ```no_run
    /// use arize_ax::UserStatus;
    /// use futures::TryStreamExt;
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let users = client.users();
    /// let page = users.list().email("@example.com").status(UserStatus::Invited).send().await?;
    /// for user in &page.users {
    ///     println!("{} {} {}", user.id, user.email, user.status);
    /// }
    /// let everyone: Vec<arize_ax::User> = users.list().stream().try_collect().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(&self) -> ListUsers {
        ListUsers {
            client: self.client.clone(),
            email: None,
            statuses: Vec::new(),
            limit: None,
            cursor: None,
        }
    }

    /// Gets a user by ID or exact email (ignoring case).
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let user = client.users().get("jane@example.com").await?;
    /// println!("{} {} {}", user.id, user.status, user.role.label());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a malformed reference (nothing is sent),
    /// [`Error::NotFound`] or [`Error::Ambiguous`] when an email does not
    /// match one user, [`Error::Api`] with status 404 for an unknown ID, and
    /// the transport errors of any call.
    pub async fn get(&self, user: impl Into<UserRef>) -> Result<User> {
        const METHOD: &str = "users.get";
        let user = user.into();
        user.validate()?;
        self.client.warn_prerelease(METHOD, ops::GET_USER);
        match user {
            UserRef::Id(id) => self.get_by_id(METHOD, &id).await,
            UserRef::Email(email) => self.find_by_email(METHOD, &email).await,
        }
    }

    pub(crate) async fn get_by_id(&self, operation: &'static str, id: &str) -> Result<User> {
        let call = self
            .client
            .raw()
            .get_user()
            .user_id(Id(id.to_owned()))
            .send();
        self.client.call(operation, call).await.map(User::from)
    }

    /// Finds the user whose email equals `email`, ignoring case (Unicode
    /// lower-casing, as the server's filter does).
    pub(crate) async fn find_by_email(&self, operation: &'static str, email: &str) -> Result<User> {
        let client = &self.client;
        let wanted = email.to_lowercase();
        find_exact(
            operation,
            Kind::User,
            email,
            |cursor| async move {
                let page = fetch_page(
                    client,
                    operation,
                    Some(email),
                    &[],
                    Some(RESOLVE_PAGE_SIZE),
                    cursor.as_deref(),
                )
                .await?;
                Ok((page.users, page.pagination))
            },
            |user: &User| user.email.to_lowercase() == wanted,
            |user| (user.id.clone(), user.email.clone()),
        )
        .await
    }
}

impl Users {
    /// Every user of the account, 100 a page, for a caller that needs them
    /// all (a bulk call resolving many emails at once); `method` names the
    /// facade method in errors.
    pub(crate) fn all(&self, method: &'static str) -> BoxStream<'static, Result<User>> {
        let client = self.client.clone();
        stream_pages(method, None, move |cursor| {
            let client = client.clone();
            async move {
                let page = fetch_page(
                    &client,
                    method,
                    None,
                    &[],
                    Some(RESOLVE_PAGE_SIZE),
                    cursor.as_deref(),
                )
                .await?;
                Ok((page.users, page.pagination))
            }
        })
    }
}

/// Fetches one page of users.
async fn fetch_page(
    client: &Client,
    operation: &'static str,
    email: Option<&str>,
    statuses: &[UserStatus],
    limit: Option<u32>,
    cursor: Option<&str>,
) -> Result<UsersPage> {
    let mut request = client.raw().list_users();
    if let Some(email) = email {
        request = request.email(email);
    }
    if !statuses.is_empty() {
        request = request.status(statuses.to_vec());
    }
    if let Some(limit) = limit {
        request = request.limit(u64::from(limit));
    }
    if let Some(cursor) = cursor {
        request = request.cursor(cursor);
    }
    client
        .call(operation, request.send())
        .await
        .map(UsersPage::from)
}

/// A request for users; see [`Users::list`].
#[derive(Debug, Clone)]
#[must_use = "a list request does nothing until sent or streamed"]
pub struct ListUsers {
    client: Client,
    email: Option<String>,
    statuses: Vec<UserStatus>,
    limit: Option<u32>,
    cursor: Option<String>,
}

impl ListUsers {
    /// Keeps users whose email contains this text, ignoring case.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// Keeps users with this status; call it again to accept several.
    pub fn status(mut self, status: UserStatus) -> Self {
        if !self.statuses.contains(&status) {
            self.statuses.push(status);
        }
        self
    }

    /// Keeps users with any of these statuses.
    pub fn statuses(self, statuses: impl IntoIterator<Item = UserStatus>) -> Self {
        statuses.into_iter().fold(self, Self::status)
    }

    /// Page size, 1 to 100 (the server's default is 50).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Continues from a page's `pagination.next_cursor`.
    pub fn cursor(mut self, cursor: impl Into<String>) -> Self {
        self.cursor = Some(cursor.into());
        self
    }

    fn validate(&self) -> Result<()> {
        if let Some(email) = &self.email {
            check_text("email", email)?;
            check_len("email", email, EMAIL_FILTER_MAX_LEN)?;
        }
        for status in &self.statuses {
            if let UserStatus::Other(other) = status {
                check_status_word(other)?;
            }
        }
        check_limit(self.limit)?;
        if let Some(cursor) = &self.cursor {
            check_text("cursor", cursor)?;
        }
        Ok(())
    }

    /// Fetches one page.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a limit outside 1..=100, an empty email
    /// filter, status or cursor (nothing is sent); API and transport errors.
    pub async fn send(self) -> Result<UsersPage> {
        const METHOD: &str = "users.list";
        self.validate()?;
        self.client.warn_prerelease(METHOD, ops::LIST_USERS);
        fetch_page(
            &self.client,
            METHOD,
            self.email.as_deref(),
            &self.statuses,
            self.limit,
            self.cursor.as_deref(),
        )
        .await
    }

    /// Every matching user, lazily: one page is fetched at a time, following
    /// cursors until the server says there are no more. An error ends the
    /// stream.
    pub fn stream(self) -> BoxStream<'static, Result<User>> {
        const METHOD: &str = "users.list";
        if let Err(e) = self.validate() {
            return stream::once(async move { Err(e) }).boxed();
        }
        self.client.warn_prerelease(METHOD, ops::LIST_USERS);
        let ListUsers {
            client,
            email,
            statuses,
            limit,
            cursor,
        } = self;
        stream_pages(METHOD, cursor, move |cursor| {
            let (client, email, statuses) = (client.clone(), email.clone(), statuses.clone());
            async move {
                let page = fetch_page(
                    &client,
                    METHOD,
                    email.as_deref(),
                    &statuses,
                    limit,
                    cursor.as_deref(),
                )
                .await?;
                Ok((page.users, page.pagination))
            }
        })
    }
}

impl IntoFuture for ListUsers {
    type Output = Result<UsersPage>;
    type IntoFuture = BoxFuture<UsersPage>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
