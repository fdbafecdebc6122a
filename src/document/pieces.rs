//! Cutting a very large document into pieces that comrak parses one at a time.
//!
//! comrak's tree takes some fifty times the text it holds, so a 50 MB document would
//! need gigabytes if parsed at once. A cut is made only where it cannot change the
//! outline: at the start of a line that opens an ATX heading, outside front matter.
//! Such a line ends every open paragraph, list, block quote and table, so the only
//! things that could run across it are a fenced code block or an HTML block still open
//! at the end of the piece; [`ends_cleanly`] checks for those in the piece's own tree
//! and the caller parses the rest at once when it finds one.
//!
//! What differs from one parse: link reference definitions are per parse in comrak,
//! so a reference to a label defined in another piece is resolved through comrak's
//! broken-link callback from [`definitions`], a scan of the whole source that does not
//! see comrak's tree (it tells code, comments and paragraphs apart by a line scan, and
//! does not know that comrak reads a definition line directly above a table as text);
//! a footnote reference and its definition in different pieces stay text. Documents
//! under twice the piece size are parsed at once, as are those with no heading to cut
//! at, and the rest of a document from a cut that would not be clean.

use std::collections::HashMap;

use comrak::nodes::{AstNode, NodeValue};
use comrak::ResolvedReference;

use crate::document::source::SourceFile;

/// Where the first cut may be: after the front matter, or `None` when the document
/// opens a front matter block that never closes (it is not cut at all then).
pub(super) fn first_split_floor(text: &str) -> Option<usize> {
    match super::front_matter::split(text) {
        Some(split) => Some(split.end),
        None if super::front_matter::opens_unclosed(text) => None,
        None => Some(0),
    }
}

/// The first line start at or after `from` that opens an ATX heading.
pub(super) fn next_split(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let search_from = from.checked_sub(1)?;
    if search_from >= bytes.len() {
        return None;
    }
    memchr::memmem::find_iter(&bytes[search_from..], b"\n#")
        .map(|i| search_from + i + 1)
        .find(|&at| super::opens_atx_heading(&bytes[at..]))
}

/// Where to cut when no heading comes within [`MAX_UNCUT`] bytes of `from`: the first
/// line start at or after `from` that opens a block of its own, preferring one after a
/// blank line (which ends every paragraph) to one that only ends a paragraph early. A
/// cut never comes before an indented line (code or a continuation), a setext
/// underline, or a table row, which would read differently without the line above;
/// [`ends_cleanly`] still rules out open fences and HTML blocks. Such cuts can split a
/// paragraph or a list in two; they exist so that a document with no heading in
/// megabytes cannot make comrak hold a tree of gigabytes (9.5 MB of `[a](` over short
/// lines took 1.6 GB in one parse).
pub(super) fn fallback_split(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let window_end = (from + MAX_UNCUT).min(bytes.len());
    let search_from = from.checked_sub(1)?;
    if search_from >= window_end {
        return None;
    }
    let opens_block = |at: usize| {
        let line = &bytes[at..];
        let end = memchr::memchr(b'\n', line).unwrap_or(line.len());
        let line = &line[..end];
        let trimmed: Vec<u8> = line
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        let setext = !trimmed.is_empty() && trimmed.iter().all(|&b| b == b'=' || b == b'-');
        !line.is_empty() && !matches!(line[0], b' ' | b'\t' | b'|' | b'\r') && !setext
    };
    let mut after_any = None;
    for i in memchr::memchr_iter(b'\n', &bytes[search_from..window_end]) {
        let at = search_from + i + 1;
        if at >= bytes.len() || !opens_block(at) {
            continue;
        }
        let blank_before = at >= 2 && {
            let prev_end = at - 1;
            let prev_start = bytes[..prev_end]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1);
            bytes[prev_start..prev_end]
                .iter()
                .all(|b| b.is_ascii_whitespace())
        };
        if blank_before {
            return Some(at);
        }
        after_any.get_or_insert(at);
    }
    after_any
}

/// How far past a piece's planned end a heading to cut at is looked for before
/// [`fallback_split`] cuts elsewhere. An absolute size, not a multiple of the piece,
/// so that tests with tiny pieces still cut only at headings.
pub(super) const MAX_UNCUT: usize = 1024 * 1024;

/// Whether nothing at the top level of a piece is still open at its end and would
/// take the heading after the cut as one of its lines: an unclosed fence, an HTML block
/// of the kinds that end only at a marker (comments, `<pre>`, `<script>`, ...) reaching
/// the piece's last non-blank line, or one of the kinds that end at a blank line
/// reaching its very last line. `piece` is the piece's text.
pub(super) fn ends_cleanly<'a>(root: &'a AstNode<'a>, piece: &str) -> bool {
    let lines = piece.split_inclusive('\n').count();
    let blank_tail = piece
        .split_inclusive('\n')
        .rev()
        .take_while(|l| l.trim().is_empty())
        .count();
    let last_content = lines - blank_tail;
    root.children().all(|node| {
        let data = node.data();
        match &data.value {
            NodeValue::CodeBlock(cb) => !cb.fenced || cb.closed,
            NodeValue::HtmlBlock(h) if h.block_type <= 5 => data.sourcepos.end.line < last_content,
            NodeValue::HtmlBlock(_) => data.sourcepos.end.line < lines,
            _ => true,
        }
    })
}

/// Every link reference definition's label and target in the whole source (see the
/// module's notes for what this scan does not know).
pub(super) struct Definitions(HashMap<String, String>);

/// The definitions [`super::link_definitions`] would find, with fenced and indented
/// code, HTML blocks and comments and the front matter (the text before `floor`) told
/// apart by a scan of the lines rather than by comrak's tree: a line that opens with a
/// tag is taken for an HTML block up to the next blank line.
pub(super) fn definitions(file: &SourceFile, floor: usize) -> Definitions {
    let mut fence: Option<(u8, usize)> = None;
    // An HTML block that ends at a marker (`-->`, `</pre>`, ...), or at a blank line.
    let mut until: Option<&str> = None;
    let mut html = false;
    let found = super::definition_lines(file, |span, line| {
        if span.start < floor {
            return true;
        }
        let body = line.trim_start_matches(' ');
        let indent = line.len() - body.len();
        let run = |c: u8| body.bytes().take_while(|&b| b == c).count();
        if let Some((c, len)) = fence {
            if indent < 4 && run(c) >= len && body[run(c)..].trim().is_empty() {
                fence = None;
            }
            return true;
        }
        if let Some(end) = until {
            if line.to_ascii_lowercase().contains(end) {
                until = None;
            }
            return true;
        }
        if html {
            // An HTML block that a blank line ends (`<div>`, or any lone tag).
            html = !line.trim().is_empty();
            return html;
        }
        if indent >= 4 || body.starts_with('\t') {
            // Indented code, or a continuation line: no definition either way.
            return true;
        }
        let lower = body.get(..10).unwrap_or(body).to_ascii_lowercase();
        for (open, end) in [
            ("<!--", "-->"),
            ("<pre", "</pre>"),
            ("<script", "</script>"),
            ("<style", "</style>"),
            ("<textarea", "</textarea>"),
        ] {
            if lower.starts_with(open) {
                let rest = body[open.len()..].to_ascii_lowercase();
                until = (!rest.contains(end)).then_some(end);
                return true;
            }
        }
        let tag = body.trim_start_matches('<').bytes().next();
        if body.starts_with('<') && tag.is_some_and(|b| b.is_ascii_alphabetic() || b == b'/') {
            html = true;
            return true;
        }
        for c in [b'`', b'~'] {
            if run(c) >= 3 {
                fence = Some((c, run(c)));
                return true;
            }
        }
        false
    });
    let mut map = HashMap::new();
    for d in found {
        // The first definition of a label wins, as in one parse.
        map.entry(normalize_label(&d.label)).or_insert(d.url);
    }
    Definitions(map)
}

impl Definitions {
    pub(super) fn resolve(&self, label: &str) -> Option<ResolvedReference> {
        self.0
            .get(&normalize_label(label))
            .map(|url| ResolvedReference {
                url: url.clone(),
                title: String::new(),
            })
    }
}

/// Labels match case-insensitively with runs of white space as one space.
fn normalize_label(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test fails by panicking
mod tests {
    use super::*;

    #[test]
    fn cuts_only_before_atx_headings() {
        let text = "intro\n#hashtag\n####### seven\n## Real\ntext\n#\n";
        assert_eq!(next_split(text, 1), Some(text.find("## Real").unwrap()));
        let empty_heading = text.rfind("#\n").unwrap();
        assert_eq!(next_split(text, empty_heading), Some(empty_heading));
        assert_eq!(next_split(text, text.len()), None);
        assert_eq!(next_split(text, 0), None);
    }

    #[test]
    fn front_matter_is_never_cut() {
        assert_eq!(first_split_floor("# T\n"), Some(0));
        assert_eq!(first_split_floor("---\na: 1\n# c\n---\n# T\n"), Some(17));
        assert_eq!(first_split_floor("---\na: 1\n# never closed\n"), None);
    }

    #[test]
    fn labels_resolve_across_case_and_spacing() {
        let file = SourceFile::new(
            "t.md",
            "[Design  Doc]: <docs/a b.md>\n\n> [q]: q.md\n[^1]: note\n\ntext\n[no]: x.md\n\n```\n[code]: c.md\n```\n",
        );
        let defs = definitions(&file, 0);
        assert_eq!(defs.resolve("design doc").unwrap().url, "docs/a b.md");
        assert_eq!(defs.resolve("Q").unwrap().url, "q.md");
        assert!(defs.resolve("^1").is_none());
        assert!(defs.resolve("no").is_none(), "inside a paragraph");
        assert!(defs.resolve("code").is_none(), "inside a fence");
    }

    use crate::document::Document;
    use proptest::prelude::*;

    /// The outline of `text` parsed at once and in pieces of about `piece` bytes.
    fn outlines(text: &str, piece: usize) -> (String, String) {
        let file = SourceFile::new("t.md", text);
        let whole = Document::parse_in_pieces(&file, usize::MAX);
        let pieces = Document::parse_in_pieces(&file, piece);
        (format!("{whole:#?}"), format!("{pieces:#?}"))
    }

    fn first_difference(a: &str, b: &str) -> String {
        let (la, lb): (Vec<_>, Vec<_>) = (a.lines().collect(), b.lines().collect());
        let i = la.iter().zip(&lb).take_while(|(x, y)| x == y).count();
        let from = i.saturating_sub(12);
        format!(
            "one parse:\n{}\nin pieces:\n{}",
            la[from..(i + 3).min(la.len())].join("\n"),
            lb[from..(i + 3).min(lb.len())].join("\n")
        )
    }

    /// Fragments that stress the cut: things that hide a heading line (fences, HTML,
    /// comments, front matter) or reach across one (references, lists, tables).
    const FRAGMENTS: &[&str] = &[
        "# Title",
        "## Section A",
        "### Sub-section",
        "#hashtag is not a heading",
        "Text with [ref], [x][ref], `code`, *emphasis* and [a link](a.md).",
        // Definitions stand between blank lines: where a line scan cannot tell a
        // definition from a table row or paragraph text, the outline may differ (see
        // the module's notes), and the cut is what this test is about.
        "\n[ref]: docs/ref.md\n",
        "\n[Other  Label]: <docs/b c.md> \"title\"\n",
        "See [other label] and [missing].",
        "- item\n- item [TBD]\n  - nested",
        "> quote\n> [q]: q.md",
        "```mermaid\nflowchart TD\n# not a heading\n```",
        "```\nan unclosed fence\n# inside",
        "~~~\n# tilde fence\n~~~",
        "<div>\n# inside html\n</div>",
        "<!--\n# in a comment\n-->",
        "<!-- never closed\n# x",
        "<pre>\n# pre\n</pre>",
        // After a blank line: comrak reads a definition line directly above a table as
        // text, which the scan for definitions does not know (see the module's notes).
        "\n| a | b |\n| - | - |\n| 1 | 2 |",
        "**Field**: value",
        "    indented code\n# after it",
        "Setext\n===",
        "---",
        "text <!-- archlint-disable placeholder -->",
        "1. one\n2. two",
        "> [!NOTE]\n> an alert",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn pieces_give_the_outline_of_one_parse(
            front in any::<bool>(),
            parts in prop::collection::vec((0..FRAGMENTS.len(), any::<bool>()), 0..40),
            piece in 1usize..160,
        ) {
            let mut text = String::from(if front { "---\ntitle: x\n# c\n---\n" } else { "" });
            for (i, blank) in parts {
                text.push_str(FRAGMENTS[i]);
                text.push_str(if blank { "\n\n" } else { "\n" });
            }
            let (whole, pieces) = outlines(&text, piece);
            prop_assert!(whole == pieces, "text: {:?}\n{}", text, first_difference(&whole, &pieces));
        }
    }

    /// Every fixture document, cut as small as the cutting allows. Footnotes are the
    /// one documented difference, so documents that use them are left out.
    #[test]
    fn fixtures_give_the_outline_of_one_parse() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut stack = vec![root];
        let mut checked = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "md") {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                if text.contains("[^") {
                    continue;
                }
                for piece in [1, 64, 512] {
                    let (whole, pieces) = outlines(&text, piece);
                    assert!(
                        whole == pieces,
                        "{} cut at {piece}\n{}",
                        path.display(),
                        first_difference(&whole, &pieces)
                    );
                }
                checked += 1;
            }
        }
        assert!(checked > 50, "only {checked} fixtures read");
    }
}
