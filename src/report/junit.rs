//! `junit`: JUnit XML for CI test dashboards (CONVENTIONS 1.6).
//!
//! `<testsuites>` holds one `<testsuite>` per checked file. Each finding is a failing
//! `<testcase>`; a clean file gets one passing testcase, so a dashboard never shows a
//! file with zero tests (ESLint does the same). Warnings fail too, as in ruff and biome:
//! the report lists findings, and the exit code decides whether the run fails.

use std::io::{self, Write};

use super::{escape, xml_attr, xml_text, FileReport, Region, ReportCx, Summary, Writer};

/// The opening tag counts every test, so the suites are written to `body` as they
/// come and the whole at the end: the one format whose output stays in memory until
/// the run ends (the rendered findings, never the documents).
#[derive(Default)]
pub struct Stream {
    body: Vec<u8>,
    clean: usize,
}

impl super::Stream for Stream {
    fn file(&mut self, _out: Writer<'_>, r: &FileReport, _cx: &ReportCx<'_>) -> io::Result<()> {
        let out = &mut self.body;
        let name = xml_attr(&r.source.name);
        let n = r.diagnostics.len();
        writeln!(
            out,
            r#"  <testsuite name="{name}" tests="{}" failures="{n}" errors="0">"#,
            n.max(1)
        )?;
        if r.diagnostics.is_empty() {
            self.clean += 1;
            writeln!(
                out,
                r#"    <testcase name="archlint" classname="{name}" file="{name}"/>"#
            )?;
        }
        for d in &r.diagnostics {
            let Region { start, .. } = Region::of(&r.source, d);
            // The body is text a CI log may show line by line: no line of it may come
            // from the repository raw (a newline in a percent-decoded path).
            let mut body = format!(
                "{}:{}:{}: {}: {}",
                escape::terminal(&r.source.name),
                start.line,
                start.column,
                d.severity,
                escape::terminal(&d.message)
            );
            if let Some(help) = &d.help {
                body.push_str("\nhelp: ");
                body.push_str(&escape::terminal(help));
            }
            writeln!(
                out,
                r#"    <testcase name="archlint.{rule}" classname="{name}" file="{name}" line="{line}">"#,
                rule = d.rule,
                line = start.line,
            )?;
            writeln!(
                out,
                r#"      <failure message="{}" type="{}">{}</failure>"#,
                xml_attr(&d.message),
                d.rule,
                xml_text(&body)
            )?;
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")
    }

    fn end(&mut self, out: Writer<'_>, totals: &Summary, _cx: &ReportCx<'_>) -> io::Result<()> {
        let findings = totals.errors + totals.warnings;
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            out,
            r#"<testsuites name="archlint" tests="{}" failures="{findings}" errors="0">"#,
            findings + self.clean
        )?;
        out.write_all(&std::mem::take(&mut self.body))?;
        writeln!(out, "</testsuites>")
    }
}

pub fn write(out: Writer<'_>, reports: &[FileReport], cx: &ReportCx<'_>) -> io::Result<()> {
    super::write_all(&mut Stream::default(), out, reports, cx)
}
