//! One diagnostic model for every output format.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// How seriously a finding is taken. `Off` only ever appears in configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A configured level: a severity, or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Warning,
    Error,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

macro_rules! rule_ids {
    ($($module:ident :: $variant:ident = $id:literal: $summary:literal,)*) => {
        /// The stable rule identifiers of SPEC.md, from the registry.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId { $($variant),* }

        impl RuleId {
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant),*];
            pub const fn as_str(self) -> &'static str {
                match self { $(RuleId::$variant => $id),* }
            }
            /// The rule's one-line summary, as `archlint rules` prints it.
            pub const fn summary(self) -> &'static str {
                match self { $(RuleId::$variant => $summary),* }
            }
            pub fn parse(s: &str) -> Option<RuleId> {
                match s { $($id => Some(RuleId::$variant),)* _ => None }
            }
        }
    };
}

crate::registry::for_each_rule!(rule_ids);

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The profile entry that asked for a finding: shown as "required by profile `adr`".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub profile: String,
    /// Where the profile came from: `rules/adr.toml` (built in) or a user path.
    pub file: String,
    /// Byte span of the requirement inside that TOML, when known.
    pub span: Option<Range<usize>>,
}

/// The text of a finding: fixed text, or text shared by findings that say the same
/// thing (a document naming one missing file ten thousand times makes one message).
#[derive(Clone)]
pub enum Text {
    Static(&'static str),
    Shared(Arc<str>),
}

impl Text {
    pub fn as_str(&self) -> &str {
        match self {
            Text::Static(s) => s,
            Text::Shared(s) => s,
        }
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&'static str> for Text {
    fn from(s: &'static str) -> Self {
        Text::Static(s)
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text::Shared(s.into())
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A finding. Lines and columns are never stored here: reporters ask the
/// [`SourceFile`](crate::document::source::SourceFile) for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: RuleId,
    pub severity: Severity,
    /// Half-open byte range; an empty range means "belongs here".
    pub span: Range<usize>,
    pub message: Text,
    /// Short text shown under the span in human output. Label and help are often
    /// fixed text, borrowed rather than copied into every finding.
    pub label: Option<Text>,
    pub help: Option<Text>,
    /// Boxed: few findings have one, and a document may have hundreds of thousands of
    /// findings that would otherwise each carry its room.
    pub origin: Option<Box<Origin>>,
    /// What `--fix` may write for it, when the rule knows (boxed, as `origin`).
    pub fix: Option<Box<Fix>>,
}

/// Replace `span` of the document with `text` (an empty span inserts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Range<usize>,
    pub text: String,
}

/// The edit that resolves a finding, as `--fix` writes it and an editor offers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What the edit does, in a few words (a quick fix's title).
    pub title: String,
    pub edits: Vec<Edit>,
    /// Edits at one place are written in this order (a profile's section order).
    pub rank: usize,
    /// The edit states what only a person can vouch for (today's date as the
    /// document's last update): written only with `--fix-dates`.
    pub claim: bool,
}

impl Fix {
    /// One edit: `text` in place of `span`.
    pub fn new(title: impl Into<String>, span: Range<usize>, text: impl Into<String>) -> Fix {
        Fix {
            title: title.into(),
            edits: vec![Edit {
                span,
                text: text.into(),
            }],
            rank: 0,
            claim: false,
        }
    }

    pub fn ranked(mut self, rank: usize) -> Fix {
        self.rank = rank;
        self
    }

    pub fn claiming(mut self) -> Fix {
        self.claim = true;
        self
    }
}

impl Diagnostic {
    pub fn new(rule: RuleId, span: Range<usize>, message: impl Into<Text>) -> Self {
        Diagnostic {
            rule,
            severity: Severity::Error,
            span,
            message: message.into(),
            label: None,
            help: None,
            origin: None,
            fix: None,
        }
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(Box::new(fix));
        self
    }

    pub fn with_label(mut self, label: impl Into<Text>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<Text>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_origin(mut self, origin: Option<Origin>) -> Self {
        self.origin = origin.map(Box::new);
        self
    }

    /// The total order every report uses: position, then rule, then message.
    pub fn sort_key(&self) -> (usize, usize, RuleId, &str) {
        (self.span.start, self.span.end, self.rule, &self.message)
    }
}
