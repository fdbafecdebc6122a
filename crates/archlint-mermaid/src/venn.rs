//! venn-beta: a port of Mermaid's `venn.jison`, lexer and grammar, with the checks
//! its database makes (a union names at least two sets, each declared before it).
//!
//! After a `set` or `union` statement the lexer is in "indent mode": an indented
//! `text` line belongs to those sets. A line that starts with anything else ends it.

use std::collections::HashSet;

use super::jison::{line_at, lit_i, run};
use super::keywords::{shorten, Header};
use super::prep::Prepared;
use super::MermaidError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum T {
    Newline,
    Eof,
    Title,
    Venn,
    Set,
    Union,
    Text,
    IndentText,
    Style,
    BracketLabel,
    Numeric,
    HexColor,
    RgbColor,
    Identifier,
    Str,
    Comma,
    Colon,
}

#[derive(Clone, Copy)]
struct Tok {
    t: T,
    start: usize,
    end: usize,
}

struct Lexer<'a> {
    b: &'a [u8],
    pos: usize,
    bol: bool,
    consume_indent_text: bool,
}

/// `[+-]?(\d+(\.\d+)?|\.\d+)`
fn numeric_len(s: &[u8]) -> Option<usize> {
    let sign = usize::from(matches!(s.first(), Some(b'+' | b'-')));
    let r = &s[sign..];
    let whole = run(r, |c| c.is_ascii_digit());
    if whole > 0 {
        let frac = if r.get(whole) == Some(&b'.') {
            run(&r[whole + 1..], |c| c.is_ascii_digit())
        } else {
            0
        };
        return Some(sign + whole + if frac > 0 { frac + 1 } else { 0 });
    }
    let frac = if r.first() == Some(&b'.') {
        run(&r[1..], |c| c.is_ascii_digit())
    } else {
        0
    };
    (frac > 0).then_some(sign + 1 + frac)
}

/// `rgb(` or `rgba(` with three or four numbers, as the lexer's colour rules want.
fn rgb_len(s: &[u8]) -> Option<usize> {
    let (head, parts) = if s.len() >= 5 && s[..5].eq_ignore_ascii_case(b"rgba(") {
        (5, 4)
    } else if s.len() >= 4 && s[..4].eq_ignore_ascii_case(b"rgb(") {
        (4, 3)
    } else {
        return None;
    };
    let ws = |k: usize| k + run(&s[k..], |c| c.is_ascii_whitespace());
    let mut k = head;
    for i in 0..parts {
        k = ws(k);
        let n = run(&s[k..], |c| c.is_ascii_digit() || c == b'.');
        if n == 0 {
            return None;
        }
        k = ws(k + n);
        let want = if i + 1 == parts { b')' } else { b',' };
        if s.get(k) != Some(&want) {
            return None;
        }
        k += 1;
    }
    Some(k)
}

impl Lexer<'_> {
    /// The next token; `indent_mode` is the database's flag, which the lexer reads and
    /// clears as Mermaid's does.
    fn next(&mut self, indent_mode: &mut bool) -> Result<Tok, usize> {
        loop {
            let s = &self.b[self.pos..];
            let at = self.pos;
            let tok = |t: T, n: usize| Tok {
                t,
                start: at,
                end: at + n,
            };
            if s.is_empty() {
                return Ok(tok(T::Eof, 0));
            }
            let line_len = run(s, |c| c != b'\n');
            if s.starts_with(b"%%") && s.get(2) != Some(&b'{') {
                self.pos += line_len;
                continue;
            }
            if s[0] != b'}' {
                let first = std::str::from_utf8(&s[..s.len().min(4)])
                    .ok()
                    .or_else(|| std::str::from_utf8(&s[..1]).ok())
                    .and_then(|x| x.chars().next())
                    .map_or(1, char::len_utf8);
                if s[first..].starts_with(b"%%") {
                    self.pos += first + run(&s[first..], |c| c != b'\n');
                    continue;
                }
            }
            let hspace = run(s, |c| c == b' ' || c == b'\t');
            if self.bol {
                if hspace > 0 && matches!(s.get(hspace), Some(b'\n' | b'\r')) {
                    self.pos += hspace;
                    continue;
                }
                if hspace > 0 && lit_i(&s[hspace..], "text").is_some() {
                    if *indent_mode {
                        self.consume_indent_text = true;
                        self.bol = false;
                        self.pos += hspace;
                        return Ok(tok(T::IndentText, hspace));
                    }
                    self.pos += hspace;
                    continue;
                }
                if hspace > 0 {
                    self.pos += hspace;
                    continue;
                }
                if !matches!(s[0], b'\n' | b'\r') {
                    *indent_mode = false;
                    self.bol = false;
                    continue;
                }
            }
            let breaks = run(s, |c| c == b'\n' || c == b'\r');
            if breaks > 0 {
                self.bol = true;
                self.pos += breaks;
                return Ok(tok(T::Newline, breaks));
            }
            if hspace > 0 {
                self.pos += hspace;
                continue;
            }
            if s.len() > 6 && s[..5].eq_ignore_ascii_case(b"title") && s[5].is_ascii_whitespace() {
                let n = run(&s[6..], |c| !matches!(c, b'#' | b'\n' | b';'));
                if n > 0 {
                    self.pos += 6 + n;
                    return Ok(tok(T::Title, 6 + n));
                }
            }
            let words = [
                ("venn-beta", T::Venn),
                ("set", T::Set),
                ("union", T::Union),
                ("text", T::Text),
                ("style", T::Style),
            ];
            if let Some((n, t)) = words.iter().find_map(|&(w, t)| lit_i(s, w).map(|n| (n, t))) {
                self.pos += n;
                if t == T::Text && self.consume_indent_text {
                    self.consume_indent_text = false;
                    continue;
                }
                return Ok(tok(t, n));
            }
            let (t, n) = if s.starts_with(b"[\"") {
                match s[2..].iter().position(|&c| c == b'"') {
                    Some(k) if s.get(2 + k + 1) == Some(&b']') => (T::BracketLabel, k + 4),
                    _ => self.bracket(s).ok_or(at)?,
                }
            } else if s[0] == b'[' {
                self.bracket(s).ok_or(at)?
            } else if let Some(n) = numeric_len(s) {
                (T::Numeric, n)
            } else if s[0] == b'#' && run(&s[1..], |c| c.is_ascii_hexdigit()) >= 3 {
                (
                    T::HexColor,
                    1 + run(&s[1..], |c| c.is_ascii_hexdigit()).min(8),
                )
            } else if let Some(n) = rgb_len(s) {
                (T::RgbColor, n)
            } else if s[0].is_ascii_alphabetic() || s[0] == b'_' {
                (
                    T::Identifier,
                    run(s, |c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'),
                )
            } else if s[0] == b'"' {
                let k = s[1..].iter().position(|&c| c == b'"').ok_or(at)?;
                (T::Str, k + 2)
            } else if s[0] == b',' {
                (T::Comma, 1)
            } else if s[0] == b':' {
                (T::Colon, 1)
            } else {
                return Err(at);
            };
            self.pos += n;
            return Ok(tok(t, n));
        }
    }

    /// `\[[^\]\"]+\]`
    fn bracket(&self, s: &[u8]) -> Option<(T, usize)> {
        let n = run(&s[1..], |c| c != b']' && c != b'"');
        (n > 0 && s.get(1 + n) == Some(&b']')).then_some((T::BracketLabel, n + 2))
    }
}

struct P<'a> {
    text: &'a str,
    lx: Lexer<'a>,
    look: Option<Tok>,
    first_line: usize,
    indent_mode: bool,
    known: HashSet<String>,
}

impl P<'_> {
    fn peek(&mut self) -> Result<Tok, MermaidError> {
        if let Some(t) = self.look {
            return Ok(t);
        }
        match self.lx.next(&mut self.indent_mode) {
            Ok(t) => {
                self.look = Some(t);
                Ok(t)
            }
            Err(at) => {
                let c = self.text[at..].chars().next().unwrap_or(' ');
                let what = match c {
                    '"' => "a `\"` is never closed".to_string(),
                    '[' => "a `[` label is never closed with `]`".to_string(),
                    _ => format!("venn-beta cannot read `{c}`"),
                };
                Err(MermaidError::new(
                    line_at(self.text, at, self.first_line),
                    what,
                ))
            }
        }
    }

    fn next_is(&mut self, t: T) -> Result<bool, MermaidError> {
        Ok(self.peek()?.t == t)
    }

    fn bump(&mut self) -> Result<Tok, MermaidError> {
        let t = self.peek()?;
        self.look = None;
        Ok(t)
    }

    fn slice(&self, t: &Tok) -> &str {
        &self.text[t.start..t.end]
    }

    fn fail<X>(&mut self, what: &str) -> Result<X, MermaidError> {
        let t = self.peek()?;
        let found = match t.t {
            T::Eof => "the end of the diagram".to_string(),
            T::Newline => "the end of the line".to_string(),
            _ => format!("`{}`", shorten(self.slice(&t))),
        };
        Err(MermaidError::new(
            line_at(self.text, t.start, self.first_line),
            format!("{what}, found {found}"),
        ))
    }

    fn identifier(&mut self, what: &str) -> Result<String, MermaidError> {
        let t = self.peek()?;
        if !matches!(t.t, T::Identifier | T::Str) {
            return self.fail(what);
        }
        self.bump()?;
        Ok(self.slice(&t).trim_matches('"').trim().to_string())
    }

    fn identifiers(&mut self, what: &str) -> Result<Vec<String>, MermaidError> {
        let mut out = vec![self.identifier(what)?];
        while self.next_is(T::Comma)? {
            self.bump()?;
            out.push(self.identifier("a set name follows `,`")?);
        }
        Ok(out)
    }

    /// `[BRACKET_LABEL] [: NUMERIC]` after a set or union.
    fn label_and_size(&mut self) -> Result<(), MermaidError> {
        if self.next_is(T::BracketLabel)? {
            self.bump()?;
        }
        if self.next_is(T::Colon)? {
            self.bump()?;
            if !self.next_is(T::Numeric)? {
                return self.fail("a size after `:` is a number");
            }
            self.bump()?;
        }
        Ok(())
    }

    fn text_value(&mut self) -> Result<(), MermaidError> {
        match self.peek()?.t {
            T::Identifier | T::Str => {
                self.bump()?;
                if self.next_is(T::BracketLabel)? {
                    self.bump()?;
                }
                Ok(())
            }
            T::Numeric => {
                self.bump()?;
                Ok(())
            }
            _ => self.fail("`text` needs a name, a quoted text or a number"),
        }
    }

    fn statement(&mut self) -> Result<(), MermaidError> {
        let t = self.bump()?;
        match t.t {
            T::Title => {}
            T::Set => {
                let name = self.identifier("`set` needs a name")?;
                self.label_and_size()?;
                self.known.insert(name);
                self.indent_mode = true;
            }
            T::Union => {
                let names = self.identifiers("`union` needs the sets it joins")?;
                let line = line_at(self.text, t.start, self.first_line);
                if names.len() < 2 {
                    return Err(MermaidError::new(
                        line,
                        format!(
                            "`union {}` names one set; a union joins two or more, separated by `,`",
                            names[0]
                        ),
                    ));
                }
                if let Some(unknown) = names.iter().find(|n| !self.known.contains(*n)) {
                    return Err(MermaidError::new(
                        line,
                        format!("`union` names `{unknown}`, which is not a set declared before it"),
                    ));
                }
                self.label_and_size()?;
                self.indent_mode = true;
            }
            T::Text => {
                self.identifiers("`text` needs the sets it belongs to")?;
                self.text_value()?;
            }
            T::IndentText => self.text_value()?,
            T::Style => {
                self.identifiers("`style` needs the sets it styles")?;
                loop {
                    if !self.next_is(T::Identifier)? {
                        return self.fail("`style` needs `property: value`, as in `fill: #ff0000`");
                    }
                    self.bump()?;
                    if !self.next_is(T::Colon)? {
                        return self.fail("a style is written `property: value`");
                    }
                    self.bump()?;
                    if self.next_is(T::Str)? {
                        self.bump()?;
                    } else {
                        let value = |t: T| {
                            matches!(t, T::Identifier | T::Numeric | T::HexColor | T::RgbColor)
                        };
                        if !value(self.peek()?.t) {
                            return self.fail("a style needs a value after `:`");
                        }
                        while value(self.peek()?.t) {
                            self.bump()?;
                        }
                    }
                    if !self.next_is(T::Comma)? {
                        break;
                    }
                    self.bump()?;
                }
            }
            _ => {
                self.look = Some(t);
                return self.fail("expected `set`, `union`, `text`, `style` or `title`");
            }
        }
        Ok(())
    }

    fn parse(&mut self) -> Result<(), MermaidError> {
        while self.next_is(T::Newline)? {
            self.bump()?;
        }
        if !self.next_is(T::Venn)? {
            return self.fail("expected `venn-beta`");
        }
        self.bump()?;
        loop {
            match self.peek()?.t {
                T::Eof => return Ok(()),
                T::Newline => {
                    self.bump()?;
                }
                _ => self.statement()?,
            }
        }
    }
}

pub(super) fn check(p: &Prepared, header: Header) -> Option<MermaidError> {
    let text = p.text_from_header(header);
    let mut parser = P {
        text: &text,
        lx: Lexer {
            b: text.as_bytes(),
            pos: 0,
            bol: false,
            consume_indent_text: false,
        },
        look: None,
        first_line: header.line,
        indent_mode: false,
        known: HashSet::new(),
    };
    parser.parse().err()
}
