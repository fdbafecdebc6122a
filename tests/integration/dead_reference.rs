//! `dead-reference` against real folders: exact findings (rule and line) for each kind
//! of reference, resolution from the document's folder and the repository root, and
//! a document outside any git repository.

use std::path::Path;
use std::sync::Arc;

use archlint::diagnostic::RuleId;
use archlint::document::source::SourceFile;
use archlint::fs::repo::{Repo, RepoFs};
use archlint::fs::system::MemoryFs;
use archlint::lint::LintOptions;
use archlint::profile::Profile;

use crate::support;

fn profile() -> Profile {
    let path = support::root().join("tests/fixtures/rules/dead-reference/profile.toml");
    Profile::load(path.to_str().unwrap(), Path::new("")).unwrap()
}

/// `(line, message)` of every dead-reference finding for the document at `doc`
/// (relative to `dir`), with a cache of its own so that tests do not share one.
fn findings(dir: &Path, doc: &str) -> Vec<(usize, String)> {
    let path = dir.join(doc);
    let text = std::fs::read_to_string(&path).unwrap();
    let file = SourceFile::new(doc, text);
    let repo = Repo::with_fs(&path, Arc::new(RepoFs::new()));
    let opts = LintOptions::new(support::today());
    archlint::lint_source(&file, &profile(), &opts, Some(&repo))
        .into_iter()
        .filter(|d| d.rule == RuleId::DeadReference)
        .map(|d| (file.locate(d.span.start).line, d.message.to_string()))
        .collect()
}

fn lines(found: &[(usize, String)]) -> Vec<usize> {
    found.iter().map(|(l, _)| *l).collect()
}

/// A repository: `.git`, a 40-line `src/api/routes.py`, `src/core/`, and `docs/`
/// with the document and a sibling `decisions.md`.
fn repo_with(doc: &str) -> tempfile::TempDir {
    let routes: String = (1..=40).map(|i| format!("# line {i}\n")).collect();
    git_tree(&[
        ("src/api/routes.py", routes.as_str()),
        ("src/core/engine.rs", "// engine\n"),
        ("docs/decisions.md", "# Decisions\n"),
        ("docs/ARCHITECTURE.md", doc),
    ])
}

/// `files` in a temporary folder that is a repository's root (it holds `.git`).
fn git_tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = support::tree(files);
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    dir
}

#[test]
fn every_kind_of_dead_reference_is_reported_on_its_line() {
    let doc = "\
# Architecture

Links: [ok](../src/api/routes.py), [dead](../src/api/route.py), [root](/src/core/).
![diagram](images/flow.svg) and [a reference][ref].

[ref]: ../src/missing.rs

- **Location**: `src/core/` and `src/adapters/`

**Key files**:
- `src/api/routes.py` - routes
- `src/api/handlers.py` - handlers

See `decisions.md` and `testing.md` for more.

Built at `src/api/routes.py:40`, checked at `src/api/routes.py:41` and src/api/routes.py:30-45.

```
step 1 (src/api/routes.py:12)
step 2 (src/api/routes.py:99)
```

```
repo/
├── src/
│   ├── api/
│   └── workers/
└── docs/
```

## Key Files Reference

- `src/core/engine.rs` - the engine
- `src/core/posting.rs` - postings
";
    let dir = repo_with(doc);
    let found = findings(dir.path(), "docs/ARCHITECTURE.md");
    assert_eq!(
        lines(&found),
        [3, 4, 6, 8, 12, 14, 16, 16, 20, 27, 34],
        "{found:#?}"
    );
    let messages: Vec<&str> = found.iter().map(|(_, m)| m.as_str()).collect();
    assert!(messages.contains(&"referenced file `../src/api/route.py` does not exist"));
    assert!(messages.contains(&"referenced file `testing.md` does not exist"));
    assert!(messages.contains(&"line 41 is past the end of `src/api/routes.py` (40 lines)"));
    assert!(messages.contains(&"lines 30-45 run past the end of `src/api/routes.py` (40 lines)"));
    assert!(messages.contains(&"line 99 is past the end of `src/api/routes.py` (40 lines)"));
    assert!(messages.contains(&"referenced directory `src/workers/` does not exist"));
}

#[test]
fn one_finding_per_occurrence_and_none_for_resolving_references() {
    let doc = "\
# Architecture

See `testing.md`. Again: see `testing.md`.

Everything else resolves: [decisions](decisions.md), [root-relative](/docs/decisions.md#x),
`src/api/routes.py:1-40`, and see `src/core/engine.rs`.
";
    let dir = repo_with(doc);
    let found = findings(dir.path(), "docs/ARCHITECTURE.md");
    assert_eq!(lines(&found), [3, 3], "{found:#?}");
}

#[test]
fn traps_are_not_references() {
    let doc = "\
# Architecture

[site](https://example.com/a.md), [mail](mailto:a@example.com), [top](#architecture).
Call `POST /v1/payments` or `/v1/payments/{id}`; events are `payment.captured` and
`claims.events.claim-submitted`; `https://example.com/x.md`; localhost:8080; `redis:7`.
Bare code spans in prose are not promises: `internal/httpapi/idempotency.go`.

**Key files**:
- `path/to/main/file.ext` - [Purpose]
- `[file/directory]` - [What]

```yaml
config: ./missing.yaml
```

```dockerfile
COPY build/ /app
```
";
    let dir = repo_with(doc);
    let found = findings(dir.path(), "docs/ARCHITECTURE.md");
    assert!(found.is_empty(), "{found:#?}");
}

/// A link resolves as GitHub renders it: from the document's folder, or from the
/// root when it starts with `/`. A plain-text mention may resolve from either.
#[test]
fn links_resolve_from_the_document_folder_and_mentions_from_either() {
    let doc = "\
# Architecture

From the document's folder: [decisions](decisions.md), [up](../src/api/routes.py) and
[rooted](/src/api/routes.py). Broken on GitHub: [routes](src/api/routes.py).
Neither: [nowhere](api/routes.py).

A mention from the root: `src/api/routes.py:12`.
";
    let dir = repo_with(doc);
    let found = findings_with_help(dir.path(), "docs/ARCHITECTURE.md");
    let at: Vec<usize> = found.iter().map(|f| f.0).collect();
    assert_eq!(at, [4, 5], "{found:#?}");
    assert_eq!(
        found[0].1,
        "referenced file `src/api/routes.py` does not exist"
    );
    assert!(
        found[0]
            .2
            .contains("write `../src/api/routes.py` or `/src/api/routes.py`"),
        "{found:#?}"
    );
}

/// In a static site's page (front matter, or a `content/` folder) a root-relative
/// link with no file extension is a route of the site.
#[test]
fn site_routes_are_not_files() {
    let doc = "\
---
title: Architecture
---
# Architecture

See [the guide](/guides/setup) and [the spec](/docs/spec.md).
";
    let dir = repo_with(doc);
    let found = findings(dir.path(), "docs/ARCHITECTURE.md");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].1.contains("`/docs/spec.md`"), "{found:#?}");
}

/// `(line, message)` of the dead-reference findings for `text`, the document at
/// `path` of the file system `sys`.
fn findings_in(sys: MemoryFs, path: &str, text: &str) -> Vec<(usize, String)> {
    let file = SourceFile::new(path, text.to_string());
    let repo = Repo::with_fs(
        Path::new(path),
        Arc::new(RepoFs::over(Arc::new(sys), Vec::new())),
    );
    archlint::lint_source(
        &file,
        &profile(),
        &LintOptions::new(support::today()),
        Some(&repo),
    )
    .into_iter()
    .filter(|d| d.rule == RuleId::DeadReference)
    .map(|d| (file.locate(d.span.start).line, d.message.to_string()))
    .collect()
}

#[test]
fn outside_a_git_repository_the_document_folder_is_the_root() {
    // No `.git` anywhere up the tree (a file system in memory, so no repository
    // around the test's own folder can be in the way): the document's own folder is
    // the root, so a path from the folder above does not resolve, one from its own
    // folder does, and one that climbs out of it is not looked up at all.
    let doc =
        "# Architecture\n\n[local](notes.md) and [above](src/main.rs) and [up](../src/main.rs).\n";
    let mut sys = MemoryFs::new();
    sys.file("/project/docs/ARCHITECTURE.md", doc)
        .file("/project/docs/notes.md", "# Notes\n")
        .file("/project/src/main.rs", "fn main() {}\n");
    let found = findings_in(sys.clone(), "/project/docs/ARCHITECTURE.md", doc);
    let messages: Vec<&str> = found.iter().map(|(_, m)| m.as_str()).collect();
    assert_eq!(
        messages,
        [
            "referenced file `src/main.rs` does not exist",
            "`../src/main.rs` points outside the repository",
        ],
        "{found:#?}"
    );
    // The same tree with `.git` at the top: the climb to `src/main.rs` is inside the
    // repository now and resolves; a link still resolves from the document's folder.
    sys.dir("/project/.git");
    let found = findings_in(sys, "/project/docs/ARCHITECTURE.md", doc);
    let messages: Vec<&str> = found.iter().map(|(_, m)| m.as_str()).collect();
    assert_eq!(
        messages,
        ["referenced file `src/main.rs` does not exist"],
        "{found:#?}"
    );
}

/// Links, line numbers and the repository root, answered by a file system in memory
/// exactly as by the disk (see `fs::system`'s own test of the two).
#[test]
fn a_repository_in_memory_is_checked_as_one_on_disk() {
    let routes: String = (1..=40).map(|i| format!("# line {i}\n")).collect();
    let doc = "# Architecture\n\n\
        See `src/api/routes.py:12` and `src/api/routes.py:41`.\n\
        [code](../code/api/routes.py) and [gone](../src/gone.rs).\n\
        [escape](../link-out/secret.txt)\n";
    let mut sys = MemoryFs::new();
    sys.dir("/repo/.git")
        .file("/repo/src/api/routes.py", &routes)
        .link("/repo/code", "src")
        .link("/repo/link-out", "/elsewhere")
        .file("/elsewhere/secret.txt", "x\n")
        .file("/repo/docs/ARCHITECTURE.md", doc);
    let found = findings_in(sys, "/repo/docs/ARCHITECTURE.md", doc);
    let messages: Vec<&str> = found.iter().map(|(_, m)| m.as_str()).collect();
    assert_eq!(lines(&found), [3, 4, 5], "{found:#?}");
    assert!(
        messages[0].contains("line 41") && messages[0].contains("40 lines"),
        "{found:#?}"
    );
    assert!(messages[1].contains("`../src/gone.rs`"), "{found:#?}");
    assert!(messages[2].contains("outside the repository"), "{found:#?}");
}

#[test]
fn the_cache_sees_one_tree_once() {
    // The same cache serves many documents; a listing or line count read once is reused.
    let dir = repo_with("# Architecture\n");
    let fs = Arc::new(RepoFs::new());
    let a = Repo::with_fs(&dir.path().join("docs/ARCHITECTURE.md"), fs.clone());
    let b = Repo::with_fs(&dir.path().join("docs/OTHER.md"), fs.clone());
    let hit = a.resolve("../src/api/routes.py").unwrap();
    assert_eq!(a.line_count(&hit.path), Some(40));
    // Removing the file does not change what this run already knows.
    std::fs::remove_file(dir.path().join("src/api/routes.py")).unwrap();
    assert_eq!(
        b.resolve("src/api/routes.py").map(|r| r.path),
        Some(hit.path.clone())
    );
    assert_eq!(b.line_count(&hit.path), Some(40));
    // A fresh cache does see the change.
    let c = Repo::with_fs(
        &dir.path().join("docs/ARCHITECTURE.md"),
        Arc::new(RepoFs::new()),
    );
    assert!(c.resolve("src/api/routes.py").is_none());
}

/// `(line, message, help)` of every dead-reference finding, as [`findings`].
fn findings_with_help(dir: &Path, doc: &str) -> Vec<(usize, String, String)> {
    let path = dir.join(doc);
    let text = std::fs::read_to_string(&path).unwrap();
    let file = SourceFile::new(doc, text);
    let repo = Repo::with_fs(&path, Arc::new(RepoFs::new()));
    let opts = LintOptions::new(support::today());
    archlint::lint_source(&file, &profile(), &opts, Some(&repo))
        .into_iter()
        .filter(|d| d.rule == RuleId::DeadReference)
        .map(|d| {
            let help = d.help.as_deref().unwrap_or("").to_string();
            (file.locate(d.span.start).line, d.message.to_string(), help)
        })
        .collect()
}

#[test]
fn a_path_out_of_the_repository_is_reported_as_such_whether_or_not_it_exists() {
    // The repository sits in a folder of its own, next to a folder that holds a secret.
    let doc = "\
# Architecture

[a](../../outside/secret.txt) and [b](../../outside/nothing.txt).

See `../../outside/secret.txt:9` and `../../outside/nothing.txt:9`.
";
    let dir = support::tree(&[("outside/secret.txt", "one\n")]);
    let repo = repo_with(doc);
    let repo_dir = dir.path().join("repo");
    std::fs::rename(repo.path(), &repo_dir).unwrap();
    let found = findings_with_help(&repo_dir, "docs/ARCHITECTURE.md");
    assert_eq!(found.len(), 4, "{found:#?}");
    assert_eq!(
        found[0],
        (
            3,
            "`../../outside/secret.txt` points outside the repository".to_string(),
            "only paths inside the repository (the folder holding `.git`) are looked up"
                .to_string()
        )
    );
    let blind = |(l, m, h): &(usize, String, String)| {
        let m = m.replace("nothing", "secret");
        (*l, m, h.clone())
    };
    assert_eq!(blind(&found[0]), blind(&found[1]), "{found:#?}");
    assert_eq!(blind(&found[2]), blind(&found[3]), "{found:#?}");
    assert_eq!(found[0].1, found[2].1, "{found:#?}");
}

#[cfg(unix)]
#[test]
fn links_are_followed_inside_the_repository_only() {
    let doc = "\
# Architecture

Through a linked folder: [routes](code/api/routes.py); a linked file: `routes.py:41`.

Out of the repository: [key](vault/key.txt), [none](vault/none.txt).
";
    let dir = repo_with(doc);
    let outside = support::tree(&[("key.txt", "secret\n")]);
    let docs = dir.path().join("docs");
    std::os::unix::fs::symlink("../src", docs.join("code")).unwrap();
    std::os::unix::fs::symlink("../src/api/routes.py", docs.join("routes.py")).unwrap();
    std::os::unix::fs::symlink(outside.path(), docs.join("vault")).unwrap();
    let found = findings_with_help(dir.path(), "docs/ARCHITECTURE.md");
    let help = "symbolic links are followed only to files and folders inside the repository";
    assert_eq!(
        found,
        [
            (
                3,
                "line 41 is past the end of `routes.py` (40 lines)".to_string(),
                "`routes.py` has 40 lines; point at the line that holds the code now".to_string()
            ),
            (
                5,
                "`vault/key.txt` points outside the repository through a symbolic link".to_string(),
                help.to_string()
            ),
            (
                5,
                "`vault/none.txt` points outside the repository through a symbolic link"
                    .to_string(),
                help.to_string()
            ),
        ]
    );
}

/// `GIT_CEILING_DIRECTORIES` stops the search for the repository root as it stops
/// git's: with the folder holding `.git` named there, a document below it is its own
/// folder's.
#[test]
fn git_ceiling_directories_bounds_the_repository_root() {
    let dir = support::tree(&[
        (
            "project/docs/ARCHITECTURE.md",
            "# Architecture\n\nThe [entry point](/src/main.rs).\n",
        ),
        ("project/src/main.rs", "fn main() {}\n"),
    ]);
    std::fs::create_dir(dir.path().join("project/.git")).unwrap();
    let run = |ceiling: Option<&Path>| {
        let mut cmd = support::archlint();
        if let Some(c) = ceiling {
            cmd.env("GIT_CEILING_DIRECTORIES", c);
        }
        cmd.current_dir(dir.path());
        let args = [
            "check",
            "--isolated",
            "--format",
            "short",
            "project/docs/ARCHITECTURE.md",
        ];
        let run = support::run_with(&mut cmd, &args, None);
        run.stdout.contains("[dead-reference]")
    };
    assert!(!run(None), "from the repository root, /src/main.rs exists");
    assert!(
        run(Some(&dir.path().join("project"))),
        "with the repository's folder as a ceiling, the document's folder is the root"
    );
}

/// Mentions in passing written relative to somewhere else (a bare `lib.rs:12`, a
/// package's `handlers/auth.go:3`, `` See `pkg/sync.rs` ``) are not judged when their
/// first name is in neither the document's folder nor the root; rooted ones still are.
/// A tree that only illustrates a layout (its only existing entries are names every
/// repository has, or its names are examples: `my_service`, `YourKind`) is not this
/// repository's.
#[test]
fn mentions_rooted_elsewhere_and_illustrative_trees_are_not_judged() {
    let doc = "\
# Architecture

The loop starts in `lib.rs:12`; tokens are checked in `handlers/auth.go:3`.
See `pkg/sync.rs` for the retry. A typo still counts: `src/api/route.py:2`, and
See `src/core/engin.rs`.

For example, a service laid out like this:

```text
my_service/
├── pyproject.toml
└── src/
    └── my_service/
        └── main.py
```

Custom checks live in a folder per kind:

```
src/
└── YourKind/
    └── check.lua
```
";
    let dir = repo_with(doc);
    std::fs::write(dir.path().join("pyproject.toml"), "").unwrap();
    let found = findings(dir.path(), "docs/ARCHITECTURE.md");
    assert_eq!(lines(&found), [4, 5], "{found:?}");
}

/// Below a site generator's configuration (here VitePress's `.vitepress/`), a link
/// with no extension or to a rendered `.html` page is a route of the site, however it
/// is written; a file link is still checked, and a link out of the repository is
/// still reported as leaving it.
#[test]
fn links_in_a_static_sites_pages_are_routes() {
    let doc = "\
# Guide

Start with [the features](./features), [the config](/config/), [why](/guide/why.html)
and [deploying](../deploy/). Files: [logo](./logo.svg), [escape](../../../../etc/x).
";
    let dir = git_tree(&[
        ("docs/.vitepress/config.ts", "export default {}\n"),
        ("docs/guide/features.md", "# Features\n"),
        ("docs/guide/index.md", doc),
    ]);
    let found = findings(dir.path(), "docs/guide/index.md");
    assert_eq!(lines(&found), [4, 4], "{found:?}");
    // Without the configuration, the same links are files, and missing.
    std::fs::remove_dir_all(dir.path().join("docs/.vitepress")).unwrap();
    let found = findings(dir.path(), "docs/guide/index.md");
    assert_eq!(lines(&found), [3, 3, 3, 4, 4, 4], "{found:?}");
}

/// A block may hold more than one tree, each rooted at the line above it; the parts
/// drawn under a file (`Header` under `vectors.lance`) and the topics of a map of
/// documents are not paths; a data folder's layout whose one name exists here by
/// chance (`index/`) is not this repository's tree. A tree anchored in the repository
/// still has its missing entries reported.
#[test]
fn trees_are_split_and_anchored_by_what_they_show() {
    let doc = "\
# Architecture

```
engine/core/
└── service.rs

engine/app/src/
└── views/
    └── chat_view.rs
```

How the documents relate:

```
Start here
└─ ARCHITECTURE.md (this document)
   ├─ Overview ──── OVERVIEW.md
   └─ Testing ───── TESTING.md
```

One collection on disk, made at run time:

```
collection_path/
├── vectors.lance          # columnar storage
│   ├── Header (8KB)
│   └── Footer
├── metadata.json
├── wal.log
└── index/
```

```
engine/
├── core/
│   ├── service.rs
│   └── retry.rs
└── app/
```
";
    let dir = git_tree(&[
        ("docs/ARCHITECTURE.md", doc),
        ("docs/OVERVIEW.md", "# Overview\n"),
        ("docs/TESTING.md", "# Testing\n"),
        ("engine/core/service.rs", ""),
        ("engine/app/src/views/chat_view.rs", ""),
        ("index/hnsw.go", ""),
    ]);
    let found = findings(dir.path(), "docs/ARCHITECTURE.md");
    // Only `engine/core/retry.rs`, in the last tree.
    assert_eq!(lines(&found), [37], "{found:?}");
}

/// A line of a tree that names a group rather than a path (`🖼️ TEMPLATES`, `📋 Docs we
/// keep`) is the folder it names when that folder exists there: what is below is
/// looked for in it and beside it. Otherwise what is below is grouped for the reader
/// and not judged.
#[test]
fn a_group_label_in_a_tree_is_its_folder_or_nothing() {
    let doc = "\
# Architecture

```
tool/
├── 🖼️ TEMPLATES
│   ├── Chrome/
│   │   └── a.png
│   ├── NOTES.txt
│   └── gone.txt
├── 📋 Docs we keep (loaded first)
│   ├── PRD.md
│   └── PLAN.md
└── 🧪 TESTS
    └── tests/
        ├── test_a.py
        └── test_b.py
```
";
    let dir = git_tree(&[
        ("ARCHITECTURE.md", doc),
        ("templates/Chrome/a.png", ""),
        ("templates/NOTES.txt", ""),
        ("tests/test_a.py", ""),
    ]);
    let found = findings(dir.path(), "ARCHITECTURE.md");
    // `templates/gone.txt` and `tests/test_b.py`, named where they would be.
    assert_eq!(lines(&found), [9, 16], "{found:?}");
    assert!(found[1].1.contains("`tests/test_b.py`"), "{found:?}");
}

/// A mention of a path the checkout lacks though the repository has it (inside a
/// submodule that is not checked out, or kept out of git by a `.gitignore` of the
/// root or of a folder above it) is not judged; a link to an ignored file is still
/// broken for a reader on GitHub.
#[test]
fn paths_the_checkout_lacks_are_not_judged() {
    let doc = "\
# Architecture

```
evals/
├── run.ts
├── results/             # written by each run
│   └── 2026-01-27/
│       └── report.json
├── cache.tmp
├── bench/
│   └── tasks/
└── scenarios.json
```

Reports land in `evals/results/latest.json`; tasks in `evals/bench/tasks/a.json`.
See [the last report](../evals/results/last.json) and [the suite](../evals/bench/suite.md).
";
    let dir = git_tree(&[
        ("docs/ARCHITECTURE.md", doc),
        ("evals/run.ts", ""),
        ("evals/.gitignore", "results/\n"),
        (".gitignore", "*.tmp\n"),
        (
            ".gitmodules",
            "[submodule \"bench\"]\n\tpath = evals/bench\n\turl = https://example.com/b\n",
        ),
    ]);
    let found = findings(dir.path(), "docs/ARCHITECTURE.md");
    // `scenarios.json` is missing indeed; the ignored report's link is broken.
    assert_eq!(lines(&found), [12, 16], "{found:?}");
}
