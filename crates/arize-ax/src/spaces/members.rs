//! The members of a space: adding (an upsert), removing.

use arize_ax_api::ops;
use arize_ax_api::transport::{CallOptions, CallReport};
use arize_ax_api::types::{self as raw, Id};
use serde::{Deserialize, Serialize};

use crate::core::client::Client;
use crate::core::error::{Error, Result};
use crate::core::future::awaitable;
use crate::core::removal::Removal;
use crate::refs::{OrgRef, UserRef};
use crate::role::{OrgRole, RoleAssignment, SpaceRole};
use crate::spaces::{SpaceRef, Spaces, Target};
use crate::types::check_annotator_rule;
use crate::types::{FromRaw, Missing, ResponseObject, decode};

/// A user's membership in a space.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct SpaceMembership {
    /// The membership's own ID; empty when the server left it out.
    #[serde(default)]
    pub id: String,
    /// The member's user ID; empty when the server left it out.
    #[serde(default)]
    pub user_id: String,
    /// The space's ID; empty when the server left it out.
    #[serde(default)]
    pub space_id: String,
    /// The member's role in the space (`Other(null)` when the server left
    /// it out).
    pub role: RoleAssignment,
}

impl ResponseObject for SpaceMembership {
    const FIELDS: &'static [&'static str] = &["id", "user_id", "space_id", "role"];
}

impl FromRaw<raw::SpaceMembership> for SpaceMembership {
    fn from_raw(membership: raw::SpaceMembership) -> std::result::Result<Self, Missing> {
        let raw::SpaceMembership {
            id,
            user_id,
            space_id,
            role,
        } = membership;
        Ok(SpaceMembership {
            id: id.map(|id| id.0).unwrap_or_default(),
            user_id: user_id.map(|id| id.0).unwrap_or_default(),
            space_id: space_id.map(|id| id.0).unwrap_or_default(),
            role: role.map_or(RoleAssignment::Other(serde_json::Value::Null), Into::into),
        })
    }
}

impl Spaces {
    /// Gives a user (by ID or email) a role in a space, or changes the role
    /// of a member (an upsert). The user must already belong to the space's
    /// organization: [`join_org`](AddSpaceUser::join_org) adds them to it
    /// first, and [`invite`](AddSpaceUser::invite) brings a new email into
    /// the account before that — onboarding in one step.
    ///
    /// Before writing, the user's account role is looked up (free when the
    /// user was given by email) and the annotator rule checked: a user whose
    /// account role is ANNOTATOR can only get the annotator role, and nobody
    /// else can get it.
    ///
    /// ```no_run
    /// use arize_ax::{OrgRole, SpaceRole};
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let m = client
    ///     .spaces()
    ///     .add_user("ranking", "new.hire@example.com", SpaceRole::Member)
    ///     .organization("research")
    ///     .join_org(OrgRole::Member)
    ///     .invite(true)
    ///     .await?;
    /// println!("{} {} {}", m.space_id, m.user_id, m.role);
    /// # Ok(())
    /// # }
    /// ```
    pub fn add_user(
        &self,
        space: impl Into<SpaceRef>,
        user: impl Into<UserRef>,
        role: SpaceRole,
    ) -> AddSpaceUser {
        AddSpaceUser {
            client: self.client.clone(),
            target: Target::new(space),
            user: user.into(),
            role,
            join_org: None,
            invite: false,
            name: None,
            check_role: true,
        }
    }

    /// Takes a user (by ID or email) out of a space, with every role
    /// binding they hold on it.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// client
    ///     .spaces()
    ///     .remove_user("ranking", "jane@example.com")
    ///     .organization("research")
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn remove_user(
        &self,
        space: impl Into<SpaceRef>,
        user: impl Into<UserRef>,
    ) -> RemoveSpaceUser {
        RemoveSpaceUser {
            client: self.client.clone(),
            target: Target::new(space),
            user: user.into(),
        }
    }
}

/// A request to add a user to a space; see [`Spaces::add_user`].
#[derive(Debug, Clone)]
#[must_use = "an add-user request does nothing until awaited"]
pub struct AddSpaceUser {
    client: Client,
    target: Target,
    user: UserRef,
    role: SpaceRole,
    join_org: Option<OrgRole>,
    invite: bool,
    name: Option<String>,
    check_role: bool,
}

impl AddSpaceUser {
    /// Looks for a space name in this organization only (by name or ID).
    pub fn organization(mut self, org: impl Into<OrgRef>) -> Self {
        self.target.org = Some(org.into());
        self
    }

    /// When the user is not a member of the space's organization yet (the
    /// server refuses the space add), adds them to it with this role, then
    /// adds them to the space. A member of the organization keeps the
    /// organization role they have.
    pub fn join_org(mut self, role: OrgRole) -> Self {
        self.join_org = Some(role);
        self
    }

    /// Invites a user given by an email that belongs to nobody in the
    /// account yet (an email link; account role ANNOTATOR for the annotator
    /// role, MEMBER otherwise). Safe to repeat: the email is the key.
    pub fn invite(mut self, invite: bool) -> Self {
        self.invite = invite;
        self
    }

    /// The display name of a user [`invite`](Self::invite) creates
    /// (default: the part of the email before `@`).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Skips the account-role look-up that checks the annotator rule
    /// before writing (the server still enforces it).
    pub fn skip_role_check(mut self) -> Self {
        self.check_role = false;
        self
    }

    /// Adds the user.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a malformed reference or role (nothing
    /// is sent); [`Error::RoleConstraint`] when the annotator rule forbids
    /// the role (nothing is written); [`Error::NotInOrganization`] when the
    /// server refuses a user outside the organization (without
    /// [`join_org`](Self::join_org)); resolution, API and transport errors.
    pub async fn send(self) -> Result<SpaceMembership> {
        const METHOD: &str = "spaces.add_user";
        self.target.validate()?;
        self.role.validate()?;
        if let Some(role) = &self.join_org {
            role.validate()?;
        }
        // An account is ANNOTATOR or not: the space role and the
        // organization role must agree on it, whoever the user is. Judged
        // here, before an invitation could be sent.
        if let Some(join) = &self.join_org
            && (*join == OrgRole::Annotator) != (self.role == OrgRole::Annotator)
        {
            return Err(Error::invalid(
                "join_org",
                format!(
                    "the annotator role goes with the annotator role: space role {} and \
                     organization role {join} cannot both fit one account",
                    self.role
                ),
            ));
        }
        let newcomer = self.client.users().newcomer_for(
            &self.user,
            self.invite,
            self.name.as_deref(),
            &self.role,
            self.check_role,
        );
        newcomer.validate()?;
        self.client.warn_prerelease(METHOD, ops::ADD_SPACE_USER);
        let spaces = Spaces::new(self.client.clone());
        // The organization is needed to join it; otherwise the ID will do.
        let (space_id, org_id) = match self.join_org {
            Some(_) => {
                let space = spaces.fetch(METHOD, self.target.clone()).await?;
                (space.id, space.organization_id)
            }
            None => (spaces.resolve(METHOD, self.target.clone()).await?, None),
        };
        let roles = self.client.roles();
        let role = roles.custom_by_id(METHOD, self.role.clone()).await?;
        let join_org = match self.join_org.clone() {
            Some(join) => Some(roles.custom_by_id(METHOD, join).await?),
            None => None,
        };
        let user = self.client.users().newcomer(METHOD, newcomer).await?;
        let user_id = match &user {
            Some(user) => user.id.clone(),
            None => self.user.as_str().to_owned(),
        };
        // Whether the annotator rule was judged on a known account role: then
        // a 400 from the space add is the organization rule.
        let judged = user.as_ref().is_some_and(|u| !u.role.type_.is_empty());
        if let Some(user) = &user {
            check_annotator_rule(user, &role)?;
            if let Some(join) = &join_org {
                check_annotator_rule(user, join)?;
            }
        }
        let add = || {
            add_member(
                &self.client,
                METHOD,
                CallOptions::default(),
                &space_id,
                user_id.clone(),
                &role,
            )
        };
        // The space first: a member of the organization keeps their
        // organization role; only an outsider (400) joins it, then the add
        // is made again.
        let first = add().await.0;
        match (first, &join_org) {
            (Err(e), Some(join)) if e.status() == Some(400) => {
                let Some(org_id) = org_id.clone() else {
                    return Err(Error::invalid(
                        "join_org",
                        format!(
                            "the server did not say which organization holds space {space_id}; \
                             add the user to it with Organizations::add_user instead"
                        ),
                    ));
                };
                self.client
                    .organizations()
                    .add_user(
                        OrgRef::Id(org_id),
                        UserRef::Id(user_id.clone()),
                        join.clone(),
                    )
                    .skip_role_check()
                    .await?;
                add().await.0
            }
            (Err(e), None) if e.status() == Some(400) && judged => Err(Error::NotInOrganization {
                user: self.user.as_str().to_owned(),
                space: space_id,
                organization: org_id,
                source: Box::new(e),
            }),
            (other, _) => other,
        }
    }
}

awaitable!(AddSpaceUser => SpaceMembership);

/// A request to take a user out of a space; see [`Spaces::remove_user`].
#[derive(Debug, Clone)]
#[must_use = "a remove-user request does nothing until awaited"]
pub struct RemoveSpaceUser {
    client: Client,
    target: Target,
    user: UserRef,
}

impl RemoveSpaceUser {
    /// Looks for a space name in this organization only (by name or ID).
    pub fn organization(mut self, org: impl Into<OrgRef>) -> Self {
        self.target.org = Some(org.into());
        self
    }

    /// Removes the user. Safe to repeat: a retry after a lost answer that
    /// finds them gone is [`Removal::DoneByLostAttempt`].
    ///
    /// # Errors
    ///
    /// As [`Spaces::get`], plus [`Error::NotFound`] for an unknown email
    /// and [`Error::Api`] with 404 for a user who is not a member.
    pub async fn send(self) -> Result<Removal> {
        const METHOD: &str = "spaces.remove_user";
        self.target.validate()?;
        self.user.validate()?;
        self.client.warn_prerelease(METHOD, ops::REMOVE_SPACE_USER);
        let space_id = Spaces::new(self.client.clone())
            .resolve(METHOD, self.target)
            .await?;
        let newcomer =
            self.client
                .users()
                .newcomer_for(&self.user, false, None, &OrgRole::Member, false);
        let user_id = match self.client.users().newcomer(METHOD, newcomer).await? {
            Some(user) => user.id,
            None => self.user.as_str().to_owned(),
        };
        remove_member(
            &self.client,
            METHOD,
            CallOptions::default(),
            &space_id,
            &user_id,
        )
        .await
        .0
    }
}

awaitable!(RemoveSpaceUser => Removal);

/// The add-user call itself (an upsert), with what the transport did;
/// `options` for the transport (a bulk call's attempt hook).
pub(crate) async fn add_member(
    client: &Client,
    method: &'static str,
    options: CallOptions,
    space_id: &str,
    user_id: String,
    role: &SpaceRole,
) -> (Result<SpaceMembership>, CallReport) {
    let body = raw::AddSpaceUserRequest {
        user_id: Id(user_id),
        role: role.to_space_request(),
    };
    let call = client
        .raw()
        .add_space_user()
        .space_id(Id(space_id.to_owned()))
        .body(body)
        .send();
    let (result, report) = client.call_as(method, options, call).await;
    (result.and_then(|m| decode(method, m)), report)
}

/// The remove-user call itself, with what the transport did.
pub(crate) async fn remove_member(
    client: &Client,
    method: &'static str,
    options: CallOptions,
    space_id: &str,
    user_id: &str,
) -> (Result<Removal>, CallReport) {
    let call = client
        .raw()
        .remove_space_user()
        .space_id(Id(space_id.to_owned()))
        .user_id(Id(user_id.to_owned()))
        .send();
    let (result, report) = client.call_as(method, options, call).await;
    let result = Removal::judge_noting(method, result, &report, || {
        format!("removing user {user_id} from space {space_id}")
    });
    (result, report)
}
