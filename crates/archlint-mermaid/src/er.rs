//! erDiagram: a port of Mermaid's `erDiagram.jison`, lexer and grammar.
//!
//! The lexer is case-insensitive and first-match, so cardinality words (`one`,
//! `many`, `to`, `only one`, ...) are keywords wherever a token starts, an entity
//! named `u` before `-` is the parent marker, and a line that mentions
//! `direction LR` anywhere is a direction statement. Line breaks separate nothing:
//! the grammar is a sequence of statements.

use super::jison::{
    direction_at, directions, is_space, is_word, line_at, lit, lit_i, run, unclosed_descr,
};
use super::keywords::{shorten, Header};
use super::prep::Prepared;
use super::MermaidError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum T {
    AccTitle,
    AccTitleValue,
    AccDescr,
    AccDescrValue,
    AccDescrMulti,
    Direction,
    Newline,
    EntityName,
    Word,
    ErDiagram,
    BlockStart,
    BlockStop,
    Brkt,
    Comma,
    StyleSeparator,
    Colon,
    Sqs,
    Sqe,
    Style,
    ClassDef,
    Class,
    Cardinality,
    Relationship,
    DecimalNum,
    EntityOne,
    Num,
    UnicodeText,
    AttributeKey,
    AttributeWord,
    Comment,
    StyleText,
    Semi,
    Char(u8),
    Eof,
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    Initial,
    Block,
    AccTitle,
    AccDescr,
    AccDescrMulti,
    Style,
}

#[derive(Clone, Copy)]
struct Tok {
    t: T,
    start: usize,
    end: usize,
}

fn line_end(s: &[u8]) -> usize {
    s.iter().position(|&c| c == b'\n').unwrap_or(s.len())
}

/// `[^\x00-\x7F]|\w|\-|\*` (plus `.` for the initial state's UNICODE_TEXT).
fn unicode_text_len(s: &[u8], dot: bool) -> usize {
    run(s, |c| {
        c >= 0x80 || is_word(c) || c == b'-' || c == b'*' || (dot && c == b'.')
    })
}

/// Cardinality and relationship rules, in the lexer's order.
fn relation_token(s: &[u8]) -> Option<(T, usize)> {
    use T::{Cardinality as C, Relationship as R};
    const WORDS: [(&str, T); 16] = [
        ("one or zero", C),
        ("one or more", C),
        ("one or many", C),
        ("1+", C),
        ("|o", C),
        ("zero or one", C),
        ("zero or more", C),
        ("zero or many", C),
        ("0+", C),
        ("}o", C),
        ("many(0)", C),
        ("many(1)", C),
        ("many", C),
        ("}|", C),
        ("one", C),
        ("only one", C),
    ];
    for (w, t) in WORDS {
        if let Some(n) = lit_i(s, w) {
            return Some((t, n));
        }
    }
    let digits = run(s, |c| c.is_ascii_digit());
    if digits > 0 && s.get(digits) == Some(&b'.') {
        let frac = run(&s[digits + 1..], |c| c.is_ascii_digit());
        if frac > 0 {
            return Some((T::DecimalNum, digits + 1 + frac));
        }
    }
    if s.first() == Some(&b'1') {
        let ws = run(&s[1..], is_space);
        let next = s.get(1 + ws).copied();
        let word_next = ws > 0
            && next.is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, b'_' | b'"' | b'\''));
        let digit_next = ws > 0 && next.is_some_and(|c| c.is_ascii_digit());
        let rel_next = ["--", "..", ".-", "-."]
            .iter()
            .any(|r| s[1..].starts_with(r.as_bytes()));
        if word_next || digit_next || rel_next {
            return Some((C, 1));
        }
        if lit(s, "1").is_some() {
            return Some((T::EntityOne, 1));
        }
    }
    if digits > 0 {
        return Some((T::Num, digits));
    }
    for (w, t) in [("||", C), ("o|", C), ("o{", C), ("|{", C)] {
        if let Some(n) = lit_i(s, w) {
            return Some((t, n));
        }
    }
    if matches!(s.first(), Some(b'u' | b'U')) && matches!(s.get(1), Some(b'.' | b'-' | b'|')) {
        return Some((C, 1));
    }
    for (w, t) in [
        ("..", R),
        ("--", R),
        ("to", R),
        ("optionally to", R),
        (".-", R),
        ("-.", R),
    ] {
        if let Some(n) = lit_i(s, w) {
            return Some((t, n));
        }
    }
    None
}

/// The token at the start of `s` in `state`, its length and the next state; None
/// when no rule matches (a lexer error). Hidden text gives `None` as the token.
fn next(state: State, s: &[u8], direction: Option<usize>) -> Option<(Option<T>, usize, State)> {
    use State as S;
    match state {
        S::AccTitle => Some((Some(T::AccTitleValue), line_end(s), S::Initial)),
        S::AccDescr => Some((Some(T::AccDescrValue), line_end(s), S::Initial)),
        S::AccDescrMulti => match s.first() {
            Some(b'}') => Some((None, 1, S::Initial)),
            _ => {
                let n = s.iter().position(|&c| c == b'}').unwrap_or(s.len());
                Some((Some(T::AccDescrMulti), n, S::AccDescrMulti))
            }
        },
        S::Block => {
            let ws = run(s, is_space);
            if ws > 0 {
                return Some((None, ws, S::Block));
            }
            for key in ["pk", "fk", "uk"] {
                if is_word(s[0]) && lit_i(s, key).is_some() {
                    return Some((Some(T::AttributeKey), 2, S::Block));
                }
            }
            let non_space = run(s, |c| !is_space(c));
            if let Some(first) = s[..non_space].iter().position(|&c| c == b'~') {
                let end = line_end(s);
                let dot_end = s[..end].iter().position(|&c| c == b'\r').unwrap_or(end);
                if let Some(last) = s[first + 1..dot_end].iter().rposition(|&c| c == b'~') {
                    let last = first + 1 + last;
                    let n = last + 1 + run(&s[last + 1..], |c| !is_space(c));
                    return Some((Some(T::AttributeWord), n, S::Block));
                }
            }
            let c = s[0];
            if c == b'*' || c == b'_' || c.is_ascii_alphabetic() || c >= 0xC3 {
                let n = run(s, |c| {
                    c.is_ascii_alphanumeric()
                        || matches!(c, b'-' | b'_' | b'[' | b']' | b'(' | b')' | b'*')
                        || c >= 0x80
                });
                return Some((Some(T::AttributeWord), n, S::Block));
            }
            if c == b'"' {
                if let Some(k) = s[1..].iter().position(|&c| c == b'"') {
                    return Some((Some(T::Comment), k + 2, S::Block));
                }
            }
            if c == b'}' {
                return Some((Some(T::BlockStop), 1, S::Initial));
            }
            let n = std::str::from_utf8(&s[..s.len().min(4)])
                .ok()
                .and_then(|x| x.chars().next())
                .map_or(1, char::len_utf8);
            Some((Some(T::Char(c)), n, S::Block))
        }
        S::Style => {
            let nl = run(s, |c| c == b'\n');
            if nl > 0 {
                return Some((Some(T::Newline), nl, S::Initial));
            }
            let ws = run(s, is_space);
            if ws > 0 {
                return Some((None, ws, S::Style));
            }
            let t = match s[0] {
                b':' => T::Colon,
                b',' => T::Comma,
                b'#' => T::Brkt,
                b';' => T::Semi,
                _ => {
                    let n = unicode_text_len(s, false);
                    return (n > 0).then_some((Some(T::StyleText), n, S::Style));
                }
            };
            Some((Some(t), 1, S::Style))
        }
        S::Initial => initial(s, direction),
    }
}

fn initial(s: &[u8], direction: Option<usize>) -> Option<(Option<T>, usize, State)> {
    use State as S;
    let tok = |t: T, n: usize| Some((Some(t), n, S::Initial));
    for (word, t, then) in [
        ("accTitle", T::AccTitle, S::AccTitle),
        ("accDescr", T::AccDescr, S::AccDescr),
    ] {
        if s.len() >= word.len() && s[..word.len()].eq_ignore_ascii_case(word.as_bytes()) {
            let k = word.len() + run(&s[word.len()..], is_space);
            if s.get(k) == Some(&b':') {
                let n = k + 1 + run(&s[k + 1..], is_space);
                return Some((Some(t), n, then));
            }
        }
    }
    if s.len() >= 8 && s[..8].eq_ignore_ascii_case(b"accDescr") {
        let k = 8 + run(&s[8..], is_space);
        if s.get(k) == Some(&b'{') {
            let n = k + 1 + run(&s[k + 1..], is_space);
            return Some((None, n, S::AccDescrMulti));
        }
    }
    if let Some(n) = direction {
        return tok(T::Direction, n);
    }
    let nl = run(s, |c| c == b'\n');
    if nl > 0 {
        return tok(T::Newline, nl);
    }
    let ws = run(s, is_space);
    if ws > 0 {
        return Some((None, ws, S::Initial));
    }
    if s[0] == b'"' {
        let body = run(&s[1..], |c| {
            !matches!(c, b'"' | b'%' | b'\r' | b'\n' | 0x0b | 0x08 | b'\\')
        });
        if body > 0 && s.get(1 + body) == Some(&b'"') {
            return tok(T::EntityName, body + 2);
        }
        if let Some(k) = s[1..].iter().position(|&c| c == b'"') {
            return tok(T::Word, k + 2);
        }
    }
    if let Some(n) = lit_i(s, "erDiagram") {
        return tok(T::ErDiagram, n);
    }
    match s[0] {
        b'{' => return Some((Some(T::BlockStart), 1, S::Block)),
        b'#' => return tok(T::Brkt, 1),
        b',' => return tok(T::Comma, 1),
        b':' if s.starts_with(b":::") => return tok(T::StyleSeparator, 3),
        b':' => return tok(T::Colon, 1),
        b'[' => return tok(T::Sqs, 1),
        b']' => return tok(T::Sqe, 1),
        _ => {}
    }
    if let Some(n) = lit_i(s, "style") {
        return Some((Some(T::Style), n, S::Style));
    }
    if let Some(n) = lit_i(s, "classDef") {
        return Some((Some(T::ClassDef), n, S::Style));
    }
    if let Some(n) = lit_i(s, "class") {
        return tok(T::Class, n);
    }
    if let Some((t, n)) = relation_token(s) {
        return tok(t, n);
    }
    let n = unicode_text_len(s, true);
    if n > 0 {
        return tok(T::UnicodeText, n);
    }
    let n = std::str::from_utf8(&s[..s.len().min(4)])
        .ok()
        .and_then(|x| x.chars().next())
        .map_or(1, char::len_utf8);
    tok(T::Char(s[0]), n)
}

fn lex(text: &str, first_line: usize) -> Result<Vec<Tok>, MermaidError> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut state = State::Initial;
    let found = directions(b);
    let mut next_break: Option<usize> = None;
    let mut pos = 0;
    while pos < b.len() {
        let direction = if state == State::Initial && !found.is_empty() {
            let nb = match next_break {
                Some(nb) if nb >= pos => nb,
                _ => pos + run(&b[pos..], |c| !matches!(c, b'\n' | b'\r')),
            };
            next_break = Some(nb);
            direction_at(&found, pos, nb)
        } else {
            None
        };
        let Some((t, n, then)) = next(state, &b[pos..], direction) else {
            let c = text[pos..].chars().next().unwrap_or(' ');
            return Err(MermaidError::new(
                line_at(text, pos, first_line),
                format!("unexpected `{c}` in a `style` or `classDef` line; styles are written `fill:#f96,stroke:#333`"),
            ));
        };
        if let Some(t) = t {
            out.push(Tok {
                t,
                start: pos,
                end: pos + n,
            });
        }
        // An empty match that leaves the state as it was would never end.
        pos += if n == 0 && then == state { 1 } else { n };
        state = then;
    }
    if state == State::AccDescrMulti {
        return Err(unclosed_descr(text, first_line));
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
        self.toks[self.at.min(self.toks.len() - 1)].t
    }

    fn bump(&mut self) -> Tok {
        let t = self.toks[self.at.min(self.toks.len() - 1)];
        self.at += 1;
        t
    }

    fn line(&self) -> usize {
        let t = self.toks[self.at.min(self.toks.len() - 1)];
        line_at(self.text, t.start, self.first_line)
    }

    fn found(&self) -> String {
        let t = self.toks[self.at.min(self.toks.len() - 1)];
        match t.t {
            T::Eof => "the end of the diagram".into(),
            T::Newline => "the end of the line".into(),
            _ => format!("`{}`", shorten(&self.text[t.start..t.end])),
        }
    }

    fn fail<X>(&self, what: &str) -> Result<X, MermaidError> {
        Err(MermaidError::new(
            self.line(),
            format!("{what}, found {}", self.found()),
        ))
    }

    fn is_entity(t: T) -> bool {
        matches!(
            t,
            T::EntityName | T::UnicodeText | T::Num | T::DecimalNum | T::EntityOne
        )
    }

    fn entity(&mut self, what: &str) -> Result<(), MermaidError> {
        if Self::is_entity(self.peek()) {
            self.bump();
            Ok(())
        } else {
            self.fail(what)
        }
    }

    /// `idList` in the initial state: names separated by `,`.
    fn id_list(&mut self, what: &str) -> Result<(), MermaidError> {
        loop {
            if !matches!(self.peek(), T::UnicodeText | T::StyleText) {
                return self.fail(what);
            }
            self.bump();
            if self.peek() != T::Comma {
                return Ok(());
            }
            self.bump();
        }
    }

    /// `idList stylesOpt separator` of `classDef` and `style` (the style state).
    fn styles(&mut self, keyword: &str) -> Result<(), MermaidError> {
        self.id_list(&format!("`{keyword}` needs a name"))?;
        let component = |t: T| matches!(t, T::StyleText | T::Num | T::Colon | T::Brkt);
        loop {
            if !component(self.peek()) {
                return self.fail(&format!("`{keyword}` needs styles such as `fill:#f96`"));
            }
            while component(self.peek()) {
                self.bump();
            }
            if self.peek() != T::Comma {
                break;
            }
            self.bump();
        }
        match self.peek() {
            T::Semi | T::Newline | T::Eof => {
                self.bump();
                Ok(())
            }
            _ => self.fail(&format!("a `{keyword}` line ends after its styles")),
        }
    }

    fn class_selector(&mut self) -> Result<bool, MermaidError> {
        if self.peek() != T::StyleSeparator {
            return Ok(false);
        }
        self.bump();
        self.id_list("`:::` needs a class name")?;
        Ok(true)
    }

    /// A fault inside an attribute block. Line breaks mean nothing there, so an
    /// attribute that lost its name takes the next line's type as its name and the
    /// error surfaces later: `split` is the first attribute whose type and name were
    /// on different lines, the line to fix.
    fn attribute_fail<X>(&self, split: Option<Tok>, what: &str) -> Result<X, MermaidError> {
        match split {
            Some(t) => Err(MermaidError::new(
                line_at(self.text, t.start, self.first_line),
                format!(
                    "attribute `{}` has no name on its line; an attribute is written `type name`, as in `string email`",
                    shorten(&self.text[t.start..t.end])
                ),
            )),
            None => self.fail(what),
        }
    }

    fn block(&mut self) -> Result<(), MermaidError> {
        let open_at = self.bump().start;
        let mut split: Option<Tok> = None;
        loop {
            match self.peek() {
                T::BlockStop => {
                    self.bump();
                    return Ok(());
                }
                T::Eof => {
                    let open = line_at(self.text, open_at, self.first_line);
                    return Err(MermaidError::new(
                        open,
                        format!("the attribute block opened with `{{` on line {} is never closed with `}}`", open + 1),
                    ));
                }
                T::AttributeWord => {
                    let ty = self.bump();
                    if self.peek() != T::AttributeWord {
                        let next = self.toks[self.at.min(self.toks.len() - 1)].start;
                        let alone = self.text[ty.end..next.max(ty.end)].contains('\n');
                        let at = split.or(alone.then_some(ty));
                        return self.attribute_fail(
                            at,
                            "an attribute is written `type name`, as in `string email`",
                        );
                    }
                    let name = self.bump();
                    if split.is_none() && self.text[ty.end..name.start].contains('\n') {
                        split = Some(ty);
                    }
                    if self.peek() == T::AttributeKey {
                        self.bump();
                        while self.peek() == T::Char(b',') {
                            self.bump();
                            if self.peek() != T::AttributeKey {
                                return self.attribute_fail(
                                    split,
                                    "after `,` an attribute takes another key (`PK`, `FK`, `UK`)",
                                );
                            }
                            self.bump();
                        }
                    }
                    if self.peek() == T::Comment {
                        self.bump();
                    }
                }
                _ => {
                    return self.attribute_fail(
                        split,
                        "an attribute is written `type name [PK|FK|UK] [\"comment\"]`",
                    )
                }
            }
        }
    }

    fn relationship(&mut self) -> Result<(), MermaidError> {
        let start = self.bump().start;
        let bad_relation = |p: &Self| -> Result<(), MermaidError> {
            let end = p.toks[p.at.min(p.toks.len() - 1)].end;
            let text = p.text[start..end.max(start)].trim_end();
            Err(MermaidError::new(
                line_at(p.text, start, p.first_line),
                format!(
                    "`{}` is not a relationship; write cardinality, `--` or `..`, cardinality, as in `||--o{{`",
                    shorten(text)
                ),
            ))
        };
        if self.peek() != T::Relationship {
            return bad_relation(self);
        }
        self.bump();
        if self.peek() != T::Cardinality {
            return bad_relation(self);
        }
        self.bump();
        self.entity("a relationship needs a second entity")?;
        self.class_selector()?;
        if self.peek() != T::Colon {
            return self.fail("a relationship needs `: label` after its second entity");
        }
        self.bump();
        match self.peek() {
            T::Word | T::EntityName | T::UnicodeText => {
                self.bump();
                Ok(())
            }
            _ => self.fail("a relationship's label follows `:` (quote it when it has spaces)"),
        }
    }

    fn entity_statement(&mut self) -> Result<(), MermaidError> {
        self.bump();
        if self.peek() == T::Sqs {
            self.bump();
            self.entity("an alias is written `name[Alias]`")?;
            if self.peek() != T::Sqe {
                return self.fail("an alias `[` is closed with `]`");
            }
            self.bump();
            self.class_selector()?;
            if self.peek() == T::BlockStart {
                self.block()?;
            }
            return Ok(());
        }
        let styled = self.class_selector()?;
        match self.peek() {
            T::Cardinality => self.relationship(),
            T::BlockStart => self.block(),
            T::Relationship if !styled => {
                self.fail("a relationship starts with a cardinality such as `||` or `}o`")
            }
            _ => Ok(()),
        }
    }

    fn document(&mut self) -> Result<(), MermaidError> {
        if self.peek() != T::ErDiagram {
            return self.fail("expected `erDiagram`");
        }
        self.bump();
        loop {
            match self.peek() {
                T::Eof => return Ok(()),
                T::Newline | T::Direction | T::AccDescrMulti => {
                    self.bump();
                }
                T::AccTitle | T::AccDescr => {
                    self.bump();
                    self.bump();
                }
                T::ClassDef => {
                    self.bump();
                    self.styles("classDef")?;
                }
                T::Style => {
                    self.bump();
                    self.styles("style")?;
                }
                T::Class => {
                    self.bump();
                    self.id_list("`class` needs entity names")?;
                    self.id_list("`class` needs a class name after the entities")?;
                }
                t if Self::is_entity(t) => self.entity_statement()?,
                T::Cardinality | T::Relationship => {
                    return self.fail("a relationship needs an entity before its cardinality")
                }
                T::BlockStart => {
                    return self.fail("an attribute block `{` needs an entity name before it")
                }
                T::Word => {
                    return self
                        .fail("an entity name in quotes may not contain `%`, `\\` or line breaks")
                }
                _ => return self.fail("expected an entity, a relationship or a statement"),
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
    let mut parser = P {
        text: &text,
        toks,
        at: 0,
        first_line: header.line,
    };
    parser.document().err()
}
