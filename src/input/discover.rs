//! Which files a run checks: explicit files always; directories walked with
//! .gitignore respected and filtered by the include/exclude globs.
//!
//! Directories are walked by the `ignore` crate's parallel walker, and each document
//! is handed to the caller on the walker thread that found it: checking starts with
//! the first document found and the walk never holds a core idle. The order in which
//! documents arrive is not defined; callers sort what they keep.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::error::{Error, Result};
use crate::input::config::Config;

/// A document to check: where it is, and the name to report it under.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
        let meta =
            std::fs::metadata(crate::fs::syspath::short(&cwd.join(p))).map_err(|source| {
                match source.kind() {
                    std::io::ErrorKind::NotFound => Error::NotFound { path: p.clone() },
                    _ => Error::Read {
                        path: p.clone(),
                        source,
                    },
                }
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

/// What a walk of one folder came to.
#[derive(Debug, Default)]
pub struct Walked {
    /// Documents handed to the visitor.
    pub found: usize,
    /// Parts of the folder that could not be read: each makes the run exit 2.
    pub errors: Vec<Error>,
    /// Malformed lines of ignore files, for the caller to show as warnings.
    pub warnings: Vec<String>,
}

/// Hand every document under `dir` to `visit`, from `threads` walker threads, as it
/// is found. With `no_ignore`, ignore files (.gitignore, .ignore, git's exclude
/// files) leave nothing out; hidden files and folders are skipped either way.
pub fn walk(
    dir: &Path,
    config: &Config,
    cwd: &Path,
    threads: usize,
    no_ignore: bool,
    visit: &(dyn Fn(Target) + Sync),
) -> Walked {
    // The walk goes by the short path (see `syspath`); each document found is named
    // by its absolute path again.
    let sys_dir = crate::fs::syspath::short(dir);
    let shortened = sys_dir != dir;
    // Globs match paths relative to the walked folder and to the configuration's
    // folder; usually they are the same folder, and one match does.
    let base_rel = dir.strip_prefix(&config.base).ok().map(Path::to_path_buf);
    let reach = Reach::of(&config.include_globs);
    let walker = ignore::WalkBuilder::new(sys_dir)
        .hidden(true)
        .ignore(!no_ignore)
        .git_ignore(!no_ignore)
        .git_global(!no_ignore)
        .git_exclude(!no_ignore)
        .parents(!no_ignore)
        .require_git(false)
        .follow_links(false)
        .threads(threads.max(1))
        .filter_entry({
            let sys_dir = sys_dir.to_path_buf();
            let base_rel = base_rel.clone();
            move |e| {
                !e.file_type().is_some_and(|t| t.is_dir())
                    || e.depth() == 0
                    || crate::fs::syspath::strip(e.path(), &sys_dir).is_none_or(|rel| {
                        reach.may_hold(rel)
                            || base_rel
                                .as_ref()
                                .is_some_and(|b| reach.may_hold(&b.join(rel)))
                    })
            }
        })
        .build_parallel();
    let base_rel = base_rel.as_deref();
    let found = AtomicUsize::new(0);
    let errors = Mutex::new(Vec::new());
    let warnings = Mutex::new(Vec::new());
    walker.run(|| {
        Box::new(|entry| {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    walk_error(dir, e, &errors, &warnings);
                    return ignore::WalkState::Continue;
                }
            };
            if entry.file_type().is_some_and(|t| t.is_file()) {
                let path = match crate::fs::syspath::strip(entry.path(), sys_dir) {
                    Some(rel) if shortened => dir.join(rel),
                    _ => entry.into_path(),
                };
                if selected(&path, dir, base_rel, config) {
                    found.fetch_add(1, Ordering::Relaxed);
                    visit(Target {
                        display: display(&path, cwd),
                        path,
                    });
                }
            }
            ignore::WalkState::Continue
        })
    });
    let mut errors = errors.into_inner().unwrap_or_else(|p| p.into_inner());
    errors.sort_by_cached_key(|e| e.to_string());
    let mut warnings = warnings.into_inner().unwrap_or_else(|p| p.into_inner());
    warnings.sort();
    warnings.dedup();
    Walked {
        found: found.into_inner(),
        errors,
        warnings,
    }
}

/// Which folders can hold a document the include globs take: those on the way to, or
/// below, the literal folders a glob starts with (`docs/adr` for `docs/adr/*.md`). A
/// glob that starts with a pattern (`**/ARCHITECTURE.md`) can match anywhere, and then
/// every folder is walked. Folders nothing can match are not read at all, so a
/// configuration that names `docs/**` costs the walk of `docs`, not of the repository.
#[derive(Debug, Clone)]
struct Reach {
    /// The literal leading folders of each glob; `None` when some glob may match
    /// anywhere.
    prefixes: Option<Vec<Vec<String>>>,
}

impl Reach {
    fn of(globs: &[String]) -> Reach {
        let mut prefixes = Vec::new();
        for g in globs {
            let parts: Vec<&str> = g.split('/').collect();
            // The last part names files; a glob's folders are the parts before it.
            let folders = &parts[..parts.len().saturating_sub(1)];
            let literal: Vec<String> = folders
                .iter()
                .take_while(|p| {
                    !matches!(**p, "" | "." | "..") && !p.contains(['*', '?', '[', '{', '\\'])
                })
                .map(|p| p.to_string())
                .collect();
            if literal.is_empty() {
                return Reach { prefixes: None };
            }
            prefixes.push(literal);
        }
        Reach {
            prefixes: Some(prefixes),
        }
    }

    /// Whether the folder `rel` (relative to where the globs are matched) may hold a
    /// document, or lead to one.
    fn may_hold(&self, rel: &Path) -> bool {
        let Some(prefixes) = &self.prefixes else {
            return true;
        };
        // A name that is not UTF-8 is walked: no glob written in a TOML string names it,
        // but a `*` may.
        let Some(parts) = rel
            .components()
            .map(|c| match c {
                std::path::Component::Normal(n) => n.to_str(),
                _ => None,
            })
            .collect::<Option<Vec<&str>>>()
        else {
            return true;
        };
        prefixes.iter().any(|p| {
            let n = p.len().min(parts.len());
            p[..n].iter().zip(&parts[..n]).all(|(a, b)| a == b)
        })
    }
}

/// A folder or file the walk could not read fails the run; a malformed line in an
/// ignore file is only a warning, as it is to git.
fn walk_error(
    dir: &Path,
    e: ignore::Error,
    errors: &Mutex<Vec<Error>>,
    warnings: &Mutex<Vec<String>>,
) {
    if e.io_error().is_some() {
        let message = format!(
            "cannot read part of `{}`: {}",
            crate::report::escape::terminal(&dir.display().to_string()),
            crate::report::escape::terminal(&e.to_string())
        );
        errors
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Error::Walk { message });
    } else {
        let warning = format!(
            "in `{}`: {}",
            crate::report::escape::terminal(&dir.display().to_string()),
            crate::report::escape::terminal(&e.to_string())
        );
        warnings
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(warning);
    }
}

/// Why a walk of `dir` found no document, and how to widen it: a second walk with no
/// filters looks at what the first one left out. It runs only when nothing was found,
/// and stops after [`EXPLAIN_LIMIT`] entries.
pub fn explain_empty(dir: &Path, config: &Config, cwd: &Path, no_ignore: bool) -> Error {
    const EXPLAIN_LIMIT: usize = 100_000;
    let shown = display(dir, cwd);
    let base_rel = dir.strip_prefix(&config.base).ok();
    let (mut ignored, mut excluded, mut hidden, mut other) =
        (Vec::new(), Vec::new(), 0, Vec::new());
    let walker = ignore::WalkBuilder::new(crate::fs::syspath::short(dir))
        .standard_filters(false)
        .follow_links(false)
        .build();
    for entry in walker.take(EXPLAIN_LIMIT).flatten() {
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = dir.join(
            entry
                .path()
                .strip_prefix(crate::fs::syspath::short(dir))
                .unwrap_or(entry.path()),
        );
        let rel = path.strip_prefix(dir).unwrap_or(&path);
        let is_hidden = rel
            .components()
            .any(|c| c.as_os_str().as_encoded_bytes().starts_with(b"."));
        if selected(&path, dir, base_rel, config) {
            if is_hidden {
                hidden += 1;
            } else if !no_ignore {
                ignored.push(path);
            }
        } else if is_hidden {
            continue;
        } else if included(&path, dir, base_rel, config) {
            excluded.push(path);
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
        {
            other.push(path);
        }
    }
    let quote = |globs: &[String]| {
        globs
            .iter()
            .map(|g| format!("`{}`", crate::report::escape::terminal(g)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let example = |paths: &[PathBuf]| {
        paths
            .iter()
            .min()
            .map(|p| crate::report::escape::terminal(&display(p, cwd)).into_owned())
            .unwrap_or_default()
    };
    let config_name = config.path.as_ref().map_or_else(
        || "archlint.toml".to_string(),
        |p| crate::report::escape::terminal(&display(p, cwd)).into_owned(),
    );
    let (why, help) = if !ignored.is_empty() {
        let first = ignored.iter().min().cloned().unwrap_or_default();
        let rule = match ignore_rule(&first) {
            Some((file, pattern)) => format!(
                " (`{}` in `{}`)",
                crate::report::escape::terminal(&pattern),
                crate::report::escape::terminal(&display(&file, cwd))
            ),
            None => String::new(),
        };
        (
            format!(
                "{} left out by ignore rules, e.g. `{}`{rule}",
                count(ignored.len(), "document is", "documents are"),
                example(&ignored),
            ),
            "pass --no-ignore to check documents that .gitignore leaves out".to_string(),
        )
    } else if !excluded.is_empty() {
        (
            format!(
                "{} excluded by `exclude` ({}) in `{config_name}`, e.g. `{}`",
                count(excluded.len(), "document is", "documents are"),
                quote(&config.exclude_globs),
                example(&excluded),
            ),
            "name the document on the command line, or narrow `exclude`".to_string(),
        )
    } else if hidden > 0 {
        (
            format!(
                "{} only in hidden files or folders (names starting with `.`), which are skipped",
                count(hidden, "document is", "documents are"),
            ),
            "name the document on the command line".to_string(),
        )
    } else {
        let others = if other.is_empty() {
            String::new()
        } else {
            format!(
                "; {} found, e.g. `{}`",
                count(
                    other.len(),
                    "other Markdown file was",
                    "other Markdown files were"
                ),
                example(&other),
            )
        };
        (
            format!(
                "no file matches the include globs {}{others}",
                quote(&config.include_globs)
            ),
            format!(
                "name a document on the command line, or widen `include` in `{config_name}` \
                 (e.g. `include = [\"**/*.md\"]`)"
            ),
        )
    };
    Error::NoDocuments {
        path: crate::report::escape::terminal(&shown).into_owned(),
        why,
        help: Some(help),
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The ignore rule that leaves `path` out, and the file it is written in: the closest
/// `.ignore`, `.gitignore` or `.git/info/exclude` first, up to the repository root.
fn ignore_rule(path: &Path) -> Option<(PathBuf, String)> {
    let root = crate::fs::repo::find_root(path.parent()?);
    for dir in path.ancestors().skip(1) {
        for name in [".ignore", ".gitignore", ".git/info/exclude"] {
            let file = dir.join(name);
            if !file.is_file() {
                continue;
            }
            let mut builder = ignore::gitignore::GitignoreBuilder::new(dir);
            if builder.add(&file).is_some() {
                continue;
            }
            let Ok(matcher) = builder.build() else {
                continue;
            };
            if let ignore::Match::Ignore(glob) = matcher.matched_path_or_any_parents(path, false) {
                return Some((file, glob.original().to_string()));
            }
        }
        if root.as_deref() == Some(dir) {
            break;
        }
    }
    None
}

/// Whether the include globs take `path` (found under `dir`) and the exclude globs
/// leave it.
fn selected(path: &Path, dir: &Path, base_rel: Option<&Path>, config: &Config) -> bool {
    matches(path, dir, base_rel, &config.include, config)
        && !matches(path, dir, base_rel, &config.exclude, config)
}

/// Whether the include globs take `path`, whatever the exclude globs say.
fn included(path: &Path, dir: &Path, base_rel: Option<&Path>, config: &Config) -> bool {
    matches(path, dir, base_rel, &config.include, config)
}

fn matches(
    path: &Path,
    dir: &Path,
    base_rel: Option<&Path>,
    set: &globset::GlobSet,
    config: &Config,
) -> bool {
    use crate::fs::syspath::strip;
    let rel = strip(path, dir).unwrap_or(path);
    let rel_to_base = match base_rel {
        Some(b) if b.as_os_str().is_empty() => None,
        _ => Some(strip(path, &config.base).unwrap_or(rel)),
    };
    set.is_match(rel) || rel_to_base.is_some_and(|r| set.is_match(r))
}

/// The path as the user should see it: relative to the working directory when it is
/// below it, as given otherwise.
pub fn display(path: &Path, cwd: &Path) -> String {
    let shown = if path.is_absolute() {
        crate::fs::syspath::strip(path, cwd).unwrap_or(path)
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

    #[test]
    fn the_walk_enters_only_folders_an_include_glob_can_reach() {
        let globs = |g: &[&str]| Reach::of(&g.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        let adr = globs(&["docs/adr/*.md", "services/*/ARCHITECTURE.md"]);
        for (dir, expected) in [
            ("docs", true),
            ("docs/adr", true),
            ("docs/adr/old", true),
            ("docs/guides", false),
            ("services", true),
            ("services/pay", true),
            ("apps", false),
            ("crates/x", false),
        ] {
            assert_eq!(adr.may_hold(Path::new(dir)), expected, "{dir}");
        }
        // A glob that may match anywhere walks everything.
        for g in [
            &["**/ARCHITECTURE.md"][..],
            &["ARCHITECTURE.md"],
            &["*/x.md"],
            &["../docs/*.md"],
            &["./docs/*.md"],
        ] {
            assert!(globs(g).may_hold(Path::new("apps/deep")), "{g:?}");
        }
    }

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
