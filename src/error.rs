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
    #[error("cannot read `{path}`: {source}")]
    #[diagnostic(code(archlint::io))]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot write `{path}`: {source}")]
    #[diagnostic(code(archlint::io))]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("`{path}` already exists")]
    #[diagnostic(code(archlint::exists), help("pass --force to overwrite it"))]
    Exists { path: PathBuf },

    #[error("`{path}` is not valid UTF-8 (first invalid byte at offset {offset})")]
    #[diagnostic(
        code(archlint::encoding),
        help("archlint reads Markdown as UTF-8; convert the file, e.g. with `iconv -t UTF-8`")
    )]
    InvalidUtf8 { path: PathBuf, offset: usize },

    #[error("`{path}` is not a text document (it contains NUL bytes)")]
    #[diagnostic(code(archlint::binary))]
    Binary { path: PathBuf },

    #[error("`{path}` is larger than {limit} bytes, the most archlint reads as a document")]
    #[diagnostic(code(archlint::too_large))]
    DocumentTooLarge { path: PathBuf, limit: u64 },

    #[error("`{path}` is larger than {limit} bytes, too large for a profile or configuration")]
    #[diagnostic(code(archlint::too_large))]
    TooLarge { path: PathBuf, limit: u64 },

    #[error("`{path}` does not exist")]
    #[diagnostic(code(archlint::not_found))]
    NotFound { path: PathBuf },

    #[error("`{path}` is not a regular file or directory")]
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
                    let f = file.get_or_insert_with(|| crate::source::SourceFile::new(name, text));
                    let at = f.locate(start - (text.len() - f.text().len()));
                    p.message = format!("{} (line {}, column {})", p.message, at.line, at.column);
                    p.span = None;
                }
                p
            })
            .collect();
        Error::Toml(Box::new(TomlError {
            what,
            name: name.to_string(),
            src: NamedSource::new(name, text.to_string()),
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
