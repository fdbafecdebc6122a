//! `json`: SPEC.md's versioned document. Field order and names are the contract.

use std::io;

use serde::Serialize;

use super::{FileReport, Summary, Writer};

#[derive(Serialize)]
struct Root<'a> {
    version: u32,
    files: Vec<File<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
    profile: &'a str,
    diagnostics: Vec<Diag<'a>>,
}

#[derive(Serialize)]
struct Diag<'a> {
    rule: &'static str,
    severity: &'static str,
    message: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    files_with_findings: usize,
    errors: usize,
    warnings: usize,
}

pub fn write(out: Writer<'_>, reports: &[FileReport]) -> io::Result<()> {
    let s = Summary::of(reports);
    let root = Root {
        version: 1,
        files: reports
            .iter()
            .map(|r| File {
                path: &r.source.name,
                profile: &r.profile,
                diagnostics: r
                    .diagnostics
                    .iter()
                    .map(|d| {
                        let start = r.source.locate(d.span.start);
                        let end = r.source.locate(d.span.end);
                        Diag {
                            rule: d.rule.as_str(),
                            severity: d.severity.as_str(),
                            message: &d.message,
                            line: start.line,
                            column: start.column,
                            end_line: end.line,
                            end_column: end.column,
                            help: d.help.as_deref(),
                        }
                    })
                    .collect(),
            })
            .collect(),
        summary: JsonSummary {
            files: s.files,
            files_with_findings: s.files_with_findings,
            errors: s.errors,
            warnings: s.warnings,
        },
    };
    serde_json::to_writer_pretty(&mut *out, &root).map_err(io::Error::other)?;
    writeln!(out)
}
