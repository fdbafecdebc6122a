//! `missing-field`: a section lacks a required labelled field.

use super::{CheckCx, Rule};
use crate::diagnostic::{Diagnostic, Fix, Origin, RuleId};
use crate::profile::FieldReq;

declare_rule! {
    MissingField,
    severity: Error,
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
}

impl Rule for MissingField {
    fn check(&self, cx: &mut CheckCx<'_>) {
        let profile = cx.profile;
        if let Some(origin) = &profile.header_origin {
            check_header(cx, &profile.header_fields, origin);
        }
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
    let written: Vec<(&str, usize)> = cx.doc.fields[first..]
        .iter()
        .take_while(|f| f.label_span.start < span.end)
        .map(|f| (f.norm.as_str(), f.value_span.end.max(f.label_span.end).saturating_sub(1)))
        .collect();
    let present: Vec<&str> = written
        .iter()
        .map(|(n, _)| *n)
        .chain(
            cx.doc
                .descendants(section)
                .map(|d| cx.doc.sections[d].norm.as_str()),
        )
        .collect();
    let heading_end = cx.doc.sections[section].heading_span.end;
    for (fi, field) in fields.iter().enumerate() {
        if present.contains(&field.norm.as_str()) {
            continue;
        }
        // After the line of the last field written that comes before this one in the
        // profile's order, else right below the heading.
        let after = fields[..fi]
            .iter()
            .rev()
            .find_map(|f| written.iter().find(|(n, _)| *n == f.norm).map(|(_, at)| *at))
            .unwrap_or(heading_end.saturating_sub(1));
        let fix = field_fix(cx, after, field, fi);
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
            .with_origin(Some(origin.clone()))
            .with_fix(fix),
        );
    }
}

/// The fix for a missing field: its labelled line after the line holding `after`,
/// its value a bracketed instruction that `placeholder` reports until a person
/// writes it. Several after one line keep the profile's order.
fn field_fix(cx: &CheckCx<'_>, after: usize, field: &FieldReq, rank: usize) -> Fix {
    let name = field.to_string();
    let line = format!("**{name}**: [Describe the {}]", name.to_lowercase());
    Fix {
        edits: vec![cx.block_after_line(after, &line)],
        ..Fix::new(format!("add the field `**{name}**:`"), 0..0, "")
    }
    .ranked(rank)
}

/// The document's header, everything before its first section below the title, must
/// carry `fields` as labelled lines (`**Version**: 2.1`) or front-matter keys
/// (`version: 2.1`).
fn check_header(cx: &mut CheckCx<'_>, fields: &[FieldReq], origin: &Origin) {
    let doc = cx.doc;
    let end = doc
        .sections
        .iter()
        .find(|s| s.level >= 2)
        .map_or(cx.file.text().len(), |s| s.heading_span.start);
    let keys: Vec<String> = doc
        .front_matter
        .as_ref()
        .map(|fm| {
            fm.entries()
                .map(|(_, k, _)| crate::facts::normalize::normalize_label(&k.replace(['_', '-'], " ")))
                .collect()
        })
        .unwrap_or_default();
    let present: Vec<&str> = doc
        .fields
        .iter()
        .take_while(|f| f.label_span.start < end)
        .map(|f| f.norm.as_str())
        .chain(keys.iter().map(String::as_str))
        .collect();
    let title = doc.sections.first().filter(|s| s.level == 1);
    for (fi, field) in fields.iter().enumerate() {
        if present.contains(&field.norm.as_str()) {
            continue;
        }
        let fix = match title {
            Some(t) => field_fix(cx, t.heading_span.end.saturating_sub(1), field, fi),
            None => {
                let name = field.to_string();
                let line = format!("**{name}**: [Describe the {}]", name.to_lowercase());
                let at = doc.front_matter.as_ref().map_or(0, |f| f.span.end);
                Fix {
                    edits: vec![cx.block_before_line(at, &line)],
                    ..Fix::new(format!("add the field `**{name}**:`"), 0..0, "")
                }
                .ranked(fi)
            }
        };
        let (span, label) = match title {
            Some(t) => (t.heading_span.clone(), "the header under this title"),
            None => (0..0, "the document's start"),
        };
        cx.report(
            Diagnostic::new(
                RuleId::MissingField,
                span,
                format!("the document's header lacks the field `{field}`"),
            )
            .with_label(format!("no `**{field}**:` in {label}"))
            .with_help(format!(
                "add a line `**{field}**: …` between the title and the first section"
            ))
            .with_origin(Some(origin.clone()))
            .with_fix(fix),
        );
    }
}
