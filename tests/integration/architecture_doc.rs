//! docs/ARCHITECTURE.md's directory tree is the repository's: everything it lists
//! exists, and it lists every entry of the folders whose contents it spells out.

use std::collections::BTreeSet;

use crate::support;

/// The paths of the `text` block under `## Directory Structure`, relative to the
/// repository root (folders end in `/`).
fn tree_paths() -> Vec<String> {
    let doc = std::fs::read_to_string(support::root().join("docs/ARCHITECTURE.md")).unwrap();
    let start = doc
        .find("## Directory Structure")
        .expect("a Directory Structure section");
    let block = &doc[start..];
    let open = block.find("```text\n").expect("a text block") + "```text\n".len();
    let close = open + block[open..].find("```").expect("the block's end");
    let mut stack: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for line in block[open..close].lines().skip(1) {
        let Some(k) = line.find(['├', '└']) else {
            continue;
        };
        // Each level of the drawing is four characters wide.
        let depth = line[..k].chars().count() / 4;
        let name = line[k..].trim_start_matches(['├', '└', '─', ' ']).trim();
        stack.truncate(depth);
        let path = format!("{}{name}", stack.concat());
        if name.ends_with('/') {
            stack.push(name.to_string());
        }
        out.push(path);
    }
    out
}

#[test]
fn the_directory_tree_is_the_repository() {
    let listed = tree_paths();
    assert!(listed.len() > 50, "{listed:?}");
    let root = support::root();
    let missing: Vec<&String> = listed
        .iter()
        .filter(|p| !root.join(p.trim_end_matches('/')).exists())
        .collect();
    assert!(
        missing.is_empty(),
        "listed but not in the repository: {missing:?}"
    );
    // Folders whose every entry the tree names.
    let listed: BTreeSet<&str> = listed.iter().map(String::as_str).collect();
    let mut unlisted = Vec::new();
    for dir in [
        ".ci/",
        "src/",
        "src/commands/",
        "src/rules/",
        "src/report/",
        "rules/",
        "schemas/",
    ] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let entry = entry.unwrap();
            let mut path = format!("{dir}{}", entry.file_name().to_string_lossy());
            if entry.file_type().unwrap().is_dir() {
                path.push('/');
            }
            if !listed.contains(path.as_str()) {
                unlisted.push(path);
            }
        }
    }
    unlisted.sort();
    assert!(
        unlisted.is_empty(),
        "in the repository but not in the tree: {unlisted:?}"
    );
}
