//! `missing-section`: a required section, the title, or enough sub-sections are absent.

use std::ops::Range;

use super::{hashes, CheckCx, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, RuleId, Severity};
use crate::matching::similarity;
use crate::profile::SectionReq;

pub struct MissingSection;

static META: RuleMeta = RuleMeta {
    id: RuleId::MissingSection,
    severity: Severity::Error,
    summary: "a required section, the title, or a required number of sub-sections is absent",
    docs: r#"## What it finds
A section the profile requires that no heading of the document matches; a document
without its level-1 title when the profile requires one; and a section with fewer
sub-sections than the profile asks for (for example at least one component under
`Components`, or one `ADR-NNN` record under `Design Decisions`).

Headings match forgivingly: case, surrounding whitespace, a leading emoji or symbol,
leading section numbers (`2.1`) and `&` versus `and` do not matter, and every section
lists accepted aliases. When a heading that is present is close to the missing one,
the finding says "did you mean".

## Why it matters
A reader who opens the architecture document looking for the data flow, and finds
none, stops trusting the document.

## Options
None of its own; the required sections come from the profile's `[[sections]]`.

## Examples
Failing, with the `core` profile (no data flow section):
```markdown
# Architecture
## Overview
Billing turns usage records into invoices.
## Components
...
```
Passing: add `## Data Flow` (or an alias such as `## How Data Moves`).

## Configuration
```toml
[rules]
missing-section = "warning"   # or "error", "off"
```
"#,
};

impl Rule for MissingSection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut CheckCx<'_>) {
        if cx.profile.title_required
            && cx.doc.title().is_none()
            && cx.doc.front_matter_title().is_none()
        {
            let title = cx.profile.title_text.as_deref().unwrap_or("Architecture");
            cx.report(
                Diagnostic::new(
                    RuleId::MissingSection,
                    0..0,
                    "the document has no level-1 title",
                )
                .with_label("expected a `# ` title here")
                .with_help(format!("start the document with `# {title}`")),
            );
        }
        let profile = cx.profile;
        let mut budget = SUGGESTION_BUDGET;
        for (ri, req) in profile.sections.iter().enumerate() {
            match cx.matching.found[ri] {
                Some(found) => subsections(cx, req, found),
                None => {
                    let parent_found = req.parent.map(|p| cx.matching.found[p]);
                    if req.required && !matches!(parent_found, Some(None)) {
                        missing(cx, ri, req, &mut budget);
                    }
                }
            }
        }
    }
}

fn missing(cx: &mut CheckCx<'_>, ri: usize, req: &SectionReq, budget: &mut usize) {
    let at = insertion_point(cx, ri, req);
    let level = *req.levels.start();
    let mut d = Diagnostic::new(
        RuleId::MissingSection,
        at.clone(),
        format!("required section `{}` is missing", req.title),
    )
    .with_label(format!("expected `{} {}` here", hashes(level), req.title))
    .with_origin(Some(req.origin.clone()));
    d = match did_you_mean(cx, req, budget) {
        Some(near) => d.with_help(format!(
            "did you mean `{near}`? rename it, or add a `{} {}` section",
            hashes(level),
            req.title
        )),
        None => d.with_help(format!("add a `{} {}` section", hashes(level), req.title)),
    };
    cx.report(d);
}

/// Before the next section of the profile's order that is present, else at the end of
/// the parent section (or of the document).
fn insertion_point(cx: &CheckCx<'_>, ri: usize, req: &SectionReq) -> Range<usize> {
    let sections = &cx.profile.sections;
    for (later, other) in sections.iter().enumerate().skip(ri + 1) {
        if other.parent != req.parent {
            continue;
        }
        if let Some(found) = cx.matching.found[later] {
            let s = cx.doc.sections[found].heading_span.start;
            return s..s;
        }
    }
    let end = match req.parent.and_then(|p| cx.matching.found[p]) {
        Some(p) => cx.doc.sections[p].span.end,
        None => cx.text().len(),
    };
    // Point at the last line with text rather than past a trailing newline.
    let trimmed = cx.text()[..end].trim_end().len();
    trimmed..trimmed
}

/// Headings looked at for a "did you mean": a real document has far fewer; a generated
/// one with 100,000 headings must not make every missing section cost 100,000 string
/// distances.
const SUGGESTION_CANDIDATES: usize = 2_000;

/// String comparisons for "did you mean" in one document, whatever the profile asks:
/// a repository's profile with 400 long titles against 400 long headings took 48 s.
/// A real document needs a few hundred; past the budget, help comes without a guess.
const SUGGESTION_BUDGET: usize = 5_000;

/// Characters of a name or heading compared: an edit distance costs the product of
/// the lengths, and a heading that differs only past this point is not a typo.
const COMPARED_CHARS: usize = 64;

fn prefix(s: &str) -> &str {
    s.char_indices()
        .nth(COMPARED_CHARS)
        .map_or(s, |(i, _)| &s[..i])
}

fn did_you_mean(cx: &CheckCx<'_>, req: &SectionReq, budget: &mut usize) -> Option<String> {
    let scope = req.parent.and_then(|p| cx.matching.found[p]);
    let title = cx.doc.title();
    let close_in_length = |n: &str, h: &str| {
        let (a, b) = (n.chars().count(), h.chars().count());
        a.abs_diff(b) * 2 <= a.max(b)
    };
    cx.doc
        .sections
        .iter()
        .enumerate()
        .filter(|(i, _)| cx.matching.claimed[*i].is_none() && Some(*i) != title)
        .filter(|(i, _)| scope.is_none_or(|p| cx.doc.is_within(*i, p)))
        .take(SUGGESTION_CANDIDATES)
        .map(|(_, s)| {
            let best = req
                .names
                .iter()
                .filter(|n| close_in_length(n, &s.norm))
                .map(|n| {
                    if *budget == 0 {
                        return 0.0;
                    }
                    *budget -= 1;
                    similarity(prefix(n), prefix(&s.norm))
                })
                .fold(0.0, f64::max);
            (best, s)
        })
        .filter(|(score, _)| *score >= 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, s)| s.text.to_string())
}

fn subsections(cx: &mut CheckCx<'_>, req: &SectionReq, found: usize) {
    let Some(sub) = &req.subsections else {
        return;
    };
    if sub.min == 0 {
        return;
    }
    let children = &cx.doc.sections[found].children;
    let count = children
        .iter()
        .filter(|&&c| {
            sub.pattern
                .as_ref()
                .is_none_or(|re| re.is_match(&cx.doc.sections[c].norm))
        })
        .count();
    if count >= sub.min {
        return;
    }
    let heading = cx.doc.sections[found].heading_span.clone();
    let what = match &sub.pattern_text {
        Some(p) => format!("matching `{p}`"),
        None => "of its own".to_string(),
    };
    let plural = if sub.min == 1 { "" } else { "s" };
    let level = cx.doc.sections[found].level + 1;
    let example = sub.example.as_deref().unwrap_or("…");
    cx.report(
        Diagnostic::new(
            RuleId::MissingSection,
            heading,
            format!(
                "section `{}` needs at least {} sub-section{plural} {what}, found {count}",
                cx.heading(found),
                sub.min
            ),
        )
        .with_label("sub-sections go below this heading")
        .with_help(format!("add a `{} {example}` sub-section", hashes(level)))
        .with_origin(Some(req.origin.clone())),
    );
}
