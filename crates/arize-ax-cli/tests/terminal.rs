//! What reaches a person's terminal: hostile server text escaped, columns
//! aligned by display width, exact values in JSON and CSV; lost answers and
//! `--exist-ok`.

use arize_ax_fake::Fault;
use serde_json::json;

use crate::support::*;

const EVIL: &str = "evil\u{1b}[2J\u{1b}]0;owned\u{7}";

fn create(env: &Env, name: &str) -> arize_ax_fake::Org {
    env.fake
        .with_state(|s| {
            let body = json!({"name": name, "description": "x\u{9b}31m"});
            s.create_org(body.as_object().unwrap())
        })
        .unwrap()
}

#[test]
fn tables_and_errors_escape_control_characters_json_and_csv_keep_them() {
    let env = Env::new(0);
    create(&env, EVIL);
    let out = env.cmd().args(["orgs", "list"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let table = stdout(&out);
    assert!(!table.contains('\u{1b}') && !table.contains('\u{7}') && !table.contains('\u{9b}'));
    assert!(table.contains("evil\\x1b[2J\\x1b]0;owned\\x07"), "{table}");
    assert!(table.contains("x\\u{9b}31m"), "{table}");

    let out = env
        .cmd()
        .args(["orgs", "list", "-o", "json"])
        .output()
        .unwrap();
    let text = stdout(&out);
    let orgs: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(orgs[0]["name"], EVIL, "JSON keeps the exact value");
    assert_eq!(
        orgs[0]["description"], "x\u{9b}31m",
        "JSON keeps the exact value"
    );
    // ... and shows no control character: C1 (and DEL, format characters)
    // as JSON escapes, like the C0 ones serde escapes.
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{text:?}"
    );
    assert!(text.contains(r"x\u009b31m"), "{text}");
    for format in ["jsonl", "json"] {
        let out = env
            .cmd()
            .args(["orgs", "list", "--all", "-o", format])
            .output()
            .unwrap();
        let text = stdout(&out);
        assert!(text.contains(r"x\u009b31m"), "{format}: {text}");
    }
    let out = env
        .cmd()
        .args(["orgs", "list", "-o", "csv"])
        .output()
        .unwrap();
    assert!(stdout(&out).contains(EVIL), "CSV keeps the exact value");

    // The not-found error lists similar names: escaped too.
    let out = env.cmd().args(["orgs", "get", "evil"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(err.contains("\\u{1b}[2J"), "{err}");
}

/// A server that answers its `n`th request (from 1), whose first line is
/// `line`, with `answer(n, line)`: a status and a JSON body.
fn serve(answer: impl Fn(usize, &str) -> (u16, serde_json::Value) + Send + 'static) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for (n, stream) in listener.incoming().enumerate() {
            let Ok(mut stream) = stream else { return };
            let mut buf = [0u8; 4096];
            let read = stream.read(&mut buf).unwrap_or(0);
            let head = String::from_utf8_lossy(&buf[..read]);
            let (status, body) = answer(n + 1, head.lines().next().unwrap_or(""));
            let body = body.to_string();
            let kind = if status >= 400 {
                "problem+json"
            } else {
                "json"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\ncontent-type: application/{kind}\r\n\
                 content-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

/// A server that answers every request with a 404 whose problem title and
/// detail carry terminal escapes.
fn hostile_server() -> String {
    serve(|_, _| {
        let body = json!({
            "title": "Not found\u{1b}[2J",
            "status": 404,
            "detail": "gone\u{1b}]0;owned\u{7}\r\u{9b}31m",
        });
        (404, body)
    })
}

/// `--all` that fails part way: a table shows the rows that arrived, JSON
/// stays unclosed (a document cut short never reads as whole), and the
/// exit code tells of the failure; a failure before any row prints none.
#[test]
fn a_listing_that_fails_part_way_shows_what_arrived_and_fails() {
    let url = serve(|_, line| match line.contains("cursor=") {
        false => {
            let page = json!({
                "organizations": [{"id": "T3JnYW5pemF0aW9uOjE=", "name": "first"}],
                "pagination": {"has_more": true, "next_cursor": "c1"}
            });
            (200, page)
        }
        true => (
            400,
            json!({"status": 400, "title": "Bad request", "detail": "no"}),
        ),
    });
    let args = ["--api-key", "k", "--base-url", &url];
    let run = |format: &str| {
        bare()
            .args(["orgs", "list", "--all", "-o", format])
            .args(args)
            .output()
            .unwrap()
    };
    let table = run("table");
    assert_eq!(table.status.code(), Some(1));
    assert!(stdout(&table).contains("first"), "{}", stdout(&table));
    let json = run("json");
    assert_eq!(json.status.code(), Some(1));
    assert!(
        serde_json::from_str::<serde_json::Value>(&stdout(&json)).is_err(),
        "unclosed: {}",
        stdout(&json)
    );
    assert!(stdout(&json).contains("\"first\""));
    // A failure before any row: nothing printed.
    let url = serve(|_, _| (400, json!({"status": 400, "title": "Bad request"})));
    let table = bare()
        .args([
            "orgs",
            "list",
            "--all",
            "--api-key",
            "k",
            "--base-url",
            &url,
        ])
        .output()
        .unwrap();
    assert_eq!(table.status.code(), Some(1));
    assert_eq!(stdout(&table), "");
}

/// Empty pages for ever, each with a fresh cursor: the listing stops after
/// `MAX_EMPTY_PAGES` of them and says how to go on.
#[test]
fn endless_empty_pages_end_with_the_cursor_to_go_on_from() {
    let url = serve(|n, _| {
        let page = json!({
            "organizations": [],
            "pagination": {"has_more": true, "next_cursor": format!("c{n}")}
        });
        (200, page)
    });
    let max = arize_ax::MAX_EMPTY_PAGES;
    let args = ["--api-key", "k", "--base-url", &url];
    let out = bare()
        .args(["orgs", "list", "--all", "-o", "jsonl"])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{max} empty pages in a row")),
        "{err}"
    );
    assert!(
        err.contains(&format!("go on from cursor \"c{max}\"")),
        "{err}"
    );
    // One page: the last empty one, with the cursor to go on from.
    let out = bare().args(["orgs", "list"]).args(args).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(&format!("--cursor c{}", 2 * max)), "{err}");
}

#[test]
fn a_problem_detail_with_escapes_is_escaped() {
    let url = hostile_server();
    let out = bare()
        .args([
            "orgs",
            "get",
            "T3JnYW5pemF0aW9uOjE=",
            "--api-key",
            "k",
            "--base-url",
            &url,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    for raw in ['\u{1b}', '\u{7}', '\r', '\u{9b}'] {
        assert!(!err.contains(raw), "{raw:?} reached the terminal: {err:?}");
    }
    assert!(
        err.contains("gone\\x1b]0;owned\\x07\\x0d\\u{9b}31m"),
        "{err}"
    );
}

#[test]
fn wide_names_line_up() {
    let env = Env::new(0);
    for name in ["検索チーム", "rocket-🚀", "plain"] {
        create(&env, name);
    }
    let out = env.cmd().args(["orgs", "list"]).output().unwrap();
    let text = stdout(&out);
    let column = |line: &str| {
        let at = line.find("x\\u{9b}31m").unwrap();
        unicode_width::UnicodeWidthStr::width(&line[..at])
    };
    let columns: Vec<usize> = text.lines().skip(1).map(column).collect();
    assert_eq!(columns.len(), 3, "{text}");
    assert!(
        columns.iter().all(|c| *c == columns[0]),
        "{columns:?}\n{text}"
    );
}

#[test]
fn a_lost_delete_succeeds_with_a_note() {
    let env = Env::new(2);
    let org = env.fake.organizations()[1].clone();
    env.fake.inject(
        Fault::status(502)
            .on("DELETE", "/v2/organizations/")
            .after_effect(),
    );
    let out = env
        .cmd()
        .args(["orgs", "delete", &org.id, "--yes"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("note:") && err.contains("was lost"), "{err}");
    assert_eq!(env.fake.organizations().len(), 1);
}

#[test]
fn a_lost_create_exits_1_saying_how_to_check_and_exist_ok_recovers() {
    let env = Env::new(0);
    env.fake.inject(
        Fault::drop_connection()
            .on("POST", "/v2/organizations")
            .after_effect(),
    );
    let out = env
        .cmd()
        .args(["orgs", "create", "fresh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("orgs get fresh"), "{}", stderr(&out));
    assert_eq!(env.fake.organizations().len(), 1, "created once");

    env.fake.inject(
        Fault::status(503)
            .on("POST", "/v2/organizations")
            .after_effect(),
    );
    let out = env
        .cmd()
        .args(["orgs", "create", "second", "--exist-ok", "-o", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let org: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(org["name"], "second");
    let out = env
        .cmd()
        .args(["orgs", "create", "fresh", "--exist-ok", "-o", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(env.fake.organizations().len(), 2, "zero duplicates");
}
