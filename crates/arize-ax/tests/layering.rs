//! The facade's one-way layers (ARCHITECTURE.md), read from the sources'
//! `crate::` paths: the core imports nothing above it, a resource imports
//! no other resource, and no files import each other in a circle — except
//! the one pair ARCHITECTURE.md explains (`core/error.rs` names the role
//! it refuses, `role.rs` returns the error).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const SRC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src");

/// The layers from the bottom: what a file of one may import is its own
/// layer's or a lower one's (and, among resources, its own folder's only).
const LAYERS: &[&[&str]] = &[
    &["core"],
    &["types.rs", "refs.rs", "role.rs"],
    &["bulk", "dataframe.rs"],
    &[
        "organizations",
        "users",
        "spaces",
        "roles",
        "role_bindings",
        "api_keys",
        "audit_logs",
        "resource_restrictions",
    ],
    &["access_review"],
    &["registry.rs", "lib.rs"],
];

/// The layer holding resources, each a folder that imports no other.
const RESOURCES: usize = 3;

/// The one import that runs back up, and why: see ARCHITECTURE.md.
const PAIR: (&str, &str) = ("core/error.rs", "role.rs");

/// Every source file, as its path below `src/`, with its text.
fn sources() -> BTreeMap<String, String> {
    fn walk(dir: &Path, files: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, files);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let name = path.strip_prefix(SRC).unwrap().to_string_lossy();
                let text = std::fs::read_to_string(&path).unwrap();
                files.insert(name.replace('\\', "/"), text);
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(Path::new(SRC), &mut files);
    files
}

/// The file a module path (`["core", "error"]`) lives in, if it names one.
fn module_file(files: &BTreeMap<String, String>, path: &[&str]) -> Option<String> {
    let joined = path.join("/");
    [format!("{joined}.rs"), format!("{joined}/mod.rs")]
        .into_iter()
        .find(|candidate| files.contains_key(candidate))
}

/// The files a `crate::…` path starting at `rest` reaches: the deepest
/// module it names, and for a `{…}` group each member's.
fn targets(files: &BTreeMap<String, String>, prefix: &mut Vec<String>, rest: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = rest;
    loop {
        if let Some(group) = rest.strip_prefix('{') {
            // Split the group at its top-level commas.
            let (mut depth, mut start) = (0, 0);
            for (at, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        let member = &group[start..at];
                        found.extend(targets(files, &mut prefix.clone(), member.trim()));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.extend(targets(files, &mut prefix.clone(), group[start..at].trim()));
                        start = at + 1;
                    }
                    _ => {}
                }
            }
            return found;
        }
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let segment = &rest[..end];
        let mut longer = prefix.clone();
        longer.push(segment.to_owned());
        let as_str: Vec<&str> = longer.iter().map(String::as_str).collect();
        if segment.is_empty() || module_file(files, &as_str).is_none() {
            break;
        }
        *prefix = longer;
        match rest[end..].strip_prefix("::") {
            Some(next) => rest = next,
            None => break,
        }
    }
    let as_str: Vec<&str> = prefix.iter().map(String::as_str).collect();
    found.extend(module_file(files, &as_str));
    found
}

/// Each file's imports of other files, from its non-comment lines.
fn imports(files: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    files
        .iter()
        .map(|(file, text)| {
            let code: String = text
                .lines()
                .filter(|line| !line.trim_start().starts_with("//"))
                .map(|line| format!("{}\n", line.trim()))
                .collect();
            let mut reached = BTreeSet::new();
            for (at, _) in code.match_indices("crate::") {
                let rest = &code[at + "crate::".len()..];
                for target in targets(files, &mut Vec::new(), rest) {
                    if &target != file {
                        reached.insert(target);
                    }
                }
            }
            (file.clone(), reached)
        })
        .collect()
}

/// The layer index and the top-level entry (`core`, `types.rs`, a
/// resource's folder) a file belongs to.
fn place(file: &str) -> (usize, &str) {
    let top = file.split('/').next().unwrap();
    let layer = LAYERS
        .iter()
        .position(|layer| layer.contains(&top))
        .unwrap_or_else(|| panic!("{file} is in no layer: add {top} to LAYERS"));
    (layer, top)
}

#[test]
fn every_import_runs_down_or_within_a_resource() {
    let files = sources();
    let mut wrong = Vec::new();
    for (file, reached) in imports(&files) {
        let (layer, top) = place(&file);
        for target in reached {
            let (their_layer, their_top) = place(&target);
            let up = their_layer > layer;
            let sideways = layer == RESOURCES && their_layer == RESOURCES && top != their_top;
            if (up || sideways) && (file.as_str(), target.as_str()) != PAIR {
                wrong.push(format!("{file} -> {target}"));
            }
        }
    }
    assert_eq!(wrong, Vec::<String>::new());
}

#[test]
fn no_files_import_each_other_in_a_circle() {
    let files = sources();
    let mut graph = imports(&files);
    graph.get_mut(PAIR.0).unwrap().remove(PAIR.1);
    // Depth-first search for a path that comes back to where it started.
    fn circle(
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        let here = path.last().unwrap().clone();
        for next in &graph[&here] {
            if let Some(at) = path.iter().position(|p| p == next) {
                return Some(path[at..].to_vec());
            }
            if done.contains(next) {
                continue;
            }
            path.push(next.clone());
            if let Some(found) = circle(graph, path, done) {
                return Some(found);
            }
            path.pop();
        }
        done.insert(here);
        None
    }
    let mut done = BTreeSet::new();
    for start in graph.keys() {
        if !done.contains(start)
            && let Some(found) = circle(&graph, &mut vec![start.clone()], &mut done)
        {
            panic!("import circle: {} -> {}", found.join(" -> "), found[0]);
        }
    }
}

#[test]
fn the_reading_finds_imports() {
    // The checks above pass on a tree they cannot read; this one does not.
    let files = sources();
    let graph = imports(&files);
    assert!(
        graph["types.rs"].contains("refs.rs"),
        "{:?}",
        graph["types.rs"]
    );
    assert!(graph["core/error.rs"].contains("role.rs"));
    assert!(graph["bulk/members.rs"].contains("bulk/mod.rs"));
    assert!(graph["access_review/mod.rs"].contains("api_keys/mod.rs"));
    assert!(graph["registry.rs"].contains("organizations/mod.rs"));
}
