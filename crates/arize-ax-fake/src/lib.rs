//! A stateful fake of the Arize AX admin API, for offline use, tests and
//! demos.
//!
//! It serves every operation of the checked-in spec (organizations, users,
//! memberships, spaces with their members, roles, role bindings, API keys,
//! audit logs, resource restrictions; `routes.rs` maps each to its handler)
//! with Arize's rules:
//! bearer authentication, base64 IDs (some with `+`, `/` and `=`, decoded
//! from the path), a case-insensitive substring name filter, opaque cursors,
//! `limit` 1–100 (default 50), 400/422 for invalid bodies, 409 for a taken
//! name, 404s, cascading deletes, the add-user upsert with the annotator rule,
//! 204s without a body, and RFC 9457 `application/problem+json` errors. It
//! also injects faults (statuses, `Retry-After`, delays, dropped connections,
//! malformed bodies, redirects) and logs every request.
//!
//! ```
//! use arize_ax_fake::{FakeArize, Fault};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let fake = FakeArize::builder().api_key("test").seed_orgs(3).start().await?;
//! fake.inject(Fault::rate_limited(1).on("GET", "/v2/organizations"));
//!
//! let url = format!("{}/v2/organizations", fake.base_url());
//! let answer = reqwest::Client::new().get(&url).bearer_auth("test").send().await.unwrap();
//! assert_eq!(answer.status(), 429);
//! assert_eq!(fake.organizations().len(), 3);
//! assert_eq!(fake.requests().len(), 1);
//! # Ok(())
//! # }
//! ```
//!
//! Inside: [`core`] (a generic [`core::Table`], paging, errors, faults,
//! HTTP helpers) knows no resource; each module of [`resources`] holds one
//! resource's records, rules and handlers and imports only the core;
//! [`State`] owns the tables and applies cascades between resources.
//!
//! The binary `arize-ax-fake --port 0 --api-key KEY --seed N [--state FILE]`
//! serves on 127.0.0.1 and prints its base URL as the first line of stdout.

pub mod core;
mod pace;
pub mod resources;
mod routes;
pub mod serve;
mod server;
mod state;
pub mod wire;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use crate::core::Problem;
pub use crate::core::faults::{Fault, FaultAction};
pub use crate::core::file::write_atomically;
pub use resources::api_keys::{ApiKey, BotOrganization, BotSpace, BotUser};
pub use resources::memberships::{MemberRole, Membership};
pub use resources::organizations::Org;
pub use resources::role_bindings::RoleBinding;
pub use resources::roles::{CustomRole, Role};
pub use resources::space_members::SpaceMember;
pub use resources::spaces::{LlmDefault, Space};
pub use resources::users::{Created, User};
pub use server::{MAX_LOGGED_REQUESTS, RecordedRequest};
pub use state::{State, parse_time};

use server::App;

/// The users every fake starts with (unless
/// [`FakeArizeBuilder::no_default_users`]): name, email, account role,
/// status.
pub const DEFAULT_USERS: &[(&str, &str, &str, &str)] = &[
    ("Alice Admin", "alice@example.com", "ADMIN", "ACTIVE"),
    ("Bob Member", "bob@example.com", "MEMBER", "ACTIVE"),
    ("Ann Annotator", "ann@example.com", "ANNOTATOR", "ACTIVE"),
    ("Ivy Invited", "ivy@example.com", "MEMBER", "INVITED"),
    ("Ed Expired", "ed@example.com", "MEMBER", "EXPIRED"),
];

/// Settings for a [`FakeArize`].
#[derive(Debug, Clone)]
pub struct FakeArizeBuilder {
    api_key: String,
    seed: u64,
    orgs: usize,
    spaces_per_org: usize,
    log_limit: usize,
    users: Vec<(String, String, String, String)>,
    default_users: bool,
    addr: SocketAddr,
    state_file: Option<PathBuf>,
    latency: Duration,
    jitter: Duration,
    rate_limit: Option<(f64, u32)>,
    omit_empty: bool,
    audit_logging: bool,
    audit_entries: usize,
    hidden_restrictions: usize,
}

impl Default for FakeArizeBuilder {
    fn default() -> Self {
        FakeArizeBuilder {
            api_key: "test".into(),
            seed: 0,
            orgs: 0,
            spaces_per_org: 0,
            log_limit: MAX_LOGGED_REQUESTS,
            users: Vec::new(),
            default_users: true,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            state_file: None,
            latency: Duration::ZERO,
            jitter: Duration::ZERO,
            rate_limit: None,
            omit_empty: false,
            audit_logging: true,
            audit_entries: 0,
            hidden_restrictions: 0,
        }
    }
}

impl FakeArizeBuilder {
    /// The API key clients must present (default `test`).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = key.into();
        self
    }

    /// How many requests [`FakeArize::requests`] keeps at most (default
    /// [`MAX_LOGGED_REQUESTS`]); past it, the older half is dropped.
    pub fn max_logged_requests(mut self, n: usize) -> Self {
        self.log_limit = n;
        self
    }

    /// Gives each seeded organization this many spaces (default 0): the
    /// first public, the second private.
    pub fn spaces_per_org(mut self, n: usize) -> Self {
        self.spaces_per_org = n;
        self
    }

    /// The seed IDs derive from (default 0): the same seed gives the same IDs.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Starts with this many organizations, named `org-00001`, ….
    pub fn seed_orgs(mut self, count: usize) -> Self {
        self.orgs = count;
        self
    }

    /// Adds an account user with an account role (`ADMIN`, `MEMBER`,
    /// `ANNOTATOR`).
    pub fn user(self, name: &str, email: &str, account_role: &str) -> Self {
        self.user_with_status(name, email, account_role, "ACTIVE")
    }

    /// Adds an account user with an account role and a status (`ACTIVE`,
    /// `INVITED`, `EXPIRED`, or any other word, to see how clients cope).
    pub fn user_with_status(
        mut self,
        name: &str,
        email: &str,
        account_role: &str,
        status: &str,
    ) -> Self {
        self.users.push((
            name.into(),
            email.into(),
            account_role.into(),
            status.into(),
        ));
        self
    }

    /// Leaves out [`DEFAULT_USERS`].
    pub fn no_default_users(mut self) -> Self {
        self.default_users = false;
        self
    }

    /// Where to listen (default `127.0.0.1:0`, a free port).
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Loads state from this JSON file if it exists (seeding is then
    /// skipped), and saves it there atomically after every change.
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    /// Adds this delay to every request.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Adds up to this much more delay to each request, chosen at random
    /// (with [`latency`](Self::latency): a realistic spread of answer times).
    pub fn jitter(mut self, jitter: Duration) -> Self {
        self.jitter = jitter;
        self
    }

    /// Accepts `per_second` requests a second with bursts of up to `burst`
    /// (a token bucket, full at the start); beyond that it answers 429 with
    /// an integer `Retry-After`, as Arize's gateway does.
    ///
    /// ```
    /// # async fn run() -> std::io::Result<()> {
    /// let fake = arize_ax_fake::FakeArize::builder()
    ///     .rate_limit(40.0, 40)
    ///     .latency(std::time::Duration::from_millis(20))
    ///     .start()
    ///     .await?;
    /// # let _ = fake;
    /// # Ok(())
    /// # }
    /// ```
    pub fn rate_limit(mut self, per_second: f64, burst: u32) -> Self {
        self.rate_limit = Some((per_second, burst));
        self
    }

    /// Answers as a server with Go's `omitempty` does: every field whose
    /// value is empty (`""`, `false`, `0`, `null`, `[]`, `{}`) is left out of
    /// each answer. Arize's document marks no response field as required, so
    /// such answers are valid; use this to test code against them.
    ///
    /// ```
    /// # async fn run() -> std::io::Result<()> {
    /// let fake = arize_ax_fake::FakeArize::builder().omit_empty(true).start().await?;
    /// // `{"organizations": [], "pagination": {"has_more": false}}` is now `{}`.
    /// # let _ = fake;
    /// # Ok(())
    /// # }
    /// ```
    pub fn omit_empty(mut self, omit: bool) -> Self {
        self.omit_empty = omit;
        self
    }

    /// Whether the account records an audit log (on by default). Off,
    /// nothing is recorded and `list_audit_logs` answers 403, as Arize does
    /// for an account without audit logging.
    pub fn audit_logging(mut self, enabled: bool) -> Self {
        self.audit_logging = enabled;
        self
    }

    /// Starts with `count` entries in the audit log (made by the account's
    /// users in turn, a second apart, the newest a second ago), as a busy
    /// account's log holds.
    pub fn audit_entries(mut self, count: usize) -> Self {
        self.audit_entries = count;
        self
    }

    /// Starts with `count` restrictions no caller may manage: listings read
    /// them and leave them out, so pages come back short or empty while
    /// more follow (see [`State::add_hidden_restrictions`]).
    pub fn hidden_restrictions(mut self, count: usize) -> Self {
        self.hidden_restrictions = count;
        self
    }

    fn initial_state(&self) -> std::io::Result<State> {
        if let Some(path) = &self.state_file
            && path.exists()
        {
            let text = std::fs::read(path)?;
            let state: State = serde_json::from_slice(&text).map_err(|e| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("{} is not a fake-server state file: {e}", path.display()),
                )
            })?;
            return Ok(state);
        }
        let mut state = State::new(self.seed);
        let defaults = DEFAULT_USERS.iter().filter(|_| self.default_users);
        for (name, email, role, status) in defaults {
            state.add_account_user_with_status(name, email, role, status);
        }
        for (name, email, role, status) in &self.users {
            state.add_account_user_with_status(name, email, role, status);
        }
        state.seed_orgs(self.orgs);
        state.seed_spaces(self.spaces_per_org);
        state.add_custom_role("Reviewer");
        Ok(state)
    }

    /// Binds the port and starts serving in the background of the current
    /// tokio runtime.
    ///
    /// # Errors
    ///
    /// When the address cannot be bound or the state file cannot be read.
    pub async fn start(self) -> std::io::Result<FakeArize> {
        let mut state = self.initial_state()?;
        state.set_audit_logging(self.audit_logging);
        state.seed_audit_log(self.audit_entries, chrono::Duration::seconds(1));
        state.add_hidden_restrictions(self.hidden_restrictions);
        let listener = tokio::net::TcpListener::bind(self.addr).await?;
        let addr = listener.local_addr()?;
        let app = Arc::new(App {
            api_key: self.api_key,
            state: Mutex::new(state),
            faults: Mutex::new(Vec::new()),
            log: Mutex::new(Vec::new()),
            log_limit: self.log_limit.max(1),
            latency: Mutex::new(self.latency),
            jitter: self.jitter,
            bucket: Mutex::new(
                self.rate_limit
                    .map(|(rate, burst)| pace::Bucket::new(rate, burst)),
            ),
            state_file: self.state_file,
            save_lock: Mutex::new(()),
            omit_empty: self.omit_empty,
        });
        app.save()?;
        let router = axum::Router::new()
            .fallback(server::handle)
            .with_state(app.clone());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(FakeArize {
            app,
            addr,
            stop: Some(stop),
            task,
        })
    }
}

/// A running fake server. It stops when dropped.
#[derive(Debug)]
pub struct FakeArize {
    app: Arc<App>,
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App").finish_non_exhaustive()
    }
}

impl FakeArize {
    /// Settings, starting from the defaults.
    pub fn builder() -> FakeArizeBuilder {
        FakeArizeBuilder::default()
    }

    /// `http://127.0.0.1:<port>`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The API key it expects.
    pub fn api_key(&self) -> &str {
        &self.app.api_key
    }

    /// Every organization, oldest first.
    pub fn organizations(&self) -> Vec<Org> {
        self.with_state(|s| s.orgs())
    }

    /// Every account user.
    pub fn users(&self) -> Vec<User> {
        self.with_state(|s| s.users())
    }

    /// Every custom role (one, `Reviewer`, unless a state file says
    /// otherwise).
    pub fn custom_roles(&self) -> Vec<CustomRole> {
        self.with_state(|s| s.custom_roles())
    }

    /// Every space.
    pub fn spaces(&self) -> Vec<Space> {
        self.with_state(|s| s.spaces())
    }

    /// Every membership.
    pub fn memberships(&self) -> Vec<Membership> {
        self.with_state(|s| s.memberships())
    }

    /// Every space membership, oldest first.
    pub fn space_members(&self) -> Vec<SpaceMember> {
        self.with_state(|s| s.space_members())
    }

    /// Every API key the fake issued, oldest first, revoked ones included.
    pub fn api_keys(&self) -> Vec<ApiKey> {
        self.with_state(|s| s.api_keys())
    }

    /// Every role binding, oldest first.
    pub fn role_bindings(&self) -> Vec<RoleBinding> {
        self.with_state(|s| s.role_bindings())
    }

    /// The built-in roles (`ADMIN`, `MEMBER`, `READ_ONLY`, `ANNOTATOR`),
    /// which `GET /v2/roles` lists before the custom ones.
    pub fn predefined_roles(&self) -> Vec<Role> {
        self.with_state(|s| s.predefined_roles())
    }

    /// Reads (or changes) the state directly.
    pub fn with_state<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let mut state = self.app.state.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut state)
    }

    /// Every request received so far, in order (the latest ones only past
    /// [`MAX_LOGGED_REQUESTS`], so a long-running server stays bounded).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.app
            .log
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// How many requests were received with this method whose raw path
    /// starts with `path_prefix`.
    pub fn request_count(&self, method: &str, path_prefix: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.method.eq_ignore_ascii_case(method) && r.path.starts_with(path_prefix))
            .count()
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        self.app
            .log
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// Adds a fault; faults are tried in the order they were added.
    pub fn inject(&self, fault: Fault) {
        self.app
            .faults
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(fault);
    }

    /// Removes every pending fault.
    pub fn clear_faults(&self) {
        self.app
            .faults
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// Sets the delay added to every request.
    pub fn set_latency(&self, latency: Duration) {
        *self.app.latency.lock().unwrap_or_else(|e| e.into_inner()) = latency;
    }

    /// Changes the rate limit from now on (a limit that drops or rises
    /// mid-run); the tokens the bucket holds stay, up to the new burst.
    /// Without a rate limit set at start, this sets one (starting full).
    pub fn set_rate_limit(&self, per_second: f64, burst: u32) {
        let mut bucket = self.app.bucket.lock().unwrap_or_else(|e| e.into_inner());
        match bucket.as_mut() {
            Some(bucket) => bucket.change(per_second, burst, std::time::Instant::now()),
            None => *bucket = Some(pace::Bucket::new(per_second, burst)),
        }
    }

    /// Saves the state file now (it is also saved after every change).
    ///
    /// # Errors
    ///
    /// When the file cannot be written.
    pub fn save(&self) -> std::io::Result<()> {
        self.app.save()
    }

    /// Stops serving and waits for the server task to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let task = std::mem::replace(&mut self.task, tokio::spawn(async {}));
        let _ = tokio::time::timeout(Duration::from_secs(5), task).await;
    }
}

impl Drop for FakeArize {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.task.abort();
    }
}

/// The one-way layering of the modules (see ARCHITECTURE.md): the core
/// imports nothing else of the crate, a resource imports the core only, and
/// the state imports neither the routes nor the HTTP layer.
#[cfg(test)]
mod layering {
    const CORE: &[(&str, &str)] = &[
        ("core/mod.rs", include_str!("core/mod.rs")),
        ("core/table.rs", include_str!("core/table.rs")),
        ("core/faults.rs", include_str!("core/faults.rs")),
        ("core/http.rs", include_str!("core/http.rs")),
        ("core/file.rs", include_str!("core/file.rs")),
    ];
    const RESOURCES: &[(&str, &str)] = &[
        ("resources/mod.rs", include_str!("resources/mod.rs")),
        (
            "resources/organizations.rs",
            include_str!("resources/organizations.rs"),
        ),
        ("resources/users.rs", include_str!("resources/users.rs")),
        (
            "resources/memberships.rs",
            include_str!("resources/memberships.rs"),
        ),
        ("resources/spaces.rs", include_str!("resources/spaces.rs")),
        ("resources/roles.rs", include_str!("resources/roles.rs")),
        (
            "resources/space_members.rs",
            include_str!("resources/space_members.rs"),
        ),
        (
            "resources/role_bindings.rs",
            include_str!("resources/role_bindings.rs"),
        ),
        (
            "resources/api_keys.rs",
            include_str!("resources/api_keys.rs"),
        ),
        (
            "resources/audit_logs.rs",
            include_str!("resources/audit_logs.rs"),
        ),
        (
            "resources/resource_restrictions.rs",
            include_str!("resources/resource_restrictions.rs"),
        ),
    ];

    /// The lines of `text` that name a module of this crate other than
    /// those `allowed` start with.
    fn foreign<'a>(text: &'a str, allowed: &[&str]) -> Vec<&'a str> {
        text.lines()
            .filter(|line| {
                line.match_indices("crate::").any(|(at, _)| {
                    let rest = &line[at + "crate::".len()..];
                    !allowed.iter().any(|a| rest.starts_with(a))
                })
            })
            .collect()
    }

    #[test]
    fn the_core_imports_nothing_else_of_the_crate() {
        for (file, text) in CORE {
            assert_eq!(foreign(text, &["core"]), Vec::<&str>::new(), "{file}");
            assert!(!text.contains("resources::"), "{file}");
        }
    }

    #[test]
    fn every_resource_module_is_checked() {
        let listed: Vec<&str> = RESOURCES.iter().map(|(file, _)| *file).collect();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/resources");
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = format!("resources/{}", entry.unwrap().file_name().to_string_lossy());
            assert!(
                listed.contains(&name.as_str()),
                "{name} is not in RESOURCES"
            );
        }
    }

    #[test]
    fn a_resource_imports_the_core_only() {
        for (file, text) in RESOURCES {
            assert_eq!(foreign(text, &["core"]), Vec::<&str>::new(), "{file}");
            // Not even a sibling through `super::`.
            for sibling in [
                "organizations",
                "users",
                "memberships",
                "spaces",
                "space_members",
                "roles",
                "role_bindings",
                "api_keys",
                "audit_logs",
                "resource_restrictions",
            ] {
                assert!(!text.contains(&format!("super::{sibling}")), "{file}");
            }
        }
    }

    #[test]
    fn the_state_knows_no_route_and_no_http() {
        let text = include_str!("state.rs");
        assert_eq!(
            foreign(text, &["core", "resources"]),
            Vec::<&str>::new(),
            "state.rs"
        );
    }
}
