//! See `mod.rs`. Inputs that never end or do not say how long they are: standard input
//! fed from `/dev/zero`, larger than any document, and a file that reports a size of
//! 0 but holds gigabytes (`/proc/self/pagemap`). Every read stops at the one
//! documented cap (the largest document, 4 GiB less a byte) and binary input stops at
//! its first NUL byte.
//!
//! An endless input must not be fed to a build that reads it all: these runs are
//! killed from outside when they pass their memory limit ([`watched`]), not only
//! measured afterwards, so that a failing test cannot take the machine's memory.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::{bounded, Run};

const SECS: u64 = 10;
const MIB: u64 = 1024;

/// The largest document archlint reads, in bytes (src/document/source.rs).
const CAP: u64 = u32::MAX as u64;

/// Resident memory of process `pid` in MiB, from `/proc` (None where there is none).
fn resident_mib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

/// Run the binary in `dir` with `args` and `stdin`, killed as soon as it runs longer
/// than `limit_secs` or holds more than `limit_mib` of resident memory (polled every
/// 10 ms); asserts that it ended by itself within both, like `support::bounded`, for an
/// input `bounded` cannot give (an endless or huge standard input).
#[track_caller]
fn watched(dir: &Path, args: &[&str], stdin: Stdio, limit_secs: u64, limit_mib: u64) -> Run {
    let scratch = tempfile::tempdir().expect("a temporary folder");
    let out_path = scratch.path().join("stdout");
    let err_path = scratch.path().join("stderr");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("archlint"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("ARCHLINT_CONFIG")
        .env_remove("GITHUB_ACTIONS")
        .stdin(stdin)
        .stdout(std::fs::File::create(&out_path).expect("create stdout"))
        .stderr(std::fs::File::create(&err_path).expect("create stderr"))
        .spawn()
        .expect("the archlint binary runs");
    let start = Instant::now();
    let mut peak = 0;
    let mut killed = None;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for archlint") {
            break status;
        }
        peak = peak.max(resident_mib(child.id()).unwrap_or(0));
        if peak >= limit_mib {
            killed = Some(format!("holding {peak} MiB"));
        } else if start.elapsed() > Duration::from_secs(limit_secs) {
            killed = Some(format!("still running after {limit_secs} s"));
        }
        if killed.is_some() {
            let _ = child.kill();
            break child.wait().expect("wait for archlint");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let read =
        |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    let run = Run {
        args: args.iter().map(|s| s.to_string()).collect(),
        code: status.code().unwrap_or(-1),
        stdout: read(&out_path),
        stderr: read(&err_path),
    };
    if let Some(why) = killed {
        panic!("killed, {why}: {}\n{}", args.join(" "), run.transcript());
    }
    crate::support::sane(&run);
    run
}

/// Attack: `archlint check - < /dev/zero` (standard input that never ends, as a
/// misconfigured CI step or a hostile wrapper can give). Standard input was read to
/// its end: the process grew to 23 GB before the kernel killed it. It is read in
/// bounded chunks and NUL bytes make it binary: the run exits 2 at the first chunk.
#[test]
fn standard_input_from_dev_zero_fails_at_once() {
    let Ok(zero) = std::fs::File::open("/dev/zero") else {
        eprintln!("skipping: no /dev/zero here");
        return;
    };
    let dir = crate::support::tree(&[]);
    let run = watched(
        dir.path(),
        &["check", "--isolated", "-"],
        Stdio::from(zero),
        SECS,
        MIB,
    );
    run.assert_code(2);
    assert!(
        run.stderr.contains("`-` is not a text document"),
        "{}",
        run.transcript()
    );
}

/// Attack: standard input larger than any document archlint reads (here a sparse file
/// of the cap plus one byte, redirected: `archlint check - < huge.md`). Standard input
/// had no cap at all: the whole file was read into memory before anything was
/// checked. It has the documents' cap, and the error names standard input and the cap;
/// a redirected file's size is known before reading, so nothing is read.
#[test]
fn standard_input_over_the_cap_is_refused_with_the_cap() {
    let dir = crate::support::tree(&[]);
    let huge = dir.path().join("huge.md");
    let file = std::fs::File::create(&huge).expect("create");
    file.set_len(CAP + 1).expect("set_len");
    drop(file);
    let run = watched(
        dir.path(),
        &["check", "--isolated", "--stdin-filename", "piped.md", "-"],
        Stdio::from(std::fs::File::open(&huge).expect("open")),
        SECS,
        MIB,
    );
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("standard input (`piped.md`) is larger than 4294967295 bytes"),
        "{}",
        run.transcript()
    );
}

/// Attack: `archlint check /proc/self/pagemap`, a "regular file" that reports a size
/// of 0 and holds 8 bytes for every page of the address space. It was read up to the
/// 4 GiB document cap: 50 s and 8 GiB of memory. A file that reports no size is read
/// in bounded chunks, stops at the first NUL byte and never past the cap plus one byte.
#[cfg(target_os = "linux")]
#[test]
fn a_file_reporting_no_size_stops_at_the_first_chunk() {
    let pagemap = Path::new("/proc/self/pagemap");
    if !pagemap.exists() {
        eprintln!("skipping: no /proc/self/pagemap here");
        return;
    }
    let dir = crate::support::tree(&[]);
    let b = bounded(
        dir.path(),
        &["check", "--isolated", "/proc/self/pagemap"],
        None,
        SECS,
        MIB,
    );
    b.run.assert_code(2);
    assert!(
        b.run.stderr.contains("/proc/self/pagemap"),
        "{}",
        b.run.transcript()
    );
    assert!(b.peak_mib < 256, "peak memory {} MiB", b.peak_mib);
}

/// A folder past PATH_MAX (or unreadable) printed a warning, then "All checks passed",
/// exit 0: a folder the walk could not read now fails the run, naming it.
#[cfg(unix)]
#[test]
fn a_folder_the_walk_cannot_read_fails_the_run() {
    let dir = crate::support::tree(&[(
        "ARCHITECTURE.md",
        "# Architecture\n\nOwned by [Team Name].\n",
    )]);
    // 25 folders of 200 bytes: past PATH_MAX (4,096) below the temporary folder, made
    // one `cd` at a time by a shell (the test process must keep its working folder).
    let made = std::process::Command::new("bash")
        .arg("-c")
        .arg("n=$(printf 'd%.0s' {1..200}); for _ in {1..25}; do mkdir \"$n\" && cd \"$n\" || exit 1; done")
        .current_dir(dir.path())
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        println!("SKIP: this file system cannot hold a path past PATH_MAX");
        return;
    }
    let b = crate::support::bounded(
        dir.path(),
        &["check", "--format", "short", "."],
        None,
        10,
        1024,
    );
    b.run.assert_code(2);
    assert!(
        b.run.stderr.contains("cannot read part of") && b.run.stderr.contains("File name too long"),
        "{}",
        b.run.transcript()
    );
    assert!(
        b.run
            .stdout
            .contains("ARCHITECTURE.md:3:10: error: template placeholder"),
        "the readable document is still checked\n{}",
        b.run.transcript()
    );
}
