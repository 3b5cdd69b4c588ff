//! Every `orgs` command, every output format, every exit code.

use serde_json::Value;

use crate::support::*;

#[test]
fn list_in_every_format() {
    let env = Env::new(3);
    let names: Vec<String> = env
        .fake
        .organizations()
        .into_iter()
        .map(|o| o.name)
        .collect();

    let out = env
        .cmd()
        .args(["orgs", "list", "-o", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let array = json(&out);
    let got: Vec<&str> = array
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(got, names);
    let first = &array[0];
    for field in ["id", "name", "description", "created_at"] {
        assert!(
            first.get(field).is_some(),
            "wire field {field} missing: {first}"
        );
    }

    let out = env
        .cmd()
        .args(["orgs", "list", "--output", "jsonl"])
        .output()
        .unwrap();
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[2]["name"], names[2].as_str());

    let out = env
        .cmd()
        .args(["orgs", "list", "-o", "csv"])
        .output()
        .unwrap();
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    assert_eq!(
        reader.headers().unwrap(),
        vec!["id", "name", "description", "created_at"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[0][1], names[0].as_str());

    let out = env.cmd().args(["orgs", "list"]).output().unwrap();
    let text = stdout(&out);
    let table: Vec<&str> = text.lines().collect();
    assert!(table[0].starts_with("ID "), "{text}");
    assert!(table[0].contains("NAME") && table[0].contains("CREATED_AT"));
    assert_eq!(table.len(), 4);
    // Aligned: every row's name starts in the same column as the header's.
    let column = table[0].find("NAME").unwrap();
    assert!(
        table[1..]
            .iter()
            .all(|row| row[column..].starts_with("org-")),
        "{text}"
    );
}

#[test]
fn list_pages_with_limit_cursor_and_all() {
    let env = Env::new(5);
    let out = env
        .cmd()
        .args(["orgs", "list", "--limit", "2", "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(json(&out).as_array().unwrap().len(), 2);
    let hint = stderr(&out);
    let cursor = hint
        .split("--cursor ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();

    let out = env
        .cmd()
        .args([
            "orgs", "list", "--limit", "2", "--cursor", &cursor, "-o", "json",
        ])
        .output()
        .unwrap();
    let page: Vec<String> = json(&out)
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(page, ["org-00003", "org-00004"]);

    // --all from a cursor: every match from there on.
    let out = env
        .cmd()
        .args([
            "orgs", "list", "--all", "--limit", "2", "--cursor", &cursor, "-o", "json",
        ])
        .output()
        .unwrap();
    let rest: Vec<String> = json(&out)
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(rest, ["org-00003", "org-00004", "org-00005"]);

    for format in ["json", "jsonl", "csv", "table"] {
        env.fake.clear_requests();
        let out = env
            .cmd()
            .args(["orgs", "list", "--all", "--limit", "2", "-o", format])
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = stdout(&out);
        let count = match format {
            "json" => json(&out).as_array().unwrap().len(),
            "jsonl" => text.lines().count(),
            _ => text.lines().count() - 1,
        };
        assert_eq!(count, 5, "{format}: {text}");
        assert_eq!(
            env.fake.request_count("GET", "/v2/organizations"),
            3,
            "{format}"
        );
        // No progress bar when stderr is not a terminal.
        assert!(
            !stderr(&out).contains("organizations listed"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn get_create_update_print_one_object() {
    let env = Env::new(0);
    let out = env
        .cmd()
        .args([
            "orgs",
            "create",
            "research",
            "--description",
            "Papers",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let created = json(&out);
    assert_eq!(created["name"], "research");
    assert_eq!(created["description"], "Papers");
    let id = created["id"].as_str().unwrap().to_owned();

    for org in ["research", id.as_str()] {
        let out = env
            .cmd()
            .args(["orgs", "get", org, "-o", "json"])
            .output()
            .unwrap();
        assert_eq!(json(&out)["id"], id.as_str(), "{org}");
    }

    let out = env
        .cmd()
        .args([
            "orgs",
            "update",
            "research",
            "--name",
            "research-2",
            "--description",
            "",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    let updated = json(&out);
    assert_eq!(
        (updated["name"].as_str(), updated["description"].as_str()),
        (Some("research-2"), Some(""))
    );

    let out = env
        .cmd()
        .args(["orgs", "get", "research-2", "-o", "csv"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(
        text.lines().next().unwrap(),
        "id,name,description,created_at"
    );
    assert!(text.lines().nth(1).unwrap().contains("research-2"));

    // A name that is taken: the API's 409, exit 1.
    let out = env
        .cmd()
        .args(["orgs", "create", "research-2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("409"), "{}", stderr(&out));
    assert!(stderr(&out).contains("choose another name"));
}

#[test]
fn membership_commands() {
    let env = Env::new(1);
    let out = env
        .cmd()
        .args([
            "orgs",
            "add-user",
            "org-00001",
            "bob@example.com",
            "--role",
            "read-only",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let m = json(&out);
    let bob = env
        .fake
        .users()
        .into_iter()
        .find(|u| u.email == "bob@example.com")
        .unwrap();
    assert_eq!(m["user_id"], bob.id.as_str());
    assert_eq!(
        m["organization_id"],
        env.fake.organizations()[0].id.as_str()
    );
    assert_eq!(
        m["role"],
        serde_json::json!({"type": "PREDEFINED", "name": "READ_ONLY"})
    );
    assert!(m["id"].is_string());

    let out = env
        .cmd()
        .args([
            "orgs",
            "add-user",
            "org-00001",
            &bob.id,
            "--role",
            "ADMIN",
            "-o",
            "csv",
        ])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(
        text.lines().next().unwrap(),
        "id,user_id,organization_id,role_type,role_name,role_id"
    );
    assert!(
        text.lines().nth(1).unwrap().contains(",PREDEFINED,ADMIN,"),
        "{text}"
    );
    assert_eq!(env.fake.memberships().len(), 1);

    let out = env
        .cmd()
        .args(["orgs", "remove-user", "org-00001", "bob@example.com"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).is_empty(), "stdout carries data only");
    assert!(env.fake.memberships().is_empty());

    // The annotator rule: refused before writing, exit 2.
    let out = env
        .cmd()
        .args([
            "orgs",
            "add-user",
            "org-00001",
            "ann@example.com",
            "--role",
            "member",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("ANNOTATOR"), "{}", stderr(&out));
    assert_eq!(env.fake.request_count("POST", "/v2/organizations/"), 2);
}

#[test]
fn delete_needs_confirmation_without_a_terminal() {
    let env = Env::new(1);
    let out = env
        .cmd()
        .args(["orgs", "delete", "org-00001"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--yes"), "{}", stderr(&out));
    assert_eq!(env.fake.organizations().len(), 1, "nothing deleted");
    assert!(env.fake.requests().is_empty(), "nothing sent");

    let out = env
        .cmd()
        .args(["orgs", "delete", "org-00001", "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(env.fake.organizations().is_empty());
    assert!(stderr(&out).contains("deleted organization \"org-00001\""));
}

#[test]
fn exit_codes() {
    let env = Env::new(1);
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["orgs", "get", "no-such-org"],
            3,
            "no organization named \"no-such-org\"",
        ),
        (&["orgs", "get", "T3JnYW5pemF0aW9uOjk5OTk5"], 3, "404"),
        (&["orgs", "list", "--limit", "0"], 2, "1 to 100"),
        (&["orgs", "list", "--limit", "101"], 2, "1 to 100"),
        (
            &["orgs", "update", "org-00001"],
            2,
            "at least one of name or description",
        ),
        (&["orgs", "create", "  "], 2, "invalid name"),
        (
            &[
                "orgs",
                "add-user",
                "org-00001",
                "bob@example.com",
                "--role",
                "owner",
            ],
            2,
            "admin, member, read-only, annotator",
        ),
        (&["orgs", "get", ""], 2, "invalid organization"),
        (&["orgs", "frobnicate"], 2, "unrecognized subcommand"),
    ];
    for (args, code, message) in cases {
        env.fake.clear_requests();
        let out = env.cmd().args(*args).output().unwrap();
        assert_eq!(out.status.code(), Some(*code), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
        assert!(stdout(&out).is_empty(), "{args:?}");
        if *code == 2 {
            assert!(env.fake.requests().is_empty(), "{args:?} sent a request");
        }
    }
    // Wrong key: 401, exit 4.
    let out = env
        .cmd()
        .env("ARIZE_API_KEY", "wrong")
        .args(["orgs", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("ARIZE_API_KEY"));
    assert!(
        !stderr(&out).contains("wrong"),
        "the key must not be echoed"
    );
}

#[test]
fn api_flags_override_the_environment_before_or_after_the_command() {
    let env = Env::new(2);
    let url = env.fake.base_url();
    for args in [
        vec![
            "orgs",
            "--api-key",
            KEY,
            "--base-url",
            &url,
            "--timeout",
            "5",
            "list",
        ],
        vec![
            "orgs",
            "list",
            "--api-key",
            KEY,
            "--base-url",
            &url,
            "-o",
            "jsonl",
        ],
        vec![
            "-o",
            "jsonl",
            "users",
            "--base-url",
            &url,
            "list",
            "--api-key",
            KEY,
        ],
    ] {
        let out = bare().args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    let out = bare()
        .args([
            "orgs",
            "list",
            "--api-key",
            KEY,
            "--base-url",
            &url,
            "-o",
            "jsonl",
        ])
        .output()
        .unwrap();
    assert_eq!(stdout(&out).lines().count(), 2);
    let out = env
        .cmd()
        .args(["orgs", "--region", "mars-1", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("valid regions"), "{}", stderr(&out));
}

#[test]
fn the_api_key_can_come_from_a_file_or_stdin() {
    let env = Env::new(2);
    let url = env.fake.base_url();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("key");
    std::fs::write(&file, format!("{KEY}\n")).unwrap();
    let out = bare()
        .args([
            "orgs",
            "list",
            "-o",
            "jsonl",
            "--base-url",
            &url,
            "--api-key-file",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 2);

    let out = bare()
        .args(["orgs", "list", "--base-url", &url, "--api-key-file", "-"])
        .write_stdin(format!("{KEY}\n"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    let empty = dir.path().join("empty");
    std::fs::write(&empty, "\n").unwrap();
    for path in [empty, dir.path().join("missing")] {
        let out = bare()
            .args(["orgs", "list", "--base-url", &url, "--api-key-file"])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains("--api-key-file"), "{}", stderr(&out));
    }
    assert!(
        env.fake.requests().iter().filter(|r| !r.authorized).count() == 0,
        "no request went out without the key"
    );
}

#[test]
fn api_flags_say_where_they_apply() {
    for args in [
        ["spec", "drift", "--help"],
        ["spec", "sync", "--help"],
        ["demo", "--help", ""],
    ] {
        let args: Vec<&str> = args.into_iter().filter(|a| !a.is_empty()).collect();
        let out = bare().args(&args).output().unwrap();
        let help = stdout(&out);
        assert!(out.status.success(), "{args:?}");
        assert!(
            help.contains("API flags (for the commands that call the Arize API)"),
            "{args:?}:\n{help}"
        );
    }
    let help = stdout(&bare().args(["orgs", "list", "--help"]).output().unwrap());
    assert!(help.contains("--api-key-file"), "{help}");
    assert!(
        help.contains("process"),
        "the --api-key help warns about process lists: {help}"
    );
}

#[test]
fn bulk_add_and_remove_from_a_file_and_stdin() {
    let env = Env::new(1);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("users.txt");
    std::fs::write(
        &file,
        "# new team\nalice@example.com\n\nbob@example.com\nnobody@example.com\n",
    )
    .unwrap();

    let out = env
        .cmd()
        .args([
            "orgs",
            "add-users",
            "org-00001",
            "--role",
            "member",
            "--concurrency",
            "4",
            "-o",
            "jsonl",
            "--from",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "one user failed: {}",
        stderr(&out)
    );
    let made: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(made.len(), 2);
    let err = stderr(&out);
    assert!(err.contains("added 2 of 3 users; 1 failed"), "{err}");
    assert!(
        err.contains("nobody@example.com: no user with email"),
        "{err}"
    );
    assert_eq!(env.fake.memberships().len(), 2);

    let out = env
        .cmd()
        .args(["orgs", "remove-users", "org-00001", "--from", "-"])
        .write_stdin("alice@example.com\nbob@example.com\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("removed 2 of 2 users"));
    assert!(env.fake.memberships().is_empty());

    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "# nobody\n\n").unwrap();
    env.fake.clear_requests();
    let out = env
        .cmd()
        .args([
            "orgs",
            "add-users",
            "org-00001",
            "--role",
            "member",
            "--from",
        ])
        .arg(&empty)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(env.fake.requests().is_empty());
}

/// On a terminal, delete asks for the organization's name (run under
/// `script`, which gives the command a pseudo-terminal).
#[test]
fn delete_on_a_terminal_asks_for_the_name() {
    let env = Env::new(2);
    let bin = assert_cmd::cargo::cargo_bin("arize-ax");
    let run = |org: &str, typed: &str| {
        let port = env.fake.addr().port().to_string();
        let mut child = std::process::Command::new("script")
            .args([
                "-qec",
                &format!("{} orgs delete {org}", bin.display()),
                "/dev/null",
            ])
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("ARIZE_API_KEY", KEY)
            .env("ARIZE_API_HOST", "127.0.0.1")
            .env("ARIZE_API_SCHEME", "http")
            .env("ARIZE_API_PORT", port)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("`script` (util-linux) runs the command on a pseudo-terminal");
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{typed}\n").as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };

    let (code, screen) = run("org-00001", "org-0000");
    assert_eq!(code, Some(2), "{screen}");
    assert!(
        screen.contains("Type the organization's name to confirm"),
        "{screen}"
    );
    assert!(screen.contains("nothing was deleted"), "{screen}");
    assert_eq!(env.fake.organizations().len(), 2);

    let (code, screen) = run("org-00001", "org-00001");
    assert_eq!(code, Some(0), "{screen}");
    assert!(
        screen.contains("deleted organization \"org-00001\""),
        "{screen}"
    );
    let left: Vec<String> = env
        .fake
        .organizations()
        .into_iter()
        .map(|o| o.name)
        .collect();
    assert_eq!(left, ["org-00002"]);
}
