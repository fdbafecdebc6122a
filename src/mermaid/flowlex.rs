//! A lexer for flowcharts that follows the rule order of Mermaid's `flow.jison`
//! lexer (first matching rule wins). Constructs it does not model precisely
//! make it stop with [`Stop::Unsure`].

use regex::Regex;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    Square,
    Paren,
    Brace,
    Stadium,
    Subroutine,
    Cylinder,
    DoubleCircle,
    /// `>` ... `]`
    Odd,
    /// `[/` or `[\` ... `/]` or `\]`
    Trap,
    /// `|` ... `|` edge label
    Pipe,
}

impl Shape {
    pub fn open_str(self) -> &'static str {
        match self {
            Shape::Square => "[",
            Shape::Paren => "(",
            Shape::Brace => "{",
            Shape::Stadium => "([",
            Shape::Subroutine => "[[",
            Shape::Cylinder => "[(",
            Shape::DoubleCircle => "(((",
            Shape::Odd => ">",
            Shape::Trap => "[/",
            Shape::Pipe => "|",
        }
    }

    pub fn close_str(self) -> &'static str {
        match self {
            Shape::Square | Shape::Odd => "]",
            Shape::Paren => ")",
            Shape::Brace => "}",
            Shape::Stadium => "])",
            Shape::Subroutine => "]]",
            Shape::Cylinder => ")]",
            Shape::DoubleCircle => ")))",
            Shape::Trap => "/]",
            Shape::Pipe => "|",
        }
    }

    /// The closer token kind this opener needs.
    pub fn closer(self) -> Shape {
        match self {
            Shape::Odd => Shape::Square,
            s => s,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kw {
    Subgraph,
    End,
    Style,
    LinkStyle,
    ClassDef,
    Class,
    Click,
    Interpolate,
    Href,
    Target,
    Direction,
    Acc,
}

impl Kw {
    pub fn as_str(self) -> &'static str {
        match self {
            Kw::Subgraph => "subgraph",
            Kw::End => "end",
            Kw::Style => "style",
            Kw::LinkStyle => "linkStyle",
            Kw::ClassDef => "classDef",
            Kw::Class => "class",
            Kw::Click => "click",
            Kw::Interpolate => "interpolate",
            Kw::Href => "href",
            Kw::Target => "_blank",
            Kw::Direction => "direction",
            Kw::Acc => "accTitle",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EdgeKind {
    Normal,
    Thick,
    Dotted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tk {
    Graph,
    Dir,
    NoDir,
    Newline,
    Space,
    Semi,
    Eof,
    /// Any token that can be part of a node id (NODE_STRING, NUM, MINUS, ...).
    Id,
    Amp,
    StyleSep,
    Link,
    StartLink,
    EdgeText,
    Open(Shape),
    Close(Shape),
    Text,
    Str,
    MdStr,
    ShapeData,
    Kw(Kw),
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Token {
    pub kind: Tk,
    pub start: usize,
    pub end: usize,
}

/// Lexical problems Mermaid would certainly reject.
#[derive(Debug, Clone, Copy)]
pub(super) enum LexError {
    BadDirection {
        start: usize,
        end: usize,
    },
    /// End of text inside a shape or `|...|` label opened at `open`.
    UnclosedText {
        open: usize,
        shape: Shape,
    },
    UnclosedString {
        open: usize,
    },
    UnclosedEdgeText {
        open: usize,
        kind: EdgeKind,
    },
    /// A dash, `=` or `.` inside an edge label that does not form the closing arrow.
    EdgeTextBreak {
        open: usize,
        at: usize,
        kind: EdgeKind,
    },
    UnclosedShapeData {
        open: usize,
    },
    StrayCloser {
        at: usize,
    },
    StrayEquals {
        at: usize,
    },
    TrapBadClose {
        open: usize,
        at: usize,
    },
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Stop {
    Unsure,
    Lex(LexError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Initial,
    Dir,
    Text(Shape),
    Trap,
    Edge(EdgeKind),
}

static STYLE_SEMI: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?:style|classDef)[^\n]*:[^\s]*#[^\n]*;").ok());
static ENTITY: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"#[A-Za-z0-9_]+;").ok());

/// Byte used in place of the characters of an entity code (`#quot;`), which
/// Mermaid replaces with non-ASCII placeholder characters before parsing.
pub(super) const ENTITY_BYTE: u8 = 0x01;

/// Applies Mermaid's `encodeEntities` to the text, keeping byte positions.
pub(super) fn encode_entities(text: &str) -> Vec<u8> {
    let mut b = text.as_bytes().to_vec();
    if let Some(re) = STYLE_SEMI.as_ref() {
        // `style ...:#...;` loses its final `;` (replaced by a space here).
        for m in re.find_iter(text) {
            if let Some(x) = b.get_mut(m.end() - 1) {
                *x = b' ';
            }
        }
    }
    let after_style = String::from_utf8_lossy(&b).into_owned();
    if let Some(re) = ENTITY.as_ref() {
        for m in re.find_iter(&after_style) {
            for x in b.iter_mut().take(m.end()).skip(m.start()) {
                *x = ENTITY_BYTE;
            }
        }
    }
    b
}

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn is_node_char(c: u8) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            b'!' | b'"'
                | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'.'
                | b'`'
                | b'?'
                | b'\\'
                | b'_'
                | b'/'
        )
}

pub(super) struct Lexer<'a> {
    b: &'a [u8],
    pos: usize,
    stack: Vec<(State, usize)>,
    first_graph: bool,
    line_starts: Vec<usize>,
    /// Per line: start of the last `direction\s+(TB|BT|RL|LR|TD)` match.
    dir_last: Vec<Option<usize>>,
    /// Positions of `@` followed by something other than `{` or `"`.
    bad_at: Vec<usize>,
    bad_at_idx: usize,
    /// Cache for "next whitespace or quote at or after p": (from, found).
    wsq_cache: (usize, usize),
    /// Link rules (which start with `\s*`) are known to fail before this position.
    no_link_before: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(b: &'a [u8], start: usize) -> Self {
        let mut line_starts = vec![0];
        for (i, &c) in b.iter().enumerate() {
            if c == b'\n' {
                line_starts.push(i + 1);
            }
        }
        let mut dir_last = vec![None; line_starts.len()];
        let needle = b"direction";
        let mut i = 0;
        while i + needle.len() <= b.len() {
            if &b[i..i + needle.len()] == needle {
                let mut q = i + needle.len();
                let ws_start = q;
                while q < b.len() && is_ws(b[q]) {
                    q += 1;
                }
                if q > ws_start {
                    if let Some(d) = b.get(q..q + 2) {
                        if matches!(d, b"TB" | b"BT" | b"RL" | b"LR" | b"TD") {
                            let line = line_starts.partition_point(|&s| s <= i) - 1;
                            dir_last[line] = Some(i);
                        }
                    }
                }
                i += needle.len();
            } else {
                i += 1;
            }
        }
        let mut bad_at = Vec::new();
        for (i, &c) in b.iter().enumerate() {
            if c == b'@' {
                if let Some(&n) = b.get(i + 1) {
                    if n != b'{' && n != b'"' {
                        bad_at.push(i);
                    }
                }
            }
        }
        Lexer {
            b,
            pos: start,
            stack: vec![(State::Initial, 0)],
            first_graph: true,
            line_starts,
            dir_last,
            bad_at,
            bad_at_idx: 0,
            wsq_cache: (usize::MAX, 0),
            no_link_before: 0,
        }
    }

    pub fn line_of(&self, pos: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= pos)
            .saturating_sub(1)
    }

    pub fn line_end(&self, pos: usize) -> usize {
        let l = self.line_of(pos);
        self.line_starts
            .get(l + 1)
            .map_or(self.b.len(), |&s| s.saturating_sub(1))
    }

    pub fn bytes(&self) -> &'a [u8] {
        self.b
    }

    fn at(&self, p: usize) -> u8 {
        self.b.get(p).copied().unwrap_or(0)
    }

    fn starts(&self, p: usize, s: &str) -> bool {
        self.b.get(p..).is_some_and(|r| r.starts_with(s.as_bytes()))
    }

    /// `s` followed by a word boundary.
    fn starts_word(&self, p: usize, s: &str) -> bool {
        self.starts(p, s) && !is_word(self.at(p + s.len()))
    }

    fn ws_run(&self, mut p: usize) -> usize {
        while p < self.b.len() && is_ws(self.b[p]) {
            p += 1;
        }
        p
    }

    fn state(&self) -> (State, usize) {
        self.stack.last().copied().unwrap_or((State::Initial, 0))
    }

    fn tok(&mut self, kind: Tk, start: usize, end: usize) -> Result<Token, Stop> {
        self.pos = end;
        Ok(Token { kind, start, end })
    }

    pub fn next_token(&mut self) -> Result<Token, Stop> {
        match self.state() {
            (State::Initial, _) => self.lex_initial(),
            (State::Dir, _) => self.lex_dir(),
            (State::Text(shape), open) => self.lex_text(shape, open),
            (State::Trap, open) => self.lex_trap(open),
            (State::Edge(kind), open) => self.lex_edge(kind, open),
        }
    }

    /// Link rules 70/73/76: `\s*[xo<]?--+[-xo>]\s*` and friends.
    fn match_link(&self, p: usize, kind: EdgeKind) -> Option<usize> {
        let mut q = self.ws_run(p);
        if matches!(self.at(q), b'x' | b'o' | b'<') {
            q += 1;
        }
        let end = match kind {
            EdgeKind::Normal | EdgeKind::Thick => {
                let ch = if kind == EdgeKind::Normal { b'-' } else { b'=' };
                let mut d = 0;
                while self.at(q + d) == ch {
                    d += 1;
                }
                let next = self.at(q + d);
                if d >= 2 && matches!(next, b'x' | b'o' | b'>') {
                    q + d + 1
                } else if d >= 3 {
                    q + d
                } else {
                    return None;
                }
            }
            EdgeKind::Dotted => {
                if self.at(q) == b'-' && self.at(q + 1) == b'.' {
                    q += 1;
                }
                let mut d = 0;
                while self.at(q + d) == b'.' {
                    d += 1;
                }
                if d == 0 || self.at(q + d) != b'-' {
                    return None;
                }
                q += d + 1;
                if matches!(self.at(q), b'x' | b'o' | b'>') {
                    q += 1;
                }
                q
            }
        };
        Some(self.ws_run(end))
    }

    /// Start-of-edge-text rules 71/74/77: `\s*[xo<]?--\s*` and friends.
    fn match_start_link(&self, p: usize, kind: EdgeKind) -> Option<usize> {
        let mut q = self.ws_run(p);
        if matches!(self.at(q), b'x' | b'o' | b'<') {
            q += 1;
        }
        let pat = match kind {
            EdgeKind::Normal => "--",
            EdgeKind::Thick => "==",
            EdgeKind::Dotted => "-.",
        };
        if self.starts(q, pat) {
            Some(self.ws_run(q + 2))
        } else {
            None
        }
    }

    /// Rule 79: `\s*~~[\~]+\s*`.
    fn match_invisible(&self, p: usize) -> bool {
        let q = self.ws_run(p);
        self.starts(q, "~~~")
    }

    /// Rule 61 `[^\s"]+@(?=[^{"])` would match at `p`.
    fn link_id_at(&mut self, p: usize) -> bool {
        while self.bad_at_idx < self.bad_at.len() && self.bad_at[self.bad_at_idx] <= p {
            self.bad_at_idx += 1;
        }
        let Some(&a) = self.bad_at.get(self.bad_at_idx) else {
            return false;
        };
        let (from, found) = self.wsq_cache;
        let w = if from <= p && p <= found {
            found
        } else {
            let mut q = p;
            while q < self.b.len() && !is_ws(self.b[q]) && self.b[q] != b'"' {
                q += 1;
            }
            self.wsq_cache = (p, q);
            q
        };
        a < w
    }

    fn direction_at(&self, p: usize) -> bool {
        let line = self.line_of(p);
        self.dir_last
            .get(line)
            .copied()
            .flatten()
            .is_some_and(|s| s >= p)
    }

    fn push(&mut self, st: State, open: usize) {
        self.stack.push((st, open));
    }

    fn pop(&mut self) {
        if self.stack.len() > 1 {
            self.stack.pop();
        }
    }

    fn lex_initial(&mut self) -> Result<Token, Stop> {
        let p = self.pos;
        let b = self.b;
        if p >= b.len() {
            return self.tok(Tk::Eof, p, p);
        }
        let c = b[p];
        if self.starts(p, "accTitle") || self.starts(p, "accDescr") {
            let q = self.ws_run(p + 8);
            if self.at(q) == b':' {
                let v = self.ws_run(q + 1);
                let end = self.line_end(v.min(b.len().saturating_sub(1)));
                return self.tok(Tk::Kw(Kw::Acc), p, end.max(v));
            }
            if self.starts(p, "accDescr") && self.at(q) == b'{' {
                let Some(close) = b[q..].iter().position(|&x| x == b'}') else {
                    return Err(Stop::Unsure);
                };
                return self.tok(Tk::Kw(Kw::Acc), p, q + close + 1);
            }
        }
        if self.starts(p, "@{") {
            return self.scan_shape_data(p);
        }
        if self.starts(p, "call") && is_ws(self.at(p + 4)) {
            return Err(Stop::Unsure);
        }
        if self.starts(p, "\"`") {
            return self.scan_md(p);
        }
        if c == b'"' {
            return self.scan_string(p);
        }
        for (w, kw) in [
            ("style", Some(Kw::Style)),
            ("default", None),
            ("linkStyle", Some(Kw::LinkStyle)),
            ("interpolate", Some(Kw::Interpolate)),
            ("classDef", Some(Kw::ClassDef)),
            ("class", Some(Kw::Class)),
        ] {
            if self.starts_word(p, w) {
                let kind = kw.map_or(Tk::Id, Tk::Kw);
                return self.tok(kind, p, p + w.len());
            }
        }
        if self.starts(p, "href") && is_ws(self.at(p + 4)) {
            return self.tok(Tk::Kw(Kw::Href), p, p + 5);
        }
        if self.starts(p, "click") && is_ws(self.at(p + 5)) {
            let mut q = self.ws_run(p + 5);
            while q < b.len() && !is_ws(b[q]) {
                q += 1;
            }
            if q >= b.len() || b[q] == b'\n' {
                return Err(Stop::Unsure);
            }
            return self.tok(Tk::Kw(Kw::Click), p, q + 1);
        }
        for w in ["flowchart-elk", "swimlane-beta", "graph", "flowchart"] {
            if self.starts_word(p, w) {
                if self.first_graph {
                    self.first_graph = false;
                    self.push(State::Dir, p);
                }
                return self.tok(Tk::Graph, p, p + w.len());
            }
        }
        if self.starts_word(p, "subgraph") {
            return self.tok(Tk::Kw(Kw::Subgraph), p, p + 8);
        }
        if self.starts_word(p, "end") {
            let q = self.ws_run(p + 3);
            return self.tok(Tk::Kw(Kw::End), p, q);
        }
        for w in ["_self", "_blank", "_parent", "_top"] {
            if self.starts_word(p, w) {
                return self.tok(Tk::Kw(Kw::Target), p, p + w.len());
            }
        }
        if self.direction_at(p) {
            let end = self.line_end(p);
            return self.tok(Tk::Kw(Kw::Direction), p, end);
        }
        if self.link_id_at(p) {
            return Err(Stop::Unsure);
        }
        if c.is_ascii_digit() {
            let mut q = p;
            while q < b.len() && b[q].is_ascii_digit() {
                q += 1;
            }
            return self.tok(Tk::Id, p, q);
        }
        match c {
            b'#' => return self.tok(Tk::Id, p, p + 1),
            b':' if self.starts(p, ":::") => return self.tok(Tk::StyleSep, p, p + 3),
            b':' | b',' | b'*' => return self.tok(Tk::Id, p, p + 1),
            b'&' => return self.tok(Tk::Amp, p, p + 1),
            b';' => return self.tok(Tk::Semi, p, p + 1),
            _ => {}
        }
        let try_links = p >= self.no_link_before || !is_ws(c);
        if try_links {
            if let Some(t) = self.initial_link(p) {
                return t;
            }
            if is_ws(c) {
                // Every link rule starts with `\s*`: failing here means failing
                // anywhere else in this whitespace run.
                self.no_link_before = self.ws_run(p);
            }
        }
        self.initial_rest(p, c)
    }

    fn initial_link(&mut self, p: usize) -> Option<Result<Token, Stop>> {
        if let Some(e) = self.match_link(p, EdgeKind::Normal) {
            return Some(self.tok(Tk::Link, p, e));
        }
        if let Some(e) = self.match_start_link(p, EdgeKind::Normal) {
            self.push(State::Edge(EdgeKind::Normal), p);
            return Some(self.tok(Tk::StartLink, p, e));
        }
        if let Some(e) = self.match_link(p, EdgeKind::Thick) {
            return Some(self.tok(Tk::Link, p, e));
        }
        if let Some(e) = self.match_start_link(p, EdgeKind::Thick) {
            self.push(State::Edge(EdgeKind::Thick), p);
            return Some(self.tok(Tk::StartLink, p, e));
        }
        if let Some(e) = self.match_link(p, EdgeKind::Dotted) {
            return Some(self.tok(Tk::Link, p, e));
        }
        if let Some(e) = self.match_start_link(p, EdgeKind::Dotted) {
            self.push(State::Edge(EdgeKind::Dotted), p);
            return Some(self.tok(Tk::StartLink, p, e));
        }
        if self.match_invisible(p) {
            let q = self.ws_run(p);
            let mut e = q;
            while self.at(e) == b'~' {
                e += 1;
            }
            let e = self.ws_run(e);
            return Some(self.tok(Tk::Link, p, e));
        }
        None
    }

    fn initial_rest(&mut self, p: usize, c: u8) -> Result<Token, Stop> {
        let b = self.b;
        if self.starts(p, "(-") || self.starts(p, "[|") {
            return Err(Stop::Unsure);
        }
        let opener = if self.starts(p, "([") {
            Some((Shape::Stadium, 2, false))
        } else if self.starts(p, "[[") {
            Some((Shape::Subroutine, 2, false))
        } else if c == b'>' {
            Some((Shape::Odd, 1, false))
        } else if self.starts(p, "[(") {
            Some((Shape::Cylinder, 2, false))
        } else if self.starts(p, "(((") {
            Some((Shape::DoubleCircle, 3, false))
        } else if self.starts(p, "[/") || self.starts(p, "[\\") {
            Some((Shape::Trap, 2, true))
        } else {
            None
        };
        if let Some((shape, len, trap)) = opener {
            self.push(
                if trap {
                    State::Trap
                } else {
                    State::Text(shape)
                },
                p,
            );
            return self.tok(Tk::Open(shape), p, p + len);
        }
        if matches!(c, b'<' | b'^') || self.starts(p, "\\|") {
            return Err(Stop::Unsure);
        }
        if c == b'v' && !is_word(self.at(p + 1)) {
            return self.tok(Tk::Id, p, p + 1);
        }
        if is_node_char(c) || (c == b'-' && !matches!(self.at(p + 1), b'>' | b'-' | b'.' | 0)) {
            let mut q = p;
            loop {
                let x = self.at(q);
                if q < b.len() && is_node_char(x) {
                    if x == b'"' {
                        return Err(Stop::Unsure);
                    }
                    q += 1;
                } else if x == b'-' && !matches!(self.at(q + 1), b'>' | b'-' | b'.' | 0) {
                    q += 1;
                } else {
                    break;
                }
            }
            return self.tok(Tk::Id, p, q);
        }
        if c == b'-' {
            return self.tok(Tk::Id, p, p + 1);
        }
        if c >= 0x80 {
            return Err(Stop::Unsure);
        }
        let open = match c {
            b'|' => Some(Shape::Pipe),
            b'(' => Some(Shape::Paren),
            b'[' => Some(Shape::Square),
            b'{' => Some(Shape::Brace),
            _ => None,
        };
        if let Some(shape) = open {
            self.push(State::Text(shape), p);
            return self.tok(Tk::Open(shape), p, p + 1);
        }
        if c == b'\n' {
            let mut q = p;
            while self.at(q) == b'\n' {
                q += 1;
            }
            return self.tok(Tk::Newline, p, q);
        }
        if is_ws(c) {
            return self.tok(Tk::Space, p, p + 1);
        }
        match c {
            b')' | b']' | b'}' => Err(Stop::Lex(LexError::StrayCloser { at: p })),
            b'=' => Err(Stop::Lex(LexError::StrayEquals { at: p })),
            _ => Err(Stop::Unsure),
        }
    }

    fn lex_dir(&mut self) -> Result<Token, Stop> {
        let p = self.pos;
        let b = self.b;
        let run = self.ws_run(p);
        if let Some(last_nl) = b[p..run].iter().rposition(|&x| x == b'\n') {
            self.pop();
            return self.tok(Tk::NoDir, p, p + last_nl + 1);
        }
        for d in ["LR", "RL", "TB", "BT", "TD", "BR"] {
            if self.starts_word(run, d) {
                self.pop();
                return self.tok(Tk::Dir, p, run + 2);
            }
        }
        if matches!(self.at(run), b'<' | b'>' | b'^') {
            self.pop();
            return self.tok(Tk::Dir, p, run + 1);
        }
        if self.at(run) == b'v' && !is_word(self.at(run + 1)) {
            self.pop();
            return self.tok(Tk::Dir, p, run + 1);
        }
        if self.at(run).is_ascii_alphanumeric() {
            let mut e = run;
            while e < b.len() && is_word(b[e]) {
                e += 1;
            }
            return Err(Stop::Lex(LexError::BadDirection { start: run, end: e }));
        }
        Err(Stop::Unsure)
    }

    fn lex_text(&mut self, shape: Shape, open: usize) -> Result<Token, Stop> {
        let p = self.pos;
        let b = self.b;
        if p >= b.len() {
            return Err(Stop::Lex(LexError::UnclosedText { open, shape }));
        }
        if self.starts(p, "\"`") {
            return self.scan_md(p);
        }
        if b[p] == b'"' {
            return self.scan_string(p);
        }
        if self.match_invisible(p) || self.starts(p, "(-") {
            return Err(Stop::Unsure);
        }
        let two: &[(&str, Tk)] = &[
            ("])", Tk::Close(Shape::Stadium)),
            ("([", Tk::Open(Shape::Stadium)),
            ("]]", Tk::Close(Shape::Subroutine)),
            ("[[", Tk::Open(Shape::Subroutine)),
            (")]", Tk::Close(Shape::Cylinder)),
            ("[(", Tk::Open(Shape::Cylinder)),
            (")))", Tk::Close(Shape::DoubleCircle)),
            ("(((", Tk::Open(Shape::DoubleCircle)),
            ("[/", Tk::Open(Shape::Trap)),
            ("[\\", Tk::Open(Shape::Trap)),
            ("|", Tk::Close(Shape::Pipe)),
            (")", Tk::Close(Shape::Paren)),
            ("(", Tk::Open(Shape::Paren)),
            ("]", Tk::Close(Shape::Square)),
            ("[", Tk::Open(Shape::Square)),
            ("}", Tk::Close(Shape::Brace)),
            ("{", Tk::Open(Shape::Brace)),
        ];
        for (s, kind) in two {
            if self.starts(p, s) {
                match kind {
                    Tk::Close(_) => self.pop(),
                    Tk::Open(Shape::Trap) => self.push(State::Trap, p),
                    Tk::Open(sh) => self.push(State::Text(*sh), p),
                    _ => {}
                }
                return self.tok(*kind, p, p + s.len());
            }
        }
        let mut q = p;
        while q < b.len() && !matches!(b[q], b'[' | b']' | b'(' | b')' | b'{' | b'}' | b'|' | b'"')
        {
            q += 1;
        }
        self.tok(Tk::Text, p, q)
    }

    fn lex_trap(&mut self, open: usize) -> Result<Token, Stop> {
        let p = self.pos;
        let b = self.b;
        if p >= b.len() {
            return Err(Stop::Lex(LexError::UnclosedText {
                open,
                shape: Shape::Trap,
            }));
        }
        if self.starts(p, "\"`") {
            return Err(Stop::Unsure);
        }
        if b[p] == b'"' {
            return self.scan_string(p);
        }
        if self.match_invisible(p) {
            return Err(Stop::Unsure);
        }
        for s in ["(-", "([", "[[", "[(", "((("] {
            if self.starts(p, s) {
                return Err(Stop::Unsure);
            }
        }
        if matches!(b[p], b'\\' | b'(' | b'?' | b'=' | b']') && self.at(p + 1) == b']' {
            self.pop();
            return self.tok(Tk::Close(Shape::Trap), p, p + 2);
        }
        if self.starts(p, "/]") {
            self.pop();
            return self.tok(Tk::Close(Shape::Trap), p, p + 2);
        }
        if matches!(b[p], b'/' | b'\\') {
            return self.tok(Tk::Text, p, p + 1);
        }
        let special = |x: u8| matches!(x, b'\\' | b'[' | b']' | b'(' | b')' | b'{' | b'}' | b'/');
        if !special(b[p]) {
            let mut q = p;
            while q < b.len() && !special(b[q]) {
                q += 1;
            }
            return self.tok(Tk::Text, p, q);
        }
        match b[p] {
            b']' | b')' | b'}' => Err(Stop::Lex(LexError::TrapBadClose { open, at: p })),
            _ => Err(Stop::Unsure),
        }
    }

    fn lex_edge(&mut self, kind: EdgeKind, open: usize) -> Result<Token, Stop> {
        let p = self.pos;
        let b = self.b;
        if p >= b.len() {
            return Err(Stop::Lex(LexError::UnclosedEdgeText { open, kind }));
        }
        if self.starts(p, "\"`") {
            return Err(Stop::Unsure);
        }
        if b[p] == b'"' {
            return self.scan_string(p);
        }
        if let Some(e) = self.match_link(p, kind) {
            self.pop();
            return self.tok(Tk::Link, p, e);
        }
        let stop = match kind {
            EdgeKind::Normal => b'-',
            EdgeKind::Thick => b'=',
            EdgeKind::Dotted => b'.',
        };
        if b[p] == stop {
            let dash_ok = kind == EdgeKind::Normal && self.at(p + 1) != b'-';
            if dash_ok {
                return self.tok(Tk::EdgeText, p, p + 1);
            }
            if self.match_invisible(p) {
                return Err(Stop::Unsure);
            }
            return Err(Stop::Lex(LexError::EdgeTextBreak { open, at: p, kind }));
        }
        // Consume text up to the next place where the closing rule could start.
        let mut q = p + 1;
        if is_ws(b[p]) {
            // The closing rule failed here, so it fails anywhere in this run.
            q = self.ws_run(p).max(p + 1);
        }
        while q < b.len()
            && !is_ws(b[q])
            && !matches!(b[q], b'x' | b'o' | b'<' | b'"' | b'-')
            && b[q] != stop
        {
            q += 1;
        }
        self.tok(Tk::EdgeText, p, q)
    }

    fn scan_string(&mut self, p: usize) -> Result<Token, Stop> {
        let b = self.b;
        let Some(rel) = b[p + 1..].iter().position(|&x| x == b'"') else {
            return Err(Stop::Lex(LexError::UnclosedString { open: p }));
        };
        let close = p + 1 + rel;
        if rel == 0 || self.at(close + 1) == b'`' {
            return Err(Stop::Unsure);
        }
        self.tok(Tk::Str, p, close + 1)
    }

    fn scan_md(&mut self, p: usize) -> Result<Token, Stop> {
        let b = self.b;
        let mut q = p + 2;
        loop {
            if q >= b.len() {
                return Err(Stop::Lex(LexError::UnclosedString { open: p }));
            }
            match b[q] {
                b'`' if self.at(q + 1) == b'"' => return self.tok(Tk::MdStr, p, q + 2),
                b'`' | b'"' => return Err(Stop::Unsure),
                _ => q += 1,
            }
        }
    }

    fn scan_shape_data(&mut self, p: usize) -> Result<Token, Stop> {
        let b = self.b;
        let mut q = p + 2;
        loop {
            if q >= b.len() {
                return Err(Stop::Lex(LexError::UnclosedShapeData { open: p }));
            }
            match b[q] {
                b'"' => match b[q + 1..].iter().position(|&x| x == b'"') {
                    Some(rel) => q += rel + 2,
                    None => return Err(Stop::Lex(LexError::UnclosedShapeData { open: p })),
                },
                b'}' => return self.tok(Tk::ShapeData, p, q + 1),
                b'^' => return Err(Stop::Unsure),
                _ => q += 1,
            }
        }
    }
}
