//! The state file: survives restarts, and is never torn.

use arize_ax_fake::{FakeArize, write_atomically};
use serde_json::json;

#[tokio::test]
async fn state_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let fake = FakeArize::builder()
        .api_key("k")
        .seed_orgs(2)
        .state_file(&path)
        .start()
        .await
        .unwrap();
    let response = reqwest::Client::new()
        .post(format!("{}/v2/organizations", fake.base_url()))
        .bearer_auth("k")
        .json(&json!({"name": "kept", "description": "across restarts"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let before = fake.organizations();
    fake.shutdown().await;

    let again = FakeArize::builder()
        .api_key("k")
        .seed_orgs(50)
        .state_file(&path)
        .start()
        .await
        .unwrap();
    assert_eq!(again.organizations(), before, "loaded, not re-seeded");
    assert_eq!(again.organizations()[2].name, "kept");
}

#[tokio::test]
async fn a_corrupt_state_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    std::fs::write(&path, "{ torn").unwrap();
    let err = FakeArize::builder()
        .state_file(&path)
        .start()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("state.json"), "{err}");
}

#[test]
fn writes_are_all_or_nothing_under_concurrent_readers() {
    // A reader polling while writers replace the file always sees one whole
    // version, never a mix or a truncated file.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let versions: Vec<String> = (0..20)
        .map(|i| {
            serde_json::to_string(&json!({"version": i, "pad": "x".repeat(200_000 + i)})).unwrap()
        })
        .collect();
    write_atomically(&path, versions[0].as_bytes()).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let path = path.clone();
        let stop = stop.clone();
        let versions = versions.clone();
        std::thread::spawn(move || {
            let mut reads = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(
                    versions.contains(&text),
                    "torn read of {} bytes",
                    text.len()
                );
                reads += 1;
            }
            reads
        })
    };
    for v in &versions {
        write_atomically(&path, v.as_bytes()).unwrap();
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(reader.join().unwrap() > 0);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), versions[19]);
    // No temporary files are left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// Kills the fake binary (SIGKILL) while it saves after every change: the
/// state file always holds one whole version, old or new, never a torn one.
#[tokio::test]
async fn the_state_file_survives_a_kill_during_save() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let mut last_count = 0;
    for round in 0..6u64 {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_arize-ax-fake"))
            .args(["--port", "0", "--api-key", "k", "--orgs", "3000", "--state"])
            .arg(&path)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut url = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut url)
            .unwrap();
        let url = format!("{}/v2/organizations", url.trim());
        let http = reqwest::Client::new();
        let saved = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let answered = saved.clone();
        let writer = tokio::spawn(async move {
            for i in 0.. {
                let sent = http
                    .post(&url)
                    .bearer_auth("k")
                    .json(&json!({"name": format!("round-{round}-{i}"), "description": "x".repeat(500)}))
                    .send()
                    .await;
                if sent.is_err() {
                    break;
                }
                answered.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        });
        // Kill it while it saves: after its first answered (and so saved)
        // write, a little later each round, so the kill lands at different
        // points of the next saves (a save takes a few hundred ms here).
        let started = std::time::Instant::now();
        while saved.load(std::sync::atomic::Ordering::SeqCst) == 0
            && started.elapsed() < std::time::Duration::from_secs(60)
        {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10 + 37 * round)).await;
        child.kill().unwrap();
        child.wait().unwrap();
        let _ = writer.await;

        let text = std::fs::read(&path).unwrap();
        let state: serde_json::Value = serde_json::from_slice(&text).unwrap_or_else(|e| {
            panic!("round {round}: torn state file ({} bytes): {e}", text.len())
        });
        let count = state["orgs"].as_object().map_or(0, |o| o.len());
        assert!(
            count >= last_count.max(3000),
            "round {round}: {count} organizations after {last_count}"
        );
        last_count = count;
    }
    assert!(last_count > 3000, "some writes were saved");
}

#[test]
fn concurrent_writers_never_share_a_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let writers: Vec<_> = (0..8)
        .map(|i| {
            let path = path.clone();
            std::thread::spawn(move || {
                let text = format!(
                    "{{\"writer\": {i}, \"pad\": \"{}\"}}",
                    "x".repeat(64 * 1024)
                );
                for _ in 0..20 {
                    write_atomically(&path, text.as_bytes()).unwrap();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().expect("no writer failed");
    }
    let last: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).expect("never torn");
    assert!(last["writer"].as_u64().unwrap() < 8);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn concurrent_changes_are_all_saved_even_on_one_worker_thread() {
    // Saves run on blocking threads; each answer waits for its save.
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeArize::builder()
        .api_key("k")
        .seed_orgs(200)
        .state_file(dir.path().join("state.json"))
        .start()
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let creates = (0..20).map(|i| {
        http.post(format!("{}/v2/organizations", fake.base_url()))
            .bearer_auth("k")
            .json(&json!({"name": format!("new-{i}")}))
            .send()
    });
    let results = futures::future::join_all(creates).await;
    assert!(results.iter().all(|r| r.as_ref().unwrap().status() == 201));
    assert_eq!(fake.organizations().len(), 220);
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("state.json")).unwrap())
            .unwrap();
    assert!(saved.to_string().contains("new-19"));
}

#[cfg(unix)]
#[test]
fn a_planted_symlink_at_the_temporary_name_is_never_followed() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    let state = dir.path().join("state.json");
    // Plant links at the temporary names this process uses (other tests in
    // it write too, so a wide range): each is skipped, or the write is
    // refused, but no link is ever followed.
    for seq in 0..2000 {
        let name = format!(".state.json.{}.{seq}.tmp", std::process::id());
        std::os::unix::fs::symlink(&victim, dir.path().join(name)).unwrap();
    }
    for _ in 0..30 {
        if arize_ax_fake::write_atomically(&state, b"{\"new\": true}").is_ok() {
            assert_eq!(std::fs::read_to_string(&state).unwrap(), "{\"new\": true}");
        }
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    }
}
