//! `empty-section`: a heading with no content of its own or below it.

use super::{CheckCx, Rule};
use crate::diagnostic::{Diagnostic, RuleId};
use crate::document::BlockKind;

declare_rule! {
    EmptySection,
    severity: Warning,
    docs: r#"## What it finds
A heading followed by nothing a reader could use before the next heading: only
whitespace, HTML comments, thematic breaks (`---`), link reference definitions, or
placeholders. A heading whose sub-sections have content is not empty, nor is one that
is its own content: a sentence ending in `.` or `!`, a link and nothing else, or more
than twelve words. When a whole branch is empty, only its top heading is reported.

## Why it matters
An empty heading promises content that is not there, and usually marks a section
someone meant to write.

## Options
None.

## Examples
Failing:
```markdown
### Threat Model

### Defense Layers
Requests are authenticated at the edge.
```
Passing: write at least a sentence under `### Threat Model`, or remove it.

## Configuration
```toml
[rules]
empty-section = "error"
```
"#,
}

impl Rule for EmptySection {
    fn check(&self, cx: &mut CheckCx<'_>) {
        let n = cx.doc.sections.len();
        // Children come after their parent, so one backwards pass settles "has content".
        let mut has_content = vec![false; n];
        for i in (0..n).rev() {
            let own = cx.doc.sections[i]
                .blocks
                .clone()
                .any(|b| block_has_content(cx, b));
            let below = cx.doc.sections[i].children.iter().any(|&c| has_content[c]);
            has_content[i] = own || below || says_it_all(cx, i);
        }
        // The title names the document; it is not a section that needs content of its
        // own. Only a document with nothing in it at all is reported, at its title.
        let title = cx.doc.title();
        let anything = has_content.iter().any(|&c| c);
        for i in 0..n {
            if has_content[i] || (Some(i) == title && (anything || n > 1)) {
                continue;
            }
            // Report the top of an empty branch only; the title is no branch.
            if cx.doc.sections[i]
                .parent
                .is_some_and(|p| !has_content[p] && Some(p) != title)
            {
                continue;
            }
            let s = &cx.doc.sections[i];
            cx.report(
                Diagnostic::new(
                    RuleId::EmptySection,
                    s.heading_span.clone(),
                    format!("section `{}` is empty", s.text),
                )
                .with_label("nothing below this heading")
                .with_help("write the section, or remove the heading"),
            );
        }
    }
}

pub(crate) fn block_has_content(cx: &CheckCx<'_>, b: usize) -> bool {
    let block = &cx.doc.blocks[b];
    match &block.kind {
        BlockKind::ThematicBreak => false,
        BlockKind::Html { comment } => !comment,
        BlockKind::Code => !cx.example_blocks.contains(&block.span),
        _ => prose_has_content(cx, &block.span),
    }
}

/// Whether the prose inside `span` says anything once placeholders, field labels and
/// markup are taken away. Code spans, links and images are content.
fn prose_has_content(cx: &CheckCx<'_>, span: &std::ops::Range<usize>) -> bool {
    let text = cx.text();
    let mut any_prose = false;
    let first = cx.doc.prose.partition_point(|p| p.span.start < span.start);
    for p in cx.doc.prose[first..]
        .iter()
        .take_while(|p| p.span.start < span.end)
    {
        any_prose = true;
        if cx.doc.masked(p).iter().any(|m| {
            let t = &text[m.clone()];
            !t.starts_with("<!--") && !t.trim().is_empty()
        }) {
            return true;
        }
        let mut pos = p.span.start;
        // Placeholders and fields are sorted by position: binary search, not a scan, so
        // a document with many of both stays linear.
        let ph = cx.placeholders.partition_point(|h| h.start < p.span.start);
        let mut cuts: Vec<std::ops::Range<usize>> = cx.placeholders[ph..]
            .iter()
            .take_while(|h| h.start < p.span.end)
            .filter(|h| h.end <= p.span.end)
            .cloned()
            .collect();
        let fi = cx
            .doc
            .fields
            .partition_point(|f| f.label_span.start < p.span.start);
        cuts.extend(
            cx.doc.fields[fi..]
                .iter()
                .take_while(|f| f.label_span.start < p.span.end)
                .filter(|f| f.label_span.end <= p.span.end)
                .map(|f| f.label_span.start..f.value_span.start.max(f.label_span.end)),
        );
        cuts.sort_by_key(|c| c.start);
        for c in cuts {
            if c.start > pos && has_words(&text[pos..c.start]) {
                return true;
            }
            pos = pos.max(c.end);
        }
        if pos < p.span.end && has_words(&text[pos..p.span.end]) {
            return true;
        }
    }
    // A block with no prose leaf at all (an odd HTML construct, say) counts as content
    // unless it is blank.
    !any_prose && !text[span.clone()].trim().is_empty() && !is_list_skeleton(&text[span.clone()])
}

fn has_words(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

/// `-` / `1.` list markers with nothing after them.
fn is_list_skeleton(s: &str) -> bool {
    s.lines().all(|l| {
        let t = l.trim();
        t.is_empty()
            || t.trim_start_matches(|c: char| {
                c.is_ascii_digit() || matches!(c, '-' | '*' | '+' | '.' | ')')
            })
            .trim()
            .is_empty()
    })
}

/// A heading that is its own content: a sentence (`## For more, read the setup
/// guide.`), a link and nothing else (`##### [Installation guide](…)`), or a line of more
/// than twelve words. Such a heading closes a document or points elsewhere; it opens no
/// section to write.
fn says_it_all(cx: &CheckCx<'_>, i: usize) -> bool {
    let s = &cx.doc.sections[i];
    let text = s.text.trim();
    if text.ends_with(['.', '!']) && !text.ends_with("...") || text.split_whitespace().count() > 12 {
        return true;
    }
    // The heading's text after its marker is one link (links are in document order,
    // so one binary search finds one starting there).
    let line = cx.text().get(s.marker_span.end..s.heading_span.end).unwrap_or("");
    let body = line.trim().trim_end_matches('#').trim_end();
    let start = s.marker_span.end + (line.len() - line.trim_start().len());
    let links = &cx.doc.links;
    let i = links.partition_point(|l| l.span.start < start);
    !body.is_empty()
        && links
            .get(i)
            .is_some_and(|l| l.span.start == start && l.span.len() == body.len())
}
