//! `arize-ax audit-logs`, `restrictions` and `access review` against the
//! fake: the log read back with filters and streamed as JSON lines, the
//! 403 explained, restrictions through short pages, the review's rows and
//! its note of what the API does not show; bad input refused before
//! anything is sent.

use serde_json::Value;

use crate::support::*;

#[test]
fn the_audit_log_streams_as_json_lines_with_filters() {
    let env = Env::new(2);
    env.fake
        .with_state(|s| s.seed_audit_log(250, chrono::Duration::minutes(1)));
    let run = |args: &[&str]| env.cmd().args(args).output().unwrap();
    ok(&run(&["orgs", "create", "audited", "-o", "json"]));

    let out = ok(&run(&[
        "audit-logs",
        "list",
        "--all",
        "--limit",
        "100",
        "-o",
        "jsonl",
    ]));
    let entries: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(entries.len() >= 251, "{}", entries.len());
    assert_eq!(entries[0]["operation_name"], "POST /v2/organizations");

    let out = ok(&run(&[
        "audit-logs",
        "list",
        "--since",
        "1h",
        "--type",
        "mutation",
        "--operation",
        "POST /v2/organizations",
        "--user",
        "alice@example.com",
        "-o",
        "json",
    ]));
    let entries: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(entries.len(), 1, "{out}");
    assert!(
        entries[0]["operation_text"]
            .as_str()
            .unwrap()
            .contains("audited")
    );

    // Too many names, an empty one, a window that ends before it starts,
    // an unreadable time: usage errors, nothing sent.
    let before = env.fake.requests().len();
    let mut many = vec!["audit-logs", "list"];
    for _ in 0..21 {
        many.extend(["--operation", "GET /v2/users"]);
    }
    for args in [
        many,
        vec!["audit-logs", "list", "--operation", ""],
        vec!["audit-logs", "list", "--since", "1h", "--until", "2h"],
        vec!["audit-logs", "list", "--since", "last tuesday"],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
    assert_eq!(env.fake.requests().len(), before, "nothing sent");
}

#[test]
fn a_403_of_the_audit_log_says_what_is_needed() {
    let env = Env::new(0);
    env.fake.with_state(|s| s.set_audit_logging(false));
    let out = env.cmd().args(["audit-logs", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(
        text.contains("account admin") && text.contains("audit logging enabled"),
        "{text}"
    );
}

#[test]
fn restrictions_go_through_short_pages_and_unrestrict_twice_is_a_404() {
    let env = Env::new(0);
    env.fake.with_state(|s| s.add_hidden_restrictions(150));
    let run = |args: &[&str]| env.cmd().args(args).output().unwrap();
    let project = "UHJvamVjdDoyNDY4";
    for _ in 0..2 {
        let out = ok(&run(&["restrictions", "restrict", project, "-o", "json"]));
        let made: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(made["resource_type"], "PROJECT");
    }
    // Three empty pages of 50 are followed to the one that holds it.
    let out = ok(&run(&[
        "restrictions",
        "list",
        "--limit",
        "50",
        "-o",
        "json",
    ]));
    let page: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(page.len(), 1, "{out}");
    let out = ok(&run(&[
        "restrictions",
        "list",
        "--all",
        "--type",
        "project",
        "-o",
        "csv",
    ]));
    assert_eq!(out.lines().count(), 2, "{out}");

    let out = run(&["restrictions", "unrestrict", project]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out).contains("lifted"), "{}", stderr(&out));
    let out = run(&["restrictions", "unrestrict", project]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));

    let space = "U3BhY2U6MQ=="; // Space:1
    let before = env.fake.requests().len();
    let out = run(&["restrictions", "restrict", space]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("Space"), "{}", stderr(&out));
    assert_eq!(env.fake.requests().len(), before, "nothing sent");
}

#[test]
fn the_access_review_lists_rows_and_says_what_it_cannot_show() {
    let env = Env::new(1);
    let run = |args: &[&str]| env.cmd().args(args).output().unwrap();
    ok(&run(&[
        "spaces",
        "create",
        "ranking",
        "--org",
        "org-00001",
        "-o",
        "json",
    ]));
    ok(&run(&[
        "role-bindings",
        "create",
        "--user",
        "bob@example.com",
        "--role",
        "Reviewer",
        "--space",
        "ranking",
        "-o",
        "json",
    ]));
    let out = run(&["access", "review", "--org", "org-00001", "-o", "csv"]);
    let csv = ok(&out);
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("principal_type,principal_id,principal")
    );
    let bob = csv
        .lines()
        .find(|l| l.contains("bob@example.com") && l.contains("role_binding"))
        .unwrap_or_else(|| panic!("{csv}"));
    assert!(bob.contains(",ranking,Reviewer,custom,"), "{bob}");
    assert!(
        stderr(&out).contains("organization membership"),
        "{}",
        stderr(&out)
    );

    let out = ok(&run(&["access", "review", "-o", "json"]));
    let rows: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert!(rows.iter().any(|r| r["granted_by"] == "account_role"
        && r["principal"] == "alice@example.com"
        && r["role"] == "ADMIN"));
    let out = ok(&run(&["access", "review", "-q"]));
    assert!(out.starts_with("PRINCIPAL_TYPE"), "{out}");
}
