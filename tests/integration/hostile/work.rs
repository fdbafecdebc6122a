//! See `mod.rs`.

use crate::support::{bounded, tree};

/// The harness itself: a clean run is measured and passes its bounds.
#[test]
fn the_bounds_harness_measures_a_run() {
    let dir = tree(&[("ARCHITECTURE.md", "# Architecture\n")]);
    let b = bounded(dir.path(), &["check", "ARCHITECTURE.md"], None, 30, 1024);
    b.run.assert_code(1);
    assert!(b.peak_mib > 0 && b.seconds > 0.0);
}

/// `bounded` over one document (written to `ARCHITECTURE.md`), with `extra` files.
fn check_doc(doc: &str, extra: &[(&str, &str)], args: &[&str]) -> crate::support::Bounded {
    let mut files = vec![("ARCHITECTURE.md", doc)];
    files.extend_from_slice(extra);
    let dir = tree(&files);
    let mut all = vec!["check", "--isolated", "--today", crate::support::TODAY];
    all.extend_from_slice(args);
    all.push("ARCHITECTURE.md");
    // 30 s: a debug build on a busy machine; tests/hostile/heavy.sh holds the release
    // build to 10 s.
    bounded(dir.path(), &all, None, 30, 1024)
}

/// One 200 KB line of `[TBD] `: every finding reprinted the whole line (50 KB gave
/// 178 MB of human output; 1 MB, 2.7 GB). A snippet now shows lines of at most 1,000
/// bytes, so output grows with the number of findings only.
#[test]
fn a_long_line_is_not_reprinted_per_finding() {
    let doc = format!("# Architecture\n\n{}\n", "[TBD] ".repeat(200_000 / 6));
    let b = check_doc(&doc, &[], &[]);
    b.run.assert_code(1);
    let findings = b.run.stdout.matches("never filled in").count();
    assert!(findings > 30_000, "{findings} findings");
    let longest = b.run.stdout.lines().map(str::len).max().unwrap_or(0);
    assert!(longest < 2_000, "a line of {longest} bytes");
    assert!(
        b.run.stdout.len() < 400 * findings,
        "{} bytes for {findings} findings",
        b.run.stdout.len()
    );
}

/// N `archlint-disable-file` comments before N findings: every finding marked every
/// comment used (150,000 of each took 41 s).
#[test]
fn many_file_suppressions_before_many_findings_are_linear() {
    let n = 30_000;
    let doc = format!(
        "# Architecture\n\n{}{}",
        "<!-- archlint-disable-file placeholder -->\n".repeat(n),
        "[TBD]\n\n".repeat(n)
    );
    let b = check_doc(&doc, &[], &["--format", "short"]);
    assert!(
        !b.run.stdout.contains("[placeholder]"),
        "{}",
        b.run.transcript()
    );
}

/// A repository's profile with 400 required sections with long titles, against 400
/// long headings: the "did you mean" for each missing section compared every heading
/// (48 s). The comparisons a document may cost are now bounded.
#[test]
fn suggestions_for_many_long_missing_sections_are_bounded() {
    let long = "Section about the long and winding road number ".repeat(3);
    let mut profile = String::from("name = \"many\"\n");
    let mut doc = String::from("# Architecture\n\n");
    for i in 0..400 {
        profile.push_str(&format!(
            "\n[[sections]]\nid = \"s{i}\"\ntitle = \"{long}{i}\"\nrequired = true\n"
        ));
        doc.push_str(&format!(
            "## A heading about the long and winding road {i} {long}\n\ntext\n\n"
        ));
    }
    let b = check_doc(
        &doc,
        &[("many.toml", &profile)],
        &["--profile", "many.toml", "--format", "short"],
    );
    b.run.assert_code(1);
    assert_eq!(b.run.stdout.matches("[missing-section]").count(), 400);
}

/// A user pattern whose DFA explodes (`[ab]*a[ab]{14,19}[ab]{0,4}c`) over 1 MB of
/// `a`, `b` and `c`: the regex crate stays linear; this keeps it so.
#[test]
fn a_placeholder_pattern_that_explodes_stays_bounded() {
    let profile = "name = \"p\"\n[placeholders]\npatterns = [\"[ab]*a[ab]{14,19}[ab]{0,4}c\"]\n";
    let mut state = 7u32;
    let body: String = (0..1_000_000)
        .map(|_| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            ['a', 'b', 'a', 'b', 'c'][(state >> 16) as usize % 5]
        })
        .collect();
    let doc = format!("# Architecture\n\n## Overview\n\n{body}\n");
    check_doc(
        &doc,
        &[("p.toml", profile)],
        &["--profile", "p.toml", "--format", "short"],
    );
}

/// 3 MB with no heading, markup-dense (`[a](` again and again), on one line and over
/// short lines: comrak kept a tree of some 200 bytes per input byte (9.5 MB took
/// 2.1 GB). Dense long lines are read as plain text, and a document with no heading
/// to cut at is cut at block starts. The 9.5 MB cases run in `tests/hostile/heavy.sh`.
#[test]
fn markup_dense_documents_without_headings_are_bounded() {
    for doc in [
        "[a](".repeat(3 * 1024 * 1024 / 4),
        format!(
            "# A\n\n{}",
            format!("{}\n", "[a](".repeat(200)).repeat(3 * 1024 * 1024 / 801)
        ),
        format!("# A\n\n{}", "- [a](\n".repeat(3 * 1024 * 1024 / 7)),
    ] {
        // Memory is the point here; the time limit is for a debug build on a busy
        // machine (tests/hostile/heavy.sh holds the release build to 10 s).
        let dir = tree(&[("ARCHITECTURE.md", doc.as_str())]);
        let b = bounded(
            dir.path(),
            &[
                "check",
                "--isolated",
                "--format",
                "short",
                "ARCHITECTURE.md",
            ],
            None,
            60,
            600,
        );
        assert!(b.peak_mib < 600, "{} MiB", b.peak_mib);
    }
}

/// A finding on a short line next to a very long one shows its own line, from its
/// start, and not the long neighbour; a finding on the first line keeps its `# `.
#[test]
fn a_long_neighbour_line_is_left_out_of_the_snippet() {
    let long = "x".repeat(5_000);
    let doc = format!("# {{SYSTEM_NAME}} Architecture\n{long}\nOwned by [Team Name].\n{long}\n");
    let b = check_doc(&doc, &[], &[]);
    b.run.assert_code(1);
    assert!(
        b.run.stdout.contains(" 1 │ # {SYSTEM_NAME} Architecture\n"),
        "{}",
        b.run.transcript()
    );
    assert!(
        b.run.stdout.contains(" 3 │ Owned by [Team Name].\n"),
        "{}",
        b.run.transcript()
    );
    let longest = b.run.stdout.lines().map(str::len).max().unwrap_or(0);
    assert!(longest < 1_000, "a line of {longest} bytes");
}

/// A heading line of 150,000 bracketed non-words (`## [!] [!] …`, 600 KB) and a line
/// of 150,000 braces (`{a}{a}…`): asking, for each bracket, whether the heading has
/// text besides it, or what word stands before it, scanned the line again each time
/// (the heading alone took 108 s at 250,000). Both are answered from the line's ends.
#[test]
fn many_brackets_on_one_heading_line_are_linear() {
    let doc = format!(
        "# Architecture\n\n## {}\n\n{}\n",
        "[!] ".repeat(150_000),
        "{a}".repeat(150_000)
    );
    let b = check_doc(&doc, &[], &["--format", "short"]);
    b.run.assert_code(1);
    assert!(b.seconds < 10.0, "{:.1} s", b.seconds);
}
