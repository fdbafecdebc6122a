//! The lexer Mermaid's Langium grammars share (gitGraph, pie, packet, radar, ...).
//!
//! Langium hands Chevrotain one token list per grammar: whitespace first, then the
//! grammar's keywords longest first, then its terminals in grammar order; at each
//! position the first token that matches wins. A keyword that is also a prefix of a
//! longer identifier gives way to it (`commitx` is an identifier, not `commit`), and
//! the diagram keyword itself must be followed by whitespace, `%%` or the end. A
//! character no token matches is a lexer error, and Mermaid rejects the diagram.

use super::keywords::shorten;
use super::prep::Prepared;
use super::MermaidError;

/// The terminals of `common.langium` and the few grammars add.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Terminal {
    AccDescr,
    AccTitle,
    Title,
    /// `0|[1-9][0-9]*(?!\.)`
    Int,
    /// FLOAT | INT
    Number,
    /// `"([^"\\]|\\.)*"|'([^'\\]|\\.)*'`, line breaks included.
    Str,
    /// `[\w]([-\w]*\w)?`
    Id,
    /// gitGraph's branch names: `\w([-\./\w]*[-\w])?`
    Reference,
    Newline,
    /// `true` | `false`
    Boolean,
    /// pie's `-?[0-9]+\.[0-9]+(?!\.)` | `-?(0|[1-9][0-9]*)(?!\.)`
    NumberPie,
    /// radar's `circle` | `polygon`
    Graticule,
    /// `[ \t]+` where a grammar gives spaces meaning (treemap's indentation).
    Indentation,
    /// treemap's `treemap-beta` | `treemap`
    TreemapKeyword,
    /// treemap's `classDef\s+([a-zA-Z_][a-zA-Z0-9_]+)(?:\s+([^;\r\n]*))?(?:;)?`
    ClassDef,
    /// treemap's `:::`
    StyleSeparator,
    /// treemap's `:`
    Separator,
    /// treemap's `,`
    Comma,
    /// treemap's `[a-zA-Z_][a-zA-Z0-9_]*`, and eventmodeling's EM_ID (`[_a-zA-Z][\w_]*`)
    Id2,
    /// treemap's `[0-9_\.\,]+`
    Number2,
    /// treemap's `"[^"]*"|'[^']*'`
    Str2,
    /// treeView's `[ \t]+:::[ \t]*[A-Za-z_][\w-]*`
    ClassAnnotation,
    /// treeView's `[ \t]+icon\([\w-]*(?::[\w-]+)?\)`
    IconAnnotation,
    /// treeView's `[ \t]+##[^\n\r]*`
    DescAnnotation,
    /// treeView's node name without quotes: anything up to the line's end or an annotation.
    BareName,
    /// architecture's `L` | `R` | `T` | `B`
    ArrowDirection,
    /// architecture's `\{group\}`
    ArrowGroup,
    /// architecture's `<|>`
    ArrowInto,
    /// architecture's `\([\w-:]+\)`
    ArchIcon,
    /// architecture's `\[(?:"([^"\\]|\\.)*"|'([^'\\]|\\.)*'|[^\[\]\r\n]+)\]`
    ArchTitle,
    /// eventmodeling's `\d{1,3}`
    EmFrameId,
    /// eventmodeling's `\{(.*)\}|"(.*)"|'(.*)'` (one line, to the last closer on it)
    EmDataInline,
    /// eventmodeling's `\{[\t ]*\r?\n(?:[\S\s]*?\r?\n)?\}(?:\r?\n|(?!\S))`
    EmDataBlock,
    /// `/* … */`
    BlockComment,
    /// `// …` to the end of the line
    LineComment,
    /// `\s+`, line breaks included, where a grammar hides them all.
    Blank,
    /// A terminal that is one fixed text (wardley's `'size'`, `'->'`, ...).
    Literal(&'static str),
    /// wardley's `[0-9]+\.[0-9]+`
    WardleyNumber,
    /// wardley's `'+<>' | '+>' | '+<'`
    LinkPort,
    /// wardley's `'-->' | '-.->' | '>' | /\+'[^']*'(<>|<|>)/`
    LinkArrow,
    /// wardley's `;[^\n\r]+`
    LinkLabel,
    /// wardley's `'build' | 'buy' | 'outsource' | 'market'`
    Strategy,
    /// wardley's `(?!title\s|accTitle|accDescr)[A-Za-z](?:[A-Za-z0-9_()&]|-(?!>))*(?:[ \t]+[A-Za-z(](?:[A-Za-z0-9_()&]|-(?!>))*)*`
    NameWithSpaces,
}

/// One grammar's tokens.
pub(super) struct Spec {
    /// Keywords, longest first (ties in any order: none is a prefix of another).
    pub keywords: &'static [&'static str],
    /// Keywords that must be followed by whitespace, `%%` or the end (the diagram's own).
    pub header_keywords: &'static [&'static str],
    /// Terminals in the order the grammar reaches them. When `Indentation` is one of
    /// them, spaces are tokens in that order; otherwise they are skipped first.
    pub terminals: &'static [Terminal],
    /// Terminals that are matched but hidden from the parser (treemap's line breaks).
    pub hidden: &'static [Terminal],
    /// Keywords that are only the start of a terminal's matches (wardley's `-` of
    /// `->`), with those terminals: Chevrotain's `LONGER_ALT`, the first that
    /// matches more wins.
    pub longer_alts: &'static [(&'static str, &'static [Terminal])],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Keyword(&'static str),
    Terminal(Terminal),
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn is(&self, keyword: &str) -> bool {
        matches!(self.kind, Kind::Keyword(k) if k == keyword)
    }

    pub fn is_terminal(&self, terminal: Terminal) -> bool {
        self.kind == Kind::Terminal(terminal)
    }
}

/// The text of a lexed diagram, its tokens and where each line starts.
pub(super) struct Lexed<'t> {
    pub text: &'t str,
    pub tokens: Vec<Token>,
    line_starts: Vec<usize>,
    /// Added to a line index computed from `text` to get the body's line index.
    first_line: usize,
}

impl Lexed<'_> {
    /// 0-based body line of byte `at`.
    pub fn line_of(&self, at: usize) -> usize {
        self.first_line + self.line_starts.partition_point(|&s| s <= at) - 1
    }
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Length of a match of `terminal` at the start of `s`, if any.
fn terminal_len(terminal: Terminal, s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let hspace = |from: usize| {
        let mut k = from;
        while k < b.len() && matches!(b[k], b' ' | b'\t') {
            k += 1;
        }
        k
    };
    let line_end = |from: usize| {
        let mut k = from;
        while k < b.len() && !matches!(b[k], b'\n' | b'\r') {
            k += 1;
        }
        k
    };
    // `[^\n\r]*?(?=%%)|[^\n\r]*`: up to the first `%%` on the line, else to its end.
    let to_comment_or_end = |from: usize| {
        let end = line_end(from);
        s[from..end].find("%%").map_or(end, |k| from + k)
    };
    match terminal {
        // The `{ … }` form needs the next `}`, which `lex` looks up in a table.
        Terminal::AccDescr => acc_descr_len(s, |from| s[from..].find('}').map(|k| from + k)),
        Terminal::AccTitle => {
            let k = hspace(0);
            if !s[k..].starts_with("accTitle") {
                return None;
            }
            let colon = hspace(k + "accTitle".len());
            (b.get(colon) == Some(&b':')).then(|| to_comment_or_end(colon + 1))
        }
        Terminal::Title => {
            let k = hspace(0);
            if !s[k..].starts_with("title") {
                return None;
            }
            let after = k + "title".len();
            match b.get(after) {
                Some(b' ' | b'\t') => Some(to_comment_or_end(after + 1)),
                _ => Some(after),
            }
        }
        Terminal::Int => match b.first()? {
            b'0' => Some(1),
            _ => digits_not_before_dot(b),
        },
        Terminal::Number => float_len(b).or_else(|| terminal_len(Terminal::Int, s)),
        Terminal::NumberPie => {
            let sign = usize::from(b.first() == Some(&b'-'));
            let rest = &b[sign..];
            let n = float_len(rest).or_else(|| match rest.first()? {
                b'0' => (rest.get(1) != Some(&b'.')).then_some(1),
                _ => digits_not_before_dot(rest),
            })?;
            Some(sign + n)
        }
        Terminal::Boolean => ["true", "false"]
            .iter()
            .find(|w| s.starts_with(*w))
            .map(|w| w.len()),
        Terminal::Graticule => ["circle", "polygon"]
            .iter()
            .find(|w| s.starts_with(*w))
            .map(|w| w.len()),
        Terminal::Indentation => Some(hspace(0)).filter(|&n| n > 0),
        Terminal::TreemapKeyword => ["treemap-beta", "treemap"]
            .iter()
            .find(|w| s.starts_with(*w))
            .map(|w| w.len()),
        Terminal::ClassDef => {
            let mut k = "classDef".len();
            if !s.starts_with("classDef") {
                return None;
            }
            let ws = b[k..]
                .iter()
                .take_while(|c| c.is_ascii_whitespace())
                .count();
            if ws == 0 {
                return None;
            }
            k += ws;
            let name = b[k..]
                .iter()
                .enumerate()
                .take_while(|&(i, &c)| {
                    c == b'_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit())
                })
                .count();
            if name < 2 {
                return None;
            }
            k += name;
            let ws = b[k..]
                .iter()
                .take_while(|c| c.is_ascii_whitespace())
                .count();
            if ws > 0 {
                k += ws;
                k += b[k..]
                    .iter()
                    .take_while(|c| !matches!(c, b';' | b'\r' | b'\n'))
                    .count();
            }
            if b.get(k) == Some(&b';') {
                k += 1;
            }
            Some(k)
        }
        Terminal::ClassAnnotation => class_annotation_len(b),
        Terminal::IconAnnotation => {
            let k = hspace(0);
            if k == 0 || !s[k..].starts_with("icon(") {
                return None;
            }
            let mut j = k + 5;
            let name = |from: usize| {
                b[from..]
                    .iter()
                    .take_while(|&&c| is_word(c) || c == b'-')
                    .count()
            };
            j += name(j);
            if b.get(j) == Some(&b':') && name(j + 1) > 0 {
                j += 1 + name(j + 1);
            }
            (b.get(j) == Some(&b')')).then_some(j + 1)
        }
        Terminal::DescAnnotation => {
            let k = hspace(0);
            (k > 0 && s[k..].starts_with("##")).then(|| line_end(k))
        }
        Terminal::BareName => {
            if s.starts_with(":::") || s.starts_with("icon(") || s.starts_with("##") {
                return None;
            }
            if !b
                .first()
                .is_some_and(|c| !matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'\''))
            {
                return None;
            }
            let mut k = s.chars().next().map_or(1, char::len_utf8);
            while k < b.len() && !matches!(b[k], b'\n' | b'\r') {
                if matches!(b[k], b' ' | b'\t') {
                    let after = &s[k..];
                    let ws = hspace(k) - k;
                    let rest = &after[ws..];
                    if class_annotation_len(after.as_bytes()).is_some()
                        || rest.starts_with("icon(")
                        || rest.starts_with("##")
                    {
                        break;
                    }
                }
                k += s[k..].chars().next().map_or(1, char::len_utf8);
            }
            Some(k)
        }
        Terminal::ArrowDirection => {
            matches!(b.first(), Some(b'L' | b'R' | b'T' | b'B')).then_some(1)
        }
        Terminal::ArrowGroup => s.starts_with("{group}").then_some(7),
        Terminal::ArrowInto => matches!(b.first(), Some(b'<' | b'>')).then_some(1),
        Terminal::ArchIcon => {
            if b.first() != Some(&b'(') {
                return None;
            }
            let n = b[1..]
                .iter()
                .take_while(|&&c| is_word(c) || c == b'-' || c == b':')
                .count();
            (n > 0 && b.get(n + 1) == Some(&b')')).then_some(n + 2)
        }
        Terminal::ArchTitle => {
            if b.first() != Some(&b'[') {
                return None;
            }
            let quoted =
                terminal_len(Terminal::Str, &s[1..]).filter(|&q| b.get(1 + q) == Some(&b']'));
            if let Some(q) = quoted {
                return Some(q + 2);
            }
            let n = b[1..]
                .iter()
                .take_while(|c| !matches!(c, b'[' | b']' | b'\r' | b'\n'))
                .count();
            (n > 0 && b.get(n + 1) == Some(&b']')).then_some(n + 2)
        }
        Terminal::EmFrameId => {
            Some(b.iter().take(3).take_while(|c| c.is_ascii_digit()).count()).filter(|&n| n > 0)
        }
        Terminal::EmDataInline => {
            let close = match b.first()? {
                b'{' => '}',
                q @ (b'"' | b'\'') => *q as char,
                _ => return None,
            };
            let line = &s[..line_end(0)];
            line[1..].rfind(close).map(|k| k + 2)
        }
        Terminal::EmDataBlock => {
            if b.first() != Some(&b'{') {
                return None;
            }
            let mut k = hspace(1);
            k += usize::from(b.get(k) == Some(&b'\r'));
            if b.get(k) != Some(&b'\n') {
                return None;
            }
            // The first `}` that starts a line and is followed by a line break, a
            // blank or the end.
            let mut from = k;
            loop {
                let brace = from + s[from..].find("\n}")? + 1;
                match b.get(brace + 1) {
                    None => return Some(brace + 1),
                    Some(b'\r') if b.get(brace + 2) == Some(&b'\n') => return Some(brace + 3),
                    Some(b'\n') => return Some(brace + 2),
                    Some(c) if c.is_ascii_whitespace() => return Some(brace + 1),
                    Some(_) => from = brace,
                }
            }
        }
        Terminal::BlockComment => {
            if !s.starts_with("/*") {
                return None;
            }
            s[2..].find("*/").map(|k| k + 4)
        }
        Terminal::LineComment => s.starts_with("//").then(|| line_end(0)),
        Terminal::Blank => {
            Some(b.iter().take_while(|c| c.is_ascii_whitespace()).count()).filter(|&n| n > 0)
        }
        Terminal::Literal(text) => s.starts_with(text).then_some(text.len()),
        Terminal::WardleyNumber => {
            let int = b.iter().take_while(|c| c.is_ascii_digit()).count();
            if int == 0 || b.get(int) != Some(&b'.') {
                return None;
            }
            let frac = b[int + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            (frac > 0).then_some(int + 1 + frac)
        }
        Terminal::LinkPort => ["+<>", "+>", "+<"]
            .iter()
            .find(|p| s.starts_with(*p))
            .map(|p| p.len()),
        Terminal::LinkArrow => {
            if let Some(a) = ["-->", "-.->", ">"].iter().find(|a| s.starts_with(*a)) {
                return Some(a.len());
            }
            let rest = s.strip_prefix("+'")?;
            let close = rest.find('\'')?;
            let after = &rest[close + 1..];
            let n = if after.starts_with("<>") {
                2
            } else if after.starts_with(['<', '>']) {
                1
            } else {
                return None;
            };
            Some(2 + close + 1 + n)
        }
        Terminal::LinkLabel => (b.first() == Some(&b';') && line_end(1) > 1).then(|| line_end(1)),
        Terminal::Strategy => ["build", "buy", "outsource", "market"]
            .iter()
            .find(|w| s.starts_with(*w))
            .map(|w| w.len()),
        Terminal::NameWithSpaces => name_with_spaces(s),
        Terminal::StyleSeparator => s.starts_with(":::").then_some(3),
        Terminal::Separator => s.starts_with(':').then_some(1),
        Terminal::Comma => s.starts_with(',').then_some(1),
        Terminal::Id2 => {
            if !b
                .first()
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
            {
                return None;
            }
            Some(
                b.iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                    .count(),
            )
        }
        Terminal::Number2 => Some(
            b.iter()
                .take_while(|c| c.is_ascii_digit() || matches!(c, b'_' | b'.' | b','))
                .count(),
        )
        .filter(|&n| n > 0),
        Terminal::Str2 => {
            let q = *b.first()?;
            if q != b'"' && q != b'\'' {
                return None;
            }
            s[1..].find(q as char).map(|k| k + 2)
        }
        Terminal::Str => {
            let q = *b.first()?;
            if q != b'"' && q != b'\'' {
                return None;
            }
            let mut k = 1;
            while k < b.len() {
                match b[k] {
                    b'\\' => k += 2,
                    c if c == q => return Some(k + 1),
                    _ => k += 1,
                }
            }
            None
        }
        Terminal::Id => word_run(b, |c| is_word(c) || c == b'-', is_word),
        Terminal::Reference => word_run(
            b,
            |c| is_word(c) || matches!(c, b'-' | b'.' | b'/'),
            |c| is_word(c) || c == b'-',
        ),
        Terminal::Newline => match b {
            [b'\n', ..] => Some(1),
            [b'\r', b'\n', ..] => Some(2),
            _ => None,
        },
    }
}

/// wardley's NAME_WITH_SPACES: words of letters, digits, `_()&` and `-` (not
/// before `>`), separated by blanks, each after the first starting with a letter
/// or `(`; not at `title ` or `accTitle`/`accDescr`.
fn name_with_spaces(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let title = s.starts_with("title") && b.get(5).is_some_and(u8::is_ascii_whitespace);
    if title || s.starts_with("accTitle") || s.starts_with("accDescr") {
        return None;
    }
    if !b.first()?.is_ascii_alphabetic() {
        return None;
    }
    let word = |from: usize| {
        let mut k = from;
        while k < b.len() {
            match b[k] {
                c if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'(' | b')' | b'&') => k += 1,
                b'-' if b.get(k + 1) != Some(&b'>') => k += 1,
                _ => break,
            }
        }
        k
    };
    let mut end = word(1);
    loop {
        let gap = b[end..]
            .iter()
            .take_while(|c| matches!(c, b' ' | b'\t'))
            .count();
        let next = end + gap;
        if gap == 0
            || !b
                .get(next)
                .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'(')
        {
            return Some(end);
        }
        end = word(next + 1);
    }
}

/// treeView's `[ \t]+:::[ \t]*[A-Za-z_][\w-]*`.
fn class_annotation_len(b: &[u8]) -> Option<usize> {
    let ws = b.iter().take_while(|c| matches!(c, b' ' | b'\t')).count();
    if ws == 0 || !b[ws..].starts_with(b":::") {
        return None;
    }
    let mut k = ws + 3;
    k += b[k..]
        .iter()
        .take_while(|c| matches!(c, b' ' | b'\t'))
        .count();
    if !b
        .get(k)
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
    {
        return None;
    }
    k += 1;
    k += b[k..]
        .iter()
        .take_while(|&&c| is_word(c) || c == b'-')
        .count();
    Some(k)
}

/// `[\t ]*accDescr(?:[\t ]*:(…)|\s*{([^}]*)})`; `close(from)` is the offset of
/// the first `}` at or after `from`.
fn acc_descr_len(s: &str, mut close: impl FnMut(usize) -> Option<usize>) -> Option<usize> {
    let b = s.as_bytes();
    let k = b.iter().take_while(|c| matches!(c, b' ' | b'\t')).count();
    if !s[k..].starts_with("accDescr") {
        return None;
    }
    let after = k + "accDescr".len();
    let colon = after
        + b[after..]
            .iter()
            .take_while(|c| matches!(c, b' ' | b'\t'))
            .count();
    if b.get(colon) == Some(&b':') {
        let end = colon
            + 1
            + b[colon + 1..]
                .iter()
                .take_while(|c| !matches!(c, b'\n' | b'\r'))
                .count();
        return Some(s[colon + 1..end].find("%%").map_or(end, |j| colon + 1 + j));
    }
    let open = after
        + b[after..]
            .iter()
            .take_while(|c| c.is_ascii_whitespace())
            .count();
    if b.get(open) == Some(&b'{') {
        return close(open).map(|c| c + 1);
    }
    None
}

/// `\w([inner]*[last])?`: a word character, then the longest run of `inner`
/// characters that ends on a `last` one.
fn word_run(b: &[u8], inner: impl Fn(u8) -> bool, last: impl Fn(u8) -> bool) -> Option<usize> {
    if !b.first().is_some_and(|&c| is_word(c)) {
        return None;
    }
    let mut end = 1;
    let mut k = 1;
    while k < b.len() && inner(b[k]) {
        k += 1;
        if last(b[k - 1]) {
            end = k;
        }
    }
    Some(end)
}

/// `[1-9][0-9]*(?!\.)` with the regex's backtracking: a run of digits right
/// before a `.` gives up its last digit.
fn digits_not_before_dot(b: &[u8]) -> Option<usize> {
    if !matches!(b.first()?, b'1'..=b'9') {
        return None;
    }
    let run = b.iter().take_while(|c| c.is_ascii_digit()).count();
    match b.get(run) {
        Some(b'.') if run >= 2 => Some(run - 1),
        Some(b'.') => None,
        _ => Some(run),
    }
}

/// `[0-9]+\.[0-9]+(?!\.)`, backtracking the same way.
fn float_len(b: &[u8]) -> Option<usize> {
    let whole = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if whole == 0 || b.get(whole) != Some(&b'.') {
        return None;
    }
    let frac = b[whole + 1..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let n = whole + 1 + frac;
    match (frac, b.get(n)) {
        (0, _) => None,
        (1, Some(b'.')) => None,
        (_, Some(b'.')) => Some(n - 1),
        _ => Some(n),
    }
}

/// Hidden text at the start of `s`: spaces and tabs (unless they are tokens), or a
/// `%%` comment.
fn hidden_len(s: &str, spaces_are_tokens: bool) -> Option<usize> {
    let b = s.as_bytes();
    let ws = if spaces_are_tokens {
        0
    } else {
        b.iter().take_while(|c| matches!(c, b' ' | b'\t')).count()
    };
    if b[ws..].starts_with(b"%%") {
        return Some(
            ws + b[ws..]
                .iter()
                .take_while(|c| !matches!(c, b'\n' | b'\r'))
                .count(),
        );
    }
    (ws > 0).then_some(ws)
}

fn keyword_len(spec: &Spec, kw: &'static str, s: &str) -> Option<usize> {
    if !s.starts_with(kw) {
        return None;
    }
    let n = kw.len();
    if spec.header_keywords.contains(&kw) {
        let rest = &s[n..];
        let ok = rest.is_empty()
            || rest.starts_with("%%")
            || rest.chars().next().is_some_and(char::is_whitespace);
        return ok.then_some(n);
    }
    Some(n)
}

/// A quoted string that ran over a line break before an error most likely lost its
/// closing quote on the line where it opened: that is the line to fix.
fn ran_on_string(lx: &Lexed<'_>) -> Option<MermaidError> {
    let t = lx.tokens.iter().find(|t| {
        matches!(t.kind, Kind::Terminal(Terminal::Str | Terminal::Str2))
            && lx.text[t.start..t.end].contains('\n')
    })?;
    let open = lx.line_of(t.start);
    Some(MermaidError::new(
        open,
        format!(
            "the string opened with `{}` on line {} runs on to line {}; close it on its own line",
            &lx.text[t.start..t.start + 1],
            open + 1,
            lx.line_of(t.end) + 1
        ),
    ))
}

/// The first `}` at or after `at`, from a table built on first use, so that many
/// unclosed `accDescr {` cost one pass over the text, not one each.
fn next_close(table: &mut Vec<u32>, text: &str, at: usize) -> Option<usize> {
    if table.is_empty() {
        table.resize(text.len() + 1, u32::MAX);
        for k in (0..text.len()).rev() {
            table[k] = if text.as_bytes()[k] == b'}' {
                k as u32
            } else {
                table[k + 1]
            };
        }
    }
    let c = *table.get(at)?;
    (c != u32::MAX).then_some(c as usize)
}

/// Lexes the prepared body from the header line on, as Mermaid's Langium parser
/// sees it; a character no token matches is reported with its line.
pub(super) fn lex<'t>(
    p: &Prepared<'_>,
    header_line: usize,
    text: &'t mut String,
    spec: &Spec,
) -> Result<Lexed<'t>, MermaidError> {
    let mut joined = String::new();
    for l in p.lines().iter().skip(header_line) {
        joined.push_str(l);
        joined.push('\n');
    }
    *text = joined;
    let text: &'t str = text.as_str();
    let mut line_starts = vec![0];
    line_starts.extend(text.match_indices('\n').map(|(k, _)| k + 1));
    let mut lexed = Lexed {
        text,
        tokens: Vec::new(),
        line_starts,
        first_line: header_line,
    };
    let spaces_are_tokens = spec.terminals.contains(&Terminal::Indentation);
    let mut closes = Vec::new();
    let mut pos = 0;
    'outer: while pos < text.len() {
        let rest = &text[pos..];
        if let Some(n) = hidden_len(rest, spaces_are_tokens) {
            pos += n;
            continue;
        }
        for &kw in spec.keywords {
            let Some(n) = keyword_len(spec, kw, rest) else {
                continue;
            };
            // A keyword that a terminal matches whole gives way to a longer match of
            // it, as does one listed with the terminals it starts.
            let partial = spec
                .longer_alts
                .iter()
                .find(|(k, _)| *k == kw)
                .map_or(&[][..], |(_, ts)| *ts);
            let longer = spec
                .terminals
                .iter()
                .filter(|&&t| terminal_len(t, kw) == Some(kw.len()))
                .chain(partial)
                .find_map(|&t| terminal_len(t, rest).filter(|&m| m > n).map(|m| (t, m)));
            let (kind, n) = match longer {
                Some((t, m)) => (Kind::Terminal(t), m),
                None => (Kind::Keyword(kw), n),
            };
            lexed.tokens.push(Token {
                kind,
                start: pos,
                end: pos + n,
            });
            pos += n;
            continue 'outer;
        }
        for &t in spec.terminals {
            let len = if t == Terminal::AccDescr {
                acc_descr_len(rest, |from| {
                    next_close(&mut closes, text, pos + from).map(|c| c - pos)
                })
            } else {
                terminal_len(t, rest)
            };
            if let Some(n) = len.filter(|&n| n > 0) {
                if spec.hidden.contains(&t) {
                    pos += n;
                    continue 'outer;
                }
                lexed.tokens.push(Token {
                    kind: Kind::Terminal(t),
                    start: pos,
                    end: pos + n,
                });
                pos += n;
                continue 'outer;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        if let Some(e) = ran_on_string(&lexed) {
            return Err(e);
        }
        let line = lexed.line_of(pos);
        let message = match c {
            '"' | '\'' => format!(
                "the string opened with `{c}` on line {} is never closed",
                line + 1
            ),
            _ => format!("unexpected character `{c}`"),
        };
        return Err(MermaidError::new(line, message));
    }
    Ok(lexed)
}

/// A cursor over a lexed diagram, for the hand-written recursive descent of each grammar.
pub(super) struct Parser<'l, 't> {
    pub lx: &'l Lexed<'t>,
    pub at: usize,
}

impl<'l, 't> Parser<'l, 't> {
    pub fn new(lx: &'l Lexed<'t>) -> Self {
        Parser { lx, at: 0 }
    }

    pub fn peek(&self) -> Option<&Token> {
        self.lx.tokens.get(self.at)
    }

    pub fn next_is(&self, keyword: &str) -> bool {
        self.peek().is_some_and(|t| t.is(keyword))
    }

    pub fn next_is_any(&self, keywords: &[&str]) -> bool {
        keywords.iter().any(|k| self.next_is(k))
    }

    pub fn next_is_terminal(&self, t: Terminal) -> bool {
        self.peek().is_some_and(|tok| tok.is_terminal(t))
    }

    pub fn bump(&mut self) -> Token {
        let t = self.lx.tokens[self.at];
        self.at += 1;
        t
    }

    /// The line of the next token, or of the last one at the end.
    pub fn line(&self) -> usize {
        let t = self.peek().or(self.lx.tokens.last());
        self.lx.line_of(t.map_or(0, |t| t.start))
    }

    pub fn text(&self, t: &Token) -> &'t str {
        &self.lx.text[t.start..t.end]
    }

    pub fn unexpected(&self, what: &str) -> MermaidError {
        if let Some(e) = ran_on_string(self.lx) {
            return e;
        }
        let found = match self.peek() {
            None => "the end of the diagram".to_string(),
            Some(t) if t.is_terminal(Terminal::Newline) => "the end of the line".to_string(),
            Some(t) => format!("`{}`", shorten(self.text(t))),
        };
        MermaidError::new(self.line(), format!("{what}, found {found}"))
    }

    /// EOL: one or more line breaks, or the end.
    pub fn eol(&mut self, after: &str) -> Result<(), MermaidError> {
        if self.peek().is_none() {
            return Ok(());
        }
        if !self.next_is_terminal(Terminal::Newline) {
            return Err(self.unexpected(&format!("nothing may follow {after} on its line")));
        }
        while self.next_is_terminal(Terminal::Newline) {
            self.bump();
        }
        Ok(())
    }

    pub fn string(&mut self, after: &str) -> Result<String, MermaidError> {
        if !self.next_is_terminal(Terminal::Str) {
            return Err(self.unexpected(&format!("`{after}` needs a quoted string")));
        }
        let t = self.bump();
        let raw = self.text(&t);
        Ok(raw[1..raw.len() - 1].to_string())
    }

    pub fn branch_name(&mut self, command: &str) -> Result<(String, usize), MermaidError> {
        let line = self.line();
        match self.peek() {
            Some(t) if t.is_terminal(Terminal::Reference) => {
                let t = self.bump();
                Ok((self.text(&t).to_string(), line))
            }
            Some(t) if t.is_terminal(Terminal::Str) => Ok((self.string(command)?, line)),
            _ => Err(self.unexpected(&format!(
                "`{command}` needs a branch name (letters, digits, `_`, `-`, `.`, `/`, or quoted)"
            ))),
        }
    }

    pub fn skip_newlines(&mut self) {
        while self.next_is_terminal(Terminal::Newline) {
            self.bump();
        }
    }

    /// `TitleAndAccessibilities` once: a title or accessibility line and its end.
    pub fn title_or_acc(&mut self) -> Result<bool, MermaidError> {
        let titled = self.peek().is_some_and(|t| {
            matches!(
                t.kind,
                Kind::Terminal(Terminal::AccDescr | Terminal::AccTitle | Terminal::Title)
            )
        });
        if titled {
            self.bump();
            self.eol("a title or accessibility line")?;
        }
        Ok(titled)
    }

    pub fn expect(&mut self, keyword: &str, what: &str) -> Result<Token, MermaidError> {
        if self.next_is(keyword) {
            Ok(self.bump())
        } else {
            Err(self.unexpected(what))
        }
    }

    pub fn expect_terminal(&mut self, t: Terminal, what: &str) -> Result<Token, MermaidError> {
        if self.next_is_terminal(t) {
            Ok(self.bump())
        } else {
            Err(self.unexpected(what))
        }
    }
}
