//! `stale-date`: the last-updated date is older than the maximum age.

use super::{CheckCx, Rule};
use crate::date::DateValue;
use crate::diagnostic::{Diagnostic, RuleId};

declare_rule! {
    StaleDate,
    severity: Warning,
    docs: r#"## What it finds
A last-updated date older than the maximum age: 365 days unless the profile's
`[date] max-age-days` or the configuration's `[rules.stale-date] max-age-days` says
otherwise. "Today" is the system date, or `--today`.

## Why it matters
Architecture drifts. A document nobody has touched for a year probably describes a
system that no longer exists in that form; the warning is a prompt to re-read it.

## Options
- `max-age-days` (integer, default 365): in `[rules.stale-date]` of `archlint.toml`.

## Examples
With `--today 2026-11-21`, failing: `> Last updated: 2025-01-10`.
Passing: `> Last updated: 2026-11-02`.

## Configuration
```toml
[rules.stale-date]
level = "error"
max-age-days = 180
```
"#,
}

impl Rule for StaleDate {
    fn check(&self, cx: &mut CheckCx<'_>) {
        let Some(req) = &cx.profile.date else {
            return;
        };
        let Some(line) = cx.last_updated() else {
            return;
        };
        let DateValue::Date(d, _) = line.value else {
            return;
        };
        let age = (cx.today - d).num_days();
        if age > cx.max_age_days {
            cx.report(
                Diagnostic::new(
                    RuleId::StaleDate,
                    line.value_span.clone(),
                    format!(
                        "last-updated date {d} is {age} days old (the limit is {} days)",
                        cx.max_age_days
                    ),
                )
                .with_label(format!("{age} days ago"))
                .with_help("review the document against the system, then update the date")
                .with_origin(Some(req.origin.clone())),
            );
        }
    }
}
