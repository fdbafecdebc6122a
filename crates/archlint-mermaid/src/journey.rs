//! journey and timeline: ports of Mermaid's `journey.jison` and `timeline.jison`.
//! Both read a line at a time: a `title`, a `section`, accessibility lines, and
//! for a journey `task: score: people` (a task without its `:` data fails), for a
//! timeline periods and `: event`s (a `:` must be followed by a space).

use super::jison::{is_space, line_at, line_len, lit_i, run, unclosed_descr};
use super::keywords::{shorten, Header};
use super::prep::Prepared;
use super::MermaidError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum T {
    Newline,
    Header,
    Title,
    AccTitle,
    AccDescr,
    AccValue,
    AccDescrMulti,
    Section,
    /// journey: a task's name; timeline: a period
    Text,
    /// journey: `:data`; timeline: `: event`
    Data,
    Colon,
    Invalid,
    Eof,
}

#[derive(Clone, Copy, PartialEq)]
enum S {
    Initial,
    Acc,
    AccDescrMulti,
}

#[derive(Clone, Copy)]
struct Tok {
    t: T,
    start: usize,
    end: usize,
}

/// One token in the initial state; `timeline` picks that grammar's rules.
fn initial(s: &[u8], timeline: bool) -> Option<(Option<T>, usize, Option<S>)> {
    let tok = |t: T, n: usize| Some((Some(t), n, None));
    if s[0] == b'%' && s.get(1) != Some(&b'{') {
        return Some((None, line_len(s), None));
    }
    if s[0] != b'}' && s.len() > 2 {
        let c = std::str::from_utf8(&s[..s.len().min(4)])
            .ok()
            .or_else(|| std::str::from_utf8(&s[..1]).ok())
            .and_then(|x| x.chars().next())
            .map_or(1, char::len_utf8);
        if s[c..].starts_with(b"%%") {
            return Some((None, c + line_len(&s[c..]), None));
        }
    }
    let nl = run(s, |c| c == b'\n');
    if nl > 0 {
        return tok(T::Newline, nl);
    }
    let ws = run(s, is_space);
    if ws > 0 {
        return Some((None, ws, None));
    }
    if s[0] == b'#' {
        return Some((None, line_len(s), None));
    }
    if timeline {
        if s.len() >= 8 && s[..8].eq_ignore_ascii_case(b"timeline") {
            let ws = run(&s[8..], |c| c == b' ' || c == b'\t');
            for dir in ["lr", "td"] {
                if ws > 0 && lit_i(&s[8 + ws..], dir).is_some() {
                    return tok(T::Header, 8 + ws + 2);
                }
            }
        }
        if let Some(n) = lit_i(s, "timeline") {
            return tok(T::Header, n);
        }
    } else if let Some(n) = lit_i(s, "journey") {
        return tok(T::Header, n);
    }
    let stop: &[u8] = if timeline { b"\n" } else { b"#\n;" };
    if s.len() > 6 && s[..5].eq_ignore_ascii_case(b"title") && is_space(s[5]) {
        let n = run(&s[6..], |c| !stop.contains(&c));
        if n > 0 {
            return tok(T::Title, 6 + n);
        }
    }
    for (word, t) in [("accTitle", T::AccTitle), ("accDescr", T::AccDescr)] {
        if s.len() >= word.len() && s[..word.len()].eq_ignore_ascii_case(word.as_bytes()) {
            let k = word.len() + run(&s[word.len()..], is_space);
            if s.get(k) == Some(&b':') {
                return Some((Some(t), k + 1 + run(&s[k + 1..], is_space), Some(S::Acc)));
            }
        }
    }
    if s.len() >= 8 && s[..8].eq_ignore_ascii_case(b"accDescr") {
        let k = 8 + run(&s[8..], is_space);
        if s.get(k) == Some(&b'{') {
            return Some((
                None,
                k + 1 + run(&s[k + 1..], is_space),
                Some(S::AccDescrMulti),
            ));
        }
    }
    if s.len() > 8 && s[..7].eq_ignore_ascii_case(b"section") && is_space(s[7]) {
        let sec_stop: &[u8] = if timeline { b":\n" } else { b"#:\n;" };
        let n = run(&s[8..], |c| !sec_stop.contains(&c));
        if n > 0 {
            return tok(T::Section, 8 + n);
        }
    }
    if timeline {
        // `:\s(?:[^:\n]|:(?!\s))+`
        if s[0] == b':' && s.get(1).is_some_and(|&c| is_space(c)) {
            let mut k = 2;
            let mut any = false;
            while k < s.len() {
                match s[k] {
                    b'\n' => break,
                    b':' if s.get(k + 1).is_none_or(|&c| is_space(c)) => break,
                    _ => {}
                }
                k += 1;
                any = true;
            }
            if any {
                return tok(T::Data, k);
            }
        }
        let n = run(s, |c| !matches!(c, b'#' | b':' | b'\n'));
        if n > 0 {
            return tok(T::Text, n);
        }
    } else {
        let n = run(s, |c| !matches!(c, b'#' | b':' | b'\n' | b';'));
        if n > 0 {
            return tok(T::Text, n);
        }
        if s[0] == b':' {
            let n = run(&s[1..], |c| !matches!(c, b'#' | b'\n' | b';'));
            if n > 0 {
                return tok(T::Data, 1 + n);
            }
            return tok(T::Colon, 1);
        }
    }
    let c = std::str::from_utf8(&s[..s.len().min(4)])
        .ok()
        .or_else(|| std::str::from_utf8(&s[..1]).ok())
        .and_then(|x| x.chars().next())
        .map_or(1, char::len_utf8);
    tok(T::Invalid, c)
}

fn lex(text: &str, first_line: usize, timeline: bool) -> Result<Vec<Tok>, MermaidError> {
    let b = text.as_bytes();
    let mut state = S::Initial;
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < b.len() {
        let s = &b[pos..];
        let (t, n, next) = match state {
            S::Acc => (Some(T::AccValue), line_len(s), Some(S::Initial)),
            S::AccDescrMulti if s[0] == b'}' => (None, 1, Some(S::Initial)),
            S::AccDescrMulti => (Some(T::AccDescrMulti), run(s, |c| c != b'}'), None),
            S::Initial => initial(s, timeline).unwrap_or((Some(T::Invalid), 1, None)),
        };
        if let Some(t) = t {
            out.push(Tok {
                t,
                start: pos,
                end: pos + n,
            });
        }
        let moved = next.is_some_and(|x| x != state);
        if let Some(x) = next {
            state = x;
        }
        pos += if n == 0 && !moved { 1 } else { n };
    }
    if state == S::AccDescrMulti && !timeline {
        return Err(unclosed_descr(text, first_line));
    }
    out.push(Tok {
        t: T::Eof,
        start: b.len(),
        end: b.len(),
    });
    Ok(out)
}

fn parse(text: &str, toks: &[Tok], first_line: usize, timeline: bool) -> Result<(), MermaidError> {
    let fail = |k: usize, what: &str| {
        let t = toks[k.min(toks.len() - 1)];
        let found = match t.t {
            T::Eof => "the end of the diagram".to_string(),
            T::Newline => "the end of the line".to_string(),
            _ => format!("`{}`", shorten(text[t.start..t.end].trim())),
        };
        Err(MermaidError::new(
            line_at(text, t.start, first_line),
            format!("{what}, found {found}"),
        ))
    };
    let kind = if timeline { "`timeline`" } else { "`journey`" };
    if toks[0].t != T::Header {
        return fail(0, &format!("expected {kind}"));
    }
    let mut k = 1;
    let mut period = false;
    while k < toks.len() {
        match toks[k].t {
            T::Newline | T::Eof | T::Title | T::Section | T::AccDescrMulti => k += 1,
            T::AccTitle | T::AccDescr => k += 2,
            T::Text if timeline => {
                period = true;
                k += 1;
            }
            // Mermaid adds an event to the last period, and fails when there is none.
            T::Data if timeline && !period => {
                let t = toks[k];
                return Err(MermaidError::new(
                    line_at(text, t.start, first_line),
                    "an event `: …` comes after a period, as in `2004 : Facebook`, and there is none before it"
                        .to_string(),
                ));
            }
            T::Data if timeline => k += 1,
            T::Text => {
                if toks.get(k + 1).map(|t| t.t) != Some(T::Data) {
                    let t = toks[k];
                    return Err(MermaidError::new(
                        line_at(text, t.start, first_line),
                        format!(
                            "task `{}` needs `: score: people` after its name, as in `Make tea: 5: Me`",
                            shorten(text[t.start..t.end].trim())
                        ),
                    ));
                }
                k += 2;
            }
            T::Colon if timeline => return fail(k, "a `:` before an event is followed by a space"),
            T::Invalid if timeline => {
                return fail(
                    k,
                    "a timeline's event is written `period : event`, with a space after `:`",
                )
            }
            _ => {
                return fail(
                    k,
                    "expected a `title`, a `section` or a task `name: score: people`",
                )
            }
        }
    }
    Ok(())
}

pub(super) fn check(p: &Prepared, header: Header, timeline: bool) -> Option<MermaidError> {
    let text = p.text_from_header(header);
    let toks = match lex(&text, header.line, timeline) {
        Ok(t) => t,
        Err(e) => return Some(e),
    };
    parse(&text, &toks, header.line, timeline).err()
}
