//! C4 diagram checking (`C4Context`, `C4Container`, ...), following the
//! lexer of Mermaid's `c4Diagram.jison`: every statement starts with a known
//! element macro followed directly by `(`, boundaries use `{ }`.

use std::cell::Cell;

use super::keywords::{shorten, Header};
use super::prep::Prepared;
use super::MermaidError;

/// Element macros in lexer order (longer names that share a prefix first).
const MACROS: [&str; 48] = [
    "C4Context",
    "C4Container",
    "C4Component",
    "C4Dynamic",
    "C4Deployment",
    "Person_Ext",
    "Person",
    "SystemQueue_Ext",
    "SystemDb_Ext",
    "System_Ext",
    "SystemQueue",
    "SystemDb",
    "System",
    "Boundary",
    "Enterprise_Boundary",
    "System_Boundary",
    "ContainerQueue_Ext",
    "ContainerDb_Ext",
    "Container_Ext",
    "ContainerQueue",
    "ContainerDb",
    "Container",
    "Container_Boundary",
    "ComponentQueue_Ext",
    "ComponentDb_Ext",
    "Component_Ext",
    "ComponentQueue",
    "ComponentDb",
    "Component",
    "Deployment_Node",
    "Node",
    "Node_L",
    "Node_R",
    "Rel",
    "BiRel",
    "Rel_Up",
    "Rel_U",
    "Rel_Down",
    "Rel_D",
    "Rel_Left",
    "Rel_L",
    "Rel_Right",
    "Rel_R",
    "Rel_Back",
    "RelIndex",
    "UpdateElementStyle",
    "UpdateRelStyle",
    "UpdateLayoutConfig",
];

enum Halt {
    Unsure,
    Report(usize, String),
}

struct Scan<'a> {
    s: &'a str,
    b: &'a [u8],
    line_starts: Vec<usize>,
    /// Per line: mentions `direction`, contains `->`.
    flags: Vec<(bool, bool)>,
    /// Where the first argument list ran on over a line break (a string or an
    /// unquoted argument, which runs to the next `,`): a later error most likely
    /// comes from it, so it is reported there.
    ran_on: Cell<Option<usize>>,
    /// The last boundary (`…Boundary(…)`, `Deployment_Node(…)`) not followed by `{`.
    unopened: Cell<Option<usize>>,
}

impl Scan<'_> {
    fn line_of(&self, pos: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= pos)
            .saturating_sub(1)
    }

    fn line_text(&self, pos: usize) -> String {
        let l = self.line_of(pos);
        let start = self.line_starts[l];
        let end = self.line_starts.get(l + 1).map_or(self.s.len(), |&e| e - 1);
        shorten(self.s.get(start..end).unwrap_or("").trim())
    }

    fn word_end(&self, mut p: usize) -> usize {
        while p < self.b.len() && (self.b[p].is_ascii_alphanumeric() || self.b[p] == b'_') {
            p += 1;
        }
        p
    }

    fn err<T>(&self, pos: usize, msg: String) -> Result<T, Halt> {
        if let Some(at) = self
            .ran_on
            .get()
            .filter(|&at| self.line_of(at) < self.line_of(pos))
        {
            return Err(Halt::Report(
                self.line_of(at),
                format!(
                    "the arguments of `{}` run on past the end of the line (is a `\"` or `)` missing or extra?), and then: {msg}",
                    self.line_text(at)
                ),
            ));
        }
        Err(Halt::Report(self.line_of(pos), msg))
    }

    fn note_ran_on(&self, from: usize, to: usize) {
        if self.ran_on.get().is_none() && self.s[from..to].contains('\n') {
            self.ran_on.set(Some(from));
        }
    }

    /// `Name(` never closed: an odd number of quotes on its line is the likely cause.
    fn never_closed<T>(&self, open: usize, name: &str) -> Result<T, Halt> {
        let line = self.line_text(open);
        if line.matches('"').count() % 2 == 1 {
            return self.err(
                open,
                format!("unbalanced `\"` in `{line}`, so `{name}(` is never closed with `)`"),
            );
        }
        self.err(open, format!("`{name}(` is never closed with `)`"))
    }

    /// Arguments after `(`, up to the matching `)`. Returns the position after it.
    fn attributes(&self, open: usize, name: &str) -> Result<usize, Halt> {
        let b = self.b;
        let mut p = open + 1;
        loop {
            if p >= b.len() {
                return self.never_closed(open, name);
            }
            let q = {
                let mut q = p;
                while q < b.len() && b[q] == b' ' {
                    q += 1;
                }
                q
            };
            match b[p] {
                b')' => return Ok(p + 1),
                b',' => {
                    p += 1;
                    continue;
                }
                _ => {}
            }
            if b.get(q) == Some(&b'"') {
                match self.s[q + 1..].find('"') {
                    Some(e) => {
                        p = q + 1 + e + 1;
                        self.note_ran_on(q, p);
                    }
                    None => {
                        return self.err(q, format!("unclosed `\"` in `{}`", self.line_text(q)))
                    }
                }
                continue;
            }
            if b.get(q) == Some(&b'$') {
                // `$key="value"`
                let Some(eq) = self.s[q..].find('=') else {
                    return Err(Halt::Unsure);
                };
                let v = q + eq + 1;
                let v = v + self.s[v..].len() - self.s[v..].trim_start_matches(' ').len();
                if b.get(v) != Some(&b'"') {
                    // After `$key=` Mermaid's lexer accepts only a `"`.
                    let key = self.s[q + 1..q + eq].trim();
                    return self.err(
                        q,
                        format!("the value of `${key}` must be quoted: `${key}=\"...\"`"),
                    );
                }
                match self.s[v + 1..].find('"') {
                    Some(e) => p = v + 1 + e + 1,
                    None => return Err(Halt::Unsure),
                }
                continue;
            }
            // `[^,]+`: runs to the next comma, across `)` and line breaks.
            match self.s[p..].find(',') {
                Some(c) => {
                    self.note_ran_on(p, p + c);
                    p += c;
                }
                None => return self.never_closed(open, name),
            }
        }
    }

    fn run(&self, start: usize) -> Result<(), Halt> {
        let b = self.b;
        let mut braces: Vec<usize> = Vec::new();
        let mut p = start;
        while p < b.len() {
            let c = b[p];
            if c.is_ascii_whitespace() {
                p += 1;
                continue;
            }
            let rest = &self.s[p..];
            if rest.starts_with("%%") {
                p += rest.find('\n').unwrap_or(rest.len());
                continue;
            }
            if c == b'{' {
                braces.push(p);
                p += 1;
                continue;
            }
            if c == b'}' {
                if braces.pop().is_none() {
                    if let Some(at) = self.unopened.get() {
                        return self.err(
                            at,
                            format!(
                                "boundary `{}` is not opened with `{{`, so the `}}` on line {} closes nothing",
                                self.line_text(at),
                                self.line_of(p) + 1
                            ),
                        );
                    }
                    return self.err(p, "unexpected `}` without an open boundary `{`".to_string());
                }
                p += 1;
                continue;
            }
            let (has_direction, has_arrow) = self
                .flags
                .get(self.line_of(p))
                .copied()
                .unwrap_or((true, false));
            if has_direction {
                return Err(Halt::Unsure);
            }
            if let Some(r) = rest.strip_prefix("title") {
                let after = r.as_bytes().first().copied();
                if after.is_some_and(|x| x.is_ascii_whitespace()) {
                    let content = &r[1..];
                    let end = content.find(['#', '\n', ';']).unwrap_or(content.len());
                    if end == 0 {
                        return self.err(p, "`title` needs a text".to_string());
                    }
                    p += 6 + end;
                    continue;
                }
            }
            if rest.starts_with("accTitle")
                || rest.starts_with("accDescr")
                || rest.starts_with("accDescription")
            {
                let line_rest = &rest[..rest.find('\n').unwrap_or(rest.len())];
                if line_rest.contains('{') {
                    return Err(Halt::Unsure);
                }
                p += line_rest.len();
                continue;
            }
            let we = self.word_end(p);
            let word = &self.s[p..we];
            if word.starts_with("C4") && MACROS[..5].contains(&word) {
                return Err(Halt::Unsure);
            }
            if MACROS.contains(&word) {
                if b.get(we) != Some(&b'(') {
                    return self.err(
                        p,
                        format!("`{word}` must be followed directly by `(`, e.g. `{word}(id, \"label\")`"),
                    );
                }
                p = self.attributes(we, word)?;
                if word.contains("Boundary") || word.starts_with("Deployment_Node") {
                    let next = self.s[p..].trim_start().as_bytes().first().copied();
                    if next != Some(b'{') {
                        self.unopened.set(Some(we));
                    }
                }
                continue;
            }
            if we > p {
                return self.err(
                    p,
                    format!(
                        "unknown C4 element `{}` in `{}`; an element is written `Name(alias, \"label\", …)`",
                        shorten(word),
                        self.line_text(p)
                    ),
                );
            }
            if c == b')' {
                return self.err(p, "unexpected `)` without a matching `(`".to_string());
            }
            if has_arrow {
                return self.err(
                    p,
                    format!(
                        "unexpected `{}`; C4 relationships are written `Rel(from, to, \"label\")`",
                        self.line_text(p)
                    ),
                );
            }
            if c.is_ascii() {
                return self.err(
                    p,
                    format!("unexpected `{}` in `{}`", c as char, self.line_text(p)),
                );
            }
            return Err(Halt::Unsure);
        }
        if let Some(&open) = braces.last() {
            return self.err(
                open,
                format!(
                    "`{{` opened on line {} is never closed with `}}`",
                    self.line_of(open) + 1
                ),
            );
        }
        Ok(())
    }
}

pub(super) fn check(p: &Prepared, header: Header) -> Option<MermaidError> {
    let text = p.joined();
    let mut line_starts = vec![0];
    for (i, c) in text.bytes().enumerate() {
        if c == b'\n' {
            line_starts.push(i + 1);
        }
    }
    let &ls = line_starts.get(header.line)?;
    let kw_start = ls + header.col;
    let flags = text
        .split('\n')
        .map(|l| (l.contains("direction"), l.contains("->")))
        .collect();
    let scan = Scan {
        s: &text,
        b: text.as_bytes(),
        line_starts,
        flags,
        ran_on: Cell::new(None),
        unopened: Cell::new(None),
    };
    // Skip the header keyword itself.
    let start = scan.word_end(kw_start);
    match scan.run(start) {
        Ok(()) | Err(Halt::Unsure) => None,
        Err(Halt::Report(line, msg)) => Some(MermaidError::new(line, msg)),
    }
}
