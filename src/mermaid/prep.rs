//! Mermaid's text preprocessing: front matter, `%%{...}%%` directives and `%%`
//! comment lines are removed before the diagram type is detected.
//!
//! Removed text is blanked rather than deleted so that line indices keep
//! pointing into the original body.

use super::MermaidError;
use regex::Regex;
use std::sync::LazyLock;

/// Body lines after preprocessing, one entry per body line.
pub(super) struct Prepared {
    pub lines: Vec<String>,
    /// Front matter or a directive was present (it may change parser settings).
    pub had_config: bool,
}

impl Prepared {
    /// Index of the first line holding anything but whitespace.
    pub fn first_content_line(&self) -> Option<usize> {
        self.lines.iter().position(|l| !is_blank(l))
    }

    /// The lines joined with `\n`, plus the trailing newline Mermaid appends
    /// before handing the text to a diagram parser.
    pub fn joined(&self) -> String {
        let cap = self.lines.iter().map(|l| l.len() + 1).sum();
        let mut out = String::with_capacity(cap);
        for l in &self.lines {
            out.push_str(l);
            out.push('\n');
        }
        out
    }
}

pub(super) enum Prep {
    Ready(Prepared),
    Error(MermaidError),
    Unsure,
}

/// Whitespace as JavaScript's `\s` sees it (close enough: Unicode White_Space plus BOM).
pub(super) fn is_js_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

pub(super) fn is_blank(s: &str) -> bool {
    s.chars().all(is_js_space)
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

static TAG: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"<([A-Za-z0-9_]+)([^>]*)>").ok());
static TAG_ATTR: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r#"="([^"]*)""#).ok());

/// Mermaid's `cleanupText`: inside HTML-like tags, `="..."` becomes `='...'`.
/// Only quote characters change, so positions and line breaks are preserved.
fn cleanup_tags(text: &str) -> String {
    let (Some(tag), Some(attr)) = (TAG.as_ref(), TAG_ATTR.as_ref()) else {
        return text.to_string();
    };
    if !text.contains("=\"") {
        return text.to_string();
    }
    tag.replace_all(text, |caps: &regex::Captures| {
        let whole = caps.get(0).map_or("", |m| m.as_str());
        attr.replace_all(whole, "='$1'").into_owned()
    })
    .into_owned()
}

pub(super) fn prepare(body: &str) -> Prep {
    // A lone carriage return is a line break for Mermaid but not for the
    // caller's line numbering: stay out of that ambiguity.
    let bytes = body.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            return Prep::Unsure;
        }
    }
    let normalized = body.replace("\r\n", "\n");
    let cleaned = cleanup_tags(&normalized);
    let mut lines: Vec<String> = cleaned.split('\n').map(str::to_string).collect();
    if lines
        .iter()
        .any(|l| l.contains('\u{2028}') || l.contains('\u{2029}'))
    {
        return Prep::Unsure;
    }

    let mut unclosed_directive = None;
    let before: usize = lines.iter().filter(|l| !is_blank(l)).count();
    let had_directive = lines.iter().any(|l| l.contains("%%{"));
    for pass in 0..2 {
        // Pass one sees the raw text: front matter only at the very start.
        // Pass two runs after `trimStart`: at the first non-blank line, unindented.
        let start = if pass == 0 {
            Some(0)
        } else {
            lines.iter().position(|l| !is_blank(l))
        };
        if let Some(s) = start {
            strip_front_matter(&mut lines, s, pass == 1);
        }
        match strip_directives(&mut lines) {
            Ok(Some(line)) => unclosed_directive = Some(line),
            Ok(None) => {}
            Err(()) => return Prep::Unsure,
        }
        if strip_comments(&mut lines).is_err() {
            return Prep::Unsure;
        }
    }

    let comment_lines = cleaned
        .split('\n')
        .filter(|l| l.trim_start_matches(is_js_space).starts_with("%%"))
        .count();
    let after: usize = lines.iter().filter(|l| !is_blank(l)).count();
    let had_config = had_directive || before - comment_lines > after;
    let prepared = Prepared { lines, had_config };
    if let Some(first) = prepared.first_content_line() {
        let t = prepared.lines[first].trim_start_matches(is_js_space);
        if t.to_ascii_lowercase().starts_with("---") {
            return Prep::Error(MermaidError::new(
                first,
                "front matter opened with `---` is never closed with a matching `---` line",
            ));
        }
    } else if let Some(line) = unclosed_directive {
        return Prep::Error(MermaidError::new(
            line,
            "directive `%%{` is never closed with `}%%`",
        ));
    }
    Prep::Ready(prepared)
}

/// Emulates `^([^\S\n\r]*)-{3}\s*[\n\r](.*?)[\n\r]\1-{3}\s*[\n\r]+` anchored at line `s`.
fn strip_front_matter(lines: &mut [String], s: usize, unindented: bool) {
    let Some(open) = lines.get(s) else { return };
    let indent_len = if unindented {
        0
    } else {
        open.len() - open.trim_start_matches(is_js_space).len()
    };
    let Some(rest) = open.get(indent_len..) else {
        return;
    };
    let rest = if unindented {
        rest.trim_start_matches(is_js_space)
    } else {
        rest
    };
    if !(rest.starts_with("---") && is_blank(&rest[3..])) {
        return;
    }
    let indent = open[..indent_len].to_string();
    // The closing line needs a newline after it, so it cannot be the last line.
    let last = lines.len().saturating_sub(1);
    let mut close = None;
    for (k, line) in lines.iter().enumerate().take(last).skip(s + 2) {
        if let Some(after) = line.strip_prefix(indent.as_str()) {
            if let Some(tail) = after.strip_prefix("---") {
                if is_blank(tail) {
                    close = Some(k);
                    break;
                }
            }
        }
    }
    if let Some(k) = close {
        for line in lines.iter_mut().take(k + 1).skip(s) {
            line.clear();
        }
    }
}

/// Removes `%%{ ... }%%` directives the way Mermaid's `directiveRegex` does.
/// Returns the line of a directive that is never closed (it swallows the rest
/// of the text), or `Err` when the result would be ambiguous.
fn strip_directives(lines: &mut [String]) -> Result<Option<usize>, ()> {
    if !lines.iter().any(|l| l.contains("%%{")) {
        return Ok(None);
    }
    let mut text = String::new();
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.push_str(l);
    }
    let b = text.as_bytes();
    let mut removed: Vec<(usize, usize)> = Vec::new();
    let mut unclosed = None;
    let mut i = 0;
    while let Some(off) = text.get(i..).and_then(|t| t.find("%%{")) {
        let p = i + off;
        let mut q = p + 3;
        while q < b.len() && b[q].is_ascii_whitespace() {
            q += 1;
        }
        if q >= b.len() || !is_word_byte(b[q]) {
            i = p + 1;
            continue;
        }
        while q < b.len() && is_word_byte(b[q]) {
            q += 1;
        }
        let mut r = q;
        while r < b.len() && b[r].is_ascii_whitespace() {
            r += 1;
        }
        if r < b.len() && b[r] == b':' {
            q = r + 1;
        }
        while q < b.len() && b[q].is_ascii_whitespace() {
            q += 1;
        }
        let end;
        if q < b.len() && is_word_byte(b[q]) {
            while q < b.len() && is_word_byte(b[q]) {
                q += 1;
            }
            while q < b.len() && b[q].is_ascii_whitespace() {
                q += 1;
            }
            if text[q..].starts_with("}%%") {
                q += 3;
            }
            end = q;
        } else if let Some(c) = text[q..].find("}%%") {
            end = q + c + 3;
        } else {
            unclosed = Some(text[..p].matches('\n').count());
            end = b.len();
        }
        removed.push((p, end));
        i = end;
    }
    // Apply removals and make sure no line gets glued to another one.
    let mut line_starts = vec![0usize];
    for (k, &c) in b.iter().enumerate() {
        if c == b'\n' {
            line_starts.push(k + 1);
        }
    }
    let line_of = |pos: usize| line_starts.partition_point(|&s| s <= pos).saturating_sub(1);
    for &(p, e) in removed.iter().rev() {
        let lp = line_of(p);
        let le = line_of(e.saturating_sub(1).max(p));
        let ls = line_starts[lp];
        let before = &text[ls..p];
        let line_end = |l: usize| {
            line_starts
                .get(l + 1)
                .map_or(text.len(), |&s| s.saturating_sub(1))
        };
        let after = if e >= text.len() {
            ""
        } else {
            &text[e..line_end(le).max(e)]
        };
        if !is_blank(before) || !is_blank(after) {
            return Err(());
        }
        for line in lines.iter_mut().take(le + 1).skip(lp) {
            line.clear();
        }
        if e >= text.len() {
            for line in lines.iter_mut().skip(lp) {
                line.clear();
            }
        }
    }
    Ok(unclosed)
}

/// Mermaid's `cleanupComments`: `^\s*%%(?!{)[^\n]+\n?` lines disappear.
/// A bare `%%` line survives in Mermaid, which we do not model.
fn strip_comments(lines: &mut [String]) -> Result<(), ()> {
    for line in lines.iter_mut() {
        let t = line.trim_start_matches(is_js_space);
        if let Some(rest) = t.strip_prefix("%%") {
            if rest.starts_with('{') || rest.is_empty() {
                return Err(());
            }
            line.clear();
        }
    }
    Ok(())
}
