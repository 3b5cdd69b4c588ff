//! The CLI's one-way layers (ARCHITECTURE.md), read from the sources'
//! `crate::` paths: a command group imports shared pieces only, never
//! another group; shared pieces import no group; nothing imports in a
//! circle. `main.rs`, `cli.rs` (the command line) and `demo.rs` (a tour of
//! every group) sit on top and may import anything.

use std::collections::{BTreeMap, BTreeSet};

const SRC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src");

/// One file each, owning its arguments, records and run.
const GROUPS: &[&str] = &[
    "access",
    "api_keys",
    "audit_logs",
    "config",
    "orgs",
    "restrictions",
    "role_bindings",
    "roles",
    "spaces",
    "spec",
    "users",
];

const TOP: &[&str] = &["main", "cli", "demo"];

/// Each module with the modules of the crate its non-comment lines name.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let mut modules = BTreeMap::new();
    for entry in std::fs::read_dir(SRC).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            modules.insert(name, std::fs::read_to_string(&path).unwrap());
        }
    }
    let names: BTreeSet<String> = modules.keys().cloned().collect();
    modules
        .iter()
        .map(|(module, text)| {
            let code: String = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .map(|l| format!("{} ", l.trim()))
                .collect();
            let mut reached = BTreeSet::new();
            for (at, _) in code.match_indices("crate::") {
                let rest = &code[at + "crate::".len()..];
                // `crate::a::…`, or each first segment of `crate::{a::…, b}`.
                let heads: Vec<&str> = match rest.strip_prefix('{') {
                    Some(group) => group[..group.find('}').unwrap_or(group.len())]
                        .split(',')
                        .map(str::trim)
                        .collect(),
                    None => vec![rest],
                };
                for head in heads {
                    let end = head
                        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .unwrap_or(head.len());
                    if names.contains(&head[..end]) && head[..end] != **module {
                        reached.insert(head[..end].to_owned());
                    }
                }
            }
            (module.clone(), reached)
        })
        .collect()
}

#[test]
fn groups_import_shared_pieces_only() {
    let graph = imports();
    let mut wrong = Vec::new();
    for (module, reached) in &graph {
        if TOP.contains(&module.as_str()) {
            continue;
        }
        for target in reached {
            if GROUPS.contains(&target.as_str()) || TOP.contains(&target.as_str()) {
                wrong.push(format!("{module} -> {target}"));
            }
        }
    }
    assert_eq!(wrong, Vec::<String>::new());
    // Every module is known to be a group, a shared piece or on top: a
    // new group must be listed, or it would pass as a shared piece.
    for module in graph.keys() {
        let imported_by_cli = graph["cli"].contains(module);
        assert!(
            !imported_by_cli || GROUPS.contains(&module.as_str()) || module == "args",
            "{module} is a command of cli.rs: list it in GROUPS"
        );
    }
}

#[test]
fn no_modules_import_each_other_in_a_circle() {
    let graph = imports();
    // Kahn's method: what cannot be peeled off from the bottom is a circle.
    let mut left = graph.clone();
    loop {
        let leaves: Vec<String> = left
            .iter()
            .filter(|(_, reached)| reached.iter().all(|r| !left.contains_key(r)))
            .map(|(module, _)| module.clone())
            .collect();
        if leaves.is_empty() {
            break;
        }
        for leaf in leaves {
            left.remove(&leaf);
        }
    }
    assert!(left.is_empty(), "modules in or above a circle: {left:?}");
    assert!(graph["cli"].contains("orgs"), "the reading finds imports");
}
