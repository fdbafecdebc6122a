//! Reporters: one file per `--format`, all over the same [`FileReport`]s.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceFile;

pub mod human;
pub mod json;
pub mod short;

/// The findings for one checked document.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub source: Arc<SourceFile>,
    /// The profile the document was checked against.
    pub profile: String,
    /// Why this profile was chosen, when archlint chose it (`--profile auto`).
    pub profile_note: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Totals over a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub files_with_findings: usize,
    pub errors: usize,
    pub warnings: usize,
}

impl Summary {
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut s = Summary {
            files: reports.len(),
            ..Summary::default()
        };
        for r in reports {
            if !r.diagnostics.is_empty() {
                s.files_with_findings += 1;
            }
            for d in &r.diagnostics {
                match d.severity {
                    Severity::Error => s.errors += 1,
                    Severity::Warning => s.warnings += 1,
                }
            }
        }
        s
    }
}

/// What reporters may need besides the findings.
pub struct ReportCx<'a> {
    pub color: bool,
    pub quiet: bool,
    /// Profile TOML texts by the file name origins use, to show "required by".
    pub profile_sources: &'a HashMap<String, Arc<str>>,
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The closing line of human and short output, in ruff's spirit.
pub fn summary_line(s: &Summary) -> String {
    if s.errors == 0 && s.warnings == 0 {
        return format!("All checks passed ({} checked).", plural(s.files, "file"));
    }
    format!(
        "Found {} and {} in {} ({} checked).",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.files_with_findings, "file"),
        plural(s.files, "file"),
    )
}

pub type Writer<'a> = &'a mut dyn Write;
