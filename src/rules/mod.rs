//! The rules and what they share. Adding a rule: its file here, declared with
//! `declare_rule!`, one line in `src/registry.rs` (the registry), and its fixtures.

use std::ops::Range;

use chrono::NaiveDate;

use crate::diagnostic::{Diagnostic, RuleId, Severity};
use crate::document::Document;
use crate::matching::Matching;
use crate::profile::Profile;
use crate::repo::Repo;
use crate::source::SourceFile;

/// What every rule declares about itself; `archlint rules` and `explain` print it.
pub struct RuleMeta {
    pub id: RuleId,
    pub severity: Severity,
    pub summary: &'static str,
    /// Markdown: What it finds, Why it matters, Options, Examples, Configuration.
    pub docs: &'static str,
}

/// A rule's declaration, written by [`declare_rule!`].
pub trait Declared {
    fn meta(&self) -> &'static RuleMeta;
}

pub trait Rule: Declared + Sync + Send {
    fn check(&self, cx: &mut CheckCx<'_>);
}

/// Declares a rule's type, its default severity and its documentation; the id is the
/// type's name in `RuleId`, whose id text and summary are the registry's
/// (`src/registry.rs`).
///
/// ```ignore
/// declare_rule! {
///     EmptySection,
///     severity: Warning,
///     docs: r#"## What it finds ..."#,
/// }
/// ```
macro_rules! declare_rule {
    ($ty:ident, severity: $severity:ident, docs: $docs:expr $(,)?) => {
        pub struct $ty;

        static META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
            id: $crate::diagnostic::RuleId::$ty,
            severity: $crate::diagnostic::Severity::$severity,
            summary: $crate::diagnostic::RuleId::$ty.summary(),
            docs: $docs,
        };

        impl $crate::rules::Declared for $ty {
            fn meta(&self) -> &'static $crate::rules::RuleMeta {
                &META
            }
        }
    };
}

macro_rules! rule_modules {
    ($($module:ident :: $ty:ident = $id:literal: $summary:literal,)*) => {
        $(mod $module;)*

        /// Every rule, in the registry's order.
        pub static RULES: &[&dyn Rule] = &[$(&$module::$ty),*];
    };
}

crate::registry::for_each_rule!(rule_modules);

pub(crate) use invalid_suppression::unused as unused_suppression;

pub fn find(id: RuleId) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.meta().id == id)
}

/// Everything a rule may look at. Facts several rules need are computed once, here.
pub struct CheckCx<'a> {
    pub file: &'a SourceFile,
    pub doc: &'a Document,
    pub profile: &'a Profile,
    pub matching: &'a Matching,
    /// Placeholder hits in prose, sorted.
    pub placeholders: &'a [Range<usize>],
    /// Code blocks that are a template example left verbatim.
    pub example_blocks: &'a [Range<usize>],
    pub today: NaiveDate,
    /// The effective maximum age for `stale-date`.
    pub max_age_days: i64,
    /// Suppression directives that could not be understood.
    pub bad_suppressions: &'a [(Range<usize>, String)],
    /// The repository the document lives in, for reference checks.
    pub repo: Option<&'a Repo>,
    /// `Label: value` lines, found on first use and shared by the date rules.
    pub(crate) label_lines: std::cell::OnceCell<Vec<crate::doc_date::LabelLine>>,
    /// The last-updated date line, found on first use and shared by the date rules.
    pub(crate) last_updated: std::cell::OnceCell<Option<crate::doc_date::DatedLine>>,
    pub(crate) out: Vec<Diagnostic>,
}

impl CheckCx<'_> {
    pub fn label_lines(&self) -> &[crate::doc_date::LabelLine] {
        self.label_lines.get_or_init(|| {
            let labels = self
                .profile
                .date
                .as_ref()
                .map_or(&[][..], |d| &d.labels[..]);
            crate::doc_date::label_lines(self.file, self.doc, labels)
        })
    }

    /// The last-updated date line the profile's `[date]` asks for, found once per
    /// document and shared by the three date rules (reading a value's date runs a
    /// pattern of five forms).
    pub fn last_updated(&self) -> Option<crate::doc_date::DatedLine> {
        self.last_updated
            .get_or_init(|| {
                let req = self.profile.date.as_ref()?;
                crate::doc_date::last_updated(self.file, self.doc, self.label_lines(), req)
            })
            .clone()
    }

    /// Other dated fields (`Next Review Date`), checked only to parse.
    pub fn other_dates(
        &self,
        req: Option<&crate::profile::DateReq>,
    ) -> Vec<crate::doc_date::DatedLine> {
        crate::doc_date::other_dates(self.file, self.label_lines(), req)
    }

    pub fn report(&mut self, d: Diagnostic) {
        self.out.push(d);
    }

    pub fn text(&self) -> &str {
        self.file.text()
    }

    /// The heading text of a document section, for messages.
    pub fn heading(&self, section: usize) -> &str {
        &self.doc.sections[section].text
    }

    /// Whether `range` lies inside one of the placeholder hits.
    pub fn overlaps_placeholder(&self, range: &Range<usize>) -> bool {
        let i = self.placeholders.partition_point(|p| p.end <= range.start);
        self.placeholders
            .get(i)
            .is_some_and(|p| p.start < range.end.max(range.start + 1))
    }

    /// Where a document-wide finding points: the title, or the start of the file.
    pub fn title_span(&self) -> Range<usize> {
        match self.doc.title() {
            Some(t) => self.doc.sections[t].heading_span.clone(),
            None => 0..0,
        }
    }
}

/// `##` for level 2.
pub fn hashes(level: u8) -> String {
    "#".repeat(level as usize)
}
