//! `classDiagram` checking: class and namespace bodies, relation shapes.

use super::keywords::{shorten, Header};
use super::prep::Prepared;
use super::text::word_at;
use super::MermaidError;
use regex::Regex;
use std::sync::LazyLock;

const NAME: &str = r"[A-Za-z0-9_]+(?:~[^~\s]*~)?";
const REL: &str = r"(?:<\||\*|o|<)?(?:--|\.\.)(?:\|>|\*|o|>)?";

static RELATION: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"^\s*(?P<l>{NAME})?\s*(?P<lq>"[^"]*")?\s*(?P<rel>{REL})\s*(?P<rq>"[^"]*")?\s*(?P<r>{NAME})?\s*$"#
    ))
    .ok()
});
static CHAIN: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"^\s*{NAME}\s*(?:"[^"]*")?\s*{REL}\s*(?:"[^"]*")?\s*{NAME}\s*(?:"[^"]*")?\s*(?P<rel>{REL})"#
    ))
    .ok()
});
static BAD_ARROW: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\s*{NAME}\s*(?P<rel>-->>|->>?|<-|<=+|=+>?)\s*{NAME}\s*$"
    ))
    .ok()
});

fn report(line: usize, msg: String) -> Option<MermaidError> {
    Some(MermaidError::new(line, msg))
}

/// Splits a statement at its first `:` outside double quotes.
fn head(s: &str) -> &str {
    let mut in_q = false;
    for (i, c) in s.char_indices() {
        match c {
            '"' => in_q = !in_q,
            ':' if !in_q => return &s[..i],
            _ => {}
        }
    }
    s
}

/// Position of the first `c` outside double quotes.
fn find_unquoted(s: &str, c: char) -> Option<usize> {
    let mut in_q = false;
    for (i, x) in s.char_indices() {
        if x == '"' {
            in_q = !in_q;
        } else if x == c && !in_q {
            return Some(i);
        }
    }
    None
}

enum Body {
    Class { name: String, line: usize },
    Namespace { line: usize, statements: usize },
}

pub(super) fn check(p: &Prepared, header: Header) -> Option<MermaidError> {
    let lines = p.lines();
    if lines.iter().any(|l| l.contains('`')) {
        return None;
    }
    let mut stack: Vec<Body> = Vec::new();
    let mut i = header.line + 1;
    while i < lines.len() {
        let line = lines[i];
        let t = line.trim();
        i += 1;
        if t.is_empty() {
            continue;
        }
        let li = i - 1;
        if let Some(Body::Class { .. }) = stack.last() {
            // Class body: members up to the first `}`; a `{` is an error.
            if t.starts_with('"') {
                return None;
            }
            if !t.contains(['{', '}']) {
                if let Some(e) = broken_method(t, li) {
                    return Some(e);
                }
            }
            let open = t.find('{');
            let close = t.find('}');
            match (open, close) {
                (Some(o), c) if c.is_none_or(|c| o < c) => {
                    let name = match stack.last() {
                        Some(Body::Class { name, .. }) => name.clone(),
                        _ => String::new(),
                    };
                    return report(
                        li,
                        format!(
                            "`{{` inside the body of class `{name}`; members cannot contain braces"
                        ),
                    );
                }
                (_, Some(c)) => {
                    stack.pop();
                    if !t[c + 1..].trim().is_empty() {
                        return None;
                    }
                }
                _ => {}
            }
            continue;
        }
        let in_namespace = matches!(stack.last(), Some(Body::Namespace { .. }));
        if let Some(after_close) = t.strip_prefix('}') {
            match stack.pop() {
                Some(Body::Namespace { line, statements }) => {
                    if statements == 0 {
                        return report(
                            line,
                            "`namespace` block is empty; it needs at least one `class`".to_string(),
                        );
                    }
                }
                _ => {
                    return report(
                        li,
                        "unexpected `}` without an open `class` or `namespace` body".to_string(),
                    )
                }
            }
            if !after_close.trim().is_empty() {
                return None;
            }
            continue;
        }
        if word_at(t, 0, "class") {
            if let Some(Body::Namespace { statements, .. }) = stack.last_mut() {
                *statements += 1;
            }
            let rest = t[5..].trim_start();
            if rest.is_empty() || rest.starts_with('{') {
                return report(li, "`class` needs a class name".to_string());
            }
            if let Some(o) = find_unquoted(rest, '{') {
                let after = &rest[o + 1..];
                if after.contains('{') {
                    return None;
                }
                if after.contains('}') {
                    if !after.trim_end().ends_with('}') {
                        return None;
                    }
                    continue;
                }
                let name = rest[..o]
                    .split(|c: char| c.is_whitespace() || c == '[' || c == ':' || c == '~')
                    .next()
                    .unwrap_or("")
                    .to_string();
                stack.push(Body::Class { name, line: li });
            }
            continue;
        }
        if word_at(t, 0, "namespace") {
            if let Some(Body::Namespace { statements, .. }) = stack.last_mut() {
                *statements += 1;
            }
            if !t.ends_with('{') || t[..t.len() - 1].contains(['{', '}']) {
                return None;
            }
            stack.push(Body::Namespace {
                line: li,
                statements: 0,
            });
            continue;
        }
        if in_namespace {
            if word_at(t, 0, "note") {
                if let Some(Body::Namespace { statements, .. }) = stack.last_mut() {
                    *statements += 1;
                }
                continue;
            }
            let first = t.as_bytes()[0];
            if first.is_ascii_alphanumeric()
                && ![
                    "cssClass",
                    "callback",
                    "link",
                    "click",
                    "style",
                    "classDef",
                    "direction",
                    "accTitle",
                    "accDescr",
                ]
                .iter()
                .any(|k| word_at(t, 0, k))
            {
                return report(
                    li,
                    format!(
                        "only `class` declarations are allowed inside a `namespace`, found `{}`",
                        shorten(t)
                    ),
                );
            }
            return None;
        }
        if t.contains(['{', '}']) || t.contains(":::") {
            return None;
        }
        // `Class : member`: the member as the body line would hold it.
        if let Some((name, member)) = t.split_once(':') {
            let simple = !name.trim().is_empty()
                && name
                    .trim()
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'_');
            if simple && !member.contains(';') {
                let label = member.split(':').next().unwrap_or("");
                if let Some(e) = broken_method(label, li) {
                    return Some(e);
                }
            }
        }
        if let Some(e) = relation(t, li, lines, i) {
            return Some(e);
        }
    }
    match stack.last() {
        Some(Body::Class { name, line }) => report(
            *line,
            format!(
                "body of class `{name}` opened on line {} is never closed with `}}`",
                line + 1
            ),
        ),
        Some(Body::Namespace { line, .. }) => report(
            *line,
            format!(
                "`namespace` opened on line {} is never closed with `}}`",
                line + 1
            ),
        ),
        None => None,
    }
}

/// A member Mermaid takes for a method (it has a `)` after its first character) but
/// cannot split into name and parameters (no `(` with a name before it and the `)`
/// after it): Mermaid's class database fails on it.
fn broken_method(member: &str, li: usize) -> Option<MermaidError> {
    let m = member.trim();
    if m.starts_with("<<") && m.ends_with(">>") {
        return None;
    }
    let close = m.find(')').filter(|&c| c > 0)?;
    let _ = close;
    let last_close = m.rfind(')')?;
    let ok = m
        .char_indices()
        .any(|(i, c)| c == '(' && i >= 1 && last_close > i);
    if ok {
        return None;
    }
    report(
        li,
        format!(
            "member `{}` has a `)` but no `name(` before it; a method is written `name(parameters)`",
            shorten(m)
        ),
    )
}

/// Relation statements: `A <|-- B`, `A "1" --> "*" B : label`.
fn relation(t: &str, li: usize, lines: &[&str], next: usize) -> Option<MermaidError> {
    let h = head(t);
    let quotes = h.matches('"').count();
    if quotes % 2 == 1 {
        let rest_has_quote =
            t[h.len()..].contains('"') || lines.iter().skip(next).any(|l| l.contains('"'));
        if !rest_has_quote && (h.contains("--") || h.contains("..")) {
            return report(li, format!("unclosed `\"` in `{}`", shorten(t)));
        }
        return None;
    }
    if let Some(c) = CHAIN.as_ref().and_then(|re| re.captures(h)) {
        let rel = c.name("rel").map_or("", |m| m.as_str());
        return report(
            li,
            format!(
                "relations cannot be chained (second `{rel}` in `{}`); write one relation per line",
                shorten(t)
            ),
        );
    }
    if let Some(c) = BAD_ARROW.as_ref().and_then(|re| re.captures(h)) {
        let rel = c.name("rel").map_or("", |m| m.as_str());
        return report(
            li,
            format!(
                "unknown relation `{rel}`; use `<|--`, `*--`, `o--`, `-->`, `--`, `..>`, `..|>` or `..`"
            ),
        );
    }
    let c = RELATION.as_ref()?.captures(h)?;
    let rel = c.name("rel").map_or("", |m| m.as_str());
    let has = |n: &str| c.name(n).is_some();
    if !has("l") && !has("lq") {
        return report(li, format!("relation `{rel}` has no source class"));
    }
    if !has("r") && !has("rq") {
        return report(li, format!("relation `{rel}` has no target class"));
    }
    None
}
