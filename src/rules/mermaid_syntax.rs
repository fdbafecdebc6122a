//! `mermaid-syntax`: a mermaid block that Mermaid would refuse to render.

use std::borrow::Cow;
use std::ops::Range;

use super::{CheckCx, Rule};
use crate::diagnostic::{Diagnostic, RuleId};
use crate::mermaid;

declare_rule! {
    MermaidSyntax,
    severity: Error,
    docs: r#"## What it finds
A mermaid block (```` ```mermaid ````, `~~~mermaid` or `:::mermaid`) that Mermaid's own
parser would reject. Every block is checked for its diagram keyword (after `%%`
comments, `%%{init}%%` directives and YAML front matter); how much of the diagram
itself is read depends on its kind:

- **Checked fully** (Mermaid's own grammar and the checks its database makes while it
  builds the diagram): `flowchart`/`graph`, `sequenceDiagram`, `architecture-beta`,
  `block`, `classDiagram`, `erDiagram`, `eventmodeling`, `gantt`, `gitGraph`, `info`,
  `journey`, `kanban`, `mindmap`, `packet`, `pie`, `quadrantChart`, `radar-beta`,
  `requirementDiagram`, `sankey`, `stateDiagram`, `timeline`, `treemap`,
  `treeView-beta`, `venn-beta`, `wardley-beta`, `xychart` and the C4 diagrams.
- **Checked for the header only**: `ishikawa`, `swimlane-beta`, `cynefin-beta`,
  `railroad-beta`: their bodies are not judged, so a broken body is not reported.
  The corpus's 36 ishikawa diagrams agree with Mermaid already, and Mermaid
  11.17.2's sources hold no examples of the other three to measure a port against.

A kind is "checked fully" when it agrees with Mermaid 11.17.2 on at least 99% of a
corpus of Mermaid's own examples and test diagrams and their mutations; the table, per
kind, is in archlint's `docs/mermaid-conformance.md`. When the checker is unsure it
stays silent: it never calls a diagram that Mermaid accepts invalid. The finding points
at the block's opening fence; the message says what Mermaid objects to and names the
line of the diagram where it is.

## Why it matters
A broken diagram renders as an error box on GitHub: the picture that was supposed to
explain the system explains nothing.

## Options
None.

## Examples
Failing:
```markdown
    ```mermaid
    flowchart TD
        A[Web App --> B[(Postgres)]
    ```
```
Passing:
```markdown
    ```mermaid
    flowchart TD
        A[Web App] --> B[(Postgres)]
    ```
```

## Configuration
```toml
[rules]
mermaid-syntax = "warning"
```
"#,
}

impl Rule for MermaidSyntax {
    fn check(&self, cx: &mut CheckCx<'_>) {
        let mut blocks: Vec<(Range<usize>, usize, Cow<'_, str>)> = cx
            .doc
            .code_blocks
            .iter()
            .filter(|(cb, _)| cb.lang == "mermaid")
            .map(|(cb, span)| {
                (
                    span.clone(),
                    cb.body_line,
                    Cow::Borrowed(cb.literal.as_str()),
                )
            })
            .collect();
        blocks.extend(
            colon_fenced(cx)
                .into_iter()
                .map(|(span, line, body)| (span, line, Cow::Owned(body))),
        );
        for (span, body_line, body) in blocks {
            let Some(err) = mermaid::check(&body) else {
                continue;
            };
            let fence_line = cx.file.line_of(span.start);
            let line = body_line + err.line;
            let message = to_file_lines(&err.message, body_line);
            cx.report(
                Diagnostic::new(
                    RuleId::MermaidSyntax,
                    cx.file.line_span(fence_line),
                    format!("mermaid diagram is invalid: {message} (line {line})"),
                )
                .with_label(format!(
                    "the problem is on line {line}: `{}`",
                    excerpt(cx, line)
                ))
                .with_help("Mermaid will not render this block; fix the line named above"),
            );
        }
    }
}

/// The checker counts lines within the diagram ("opened on line 3"); a reader counts
/// them in the file, as every other finding does.
fn to_file_lines(message: &str, body_line: usize) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find("line ") {
        let (before, after) = rest.split_at(i + 5);
        out.push_str(before);
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        match digits.parse::<usize>() {
            Ok(n) if n > 0 => out.push_str(&(body_line + n - 1).to_string()),
            _ => out.push_str(&digits),
        }
        rest = &after[digits.len()..];
    }
    out.push_str(rest);
    out
}

fn excerpt(cx: &CheckCx<'_>, line: usize) -> String {
    let text = cx.file.line_text(line).trim();
    let mut s: String = text.chars().take(60).collect();
    if text.chars().count() > 60 {
        s.push('…');
    }
    s
}

/// `:::mermaid` … `:::` blocks (Azure DevOps, some static-site generators), which
/// CommonMark reads as paragraphs: found by their fence lines, outside code.
fn colon_fenced(cx: &CheckCx<'_>) -> Vec<(Range<usize>, usize, String)> {
    let mut out = Vec::new();
    let file = cx.file;
    let bytes = file.text().as_bytes();
    if memchr::memmem::find(bytes, b":::").is_none() {
        return out;
    }
    // Code blocks are sorted and disjoint: `code[ci]` is the first that ends
    // after the current line's start.
    let code = &cx.doc.code_ranges;
    let mut ci = 0;
    let mut line = 1;
    while line <= file.line_count() {
        let start = file.line_start(line);
        while code.get(ci).is_some_and(|r| r.end <= start) {
            ci += 1;
        }
        if let Some(r) = code.get(ci).filter(|r| r.start <= start) {
            // `in_code`, like every line up to the one holding the block's end:
            // never an opening fence.
            line = file.line_of(r.end).max(line + 1);
            continue;
        }
        // Quick reject: after ASCII blanks, an opening fence shows a `:` (a
        // non-ASCII byte may be a Unicode blank, so it gets the full test).
        let mut i = start;
        while matches!(bytes.get(i), Some(b' ' | b'\t' | b'\r' | 0x0b | 0x0c)) {
            i += 1;
        }
        if bytes.get(i).is_none_or(|&c| c != b':' && c < 0x80) {
            line += 1;
            continue;
        }
        let t = file.line_text(line).trim();
        let is_open = t.strip_prefix(":::").is_some_and(|r| r.trim() == "mermaid");
        if !is_open || cx.doc.in_code(file.line_span(line).start) {
            line += 1;
            continue;
        }
        let open = line;
        let mut close = None;
        for l in open + 1..=file.line_count() {
            if file.line_text(l).trim() == ":::" {
                close = Some(l);
                break;
            }
        }
        let Some(close) = close else {
            break;
        };
        let body = (open + 1..close)
            .map(|l| file.line_text(l))
            .collect::<Vec<_>>()
            .join("\n");
        out.push((file.line_span(open), open + 1, body));
        line = close + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::mermaid::{kinds, Coverage};

    /// The kinds `explain` lists under each heading are the checker's own coverage.
    #[test]
    fn explain_lists_each_kind_under_its_coverage() {
        let docs = super::META.docs;
        let section = |from: &str, to: &str| {
            let a = docs.find(from).unwrap_or_else(|| panic!("no {from:?}"));
            let b = docs[a..].find(to).map_or(docs.len(), |k| a + k);
            docs[a..b].to_string()
        };
        let full = section("**Checked fully**", "**Checked for the header only**");
        let header = section("**Checked for the header only**", "A kind is");
        let spelled = |kind: &str| match kind {
            "architecture" => "`architecture-beta`",
            "er" => "`erDiagram`",
            "gitgraph" => "`gitGraph`",
            "radar" => "`radar-beta`",
            "treeview" => "`treeView-beta`",
            "flowchart" => "`flowchart`",
            "sequence" => "`sequenceDiagram`",
            "class" => "`classDiagram`",
            "state" => "`stateDiagram`",
            "c4" => "C4",
            "requirement" => "`requirementDiagram`",
            "quadrant" => "`quadrantChart`",
            "venn" => "`venn-beta`",
            "wardley" => "`wardley-beta`",
            "swimlane" => "`swimlane-beta`",
            "cynefin" => "`cynefin-beta`",
            "railroad" => "`railroad-beta`",
            other => Box::leak(format!("`{other}`").into_boxed_str()),
        };
        for (kind, coverage) in kinds() {
            let (want, other) = match coverage {
                Coverage::Full => (&full, &header),
                Coverage::Header => (&header, &full),
            };
            let name = spelled(kind);
            assert!(
                want.contains(name),
                "{kind} ({coverage:?}) is not listed as such"
            );
            assert!(
                !other.contains(name),
                "{kind} is listed under another coverage too"
            );
        }
    }
}
