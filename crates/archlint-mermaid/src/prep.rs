//! Mermaid's text preprocessing: front matter, `%%{...}%%` directives and `%%`
//! comment lines are removed before the diagram type is detected.
//!
//! Removed text is blanked rather than deleted so that line indices keep
//! pointing into the original body.

use super::MermaidError;
use regex::Regex;
use std::borrow::Cow;
use std::cell::OnceCell;
use std::sync::LazyLock;

/// Body lines after preprocessing, one entry per body line, borrowed from the
/// normalized text (see `normalize`); removed lines are empty.
pub(super) struct Prepared<'a> {
    /// The normalized text when preprocessing removed nothing: the lines are
    /// then split from it only when a checker asks for them.
    text: Option<&'a str>,
    lines: OnceCell<Vec<&'a str>>,
    /// Front matter or a directive was present (it may change parser settings).
    pub had_config: bool,
    /// Some line may contain `C4` (the text did before preprocessing).
    pub maybe_c4: bool,
    /// Bytes the text may contain (it did before preprocessing).
    pub maybe_hash: bool,
    pub maybe_at: bool,
    pub maybe_percent: bool,
    pub maybe_semi: bool,
}

impl<'a> Prepared<'a> {
    fn new(text: Option<&'a str>, lines: Option<Vec<&'a str>>, scan: Scan) -> Self {
        Prepared {
            text,
            lines: lines.map_or_else(OnceCell::new, OnceCell::from),
            had_config: false,
            maybe_c4: false,
            maybe_hash: scan.hash,
            maybe_at: scan.at,
            maybe_percent: scan.percent,
            maybe_semi: scan.semi,
        }
    }

    /// The body lines.
    pub fn lines(&self) -> &[&'a str] {
        self.lines.get_or_init(|| {
            let text = self.text.unwrap_or("");
            let mut lines = Vec::with_capacity(text.len() / 12 + 2);
            split_lines(text, &mut lines);
            lines
        })
    }

    /// The body lines in order, without splitting the whole text first.
    pub fn line_iter(&self) -> Lines<'a, '_> {
        match (self.lines.get(), self.text) {
            (None, Some(text)) => text_lines(text),
            _ => Lines::Split(self.lines().iter()),
        }
    }

    /// Line `i`, without splitting the whole text when it has not been yet.
    pub fn line(&self, i: usize) -> &'a str {
        match (self.lines.get(), self.text) {
            (None, Some(text)) => text_lines(text).nth(i).unwrap_or(""),
            _ => self.lines().get(i).copied().unwrap_or(""),
        }
    }

    /// The first line holding anything but whitespace, with its index.
    pub fn first_content(&self) -> Option<(usize, &'a str)> {
        match (self.lines.get(), self.text) {
            (None, Some(text)) => text_lines(text).enumerate().find(|(_, l)| !is_blank(l)),
            _ => self
                .lines()
                .iter()
                .copied()
                .enumerate()
                .find(|(_, l)| !is_blank(l)),
        }
    }

    /// Index of the first line holding anything but whitespace.
    pub fn first_content_line(&self) -> Option<usize> {
        match (self.lines.get(), self.text) {
            (None, Some(text)) => text_lines(text).position(|l| !is_blank(l)),
            _ => self.lines().iter().position(|l| !is_blank(l)),
        }
    }

    /// Byte offset of line `i` within [`Prepared::joined`].
    pub fn line_start(&self, i: usize) -> usize {
        match (self.lines.get(), self.text) {
            (None, Some(text)) => text_lines(text).take(i).map(|l| l.len() + 1).sum(),
            _ => self.lines().iter().take(i).map(|l| l.len() + 1).sum(),
        }
    }

    /// The lines joined with `\n`, plus the trailing newline Mermaid appends
    /// before handing the text to a diagram parser.
    /// The body from the diagram keyword on (the text before it on its line left
    /// out), each line ending in `\n`: what a jison lexer is handed.
    pub fn text_from_header(&self, header: super::keywords::Header) -> String {
        let mut text = String::new();
        for (i, l) in self.lines().iter().enumerate().skip(header.line) {
            text.push_str(if i == header.line {
                &l[header.col..]
            } else {
                l
            });
            text.push('\n');
        }
        text
    }

    pub fn joined(&self) -> String {
        if let Some(text) = self.text {
            let mut out = String::with_capacity(text.len() + 1);
            out.push_str(text);
            out.push('\n');
            return out;
        }
        let lines = self.lines();
        let cap = lines.iter().map(|l| l.len() + 1).sum();
        let mut out = String::with_capacity(cap);
        for l in lines {
            out.push_str(l);
            out.push('\n');
        }
        out
    }
}

/// The lines of a [`Prepared`], one after another.
#[derive(Clone)]
pub(super) enum Lines<'a, 'p> {
    /// Found one at a time in the text.
    Text {
        text: &'a str,
        pos: usize,
        done: bool,
    },
    Split(std::slice::Iter<'p, &'a str>),
}

impl<'a> Iterator for Lines<'a, '_> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        match self {
            Lines::Split(it) => it.next().copied(),
            Lines::Text { text, pos, done } => {
                if *done {
                    return None;
                }
                let from = *pos;
                match find_newline(text.as_bytes(), from) {
                    Some(i) => {
                        *pos = i + 1;
                        text.get(from..i)
                    }
                    None => {
                        *done = true;
                        text.get(from..)
                    }
                }
            }
        }
    }
}

/// The lines of `text`, split at `\n` (like `text.split('\n')`).
fn text_lines<'a, 'p>(text: &'a str) -> Lines<'a, 'p> {
    Lines::Text {
        text,
        pos: 0,
        done: false,
    }
}

/// The first `\n` at or after `from`.
fn find_newline(b: &[u8], from: usize) -> Option<usize> {
    memchr::memchr(b'\n', b.get(from..)?).map(|i| from + i)
}

pub(super) enum Prep<'a> {
    Ready(Prepared<'a>),
    Error(MermaidError),
    Unsure,
}

/// Whitespace as JavaScript's `\s` sees it (close enough: Unicode White_Space plus BOM).
pub(super) fn is_js_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// An ASCII byte that [`is_js_space`] accepts.
fn is_ascii_js_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

pub(super) fn is_blank(s: &str) -> bool {
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if b >= 0x80 {
            // Only ASCII came before: `i` is a character boundary.
            return s[i..].chars().all(is_js_space);
        }
        if !is_ascii_js_space(b) {
            return false;
        }
    }
    true
}

/// `s.trim_start_matches(is_js_space)`, with a fast path for ASCII.
pub(super) fn trim_js_start(s: &str) -> &str {
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if b >= 0x80 {
            return s[i..].trim_start_matches(is_js_space);
        }
        if !is_ascii_js_space(b) {
            return &s[i..];
        }
    }
    ""
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

static TAG: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"<([A-Za-z0-9_]+)([^>]*)>").ok());
static TAG_ATTR: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r#"="([^"]*)""#).ok());

/// Mermaid's `cleanupText`: inside HTML-like tags, `="..."` becomes `='...'`.
/// Only quote characters change, so positions and line breaks are preserved.
fn cleanup_tags(text: Cow<'_, str>) -> Cow<'_, str> {
    if !text.contains("=\"") {
        return text;
    }
    let (Some(tag), Some(attr)) = (TAG.as_ref(), TAG_ATTR.as_ref()) else {
        return text;
    };
    let replaced = tag.replace_all(&text, |caps: &regex::Captures| {
        let whole = caps.get(0).map_or("", |m| m.as_str());
        attr.replace_all(whole, "='$1'").into_owned()
    });
    match replaced {
        Cow::Borrowed(_) => text,
        Cow::Owned(s) => Cow::Owned(s),
    }
}

/// The body as Mermaid's diagram parsers see it before comments and front
/// matter are removed: `\r\n` line ends become `\n` and attribute quotes in
/// HTML-like tags are rewritten. `None` when the checker should stay silent.
fn normalize(body: &str) -> Option<Cow<'_, str>> {
    let bytes = body.as_bytes();
    let mut text = Cow::Borrowed(body);
    if bytes.contains(&b'\r') {
        // A lone carriage return is a line break for Mermaid but not for the
        // caller's line numbering: stay out of that ambiguity.
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
                return None;
            }
        }
        text = Cow::Owned(body.replace("\r\n", "\n"));
    }
    let text = cleanup_tags(text);
    if has_line_separator(&text) {
        return None;
    }
    Some(text)
}

fn has_line_separator(text: &str) -> bool {
    text.as_bytes().contains(&0xe2) && (text.contains('\u{2028}') || text.contains('\u{2029}'))
}

/// Which bytes of interest a text holds (see [`split`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Scan {
    cr: bool,
    quote: bool,
    percent: bool,
    upper_c: bool,
    non_ascii: bool,
    hash: bool,
    at: bool,
    semi: bool,
}

/// Splits `text` at every `\n` into `lines`.
fn split_lines<'a>(text: &'a str, lines: &mut Vec<&'a str>) {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const NL: u64 = 0x0a0a_0a0a_0a0a_0a0a;
    let b = text.as_bytes();
    // Eight bytes at a time.
    let (words, tail) = b.as_chunks::<8>();
    let mut from = 0;
    let mut base = 0;
    for w in words {
        let t = u64::from_le_bytes(*w) ^ NL;
        // 0x80 exactly in the bytes where `t` is zero (no carries between bytes).
        let mut m = !(((t & LOW7) + LOW7) | t | LOW7);
        while m != 0 {
            let i = base + (m.trailing_zeros() / 8) as usize;
            lines.push(text.get(from..i).unwrap_or(""));
            from = i + 1;
            m &= m - 1;
        }
        base += 8;
    }
    for (k, &c) in tail.iter().enumerate() {
        if c == b'\n' {
            let i = base + k;
            lines.push(text.get(from..i).unwrap_or(""));
            from = i + 1;
        }
    }
    lines.push(text.get(from..).unwrap_or(""));
}

/// Notes the bytes of `text` that call for more work.
fn scan(text: &str) -> Scan {
    use memchr::{memchr, memchr3};
    let b = text.as_bytes();
    // Most diagrams hold none of these six: two vectorized passes say so, and
    // only a hit asks for each byte on its own.
    let (cr, quote, percent) = if memchr3(b'\r', b'"', b'%', b).is_some() {
        (
            memchr(b'\r', b).is_some(),
            memchr(b'"', b).is_some(),
            memchr(b'%', b).is_some(),
        )
    } else {
        (false, false, false)
    };
    let (hash, at, semi) = if memchr3(b'#', b'@', b';', b).is_some() {
        (
            memchr(b'#', b).is_some(),
            memchr(b'@', b).is_some(),
            memchr(b';', b).is_some(),
        )
    } else {
        (false, false, false)
    };
    Scan {
        cr,
        quote,
        percent,
        upper_c: memchr(b'C', b).is_some(),
        non_ascii: !b.is_ascii(),
        hash,
        at,
        semi,
    }
}

/// Preprocesses a block body and hands the result to `f`; `None` when the
/// checker should stay silent (ambiguous line breaks).
pub(super) fn with_prepared<R>(body: &str, f: impl FnOnce(Prep<'_>) -> R) -> Option<R> {
    let scan = scan(body);
    if !(scan.cr || scan.quote && body.contains("=\"")) {
        // Nothing for `normalize` to rewrite.
        if scan.non_ascii && has_line_separator(body) {
            return None;
        }
        return Some(f(prepare(body, scan)));
    }
    let text = normalize(body)?;
    let scan = self::scan(&text);
    Some(f(prepare(&text, scan)))
}

/// Removes front matter, directives and comments from the lines of the
/// normalized text.
fn prepare(text: &str, scan: Scan) -> Prep<'_> {
    let has_percent = scan.percent && text.contains("%%");
    let maybe_c4 = scan.upper_c && memchr::memmem::find(text.as_bytes(), b"C4").is_some();
    // Without `%%` only front matter can go, and only when the first
    // non-blank line starts with `---` (removing text never creates `%%`).
    let front_matter = text_lines(text)
        .find(|l| !is_blank(l))
        .is_some_and(|l| trim_js_start(l).starts_with("---"));
    if !has_percent && !front_matter {
        let mut p = Prepared::new(Some(text), None, scan);
        p.maybe_c4 = maybe_c4;
        return Prep::Ready(p);
    }
    let mut lines = Vec::with_capacity(text.len() / 12 + 2);
    split_lines(text, &mut lines);

    let mut unclosed_directive = None;
    let before: usize = lines.iter().filter(|l| !is_blank(l)).count();
    let had_directive = has_percent && text.contains("%%{");
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
        if !has_percent {
            continue;
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

    let comment_lines = if has_percent {
        text.split('\n')
            .filter(|l| trim_js_start(l).starts_with("%%"))
            .count()
    } else {
        0
    };
    let after: usize = lines.iter().filter(|l| !is_blank(l)).count();
    let had_config = had_directive || before - comment_lines > after;
    let mut prepared = Prepared::new(None, Some(lines), scan);
    prepared.had_config = had_config;
    prepared.maybe_c4 = maybe_c4;
    if let Some(first) = prepared.first_content_line() {
        let t = trim_js_start(prepared.line(first));
        if t.starts_with("---") {
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
fn strip_front_matter(lines: &mut [&str], s: usize, unindented: bool) {
    let Some(&open) = lines.get(s) else { return };
    let indent_len = if unindented {
        0
    } else {
        open.len() - trim_js_start(open).len()
    };
    let Some(rest) = open.get(indent_len..) else {
        return;
    };
    let rest = if unindented {
        trim_js_start(rest)
    } else {
        rest
    };
    if !(rest.starts_with("---") && is_blank(&rest[3..])) {
        return;
    }
    let indent = &open[..indent_len];
    // The closing line needs a newline after it, so it cannot be the last line.
    let last = lines.len().saturating_sub(1);
    let mut close = None;
    for (k, line) in lines.iter().enumerate().take(last).skip(s + 2) {
        if let Some(after) = line.strip_prefix(indent) {
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
            *line = "";
        }
    }
}

/// Removes `%%{ ... }%%` directives the way Mermaid's `directiveRegex` does.
/// Returns the line of a directive that is never closed (it swallows the rest
/// of the text), or `Err` when the result would be ambiguous.
fn strip_directives(lines: &mut [&str]) -> Result<Option<usize>, ()> {
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
            *line = "";
        }
        if e >= text.len() {
            for line in lines.iter_mut().skip(lp) {
                *line = "";
            }
        }
    }
    Ok(unclosed)
}

/// Mermaid's `cleanupComments`: `^\s*%%(?!{)[^\n]+\n?` lines disappear.
/// A bare `%%` line survives in Mermaid, which we do not model.
fn strip_comments(lines: &mut [&str]) -> Result<(), ()> {
    for line in lines.iter_mut() {
        let t = trim_js_start(line);
        if let Some(rest) = t.strip_prefix("%%") {
            if rest.starts_with('{') || rest.is_empty() {
                return Err(());
            }
            *line = "";
        }
    }
    Ok(())
}
