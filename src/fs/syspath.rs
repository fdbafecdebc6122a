//! Paths as archlint hands them to the operating system.
//!
//! archlint keeps absolute paths (the walk's folders, documents, referenced files) so
//! that the repository root, messages and SARIF locations never depend on how a path
//! was typed. The kernel resolves a path one component at a time, so a file reached by
//! its absolute path costs a lookup for every folder above the working directory, on
//! every `stat`, `open` and folder read (path lookup is the largest kernel cost in a
//! profile of a run; the shorter paths took about 1% off the benchmark's wall time). A
//! path below the working directory is therefore given to the system relative to it,
//! which names the same file as long as the process does not change directory
//! (archlint never does).

use std::path::{Component, Path, PathBuf};

/// The process's working directory as the system reported it, for shortening paths.
/// The repository cache's file system keeps one for its run; a caller that reads a
/// path once asks [`short`], which reads it afresh. No copy outlives its owner, so a
/// library user who changes directory between runs gets paths that name the files it
/// means.
#[derive(Debug, Clone, Default)]
pub struct WorkingDir(Option<PathBuf>);

impl WorkingDir {
    /// The working directory now.
    pub fn current() -> WorkingDir {
        WorkingDir(std::env::current_dir().ok())
    }

    /// `path` for a system call: relative to this directory when it is below it
    /// (`.` for the directory itself), unchanged otherwise.
    pub fn short<'p>(&self, path: &'p Path) -> &'p Path {
        short_in(path, self.0.as_deref())
    }
}

/// `path` for a system call, against the working directory as it is now (one
/// `getcwd`): for a path used once, such as a document's read.
pub fn short(path: &Path) -> &Path {
    WorkingDir::current().short(path)
}

fn short_in<'p>(path: &'p Path, cwd: Option<&Path>) -> &'p Path {
    let Some(cwd) = cwd else {
        return path;
    };
    match below(path, cwd) {
        Some(rel) if rel.as_os_str().is_empty() => Path::new("."),
        Some(rel) => rel,
        None => path,
    }
}

/// `path` after `dir` and the separators that follow, if it starts with `dir`'s bytes
/// up to a separator. Compared as bytes: this runs for every reference a document
/// makes, and `Path::strip_prefix` parses both paths into components. A `.` left in
/// the rest names the same file. Also how `repo` confines a path to a repository
/// root (both lexical there: no `.` or `..`).
#[cfg(unix)]
pub(crate) fn below<'p>(path: &'p Path, dir: &Path) -> Option<&'p Path> {
    use std::os::unix::ffi::OsStrExt;
    let (p, d) = (path.as_os_str().as_bytes(), dir.as_os_str().as_bytes());
    let d = d.strip_suffix(b"/").unwrap_or(d);
    let rest = p.strip_prefix(d)?;
    if !rest.is_empty() && rest[0] != b'/' {
        return None;
    }
    let start = rest.iter().position(|&b| b != b'/').unwrap_or(rest.len());
    Some(Path::new(std::ffi::OsStr::from_bytes(&rest[start..])))
}

#[cfg(not(unix))]
pub(crate) fn below<'p>(path: &'p Path, dir: &Path) -> Option<&'p Path> {
    path.strip_prefix(dir).ok()
}

/// `path.strip_prefix(dir)`, answered from the bytes when they settle it (the walk's
/// paths all start with its folder's, and component parsing cost a few thousand
/// instructions a file): a rest with a `.` part, which components would drop, goes
/// the component way.
pub(crate) fn strip<'p>(path: &'p Path, dir: &Path) -> Option<&'p Path> {
    match below(path, dir) {
        Some(rest) if !has_dot_part(rest) => Some(rest),
        _ => path.strip_prefix(dir).ok(),
    }
}

fn has_dot_part(rest: &Path) -> bool {
    rest.as_os_str()
        .to_str()
        .is_none_or(|r| r == "." || r.starts_with("./") || r.contains("/./") || r.ends_with("/."))
}

/// `path` with `.` and `..` applied lexically: `..` above the root stays at the root,
/// and one above the start of a relative path is kept. For configuration, profile and
/// report paths; a reference joined to a folder goes through `repo::join_lexically`,
/// which also refuses an absolute reference and has a byte-wise fast path.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() && !out.has_root() {
                    out.push(c);
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test fails by panicking
mod tests {
    use super::*;

    #[test]
    fn strip_answers_as_strip_prefix_does() {
        let cases = [
            ("/a/b/c.md", "/a/b"),
            ("/a/b/c.md", "/a/b/"),
            ("/a/bc/d.md", "/a/b"),
            ("/a/b", "/a/b"),
            ("/a/b//c.md", "/a/b"),
            ("/a/b/./c.md", "/a/b"),
            ("./docs/x.md", "."),
            ("docs/x.md", "docs"),
            ("/x/y.md", "/a"),
        ];
        for (p, d) in cases {
            assert_eq!(
                strip(Path::new(p), Path::new(d)),
                Path::new(p).strip_prefix(d).ok(),
                "{p} {d}"
            );
        }
    }

    #[test]
    fn below_the_working_directory_is_relative() {
        let cwd = Some(Path::new("/work/repo"));
        assert_eq!(
            short_in(Path::new("/work/repo/docs/a.md"), cwd),
            Path::new("docs/a.md")
        );
        assert_eq!(short_in(Path::new("/work/repo"), cwd), Path::new("."));
        assert_eq!(short_in(Path::new("/work/repo/"), cwd), Path::new("."));
        assert_eq!(
            short_in(Path::new("/work/repository/a.md"), cwd),
            Path::new("/work/repository/a.md")
        );
        assert_eq!(
            short_in(Path::new("/work/other/a.md"), cwd),
            Path::new("/work/other/a.md")
        );
        assert_eq!(
            short_in(Path::new("docs/a.md"), cwd),
            Path::new("docs/a.md")
        );
        assert_eq!(
            short_in(Path::new("/work/repo/a.md"), None),
            Path::new("/work/repo/a.md")
        );
        assert_eq!(
            short_in(Path::new("/work/repo//docs"), cwd),
            Path::new("docs")
        );
        let slash = Some(Path::new("/work/repo/"));
        assert_eq!(
            short_in(Path::new("/work/repo/a.md"), slash),
            Path::new("a.md")
        );
        let root = Some(Path::new("/"));
        assert_eq!(
            short_in(Path::new("/work/a.md"), root),
            Path::new("work/a.md")
        );
        assert_eq!(short_in(Path::new("/"), root), Path::new("."));
    }

    #[test]
    fn normalizing_stays_at_the_root() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
        assert_eq!(normalize(Path::new("/a/../../b")), PathBuf::from("/b"));
        assert_eq!(normalize(Path::new("/..")), PathBuf::from("/"));
        assert_eq!(normalize(Path::new("a/../../b")), PathBuf::from("../b"));
    }

    #[test]
    fn a_short_path_names_the_same_file() {
        let cwd = std::env::current_dir().unwrap();
        let file = cwd.join("Cargo.toml");
        let short = short(&file);
        assert!(short.is_relative(), "{short:?}");
        assert_eq!(std::fs::read(short).unwrap(), std::fs::read(&file).unwrap());
    }
}
