//! `missing-diagram`: a required diagram is absent.

use super::{CheckCx, Rule};
use crate::diagnostic::{Diagnostic, RuleId};
use crate::document::CodeBlock;
use crate::facts::mermaid_types;
use crate::profile::{DiagramKind, DiagramReq};

declare_rule! {
    MissingDiagram,
    severity: Error,
    docs: r#"## What it finds
A diagram the profile requires that the document, or the section that must hold it,
does not have. A requirement may ask for a mermaid block only (`kind = "mermaid"`), or
accept any fenced diagram such as ASCII art or PlantUML (`kind = "any"`); it may name
the mermaid diagram type (`type = "sequence"`). A template's example diagram left in
verbatim does not count. The finding points at the section's heading (or the title,
for a document-wide requirement).

## Why it matters
Architecture is easier to see than to read; a data flow without a sequence diagram
makes every reader rebuild it in their head.

## Options
`[[diagrams]]` in the profile: `section`, `kind` (`mermaid` or `any`), `type`.

## Examples
Failing (`comprehensive`, Data Flow needs a sequence diagram): a Data Flow section with
only a numbered list. Passing: add a ```` ```mermaid ```` block starting with
`sequenceDiagram`.

## Configuration
```toml
[rules]
missing-diagram = "warning"
```
"#,
}

impl Rule for MissingDiagram {
    fn check(&self, cx: &mut CheckCx<'_>) {
        let profile = cx.profile;
        for req in &profile.diagrams {
            let (scope, anchor, place) = match req.section {
                Some(s) => match cx.matching.found[s] {
                    Some(f) => (
                        cx.doc.sections[f].span.clone(),
                        cx.doc.sections[f].heading_span.clone(),
                        format!("section `{}`", cx.heading(f)),
                    ),
                    // The section itself is missing: that finding is enough.
                    None => continue,
                },
                None => (0..cx.text().len(), cx.title_span(), "the document".into()),
            };
            let present = cx.doc.code_blocks.iter().any(|(cb, span)| {
                scope.contains(&span.start)
                    && !cx.example_blocks.contains(span)
                    && satisfies(cb, req)
            });
            if present {
                continue;
            }
            let what = describe(req);
            let mut d = Diagnostic::new(
                RuleId::MissingDiagram,
                anchor,
                format!("{place} has no {what}"),
            )
            .with_label(format!("needs a {what}"))
            .with_origin(Some(req.origin.clone()));
            let keyword = req
                .diagram_type
                .as_deref()
                .map(keyword_for)
                .unwrap_or("flowchart TD");
            d = d.with_help(match req.kind {
                DiagramKind::Mermaid => format!("add a ```mermaid block starting with `{keyword}`"),
                DiagramKind::Any => {
                    format!("add a ```mermaid block starting with `{keyword}`, or an ASCII diagram in a ```text block")
                }
            });
            cx.report(d);
        }
    }
}

fn describe(req: &DiagramReq) -> String {
    let base = match (req.kind, req.diagram_type.as_deref()) {
        (_, Some(t)) => format!("mermaid {} diagram", family_name(t)),
        (DiagramKind::Mermaid, None) => "mermaid diagram".to_string(),
        (DiagramKind::Any, None) => "diagram".to_string(),
    };
    match &req.description {
        Some(d) => format!("{base} ({d})"),
        None => base,
    }
}

fn family_name(t: &str) -> &str {
    match t {
        "er" => "entity-relationship",
        "c4" => "C4",
        other => other,
    }
}

fn keyword_for(t: &str) -> &'static str {
    match t {
        "sequence" => "sequenceDiagram",
        "class" => "classDiagram",
        "state" => "stateDiagram-v2",
        "er" => "erDiagram",
        "c4" => "C4Context",
        "deployment" => "flowchart LR",
        _ => "flowchart TD",
    }
}

/// The first keyword of a mermaid body, after comments, directives and front matter.
pub fn mermaid_keyword(body: &str) -> Option<&str> {
    let mut lines = body.lines().map(str::trim).peekable();
    if lines.peek() == Some(&"---") {
        lines.next();
        for l in lines.by_ref() {
            if l == "---" {
                break;
            }
        }
    }
    lines
        .filter(|l| !l.is_empty() && !l.starts_with("%%"))
        .map(|l| {
            l.split(|c: char| c.is_whitespace() || c == ';')
                .next()
                .unwrap_or("")
        })
        .next()
}

fn satisfies(cb: &CodeBlock, req: &DiagramReq) -> bool {
    if cb.lang == "mermaid" {
        return match &req.diagram_type {
            None => true,
            Some(want) => crate::mermaid::diagram_kind(&cb.literal)
                .or_else(|| mermaid_keyword(&cb.literal))
                .and_then(mermaid_types::family_of)
                .is_some_and(|f| mermaid_types::satisfies(f, want)),
        };
    }
    if req.kind != DiagramKind::Any || req.diagram_type.is_some() {
        return false;
    }
    match cb.lang.as_str() {
        "plantuml" | "puml" | "dot" | "graphviz" | "d2" | "svgbob" | "ditaa" | "ascii"
        | "asciiart" | "diagram" | "bob" | "nomnoml" | "pikchr" | "structurizr" => true,
        "" | "text" | "txt" | "plain" | "plaintext" => looks_like_ascii_diagram(&cb.literal),
        _ => false,
    }
}

/// Box-drawing characters, or arrows and boxes made of ASCII.
fn looks_like_ascii_diagram(body: &str) -> bool {
    let box_drawing = body.chars().any(|c| {
        ('\u{2500}'..='\u{257f}').contains(&c)
            || ('\u{2190}'..='\u{21ff}').contains(&c)
            || c == '▶'
            || c == '▼'
    });
    let ascii = [
        "-->", "<--", "->", "<-", "==>", "+--", "--+", "|", "[", "v\n",
    ]
    .iter()
    .filter(|p| body.contains(*p))
    .count();
    box_drawing || ascii >= 2
}
