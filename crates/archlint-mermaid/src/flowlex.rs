//! A lexer for flowcharts that follows the rule order of Mermaid's `flow.jison`
//! lexer (first matching rule wins). Constructs it does not model precisely
//! make it stop with [`Stop::Unsure`].

use super::text::has_prefix;
use std::borrow::Cow;

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
    /// An edge id (`e1@`), which the grammar takes only right before an arrow.
    LinkId,
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
        /// The first `"` on the first line after `open` with an odd number of them.
        quote: Option<usize>,
    },
    /// `id@` not followed by `{` or by a link: Mermaid's edge-id token with no edge.
    LinkIdWithoutLink {
        start: usize,
        at: usize,
    },
    StrayCloser {
        at: usize,
    },
    StrayEquals {
        at: usize,
    },
    StrayAt {
        at: usize,
    },
    StrayLess {
        at: usize,
    },
    TrapBadClose {
        open: usize,
        at: usize,
    },
    /// An entity code (`#name;`) outside any label.
    EntityOutsideLabel {
        start: usize,
        end: usize,
    },
    /// A backtick inside a markdown string (opened at `open`) that is not the
    /// closing `` `" ``.
    StrayBacktick {
        open: usize,
        at: usize,
    },
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Stop {
    Unsure,
    Lex(LexError),
}

/// What the link rules make of a position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LinkAt {
    /// A complete arrow (`-->`, `==>`, `-.->`, `~~~`, ...) ending here.
    Link(usize),
    /// The start of an edge label (`-- text -->`).
    Other,
    None,
}

/// A `subgraph` line read by [`Lexer::simple_subgraph`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct SimpleSubgraph {
    /// Start of the `subgraph` keyword.
    pub kw: usize,
    /// Start of the title's shape, if it has one.
    pub open: Option<usize>,
    /// Where the next statement starts (after the newlines).
    pub end: usize,
}

/// A statement line read by [`Lexer::simple_line`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct SimpleLine {
    /// Where the next statement starts (after the newlines).
    pub end: usize,
    /// Arrows on the line, each between two single nodes.
    pub links: usize,
    /// Start of the line's last node id.
    pub last_node: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Initial,
    Dir,
    Text(Shape),
    Trap,
    Edge(EdgeKind),
}

/// Byte used in place of the characters of an entity code (`#quot;`), which
/// Mermaid replaces with non-ASCII placeholder characters before parsing.
pub(super) const ENTITY_BYTE: u8 = 0x01;

/// Applies Mermaid's `encodeEntities` to the text, keeping byte positions.
///
/// Two regex replacements, done by hand: `(?:style|classDef)[^\n]*:[^\s]*#[^\n]*;`
/// loses its final `;` (replaced by a space here), then every `#[A-Za-z0-9_]+;`
/// becomes [`ENTITY_BYTE`]s. Both need a `#`.
///
/// `maybe_hash`: false when the text is known to hold no `#`.
pub(super) fn encode_entities(text: &str, maybe_hash: bool) -> Cow<'_, [u8]> {
    let b = text.as_bytes();
    if !maybe_hash || !b.contains(&b'#') {
        return Cow::Borrowed(b);
    }
    let mut out = b.to_vec();
    if text.contains("style") || text.contains("classDef") {
        let mut from = 0;
        for line in text.split('\n') {
            if let Some(semi) = style_semi_end(line) {
                out[from + semi] = b' ';
            }
            from += line.len() + 1;
        }
    }
    let mut i = 0;
    while let Some(rel) = out.get(i..).and_then(|r| r.iter().position(|&c| c == b'#')) {
        let h = i + rel;
        let mut j = h + 1;
        while j < out.len() && is_word(out[j]) {
            j += 1;
        }
        if j > h + 1 && out.get(j) == Some(&b';') {
            out[h..=j].fill(ENTITY_BYTE);
            i = j + 1;
        } else {
            i = h + 1;
        }
    }
    Cow::Owned(out)
}

/// `text` after the first of [`encode_entities`]' replacements: the final `;` of a
/// `style`/`classDef` line with a `#` colour is dropped (a space takes its place,
/// so offsets hold).
pub(super) fn style_semicolons_removed(text: String) -> String {
    if !text.contains('#') || !(text.contains("style") || text.contains("classDef")) {
        return text;
    }
    let mut out = text.into_bytes();
    let mut from = 0;
    let lines: Vec<usize> = out.split(|&c| c == b'\n').map(<[u8]>::len).collect();
    for len in lines {
        let line = std::str::from_utf8(&out[from..from + len]).unwrap_or("");
        if let Some(semi) = style_semi_end(line) {
            out[from + semi] = b' ';
        }
        from += len + 1;
    }
    String::from_utf8(out).unwrap_or_default()
}

/// Where `(?:style|classDef)[^\n]*:[^\s]*#[^\n]*;` ends within one line (the
/// offset of its final `;`, which is the line's last one), if it matches.
fn style_semi_end(line: &str) -> Option<usize> {
    let semi = line.rfind(';')?;
    let kw_end = match (line.find("style"), line.find("classDef")) {
        (Some(s), Some(c)) => (s + 5).min(c + 8),
        (Some(s), None) => s + 5,
        (None, Some(c)) => c + 8,
        (None, None) => return None,
    };
    // The first `:` after the keyword whose run of non-spaces reaches a `#`
    // gives the earliest `#`; a `;` must follow it.
    let mut i = kw_end;
    while let Some(rel) = line.get(i..).and_then(|r| r.find(':')) {
        let colon = i + rel;
        let mut stop = line.len();
        for (k, ch) in line[colon + 1..].char_indices() {
            if ch == '#' {
                return (semi > colon + 1 + k).then_some(semi);
            }
            if ch.is_whitespace() {
                stop = colon + 1 + k;
                break;
            }
        }
        // Every `:` before `stop` shares the same run: none reaches a `#`.
        i = stop;
    }
    None
}

/// [`class`] bits.
const WORD: u8 = 1;
const NODE: u8 = 2;
/// Ends a label's text run in the fast path: `[]{}()|"` and the newline.
const LABEL_STOP: u8 = 4;
/// Blank as the lexer's `\s` sees it in ASCII: space, `\t`, `\n`, `\r`, `\v`, `\f`.
const WS: u8 = 8;

const fn classes() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        let mut f = 0;
        if c.is_ascii_alphanumeric() || c == b'_' {
            f |= WORD;
        }
        if is_node_char(c) {
            f |= NODE;
        }
        if matches!(
            c,
            b'[' | b']' | b'(' | b')' | b'{' | b'}' | b'|' | b'"' | b'\n'
        ) {
            f |= LABEL_STOP;
        }
        if matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
            f |= WS;
        }
        t[i] = f;
        i += 1;
    }
    t
}

static CLASSES: [u8; 256] = classes();

#[inline(always)]
fn class(c: u8) -> u8 {
    CLASSES[c as usize]
}

/// Whether a keyword rule of [`Lexer::initial_word`] could match at the start
/// of `rest` (a letter): the fast path leaves those to the lexer.
fn may_be_keyword(rest: &[u8]) -> bool {
    let p = |w: &[u8]| has_prefix(rest, w);
    match rest.first() {
        Some(b'a') => p(b"acc"),
        Some(b'c') => p(b"call") || p(b"class") || p(b"click"),
        Some(b's') => p(b"style") || p(b"swimlane") || p(b"subgraph"),
        Some(b'd') => p(b"default"),
        Some(b'l') => p(b"linkStyle"),
        Some(b'i') => p(b"interpolate"),
        Some(b'h') => p(b"href"),
        Some(b'f') => p(b"flowchart"),
        Some(b'g') => p(b"graph"),
        Some(b'e') => p(b"end"),
        _ => false,
    }
}

#[inline(always)]
fn is_ws(c: u8) -> bool {
    class(c) & WS != 0
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

const fn is_node_char(c: u8) -> bool {
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
    /// Every `direction\s+(TB|BT|RL|LR|TD)` match: (start of its line, start).
    dirs: Vec<(usize, usize)>,
    /// Positions of `@` followed by something other than `{` or `"`.
    bad_at: Vec<usize>,
    bad_at_idx: usize,
    /// Cache for "next whitespace or quote at or after p": (from, found).
    wsq_cache: (usize, usize),
    /// Link rules (which start with `\s*`) are known to fail before this position.
    no_link_before: usize,
}

impl<'a> Lexer<'a> {
    /// `may_have_direction`, `may_have_at`: false when the text has no
    /// `direction`, no `@` at all.
    pub fn new(b: &'a [u8], start: usize, may_have_direction: bool, may_have_at: bool) -> Self {
        let mut dirs = Vec::new();
        if may_have_direction {
            let needle = b"direction";
            let mut line_start = 0;
            let mut i = 0;
            while i + needle.len() <= b.len() {
                if b[i] == b'\n' {
                    line_start = i + 1;
                }
                if b[i] == b'd' && &b[i..i + needle.len()] == needle {
                    let mut q = i + needle.len();
                    let ws_start = q;
                    while q < b.len() && is_ws(b[q]) {
                        q += 1;
                    }
                    if q > ws_start {
                        if let Some(d) = b.get(q..q + 2) {
                            if matches!(d, b"TB" | b"BT" | b"RL" | b"LR" | b"TD") {
                                dirs.push((line_start, i));
                            }
                        }
                    }
                    i += needle.len();
                } else {
                    i += 1;
                }
            }
        }
        let mut bad_at = Vec::new();
        if may_have_at && b.contains(&b'@') {
            for (i, &c) in b.iter().enumerate() {
                if c == b'@' {
                    if let Some(&n) = b.get(i + 1) {
                        if n != b'{' && n != b'"' {
                            bad_at.push(i);
                        }
                    }
                }
            }
        }
        let mut stack = Vec::with_capacity(4);
        stack.push((State::Initial, 0));
        Lexer {
            b,
            pos: start,
            stack,
            first_graph: true,
            dirs,
            bad_at,
            bad_at_idx: 0,
            wsq_cache: (usize::MAX, 0),
            no_link_before: 0,
        }
    }

    /// 0-based line of byte `pos` (off the hot path: counts newlines).
    pub fn line_of(&self, pos: usize) -> usize {
        let end = pos.min(self.b.len());
        self.b[..end].iter().filter(|&&c| c == b'\n').count()
    }

    /// The newline ending the line that holds `pos`, or the end of the text.
    pub fn line_end(&self, pos: usize) -> usize {
        self.b
            .get(pos..)
            .and_then(|r| r.iter().position(|&c| c == b'\n'))
            .map_or(self.b.len(), |i| pos + i)
    }

    pub fn bytes(&self) -> &'a [u8] {
        self.b
    }

    /// Continues at `pos`, after a line read by one of the fast paths.
    pub fn skip_to(&mut self, pos: usize) {
        self.pos = pos;
    }

    fn at(&self, p: usize) -> u8 {
        self.b.get(p).copied().unwrap_or(0)
    }

    #[inline(always)]
    fn starts(&self, p: usize, s: &str) -> bool {
        self.b.get(p..).is_some_and(|r| r.starts_with(s.as_bytes()))
    }

    /// `s` followed by a word boundary.
    #[inline(always)]
    fn starts_word(&self, p: usize, s: &str) -> bool {
        self.starts(p, s) && !is_word(self.at(p + s.len()))
    }

    #[inline]
    fn ws_run(&self, p: usize) -> usize {
        // Mostly no blank or one: no four-at-a-time loop here.
        self.b.get(p..).map_or(p, |r| {
            p + r.iter().position(|&c| !is_ws(c)).unwrap_or(r.len())
        })
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

    /// Some `direction` match starts at or after `p` on the same line.
    fn direction_at(&self, p: usize) -> bool {
        if self.dirs.is_empty() {
            return false;
        }
        let j = self.dirs.partition_point(|&(_, s)| s < p);
        self.dirs
            .get(j)
            .is_some_and(|&(line_start, _)| line_start <= p)
    }

    fn push(&mut self, st: State, open: usize) {
        self.stack.push((st, open));
    }

    fn pop(&mut self) {
        if self.stack.len() > 1 {
            self.stack.pop();
        }
    }

    /// What the link rules read at `p` (in rule order), without consuming it.
    fn link_kind_at(&self, p: usize) -> LinkAt {
        if !self.link_possible(p) {
            return LinkAt::None;
        }
        for kind in [EdgeKind::Normal, EdgeKind::Thick, EdgeKind::Dotted] {
            if let Some(e) = self.match_link(p, kind) {
                return LinkAt::Link(e);
            }
            if self.match_start_link(p, kind).is_some() {
                return LinkAt::Other;
            }
        }
        if self.match_invisible(p) {
            let mut e = self.ws_run(p);
            while self.at(e) == b'~' {
                e += 1;
            }
            return LinkAt::Link(self.ws_run(e));
        }
        LinkAt::None
    }

    /// Recognises, from the current position, the commonest statement line:
    /// `id[label] --> id(label) -->|label| id ...` up to its newline, with
    /// plain node ids, simple shapes and plain arrows. Returns what reading
    /// it token by token would leave behind, or `None` (having changed
    /// nothing) for anything else, which the token-level parser then reads.
    pub fn simple_line(&self) -> Option<SimpleLine> {
        if !self.fast_ok() {
            return None;
        }
        let mut p = self.after_indent();
        let mut links = 0usize;
        loop {
            let node_start = p;
            let q = self.simple_vertex(p)?;
            let mut r = q;
            while matches!(self.at(r), b' ' | b'\t') {
                r += 1;
            }
            if self.at(r) == b'\n' {
                // The link rules see past the newline: nothing there may
                // continue this statement.
                return self.simple_line_end(q).map(|end| SimpleLine {
                    end,
                    links,
                    last_node: node_start,
                });
            }
            let LinkAt::Link(e) = self.link_kind_at(q) else {
                return None;
            };
            if self.b[q..e].contains(&b'\n') {
                return None;
            }
            links += 1;
            p = e;
            if self.at(p) == b'|' {
                p = self.simple_text(p + 1, Shape::Pipe)?;
                if matches!(self.at(p), b' ' | b'\t') {
                    if self.link_possible(p) {
                        return None;
                    }
                    while matches!(self.at(p), b' ' | b'\t') {
                        p += 1;
                    }
                }
            }
        }
    }

    /// A node id made of `[A-Za-z0-9_]` (starting with a letter) that no
    /// keyword or link rule claims, with an optional simple shape. Returns
    /// the position after it.
    fn simple_vertex(&self, p: usize) -> Option<usize> {
        let q = self.simple_id(p)?;
        self.simple_shape(q)
    }

    /// A plain node id at `p` (see [`Lexer::simple_vertex`]); returns its end.
    #[inline(always)]
    fn simple_id(&self, p: usize) -> Option<usize> {
        let b = self.b;
        let c = self.at(p);
        if !c.is_ascii_alphabetic() {
            return None;
        }
        // `link_possible` for a letter: `x` or `o` starting an arrow.
        if matches!(c, b'x' | b'o') && matches!(self.at(p + 1), b'-' | b'=' | b'.') {
            return None;
        }
        if may_be_keyword(&b[p..]) {
            return None;
        }
        let mut q = p + 1;
        q += b.get(q..).map_or(0, |r| {
            r.iter()
                .position(|&c| class(c) & WORD == 0)
                .unwrap_or(r.len())
        });
        let x = self.at(q);
        // The id token must end here, as the lexer's node-string rule ends it.
        if q < b.len() && class(x) & NODE != 0 {
            return None;
        }
        if x == b'-' && !matches!(self.at(q + 1), b'>' | b'-' | b'.' | 0) {
            return None;
        }
        Some(q)
    }

    /// A simple shape starting at `q`: returns the position after it, `q`
    /// itself when no shape starts there, `None` for shapes left to the lexer.
    #[inline(always)]
    fn simple_shape(&self, q: usize) -> Option<usize> {
        let (shape, len) = match self.at(q) {
            b'[' => match self.at(q + 1) {
                b'|' | b'/' | b'\\' => return None,
                b'[' => (Shape::Subroutine, 2),
                b'(' => (Shape::Cylinder, 2),
                _ => (Shape::Square, 1),
            },
            b'(' => match self.at(q + 1) {
                b'-' | b'(' => return None,
                b'[' => (Shape::Stadium, 2),
                _ => (Shape::Paren, 1),
            },
            b'{' => match self.at(q + 1) {
                b'{' => return None,
                _ => (Shape::Brace, 1),
            },
            b'>' => return None,
            _ => return Some(q),
        };
        self.simple_text(q + len, shape)
    }

    /// After the last token of a line at `t`: blanks, then the newline, with
    /// no link rule reaching past it. Returns where the next statement starts.
    #[inline(always)]
    fn simple_line_end(&self, t: usize) -> Option<usize> {
        let mut r = t;
        while matches!(self.at(r), b' ' | b'\t') {
            r += 1;
        }
        if self.at(r) != b'\n' || self.link_possible(t) {
            return None;
        }
        while self.at(r) == b'\n' {
            r += 1;
        }
        Some(r)
    }

    /// Whether the line-level fast paths may run: plain state, and none of
    /// the position-dependent rules (`direction`, `id@`) anywhere.
    fn fast_ok(&self) -> bool {
        self.stack.len() == 1 && self.dirs.is_empty() && self.bad_at.is_empty()
    }

    /// The current position after its indentation.
    fn after_indent(&self) -> usize {
        let mut p = self.pos;
        while self.b.get(p..p + 4) == Some(b"    ") {
            p += 4;
        }
        while matches!(self.at(p), b' ' | b'\t') {
            p += 1;
        }
        p
    }

    /// The header `flowchart TD` or `graph LR` (any of the five directions)
    /// alone on its line, at the start. Returns where the first statement
    /// starts. Reading it leaves the lexer as it was, except that the header
    /// keyword has been seen.
    pub fn simple_header(&mut self) -> Option<usize> {
        if !self.fast_ok() || !self.first_graph {
            return None;
        }
        let p = self.pos;
        let kw = if self.starts(p, "flowchart") {
            9
        } else if self.starts(p, "graph") {
            5
        } else {
            return None;
        };
        // `flowchart-elk` and the like are left to the lexer.
        if !matches!(self.at(p + kw), b' ' | b'\t') {
            return None;
        }
        let mut d = p + kw;
        while matches!(self.at(d), b' ' | b'\t') {
            d += 1;
        }
        let dir = self.b.get(d..d + 2)?;
        if !matches!(dir, b"TD" | b"TB" | b"BT" | b"LR" | b"RL") || is_word(self.at(d + 2)) {
            return None;
        }
        let end = self.simple_line_end(d + 2)?;
        self.first_graph = false;
        Some(end)
    }

    /// `end` alone on its line (the lexer's `end` token swallows the blanks
    /// after it, newlines included). Returns where the token ends.
    pub fn simple_end(&self) -> Option<usize> {
        if !self.fast_ok() {
            return None;
        }
        let p = self.after_indent();
        (self.starts_word(p, "end") && matches!(self.at(p + 3), b'\n' | b' ' | b'\t'))
            .then(|| self.ws_run(p + 3))
    }

    /// `subgraph id`, `subgraph id[title]` or `subgraph id [title]` with a
    /// plain id and a simple shape, alone on its line.
    pub fn simple_subgraph(&self) -> Option<SimpleSubgraph> {
        if !self.fast_ok() {
            return None;
        }
        let kw = self.after_indent();
        if !self.starts(kw, "subgraph") || !matches!(self.at(kw + 8), b' ' | b'\t') {
            return None;
        }
        if self.link_possible(kw + 8) {
            return None;
        }
        let mut p = kw + 8;
        while matches!(self.at(p), b' ' | b'\t') {
            p += 1;
        }
        let q = self.simple_id(p)?;
        let mut r = q;
        while matches!(self.at(r), b' ' | b'\t') {
            r += 1;
        }
        let mut open = None;
        let mut t = q;
        if matches!(self.at(r), b'[' | b'(' | b'{' | b'>') {
            if r > q && self.link_possible(q) {
                return None;
            }
            let e = self.simple_shape(r)?;
            open = Some(r);
            t = e;
        }
        let end = self.simple_line_end(t)?;
        Some(SimpleSubgraph { kw, open, end })
    }

    /// The label of a shape opened just before `p`: one text run or one
    /// quoted string on this line, then exactly the shape's closer. Returns
    /// the position after the closer.
    #[inline(always)]
    fn simple_text(&self, p: usize, shape: Shape) -> Option<usize> {
        let b = self.b;
        let c = self.at(p);
        let end = if c == b'"' {
            if self.at(p + 1) == b'`' {
                return None;
            }
            let rel = b
                .get(p + 1..)?
                .iter()
                .position(|&x| x == b'"' || x == b'\n')?;
            let close = p + 1 + rel;
            if rel == 0 || b[close] == b'\n' || self.at(close + 1) == b'`' {
                return None;
            }
            close + 1
        } else {
            if (is_ws(c) || c == b'~') && self.match_invisible(p) {
                return None;
            }
            let mut q = p;
            q += b.get(q..).map_or(0, |r| {
                r.iter()
                    .position(|&c| class(c) & LABEL_STOP != 0)
                    .unwrap_or(r.len())
            });
            if q == p {
                return None;
            }
            q
        };
        self.closer_len(end, shape.closer()).map(|len| end + len)
    }

    /// Length of the closing token of `shape` at `p` when that is what the
    /// text state reads there (see [`Lexer::bracket_at`]'s order).
    fn closer_len(&self, p: usize, shape: Shape) -> Option<usize> {
        let (c, n, n2) = (self.at(p), self.at(p + 1), self.at(p + 2));
        let ok = match shape {
            Shape::Square => c == b']' && n != b')' && n != b']',
            Shape::Paren => c == b')' && n != b']' && !(n == b')' && n2 == b')'),
            Shape::Brace => c == b'}',
            Shape::Pipe => c == b'|',
            Shape::Stadium => c == b']' && n == b')',
            Shape::Subroutine => c == b']' && n == b']',
            Shape::Cylinder => c == b')' && n == b']',
            _ => false,
        };
        ok.then(|| shape.close_str().len())
    }

    fn lex_initial(&mut self) -> Result<Token, Stop> {
        let p = self.pos;
        let b = self.b;
        if p >= b.len() {
            return self.tok(Tk::Eof, p, p);
        }
        let c = b[p];
        if let Some(t) = self.initial_word(p, c) {
            return t;
        }
        if self.direction_at(p) {
            let end = self.line_end(p);
            return self.tok(Tk::Kw(Kw::Direction), p, end);
        }
        if self.link_id_at(p) {
            // `[^\s"]+@(?=[^{"])` takes the run up to its last such `@`; Mermaid's
            // grammar wants an edge right after it (`e1@-->`).
            let end = p + b[p..]
                .iter()
                .take_while(|&&c| !is_ws(c) && c != b'"')
                .count();
            let at = (p..end)
                .rev()
                .find(|&i| b[i] == b'@' && b.get(i + 1).is_some_and(|&n| n != b'{' && n != b'"'));
            if let Some(at) = at {
                // The link rules take the blanks before an arrow.
                let q = self.ws_run(at + 1);
                let n = b.get(q).copied().unwrap_or(b' ');
                let n2 = b.get(q + 1).copied().unwrap_or(b' ');
                let link = matches!(n, b'-' | b'=' | b'~' | b'.' | b'<')
                    || (matches!(n, b'x' | b'o') && matches!(n2, b'-' | b'=' | b'.'));
                if !link {
                    return Err(Stop::Lex(LexError::LinkIdWithoutLink { start: p, at }));
                }
                return self.tok(Tk::LinkId, p, at + 1);
            }
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
            if self.link_possible(p) {
                if let Some(t) = self.initial_link(p) {
                    return t;
                }
            }
            if is_ws(c) {
                // Every link rule starts with `\s*`: failing here means failing
                // anywhere else in this whitespace run.
                self.no_link_before = self.ws_run(p);
            }
        }
        self.initial_rest(p, c)
    }

    /// The rules before `direction`: accessibility, shape data, strings and
    /// keywords, each of which needs a particular first byte `c` (rule order is
    /// kept within each byte).
    fn initial_word(&mut self, p: usize, c: u8) -> Option<Result<Token, Stop>> {
        let b = self.b;
        match c {
            b'a' => {
                if self.starts(p, "accTitle") || self.starts(p, "accDescr") {
                    let q = self.ws_run(p + 8);
                    if self.at(q) == b':' {
                        let v = self.ws_run(q + 1);
                        let end = self.line_end(v.min(b.len().saturating_sub(1)));
                        return Some(self.tok(Tk::Kw(Kw::Acc), p, end.max(v)));
                    }
                    if self.starts(p, "accDescr") && self.at(q) == b'{' {
                        let Some(close) = b[q..].iter().position(|&x| x == b'}') else {
                            return Some(Err(Stop::Unsure));
                        };
                        return Some(self.tok(Tk::Kw(Kw::Acc), p, q + close + 1));
                    }
                }
                None
            }
            b'@' if self.starts(p, "@{") => Some(self.scan_shape_data(p)),
            b'"' if self.starts(p, "\"`") => Some(self.scan_md(p)),
            b'"' => Some(self.scan_string(p)),
            b'c' => {
                if self.starts(p, "call") && is_ws(self.at(p + 4)) {
                    return Some(Err(Stop::Unsure));
                }
                if self.starts_word(p, "classDef") {
                    return Some(self.tok(Tk::Kw(Kw::ClassDef), p, p + 8));
                }
                if self.starts_word(p, "class") {
                    return Some(self.tok(Tk::Kw(Kw::Class), p, p + 5));
                }
                if self.starts(p, "click") && is_ws(self.at(p + 5)) {
                    let mut q = self.ws_run(p + 5);
                    while q < b.len() && !is_ws(b[q]) {
                        q += 1;
                    }
                    if q >= b.len() || b[q] == b'\n' {
                        return Some(Err(Stop::Unsure));
                    }
                    return Some(self.tok(Tk::Kw(Kw::Click), p, q + 1));
                }
                None
            }
            b's' => {
                if self.starts_word(p, "style") {
                    return Some(self.tok(Tk::Kw(Kw::Style), p, p + 5));
                }
                if self.starts_word(p, "swimlane-beta") {
                    return Some(self.graph_tok(p, 13));
                }
                if self.starts_word(p, "subgraph") {
                    return Some(self.tok(Tk::Kw(Kw::Subgraph), p, p + 8));
                }
                None
            }
            b'd' if self.starts_word(p, "default") => Some(self.tok(Tk::Id, p, p + 7)),
            b'l' if self.starts_word(p, "linkStyle") => {
                Some(self.tok(Tk::Kw(Kw::LinkStyle), p, p + 9))
            }
            b'i' if self.starts_word(p, "interpolate") => {
                Some(self.tok(Tk::Kw(Kw::Interpolate), p, p + 11))
            }
            b'h' if self.starts(p, "href") && is_ws(self.at(p + 4)) => {
                Some(self.tok(Tk::Kw(Kw::Href), p, p + 5))
            }
            b'f' => {
                if self.starts_word(p, "flowchart-elk") {
                    return Some(self.graph_tok(p, 13));
                }
                if self.starts_word(p, "flowchart") {
                    return Some(self.graph_tok(p, 9));
                }
                None
            }
            b'g' if self.starts_word(p, "graph") => Some(self.graph_tok(p, 5)),
            b'e' if self.starts_word(p, "end") => {
                let q = self.ws_run(p + 3);
                Some(self.tok(Tk::Kw(Kw::End), p, q))
            }
            b'_' => {
                for w in ["_self", "_blank", "_parent", "_top"] {
                    if self.starts_word(p, w) {
                        return Some(self.tok(Tk::Kw(Kw::Target), p, p + w.len()));
                    }
                }
                None
            }
            _ => None,
        }
    }

    fn graph_tok(&mut self, p: usize, len: usize) -> Result<Token, Stop> {
        if self.first_graph {
            self.first_graph = false;
            self.push(State::Dir, p);
        }
        self.tok(Tk::Graph, p, p + len)
    }

    /// Whether any link rule (all start with `\s*`, then maybe `[xo<]`) can
    /// match at `p`: they need `-`, `=`, `.` or, without the prefix, `~` next.
    fn link_possible(&self, p: usize) -> bool {
        // Mostly no blank or one before the next token.
        let mut q = p;
        if is_ws(self.at(q)) {
            q += 1;
            if is_ws(self.at(q)) {
                q = self.ws_run(q);
            }
        }
        let c1 = self.at(q);
        if c1 == b'~' {
            return true;
        }
        let c2 = if matches!(c1, b'x' | b'o' | b'<') {
            self.at(q + 1)
        } else {
            c1
        };
        matches!(c2, b'-' | b'=' | b'.')
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
        if matches!(c, b'(' | b'[' | b'>') {
            if let Some(t) = self.initial_opener(p, c) {
                return t;
            }
        }
        self.initial_tail(p, c)
    }

    /// Multi-character shape openers (and `>`), in rule order.
    fn initial_opener(&mut self, p: usize, c: u8) -> Option<Result<Token, Stop>> {
        if self.starts(p, "(-") || self.starts(p, "[|") {
            return Some(Err(Stop::Unsure));
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
            return Some(self.tok(Tk::Open(shape), p, p + len));
        }
        None
    }

    fn initial_tail(&mut self, p: usize, c: u8) -> Result<Token, Stop> {
        let b = self.b;
        if c == b'<' {
            // Not the start of an arrow (those rules come first): TAGSTART, which
            // the grammar takes only inside a label.
            return Err(Stop::Lex(LexError::StrayLess { at: p }));
        }
        if c == b'^' || self.starts(p, "\\|") {
            return Err(Stop::Unsure);
        }
        if c == b'v' && !is_word(self.at(p + 1)) {
            return self.tok(Tk::Id, p, p + 1);
        }
        if is_node_char(c) || (c == b'-' && !matches!(self.at(p + 1), b'>' | b'-' | b'.' | 0)) {
            let mut q = p;
            loop {
                let x = self.at(q);
                // NODE_STRING: `"` and backticks included; `-` unless an arrow follows.
                let dash = x == b'-' && !matches!(self.at(q + 1), b'>' | b'-' | b'.' | 0);
                if (q < b.len() && is_node_char(x)) || dash {
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
        if c == ENTITY_BYTE {
            // Mermaid's placeholder for an entity code lexes as UNICODE_TEXT
            // followed by a character no rule accepts outside a label.
            let end = p + b[p..].iter().take_while(|&&x| x == ENTITY_BYTE).count();
            return Err(Stop::Lex(LexError::EntityOutsideLabel { start: p, end }));
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
            // Every rule before this one fails at the following blanks of the
            // run too (the link rules are ruled out by `no_link_before`), so
            // the run is one token instead of one per byte.
            let mut q = p + 1;
            while q < b.len() && is_ws(b[q]) && b[q] != b'\n' {
                q += 1;
            }
            return self.tok(Tk::Space, p, q);
        }
        match c {
            b')' | b']' | b'}' => Err(Stop::Lex(LexError::StrayCloser { at: p })),
            // Neither `@{` nor an edge id (`e1@`) starts here.
            b'@' => Err(Stop::Lex(LexError::StrayAt { at: p })),
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
        if run < b.len() {
            // No rule of the direction state, and no token the header takes.
            let e = run + b[run..].iter().take_while(|&&x| !is_ws(x)).count();
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
        if matches!(b[p], b'[' | b']' | b'(' | b')' | b'{' | b'}' | b'|') {
            return self.text_bracket(p);
        }
        self.text_run(p)
    }

    /// A bracket inside a shape's text: a closer pops, an opener pushes.
    fn text_bracket(&mut self, p: usize) -> Result<Token, Stop> {
        if let Some((kind, len)) = self.bracket_at(p) {
            match kind {
                Tk::Close(_) => self.pop(),
                Tk::Open(Shape::Trap) => self.push(State::Trap, p),
                Tk::Open(sh) => self.push(State::Text(sh), p),
                _ => {}
            }
            return self.tok(kind, p, p + len);
        }
        self.text_run(p)
    }

    /// The bracket token a shape's text state reads at `p`, with its length.
    fn bracket_at(&self, p: usize) -> Option<(Tk, usize)> {
        const TABLE: &[(&str, Tk)] = &[
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
        let rest = self.b.get(p..)?;
        TABLE
            .iter()
            .find(|(s, _)| has_prefix(rest, s.as_bytes()))
            .map(|&(s, kind)| (kind, s.len()))
    }

    fn text_run(&mut self, p: usize) -> Result<Token, Stop> {
        let b = self.b;
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
            // Every opener (`[`, `(`, `{`, `[[`, `[/`, ...) starts a token the
            // grammar does not take inside a trapezoid's text.
            _ => Err(Stop::Lex(LexError::UnclosedText {
                open,
                shape: Shape::Trap,
            })),
        }
    }

    fn lex_edge(&mut self, kind: EdgeKind, open: usize) -> Result<Token, Stop> {
        let p = self.pos;
        let b = self.b;
        if p >= b.len() {
            return Err(Stop::Lex(LexError::UnclosedEdgeText { open, kind }));
        }
        if self.starts(p, "\"`") {
            return self.scan_md(p);
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
                // No rule of the markdown-string state matches a lone backtick.
                b'`' => return Err(Stop::Lex(LexError::StrayBacktick { open: p, at: q })),
                b'"' => return Err(Stop::Unsure),
                _ => q += 1,
            }
        }
    }

    /// `@{` at `open` never closed: a line after it with an odd number of `"` most
    /// likely opened a string that took the `}`.
    fn unclosed_shape_data(&self, open: usize) -> Stop {
        let b = self.b;
        let mut start = open;
        let quote = loop {
            if start >= b.len() {
                break None;
            }
            let end = self.line_end(start);
            let first = (start..end).find(|&k| b[k] == b'"');
            let count = b[start..end].iter().filter(|&&c| c == b'"').count();
            if count % 2 == 1 {
                break first;
            }
            start = end + 1;
        };
        Stop::Lex(LexError::UnclosedShapeData { open, quote })
    }

    fn scan_shape_data(&mut self, p: usize) -> Result<Token, Stop> {
        let b = self.b;
        let mut q = p + 2;
        loop {
            if q >= b.len() {
                return Err(self.unclosed_shape_data(p));
            }
            match b[q] {
                b'"' => match b[q + 1..].iter().position(|&x| x == b'"') {
                    Some(rel) => q += rel + 2,
                    None => return Err(self.unclosed_shape_data(p)),
                },
                b'}' => return self.tok(Tk::ShapeData, p, q + 1),
                b'^' => return Err(Stop::Unsure),
                _ => q += 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{encode_entities, ENTITY_BYTE};
    use regex::Regex;

    /// Mermaid's two replacements with real regexes, as a reference.
    fn reference(style: &Regex, entity: &Regex, text: &str) -> Vec<u8> {
        let mut b = text.as_bytes().to_vec();
        for m in style.find_iter(text) {
            b[m.end() - 1] = b' ';
        }
        let after = String::from_utf8(b.clone()).unwrap_or_else(|e| panic!("{e}"));
        for m in entity.find_iter(&after) {
            b[m.start()..m.end()].fill(ENTITY_BYTE);
        }
        b
    }

    #[test]
    fn entity_encoding_matches_the_regexes() {
        let pieces = [
            "style", "classDef", "class", ":", "#", ";", " ", "\n", "a", "#quot;", "#9829;", "é",
            "\u{a0}", "\u{2003}", "fill", "f9f", "_", "1", "A", "-->", "\t", "::", "##",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let style = Regex::new(r"(?:style|classDef)[^\n]*:[^\s]*#[^\n]*;")
            .unwrap_or_else(|e| panic!("{e}"));
        let entity = Regex::new(r"#[A-Za-z0-9_]+;").unwrap_or_else(|e| panic!("{e}"));
        for _ in 0..20_000 {
            let n = (next() % 16) as usize;
            let s: String = (0..n)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect();
            assert_eq!(
                encode_entities(&s, true).as_ref(),
                reference(&style, &entity, &s).as_slice(),
                "{s:?}"
            );
        }
    }
}
