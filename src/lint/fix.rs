//! `--fix`: the edits findings carry, applied to a document's text.
//!
//! One pass takes every fixable finding's edits in document order (edits at one
//! place in the order their fixes rank: a profile's section order) and copies the
//! text around them from the start to the end: the same as applying them from the
//! end backwards, with nothing to shift. An edit that overlaps one already taken is
//! left out, with the rest of its fix, for the next pass. A fix whose edit states a
//! claim (a date) is taken only when dates may be written.

use crate::diagnostic::{Diagnostic, Fix, RuleId};
use crate::document::source::SourceFile;

/// How many passes `--fix` makes over one document: each re-lints what the last one
/// wrote, so fixes that met at one place are all made, and a pass whose fix did not
/// take is made again without it. The bound keeps any fix from looping for ever.
pub const MAX_PASSES: usize = 12;

/// Which fixes may be written.
#[derive(Debug, Clone, Copy, Default)]
pub struct Allowed {
    /// Fixes that write today's date.
    pub dates: bool,
}

/// A finding as `--fix` tells one pass's from the next's: its rule and message. A
/// fix whose finding comes back after it was made did not take (its heading landed
/// where the profile does not see it, such as inside a code block left open at the
/// end of the document) and is not made again.
pub type Identity = (RuleId, String);

pub fn identity(d: &Diagnostic) -> Identity {
    (d.rule, d.message.to_string())
}

/// What one pass made.
pub struct Made {
    pub text: String,
    /// The findings fixed.
    pub fixed: Vec<Identity>,
}

/// `text` with the fixes of `diagnostics` made, except those of findings in `skip`;
/// `None` when there is nothing to make.
pub fn apply(
    text: &str,
    diagnostics: &[Diagnostic],
    allowed: Allowed,
    skip: &[Identity],
) -> Option<Made> {
    let mut fixes: Vec<(&Fix, &Diagnostic)> = diagnostics
        .iter()
        .filter_map(|d| Some((d.fix.as_deref()?, d)))
        .filter(|(f, d)| {
            !f.edits.is_empty()
                && (allowed.dates || !f.claim)
                && !skip.iter().any(|s| s.0 == d.rule && s.1 == *d.message)
        })
        .filter(|(f, _)| {
            f.edits.iter().all(|e| {
                e.span.start <= e.span.end
                    && e.span.end <= text.len()
                    && text.is_char_boundary(e.span.start)
                    && text.is_char_boundary(e.span.end)
            })
        })
        .collect();
    fixes.sort_by_key(|(f, _)| (f.edits[0].span.start, f.rank));
    let mut out = String::with_capacity(text.len() + 256);
    let mut cursor = 0;
    let mut fixed = Vec::new();
    for (fix, d) in fixes {
        // Its edits in order, none before the text already copied or edited.
        let mut at = cursor;
        let fits = fix.edits.iter().all(|e| {
            let ok = e.span.start >= at;
            at = e.span.end.max(at);
            ok
        });
        if !fits {
            continue;
        }
        for e in &fix.edits {
            out.push_str(&text[cursor..e.span.start]);
            out.push_str(&e.text);
            cursor = e.span.end;
        }
        fixed.push(identity(d));
    }
    if fixed.is_empty() {
        return None;
    }
    out.push_str(&text[cursor..]);
    (out != text).then_some(Made { text: out, fixed })
}

/// Fixes `source` pass by pass until nothing more can be made: each pass makes what
/// [`apply`] can and re-lints with `lint`; a pass in which a finding comes back after
/// its fix (as many of its kind as before, less those fixed, is what should remain)
/// is made again without that fix. Returns the text, its findings, and how many
/// findings were fixed.
pub fn until_stable(
    mut source: SourceFile,
    mut diagnostics: Vec<Diagnostic>,
    lint: &dyn Fn(&SourceFile) -> Vec<Diagnostic>,
    allowed: Allowed,
) -> (SourceFile, Vec<Diagnostic>, usize) {
    let mut fixed = 0;
    let mut skip: Vec<Identity> = Vec::new();
    for _ in 0..MAX_PASSES {
        let Some(made) = apply(source.text(), &diagnostics, allowed, &skip) else {
            break;
        };
        let next = SourceFile::new(source.name.clone(), made.text);
        let found = lint(&next);
        let count = |ds: &[Diagnostic], i: &Identity| {
            ds.iter()
                .filter(|d| d.rule == i.0 && *d.message == i.1)
                .count()
        };
        let mut back: Vec<Identity> = Vec::new();
        for i in &made.fixed {
            let fixed_here = made.fixed.iter().filter(|j| *j == i).count();
            if !back.contains(i) && count(&found, i) + fixed_here > count(&diagnostics, i) {
                back.push(i.clone());
            }
        }
        if !back.is_empty() {
            skip.extend(back);
            continue;
        }
        fixed += made.fixed.len();
        source = next;
        diagnostics = found;
        // What did not take before may take now that the text around it changed.
        skip.clear();
    }
    (source, diagnostics, fixed)
}

/// A unified diff of `before` and `after`, with `name` as both paths (as
/// `ruff --diff` and `git diff` write them).
pub fn diff(name: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

#[cfg(test)]
#[allow(clippy::expect_used)] // a test fails by panicking
mod tests {
    use super::*;
    use crate::diagnostic::RuleId;

    fn finding(fix: Fix) -> Diagnostic {
        Diagnostic::new(RuleId::MissingSection, 0..0, fix.title.clone()).with_fix(fix)
    }

    #[test]
    fn edits_are_made_in_order_and_overlaps_wait() {
        let text = "abcdef";
        let found = [
            finding(Fix::new("c", 2..3, "C")),
            finding(Fix::new("second at 0", 0..0, "2").ranked(2)),
            finding(Fix::new("first at 0", 0..0, "1").ranked(1)),
            finding(Fix::new("overlaps c", 1..3, "X")),
            finding(Fix::new("end", 6..6, "!")),
        ];
        let made = apply(text, &found, Allowed::default(), &[]).expect("fixes");
        // The edit that starts first wins the overlap; `c` waits for a pass of its own.
        assert_eq!(made.text, "12aXdef!");
        assert_eq!(made.fixed.len(), 4);
        let skip = [identity(&found[4])];
        let made = apply(text, &found, Allowed::default(), &skip).expect("fixes");
        assert_eq!(made.text, "12aXdef");
    }

    #[test]
    fn claims_wait_for_permission_and_bad_spans_are_skipped() {
        let found = [
            finding(Fix::new("date", 0..0, "2026-12-07 ").claiming()),
            finding(Fix::new("past the end", 9..9, "x")),
            finding(Fix::new("inside a character", 1..1, "x")),
        ];
        assert!(apply("é", &found, Allowed::default(), &[]).is_none());
        let made = apply("é", &found, Allowed { dates: true }, &[]).expect("a fix");
        assert_eq!(made.text, "2026-12-07 é");
    }
}
