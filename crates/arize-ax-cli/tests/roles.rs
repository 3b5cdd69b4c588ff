//! `arize-ax roles`: bad input refused before anything is sent (against a
//! listener that only counts connections), confirmation, and the list of
//! permissions, which calls no API.

use crate::support::*;

const ROLE_ID: &str = "Um9sZTo5MDEy";

/// A port that accepts connections and never answers: any request reaching
/// it is seen as a pending connection.
fn listener() -> (std::net::TcpListener, String) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    (listener, url)
}

#[test]
fn bad_input_exits_2_and_sends_nothing() {
    let (listener, url) = listener();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["roles", "create", "Curator", "--permission", "project_raed"],
            "did you mean PROJECT_READ?",
        ),
        (
            vec![
                "roles",
                "create",
                "Curator",
                "--permission",
                "PROJECT_READ,DATSET_READ",
            ],
            "did you mean DATASET_READ?",
        ),
        (vec!["roles", "create", "Curator"], "--permission"),
        (
            vec!["roles", "create", "", "--permission", "PROJECT_READ"],
            "invalid name: must not be empty",
        ),
        (
            vec!["roles", "create", "a<b", "--permission", "PROJECT_READ"],
            "'<' is not allowed",
        ),
        (vec!["roles", "update", ROLE_ID], "invalid update"),
        (
            vec!["roles", "update", ROLE_ID, "--add-permission", "role_raed"],
            "did you mean ROLE_READ?",
        ),
        (
            vec![
                "roles",
                "update",
                ROLE_ID,
                "--permissions",
                "ROLE_READ",
                "--add-permission",
                "USER_READ",
            ],
            "cannot be used with",
        ),
        (
            vec![
                "roles",
                "update",
                ROLE_ID,
                "--description",
                "x",
                "--clear-description",
            ],
            "cannot be used with",
        ),
        (vec!["roles", "get", ""], "invalid role: must not be empty"),
        (
            vec!["roles", "list", "--predefined", "--custom"],
            "cannot be used with",
        ),
        (vec!["roles", "list", "--limit", "0"], "1 to 100"),
        (vec!["roles", "delete", ROLE_ID], "without confirmation"),
    ];
    let mut failures = Vec::new();
    for (args, expected) in cases {
        let out = bare()
            .env("ARIZE_API_KEY", KEY)
            .args(["--base-url", &url, "--timeout", "2"])
            .args(&args)
            .write_stdin("")
            .output()
            .unwrap();
        let err = stderr(&out);
        if out.status.code() != Some(2) || !err.contains(expected) {
            failures.push(format!(
                "{args:?}: exit {:?}, stderr {err:?}",
                out.status.code()
            ));
        }
        if !stdout(&out).is_empty() {
            failures.push(format!("{args:?}: wrote to stdout"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(listener.accept().is_err(), "bad input reached the server");
}

#[test]
fn permissions_are_listed_by_resource_without_a_key() {
    let out = bare().args(["roles", "permissions"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let line = text
        .lines()
        .find(|l| l.starts_with("DATASET_EXAMPLE "))
        .expect("a DATASET_EXAMPLE row");
    assert!(
        line.ends_with("ANNOTATE CREATE DELETE READ UPDATE"),
        "{line}"
    );
    let out = bare()
        .args(["-o", "json", "roles", "permissions"])
        .output()
        .unwrap();
    let groups: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let role = groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["resource"] == "ROLE")
        .unwrap();
    assert_eq!(
        role["permissions"],
        serde_json::json!(["ROLE_CREATE", "ROLE_DELETE", "ROLE_READ", "ROLE_UPDATE"])
    );
    let out = bare()
        .args(["roles", "permissions", "--api-key", KEY])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}
