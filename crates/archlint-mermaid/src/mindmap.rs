//! mindmap and kanban: ports of Mermaid's `mindmap.jison` and `kanban.jison` (the
//! same lexer and grammar; kanban adds `@{ … }` node data), with the checks their
//! databases make: a mindmap has one root (every later node is indented deeper
//! than the first), a kanban board has no item left of its columns, an icon or
//! class decorates a node that exists.

use super::jison::{line_at, lit_i, run};
use super::keywords::{shorten, Header};
use super::prep::Prepared;
use super::yaml_flow::{check_mapping, pairs, Verdict};
use super::MermaidError;

/// What a rule does to the lexer's stack of states.
type Step = super::jison::Step<S>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum T {
    SpaceLine,
    Keyword,
    Class,
    Nl,
    Icon,
    DStart,
    SpaceList,
    NodeId,
    Eof,
    Descr,
    DEnd,
    ShapeData,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum S {
    Initial,
    Class,
    Icon,
    Node,
    Nstr,
    Nstr2,
    ShapeData,
    ShapeDataStr,
}

#[derive(Clone, Copy)]
struct Tok {
    t: T,
    start: usize,
    end: usize,
}

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// `[\s]+[\n]`: the longest run of whitespace that ends with a line break after at
/// least one other whitespace character.
fn space_line(s: &[u8]) -> Option<usize> {
    let ws = run(s, is_ws);
    let last = s[..ws].iter().rposition(|&c| c == b'\n')?;
    (last >= 1).then_some(last + 1)
}

fn step(state: S, s: &[u8], kanban: bool) -> Option<(Option<T>, usize, Step)> {
    let tok = |t: T, n: usize, st: Step| Some((Some(t), n, st));
    let skip = |n: usize, st: Step| Some((None, n, st));
    let line_len = |s: &[u8]| run(s, |c| c != b'\n');
    match state {
        S::ShapeData => {
            return match s[0] {
                b'"' => tok(T::ShapeData, 1, Step::Push(S::ShapeDataStr)),
                b'}' => skip(1, Step::Pop),
                _ => {
                    let n = run(s, |c| !matches!(c, b'}' | b'^' | b'"'));
                    (n > 0).then_some((Some(T::ShapeData), n, Step::Stay))
                }
            };
        }
        S::ShapeDataStr => {
            if s[0] == b'"' {
                return tok(T::ShapeData, 1, Step::Pop);
            }
            return tok(T::ShapeData, run(s, |c| c != b'"'), Step::Stay);
        }
        S::Class => {
            let n = line_len(s);
            if n > 0 {
                return tok(T::Class, n, Step::Pop);
            }
            return skip(1, Step::Pop);
        }
        S::Icon => {
            if s[0] == b')' {
                return skip(1, Step::Pop);
            }
            return tok(T::Icon, run(s, |c| c != b')'), Step::Stay);
        }
        S::Nstr2 => {
            if s.starts_with(b"`\"") {
                return skip(2, Step::Pop);
            }
            let n = run(s, |c| c != b'`' && c != b'"');
            return (n > 0).then_some((Some(T::Descr), n, Step::Stay));
        }
        S::Nstr => {
            if s[0] == b'"' {
                return skip(1, Step::Pop);
            }
            return tok(T::Descr, run(s, |c| c != b'"'), Step::Stay);
        }
        S::Node => {
            if s.starts_with(b"\"`") {
                return skip(2, Step::Push(S::Nstr2));
            }
            if s[0] == b'"' {
                return skip(1, Step::Push(S::Nstr));
            }
            for end in ["))", ")", "]", "}}", "(-", "-)", "((", "("] {
                if s.starts_with(end.as_bytes()) {
                    return tok(T::DEnd, end.len(), Step::Pop);
                }
            }
            let n = run(s, |c| !matches!(c, b')' | b']' | b'(' | b'}'));
            if n > 0 {
                return tok(T::Descr, n, Step::Stay);
            }
            // `.+(?!\(\()`: the rest of the line.
            let n = line_len(s);
            return (n > 0).then_some((Some(T::Descr), n, Step::Stay));
        }
        S::Initial => {}
    }
    if kanban && s.starts_with(b"@{") {
        return tok(T::ShapeData, 2, Step::Push(S::ShapeData));
    }
    // `\s*%%.*`, line breaks before it included.
    let ws = run(s, is_ws);
    if s[ws..].starts_with(b"%%") {
        return tok(T::SpaceLine, ws + line_len(&s[ws..]), Step::Stay);
    }
    let keyword = if kanban { "kanban" } else { "mindmap" };
    if let Some(n) = lit_i(s, keyword) {
        return tok(T::Keyword, n, Step::Stay);
    }
    if s.starts_with(b":::") {
        return skip(3, Step::Push(S::Class));
    }
    if s.len() >= 7 && s[..7].eq_ignore_ascii_case(b"::icon(") {
        return skip(7, Step::Push(S::Icon));
    }
    if let Some(n) = space_line(s) {
        return tok(T::SpaceLine, n, Step::Stay);
    }
    let nl = run(s, |c| c == b'\n');
    if nl > 0 {
        return tok(T::Nl, nl, Step::Stay);
    }
    for start in ["-)", "(-", "))", ")", "((", "{{", "(", "["] {
        if s.starts_with(start.as_bytes()) {
            return tok(T::DStart, start.len(), Step::Push(S::Node));
        }
    }
    let ws = run(s, is_ws);
    if ws > 0 {
        return tok(T::SpaceList, ws, Step::Stay);
    }
    let n = run(s, |c| {
        !(matches!(c, b'(' | b'[' | b'\n' | b')' | b'{' | b'}') || kanban && c == b'@')
    });
    if n > 0 {
        return tok(T::NodeId, n, Step::Stay);
    }
    None
}

fn lex(text: &str, first_line: usize, kanban: bool) -> Result<Vec<Tok>, MermaidError> {
    let b = text.as_bytes();
    let mut stack = vec![S::Initial];
    let mut out: Vec<Tok> = Vec::new();
    let mut pos = 0;
    while pos < b.len() {
        let state = *stack.last().unwrap_or(&S::Initial);
        let Some((t, n, st)) = step(state, &b[pos..], kanban) else {
            let c = text[pos..].chars().next().unwrap_or(' ');
            let what = if c == '@' {
                "`@` starts an item's data, written `@{ key: value }`; its `{` is missing"
                    .to_string()
            } else {
                format!("`{c}` is not understood here")
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
        pos += if n == 0 && !moved { 1 } else { n };
    }
    match stack.last() {
        Some(S::Initial) => out.push(Tok {
            t: T::Eof,
            start: b.len(),
            end: b.len(),
        }),
        Some(S::Node | S::Nstr | S::Nstr2) => {
            let (open, open_end) = out
                .iter()
                .rev()
                .find(|t| t.t == T::DStart)
                .map_or((0, 0), |t| (t.start, t.end));
            let shape = &text[open..open_end];
            // A description that starts on the line after its opener spans lines on
            // purpose and lost its closer after its last line; otherwise the opener's
            // own line lacks it.
            let opener = &text[open..];
            let opener_len = opener.find(|c: char| !"([{)-".contains(c)).unwrap_or(0);
            let multi_line = !opener.starts_with(')')
                && opener[opener_len..]
                    .split('\n')
                    .next()
                    .is_some_and(|r| r.trim().is_empty());
            let at = if multi_line {
                line_at(text, text.trim_end().len().saturating_sub(1), first_line) + 1
            } else {
                line_at(text, open, first_line)
            };
            return Err(MermaidError::new(
                at,
                format!("the node shape opened with `{shape}` is never closed"),
            ));
        }
        Some(S::Icon) => {
            let open = text.rfind("::icon(").unwrap_or(0);
            return Err(MermaidError::new(
                line_at(text, open, first_line),
                "`::icon(` is never closed with `)`".to_string(),
            ));
        }
        Some(S::ShapeData | S::ShapeDataStr) => {
            let open = text.rfind("@{").unwrap_or(0);
            return Err(MermaidError::new(
                line_at(text, open, first_line),
                "`@{` is never closed with `}`".to_string(),
            ));
        }
        _ => {}
    }
    Ok(out)
}

struct P<'a> {
    text: &'a str,
    toks: Vec<Tok>,
    at: usize,
    first_line: usize,
    kanban: bool,
    /// Levels of the nodes added so far.
    levels: Vec<(usize, usize)>,
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
        // A shape whose text ran over a line break lost its closer on its first line.
        let before = &self.toks[..self.at.min(self.toks.len())];
        if let Some(k) = before
            .iter()
            .position(|t| t.t == T::Descr && self.text[t.start..t.end].trim_end().contains('\n'))
        {
            let open = before[..k].iter().rev().find(|t| t.t == T::DStart);
            let same_line_text = open.is_some_and(|o| {
                self.text[o.end..]
                    .split('\n')
                    .next()
                    .is_some_and(|r| !r.trim().is_empty())
            });
            if let Some(open) = open.filter(|_| same_line_text) {
                return Err(MermaidError::new(
                    self.line(open.start),
                    format!(
                        "the node shape opened with `{}` is not closed on its line",
                        self.text[open.start..open.end].trim()
                    ),
                ));
            }
        }
        let t = self.toks[self.at.min(self.toks.len() - 1)];
        let found = match t.t {
            T::Eof => "the end of the diagram".to_string(),
            T::Nl | T::SpaceLine => "the end of the line".to_string(),
            _ if self.text[t.start..t.end].trim().is_empty() => "the end of the line".to_string(),
            _ => format!("`{}`", shorten(self.text[t.start..t.end].trim())),
        };
        Err(MermaidError::new(
            self.line(t.start),
            format!("{what}, found {found}"),
        ))
    }

    /// A node: an id, optionally with a shape, or a shape alone.
    fn node(&mut self) -> Result<bool, MermaidError> {
        match self.peek() {
            T::NodeId => {
                self.bump();
                if self.peek() == T::DStart {
                    self.shape()?;
                }
                Ok(true)
            }
            T::DStart => {
                self.shape()?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    fn shape(&mut self) -> Result<(), MermaidError> {
        let open = self.bump();
        if self.peek() != T::Descr {
            return self.fail("a node's shape holds its text, as in `id[Text]`");
        }
        self.bump();
        if self.peek() != T::DEnd {
            return self.fail(&format!(
                "the node shape opened with `{}` holds one text and its closer",
                self.text[open.start..open.end].trim()
            ));
        }
        self.bump();
        Ok(())
    }

    fn add_node(&mut self, level: usize, at: usize) -> Result<(), MermaidError> {
        let name = if self.kanban { "item" } else { "node" };
        if let Some(&(first, _)) = self.levels.first() {
            if !self.kanban && level <= first {
                return Err(MermaidError::new(
                    self.line(at),
                    format!(
                        "a mindmap has one root; this {name} is not indented deeper than the root on line {}",
                        self.line(self.levels[0].1) + 1
                    ),
                ));
            }
            if self.kanban {
                if let Some(&(_, shallow)) = self.levels.iter().skip(1).find(|(l, _)| *l < first) {
                    return Err(MermaidError::new(
                        self.line(shallow),
                        format!(
                            "this {name} is indented less than the first column on line {}; items go under a column",
                            self.line(self.levels[0].1) + 1
                        ),
                    ));
                }
            }
        }
        self.levels.push((level, at));
        Ok(())
    }

    fn shape_data(&mut self) -> Result<(), MermaidError> {
        let start = self.toks[self.at].start;
        let mut end = start;
        while self.peek() == T::ShapeData {
            end = self.bump().end;
        }
        let raw = &self.text[start..end];
        let content = raw.strip_prefix("@{").unwrap_or(raw);
        let line = self.line(start);
        match check_mapping(content) {
            Verdict::Invalid(why) => {
                return Err(MermaidError::new(line, format!("item data: {why}")))
            }
            Verdict::Unsure => return Ok(()),
            Verdict::Valid => {}
        }
        if let Some((_, Some(shape))) = pairs(content).into_iter().find(|(k, _)| k == "shape") {
            if shape != shape.to_lowercase() || shape.contains('_') {
                return Err(MermaidError::new(
                    line,
                    format!("no such shape `{shape}`; shape names are lowercase"),
                ));
            }
        }
        Ok(())
    }

    fn statement(&mut self) -> Result<(), MermaidError> {
        let level = if self.peek() == T::SpaceList {
            let t = self.bump();
            Some(t.end - t.start)
        } else {
            None
        };
        let at = self.toks[self.at.min(self.toks.len() - 1)].start;
        match self.peek() {
            T::SpaceLine if level.is_none() => {
                self.bump();
            }
            T::Icon | T::Class => {
                if self.levels.is_empty() {
                    return self.fail(
                        "an icon or `:::class` decorates the node before it, and there is none",
                    );
                }
                self.bump();
            }
            T::NodeId | T::DStart => {
                self.node()?;
                if self.kanban && self.peek() == T::ShapeData {
                    self.shape_data()?;
                }
                self.add_node(level.unwrap_or(0), at)?;
            }
            _ if level.is_some() => {}
            _ => return self.fail("expected a node"),
        }
        Ok(())
    }

    /// `stop`: a line break, a blank line or the end, then any more of them.
    fn stop(&mut self) -> Result<(), MermaidError> {
        if !matches!(self.peek(), T::Nl | T::Eof | T::SpaceLine) {
            let kind = if self.kanban { "an item" } else { "a node" };
            return self.fail(&format!("{kind} takes its own line"));
        }
        self.bump();
        while self.at < self.toks.len() && matches!(self.peek(), T::Nl | T::Eof) {
            self.bump();
        }
        Ok(())
    }

    fn parse(&mut self) -> Result<(), MermaidError> {
        if self.peek() == T::SpaceLine {
            while matches!(self.peek(), T::SpaceLine | T::Nl) {
                self.bump();
            }
        }
        let keyword = if self.kanban { "`kanban`" } else { "`mindmap`" };
        if self.peek() != T::Keyword {
            return self.fail(&format!("expected {keyword}"));
        }
        self.bump();
        if self.peek() == T::Nl {
            self.bump();
        }
        loop {
            self.statement()?;
            self.stop()?;
            if self.at >= self.toks.len() {
                return Ok(());
            }
        }
    }
}

pub(super) fn check(p: &Prepared, header: Header, kanban: bool) -> Option<MermaidError> {
    let text = p.text_from_header(header);
    let toks = match lex(&text, header.line, kanban) {
        Ok(t) => t,
        Err(e) => return Some(e),
    };
    P {
        text: &text,
        toks,
        at: 0,
        first_line: header.line,
        kanban,
        levels: Vec::new(),
    }
    .parse()
    .err()
}
