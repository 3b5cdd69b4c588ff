//! Settings: `ax` profiles under a temporary HOME, their precedence against
//! variables and flags, `config show`/`config profiles`, the API flags in
//! every position, and a closed stdout.

use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Stdio;

use crate::support::*;

/// A temporary HOME with `ax` profiles in it.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".arize/profiles")).unwrap();
        Home { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes profile `name` (mode 600 unless `mode` says otherwise).
    fn profile(&self, name: &str, text: &str) -> &Home {
        self.profile_with_mode(name, text, 0o600)
    }

    fn profile_with_mode(&self, name: &str, text: &str, mode: u32) -> &Home {
        let path = self.path().join(format!(".arize/profiles/{name}.toml"));
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        self
    }

    fn activate(&self, name: &str) -> &Home {
        std::fs::write(
            self.path().join(".arize/.active_profile"),
            format!("{name}\n"),
        )
        .unwrap();
        self
    }

    /// `arize-ax` with nothing in its environment but this HOME.
    fn cmd(&self) -> assert_cmd::Command {
        let mut cmd = bare();
        cmd.env("HOME", self.path());
        cmd
    }
}

/// A profile that reaches `env`'s fake with `key`.
fn local_profile(env: &Env, key: &str) -> String {
    format!(
        "[profile]\nname = \"local\"\n[auth]\nauth_method = \"api-key\"\napi_key = \"{key}\"\n\
         [routing]\nsingle_host = \"127.0.0.1\"\nsingle_port = {}\napi_scheme = \"http\"\n",
        env.fake.addr().port()
    )
}

/// `config show -o json` as setting → (value, source).
fn show(cmd: &mut assert_cmd::Command) -> std::collections::HashMap<String, (String, String)> {
    let out = cmd.args(["config", "show", "-o", "json"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: Vec<serde_json::Value> = serde_json::from_str(&stdout(&out)).unwrap();
    rows.into_iter()
        .map(|r| {
            (
                r["setting"].as_str().unwrap().to_owned(),
                (
                    r["value"].as_str().unwrap().to_owned(),
                    r["source"].as_str().unwrap().to_owned(),
                ),
            )
        })
        .collect()
}

#[test]
fn the_active_profile_reaches_the_server_and_config_show_says_so() {
    let env = Env::new(2);
    let home = Home::new();
    home.profile("local", &local_profile(&env, KEY))
        .activate("local");
    let out = home.cmd().args(["orgs", "list", "-q"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 3, "{}", stdout(&out));
    assert!(!stderr(&out).contains("readable"), "{}", stderr(&out));

    let settings = show(&mut home.cmd());
    assert_eq!(settings["profile"].1, "~/.arize/.active_profile");
    assert!(settings["profile"].0.starts_with("local ("), "{settings:?}");
    assert_eq!(
        settings["endpoint"],
        (
            format!("http://127.0.0.1:{}/", env.fake.addr().port()),
            "profile local".to_owned()
        )
    );
    assert_eq!(settings["api_key"].1, "profile local");
    assert_eq!(
        settings["timeout"],
        ("30s".to_owned(), "default".to_owned())
    );
    assert_eq!(
        settings["tls_verify"],
        ("true".to_owned(), "default".to_owned())
    );
}

#[test]
fn flags_beat_variables_beat_the_profile_beat_defaults() {
    let env = Env::new(1);
    let home = Home::new();
    let profile_key = "ak-from-profile-0000000000pppp";
    home.profile(
        "p",
        &format!(
            "[auth]\napi_key = \"{profile_key}\"\n[routing]\nregion = \"EU\"\n[security]\n\
             request_verify = false\n"
        ),
    )
    .activate("p");

    // The profile alone.
    let s = show(&mut home.cmd());
    assert_eq!(
        s["endpoint"],
        (
            "https://api.eu-west-1a.arize.com/".into(),
            "profile p".into()
        )
    );
    assert_eq!(s["region"], ("eu-west-1a".into(), "profile p".into()));
    assert_eq!(s["tls_verify"], ("false".into(), "profile p".into()));
    assert_eq!(s["api_key"], ("…pppp".into(), "profile p".into()));

    // Variables beat it, setting by setting; an endpoint variable replaces
    // the profile's routing as a whole.
    let s = show(
        home.cmd()
            .env("ARIZE_API_KEY", "ak-from-variable-000000000vvvv")
            .env("ARIZE_BASE_DOMAIN", "example.org")
            .env("ARIZE_REQUEST_VERIFY", "true"),
    );
    assert_eq!(
        s["endpoint"],
        (
            "https://api.example.org/".into(),
            "variable ARIZE_BASE_DOMAIN".into()
        )
    );
    assert_eq!(s["region"].0, "(none)", "{s:?}");
    assert_eq!(
        s["tls_verify"],
        ("true".into(), "variable ARIZE_REQUEST_VERIFY".into())
    );
    assert_eq!(
        s["api_key"],
        ("…vvvv".into(), "variable ARIZE_API_KEY".into())
    );

    // Flags beat both.
    let key_file = home.path().join("key");
    std::fs::write(&key_file, "ak-from-file-0000000000000ffff\n").unwrap();
    let s = show(
        home.cmd()
            .env("ARIZE_API_KEY", "ak-from-variable-000000000vvvv")
            .env("ARIZE_REGION", "us-central-1a")
            .args(["--api-key-file", key_file.to_str().unwrap()])
            .args(["--region", "CA", "--timeout", "7"]),
    );
    assert_eq!(
        s["endpoint"],
        (
            "https://api.ca-central-1a.arize.com/".into(),
            "flag --region".into()
        )
    );
    assert_eq!(s["api_key"], ("…ffff".into(), "flag --api-key-file".into()));
    assert_eq!(s["timeout"], ("7s".into(), "flag --timeout".into()));
    let s = show(home.cmd().args(["--base-url", &env.fake.base_url()]));
    assert_eq!(s["endpoint"].1, "flag --base-url");

    // A call goes where the winner says: the variable's key is wrong for
    // the fake, the flag's is right.
    let port = env.fake.addr().port().to_string();
    home.profile("local", &local_profile(&env, "wrong-key"));
    let out = home
        .cmd()
        .args(["--profile", "local", "orgs", "list", "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let out = home
        .cmd()
        .env("ARIZE_API_KEY", KEY)
        .args(["--profile", "local", "orgs", "list", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = home
        .cmd()
        .env("ARIZE_API_KEY", "wrong-too")
        .args(["--profile", "local", "--api-key", KEY, "orgs", "list", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{port}: {}", stderr(&out));
}

#[test]
fn which_profile_flag_then_variable_then_active() {
    let home = Home::new();
    for name in ["a", "b", "c"] {
        home.profile(
            name,
            &format!("[routing]\nbase_domain = \"{name}.example\"\n"),
        );
    }
    home.activate("a");
    assert_eq!(
        show(&mut home.cmd())["endpoint"].0,
        "https://api.a.example/"
    );
    assert_eq!(
        show(home.cmd().env("ARIZE_PROFILE", "b"))["endpoint"].0,
        "https://api.b.example/"
    );
    let s = show(
        home.cmd()
            .env("ARIZE_PROFILE", "b")
            .args(["--profile", "c"]),
    );
    assert_eq!(s["endpoint"].0, "https://api.c.example/");
    assert_eq!(s["profile"].1, "flag --profile");
    // No profile at all: the defaults.
    let empty = Home::new();
    let s = show(&mut empty.cmd());
    assert_eq!(s["profile"].0, "(none)");
    assert_eq!(
        s["endpoint"],
        ("https://api.arize.com/".into(), "default".into())
    );
    assert_eq!(s["api_key"], ("(none)".into(), "default".into()));
}

#[test]
fn variables_in_profiles_with_and_without_defaults() {
    let env = Env::new(1);
    let home = Home::new();
    let port = env.fake.addr().port();
    home.profile(
        "v",
        "[auth]\napi_key = \"${FAKE_KEY}\"\n[routing]\nsingle_host = \"${FAKE_HOST:127.0.0.1}\"\n\
         single_port = \"${FAKE_PORT}\"\napi_scheme = \"http\"\n",
    );
    let out = home
        .cmd()
        .env("FAKE_KEY", KEY)
        .env("FAKE_PORT", port.to_string())
        .args(["--profile", "v", "orgs", "list", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = home
        .cmd()
        .env("FAKE_PORT", port.to_string())
        .args(["--profile", "v", "orgs", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("${FAKE_KEY}, which is not set"), "{err}");
    assert!(err.contains("v.toml"), "{err}");
    assert!(
        env.fake.requests().len() == 1,
        "the failed one sent nothing"
    );
}

#[test]
fn oauth_unknown_and_readable_profiles() {
    let home = Home::new();
    home.profile(
        "sso",
        "[auth]\nauth_method = \"oauth\"\n[auth.oauth]\naccess_token = \"tok-secret\"\n",
    );
    home.profile_with_mode("open", "[auth]\napi_key = \"ak-open\"\n", 0o644);

    let out = home
        .cmd()
        .args(["--profile", "sso", "orgs", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let err = stderr(&out);
    assert!(
        err.contains("OAuth") && err.contains("ARIZE_API_KEY"),
        "{err}"
    );
    assert!(!err.contains("tok-secret"), "{err}");
    // With a key from elsewhere, an OAuth profile's routing still serves.
    let s = show(
        home.cmd()
            .env("ARIZE_API_KEY", "ak-elsewhere-000000000000eeee")
            .args(["--profile", "sso"]),
    );
    assert_eq!(s["api_key"].1, "variable ARIZE_API_KEY");

    let out = home
        .cmd()
        .args(["--profile", "nope", "orgs", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("\"nope\"") && err.contains("known profiles: open, sso"),
        "{err}"
    );
    let out = home
        .cmd()
        .args(["--profile", "../x", "orgs", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("invalid profile name"),
        "{}",
        stderr(&out)
    );
    home.activate("gone");
    let out = home.cmd().args(["config", "show"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("~/.arize/.active_profile"),
        "{}",
        stderr(&out)
    );

    let out = home
        .cmd()
        .args(["--profile", "open", "config", "show"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("readable by others (mode 644)"), "{err}");
    assert!(!stdout(&out).contains("ak-open"), "{}", stdout(&out));

    let out = home
        .cmd()
        .args(["config", "profiles", "-o", "json"])
        .output()
        .unwrap();
    let rows: Vec<serde_json::Value> = serde_json::from_str(&stdout(&out)).unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["open", "sso"]);
    assert_eq!(rows[1]["auth_method"], "oauth");
    assert!(
        rows.iter().all(|r| r["active"] == false),
        "gone is not a file"
    );
    home.activate("sso");
    let out = home.cmd().args(["config", "profiles"]).output().unwrap();
    let table = stdout(&out);
    let sso = table.lines().find(|l| l.starts_with("sso")).unwrap();
    assert!(sso.contains('*'), "{table}");
}

#[test]
fn config_show_never_prints_the_key() {
    let home = Home::new();
    let key = "ak-very-secret-key-1234567890wxyz";
    for format in ["table", "json", "jsonl", "csv"] {
        let out = home
            .cmd()
            .env("ARIZE_API_KEY", key)
            .args(["config", "show", "-o", format])
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = stdout(&out) + &stderr(&out);
        assert!(!text.contains("ak-very-secret"), "{format}: {text}");
        assert!(!text.contains("1234567890"), "{format}: {text}");
        assert!(text.contains("…wxyz"), "{format}: {text}");
    }
    let out = home
        .cmd()
        .env("ARIZE_API_KEY", "k9z7q")
        .args(["config", "show"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        !stdout(&out).contains("7q"),
        "nothing of a short key: {}",
        stdout(&out)
    );
}

#[test]
fn api_flags_work_in_every_position() {
    let env = Env::new(2);
    let home = Home::new();
    let key_file = home.path().join("key");
    std::fs::write(&key_file, format!("{KEY}\n")).unwrap();
    let key_file = key_file.to_str().unwrap();
    let url = env.fake.base_url();
    let flags = [
        "--api-key-file",
        key_file,
        "--base-url",
        &url,
        "--timeout",
        "5",
    ];
    for args in [
        [&flags[..], &["orgs", "list", "-q"]].concat(),
        [&["orgs"][..], &flags, &["list", "-q"]].concat(),
        [&["orgs", "list", "-q"][..], &flags].concat(),
        [&["-q", "users"][..], &flags, &["list"]].concat(),
        [&["spaces", "list", "-q"][..], &flags].concat(),
    ] {
        let out = home.cmd().args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(!stdout(&out).is_empty(), "{args:?}");
    }
}

#[test]
fn commands_that_call_no_api_refuse_api_flags_and_unusable_formats() {
    let home = Home::new();
    for args in [
        vec!["--region", "US", "demo"],
        vec!["demo", "--api-key", "k"],
        vec!["spec", "sync", "--check", "--profile", "x"],
        vec!["spec", "sync", "--check", "--timeout", "5"],
        vec!["completions", "bash", "--base-url", "http://x"],
        vec!["config", "profiles", "--api-key", "k"],
        vec!["fake", "serve", "--region", "US"],
    ] {
        let out = home.cmd().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains("calls none"), "{args:?}: {err}");
        assert!(
            !err.contains("Usage:"),
            "a sentence, not a parser dump: {err}"
        );
    }
    for args in [
        vec!["completions", "bash", "-o", "json"],
        vec!["spec", "sync", "--check", "-o", "json"],
        vec!["spec", "drift", "-o", "csv"],
        vec!["fake", "serve", "-o", "jsonl"],
    ] {
        let out = home.cmd().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("-o"), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let env = Env::new(3);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("arize-ax"))
        .env_clear()
        .env("ARIZE_API_KEY", KEY)
        .args([
            "--base-url",
            &env.fake.base_url(),
            "orgs",
            "list",
            "--all",
            "-o",
            "json",
            "-q",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away before anything is written.
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(!err.contains("error"), "{err}");
    assert!(!err.to_lowercase().contains("broken pipe"), "{err}");
}

#[test]
fn a_host_chosen_elsewhere_takes_nothing_of_the_profiles_routing() {
    let home = Home::new();
    home.profile(
        "local",
        "[auth]\napi_key = \"ak-local-000000000000000llll\"\n[routing]\nsingle_host = \"127.0.0.1\"\n\
         single_port = \"36501\"\napi_scheme = \"http\"\n",
    )
    .activate("local");
    let endpoint = |cmd: &mut assert_cmd::Command| show(cmd)["endpoint"].clone();
    // Not the profile's plain-HTTP scheme or port on a real host.
    assert_eq!(
        endpoint(home.cmd().args(["--region", "EU"])),
        (
            "https://api.eu-west-1a.arize.com/".into(),
            "flag --region".into()
        )
    );
    assert_eq!(
        endpoint(home.cmd().env("ARIZE_REGION", "eu-west-1a")),
        (
            "https://api.eu-west-1a.arize.com/".into(),
            "variable ARIZE_REGION".into()
        )
    );
    assert_eq!(
        endpoint(home.cmd().env("ARIZE_API_HOST", "api.example.com")).0,
        "https://api.example.com/"
    );
    // A port variable changes the profile's port, never its host.
    assert_eq!(
        endpoint(home.cmd().env("ARIZE_SINGLE_PORT", "9999")),
        (
            "http://127.0.0.1:9999/".into(),
            "profile local + variable ARIZE_SINGLE_PORT".into()
        )
    );
    // The variable that wins names the source.
    let s = show(
        home.cmd()
            .env("ARIZE_API_HOST", "api.custom.example")
            .env("ARIZE_SINGLE_HOST", "other.example"),
    );
    assert_eq!(
        s["endpoint"],
        (
            "https://api.custom.example/".into(),
            "variable ARIZE_API_HOST".into()
        )
    );
    assert_eq!(s["region"].0, "(none)");
}

#[test]
fn a_profile_value_that_loses_cannot_fail_the_command() {
    let env = Env::new(1);
    let home = Home::new();
    home.profile(
        "broken",
        "[auth]\napi_key = \"${ARIZE_KEY_NOBODY_SET}\"\n[routing]\nregion = \"US\"\nbase_domain = \"x.io\"\n",
    )
    .activate("broken");
    // Both bad values are overridden: the call goes through.
    let out = home
        .cmd()
        .args([
            "--api-key",
            KEY,
            "--base-url",
            &env.fake.base_url(),
            "orgs",
            "list",
            "-q",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // Used, each fails naming the rule and the file, before any request.
    let before = env.fake.requests().len();
    let out = home
        .cmd()
        .args(["--base-url", &env.fake.base_url(), "orgs", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("${ARIZE_KEY_NOBODY_SET}, which is not set"),
        "{}",
        stderr(&out)
    );
    let out = home
        .cmd()
        .args(["--api-key", KEY, "orgs", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("mutually exclusive") && err.contains("broken.toml"),
        "{err}"
    );
    assert_eq!(env.fake.requests().len(), before, "nothing was sent");
}

#[test]
fn commands_that_print_nothing_refuse_o_before_any_request() {
    let env = Env::new(1);
    let org = env.fake.organizations()[0].name.clone();
    for args in [
        vec!["users", "reset-password", "alice@example.com", "-o", "csv"],
        vec!["orgs", "delete", &org, "--yes", "-o", "json"],
        vec![
            "orgs",
            "remove-user",
            &org,
            "alice@example.com",
            "-o",
            "json",
        ],
        vec!["users", "resend-invitation", "x@example.com", "-o", "jsonl"],
    ] {
        let out = env.cmd().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("prints nothing on stdout"),
            "{}",
            stderr(&out)
        );
    }
    assert!(env.fake.requests().is_empty());
    assert_eq!(env.fake.organizations().len(), 1);
}

/// Runs `cmd` with a stdout whose reader has gone; returns (exit, stderr).
fn with_closed_stdout(mut cmd: std::process::Command) -> (Option<i32>, String) {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (child.wait().unwrap().code(), err)
}

#[test]
fn a_closed_stdout_never_panics_nor_hides_failed_users() {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("arize-ax"));
    cmd.env_clear().args(["completions", "bash"]);
    let (code, err) = with_closed_stdout(cmd);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.is_empty(), "{err}");

    let env = Env::new(1);
    let org = env.fake.organizations()[0].name.clone();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("users.txt");
    std::fs::write(&file, "bob@example.com\nnobody@example.com\n").unwrap();
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("arize-ax"));
    cmd.env_clear()
        .env("ARIZE_API_KEY", KEY)
        .args([
            "--base-url",
            &env.fake.base_url(),
            "-q",
            "orgs",
            "add-users",
            &org,
        ])
        .args([
            "--role",
            "member",
            "--from",
            file.to_str().unwrap(),
            "-o",
            "json",
        ]);
    let (code, err) = with_closed_stdout(cmd);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("1 of 2"), "{err}");
    assert!(err.contains("nobody@example.com"), "{err}");
}
