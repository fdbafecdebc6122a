//! `missing-field`: a section lacks a required labelled field.

use super::{CheckCx, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Origin, RuleId, Severity};
use crate::profile::FieldReq;

pub struct MissingField;

static META: RuleMeta = RuleMeta {
    id: RuleId::MissingField,
    severity: Severity::Error,
    summary: "a section lacks a required labelled field (e.g. `**Context**:`)",
    docs: r#"## What it finds
A section, or each of its sub-sections, that lacks a labelled field the profile
requires: a paragraph or list item that starts with a bold label, written
`**Context**: …` or `**Context:** …`. A sub-heading with the same text (`#### Context`)
also counts. Labels match without regard to case, spacing or `&`/`and`.

## Why it matters
Fields are what make records comparable: a decision without its context, or a
component without its location, cannot be reviewed.

## Options
None; fields come from the profile's `fields` and `subsections.fields`.

## Examples
Failing (`comprehensive`, a decision without context):
```markdown
### Decision: Outbox instead of dual writes
**Decision**: We write events to an outbox table.
**Consequences**: One more table to vacuum.
```
Passing: add `**Context**: …` and `**Options Considered**: …`.

## Configuration
```toml
[rules]
missing-field = "warning"
```
"#,
};

impl Rule for MissingField {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut CheckCx<'_>) {
        let profile = cx.profile;
        for (ri, req) in profile.sections.iter().enumerate() {
            let Some(found) = cx.matching.found[ri] else {
                continue;
            };
            check_fields(cx, found, &req.fields, &req.origin);
            if let Some(sub) = &req.subsections {
                if sub.fields.is_empty() {
                    continue;
                }
                let children: Vec<usize> = cx.doc.sections[found]
                    .children
                    .iter()
                    .copied()
                    .filter(|&c| {
                        sub.pattern
                            .as_ref()
                            .is_none_or(|re| re.is_match(&cx.doc.sections[c].norm))
                    })
                    .collect();
                for c in children {
                    // An unwritten record is `empty-section`'s finding, not a list of
                    // missing fields.
                    let written = cx.doc.sections[c]
                        .blocks
                        .clone()
                        .any(|b| super::empty_section::block_has_content(cx, b));
                    if !written && cx.doc.sections[c].children.is_empty() {
                        continue;
                    }
                    check_fields(cx, c, &sub.fields, &req.origin);
                }
            }
        }
    }
}

fn check_fields(cx: &mut CheckCx<'_>, section: usize, fields: &[FieldReq], origin: &Origin) {
    if fields.is_empty() {
        return;
    }
    let span = cx.doc.sections[section].span.clone();
    let first = cx
        .doc
        .fields
        .partition_point(|f| f.label_span.start < span.start);
    let present: Vec<&str> = cx.doc.fields[first..]
        .iter()
        .take_while(|f| f.label_span.start < span.end)
        .map(|f| f.norm.as_str())
        .chain(
            cx.doc
                .descendants(section)
                .map(|d| cx.doc.sections[d].norm.as_str()),
        )
        .collect();
    for field in fields {
        if present.contains(&field.norm.as_str()) {
            continue;
        }
        cx.report(
            Diagnostic::new(
                RuleId::MissingField,
                cx.doc.sections[section].heading_span.clone(),
                format!(
                    "section `{}` lacks the field `{field}`",
                    cx.doc.sections[section].text
                ),
            )
            .with_label(format!("no `**{field}**:` in this section"))
            .with_help(format!("add a line `**{field}**: …` to this section"))
            .with_origin(Some(origin.clone())),
        );
    }
}
