//! Finding unfilled template text in prose. Shared by `placeholder` (which reports it)
//! and `empty-section` (which does not count it as content).

use std::cell::LazyCell;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::document::{Document, Prose};
use crate::facts::example_digest::is_example;
use crate::facts::fill_in::{self, Around, Delim, Evidence};
use crate::profile::PlaceholderReq;

/// `[Something]` on one line, without nested brackets.
static BRACKETED: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)] // a literal pattern, checked by the tests
    Regex::new(r"\[([^\[\]\n]+)\]").unwrap()
});

/// Tokens every template uses for "fill me in": date formats, `{{name}}`, and
/// `{UPPER_SNAKE_NAME}` (a template variable; one word in braces, or lower case, is
/// too often a route parameter or set notation in hand-written prose).
static TOKENS: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)] // a literal pattern, checked by the tests
    Regex::new(r"\b(?:YYYY-MM-DD|YYYY/MM/DD|DD/MM/YYYY|MM/DD/YYYY)\b|\{\{\s*[A-Za-z_][A-Za-z0-9_.-]*\s*\}\}|\{[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\}").unwrap()
});

/// Byte ranges sorted by start, with the running maximum of their ends, so that
/// whether any of them overlaps a range is one binary search.
struct Masks {
    starts: Vec<usize>,
    max_end: Vec<usize>,
}

impl Masks {
    fn new(ranges: impl Iterator<Item = Range<usize>>) -> Masks {
        let mut ranges: Vec<Range<usize>> = ranges.collect();
        ranges.sort_by_key(|r| r.start);
        let mut max = 0;
        Masks {
            starts: ranges.iter().map(|r| r.start).collect(),
            max_end: ranges
                .iter()
                .map(|r| {
                    max = max.max(r.end);
                    max
                })
                .collect(),
        }
    }

    /// Whether some range starts before `r` ends and ends after `r` starts.
    fn overlaps(&self, r: &Range<usize>) -> bool {
        let n = self.starts.partition_point(|&s| s < r.end);
        n > 0 && self.max_end[n - 1] > r.start
    }
}

/// A candidate and what its text says (see [`crate::facts::fill_in`]).
type Hit = (Range<usize>, Evidence);

/// What [`scan`] needs of the whole document, found once: where a [`TOKENS`] match
/// may start, where `{`, `<` and `&` are, and the labels its definition lines define.
struct WholeDoc {
    token_starts: Vec<usize>,
    delim_starts: Vec<usize>,
    defined: Vec<String>,
    /// Each line holding `]:` (see [`lines_with_colon_bracket`]).
    colon_lines: Vec<(usize, usize, usize)>,
}

impl WholeDoc {
    fn new(text: &str, doc: &Document) -> WholeDoc {
        let colon_lines: Vec<_> = lines_with_colon_bracket(text.as_bytes()).collect();
        WholeDoc {
            token_starts: token_starts(text),
            delim_starts: memchr::memchr3_iter(b'{', b'<', b'&', text.as_bytes()).collect(),
            defined: defined_labels(text, doc, &colon_lines),
            colon_lines,
        }
    }
}

/// Placeholder candidates inside one prose leaf, in source order; `whole`: what the
/// document as a whole holds (see [`WholeDoc`]).
fn scan(
    text: &str,
    prose: &Prose,
    masks: &[Range<usize>],
    req: &PlaceholderReq,
    whole: &WholeDoc,
    out: &mut Vec<Hit>,
) {
    let WholeDoc {
        token_starts,
        delim_starts,
        defined,
        ..
    } = whole;
    let Some(src) = text.get(prose.span.clone()) else {
        return;
    };
    let base = prose.span.start;
    // A leaf may hold many masks and many hits (10,000 `<TBD>`s in one paragraph):
    // overlap is a binary search, not a walk over every mask. Most leaves have no
    // candidate at all, so the masks are sorted only when one needs them.
    let all = LazyCell::new(|| Masks::new(masks.iter().cloned()));
    let masked = |r: &Range<usize>| all.overlaps(r);
    // Hits that may lie in inline HTML (`<describe here>`, arc42's `<Name of building
    // block>`) are masked by every mask but an HTML one.
    let not_html = LazyCell::new(|| {
        Masks::new(
            masks
                .iter()
                .filter(|m| {
                    let t = text.get((*m).clone()).unwrap_or("");
                    !t.starts_with('<') || t.starts_with("<!--")
                })
                .cloned(),
        )
    });
    let masked_but_html = |r: &Range<usize>| not_html.overlaps(r);
    let heading = LazyCell::new(|| prose.in_heading.then(|| alnum_bounds(src)));
    let passages = LazyCell::new(|| Passages::new(src));
    let start_len = out.len();
    // Most prose has no bracket outside a link or code span (whose hits would be
    // masked anyway): skip the pattern for it.
    let open_bracket =
        memchr::memchr_iter(b'[', src.as_bytes()).any(|i| !masked(&(base + i..base + i + 1)));
    for whole in open_bracket
        .then(|| BRACKETED.find_iter(src))
        .into_iter()
        .flatten()
    {
        // The pattern's one group: the text between the brackets.
        let Some(inner) = src.get(whole.start() + 1..whole.end() - 1) else {
            continue;
        };
        // Glued to code: an index or attribute (`foo[0]`, `#[smi]`, `Cow<[u8]>`), a
        // wiki link (`[[spec]]`), a name built round it (`[last|first]_over_time`).
        let before = src[..whole.start()].chars().next_back();
        if before.is_some_and(|c| {
            c.is_alphanumeric()
                || matches!(
                    c,
                    '\\' | ']' | '[' | '!' | '_' | '`' | ')' | '#' | '<' | '&'
                )
        }) {
            continue;
        }
        let after = src[whole.end()..].chars().next();
        if after.is_some_and(|c| c.is_alphanumeric() || matches!(c, '(' | '[' | ']' | '_' | '<')) {
            continue;
        }
        // A part of a path written as a pattern (`decisions/[number]-[title].md`).
        if in_path_pattern(src, whole.range()) {
            continue;
        }
        // A label the document defines (`[cli]: https://…`, even in a block CommonMark
        // did not take for definitions) is a link, used or defined.
        if !defined.is_empty() && defined.binary_search(&inner.trim().to_lowercase()).is_ok() {
            continue;
        }
        // Inside a template expression (`{{code_block('a', ['b'])}}`) or an editor's
        // insertion in a quotation (`"…I push to PyPI, [publicly], I have…"`).
        if passages.inside(src, whole.range()) {
            continue;
        }
        // Longer than a sentence is not a fill-in (the length is checked here rather than
        // in the pattern, whose bounded repeat would be slow to compile).
        let r = base + whole.start()..base + whole.end();
        if inner.len() > 300 || masked(&r) {
            continue;
        }
        let around = around(src, whole.range(), *heading, Delim::Square);
        let evidence = fill_in::classify(inner, around);
        if evidence != Evidence::None {
            out.push((r, evidence));
        }
    }
    // Only a leaf that holds one of the document's `{`, `<` or `&` is searched.
    let d = delim_starts.partition_point(|&p| p < prose.span.start);
    if delim_starts.get(d).is_some_and(|&p| p < prose.span.end) {
        // A table's cell (`| {name} | the service |` documents a variable): never a
        // leaf of names alone.
        let in_cell = text[..base].trim_end_matches([' ', '\t']).ends_with('|');
        curly_and_angle(src, base, &masked, &masked_but_html, *heading, in_cell, out);
    }
    // Only a leaf that one of the document's token starts overlaps is searched.
    let i = token_starts.partition_point(|&p| p + TOKEN_PREFIX_MAX <= prose.span.start);
    let tokens = token_starts.get(i).is_some_and(|&p| p < prose.span.end) && has_token_prefix(src);
    if tokens {
        for m in TOKENS.find_iter(src) {
            let r = base + m.start()..base + m.end();
            // `${NAME}`, `/{ORG_ID}/` and `%{NAME}` are variables and routes, not
            // fill-ins.
            let single_brace = m.as_str().starts_with('{') && !m.as_str().starts_with("{{");
            let before = src[..m.start()].chars().next_back();
            if single_brace
                && before.is_some_and(|c| {
                    c.is_alphanumeric() || matches!(c, '$' | '/' | '%' | '#' | '{')
                })
            {
                continue;
            }
            // `dates are written YYYY-MM-DD`, `in YYYY-MM-DD format`: a format named.
            if m.as_str().starts_with(['Y', 'M', 'D']) && names_a_format(src, m.range()) {
                continue;
            }
            if !masked(&r) {
                out.push((r, Evidence::Strong));
            }
        }
    }
    if !req.tokens.is_empty() || !req.patterns.is_empty() {
        // A profile's own tokens may look like inline HTML (`<describe here>`): an
        // HTML mask does not hide them.
        for token in &req.tokens {
            if token.is_empty() {
                continue;
            }
            let mut from = 0;
            while let Some(i) = src[from..].find(token.as_str()) {
                let r = base + from + i..base + from + i + token.len();
                if !masked_but_html(&r) {
                    out.push((r, Evidence::Strong));
                }
                from += i + token.len();
            }
        }
        for re in &req.patterns {
            for m in re.find_iter(src) {
                let r = base + m.start()..base + m.end();
                if !m.as_str().is_empty() && !masked_but_html(&r) {
                    out.push((r, Evidence::Strong));
                }
            }
        }
    }
    // Overlapping hits (a token inside a bracket) count once.
    if out.len() - start_len < 2 {
        return;
    }
    let new = &mut out[start_len..];
    new.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut kept: Vec<Hit> = Vec::with_capacity(new.len());
    for (r, e) in new.iter() {
        if let Some(k) = kept.last_mut().filter(|k| r.start < k.0.end) {
            k.1 = k.1.max(*e);
            continue;
        }
        kept.push((r.clone(), *e));
    }
    out.truncate(start_len);
    out.extend(kept);
}

/// Where a bracketed text at `at` in a leaf `src` stands. `heading`: for a heading's
/// leaf, the first and last alphanumeric byte in it (see [`alnum_bounds`]), so that
/// whether it has text besides the brackets is two comparisons, not a scan per
/// candidate (a heading line of a million brackets stays linear).
fn around(src: &str, at: Range<usize>, heading: Option<(usize, usize)>, delim: Delim) -> Around {
    let before = src[..at.start].trim_end();
    let word = |w: &str| {
        before.strip_suffix(w).is_some_and(|rest| {
            rest.chars()
                .next_back()
                .is_none_or(|c| c.is_whitespace() || c.is_ascii_punctuation())
        })
    };
    // Before a type; either side of an arrow in a drawing made of text (`[Child 1] ←
    // [Root] → [Child 2]`).
    let after = src[at.end..].trim_start();
    let after_type_arrow = ["->", "=>", "→", "←", "<-", "↔", "↓", "↑", "-->"]
        .iter()
        .any(|a| before.ends_with(a) || after.starts_with(a))
        || word("returns")
        || word("return")
        || word("yields");
    let after_heading_text =
        heading.is_some_and(|(first, last)| first < at.start || last >= at.end);
    Around {
        delim,
        after_heading_text,
        after_type_arrow,
        only_names: false,
    }
}

/// Whether a leaf holds braced names and, outside them, no word in lower case (`{decision}`
/// as a paragraph, `# ADR-{NNN}: {Decision Subject}`): a template's line of names to
/// replace, where no author's text surrounds them.
fn only_braced_names(src: &str) -> bool {
    let mut depth = 0usize;
    let mut braces = false;
    for c in src.chars() {
        match c {
            '{' => {
                depth += 1;
                braces = true;
            }
            '}' => depth = depth.saturating_sub(1),
            c if depth == 0 && c.is_lowercase() => return false,
            _ => {}
        }
    }
    braces
}

/// The first and last alphanumeric byte offsets of `src` (`(len, 0)` when none, which
/// no bracket lies after or before).
fn alnum_bounds(src: &str) -> (usize, usize) {
    let first = src
        .char_indices()
        .find(|(_, c)| c.is_alphanumeric())
        .map_or(src.len(), |(i, _)| i);
    let last = src
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_alphanumeric())
        .map_or(0, |(i, _)| i);
    (first, last)
}

/// Longest text between two delimiters that can be a fill-in.
const MAX_INNER: usize = 300;

/// Where `{short title of solved problem}` (MADR), `\<Name of building block\>`,
/// `&lt;Name&gt;` and `<Name of building block>` stand in `src` (arc42; the last is
/// inline HTML to CommonMark, so an HTML mask does not hide it), `<プロジェクト名>`: on
/// one line, with one to [`MAX_INNER`] bytes between the delimiters (no brace inside
/// braces, no angle bracket inside angle brackets), left to right and not overlapping.
/// Each search forward stops after [`MAX_INNER`] bytes, so a line of openers is
/// linear. A hand-written scanner: the pattern with these four alternatives cost a
/// regex search per leaf for a handful of hits.
fn delimited(src: &str) -> Vec<Range<usize>> {
    let b = src.as_bytes();
    // The first of `stops` at or after `from`, within reach.
    let first = |from: usize, stops: &[u8]| -> Option<usize> {
        let end = b.len().min(from.saturating_add(MAX_INNER + 2));
        b.get(from..end)?
            .iter()
            .position(|c| stops.contains(c))
            .map(|k| from + k)
    };
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = memchr::memchr3(b'{', b'<', b'&', &b[i..]) {
        let at = i + off;
        let hit = match b[at] {
            b'{' => first(at + 1, b"{}\n")
                .filter(|&k| b[k] == b'}' && k > at + 1)
                .map(|k| at..k + 1),
            b'<' => {
                let close = first(at + 1, b"<>\n").filter(|&k| b[k] == b'>');
                let escaped = at > 0 && b[at - 1] == b'\\';
                match close {
                    Some(k) if escaped && b[k - 1] == b'\\' && k - 1 > at + 1 => {
                        Some(at - 1..k + 1)
                    }
                    Some(k) if k > at + 1 => Some(at..k + 1),
                    _ => None,
                }
            }
            _ if b[at..].starts_with(b"&lt;") => {
                let from = at + 4;
                let end = b.len().min(from.saturating_add(MAX_INNER + 5));
                b.get(from..end).and_then(|rest| {
                    let line = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
                    // At least one byte before `&gt;`.
                    let after_one = rest.get(1..line)?;
                    memchr::memmem::find(after_one, b"&gt;").map(|k| at..from + 1 + k + 4)
                })
            }
            _ => None,
        };
        match hit {
            Some(r) => {
                i = r.end;
                out.push(r);
            }
            None => i = at + 1,
        }
    }
    out
}

/// The curly and angle-bracketed candidates of a leaf (see [`delimited`]).
fn curly_and_angle(
    src: &str,
    base: usize,
    masked: &dyn Fn(&Range<usize>) -> bool,
    masked_but_html: &dyn Fn(&Range<usize>) -> bool,
    heading: Option<(usize, usize)>,
    in_cell: bool,
    out: &mut Vec<Hit>,
) {
    let only_names = std::cell::OnceCell::new();
    for whole in delimited(src) {
        // The text between the delimiters: `{…}`, `\<…\>`, `&lt;…&gt;` or `<…>`.
        let w = &src[whole.clone()];
        let (open, close) = match w.as_bytes()[0] {
            b'\\' => (2, 2),
            b'&' => (4, 4),
            _ => (1, 1),
        };
        let Some(inner_text) = w.get(open..w.len() - close) else {
            continue;
        };
        if inner_text.len() > MAX_INNER {
            continue;
        }
        let r = base + whole.start..base + whole.end;
        let prev = src[..whole.start].chars().next_back();
        let next = src[whole.end..].chars().next();
        let (delim, hidden) = match w.as_bytes()[0] {
            // `${NAME}`, `/{id}/`, `{{x}}` (a token of its own), `f{…}`: code and routes.
            b'{' => (
                Delim::Curly,
                prev.is_some_and(|c| {
                    c.is_alphanumeric() || matches!(c, '$' | '/' | '%' | '#' | '{')
                }) || next.is_some_and(|c| c == '}' || c.is_alphanumeric())
                    || masked(&r),
            ),
            // `<Name of building block>`: not markup (an element's name, a closing tag, a
            // comment, an autolink, attributes) and not generics (`Vec<T>`).
            // A comparison (`< 1 MB … > 1 MB`) has a blank after its `<`.
            b'<' => (
                Delim::Angle,
                markup(inner_text)
                    || inner_text.contains([':', '@', '=', '/'])
                    || inner_text.starts_with(char::is_whitespace)
                    || prev.is_some_and(char::is_alphanumeric)
                    || in_path_pattern(src, whole.clone())
                    || masked_but_html(&r),
            ),
            // `&lt;br&gt;`, `\<storageClass\>`: an element or a one-word parameter,
            // escaped; arc42's `\<Name of building block\>` has words.
            _ => (Delim::Angle, markup(inner_text) || masked(&r)),
        };
        if hidden {
            continue;
        }
        let mut around = around(src, whole.clone(), heading, delim);
        around.only_names =
            delim == Delim::Curly && !in_cell && *only_names.get_or_init(|| only_braced_names(src));
        let evidence = fill_in::classify(inner_text, around);
        if evidence != Evidence::None {
            out.push((r, evidence));
        }
    }
}

/// Whether the bracketed text at `at` in `src` is a part of a path written as a
/// pattern: right after a `/` (`queue/<shard>/…`, `decisions/[number]…`) or right before
/// a file extension (`[title].md`).
fn in_path_pattern(src: &str, at: Range<usize>) -> bool {
    let after = &src.as_bytes()[at.end..];
    src[..at.start].ends_with('/')
        || after.first() == Some(&b'.') && after.get(1).is_some_and(u8::is_ascii_alphanumeric)
}

/// Each line holding `]:`, once, as (its start, its end, where its first `]:` is): in
/// one pass, however many a line holds.
fn lines_with_colon_bracket(bytes: &[u8]) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let mut line_end = 0;
    // `]` is rarer than `:` in prose, and one byte is searched faster than two.
    memchr::memchr_iter(b']', bytes)
        .filter(|&i| bytes.get(i + 1) == Some(&b':'))
        .filter_map(move |pos| {
            if pos < line_end {
                return None;
            }
            // The line starts after the last line break between the previous line's end
            // and here: a search that never goes back over a line already seen.
            let start = memchr::memrchr2(b'\n', b'\r', &bytes[line_end..pos])
                .map_or(line_end, |i| line_end + i + 1);
            line_end =
                memchr::memchr2(b'\n', b'\r', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
            Some((start, line_end, pos))
        })
}

/// The labels of the document's link reference definition lines (`[cli]: https://…`,
/// `[FAQ]: {{< relref "faq" >}}`), lowercased: also those CommonMark did not take as
/// definitions, whose lines are left in prose. A definition whose destination is a
/// bracket (`- [Technology 1]: [Purpose]`) is template text, not a link.
fn defined_labels(
    text: &str,
    doc: &Document,
    colon_lines: &[(usize, usize, usize)],
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for &(start, _, pos) in colon_lines {
        let Some(line) = text.get(start..pos) else {
            continue;
        };
        let line = line.trim_start();
        let Some(label) = line.strip_prefix('[') else {
            continue;
        };
        let dest = text[pos + 2..].trim_start_matches([' ', '\t']);
        if label.is_empty()
            || label.contains(['[', ']'])
            || dest.starts_with('[')
            || doc.in_code(start)
        {
            continue;
        }
        out.push(label.trim().to_lowercase());
    }
    out.sort();
    out.dedup();
    out
}

/// Whether the sentence around a date token names it as a format (`format`,
/// `written as`, `formatted`) rather than leaving it to fill in.
fn names_a_format(src: &str, r: Range<usize>) -> bool {
    let mut a = r.start.saturating_sub(40);
    while !src.is_char_boundary(a) {
        a -= 1;
    }
    let mut z = (r.end + 40).min(src.len());
    while !src.is_char_boundary(z) {
        z += 1;
    }
    let near = src[a..z].to_ascii_lowercase();
    ["format", "written as", "in the form"]
        .iter()
        .any(|w| near.contains(w))
}

/// Where a leaf's `{{ … }}` expressions and double quotes are, found once, so that a
/// line of many brackets asks in logarithmic time.
struct Passages {
    /// `{{ … }}`: where each opens and where its `}}` ends, in order.
    braces: Vec<Range<usize>>,
    /// Every `"`, `“` and `”`.
    quotes: Vec<usize>,
}

impl Passages {
    fn new(src: &str) -> Passages {
        let mut braces = Vec::new();
        let mut from = 0;
        while let Some(open) = src[from..].find("{{").map(|i| from + i) {
            let Some(close) = src[open + 2..].find("}}").map(|i| open + 2 + i + 2) else {
                break;
            };
            braces.push(open..close);
            from = close;
        }
        let quotes = src
            .char_indices()
            .filter(|(_, c)| matches!(c, '"' | '“' | '”'))
            .map(|(i, _)| i)
            .collect();
        Passages { braces, quotes }
    }

    /// Whether `r` lies inside a `{{ … }}` expression, or inside a quotation with
    /// words of it close by (an editor's insertion, `"…I push to PyPI, [publicly]…"`, or
    /// the slot of a phrase to type or say, `"Turn on [name of a light]"`; not
    /// `"[Your tagline]"`, a quotation of nothing but the fill-in).
    fn inside(&self, src: &str, r: Range<usize>) -> bool {
        let b = self.braces.partition_point(|x| x.end <= r.start);
        if self.braces.get(b).is_some_and(|x| x.start < r.start) {
            return true;
        }
        let q = self.quotes.partition_point(|&x| x < r.start);
        if q % 2 == 0 {
            return false;
        }
        let open = self.quotes[q - 1];
        let Some(&close) = self.quotes.get(self.quotes.partition_point(|&x| x < r.end)) else {
            return false;
        };
        let words_before = src[open..r.start]
            .chars()
            .rev()
            .take(40)
            .any(char::is_alphabetic);
        let words_after = src[r.end..close].chars().take(40).any(char::is_alphabetic);
        words_before || words_after
    }
}

/// Whether the text inside angle brackets is markup or notation rather than words to
/// replace: an element's name, a closing tag, a comment or declaration, or one word
/// (a generic's parameter, `<T>`), unless in a script without spaces (`<プロジェクト名>`).
fn markup(inner: &str) -> bool {
    let name = inner.split_whitespace().next().unwrap_or("");
    crate::document::HTML_ELEMENTS.contains(&name.to_ascii_lowercase().as_str())
        || matches!(name.chars().next(), Some('/' | '!' | '?'))
        || !(inner.contains(' ')
            || inner
                .chars()
                .any(|c| c.is_alphabetic() && c as u32 >= 0x0530))
}

/// What every [`TOKENS`] match contains: a date token's letters or `{{`.
const TOKEN_PREFIXES: [&str; 4] = ["YYYY", "{{", "MM/", "DD/"];
const TOKEN_PREFIX_MAX: usize = 4;

/// Whether `s` holds one of the [`TOKEN_PREFIXES`], or a `{` before an uppercase
/// letter.
fn has_token_prefix(s: &str) -> bool {
    TOKEN_PREFIXES.iter().any(|p| s.contains(p)) || {
        let b = s.as_bytes();
        memchr::memchr_iter(b'{', b).any(|i| b.get(i + 1).is_some_and(u8::is_ascii_uppercase))
    }
}

/// Whether a token may start at the beginning of `rest`: the reference that
/// [`token_starts`] and [`has_token_prefix`] are tested against.
#[cfg(test)]
fn starts_token(rest: &[u8]) -> bool {
    TOKEN_PREFIXES
        .iter()
        .any(|p| rest.starts_with(p.as_bytes()))
        || (rest.first() == Some(&b'{') && rest.get(1).is_some_and(u8::is_ascii_uppercase))
}

/// Where the [`TOKEN_PREFIXES`] occur in `text`, in order: one pass over the whole
/// document for the bytes they turn on (`Y`, `{`, and the `/` after `MM` or `DD`)
/// instead of four searches in every leaf.
fn token_starts(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    // In order as found: a `/` gives the start two bytes back, where no `Y` or `{`
    // can be (they are `MM` or `DD`).
    memchr::memchr3_iter(b'Y', b'{', b'/', b)
        .filter_map(|i| match b[i] {
            b'Y' => b[i..].starts_with(b"YYYY").then_some(i),
            b'{' => b
                .get(i + 1)
                .is_some_and(|&n| n == b'{' || n.is_ascii_uppercase())
                .then_some(i),
            _ => {
                let before = i.checked_sub(2).map(|s| &b[s..i]);
                matches!(before, Some(b"MM" | b"DD")).then(|| i - 2)
            }
        })
        .collect()
}

/// `- [Technology 1]: [Purpose]` parses as a link reference definition and vanishes
/// from the prose; a definition whose destination is itself bracketed is template text.
static PLACEHOLDER_DEFINITION: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)] // a literal pattern, checked by the tests
    Regex::new(r"^\s{0,3}(?:[-*+]\s+|\d+[.)]\s+)?(\[[^\[\]\n]+\]):[ \t]*(\[[^\[\]\n]+\])").unwrap()
});

/// Every placeholder hit in the document's prose, sorted.
pub fn find_all(text: &str, doc: &Document, req: &PlaceholderReq) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let whole = WholeDoc::new(text, doc);
    for p in &doc.prose {
        scan(text, p, doc.masked(p), req, &whole, &mut out);
    }
    // Only lines holding `]:` can be such a definition: found once, in `whole`.
    for &(start, end, _) in &whole.colon_lines {
        if doc.in_code(start) {
            continue;
        }
        let Some(line) = text.get(start..end) else {
            continue;
        };
        // Prose leaves are disjoint and sorted, so one binary search settles it.
        let i = doc.prose.partition_point(|p| p.span.start <= start);
        let covered = i > 0 && start < doc.prose[i - 1].span.end;
        if covered {
            continue;
        }
        if let Some(c) = PLACEHOLDER_DEFINITION.captures(line) {
            let around = Around {
                delim: Delim::Square,
                after_heading_text: false,
                after_type_arrow: false,
                only_names: false,
            };
            for g in [c.get(1), c.get(2)].into_iter().flatten() {
                let e = fill_in::classify(g.as_str().trim_matches(['[', ']']), around);
                if e != Evidence::None {
                    out.push((start + g.start()..start + g.end(), e));
                }
            }
        }
    }
    // `![Diagram](path/to/diagram.png)`: the template's example path.
    for l in &doc.links {
        let url = l.url.trim_start_matches("./").trim_start_matches('/');
        if url.starts_with("path/to/") {
            out.push((l.span.clone(), Evidence::Strong));
        }
    }
    // `date: YYYY-MM-DD`, `owner: {{team}}` in front matter.
    if let Some(fm) = &doc.front_matter {
        if let Some(src) = text.get(fm.span.clone()) {
            for m in TOKENS.find_iter(src) {
                out.push((
                    fm.span.start + m.start()..fm.span.start + m.end(),
                    Evidence::Strong,
                ));
            }
        }
    }
    if let Some(fm) = &doc.front_matter {
        if let Some(src) = text.get(fm.span.clone()) {
            commented_fill_ins(src, fm.span.start, &mut out);
            bracketed_values(src, fm.span.start, &mut out);
        }
    }
    nested_template(text, doc, req, &mut out);
    named_stand_ins(text, doc, &mut out);
    drop_heading_names(text, doc, &mut out);
    settle(text, out)
}

/// Front-matter values that are one bracketed name, quoted or not (`owner: "<Your
/// Name>"`, `project: {project_name}`), classified as in prose. Square brackets are
/// left alone: in YAML they are a list (`authors: [Jane Doe]`).
fn bracketed_values(src: &str, base: usize, out: &mut Vec<Hit>) {
    let mut at = 0;
    for line in src.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let Some((_, raw)) = line.split_once(':') else {
            continue;
        };
        let value = raw.trim().trim_matches(['"', '\'']);
        let delim = match (value.chars().next(), value.chars().next_back()) {
            (Some('<'), Some('>')) => Delim::Angle,
            (Some('{'), Some('}')) => Delim::Curly,
            _ => continue,
        };
        let inner = &value[1..value.len() - 1];
        // (An address in angle brackets, `<me@example.com>`, is no name.)
        if inner.contains(['<', '>', '{', '}'])
            || delim == Delim::Angle && inner.contains([':', '@', '=', '/'])
        {
            continue;
        }
        let around = Around {
            delim,
            after_heading_text: false,
            after_type_arrow: false,
            only_names: true,
        };
        if fill_in::classify(inner, around) != Evidence::None {
            let from = start + line.len() - raw.len() + raw.find(value).unwrap_or(0);
            out.push((base + from..base + from + value.len(), Evidence::Strong));
        }
    }
}

/// What a template's title says when it names itself (`# Title`, `# NUMBER. TITLE`,
/// `# [000] Title`, `# ADR-XXX: Short title`), compared without case and without the
/// record number or its stand-in in front.
const TITLE_STAND_INS: &[&str] = &[
    "title",
    "short title",
    "document title",
    "decision title",
    "record title",
    "adr title",
    "title of the decision",
    "title of the adr",
    "your title",
    "name",
    "project name",
    "system name",
];

/// Text a template leaves where a value goes by naming the value: a title that names
/// itself ([`TITLE_STAND_INS`]), a field whose value is its own label in capitals
/// (`Date: DATE`), and a line that is its section's heading in capitals (`STATUS`
/// under `## Status`), as adr-tools' template writes them. Strong: a written document
/// has no reason to repeat a name in capitals where its value belongs.
fn named_stand_ins(text: &str, doc: &Document, out: &mut Vec<Hit>) {
    zero_numbers(text, doc, out);
    if let Some(t) = doc.title() {
        let s = &doc.sections[t];
        let line = s.heading_span.start
            ..text[s.heading_span.clone()]
                .find('\n')
                .map_or(s.heading_span.end, |n| s.heading_span.start + n);
        let raw = &text[line.clone()];
        let inner = raw
            .trim_start()
            .trim_start_matches('#')
            .trim()
            .trim_end_matches('#')
            .trim();
        if TITLE_STAND_INS.contains(&without_number(&s.text).to_lowercase().as_str()) {
            if let Some(at) = raw.find(inner).filter(|_| !inner.is_empty()) {
                let hit = line.start + at..line.start + at + inner.len();
                // One finding for the title: `[000]` in it may be one already.
                if !out
                    .iter()
                    .any(|(r, _)| r.start < hit.end && hit.start < r.end)
                {
                    out.push((hit, Evidence::Strong));
                }
            }
        }
    }
    // Written in capitals: letters of a script with case, all of them upper.
    let capitals = |v: &str| {
        v.chars().filter(|c| c.is_alphabetic()).count() >= 3
            && v.chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
    };
    // A stand-in line is short: a label and a word, or a heading's name.
    const LONGEST: usize = 120;
    for p in doc
        .prose
        .iter()
        .filter(|p| !p.in_heading && p.span.len() <= LONGEST)
    {
        let Some(leaf) = text.get(p.span.clone()) else {
            continue;
        };
        // Most leaves are one line with neither a `:` nor two capitals first: nothing
        // to read.
        let b = leaf.trim_ascii_start().as_bytes();
        let capitals_first = b.len() >= 2 && b[0].is_ascii_uppercase() && b[1].is_ascii_uppercase();
        if !capitals_first && memchr::memchr3(b':', b'\n', b'|', b).is_none() {
            continue;
        }
        // The innermost section holding the leaf: the last to start before it.
        let heading = || {
            let k = doc
                .sections
                .partition_point(|s| s.heading_span.start <= p.span.start);
            k.checked_sub(1).map(|k| doc.sections[k].text.as_str())
        };
        let mut at = p.span.start;
        for line in leaf.split_inclusive('\n') {
            let start = at;
            at += line.len();
            let body = line.trim();
            if body.is_empty() {
                continue;
            }
            let lead = line.len() - line.trim_start().len();
            // Cheap tests first (lengths, a first letter): every line of prose passes
            // here.
            let names_label = |label: &str, value: &str| {
                let (label, value) = (label.trim(), value.trim());
                label.len() == value.len()
                    && value.starts_with(|c: char| c.is_ascii_uppercase())
                    && label.eq_ignore_ascii_case(value)
                    && capitals(value)
            };
            let is_status = |label: &str| {
                label
                    .trim_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_'))
                    .eq_ignore_ascii_case("status")
            };
            let value = match body.split_once(':') {
                Some((label, value))
                    if names_label(label, value)
                        || is_date_format(value.trim())
                        || is_status(label) && is_status_menu(value) =>
                {
                    let value = value.trim_start_matches(['*', '_']);
                    let v = value.trim();
                    let off = lead + body.len() - value.trim_start().len();
                    Some((start + off, v.len()))
                }
                _ if body.contains('|')
                    && heading().is_some_and(is_status)
                    && is_status_menu(body) =>
                {
                    Some((start + lead, body.len()))
                }
                // (A heading in capitals already, `## API` over `API`, is no name
                // turned into a stand-in.)
                _ if body.as_bytes()[..2.min(body.len())]
                    .iter()
                    .all(u8::is_ascii_uppercase)
                    && heading().is_some_and(|h| {
                        h.len() == body.len() && body != h && body.eq_ignore_ascii_case(h)
                    })
                    && capitals(body) =>
                {
                    Some((start + lead, body.len()))
                }
                _ => None,
            };
            // Not inside a code span or a link of the leaf.
            let masks = doc.masked(p);
            if let Some(r) = value
                .map(|(from, len)| from..from + len)
                .filter(|r| !masks.iter().any(|m| m.start < r.end && r.start < m.end))
            {
                out.push((r, Evidence::Strong));
            }
        }
    }
}

/// A status offered as a menu (`Proposed | Accepted | Deprecated`): the template's
/// choice, not yet made. A menu with its choice in bold has been filled in.
fn is_status_menu(value: &str) -> bool {
    let parts: Vec<&str> = value
        .trim()
        .trim_start_matches(['*', '_'])
        .split('|')
        .map(str::trim)
        .collect();
    parts.len() >= 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 40
                && !p.contains(['*', '_', '`'])
                && crate::facts::collection::is_record_status(p)
        })
}

/// `[000]`: a record's number not yet given (`# [000] Title`, `Superseded by [000]`),
/// unless the document numbers things that way (`[000]`, `[001]`, … as steps).
fn zero_numbers(text: &str, doc: &Document, out: &mut Vec<Hit>) {
    if memchr::memmem::find(text.as_bytes(), b"[00").is_none() {
        return;
    }
    let mut zeros = Vec::new();
    for p in &doc.prose {
        let Some(leaf) = text.get(p.span.clone()) else {
            continue;
        };
        for (i, _) in leaf.match_indices('[') {
            let rest = &leaf[i + 1..];
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits < 2 || rest.as_bytes().get(digits) != Some(&b']') {
                continue;
            }
            if rest.as_bytes()[..digits].iter().any(|&b| b != b'0') {
                return;
            }
            let from = p.span.start + i;
            let r = from..from + digits + 2;
            // Not inside a code span or a link of the leaf.
            if !doc
                .masked(p)
                .iter()
                .any(|m| m.start < r.end && r.start < m.end)
            {
                zeros.push((r, Evidence::Strong));
            }
        }
    }
    out.extend(zeros);
}

/// Whether `value` is a date's format written where the date goes (`XXXX-XX-XX`,
/// `dd/mm/yyyy`, `DD.MM.YYYY`): three groups of the letters Y, M, D or X, in either
/// case, joined by `-`, `/` or `.`.
fn is_date_format(value: &str) -> bool {
    let date_letter = |b: u8| matches!(b.to_ascii_uppercase(), b'Y' | b'M' | b'D' | b'X');
    if !(6..=14).contains(&value.len()) || !value.bytes().next().is_some_and(date_letter) {
        return false;
    }
    let mut groups = 0;
    let mut four = false;
    for g in value.split(['-', '/', '.']) {
        groups += 1;
        four |= g.len() == 4;
        if !(1..=4).contains(&g.len()) || !g.bytes().all(date_letter) {
            return false;
        }
    }
    groups == 3 && four
}

/// A title without the record number or its stand-in in front: `1.`, `ADR-0012:`,
/// `[000]`, `NUMBER.`, `XXX -`.
fn without_number(title: &str) -> &str {
    let mut t = title.trim();
    loop {
        let before = t;
        let word_end = t.find(char::is_whitespace).unwrap_or(t.len());
        let word = t[..word_end].trim_end_matches(['.', ':', ')', '-', '–', '—']);
        let word = word
            .trim_start_matches(['[', '(', '#'])
            .trim_end_matches([']', ')']);
        let bare = word
            .strip_prefix("ADR")
            .or_else(|| word.strip_prefix("adr"))
            .map_or(word, |w| w.trim_start_matches(['-', '_', ' ']));
        let numbered = !bare.is_empty()
            && (bare.bytes().all(|b| b.is_ascii_digit())
                || bare.bytes().all(|b| matches!(b, b'X' | b'x' | b'N' | b'#'))
                || bare.eq_ignore_ascii_case("number"));
        if numbered
            || word.eq_ignore_ascii_case("adr")
            || matches!(word, "-" | "–" | "—" | ":" | "")
        {
            t = t[word_end..].trim_start();
        }
        if t == before || t.is_empty() {
            return if t.is_empty() { before } else { t };
        }
    }
}

/// What a template's comment says to a value it wants replaced: `adr: 0 # replace
/// this number`, `status: Draft # pick one of these`, `- menduz # this is your github
/// username`.
const REPLACE_ME: &[&str] = &[
    "replace",
    "pick one",
    "pick from",
    "choose",
    "fill in",
    "fill this",
    "change this",
    "change me",
    "enter ",
    "insert ",
    "put your",
    "set this",
    "specify",
    "this is your",
    "your ",
];

/// Front-matter values whose own YAML comment asks for them to be replaced: a
/// template's fill-ins, written as example values (`adr: 0 # replace this number`).
/// Strong: a written value has no reason to carry such a comment.
fn commented_fill_ins(src: &str, base: usize, out: &mut Vec<(Range<usize>, Evidence)>) {
    let mut at = 0;
    for line in src.split_inclusive('\n') {
        let start = at;
        at += line.len();
        // A YAML comment starts at a `#` after a blank; a value is after `key:` or
        // a list item's `- `.
        let Some(hash) = line.find(" #") else {
            continue;
        };
        let comment = line[hash + 2..].trim().to_lowercase();
        if !REPLACE_ME.iter().any(|m| comment.starts_with(m)) {
            continue;
        }
        let head = &line[..hash];
        let value_from = match head.split_once(": ") {
            Some((key, _)) if !key.trim_start().starts_with('-') => key.len() + 2,
            _ => match head.trim_start().strip_prefix("- ") {
                Some(_) => head.len() - head.trim_start().len() + 2,
                None => continue,
            },
        };
        let value = &head[value_from.min(head.len())..];
        let lead = value.len() - value.trim_start().len();
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let from = base + start + value_from + lead;
        out.push((from..from + value.len(), Evidence::Strong));
    }
}

/// Drops `[Reconnect process]` where the document has a heading of exactly that text
/// (same case): a cross-reference written as a shortcut link that was never defined
/// (GitHub does not link a heading by its name), not a template's fill-in. A template's
/// `[metrics]` under its `### Metrics` differs in case and stays a fill-in; headings
/// with brackets of their own (`### [Component Name]`) excuse nothing.
fn drop_heading_names(text: &str, doc: &Document, out: &mut Vec<(Range<usize>, Evidence)>) {
    let squares = |r: &Range<usize>| {
        text.get(r.clone())
            .and_then(|t| t.strip_prefix('['))
            .and_then(|t| t.strip_suffix(']'))
    };
    if !out.iter().any(|(r, _)| squares(r).is_some()) {
        return;
    }
    let fold = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let names: std::collections::HashSet<String> = doc
        .sections
        .iter()
        .filter(|s| !s.text.contains(['[', ']']))
        .map(|s| fold(&s.text))
        .collect();
    out.retain(|(r, _)| squares(r).is_none_or(|inner| !names.contains(&fold(inner))));
}

/// The candidates a document reports: every strong one, and the weak ones (one or two
/// plain words in brackets) only beside a strong one or [`WEAK_ENOUGH`] distinct weak
/// ones: `returns [Node]` in a hand-written document is notation, `[Stack]` in a
/// template among `[Framework]` and `[Database]` is a fill-in.
fn settle(text: &str, mut hits: Vec<Hit>) -> Vec<Range<usize>> {
    const WEAK_ENOUGH: usize = 3;
    let strong = hits.iter().any(|(_, e)| *e == Evidence::Strong);
    let weak_too = strong || {
        let mut distinct = HashSet::new();
        hits.iter()
            .filter(|(_, e)| *e == Evidence::Weak)
            .any(|(r, _)| {
                distinct.insert(text.get(r.clone()).unwrap_or(""));
                distinct.len() >= WEAK_ENOUGH
            })
    };
    hits.retain(|(_, e)| *e == Evidence::Strong || weak_too);
    let mut out: Vec<Range<usize>> = hits.into_iter().map(|(r, _)| r).collect();
    out.sort_by_key(|r| r.start);
    out.dedup();
    out
}

/// A ```markdown fence that is never closed swallows the rest of the document: that is
/// a pasted template whose fence was left open, so its body is read as the prose it is.
/// Closed markdown fences are examples and stay code.
fn nested_template(text: &str, doc: &Document, req: &PlaceholderReq, out: &mut Vec<Hit>) {
    for (cb, _) in &doc.code_blocks {
        if cb.closed || !matches!(cb.lang.as_str(), "markdown" | "md") {
            continue;
        }
        // Offsets map back only when the body is the source verbatim (no indentation).
        if text.get(cb.body_span.clone()).map(|s| s.trim_end()) != Some(cb.literal.trim_end()) {
            continue;
        }
        let inner_file = crate::document::source::SourceFile::new("", cb.literal.clone());
        let inner = Document::parse(&inner_file);
        let base = cb.body_span.start;
        let inner_whole = WholeDoc::new(inner_file.text(), &inner);
        for p in &inner.prose {
            let mut hits = Vec::new();
            scan(
                inner_file.text(),
                p,
                inner.masked(p),
                req,
                &inner_whole,
                &mut hits,
            );
            out.extend(
                hits.into_iter()
                    .map(|(r, e)| (base + r.start..base + r.end, e)),
            );
        }
        for l in &inner.links {
            let url = l.url.trim_start_matches("./").trim_start_matches('/');
            if url.starts_with("path/to/") {
                out.push((base + l.span.start..base + l.span.end, Evidence::Strong));
            }
        }
    }
}

/// Code blocks that are a template's example left verbatim: (block span).
pub fn example_blocks(doc: &Document, req: &PlaceholderReq) -> Vec<Range<usize>> {
    if req.example_digests.is_empty() {
        return Vec::new();
    }
    doc.code_blocks
        .iter()
        .filter(|(cb, _)| is_example(&cb.literal, &req.example_digests))
        .map(|(_, span)| span.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::Masks;

    proptest::proptest! {
        /// `delimited` finds what the pattern it replaced finds (on lines short
        /// enough that its length bound does not matter).
        #[test]
        fn delimited_agrees_with_the_pattern(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "{", "}", "<", ">", "\\", "&lt;", "&gt;", "&", "\n", "a", " ", "é",
                ]),
                0..60,
            )
        ) {
            let text: String = parts.concat();
            #[allow(clippy::unwrap_used)] // a literal pattern
            let re = regex::Regex::new(
                r"\{[^{}\n]+\}|\\<[^<>\n]+?\\>|&lt;[^\n]+?&gt;|<[^<>\n]+>",
            )
            .unwrap();
            let want: Vec<std::ops::Range<usize>> = re.find_iter(&text).map(|m| m.range()).collect();
            proptest::prop_assert_eq!(super::delimited(&text), want, "{:?}", text);
        }
    }

    #[test]
    fn masks_overlap_like_a_walk() {
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n) as usize
        };
        for _ in 0..2_000 {
            let ranges: Vec<std::ops::Range<usize>> = (0..next(6))
                .map(|_| {
                    let s = next(40);
                    s..s + next(12)
                })
                .collect();
            let masks = Masks::new(ranges.iter().cloned());
            for _ in 0..10 {
                let s = next(50);
                let r = s..s + next(8);
                let walk = ranges.iter().any(|m| m.start < r.end && r.start < m.end);
                assert_eq!(masks.overlaps(&r), walk, "{r:?} against {ranges:?}");
            }
        }
    }

    use super::*;
    use crate::document::source::SourceFile;
    use crate::facts::example_digest::digest;

    fn hits(md: &str) -> Vec<String> {
        let f = SourceFile::new("t.md", md);
        let d = Document::parse(&f);
        find_all(f.text(), &d, &PlaceholderReq::default())
            .into_iter()
            .map(|r| f.text()[r].to_string())
            .collect()
    }

    #[test]
    fn template_brackets_are_placeholders() {
        assert_eq!(
            hits("# [Project Name]\n\n- **Purpose**: [What does it do?]\n\nDate: YYYY-MM-DD\n"),
            ["[Project Name]", "[What does it do?]", "YYYY-MM-DD"]
        );
        assert_eq!(
            hits("| a | [e.g., Redis] |\n|---|---|\n| b | c |\n"),
            ["[e.g., Redis]"]
        );
    }

    #[test]
    fn links_code_footnotes_tasks_and_citations_are_not() {
        let md = "See [the docs](x.md), [ref][r], [short], `a[i]`, a[i], [^1], [1], [0, 1].\n\n\
                  - [ ] todo\n- [x] done\n\n> [!NOTE]\n> hi\n\n[r]: y.md\n[short]: z.md\n[^1]: note\n";
        assert_eq!(hits(md), Vec::<String>::new());
    }

    /// The digest by its definition, from the words joined by single spaces.
    fn digest_by_words(text: &str) -> u64 {
        use xxhash_rust::xxh3::xxh3_64;
        let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let prefix = &folded.as_bytes()[..folded.len().min(64)];
        (xxh3_64(prefix) & 0xffff_0000_0000_0000) | (xxh3_64(folded.as_bytes()) & 0xffff_ffff_ffff)
    }

    proptest::proptest! {
        #[test]
        fn digest_is_the_digest_of_the_words(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    " ", "\t", "\n", "\r\n", "\u{0b}", "\u{0c}", "\u{85}", "\u{a0}", "\u{1680}",
                    "\u{2003}", "\u{2028}", "\u{202f}", "\u{205f}", "\u{3000}", "\u{1c}", "graph",
                    "TD", "A --> B", "é", "©", "日本", "├── ", "│", "\u{2060}", "\u{180e}", "🎯", "",
                ]),
                0..48,
            )
        ) {
            let text: String = parts.concat();
            proptest::prop_assert_eq!(digest(&text), digest_by_words(&text), "{:?}", text);
        }
    }

    proptest::proptest! {
        /// `is_example` answers as comparing whole digests would, for texts that share
        /// their first 64 folded bytes or more and differ after.
        #[test]
        fn is_example_is_digest_membership(
            head in proptest::collection::vec(
                proptest::sample::select(vec![" ", "\n  ", "\u{3000}", "graph TD", "A --> B", "├── x", "é"]),
                0..40,
            ),
            tails in proptest::collection::vec(
                proptest::sample::select(vec!["", " ", "\n", "C", "D --> E", "│", "\u{a0}"]),
                2..4,
            ),
        ) {
            let texts: Vec<String> = tails.iter().map(|t| format!("{}{t}", head.concat())).collect();
            let listed: HashSet<u64> = texts[1..].iter().map(|t| digest(t)).collect();
            proptest::prop_assert_eq!(
                super::is_example(&texts[0], &listed),
                listed.contains(&digest(&texts[0])),
                "{:?}", texts
            );
            proptest::prop_assert!(super::is_example(&texts[0], &HashSet::from([digest(&texts[0])])));
        }
    }

    proptest::proptest! {
        #[test]
        fn token_starts_are_where_the_prefixes_occur(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "Y", "YY", "YYYY", "{", "{{", "M", "MM", "D", "DD", "/", "-", " ", "é", "A", "a",
                ]),
                0..16,
            )
        ) {
            let text: String = parts.concat();
            let every: Vec<usize> = (0..text.len())
                .filter(|&i| super::starts_token(&text.as_bytes()[i..]))
                .collect();
            proptest::prop_assert_eq!(super::token_starts(&text), every.clone(), "{:?}", text);
            proptest::prop_assert_eq!(super::has_token_prefix(&text), !every.is_empty(), "{:?}", text);
        }
    }

    #[test]
    fn is_example_at_the_prefix_boundary() {
        for k in 60..70 {
            for tail in ["", " ", "  \n", " y", "\u{3000}\u{3000}", "\n\tz "] {
                let text = format!("{}{tail}", "x".repeat(k));
                assert!(
                    super::is_example(&text, &HashSet::from([digest(&text)])),
                    "{text:?}"
                );
                let other = format!("{text}!");
                assert!(
                    !super::is_example(&text, &HashSet::from([digest(&other)])),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn digest_ignores_whitespace() {
        assert_eq!(digest("graph TD\n  A --> B\n"), digest("graph TD A --> B"));
        assert_ne!(digest("graph TD A --> B"), digest("graph TD A --> C"));
    }
}
