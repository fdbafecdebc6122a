//! `placeholder`: unfilled template text.

use std::collections::HashMap;

use super::{CheckCx, Rule};
use crate::diagnostic::{Diagnostic, RuleId, Text};

declare_rule! {
    Placeholder,
    severity: Error,
    docs: r#"## What it finds
Template text that was never replaced: bracketed fill-ins (`[Component Name]`,
`[e.g., PostgreSQL]`, `[What does it do?]`), date tokens (`YYYY-MM-DD`), `{{name}}`
variables, the profile's own placeholder vocabulary, a template's example diagram
left in verbatim, stand-ins that name their value (`# Title`, `# NUMBER. TITLE`,
`Date: DATE`, `STATUS` under `## Status`, `[000]`, `Date: XXXX-XX-XX`), a status
offered as a menu (`Proposed | Accepted | Superseded`), braced names standing alone
(`{decision}` as a paragraph, `# ADR-{NNN}: {Decision Subject}`), and front-matter
values that are one name in angle brackets or braces (`owner: "<Your Name>"`). It
looks in prose, headings, list items, table cells and front matter.

It never reports links (inline, reference, or shortcut links that have a definition),
images, footnotes (`[^1]`), task-list boxes (`[ ]`, `[x]`), citations (`[1]`),
alerts (`> [!NOTE]`), numeric ranges (`[0, 1]`), versions (`[1.2.0-rc.1]`), tags
such as `[P0]`, a path written as a pattern (`decisions/[number]-[title].md`),
indexing such as `a[i]`, or anything
inside code spans and code blocks (except a verbatim template example).

## Why it matters
A `[Component Name]` left in a document is a section someone meant to write and did
not; readers skim past it and assume the document is complete.

## Options
`[placeholders]` in the profile: `patterns` (regular expressions), `tokens` (literal
strings), `example-code` / `example-digests` (verbatim example blocks).

## Examples
Failing:
```markdown
- **Purpose**: [What does it do?]
```
Passing:
```markdown
- **Purpose**: Turns usage records into invoices.
- See [the runbook](runbook.md) and `items[i]`.
```

## Configuration
```toml
[rules]
placeholder = "warning"
```
"#,
}

impl Rule for Placeholder {
    fn check(&self, cx: &mut CheckCx<'_>) {
        let hits: Vec<_> = cx.placeholders.to_vec();
        // One message per distinct placeholder, shared by its findings.
        let mut messages: HashMap<&str, Text> = HashMap::new();
        let text = cx.file.text();
        for r in hits {
            let message = messages
                .entry(&text[r.clone()])
                .or_insert_with_key(|hit| {
                    let shown: String = hit.chars().take(80).collect();
                    format!("template placeholder `{shown}` was never filled in").into()
                })
                .clone();
            cx.report(
                Diagnostic::new(RuleId::Placeholder, r, message)
                    .with_label("placeholder")
                    .with_help("replace it with the real content, or delete it"),
            );
        }
        let blocks: Vec<_> = cx.example_blocks.to_vec();
        for span in blocks {
            let line = cx.file.line_of(span.start);
            let first_line = cx.file.line_span(line);
            cx.report(
                Diagnostic::new(
                    RuleId::Placeholder,
                    first_line,
                    "the template's example diagram was left in verbatim",
                )
                .with_label("example from the template")
                .with_help("draw this system's own diagram instead"),
            );
        }
    }
}
