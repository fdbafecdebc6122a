//! Paths that repository content names (a document's profile, `archlint.toml`'s
//! `profile`, an `extends`), resolved without leaving the repository.
//!
//! A pull request's author writes those names, and may commit symbolic links: a name
//! is resolved inside its repository root or refused, and resolving it reads nothing
//! outside the root. Each symlink on the way is read with `readlink` and its target
//! joined lexically, so a link to `/etc` is refused before anything below it is
//! looked at, and nothing outside the root is ever stat-ed or opened.

use std::path::{Component, Path, PathBuf};

/// Why a name could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// It leaves the repository, lexically or through a symlink.
    Outside,
    /// Nothing is there (inside the repository).
    Missing,
    /// A folder, FIFO, device or socket, or a symlink chain too long to follow.
    NotAFile,
}

/// The repository root that confines names written in the file at `file`: the
/// nearest ancestor of its folder holding `.git`, or that folder without one.
pub fn root_of(file: &Path) -> PathBuf {
    let dir = file.parent().unwrap_or(file);
    crate::fs::repo::find_root(dir).unwrap_or_else(|| dir.to_path_buf())
}

/// Resolve `name` (relative to `base`, or absolute) to a regular file inside `root`
/// (an absolute folder), following symlinks only while they stay inside it.
pub fn regular_file(root: &Path, base: &Path, name: &str) -> Result<PathBuf, Refused> {
    // Symlinks followed in one resolution, as the kernel's ELOOP limit.
    const MAX_LINKS: usize = 40;
    let root = crate::fs::syspath::normalize(root);
    let mut pending = crate::fs::syspath::normalize(&base.join(name));
    let mut links = 0;
    'restart: loop {
        let Ok(rel) = pending.strip_prefix(&root) else {
            return Err(Refused::Outside);
        };
        let rel = rel.to_path_buf();
        let mut cur = root.clone();
        let mut parts = rel.components().peekable();
        while let Some(part) = parts.next() {
            let Component::Normal(part) = part else {
                return Err(Refused::Outside);
            };
            let next = cur.join(part);
            let meta = match std::fs::symlink_metadata(crate::fs::syspath::short(&next)) {
                Ok(m) => m,
                Err(_) => return Err(Refused::Missing),
            };
            if meta.file_type().is_symlink() {
                links += 1;
                if links > MAX_LINKS {
                    return Err(Refused::NotAFile);
                }
                let target = std::fs::read_link(crate::fs::syspath::short(&next))
                    .map_err(|_| Refused::Missing)?;
                let mut joined = crate::fs::syspath::normalize(&cur.join(target));
                for rest in parts {
                    joined.push(rest);
                }
                pending = crate::fs::syspath::normalize(&joined);
                continue 'restart;
            }
            let last = parts.peek().is_none();
            if last && !meta.file_type().is_file() || !last && !meta.is_dir() {
                return Err(if last {
                    Refused::NotAFile
                } else {
                    Refused::Missing
                });
            }
            cur = next;
        }
        return Ok(cur);
    }
}

#[cfg(all(test, unix))]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn names_stay_inside_the_root() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.toml"), "x = 1\n").unwrap();
        let repo = tempfile::tempdir().unwrap();
        let root = repo.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join("a/p.toml"), "").unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("a/out")).unwrap();
        std::os::unix::fs::symlink("../p.toml", root.join("a/b/in.toml")).unwrap();
        std::os::unix::fs::symlink("/dev/null", root.join("a/null.toml")).unwrap();
        let base = root.join("a/b");
        let go = |name: &str| regular_file(&root, &base, name);
        assert_eq!(go("../p.toml"), Ok(root.join("a/p.toml")));
        assert_eq!(go("in.toml"), Ok(root.join("a/p.toml")));
        assert_eq!(go("../out/secret.toml"), Err(Refused::Outside));
        assert_eq!(go("../out/nothing.toml"), Err(Refused::Outside));
        assert_eq!(go("../../../../etc/passwd"), Err(Refused::Outside));
        assert_eq!(go("/etc/passwd"), Err(Refused::Outside));
        assert_eq!(go("../null.toml"), Err(Refused::Outside));
        assert_eq!(go("missing.toml"), Err(Refused::Missing));
        assert_eq!(go(".."), Err(Refused::NotAFile));
    }
}
