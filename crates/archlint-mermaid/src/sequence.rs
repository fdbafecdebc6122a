//! `sequenceDiagram` checking: block balance (`loop`/`alt`/... `end`),
//! section keywords in the right block, message and note shapes. Follows the
//! (case-insensitive) rules of Mermaid's `sequenceDiagram.jison` lexer.

use super::keywords::{shorten, Header};
use super::prep::{Lines, Prepared};
use super::text::{has_prefix, kw_at, skip_hspace};
use super::MermaidError;
use std::collections::HashMap;

enum Halt {
    Unsure,
    Report(MermaidError),
}

type Res<T> = Result<T, Halt>;

/// Whether `rest` starts with a pattern the actor rule refuses to swallow
/// after a dash or slash (the tests' `ACTOR_STOPS`).
fn is_actor_stop(rest: &[u8]) -> bool {
    let at = |k: usize| rest.get(k).copied().unwrap_or(0);
    match at(0) {
        b'-' => match at(1) {
            b'x' | b'-' | b')' | b'\\' | b'/' => true,
            b'|' => matches!(at(2), b'\\' | b'/'),
            _ => false,
        },
        b'/' => matches!(at(1), b'|' | b'/') && at(2) == b'-',
        b'\\' => matches!(at(1), b'|' | b'\\') && at(2) == b'-',
        b'(' => at(1) == b')',
        _ => false,
    }
}

#[inline(always)]
fn excluded_first(c: u8) -> bool {
    class(c) & EXCLUDED_FIRST != 0
}

#[inline(always)]
fn excluded_rest(c: u8) -> bool {
    class(c) & EXCLUDED_REST != 0
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
        if is_actor_stop(rest) {
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
    // `ARROWS` split by first byte, each part in the same order.
    let candidates: &[&'static str] = match rest.first()? {
        b'-' => &[
            "->>", "-->>", "->", "-->", "-x", "--x", "-)", "--)", "--|\\", "--|/", "--\\\\",
            "--//", "-|\\", "-|/", "-\\\\", "-//",
        ],
        b'<' => &["<<->>", "<<-->>"],
        b'/' => &["/|--", "//--", "/|-", "//-"],
        b'\\' => &["\\|--", "\\\\--", "\\|-", "\\\\-"],
        _ => return None,
    };
    candidates
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

/// What a statement starting at `i` is, by its leading keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lead {
    AccDescr,
    /// One of the tests' `BLOCKS`.
    Block(&'static str),
    /// `else`, `and`, `option` and the blocks they belong in.
    Section(&'static str, &'static [&'static str]),
    End,
    Note,
    /// `activate` or `deactivate`.
    Activation(&'static str),
    /// `participant`, `actor`, `destroy` or `create`.
    Declaration(&'static str),
    /// `left of`, `right of` or `over`, which only a `note` takes.
    Placement(&'static str),
    /// Any other of the lexer's keywords (the tests' `KEYWORDS`).
    OtherKeyword,
    /// No keyword: a message.
    Message,
}

fn lead_at(s: &str, i: usize) -> Lead {
    let b = s.as_bytes();
    let Some(&c) = b.get(i) else {
        return Lead::Message;
    };
    let c0 = c.to_ascii_lowercase();
    if !is_keyword_initial(c0) {
        return Lead::Message;
    }
    let wl = word_len(b, i);
    // The shortest keywords (`and`, `end`, `box`, ...) have three letters,
    // the longest (`sequenceDiagram`) fifteen.
    if !(3..=15).contains(&wl) {
        return Lead::Message;
    }
    let Some(word) = b.get(i..i + wl) else {
        return Lead::Message;
    };
    let is = |k: &str| word.eq_ignore_ascii_case(k.as_bytes());
    // By first letter and length, so that most words are compared with one keyword.
    match (c0, wl) {
        (b'a', 3) if is("alt") => Lead::Block("alt"),
        (b'a', 3) if is("and") => Lead::Section("and", &["par", "par_over"]),
        (b'a', 5) if is("actor") => Lead::Declaration("actor"),
        (b'a', 8) if is("accDescr") => Lead::AccDescr,
        (b'a', 8) if is("activate") => Lead::Activation("activate"),
        (b'a', 8) if is("accTitle") => Lead::OtherKeyword,
        (b'a', 10) if is("autonumber") => Lead::OtherKeyword,
        (b'b', 5) if is("break") => Lead::Block("break"),
        (b'b', 3) if is("box") => Lead::Block("box"),
        (b'c', 8) if is("critical") => Lead::Block("critical"),
        (b'c', 6) if is("create") => Lead::Declaration("create"),
        (b'd', 10) if is("deactivate") => Lead::Activation("deactivate"),
        (b'd', 7) if is("destroy") => Lead::Declaration("destroy"),
        (b'd', 7) if is("details") => Lead::OtherKeyword,
        (b'e', 4) if is("else") => Lead::Section("else", &["alt"]),
        (b'e', 3) if is("end") => Lead::End,
        (b'l', 4) if is("loop") => Lead::Block("loop"),
        (b'l', 4) if is("link") => Lead::OtherKeyword,
        (b'l', 4) if kw_at(s, i, "left of") => Lead::Placement("left of"),
        (b'l', 5) if is("links") => Lead::OtherKeyword,
        (b'n', 4) if is("note") => Lead::Note,
        (b'o', 3) if is("opt") => Lead::Block("opt"),
        (b'o', 6) if is("option") => Lead::Section("option", &["critical"]),
        (b'o', 4) if is("over") => Lead::Placement("over"),
        (b'o', 3) if is("off") => Lead::OtherKeyword,
        (b'p', 8) if is("par_over") => Lead::Block("par_over"),
        (b'p', 3) if is("par") => Lead::Block("par"),
        (b'p', 11) if is("participant") => Lead::Declaration("participant"),
        (b'p', 10) if is("properties") => Lead::OtherKeyword,
        (b'r', 4) if is("rect") => Lead::Block("rect"),
        (b'r', 5) if kw_at(s, i, "right of") => Lead::Placement("right of"),
        (b's', 15) if is("sequenceDiagram") => Lead::OtherKeyword,
        (b't', 5) if is("title") => Lead::OtherKeyword,
        _ => Lead::Message,
    }
}

/// Whether one of the lexer's keywords (the tests' `KEYWORDS`) starts at `i`.
fn starts_with_keyword(s: &str, i: usize) -> bool {
    lead_at(s, i) != Lead::Message
}

/// Fewer than three word bytes at `i`: too short for any keyword (the
/// shortest, `and`, `end`, `box`, ..., have three letters).
#[inline]
fn short_word(b: &[u8], i: usize) -> bool {
    let word = |k: usize| b.get(i + k).is_some_and(|&c| class(c) & WORD != 0);
    !(word(0) && word(1) && word(2))
}

/// `s.trim().is_empty()`, with a fast path for ASCII.
fn all_whitespace(s: &str) -> bool {
    for (i, &c) in s.as_bytes().iter().enumerate() {
        if c >= 0x80 {
            return s[i..].chars().all(char::is_whitespace);
        }
        if !matches!(c, b'\t'..=b'\r' | b' ') {
            return false;
        }
    }
    true
}

/// Length of the run of word bytes (`[A-Za-z0-9_]`) at `i`.
fn word_len(b: &[u8], i: usize) -> usize {
    let mut j = i;
    while j < b.len() && class(b[j]) & WORD != 0 {
        j += 1;
    }
    j.saturating_sub(i)
}

/// [`class`] bits: a word byte (`[A-Za-z0-9_]`), a byte the actor rule
/// stops at first (`EXCLUDED_FIRST`), and later (`EXCLUDED_REST`).
const WORD: u8 = 1;
const EXCLUDED_FIRST: u8 = 2;
const EXCLUDED_REST: u8 = 4;

const fn classes() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        let mut f = 0;
        if c.is_ascii_alphanumeric() || c == b'_' {
            f |= WORD;
        }
        if matches!(
            c,
            b'/' | b'\\' | b'+' | b'(' | b')' | b'<' | b'-' | b'>' | b':' | b'\n' | b',' | b';'
        ) {
            f |= EXCLUDED_FIRST;
        }
        if matches!(c, b'+' | b'<' | b'-' | b'>' | b':' | b'\n' | b',' | b';') {
            f |= EXCLUDED_REST;
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

struct Checker<'a, 'p> {
    lines: Lines<'a, 'p>,
    /// The line being checked.
    cur: &'a str,
    /// The text may hold `%%`, or `;` or `#` (else those scans are skipped).
    maybe_percent: bool,
    maybe_semi_or_hash: bool,
    maybe_semi_or_at: bool,
    blocks: Vec<(&'static str, usize)>,
    /// Activation depth per participant, as Mermaid's sequence database counts it.
    active: HashMap<String, usize>,
    /// The participant the last `create` or `destroy` named, which the next
    /// message must be to (`create`) or involve (`destroy`), with its line.
    pending: Option<Pending>,
}

struct Pending {
    created: bool,
    name: String,
    line: usize,
}

pub(super) fn check(p: &Prepared, header: Header) -> Option<MermaidError> {
    let mut c = Checker {
        lines: p.line_iter(),
        cur: "",
        maybe_percent: p.maybe_percent,
        maybe_semi_or_hash: p.maybe_semi || p.maybe_hash,
        maybe_semi_or_at: p.maybe_semi || p.maybe_at,
        blocks: Vec::new(),
        active: HashMap::new(),
        pending: None,
    };
    match c.run(header) {
        Ok(()) => None,
        Err(Halt::Unsure) => None,
        Err(Halt::Report(e)) => Some(e),
    }
}

impl Checker<'_, '_> {
    fn run(&mut self, header: Header) -> Res<()> {
        let head_line = self.lines.nth(header.line).unwrap_or("");
        let head = head_line.get(header.col..).unwrap_or("");
        let after = head.get("sequenceDiagram".len()..).unwrap_or("");
        if !after.trim().is_empty() && after.trim() != ";" {
            return Err(Halt::Unsure);
        }
        let mut i = header.line + 1;
        while let Some(s) = self.lines.next() {
            self.cur = s;
            // Past line `i` unless a multi-line statement consumed more lines.
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
        let s = self.cur;
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
            if let Some(n) = num_token(b, pos) {
                return Err(report(
                    i,
                    format!(
                        "`{}` followed by a space is read as a number, not a participant; write `{}->>…` without the space or give the participant a name",
                        &s[pos..pos + n],
                        &s[pos..pos + n]
                    ),
                ));
            }
            if kw_at(s, pos, "autonumber") {
                return self.autonumber(i, pos + "autonumber".len());
            }
            let lead = if short_word(b, pos) {
                Lead::Message
            } else {
                lead_at(s, pos)
            };
            match lead {
                Lead::Message => pos = self.message(i, pos)?,
                Lead::AccDescr => {
                    let rest = skip_hspace(s, pos + 8);
                    if b.get(rest) == Some(&b'{') {
                        return self.skip_multiline_descr(i, rest + 1);
                    }
                    return Ok(i + 1);
                }
                Lead::Block(kw) => {
                    self.blocks.push((kw, i));
                    pos = self.line_state_end(s, pos + kw.len());
                }
                Lead::Section(kw, parents) => {
                    let inner = self.blocks.last().map(|(k, _)| *k);
                    if !inner.is_some_and(|k| {
                        parents
                            .iter()
                            .any(|p| has_prefix(p.as_bytes(), k.as_bytes()) && p.len() == k.len())
                    }) {
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
                    pos = self.line_state_end(s, pos + kw.len());
                }
                Lead::End => {
                    // `end end` closes two blocks.
                    let rest = s[pos + 3..].trim();
                    if rest.eq_ignore_ascii_case("end") && self.blocks.pop().is_some() {
                        pos = skip_hspace(s, pos + 3);
                        continue;
                    }
                    if !all_whitespace(&s[pos + 3..]) {
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
                Lead::Note => pos = self.note(i, pos)?,
                Lead::Activation(kw) => {
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
                Lead::Declaration(kw) if kw != "destroy" && s.contains("@{") => {
                    return self.configured_declaration(i, pos + kw.len());
                }
                Lead::Declaration(kw) if kw != "destroy" && s.contains('@') => {
                    return self.at_in_name(i, pos + kw.len());
                }
                Lead::Declaration(kw) => {
                    if s[pos + kw.len()..].trim().is_empty() {
                        let what = if kw == "create" {
                            "`participant` or `actor`"
                        } else {
                            "a participant name"
                        };
                        return Err(report(i, format!("`{kw}` needs {what}")));
                    }
                    return self.declaration(i, pos, kw);
                }
                Lead::Placement(kw) => {
                    return Err(report(
                        i,
                        format!("`{kw}` places a note and must follow `note`, as in `note {kw} A: text`"),
                    ));
                }
                Lead::OtherKeyword => return self.opaque(i),
            }
        }
    }

    /// A declaration with `@` but no `@{`: an `@` in the name (before any ` as `) is
    /// a lexer error in Mermaid; after ` as ` it is part of the alias.
    fn at_in_name(&self, i: usize, from: usize) -> Res<usize> {
        let s = self.cur;
        let mut rest = s[from..].trim_start();
        for kw in ["participant", "actor"] {
            let b = rest.as_bytes();
            if b.len() > kw.len()
                && b[..kw.len()].eq_ignore_ascii_case(kw.as_bytes())
                && b[kw.len()].is_ascii_whitespace()
            {
                rest = rest[kw.len()..].trim_start();
            }
        }
        let name = rest.split_whitespace().next().unwrap_or("");
        if rest.contains(';') || rest.contains('#') || name.is_empty() {
            return Err(Halt::Unsure);
        }
        if name.contains('@') {
            return Err(report(
                i,
                format!(
                    "`@` in participant `{}`: a participant's config is written `Name@{{ \"type\": \"database\" }}`",
                    shorten(name)
                ),
            ));
        }
        self.opaque(i)
    }

    /// `autonumber`, `autonumber off`, `autonumber <start>` or `autonumber <start> <step>`.
    fn autonumber(&self, i: usize, from: usize) -> Res<usize> {
        let s = self.cur;
        let rest = &s[from..];
        if rest.contains([';', '#', '%']) {
            return Err(Halt::Unsure);
        }
        let words: Vec<&str> = rest.split_whitespace().collect();
        let number = |w: &str| {
            let mut padded = w.to_string();
            padded.push(' ');
            num_token(padded.as_bytes(), 0) == Some(w.len())
        };
        let ok = match words.as_slice() {
            [] => true,
            [w] if w.eq_ignore_ascii_case("off") => true,
            [a] => number(a),
            [a, b] => number(a) && number(b),
            _ => false,
        };
        if ok && !rest.starts_with(|c: char| !c.is_whitespace()) {
            return Ok(i + 1);
        }
        Err(report(
            i,
            format!(
                "`autonumber{}` is not understood; write `autonumber`, `autonumber off`, `autonumber 10` or `autonumber 10 5` (numbers with at most two decimals)",
                rest.trim_end()
            ),
        ))
    }

    /// `participant NAME@{ config } [as alias]` (also after `actor`, `create`): the
    /// config is YAML that Mermaid reads with js-yaml while it builds the diagram.
    fn configured_declaration(&mut self, i: usize, from: usize) -> Res<usize> {
        let s = self.cur;
        let mut rest = s[from..].trim_start();
        for kw in ["participant", "actor"] {
            let b = rest.as_bytes();
            if b.len() > kw.len()
                && b[..kw.len()].eq_ignore_ascii_case(kw.as_bytes())
                && b[kw.len()].is_ascii_whitespace()
            {
                rest = rest[kw.len()..].trim_start();
            }
        }
        let Some(at) = rest.find("@{") else {
            return Err(Halt::Unsure);
        };
        let name = &rest[..at];
        if name.is_empty() {
            return Err(report(
                i,
                "`@{` needs a participant name right before it".to_string(),
            ));
        }
        let simple = !name.is_empty()
            && name
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.'));
        if !simple || rest.contains(';') || rest.contains('#') {
            return Err(Halt::Unsure);
        }
        let body = &rest[at + 2..];
        let Some(close) = body.find('}') else {
            // The config goes on over the next lines up to the first `}`, and js-yaml
            // reads all of that as a block mapping; a `}` nowhere after it never closes.
            let mut content = body.to_string();
            for l in self.lines.clone() {
                content.push('\n');
                if let Some(end) = l.find('}') {
                    content.push_str(&l[..end]);
                    if let super::yaml_flow::Verdict::Invalid(why) =
                        super::yaml_flow::check_config(&content)
                    {
                        return Err(report(
                            i,
                            format!("the config `@{{` of participant `{name}` is not closed with `}}` on its line; read up to the next `}}`, it is not a valid mapping: {why}"),
                        ));
                    }
                    return Err(Halt::Unsure);
                }
                content.push_str(l);
            }
            return Err(report(
                i,
                format!("the config `@{{` of participant `{name}` is never closed with `}}`"),
            ));
        };
        let content = &body[..close];
        if content.is_empty() {
            return Err(report(
                i,
                format!("the config `@{{}}` of participant `{name}` is empty; write `@{{ \"type\": \"database\" }}` or leave it out"),
            ));
        }
        match super::yaml_flow::check_config(content) {
            super::yaml_flow::Verdict::Valid => {}
            super::yaml_flow::Verdict::Unsure => return Err(Halt::Unsure),
            super::yaml_flow::Verdict::Invalid(why) => {
                return Err(report(i, format!("participant `{name}`: {why}")))
            }
        }
        let after = body[close + 1..].trim();
        if !after.is_empty() && !starts_alias(after) {
            return Err(report(
                i,
                format!(
                    "nothing may follow the config of participant `{name}` but `as <alias>`; found `{}`",
                    shorten(after)
                ),
            ));
        }
        Ok(i + 1)
    }

    /// `participant`, `actor`, `destroy` or `create` without `@` on the line: the
    /// name as Mermaid's ID state reads it. A name followed by ` as ` may hold
    /// nothing but the name; one without takes the line up to `;` or `#`, and must
    /// not hold `<`, `>`, `:` or `,`.
    fn declaration(&mut self, i: usize, pos: usize, kw: &'static str) -> Res<usize> {
        let s = self.cur;
        let mut from = pos + kw.len();
        let mut created = false;
        if kw == "create" {
            let q = skip_hspace(s, from);
            let Some(inner) = ["participant", "actor"].into_iter().find(|k| {
                kw_at(s, q, k)
                    && s.as_bytes()
                        .get(q + k.len())
                        .is_some_and(|c| c.is_ascii_whitespace())
            }) else {
                return self.opaque(i);
            };
            from = q + inner.len();
            created = true;
        }
        let rest = s[from..].trim_start();
        if rest.is_empty() || rest.starts_with('#') {
            return self.opaque(i);
        }
        let word_end = rest
            .find(|c: char| c.is_whitespace() || "<>:,;@".contains(c))
            .unwrap_or(rest.len());
        let after = &rest[word_end..];
        let aliased = after.starts_with(char::is_whitespace) && starts_alias(after.trim_start());
        let name = if aliased {
            &rest[..word_end]
        } else {
            let end = rest.find([';', '#']).unwrap_or(rest.len());
            let name = &rest[..end];
            if let Some(c) = name.chars().find(|c| "<>:,".contains(*c)) {
                return Err(report(
                    i,
                    format!(
                        "a participant's name cannot hold `{c}`; in `{}` give it an alias for the text, e.g. `{kw} A as {}`",
                        shorten(s.trim()),
                        shorten(name.trim())
                    ),
                ));
            }
            name.trim()
        };
        if kw == "destroy" || created {
            self.pending = Some(Pending {
                created,
                name: name.to_string(),
                line: i,
            });
        }
        self.opaque(i)
    }

    /// Mermaid's check on each message after a `create` or `destroy`.
    fn check_pending(&mut self, i: usize, from: &str, to: &str) -> Res<()> {
        let Some(p) = self.pending.take() else {
            return Ok(());
        };
        let ok = to == p.name || (!p.created && from == p.name);
        if ok {
            return Ok(());
        }
        let (what, needs) = if p.created {
            ("created", format!("be sent to `{}`", p.name))
        } else {
            ("destroyed", format!("involve `{}`", p.name))
        };
        Err(report(
            i,
            format!(
                "participant `{}` is {what} on line {} but the next message does not {needs}",
                p.name,
                p.line + 1
            ),
        ))
    }

    /// Lines we do not analyse; `;` could hide more statements there.
    fn opaque(&self, i: usize) -> Res<usize> {
        let s = self.cur;
        if self.maybe_semi_or_at && (s.contains(';') || s.contains("@{")) {
            return Err(Halt::Unsure);
        }
        Ok(i + 1)
    }

    fn skip_multiline_descr(&mut self, i: usize, from: usize) -> Res<usize> {
        if self.cur.get(from..).is_some_and(|r| r.contains('}')) {
            return Ok(i + 1);
        }
        let mut k = i;
        for l in self.lines.by_ref() {
            k += 1;
            if l.contains('}') {
                return Ok(k + 1);
            }
        }
        Err(Halt::Unsure)
    }

    fn statement_text(&self, _i: usize, from: usize) -> String {
        let s = self.cur;
        let rest = s.get(from..).unwrap_or("");
        let end = rest.find([';', '#']).unwrap_or(rest.len());
        shorten(rest[..end].trim())
    }

    /// `actor arrow [+-] actor : text`
    fn message(&mut self, i: usize, start: usize) -> Res<usize> {
        let s = self.cur;
        let b = s.as_bytes();
        if self.maybe_percent && has_double_percent(&b[start..colon_or_semi(b, start)]) {
            return Err(Halt::Unsure);
        }
        let a1 = actor_end(b, start);
        if a1 == start {
            if arrow_at(b, start).is_some() || b[start..].starts_with(b"()") {
                return Err(report(
                    i,
                    format!(
                        "message `{}` has no source participant",
                        self.statement_text(i, start)
                    ),
                ));
            }
            if matches!(b[start], b'-' | b'+' | b'<' | b'>' | b')') {
                return Err(report(
                    i,
                    format!(
                        "`{}` cannot start a statement; a message is written `A->>B: text`",
                        &s[start..start + 1]
                    ),
                ));
            }
            return Err(Halt::Unsure);
        }
        let from_end = a1;
        // `A ()->> B`: a central connection at the source (the `()` token).
        let mut a1 = a1;
        let reverse = b[a1..].starts_with(b"()");
        if reverse {
            a1 = skip_hspace(s, a1 + 2);
        }
        let Some(arrow) = arrow_at(b, a1) else {
            if reverse {
                return Err(report(
                    i,
                    format!(
                        "`()` in message `{}` must be followed by an arrow such as `->>`",
                        self.statement_text(i, start)
                    ),
                ));
            }
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
        let mut k = skip_hspace(s, j);
        // `A ->>() B`: a central connection at the target; no `+`/`-` with a `()`.
        if b[k..].starts_with(b"()") {
            if activation.is_some() {
                return Err(report(
                    i,
                    format!(
                        "message `{}` cannot both (de)activate with `+`/`-` and connect centrally with `()`",
                        self.statement_text(i, start)
                    ),
                ));
            }
            k = skip_hspace(s, k + 2);
        } else if reverse && activation.is_some() {
            return Err(report(
                i,
                format!(
                    "message `{}` cannot both connect centrally with `()` and (de)activate with `+`/`-`",
                    self.statement_text(i, start)
                ),
            ));
        }
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
        if !short_word(b, k) && starts_with_keyword(s, k) {
            return Err(Halt::Unsure);
        }
        if let Some(n) = num_token(b, k) {
            return Err(report(
                i,
                format!(
                    "in message `{}` the target `{}` followed by a space is read as a number; remove the space before `:`",
                    self.statement_text(i, start),
                    &s[k..k + n]
                ),
            ));
        }
        let a2 = actor_end(b, k);
        if a2 == k {
            return match b[k] {
                // A participant's name cannot start with `(`; `()` was taken above.
                b'(' => Err(report(
                    i,
                    format!(
                        "in message `{}` the target's name cannot start with `(`; a central connection is `()` right after the arrow",
                        self.statement_text(i, start)
                    ),
                )),
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
                self.check_pending(i, s[start..from_end].trim(), s[k..a2].trim())?;
                match activation {
                    Some(b'+') => {
                        let to = s[k..a2].trim();
                        *self.active.entry(to.to_string()).or_insert(0) += 1;
                    }
                    Some(_) => self.deactivate(i, s[start..a1].trim())?,
                    None => {}
                }
                Ok(self.line_state_end(s, a2 + 1))
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
            // No rule reads a lone `<` or `>` (the text was meant to follow a `:`).
            Some(b'<' | b'>') => Err(report(
                i,
                format!(
                    "message `{}` is missing the `:` before its text",
                    self.statement_text(i, start)
                ),
            )),
            Some(_) => Err(Halt::Unsure),
        }
    }

    /// [`line_state_end`], skipped when the text has neither `;` nor `#`.
    fn line_state_end(&self, s: &str, from: usize) -> usize {
        if self.maybe_semi_or_hash {
            line_state_end(s, from)
        } else {
            from.max(s.len())
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
        let s = self.cur;
        let b = s.as_bytes();
        if self.maybe_percent && has_double_percent(&b[start..colon_or_semi(b, start)]) {
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
            let word = &s[q..q + word_len(b, q).max(1)];
            return Err(report(
                i,
                format!("`note {placement}` needs a participant; `{word}` is a keyword"),
            ));
        }
        let mut a = actor_end(b, q);
        if a == q {
            return Err(Halt::Unsure);
        }
        if placement == "over" && b.get(a) == Some(&b',') {
            let r = skip_hspace(s, a + 1);
            let a2 = actor_end(b, r);
            if a2 == r {
                if matches!(b.get(r), None | Some(b':' | b';')) {
                    return Err(report(
                        i,
                        "`note over A,` needs a second participant after the `,`".to_string(),
                    ));
                }
                return Err(Halt::Unsure);
            }
            a = a2;
        }
        match b.get(a) {
            Some(b':') => Ok(self.line_state_end(s, a + 1)),
            None | Some(b';') => Err(report(
                i,
                "`note` needs its text after a `:`, e.g. `note right of A: text`".to_string(),
            )),
            Some(_) => Err(Halt::Unsure),
        }
    }
}

/// `as` and a blank at the start of `s`: the alias of a declaration (any case).
fn starts_alias(s: &str) -> bool {
    let a = s.as_bytes();
    a.len() > 2 && a[..2].eq_ignore_ascii_case(b"as") && a[2].is_ascii_whitespace()
}

/// Mermaid's NUM rule at `i`: `[0-9]+(\.[0-9]{1,2})?` or `\.[0-9]{1,2}`, followed by
/// a space or a line break; its length.
fn num_token(b: &[u8], i: usize) -> Option<usize> {
    let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut n = digits;
    if b.get(i + n) == Some(&b'.') {
        let frac = b[i + n + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if (1..=2).contains(&frac) {
            n += 1 + frac;
        } else if digits == 0 || frac > 2 {
            return None;
        }
    }
    if n == 0 || (digits == 0 && n < 2) {
        return None;
    }
    matches!(b.get(i + n), Some(b' ' | b'\n')).then_some(n)
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

fn report(line: usize, msg: String) -> Halt {
    Halt::Report(MermaidError::new(line, msg))
}

#[cfg(test)]
mod tests {
    use super::{arrow_at, is_actor_stop, kw_at, lead_at, starts_with_keyword, Lead};

    /// Patterns the actor rule refuses to swallow after a dash or slash.
    const ACTOR_STOPS: [&str; 16] = [
        "-x", "--x", "-)", "--)", "-|\\", "-\\", "-/", "-//", "-|/", "/|-", "\\|-", "//-", "\\\\-",
        "--|\\", "--", "()",
    ];

    /// Message arrows in the lexer's rule order (first match wins).
    const ARROWS: [&str; 26] = [
        "->>", "<<->>", "-->>", "<<-->>", "->", "-->", "-x", "--x", "-)", "--)", "--|\\", "--|/",
        "--\\\\", "--//", "/|--", "\\|--", "//--", "\\\\--", "-|\\", "-|/", "-\\\\", "-//", "/|-",
        "\\|-", "//-", "\\\\-",
    ];

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
                let block = match lead_at(&p, i) {
                    Lead::Block(k) => Some(k),
                    _ => None,
                };
                assert_eq!(block, want_block, "{p:?} at {i}");
            }
        }
    }

    #[test]
    fn arrow_dispatch_matches_the_arrow_list() {
        let alphabet = [b'-', b'>', b'<', b'x', b')', b'(', b'|', b'\\', b'/', b'a'];
        let mut words: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..6 {
            let longer: Vec<Vec<u8>> = words
                .iter()
                .filter(|w| w.len() == words.last().map_or(0, Vec::len))
                .flat_map(|w| {
                    alphabet.iter().map(move |&c| {
                        let mut v = w.clone();
                        v.push(c);
                        v
                    })
                })
                .collect();
            words.extend(longer);
        }
        for w in &words {
            let want = ARROWS.iter().copied().find(|a| w.starts_with(a.as_bytes()));
            assert_eq!(arrow_at(w, 0), want, "{:?}", String::from_utf8_lossy(w));
            let stop = ACTOR_STOPS.iter().any(|a| w.starts_with(a.as_bytes()));
            assert_eq!(is_actor_stop(w), stop, "{:?}", String::from_utf8_lossy(w));
        }
    }
}
