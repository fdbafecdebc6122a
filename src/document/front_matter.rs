//! Where a document's front matter is: the one reader, shared by the outline (which
//! reads the block comrak hands it) and the cutting of large documents into pieces
//! (which must never cut inside it). It reads the block as comrak 0.59 does with
//! `---` as the delimiter, byte for byte, quirks included; a property test holds the
//! two to the same answer.

use std::ops::Range;

/// The delimiter archlint asks comrak for.
pub const DELIMITER: &str = "---";

/// A front matter block at the start of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The text between the opening and closing delimiter lines.
    pub body: Range<usize>,
    /// Where the block ends: after the closing delimiter, its line break and one
    /// blank line if there is one (comrak keeps them in the block).
    pub end: usize,
}

/// The front matter at the start of `text` (after a byte order mark), if there is one.
/// It opens with a line that is exactly `---`. It closes at the first line starting
/// with `---` that comrak's search finds: a line `---` ended by CRLF anywhere is
/// preferred to one ended by LF, and a `---` that starts a longer line closes it only
/// when no line is exactly `---`; the closing line must then end with its delimiter,
/// or there is no front matter.
pub fn split(text: &str) -> Option<Split> {
    let bom = text.len() - text.strip_prefix('\u{feff}').unwrap_or(text).len();
    let s = &text[bom..];
    let rest = s.strip_prefix(DELIMITER)?;
    let open = DELIMITER.len() + newline_len(rest).filter(|&n| n > 0)?;
    let after_open = &s[open..];
    let close = ["\n---\r\n", "\n---\n", "\n---"]
        .iter()
        .find_map(|p| after_open.find(p))?;
    let body_end = open + close;
    let mut end = body_end + 1 + DELIMITER.len();
    if end < s.len() {
        end += newline_len(&s[end..]).filter(|&n| n > 0)?;
        end += newline_len(&s[end..]).unwrap_or(0);
    }
    Some(Split {
        body: (bom + open)..(bom + body_end),
        end: bom + end,
    })
}

/// The length of the line break `s` starts with: `Some(0)` for none.
fn newline_len(s: &str) -> Option<usize> {
    Some(if s.starts_with('\n') {
        1
    } else if s.starts_with("\r\n") {
        2
    } else {
        0
    })
}

/// Whether `text` opens with what could start a front matter block (its first line
/// is `---`) that never closes: comrak reads it as Markdown then.
pub fn opens_unclosed(text: &str) -> bool {
    let s = text.strip_prefix('\u{feff}').unwrap_or(text);
    s.strip_prefix(DELIMITER)
        .and_then(newline_len)
        .is_some_and(|n| n > 0)
        && split(text).is_none()
}

#[cfg(test)]
#[allow(clippy::expect_used)] // a test fails by panicking
mod tests {
    use super::*;
    use comrak::nodes::NodeValue;
    use proptest::prelude::*;

    /// comrak's own reading: the front matter node's text, if any.
    fn comrak_block(text: &str) -> Option<String> {
        let arena = comrak::Arena::new();
        let mut o = comrak::Options::default();
        o.extension.front_matter_delimiter = Some(DELIMITER.to_string());
        let root = comrak::parse_document(&arena, text, &o);
        root.children().find_map(|n| match &n.data().value {
            NodeValue::FrontMatter(t) => Some(t.clone()),
            _ => None,
        })
    }

    #[test]
    fn reads_the_usual_blocks() {
        let t = "---\ntitle: A\n---\n\n# A\n";
        let s = split(t).expect("a front matter block");
        assert_eq!(&t[s.body.clone()], "title: A");
        assert_eq!(&t[s.end..], "# A\n");
        assert_eq!(split("--- \ntitle: A\n---\n"), None);
        assert_eq!(split("# A\n---\n"), None);
        assert!(opens_unclosed("---\ntitle: A\n...\n"));
        assert!(!opens_unclosed("# A\n"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn agrees_with_comrak(parts in proptest::collection::vec(
            prop_oneof![
                Just("---"), Just("--"), Just("----"), Just("..."), Just("\n"), Just("\r\n"),
                Just("\r"), Just("a: b"), Just(" "), Just("# H"), Just("\u{feff}"),
            ],
            0..14,
        )) {
            let text: String = parts.concat();
            let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
            let ours = split(&text).map(|s| text[bom..s.end].to_string());
            prop_assert_eq!(ours, comrak_block(&text), "{:?}", text);
        }
    }
}
