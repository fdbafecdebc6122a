//! Writing `--output`, `--report` and `init` targets so that a failure never leaves a
//! half-written or lost file, and so that whatever sits at the path (a pull request
//! controls links in the repository; archlint runs as root in CI) cannot turn the
//! write into something else. What a write does depends on what the path names:
//!
//! - **Nothing**: a temporary file in the same folder is renamed into place without
//!   replacing anything (`renameat2(RENAME_NOREPLACE)` on Linux, `renamex_np` on macOS,
//!   a hard link then unlink elsewhere: tempfile's `persist_noclobber`). A file someone
//!   else creates meanwhile is never lost: `init` then says it exists, and a report
//!   looks again at what is there now.
//! - **A regular file**: a temporary file is renamed over it (it keeps its mode), so a
//!   failed write leaves the old file as it was. Only with `--force` for `init`.
//! - **A FIFO or a character device** (`/dev/null`, `/dev/stdout` on a pipe or a
//!   terminal): written in place, the way `> /dev/null` writes, and never unlinked or
//!   replaced: a rename would put a regular file where every later process expects the
//!   device (as root, in `/dev`). A FIFO that no process reads is an error at once, not
//!   a wait that hangs the job.
//! - **A symbolic link**: written through, as ruff's `--output-file` and rustfmt do; the
//!   rules above apply to the file it leads to, and the link stays. That is what makes
//!   `-o /dev/stdout` and a committed `report.json -> reports/latest.json` work. A link
//!   that leads nowhere is refused: writing through it would create a file wherever
//!   the link says.
//! - **A folder, a socket or a block device**: refused.
//!
//! And one rule for links, SPEC's rule for reads applied to writes: a path inside a
//! repository (below a folder holding `.git`) must not lead out of it, neither through
//! its own link nor through a linked folder on the way. Otherwise a pull request that
//! commits `archlint.sarif -> /root/.bashrc` makes a root CI job overwrite that file with
//! a report quoting the author's headings. Links of a path outside any repository
//! (`/dev/stdout`, `$RUNNER_TEMP/…`) are the runner's own and are followed.
//!
//! Between looking at the target and renaming over it another process can still swap
//! a regular file for something else; only the creation of a new file is checked by
//! the rename itself. A repository's content cannot race archlint.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// Write `bytes` to `path`, replacing a regular file there (`--output`, `--report`).
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    put(path, bytes, Mode::Replace)
}

/// Like [`write`], but refuse if anything exists at `path` (a dangling link included)
/// unless `force` (`init`). The check is the no-clobber rename itself.
pub fn create(path: &Path, bytes: &[u8], force: bool) -> Result<()> {
    put(
        path,
        bytes,
        if force { Mode::Replace } else { Mode::Create },
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Replace a regular file (through a link too).
    Replace,
    /// Create a new file; anything at the path is an error.
    Create,
}

/// Where a write goes and how.
enum Target {
    /// No file yet at this path: create one without replacing anything.
    Absent(PathBuf),
    /// A regular file at this (resolved) path, with its mode.
    File(PathBuf, fs::Permissions),
    /// A FIFO (`true`) or character device at this path, written in place.
    Stream(PathBuf, bool),
}

/// How often a report looks again at its path when a file appeared there between
/// looking and creating.
const ATTEMPTS: usize = 3;

fn put(shown: &Path, bytes: &[u8], mode: Mode) -> Result<()> {
    let path = absolute(shown);
    for _ in 0..ATTEMPTS {
        match resolve(shown, &path, mode)? {
            Target::Stream(at, fifo) => return write_in_place(shown, &at, fifo, bytes),
            Target::File(at, perms) => return replace(shown, &at, bytes, Some(perms)),
            Target::Absent(at) => match replace(shown, &at, bytes, None) {
                Err(Error::Exists { .. }) if mode == Mode::Replace => continue,
                done => return done,
            },
        }
    }
    Err(refused(
        shown,
        "files kept appearing at the path while archlint wrote it",
        None,
    ))
}

fn write_err(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

fn refused(path: &Path, reason: impl Into<String>, help: Option<String>) -> Error {
    Error::WriteRefused {
        path: path.to_path_buf(),
        reason: reason.into(),
        help,
    }
}

/// What `path` names, after the repository rule for links (see the module comment).
fn resolve(shown: &Path, path: &Path, mode: Mode) -> Result<Target> {
    let repo = repository(path);
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {}
        Ok(meta) => {
            stays_inside(shown, repo.as_deref(), real_folder(path).as_deref())?;
            return classify(shown, path.to_path_buf(), &meta, mode);
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            stays_inside(shown, repo.as_deref(), real_folder(path).as_deref())?;
            return Ok(Target::Absent(path.to_path_buf()));
        }
        Err(e) => return Err(write_err(shown)(e)),
    }
    if mode == Mode::Create {
        return Err(Error::Exists {
            path: shown.to_path_buf(),
        });
    }
    // What a link says is repository content: it is never printed (a newline in it
    // could forge a line of a CI log).
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(refused(
                shown,
                "it is a symbolic link to a file that does not exist",
                Some("archlint writes through a link only to an existing file".into()),
            ));
        }
        Err(e) => return Err(write_err(shown)(e)),
    };
    // `/dev/stdout` on a pipe leads to `pipe:[…]`, which has no path; it needs none
    // unless the link is inside a repository or the file must be replaced by rename.
    let real = fs::canonicalize(path).ok();
    stays_inside(shown, repo.as_deref(), real.as_deref())?;
    match real {
        Some(real) => classify(shown, real, &meta, mode),
        None if !meta.is_file() => classify(shown, path.to_path_buf(), &meta, mode),
        None => Err(refused(
            shown,
            "it is a symbolic link, and the file it leads to has no path",
            None,
        )),
    }
}

/// The target for an existing file of type `meta` at `at`.
fn classify(shown: &Path, at: PathBuf, meta: &fs::Metadata, mode: Mode) -> Result<Target> {
    let kind = meta.file_type();
    if kind.is_dir() {
        return Err(refused(shown, "it is a directory", None));
    }
    let stream = stream_kind(&kind);
    if !kind.is_file() && stream.is_none() {
        return Err(refused(
            shown,
            "it is not a regular file, FIFO or character device",
            None,
        ));
    }
    if mode == Mode::Create {
        return Err(Error::Exists {
            path: shown.to_path_buf(),
        });
    }
    Ok(match stream {
        Some(fifo) => Target::Stream(at, fifo),
        None => Target::File(at, meta.permissions()),
    })
}

/// `Some(true)` for a FIFO, `Some(false)` for a character device.
#[cfg(unix)]
fn stream_kind(kind: &fs::FileType) -> Option<bool> {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        Some(true)
    } else if kind.is_char_device() {
        Some(false)
    } else {
        None
    }
}

#[cfg(not(unix))]
fn stream_kind(_: &fs::FileType) -> Option<bool> {
    None
}

/// Refuse when `path` lies in repository `repo` as written but `real` (where it really
/// is) does not. Nothing to check outside a repository; an unknown `real` inside one
/// is refused, since nobody can tell where the write would go.
fn stays_inside(shown: &Path, repo: Option<&Path>, real: Option<&Path>) -> Result<()> {
    let Some(repo) = repo else { return Ok(()) };
    if real.is_some_and(|r| r.starts_with(repo)) {
        return Ok(());
    }
    Err(refused(
        shown,
        format!(
            "a symbolic link on the way leads out of the repository `{}`",
            repo.display()
        ),
        Some(
            "a link inside a repository may lead only to a file inside it; \
             name the file the link leads to, or a path outside the repository"
                .into(),
        ),
    ))
}

/// The repository `path` lies in as written, canonical: the nearest folder above it
/// holding `.git`, looked for from the top down and never past a symbolic link below a
/// repository's root (such a link is repository content: what is checked, never where
/// a repository starts). Links above the root (`/tmp -> /private/tmp`) are the
/// system's own.
fn repository(path: &Path) -> Option<PathBuf> {
    let mut root = None;
    let mut prefix = PathBuf::new();
    for c in path.parent()?.components() {
        prefix.push(c);
        let is_link = || fs::symlink_metadata(&prefix).is_ok_and(|m| m.file_type().is_symlink());
        if root.is_some() && is_link() {
            break;
        }
        if fs::symlink_metadata(prefix.join(".git")).is_ok() {
            root = Some(prefix.clone());
        }
    }
    fs::canonicalize(root?).ok()
}

/// Where the folder of `path` really is: its nearest existing ancestor resolved, and
/// the folders still to be created below it. Its file name is left out: `path` itself
/// is not a link when this is asked.
fn real_folder(path: &Path) -> Option<PathBuf> {
    let parent = path.parent()?;
    let mut missing = Vec::new();
    for dir in parent.ancestors() {
        if let Ok(real) = fs::canonicalize(dir) {
            return Some(missing.iter().rev().fold(real, |p, c| p.join(c)));
        }
        missing.push(dir.file_name()?);
    }
    None
}

/// `path` made absolute against the working directory, with `.` and `..` taken away
/// as written: `-o ../x.json` from a repository's root names a file outside it.
fn absolute(path: &Path) -> PathBuf {
    let joined = match std::env::current_dir() {
        Ok(cwd) if path.is_relative() => cwd.join(path),
        _ => path.to_path_buf(),
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// Write a temporary file beside `at`, then rename it to `at`: over the regular file
/// there when `perms` (its mode, kept), or only if nothing is there yet (otherwise
/// [`Error::Exists`]).
fn replace(shown: &Path, at: &Path, bytes: &[u8], perms: Option<fs::Permissions>) -> Result<()> {
    let err = write_err(shown);
    let dir = match at.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    // Like ruff's `--output-file`: the folder is created when missing.
    fs::create_dir_all(dir).map_err(&err)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".archlint-");
    // tempfile makes private (0600) files; a new document or report is created like
    // any other file, with 0666 less the umask.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(dir).map_err(&err)?;
    tmp.write_all(bytes).map_err(&err)?;
    if let Some(perms) = &perms {
        tmp.as_file().set_permissions(perms.clone()).map_err(&err)?;
    }
    tmp.as_file().sync_all().map_err(&err)?;
    // On failure the temporary file is removed and the old file is left untouched.
    let persisted = match perms {
        Some(_) => tmp.persist(at),
        None => tmp.persist_noclobber(at),
    };
    match persisted {
        Ok(_) => Ok(()),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Err(Error::Exists {
            path: shown.to_path_buf(),
        }),
        Err(e) => Err(err(e.error)),
    }
}

/// Write into the FIFO (`fifo`) or character device at `at`, which stays as it is.
#[cfg(unix)]
fn write_in_place(shown: &Path, at: &Path, fifo: bool, bytes: &[u8]) -> Result<()> {
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    use std::os::unix::io::AsRawFd;

    let err = write_err(shown);
    // Not O_CREAT or O_TRUNC: nothing is made or cut. O_NONBLOCK: opening a FIFO that
    // no process reads fails (ENXIO) instead of waiting for a reader.
    let file = fs::OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(at)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ENXIO) if fifo => refused(
                shown,
                "it is a FIFO and no process is reading it",
                Some("start the process that reads the FIFO first".into()),
            ),
            _ => err(e),
        })?;
    // What was opened, not what was looked at: a regular file put there meanwhile
    // would be overwritten in place, without the rename's safety.
    let kind = file.metadata().map_err(&err)?.file_type();
    if !(kind.is_fifo() || kind.is_char_device()) {
        return Err(refused(shown, "it changed while archlint opened it", None));
    }
    // Blocking again, so that a full pipe waits for its reader rather than failing.
    let fd = file.as_raw_fd();
    // SAFETY: fcntl on a descriptor this function owns, only reading and setting the
    // file status flags.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    // SAFETY: as above.
    if flags == -1 || unsafe { libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) } == -1 {
        return Err(err(std::io::Error::last_os_error()));
    }
    (&file).write_all(bytes).map_err(&err)?;
    (&file).flush().map_err(&err)
}

#[cfg(not(unix))]
fn write_in_place(shown: &Path, _: &Path, _: bool, _: &[u8]) -> Result<()> {
    Err(refused(shown, "it is not a regular file", None))
}

#[cfg(all(test, unix))]
#[allow(clippy::unwrap_used)] // a test fails by panicking
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(p: &std::path::Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn new_files_follow_the_umask_and_replaced_files_keep_their_mode() {
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("new.md");
        super::write(&new, b"x").unwrap();
        // Whatever the umask, not tempfile's private 0600 unless the umask says so.
        let probe = dir.path().join("probe");
        std::fs::write(&probe, b"").unwrap();
        assert_eq!(mode(&new), mode(&probe));
        let old = dir.path().join("old.md");
        std::fs::write(&old, b"old").unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o640)).unwrap();
        super::write(&old, b"new").unwrap();
        assert_eq!(mode(&old), 0o640);
        assert_eq!(std::fs::read(&old).unwrap(), b"new");
    }

    #[test]
    fn create_never_replaces_and_force_replaces_only_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        create(&p, b"one", false).unwrap();
        assert!(matches!(
            create(&p, b"two", false),
            Err(Error::Exists { .. })
        ));
        assert_eq!(std::fs::read(&p).unwrap(), b"one");
        create(&p, b"two", true).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert!(matches!(
            create(dir.path(), b"x", true),
            Err(Error::WriteRefused { .. })
        ));
    }

    #[test]
    fn the_repository_is_found_from_the_top_and_not_through_a_link_below_it() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().canonicalize().unwrap();
        let repo = top.join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        let other = top.join("other");
        std::fs::create_dir_all(other.join("sub/.git")).unwrap();
        std::os::unix::fs::symlink(&other, repo.join("linked")).unwrap();
        assert_eq!(repository(&repo.join("x.json")), Some(repo.clone()));
        // `linked/sub` holds a `.git` through the link: still `repo`'s content.
        assert_eq!(
            repository(&repo.join("linked/sub/x.json")),
            Some(repo.clone())
        );
        assert_eq!(repository(&top.join("x.json")), None);
        assert_eq!(absolute(&repo.join("a/../../x.json")), top.join("x.json"));
    }
}
