//! A fake server on a runtime of its own, and commands pointed at it with an
//! explicit environment.

use arize_ax_fake::FakeArize;
use assert_cmd::Command;

pub const KEY: &str = "cli-test-key";

pub struct Env {
    pub fake: FakeArize,
    // Keeps the server's tasks running while the command blocks this thread.
    _runtime: tokio::runtime::Runtime,
}

impl Env {
    pub fn new(orgs: usize) -> Env {
        Env::with(orgs, false)
    }

    /// A fake that leaves every empty value out of its answers (`--omit-empty`).
    pub fn omitting_empty(orgs: usize) -> Env {
        Env::with(orgs, true)
    }

    fn with(orgs: usize, omit_empty: bool) -> Env {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let fake = runtime
            .block_on(
                FakeArize::builder()
                    .api_key(KEY)
                    .seed(5)
                    .seed_orgs(orgs)
                    .omit_empty(omit_empty)
                    .spaces_per_org(if omit_empty { 2 } else { 0 })
                    .start(),
            )
            .unwrap();
        Env {
            fake,
            _runtime: runtime,
        }
    }

    /// `arize-ax` with only the variables that point it at the fake.
    pub fn cmd(&self) -> Command {
        let mut cmd = bare();
        let port = self.fake.addr().port().to_string();
        cmd.env("ARIZE_API_KEY", KEY)
            .env("ARIZE_API_HOST", "127.0.0.1")
            .env("ARIZE_API_SCHEME", "http")
            .env("ARIZE_API_PORT", port);
        cmd
    }
}

/// `arize-ax` with an empty environment.
pub fn bare() -> Command {
    let mut cmd = Command::cargo_bin("arize-ax").unwrap();
    cmd.env_clear();
    cmd
}

pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// The standard output of a run that must have succeeded.
pub fn ok(output: &std::process::Output) -> String {
    assert!(output.status.success(), "{}", stderr(output));
    stdout(output)
}

/// The JSON a run that must have succeeded printed.
pub fn json(output: &std::process::Output) -> serde_json::Value {
    let text = ok(output);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}
