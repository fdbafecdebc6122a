//! `adr-sequence`: in a folder of decision records, a number used twice, numbers
//! missing before a record, or a title whose number disagrees with the file name.

use super::{CheckCx, Rule};
use crate::diagnostic::{Diagnostic, RuleId};

declare_rule! {
    AdrSequence,
    severity: Warning,
    docs: r#"## What it finds
In a folder of decision records (three or more files named like `0007-use-postgres.md`,
`adr-7-….md` or `ADR-7.md`, or by date like `20201002-use-lunr.md`; a document there is
read as a record when it states a status), a record whose number another record also
uses, a record after a gap in the numbering (numbers missing before it), and a record
whose title starts with a number other than its file name's. Records named by date
have no number to check; the folder's index (`README.md`, `index.md`) and its template
(a name with `template` in it) are not records.

## Why it matters
Records are cited by number ("see ADR-12"). Two records with one number make every
citation ambiguous; a gap usually means a record was deleted or renamed by hand, and
a title that disagrees with its file name cites the wrong record.

## Examples
Failing: `0003-use-kafka.md` titled `# 4. Use Kafka`; `0002-a.md` next to `0002-b.md`;
`0005-x.md` when the folder's numbers before it stop at 3.
Passing: `0001-…`, `0002-…`, `0003-…`, each titled with its own number or none.

## Configuration
```toml
[rules]
adr-sequence = "error"   # or "warning", "off"
```
"#,
}

impl Rule for AdrSequence {
    fn check(&self, cx: &mut CheckCx<'_>) {
        let Some((c, Some(me))) = cx.collection() else {
            return;
        };
        let Some(n) = me.number else {
            return;
        };
        let at = me.title.clone().unwrap_or(0..0);
        let mut found = Vec::new();
        let other = (c.count(n) > 1)
            .then(|| c.records.iter().find(|r| r.number == Some(n) && r.name != me.name))
            .flatten();
        if let Some(other) = other {
            found.push(
                Diagnostic::new(
                    RuleId::AdrSequence,
                    at.clone(),
                    format!("record number {n} is also used by `{}`", other.name),
                )
                .with_help("give one of the two records the next free number"),
            );
        }
        // The record just after a gap says so, once.
        if let Some(p) = c.before(n) {
            if p + 1 < n {
                let missing = if p + 2 == n {
                    format!("number {} is missing", p + 1)
                } else {
                    format!("numbers {} to {} are missing", p + 1, n - 1)
                };
                found.push(
                    Diagnostic::new(
                        RuleId::AdrSequence,
                        at.clone(),
                        format!("{missing} before this record"),
                    )
                    .with_help("renumber, or keep a record that says why a number was withdrawn"),
                );
            }
        }
        if let Some(t) = me.title_number.filter(|&t| t != n) {
            found.push(
                Diagnostic::new(
                    RuleId::AdrSequence,
                    at,
                    format!("the title says record {t}, the file name record {n}"),
                )
                .with_help("make the title's number the file name's"),
            );
        }
        for d in found {
            cx.report(d);
        }
    }
}
