//! Helpers for porting Mermaid's jison lexers.
//!
//! A jison lexer tries its rules in order and takes the first that matches at the
//! current position (not the longest). A rule whose pattern ends in a word
//! character gets `\b` appended by jison's rule parser, so `"many"` does not match
//! the start of `manyfold`. `%options case-insensitive` makes every rule ignore case.

/// `\w` as JavaScript's regular expressions see it.
pub(super) fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The literal `lit` at the start of `s`, ASCII case ignored, with jison's `\b` when
/// `lit` ends in a word character. `s` is the whole rest of the input.
pub(super) fn lit_i(s: &[u8], lit: &str) -> Option<usize> {
    let l = lit.as_bytes();
    if s.len() < l.len() || !s[..l.len()].eq_ignore_ascii_case(l) {
        return None;
    }
    if l.last().is_some_and(|&c| is_word(c)) && s.get(l.len()).is_some_and(|&c| is_word(c)) {
        return None;
    }
    Some(l.len())
}

/// The literal `lit`, case-sensitive, with jison's `\b` when it ends in a word character.
pub(super) fn lit(s: &[u8], lit: &str) -> Option<usize> {
    let l = lit.as_bytes();
    if !s.starts_with(l) {
        return None;
    }
    if l.last().is_some_and(|&c| is_word(c)) && s.get(l.len()).is_some_and(|&c| is_word(c)) {
        return None;
    }
    Some(l.len())
}

/// What a lexer rule does to jison's stack of start conditions after its match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step<S> {
    Stay,
    /// `this.begin(x)` / `this.pushState(x)`.
    Push(S),
    /// `this.popState()`.
    Pop,
    PopTwice,
    /// `this.popState(); this.begin(x)`, or a `begin` that replaces.
    Swap(S),
}

impl<S> Step<S> {
    /// The step made on `stack`; what an empty stack means is the lexer's business.
    pub(super) fn apply(self, stack: &mut Vec<S>) {
        match self {
            Step::Stay => {}
            Step::Push(s) => stack.push(s),
            Step::Pop => {
                stack.pop();
            }
            Step::PopTwice => {
                stack.pop();
                stack.pop();
            }
            Step::Swap(s) => {
                stack.pop();
                stack.push(s);
            }
        }
    }
}

/// The rest of the line: `.*` (jison's `.` stops at a line break).
pub(super) fn line_len(s: &[u8]) -> usize {
    run(s, |c| c != b'\n')
}

/// Length of the run of bytes at the start of `s` that `f` accepts.
pub(super) fn run(s: &[u8], f: impl Fn(u8) -> bool) -> usize {
    s.iter().take_while(|&&c| f(c)).count()
}

/// `\s` as JavaScript sees it, for the ASCII bytes jison grammars meet.
pub(super) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// 0-based line of byte `at` in `text`, counting from `first_line`.
pub(super) fn line_at(text: &str, at: usize, first_line: usize) -> usize {
    first_line
        + text.as_bytes()[..at.min(text.len())]
            .iter()
            .filter(|&&c| c == b'\n')
            .count()
}

/// Where `direction\s+(TB|BT|RL|LR)` occurs in the text, with the end of the line
/// the direction is on: the lexer's `.*direction\s+TB[^\n]*` rules match from any
/// position before such an occurrence on the same line.
pub(super) fn directions(b: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut k = 0;
    while k + 9 <= b.len() {
        if !b[k..k + 9].eq_ignore_ascii_case(b"direction") {
            k += 1;
            continue;
        }
        let after = k + 9;
        let ws = run(&b[after..], is_space);
        let d = after + ws;
        let dir = ws > 0
            && b.get(d..d + 2).is_some_and(|w| {
                ["tb", "bt", "rl", "lr"]
                    .iter()
                    .any(|x| w.eq_ignore_ascii_case(x.as_bytes()))
            });
        if dir {
            out.push((k, d + 2 + run(&b[d + 2..], |c| c != b'\n')));
        }
        k += 1;
    }
    out
}

/// The direction token starting at `pos`, from [`directions`]: the first occurrence
/// at or after `pos` that `.` can reach (no line break between).
/// `next_break` is the first `\n` or `\r` at or after `pos`.
pub(super) fn direction_at(
    found: &[(usize, usize)],
    pos: usize,
    next_break: usize,
) -> Option<usize> {
    let i = found.partition_point(|&(k, _)| k < pos);
    let &(k, end) = found.get(i)?;
    // Greedy `.*` takes the last occurrence on the line; its line end is the same.
    (k < next_break).then_some(end - pos)
}

/// How deep the recursive-descent ports follow nested blocks. Mermaid's own parsers
/// keep an explicit stack and go deeper; past this the ports say nothing rather than
/// recurse further.
pub(super) const MAX_DEPTH: usize = 200;

/// The error a port returns to unwind past [`MAX_DEPTH`]; its `check` turns it into
/// silence.
pub(super) fn too_deep() -> super::MermaidError {
    super::MermaidError::new(usize::MAX, String::new())
}

pub(super) fn is_too_deep(e: &super::MermaidError) -> bool {
    e.line == usize::MAX && e.message.is_empty()
}

/// An `accDescr {` whose `}` never comes: at the end of the text these lexers keep
/// matching an empty description, and the grammar refuses the second one.
pub(super) fn unclosed_descr(text: &str, first_line: usize) -> super::MermaidError {
    let at = text.rfind("accDescr").unwrap_or(0);
    super::MermaidError::new(
        line_at(text, at, first_line),
        "`accDescr {` is never closed with `}`".to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_end_on_a_word_boundary_as_jison_appends_one() {
        assert_eq!(lit_i(b"MANY B", "many"), Some(4));
        assert_eq!(lit_i(b"manyfold", "many"), None);
        assert_eq!(lit_i(b"1+ x", "1+"), Some(2));
        assert_eq!(lit(b"Many", "many"), None);
    }
}
