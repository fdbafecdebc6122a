//! The four questions the repository cache asks the file system, behind a trait: the
//! real one ([`RealFs`], system calls on paths shortened by `syspath`) and one held in
//! memory ([`MemoryFs`]) for tests and for a caller that checks text it has not saved.
//! Everything above this trait (links resolved inside a root, listings, caches,
//! suggestions) is the same code whichever answers.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::fs::syspath::WorkingDir;

/// What one path is, without following it if it is a symbolic link (`lstat`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    File,
    Dir,
    /// A device, FIFO or socket.
    Special,
    /// A symbolic link, with its target as stored (`readlink`).
    Link(Arc<Path>),
    Missing,
}

/// What a directory entry is, as the listing (`readdir`'s type) says, without following
/// symbolic links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryType {
    File,
    Dir,
    /// A device, FIFO or socket.
    Special,
    /// A symbolic link: where it leads takes a walk.
    Link,
    /// Something `readdir` could not type: `lstat` says.
    Ask,
}

/// A file system as the repository cache reads it. Paths are absolute.
pub trait FileSystem: Send + Sync {
    /// A folder's entries whose names are UTF-8 (a reference is UTF-8, so no other
    /// name can match one), in any order; `None` when it cannot be read or has more
    /// than `max` entries.
    fn list(&self, dir: &Path, max: usize) -> Option<Vec<(Box<str>, EntryType)>>;

    /// What `path` is, a final symbolic link not followed.
    fn lstat(&self, path: &Path) -> Node;

    /// `path` with every symbolic link resolved, if it exists.
    fn canonicalize(&self, path: &Path) -> Option<PathBuf>;

    /// Lines in `path`, counted as `wc -l` does plus a last line without a newline;
    /// `None` unless it is a regular file (a final link is not followed) of at most
    /// `max_bytes` that can be read.
    fn count_lines(&self, path: &Path, max_bytes: u64) -> Option<usize>;

    /// The first `max` bytes of `path` as text (invalid UTF-8 replaced); `None` unless
    /// it is a regular file (a final link is not followed) that can be read.
    fn read_head(&self, path: &Path, max: usize) -> Option<String>;
}

/// The operating system's file system, reached by paths shortened against the working
/// directory it was made in (see `syspath`).
#[derive(Debug, Clone, Default)]
pub struct RealFs {
    wd: WorkingDir,
}

impl RealFs {
    /// The file system, with the working directory as it is now.
    pub fn new() -> RealFs {
        RealFs {
            wd: WorkingDir::current(),
        }
    }
}

impl FileSystem for RealFs {
    fn list(&self, dir: &Path, max: usize) -> Option<Vec<(Box<str>, EntryType)>> {
        let mut entries = Vec::new();
        for e in std::fs::read_dir(self.wd.short(dir)).ok()? {
            let e = e.ok()?;
            if entries.len() == max {
                return None;
            }
            let Ok(name) = e.file_name().into_string() else {
                continue;
            };
            // `file_type` never follows a link: `readdir`'s type, or an `lstat`.
            let kind = match e.file_type() {
                Ok(t) if t.is_symlink() => EntryType::Link,
                Ok(t) if t.is_dir() => EntryType::Dir,
                Ok(t) if t.is_file() => EntryType::File,
                Ok(_) => EntryType::Special,
                Err(_) => EntryType::Ask,
            };
            entries.push((name.into_boxed_str(), kind));
        }
        Some(entries)
    }

    fn lstat(&self, path: &Path) -> Node {
        let short = self.wd.short(path);
        match std::fs::symlink_metadata(short) {
            Err(_) => Node::Missing,
            Ok(m) if m.file_type().is_symlink() => match std::fs::read_link(short) {
                Ok(target) => Node::Link(target.into()),
                Err(_) => Node::Missing,
            },
            Ok(m) if m.is_dir() => Node::Dir,
            Ok(m) if m.is_file() => Node::File,
            Ok(_) => Node::Special,
        }
    }

    fn canonicalize(&self, path: &Path) -> Option<PathBuf> {
        std::fs::canonicalize(path).ok()
    }

    fn count_lines(&self, path: &Path, max_bytes: u64) -> Option<usize> {
        thread_local! {
            /// Zeroed once per worker rather than once per file.
            static BUF: std::cell::RefCell<Box<[u8]>> =
                std::cell::RefCell::new(vec![0; 32 * 1024].into_boxed_slice());
        }
        let (f, len) = open_regular(self.wd.short(path))?;
        if len > max_bytes {
            return None;
        }
        // The size said at open may be wrong (a file still growing, a file system that
        // reports 0): the read itself stops past the bound.
        let mut f = f.take(max_bytes + 1);
        BUF.with_borrow_mut(|buf| {
            let mut counter = LineCounter::default();
            loop {
                let n = match f.read(buf) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(_) => return None,
                };
                counter.add(&buf[..n]);
                if counter.bytes > max_bytes {
                    return None;
                }
            }
            Some(counter.lines())
        })
    }

    fn read_head(&self, path: &Path, max: usize) -> Option<String> {
        self.head(path, max)
    }
}

impl RealFs {
    fn head(&self, path: &Path, max: usize) -> Option<String> {
        let (f, _) = open_regular(self.wd.short(path))?;
        let mut buf = Vec::with_capacity(max.min(64 * 1024));
        f.take(max as u64).read_to_end(&mut buf).ok()?;
        Some(String::from_utf8_lossy(&buf).into_owned())
    }
}

/// Open `path` (as the system is to be asked) for reading only if it is a regular file: a final symbolic link is not
/// followed (`O_NOFOLLOW`; the walk already resolved links inside the root, so one here
/// appeared since), opening does not wait for a FIFO's writer (`O_NONBLOCK`, which
/// changes nothing for a regular file's reads), and the handle's own `fstat` says what
/// was opened.
fn open_regular(path: &Path) -> Option<(File, u64)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    let f = options.open(path).ok()?;
    let meta = f.metadata().ok()?;
    meta.is_file().then_some((f, meta.len()))
}

/// Lines in bytes read in pieces: newlines, plus one for a last line without one.
#[derive(Default)]
struct LineCounter {
    newlines: usize,
    bytes: u64,
    last: Option<u8>,
}

impl LineCounter {
    fn add(&mut self, piece: &[u8]) {
        self.newlines += piece.iter().filter(|&&b| b == b'\n').count();
        self.bytes += piece.len() as u64;
        if let Some(&b) = piece.last() {
            self.last = Some(b);
        }
    }

    fn lines(&self) -> usize {
        self.newlines + usize::from(self.last.is_some_and(|b| b != b'\n'))
    }
}

/// One entry of a [`MemoryFs`].
#[derive(Debug, Clone)]
enum Entry {
    Dir,
    File(Arc<[u8]>),
    Link(Arc<Path>),
    Special,
}

/// A file system held in memory: folders, files, symbolic links and special files at
/// absolute paths. Adding an entry adds the folders above it.
#[derive(Debug, Clone, Default)]
pub struct MemoryFs {
    entries: BTreeMap<PathBuf, Entry>,
}

/// Links followed in one resolution before giving up, as the kernel does (`ELOOP`).
const MAX_HOPS: usize = 40;

impl MemoryFs {
    pub fn new() -> MemoryFs {
        MemoryFs::default()
    }

    fn add(&mut self, path: &Path, entry: Entry) -> &mut MemoryFs {
        for dir in path.ancestors().skip(1) {
            self.entries.entry(dir.to_path_buf()).or_insert(Entry::Dir);
        }
        self.entries.insert(path.to_path_buf(), entry);
        self
    }

    pub fn dir(&mut self, path: impl AsRef<Path>) -> &mut MemoryFs {
        self.add(path.as_ref(), Entry::Dir)
    }

    pub fn file(&mut self, path: impl AsRef<Path>, text: impl AsRef<[u8]>) -> &mut MemoryFs {
        self.add(path.as_ref(), Entry::File(text.as_ref().into()))
    }

    pub fn link(&mut self, path: impl AsRef<Path>, target: impl AsRef<Path>) -> &mut MemoryFs {
        self.add(path.as_ref(), Entry::Link(target.as_ref().into()))
    }

    pub fn special(&mut self, path: impl AsRef<Path>) -> &mut MemoryFs {
        self.add(path.as_ref(), Entry::Special)
    }

    /// `path` with its links resolved (the last one too when `follow_last`), as the
    /// kernel walks it; `None` when a folder on the way is missing or links loop.
    fn resolve(&self, path: &Path, follow_last: bool, hops: &mut usize) -> Option<PathBuf> {
        let parts: Vec<Component<'_>> = path.components().collect();
        let mut cur = PathBuf::from("/");
        for (i, part) in parts.iter().enumerate() {
            match part {
                Component::RootDir | Component::Prefix(_) | Component::CurDir => {}
                Component::ParentDir => {
                    cur.pop();
                }
                Component::Normal(name) => {
                    cur.push(name);
                    let last = i + 1 == parts.len();
                    match self.entries.get(&cur) {
                        Some(Entry::Link(target)) if !last || follow_last => {
                            *hops += 1;
                            if *hops > MAX_HOPS {
                                return None;
                            }
                            cur.pop();
                            let next = cur.join(target);
                            cur = self.resolve(&next, true, hops)?;
                        }
                        Some(Entry::Dir) => {}
                        Some(_) if last => {}
                        None if last => {}
                        _ => return None,
                    }
                }
            }
        }
        Some(cur)
    }

    fn entry(&self, path: &Path, follow_last: bool) -> Option<(PathBuf, &Entry)> {
        let real = self.resolve(path, follow_last, &mut 0)?;
        if real == Path::new("/") {
            return Some((real, &Entry::Dir));
        }
        let e = self.entries.get(&real)?;
        Some((real, e))
    }
}

impl FileSystem for MemoryFs {
    fn list(&self, dir: &Path, max: usize) -> Option<Vec<(Box<str>, EntryType)>> {
        let (real, Entry::Dir) = self.entry(dir, true)? else {
            return None;
        };
        let mut out = Vec::new();
        for (path, e) in self.entries.range(real.clone()..) {
            if !path.starts_with(&real) {
                break;
            }
            if path.parent() != Some(real.as_path()) {
                continue;
            }
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if out.len() == max {
                return None;
            }
            let kind = match e {
                Entry::Dir => EntryType::Dir,
                Entry::File(_) => EntryType::File,
                Entry::Link(_) => EntryType::Link,
                Entry::Special => EntryType::Special,
            };
            out.push((name.into(), kind));
        }
        Some(out)
    }

    fn lstat(&self, path: &Path) -> Node {
        match self.entry(path, false) {
            None => Node::Missing,
            Some((_, Entry::Dir)) => Node::Dir,
            Some((_, Entry::File(_))) => Node::File,
            Some((_, Entry::Special)) => Node::Special,
            Some((_, Entry::Link(t))) => Node::Link(t.clone()),
        }
    }

    fn canonicalize(&self, path: &Path) -> Option<PathBuf> {
        self.entry(path, true).map(|(real, _)| real)
    }

    fn count_lines(&self, path: &Path, max_bytes: u64) -> Option<usize> {
        let (_, Entry::File(text)) = self.entry(path, false)? else {
            return None;
        };
        if text.len() as u64 > max_bytes {
            return None;
        }
        let mut counter = LineCounter::default();
        counter.add(text);
        Some(counter.lines())
    }

    fn read_head(&self, path: &Path, max: usize) -> Option<String> {
        let (_, Entry::File(text)) = self.entry(path, false)? else {
            return None;
        };
        Some(String::from_utf8_lossy(&text[..text.len().min(max)]).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same tree on disk and in memory.
    fn both() -> (tempfile::TempDir, PathBuf, MemoryFs) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = std::fs::canonicalize(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        let mut mem = MemoryFs::new();
        mem.dir(&root);
        let files: [(&str, &str); 4] = [
            ("src/main.rs", "a\nb\nc\n"),
            ("src/lib.rs", "one line, no newline"),
            ("docs/ARCHITECTURE.md", "# A\n"),
            ("empty.txt", ""),
        ];
        for (rel, text) in files {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap_or(&root)).unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
            mem.file(&p, text);
        }
        #[cfg(unix)]
        for (rel, target) in [
            ("code", "src"),
            ("docs/up", "../src/main.rs"),
            ("loop", "loop"),
        ] {
            std::os::unix::fs::symlink(target, root.join(rel)).unwrap_or_else(|e| panic!("{e}"));
            mem.link(root.join(rel), target);
        }
        (dir, root, mem)
    }

    /// The memory file system answers as the real one does, so that a test run on it
    /// says what a run on disk would.
    #[test]
    fn memory_answers_as_the_disk_does() {
        let (_dir, root, mem) = both();
        let real = RealFs::new();
        let paths = [
            "",
            "src",
            "src/main.rs",
            "src/lib.rs",
            "src/missing.rs",
            "missing/deeper.rs",
            "docs",
            "docs/ARCHITECTURE.md",
            "empty.txt",
            "code",
            "code/main.rs",
            "code/../empty.txt",
            "docs/up",
            "loop",
            "loop/x",
            "src/main.rs/x",
        ];
        for rel in paths {
            let p = root.join(rel);
            assert_eq!(mem.lstat(&p), real.lstat(&p), "lstat {rel}");
            assert_eq!(
                mem.canonicalize(&p),
                real.canonicalize(&p),
                "canonicalize {rel}"
            );
            assert_eq!(
                mem.read_head(&p, 4),
                real.read_head(&p, 4),
                "read_head {rel}"
            );
            for max in [0, 5, 1 << 20] {
                assert_eq!(
                    mem.count_lines(&p, max),
                    real.count_lines(&p, max),
                    "count_lines {rel} {max}"
                );
            }
            for max in [1, 100] {
                let sorted = |l: Option<Vec<(Box<str>, EntryType)>>| {
                    l.map(|mut v| {
                        v.sort_by(|a, b| a.0.cmp(&b.0));
                        v
                    })
                };
                assert_eq!(
                    sorted(mem.list(&p, max)),
                    sorted(real.list(&p, max)),
                    "list {rel} {max}"
                );
            }
        }
    }
}
