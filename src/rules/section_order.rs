//! `section-order`: required sections appear out of the profile's order.

use super::{CheckCx, Rule};
use crate::diagnostic::{Diagnostic, RuleId};

declare_rule! {
    SectionOrder,
    severity: Warning,
    docs: r#"## What it finds
Sections that the profile orders one way and the document another. Among the sections
that share a parent, archlint keeps the longest run that is already in order and
reports each section outside it, naming the section it should follow.

## Why it matters
Readers navigate a familiar template by position: overview first, decisions and
deployment later. A shuffled document is harder to scan and to compare with others.

## Options
None; the order is the order of `[[sections]]` in the profile.

## Examples
Failing (`core`): `## Data Flow` before `## Overview`.
Passing: `## Overview`, then `## Components`, then `## Data Flow`.

## Configuration
```toml
[rules]
section-order = "off"   # for documents that order sections their own way
```
"#,
}

impl Rule for SectionOrder {
    fn check(&self, cx: &mut CheckCx<'_>) {
        let profile = cx.profile;
        let parents: Vec<Option<usize>> = {
            let mut p: Vec<Option<usize>> = profile.sections.iter().map(|s| s.parent).collect();
            p.sort();
            p.dedup();
            p
        };
        for parent in parents {
            // (profile index, document position) of the present siblings, in profile order.
            let present: Vec<(usize, usize)> = profile
                .sections
                .iter()
                .enumerate()
                .filter(|(_, s)| s.parent == parent)
                .filter_map(|(ri, _)| {
                    cx.matching.found[ri].map(|f| (ri, cx.doc.sections[f].heading_span.start))
                })
                .collect();
            let keep = longest_increasing(&present.iter().map(|p| p.1).collect::<Vec<_>>());
            for (k, &(ri, _)) in present.iter().enumerate() {
                if keep.contains(&k) {
                    continue;
                }
                let Some(found) = cx.matching.found[ri] else {
                    continue;
                };
                // Name a section in order that this one actually conflicts with: one
                // the profile puts after it that the document has before it, or one
                // the profile puts before it that the document has after it. (The
                // nearest in-order neighbour may be in the right place relative to it.)
                let at = present[k].1;
                let title = |j: usize| profile.sections[present[j].0].title.clone();
                let before = (k + 1..present.len())
                    .filter(|j| keep.contains(j) && present[*j].1 < at)
                    .min_by_key(|&j| present[j].1)
                    .map(title);
                let after = (0..k)
                    .filter(|j| keep.contains(j) && present[*j].1 > at)
                    .max_by_key(|&j| present[j].1)
                    .map(title);
                let req = &profile.sections[ri];
                let message = match (&before, &after) {
                    (Some(b), _) => {
                        format!("section `{}` should come before `{b}`", cx.heading(found))
                    }
                    (None, Some(a)) => {
                        format!("section `{}` should come after `{a}`", cx.heading(found))
                    }
                    (None, None) => format!("section `{}` is out of order", cx.heading(found)),
                };
                let order: Vec<String> = present
                    .iter()
                    .map(|p| format!("`{}`", profile.sections[p.0].title))
                    .collect();
                cx.report(
                    Diagnostic::new(
                        RuleId::SectionOrder,
                        cx.doc.sections[found].heading_span.clone(),
                        message,
                    )
                    .with_label("out of order")
                    .with_help(format!("the profile's order is {}", order.join(", ")))
                    .with_origin(Some(req.origin.clone())),
                );
            }
        }
    }
}

/// Indices of one longest strictly increasing subsequence (O(n log n)).
fn longest_increasing(xs: &[usize]) -> Vec<usize> {
    let mut tails: Vec<usize> = Vec::new(); // indices into xs
    let mut prev: Vec<Option<usize>> = vec![None; xs.len()];
    for (i, &x) in xs.iter().enumerate() {
        let pos = tails.partition_point(|&t| xs[t] < x);
        if pos > 0 {
            prev[i] = Some(tails[pos - 1]);
        }
        if pos == tails.len() {
            tails.push(i);
        } else {
            tails[pos] = i;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut cur = tails.last().copied();
    while let Some(i) = cur {
        out.push(i);
        cur = prev[i];
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::longest_increasing;

    #[test]
    fn keeps_the_longest_ordered_run() {
        assert_eq!(longest_increasing(&[10, 30, 20, 40]), vec![0, 2, 3]);
        assert_eq!(longest_increasing(&[]), Vec::<usize>::new());
        assert_eq!(longest_increasing(&[5, 1]).len(), 1);
    }
}
