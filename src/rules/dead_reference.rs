//! `dead-reference`: a path the document points at does not exist, or a `path:line`
//! points past the end of its file.
//!
//! Finding references is the hard part, and precision comes first: a code span is a
//! reference only where the document says it names a file (a `Location` field, a
//! `Key files` list, a `Key Files Reference` section, a ``See `x.md` `` mention) or
//! when it has the unmistakable `path:line` shape. Everything on disk goes through the
//! run's cache in [`crate::repo`].

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::{CheckCx, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, RuleId, Severity};
use crate::document::{CodeBlock, Document};
use crate::repo::{Kind, Repo};
use crate::source::SourceFile;

pub struct DeadReference;

static META: RuleMeta = RuleMeta {
    id: RuleId::DeadReference,
    severity: Severity::Error,
    summary: "a referenced file or directory does not exist, or a `path:line` is past the end of its file",
    docs: r#"## What it finds
A path the document refers to that does not exist relative to the document's folder
or to the repository root (the nearest folder holding `.git`; without one, the
document's folder), and a `path:line` or `path:start-end` reference whose line lies
past the end of the file. The references it checks:

- link and image targets: inline links, reference definitions (`[adr]: adr/0002.md`)
  and links inside footnotes; a target starting with `/` is relative to the
  repository root; `#fragment` and `?query` are ignored;
- `path:line` and `path:line-line` anywhere in prose, in code spans, and in fenced
  blocks that are plain text (no language, `text`, `txt`, `plain`, `console`);
- code spans in `Location` fields, in `Key files` / `Key Directories` lists, and at
  the start of list items in a `Key Files Reference` section;
- entries of a directory tree (a plain fenced block drawn with `├──`, `└──`, `│`
  or `|--`, `` `-- ``); its first line (`project-root/`) names the repository itself;
- ``See `decisions.md` `` mentions: a path with a folder, or a document name.

Not references: URLs (`https:`, `mailto:`), `#anchor` links, API routes
(`POST /v1/payments`, `/v1/payments`), dotted event or package names
(`payment.captured`), globs, template placeholders (`path/to/file.ext`, `[...]`,
`<name>`), other code spans in prose, a bare source file name after "see"
(`see model_lock.py` names a module somewhere), generated folders in trees
(`node_modules/`, `target/`), a tree none of whose entries exists (a runtime layout
such as `~/.app/` or `logs/`, or another project), and paths inside ordinary code
blocks (YAML, Dockerfiles, shell).

Each occurrence is one finding, at the link, code span or tree entry itself; the
help names the closest existing path when one is near.

## Why it matters
Architecture documents rot quietly: a file is renamed, a sibling document deleted,
and the document keeps sending readers to something that is gone.

## Options
None besides the severity.

## Examples
Failing (the repository has `src/api/routes.py` of 40 lines and no `docs/testing.md`):
```markdown
Entry point: [routes](../src/api/route.py).
The router is created at `src/api/routes.py:52`.
See `testing.md` for the test strategy.
```
Passing:
```markdown
Entry point: [routes](../src/api/routes.py).
The router is created at `src/api/routes.py:12`.
Events are published as `payment.captured`; call `POST /v1/payments`.
```

## Configuration
```toml
[rules]
dead-reference = "warning"   # or "error", "off"
```
"#,
};

impl Rule for DeadReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut CheckCx<'_>) {
        let Some(repo) = cx.repo else {
            return;
        };
        let refs = collect(cx.file, cx.doc, repo);
        for r in refs.into_values() {
            if let Some(d) = verify(repo, &r) {
                cx.report(d);
            }
        }
    }
}

/// One reference occurrence.
#[derive(Debug, Clone)]
struct Reference {
    /// Where the finding points.
    span: Range<usize>,
    /// The path as written, without fragment, query or line numbers.
    path: String,
    /// Other spellings that also count (a tree under a root label that is a folder).
    alternatives: Vec<String>,
    /// `path:line` or `path:start-end`.
    lines: Option<(usize, Option<usize>)>,
}

// ---------------------------------------------------------------------------------
// Messages

fn not_found(repo: &Repo, r: &Reference) -> Diagnostic {
    let last = r
        .path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("");
    let what = if r.path.ends_with('/') {
        "directory"
    } else if is_file_name(last) || last.contains('.') {
        "file"
    } else {
        "path"
    };
    let root_relative = r.path.starts_with('/');
    let searched = repo.searched(root_relative);
    let help = match repo.closest(&r.path) {
        Some(s) => format!("did you mean `{}`? {searched}", s.path),
        None => searched,
    };
    Diagnostic::new(
        RuleId::DeadReference,
        r.span.clone(),
        format!("referenced {what} `{}` does not exist", r.path),
    )
    .with_label("not found")
    .with_help(help)
}

fn past_the_end(r: &Reference, start: usize, end: Option<usize>, count: usize) -> Diagnostic {
    let lines = if count == 1 {
        "1 line".to_string()
    } else {
        format!("{count} lines")
    };
    let message = match end {
        Some(end) if start <= count => format!(
            "lines {start}-{end} run past the end of `{}` ({lines})",
            r.path
        ),
        _ => format!("line {start} is past the end of `{}` ({lines})", r.path),
    };
    Diagnostic::new(RuleId::DeadReference, r.span.clone(), message)
        .with_label("past the end")
        .with_help(format!(
            "`{}` has {lines}; point at the line that holds the code now",
            r.path
        ))
}

fn verify(repo: &Repo, r: &Reference) -> Option<Diagnostic> {
    let found = std::iter::once(&r.path)
        .chain(&r.alternatives)
        .find_map(|p| repo.resolve(p));
    let Some(found) = found else {
        return Some(not_found(repo, r));
    };
    let (start, end) = r.lines?;
    if found.kind != Kind::File {
        return None;
    }
    let count = repo.line_count(&found.path)?;
    let last = end.unwrap_or(start).max(start);
    (last > count).then(|| past_the_end(r, start, end, count))
}

// ---------------------------------------------------------------------------------
// Collecting references

/// Every reference of the document, one per span (a code span can be both a
/// `See` mention and a `Location` entry; it is still one reference).
fn collect(file: &SourceFile, doc: &Document, repo: &Repo) -> BTreeMap<(usize, usize), Reference> {
    let mut out = BTreeMap::new();
    let mut add = |r: Reference| {
        out.entry((r.span.start, r.span.end)).or_insert(r);
    };
    let text = file.text();
    let ix = Index::new(text, doc);
    links(text, doc, &mut add);
    code_spans(&ix, &mut add);
    prose_path_lines(text, doc, &mut add);
    for (block, _, _) in &doc.code_blocks {
        if !PLAIN_LANGS.contains(&block.lang.as_str()) {
            continue;
        }
        block_path_lines(text, block, &mut add);
        tree(text, block, repo, &mut add);
    }
    out
}

/// Sorted views of the outline, so that a document with thousands of code spans and
/// links costs a binary search per lookup rather than a scan.
struct Index<'d> {
    text: &'d str,
    doc: &'d Document,
    /// Code spans (index into `doc.code_spans`), by start.
    code: Vec<usize>,
    /// Link spans, by start.
    links: Vec<Range<usize>>,
    /// Prose leaves, by start.
    prose: Vec<Range<usize>>,
    /// List items (index into `doc.list_items`), by start.
    items: Vec<usize>,
}

impl<'d> Index<'d> {
    fn new(text: &'d str, doc: &'d Document) -> Self {
        let mut code: Vec<usize> = (0..doc.code_spans.len()).collect();
        code.sort_by_key(|&i| doc.code_spans[i].span.start);
        let mut links: Vec<Range<usize>> = doc.links.iter().map(|l| l.span.clone()).collect();
        links.sort_by_key(|r| r.start);
        let mut prose: Vec<Range<usize>> = doc.prose.iter().map(|p| p.span.clone()).collect();
        prose.sort_by_key(|r| r.start);
        let mut items: Vec<usize> = (0..doc.list_items.len()).collect();
        items.sort_by_key(|&i| doc.list_items[i].span.start);
        Index {
            text,
            doc,
            code,
            links,
            prose,
            items,
        }
    }

    /// Code spans lying inside `r`, in order.
    fn code_within(&self, r: &Range<usize>) -> Vec<Range<usize>> {
        let from = self
            .code
            .partition_point(|&i| self.doc.code_spans[i].span.start < r.start);
        self.code[from..]
            .iter()
            .map(|&i| &self.doc.code_spans[i].span)
            .take_while(|s| s.start < r.end)
            .filter(|s| s.end <= r.end)
            .cloned()
            .collect()
    }

    /// Whether `r` lies inside a link (an image may sit inside a link, so look at a few).
    fn in_link(&self, r: &Range<usize>) -> bool {
        let upto = self.links.partition_point(|l| l.start <= r.start);
        self.links[..upto]
            .iter()
            .rev()
            .take(4)
            .any(|l| r.end <= l.end)
    }

    /// The prose leaf holding `r`.
    fn prose_of(&self, r: &Range<usize>) -> Option<&Range<usize>> {
        let upto = self.prose.partition_point(|p| p.start <= r.start);
        self.prose[..upto].last().filter(|p| r.end <= p.end)
    }
}

fn links(text: &str, doc: &Document, add: &mut impl FnMut(Reference)) {
    for link in &doc.links {
        // A reference-style link is checked once, at its definition.
        let written = text.get(link.span.clone()).unwrap_or("");
        if !written.trim_end().ends_with(')') {
            continue;
        }
        if let Some(path) = link_path(&link.url) {
            add(Reference {
                span: link.span.clone(),
                path,
                alternatives: Vec::new(),
                lines: None,
            });
        }
    }
    for def in &doc.link_definitions {
        if let Some(path) = link_path(&def.url) {
            add(Reference {
                span: def.url_span.clone(),
                path,
                alternatives: Vec::new(),
                lines: None,
            });
        }
    }
}

/// The file path a link target names, or `None` for URLs, anchors and placeholders.
fn link_path(url: &str) -> Option<String> {
    let url = url.trim();
    let cut = url.find(['#', '?']).unwrap_or(url.len());
    let path = percent_decode(&url[..cut]);
    if path.is_empty() || has_scheme(url) || url.starts_with("//") || is_placeholder(&path) {
        return None;
    }
    if looks_like_domain(&path) {
        return None;
    }
    Some(path)
}

/// Code spans: `path:line` anywhere; other paths only where the document says it
/// names files.
fn code_spans(ix: &Index<'_>, add: &mut impl FnMut(Reference)) {
    let (text, doc) = (ix.text, ix.doc);
    let contexts: HashSet<(usize, usize)> = path_contexts(ix)
        .into_iter()
        .map(|r| (r.start, r.end))
        .collect();
    for cs in &doc.code_spans {
        // A code span inside a link is the link's text; the target is what counts.
        if ix.in_link(&cs.span) {
            continue;
        }
        let t = cs.text.trim();
        if let Some((path, a, b)) = whole_path_line(t) {
            add(Reference {
                span: cs.span.clone(),
                path,
                alternatives: Vec::new(),
                lines: Some((a, b)),
            });
            continue;
        }
        let in_context = contexts.contains(&(cs.span.start, cs.span.end));
        // After "see", a bare source file name (`see model_lock.py`) names a module
        // somewhere in the tree; a bare document name is a sibling document.
        let seen =
            !in_context && see_mention(ix, &cs.span) && (t.contains('/') || is_document_name(t));
        if in_context || seen {
            if let Some(path) = code_path(t) {
                add(Reference {
                    span: cs.span.clone(),
                    path,
                    alternatives: Vec::new(),
                    lines: None,
                });
            }
        }
    }
    // `**Location**: src/core/` without backticks: only a single path-like token.
    for f in &doc.fields {
        if !LOCATION_LABELS.contains(&f.norm.as_str()) {
            continue;
        }
        let value = text.get(f.value_span.clone()).unwrap_or("");
        let trimmed = value.trim().trim_end_matches(['.', ',', ';']);
        if trimmed.is_empty() || trimmed.contains(char::is_whitespace) || trimmed.contains('`') {
            continue;
        }
        if let Some(path) = code_path(trimmed).filter(|p| p.contains('/')) {
            let at = f.value_span.start + (value.len() - value.trim_start().len());
            add(Reference {
                span: at..at + trimmed.len(),
                path,
                alternatives: Vec::new(),
                lines: None,
            });
        }
    }
}

/// Spans of the code spans that stand where a file path is expected.
fn path_contexts(ix: &Index<'_>) -> Vec<Range<usize>> {
    let (text, doc) = (ix.text, ix.doc);
    let mut out = Vec::new();
    // Labelled fields: the value's code spans, or the list that follows a bare label.
    for f in &doc.fields {
        if !LOCATION_LABELS.contains(&f.norm.as_str()) {
            continue;
        }
        let value = text.get(f.value_span.clone()).unwrap_or("");
        if !value.trim().is_empty() {
            out.extend(ix.code_within(&f.value_span));
            continue;
        }
        for item in following_list(ix, f.value_span.end) {
            if let Some(lead) = &doc.list_items[item].lead_span {
                out.extend(leading_code_spans(ix, lead));
            }
        }
    }
    // `## Key Files Reference`: the code spans each list item starts with.
    for s in &doc.sections {
        if !KEY_FILE_SECTIONS.contains(&s.norm.as_str()) {
            continue;
        }
        let from = ix
            .items
            .partition_point(|&i| doc.list_items[i].span.start < s.span.start);
        for &i in &ix.items[from..] {
            let item = &doc.list_items[i];
            if item.span.start >= s.span.end {
                break;
            }
            if let Some(lead) = &item.lead_span {
                if lead.end <= s.span.end {
                    out.extend(leading_code_spans(ix, lead));
                }
            }
        }
    }
    out
}

/// The items (indices into `doc.list_items`) of the list that starts right after
/// `after`, at its first level.
fn following_list(ix: &Index<'_>, after: usize) -> Vec<usize> {
    let (text, items) = (ix.text, &ix.doc.list_items);
    let gap_is_blank = |from: usize, to: usize| {
        from <= to && text.get(from..to).is_some_and(|g| g.trim().is_empty())
    };
    let from = ix.items.partition_point(|&i| items[i].span.start < after);
    let Some(&first) = ix.items.get(from) else {
        return Vec::new();
    };
    if !gap_is_blank(after, items[first].span.start) {
        return Vec::new();
    }
    let depth = items[first].depth;
    let mut out = vec![first];
    let mut end = items[first].span.end;
    for &i in &ix.items[from + 1..] {
        let item = &items[i];
        if item.depth > depth && item.span.start < end {
            continue;
        }
        if item.depth == depth && gap_is_blank(end, item.span.start) {
            out.push(i);
            end = item.span.end;
        } else {
            break;
        }
    }
    out
}

/// The run of code spans a paragraph starts with: `` `a.go`, `b.go` - purpose ``.
fn leading_code_spans(ix: &Index<'_>, lead: &Range<usize>) -> Vec<Range<usize>> {
    let text = ix.text;
    let mut out = Vec::new();
    let mut at = lead.start;
    for s in ix.code_within(lead) {
        let gap = text.get(at..s.start).unwrap_or("x");
        let joiner = gap
            .trim_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | ',' | '&' | '+'))
            .to_ascii_lowercase();
        if !(joiner.is_empty() || joiner == "and" || joiner == "or") {
            break;
        }
        at = s.end;
        out.push(s);
    }
    out
}

static SEE: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)] // a literal pattern, checked by the tests
    Regex::new(
        r"(?i)(?:^|[^\w])see(?:\s+also)?\s*:?\s*(?:`[^`]*`\s*(?:,|and|or|,\s*and|,\s*or)\s*)*$",
    )
    .unwrap()
});

/// Whether the code span directly follows "see" (``See `decisions.md` ``,
/// ``see also `a.md` and `b.md` ``).
fn see_mention(ix: &Index<'_>, span: &Range<usize>) -> bool {
    let Some(p) = ix.prose_of(span) else {
        return false;
    };
    let before = ix.text.get(p.start..span.start).unwrap_or("");
    // Only the end of the text matters; keep the regex's work bounded.
    let mut from = before.len().saturating_sub(200);
    while !before.is_char_boundary(from) {
        from += 1;
    }
    SEE.is_match(&before[from..])
}

/// `path:line` in prose outside code spans and links.
fn prose_path_lines(text: &str, doc: &Document, add: &mut impl FnMut(Reference)) {
    for p in &doc.prose {
        let mut at = p.span.start;
        let mut segments = Vec::new();
        for m in &p.masked {
            if m.start > at {
                segments.push(at..m.start);
            }
            at = at.max(m.end);
        }
        if at < p.span.end {
            segments.push(at..p.span.end);
        }
        for seg in segments {
            scan_path_lines(text, seg, add);
        }
    }
}

/// `path:line` on the lines of a plain-text block, such as a walkthrough's steps.
fn block_path_lines(text: &str, block: &CodeBlock, add: &mut impl FnMut(Reference)) {
    scan_path_lines(text, block.body_span.clone(), add);
}

static PATH_LINE: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)] // a literal pattern, checked by the tests
    Regex::new(r"([A-Za-z0-9_.~@+\-][A-Za-z0-9_.~@+\-/]*):([0-9]{1,7})(?:-([0-9]{1,7}))?").unwrap()
});

fn scan_path_lines(text: &str, range: Range<usize>, add: &mut impl FnMut(Reference)) {
    let Some(hay) = text.get(range.clone()) else {
        return;
    };
    for c in PATH_LINE.captures_iter(hay) {
        let (Some(m), Some(p), Some(a)) = (c.get(0), c.get(1), c.get(2)) else {
            continue;
        };
        // A token starts after whitespace or an opening bracket or quote; after `/` or
        // `:` it is the middle of a URL or a route.
        let before = hay[..m.start()].chars().next_back();
        if before.is_some_and(|ch| !(ch.is_whitespace() || "([{\"'`,;=<".contains(ch))) {
            continue;
        }
        // `a.py:12` ends at a word boundary: `a.py:12:5` (a column) is fine, `a.py:12x` not.
        let after = hay[m.end()..].chars().next();
        if after.is_some_and(|ch| ch.is_alphanumeric() || ch == '_' || ch == '/') {
            continue;
        }
        let path = p.as_str().trim_end_matches('.');
        if !is_line_target(path) {
            continue;
        }
        let Ok(start) = a.as_str().parse::<usize>() else {
            continue;
        };
        let end = c.get(3).and_then(|e| e.as_str().parse::<usize>().ok());
        if start == 0 {
            continue;
        }
        add(Reference {
            span: range.start + m.start()..range.start + m.end(),
            path: path.to_string(),
            alternatives: Vec::new(),
            lines: Some((start, end)),
        });
    }
}

/// A code span that is nothing but `path:line` or `path:start-end`.
fn whole_path_line(t: &str) -> Option<(String, usize, Option<usize>)> {
    let c = PATH_LINE.captures(t)?;
    let m = c.get(0)?;
    // `src/main.rs:12:5` carries a column as well.
    let rest = &t[m.end()..];
    let column = rest
        .strip_prefix(':')
        .is_some_and(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()));
    if m.start() != 0 || !(rest.is_empty() || column) {
        return None;
    }
    let path = c.get(1)?.as_str();
    if !is_line_target(path) {
        return None;
    }
    let start = c.get(2)?.as_str().parse().ok().filter(|&n| n > 0)?;
    let end = c.get(3).and_then(|e| e.as_str().parse().ok());
    Some((path.to_string(), start, end))
}

/// The path before `:line`: its last component must be a file name we recognise, so
/// `localhost:8080`, `redis:7` and `bitnami/redis:7` are not line references.
fn is_line_target(path: &str) -> bool {
    if path.starts_with('-') || is_placeholder(path) || looks_like_domain(path) {
        return false;
    }
    let last = path.rsplit('/').next().unwrap_or(path);
    is_file_name(last)
}

/// The path a code span names in a path context, or `None` when it is something else:
/// a route, a URL, an event name, a command, a placeholder.
fn code_path(t: &str) -> Option<String> {
    let t = t.trim();
    if t.is_empty()
        || t.len() > 260
        || t.contains(char::is_whitespace)
        || has_scheme(t)
        || t.starts_with(['/', '~', '$', '-', '@', '\\'])
        || is_placeholder(t)
        || looks_like_domain(t)
        || !t.chars().any(|c| c.is_alphabetic())
    {
        return None;
    }
    if t.contains(['(', ')', '=', '"', '\'', ';', '|', '\\', ':']) {
        return None;
    }
    let cut = t.find('#').unwrap_or(t.len());
    let t = &t[..cut];
    let last = t.trim_end_matches('/').rsplit('/').next().unwrap_or(t);
    if t.contains('/') || is_file_name(last) {
        Some(t.to_string())
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------
// Directory trees

/// Fenced blocks in which trees and walkthrough steps are written.
const PLAIN_LANGS: &[&str] = &["", "text", "txt", "plain", "plaintext", "console", "tree"];

/// Folders that are built or installed, not checked in: a tree may show them.
const GENERATED: &str = concat!(
    "node_modules target dist build out .venv venv __pycache__ .git coverage .next .nuxt ",
    ".cache .pytest_cache .mypy_cache .gradle .idea .vscode .env bin obj ",
);

struct TreeLine {
    /// Column (in characters) of the connector: the nesting depth.
    column: usize,
    name: Range<usize>,
}

/// The connector of a tree line and the byte offset where the name begins.
fn tree_line(line: &str) -> Option<(usize, usize)> {
    const CONNECTORS: &[&str] = &["├──", "└──", "├─", "└─", "|--", "`--", "+--", "|__", "\\--"];
    let (pos, conn) = CONNECTORS
        .iter()
        .filter_map(|c| line.find(c).map(|p| (p, *c)))
        .min_by_key(|(p, _)| *p)?;
    // Only guides may stand before the connector.
    if !line[..pos]
        .chars()
        .all(|c| c.is_whitespace() || matches!(c, '│' | '|' | '┃' | '║'))
    {
        return None;
    }
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
fn tree_name(line: &str, from: usize) -> Option<Range<usize>> {
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

fn tree(text: &str, block: &CodeBlock, repo: &Repo, add: &mut impl FnMut(Reference)) {
    let body = text.get(block.body_span.clone()).unwrap_or("");
    let mut label: Option<String> = None;
    let mut seen_connector = false;
    let mut entries: Vec<(TreeLine, usize)> = Vec::new();
    let mut offset = block.body_span.start;
    for line in body.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if let Some((column, from)) = tree_line(content) {
            seen_connector = true;
            if let Some(name) = tree_name(content, from) {
                entries.push((TreeLine { column, name }, offset));
            }
        } else if !seen_connector && label.is_none() {
            let t = content.trim();
            if !t.is_empty() && !t.contains(char::is_whitespace) {
                label = Some(t.split('#').next().unwrap_or("").to_string());
            }
        }
        offset += line.len();
    }
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
    // Open folders: (column, name), `None` for a name that is a placeholder.
    let mut stack: Vec<(usize, Option<String>)> = Vec::new();
    let mut found = Vec::new();
    for ((entry, at), name) in entries.iter().zip(names) {
        while stack.last().is_some_and(|(c, _)| *c >= entry.column) {
            stack.pop();
        }
        let skip = is_placeholder(name)
            || name.contains(['*', '$'])
            || words(GENERATED).any(|g| g == name.trim_end_matches('/'));
        let parent_ok = stack.iter().all(|(_, n)| n.is_some());
        stack.push((entry.column, (!skip).then(|| name.to_string())));
        if skip || !parent_ok {
            continue;
        }
        let mut path: String = stack
            .iter()
            .filter_map(|(_, n)| n.as_deref())
            .map(|n| n.trim_end_matches('/'))
            .collect::<Vec<_>>()
            .join("/");
        if name.ends_with('/') {
            path.push('/');
        }
        // A label that is a path (`var/lib/app/`, `logs/2026-04-20/`) names where the
        // tree lives, so its entries are only looked for there.
        let (path, alternatives) = match &label {
            Some(l) if l.contains('/') => (format!("{l}/{path}"), Vec::new()),
            Some(l) => {
                let alt = format!("{l}/{path}");
                (path, vec![alt])
            }
            None => (path, Vec::new()),
        };
        found.push(Reference {
            span: at + entry.name.start..at + entry.name.end,
            path,
            alternatives,
            lines: None,
        });
    }
    // A tree none of whose entries exists is not this repository's: a runtime layout
    // (`logs/`, a data folder), a proposal, or another project. Checking it would only
    // bury the reader in findings.
    let anchored = found.iter().any(|r| {
        std::iter::once(&r.path)
            .chain(&r.alternatives)
            .any(|p| repo.resolve(p).is_some())
    });
    if anchored {
        found.into_iter().for_each(add);
    }
}

// ---------------------------------------------------------------------------------
// What looks like a path

/// Field labels whose values name files or folders.
const LOCATION_LABELS: &[&str] = &[
    "location",
    "locations",
    "key files",
    "key file",
    "key directories",
    "key directory",
    "key folders",
    "key files reference",
];

/// Sections whose list items start with the files they describe.
const KEY_FILE_SECTIONS: &[&str] = &[
    "key files reference",
    "key files",
    "key directories",
    "key file locations",
];

/// Extensions of files that architecture documents point at.
const EXTENSIONS: &str = concat!(
    "md markdown mdx rst adoc txt pdf rs go py pyi js mjs cjs jsx ts mts cts tsx vue svelte ",
    "java kt kts scala groovy gradle c h cc cpp cxx hpp hh cs fs fsx vb rb php swift m mm ",
    "dart lua pl pm r jl ex exs erl hrl hs ml mli clj cljs elm zig nim sol sh bash zsh fish ",
    "ps1 bat cmd sql json jsonc json5 yaml yml toml ini cfg conf env xml html htm css scss ",
    "sass less proto graphql gql tf tfvars hcl nix bzl bazel cmake mk lock mod sum ",
    "properties dockerfile tmpl tpl j2 jinja hbs ejs erb csv tsv ipynb svg png jpg jpeg gif ",
    "webp drawio puml mmd dot wasm example sample template avsc thrift capnp fbs rego cue ",
    "jsonnet libsonnet http prisma csproj sln vcxproj xaml plist pbxproj entitlements ",
    "storyboard cu glsl wgsl v sv vhd asm s ld x cabal gemspec podspec pom sbt rake ",
    "editorconfig gitignore dockerignore ",
);

/// File names without an extension that are still unmistakably files.
const FILE_NAMES: &str = concat!(
    "Makefile makefile GNUmakefile Dockerfile Containerfile Justfile justfile Procfile ",
    "Gemfile Rakefile Vagrantfile Jenkinsfile Brewfile Pipfile Taskfile Tiltfile Earthfile ",
    "LICENSE LICENCE COPYING README CHANGELOG CODEOWNERS OWNERS NOTICE AUTHORS CONTRIBUTING ",
    "BUILD WORKSPACE ",
);

/// The words of a space-separated list constant.
fn words(list: &'static str) -> impl Iterator<Item = &'static str> {
    list.split_ascii_whitespace()
}

/// Documents a "See `x`" mention may name without a folder.
fn is_document_name(name: &str) -> bool {
    const DOCS: &[&str] = &["md", "markdown", "mdx", "rst", "adoc", "txt", "pdf", "html"];
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty() && DOCS.contains(&ext.to_ascii_lowercase().as_str())
    })
}

/// A single path component that is a file name: a known extension or name.
fn is_file_name(name: &str) -> bool {
    if words(FILE_NAMES).any(|n| n == name) {
        return true;
    }
    match name.rsplit_once('.') {
        Some((stem, ext)) => {
            (!stem.is_empty() || name.starts_with('.'))
                && words(EXTENSIONS).any(|e| e.eq_ignore_ascii_case(ext))
        }
        None => false,
    }
}

/// `https:`, `mailto:`, `C:` (a drive is not a repository path either).
fn has_scheme(s: &str) -> bool {
    let Some(colon) = s.find(':') else {
        return false;
    };
    let scheme = &s[..colon];
    !scheme.is_empty()
        && scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
}

/// Template text rather than a path: `path/to/file.ext`, `[...]`, `<name>`, `{id}`.
fn is_placeholder(s: &str) -> bool {
    s.contains(['[', ']', '<', '>', '{', '}', '*', '?', '…'])
        || s.contains("...")
        || s.to_ascii_lowercase().contains("path/to")
}

/// `example.com`, `www.example.com/docs`, `github.com/org/repo`: a host, not a folder.
fn looks_like_domain(s: &str) -> bool {
    const TLDS: &[&str] = &[
        "com", "org", "net", "io", "dev", "app", "co", "ai", "gov", "edu", "info", "biz", "cloud",
        "us", "uk", "de", "eu", "fr", "jp", "cn", "ru", "ca", "au", "me", "tv", "xyz", "tech",
    ];
    let first = s.split('/').next().unwrap_or(s);
    if first.starts_with("www.") {
        return true;
    }
    match first.rsplit_once('.') {
        Some((host, tld)) => {
            !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
                && TLDS.contains(&tld.to_ascii_lowercase().as_str())
        }
        None => false,
    }
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_paths_exclude_routes_urls_events_and_placeholders() {
        for yes in [
            "docs/testing.md",
            "decisions.md",
            "internal/ledger/",
            "Makefile",
            "go.mod",
        ] {
            assert!(code_path(yes).is_some(), "{yes}");
        }
        for no in [
            "POST /v1/payments",
            "/v1/payments",
            "https://x.example.com/a.md",
            "payment.captured",
            "claims.events.claim-submitted",
            "beacon.v1.NotificationService",
            "path/to/main/file.ext",
            "[file/directory]",
            "src/*.rs",
            "github.com/jackc/pgx",
            "ledger.Post",
        ] {
            assert!(code_path(no).is_none(), "{no}");
        }
    }

    #[test]
    fn path_line_needs_a_file_name() {
        assert_eq!(
            whole_path_line("src/api/routes.py:12-20"),
            Some(("src/api/routes.py".into(), 12, Some(20)))
        );
        assert_eq!(
            whole_path_line("src/main.rs:12:5"),
            Some(("src/main.rs".into(), 12, None))
        );
        for no in [
            "localhost:8080",
            "redis:7",
            "bitnami/redis:7",
            "example.com:443",
            "10:30",
        ] {
            assert!(whole_path_line(no).is_none(), "{no}");
        }
    }

    #[test]
    fn link_paths_drop_fragments_and_decode() {
        assert_eq!(
            link_path("../src/a%20b.md#x").as_deref(),
            Some("../src/a b.md")
        );
        assert_eq!(link_path("#anchor"), None);
        assert_eq!(link_path("mailto:a@b.c"), None);
        assert_eq!(link_path("https://example.com/a.md"), None);
        assert_eq!(
            link_path("/docs/a.md?plain=1").as_deref(),
            Some("/docs/a.md")
        );
    }

    #[test]
    fn tree_lines_give_columns_and_names() {
        let l = "│   ├── tollgate-api/        # HTTP server";
        let (col, from) = tree_line(l).unwrap_or((99, 0));
        assert_eq!(col, 4);
        let name = tree_name(l, from).unwrap_or(0..0);
        assert_eq!(&l[name], "tollgate-api/");
        assert!(tree_line("├────────┤").is_some_and(|(_, f)| tree_name("├────────┤", f).is_none()));
        assert!(tree_line("│ Layer ├── x").is_none());
    }
}
