//! `invalid-date`: a date cannot be parsed, or the last-updated date lies in the future.

use super::{CheckCx, Rule};
use crate::facts::date::DateValue;
use crate::diagnostic::{Diagnostic, RuleId};
use crate::facts::doc_date::DatedLine;
use crate::profile::DateMeaning;

declare_rule! {
    InvalidDate,
    severity: Error,
    docs: r#"## What it finds
The last-updated date when it is not a calendar date (`2026-13-45`, `soon`) or lies
after today (a decision record's date, in a profile whose `[date] meaning` is
`decided`, may: it is only checked to parse); and any other date when it cannot be parsed: a field whose label names a
date (`**Date:**` in a decision record, `**Next Review Date**:`), a review line's date
(`**Last Reviewed By**: Ada Moreno on 2026-02-30`), and the `Date` column of a change
log's table (a section named Change Log, Changelog, Revision History, Version History
or Document History). Forward-looking fields may lie in the future. ISO 8601 (`2026-11-02`) and the common written forms
(`November 2, 2026`, `2 Nov 2026`, `2026/11/02`, `November 2026`) parse. A template
token such as `[Date]` or `YYYY-MM-DD` is reported by `placeholder`, not here.

## Why it matters
A future or impossible date makes the freshness check meaningless and usually means a
typo.

## Options
None. Use `--today YYYY-MM-DD` to fix the clock in tests.

## Examples
Failing: `**Last Updated**: 2026-13-45`. Passing: `**Last Updated**: 2026-11-02`.

## Configuration
```toml
[rules]
invalid-date = "warning"
```
"#,
}

impl Rule for InvalidDate {
    fn check(&self, cx: &mut CheckCx<'_>) {
        let req = cx.profile.date.as_ref();
        // A decision record's date is only checked to parse: a proposal may name the
        // day it is to be decided.
        let decided = req.is_some_and(|r| r.meaning == DateMeaning::Decided);
        if let Some(line) = cx.last_updated() {
            match &line.value {
                DateValue::Date(d, _) if *d > cx.today && !decided => {
                    let origin = req.map(|r| r.origin.clone());
                    cx.report(
                        Diagnostic::new(
                            RuleId::InvalidDate,
                            line.value_span.clone(),
                            format!(
                                "last-updated date {d} lies in the future (today is {})",
                                cx.today
                            ),
                        )
                        .with_label("after today")
                        .with_help("write the date the document was last changed")
                        .with_origin(origin),
                    );
                }
                DateValue::Invalid(text) => {
                    let what = if decided {
                        "decision date"
                    } else {
                        "last-updated date"
                    };
                    unparsable(cx, &line, text, what)
                }
                _ => {}
            }
        }
        let logs = crate::facts::doc_date::change_log_dates(cx.file, cx.doc);
        for line in cx.other_dates(req).into_iter().chain(logs) {
            if let DateValue::Invalid(text) = &line.value {
                let what = format!("`{}` value", line.label);
                unparsable(cx, &line, text, &what);
            }
        }
    }
}

fn unparsable(cx: &mut CheckCx<'_>, line: &DatedLine, text: &str, what: &str) {
    // A template token is a placeholder, reported by its own rule.
    if cx.overlaps_placeholder(&line.value_span) {
        return;
    }
    let shown: String = text.chars().take(40).collect();
    cx.report(
        Diagnostic::new(
            RuleId::InvalidDate,
            line.value_span.clone(),
            format!("{what} `{shown}` is not a valid date"),
        )
        .with_label("not a date")
        .with_help("write it as YYYY-MM-DD, e.g. 2026-11-02"),
    );
}
