//! `gitlab`: a GitLab Code Quality report (CONVENTIONS 1.4): a JSON array of
//! Code Climate issues with the fields GitLab reads. Paths are relative to the
//! repository (`CI_PROJECT_DIR` in GitLab CI); fingerprints are unique per finding
//! and stable across edits above it, so the merge-request widget can tell new
//! findings from old ones.

use std::io;

use serde::Serialize;

use super::{fingerprints, FileReport, Region, ReportCx, Writer};
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

pub fn write(out: Writer<'_>, reports: &[FileReport], cx: &ReportCx<'_>) -> io::Result<()> {
    let mut issues = Vec::new();
    for r in reports {
        let path = cx
            .paths
            .root
            .as_deref()
            .and_then(|root| cx.paths.relative(r, root))
            .unwrap_or_else(|| r.source.name.clone());
        for (d, fingerprint) in r.diagnostics.iter().zip(fingerprints(r, &path)) {
            let Region { start, end } = Region::of(&r.source, d);
            issues.push(Issue {
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
            });
        }
    }
    serde_json::to_writer_pretty(&mut *out, &issues).map_err(io::Error::other)?;
    writeln!(out)
}
