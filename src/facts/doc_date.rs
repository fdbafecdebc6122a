//! Finding the document's last-updated date (and other date fields) in the source.

use std::ops::Range;

use crate::document::source::SourceFile;
use crate::document::Document;
use crate::facts::date::{self, DateValue};
use crate::facts::normalize::normalize_label;
use crate::profile::{DateLocation, DateReq};

/// Split a `Label: value` line (`> Last updated: …`, `**Last Updated**: …`,
/// `- **Date:** …`) into the label's range and where the value starts. Written by hand:
/// it runs on every line of every document, and a regex with captures was the single
/// largest cost of linting.
fn split_label_line(text: &str) -> Option<(Range<usize>, usize)> {
    let b = text.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(b'\n');
    let skip_blank = |mut i: usize| {
        while matches!(at(i), b' ' | b'\t') {
            i += 1;
        }
        i
    };
    let emphasis = |i: usize| match (at(i), at(i + 1)) {
        (b'*', b'*') | (b'_', b'_') => 2,
        (b'*' | b'_', _) => 1,
        _ => 0,
    };
    let mut i = 0;
    while i < 3 && matches!(at(i), b' ' | b'\t') {
        i += 1;
    }
    while at(i) == b'>' {
        i = skip_blank(i + 1);
    }
    if matches!(at(i), b'-' | b'*' | b'+') && matches!(at(i + 1), b' ' | b'\t') {
        i = skip_blank(i + 1);
    } else if at(i).is_ascii_digit() {
        let mut j = i;
        while at(j).is_ascii_digit() {
            j += 1;
        }
        if matches!(at(j), b'.' | b')') && matches!(at(j + 1), b' ' | b'\t') {
            i = skip_blank(j + 1);
        }
    }
    i += emphasis(i);
    let first = text.get(i..)?.chars().next()?;
    if first.is_whitespace() || matches!(first, '*' | '_' | ':' | '>' | '`' | '[') {
        return None;
    }
    let label_start = i;
    let end = label_end(text, i)?;
    let label_end = label_start + text[label_start..end].trim_end().len();
    let mut k = skip_blank(end);
    match emphasis(k) {
        0 if at(k) == b':' => {
            k += 1;
            k += emphasis(k);
        }
        0 => return None,
        n => {
            k = skip_blank(k + n);
            if at(k) != b':' {
                return None;
            }
            k += 1;
        }
    }
    Some((label_start..label_end, skip_blank(k)))
}

/// The letters (a to z, either case) that `text` holds, one bit each; bit 31 when it
/// holds a byte that is not ASCII.
fn letters(text: &[u8]) -> u32 {
    text.iter()
        .fold(0, |set, &b| set | LETTER_BIT[usize::from(b)])
}

const NON_ASCII: u32 = 1 << 31;

/// Each byte's bit in [`letters`]: a table, as the test runs over the start of every
/// line holding a colon.
static LETTER_BIT: [u32; 256] = {
    let mut t = [0; 256];
    let mut b = 0;
    while b < 256 {
        let l = (b as u8) | 0x20;
        t[b] = if b >= 0x80 {
            NON_ASCII
        } else if l.is_ascii_lowercase() {
            1 << (l - b'a')
        } else {
            0
        };
        b += 1;
    }
    t
};

/// Which labels can normalise to a date label (see [`label_lines`]), by the letters
/// they hold: normalising ASCII folds case, spacing and `&` (to `and`) and drops
/// leading symbols, numbers and trailing `:`/`.`, so every letter of the result
/// outside an `and` is in the label as written. A label that passes may still not
/// name a date (the date rules compare normalised labels); one that fails cannot.
struct DateLetters {
    sets: Vec<u32>,
    /// The letters of `review`: a review line may date the review among other words.
    review: u32,
    /// The letters every one of `sets` holds.
    common: u32,
}

impl DateLetters {
    fn new(date_labels: &[String]) -> DateLetters {
        let of = |l: &str| {
            l.split(' ')
                .filter(|w| *w != "and")
                .fold(0, |set, w| set | (letters(w.as_bytes()) & !NON_ASCII))
        };
        let mut sets = vec![letters(b"date")];
        sets.extend(date_labels.iter().map(|l| of(l)));
        let common = sets.iter().fold(u32::MAX, |all, s| all & s);
        DateLetters {
            sets,
            common,
            review: letters(b"review"),
        }
    }

    /// Whether a line's text up to one of its colons may hold a label naming a date:
    /// a label ends at the line's first colon, so it lies inside that text and its
    /// letters are among the text's. Cheaper than finding the label, and most lines
    /// fail it.
    fn may_hold_date_label(&self, before_colon: &[u8]) -> bool {
        let held = letters(before_colon);
        held & NON_ASCII != 0 || self.common & !held == 0 || self.review & !held == 0
    }

    fn may_name_date(&self, label: &str) -> bool {
        let held = letters(label.as_bytes());
        held & NON_ASCII != 0
            || self.review & !held == 0
            || self.sets.iter().any(|&need| need & !held == 0)
    }
}

/// Where a label starting at `i` ends: at the first `:`, `*`, `_` or backtick (ASCII,
/// so a byte search finds them), or the line's end; `None` past 61 characters.
fn label_end(text: &str, i: usize) -> Option<usize> {
    const LABEL_CHARS: usize = 61;
    let end = text.as_bytes()[i..]
        .iter()
        .position(|c| matches!(c, b':' | b'*' | b'_' | b'`' | b'\n'))
        .map_or(text.len(), |n| i + n);
    (text[i..end].chars().count() <= LABEL_CHARS).then_some(end)
}

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

/// A `Label: value` line.
#[derive(Debug, Clone)]
pub struct LabelLine {
    /// The label, normalised (lowercase, markup and punctuation gone).
    pub norm: String,
    /// The label as written.
    pub label_span: Range<usize>,
    /// The whole line.
    pub line_span: Range<usize>,
    /// The value after the label, trimmed of markup.
    pub value_span: Range<usize>,
}

impl LabelLine {
    /// The line as a dated field, its value read as a date.
    fn dated(&self, file: &SourceFile) -> DatedLine {
        DatedLine {
            label: file.text()[self.label_span.clone()].to_string(),
            line_span: self.line_span.clone(),
            value_span: self.value_span.clone(),
            value: date::parse(&file.text()[self.value_span.clone()]),
        }
    }
}

/// Every `Label: value` line outside code blocks and front matter whose label can name
/// a date: one holding the word `date`, or one of `date_labels` (normalised). The date
/// rules read no others, and most labels (`Purpose`, `Location`) are not normalised.
pub fn label_lines(file: &SourceFile, doc: &Document, date_labels: &[String]) -> Vec<LabelLine> {
    let mut out = Vec::new();
    let date_letters = DateLetters::new(date_labels);
    let bytes = file.text().as_bytes();
    let fm_end = doc.front_matter.as_ref().map(|f| f.span.end).unwrap_or(0);
    // Only lines holding a `:` can be labelled: go from colon to colon, a line at a
    // time (the line found by walking forward, not by a search per colon), and over
    // a code block at once.
    let (mut pos, mut line) = (0, 1);
    while let Some(found) = memchr::memchr(b':', &bytes[pos..]) {
        let colon = pos + found;
        while line < file.line_count() && file.line_start(line + 1) <= colon {
            line += 1;
        }
        let span = file.line_span(line);
        pos = file.line_start(line + 1).max(colon + 1);
        if span.start < fm_end {
            continue;
        }
        if let Some(code) = doc.code_range_at(span.start) {
            // Every line starting inside the block is code too.
            pos = pos.max(code.end);
            continue;
        }
        if !date_letters.may_hold_date_label(&bytes[span.start..colon]) {
            continue;
        }
        let Some(l) = label_line(file, line, |label| date_letters.may_name_date(label)) else {
            continue;
        };
        out.push(l);
    }
    out
}

/// Whether the document's header (between its front matter and its first heading of
/// level 2 or deeper, outside code) holds a `Label: value` line with a value whose
/// normalised label is one of `names`, or its front matter such a key: a section
/// written as one field (`Status: Accepted`, `- **Status:** accepted`, `status:
/// accepted` in front matter). A full-width colon (`ステータス：承認`) counts as a colon.
pub fn header_field(file: &SourceFile, doc: &Document, names: &[String]) -> bool {
    let named = |label: &str| names.iter().any(|n| *n == normalize_label(label));
    let in_front_matter = doc.front_matter.as_ref().is_some_and(|f| {
        f.entries()
            .any(|(_, key, value)| !value.is_empty() && named(key))
    });
    if in_front_matter {
        return true;
    }
    let start = doc.front_matter.as_ref().map_or(0, |f| f.span.end);
    let end = doc
        .sections
        .iter()
        .find(|s| s.level >= 2)
        .map_or(file.text().len(), |s| s.heading_span.start);
    let mut line = file.line_of(start);
    // The column a table's header row gave the field, waiting for the row of values.
    let mut column: Option<usize> = None;
    while line <= file.line_count() && file.line_start(line) < end {
        let span = file.line_span(line);
        line += 1;
        if doc.code_range_at(span.start).is_some() {
            continue;
        }
        if let Some(cells) = crate::facts::normalize::table_cells(&file.text()[span.clone()]) {
            if let Some(c) = column {
                if crate::facts::normalize::is_delimiter_row(&cells) {
                    continue;
                }
                if cells.get(c).is_some_and(|v| !v.is_empty()) {
                    return true;
                }
                column = None;
            } else if let [label, value] = cells[..] {
                // `| Status | Accepted |`
                if named(label) && !value.is_empty() {
                    return true;
                }
            }
            // `| Status | Date |` over `| --- | --- |` and `| Accepted | 2026-01-02 |`
            column = column.or_else(|| cells.iter().position(|c| named(c)));
            continue;
        }
        column = None;
        let text = file.text()[span].replace('\u{ff1a}', ":");
        let Some((label, value_start)) = split_label_line(&text) else {
            continue;
        };
        let value = text[value_start.min(text.len())..].trim();
        if !value.is_empty() && !value.starts_with("<!--") && named(&text[label]) {
            return true;
        }
    }
    false
}

/// Line `line` as a `Label: value` line, if it is one and `wanted` takes its label.
fn label_line(file: &SourceFile, line: usize, wanted: impl Fn(&str) -> bool) -> Option<LabelLine> {
    let span = file.line_span(line);
    let text = file.line_text(line);
    let (label_span, value_start) = split_label_line(text)?;
    let label = &text[label_span.clone()];
    if !wanted(label) {
        return None;
    }
    // Strip trailing markup from the value (`2026-11-02**`, two-space breaks).
    let v = &text[value_start.min(text.len())..];
    // A value that is only an HTML comment (`<!-- fill in -->`) is no value.
    let v = if v.trim_start().starts_with("<!--") {
        ""
    } else {
        v
    };
    let v_trim = v.trim_end_matches(['*', '_', ' ', '\\']);
    let start = span.start + value_start.min(text.len());
    let lead = label.len() - label.trim_start().len();
    let label_start = span.start + label_span.start + lead;
    Some(LabelLine {
        norm: normalize_label(label),
        label_span: label_start..label_start + label.trim().len(),
        line_span: span,
        value_span: start..start + v_trim.len(),
    })
}

/// The document's last-updated date line, searched where the profile says first and
/// anywhere after that (a date in the "wrong" place is still the date).
/// `label_lines`: the document's [`label_lines`].
pub fn last_updated(
    file: &SourceFile,
    doc: &Document,
    label_lines: &[LabelLine],
    req: &DateReq,
) -> Option<DatedLine> {
    let lines: Vec<_> = label_lines
        .iter()
        .filter(|l| req.labels.contains(&l.norm))
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
        .find(|l| in_place(&l.line_span))
        .or_else(|| lines.first());
    if let Some(line) = pick {
        return Some(line.dated(file));
    }
    front_matter_date(file, doc, req)
}

fn front_matter_date(file: &SourceFile, doc: &Document, req: &DateReq) -> Option<DatedLine> {
    let fm = doc.front_matter.as_ref()?;
    for (i, key, value) in fm.entries() {
        if !req.front_matter_keys.iter().any(|k| k == key) {
            continue;
        }
        let line_no = fm.body_line + i;
        let line_span = file.line_span(line_no);
        let raw = value.trim_matches(['"', '\'']);
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
pub fn other_dates(
    file: &SourceFile,
    label_lines: &[LabelLine],
    req: Option<&DateReq>,
) -> Vec<DatedLine> {
    label_lines
        .iter()
        .filter(|l| {
            let mut words = l.norm.split(' ');
            let dated = words.clone().any(|w| w == "date")
                // A review line dates the review among other words (`**Last
                // Reviewed By**: Kwame Mensah on 2026-02-30`): read when it holds a
                // numeric date.
                || words.any(|w| w.starts_with("review"))
                    && has_numeric_date(&file.text()[l.value_span.clone()]);
            dated
                && req.is_none_or(|r| !r.labels.contains(&l.norm))
                && !not_known_yet(&file.text()[l.value_span.clone()])
        })
        .map(|l| l.dated(file))
        .collect()
}

/// Whether a date field's value says the date is not known yet (`TBD`, `Pending`,
/// `n/a`, `to be decided`): an honest answer, not a date written wrong.
fn not_known_yet(value: &str) -> bool {
    let v = value
        .trim()
        .trim_matches(|c: char| c == '*' || c == '_' || c == '`' || c == '.')
        .trim()
        .to_ascii_lowercase();
    matches!(
        v.as_str(),
        "tbd"
            | "tba"
            | "tbc"
            | "pending"
            | "unknown"
            | "n/a"
            | "na"
            | "none"
            | "-"
            | "—"
            | "–"
            | "?"
            | "not yet"
            | "not set"
            | "unscheduled"
    ) || v.starts_with("to be ") && !v.bytes().any(|b| b.is_ascii_digit())
}

/// Whether `text` holds three groups of digits joined by `-`, `/` or `.`, one of them
/// of four digits (`2026-02-30`, `30/02/2026`): a date as numbers, valid or not.
fn has_numeric_date(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let (mut groups, mut four, mut j) = (0, false, i);
        loop {
            let start = j;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            groups += 1;
            four |= j - start == 4;
            if groups < 3
                && j + 1 < b.len()
                && matches!(b[j], b'-' | b'/' | b'.')
                && b[j + 1].is_ascii_digit()
            {
                j += 1;
            } else {
                break;
            }
        }
        if groups == 3 && four {
            return true;
        }
        i = j.max(i + 1);
    }
    false
}

/// The dates of change-log rows: the `Date` column of every table in a section named
/// as a change log (`Change Log`, `Changelog`, `Revision History`, `Version History`)
/// or inside one. Each non-empty cell is a dated value, read as a date field is.
pub fn change_log_dates(file: &SourceFile, doc: &Document) -> Vec<DatedLine> {
    // Compared at the end of the name (`📅 Change Log`, `Document Revision History`):
    // most headings fail at their last byte.
    let is_log = |norm: &str| {
        let norm = norm.trim_end();
        [
            "change log",
            "changelog",
            "revision history",
            "version history",
            "document history",
        ]
        .iter()
        .any(|n| norm.ends_with(n))
    };
    let mut out = Vec::new();
    // Sections come after their parents: each one's answer is its parent's or its own.
    let mut in_log: Vec<bool> = Vec::with_capacity(doc.sections.len());
    for s in &doc.sections {
        let logged = s.parent.is_some_and(|p| in_log[p]) || is_log(&s.norm);
        in_log.push(logged);
        if !logged {
            continue;
        }
        for block in &doc.blocks[s.blocks.clone()] {
            if block.kind == crate::document::BlockKind::Table {
                table_dates(file, block.span.clone(), &mut out);
            }
        }
    }
    out
}

/// The cells of a table's `Date` column, below its header and delimiter rows.
fn table_dates(file: &SourceFile, span: Range<usize>, out: &mut Vec<DatedLine>) {
    let first = file.line_of(span.start);
    let last = file.line_of(span.end.saturating_sub(1).max(span.start));
    let header = file.line_span(first);
    let cells = row_cells(file.text(), header);
    let Some((column, label)) = cells.iter().enumerate().find_map(|(i, c)| {
        let name = normalize_label(&file.text()[c.clone()]);
        name.split(' ')
            .any(|w| w == "date")
            .then(|| (i, file.text()[c.clone()].trim().to_string()))
    }) else {
        return;
    };
    for line in first + 2..=last {
        let line_span = file.line_span(line);
        let Some(cell) = row_cells(file.text(), line_span.clone())
            .into_iter()
            .nth(column)
        else {
            continue;
        };
        let text = &file.text()[cell.clone()];
        // A cell without a digit is a word (`Unreleased`, `TBD`, `—`), not a date
        // written wrong.
        if !text.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        out.push(DatedLine {
            label: label.clone(),
            line_span,
            value_span: cell,
            value: date::parse(text),
        });
    }
}

/// The cells of one table row (`| a | b |` or `a | b`), each trimmed of spaces, split
/// at the pipes that are not escaped.
fn row_cells(text: &str, line: Range<usize>) -> Vec<Range<usize>> {
    let row = &text[line.clone()];
    let b = row.as_bytes();
    let mut pipes = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'|' => {
                pipes.push(i);
                i += 1;
            }
            _ => i += 1,
        }
    }
    let lead = row.len() - row.trim_start().len();
    let tail = row.trim_end().len();
    // A pipe opening or closing the row bounds no cell on its outer side.
    let mut starts = vec![lead];
    let mut ends = Vec::new();
    let mut last = tail;
    for &p in &pipes {
        if p == lead {
            starts[0] = p + 1;
        } else if p + 1 == tail {
            last = p;
        } else {
            ends.push(p);
            starts.push(p + 1);
        }
    }
    ends.push(last);
    starts
        .into_iter()
        .zip(ends)
        .map(|(a, z)| {
            let cell = &row[a..z.max(a)];
            let a2 = a + (cell.len() - cell.trim_start().len());
            let z2 = a + cell.trim_end().len();
            line.start + a2..line.start + z2.max(a2)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{has_numeric_date, label_end, row_cells, split_label_line, DateLetters};

    fn split(t: &str) -> Option<(&str, &str)> {
        split_label_line(t).map(|(l, v)| (&t[l], &t[v..]))
    }

    #[test]
    fn label_lines_in_every_spelling() {
        assert_eq!(
            split("> Last updated: 2026-11-02"),
            Some(("Last updated", "2026-11-02"))
        );
        assert_eq!(
            split("**Last Updated**: 2026-11-02"),
            Some(("Last Updated", "2026-11-02"))
        );
        assert_eq!(
            split("**Last Updated:** 2026-11-02"),
            Some(("Last Updated", "2026-11-02"))
        );
        assert_eq!(
            split("- **Date:** 2026-10-01"),
            Some(("Date", "2026-10-01"))
        );
        assert_eq!(
            split("1. Next Review Date: soon"),
            Some(("Next Review Date", "soon"))
        );
        assert_eq!(split("Über: x"), Some(("Über", "x")));
    }

    /// The label scan as first written, a character at a time.
    fn label_end_by_chars(text: &str, i: usize) -> Option<usize> {
        let mut end = i;
        for (n, (off, c)) in text[i..].char_indices().enumerate() {
            if matches!(c, ':' | '*' | '_' | '`' | '\n') {
                return Some(i + off);
            }
            if n > 60 {
                return None;
            }
            end = i + off + c.len_utf8();
        }
        Some(end)
    }

    proptest::proptest! {
        #[test]
        fn labels_end_where_a_character_scan_ends_them(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "Label", " ", "é", "日本語", "🎯", ":", "*", "_", "`", "\n",
                    "xxxxxxxxxxxxxxxxxxxx",
                ]),
                0..24,
            )
        ) {
            let text: String = parts.concat();
            for (i, _) in text.char_indices() {
                proptest::prop_assert_eq!(
                    label_end(&text, i),
                    label_end_by_chars(&text, i),
                    "{:?} from {}", text, i
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn the_letter_table_is_the_letters(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..40)) {
            let by_case = bytes.iter().fold(0, |set, &b| {
                let l = b | 0x20;
                if l.is_ascii_lowercase() { set | 1 << (l - b'a') } else { set }
            });
            let expected = by_case | if bytes.is_ascii() { 0 } else { super::NON_ASCII };
            proptest::prop_assert_eq!(super::letters(&bytes), expected, "{:?}", bytes);
        }
    }

    proptest::proptest! {
        #[test]
        fn the_letter_filter_keeps_every_label_that_names_a_date(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "Last", "UPDATED", "updated", "Date", "date", "&", "and", "Review", "R&D",
                    "1.", "2)", "-", "##", "Next", "ON", "Version", "Purpose", "📅",
                ]),
                1..6,
            ),
            labels in proptest::sample::subsequence(
                vec!["last updated", "updated", "last reviewed", "r and d", "updated on"], 0..3
            ),
        ) {
            let label = words.join(" ");
            let labels: Vec<String> = labels.into_iter().map(String::from).collect();
            let norm = crate::facts::normalize::normalize_label(&label);
            let names_date = norm.split(' ').any(|w| w == "date") || labels.contains(&norm);
            if names_date {
                proptest::prop_assert!(DateLetters::new(&labels).may_name_date(&label), "{:?}", label);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn the_line_filter_keeps_every_line_the_label_filter_keeps(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "> ", "- ", "1. ", "**", "_", " ", "Last", "UPDATED", "date", "&", "R&D",
                    "Review", "é", "📅", ":", ": ", "2026-11-02", "`", "*",
                ]),
                1..10,
            ),
            labels in proptest::sample::subsequence(
                vec!["last updated", "updated", "last reviewed", "r and d", "reviewed"], 0..3
            ),
        ) {
            let line = parts.concat();
            let labels: Vec<String> = labels.into_iter().map(String::from).collect();
            let letters = DateLetters::new(&labels);
            if let (Some((label, _)), Some(colon)) = (split_label_line(&line), line.find(':')) {
                if letters.may_name_date(&line[label]) {
                    proptest::prop_assert!(
                        letters.may_hold_date_label(&line.as_bytes()[..colon]),
                        "{:?}", line
                    );
                }
            }
        }
    }

    #[test]
    fn other_lines_are_not_labels() {
        assert_eq!(split("plain text without a colon"), None);
        assert_eq!(split("`code`: no"), None);
        assert_eq!(split("[link]: target"), None);
        assert_eq!(split(&format!("{}: too long", "x".repeat(80))), None);
        assert_eq!(split("**bold** words: no"), None);
    }

    #[test]
    fn table_rows_split_at_unescaped_pipes() {
        let cells = |row: &str| -> Vec<String> {
            row_cells(row, 0..row.len())
                .into_iter()
                .map(|r| row[r].to_string())
                .collect()
        };
        assert_eq!(
            cells("| 2026-01-02 | 1.0 | a \\| b |"),
            ["2026-01-02", "1.0", "a \\| b"]
        );
        assert_eq!(cells("2026-01-02 | 1.0"), ["2026-01-02", "1.0"]);
        assert_eq!(cells("|  | x |"), ["", "x"]);
        assert_eq!(cells("|"), [""]);
    }

    #[test]
    fn numeric_dates_are_three_groups_one_of_four_digits() {
        for yes in ["on 2026-02-30", "30/02/2026", "2026.1.5", "x 2026-13-45 y"] {
            assert!(has_numeric_date(yes), "{yes}");
        }
        for no in [
            "Kwame Mensah",
            "Q3 2026",
            "v1.2.3",
            "2026-02",
            "12/31/26",
            "10.0.0.1",
        ] {
            assert!(!has_numeric_date(no), "{no}");
        }
    }
}
