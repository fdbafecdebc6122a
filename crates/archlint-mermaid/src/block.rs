//! block: a port of Mermaid's `block.jison`, lexer and grammar. Line breaks mean
//! nothing: a block diagram is a run of statements (nodes, links, `columns`,
//! `space`, nested `block … end`, `classDef`, `class`, `style`). A node's label is a
//! quoted string inside its shape (`a["Label"]`); an unquoted one is a lexer error.

use super::jison::{
    is_space, is_too_deep, is_word, line_at, line_len, lit, run, too_deep, MAX_DEPTH,
};
use super::keywords::{shorten, Header};
use super::prep::Prepared;
use super::MermaidError;

/// What a rule does to the lexer's stack of states.
type Step = super::jison::Step<S>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum T {
    BlockKey,
    IdBlock,
    Columns,
    Str,
    MdStr,
    SpaceBlock,
    Default,
    LinkStyle,
    Interpolate,
    ClassDef,
    DefaultClassDefId,
    ClassDefId,
    ClassDefStyleOpts,
    Class,
    ClassEntityIds,
    StyleClass,
    Style,
    StyleEntityIds,
    StyleDefinitionData,
    AccTitle,
    AccDescr,
    AccValue,
    AccDescrMulti,
    End,
    DStart,
    DEnd,
    ArrowStart,
    Dir,
    ArrowEnd,
    NodeId,
    Link,
    StartLink,
    LinkLabel,
    Size,
    Eof,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum S {
    Initial,
    Str,
    MdStr,
    Node,
    BlockArrow,
    ArrowDir,
    LLabel,
    ClassDef,
    ClassDefId,
    Class,
    ClassStyle,
    StyleStmnt,
    StyleDefinition,
    Acc,
    AccDescrMulti,
}

#[derive(Clone, Copy)]
struct Tok {
    t: T,
    start: usize,
    end: usize,
}

/// `\w+\s+` / `(\w+)+((,\s*\w+)*)` as the class and style states read ids.
fn ids_len(s: &[u8]) -> usize {
    let mut n = run(s, is_word);
    if n == 0 {
        return 0;
    }
    while s.get(n) == Some(&b',') {
        let ws = run(&s[n + 1..], is_space);
        let w = run(&s[n + 1 + ws..], is_word);
        if w == 0 {
            break;
        }
        n += 1 + ws + w;
    }
    n
}

/// The link rules: `\s*[xo<]?--+[-xo>]\s*` and friends; a `START_LINK` opens a label.
fn link(s: &[u8], with_start: bool) -> Option<(T, usize)> {
    let ws = run(s, is_space);
    let mut k = ws;
    let head = matches!(s.get(k), Some(b'x' | b'o' | b'<'));
    let after_head = k + usize::from(head);
    let tail = |k: usize| k + run(&s[k..], is_space);
    // `--+[-xo>]`
    let dashes = run(&s[after_head..], |c| c == b'-');
    if dashes >= 2 && matches!(s.get(after_head + dashes), Some(b'-' | b'x' | b'o' | b'>')) {
        return Some((T::Link, tail(after_head + dashes + 1)));
    }
    if dashes >= 3 {
        // `--+` took a `-` the tail needed: `---` is `--` + `-`.
        return Some((T::Link, tail(after_head + dashes)));
    }
    let eqs = run(&s[after_head..], |c| c == b'=');
    if eqs >= 2 && matches!(s.get(after_head + eqs), Some(b'=' | b'x' | b'o' | b'>')) {
        return Some((T::Link, tail(after_head + eqs + 1)));
    }
    if eqs >= 3 {
        return Some((T::Link, tail(after_head + eqs)));
    }
    // `-?\.+-[xo>]?`
    k = after_head;
    if s.get(k) == Some(&b'-') {
        k += 1;
    }
    let dots = run(&s[k..], |c| c == b'.');
    if dots > 0 && s.get(k + dots) == Some(&b'-') {
        let mut e = k + dots + 1;
        if matches!(s.get(e), Some(b'x' | b'o' | b'>')) {
            e += 1;
        }
        return Some((T::Link, tail(e)));
    }
    if !head && s[ws..].starts_with(b"~~~") {
        return Some((T::Link, tail(ws + 2 + run(&s[ws + 2..], |c| c == b'~'))));
    }
    if with_start {
        for start in [&b"--"[..], b"==", b"-."] {
            if s[after_head..].starts_with(start) {
                return Some((T::StartLink, tail(after_head + 2)));
            }
        }
    }
    None
}

fn step(state: S, s: &[u8]) -> Option<(Option<T>, usize, Step)> {
    let tok = |t: T, n: usize, st: Step| Some((Some(t), n, st));
    let skip = |n: usize, st: Step| Some((None, n, st));
    match state {
        S::Acc => return tok(T::AccValue, line_len(s), Step::Pop),
        S::AccDescrMulti => {
            if s[0] == b'}' {
                return skip(1, Step::Pop);
            }
            return tok(T::AccDescrMulti, run(s, |c| c != b'}'), Step::Stay);
        }
        S::Str => {
            if s[0] == b'"' {
                return skip(1, Step::Pop);
            }
            return tok(T::Str, run(s, |c| c != b'"'), Step::Stay);
        }
        S::MdStr => {
            if s.starts_with(b"`\"") {
                return skip(2, Step::Pop);
            }
            let n = run(s, |c| c != b'`' && c != b'"');
            return (n > 0).then_some((Some(T::MdStr), n, Step::Stay));
        }
        S::ClassDef => {
            let w = run(s, is_word);
            let ws = run(&s[w..], is_space);
            if s.starts_with(b"DEFAULT") && w == 7 && ws > 0 {
                return tok(T::DefaultClassDefId, w + ws, Step::Swap(S::ClassDefId));
            }
            return (w > 0 && ws > 0).then_some((
                Some(T::ClassDefId),
                w + ws,
                Step::Swap(S::ClassDefId),
            ));
        }
        S::ClassDefId => return tok(T::ClassDefStyleOpts, line_len(s), Step::Pop),
        S::Class => {
            let n = ids_len(s);
            return (n > 0).then_some((Some(T::ClassEntityIds), n, Step::Swap(S::ClassStyle)));
        }
        S::ClassStyle => return tok(T::StyleClass, line_len(s), Step::Pop),
        S::StyleStmnt => {
            let n = ids_len(s);
            return (n > 0).then_some((Some(T::StyleEntityIds), n, Step::Swap(S::StyleDefinition)));
        }
        S::StyleDefinition => return tok(T::StyleDefinitionData, line_len(s), Step::Pop),
        S::Node => {
            for end in [
                "(((", ")))", "))", "}}", "}", "(-", "-)", "((", "]]", "(", "])", "\\]", "/]",
                ")]", ")", "]>", "]",
            ] {
                if s.starts_with(end.as_bytes()) {
                    return tok(T::DEnd, end.len(), Step::Pop);
                }
            }
            if s.starts_with(b"\"`") {
                return skip(2, Step::Push(S::MdStr));
            }
            if s[0] == b'"' {
                return skip(1, Step::Push(S::Str));
            }
            return None;
        }
        S::BlockArrow => {
            if s.starts_with(b"\"`") {
                return skip(2, Step::Push(S::MdStr));
            }
            if s[0] == b'"' {
                return skip(1, Step::Push(S::Str));
            }
            if s.starts_with(b"]>") {
                let ws = run(&s[2..], is_space);
                if s.get(2 + ws) == Some(&b'(') {
                    return skip(3 + ws, Step::Push(S::ArrowDir));
                }
            }
            return None;
        }
        S::ArrowDir => {
            let comma = usize::from(s[0] == b',');
            let ws = run(&s[comma..], is_space);
            for dir in ["right", "left", "x", "y", "up", "down"] {
                if s[comma + ws..].starts_with(dir.as_bytes()) {
                    let e = comma + ws + dir.len();
                    return tok(T::Dir, e + run(&s[e..], is_space), Step::Stay);
                }
            }
            if s[0] == b')' {
                return tok(T::ArrowEnd, 1 + run(&s[1..], is_space), Step::PopTwice);
            }
            return None;
        }
        S::LLabel => {
            if s.starts_with(b"\"`") {
                return skip(2, Step::Push(S::MdStr));
            }
            if s[0] == b'"' {
                return tok(T::LinkLabel, 1, Step::Push(S::Str));
            }
            return link(s, false).map(|(t, n)| (Some(t), n, Step::Pop));
        }
        S::Initial => {}
    }
    if let Some(n) = lit(s, "block-beta") {
        return tok(T::BlockKey, n, Step::Stay);
    }
    if s.starts_with(b"block:") {
        return tok(T::IdBlock, 6, Step::Stay);
    }
    if let Some(n) = lit(s, "block") {
        return tok(T::BlockKey, n, Step::Stay);
    }
    let ws = run(s, is_space);
    if ws > 0 {
        return skip(ws, Step::Stay);
    }
    if s.starts_with(b"columns") {
        let ws = run(&s[7..], is_space);
        if ws > 0 {
            if let Some(n) = lit(&s[7 + ws..], "auto") {
                return tok(T::Columns, 7 + ws + n, Step::Stay);
            }
            let d = run(&s[7 + ws..], |c| c.is_ascii_digit());
            if d > 0 {
                return tok(T::Columns, 7 + ws + d, Step::Stay);
            }
        }
    }
    if s.starts_with(b"\"`") {
        return skip(2, Step::Push(S::MdStr));
    }
    if s[0] == b'"' {
        return skip(1, Step::Push(S::Str));
    }
    if s.starts_with(b"space:") {
        let d = run(&s[6..], |c| c.is_ascii_digit());
        if d > 0 {
            return tok(T::SpaceBlock, 6 + d, Step::Stay);
        }
    }
    for (w, t) in [
        ("space", T::SpaceBlock),
        ("default", T::Default),
        ("linkStyle", T::LinkStyle),
        ("interpolate", T::Interpolate),
    ] {
        if let Some(n) = lit(s, w) {
            return tok(t, n, Step::Stay);
        }
    }
    for (w, t, then) in [
        ("classDef", T::ClassDef, S::ClassDef),
        ("class", T::Class, S::Class),
        ("style", T::Style, S::StyleStmnt),
    ] {
        if s.starts_with(w.as_bytes()) {
            let ws = run(&s[w.len()..], is_space);
            if ws > 0 {
                return tok(t, w.len() + ws, Step::Push(then));
            }
        }
    }
    for (word, t) in [("accTitle", T::AccTitle), ("accDescr", T::AccDescr)] {
        if s.starts_with(word.as_bytes()) {
            let k = word.len() + run(&s[word.len()..], is_space);
            if s.get(k) == Some(&b':') {
                return tok(t, k + 1 + run(&s[k + 1..], is_space), Step::Push(S::Acc));
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
    if let Some(n) = lit(s, "end") {
        return tok(T::End, n + run(&s[n..], is_space), Step::Stay);
    }
    for start in [
        "-)", "(-", "))", ")", "(((", "((", "{{", "{", ">", "([", "(", "[[", "[|", "[(", ")))",
        "[\\", "[/", "[",
    ] {
        if s.starts_with(start.as_bytes()) {
            return tok(T::DStart, start.len(), Step::Push(S::Node));
        }
    }
    if s.starts_with(b"<[") {
        return tok(T::ArrowStart, 2, Step::Push(S::BlockArrow));
    }
    let n = run(s, |c| {
        !matches!(
            c,
            b'(' | b'[' | b'\n' | b'-' | b')' | b'{' | b'}' | b'<' | b'>' | b':' | b'='
        ) && !is_space(c)
    });
    if n > 0 {
        return tok(T::NodeId, n, Step::Stay);
    }
    if let Some((t, n)) = link(s, true) {
        let st = if t == T::StartLink {
            Step::Push(S::LLabel)
        } else {
            Step::Stay
        };
        return tok(t, n, st);
    }
    if s[0] == b':' {
        let d = run(&s[1..], |c| c.is_ascii_digit());
        if d > 0 {
            return tok(T::Size, 1 + d, Step::Stay);
        }
    }
    None
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
                S::Node => format!(
                    "a block's label is a quoted string inside its shape, as in `a[\"Label\"]`; `{c}` is not"
                ),
                _ if c == '-' => "a lone `-`: links are written `-->`, and ids cannot contain `-`".to_string(),
                _ if c == '<' => "`<` starts a block arrow, written `id<[\"label\"]>(right)`; its `[` is missing".to_string(),
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
        Some(S::Initial) => {}
        Some(S::Str | S::MdStr) => {
            let open = out.last().map_or(0, |t| t.start);
            return Err(MermaidError::new(
                line_at(text, open, first_line),
                "a `\"` is never closed".to_string(),
            ));
        }
        _ => {
            let open = out.last().map_or(0, |t| t.start);
            return Err(MermaidError::new(
                line_at(text, open, first_line),
                "a node shape is never closed".to_string(),
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
    /// Nesting of `block … end`; past [`MAX_DEPTH`] the check gives up.
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

    fn fail<X>(&self, what: &str) -> Result<X, MermaidError> {
        let t = self.toks[self.at.min(self.toks.len() - 1)];
        let found = match t.t {
            T::Eof => "the end of the diagram".to_string(),
            _ => format!("`{}`", shorten(self.text[t.start..t.end].trim())),
        };
        Err(MermaidError::new(
            line_at(self.text, t.start, self.first_line),
            format!("{what}, found {found}"),
        ))
    }

    fn expect(&mut self, t: T, what: &str) -> Result<(), MermaidError> {
        if self.peek() == t {
            self.bump();
            Ok(())
        } else {
            self.fail(what)
        }
    }

    fn node(&mut self) -> Result<(), MermaidError> {
        self.expect(T::NodeId, "expected a block id")?;
        match self.peek() {
            T::DStart => {
                self.bump();
                self.expect(
                    T::Str,
                    "a block's label is a quoted string, as in `a[\"Label\"]`",
                )?;
                self.expect(T::DEnd, "a block's shape is closed after its label")?;
            }
            T::ArrowStart => {
                self.bump();
                self.expect(T::Str, "a block arrow's label is a quoted string")?;
                if self.peek() != T::Dir {
                    return self.fail("a block arrow needs a direction, as in `<[\"x\"]>(right)`");
                }
                while self.peek() == T::Dir {
                    self.bump();
                }
                self.expect(T::ArrowEnd, "a block arrow's directions end with `)`")?;
            }
            _ => {}
        }
        Ok(())
    }

    fn node_statement(&mut self) -> Result<(), MermaidError> {
        self.node()?;
        if self.peek() == T::Size {
            self.bump();
        }
        loop {
            match self.peek() {
                T::Link => {
                    self.bump();
                }
                T::StartLink => {
                    self.bump();
                    self.expect(
                        T::LinkLabel,
                        "a link label is quoted, as in `-- \"label\" -->`",
                    )?;
                    self.expect(T::Str, "a link label is quoted, as in `-- \"label\" -->`")?;
                    self.expect(T::Link, "a labelled link ends with an arrow such as `-->`")?;
                }
                _ => return Ok(()),
            }
            if self.peek() != T::NodeId {
                return self.fail("a link needs a block after it");
            }
            self.node()?;
        }
    }

    /// `document`: one statement or more, up to `end` (inside a block) or the end.
    fn document(&mut self, inner: bool) -> Result<(), MermaidError> {
        let mut any = false;
        loop {
            match self.peek() {
                T::End if inner && any => return Ok(()),
                T::Eof if !inner && any => return Ok(()),
                T::NodeId => self.node_statement()?,
                T::Columns | T::SpaceBlock => {
                    self.bump();
                }
                T::IdBlock => {
                    let open = self.bump();
                    self.node_statement()?;
                    self.block_body(open)?;
                }
                T::BlockKey => {
                    let open = self.bump();
                    self.block_body(open)?;
                }
                T::ClassDef => {
                    self.bump();
                    self.expect(T::ClassDefId, "`classDef` needs a class name and styles")?;
                    self.expect(T::ClassDefStyleOpts, "`classDef` needs styles")?;
                }
                T::Class => {
                    self.bump();
                    self.expect(T::ClassEntityIds, "`class` needs block ids")?;
                    self.expect(T::StyleClass, "`class` needs a class name")?;
                }
                T::Style => {
                    self.bump();
                    self.expect(T::StyleEntityIds, "`style` needs block ids")?;
                    self.expect(T::StyleDefinitionData, "`style` needs styles")?;
                }
                T::End if inner => {
                    return self.fail("a `block` holds at least one statement before `end`")
                }
                T::End => {
                    let at = self.toks[self.at].start;
                    return Err(MermaidError::new(
                        self.opener_of(at),
                        format!(
                            "`end` on line {} closes no `block`; `block` is missing or misspelt on this line",
                            line_at(self.text, at, self.first_line) + 1
                        ),
                    ));
                }
                T::Eof if inner => return self.fail("a `block` is never closed with `end`"),
                T::Eof => return self.fail("a block diagram needs at least one block"),
                T::DStart => {
                    return self
                        .fail("a block's shape needs an id in front of it, as in `a[\"Label\"]`")
                }
                T::Link | T::StartLink => return self.fail("a link needs a block before it"),
                _ => {
                    return self
                        .fail("expected a block, a link, `columns`, `space` or `block … end`")
                }
            }
            any = true;
        }
    }

    fn block_body(&mut self, open: Tok) -> Result<(), MermaidError> {
        if self.depth >= MAX_DEPTH {
            return Err(too_deep());
        }
        self.depth += 1;
        let r = self.block_body_inner(open);
        self.depth -= 1;
        r
    }

    fn block_body_inner(&mut self, open: Tok) -> Result<(), MermaidError> {
        let unclosed = |p: &Self| {
            Err(MermaidError::new(
                p.where_end_belongs(open.start),
                format!(
                    "the `block` opened on line {} is never closed with `end`",
                    line_at(p.text, open.start, p.first_line) + 1
                ),
            ))
        };
        if self.peek() == T::Eof {
            return unclosed(self);
        }
        match self.document(true) {
            Err(e) if !is_too_deep(&e) && self.peek() == T::Eof => return unclosed(self),
            r => r?,
        }
        self.expect(T::End, "a `block` is closed with `end`")
    }

    fn indent(line: &str) -> usize {
        line.len() - line.trim_start().len()
    }

    /// For a block that never closed: the first line after its opener indented no
    /// deeper than the opener: a misspelt `end` there, else the line before it.
    fn where_end_belongs(&self, open: usize) -> usize {
        let start = self.text[..open].rfind('\n').map_or(0, |k| k + 1);
        let base = line_at(self.text, start, self.first_line);
        let mut lines = self.text[start..].lines();
        let depth = Self::indent(lines.next().unwrap_or(""));
        let mut last = base;
        for (k, l) in lines.enumerate() {
            let k = k + 1;
            if l.trim().is_empty() {
                continue;
            }
            if Self::indent(l) <= depth {
                let word = l.trim();
                let near_end =
                    word.len() <= 4 && word.chars().filter(|c| "end".contains(*c)).count() >= 2;
                return if near_end { base + k } else { last + 1 };
            }
            last = base + k;
        }
        last + 1
    }

    /// For an `end` that closes nothing: the nearest line above at its indentation,
    /// where the `block` it closes would have opened.
    fn opener_of(&self, end: usize) -> usize {
        let start = self.text[..end].rfind('\n').map_or(0, |k| k + 1);
        let depth = Self::indent(&self.text[start..]);
        let before: Vec<&str> = self.text[..start].lines().collect();
        let base = line_at(self.text, start, self.first_line);
        for (k, l) in before.iter().enumerate().rev() {
            if !l.trim().is_empty() && Self::indent(l) == depth && k > 0 {
                return base - (before.len() - k);
            }
        }
        base
    }

    fn parse(&mut self) -> Result<(), MermaidError> {
        self.expect(T::BlockKey, "expected `block-beta`")?;
        self.document(false)
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
        depth: 0,
    }
    .parse()
    .err()
    .filter(|e| !is_too_deep(e))
}
