//! `github`: GitHub Actions workflow commands, one annotation per finding.
//!
//! `::error file=F,line=L,endLine=EL,col=C,endColumn=EC,title=archlint (rule)::F:L:C: message`
//! (CONVENTIONS 1.3). The message repeats `path:line:col:` so the raw log reads well,
//! as ruff's and oxlint's do. Property values escape `%`, CR, LF, `:` and `,`, so a file
//! name cannot start a property of its own; the message escapes only `%`, CR and LF,
//! because the runner decodes nothing else there.

use std::io;

use super::{escape, FileReport, Region, ReportCx, Writer};
use crate::diagnostic::Severity;

pub struct Stream;

pub fn write(out: Writer<'_>, reports: &[FileReport], cx: &ReportCx<'_>) -> io::Result<()> {
    super::write_all(&mut Stream, out, reports, cx)
}

impl super::Stream for Stream {
    fn file(&mut self, out: Writer<'_>, r: &FileReport, cx: &ReportCx<'_>) -> io::Result<()> {
        // A relative `file` must be relative to the workspace, not to the step's
        // working directory; without a workspace, the path as the user gave it.
        let file = cx
            .paths
            .github_workspace
            .as_deref()
            .and_then(|ws| cx.paths.relative(r, ws))
            .unwrap_or_else(|| r.source.name.clone());
        // A name with a control or bidirectional character (other than the CR and LF
        // that the property encoding carries) cannot be written raw, and the runner
        // decodes no other escape: such an annotation is left unplaced, on the run
        // rather than on a file, and its message names the file escaped.
        let placeable = !file
            .chars()
            .any(|c| !matches!(c, '\r' | '\n') && escape::needs_escape(c));
        for d in &r.diagnostics {
            let Region { start, end } = Region::of(&r.source, d);
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let mut props = Vec::new();
            if placeable {
                props.push(format!("file={}", escape_property(&file)));
                props.push(format!("line={}", start.line));
                props.push(format!("endLine={}", end.line));
            }
            // The runner drops columns of a span that crosses lines; leave them out.
            if placeable && start.line == end.line {
                // GitHub's endColumn is inclusive.
                let end_column = end.column.saturating_sub(1).max(start.column);
                props.push(format!("col={}", start.column));
                props.push(format!("endColumn={end_column}"));
            }
            props.push(format!(
                "title={}",
                escape_property(&format!("archlint ({})", d.rule))
            ));
            // The log shows the message: text from the repository gets no raw control
            // characters into it.
            let mut message = format!(
                "{}:{}:{}: {}",
                escape::terminal(&file),
                start.line,
                start.column,
                escape::terminal(&d.message)
            );
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(&escape::terminal(help));
            }
            writeln!(
                out,
                "::{command} {}::{}",
                props.join(","),
                escape_data(&message)
            )?;
        }
        Ok(())
    }
}

/// The message of a workflow command: `%` first, then CR and LF.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: as the message, plus `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_is_escaped_first() {
        assert_eq!(escape_data("100%\n"), "100%25%0A");
        assert_eq!(escape_property("a%0A,b:c\r"), "a%250A%2Cb%3Ac%0D");
    }

    #[test]
    fn message_keeps_colons_and_commas() {
        assert_eq!(escape_data("a: b, c"), "a: b, c");
    }
}
