//! Light checks for diagram types without a structural checker: only a few
//! line shapes that Mermaid is known to reject are reported.

use super::keywords::{is_exact_keyword, shorten, Family, Header};
use super::prep::Prepared;
use super::text::kw_at;
use super::MermaidError;

fn report(line: usize, msg: String) -> Option<MermaidError> {
    Some(MermaidError::new(line, msg))
}

/// Non-blank lines after the header, trimmed, with their indices. A multi-line
/// `accDescr { … }` is one statement: its first line stands for it and the lines up
/// to the closing `}` are left out.
fn body<'a>(p: &Prepared<'a>, header: Header) -> Vec<(usize, &'a str)> {
    let mut out = Vec::new();
    let mut in_descr = false;
    for (i, l) in p.lines().iter().enumerate().skip(header.line + 1) {
        let t = l.trim();
        if in_descr {
            in_descr = !t.contains('}');
            continue;
        }
        if t.is_empty() {
            continue;
        }
        if kw_at(t, 0, "accDescr") {
            let rest = t["accDescr".len()..].trim_start();
            in_descr = rest.starts_with('{') && !rest.contains('}');
        }
        out.push((i, t));
    }
    out
}

fn starts_any(t: &str, words: &[&str]) -> bool {
    words.iter().any(|w| kw_at(t, 0, w))
}

pub(super) fn check(p: &Prepared, header: Header, family: Family) -> Option<MermaidError> {
    let head = p.line(header.line).get(header.col..).unwrap_or("");
    let keyword_len = head.find(|c: char| c.is_whitespace()).unwrap_or(head.len());
    if !is_exact_keyword(&head[..keyword_len]) {
        return None;
    }
    let head_rest = head[keyword_len..].trim();
    let title_ok = matches!(family, Family::Pie | Family::GitGraph);
    if !head_rest.is_empty() && !title_ok {
        return None;
    }
    if head.contains(';') {
        return None;
    }
    let lines = body(p, header);
    match family {
        Family::Pie => pie(&lines),
        Family::Packet => packet(&lines),
        Family::Architecture => architecture(&lines),
        Family::Radar => balance(&lines, &[('{', '}'), ('[', ']')]),
        Family::Quadrant => balance(&lines, &[('[', ']')]),
        _ => None,
    }
}

fn is_plain_number(v: &str) -> bool {
    let (int, frac) = match v.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (v, None),
    };
    !int.is_empty()
        && int.bytes().all(|c| c.is_ascii_digit())
        && (int == "0" || !int.starts_with('0'))
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|c| c.is_ascii_digit()))
}

fn pie(lines: &[(usize, &str)]) -> Option<MermaidError> {
    for &(i, t) in lines {
        if let Some(rest) = t.strip_prefix('"') {
            let close = rest.find('"')?;
            let after = rest[close + 1..].trim_start();
            let Some(v) = after.strip_prefix(':') else {
                if after.is_empty() || after.starts_with(|c: char| c.is_ascii_digit()) {
                    return report(
                        i,
                        format!("pie slice `{}` needs `: value` after its label", shorten(t)),
                    );
                }
                return None;
            };
            let v = v.trim();
            if v.is_empty() {
                return report(i, format!("pie slice `{}` has no value", shorten(t)));
            }
            if let Some(n) = v.strip_prefix('-') {
                if is_plain_number(n) {
                    return report(
                        i,
                        format!("pie slice `{}` has a negative value", shorten(t)),
                    );
                }
            }
            if v.starts_with(|c: char| c.is_ascii_alphabetic()) {
                return report(
                    i,
                    format!("pie slice value `{}` is not a number", shorten(v)),
                );
            }
            continue;
        }
        if t.starts_with(|c: char| c.is_ascii_alphabetic()) {
            if starts_any(t, &["title", "showData", "accTitle", "accDescr"]) {
                continue;
            }
            if t.contains(':') {
                return report(
                    i,
                    format!(
                        "pie slice labels must be quoted, e.g. `\"{}\" : value`",
                        shorten(t.split(':').next().unwrap_or("").trim())
                    ),
                );
            }
        }
        return None;
    }
    None
}

fn packet(lines: &[(usize, &str)]) -> Option<MermaidError> {
    for &(i, t) in lines {
        let b = t.as_bytes();
        let mut k = usize::from(b[0] == b'+');
        let digits = k;
        while k < b.len() && b[k].is_ascii_digit() {
            k += 1;
        }
        if k == digits {
            continue;
        }
        if b.get(k) == Some(&b'-') {
            k += 1;
            while k < b.len() && b[k].is_ascii_digit() {
                k += 1;
            }
        }
        let rest = t[k..].trim_start();
        if rest.starts_with('"') {
            return report(
                i,
                format!("packet field `{}` needs a `:` before its label", shorten(t)),
            );
        }
    }
    None
}

fn architecture(lines: &[(usize, &str)]) -> Option<MermaidError> {
    for &(i, t) in lines {
        let word = t.split_whitespace().next().unwrap_or("");
        let keyword = ["group", "service", "junction"].contains(&word);
        if keyword {
            for (o, c) in [('[', ']'), ('(', ')')] {
                if t.matches(o).count() != t.matches(c).count() {
                    return report(i, format!("unbalanced `{o}` in `{}`", shorten(t)));
                }
            }
            continue;
        }
        let rest = t[word.len()..].trim_start();
        let second = rest
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .next()
            .unwrap_or("");
        let looks_decl = word.bytes().all(|c| c.is_ascii_alphabetic())
            && !second.is_empty()
            && rest[second.len()..].starts_with(['(', '[']);
        if looks_decl && !starts_any(t, &["title", "accTitle", "accDescr"]) {
            return report(
                i,
                format!(
                    "unknown architecture keyword `{}`; use `group`, `service` or `junction`",
                    shorten(word)
                ),
            );
        }
    }
    None
}

fn balance(lines: &[(usize, &str)], pairs: &[(char, char)]) -> Option<MermaidError> {
    for &(o, c) in pairs {
        let mut depth: i64 = 0;
        let mut first_open = None;
        for &(i, t) in lines {
            if starts_any(t, &["title", "accTitle", "accDescr"]) {
                continue;
            }
            let mut in_q = false;
            for ch in t.chars() {
                if ch == '"' {
                    in_q = !in_q;
                } else if !in_q && ch == o {
                    if depth == 0 {
                        first_open = Some(i);
                    }
                    depth += 1;
                } else if !in_q && ch == c {
                    depth -= 1;
                    if depth < 0 {
                        return None;
                    }
                }
            }
            if in_q {
                return None;
            }
        }
        if depth > 0 {
            let line = first_open?;
            return report(
                line,
                format!("unbalanced `{o}`: it is never closed with `{c}`"),
            );
        }
    }
    None
}
