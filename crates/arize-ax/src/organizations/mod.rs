//! The organizations API: list, get, create, update, delete, add and remove
//! users.

use arize_ax_api::open::Patch;
use arize_ax_api::ops;
use arize_ax_api::transport::{CallOptions, CallReport};
use arize_ax_api::types::{self, Id};

use crate::core::checks::{check_free_text, check_len, check_text, request_value};
use crate::core::create::{Created, create_named};
mod bulk;

pub use bulk::{AddUsers, RemoveUsers};

use crate::core::client::Client;
use crate::core::error::{Error, Kind, Result};
use crate::core::future::awaitable;
use crate::core::paging::{Listing, Query, RESOLVE_PAGE_SIZE, find_exact};
/// How a delete or a removal came to be done (kept here, where it was
/// first public; it lives in the core, as every resource's deletes use it).
pub use crate::core::removal::Removal;
use crate::refs::{MAX_DESCRIPTION_LEN, MAX_NAME_LEN, OrgRef, UserRef};
use crate::role::OrgRole;
use crate::types::check_annotator_rule;
use crate::types::{Organization, OrganizationMembership, OrganizationsPage, Pagination, decode};

/// The method keys of this module and the operations they call.
pub const METHODS: &[(&str, &str)] = &[
    ("organizations.list", ops::LIST_ORGANIZATIONS.id),
    ("organizations.get", ops::GET_ORGANIZATION.id),
    ("organizations.create", ops::CREATE_ORGANIZATION.id),
    ("organizations.update", ops::UPDATE_ORGANIZATION.id),
    ("organizations.delete", ops::DELETE_ORGANIZATION.id),
    ("organizations.add_user", ops::ADD_ORGANIZATION_USER.id),
    (
        "organizations.remove_user",
        ops::REMOVE_ORGANIZATION_USER.id,
    ),
];

/// The organizations API; get one with [`Client::organizations`].
///
/// Wherever an organization is expected, pass its ID or its exact name (see
/// [`OrgRef`]); names are resolved to IDs first, and nothing is changed on a
/// guess.
#[derive(Debug, Clone)]
pub struct Organizations {
    client: Client,
}

impl Client {
    /// The organizations API.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let org = client.organizations().get("research").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn organizations(&self) -> Organizations {
        Organizations::new(self.clone())
    }
}

impl Organizations {
    pub(crate) fn new(client: Client) -> Self {
        Organizations { client }
    }

    /// Lists organizations: one page with [`send`](ListOrganizations::send)
    /// (or `.await`), or every one with [`stream`](ListOrganizations::stream).
    ///
    /// ```no_run
    /// use futures::TryStreamExt;
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let orgs = client.organizations();
    /// let page = orgs.list().name("my-org").limit(50).send().await?;
    /// for org in &page.organizations {
    ///     println!("{} {}", org.id, org.name);
    /// }
    /// let all: Vec<arize_ax::Organization> = orgs.list().name("my").stream().try_collect().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(&self) -> ListOrganizations {
        ListOrganizations(Listing::new(self.client.clone(), OrgsQuery::default()))
    }

    /// Gets an organization by ID or exact name.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let org = client.organizations().get("your-org-name-or-id").await?;
    /// println!("{} {}", org.id, org.name);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a malformed reference, [`Error::NotFound`]
    /// or [`Error::Ambiguous`] when a name does not resolve to one
    /// organization, [`Error::Api`] with status 404 for an unknown ID, and
    /// the transport errors of any call.
    pub async fn get(&self, org: impl Into<OrgRef>) -> Result<Organization> {
        let org = org.into();
        org.validate()?;
        self.client
            .warn_prerelease("organizations.get", ops::GET_ORGANIZATION);
        match org {
            OrgRef::Id(id) => self.get_by_id("organizations.get", &id).await,
            OrgRef::Name(name) => self.find_by_name("organizations.get", &name).await,
        }
    }

    /// Starts creating an organization; names are unique within the account.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let org = client
    ///     .organizations()
    ///     .create("my-organization")
    ///     .description("Optional description")
    ///     .send()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn create(&self, name: impl Into<String>) -> CreateOrganization {
        CreateOrganization {
            client: self.client.clone(),
            name: name.into(),
            description: None,
            exist_ok: false,
        }
    }

    /// Starts updating an organization's name and/or description; at least
    /// one of them must be set.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let org = client
    ///     .organizations()
    ///     .update("your-org-name-or-id")
    ///     .name("new-name")
    ///     .description("new")
    ///     .send()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn update(&self, org: impl Into<OrgRef>) -> UpdateOrganization {
        UpdateOrganization {
            client: self.client.clone(),
            org: org.into(),
            name: None,
            description: None,
        }
    }

    /// Deletes an organization **and everything in it**: every space and
    /// its content (projects, experiments, evaluators, models, monitors,
    /// dashboards, datasets, annotation configs and queues, custom metrics)
    /// and the organization's integrations, cost configurations, SAML
    /// identity providers and API keys. There is no undo.
    ///
    /// A name is resolved to exactly one ID first; an ambiguous or unknown
    /// name deletes nothing.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// client.organizations().delete("your-org-name-or-id").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get); a 403 when the key is not an organization
    /// admin.
    pub async fn delete(&self, org: impl Into<OrgRef>) -> Result<Removal> {
        const METHOD: &str = "organizations.delete";
        let org = org.into();
        org.validate()?;
        self.client
            .warn_prerelease(METHOD, ops::DELETE_ORGANIZATION);
        let id = self.resolve(METHOD, org).await?;
        let call = self
            .client
            .raw()
            .delete_organization()
            .org_id(Id(id.clone()))
            .send();
        let (result, report) = self.client.call_reporting(METHOD, call).await;
        Removal::judge_noting(METHOD, result, &report, || {
            format!("deleting organization {id}")
        })
    }

    /// Adds a user to an organization with a role, or changes the role of a
    /// member (upsert). The user is given by ID or email.
    ///
    /// Before writing, the user's account role is looked up (free when the
    /// user was given by email) and the annotator rule is checked: a user
    /// whose account role is ANNOTATOR can only get [`OrgRole::Annotator`],
    /// and nobody else can get it. Turn the look-up off with
    /// [`skip_role_check`](AddUser::skip_role_check); the server still
    /// enforces the rule.
    ///
    /// ```no_run
    /// use arize_ax::OrgRole;
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let m = client
    ///     .organizations()
    ///     .add_user("your-org-name-or-id", "your-user-id", OrgRole::Member)
    ///     .await?;
    /// println!("{} {} {}", m.id, m.user_id, m.role);
    /// # Ok(())
    /// # }
    /// ```
    pub fn add_user(
        &self,
        org: impl Into<OrgRef>,
        user: impl Into<UserRef>,
        role: OrgRole,
    ) -> AddUser {
        AddUser {
            client: self.client.clone(),
            org: org.into(),
            user: user.into(),
            role,
            check_role: true,
            invite: false,
            name: None,
        }
    }

    /// Removes a user (by ID or email) from an organization and from every
    /// space in it.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// client.organizations().remove_user("your-org-name-or-id", "your-user-id").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get), plus [`Error::NotFound`] for an unknown email.
    pub async fn remove_user(
        &self,
        org: impl Into<OrgRef>,
        user: impl Into<UserRef>,
    ) -> Result<Removal> {
        const METHOD: &str = "organizations.remove_user";
        let org = org.into();
        let user = user.into();
        org.validate()?;
        user.validate()?;
        self.client
            .warn_prerelease(METHOD, ops::REMOVE_ORGANIZATION_USER);
        let org_id = self.resolve(METHOD, org).await?;
        let user_id = match user {
            UserRef::Id(id) => id,
            UserRef::Email(email) => {
                self.client
                    .users()
                    .find_by_email(METHOD, &CallOptions::default(), &email)
                    .await?
                    .id
            }
        };
        remove_member(
            &self.client,
            METHOD,
            CallOptions::default(),
            &org_id,
            &user_id,
        )
        .await
        .0
    }

    /// Adds many users (each with a role) to one organization, resolving the
    /// organization once and keeping up to `concurrency` requests in flight.
    /// Rate limiting is waited out without failing the batch.
    ///
    /// ```no_run
    /// use arize_ax::OrgRole;
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let users = [("jane@example.com", OrgRole::Member), ("sam@example.com", OrgRole::ReadOnly)];
    /// let report = client.organizations().add_users("research", users).concurrency(16).send().await?;
    /// for (user, error) in report.failed() {
    ///     eprintln!("{}: {error}", user.as_str());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn add_users<U: Into<UserRef>>(
        &self,
        org: impl Into<OrgRef>,
        users: impl IntoIterator<Item = (U, OrgRole)>,
    ) -> AddUsers {
        AddUsers {
            client: self.client.clone(),
            org: org.into(),
            users: users.into_iter().map(|(u, r)| (u.into(), r)).collect(),
            settings: Default::default(),
        }
    }

    /// Removes many users from one organization; see
    /// [`add_users`](Self::add_users).
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let report = client
    ///     .organizations()
    ///     .remove_users("research", ["jane@example.com", "sam@example.com"])
    ///     .await?;
    /// assert!(report.all_succeeded());
    /// # Ok(())
    /// # }
    /// ```
    pub fn remove_users<U: Into<UserRef>>(
        &self,
        org: impl Into<OrgRef>,
        users: impl IntoIterator<Item = U>,
    ) -> RemoveUsers {
        RemoveUsers {
            client: self.client.clone(),
            org: org.into(),
            users: users.into_iter().map(Into::into).collect(),
            settings: Default::default(),
        }
    }

    /// Resolves an organization reference to an ID: an ID as it is, a name
    /// through the list endpoint.
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get).
    pub async fn resolve_id(&self, org: impl Into<OrgRef>) -> Result<String> {
        let org = org.into();
        org.validate()?;
        self.resolve("organizations.resolve", org).await
    }

    pub(crate) async fn resolve(&self, operation: &'static str, org: OrgRef) -> Result<String> {
        match org {
            OrgRef::Id(id) => Ok(id),
            OrgRef::Name(name) => Ok(self.find_by_name(operation, &name).await?.id),
        }
    }

    async fn get_by_id(&self, operation: &'static str, id: &str) -> Result<Organization> {
        let call = self
            .client
            .raw()
            .get_organization()
            .org_id(Id(id.to_owned()))
            .send();
        self.client
            .call(operation, call)
            .await
            .and_then(|org| decode(operation, org))
    }

    /// Pages through the name filter (a case-insensitive substring match on
    /// the server) and keeps exact, case-sensitive matches only.
    async fn find_by_name(&self, operation: &'static str, name: &str) -> Result<Organization> {
        let client = &self.client;
        find_exact(
            operation,
            Kind::Organization,
            name,
            |cursor| async move {
                let page = fetch_page(
                    client,
                    operation,
                    Some(name),
                    Some(RESOLVE_PAGE_SIZE),
                    cursor.as_deref(),
                )
                .await?;
                Ok((page.organizations, page.pagination))
            },
            |org: &Organization| org.name == name,
            |org| (org.id.clone(), org.name.clone()),
            |_| None,
        )
        .await
    }
}

/// Fetches one page of organizations.
async fn fetch_page(
    client: &Client,
    operation: &'static str,
    name: Option<&str>,
    limit: Option<u32>,
    cursor: Option<&str>,
) -> Result<OrganizationsPage> {
    let mut request = client.raw().list_organizations();
    if let Some(name) = name {
        request = request.name(name);
    }
    let request = crate::core::paging::paged!(request, limit, cursor);
    client
        .call(operation, request.send())
        .await
        .and_then(|page| decode(operation, page))
}

fn check_name(field: &'static str, name: &str) -> Result<()> {
    check_text(field, name)?;
    Ok(check_len(field, name, MAX_NAME_LEN)?)
}

fn check_description(description: &str) -> Result<()> {
    Ok(check_free_text(
        "description",
        description,
        MAX_DESCRIPTION_LEN,
    )?)
}

/// A request for organizations; see [`Organizations::list`].
#[derive(Debug, Clone)]
#[must_use = "a list request does nothing until sent or streamed"]
pub struct ListOrganizations(Listing<OrgsQuery>);

/// The filters of [`ListOrganizations`].
#[derive(Debug, Clone, Default)]
pub(crate) struct OrgsQuery {
    name: Option<String>,
}

impl Query for OrgsQuery {
    type Item = Organization;
    type Page = OrganizationsPage;
    const METHOD: &'static str = "organizations.list";
    const OPERATION: &'static arize_ax_api::Operation = ops::LIST_ORGANIZATIONS;

    fn validate(&self) -> Result<()> {
        if let Some(name) = &self.name {
            check_text("name", name)?;
            check_len("name", name, MAX_NAME_LEN)?;
        }
        Ok(())
    }

    async fn fetch(
        &self,
        client: &Client,
        limit: Option<u32>,
        cursor: Option<String>,
    ) -> Result<OrganizationsPage> {
        fetch_page(
            client,
            Self::METHOD,
            self.name.as_deref(),
            limit,
            cursor.as_deref(),
        )
        .await
    }

    fn split(page: OrganizationsPage) -> (Vec<Organization>, Pagination) {
        (page.organizations, page.pagination)
    }

    fn join(organizations: Vec<Organization>, pagination: Pagination) -> OrganizationsPage {
        OrganizationsPage {
            organizations,
            pagination,
        }
    }
}

impl ListOrganizations {
    /// Keeps organizations whose name contains this text, ignoring case.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.0.query.name = Some(name.into());
        self
    }
}

crate::core::paging::listing_builder!(
    ListOrganizations,
    Organization,
    OrganizationsPage,
    "organization",
    "[`Error::InvalidInput`] for a limit outside 1..=100 or an empty name filter or cursor (nothing is sent); API and transport errors."
);

/// A request to create an organization; see [`Organizations::create`].
#[derive(Debug, Clone)]
#[must_use = "a create request does nothing until sent"]
pub struct CreateOrganization {
    client: Client,
    name: String,
    description: Option<String>,
    exist_ok: bool,
}

impl CreateOrganization {
    /// What the organization is for (at most 1000 characters).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// With `true`, a name that is already taken is not an error: the
    /// organization of that name is returned instead (its description is left
    /// as it is). This also makes the create safe to repeat, so it is then
    /// retried after a server error or a lost answer like any idempotent
    /// call.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let org = client.organizations().create("research").exist_ok(true).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn exist_ok(mut self, exist_ok: bool) -> Self {
        self.exist_ok = exist_ok;
        self
    }

    /// Creates it.
    ///
    /// Without [`exist_ok`](Self::exist_ok), never retried after a server
    /// error or a lost answer, so an error never hides a duplicate; such an
    /// error is [`Error::MaybeCreated`], which says how to check.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a name that is empty, whitespace, longer
    /// than 255 characters or has control characters, or a description over
    /// 1000 characters (nothing is sent); [`Error::Api`] with 409 when the
    /// name is taken.
    pub async fn send(self) -> Result<Organization> {
        const METHOD: &str = "organizations.create";
        check_name("name", &self.name)?;
        if let Some(d) = &self.description {
            check_description(d)?;
        }
        self.client
            .warn_prerelease(METHOD, ops::CREATE_ORGANIZATION);
        let body = types::CreateOrganizationRequest {
            name: request_value("name", self.name.clone())?,
            description: self
                .description
                .map(|d| request_value("description", d))
                .transpose()?,
        };
        let call = self.client.raw().create_organization().body(body).send();
        let kind = Kind::Organization;
        match create_named(&self.client, METHOD, kind, &self.name, self.exist_ok, call).await? {
            Created::New(org) => decode(METHOD, org),
            Created::Taken(_) => {
                Organizations::new(self.client.clone())
                    .find_by_name(METHOD, &self.name)
                    .await
            }
        }
    }
}

awaitable!(CreateOrganization => Organization);

/// A request to update an organization; see [`Organizations::update`].
#[derive(Debug, Clone)]
#[must_use = "an update request does nothing until sent"]
pub struct UpdateOrganization {
    client: Client,
    org: OrgRef,
    name: Option<String>,
    description: Option<String>,
}

impl UpdateOrganization {
    /// The new name (1 to 255 characters, unique within the account).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The new description (at most 1000 characters). An empty string clears
    /// it (sent as `null`, as the API asks).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Clears the description.
    pub fn clear_description(self) -> Self {
        self.description(String::new())
    }

    /// Applies the update.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when neither field is set or one breaks its
    /// rule (nothing is sent); resolution errors as for
    /// [`Organizations::get`]; [`Error::Api`] with 409 for a taken name.
    pub async fn send(self) -> Result<Organization> {
        const METHOD: &str = "organizations.update";
        self.org.validate()?;
        if self.name.is_none() && self.description.is_none() {
            return Err(Error::invalid(
                "update",
                "set at least one of name or description",
            ));
        }
        if let Some(name) = &self.name {
            check_name("name", name)?;
        }
        if let Some(d) = &self.description {
            check_description(d)?;
        }
        self.client
            .warn_prerelease(METHOD, ops::UPDATE_ORGANIZATION);
        let body = types::UpdateOrganizationRequest {
            name: self.name.map(|n| request_value("name", n)).transpose()?,
            // An empty description clears it: sent as `null`, as the
            // document asks.
            description: match self.description {
                None => Patch::Keep,
                Some(d) if d.is_empty() => Patch::Clear,
                Some(d) => Patch::Set(request_value("description", d)?),
            },
        };
        let orgs = Organizations::new(self.client.clone());
        let id = orgs.resolve(METHOD, self.org).await?;
        let call = self
            .client
            .raw()
            .update_organization()
            .org_id(Id(id))
            .body(body)
            .send();
        self.client
            .call(METHOD, call)
            .await
            .and_then(|org| decode(METHOD, org))
    }
}

awaitable!(UpdateOrganization => Organization);

/// A request to add a user to an organization; see
/// [`Organizations::add_user`]. Await it directly, or call
/// [`send`](Self::send).
#[derive(Debug, Clone)]
#[must_use = "an add-user request does nothing until awaited"]
pub struct AddUser {
    client: Client,
    org: OrgRef,
    user: UserRef,
    role: OrgRole,
    check_role: bool,
    invite: bool,
    name: Option<String>,
}

impl AddUser {
    /// Onboarding in one step: when the user is given by an email that
    /// belongs to nobody in the account yet, invite them first (an email
    /// link; account role ANNOTATOR for [`OrgRole::Annotator`], MEMBER
    /// otherwise), then add the membership. Safe to repeat: the email is
    /// the key, so a second run finds the pending invitation.
    ///
    /// ```no_run
    /// use arize_ax::OrgRole;
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// client
    ///     .organizations()
    ///     .add_user("research", "new.hire@example.com", OrgRole::Member)
    ///     .invite(true)
    ///     .name("New Hire")
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn invite(mut self, invite: bool) -> Self {
        self.invite = invite;
        self
    }

    /// The display name of a user [`invite`](Self::invite) creates (default:
    /// the part of the email before `@`).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Skips the account-role look-up that checks the annotator rule before
    /// writing (one request saved per user given by ID; the server still
    /// enforces the rule).
    pub fn skip_role_check(mut self) -> Self {
        self.check_role = false;
        self
    }

    /// Adds the user.
    ///
    /// # Errors
    ///
    /// [`Error::RoleConstraint`] when the annotator rule forbids the role
    /// (nothing is written); resolution errors for the organization or an
    /// email; API and transport errors.
    pub async fn send(self) -> Result<OrganizationMembership> {
        const METHOD: &str = "organizations.add_user";
        self.org.validate()?;
        self.role.validate()?;
        let newcomer = self.client.users().newcomer_for(
            &self.user,
            self.invite,
            self.name.as_deref(),
            &self.role,
            self.check_role,
        );
        newcomer.validate()?;
        self.client
            .warn_prerelease(METHOD, ops::ADD_ORGANIZATION_USER);
        let orgs = Organizations::new(self.client.clone());
        let org_id = orgs.resolve(METHOD, self.org).await?;
        let role = self.client.roles().custom_by_id(METHOD, self.role).await?;
        let user = self.client.users().newcomer(METHOD, newcomer).await?;
        let user_id = match &user {
            Some(user) => user.id.clone(),
            None => self.user.as_str().to_owned(),
        };
        if let Some(user) = &user {
            check_annotator_rule(user, &role)?;
        }
        add_member(
            &self.client,
            METHOD,
            CallOptions::default(),
            &org_id,
            user_id,
            &role,
        )
        .await
        .0
    }
}

/// The add-user call itself (an upsert), with what the transport did;
/// `options` for the transport (a bulk call's attempt hook).
pub(crate) async fn add_member(
    client: &Client,
    method: &'static str,
    options: CallOptions,
    org_id: &str,
    user_id: String,
    role: &OrgRole,
) -> (Result<OrganizationMembership>, CallReport) {
    let body = types::AddOrganizationUserRequest {
        user_id: Id(user_id),
        role: role.to_request(),
    };
    let call = client
        .raw()
        .add_organization_user()
        .org_id(Id(org_id.to_owned()))
        .body(body)
        .send();
    let (result, report) = client.call_as(method, options, call).await;
    (result.and_then(|m| decode(method, m)), report)
}

/// The remove-user call itself, with what the transport did; a removal
/// whose answer was lost and whose retry found the user gone is a success,
/// with a note.
pub(crate) async fn remove_member(
    client: &Client,
    method: &'static str,
    options: CallOptions,
    org_id: &str,
    user_id: &str,
) -> (Result<Removal>, CallReport) {
    let call = client
        .raw()
        .remove_organization_user()
        .org_id(Id(org_id.to_owned()))
        .user_id(Id(user_id.to_owned()))
        .send();
    let (result, report) = client.call_as(method, options, call).await;
    let result = Removal::judge_noting(method, result, &report, || {
        format!("removing user {user_id} from organization {org_id}")
    });
    (result, report)
}

awaitable!(AddUser => OrganizationMembership);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_facade_method_maps_to_an_operation_of_the_spec() {
        for (method, op) in METHODS {
            assert!(arize_ax_api::operation(op).is_some(), "{method} → {op}");
        }
    }
}
