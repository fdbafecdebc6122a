//! `missing-section`: a required section, the title, or enough sub-sections are absent.

use std::ops::Range;

use super::{hashes, CheckCx, Rule};
use crate::diagnostic::{Diagnostic, Fix, RuleId};
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
        // A title with no words (`#`, or only a comment as MADR's bare template
        // writes it) names nothing: the title is still to be written.
        if let Some(t) = cx.doc.title().filter(|_| cx.profile.title_required) {
            let s = &cx.doc.sections[t];
            if s.text.trim().is_empty() && cx.doc.front_matter_title().is_none() {
                let title = cx.profile.title_text.as_deref().unwrap_or("Architecture");
                cx.report(
                    Diagnostic::new(
                        RuleId::MissingSection,
                        s.heading_span.clone(),
                        "the document's title is empty",
                    )
                    .with_label("a title with no words")
                    .with_help(format!("write the title, e.g. `# {title}`")),
                );
            }
        }
        if cx.profile.title_required
            && cx.doc.title().is_none()
            && cx.doc.front_matter_title().is_none()
        {
            let title = cx.profile.title_text.as_deref().unwrap_or("Architecture");
            // After front matter, which must stay first.
            let at = cx.doc.front_matter.as_ref().map_or(0, |f| f.span.end);
            let fix = Fix {
                edits: vec![cx.block_before_line(at, &format!("# {title}"))],
                ..Fix::new(format!("add the title `# {title}`"), 0..0, "")
            };
            cx.report(
                Diagnostic::new(
                    RuleId::MissingSection,
                    0..0,
                    "the document has no level-1 title",
                )
                .with_label("expected a `# ` title here")
                .with_help(format!("start the document with `# {title}`"))
                .with_fix(fix),
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
/// missing too (the parent's finding says it), nor when the profile lets a header line
/// stand for it and one does (`Status: Accepted`).
fn is_missing(cx: &CheckCx<'_>, req: &SectionReq) -> bool {
    let parent_found = req.parent.map(|p| cx.matching.found[p]);
    req.required
        && !matches!(parent_found, Some(None))
        && !(req.as_field && crate::facts::doc_date::header_field(cx.file, cx.doc, &req.names))
}

fn missing(cx: &mut CheckCx<'_>, ri: usize, req: &SectionReq, near: Option<usize>) {
    let level = *req.levels.start();
    // A heading that is a misspelling of the section is where the fix goes: the
    // finding points at it. Otherwise, where the section belongs.
    let at = match near {
        Some(h) => cx.doc.sections[h].heading_span.clone(),
        None => insertion_point(cx, ri, req),
    };
    let fix = match near {
        Some(h) => Some(rename(cx, h, req)),
        None => insert(cx, ri, req, at.start),
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
    cx.report(match fix {
        Some(fix) => d.with_fix(fix),
        None => d,
    });
}

/// The fix for a missing section: its heading where it belongs, at its level, with
/// the profile's guidance as a bracketed line, which `placeholder` reports until a
/// person writes the section. Several at one place keep the profile's order. None
/// when a heading there would not be the section the profile means: inside another
/// section (a document whose sections are all level-1 headings takes no level-2
/// section at its end), which only a person can restructure.
fn insert(cx: &CheckCx<'_>, ri: usize, req: &SectionReq, at: usize) -> Option<Fix> {
    let parent = req.parent.and_then(|p| cx.matching.found[p]);
    let level = match parent {
        Some(p) => (*req.levels.start()).max(cx.doc.sections[p].level + 1),
        None => *req.levels.start(),
    };
    // The heading the new one would sit under: the last before it of a lower level.
    let before = cx.doc.sections.partition_point(|s| s.heading_span.start < at);
    let under = cx.doc.sections[..before]
        .iter()
        .rposition(|s| s.level < level);
    let fits = match parent {
        Some(p) => under == Some(p),
        None => under.is_none() || under == cx.doc.title(),
    };
    if !fits {
        return None;
    }
    let guidance = match &req.guidance {
        Some(g) if !g.trim().is_empty() => g.trim().replace(['[', ']'], ""),
        _ => format!("Describe the {}", req.title),
    };
    let nl = cx.newline();
    let block = format!("{} {}{nl}{nl}[{guidance}]", hashes(level), req.title);
    // The point is a heading's start (the next section of the profile's order), or
    // the end of the text of the parent section or of the document.
    let i = cx
        .doc
        .sections
        .partition_point(|s| s.heading_span.start < at);
    let before_heading = cx
        .doc
        .sections
        .get(i)
        .is_some_and(|s| s.heading_span.start == at);
    let edit = if before_heading {
        cx.block_before_line(at, &block)
    } else {
        cx.block_after_text(at, &block)
    };
    Some(
        Fix {
            edits: vec![edit],
            ..Fix::new(format!("add the section `{} {}`", hashes(level), req.title), 0..0, "")
        }
        // After whatever completes the section before it (a field) at one place.
        .ranked(SECTION_RANK + ri),
    )
}

/// Fixes at one place are made in rank order: fields and dates (ranked from 0)
/// complete the section they are written in before a new section starts.
const SECTION_RANK: usize = 1 << 16;

/// The fix for a heading that misspells a section's title: the title, at the
/// heading's level, written as an ATX heading.
fn rename(cx: &CheckCx<'_>, h: usize, req: &SectionReq) -> Fix {
    let s = &cx.doc.sections[h];
    let span = if s.setext {
        s.heading_span.clone()
    } else {
        // The text after the `#` run and its spaces, up to a closing `#` sequence.
        let after = s.marker_span.end;
        let rest = &cx.text()[after..s.heading_span.end.max(after)];
        let lead = rest.len() - rest.trim_start().len();
        let content = rest.trim();
        let unclosed = content.trim_end_matches('#');
        let content = if unclosed.len() < content.len()
            && (unclosed.is_empty() || unclosed.ends_with([' ', '\t']))
        {
            unclosed.trim_end()
        } else {
            content
        };
        let start = after + lead;
        start..start + content.len()
    };
    let text = if s.setext {
        format!("{} {}", hashes(s.level), req.title)
    } else {
        req.title.clone()
    };
    Fix::new(format!("rename the heading to `{}`", req.title), span, text)
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
