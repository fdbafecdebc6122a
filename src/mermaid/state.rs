//! `stateDiagram` checking: composite state braces, multi-line notes and
//! transition shapes, following Mermaid's case-insensitive `stateDiagram.jison`.

use super::keywords::{shorten, Header};
use super::prep::Prepared;
use super::text::kw_at;
use super::MermaidError;

fn report(line: usize, msg: String) -> Option<MermaidError> {
    Some(MermaidError::new(line, msg))
}

fn ends_with_hspace(s: &str) -> bool {
    s.ends_with(' ') || s.ends_with('\t')
}

/// `word` followed by at least one whitespace character (a `word\s+` rule).
fn kw_space(t: &str, word: &str) -> bool {
    t.len() > word.len()
        && t.as_bytes()[..word.len()].eq_ignore_ascii_case(word.as_bytes())
        && t.as_bytes()[word.len()].is_ascii_whitespace()
}

pub(super) fn check(p: &Prepared, header: Header) -> Option<MermaidError> {
    let lines = p.lines();
    let lower_has = |s: &str, w: &str| s.to_ascii_lowercase().contains(w);
    let mut composites: Vec<(String, usize)> = Vec::new();
    let mut prev_trailing_space = false;
    let mut i = header.line + 1;
    while i < lines.len() {
        let line = lines[i];
        let li = i;
        i += 1;
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let merged_into = prev_trailing_space;
        prev_trailing_space = ends_with_hspace(line);
        if t.starts_with('#') {
            continue;
        }
        if lower_has(t, "direction") {
            if t.contains(['{', '}']) {
                return None;
            }
            continue;
        }
        if t.contains('}') {
            if t.chars().all(|c| c == '}' || c.is_whitespace()) {
                for _ in t.matches('}') {
                    composites.pop();
                }
                continue;
            }
            if !composites.is_empty() {
                return None;
            }
        }
        if kw_space(t, "state") {
            let rest = t[5..].trim_start();
            if rest.contains("<<") || rest.contains("[[") || rest.starts_with('"') {
                if rest.contains('{') {
                    return None;
                }
                continue;
            }
            if kw_space(rest, "as") {
                return None;
            }
            let Some(brace) = rest.find('{') else {
                continue;
            };
            let before = rest[..brace].trim();
            if !rest[brace + 1..].trim().is_empty() {
                return None;
            }
            let words: Vec<&str> = before.split_whitespace().collect();
            let wordy = |w: &str| {
                w.chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            };
            match words.as_slice() {
                [] => return report(li, "`state` needs a name before `{`".to_string()),
                [one] => composites.push((one.to_string(), li)),
                [a, b, ..]
                    if wordy(a)
                        && wordy(b)
                        && a.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
                {
                    return report(
                        li,
                        format!(
                            "state name must be a single word, found `{}`; use `state \"{}\" as id {{`",
                            shorten(before),
                            shorten(before)
                        ),
                    );
                }
                _ => return None,
            }
            continue;
        }
        if kw_space(t, "note") {
            let rest = t[4..].trim_start();
            let after_place = if kw_at(rest, 0, "left of") {
                &rest[7..]
            } else if kw_at(rest, 0, "right of") {
                &rest[8..]
            } else {
                // Floating notes and anything unusual.
                continue;
            };
            let after_place = after_place.trim_start();
            let id_end = after_place
                .find(|c: char| c == ':' || c.is_whitespace() || c == '-')
                .unwrap_or(after_place.len());
            if id_end == 0 || after_place[id_end..].starts_with('-') {
                return None;
            }
            let text = after_place[id_end..].trim_start();
            if let Some(body) = text.strip_prefix(':') {
                if !body.is_empty() && !body.starts_with([':', ';']) {
                    continue;
                }
            }
            // Multi-line note: runs to a line starting with `end note`.
            match lines
                .iter()
                .enumerate()
                .skip(i)
                .find(|(_, l)| kw_at(l.trim_start(), 0, "end note"))
            {
                Some((k, _)) => {
                    i = k + 1;
                    prev_trailing_space = false;
                }
                None => {
                    return report(
                        li,
                        "note opened here is never closed with `end note`".to_string(),
                    )
                }
            }
            continue;
        }
        let skip = [
            "note",
            "classDef",
            "class",
            "style",
            "scale",
            "accTitle",
            "accDescr",
            "click",
            "href",
            "default",
            "hide",
            "stateDiagram",
        ];
        if skip.iter().any(|k| kw_at(t, 0, k)) || t.starts_with("--") && !t.starts_with("-->") {
            continue;
        }
        if t.starts_with(['"', '{', '}']) || t.contains(['{', '"']) || t.contains(":::") {
            return None;
        }
        // `note` followed by a space switches Mermaid's lexer into its note mode
        // wherever it stands, even mid-line; what follows is not state syntax.
        if has_note_word(t) {
            return None;
        }
        // Inside a composite state the lexer skips line breaks entirely, so a
        // transition may continue on the next line.
        let joined = merged_into || !composites.is_empty();
        let trailing = ends_with_hspace(line) || !composites.is_empty();
        if let Some(e) = transition(t, li, joined, trailing, lines, i) {
            return Some(e);
        }
    }
    if let Some((name, line)) = composites.last() {
        return report(
            *line,
            format!(
                "composite state `{name}` opened on line {} is never closed with `}}`",
                line + 1
            ),
        );
    }
    None
}

#[derive(PartialEq)]
enum Tok {
    Id,
    Arrow,
    Dashes,
}

fn transition(
    t: &str,
    li: usize,
    merged_into: bool,
    trailing: bool,
    lines: &[&str],
    next: usize,
) -> Option<MermaidError> {
    let b = t.as_bytes();
    let mut toks = Vec::new();
    let mut k = 0;
    while k < b.len() {
        match b[k] {
            b' ' | b'\t' => k += 1,
            b':' => break,
            b'#' => break,
            b'%' if b.get(k + 1) == Some(&b'%') => return None,
            b'[' if t[k..].starts_with("[*]") => {
                toks.push(Tok::Id);
                k += 3;
            }
            b'-' if t[k..].starts_with("-->") => {
                toks.push(Tok::Arrow);
                k += 3;
            }
            b'-' if t[k..].starts_with("--") => {
                toks.push(Tok::Dashes);
                k += 2;
            }
            b'-' => {
                return report(
                    li,
                    format!(
                        "unexpected `-` in `{}`; state ids cannot contain `-` and transitions are written `-->`",
                        shorten(t)
                    ),
                );
            }
            _ => {
                while k < b.len() && !matches!(b[k], b':' | b' ' | b'\t' | b'-' | b'{') {
                    k += 1;
                }
                toks.push(Tok::Id);
            }
        }
    }
    if toks.contains(&Tok::Dashes) {
        return None;
    }
    match toks.as_slice() {
        [Tok::Arrow, ..] if !merged_into => report(
            li,
            format!("transition `{}` has no source state", shorten(t)),
        ),
        [Tok::Id, Tok::Arrow] | [Tok::Arrow] => {
            let ends_here = k >= b.len();
            let more = lines.iter().skip(next).any(|l| !l.trim().is_empty());
            if ends_here && (!trailing || !more) {
                report(
                    li,
                    format!("transition `{}` has no target state", shorten(t)),
                )
            } else {
                None
            }
        }
        [Tok::Id, Tok::Arrow, Tok::Id, Tok::Arrow, ..] => report(
            li,
            format!(
                "transitions cannot be chained in `{}`; write one `-->` per line",
                shorten(t)
            ),
        ),
        _ => None,
    }
}

/// Whether `note` followed by whitespace occurs in `t` (case-insensitively, as
/// Mermaid's lexer matches it).
fn has_note_word(t: &str) -> bool {
    let lower = t.to_ascii_lowercase();
    lower
        .match_indices("note")
        .any(|(k, _)| lower[k + 4..].starts_with([' ', '\t']))
}
