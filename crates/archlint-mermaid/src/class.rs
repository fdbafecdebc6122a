//! classDiagram: a port of Mermaid's `classDiagram.jison`, lexer and grammar, with
//! the one check its database makes that fails a diagram (a member it takes for a
//! method, having a `)`, but cannot split into a name and parameters).
//!
//! The lexer is case-sensitive and first-match, with a stack of states: `class`
//! reads a class declaration up to its line's end, `{` opens a body read a line
//! at a time as members, `namespace … {` a body of classes and notes. Statements
//! are separated by line breaks; words next to each other join into one name.

use super::flowlex::style_semicolons_removed;
use super::jison::{
    direction_at, directions, is_space, is_too_deep, is_word, line_at, lit, run, too_deep,
    unclosed_descr, MAX_DEPTH,
};
use super::keywords::{shorten, Header};
use super::prep::Prepared;
use super::MermaidError;

/// What a rule does to the lexer's stack of states.
type Step = super::jison::Step<S>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum T {
    Direction,
    AccTitle,
    AccDescr,
    AccValue,
    AccDescrMulti,
    Newline,
    ClassDiagram,
    EdgeState,
    CallbackName,
    CallbackArgs,
    Str,
    Style,
    ClassDef,
    Namespace,
    StructStart,
    StructStop,
    EofInStruct,
    Class,
    OpenInStruct,
    Member,
    CssClass,
    Callback,
    Link,
    Click,
    NoteFor,
    Note,
    AnnotationStart,
    AnnotationEnd,
    Href,
    GenericType,
    BquoteStr,
    LinkTarget,
    /// `<|`, `|>`, `>`, `<`, `*`, `o`, `()`
    RelationType,
    /// `--`, `..`
    LineType,
    Label,
    StyleSeparator,
    Minus,
    Dot,
    Plus,
    Colon,
    Comma,
    Brkt,
    Pct,
    Equals,
    Alpha,
    Sqs,
    Sqe,
    Punctuation,
    UnicodeText,
    Space,
    Eof,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum S {
    Initial,
    Str,
    Bqstring,
    Generic,
    CallbackName,
    CallbackArgs,
    AccTitle,
    AccDescr,
    AccDescrMulti,
    Class,
    ClassBody,
    Namespace,
    NamespaceBody,
}

#[derive(Clone, Copy)]
struct Tok {
    t: T,
    start: usize,
    end: usize,
}

fn newline_run(s: &[u8]) -> Option<usize> {
    // `\s*(\r?\n)+`
    let ws = run(s, is_space);
    let last_nl = s[..ws].iter().rposition(|&c| c == b'\n')?;
    Some(last_nl + 1)
}

fn char_len(s: &[u8]) -> usize {
    std::str::from_utf8(&s[..s.len().min(4)])
        .ok()
        .or_else(|| std::str::from_utf8(&s[..1]).ok())
        .and_then(|x| x.chars().next())
        .map_or(1, char::len_utf8)
}

/// The `<*>` rules, shared by every state that reaches them.
fn any_state(s: &[u8]) -> Option<(T, usize, Step)> {
    let tok = |t: T, n: usize| Some((t, n, Step::Stay));
    for (w, t) in [
        ("cssClass", T::CssClass),
        ("callback", T::Callback),
        ("link", T::Link),
        ("click", T::Click),
        ("note for", T::NoteFor),
        ("note", T::Note),
    ] {
        if let Some(n) = lit(s, w) {
            return tok(t, n);
        }
    }
    if s.starts_with(b"<<") {
        return tok(T::AnnotationStart, 2);
    }
    if s.starts_with(b">>") {
        return tok(T::AnnotationEnd, 2);
    }
    if let Some(n) = lit(s, "href") {
        return tok(T::Href, n);
    }
    match s[0] {
        b'~' => return Some((T::GenericType, 0, Step::Push(S::Generic))),
        b'`' => return Some((T::BquoteStr, 0, Step::Push(S::Bqstring))),
        _ => {}
    }
    for w in ["_self", "_blank", "_parent", "_top"] {
        if let Some(n) = lit(s, w) {
            return tok(T::LinkTarget, n);
        }
    }
    let ws = run(s, is_space);
    let r = &s[ws..];
    if r.starts_with(b"<|") || r.starts_with(b"|>") || r.starts_with(b"()") {
        return tok(T::RelationType, ws + 2);
    }
    if matches!(r.first(), Some(b'>' | b'<' | b'*')) {
        return tok(T::RelationType, ws + 1);
    }
    if r.first() == Some(&b'o') && !r.get(1).is_some_and(|&c| is_word(c)) {
        return tok(T::RelationType, ws + 1);
    }
    if s.starts_with(b"--") || s.starts_with(b"..") {
        return tok(T::LineType, 2);
    }
    if s[0] == b':' {
        let n = run(&s[1..], |c| !matches!(c, b':' | b'\n' | b';'));
        if n > 0 {
            return tok(T::Label, 1 + n);
        }
        if s.starts_with(b":::") {
            return tok(T::StyleSeparator, 3);
        }
    }
    let t = match s[0] {
        b'-' => T::Minus,
        b'.' => T::Dot,
        b'+' => T::Plus,
        _ => T::Eof,
    };
    if t != T::Eof {
        return tok(t, 1);
    }
    None
}

/// The `<*>` rules after the ones only the initial state has (`:`, `,`, `#`).
fn any_state_tail(s: &[u8]) -> Option<(T, usize, Step)> {
    let tok = |t: T, n: usize| Some((t, n, Step::Stay));
    match s[0] {
        b'%' => return tok(T::Pct, 1),
        b'=' => return tok(T::Equals, 1),
        _ => {}
    }
    let w = run(s, is_word);
    if w > 0 {
        return tok(T::Alpha, w);
    }
    match s[0] {
        b'[' => return tok(T::Sqs, 1),
        b']' => return tok(T::Sqe, 1),
        b'!' | b'"' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b',' | b'-' | b'.'
        | b'`' | b'?' | b'\\' | b'/' => return tok(T::Punctuation, 1),
        _ => {}
    }
    if s[0] >= 0x80 {
        let n = char_len(s);
        let c = std::str::from_utf8(&s[..n]).ok()?.chars().next()?;
        if c.is_alphabetic() {
            return tok(T::UnicodeText, n);
        }
        return None;
    }
    if is_space(s[0]) {
        return tok(T::Space, 1);
    }
    None
}

fn step(state: S, s: &[u8], direction: Option<usize>) -> Option<(Option<T>, usize, Step)> {
    let tok = |t: T, n: usize, st: Step| Some((Some(t), n, st));
    let skip = |n: usize, st: Step| Some((None, n, st));
    match state {
        S::AccTitle | S::AccDescr => {
            return tok(T::AccValue, run(s, |c| c != b'\n'), Step::Pop);
        }
        S::AccDescrMulti => {
            if s[0] == b'}' {
                return skip(1, Step::Pop);
            }
            return tok(T::AccDescrMulti, run(s, |c| c != b'}'), Step::Stay);
        }
        S::CallbackName => {
            if s[0] == b'(' {
                let ws = run(&s[1..], is_space);
                if s.get(1 + ws) == Some(&b')') {
                    return skip(2 + ws, Step::Pop);
                }
                return skip(1, Step::Swap(S::CallbackArgs));
            }
            return tok(T::CallbackName, run(s, |c| c != b'('), Step::Stay);
        }
        S::CallbackArgs => {
            if s[0] == b')' {
                return skip(1, Step::Pop);
            }
            return tok(T::CallbackArgs, run(s, |c| c != b')'), Step::Stay);
        }
        S::Str => {
            if s[0] == b'"' {
                return skip(1, Step::Pop);
            }
            return tok(T::Str, run(s, |c| c != b'"'), Step::Stay);
        }
        S::Generic => {
            if s[0] == b'~' {
                return skip(1, Step::Pop);
            }
            return tok(T::GenericType, run(s, |c| c != b'~'), Step::Stay);
        }
        S::Bqstring => {
            if s[0] == b'`' {
                return skip(1, Step::Pop);
            }
            return tok(T::BquoteStr, run(s, |c| c != b'`'), Step::Stay);
        }
        S::ClassBody => {
            return match s[0] {
                b'}' => tok(T::StructStop, 1, Step::Pop),
                _ if s.starts_with(b"[*]") => tok(T::EdgeState, 3, Step::Stay),
                b'{' => tok(T::OpenInStruct, 1, Step::Stay),
                b'\n' => skip(1, Step::Stay),
                _ => tok(
                    T::Member,
                    run(s, |c| !matches!(c, b'{' | b'}' | b'\n')),
                    Step::Stay,
                ),
            };
        }
        _ => {}
    }
    if state == S::Initial {
        if let Some(n) = direction {
            return tok(T::Direction, n, Step::Stay);
        }
        if s.starts_with(b"%%") {
            let mut n = run(s, |c| c != b'\n');
            n += run(&s[n..], |c| c == b'\r' || c == b'\n');
            return skip(n, Step::Stay);
        }
        for (word, t, then) in [
            ("accTitle", T::AccTitle, S::AccTitle),
            ("accDescr", T::AccDescr, S::AccDescr),
        ] {
            if s.starts_with(word.as_bytes()) {
                let k = word.len() + run(&s[word.len()..], is_space);
                if s.get(k) == Some(&b':') {
                    return tok(t, k + 1 + run(&s[k + 1..], is_space), Step::Push(then));
                }
            }
        }
        if s.starts_with(b"accDescr") {
            let k = 8 + run(&s[8..], is_space);
            if s.get(k) == Some(&b'{') {
                return skip(
                    k + 1 + run(&s[k + 1..], is_space),
                    Step::Push(S::AccDescrMulti),
                );
            }
        }
        if let Some(n) = newline_run(s) {
            return tok(T::Newline, n, Step::Stay);
        }
        let ws = run(s, is_space);
        if ws > 0 {
            return skip(ws, Step::Stay);
        }
        for w in ["classDiagram-v2", "classDiagram"] {
            if let Some(n) = lit(s, w) {
                return tok(T::ClassDiagram, n, Step::Stay);
            }
        }
        if s.starts_with(b"[*]") {
            return tok(T::EdgeState, 3, Step::Stay);
        }
        if s.starts_with(b"call") {
            let ws = run(&s[4..], is_space);
            if ws > 0 {
                return skip(4 + ws, Step::Push(S::CallbackName));
            }
        }
    }
    // `<*>["]` comes before the keywords.
    if s[0] == b'"' {
        return skip(1, Step::Push(S::Str));
    }
    if state == S::Initial {
        if let Some(n) = lit(s, "style") {
            return tok(T::Style, n, Step::Stay);
        }
        if let Some(n) = lit(s, "classDef") {
            return tok(T::ClassDef, n, Step::Stay);
        }
    }
    if matches!(state, S::Initial | S::Namespace | S::NamespaceBody) {
        if let Some(n) = lit(s, "namespace") {
            return tok(T::Namespace, n, Step::Push(S::Namespace));
        }
    }
    match state {
        S::Namespace => {
            if let Some(n) = newline_run(s) {
                return tok(T::Newline, n, Step::Pop);
            }
            let ws = run(s, is_space);
            if ws > 0 {
                return skip(ws, Step::Stay);
            }
            match s[0] {
                b'{' => return tok(T::StructStart, 1, Step::Push(S::NamespaceBody)),
                // `}` here pops and is read again by the state below.
                b'}' => return skip(0, Step::Pop),
                _ => {}
            }
        }
        S::NamespaceBody => {
            if s[0] == b'}' {
                return tok(T::StructStop, 1, Step::Pop);
            }
            if let Some(n) = newline_run(s) {
                return tok(T::Newline, n, Step::Stay);
            }
            let ws = run(s, is_space);
            if ws > 0 {
                return skip(ws, Step::Stay);
            }
            if s.starts_with(b"[*]") {
                return tok(T::EdgeState, 3, Step::Stay);
            }
        }
        _ => {}
    }
    if matches!(state, S::Initial | S::NamespaceBody) {
        if let Some(n) = lit(s, "class") {
            return tok(T::Class, n, Step::Push(S::Class));
        }
    }
    if state == S::Class {
        if let Some(n) = newline_run(s) {
            return tok(T::Newline, n, Step::Pop);
        }
        let ws = run(s, is_space);
        if ws > 0 {
            return skip(ws, Step::Stay);
        }
        match s[0] {
            b'}' => return tok(T::StructStop, 1, Step::PopTwice),
            b'{' => return tok(T::StructStart, 1, Step::Push(S::ClassBody)),
            _ => {}
        }
    }
    if let Some((t, n, st)) = any_state(s) {
        return match t {
            T::GenericType | T::BquoteStr if n == 0 => skip(1, st),
            _ => tok(t, n, st),
        };
    }
    if state == S::Initial {
        match s[0] {
            b':' => return tok(T::Colon, 1, Step::Stay),
            b',' => return tok(T::Comma, 1, Step::Stay),
            b'#' => return tok(T::Brkt, 1, Step::Stay),
            _ => {}
        }
    }
    any_state_tail(s).map(|(t, n, st)| (Some(t), n, st))
}

fn lex(text: &str, first_line: usize) -> Result<Vec<Tok>, MermaidError> {
    let b = text.as_bytes();
    let found = directions(b);
    let mut next_break: Option<usize> = None;
    let mut stack = vec![S::Initial];
    let mut out: Vec<Tok> = Vec::new();
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
                .find(|t| t.t == T::Str && text[t.start..t.end].contains('\n'))
            {
                return Err(MermaidError::new(
                    line_at(text, q.start.saturating_sub(1), first_line),
                    "this `\"` is never closed on its line: the string runs on to the next `\"`"
                        .to_string(),
                ));
            }
            let c = text[pos..].chars().next().unwrap_or(' ');
            if c == '}' {
                if let Some(e) = missing_open(text, pos, first_line) {
                    return Err(e);
                }
            }
            let hint = match (state, c) {
                (S::Class, ':') => "; a style class is attached with `:::`",
                (_, ';') => "; statements end at the line's end",
                _ => "",
            };
            return Err(MermaidError::new(
                line_at(text, pos, first_line),
                format!("classDiagram cannot read `{c}` here{hint}"),
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
        if stack.is_empty() {
            return Err(MermaidError::new(
                line_at(text, pos, first_line),
                "`}` closes more than was opened".to_string(),
            ));
        }
        let moved = !matches!(st, Step::Stay);
        pos += if n == 0 && !moved { 1 } else { n };
    }
    let last = *stack.last().unwrap_or(&S::Initial);
    if last == S::AccDescrMulti {
        return Err(unclosed_descr(text, first_line));
    }
    let eof = if matches!(last, S::ClassBody | S::NamespaceBody) {
        T::EofInStruct
    } else {
        T::Eof
    };
    out.push(Tok {
        t: eof,
        start: b.len(),
        end: b.len(),
    });
    Ok(out)
}

/// A `}` that closes nothing most likely lost its `{`: the nearest `class` or
/// `namespace` line above it without one.
fn missing_open(text: &str, pos: usize, first_line: usize) -> Option<MermaidError> {
    let before = &text[..pos];
    // A line that closes two blocks (`} }`) closed one too many.
    let mut at = 0;
    for line in before.split_inclusive('\n') {
        if line.matches('}').count() >= 2 && !line.contains('"') {
            return Some(MermaidError::new(
                line_at(text, at, first_line),
                "this line closes two blocks; one `}` is too many".to_string(),
            ));
        }
        at += line.len();
    }
    let mut end = before.rfind('\n')?;
    while let Some(start) = before[..end].rfind('\n').map(|k| k + 1).or(Some(0)) {
        let line = before[start..end].trim();
        for kw in ["class ", "namespace "] {
            if line.starts_with(kw) && !line.contains('{') {
                return Some(MermaidError::new(
                    line_at(text, start, first_line),
                    format!(
                        "`{}` has no `{{`, so the `}}` on line {} closes nothing",
                        shorten(line),
                        line_at(text, pos, first_line) + 1
                    ),
                ));
            }
        }
        if start == 0 {
            return None;
        }
        end = start - 1;
    }
    None
}

struct P<'a> {
    text: &'a str,
    toks: Vec<Tok>,
    at: usize,
    first_line: usize,
    /// Nesting of namespaces; past [`MAX_DEPTH`] the check gives up.
    depth: usize,
}

fn is_alnum(t: T) -> bool {
    matches!(t, T::UnicodeText | T::Alpha | T::Minus)
}

impl P<'_> {
    fn peek(&self) -> T {
        self.toks.get(self.at).map_or(T::Eof, |t| t.t)
    }

    fn peek_at(&self, k: usize) -> T {
        self.toks.get(self.at + k).map_or(T::Eof, |t| t.t)
    }

    fn bump(&mut self) -> Tok {
        let t = self.toks[self.at.min(self.toks.len() - 1)];
        self.at += 1;
        t
    }

    fn line(&self, at: usize) -> usize {
        line_at(self.text, at, self.first_line)
    }

    fn slice(&self, t: &Tok) -> &str {
        &self.text[t.start..t.end]
    }

    /// The line after the last one that holds anything: where a missing `}` goes.
    fn after_last_line(&self) -> usize {
        let end = self.text.trim_end().len();
        self.line(end.saturating_sub(1)) + 1
    }

    fn fail<X>(&self, what: &str) -> Result<X, MermaidError> {
        // A quoted string that ran over a line break lost its closing quote there.
        if let Some(q) = self.toks[..self.at.min(self.toks.len())]
            .iter()
            .find(|t| t.t == T::Str && self.slice(t).contains('\n'))
        {
            return Err(MermaidError::new(
                self.line(q.start),
                "this `\"` is never closed on its line: the string runs on to the next `\"`"
                    .to_string(),
            ));
        }
        let t = self.toks[self.at.min(self.toks.len() - 1)];
        let line_start = self.text[..t.start].rfind('\n').map_or(0, |k| k + 1);
        let line_end = self.text[t.start..]
            .find('\n')
            .map_or(self.text.len(), |k| t.start + k);
        if self.text[line_start..line_end].matches('"').count() % 2 == 1 {
            return Err(MermaidError::new(
                self.line(t.start),
                "a `\"` on this line has no partner; quotes come in pairs".to_string(),
            ));
        }
        let found = match t.t {
            T::Eof | T::EofInStruct => "the end of the diagram".to_string(),
            T::Newline => "the end of the line".to_string(),
            _ => format!("`{}`", shorten(self.slice(&t).trim())),
        };
        Err(MermaidError::new(
            self.line(t.start),
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

    fn starts_class_name(&self) -> bool {
        is_alnum(self.peek()) || self.peek() == T::BquoteStr
    }

    /// `className`: words (joined), `.`-separated parts, a back-quoted name, and an
    /// optional `~generic~` at the end. The text it spans.
    fn class_name(&mut self, what: &str) -> Result<(usize, usize), MermaidError> {
        if !self.starts_class_name() {
            return self.fail(what);
        }
        let start = self.toks[self.at].start;
        loop {
            if self.peek() == T::BquoteStr {
                let t = self.bump();
                if self.peek() == T::GenericType {
                    self.bump();
                }
                return Ok((start, t.end));
            }
            let t = self.bump();
            match self.peek() {
                T::GenericType => {
                    self.bump();
                    return Ok((start, t.end));
                }
                T::Dot => {
                    self.bump();
                    if !self.starts_class_name() {
                        return self.fail("a `.` in a class name is followed by more of the name");
                    }
                }
                n if is_alnum(n) || n == T::BquoteStr => {}
                _ => return Ok((start, t.end)),
            }
        }
    }

    fn namespace_name(&mut self) -> Result<(), MermaidError> {
        if !self.starts_class_name() {
            return self.fail("`namespace` needs a name");
        }
        loop {
            if self.peek() == T::BquoteStr {
                self.bump();
                return Ok(());
            }
            self.bump();
            match self.peek() {
                T::Dot => {
                    self.bump();
                    if !self.starts_class_name() {
                        return self
                            .fail("a `.` in a namespace name is followed by more of the name");
                    }
                }
                n if is_alnum(n) || n == T::BquoteStr => {}
                _ => return Ok(()),
            }
        }
    }

    fn class_label(&mut self) -> Result<(), MermaidError> {
        if self.peek() == T::Sqs {
            self.bump();
            self.expect(T::Str, "a class label is written `[\"Label\"]`, in quotes")?;
            self.expect(T::Sqe, "a class label `[\"…\"]` is closed with `]`")?;
        }
        Ok(())
    }

    fn alnum(&mut self, what: &str) -> Result<Tok, MermaidError> {
        if is_alnum(self.peek()) {
            Ok(self.bump())
        } else {
            self.fail(what)
        }
    }

    /// `{ members }` after `class Name`; the members are checked as Mermaid's
    /// database reads them.
    /// A body that ran on (its `}` lost) swallows the statements after it as
    /// members: the `}` belonged after the last member before the first of them.
    fn where_body_ended(&self, open: Tok) -> Option<usize> {
        let members: Vec<&Tok> = self.toks[..self.at.min(self.toks.len())]
            .iter()
            .filter(|t| {
                t.start > open.start && t.t == T::Member && !self.slice(t).trim().is_empty()
            })
            .collect();
        let statement_like = |m: &str| {
            let m = m.trim();
            ["class ", "namespace ", "note ", "<<"]
                .iter()
                .any(|k| m.starts_with(k))
                || [
                    "-->", "<|--", "--|>", "..>", "<..", "*--", "o--", "--*", "--o", " -- ", " .. ",
                ]
                .iter()
                .any(|a| m.contains(a))
        };
        let first = members.iter().position(|m| statement_like(self.slice(m)))?;
        Some(match first {
            0 => self.line(open.start),
            k => self.line(members[k - 1].start) + 1,
        })
    }

    fn class_body(&mut self) -> Result<(), MermaidError> {
        let open = self.bump();
        loop {
            match self.peek() {
                T::StructStop => {
                    self.bump();
                    return Ok(());
                }
                T::Member => {
                    let m = self.bump();
                    broken_method(self.slice(&m), self.line(m.start))?;
                }
                T::EofInStruct | T::Eof | T::OpenInStruct => {
                    let at = self.where_body_ended(open).unwrap_or_else(|| {
                        if self.peek() == T::OpenInStruct {
                            self.line(self.toks[self.at].start)
                        } else {
                            self.after_last_line()
                        }
                    });
                    return Err(MermaidError::new(
                        at,
                        format!(
                            "the body of the class opened with `{{` on line {} is never closed with `}}`",
                            self.line(open.start) + 1
                        ),
                    ));
                }
                _ => return self.fail("a class body holds one member per line"),
            }
        }
    }

    fn class_statement(&mut self) -> Result<(), MermaidError> {
        self.bump();
        self.class_name("`class` needs a class name")?;
        if self.peek() == T::Str {
            return self.fail(
                "a class label is written `[\"Label\"]`; the `[` before the quote is missing",
            );
        }
        self.class_label()?;
        if self.peek() == T::StyleSeparator {
            self.bump();
            self.alnum("`:::` needs a style class name")?;
        } else if self.peek() == T::AnnotationStart {
            self.bump();
            self.alnum("`<<…>>` holds one word, as in `<<interface>>`")?;
            self.expect(
                T::AnnotationEnd,
                "`<<` is closed with `>>`, around one word",
            )?;
        }
        if self.peek() == T::StructStart {
            self.class_body()?;
        }
        Ok(())
    }

    fn note(&mut self) -> Result<(), MermaidError> {
        if self.bump().t == T::NoteFor {
            self.class_name("`note for` needs a class name")?;
        }
        self.expect(T::Str, "a note's text is in quotes, as in `note \"text\"`")?;
        Ok(())
    }

    fn namespace(&mut self) -> Result<(), MermaidError> {
        if self.depth >= MAX_DEPTH {
            return Err(too_deep());
        }
        self.depth += 1;
        let r = self.namespace_inner();
        self.depth -= 1;
        r
    }

    fn namespace_inner(&mut self) -> Result<(), MermaidError> {
        let open = self.bump();
        self.namespace_name()?;
        self.class_label()?;
        self.expect(
            T::StructStart,
            "`namespace Name` is followed by `{` on its line",
        )?;
        if self.peek() == T::Newline {
            self.bump();
        }
        let mut any = false;
        loop {
            match self.peek() {
                T::Class => self.class_statement()?,
                T::Note | T::NoteFor => self.note()?,
                T::Namespace => self.namespace()?,
                T::StructStop if any => {
                    self.bump();
                    return Ok(());
                }
                T::StructStop => {
                    return Err(MermaidError::new(
                        self.line(open.start),
                        "`namespace` block is empty; it needs at least one `class`".to_string(),
                    ))
                }
                T::EofInStruct | T::Eof => {
                    return Err(MermaidError::new(
                        self.after_last_line(),
                        format!(
                            "`namespace` opened on line {} is never closed with `}}`",
                            self.line(open.start) + 1
                        ),
                    ))
                }
                _ => {
                    return self
                        .fail("only `class` declarations, notes and namespaces are allowed inside a `namespace`")
                }
            }
            any = true;
            match self.peek() {
                T::Newline => {
                    self.bump();
                }
                T::StructStop => {}
                _ => return self.fail("each statement in a `namespace` takes its own line"),
            }
        }
    }

    fn relation(&mut self) -> Result<bool, MermaidError> {
        let start = self.at;
        let first = self.peek();
        if first == T::RelationType {
            self.bump();
        }
        if self.peek() == T::LineType {
            self.bump();
            if self.peek() == T::RelationType {
                self.bump();
            }
            return Ok(true);
        }
        if first == T::RelationType {
            self.at = start;
            return self.fail("a relation has a line, `--` or `..`, as in `<|--` or `..>`");
        }
        Ok(false)
    }

    fn styles(&mut self, what: &str) -> Result<(), MermaidError> {
        let component = |t: T| {
            matches!(
                t,
                T::Alpha | T::Colon | T::Space | T::Brkt | T::Style | T::Pct | T::Label
            )
        };
        loop {
            if !component(self.peek()) {
                return self.fail(&format!("`{what}` needs styles such as `fill:#f96`"));
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

    fn click(&mut self) -> Result<(), MermaidError> {
        let kw = self.bump().t;
        self.class_name("a click statement needs a class name")?;
        let str_ = |p: &mut Self| {
            if p.peek() == T::Str {
                p.bump();
                true
            } else {
                false
            }
        };
        match kw {
            T::Callback => {
                if !str_(self) {
                    return self.fail("`callback` needs the function name in quotes");
                }
                str_(self);
            }
            T::Link => {
                if !str_(self) {
                    return self.fail("`link` needs the address in quotes");
                }
                str_(self);
                if self.peek() == T::LinkTarget {
                    self.bump();
                }
            }
            _ => match self.peek() {
                T::CallbackName => {
                    self.bump();
                    if self.peek() == T::CallbackArgs {
                        self.bump();
                    }
                    str_(self);
                }
                T::Href => {
                    self.bump();
                    if !str_(self) {
                        return self.fail("`href` needs the address in quotes");
                    }
                    str_(self);
                    if self.peek() == T::LinkTarget {
                        self.bump();
                    }
                }
                _ => return self.fail("`click` is followed by `call f()` or `href \"…\"`"),
            },
        }
        Ok(())
    }

    fn statement(&mut self) -> Result<(), MermaidError> {
        match self.peek() {
            T::Direction | T::AccDescrMulti => {
                self.bump();
            }
            T::AccTitle | T::AccDescr => {
                self.bump();
                self.bump();
            }
            T::Namespace => self.namespace()?,
            T::Class => self.class_statement()?,
            T::Note | T::NoteFor => self.note()?,
            T::AnnotationStart => {
                self.bump();
                self.alnum("`<<…>>` holds one word, as in `<<interface>>`")?;
                self.expect(
                    T::AnnotationEnd,
                    "`<<` is closed with `>>`, around one word",
                )?;
                self.class_name("an annotation `<<…>>` is followed by the class it marks")?;
            }
            T::Callback | T::Link | T::Click => self.click()?,
            T::Style => {
                self.bump();
                self.expect(T::Alpha, "`style` needs a class name")?;
                self.styles("style")?;
            }
            T::ClassDef => {
                self.bump();
                loop {
                    self.expect(T::Alpha, "`classDef` needs a name")?;
                    if self.peek() != T::Comma || self.peek_at(1) != T::Alpha {
                        break;
                    }
                    self.bump();
                }
                self.styles("classDef")?;
            }
            T::CssClass => {
                self.bump();
                self.expect(
                    T::Str,
                    "`cssClass` needs the class names in quotes, as in `cssClass \"A,B\" styled`",
                )?;
                self.expect(T::Alpha, "`cssClass \"…\"` needs a style class name")?;
            }
            T::Str => {
                return self
                    .fail("a relation starts with a class name, before any `\"cardinality\"`")
            }
            T::RelationType | T::LineType => {
                return self.fail("a relation needs a class before it")
            }
            _ if self.starts_class_name() => {
                self.class_name("expected a class name")?;
                let quoted = self.peek() == T::Str;
                if quoted {
                    self.bump();
                }
                if self.relation()? {
                    if self.peek() == T::Str {
                        self.bump();
                    }
                    self.class_name("a relation needs a class after it")?;
                    if self.peek() == T::Label {
                        self.bump();
                    }
                } else if quoted {
                    return self
                        .fail("a `\"cardinality\"` is followed by a relation such as `-->`");
                } else if self.peek() == T::Label {
                    let l = self.bump();
                    let member = &self.slice(&l)[1..];
                    broken_method(member, self.line(l.start))?;
                }
            }
            _ => {
                return self.fail(
                    "expected a class, a relation, a member (`Class : member`) or a statement",
                )
            }
        }
        Ok(())
    }

    fn parse(&mut self) -> Result<(), MermaidError> {
        self.expect(T::ClassDiagram, "expected `classDiagram`")?;
        self.expect(T::Newline, "`classDiagram` stands alone on its line")?;
        if matches!(self.peek(), T::Eof) {
            return self.fail("a class diagram needs at least one statement");
        }
        loop {
            self.statement()?;
            match self.peek() {
                T::Eof => return Ok(()),
                T::Newline => {
                    self.bump();
                    if self.peek() == T::Eof {
                        return Ok(());
                    }
                }
                _ => return self.fail("each statement takes its own line"),
            }
        }
    }
}

/// A member Mermaid takes for a method (it has a `)` after its first character) but
/// cannot split into name and parameters (no `(` with a name before it and the `)`
/// after it): Mermaid's class database fails on it.
fn broken_method(member: &str, line: usize) -> Result<(), MermaidError> {
    let m = member.trim();
    if m.starts_with("<<") && m.ends_with(">>") {
        return Ok(());
    }
    let Some(last_close) = m.rfind(')').filter(|_| m.find(')').is_some_and(|c| c > 0)) else {
        return Ok(());
    };
    let splits = m
        .char_indices()
        .any(|(i, c)| c == '(' && i >= 1 && last_close > i);
    if splits {
        return Ok(());
    }
    Err(MermaidError::new(
        line,
        format!(
            "member `{}` has a `)` but no `name(` before it; a method is written `name(parameters)`",
            shorten(m)
        ),
    ))
}

pub(super) fn check(p: &Prepared, header: Header) -> Option<MermaidError> {
    let text = p.text_from_header(header);
    let text = style_semicolons_removed(text);
    let toks = match lex(&text, header.line) {
        Ok(t) => t,
        Err(e) => return Some(e),
    };
    P {
        text: &text,
        toks,
        at: 0,
        first_line: header.line,
        depth: 0,
    }
    .parse()
    .err()
    .filter(|e| !is_too_deep(e))
}
