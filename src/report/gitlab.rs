//! `gitlab`: a GitLab Code Quality report (CONVENTIONS 1.4): a JSON array of
//! Code Climate issues with the fields GitLab reads. Paths are relative to the
//! repository (`CI_PROJECT_DIR` in GitLab CI); fingerprints are unique per finding
//! and stable across edits above it, so the merge-request widget can tell new
//! findings from old ones.

use std::io;

use serde::Serialize;

use super::{fingerprints, FileReport, PrettyArray, Region, ReportCx, Summary, Writer};
use crate::diagnostic::Severity;

#[derive(Serialize)]
struct Issue<'a> {
    description: &'a str,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

/// The report is one array of issues: written as `[`, the issues, `]`.
#[derive(Default)]
pub struct Stream {
    issues: Option<PrettyArray>,
}

impl super::Stream for Stream {
    fn begin(&mut self, out: Writer<'_>, _cx: &ReportCx<'_>) -> io::Result<()> {
        let (head, issues, _) = PrettyArray::around("[]", "").ok_or_else(broken)?;
        out.write_all(head.as_bytes())?;
        self.issues = Some(issues);
        Ok(())
    }

    fn file(&mut self, out: Writer<'_>, r: &FileReport, cx: &ReportCx<'_>) -> io::Result<()> {
        let issues = self.issues.as_mut().ok_or_else(broken)?;
        let path = cx
            .paths
            .root
            .as_deref()
            .and_then(|root| cx.paths.relative(r, root))
            .unwrap_or_else(|| r.source.name.clone());
        for (d, fingerprint) in r.diagnostics.iter().zip(fingerprints(r, &path)) {
            let Region { start, end } = Region::of(&r.source, d);
            issues.item(
                out,
                &Issue {
                    description: &d.message,
                    check_name: d.rule.as_str(),
                    fingerprint,
                    severity: match d.severity {
                        Severity::Error => "major",
                        Severity::Warning => "minor",
                    },
                    location: Location {
                        path: path.clone(),
                        lines: Lines {
                            begin: start.line,
                            end: end.line,
                        },
                    },
                },
            )?;
        }
        Ok(())
    }

    fn end(&mut self, out: Writer<'_>, _totals: &Summary, _cx: &ReportCx<'_>) -> io::Result<()> {
        self.issues.as_ref().ok_or_else(broken)?.close(out)?;
        writeln!(out)
    }
}

fn broken() -> io::Error {
    io::Error::other("gitlab: the report was written out of order")
}

pub fn write(out: Writer<'_>, reports: &[FileReport], cx: &ReportCx<'_>) -> io::Result<()> {
    super::write_all(&mut Stream::default(), out, reports, cx)
}
