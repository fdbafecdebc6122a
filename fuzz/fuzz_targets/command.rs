//! The whole command, in process: a small repository tree (documents, file names,
//! symlinks, FIFOs, `.git`, `.gitignore`, `archlint.toml`, profiles) and a command
//! line decoded from the input are laid out in a temporary folder and run through
//! `Cli::try_parse_from` and `archlint::run`, with the repository as the working
//! directory. Then the promises of SPEC.md ("Running on untrusted content") are
//! asserted: exit code 0, 1 or 2; no raw control character and no forged workflow
//! command in terminal and log output; every JSON, JSON-lines and XML output well
//! formed; nothing written outside the repository nor, inside it, anywhere but the
//! paths the command line names for writing (a link or FIFO there stays what it was,
//! and `init` clobbers nothing without `--force`); and neither the contents of a file
//! beside the repository nor the name of one reach any output.
//!
//! Input format (see fuzz/README.md and `seed.sh`): records separated by `\x1e\x1e`.
//! The first record is the header, read byte by byte as knobs (a missing byte is 0).
//! Each further record (at most 10) is an entry: a kind byte, then its name up to the
//! first `\x1f`, then its contents (a file's bytes, a symlink's target).
#![no_main]

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::io::{Read, Seek, Write};
use std::os::fd::AsRawFd;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use clap::Parser;
use libfuzzer_sys::fuzz_target;

const SECRET: &str = "CANARY-SECRET-xyz";
const CANARY: &[u8] = b"CANARY-WRITE-abc\n";
/// The name of files beside the repository: no input can spell it (see `sanitize`), so
/// it reaches an output only if archlint listed a folder outside the repository.
const HIDDEN: &str = "zz9071zz";
/// Where the harness's own report, output and init targets go: no entry may use it.
const RESERVED: &str = "_fuzz_out";
const MAX_ENTRIES: usize = 10;

const FORMATS: [&str; 9] = [
    "human",
    "short",
    "json",
    "github",
    "sarif",
    "junit",
    "checkstyle",
    "gitlab",
    "rdjsonl",
];
const PROFILES: [&str; 6] = [
    "core",
    "comprehensive",
    "adr",
    "walkthrough",
    "enterprise",
    "service",
];
const RULES: [&str; 18] = [
    "missing-section",
    "section-order",
    "heading-level",
    "missing-field",
    "missing-date",
    "invalid-date",
    "stale-date",
    "missing-diagram",
    "mermaid-syntax",
    "placeholder",
    "empty-section",
    "dead-reference",
    "invalid-suppression",
    "adr-sequence",
    "adr-status",
    "adr-index",
    "doc-drift",
    "no-such-rule",
];

/// The process's folders: `root` (a temporary folder for the process's life) holds
/// `t`, which holds the files beside the repository and, during one input, `repo`.
struct World {
    root: PathBuf,
    outside: PathBuf,
    repo: PathBuf,
    home: PathBuf,
    saved_stderr: i32,
    /// `ARCHLINT_FUZZ_DEBUG`: print every run (to replay an input readably).
    debug: bool,
}

static WORLD: OnceLock<World> = OnceLock::new();

extern "C" fn remove_root() {
    if let Some(w) = WORLD.get() {
        let _ = std::env::set_current_dir(&w.home);
        let _ = std::fs::remove_dir_all(&w.root);
    }
}

fn world() -> &'static World {
    WORLD.get_or_init(|| {
        let home = std::env::current_dir().expect("the working directory");
        let root = tempfile::Builder::new()
            .prefix("archlint-fuzz-command-")
            .tempdir()
            .expect("a temporary folder")
            .keep();
        let root = root.canonicalize().expect("canonical temporary folder");
        // Nothing above the temporary folder may be a repository or hold a
        // configuration: it would make the runs depend on the machine.
        for dir in root.ancestors() {
            for name in [".git", "archlint.toml", ".archlint.toml"] {
                assert!(
                    std::fs::symlink_metadata(dir.join(name)).is_err(),
                    "{} exists; the harness needs a clean temporary folder",
                    dir.join(name).display()
                );
            }
        }
        let outside = root.join("t");
        std::fs::create_dir(&outside).expect("create t");
        std::fs::write(outside.join("canary.txt"), CANARY).expect("canary");
        std::fs::write(outside.join("secret.txt"), format!("{SECRET}\n")).expect("secret");
        std::fs::write(
            outside.join(format!("{HIDDEN}.md")),
            format!("# Architecture\n\n{SECRET} [Date] TODO\n\n## Overview\n"),
        )
        .expect("hidden document");
        std::fs::write(
            outside.join(format!("{HIDDEN}.toml")),
            format!("{SECRET} = = \"\n"),
        )
        .expect("hidden profile");
        let repo = outside.join("repo");
        // Deterministic runs: no colour, one walker thread, no CI variables.
        std::env::set_var("NO_COLOR", "1");
        std::env::set_var("RAYON_NUM_THREADS", "1");
        for k in [
            "CLICOLOR_FORCE",
            "FORCE_COLOR",
            "CLICOLOR",
            "GITHUB_WORKSPACE",
            "CI_PROJECT_DIR",
            "ARCHLINT_CONFIG",
        ] {
            std::env::remove_var(k);
        }
        let saved_stderr = unsafe { libc::dup(2) };
        assert!(saved_stderr >= 0, "dup stderr");
        // A panic (a finding) must reach the real stderr and leave the process where
        // libFuzzer expects it.
        let previous = std::panic::take_hook();
        let home2 = home.clone();
        let root2 = root.clone();
        std::panic::set_hook(Box::new(move |info| {
            unsafe {
                libc::dup2(saved_stderr, 2);
            }
            let _ = std::env::set_current_dir(&home2);
            // libFuzzer aborts after the hook: no `atexit`. ARCHLINT_FUZZ_DEBUG shows
            // the tree of a replayed input.
            let _ = std::fs::remove_dir_all(&root2);
            previous(info);
        }));
        unsafe {
            libc::atexit(remove_root);
        }
        World {
            root,
            outside,
            repo,
            home,
            saved_stderr,
            debug: std::env::var_os("ARCHLINT_FUZZ_DEBUG").is_some(),
        }
    })
}

/// Header knobs, read in order; 0 once the header is used up.
struct Knobs<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Knobs<'_> {
    fn next(&mut self) -> u8 {
        let b = self.bytes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }
}

#[derive(Clone)]
enum Kind {
    File(Vec<u8>),
    Link(OsString),
    Dir,
    Fifo,
}

impl std::fmt::Debug for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Kind::File(b) => write!(f, "file {:?}", String::from_utf8_lossy(b)),
            Kind::Link(t) => write!(f, "symlink to {t:?}"),
            Kind::Dir => write!(f, "folder"),
            Kind::Fifo => write!(f, "FIFO"),
        }
    }
}

#[derive(Clone)]
struct Entry {
    /// Relative to the repository: only normal components.
    rel: PathBuf,
    kind: Kind,
}

/// Replace every spelling (ASCII case ignored) of the secret's tail and of the hidden
/// name, so that finding them in an output proves a read outside the repository.
fn sanitize(data: &[u8]) -> Vec<u8> {
    let mut d = data.to_vec();
    for needle in [b"secret-xyz".as_slice(), HIDDEN.as_bytes()] {
        let n = needle.len();
        let mut i = 0;
        while i + n <= d.len() {
            if d[i..i + n].eq_ignore_ascii_case(needle) {
                d[i + n - 1] = b'_';
            }
            i += 1;
        }
    }
    d
}

fn split<'a>(data: &'a [u8], sep: &[u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + sep.len() <= data.len() {
        if &data[i..i + sep.len()] == sep {
            out.push(&data[start..i]);
            i += sep.len();
            start = i;
        } else {
            i += 1;
        }
    }
    out.push(&data[start..]);
    out
}

/// A name as the OS can create it: `/` separates folders, empty and `.` components
/// are dropped, a `..` component or the reserved folder rejects the name, components
/// are cut to 255 bytes. `None` when nothing is left.
fn clean_name(raw: &[u8]) -> Option<PathBuf> {
    let mut p = PathBuf::new();
    let mut n = 0;
    for part in raw.split(|&b| b == b'/') {
        if part.is_empty() || part == b"." {
            continue;
        }
        if part == b".." || part.contains(&0) {
            return None;
        }
        if n == 0 && part == RESERVED.as_bytes() {
            return None;
        }
        n += 1;
        if n > 6 {
            return None;
        }
        p.push(OsStr::from_bytes(&part[..part.len().min(255)]));
    }
    (n > 0).then_some(p)
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "\n  {:?}: {:?}", self.rel, self.kind)
    }
}

fn with_file(dir: Option<PathBuf>, name: &str) -> PathBuf {
    match dir {
        Some(d) => d.join(name),
        None => PathBuf::from(name),
    }
}

struct Input {
    header: Vec<u8>,
    entries: Vec<Entry>,
    /// (`--stdin-filename` candidate, contents).
    stdin: Option<(Option<PathBuf>, Vec<u8>)>,
}

fn decode(data: &[u8]) -> Input {
    let records = split(data, b"\x1e\x1e");
    let header = records[0].to_vec();
    let mut entries = Vec::new();
    let mut stdin = None;
    for rec in records.iter().skip(1).take(MAX_ENTRIES) {
        let Some((&kind, rest)) = rec.split_first() else {
            continue;
        };
        let (name, body) = match rest.iter().position(|&b| b == 0x1f) {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &[][..]),
        };
        let name_path = clean_name(name);
        let entry = match kind % 10 {
            0..=2 => name_path.map(|rel| (rel, Kind::File(body.to_vec()))),
            3 => name_path.map(|rel| {
                let target = link_target(&rel, body);
                (rel, Kind::Link(target))
            }),
            4 => name_path.map(|rel| (rel, Kind::Dir)),
            5 => name_path.map(|rel| (rel, Kind::Fifo)),
            6 => {
                stdin = Some((name_path, body.to_vec()));
                None
            }
            7 => Some((
                with_file(name_path, ".gitignore"),
                Kind::File(body.to_vec()),
            )),
            8 => Some((
                with_file(name_path, "archlint.toml"),
                Kind::File(body.to_vec()),
            )),
            _ => name_path.map(|mut rel| {
                if rel.extension().is_none_or(|e| e != "toml") {
                    let mut s = rel.file_name().unwrap_or_default().to_os_string();
                    if s.len() > 250 {
                        s = OsString::from("p");
                    }
                    s.push(".toml");
                    rel.set_file_name(s);
                }
                (rel, Kind::File(body.to_vec()))
            }),
        };
        if let Some((rel, kind)) = entry {
            entries.push(Entry { rel, kind });
        }
    }
    Input {
        header,
        entries,
        stdin,
    }
}

/// A symlink's target: the bytes as written, or for a body of at most one byte one of
/// the interesting places, relative to where the link sits.
fn link_target(rel: &Path, body: &[u8]) -> OsString {
    if body.len() > 1 {
        return OsString::from_vec(body.iter().copied().filter(|&b| b != 0).collect());
    }
    let w = world();
    let depth = rel.components().count() - 1;
    let up = "../".repeat(depth + 1);
    let s = match body.first().copied().unwrap_or(0) % 12 {
        0 => format!("{up}secret.txt"),
        1 => format!("{up}canary.txt"),
        2 => up,
        3 => format!("{up}.."),
        4 => "/dev/zero".into(),
        5 => "/dev/null".into(),
        6 => "nowhere/dangling.md".into(),
        7 => w.outside.join("secret.txt").display().to_string(),
        8 => w.outside.display().to_string(),
        9 => ".".into(),
        10 => rel
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned(),
        _ => format!("{}ARCHITECTURE.md", "../".repeat(depth)),
    };
    OsString::from(s)
}

/// Lay out one entry below `repo`, never through a symlink and never over anything.
fn create(repo: &Path, e: &Entry) {
    let mut cur = repo.to_path_buf();
    let parts: Vec<_> = e.rel.components().collect();
    for part in &parts[..parts.len() - 1] {
        cur.push(part);
        match std::fs::symlink_metadata(&cur) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return,
            Err(_) => {
                if std::fs::create_dir(&cur).is_err() {
                    return;
                }
            }
        }
    }
    let at = repo.join(&e.rel);
    if std::fs::symlink_metadata(&at).is_ok() {
        return;
    }
    let _ = match &e.kind {
        Kind::File(bytes) => std::fs::write(&at, bytes),
        Kind::Link(target) => std::os::unix::fs::symlink(target, &at),
        Kind::Dir => std::fs::create_dir(&at),
        Kind::Fifo => {
            let c = std::ffi::CString::new(at.as_os_str().as_bytes()).expect("no NUL");
            unsafe { libc::mkfifo(c.as_ptr(), 0o644) };
            Ok(())
        }
    };
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Snap {
    File(Vec<u8>),
    Dir,
    Link(OsString),
    Fifo,
    Other,
}

/// Everything below `dir`, links not followed.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Snap> {
    let mut map = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for ent in rd.flatten() {
            let p = ent.path();
            let Ok(m) = std::fs::symlink_metadata(&p) else {
                continue;
            };
            use std::os::unix::fs::FileTypeExt;
            let ft = m.file_type();
            let s = if ft.is_symlink() {
                Snap::Link(
                    std::fs::read_link(&p)
                        .map(|t| t.into_os_string())
                        .unwrap_or_default(),
                )
            } else if ft.is_dir() {
                stack.push(p.clone());
                Snap::Dir
            } else if ft.is_file() {
                Snap::File(std::fs::read(&p).unwrap_or_default())
            } else if ft.is_fifo() {
                Snap::Fifo
            } else {
                Snap::Other
            };
            map.insert(p, s);
            if map.len() > 10_000 {
                return map;
            }
        }
    }
    map
}

fn listing(dir: &Path) -> Vec<OsString> {
    let mut v: Vec<OsString> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// What the command line asks for, beside the arguments themselves.
#[derive(Default)]
struct Plan {
    args: Vec<OsString>,
    /// The main format of a `check`, `None` for other commands.
    format: Option<&'static str>,
    command: &'static str,
    /// Paths (relative to the repository) the command may write, with their format.
    writes: Vec<(PathBuf, Option<&'static str>)>,
    /// `--output` given: standard output stays empty.
    output: bool,
    /// `init` without `--force`: its target, where nothing that exists may change.
    init_no_force: Option<PathBuf>,
    /// Paths the command line names to read (relative to the repository).
    named: Vec<PathBuf>,
    stdin: Option<Vec<u8>>,
    stdin_pipe: bool,
    github_workspace: bool,
    /// Where `--` belongs when a name given without it starts with `-`.
    options_end: Option<usize>,
}

fn ext(format: &str) -> &'static str {
    match format {
        "json" | "sarif" | "gitlab" => "json",
        "junit" | "checkstyle" => "xml",
        "rdjsonl" => "jsonl",
        _ => "txt",
    }
}

fn plan(input: &Input, git: bool) -> Plan {
    let mut k = Knobs {
        bytes: &input.header[input.header.len().min(1)..],
        at: 0,
    };
    let entries = &input.entries;
    let pick = |b: u8| -> Option<&Entry> {
        if entries.is_empty() {
            None
        } else {
            Some(&entries[b as usize % entries.len()])
        }
    };
    let mut p = Plan::default();
    let mut a: Vec<OsString> = vec!["archlint".into()];
    let write_target = |b: u8, e: Option<&Entry>, default: &str| -> PathBuf {
        let t = match (git, b % 4, e) {
            (true, 1, Some(e)) => e.rel.clone(),
            (true, 2, Some(e)) => e.rel.join(default),
            _ => Path::new(RESERVED).join(default),
        };
        t
    };
    match k.next() % 20 {
        0..=13 => {
            p.command = "check";
            a.push("check".into());
            a.push("--today".into());
            a.push("2026-11-21".into());
            let format = FORMATS[k.next() as usize % FORMATS.len()];
            p.format = Some(format);
            a.push("--format".into());
            a.push(format.into());
            let flags = k.next();
            if flags & 1 != 0 {
                a.push("--no-ignore".into());
            }
            if flags & 2 != 0 {
                a.push("--deny-warnings".into());
            }
            if flags & 4 != 0 {
                a.push("--max-warnings".into());
                a.push(k.next().to_string().into());
            }
            if flags & 8 != 0 {
                a.push("--quiet".into());
            }
            if flags & 16 != 0 {
                a.push("--report-unused-suppressions".into());
            }
            if flags & 32 != 0 {
                a.push("--exit-zero".into());
            }
            if flags & 64 != 0 {
                a.push("--isolated".into());
            }
            if flags & 128 != 0 {
                a.push("--color".into());
                a.push("never".into());
            }
            let prof = k.next();
            let which = k.next();
            match prof % 16 {
                0..=4 => {}
                5..=10 => {
                    a.push("--profile".into());
                    a.push(PROFILES[(prof % 16 - 5) as usize].into());
                }
                11 => {
                    a.push("--profile".into());
                    a.push("auto".into());
                }
                12 => {
                    a.push("--profile".into());
                    a.push("no-such-profile".into());
                }
                _ => {
                    if let Some(e) = pick(which) {
                        a.push("--profile".into());
                        a.push(e.rel.clone().into());
                        p.named.push(e.rel.clone());
                    }
                }
            }
            let reports = k.next();
            for _ in 0..(reports % 4).saturating_sub(1) {
                let f = FORMATS[k.next() as usize % FORMATS.len()];
                let t = k.next();
                let e = pick(k.next());
                let name = format!("r{}.{}", p.writes.len(), ext(f));
                let target = write_target(t, e, &name);
                let mut arg = OsString::from(format!("{f}="));
                arg.push(&target);
                a.push("--report".into());
                a.push(arg);
                p.writes.push((target, Some(f)));
            }
            if reports & 4 != 0 {
                let t = k.next();
                let e = pick(k.next());
                let target = write_target(t, e, &format!("out.{}", ext(format)));
                a.push("-o".into());
                a.push(target.clone().into());
                p.writes.push((target, Some(format)));
                p.output = true;
            }
            p.github_workspace = reports & 8 != 0;
            let paths = k.next();
            let (ea, eb) = (pick(k.next()), pick(k.next()));
            let mut positional: Vec<OsString> = Vec::new();
            if paths & 1 != 0 {
                positional.push(".".into());
            }
            if paths & 2 != 0 {
                if let Some(e) = ea {
                    positional.push(e.rel.clone().into());
                    p.named.push(e.rel.clone());
                }
            }
            if paths & 4 != 0 {
                if let Some(e) = eb {
                    let parent = e.rel.parent().unwrap_or(Path::new(""));
                    let shown = if parent.as_os_str().is_empty() {
                        PathBuf::from(".")
                    } else {
                        parent.to_path_buf()
                    };
                    positional.push(shown.clone().into());
                    p.named.push(shown);
                }
            }
            if paths & 8 != 0 {
                if let Some(e) = eb {
                    positional.push(world().repo.join(&e.rel).into());
                    p.named.push(e.rel.clone());
                }
            }
            if paths & 16 != 0 {
                positional.push("missing.md".into());
            }
            if paths & 32 != 0 {
                positional.push("-".into());
                p.stdin = Some(
                    input
                        .stdin
                        .as_ref()
                        .map(|s| s.1.clone())
                        .unwrap_or_else(|| b"# Architecture\n\n## Overview\n[TBD]\n".to_vec()),
                );
                p.stdin_pipe = paths & 64 != 0;
                let sn = k.next();
                let name = match sn % 4 {
                    0 => None,
                    1 => input.stdin.as_ref().and_then(|s| s.0.clone()),
                    2 => Some(PathBuf::from("docs/ARCHITECTURE.md")),
                    _ => pick(k.next()).map(|e| e.rel.clone()),
                };
                if let Some(n) = name {
                    a.push("--stdin-filename".into());
                    a.push(n.into());
                }
            }
            // A careful caller ends the options before names that may start with `-`.
            // Without `--`, a name such as `-ofoo` is an option (`-o foo`): see `run`.
            if paths & 128 != 0 {
                a.push("--".into());
            } else if positional
                .iter()
                .any(|n| n.as_bytes().starts_with(b"-") && n.len() > 1)
            {
                p.options_end = Some(a.len());
            }
            a.extend(positional);
        }
        14 => {
            p.command = "rules";
            a.push("rules".into());
        }
        15 => {
            p.command = "explain";
            a.push("explain".into());
            let r = k.next() as usize;
            match (r % 24 < RULES.len(), entries.first()) {
                (false, Some(e)) => a.push(e.rel.clone().into()),
                _ => a.push(RULES[r % RULES.len()].into()),
            }
        }
        16 => {
            p.command = "profile show";
            a.push("profile".into());
            a.push("show".into());
            let r = k.next();
            match (r % 8, pick(k.next())) {
                (0..=5, _) | (_, None) => a.push(PROFILES[(r % 6) as usize].into()),
                (_, Some(e)) => {
                    a.push(e.rel.clone().into());
                    p.named.push(e.rel.clone());
                }
            }
        }
        17 => {
            p.command = "init";
            a.push("init".into());
            a.push("--today".into());
            a.push("2026-11-21".into());
            let r = k.next();
            let e = pick(k.next());
            match (r % 8, e) {
                (0..=5, _) => {
                    a.push("--profile".into());
                    a.push(PROFILES[(r % 6) as usize].into());
                }
                (6, Some(e)) => {
                    a.push("--profile".into());
                    a.push(e.rel.clone().into());
                    p.named.push(e.rel.clone());
                }
                _ => {}
            }
            let t = k.next();
            let force = t & 0x80 != 0;
            let target = if git && t % 8 == 3 {
                PathBuf::from("docs/ARCHITECTURE.md")
            } else {
                let e = pick(k.next());
                let target = write_target(t, e, "ARCHITECTURE.md");
                a.push(target.clone().into());
                target
            };
            if force {
                a.push("--force".into());
            } else {
                p.init_no_force = Some(target.clone());
            }
            p.writes.push((target, None));
        }
        18 => {
            p.command = "profiles";
            a.push("profiles".into());
        }
        _ => {
            p.command = "schema";
            a.push("schema".into());
            a.push(
                if k.next() & 1 == 0 {
                    "config"
                } else {
                    "profile"
                }
                .into(),
            );
        }
    }
    p.args = a;
    p
}

/// Characters a terminal or log interprets: C0 controls but line feed and tab, DEL,
/// C1 controls, bidirectional embeddings, overrides and isolates.
fn raw_controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t')
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
        })
        .collect()
}

/// Lines GitHub's runner would read as workflow commands (it trims the line first).
/// Lines end at LF, CR or CRLF, as the runner reads a step's output.
fn commands(text: &str) -> impl Iterator<Item = &str> {
    text.split(['\n', '\r'])
        .map(str::trim_start)
        .filter(|l| l.starts_with("::"))
}

fn check_json(what: &str, bytes: &[u8]) {
    if let Err(e) = serde_json::from_slice::<serde_json::Value>(bytes) {
        panic!(
            "{what} is not JSON: {e}\n{}",
            String::from_utf8_lossy(&bytes[..bytes.len().min(4000)])
        );
    }
}

fn check_xml(what: &str, bytes: &[u8]) {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{what} is not UTF-8: {e}"));
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| {
            (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{fffe}' || c == '\u{ffff}'
        })
        .collect();
    assert!(
        bad.is_empty(),
        "{what} holds characters XML forbids: {bad:?}\n{text}"
    );
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut depth: i64 = 0;
    let mut roots = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(s)) => {
                if depth == 0 {
                    roots += 1;
                }
                depth += 1;
                for attr in s.attributes() {
                    let attr =
                        attr.unwrap_or_else(|e| panic!("{what}: bad attribute: {e}\n{text}"));
                    attr.unescape_value()
                        .unwrap_or_else(|e| panic!("{what}: bad attribute value: {e}\n{text}"));
                }
            }
            Ok(quick_xml::events::Event::Empty(s)) => {
                if depth == 0 {
                    roots += 1;
                }
                for attr in s.attributes() {
                    let attr =
                        attr.unwrap_or_else(|e| panic!("{what}: bad attribute: {e}\n{text}"));
                    attr.unescape_value()
                        .unwrap_or_else(|e| panic!("{what}: bad attribute value: {e}\n{text}"));
                }
            }
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Text(t)) => {
                t.decode()
                    .unwrap_or_else(|e| panic!("{what}: bad text: {e}\n{text}"));
            }
            Ok(quick_xml::events::Event::GeneralRef(r)) => {
                let named = matches!(&*r, b"lt" | b"gt" | b"amp" | b"apos" | b"quot");
                let char_ref = r
                    .resolve_char_ref()
                    .ok()
                    .flatten()
                    .is_some_and(|c| c >= ' ' || matches!(c, '\t' | '\n' | '\r'));
                assert!(named || char_ref, "{what}: bad reference {r:?}\n{text}");
            }
            Ok(_) => {}
            Err(e) => panic!("{what} is not well-formed XML: {e}\n{text}"),
        }
    }
    assert!(depth == 0 && roots == 1, "{what}: unbalanced XML\n{text}");
}

/// A complete output in `format`, from `what`.
fn check_format(what: &str, format: &str, bytes: &[u8]) {
    match format {
        "json" | "sarif" | "gitlab" => check_json(what, bytes),
        "rdjsonl" => {
            for line in bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                check_json(what, line);
            }
        }
        "junit" | "checkstyle" => check_xml(what, bytes),
        _ => {}
    }
}

/// `check_terminal` for `format`.
fn check_output(what: &str, text: &str, format: &str) {
    check_terminal(what, text, format == "github");
}

fn check_terminal(what: &str, text: &str, github: bool) {
    let raw = raw_controls(text);
    assert!(
        raw.is_empty(),
        "raw control characters {raw:?} in {what}:\n{text}"
    );
    for line in commands(text) {
        // archlint's own annotations: `::error ` or `::warning `, properties ending
        // with its title (placed on a file or, for a name that cannot be written raw,
        // not).
        let ok = github
            && (line.starts_with("::error ") || line.starts_with("::warning "))
            && line[2..]
                .split_once("::")
                .is_some_and(|(head, _)| head.contains("title=archlint ("));
        assert!(ok, "a workflow command in {what}: {line:?}\n{text}");
    }
}

/// Whether `rel` (relative to the repository) goes through a symlink on the way.
fn through_link(repo: &Path, rel: &Path) -> bool {
    let mut cur = repo.to_path_buf();
    for c in rel.components() {
        match c {
            Component::Normal(part) => cur.push(part),
            _ => return true,
        }
        match std::fs::symlink_metadata(&cur) {
            Ok(m) if m.file_type().is_symlink() => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    false
}

fn redirect(fd: i32, to: i32) {
    let r = unsafe { libc::dup2(to, fd) };
    assert!(r >= 0, "dup2");
}

fn stdin_fd(bytes: &[u8], pipe: bool) -> std::fs::File {
    if pipe && bytes.len() < 60_000 {
        let mut fds = [0i32; 2];
        assert!(unsafe { libc::pipe(fds.as_mut_ptr()) } == 0, "pipe");
        use std::os::fd::FromRawFd;
        let mut w = unsafe { std::fs::File::from_raw_fd(fds[1]) };
        let r = unsafe { std::fs::File::from_raw_fd(fds[0]) };
        w.write_all(bytes).expect("write the pipe");
        drop(w);
        r
    } else {
        let mut f = tempfile::tempfile().expect("a file for stdin");
        f.write_all(bytes).expect("write stdin");
        f.rewind().expect("rewind stdin");
        f
    }
}

fuzz_target!(|data: &[u8]| {
    let w = world();
    let data = sanitize(data);
    let input = decode(&data);
    let git_mode = input.header.first().copied().unwrap_or(0) % 4;

    // The repository.
    let repo = &w.repo;
    let _ = std::fs::remove_dir_all(repo);
    std::fs::create_dir(repo).expect("create the repository");
    match git_mode {
        1 | 2 => {
            std::fs::create_dir(repo.join(".git")).expect(".git");
            std::fs::write(repo.join(".git/HEAD"), "ref: refs/heads/main\n").expect("HEAD");
        }
        3 => std::fs::write(repo.join(".git"), "gitdir: ../nowhere\n").expect(".git file"),
        _ => {}
    }
    for e in &input.entries {
        create(repo, e);
    }
    // A repository for writes (src/fs/atomic.rs) is any folder holding `.git`, even a
    // dangling link. Outside one, links are the runner's own and are followed, so
    // the harness then writes only to its reserved folder.
    let git = std::fs::symlink_metadata(repo.join(".git")).is_ok();
    let p = plan(&input, git);

    // Operator's choice: a path named on the command line that goes through a link may
    // lead anywhere, and archlint reads what the operator names.
    let relaxed = p.named.iter().any(|n| through_link(repo, n));

    let init_existed = p
        .init_no_force
        .as_ref()
        .is_some_and(|t| std::fs::symlink_metadata(repo.join(t)).is_ok());
    let before = snapshot(repo);
    let outside_before = listing(&w.outside);
    let root_before = listing(&w.root);

    // A name starting with `-` given without `--` is clap's to reject (the check of its
    // message is below); one that parses is an option (`-ofoo`, `-q`), which would
    // write or read where the plan does not know: the run then ends the options first.
    let mut p = p;
    if let Some(at) = p.options_end {
        if archlint::cli::Cli::try_parse_from(&p.args).is_ok() {
            p.args.insert(at, "--".into());
        }
    }
    let cli = match archlint::cli::Cli::parse_args(&p.args) {
        Ok(cli) => cli,
        Err(e) => {
            // clap's own message (main.rs prints it): the arguments are the operator's,
            // but names in them may come from a repository.
            let shown = e.render().to_string();
            if w.debug {
                eprintln!("args: {:?}\nclap: {shown:?}", p.args);
            }
            check_terminal("clap's error", &shown, false);
            let _ = std::fs::remove_dir_all(repo);
            return;
        }
    };

    if p.github_workspace {
        std::env::set_var("GITHUB_WORKSPACE", repo);
    }
    let stdin = p.stdin.as_ref().map(|s| stdin_fd(s, p.stdin_pipe));
    let devnull = std::fs::File::open("/dev/null").expect("/dev/null");
    redirect(
        0,
        stdin
            .as_ref()
            .map_or(devnull.as_raw_fd(), |f| f.as_raw_fd()),
    );
    let mut captured = tempfile::tempfile().expect("a file for stderr");
    redirect(2, captured.as_raw_fd());
    // The library takes its working directory as an argument: half the inputs (by
    // the parity of their argument count) run from elsewhere, as a library user or a
    // language server would.
    if p.args.len() % 2 == 0 {
        std::env::set_current_dir(repo).expect("enter the repository");
    }

    let mut out: Vec<u8> = Vec::new();
    let mut err: Vec<u8> = Vec::new();
    let code = archlint::run(cli, repo, &mut out, &mut err);

    std::env::set_current_dir(&w.home).expect("leave the repository");
    redirect(2, w.saved_stderr);
    redirect(0, devnull.as_raw_fd());
    drop(stdin);
    if p.github_workspace {
        std::env::remove_var("GITHUB_WORKSPACE");
    }
    let mut stderr = Vec::new();
    captured.rewind().expect("rewind");
    captured.read_to_end(&mut stderr).expect("read stderr");

    let context = || {
        format!(
            "args: {:?}\nexit: {code}\nentries: {:?}\nstdin: {:?}\nstdout:\n{}\nerr:\n{}\nstderr:\n{}",
            p.args,
            input.entries,
            p.stdin.as_deref().map(String::from_utf8_lossy),
            String::from_utf8_lossy(&out[..out.len().min(8000)]),
            String::from_utf8_lossy(&err[..err.len().min(8000)]),
            String::from_utf8_lossy(&stderr[..stderr.len().min(8000)]),
        )
    };

    if w.debug {
        eprintln!("{}\nrelaxed: {relaxed}, git: {git}\n", context());
    }
    assert!(code <= 2, "exit code {code}\n{}", context());
    let out_s = std::str::from_utf8(&out)
        .unwrap_or_else(|e| panic!("stdout not UTF-8: {e}\n{}", context()));
    let err_s =
        std::str::from_utf8(&err).unwrap_or_else(|e| panic!("err not UTF-8: {e}\n{}", context()));
    let stderr_s = String::from_utf8_lossy(&stderr);

    // Work and output bounded by the input's size.
    let total = out.len() + err.len() + stderr.len();
    assert!(
        total <= (1 << 20) + 200 * data.len(),
        "{total} bytes of output for {} bytes of input\n{}",
        data.len(),
        context()
    );

    // Terminal and log output.
    check_terminal("err", err_s, false);
    check_terminal("stderr", &stderr_s, false);
    match p.format {
        Some(f @ ("human" | "short" | "github")) => check_output("stdout", out_s, f),
        Some(f) => {
            if !out.is_empty() {
                check_format("stdout", f, &out);
            }
            assert!(
                code == 2 || p.output || !out.is_empty() || f == "rdjsonl",
                "no {f} on stdout\n{}",
                context()
            );
        }
        None => {
            if p.command == "schema" {
                check_json("schema", &out);
            } else {
                check_terminal("stdout", out_s, false);
            }
        }
    }
    if p.output {
        assert!(
            out.is_empty(),
            "stdout written with --output\n{}",
            context()
        );
    }

    // Nothing outside the repository written.
    assert_eq!(
        listing(&w.root),
        root_before,
        "a file appeared beside t/\n{}",
        context()
    );
    assert_eq!(
        listing(&w.outside),
        outside_before,
        "a file appeared beside the repository\n{}",
        context()
    );
    assert_eq!(
        std::fs::read(w.outside.join("canary.txt")).ok().as_deref(),
        Some(CANARY),
        "the canary beside the repository changed\n{}",
        context()
    );
    assert_eq!(
        std::fs::read_to_string(w.outside.join("secret.txt")).ok(),
        Some(format!("{SECRET}\n")),
        "the secret beside the repository changed\n{}",
        context()
    );

    // Inside the repository: only the named targets, links and FIFOs kept.
    let after = snapshot(repo);
    let mut allowed: Vec<PathBuf> = Vec::new();
    for (t, _) in &p.writes {
        let lexical = repo.join(t);
        allowed.extend(lexical.ancestors().map(Path::to_path_buf));
        if let Ok(real) = lexical.canonicalize() {
            allowed.extend(real.ancestors().map(Path::to_path_buf));
        }
        if let Some(Ok(real)) = lexical.parent().map(Path::canonicalize) {
            allowed.extend(real.ancestors().map(Path::to_path_buf));
        }
    }
    if init_existed {
        assert!(
            before == after,
            "init without --force changed the repository\n{}",
            context()
        );
    }
    let keys: std::collections::BTreeSet<&PathBuf> = before.keys().chain(after.keys()).collect();
    for k in keys {
        let (b, a) = (before.get(k), after.get(k));
        if b == a {
            continue;
        }
        let ok = allowed.contains(k)
            && match (b, a) {
                (None, Some(Snap::File(_) | Snap::Dir)) => true,
                (Some(Snap::File(_)), Some(Snap::File(_))) => true,
                _ => false,
            };
        assert!(ok, "{} changed: {b:?} -> {a:?}\n{}", k.display(), context());
    }

    // Written reports and outputs well formed. A file that several targets lead to
    // holds whichever was written last before the run ended: not checked.
    let reals: Vec<Option<PathBuf>> = p
        .writes
        .iter()
        .map(|(t, _)| repo.join(t).canonicalize().ok())
        .collect();
    for ((t, f), real) in p.writes.iter().zip(&reals) {
        let (Some(f), Some(real)) = (f, real) else {
            continue;
        };
        if reals.iter().filter(|r| r.as_ref() == Some(real)).count() > 1 {
            continue;
        }
        let real = real.clone();
        let (b, a) = (before.get(&real), after.get(&real));
        if let (Some(Snap::File(bytes)), true) = (a, b != a) {
            let what = format!("the {f} report {}", t.display());
            check_format(&what, f, bytes);
            if let ("human" | "short" | "github", Ok(s)) = (*f, std::str::from_utf8(bytes)) {
                check_output(&what, s, f);
            }
        }
    }

    // Nothing from beside the repository in any output.
    if !relaxed {
        let mut outputs: Vec<(&str, String)> = vec![
            ("stdout", out_s.to_string()),
            ("err", err_s.to_string()),
            ("stderr", stderr_s.to_string()),
        ];
        for (t, _) in &p.writes {
            // Only what archlint wrote: a target that is a link out stays unread.
            match repo.join(t).canonicalize() {
                Ok(real) if real.starts_with(repo) && real.is_file() => {
                    if let Ok(bytes) = std::fs::read(real) {
                        outputs.push((
                            "a written file",
                            String::from_utf8_lossy(&bytes).into_owned(),
                        ));
                    }
                }
                _ => {}
            }
        }
        for (what, text) in outputs {
            assert!(
                !text.contains(SECRET),
                "the secret in {what}\n{}",
                context()
            );
            assert!(
                !text.contains(HIDDEN),
                "a name from beside the repository in {what}\n{}",
                context()
            );
        }
    }

    let _ = std::fs::remove_dir_all(repo);
});
