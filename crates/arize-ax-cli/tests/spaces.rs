//! `spaces get|create|update|delete|add-user|remove-user|add-users|
//! remove-users` against the fake.

use crate::support::*;

#[test]
fn create_get_update_and_delete_a_space() {
    let env = Env::new(1);
    let out = env
        .cmd()
        .args([
            "spaces",
            "create",
            "ranking",
            "--org",
            "org-00001",
            "--private",
            "--description",
            "Ranking models",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    let made = json(&out);
    assert_eq!(made["name"], "ranking");
    assert_eq!(made["is_private"], true);

    let out = env
        .cmd()
        .args([
            "spaces",
            "get",
            "ranking",
            "--org",
            "org-00001",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(json(&out)["id"], made["id"]);

    let out = env
        .cmd()
        .args([
            "spaces",
            "update",
            "ranking",
            "--public",
            "--clear-description",
            "--ml-models",
            "true",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    let changed = json(&out);
    assert_eq!(changed["is_private"], false);
    assert_eq!(changed["description"], "");
    assert_eq!(changed["ml_models_enabled"], true);

    // The preview changes nothing.
    env.fake.clear_requests();
    let out = env
        .cmd()
        .args(["spaces", "delete", "ranking", "--dry-run"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("\"ranking\""), "{text}");
    assert!(text.contains("org-00001"), "{text}");
    assert!(text.contains("nothing was deleted"), "{text}");
    assert!(env.fake.requests().iter().all(|r| r.method == "GET"));

    // Without a terminal and without --yes, nothing is deleted.
    let out = env
        .cmd()
        .args(["spaces", "delete", "ranking"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--yes"), "{}", stderr(&out));
    assert_eq!(env.fake.spaces().len(), 1);

    let out = env
        .cmd()
        .args(["spaces", "delete", "ranking", "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(env.fake.spaces().is_empty());
}

#[test]
fn add_user_joins_the_organization_when_asked_and_says_how_otherwise() {
    let env = Env::new(1);
    env.fake.with_state(|s| s.seed_spaces(1));
    let out = env
        .cmd()
        .args([
            "spaces",
            "add-user",
            "default",
            "bob@example.com",
            "--role",
            "member",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--join-org"), "{}", stderr(&out));

    let out = env
        .cmd()
        .args([
            "spaces",
            "add-user",
            "default",
            "bob@example.com",
            "--role",
            "read-only",
            "--join-org",
            "member",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    let m = json(&out);
    assert_eq!(m["role"]["name"], "READ_ONLY");

    let out = env
        .cmd()
        .args(["spaces", "remove-user", "default", "bob@example.com"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("removed user"), "{}", stderr(&out));
}

#[test]
fn bulk_add_and_remove_from_a_file() {
    let env = Env::new(1);
    env.fake.with_state(|s| s.seed_spaces(1));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("users.txt");
    std::fs::write(&file, "# team\nbob@example.com\nalice@example.com\n").unwrap();
    let path = file.to_str().unwrap();
    let out = env
        .cmd()
        .args([
            "orgs",
            "add-users",
            "org-00001",
            "--role",
            "member",
            "--from",
            path,
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    let out = env
        .cmd()
        .args([
            "spaces",
            "add-users",
            "default",
            "--role",
            "member",
            "--from",
            path,
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(json(&out).as_array().unwrap().len(), 2);

    let out = env
        .cmd()
        .args(["spaces", "remove-users", "default", "--from", path])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn bad_input_exits_2_with_nothing_sent() {
    let env = Env::new(1);
    env.fake.with_state(|s| s.seed_spaces(1));
    env.fake.clear_requests();
    let cases: &[&[&str]] = &[
        &["spaces", "create", " ", "--org", "org-00001"],
        &["spaces", "update", "default"],
        &[
            "spaces",
            "update",
            "default",
            "--llm-integration",
            "no-colon",
        ],
        &[
            "spaces",
            "add-user",
            "default",
            "bob@example.com",
            "--role",
            "owner",
        ],
        &[
            "spaces",
            "add-user",
            "default",
            "bob@example.com",
            "--role",
            "member",
            "--invite",
        ],
    ];
    for args in cases {
        let out = env.cmd().args(*args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
    assert!(env.fake.requests().is_empty(), "{:?}", env.fake.requests());
}
