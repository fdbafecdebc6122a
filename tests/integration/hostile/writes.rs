//! See `mod.rs`. `--output`, `--report` and `init` aimed at what a pull request (or the
//! runner) may have put at the path: a symbolic link, a folder linked out of the
//! repository, a FIFO, a device node, or a file created while archlint writes. Git
//! stores symbolic links as they are; FIFOs and devices cannot be committed, but a
//! link can lead to one, and the runner names them (`-o /dev/stdout`).
//!
//! The real `/dev/full`, `/dev/null` and `/dev/stdout` are never named: a build that
//! replaced them (as the one these tests were written against did, as root) would
//! break the machine. Device nodes with the same numbers are made in a temporary
//! folder instead, which needs root; without it those tests are skipped with a reason.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::support::{bounded, run_in, Bounded, TODAY};

const SECS: u64 = 10;
const MIB: u64 = 1024;

const DOC: &str = "# Architecture\n\n## Overview\n\nText with [TBD] in it.\n";

/// A repository (with `.git`) at `dir/repo` holding `ARCHITECTURE.md`.
fn repo_in(dir: &Path) -> PathBuf {
    let repo = dir.join("repo");
    std::fs::create_dir_all(repo.join(".git")).expect("create .git");
    std::fs::write(repo.join("ARCHITECTURE.md"), DOC).expect("write the document");
    repo
}

/// `archlint check --isolated --format json EXTRA... ARCHITECTURE.md` in `dir`, bounded.
fn check(dir: &Path, extra: &[&str]) -> Bounded {
    let mut args = vec!["check", "--isolated", "--today", TODAY, "--format", "json"];
    args.extend_from_slice(extra);
    args.push("ARCHITECTURE.md");
    bounded(dir, &args, None, SECS, MIB)
}

fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).expect("create a symbolic link");
}

fn is_link(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink())
}

fn is_char_device(p: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_char_device())
}

fn is_fifo(p: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_fifo())
}

/// A character device node at `path` with the numbers of `/dev/null` (minor 3) or
/// `/dev/full` (minor 7), or why one cannot be used here.
fn device_node(path: &Path, minor: u32) -> Result<(), String> {
    let made = std::process::Command::new("mknod")
        .arg(path)
        .args(["c", "1", &minor.to_string()])
        .output()
        .map_err(|e| format!("cannot run mknod: {e}"))?;
    if !made.status.success() {
        return Err(format!(
            "mknod failed (this needs root): {}",
            String::from_utf8_lossy(&made.stderr).trim()
        ));
    }
    // A file system mounted `nodev` has the node but refuses to open it.
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| format!("the device node cannot be opened here: {e}"))?;
    Ok(())
}

fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(made.success(), "mkfifo {}", path.display());
}

/// A reader of the FIFO at `path` on a thread, returning all written into it once
/// `writer` (a handle the test holds) is dropped. Both ends are opened before the run, so
/// neither the test nor archlint waits for a partner, and a build that replaces the
/// FIFO instead of writing into it cannot leave the reader waiting forever.
fn reader(path: &Path) -> (std::fs::File, std::thread::JoinHandle<Vec<u8>>) {
    use std::io::Read;
    // Linux opens a FIFO for reading and writing at once without waiting.
    let writer = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .expect("open the FIFO");
    let mut r = std::fs::File::open(path).expect("open the FIFO for reading");
    let thread = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        r.read_to_end(&mut bytes).expect("read the FIFO");
        bytes
    });
    (writer, thread)
}

/// Attack: the runner writes its report to a device that fails every write,
/// `archlint check -o /dev/full` (as root). The temporary-file-and-rename write renamed
/// a regular file over `/dev/full`, exited 1 as if the report had been written, and left
/// the machine without `/dev/full`. A device is written in place: the write fails with
/// ENOSPC, the run exits 2 saying so, and the node is still a device.
#[test]
fn output_onto_a_full_device_is_a_write_error_and_the_device_stays() {
    let dir = crate::support::tree(&[("ARCHITECTURE.md", DOC)]);
    let full = dir.path().join("full");
    if let Err(why) = device_node(&full, 7) {
        eprintln!("skipping: no stand-in for /dev/full: {why}");
        return;
    }
    for flags in [["--output", "full"], ["--report", "sarif=full"]] {
        let b = check(dir.path(), &flags);
        b.run.assert_code(2);
        assert!(
            b.run.stderr.contains("cannot write") && b.run.stderr.contains("No space left"),
            "{}",
            b.run.transcript()
        );
        assert!(is_char_device(&full), "{flags:?} replaced the device node");
    }
}

/// Attack: `archlint check -o /dev/null` (or `--report sarif=/dev/null`) to throw a
/// report away. The rename replaced `/dev/null` with a regular file holding the report,
/// for every later process on the machine. A device is written in place and kept.
#[test]
fn output_onto_a_null_device_writes_into_it_and_the_device_stays() {
    let dir = crate::support::tree(&[("ARCHITECTURE.md", DOC)]);
    let null = dir.path().join("null");
    if let Err(why) = device_node(&null, 3) {
        eprintln!("skipping: no stand-in for /dev/null: {why}");
        return;
    }
    for flags in [["--output", "null"], ["--report", "sarif=null"]] {
        let b = check(dir.path(), &flags);
        b.run.assert_code(1);
        assert!(is_char_device(&null), "{flags:?} replaced the device node");
    }
}

/// Attack: the report goes to a FIFO another process reads (`mkfifo p; consumer < p &
/// archlint check -o p`). The rename replaced the FIFO with a regular file: the reader
/// waited forever and the FIFO was gone. The report is written into the FIFO.
#[test]
fn output_onto_a_fifo_with_a_reader_is_written_into_it() {
    let dir = crate::support::tree(&[("ARCHITECTURE.md", DOC)]);
    let fifo = dir.path().join("report.fifo");
    mkfifo(&fifo);
    let (writer, read) = reader(&fifo);
    let b = check(dir.path(), &["--output", "report.fifo"]);
    drop(writer);
    let got = read.join().expect("the reader thread");
    b.run.assert_code(1);
    assert!(is_fifo(&fifo), "the FIFO was replaced");
    let json: serde_json::Value = serde_json::from_slice(&got)
        .unwrap_or_else(|e| panic!("the FIFO got no JSON report ({e}): {got:?}"));
    assert_eq!(json["version"], 1);
}

/// Attack: a FIFO at the report's path with nobody reading it. Opening it for writing
/// would wait forever (a hung CI job); the rename replaced it instead. The run fails at
/// once saying why, and the FIFO stays.
#[test]
fn output_onto_a_fifo_nobody_reads_fails_at_once_and_keeps_it() {
    let dir = crate::support::tree(&[("ARCHITECTURE.md", DOC)]);
    let fifo = dir.path().join("report.fifo");
    mkfifo(&fifo);
    let b = check(dir.path(), &["--report", "sarif=report.fifo"]);
    b.run.assert_code(2);
    assert!(
        b.run.stderr.contains("no process is reading it"),
        "{}",
        b.run.transcript()
    );
    assert!(is_fifo(&fifo), "the FIFO was replaced");
    assert!(b.seconds < 5.0, "took {} s", b.seconds);
}

/// Attack: `-o /dev/stdout`, the usual way to send a report named by path to standard
/// output. `/dev/stdout` is a symbolic link through `/proc/self/fd/1` to a pipe, a
/// terminal or a file; the rename replaced the link itself (as root, in `/dev`). Here a
/// link in a temporary folder to `/proc/self/fd/1` stands in for it: the report must
/// come out on standard output, through a pipe and into a file, and the link must stay.
#[cfg(target_os = "linux")]
#[test]
fn output_through_a_link_to_standard_output_comes_out_there() {
    let dir = crate::support::tree(&[("ARCHITECTURE.md", DOC)]);
    let link = dir.path().join("stdout");
    symlink("/proc/self/fd/1", &link);
    let args = [
        "check",
        "--isolated",
        "--today",
        TODAY,
        "--format",
        "json",
        "--output",
        "stdout",
        "ARCHITECTURE.md",
    ];
    // Standard output is a pipe.
    let run = run_in(dir.path(), &args);
    run.assert_code(1);
    assert!(is_link(&link), "the link was replaced");
    assert_eq!(run.json()["version"], 1, "{}", run.transcript());
    // Standard output is a file (`bounded` sends it to one).
    let b = bounded(dir.path(), &args, None, SECS, MIB);
    b.run.assert_code(1);
    assert!(is_link(&link), "the link was replaced");
    assert_eq!(b.run.json()["version"], 1, "{}", b.run.transcript());
}

/// Attack, or rather a habit: `archlint.json -> reports/latest.json` committed in the
/// repository. The rename replaced the link with a regular file. As ruff and rustfmt
/// do, the write goes through the link: the file it leads to is replaced atomically
/// and the link stays.
#[test]
fn output_onto_a_link_inside_the_repository_writes_through_it() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let repo = repo_in(dir.path());
    std::fs::create_dir(repo.join("reports")).expect("mkdir");
    std::fs::write(repo.join("reports/latest.json"), "old").expect("write");
    symlink("reports/latest.json", repo.join("archlint.json"));
    let b = check(&repo, &["--output", "archlint.json"]);
    b.run.assert_code(1);
    assert!(
        is_link(&repo.join("archlint.json")),
        "the link was replaced"
    );
    let text = std::fs::read_to_string(repo.join("reports/latest.json")).expect("read");
    let json: serde_json::Value = serde_json::from_str(&text).expect("a JSON report");
    assert_eq!(json["version"], 1);
}

/// Attack: the pull request commits `archlint.sarif -> /root/.bashrc` (here: a file
/// outside the repository), and CI runs `archlint check --report sarif=archlint.sarif`
/// as root. Writing through the link would overwrite a file of the runner's with text
/// the author partly controls (file names and headings appear in the report). A link
/// inside the repository must not lead out of it, as for reads: the run exits 2 and
/// neither the link nor its target changes.
#[test]
fn a_link_leading_out_of_the_repository_is_refused() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let repo = repo_in(dir.path());
    let victim = dir.path().join("bashrc");
    std::fs::write(&victim, "keep").expect("write");
    symlink(&victim, repo.join("archlint.sarif"));
    let b = check(&repo, &["--report", "sarif=archlint.sarif"]);
    b.run.assert_code(2);
    assert!(
        b.run.stderr.contains("leads out of the repository"),
        "{}",
        b.run.transcript()
    );
    assert_eq!(std::fs::read_to_string(&victim).expect("read"), "keep");
    assert!(
        is_link(&repo.join("archlint.sarif")),
        "the link was replaced"
    );
}

/// Attack: the pull request commits the folder of the report as a link out of the
/// repository, `reports -> /etc/cron.d` (here: a folder outside it), and CI runs
/// `archlint check -o reports/archlint.json`. The report landed in that folder. A
/// folder on the way must not lead out of the repository either.
#[test]
fn a_linked_folder_leading_out_of_the_repository_is_refused() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let repo = repo_in(dir.path());
    let outside = dir.path().join("cron.d");
    std::fs::create_dir(&outside).expect("mkdir");
    symlink(&outside, repo.join("reports"));
    for flags in [
        ["--output", "reports/archlint.json"],
        ["--output", "reports/new/archlint.json"],
    ] {
        let b = check(&repo, &flags);
        b.run.assert_code(2);
        assert!(
            b.run.stderr.contains("leads out of the repository"),
            "{}",
            b.run.transcript()
        );
        let written: Vec<_> = std::fs::read_dir(&outside).expect("list").collect();
        assert!(written.is_empty(), "{flags:?} wrote {written:?}");
    }
}

/// Attack: a dangling link at the report's path, `archlint.json -> ../../elsewhere/x`.
/// Writing through it would create a file wherever the link says; the rename replaced
/// the link. Neither: the run exits 2, and the link stays and leads nowhere.
#[test]
fn a_dangling_link_is_neither_replaced_nor_followed() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let repo = repo_in(dir.path());
    symlink("missing/report.json", repo.join("archlint.json"));
    let b = check(&repo, &["--output", "archlint.json"]);
    b.run.assert_code(2);
    assert!(
        b.run
            .stderr
            .contains("a symbolic link to a file that does not exist"),
        "{}",
        b.run.transcript()
    );
    assert!(
        is_link(&repo.join("archlint.json")),
        "the link was replaced"
    );
    assert!(!repo.join("missing").exists(), "the link was followed");
}

/// Attack: `docs/ARCHITECTURE.md` committed as a dangling link, and `archlint init`
/// run without `--force`. `Path::exists` follows the link, found nothing, and the
/// rename replaced the link: a file clobbered without `--force`. A link is a file that
/// exists, dangling or not.
#[test]
fn init_onto_a_dangling_link_is_refused_without_force() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let repo = repo_in(dir.path());
    std::fs::create_dir(repo.join("docs")).expect("mkdir");
    let link = repo.join("docs/ARCHITECTURE.md");
    symlink("../nowhere.md", &link);
    let b = bounded(&repo, &["init", "--today", TODAY], None, SECS, MIB);
    b.run.assert_code(2);
    assert!(
        b.run.stderr.contains("already exists"),
        "{}",
        b.run.transcript()
    );
    assert!(is_link(&link), "the link was replaced");
    assert!(!repo.join("nowhere.md").exists(), "the link was followed");
}

/// Attack: another process (an editor, a second `init`, a checkout) creates
/// `docs/ARCHITECTURE.md` while `archlint init` writes it. `init` checked that the file
/// did not exist, wrote a temporary file, then renamed it over whatever was there by
/// then: the other file was lost (60 times in 300 in the original report). The rename
/// must not replace anything: either `init` wins, or it fails and the other file stays.
/// The racer here watches the folder and creates the file as soon as archlint's
/// temporary file appears, inside the window.
#[test]
fn init_never_replaces_a_file_created_while_it_writes() {
    const TRIES: usize = 25;
    const THEIRS: &str = "written by someone else\n";
    let mut lost = Vec::new();
    let mut raced = 0;
    for i in 0..TRIES {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let docs = dir.path().join("docs");
        std::fs::create_dir(&docs).expect("mkdir");
        let target = docs.join("ARCHITECTURE.md");
        let stop = Arc::new(AtomicBool::new(false));
        let racer = {
            let (docs, target, stop) = (docs.clone(), target.clone(), Arc::clone(&stop));
            std::thread::spawn(move || {
                use std::io::Write;
                while !stop.load(Ordering::Relaxed) {
                    let seen = std::fs::read_dir(&docs)
                        .into_iter()
                        .flatten()
                        .flatten()
                        .any(|e| e.file_name().to_string_lossy().starts_with(".archlint-"));
                    if seen {
                        let created = std::fs::OpenOptions::new()
                            .write(true)
                            .create_new(true)
                            .open(&target);
                        return created
                            .and_then(|mut f| f.write_all(THEIRS.as_bytes()))
                            .is_ok();
                    }
                }
                false
            })
        };
        let b = bounded(dir.path(), &["init", "--today", TODAY], None, SECS, MIB);
        stop.store(true, Ordering::Relaxed);
        let theirs = racer.join().expect("the racer thread");
        let now = std::fs::read_to_string(&target).unwrap_or_default();
        if theirs {
            raced += 1;
            if now != THEIRS || b.run.code != 2 {
                let start: String = now.chars().take(40).collect();
                lost.push(format!(
                    "try {i}: exit {}, file now {start:?}...",
                    b.run.code
                ));
            }
        } else {
            b.run.assert_code(0);
        }
    }
    eprintln!("the racer created the file during {raced} of {TRIES} runs");
    assert!(
        lost.is_empty(),
        "the other file was replaced in {} of {raced} races:\n{}",
        lost.len(),
        lost.join("\n")
    );
}

/// Attack: `archlint init --force` onto a FIFO or a device node (a link in the
/// repository can lead to one; the runner can name one). `--force` allows replacing a
/// file, never a FIFO or a device: the rename replaced both. A device is written in
/// place; a FIFO nobody reads is an error; both stay.
#[test]
fn init_with_force_never_replaces_a_fifo_or_a_device() {
    let dir = crate::support::tree(&[]);
    let fifo = dir.path().join("fifo.md");
    mkfifo(&fifo);
    let b = bounded(
        dir.path(),
        &["init", "--force", "--today", TODAY, "fifo.md"],
        None,
        SECS,
        MIB,
    );
    b.run.assert_code(2);
    assert!(is_fifo(&fifo), "the FIFO was replaced");
    let null = dir.path().join("null.md");
    if let Err(why) = device_node(&null, 3) {
        eprintln!("skipping the device half: no stand-in for /dev/null: {why}");
        return;
    }
    let b = bounded(
        dir.path(),
        &["init", "--force", "--today", TODAY, "null.md"],
        None,
        SECS,
        MIB,
    );
    b.run.assert_code(0);
    assert!(is_char_device(&null), "the device node was replaced");
}
