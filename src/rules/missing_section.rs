//! `missing-section`: a required section, the title, or enough sub-sections are absent.

use std::ops::Range;

use super::{hashes, CheckCx, Rule};
use crate::diagnostic::{Diagnostic, RuleId};
use crate::profile::SectionReq;
use crate::facts::typo::{self, Term};

declare_rule! {
    MissingSection,
    severity: Error,
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
}

impl Rule for MissingSection {
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
        let suggested = suggestions(cx);
        for (ri, req) in profile.sections.iter().enumerate() {
            match cx.matching.found[ri] {
                Some(found) => subsections(cx, req, found),
                None => {
                    if is_missing(cx, req) {
                        missing(cx, ri, req, suggested[ri]);
                    }
                }
            }
        }
    }
}

/// Whether a required section no heading matched is reported: not when its parent is
/// missing too (the parent's finding says it).
fn is_missing(cx: &CheckCx<'_>, req: &SectionReq) -> bool {
    let parent_found = req.parent.map(|p| cx.matching.found[p]);
    req.required && !matches!(parent_found, Some(None))
}

fn missing(cx: &mut CheckCx<'_>, ri: usize, req: &SectionReq, near: Option<usize>) {
    let level = *req.levels.start();
    // A heading that is a misspelling of the section is where the fix goes: the
    // finding points at it. Otherwise, where the section belongs.
    let at = match near {
        Some(h) => cx.doc.sections[h].heading_span.clone(),
        None => insertion_point(cx, ri, req),
    };
    let mut d = Diagnostic::new(
        RuleId::MissingSection,
        at,
        format!("required section `{}` is missing", req.title),
    )
    .with_origin(Some(req.origin.clone()));
    d = match near {
        Some(h) => d.with_label("a misspelling of it?").with_help(format!(
            "did you mean `{}`? rename it to `{}`",
            cx.doc.sections[h].text, req.title
        )),
        None => d
            .with_label(format!("expected `{} {}` here", hashes(level), req.title))
            .with_help(format!("add a `{} {}` section", hashes(level), req.title)),
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

/// For each missing required section, a heading that is plausibly a misspelling of
/// one of its names (see [`typo::misspelling`]: one slip per word, two in a word over
/// 12 letters, a swap of two letters counting once; word for word or with spaces left
/// out).
/// Word forms and qualifiers (`Key Decisions`) already match in `matching`; a
/// different word (`Development` for `Deployment`) is not a misspelling. Each heading
/// is offered for at most one section, the closest, and never one that matched.
fn suggestions(cx: &CheckCx<'_>) -> Vec<Option<usize>> {
    let profile = cx.profile;
    let title = cx.doc.title();
    let mut budget = SUGGESTION_BUDGET;
    // (edits, profile index, heading index) of every plausible pair.
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    // Headings prepared for comparison once, on first use.
    let mut terms: Vec<Option<Term>> = vec![None; cx.doc.sections.len()];
    for (ri, req) in profile.sections.iter().enumerate() {
        if cx.matching.found[ri].is_some() || !is_missing(cx, req) {
            continue;
        }
        let scope = req.parent.and_then(|p| cx.matching.found[p]);
        let candidates = cx
            .doc
            .sections
            .iter()
            .enumerate()
            .filter(|(i, _)| cx.matching.claimed[*i].is_none() && Some(*i) != title)
            .filter(|(i, _)| scope.is_none_or(|p| cx.doc.is_within(*i, p)))
            .take(SUGGESTION_CANDIDATES);
        for (i, s) in candidates {
            let heading = terms[i].get_or_insert_with(|| Term::new(&s.norm));
            let best = req
                .name_terms
                .iter()
                .filter_map(|n| {
                    if budget == 0 {
                        return None;
                    }
                    budget -= 1;
                    typo::misspelling(n, heading)
                })
                .min();
            if let Some(edits) = best {
                pairs.push((edits, ri, i));
            }
        }
    }
    pairs.sort_unstable();
    let mut out = vec![None; profile.sections.len()];
    let mut offered = vec![false; cx.doc.sections.len()];
    for (_, ri, i) in pairs {
        if out[ri].is_none() && !offered[i] {
            out[ri] = Some(i);
            offered[i] = true;
        }
    }
    out
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
