//! `users create|update|delete|resend-invitation|reset-password`, `spaces
//! list`, custom roles, `--invite` and the delete preview, against the fake.

use crate::support::*;

#[test]
fn users_create_prints_the_temporary_password_once() {
    let env = Env::new(0);
    let out = env
        .cmd()
        .args([
            "users",
            "create",
            "Tom Temp",
            "tom@example.com",
            "--invite",
            "temporary-password",
            "--role",
            "annotator",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    let created = json(&out);
    assert_eq!(created["invite_mode"], "TEMPORARY_PASSWORD");
    assert_eq!(created["status"], "INVITED");
    assert_eq!(created["role"]["name"], "ANNOTATOR");
    let password = created["temporary_password"].as_str().unwrap();
    assert!(!password.is_empty());
    assert!(!stderr(&out).contains(password), "{}", stderr(&out));

    // Table output: on stdout, with a note on stderr that it is shown once.
    let out = env
        .cmd()
        .args([
            "users",
            "create",
            "Tia Temp",
            "tia@example.com",
            "--invite",
            "temporary-password",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("TEMPORARY_PASSWORD"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("will not be shown again"),
        "{}",
        stderr(&out)
    );

    // The same email again: the pending invitation, said on stderr.
    let out = env
        .cmd()
        .args([
            "users",
            "create",
            "Tia Temp",
            "TIA@example.com",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    let again = json(&out);
    assert!(again.get("temporary_password").is_none(), "{again}");
    assert!(stderr(&out).contains("already invited"), "{}", stderr(&out));
}

#[test]
fn users_create_and_update_refuse_bad_input_with_nothing_sent() {
    let env = Env::new(0);
    for args in [
        &["users", "create", "", "a@example.com"][..],
        &["users", "create", "   ", "a@example.com"],
        &["users", "create", "A", "not-an-email"],
        &[
            "users",
            "create",
            "A",
            "a@example.com",
            "--invite",
            "carrier-pigeon",
        ],
        &[
            "users",
            "create",
            "A",
            "a@example.com",
            "--role",
            "read-only",
        ],
        &["users", "update", "bob@example.com"],
    ] {
        let out = env.cmd().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
    assert!(env.fake.requests().is_empty(), "{:?}", env.fake.requests());
}

#[test]
fn users_update_delete_resend_reset() {
    let env = Env::new(1);
    let out = env
        .cmd()
        .args([
            "users",
            "update",
            "bob@example.com",
            "--name",
            "Robert",
            "--no-developer",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    let bob = json(&out);
    assert_eq!(
        (bob["name"].as_str(), bob["is_developer"].as_bool()),
        (Some("Robert"), Some(false))
    );

    let out = env
        .cmd()
        .args(["users", "resend-invitation", "ivy@example.com"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = env
        .cmd()
        .args(["users", "reset-password", "ivy@example.com"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));

    // Delete: refused without a terminal (nothing sent), done with --yes.
    env.fake.clear_requests();
    let out = env
        .cmd()
        .args(["users", "delete", "bob@example.com"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--yes"), "{}", stderr(&out));
    assert!(env.fake.requests().is_empty());
    let out = env
        .cmd()
        .args(["users", "delete", "bob@example.com", "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = env
        .cmd()
        .args(["users", "get", "bob@example.com"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
}

#[test]
fn spaces_list_and_the_delete_preview() {
    let env = Env::new(2);
    env.fake.with_state(|s| s.seed_spaces(25));
    let org = env.fake.organizations()[0].clone();
    let out = env
        .cmd()
        .args(["spaces", "list", "--org", &org.name, "--all", "-o", "json"])
        .output()
        .unwrap();
    let spaces = json(&out);
    assert_eq!(spaces.as_array().unwrap().len(), 25);
    assert_eq!(spaces[1]["is_private"], true);

    env.fake.clear_requests();
    let out = env
        .cmd()
        .args(["orgs", "delete", &org.name, "--dry-run"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("its 25 spaces"), "{text}");
    assert!(text.contains("restricted (private)"), "{text}");
    assert!(text.contains("and 5 more"), "{text}");
    assert!(text.contains("nothing was deleted"), "{text}");
    assert!(
        env.fake.requests().iter().all(|r| r.method == "GET"),
        "{:?}",
        env.fake.requests()
    );
    assert_eq!(env.fake.organizations().len(), 2);
}

#[test]
fn add_user_with_a_custom_role_and_onboarding_with_invite() {
    let env = Env::new(1);
    let org = env.fake.organizations()[0].clone();
    let role = env.fake.custom_roles()[0].clone();
    let out = env
        .cmd()
        .args([
            "orgs",
            "add-user",
            &org.name,
            "bob@example.com",
            "--role",
            &format!("custom:{}", role.id),
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    let m = json(&out);
    assert_eq!(m["role"]["type"], "CUSTOM");
    assert_eq!(m["role"]["id"], role.id.as_str());
    assert_eq!(m["role"]["name"], role.name.as_str());

    let out = env
        .cmd()
        .args([
            "orgs",
            "add-user",
            &org.name,
            "hire@example.com",
            "--role",
            "member",
            "--invite",
            "--name",
            "New Hire",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let hire = env
        .fake
        .users()
        .into_iter()
        .find(|u| u.email == "hire@example.com")
        .expect("invited");
    assert_eq!(
        (hire.name.as_str(), hire.status.as_str()),
        ("New Hire", "INVITED")
    );

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("team.txt");
    std::fs::write(&file, "a@example.com,Ada A\nb@example.com\n# comment\n").unwrap();
    let out = env
        .cmd()
        .args([
            "orgs",
            "add-users",
            &org.name,
            "--role",
            "read-only",
            "--invite",
            "--from",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let name_of = |email: &str| {
        env.fake
            .users()
            .into_iter()
            .find(|u| u.email == email)
            .map(|u| u.name)
    };
    // Users are invited concurrently, so look them up by email.
    assert_eq!(name_of("a@example.com").as_deref(), Some("Ada A"));
    assert_eq!(name_of("b@example.com").as_deref(), Some("b"));
    // `email,name` lines without --invite are a usage error.
    let out = env
        .cmd()
        .args(["orgs", "add-users", &org.name, "--role", "member", "--from"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn the_same_user_twice_in_a_file_names_both_lines() {
    let env = Env::new(1);
    let org = env.fake.organizations()[0].clone();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("team.txt");
    std::fs::write(
        &file,
        "# team\nbob@example.com\nann@example.com\n\nBob@Example.com\n",
    )
    .unwrap();
    for command in ["add-users", "remove-users"] {
        let mut cmd = env.cmd();
        cmd.args(["orgs", command, &org.name]);
        if command == "add-users" {
            cmd.args(["--role", "member"]);
        }
        let out = cmd.arg("--from").arg(&file).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains("lines 2 and 5"), "{}", stderr(&out));
    }
    assert!(env.fake.requests().is_empty(), "{:?}", env.fake.requests());
}

#[test]
fn the_key_and_the_users_cannot_both_come_from_stdin() {
    let env = Env::new(1);
    let org = env.fake.organizations()[0].clone();
    let out = env
        .cmd()
        .env_remove("ARIZE_API_KEY")
        .args([
            "orgs",
            "add-users",
            &org.name,
            "--role",
            "member",
            "--from",
            "-",
            "--api-key-file",
            "-",
        ])
        .write_stdin(format!("{KEY}\nbob@example.com\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot both read stdin"),
        "{}",
        stderr(&out)
    );
    assert!(env.fake.requests().is_empty());
}
