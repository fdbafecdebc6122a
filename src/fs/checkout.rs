//! What a repository's checkout may lack though the repository has it: the folders of
//! its git submodules (empty until `git submodule update`) and the paths its
//! `.gitignore` files keep out of git (built, generated or local files). A mention of
//! such a path cannot be judged from the checkout.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::fs::system::FileSystem;

/// The most of `.gitmodules` or a `.gitignore` read: a hand-written file is far
/// smaller.
const MAX_BYTES: usize = 256 * 1024;

/// A repository root's submodule folders, and the ignore rules of its folders, each
/// folder's read on first use.
pub struct Checkout {
    root: PathBuf,
    sys: Arc<dyn FileSystem>,
    /// Submodule folders, relative to the root, `/`-separated, without a trailing `/`.
    submodules: Vec<String>,
    /// Each folder's `.gitignore` (by its path relative to the root, `""` for the
    /// root), `None` where it has none.
    ignores: RwLock<HashMap<String, Option<Arc<Gitignore>>>>,
}

impl std::fmt::Debug for Checkout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checkout")
            .field("root", &self.root)
            .field("submodules", &self.submodules)
            .finish()
    }
}

impl Checkout {
    /// The checkout at `root`, its files read through `sys` (regular files only, a
    /// bounded head of each): a file that is missing says nothing.
    pub fn new(root: &Path, sys: Arc<dyn FileSystem>) -> Checkout {
        let submodules = sys
            .read_head(&root.join(".gitmodules"), MAX_BYTES)
            .map(|text| submodule_paths(&text))
            .unwrap_or_default();
        Checkout {
            root: root.to_path_buf(),
            sys,
            submodules,
            ignores: RwLock::default(),
        }
    }

    /// Whether `rel` (relative to the root, `/`-separated) lies in a submodule's
    /// folder, or is kept out of git by a `.gitignore` of the root or of a folder
    /// above it (`dir`: written as a folder). The nearest file that decides wins, as
    /// in git. `has_ignore` says whether a folder (relative to the root, `""` for the
    /// root) holds a `.gitignore`, and `None` when it is no real folder inside the
    /// root reached without a symbolic link (so none below it is either): only such a
    /// folder's file is read, so that no link leads the read out of the repository,
    /// and a folder without one costs no read.
    pub fn lacks(&self, rel: &str, dir: bool, has_ignore: &dyn Fn(&str) -> Option<bool>) -> bool {
        let rel = rel.trim_end_matches('/');
        if rel.is_empty() || rel.split('/').any(|c| c == "..") {
            return false;
        }
        if self.lacks_submodule(rel) {
            return true;
        }
        // The folders above `rel` that hold a `.gitignore`, from the root down, as far
        // as they exist.
        let mut with_ignore = Vec::new();
        let above = std::iter::once("").chain(rel.match_indices('/').map(|(i, _)| &rel[..i]));
        for folder in above {
            match has_ignore(folder) {
                None => break,
                Some(true) => with_ignore.push(folder),
                Some(false) => {}
            }
        }
        // The nearest file that decides wins.
        for folder in with_ignore.into_iter().rev() {
            let Some(ignore) = self.ignore_of(folder) else {
                continue;
            };
            let m = ignore.matched_path_or_any_parents(self.root.join(rel), dir);
            if m.is_ignore() {
                return true;
            }
            if m.is_whitelist() {
                return false;
            }
        }
        false
    }

    /// Whether `rel` lies in a submodule's folder.
    pub fn lacks_submodule(&self, rel: &str) -> bool {
        let rel = rel.trim_end_matches('/');
        self.submodules.iter().any(|s| {
            rel.strip_prefix(s.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    }

    /// The `.gitignore` of `folder` (relative to the root), read once.
    fn ignore_of(&self, folder: &str) -> Option<Arc<Gitignore>> {
        if let Some(g) = self.ignores.read().ok()?.get(folder) {
            return g.clone();
        }
        let dir = if folder.is_empty() {
            self.root.clone()
        } else {
            self.root.join(folder)
        };
        let g = self
            .sys
            .read_head(&dir.join(".gitignore"), MAX_BYTES)
            .and_then(|text| {
                let mut b = GitignoreBuilder::new(&dir);
                for line in text.lines() {
                    // A line that is not a valid pattern is skipped, as git does.
                    let _ = b.add_line(None, line);
                }
                b.build().ok().map(Arc::new)
            });
        if let Ok(mut map) = self.ignores.write() {
            map.insert(folder.to_string(), g.clone());
        }
        g
    }
}

/// The `path = …` values of a `.gitmodules` file.
fn submodule_paths(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            let (key, value) = l.split_once('=')?;
            (key.trim() == "path").then(|| value.trim().trim_matches('/').to_string())
        })
        .filter(|p| !p.is_empty() && !p.starts_with('/') && !p.split('/').any(|c| c == ".."))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn submodules_and_ignored_paths_are_lacking() {
        let mut fs = crate::fs::system::MemoryFs::new();
        let root = Path::new("/repo");
        fs.file(
            root.join(".gitmodules"),
            "[submodule \"bench\"]\n\tpath = bench/tasks\n\turl = https://example.com/x\n",
        )
        .file(root.join(".gitignore"), "/results/\n*.log\n!keep.log\n")
        .file(root.join("evals/.gitignore"), "out\n!keep.log\n")
        .file(root.join("evals/run.ts"), "");
        let c = Checkout::new(root, Arc::new(fs));
        let yes = |f: &str| Some(f.is_empty() || f == "evals");
        let lacks = |rel: &str, dir: bool| c.lacks(rel, dir, &yes);
        assert!(lacks("bench/tasks", true));
        assert!(lacks("bench/tasks/a/b.json", false));
        assert!(!lacks("bench/tasks2/x", false));
        assert!(lacks("results/2026/report.json", false));
        assert!(
            !lacks("evals/results/x.json", false),
            "anchored at the root"
        );
        assert!(lacks("evals/out/2026/report.json", false));
        assert!(lacks("run.log", false));
        assert!(lacks("evals/run.log", false));
        assert!(!lacks("evals/keep.log", false), "the nearer file decides");
        assert!(!lacks("src/main.rs", false));
        assert!(!lacks("../x.log", false));
        // A folder that is not a real one of the root is not read.
        assert!(!c.lacks("evals/out/2026/report.json", false, &|f| f
            .is_empty()
            .then_some(true)));
    }
}
