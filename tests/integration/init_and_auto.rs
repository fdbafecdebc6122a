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

/// `init --profile NAME` written and filled in, at `docs/ARCHITECTURE.md`.
fn filled_skeleton(dir: &Path, profile: &str) -> std::path::PathBuf {
    init(dir, profile, &[]).assert_code(0);
    let doc = dir.join("docs/ARCHITECTURE.md");
    let text = std::fs::read_to_string(&doc).unwrap();
    std::fs::write(&doc, filled_in(&text)).unwrap();
    doc
}

/// `tests/fixtures/auto/NAME` copied into a temporary repository, so that what it
/// references is looked up there and not in this checkout.
fn auto_fixture(name: &str) -> tempfile::TempDir {
    let dir = repo();
    let text = std::fs::read_to_string(support::fixtures().join("auto").join(name)).unwrap();
    std::fs::write(dir.path().join(name), text).unwrap();
    dir
}

/// A skeleton filled in passes its own profile (see above) and follows it more
/// closely than any other: auto gives it that profile, even where `core` passes too.
#[test]
fn auto_gives_each_filled_skeleton_its_own_profile() {
    for profile in PROFILES {
        let dir = repo();
        filled_skeleton(dir.path(), profile);
        let run = auto(dir.path(), "docs/ARCHITECTURE.md", "json");
        assert_eq!(&chosen(&run), profile, "{}", run.transcript());
        run.assert_code(0);
    }
}

/// Issue #17: a document with all eight `core` sections also has six of
/// `comprehensive`'s ten, which was enough for auto to pick `comprehensive` and report
/// eleven errors; `core` passes it.
#[test]
fn auto_gives_core_to_a_document_with_every_core_section() {
    let dir = auto_fixture("core-complete.md");
    let run = auto(dir.path(), "core-complete.md", "json");
    assert_eq!(chosen(&run), "core", "{}", run.transcript());
    run.assert_code(0);

    // The premise: the template whose structure it half follows fails it.
    let strict = run_in(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--profile",
            "comprehensive",
            "--today",
            TODAY,
            "core-complete.md",
        ],
    );
    strict.assert_code(1);
}

#[test]
fn auto_gives_core_to_a_hand_written_document_that_follows_no_template() {
    let dir = auto_fixture("hand-written.md");
    let run = auto(dir.path(), "hand-written.md", "json");
    assert_eq!(chosen(&run), "core", "{}", run.transcript());
    run.assert_code(1);
    let human = auto(dir.path(), "hand-written.md", "human");
    assert!(
        human.stdout.contains(
            "hand-written.md: profile `core` chosen by --profile auto: no template fits well"
        ),
        "{}",
        human.transcript()
    );
}

/// A filled `service` skeleton without its `Async Processing` section follows
/// `service` best (17 of its 18 sections) but fails it; `core` passes it, so auto takes
/// `core` and says what `service` would have reported.
#[test]
fn auto_never_picks_a_profile_the_document_fails_while_another_passes() {
    let dir = repo();
    let doc = filled_skeleton(dir.path(), "service");
    let text = std::fs::read_to_string(&doc).unwrap();
    let mut without = String::new();
    let mut skipping = false;
    for line in text.lines() {
        if line.starts_with("## ") {
            skipping = line == "## Async Processing";
        }
        if !skipping {
            without.push_str(line);
            without.push('\n');
        }
    }
    assert!(without.len() < text.len(), "no Async Processing section");
    std::fs::write(&doc, without).unwrap();
    // The premise: the template it follows fails it.
    check_skeleton(dir.path(), "service").assert_code(1);

    let run = auto(dir.path(), "docs/ARCHITECTURE.md", "json");
    assert_eq!(chosen(&run), "core", "{}", run.transcript());
    run.assert_code(0);
    let human = auto(dir.path(), "docs/ARCHITECTURE.md", "human");
    human.assert_code(0);
    assert!(
        human.stdout.contains(
            "docs/ARCHITECTURE.md: profile `core` chosen by --profile auto: 8 of its 8 \
             required top-level sections are present and the document passes it; \
             `service` would report 1 error (17 of its 18 sections present)"
        ),
        "{}",
        human.transcript()
    );
}

/// The sentence saying why is part of the human report, one line per document, before
/// its findings.
#[test]
fn auto_explains_its_choice_in_the_human_report() {
    let dir = auto_fixture("core-complete.md");
    let human = auto(dir.path(), "core-complete.md", "human");
    human.assert_code(0);
    assert!(
        human.stdout.starts_with(
            "core-complete.md: profile `core` chosen by --profile auto: 8 of its 8 \
             required top-level sections are present and the document passes it\n"
        ),
        "{}",
        human.transcript()
    );

    let dir = repo();
    filled_skeleton(dir.path(), "service");
    let human = auto(dir.path(), "docs/ARCHITECTURE.md", "human");
    assert!(
        human.stdout.contains(
            "profile `service` chosen by --profile auto: 18 of its 18 required top-level \
             sections are present and the document passes it"
        ),
        "{}",
        human.transcript()
    );
}

/// Unfilled templates, written the way the five source templates are laid out
/// (`comprehensive`'s as instructions with the skeleton in code blocks): each fails
/// every profile, so auto keeps the one whose template it follows.
#[test]
fn auto_gives_each_unfilled_template_its_own_profile() {
    for profile in PROFILES.iter().filter(|p| **p != "core") {
        let name = format!("template-{profile}.md");
        let dir = auto_fixture(&name);
        let run = auto(dir.path(), &name, "json");
        assert_eq!(&chosen(&run), profile, "{}", run.transcript());
        run.assert_code(1);
        let human = auto(dir.path(), &name, "human");
        assert!(
            human
                .stdout
                .contains("no built-in profile passes the document, so auto keeps the template it follows most"),
            "{}",
            human.transcript()
        );
    }
}

/// A record of a folder of decision records gets a record profile, however few of its
/// sections it has; `core` would ask it for a system's overview and deployment.
#[test]
fn auto_gives_a_decision_record_a_record_profile() {
    let dir = repo();
    let adr = dir.path().join("docs/adr");
    std::fs::create_dir_all(&adr).unwrap_or_else(|e| panic!("{e}"));
    for n in 1..=3 {
        std::fs::write(
            adr.join(format!("000{n}-avoid-default-exports-{n}.md")),
            format!(
                "# {n}. Avoid default exports\n\n- Status: accepted\n- Date: 2026-09-2{n}\n\n\
                 ## Decision\n\nWe use named exports.\n\n## Links\n\n- <https://example.org/>\n"
            ),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    let run = auto(
        dir.path(),
        "docs/adr/0001-avoid-default-exports-1.md",
        "json",
    );
    assert_eq!(chosen(&run), "nygard", "{}", run.transcript());
    let rules = rules_in(&run);
    assert!(rules.iter().all(|r| r == "missing-section"), "{rules:?}");
    let human = auto(
        dir.path(),
        "docs/adr/0001-avoid-default-exports-1.md",
        "human",
    );
    assert!(
        human.stdout.contains(
            "chosen by --profile auto: the document is a decision record (a file named as \
             one, numbered or dated, stating its status, in a folder of them)"
        ),
        "{}",
        human.transcript()
    );
    // The same text outside a folder of records is no record.
    std::fs::write(
        dir.path().join("notes.md"),
        "# Avoid default exports\n\n- Status: accepted\n\n## Decision\n\nNamed.\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(chosen(&auto(dir.path(), "notes.md", "json")), "core");
}
