//! The `--help` of every command, checked against the files under
//! `tests/data/help/`: a change of the interface shows in review as a change
//! of those files. After an intended change, refresh them with
//! `ARIZE_AX_UPDATE_HELP=1 cargo test -p arize-ax-cli --test tests help`.

use std::path::PathBuf;

use crate::support::*;

/// The subcommands a `--help` lists (without `help`).
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|line| *line != "Commands:")
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

fn help(path: &[String]) -> String {
    let output = bare().args(path).arg("--help").output().unwrap();
    assert!(output.status.success(), "{path:?}: {}", stderr(&output));
    stdout(&output)
}

#[test]
fn every_help_matches_its_file() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/help");
    let update = std::env::var_os("ARIZE_AX_UPDATE_HELP").is_some();
    let mut pending = vec![Vec::<String>::new()];
    let mut seen = Vec::new();
    let mut differ = Vec::new();
    while let Some(path) = pending.pop() {
        let text = help(&path);
        for sub in subcommands(&text) {
            let mut next = path.clone();
            next.push(sub);
            pending.push(next);
        }
        let name = std::iter::once("arize-ax".to_owned())
            .chain(path.iter().cloned())
            .collect::<Vec<_>>()
            .join("_")
            + ".txt";
        let file = dir.join(&name);
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&file, &text).unwrap();
        } else if std::fs::read_to_string(&file).ok().as_deref() != Some(text.as_str()) {
            differ.push(name.clone());
        }
        seen.push(name);
    }
    // A file for a command that is gone is stale.
    let stale: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !seen.contains(name))
        .collect();
    assert!(seen.len() > 20, "the walk found only {seen:?}");
    assert!(
        differ.is_empty() && stale.is_empty(),
        "help changed for {differ:?}, stale files {stale:?}: if intended, run \
         ARIZE_AX_UPDATE_HELP=1 cargo test -p arize-ax-cli --test tests help"
    );
}
