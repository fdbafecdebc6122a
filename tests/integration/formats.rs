//! The machine formats over one fixture set (`tests/fixtures/formats/`): one snapshot
//! per format, plus the properties the snapshots cannot show at a glance: GitHub
//! property escaping, SARIF rule metadata and fingerprints, rdjsonl byte columns,
//! `--report` files, and no colour anywhere.
//!
//! The fixtures have errors and warnings, a finding whose span crosses lines (an empty
//! setext heading), non-ASCII text before a finding on the same line, and a folder
//! named `design, v2`. SARIF and rdjsonl are also validated against their official
//! schemas by `.ci/conformance.sh`.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use serde_json::Value;

use crate::support::{self, Run, MACHINE_FORMATS, TODAY};

const DOCUMENTS: &[&str] = &[
    "ARCHITECTURE.md",
    "design, v2/ARCHITECTURE.md",
    "clean/ARCHITECTURE.md",
];

/// A copy of the fixture set in a temporary repository (it holds `.git`), so that
/// repository-relative paths and `%SRCROOT%` do not depend on where the checkout is.
fn fixture_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    copy_tree(&support::fixtures().join("formats"), dir.path());
    std::fs::create_dir(dir.path().join(".git")).expect("create .git");
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a folder");
    for entry in std::fs::read_dir(from).expect("read the fixtures") {
        let entry = entry.expect("a folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a fixture");
        }
    }
}

/// `archlint check` over the fixture set, outside any CI environment.
fn check_in(dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Run {
    let mut args = vec!["check", "--today", TODAY, "--profile", "profile.toml"];
    args.extend_from_slice(extra);
    args.extend_from_slice(DOCUMENTS);
    let mut cmd = support::archlint();
    cmd.current_dir(dir)
        .env_remove("GITHUB_WORKSPACE")
        .env_remove("CI_PROJECT_DIR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    support::run_with(&mut cmd, &args, None)
}

fn format(dir: &Path, name: &str) -> Run {
    let run = check_in(dir, &["--format", name], &[]);
    run.assert_code(1);
    assert!(run.stderr.is_empty(), "{}", run.transcript());
    run
}

#[test]
fn every_format_over_the_fixture_set() {
    let repo = fixture_repo();
    // `human` has its own snapshots with the rule fixtures.
    for name in MACHINE_FORMATS.iter().copied() {
        let run = format(repo.path(), name);
        let mut settings = support::settings();
        // Rule documentation belongs to the rules' own tests; here it would make every
        // docs edit a SARIF snapshot change. `sarif_describes_every_rule` checks it.
        settings.add_filter(
            r###"("(?:text|markdown)": )"## What it finds(?:[^"\\]|\\.)*""###,
            r#"$1"[rule docs]""#,
        );
        settings.add_filter(
            r#"("fullDescription": \{\s*"text": )"(?:[^"\\]|\\.)*""#,
            r#"$1"[first paragraph of the rule docs]""#,
        );
        settings.bind(|| insta::assert_snapshot!(format!("format_{name}"), run.transcript()));
    }
}

#[test]
fn machine_formats_never_carry_colour() {
    let repo = fixture_repo();
    for name in MACHINE_FORMATS {
        let run = check_in(
            repo.path(),
            &["--format", name, "--color", "always"],
            &[("CLICOLOR_FORCE", "1"), ("FORCE_COLOR", "1")],
        );
        assert!(!run.stdout.contains('\x1b'), "{name} has ANSI codes");
    }
}

/// `::error k=v,k=v::message` → (command, properties, message), decoding values.
fn parse_command(line: &str) -> (String, Vec<(String, String)>, String) {
    let rest = line.strip_prefix("::").expect("a workflow command");
    let (head, message) = rest.split_once("::").expect("`::` before the message");
    let (command, props) = head.split_once(' ').expect("properties");
    let props = props
        .split(',')
        .map(|p| {
            let (k, v) = p.split_once('=').expect("key=value");
            let v = v
                .replace("%0D", "\r")
                .replace("%0A", "\n")
                .replace("%3A", ":")
                .replace("%2C", ",")
                .replace("%25", "%");
            (k.to_string(), v)
        })
        .collect();
    (command.to_string(), props, message.to_string())
}

#[test]
fn github_file_names_cannot_forge_properties() {
    let evil = "x,line=99,title=forged:y%0A/ARCHITECTURE.md";
    let dir = support::tree(&[
        (".git/HEAD", ""),
        (evil, "# Architecture\n\n## Overview\n\n## Notes: a, b\n"),
    ]);
    let run = support::run_with(
        support::archlint()
            .current_dir(dir.path())
            .env_remove("GITHUB_WORKSPACE"),
        &["check", "--today", TODAY, "--format", "github", evil],
        None,
    );
    run.assert_code(1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(!lines.is_empty(), "{}", run.transcript());
    for line in lines {
        let (command, props, message) = parse_command(line);
        assert!(command == "error" || command == "warning", "{line}");
        let keys: Vec<&str> = props.iter().map(|(k, _)| k.as_str()).collect();
        let unique: BTreeSet<&str> = keys.iter().copied().collect();
        assert_eq!(keys.len(), unique.len(), "a repeated property in {line}");
        for k in &keys {
            assert!(
                ["file", "line", "endLine", "col", "endColumn", "title"].contains(k),
                "unexpected property {k} in {line}"
            );
        }
        let get = |k: &str| {
            props
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        };
        assert_eq!(get("file").as_deref(), Some(evil), "{line}");
        assert_ne!(get("line").as_deref(), Some("99"), "{line}");
        assert!(
            get("title").is_some_and(|t| t.starts_with("archlint (")),
            "{line}"
        );
        // The message is escaped too: the `%0A` of the name stays text, not a break.
        assert!(
            message.starts_with("x,line=99,title=forged:y%250A/"),
            "{line}"
        );
        assert!(!message.contains('\n') && !message.contains('\r'));
    }
}

#[test]
fn github_paths_are_relative_to_the_workspace() {
    let repo = fixture_repo();
    let sub = repo.path().join("clean");
    let run = support::run_with(
        support::archlint()
            .current_dir(&sub)
            .env("GITHUB_WORKSPACE", repo.path()),
        &[
            "check",
            "--today",
            TODAY,
            "--profile",
            "../profile.toml",
            "--format",
            "github",
            "../design, v2/ARCHITECTURE.md",
        ],
        None,
    );
    run.assert_code(1);
    for line in run.stdout.lines() {
        let (_, props, message) = parse_command(line);
        let file = props
            .iter()
            .find(|(k, _)| k == "file")
            .map(|(_, v)| v.as_str());
        assert_eq!(file, Some("design, v2/ARCHITECTURE.md"), "{line}");
        assert!(message.starts_with("design, v2/ARCHITECTURE.md:"), "{line}");
    }
}

#[test]
fn github_columns_are_inclusive_and_dropped_across_lines() {
    let repo = fixture_repo();
    let run = format(repo.path(), "github");
    for line in run.stdout.lines() {
        let (_, props, _) = parse_command(line);
        let get = |k: &str| {
            props
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.parse::<usize>().expect("a number"))
        };
        let (start, end) = (get("line").unwrap(), get("endLine").unwrap());
        if start == end {
            let (col, end_col) = (get("col").unwrap(), get("endColumn").unwrap());
            assert!(end_col >= col, "{line}");
        } else {
            assert!(get("col").is_none() && get("endColumn").is_none(), "{line}");
        }
    }
    // `[Component Name]` (16 characters) after non-ASCII text: columns in characters.
    assert!(run
        .stdout
        .contains("line=12,endLine=12,col=25,endColumn=40,title=archlint (placeholder)"));
}

fn json_of(run: &Run) -> Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e})\n{}", run.transcript()))
}

#[test]
fn sarif_describes_every_rule() {
    let repo = fixture_repo();
    let sarif = json_of(&format(repo.path(), "sarif"));
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(
        sarif["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let run = &sarif["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "archlint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let registry: Vec<&str> = archlint::rules::RULES
        .iter()
        .map(|r| r.meta().id.as_str())
        .collect();
    assert_eq!(&ids[..registry.len()], &registry[..]);
    for (rule, meta) in rules
        .iter()
        .zip(archlint::rules::RULES.iter().map(|r| r.meta()))
    {
        assert_eq!(rule["shortDescription"]["text"], meta.summary);
        assert_eq!(rule["help"]["markdown"], meta.docs.trim());
        assert_eq!(rule["help"]["text"], meta.docs.trim());
        assert!(!rule["fullDescription"]["text"].as_str().unwrap().is_empty());
        assert_eq!(
            rule["defaultConfiguration"]["level"],
            meta.severity.as_str()
        );
    }
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        root.starts_with("file:///") && root.ends_with('/'),
        "{root}"
    );
}

#[test]
fn sarif_results_point_into_the_repository() {
    let repo = fixture_repo();
    let sarif = json_of(&format(repo.path(), "sarif"));
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 6);
    let mut uris = BTreeSet::new();
    let mut fingerprints = HashSet::new();
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        assert!(r["level"] == "error" || r["level"] == "warning");
        let artifact = &r["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
        uris.insert(artifact["uri"].as_str().unwrap().to_string());
        let fp = r["partialFingerprints"]["archlint/v3"].as_str().unwrap();
        assert_eq!(fp.len(), 32);
        assert!(
            fingerprints.insert(fp.to_string()),
            "duplicate fingerprint {fp}"
        );
    }
    assert_eq!(
        uris.into_iter().collect::<Vec<_>>(),
        ["ARCHITECTURE.md", "design%2C%20v2/ARCHITECTURE.md"]
    );
    // The placeholder after `Die Straße → café, then `: columns in code points, the
    // byte offset in bytes.
    let placeholder = results
        .iter()
        .find(|r| r["ruleId"] == "placeholder")
        .unwrap();
    let region = &placeholder["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 12);
    assert_eq!(region["startColumn"], 25);
    assert_eq!(region["endColumn"], 41);
    assert_eq!(region["byteLength"], "[Component Name]".len());
    let text = std::fs::read_to_string(repo.path().join("ARCHITECTURE.md")).unwrap();
    let offset = region["byteOffset"].as_u64().unwrap() as usize;
    assert!(text[offset..].starts_with("[Component Name]"));
}

#[test]
fn sarif_fingerprints_survive_edits_above() {
    let repo = fixture_repo();
    let fingerprints = |dir: &Path| -> Vec<(String, u64)> {
        let sarif = json_of(&format(dir, "sarif"));
        sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["partialFingerprints"]["archlint/v3"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                )
            })
            .collect()
    };
    let before = fingerprints(repo.path());
    let path = repo.path().join("design, v2/ARCHITECTURE.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text.replacen(
        "## Overview\n",
        "## Overview\n\nA new paragraph.\n\nAnd another one.\n",
        1,
    );
    std::fs::write(&path, edited).unwrap();
    let after = fingerprints(repo.path());
    assert_eq!(before.len(), after.len());
    let mut moved = 0;
    for ((fp_before, line_before), (fp_after, line_after)) in before.iter().zip(&after) {
        assert_eq!(fp_before, fp_after);
        if line_before != line_after {
            moved += 1;
        }
    }
    assert_eq!(moved, 3, "the three findings of the edited file moved down");
}

/// A document with findings whose messages hold volatile numbers (`stale-date` counts
/// days, `mermaid-syntax` names a line) and repeated findings in two sections.
const VOLATILE: &str = "# Architecture

> Last updated: 2022-03-04

## Overview

Owned by [Team Name]. Reviewed by [Team Name].

## System Architecture

```mermaid
flowchart TD
    A[Web --> B
```

## Components

Owned by [Team Name].
";

/// `(fingerprint, rule, startLine)` of every SARIF result of `text` checked on `today`.
fn sarif_fingerprints(text: &str, today: &str) -> Vec<(String, String, u64)> {
    let dir = support::tree(&[("ARCHITECTURE.md", text), (".git/HEAD", "")]);
    let run = support::run_in(
        dir.path(),
        &[
            "check",
            "--profile",
            "core",
            "--format",
            "sarif",
            "--today",
            today,
            "ARCHITECTURE.md",
        ],
    );
    run.assert_code(1);
    json_of(&run)["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["partialFingerprints"]["archlint/v3"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                r["ruleId"].as_str().unwrap().to_string(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap(),
            )
        })
        .collect()
}

#[test]
fn sarif_fingerprints_ignore_the_day_and_lines_above() {
    let before = sarif_fingerprints(VOLATILE, TODAY);
    let rules: BTreeSet<&str> = before.iter().map(|f| f.1.as_str()).collect();
    for rule in ["stale-date", "mermaid-syntax", "placeholder"] {
        assert!(rules.contains(rule), "{rule} missing from {before:?}");
    }
    let unique: HashSet<&str> = before.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(
        unique.len(),
        before.len(),
        "two findings share a fingerprint"
    );

    // A year later, with three lines added above everything but the title.
    let edited = VOLATILE.replacen("\n\n", "\n\nIntro.\n\nMore.\n\n", 1);
    let after = sarif_fingerprints(&edited, "2027-11-21");
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!((&b.0, &b.1), (&a.0, &a.1), "fingerprint changed");
        assert!(a.2 > b.2, "{a:?} did not move down from {b:?}");
    }
}

#[test]
fn rdjsonl_is_one_diagnostic_per_line_with_byte_columns() {
    let repo = fixture_repo();
    let run = format(repo.path(), "rdjsonl");
    let lines: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 6);
    for d in &lines {
        assert!(d["message"].is_string());
        assert!(d["severity"] == "ERROR" || d["severity"] == "WARNING");
        assert_eq!(d["source"]["name"], "archlint");
        assert!(d["code"]["value"].is_string());
        assert!(d["location"]["path"].is_string());
        assert!(d["location"]["range"]["start"]["line"].as_u64().unwrap() >= 1);
        assert!(d["location"]["range"]["start"]["column"].as_u64().unwrap() >= 1);
    }
    let placeholder = lines
        .iter()
        .find(|d| d["code"]["value"] == "placeholder")
        .unwrap();
    let range = &placeholder["location"]["range"];
    // `Die Straße → café, then ` is 24 characters and 28 bytes.
    assert_eq!(range["start"]["column"], 29);
    assert_eq!(range["end"]["column"], 29 + "[Component Name]".len());
}

#[test]
fn gitlab_fingerprints_are_unique_and_severities_mapped() {
    let repo = fixture_repo();
    let issues = json_of(&format(repo.path(), "gitlab"));
    let issues = issues.as_array().unwrap();
    assert_eq!(issues.len(), 6);
    let unique: HashSet<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(unique.len(), issues.len());
    for i in issues {
        assert!(i["description"].is_string() && i["check_name"].is_string());
        assert!(i["severity"] == "major" || i["severity"] == "minor");
        assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn report_creates_missing_folders() {
    let repo = fixture_repo();
    let run = check_in(
        repo.path(),
        &[
            "--format",
            "short",
            "--report",
            "rdjsonl=build/reports/archlint.rdjsonl",
        ],
        &[],
    );
    run.assert_code(1);
    assert!(run.stdout.contains(": error: "), "{}", run.transcript());
    let written =
        std::fs::read_to_string(repo.path().join("build/reports/archlint.rdjsonl")).unwrap();
    assert_eq!(written, format(repo.path(), "rdjsonl").stdout);
}

#[test]
fn report_files_match_the_formats_they_name() {
    let repo = fixture_repo();
    std::fs::create_dir(repo.path().join("out")).unwrap();
    std::fs::write(repo.path().join("out/old.xml"), "stale").unwrap();
    let run = check_in(
        repo.path(),
        &[
            "--format",
            "github",
            "--report",
            "sarif=out/archlint.sarif",
            "--report",
            "junit=out/old.xml",
        ],
        &[],
    );
    run.assert_code(1);
    assert!(run.stdout.starts_with("::warning "), "{}", run.transcript());
    let sarif = std::fs::read_to_string(repo.path().join("out/archlint.sarif")).unwrap();
    assert_eq!(sarif, format(repo.path(), "sarif").stdout);
    let junit = std::fs::read_to_string(repo.path().join("out/old.xml")).unwrap();
    assert_eq!(junit, format(repo.path(), "junit").stdout);
    // Nothing but the reports was left behind (atomic writes clean up after themselves).
    let mut names: Vec<String> = std::fs::read_dir(repo.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["archlint.sarif", "old.xml"]);
}

#[test]
fn report_rejects_a_bad_value_as_a_usage_error() {
    let repo = fixture_repo();
    for bad in ["nope=x.txt", "sarif", "sarif="] {
        let run = check_in(repo.path(), &["--report", bad], &[]);
        run.assert_code(2);
        assert!(run.stderr.contains("--report"), "{}", run.transcript());
    }
}

/// The `[file:line:column]` header of human output counts characters, as `short`
/// does (miette's own header counts bytes).
#[test]
fn human_and_short_agree_on_columns() {
    let dir = support::tree(&[(
        "ARCHITECTURE.md",
        "# Architecture\n\nÉquipe propriétaire — 🚀 owned by [Team Name].\n",
    )]);
    let args = |format: &'static str| ["check", "--format", format, "ARCHITECTURE.md"];
    let short = support::run_in(dir.path(), &args("short"));
    let human = support::run_in(dir.path(), &args("human"));
    assert!(
        short
            .stdout
            .contains("ARCHITECTURE.md:3:34: error: template placeholder `[Team Name]`"),
        "{}",
        short.transcript()
    );
    assert!(
        human.stdout.contains("╭─[ARCHITECTURE.md:3:34]"),
        "{}",
        human.transcript()
    );
}
