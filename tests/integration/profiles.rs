//! Profiles: the built-ins load; good user profiles load; every broken profile in
//! `tests/fixtures/profiles/bad/` fails with exit code 2 and an error that names the
//! file and points at the offending TOML line.

use std::path::Path;

use archlint::profile::{Profile, BUILTIN};
use regex::Regex;

use crate::support;

/// Run `archlint profile show <path>` in-process, with the package root as a relative
/// working directory so that paths in the output do not depend on the checkout.
fn profile_show(path: &str) -> (u8, String, String) {
    let args = ["archlint", "profile", "show", path];
    let cli = <archlint::cli::Cli as clap::Parser>::try_parse_from(args).expect("valid arguments");
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = archlint::run(cli, Path::new(""), &mut out, &mut err);
    (
        code,
        String::from_utf8(out).expect("UTF-8 stdout"),
        String::from_utf8(err).expect("UTF-8 stderr"),
    )
}

#[test]
fn every_builtin_profile_loads() {
    assert_eq!(
        BUILTIN.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        [
            "core",
            "comprehensive",
            "adr",
            "walkthrough",
            "enterprise",
            "service",
            "madr",
            "nygard",
            "arc42"
        ],
        "SPEC.md names nine built-in profiles"
    );
    let mut problems = Vec::new();
    for (name, _) in BUILTIN {
        match Profile::builtin(name) {
            Ok(p) => {
                if p.name != *name {
                    problems.push(format!("{name}: loads under the name `{}`", p.name));
                }
                if p.description.trim().is_empty() {
                    problems.push(format!("{name}: no description"));
                }
                if !p.sections.iter().any(|s| s.required) {
                    problems.push(format!("{name}: no required section"));
                }
            }
            Err(e) => {
                let mut s = Vec::new();
                archlint::render_error(&mut s, e);
                problems.push(format!("{name}: {}", String::from_utf8_lossy(&s)));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn good_user_profiles_load() {
    for name in ["extends-core", "standalone"] {
        let path = format!("tests/fixtures/profiles/good/{name}.toml");
        let p = Profile::load(&path, Path::new(""))
            .unwrap_or_else(|e| panic!("{path} does not load: {e}"));
        assert!(!p.sections.is_empty(), "{path}: no sections");
    }
    // `extends` keeps the base profile's sections and adds the new one after them.
    let core = Profile::builtin("core").expect("core loads");
    let team = Profile::load(
        "tests/fixtures/profiles/good/extends-core.toml",
        Path::new(""),
    )
    .expect("extends-core loads");
    assert_eq!(team.name, "team");
    assert_eq!(team.sections.len(), core.sections.len() + 1);
    assert_eq!(
        team.sections.last().map(|s| s.id.as_str()),
        Some("glossary")
    );
    assert_eq!(team.date.as_ref().map(|d| d.max_age_days), Some(180));
    // The base profile's TOML is one of the layers, for "required by" notes.
    assert_eq!(team.layers.len(), 2);
}

/// The `╭─[path:line:column]` headers miette prints for each labelled span.
fn located_lines(stderr: &str, file: &str) -> Vec<usize> {
    let re = Regex::new(r"╭─\[([^\]]+):(\d+):(\d+)\]").expect("a valid regex");
    re.captures_iter(stderr)
        .filter(|c| c[1].ends_with(file))
        .filter_map(|c| c[2].parse().ok())
        .collect()
}

#[test]
fn bad_profiles_fail_with_located_errors() {
    support::settings().bind(|| {
        insta::glob!("../fixtures/profiles/bad", "*.toml", |path| {
            let file = path
                .file_name()
                .and_then(|f| f.to_str())
                .expect("a file name");
            let rel = format!("tests/fixtures/profiles/bad/{file}");
            let (code, stdout, stderr) = profile_show(&rel);
            insta::assert_snapshot!(
                "bad_profile",
                format!("exit: {code}\n----- stdout -----\n{stdout}----- stderr -----\n{stderr}")
            );
        });
    });
}

#[test]
fn bad_profiles_name_the_file_and_the_toml_line() {
    let dir = support::fixtures().join("profiles").join("bad");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/profiles/bad exists")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "expected at least ten broken profiles");
    let mut problems = Vec::new();
    for path in files {
        let file = path
            .file_name()
            .and_then(|f| f.to_str())
            .expect("a file name");
        let rel = format!("tests/fixtures/profiles/bad/{file}");
        let (code, stdout, stderr) = profile_show(&rel);
        if code != 2 {
            problems.push(format!("{file}: exit code {code}, expected 2"));
        }
        if !stdout.is_empty() {
            problems.push(format!("{file}: printed a profile despite the error"));
        }
        if !stderr.contains(file) {
            problems.push(format!(
                "{file}: the error does not name the file:\n{stderr}"
            ));
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        let lines = located_lines(&stderr, file);
        if lines.is_empty() {
            problems.push(format!(
                "{file}: the error points at no line of the file:\n{stderr}"
            ));
        }
        for line in lines {
            // Never at a comment or a blank line: at the offending key or value.
            let at = text.lines().nth(line - 1).unwrap_or("");
            if at.trim().is_empty() || at.trim_start().starts_with('#') {
                problems.push(format!("{file}: points at line {line}, `{at}`"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn several_problems_are_reported_together() {
    let (code, _, stderr) = profile_show("tests/fixtures/profiles/bad/several-problems.toml");
    assert_eq!(code, 2);
    assert_eq!(
        located_lines(&stderr, "several-problems.toml"),
        [7, 12, 15],
        "one located error per problem, in file order:\n{stderr}"
    );
}

/// The real binary, not just the library: exit code 2 and the TOML location on stderr.
#[test]
fn the_binary_reports_a_bad_profile_with_exit_code_2() {
    let dir = support::tree(&[(
        "house.toml",
        "name = \"house\"\n\n[[sections]]\nid = \"overview\"\ntitle = \"Overview\"\nlevle = 2\n",
    )]);
    let run = support::run_in(dir.path(), &["profile", "show", "house.toml"]);
    run.assert_code(2);
    assert!(run.stdout.is_empty(), "{}", run.transcript());
    assert!(
        run.stderr.contains("house.toml:6:1]"),
        "the error should point at line 6:\n{}",
        run.transcript()
    );
    assert!(
        run.stderr.contains("did you mean `level`?"),
        "{}",
        run.transcript()
    );
    // And `check` refuses to run with it rather than falling back to a default.
    support::write(dir.path(), "ARCHITECTURE.md", b"# Architecture\n");
    let run = support::run_in(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--profile",
            "house.toml",
            "ARCHITECTURE.md",
        ],
    );
    run.assert_code(2);
    assert!(
        run.stderr.contains("house.toml:6:1]"),
        "{}",
        run.transcript()
    );
}

/// `tests/fixtures/builtin/<profile>/pass/` documents pass their built-in profile;
/// each `fail/` document fails it with exactly the rules its last line names
/// (`<!-- expect: rule, rule -->`).
#[test]
fn builtin_profiles_pass_and_fail_their_fixtures() {
    let root = crate::support::fixtures().join("builtin");
    let mut seen = 0;
    for entry in std::fs::read_dir(&root).expect("tests/fixtures/builtin") {
        let dir = entry.expect("an entry").path();
        let profile = dir
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        for kind in ["pass", "fail"] {
            for doc in std::fs::read_dir(dir.join(kind)).expect("pass/ and fail/") {
                let doc = doc.expect("an entry").path();
                let text = std::fs::read_to_string(&doc).expect("a document");
                // No repository above the fixtures: what `doc-drift` would say of them
                // depends on archlint's own history, not on the fixture.
                let run = crate::support::run_with(
                    crate::support::archlint()
                        .current_dir(&dir)
                        .env("GIT_CEILING_DIRECTORIES", &root),
                    &[
                        "check",
                        "--isolated",
                        "--profile",
                        &profile,
                        "--today",
                        "2026-12-07",
                        "--format",
                        "json",
                        doc.to_str().expect("UTF-8 path"),
                    ],
                    None,
                );
                let mut rules: Vec<String> = run.json()["files"][0]["diagnostics"]
                    .as_array()
                    .expect("diagnostics")
                    .iter()
                    .map(|d| d["rule"].as_str().unwrap_or_default().to_string())
                    .collect();
                rules.sort();
                rules.dedup();
                let expected: Vec<String> = match kind {
                    "pass" => Vec::new(),
                    _ => {
                        let last = text.trim_end().lines().last().unwrap_or_default();
                        let names = last
                            .strip_prefix("<!-- expect:")
                            .and_then(|l| l.strip_suffix("-->"))
                            .unwrap_or_else(|| panic!("{} names no expected rules", doc.display()));
                        let mut v: Vec<String> =
                            names.split(',').map(|r| r.trim().to_string()).collect();
                        v.sort();
                        v
                    }
                };
                assert_eq!(
                    rules,
                    expected,
                    "{profile}: {}\n{}",
                    doc.display(),
                    run.transcript()
                );
                seen += 1;
            }
        }
    }
    assert!(seen >= 7, "{seen} fixtures");
}
