//! `<!-- archlint-disable … -->` comments, parsed once and applied in one place.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use crate::diagnostic::{Diagnostic, RuleId};
use crate::document::source::SourceFile;
use crate::document::Document;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Disable,
    Enable,
    DisableLine,
    DisableNextLine,
    DisableFile,
    EnableFile,
    Capture,
    Restore,
}

/// The rules a directive names; `None` means every rule.
type Rules = Option<BTreeSet<RuleId>>;

/// What [`Suppressions::suppressed`] works out by walking every directive, computed
/// once per rule so that each finding costs a binary search: walking made many
/// suppressions with many findings quadratic (50,000 of each took 7 s).
struct Index {
    views: BTreeMap<RuleId, RuleView>,
    /// `disable-line` and `disable-next-line` directives by the line they cover.
    line_directives: HashMap<usize, Vec<usize>>,
}

/// The directives as one rule sees them.
struct RuleView {
    /// `disable-file` directives naming the rule (all marked used by any query).
    file_disables: Vec<usize>,
    /// Whether `file_disables` have been marked used: once per rule, not per finding
    /// (N such comments before N findings was quadratic).
    file_disables_marked: std::cell::Cell<bool>,
    /// Whether the last of `disable-file`/`enable-file` naming the rule disables it.
    file_off: bool,
    /// Lines of the block directives (disable, enable, capture, restore), in order.
    lines: Vec<usize>,
    /// After each block directive: whether the rule is off, and the last `disable`.
    after: Vec<(bool, Option<usize>)>,
}

impl Index {
    fn new(s: &Suppressions, rules: impl Iterator<Item = RuleId>) -> Index {
        let mut line_directives: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, d) in s.directives.iter().enumerate() {
            if matches!(d.kind, Kind::DisableLine | Kind::DisableNextLine) {
                line_directives.entry(d.line).or_default().push(i);
            }
        }
        let mut views = BTreeMap::new();
        for rule in rules {
            views.entry(rule).or_insert_with(|| RuleView::new(s, rule));
        }
        Index {
            views,
            line_directives,
        }
    }

    /// The same answer, and the same directives marked used, as
    /// [`Suppressions::suppressed`].
    fn suppressed(&self, s: &Suppressions, rule: RuleId, line: usize) -> bool {
        let Some(v) = self.views.get(&rule) else {
            return s.suppressed(rule, line);
        };
        if !v.lines.is_sorted() {
            // Directives come in document order, so this never happens; stay exact if it does.
            return s.suppressed(rule, line);
        }
        if !v.file_disables_marked.replace(true) {
            for &i in &v.file_disables {
                s.directives[i].used.set(true);
            }
        }
        if v.file_off {
            return true;
        }
        let names = |r: &Rules| r.as_ref().is_none_or(|set| set.contains(&rule));
        let first_line_directive = self
            .line_directives
            .get(&line)
            .and_then(|ds| ds.iter().find(|&&i| names(&s.directives[i].rules)));
        if let Some(&i) = first_line_directive {
            s.directives[i].used.set(true);
            return true;
        }
        let k = v.lines.partition_point(|&l| l <= line);
        let (off, used_by) = k.checked_sub(1).map_or((false, None), |k| v.after[k]);
        if let (true, Some(i)) = (off, used_by) {
            s.directives[i].used.set(true);
        }
        off
    }
}

impl RuleView {
    fn new(s: &Suppressions, rule: RuleId) -> RuleView {
        let names = |r: &Rules| r.as_ref().is_none_or(|set| set.contains(&rule));
        let mut v = RuleView {
            file_disables: Vec::new(),
            file_disables_marked: std::cell::Cell::new(false),
            file_off: false,
            lines: Vec::new(),
            after: Vec::new(),
        };
        let (mut off, mut saved, mut used_by) = (false, Vec::new(), None);
        for (i, d) in s.directives.iter().enumerate() {
            match d.kind {
                Kind::DisableFile if names(&d.rules) => {
                    v.file_off = true;
                    v.file_disables.push(i);
                }
                Kind::EnableFile if names(&d.rules) => v.file_off = false,
                Kind::Disable | Kind::Enable | Kind::Capture | Kind::Restore => {
                    match d.kind {
                        Kind::Disable if names(&d.rules) => {
                            off = true;
                            used_by = Some(i);
                        }
                        Kind::Enable if names(&d.rules) => off = false,
                        Kind::Capture => saved.push(off),
                        Kind::Restore => off = saved.pop().unwrap_or(false),
                        _ => {}
                    }
                    v.lines.push(d.line);
                    v.after.push((off, used_by));
                }
                _ => {}
            }
        }
        v
    }
}

#[derive(Debug, Clone)]
struct Directive {
    kind: Kind,
    rules: Rules,
    /// The line it takes effect on (for next-line: the next non-blank line).
    line: usize,
    span: Range<usize>,
    used: std::cell::Cell<bool>,
}

/// The parsed suppressions of one document.
#[derive(Debug, Default)]
pub struct Suppressions {
    directives: Vec<Directive>,
    /// Directives that could not be understood: span and what is wrong.
    pub invalid: Vec<(Range<usize>, String)>,
}

const PREFIX: &str = "archlint-";
/// More unknown words than this in one directive are reported as one problem.
const MAX_UNKNOWN_RULES: usize = 3;

impl Suppressions {
    pub fn parse(file: &SourceFile, doc: &Document) -> Suppressions {
        let mut s = Suppressions::default();
        for c in &doc.comments {
            let body = c.body.trim();
            let Some(rest) = body.strip_prefix(PREFIX) else {
                continue;
            };
            // Problems point at the comment's first line: an unclosed comment runs to the
            // end of its block, and every finding would print all of it.
            let head_line = file.line_of(c.span.start);
            let head_span = c.span.start..file.line_end(head_line).clamp(c.span.start, c.span.end);
            let (head, reason) = match rest.split_once(" --") {
                Some((h, r)) => (h, Some(r.trim())),
                None => (rest, None),
            };
            let _ = reason;
            let mut words = head.split(|ch: char| ch.is_whitespace() || ch == ',');
            let verb = words.next().unwrap_or("");
            let kind = match verb {
                "disable" => Kind::Disable,
                "enable" => Kind::Enable,
                "disable-line" => Kind::DisableLine,
                "disable-next-line" => Kind::DisableNextLine,
                "disable-file" => Kind::DisableFile,
                "enable-file" => Kind::EnableFile,
                "capture" => Kind::Capture,
                "restore" => Kind::Restore,
                other => {
                    let known = [
                        "disable",
                        "enable",
                        "disable-line",
                        "disable-next-line",
                        "disable-file",
                        "enable-file",
                        "capture",
                        "restore",
                    ];
                    let hint = crate::facts::normalize::closest(other, known.iter().copied())
                        .map(|k| format!(" (did you mean `archlint-{k}`?)"))
                        .unwrap_or_default();
                    s.invalid.push((
                        head_span.clone(),
                        format!("unknown directive `archlint-{other}`{hint}"),
                    ));
                    continue;
                }
            };
            let mut rules = BTreeSet::new();
            let mut unknown = Vec::new();
            for w in words.filter(|w| !w.is_empty()) {
                match RuleId::parse(w) {
                    Some(r) => {
                        rules.insert(r);
                    }
                    None => unknown.push(w),
                }
            }
            let bad = !unknown.is_empty();
            if unknown.len() > MAX_UNKNOWN_RULES {
                // Prose, not rule ids: most likely the comment is not closed where meant.
                let some: Vec<String> = unknown.iter().take(3).map(|w| format!("`{w}`")).collect();
                s.invalid.push((
                    head_span.clone(),
                    format!(
                        "`archlint-{verb}` is followed by {} words that are not rule ids ({}, ...); is the comment closed with `-->`?",
                        unknown.len(),
                        some.join(", ")
                    ),
                ));
            } else {
                for w in unknown {
                    let hint =
                        crate::facts::normalize::closest(w, RuleId::ALL.iter().map(|r| r.as_str()))
                            .map(|k| format!(" (did you mean `{k}`?)"))
                            .unwrap_or_default();
                    s.invalid
                        .push((head_span.clone(), format!("unknown rule `{w}`{hint}")));
                }
            }
            if bad && rules.is_empty() {
                continue;
            }
            let here = file.line_of(c.span.start);
            let line = match kind {
                Kind::DisableNextLine => {
                    let after = file.line_of(c.span.end.saturating_sub(1).max(c.span.start)) + 1;
                    (after..=file.line_count())
                        .find(|&l| !file.line_text(l).trim().is_empty())
                        .unwrap_or(after)
                }
                _ => here,
            };
            s.directives.push(Directive {
                kind,
                rules: if rules.is_empty() { None } else { Some(rules) },
                line,
                span: c.span.clone(),
                used: std::cell::Cell::new(false),
            });
        }
        s.check_pairs();
        s
    }

    /// An `enable` with nothing disabled before it is a mistake worth a warning.
    fn check_pairs(&mut self) {
        let mut disabled_any = false;
        for d in &self.directives {
            match d.kind {
                Kind::Disable => disabled_any = true,
                Kind::Enable if !disabled_any => self.invalid.push((
                    d.span.clone(),
                    "`archlint-enable` without an earlier `archlint-disable`".into(),
                )),
                _ => {}
            }
        }
    }

    /// Whether a diagnostic starting on `line` for `rule` is suppressed.
    fn suppressed(&self, rule: RuleId, line: usize) -> bool {
        let names = |r: &Rules| r.as_ref().is_none_or(|set| set.contains(&rule));
        // File-wide directives apply wherever they sit.
        let mut file_off = false;
        for d in &self.directives {
            match d.kind {
                Kind::DisableFile if names(&d.rules) => {
                    file_off = true;
                    d.used.set(true);
                }
                Kind::EnableFile if names(&d.rules) => file_off = false,
                _ => {}
            }
        }
        if file_off {
            return true;
        }
        let mut off = false;
        let mut saved: Vec<bool> = Vec::new();
        let mut used_by: Option<&Directive> = None;
        for d in self.directives.iter().filter(|d| d.line <= line) {
            match d.kind {
                Kind::Disable if names(&d.rules) => {
                    off = true;
                    used_by = Some(d);
                }
                Kind::Enable if names(&d.rules) => off = false,
                Kind::Capture => saved.push(off),
                Kind::Restore => off = saved.pop().unwrap_or(false),
                Kind::DisableLine | Kind::DisableNextLine if d.line == line && names(&d.rules) => {
                    d.used.set(true);
                    return true;
                }
                _ => {}
            }
        }
        if off {
            if let Some(d) = used_by {
                d.used.set(true);
            }
        }
        off
    }

    /// Drop suppressed diagnostics.
    pub fn apply(&self, file: &SourceFile, diags: &mut Vec<Diagnostic>) {
        if self.directives.is_empty() {
            return;
        }
        let index = Index::new(self, diags.iter().map(|d| d.rule));
        diags.retain(|d| {
            d.rule == RuleId::InvalidSuppression
                || !index.suppressed(self, d.rule, file.line_of(d.span.start))
        });
    }

    /// Directives that suppressed nothing (after [`apply`](Self::apply)).
    pub fn unused(&self) -> Vec<Range<usize>> {
        self.directives
            .iter()
            .filter(|d| {
                !d.used.get()
                    && matches!(
                        d.kind,
                        Kind::Disable
                            | Kind::DisableLine
                            | Kind::DisableNextLine
                            | Kind::DisableFile
                    )
            })
            .map(|d| d.span.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random directive sequences and queries: the index gives the walk's answers and
    /// marks the same directives used.
    #[test]
    fn the_index_answers_like_the_walk() {
        let kinds = [
            Kind::Disable,
            Kind::Enable,
            Kind::DisableLine,
            Kind::DisableNextLine,
            Kind::DisableFile,
            Kind::EnableFile,
            Kind::Capture,
            Kind::Restore,
        ];
        let rules = [RuleId::Placeholder, RuleId::EmptySection];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for round in 0..5_000 {
            let mut line = 1;
            let mut directives = Vec::new();
            for _ in 0..next(12) {
                line += next(3);
                let kind = kinds[next(kinds.len())];
                let names = match next(3) {
                    0 => None,
                    i => Some(BTreeSet::from([rules[i - 1]])),
                };
                directives.push(Directive {
                    kind,
                    rules: names,
                    line: if kind == Kind::DisableNextLine {
                        line + 1 + next(2)
                    } else {
                        line
                    },
                    span: 0..0,
                    used: std::cell::Cell::new(false),
                });
            }
            let walk = Suppressions {
                directives: directives.clone(),
                invalid: Vec::new(),
            };
            let indexed = Suppressions {
                directives,
                invalid: Vec::new(),
            };
            let queries: Vec<(RuleId, usize)> = (0..next(8))
                .map(|_| (rules[next(2)], 1 + next(line + 3)))
                .collect();
            let index = Index::new(&indexed, queries.iter().map(|q| q.0));
            for &(rule, at) in &queries {
                assert_eq!(
                    walk.suppressed(rule, at),
                    index.suppressed(&indexed, rule, at),
                    "round {round}: {rule} on line {at} with {:?}",
                    walk.directives
                );
            }
            let used = |s: &Suppressions| {
                s.directives
                    .iter()
                    .map(|d| d.used.get())
                    .collect::<Vec<_>>()
            };
            assert_eq!(used(&walk), used(&indexed), "round {round}");
        }
    }
}
