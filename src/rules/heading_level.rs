//! `heading-level`: a required section sits at the wrong heading level.

use super::{hashes, CheckCx, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, RuleId, Severity};

pub struct HeadingLevel;

static META: RuleMeta = RuleMeta {
    id: RuleId::HeadingLevel,
    severity: Severity::Error,
    summary: "a required section is present at the wrong heading level",
    docs: r#"## What it finds
A heading that matches a section of the profile but sits at another level, such as
`### Security Considerations` where the profile expects `##`. A demoted section
silently becomes part of the section above it, so readers and tools that build a
table of contents lose it.

## Why it matters
Heading levels are the document's structure. A top-level concern written one level too
deep hides inside an unrelated section.

## Options
None; levels come from the profile's `level` (or `min-level`/`max-level`).

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
};

impl Rule for HeadingLevel {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut CheckCx<'_>) {
        let profile = cx.profile;
        for (ri, req) in profile.sections.iter().enumerate() {
            let Some(found) = cx.matching.found[ri] else {
                continue;
            };
            let s = &cx.doc.sections[found];
            if req.levels.contains(&s.level) {
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
            let span = if s.marker_span.is_empty() {
                s.heading_span.clone()
            } else {
                s.marker_span.clone()
            };
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
                .with_origin(Some(req.origin.clone())),
            );
        }
    }
}
