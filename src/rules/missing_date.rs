//! `missing-date`: the profile wants a last-updated date and the document has none.

use super::{CheckCx, Rule};
use crate::facts::date::DateValue;
use crate::diagnostic::{Diagnostic, Fix, RuleId};
use crate::profile::DateLocation;

declare_rule! {
    MissingDate,
    severity: Error,
    docs: r#"## What it finds
A document without its "last updated" date when the profile requires one. The date is
a line such as `> Last updated: 2026-11-02`, `**Last Updated**: 2026-11-02` or
`**Last Updated:** 2026-11-02`, or a `last_updated`/`updated` key in the front matter.
The profile says whether it belongs in the header (before the first `##`) or the footer
(after the last heading); a date elsewhere is still accepted. A label with no value
(`**Last Updated**:`) is also reported.

## Why it matters
An undated architecture document cannot tell its reader whether it still describes the
system. The date is the cheapest freshness signal there is.

## Options
`[date]` in the profile: `required`, `location` (`header`, `footer`, `anywhere`),
`labels`, `front-matter-keys`, `max-age-days`.

## Examples
Failing:
```markdown
# Architecture
## Overview
```
Passing:
```markdown
# Architecture
> Last updated: 2026-11-02
```

## Configuration
```toml
[rules]
missing-date = "warning"
```
"#,
}

impl Rule for MissingDate {
    fn check(&self, cx: &mut CheckCx<'_>) {
        let Some(req) = &cx.profile.date else {
            return;
        };
        if !req.required {
            return;
        }
        let example = req.line(cx.today);
        let place = match req.location {
            DateLocation::Header => "below the title",
            DateLocation::Footer => "at the end of the document",
            DateLocation::Anywhere => "below the title",
        };
        match cx.last_updated() {
            None => {
                let span = match req.location {
                    DateLocation::Footer => {
                        let end = cx.text().trim_end().len();
                        end..end
                    }
                    _ => cx.title_span(),
                };
                // The date line below the title (at the start without one, after any
                // front matter), or at the end for a footer.
                let edit = match (req.location, cx.doc.title()) {
                    (DateLocation::Footer, _) => cx.block_after_text(span.start, &example),
                    (_, Some(t)) => {
                        let end = cx.doc.sections[t].heading_span.end;
                        cx.block_after_line(end.saturating_sub(1), &example)
                    }
                    (_, None) => {
                        let at = cx.doc.front_matter.as_ref().map_or(0, |f| f.span.end);
                        cx.block_before_line(at, &example)
                    }
                };
                let fix = Fix {
                    edits: vec![edit],
                    ..Fix::new(format!("add `{example}`"), 0..0, "")
                }
                .claiming();
                cx.report(
                    Diagnostic::new(
                        RuleId::MissingDate,
                        span,
                        "the document has no last-updated date",
                    )
                    .with_label("no `Last updated` line")
                    .with_help(format!("add `{example}` {place}"))
                    .with_origin(Some(req.origin.clone()))
                    .with_fix(fix),
                );
            }
            Some(line) if line.value == DateValue::Empty => {
                let at = line.value_span.start;
                let text = if cx.text()[..at].ends_with([' ', '\t']) {
                    cx.today.to_string()
                } else {
                    format!(" {}", cx.today)
                };
                let fix =
                    Fix::new(format!("write today's date, {}", cx.today), at..at, text).claiming();
                cx.report(
                    Diagnostic::new(
                        RuleId::MissingDate,
                        line.line_span.clone(),
                        "the last-updated line holds no date",
                    )
                    .with_label("no date after the label")
                    .with_help(format!("write the date, e.g. `{example}`"))
                    .with_origin(Some(req.origin.clone()))
                    .with_fix(fix),
                );
            }
            Some(_) => {}
        }
    }
}
