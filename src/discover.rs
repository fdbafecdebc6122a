//! Which files a run checks: explicit files always; directories walked with
//! .gitignore respected and filtered by the include/exclude globs.
//!
//! Directories are walked by the `ignore` crate's parallel walker, and each document
//! is handed to the caller on the walker thread that found it: checking starts with
//! the first document found and the walk never holds a core idle. The order in which
//! documents arrive is not defined; callers sort what they keep.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::{Error, Result};

/// A document to check: where it is, and the name to report it under.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Target {
    pub path: PathBuf,
    pub display: String,
}

impl Target {
    /// A key whose byte order is the targets' order (`Ord`: by path, component by
    /// component, then by display name), made once per target so that sorting a
    /// run's thousands of documents compares bytes instead of parsing paths into
    /// components at every comparison. Each component is its kind (in `Component`'s
    /// order) then its bytes then a NUL, which no component holds.
    pub fn order_key(&self) -> (Vec<u8>, String) {
        use std::path::Component;
        let mut key = Vec::with_capacity(self.path.as_os_str().len() + 16);
        for c in self.path.components() {
            key.push(match c {
                Component::Prefix(_) => 0,
                Component::RootDir => 1,
                Component::CurDir => 2,
                Component::ParentDir => 3,
                Component::Normal(_) => 4,
            });
            key.extend_from_slice(c.as_os_str().as_encoded_bytes());
            key.push(0);
        }
        (key, self.display.clone())
    }
}

/// The command line's paths, checked to exist before any work starts.
#[derive(Debug, Default)]
pub struct Inputs {
    /// Files named explicitly: checked whatever their name.
    pub files: Vec<Target>,
    /// Folders to walk, absolute.
    pub dirs: Vec<PathBuf>,
}

/// Sort the command line's paths into files and folders. `-` is handled by the
/// caller. A path that does not exist or cannot be read stops the run here, before
/// anything is checked.
pub fn inputs(paths: &[PathBuf], cwd: &Path) -> Result<Inputs> {
    let mut out = Inputs::default();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => Error::NotFound { path: p.clone() },
            _ => Error::Read {
                path: p.clone(),
                source,
            },
        })?;
        if meta.is_dir() {
            // `.` components dropped, so messages name `/repo/docs/x.md`, not `/repo/./docs/x.md`.
            out.dirs.push(cwd.join(p).components().collect());
        } else {
            out.files.push(Target {
                path: cwd.join(p),
                display: display(p, cwd),
            });
        }
    }
    Ok(out)
}

/// Hand every document under `dir` to `visit`, from `threads` walker threads, as it
/// is found.
pub fn walk(
    dir: &Path,
    config: &Config,
    cwd: &Path,
    threads: usize,
    visit: &(dyn Fn(Target) + Sync),
) {
    // The walk goes by the short path (see `syspath`); each document found is named
    // by its absolute path again.
    let sys_dir = crate::syspath::short(dir);
    let shortened = sys_dir != dir;
    let walker = ignore::WalkBuilder::new(sys_dir)
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .require_git(false)
        .follow_links(false)
        .threads(threads.max(1))
        .build_parallel();
    // Globs match paths relative to the walked folder and to the configuration's
    // folder; usually they are the same folder, and one match does.
    let base_rel = dir.strip_prefix(&config.base).ok();
    walker.run(|| {
        Box::new(move |entry| {
            let entry = match entry {
                Ok(e) => e,
                // A loop or an unreadable folder is skipped, not fatal: say so and go on.
                Err(e) => {
                    eprintln!(
                        "archlint: warning: skipping part of `{}`: {e}",
                        dir.display()
                    );
                    return ignore::WalkState::Continue;
                }
            };
            if entry.file_type().is_some_and(|t| t.is_file()) {
                let path = match entry.path().strip_prefix(sys_dir) {
                    Ok(rel) if shortened => dir.join(rel),
                    _ => entry.into_path(),
                };
                if selected(&path, dir, base_rel, config) {
                    visit(Target {
                        display: display(&path, cwd),
                        path,
                    });
                }
            }
            ignore::WalkState::Continue
        })
    });
}

/// Whether the include globs take `path` (found under `dir`) and the exclude globs
/// leave it.
fn selected(path: &Path, dir: &Path, base_rel: Option<&Path>, config: &Config) -> bool {
    let rel = path.strip_prefix(dir).unwrap_or(path);
    let rel_to_base = match base_rel {
        Some(b) if b.as_os_str().is_empty() => None,
        _ => Some(path.strip_prefix(&config.base).unwrap_or(rel)),
    };
    let matches =
        |set: &globset::GlobSet| set.is_match(rel) || rel_to_base.is_some_and(|r| set.is_match(r));
    matches(&config.include) && !matches(&config.exclude)
}

/// The path as the user should see it: relative to the working directory when it is
/// below it, as given otherwise.
pub fn display(path: &Path, cwd: &Path) -> String {
    let shown = if path.is_absolute() {
        path.strip_prefix(cwd).unwrap_or(path)
    } else {
        path.strip_prefix("./").unwrap_or(path)
    };
    if shown.as_os_str().is_empty() {
        return ".".into();
    }
    shown.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn order_keys_sort_as_targets_do(
            a in proptest::collection::vec(
                proptest::sample::select(vec!["/", "a", "a-b", "a.md", "b", ".", "..", "A", "é", "!"]),
                0..5,
            ),
            b in proptest::collection::vec(
                proptest::sample::select(vec!["/", "a", "a-b", "a.md", "b", ".", "..", "A", "é", "!"]),
                0..5,
            ),
            names in (proptest::sample::select(vec!["x", "y"]), proptest::sample::select(vec!["x", "y"])),
        ) {
            let target = |parts: &[&str], name: &str| Target {
                path: PathBuf::from(parts.concat()),
                display: name.to_string(),
            };
            let (a, b) = (target(&a, names.0), target(&b, names.1));
            proptest::prop_assert_eq!(a.order_key().cmp(&b.order_key()), a.cmp(&b), "{:?} {:?}", a, b);
        }
    }
}
