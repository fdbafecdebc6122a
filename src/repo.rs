//! The repository a document lives in: its root (nearest `.git`) and the document's
//! folder, against which references resolve; and [`RepoFs`], the one cache through
//! which rules look at the file system.
//!
//! Rules never touch the disk themselves. A document with a thousand references into
//! one tree costs one `stat` per distinct path, one directory listing per folder a
//! "did you mean" needs, and one read per file whose length a `path:line` asks about,
//! however many documents of the run share them.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, LazyLock, RwLock};

/// What a path names on disk (symbolic links followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
}

/// A map keyed by a path's bytes. Paths reach the cache already canonical (see
/// [`join_lexically`]), so their bytes are the identity; hashing them as bytes is many
/// times cheaper than `Path`'s component-wise hash.
type PathMap<V> = HashMap<Box<[u8]>, V, foldhash::fast::RandomState>;

fn key(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

/// Memoised file-system facts: existence and kind, directory listings, line counts.
/// Shared by every document of a run; safe to use from the rayon workers.
#[derive(Default)]
pub struct RepoFs {
    kinds: RwLock<PathMap<Option<Kind>>>,
    listings: RwLock<PathMap<Option<Arc<Listing>>>>,
    lines: RwLock<PathMap<Option<usize>>>,
}

impl std::fmt::Debug for RepoFs {
    // The maps can hold thousands of paths; their sizes say enough.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RepoFs")
            .field("paths", &read(&self.kinds).len())
            .field("listings", &read(&self.listings).len())
            .field("line_counts", &read(&self.lines).len())
            .finish()
    }
}

/// The cache [`Repo::for_document`] uses. One process is one `archlint` run, so this
/// is the per-run cache; callers that need a private one use [`Repo::with_fs`].
static SHARED: LazyLock<Arc<RepoFs>> = LazyLock::new(|| Arc::new(RepoFs::default()));

/// A folder with more entries than this is not listed: its names are looked up one
/// `stat` at a time instead, so one huge folder costs neither the time to read it
/// nor the memory to keep it.
const MAX_LISTED: usize = 4096;

/// What a directory entry is, as the listing (`readdir`'s type) says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryType {
    File,
    Dir,
    /// A symbolic link or something `readdir` could not type: `stat` says what it
    /// names.
    Ask,
}

/// One folder's entries with valid UTF-8 names (a reference is UTF-8, so no other
/// name can match one), sorted by name.
#[derive(Debug)]
pub struct Listing {
    entries: Box<[(Box<str>, EntryType)]>,
    /// The names with ASCII letters lowercased, sorted; only when some name has an
    /// uppercase letter (otherwise `entries` serve, being their own folding).
    folded: Option<Box<[Box<str>]>>,
}

/// What a listing says about a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lookup {
    Found(EntryType),
    Absent,
    /// Not there byte for byte, but a case-insensitive or normalising file system
    /// (macOS, Windows) might still find it: only `stat` can tell.
    Unsure,
}

impl Listing {
    fn read(dir: &Path) -> Option<Listing> {
        let mut entries = Vec::new();
        for e in std::fs::read_dir(crate::syspath::short(dir)).ok()? {
            let e = e.ok()?;
            if entries.len() == MAX_LISTED {
                return None;
            }
            let Ok(name) = e.file_name().into_string() else {
                continue;
            };
            let kind = match e.file_type() {
                Ok(t) if t.is_dir() => EntryType::Dir,
                Ok(t) if t.is_file() => EntryType::File,
                _ => EntryType::Ask,
            };
            entries.push((name.into_boxed_str(), kind));
        }
        Some(Listing::new(entries))
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
        Listing {
            entries: entries.into(),
            folded,
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
}

impl RepoFs {
    pub fn new() -> RepoFs {
        RepoFs::default()
    }

    /// The process-wide cache.
    pub fn shared() -> Arc<RepoFs> {
        SHARED.clone()
    }

    /// Whether `path` exists, and as what. Answered from its folder's listing when
    /// that folder has been listed, else by one `stat`.
    pub fn kind(&self, path: &Path) -> Option<Kind> {
        if let Some((dir, name)) = folder_and_name(path) {
            if let Some(Some(listing)) = read(&self.listings).get(dir) {
                match listing.lookup(name) {
                    Lookup::Found(EntryType::File) => return Some(Kind::File),
                    Lookup::Found(EntryType::Dir) => return Some(Kind::Dir),
                    Lookup::Absent => return None,
                    Lookup::Found(EntryType::Ask) | Lookup::Unsure => {}
                }
            }
        }
        if let Some(k) = read(&self.kinds).get(key(path)) {
            return *k;
        }
        let kind = std::fs::metadata(crate::syspath::short(path))
            .ok()
            .map(|m| if m.is_dir() { Kind::Dir } else { Kind::File });
        write(&self.kinds).insert(key(path).into(), kind);
        kind
    }

    /// The folder's listing, read once per run; `None` when it cannot be read or has
    /// more than [`MAX_LISTED`] entries.
    pub fn listing(&self, dir: &Path) -> Option<Arc<Listing>> {
        if let Some(l) = read(&self.listings).get(key(dir)) {
            return l.clone();
        }
        let listing = Listing::read(dir).map(Arc::new);
        write(&self.listings).insert(key(dir).into(), listing.clone());
        listing
    }

    /// Lines in a file, counted as `wc -l` does plus a last line without a newline;
    /// `None` when it cannot be read.
    pub fn line_count(&self, file: &Path) -> Option<usize> {
        if let Some(n) = read(&self.lines).get(key(file)) {
            return *n;
        }
        let n = count_lines(file);
        write(&self.lines).insert(key(file).into(), n);
        n
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

fn count_lines(path: &Path) -> Option<usize> {
    thread_local! {
        /// Zeroed once per worker rather than once per file.
        static BUF: std::cell::RefCell<Box<[u8]>> =
            std::cell::RefCell::new(vec![0; 32 * 1024].into_boxed_slice());
    }
    let mut f = File::open(path).ok()?;
    BUF.with_borrow_mut(|buf| {
        let mut lines = 0usize;
        let mut last = b'\n';
        loop {
            let n = match f.read(buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => return None,
            };
            lines += buf[..n].iter().filter(|&&b| b == b'\n').count();
            last = buf[n - 1];
        }
        if last != b'\n' {
            lines += 1;
        }
        Some(lines)
    })
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

/// Where a reference was found on disk.
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
    /// The listings of `doc_dir` and `root`, held here so that each reference does not
    /// look them up again.
    doc_listing: Option<Arc<Listing>>,
    root_listing: Option<Arc<Listing>>,
    fs: Arc<RepoFs>,
}

impl Repo {
    /// The repository of the document at `path` (which need not exist, for stdin),
    /// using the run-wide cache.
    pub fn for_document(path: &Path) -> Repo {
        Repo::with_fs(path, RepoFs::shared())
    }

    /// As [`Repo::for_document`], with a cache of the caller's.
    pub fn with_fs(path: &Path, fs: Arc<RepoFs>) -> Repo {
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let doc_dir = abs
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        // The document's folder is where most references are tried first: its listing
        // answers them, and the `.git` question, without a `stat` each.
        let doc_listing = fs.listing(&doc_dir);
        let found = doc_dir
            .ancestors()
            .find(|d| fs.kind(&d.join(".git")).is_some())
            .map(Path::to_path_buf);
        let in_git = found.is_some();
        let root = found.unwrap_or_else(|| doc_dir.clone());
        Repo {
            at_root: doc_dir == root,
            root_listing: fs.listing(&root),
            doc_listing,
            root,
            doc_dir,
            in_git,
            fs,
        }
    }

    /// A repository with explicit folders (tests, tools), using the run-wide cache.
    pub fn new(root: PathBuf, doc_dir: PathBuf) -> Repo {
        let fs = RepoFs::shared();
        Repo {
            in_git: root.join(".git").exists(),
            at_root: doc_dir == root,
            doc_listing: fs.listing(&doc_dir),
            root_listing: fs.listing(&root),
            root,
            doc_dir,
            fs,
        }
    }

    pub fn fs(&self) -> &RepoFs {
        &self.fs
    }

    /// The folders a relative reference is tried against, in order.
    fn bases(&self, root_relative: bool) -> impl Iterator<Item = &Path> {
        self.listed_bases(root_relative).map(|(base, _)| base)
    }

    /// [`Repo::bases`] with their listings.
    fn listed_bases(&self, root_relative: bool) -> impl Iterator<Item = (&Path, Option<&Listing>)> {
        let doc_dir = (!root_relative && !self.at_root)
            .then_some((self.doc_dir.as_path(), self.doc_listing.as_deref()));
        doc_dir.into_iter().chain(std::iter::once((
            self.root.as_path(),
            self.root_listing.as_deref(),
        )))
    }

    /// Find `reference` (a relative path with `/` separators, already stripped of
    /// `#fragment` and `?query` and percent-decoded) relative to the document's folder
    /// or the repository root; a leading `/` means the repository root only.
    pub fn resolve(&self, reference: &str) -> Option<Resolved> {
        let root_relative = reference.starts_with('/');
        let rel = reference.trim_start_matches('/');
        // The path's first name must be in the base folder: its listing rules out most
        // bases without a `stat` (a document in `docs/` naming `src/...`).
        let first = first_name(rel);
        for (base, listing) in self.listed_bases(root_relative) {
            if let (Some(name), Some(listing)) = (first, listing) {
                if listing.lookup(name) == Lookup::Absent {
                    continue;
                }
            }
            let Some(path) = join_lexically(base, rel) else {
                continue;
            };
            if let Some(kind) = self.fs.kind(&path) {
                // `src/main.rs/` is not a file.
                if reference.ends_with('/') && kind != Kind::Dir {
                    continue;
                }
                return Some(Resolved { path, kind });
            }
        }
        None
    }

    /// Lines in a resolved file (see [`RepoFs::line_count`]).
    pub fn line_count(&self, path: &Path) -> Option<usize> {
        self.fs.line_count(path)
    }

    /// The existing path closest to a dead `reference`: the first component that does
    /// not exist is compared with the entries of the folder holding it.
    pub fn closest(&self, reference: &str) -> Option<Suggestion> {
        let root_relative = reference.starts_with('/');
        let parts: Vec<&str> = reference.split('/').filter(|p| !p.is_empty()).collect();
        let mut best: Option<Suggestion> = None;
        for base in self.bases(root_relative) {
            let mut cur = base.to_path_buf();
            for (i, part) in parts.iter().enumerate() {
                let Some(next) = join_lexically(&cur, part) else {
                    break;
                };
                if self.fs.kind(&next).is_some() {
                    cur = next;
                    continue;
                }
                if self.fs.kind(&cur) != Some(Kind::Dir) {
                    break;
                }
                let Some(listing) = self.fs.listing(&cur) else {
                    break;
                };
                // A folder is only suggested for a folder, and a file for the last part
                // of a reference that does not end in `/`.
                let want_dir = i + 1 < parts.len() || reference.ends_with('/');
                let found = listing
                    .names()
                    .filter(|e| {
                        let kind = self.fs.kind(&cur.join(e));
                        kind == Some(if want_dir { Kind::Dir } else { Kind::File })
                    })
                    .map(|e| (name_similarity(part, e), e))
                    .filter(|(score, _)| *score >= 0.7)
                    .max_by(|a, b| a.0.total_cmp(&b.0));
                if let Some((score, name)) = found {
                    let mut written: Vec<&str> = parts[..i].to_vec();
                    written.push(name);
                    let rest = &parts[i + 1..];
                    let full = join_lexically(&cur, &format!("{name}/{}", rest.join("/")));
                    if !rest.is_empty() && full.is_some_and(|p| self.fs.kind(&p).is_some()) {
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
    pub fn searched(&self, root_relative: bool) -> String {
        let root = if self.in_git {
            "the repository root"
        } else {
            "the document's folder (no enclosing git repository)"
        };
        if root_relative || self.at_root {
            return format!("looked in {root}");
        }
        let rel = self
            .doc_dir
            .strip_prefix(&self.root)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_else(|_| self.doc_dir.display().to_string());
        format!("looked in `{rel}/` and {root}")
    }
}

/// How alike two file names are, 0 to 1: edit distance, with a bonus for the same
/// stem under another extension (`flow.png` for `flow.svg`).
fn name_similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    let lev = strsim::normalized_damerau_levenshtein(&a, &b);
    let stem = |s: &str| {
        s.rsplit_once('.')
            .map(|(st, _)| st.to_string())
            .unwrap_or(s.to_string())
    };
    let same_stem =
        a.contains('.') && b.contains('.') && !stem(&a).is_empty() && stem(&a) == stem(&b);
    if same_stem {
        lev.max(0.9)
    } else {
        lev
    }
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
    use std::ffi::{OsStr, OsString};
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

/// The nearest ancestor holding `.git` (a folder or a file, as in worktrees).
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|d| d.join(".git").exists())
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
            assert_eq!(count_lines(&p), Some(*n), "{text:?}");
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
}
