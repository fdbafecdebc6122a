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

impl Error {
    /// A TOML file's problems, all at once.
    pub fn toml(what: &'static str, name: &str, text: &str, problems: Vec<TomlProblem>) -> Self {
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
