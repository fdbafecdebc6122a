//! `adr-status`: a decision record's status outside the allowed values, a record
//! superseded by another whose status does not say so, or a "superseded by" that
//! names no record of the folder.

use schemars::JsonSchema;
use serde::Deserialize;

use super::options::RuleOptions;
use super::{CheckCx, Rule};
use crate::diagnostic::{Diagnostic, RuleId};
use crate::facts::collection::Target;

/// `[rules.adr-status]` of a configuration.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// The statuses a record may have (its status's first words, in any case); the
    /// default list covers MADR, Nygard and the usual variants.
    allowed: Option<Vec<String>>,
}

impl RuleOptions for Options {
    fn merged(&self, over: &Self) -> Self {
        Options {
            allowed: over.allowed.clone().or(self.allowed.clone()),
        }
    }
}

declare_rule! {
    AdrStatus,
    severity: Warning,
    options: Options,
    docs: r#"## What it finds
In a folder of decision records (see `adr-sequence`): a record whose status is not
one of the allowed values; a record that says it supersedes another whose status does
not say "superseded" (reported at the superseding record's status); and a "superseded
by" that names a record (a link or a number) the folder does not hold.

## Why it matters
A reader trusts the status to know whether a decision still holds. A superseded
record that still reads "Accepted" sends people to the old decision.

## Options
- `allowed` (list of strings): the statuses a record may have (a status passes
  when one of its first four words is allowed, ignoring case). The default covers proposed, accepted,
  rejected, deprecated, superseded, draft, withdrawn, implemented and their usual
  variants, and the same words in German, French, Spanish, Portuguese, Italian,
  Russian, Chinese, Japanese and Korean (`Akzeptiert`, `accepté`, `已接受`, `承認`).

## Examples
Failing: `## Status` then `Acceptd`; `0002-…` says `Supersedes ADR-0001` while
`0001-…` still says `Accepted`; `Superseded by [ADR-9](0009-x.md)` with no `0009-x.md`.
Passing: `Superseded by [3. Use Y](0003-use-y.md)` with that file in the folder.

## Configuration
```toml
[rules.adr-status]
allowed = ["proposed", "accepted", "superseded"]
```
"#,
}

impl Rule for AdrStatus {
    fn check(&self, cx: &mut CheckCx<'_>) {
        let Some((c, Some(me))) = cx.collection() else {
            return;
        };
        let options = cx.options::<Self>();
        let allowed: Vec<String> = match &options.allowed {
            Some(a) => a.iter().map(|s| s.to_lowercase()).collect(),
            None => crate::facts::collection::RECORD_STATUSES.iter().map(|s| s.to_string()).collect(),
        };
        let title = me.title.clone().unwrap_or(0..0);
        let mut found = Vec::new();
        if let Some((status, span)) = &me.status {
            // Its first words: "Partly superseded", "Accepted (2021-03-02)".
            let words = crate::facts::collection::status_words(status);
            let first = words.first().cloned().unwrap_or_default();
            if !first.is_empty()
                && !first.chars().all(|c| c.is_ascii_digit())
                && !words.iter().any(|w| {
                    allowed.contains(w)
                        || options.allowed.is_none() && crate::facts::collection::TRANSLATED_STATUSES.contains(&w.as_str())
                })
                && !cx.overlaps_placeholder(span)
            {
                found.push(
                    Diagnostic::new(
                        RuleId::AdrStatus,
                        span.clone(),
                        format!("status `{first}` is not one of the allowed statuses"),
                    )
                    .with_help(format!("use one of: {}", allowed.join(", "))),
                );
            }
            for t in &me.superseded_by {
                let exists = match t {
                    Target::File(f) => c.has_file(f),
                    Target::Number(n) => c.records.iter().any(|r| r.number == Some(*n)),
                };
                if !exists {
                    let what = match t {
                        Target::File(f) => format!("`{f}`"),
                        Target::Number(n) => format!("record {n}"),
                    };
                    found.push(
                        Diagnostic::new(
                            RuleId::AdrStatus,
                            span.clone(),
                            format!("superseded by {what}, which this folder does not hold"),
                        )
                        .with_help("point at the record that replaces this one"),
                    );
                }
            }
        }
        // What this record supersedes must say so: the fix goes in that record.
        let supersedes_at = me.status.as_ref().map_or(title, |(_, s)| s.clone());
        for &n in &me.supersedes {
            let names: Vec<String> = c
                .numbered(n)
                .map(|r| r.name.clone())
                .filter(|name| *name != me.name)
                .collect();
            for name in names {
                let Some(old) = cx.record(&name) else {
                    continue;
                };
                let says_so = old
                    .status
                    .as_ref()
                    .is_some_and(|(s, _)| s.to_lowercase().contains("supersed"))
                    // `Accepted`, then `* Superseded by [ADR 8](…)` on a line of its own.
                    || !old.superseded_by.is_empty();
                if !says_so {
                    found.push(
                        Diagnostic::new(
                            RuleId::AdrStatus,
                            supersedes_at.clone(),
                            format!("this record supersedes `{name}`, whose status does not say so"),
                        )
                        .with_help(format!(
                            "set the status of `{name}` to `Superseded by {}`",
                            me.name
                        )),
                    );
                }
            }
        }
        for d in found {
            cx.report(d);
        }
    }
}
