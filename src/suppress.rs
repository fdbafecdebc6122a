//! `<!-- archlint-disable … -->` comments, parsed once and applied in one place.

use std::collections::BTreeSet;
use std::ops::Range;

use crate::diagnostic::{Diagnostic, RuleId};
use crate::document::Document;
use crate::source::SourceFile;

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

impl Suppressions {
    pub fn parse(file: &SourceFile, doc: &Document) -> Suppressions {
        let mut s = Suppressions::default();
        for c in &doc.comments {
            let body = c.body.trim();
            let Some(rest) = body.strip_prefix(PREFIX) else {
                continue;
            };
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
                    let hint = crate::matching::closest(other, known.iter().copied())
                        .map(|k| format!(" (did you mean `archlint-{k}`?)"))
                        .unwrap_or_default();
                    s.invalid.push((
                        c.span.clone(),
                        format!("unknown directive `archlint-{other}`{hint}"),
                    ));
                    continue;
                }
            };
            let mut rules = BTreeSet::new();
            let mut bad = false;
            for w in words.filter(|w| !w.is_empty()) {
                match RuleId::parse(w) {
                    Some(r) => {
                        rules.insert(r);
                    }
                    None => {
                        bad = true;
                        let hint =
                            crate::matching::closest(w, RuleId::ALL.iter().map(|r| r.as_str()))
                                .map(|k| format!(" (did you mean `{k}`?)"))
                                .unwrap_or_default();
                        s.invalid
                            .push((c.span.clone(), format!("unknown rule `{w}`{hint}")));
                    }
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
        diags.retain(|d| {
            d.rule == RuleId::InvalidSuppression
                || !self.suppressed(d.rule, file.line_of(d.span.start))
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
