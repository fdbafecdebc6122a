//! `human`: miette's graphical report, one block per finding, with the source snippet,
//! the label, the help, and the profile entry that required it.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::sync::Arc;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::{escape, summary_line, FileReport, ReportCx, Summary, Writer};
use crate::diagnostic::{Diagnostic, Origin, Severity};
use crate::document::source::SourceFile;
use crate::error::MAX_SNIPPET_COLUMN;

/// A text for miette that finds a span's lines through the line table. miette's own
/// `str` source scans from the start of the text for every finding, which made human
/// output quadratic: 100,000 headings took minutes.
struct Windowed {
    name: String,
    file: Arc<SourceFile>,
    /// Bytes [`SourceFile`] dropped from the start (a BOM): spans count them.
    shift: usize,
    /// The text as shown, when it holds characters a terminal would interpret: each
    /// replaced by a visible one of the same length, so spans still fit.
    shown: Option<String>,
}

impl Windowed {
    fn new(name: String, file: Arc<SourceFile>) -> Self {
        Windowed {
            name: escape::terminal(&name).into_owned(),
            shown: escape::same_length(file.text()),
            file,
            shift: 0,
        }
    }

    /// A profile's TOML, whose spans count a leading BOM if there is one.
    fn toml(name: String, text: &str) -> Self {
        let file = SourceFile::new(name.clone(), text);
        let shift = text.len() - file.text().len();
        Windowed {
            name: escape::terminal(&name).into_owned(),
            shown: escape::same_length(file.text()),
            file: Arc::new(file),
            shift,
        }
    }

    /// Whether miette can draw `span` (see [`MAX_SNIPPET_COLUMN`]), and should: a
    /// snippet is at most [`MAX_SNIPPET_LINES`] lines of at most [`MAX_SHOWN_LINE`]
    /// bytes, so that what one finding prints is bounded whatever the document holds
    /// (50 KB of `[TBD] ` on one line printed that line once per finding: 178 MB).
    fn fits(&self, span: &std::ops::Range<usize>) -> bool {
        let f = &self.file;
        let line = |o: usize| f.line_of(o.saturating_sub(self.shift).min(f.text().len()));
        let (first, last) = (line(span.start), line(span.end));
        last - first < MAX_SNIPPET_LINES
            && (first..=last).all(|l| f.line_span(l).len() <= MAX_SHOWN_LINE)
            && [span.start, span.end].iter().all(|&o| {
                let o = o.saturating_sub(self.shift).min(f.text().len());
                o - f.line_span(f.line_of(o)).start <= MAX_SNIPPET_COLUMN
            })
    }

    /// `wanted` lines of context before or after `line`,
    /// fewer where a line on the way is too long to show.
    fn context(&self, line: usize, wanted: usize, before: bool) -> usize {
        let f = &self.file;
        (1..=wanted)
            .take_while(|&k| {
                let l = if before {
                    line.checked_sub(k)
                } else {
                    Some(line + k)
                };
                l.is_some_and(|l| l >= 1 && f.line_span(l).len() <= MAX_SHOWN_LINE)
            })
            .count()
    }
}

/// The longest line a snippet shows, in bytes.
const MAX_SHOWN_LINE: usize = 1_000;
/// The most lines a finding's own span may cover and still be drawn.
const MAX_SNIPPET_LINES: usize = 20;

impl SourceCode for Windowed {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let f = &self.file;
        let text = self.shown.as_deref().unwrap_or(f.text());
        let start = span.offset().saturating_sub(self.shift);
        let end = start + span.len();
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        // The lines miette shows, and one more on each side for its own scan, but no
        // context line too long to show: the slice stops short of it, and miette
        // (still asked for its context, so that it starts at a line's start) finds
        // fewer lines.
        let shown_before = self.context(f.line_of(start), before, true);
        let shown_after = self.context(f.line_of(end), after, false);
        let extra = |shown: usize, wanted: usize| usize::from(shown == wanted);
        let first = f
            .line_of(start)
            .saturating_sub(shown_before + extra(shown_before, before))
            .max(1);
        let from = f.line_start(first);
        let to = f.line_start(f.line_of(end) + shown_after + 1 + extra(shown_after, after));
        let local = SourceSpan::new((start - from).into(), span.len());
        let c = text[from..to].read_span(&local, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            c.data(),
            SourceSpan::new(
                (c.span().offset() + from + self.shift).into(),
                c.span().len(),
            ),
            c.line() + first - 1,
            // miette counts the column in bytes and shows it in the `[file:line:col]`
            // header; SPEC counts characters, as every other format does.
            f.locate(start).column - 1,
            c.line_count(),
        )))
    }
}

/// A finding dressed for miette.
struct Finding<'a> {
    d: &'a Diagnostic,
    src: &'a Windowed,
    origin: Option<OriginNote<'a>>,
}

/// "required by profile `adr`", with the profile's TOML as its own source.
struct OriginNote<'a> {
    text: String,
    src: Option<&'a Windowed>,
    span: Option<SourceSpan>,
}

impl Finding<'_> {
    fn snippet(&self) -> bool {
        self.src.fits(&self.d.span)
    }
}

impl fmt::Debug for Finding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}
impl fmt::Display for Finding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&escape::terminal(&self.d.message))?;
        if !self.snippet() {
            let p = self.src.file.locate(self.d.span.start);
            write!(
                f,
                " (at {}:{}:{}; the line is too long to show)",
                self.src.name, p.line, p.column
            )?;
        }
        Ok(())
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
            .map(|h| Box::new(escape::terminal(h).into_owned()) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.snippet().then_some(self.src as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if !self.snippet() {
            return None;
        }
        let span = SourceSpan::from(self.d.span.start..self.d.span.end);
        let label = LabeledSpan::new_primary_with_span(
            self.d
                .label
                .as_deref()
                .map(|l| escape::terminal(l).into_owned()),
            span,
        );
        Some(Box::new(std::iter::once(label)))
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        self.origin
            .as_ref()
            .map(|o| Box::new(std::iter::once(o as &dyn miette::Diagnostic)) as Box<_>)
    }
}

impl fmt::Debug for OriginNote<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}
impl fmt::Display for OriginNote<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}
impl std::error::Error for OriginNote<'_> {}

impl miette::Diagnostic for OriginNote<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.src.map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span?;
        self.src?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some("required here".into()), span),
        )))
    }
}

fn origin_note<'a>(o: &Origin, tomls: &'a HashMap<String, Windowed>) -> OriginNote<'a> {
    let src = tomls.get(&o.file);
    // Only the first line of the requirement: the table header, not the whole table.
    let span = match (&o.span, src) {
        (Some(r), Some(s)) if s.fits(r) => {
            let f = &s.file;
            let start = r.start.saturating_sub(s.shift).min(f.text().len());
            let line_end = f.line_end(f.line_of(start)) + s.shift;
            let end = line_end.min(r.end).max(r.start);
            Some(SourceSpan::from(r.start..end))
        }
        _ => None,
    };
    OriginNote {
        text: escape::terminal(&format!("required by profile `{}` ({})", o.profile, o.file))
            .into_owned(),
        src: src.filter(|_| span.is_some()),
        span,
    }
}

/// The width findings are wrapped at.
const WIDTH: usize = 100;

/// Whether wrapping `text` at [`WIDTH`] would leave it as it is: one line of printable
/// ASCII (one column per byte) that fits after miette's widest indent (`  help: `),
/// with no blank at either end and no run of blanks (which a wrapper may trim).
fn fits_one_line(text: &str) -> bool {
    const INDENT: usize = 8;
    text.len() + INDENT + 2 <= WIDTH - 2
        && text.bytes().all(|b| (0x20..0x7f).contains(&b))
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ")
}

/// Each profile's TOML gets its line table once per run, and the handlers are built
/// once, at the first finding.
#[derive(Default)]
pub struct Stream {
    tomls: HashMap<String, Windowed>,
    handlers: Option<(GraphicalReportHandler, GraphicalReportHandler)>,
}

/// miette's handler, and the same without line wrapping, for findings whose texts fit
/// on one line anyway: wrapping them changes nothing, and it is most of what rendering
/// one costs.
fn handlers(color: bool) -> (GraphicalReportHandler, GraphicalReportHandler) {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme.clone())
        .with_width(WIDTH)
        .with_links(false)
        .with_context_lines(1);
    let unwrapped = GraphicalReportHandler::new_themed(theme)
        .with_width(WIDTH)
        .with_links(false)
        .with_context_lines(1)
        .with_wrap_lines(false);
    (handler, unwrapped)
}

pub fn write(out: Writer<'_>, reports: &[FileReport], cx: &ReportCx<'_>) -> io::Result<()> {
    super::write_all(&mut Stream::default(), out, reports, cx)
}

impl super::Stream for Stream {
    fn file(&mut self, out: Writer<'_>, r: &FileReport, cx: &ReportCx<'_>) -> io::Result<()> {
        if let Some(note) = &r.profile_note {
            writeln!(
                out,
                "{}: {}",
                escape::line_start(&r.source.name),
                escape::terminal(note)
            )?;
        }
        if r.diagnostics.is_empty() {
            return Ok(());
        }
        let (handler, unwrapped) = self.handlers.get_or_insert_with(|| handlers(cx.color));
        let tomls = &mut self.tomls;
        let src = Windowed::new(r.source.name.clone(), r.source.clone());
        for d in &r.diagnostics {
            if let Some(o) = &d.origin {
                if let (false, Some(text)) =
                    (tomls.contains_key(&o.file), cx.profile_sources.get(&o.file))
                {
                    tomls.insert(o.file.clone(), Windowed::toml(o.file.clone(), text));
                }
            }
            let finding = Finding {
                d,
                src: &src,
                origin: d.origin.as_ref().map(|o| origin_note(o, tomls)),
            };
            let mut s = String::new();
            let fits = fits_one_line(&finding.to_string())
                && d.help.as_deref().is_none_or(fits_one_line)
                && finding
                    .origin
                    .as_ref()
                    .is_none_or(|o| fits_one_line(&o.text));
            if fits { &*unwrapped } else { &*handler }
                .render_report(&mut s, &finding)
                .map_err(io::Error::other)?;
            // miette ends some lines with a blank (`Advice: ` before a related note).
            for line in s.lines() {
                writeln!(out, "{}", line.trim_end_matches(' '))?;
            }
            writeln!(out)?;
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

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test fails by panicking
mod tests {
    use super::*;

    /// The windowed source renders exactly what miette's own `str` source renders of
    /// the same text.
    #[test]
    fn windowed_source_matches_miette() {
        let text = "# T\r\n\r\nab\rcd\n\u{e9}x\n\n## S\nlast";
        let file = Arc::new(SourceFile::new("t.md", text));
        let windowed = Windowed::new("t.md".into(), file);
        // What miette is given: the text with its lone CR shown as the LF it counts as.
        let shown = escape::same_length(text).unwrap_or_else(|| text.to_string());
        assert_eq!(shown, text.replace("ab\rcd", "ab\ncd"));
        let plain = miette::NamedSource::new("t.md", shown);
        for span in [
            0..3,
            5..5,
            7..9,
            10..12,
            13..16,
            13..20,
            18..22,
            23..27,
            27..27,
        ] {
            for context in [0, 1, 2] {
                let s = SourceSpan::from(span.clone());
                let a = windowed.read_span(&s, context, context).unwrap();
                let b = plain.read_span(&s, context, context).unwrap();
                let what = format!("{span:?}, context {context}");
                assert_eq!(a.data(), b.data(), "{what}");
                assert_eq!(a.span(), b.span(), "{what}");
                // The column in characters where miette's is in bytes.
                let line_start = text[..span.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
                let chars = text[line_start..span.start].chars().count();
                assert_eq!((a.line(), a.column()), (b.line(), chars), "{what}");
                assert_eq!(a.name(), b.name(), "{what}");
            }
        }
        // A TOML file's spans count its BOM.
        let toml = "\u{feff}a = 1\nb = 2\n";
        let windowed = Windowed::toml("p.toml".into(), toml);
        let plain = miette::NamedSource::new("p.toml", toml.to_string());
        let s = SourceSpan::from(13..14);
        let (a, b) = (
            windowed.read_span(&s, 1, 1).unwrap(),
            plain.read_span(&s, 1, 1).unwrap(),
        );
        // The same lines, less the BOM (which a reader does not see either).
        assert_eq!(a.line(), b.line());
        assert_eq!(a.data(), &b.data()[3..]);
        assert_eq!(a.data()[13 - a.span().offset()], b'2');
    }

    /// Turning wrapping off for one-line findings must not change a byte: render a
    /// finding both ways, for texts on either side of the line, with and without colour.
    #[test]
    fn one_line_findings_render_the_same_without_wrapping() {
        let text = "# T\n\nsome [TBD] text\n";
        let file = Arc::new(SourceFile::new("t.md", text));
        let src = Windowed::new("t.md".into(), file);
        let texts = [
            "short".to_string(),
            "x".repeat(WIDTH - 12),
            // Too long for the help line: if the check ever let it through, the two
            // renderings would differ and this test would say so.
            "y".repeat(WIDTH - 8),
            format!("{} end", "word ".repeat(17)),
            "did you mean `docs/adr/0001-record.md`? looked in `docs/` and the repository root"
                .to_string(),
        ];
        let mut checked = 0;
        for theme in [GraphicalTheme::unicode(), GraphicalTheme::unicode_nocolor()] {
            let base = GraphicalReportHandler::new_themed(theme)
                .with_width(WIDTH)
                .with_links(false)
                .with_context_lines(1);
            let unwrapped = base.clone().with_wrap_lines(false);
            for message in &texts {
                for help in &texts {
                    if !(fits_one_line(message) && fits_one_line(help)) {
                        continue;
                    }
                    let d = Diagnostic::new(
                        crate::diagnostic::RuleId::Placeholder,
                        10..15,
                        message.clone(),
                    )
                    .with_label("here")
                    .with_help(help.clone());
                    let finding = Finding {
                        d: &d,
                        src: &src,
                        origin: None,
                    };
                    let (mut a, mut b) = (String::new(), String::new());
                    base.render_report(&mut a, &finding).unwrap();
                    unwrapped.render_report(&mut b, &finding).unwrap();
                    assert_eq!(a, b, "{message:?} / {help:?}");
                    checked += 1;
                }
            }
        }
        assert!(checked >= 8, "{checked}");
        // A longer text is wrapped, so the check must keep it on the wrapping path.
        assert!(!fits_one_line(&"x".repeat(WIDTH)));
        assert!(!fits_one_line("two  spaces"));
        assert!(!fits_one_line("caf\u{e9}"));
    }

    /// miette panics drawing a label past column 65,535: such findings have no snippet.
    #[test]
    fn a_finding_far_into_a_long_line_renders_without_a_snippet() {
        let text = format!("# T\n\n{}x\n", "a".repeat(70_000));
        let d = Diagnostic::new(
            crate::diagnostic::RuleId::Placeholder,
            70_005..70_006,
            "bad",
        );
        let report = FileReport {
            source: Arc::new(SourceFile::new("t.md", text)),
            profile: "core".into(),
            profile_note: None,
            diagnostics: vec![d],
            fixed: Default::default(),
        };
        let (sources, paths) = (HashMap::new(), super::super::Paths::default());
        let cx = ReportCx {
            color: false,
            quiet: true,
            profile_sources: &sources,
            paths: &paths,
            unreadable: 0,
            warnings_limit: Default::default(),
        };
        let mut out = Vec::new();
        write(&mut out, &[report], &cx).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.contains("bad (at t.md:3:70001; the line is too long to show)"),
            "{out}"
        );
    }
}
