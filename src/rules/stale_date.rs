//! `stale-date`: the last-updated date is older than the maximum age.

use std::ops::Range;

use schemars::JsonSchema;
use serde::Deserialize;

use super::options::RuleOptions;
use super::{CheckCx, Rule};
use crate::facts::date::DateValue;
use crate::diagnostic::{Diagnostic, RuleId};
use crate::profile::DateMeaning;

/// `[rules.stale-date]` of a configuration.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// Older than this many days is `stale-date`.
    #[schemars(with = "i64", range(min = 1))]
    max_age_days: Option<toml::Spanned<i64>>,
}

impl RuleOptions for Options {
    fn problems(&self) -> Vec<(String, Range<usize>)> {
        // At the value, not the table: the table's span is its header.
        match &self.max_age_days {
            Some(days) if *days.get_ref() < 1 => {
                vec![("`max-age-days` must be at least 1".into(), days.span())]
            }
            _ => Vec::new(),
        }
    }

    fn merged(&self, over: &Self) -> Self {
        Options {
            max_age_days: over.max_age_days.clone().or(self.max_age_days.clone()),
        }
    }
}

declare_rule! {
    StaleDate,
    severity: Warning,
    options: Options,
    docs: r#"## What it finds
A last-updated date older than the maximum age: 365 days unless the profile's
`[date] max-age-days` or the configuration's `[rules.stale-date] max-age-days` says
otherwise. "Today" is the system date, or `--today`. A decision record's date (a
profile whose `[date] meaning` is `decided`, as in `madr` and `nygard`) says when the
decision was taken, not when the text was last checked: it is never stale.

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
        // A decision record's date is history: it does not age.
        if req.meaning == DateMeaning::Decided {
            return;
        }
        let Some(line) = cx.last_updated() else {
            return;
        };
        let DateValue::Date(d, _) = line.value else {
            return;
        };
        let max_age_days = cx
            .options::<Self>()
            .max_age_days
            .map(|d| *d.get_ref())
            .unwrap_or(req.max_age_days);
        let age = (cx.today - d).num_days();
        if age > max_age_days {
            cx.report(
                Diagnostic::new(
                    RuleId::StaleDate,
                    line.value_span.clone(),
                    format!(
                        "last-updated date {d} is {age} days old (the limit is {} days)",
                        max_age_days
                    ),
                )
                .with_label(format!("{age} days ago"))
                .with_help("review the document against the system, then update the date")
                .with_origin(Some(req.origin.clone())),
            );
        }
    }
}
