//! `adr-index`: a decision folder's index that omits a record or lists a file the
//! folder does not hold.

use super::{CheckCx, Rule};
use crate::diagnostic::{Diagnostic, RuleId};

declare_rule! {
    AdrIndex,
    severity: Warning,
    docs: r#"## What it finds
In a folder of decision records (see `adr-sequence`) that has an index (`README.md`,
`index.md`, `_index.md`, `_readme.md` or `toc.md` linking at least half of the records,
or three): a record the index does not link to, and a link in the index to a Markdown
file of the folder that does not exist. The findings are in the index. A page on
writing records that links one or two as examples is no index. Under a record
profile the index is not held to a record's sections.

## Why it matters
People find decisions through the index. A record missing from it is a decision
nobody reads; a link to a renamed record is a dead end.

## Examples
Failing: an index listing `0001-…` and `0002-…` in a folder that also holds
`0003-…`; an index linking `0004-old-name.md` after the record was renamed.
Passing: an index that links every record.

## Configuration
```toml
[rules]
adr-index = "off"   # for folders whose index is generated elsewhere
```
"#,
}

impl Rule for AdrIndex {
    fn check(&self, cx: &mut CheckCx<'_>) {
        let Some((c, None)) = cx.collection() else {
            return;
        };
        if c.index.is_none() {
            return;
        }
        let mut found = Vec::new();
        // Links to files of this folder that it does not hold, at the link.
        for link in &cx.doc.links {
            let url = link.url.as_str();
            if url.contains("://") || url.contains('/') || !url.split('#').next().unwrap_or(url).ends_with(".md") {
                continue;
            }
            let name = url.split(['#', '?']).next().unwrap_or(url);
            if crate::facts::collection::is_record_name(name) && !c.has_file(name) {
                found.push(
                    Diagnostic::new(
                        RuleId::AdrIndex,
                        link.span.clone(),
                        format!("the index lists `{name}`, which this folder does not hold"),
                    )
                    .with_help("link the record's current file name, or drop the entry"),
                );
            }
        }
        let end = cx.text().trim_end().len();
        for r in &c.records {
            if !c.listed(&r.name) {
                found.push(
                    Diagnostic::new(
                        RuleId::AdrIndex,
                        end..end,
                        format!("the index does not list `{}`", r.name),
                    )
                    .with_help(format!("add a link to `{}`", r.name)),
                );
            }
        }
        for d in found {
            cx.report(d);
        }
    }
}
