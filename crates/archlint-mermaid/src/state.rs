//! stateDiagram: a port of Mermaid's `stateDiagram.jison`, lexer and grammar.
//!
//! The lexer is case-insensitive and first-match, with a stack of states: `state`
//! reads a composite state's name (or `"description" as id`, or `<<fork>>`), `{`
//! opens a composite body, `note` reads a note, `classDef`, `class` and `style`
//! read the rest of their line. Statements need no separator: `A B` is two states.

use super::flowlex::style_semicolons_removed;
use super::jison::{
    direction_at, directions, is_space, is_too_deep, is_word, line_at, line_len, lit_i, run,
    too_deep, unclosed_descr, MAX_DEPTH,
};
use super::keywords::{shorten, Header};
use super::prep::Prepared;
use super::MermaidError;

/// What a rule does to the lexer's stack of states.
type Step = super::jison::Step<S>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum T {
    Click,
    Href,
    String,
    Default,
    Direction,
    Nl,
    Scale,
    Width,
    AccTitle,
    AccDescr,
    AccValue,
    AccDescrMulti,
    ClassDef,
    DefaultClassDefId,
    ClassDefId,
    ClassDefStyleOpts,
    Class,
    ClassEntityIds,
    StyleClass,
    Style,
    StyleIds,
    StyleDefStyleOpts,
    /// `<<fork>>`, `<<join>>`, `<<choice>>` and their `[[…]]` forms
    Pseudo,
    As,
    Id,
    StateDescr,
    CompositState,
    StructStart,
    StructStop,
    Note,
    NotePosition,
    NoteText,
    Sd,
    HideEmpty,
    EdgeState,
    Descr,
    Arrow,
    Concurrent,
    StyleSeparator,
    Invalid,
    /// `state A B {`: Mermaid throws as it reads it.
    TwoWordState,
    Eof,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum S {
    Initial,
    State,
    StateString,
    StateId,
    Scale,
    AccTitle,
    AccDescr,
    AccDescrMulti,
    ClassDef,
    ClassDefId,
    Class,
    ClassStyle,
    Style,
    StyleDefStyles,
    Note,
    NoteId,
    NoteText,
    FloatingNote,
    FloatingNoteId,
    Struct,
}

#[derive(Clone, Copy)]
struct Tok {
    t: T,
    start: usize,
    end: usize,
}

/// `word\s+` (case-insensitive): the length with the spaces.
fn word_spaced(s: &[u8], word: &str) -> Option<usize> {
    let n = word.len();
    if s.len() <= n || !s[..n].eq_ignore_ascii_case(word.as_bytes()) {
        return None;
    }
    let ws = run(&s[n..], is_space);
    (ws > 0).then_some(n + ws)
}

/// Mermaid's `processId`: an id that starts with `%%` is a comment (skipped); one
/// with `%%` inside ends there. The length the id keeps, or None to skip.
fn process_id(s: &[u8], n: usize) -> Option<usize> {
    match s[..n].windows(2).position(|w| w == b"%%") {
        Some(0) => None,
        Some(k) => Some(k),
        None => Some(n),
    }
}

fn char_len(s: &[u8]) -> usize {
    std::str::from_utf8(&s[..s.len().min(4)])
        .ok()
        .or_else(|| std::str::from_utf8(&s[..1]).ok())
        .and_then(|x| x.chars().next())
        .map_or(1, char::len_utf8)
}

/// `<STATE>.*"<<fork>>"` and friends: the rest of the line up to the last marker.
fn pseudo_len(s: &[u8]) -> Option<usize> {
    let line = &s[..run(s, |c| !matches!(c, b'\n' | b'\r'))];
    [
        "<<fork>>",
        "<<join>>",
        "<<choice>>",
        "[[fork]]",
        "[[join]]",
        "[[choice]]",
    ]
    .iter()
    .find_map(|m| {
        line.windows(m.len())
            .rposition(|w| w.eq_ignore_ascii_case(m.as_bytes()))
            .map(|k| k + m.len())
    })
}

fn step(state: S, s: &[u8], direction: Option<usize>) -> Option<(Option<T>, usize, Step)> {
    let tok = |t: T, n: usize, st: Step| Some((Some(t), n, st));
    let skip = |n: usize, st: Step| Some((None, n, st));
    match state {
        S::AccTitle | S::AccDescr => return tok(T::AccValue, line_len(s), Step::Pop),
        S::AccDescrMulti => {
            if s[0] == b'}' {
                return skip(1, Step::Pop);
            }
            return tok(T::AccDescrMulti, run(s, |c| c != b'}'), Step::Stay);
        }
        S::Scale => {
            let d = run(s, |c| c.is_ascii_digit());
            if d > 0 {
                return tok(T::Width, d, Step::Stay);
            }
            let ws = run(s, is_space);
            if ws > 0 && s.len() >= ws + 5 && s[ws..ws + 5].eq_ignore_ascii_case(b"width") {
                return skip(ws + 5, Step::Pop);
            }
            return None;
        }
        S::ClassDef => {
            if let Some(n) = word_spaced(s, "default") {
                return tok(T::DefaultClassDefId, n, Step::Swap(S::ClassDefId));
            }
            let w = run(s, is_word);
            let ws = run(&s[w..], is_space);
            if w > 0 && ws > 0 {
                return tok(T::ClassDefId, w + ws, Step::Swap(S::ClassDefId));
            }
            return None;
        }
        S::ClassDefId => return tok(T::ClassDefStyleOpts, line_len(s), Step::Pop),
        S::Class => {
            // `(\w+)+((","\s*\w+)*)`
            let mut n = run(s, is_word);
            if n == 0 {
                return None;
            }
            while s.get(n) == Some(&b',') {
                let ws = run(&s[n + 1..], is_space);
                let w = run(&s[n + 1 + ws..], is_word);
                if w == 0 {
                    break;
                }
                n += 1 + ws + w;
            }
            return tok(T::ClassEntityIds, n, Step::Swap(S::ClassStyle));
        }
        S::ClassStyle => return tok(T::StyleClass, line_len(s), Step::Pop),
        S::Style => {
            let n = run(s, |c| is_word(c) || c == b',');
            let ws = run(&s[n..], is_space);
            if n > 0 && ws > 0 {
                return tok(T::StyleIds, n + ws, Step::Swap(S::StyleDefStyles));
            }
            return None;
        }
        S::StyleDefStyles => return tok(T::StyleDefStyleOpts, line_len(s), Step::Pop),
        S::StateString => {
            if s[0] == b'"' {
                return skip(1, Step::Pop);
            }
            return tok(T::StateDescr, run(s, |c| c != b'"'), Step::Stay);
        }
        S::StateId => {
            let n = run(s, |c| c != b'\n' && c != b'{');
            return match process_id(s, n) {
                None => skip(n, Step::Stay),
                Some(k) => tok(T::Id, k, Step::Pop),
            };
        }
        S::Note => {
            for (w, then) in [("left of", S::NoteId), ("right of", S::NoteId)] {
                if s.len() >= w.len() && s[..w.len()].eq_ignore_ascii_case(w.as_bytes()) {
                    return tok(T::NotePosition, w.len(), Step::Swap(then));
                }
            }
            if s[0] == b'"' {
                return skip(1, Step::Swap(S::FloatingNote));
            }
            return None;
        }
        S::FloatingNote => {
            let ws = run(s, is_space);
            if s.len() >= ws + 2 && s[ws..ws + 2].eq_ignore_ascii_case(b"as") {
                let n = ws + 2 + run(&s[ws + 2..], is_space);
                return tok(T::As, n, Step::Swap(S::FloatingNoteId));
            }
            if s[0] == b'"' {
                return skip(1, Step::Stay);
            }
            return tok(T::NoteText, run(s, |c| c != b'"'), Step::Stay);
        }
        S::FloatingNoteId => {
            let n = line_len(s);
            return match process_id(s, n) {
                None => skip(n, Step::Stay),
                Some(k) => tok(T::Id, k, Step::Pop),
            };
        }
        S::NoteId => {
            let ws = run(s, is_space);
            let n = run(&s[ws..], |c| !is_space(c) && c != b':' && c != b'-');
            if n == 0 {
                return None;
            }
            return match process_id(&s[ws..], n) {
                None => skip(ws + n, Step::Stay),
                Some(k) => tok(T::Id, ws + k, Step::Swap(S::NoteText)),
            };
        }
        S::NoteText => {
            let ws = run(s, is_space);
            if s.get(ws) == Some(&b':') {
                let n = run(&s[ws + 1..], |c| !matches!(c, b':' | b'\n' | b';'));
                if n > 0 {
                    return tok(T::NoteText, ws + 1 + n, Step::Pop);
                }
            }
            // `[\s\S]*?\n\s*"end note"`
            let mut k = 0;
            while let Some(nl) = s[k..].iter().position(|&c| c == b'\n') {
                let after = k + nl + 1;
                let ws = run(&s[after..], is_space);
                let end = after + ws + 8;
                if s.len() >= end
                    && s[after + ws..end].eq_ignore_ascii_case(b"end note")
                    && !s.get(end).is_some_and(|&c| is_word(c))
                {
                    return tok(T::NoteText, end, Step::Pop);
                }
                k = after;
            }
            return None;
        }
        _ => {}
    }
    // The states left: Initial, State, Struct.
    let initial = state == S::Initial;
    let in_struct = state == S::Struct;
    if initial {
        if let Some(n) = lit_i(s, "click") {
            return tok(T::Click, n, Step::Stay);
        }
        if let Some(n) = lit_i(s, "href") {
            return tok(T::Href, n, Step::Stay);
        }
        if s[0] == b'"' {
            if let Some(k) = s[1..].iter().position(|&c| c == b'"') {
                return tok(T::String, k + 2, Step::Stay);
            }
        }
        if let Some(n) = lit_i(s, "default") {
            return tok(T::Default, n, Step::Stay);
        }
        if let Some(n) = direction {
            return tok(T::Direction, n, Step::Stay);
        }
        let nl = run(s, |c| c == b'\n');
        if nl > 0 {
            return tok(T::Nl, nl, Step::Stay);
        }
        let ws = run(s, is_space);
        if ws > 0 {
            return skip(ws, Step::Stay);
        }
    }
    if matches!(state, S::State | S::Struct) {
        let ws = run(s, |c| c != b'\n' && is_space(c));
        if ws > 0 {
            return skip(ws, Step::Stay);
        }
    }
    if s[0] == b'#' || (s.starts_with(b"%%") && s.get(2) != Some(&b'{')) {
        return skip(line_len(s), Step::Stay);
    }
    if initial {
        if let Some(n) = word_spaced(s, "scale") {
            return tok(T::Scale, n, Step::Push(S::Scale));
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
                return skip(
                    k + 1 + run(&s[k + 1..], is_space),
                    Step::Push(S::AccDescrMulti),
                );
            }
        }
    }
    if initial || in_struct {
        if let Some(n) = word_spaced(s, "classDef") {
            return tok(T::ClassDef, n, Step::Push(S::ClassDef));
        }
        if let Some(n) = word_spaced(s, "class") {
            return tok(T::Class, n, Step::Push(S::Class));
        }
        if let Some(n) = word_spaced(s, "style") {
            return tok(T::Style, n, Step::Push(S::Style));
        }
        if let Some(n) = word_spaced(s, "state") {
            return skip(n, Step::Push(S::State));
        }
    }
    if state == S::State {
        if let Some(n) = pseudo_len(s) {
            return tok(T::Pseudo, n, Step::Pop);
        }
    }
    if in_struct {
        if let Some(n) = direction {
            return tok(T::Direction, n, Step::Stay);
        }
    }
    if state == S::State {
        if s[0] == b'"' {
            return skip(1, Step::Push(S::StateString));
        }
        let ws = run(s, is_space);
        if s.len() >= ws + 3 && s[ws..ws + 2].eq_ignore_ascii_case(b"as") && is_space(s[ws + 2]) {
            let n = ws + 2 + run(&s[ws + 2..], is_space);
            return tok(T::As, n, Step::Push(S::StateId));
        }
        // Mermaid 11.17 refuses `state Two Words {` (`\w+\s+\w+.*?\{`), even when the
        // second word is on the next line.
        let w1 = run(s, is_word);
        let ws = run(&s[w1..], is_space);
        let w2 = run(&s[w1 + ws..], is_word);
        if w1 > 0 && ws > 0 && w2 > 0 {
            let rest = &s[w1 + ws + w2..];
            if rest[..run(rest, |c| c != b'\n' && c != b'\r')].contains(&b'{') {
                return tok(T::TwoWordState, w1, Step::Stay);
            }
        }
        let n = run(s, |c| !is_space(c) && c != b'{');
        if n > 0 {
            return tok(T::CompositState, n, Step::Stay);
        }
        if s[0] == b'\n' {
            return skip(1, Step::Pop);
        }
    }
    if (initial || state == S::State) && s[0] == b'{' {
        return tok(T::StructStart, 1, Step::Swap(S::Struct));
    }
    if in_struct {
        match s[0] {
            b'}' => return tok(T::StructStop, 1, Step::Pop),
            b'\n' => return skip(1, Step::Stay),
            _ => {}
        }
    }
    if initial || in_struct {
        if let Some(n) = word_spaced(s, "note") {
            return tok(T::Note, n, Step::Push(S::Note));
        }
    }
    if initial {
        for w in ["stateDiagram-v2", "stateDiagram"] {
            if let Some(n) = word_spaced(s, w) {
                return tok(T::Sd, n, Step::Stay);
            }
        }
        let w = "hide empty description";
        if s.len() >= w.len() && s[..w.len()].eq_ignore_ascii_case(w.as_bytes()) {
            return tok(T::HideEmpty, w.len(), Step::Stay);
        }
    }
    if initial || in_struct {
        if s.starts_with(b"[*]") {
            return tok(T::EdgeState, 3, Step::Stay);
        }
        let n = run(s, |c| {
            !matches!(c, b':' | b'\n' | b'-' | b'{') && !is_space(c)
        });
        if n > 0 {
            return match process_id(s, n) {
                None => skip(n, Step::Stay),
                Some(k) => tok(T::Id, k, Step::Stay),
            };
        }
        // `\s*":"(?:[^:\n;]|":"[^:\n;])+`
        let ws = run(s, is_space);
        if s.get(ws) == Some(&b':') {
            let mut k = ws + 1;
            let mut any = false;
            loop {
                match s.get(k) {
                    Some(&c) if !matches!(c, b':' | b'\n' | b';') => k += 1,
                    Some(b':')
                        if s.get(k + 1)
                            .is_some_and(|&c| !matches!(c, b':' | b'\n' | b';')) =>
                    {
                        k += 2
                    }
                    _ => break,
                }
                any = true;
            }
            if any {
                return tok(T::Descr, k, Step::Stay);
            }
        }
        if s.starts_with(b"-->") {
            return tok(T::Arrow, 3, Step::Stay);
        }
    }
    if in_struct && s.starts_with(b"--") {
        return tok(T::Concurrent, 2, Step::Stay);
    }
    if (initial || in_struct) && s.starts_with(b":::") {
        return tok(T::StyleSeparator, 3, Step::Stay);
    }
    if initial {
        return tok(T::Invalid, char_len(s), Step::Stay);
    }
    None
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
        let direction = if matches!(state, S::Initial | S::Struct) && !found.is_empty() {
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
            let c = text[pos..].chars().next().unwrap_or(' ');
            let what = match state {
                S::Note => {
                    "`note` is followed by `left of`, `right of` or a quoted text".to_string()
                }
                S::NoteText => {
                    return Err(MermaidError::new(
                        note_end_line(text, pos, first_line),
                        "a note's text follows `:`, or runs to a line `end note`, which is missing"
                            .to_string(),
                    ))
                }
                S::Struct if c == '-' => {
                    "inside a composite state `-` starts only `-->` or the divider `--`".to_string()
                }
                S::Struct if c == '{' => {
                    "a composite state cannot open another `{` here".to_string()
                }
                _ => format!("stateDiagram cannot read `{c}` here"),
            };
            return Err(MermaidError::new(line_at(text, pos, first_line), what));
        };
        if t == Some(T::TwoWordState) {
            let brace = text[pos..].find('{').map_or(text.len(), |k| pos + k);
            let found = text[pos..brace]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            return Err(MermaidError::new(
                line_at(text, pos, first_line),
                format!(
                    "a state's name is one word; `state {}` has more (quote a description and give an id: `state \"…\" as Id`)",
                    shorten(&found)
                ),
            ));
        }
        if let Some(t) = t {
            out.push(Tok {
                t,
                start: pos,
                end: pos + n,
            });
        }
        st.apply(&mut stack);
        if stack.is_empty() {
            stack.push(S::Initial);
        }
        let moved = !matches!(st, Step::Stay);
        pos += if n == 0 && !moved { 1 } else { n };
    }
    if stack.last() == Some(&S::AccDescrMulti) {
        return Err(unclosed_descr(text, first_line));
    }
    let eof = if stack.last() == Some(&S::Initial) {
        T::Nl
    } else {
        T::Eof
    };
    out.push(Tok {
        t: eof,
        start: b.len(),
        end: b.len(),
    });
    if eof == T::Nl {
        out.push(Tok {
            t: T::Eof,
            start: b.len(),
            end: b.len(),
        });
    }
    Ok(out)
}

/// Where a multi-line note's missing `end note` belongs: before the first line
/// after the note that reads as a statement, else after the last line.
fn note_end_line(text: &str, pos: usize, first_line: usize) -> usize {
    let start = text[..pos].rfind('\n').map_or(0, |k| k + 1);
    let statement_like = |l: &str| {
        let l = l.trim_start().to_ascii_lowercase();
        l.contains("-->")
            || [
                "state ",
                "note ",
                "[*]",
                "}",
                "classdef ",
                "class ",
                "style ",
            ]
            .iter()
            .any(|k| l.starts_with(k))
    };
    let base = line_at(text, start, first_line);
    let mut last = base;
    for (k, l) in text[start..].lines().enumerate().skip(1) {
        if l.trim().is_empty() {
            continue;
        }
        // A near miss of `end note` is the line to fix.
        let t = l.trim().to_ascii_lowercase();
        if t.starts_with("end") || t == "note" {
            return base + k;
        }
        if statement_like(l) {
            return last + 1;
        }
        last = base + k;
    }
    last + 1
}

struct P<'a> {
    text: &'a str,
    toks: Vec<Tok>,
    at: usize,
    first_line: usize,
    /// Nesting of composite states; past [`MAX_DEPTH`] the check gives up.
    depth: usize,
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
        if let Some(q) = self.toks[..self.at.min(self.toks.len())]
            .iter()
            .find(|t| t.t == T::StateDescr && self.text[t.start..t.end].contains('\n'))
        {
            return Err(MermaidError::new(
                self.line(q.start.saturating_sub(1)),
                "this `\"` is never closed on its line: the description runs on to the next `\"`"
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
            T::Eof => "the end of the diagram".to_string(),
            T::Nl => "the end of the line".to_string(),
            _ => format!("`{}`", shorten(self.text[t.start..t.end].trim())),
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

    /// Where a body that never closed should have: before the first line after its
    /// opening line that is indented no deeper than that line; else at the end.
    fn where_body_ended(&self, open: usize) -> usize {
        let indent = |l: &str| l.len() - l.trim_start().len();
        let open_start = self.text[..open].rfind('\n').map_or(0, |k| k + 1);
        let open_line = &self.text[open_start..];
        let open_indent = indent(open_line.lines().next().unwrap_or(""));
        let first = self.line(open);
        let mut last_content = first;
        for (k, l) in self.text[open_start..].lines().enumerate().skip(1) {
            if l.trim().is_empty() {
                continue;
            }
            if indent(l) <= open_indent {
                return last_content + 1;
            }
            last_content = first + k;
        }
        let end = self.text.trim_end().len();
        self.line(end.saturating_sub(1)) + 1
    }

    fn id_statement(&mut self, what: &str) -> Result<(), MermaidError> {
        if !matches!(self.peek(), T::Id | T::EdgeState) {
            return self.fail(what);
        }
        self.bump();
        if self.peek() == T::StyleSeparator {
            self.bump();
            self.expect(T::Id, "`:::` needs a class name")?;
        }
        Ok(())
    }

    /// `{ document }` of the composite state `name`.
    fn body(&mut self, name: &str) -> Result<(), MermaidError> {
        if self.depth >= MAX_DEPTH {
            return Err(too_deep());
        }
        self.depth += 1;
        let r = self.body_inner(name);
        self.depth -= 1;
        r
    }

    fn body_inner(&mut self, name: &str) -> Result<(), MermaidError> {
        let name = name.to_string();
        let open = self.bump();
        loop {
            match self.peek() {
                T::StructStop => {
                    self.bump();
                    return Ok(());
                }
                T::Eof => {
                    return Err(MermaidError::new(
                        self.where_body_ended(open.start),
                        format!(
                            "composite state `{name}` opened with `{{` on line {} is never closed with `}}`",
                            self.line(open.start) + 1
                        ),
                    ));
                }
                _ => self.line_item()?,
            }
        }
    }

    fn line_item(&mut self) -> Result<(), MermaidError> {
        match self.peek() {
            T::Nl => {
                self.bump();
            }
            T::ClassDef => {
                self.bump();
                self.expect(T::ClassDefId, "`classDef` needs a class name and styles (and `default` is not a class name here)")?;
                self.expect(
                    T::ClassDefStyleOpts,
                    "`classDef` needs styles after its name",
                )?;
            }
            T::Style => {
                self.bump();
                self.expect(T::StyleIds, "`style` needs state ids and styles")?;
                self.expect(T::StyleDefStyleOpts, "`style` needs styles after the ids")?;
            }
            T::Class => {
                self.bump();
                self.expect(T::ClassEntityIds, "`class` needs state ids")?;
                self.expect(T::StyleClass, "`class` needs a class name after the ids")?;
            }
            T::Id | T::EdgeState => {
                self.id_statement("expected a state")?;
                match self.peek() {
                    T::Descr => {
                        self.bump();
                    }
                    T::Arrow => {
                        let arrow = self.bump();
                        let target = self.toks[self.at.min(self.toks.len() - 1)];
                        // Inside a composite state line breaks are skipped, so a
                        // transition that lost its target takes the next line's state.
                        let elsewhere = self.line(target.start) != self.line(arrow.start);
                        let lost = |p: &Self| {
                            Err(MermaidError::new(
                                p.line(arrow.start),
                                "this transition `-->` has no target state on its line".to_string(),
                            ))
                        };
                        if self
                            .id_statement("a transition `-->` needs a target state")
                            .is_err()
                        {
                            return if elsewhere {
                                lost(self)
                            } else {
                                self.fail("a transition `-->` needs a target state")
                            };
                        }
                        if self.peek() == T::Descr {
                            self.bump();
                        }
                        if self.peek() == T::Arrow {
                            return if elsewhere {
                                lost(self)
                            } else {
                                self.fail("transitions cannot be chained; write one `-->` per line")
                            };
                        }
                    }
                    _ => {}
                }
            }
            T::HideEmpty | T::Pseudo | T::Concurrent | T::Direction | T::AccDescrMulti => {
                self.bump();
            }
            T::Scale => {
                self.bump();
                self.expect(T::Width, "`scale` needs a width, as in `scale 350 width`")?;
            }
            T::CompositState => {
                let t = self.bump();
                if self.peek() == T::StructStart {
                    let name = self.text[t.start..t.end].to_string();
                    self.body(&name)?;
                }
            }
            T::StateDescr => {
                self.bump();
                self.expect(T::As, "`state \"description\"` is followed by `as id`")?;
                let id = self.expect(T::Id, "`as` needs a state id")?;
                if self.peek() == T::StructStart {
                    let name = self.text[id.start..id.end].trim().to_string();
                    self.body(&name)?;
                }
            }
            T::Note => {
                self.bump();
                if self.peek() == T::NotePosition {
                    self.bump();
                    self.expect(T::Id, "a note needs the state it is about")?;
                    self.expect(
                        T::NoteText,
                        "a note's text follows `:`, or runs to a line `end note`",
                    )?;
                } else {
                    self.expect(
                        T::NoteText,
                        "`note` is followed by `left of`, `right of` or a quoted text",
                    )?;
                    self.expect(T::As, "a floating note is named with `as`")?;
                    self.expect(T::Id, "`as` needs a name")?;
                }
            }
            T::AccTitle | T::AccDescr => {
                self.bump();
                self.bump();
            }
            T::Click => {
                self.bump();
                self.id_statement("`click` needs a state")?;
                if self.peek() == T::Href {
                    self.bump();
                    self.expect(T::String, "`href` needs the address in quotes")?;
                } else {
                    self.expect(T::String, "`click` needs the address in quotes")?;
                    self.expect(
                        T::String,
                        "`click` needs a tooltip in quotes after the address",
                    )?;
                }
                self.expect(T::Nl, "a `click` statement ends its line")?;
            }
            T::Arrow => return self.fail("a transition `-->` needs a source state before it"),
            T::Descr => return self.fail("a description `: text` follows a state"),
            T::StructStart => {
                return self.fail("`{` opens a composite state only after `state Name`")
            }
            T::StructStop => return self.fail("`}` closes nothing here"),
            T::Invalid => {
                let t = self.toks[self.at];
                let c = &self.text[t.start..t.end];
                return self.fail(&if c == "-" {
                    "a lone `-`: a transition is written `-->`, and state ids cannot contain `-`"
                        .to_string()
                } else {
                    format!("`{c}` is not understood here")
                });
            }
            _ => return self.fail("expected a state, a transition or a statement"),
        }
        Ok(())
    }

    fn parse(&mut self) -> Result<(), MermaidError> {
        while self.peek() == T::Nl {
            self.bump();
        }
        self.expect(T::Sd, "expected `stateDiagram`")?;
        loop {
            match self.peek() {
                T::Eof => return Ok(()),
                _ => self.line_item()?,
            }
        }
    }
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
