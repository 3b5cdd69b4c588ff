//! `arize-ax users list|get` against the fake (its default users: three
//! active, one invited, one expired).

use serde_json::Value;

use crate::support::*;

fn emails(out: &std::process::Output) -> Vec<String> {
    let array: Value =
        serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)));
    array
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn list_filters_by_status_in_any_case_and_by_email() {
    let env = Env::new(0);
    let out = env
        .cmd()
        .args([
            "users", "list", "-o", "json", "--status", "Invited", "--status", "EXPIRED",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(emails(&out), ["ivy@example.com", "ed@example.com"]);

    let out = env
        .cmd()
        .args([
            "users",
            "list",
            "-o",
            "json",
            "--status",
            "active,invited",
            "--email",
            "I",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(emails(&out), ["alice@example.com", "ivy@example.com"]);

    let out = env
        .cmd()
        .args(["users", "list", "--status", "suspended"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("active, invited or expired"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn list_pages_with_cursor_and_all() {
    let env = Env::new(0);
    let out = env
        .cmd()
        .args(["users", "list", "-o", "json", "--limit", "2"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(emails(&out), ["alice@example.com", "bob@example.com"]);
    let hint = stderr(&out);
    let cursor = hint
        .split("--cursor ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no cursor hint: {hint}"));

    let out = env
        .cmd()
        .args([
            "users", "list", "-o", "json", "--limit", "2", "--cursor", cursor,
        ])
        .output()
        .unwrap();
    assert_eq!(emails(&out), ["ann@example.com", "ivy@example.com"]);

    let out = env
        .cmd()
        .args([
            "users", "list", "-o", "jsonl", "--limit", "2", "--all", "--quiet",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 5);
    assert_eq!(stderr(&out), "", "--quiet leaves stderr empty");
    assert_eq!(env.fake.request_count("GET", "/v2/users"), 2 + 3);
}

#[test]
fn list_as_table_and_csv() {
    let env = Env::new(0);
    let out = env.cmd().args(["users", "list"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    for column in ["ID", "NAME", "EMAIL", "STATUS", "ROLE"] {
        assert!(header.contains(column), "{header}");
    }
    let ivy = text
        .lines()
        .find(|l| l.contains("ivy@example.com"))
        .unwrap();
    assert!(ivy.contains("INVITED") && ivy.contains("MEMBER"), "{ivy}");

    let out = env
        .cmd()
        .args(["users", "list", "-o", "csv"])
        .output()
        .unwrap();
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[2], "email");
    assert_eq!(reader.records().count(), 5);
}

#[test]
fn get_by_id_and_by_email() {
    let env = Env::new(0);
    let ann = env
        .fake
        .users()
        .into_iter()
        .find(|u| u.email == "ann@example.com")
        .unwrap();
    let out = env
        .cmd()
        .args(["users", "get", &ann.id, "-o", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let user: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(user["email"], "ann@example.com");
    assert_eq!(user["role"]["name"], "ANNOTATOR");
    assert_eq!(user["status"], "ACTIVE");

    let out = env
        .cmd()
        .args(["users", "get", "ANN@example.com", "-o", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let again: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(again, user);
}

#[test]
fn not_found_exits_3_and_the_beta_warning_shows_once() {
    let env = Env::new(0);
    let out = env
        .cmd()
        .args(["users", "get", "nobody@example.com"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("nobody@example.com"), "{err}");
    assert_eq!(err.matches("[BETA] users.get").count(), 1, "{err}");

    let out = env
        .cmd()
        .args(["users", "get", "VXNlcjo5OTk5OTk="])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));

    let out = env
        .cmd()
        .args(["users", "list", "--limit", "1", "--all"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stderr(&out).matches("[BETA] users.list").count(),
        1,
        "{}",
        stderr(&out)
    );

    let out = env
        .cmd()
        .args(["users", "get", "bob@example.com", "--quiet"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(stderr(&out), "");
}

#[test]
fn bad_input_sends_nothing() {
    let env = Env::new(0);
    for args in [
        &["users", "list", "--limit", "0"][..],
        &["users", "list", "--limit", "101"],
        &["users", "list", "--email", ""],
        &["users", "get", ""],
        &["users", "get", "not an id"],
    ] {
        let out = env.cmd().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
    assert!(env.fake.requests().is_empty(), "{:?}", env.fake.requests());
}
