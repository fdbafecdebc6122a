//! Text from a repository (file names, headings, messages that quote them) on its way
//! to a terminal or a CI log: control characters would move the cursor, set the
//! clipboard (`ESC ] 52`), make hyperlinks, or start a line that a log reader takes as
//! a workflow command; bidirectional overrides would show text in another order than
//! it is read. Each such character is shown escaped instead, `\n` or `\u{202e}` style.

use std::borrow::Cow;

/// `s` with every character a terminal or log would interpret shown escaped.
pub fn terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs_escape(c) {
            match c {
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                _ => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A path that begins an output line: [`terminal`], and `./` before a name that starts
/// with `:`, since GitHub's log reader takes a line starting with `::` for a workflow
/// command (a file named `::warning file=a::x.md`).
pub fn line_start(path: &str) -> Cow<'_, str> {
    let shown = terminal(path);
    if shown.starts_with(':') {
        Cow::Owned(format!("./{shown}"))
    } else {
        shown
    }
}

/// `s` with every character a terminal would interpret, other than the line breaks
/// and tabs a source snippet lays out, replaced by a visible character of the same
/// UTF-8 length (`?`, `¿` or U+FFFD), so that byte offsets into it still hold; `None`
/// when there is none. A CR that ends no CRLF is a line break to CommonMark and to
/// archlint's line table, but to a terminal a return to the line's start and to a log
/// reader that splits at CR (GitHub's runner) the start of a new line that miette
/// never numbered: it becomes LF, one byte as well, so the snippet shows the line
/// break the line numbers already count.
pub fn same_length(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let lone_cr = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    let shown = |c: char| needs_escape(c) && !matches!(c, '\n' | '\r' | '\t');
    if !s
        .char_indices()
        .any(|(i, c)| shown(c) || (c == '\r' && lone_cr(i)))
    {
        return None;
    }
    Some(
        s.char_indices()
            .map(|(i, c)| match (shown(c), c.len_utf8()) {
                (false, _) if c == '\r' && lone_cr(i) => '\n',
                (false, _) => c,
                (true, 1) => '?',
                (true, 2) => '\u{bf}',
                (true, _) => '\u{fffd}',
            })
            .collect(),
    )
}

/// C0 and C1 controls, DEL, and the Unicode format characters that reorder or hide
/// text (bidirectional embeddings, overrides and isolates, the line and paragraph
/// separators).
pub fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}' | '\u{061c}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_overrides_are_shown_escaped() {
        assert_eq!(terminal("plain é 🚀"), "plain é 🚀");
        assert_eq!(
            terminal("a\nb\r\u{1b}]52;c\u{7}\u{9b}x\u{202e}y\t"),
            "a\\nb\\r\\u{1b}]52;c\\u{7}\\u{9b}x\\u{202e}y\\t"
        );
    }

    #[test]
    fn a_line_never_starts_with_a_colon() {
        assert_eq!(
            line_start("::warning file=a::x.md"),
            "./::warning file=a::x.md"
        );
        assert_eq!(line_start("docs/a.md"), "docs/a.md");
    }

    #[test]
    fn same_length_keeps_every_offset() {
        assert_eq!(same_length("plain\n\ttext"), None);
        let text = "a\u{1b}[2Jb\u{9b}c\u{202e}d\u{2066}\n";
        let shown = same_length(text).unwrap_or_default();
        assert_eq!(shown, "a?[2Jb\u{bf}c\u{fffd}d\u{fffd}\n");
        assert_eq!(shown.len(), text.len());
        for (a, b) in text.char_indices().zip(shown.char_indices()) {
            assert_eq!(a.0, b.0);
        }
    }

    #[test]
    fn a_lone_cr_becomes_the_line_break_it_counts_as() {
        assert_eq!(same_length("a\r\nb\n"), None);
        let text = "a\r::error::forged\r\nb\r";
        assert_eq!(
            same_length(text).as_deref(),
            Some("a\n::error::forged\r\nb\n")
        );
    }
}
