//! `invalid-suppression`: an `archlint-disable` comment that cannot be understood.

use super::{CheckCx, Rule};
use crate::diagnostic::{Diagnostic, Fix, RuleId};
use crate::document::source::SourceFile;

declare_rule! {
    InvalidSuppression,
    severity: Warning,
    docs: r#"## What it finds
An `<!-- archlint-… -->` comment that archlint cannot act on: an unknown directive
(`archlint-disabel`), an unknown rule id, or an `archlint-enable` with no disable before
it. With `--report-unused-suppressions`, also a disable comment that suppressed nothing.

The directives are `archlint-disable [RULES] [-- reason]` (until the matching enable),
`archlint-enable [RULES]`, `archlint-disable-line`, `archlint-disable-next-line`,
`archlint-disable-file`, `archlint-enable-file`, `archlint-capture` and
`archlint-restore`. RULES are rule ids separated by spaces or commas; none means all.
Comments inside code blocks are ignored.

## Why it matters
A misspelt suppression silently suppresses nothing, and a stale one hides the next
real problem.

## Options
None; pass `--report-unused-suppressions` to report unused ones.

## Examples
Failing: `<!-- archlint-disable placeholders -->` (the rule is `placeholder`).
Passing: `<!-- archlint-disable-next-line placeholder -- sample output -->`.

## Configuration
```toml
[rules]
invalid-suppression = "error"
```
"#,
}

impl Rule for InvalidSuppression {
    fn check(&self, cx: &mut CheckCx<'_>) {
        let bad: Vec<_> = cx.bad_suppressions.to_vec();
        for (span, why) in bad {
            cx.report(
                Diagnostic::new(
                    RuleId::InvalidSuppression,
                    span,
                    format!("invalid suppression comment: {why}"),
                )
                .with_label("this comment")
                .with_help("`archlint explain invalid-suppression` lists the directives"),
            );
        }
    }
}

/// The finding for a suppression comment that suppressed nothing
/// (`--report-unused-suppressions`): known only once every rule has run and the
/// suppressions are applied, so the pipeline asks for it then.
pub(crate) fn unused(span: std::ops::Range<usize>, file: &SourceFile) -> Diagnostic {
    // The comment goes; so does its line when nothing else is on it.
    let line = file.line_of(span.start);
    let whole = file.line_span(line);
    let text = file.text();
    let alone = file.line_of(span.end.saturating_sub(1).max(span.start)) == line
        && text[whole.start..span.start].trim().is_empty()
        && text[span.end..whole.end].trim().is_empty();
    let removed = if alone {
        whole.start..file.line_start(line + 1)
    } else {
        span.clone()
    };
    Diagnostic::new(
        RuleId::InvalidSuppression,
        span,
        "suppression comment suppresses nothing",
    )
    .with_label("unused")
    .with_help("remove the comment")
    .with_fix(Fix::new("remove the unused suppression comment", removed, ""))
}
