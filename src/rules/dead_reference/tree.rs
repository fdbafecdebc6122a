//! Directory-tree blocks: each entry's path built from the indentation.

use std::ops::Range;
use std::sync::LazyLock;

use super::*;

// ---------------------------------------------------------------------------------
// Directory trees

/// Fenced blocks in which trees and walkthrough steps are written.
pub(super) const PLAIN_LANGS: &[&str] =
    &["", "text", "txt", "plain", "plaintext", "console", "tree"];

/// Folders that are built or installed, not checked in: a tree may show them.
pub(super) const GENERATED: &str = concat!(
    "node_modules target dist build out .venv venv __pycache__ .git coverage .next .nuxt ",
    ".cache .pytest_cache .mypy_cache .gradle .idea .vscode .env bin obj ",
);

static GENERATED_SET: LazyLock<WordSet> = LazyLock::new(|| word_set(GENERATED));

pub(super) struct TreeLine {
    /// Column (in characters) of the connector: the nesting depth.
    column: usize,
    name: Range<usize>,
    /// The line names a group, not a path (`🖼️ TEMPLATES`, `Data layer`): its text.
    group: bool,
}

/// The connector of a tree line and the byte offset where the name begins.
pub(super) fn tree_line(line: &str) -> Option<(usize, usize)> {
    const CONNECTORS: &[&str] = &["├──", "└──", "├─", "└─", "|--", "`--", "+--", "|__", "\\--"];
    // Every connector holds `--`, `__` or `─`: most lines of a code block hold none, and
    // one pass over the line says so before nine searches would.
    let b = line.as_bytes();
    let maybe = b.windows(2).any(|w| matches!(w, b"--" | b"__"))
        || memchr::memmem::find(b, "─".as_bytes()).is_some();
    if !maybe {
        return None;
    }
    // The first connector, where only guides stand before it: tried at each position
    // of the leading guides and at the first character after them (longer connectors
    // first), which finds what a search for each connector would, without the searches.
    let is_guide = |c: char| c.is_whitespace() || matches!(c, '│' | '|' | '┃' | '║');
    let (pos, conn) = line.char_indices().find_map(|(i, c)| {
        let at = CONNECTORS
            .iter()
            .find(|conn| line[i..].starts_with(**conn))
            .map(|conn| Some((i, *conn)));
        at.or_else(|| (!is_guide(c)).then_some(None))
    })??;
    let mut rest = pos + conn.len();
    let tail = &line[rest..];
    let skipped = tail.len()
        - tail
            .trim_start_matches(['─', '-', '_', '━'])
            .trim_start()
            .len();
    rest += skipped;
    Some((line[..pos].chars().count(), rest))
}

/// The name on a tree line: the first token, without a `# comment`.
pub(super) fn tree_name(line: &str, from: usize) -> Option<Range<usize>> {
    let tail = &line[from..];
    let end = tail.find(char::is_whitespace).unwrap_or(tail.len());
    let name = &tail[..end];
    let name = name.split('#').next().unwrap_or("");
    let ok = !name.is_empty()
        && name.chars().next().is_some_and(|c| {
            c.is_alphanumeric() || matches!(c, '.' | '_' | '@' | '[' | '<' | '{' | '*' | '…')
        })
        && name.chars().all(|c| {
            c.is_alphanumeric()
                || matches!(
                    c,
                    '.' | '_'
                        | '-'
                        | '/'
                        | '@'
                        | '+'
                        | '~'
                        | '['
                        | ']'
                        | '<'
                        | '>'
                        | '{'
                        | '}'
                        | '*'
                        | '…'
                        | '$'
                )
        });
    ok.then(|| from..from + name.len())
}

/// The trees of a plain code block. A block may hold more than one (two folders'
/// layouts, a call hierarchy above a layout): a tree ends at a blank line or a line of
/// text after its entries, and that text may name the next tree's root.
pub(super) fn tree(text: &str, block: &CodeBlock, repo: &Repo, add: &mut impl FnMut(Reference)) {
    let body = text.get(block.body_span.clone()).unwrap_or("");
    let mut label: Option<String> = None;
    let mut entries: Vec<(TreeLine, usize)> = Vec::new();
    let mut offset = block.body_span.start;
    for line in body.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if let Some((column, from)) = tree_line(content) {
            if let Some(name) = tree_name(content, from) {
                entries.push((TreeLine { column, name, group: false }, offset));
            } else if let Some(group) = group_label(content, from) {
                entries.push((TreeLine { column, name: group, group: true }, offset));
            }
            // A line of guides only (`│`) keeps a tree going.
        } else if !content.trim_matches(|c: char| c.is_whitespace() || matches!(c, '│' | '|' | '┃' | '║')).is_empty()
            || content.trim().is_empty()
        {
            if !entries.is_empty() {
                one_tree(text, label.take(), std::mem::take(&mut entries), repo, add);
            }
            let t = content.trim();
            if label.is_none() && !t.is_empty() && !t.contains(char::is_whitespace) {
                label = Some(t.split('#').next().unwrap_or("").to_string());
            }
        }
        offset += line.len();
    }
    if !entries.is_empty() {
        one_tree(text, label, entries, repo, add);
    }
}

/// One tree: `label` is the line above its first entry, when that is one word.
fn one_tree(
    text: &str,
    label: Option<String>,
    entries: Vec<(TreeLine, usize)>,
    repo: &Repo,
    add: &mut impl FnMut(Reference),
) {
    let names: Vec<&str> = entries
        .iter()
        .map(|(e, at)| &text[at + e.name.start..at + e.name.end])
        .collect();
    // A drawing with the same glyphs is not a tree; a file tree names files or folders.
    let looks_like_files = label.as_deref().is_some_and(|l| l.ends_with('/'))
        || names
            .iter()
            .any(|n| n.ends_with('/') || is_file_name(n.rsplit('/').next().unwrap_or(n)));
    if names.is_empty() || !looks_like_files {
        return;
    }
    // A tree rooted at `~/.app/`, `/var/lib/app/` or `$HOME/` shows a layout outside
    // the repository.
    if label
        .as_deref()
        .is_some_and(|l| l.starts_with(['~', '/', '$', '%']) || l.contains(':'))
    {
        return;
    }
    // The label names the repository; when it is a folder of it (`src/`), entries may
    // also be written relative to that folder.
    let label = label
        .map(|l| l.trim_end_matches('/').to_string())
        .filter(|l| !l.is_empty() && l != "." && !is_placeholder(l) && !l.starts_with('/'));
    // Open entries: (column, name), `None` for a name that is a placeholder or a file
    // (whose children are its parts, `Header` and `Footer` under `data.lance`, or the
    // topics of a map of documents: not paths).
    // (column, the folder it names if any, whether it is a group's label)
    let mut stack: Vec<(usize, Option<String>, bool)> = Vec::new();
    let mut found = Vec::new();
    let mut entries_seen = 0;
    for ((entry, at), name) in entries.iter().zip(names) {
        while stack.last().is_some_and(|(c, _, _)| *c >= entry.column) {
            stack.pop();
        }
        // A group's label may be the folder it names, when that folder exists where
        // it stands (`🖼️ TEMPLATES` over `templates/`; what is below is looked for in
        // it and beside it, `🧪 TESTS` over `tests/`); otherwise what is drawn below
        // it is grouped for the reader and not judged.
        if entry.group {
            let parent: String = stack
                .iter()
                .filter_map(|(_, n, _)| n.as_deref().filter(|n| !n.is_empty()))
                .map(|n| format!("{}/", n.trim_end_matches('/')))
                .collect();
            let folder = folded_label(name)
                .filter(|f| parent_ok(&stack) && repo.resolve(&format!("{parent}{f}/")).is_some());
            stack.push((entry.column, folder, true));
            continue;
        }
        // A group that names its one folder (`🧪 TESTS` over `tests/`) is a label:
        // the folder stands where the group does.
        if let Some((_, Some(group), true)) = stack.last_mut() {
            if !group.is_empty() && name.trim_end_matches('/').eq_ignore_ascii_case(group) {
                group.clear();
            }
        }
        let skip = is_placeholder(name)
            || is_example_name(name)
            || name.contains(['*', '$'])
            || GENERATED_SET.contains(name.trim_end_matches('/'));
        let parent_ok = parent_ok(&stack);
        let is_file = !name.ends_with('/') && has_extension(name);
        stack.push((entry.column, (!skip && !is_file).then(|| name.to_string()), false));
        if skip || !parent_ok {
            continue;
        }
        entries_seen += 1;
        let path_of = |with_groups: bool| {
            let mut path: String = stack
                .iter()
                .take(stack.len() - 1)
                .filter(|(_, _, group)| with_groups || !group)
                .filter_map(|(_, n, _)| n.as_deref().filter(|n| !n.is_empty()))
                .chain(std::iter::once(name))
                .map(|n| n.trim_end_matches('/'))
                .collect::<Vec<_>>()
                .join("/");
            if name.ends_with('/') {
                path.push('/');
            }
            path
        };
        let path = path_of(true);
        let mut beside: Vec<String> = Vec::new();
        if stack.iter().any(|(_, _, group)| *group) {
            beside.push(path_of(false));
        }
        // A label that is a path (`var/lib/app/`, `logs/2026-04-20/`) names where the
        // tree lives, so its entries are only looked for there.
        let (path, alternatives) = match &label {
            Some(l) if l.contains('/') => (
                format!("{l}/{path}"),
                beside.iter().map(|p| format!("{l}/{p}")).collect(),
            ),
            Some(l) => {
                beside.push(format!("{l}/{path}"));
                (path, beside)
            }
            None => (path, beside),
        };
        found.push(Reference {
            span: at + entry.name.start..at + entry.name.end,
            path,
            alternatives,
            lines: None,
            from: From::DocumentOrRoot,
            loose: false,
        });
    }
    // A tree none of whose entries exists is not this repository's: a runtime layout
    // (`logs/`, a data folder), a proposal, or another project. Checking it would only
    // bury the reader in findings. Nor is one whose only entries that exist are names
    // every repository has at its root (`pyproject.toml`, `src/`, `README.md` in a tree
    // that illustrates a layout), or one name at its top that exists by chance
    // (`index/` in the layout of a data folder): it is anchored by an entry that exists
    // below a folder, by two that exist, or by half of its entries existing.
    // Entries are looked up until the tree is anchored: most trees are by their first
    // two entries.
    let mut existing = 0;
    let mut anchored = false;
    for r in &found {
        let at = std::iter::once(&r.path)
            .chain(&r.alternatives)
            .find(|p| repo.resolve(p).is_some() && !is_common_root_name(p));
        if let Some(p) = at {
            existing += 1;
            if existing >= 2 || p.trim_end_matches('/').contains('/') {
                anchored = true;
                break;
            }
        }
    }
    let anchored = anchored || existing > 0 && existing * 2 >= entries_seen;
    if anchored {
        found.into_iter().for_each(add);
    }
}

/// Whether every open entry above names a folder to look in.
fn parent_ok(stack: &[(usize, Option<String>, bool)]) -> bool {
    stack.iter().all(|(_, n, _)| n.is_some())
}

/// The text of a tree line that names no path (an emoji, words): a group's label, up
/// to a `#` comment.
fn group_label(line: &str, from: usize) -> Option<Range<usize>> {
    let tail = &line[from..];
    let text = tail.split('#').next().unwrap_or("").trim_end();
    (!text.is_empty()).then(|| from..from + text.len())
}

/// A group's label as a folder name: without its leading symbols, in lower case, one
/// word (`🖼️ TEMPLATES` → `templates`).
fn folded_label(label: &str) -> Option<String> {
    let word = label
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_end_matches('/');
    (!word.is_empty() && !word.contains(char::is_whitespace)).then(|| word.to_lowercase())
}

/// Whether a tree entry's name ends in an extension (`data.lance`, `app.py`): a file,
/// whatever is drawn below it. `.github` and `v1.2/` are not.
fn has_extension(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty()
            && (1..=8).contains(&ext.len())
            && ext.bytes().all(|b| b.is_ascii_alphanumeric())
            && ext.bytes().any(|b| b.is_ascii_alphabetic())
    })
}

/// A name every other repository has at its root: one that exists by chance proves
/// nothing about whose tree this is.
fn is_common_root_name(path: &str) -> bool {
    const COMMON: &[&str] = &[
        ".github", ".gitignore", "app", "bin", "build.gradle", "Cargo.lock", "Cargo.toml",
        "CHANGELOG.md", "config", "CONTRIBUTING.md", "doc", "docs", "Dockerfile", "go.mod",
        "go.sum", "lib", "LICENSE", "LICENSE.md", "Makefile", "package-lock.json",
        "package.json", "pom.xml", "pyproject.toml", "README", "README.md",
        "requirements.txt", "scripts", "setup.cfg", "setup.py", "src", "test", "tests",
        "tsconfig.json",
    ];
    let p = path.trim_end_matches('/');
    !p.contains('/') && COMMON.contains(&p)
}

/// A name that shows the shape of a layout rather than a file of this repository:
/// `your.crd.group.io`, `your-app/`, `my_project`, `MyKind`, `foo/`.
fn is_example_name(name: &str) -> bool {
    let n = name.trim_end_matches('/');
    let lower = n.to_ascii_lowercase();
    let prefixed = |p: &str| {
        lower.strip_prefix(p).is_some_and(|rest| {
            rest.starts_with(['-', '_', '.'])
                || n[p.len()..].starts_with(|c: char| c.is_ascii_uppercase())
        })
    };
    prefixed("your")
        || prefixed("my")
        || ["foo", "bar", "baz", "qux"]
            .iter()
            .any(|w| lower == *w || lower.strip_prefix(w).is_some_and(|r| r.starts_with('.')))
}
