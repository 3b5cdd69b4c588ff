//! `arize-ax role-bindings` against the fake: create by names, the 409
//! explained and `--replace`, filtered listings, update, delete; bad input
//! refused before anything is sent.

use crate::support::*;

#[test]
fn create_replace_list_update_and_delete_a_binding() {
    let env = Env::new(1);
    let run = |args: &[&str]| env.cmd().args(args).output().unwrap();
    json(&run(&[
        "spaces",
        "create",
        "ranking",
        "--org",
        "org-00001",
        "-o",
        "json",
    ]));
    json(&run(&[
        "roles",
        "create",
        "Curator",
        "--permission",
        "dataset_read",
        "-o",
        "json",
    ]));
    let create = |role: &str, extra: &[&str]| {
        let mut args = vec![
            "role-bindings",
            "create",
            "--user",
            "bob@example.com",
            "--role",
            role,
            "--space",
            "ranking",
            "--org",
            "org-00001",
            "-o",
            "json",
        ];
        args.extend_from_slice(extra);
        run(&args)
    };
    let made = json(&create("Curator", &[]));
    assert_eq!(made["resource_type"], "SPACE");
    let id = made["id"].as_str().unwrap().to_owned();

    let out = create("ADMIN", &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains(&id), "{}", stderr(&out));
    assert!(stderr(&out).contains("--replace"), "{}", stderr(&out));

    let replaced = json(&create("ADMIN", &["--replace"]));
    assert_eq!(replaced["id"], made["id"]);
    assert_ne!(replaced["role_id"], made["role_id"]);

    let listed = json(&run(&[
        "role-bindings",
        "list",
        "--user",
        "bob@example.com",
        "--space",
        "ranking",
        "--all",
        "-o",
        "json",
    ]));
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed[0]["id"], made["id"]);
    let none = json(&run(&[
        "role-bindings",
        "list",
        "--role",
        "Curator",
        "--all",
        "-o",
        "json",
    ]));
    assert_eq!(none, serde_json::json!([]));

    let back = json(&run(&[
        "role-bindings",
        "update",
        &id,
        "--role",
        "Curator",
        "-o",
        "json",
    ]));
    assert_eq!(back["role_id"], made["role_id"]);
    let got = json(&run(&["role-bindings", "get", &id, "-o", "json"]));
    assert_eq!(got["role_id"], made["role_id"]);

    let out = run(&["role-bindings", "delete", &id]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("deleted role binding"));
    let out = run(&["role-bindings", "get", &id]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
}

#[test]
fn bad_input_exits_2_and_sends_nothing() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "role-bindings",
                "create",
                "--user",
                "u@example.com",
                "--role",
                "ADMIN",
            ],
            "--space",
        ),
        (
            vec![
                "role-bindings",
                "create",
                "--user",
                "u@example.com",
                "--role",
                "ADMIN",
                "--space",
                "s",
                "--project",
                "UHJvamVjdDoy",
            ],
            "cannot be used with",
        ),
        (
            vec![
                "role-bindings",
                "create",
                "--user",
                "u@example.com",
                "--role",
                "ADMIN",
                "--project",
                "not an id",
            ],
            "invalid project",
        ),
        (vec!["role-bindings", "get", "nope"], "invalid binding"),
        (
            vec!["role-bindings", "list", "--resource-type", "folder"],
            "invalid value 'folder'",
        ),
        (
            vec!["role-bindings", "list", "--project", "UHJvamVjdDoy"],
            "invalid project",
        ),
        (vec!["role-bindings", "list", "--org", "o"], "--space"),
        (
            vec![
                "role-bindings",
                "update",
                "Um9sZUJpbmRpbmc6MQ==",
                "--role",
                "",
            ],
            "invalid role",
        ),
    ];
    let mut failures = Vec::new();
    for (args, expected) in cases {
        let out = bare()
            .env("ARIZE_API_KEY", KEY)
            .args(["--base-url", &url, "--timeout", "2"])
            .args(&args)
            .output()
            .unwrap();
        let err = stderr(&out);
        if out.status.code() != Some(2) || !err.contains(expected) {
            failures.push(format!(
                "{args:?}: exit {:?}, stderr {err:?}",
                out.status.code()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(listener.accept().is_err(), "bad input reached the server");
}
