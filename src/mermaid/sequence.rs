//! `sequenceDiagram` checking: block balance (`loop`/`alt`/... `end`),
//! section keywords in the right block, message and note shapes. Follows the
//! (case-insensitive) rules of Mermaid's `sequenceDiagram.jison` lexer.

use super::keywords::{shorten, Header};
use super::prep::Prepared;
use super::text::{has_prefix, kw_at, skip_hspace};
use super::MermaidError;
use std::collections::HashMap;

enum Halt {
    Unsure,
    Report(MermaidError),
}

type Res<T> = Result<T, Halt>;

/// Message arrows in the lexer's rule order (first match wins).
const ARROWS: [&str; 26] = [
    "->>", "<<->>", "-->>", "<<-->>", "->", "-->", "-x", "--x", "-)", "--)", "--|\\", "--|/",
    "--\\\\", "--//", "/|--", "\\|--", "//--", "\\\\--", "-|\\", "-|/", "-\\\\", "-//", "/|-",
    "\\|-", "//-", "\\\\-",
];

/// Patterns the actor rule refuses to swallow after a dash or slash.
const ACTOR_STOPS: [&str; 16] = [
    "-x", "--x", "-)", "--)", "-|\\", "-\\", "-/", "-//", "-|/", "/|-", "\\|-", "//-", "\\\\-",
    "--|\\", "--", "()",
];

fn excluded_first(c: u8) -> bool {
    matches!(
        c,
        b'/' | b'\\' | b'+' | b'(' | b')' | b'<' | b'-' | b'>' | b':' | b'\n' | b',' | b';'
    )
}

fn excluded_rest(c: u8) -> bool {
    matches!(c, b'+' | b'<' | b'-' | b'>' | b':' | b'\n' | b',' | b';')
}

/// Emulates the ACTOR rule from `i`; returns its end (== i when nothing matches).
fn actor_end(b: &[u8], i: usize) -> usize {
    let mut j = i;
    while j < b.len() && !excluded_first(b[j]) {
        j += 1;
    }
    if j == i {
        return i;
    }
    loop {
        let rest = &b[j..];
        if matches!(rest.first(), Some(b'-' | b'/' | b'\\' | b'('))
            && ACTOR_STOPS.iter().any(|s| has_prefix(rest, s.as_bytes()))
        {
            return j;
        }
        let mut k = j;
        while k < b.len() && b[k] == b'-' {
            k += 1;
        }
        if k >= b.len() || excluded_rest(b[k]) {
            return j;
        }
        while k < b.len() && !excluded_rest(b[k]) {
            k += 1;
        }
        j = k;
    }
}

fn arrow_at(b: &[u8], i: usize) -> Option<&'static str> {
    let rest = b.get(i..)?;
    if !matches!(rest.first(), Some(b'-' | b'<' | b'/' | b'\\')) {
        return None;
    }
    ARROWS
        .iter()
        .copied()
        .find(|a| has_prefix(rest, a.as_bytes()))
}

/// Whether `c` (lowercased) starts one of the lexer's keywords.
fn is_keyword_initial(c: u8) -> bool {
    matches!(
        c.to_ascii_lowercase(),
        b'a' | b'b' | b'c' | b'd' | b'e' | b'l' | b'n' | b'o' | b'p' | b'r' | b's' | b't'
    )
}

/// Whether one of the lexer's keywords (the tests' `KEYWORDS`) starts at `i`.
fn starts_with_keyword(s: &str, i: usize) -> bool {
    let b = s.as_bytes();
    let Some(&c) = b.get(i) else {
        return false;
    };
    let wl = word_len(b, i);
    let w = |k: &str| kw_w(s, i, wl, k);
    match c.to_ascii_lowercase() {
        b'a' => {
            w("actor")
                || w("alt")
                || w("and")
                || w("activate")
                || w("accTitle")
                || w("accDescr")
                || w("autonumber")
        }
        b'b' => w("box") || w("break"),
        b'c' => w("create") || w("critical"),
        b'd' => w("destroy") || w("details") || w("deactivate"),
        b'e' => w("else") || w("end"),
        b'l' => w("loop") || w("links") || w("link") || (wl == 4 && kw_at(s, i, "left of")),
        b'n' => w("note"),
        b'o' => w("opt") || w("option") || w("over") || w("off"),
        b'p' => w("participant") || w("par") || w("par_over") || w("properties"),
        b'r' => w("rect") || (wl == 5 && kw_at(s, i, "right of")),
        b's' => w("sequenceDiagram"),
        b't' => w("title"),
        _ => false,
    }
}

/// The block keyword (the tests' `BLOCKS`) at `i`, whose lowercased first
/// byte is `c0` and word length `wl`.
fn block_at(s: &str, i: usize, c0: u8, wl: usize) -> Option<&'static str> {
    let candidates: &[&'static str] = match c0 {
        b'p' => &["par_over", "par"],
        b'l' => &["loop"],
        b'r' => &["rect"],
        b'o' => &["opt"],
        b'a' => &["alt"],
        b'c' => &["critical"],
        b'b' => &["break", "box"],
        _ => &[],
    };
    candidates.iter().copied().find(|k| kw_w(s, i, wl, k))
}

/// Length of the run of word bytes (`[A-Za-z0-9_]`) at `i`.
fn word_len(b: &[u8], i: usize) -> usize {
    b.get(i..).map_or(0, |r| {
        r.iter()
            .take_while(|&&c| c.is_ascii_alphanumeric() || c == b'_')
            .count()
    })
}

/// [`kw_at`] for a `word` made of word bytes only, given the length `wl` of
/// the word at `i`: the whole word must match.
#[inline(always)]
fn kw_w(s: &str, i: usize, wl: usize, word: &str) -> bool {
    wl == word.len()
        && s.as_bytes()
            .get(i..i + wl)
            .is_some_and(|h| h.eq_ignore_ascii_case(word.as_bytes()))
}

struct Checker<'a> {
    lines: &'a [&'a str],
    blocks: Vec<(&'static str, usize)>,
    /// Activation depth per participant, as Mermaid's sequence database counts it.
    active: HashMap<String, usize>,
}

pub(super) fn check(p: &Prepared, header: Header) -> Option<MermaidError> {
    let mut c = Checker {
        lines: p.lines(),
        blocks: Vec::new(),
        active: HashMap::new(),
    };
    match c.run(header) {
        Ok(()) => None,
        Err(Halt::Unsure) => None,
        Err(Halt::Report(e)) => Some(e),
    }
}

impl Checker<'_> {
    fn run(&mut self, header: Header) -> Res<()> {
        let head = self.lines[header.line].get(header.col..).unwrap_or("");
        let after = head.get("sequenceDiagram".len()..).unwrap_or("");
        if !after.trim().is_empty() && after.trim() != ";" {
            return Err(Halt::Unsure);
        }
        let mut i = header.line + 1;
        while i < self.lines.len() {
            i = self.line(i)?;
        }
        if let Some(&(kw, line)) = self.blocks.last() {
            return Err(report(
                line,
                format!(
                    "`{kw}` opened on line {} is never closed with `end`",
                    line + 1
                ),
            ));
        }
        Ok(())
    }

    /// Checks the statements on line `i`; returns the next line to look at.
    fn line(&mut self, i: usize) -> Res<usize> {
        let s = self.lines[i];
        let b = s.as_bytes();
        let mut pos = 0;
        loop {
            pos = skip_hspace(s, pos);
            if pos >= b.len() || b[pos] == b'#' || b[pos] == b'%' {
                return Ok(i + 1);
            }
            if b[pos] == b';' {
                pos += 1;
                continue;
            }
            if b[pos].is_ascii_digit() {
                return Err(Halt::Unsure);
            }
            if !is_keyword_initial(b[pos]) {
                pos = self.message(i, pos)?;
                continue;
            }
            let c0 = b[pos].to_ascii_lowercase();
            let wl = word_len(b, pos);
            if kw_w(s, pos, wl, "accDescr") {
                let rest = skip_hspace(s, pos + 8);
                if b.get(rest) == Some(&b'{') {
                    return self.skip_multiline_descr(i, rest + 1);
                }
                return Ok(i + 1);
            }
            if let Some(kw) = block_at(s, pos, c0, wl) {
                self.blocks.push((kw, i));
                pos = line_state_end(s, pos + kw.len());
                continue;
            }
            let section: Option<(&str, &[&str])> = match c0 {
                b'e' if kw_w(s, pos, wl, "else") => Some(("else", &["alt"])),
                b'a' if kw_w(s, pos, wl, "and") => Some(("and", &["par", "par_over"])),
                b'o' if kw_w(s, pos, wl, "option") => Some(("option", &["critical"])),
                _ => None,
            };
            if let Some((kw, parents)) = section {
                let inner = self.blocks.last().map(|(k, _)| *k);
                if !inner.is_some_and(|k| parents.contains(&k)) {
                    let wanted = parents
                        .iter()
                        .map(|p| format!("`{p}`"))
                        .collect::<Vec<_>>()
                        .join(" or ");
                    return Err(report(
                        i,
                        format!("`{kw}` is only allowed directly inside a {wanted} block"),
                    ));
                }
                pos = line_state_end(s, pos + kw.len());
                continue;
            }
            if kw_w(s, pos, wl, "end") {
                if !s[pos + 3..].trim().is_empty() {
                    return Err(Halt::Unsure);
                }
                if self.blocks.pop().is_none() {
                    return Err(report(
                        i,
                        "`end` has no matching `loop`, `alt`, `opt`, `par`, `critical`, `break`, `rect` or `box`"
                            .to_string(),
                    ));
                }
                return Ok(i + 1);
            }
            if kw_w(s, pos, wl, "note") {
                pos = self.note(i, pos)?;
                continue;
            }
            for kw in ["activate", "deactivate"] {
                if kw_w(s, pos, wl, kw) {
                    let name = s[pos + kw.len()..].trim();
                    if name.is_empty() {
                        return Err(report(i, format!("`{kw}` needs a participant name")));
                    }
                    if name.contains(['<', '>', ':', ',', ';', '@', '#', '%']) {
                        return Err(Halt::Unsure);
                    }
                    if kw == "activate" {
                        *self.active.entry(name.to_string()).or_insert(0) += 1;
                    } else {
                        self.deactivate(i, name)?;
                    }
                    return Ok(i + 1);
                }
            }
            for kw in ["participant", "actor", "destroy", "create"] {
                if kw_w(s, pos, wl, kw) {
                    if s[pos + kw.len()..].trim().is_empty() {
                        let what = if kw == "create" {
                            "`participant` or `actor`"
                        } else {
                            "a participant name"
                        };
                        return Err(report(i, format!("`{kw}` needs {what}")));
                    }
                    return self.opaque(i);
                }
            }
            if starts_with_keyword(s, pos) {
                return self.opaque(i);
            }
            pos = self.message(i, pos)?;
        }
    }

    /// Lines we do not analyse; `;` could hide more statements there.
    fn opaque(&self, i: usize) -> Res<usize> {
        let s = &self.lines[i];
        if s.contains(';') || s.contains("@{") {
            return Err(Halt::Unsure);
        }
        Ok(i + 1)
    }

    fn skip_multiline_descr(&self, i: usize, from: usize) -> Res<usize> {
        if self.lines[i].get(from..).is_some_and(|r| r.contains('}')) {
            return Ok(i + 1);
        }
        for (k, l) in self.lines.iter().enumerate().skip(i + 1) {
            if l.contains('}') {
                return Ok(k + 1);
            }
        }
        Err(Halt::Unsure)
    }

    fn statement_text(&self, i: usize, from: usize) -> String {
        let s = &self.lines[i];
        let rest = s.get(from..).unwrap_or("");
        let end = rest.find([';', '#']).unwrap_or(rest.len());
        shorten(rest[..end].trim())
    }

    /// `actor arrow [+-] actor : text`
    fn message(&mut self, i: usize, start: usize) -> Res<usize> {
        let s = self.lines[i];
        let b = s.as_bytes();
        let colon = colon_or_semi(b, start);
        if has_double_percent(&b[start..colon]) {
            return Err(Halt::Unsure);
        }
        let a1 = actor_end(b, start);
        if a1 == start {
            if arrow_at(b, start).is_some() {
                return Err(report(
                    i,
                    format!(
                        "message `{}` has no source participant",
                        self.statement_text(i, start)
                    ),
                ));
            }
            return Err(Halt::Unsure);
        }
        let Some(arrow) = arrow_at(b, a1) else {
            return match b.get(a1) {
                None | Some(b':') | Some(b';') => Err(report(
                    i,
                    format!(
                        "`{}` is not a message; write `A->>B: text`",
                        self.statement_text(i, start)
                    ),
                )),
                Some(b'(') => Err(Halt::Unsure),
                Some(_) => Err(report(
                    i,
                    format!(
                        "invalid arrow in message `{}`; use `->>`, `-->>`, `->`, `-->`, `-x`, `--x`, `-)` or `--)`",
                        self.statement_text(i, start)
                    ),
                )),
            };
        };
        let mut j = a1 + arrow.len();
        let activation = b.get(j).copied().filter(|c| matches!(c, b'+' | b'-'));
        if activation.is_some() {
            j += 1;
        }
        let k = skip_hspace(s, j);
        if k >= b.len() || b[k] == b';' {
            if k > j && k >= b.len() {
                // Trailing spaces: the lexer joins the next line to this one.
                return Err(Halt::Unsure);
            }
            return Err(report(
                i,
                format!(
                    "message `{}` has no target participant",
                    self.statement_text(i, start)
                ),
            ));
        }
        if starts_with_keyword(s, k) {
            return Err(Halt::Unsure);
        }
        let a2 = actor_end(b, k);
        if a2 == k {
            return match b[k] {
                b'(' => Err(Halt::Unsure),
                b'<' | b'>' | b'/' | b'\\' | b'-' | b'+' | b')' => Err(report(
                    i,
                    format!(
                        "invalid arrow in message `{}`; use `->>`, `-->>`, `->`, `-->`, `-x`, `--x`, `-)` or `--)`",
                        self.statement_text(i, start)
                    ),
                )),
                _ => Err(report(
                    i,
                    format!(
                        "message `{}` has no target participant",
                        self.statement_text(i, start)
                    ),
                )),
            };
        }
        match b.get(a2) {
            Some(b':') => {
                match activation {
                    Some(b'+') => {
                        let to = s[k..a2].trim();
                        *self.active.entry(to.to_string()).or_insert(0) += 1;
                    }
                    Some(_) => self.deactivate(i, s[start..a1].trim())?,
                    None => {}
                }
                Ok(text_end(s, a2))
            }
            None | Some(b';') => Err(report(
                i,
                format!(
                    "message `{}` is missing its text; write `{}: text`",
                    self.statement_text(i, start),
                    self.statement_text(i, start)
                ),
            )),
            Some(_) if arrow_at(b, a2).is_some() => Err(report(
                i,
                format!(
                    "messages cannot be chained in `{}`; write one arrow per line",
                    self.statement_text(i, start)
                ),
            )),
            Some(b',') => Err(report(
                i,
                format!(
                    "a message has exactly one target; `{}` lists several",
                    self.statement_text(i, start)
                ),
            )),
            Some(_) => Err(Halt::Unsure),
        }
    }

    fn deactivate(&mut self, i: usize, name: &str) -> Res<()> {
        match self.active.get_mut(name) {
            Some(n) if *n > 0 => {
                *n -= 1;
                Ok(())
            }
            _ => Err(report(
                i,
                format!(
                    "participant `{}` is deactivated here but is not active",
                    shorten(name)
                ),
            )),
        }
    }

    /// `note (left of|right of|over) actor[,actor] : text`
    fn note(&self, i: usize, start: usize) -> Res<usize> {
        let s = self.lines[i];
        let b = s.as_bytes();
        let colon = colon_or_semi(b, start);
        if has_double_percent(&b[start..colon]) {
            return Err(Halt::Unsure);
        }
        let p = skip_hspace(s, start + 4);
        if p >= b.len() {
            if p > start + 4 {
                return Err(Halt::Unsure);
            }
            return Err(report(
                i,
                "`note` needs a position: `left of`, `right of` or `over`".to_string(),
            ));
        }
        let placement = ["left of", "right of", "over"]
            .into_iter()
            .find(|k| kw_at(s, p, k));
        let Some(placement) = placement else {
            return Err(report(
                i,
                "`note` needs a position: `left of`, `right of` or `over`".to_string(),
            ));
        };
        let p2 = p + placement.len();
        let q = skip_hspace(s, p2);
        if q >= b.len() && q > p2 {
            return Err(Halt::Unsure);
        }
        if q >= b.len() || b[q] == b':' || b[q] == b';' {
            return Err(report(i, format!("`note {placement}` needs a participant")));
        }
        if starts_with_keyword(s, q) {
            return Err(Halt::Unsure);
        }
        let mut a = actor_end(b, q);
        if a == q {
            return Err(Halt::Unsure);
        }
        if placement == "over" && b.get(a) == Some(&b',') {
            let r = skip_hspace(s, a + 1);
            let a2 = actor_end(b, r);
            if a2 == r {
                return Err(Halt::Unsure);
            }
            a = a2;
        }
        match b.get(a) {
            Some(b':') => Ok(text_end(s, a)),
            None | Some(b';') => Err(report(
                i,
                "`note` needs its text after a `:`, e.g. `note right of A: text`".to_string(),
            )),
            Some(_) => Err(Halt::Unsure),
        }
    }
}

/// End of the LINE state after a block keyword: `[:]?(no)?wrap)?[^#\n;]*`.
fn line_state_end(s: &str, from: usize) -> usize {
    let rest = s.as_bytes().get(from..).unwrap_or(&[]);
    from + rest
        .iter()
        .position(|&c| c == b';' || c == b'#')
        .unwrap_or(rest.len())
}

/// The first `:` of the statement at `start`, or where it ends (its `;` or
/// the line end) when it has none.
fn colon_or_semi(b: &[u8], start: usize) -> usize {
    b[start..]
        .iter()
        .position(|&c| c == b':' || c == b';')
        .map_or(b.len(), |c| start + c)
}

fn has_double_percent(b: &[u8]) -> bool {
    b.contains(&b'%') && b.windows(2).any(|w| w == b"%%")
}

/// End of a TXT token starting at the `:`.
fn text_end(s: &str, colon: usize) -> usize {
    line_state_end(s, colon + 1)
}

fn report(line: usize, msg: String) -> Halt {
    Halt::Report(MermaidError::new(line, msg))
}

#[cfg(test)]
mod tests {
    use super::{block_at, kw_at, starts_with_keyword};

    const BLOCKS: [&str; 9] = [
        "par_over", "loop", "rect", "opt", "alt", "par", "critical", "break", "box",
    ];

    /// Keywords the lexer tries before an actor name.
    const KEYWORDS: [&str; 33] = [
        "box",
        "participant",
        "actor",
        "create",
        "destroy",
        "loop",
        "rect",
        "opt",
        "alt",
        "else",
        "par",
        "par_over",
        "and",
        "critical",
        "option",
        "break",
        "end",
        "left of",
        "right of",
        "links",
        "link",
        "properties",
        "details",
        "over",
        "note",
        "activate",
        "deactivate",
        "title",
        "accTitle",
        "accDescr",
        "sequenceDiagram",
        "autonumber",
        "off",
    ];

    /// Variations around every keyword: case, what follows, prefixes.
    fn probes() -> Vec<String> {
        let mut out = Vec::new();
        for k in KEYWORDS.iter().chain(BLOCKS.iter()) {
            let variants = [k.to_string(), k.to_uppercase(), k.to_lowercase()];
            for v in variants {
                for tail in ["", " x", "x", "_", "1", ":", "-", ";", "  of", " of", "\t"] {
                    out.push(format!("{v}{tail}"));
                    out.push(format!("  {v}{tail}"));
                }
                for cut in 1..v.len() {
                    if v.is_char_boundary(cut) {
                        out.push(v[..cut].to_string());
                        out.push(format!("{} z", &v[..cut]));
                    }
                }
            }
        }
        for w in [
            "a",
            "left",
            "right",
            "leftof",
            "left  of",
            "overs",
            "A->>B: hi",
            "Alice",
            "",
        ] {
            out.push(w.to_string());
        }
        out
    }

    #[test]
    fn keyword_dispatch_matches_the_keyword_list() {
        for p in probes() {
            for i in 0..=p.len() {
                let want = KEYWORDS.iter().any(|k| kw_at(&p, i, k));
                assert_eq!(starts_with_keyword(&p, i), want, "{p:?} at {i}");
                let want_block = BLOCKS.iter().copied().find(|k| kw_at(&p, i, k));
                let c0 = p.as_bytes().get(i).map_or(0, |c| c.to_ascii_lowercase());
                let wl = super::word_len(p.as_bytes(), i);
                assert_eq!(block_at(&p, i, c0, wl), want_block, "{p:?} at {i}");
            }
        }
    }
}
