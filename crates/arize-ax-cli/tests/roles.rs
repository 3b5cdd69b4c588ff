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

#[test]
fn a_role_from_create_to_delete_against_the_fake() {
    let env = Env::new(1);
    let out = env
        .cmd()
        .args([
            "roles",
            "create",
            "Auditor",
            "--permission",
            "project_read,dataset_read",
            "--description",
            "Reads",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    let made = json(&out);
    assert_eq!(made["name"], "Auditor");

    let out = env
        .cmd()
        .args(["roles", "get", "Auditor", "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(json(&out)["id"], made["id"]);

    let out = env
        .cmd()
        .args(["roles", "list", "--custom", "--all", "-o", "json"])
        .output()
        .unwrap();
    let listed = json(&out);
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["is_predefined"] == false)
    );

    let out = env
        .cmd()
        .args([
            "roles",
            "update",
            "Auditor",
            "--add-permission",
            "user_read",
            "--remove-permission",
            "PROJECT_READ",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    let mut permissions: Vec<String> = json(&out)["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect();
    permissions.sort();
    assert_eq!(permissions, ["DATASET_READ", "USER_READ"]);

    // A custom role by name for a space member and an organization member.
    env.fake.with_state(|s| s.seed_spaces(1));
    let out = env
        .cmd()
        .args([
            "spaces",
            "add-user",
            "default",
            "bob@example.com",
            "--role",
            "custom:Auditor",
            "--join-org",
            "member",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(json(&out)["role"]["id"], made["id"]);

    // In use: refused, with the reason.
    let out = env
        .cmd()
        .args(["roles", "delete", "Auditor", "--yes"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("binding"), "{}", stderr(&out));
    let out = env
        .cmd()
        .args(["spaces", "remove-user", "default", "bob@example.com"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = env
        .cmd()
        .args(["roles", "delete", "Auditor", "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(env.fake.custom_roles().iter().all(|r| r.name != "Auditor"));
}
