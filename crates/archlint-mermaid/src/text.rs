//! Small text helpers shared by the line-oriented checkers.

/// `word` (ASCII, compared case-insensitively) at byte `i` of `s`, followed by
/// a word boundary, like a `word\b` rule in a case-insensitive jison lexer.
#[inline(always)]
pub(super) fn kw_at(s: &str, i: usize, word: &str) -> bool {
    let b = s.as_bytes();
    if let (Some(c), Some(w)) = (b.get(i), word.as_bytes().first()) {
        if !c.eq_ignore_ascii_case(w) {
            return false;
        }
    }
    let Some(head) = b.get(i..i + word.len()) else {
        return false;
    };
    head.eq_ignore_ascii_case(word.as_bytes())
        && !b
            .get(i + word.len())
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_')
}

/// Skips spaces and tabs from byte `i`.
pub(super) fn skip_hspace(s: &str, mut i: usize) -> usize {
    let b = s.as_bytes();
    // Indentation comes in runs of spaces: four at a time first.
    while b.get(i..i + 4) == Some(b"    ") {
        i += 4;
    }
    while i < b.len() && matches!(b[i], b' ' | b'\t') {
        i += 1;
    }
    i
}

/// `hay.starts_with(prefix)` for short prefixes, compared inline (first byte first).
#[inline(always)]
pub(super) fn has_prefix(hay: &[u8], prefix: &[u8]) -> bool {
    hay.len() >= prefix.len() && hay.iter().zip(prefix).all(|(a, b)| a == b)
}
