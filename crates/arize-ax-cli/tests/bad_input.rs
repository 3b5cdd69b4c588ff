//! The bad-input table for the CLI: every command with every kind of bad
//! input exits 2 with a message naming the field and the rule, and the fake
//! receives zero requests.

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

use crate::support::*;

const ID: &str = "T3JnYW5pemF0aW9uOjE=";
const BAD_ID_USER: &str = "bm90LWFuLWlk";

fn long() -> String {
    "x".repeat(256)
}

/// (command, bad input, arguments, text the error must contain)
fn table() -> Vec<(&'static str, &'static str, Vec<OsString>, String)> {
    let a = |args: &[&str]| args.iter().map(OsString::from).collect::<Vec<_>>();
    let with = |args: &[&str], extra: String| {
        let mut v = a(args);
        v.push(extra.into());
        v
    };
    vec![
        (
            "orgs list",
            "limit 0",
            a(&["orgs", "list", "--limit", "0"]),
            "1 to 100".into(),
        ),
        (
            "orgs list",
            "limit 101",
            a(&["orgs", "list", "--limit", "101"]),
            "1 to 100".into(),
        ),
        (
            "orgs list",
            "empty name",
            a(&["orgs", "list", "--name", ""]),
            "invalid name: must not be empty".into(),
        ),
        (
            "orgs list",
            "too long name",
            with(&["orgs", "list", "--name"], long()),
            "invalid name: must be at most 255".into(),
        ),
        (
            "orgs get",
            "empty",
            a(&["orgs", "get", ""]),
            "invalid organization: must not be empty".into(),
        ),
        (
            "orgs get",
            "whitespace",
            a(&["orgs", "get", "   "]),
            "invalid organization: must not be only whitespace".into(),
        ),
        (
            "orgs get",
            "too long",
            with(&["orgs", "get"], long()),
            "invalid organization: must be at most 255".into(),
        ),
        (
            "orgs get",
            "control characters",
            a(&["orgs", "get", "a\u{7}b"]),
            "invalid organization: must not contain control characters".into(),
        ),
        (
            "orgs create",
            "empty",
            a(&["orgs", "create", ""]),
            "invalid name: must not be empty".into(),
        ),
        (
            "orgs create",
            "control characters",
            a(&["orgs", "create", "bad\tname"]),
            "invalid name: must not contain control characters".into(),
        ),
        (
            "orgs create",
            "too long description",
            a(&["orgs", "create", "ok", "--description", &"d".repeat(1001)]),
            "invalid description: must be at most 1000".into(),
        ),
        (
            "orgs update",
            "no field",
            a(&["orgs", "update", ID]),
            "invalid update: set at least one of name or description".into(),
        ),
        (
            "orgs update",
            "too long name",
            with(&["orgs", "update", ID, "--name"], long()),
            "invalid name: must be at most 255".into(),
        ),
        (
            "orgs delete",
            "whitespace",
            a(&["orgs", "delete", " ", "--yes"]),
            "invalid organization: must not be only whitespace".into(),
        ),
        (
            "orgs delete",
            "no confirmation",
            a(&["orgs", "delete", ID]),
            "--yes".into(),
        ),
        (
            "orgs add-user",
            "invalid role",
            a(&["orgs", "add-user", ID, "a@example.com", "--role", "owner"]),
            "valid roles: admin, member, read-only, annotator".into(),
        ),
        (
            "orgs add-user",
            "user ID that fails to decode",
            a(&["orgs", "add-user", ID, BAD_ID_USER, "--role", "member"]),
            "invalid user".into(),
        ),
        (
            "orgs add-user",
            "empty user",
            a(&["orgs", "add-user", ID, "", "--role", "member"]),
            "invalid user: must not be empty".into(),
        ),
        (
            "orgs remove-user",
            "control characters",
            a(&["orgs", "remove-user", ID, "a\u{1b}@example.com"]),
            "invalid user: must not contain control characters".into(),
        ),
        (
            "orgs add-users",
            "concurrency 0",
            a(&[
                "orgs",
                "add-users",
                ID,
                "--role",
                "member",
                "--from",
                "-",
                "--concurrency",
                "0",
            ]),
            "concurrency".into(),
        ),
        (
            "orgs list",
            "bad timeout",
            a(&["--timeout=-1", "orgs", "list"]),
            "timeout".into(),
        ),
        (
            "orgs get",
            "non-UTF-8 argument",
            vec![
                "orgs".into(),
                "get".into(),
                OsString::from_vec(b"org-\xff\xfe".to_vec()),
            ],
            "UTF-8".into(),
        ),
    ]
}

#[test]
fn every_command_refuses_bad_input_before_sending() {
    let env = Env::new(1);
    let mut failures = Vec::new();
    for (command, input, args, expected) in table() {
        let out = env.cmd().args(&args).write_stdin("").output().unwrap();
        let err = stderr(&out);
        if out.status.code() != Some(2) || !err.contains(&expected) {
            failures.push(format!(
                "{command} / {input}: exit {:?}, stderr {err:?}",
                out.status.code()
            ));
        }
        if !stdout(&out).is_empty() {
            failures.push(format!("{command} / {input}: wrote to stdout"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        env.fake.requests().is_empty(),
        "bad input reached the server: {:?}",
        env.fake.requests()
    );
}
