//! The `archlint` binary end to end: exit codes, inputs, configuration, suppressions,
//! output formats and the informational subcommands.

use std::path::{Path, PathBuf};

use crate::support::{self, run_in, run_stdin, tree, write, Run, TODAY};

/// The profile, and the clean, failing and warning-only documents of `tests/fixtures/cli`.
const PROFILE: &str = include_str!("../fixtures/cli/profile.toml");
const CLEAN: &str = include_str!("../fixtures/cli/clean.md");
const ERRORS: &str = include_str!("../fixtures/cli/errors.md");
const WARNINGS: &str = include_str!("../fixtures/cli/warnings.md");

fn cli_dir() -> PathBuf {
    support::fixtures().join("cli")
}

/// `archlint check --isolated --profile profile.toml --today 2026-11-21 ARGS...`, run in
/// `tests/fixtures/cli`.
fn check(args: &[&str]) -> Run {
    let mut all = vec![
        "check",
        "--isolated",
        "--profile",
        "profile.toml",
        "--today",
        TODAY,
    ];
    all.extend_from_slice(args);
    run_in(&cli_dir(), &all)
}

/// A temporary repository: a `.git` folder, the CLI profile as `team.toml`, and `files`.
fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tree(files);
    std::fs::create_dir_all(dir.path().join(".git")).expect("create .git");
    write(dir.path(), "team.toml", PROFILE.as_bytes());
    dir
}

/// `(path, line, rule)` of every finding in a `--format json` run.
fn findings(run: &Run) -> Vec<(String, u64, String)> {
    let json = run.json();
    let mut out = Vec::new();
    for f in json["files"].as_array().expect("files is an array") {
        let path = f["path"].as_str().expect("path is a string").to_string();
        for d in f["diagnostics"]
            .as_array()
            .expect("diagnostics is an array")
        {
            out.push((
                path.clone(),
                d["line"].as_u64().expect("line is a number"),
                d["rule"].as_str().expect("rule is a string").to_string(),
            ));
        }
    }
    out
}

/// The reported path of every file in a `--format json` run, in report order.
fn json_paths(run: &Run) -> Vec<String> {
    run.json()["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["path"].as_str().unwrap_or("").to_string())
        .collect()
}

fn rules_found(run: &Run) -> Vec<String> {
    findings(run).into_iter().map(|(_, _, r)| r).collect()
}

// --- exit codes -------------------------------------------------------------

#[test]
fn exit_codes_follow_the_spec() {
    let cases: &[(&[&str], i32)] = &[
        (&["clean.md"], 0),
        (&["errors.md"], 1),
        (&["warnings.md"], 0),
        (&["--deny-warnings", "warnings.md"], 1),
        (&["--max-warnings", "0", "warnings.md"], 1),
        (&["--max-warnings", "1", "warnings.md"], 1),
        (&["--max-warnings", "2", "warnings.md"], 0),
        (&["--deny-warnings", "clean.md"], 0),
        (&["--exit-zero", "errors.md"], 0),
        (&["clean.md", "errors.md"], 1),
    ];
    for (args, code) in cases {
        check(args).assert_code(*code);
    }
}

#[test]
fn warnings_only_still_reports_the_warnings() {
    let run = check(&["--format", "short", "warnings.md"]);
    run.assert_code(0);
    assert_eq!(
        run.stdout,
        "warnings.md:3:17: warning: last-updated date 2025-01-10 is 680 days old (the limit is 365 days) [stale-date]\n\
         warnings.md:9:1: warning: section `Data Flow` is empty [empty-section]\n\
         Found 0 errors and 2 warnings in 1 file (1 file checked).\n"
    );
    // The same document from standard input, failing on its warnings.
    let run = run_stdin(
        &cli_dir(),
        &[
            "check",
            "--isolated",
            "--profile",
            "profile.toml",
            "--today",
            TODAY,
            "--deny-warnings",
            "-",
        ],
        WARNINGS.as_bytes(),
    );
    run.assert_code(1);
    assert!(
        run.stdout.contains("⚠ section `Data Flow` is empty"),
        "{}",
        run.transcript()
    );
}

#[test]
fn a_missing_file_exits_2_and_names_it() {
    let run = check(&["no-such-document.md"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("no-such-document.md"),
        "{}",
        run.transcript()
    );
    assert!(
        run.stderr.contains("does not exist"),
        "{}",
        run.transcript()
    );
}

#[test]
fn a_binary_file_exits_2() {
    let dir = tree(&[]);
    write(
        dir.path(),
        "ARCHITECTURE.md",
        b"# Architecture\n\n\x00\x01\x02\x00PNG",
    );
    let run = run_in(dir.path(), &["check", "--isolated", "ARCHITECTURE.md"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("ARCHITECTURE.md"),
        "{}",
        run.transcript()
    );
    assert!(run.stderr.contains("NUL"), "{}", run.transcript());
    assert!(!run.stderr.contains("panicked"), "{}", run.transcript());
}

#[test]
fn invalid_utf8_exits_2_with_the_byte_offset() {
    let dir = tree(&[]);
    // `Caf\xe9` is Latin-1; the bad byte is at offset 19.
    write(
        dir.path(),
        "ARCHITECTURE.md",
        b"# Architecture\n\nCaf\xe9 menus\n",
    );
    let run = run_in(dir.path(), &["check", "--isolated", "ARCHITECTURE.md"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("ARCHITECTURE.md"),
        "{}",
        run.transcript()
    );
    assert!(run.stderr.contains("UTF-8"), "{}", run.transcript());
    assert!(run.stderr.contains("offset 19"), "{}", run.transcript());
    // The same from standard input.
    let run = run_stdin(
        dir.path(),
        &["check", "--isolated", "--stdin-filename", "piped.md", "-"],
        b"# T\n\xff\n",
    );
    run.assert_code(2);
    assert!(run.stderr.contains("offset 4"), "{}", run.transcript());
}

#[test]
fn an_unknown_profile_exits_2_with_a_suggestion() {
    let run = run_in(
        &cli_dir(),
        &[
            "check",
            "--isolated",
            "--profile",
            "comprehensiv",
            "clean.md",
        ],
    );
    run.assert_code(2);
    assert!(
        run.stderr.contains("unknown profile `comprehensiv`"),
        "{}",
        run.transcript()
    );
    assert!(
        run.stderr.contains("did you mean `comprehensive`?"),
        "{}",
        run.transcript()
    );
    assert!(run.stdout.is_empty(), "{}", run.transcript());
}

#[test]
fn a_bad_today_exits_2() {
    for bad in ["2026-02-30", "21/11/2026", "tomorrow"] {
        let run = run_in(
            &cli_dir(),
            &[
                "check",
                "--isolated",
                "--profile",
                "profile.toml",
                "--today",
                bad,
                "clean.md",
            ],
        );
        run.assert_code(2);
        assert!(
            run.stderr
                .contains(&format!("`--today {bad}` is not a date")),
            "{}",
            run.transcript()
        );
    }
}

#[test]
fn explain_of_an_unknown_rule_exits_2() {
    let run = run_in(&cli_dir(), &["explain", "placeholders"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("unknown rule `placeholders`"),
        "{}",
        run.transcript()
    );
    assert!(
        run.stderr.contains("did you mean `placeholder`?"),
        "{}",
        run.transcript()
    );
}

#[test]
fn usage_errors_exit_2() {
    let run = run_in(&cli_dir(), &["check", "--format", "xml", "clean.md"]);
    run.assert_code(2);
    assert!(run.stderr.contains("--format"), "{}", run.transcript());
    let run = run_in(&cli_dir(), &["frobnicate"]);
    run.assert_code(2);
}

// --- standard input ---------------------------------------------------------

#[test]
fn stdin_is_read_with_a_dash() {
    let run = run_stdin(
        &cli_dir(),
        &[
            "check",
            "--isolated",
            "--profile",
            "profile.toml",
            "--today",
            TODAY,
            "--format",
            "short",
            "-",
        ],
        ERRORS.as_bytes(),
    );
    run.assert_code(1);
    assert_eq!(
        run.stdout,
        "-:7:27: error: template placeholder `[Staff Group]` was never filled in [placeholder]\n\
         -:9:1: error: required section `Data Flow` is missing [missing-section]\n\
         Found 2 errors and 0 warnings in 1 file (1 file checked).\n"
    );
}

#[test]
fn stdin_filename_names_the_document() {
    let run = run_stdin(
        &cli_dir(),
        &[
            "check",
            "--isolated",
            "--profile",
            "profile.toml",
            "--today",
            TODAY,
            "--format",
            "json",
            "--stdin-filename",
            "docs/ARCHITECTURE.md",
            "-",
        ],
        ERRORS.as_bytes(),
    );
    run.assert_code(1);
    let json = run.json();
    assert_eq!(json["files"][0]["path"], "docs/ARCHITECTURE.md");
    assert_eq!(json["files"][0]["diagnostics"][0]["rule"], "placeholder");
    // A clean document from stdin exits 0.
    let run = run_stdin(
        &cli_dir(),
        &[
            "check",
            "--isolated",
            "--profile",
            "profile.toml",
            "--today",
            TODAY,
            "-",
        ],
        CLEAN.as_bytes(),
    );
    run.assert_code(0);
}

// --- configuration ----------------------------------------------------------

#[test]
fn config_is_found_from_a_subdirectory() {
    let dir = repo(&[
        (
            "archlint.toml",
            "profile = \"team.toml\"\n\n[rules]\nplaceholder = \"off\"\n",
        ),
        ("docs/design/ARCHITECTURE.md", ERRORS),
    ]);
    let run = run_in(
        &dir.path().join("docs/design"),
        &[
            "check",
            "--today",
            TODAY,
            "--format",
            "json",
            "ARCHITECTURE.md",
        ],
    );
    run.assert_code(1);
    let json = run.json();
    assert_eq!(
        json["files"][0]["profile"],
        "cli-fixture",
        "{}",
        run.transcript()
    );
    assert_eq!(
        rules_found(&run),
        ["missing-section"],
        "{}",
        run.transcript()
    );
}

#[test]
fn config_names_are_tried_in_order() {
    // `.archlint.toml` wins over `archlint.toml`, which wins over `.config/archlint.toml`.
    let dir = repo(&[
        (
            ".archlint.toml",
            "profile = \"team.toml\"\n[rules]\nplaceholder = \"off\"\n",
        ),
        (
            "archlint.toml",
            "profile = \"team.toml\"\n[rules]\nmissing-section = \"off\"\n",
        ),
        (".config/archlint.toml", "profile = \"no-such-profile\"\n"),
        ("ARCHITECTURE.md", ERRORS),
    ]);
    let args = [
        "check",
        "--today",
        TODAY,
        "--format",
        "json",
        "ARCHITECTURE.md",
    ];
    let run = run_in(dir.path(), &args);
    assert_eq!(
        rules_found(&run),
        ["missing-section"],
        "{}",
        run.transcript()
    );
    std::fs::remove_file(dir.path().join(".archlint.toml")).expect("remove");
    let run = run_in(dir.path(), &args);
    assert_eq!(rules_found(&run), ["placeholder"], "{}", run.transcript());
    std::fs::remove_file(dir.path().join("archlint.toml")).expect("remove");
    let run = run_in(dir.path(), &args);
    run.assert_code(2);
    assert!(
        run.stderr.contains("no-such-profile"),
        "{}",
        run.transcript()
    );
}

#[test]
fn config_discovery_stops_at_the_repository_root() {
    // A broken config above the repository must not be read.
    let dir = tree(&[
        ("archlint.toml", "this is = not [valid toml\n"),
        ("project/ARCHITECTURE.md", CLEAN),
    ]);
    std::fs::create_dir_all(dir.path().join("project/.git")).expect("create .git");
    write(dir.path(), "project/team.toml", PROFILE.as_bytes());
    let run = run_in(
        &dir.path().join("project"),
        &[
            "check",
            "--today",
            TODAY,
            "--profile",
            "team.toml",
            "ARCHITECTURE.md",
        ],
    );
    run.assert_code(0);
}

#[test]
fn explicit_config_env_config_and_isolated() {
    let dir = repo(&[
        ("archlint.toml", "profile = \"team.toml\"\n"),
        (
            "ci/strict.toml",
            "profile = \"../team.toml\"\n\n[rules]\nplaceholder = \"off\"\n",
        ),
        ("ARCHITECTURE.md", ERRORS),
    ]);
    let json = ["--today", TODAY, "--format", "json", "ARCHITECTURE.md"];
    // The discovered config.
    let run = run_in(dir.path(), &[&["check"][..], &json].concat());
    assert_eq!(
        rules_found(&run),
        ["placeholder", "missing-section"],
        "{}",
        run.transcript()
    );
    // `--config` replaces it; its relative paths resolve against its own folder.
    let run = run_in(
        dir.path(),
        &[&["check", "--config", "ci/strict.toml"][..], &json].concat(),
    );
    assert_eq!(
        rules_found(&run),
        ["missing-section"],
        "{}",
        run.transcript()
    );
    // So does ARCHLINT_CONFIG.
    let mut cmd = support::archlint();
    cmd.current_dir(dir.path())
        .env("ARCHLINT_CONFIG", "ci/strict.toml");
    let run = support::run_with(&mut cmd, &[&["check"][..], &json].concat(), None);
    assert_eq!(
        rules_found(&run),
        ["missing-section"],
        "{}",
        run.transcript()
    );
    // `--isolated` ignores every config: the default profile, `core`, applies.
    let run = run_in(dir.path(), &[&["check", "--isolated"][..], &json].concat());
    assert_eq!(
        run.json()["files"][0]["profile"],
        "core",
        "{}",
        run.transcript()
    );
}

#[test]
fn a_broken_config_exits_2_naming_the_file_and_line() {
    let dir = repo(&[
        (
            "archlint.toml",
            "profile = \"team.toml\"\n\n[rules]\nplaceholdr = \"off\"\n",
        ),
        ("ARCHITECTURE.md", CLEAN),
    ]);
    let run = run_in(dir.path(), &["check", "--today", TODAY, "ARCHITECTURE.md"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("archlint.toml:4:1]"),
        "{}",
        run.transcript()
    );
    assert!(
        run.stderr.contains("did you mean `placeholder`?"),
        "{}",
        run.transcript()
    );
    assert!(run.stdout.is_empty(), "{}", run.transcript());
    support::settings().bind(|| insta::assert_snapshot!("broken_config", run.transcript()));
    // A missing `--config` file is an error too, never a silent default.
    let run = run_in(
        dir.path(),
        &["check", "--config", "nope.toml", "ARCHITECTURE.md"],
    );
    run.assert_code(2);
    assert!(run.stderr.contains("nope.toml"), "{}", run.transcript());
}

#[test]
fn config_sets_levels_and_the_stale_date_limit() {
    // 51 days old: fine by default (365), stale with a 30-day limit.
    let doc = CLEAN.replace("2026-11-02", "2026-10-01");
    let dir = repo(&[
        ("archlint.toml", "profile = \"team.toml\"\n"),
        ("ARCHITECTURE.md", &doc),
    ]);
    let args = [
        "check",
        "--today",
        TODAY,
        "--format",
        "short",
        "ARCHITECTURE.md",
    ];
    run_in(dir.path(), &args).assert_code(0);
    write(
        dir.path(),
        "archlint.toml",
        b"profile = \"team.toml\"\n\n[rules.stale-date]\nmax-age-days = 30\n",
    );
    let run = run_in(dir.path(), &args);
    run.assert_code(0);
    assert!(
        run.stdout.starts_with(
            "ARCHITECTURE.md:3:17: warning: last-updated date 2026-10-01 is 51 days old (the limit is 30 days) [stale-date]\n"
        ),
        "{}",
        run.transcript()
    );
    write(
        dir.path(),
        "archlint.toml",
        b"profile = \"team.toml\"\n\n[rules.stale-date]\nlevel = \"error\"\nmax-age-days = 30\n",
    );
    let run = run_in(dir.path(), &args);
    run.assert_code(1);
    assert!(
        run.stdout.contains(": error: last-updated date"),
        "{}",
        run.transcript()
    );
}

#[test]
fn overrides_apply_per_path() {
    let config = "profile = \"team.toml\"\n\n\
                  [[overrides]]\nfiles = [\"legacy/**\"]\n\n[overrides.rules]\nplaceholder = \"off\"\n\n\
                  [[overrides]]\nfiles = [\"decisions/**\"]\nprofile = \"adr\"\n";
    let dir = repo(&[
        ("archlint.toml", config),
        ("docs/ARCHITECTURE.md", ERRORS),
        ("legacy/ARCHITECTURE.md", ERRORS),
        ("decisions/ARCHITECTURE.md", CLEAN),
    ]);
    let run = run_in(dir.path(), &["check", "--today", TODAY, "--format", "json"]);
    let json = run.json();
    let profiles: Vec<(&str, &str)> = json["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or(""),
                f["profile"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        profiles,
        [
            ("decisions/ARCHITECTURE.md", "adr"),
            ("docs/ARCHITECTURE.md", "cli-fixture"),
            ("legacy/ARCHITECTURE.md", "cli-fixture"),
        ],
        "{}",
        run.transcript()
    );
    let placeholders: Vec<String> = findings(&run)
        .into_iter()
        .filter(|(_, _, r)| r == "placeholder")
        .map(|(p, _, _)| p)
        .collect();
    assert_eq!(
        placeholders,
        ["docs/ARCHITECTURE.md"],
        "{}",
        run.transcript()
    );
}

#[test]
fn overrides_match_paths_relative_to_the_config_from_a_subdirectory() {
    let config = "profile = \"team.toml\"\n\n\
                  [[overrides]]\nfiles = [\"legacy/**\"]\n\n[overrides.rules]\nplaceholder = \"off\"\n";
    let dir = repo(&[
        ("archlint.toml", config),
        ("legacy/ARCHITECTURE.md", ERRORS),
    ]);
    let run = run_in(
        &dir.path().join("legacy"),
        &[
            "check",
            "--today",
            TODAY,
            "--format",
            "json",
            "ARCHITECTURE.md",
        ],
    );
    assert_eq!(
        rules_found(&run),
        ["missing-section"],
        "`legacy/**` should match legacy/ARCHITECTURE.md when run from legacy/\n{}",
        run.transcript()
    );
}

#[test]
fn include_and_exclude_choose_the_documents() {
    let dir = repo(&[
        (
            "archlint.toml",
            "profile = \"team.toml\"\ninclude = [\"**/*.md\"]\nexclude = [\"docs/drafts/**\"]\n",
        ),
        ("docs/overview.md", CLEAN),
        ("docs/drafts/next.md", ERRORS),
        ("ignored/ARCHITECTURE.md", ERRORS),
        (".gitignore", "ignored/\n"),
    ]);
    // No path: the configured includes from the working directory, .gitignore respected.
    let run = run_in(dir.path(), &["check", "--today", TODAY, "--format", "json"]);
    run.assert_code(0);
    assert_eq!(
        json_paths(&run),
        ["docs/overview.md"],
        "{}",
        run.transcript()
    );
    // A directory argument is filtered the same way.
    let run = run_in(
        dir.path(),
        &["check", "--today", TODAY, "--format", "json", "docs"],
    );
    assert_eq!(
        json_paths(&run),
        ["docs/overview.md"],
        "{}",
        run.transcript()
    );
}

#[test]
fn without_config_a_directory_means_its_architecture_documents() {
    let dir = repo(&[
        ("ARCHITECTURE.md", CLEAN),
        ("docs/ARCHITECTURE.md", CLEAN),
        ("docs/notes.md", ERRORS),
        ("README.md", ERRORS),
    ]);
    let run = run_in(
        dir.path(),
        &[
            "check",
            "--profile",
            "team.toml",
            "--today",
            TODAY,
            "--format",
            "short",
            ".",
        ],
    );
    run.assert_code(0);
    assert_eq!(
        run.stdout,
        "All checks passed (2 files checked).\n",
        "{}",
        run.transcript()
    );
}

// --- suppressions -----------------------------------------------------------

#[test]
fn suppression_comments() {
    let doc = "# Architecture\n\
               \n\
               > Last updated: 2026-11-02\n\
               \n\
               ## Overview\n\
               \n\
               <!-- archlint-disable placeholder -- quoting the old template -->\n\
               Owned by [Team Name].\n\
               <!-- archlint-enable placeholder -->\n\
               Run by [Operator Name].\n\
               \n\
               <!-- archlint-disable-next-line placeholder -->\n\
               Paged through [Pager Tool].\n\
               Escalates to [Escalation Contact].\n\
               \n\
               <!-- archlint-disable-file empty-section -->\n\
               <!-- archlint-disable-next-line placeholders -->\n\
               \n\
               ## Data Flow\n\
               \n\
               ## Appendix\n";
    let dir = tree(&[("ARCHITECTURE.md", doc), ("profile.toml", PROFILE)]);
    let run = run_in(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--profile",
            "profile.toml",
            "--today",
            TODAY,
            "--format",
            "short",
            "ARCHITECTURE.md",
        ],
    );
    run.assert_code(1);
    assert_eq!(
        run.stdout,
        "ARCHITECTURE.md:10:8: error: template placeholder `[Operator Name]` was never filled in [placeholder]\n\
         ARCHITECTURE.md:14:14: error: template placeholder `[Escalation Contact]` was never filled in [placeholder]\n\
         ARCHITECTURE.md:17:1: warning: invalid suppression comment: unknown rule `placeholders` (did you mean `placeholder`?) [invalid-suppression]\n\
         Found 2 errors and 1 warning in 1 file (1 file checked).\n",
        "{}",
        run.transcript()
    );
}

/// `check` with the fixture profile and JSON output, for the suppression tests (the
/// document's name and any other flag follow).
const SUPPRESSION_ARGS: [&str; 8] = [
    "check",
    "--isolated",
    "--profile",
    "profile.toml",
    "--today",
    TODAY,
    "--format",
    "json",
];

#[test]
fn unused_suppressions_are_reported_on_request() {
    let doc = format!(
        "{CLEAN}\n<!-- archlint-disable-next-line placeholder -->\nNothing to hide here.\n"
    );
    let dir = tree(&[("ARCHITECTURE.md", &doc), ("profile.toml", PROFILE)]);
    let args = SUPPRESSION_ARGS;
    let run = run_in(dir.path(), &[&args[..], &["ARCHITECTURE.md"]].concat());
    run.assert_code(0);
    assert!(rules_found(&run).is_empty(), "{}", run.transcript());
    let run = run_in(
        dir.path(),
        &[
            &args[..],
            &["--report-unused-suppressions", "ARCHITECTURE.md"],
        ]
        .concat(),
    );
    assert_eq!(
        rules_found(&run),
        ["invalid-suppression"],
        "{}",
        run.transcript()
    );
    assert_eq!(findings(&run)[0].1, 14, "{}", run.transcript());
}

/// An unclosed suppression comment on the last line ran over the line ending, and
/// `--report-unused-suppressions` sliced past the end of its line: an internal error
/// (exit 2) where a finding belongs. Found by the `document` fuzz target.
#[test]
fn an_unclosed_unused_suppression_on_the_last_line_is_reported() {
    for ending in ["\n", "\r\n", ""] {
        let doc = format!("{CLEAN}\n<!-- archlint-disable-next-line placeholder -- no end{ending}");
        let dir = tree(&[("ARCHITECTURE.md", &doc), ("profile.toml", PROFILE)]);
        let extra = ["--report-unused-suppressions", "ARCHITECTURE.md"];
        let run = run_in(dir.path(), &[&SUPPRESSION_ARGS[..], &extra].concat());
        run.assert_code(0);
        assert_eq!(
            rules_found(&run),
            ["invalid-suppression"],
            "{ending:?}: {}",
            run.transcript()
        );
        assert_eq!(findings(&run)[0].1, 14, "{ending:?}: {}", run.transcript());
    }
}

// --- output formats ---------------------------------------------------------

#[test]
fn short_format_is_exactly_one_line_per_finding() {
    let run = check(&["--format", "short", "errors.md", "clean.md"]);
    run.assert_code(1);
    assert_eq!(
        run.stdout,
        "errors.md:7:27: error: template placeholder `[Staff Group]` was never filled in [placeholder]\n\
         errors.md:9:1: error: required section `Data Flow` is missing [missing-section]\n\
         Found 2 errors and 0 warnings in 1 file (2 files checked).\n"
    );
    // The problem matcher's regex (docs/editors.md) parses every finding line.
    let re = regex::Regex::new(r"^(.+?):(\d+):(\d+): (error|warning): (.+) \[([a-z0-9-]+)\]$")
        .expect("a valid regex");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[..2].iter().all(|l| re.is_match(l)));
    // --quiet drops the summary line.
    let run = check(&["--format", "short", "--quiet", "errors.md"]);
    assert_eq!(run.stdout.lines().count(), 2, "{}", run.transcript());
    assert!(!run.stdout.contains("Found"), "{}", run.transcript());
}

#[test]
fn short_format_is_never_coloured() {
    let run = check(&["--format", "short", "--color", "always", "errors.md"]);
    assert!(!run.stdout.contains('\u{1b}'), "{}", run.transcript());
    let run = check(&["--format", "human", "--color", "always", "errors.md"]);
    assert!(
        run.stdout.contains('\u{1b}'),
        "`--color always` colours human output"
    );
    let run = check(&["--format", "human", "errors.md"]);
    assert!(
        !run.stdout.contains('\u{1b}'),
        "NO_COLOR and a pipe mean no colour"
    );
}

/// CONVENTIONS 8.5 in the environment, for findings on a pipe and for errors: NO_COLOR
/// wins over FORCE_COLOR/CLICOLOR_FORCE, which win over CLICOLOR=0; `CLICOLOR_FORCE=0`
/// forces nothing.
#[test]
fn colour_follows_the_environment_for_findings_and_errors() {
    let dir = cli_dir();
    let coloured = |env: &[(&str, &str)], args: &[&str]| {
        let mut cmd = support::archlint();
        cmd.env_remove("NO_COLOR");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.current_dir(&dir);
        let run = support::run_with(&mut cmd, args, None);
        (run.stdout.contains('\u{1b}'), run.stderr.contains('\u{1b}'))
    };
    let findings = ["check", "--isolated", "--format", "human", "errors.md"];
    let error = [
        "check",
        "--isolated",
        "--profile",
        "no-such-profile",
        "errors.md",
    ];
    for (env, want) in [
        (&[][..], false),
        (&[("FORCE_COLOR", "1")][..], true),
        (&[("CLICOLOR_FORCE", "1")][..], true),
        (&[("CLICOLOR_FORCE", "0")][..], false),
        (&[("FORCE_COLOR", "false")][..], false),
        (&[("NO_COLOR", "1"), ("FORCE_COLOR", "1")][..], false),
        (&[("CLICOLOR", "0"), ("FORCE_COLOR", "1")][..], true),
    ] {
        assert_eq!(coloured(env, &findings).0, want, "findings with {env:?}");
        assert_eq!(coloured(env, &error).1, want, "an error with {env:?}");
    }
}

#[test]
fn human_format() {
    let run = check(&["--format", "human", "--color", "never", "errors.md"]);
    run.assert_code(1);
    assert!(run
        .stdout
        .contains("× template placeholder `[Staff Group]` was never filled in"));
    assert!(
        run.stdout.contains("╭─[errors.md:7:27]"),
        "{}",
        run.transcript()
    );
    assert!(
        run.stdout.contains("help: did you mean `Dataflow`?"),
        "{}",
        run.transcript()
    );
    assert!(
        run.stdout.contains("required by profile `cli-fixture`"),
        "{}",
        run.transcript()
    );
    assert!(
        run.stdout
            .ends_with("Found 2 errors and 0 warnings in 1 file (1 file checked).\n"),
        "{}",
        run.transcript()
    );
    let run = check(&["--format", "human", "clean.md"]);
    assert_eq!(run.stdout, "All checks passed (1 file checked).\n");
}

#[test]
fn json_format_has_the_documented_shape() {
    let run = check(&["--format", "json", "errors.md", "warnings.md", "clean.md"]);
    run.assert_code(1);
    let json = run.json();
    assert_eq!(json["version"], 1);
    let files = json["files"].as_array().expect("files is an array");
    // Sorted by path, clean files included.
    let paths: Vec<&str> = files
        .iter()
        .map(|f| f["path"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(paths, ["clean.md", "errors.md", "warnings.md"]);
    for f in files {
        assert_eq!(f["profile"], "cli-fixture");
        assert!(f["diagnostics"].is_array());
    }
    assert_eq!(files[0]["diagnostics"].as_array().map(Vec::len), Some(0));
    let d = &files[1]["diagnostics"][0];
    let keys: Vec<&str> = d
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        [
            "column",
            "end_column",
            "end_line",
            "help",
            "line",
            "message",
            "rule",
            "severity"
        ]
    );
    assert_eq!(d["rule"], "placeholder");
    assert_eq!(d["severity"], "error");
    assert_eq!(
        d["message"],
        "template placeholder `[Staff Group]` was never filled in"
    );
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(7), Some(27))
    );
    // `[Staff Group]` is 13 characters; the end column is exclusive.
    assert_eq!(
        (d["end_line"].as_u64(), d["end_column"].as_u64()),
        (Some(7), Some(40))
    );
    assert!(d["help"].is_string());
    let w = &files[2]["diagnostics"][0];
    assert_eq!(w["rule"], "stale-date");
    assert_eq!(w["severity"], "warning");
    assert_eq!(
        json["summary"],
        serde_json::json!({"files": 3, "files_with_findings": 2, "errors": 2, "warnings": 2})
    );
    // Nothing but the JSON document on stdout.
    assert!(run.stdout.trim_start().starts_with('{') && run.stdout.trim_end().ends_with('}'));
}

#[test]
fn json_columns_count_characters() {
    let doc = CLEAN.replace(
        "Rushmere lends e-bikes",
        "Rüşhmére — ünïcode — lends [Fleet Name] e-bikes",
    );
    let run = run_stdin(
        &cli_dir(),
        &[
            "check",
            "--isolated",
            "--profile",
            "profile.toml",
            "--today",
            TODAY,
            "--format",
            "json",
            "-",
        ],
        doc.as_bytes(),
    );
    let d = &run.json()["files"][0]["diagnostics"][0];
    assert_eq!(d["rule"], "placeholder", "{}", run.transcript());
    assert_eq!(
        (d["column"].as_u64(), d["end_column"].as_u64()),
        (Some(28), Some(40))
    );
}

#[test]
fn output_writes_the_report_to_a_file() {
    let dir = tree(&[("ARCHITECTURE.md", ERRORS), ("profile.toml", PROFILE)]);
    let run = run_in(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--profile",
            "profile.toml",
            "--today",
            TODAY,
            "--format",
            "json",
            "--output",
            "report.json",
            "ARCHITECTURE.md",
        ],
    );
    // The exit code still reflects the findings; stdout stays empty.
    run.assert_code(1);
    assert!(run.stdout.is_empty(), "{}", run.transcript());
    let text = std::fs::read_to_string(dir.path().join("report.json"))
        .unwrap_or_else(|e| panic!("no report written ({e})\n{}", run.transcript()));
    let json: serde_json::Value = serde_json::from_str(&text).expect("the report is JSON");
    assert_eq!(json["summary"]["errors"], 2);
}

// --- choosing a profile ------------------------------------------------------

#[test]
fn a_document_can_name_its_profile() {
    let dir = tree(&[
        (
            "by-comment.md",
            "<!-- archlint: profile=adr -->\n# Architecture Documentation\n",
        ),
        (
            "by-front-matter.md",
            "---\narchlint-profile: service\n---\n\n# Payments Service\n",
        ),
        ("by-nothing.md", "# Architecture\n"),
        (
            "bad-choice.md",
            "<!-- archlint: profile=no-such-profile -->\n# Architecture\n",
        ),
    ]);
    let profile_of = |args: &[&str]| -> String {
        let run = run_in(
            dir.path(),
            &[&["check", "--isolated", "--format", "json"][..], args].concat(),
        );
        run.json()["files"][0]["profile"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(profile_of(&["by-comment.md"]), "adr");
    assert_eq!(profile_of(&["by-front-matter.md"]), "service");
    assert_eq!(profile_of(&["by-nothing.md"]), "core");
    // An explicit --profile wins over the document's choice.
    assert_eq!(
        profile_of(&["--profile", "walkthrough", "by-comment.md"]),
        "walkthrough"
    );
    // `--profile auto` is the weakest choice: the document's own still wins.
    assert_eq!(profile_of(&["--profile", "auto", "by-comment.md"]), "adr");
    // A document naming a profile that does not exist is an error, not a fallback.
    let run = run_in(dir.path(), &["check", "--isolated", "bad-choice.md"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("no-such-profile"),
        "{}",
        run.transcript()
    );
}

// --- informational subcommands ----------------------------------------------

#[test]
fn rules_lists_every_rule() {
    let run = run_in(&cli_dir(), &["rules"]);
    run.assert_code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines.len() >= 11, "{}", run.transcript());
    let registered: Vec<&str> = archlint::rules::RULES
        .iter()
        .map(|r| r.meta().id.as_str())
        .collect();
    let listed: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(listed, registered);
    for l in &lines {
        let severity = l.split_whitespace().nth(1).unwrap_or("");
        // `off`: a rule that runs only where a profile or the configuration asks.
        let expected = if l.starts_with("doc-drift ") {
            "off"
        } else {
            "error|warning"
        };
        assert!(expected.split('|').any(|e| e == severity), "{l}");
    }
    for id in [
        "missing-section",
        "section-order",
        "heading-level",
        "missing-field",
        "missing-date",
        "invalid-date",
        "stale-date",
        "missing-diagram",
        "placeholder",
        "empty-section",
        "invalid-suppression",
    ] {
        assert!(listed.contains(&id), "`archlint rules` lacks {id}");
    }
}

#[test]
fn profiles_lists_the_nine_built_ins() {
    let run = run_in(&cli_dir(), &["profiles"]);
    run.assert_code(0);
    let names: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        names,
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
        ]
    );
}

#[test]
fn explain_prints_the_rule_documentation() {
    let run = run_in(&cli_dir(), &["explain", "placeholder"]);
    run.assert_code(0);
    assert!(
        run.stdout.starts_with("# placeholder\n"),
        "{}",
        run.transcript()
    );
    for heading in [
        "## What it finds",
        "## Why it matters",
        "## Examples",
        "## Configuration",
    ] {
        assert!(
            run.stdout.contains(heading),
            "lacks {heading}\n{}",
            run.transcript()
        );
    }
    assert!(
        run.stdout.contains("Default severity: error."),
        "{}",
        run.transcript()
    );
}

#[test]
fn profile_show_prints_toml_that_loads_back() {
    let run = run_in(&cli_dir(), &["profile", "show", "core"]);
    run.assert_code(0);
    let value: toml::Value = toml::from_str(&run.stdout).expect("profile show prints valid TOML");
    assert_eq!(value["name"].as_str(), Some("core"));
    // Saved to a file, it loads as a profile, and shows the same again.
    let dir = tree(&[("core-copy.toml", &run.stdout)]);
    let again = run_in(dir.path(), &["profile", "show", "core-copy.toml"]);
    again.assert_code(0);
    let body = |s: &str| {
        s.lines()
            .skip_while(|l| l.starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(body(&again.stdout), body(&run.stdout));
    let p = archlint::profile::Profile::load("core-copy.toml", dir.path()).expect("loads back");
    let core = archlint::profile::Profile::builtin("core").expect("core loads");
    assert_eq!(p.sections.len(), core.sections.len());
    // Every built-in round-trips.
    for (name, _) in archlint::profile::BUILTIN {
        let run = run_in(&cli_dir(), &["profile", "show", name]);
        run.assert_code(0);
        toml::from_str::<toml::Value>(&run.stdout)
            .unwrap_or_else(|e| panic!("`profile show {name}` is not TOML: {e}"));
    }
}

#[test]
fn help_and_version() {
    let settings = support::settings();
    for args in [&["--help"][..], &["check", "--help"][..]] {
        let run = run_in(&cli_dir(), args);
        run.assert_code(0);
        let name = format!(
            "help_{}",
            args.join("_").trim_start_matches('-').replace("--", "")
        );
        settings.bind(|| insta::assert_snapshot!(name, run.transcript()));
    }
    let run = run_in(&cli_dir(), &["--version"]);
    run.assert_code(0);
    assert_eq!(
        run.stdout,
        format!("archlint {}\n", env!("CARGO_PKG_VERSION"))
    );
}

// --- robustness ------------------------------------------------------------------

#[test]
fn odd_documents_never_crash() {
    let docs: &[&[u8]] = &[
        b"",
        b"\xef\xbb\xbf# Architecture\n",
        b"\n\n\n",
        b"---\n",
        b"---\ntitle: [unclosed\n",
        b"```mermaid\ngraph TD\n",
        b"# \n## \n### \n",
        b"<!-- archlint-disable\n",
        b"<!-- archlint-disable-next-line -->",
        b"[x]: \n[^1]:\n",
        b"| a |\n|---|\n| [b] |",
        b"\r\r\r# A\r## B\r",
        b"####### seven\n",
        "# 🧱\n## 📋\n".as_bytes(),
    ];
    for doc in docs {
        let run = run_stdin(
            Path::new("."),
            &["check", "--isolated", "--today", TODAY, "-"],
            doc,
        );
        assert!(
            run.code == 0 || run.code == 1,
            "input {:?}\n{}",
            String::from_utf8_lossy(doc),
            run.transcript()
        );
    }
}

#[test]
fn a_parallel_walk_reports_in_path_order_and_each_document_once() {
    // Enough folders that four walker threads interleave their finds.
    let mut files: Vec<(String, &str)> = Vec::new();
    for i in 0..60 {
        let text = if i % 3 == 0 { ERRORS } else { CLEAN };
        files.push((
            format!("svc{:02}/sub{}/ARCHITECTURE.md", 59 - i, i % 4),
            text,
        ));
    }
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), *t)).collect();
    let dir = repo(&borrowed);
    let run_threads = |threads: &str, extra: &[&str]| {
        let mut args = vec!["check", "--profile", "team.toml", "--today", TODAY];
        args.extend_from_slice(&["--format", "json"]);
        args.extend_from_slice(extra);
        crate::support::run_with(
            crate::support::archlint()
                .current_dir(dir.path())
                .env("RAYON_NUM_THREADS", threads),
            &args,
            None,
        )
    };
    // One thread, then four threads three times: the same output, named in path order.
    let settled = |code: i32, names: &dyn Fn(&Run) -> Vec<String>, count: usize| {
        let one = run_threads("1", &["."]);
        one.assert_code(code);
        let mut sorted = names(&one);
        sorted.sort();
        assert_eq!(names(&one), sorted, "{}", one.transcript());
        assert_eq!(sorted.len(), count, "{}", one.transcript());
        for _ in 0..3 {
            let four = run_threads("4", &["."]);
            let same = (&four.stdout, &four.stderr) == (&one.stdout, &one.stderr);
            assert!(
                same,
                "{}\n--- one thread:\n{}",
                four.transcript(),
                one.transcript()
            );
        }
    };
    settled(1, &json_paths, 60);
    // A document named twice (by its folder and by itself) is checked and reported once.
    let twice = run_threads("4", &["svc00", "svc00/sub3/ARCHITECTURE.md", "svc00"]);
    assert_eq!(
        json_paths(&twice),
        ["svc00/sub3/ARCHITECTURE.md"],
        "{}",
        twice.transcript()
    );
    // Documents that cannot be read are named in path order, whichever thread found
    // them first.
    for i in 0..12 {
        crate::support::write(
            dir.path(),
            &format!("bad{:02}/x{}/ARCHITECTURE.md", 11 - i, i % 3),
            b"\xff\xfe not UTF-8",
        );
    }
    let bad_names = |run: &Run| -> Vec<String> {
        run.stderr
            .lines()
            .filter_map(|l| l.split_whitespace().find(|w| w.contains("bad")))
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
            .collect()
    };
    settled(2, &bad_names, 12);
    // Every named path is checked to exist before any document is: no report at all.
    let missing = run_threads("4", &[".", "nowhere"]);
    missing.assert_code(2);
    assert_eq!(missing.stdout, "", "{}", missing.transcript());
    assert!(
        missing.stderr.contains("nowhere"),
        "{}",
        missing.transcript()
    );
}

/// Every profile the configuration names is loaded before any document is checked: a
/// broken one stops the run with nothing written, even when its override matches no
/// document (reports are written as documents are checked, so a failure halfway would
/// leave half a report).
#[test]
fn a_broken_profile_in_the_configuration_stops_the_run_before_any_output() {
    let config = "[[overrides]]\nfiles = [\"nothing/**\"]\nprofile = \"missing.toml\"\n";
    let dir = repo(&[("archlint.toml", config), ("docs/ARCHITECTURE.md", ERRORS)]);
    for format in ["json", "human", "sarif"] {
        let run = run_in(dir.path(), &["check", "--today", TODAY, "--format", format]);
        run.assert_code(2);
        assert_eq!(run.stdout, "", "{}", run.transcript());
        assert!(run.stderr.contains("missing.toml"), "{}", run.transcript());
    }
    // A profile on the command line replaces the configured ones: they are not loaded.
    let run = run_in(
        dir.path(),
        &[
            "check",
            "--today",
            TODAY,
            "--format",
            "json",
            "--profile",
            "core",
        ],
    );
    run.assert_code(1);
}

/// Reports are written as documents are checked, a window at a time, on every core:
/// across more documents than the window, every format still lists them in path order,
/// the same on standard output, in `--output` and in a `--report` file, and an
/// unreadable document in the middle is named on stderr without stopping the others.
#[test]
fn streamed_reports_are_whole_and_in_order_past_the_window() {
    let mut files: Vec<(String, String)> = (0..300)
        .map(|i| {
            let body = if i % 3 == 0 { CLEAN } else { ERRORS };
            (format!("docs/d{i:03}/ARCHITECTURE.md"), body.to_string())
        })
        .collect();
    files.push((
        "archlint.toml".into(),
        "include = [\"docs/**/*.md\"]\n".into(),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_str()))
        .collect();
    let dir = repo(&refs);
    // Not UTF-8: reported at the end, after every other document was checked.
    write(dir.path(), "docs/d150/ARCHITECTURE.md", b"# A\n\xff\n");
    let check = |more: &[&str]| {
        let args = [&["check", "--today", TODAY, "--profile", "core"][..], more].concat();
        run_in(dir.path(), &args)
    };
    for format in ["json", "sarif", "junit", "human", "gitlab"] {
        let report = format!("{format}=out/report.{format}");
        let run = check(&["--format", format, "--report", &report]);
        run.assert_code(2);
        assert!(
            run.stderr.contains("docs/d150/ARCHITECTURE.md"),
            "{}",
            run.transcript()
        );
        let file = std::fs::read_to_string(dir.path().join(format!("out/report.{format}")))
            .unwrap_or_else(|e| panic!("no report ({e})\n{}", run.transcript()));
        assert_eq!(run.stdout, file, "{format}: stdout and --report differ");
        let out = check(&["--format", format, "--output", "out/main"]);
        let main = std::fs::read_to_string(dir.path().join("out/main")).unwrap_or_default();
        assert_eq!(out.stdout, "", "{}", out.transcript());
        assert_eq!(main, file, "{format}: --output and --report differ");
        // Every checked document appears, first in path order.
        let at: Vec<usize> = (0..300)
            .filter(|i| *i != 150)
            .map(|i| {
                let name = format!("docs/d{i:03}/ARCHITECTURE.md");
                file.find(&name)
                    .unwrap_or_else(|| panic!("{format}: {name} missing from the report"))
            })
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{format}: out of order");
    }
    let run = check(&["--format", "json"]);
    let json = run.json();
    let paths: Vec<&str> = json["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort_unstable();
    assert_eq!(paths.len(), 299, "{}", run.transcript());
    assert_eq!(paths, sorted);
    assert_eq!(json["summary"]["files"], 299);
    let errors = json["files"]
        .as_array()
        .expect("files")
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().cloned().unwrap_or_default())
        .filter(|d| d["severity"] == "error")
        .count();
    assert!(errors > 299, "{}", run.transcript());
    assert_eq!(json["summary"]["errors"].as_u64(), Some(errors as u64));
}

/// A walk enters only the folders an include glob can reach, matched from the walked
/// folder or from the configuration's: every document under them is still found,
/// whichever folder is named.
#[test]
fn include_globs_bound_the_walk_without_losing_a_document() {
    let dir = tree(&[
        ("archlint.toml", "include = [\"docs/adr/**/*.md\"]\n"),
        ("docs/adr/0001-a.md", "# A\n\nText.\n"),
        ("docs/adr/old/0002-b.md", "# B\n\nText.\n"),
        ("docs/guide.md", "# Guide\n\nText.\n"),
        ("apps/web/docs/adr/0003-c.md", "# C\n\nText.\n"),
    ]);
    for (from, target) in [(".", "."), (".", "docs"), (".", "docs/adr"), ("docs", ".")] {
        let run = run_in(
            &dir.path().join(from),
            &["check", "--profile", "core", "--format", "json", target],
        );
        let json = run.json();
        let mut paths: Vec<String> = json["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().replace('\\', "/"))
            .collect();
        paths.sort();
        let expected: Vec<&str> = if from == "docs" {
            vec!["adr/0001-a.md", "adr/old/0002-b.md"]
        } else {
            vec!["docs/adr/0001-a.md", "docs/adr/old/0002-b.md"]
        };
        assert_eq!(paths, expected, "{from} {target}\n{}", run.transcript());
    }
}
