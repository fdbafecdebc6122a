//! Finding the document's last-updated date (and other date fields) in the source.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::date::{self, DateValue};
use crate::document::Document;
use crate::matching::normalize_label;
use crate::profile::{DateLocation, DateReq};
use crate::source::SourceFile;

/// A `Label: value` line: `> Last updated: …`, `**Last Updated**: …`, `- **Date:** …`.
static LABEL_LINE: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)] // a literal pattern, checked by the tests
    Regex::new(
        // Plain character classes on purpose: a bounded repeat of `\p{L}` compiles to a
        // very large automaton, and this pattern runs on every document.
        r"^[ \t]{0,3}(?:>[ \t]*)*(?:[-*+][ \t]+|[0-9]+[.)][ \t]+)?(?:\*\*|__|\*|_)?(?P<label>[^\s*_:>`\[][^:*_`\n]{0,60}?)[ \t]*(?:(?:\*\*|__|\*|_)[ \t]*:|:[ \t]*(?:\*\*|__|\*|_)?)[ \t]*(?P<value>.*)$",
    )
    .unwrap()
});

/// A dated line: where the label is and what the value says.
#[derive(Debug, Clone)]
pub struct DatedLine {
    /// The label as written (`Next Review Date`).
    pub label: String,
    /// The whole line.
    pub line_span: Range<usize>,
    /// The value after the label, trimmed of markup.
    pub value_span: Range<usize>,
    pub value: DateValue,
}

/// Every `Label: value` line outside code blocks and front matter.
/// (normalised label, label as written, line span, value span) of every such line.
type LabelLine = (String, String, Range<usize>, Range<usize>);

fn label_lines(file: &SourceFile, doc: &Document) -> Vec<LabelLine> {
    let mut out = Vec::new();
    let fm_end = doc.front_matter.as_ref().map(|f| f.span.end).unwrap_or(0);
    for line in 1..=file.line_count() {
        let span = file.line_span(line);
        if span.start < fm_end || doc.in_code(span.start) {
            continue;
        }
        let text = file.line_text(line);
        if !text.contains(':') {
            continue;
        }
        let Some(c) = LABEL_LINE.captures(text) else {
            continue;
        };
        let (Some(label), Some(value)) = (c.name("label"), c.name("value")) else {
            continue;
        };
        // Strip trailing markup from the value (`2026-11-02**`, two-space breaks).
        let v = value.as_str();
        // A value that is only an HTML comment (`<!-- fill in -->`) is no value.
        let v = if v.trim_start().starts_with("<!--") {
            ""
        } else {
            v
        };
        let v_trim = v.trim_end_matches(['*', '_', ' ', '\\']);
        let start = span.start + value.start();
        out.push((
            normalize_label(label.as_str()),
            label.as_str().trim().to_string(),
            span.clone(),
            start..start + v_trim.len(),
        ));
    }
    out
}

/// The document's last-updated date line, searched where the profile says first and
/// anywhere after that (a date in the "wrong" place is still the date).
pub fn find(file: &SourceFile, doc: &Document, req: &DateReq) -> Option<DatedLine> {
    let lines: Vec<_> = label_lines(file, doc)
        .into_iter()
        .filter(|(label, _, _, _)| req.labels.iter().any(|l| l == label))
        .collect();
    let first_h2 = doc
        .sections
        .iter()
        .find(|s| s.level >= 2)
        .map(|s| s.heading_span.start)
        .unwrap_or(usize::MAX);
    let last_heading = doc.sections.last().map(|s| s.heading_span.end).unwrap_or(0);
    let in_place = |r: &Range<usize>| match req.location {
        DateLocation::Header => r.start < first_h2,
        DateLocation::Footer => r.start >= last_heading,
        DateLocation::Anywhere => true,
    };
    let pick = lines
        .iter()
        .find(|(_, _, l, _)| in_place(l))
        .or_else(|| lines.first());
    if let Some((_, label, line_span, value_span)) = pick {
        let value = date::parse(&file.text()[value_span.clone()]);
        return Some(DatedLine {
            label: label.clone(),
            line_span: line_span.clone(),
            value_span: value_span.clone(),
            value,
        });
    }
    front_matter_date(file, doc, req)
}

fn front_matter_date(file: &SourceFile, doc: &Document, req: &DateReq) -> Option<DatedLine> {
    let fm = doc.front_matter.as_ref()?;
    for (i, line) in fm.body.lines().enumerate() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let key = key.trim();
        if line.starts_with([' ', '\t']) || !req.front_matter_keys.iter().any(|k| k == key) {
            continue;
        }
        let line_no = fm.body_line + i;
        let line_span = file.line_span(line_no);
        let raw = value.trim().trim_matches(['"', '\'']);
        let offset = file.text()[line_span.clone()]
            .find(raw)
            .map(|o| line_span.start + o)
            .unwrap_or(line_span.start);
        return Some(DatedLine {
            label: key.to_string(),
            line_span,
            value_span: offset..offset + raw.len(),
            value: date::parse(raw),
        });
    }
    None
}

/// Other fields whose label names a date (`Date`, `Next Review Date`), excluding the
/// last-updated labels: only checked to parse.
pub fn other_dates(file: &SourceFile, doc: &Document, req: Option<&DateReq>) -> Vec<DatedLine> {
    label_lines(file, doc)
        .into_iter()
        .filter(|(norm, _, _, _)| {
            norm.split(' ').any(|w| w == "date")
                && req.is_none_or(|r| !r.labels.iter().any(|l| l == norm))
        })
        .map(|(_, label, line_span, value_span)| DatedLine {
            value: date::parse(&file.text()[value_span.clone()]),
            label,
            line_span,
            value_span,
        })
        .collect()
}
