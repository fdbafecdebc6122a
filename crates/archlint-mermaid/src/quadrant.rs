//! quadrantChart: a port of Mermaid's `quadrant.jison`, lexer and grammar, with the
//! checks its database makes on point and class styles (`radius` a whole number,
//! `color` and `stroke-color` hex codes, `stroke-width` pixels, nothing else).
//!
//! Spaces are tokens here. A point is `text: [x, y]` where each coordinate is `1`,
//! `0` or `0.` and digits: `1.0` and anything above 1 fail.

use super::jison::{line_at, line_len, lit_i, run, unclosed_descr};
use super::keywords::{shorten, Header};
use super::prep::Prepared;
use super::MermaidError;

/// What a rule does to the lexer's stack of states.
type Step = super::jison::Step<S>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum T {
    Newline,
    Title,
    TitleValue,
    AccTitle,
    AccDescr,
    AccValue,
    AccDescrMulti,
    XAxis,
    YAxis,
    Delimiter,
    Quadrant,
    ClassDef,
    MdStr,
    Str,
    ClassName,
    PointStart,
    PointX,
    PointY,
    Chart,
    Alpha,
    UnicodeText,
    Colon,
    Plus,
    Comma,
    Equals,
    Mult,
    Brkt,
    Underscore,
    Dot,
    Amp,
    Minus,
    Num,
    Space,
    Semi,
    Punctuation,
    Eof,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum S {
    Initial,
    Title,
    Acc,
    AccDescrMulti,
    MdStr,
    Str,
    ClassName,
    PointStart,
    PointX,
    PointY,
}

#[derive(Clone, Copy)]
struct Tok {
    t: T,
    start: usize,
    end: usize,
}

fn char_len(s: &[u8]) -> usize {
    std::str::from_utf8(&s[..s.len().min(4)])
        .ok()
        .or_else(|| std::str::from_utf8(&s[..1]).ok())
        .and_then(|x| x.chars().next())
        .map_or(1, char::len_utf8)
}

/// `(1)|(0(.\d+)?)`: `.` is any character.
fn coordinate(s: &[u8]) -> Option<usize> {
    match s.first()? {
        b'1' => Some(1),
        b'0' => {
            if s.len() > 1 && !matches!(s[1], b'\n' | b'\r') {
                let d = run(&s[2..], |c| c.is_ascii_digit());
                if d > 0 {
                    return Some(2 + d);
                }
            }
            Some(1)
        }
        _ => None,
    }
}

/// ` *word *` (case-insensitive).
fn spaced_word(s: &[u8], word: &str) -> Option<usize> {
    let lead = run(s, |c| c == b' ');
    let n = word.len();
    if s.len() < lead + n || !s[lead..lead + n].eq_ignore_ascii_case(word.as_bytes()) {
        return None;
    }
    Some(lead + n + run(&s[lead + n..], |c| c == b' '))
}

fn step(state: S, s: &[u8]) -> Option<(Option<T>, usize, Step)> {
    let tok = |t: T, n: usize, st: Step| Some((Some(t), n, st));
    let skip = |n: usize, st: Step| Some((None, n, st));
    let ws = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
    match state {
        S::Title => return tok(T::TitleValue, line_len(s), Step::Pop),
        S::Acc => return tok(T::AccValue, line_len(s), Step::Pop),
        S::AccDescrMulti => {
            if s[0] == b'}' {
                return skip(1, Step::Pop);
            }
            return tok(T::AccDescrMulti, run(s, |c| c != b'}'), Step::Stay);
        }
        S::MdStr => {
            if s.starts_with(b"`\"") {
                return skip(2, Step::Pop);
            }
            let n = run(s, |c| c != b'`' && c != b'"');
            return (n > 0).then_some((Some(T::MdStr), n, Step::Stay));
        }
        S::Str => {
            if s[0] == b'"' {
                return skip(1, Step::Pop);
            }
            return tok(T::Str, run(s, |c| c != b'"'), Step::Stay);
        }
        S::ClassName => {
            let n = run(s, |c| c.is_ascii_alphanumeric() || c == b'_');
            return (n > 0).then_some((Some(T::ClassName), n, Step::Pop));
        }
        S::PointStart => {
            if let Some(n) = coordinate(s) {
                return tok(T::PointX, n, Step::Push(S::PointX));
            }
            let w = run(s, ws);
            if s.get(w) == Some(&b']') {
                return skip(w + 1 + run(&s[w + 1..], |c| c == b' '), Step::Pop);
            }
            return None;
        }
        S::PointX => {
            let w = run(s, ws);
            if s.get(w) == Some(&b',') {
                return skip(w + 1 + run(&s[w + 1..], ws), Step::Swap(S::PointY));
            }
            return None;
        }
        S::PointY => return coordinate(s).map(|n| (Some(T::PointY), n, Step::Pop)),
        S::Initial => {}
    }
    if s.starts_with(b"%%") && s.get(2) != Some(&b'{') {
        return skip(line_len(s), Step::Stay);
    }
    if s[0] != b'}' {
        let c = char_len(s);
        if s[c..].starts_with(b"%%") {
            return skip(c + line_len(&s[c..]), Step::Stay);
        }
    }
    let nl = run(s, |c| c == b'\n' || c == b'\r');
    if nl > 0 {
        return tok(T::Newline, nl, Step::Stay);
    }
    if s.starts_with(b"%%") {
        return skip(line_len(s), Step::Stay);
    }
    if let Some(n) = lit_i(s, "title") {
        return tok(T::Title, n, Step::Push(S::Title));
    }
    for (word, t) in [("accTitle", T::AccTitle), ("accDescr", T::AccDescr)] {
        if s.len() >= word.len() && s[..word.len()].eq_ignore_ascii_case(word.as_bytes()) {
            let k = word.len() + run(&s[word.len()..], ws);
            if s.get(k) == Some(&b':') {
                return tok(t, k + 1 + run(&s[k + 1..], ws), Step::Push(S::Acc));
            }
        }
    }
    if s.len() >= 8 && s[..8].eq_ignore_ascii_case(b"accDescr") {
        let k = 8 + run(&s[8..], ws);
        if s.get(k) == Some(&b'{') {
            return skip(k + 1 + run(&s[k + 1..], ws), Step::Push(S::AccDescrMulti));
        }
    }
    for (word, t) in [("x-axis", T::XAxis), ("y-axis", T::YAxis)] {
        if let Some(n) = spaced_word(s, word) {
            return tok(t, n, Step::Stay);
        }
    }
    {
        let lead = run(s, |c| c == b' ');
        let dashes = run(&s[lead..], |c| c == b'-');
        if dashes >= 2 && s.get(lead + dashes) == Some(&b'>') {
            let e = lead + dashes + 1;
            return tok(T::Delimiter, e + run(&s[e..], |c| c == b' '), Step::Stay);
        }
    }
    for q in ["quadrant-1", "quadrant-2", "quadrant-3", "quadrant-4"] {
        if let Some(n) = spaced_word(s, q) {
            return tok(T::Quadrant, n, Step::Stay);
        }
    }
    if let Some(n) = lit_i(s, "classDef") {
        return tok(T::ClassDef, n, Step::Stay);
    }
    if s.starts_with(b"\"`") {
        return skip(2, Step::Push(S::MdStr));
    }
    if s[0] == b'"' {
        return skip(1, Step::Push(S::Str));
    }
    if s.starts_with(b":::") {
        return skip(3, Step::Push(S::ClassName));
    }
    {
        // `\s*:\s*\[\s*`
        let a = run(s, ws);
        if s.get(a) == Some(&b':') {
            let b = a + 1 + run(&s[a + 1..], ws);
            if s.get(b) == Some(&b'[') {
                let e = b + 1 + run(&s[b + 1..], ws);
                return tok(T::PointStart, e, Step::Push(S::PointStart));
            }
        }
    }
    if let Some(n) = spaced_word(s, "quadrantChart") {
        return tok(T::Chart, n, Step::Stay);
    }
    let alpha = run(s, |c| c.is_ascii_alphabetic());
    if alpha > 0 {
        return tok(T::Alpha, alpha, Step::Stay);
    }
    let uni = run(s, |c| c >= 0x80);
    if uni > 0 {
        return tok(T::UnicodeText, uni, Step::Stay);
    }
    let t = match s[0] {
        b':' => T::Colon,
        b'+' => T::Plus,
        b',' => T::Comma,
        b'=' => T::Equals,
        b'*' => T::Mult,
        b'#' => T::Brkt,
        b'_' => T::Underscore,
        b'.' => T::Dot,
        b'&' => T::Amp,
        b'-' => T::Minus,
        b'0'..=b'9' => return tok(T::Num, run(s, |c| c.is_ascii_digit()), Step::Stay),
        c if ws(c) => T::Space,
        b';' => T::Semi,
        b'!' | b'"' | b'$' | b'%' | b'\'' | b'`' | b'?' | b'\\' | b'/' => T::Punctuation,
        _ => return None,
    };
    tok(t, 1, Step::Stay)
}

fn lex(text: &str, first_line: usize) -> Result<Vec<Tok>, MermaidError> {
    let b = text.as_bytes();
    let mut stack = vec![S::Initial];
    let mut out: Vec<Tok> = Vec::new();
    let mut pos = 0;
    while pos < b.len() {
        let state = *stack.last().unwrap_or(&S::Initial);
        let Some((t, n, st)) = step(state, &b[pos..]) else {
            let c = text[pos..].chars().next().unwrap_or(' ');
            let what = match state {
                S::PointStart | S::PointY => format!(
                    "a point's coordinates are written `[x, y]`, each 0, 1, or 0. and digits (as in 0.35); `{c}` is not one"
                ),
                S::PointX => format!("a point's coordinates are separated by `,`; found `{c}`"),
                _ => format!("`{c}` is not understood here"),
            };
            return Err(MermaidError::new(line_at(text, pos, first_line), what));
        };
        if let Some(t) = t {
            out.push(Tok {
                t,
                start: pos,
                end: pos + n,
            });
        }
        let moved = !matches!(st, Step::Stay);
        st.apply(&mut stack);
        if stack.is_empty() {
            stack.push(S::Initial);
        }
        pos += if n == 0 && !moved { 1 } else { n };
    }
    match stack.last() {
        Some(S::AccDescrMulti) => return Err(unclosed_descr(text, first_line)),
        Some(S::Initial) | None => {}
        Some(S::Str | S::MdStr) => {
            // Nothing closes it, so its `"` is the text's last one.
            let open = text.rfind('"').unwrap_or(0);
            return Err(MermaidError::new(
                line_at(text, open, first_line),
                "the `\"` opened here is never closed".to_string(),
            ));
        }
        Some(_) => {
            let open = out.last().map_or(0, |t| t.start);
            return Err(MermaidError::new(
                line_at(text, open, first_line),
                "a point's `[x, y]` is never closed with `]`".to_string(),
            ));
        }
    }
    out.push(Tok {
        t: T::Eof,
        start: b.len(),
        end: b.len(),
    });
    Ok(out)
}

struct P<'a> {
    text: &'a str,
    toks: Vec<Tok>,
    at: usize,
    first_line: usize,
}

fn alnum(t: T) -> bool {
    matches!(
        t,
        T::Punctuation
            | T::Amp
            | T::Num
            | T::Alpha
            | T::Comma
            | T::Plus
            | T::Equals
            | T::Mult
            | T::Dot
            | T::Brkt
            | T::Underscore
    )
}

fn style_component(t: T) -> bool {
    matches!(
        t,
        T::Alpha | T::Num | T::Colon | T::Space | T::Brkt | T::Minus
    )
}

impl P<'_> {
    fn peek(&self) -> T {
        self.toks.get(self.at).map_or(T::Eof, |t| t.t)
    }

    fn bump(&mut self) -> Tok {
        let t = self.toks[self.at.min(self.toks.len() - 1)];
        self.at += 1;
        t
    }

    fn line(&self, at: usize) -> usize {
        line_at(self.text, at, self.first_line)
    }

    fn fail<X>(&self, what: &str) -> Result<X, MermaidError> {
        let t = self.toks[self.at.min(self.toks.len() - 1)];
        let found = match t.t {
            T::Eof => "the end of the diagram".to_string(),
            T::Newline => "the end of the line".to_string(),
            _ if self.text[t.start..t.end].trim().is_empty() => "a space".to_string(),
            _ => format!("`{}`", shorten(self.text[t.start..t.end].trim())),
        };
        Err(MermaidError::new(
            self.line(t.start),
            format!("{what}, found {found}"),
        ))
    }

    /// `text`: a quoted string or words, then more words and spaces.
    fn text(&mut self) -> bool {
        match self.peek() {
            T::Str | T::MdStr => {}
            t if alnum(t) => {}
            _ => return false,
        }
        self.bump();
        while alnum(self.peek()) || matches!(self.peek(), T::Space | T::Minus) {
            self.bump();
        }
        true
    }

    /// `stylesOpt`, then the database's check of each style.
    fn styles(&mut self) -> Result<(), MermaidError> {
        loop {
            let start = self.toks[self.at.min(self.toks.len() - 1)];
            if !style_component(self.peek()) {
                return self.fail("a style is written `name: value`, as in `radius: 10`");
            }
            let mut end = start.end;
            while style_component(self.peek()) {
                end = self.bump().end;
            }
            let style = self.text[start.start..end].trim();
            check_style(style).map_err(|m| MermaidError::new(self.line(start.start), m))?;
            if self.peek() != T::Comma {
                return Ok(());
            }
            self.bump();
        }
    }

    fn statement(&mut self) -> Result<(), MermaidError> {
        while self.peek() == T::Space {
            self.bump();
        }
        match self.peek() {
            T::Newline | T::Semi | T::Eof => Ok(()),
            T::Title | T::AccTitle | T::AccDescr => {
                self.bump();
                self.bump();
                Ok(())
            }
            T::AccDescrMulti => {
                self.bump();
                Ok(())
            }
            T::XAxis | T::YAxis => {
                let axis = if self.peek() == T::XAxis {
                    "x-axis"
                } else {
                    "y-axis"
                };
                self.bump();
                if !self.text() {
                    return self.fail(&format!(
                        "`{axis}` needs a label, as in `{axis} Low --> High`"
                    ));
                }
                if self.peek() == T::Delimiter {
                    self.bump();
                    self.text();
                }
                Ok(())
            }
            T::Quadrant => {
                self.bump();
                if !self.text() {
                    return self.fail("a quadrant needs a label");
                }
                Ok(())
            }
            T::ClassDef => {
                self.bump();
                if self.peek() != T::Space {
                    return self.fail("`classDef` is followed by a class name and its styles");
                }
                self.bump();
                let id = |t: T| {
                    matches!(
                        t,
                        T::Alpha
                            | T::Num
                            | T::Minus
                            | T::Comma
                            | T::Colon
                            | T::Amp
                            | T::Brkt
                            | T::Mult
                            | T::UnicodeText
                    )
                };
                if !id(self.peek()) {
                    return self.fail("`classDef` needs a class name");
                }
                while id(self.peek()) {
                    self.bump();
                }
                if self.peek() != T::Space {
                    return self.fail("`classDef <name>` is followed by its styles");
                }
                self.bump();
                self.styles()
            }
            _ => {
                if !self.text() {
                    return self
                        .fail("expected a point `label: [x, y]`, an axis, a quadrant or a title");
                }
                if self.peek() == T::ClassName {
                    self.bump();
                }
                if self.peek() != T::PointStart {
                    return self.fail("a point is written `label: [x, y]`");
                }
                self.bump();
                if self.peek() != T::PointX
                    || self.toks.get(self.at + 1).map(|t| t.t) != Some(T::PointY)
                {
                    return self.fail("a point's coordinates are written `[x, y]`");
                }
                self.bump();
                self.bump();
                if style_component(self.peek()) {
                    self.styles()?;
                }
                Ok(())
            }
        }
    }

    fn parse(&mut self) -> Result<(), MermaidError> {
        while matches!(self.peek(), T::Newline | T::Semi | T::Space) {
            self.bump();
        }
        if self.peek() != T::Chart {
            return self.fail("expected `quadrantChart`");
        }
        self.bump();
        loop {
            self.statement()?;
            match self.peek() {
                T::Eof => return Ok(()),
                T::Newline | T::Semi => {
                    self.bump();
                }
                _ => return self.fail("each statement takes its own line"),
            }
        }
    }
}

/// The quadrant database's `parseStyles`: what it accepts for each style name.
fn check_style(style: &str) -> Result<(), String> {
    // `style.trim().split(/\s*:\s*/)`, of which Mermaid reads the first two parts.
    let mut parts = style.trim().split(':').map(str::trim);
    let key = parts.next().unwrap_or("");
    let value = parts.next().unwrap_or("");
    let ok = match key {
        "radius" => !value.is_empty() && value.bytes().all(|c| c.is_ascii_digit()),
        "color" | "stroke-color" => {
            let hex = value.strip_prefix('#').unwrap_or(value);
            (hex.len() == 6 || hex.len() == 3) && hex.bytes().all(|c| c.is_ascii_hexdigit())
        }
        "stroke-width" => value
            .strip_suffix("px")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit())),
        _ => {
            return Err(format!(
                "style `{key}` is not supported; a point takes `radius`, `color`, `stroke-color` and `stroke-width`"
            ))
        }
    };
    if ok {
        return Ok(());
    }
    let want = match key {
        "radius" => "a whole number",
        "stroke-width" => "pixels, as in `2px`",
        _ => "a hex colour, as in `#ff3300`",
    };
    Err(format!("style `{key}` takes {want}; `{value}` is not"))
}

pub(super) fn check(p: &Prepared, header: Header) -> Option<MermaidError> {
    let text = p.text_from_header(header);
    let toks = match lex(&text, header.line) {
        Ok(t) => t,
        Err(e) => return Some(e),
    };
    P {
        text: &text,
        toks,
        at: 0,
        first_line: header.line,
    }
    .parse()
    .err()
}
