//! sankey: a port of Mermaid's `sankey.jison` (three-field CSV records), run on the
//! text as Mermaid prepares it: the ends trimmed and runs of line breaks collapsed,
//! so a blank line is fine but a line of spaces is a record that fails.

use super::jison::line_at;
use super::keywords::{shorten, Header};
use super::prep::Prepared;
use super::MermaidError;

/// `[\u0020-\u0021\u0023-\u002B\u002D-\u007E]`: printable ASCII but `"` and `,`.
fn textdata(c: u8) -> bool {
    (0x20..=0x7e).contains(&c) && c != b'"' && c != b','
}

/// Mermaid's `prepareTextForParsing`, keeping for each byte its offset in `text`.
fn prepare(text: &str) -> (String, Vec<usize>) {
    let b = text.as_bytes();
    let mut out = String::new();
    let mut map = Vec::new();
    let mut k = 0;
    while k < b.len() && matches!(b[k], b' ' | b'\t' | 0x0b | 0x0c) {
        k += 1;
    }
    while k < b.len() {
        if matches!(b[k], b'\n' | b'\r') {
            let start = k;
            while k < b.len() && matches!(b[k], b'\n' | b'\r') {
                k += 1;
            }
            out.push('\n');
            map.push(start);
            continue;
        }
        let c = text[k..].chars().next().unwrap_or(' ');
        out.push(c);
        for _ in 0..c.len_utf8() {
            map.push(k);
        }
        k += c.len_utf8();
    }
    let trimmed = out.trim_end().len();
    let lead = out.len() - out.trim_start().len();
    let prepared = out[lead..trimmed].to_string();
    let map = map[lead..trimmed].to_vec();
    (prepared, map)
}

pub(super) fn check(p: &Prepared, header: Header) -> Option<MermaidError> {
    let text = p.text_from_header(header);
    let (csv, map) = prepare(&text);
    let b = csv.as_bytes();
    let line = |k: usize| {
        line_at(
            &text,
            map.get(k).copied().unwrap_or(text.len()),
            header.line,
        )
    };
    let fail = |k: usize, what: String| Some(MermaidError::new(line(k), what));
    let keyword = ["sankey-beta", "sankey"]
        .iter()
        .find(|w| {
            b.len() >= w.len()
                && b[..w.len()].eq_ignore_ascii_case(w.as_bytes())
                && !b
                    .get(w.len())
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        })
        .map(|w| w.len())?;
    let mut k = keyword;
    if b.get(k) != Some(&b'\n') {
        return fail(
            k,
            "`sankey` stands alone on its line, with the records below it".to_string(),
        );
    }
    k += 1;
    loop {
        let record_start = k;
        for field in 0..3 {
            if b.get(k) == Some(&b'"') {
                let open = k;
                k += 1;
                let start = k;
                loop {
                    match b.get(k) {
                        Some(b'"') if b.get(k + 1) == Some(&b'"') => k += 2,
                        Some(b'"') => break,
                        Some(&c) if textdata(c) || matches!(c, b',' | b'\r' | b'\n') => k += 1,
                        Some(_) => {
                            return fail(k, "a quoted field holds printable ASCII only".to_string())
                        }
                        None => {
                            return fail(
                                open,
                                "the field's opening `\"` is never closed".to_string(),
                            )
                        }
                    }
                }
                if k == start {
                    return fail(
                        open,
                        "an empty quoted field `\"\"` is not accepted".to_string(),
                    );
                }
                k += 1;
            } else {
                let start = k;
                while b.get(k).is_some_and(|&c| textdata(c)) {
                    k += 1;
                }
                if k == start {
                    return match csv[k..].chars().next() {
                        Some(c) if c != ',' && c != '\n' => fail(
                            k,
                            format!(
                                "`{c}` cannot stand unquoted in a sankey record; quote the field"
                            ),
                        ),
                        _ => fail(
                            record_start,
                            "a sankey record has an empty field; write `source,target,value`"
                                .to_string(),
                        ),
                    };
                }
            }
            if field < 2 {
                if b.get(k) != Some(&b',') {
                    let rec = &csv[record_start..k + csv[k..].find('\n').unwrap_or(csv.len() - k)];
                    return fail(
                        record_start,
                        format!(
                            "a sankey record is `source,target,value`; `{}` has {} field{}",
                            shorten(rec.trim()),
                            field + 1,
                            if field == 0 { "" } else { "s" }
                        ),
                    );
                }
                k += 1;
            }
        }
        match b.get(k) {
            None => return None,
            Some(b'\n') => k += 1,
            Some(_) => {
                let rec = &csv[record_start..k + csv[k..].find('\n').unwrap_or(csv.len() - k)];
                return fail(
                    record_start,
                    format!(
                        "a sankey record is `source,target,value`; `{}` has more",
                        shorten(rec.trim())
                    ),
                );
            }
        }
    }
}
