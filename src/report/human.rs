//! `human`: miette's graphical report, one block per finding, with the source snippet,
//! the label, the help, and the profile entry that required it.

use std::fmt;
use std::io;
use std::sync::Arc;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode, SourceSpan,
};

use super::{summary_line, FileReport, ReportCx, Summary, Writer};
use crate::diagnostic::{Diagnostic, Origin, Severity};

/// A finding dressed for miette.
struct Finding<'a> {
    d: &'a Diagnostic,
    src: &'a NamedSource<Arc<str>>,
    origin: Option<OriginNote>,
}

/// "required by profile `adr`", with the profile's TOML as its own source.
struct OriginNote {
    text: String,
    src: Option<NamedSource<Arc<str>>>,
    span: Option<SourceSpan>,
}

impl fmt::Debug for Finding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}
impl fmt::Display for Finding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}
impl std::error::Error for Finding<'_> {}

impl miette::Diagnostic for Finding<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.d.rule.as_str()))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.d
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.src)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = SourceSpan::from(self.d.span.start..self.d.span.end);
        let label = LabeledSpan::new_primary_with_span(self.d.label.clone(), span);
        Some(Box::new(std::iter::once(label)))
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        self.origin
            .as_ref()
            .map(|o| Box::new(std::iter::once(o as &dyn miette::Diagnostic)) as Box<_>)
    }
}

impl fmt::Debug for OriginNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}
impl fmt::Display for OriginNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}
impl std::error::Error for OriginNote {}

impl miette::Diagnostic for OriginNote {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.src.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span?;
        self.src.as_ref()?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some("required here".into()), span),
        )))
    }
}

fn origin_note(o: &Origin, cx: &ReportCx<'_>) -> OriginNote {
    let src = cx
        .profile_sources
        .get(&o.file)
        .map(|text| NamedSource::new(o.file.clone(), text.clone()));
    // Only the first line of the requirement: the table header, not the whole table.
    let span = match (&o.span, &src) {
        (Some(r), Some(s)) => {
            let text = s.inner();
            let end = text[r.start.min(text.len())..]
                .find('\n')
                .map(|e| r.start + e)
                .unwrap_or(r.end)
                .min(r.end.max(r.start));
            Some(SourceSpan::from(r.start..end.max(r.start)))
        }
        _ => None,
    };
    OriginNote {
        text: format!("required by profile `{}` ({})", o.profile, o.file),
        src,
        span,
    }
}

pub fn write(out: Writer<'_>, reports: &[FileReport], cx: &ReportCx<'_>) -> io::Result<()> {
    let theme = if cx.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false)
        .with_context_lines(1);
    for r in reports {
        if let Some(note) = &r.profile_note {
            writeln!(out, "{}: {note}", r.source.name)?;
        }
        if r.diagnostics.is_empty() {
            continue;
        }
        let src = NamedSource::new(r.source.name.clone(), Arc::<str>::from(r.source.text()));
        for d in &r.diagnostics {
            let finding = Finding {
                d,
                src: &src,
                origin: d.origin.as_ref().map(|o| origin_note(o, cx)),
            };
            let mut s = String::new();
            handler
                .render_report(&mut s, &finding)
                .map_err(io::Error::other)?;
            writeln!(out, "{s}")?;
        }
    }
    if !cx.quiet {
        writeln!(out, "{}", summary_line(&Summary::of(reports)))?;
    }
    Ok(())
}
