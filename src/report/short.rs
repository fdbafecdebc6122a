//! `short`: `path:line:column: severity: message [rule]`, one finding per line. The
//! problem matchers in `.github/` and `editors/` parse exactly this.

use std::io;

use super::{escape, summary_line, FileReport, ReportCx, Summary, Writer};

pub struct Stream;

impl super::Stream for Stream {
    fn file(&mut self, out: Writer<'_>, r: &FileReport, _cx: &ReportCx<'_>) -> io::Result<()> {
        for d in &r.diagnostics {
            let p = r.source.locate(d.span.start);
            // A message never spans lines here: the matcher reads one line at a time;
            // nor does a name, and neither reaches a terminal or log raw.
            let message = d.message.replace(['\r', '\n'], " ");
            writeln!(
                out,
                "{}:{}:{}: {}: {} [{}]",
                escape::line_start(&r.source.name),
                p.line,
                p.column,
                d.severity,
                escape::terminal(&message),
                d.rule
            )?;
        }
        Ok(())
    }

    fn end(&mut self, out: Writer<'_>, totals: &Summary, cx: &ReportCx<'_>) -> io::Result<()> {
        if !cx.quiet {
            writeln!(out, "{}", summary_line(totals, cx))?;
        }
        Ok(())
    }
}

pub fn write(out: Writer<'_>, reports: &[FileReport], cx: &ReportCx<'_>) -> io::Result<()> {
    super::write_all(&mut Stream, out, reports, cx)
}
