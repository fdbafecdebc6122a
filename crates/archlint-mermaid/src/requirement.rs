//! requirementDiagram: a port of Mermaid's `requirementDiagram.jison`, lexer and
//! grammar.
//!
//! The lexer is case-insensitive and first-match: the keywords (`id`, `text`,
//! `test`, `high`, `contains`, ...) are tokens wherever a word starts, so a text
//! that begins with one needs quotes. A name runs to the next `:`, `,`, `{`, `<`,
//! `>`, `-`, `=` or line break. A requirement's `{` must end its line.

use super::jison::{
    direction_at, directions, is_space, is_word, line_at, line_len, lit_i, run, unclosed_descr,
};
use super::keywords::{shorten, Header};
use super::prep::Prepared;
use super::MermaidError;

/// What a rule does to the lexer's stack of states.
type Step = super::jison::Step<S>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum T {
    AccTitle,
    AccDescr,
    AccValue,
    AccDescrMulti,
    Title,
    Direction,
    Newline,
    Eof,
    Rd,
    StructStart,
    StructStop,
    StyleSeparator,
    Colon,
    /// `id`, `text`, `risk`, `verifyMethod`, `type`, `docref`
    Field(&'static str),
    RequirementType,
    Risk,
    Verify,
    Element,
    Relationship,
    Style,
    ClassDef,
    Class,
    ArrowLeft,
    ArrowRight,
    Line,
    QString,
    UnqString,
    Alpha,
    Num,
    Comma,
    /// `:`, `;`, `%`, `-`, `#` inside a style.
    StylePunct,
}

#[derive(Clone, Copy, PartialEq)]
enum S {
    Initial,
    Str,
    Style,
    AccTitle,
    AccDescr,
    AccDescrMulti,
}

#[derive(Clone, Copy)]
struct Tok {
    t: T,
    start: usize,
    end: usize,
}

const KEYWORDS: &[(&str, T)] = &[
    ("id", T::Field("id")),
    ("text", T::Field("text")),
    ("risk", T::Field("risk")),
    ("verifyMethod", T::Field("verifyMethod")),
    ("requirement", T::RequirementType),
    ("functionalRequirement", T::RequirementType),
    ("interfaceRequirement", T::RequirementType),
    ("performanceRequirement", T::RequirementType),
    ("physicalRequirement", T::RequirementType),
    ("designConstraint", T::RequirementType),
    ("low", T::Risk),
    ("medium", T::Risk),
    ("high", T::Risk),
    ("analysis", T::Verify),
    ("demonstration", T::Verify),
    ("inspection", T::Verify),
    ("test", T::Verify),
    ("element", T::Element),
    ("contains", T::Relationship),
    ("copies", T::Relationship),
    ("derives", T::Relationship),
    ("satisfies", T::Relationship),
    ("verifies", T::Relationship),
    ("refines", T::Relationship),
    ("traces", T::Relationship),
    ("type", T::Field("type")),
    ("docref", T::Field("docref")),
];

fn step(state: S, s: &[u8], direction: Option<usize>) -> Option<(Option<T>, usize, Step)> {
    let tok = |t: T, n: usize, st: Step| Some((Some(t), n, st));
    match state {
        S::AccTitle | S::AccDescr => return tok(T::AccValue, line_len(s), Step::Pop),
        S::AccDescrMulti => {
            if s[0] == b'}' {
                return Some((None, 1, Step::Pop));
            }
            return tok(T::AccDescrMulti, run(s, |c| c != b'}'), Step::Stay);
        }
        S::Str => {
            if s[0] == b'"' {
                return Some((None, 1, Step::Pop));
            }
            return tok(T::QString, run(s, |c| c != b'"'), Step::Stay);
        }
        S::Style => {
            let w = run(s, is_word);
            if w > 0 {
                return tok(T::Alpha, w, Step::Stay);
            }
            return match s[0] {
                b':' | b';' | b'%' | b'-' | b'#' => tok(T::StylePunct, 1, Step::Stay),
                b' ' => Some((None, 1, Step::Stay)),
                b'"' => Some((None, 1, Step::Push(S::Str))),
                b'\n' => Some((None, 1, Step::Pop)),
                b',' => tok(T::Comma, 1, Step::Stay),
                _ => None,
            };
        }
        S::Initial => {}
    }
    if s.len() > 6 && s[..5].eq_ignore_ascii_case(b"title") && is_space(s[5]) {
        let n = run(&s[6..], |c| !matches!(c, b'#' | b'\n' | b';'));
        if n > 0 {
            return tok(T::Title, 6 + n, Step::Stay);
        }
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
    if let Some(n) = direction {
        return tok(T::Direction, n, Step::Stay);
    }
    let mut k = 0;
    while s[k..].starts_with(b"\r\n") || s.get(k) == Some(&b'\n') {
        k += if s[k] == b'\r' { 2 } else { 1 };
    }
    if k > 0 {
        return tok(T::Newline, k, Step::Stay);
    }
    let ws = run(s, is_space);
    if ws > 0 {
        return Some((None, ws, Step::Stay));
    }
    if s[0] == b'#' || s.starts_with(b"%%") {
        return Some((None, line_len(s), Step::Stay));
    }
    if let Some(n) = lit_i(s, "requirementDiagram") {
        return tok(T::Rd, n, Step::Stay);
    }
    match s[0] {
        b'{' => return tok(T::StructStart, 1, Step::Stay),
        b'}' => return tok(T::StructStop, 1, Step::Stay),
        b':' if s.starts_with(b":::") => return tok(T::StyleSeparator, 3, Step::Stay),
        b':' => return tok(T::Colon, 1, Step::Stay),
        _ => {}
    }
    for &(word, t) in KEYWORDS {
        if let Some(n) = lit_i(s, word) {
            return tok(t, n, Step::Stay);
        }
    }
    if let Some(n) = lit_i(s, "style") {
        return tok(T::Style, n, Step::Push(S::Style));
    }
    if let Some(n) = lit_i(s, "classDef") {
        return tok(T::ClassDef, n, Step::Push(S::Style));
    }
    if let Some(n) = lit_i(s, "class") {
        return tok(T::Class, n, Step::Push(S::Style));
    }
    if s.starts_with(b"<-") {
        return tok(T::ArrowLeft, 2, Step::Stay);
    }
    if s.starts_with(b"->") {
        return tok(T::ArrowRight, 2, Step::Stay);
    }
    match s[0] {
        b'-' => return tok(T::Line, 1, Step::Stay),
        b'"' => return Some((None, 1, Step::Push(S::Str))),
        _ => {}
    }
    if is_word(s[0]) {
        let n = 1 + run(&s[1..], |c| {
            !matches!(
                c,
                b':' | b',' | b'\r' | b'\n' | b'{' | b'<' | b'>' | b'-' | b'='
            )
        });
        return tok(T::UnqString, n, Step::Stay);
    }
    let digits = run(s, |c| c.is_ascii_digit());
    if digits > 0 {
        return tok(T::Num, digits, Step::Stay);
    }
    if s[0] == b',' {
        return tok(T::Comma, 1, Step::Stay);
    }
    None
}

fn lex(text: &str, first_line: usize) -> Result<Vec<Tok>, MermaidError> {
    let b = text.as_bytes();
    let mut stack = vec![S::Initial];
    let mut out: Vec<Tok> = Vec::new();
    let found = directions(b);
    let mut next_break: Option<usize> = None;
    let mut pos = 0;
    while pos < b.len() {
        let state = *stack.last().unwrap_or(&S::Initial);
        let direction = if state == S::Initial && !found.is_empty() {
            let nb = match next_break {
                Some(nb) if nb >= pos => nb,
                _ => pos + run(&b[pos..], |c| !matches!(c, b'\n' | b'\r')),
            };
            next_break = Some(nb);
            direction_at(&found, pos, nb)
        } else {
            None
        };
        let Some((t, n, st)) = step(state, &b[pos..], direction) else {
            if let Some(q) = out
                .iter()
                .find(|t| t.t == T::QString && text[t.start..t.end].contains('\n'))
            {
                return Err(MermaidError::new(
                    line_at(text, q.start, first_line),
                    "this `\"` is never closed on its line: the string runs on to the next `\"`"
                        .to_string(),
                ));
            }
            let c = text[pos..].chars().next().unwrap_or(' ');
            let place = if state == S::Style {
                "in a `style`, `classDef` or `class` line"
            } else {
                "here"
            };
            return Err(MermaidError::new(
                line_at(text, pos, first_line),
                format!("requirementDiagram cannot read `{c}` {place}"),
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
        pos += if n == 0 && matches!(st, Step::Stay) {
            1
        } else {
            n
        };
    }
    if stack.last() == Some(&S::AccDescrMulti) {
        return Err(unclosed_descr(text, first_line));
    }
    if stack.last() == Some(&S::Str) {
        let open = out.last().map_or(pos, |t| t.start.saturating_sub(1));
        return Err(MermaidError::new(
            line_at(text, open, first_line),
            "a `\"` is never closed".to_string(),
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

    fn bump(&mut self) -> Tok {
        let t = self.toks[self.at.min(self.toks.len() - 1)];
        self.at += 1;
        t
    }

    fn fail<X>(&self, what: &str) -> Result<X, MermaidError> {
        let t = self.toks[self.at.min(self.toks.len() - 1)];
        let found = match t.t {
            T::Eof => "the end of the diagram".to_string(),
            T::Newline => "the end of the line".to_string(),
            _ => format!("`{}`", shorten(self.text[t.start..t.end].trim())),
        };
        Err(MermaidError::new(
            line_at(self.text, t.start, self.first_line),
            format!("{what}, found {found}"),
        ))
    }

    fn expect(&mut self, t: T, what: &str) -> Result<Tok, MermaidError> {
        if self.peek() == t {
            Ok(self.bump())
        } else {
            self.fail(what)
        }
    }

    fn string(&mut self, what: &str) -> Result<(), MermaidError> {
        if matches!(self.peek(), T::UnqString | T::QString) {
            self.bump();
            Ok(())
        } else {
            self.fail(what)
        }
    }

    fn id_list(&mut self, what: &str) -> Result<(), MermaidError> {
        loop {
            if !matches!(self.peek(), T::Alpha | T::UnqString | T::QString) {
                return self.fail(what);
            }
            self.bump();
            if self.peek() != T::Comma {
                return Ok(());
            }
            self.bump();
        }
    }

    fn styles(&mut self, keyword: &str) -> Result<(), MermaidError> {
        let component = |t: T| matches!(t, T::Alpha | T::Num | T::StylePunct);
        loop {
            if !component(self.peek()) {
                return self.fail(&format!("`{keyword}` needs styles such as `fill:#f9f`"));
            }
            while component(self.peek()) {
                self.bump();
            }
            if self.peek() != T::Comma {
                return Ok(());
            }
            self.bump();
        }
    }

    fn line(&self, at: usize) -> usize {
        line_at(self.text, at, self.first_line)
    }

    /// `{` NEWLINE, then `field: value` lines, then `}`.
    fn body(&mut self, what: &str, fields: &[&str]) -> Result<(), MermaidError> {
        if self.peek() == T::StyleSeparator {
            self.bump();
            self.id_list("`:::` needs a class name")?;
        }
        let open = self.expect(T::StructStart, &format!("{what} needs `{{` after its name"))?;
        self.expect(
            T::Newline,
            &format!("nothing may follow the `{{` of {what} on its line"),
        )?;
        loop {
            match self.peek() {
                T::Newline => {
                    self.bump();
                }
                T::StructStop => {
                    self.bump();
                    return Ok(());
                }
                T::Field(f) if fields.contains(&f) => {
                    let field = self.bump();
                    self.expect(T::Colon, &format!("`{f}` is followed by `:`"))?;
                    // A value missing at the end of its line shows up on the next one.
                    if matches!(self.peek(), T::Newline | T::StructStop | T::Eof) {
                        return Err(MermaidError::new(
                            self.line(field.start),
                            format!("`{f}:` has no value"),
                        ));
                    }
                    match f {
                        "risk" => {
                            self.expect(T::Risk, "`risk:` takes `low`, `medium` or `high`")?;
                        }
                        "verifyMethod" => {
                            self.expect(
                                T::Verify,
                                "`verifyMethod:` takes `analysis`, `demonstration`, `inspection` or `test`",
                            )?;
                        }
                        _ => self.string(&format!(
                            "`{f}:` needs a value (quote it when it starts with a keyword such as `test`)"
                        ))?,
                    }
                    self.expect(T::Newline, &format!("`{f}: …` ends its line"))?;
                }
                T::Eof
                | T::RequirementType
                | T::Element
                | T::Style
                | T::ClassDef
                | T::Class
                | T::Direction => return self.unclosed(what, open),
                // A name at a line's start begins a relationship: the body ended.
                T::UnqString | T::QString
                    if self.at > 0 && self.toks[self.at - 1].t == T::Newline =>
                {
                    return self.unclosed(what, open)
                }
                _ => {
                    let list = fields
                        .iter()
                        .map(|f| format!("`{f}:`"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    return self.fail(&format!("inside {what} each line is one of {list}"));
                }
            }
        }
    }

    /// The next statement began inside a body: the `}` belonged on the line after
    /// the body's last line.
    fn unclosed(&self, what: &str, open: Tok) -> Result<(), MermaidError> {
        let last = self.toks[..self.at]
            .iter()
            .rev()
            .find(|t| t.t != T::Newline)
            .map_or(open.start, |t| t.start);
        Err(MermaidError::new(
            self.line(last) + 1,
            format!(
                "{what} opened with `{{` on line {} is never closed with `}}`",
                self.line(open.start) + 1
            ),
        ))
    }

    fn statement(&mut self) -> Result<(), MermaidError> {
        match self.peek() {
            T::Newline | T::Direction | T::AccDescrMulti => {
                self.bump();
            }
            T::AccTitle | T::AccDescr => {
                self.bump();
                self.bump();
            }
            T::RequirementType => {
                self.bump();
                self.string("a requirement needs a name")?;
                self.body("a requirement", &["id", "text", "risk", "verifyMethod"])?;
            }
            T::Element => {
                self.bump();
                self.string("an element needs a name")?;
                self.body("an element", &["type", "docref"])?;
            }
            T::Style | T::ClassDef => {
                let kw = if self.peek() == T::Style { "style" } else { "classDef" };
                self.bump();
                self.id_list(&format!("`{kw}` needs a name"))?;
                self.styles(kw)?;
            }
            T::Class => {
                self.bump();
                self.id_list("`class` needs the names it styles")?;
                self.id_list("`class` needs a class name after the names")?;
            }
            T::UnqString | T::QString => {
                self.bump();
                match self.peek() {
                    T::StyleSeparator => {
                        self.bump();
                        self.id_list("`:::` needs a class name")?;
                    }
                    T::ArrowLeft => {
                        self.bump();
                        self.expect(T::Relationship, "a relationship is written `a - satisfies -> b` or `a <- satisfies - b`")?;
                        self.expect(T::Line, "a relationship `<- type` continues with `-`")?;
                        self.string("a relationship needs a second name")?;
                    }
                    T::Line => {
                        self.bump();
                        self.expect(T::Relationship, "a relationship is written `a - satisfies -> b` (the type is one of contains, copies, derives, satisfies, verifies, refines, traces)")?;
                        self.expect(T::ArrowRight, "a relationship `- type` continues with `->`")?;
                        self.string("a relationship needs a second name")?;
                    }
                    _ => {
                        return self.fail("a name starts a relationship (`a - satisfies -> b`) or a class (`a:::cls`)")
                    }
                }
            }
            T::Title => return self.fail("requirementDiagram has no `title` statement"),
            _ => {
                return self.fail(
                    "expected a requirement, an `element`, a relationship or a `style`/`classDef`/`class` line",
                )
            }
        }
        Ok(())
    }

    fn parse(&mut self) -> Result<(), MermaidError> {
        loop {
            match self.peek() {
                T::AccTitle | T::AccDescr => {
                    self.bump();
                    self.bump();
                }
                T::AccDescrMulti => {
                    self.bump();
                }
                _ => break,
            }
            if self.peek() == T::Newline {
                self.bump();
            }
        }
        self.expect(T::Rd, "expected `requirementDiagram`")?;
        self.expect(T::Newline, "`requirementDiagram` stands alone on its line")?;
        while self.peek() != T::Eof {
            self.statement()?;
        }
        Ok(())
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
