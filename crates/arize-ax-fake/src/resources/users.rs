//! Account users: `/v2/users` and below.

use arize_ax_api::open::{InviteMode, RoleAssignment, Secret, UserRole, UserStatus};
use arize_ax_api::types::{self, Id};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::core::{Answer, Call, Event, Ids, Problem, Record, Reply, Table, pagination};

/// Longest user display name (from the spec).
pub const MAX_USER_NAME: usize = arize_ax_api::limits::USER_NAME_MAX_LEN;

/// An account user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct User {
    /// Its ID.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Email address.
    pub email: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// `ACTIVE`, `INVITED`, `EXPIRED`, or a word the fake was seeded with.
    pub status: UserStatus,
    /// Account role: `ADMIN`, `MEMBER`, `MEMBER_UI_ONLY` or `ANNOTATOR`.
    pub account_role: UserRole,
    /// Whether the user may call the API.
    pub is_developer: bool,
    /// Removed from the account (`DELETE /v2/users/{id}`): hidden from get
    /// and list, never invited again.
    #[serde(default)]
    pub removed: bool,
    /// Invitation emails sent (creation with an email link, and resends).
    #[serde(default)]
    pub invitations_sent: u32,
    /// Password-reset emails sent.
    #[serde(default)]
    pub password_resets_sent: u32,
}

impl Record for User {
    fn id(&self) -> &str {
        &self.id
    }
}

/// Every account user (removed ones included, hidden).
pub type Users = Table<User>;

/// What `POST /v2/users` did.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Created {
    /// A new user, or a new invitation for an expired one: 201.
    New {
        /// The user.
        user: User,
        /// How they were invited.
        invite_mode: InviteMode,
        /// With `TEMPORARY_PASSWORD`, the password.
        temporary_password: Option<String>,
    },
    /// An invitation for the email was pending: 200, unchanged.
    Pending(User),
}

fn not_found(id: &str) -> Problem {
    Problem::new(404, format!("No user has the ID {id}."))
}

/// A user who has not been removed.
pub fn active<'a>(users: &'a Users, id: &str) -> Option<&'a User> {
    users.get(id).filter(|u| !u.removed)
}

/// Adds an account user; returns it.
///
/// The first active admin becomes `caller`, the owner of the API key, when
/// there is none yet.
pub fn insert(
    users: &mut Users,
    ids: &mut Ids,
    caller: &mut Option<String>,
    name: &str,
    email: &str,
    account_role: UserRole,
    status: UserStatus,
) -> User {
    let seq = ids.next_seq();
    let user = User {
        id: ids.make_id("User", seq),
        name: name.into(),
        email: email.into(),
        created_at: Ids::timestamp(seq),
        status,
        is_developer: account_role != UserRole::Annotator,
        account_role,
        removed: false,
        invitations_sent: 0,
        password_resets_sent: 0,
    };
    if caller.is_none() && user.account_role == UserRole::Admin && user.status == UserStatus::Active
    {
        *caller = Some(user.id.clone());
    }
    users.insert(seq, user).cloned().unwrap_or_else(|u| u)
}

/// A user as the API returns it.
pub fn wire(user: &User) -> types::User {
    types::User {
        id: Some(Id(user.id.clone())),
        name: Some(user.name.clone()),
        email: Some(types::Email(user.email.clone())),
        created_at: Some(user.created_at),
        status: Some(user.status.clone()),
        role: Some(RoleAssignment::Predefined(user.account_role.clone())),
        is_developer: Some(user.is_developer),
    }
}

/// The answer to a create: the user, with how they were invited and (only
/// for a temporary password) the password, in 201; a plain user in 200.
pub fn wire_created(
    user: &User,
    invite_mode: Option<&InviteMode>,
    temporary_password: Option<&str>,
) -> types::CreateUserSuccess {
    let types::User {
        created_at,
        email,
        id,
        is_developer,
        name,
        role,
        status,
    } = wire(user);
    types::CreateUserSuccess {
        created_at,
        email,
        id,
        invite_mode: invite_mode.cloned(),
        is_developer,
        name,
        role,
        status,
        temporary_password: temporary_password.map(Secret::new),
    }
}

/// One page of users.
pub fn wire_page(users: &[&User], next_cursor: Option<String>) -> types::ListUsersResponse {
    types::ListUsersResponse {
        users: users.iter().map(|u| wire(u)).collect(),
        pagination: Some(pagination(next_cursor)),
    }
}

/// `GET /v2/users`: a case-insensitive email substring and any of the
/// statuses asked for.
pub fn list(users: &Users, call: &Call) -> Answer<Reply> {
    let email = call.filter("email", arize_ax_api::limits::EMAIL_FILTER_MAX_LEN)?;
    let statuses: Vec<UserStatus> = call
        .all("status")
        .into_iter()
        .map(UserStatus::from)
        .collect();
    if let Some(bad) = statuses.iter().find(|s| !s.is_known()) {
        let known: Vec<&str> = UserStatus::KNOWN.iter().map(UserStatus::as_str).collect();
        return Err(Problem::new(
            400,
            format!(
                "status {:?} is not one of {}.",
                bad.as_str(),
                known.join(", ")
            ),
        ));
    }
    let limit = call.limit()?;
    let cursor = call.single("cursor")?;
    let needle = email.map(|e| e.to_lowercase());
    let (page, next) = users.page(cursor.as_deref(), limit, |user| {
        let email_ok = needle
            .as_deref()
            .is_none_or(|n| user.email.to_lowercase().contains(n));
        !user.removed && email_ok && (statuses.is_empty() || statuses.contains(&user.status))
    })?;
    Ok(Reply::json(200, &wire_page(&page, next)))
}

/// `GET /v2/users/{user_id}`.
pub fn get(users: &Users, call: &Call) -> Answer<Reply> {
    let id = call.param("user_id");
    let user = active(users, id).ok_or_else(|| not_found(id))?;
    Ok(Reply::json(200, &wire(user)))
}

/// `POST /v2/users`: by the state of the email (any case), a new user
/// (201, with the temporary password when one was asked for), the pending
/// invitation unchanged (200), or 409.
pub fn create(
    users: &mut Users,
    ids: &mut Ids,
    caller: &mut Option<String>,
    call: &Call,
) -> Answer<Reply> {
    Ok(match create_user(users, ids, caller, call)? {
        Created::New {
            user,
            invite_mode,
            temporary_password,
        } => Reply::json(
            201,
            &wire_created(&user, Some(&invite_mode), temporary_password.as_deref()),
        )
        .changed(),
        Created::Pending(user) => Reply::json(200, &wire_created(&user, None, None)),
    })
}

fn create_user(
    users: &mut Users,
    ids: &mut Ids,
    caller: &mut Option<String>,
    call: &Call,
) -> Answer<Created> {
    let (body, _) = call.typed_with::<types::CreateUserRequest>(trim_name, diagnose_create)?;
    let name = check_user_name(&body.name)?;
    let email = body.email.0;
    if !looks_like_email(&email) {
        return Err(Problem::new(400, "email is not a valid email address."));
    }
    let account_role = match body.role {
        types::UserRoleAssignmentRequest::PredefinedUserRoleAssignmentRequest(role)
            if role.name.is_known() =>
        {
            role.name
        }
        types::UserRoleAssignmentRequest::PredefinedUserRoleAssignmentRequest(_) => {
            return Err(Problem::new(
                422,
                "role.name must be one of ADMIN, MEMBER, ANNOTATOR.",
            ));
        }
        types::UserRoleAssignmentRequest::CustomUserRoleAssignmentRequest(_) => {
            return Err(Problem::new(
                400,
                "Custom account roles are not supported yet.",
            ));
        }
    };
    let mode = body.invite_mode;
    if !mode.is_known() {
        return Err(Problem::new(
            422,
            "invite_mode must be NONE, EMAIL_LINK or TEMPORARY_PASSWORD.",
        ));
    }
    // The create request has no `is_developer` (the server refuses the
    // field): the role decides.
    let is_developer = account_role != UserRole::Annotator;
    let wanted = email.to_lowercase();
    let existing = users
        .values()
        .find(|u| u.email.to_lowercase() == wanted)
        .cloned();
    let status = if mode == InviteMode::None {
        UserStatus::Active
    } else {
        UserStatus::Invited
    };
    let id = match existing {
        Some(user) => {
            if user.removed {
                return Err(Problem::new(
                    409,
                    "This address belongs to a user removed from the account; it cannot be invited again.",
                ));
            }
            match user.status {
                UserStatus::Active => {
                    return Err(Problem::new(
                        409,
                        "This address belongs to a member of the account already.",
                    ));
                }
                UserStatus::Invited => return Ok(Created::Pending(user)),
                // EXPIRED (or another word): a new invitation for the same user.
                _ => {}
            }
            users.update(&user.id, |u| u.status = status);
            user.id
        }
        None => insert(users, ids, caller, &name, &email, account_role, status).id,
    };
    let seq = users.key_of(&id).expect("present");
    let user = users
        .update(&id, |user| {
            user.is_developer = is_developer;
            if mode == InviteMode::EmailLink {
                user.invitations_sent += 1;
            }
            user.clone()
        })
        .expect("present");
    let password = (mode == InviteMode::TemporaryPassword).then(|| ids.secret("tmp", seq));
    Ok(Created::New {
        user,
        invite_mode: mode,
        temporary_password: password,
    })
}

/// `PATCH /v2/users/{user_id}`.
pub fn update(users: &mut Users, call: &Call) -> Answer<Reply> {
    let (body, raw) = call.typed_with::<types::UpdateUserRequest>(trim_name, diagnose_update)?;
    if !raw.contains_key("name") && !raw.contains_key("is_developer") {
        return Err(Problem::new(
            400,
            "At least one of name or is_developer must be provided.",
        ));
    }
    crate::core::null_field(&raw, "name", "a string")?;
    crate::core::null_field(&raw, "is_developer", "a boolean")?;
    let name = body
        .name
        .as_deref()
        .map(|n| check_user_name(n))
        .transpose()?;
    let id = call.param("user_id");
    active(users, id).ok_or_else(|| not_found(id))?;
    let user = users
        .update(id, |user| {
            if let Some(name) = name {
                user.name = name;
            }
            if let Some(is_developer) = body.is_developer {
                user.is_developer = is_developer;
            }
            user.clone()
        })
        .expect("found above");
    Ok(Reply::json(200, &wire(&user)).changed())
}

/// `DELETE /v2/users/{user_id}`: blocks the user for good; their
/// memberships follow through the event. A user removed before is answered
/// 204 again. `caller` (the API key's owner) cannot remove themselves.
pub fn delete(users: &mut Users, caller: Option<&str>, call: &Call) -> Answer<(Reply, Event)> {
    let id = call.param("user_id");
    users.key_of(id).ok_or_else(|| not_found(id))?;
    if caller == Some(id) {
        return Err(Problem::new(
            400,
            "You cannot remove yourself from the account.",
        ));
    }
    users.update(id, |u| u.removed = true);
    Ok((Reply::no_content(), Event::UserRemoved(id.to_owned())))
}

/// `POST /v2/users/{user_id}/resend-invitation`: only for `INVITED` users.
pub fn resend_invitation(users: &mut Users, call: &Call) -> Answer<Reply> {
    let id = call.param("user_id");
    let user = active(users, id).ok_or_else(|| not_found(id))?;
    if user.status != UserStatus::Invited {
        return Err(Problem::new(
            400,
            format!(
                "Only an INVITED user can be sent an invitation again; this user is {}.",
                user.status
            ),
        ));
    }
    users.update(id, |u| u.invitations_sent += 1);
    Ok(Reply::no_content())
}

/// `POST /v2/users/{user_id}/reset-password`: only for verified (`ACTIVE`)
/// users.
pub fn reset_password(users: &mut Users, call: &Call) -> Answer<Reply> {
    let id = call.param("user_id");
    let user = active(users, id).ok_or_else(|| not_found(id))?;
    if user.status != UserStatus::Active {
        return Err(Problem::new(
            400,
            "Only a user who has verified their account has a password to reset.",
        ));
    }
    users.update(id, |u| u.password_resets_sent += 1);
    Ok(Reply::no_content())
}

/// The rough shape of an address: something, `@`, something with a dot
/// after it (the fake's stand-in for `format: email`).
fn looks_like_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !text.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// A user's name counts once its surrounding whitespace is removed (the
/// document's rule), so the schema's length is checked on the trimmed name.
fn trim_name(body: &mut Map<String, Value>) {
    if let Some(Value::String(name)) = body.get_mut("name") {
        *name = name.trim().to_owned();
    }
}

fn check_user_name(name: &str) -> Answer<String> {
    let trimmed = name.trim();
    let len = trimmed.chars().count();
    if !(1..=MAX_USER_NAME).contains(&len) {
        return Err(Problem::new(
            400,
            format!(
                "name must be between 1 and {MAX_USER_NAME} characters long once surrounding whitespace is removed."
            ),
        ));
    }
    Ok(trimmed.to_owned())
}

/// Why a create body does not fit its schema, in Arize's words.
fn diagnose_create(body: &Map<String, Value>) -> Answer<()> {
    for field in ["id", "created_at", "status"] {
        if body.contains_key(field) {
            return Err(Problem::new(
                422,
                format!("{field} is assigned by the server and cannot be set."),
            ));
        }
    }
    match body.get("name") {
        Some(Value::String(s)) => {
            check_user_name(s)?;
        }
        Some(_) => return Err(Problem::new(422, "name must be a string.")),
        None => return Err(Problem::new(422, "name is required.")),
    }
    match body.get("email") {
        Some(Value::String(s)) if looks_like_email(s) => {}
        Some(Value::String(_)) => {
            return Err(Problem::new(400, "email is not a valid email address."));
        }
        Some(_) => return Err(Problem::new(422, "email must be a string.")),
        None => return Err(Problem::new(422, "email is required.")),
    }
    let role = match body.get("role") {
        Some(Value::Object(role)) => role,
        Some(_) => return Err(Problem::new(422, "role must be an object.")),
        None => return Err(Problem::new(422, "role is required.")),
    };
    match (role.get("type").and_then(Value::as_str), role.get("name")) {
        (Some("PREDEFINED"), Some(Value::String(n))) if UserRole::from(n.clone()).is_known() => {}
        (Some("PREDEFINED"), _) => {
            return Err(Problem::new(
                422,
                "role.name must be one of ADMIN, MEMBER, ANNOTATOR.",
            ));
        }
        (Some("CUSTOM"), _) => {
            return Err(Problem::new(
                400,
                "Custom account roles are not supported yet.",
            ));
        }
        _ => return Err(Problem::new(422, "role.type must be PREDEFINED or CUSTOM.")),
    }
    match body.get("invite_mode") {
        Some(Value::String(m)) if InviteMode::from(m.clone()).is_known() => Ok(()),
        Some(_) => Err(Problem::new(
            422,
            "invite_mode must be NONE, EMAIL_LINK or TEMPORARY_PASSWORD.",
        )),
        None => Err(Problem::new(422, "invite_mode is required.")),
    }
}

/// Why an update body does not fit its schema, in Arize's words.
fn diagnose_update(body: &Map<String, Value>) -> Answer<()> {
    if !body.contains_key("name") && !body.contains_key("is_developer") {
        return Err(Problem::new(
            400,
            "At least one of name or is_developer must be provided.",
        ));
    }
    match body.get("name") {
        None => {}
        Some(Value::String(s)) => {
            check_user_name(s)?;
        }
        Some(_) => return Err(Problem::new(422, "name must be a string.")),
    }
    match body.get("is_developer") {
        None | Some(Value::Bool(_)) => Ok(()),
        Some(_) => Err(Problem::new(422, "is_developer must be a boolean.")),
    }
}
