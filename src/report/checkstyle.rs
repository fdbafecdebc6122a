//! `checkstyle`: Checkstyle 4.3 XML, as eslint, oxlint and biome write it
//! (CONVENTIONS 1.5). Every checked file appears, clean ones as an empty `<file>`.

use std::io;

use super::{xml_attr, FileReport, Region, Writer};

pub fn write(out: Writer<'_>, reports: &[FileReport]) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<checkstyle version="4.3">"#)?;
    for r in reports {
        let name = xml_attr(&r.source.name);
        if r.diagnostics.is_empty() {
            writeln!(out, r#"  <file name="{name}"/>"#)?;
            continue;
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
        writeln!(out, "  </file>")?;
    }
    writeln!(out, "</checkstyle>")
}
