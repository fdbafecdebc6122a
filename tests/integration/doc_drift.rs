//! `doc-drift` and `[[collections]]` end to end: repositories built here with the real
//! `git`, commits with set dates, checked by the binary; and the history walk behind
//! `doc-drift` through the library.

use std::path::Path;
use std::process::Command;

use archlint::fs::history::{History, Since};

use crate::support::{run_in, write, Run};

/// Runs `git` in `dir` with author and committer dated `date` (ISO 8601), no global or
/// system configuration.
fn git(dir: &Path, args: &[&str], date: &str) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Writes `files`, then commits everything on `date`.
fn commit(dir: &Path, date: &str, files: &[(&str, &str)]) -> String {
    for (path, text) in files {
        write(dir, path, text.as_bytes());
    }
    git(dir, &["add", "-A"], date);
    git(dir, &["commit", "-q", "-m", date], date);
    git(dir, &["rev-parse", "--short=12", "HEAD"], date)
}

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"], "");
    dir
}

/// The document of 2026-01-05 naming `src/api.rs` and `src/store.rs`, committed with
/// them that day.
fn first_commit(dir: &Path) {
    commit(
        dir,
        "2026-01-05T10:00:00Z",
        &[
            ("docs/ARCHITECTURE.md", &doc("2026-01-05")),
            ("src/api.rs", "fn main() {}\n"),
            ("src/store.rs", "// store\n"),
        ],
    );
}

fn doc(date: &str) -> String {
    format!(
        "# Payments\n\n**Last Updated**: {date}\n\n## Overview\n\nRequests enter at \
         `src/api.rs:1` and are stored by [the store](../src/store.rs).\n"
    )
}

/// `rule`'s findings in a `--format json` run: (line, message, help).
fn findings(run: &Run, rule: &str) -> Vec<(u64, String, String)> {
    let json = run.json();
    let mut out = Vec::new();
    for f in json["files"].as_array().unwrap() {
        for d in f["diagnostics"].as_array().unwrap() {
            if d["rule"] == rule {
                out.push((
                    d["line"].as_u64().unwrap(),
                    d["message"].as_str().unwrap().to_string(),
                    d["help"].as_str().unwrap_or("").to_string(),
                ));
            }
        }
    }
    out
}

fn drift(dir: &Path, args: &[&str]) -> Vec<(u64, String, String)> {
    let mut all = vec![
        "check",
        "--isolated",
        "--format",
        "json",
        "--today",
        "2026-06-01",
    ];
    all.extend_from_slice(args);
    let run = run_in(dir, &all);
    assert!([0, 1].contains(&run.code), "{}", run.transcript());
    findings(&run, "doc-drift")
}

#[test]
fn a_document_older_than_the_code_it_names_is_reported_until_it_is_updated() {
    let r = repo();
    let dir = r.path();
    first_commit(dir);
    // Within the 30 days' grace: not yet behind.
    commit(
        dir,
        "2026-01-20T10:00:00Z",
        &[("src/store.rs", "// store v2\n")],
    );
    let changed = commit(
        dir,
        "2026-03-10T10:00:00Z",
        &[("src/api.rs", "fn main() { }\n")],
    );
    let args = ["--profile", "madr", "docs/ARCHITECTURE.md"];
    let found = drift(dir, &args);
    assert_eq!(found.len(), 1, "{found:?}");
    let (line, message, help) = &found[0];
    assert_eq!(*line, 7);
    assert_eq!(
        message,
        "`src/api.rs` changed 63 days after this document was last updated (2026-01-05)"
    );
    assert!(
        help.contains(&format!("commit {changed} changed it on 2026-03-10")),
        "{help}"
    );

    // A shorter grace reaches the store's change too.
    let cfg = "[rules.doc-drift]\nlevel = \"warning\"\ngrace-days = 7\n";
    write(dir, "short.toml", cfg.as_bytes());
    let run = run_in(
        dir,
        &[
            "check",
            "--config",
            "short.toml",
            "--format",
            "json",
            "--today",
            "2026-06-01",
            "--profile",
            "core",
            "docs/ARCHITECTURE.md",
        ],
    );
    let lines: Vec<u64> = findings(&run, "doc-drift").iter().map(|f| f.0).collect();
    assert_eq!(lines, [7, 7], "{}", run.transcript());

    // Re-read and dated after the change: nothing behind.
    commit(
        dir,
        "2026-03-12T10:00:00Z",
        &[("docs/ARCHITECTURE.md", &doc("2026-03-12"))],
    );
    assert_eq!(drift(dir, &args), []);
}

#[test]
fn off_in_core_on_in_the_record_profiles_and_on_when_configured() {
    let r = repo();
    let dir = r.path();
    first_commit(dir);
    commit(dir, "2026-04-01T10:00:00Z", &[("src/store.rs", "c\n")]);
    assert_eq!(
        drift(dir, &["--profile", "core", "docs/ARCHITECTURE.md"]),
        []
    );
    for profile in ["madr", "nygard", "arc42"] {
        let found = drift(dir, &["--profile", profile, "docs/ARCHITECTURE.md"]);
        assert_eq!(found.len(), 1, "{profile}: {found:?}");
        assert!(
            found[0].1.starts_with("`src/store.rs` changed"),
            "{found:?}"
        );
    }
    write(dir, "archlint.toml", b"[rules]\ndoc-drift = \"error\"\n");
    let run = run_in(
        dir,
        &[
            "check",
            "--format",
            "json",
            "--profile",
            "core",
            "docs/ARCHITECTURE.md",
        ],
    );
    let json = run.json();
    let severities: Vec<&str> = json["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "doc-drift")
        .map(|d| d["severity"].as_str().unwrap())
        .collect();
    assert_eq!(severities, ["error"]);

    // What `rules` and `explain` say of it.
    let rules = run_in(dir, &["rules"]);
    assert!(
        rules
            .stdout
            .lines()
            .any(|l| l.split_whitespace().take(2).eq(["doc-drift", "off"])),
        "{}",
        rules.stdout
    );
    let explain = run_in(dir, &["explain", "doc-drift"]);
    assert!(
        explain.stdout.contains(
            "Default severity: off (warning where a profile or the configuration turns it on)."
        ),
        "{}",
        explain.stdout
    );
}

#[test]
fn a_shallow_clone_says_how_much_history_the_rule_needs() {
    let r = repo();
    let origin = r.path();
    first_commit(origin);
    commit(origin, "2026-03-10T10:00:00Z", &[("src/api.rs", "c\n")]);
    let clones = tempfile::tempdir().unwrap();
    let url = format!("file://{}", origin.display());
    git(
        clones.path(),
        &["clone", "-q", "--depth", "1", &url, "c"],
        "",
    );
    let clone = clones.path().join("c");
    let args = ["--profile", "madr", "docs/ARCHITECTURE.md"];
    let found = drift(&clone, &args);
    assert_eq!(found.len(), 1, "{found:?}");
    let (line, message, help) = &found[0];
    assert_eq!(*line, 3, "at the date the rule needs history back from");
    assert_eq!(
        message,
        "this clone's history starts on 2026-03-10, but doc-drift needs it from before \
         2026-02-04 (the document's date, 2026-01-05, and the grace days)"
    );
    assert!(help.contains("fetch-depth: 0"), "{help}");

    // With the history fetched, the real answer.
    git(&clone, &["fetch", "-q", "--unshallow"], "");
    let found = drift(&clone, &args);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].1.starts_with("`src/api.rs` changed 63 days"),
        "{found:?}"
    );
}

#[test]
fn covered_globs_and_a_document_without_a_date_use_the_last_commit() {
    let r = repo();
    let dir = r.path();
    let text = "---\ncovers: [\"src/pay/**\"]\n---\n# Payments\n\n## Overview\n\nText.\n";
    commit(
        dir,
        "2026-01-05T10:00:00Z",
        &[
            ("docs/payments.md", text),
            ("src/pay/charge.rs", "a\n"),
            ("src/other.rs", "b\n"),
        ],
    );
    commit(dir, "2026-02-01T10:00:00Z", &[("src/other.rs", "c\n")]);
    let changed = commit(dir, "2026-03-01T10:00:00Z", &[("src/pay/charge.rs", "d\n")]);
    let found = drift(dir, &["--profile", "nygard", "docs/payments.md"]);
    assert_eq!(found.len(), 1, "{found:?}");
    let (line, message, help) = &found[0];
    assert_eq!(*line, 2, "at the `covers:` line");
    assert_eq!(
        message,
        "`src/pay/charge.rs` changed 55 days after this document was last updated (2026-01-05)"
    );
    assert!(help.contains(&format!("commit {changed}")), "{help}");
    assert!(help.contains("its last commit"), "{help}");

    // Not committed yet: nothing to be behind.
    write(dir, "docs/new.md", text.as_bytes());
    assert_eq!(drift(dir, &["--profile", "nygard", "docs/new.md"]), []);
}

#[test]
fn a_referenced_folder_changed_by_a_file_inside_it() {
    let r = repo();
    let dir = r.path();
    let text = "# Ledger\n\n**Last Updated**: 2026-01-05\n\n## Overview\n\n\
                Postings live in [the ledger](../src/ledger/).\n";
    commit(
        dir,
        "2026-01-05T10:00:00Z",
        &[("docs/ledger.md", text), ("src/ledger/post.rs", "a\n")],
    );
    commit(
        dir,
        "2026-05-01T10:00:00Z",
        &[("src/ledger/deep/undo.rs", "b\n")],
    );
    let found = drift(dir, &["--profile", "madr", "docs/ledger.md"]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].1,
        "`src/ledger/` changed 115 days after this document was last updated (2026-01-05)"
    );
}

#[test]
fn outside_a_repository_the_rule_says_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "docs/ARCHITECTURE.md",
        doc("2020-01-01").as_bytes(),
    );
    write(dir.path(), "src/api.rs", b"a\n");
    assert_eq!(
        drift(dir.path(), &["--profile", "nygard", "docs/ARCHITECTURE.md"]),
        []
    );
}

const RECORD: &str = "# {n}. Use PostgreSQL\n\nDate: 2026-01-05\n\n## Status\n\nAccepted\n\n\
                      ## Context\n\nWe need a store.\n\n## Decision\n\nPostgreSQL.\n\n\
                      ## Consequences\n\nOperations learn it.\n";

#[test]
fn a_configured_collection_is_checked_with_its_profile_from_its_first_record() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for n in [1, 3] {
        let text = RECORD.replace("{n}", &n.to_string());
        write(
            d,
            &format!("docs/decisions/000{n}-use-postgres.md"),
            text.as_bytes(),
        );
    }
    // Two records: under the three that make a folder a collection by their names.
    let run = run_in(
        d,
        &[
            "check",
            "--isolated",
            "--format",
            "json",
            "--profile",
            "nygard",
            "docs/decisions",
        ],
    );
    assert_eq!(findings(&run, "adr-sequence"), [], "{}", run.transcript());

    write(
        d,
        "archlint.toml",
        b"[[collections]]\npath = \"docs/decisions\"\nprofile = \"nygard\"\n",
    );
    // No path: the walk finds the records, which `include` alone would not.
    let run = run_in(d, &["check", "--format", "json"]);
    let json = run.json();
    let files: Vec<(&str, &str)> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap(), f["profile"].as_str().unwrap()))
        .collect();
    assert_eq!(
        files,
        [
            ("docs/decisions/0001-use-postgres.md", "nygard"),
            ("docs/decisions/0003-use-postgres.md", "nygard")
        ],
        "{}",
        run.transcript()
    );
    let gaps = findings(&run, "adr-sequence");
    assert_eq!(gaps.len(), 1, "{}", run.transcript());
    assert!(gaps[0].1.contains('2'), "{gaps:?}");
}

#[test]
fn a_collection_path_leaving_the_configuration_folder_is_refused_where_it_is_written() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "archlint.toml",
        b"[[collections]]\npath = \"../elsewhere\"\n",
    );
    let run = run_in(dir.path(), &["check"]);
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("a collection's path must be a folder below the configuration's folder"),
        "{}",
        run.transcript()
    );
    assert!(
        run.stderr.contains("archlint.toml:2"),
        "{}",
        run.transcript()
    );
}

// ---------------------------------------------------------------------------------
// The history walk itself, through the library (`archlint::fs::history`)

const DAY: i64 = 86_400;
// 2026-01-01T00:00:00Z
const JAN1: i64 = 1_767_225_600;

/// A repository with one commit per `(date, files)`, each file written anew.
fn history_repo(commits: &[(&str, &[&str])]) -> tempfile::TempDir {
    let r = repo();
    for (n, (date, files)) in commits.iter().enumerate() {
        let text = format!("{n}\n");
        let files: Vec<(&str, &str)> = files.iter().map(|f| (*f, text.as_str())).collect();
        commit(r.path(), date, &files);
    }
    r
}

#[test]
fn the_newest_change_of_a_file_and_of_its_folder() {
    let r = history_repo(&[
        ("2026-01-01T00:00:00Z", &["src/a.rs", "src/b.rs", "doc.md"]),
        ("2026-01-10T00:00:00Z", &["src/a.rs"]),
        ("2026-01-20T00:00:00Z", &["src/b.rs"]),
    ]);
    let h = History::open(r.path()).unwrap();
    let at = |s: Since| match s {
        Since::Changed(c) => (c.time - JAN1) / DAY,
        other => panic!("{other:?}"),
    };
    assert_eq!(at(h.changed_after("src/a.rs", JAN1)), 9);
    assert_eq!(at(h.changed_after("src/b.rs", JAN1)), 19);
    assert_eq!(at(h.changed_after("src", JAN1)), 19);
    assert_eq!(
        h.changed_after("src/a.rs", JAN1 + 9 * DAY),
        Since::Unchanged
    );
    assert_eq!(at(h.changed_after("doc.md", JAN1 - 1)), 0);
    assert_eq!(at(h.last_change("doc.md")), 0);
    assert_eq!(h.last_change("never.md"), Since::Unchanged);
    let rs = |p: &str| p.ends_with(".rs");
    let (since, path) = h.changed_after_matching(&rs, JAN1);
    assert_eq!((at(since), path.as_deref()), (19, Some("src/b.rs")));
    assert_eq!(
        h.changed_after_matching(&rs, JAN1 + 30 * DAY),
        (Since::Unchanged, None)
    );
}

/// A missing object is an answer of its own, only for the times it hides.
#[test]
fn a_broken_history_is_unreadable_only_before_the_break() {
    let r = history_repo(&[
        ("2026-01-01T00:00:00Z", &["a.rs"]),
        ("2026-01-11T00:00:00Z", &["b.rs"]),
        ("2026-01-21T00:00:00Z", &["a.rs"]),
    ]);
    let tree = git(r.path(), &["rev-parse", "HEAD~2^{tree}"], "");
    let object = r
        .path()
        .join(".git/objects")
        .join(&tree[..2])
        .join(&tree[2..]);
    std::fs::remove_file(object).unwrap();
    let h = History::open(r.path()).unwrap();
    assert!(matches!(
        h.changed_after("a.rs", JAN1 + 15 * DAY),
        Since::Changed(_)
    ));
    assert!(matches!(
        h.changed_after("b.rs", JAN1 + 5 * DAY),
        Since::Unreadable(_)
    ));
    assert!(matches!(
        h.changed_after("a.rs", JAN1 + 15 * DAY),
        Since::Changed(_)
    ));
    assert_eq!(h.changed_after("c.rs", JAN1 + 15 * DAY), Since::Unchanged);
}

#[test]
fn a_git_file_or_no_commit_gives_no_history() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".git"), "gitdir: /elsewhere\n").unwrap();
    assert!(History::open(dir.path()).is_none());
    let empty = repo();
    assert!(History::open(empty.path()).is_none());
}
