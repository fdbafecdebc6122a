//! How a run ends when it checks less than the user asked for, or fails for a reason
//! the findings alone do not show: a folder with no document, ignored folders, a
//! document whose own profile choice is broken, warnings limits, an empty
//! `ARCHLINT_CONFIG` (as a CI runner sets it), and the README's rules table.

use crate::support::{self, run_in, tree, Run};

const DOC_WITH_PLACEHOLDER: &str = "# Design\n\nOwned by [Team Name].\n";

/// A clean `core` document: every required section, with content.
const CLEAN: &str = "# Architecture

## Overview

What the system does.

## System Architecture

```mermaid
flowchart LR
    A --> B
```

## Components

The parts.

## Data Flow

How data moves.

## Design Decisions

Why it is built so.

## Security

Who may do what.

## Deployment

Where it runs.

## Future Considerations

What comes next.
";

#[track_caller]
fn usage_error(run: &Run, needles: &[&str]) {
    run.assert_code(2);
    for n in needles {
        assert!(run.stderr.contains(n), "`{n}` not in\n{}", run.transcript());
    }
}

#[test]
fn a_named_folder_with_no_document_is_an_error_that_says_why() {
    let dir = tree(&[("d/design.md", DOC_WITH_PLACEHOLDER), ("empty/.keep", "")]);
    let run = run_in(dir.path(), &["check", "d"]);
    usage_error(
        &run,
        &[
            "no document to check in `d`",
            "no file matches the include globs `**/ARCHITECTURE.md`, `**/ARCHITECTURE.*.md`",
            "1 other Markdown file was found, e.g. `d/design.md`",
            "widen `include`",
        ],
    );
    assert!(
        !run.stdout.contains("All checks passed"),
        "{}",
        run.transcript()
    );
    let run = run_in(dir.path(), &["check", "empty"]);
    usage_error(&run, &["no document to check in `empty`"]);
}

#[test]
fn no_path_and_no_document_is_an_error_unless_the_configuration_allows_it() {
    let dir = tree(&[(".git/HEAD", ""), ("src/main.rs", "fn main() {}\n")]);
    let run = run_in(&dir.path().join("src"), &["check"]);
    usage_error(&run, &["no document to check in `.`"]);

    support::write(
        dir.path(),
        "archlint.toml",
        b"pass-with-no-documents = true\n",
    );
    let run = run_in(&dir.path().join("src"), &["check"]);
    run.assert_code(0);
    assert!(
        run.stdout.contains("All checks passed (0 files checked)"),
        "{}",
        run.transcript()
    );
    // A named path must still yield documents.
    let run = run_in(dir.path(), &["check", "src"]);
    usage_error(&run, &["no document to check in `src`"]);
}

#[test]
fn an_ignored_folder_is_named_with_its_rule_and_no_ignore_checks_it() {
    let dir = tree(&[
        (".git/HEAD", ""),
        (".gitignore", "# build output\ngenerated/\n"),
        ("docs/generated/ARCHITECTURE.md", DOC_WITH_PLACEHOLDER),
    ]);
    let run = run_in(dir.path(), &["check", "docs"]);
    usage_error(
        &run,
        &[
            "1 document is left out by ignore rules, e.g. `docs/generated/ARCHITECTURE.md`",
            "(`generated/` in `.gitignore`)",
            "--no-ignore",
        ],
    );
    let run = run_in(
        dir.path(),
        &["check", "--no-ignore", "--format", "short", "docs"],
    );
    run.assert_code(1);
    assert!(
        run.stdout
            .contains("docs/generated/ARCHITECTURE.md:3:10: error: template placeholder"),
        "{}",
        run.transcript()
    );
}

#[test]
fn excluded_and_hidden_documents_are_explained() {
    let dir = tree(&[
        ("archlint.toml", "exclude = [\"old/**\"]\n"),
        ("old/ARCHITECTURE.md", CLEAN),
    ]);
    let run = run_in(dir.path(), &["check", "old"]);
    usage_error(
        &run,
        &["excluded by `exclude` (`old/**`) in `archlint.toml`"],
    );
    let dir = tree(&[(".github/ARCHITECTURE.md", CLEAN)]);
    let run = run_in(dir.path(), &["check", "."]);
    usage_error(&run, &["only in hidden files or folders"]);
}

#[test]
fn a_broken_profile_choice_is_reported_at_its_line_and_the_rest_is_checked() {
    let dir = tree(&[
        (".git/HEAD", ""),
        (
            "a/ARCHITECTURE.md",
            "---\ntitle: A\narchlint-profile: nosuch\n---\n# Architecture\n",
        ),
        (
            "b/ARCHITECTURE.md",
            "# Architecture\n\nIntro.\n\n<!-- archlint: profile=missing.toml -->\n",
        ),
        (
            "c/ARCHITECTURE.md",
            "# Architecture\n\nOwned by [Team Name].\n",
        ),
    ]);
    let run = run_in(dir.path(), &["check", "--format", "short", "."]);
    usage_error(
        &run,
        &[
            "a/ARCHITECTURE.md:3:1: this document's profile `nosuch` cannot be used",
            "unknown profile `nosuch`",
            "b/ARCHITECTURE.md:5:1: this document's profile `missing.toml` cannot be used",
        ],
    );
    assert!(
        run.stdout
            .contains("c/ARCHITECTURE.md:3:10: error: template placeholder `[Team Name]`"),
        "{}",
        run.transcript()
    );
    assert!(
        run.stdout.contains("2 inputs could not be checked."),
        "{}",
        run.transcript()
    );
}

#[test]
fn the_summary_says_when_warnings_fail_the_run() {
    let dir = tree(&[
        ("archlint.toml", "[rules]\nplaceholder = \"warning\"\n"),
        (
            "ARCHITECTURE.md",
            &CLEAN.replace(
                "What the system does.",
                "Owned by [Team Name] and [Other Team].",
            ),
        ),
    ]);
    let check = |extra: &[&str]| {
        let mut args = vec!["check", "--format", "short"];
        args.extend_from_slice(extra);
        args.push("ARCHITECTURE.md");
        run_in(dir.path(), &args)
    };
    let last = |run: &Run| run.stdout.lines().last().unwrap_or("").to_string();

    let run = check(&["--max-warnings", "1"]);
    run.assert_code(1);
    assert_eq!(
        last(&run),
        "Found 0 errors and 2 warnings in 1 file (1 file checked); too many warnings (maximum: 1)."
    );
    let run = check(&["--deny-warnings"]);
    run.assert_code(1);
    assert_eq!(
        last(&run),
        "Found 0 errors and 2 warnings in 1 file (1 file checked); warnings fail this run (--deny-warnings)."
    );
    let run = check(&["--max-warnings", "2"]);
    run.assert_code(0);
    assert_eq!(
        last(&run),
        "Found 0 errors and 2 warnings in 1 file (1 file checked)."
    );
}

#[test]
fn an_empty_archlint_config_is_unset() {
    let dir = tree(&[("ARCHITECTURE.md", CLEAN)]);
    let mut cmd = support::archlint();
    cmd.current_dir(dir.path()).env("ARCHLINT_CONFIG", "");
    let run = support::run_with(&mut cmd, &["check", "ARCHITECTURE.md"], None);
    run.assert_code(0);
    assert!(
        run.stdout.contains("All checks passed (1 file checked)."),
        "{}",
        run.transcript()
    );
}

#[test]
fn human_output_has_no_trailing_blanks() {
    let dir = tree(&[("ARCHITECTURE.md", "# Architecture\n\nIntro.\n")]);
    let run = run_in(dir.path(), &["check", "ARCHITECTURE.md"]);
    run.assert_code(1);
    assert!(run.stdout.contains("Advice:"), "{}", run.transcript());
    for line in run.stdout.lines() {
        assert_eq!(line, line.trim_end(), "trailing blank in {line:?}");
    }
}

/// The README's rules table is the registry's, row for row: `archlint rules` cannot
/// drift from the documentation. On a mismatch the expected table is printed.
#[test]
fn the_readme_rules_table_lists_every_rule() {
    let readme = std::fs::read_to_string(support::root().join("README.md")).unwrap();
    let start = "<!-- rules-table:start (tests/integration/run_outcome.rs) -->\n";
    let end = "<!-- rules-table:end -->";
    let table = readme
        .split_once(start)
        .and_then(|(_, rest)| rest.split_once(end))
        .map(|(t, _)| t)
        .expect("README.md marks its rules table");
    let run = run_in(support::root(), &["rules"]);
    run.assert_code(0);
    let mut expected = String::from("| rule | default | finds |\n| --- | --- | --- |\n");
    for line in run.stdout.lines() {
        let mut parts = line.splitn(2, char::is_whitespace);
        let id = parts.next().unwrap();
        let rest = parts.next().unwrap().trim_start();
        let (severity, summary) = rest.split_once(char::is_whitespace).unwrap();
        expected.push_str(&format!(
            "| `{id}` | {severity} | {} |\n",
            summary.trim_start().replace('|', "\\|")
        ));
    }
    assert_eq!(
        table, expected,
        "README.md's rules table should be:\n{expected}"
    );
}

/// The top-level keys of one mapping in action.yml (`inputs:` or `outputs:`): the
/// lines indented by exactly two spaces below it.
fn action_keys(section: &str) -> Vec<String> {
    let action = std::fs::read_to_string(support::root().join("action.yml")).unwrap();
    let mut keys = Vec::new();
    let mut inside = false;
    for line in action.lines() {
        if !line.starts_with(' ') && !line.is_empty() {
            inside = line == format!("{section}:");
            continue;
        }
        if let Some(key) = line.strip_prefix("  ").and_then(|l| l.strip_suffix(':')) {
            if inside && !key.starts_with([' ', '#']) {
                keys.push(key.to_string());
            }
        }
    }
    keys
}

/// The README's workflow gives the action only inputs it declares and reads only
/// outputs it sets.
#[test]
fn the_readme_workflow_uses_declared_inputs_and_outputs() {
    let readme = std::fs::read_to_string(support::root().join("README.md")).unwrap();
    let workflow = readme
        .split_once("<!-- workflow:start")
        .and_then(|(_, rest)| rest.split_once("<!-- workflow:end -->"))
        .map(|(w, _)| w)
        .expect("README.md marks its workflow");
    let inputs = action_keys("inputs");
    let outputs = action_keys("outputs");
    assert!(inputs.contains(&"paths".to_string()), "{inputs:?}");
    let mut in_action = false;
    let mut checked = 0;
    for line in workflow.lines() {
        let t = line.trim_start();
        if t.starts_with("- ") {
            in_action = false;
        }
        if t.contains("uses: archlint/archlint@") {
            in_action = true;
            continue;
        }
        if in_action && line.starts_with("          ") {
            let key = t.split(':').next().unwrap();
            assert!(
                inputs.iter().any(|i| i == key),
                "input `{key}` is not in action.yml"
            );
            checked += 1;
        }
        for (_, rest) in t
            .match_indices("steps.archlint.outputs.")
            .map(|(i, _)| t.split_at(i))
        {
            let name: String = rest["steps.archlint.outputs.".len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            assert!(
                outputs.contains(&name),
                "output `{name}` is not in action.yml"
            );
            checked += 1;
        }
    }
    assert!(checked >= 6, "the workflow was not parsed ({checked} keys)");
}
