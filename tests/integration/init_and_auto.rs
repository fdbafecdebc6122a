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

#[test]
fn every_skeleton_passes_its_own_structure_rules() {
    for profile in PROFILES {
        let dir = repo();
        init(dir.path(), profile, &[]).assert_code(0);
        let doc = dir.path().join("docs/ARCHITECTURE.md");
        assert!(doc.is_file(), "{profile}: no docs/ARCHITECTURE.md written");
        let run = run_in(
            dir.path(),
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
        );
        let rules = rules_in(&run);
        // Only what is left for the author to write may be reported.
        let allowed: BTreeSet<String> = ["empty-section".to_string()].into();
        assert!(
            rules.is_subset(&allowed),
            "{profile}: the fresh skeleton reports {rules:?}\n{}",
            run.transcript()
        );
        assert!(
            rules.contains("empty-section"),
            "{profile}: the skeleton should tell the author what is left to write"
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
