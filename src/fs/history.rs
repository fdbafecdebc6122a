//! A repository's git history, as `doc-drift` asks about it: for a path, the newest
//! commit that changed it. Read in-process with gix (no `git` is spawned), once per
//! repository per run, and only as far back as the questions need.
//!
//! The walk follows `HEAD`'s first parents, newest first, and diffs each commit's tree
//! with its first parent's: every change that reached the main line shows up there,
//! once, dated when it landed (a merge is dated by its own commit). The first commit
//! the walk meets for a path is its newest change. Dates are committer dates; the walk
//! stops going back once it reaches a commit older than the oldest date asked about,
//! so it assumes committer dates do not rise going back along the first parents (true
//! of histories made by merging and rebasing; a commit with a clock far ahead can
//! hide an older change).
//!
//! A shallow clone (the default of `actions/checkout`) ends at a boundary commit whose
//! parent is missing: its own changes cannot be told from the files it holds, so the
//! history is known only for changes after it, and a question about an earlier time
//! is answered [`Since::Unknown`] with the boundary's date, never guessed.
//!
//! Untrusted repositories: only a `.git` that is a real folder is opened (a `.git`
//! file or link could point at another repository on the machine), with gix's isolated
//! options (the repository's own configuration, no global or system one, no
//! environment), and only commits and trees are read, never a blob.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use gix::bstr::ByteSlice;
use gix::objs::FindExt;
use gix::ObjectId;
use gix_diff::tree::recorder::Change as Recorded;

/// A commit that changed a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The commit's id, abbreviated to 12 hexadecimal digits.
    pub commit: String,
    /// Its committer date, in seconds since the epoch (UTC).
    pub time: i64,
}

/// What the history says about a path after some time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Since {
    /// Its newest change is this one, after the time asked about.
    Changed(Change),
    /// Nothing changed it after the time asked about.
    Unchanged,
    /// The history this clone holds starts after the time asked about (a shallow
    /// clone, whose oldest commit is dated `horizon`), and nothing after `horizon`
    /// changed it.
    Unknown { horizon: i64 },
    /// The history could not be read (a broken object, say); the message says why.
    Unreadable(String),
}

/// The history of one repository, walked on demand and shared by the run's threads.
pub struct History {
    walk: Mutex<Walk>,
}

impl std::fmt::Debug for History {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("History").finish_non_exhaustive()
    }
}

/// How far the walk has come.
struct Walk {
    repo: gix::Repository,
    /// The next commit to diff, with its date, tree and first parent; `None` once the
    /// walk has ended.
    next: Option<Pending>,
    /// Each path's newest change among the commits walked.
    latest: HashMap<String, Change, foldhash::fast::RandomState>,
    /// Why the walk ended, once it has.
    end: Option<End>,
    /// The shallow clone's boundary commits, if it is one.
    shallow: Vec<ObjectId>,
    state: gix_diff::tree::State,
    buf_new: Vec<u8>,
    buf_old: Vec<u8>,
}

struct Pending {
    id: ObjectId,
    time: i64,
    tree: ObjectId,
    parent: Option<ObjectId>,
}

#[derive(Debug, Clone)]
enum End {
    /// The first commit of the history was walked.
    Root,
    /// A shallow clone's boundary commit, dated `horizon`, was reached.
    Shallow { horizon: i64 },
    /// A commit dated `at` could not be read or diffed: what it and older commits
    /// changed is unknown.
    Broken { at: i64, error: String },
}

impl History {
    /// The history of the repository whose work tree is `root`, if `root/.git` is a
    /// folder holding one with at least one commit.
    pub fn open(root: &Path) -> Option<History> {
        let git = std::fs::symlink_metadata(root.join(".git")).ok()?;
        if !git.is_dir() {
            return None;
        }
        let mut repo = gix::open_opts(root, gix::open::Options::isolated()).ok()?;
        repo.object_cache_size_if_unset(8 << 20);
        let head = repo.head_id().ok()?.detach();
        let shallow = repo
            .shallow_commits()
            .ok()
            .flatten()
            .map(|c| c.iter().copied().collect())
            .unwrap_or_default();
        let mut walk = Walk {
            repo,
            next: None,
            latest: HashMap::default(),
            end: None,
            shallow,
            state: Default::default(),
            buf_new: Vec::new(),
            buf_old: Vec::new(),
        };
        match walk.pending(head) {
            Ok(p) => walk.next = Some(p),
            Err(error) => {
                walk.end = Some(End::Broken {
                    at: i64::MAX,
                    error,
                })
            }
        }
        Some(History {
            walk: Mutex::new(walk),
        })
    }

    /// The newest change to `path` (a file or a folder, relative to the root, with
    /// `/` between its parts) made after `after`.
    pub fn changed_after(&self, path: &str, after: i64) -> Since {
        let mut w = self.lock();
        w.walk_back_to(after);
        let found = w.latest.get(path).filter(|c| c.time > after).cloned();
        w.answer(found, after)
    }

    /// The newest change after `after` to any path `matches` accepts (the globs of a
    /// document's `covers:`), and that path.
    pub fn changed_after_matching(
        &self,
        matches: &dyn Fn(&str) -> bool,
        after: i64,
    ) -> (Since, Option<String>) {
        let mut w = self.lock();
        w.walk_back_to(after);
        let found = w
            .latest
            .iter()
            .filter(|(p, c)| c.time > after && matches(p))
            .max_by(|(pa, a), (pb, b)| a.time.cmp(&b.time).then_with(|| pb.cmp(pa)))
            .map(|(p, c)| (p.clone(), c.clone()));
        let path = found.as_ref().map(|(p, _)| p.clone());
        (w.answer(found.map(|(_, c)| c), after), path)
    }

    /// The newest change to `path` in the whole history: [`Since::Changed`] with it,
    /// [`Since::Unchanged`] when no commit touched it (it is not committed), or
    /// [`Since::Unknown`] when a shallow clone ends before one did.
    pub fn last_change(&self, path: &str) -> Since {
        let mut w = self.lock();
        while !w.latest.contains_key(path) && w.step() {}
        match (w.latest.get(path), &w.end) {
            (Some(c), _) => Since::Changed(c.clone()),
            (None, Some(End::Shallow { horizon })) => Since::Unknown { horizon: *horizon },
            (None, Some(End::Broken { error, .. })) => Since::Unreadable(error.clone()),
            (None, _) => Since::Unchanged,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Walk> {
        // A panic while walking aborts the process (the release profile), so a
        // poisoned lock only means a test thread failed: the walk is still whole.
        self.walk.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Walk {
    fn answer(&self, found: Option<Change>, after: i64) -> Since {
        if let Some(c) = found {
            return Since::Changed(c);
        }
        match &self.end {
            Some(End::Shallow { horizon }) if *horizon > after => {
                Since::Unknown { horizon: *horizon }
            }
            Some(End::Broken { at, error }) if *at > after => Since::Unreadable(error.clone()),
            _ => Since::Unchanged,
        }
    }

    /// Walks until every commit dated after `after` has been diffed.
    fn walk_back_to(&mut self, after: i64) {
        while self.next.as_ref().is_some_and(|p| p.time > after) && self.step() {}
    }

    /// Diffs the next commit with its first parent; `false` once the walk has ended.
    fn step(&mut self) -> bool {
        let Some(p) = self.next.take() else {
            return false;
        };
        if self.shallow.contains(&p.id) {
            // Its parent is not in this clone: what it changed is unknown.
            self.end = Some(End::Shallow { horizon: p.time });
            return false;
        }
        // The parent is read once: its tree is this diff's old side, and it is the
        // next commit to walk.
        let parent = match p.parent.map(|id| self.pending(id)).transpose() {
            Ok(parent) => parent,
            Err(error) => {
                self.end = Some(End::Broken { at: p.time, error });
                return false;
            }
        };
        if let Err(error) = self.diff(&p, parent.as_ref().map(|n| n.tree)) {
            self.end = Some(End::Broken { at: p.time, error });
            return false;
        }
        match parent {
            None => {
                self.end = Some(End::Root);
                false
            }
            Some(next) => {
                self.next = Some(next);
                true
            }
        }
    }

    /// Records the paths commit `p` changed from the tree `old` (none for the first
    /// commit), those not already seen in a newer commit.
    fn diff(&mut self, p: &Pending, old: Option<ObjectId>) -> Result<(), String> {
        let Walk {
            repo,
            latest,
            state,
            buf_new,
            buf_old,
            ..
        } = self;
        let new = repo
            .objects
            .find_tree_iter(&p.tree, buf_new)
            .map_err(|e| e.to_string())?;
        let old = match old {
            Some(tree) => repo
                .objects
                .find_tree_iter(&tree, buf_old)
                .map_err(|e| e.to_string())?,
            None => gix::objs::TreeRefIter::from_bytes(&[], repo.object_hash()),
        };
        let mut recorder = gix_diff::tree::Recorder::default();
        gix_diff::tree(old, new, &mut *state, &repo.objects, &mut recorder)
            .map_err(|e| e.to_string())?;
        let commit = p.id.to_hex_with_len(12).to_string();
        for change in recorder.records {
            let path = match change {
                Recorded::Addition { path, .. }
                | Recorded::Deletion { path, .. }
                | Recorded::Modification { path, .. } => path,
            };
            // A path that is not UTF-8 cannot be one a document names.
            let Ok(path) = path.to_str() else {
                continue;
            };
            if !latest.contains_key(path) {
                latest.insert(
                    path.to_string(),
                    Change {
                        commit: commit.clone(),
                        time: p.time,
                    },
                );
            }
        }
        Ok(())
    }

    /// The commit `id`'s date, tree and first parent.
    fn pending(&self, id: ObjectId) -> Result<Pending, String> {
        let commit = self.repo.find_commit(id).map_err(|e| e.to_string())?;
        let time = commit.time().map_err(|e| e.to_string())?.seconds;
        let tree = commit.tree_id().map_err(|e| e.to_string())?.detach();
        let parent = commit.parent_ids().next().map(|p| p.detach());
        Ok(Pending {
            id,
            time,
            tree,
            parent,
        })
    }
}
