//! Side-by-side benchmarks against the in-process fake server on loopback:
//! (a) a hand-written reqwest baseline, (b) the generated raw client,
//! (c) the facade.
//!
//! ```sh
//! cargo bench -p arize-ax --bench compare            # full run (numbers in BENCHMARKS.md)
//! ARIZE_AX_BENCH_QUICK=1 cargo bench -p arize-ax --bench compare   # smoke run (CI)
//! ```
//!
//! Each timing is the median of several rounds, and the contenders of a
//! workload alternate round by round, so machine noise hits them alike.
//! Memory is the heap high-water mark above the level before the workload
//! (client and in-process server together), from a counting allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use arize_ax::{Client, OrgRef, OrgRole, RetryPolicy};
use arize_ax_fake::{FakeArize, Fault};
use futures::{StreamExt, TryStreamExt};
use serde::Deserialize;

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// The one unsafe block of the workspace: a global allocator must implement
// an unsafe trait. It forwards to the system allocator and only counts.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` and returns its result with the heap high-water mark above the
/// starting level.
async fn peak_during<T>(f: impl std::future::Future<Output = T>) -> (T, usize) {
    let start = CURRENT.load(Ordering::Relaxed);
    PEAK.store(start, Ordering::Relaxed);
    let value = f.await;
    (value, PEAK.load(Ordering::Relaxed).saturating_sub(start))
}

const KEY: &str = "bench-key";

struct Sizes {
    rounds: usize,
    calls_per_round: usize,
    orgs: usize,
    users: usize,
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn facade(fake: &FakeArize) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(fake.base_url())
        .prerelease_warning(false)
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(2)))
        .build()
        .expect("client")
}

/// The generated client with the transport the facade gives it: the same
/// headers, timeout and retry policy, so the comparison measures only what
/// the facade adds (validation and conversion).
fn raw(fake: &FakeArize) -> arize_ax_api::Client {
    let transport =
        arize_ax_api::transport::Transport::identified_as("arize-ax", env!("CARGO_PKG_VERSION"))
            .bearer(KEY)
            .timeout(arize_ax::DEFAULT_TIMEOUT)
            .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(2)));
    arize_ax_api::Client::new_with_client(&fake.base_url(), reqwest::Client::new(), transport)
}

fn authed_reqwest() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        format!("Bearer {KEY}").parse().expect("header"),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("reqwest")
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct BaselineOrg {
    id: String,
    name: String,
    description: String,
    created_at: String,
}

#[derive(Deserialize)]
struct BaselinePage {
    organizations: Vec<BaselineOrg>,
    pagination: BaselinePagination,
}

#[derive(Deserialize)]
struct BaselinePagination {
    has_more: bool,
    next_cursor: Option<String>,
}

fn encode(id: &str) -> String {
    id.replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D")
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let quick = std::env::var_os("ARIZE_AX_BENCH_QUICK").is_some()
        || std::env::args().any(|a| a == "--quick");
    // RUST_LOG=arize_ax::limiter=debug shows each throttling episode (on
    // standard error, so the tables stay clean).
    if let Ok(filter) = tracing_subscriber::EnvFilter::try_from_default_env() {
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .init();
    }
    let sizes = if quick {
        Sizes {
            rounds: 3,
            calls_per_round: 20,
            orgs: 1_000,
            users: 100,
        }
    } else {
        Sizes {
            rounds: 15,
            calls_per_round: 200,
            orgs: 10_000,
            users: 1_000,
        }
    };
    println!(
        "# arize-ax benchmarks ({} mode, {} rounds)\n",
        if quick { "quick" } else { "full" },
        sizes.rounds
    );
    // ARIZE_AX_BENCH_ONLY=1,3 runs only those workloads.
    let only = std::env::var("ARIZE_AX_BENCH_ONLY").unwrap_or_default();
    let run = |n: &str| only.is_empty() || only.split(',').any(|w| w.trim() == n);
    if run("1") {
        get_by_id(&sizes).await;
    }
    if run("2") {
        get_by_name(&sizes).await;
    }
    if run("3") {
        stream_all(&sizes).await;
        stream_with_slow_consumer(&sizes).await;
    }
    if run("4") {
        bulk_add(&sizes).await;
    }
    if run("6") {
        onboarding(&sizes).await;
    }
    if run("7") {
        bulk_shapes(quick).await;
        email_lookups(quick).await;
        retry_after_pause(quick).await;
    }
    if run("10") {
        space_bulk(quick).await;
    }
    if run("11") {
        role_by_name(quick).await;
    }
    if run("12") {
        access_review(quick).await;
        audit_log_stream(quick).await;
    }
}

/// The access review of an account: its requests against the fewest the
/// API allows (each listing at 100 a page, service keys listed per space),
/// its time and its peak heap, with and without service keys.
async fn access_review(quick: bool) {
    let (orgs, per_org, users, roles, bindings_n, keys) = if quick {
        (2, 5, 50, 5, 200, 4)
    } else {
        (5, 10, 500, 20, 2_000, 10)
    };
    let spaces_n = orgs * per_org;
    println!(
        "## 12. access review: {spaces_n} spaces, {bindings_n} bindings, {users} users, {roles} \
         custom roles, {keys} service keys (no latency)\n"
    );
    let mut builder = FakeArize::builder()
        .api_key(KEY)
        .max_logged_requests(1_000_000)
        .no_default_users()
        .seed_orgs(orgs)
        .spaces_per_org(per_org);
    builder = builder.user("Admin", "admin@example.com", "ADMIN");
    for i in 1..users {
        builder = builder.user(
            &format!("User {i}"),
            &format!("user{i}@example.com"),
            "MEMBER",
        );
    }
    let fake = builder.start().await.expect("fake");
    let role_ids: Vec<String> = fake.with_state(|s| {
        (0..roles)
            .map(|i| s.add_custom_role(&format!("Role {i:02}")).id)
            .collect()
    });
    let client = bench_client(&fake);
    let spaces = fake.spaces();
    let user_ids: Vec<String> = fake.users().into_iter().map(|u| u.id).collect();
    let per_user = bindings_n / users;
    for (u, user) in user_ids.iter().enumerate() {
        for j in 0..per_user {
            let space = &spaces[(u + j * 13) % spaces.len()];
            client
                .role_bindings()
                .create(
                    user.as_str(),
                    role_ids[(u + j) % role_ids.len()].as_str(),
                    arize_ax::role_bindings::Resource::space(space.id.clone()),
                )
                .await
                .expect("binding");
        }
    }
    for k in 0..keys {
        client
            .api_keys()
            .create_service(format!("bot-{k}"))
            .space(
                spaces[k % spaces.len()].id.clone(),
                arize_ax::SpaceRole::Member,
            )
            .await
            .expect("key");
    }
    let pages = |n: usize| n.div_ceil(100).max(1);
    // users, roles (4 built in + custom), organizations, spaces,
    // restrictions, bindings on spaces, bindings on projects.
    let listings =
        pages(users) + pages(4 + roles) + pages(orgs) + pages(spaces_n) + 1 + pages(bindings_n) + 1;
    println!(
        "| review | rows | requests | fewest the API allows | time (median of 5) | peak heap |\n|---|---|---|---|---|---|"
    );
    for (label, with_keys, minimum) in [
        ("with service keys", true, listings + spaces_n),
        ("`--no-service-keys`", false, listings),
    ] {
        let mut times = Vec::new();
        let (mut rows, mut requests, mut peak) = (0, 0, 0);
        for _ in 0..5 {
            fake.clear_requests();
            let started = Instant::now();
            let (count, heap) = peak_during(
                client
                    .access_review()
                    .service_keys(with_keys)
                    .stream()
                    .try_fold(0usize, |n, _| async move { Ok(n + 1) }),
            )
            .await;
            times.push(started.elapsed().as_secs_f64());
            rows = count.expect("review");
            requests = fake.requests().len();
            peak = peak.max(heap);
        }
        println!(
            "| {label} | {rows} | {requests} | {minimum} | {:.1} ms | {} KiB |",
            median(times) * 1000.0,
            peak / 1024
        );
    }
    println!();
}

/// `audit-logs list --all -o jsonl` at the facade: every entry of a long
/// log streamed and written as a JSON line (to a sink), its time and its
/// peak heap against one page's.
async fn audit_log_stream(quick: bool) {
    let entries = if quick { 2_000 } else { 100_000 };
    println!(
        "## 12b. stream an audit log of {entries} entries as JSON lines (pages of 100, no latency)\n"
    );
    let fake = FakeArize::builder()
        .api_key(KEY)
        .audit_entries(entries)
        .start()
        .await
        .expect("fake");
    let client = bench_client(&fake);
    let logs = client.audit_logs();
    let (page, page_peak) = peak_during(logs.list().limit(100).send()).await;
    assert_eq!(page.expect("page").logs.len(), 100);
    let mut times = Vec::new();
    let (mut written, mut peak) = (0usize, 0usize);
    for _ in 0..3 {
        let started = Instant::now();
        let (count, heap) = peak_during(logs.list().limit(100).stream().try_fold(
            (0usize, std::io::sink()),
            |(n, mut out), entry| async move {
                serde_json::to_writer(&mut out, &entry).expect("write");
                std::io::Write::write_all(&mut out, b"\n").expect("write");
                Ok((n + 1, out))
            },
        ))
        .await;
        times.push(started.elapsed().as_secs_f64());
        written = count.expect("stream").0;
        peak = peak.max(heap);
    }
    assert!(written >= entries);
    println!(
        "| entries written | time (median of 3) | per entry | peak heap | in pages |\n|---|---|---|---|---|"
    );
    println!(
        "| {written} | {:.2} s | {:.1} µs | {} KiB | {:.1} |",
        median(times.clone()),
        median(times) * 1e6 / written as f64,
        peak / 1024,
        peak as f64 / page_peak as f64
    );
    println!("\n(one page of 100: {} KiB)\n", page_peak / 1024);
}

/// A custom role by name among 1,000: the first look-up lists the roles
/// (the API has no name filter), every later one in the same client sends
/// nothing. Requests are counted by the fake; times are per look-up.
async fn role_by_name(quick: bool) {
    let roles_n = if quick { 100 } else { 1_000 };
    let lookups = if quick { 20 } else { 200 };
    println!("## 11. a custom role by name among {roles_n} roles (no latency)\n");
    println!("| look-up | requests | time |\n|---|---|---|");
    let fake = FakeArize::builder()
        .api_key(KEY)
        .max_logged_requests(100_000)
        .start()
        .await
        .expect("fake");
    fake.with_state(|s| {
        for i in 0..roles_n {
            s.add_custom_role(&format!("Role {i:04}"));
        }
    });
    let client = bench_client(&fake);
    let last = format!("Role {:04}", roles_n - 1);
    fake.clear_requests();
    let started = Instant::now();
    let id = client
        .roles()
        .resolve_id(last.as_str())
        .await
        .expect("role");
    let first = started.elapsed();
    let first_requests = fake.requests().len();
    fake.clear_requests();
    let started = Instant::now();
    for i in 0..lookups {
        let name = format!("Role {:04}", (i * 7) % roles_n);
        client
            .roles()
            .resolve_id(name.as_str())
            .await
            .expect("role");
    }
    let rest = started.elapsed() / lookups as u32;
    assert!(!id.is_empty());
    println!(
        "| the first (the last of {roles_n} roles) | {first_requests} (the listing, {} pages of 100) | {:.2} ms |",
        first_requests,
        first.as_secs_f64() * 1000.0
    );
    println!(
        "| each of the next {lookups} (other names) | {} in all | {:.3} ms |",
        fake.requests().len(),
        rest.as_secs_f64() * 1000.0
    );
    println!();
}

/// `spaces add-users` beside `orgs add-users`: the same 300 people (members
/// of the organization already), the same limit as table 7's first row
/// (40 requests/s, burst 10), 20 ms latency, the CLI's defaults
/// (concurrency 8, the role check). The two flows are one engine, so the
/// times should agree.
async fn space_bulk(quick: bool) {
    const RATE: f64 = 40.0;
    const BURST: u32 = 10;
    let users = if quick { 30 } else { 300 };
    let rounds = if quick { 1 } else { 3 };
    let floor = users as f64 / RATE;
    println!(
        "## 10. `spaces add-users` beside `orgs add-users`: {users} users, {RATE} requests/s (burst {BURST}), 20 ms latency\n"
    );
    println!(
        "| command | time (median run) | every run (s) | floor | time / floor | answered 429 | requests per user | users not added |\n|---|---|---|---|---|---|---|---|"
    );
    for command in ["orgs add-users", "spaces add-users"] {
        let mut samples = Vec::new();
        for _ in 0..rounds {
            let fake = members_fake(users).start().await.expect("fake");
            fake.with_state(|s| s.seed_spaces(1));
            let org = fake.organizations()[0].id.clone();
            let space = fake.spaces()[0].id.clone();
            let ids: Vec<String> = fake.users().into_iter().map(|u| u.id).collect();
            let client = bench_client(&fake);
            if command.starts_with("spaces") {
                // Space members belong to the organization first (not timed).
                let report = client
                    .organizations()
                    .add_users(
                        OrgRef::Id(org.clone()),
                        ids.iter().map(|u| (u.clone(), OrgRole::Member)),
                    )
                    .concurrency(16)
                    .await
                    .expect("setup");
                assert!(report.all_succeeded());
            }
            fake.set_rate_limit(RATE, BURST);
            tokio::time::sleep(Duration::from_secs(1)).await;
            fake.clear_requests();
            let started = Instant::now();
            let failed = if command.starts_with("spaces") {
                client
                    .spaces()
                    .add_users(
                        arize_ax::SpaceRef::Id(space),
                        ids.iter().map(|u| (u.clone(), arize_ax::SpaceRole::Member)),
                    )
                    .concurrency(8)
                    .await
                    .expect("bulk")
                    .failed()
                    .count()
            } else {
                client
                    .organizations()
                    .add_users(
                        OrgRef::Id(org),
                        ids.iter().map(|u| (u.clone(), OrgRole::Member)),
                    )
                    .concurrency(8)
                    .await
                    .expect("bulk")
                    .failed()
                    .count()
            };
            let seconds = started.elapsed().as_secs_f64();
            let requests = fake.requests();
            let throttled = requests.iter().filter(|r| r.status == 429).count();
            samples.push((
                seconds,
                100.0 * throttled as f64 / requests.len() as f64,
                requests.len() as f64 / users as f64,
                failed,
            ));
        }
        samples.sort_by(|a, b| a.0.total_cmp(&b.0));
        let every = samples
            .iter()
            .map(|s| format!("{:.2}", s.0))
            .collect::<Vec<_>>()
            .join(", ");
        let (seconds, throttled, per_user, failed) = samples[samples.len() / 2];
        println!(
            "| `{command}` | {seconds:.2} s | {every} | {floor:.2} s | {:.2}× | {throttled:.1} % | {per_user:.3} | {failed} |",
            seconds / floor
        );
    }
    println!();
}

/// A fake with one organization and `users` members (`u{i}@example.com`,
/// none of the default users), answering after 20 ms, logging every
/// request: the set-up of the bulk workloads.
fn members_fake(users: usize) -> arize_ax_fake::FakeArizeBuilder {
    let mut builder = FakeArize::builder()
        .api_key(KEY)
        .seed_orgs(1)
        .no_default_users()
        .max_logged_requests(100_000)
        .latency(Duration::from_millis(20));
    for i in 0..users {
        builder = builder.user(&format!("U{i}"), &format!("u{i}@example.com"), "MEMBER");
    }
    builder
}

/// A facade client of `fake` with the default policy and no warnings.
fn bench_client(fake: &FakeArize) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(fake.base_url())
        .prerelease_warning(false)
        .build()
        .expect("client")
}

/// One shape of a server's limit, for workload 7.
struct Shape {
    label: &'static str,
    rate: f64,
    burst: u32,
    users: usize,
    /// The limit changes to this rate this long after the start.
    change: Option<(Duration, f64)>,
    /// Independent clients sharing the limit, each with `users / clients`.
    clients: usize,
}

const SHAPES: &[Shape] = &[
    Shape {
        label: "40/s, burst 10",
        rate: 40.0,
        burst: 10,
        users: 300,
        change: None,
        clients: 1,
    },
    Shape {
        label: "40/s, burst 1",
        rate: 40.0,
        burst: 1,
        users: 200,
        change: None,
        clients: 1,
    },
    Shape {
        label: "10/s, burst 10",
        rate: 10.0,
        burst: 10,
        users: 100,
        change: None,
        clients: 1,
    },
    Shape {
        label: "200/s, burst 50",
        rate: 200.0,
        burst: 50,
        users: 1000,
        change: None,
        clients: 1,
    },
    Shape {
        label: "40/s, burst 40",
        rate: 40.0,
        burst: 40,
        users: 1000,
        change: None,
        clients: 1,
    },
    Shape {
        label: "40/s, dropping to 10/s after 3 s",
        rate: 40.0,
        burst: 10,
        users: 300,
        change: Some((Duration::from_secs(3), 10.0)),
        clients: 1,
    },
    Shape {
        label: "two clients sharing 40/s, burst 10",
        rate: 40.0,
        burst: 10,
        users: 300,
        change: None,
        clients: 2,
    },
];

/// Bulk adds against limits of several shapes, as `arize-ax orgs add-users`
/// runs them with its defaults (concurrency 8, the account role checked,
/// so the users are listed once; the default retry policy): 20 ms latency.
/// The floor is the users over the rate (for a limit that drops, the time at
/// the first rate plus the rest at the second); the issue's budget is 1.2×
/// the floor plus one second.
async fn bulk_shapes(quick: bool) {
    println!(
        "## 7. bulk adds against limits of other shapes (`orgs add-users` defaults: concurrency 8, role check), 20 ms latency\n"
    );
    println!(
        "| limit | users | time (median run) | every run (s) | floor | time / floor | within 1.2× + 1 s | answered 429 | requests per user | users not added |\n|---|---|---|---|---|---|---|---|---|---|"
    );
    // ARIZE_AX_BENCH_SHAPE=burst runs only the shapes whose label holds it.
    let only = std::env::var("ARIZE_AX_BENCH_SHAPE").unwrap_or_default();
    let rounds = if quick { 1 } else { 3 };
    for shape in SHAPES.iter().filter(|s| s.label.contains(only.as_str())) {
        let users = if quick {
            (shape.users / 10).max(20)
        } else {
            shape.users
        };
        let floor = match shape.change {
            Some((at, to)) => {
                let first = at.as_secs_f64() * shape.rate;
                at.as_secs_f64() + (users as f64 - first).max(0.0) / to
            }
            None => users as f64 / shape.rate,
        };
        // Each shape runs `rounds` times on a fresh fake; the median run (by
        // time) is shown, with every run's time.
        let mut samples = Vec::new();
        for _ in 0..rounds {
            let fake = members_fake(users)
                .rate_limit(shape.rate, shape.burst)
                .start()
                .await
                .expect("fake");
            let org = fake.organizations()[0].id.clone();
            let ids: Vec<String> = fake.users().into_iter().map(|u| u.id).collect();
            tokio::time::sleep(Duration::from_secs(1)).await;
            fake.clear_requests();
            let started = Instant::now();
            let change = async {
                if let Some((at, to)) = shape.change {
                    tokio::time::sleep(at).await;
                    fake.set_rate_limit(to, shape.burst);
                }
            };
            let per_client = ids.len().div_ceil(shape.clients);
            let runs = ids.chunks(per_client).map(|chunk| {
                let client = bench_client(&fake);
                let org = org.clone();
                let chunk: Vec<String> = chunk.to_vec();
                async move {
                    let report = client
                        .organizations()
                        .add_users(
                            OrgRef::Id(org),
                            chunk.into_iter().map(|u| (u, OrgRole::Member)),
                        )
                        .concurrency(8)
                        .send()
                        .await
                        .expect("bulk");
                    (started.elapsed().as_secs_f64(), report.failed().count())
                }
            });
            let (finished, ()) =
                futures::future::join(futures::future::join_all(runs), change).await;
            let seconds = finished.iter().map(|(t, _)| *t).fold(0.0, f64::max);
            let failed: usize = finished.iter().map(|(_, f)| f).sum();
            let requests = fake.requests();
            let throttled = requests.iter().filter(|r| r.status == 429).count();
            let times = finished
                .iter()
                .map(|(t, _)| format!("{t:.2} s"))
                .collect::<Vec<_>>()
                .join(" / ");
            assert_eq!(fake.memberships().len(), users - failed);
            samples.push((
                seconds,
                times,
                100.0 * throttled as f64 / requests.len() as f64,
                requests.len() as f64 / users as f64,
                failed,
            ));
        }
        samples.sort_by(|a, b| a.0.total_cmp(&b.0));
        let every = samples
            .iter()
            .map(|s| format!("{:.2}", s.0))
            .collect::<Vec<_>>()
            .join(", ");
        let (seconds, times, throttled, per_user, failed) = &samples[samples.len() / 2];
        println!(
            "| {} | {users} | {times} | {every} | {floor:.2} s | {:.2}× | {} | {throttled:.1} % | {per_user:.3} | {failed} |",
            shape.label,
            seconds / floor,
            if *seconds <= 1.2 * floor + 1.0 {
                "yes"
            } else {
                "no"
            },
        );
    }
    println!();
}

/// How many requests a batch of emails costs to look up, against accounts
/// of several sizes (the first page is listed when it may hold everyone;
/// the listing goes on while it costs under a tenth of the look-ups).
async fn email_lookups(quick: bool) {
    println!(
        "## 7b. looking up emails for `orgs add-users`: user requests for the look-ups, 20 ms latency\n"
    );
    println!(
        "| account's users | emails in the batch | user requests | per email | time |\n|---|---|---|---|---|"
    );
    let cases: &[(usize, usize)] = if quick {
        &[(60, 10), (1000, 25)]
    } else {
        &[(60, 10), (5000, 25), (5000, 1000)]
    };
    for &(account, emails) in cases {
        let fake = members_fake(account).start().await.expect("fake");
        let org = fake.organizations()[0].id.clone();
        let client = bench_client(&fake);
        fake.clear_requests();
        let started = Instant::now();
        let report = client
            .organizations()
            .add_users(
                OrgRef::Id(org),
                (0..emails).map(|i| {
                    (
                        format!("u{}@example.com", i * (account / emails)),
                        OrgRole::Member,
                    )
                }),
            )
            .send()
            .await
            .expect("bulk");
        let seconds = started.elapsed().as_secs_f64();
        assert!(report.all_succeeded());
        let lookups = fake.request_count("GET", "/v2/users");
        println!(
            "| {account} | {emails} | {lookups} | {:.2} | {seconds:.2} s |",
            lookups as f64 / emails as f64
        );
    }
    println!();
}

/// One `Retry-After: 3` in the middle of a batch: how many requests still
/// arrive while it lasts (requests in flight when it came are not
/// cancelled; nothing new should start).
async fn retry_after_pause(quick: bool) {
    let users = if quick { 40 } else { 200 };
    println!(
        "## 7c. one `Retry-After: 3` in a batch of {users} adds (`orgs add-users` defaults), 20 ms latency, no other limit\n"
    );
    println!(
        "| run | time | adds arriving in the 3 s after it | the last of them, after it | users not added |\n|---|---|---|---|---|"
    );
    for with_fault in [false, true] {
        let fake = members_fake(users).start().await.expect("fake");
        let org = fake.organizations()[0].id.clone();
        let ids: Vec<String> = fake.users().into_iter().map(|u| u.id).collect();
        if with_fault {
            fake.inject(
                Fault::rate_limited(3)
                    .on("POST", "/v2/organizations/")
                    .skip(users / 4)
                    .times(1),
            );
        }
        let client = bench_client(&fake);
        fake.clear_requests();
        let started = Instant::now();
        let report = client
            .organizations()
            .add_users(
                OrgRef::Id(org),
                ids.into_iter().map(|u| (u, OrgRole::Member)),
            )
            .send()
            .await
            .expect("bulk");
        let seconds = started.elapsed().as_secs_f64();
        let posts: Vec<_> = fake
            .requests()
            .into_iter()
            .filter(|r| r.method == "POST" && r.path.starts_with("/v2/organizations/"))
            .collect();
        // Adds that arrived within the 3 s after the refused one: only
        // those already on their way (sent before its answer came back).
        let (during, latest) = match posts.iter().find(|r| r.status == 429) {
            Some(refused) => {
                let end = refused.received + Duration::from_secs(3);
                let late: Vec<Duration> = posts
                    .iter()
                    .filter(|r| r.received > refused.received && r.received < end)
                    .map(|r| r.received - refused.received)
                    .collect();
                let latest = late.iter().max().copied().unwrap_or_default();
                (
                    late.len().to_string(),
                    format!("{:.0} ms", latest.as_secs_f64() * 1000.0),
                )
            }
            None => ("—".into(), "—".into()),
        };
        println!(
            "| {} | {seconds:.2} s | {during} | {latest} | {} |",
            if with_fault {
                "one add answered `429`, `Retry-After: 3`"
            } else {
                "no 429"
            },
            report.failed().count()
        );
    }
    println!();
}

/// Onboarding people who are not users yet (`add_users(..).invite(true)`,
/// what `arize-ax orgs add-users --invite` runs): a look-up, an invitation
/// and a membership each, at the server's pace.
async fn onboarding(sizes: &Sizes) {
    const RATE: f64 = 40.0;
    let n = sizes.users / 5;
    println!(
        "## 6. onboard {n} new people into one organization (`add-users --invite`): 20 ms latency, {RATE} requests/s (burst {RATE})\n"
    );
    let fake = FakeArize::builder()
        .api_key(KEY)
        .seed_orgs(1)
        .latency(Duration::from_millis(20))
        .rate_limit(RATE, RATE as u32)
        .start()
        .await
        .expect("fake");
    let org = fake.organizations()[0].id.clone();
    let emails: Vec<String> = (0..n).map(|i| format!("new{i}@example.com")).collect();
    tokio::time::sleep(Duration::from_secs(1)).await;
    fake.clear_requests();
    let client = facade(&fake);
    let started = Instant::now();
    let report = client
        .organizations()
        .add_users(
            OrgRef::Id(org.clone()),
            emails.iter().map(|e| (e.clone(), OrgRole::Member)),
        )
        .invite(true)
        .concurrency(16)
        .send()
        .await
        .expect("bulk");
    let seconds = started.elapsed().as_secs_f64();
    let requests = fake.requests();
    let throttled = requests.iter().filter(|r| r.status == 429).count();
    let accepted = requests.len() - throttled;
    let floor = accepted as f64 / RATE;
    let users = fake.users();
    let duplicates = emails
        .iter()
        .filter(|e| users.iter().filter(|u| &u.email == *e).count() != 1)
        .count();
    println!(
        "| people | time | requests answered (not 429) | per person | floor (answered ÷ {RATE}/s) | time / floor | answered 429 | failed | users not exactly once |\n|---|---|---|---|---|---|---|---|---|"
    );
    println!(
        "| {n} | {seconds:.2} s | {accepted} | {:.2} | {floor:.2} s | {:.2}× | {:.1} % | {} | {duplicates} |\n",
        accepted as f64 / n as f64,
        seconds / floor,
        100.0 * throttled as f64 / requests.len() as f64,
        report.failed().count(),
    );
    assert_eq!(duplicates, 0, "every person is one user");
    assert!(report.all_succeeded(), "onboarding failed for some");
}

async fn get_by_id(sizes: &Sizes) {
    let fake = FakeArize::builder()
        .api_key(KEY)
        .seed_orgs(10)
        .start()
        .await
        .expect("fake");
    let id = fake.organizations()[3].id.clone();
    let (http, raw, facade) = (authed_reqwest(), raw(&fake), facade(&fake));
    let url = format!("{}/v2/organizations/{}", fake.base_url(), encode(&id));
    let orgs = facade.organizations();
    let mut samples: [Vec<f64>; 3] = Default::default();
    for round in 0..sizes.rounds {
        // Alternate which contender goes first.
        for k in 0..3 {
            let which = (round + k) % 3;
            let started = Instant::now();
            for _ in 0..sizes.calls_per_round {
                match which {
                    0 => {
                        let org: BaselineOrg = http
                            .get(&url)
                            .send()
                            .await
                            .expect("baseline")
                            .json()
                            .await
                            .expect("decode");
                        assert_eq!(org.id, id);
                    }
                    1 => {
                        let org = raw
                            .get_organization()
                            .org_id(id.clone())
                            .send()
                            .await
                            .expect("raw");
                        assert_eq!(org.id.as_ref().map(|i| i.0.as_str()), Some(id.as_str()));
                    }
                    _ => {
                        let org = orgs.get(OrgRef::Id(id.clone())).await.expect("facade");
                        assert_eq!(org.id, id);
                    }
                }
            }
            samples[which].push(started.elapsed().as_secs_f64() / sizes.calls_per_round as f64);
        }
    }
    let [a, b, c] = samples.map(median);
    println!(
        "## 1. get by ID ({} calls per round)\n",
        sizes.calls_per_round
    );
    println!(
        "| client | median per call | ratio to raw client | ratio to baseline |\n|---|---|---|---|"
    );
    for (name, t) in [
        ("reqwest baseline", a),
        ("raw generated client (same transport as the facade)", b),
        ("facade", c),
    ] {
        println!(
            "| {name} | {:.1} µs | {:.3}× | {:.3}× |",
            t * 1e6,
            t / b,
            t / a
        );
    }
    println!();
}

async fn get_by_name(sizes: &Sizes) {
    let fake = FakeArize::builder()
        .api_key(KEY)
        .seed_orgs(sizes.orgs)
        .start()
        .await
        .expect("fake");
    let orgs = facade(&fake).organizations();
    let total = sizes.orgs;
    let width = total.to_string().len().max(5);
    let middle = format!("org-{:0width$}", total / 2);
    println!("## 2. get by name among {total} organizations\n");
    println!(
        "| name | substring matches | requests made | bound ⌈matches/100⌉ | median time |\n|---|---|---|---|---|"
    );
    for (name, exists) in [(middle.as_str(), true), ("org-", false)] {
        let matches = fake
            .organizations()
            .iter()
            .filter(|o| o.name.to_lowercase().contains(&name.to_lowercase()))
            .count();
        let mut times = Vec::new();
        let mut requests = 0;
        for _ in 0..sizes.rounds.min(5) {
            fake.clear_requests();
            let started = Instant::now();
            let result = orgs.get(name).await;
            times.push(started.elapsed().as_secs_f64());
            assert_eq!(result.is_ok(), exists, "{name}");
            requests = fake.request_count("GET", "/v2/organizations");
        }
        let bound = matches.div_ceil(100);
        assert!(
            requests <= bound.max(1),
            "{name}: {requests} requests, bound {bound}"
        );
        println!(
            "| `{name}`{} | {matches} | {requests} | {bound} | {:.2} ms |",
            if exists { "" } else { " (no exact match)" },
            median(times) * 1e3
        );
    }
    println!();
}

async fn stream_all(sizes: &Sizes) {
    let fake = FakeArize::builder()
        .api_key(KEY)
        .seed_orgs(sizes.orgs)
        .start()
        .await
        .expect("fake");
    let (http, raw, facade) = (authed_reqwest(), raw(&fake), facade(&fake));
    let orgs = facade.organizations();
    let base = fake.base_url();
    let total = sizes.orgs;

    // One page held in memory, as the unit for the stream's footprint.
    let (page, page_peak) = peak_during(orgs.list().limit(100).send()).await;
    drop(page.expect("page"));

    let mut times: [Vec<f64>; 3] = Default::default();
    let mut peaks = [0usize; 3];
    for _ in 0..sizes.rounds.min(7) {
        let started = Instant::now();
        let (count, peak) = peak_during(async {
            let mut count = 0;
            let mut cursor: Option<String> = None;
            loop {
                let mut request = http
                    .get(format!("{base}/v2/organizations"))
                    .query(&[("limit", "100")]);
                if let Some(c) = &cursor {
                    request = request.query(&[("cursor", c)]);
                }
                let page: BaselinePage = request
                    .send()
                    .await
                    .expect("baseline")
                    .json()
                    .await
                    .expect("decode");
                count += page.organizations.len();
                if !page.pagination.has_more {
                    break count;
                }
                cursor = page.pagination.next_cursor;
            }
        })
        .await;
        assert_eq!(count, total);
        times[0].push(started.elapsed().as_secs_f64());
        peaks[0] = peaks[0].max(peak);

        let started = Instant::now();
        let (count, peak) = peak_during(async {
            let mut count = 0;
            let mut cursor: Option<String> = None;
            loop {
                let mut request = raw
                    .list_organizations()
                    .limit(std::num::NonZeroU64::new(100).expect("non-zero"));
                if let Some(c) = &cursor {
                    request = request.cursor(c.clone());
                }
                let page = request.send().await.expect("raw").into_inner();
                count += page.organizations.len();
                let pagination = page.pagination.unwrap_or_default();
                if !pagination.has_more.unwrap_or(false) {
                    break count;
                }
                cursor = pagination.next_cursor;
            }
        })
        .await;
        assert_eq!(count, total);
        times[1].push(started.elapsed().as_secs_f64());
        peaks[1] = peaks[1].max(peak);

        let started = Instant::now();
        let (count, peak) = peak_during(
            orgs.list()
                .limit(100)
                .stream()
                .try_fold(0usize, |n, _| async move { Ok(n + 1) }),
        )
        .await;
        assert_eq!(count.expect("stream"), total);
        times[2].push(started.elapsed().as_secs_f64());
        peaks[2] = peaks[2].max(peak);
    }
    let (collected, collect_peak) =
        peak_during(orgs.list().limit(100).stream().try_collect::<Vec<_>>()).await;
    assert_eq!(collected.expect("collect").len(), total);

    let [a, b, c] = times.map(median);
    println!("## 3. stream all {total} organizations (pages of 100)\n");
    println!(
        "| client | median time | ratio to raw loop | peak heap | in pages |\n|---|---|---|---|---|"
    );
    for (i, (name, t)) in [
        ("reqwest baseline loop", a),
        ("raw generated client loop", b),
        ("facade `list().stream()`", c),
    ]
    .into_iter()
    .enumerate()
    {
        println!(
            "| {name} | {:.1} ms | {:.3}× | {} KiB | {:.1} |",
            t * 1e3,
            t / b,
            peaks[i] / 1024,
            peaks[i] as f64 / page_peak as f64
        );
    }
    println!(
        "| (facade, collecting all into a Vec) | | | {} KiB | {:.1} |",
        collect_peak / 1024,
        collect_peak as f64 / page_peak as f64
    );
    println!(
        "\nOne page of 100 (fetched and held): {} KiB.\n",
        page_peak / 1024
    );
}

/// Streaming with a consumer that works on each page about as long as the
/// server takes to answer one: the facade's stream fetches the next page
/// meanwhile; the raw loop cannot.
async fn stream_with_slow_consumer(sizes: &Sizes) {
    const LATENCY: Duration = Duration::from_millis(20);
    let fake = FakeArize::builder()
        .api_key(KEY)
        .seed_orgs(sizes.orgs)
        .latency(LATENCY)
        .start()
        .await
        .expect("fake");
    let (raw, facade) = (raw(&fake), facade(&fake));
    let orgs = facade.organizations();
    let total = sizes.orgs;
    let (page, page_peak) = peak_during(orgs.list().limit(100).send()).await;
    drop(page.expect("page"));

    let mut times: [Vec<f64>; 2] = Default::default();
    let mut peaks = [0usize; 2];
    for _ in 0..3 {
        let started = Instant::now();
        let (count, peak) = peak_during(async {
            let mut count = 0;
            let mut cursor: Option<String> = None;
            loop {
                let mut request = raw
                    .list_organizations()
                    .limit(std::num::NonZeroU64::new(100).expect("non-zero"));
                if let Some(c) = &cursor {
                    request = request.cursor(c.clone());
                }
                let page = request.send().await.expect("raw").into_inner();
                count += page.organizations.len();
                tokio::time::sleep(LATENCY).await; // work on the page
                let pagination = page.pagination.unwrap_or_default();
                if !pagination.has_more.unwrap_or(false) {
                    break count;
                }
                cursor = pagination.next_cursor;
            }
        })
        .await;
        assert_eq!(count, total);
        times[0].push(started.elapsed().as_secs_f64());
        peaks[0] = peaks[0].max(peak);

        let started = Instant::now();
        let (count, peak) = peak_during(orgs.list().limit(100).stream().try_fold(
            0usize,
            |n, _| async move {
                if (n + 1) % 100 == 0 {
                    tokio::time::sleep(LATENCY).await; // work on the page
                }
                Ok(n + 1)
            },
        ))
        .await;
        assert_eq!(count.expect("stream"), total);
        times[1].push(started.elapsed().as_secs_f64());
        peaks[1] = peaks[1].max(peak);
    }
    let [a, b] = times.map(median);
    println!(
        "## 3b. stream {total} organizations, 20 ms server latency, 20 ms of work per page of 100\n"
    );
    println!("| client | median time | speed-up | peak heap | in pages |\n|---|---|---|---|---|");
    for (i, (name, t)) in [
        ("raw generated client loop (no prefetch)", a),
        ("facade `list().stream()` (prefetches one page)", b),
    ]
    .into_iter()
    .enumerate()
    {
        println!(
            "| {name} | {:.2} s | {:.2}× | {} KiB | {:.1} |",
            t,
            a / t,
            peaks[i] / 1024,
            peaks[i] as f64 / page_peak as f64
        );
    }
    println!();
}

/// How one bulk run went.
struct BulkRun {
    seconds: f64,
    requests: usize,
    throttled: usize,
    failed: usize,
}

async fn bulk_add(sizes: &Sizes) {
    const RATE: f64 = 40.0;
    let n = sizes.users;
    let ideal = n as f64 / RATE;
    println!(
        "## 4. add {n} users to one organization: 20 ms latency, {RATE} requests/s (burst {RATE}), 429 with Retry-After past it\n"
    );
    println!(
        "| run | time | time / ideal ({ideal:.1} s) | requests per user | answered 429 | failed adds |\n|---|---|---|---|---|---|"
    );
    for label in [
        "adaptive (`add_users`, cap 16)",
        "fixed concurrency 16 (one `add_user` per user, 16 at a time)",
        "sequential (one `add_user` after another)",
    ] {
        let run = bulk_run(n, RATE, label).await;
        println!(
            "| {label} | {:.2} s | {:.2}× | {:.3} | {:.1} % | {} |",
            run.seconds,
            run.seconds / ideal,
            run.requests as f64 / n as f64,
            100.0 * run.throttled as f64 / run.requests as f64,
            run.failed
        );
    }
    println!();
}

async fn bulk_run(n: usize, rate: f64, label: &str) -> BulkRun {
    let mut builder = FakeArize::builder()
        .api_key(KEY)
        .seed_orgs(1)
        .no_default_users()
        .latency(Duration::from_millis(20))
        .rate_limit(rate, rate as u32);
    for i in 0..n {
        builder = builder.user(&format!("U{i}"), &format!("u{i}@example.com"), "MEMBER");
    }
    let fake = builder.start().await.expect("fake");
    let org = fake.organizations()[0].id.clone();
    let users: Vec<String> = fake.users().into_iter().map(|u| u.id).collect();
    // Let the bucket refill after the setup requests.
    tokio::time::sleep(Duration::from_secs(1)).await;
    fake.clear_requests();
    let client = facade(&fake);
    let orgs = client.organizations();
    let started = Instant::now();
    let failed = if label.starts_with("adaptive") {
        let report = orgs
            .add_users(
                OrgRef::Id(org.clone()),
                users.iter().map(|u| (u.clone(), OrgRole::Member)),
            )
            .concurrency(16)
            .skip_role_check()
            .send()
            .await
            .expect("bulk");
        report.failed().count()
    } else {
        let window = if label.starts_with("fixed") { 16 } else { 1 };
        let results: Vec<bool> = futures::stream::iter(users.iter())
            .map(|user| {
                let orgs = orgs.clone();
                let org = org.clone();
                async move {
                    orgs.add_user(OrgRef::Id(org), user.as_str(), OrgRole::Member)
                        .skip_role_check()
                        .await
                        .is_ok()
                }
            })
            .buffer_unordered(window)
            .collect()
            .await;
        results.iter().filter(|ok| !**ok).count()
    };
    let seconds = started.elapsed().as_secs_f64();
    let requests = fake.requests();
    assert_eq!(fake.memberships().len(), n - failed);
    BulkRun {
        seconds,
        requests: requests.len(),
        throttled: requests.iter().filter(|r| r.status == 429).count(),
        failed,
    }
}
