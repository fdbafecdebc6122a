//! xychart: a port of Mermaid's `xychart.jison`, lexer and grammar.
//!
//! The lexer keeps a stack of states: `x-axis`/`y-axis` read numbers and `-->` until
//! the line ends, `[` inside them reads band names, `line`/`bar` read `[numbers]`.
//! Words are runs of letters; digits, `+`, `=`, `*`, `.`, `#`, `_`, `&` and `-` join
//! them into a text, and any other character (`(`, `/`, `é`, ...) is a lexer error.

use super::jison::{is_space, line_at, line_len, lit_i, run};
use super::keywords::{shorten, Header};
use super::prep::Prepared;
use super::MermaidError;

/// What a rule does to the lexer's stack of states.
type Step = super::jison::Step<S>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum T {
    Newline,
    Title,
    AccTitle,
    AccTitleValue,
    AccDescr,
    AccDescrValue,
    AccDescrMulti,
    XyChart,
    Orientation,
    XAxis,
    YAxis,
    Arrow,
    Line,
    Bar,
    SqOpen,
    SqClose,
    Number,
    MdStr,
    Str,
    /// A piece of an unquoted text: letters, digits and the joining symbols.
    Word,
    Colon,
    Comma,
    Semi,
    Eof,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum S {
    Initial,
    Str,
    MdStr,
    AccTitle,
    AccDescr,
    AccDescrMulti,
    AxisData,
    AxisBandData,
    Data,
    DataInner,
}

impl S {
    /// `%x` states see only their own rules; `%s` states also see the unprefixed ones.
    fn inclusive(self) -> bool {
        matches!(
            self,
            S::Initial | S::AxisData | S::AxisBandData | S::Data | S::DataInner
        )
    }
}

#[derive(Clone, Copy)]
struct Tok {
    t: T,
    start: usize,
    end: usize,
}

/// `[+-]?(?:\d+(?:\.\d+)?|\.\d+)`
fn number_len(s: &[u8]) -> Option<usize> {
    let sign = usize::from(matches!(s.first(), Some(b'+' | b'-')));
    let r = &s[sign..];
    let whole = run(r, |c| c.is_ascii_digit());
    if whole > 0 {
        let frac = if r.get(whole) == Some(&b'.') {
            run(&r[whole + 1..], |c| c.is_ascii_digit())
        } else {
            0
        };
        return Some(sign + whole + if frac > 0 { 1 + frac } else { 0 });
    }
    if r.first() == Some(&b'.') {
        let frac = run(&r[1..], |c| c.is_ascii_digit());
        if frac > 0 {
            return Some(sign + 1 + frac);
        }
    }
    None
}

/// One lexer step in `state`: the token (None for skipped text), its length and the
/// stack change; None when no rule matches.
fn step(state: S, s: &[u8]) -> Option<(Option<T>, usize, Step)> {
    let tok = |t: T, n: usize, st: Step| Some((Some(t), n, st));
    match state {
        S::AccTitle => return tok(T::AccTitleValue, line_len(s), Step::Pop),
        S::AccDescr => return tok(T::AccDescrValue, line_len(s), Step::Pop),
        S::AccDescrMulti => {
            if s[0] == b'}' {
                return Some((None, 1, Step::Pop));
            }
            return tok(T::AccDescrMulti, run(s, |c| c != b'}'), Step::Stay);
        }
        S::MdStr => {
            if s.starts_with(b"`\"") {
                return Some((None, 2, Step::Pop));
            }
            let mut k = 0;
            while k < s.len() && s[k] != b'\n' && s[k] != b'\r' && !s[k..].starts_with(b"`\"") {
                k += 1;
            }
            return (k > 0).then_some((Some(T::MdStr), k, Step::Stay));
        }
        S::Str => {
            if s[0] == b'"' {
                return Some((None, 1, Step::Pop));
            }
            return tok(T::Str, run(s, |c| c != b'"'), Step::Stay);
        }
        _ => {}
    }
    // Comments: `%%…`, or any character but `}` followed by `%%…`.
    if s.starts_with(b"%%") && s.get(2) != Some(&b'{') {
        return Some((None, line_len(s), Step::Stay));
    }
    if s[0] != b'}' {
        let first = std::str::from_utf8(&s[..s.len().min(4)])
            .ok()
            .or_else(|| std::str::from_utf8(&s[..1]).ok())
            .and_then(|x| x.chars().next())
            .map_or(1, char::len_utf8);
        if s[first..].starts_with(b"%%") {
            return Some((None, first + line_len(&s[first..]), Step::Stay));
        }
    }
    let newline = match s {
        [b'\n', ..] => Some(1),
        [b'\r', b'\n', ..] => Some(2),
        _ => None,
    };
    if let (Some(n), S::AxisData | S::Data) = (newline, state) {
        return tok(T::Newline, n, Step::Pop);
    }
    let breaks = run(s, |c| matches!(c, b'\n' | b'\r'));
    if breaks > 0 {
        return tok(T::Newline, breaks, Step::Stay);
    }
    if s.starts_with(b"%%") {
        return Some((None, line_len(s), Step::Stay));
    }
    if let Some(n) = lit_i(s, "title") {
        return tok(T::Title, n, Step::Stay);
    }
    for (word, t, then) in [
        ("accTitle", T::AccTitle, S::AccTitle),
        ("accDescr", T::AccDescr, S::AccDescr),
    ] {
        if s.len() >= word.len() && s[..word.len()].eq_ignore_ascii_case(word.as_bytes()) {
            let k = word.len() + run(&s[word.len()..], is_space);
            if s.get(k) == Some(&b':') {
                return tok(t, k + 1 + run(&s[k + 1..], is_space), Step::Push(then));
            }
        }
    }
    if s.len() >= 8 && s[..8].eq_ignore_ascii_case(b"accDescr") {
        let k = 8 + run(&s[8..], is_space);
        if s.get(k) == Some(&b'{') {
            let n = k + 1 + run(&s[k + 1..], is_space);
            return Some((None, n, Step::Push(S::AccDescrMulti)));
        }
    }
    for word in ["xychart-beta", "xychart"] {
        if let Some(n) = lit_i(s, word) {
            return tok(T::XyChart, n, Step::Stay);
        }
    }
    for word in ["vertical", "horizontal"] {
        if s.len() >= word.len() && s[..word.len()].eq_ignore_ascii_case(word.as_bytes()) {
            return tok(T::Orientation, word.len(), Step::Stay);
        }
    }
    if let Some(n) = lit_i(s, "x-axis") {
        return tok(T::XAxis, n, Step::Push(S::AxisData));
    }
    if let Some(n) = lit_i(s, "y-axis") {
        return tok(T::YAxis, n, Step::Push(S::AxisData));
    }
    if state == S::AxisData {
        if s[0] == b'[' {
            return tok(T::SqOpen, 1, Step::Push(S::AxisBandData));
        }
        if s.starts_with(b"-->") {
            return tok(T::Arrow, 3, Step::Stay);
        }
    }
    if let Some(n) = lit_i(s, "line") {
        return tok(T::Line, n, Step::Push(S::Data));
    }
    if let Some(n) = lit_i(s, "bar") {
        return tok(T::Bar, n, Step::Push(S::Data));
    }
    if state == S::Data && s[0] == b'[' {
        return tok(T::SqOpen, 1, Step::Push(S::DataInner));
    }
    if matches!(state, S::AxisData | S::DataInner) {
        if let Some(n) = number_len(s) {
            return tok(T::Number, n, Step::Stay);
        }
    }
    if matches!(state, S::DataInner | S::AxisBandData) && s[0] == b']' {
        return tok(T::SqClose, 1, Step::Pop);
    }
    if s.starts_with(b"\"`") {
        return Some((None, 2, Step::Push(S::MdStr)));
    }
    if s[0] == b'"' {
        return Some((None, 1, Step::Push(S::Str)));
    }
    let t = match s[0] {
        b'[' => T::SqOpen,
        b']' => T::SqClose,
        b':' => T::Colon,
        b',' => T::Comma,
        b';' => T::Semi,
        b'+' | b'=' | b'*' | b'#' | b'_' | b'.' | b'&' | b'-' => T::Word,
        c if c.is_ascii_alphanumeric() => {
            let n = if c.is_ascii_digit() {
                run(s, |c| c.is_ascii_digit())
            } else {
                run(s, |c| c.is_ascii_alphabetic())
            };
            return tok(T::Word, n, Step::Stay);
        }
        c if is_space(c) => return Some((None, run(s, is_space), Step::Stay)),
        _ => return None,
    };
    tok(t, 1, Step::Stay)
}

fn lex(text: &str, first_line: usize) -> Result<Vec<Tok>, MermaidError> {
    let b = text.as_bytes();
    let mut stack = vec![S::Initial];
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < b.len() {
        let state = *stack.last().unwrap_or(&S::Initial);
        let Some((t, n, st)) = step(state, &b[pos..]) else {
            let c = text[pos..].chars().next().unwrap_or(' ');
            let hint = if state.inclusive() {
                "; quote a label that holds it, as in `\"Revenue (k$)\"`"
            } else {
                ""
            };
            return Err(MermaidError::new(
                line_at(text, pos, first_line),
                format!("xychart cannot read `{c}`{hint}"),
            ));
        };
        if let Some(t) = t {
            out.push(Tok {
                t,
                start: pos,
                end: pos + n,
            });
        }
        st.apply(&mut stack);
        // An empty match that leaves the state as it was would never end.
        pos += if n == 0 && matches!(st, Step::Stay) {
            1
        } else {
            n
        };
    }
    if matches!(stack.last(), Some(S::Str | S::MdStr)) {
        let open = out.last().map_or(0, |t| t.start);
        return Err(MermaidError::new(
            line_at(text, open, first_line),
            "a quoted label is never closed with `\"`".to_string(),
        ));
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

impl P<'_> {
    fn peek(&self) -> T {
        self.toks.get(self.at).map_or(T::Eof, |t| t.t)
    }

    fn bump(&mut self) {
        self.at += 1;
    }

    fn fail<X>(&self, what: &str) -> Result<X, MermaidError> {
        let t = self.toks[self.at.min(self.toks.len() - 1)];
        let found = match t.t {
            T::Eof => "the end of the diagram".to_string(),
            T::Newline => "the end of the line".to_string(),
            _ => format!("`{}`", shorten(&self.text[t.start..t.end])),
        };
        Err(MermaidError::new(
            line_at(self.text, t.start, self.first_line),
            format!("{what}, found {found}"),
        ))
    }

    fn is_eol(t: T) -> bool {
        matches!(t, T::Newline | T::Semi | T::Eof)
    }

    /// `text`: a quoted string, or a run of words.
    fn text(&mut self) -> bool {
        match self.peek() {
            T::Str | T::MdStr => {
                self.bump();
                true
            }
            T::Word => {
                while self.peek() == T::Word {
                    self.bump();
                }
                true
            }
            _ => false,
        }
    }

    fn numbers(&mut self, what: &str) -> Result<(), MermaidError> {
        if self.peek() != T::SqOpen {
            return self.fail(&format!(
                "{what} needs its values in `[…]`, as in `[12, 30, 45]`"
            ));
        }
        self.bump();
        loop {
            if self.peek() != T::Number {
                return self.fail("the values in `[…]` are numbers separated by `,`");
            }
            self.bump();
            match self.peek() {
                T::Comma => self.bump(),
                T::SqClose => {
                    self.bump();
                    return Ok(());
                }
                _ => {
                    return self
                        .fail("the values in `[…]` are separated by `,` and closed with `]`")
                }
            }
        }
    }

    fn range(&mut self, axis: &str) -> Result<(), MermaidError> {
        self.bump();
        if self.peek() != T::Arrow {
            return self.fail(&format!("an `{axis}` range is written `min --> max`"));
        }
        self.bump();
        if self.peek() != T::Number {
            return self.fail(&format!("an `{axis}` range is written `min --> max`"));
        }
        self.bump();
        Ok(())
    }

    fn axis(&mut self, axis: &str, bands: bool) -> Result<(), MermaidError> {
        self.bump();
        let titled = self.text();
        match self.peek() {
            T::Number => self.range(axis),
            T::SqOpen if bands => {
                self.bump();
                loop {
                    if !self.text() {
                        return self.fail("`x-axis [ … ]` lists category names separated by `,`");
                    }
                    match self.peek() {
                        T::Comma => self.bump(),
                        T::SqClose => {
                            self.bump();
                            return Ok(());
                        }
                        _ => {
                            return self
                                .fail("category names are separated by `,` and closed with `]`")
                        }
                    }
                }
            }
            _ if titled => Ok(()),
            _ => self.fail(&format!(
                "`{axis}` takes a title, {}`min --> max`",
                if bands { "`[categories]` or " } else { "" }
            )),
        }
    }

    fn statement(&mut self) -> Result<(), MermaidError> {
        match self.peek() {
            T::Title => {
                self.bump();
                if !self.text() {
                    return self.fail("`title` needs a text");
                }
                Ok(())
            }
            T::XAxis => self.axis("x-axis", true),
            T::YAxis => self.axis("y-axis", false),
            T::Line | T::Bar => {
                let what = if self.peek() == T::Line {
                    "`line`"
                } else {
                    "`bar`"
                };
                self.bump();
                self.text();
                self.numbers(what)
            }
            T::AccTitle | T::AccDescr => {
                self.bump();
                self.bump();
                Ok(())
            }
            T::AccDescrMulti => {
                self.bump();
                Ok(())
            }
            T::XyChart => self.fail("`xychart` comes once, before the first statement"),
            _ => self.fail("expected `title`, `x-axis`, `y-axis`, `line` or `bar`"),
        }
    }

    fn parse(&mut self) -> Result<(), MermaidError> {
        loop {
            match self.peek() {
                t if Self::is_eol(t) && t != T::Eof => self.bump(),
                T::XyChart => {
                    self.bump();
                    if self.peek() == T::Orientation {
                        self.bump();
                    }
                }
                _ => break,
            }
        }
        loop {
            if self.peek() == T::Eof {
                return Ok(());
            }
            self.statement()?;
            while Self::is_eol(self.peek()) && self.peek() != T::Eof {
                self.bump();
            }
        }
    }
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
