//! Everything that is not a finding: I/O, bad input, broken configuration.
//! Findings are data ([`Diagnostic`](crate::diagnostic::Diagnostic)), never `Err`.

use std::ops::Range;
use std::path::PathBuf;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// One problem inside a TOML file (profile or config), with its span.
#[derive(Debug, Error, Diagnostic, Clone)]
#[error("{message}")]
pub struct TomlProblem {
    pub message: String,
    #[label("{label}")]
    pub span: Option<SourceSpan>,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

impl TomlProblem {
    pub fn new(message: impl Into<String>, span: Option<Range<usize>>) -> Self {
        TomlProblem {
            message: message.into(),
            span: span.filter(|r| r.end > 0 || r.start > 0).map(Into::into),
            label: "here".into(),
            help: None,
        }
    }
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

#[derive(Debug, Error, Diagnostic)]
pub enum Error {
    #[error("cannot read `{}`: {source}", shown(path))]
    #[diagnostic(code(archlint::io))]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot write `{}`: {source}", shown(path))]
    #[diagnostic(code(archlint::io))]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("`{}` already exists", shown(path))]
    #[diagnostic(code(archlint::exists), help("pass --force to overwrite it"))]
    Exists { path: PathBuf },

    #[error(
        "`{}` is not valid UTF-8 (first invalid byte at offset {offset})",
        shown(path)
    )]
    #[diagnostic(
        code(archlint::encoding),
        help("archlint reads Markdown as UTF-8; convert the file, e.g. with `iconv -t UTF-8`")
    )]
    InvalidUtf8 { path: PathBuf, offset: usize },

    #[error("`{}` is not a text document (it contains NUL bytes)", shown(path))]
    #[diagnostic(code(archlint::binary))]
    Binary { path: PathBuf },

    #[error(
        "`{}` is larger than {limit} bytes, the most archlint reads as a document",
        shown(path)
    )]
    #[diagnostic(code(archlint::too_large))]
    DocumentTooLarge { path: PathBuf, limit: u64 },

    #[error(
        "`{}` is larger than {limit} bytes, too large for a profile or configuration",
        shown(path)
    )]
    #[diagnostic(code(archlint::too_large))]
    TooLarge { path: PathBuf, limit: u64 },

    #[error("`{}` does not exist", shown(path))]
    #[diagnostic(code(archlint::not_found))]
    NotFound { path: PathBuf },

    #[error("`{}` is not a regular file or directory", shown(path))]
    #[diagnostic(code(archlint::not_a_file))]
    NotAFile { path: PathBuf },

    #[error("{message}")]
    #[diagnostic(code(archlint::usage))]
    Usage {
        message: String,
        #[help]
        help: Option<String>,
    },

    #[error(transparent)]
    #[diagnostic(transparent)]
    Toml(Box<TomlError>),

    #[error("{message}")]
    #[diagnostic(code(archlint::walk))]
    Walk { message: String },

    /// The profile a document names for itself cannot be loaded. Reported for that
    /// document at the line that names it; the other documents are still checked.
    #[error("{file}:{line}:{column}: this document's profile `{name}` cannot be used")]
    #[diagnostic(
        code(archlint::document_profile),
        help(
            "fix the `archlint-profile` front-matter key or the `<!-- archlint: profile=… -->` \
             comment; `archlint profiles` lists the built-in names"
        )
    )]
    DocumentProfile {
        file: String,
        line: usize,
        column: usize,
        name: String,
        #[diagnostic_source]
        cause: Box<dyn Diagnostic + Send + Sync>,
    },

    /// A folder or file named on the command line yielded no document to check.
    #[error("no document to check in `{path}`: {why}")]
    #[diagnostic(code(archlint::no_documents))]
    NoDocuments {
        path: String,
        why: String,
        #[help]
        help: Option<String>,
    },

    /// Standard input holds more than the largest document archlint reads.
    #[error(
        "standard input (`{name}`) is larger than {limit} bytes, the most archlint reads as a document"
    )]
    #[diagnostic(code(archlint::too_large))]
    StdinTooLarge { name: PathBuf, limit: u64 },

    /// A write that would replace or reach what it must not (src/fs/atomic.rs): a folder,
    /// a FIFO nobody reads, a link to nothing or out of the repository.
    #[error("cannot write `{}`: {reason}", shown(path))]
    #[diagnostic(code(archlint::write_refused))]
    WriteRefused {
        path: PathBuf,
        reason: String,
        #[help]
        help: Option<String>,
    },
}

/// A profile or configuration file with problems, each labelled at its TOML span.
#[derive(Debug, Error, Diagnostic)]
#[error("invalid {what} `{name}`")]
#[diagnostic(code(archlint::toml))]
pub struct TomlError {
    /// "profile" or "configuration".
    pub what: &'static str,
    pub name: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[related]
    pub problems: Vec<TomlProblem>,
}

/// miette pads a label to its column with a `{:width$}` format, which panics past
/// `u16::MAX`; a column counts at most four cells per byte (a tab), so a span starting
/// further than this into its line is reported without a snippet.
pub const MAX_SNIPPET_COLUMN: usize = 16_000;

impl Error {
    /// A TOML file's problems, all at once.
    pub fn toml(what: &'static str, name: &str, text: &str, problems: Vec<TomlProblem>) -> Self {
        let mut file = None;
        let problems = problems
            .into_iter()
            .map(|mut p| {
                let Some(span) = p.span else { return p };
                let start = span.offset().min(text.len());
                let line_start = text.as_bytes()[..start]
                    .iter()
                    .rposition(|&b| b == b'\n' || b == b'\r')
                    .map_or(0, |i| i + 1);
                if start - line_start > MAX_SNIPPET_COLUMN {
                    // Too far into its line to draw: name the place instead.
                    let f = file.get_or_insert_with(|| {
                        crate::document::source::SourceFile::new(name, text)
                    });
                    let at = f.locate(start - (text.len() - f.text().len()));
                    p.message = format!("{} (line {}, column {})", p.message, at.line, at.column);
                    p.span = None;
                }
                p
            })
            .collect();
        let name = crate::report::escape::terminal(name).into_owned();
        Error::Toml(Box::new(TomlError {
            what,
            src: NamedSource::new(name.clone(), text.to_string()),
            name,
            problems,
        }))
    }

    /// The same error with each TOML problem located by line and column but none of
    /// the file's text: no snippet, and in a parser message, none of the quoted input
    /// (`invalid type: string "…"`, `unknown field `…``). For a file that repository
    /// content named, which may be any file of the repository's.
    pub fn without_source_text(self) -> Self {
        let Error::Toml(te) = self else {
            return self;
        };
        let TomlError {
            what,
            name,
            src,
            problems,
        } = *te;
        let text = src.inner();
        let file = crate::document::source::SourceFile::new(name.as_str(), text.as_str());
        // Spans count a leading BOM, which the line table drops.
        let shift = text.len() - file.text().len();
        let problems = problems
            .into_iter()
            .map(|p| {
                let at = p
                    .span
                    .map(|s| file.locate(s.offset().saturating_sub(shift)))
                    .map(|at| format!(" (line {}, column {})", at.line, at.column))
                    .unwrap_or_default();
                TomlProblem {
                    message: format!("{}{at}", redact_quoted_input(&p.message)),
                    span: None,
                    label: p.label,
                    help: p.help,
                }
            })
            .collect();
        Error::Toml(Box::new(TomlError {
            what,
            src: NamedSource::new(name.clone(), String::new()),
            name,
            problems,
        }))
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
            help: None,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A path in an error message: a repository's file names may hold newlines or
/// terminal controls, which would forge lines in a CI log; they are shown escaped.
fn shown(path: &std::path::Path) -> String {
    crate::report::escape::terminal(&path.display().to_string()).into_owned()
}

/// A parser message with what it quotes of the input left out: the part before
/// `, expected` describes the input (`invalid type: string "x"`), the rest the schema.
fn redact_quoted_input(message: &str) -> String {
    let (input, schema) = match message.find(", expected") {
        Some(i) => message.split_at(i),
        None => (message, ""),
    };
    let mut out = String::with_capacity(message.len());
    let mut quote: Option<char> = None;
    for c in input.chars() {
        match quote {
            Some(q) if c == q => {
                out.push('…');
                out.push(c);
                quote = None;
            }
            Some(_) => {}
            None => {
                out.push(c);
                if c == '"' || c == '`' {
                    quote = Some(c);
                }
            }
        }
    }
    if quote.is_some() {
        out.push('…');
    }
    out.push_str(schema);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_input_is_left_out_and_the_schema_kept() {
        assert_eq!(
            redact_quoted_input("invalid type: string \"hunter2\", expected a sequence"),
            "invalid type: string \"…\", expected a sequence"
        );
        assert_eq!(
            redact_quoted_input("unknown field `api_key`, expected one of `name`, `sections`"),
            "unknown field `…`, expected one of `name`, `sections`"
        );
        assert_eq!(
            redact_quoted_input("key with no value, expected `=`"),
            "key with no value, expected `=`"
        );
        assert_eq!(redact_quoted_input("cut `abc"), "cut `…");
    }
}
