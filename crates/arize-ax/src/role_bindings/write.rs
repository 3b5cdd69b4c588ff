//! Creating a binding, and "ensuring" one with `replace`.

use arize_ax_api::transport::CallOptions;
use arize_ax_api::types::{self as raw, Id};
use arize_ax_api::{Idempotency, ops};

use crate::core::client::Client;
use crate::core::error::{Error, Result};
use crate::core::future::awaitable;
use crate::core::warning::note;
use crate::refs::{OrgRef, RoleRef, SpaceRef, UserRef};
use crate::role_bindings::{CREATE, Resource, RoleBinding};
use crate::types::decode;

/// A request to grant a role to a user on a space or project; see
/// [`RoleBindings::create`](crate::RoleBindings::create).
///
/// Sending it again is safe: a user holds one binding per resource, so a
/// repeat can never make a second one. When the answer to an attempt is
/// lost and the retry finds the binding already made with the role asked
/// for, that binding is the result (not a false "already exists").
#[derive(Debug, Clone)]
#[must_use = "a create request does nothing until sent or awaited"]
pub struct CreateRoleBinding {
    client: Client,
    user: UserRef,
    role: RoleRef,
    resource: Resource,
    org: Option<OrgRef>,
    replace: bool,
}

impl CreateRoleBinding {
    pub(crate) fn new(client: Client, user: UserRef, role: RoleRef, resource: Resource) -> Self {
        CreateRoleBinding {
            client,
            user,
            role,
            resource,
            org: None,
            replace: false,
        }
    }

    /// `true` makes this an "ensure": when the user already holds a binding
    /// on the resource, it gets this role (nothing is sent when it already
    /// has it) instead of the API's 409. Default `false`.
    pub fn replace(mut self, replace: bool) -> Self {
        self.replace = replace;
        self
    }

    /// Looks a space given by name up in this organization only.
    pub fn organization(mut self, org: impl Into<OrgRef>) -> Self {
        self.org = Some(org.into());
        self
    }

    /// Sends the request: the user, the role and the space are resolved to
    /// IDs first (an email, a name: one look-up each).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a malformed reference, or an
    /// organization given with a project (nothing is sent); resolution
    /// errors; [`Error::Api`] with 409 when the user already holds a binding
    /// on the resource (without [`replace`](Self::replace); the error names
    /// it), 404 for an unknown user or role, 403 for a resource out of
    /// reach; API and transport errors.
    pub async fn send(self) -> Result<RoleBinding> {
        self.user.validate()?;
        self.role.validate()?;
        self.resource.validate()?;
        if let Some(org) = &self.org {
            org.validate()?;
            if !matches!(self.resource, Resource::Space(SpaceRef::Name(_))) {
                return Err(Error::invalid(
                    "organization",
                    "narrows a space name; it has no use with a space ID or a project",
                ));
            }
        }
        self.client
            .warn_prerelease(CREATE, ops::CREATE_ROLE_BINDING);
        let bindings = self.client.role_bindings();
        let kind = self.resource.kind();
        let user_id = self
            .client
            .users()
            .resolve(CREATE, self.user.clone())
            .await?;
        let role_id = bindings.role_id(CREATE, self.role.clone()).await?;
        let resource_id = match self.resource.clone() {
            Resource::Space(SpaceRef::Id(id)) | Resource::Project(id) => id,
            Resource::Space(space) => {
                self.client
                    .spaces()
                    .resolve_id(space, self.org.clone())
                    .await?
            }
        };
        let body = raw::CreateRoleBindingRequest {
            role_id: Id(role_id.clone()),
            user_id: Id(user_id.clone()),
            resource_type: kind.clone(),
            resource_id: Id(resource_id.clone()),
        };
        let call = self.client.raw().create_role_binding().body(body).send();
        // One binding per user and resource: a repeat cannot duplicate.
        let options = CallOptions::new().idempotency(Idempotency::Idempotent);
        let (result, report) = self.client.call_as(CREATE, options, call).await;
        let e = match result {
            Ok(binding) => return decode(CREATE, binding),
            Err(e) if e.status() == Some(409) => e,
            Err(e) => return Err(e),
        };
        let Some(held) = bindings.held(CREATE, kind, &user_id, &resource_id).await? else {
            // Held by nobody we can see: the server's answer stands.
            return Err(e);
        };
        if held.role_id == role_id {
            if report.may_have_taken_effect {
                note(
                    CREATE,
                    &format!(
                        "the answer to creating a role binding was lost, and the retry found \
                         it made: binding {}",
                        held.id
                    ),
                );
                return Ok(held);
            }
            if self.replace {
                return Ok(held);
            }
        } else if self.replace {
            return bindings.set_role(CREATE, &held.id, role_id).await;
        }
        Err(e.with_advice(format!(
            "user {user_id} already holds binding {} on {resource_id}, with role {}: give it \
             another role with update (arize-ax role-bindings update {} --role …), or create \
             with replace (--replace)",
            held.id, held.role_id, held.id
        )))
    }
}

awaitable!(CreateRoleBinding => RoleBinding);
