//! The users API (BETA): the account's users from invitation to removal.

use arize_ax_api::open::{InviteMode, Secret, UserRole};
use arize_ax_api::transport::CallOptions;
use arize_ax_api::types::{self, Id};
use arize_ax_api::{Idempotency, ops};

use crate::core::checks::{check_email, check_len, check_text};
mod batch;

use crate::core::client::Client;
use crate::core::error::{Error, Kind, Result};
use crate::core::future::awaitable;
use crate::core::paging::{Listing, Query, RESOLVE_PAGE_SIZE, find_exact};
use crate::core::warning::note;
use crate::refs::UserRef;
use crate::role::OrgRole;
use crate::types::{Pagination, User, UserStatus, UsersPage, check_status_word, decode};
use arize_ax_api::limits::EMAIL_FILTER_MAX_LEN;

/// The method keys of this module and the operations they call.
pub const METHODS: &[(&str, &str)] = &[
    ("users.list", ops::LIST_USERS.id),
    ("users.get", ops::GET_USER.id),
    ("users.create", ops::CREATE_USER.id),
    ("users.update", ops::UPDATE_USER.id),
    ("users.delete", ops::DELETE_USER.id),
    ("users.resend_invitation", ops::RESEND_USER_INVITATION.id),
    ("users.reset_password", ops::RESET_USER_PASSWORD.id),
];

/// The users of the account; get it with [`Client::users`].
///
/// Wherever a user is expected, pass the user's ID or exact email (see
/// [`UserRef`]); emails are matched ignoring case.
#[derive(Debug, Clone)]
pub struct Users {
    client: Client,
}

impl Client {
    /// The users API (BETA): list the account's users and get one by ID or
    /// email.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let user = client.users().get("jane@example.com").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn users(&self) -> Users {
        Users::new(self.clone())
    }
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
    ///     println!("{} {} {:?}", user.id, user.email, user.status);
    /// }
    /// let everyone: Vec<arize_ax::User> = users.list().stream().try_collect().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(&self) -> ListUsers {
        ListUsers(Listing::new(self.client.clone(), UsersQuery::default()))
    }

    /// Gets a user by ID or exact email (ignoring case).
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let user = client.users().get("jane@example.com").await?;
    /// println!("{} {:?} {}", user.id, user.status, user.role.label());
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
            UserRef::Id(id) => self.get_by_id(METHOD, &CallOptions::default(), &id).await,
            UserRef::Email(email) => {
                self.find_by_email(METHOD, &CallOptions::default(), &email)
                    .await
            }
        }
    }

    /// Creates a user in the account, or finds the pending invitation of
    /// that email. `role` is the account role: [`UserRole::Admin`],
    /// [`UserRole::Member`] or [`UserRole::Annotator`]. By default the user
    /// is invited with an email link; see [`CreateUser::invite`].
    ///
    /// The email is the key that makes the call safe to repeat: it is
    /// retried after a lost answer like an idempotent call, and never makes
    /// a second user or sends a second email (see [`CreateUser::send`]).
    ///
    /// ```no_run
    /// use arize_ax::{Creation, InviteMode, UserRole};
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let created = client
    ///     .users()
    ///     .create("Jane Doe", "jane@example.com", UserRole::Member)
    ///     .invite(InviteMode::EmailLink)
    ///     .send()
    ///     .await?;
    /// if created.outcome == Creation::AlreadyInvited {
    ///     println!("{} was already invited", created.user.email);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn create(
        &self,
        name: impl Into<String>,
        email: impl Into<String>,
        role: UserRole,
    ) -> CreateUser {
        CreateUser {
            client: self.client.clone(),
            name: name.into(),
            email: email.into(),
            role,
            invite: InviteMode::EmailLink,
            options: CallOptions::default(),
        }
    }

    /// Changes a user's name and/or whether they may use the API; set at
    /// least one. The user is given by ID or exact email.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let user = client.users().update("jane@example.com").name("Jane Smith").developer(false).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn update(&self, user: impl Into<UserRef>) -> UpdateUser {
        UpdateUser {
            client: self.client.clone(),
            user: user.into(),
            name: None,
            is_developer: None,
        }
    }

    /// Removes a user from the account **for good**: they can no longer sign
    /// in and their email cannot be invited again; their organization and
    /// space memberships, API keys and role bindings go with them. There is
    /// no undo.
    ///
    /// Deleting a user (by ID) who was already removed succeeds. A delete
    /// whose answer was lost is retried, and that retry is the answer (a 404
    /// then means there was never such a user).
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// client.users().delete("jane@example.com").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get); [`Error::Api`] with 400 for the caller's own
    /// user (nobody can remove themselves).
    pub async fn delete(&self, user: impl Into<UserRef>) -> Result<()> {
        const METHOD: &str = "users.delete";
        let user = user.into();
        user.validate()?;
        self.client.warn_prerelease(METHOD, ops::DELETE_USER);
        let id = self.resolve(METHOD, user).await?;
        let call = self
            .client
            .raw()
            .delete_user()
            .user_id(Id(id.clone()))
            .send();
        // The API answers 204 for a user removed before, so a 404, even
        // after a lost answer, means there never was such a user.
        self.client.call(METHOD, call).await
    }

    /// Sends a user's invitation email again (the user must be `INVITED`). A
    /// new link is made, and the links of earlier emails stop working.
    ///
    /// Never repeated after an attempt that may have reached the server (a
    /// repeat would void the link just sent); 429s are waited out.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// client.users().resend_invitation("jane@example.com").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get); [`Error::Api`] with 400 for a user who is not
    /// `INVITED`; [`Error::MaybeSent`] when the answer was lost or the server
    /// failed, so the email may have gone out.
    pub async fn resend_invitation(&self, user: impl Into<UserRef>) -> Result<()> {
        const METHOD: &str = "users.resend_invitation";
        let user = user.into();
        user.validate()?;
        self.client
            .warn_prerelease(METHOD, ops::RESEND_USER_INVITATION);
        let given = user.as_str().to_owned();
        let id = self.resolve(METHOD, user).await?;
        let call = self
            .client
            .raw()
            .resend_user_invitation()
            .user_id(Id(id))
            .send();
        let (result, report) = self.client.call_reporting(METHOD, call).await;
        maybe_sent(result, report.may_have_taken_effect, "invitation", given)
    }

    /// Emails a user a link to choose a new password (valid for 30
    /// minutes). Not for users who sign in through SSO or have not verified
    /// their account.
    ///
    /// Never repeated after an attempt that may have reached the server;
    /// 429s are waited out.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// client.users().reset_password("jane@example.com").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`resend_invitation`](Self::resend_invitation).
    pub async fn reset_password(&self, user: impl Into<UserRef>) -> Result<()> {
        const METHOD: &str = "users.reset_password";
        let user = user.into();
        user.validate()?;
        self.client
            .warn_prerelease(METHOD, ops::RESET_USER_PASSWORD);
        let given = user.as_str().to_owned();
        let id = self.resolve(METHOD, user).await?;
        let call = self
            .client
            .raw()
            .reset_user_password()
            .user_id(Id(id))
            .send();
        let (result, report) = self.client.call_reporting(METHOD, call).await;
        maybe_sent(
            result,
            report.may_have_taken_effect,
            "password-reset",
            given,
        )
    }

    /// The ID of a user given by ID (as is) or email (looked up).
    pub(crate) async fn resolve(&self, operation: &'static str, user: UserRef) -> Result<String> {
        match user {
            UserRef::Id(id) => Ok(id),
            UserRef::Email(email) => Ok(self
                .find_by_email(operation, &CallOptions::default(), &email)
                .await?
                .id),
        }
    }

    /// A user by ID, with options for the transport (a bulk call's pacing).
    pub(crate) async fn get_by_id(
        &self,
        operation: &'static str,
        options: &CallOptions,
        id: &str,
    ) -> Result<User> {
        let call = self
            .client
            .raw()
            .get_user()
            .user_id(Id(id.to_owned()))
            .send();
        self.client
            .call_as(operation, options.clone(), call)
            .await
            .0
            .and_then(|user| decode(operation, user))
    }

    /// One page of the account's users, with options for the transport (a
    /// bulk call's pacing).
    pub(crate) async fn page(
        &self,
        options: &CallOptions,
        operation: &'static str,
        email: Option<&str>,
        statuses: &[UserStatus],
        limit: Option<u32>,
        cursor: Option<&str>,
    ) -> Result<UsersPage> {
        fetch_page(
            &self.client,
            options,
            operation,
            email,
            statuses,
            limit,
            cursor,
        )
        .await
    }

    /// Finds the user whose email equals `email`, ignoring case (Unicode
    /// lower-casing, as the server's filter does), with options for the
    /// transport (a bulk call's pacing) for every page it fetches.
    pub(crate) async fn find_by_email(
        &self,
        operation: &'static str,
        options: &CallOptions,
        email: &str,
    ) -> Result<User> {
        let client = &self.client;
        let wanted = email.to_lowercase();
        find_exact(
            operation,
            Kind::User,
            email,
            |cursor| async move {
                let page = fetch_page(
                    client,
                    options,
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
            |_| None,
        )
        .await
    }
}

/// Fetches one page of users, with options for the transport (a bulk
/// call's pacing).
async fn fetch_page(
    client: &Client,
    options: &CallOptions,
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
    let request = crate::core::paging::paged!(request, limit, cursor);
    client
        .call_as(operation, options.clone(), request.send())
        .await
        .0
        .and_then(|page| decode(operation, page))
}

/// A request for users; see [`Users::list`].
#[derive(Debug, Clone)]
#[must_use = "a list request does nothing until sent or streamed"]
pub struct ListUsers(Listing<UsersQuery>);

/// The filters of [`ListUsers`].
#[derive(Debug, Clone, Default)]
pub(crate) struct UsersQuery {
    email: Option<String>,
    statuses: Vec<UserStatus>,
}

impl Query for UsersQuery {
    type Item = User;
    type Page = UsersPage;
    const METHOD: &'static str = "users.list";
    const OPERATION: &'static arize_ax_api::Operation = ops::LIST_USERS;

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
        Ok(())
    }

    async fn fetch(
        &self,
        client: &Client,
        limit: Option<u32>,
        cursor: Option<String>,
    ) -> Result<UsersPage> {
        fetch_page(
            client,
            &CallOptions::default(),
            Self::METHOD,
            self.email.as_deref(),
            &self.statuses,
            limit,
            cursor.as_deref(),
        )
        .await
    }

    fn split(page: UsersPage) -> (Vec<User>, Pagination) {
        (page.users, page.pagination)
    }

    fn join(users: Vec<User>, pagination: Pagination) -> UsersPage {
        UsersPage { users, pagination }
    }
}

impl ListUsers {
    /// Keeps users whose email contains this text, ignoring case.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.0.query.email = Some(email.into());
        self
    }

    /// Keeps users with this status; call it again to accept several.
    pub fn status(mut self, status: UserStatus) -> Self {
        if !self.0.query.statuses.contains(&status) {
            self.0.query.statuses.push(status);
        }
        self
    }

    /// Keeps users with any of these statuses.
    pub fn statuses(self, statuses: impl IntoIterator<Item = UserStatus>) -> Self {
        statuses.into_iter().fold(self, Self::status)
    }
}

crate::core::paging::listing_builder!(
    ListUsers,
    User,
    UsersPage,
    "user",
    "[`Error::InvalidInput`] for a limit outside 1..=100, an empty email filter, status or cursor (nothing is sent); API and transport errors."
);

/// An email-sending call's result: an error after an attempt that may have
/// reached the server says the email may be out.
fn maybe_sent(
    result: Result<()>,
    may_have_taken_effect: bool,
    what: &'static str,
    user: String,
) -> Result<()> {
    match result {
        Err(e) if may_have_taken_effect => Err(Error::MaybeSent {
            what,
            user,
            source: Box::new(e),
        }),
        other => other,
    }
}

/// Checks a user's display name: 1 to 255 characters once trimmed, no
/// control characters.
fn check_user_name(name: &str) -> Result<()> {
    check_text("name", name)?;
    let max = arize_ax_api::limits::USER_NAME_MAX_LEN;
    Ok(check_len("name", name.trim(), max)?)
}

/// What a create did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Creation {
    /// A new user (or a new invitation for an expired one): 201.
    Created,
    /// An invitation for this email was pending: it is returned unchanged,
    /// and no email was sent again (200).
    AlreadyInvited,
    /// Added without invitation (`InviteMode::None`) by an attempt whose
    /// answer was lost: the retry found the address taken (409), and the
    /// user is the one with that email.
    FoundAfterLostAnswer,
}

/// The answer to [`Users::create`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CreatedUser {
    /// The user.
    pub user: User,
    /// Whether the call made them, or found them.
    pub outcome: Creation,
    /// How they were invited, when the call made them.
    pub invite_mode: Option<InviteMode>,
    /// The temporary password, with [`InviteMode::TemporaryPassword`] when
    /// the call made the user: shown this once, never again. Its `Debug`
    /// and `Display` hide it; read it with
    /// [`expose_secret`](TemporaryPassword::expose_secret).
    pub temporary_password: Option<TemporaryPassword>,
}

/// A new user's temporary password: `Debug` and `Display` show `***`.
pub type TemporaryPassword = Secret;

/// A request to create a user; see [`Users::create`].
#[derive(Debug, Clone)]
#[must_use = "a create request does nothing until sent"]
pub struct CreateUser {
    client: Client,
    name: String,
    email: String,
    role: UserRole,
    invite: InviteMode,
    options: CallOptions,
}

impl CreateUser {
    /// Options for the transport (a bulk call's pacing: its attempt hook,
    /// retry gate and patience); the idempotency stays this operation's.
    pub(crate) fn options(mut self, options: CallOptions) -> Self {
        self.options = options;
        self
    }

    /// How the user is brought in: [`InviteMode::EmailLink`] (the default),
    /// [`InviteMode::None`] (active at once, for accounts that sign in
    /// through an identity provider), or [`InviteMode::TemporaryPassword`].
    pub fn invite(mut self, mode: InviteMode) -> Self {
        self.invite = mode;
        self
    }

    /// Creates the user.
    ///
    /// A lost answer is retried (the email is the key): with an email link
    /// the retry finds the pending invitation; with no invitation a 409 on
    /// the retry is followed by a look-up of the email, and the user found
    /// is returned with a note. With a temporary password, a retry that
    /// finds the user means the password was issued and lost:
    /// [`Error::TemporaryPasswordLost`], never a quiet success.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] (nothing sent) for a name that is empty, only
    /// whitespace or over 255 characters, an email that is not one, or an
    /// account role other than admin, member and annotator; [`Error::Api`]
    /// with 409 for an active member's email or a removed user's.
    pub async fn send(self) -> Result<CreatedUser> {
        const METHOD: &str = "users.create";
        check_user_name(&self.name)?;
        check_email(&self.email)?;
        if !matches!(
            self.role,
            UserRole::Admin | UserRole::Member | UserRole::MemberUiOnly | UserRole::Annotator
        ) {
            return Err(Error::invalid(
                "role",
                format!(
                    "{:?} is not an account role a user can be created with; use admin, member, \
                     member_ui_only or annotator \
                     (custom account roles are not supported yet)",
                    self.role.as_str()
                ),
            ));
        }
        if !self.invite.is_known() {
            return Err(Error::invalid(
                "invite",
                format!(
                    "{:?} is not an invite mode; use email-link, none or temporary-password",
                    self.invite.as_str()
                ),
            ));
        }
        self.client.warn_prerelease(METHOD, ops::CREATE_USER);
        let body = types::CreateUserRequest {
            name: self.name.trim().to_owned().try_into().map_err(
                |e: types::error::ConversionError| Error::invalid("name", e.to_string()),
            )?,
            email: types::Email(self.email.clone()),
            role: types::PredefinedUserRoleAssignmentRequest {
                name: self.role.clone(),
                type_: types::PredefinedUserRoleAssignmentRequestType::Predefined,
            }
            .into(),
            invite_mode: self.invite.clone(),
        };
        let call = self.client.raw().create_user().body(body).send();
        // The email is the key: a repeat finds what the first attempt made.
        let options = self.options.clone().idempotency(Idempotency::Idempotent);
        let (result, report) = self.client.call_with_status(METHOD, options, call).await;
        let lost = report.may_have_taken_effect;
        // A body that does not decode may still hold a temporary password:
        // never quote it in the error.
        let result = result.map_err(|e| match e {
            Error::Decode(mut decode) => {
                decode.snippet = "(not shown: it may hold a temporary password)".into();
                Error::Decode(decode)
            }
            other => other,
        });
        match result {
            Ok((status, created)) => {
                let types::CreateUserSuccess {
                    created_at,
                    email,
                    id,
                    invite_mode,
                    is_developer,
                    name,
                    role,
                    status: user_status,
                    temporary_password,
                } = created;
                // The facade acts on nothing of the answer, and a decode
                // error here would throw away a temporary password the
                // server made: an absent `id` is an empty one, and an absent
                // email is the one asked for.
                let user: User = decode(
                    METHOD,
                    types::User {
                        created_at,
                        email: email.or_else(|| Some(types::Email(self.email.clone()))),
                        id: id.or_else(|| Some(types::Id(String::new()))),
                        is_developer,
                        name,
                        role,
                        status: user_status,
                    },
                )?;
                if status == 201 {
                    if self.invite == InviteMode::TemporaryPassword && temporary_password.is_none()
                    {
                        // Created, but the one answer that carries the
                        // password lacks it: say so, never a quiet `None`.
                        return Err(Error::TemporaryPasswordLost {
                            email: self.email.clone(),
                            user_id: user.id,
                        });
                    }
                    return Ok(CreatedUser {
                        user,
                        outcome: Creation::Created,
                        invite_mode,
                        temporary_password,
                    });
                }
                if lost && self.invite == InviteMode::TemporaryPassword {
                    return Err(Error::TemporaryPasswordLost {
                        email: self.email.clone(),
                        user_id: user.id,
                    });
                }
                Ok(CreatedUser {
                    user,
                    outcome: Creation::AlreadyInvited,
                    invite_mode: None,
                    temporary_password: None,
                })
            }
            Err(e) if lost && e.status() == Some(409) && self.invite == InviteMode::None => {
                let user = Users::new(self.client.clone())
                    .find_by_email(METHOD, &CallOptions::default(), &self.email)
                    .await?;
                // Only the user this call asked for: an address that
                // belonged to someone else before is the 409 it says.
                // A status the answer left out does not rule the user out.
                let is_ours = user
                    .status
                    .as_ref()
                    .is_none_or(|s| *s == crate::UserStatus::Active)
                    && user.name == self.name.trim()
                    && user.role.type_ == "PREDEFINED"
                    && user.role.name.as_deref() == Some(self.role.as_str());
                if !is_ours {
                    return Err(e);
                }
                note(
                    METHOD,
                    &format!(
                        "the answer to creating user {} was lost, and the retry found the address \
                         taken: the first attempt added them",
                        user.email
                    ),
                );
                Ok(CreatedUser {
                    user,
                    outcome: Creation::FoundAfterLostAnswer,
                    invite_mode: Some(InviteMode::None),
                    temporary_password: None,
                })
            }
            Err(e) => Err(e),
        }
    }
}

awaitable!(CreateUser => CreatedUser);

/// A request to update a user; see [`Users::update`].
#[derive(Debug, Clone)]
#[must_use = "an update request does nothing until sent"]
pub struct UpdateUser {
    client: Client,
    user: UserRef,
    name: Option<String>,
    is_developer: Option<bool>,
}

impl UpdateUser {
    /// The new display name (1 to 255 characters once trimmed).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Grants (`true`) or takes away (`false`) the right to call the API.
    /// Needs the account admin role.
    pub fn developer(mut self, is_developer: bool) -> Self {
        self.is_developer = Some(is_developer);
        self
    }

    /// Applies the update (idempotent: retried after a lost answer).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when neither field is set or the name breaks
    /// its rule (nothing is sent); resolution errors as for
    /// [`Users::get`]; [`Error::Api`] with 403 when changing `is_developer`
    /// without the account admin role.
    pub async fn send(self) -> Result<User> {
        const METHOD: &str = "users.update";
        self.user.validate()?;
        if self.name.is_none() && self.is_developer.is_none() {
            return Err(Error::invalid(
                "update",
                "set at least one of name or is_developer",
            ));
        }
        if let Some(name) = &self.name {
            check_user_name(name)?;
        }
        self.client.warn_prerelease(METHOD, ops::UPDATE_USER);
        let body = types::UpdateUserRequest {
            name: self
                .name
                .map(|n| n.trim().to_owned().try_into())
                .transpose()
                .map_err(|e: types::error::ConversionError| {
                    Error::invalid("name", e.to_string())
                })?,
            is_developer: self.is_developer,
        };
        let users = Users::new(self.client.clone());
        let id = users.resolve(METHOD, self.user).await?;
        let call = self
            .client
            .raw()
            .update_user()
            .user_id(Id(id))
            .body(body)
            .send();
        self.client
            .call(METHOD, call)
            .await
            .and_then(|user| decode(METHOD, user))
    }
}

awaitable!(UpdateUser => User);

impl Users {
    /// The user with this email, or, when there is none (`found` is the
    /// look-up's answer), a new one invited by email link with
    /// `account_role`, named `name` or else the email's local part. For
    /// onboarding: `add-user --invite`, whatever the user is added to.
    pub(crate) async fn find_or_invite(
        &self,
        method: &'static str,
        options: &CallOptions,
        email: &str,
        name: Option<&str>,
        account_role: UserRole,
        found: Result<User>,
    ) -> Result<User> {
        match found {
            Err(Error::NotFound(_)) => {}
            other => return other,
        }
        let name = name
            .map(str::to_owned)
            .unwrap_or_else(|| email.split('@').next().unwrap_or(email).to_owned());
        let created = self
            .create(name, email, account_role)
            .options(options.clone())
            .send()
            .await?;
        if created.outcome == Creation::Created {
            note(
                method,
                &format!("invited {email} to the account (email link)"),
            );
        }
        if created.user.id.is_empty() {
            // The answer left the new user's ID out; the caller acts on it,
            // so ask for it by the email (never send an empty ID).
            // Not paced as a batch request: it was not admitted by the
            // batch's limiter, whose hook would misjudge its answer.
            return self
                .find_by_email(method, &CallOptions::default(), email)
                .await;
        }
        Ok(created.user)
    }
}

/// Who is being given a membership, and how to find them: the look-up an
/// add-user call does before it writes (for the annotator rule, and to turn
/// an email into an ID).
#[derive(Debug, Clone)]
pub(crate) struct Newcomer<'a> {
    /// The user, by ID or email.
    pub(crate) user: &'a UserRef,
    /// Invite an unknown email first (`Some`): the display name it gets,
    /// if any, and its account role.
    pub(crate) invite: Option<(Option<&'a str>, UserRole)>,
    /// Look a user given by ID up (for the annotator rule).
    pub(crate) check_role: bool,
}

impl Users {
    /// The newcomer an add-user call names: `user`, invited when `invite`
    /// (named `name`, with the account role `role` calls for), looked up
    /// by ID when `check_role`.
    pub(crate) fn newcomer_for<'a>(
        &self,
        user: &'a UserRef,
        invite: bool,
        name: Option<&'a str>,
        role: &OrgRole,
        check_role: bool,
    ) -> Newcomer<'a> {
        Newcomer {
            user,
            invite: invite.then(|| (name, role.account_role_for_invite())),
            check_role,
        }
    }
}

impl Newcomer<'_> {
    /// Checks the reference, and that an invitation has an email to go to
    /// (nothing is sent).
    pub(crate) fn validate(&self) -> Result<()> {
        self.user.validate()?;
        match (self.user, &self.invite) {
            (UserRef::Email(email), Some(_)) => Ok(check_email(email)?),
            (UserRef::Id(_), Some(_)) => Err(Error::invalid(
                "user",
                "invite needs the user's email, not an ID",
            )),
            _ => Ok(()),
        }
    }
}

impl Users {
    /// The user a membership is for: found by email (or invited, when
    /// asked), fetched by ID when the role is to be checked, or `None` for
    /// an ID taken as given. Expects [`Newcomer::validate`] to have passed.
    pub(crate) async fn newcomer(
        &self,
        method: &'static str,
        newcomer: Newcomer<'_>,
    ) -> Result<Option<User>> {
        let none = CallOptions::default();
        match (newcomer.user, newcomer.invite.clone()) {
            (UserRef::Email(email), Some((name, account_role))) => {
                let found = self.find_by_email(method, &none, email).await;
                self.find_or_invite(method, &none, email, name, account_role, found)
                    .await
                    .map(Some)
            }
            (UserRef::Email(email), None) => {
                self.find_by_email(method, &none, email).await.map(Some)
            }
            (UserRef::Id(_), Some(_)) => newcomer.validate().map(|()| None),
            (UserRef::Id(id), None) if newcomer.check_role => {
                self.get_by_id(method, &none, id).await.map(Some)
            }
            (UserRef::Id(_), None) => Ok(None),
        }
    }
}
