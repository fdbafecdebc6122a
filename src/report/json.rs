//! `json`: SPEC.md's versioned document. Field order and names are the contract.

use std::io;

use serde::Serialize;

use super::{FileReport, PrettyArray, ReportCx, Summary, Writer};

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

/// The document around the `files` array: `{"version": 1, "files": [...], "summary": ...}`.
fn around(summary: &Summary) -> String {
    let root = Root {
        version: 1,
        files: Vec::new(),
        summary: JsonSummary {
            files: summary.files,
            files_with_findings: summary.files_with_findings,
            errors: summary.errors,
            warnings: summary.warnings,
        },
    };
    serde_json::to_string_pretty(&root).unwrap_or_default()
}

const FILES: &str = "\"files\": ";

#[derive(Default)]
pub struct Stream {
    files: Option<PrettyArray>,
}

impl super::Stream for Stream {
    fn begin(&mut self, out: Writer<'_>, _cx: &ReportCx<'_>) -> io::Result<()> {
        let doc = around(&Summary::default());
        let (head, files, _) = PrettyArray::around(&doc, FILES).ok_or_else(broken)?;
        out.write_all(head.as_bytes())?;
        self.files = Some(files);
        Ok(())
    }

    fn file(&mut self, out: Writer<'_>, r: &FileReport, _cx: &ReportCx<'_>) -> io::Result<()> {
        let file = File {
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
        };
        self.files.as_mut().ok_or_else(broken)?.item(out, &file)
    }

    fn end(&mut self, out: Writer<'_>, totals: &Summary, _cx: &ReportCx<'_>) -> io::Result<()> {
        let doc = around(totals);
        let (_, _, tail) = PrettyArray::around(&doc, FILES).ok_or_else(broken)?;
        self.files.as_ref().ok_or_else(broken)?.close(out)?;
        out.write_all(tail.as_bytes())?;
        writeln!(out)
    }
}

/// The document printed without its array cannot happen: serde_json prints an empty
/// array as `[]`.
fn broken() -> io::Error {
    io::Error::other("json: the report's frame could not be printed")
}

pub fn write(out: Writer<'_>, reports: &[FileReport], cx: &ReportCx<'_>) -> io::Result<()> {
    super::write_all(&mut Stream::default(), out, reports, cx)
}
