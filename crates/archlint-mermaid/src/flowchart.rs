//! Flowchart (`flowchart` / `graph`) checking: a small recursive-descent
//! recogniser over [`super::flowlex`] tokens that only reports what Mermaid's
//! grammar is certain to reject.

use super::flowlex::{encode_entities, EdgeKind, Kw, LexError, Lexer, Shape, Stop, Tk, Token};
use super::keywords::{shorten, Header};
use super::prep::Prepared;
use super::MermaidError;

enum Halt {
    Unsure,
    Report(MermaidError),
}

type Res<T> = Result<T, Halt>;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sep {
    Header,
    Newline,
    Semi,
    Other,
}

/// `fast`: read common statement lines with [`Lexer::simple_line`] (the
/// result is the same either way; the tests compare the two).
pub(super) fn check(p: &Prepared, header: Header, fast: bool) -> Option<MermaidError> {
    let text = p.joined();
    let start = p.line_start(header.line) + header.col;
    let bytes = encode_entities(&text, p.maybe_hash);
    let mut parser = Parser {
        text: &text,
        lx: Lexer::new(
            &bytes,
            start,
            memchr::memmem::find(text.as_bytes(), b"direction").is_some(),
            p.maybe_at,
        ),
        peeked: None,
        node_start: None,
        subgraphs: Vec::new(),
        edges: Some(0),
        fast,
        shape_data: Vec::new(),
    };
    match parser.run() {
        Ok(()) => parser
            .check_shape_data()
            .or_else(|| edge_after_keyword(p, header)),
        Err(Halt::Unsure) => edge_after_keyword(p, header),
        Err(Halt::Report(e)) => Some(e),
    }
}

/// A line that starts with an edge right after a `subgraph`, `end`, `style`, `class`,
/// `classDef`, `click`, `linkStyle` or `direction` line. Mermaid's edge token takes
/// the line break before it, so the edge continues that statement, which takes none.
fn edge_after_keyword(p: &Prepared, header: Header) -> Option<MermaidError> {
    const KEYWORDS: [&str; 8] = [
        "subgraph",
        "end",
        "style",
        "classDef",
        "class",
        "click",
        "linkStyle",
        "direction",
    ];
    let starts_edge = |t: &str| {
        let t = t.strip_prefix(['x', 'o', '<']).unwrap_or(t);
        // `--` and `==` start an arrow or an edge label (`-- text -->`).
        ["--", "-.", "==", "~~~"].iter().any(|e| t.starts_with(e))
    };
    let mut previous: Option<&str> = None;
    let mut quotes = 0usize;
    for (i, line) in p.lines().iter().enumerate().skip(header.line + 1) {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        // Inside a quoted label that spans lines nothing here is a statement.
        if quotes.is_multiple_of(2) && starts_edge(t) {
            if let Some(prev) = previous {
                let word = prev
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .next()
                    .unwrap_or("");
                if KEYWORDS.contains(&word) {
                    return Some(MermaidError::new(
                        i,
                        format!(
                            "edge `{}` has no source node: the line before it is a `{word}` statement, which an edge cannot continue",
                            shorten(t)
                        ),
                    ));
                }
            }
        }
        quotes += t.matches('"').count();
        previous = Some(t);
    }
    None
}

/// The shapes `A@{ shape: … }` may name in Mermaid 11.17.2 (names and aliases that
/// are lowercase and have no `_`, as its check wants; checked against Mermaid by
/// `tests/mermaid`).
const SHAPES: &[&str] = &[
    "anchor",
    "bang",
    "bolt",
    "bow-rect",
    "bow-tie-rectangle",
    "brace",
    "brace-l",
    "brace-r",
    "braces",
    "card",
    "choice",
    "circ",
    "circle",
    "cloud",
    "collate",
    "com-link",
    "comment",
    "constructor",
    "cross-circ",
    "crossed-circle",
    "curv-trap",
    "curved-trapezoid",
    "cyl",
    "cylinder",
    "das",
    "data-store",
    "database",
    "datastore",
    "db",
    "dbl-circ",
    "decision",
    "delay",
    "diam",
    "diamond",
    "disk",
    "display",
    "div-proc",
    "div-rect",
    "divided-process",
    "divided-rectangle",
    "doc",
    "docs",
    "document",
    "documents",
    "double-circle",
    "doublecircle",
    "event",
    "extract",
    "f-circ",
    "filled-circle",
    "flag",
    "flip-tri",
    "flipped-triangle",
    "fork",
    "fr-circ",
    "fr-rect",
    "framed-circle",
    "framed-rectangle",
    "h-cyl",
    "half-rounded-rectangle",
    "hex",
    "hexagon",
    "horizontal-cylinder",
    "hourglass",
    "icon",
    "in-out",
    "internal-storage",
    "inv-trapezoid",
    "join",
    "junction",
    "lean-l",
    "lean-left",
    "lean-r",
    "lean-right",
    "lightning-bolt",
    "lin-cyl",
    "lin-doc",
    "lin-proc",
    "lin-rect",
    "lined-cylinder",
    "lined-document",
    "lined-process",
    "lined-rectangle",
    "loop-limit",
    "manual",
    "manual-file",
    "manual-input",
    "notch-pent",
    "notch-rect",
    "notched-pentagon",
    "notched-rectangle",
    "note",
    "odd",
    "out-in",
    "paper-tape",
    "pill",
    "prepare",
    "priority",
    "proc",
    "process",
    "processes",
    "procs",
    "question",
    "rect",
    "rectangle",
    "rounded",
    "shaded-process",
    "sl-rect",
    "sloped-rectangle",
    "sm-circ",
    "small-circle",
    "st-doc",
    "st-rect",
    "stacked-document",
    "stacked-rectangle",
    "stadium",
    "start",
    "state",
    "stop",
    "stored-data",
    "subproc",
    "subprocess",
    "subroutine",
    "summary",
    "tag-doc",
    "tag-proc",
    "tag-rect",
    "tagged-document",
    "tagged-process",
    "tagged-rectangle",
    "terminal",
    "text",
    "trap-b",
    "trap-t",
    "trapezoid",
    "trapezoid-bottom",
    "trapezoid-top",
    "tri",
    "triangle",
    "win-pane",
    "window-pane",
];

struct Parser<'a> {
    text: &'a str,
    lx: Lexer<'a>,
    peeked: Option<Token>,
    node_start: Option<usize>,
    subgraphs: Vec<usize>,
    /// Edges defined so far (Mermaid numbers them for `linkStyle`), when known.
    edges: Option<usize>,
    /// Use the lexer's line-level fast path.
    fast: bool,
    /// `id@{ … }` configs met: the id's start and the token's span.
    shape_data: Vec<(usize, usize, usize)>,
}

fn is_id(t: &Token) -> bool {
    t.kind == Tk::Id
}

impl Parser<'_> {
    fn slice(&self, a: usize, b: usize) -> &str {
        self.text.get(a..b).unwrap_or("")
    }

    fn tok_text(&self, t: &Token) -> String {
        shorten(self.slice(t.start, t.end).trim())
    }

    /// Where a token's text starts: Mermaid's link tokens take the whitespace,
    /// line breaks included, before them.
    fn text_start(&self, t: &Token) -> usize {
        let b = self.lx.bytes();
        let mut k = t.start;
        while k < t.end && b[k].is_ascii_whitespace() {
            k += 1;
        }
        k
    }

    fn report<T>(&self, pos: usize, msg: String) -> Res<T> {
        Err(Halt::Report(MermaidError::new(self.lx.line_of(pos), msg)))
    }

    #[inline]
    fn next(&mut self) -> Res<Token> {
        if let Some(t) = self.peeked.take() {
            return Ok(t);
        }
        match self.lx.next_token() {
            Ok(t) => Ok(t),
            Err(Stop::Unsure) => Err(Halt::Unsure),
            Err(Stop::Lex(e)) => Err(self.lex_error(e)),
        }
    }

    fn skip_spaces(&mut self, mut t: Token) -> Res<(Token, bool)> {
        let mut spaced = false;
        while t.kind == Tk::Space {
            spaced = true;
            t = self.next()?;
        }
        Ok((t, spaced))
    }

    /// Node text from the current node's start up to the end of the line,
    /// cut before anything that looks like the next arrow.
    fn node_snippet(&self, open: usize) -> String {
        let from = self.node_start.filter(|&s| s <= open).unwrap_or(open);
        let end = self.lx.line_end(open);
        let raw = self.slice(from, end);
        let skip = open - from + 1;
        let mut cut = raw.len();
        for pat in ["--", "==", "-.", "~~~"] {
            if let Some(i) = raw.get(skip.min(raw.len())..).and_then(|r| r.find(pat)) {
                cut = cut.min(skip + i);
            }
        }
        shorten(raw.get(..cut).unwrap_or(raw).trim_end())
    }

    fn node_id(&self) -> String {
        let Some(s) = self.node_start else {
            return String::new();
        };
        let b = self.lx.bytes();
        let mut e = s;
        while e < b.len()
            && !matches!(
                b[e],
                b'[' | b'(' | b'{' | b'>' | b' ' | b'\t' | b'\n' | b'|'
            )
        {
            e += 1;
        }
        shorten(self.slice(s, e))
    }

    #[cold]
    #[inline(never)]
    fn lex_error(&self, e: LexError) -> Halt {
        let (pos, msg) = match e {
            LexError::BadDirection { start, end } => (
                start,
                format!(
                    "unknown flowchart direction `{}`; use `TB`, `TD`, `BT`, `LR` or `RL`",
                    shorten(self.slice(start, end))
                ),
            ),
            LexError::UnclosedText { open, shape } => {
                if shape == Shape::Pipe {
                    let end = self.lx.line_end(open);
                    (
                        open,
                        format!(
                            "edge label `{}` is missing its closing `|`",
                            shorten(self.slice(open, end).trim_end())
                        ),
                    )
                } else {
                    (
                        open,
                        format!(
                            "unbalanced `{}` in node `{}`",
                            self.slice(open, open + shape.open_str().len()),
                            self.node_snippet(open)
                        ),
                    )
                }
            }
            LexError::UnclosedString { open } => {
                let from = self.node_start.filter(|&s| s <= open).unwrap_or(open);
                let end = self.lx.line_end(open);
                (
                    open,
                    format!(
                        "unclosed `\"` in `{}`",
                        shorten(self.slice(from, end).trim_end())
                    ),
                )
            }
            LexError::UnclosedEdgeText { open, kind } => (
                open,
                format!(
                    "edge label after `{}` is never closed with an arrow such as `{}`",
                    edge_open(kind),
                    edge_close(kind)
                ),
            ),
            LexError::EdgeTextBreak { open, at, kind } => {
                let end = self.lx.line_end(open);
                (
                    at,
                    format!(
                        "edge label in `{}` is not closed by an arrow; write `{} text {}`",
                        shorten(self.slice(open, end).trim()),
                        edge_open(kind),
                        edge_close(kind)
                    ),
                )
            }
            LexError::UnclosedShapeData { open, quote: None } => {
                (open, "`@{` is never closed with `}`".to_string())
            }
            LexError::UnclosedShapeData {
                open,
                quote: Some(at),
            } => (
                at,
                format!(
                    "unbalanced `\"` in the node data `@{{ … }}` opened on line {}: the string it starts takes the closing `}}`",
                    self.lx.line_of(open) + 1
                ),
            ),
            LexError::LinkIdWithoutLink { start, at } => (
                at,
                format!(
                    "`{}` is an edge id, written right before an edge as in `e1@-->`; node data is written `{}@{{ shape: rect }}`",
                    self.slice(start, at + 1),
                    self.slice(start, at)
                ),
            ),
            LexError::StrayCloser { at } => (
                at,
                format!(
                    "unexpected `{}` without a matching opening bracket",
                    self.slice(at, at + 1)
                ),
            ),
            LexError::StrayEquals { at } => (
                at,
                "unexpected `=`; thick arrows are written `==>` and normal ones `-->`".to_string(),
            ),
            LexError::StrayLess { at } => (
                at,
                "unexpected `<`; outside a label it can only start an arrow such as `<-->`, `<-.->` or `<==>`".to_string(),
            ),
            LexError::StrayAt { at } => (
                at,
                "unexpected `@`; an edge id is written right before its arrow (`A e1@--> B`) and node data after the node id (`A@{ shape: rect }`)".to_string(),
            ),
            LexError::TrapBadClose { open, at } => (
                at,
                format!(
                    "unbalanced `{}` in node `{}`; close it with `/]` or `\\]`",
                    self.slice(open, open + 2),
                    self.node_snippet(open)
                ),
            ),
            LexError::EntityOutsideLabel { start, end } => (
                start,
                format!(
                    "`{}` is read as an entity code (`#name;`), which Mermaid accepts only inside a label; a style value is written after a colon, e.g. `fill:#f96`",
                    self.slice(start, end)
                ),
            ),
            LexError::StrayBacktick { open, at } => (
                at,
                format!(
                    "markdown string `{}` is not closed with `` `\" ``",
                    shorten(self.slice(open, self.lx.line_end(open)).trim_end())
                ),
            ),
        };
        Halt::Report(MermaidError::new(self.lx.line_of(pos), msg))
    }

    fn run(&mut self) -> Res<()> {
        if self.fast {
            if let Some(end) = self.lx.simple_header() {
                self.lx.skip_to(end);
                return self.statements();
            }
        }
        let t = self.next()?;
        if t.kind != Tk::Graph {
            return Err(Halt::Unsure);
        }
        let t = self.next()?;
        match t.kind {
            Tk::NoDir => {}
            Tk::Dir => {
                let (t, spaced) = {
                    let n = self.next()?;
                    self.skip_spaces(n)?
                };
                match t.kind {
                    Tk::Newline | Tk::Eof => {}
                    Tk::Semi if !spaced => {}
                    Tk::Link | Tk::StartLink => {
                        return self.report(
                            self.text_start(&t),
                            format!("edge `{}` has no source node", self.tok_text(&t)),
                        )
                    }
                    Tk::Id | Tk::Open(_) | Tk::Str | Tk::Amp => {
                        let word = self.tok_text(&t);
                        if word.starts_with("%%") {
                            return self.report(t.start, inline_comment_msg());
                        }
                        return self.report(
                            t.start,
                            format!(
                                "unexpected `{word}` after the diagram direction; start the first statement on a new line"
                            ),
                        );
                    }
                    _ => return Err(Halt::Unsure),
                }
            }
            _ => return Err(Halt::Unsure),
        }
        self.statements()
    }

    fn statements(&mut self) -> Res<()> {
        let mut sep = Sep::Header;
        loop {
            if self.fast && self.peeked.is_none() {
                // Exactly what reading these lines token by token does.
                if let Some(line) = self.lx.simple_line() {
                    for _ in 0..line.links {
                        self.add_edges(1, 1);
                    }
                    self.node_start = Some(line.last_node);
                    self.lx.skip_to(line.end);
                    sep = Sep::Newline;
                    continue;
                }
                if let Some(end) = self.lx.simple_end().filter(|_| !self.subgraphs.is_empty()) {
                    self.subgraphs.pop();
                    self.lx.skip_to(end);
                    sep = Sep::Other;
                    continue;
                }
                if let Some(sg) = self.lx.simple_subgraph() {
                    self.subgraphs.push(sg.kw);
                    if sg.open.is_some() {
                        self.node_start = sg.open;
                    }
                    self.lx.skip_to(sg.end);
                    sep = Sep::Newline;
                    continue;
                }
            }
            let t = self.next()?;
            match t.kind {
                Tk::Space => {}
                Tk::Newline => sep = Sep::Newline,
                Tk::Semi => sep = Sep::Semi,
                Tk::Eof => break,
                Tk::Kw(Kw::End) => {
                    if self.subgraphs.pop().is_none() {
                        return self
                            .report(t.start, "`end` has no matching `subgraph`".to_string());
                    }
                    sep = Sep::Other;
                }
                Tk::Kw(Kw::Subgraph) => {
                    self.subgraphs.push(t.start);
                    self.subgraph_title(t)?;
                    sep = Sep::Newline;
                }
                Tk::Kw(kw @ (Kw::Style | Kw::ClassDef | Kw::Class | Kw::LinkStyle)) => {
                    if kw == Kw::LinkStyle {
                        self.link_style(t)?;
                    }
                    let words = self.skip_line()?;
                    let one_statement =
                        !self.slice(t.start, self.lx.line_end(t.start)).contains(';');
                    if kw == Kw::Class && words > 2 && one_statement {
                        return self.report(
                            t.start,
                            "`class` takes node ids (comma-separated, no spaces) and one class name, e.g. `class A,B hot`".to_string(),
                        );
                    }
                    if words < 2 {
                        let what = match kw {
                            Kw::Style => "a node id and styles, e.g. `style A fill:#f9f`",
                            Kw::ClassDef => {
                                "a class name and styles, e.g. `classDef hot fill:#f96`"
                            }
                            Kw::Class => "node ids and a class name, e.g. `class A,B hot`",
                            _ => "edge numbers and styles, e.g. `linkStyle 0 stroke:#f00`",
                        };
                        return self.report(t.start, format!("`{}` needs {what}", kw.as_str()));
                    }
                    sep = Sep::Newline;
                }
                Tk::Kw(Kw::Direction) => {
                    let line = self.slice(t.start, t.end).trim();
                    let mut words = line.split_whitespace();
                    let ok = words.next() == Some("direction")
                        && words
                            .next()
                            .is_some_and(|d| matches!(d, "TB" | "BT" | "RL" | "LR" | "TD"))
                        && words.next().is_none();
                    if !ok {
                        return Err(Halt::Unsure);
                    }
                    sep = Sep::Other;
                }
                Tk::Kw(kw) => {
                    if kw == Kw::Click {
                        self.click(t)?;
                    }
                    self.skip_line()?;
                    sep = Sep::Newline;
                }
                Tk::Link | Tk::StartLink => {
                    if matches!(sep, Sep::Header | Sep::Semi) {
                        return self.report(
                            self.text_start(&t),
                            format!("edge `{}` has no source node", self.tok_text(&t)),
                        );
                    }
                    return Err(Halt::Unsure);
                }
                Tk::Id => sep = self.vertex_statement(t)?,
                Tk::LinkId => {
                    return self.report(
                        t.start,
                        format!(
                            "edge `{}` has no source node; an edge id goes between two nodes, as in `A {0}--> B`",
                            self.tok_text(&t)
                        ),
                    );
                }
                Tk::ShapeData => {
                    return self.report(
                        t.start,
                        "`@{ … }` needs a node id right before it, as in `A@{ shape: rect }`"
                            .to_string(),
                    );
                }
                Tk::Open(shape) if shape != Shape::Pipe => {
                    return self.report(
                        t.start,
                        format!(
                            "shape `{}` has no node id in front of it, e.g. `id{}...{}`",
                            self.tok_text(&t),
                            shape.open_str(),
                            shape.close_str()
                        ),
                    );
                }
                _ => return Err(Halt::Unsure),
            }
        }
        if let Some(&open) = self.subgraphs.last() {
            // A misspelt `end` is read as a node: that line is the one to fix.
            let after = self.lx.line_end(open);
            let mut at = after;
            for line in self.text.get(after..).unwrap_or("").split('\n') {
                let word = line.trim();
                let near = word != "end"
                    && (2..=4).contains(&word.len())
                    && word.bytes().all(|c| c.is_ascii_alphabetic())
                    && strsim::osa_distance(&word.to_ascii_lowercase(), "end") == 1;
                if near {
                    return self.report(
                        at + line.len() - line.trim_start().len(),
                        format!(
                            "`{word}` is read as a node, so the `subgraph` opened on line {} is never closed; did you mean `end`?",
                            self.lx.line_of(open) + 1
                        ),
                    );
                }
                at += line.len() + 1;
            }
            return self.report(
                open,
                format!(
                    "`subgraph` opened on line {} is never closed with `end`",
                    self.lx.line_of(open) + 1
                ),
            );
        }
        Ok(())
    }

    fn subgraph_title(&mut self, kw: Token) -> Res<()> {
        let mut words = 0;
        loop {
            let t = self.next()?;
            match t.kind {
                Tk::Newline | Tk::Semi | Tk::Eof => {
                    if t.kind == Tk::Eof {
                        self.peeked = Some(t);
                    }
                    if words == 0 {
                        return self.report(
                            kw.start,
                            "`subgraph` needs an id or a title, e.g. `subgraph backend [Backend]`"
                                .to_string(),
                        );
                    }
                    return Ok(());
                }
                Tk::Space => continue,
                Tk::Kw(Kw::End | Kw::Subgraph) | Tk::Graph => return Err(Halt::Unsure),
                Tk::Open(shape) => {
                    self.node_start = Some(t.start);
                    self.shape(shape, t)?;
                }
                _ => {}
            }
            words += 1;
        }
    }

    /// What may follow `click id `: a callback name or a quoted link, then an
    /// optional quoted tooltip (and, after a link, a target such as `_blank`), one
    /// space apart. Only a word where none of those can stand is reported; `call`,
    /// `href` and anything unusual are left alone.
    fn click(&self, kw: Token) -> Res<()> {
        let end = self.lx.line_end(kw.start);
        let rest = self.slice(kw.end, end).trim_end_matches([' ', '\t', '\r']);
        let rest = rest.split(';').next().unwrap_or("");
        if rest.starts_with("call") || rest.starts_with("href") || rest.is_empty() {
            return Ok(());
        }
        let word_char = |c: char| {
            c.is_ascii_alphanumeric()
                || matches!(c, '_' | '.' | ',' | ':' | '&' | '#' | '*' | '-' | '/')
        };
        let quoted = |r: &str| -> Option<usize> { r.strip_prefix('"')?.find('"').map(|k| k + 2) };
        let (first, link) = if rest.starts_with('"') {
            match quoted(rest) {
                Some(n) => (n, true),
                None => return Ok(()),
            }
        } else {
            let n = rest.find(|c: char| !word_char(c)).unwrap_or(rest.len());
            if n == 0 || !rest[n..].is_empty() && !rest[n..].starts_with(' ') {
                return Ok(());
            }
            (n, false)
        };
        let mut tail = &rest[first..];
        if let Some(t) = tail.strip_prefix(' ').filter(|t| t.starts_with('"')) {
            match quoted(t) {
                Some(n) => tail = &t[n..],
                None => return Ok(()),
            }
        }
        if link {
            if let Some(t) = tail.strip_prefix(' ') {
                if ["_self", "_blank", "_parent", "_top"].contains(&t) {
                    tail = "";
                }
            }
        }
        let Some(word) = tail.strip_prefix(' ') else {
            return Ok(());
        };
        if !word.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Ok(());
        }
        self.report(
            kw.start,
            format!(
                "unexpected `{}` in `{}`; `click` takes a callback or a quoted link, then an optional quoted tooltip",
                shorten(word),
                shorten(self.slice(kw.start, end).trim())
            ),
        )
    }

    /// `linkStyle 0,2 ...` may only name edges that exist already.
    fn link_style(&self, kw: Token) -> Res<()> {
        let Some(edges) = self.edges else {
            return Ok(());
        };
        let end = self.lx.line_end(kw.start);
        let rest = self.slice(kw.end, end).trim_start();
        let list = rest.split_whitespace().next().unwrap_or("");
        if list.is_empty() || !list.bytes().all(|c| c.is_ascii_digit() || c == b',') {
            return Ok(());
        }
        for n in list.split(',') {
            let Ok(i) = n.parse::<usize>() else {
                return Ok(());
            };
            if i >= edges {
                return self.report(
                    kw.start,
                    format!(
                        "`linkStyle {i}` refers to a link that does not exist yet: {edges} link(s) are defined before it, numbered from 0"
                    ),
                );
            }
        }
        Ok(())
    }

    /// Skips to the end of the line; returns how many space-separated words it held.
    fn skip_line(&mut self) -> Res<usize> {
        let mut words = 0;
        let mut in_word = false;
        loop {
            let t = self.next()?;
            match t.kind {
                Tk::Newline => return Ok(words),
                Tk::Eof => {
                    self.peeked = Some(t);
                    return Ok(words);
                }
                Tk::Kw(Kw::End | Kw::Subgraph) | Tk::Graph => return Err(Halt::Unsure),
                Tk::Space => in_word = false,
                Tk::Link | Tk::StartLink | Tk::Semi => {
                    self.edges = None;
                    in_word = true;
                }
                _ => {
                    if !in_word {
                        words += 1;
                    }
                    in_word = true;
                }
            }
        }
    }

    /// `node (link node)*` up to a separator. Returns the separator kind.
    fn vertex_statement(&mut self, first: Token) -> Res<Sep> {
        let (mut t, mut spaced, mut group) = self.node(first)?;
        loop {
            match t.kind {
                Tk::Newline => return Ok(Sep::Newline),
                Tk::Semi => return Ok(Sep::Semi),
                Tk::Eof => {
                    self.peeked = Some(t);
                    return Ok(Sep::Newline);
                }
                Tk::Link => {
                    let link = t;
                    let mut n = self.next()?;
                    if let Tk::Open(Shape::Pipe) = n.kind {
                        self.pipe_text(n)?;
                        let m = self.next()?;
                        n = self.skip_spaces(m)?.0;
                        if !is_id(&n) {
                            return self.no_target_after_label(link, n);
                        }
                    }
                    if !is_id(&n) {
                        return self.no_target(link, n);
                    }
                    let right;
                    (t, spaced, right) = self.node(n)?;
                    self.add_edges(group, right);
                    group = right;
                }
                Tk::LinkId => {
                    let n = self.next()?;
                    if !matches!(n.kind, Tk::Link | Tk::StartLink) {
                        return self.report(
                            t.start,
                            format!(
                                "edge id `{}` must be followed directly by an arrow, as in `A {0}--> B`",
                                self.tok_text(&t)
                            ),
                        );
                    }
                    t = n;
                    continue;
                }
                Tk::StartLink => {
                    let link = t;
                    self.edge_text(link)?;
                    let n = self.next()?;
                    if n.kind == Tk::Open(Shape::Pipe) {
                        return self.report(
                            self.text_start(&link),
                            format!(
                                "the edge label after `{}` runs on to an arrow followed by a `|label|`; write `A -->|label| B` or `A -- label --> B`",
                                self.tok_text(&link)
                            ),
                        );
                    }
                    if !is_id(&n) {
                        return self.no_target(link, n);
                    }
                    let right;
                    (t, spaced, right) = self.node(n)?;
                    self.add_edges(group, right);
                    group = right;
                }
                Tk::Open(shape) if spaced && shape != Shape::Pipe => {
                    return self.report(
                        t.start,
                        format!(
                            "space between node id `{}` and its shape `{}`; write them together, e.g. `{}{}...{}`",
                            self.node_id(),
                            self.tok_text(&t),
                            self.node_id(),
                            shape.open_str(),
                            shape.close_str()
                        ),
                    );
                }
                Tk::Id if spaced => {
                    let word = self.tok_text(&t);
                    if word.starts_with("%%") {
                        return self.report(t.start, inline_comment_msg());
                    }
                    return self.report(
                        t.start,
                        format!(
                            "unexpected `{word}` after node `{}`; node ids cannot contain spaces, put the text in a label like `id[\"...\"]`",
                            self.node_id()
                        ),
                    );
                }
                // Right after a shape's closer: text outside the label.
                Tk::Id => {
                    return self.report(
                        t.start,
                        format!(
                            "`{}` follows the shape of node `{}` outside its label; move it inside the brackets",
                            self.tok_text(&t),
                            self.node_id()
                        ),
                    );
                }
                Tk::ShapeData => {
                    return self.report(
                        t.start,
                        format!(
                            "`@{{ … }}` must follow its node id directly, as in `{}@{{ shape: rect }}`",
                            self.node_id()
                        ),
                    );
                }
                Tk::Str | Tk::MdStr => {
                    return self.report(
                        t.start,
                        format!(
                            "quoted text after node `{}` is outside any label; write it inside the shape, e.g. `{0}[\"...\"]`",
                            self.node_id()
                        ),
                    );
                }
                Tk::Kw(kw @ (Kw::Subgraph | Kw::End)) => {
                    return self.report(
                        t.start,
                        format!(
                            "`{}` starts its own line; here it follows node `{}`",
                            kw.as_str(),
                            self.node_id()
                        ),
                    );
                }
                _ => return Err(Halt::Unsure),
            }
        }
    }

    fn no_target<T>(&self, link: Token, n: Token) -> Res<T> {
        let arrow = self.tok_text(&link);
        match n.kind {
            Tk::Eof | Tk::Semi | Tk::Newline | Tk::Link | Tk::StartLink | Tk::LinkId | Tk::Amp => {
                self.report(link.start, format!("edge `{arrow}` has no target node"))
            }
            Tk::Kw(
                kw @ (Kw::End
                | Kw::Subgraph
                | Kw::Style
                | Kw::LinkStyle
                | Kw::ClassDef
                | Kw::Class
                | Kw::Click
                | Kw::Acc),
            ) => {
                if self.slice(link.start, link.end).contains('\n') || kw == Kw::Acc {
                    self.report(link.start, format!("edge `{arrow}` has no target node"))
                } else {
                    self.report(
                        n.start,
                        format!(
                            "`{}` is a reserved word and cannot be used as a node id",
                            kw.as_str()
                        ),
                    )
                }
            }
            Tk::Open(Shape::Odd) if n.start == link.end => self.report(
                link.start,
                format!("unknown arrow `{}>`", self.tok_text(&link)),
            ),
            Tk::Open(shape) if shape != Shape::Pipe => self.report(
                n.start,
                format!(
                    "edge `{arrow}` points to shape `{}` without a node id, e.g. `id{}...{}`",
                    self.tok_text(&n),
                    shape.open_str(),
                    shape.close_str()
                ),
            ),
            _ => Err(Halt::Unsure),
        }
    }

    fn no_target_after_label<T>(&self, link: Token, n: Token) -> Res<T> {
        match n.kind {
            Tk::Eof | Tk::Semi | Tk::Newline | Tk::Link | Tk::StartLink => self.report(
                link.start,
                format!(
                    "edge `{}` with a `|label|` has no target node on the same line",
                    self.tok_text(&link)
                ),
            ),
            _ => Err(Halt::Unsure),
        }
    }

    fn add_edges(&mut self, left: usize, right: usize) {
        self.edges = self
            .edges
            .and_then(|e| left.checked_mul(right).and_then(|n| e.checked_add(n)));
    }

    /// A node with optional `&` chaining. Returns the next non-space token,
    /// whether spaces preceded it and how many nodes the group holds.
    fn node(&mut self, first: Token) -> Res<(Token, bool, usize)> {
        let mut t = self.styled_vertex(first)?;
        let mut count = 1usize;
        loop {
            let (n, spaced) = self.skip_spaces(t)?;
            if n.kind != Tk::Amp {
                return Ok((n, spaced, count));
            }
            let m = self.next()?;
            let (m, _) = self.skip_spaces(m)?;
            if is_id(&m) {
                t = self.styled_vertex(m)?;
                count = count.saturating_add(1);
                continue;
            }
            return match m.kind {
                Tk::Link
                | Tk::StartLink
                | Tk::LinkId
                | Tk::Amp
                | Tk::ShapeData
                | Tk::Newline
                | Tk::Semi
                | Tk::Eof => self.report(n.start, "`&` is not followed by a node".to_string()),
                _ => Err(Halt::Unsure),
            };
        }
    }

    fn styled_vertex(&mut self, first: Token) -> Res<Token> {
        self.node_start = Some(first.start);
        let mut t = self.next()?;
        while is_id(&t) {
            t = self.next()?;
        }
        if let Tk::Open(shape) = t.kind {
            if shape == Shape::Pipe {
                return self.report(
                    t.start,
                    format!(
                        "unexpected `|` after node `{}`; an edge label goes right after a complete arrow, e.g. `A -->|label| B`",
                        self.node_id()
                    ),
                );
            }
            self.shape(shape, t)?;
            t = self.next()?;
        }
        if t.kind == Tk::StyleSep {
            let c = self.next()?;
            if !is_id(&c) {
                return self.report(
                    t.start,
                    format!(
                        "`:::` after node `{}` must be followed by a class name, e.g. `{0}:::hot`",
                        self.node_id()
                    ),
                );
            }
            t = self.next()?;
            while is_id(&t) {
                t = self.next()?;
            }
        }
        if t.kind == Tk::ShapeData {
            self.shape_data.push((first.start, t.start, t.end));
            t = self.next()?;
        }
        Ok(t)
    }

    /// Mermaid reads each node's `@{ … }` with js-yaml and checks its `shape` while
    /// it builds the diagram; an edge's (`e1@-->`, `e1@{ animate: true }`) is not.
    fn check_shape_data(&self) -> Option<MermaidError> {
        use super::yaml_flow::{check_config, config_pairs, Verdict};
        for &(id_start, start, end) in &self.shape_data {
            let id_end = self.text[id_start..start]
                .find('@')
                .map_or(start, |k| id_start + k);
            let id = self.text[id_start..id_end].trim();
            let edge_id = format!("{id}@");
            let is_edge = self.text.match_indices(&edge_id).any(|(k, _)| {
                let after = &self.text[k + edge_id.len()..];
                after.starts_with(['-', '=', '~', '.', '<', 'x', 'o'])
            });
            let raw = self.slice(start, end);
            let Some(content) = raw.strip_prefix("@{").and_then(|r| r.strip_suffix('}')) else {
                continue;
            };
            let line = self.lx.line_of(start);
            let pairs = match check_config(content) {
                Verdict::Invalid(why) => {
                    return Some(MermaidError::new(line, format!("node `{id}`: {why}")))
                }
                Verdict::Unsure => return None,
                Verdict::Valid => config_pairs(content),
            };
            if is_edge {
                continue;
            }
            let Some(shape) = pairs
                .iter()
                .find(|(k, _)| k == "shape")
                .and_then(|(_, v)| v.as_deref())
            else {
                continue;
            };
            if shape.is_empty() {
                continue;
            }
            if !SHAPES.contains(&shape) {
                let hint = if shape != shape.to_lowercase() || shape.contains('_') {
                    "; shape names are lowercase, with `-` between words"
                } else {
                    ""
                };
                return Some(MermaidError::new(
                    line,
                    format!("node `{id}` has no such shape `{shape}`{hint}"),
                ));
            }
        }
        None
    }

    fn nested_report<T>(&self, outer: Shape, open: Token, inner: Token) -> Res<T> {
        let between = self.slice(open.end, inner.start);
        let same_line = !between.contains('\n');
        let arrowish = ["--", "==", "-."].iter().any(|p| between.contains(p));
        if same_line && arrowish {
            return self.report(
                open.start,
                format!(
                    "unbalanced `{}` in node `{}`",
                    outer.open_str(),
                    self.node_snippet(open.start)
                ),
            );
        }
        let id = self.node_id();
        if !same_line {
            // The label ran on past its line: the closer is what is missing.
            return self.report(
                open.start,
                format!(
                    "`{}` of node `{id}` is never closed with `{}`: the label runs on to line {}, where `{}` cannot stand unquoted",
                    outer.open_str(),
                    outer.close_str(),
                    self.lx.line_of(inner.start) + 1,
                    self.tok_text(&inner),
                ),
            );
        }
        self.report(
            inner.start,
            format!(
                "unquoted `{}` inside the label of node `{id}`; wrap the label in quotes, e.g. `{id}{}\"...\"{}`",
                self.tok_text(&inner),
                outer.open_str(),
                outer.close_str()
            ),
        )
    }

    /// The label of a shape, after its opener. Mermaid's grammar wants
    /// `STR? TEXT*` (a quoted part only at the start) and the matching closer.
    fn shape(&mut self, shape: Shape, open: Token) -> Res<()> {
        let mut t = self.next()?;
        let double = matches!(
            (shape, t.kind),
            (Shape::Paren, Tk::Open(Shape::Paren)) | (Shape::Brace, Tk::Open(Shape::Brace))
        );
        if double {
            t = self.next()?;
        }
        let mut seen_text = false;
        let mut seen_str = false;
        loop {
            match t.kind {
                Tk::Text => seen_text = true,
                Tk::Str | Tk::MdStr => {
                    if seen_text || seen_str {
                        let id = self.node_id();
                        return self.report(
                            t.start,
                            format!(
                                "quoted text must be the whole label of node `{id}`; put the entire label in quotes"
                            ),
                        );
                    }
                    seen_str = true;
                }
                Tk::Close(c) => {
                    if c != shape.closer() {
                        return self.mismatch(shape, double, t);
                    }
                    if !seen_text && !seen_str {
                        if shape == Shape::Pipe {
                            return self.report(
                                t.start,
                                "edge label `||` is empty; write the text between the bars or leave them out".to_string(),
                            );
                        }
                        return self.report(
                            t.start,
                            format!("node `{}` has an empty label", self.node_id()),
                        );
                    }
                    if double {
                        let t2 = self.next()?;
                        if t2.kind != Tk::Close(shape) {
                            if matches!(t2.kind, Tk::Close(_)) {
                                return self.mismatch(shape, double, t2);
                            }
                            return self.report(
                                open.start,
                                format!(
                                    "unbalanced `{0}{0}` in node `{1}`",
                                    shape.open_str(),
                                    self.node_snippet(open.start)
                                ),
                            );
                        }
                    }
                    return Ok(());
                }
                Tk::Open(_) => {
                    if shape == Shape::Pipe {
                        let end = self.lx.line_end(open.start);
                        return self.report(
                            t.start,
                            format!(
                                "unquoted `{}` inside edge label `{}`; wrap the label in quotes like `|\"...\"|`",
                                self.tok_text(&t),
                                shorten(self.slice(open.start, end).trim_end())
                            ),
                        );
                    }
                    return self.nested_report(shape, open, t);
                }
                _ => return Err(Halt::Unsure),
            }
            t = self.next()?;
        }
    }

    fn mismatch<T>(&self, shape: Shape, double: bool, got: Token) -> Res<T> {
        let open = if double {
            format!("{0}{0}", shape.open_str())
        } else {
            shape.open_str().to_string()
        };
        match got.kind {
            Tk::Close(_) => self.report(
                got.start,
                format!(
                    "node `{}` opened with `{open}` is closed with `{}`",
                    self.node_id(),
                    self.tok_text(&got)
                ),
            ),
            _ => Err(Halt::Unsure),
        }
    }

    fn pipe_text(&mut self, open: Token) -> Res<()> {
        self.shape(Shape::Pipe, open)
    }

    /// Edge text after `--`, `==` or `-.` up to the closing arrow.
    ///
    /// Mermaid's grammar: `edgeText: STR | MD_STR | edgeTextToken | edgeText
    /// edgeTextToken`, so at least one token, and a quoted part only first.
    fn edge_text(&mut self, start: Token) -> Res<()> {
        let mut seen_text = false;
        let mut seen_str = false;
        loop {
            let t = self.next()?;
            match t.kind {
                Tk::EdgeText => seen_text = true,
                Tk::Str | Tk::MdStr => {
                    if seen_text || seen_str {
                        return self.report(
                            t.start,
                            format!(
                                "quoted text must come first in the edge label after `{}`; put the whole label in quotes",
                                self.tok_text(&start)
                            ),
                        );
                    }
                    seen_str = true;
                }
                Tk::Link => {
                    if !seen_text && !seen_str {
                        return self.report(
                            self.text_start(&start),
                            format!(
                                "edge `{} {}` has an empty label; write `A {0} text {1} B`, or `A {1} B` without one",
                                self.tok_text(&start),
                                self.tok_text(&t)
                            ),
                        );
                    }
                    return Ok(());
                }
                _ => return Err(Halt::Unsure),
            }
        }
    }
}

fn edge_open(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Normal => "--",
        EdgeKind::Thick => "==",
        EdgeKind::Dotted => "-.",
    }
}

fn edge_close(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Normal => "-->",
        EdgeKind::Thick => "==>",
        EdgeKind::Dotted => ".->",
    }
}

fn inline_comment_msg() -> String {
    "`%%` comments must be on their own line, not after a statement".to_string()
}
