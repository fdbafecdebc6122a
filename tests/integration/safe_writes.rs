//! Safe writes: `init`, `--output` and `--report` write a temporary file in the target's
//! folder and rename it over the target (src/fs/atomic.rs). A write that fails leaves the
//! old file as it was and no temporary file behind; `init` never replaces a file
//! without `--force`; report files the user named are replaced.
//!
//! The tests run as root in CI, where permissions do not stop a write. A failing write
//! is therefore made with a file-size limit (`ulimit -f`, with SIGXFSZ ignored so the
//! write returns EFBIG instead of killing the process), which binds root too.

use std::path::Path;

use crate::support::{run_in, run_with, sane, tree, Run, TODAY};

const DOC: &str = "# Architecture\n\n## Overview\n\nText with [TBD] in it.\n";
const OLD: &[u8] = b"old contents \xe2\x9c\x93\n";

/// Names in `dir` that look like archlint's temporary files.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("read the folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".archlint-"))
        .collect()
}

#[test]
fn init_refuses_to_overwrite_without_force_and_leaves_the_file_untouched() {
    let dir = tree(&[]);
    let target = dir.path().join("docs/ARCHITECTURE.md");
    std::fs::create_dir_all(target.parent().expect("a parent")).expect("mkdir");
    std::fs::write(&target, OLD).expect("write");
    let run = run_in(dir.path(), &["init", "--today", TODAY]);
    sane(&run);
    run.assert_code(2);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(std::fs::read(&target).expect("read"), OLD);
    // With --force it is replaced.
    let run = run_in(dir.path(), &["init", "--force", "--today", TODAY]);
    run.assert_code(0);
    assert!(std::fs::read_to_string(&target)
        .expect("read")
        .starts_with("# "));
    assert!(leftovers(target.parent().expect("a parent")).is_empty());
}

/// A folder is named as what it is, with the way to name a file inside it.
#[test]
fn init_onto_a_folder_is_an_error() {
    let dir = tree(&[("docs/ARCHITECTURE.md/keep.txt", "keep")]);
    let run = run_in(dir.path(), &["init", "--force", "--today", TODAY]);
    sane(&run);
    run.assert_code(2);
    assert!(run.stderr.contains("is a directory"), "{}", run.stderr);
    let keep = dir.path().join("docs/ARCHITECTURE.md/keep.txt");
    assert_eq!(std::fs::read_to_string(keep).expect("read"), "keep");
    let run = run_in(dir.path(), &["init", "--today", TODAY, "docs"]);
    sane(&run);
    run.assert_code(2);
    assert!(
        run.stderr.contains("docs`: it is a directory"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("archlint init docs/ARCHITECTURE.md"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn init_creates_a_file_like_any_other() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree(&[("probe", "")]);
    run_in(dir.path(), &["init", "--today", TODAY]).assert_code(0);
    let mode = |p: &str| {
        std::fs::metadata(dir.path().join(p))
            .expect("stat")
            .permissions()
            .mode()
            & 0o777
    };
    // Not tempfile's private 0600: the umask decides, as for the probe.
    assert_eq!(mode("docs/ARCHITECTURE.md"), mode("probe"));
}

/// `archlint check --isolated ... --format json ARGS... ARCHITECTURE.md` in `dir`.
fn check(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["check", "--isolated", "--today", TODAY, "--format", "json"];
    all.extend_from_slice(args);
    all.push("ARCHITECTURE.md");
    run_in(dir, &all)
}

#[test]
fn output_onto_a_folder_is_an_error_and_the_folder_is_untouched() {
    let dir = tree(&[("ARCHITECTURE.md", DOC), ("out/keep.txt", "keep")]);
    let run = check(dir.path(), &["--output", "out"]);
    sane(&run);
    run.assert_code(2);
    assert!(run.stderr.contains("cannot write"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out/keep.txt")).expect("read"),
        "keep"
    );
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

#[test]
fn output_below_a_file_is_an_error() {
    let dir = tree(&[("ARCHITECTURE.md", DOC), ("file", "x")]);
    let run = check(dir.path(), &["--output", "file/report.json"]);
    sane(&run);
    run.assert_code(2);
    assert!(run.stderr.contains("cannot write"), "{}", run.stderr);
    let run = check(dir.path(), &["--report", "sarif=file/report.sarif"]);
    sane(&run);
    run.assert_code(2);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("file")).expect("read"),
        "x"
    );
}

#[cfg(unix)]
#[test]
fn output_into_a_read_only_folder_exits_2() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree(&[("ARCHITECTURE.md", DOC), ("ro/report.json", "old")]);
    let ro = dir.path().join("ro");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    if std::fs::write(ro.join("probe"), b"").is_ok() {
        // Root writes anywhere; the size-limit test below fails a write for root too.
        eprintln!("skipping the read-only folder case: this user can write into a 0555 folder");
    } else {
        let run = check(dir.path(), &["--output", "ro/report.json"]);
        sane(&run);
        run.assert_code(2);
        assert!(run.stderr.contains("cannot write"), "{}", run.stderr);
        assert_eq!(
            std::fs::read_to_string(ro.join("report.json")).expect("read"),
            "old"
        );
    }
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// Run the binary in `dir` with a 1 KiB file-size limit, so that writing anything
/// larger fails with EFBIG.
#[cfg(unix)]
fn with_size_limit(dir: &Path, args: &[&str]) -> Run {
    let bin = assert_cmd::cargo::cargo_bin!("archlint");
    let mut cmd = assert_cmd::Command::new("sh");
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .args(["-c", "trap '' XFSZ; ulimit -f 1; exec \"$0\" \"$@\""])
        .arg(bin);
    run_with(&mut cmd, args, None)
}

#[cfg(unix)]
#[test]
fn a_write_that_fails_leaves_the_old_file_intact() {
    let dir = tree(&[("ARCHITECTURE.md", DOC)]);
    for name in ["out.json", "report.sarif", "docs/ARCHITECTURE.md"] {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().expect("a parent")).expect("mkdir");
        std::fs::write(&p, OLD).expect("write");
    }
    let check = [
        "check",
        "--isolated",
        "--today",
        TODAY,
        "--format",
        "json",
        "ARCHITECTURE.md",
    ];
    // The JSON and SARIF reports are several KiB: over the limit.
    let run = with_size_limit(
        dir.path(),
        &[&check[..], &["--output", "out.json"]].concat(),
    );
    sane(&run);
    run.assert_code(2);
    assert!(run.stderr.contains("cannot write"), "{}", run.stderr);
    let run = with_size_limit(
        dir.path(),
        &[&check[..], &["--report", "sarif=report.sarif"]].concat(),
    );
    sane(&run);
    run.assert_code(2);
    // The comprehensive skeleton is several KiB too.
    let run = with_size_limit(
        dir.path(),
        &[
            "init",
            "--force",
            "--profile",
            "comprehensive",
            "--today",
            TODAY,
        ],
    );
    sane(&run);
    run.assert_code(2);
    for name in ["out.json", "report.sarif", "docs/ARCHITECTURE.md"] {
        assert_eq!(
            std::fs::read(dir.path().join(name)).expect("read"),
            OLD,
            "{name}"
        );
    }
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
    assert!(leftovers(&dir.path().join("docs")).is_empty());
}

#[test]
fn named_report_files_are_replaced() {
    let dir = tree(&[
        ("ARCHITECTURE.md", DOC),
        ("out.json", "old"),
        ("r.sarif", "old"),
    ]);
    let run = check(
        dir.path(),
        &["--output", "out.json", "--report", "sarif=r.sarif"],
    );
    sane(&run);
    run.assert_code(1);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let out: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out.json")).expect("read"))
            .expect("json");
    assert_eq!(out["version"], 1);
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("r.sarif")).expect("read"))
            .expect("json");
    assert_eq!(sarif["version"], "2.1.0");
    assert!(leftovers(dir.path()).is_empty());
}

/// A report written to a symbolic link goes to the file the link leads to, as ruff and
/// rustfmt write: the link stays (src/fs/atomic.rs says when a link is refused).
#[cfg(unix)]
#[test]
fn a_report_onto_a_symlink_writes_through_it() {
    let dir = tree(&[("ARCHITECTURE.md", DOC), ("elsewhere.json", "old")]);
    std::os::unix::fs::symlink("elsewhere.json", dir.path().join("out.json")).expect("symlink");
    let run = check(dir.path(), &["--output", "out.json"]);
    sane(&run);
    run.assert_code(1);
    let meta = std::fs::symlink_metadata(dir.path().join("out.json")).expect("stat");
    assert!(meta.file_type().is_symlink());
    let out: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("elsewhere.json")).expect("read"))
            .expect("json");
    assert_eq!(out["version"], 1);
    assert!(leftovers(dir.path()).is_empty());
}

/// `archlint check x.md >&-`: with standard output closed the report cannot be
/// written, which is an I/O error (exit 2, said on standard error), not a run that
/// found problems (exit 1) with its report silently dropped.
#[cfg(unix)]
#[test]
fn a_closed_standard_output_is_a_write_error() {
    let dir = tree(&[("ARCHITECTURE.md", DOC)]);
    let bin = assert_cmd::cargo::cargo_bin!("archlint");
    for args in [
        &["check", "--isolated", "--today", TODAY, "ARCHITECTURE.md"][..],
        &["rules"][..],
        &["--version"][..],
    ] {
        let mut cmd = assert_cmd::Command::new("sh");
        cmd.current_dir(dir.path())
            .env("NO_COLOR", "1")
            .args(["-c", "exec \"$0\" \"$@\" >&-"])
            .arg(bin);
        let run = run_with(&mut cmd, args, None);
        sane(&run);
        run.assert_code(2);
        assert!(
            run.stderr.contains("standard output is closed"),
            "{}",
            run.transcript()
        );
    }
}

/// `archlint --help > /dev/full` and `--version > /dev/full` exited 0: the help was
/// lost and nothing said so. A failed write exits 2 with a message.
#[cfg(unix)]
#[test]
fn help_and_version_to_a_full_device_exit_2() {
    if !Path::new("/dev/full").exists() {
        eprintln!("skipping: no /dev/full here");
        return;
    }
    for args in [
        &["--help"][..],
        &["--version"][..],
        &["check", "--help"][..],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("open /dev/full");
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin!("archlint"))
            .args(args)
            .stdout(full)
            .output()
            .expect("run archlint");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("No space left on device"),
            "{args:?}: {stderr}"
        );
    }
}

/// `archlint rules | head -1`: a reader that stops early is no error, for every
/// command as for `check` (`rules` and `profile show` exited 2 with "Broken pipe").
/// Standard output here is a pipe whose reading end is already closed, so the first
/// write fails with EPIPE.
#[cfg(unix)]
#[test]
fn a_reader_that_stops_early_is_no_error() {
    let dir = tree(&[("ARCHITECTURE.md", DOC)]);
    for (args, code) in [
        (&["rules"][..], 0),
        (&["profile", "show", "core"][..], 0),
        (&["explain", "placeholder"][..], 0),
        (&["schema", "profile"][..], 0),
        (
            &["check", "--isolated", "--today", TODAY, "ARCHITECTURE.md"][..],
            1,
        ),
    ] {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin!("archlint"))
            .current_dir(dir.path())
            .args(args)
            .stdout(writer)
            .output()
            .expect("run archlint");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}
