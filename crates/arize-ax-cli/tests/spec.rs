//! `arize-ax spec drift`: exit codes, formats, paths and URLs.

use std::io::{Read, Write};
use std::path::PathBuf;

use serde_json::Value;

use crate::support::*;

fn upstream_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(arize_ax_spec::VENDORED_UPSTREAM)
}

fn upstream() -> Value {
    arize_ax_spec::load_file(&upstream_path()).unwrap()
}

fn write(dir: &tempfile::TempDir, name: &str, doc: &Value) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, serde_json::to_string_pretty(doc).unwrap()).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn no_drift_against_the_vendored_upstream() {
    let out = bare()
        .args(["spec", "drift", "--upstream"])
        .arg(upstream_path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("no drift"));
}

#[test]
fn breaking_drift_exits_1_and_lists_the_change() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = upstream();
    doc.pointer_mut("/components/schemas/CreateOrganizationRequest/properties/name")
        .unwrap()["maxLength"] = 64.into();
    let path = write(&dir, "upstream.json", &doc);

    let out = bare()
        .args(["spec", "drift", "--upstream", &path])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains(
            "breaking  create_organization request body .name: maxLength tightened from 255 to 64"
        ),
        "{text}"
    );
    assert!(text.contains("1 breaking, 0 additive"), "{text}");

    let out = bare()
        .args(["spec", "drift", "--format", "json", "--upstream", &path])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let changes: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(changes[0]["kind"], "breaking");
    assert_eq!(
        changes[0]["location"],
        "create_organization request body .name"
    );
}

#[test]
fn additive_drift_passes_unless_strict() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = upstream();
    doc.pointer_mut("/components/schemas/Organization/properties")
        .unwrap()["updated_at"] = serde_json::json!({"type": "string", "format": "date-time"});
    let path = write(&dir, "upstream.json", &doc);
    let out = bare()
        .args(["spec", "drift", "--upstream", &path])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("additive"));
    let out = bare()
        .args(["spec", "drift", "--strict", "--upstream", &path])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_resource_out_of_scope_is_listed_and_passes_even_strict() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = upstream();
    doc["paths"]["/v2/widgets"] = serde_json::json!({
        "get": {"operationId": "list_widgets", "responses": {"200": {"description": "ok"}}},
        "post": {"operationId": "create_widget", "responses": {"201": {"description": "made"}}}
    });
    let path = write(&dir, "upstream.json", &doc);
    let out = bare()
        .args(["spec", "drift", "--strict", "--upstream", &path])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("no drift"));
    assert!(
        stdout(&out).contains("\nnot in scope: /v2/widgets (2 operations)\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn unreadable_input_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.yaml");
    std::fs::write(&garbage, "openapi: [unclosed").unwrap();
    let not_openapi = write(
        &dir,
        "swagger.json",
        &serde_json::json!({"swagger": "2.0", "paths": {}}),
    );
    for source in [
        garbage.to_string_lossy().into_owned(),
        not_openapi,
        "/no/such/file.yaml".into(),
    ] {
        let out = bare()
            .args(["spec", "drift", "--upstream", &source])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{source}: {}", stderr(&out));
        assert!(stderr(&out).starts_with("error: "), "{}", stderr(&out));
    }
}

#[test]
fn upstream_can_be_a_url() {
    let body = std::fs::read(upstream_path()).unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/openapi.yaml", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        let mut request = [0u8; 4096];
        let _ = socket.read(&mut request).unwrap();
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/yaml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        socket.write_all(head.as_bytes()).unwrap();
        socket.write_all(&body).unwrap();
    });
    let out = bare()
        .args(["spec", "drift", "--upstream", &url])
        .output()
        .unwrap();
    server.join().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("no drift"));

    // Nothing listens here: an unreachable URL is unreadable input.
    let out = bare()
        .args([
            "spec",
            "drift",
            "--timeout",
            "2",
            "--upstream",
            "http://127.0.0.1:9/x.yaml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
