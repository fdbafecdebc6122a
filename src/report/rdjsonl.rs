//! `rdjsonl`: reviewdog's Diagnostic, one JSON object per line (CONVENTIONS 1.7).
//! Lines and columns start at 1; columns count UTF-8 bytes, as reviewdog defines
//! them, and the end is exclusive.

use std::io;

use serde::Serialize;

use super::{message_with_help, FileReport, Region, ReportCx, Writer};
use crate::diagnostic::Severity;

#[derive(Serialize)]
struct Diagnostic<'a> {
    message: String,
    location: Location<'a>,
    severity: &'static str,
    source: Source,
    code: Code,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    range: Range,
}

#[derive(Serialize)]
struct Range {
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct Source {
    name: &'static str,
}

#[derive(Serialize)]
struct Code {
    value: &'static str,
}

pub struct Stream;

impl super::Stream for Stream {
    fn file(&mut self, out: Writer<'_>, r: &FileReport, _cx: &ReportCx<'_>) -> io::Result<()> {
        for d in &r.diagnostics {
            let Region { start, end } = Region::of(&r.source, d);
            let diagnostic = Diagnostic {
                message: message_with_help(d),
                location: Location {
                    path: &r.source.name,
                    range: Range {
                        start: Position {
                            line: start.line,
                            column: start.byte_column,
                        },
                        end: Position {
                            line: end.line,
                            column: end.byte_column,
                        },
                    },
                },
                severity: match d.severity {
                    Severity::Error => "ERROR",
                    Severity::Warning => "WARNING",
                },
                source: Source { name: "archlint" },
                code: Code {
                    value: d.rule.as_str(),
                },
            };
            serde_json::to_writer(&mut *out, &diagnostic).map_err(io::Error::other)?;
            writeln!(out)?;
        }
        Ok(())
    }
}

pub fn write(out: Writer<'_>, reports: &[FileReport], cx: &ReportCx<'_>) -> io::Result<()> {
    super::write_all(&mut Stream, out, reports, cx)
}
