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
        "src/fs/",
        "src/input/",
        "src/document/",
        "src/profile/",
        "src/facts/",
        "src/rules/",
        "src/lint/",
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

/// The modules of `src/` (a file is a module; `mod.rs` is its folder's) and the
/// modules each one names through `crate::` or
/// `super::`, leaving out its own ancestors (a child uses what its parent holds).
fn module_imports() -> std::collections::BTreeMap<String, BTreeSet<String>> {
    use std::collections::BTreeMap;
    let src = support::root().join("src");
    let mut files = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let module_of = |path: &std::path::Path| -> Option<String> {
        let rel = path.strip_prefix(&src).unwrap().with_extension("");
        let mut parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts.last().is_some_and(|p| p == "mod") {
            parts.pop();
        }
        (parts != ["lib"] && parts != ["main"]).then(|| parts.join("::"))
    };
    let modules: BTreeSet<String> = files.iter().filter_map(|f| module_of(f)).collect();
    let path_re =
        regex::Regex::new(r"\b(crate|super)::((?:[a-z_][a-z0-9_]*::)*[a-z_][a-z0-9_]*|\{[^}]*\})")
            .unwrap();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let Some(m) = module_of(file) else { continue };
        let text = std::fs::read_to_string(file).unwrap();
        let code: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let parent = m.rsplit_once("::").map(|(p, _)| p.to_string());
        for cap in path_re.captures_iter(&code) {
            let base = match &cap[1] {
                "super" => match &parent {
                    Some(p) => format!("{p}::"),
                    None => String::new(),
                },
                _ => String::new(),
            };
            let tails: Vec<String> = match cap[2].strip_prefix('{') {
                Some(group) => group
                    .trim_end_matches('}')
                    .split(',')
                    .map(|p| p.trim().to_string())
                    .collect(),
                None => vec![cap[2].to_string()],
            };
            for tail in tails {
                let full = format!("{base}{tail}");
                let parts: Vec<&str> = full.split("::").collect();
                let target = (1..=parts.len())
                    .rev()
                    .map(|k| parts[..k].join("::"))
                    .find(|c| modules.contains(c));
                let Some(t) = target else { continue };
                let ancestor = m.starts_with(&format!("{t}::"));
                if t != m && !ancestor {
                    edges.entry(m.clone()).or_default().insert(t);
                }
            }
        }
    }
    edges
}

/// Imports point down the pipeline: no two modules of `src/` reach each other.
#[test]
fn src_modules_import_no_cycle() {
    let edges = module_imports();
    assert!(edges.len() > 20, "{edges:?}");
    // Strongly connected components (Tarjan), iteratively.
    let nodes: Vec<&String> = edges.keys().collect();
    let mut index: std::collections::HashMap<&str, (usize, usize)> = Default::default();
    let mut on_stack: BTreeSet<&str> = BTreeSet::new();
    let mut stack: Vec<&str> = Vec::new();
    let mut cycles: Vec<Vec<&str>> = Vec::new();
    let mut counter = 0;
    let empty = BTreeSet::new();
    for &start in &nodes {
        if index.contains_key(start.as_str()) {
            continue;
        }
        let mut work: Vec<(&str, Vec<&str>)> = Vec::new();
        let succ = |v: &str| -> Vec<&str> {
            edges
                .get(v)
                .unwrap_or(&empty)
                .iter()
                .map(String::as_str)
                .collect()
        };
        index.insert(start, (counter, counter));
        counter += 1;
        stack.push(start);
        on_stack.insert(start);
        work.push((start, succ(start)));
        while let Some((v, mut rest)) = work.pop() {
            if let Some(w) = rest.pop() {
                work.push((v, rest));
                if !index.contains_key(w) {
                    index.insert(w, (counter, counter));
                    counter += 1;
                    stack.push(w);
                    on_stack.insert(w);
                    work.push((w, succ(w)));
                } else if on_stack.contains(w) {
                    let wi = index[w].0;
                    let e = index.get_mut(v).unwrap();
                    e.1 = e.1.min(wi);
                }
                continue;
            }
            let (vi, vl) = index[v];
            if let Some((u, _)) = work.last() {
                let e = index.get_mut(u).unwrap();
                e.1 = e.1.min(vl);
            }
            if vi == vl {
                let mut comp = Vec::new();
                loop {
                    let w = stack.pop().unwrap();
                    on_stack.remove(w);
                    comp.push(w);
                    if w == v {
                        break;
                    }
                }
                if comp.len() > 1 {
                    comp.sort_unstable();
                    cycles.push(comp);
                }
            }
        }
    }
    assert!(
        cycles.is_empty(),
        "modules that import each other: {cycles:?}"
    );
}
