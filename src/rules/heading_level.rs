//! `heading-level`: a required section sits at the wrong heading level.

use super::{hashes, CheckCx, Rule};
use crate::diagnostic::{Diagnostic, Fix, RuleId};

declare_rule! {
    HeadingLevel,
    severity: Error,
    docs: r#"## What it finds
A heading that matches a section of the profile but sits at another level, such as
`### Security Considerations` where the profile expects `##`. A demoted section
silently becomes part of the section above it, so readers and tools that build a
table of contents lose it. Where a profile allows a range of levels, a top-level
section written inside another required top-level section (`### Security` under
`## Design Decisions`) is reported too, unless the profile lets it stand there
(`within`: `core` lets its sections sit inside System Architecture).

## Why it matters
Heading levels are the document's structure. A top-level concern written one level too
deep hides inside an unrelated section.

## Options
None; levels come from the profile's `level` (or `min-level`/`max-level`), and the
sections a section may be written inside from its `within`.

## Examples
Failing (`comprehensive` expects level 2):
```markdown
### Security Considerations
```
Passing:
```markdown
## Security Considerations
```

## Configuration
```toml
[rules]
heading-level = "warning"
```
"#,
}

impl Rule for HeadingLevel {
    fn check(&self, cx: &mut CheckCx<'_>) {
        let profile = cx.profile;
        for (ri, req) in profile.sections.iter().enumerate() {
            let Some(found) = cx.matching.found[ri] else {
                continue;
            };
            let s = &cx.doc.sections[found];
            if req.levels.contains(&s.level) {
                if let Some(d) = nested_in_another(cx, ri, found) {
                    cx.report(d);
                }
                continue;
            }
            let want = if req.levels.start() == req.levels.end() {
                format!("level {}", req.levels.start())
            } else {
                format!("levels {} to {}", req.levels.start(), req.levels.end())
            };
            let target = if s.level < *req.levels.start() {
                *req.levels.start()
            } else {
                *req.levels.end()
            };
            let span = marker(s);
            let fix = if s.setext {
                format!("write it as `{} {}`", hashes(target), s.text)
            } else {
                format!("use `{}`", hashes(target))
            };
            cx.report(
                Diagnostic::new(
                    RuleId::HeadingLevel,
                    span,
                    format!(
                        "section `{}` is a level-{} heading; the profile expects {want}",
                        s.text, s.level
                    ),
                )
                .with_label(format!("level {}", s.level))
                .with_help(fix)
                .with_origin(Some(req.origin.clone()))
                .with_fix(relevel(cx, s, target)),
            );
        }
    }
}

/// A top-level required section written inside another top-level required section,
/// at a level its range allows (`### Security` under `## Design Decisions` where `core`
/// takes levels 2 to 3): it is hidden in the other one, unless the profile lets it
/// stand there (`within`, as templates nest Components in System Architecture). The parent must sit at a level of the same range, so a document
/// title above every section is no parent.
fn nested_in_another(cx: &CheckCx<'_>, ri: usize, found: usize) -> Option<Diagnostic> {
    let req = &cx.profile.sections[ri];
    if req.parent.is_some() || !req.required {
        return None;
    }
    let s = &cx.doc.sections[found];
    let p = s.parent?;
    let parent = &cx.doc.sections[p];
    let pi = cx.matching.claimed[p]?;
    let parent_req = &cx.profile.sections[pi];
    if parent_req.parent.is_some()
        || !parent_req.required
        || !req.levels.contains(&parent.level)
        || req.within.contains(&pi)
    {
        return None;
    }
    let target = parent.level;
    let span = marker(s);
    let fix = if s.setext {
        format!("write it as `{} {}`", hashes(target), s.text)
    } else {
        format!(
            "use `{}`, so that it stands beside `{}` and not inside it",
            hashes(target),
            parent.text
        )
    };
    Some(
        Diagnostic::new(
            RuleId::HeadingLevel,
            span,
            format!(
                "section `{}` is nested inside `{}`, another required top-level section",
                s.text, parent.text
            ),
        )
        .with_label(format!("level {} under `{}`", s.level, parent.text))
        .with_help(fix)
        .with_origin(Some(req.origin.clone()))
        .with_fix(relevel(cx, s, target)),
    )
}

/// The fix: the heading at level `target`. An ATX heading gets a new `#` run; a
/// setext one (which has only levels 1 and 2) is rewritten as an ATX heading with
/// its text as written.
fn relevel(cx: &CheckCx<'_>, s: &crate::document::Section, target: u8) -> Fix {
    let title = format!("make `{}` a level-{target} heading", s.text);
    if !s.setext && !s.marker_span.is_empty() {
        return Fix::new(title, s.marker_span.clone(), hashes(target));
    }
    let text = &cx.text()[s.heading_span.clone()];
    let mut lines: Vec<&str> = text.lines().map(str::trim).collect();
    if s.setext {
        lines.pop();
    }
    let content = lines
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let end = s.heading_span.start + text.trim_end().len();
    Fix::new(
        title,
        s.heading_span.start..end,
        format!("{} {content}", hashes(target)),
    )
}

/// Where a finding about a heading's level points: its `#` run or setext underline,
/// else the heading.
fn marker(s: &crate::document::Section) -> std::ops::Range<usize> {
    if s.marker_span.is_empty() {
        s.heading_span.clone()
    } else {
        s.marker_span.clone()
    }
}
