//! `doc-drift`: code the document references changed well after the document did.

use std::ops::Range;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Deserialize;

use super::options::RuleOptions;
use super::{CheckCx, Rule};
use crate::diagnostic::{Diagnostic, RuleId};
use crate::facts::date::DateValue;
use crate::fs::history::{History, Since};

/// `[rules.doc-drift]` of a configuration.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// A referenced path may change this many days after the document's date before
    /// the document counts as behind it.
    #[schemars(with = "i64", range(min = 0))]
    grace_days: Option<toml::Spanned<i64>>,
}

/// The default of `grace-days`: a month, so that a document and the code it
/// describes may land in separate changes without a warning in between.
const GRACE_DAYS: i64 = 30;

const DAY: i64 = 86_400;

impl RuleOptions for Options {
    fn problems(&self) -> Vec<(String, Range<usize>)> {
        match &self.grace_days {
            Some(days) if !(0..=36_500).contains(days.get_ref()) => {
                vec![("`grace-days` must be from 0 to 36500".into(), days.span())]
            }
            _ => Vec::new(),
        }
    }

    fn merged(&self, over: &Self) -> Self {
        Options {
            grace_days: over.grace_days.clone().or(self.grace_days.clone()),
        }
    }
}

declare_rule! {
    DocDrift,
    severity: Warning,
    off_by_default,
    options: Options,
    docs: r#"## What it finds
A file or folder the document references (every reference `dead-reference` checks
that exists: links, `path:line`, `Key files` lists, directory trees) or a path
matching a glob of its front matter's `covers:` list, changed by a commit dated more
than `grace-days` (default 30) after the document was last updated. The document's
date is its last-updated line (the profile's `[date]` labels) or, without one, the date
of the last commit that changed the document. One finding per path, at its first
mention (a `covers:` glob's at the `covers:` line); the help names the commit and its
date.

The history is read in-process from the repository holding the document (only a
`.git` that is a real folder; no `git` is run): `HEAD`'s first-parent line, newest
first, each commit compared with its first parent, dated by its committer date, and
only as far back as the documents' dates need, once per run. A shallow clone (the
default of `actions/checkout`) whose history starts after the document's date gets
one finding saying how much history the rule needs (`git fetch --shallow-since=DATE`,
or `fetch-depth: 0`), never a guess. Outside a git repository the rule says nothing.

Off unless a profile or the configuration turns it on: the decision-record profiles
(`madr`, `nygard`, `arc42`) do, at `warning`.

## Why it matters
The failure everyone complains about is drift: the code moved on and the document
did not. A change to a file the document names is a prompt to re-read what it says
about that file.

## Options
- `grace-days` (integer, default 30): in `[rules.doc-drift]` of `archlint.toml`.

## Examples
With `**Last Updated**: 2026-03-01`, failing when a commit of 2026-06-10 changed
`src/payments/api.rs`:
```markdown
The API lives in `src/payments/api.rs:12`.
```
Passing: the same document with `**Last Updated**: 2026-06-12`, after a re-read.

Front matter naming what the document covers:
```yaml
---
covers: ["src/payments/**", "proto/payments.proto"]
---
```

## Configuration
```toml
[rules.doc-drift]
level = "warning"
grace-days = 14
```
"#,
}

/// When the document was last brought up to date, and what said so.
struct Dated {
    /// The end of that day (a label's date) or the commit's time, in seconds.
    time: i64,
    day: NaiveDate,
    what: String,
    /// Where a finding about the document as a whole goes.
    span: Range<usize>,
}

impl Rule for DocDrift {
    fn check(&self, cx: &mut CheckCx<'_>) {
        // A broken `covers:` is a mistake in the document, with or without history.
        let covered = match covers(cx) {
            Ok(c) => c,
            Err(d) => return cx.report(d),
        };
        let Some(repo) = cx.repo else {
            return;
        };
        let Some(history) = repo.history() else {
            return;
        };
        let me = std::path::Path::new(&cx.file.name)
            .file_name()
            .and_then(|n| repo.relative(&repo.doc_dir.join(n)));
        let Some(dated) = document_date(cx, &history, me.as_deref()) else {
            return;
        };
        let grace = cx
            .options::<Self>()
            .grace_days
            .map_or(GRACE_DAYS, |d| *d.get_ref());
        let after = dated.time.saturating_add(grace.saturating_mul(DAY));
        let mut unknown = None;
        for (span, path, dir) in crate::rules::dead_reference::existing(cx, repo) {
            if me.as_deref() == Some(path.as_str()) {
                continue;
            }
            match history.changed_after(&path, after) {
                Since::Changed(c) => {
                    let shown = if dir { format!("{path}/") } else { path };
                    cx.report(behind(&shown, span, &c, &dated));
                }
                Since::Unknown { horizon } => {
                    unknown.get_or_insert(horizon);
                }
                Since::Unreadable(e) => return cx.report(unreadable(&e, dated.span.clone())),
                Since::Unchanged => {}
            }
        }
        if let Some((line, set)) = covered {
            let matches = |p: &str| set.is_match(p);
            match history.changed_after_matching(&matches, after) {
                (Since::Changed(c), Some(path)) => {
                    let d = behind(&path, line, &c, &dated);
                    cx.report(d.with_label(format!("`covers:` takes `{path}`")));
                }
                (Since::Unknown { horizon }, _) => {
                    unknown.get_or_insert(horizon);
                }
                (Since::Unreadable(e), _) => return cx.report(unreadable(&e, dated.span.clone())),
                _ => {}
            }
        }
        if let Some(horizon) = unknown {
            cx.report(too_shallow(horizon, after, &dated));
        }
    }
}

/// The document's date: its last-updated line, or its last commit.
fn document_date(cx: &mut CheckCx<'_>, history: &History, me: Option<&str>) -> Option<Dated> {
    if let Some(line) = cx.last_updated() {
        if let DateValue::Date(day, _) = line.value {
            let end_of_day = day.and_hms_opt(23, 59, 59)?.and_utc().timestamp();
            return Some(Dated {
                time: end_of_day,
                day,
                what: format!("its `{}` date", line.label),
                span: line.value_span,
            });
        }
        // An unreadable date is `invalid-date`'s; guessing another would mislead.
        return None;
    }
    let span = cx.title_span();
    match history.last_change(me?) {
        Since::Changed(c) => Some(Dated {
            time: c.time,
            day: day_of(c.time),
            what: format!("its last commit, {}", c.commit),
            span,
        }),
        // Not committed yet: nothing to be behind.
        Since::Unchanged => None,
        Since::Unknown { horizon } => {
            cx.report(
                Diagnostic::new(
                    RuleId::DocDrift,
                    span,
                    format!(
                        "this clone's history starts on {}, after the last change to this \
                         document: doc-drift cannot date it",
                        day_of(horizon)
                    ),
                )
                .with_label("history too shallow")
                .with_help(
                    "give the document a last-updated date, or fetch the whole history \
                     (`fetch-depth: 0` in actions/checkout, `git fetch --unshallow` locally)",
                ),
            );
            None
        }
        Since::Unreadable(e) => {
            cx.report(unreadable(&e, span));
            None
        }
    }
}

fn behind(path: &str, span: Range<usize>, c: &crate::fs::history::Change, dated: &Dated) -> Diagnostic {
    let days = c.time.saturating_sub(dated.time).max(0) / DAY;
    Diagnostic::new(
        RuleId::DocDrift,
        span,
        format!(
            "`{path}` changed {days} days after this document was last updated ({})",
            dated.day
        ),
    )
    .with_label("changed since")
    .with_help(format!(
        "commit {} changed it on {}; the document's date is {} ({}): re-read what it says \
         about `{path}`, then update the date",
        c.commit,
        day_of(c.time),
        dated.day,
        dated.what
    ))
}

fn too_shallow(horizon: i64, after: i64, dated: &Dated) -> Diagnostic {
    let since = day_of(after);
    Diagnostic::new(
        RuleId::DocDrift,
        dated.span.clone(),
        format!(
            "this clone's history starts on {}, but doc-drift needs it from before {since} \
             (the document's date, {}, and the grace days)",
            day_of(horizon),
            dated.day
        ),
    )
    .with_label("history too shallow")
    .with_help(format!(
        "fetch the whole history (`fetch-depth: 0` in actions/checkout, `git fetch \
         --unshallow` locally), or deepen the clone (`git fetch --deepen=N`) until its \
         oldest commit is older than {since}"
    ))
}

fn unreadable(e: &str, span: Range<usize>) -> Diagnostic {
    Diagnostic::new(
        RuleId::DocDrift,
        span,
        format!("the git history could not be read: {e}"),
    )
    .with_label("unreadable history")
    .with_help("doc-drift reads commits and trees of `HEAD`'s first-parent line")
}

/// The front matter's `covers:` globs, compiled, and the span of its line; an invalid
/// glob is a finding there.
type Covers = Option<(Range<usize>, globset::GlobSet)>;

fn covers(cx: &CheckCx<'_>) -> Result<Covers, Diagnostic> {
    let Some(fm) = cx.doc.front_matter.as_ref() else {
        return Ok(None);
    };
    let Some((i, globs)) = fm.list("covers") else {
        return Ok(None);
    };
    let line = cx.file.line_span(fm.body_line + i);
    let mut set = globset::GlobSetBuilder::new();
    for g in &globs {
        match globset::GlobBuilder::new(g.trim_start_matches('/'))
            .literal_separator(true)
            .build()
        {
            Ok(glob) => {
                set.add(glob);
            }
            Err(e) => {
                return Err(Diagnostic::new(
                    RuleId::DocDrift,
                    line,
                    format!("`covers:` holds an invalid glob `{g}`: {}", e.kind()),
                )
                .with_label("invalid glob")
                .with_help(
                    "write globs relative to the repository root, as in `src/payments/**`",
                ));
            }
        }
    }
    match set.build() {
        Ok(set) if !globs.is_empty() => Ok(Some((line, set))),
        _ => Ok(None),
    }
}

fn day_of(time: i64) -> NaiveDate {
    chrono::DateTime::from_timestamp(time, 0)
        .map(|d| d.date_naive())
        .unwrap_or_default()
}
