//! `arize-ax api-keys` against the fake: the secret printed once or
//! written to a dotenv file (and a key revoked when that write fails),
//! service keys, refresh and revoke by name, confirmation, bad input.

use crate::support::*;

#[test]
fn a_key_goes_into_an_env_file_and_out_again() {
    let env = Env::new(1);
    let run = |args: &[&str]| env.cmd().args(args).output().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env");
    std::fs::write(&path, "OTHER=1\nARIZE_API_KEY=old\n").unwrap();
    let path_arg = path.to_str().unwrap();

    let out = run(&[
        "api-keys",
        "create",
        "ci",
        "--env-file",
        path_arg,
        "-o",
        "json",
    ]);
    let made = json(&out);
    assert!(made.get("key").is_none(), "no secret printed: {made}");
    let text = std::fs::read_to_string(&path).unwrap();
    let secret = text
        .lines()
        .find_map(|l| l.strip_prefix("ARIZE_API_KEY="))
        .unwrap()
        .to_owned();
    assert!(text.starts_with("OTHER=1\n"), "{text}");
    assert_ne!(secret, "old");
    assert!(!stdout(&out).contains(&secret) && !stderr(&out).contains(&secret));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // The key in the file works.
    let out = bare()
        .env("ARIZE_API_KEY", &secret)
        .args([
            "--base-url",
            &env.fake.base_url(),
            "orgs",
            "list",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    // Printed once without --env-file: JSON field `key`.
    let shown = json(&run(&["api-keys", "create", "laptop", "-o", "json"]));
    let printed = shown["key"].as_str().unwrap();
    assert!(printed.starts_with("ak-"), "{shown}");

    // Refresh by name with a grace period, into the file; revoke by name.
    let out = run(&[
        "api-keys",
        "refresh",
        "ci",
        "--grace-period",
        "1h",
        "--env-file",
        path_arg,
        "-o",
        "json",
    ]);
    assert_eq!(json(&out)["id"], made["id"]);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        !text.contains(&secret),
        "the new secret replaced the old: {text}"
    );
    let out = run(&["api-keys", "revoke", "ci"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--yes"));
    let out = run(&["api-keys", "revoke", "ci", "--yes"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Again, by name: revoked already, which is success.
    let out = run(&["api-keys", "revoke", "ci", "--yes"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("revoked already"), "{}", stderr(&out));
    let listed = json(&run(&["api-keys", "list", "--all", "-o", "json"]));
    assert_eq!(listed.as_array().unwrap().len(), 1, "only laptop: {listed}");

    // Two active keys of one name (a rotation in progress) and a revoked
    // one: revoking by that name is ambiguous, never "revoked already".
    json(&run(&["api-keys", "create", "ci", "-o", "json"]));
    json(&run(&["api-keys", "create", "ci", "-o", "json"]));
    let out = run(&["api-keys", "revoke", "ci", "--yes"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("ambiguous"), "{}", stderr(&out));
    let live = |env: &Env| {
        env.fake
            .api_keys()
            .iter()
            .filter(|k| k.status == arize_ax::api_keys::KeyStatus::Active)
            .count()
    };
    assert_eq!(live(&env), 3);
    // A space that does not exist is its own error, not "revoked already".
    let out = run(&["api-keys", "revoke", "ci", "--space", "nope", "--yes"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("revoked already"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_failed_env_file_write_revokes_the_new_key_and_a_symlink_makes_none() {
    let env = Env::new(1);
    let run = |args: &[&str]| env.cmd().args(args).output().unwrap();
    let dir = tempfile::tempdir().unwrap();
    // A file that cannot be read back (not UTF-8): found after the key is made.
    let path = dir.path().join("bad.env");
    std::fs::write(&path, [0xff, 0xfe, b'\n']).unwrap();
    let out = run(&[
        "api-keys",
        "create",
        "ci",
        "--env-file",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("was revoked"), "{}", stderr(&out));
    let keys = env.fake.api_keys();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].status, arize_ax::api_keys::KeyStatus::Revoked);
    assert!(!stdout(&out).contains(keys[0].secret.expose_secret()));

    #[cfg(unix)]
    {
        let link = dir.path().join("link.env");
        std::os::unix::fs::symlink(dir.path().join("target.env"), &link).unwrap();
        let out = run(&[
            "api-keys",
            "create",
            "ci2",
            "--env-file",
            link.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
        assert_eq!(env.fake.api_keys().len(), 1, "no key was made");
    }
}

#[test]
fn a_service_key_for_a_space_by_name() {
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
    let made = json(&run(&[
        "api-keys",
        "create-service-key",
        "nightly",
        "--space",
        "ranking",
        "--org",
        "org-00001",
        "--space-role",
        "read-only",
        "--org-role",
        "member",
        "--expires-in",
        "90d",
        "-o",
        "json",
    ]));
    assert_eq!(made["key_type"], "SERVICE");
    assert_eq!(
        made["bot_user"]["organizations"][0]["role"]["name"],
        "MEMBER"
    );
    assert_eq!(
        made["bot_user"]["organizations"][0]["spaces"][0]["role"]["name"],
        "READ_ONLY"
    );
    let listed = json(&run(&[
        "api-keys", "list", "--space", "ranking", "-o", "json",
    ]));
    assert_eq!(listed[0]["id"], made["id"]);
    // Its expiry cannot be lengthened or dropped by a refresh: refused
    // first, by name or by ID (looked up in the listings).
    let id = made["id"].as_str().unwrap();
    for key in ["nightly", id] {
        let out = run(&["api-keys", "refresh", key, "--space", "ranking"]);
        assert_eq!(out.status.code(), Some(2), "{key}: {}", stderr(&out));
        assert!(stderr(&out).contains("expires_at"), "{}", stderr(&out));
    }
    assert_eq!(env.fake.request_count("POST", "/v2/api-keys/"), 0);
}

#[test]
fn bad_input_exits_2_and_sends_nothing() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["api-keys", "create", ""], "invalid name"),
        (
            vec!["api-keys", "create", "k", "--expires-in", "soon"],
            "not a duration",
        ),
        (
            vec!["api-keys", "create", "k", "--expires-in", "100000000y"],
            "too long",
        ),
        (
            vec![
                "api-keys",
                "create",
                "k",
                "--expires-at",
                "2020-01-01T00:00:00Z",
            ],
            "in the future",
        ),
        (vec!["api-keys", "create-service-key", "k"], "--space"),
        (
            vec![
                "api-keys",
                "create-service-key",
                "k",
                "--space",
                "s",
                "--space-role",
                "annotator",
            ],
            "ANNOTATOR",
        ),
        (
            vec![
                "api-keys",
                "refresh",
                "QXBpS2V5OjE=",
                "--grace-period",
                "25h",
            ],
            "grace_period",
        ),
        (vec!["api-keys", "list", "--type", "service"], "per space"),
        (vec!["api-keys", "revoke", "QXBpS2V5OjE="], "--yes"),
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
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(listener.accept().is_err(), "bad input reached the server");
}
