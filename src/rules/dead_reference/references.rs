//! Finding references in prose, links, lists and plain-text blocks.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::*;

/// Sorted views of the outline, so that a document with thousands of code spans and
/// links costs a binary search per lookup rather than a scan.
pub(super) struct Index<'d> {
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
    pub(super) fn new(text: &'d str, doc: &'d Document) -> Self {
        let mut code: Vec<usize> = (0..doc.code_spans.len()).collect();
        code.sort_by_key(|&i| doc.code_spans[i].span.start);
        let mut links: Vec<Range<usize>> = doc.links.iter().map(|l| l.span.clone()).collect();
        links.sort_by_key(|r| r.start);
        let mut prose: Vec<Range<usize>> = doc.prose.iter().map(|p| p.span.clone()).collect();
        prose.sort_by_key(|r| r.start);
        let mut items: Vec<usize> = (0..doc.list_items.len()).collect();
        items.sort_by_key(|&i| doc.list_items[i].span().start);
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

/// Link and image targets, and reference definitions: resolved from the document's
/// folder only, as GitHub renders them. In a static site's page (`site_page`), a
/// root-relative target with no file extension is a route of the site.
pub(super) fn links(text: &str, doc: &Document, site: &Site<'_>, add: &mut impl FnMut(Reference)) {
    for link in &doc.links {
        // A reference-style link is checked once, at its definition.
        let written = text.get(link.span.clone()).unwrap_or("");
        if !written.trim_end().ends_with(')') {
            continue;
        }
        if let Some(path) = link_path(&link.url).filter(|p| !site.route(p)) {
            add(Reference {
                span: link.span.clone(),
                path,
                alternatives: Vec::new(),
                lines: None,
                from: From::Document,
                loose: false,
            });
        }
    }
    for def in &doc.link_definitions {
        if let Some(path) = link_path(&def.url).filter(|p| !site.route(p)) {
            add(Reference {
                span: def.url_span.clone(),
                path,
                alternatives: Vec::new(),
                lines: None,
                from: From::Document,
                loose: false,
            });
        }
    }
}

/// The file path a link target names, or `None` for URLs, anchors and placeholders.
pub(super) fn link_path(url: &str) -> Option<String> {
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

/// What makes a link a page of a static site rather than a file.
pub(super) struct Site<'a> {
    /// The document says it is a content page (front matter, a `content/` folder).
    pub page: bool,
    pub repo: &'a Repo,
    /// Whether a site generator's configuration lies above the document: asked once,
    /// and only when a link's answer depends on it.
    pub configured: std::cell::OnceCell<bool>,
}

impl Site<'_> {
    /// A root-relative link with no extension in a content page, and, below a site's
    /// configuration, any link with no extension or to a rendered page
    /// (`/guide/features.html`, `./features`, `../deployment-modes/`) that stays in the
    /// repository: a route of the site.
    fn route(&self, path: &str) -> bool {
        let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        let bare = !last.contains('.');
        if !(bare || last.ends_with(".html")) || path.is_empty() {
            return false;
        }
        if bare && path.starts_with('/') && self.page {
            return true;
        }
        *self.configured.get_or_init(|| self.repo.in_static_site())
            && !matches!(
                self.repo.outcome_from(path, From::Document),
                Outcome::Refused(Refused::Leaves | Refused::LinkLeaves)
            )
    }
}

/// Code spans: `path:line` anywhere; other paths only where the document says it
/// names files.
pub(super) fn code_spans(ix: &Index<'_>, add: &mut impl FnMut(Reference)) {
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
                from: From::DocumentOrRoot,
                loose: true,
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
                    from: From::DocumentOrRoot,
                    loose: seen && !is_document_name(t),
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
                from: From::DocumentOrRoot,
                loose: false,
            });
        }
    }
}

/// Spans of the code spans that stand where a file path is expected.
pub(super) fn path_contexts(ix: &Index<'_>) -> Vec<Range<usize>> {
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
            if let Some(lead) = &doc.list_items[item].lead_span() {
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
            .partition_point(|&i| doc.list_items[i].span().start < s.span.start);
        for &i in &ix.items[from..] {
            let item = &doc.list_items[i];
            if item.span().start >= s.span.end {
                break;
            }
            if let Some(lead) = &item.lead_span() {
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
pub(super) fn following_list(ix: &Index<'_>, after: usize) -> Vec<usize> {
    let (text, items) = (ix.text, &ix.doc.list_items);
    let gap_is_blank = |from: usize, to: usize| {
        from <= to && text.get(from..to).is_some_and(|g| g.trim().is_empty())
    };
    let from = ix.items.partition_point(|&i| items[i].span().start < after);
    let Some(&first) = ix.items.get(from) else {
        return Vec::new();
    };
    if !gap_is_blank(after, items[first].span().start) {
        return Vec::new();
    }
    let depth = items[first].depth;
    let mut out = vec![first];
    let mut end = items[first].span().end;
    for &i in &ix.items[from + 1..] {
        let item = &items[i];
        let span = item.span();
        if item.depth > depth && span.start < end {
            continue;
        }
        if item.depth == depth && gap_is_blank(end, span.start) {
            out.push(i);
            end = span.end;
        } else {
            break;
        }
    }
    out
}

/// The run of code spans a paragraph starts with: `` `a.go`, `b.go` - purpose ``.
pub(super) fn leading_code_spans(ix: &Index<'_>, lead: &Range<usize>) -> Vec<Range<usize>> {
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

/// "see" and what may stand between it and the code span. The word boundary before
/// "see" is checked in code ([`see_ends`]): written into the pattern as `[^\w]`, the
/// Unicode word class made the pattern four times as slow to compile, which every run
/// pays.
static SEE: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)] // a literal pattern, checked by the tests
    Regex::new(r"(?i)see(?:\s+also)?\s*:?\s*(?:`[^`]*`\s*(?:,|and|or|,\s*and|,\s*or)\s*)*$")
        .unwrap()
});

/// Whether `text` ends with "see" (a whole word) and the code spans joined to it: the
/// match of [`SEE`], if it starts the text or follows a character that is not a word
/// character (`\w`). Only the leftmost match needs the test: a later start would lie
/// inside one of its code spans, with an odd number of backticks after it, and every
/// match has an even number.
pub(super) fn see_ends(text: &str) -> bool {
    SEE.find(text).is_some_and(|m| {
        let before = text[..m.start()].chars().next_back();
        !before.is_some_and(regex_syntax::is_word_character)
    })
}

/// Whether the code span directly follows "see" (``See `decisions.md` ``,
/// ``see also `a.md` and `b.md` ``).
pub(super) fn see_mention(ix: &Index<'_>, span: &Range<usize>) -> bool {
    let Some(p) = ix.prose_of(span) else {
        return false;
    };
    let before = ix.text.get(p.start..span.start).unwrap_or("");
    // Only the end of the text matters; keep the regex's work bounded.
    let mut from = before.len().saturating_sub(200);
    while !before.is_char_boundary(from) {
        from += 1;
    }
    see_ends(&before[from..])
}

/// `path:line` in prose outside code spans and links.
pub(super) fn prose_path_lines(text: &str, doc: &Document, add: &mut impl FnMut(Reference)) {
    // A `path:line` needs a `:` followed by a digit: find those once in the whole text,
    // and look only at the leaves that hold one.
    let b = text.as_bytes();
    let colons: Vec<usize> = memchr::memchr_iter(b':', b)
        .filter(|&i| b.get(i + 1).is_some_and(u8::is_ascii_digit))
        .collect();
    if colons.is_empty() {
        return;
    }
    for p in &doc.prose {
        let i = colons.partition_point(|&c| c < p.span.start);
        if colons.get(i).is_none_or(|&c| c >= p.span.end) {
            continue;
        }
        let mut at = p.span.start;
        let mut segments = Vec::new();
        for m in doc.masked(p) {
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
pub(super) fn block_path_lines(text: &str, block: &CodeBlock, add: &mut impl FnMut(Reference)) {
    scan_path_lines(text, block.body_span.clone(), add);
}

pub(super) static PATH_LINE: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)] // a literal pattern, checked by the tests
    Regex::new(r"([A-Za-z0-9_.~@+\-][A-Za-z0-9_.~@+\-/]*):([0-9]{1,7})(?:-([0-9]{1,7}))?").unwrap()
});

pub(super) fn scan_path_lines(text: &str, range: Range<usize>, add: &mut impl FnMut(Reference)) {
    let Some(hay) = text.get(range.clone()) else {
        return;
    };
    // Most prose has no `:` followed by a digit; say so before running the pattern.
    let b = hay.as_bytes();
    if !memchr::memchr_iter(b':', b).any(|i| b.get(i + 1).is_some_and(u8::is_ascii_digit)) {
        return;
    }
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
            from: From::DocumentOrRoot,
            loose: true,
        });
    }
}

/// A code span that is nothing but `path:line` or `path:start-end`.
pub(super) fn whole_path_line(t: &str) -> Option<(String, usize, Option<usize>)> {
    // The pattern needs `:` and a digit after it; most code spans hold neither.
    if !t
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b':' && w[1].is_ascii_digit())
    {
        return None;
    }
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
pub(super) fn is_line_target(path: &str) -> bool {
    if path.starts_with('-') || is_placeholder(path) || looks_like_domain(path) {
        return false;
    }
    let last = path.rsplit('/').next().unwrap_or(path);
    is_file_name(last)
}

/// The path a code span names in a path context, or `None` when it is something else:
/// a route, a URL, an event name, a command, a placeholder.
pub(super) fn code_path(t: &str) -> Option<String> {
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
