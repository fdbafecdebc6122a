//! A folder of decision records as its tools leave it: an index, a template, records
//! named by number or by date. Each file is checked as what it is: a record by the
//! record rules, the index by the folder rules, the template for its fill-ins.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{run_in, tree};

const TODAY: &str = "2026-12-07";

/// A MADR record (drivers, options, pros and cons) with no Consequences section.
fn madr_record(title: &str) -> String {
    format!(
        "# {title}\n\n- Status: accepted\n- Date: 2026-03-02\n\n\
         ## Context and Problem Statement\n\nServices must find each other.\n\n\
         ## Decision Drivers\n\n* start-up time\n\n\
         ## Considered Options\n\n* a registry\n* broadcast\n\n\
         ## Decision Outcome\n\nChosen option: a registry, because it starts fast.\n\n\
         ## Pros and Cons of the Options\n\n### A registry\n\n#### Pros\n\n* Good, because simple\n\n\
         #### Cons\n\n* Bad, because one more service\n"
    )
}

/// Each file's profile and the rules of its findings, from a JSON report.
fn by_file(dir: &Path, profile: &str, files: &[&str]) -> BTreeMap<String, (String, Vec<String>)> {
    let mut args = vec![
        "check",
        "--isolated",
        "--profile",
        profile,
        "--today",
        TODAY,
        "--format",
        "json",
    ];
    args.extend_from_slice(files);
    let run = run_in(dir, &args);
    let json = run.json();
    let mut out = BTreeMap::new();
    for f in json["files"].as_array().into_iter().flatten() {
        let rules = f["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|d| d["rule"].as_str().unwrap_or_default().to_string())
            .collect();
        out.insert(
            f["path"].as_str().unwrap_or_default().to_string(),
            (f["profile"].as_str().unwrap_or_default().to_string(), rules),
        );
    }
    assert_eq!(out.len(), files.len(), "{}", run.transcript());
    out
}

fn folder() -> tempfile::TempDir {
    let r1 = madr_record("Use a registry");
    let r2 = madr_record("Keep the registry in memory");
    let r3 = madr_record("Register on start-up");
    tree(&[
        (".git/HEAD", "ref: refs/heads/main\n"),
        ("adr/0001-use-a-registry.md", &r1),
        ("adr/0002-keep-the-registry-in-memory.md", &r2),
        ("adr/0003-register-on-start-up.md", &r3),
        (
            "adr/README.md",
            "# Decisions\n\n* [Use a registry](0001-use-a-registry.md)\n\
             * [Keep the registry in memory](0002-keep-the-registry-in-memory.md)\n",
        ),
        (
            "adr/0000-template.md",
            "# {short title of the problem and the choice}\n\n- Status: what is the status?\n\n\
             ## Context and Problem Statement\n\n{Describe the context in two or three sentences.}\n\n\
             ## Considered Options\n\n* {title of option 1}\n\n## Decision Outcome\n\n\
             Chosen option: {title of option 1}, because {justification}.\n",
        ),
    ])
}

#[test]
fn the_index_and_the_template_are_not_records() {
    let dir = folder();
    let files = [
        "adr/0001-use-a-registry.md",
        "adr/0002-keep-the-registry-in-memory.md",
        "adr/0003-register-on-start-up.md",
        "adr/README.md",
        "adr/0000-template.md",
    ];
    for profile in ["madr", "nygard"] {
        let found = by_file(dir.path(), profile, &files);
        // The index is held to listing the records, not to a record's sections.
        let (_, index) = &found["adr/README.md"];
        assert_eq!(
            index,
            &vec!["adr-index".to_string()],
            "{profile}: {found:?}"
        );
        // The template is no record: neither numbered (`0000` is no duplicate of
        // anything) nor held to the folder's statuses; its fill-ins are reported.
        let (_, template) = &found["adr/0000-template.md"];
        assert!(
            template.iter().any(|r| r == "placeholder"),
            "{profile}: {found:?}"
        );
        assert!(
            !template.iter().any(|r| r.starts_with("adr-")),
            "{profile}: {found:?}"
        );
    }
    // auto weighs all three against the record profiles, and a MADR record missing
    // only Consequences gets MADR's profile, which it passes, not Nygard's.
    let found = by_file(dir.path(), "auto", &files);
    for (file, (profile, rules)) in &found {
        assert_eq!(profile, "madr", "{file}: {found:?}");
        if file.contains("/000") && !file.contains("template") {
            assert!(rules.is_empty(), "{file}: {found:?}");
        }
    }
    let human = run_in(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--profile",
            "auto",
            "--today",
            TODAY,
            "adr/README.md",
        ],
    );
    assert!(
        human
            .stdout
            .contains("the document is the index of a folder of decision records"),
        "{}",
        human.transcript()
    );
}

#[test]
fn records_named_by_date_have_no_sequence() {
    let record = |title: &str| {
        format!("# {title}\n\n- Status: accepted\n\n## Context\n\nWhy.\n\n## Decision\n\nWhat.\n\n## Consequences\n\nThen.\n")
    };
    let (a, b, c) = (
        record("Pick a queue"),
        record("Pick a cache"),
        record("Drop cron"),
    );
    let dir = tree(&[
        (".git/HEAD", "ref: refs/heads/main\n"),
        ("adr/20230402-pick-a-queue.md", &a),
        ("adr/2023-06-19-pick-a-cache.md", &b),
        ("adr/2024_01_08_drop-cron.md", &c),
        // A page on writing records that links one as an example is no index.
        (
            "adr/README.md",
            "# Writing a decision record\n\nCopy [an example](20230402-pick-a-queue.md).\n",
        ),
    ]);
    let files = [
        "adr/20230402-pick-a-queue.md",
        "adr/2023-06-19-pick-a-cache.md",
        "adr/2024_01_08_drop-cron.md",
        "adr/README.md",
    ];
    let found = by_file(dir.path(), "nygard", &files);
    for (file, (_, rules)) in &found {
        assert!(rules.is_empty(), "{file}: {found:?}");
    }
    // They are records all the same: auto gives them the record profile they pass.
    let found = by_file(dir.path(), "auto", &files[..3]);
    for (file, (profile, _)) in &found {
        assert_eq!(profile, "nygard", "{file}: {found:?}");
    }
}

/// Records as teams write them: a status in a table under its header, a record about
/// templates (no template itself), a numbered index, a quoted line that reads like a
/// link definition but is a sentence.
#[test]
fn tables_slugs_numbered_indexes_and_quoted_terms() {
    let record = |n: u32, title: &str, extra: &str| {
        format!(
            "# ADR-{n:03}: {title}\n\n| Status | Date | Author(s) |\n|:--|:--|:--|\n\
             | Proposed | 2025-03-0{n} | @someone |\n\n## Context\n\nWhy.\n\n\
             ## Decision\n\nWhat.\n\n## Consequences\n\nThen.\n{extra}"
        )
    };
    let (a, b, c) = (
        record(1, "Queue", "\n> [Legacy]: a tool that is going away\n"),
        record(2, "Project templates", ""),
        record(3, "Cache", ""),
    );
    let dir = tree(&[
        (".git/HEAD", "ref: refs/heads/main\n"),
        ("adr/001-queue.md", &a),
        ("adr/002-project-templates.md", &b),
        ("adr/003-cache.md", &c),
        (
            "adr/000-index.md",
            "# Decisions\n\n- [Queue](001-queue.md)\n- [Project templates](002-project-templates.md)\n\
             - [Cache](003-cache.md)\n",
        ),
    ]);
    let files = [
        "adr/000-index.md",
        "adr/001-queue.md",
        "adr/002-project-templates.md",
        "adr/003-cache.md",
    ];
    let found = by_file(dir.path(), "nygard", &files);
    for (file, (_, rules)) in &found {
        assert!(rules.is_empty(), "{file}: {found:?}");
    }
}
