//! The facade's one-way layers (ARCHITECTURE.md), read from the sources'
//! `crate::` paths (names the crate root re-exports resolved to their
//! files): the core imports nothing above it, a resource imports no other
//! resource, and no files import each other in a circle — except the one
//! pair ARCHITECTURE.md explains (`core/error.rs` names the role it
//! refuses, `role.rs` returns the error). Relative paths (`mod x;`,
//! `super::`) are not read: a folder's files are one module.

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

/// The file each name the crate root re-exports (`pub use a::b::{C, D}`)
/// comes from.
fn root_names(files: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let lib: String = files["lib.rs"]
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .map(|line| format!("{} ", line.trim()))
        .collect();
    let mut names = BTreeMap::new();
    for statement in lib.split(';') {
        // After any attributes (`#[cfg(feature = "polars")]`).
        let Some((_, path)) = statement.split_once("pub use ") else {
            continue;
        };
        let path = path.trim();
        let (module, items) = match path.split_once("::{") {
            Some((module, items)) => (module, items.trim_end_matches('}').to_owned()),
            None => match path.rsplit_once("::") {
                Some((module, item)) => (module, item.to_owned()),
                None => continue,
            },
        };
        let segments: Vec<&str> = module.trim_start_matches("crate::").split("::").collect();
        let Some(file) = module_file(files, &segments) else {
            continue;
        };
        for item in items.split(',') {
            let name = item.split(" as ").last().unwrap_or("").trim();
            assert!(
                !name.contains(['{', '}', ':']),
                "lib.rs: `pub use {path}` is beyond this reader: teach it"
            );
            if !name.is_empty() {
                names.insert(name.to_owned(), file.clone());
            }
        }
    }
    names
}

/// The files a `crate::…` path starting at `rest` reaches: the deepest
/// module it names (or, for a name the crate root re-exports, its file),
/// and for a `{…}` group each member's.
fn targets(
    files: &BTreeMap<String, String>,
    root: &BTreeMap<String, String>,
    prefix: &mut Vec<String>,
    rest: &str,
) -> Vec<String> {
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
                        found.extend(targets(files, root, &mut prefix.clone(), member.trim()));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        let member = group[start..at].trim();
                        found.extend(targets(files, root, &mut prefix.clone(), member));
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
            if prefix.is_empty() {
                // Not a module: a name the root re-exports, or nothing.
                found.extend(root.get(segment).cloned());
                return found;
            }
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
    let root = root_names(files);
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
                for target in targets(files, &root, &mut Vec::new(), rest) {
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
    let graph = imports(&sources());
    // Every file's circle: the files it reaches that reach it back.
    fn reach(graph: &BTreeMap<String, BTreeSet<String>>, from: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_owned()];
        while let Some(file) = todo.pop() {
            for next in &graph[&file] {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    }
    let reached: BTreeMap<&String, BTreeSet<String>> = graph
        .keys()
        .map(|file| (file, reach(&graph, file)))
        .collect();
    let pair: BTreeSet<String> = [PAIR.0.to_owned(), PAIR.1.to_owned()].into();
    for (file, from_here) in &reached {
        let circle: BTreeSet<String> = from_here
            .iter()
            .filter(|other| reached[other].contains(*file))
            .cloned()
            .collect();
        assert!(
            circle.is_empty() || circle == pair,
            "{file} is in an import circle with {circle:?}"
        );
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
    // `use crate::{Organization, Role, Space, User}`: the root's names.
    assert!(graph["access_review/mod.rs"].contains("types.rs"));
    assert!(graph["access_review/mod.rs"].contains("roles/mod.rs"));
}
