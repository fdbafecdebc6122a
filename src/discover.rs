//! Which files a run checks: explicit files always; directories walked with
//! .gitignore respected and filtered by the include/exclude globs. Sorted output.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::{Error, Result};

/// A document to check: where it is, and the name to report it under.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Target {
    pub path: PathBuf,
    pub display: String,
}

/// Expand the command line's paths into documents. `-` is handled by the caller.
pub fn targets(paths: &[PathBuf], config: &Config, cwd: &Path) -> Result<Vec<Target>> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => Error::NotFound { path: p.clone() },
            _ => Error::Read {
                path: p.clone(),
                source,
            },
        })?;
        if meta.is_dir() {
            walk(&cwd.join(p), config, cwd, &mut out)?;
        } else {
            out.push(Target {
                path: cwd.join(p),
                display: display(p, cwd),
            });
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn walk(dir: &Path, config: &Config, cwd: &Path, out: &mut Vec<Target>) -> Result<()> {
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .require_git(false)
        .follow_links(false)
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            // A loop or an unreadable folder is skipped, not fatal: say so and go on.
            Err(e) => {
                eprintln!(
                    "archlint: warning: skipping part of `{}`: {e}",
                    dir.display()
                );
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        let rel = path.strip_prefix(dir).unwrap_or(path);
        let rel_to_base = path.strip_prefix(&config.base).unwrap_or(rel);
        let included = config.include.is_match(rel) || config.include.is_match(rel_to_base);
        let excluded = config.exclude.is_match(rel) || config.exclude.is_match(rel_to_base);
        if included && !excluded {
            out.push(Target {
                path: path.to_path_buf(),
                display: display(path, cwd),
            });
        }
    }
    Ok(())
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
