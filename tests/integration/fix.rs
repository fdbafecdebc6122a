//! `archlint check --fix`: the real binary writes documents. A second `--fix` finds
//! nothing left to write (over every rule's fixtures with their own profile and with
//! every built-in profile, and over the shared corpus when it is there); only what a
//! fix is for changes; `--diff` writes nothing; a date is written only when asked; a
//! write that cannot be made safely is not made.

use std::path::{Path, PathBuf};

use crate::support::{self, run_in, run_stdin, Run};

const TODAY: &str = "2026-06-01";

/// Every `.md` under `dir`, sorted.
fn markdown_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Copies `files` flat into a new folder (a `.git` marks it a repository, so that
/// references resolve inside it) and returns it with the copies' names.
fn copies(files: &[PathBuf]) -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let mut names = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let name = format!("{i:03}-{}", f.file_name().unwrap().to_string_lossy());
        std::fs::copy(f, dir.path().join(&name)).unwrap();
        names.push(name);
    }
    (dir, names)
}

fn check(dir: &Path, profile: &str, names: &[String], extra: &[&str]) -> Run {
    let mut args = vec![
        "check",
        "--isolated",
        "--profile",
        profile,
        "--today",
        TODAY,
        "--report-unused-suppressions",
        "--format",
        "short",
        "--fix",
        "--fix-dates",
    ];
    args.extend_from_slice(extra);
    args.extend(names.iter().map(String::as_str));
    let run = run_in(dir, &args);
    support::sane(&run);
    run
}

/// Lines a fix may take away: headings (which a fix re-levels or renames), setext
/// underlines with the text above them, and suppression comments.
fn removable(lines: &[&str], i: usize) -> bool {
    let l = lines[i].trim();
    let underline = |s: &str| {
        let s = s.trim();
        !s.is_empty() && (s.bytes().all(|b| b == b'=') || s.bytes().all(|b| b == b'-'))
    };
    // A label with no value yet, which a date fix completes.
    l.starts_with('#')
        || l.ends_with(':')
        || underline(l)
        || lines.get(i + 1).is_some_and(|n| underline(n))
        || l.contains("archlint-")
}

/// `--fix` twice over copies of `files` with `profile`: the first run writes, the
/// second finds nothing to write; every line the first took away is one a fix may
/// take away. Returns how many documents changed.
fn fixpoint(files: &[PathBuf], profile: &str) -> usize {
    let (dir, names) = copies(files);
    let first = check(dir.path(), profile, &names, &[]);
    assert!(first.code != 2, "{}", first.transcript());
    let again = check(dir.path(), profile, &names, &["--diff"]);
    assert!(
        again.code == 0 && again.stdout.is_empty(),
        "a second --fix with {profile} would still change:\n{}",
        again.transcript()
    );
    let mut changed = 0;
    for (name, original) in names.iter().zip(files) {
        let before = std::fs::read_to_string(original).unwrap();
        let after = std::fs::read_to_string(dir.path().join(name)).unwrap();
        if before == after {
            continue;
        }
        changed += 1;
        // The old lines are the new ones', in order, but for those a fix may take
        // away: everything else a fix did is an insertion.
        let old: Vec<&str> = before.lines().collect();
        let new: Vec<&str> = after.lines().collect();
        let mut j = 0;
        for (i, line) in old.iter().enumerate() {
            match new[j..].iter().position(|n| n == line) {
                Some(k) => j += k + 1,
                None => assert!(
                    removable(&old, i),
                    "--fix with {profile} took away line {} of {}: {line:?}\n{}",
                    i + 1,
                    original.display(),
                    similar::TextDiff::from_lines(&before, &after).unified_diff()
                ),
            }
        }
    }
    changed
}

#[test]
fn fixing_twice_changes_nothing_the_second_time_over_every_fixture() {
    let rules = support::fixtures().join("rules");
    let mut all = Vec::new();
    let mut changed = 0;
    for rule in std::fs::read_dir(&rules).unwrap() {
        let rule = rule.unwrap().path();
        let docs = markdown_under(&rule);
        if docs.is_empty() {
            continue;
        }
        let profile = rule.join("profile.toml");
        changed += fixpoint(&docs, profile.to_str().unwrap());
        all.extend(docs);
    }
    assert!(changed >= 10, "only {changed} fixtures changed");
    for (profile, _) in archlint::profile::BUILTIN {
        assert!(fixpoint(&all, profile) > 0, "{profile} fixed nothing");
    }
}

#[test]
fn fixing_twice_changes_nothing_the_second_time_over_the_shared_corpus() {
    let real = support::root().join("../shared/corpus/real");
    if !real.is_dir() {
        eprintln!("skipping: no ../shared/corpus/real");
        return;
    }
    let docs: Vec<PathBuf> = std::fs::read_dir(&real)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    for profile in ["core", "comprehensive", "auto"] {
        fixpoint(&docs, profile);
    }
}

const UNFILLED: &str = "\
# Architecture

Intro.

#### Overview

What it does.

Components
----------

The parts.

<!-- archlint-disable-next-line dead-reference -->
Nothing to suppress here.
";

#[test]
fn a_fix_writes_the_missing_parts_where_they_belong() {
    let dir = support::tree(&[("ARCHITECTURE.md", UNFILLED)]);
    let run = run_in(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--profile",
            "core",
            "--today",
            TODAY,
            "--report-unused-suppressions",
            "--fix",
            "--format",
            "short",
            "ARCHITECTURE.md",
        ],
    );
    run.assert_code(1);
    let text = std::fs::read_to_string(dir.path().join("ARCHITECTURE.md")).unwrap();
    // Overview at the deepest level the profile allows; the setext heading stays as written; the
    // unused suppression is gone; the missing sections follow in the profile's order,
    // each with a placeholder that is what remains to do.
    assert!(text.contains("\n### Overview\n"), "{text}");
    assert!(text.contains("Components\n----------\n"), "{text}");
    assert!(!text.contains("archlint-disable"), "{text}");
    let order = [
        "## System Architecture",
        "## Data Flow",
        "## Design Decisions",
        "## Security",
    ];
    let at: Vec<usize> = order
        .iter()
        .map(|h| text.find(h).unwrap_or(usize::MAX))
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]) && at[3] != usize::MAX,
        "{text}"
    );
    // What remains is the writing: placeholders and the sections they stand in, no
    // missing section, heading level or unused suppression.
    for rule in [
        "[missing-section]",
        "[heading-level]",
        "[invalid-suppression]",
    ] {
        assert!(!run.stdout.contains(rule), "{}", run.transcript());
    }
    assert!(run.stdout.contains("[placeholder]"), "{}", run.transcript());
    assert!(
        run.stderr.contains("archlint: fixed 8 findings in 1 file"),
        "{}",
        run.transcript()
    );
}

#[test]
fn diff_prints_the_fixes_and_writes_nothing() {
    let dir = support::tree(&[("ARCHITECTURE.md", UNFILLED)]);
    let args = [
        "check",
        "--isolated",
        "--profile",
        "core",
        "--fix",
        "--diff",
        "ARCHITECTURE.md",
    ];
    let run = run_in(dir.path(), &args);
    run.assert_code(1);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ARCHITECTURE.md")).unwrap(),
        UNFILLED
    );
    assert!(
        run.stdout
            .starts_with("--- a/ARCHITECTURE.md\n+++ b/ARCHITECTURE.md\n@@ "),
        "{}",
        run.transcript()
    );
    assert!(
        run.stdout.contains("\n-#### Overview\n+### Overview\n"),
        "{}",
        run.transcript()
    );
    // Standard input: a diff, never a write.
    let piped = run_stdin(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--profile",
            "core",
            "--fix",
            "--diff",
            "-",
        ],
        UNFILLED.as_bytes(),
    );
    piped.assert_code(1);
    assert!(
        piped.stdout.contains("+### Overview"),
        "{}",
        piped.transcript()
    );
    let refused = run_stdin(
        dir.path(),
        &["check", "--isolated", "--profile", "core", "--fix", "-"],
        UNFILLED.as_bytes(),
    );
    refused.assert_code(2);
    assert!(
        refused.stderr.contains("--fix --diff"),
        "{}",
        refused.transcript()
    );
}

#[test]
fn a_date_is_written_only_with_fix_dates() {
    let doc = "# Architecture\n\n## Overview\n\nText.\n";
    let profile = "extends = \"core\"\n[date]\nrequired = true\n";
    let dir = support::tree(&[("ARCHITECTURE.md", doc), ("p.toml", profile)]);
    let base = [
        "check",
        "--isolated",
        "--profile",
        "p.toml",
        "--today",
        TODAY,
        "--fix",
    ];
    run_in(dir.path(), &[&base[..], &["ARCHITECTURE.md"]].concat());
    let text = std::fs::read_to_string(dir.path().join("ARCHITECTURE.md")).unwrap();
    assert!(!text.contains(TODAY), "{text}");
    run_in(
        dir.path(),
        &[&base[..], &["--fix-dates", "ARCHITECTURE.md"]].concat(),
    );
    let text = std::fs::read_to_string(dir.path().join("ARCHITECTURE.md")).unwrap();
    assert!(
        text.starts_with(&format!(
            "# Architecture\n\n> Last updated: {TODAY}\n\n## Overview"
        )),
        "{text}"
    );
}

#[cfg(unix)]
#[test]
fn a_fix_keeps_the_file_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = support::tree(&[("ARCHITECTURE.md", UNFILLED)]);
    let path = dir.path().join("ARCHITECTURE.md");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    run_in(
        dir.path(),
        &["check", "--isolated", "--fix", "ARCHITECTURE.md"],
    );
    assert_ne!(std::fs::read_to_string(&path).unwrap(), UNFILLED);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
}

/// A folder nothing may be written in (immutable for root, which ignores modes; mode
/// 0555 for anyone else): the run fails with exit 2, names the file, and leaves it and
/// the folder as they were.
#[cfg(target_os = "linux")]
#[test]
fn a_fix_in_a_read_only_folder_fails_and_changes_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let dir = support::tree(&[("docs/ARCHITECTURE.md", UNFILLED)]);
    let docs = dir.path().join("docs");
    let root = unsafe { libc::geteuid() } == 0;
    let locked = if root {
        std::process::Command::new("chattr")
            .arg("+i")
            .arg(&docs)
            .status()
            .is_ok_and(|s| s.success())
    } else {
        std::fs::set_permissions(&docs, std::fs::Permissions::from_mode(0o555)).is_ok()
    };
    if !locked {
        eprintln!("skipping: cannot make a read-only folder here (chattr +i failed)");
        return;
    }
    let run = run_in(
        dir.path(),
        &["check", "--isolated", "--fix", "docs/ARCHITECTURE.md"],
    );
    let listing: Vec<_> = std::fs::read_dir(&docs)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let text = std::fs::read_to_string(docs.join("ARCHITECTURE.md")).unwrap();
    if root {
        let _ = std::process::Command::new("chattr")
            .arg("-i")
            .arg(&docs)
            .status();
    } else {
        let _ = std::fs::set_permissions(&docs, std::fs::Permissions::from_mode(0o755));
    }
    run.assert_code(2);
    assert!(
        run.stderr.contains("docs/ARCHITECTURE.md"),
        "{}",
        run.transcript()
    );
    assert_eq!(text, UNFILLED);
    assert_eq!(listing, ["ARCHITECTURE.md"]);
}
