//! Warnings, the missing-key message, the demo, completions, the fake and the
//! spec commands.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::support::*;

#[test]
fn the_prerelease_warning_goes_to_stderr_once_and_can_be_silenced() {
    let env = Env::new(1);
    let out = env
        .cmd()
        .args(["orgs", "list", "-o", "json"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(
        err.matches("[ALPHA] organizations.list").count(),
        1,
        "{err}"
    );
    assert!(!stdout(&out).contains("ALPHA"));
    serde_json::from_str::<serde_json::Value>(&stdout(&out)).unwrap();

    let out = env
        .cmd()
        .args(["orgs", "list", "--quiet"])
        .output()
        .unwrap();
    assert!(!stderr(&out).contains("ALPHA"), "{}", stderr(&out));
    let out = env
        .cmd()
        .env("DISABLE_PRERELEASE_WARNING", "true")
        .args(["orgs", "list"])
        .output()
        .unwrap();
    assert!(!stderr(&out).contains("ALPHA"), "{}", stderr(&out));
}

#[test]
fn a_missing_key_explains_what_to_do() {
    let out = bare().args(["orgs", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("ARIZE_API_KEY"), "{err}");
    assert!(err.contains("arize-ax demo"), "{err}");
}

#[test]
fn non_utf8_arguments_are_usage_errors() {
    use std::os::unix::ffi::OsStrExt;
    let bad = std::ffi::OsStr::from_bytes(b"org-\xff");
    let out = bare()
        .env("ARIZE_API_KEY", "k")
        .args(["orgs", "get"])
        .arg(bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).to_lowercase().contains("utf-8"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_demo_walks_through_every_call() {
    let out = bare().arg("demo").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for step in [
        "List organizations",
        "Create an organization",
        "Get it by name",
        "Update its name and description",
        "Add a user by email",
        "refused, as expected",
        "user removed from organization",
        "organization deleted successfully",
        "404",
    ] {
        assert!(text.contains(step), "{step} missing from:\n{text}");
    }
    assert!(stderr(&out).contains("[ALPHA] organizations.delete"));
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let out = bare().args(["completions", shell]).output().unwrap();
        assert!(out.status.success());
        let text = stdout(&out);
        assert!(
            text.contains("arize-ax") && text.contains("add-user"),
            "{shell}"
        );
    }
}

#[test]
fn fake_serve_prints_its_url_first_and_serves() {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("arize-ax"))
        .env_clear()
        .args([
            "fake",
            "serve",
            "--api-key",
            "served",
            "--port",
            "0",
            "--orgs",
            "2",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first.trim().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let out = bare()
        .args([
            "orgs",
            "--api-key",
            "served",
            "--base-url",
            &url,
            "list",
            "-o",
            "jsonl",
            "-q",
        ])
        .output()
        .unwrap();
    child.kill().unwrap();
    let _ = child.wait();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 2);
}

#[test]
fn spec_sync_check_passes_on_the_vendored_upstream_by_default() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = bare()
        .current_dir(&root)
        .args(["spec", "sync", "--check"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("up to date"));
}

#[test]
fn help_states_the_limits_the_spec_declares() {
    use arize_ax::raw::limits::*;
    let help = |args: &[&str]| stdout(&bare().args(args).arg("--help").output().unwrap());
    for args in [&["orgs", "list"][..], &["users", "list"]] {
        let text = help(args);
        assert!(
            text.contains(&format!("{PAGE_LIMIT_MIN} to {PAGE_LIMIT_MAX}")),
            "{args:?}: {text}"
        );
    }
    let create = help(&["orgs", "create"]);
    assert!(
        create.contains(&format!(
            "{ORGANIZATION_NAME_MIN_LEN} to {ORGANIZATION_NAME_MAX_LEN} characters"
        )),
        "{create}"
    );
    assert!(
        create.contains(&format!(
            "at most {ORGANIZATION_DESCRIPTION_MAX_LEN} characters"
        )),
        "{create}"
    );
}

#[test]
fn a_connection_failure_prints_each_cause_once() {
    // Bind and drop: nothing listens on the port afterwards.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let output = bare()
        .env("ARIZE_API_KEY", KEY)
        .env("ARIZE_API_HOST", "127.0.0.1")
        .env("ARIZE_API_SCHEME", "http")
        .env("ARIZE_API_PORT", port.to_string())
        .args(["orgs", "list", "--quiet"])
        .output()
        .unwrap();
    let err = stderr(&output);
    assert!(!output.status.success(), "{err}");
    assert!(err.contains("could not reach the server"), "{err}");
    assert_eq!(err.matches("error sending request").count(), 1, "{err}");
}
