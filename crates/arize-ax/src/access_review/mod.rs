//! The access review: who has access to what, as one row per principal,
//! resource and role — what SOC 2 and ISO 27001 audits ask for each
//! period, and what no endpoint of the API answers by itself.
//!
//! Every user of the account comes first with their account role (rows
//! of resource type `ACCOUNT`), then each service key with the spaces it
//! reaches, then one row per role binding.
//!
//! It is built from listings, each read once: users, roles (with their
//! permissions), organizations, spaces, restrictions, and role bindings
//! once per resource type (spaces, then projects), grouped here; service
//! keys are listed per space (the only way the API lists them). Never a
//! request per user or per binding. Users, roles, spaces and keys are
//! held while the bindings stream through, one page at a time.
//!
//! **What the API does not show** (and so the review cannot): see
//! [`NOT_SHOWN`].

mod row;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};

use crate::api_keys::{Key, KeyType};
use crate::core::client::Client;
use crate::core::error::{Error, Result};
use crate::refs::OrgRef;
use crate::role_bindings::{ResourceType, RoleBinding};
use crate::{Organization, Role, Space, User};

pub use row::{AccessRow, Grant, PrincipalType};

/// What an access review cannot show, because no endpoint of the API
/// lists it; a review's output should say so.
pub const NOT_SHOWN: &[&str] = &[
    "organization membership and organization roles: no endpoint lists an organization's members",
    "space membership given outside role bindings (add-user to a space): no endpoint lists a \
     space's members",
    "a service key's role in its spaces: the API lists a space's service keys without it (rows \
     granted_by service_key have an empty role)",
    "which space a project is in: project rows carry no organization or space",
    "what the caller may not read: the listings leave out bindings, restrictions and service \
     keys beyond the key's rights (review with an account admin's key)",
];

/// What a review with `--org` (`organization(…)`) leaves out as well.
const NOT_SHOWN_SCOPED: &[&str] = &[
    "project bindings and restrictions: the API does not say which organization a project is in",
    "account roles of users other than account admins: the API does not say who belongs to the \
     organization",
];

/// What a review without service keys (`service_keys(false)`) leaves out.
const NOT_SHOWN_WITHOUT_KEYS: &[&str] =
    &["service keys: not listed (bindings of their bot users show as unknown principals)"];

/// The page size of every listing the review makes: the largest.
const PAGE: u32 = arize_ax_api::limits::PAGE_LIMIT_MAX;

/// How many spaces' service keys are listed at once.
const KEY_LISTINGS_AT_ONCE: usize = 4;

/// The name notes give the review.
const METHOD: &str = "access_review";

/// A request for an access review; see [`Client::access_review`].
#[derive(Debug, Clone)]
#[must_use = "an access review does nothing until streamed"]
pub struct AccessReview {
    client: Client,
    org: Option<OrgRef>,
    service_keys: bool,
}

impl Client {
    /// An access review of the account (or of one organization): every
    /// principal's role on every space and project, as a stream of
    /// [`AccessRow`]s.
    ///
    /// ```no_run
    /// use futures::TryStreamExt;
    /// # async fn run(client: arize_ax::Client) -> arize_ax::Result<()> {
    /// let review = client.access_review().organization("research");
    /// let gaps = review.gaps(); // what this review cannot show
    /// let mut rows = review.stream();
    /// while let Some(row) = rows.try_next().await? {
    ///     println!("{} has {} on {}", row.principal, row.role, row.resource);
    /// }
    /// for gap in gaps {
    ///     eprintln!("not shown: {gap}");
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn access_review(&self) -> AccessReview {
        AccessReview {
            client: self.clone(),
            org: None,
            service_keys: true,
        }
    }
}

/// What the review holds while bindings stream through.
struct Directory {
    users: HashMap<String, User>,
    roles: HashMap<String, Role>,
    orgs: HashMap<String, Organization>,
    spaces: HashMap<String, Space>,
    restricted: HashSet<String>,
    /// Service keys by their bot user's ID.
    bots: HashMap<String, Key>,
    /// Each service key with the space it was listed under; `None` for a
    /// space whose keys the caller may not read.
    keys: Vec<(Option<Key>, String)>,
    /// Reviewing one organization: its spaces only, no projects.
    scoped: bool,
}

impl AccessReview {
    /// Reviews one organization (by ID or exact name): its spaces only.
    /// Project bindings are left out then: the API does not say which
    /// space (so which organization) a project is in.
    pub fn organization(mut self, org: impl Into<OrgRef>) -> Self {
        self.org = Some(org.into());
        self
    }

    /// Whether to list each space's service keys (on by default): their
    /// rows, and names for the bot users that bindings name. Off, the
    /// review costs the same whatever the number of spaces, and bindings
    /// of bot users show as `Unknown` principals.
    pub fn service_keys(mut self, list: bool) -> Self {
        self.service_keys = list;
        self
    }

    /// What this review cannot show: [`NOT_SHOWN`], and what its scope
    /// leaves out (one organization's review has no project rows; one
    /// without service keys names no bot user). A review's output should
    /// say so.
    pub fn gaps(&self) -> Vec<&'static str> {
        let mut gaps = NOT_SHOWN.to_vec();
        if self.org.is_some() {
            gaps.extend_from_slice(NOT_SHOWN_SCOPED);
        }
        if !self.service_keys {
            gaps.extend_from_slice(NOT_SHOWN_WITHOUT_KEYS);
        }
        gaps
    }

    /// Every row, lazily: the users, roles, organizations, spaces,
    /// restrictions (and service keys) are read first; then the bindings
    /// stream through a page at a time, each turned into a row. An error
    /// ends the stream.
    ///
    /// # Errors
    ///
    /// Resolution errors for an organization given by name; API and
    /// transport errors of any listing, which end the stream (nothing is
    /// read after them). A 403 on one space's service keys is not an
    /// error: that space's row says so in its `note` (and a note is
    /// logged); its keys are not in the review.
    pub fn stream(self) -> BoxStream<'static, Result<AccessRow>> {
        if let Some(org) = &self.org
            && let Err(e) = org.validate()
        {
            return stream::once(async move { Err(e) }).boxed();
        }
        let rows = stream::once(async move {
            let directory = Arc::new(self.directory().await?);
            let client = self.client.clone();
            let kinds: Vec<ResourceType> = if directory.scoped {
                vec![ResourceType::Space]
            } else {
                vec![ResourceType::Space, ResourceType::Project]
            };
            let accounts = account_rows(&directory);
            let keys = key_rows(&directory);
            let bindings = stream::iter(kinds)
                .map(move |kind| {
                    client
                        .role_bindings()
                        .list()
                        .resource_type(kind)
                        .limit(PAGE)
                        .stream()
                })
                .flatten()
                .try_filter_map(move |binding| {
                    let row = binding_row(&directory, binding);
                    async move { Ok(row) }
                });
            let first = accounts.into_iter().chain(keys).map(Ok);
            Ok::<_, Error>(stream::iter(first).chain(bindings))
        })
        .try_flatten();
        // The first error is the last item, and nothing is read after it:
        // never a partial review that reads as whole.
        stream::unfold((rows.boxed(), false), |(mut rows, failed)| async move {
            if failed {
                return None;
            }
            let row = rows.next().await?;
            let failed = row.is_err();
            Some((row, (rows, failed)))
        })
        .boxed()
    }

    /// Reads what the rows are joined with: each listing once.
    async fn directory(&self) -> Result<Directory> {
        let client = &self.client;
        let (orgs, spaces) = match &self.org {
            Some(org) => {
                let org = client.organizations().get(org.clone()).await?;
                let spaces: Vec<Space> = client
                    .spaces()
                    .list()
                    .organization(OrgRef::Id(org.id.clone()))
                    .limit(PAGE)
                    .stream()
                    .try_collect()
                    .await?;
                (vec![org], spaces)
            }
            None => {
                let orgs = client
                    .organizations()
                    .list()
                    .limit(PAGE)
                    .stream()
                    .try_collect();
                let spaces = client.spaces().list().limit(PAGE).stream().try_collect();
                futures::try_join!(orgs, spaces)?
            }
        };
        let users = client
            .users()
            .list()
            .limit(PAGE)
            .stream()
            .try_collect::<Vec<User>>();
        let roles = client
            .roles()
            .list()
            .limit(PAGE)
            .stream()
            .try_collect::<Vec<Role>>();
        let restricted = client
            .resource_restrictions()
            .list()
            .limit(PAGE)
            .stream()
            .map_ok(|r| r.resource_id)
            .try_collect::<HashSet<String>>();
        let (users, roles, restricted) = futures::try_join!(users, roles, restricted)?;
        let mut bots = HashMap::new();
        let mut space_keys = Vec::new();
        if self.service_keys {
            // A few spaces at a time, in order; a space whose keys the
            // caller may not read is marked, not fatal.
            let ids: Vec<String> = spaces.iter().map(|space| space.id.clone()).collect();
            let listings: Vec<(String, Option<Vec<Key>>)> = stream::iter(ids)
                .map(|id| {
                    let listing = client
                        .api_keys()
                        .list()
                        .key_type(KeyType::Service)
                        .space(crate::refs::SpaceRef::Id(id.clone()))
                        .limit(PAGE)
                        .stream()
                        .try_collect::<Vec<Key>>();
                    async move {
                        match listing.await {
                            Ok(keys) => Ok((id, Some(keys))),
                            // Its keys from earlier pages go too: the space is
                            // marked as unread, not as partly read.
                            Err(e) if e.status() == Some(403) => Ok((id, None)),
                            Err(e) => Err(e),
                        }
                    }
                })
                .buffered(KEY_LISTINGS_AT_ONCE)
                .try_collect()
                .await?;
            for (space_id, keys) in listings {
                match keys {
                    Some(keys) => {
                        for key in keys {
                            if let Some(bot) = &key.bot_user {
                                bots.entry(bot.id.clone()).or_insert_with(|| key.clone());
                            }
                            space_keys.push((Some(key), space_id.clone()));
                        }
                    }
                    None => {
                        crate::core::warning::note(
                            METHOD,
                            &format!(
                                "the service keys of space {space_id} are not readable with this \
                                 key (403: SERVICE_KEY_READ is needed there); the review marks \
                                 the space"
                            ),
                        );
                        space_keys.push((None, space_id));
                    }
                }
            }
        }
        Ok(Directory {
            users: users.into_iter().map(|u| (u.id.clone(), u)).collect(),
            roles: roles.into_iter().map(|r| (r.id.clone(), r)).collect(),
            orgs: orgs.into_iter().map(|o| (o.id.clone(), o)).collect(),
            spaces: spaces.into_iter().map(|s| (s.id.clone(), s)).collect(),
            restricted,
            bots,
            keys: space_keys,
            scoped: self.org.is_some(),
        })
    }
}

/// The principal a binding's user is: a person, a bot, or unknown.
fn principal(directory: &Directory, user_id: &str, row: &mut AccessRow) {
    if let Some(user) = directory.users.get(user_id) {
        row.principal_type = PrincipalType::User;
        row.principal = user.email.clone();
        row.name = user.name.clone();
        row.status = user
            .status
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        row.account_role = user.role.label();
    } else if let Some(key) = directory.bots.get(user_id) {
        bot(key, row);
    }
}

/// Fills a row's principal from a service key.
fn bot(key: &Key, row: &mut AccessRow) {
    row.principal_type = PrincipalType::ServiceKey;
    row.principal = key.name.clone();
    if let Some(bot) = &key.bot_user {
        row.principal_id = bot.id.clone();
        row.name = bot.name.clone();
        if bot.name.is_empty() {
            // The document: the server failed to look this bot user up, and
            // its account role is a MEMBER placeholder, not its role.
            row.note = "the server could not look this bot user up: its account role is unknown"
                .to_owned();
            return;
        }
        row.account_role = match &bot.account_role {
            Some(arize_ax_api::open::RoleAssignment::Predefined(role)) => role.as_str().to_owned(),
            Some(arize_ax_api::open::RoleAssignment::Custom { id, name }) => {
                name.clone().unwrap_or_else(|| id.clone())
            }
            _ => String::new(),
        };
    }
}

/// A row without principal, role or resource.
fn blank(granted_by: Grant) -> AccessRow {
    AccessRow {
        principal_type: PrincipalType::Unknown,
        principal_id: String::new(),
        principal: String::new(),
        name: String::new(),
        status: String::new(),
        account_role: String::new(),
        organization_id: String::new(),
        organization: String::new(),
        resource_type: String::new(),
        resource_id: String::new(),
        resource: String::new(),
        role_id: String::new(),
        role: String::new(),
        role_type: String::new(),
        permissions: Vec::new(),
        granted_by,
        binding_id: String::new(),
        restricted: false,
        note: String::new(),
    }
}

/// Fills a row's resource from a space.
fn space(directory: &Directory, space_id: &str, row: &mut AccessRow) {
    row.resource_type = ResourceType::Space.as_str().to_owned();
    row.resource_id = space_id.to_owned();
    if let Some(space) = directory.spaces.get(space_id) {
        row.resource = space.name.clone();
        if let Some(org) = &space.organization_id {
            row.organization_id = org.clone();
            row.organization = directory
                .orgs
                .get(org)
                .map(|o| o.name.clone())
                .unwrap_or_default();
        }
    }
    row.restricted = directory.restricted.contains(space_id);
}

/// The row of one binding; `None` for a binding outside the review (a
/// space of another organization when one is reviewed).
fn binding_row(directory: &Directory, binding: RoleBinding) -> Option<AccessRow> {
    let on_space = binding.resource_type.as_ref() == Some(&ResourceType::Space);
    if directory.scoped && !(on_space && directory.spaces.contains_key(&binding.resource_id)) {
        return None;
    }
    let mut row = blank(Grant::RoleBinding);
    row.principal_id = binding.user_id.clone();
    principal(directory, &binding.user_id, &mut row);
    if on_space {
        space(directory, &binding.resource_id, &mut row);
    } else {
        row.resource_type = binding
            .resource_type
            .as_ref()
            .map(|t| t.as_str().to_owned())
            .unwrap_or_default();
        row.resource_id = binding.resource_id.clone();
        row.restricted = directory.restricted.contains(&binding.resource_id);
    }
    row.role_id = binding.role_id.clone();
    if let Some(role) = directory.roles.get(&binding.role_id) {
        row.role = role.name.clone();
        row.role_type = if role.is_predefined {
            "predefined"
        } else {
            "custom"
        }
        .to_owned();
        if !role.is_predefined {
            row.permissions = role
                .permissions
                .iter()
                .map(|p| p.as_str().to_owned())
                .collect();
        }
    }
    row.binding_id = binding.id;
    Some(row)
}

/// The account-level rows: each user's account role (an account admin
/// reaches everything). Reviewing one organization, only the account
/// admins (the API does not say who else belongs to it).
fn account_rows(directory: &Directory) -> Vec<AccessRow> {
    let mut users: Vec<&User> = directory
        .users
        .values()
        .filter(|u| {
            !directory.scoped
                || (u.role.type_ == "PREDEFINED" && u.role.name.as_deref() == Some("ADMIN"))
        })
        .collect();
    users.sort_by(|a, b| (&a.email, &a.id).cmp(&(&b.email, &b.id)));
    users
        .into_iter()
        .map(|user| {
            let mut row = blank(Grant::AccountRole);
            row.principal_id = user.id.clone();
            principal(directory, &user.id, &mut row);
            row.resource_type = "ACCOUNT".to_owned();
            row.role = user.role.name.clone().unwrap_or_default();
            row.role_id = user.role.id.clone().unwrap_or_default();
            row.role_type = match user.role.type_.as_str() {
                "PREDEFINED" => "predefined".to_owned(),
                "CUSTOM" => "custom".to_owned(),
                _ => String::new(),
            };
            if let Some(role) = directory.roles.get(&row.role_id)
                && !role.is_predefined
            {
                row.permissions = role
                    .permissions
                    .iter()
                    .map(|p| p.as_str().to_owned())
                    .collect();
            }
            row
        })
        .collect()
}

/// The rows of the service keys listed per space: each key reaches the
/// space it was listed under (with a role the API does not list).
fn key_rows(directory: &Directory) -> Vec<AccessRow> {
    directory
        .keys
        .iter()
        .map(|(key, space_id)| {
            let mut row = blank(Grant::ServiceKey);
            match key {
                Some(key) => bot(key, &mut row),
                None => {
                    row.note = "this space's service keys are not readable with the key used \
                                (403): they are not in the review"
                        .to_owned()
                }
            }
            space(directory, space_id, &mut row);
            row
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bot_user_the_server_could_not_look_up_has_no_account_role() {
        let key: Key = serde_json::from_str(
            r#"{"id": "QXBpS2V5OjE=", "name": "nightly", "key_type": "SERVICE",
                "bot_user": {"id": "VXNlcjo5", "name": "",
                             "account_role": {"type": "PREDEFINED", "name": "MEMBER"}}}"#,
        )
        .unwrap();
        let mut row = blank(Grant::ServiceKey);
        bot(&key, &mut row);
        assert_eq!(row.principal_type, PrincipalType::ServiceKey);
        assert_eq!(row.account_role, "", "MEMBER is a placeholder there");
        assert!(row.note.contains("could not look"), "{}", row.note);

        let key: Key = serde_json::from_str(
            r#"{"id": "QXBpS2V5OjE=", "name": "nightly", "key_type": "SERVICE",
                "bot_user": {"id": "VXNlcjo5", "name": "nightly",
                             "account_role": {"type": "PREDEFINED", "name": "MEMBER"}}}"#,
        )
        .unwrap();
        let mut row = blank(Grant::ServiceKey);
        bot(&key, &mut row);
        assert_eq!(
            (row.account_role.as_str(), row.note.as_str()),
            ("MEMBER", "")
        );
    }

    #[test]
    fn a_scoped_review_or_one_without_keys_names_what_it_leaves_out() {
        let client = Client::builder()
            .api_key("k")
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap();
        let all = client.access_review().gaps();
        assert_eq!(all.len(), NOT_SHOWN.len());
        let scoped = client
            .access_review()
            .organization("o")
            .service_keys(false)
            .gaps();
        assert!(scoped.iter().any(|g| g.starts_with("project bindings")));
        assert!(
            scoped
                .iter()
                .any(|g| g.starts_with("service keys: not listed"))
        );
    }
}
