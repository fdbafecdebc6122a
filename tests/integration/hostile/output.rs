//! File names and document text reach a terminal or a CI log only escaped: a name
//! holding a newline cannot start a line GitHub's log reader takes as a workflow
//! command, and a heading holding escape sequences cannot set the clipboard, make a
//! hyperlink, clear the screen or reorder text, even with `--color never`.

use std::path::Path;

use crate::support::{bounded, tree, Run};

/// A line that GitHub's runner would read as the attacker's workflow command (the
/// `github` format's own annotations name the whole, escaped file name).
fn forged_commands(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| {
            let l = l.trim_start();
            [
                "::error file=a,",
                "::error file=README.md,",
                "::error::forged",
            ]
            .iter()
            .any(|f| l.starts_with(f))
        })
        .collect()
}

/// Bytes a terminal interprets: C0 controls but line feed and tab, DEL, C1 controls
/// (as UTF-8), and bidirectional overrides and isolates.
fn raw_controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t')
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
        })
        .collect()
}

#[track_caller]
fn clean(run: &Run) {
    for stream in [&run.stdout, &run.stderr] {
        assert!(
            forged_commands(stream).is_empty(),
            "a forged workflow command\n{}",
            run.transcript()
        );
        assert!(
            raw_controls(stream).is_empty(),
            "raw control characters {:?}\n{}",
            raw_controls(stream),
            run.transcript()
        );
    }
}

fn check(dir: &Path, args: &[&str]) -> Run {
    bounded(dir, args, None, 10, 1024).run
}

/// `check --color never --format FORMAT FILE`.
fn check_as(dir: &Path, format: &str, file: &str) -> Run {
    check(
        dir,
        &["check", "--color", "never", "--format", format, file],
    )
}

/// A file named `…\n::error file=README.md,line=1::forged\n.md` printed a line that
/// GitHub's log reader took as an annotation, in `short` and human output.
#[cfg(unix)]
#[test]
fn a_file_name_cannot_forge_a_workflow_command() {
    let name = "docs/x\n::error file=README.md,line=1::forged\nARCHITECTURE.md";
    let dir = tree(&[(name, "# Architecture\n\nOwned by [Team Name].\n")]);
    for format in ["human", "short", "github"] {
        let run = check_as(dir.path(), format, name);
        run.assert_code(1);
        clean(&run);
    }
    // A walked folder names the file too, and a missing file is an error naming it.
    clean(&check(dir.path(), &["check", "--format", "short", "docs"]));
    let missing = "gone\n::error::forged.md";
    clean(&check(dir.path(), &["check", missing]));
}

/// A file named `::warning file=a::y.md` began each `short` line with a workflow
/// command (the fuzz target `command` found it).
#[cfg(unix)]
#[test]
fn a_file_name_cannot_start_a_line_with_a_workflow_command() {
    let name = "::warning file=a::forged.md";
    let dir = tree(&[(name, "# Architecture\n\nOwned by [Team Name].\n")]);
    for args in [
        &["check", "--format", "short", name][..],
        &["check", "--profile", "auto", "--color", "never", name][..],
    ] {
        let run = check(dir.path(), args);
        run.assert_code(1);
        assert!(
            run.stdout.lines().all(|l| !l.starts_with("::")),
            "{}",
            run.transcript()
        );
        assert!(
            run.stdout.contains("./::warning file=a::forged.md"),
            "{}",
            run.transcript()
        );
    }
}

/// `--stdin-filename` with a newline did the same.
#[test]
fn a_stdin_filename_cannot_forge_a_workflow_command() {
    let dir = tree(&[]);
    for format in ["human", "short", "github"] {
        let b = bounded(
            dir.path(),
            &[
                "check",
                "--format",
                format,
                "--stdin-filename",
                "x\n::error file=a,line=1::forged\n.md",
                "-",
            ],
            Some(b"# Architecture\n\nOwned by [Team Name].\n"),
            10,
            1024,
        );
        b.run.assert_code(1);
        clean(&b.run);
    }
}

/// A heading holding `ESC ] 52` (clipboard write), `ESC ] 8` (hyperlink), `ESC [ 2J`
/// (clear screen) or U+202E (right-to-left override) reached the terminal raw, even
/// with `--color never`: in the message that quotes it and in the source snippet.
#[test]
fn document_text_cannot_reach_the_terminal_raw() {
    let doc = "# Architecture\n\n\
        ## Over\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}view\n\n\
        ## \u{1b}]8;;https://evil.example\u{1b}\\Security\u{1b}]8;;\u{1b}\\\n\n\
        ## Deploy\u{1b}[2Jment \u{202e}txt.exe\n\n\
        Owned by [Team\u{9b}31m Name].\n";
    let dir = tree(&[("ARCHITECTURE.md", doc)]);
    for format in ["human", "short", "github"] {
        let run = check_as(dir.path(), format, "ARCHITECTURE.md");
        run.assert_code(1);
        clean(&run);
        assert!(
            run.stdout.contains("\\u{1b}") || format == "human",
            "escaped, not dropped\n{}",
            run.transcript()
        );
    }
}

/// A profile whose `name` holds a vertical tab and a newline: `init` printed it raw
/// (the fuzz target `command` found it). A name is one line of text now, and the
/// error that says so shows it escaped.
#[test]
fn a_profile_name_with_line_breaks_is_refused_and_shown_escaped() {
    let dir = tree(&[("p.toml", "name = \"routes\\u000b\\n::error::forged\"\n")]);
    for args in [
        &["init", "--profile", "p.toml", "X.md"][..],
        &["profile", "show", "p.toml"][..],
    ] {
        let run = check(dir.path(), args);
        run.assert_code(2);
        clean(&run);
        assert!(
            run.stderr.contains("routes\\u{b}\\n::error::forged"),
            "{}",
            run.transcript()
        );
    }
}

/// A link target holding a percent-encoded newline (`a%0A::error::forged.md`) put a
/// raw newline into the junit report's text, starting a line with a workflow command.
#[test]
fn a_decoded_newline_cannot_start_a_line_in_any_format() {
    let dir = tree(&[(
        "ARCHITECTURE.md",
        "# Architecture\n\nSee [x](a%0A::error::forged.md).\n",
    )]);
    for format in std::iter::once(&"human").chain(crate::support::MACHINE_FORMATS) {
        let run = check_as(dir.path(), format, "ARCHITECTURE.md");
        run.assert_code(1);
        clean(&run);
    }
}

/// Lines as a log reader that ends a line at CR or LF (GitHub's runner) reads them.
fn runner_lines(text: &str) -> impl Iterator<Item = &str> {
    text.split(['\r', '\n'])
}

/// A CR that ends no CRLF stayed inside a snippet line: a terminal returned to the
/// line's start, and the runner read `::error file=README.md,…` after it as a line of
/// its own (the fuzz target `command` found it). Shown as the line break it counts as,
/// with the line numbers miette gives it.
#[test]
fn a_lone_carriage_return_cannot_start_a_line() {
    let doc = "# Architecture\n\nOwned by [Team Name].\r::error file=README.md,line=1::forged\n";
    let dir = tree(&[("ARCHITECTURE.md", doc)]);
    let human = dir.path().join("human.txt");
    let report = format!("human={}", human.display());
    let run = check(
        dir.path(),
        &[
            "check",
            "--color",
            "never",
            "--report",
            &report,
            "ARCHITECTURE.md",
        ],
    );
    run.assert_code(1);
    let file = std::fs::read_to_string(&human).unwrap_or_default();
    for text in [&run.stdout, &run.stderr, &file] {
        let forged: Vec<&str> = runner_lines(text)
            .filter(|l| l.trim_start().starts_with("::"))
            .collect();
        assert!(forged.is_empty(), "{forged:?}\n{}", run.transcript());
        assert!(!text.contains('\r'), "{}", run.transcript());
    }
    // The placeholder is on line 3, and line 4 is the text after the CR.
    assert!(
        run.stdout.contains(" 3 │ Owned by [Team Name]."),
        "{}",
        run.transcript()
    );
    assert!(
        run.stdout
            .contains(" 4 │ ::error file=README.md,line=1::forged"),
        "{}",
        run.transcript()
    );
}

/// `--format github` kept control characters raw in the `file=` property (the
/// runner decodes no escape there but `%`, CR, LF, `:` and `,`), so a document named
/// `x<CAN><ESC>]0;t<BEL>.md` set the window title of a terminal that showed the line.
/// Such an annotation is now unplaced: no `file=`, the name escaped in its message.
#[test]
fn a_github_annotation_never_carries_a_raw_control_character() {
    let dir = tree(&[]);
    let b = bounded(
        dir.path(),
        &[
            "check",
            "--format",
            "github",
            "--stdin-filename",
            "x\u{18}\u{1b}]0;t\u{7}.md",
            "-",
        ],
        Some(b"# Architecture\n\nOwned by [Team Name].\n"),
        10,
        1024,
    );
    b.run.assert_code(1);
    clean(&b.run);
    assert!(
        b.run.stdout.lines().all(|l| !l.contains("file=")),
        "{}",
        b.run.transcript()
    );
    assert!(
        b.run.stdout.contains("x\\u{18}\\u{1b}]0;t\\u{7}.md:3:"),
        "{}",
        b.run.transcript()
    );
}

/// A repository file name passed without `--` (as `archlint check $(git ls-files)`
/// does) that looks like an option: clap's usage error echoed it raw, newline and all,
/// so a line of stderr began `::error::forged.md` (the fuzz target `command` found it).
#[test]
fn a_usage_error_shows_the_argument_escaped() {
    let dir = tree(&[]);
    for arg in [
        "--x\n::error::forged.md",
        "--x\u{1b}]0;t\u{7}\n::error::forged.md=1",
    ] {
        let run = check(dir.path(), &["check", arg]);
        run.assert_code(2);
        clean(&run);
        assert!(
            runner_lines(&run.stderr).all(|l| !l.trim_start().starts_with("::")),
            "{}",
            run.transcript()
        );
        assert!(
            run.stderr.contains("\\n::error::forged.md"),
            "{}",
            run.transcript()
        );
    }
}
