//! gantt: a port of Mermaid's `gantt.jison`, lexer and grammar. A line is a setting
//! (`dateFormat`, `axisFormat`, `excludes`, `weekday monday`, ...), a `title`, a
//! `section`, a `click`, or a task `name : data`; a task without its `:` data
//! fails. A `%` after another character starts a comment, as in Mermaid's lexer.

use super::jison::{is_space, line_at, line_len, lit_i, run, unclosed_descr};
use super::keywords::{shorten, Header};
use super::prep::Prepared;
use super::MermaidError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum T {
    Nl,
    Gantt,
    /// A setting, a title or a section: a statement on its own.
    Setting,
    AccTitle,
    AccDescr,
    AccValue,
    AccDescrMulti,
    Click,
    ClickId,
    Href,
    CallbackName,
    CallbackArgs,
    Date,
    AccDescription,
    TaskTxt,
    TaskData,
    Colon,
    Invalid,
    Eof,
}

#[derive(Clone, Copy, PartialEq)]
enum S {
    Initial,
    Acc,
    AccDescrMulti,
    Click,
    Href,
    CallbackName,
    CallbackArgs,
}

#[derive(Clone, Copy)]
struct Tok {
    t: T,
    start: usize,
    end: usize,
}

fn char_len(s: &[u8]) -> usize {
    std::str::from_utf8(&s[..s.len().min(4)])
        .ok()
        .or_else(|| std::str::from_utf8(&s[..1]).ok())
        .and_then(|x| x.chars().next())
        .map_or(1, char::len_utf8)
}

/// `word\s<rest up to a stop byte>` (case-insensitive), with at least one byte of rest.
fn setting(s: &[u8], word: &str, stops: &[u8]) -> Option<usize> {
    let n = word.len();
    if s.len() <= n + 1 || !s[..n].eq_ignore_ascii_case(word.as_bytes()) || !is_space(s[n]) {
        return None;
    }
    let rest = run(&s[n + 1..], |c| !stops.contains(&c));
    (rest > 0).then_some(n + 1 + rest)
}

/// `word\s+other\b` (case-insensitive).
fn two_words(s: &[u8], word: &str, other: &str) -> Option<usize> {
    let n = word.len();
    if s.len() <= n || !s[..n].eq_ignore_ascii_case(word.as_bytes()) {
        return None;
    }
    let ws = run(&s[n..], is_space);
    if ws == 0 {
        return None;
    }
    lit_i(&s[n + ws..], other).map(|m| n + ws + m)
}

/// One step: the token, its length, and the state to go to (None: stay).
type Step = Option<(Option<T>, usize, Option<S>)>;

fn initial(s: &[u8]) -> Step {
    let tok = |t: T, n: usize| Some((Some(t), n, None));
    let skip = |n: usize| Some((None, n, None));
    if s.starts_with(b"%%{") {
        return None;
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
    // Comments: `%%…`, any character but `}` followed by `%`, `%…` with the line breaks after.
    if s.starts_with(b"%%") {
        return skip(line_len(s));
    }
    if s[0] != b'}' {
        let c = char_len(s);
        if s.get(c) == Some(&b'%') {
            return skip(c + line_len(&s[c..]));
        }
    }
    if s[0] == b'%' {
        let n = line_len(s);
        return skip(n + run(&s[n..], |c| c == b'\n'));
    }
    let nl = run(s, |c| c == b'\n');
    if nl > 0 {
        return tok(T::Nl, nl);
    }
    let ws = run(s, is_space);
    if ws > 0 {
        return skip(ws);
    }
    if s.len() >= 4 && s[..4].eq_ignore_ascii_case(b"href") {
        let ws = run(&s[4..], is_space);
        if ws > 0 && s.get(4 + ws) == Some(&b'"') {
            return Some((None, 5 + ws, Some(S::Href)));
        }
    }
    if s.len() >= 4 && s[..4].eq_ignore_ascii_case(b"call") {
        let ws = run(&s[4..], is_space);
        if ws > 0 {
            return Some((None, 4 + ws, Some(S::CallbackName)));
        }
    }
    if s.len() >= 5 && s[..5].eq_ignore_ascii_case(b"click") {
        let ws = run(&s[5..], is_space);
        if ws > 0 {
            return Some((Some(T::Click), 5 + ws, Some(S::Click)));
        }
    }
    if let Some(n) = lit_i(s, "gantt") {
        return tok(T::Gantt, n);
    }
    // None of these is a prefix of another, so their order does not matter.
    for word in [
        "dateFormat",
        "axisFormat",
        "tickInterval",
        "includes",
        "excludes",
    ] {
        if let Some(n) = setting(s, word, b"#\n;") {
            return tok(T::Setting, n);
        }
    }
    for flag in ["inclusiveEndDates", "topAxis"] {
        if let Some(n) = lit_i(s, flag) {
            return tok(T::Setting, n);
        }
    }
    if let Some(n) = setting(s, "todayMarker", b"\n;") {
        return tok(T::Setting, n);
    }
    for day in [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ] {
        if let Some(n) = two_words(s, "weekday", day) {
            return tok(T::Setting, n);
        }
    }
    for day in ["friday", "saturday"] {
        if let Some(n) = two_words(s, "weekend", day) {
            return tok(T::Setting, n);
        }
    }
    let digits = |k: usize, n: usize| {
        s.get(k..k + n)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    if digits(0, 4)
        && s.get(4) == Some(&b'-')
        && digits(5, 2)
        && s.get(7) == Some(&b'-')
        && digits(8, 2)
        && !s
            .get(10)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_')
    {
        return tok(T::Date, 10);
    }
    if let Some(n) = setting(s, "title", b"\n") {
        return tok(T::Setting, n);
    }
    if let Some(n) = setting(s, "accDescription", b"#\n;") {
        return tok(T::AccDescription, n);
    }
    if let Some(n) = setting(s, "section", b"\n") {
        return tok(T::Setting, n);
    }
    let n = run(s, |c| c != b':' && c != b'\n');
    if n > 0 {
        return tok(T::TaskTxt, n);
    }
    if s[0] == b':' {
        let n = run(&s[1..], |c| !matches!(c, b'#' | b'\n' | b';'));
        return tok(if n > 0 { T::TaskData } else { T::Colon }, 1 + n);
    }
    tok(T::Invalid, char_len(s))
}

fn step(state: S, s: &[u8]) -> Step {
    let tok = |t: T, n: usize, next: Option<S>| Some((Some(t), n, next));
    let skip = |n: usize, next: Option<S>| Some((None, n, next));
    match state {
        S::Acc => tok(T::AccValue, line_len(s), Some(S::Initial)),
        S::AccDescrMulti if s[0] == b'}' => skip(1, Some(S::Initial)),
        S::AccDescrMulti => tok(T::AccDescrMulti, run(s, |c| c != b'}'), None),
        S::Click if matches!(s[0], b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) => {
            skip(1, Some(S::Initial))
        }
        S::Click => tok(T::ClickId, run(s, |c| !is_space(c)), None),
        S::Href if s[0] == b'"' => skip(1, Some(S::Initial)),
        S::Href => tok(T::Href, run(s, |c| c != b'"'), None),
        S::CallbackName if s[0] == b'(' => {
            let ws = run(&s[1..], is_space);
            if s.get(1 + ws) == Some(&b')') {
                skip(2 + ws, Some(S::Initial))
            } else {
                skip(1, Some(S::CallbackArgs))
            }
        }
        S::CallbackName => tok(T::CallbackName, run(s, |c| c != b'('), None),
        S::CallbackArgs if s[0] == b')' => skip(1, Some(S::Initial)),
        S::CallbackArgs => tok(T::CallbackArgs, run(s, |c| c != b')'), None),
        S::Initial => initial(s),
    }
}

/// The tokens, or None when the text holds what this port does not follow.
fn lex(text: &str, first_line: usize) -> Result<Option<Vec<Tok>>, MermaidError> {
    let b = text.as_bytes();
    let mut state = S::Initial;
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < b.len() {
        let Some((t, n, next)) = step(state, &b[pos..]) else {
            return Ok(None);
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
    if state == S::AccDescrMulti {
        return Err(unclosed_descr(text, first_line));
    }
    out.push(Tok {
        t: T::Eof,
        start: b.len(),
        end: b.len(),
    });
    Ok(Some(out))
}

fn parse(text: &str, toks: &[Tok], first_line: usize) -> Result<(), MermaidError> {
    let at = |k: usize| toks[k.min(toks.len() - 1)];
    let fail = |k: usize, what: &str| {
        let t = at(k);
        let found = match t.t {
            T::Eof => "the end of the diagram".to_string(),
            T::Nl => "the end of the line".to_string(),
            _ => format!("`{}`", shorten(text[t.start..t.end].trim())),
        };
        Err(MermaidError::new(
            line_at(text, t.start, first_line),
            format!("{what}, found {found}"),
        ))
    };
    if at(0).t != T::Gantt {
        return fail(0, "expected `gantt`");
    }
    let mut k = 1;
    while k < toks.len() {
        match at(k).t {
            T::Nl | T::Eof | T::Setting | T::AccDescrMulti => k += 1,
            T::AccTitle | T::AccDescr => k += 2,
            T::TaskTxt => {
                if at(k + 1).t != T::TaskData {
                    let t = at(k);
                    return Err(MermaidError::new(
                        line_at(text, t.start, first_line),
                        format!(
                            "`{}` is neither a setting nor a task; a task is written `name : data`, as in `Design : a1, 2024-01-01, 5d`",
                            shorten(text[t.start..t.end].trim())
                        ),
                    ));
                }
                k += 2;
            }
            T::Click => {
                k += 1;
                if at(k).t != T::ClickId {
                    return fail(k, "`click` needs a task id");
                }
                k += 1;
                let first = at(k).t;
                match first {
                    T::CallbackName => {
                        k += 1;
                        if at(k).t == T::CallbackArgs {
                            k += 1;
                        }
                        if at(k).t == T::Href {
                            k += 1;
                        }
                    }
                    T::Href => {
                        k += 1;
                        if at(k).t == T::CallbackName {
                            k += 1;
                            if at(k).t == T::CallbackArgs {
                                k += 1;
                            }
                        }
                    }
                    _ => return fail(k, "`click <id>` is followed by `call f()` or `href \"…\"`"),
                }
            }
            T::Date => {
                return fail(
                    k,
                    "a line cannot start with a date; a task is written `name : data`",
                )
            }
            T::AccDescription => {
                return fail(
                    k,
                    "`accDescription` is not a gantt statement; write `accDescr: …`",
                )
            }
            T::Colon | T::TaskData => return fail(k, "a task needs a name before its `:`"),
            _ => return fail(k, "expected a setting, a `section` or a task `name : data`"),
        }
    }
    Ok(())
}

pub(super) fn check(p: &Prepared, header: Header) -> Option<MermaidError> {
    let text = p.text_from_header(header);
    let toks = match lex(&text, header.line) {
        Ok(Some(t)) => t,
        Ok(None) => return None,
        Err(e) => return Some(e),
    };
    parse(&text, &toks, header.line).err()
}
