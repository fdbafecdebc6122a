//! Per-rule fixtures: `tests/fixtures/rules/<rule>/{profile.toml, pass/*.md, fail/*.md}`.
//!
//! A pass document must produce no finding of its rule, a fail document at least one;
//! the human rendering of each fail document's findings of that rule is snapshotted.

use std::path::{Path, PathBuf};

use archlint::diagnostic::{Diagnostic, RuleId};
use archlint::document::source::SourceFile;
use archlint::lint::LintOptions;
use archlint::profile::Profile;

use crate::support;

/// `tests/fixtures/rules`, relative to the package root (cargo runs tests there), so
/// that paths in rendered output do not depend on where the checkout lives.
const RULES_DIR: &str = "tests/fixtures/rules";

fn rule_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(support::root().join(RULES_DIR))
        .expect("tests/fixtures/rules exists")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn markdown_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|e| e.expect("a directory entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
}

fn rule_of(dir: &Path) -> RuleId {
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
    RuleId::parse(name).unwrap_or_else(|| panic!("fixture folder `{name}` is not a rule id"))
}

/// The fixture's profile, loaded the way `--profile <file>` loads it, named by a path
/// relative to the package root.
fn profile_of(rule: &str) -> Profile {
    let path = format!("{RULES_DIR}/{rule}/profile.toml");
    Profile::load(&path, Path::new("")).unwrap_or_else(|e| {
        let mut s = String::new();
        archlint::render_error(&mut DisplayBuf(&mut s), e);
        panic!("{path} does not load:\n{s}")
    })
}

/// `fmt::Write` → `io::Write`, to catch `render_error`'s output.
struct DisplayBuf<'a>(&'a mut String);
impl std::io::Write for DisplayBuf<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.push_str(&String::from_utf8_lossy(buf));
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Lint one fixture document in-process, as `archlint check --today 2026-11-21` would.
fn lint(path: &Path, profile: &Profile) -> (SourceFile, Vec<Diagnostic>) {
    let text = std::fs::read_to_string(path).expect("fixture documents are UTF-8");
    let rel = path
        .strip_prefix(support::root().join(RULES_DIR))
        .unwrap_or(path)
        .display()
        .to_string();
    let file = SourceFile::new(rel, text);
    let opts = LintOptions::new(support::today());
    let repo = archlint::fs::repo::Repo::with_fs(
        path,
        std::sync::Arc::new(archlint::fs::repo::RepoFs::new()),
    );
    let found = archlint::lint_source(&file, profile, &opts, Some(&repo));
    (file, found)
}

fn describe(file: &SourceFile, diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| {
            let p = file.locate(d.span.start);
            format!("  {}:{}: {} [{}]", p.line, p.column, d.message, d.rule)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Human output (miette, no colour) of `archlint check` on one fixture, run in-process
/// with the working directory given as the package root (`""`), so that every path in
/// the output, the profile's included, is relative and independent of the checkout.
fn render_human(rule: &str, path: &Path) -> String {
    let rel = path
        .strip_prefix(support::root())
        .expect("fixtures live under the package root")
        .display()
        .to_string();
    let profile = format!("{RULES_DIR}/{rule}/profile.toml");
    let args = [
        "archlint",
        "check",
        "--isolated",
        "--profile",
        &profile,
        "--format",
        "human",
        "--color",
        "never",
        "--today",
        support::TODAY,
        &rel,
    ];
    let cli = <archlint::cli::Cli as clap::Parser>::try_parse_from(args).expect("valid arguments");
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = archlint::run(cli, Path::new(""), &mut out, &mut err);
    let err = String::from_utf8_lossy(&err);
    assert!(
        code <= 1,
        "archlint check failed with {code} on {rel}:\n{err}"
    );
    assert!(err.is_empty(), "unexpected stderr for {rel}:\n{err}");
    String::from_utf8(out).expect("human output is UTF-8")
}

#[test]
fn pass_documents_have_no_finding_of_their_rule() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for dir in rule_dirs() {
        let rule = rule_of(&dir);
        let profile = profile_of(rule.as_str());
        for path in markdown_in(&dir.join("pass")) {
            checked += 1;
            let (file, found) = lint(&path, &profile);
            let hits: Vec<Diagnostic> = found.into_iter().filter(|d| d.rule == rule).collect();
            if !hits.is_empty() {
                problems.push(format!("{}:\n{}", file.name, describe(&file, &hits)));
            }
        }
    }
    // Every registered rule has pass documents (`every_rule_has_fixtures_and_docs`).
    assert!(
        checked >= archlint::rules::RULES.len(),
        "only {checked} pass documents were found"
    );
    assert!(
        problems.is_empty(),
        "pass documents with findings of their rule:\n{}",
        problems.join("\n")
    );
}

#[test]
fn fail_documents_have_a_finding_of_their_rule() {
    let mut problems = Vec::new();
    for dir in rule_dirs() {
        let rule = rule_of(&dir);
        let profile = profile_of(rule.as_str());
        for path in markdown_in(&dir.join("fail")) {
            let (file, found) = lint(&path, &profile);
            // A collection rule's folder holds records that are only its context.
            if file.text().starts_with("<!-- fixture: context -->") {
                continue;
            }
            if !found.iter().any(|d| d.rule == rule) {
                problems.push(format!(
                    "{}: no `{rule}` finding; found instead:\n{}",
                    file.name,
                    describe(&file, &found)
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "fail documents without a finding of their rule:\n{}",
        problems.join("\n")
    );
}

#[test]
fn fail_documents_render() {
    support::settings().bind(|| {
        insta::glob!("../fixtures/rules", "*/fail/*.md", |path| {
            let dir = path
                .parent()
                .and_then(Path::parent)
                .expect("rules/<rule>/fail/<file>");
            let rule = rule_of(dir);
            // Whether the rule fired is `fail_documents_have_a_finding_of_their_rule`'s
            // business; a panic here would stop the glob at the first bad file.
            let human = render_human(rule.as_str(), path);
            insta::assert_snapshot!("fixture", human);
        });
    });
}

#[test]
fn every_rule_has_fixtures_and_docs() {
    let mut problems = Vec::new();
    for rule in archlint::rules::RULES {
        let m = rule.meta();
        let id = m.id.as_str();
        let dir = support::root().join(RULES_DIR).join(id);
        if !dir.join("profile.toml").is_file() {
            problems.push(format!("{id}: no {RULES_DIR}/{id}/profile.toml"));
        }
        for kind in ["pass", "fail"] {
            if markdown_in(&dir.join(kind)).is_empty() {
                problems.push(format!("{id}: no {RULES_DIR}/{id}/{kind}/*.md"));
            }
        }
        if m.summary.trim().is_empty() {
            problems.push(format!("{id}: empty summary"));
        }
        for heading in ["## What it finds", "## Examples"] {
            if !m.docs.contains(heading) {
                problems.push(format!("{id}: docs lack `{heading}`"));
            }
        }
    }
    // And no fixture folder for a rule that does not exist (a typo hides a whole set).
    for dir in rule_dirs() {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if !archlint::rules::RULES
            .iter()
            .any(|r| r.meta().id.as_str() == name)
        {
            problems.push(format!(
                "{RULES_DIR}/{name}: no rule of that id is registered"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
