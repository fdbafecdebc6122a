//! The floor archlint is measured against: discover the same documents, then read every
//! one (`floor read`) or read and parse every one with comrak using archlint's GFM
//! options (`floor parse`), on N threads. No outline, no rules, no report.
//!
//! ```text
//! floor read  [--threads N] [--all-md] PATH...
//! floor parse [--threads N] [--all-md] PATH...
//! ```
//!
//! A directory is walked like `archlint check DIR` does (the `ignore` crate, .gitignore
//! respected, hidden entries skipped) keeping `ARCHITECTURE.md` and `ARCHITECTURE.*.md`
//! (any case), or with `--all-md` every `*.md` file (the corpora whose archlint.toml
//! includes a folder of Markdown files); a file is taken as given. Prints one line:
//! files, bytes, nodes.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use comrak::{parse_document, Arena, Options};
use rayon::prelude::*;

#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn options() -> Options<'static> {
    // Keep in step with `options()` in archlint's src/document/mod.rs.
    let mut o = Options::default();
    o.extension.strikethrough = true;
    o.extension.table = true;
    o.extension.autolink = true;
    o.extension.tasklist = true;
    o.extension.footnotes = true;
    o.extension.front_matter_delimiter = Some("---".to_string());
    o.extension.alerts = true;
    o
}

fn is_doc(path: &Path, all_md: bool) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    if all_md {
        return lower.ends_with(".md");
    }
    lower == "architecture.md" || (lower.starts_with("architecture.") && lower.ends_with(".md"))
}

fn discover(paths: &[PathBuf], all_md: bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let walker = ignore::WalkBuilder::new(p)
                .hidden(true)
                .git_ignore(true)
                .git_exclude(true)
                .require_git(false)
                .follow_links(false)
                .build();
            for entry in walker.flatten() {
                if entry.file_type().is_some_and(|t| t.is_file()) && is_doc(entry.path(), all_md) {
                    out.push(entry.into_path());
                }
            }
        } else {
            out.push(p.clone());
        }
    }
    out.sort();
    out
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_default();
    if mode != "read" && mode != "parse" {
        eprintln!("usage: floor read|parse [--threads N] [--all-md] PATH...");
        return ExitCode::from(2);
    }
    let mut threads = 0usize;
    let mut paths = Vec::new();
    let mut all_md = false;
    while let Some(a) = args.next() {
        if a == "--all-md" {
            all_md = true;
        } else if a == "--threads" {
            threads = args.next().and_then(|n| n.parse().ok()).unwrap_or(0);
        } else {
            paths.push(PathBuf::from(a));
        }
    }
    if paths.is_empty() {
        eprintln!("usage: floor read|parse [--threads N] [--all-md] PATH...");
        return ExitCode::from(2);
    }
    if threads > 0 {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global()
            .expect("thread pool");
    }

    let files = discover(&paths, all_md);
    let parse = mode == "parse";
    let opts = options();
    let bytes = AtomicUsize::new(0);
    let nodes = AtomicUsize::new(0);
    let failed = AtomicUsize::new(0);
    files.par_iter().for_each(|path| {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("floor: {}: {e}", path.display());
                failed.fetch_add(1, Ordering::Relaxed);
                return;
            }
        };
        bytes.fetch_add(text.len(), Ordering::Relaxed);
        if parse {
            let arena = Arena::new();
            let root = parse_document(&arena, &text, &opts);
            nodes.fetch_add(root.descendants().count(), Ordering::Relaxed);
        }
    });
    println!(
        "{} files, {} bytes, {} nodes",
        files.len(),
        bytes.load(Ordering::Relaxed),
        nodes.load(Ordering::Relaxed)
    );
    if failed.load(Ordering::Relaxed) > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}
