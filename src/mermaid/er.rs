//! `erDiagram` checking: relationship shape and labels, entity attribute blocks.
//! Mermaid's ER lexer is case-insensitive and reads cardinality words
//! (`many`, `one`, `to`, ...) as keywords wherever a token starts.

use super::keywords::{shorten, Header};
use super::prep::Prepared;
use super::text::kw_at;
use super::MermaidError;
use regex::Regex;
use std::sync::LazyLock;

static RELATIONSHIP: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r#"^(?P<a>"[^"]*"|[A-Za-z_][A-Za-z0-9_\-]*)\s+(?P<sym>[|o}{.\->]+)\s+(?P<b>"[^"]*"|[A-Za-z_][A-Za-z0-9_\-]*)\s*(?P<label>:.*)?$"#,
    )
    .ok()
});

static NO_SOURCE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"^(?P<sym>[|o}{.\->]+)\s+(?:"[^"]*"|[A-Za-z_][A-Za-z0-9_\-]*)\s*(?::.*)?$"#).ok()
});
static NO_TARGET: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"^(?:"[^"]*"|[A-Za-z_][A-Za-z0-9_\-]*)\s+(?P<sym>[|o}{.\->]+)\s*(?::.*)?$"#).ok()
});

fn report(line: usize, msg: String) -> Option<MermaidError> {
    Some(MermaidError::new(line, msg))
}

fn valid_symbol(sym: &str) -> bool {
    let left = ["|o", "||", "}o", "}|"];
    let rel = ["--", "..", ".-", "-."];
    let right = ["o|", "||", "o{", "|{"];
    sym.len() == 6
        && left.contains(&&sym[..2])
        && rel.contains(&&sym[2..4])
        && right.contains(&&sym[4..])
}

fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// `word` at the start of `w`, case-insensitive, followed by a word boundary.
fn starts_reserved(w: &str, words: &[&str]) -> Option<String> {
    words.iter().find(|k| kw_at(w, 0, k)).map(|k| k.to_string())
}

fn risky_name(n: &str) -> bool {
    let l = n.to_ascii_lowercase();
    [
        "one",
        "many",
        "to",
        "zero",
        "only",
        "optionally",
        "u",
        "end",
        "class",
        "style",
        "subgraph",
    ]
    .iter()
    .any(|k| l.starts_with(k))
}

pub(super) fn check(p: &Prepared, header: Header) -> Option<MermaidError> {
    let lines = p.lines();
    let mut block: Option<(String, usize, Attr)> = None;
    let mut pending = String::new();
    for (li, line) in lines.iter().enumerate().skip(header.line + 1) {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if t.contains(['~', '`']) {
            return None;
        }
        if let Some((name, open, state)) = block.as_mut() {
            match attributes(t, state, &mut pending) {
                Attrs::Open => continue,
                Attrs::Closed => {
                    block = None;
                    continue;
                }
                Attrs::MissingName(ty) => {
                    let _ = (name, open);
                    return report(
                        li,
                        format!(
                            "attribute `{}` needs a type and a name, e.g. `string {}`",
                            shorten(&ty),
                            shorten(&ty)
                        ),
                    );
                }
                Attrs::Unsure => return None,
            }
        }
        if t.starts_with('}') {
            return report(
                li,
                "unexpected `}` without an open entity block".to_string(),
            );
        }
        let lower = t.to_ascii_lowercase();
        if [
            "title",
            "acctitle",
            "accdescr",
            "direction",
            "style",
            "classdef",
            "class",
        ]
        .iter()
        .any(|k| lower.starts_with(k))
            || lower.contains("direction")
        {
            if t.contains(['{', '}']) {
                return None;
            }
            continue;
        }
        match relationship(t, li, &lines[li + 1..]) {
            Rel::Error(e) => return Some(e),
            Rel::Fine => continue,
            Rel::Unsure => return None,
            Rel::NotOne => {}
        }
        if let Some(b) = t.find('{') {
            let name = t[..b].trim();
            let simple = !name.is_empty()
                && name
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-');
            if !simple || risky_name(name) {
                return None;
            }
            let rest = t[b + 1..].trim();
            let mut state = Attr::Type;
            if !rest.is_empty() {
                match attributes(rest, &mut state, &mut pending) {
                    Attrs::Open => {}
                    Attrs::Closed => continue,
                    _ => return None,
                }
            }
            block = Some((name.to_string(), li, state));
            continue;
        }
    }
    if let Some((name, open, _)) = block {
        return report(
            open,
            format!(
                "entity block `{name} {{` opened on line {} is never closed with `}}`",
                open + 1
            ),
        );
    }
    None
}

#[derive(Clone, Copy, PartialEq)]
enum Attr {
    Type,
    Name,
    AfterName,
    AfterKey,
    Key,
}

enum Attrs {
    Open,
    Closed,
    MissingName(String),
    Unsure,
}

/// Attribute tokens inside an entity block (whitespace, newlines included,
/// only separates tokens): `type name [PK|FK|UK[, ...]] ["comment"]`.
fn attributes(t: &str, state: &mut Attr, last_word: &mut String) -> Attrs {
    let b = t.as_bytes();
    let mut k = 0;
    while k < b.len() {
        let c = b[k];
        if c.is_ascii_whitespace() {
            k += 1;
            continue;
        }
        if c == b'}' {
            if *state == Attr::Name {
                return Attrs::MissingName(last_word.clone());
            }
            if *state == Attr::Key || !t[k + 1..].trim().is_empty() {
                return Attrs::Unsure;
            }
            return Attrs::Closed;
        }
        if c == b'"' {
            let Some(e) = t[k + 1..].find('"') else {
                return Attrs::Unsure;
            };
            if !matches!(*state, Attr::AfterName | Attr::AfterKey) {
                return Attrs::Unsure;
            }
            *state = Attr::Type;
            k += e + 2;
            continue;
        }
        if c == b',' {
            if *state != Attr::AfterKey {
                return Attrs::Unsure;
            }
            *state = Attr::Key;
            k += 1;
            continue;
        }
        let is_key = ["PK", "FK", "UK"].iter().any(|key| kw_at(t, k, key));
        if is_key {
            if !matches!(*state, Attr::AfterName | Attr::Key) {
                return Attrs::Unsure;
            }
            *state = Attr::AfterKey;
            k += 2;
            continue;
        }
        let first_ok = c.is_ascii_alphabetic() || c == b'_' || c == b'*' || c >= 0xc3;
        if !first_ok {
            return Attrs::Unsure;
        }
        let start = k;
        k += 1;
        while k < b.len()
            && (b[k].is_ascii_alphanumeric()
                || matches!(
                    b[k],
                    b'-' | b'_' | b'[' | b']' | b'(' | b')' | b'.' | b',' | b'*'
                )
                || b[k] >= 0x80)
        {
            k += 1;
        }
        *last_word = t[start..k].to_string();
        *state = match *state {
            Attr::Type | Attr::AfterName | Attr::AfterKey => Attr::Name,
            Attr::Name => Attr::AfterName,
            Attr::Key => return Attrs::Unsure,
        };
    }
    Attrs::Open
}

enum Rel {
    NotOne,
    Unsure,
    Fine,
    Error(MermaidError),
}

fn relationship(t: &str, li: usize, later: &[&str]) -> Rel {
    match relationship_inner(t, li, later) {
        Some(Some(e)) => Rel::Error(e),
        Some(None) if t.matches('"').count() % 2 == 1 => Rel::Unsure,
        Some(None) => Rel::Fine,
        None => Rel::NotOne,
    }
}

/// `None`: not a relationship line; `Some(verdict)` otherwise.
fn relationship_inner(t: &str, li: usize, later: &[&str]) -> Option<Option<MermaidError>> {
    let Some(c) = RELATIONSHIP.as_ref()?.captures(t) else {
        for (re, what) in [(&NO_SOURCE, "source"), (&NO_TARGET, "target")] {
            if let Some(c) = re.as_ref().and_then(|re| re.captures(t)) {
                let sym = c.name("sym").map_or("", |m| m.as_str());
                if valid_symbol(sym) {
                    return Some(report(
                        li,
                        format!("relationship `{sym}` has no {what} entity"),
                    ));
                }
            }
        }
        return None;
    };
    let a = c.name("a")?.as_str();
    let b = c.name("b")?.as_str();
    let sym = c.name("sym")?.as_str();
    if risky_name(a) || risky_name(b) || sym.chars().all(|x| x == 'o') {
        return Some(None);
    }
    Some(relationship_verdict(t, li, later, a, b, sym))
}

fn relationship_verdict(
    _t: &str,
    li: usize,
    later: &[&str],
    a: &str,
    b: &str,
    sym: &str,
) -> Option<MermaidError> {
    let c = RELATIONSHIP.as_ref()?.captures(_t)?;
    let stmt = format!("{a} {sym} {b}");
    if !valid_symbol(sym) {
        if sym.len() > 5 {
            return None;
        }
        return report(
            li,
            format!(
                "invalid relationship `{sym}` in `{}`; use cardinalities like `||--o{{` or `}}|..|{{`",
                shorten(&stmt)
            ),
        );
    }
    let Some(label) = c.name("label") else {
        return report(
            li,
            format!(
                "relationship `{}` needs a label, e.g. `{} : has`",
                shorten(&stmt),
                shorten(&stmt)
            ),
        );
    };
    let label = label.as_str()[1..].trim();
    if label.is_empty() {
        return report(
            li,
            format!(
                "relationship `{}` has an empty label after `:`",
                shorten(&stmt)
            ),
        );
    }
    if let Some(q) = label.strip_prefix('"') {
        if !q.contains('"') && !later.iter().any(|l| l.contains('"')) {
            return report(
                li,
                format!("unclosed `\"` in relationship label `{}`", shorten(label)),
            );
        }
        return None;
    }
    let reserved = ["many", "one", "to"];
    let keywords = ["class", "style", "classdef", "subgraph", "end", "erdiagram"];
    let quote_hint = |w: &str| {
        format!(
            "relationship label word `{}` is read by mermaid as a keyword; put the label in quotes: `: \"{}\"`",
            shorten(w),
            shorten(label)
        )
    };
    for (n, w) in label.split_whitespace().enumerate() {
        if w.contains(':') || w.starts_with('"') {
            break;
        }
        let first = w.as_bytes()[0];
        if let Some(r) = starts_reserved(w, &reserved) {
            return report(li, quote_hint(&r));
        }
        if n == 0 {
            if first.is_ascii_digit() {
                return report(
                    li,
                    format!(
                        "relationship label `{}` cannot start with a number; put it in quotes",
                        shorten(label)
                    ),
                );
            }
            if let Some(k) = starts_reserved(w, &keywords) {
                return report(li, quote_hint(&k));
            }
            if matches!(
                first,
                b'(' | b')' | b',' | b';' | b'[' | b']' | b'{' | b'}' | b'<' | b'>' | b'#' | b'|'
            ) {
                return report(
                    li,
                    format!(
                        "relationship label `{}` must be a word or a quoted string",
                        shorten(label)
                    ),
                );
            }
        } else {
            if kw_at(w, 0, "end") && !w.as_bytes().get(3).is_some_and(|&x| is_word_byte(x)) {
                return report(li, quote_hint("end"));
            }
            if matches!(first, b',' | b';') {
                return report(
                    li,
                    format!(
                        "unexpected `{}` in relationship label `{}`; put the label in quotes",
                        first as char,
                        shorten(label)
                    ),
                );
            }
        }
    }
    None
}
