//! The repository a document lives in: its root (nearest `.git`) and the document's
//! folder, against which references resolve; and [`RepoFs`], the one cache through
//! which rules look at the file system.
//!
//! Rules never touch the disk themselves. A document with a thousand references into
//! one tree costs one `lstat` per distinct path (and per folder on the way), one
//! directory listing per folder a "did you mean" needs, and one bounded read per file
//! whose length a `path:line` asks about, however many documents of the run share them.
//!
//! The repository's author controls its names and symbolic links, so nothing outside
//! the root is ever looked at on their strength (SPEC.md, "Running on untrusted
//! content"): a reference whose `..` climb out of the root is refused before any system
//! call; paths are walked one component at a time from the root with `lstat`, the way
//! the kernel would, and a symbolic link is followed only by reading it (`readlink`)
//! and walking its target the same way, so a link out of the root is refused without
//! its target being touched; and only regular files are opened, without following a
//! link and without waiting on a FIFO.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, RwLock};

use crate::facts::collection::Collection;
use crate::fs::syspath::below;
use crate::fs::system::{EntryType, FileSystem, Node, RealFs};

/// What a path names on disk, once its symbolic links are resolved inside the root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
}

/// Why a reference is not looked at, although something may be there. Each is decided
/// from what lies inside the repository alone, so the answer cannot say whether
/// anything exists outside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Its `..` climb out of the repository root: never looked up.
    Leaves,
    /// A symbolic link on the way leads out of the root; its target is never touched.
    LinkLeaves,
    /// A device, FIFO or socket: never opened.
    NotRegular,
}

/// What a reference names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Found(Resolved),
    Missing,
    Refused(Refused),
}

/// A map keyed by a path's bytes. Paths reach the cache already canonical (see
/// [`join_lexically`]), so their bytes are the identity; hashing them as bytes is many
/// times cheaper than `Path`'s component-wise hash.
type PathMap<V> = HashMap<Box<[u8]>, V, foldhash::fast::RandomState>;

fn key(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

/// Where a path below a root leads, its symbolic links resolved inside that root.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Walk {
    /// There, as `Kind`; with the real path when links made it differ from the one asked.
    Found(Kind, Option<Arc<Path>>),
    Missing,
    Refused(Refused),
}

/// The outcome of one "did you mean" comparison of a name with a folder's entries.
#[derive(Debug, Clone)]
struct Near {
    best: Option<(Box<str>, f64)>,
    /// The work it took (see [`SuggestBudget`]); charged again on every use, so that
    /// what a document is told does not depend on what another document asked first.
    cost: u64,
}

/// (root length, folder, name, whether a folder is wanted): the root is a prefix of the
/// folder, so its length names it.
type NearKey = (usize, Box<[u8]>, Box<str>, bool);

/// Memoised file-system facts: what paths are, where they lead from a root, directory
/// listings, line counts and "did you mean" answers. Shared by every document of a run;
/// safe to use from the threads that check documents.
pub struct RepoFs {
    /// What answers the questions the maps remember.
    sys: Arc<dyn FileSystem>,
    nodes: RwLock<PathMap<Node>>,
    /// By root length, then path (a path below a root starts with it, so the two
    /// together name the root).
    walks: RwLock<HashMap<usize, PathMap<Walk>, foldhash::fast::RandomState>>,
    /// Each root's path with its own symbolic links resolved, for absolute link targets
    /// written that way (`/private/tmp/...` for a root under `/tmp`).
    real_roots: RwLock<PathMap<Option<PathBuf>>>,
    listings: RwLock<PathMap<Option<Arc<Listing>>>>,
    lines: RwLock<PathMap<Option<usize>>>,
    nears: RwLock<HashMap<NearKey, Near, foldhash::fast::RandomState>>,
    /// Folders of decision records, by folder (see `facts::collection`).
    collections: RwLock<PathMap<Option<Arc<Collection>>>>,
    /// `GIT_CEILING_DIRECTORIES`, read once for the run ([`ceilings_from_env`]).
    ceilings: Vec<PathBuf>,
    /// Each repository's git history, by root, opened on first use (`doc-drift`).
    histories: RwLock<PathMap<Option<Arc<crate::fs::history::History>>>>,
    /// Each root's submodules and ignore rules, read on first use.
    checkouts: RwLock<PathMap<Arc<crate::fs::checkout::Checkout>>>,
}

impl std::fmt::Debug for RepoFs {
    // The maps can hold thousands of paths; their sizes say enough.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RepoFs")
            .field("paths", &read(&self.nodes).len())
            .field("listings", &read(&self.listings).len())
            .field("line_counts", &read(&self.lines).len())
            .finish()
    }
}

/// A folder with more entries than this is not listed: its names are looked up one
/// `lstat` at a time instead, so one huge folder costs neither the time to read it
/// nor the memory to keep it.
const MAX_LISTED: usize = 4096;

/// The longest name and path a system call is asked about (Linux's `NAME_MAX` and
/// `PATH_MAX`): no file has a longer one, so a longer reference is missing without a
/// look, and a document full of them costs no system calls.
const MAX_NAME: usize = 255;
const MAX_PATH: usize = 4096;

/// Symbolic links followed in one walk before giving up, as the kernel does (`ELOOP`):
/// a loop of links ends as a missing path.
const MAX_LINKS: usize = 40;

/// The most bytes read to count a file's lines. A `path:line` names source code, which
/// is far smaller; a larger file (a data dump, a generated bundle) has a length archlint
/// does not know, and no line is reported past its end. The bound keeps a referenced
/// file from costing more than this to read, whatever its size.
const MAX_COUNTED: u64 = 64 << 20;

/// The most of a decision folder's index read for its links.
const INDEX_BYTES: usize = 1 << 20;

/// "did you mean" work, in cells of the edit-distance table (plus one per folder entry
/// looked at): at most [`PER_NAME`](SuggestBudget::PER_NAME) for one dead name in one
/// folder and [`PER_DOCUMENT`](SuggestBudget::PER_DOCUMENT) for all of a document's.
/// Typical names cost a few hundred cells per entry; only names and folders built to be
/// expensive reach the caps, and then their help just lacks the suggestion.
#[derive(Debug)]
pub struct SuggestBudget {
    left: u64,
}

impl SuggestBudget {
    pub const PER_NAME: u64 = 1 << 20;
    pub const PER_DOCUMENT: u64 = 1 << 24;

    pub fn per_document() -> SuggestBudget {
        SuggestBudget {
            left: Self::PER_DOCUMENT,
        }
    }

    /// Whether one more comparison may run. It asks for a whole [`Self::PER_NAME`]
    /// whatever the comparison will cost, so whether it runs depends only on this
    /// document's earlier ones, never on the run's cache.
    fn allows_one_more(&self) -> bool {
        self.left >= Self::PER_NAME
    }

    fn charge(&mut self, cost: u64) {
        self.left = self.left.saturating_sub(cost);
    }
}

/// One folder's entries with valid UTF-8 names (a reference is UTF-8, so no other
/// name can match one), sorted by name.
#[derive(Debug)]
pub struct Listing {
    entries: Box<[(Box<str>, EntryType)]>,
    /// The names with ASCII letters lowercased, sorted; only when some name has an
    /// uppercase letter (otherwise `entries` serve, being their own folding).
    folded: Option<Box<[Box<str>]>>,
    /// The folder holds a static site generator's configuration (see
    /// [`Repo::in_static_site`]); read from the names when the listing is made.
    site_config: bool,
    /// The folder holds a `.gitignore` file (see [`Repo::not_in_checkout`]).
    ignore_file: bool,
}

/// The names a static site generator's configuration goes by: Docusaurus, VitePress,
/// MkDocs, Hugo, Jekyll, Astro, mdBook.
const SITE_CONFIGS: &[&str] = &[
    ".vitepress",
    "_config.yml",
    "astro.config.mjs",
    "astro.config.ts",
    "book.toml",
    "docusaurus.config.js",
    "docusaurus.config.ts",
    "hugo.toml",
    "hugo.yaml",
    "mkdocs.yaml",
    "mkdocs.yml",
];

/// What a listing says about a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lookup {
    Found(EntryType),
    Absent,
    /// Not there byte for byte, but a case-insensitive or normalising file system
    /// (macOS, Windows) might still find it: only `lstat` can tell.
    Unsure,
}

impl Listing {
    /// `dir` must have no symbolic link below the root (a path a walk returned), so
    /// that the folder read is the one inside the repository.
    fn read(sys: &dyn FileSystem, dir: &Path) -> Option<Listing> {
        sys.list(dir, MAX_LISTED).map(Listing::new)
    }

    fn new(mut entries: Vec<(Box<str>, EntryType)>) -> Listing {
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let upper = |n: &str| n.bytes().any(|b| b.is_ascii_uppercase());
        let folded = entries.iter().any(|e| upper(&e.0)).then(|| {
            let mut f: Vec<Box<str>> = entries
                .iter()
                .map(|e| e.0.to_ascii_lowercase().into_boxed_str())
                .collect();
            f.sort_unstable();
            f.into_boxed_slice()
        });
        let site_config = SITE_CONFIGS
            .iter()
            .any(|c| entries.binary_search_by(|e| (*e.0).cmp(c)).is_ok());
        let ignore_file = entries
            .binary_search_by(|e| (*e.0).cmp(".gitignore"))
            .is_ok_and(|i| entries[i].1 == EntryType::File);
        Listing {
            entries: entries.into(),
            folded,
            site_config,
            ignore_file,
        }
    }

    fn lookup(&self, name: &str) -> Lookup {
        if let Ok(i) = self.entries.binary_search_by(|e| (*e.0).cmp(name)) {
            return Lookup::Found(self.entries[i].1);
        }
        if !name.is_ascii() {
            return Lookup::Unsure;
        }
        // Another name equal to this one but for ASCII case: looked up folded, by a
        // binary search rather than a comparison with every entry.
        let lower = || name.bytes().map(|b| b.to_ascii_lowercase());
        let folds = match &self.folded {
            None if !name.bytes().any(|b| b.is_ascii_uppercase()) => false,
            None => self
                .entries
                .binary_search_by(|e| e.0.bytes().cmp(lower()))
                .is_ok(),
            Some(folded) => folded.binary_search_by(|e| e.bytes().cmp(lower())).is_ok(),
        };
        if folds {
            Lookup::Unsure
        } else {
            Lookup::Absent
        }
    }

    /// The names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| &*e.0)
    }

    /// The names of regular files (not links), sorted.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .filter(|e| e.1 == EntryType::File)
            .map(|e| &*e.0)
    }
}

impl Default for RepoFs {
    /// The real file system, with no ceiling for the search for `.git`.
    fn default() -> RepoFs {
        RepoFs::over(Arc::new(RealFs::default()), Vec::new())
    }
}

impl RepoFs {
    /// The real file system, with the environment's `GIT_CEILING_DIRECTORIES`.
    pub fn new() -> RepoFs {
        RepoFs::over(Arc::new(RealFs::new()), ceilings_from_env())
    }

    /// `sys` (a [`MemoryFs`](crate::fs::system::MemoryFs) in tests), with the search
    /// for `.git` stopping at `ceilings`.
    pub fn over(sys: Arc<dyn FileSystem>, ceilings: Vec<PathBuf>) -> RepoFs {
        RepoFs {
            sys,
            nodes: Default::default(),
            walks: Default::default(),
            real_roots: Default::default(),
            listings: Default::default(),
            lines: Default::default(),
            nears: Default::default(),
            collections: Default::default(),
            ceilings,
            histories: Default::default(),
            checkouts: Default::default(),
        }
    }

    /// What the checkout at `root` may lack (see [`crate::fs::checkout`]), read once
    /// per run.
    fn checkout(&self, root: &Path) -> Arc<crate::fs::checkout::Checkout> {
        if let Some(c) = read(&self.checkouts).get(key(root)) {
            return Arc::clone(c);
        }
        let c = Arc::new(crate::fs::checkout::Checkout::new(
            root,
            Arc::clone(&self.sys),
        ));
        write(&self.checkouts).insert(key(root).into(), Arc::clone(&c));
        c
    }

    /// The git history of the repository whose root is `root` (read from disk
    /// whatever `sys` is), opened once per run.
    pub fn history(&self, root: &Path) -> Option<Arc<crate::fs::history::History>> {
        if let Some(h) = read(&self.histories).get(key(root)) {
            return h.clone();
        }
        let mut map = write(&self.histories);
        map.entry(key(root).into())
            .or_insert_with(|| crate::fs::history::History::open(root).map(Arc::new))
            .clone()
    }

    /// What `path` itself is (a final link is not followed). Answered from its folder's
    /// listing when that folder has been listed, else by one `lstat`. Only called with
    /// paths the caller may look at: a real path below a root, or the `.git` marker of
    /// a folder above a document.
    fn node(&self, path: &Path) -> Node {
        if let Some((dir, name)) = folder_and_name(path) {
            if let Some(Some(listing)) = read(&self.listings).get(dir) {
                match listing.lookup(name) {
                    Lookup::Found(EntryType::File) => return Node::File,
                    Lookup::Found(EntryType::Dir) => return Node::Dir,
                    Lookup::Found(EntryType::Special) => return Node::Special,
                    Lookup::Absent => return Node::Missing,
                    Lookup::Found(EntryType::Link | EntryType::Ask) | Lookup::Unsure => {}
                }
            }
        }
        if let Some(n) = read(&self.nodes).get(key(path)) {
            return n.clone();
        }
        let n = self.sys.lstat(path);
        write(&self.nodes).insert(key(path).into(), n.clone());
        n
    }

    /// Where `path` leads from `root`. A path not below `root` is refused before any
    /// look; one below it is walked from `root` (see [`RepoFs::walk_uncached`]), once
    /// per run.
    fn walk(&self, root: &Path, path: &Path) -> Walk {
        if below(path, root).is_none() {
            return Walk::Refused(Refused::Leaves);
        }
        let by_root = key(root).len();
        if let Some(w) = read(&self.walks)
            .get(&by_root)
            .and_then(|m| m.get(key(path)))
        {
            return w.clone();
        }
        let w = self.walk_uncached(root, path);
        write(&self.walks)
            .entry(by_root)
            .or_default()
            .insert(key(path).into(), w.clone());
        w
    }

    /// The kernel's path walk, done here so that it can stop at the root: each name is
    /// looked at with `lstat` (or a listing) in a folder already known to lie inside the
    /// root; a link's target is read and walked on from the link's folder (or from the
    /// root, for an absolute target that names a path inside it); a `..` at the root, or
    /// an absolute target elsewhere, refuses the path before anything outside is touched.
    fn walk_uncached(&self, root: &Path, path: &Path) -> Walk {
        let Some(rest) = below(path, root) else {
            return Walk::Refused(Refused::Leaves);
        };
        if key(path).len() > MAX_PATH {
            return Walk::Missing;
        }
        // The names still to walk, the next one last.
        let mut todo: Vec<OsString> = Vec::new();
        push_parts(&mut todo, rest);
        let mut cur = root.to_path_buf();
        let mut kind = Kind::Dir;
        let mut links = 0;
        while let Some(part) = todo.pop() {
            if kind != Kind::Dir {
                return Walk::Missing;
            }
            if part == ".." {
                // `..` at the root leaves it (compared as `below` does, so that a root
                // written with a trailing `/` is still recognised).
                if below(&cur, root).is_none_or(|r| r.as_os_str().is_empty()) {
                    return Walk::Refused(Refused::LinkLeaves);
                }
                cur.pop();
                continue;
            }
            if part.len() > MAX_NAME || key(&cur).len() + part.len() + 1 > MAX_PATH {
                return Walk::Missing;
            }
            cur.push(&part);
            match self.node(&cur) {
                Node::Dir => {}
                Node::File => kind = Kind::File,
                // A FIFO in the middle of a path is no folder (`ENOTDIR`).
                Node::Special if todo.is_empty() => return Walk::Refused(Refused::NotRegular),
                Node::Special | Node::Missing => return Walk::Missing,
                Node::Link(target) => {
                    // Back to the link's folder, where a relative target starts.
                    cur.pop();
                    links += 1;
                    if links > MAX_LINKS {
                        return Walk::Missing;
                    }
                    if target.has_root() {
                        let Some(inner) = self.inside_root(root, &target) else {
                            return Walk::Refused(Refused::LinkLeaves);
                        };
                        cur = root.to_path_buf();
                        push_parts(&mut todo, &inner);
                    } else {
                        push_parts(&mut todo, &target);
                    }
                }
            }
        }
        let real = (key(&cur) != key(path)).then(|| Arc::from(cur.as_path()));
        Walk::Found(kind, real)
    }

    /// An absolute link target as a path relative to `root`, when it names the root or
    /// a path below it (as written, or below the root's own real path).
    fn inside_root(&self, root: &Path, target: &Path) -> Option<PathBuf> {
        if let Some(rest) = below(target, root) {
            return Some(rest.to_path_buf());
        }
        let real = self.real_root(root)?;
        below(target, &real).map(Path::to_path_buf)
    }

    /// `root` with its own links resolved, once per run. The root and the folders above
    /// it are where the run was pointed, not repository content, so resolving them is
    /// no look outside.
    fn real_root(&self, root: &Path) -> Option<PathBuf> {
        if let Some(r) = read(&self.real_roots).get(key(root)) {
            return r.clone();
        }
        let real = self.sys.canonicalize(root).filter(|r| r != root);
        write(&self.real_roots).insert(key(root).into(), real.clone());
        real
    }

    /// The folder's listing, read once per run; `None` when it cannot be read or has
    /// more than [`MAX_LISTED`] entries. `dir` must be a real path inside a root (or the
    /// root itself).
    pub fn listing(&self, dir: &Path) -> Option<Arc<Listing>> {
        if let Some(l) = read(&self.listings).get(key(dir)) {
            return l.clone();
        }
        let listing = Listing::read(self.sys.as_ref(), dir).map(Arc::new);
        write(&self.listings).insert(key(dir).into(), listing.clone());
        listing
    }

    /// The decision records in the real folder `dir` (inside a root), from its listing
    /// and one read of its index, once per run: only regular files, never through a
    /// link. `marked`: the configuration names the folder a collection (the same for
    /// every document of the folder in one run).
    pub fn collection(&self, dir: &Path, marked: bool) -> Option<Arc<Collection>> {
        if let Some(c) = read(&self.collections).get(key(dir)) {
            return c.clone();
        }
        let listing = self.listing(dir);
        let names: Vec<&str> = listing
            .iter()
            .flat_map(|l| l.files())
            .filter(|n| n.ends_with(".md"))
            .collect();
        let index = names
            .iter()
            .find(|n| crate::facts::collection::is_index_name(n))
            .and_then(|n| {
                let text = self.sys.read_head(&dir.join(n), INDEX_BYTES)?;
                Some((n.to_string(), text))
            });
        let c = crate::facts::collection::collect(&names, index, marked).map(Arc::new);
        write(&self.collections).insert(key(dir).into(), c.clone());
        c
    }

    /// The head of the regular file `name` in the real folder `dir`, for a record's
    /// facts: only a name its listing holds as a regular file.
    pub fn record_head(&self, dir: &Path, name: &str) -> Option<String> {
        let listing = self.listing(dir)?;
        listing.files().any(|n| n == name).then_some(())?;
        self.sys
            .read_head(&dir.join(name), crate::facts::collection::HEAD_BYTES)
    }

    /// Lines in a regular file, counted as `wc -l` does plus a last line without a
    /// newline; `None` when it cannot be read, is not a regular file, or is larger than
    /// [`MAX_COUNTED`].
    pub fn line_count(&self, file: &Path) -> Option<usize> {
        if let Some(n) = read(&self.lines).get(key(file)) {
            return *n;
        }
        let n = self.sys.count_lines(file, MAX_COUNTED);
        write(&self.lines).insert(key(file).into(), n);
        n
    }

    /// The entry of the real folder `dir` (below `root`) closest to the dead `name`, of
    /// the kind wanted, as [`Near`]; once per run, charged to `budget` on every call.
    fn nearest(
        &self,
        root: &Path,
        dir: &Path,
        name: &str,
        want: Kind,
        budget: &mut SuggestBudget,
    ) -> Option<(Box<str>, f64)> {
        if !budget.allows_one_more() {
            return None;
        }
        let k: NearKey = (
            key(root).len(),
            key(dir).into(),
            name.into(),
            want == Kind::Dir,
        );
        let cached = read(&self.nears).get(&k).cloned();
        let near = match cached {
            Some(n) => n,
            None => {
                let n = self.nearest_uncached(root, dir, name, want);
                write(&self.nears).insert(k, n.clone());
                n
            }
        };
        budget.charge(near.cost);
        near.best
    }

    /// The sorted entries compared one by one, the best score kept (the last of equal
    /// ones), with the work bounded: a name longer than any file name is not compared,
    /// a pair whose lengths alone rule out a better score costs no distance, and the
    /// comparison stops after [`SuggestBudget::PER_NAME`].
    fn nearest_uncached(&self, root: &Path, dir: &Path, name: &str, want: Kind) -> Near {
        let mut cost = 0u64;
        let mut best: Option<(Box<str>, f64)> = None;
        if name.len() > MAX_NAME {
            return Near { best, cost };
        }
        let Some(listing) = self.listing(dir) else {
            return Near { best, cost };
        };
        let a = name.to_lowercase();
        let la = a.chars().count();
        for (entry, ty) in listing.entries.iter() {
            cost += 1 + la as u64;
            if cost > SuggestBudget::PER_NAME {
                break;
            }
            if entry.len() > MAX_NAME {
                continue;
            }
            // Most names are ASCII: their length and stem are read without a lowercased
            // copy, which only a pair the lengths leave in play needs.
            let ascii = entry.is_ascii();
            let folded = (!ascii).then(|| entry.to_lowercase());
            let lb = folded.as_deref().map_or(entry.len(), |b| b.chars().count());
            cost += lb as u64;
            let same_stem = match &folded {
                Some(b) => same_stem(&a, b),
                None => same_stem_ascii(&a, entry),
            };
            // The distance is at least the difference in length: the best score the
            // pair could reach.
            let longer = la.max(lb);
            let upper = if longer == 0 {
                1.0
            } else {
                1.0 - la.abs_diff(lb) as f64 / longer as f64
            };
            let floor = best.as_ref().map_or(0.7, |(_, s)| s.max(0.7));
            if upper < floor && !(same_stem && 0.9 >= floor) {
                continue;
            }
            let usable = match ty {
                EntryType::File => want == Kind::File,
                EntryType::Dir => want == Kind::Dir,
                EntryType::Special => false,
                EntryType::Link | EntryType::Ask => {
                    matches!(self.walk(root, &dir.join(&**entry)), Walk::Found(k, _) if k == want)
                }
            };
            if !usable {
                continue;
            }
            let score = if same_stem && upper <= 0.9 {
                0.9
            } else {
                cost += (la as u64 + 1) * (lb as u64 + 1);
                if cost > SuggestBudget::PER_NAME {
                    break;
                }
                let b = folded.unwrap_or_else(|| entry.to_ascii_lowercase());
                let lev = strsim::normalized_damerau_levenshtein(&a, &b);
                if same_stem {
                    lev.max(0.9)
                } else {
                    lev
                }
            };
            if score >= floor {
                best = Some((entry.clone(), score));
            }
        }
        Near { best, cost }
    }
}

/// The same stem under another extension (`flow.png` for `flow.svg`).
fn same_stem(a: &str, b: &str) -> bool {
    match (a.rsplit_once('.'), b.rsplit_once('.')) {
        (Some((x, _)), Some((y, _))) => !x.is_empty() && x == y,
        _ => false,
    }
}

/// [`same_stem`] of `a` (lowercased) and an ASCII `b` as it would be lowercased.
fn same_stem_ascii(a: &str, b: &str) -> bool {
    match (a.rsplit_once('.'), b.rsplit_once('.')) {
        (Some((x, _)), Some((y, _))) => !x.is_empty() && x.eq_ignore_ascii_case(y),
        _ => false,
    }
}

/// Push `path`'s parts onto `todo` so that the first is popped first.
fn push_parts(todo: &mut Vec<OsString>, path: &Path) {
    for c in path.components().rev() {
        match c {
            Component::Normal(n) => todo.push(n.to_owned()),
            Component::ParentDir => todo.push(OsString::from("..")),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
}

/// A poisoned lock only means another worker panicked mid-insert of a plain value;
/// the map is still usable.
fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|e| e.into_inner())
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(|e| e.into_inner())
}

/// The key of a path's folder and its UTF-8 name, as `Path::parent` and
/// `Path::file_name` give them, but from the bytes (up to and after the last `/`)
/// without `Path`'s component parsing. Where the two could differ (no folder, or a
/// folder or name ending in `/`, `.` or `..`) `Path` answers. `None` for a path with
/// no parent or a name that is not UTF-8.
fn folder_and_name(path: &Path) -> Option<(&[u8], &str)> {
    let b = key(path);
    let slash = memchr::memrchr(b'/', b).filter(|_| cfg!(unix));
    let (dir, name) = slash.map_or((&b[..0], b), |i| (&b[..i], &b[i + 1..]));
    if dir.is_empty()
        || dir.ends_with(b"/")
        || dir.ends_with(b"/.")
        || matches!(name, b"" | b"." | b"..")
    {
        return path
            .parent()
            .zip(path.file_name().and_then(|n| n.to_str()))
            .map(|(d, n)| (key(d), n));
    }
    Some((dir, std::str::from_utf8(name).ok()?))
}

/// Where a reference was found on disk: its real path (links resolved inside the
/// root), which is what a line count opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub path: PathBuf,
    pub kind: Kind,
}

/// The closest existing path to a dead reference, written the way the reference was.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub path: String,
    pub score: f64,
}

#[derive(Debug, Clone)]
pub struct Repo {
    /// The nearest ancestor of the document holding `.git`; the document's folder without one.
    pub root: PathBuf,
    /// The folder holding the document.
    pub doc_dir: PathBuf,
    /// Whether `root` came from a `.git` (rather than defaulting to the document's folder).
    pub in_git: bool,
    /// `doc_dir == root`, compared once.
    at_root: bool,
    /// The configuration names `doc_dir` a collection of decision records
    /// (`[[collections]]`).
    pub marked_collection: bool,
    /// The listings of `doc_dir` and `root`, held here so that each reference does not
    /// look them up again. `doc_dir`'s is of its real folder, and absent when that
    /// folder is not inside the root.
    doc_listing: Option<Arc<Listing>>,
    root_listing: Option<Arc<Listing>>,
    /// `doc_dir` with its links resolved, when it lies inside the root.
    real_doc_dir: Option<PathBuf>,
    /// `doc_dir` relative to the root (`""` at the root), found for the first missing
    /// reference that asks ([`Repo::not_in_checkout`]).
    doc_rel: std::cell::OnceCell<Option<String>>,
    fs: Arc<RepoFs>,
}

impl Repo {
    /// The repository of the document at `path` (which need not exist, for stdin),
    /// answered through `fs`, the cache its caller owns: one per run, shared by the
    /// run's documents, dropped (or replaced, for a long-lived caller whose files
    /// changed) when the caller says.
    pub fn with_fs(path: &Path, fs: Arc<RepoFs>) -> Repo {
        Repo::within(path, fs, None)
    }

    /// As [`Repo::with_fs`], with the search for `.git` stopping at `ceiling` (as at
    /// a folder of `GIT_CEILING_DIRECTORIES`): for a caller that knows where the
    /// repositories it means end, such as a test in a temporary folder.
    pub fn within(path: &Path, fs: Arc<RepoFs>, ceiling: Option<&Path>) -> Repo {
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let doc_dir = abs
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        // `.git` is a folder, a file (a worktree) or even a link: that the name is
        // there is enough, so it is not followed. The folders above the document's are
        // asked one `lstat` each, shared by the run's documents; the document's own
        // folder is listed (as the references need anyway) from the root above it, when
        // it really lies there, and its listing answers.
        let above = git_root(&doc_dir, ceiling, &fs.ceilings, |d| {
            d != doc_dir && fs.node(&d.join(".git")) != Node::Missing
        });
        let outer = above.clone().unwrap_or_else(|| doc_dir.clone());
        if let Walk::Found(Kind::Dir, None) = fs.walk(&outer, &doc_dir) {
            fs.listing(&doc_dir);
        }
        let (root, in_git) = if fs.node(&doc_dir.join(".git")) != Node::Missing {
            (doc_dir.clone(), true)
        } else {
            (outer, above.is_some())
        };
        Repo::assemble(root, doc_dir, in_git, fs)
    }

    /// A repository with explicit folders (tests, tools), through `fs`.
    pub fn new(root: PathBuf, doc_dir: PathBuf, fs: Arc<RepoFs>) -> Repo {
        let in_git = fs.node(&root.join(".git")) != Node::Missing;
        Repo::assemble(root, doc_dir, in_git, fs)
    }

    fn assemble(root: PathBuf, doc_dir: PathBuf, in_git: bool, fs: Arc<RepoFs>) -> Repo {
        let at_root = doc_dir == root;
        let root_listing = fs.listing(&root);
        // The document's folder is where most references are tried first: its listing
        // rules out most names without a look. It is read where the folder really is,
        // and only when that is inside the root.
        let real_doc_dir = if at_root {
            Some(doc_dir.clone())
        } else {
            match fs.walk(&root, &doc_dir) {
                Walk::Found(Kind::Dir, real) => {
                    Some(real.map_or_else(|| doc_dir.clone(), |r| r.to_path_buf()))
                }
                _ => None,
            }
        };
        let doc_listing = if at_root {
            root_listing.clone()
        } else {
            real_doc_dir.as_deref().and_then(|d| fs.listing(d))
        };
        Repo {
            at_root,
            marked_collection: false,
            root_listing,
            doc_listing,
            real_doc_dir,
            doc_rel: std::cell::OnceCell::new(),
            root,
            doc_dir,
            in_git,
            fs,
        }
    }

    /// The folder of decision records the document lies in, if its folder is one.
    pub fn collection(&self) -> Option<Arc<Collection>> {
        self.fs
            .collection(self.real_doc_dir.as_deref()?, self.marked_collection)
    }

    /// Whether the document at `path` is the index or the template of a folder of
    /// decision records: named as one, in a folder that is a collection, and not one
    /// of its records.
    pub fn is_collection_index(&self, path: &str) -> bool {
        self.collection_file(path, crate::facts::collection::is_index_name)
    }

    /// See [`Repo::is_collection_index`].
    pub fn is_collection_template(&self, path: &str) -> bool {
        self.collection_file(path, crate::facts::collection::is_template_name)
    }

    fn collection_file(&self, path: &str, named: fn(&str) -> bool) -> bool {
        let name = Path::new(path).file_name().and_then(|n| n.to_str());
        name.is_some_and(|name| {
            named(name) && self.collection().is_some_and(|c| c.get(name).is_none())
        })
    }

    /// Whether the document is a page of a static site: its folder or one above it, up
    /// to the root, holds a site generator's configuration (Docusaurus, VitePress,
    /// MkDocs, Hugo, Jekyll, Astro, mdBook). Asked only for a document with a link the
    /// answer changes; each folder's listing is shared by the run.
    pub fn in_static_site(&self) -> bool {
        self.doc_dir
            .ancestors()
            .take_while(|d| d.starts_with(&self.root))
            .filter_map(|d| self.fs.listing(d))
            .any(|l| l.site_config)
    }

    /// `path` (a found reference's) relative to the root, with `/` between its parts;
    /// `None` for the root itself or a path not below it.
    pub fn relative(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.root).ok()?;
        let parts: Vec<&str> = rel
            .components()
            .map(|c| c.as_os_str().to_str())
            .collect::<Option<_>>()?;
        (!parts.is_empty()).then(|| parts.join("/"))
    }

    /// Whether a missing `path`, found as `from` says, would lie where the checkout may
    /// lack files the repository has: in a submodule's folder, or (for a mention, not a
    /// link, which a reader follows on GitHub) at a path a `.gitignore` of the root or
    /// of a folder above it keeps out of git. Only in a git repository.
    pub fn not_in_checkout(&self, path: &str, from: From) -> bool {
        if !self.in_git || path.starts_with('/') {
            return false;
        }
        let checkout = self.fs.checkout(&self.root);
        let doc_rel = self
            .doc_rel
            .get_or_init(|| {
                if self.at_root {
                    Some(String::new())
                } else {
                    self.relative(&self.doc_dir)
                }
            })
            .as_deref();
        let bases: &[Option<&str>] = match from {
            From::Document => &[doc_rel],
            From::DocumentOrRoot => &[doc_rel, Some("")],
        };
        // Whether a folder of the root holds a `.gitignore`: only a real folder inside
        // the root is asked (no link leads the read out), and its listing says (the
        // root's is held already).
        let has_ignore = |folder: &str| {
            if folder.is_empty() {
                return Some(self.root_listing.as_ref().is_some_and(|l| l.ignore_file));
            }
            let dir = self.root.join(folder);
            if !matches!(self.fs.walk(&self.root, &dir), Walk::Found(Kind::Dir, None)) {
                return None;
            }
            Some(self.fs.listing(&dir).is_some_and(|l| l.ignore_file))
        };
        bases.iter().flatten().any(|base| {
            let Some(rel) = lexical_rel(base, path) else {
                return false;
            };
            if from == From::Document {
                checkout.lacks_submodule(&rel)
            } else {
                checkout.lacks(&rel, path.ends_with('/'), &has_ignore)
            }
        })
    }

    /// The git history of the repository, when it is one (`doc-drift`).
    pub fn history(&self) -> Option<Arc<crate::fs::history::History>> {
        if !self.in_git {
            return None;
        }
        self.fs.history(&self.root)
    }

    /// The facts of the record `name` of the document's folder (see
    /// [`RepoFs::record_head`]).
    pub fn record(&self, name: &str) -> Option<crate::facts::collection::Record> {
        let text = self.fs.record_head(self.real_doc_dir.as_deref()?, name)?;
        Some(crate::facts::collection::record(name, &text))
    }

    pub fn fs(&self) -> &RepoFs {
        &self.fs
    }

    /// The folders a relative reference is tried against, in order.
    fn bases(&self, root_relative: bool, from: From) -> impl Iterator<Item = &Path> {
        self.listed_bases(root_relative, from).map(|(base, _)| base)
    }

    /// [`Repo::bases`] with their listings: a root-relative path from the root only; a
    /// link from the document's folder only, as GitHub renders it; a plain mention from
    /// the document's folder, then the root.
    fn listed_bases(
        &self,
        root_relative: bool,
        from: From,
    ) -> impl Iterator<Item = (&Path, Option<&Listing>)> {
        let doc = (self.doc_dir.as_path(), self.doc_listing.as_deref());
        let root = (self.root.as_path(), self.root_listing.as_deref());
        let (first, second) = match (root_relative, from) {
            (true, _) => (Some(root), None),
            (false, From::Document) => (Some(doc), None),
            (false, From::DocumentOrRoot) if self.at_root => (Some(root), None),
            (false, From::DocumentOrRoot) => (Some(doc), Some(root)),
        };
        first.into_iter().chain(second)
    }

    fn inside(&self, path: &Path) -> bool {
        below(path, &self.root).is_some()
    }

    /// Find `reference` (a relative path with `/` separators, already stripped of
    /// `#fragment` and `?query` and percent-decoded) relative to the document's folder
    /// or the repository root; a leading `/` means the repository root only.
    ///
    /// The first base where it is found wins. Otherwise a refusal met inside the
    /// repository (a link out of it, a FIFO) is the answer, then [`Refused::Leaves`]
    /// when the reference climbs out of the root from every base, else missing.
    pub fn outcome(&self, reference: &str) -> Outcome {
        self.outcome_from(reference, From::DocumentOrRoot)
    }

    /// [`Repo::outcome`], looked up from the bases `from` allows.
    pub fn outcome_from(&self, reference: &str, from: From) -> Outcome {
        let root_relative = reference.starts_with('/');
        let rel = reference.trim_start_matches('/');
        // The path's first name must be in the base folder: its listing rules out most
        // bases without a look (a document in `docs/` naming `src/...`).
        let first = first_name(rel);
        let mut refused = None;
        let mut leaves_everywhere = true;
        for (base, listing) in self.listed_bases(root_relative, from) {
            if let (Some(name), Some(listing)) = (first, listing) {
                if listing.lookup(name) == Lookup::Absent {
                    leaves_everywhere = false;
                    continue;
                }
            }
            let Some(path) = join_lexically(base, rel) else {
                leaves_everywhere = false;
                continue;
            };
            match self.fs.walk(&self.root, &path) {
                Walk::Refused(Refused::Leaves) => {}
                Walk::Found(kind, real) => {
                    leaves_everywhere = false;
                    // `src/main.rs/` is not a file.
                    if reference.ends_with('/') && kind != Kind::Dir {
                        continue;
                    }
                    let path = real.map_or(path, |r| r.to_path_buf());
                    return Outcome::Found(Resolved { path, kind });
                }
                Walk::Refused(why) => {
                    leaves_everywhere = false;
                    refused.get_or_insert(why);
                }
                Walk::Missing => leaves_everywhere = false,
            }
        }
        match refused {
            Some(why) => Outcome::Refused(why),
            None if leaves_everywhere => Outcome::Refused(Refused::Leaves),
            None => Outcome::Missing,
        }
    }

    /// [`Repo::outcome`] when it is found.
    pub fn resolve(&self, reference: &str) -> Option<Resolved> {
        match self.outcome(reference) {
            Outcome::Found(r) => Some(r),
            Outcome::Missing | Outcome::Refused(_) => None,
        }
    }

    /// Lines in a resolved file (see [`RepoFs::line_count`]).
    pub fn line_count(&self, path: &Path) -> Option<usize> {
        self.fs.line_count(path)
    }

    /// The existing path closest to a dead `reference`: the first component that does
    /// not exist is compared with the entries of the folder holding it. Only folders
    /// inside the root are listed and only what is usable there is suggested; the work
    /// is charged to `budget`.
    pub fn closest(
        &self,
        reference: &str,
        from: From,
        budget: &mut SuggestBudget,
    ) -> Option<Suggestion> {
        let root_relative = reference.starts_with('/');
        let rel = reference.trim_start_matches('/');
        let parts: Vec<&str> = reference.split('/').filter(|p| !p.is_empty()).collect();
        let mut best: Option<Suggestion> = None;
        for base in self.bases(root_relative, from) {
            if join_lexically(base, rel).is_none_or(|p| !self.inside(&p)) {
                continue;
            }
            let mut cur = base.to_path_buf();
            for (i, part) in parts.iter().enumerate() {
                let Some(next) = join_lexically(&cur, part) else {
                    break;
                };
                match self.fs.walk(&self.root, &next) {
                    Walk::Found(..) => {
                        cur = next;
                        continue;
                    }
                    Walk::Refused(_) => break,
                    Walk::Missing => {}
                }
                let Walk::Found(Kind::Dir, real) = self.fs.walk(&self.root, &cur) else {
                    break;
                };
                let dir = real.as_deref().unwrap_or(&cur);
                // A folder is only suggested for a folder, and a file for the last part
                // of a reference that does not end in `/`.
                let want_dir = i + 1 < parts.len() || reference.ends_with('/');
                let want = if want_dir { Kind::Dir } else { Kind::File };
                let found = self.fs.nearest(&self.root, dir, part, want, budget);
                if let Some((name, score)) = found {
                    let mut written: Vec<&str> = parts[..i].to_vec();
                    written.push(&name);
                    let rest = &parts[i + 1..];
                    let full = join_lexically(&cur, &format!("{name}/{}", rest.join("/")));
                    let exists = |p: &Path| matches!(self.fs.walk(&self.root, p), Walk::Found(..));
                    if !rest.is_empty() && full.is_some_and(|p| exists(&p)) {
                        written.extend_from_slice(rest);
                    }
                    let mut path = written.join("/");
                    if root_relative {
                        path.insert(0, '/');
                    }
                    if best.as_ref().is_none_or(|b| score > b.score) {
                        best = Some(Suggestion { path, score });
                    }
                }
                break;
            }
        }
        best
    }

    /// Where relative references were looked for, for help texts.
    pub fn searched(&self, root_relative: bool, from: From) -> String {
        let root = if self.in_git {
            "the repository root"
        } else {
            "the document's folder (no enclosing git repository)"
        };
        if root_relative || self.at_root {
            return format!("looked in {root}");
        }
        let rel = self.doc_folder();
        match from {
            From::Document => format!(
                "a link resolves from the document's folder, as GitHub renders it: looked in `{rel}/`"
            ),
            From::DocumentOrRoot => format!("looked in `{rel}/` and {root}"),
        }
    }

    /// The document's folder relative to the root, with `/` separators.
    fn doc_folder(&self) -> String {
        self.doc_dir
            .strip_prefix(&self.root)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_else(|_| self.doc_dir.display().to_string())
    }

    /// For a link that is dead from the document's folder but names a path that
    /// exists from the root: that path written as the link needs it (`../x` from
    /// `docs/`), or `None`.
    pub fn from_root_instead(&self, reference: &str) -> Option<String> {
        if reference.starts_with('/') || self.at_root {
            return None;
        }
        let Outcome::Found(_) = self.outcome_from(&format!("/{reference}"), From::Document) else {
            return None;
        };
        let depth = self
            .doc_folder()
            .split('/')
            .filter(|p| !p.is_empty())
            .count();
        Some(format!("{}{reference}", "../".repeat(depth)))
    }
}

/// `path` (`/`-separated) from the folder `base` (relative to a root, `""` for the
/// root), `.` and `..` applied lexically; `None` when it climbs above the root or
/// names the root itself.
fn lexical_rel(base: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            c => parts.push(c),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// `base` joined with a relative `/`-separated path, `.` and `..` applied lexically
/// (so cache keys are canonical); `None` for an absolute or prefixed component.
pub fn join_lexically(base: &Path, rel: &str) -> Option<PathBuf> {
    #[cfg(unix)]
    return join_bytewise(base, rel);
    #[cfg(not(unix))]
    join_by_components(base, rel)
}

/// [`join_lexically`] on Unix, from the bytes: what `Path::components` reads there (a
/// leading `/` is a root, empty parts and `.` are nothing, `..` is a parent) without
/// its parsing, and split at `/` bytes (a search per part costs more in references
/// this short).
#[cfg(unix)]
fn join_bytewise(base: &Path, rel: &str) -> Option<PathBuf> {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    if rel.starts_with('/') {
        return None;
    }
    let mut text = OsString::with_capacity(base.as_os_str().len() + rel.len() + 1);
    text.push(base);
    for part in rel.as_bytes().split(|&b| b == b'/') {
        match part {
            b"" | b"." => {}
            b".." => {
                let mut p = PathBuf::from(text);
                p.pop();
                text = p.into_os_string();
            }
            name => {
                if !text.is_empty() && !text.as_encoded_bytes().ends_with(b"/") {
                    text.push("/");
                }
                text.push(OsStr::from_bytes(name));
            }
        }
    }
    Some(PathBuf::from(text))
}

/// [`join_lexically`] by `Path`'s components: what it does off Unix, and the reference
/// its Unix byte walk is tested against.
#[cfg_attr(unix, allow(dead_code))]
fn join_by_components(base: &Path, rel: &str) -> Option<PathBuf> {
    let mut out = base.to_path_buf();
    for c in Path::new(rel).components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// The first name a relative path descends into, when the path never climbs back out
/// with `..` (so the name must exist in the folder it is joined to).
fn first_name(rel: &str) -> Option<&str> {
    let b = rel.as_bytes();
    let (mut first, mut start) = (None, 0);
    // One pass over the bytes: references are short, and a search per part costs
    // more than looking at each byte.
    for i in 0..=b.len() {
        match b.get(i) {
            Some(b'\\' | b':') => return None,
            Some(b'/') | None => {
                match &b[start..i] {
                    b".." => return None,
                    b"" | b"." => {}
                    _ if first.is_none() => first = Some(&rel[start..i]),
                    _ => {}
                }
                start = i + 1;
            }
            Some(_) => {}
        }
    }
    first
}

/// Where a relative reference may be found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum From {
    /// A Markdown link or image target: from the document's folder only, as GitHub
    /// renders it.
    Document,
    /// A plain-text mention (code span, `path:line`, tree, Key files list): from the
    /// document's folder or from the repository root.
    DocumentOrRoot,
}

/// The nearest ancestor holding `.git` (a folder or a file, as in worktrees).
pub fn find_root(start: &Path) -> Option<PathBuf> {
    git_root(start, None, &ceilings_from_env(), |d| {
        d.join(".git").exists()
    })
}

/// The absolute folders of `GIT_CEILING_DIRECTORIES`.
pub fn ceilings_from_env() -> Vec<PathBuf> {
    std::env::var_os("GIT_CEILING_DIRECTORIES")
        .map(|v| {
            std::env::split_paths(&v)
                .filter(|p| p.is_absolute())
                .collect()
        })
        .unwrap_or_default()
}

/// The one search for a repository root: `start` and the folders above it, nearest
/// first, for the first that `has_git` says holds `.git`. As git does, the search
/// stops at a folder named in `ceilings` (`GIT_CEILING_DIRECTORIES`) or at
/// `ceiling`, without looking in it: `start` itself is always looked in.
pub fn git_root(
    start: &Path,
    ceiling: Option<&Path>,
    ceilings: &[PathBuf],
    mut has_git: impl FnMut(&Path) -> bool,
) -> Option<PathBuf> {
    let stop = |d: &Path| ceiling == Some(d) || ceilings.iter().any(|c| c == d);
    start
        .ancestors()
        .enumerate()
        .take_while(|(i, d)| *i == 0 || !stop(d))
        .map(|(_, d)| d)
        .find(|d| has_git(d))
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_like_wc_plus_an_unterminated_last_line() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        // The last two take several reads of the buffer (and a second file, a buffer
        // that held the first's bytes).
        let long = "ab\n".repeat(40_000);
        let cases: &[(&str, usize)] = &[
            ("", 0),
            ("a", 1),
            ("a\n", 1),
            ("a\nb", 2),
            ("a\n\n", 2),
            (&format!("{long}z"), 40_001),
            (&long[..long.len() - 1], 40_000),
        ];
        for (i, (text, n)) in cases.iter().enumerate() {
            let p = dir.path().join(format!("f{i}"));
            std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                RealFs::new().count_lines(&p, MAX_COUNTED),
                Some(*n),
                "{text:?}"
            );
        }
    }

    #[test]
    fn joins_lexically() {
        let j = |b: &str, r: &str| join_lexically(Path::new(b), r).map(|p| p.display().to_string());
        assert_eq!(j("/r/docs", "../src/a.rs").as_deref(), Some("/r/src/a.rs"));
        assert_eq!(j("/r/docs", "./a/./b").as_deref(), Some("/r/docs/a/b"));
        assert_eq!(j("/r/docs", "a/b.rs").as_deref(), Some("/r/docs/a/b.rs"));
        assert_eq!(j("/r/docs", "a//b/").as_deref(), Some("/r/docs/a/b"));
        assert_eq!(j("/r/docs", "/etc"), None);
        assert_eq!(j("/r/docs", "").as_deref(), Some("/r/docs"));
    }

    #[test]
    fn first_names_only_for_paths_that_stay_below_their_base() {
        assert_eq!(first_name("src/a.rs"), Some("src"));
        assert_eq!(first_name("./src//a/"), Some("src"));
        assert_eq!(first_name("a.md"), Some("a.md"));
        assert_eq!(first_name("src/../docs/a.md"), None);
        assert_eq!(first_name("c:/x"), None);
        assert_eq!(first_name("a\\b"), None);
        assert_eq!(first_name("./"), None);
    }

    #[test]
    fn a_listing_is_unsure_where_a_file_system_might_fold_names() {
        let l = Listing::new(vec![
            ("Makefile".into(), EntryType::File),
            ("src".into(), EntryType::Dir),
        ]);
        assert_eq!(l.lookup("src"), Lookup::Found(EntryType::Dir));
        assert_eq!(l.lookup("docs"), Lookup::Absent);
        assert_eq!(l.lookup("makefile"), Lookup::Unsure);
        assert_eq!(l.lookup("café"), Lookup::Unsure);
    }

    /// The listing look-up as first written: a comparison with every entry.
    fn lookup_by_scan(l: &Listing, name: &str) -> Lookup {
        if let Some(e) = l.entries.iter().find(|e| &*e.0 == name) {
            return Lookup::Found(e.1);
        }
        if !name.is_ascii() || l.entries.iter().any(|e| e.0.eq_ignore_ascii_case(name)) {
            Lookup::Unsure
        } else {
            Lookup::Absent
        }
    }

    fn names() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::strategy::Strategy;
        proptest::collection::vec(
            proptest::sample::select(vec!["a", "A", "src", "S", "é", "É", "-", "1"]),
            0..4,
        )
        .prop_map(|p| p.concat())
    }

    proptest::proptest! {
        #[test]
        fn listing_lookup_is_the_scan(
            entries in proptest::collection::btree_set(names(), 0..8),
            name in names(),
        ) {
            let l = Listing::new(
                entries.into_iter().map(|n| (n.into_boxed_str(), EntryType::File)).collect(),
            );
            proptest::prop_assert_eq!(l.lookup(&name), lookup_by_scan(&l, &name));
        }

        #[test]
        fn folder_and_name_are_parent_and_file_name(
            parts in proptest::collection::vec(
                proptest::sample::select(vec!["a", "b.md", ".", "..", "", "é", "/"]),
                0..7,
            ),
        ) {
            let text = parts.join("/");
            let path = Path::new(&text);
            let by_path = path
                .parent()
                .zip(path.file_name().and_then(|n| n.to_str()))
                .map(|(d, n)| (key(d), n));
            proptest::prop_assert_eq!(folder_and_name(path), by_path, "{:?}", text);
        }

        #[test]
        fn joining_bytewise_is_joining_by_components(
            base in proptest::sample::select(vec!["/r", "/r/docs", "r", ".", "/", "/r/", "a/./b", ""]),
            parts in proptest::collection::vec(
                proptest::sample::select(vec!["a", "b.md", "é", "src", ".", "..", "", "a\\b"]),
                0..5,
            ),
        ) {
            let rel = parts.join("/");
            let base = Path::new(base);
            proptest::prop_assert_eq!(join_lexically(base, &rel), join_by_components(base, &rel));
        }

        #[test]
        fn first_name_is_the_first_part_below(
            parts in proptest::collection::vec(
                proptest::sample::select(vec!["a", "b.md", "é", ".", "..", "", "c:", "a\\b"]),
                0..5,
            ),
        ) {
            let rel = parts.join("/");
            let by_split = if rel.contains(['\\', ':']) || rel.split('/').any(|p| p == "..") {
                None
            } else {
                rel.split('/').find(|p| !p.is_empty() && *p != ".")
            };
            proptest::prop_assert_eq!(first_name(&rel), by_split);
        }
    }

    fn touch(p: &Path) {
        std::fs::create_dir_all(p.parent().unwrap_or(p)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(p, "x\n").unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn listings_answer_as_stat_would() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = tmp.path();
        std::fs::create_dir(root.join(".git")).unwrap_or_else(|e| panic!("{e}"));
        touch(&root.join("src/main.rs"));
        touch(&root.join("docs/ARCHITECTURE.md"));
        touch(&root.join("docs/local.md"));
        let repo = Repo::with_fs(&root.join("docs/ARCHITECTURE.md"), Arc::new(RepoFs::new()));
        assert!(repo.in_git);
        let found = |r: &str| repo.resolve(r).map(|x| (x.path, x.kind));
        assert_eq!(
            found("local.md"),
            Some((root.join("docs/local.md"), Kind::File))
        );
        assert_eq!(
            found("src/main.rs"),
            Some((root.join("src/main.rs"), Kind::File))
        );
        assert_eq!(found("src/"), Some((root.join("src"), Kind::Dir)));
        assert_eq!(found("./src/main.rs/"), None);
        assert_eq!(
            found("../src/main.rs"),
            Some((root.join("src/main.rs"), Kind::File))
        );
        assert_eq!(found("missing/main.rs"), None);
        #[cfg(unix)]
        {
            let docs = root.join("docs");
            std::os::unix::fs::symlink(root.join("src"), docs.join("code"))
                .unwrap_or_else(|e| panic!("{e}"));
            std::os::unix::fs::symlink(root.join("gone"), docs.join("broken"))
                .unwrap_or_else(|e| panic!("{e}"));
            // A fresh cache: the listing is read with the links in it.
            let repo = Repo::with_fs(&docs.join("ARCHITECTURE.md"), Arc::new(RepoFs::new()));
            let kind = |r: &str| repo.resolve(r).map(|x| x.kind);
            assert_eq!(kind("code"), Some(Kind::Dir));
            assert_eq!(kind("code/main.rs"), Some(Kind::File));
            assert_eq!(kind("broken"), None);
        }
    }

    #[test]
    fn a_folder_too_big_to_list_is_asked_name_by_name() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = tmp.path();
        for i in 0..=MAX_LISTED {
            std::fs::write(root.join(format!("f{i}.md")), "").unwrap_or_else(|e| panic!("{e}"));
        }
        let fs = Arc::new(RepoFs::new());
        assert!(fs.listing(root).is_none());
        let repo = Repo::with_fs(&root.join("ARCHITECTURE.md"), fs);
        let last = format!("f{MAX_LISTED}.md");
        assert_eq!(repo.resolve(&last).map(|r| r.kind), Some(Kind::File));
        assert_eq!(repo.resolve("g.md"), None);
    }

    /// `root/.git`, `root/src/main.rs` (3 lines), `root/docs/ARCHITECTURE.md`, and
    /// next to the root `outside/secret.txt`, which nothing may touch.
    #[cfg(unix)]
    fn hostile_tree() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = tmp.path().join("repo");
        let outside = tmp.path().join("outside");
        std::fs::create_dir_all(root.join(".git")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir_all(root.join("src")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(root.join("src/main.rs"), "a\nb\nc\n").unwrap_or_else(|e| panic!("{e}"));
        touch(&root.join("docs/ARCHITECTURE.md"));
        touch(&outside.join("secret.txt"));
        (tmp, root, outside)
    }

    #[cfg(unix)]
    fn link(target: impl AsRef<Path>, at: impl AsRef<Path>) {
        std::os::unix::fs::symlink(target, at).unwrap_or_else(|e| panic!("{e}"));
    }

    #[cfg(unix)]
    #[test]
    fn walks_follow_links_inside_the_root_and_refuse_the_rest() {
        let (_tmp, root, outside) = hostile_tree();
        let docs = root.join("docs");
        link("../src", docs.join("code"));
        link(root.join("src"), docs.join("abs"));
        link("code", docs.join("chain"));
        link("../src/main.rs", docs.join("main.rs"));
        link("loop", docs.join("loop"));
        link("gone", docs.join("dangling"));
        link(&outside, docs.join("out-abs"));
        link("../../outside", docs.join("out-rel"));
        link("code/../../outside", docs.join("out-via"));
        link("/dev/zero", docs.join("zero.txt"));
        link("out-rel/secret.txt", docs.join("out-chain.txt"));
        let fifo = std::ffi::CString::new(docs.join("pipe").as_os_str().as_encoded_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        // SAFETY: a valid C string naming a path in our temporary folder.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        link("pipe", docs.join("pipe-link"));
        let fs = Arc::new(RepoFs::new());
        let repo = Repo::with_fs(&docs.join("ARCHITECTURE.md"), fs.clone());
        let real = |r: &str| match repo.outcome(r) {
            Outcome::Found(f) => Ok((f.path, f.kind)),
            other => Err(other),
        };
        let main = Ok((root.join("src/main.rs"), Kind::File));
        assert_eq!(real("code/main.rs"), main);
        assert_eq!(real("abs/main.rs"), main);
        assert_eq!(real("chain/main.rs"), main);
        assert_eq!(real("main.rs"), main);
        assert_eq!(real("chain"), Ok((root.join("src"), Kind::Dir)));
        assert_eq!(real("loop"), Err(Outcome::Missing));
        assert_eq!(real("dangling"), Err(Outcome::Missing));
        assert_eq!(real("code/main.rs/x"), Err(Outcome::Missing));
        let link_leaves = Err(Outcome::Refused(Refused::LinkLeaves));
        for r in [
            "out-abs/secret.txt",
            "out-abs/nothing.txt",
            "out-rel/secret.txt",
            "out-via/secret.txt",
            "zero.txt",
            "out-chain.txt",
        ] {
            assert_eq!(real(r), link_leaves, "{r}");
        }
        let leaves = Err(Outcome::Refused(Refused::Leaves));
        assert_eq!(real("../../outside/secret.txt"), leaves);
        assert_eq!(real("../../outside/nothing.txt"), leaves);
        assert_eq!(real("/../outside/secret.txt"), leaves);
        let special = Err(Outcome::Refused(Refused::NotRegular));
        assert_eq!(real("pipe"), special);
        assert_eq!(real("pipe-link"), special);
        // Suggestions neither list nor name anything behind those links.
        let mut budget = SuggestBudget::per_document();
        assert_eq!(
            repo.closest("out-abs/secre.txt", From::DocumentOrRoot, &mut budget),
            None
        );
        assert_eq!(
            repo.closest("../../outside/secre.txt", From::DocumentOrRoot, &mut budget),
            None
        );
        assert_eq!(
            repo.closest("out-ab/secret.txt", From::DocumentOrRoot, &mut budget),
            None
        );
        // Nothing outside the repository was looked at: every path the cache holds is
        // below the root, but for the `.git` markers of the folders above it.
        let below_root = |k: &[u8]| {
            let p = Path::new(std::str::from_utf8(k).unwrap_or(""));
            p.starts_with(&root) || p.file_name().is_some_and(|n| n == ".git")
        };
        for k in read(&fs.nodes).keys().chain(read(&fs.listings).keys()) {
            assert!(below_root(k), "{}", String::from_utf8_lossy(k));
        }
    }

    #[cfg(unix)]
    #[test]
    fn only_regular_files_within_the_bound_are_counted() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let dir = tmp.path();
        let fifo = std::ffi::CString::new(dir.join("pipe").as_os_str().as_encoded_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        // SAFETY: a valid C string naming a path in our temporary folder.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        // Would block forever if it were opened without O_NONBLOCK.
        assert_eq!(
            RealFs::new().count_lines(&dir.join("pipe"), MAX_COUNTED),
            None
        );
        // A link is not followed at open (the walk resolves links, not the open).
        link("/dev/zero", dir.join("zero"));
        assert_eq!(
            RealFs::new().count_lines(&dir.join("zero"), MAX_COUNTED),
            None
        );
        assert_eq!(
            RealFs::new().count_lines(Path::new("/dev/zero"), MAX_COUNTED),
            None
        );
        assert_eq!(RealFs::new().count_lines(dir, MAX_COUNTED), None);
        // Sparse: larger than the bound without taking the disk space.
        let big = std::fs::File::create(dir.join("big")).unwrap_or_else(|e| panic!("{e}"));
        big.set_len(MAX_COUNTED + 1)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            RealFs::new().count_lines(&dir.join("big"), MAX_COUNTED),
            None
        );
        big.set_len(MAX_COUNTED).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            RealFs::new().count_lines(&dir.join("big"), MAX_COUNTED),
            Some(1)
        );
    }

    /// "did you mean" as first written: every entry of the wanted kind scored, the best
    /// kept (the last of equal ones).
    fn nearest_by_scan(entries: &[&str], name: &str) -> Option<(String, f64)> {
        let similarity = |a: &str, b: &str| {
            let (a, b) = (a.to_lowercase(), b.to_lowercase());
            let lev = strsim::normalized_damerau_levenshtein(&a, &b);
            if same_stem(&a, &b) {
                lev.max(0.9)
            } else {
                lev
            }
        };
        let mut sorted = entries.to_vec();
        sorted.sort_unstable();
        sorted
            .into_iter()
            .map(|e| (similarity(name, e), e))
            .filter(|(score, _)| *score >= 0.7)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(s, e)| (e.to_string(), s))
    }

    fn file_names(letters: Vec<&'static str>) -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::strategy::Strategy;
        proptest::collection::vec(proptest::sample::select(letters), 1..6).prop_map(|p| p.concat())
    }

    proptest::proptest! {
        #[test]
        fn nearest_names_are_the_scan(
            entries in proptest::collection::btree_set(
                file_names(vec!["a", "b", "ab", ".", "md", "rs", "É", "x"]),
                0..10,
            ),
            name in file_names(vec!["a", "b", "ab", ".", "md", "rs", "é", "y"]),
        ) {
            let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
            let dir = tmp.path();
            // `.` and `..` are no file names.
            let entries: Vec<&str> = entries
                .iter()
                .map(String::as_str)
                .filter(|e| !matches!(*e, "." | ".."))
                .collect();
            for e in &entries {
                std::fs::write(dir.join(e), "").unwrap_or_else(|e| panic!("{e}"));
            }
            let fs = RepoFs::new();
            let mut budget = SuggestBudget::per_document();
            let got = fs.nearest(dir, dir, &name, Kind::File, &mut budget);
            let want = nearest_by_scan(&entries, &name);
            proptest::prop_assert_eq!(got.map(|(n, s)| (n.to_string(), s)), want);
        }
    }

    #[test]
    fn suggestions_are_cached_and_charged_alike() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let dir = tmp.path();
        for e in ["decisions.md", "design.md", "deployment.md"] {
            std::fs::write(dir.join(e), "").unwrap_or_else(|e| panic!("{e}"));
        }
        let fs = RepoFs::new();
        let mut first = SuggestBudget::per_document();
        let mut again = SuggestBudget::per_document();
        let a = fs.nearest(dir, dir, "decision.md", Kind::File, &mut first);
        let b = fs.nearest(dir, dir, "decision.md", Kind::File, &mut again);
        assert_eq!(a.as_ref().map(|x| &*x.0), Some("decisions.md"));
        assert_eq!(a, b);
        // The cached answer costs the document what computing it did.
        assert_eq!(first.left, again.left);
        assert!(first.left < SuggestBudget::PER_DOCUMENT);
        // A document that has spent its budget gets no more suggestions, cached or not.
        let mut spent = SuggestBudget {
            left: SuggestBudget::PER_NAME - 1,
        };
        assert_eq!(
            fs.nearest(dir, dir, "decision.md", Kind::File, &mut spent),
            None
        );
        // A name longer than a file name can be costs nothing.
        let long = "d".repeat(MAX_NAME + 1);
        let mut budget = SuggestBudget::per_document();
        assert_eq!(fs.nearest(dir, dir, &long, Kind::File, &mut budget), None);
        assert_eq!(budget.left, SuggestBudget::PER_DOCUMENT);
    }
}
