//! The bad-input battery: whatever a document or a path is, archlint answers with
//! findings (1), nothing (0) or a clear error (2), never a panic or a hang. Every
//! input is generated here; nothing large is committed.
//!
//! Decisions these tests pin down:
//! - Invalid UTF-8 is an error (exit 2) naming the byte offset of the first bad byte;
//!   a NUL byte makes a file "not a text document" (exit 2). Neither is linted.
//! - A BOM is dropped before linting, so columns do not count it.
//! - Depth: comrak builds block quotes iteratively (100,000 deep parse in ~3 s in a
//!   release build) and caps list nesting itself; archlint walks the tree without
//!   recursion, so no depth needs a cap and no thread needs a bigger stack.
//! - A FIFO named on the command line is an error; one found while walking a folder is
//!   skipped, like every other entry that is not a regular file (symbolic links too).

use std::ffi::OsStr;
use std::path::Path;
use std::time::Duration;

use crate::support::{archlint, run_in, run_with, sane, tree, write, Run, TODAY};

/// Exit 2 with `message` on stderr.
#[track_caller]
fn error(run: &Run, message: &str) {
    sane(run);
    run.assert_code(2);
    assert!(run.stderr.contains(message), "{}", run.transcript());
}

/// `archlint check --isolated --today ... ARGS... ARCHITECTURE.md` on `bytes`, with a
/// time limit so that a hang fails the test instead of stalling the suite.
fn check_doc(bytes: &[u8], args: &[&str]) -> Run {
    let dir = tree(&[]);
    write(dir.path(), "ARCHITECTURE.md", bytes);
    let mut all = vec!["check", "--isolated", "--today", TODAY];
    all.extend_from_slice(args);
    all.push("ARCHITECTURE.md");
    run_with(
        archlint()
            .current_dir(dir.path())
            .timeout(Duration::from_secs(120)),
        &all,
        None,
    )
}

/// `(line, column, end_line, end_column, rule)` of every finding of a json run.
fn positions(run: &Run) -> Vec<(u64, u64, u64, u64, String)> {
    let json = run.json();
    let mut out = Vec::new();
    for f in json["files"].as_array().expect("files") {
        for d in f["diagnostics"].as_array().expect("diagnostics") {
            let n = |k: &str| d[k].as_u64().expect("a number");
            out.push((
                n("line"),
                n("column"),
                n("end_line"),
                n("end_column"),
                d["rule"].as_str().expect("rule").to_string(),
            ));
        }
    }
    out
}

const DOC: &str =
    "# Architecture\n\n## Overview\n\nText with [TBD] in it.\n\n## Components\n\n- a\n";

#[test]
fn an_empty_file_is_linted() {
    let run = check_doc(b"", &[]);
    sane(&run);
    run.assert_code(1);
    assert!(run.stdout.contains("the document has no level-1 title"));
}

#[test]
fn a_file_of_only_whitespace_is_linted() {
    let run = check_doc(b"  \n\t\n \r\n\r   \n", &["--format", "short"]);
    sane(&run);
    run.assert_code(1);
    assert!(
        run.stdout.contains("ARCHITECTURE.md:1:1:"),
        "{}",
        run.stdout
    );
}

#[test]
fn invalid_utf8_is_an_error_with_the_byte_offset() {
    let run = check_doc(b"# Title\n\nok \xff\xfe bad\n", &[]);
    error(&run, "is not valid UTF-8 (first invalid byte at offset 12)");
    assert!(run.stderr.contains("iconv"), "{}", run.stderr);
    // A truncated multi-byte character at the very end, and on standard input.
    let run = check_doc("# Tïtle\n".as_bytes().split_at(4).0, &[]);
    error(&run, "first invalid byte at offset 3");
    let dir = tree(&[]);
    let run = crate::support::run_stdin(dir.path(), &["check", "--isolated", "-"], b"\xc3(");
    error(
        &run,
        "`-` is not valid UTF-8 (first invalid byte at offset 0)",
    );
}

#[test]
fn nul_bytes_make_a_binary_file_not_a_document() {
    let run = check_doc(b"# Title\n\0\0\0binary", &[]);
    error(&run, "is not a text document (it contains NUL bytes)");
    assert!(run.stdout.is_empty() || !run.stdout.contains("missing"));
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    error(&check_doc(png, &[]), "not a text document");
}

#[test]
fn a_bom_is_dropped_and_not_counted_in_columns() {
    let plain = check_doc(DOC.as_bytes(), &["--format", "json"]);
    let bom = check_doc(format!("\u{feff}{DOC}").as_bytes(), &["--format", "json"]);
    sane(&bom);
    bom.assert_code(1);
    assert!(!positions(&plain).is_empty());
    assert_eq!(positions(&bom), positions(&plain));
}

#[test]
fn cr_only_line_endings_end_lines_like_lf() {
    let lf = check_doc(DOC.as_bytes(), &["--format", "json"]);
    let cr = check_doc(DOC.replace('\n', "\r").as_bytes(), &["--format", "json"]);
    let crlf = check_doc(DOC.replace('\n', "\r\n").as_bytes(), &["--format", "json"]);
    sane(&cr);
    assert_eq!(positions(&cr), positions(&lf));
    assert_eq!(positions(&crlf), positions(&lf));
}

/// The 50 MB case is slow in a debug build (comrak alone takes minutes there), so it is
/// run by hand against the release binary:
/// `cargo test --release --test integration -- --ignored fifty_megabytes`.
/// It asserts only the exit code and the absence of a panic, never a time.
#[test]
#[ignore = "slow in a debug build; run with --release"]
fn a_fifty_megabyte_document() {
    let section =
        "## Section\n\nSome text with a [link](x.md), `code`, *emphasis* and **bold**.\n\n\
                   **Field**: value\n\n- item one\n- item [TBD] two\n  - nested é→ item\n\n\
                   > quoted line\n\n```mermaid\nflowchart TD\n  A --> B\n```\n\n";
    let mut doc = String::from("# Architecture\n\n> Last updated: 2026-11-01\n\n");
    while doc.len() < 50 * 1024 * 1024 {
        doc.push_str(section);
    }
    for format in ["short", "human"] {
        let run = check_doc(doc.as_bytes(), &["--format", format]);
        sane(&run);
        run.assert_code(1);
    }
}

#[test]
fn a_single_one_megabyte_line() {
    let doc = format!("# Architecture\n\n{}\n", "word ".repeat(200_000));
    let run = check_doc(doc.as_bytes(), &[]);
    sane(&run);
    run.assert_code(1);
    // miette cannot draw a label a million columns in: the finding names its place.
    assert!(
        run.stdout
            .contains("(at ARCHITECTURE.md:3:1000000; the line is too long"),
        "{}",
        run.stdout.chars().take(2_000).collect::<String>()
    );
    let run = check_doc(doc.as_bytes(), &["--format", "json"]);
    sane(&run);
    assert!(positions(&run).iter().any(|p| p.1 == 1_000_000));
}

#[test]
fn a_hundred_thousand_headings() {
    // Human output used to be quadratic here (minutes); now a second or so.
    let doc: String = (0..100_000).map(|i| format!("## H{i}\n")).collect();
    let run = check_doc(doc.as_bytes(), &[]);
    sane(&run);
    run.assert_code(1);
    assert!(run.stdout.contains("Found "), "no summary");
}

fn nested_quotes(depth: usize) -> String {
    format!("# Architecture\n\n{} deep\n", ">".repeat(depth))
}

#[test]
fn block_quotes_nested_twenty_thousand_deep() {
    // Deep enough to overflow any recursive walk (rayon's workers have 2 MiB stacks);
    // 100,000 deep is the ignored test below (comrak's time grows with the square of
    // the depth, ~30 s in a debug build).
    let run = check_doc(nested_quotes(20_000).as_bytes(), &[]);
    sane(&run);
    run.assert_code(1);
}

#[test]
#[ignore = "slow in a debug build; run with --release"]
fn block_quotes_nested_a_hundred_thousand_deep() {
    let run = check_doc(nested_quotes(100_000).as_bytes(), &[]);
    sane(&run);
    run.assert_code(1);
}

#[test]
fn lists_nested_a_hundred_thousand_deep() {
    for marker in ["- ", "1. ", "> - ", "* [ ] "] {
        let doc = format!("# Architecture\n\n{}x\n", marker.repeat(100_000));
        let run = check_doc(doc.as_bytes(), &[]);
        sane(&run);
        run.assert_code(1);
    }
    // Nesting by indentation, as deep as a file of reasonable size allows.
    let doc: String = (0..2_000)
        .map(|i| format!("{}- item\n", "  ".repeat(i)))
        .collect();
    let run = check_doc(doc.as_bytes(), &[]);
    sane(&run);
}

#[test]
fn ten_thousand_unclosed_brackets_and_emphasis_runs() {
    for run_of in [
        "[", "![", "*", "_a ", "**a ", "*a **b ", "<", "`", "[x](", "<!--", "~~",
    ] {
        let doc = format!(
            "# Architecture\n\n{}\n\n## Overview\n",
            run_of.repeat(10_000)
        );
        let run = check_doc(doc.as_bytes(), &[]);
        sane(&run);
        run.assert_code(1);
    }
}

/// `archlint check --today ... [ARGS]` in `dir` (walking it when no path is given).
fn walk(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["check", "--today", TODAY, "--format", "short"];
    all.extend_from_slice(args);
    run_with(
        archlint().current_dir(dir).timeout(Duration::from_secs(60)),
        &all,
        None,
    )
}

#[cfg(unix)]
#[test]
fn a_folder_with_a_symlink_loop() {
    let dir = tree(&[(".git/HEAD", ""), ("docs/ARCHITECTURE.md", DOC)]);
    std::os::unix::fs::symlink("..", dir.path().join("docs/up")).expect("symlink");
    std::os::unix::fs::symlink("loop", dir.path().join("docs/loop")).expect("symlink");
    let run = walk(dir.path(), &[]);
    sane(&run);
    run.assert_code(1);
    assert!(run.stdout.contains("(1 file checked)"), "{}", run.stdout);
    // A link that loops onto itself, named explicitly, is an error.
    let run = walk(dir.path(), &["docs/loop"]);
    error(&run, "docs/loop");
}

#[cfg(unix)]
#[test]
fn an_unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree(&[("ARCHITECTURE.md", DOC)]);
    let path = dir.path().join("ARCHITECTURE.md");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&path).is_ok() {
        // Root reads anything: the case below covers a read that fails for root too.
        eprintln!("skipping the chmod 000 case: this user can read a mode-000 file");
    } else {
        let run = walk(dir.path(), &["ARCHITECTURE.md"]);
        error(&run, "cannot read");
    }
}

/// A regular file that no one can read: the kernel refuses reads of /proc/self/mem at
/// offset 0, even for root.
#[cfg(target_os = "linux")]
#[test]
fn a_file_whose_read_fails() {
    let dir = tree(&[("ARCHITECTURE.md", DOC)]);
    let run = walk(dir.path(), &["/proc/self/mem", "ARCHITECTURE.md"]);
    error(&run, "cannot read `/proc/self/mem`");
    // The readable document is still reported, and the error is named once.
    assert!(run.stdout.contains("ARCHITECTURE.md:"), "{}", run.stdout);
    assert_eq!(
        run.stderr.matches("cannot read").count(),
        1,
        "{}",
        run.stderr
    );
}

#[test]
fn a_folder_named_architecture_md() {
    let dir = tree(&[(".git/HEAD", ""), ("ARCHITECTURE.md/ARCHITECTURE.md", DOC)]);
    // Walked: the folder is not a document, the file inside it is.
    let run = walk(dir.path(), &[]);
    sane(&run);
    run.assert_code(1);
    assert!(run.stdout.contains("(1 file checked)"), "{}", run.stdout);
    // Named: a folder is walked.
    let run = walk(dir.path(), &["ARCHITECTURE.md"]);
    sane(&run);
    assert!(run.stdout.contains("(1 file checked)"), "{}", run.stdout);
    // An empty one holds nothing to check, which a named path must not do.
    let empty = tree(&[(".git/HEAD", "")]);
    std::fs::create_dir(empty.path().join("ARCHITECTURE.md")).expect("mkdir");
    let run = walk(empty.path(), &["ARCHITECTURE.md"]);
    sane(&run);
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("no document to check in `ARCHITECTURE.md`"),
        "{}",
        run.transcript()
    );
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn a_fifo_is_never_read() {
    let dir = tree(&[(".git/HEAD", ""), ("docs/ARCHITECTURE.md", DOC)]);
    mkfifo(&dir.path().join("ARCHITECTURE.md"));
    // Named: an error, at once (the time limit turns a hang into a failure).
    let run = walk(dir.path(), &["ARCHITECTURE.md"]);
    error(&run, "is not a regular file or directory");
    // Found while walking: skipped.
    let run = walk(dir.path(), &[]);
    sane(&run);
    run.assert_code(1);
    assert!(run.stdout.contains("(1 file checked)"), "{}", run.stdout);
}

#[cfg(unix)]
#[test]
fn paths_with_spaces_newlines_and_bytes_that_are_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tree(&[(".git/HEAD", "")]);
    let names: [&[u8]; 3] = [b"my docs", b"new\nline", b"bad\xff\xfename"];
    for name in names {
        let folder = dir.path().join(OsStr::from_bytes(name));
        std::fs::create_dir_all(&folder).expect("mkdir");
        std::fs::write(folder.join("ARCHITECTURE.md"), DOC).expect("write");
    }
    let run = walk(dir.path(), &[]);
    sane(&run);
    run.assert_code(1);
    assert!(run.stdout.contains("(3 files checked)"), "{}", run.stdout);
    assert!(
        run.stdout.contains("my docs/ARCHITECTURE.md:"),
        "{}",
        run.stdout
    );
    // Named one by one, in every machine format.
    for name in names {
        let path = Path::new(OsStr::from_bytes(name)).join("ARCHITECTURE.md");
        for format in [
            "json",
            "sarif",
            "github",
            "junit",
            "checkstyle",
            "gitlab",
            "rdjsonl",
        ] {
            let out = archlint()
                .current_dir(dir.path())
                .args(["check", "--today", TODAY, "--format", format])
                .arg(&path)
                .timeout(Duration::from_secs(60))
                .output()
                .expect("runs");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{format} {path:?}: {stderr}");
            assert!(!stderr.contains("panicked at"), "{stderr}");
        }
    }
    let run = run_in(dir.path(), &["check", "--format", "json", "my docs"]);
    sane(&run);
    assert_eq!(run.json()["files"][0]["path"], "my docs/ARCHITECTURE.md");
}

#[test]
fn twenty_thousand_suppressions_and_findings() {
    // Each finding used to walk every directive (50,000 of each took 7 s in a release
    // build); now each is a binary search.
    let doc = format!(
        "# Architecture\n\n{}",
        "<!-- archlint-disable-next-line placeholder -->\n[TBD]\n<!-- archlint-disable empty-section -->\n[TBD]\n".repeat(10_000)
    );
    let run = check_doc(doc.as_bytes(), &["--format", "short"]);
    sane(&run);
    run.assert_code(1);
}

#[test]
fn ten_thousand_placeholders_in_one_paragraph() {
    // Each hit used to be checked against every mask (code, links, inline HTML) of its
    // paragraph.
    let doc = format!(
        "# Architecture\n\n{}\n",
        "[TBD] <TBD> TODO `c` [l](x) ".repeat(10_000)
    );
    let run = check_doc(doc.as_bytes(), &["--format", "short"]);
    sane(&run);
    run.assert_code(1);
    assert!(run.stdout.contains("[placeholder]"), "no placeholder found");
}

#[test]
fn an_unclosed_suppression_comment_is_one_short_finding() {
    // Found by fuzzing: every word of an unclosed `archlint-disable` comment was an
    // "unknown rule" finding that printed the whole comment: 25 KB in, 7 MB out.
    let doc = format!(
        "# Architecture\n\n<!-- archlint-disable placeholder\n{}",
        "some words of prose here\n".repeat(2_000)
    );
    let run = check_doc(doc.as_bytes(), &[]);
    sane(&run);
    run.assert_code(1);
    assert!(
        run.stdout.len() < 20_000,
        "{} bytes of output",
        run.stdout.len()
    );
    let run = check_doc(doc.as_bytes(), &["--format", "short"]);
    assert!(
        run.stdout.contains(
            "`archlint-disable` is followed by 10000 words that are not rule ids (`some`, \
             `words`, `of`, ...); is the comment closed with `-->`? [invalid-suppression]"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn a_document_over_four_gigabytes_is_refused_before_it_is_read() {
    let dir = tree(&[]);
    let path = dir.path().join("ARCHITECTURE.md");
    // A sparse file: nothing is written to disk, and archlint must not read it.
    let file = std::fs::File::create(&path).expect("create");
    file.set_len(u64::from(u32::MAX) + 1).expect("set_len");
    let run = run_in(dir.path(), &["check", "--isolated", "ARCHITECTURE.md"]);
    error(&run, "is larger than 4294967295 bytes");
    // The summary must not call the run clean.
    assert!(
        run.stdout
            .contains("No findings (0 files checked); 1 input could not be checked."),
        "{}",
        run.transcript()
    );
}

/// Documents over 1 MiB are parsed in pieces cut before headings. A reference used in
/// the first piece and defined in the last is still a link (not a bracketed
/// placeholder), and its definition is still checked.
#[test]
fn a_reference_defined_pieces_away_still_resolves() {
    let mut doc = String::from(
        "# Architecture\n\n> Last updated: 2026-11-01\n\nSee [Design Notes] and [the guide][g].\n\n",
    );
    let mut i = 0;
    while doc.len() < 3 * 1024 * 1024 {
        doc.push_str(&format!("## Part {i}\n\nPlain text about part {i}.\n\n"));
        i += 1;
    }
    doc.push_str("## Links\n\n[Design Notes]: notes/missing.md\n[g]: guide.md\n");
    let run = check_doc(doc.as_bytes(), &["--format", "json", "--profile", "core"]);
    sane(&run);
    let json = run.json();
    let found: Vec<(String, String)> = json["files"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (s("rule"), s("message"))
        })
        .collect();
    assert!(
        !found.iter().any(|(rule, _)| rule == "placeholder"),
        "{found:?}"
    );
    let dead: Vec<_> = found
        .iter()
        .filter(|(rule, _)| rule == "dead-reference")
        .map(|(_, m)| m.as_str())
        .collect();
    assert_eq!(
        dead,
        [
            "referenced file `notes/missing.md` does not exist",
            "referenced file `guide.md` does not exist"
        ],
        "{found:?}"
    );
}
