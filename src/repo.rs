//! The repository a document lives in: its root (nearest `.git`) and the document's
//! folder, against which references resolve.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Repo {
    /// The nearest ancestor of the document holding `.git`; the document's folder without one.
    pub root: PathBuf,
    /// The folder holding the document.
    pub doc_dir: PathBuf,
}

impl Repo {
    /// The repository of the document at `path` (which need not exist, for stdin).
    pub fn for_document(path: &Path) -> Repo {
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let doc_dir = abs
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let root = find_root(&doc_dir).unwrap_or_else(|| doc_dir.clone());
        Repo { root, doc_dir }
    }
}

/// The nearest ancestor holding `.git` (a folder or a file, as in worktrees).
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}
