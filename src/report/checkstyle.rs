//! `checkstyle`: Checkstyle 4.3 XML, as eslint, oxlint and biome write it
//! (CONVENTIONS 1.5). Every checked file appears, clean ones as an empty `<file>`.

use std::io;

use super::{xml_attr, FileReport, Region, ReportCx, Summary, Writer};

pub struct Stream;

impl super::Stream for Stream {
    fn begin(&mut self, out: Writer<'_>, _cx: &ReportCx<'_>) -> io::Result<()> {
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(out, r#"<checkstyle version="4.3">"#)
    }

    fn file(&mut self, out: Writer<'_>, r: &FileReport, _cx: &ReportCx<'_>) -> io::Result<()> {
        let name = xml_attr(&r.source.name);
        if r.diagnostics.is_empty() {
            return writeln!(out, r#"  <file name="{name}"/>"#);
        }
        writeln!(out, r#"  <file name="{name}">"#)?;
        for d in &r.diagnostics {
            let Region { start, .. } = Region::of(&r.source, d);
            writeln!(
                out,
                r#"    <error line="{}" column="{}" severity="{}" message="{}" source="archlint.{}"/>"#,
                start.line,
                start.column,
                d.severity,
                xml_attr(&d.message),
                d.rule
            )?;
        }
        writeln!(out, "  </file>")
    }

    fn end(&mut self, out: Writer<'_>, _totals: &Summary, _cx: &ReportCx<'_>) -> io::Result<()> {
        writeln!(out, "</checkstyle>")
    }
}

pub fn write(out: Writer<'_>, reports: &[FileReport], cx: &ReportCx<'_>) -> io::Result<()> {
    super::write_all(&mut Stream, out, reports, cx)
}
