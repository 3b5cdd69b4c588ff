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
