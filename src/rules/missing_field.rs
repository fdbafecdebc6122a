//! `missing-field`: a section lacks a required labelled field.

use super::{CheckCx, Rule};
use crate::diagnostic::{Diagnostic, Fix, Origin, RuleId};
use crate::profile::FieldReq;
use std::ops::Range;

declare_rule! {
    MissingField,
    severity: Error,
    docs: r#"## What it finds
A section, or each of its sub-sections, that lacks a labelled field the profile
requires: a paragraph or list item that starts with a bold label, written
`**Context**: …` or `**Context:** …`. A sub-heading with the same text (`#### Context`)
also counts. Labels match without regard to case, spacing or `&`/`and`. A field
written with no value (`**Author**:` followed by another field, a heading or the end
of its section, or holding only an HTML comment) is reported too; a value may be the
list, table, code or text right below its label.

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
        // The fields written with no value, for `left_empty`: few are, so most
        // sections need no further look.
        let text = cx.file.text();
        let empties: Vec<usize> = (0..cx.doc.fields.len())
            .filter(|&i| no_value(text.get(cx.doc.fields[i].value_span.clone()).unwrap_or("")))
            .collect();
        let empties = &empties[..];
        if let Some(origin) = &profile.header_origin {
            check_header(cx, &profile.header_fields, origin, empties);
        }
        for (ri, req) in profile.sections.iter().enumerate() {
            let Some(found) = cx.matching.found[ri] else {
                continue;
            };
            check_fields(cx, found, &req.fields, &req.origin, empties);
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
                    check_fields(cx, c, &sub.fields, &req.origin, empties);
                }
            }
        }
    }
}

fn check_fields(
    cx: &mut CheckCx<'_>,
    section: usize,
    fields: &[FieldReq],
    origin: &Origin,
    empties: &[usize],
) {
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
    let empties_here = empties_in(cx, empties, &span);
    for (fi, field) in fields.iter().enumerate() {
        if present.contains(&field.norm.as_str()) {
            if let Some(at) = left_empty(cx, &span, field, empties_here) {
                let name = format!("section `{}`", cx.doc.sections[section].text);
                let heading = cx.doc.sections[section].heading_span.clone();
                report_empty(cx, heading, &name, field, at, origin);
            }
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
fn check_header(cx: &mut CheckCx<'_>, fields: &[FieldReq], origin: &Origin, empties: &[usize]) {
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
            if let Some(at) = left_empty(cx, &(0..end), field, empties_in(cx, empties, &(0..end))) {
                let span = title.map_or(0..0, |t| t.heading_span.clone());
                report_empty(cx, span, "the document's header", field, at, origin);
            }
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

/// Where `field` is written in `within` with no value, when every time it is written
/// there it has none: `**Author**:` (or `**Author**: <!-- fill in -->`) followed by
/// another field, a heading, a thematic break or the end of `within`. A label whose
/// value is the list, table, code or text below it (`**Options Considered**:` over a
/// list) is filled. `empties`: the fields in `within` written with no value.
fn left_empty(
    cx: &CheckCx<'_>,
    within: &Range<usize>,
    field: &FieldReq,
    empties: &[usize],
) -> Option<usize> {
    let fields = &cx.doc.fields;
    let at = |i: usize| fields[i].label_span.start;
    let mut empty = empties
        .iter()
        .copied()
        .filter(|&i| fields[i].norm == field.norm);
    let first = empty.next()?;
    // Every time it is written here, with no value and nothing below it.
    let first_field = fields.partition_point(|f| f.label_span.start < within.start);
    let written = fields[first_field..]
        .iter()
        .take_while(|f| f.label_span.start < within.end)
        .filter(|f| f.norm == field.norm)
        .count();
    (written == 1 + empty.clone().count()
        && std::iter::once(first)
            .chain(empty)
            .all(|i| followed_by_nothing(cx, &fields[i], within)))
    .then(|| at(first))
}

/// The fields of `empties` (indexes into the document's fields, in order) whose label
/// lies in `span`.
fn empties_in<'e>(cx: &CheckCx<'_>, empties: &'e [usize], span: &Range<usize>) -> &'e [usize] {
    let at = |i: &usize| cx.doc.fields[*i].label_span.start;
    let lo = empties.partition_point(|i| at(i) < span.start);
    let hi = empties.partition_point(|i| at(i) < span.end);
    &empties[lo..hi]
}

/// Whether a field's value says nothing: empty, or only HTML comments.
fn no_value(value: &str) -> bool {
    let value = value.trim();
    value.is_empty() || value.starts_with("<!--") && without_comments(value).trim().is_empty()
}

/// `value` without its HTML comments (an unclosed one runs to the end).
fn without_comments(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(open) = rest.find("<!--") {
        out.push_str(&rest[..open]);
        rest = match rest[open + 4..].find("-->") {
            Some(e) => &rest[open + 4 + e + 3..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

/// Whether nothing that could be `f`'s value follows its line: the next line with text
/// (inside `within`) is another labelled field at the same depth, a heading that ends
/// the field's section or a thematic break, or there is none. Deeper lines (a nested
/// list), a sub-heading, and a list, table, code block or prose below a paragraph's
/// label are its value.
fn followed_by_nothing(cx: &CheckCx<'_>, f: &crate::document::Field, within: &Range<usize>) -> bool {
    let file = cx.file;
    let line = file.line_of(f.label_span.start);
    let (own_depth, own_item) = line_shape(file.line_text(line));
    let Some(next) = (line + 1..=file.line_count())
        .take_while(|&l| file.line_start(l) < within.end)
        .map(|l| file.line_text(l))
        .find(|t| !t.trim_start_matches(['>', ' ', '\t']).is_empty())
    else {
        return true;
    };
    let (depth, item) = line_shape(next);
    if depth > own_depth {
        return false;
    }
    let body = next.trim_start_matches(['>', ' ', '\t']);
    let body = if item { strip_marker(body) } else { body };
    let marks = body.bytes().filter(|b| !b.is_ascii_whitespace());
    let thematic_break = [b'-', b'*', b'_']
        .iter()
        .any(|&m| marks.clone().all(|b| b == m) && marks.clone().count() >= 3);
    let labelled = (body.starts_with("**") || body.starts_with("__")) && item == own_item;
    // A sub-heading of the field's own section (`**Options Considered**:` over `####
    // Option A`) holds its value; a heading at its level or above, or any heading
    // after the document's header, ends it.
    let hashes = body.bytes().take_while(|&b| b == b'#').count();
    if hashes > 0 && body.as_bytes().get(hashes).is_none_or(|b| b.is_ascii_whitespace()) {
        let pos = f.label_span.start;
        let sections = &cx.doc.sections;
        let own = (0..sections.partition_point(|s| s.heading_span.start <= pos))
            .rev()
            .find(|&i| sections[i].span.contains(&pos))
            .filter(|&i| Some(i) != cx.doc.title());
        return own.is_none_or(|i| hashes <= usize::from(sections[i].level));
    }
    thematic_break || labelled
}

/// A line's indentation and whether it starts a list item.
fn line_shape(line: &str) -> (usize, bool) {
    let body = line.trim_start_matches(['>', ' ', '\t']);
    let depth = line.len() - body.len();
    let b = body.as_bytes();
    let bullet = matches!(b.first(), Some(b'-' | b'*' | b'+')) && matches!(b.get(1), Some(b' ' | b'\t'));
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let ordered = (1..=9).contains(&digits)
        && matches!(b.get(digits), Some(b'.' | b')'))
        && matches!(b.get(digits + 1), Some(b' ' | b'\t'));
    (depth, bullet || ordered)
}

/// A list item's text without its marker (`- `, `1. `) and task box.
fn strip_marker(body: &str) -> &str {
    let b = body.as_bytes();
    let n = if matches!(b.first(), Some(b'-' | b'*' | b'+')) {
        1
    } else {
        b.iter().take_while(|c| c.is_ascii_digit()).count() + 1
    };
    let rest = body.get(n..).unwrap_or("").trim_start();
    rest.strip_prefix("[ ]")
        .or_else(|| rest.strip_prefix("[x]"))
        .or_else(|| rest.strip_prefix("[X]"))
        .map_or(rest, str::trim_start)
}

fn report_empty(
    cx: &mut CheckCx<'_>,
    span: Range<usize>,
    whose: &str,
    field: &FieldReq,
    at: usize,
    origin: &Origin,
) {
    let line = cx.file.line_of(at);
    cx.report(
        Diagnostic::new(
            RuleId::MissingField,
            span,
            format!("{whose} leaves the field `{field}` empty"),
        )
        .with_label(format!("`**{field}**:` on line {line} has no value"))
        .with_help(format!("write the {} after `**{field}**:`", field.to_string().to_lowercase()))
        .with_origin(Some(origin.clone())),
    );
}
