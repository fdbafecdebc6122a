//! `archlint init` writes skeletons the profile itself accepts; `--profile auto` finds
//! the profile a document follows.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::{self, run_in, Run, TODAY};

const PROFILES: &[&str] = &[
    "core",
    "comprehensive",
    "adr",
    "walkthrough",
    "enterprise",
    "service",
];

/// A temporary repository root.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    std::fs::create_dir_all(dir.path().join(".git")).unwrap_or_else(|e| panic!("mkdir: {e}"));
    dir
}

fn init(dir: &Path, profile: &str, extra: &[&str]) -> Run {
    let mut args = vec!["init", "--profile", profile, "--today", TODAY];
    args.extend_from_slice(extra);
    run_in(dir, &args)
}

fn rules_in(run: &Run) -> BTreeSet<String> {
    let json = run.json();
    let mut out = BTreeSet::new();
    for f in json["files"].as_array().into_iter().flatten() {
        for d in f["diagnostics"].as_array().into_iter().flatten() {
            out.insert(d["rule"].as_str().unwrap_or_default().to_string());
        }
    }
    out
}

fn check_skeleton(dir: &Path, profile: &str) -> Run {
    run_in(
        dir,
        &[
            "check",
            "--isolated",
            "--profile",
            profile,
            "--today",
            TODAY,
            "--format",
            "json",
            "docs/ARCHITECTURE.md",
        ],
    )
}

/// The skeleton with every stand-in written: each `[…]` outside code replaced by
/// prose, and each stand-in diagram given one more line of its own.
fn filled_in(text: &str) -> String {
    let bracket = regex::Regex::new(r"\[[^\[\]\n]+\]").unwrap();
    let mut out = String::new();
    let mut in_code = false;
    for line in text.lines() {
        if line.starts_with("```") {
            if !in_code {
                out.push_str(line);
                out.push('\n');
                in_code = true;
                continue;
            }
            // Before the closing fence: a line that makes the diagram the team's own.
            let own = match out.rsplit("```").next().unwrap_or("") {
                d if d.starts_with("mermaid\nsequenceDiagram") => "    Service->>Client: receipt\n",
                d if d.starts_with("mermaid\nflowchart") => "    Service --> Queue\n",
                d if d.starts_with("mermaid\nclassDiagram") => "    class Queue\n",
                d if d.starts_with("mermaid\nstateDiagram") => "    Ready --> Done\n",
                d if d.starts_with("mermaid\nerDiagram") => "    ORDER ||--|{ LINE : holds\n",
                _ => "└── src/    # the service's code\n",
            };
            out.push_str(own);
            in_code = false;
        }
        if in_code {
            out.push_str(line);
        } else {
            let written = bracket.replace_all(line, "Written by the team");
            out.push_str(&written.replace("YYYY-MM-DD", TODAY));
        }
        out.push('\n');
    }
    out
}

/// An untouched skeleton fails its own profile (its stand-ins are placeholders), and
/// the same skeleton with every stand-in written passes it: `init` gives a person
/// something to fill in, not something to fight.
#[test]
fn every_skeleton_fails_its_profile_until_it_is_filled_in() {
    for profile in PROFILES {
        let dir = repo();
        init(dir.path(), profile, &[]).assert_code(0);
        let doc = dir.path().join("docs/ARCHITECTURE.md");
        assert!(doc.is_file(), "{profile}: no docs/ARCHITECTURE.md written");
        let run = check_skeleton(dir.path(), profile);
        run.assert_code(1);
        assert!(
            rules_in(&run).contains("placeholder"),
            "{profile}: the fresh skeleton should name what is left to write\n{}",
            run.transcript()
        );

        let text = std::fs::read_to_string(&doc).unwrap();
        std::fs::write(&doc, filled_in(&text)).unwrap();
        let run = check_skeleton(dir.path(), profile);
        assert_eq!(
            run.code,
            0,
            "{profile}: the filled-in skeleton fails its profile\n{}\n{}",
            filled_in(&text),
            run.transcript()
        );
    }
}

#[test]
fn init_never_overwrites_without_force() {
    let dir = repo();
    init(dir.path(), "adr", &["ARCH.md"]).assert_code(0);
    let path = dir.path().join("ARCH.md");
    std::fs::write(&path, "# Mine\n\nhand-written\n").unwrap_or_else(|e| panic!("{e}"));
    let before = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));

    let again = init(dir.path(), "adr", &["ARCH.md"]);
    again.assert_code(2);
    assert!(
        again.stderr.contains("already exists") && again.stderr.contains("--force"),
        "{}",
        again.transcript()
    );
    assert_eq!(std::fs::read(&path).unwrap_or_default(), before);

    init(dir.path(), "adr", &["ARCH.md", "--force"]).assert_code(0);
    let after = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(after.starts_with("# Architecture Documentation"), "{after}");
}

#[test]
fn init_with_an_unknown_profile_writes_nothing() {
    let dir = repo();
    init(dir.path(), "nope", &[]).assert_code(2);
    assert!(!dir.path().join("docs").exists());
}

#[test]
fn the_comprehensive_skeleton_reads_well() {
    let dir = repo();
    init(dir.path(), "comprehensive", &[]).assert_code(0);
    let text = std::fs::read_to_string(dir.path().join("docs/ARCHITECTURE.md"))
        .unwrap_or_else(|e| panic!("{e}"));
    support::settings().bind(|| insta::assert_snapshot!("init_comprehensive", text));
}

fn auto(dir: &Path, file: &str, format: &str) -> Run {
    run_in(
        dir,
        &[
            "check",
            "--isolated",
            "--profile",
            "auto",
            "--today",
            TODAY,
            "--format",
            format,
            file,
        ],
    )
}

fn chosen(run: &Run) -> String {
    run.json()["files"][0]["profile"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn auto_recognises_each_template_shape() {
    // Each skeleton has every required section of its profile.
    for profile in PROFILES.iter().filter(|p| **p != "core") {
        let dir = repo();
        init(dir.path(), profile, &["doc.md"]).assert_code(0);
        let run = auto(dir.path(), "doc.md", "json");
        assert_eq!(&chosen(&run), profile, "{}", run.transcript());
    }
}

#[test]
fn auto_falls_back_to_core_and_says_why() {
    let dir = repo();
    std::fs::write(
        dir.path().join("notes.md"),
        "# Notes\n\n## Goals\n\nShip it.\n\n## Risks\n\nNone yet.\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let run = auto(dir.path(), "notes.md", "json");
    assert_eq!(chosen(&run), "core");
    let human = auto(dir.path(), "notes.md", "human");
    assert!(
        human
            .stdout
            .contains("profile `core` chosen by --profile auto: no template fits well"),
        "{}",
        human.transcript()
    );
}

#[test]
fn a_documents_own_choice_beats_auto() {
    let dir = repo();
    init(dir.path(), "service", &["doc.md"]).assert_code(0);
    let path = dir.path().join("doc.md");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    std::fs::write(&path, format!("<!-- archlint: profile=adr -->\n{text}"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(chosen(&auto(dir.path(), "doc.md", "json")), "adr");
}
