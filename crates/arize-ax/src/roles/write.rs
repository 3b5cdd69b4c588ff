//! Writing roles: create, update, delete. Every write drops the listing the
//! client keeps (see [`Roles::get`]), whatever its outcome.

use arize_ax_api::limits::{ROLE_DESCRIPTION_MAX_LEN, ROLE_NAME_MAX_LEN};
use arize_ax_api::open::Patch;
use arize_ax_api::ops;
use arize_ax_api::types::{self, Id};

use crate::core::checks::{check_len, check_text, request_value};
use crate::core::client::Client;
use crate::core::create::{Created, create_named};
use crate::core::error::{Error, Kind, Result};
use crate::core::future::awaitable;
use crate::core::removal::Removal;
use crate::core::warning::note;
use crate::roles::permissions::{self, Permission};
use crate::roles::record::{Role, RoleRef};
use crate::roles::{CREATE, DELETE, Roles, UPDATE};
use crate::types::decode;

/// Checks a new role name: text, length, and the characters the spec's
/// pattern allows (read from the generated type, which checks the pattern).
fn check_name(name: &str) -> Result<()> {
    const FIELD: &str = "name";
    check_text(FIELD, name)?;
    check_len(FIELD, name, ROLE_NAME_MAX_LEN)?;
    if types::CreateRoleRequestName::try_from(name).is_err() {
        let allowed = |c: char| types::CreateRoleRequestName::try_from(c.to_string()).is_ok();
        let reason = match name.chars().find(|c| !allowed(*c)) {
            Some(c) => format!(
                "{c:?} is not allowed in a role name (letters, digits, spaces and \
                 - _ . , ( ) [ ] ' \" / : \\ & @ # $ % ! ? + = are)"
            ),
            None => "does not match the pattern of role names".into(),
        };
        return Err(Error::invalid(FIELD, reason));
    }
    Ok(())
}

fn check_description(description: &str) -> Result<()> {
    const FIELD: &str = "description";
    if let Some(c) = description
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(Error::invalid(
            FIELD,
            format!(
                "must not contain control characters other than newlines and tabs (found {c:?})"
            ),
        ));
    }
    Ok(check_len(FIELD, description, ROLE_DESCRIPTION_MAX_LEN)?)
}

/// Refuses to change a predefined role.
fn refuse_predefined(role: &Role, what: &str) -> Result<()> {
    if role.is_predefined {
        return Err(Error::invalid(
            "role",
            format!(
                "{:?} ({}) is a predefined role; predefined roles cannot be {what}",
                role.name, role.id
            ),
        ));
    }
    Ok(())
}

/// `a, b, c`, or `none`.
fn list(permissions: &[&Permission]) -> String {
    if permissions.is_empty() {
        return "none".into();
    }
    permissions
        .iter()
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A request to create a custom role; see [`Roles::create`].
#[derive(Debug, Clone)]
#[must_use = "a create request does nothing until sent"]
pub struct CreateRole {
    client: Client,
    name: String,
    description: Option<String>,
    permissions: Vec<String>,
    exist_ok: bool,
}

impl CreateRole {
    pub(crate) fn new(client: Client, name: String) -> Self {
        CreateRole {
            client,
            name,
            description: None,
            permissions: Vec::new(),
            exist_ok: false,
        }
    }

    /// What the role is for (at most 1000 characters; an empty one is not
    /// sent).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The permissions to grant, replacing any given before; at least one.
    /// Each is read as [`parse_permission`](crate::roles::parse_permission)
    /// reads it (any case, `-` for `_`); an unknown one is refused before
    /// sending, naming the closest known one. Repeats are sent once.
    pub fn permissions<I>(mut self, permissions: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.permissions = permissions
            .into_iter()
            .map(|p| p.as_ref().to_owned())
            .collect();
        self
    }

    /// Adds one permission to grant.
    pub fn permission(mut self, permission: impl AsRef<str>) -> Self {
        self.permissions.push(permission.as_ref().to_owned());
        self
    }

    /// When a role of this name already exists (409), fetch it and succeed
    /// if its permissions are the ones asked for (its description is not
    /// compared), or fail showing the difference. This also makes the
    /// create safe to repeat, so it is then retried after a server error or
    /// a lost answer like any idempotent call.
    ///
    /// ```no_run
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let role = client
    ///     .roles()
    ///     .create("Auditor")
    ///     .permissions(["ROLE_READ", "USER_READ"])
    ///     .exist_ok(true)
    ///     .await?;
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
    /// error is [`Error::MaybeCreated`] (kind [`Kind::Role`]), which says
    /// how to check.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a name that is empty, longer than 255
    /// characters, or has a character role names do not allow, a
    /// description over 1000 characters, no permission or an unknown one
    /// (nothing is sent); [`Error::Api`] with 409 when the name is taken
    /// (with `exist_ok`, only when that role's permissions differ, and the
    /// error says how); API and transport errors.
    pub async fn send(self) -> Result<Role> {
        check_name(&self.name)?;
        if let Some(d) = &self.description {
            check_description(d)?;
        }
        if self.permissions.is_empty() {
            return Err(Error::invalid(
                "permissions",
                "give at least one permission (such as PROJECT_READ)",
            ));
        }
        let wanted = permissions::parse_all(&self.permissions)?;
        self.client.warn_prerelease(CREATE, ops::CREATE_ROLE);
        let body = types::CreateRoleRequest {
            name: request_value("name", self.name.clone())?,
            description: self
                .description
                .filter(|d| !d.is_empty())
                .map(|d| request_value("description", d))
                .transpose()?,
            permissions: wanted.clone(),
        };
        let call = self.client.raw().create_role().body(body).send();
        let kind = Kind::Role;
        let created =
            create_named(&self.client, CREATE, kind, &self.name, self.exist_ok, call).await;
        let roles = self.client.roles();
        roles.forget().await;
        match created? {
            Created::New(role) => decode(CREATE, role),
            Created::Taken(e) => {
                let existing = match roles.find_by_name(CREATE, &self.name).await {
                    // A built-in role's name: never "created".
                    Ok(role) if role.is_predefined => {
                        return Err(e.with_advice(format!(
                            "{:?} is the name of a built-in role; choose another name",
                            self.name
                        )));
                    }
                    Ok(role) => role,
                    // Taken by no role we can see: the server's answer stands.
                    Err(lookup) if lookup.is_not_found() => return Err(e),
                    Err(lookup) => return Err(lookup),
                };
                let missing: Vec<&Permission> = wanted
                    .iter()
                    .filter(|p| !existing.permissions.contains(p))
                    .collect();
                let extra: Vec<&Permission> = existing
                    .permissions
                    .iter()
                    .filter(|p| !wanted.contains(p))
                    .collect();
                if missing.is_empty() && extra.is_empty() {
                    return Ok(existing);
                }
                Err(e.with_advice(format!(
                    "role {:?} ({}) already exists with other permissions than asked for: \
                     missing {} (asked for, not in the role); extra {} (in the role, not asked \
                     for); update it to the set you want, or choose another name",
                    existing.name,
                    existing.id,
                    list(&missing),
                    list(&extra)
                )))
            }
        }
    }
}

awaitable!(CreateRole => Role);

/// A request to update a custom role; see [`Roles::update`].
///
/// [`add_permissions`](Self::add_permissions) and
/// [`remove_permissions`](Self::remove_permissions) read the role, change
/// its set, and write the whole set back: the API replaces the set and
/// offers no compare-and-set, so two admins changing one role's
/// permissions at the same moment can lose one of the changes (the last
/// write wins). [`permissions`](Self::permissions) writes a full set and
/// reads nothing.
#[derive(Debug, Clone)]
#[must_use = "an update request does nothing until sent"]
pub struct UpdateRole {
    client: Client,
    role: RoleRef,
    name: Option<String>,
    description: Option<String>,
    permissions: Option<Vec<String>>,
    add: Vec<String>,
    remove: Vec<String>,
}

impl UpdateRole {
    pub(crate) fn new(client: Client, role: RoleRef) -> Self {
        UpdateRole {
            client,
            role,
            name: None,
            description: None,
            permissions: None,
            add: Vec::new(),
            remove: Vec::new(),
        }
    }

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

    /// The complete new set of permissions (at least one), replacing the
    /// current set. Not to be combined with
    /// [`add_permissions`](Self::add_permissions) or
    /// [`remove_permissions`](Self::remove_permissions).
    pub fn permissions<I>(mut self, permissions: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.permissions = Some(
            permissions
                .into_iter()
                .map(|p| p.as_ref().to_owned())
                .collect(),
        );
        self
    }

    /// Permissions to add to the role's current set (read first; see the
    /// race on [`UpdateRole`]).
    pub fn add_permissions<I>(mut self, permissions: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.add
            .extend(permissions.into_iter().map(|p| p.as_ref().to_owned()));
        self
    }

    /// Permissions to take from the role's current set (read first; see the
    /// race on [`UpdateRole`]). A permission this version does not know may
    /// be removed when the role holds it.
    pub fn remove_permissions<I>(mut self, permissions: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.remove
            .extend(permissions.into_iter().map(|p| p.as_ref().to_owned()));
        self
    }

    /// Applies the update. When only additions and removals were asked for
    /// and they change nothing, nothing is written and the role is returned
    /// as read.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] (nothing is sent) when nothing is to change
    /// (field `update`), a field breaks its rule, a permission is unknown,
    /// a full set is combined with additions or removals, a permission is
    /// both added and removed, the change would leave no permission, or the
    /// role is predefined; resolution errors as for
    /// [`Roles::get`]; [`Error::Api`] with 409 for a taken name; API and
    /// transport errors.
    pub async fn send(self) -> Result<Role> {
        self.role.validate()?;
        if self.name.is_none()
            && self.description.is_none()
            && self.permissions.is_none()
            && self.add.is_empty()
            && self.remove.is_empty()
        {
            return Err(Error::invalid(
                "update",
                "set at least one of name, description, permissions, add_permissions or \
                 remove_permissions",
            ));
        }
        if self.permissions.is_some() && !(self.add.is_empty() && self.remove.is_empty()) {
            return Err(Error::invalid(
                "permissions",
                "give either the full set of permissions or permissions to add and remove, not \
                 both",
            ));
        }
        if let Some(name) = &self.name {
            check_name(name)?;
        }
        if let Some(d) = &self.description {
            check_description(d)?;
        }
        let full = match &self.permissions {
            Some(set) if set.is_empty() => {
                return Err(Error::invalid(
                    "permissions",
                    "the full set must hold at least one permission (the API replaces the whole \
                     set)",
                ));
            }
            Some(set) => Some(permissions::parse_all(set)?),
            None => None,
        };
        let add = permissions::parse_all(&self.add)?;
        let mut remove: Vec<Permission> = Vec::with_capacity(self.remove.len());
        for text in &self.remove {
            let permission = permissions::read(text)?;
            if !remove.contains(&permission) {
                remove.push(permission);
            }
        }
        if let Some(both) = add.iter().find(|p| remove.contains(p)) {
            return Err(Error::invalid(
                "permissions",
                format!("{both} is both added and removed"),
            ));
        }
        self.client.warn_prerelease(UPDATE, ops::UPDATE_ROLE);
        let roles = self.client.roles();
        let by_id = matches!(self.role, RoleRef::Id(_));
        let target = roles.resolve_for_write(UPDATE, self.role).await?;
        refuse_predefined(&target, "changed")?;
        let permissions = if add.is_empty() && remove.is_empty() {
            full.unwrap_or_default()
        } else {
            // Read what the server holds now (a role found by name comes
            // from the kept listing).
            let current = match by_id {
                true => target.clone(),
                false => roles.get_by_id(UPDATE, &target.id).await?,
            };
            refuse_predefined(&current, "changed")?;
            if let Some(absent) = remove
                .iter()
                .find(|p| !p.is_known() && !current.permissions.contains(p))
            {
                return Err(permissions::unknown(absent.as_str()));
            }
            let mut set: Vec<Permission> = current
                .permissions
                .iter()
                .filter(|p| !remove.contains(p))
                .cloned()
                .collect();
            for permission in add {
                if !set.contains(&permission) {
                    set.push(permission);
                }
            }
            if set.is_empty() {
                return Err(Error::invalid(
                    "permissions",
                    format!(
                        "removing these would leave role {:?} with no permission; a role needs \
                         at least one",
                        current.name
                    ),
                ));
            }
            let unchanged = set.len() == current.permissions.len()
                && set.iter().all(|p| current.permissions.contains(p));
            if unchanged {
                if self.name.is_none() && self.description.is_none() {
                    note(
                        UPDATE,
                        &format!(
                            "role {:?} already has these permissions: nothing to change",
                            current.name
                        ),
                    );
                    return Ok(current);
                }
                Vec::new()
            } else {
                set
            }
        };
        let body = types::UpdateRoleRequest {
            name: self.name.map(|n| request_value("name", n)).transpose()?,
            // An empty description clears it: sent as `null`, as the
            // document asks.
            description: match self.description {
                None => Patch::Keep,
                Some(d) if d.is_empty() => Patch::Clear,
                Some(d) => Patch::Set(request_value("description", d)?),
            },
            // Empty is left out of the body: the set is kept.
            permissions,
        };
        let call = self
            .client
            .raw()
            .update_role()
            .role_id(Id(target.id.clone()))
            .body(body)
            .send();
        let result = self.client.call(UPDATE, call).await;
        roles.forget().await;
        result.and_then(|role| decode(UPDATE, role))
    }
}

awaitable!(UpdateRole => Role);

/// Deletes a custom role; see [`Roles::delete`].
pub(crate) async fn delete(roles: &Roles, role: RoleRef) -> Result<Removal> {
    role.validate()?;
    roles.client.warn_prerelease(DELETE, ops::DELETE_ROLE);
    let target = roles.resolve_for_write(DELETE, role).await?;
    refuse_predefined(&target, "deleted")?;
    let call = roles
        .client
        .raw()
        .delete_role()
        .role_id(Id(target.id.clone()))
        .send();
    let (result, report) = roles.client.call_reporting(DELETE, call).await;
    roles.forget().await;
    let removal = Removal::judge_noting(DELETE, result, &report, || {
        format!("deleting role {}", target.id)
    });
    removal.map_err(|e| match e.status() {
        Some(409) => e.with_advice(format!(
            "role {:?} ({}) is still in use (by role bindings, or by organization or space \
             members who hold it), and a role in use cannot be deleted: give those members \
             another role, and delete its role bindings first (`client.role_bindings().list()\
             .role({:?})` finds those on spaces, with `.projects()` those on projects: GET \
             /v2/role-bindings by resource type, the role matched on this side; \
             `client.role_bindings().delete(id)` deletes each), then delete the role",
            target.name, target.id, target.id
        )),
        _ => e,
    })
}
