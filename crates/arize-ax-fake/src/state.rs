//! The state that owns every resource's table, the [`Directory`] the
//! resources see each other through, and the cascades ([`Event`]s) between
//! them. Also the seeding and inspection methods that tests and the builder
//! use.

use arize_ax_api::open::{Permission, UserRole, UserSpaceRole, UserStatus};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::core::{Answer, Call, Directory, Event, Ids, Reply};
use crate::resources::api_keys::{self, ApiKey, ApiKeys};
use crate::resources::audit_logs::AuditLog;
use crate::resources::memberships::{self, Membership, Memberships};
use crate::resources::organizations::{self, Org, Orgs};
use crate::resources::resource_restrictions::{self, Restriction, Restrictions};
use crate::resources::role_bindings::{self, RoleBinding, RoleBindings};
use crate::resources::roles::{self, CustomRoles, Role};
use crate::resources::space_members::{self, SpaceMember, SpaceMembers, SpaceRole};
use crate::resources::spaces::{self, Space, Spaces};
use crate::resources::users::{self, User, Users};

/// Everything the fake knows. Each resource is a [`Table`](crate::core::Table)
/// in creation order under a sequence number, which cursors point into, so a
/// page costs O(page) whatever the total.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    #[serde(flatten)]
    pub(crate) ids: Ids,
    pub(crate) orgs: Orgs,
    pub(crate) users: Users,
    #[serde(default)]
    pub(crate) memberships: Memberships,
    #[serde(default)]
    pub(crate) spaces: Spaces,
    #[serde(default)]
    pub(crate) space_members: SpaceMembers,
    /// The account's custom roles (the built-in ones are not stored).
    #[serde(default)]
    pub(crate) custom_roles: CustomRoles,
    /// Grants of a role to a user on a space or project.
    #[serde(default)]
    pub(crate) role_bindings: RoleBindings,
    /// Personal and service keys the fake issued (revoked ones kept).
    #[serde(default)]
    pub(crate) api_keys: ApiKeys,
    /// Projects, dashboards and prompts restricted to their own bindings.
    #[serde(default)]
    pub(crate) resource_restrictions: Restrictions,
    /// Every call served, while audit logging is on; in memory only (a
    /// state file does not keep it).
    #[serde(skip)]
    pub(crate) audit_log: AuditLog,
    /// The user who owns the API key (the first active admin): the caller
    /// of every request, who cannot remove themselves.
    #[serde(default)]
    pub(crate) caller: Option<String>,
}

/// The state answers the resources' questions about each other. While a
/// handler changes one table (`State::with`), that table is out of the
/// state: a resource never asks the directory about its own table.
impl Directory for State {
    fn organization_exists(&self, id: &str) -> bool {
        self.orgs.get(id).is_some()
    }
    /// A person of the account, or the bot user of a live service key.
    fn user_account_role(&self, id: &str) -> Option<UserRole> {
        users::active(&self.users, id)
            .map(|u| u.account_role.clone())
            .or_else(|| api_keys::bot_account_role(&self.api_keys, id))
    }
    fn custom_role_name(&self, id: &str) -> Option<String> {
        self.custom_roles.get(id).map(|r| r.name.clone())
    }
    fn is_organization_member(&self, org_id: &str, user_id: &str) -> bool {
        self.memberships.by_name(org_id, user_id).is_some()
    }
    fn space_organization(&self, space_id: &str) -> Option<String> {
        spaces::organization_of(&self.spaces, space_id)
    }
    /// An organization or space membership holding the role, or a role
    /// binding of it, uses it.
    fn role_in_use(&self, role_id: &str) -> bool {
        let held = Some(role_id);
        role_bindings::uses_role(&self.role_bindings, role_id)
            || self
                .memberships
                .values()
                .any(|m| m.custom_role_id.as_deref() == held)
            || self
                .space_members
                .values()
                .any(|m| m.custom_role_id.as_deref() == held)
    }
    fn role_exists(&self, role_id: &str) -> bool {
        self.custom_roles.get(role_id).is_some()
            || roles::predefined(&self.ids).iter().any(|r| r.id == role_id)
    }
}

impl State {
    /// An empty account whose IDs derive from `seed`.
    pub fn new(seed: u64) -> Self {
        State {
            ids: Ids::new(seed),
            ..State::default()
        }
    }

    /// Kept for callers of earlier versions: tables index themselves when
    /// loaded, so this does nothing.
    pub fn reindex(&mut self) {}

    /// Runs `change` on the table `pick` chooses, with the IDs, while the
    /// rest of the state answers as the [`Directory`]. The table is taken
    /// out for the call and put back after it; the IDs are lent as a copy
    /// (the directory still knows the seed) and the copy kept.
    pub(crate) fn with<T: Default, R>(
        &mut self,
        pick: fn(&mut State) -> &mut T,
        change: impl FnOnce(&mut T, &mut Ids, &dyn Directory) -> R,
    ) -> R {
        let mut table = std::mem::take(pick(self));
        let mut ids = self.ids.clone();
        let result = change(&mut table, &mut ids, &*self);
        *pick(self) = table;
        self.ids = ids;
        result
    }

    /// The reply of a change that cascades, once every resource that
    /// follows its event has followed it.
    pub(crate) fn settle(&mut self, outcome: Answer<(Reply, Event)>) -> Answer<Reply> {
        let (reply, event) = outcome?;
        self.follow(&event);
        Ok(reply)
    }

    /// Applies a cascade to every resource that follows it.
    pub(crate) fn follow(&mut self, event: &Event) {
        memberships::follow(&mut self.memberships, event);
        spaces::follow(&mut self.spaces, event);
        space_members::follow(&mut self.space_members, event);
        role_bindings::follow(&mut self.role_bindings, event);
        api_keys::follow(&mut self.api_keys, event);
    }

    /// Adds `count` organizations named `org-00001`, `org-00002`, ….
    pub fn seed_orgs(&mut self, count: usize) {
        let width = count.to_string().len().max(5);
        for i in 1..=count {
            let name = format!("org-{i:0width$}");
            let description = format!("Seeded organization {i}");
            // Seeded names are unique, so this cannot fail.
            let _ = organizations::insert(&mut self.orgs, &mut self.ids, name, description);
        }
    }

    /// Creates an organization from a `POST /v2/organizations` body, with
    /// the same rules (but not the HTTP layer's check for fields the schema
    /// lacks, which serde's refusal replaces with a 422).
    ///
    /// # Errors
    ///
    /// 422 for a body that does not fit, 409 for a taken name.
    pub fn create_org(&mut self, body: &Map<String, Value>) -> Answer<Org> {
        let call = Call {
            body: serde_json::to_vec(body).expect("JSON serialises"),
            ..Call::default()
        };
        organizations::create_org(&mut self.orgs, &mut self.ids, &call)
    }

    /// Adds an active account user; returns it.
    pub fn add_account_user(&mut self, name: &str, email: &str, account_role: &str) -> User {
        self.add_account_user_with_status(name, email, account_role, "ACTIVE")
    }

    /// Adds an account user with a status (`ACTIVE`, `INVITED`, `EXPIRED`,
    /// or any other word); returns it.
    pub fn add_account_user_with_status(
        &mut self,
        name: &str,
        email: &str,
        account_role: &str,
        status: &str,
    ) -> User {
        users::insert(
            &mut self.users,
            &mut self.ids,
            &mut self.caller,
            name,
            email,
            UserRole::from(account_role.to_owned()),
            UserStatus::from(status.to_owned()),
        )
    }

    /// Adds a custom RBAC role granting
    /// [`SEEDED_PERMISSIONS`](crate::resources::roles::SEEDED_PERMISSIONS);
    /// returns it (or the custom role the name already belongs to). Its ID
    /// does not use the shared sequence, so adding roles leaves every other
    /// ID as it was.
    pub fn add_custom_role(&mut self, name: &str) -> Role {
        roles::insert(&mut self.custom_roles, &self.ids, name)
    }

    /// Adds a custom RBAC role with a description and permissions (stored
    /// as given, unchecked); returns it (or the custom role the name
    /// already belongs to). Its ID does not use the shared sequence.
    pub fn add_role(&mut self, name: &str, description: &str, permissions: &[Permission]) -> Role {
        roles::seed(
            &mut self.custom_roles,
            &self.ids,
            name,
            description,
            permissions,
        )
    }

    /// The built-in roles every account has (`ADMIN`, `MEMBER`,
    /// `READ_ONLY`, `ANNOTATOR`), as `list_roles` shows them first.
    pub fn predefined_roles(&self) -> Vec<Role> {
        roles::predefined(&self.ids)
    }

    /// Makes `user_id` a member of a space with a built-in space role
    /// (`ADMIN`, `MEMBER`, `READ_ONLY`, `ANNOTATOR`), with the rules of
    /// `POST /v2/spaces/{space_id}/users` (an upsert); returns the
    /// membership.
    ///
    /// # Errors
    ///
    /// 404 for an unknown space or user, 400 for a user outside the
    /// space's organization or against the annotator rule, 422 for an
    /// unknown role.
    pub fn add_space_member(
        &mut self,
        space_id: &str,
        user_id: &str,
        role: &str,
    ) -> Answer<SpaceMember> {
        let role = SpaceRole::Predefined(UserSpaceRole::from(role.to_owned()));
        self.with(
            |s| &mut s.space_members,
            |members, ids, dir| space_members::upsert(members, ids, dir, space_id, user_id, role),
        )
        .map(|(member, _)| member)
    }

    /// [`add_space_member`](Self::add_space_member) with a custom role, by
    /// its ID (404 for an unknown one).
    ///
    /// # Errors
    ///
    /// As [`add_space_member`](Self::add_space_member).
    pub fn add_space_member_with_custom_role(
        &mut self,
        space_id: &str,
        user_id: &str,
        role_id: &str,
    ) -> Answer<SpaceMember> {
        let role = SpaceRole::Custom(role_id.to_owned());
        self.with(
            |s| &mut s.space_members,
            |members, ids, dir| space_members::upsert(members, ids, dir, space_id, user_id, role),
        )
        .map(|(member, _)| member)
    }

    /// Adds a space to an organization (as the Arize UI would); returns it.
    /// Its ID does not use the shared sequence.
    ///
    /// # Errors
    ///
    /// 404 for an unknown organization, 409 for a name its organization
    /// already has.
    pub fn add_space(&mut self, org_id: &str, name: &str, is_private: bool) -> Answer<Space> {
        self.with(
            |s| &mut s.spaces,
            |spaces, ids, dir| spaces::insert(spaces, ids, dir, org_id, name, is_private),
        )
    }

    /// Gives every organization `per_org` spaces: `default`, then
    /// `restricted` (private), then `space-3`, `space-4`, …. Linear: each
    /// name is checked with one look-up in the spaces' name index.
    pub fn seed_spaces(&mut self, per_org: usize) {
        let orgs: Vec<String> = self.orgs.values().map(|o| o.id.clone()).collect();
        for org in orgs {
            for i in 1..=per_org {
                let (name, private) = spaces::seeded(i);
                // Seeded names are unique within the organization.
                let _ = self.add_space(&org, &name, private);
            }
        }
    }

    /// How many records list calls have visited so far. Without a filter a
    /// page visits at most `limit + 1` records, wherever its cursor points.
    pub fn records_examined(&self) -> u64 {
        self.orgs.examined()
            + self.users.examined()
            + self.spaces.examined()
            + self.custom_roles.examined()
    }

    /// How many records the fake has compared or visited outside list
    /// pages so far: a name look-up counts one, a walk over a table one per
    /// record. Seeding N organizations with their spaces costs O(N) of them
    /// (a scan of the spaces per space added would cost O(N²)).
    pub fn records_compared(&self) -> u64 {
        let tables = [
            (self.orgs.probes(), self.orgs.walked()),
            (self.users.probes(), self.users.walked()),
            (self.spaces.probes(), self.spaces.walked()),
            (self.memberships.probes(), self.memberships.walked()),
            (self.space_members.probes(), self.space_members.walked()),
            (self.custom_roles.probes(), self.custom_roles.walked()),
        ];
        tables.iter().map(|(p, w)| p + w).sum()
    }

    /// Every organization, oldest first.
    pub fn orgs(&self) -> Vec<Org> {
        self.orgs.values().cloned().collect()
    }

    /// Every account user, oldest first.
    pub fn users(&self) -> Vec<User> {
        self.users.values().cloned().collect()
    }

    /// Every membership.
    pub fn memberships(&self) -> Vec<Membership> {
        self.memberships.values().cloned().collect()
    }

    /// Every space.
    pub fn spaces(&self) -> Vec<Space> {
        self.spaces.values().cloned().collect()
    }

    /// Every custom role (the built-in ones are
    /// [`predefined_roles`](Self::predefined_roles)).
    pub fn custom_roles(&self) -> Vec<Role> {
        self.custom_roles.values().cloned().collect()
    }

    /// The custom role with this ID.
    pub fn custom_role(&self, id: &str) -> Option<&Role> {
        self.custom_roles.get(id)
    }

    /// The space with this ID.
    pub fn space(&self, id: &str) -> Option<&Space> {
        self.spaces.get(id)
    }

    /// Every space membership, oldest first.
    pub fn space_members(&self) -> Vec<SpaceMember> {
        self.space_members.values().cloned().collect()
    }

    /// Every API key the fake issued, oldest first (secrets included:
    /// `expose_secret` on [`ApiKey::secret`]).
    pub fn api_keys(&self) -> Vec<ApiKey> {
        self.api_keys.values().cloned().collect()
    }

    /// The user a bearer token acts as: the owner of the server's own key
    /// (`master`), or of a live key the fake issued (whose last use is
    /// noted); `None` when the token authenticates nothing.
    pub(crate) fn authenticate(&mut self, token: &str, master: bool) -> Option<Option<String>> {
        if master {
            return Some(self.caller.clone());
        }
        api_keys::authenticate(&mut self.api_keys, token, chrono::Utc::now()).map(Some)
    }

    /// Every restriction the account has (hidden ones included), oldest
    /// first.
    pub fn resource_restrictions(&self) -> Vec<Restriction> {
        self.resource_restrictions.values().cloned().collect()
    }

    /// Adds `count` restrictions of projects that no caller may manage:
    /// pages of `list_resource_restrictions` read them and leave them out,
    /// as Arize does for entries outside the caller's rights (so a page is
    /// short, or empty, while more follow).
    pub fn add_hidden_restrictions(&mut self, count: usize) {
        resource_restrictions::seed_hidden(&mut self.resource_restrictions, &mut self.ids, count);
    }

    /// The audit log (every call served while audit logging is on).
    pub fn audit_log(&self) -> &AuditLog {
        &self.audit_log
    }

    /// Turns the account's audit logging on or off.
    pub fn set_audit_logging(&mut self, enabled: bool) {
        self.audit_log.set_enabled(enabled);
    }

    /// Adds `count` entries to the audit log, made by the account's users
    /// in turn, the newest a second ago and each `spacing` older than the
    /// next.
    pub fn seed_audit_log(&mut self, count: usize, spacing: chrono::Duration) {
        let users: Vec<String> = self.users.values().map(|u| u.id.clone()).collect();
        self.audit_log
            .seed(&self.ids, count, &users, chrono::Utc::now(), spacing);
    }

    /// Records a call served for `caller` in the audit log.
    pub(crate) fn audit(&mut self, op: &arize_ax_api::Operation, call: &Call) {
        let caller = call.caller.clone().unwrap_or_default();
        self.audit_log.record(&self.ids, op, call, &caller);
    }

    /// Every role binding, oldest first.
    pub fn role_bindings(&self) -> Vec<RoleBinding> {
        self.role_bindings.values().cloned().collect()
    }

    /// The memberships of one space, oldest first.
    pub fn members_of_space(&self, space_id: &str) -> Vec<SpaceMember> {
        self.space_members
            .values()
            .filter(|m| m.space_id == space_id)
            .cloned()
            .collect()
    }
}

/// Parses an RFC 3339 timestamp (for callers inspecting state).
pub fn parse_time(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_deterministic_and_some_need_encoding() {
        let mut a = State::new(7);
        let mut b = State::new(7);
        a.seed_orgs(20);
        b.seed_orgs(20);
        assert_eq!(a.orgs(), b.orgs());
        let ids: Vec<String> = a.orgs().into_iter().map(|o| o.id).collect();
        assert!(ids.iter().any(|id| id.contains('+')), "{ids:?}");
        assert!(ids.iter().any(|id| id.contains('/')), "{ids:?}");
        assert!(ids.iter().any(|id| id.contains('=')), "{ids:?}");
        let mut c = State::new(8);
        c.seed_orgs(1);
        assert_ne!(c.orgs()[0].id, a.orgs()[0].id);
    }

    #[test]
    fn seeding_compares_each_new_space_with_o_1_records() {
        const N: u64 = 2_000;
        let mut s = State::new(1);
        s.seed_orgs(N as usize);
        s.seed_spaces(2);
        // A look-up per organization and per space, and one walk over the
        // organizations: linear. Scanning the spaces for a clash, as seeding
        // once did, visits about N² of them.
        let compared = s.records_compared();
        assert!(
            compared < 10 * N,
            "{compared} records compared for {N} organizations"
        );
        assert_eq!(s.spaces().len() as u64, 2 * N);
        // The index still refuses a taken name and forgets a deleted
        // organization's.
        let org = s.orgs()[0].id.clone();
        assert_eq!(s.add_space(&org, "default", false).unwrap_err().status, 409);
        s.follow(&Event::OrganizationDeleted(org.clone()));
        s.orgs.remove(&org);
        assert_eq!(s.add_space(&org, "default", false).unwrap_err().status, 404);
        assert_eq!(s.spaces().len() as u64, 2 * N - 2);
    }

    #[test]
    fn state_survives_serialisation() {
        let mut s = State::new(3);
        s.seed_orgs(3);
        s.seed_spaces(2);
        s.add_account_user("A", "a@example.com", "ADMIN");
        s.add_custom_role("Reviewer");
        let text = serde_json::to_string(&s).unwrap();
        let mut back: State = serde_json::from_str(&text).unwrap();
        assert_eq!(back.orgs(), s.orgs());
        assert_eq!(back.users(), s.users());
        assert_eq!(back.spaces(), s.spaces());
        assert_eq!(back.custom_roles(), s.custom_roles());
        let id = s.orgs()[1].id.clone();
        assert_eq!(back.orgs.get(&id).unwrap().name, "org-00002");
        // The indexes came back: a taken space name is refused.
        assert!(back.add_space(&id, "default", false).is_err());
        // New IDs continue the sequence instead of colliding.
        back.create_org(serde_json::json!({"name": "new"}).as_object().unwrap())
            .unwrap();
        let ids: Vec<String> = back.orgs().into_iter().map(|o| o.id).collect();
        let distinct: std::collections::BTreeSet<&String> = ids.iter().collect();
        assert_eq!(distinct.len(), ids.len());
    }

    #[test]
    fn a_bad_timestamp_in_a_state_file_is_an_error() {
        let mut s = State::new(3);
        s.seed_orgs(1);
        let mut value = serde_json::to_value(&s).unwrap();
        value["orgs"]["1"]["created_at"] = "yesterday".into();
        let err = serde_json::from_value::<State>(value).unwrap_err();
        assert!(
            err.to_string().contains("created_at") || err.to_string().contains("input"),
            "{err}"
        );
    }

    #[test]
    fn lists_in_older_state_files_load() {
        let text = r#"{"seed": 0, "next_seq": 3, "orgs": {}, "users": {},
            "memberships": [{"id": "m", "user_id": "u", "organization_id": "o", "role": "MEMBER"}],
            "custom_roles": [{"id": "r", "name": "Reviewer"}]}"#;
        let s: State = serde_json::from_str(text).unwrap();
        assert_eq!(s.memberships().len(), 1);
        assert_eq!(s.custom_role("r").unwrap().name, "Reviewer");
        assert!(s.custom_role("r").unwrap().permissions.is_empty());
        assert!(s.space_members().is_empty());
    }

    #[test]
    fn spaces_and_roles_of_older_state_files_load_with_the_defaults() {
        let text = r#"{"seed": 0, "next_seq": 3, "orgs": {}, "users": {},
            "spaces": {"1": {"id": "s", "name": "default", "description": "",
                             "created_at": "2025-01-01T00:01:01Z", "is_private": false,
                             "organization_id": "o"}},
            "custom_roles": {"1": {"id": "r", "name": "Reviewer"}}}"#;
        let s: State = serde_json::from_str(text).unwrap();
        let space = s.space("s").unwrap();
        assert!(space.ml_models_enabled);
        assert_eq!(space.default_llm_integration, None);
        let role = s.custom_role("r").unwrap();
        assert!(!role.is_predefined);
        assert_eq!(role.created_at, None);
    }

    #[test]
    fn seeded_ids_stay_as_they_were() {
        let mut s = State::new(3);
        let reviewer = s.add_custom_role("Reviewer");
        assert_eq!(reviewer.id, s.ids.plain_id("Role", 1));
        assert_eq!(reviewer.permissions, roles::SEEDED_PERMISSIONS);
        // The same name again is the same role.
        assert_eq!(s.add_custom_role("Reviewer").id, reviewer.id);
        let second = s.add_role("Curator", "Datasets.", &[Permission::DatasetCreate]);
        assert_eq!(second.id, s.ids.plain_id("Role", 2));
        assert_eq!(second.description, "Datasets.");
        s.seed_orgs(1);
        s.seed_spaces(2);
        assert_eq!(s.spaces()[1].id, s.ids.plain_id("Space", 2));
        // Built-in roles are not stored, and their IDs differ from custom ones.
        assert_eq!(s.custom_roles().len(), 2);
        let built_in = s.predefined_roles();
        assert_eq!(built_in.len(), 4);
        assert!(
            built_in
                .iter()
                .all(|r| r.is_predefined && r.id != reviewer.id)
        );
    }

    #[test]
    fn space_members_are_seeded_with_the_rules() {
        let mut s = State::new(3);
        s.seed_orgs(1);
        s.seed_spaces(1);
        let org = s.orgs()[0].id.clone();
        let space = s.spaces()[0].id.clone();
        let user = s.add_account_user("M", "m@example.com", "MEMBER").id;
        assert_eq!(
            s.add_space_member(&space, &user, "MEMBER")
                .unwrap_err()
                .status,
            400
        );
        let call = Call {
            params: vec![("org_id", org)],
            body: serde_json::to_vec(&serde_json::json!({
                "user_id": user, "role": {"type": "PREDEFINED", "name": "MEMBER"}}))
            .unwrap(),
            ..Call::default()
        };
        s.with(
            |s| &mut s.memberships,
            |t, ids, dir| memberships::add(t, ids, dir, &call),
        )
        .unwrap();
        let member = s.add_space_member(&space, &user, "READ_ONLY").unwrap();
        assert_eq!(member.role, UserSpaceRole::ReadOnly);
        let role = s.add_custom_role("Reviewer").id;
        let again = s
            .add_space_member_with_custom_role(&space, &user, &role)
            .unwrap();
        assert_eq!(again.id, member.id);
        assert_eq!(again.custom_role_id.as_deref(), Some(role.as_str()));
        assert_eq!(s.members_of_space(&space), [again]);
    }
}
