//! `short`: `path:line:column: severity: message [rule]`, one finding per line. The
//! problem matchers in `.github/` and `editors/` parse exactly this.

use std::io;

use super::{escape, summary_line, FileReport, ReportCx, Summary, Writer};

pub fn write(out: Writer<'_>, reports: &[FileReport], cx: &ReportCx<'_>) -> io::Result<()> {
    for r in reports {
        for d in &r.diagnostics {
            let p = r.source.locate(d.span.start);
            // A message never spans lines here: the matcher reads one line at a time.
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
    }
    if !cx.quiet {
        writeln!(out, "{}", summary_line(&Summary::of(reports), cx))?;
    }
    Ok(())
}
