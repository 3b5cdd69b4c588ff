//! The command walk against a fake that leaves every empty value out of its
//! answers (`fake serve --omit-empty`, as a Go server with `omitempty`
//! does): nothing fails, and what is absent shows as the README's table of
//! sparse answers says.

use serde_json::Value;

use crate::support::*;

fn run(env: &Env, args: &[&str]) -> std::process::Output {
    let out = env.cmd().args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    out
}

fn run_json(env: &Env, args: &[&str]) -> Value {
    let out = run(env, args);
    serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", stdout(&out)))
}

#[test]
fn the_walk_passes_against_a_server_that_omits_empty_values() {
    let env = Env::omitting_empty(3);
    // A listing whose last page says nothing of `has_more` (false, left out).
    let orgs = run_json(&env, &["orgs", "list", "--all", "-o", "json"]);
    assert_eq!(orgs.as_array().unwrap().len(), 3);
    let created = run_json(&env, &["orgs", "create", "research", "-o", "json"]);
    // The empty description was left out by the server; it shows as "".
    assert_eq!(created["description"], "");
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(
        run_json(&env, &["orgs", "get", "research", "-o", "json"])["id"],
        id.as_str()
    );
    run(
        &env,
        &["orgs", "update", "research", "--description", "Papers"],
    );
    let cleared = run_json(
        &env,
        &[
            "orgs",
            "update",
            "research",
            "--description",
            "",
            "-o",
            "json",
        ],
    );
    assert_eq!(cleared["description"], "");
    run(&env, &["orgs", "list", "-o", "table"]);

    let users = run_json(&env, &["users", "list", "-o", "json"]);
    assert!(!users.as_array().unwrap().is_empty());
    let created = run_json(
        &env,
        &[
            "users",
            "create",
            "Ann Notator",
            "anna.notator@example.com",
            "--role",
            "annotator",
            "-o",
            "json",
        ],
    );
    // An annotator may not use the API: `false`, left out, shows as false.
    assert_eq!(created["is_developer"], false);
    let member = run_json(
        &env,
        &[
            "users",
            "create",
            "Mo",
            "mo@example.com",
            "--role",
            "member-ui-only",
            "-o",
            "json",
        ],
    );
    assert_eq!(member["role"]["name"], "MEMBER_UI_ONLY");
    run(&env, &["users", "get", "mo@example.com", "-o", "table"]);
    run(
        &env,
        &["users", "update", "mo@example.com", "--no-developer"],
    );
    let added = run_json(
        &env,
        &[
            "orgs",
            "add-user",
            "research",
            "mo@example.com",
            "--role",
            "member",
            "-o",
            "json",
        ],
    );
    assert_eq!(added["role"]["name"], "MEMBER");
    run(&env, &["orgs", "remove-user", "research", "mo@example.com"]);

    let spaces = run_json(&env, &["spaces", "list", "-o", "json"]);
    let first = &spaces.as_array().unwrap()[0];
    assert!(first["id"].is_string(), "{first}");
    run(&env, &["spaces", "list", "-o", "table"]);
    run(&env, &["orgs", "delete", "research", "--yes"]);
}

#[test]
fn spaces_of_an_organization_that_does_not_exist_are_not_found() {
    let env = Env::new(0);
    let out = env
        .cmd()
        .args(["spaces", "list", "--org", "T3JnYW5pemF0aW9uOjk5OTk5"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
}

#[test]
fn users_create_sets_the_developer_flag_by_a_second_call() {
    let env = Env::new(0);
    let created = {
        let out = env
            .cmd()
            .args([
                "users",
                "create",
                "Dev",
                "dev@example.com",
                "--role",
                "annotator",
                "--developer",
                "-o",
                "json",
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_str::<Value>(&stdout(&out)).unwrap()
    };
    // The fake refuses unknown fields as Arize does, so the create carried
    // no `is_developer`; the flag came from the PATCH after it.
    assert_eq!(created["is_developer"], true);
    let requests = env.fake.requests();
    assert!(
        requests
            .iter()
            .any(|r| r.method == "POST" && r.path == "/v2/users" && r.status == 201)
    );
    assert!(
        requests
            .iter()
            .any(|r| r.method == "PATCH" && r.path.starts_with("/v2/users/") && r.status == 200)
    );
}

#[test]
fn a_failed_developer_follow_up_keeps_the_user_and_says_what_to_run() {
    let env = Env::new(0);
    env.fake
        .inject(arize_ax_fake::Fault::status(403).on("PATCH", "/v2/users/"));
    let out = env
        .cmd()
        .args([
            "users",
            "create",
            "O Neil",
            "o'neil@example.com",
            "--no-developer",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    // The create succeeded: exit 1 (not the update's 4), the user printed.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let created: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(created["email"], "o'neil@example.com");
    let err = stderr(&out);
    assert!(
        err.contains(r#"arize-ax users update 'o'\''neil@example.com' --no-developer"#),
        "{err}"
    );
    assert!(
        env.fake
            .users()
            .iter()
            .any(|u| u.email == "o'neil@example.com")
    );
}
