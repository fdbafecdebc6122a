//! The rule registry. Adding a rule: one file here, one line in `RULES`, fixtures.

use std::ops::Range;

use chrono::NaiveDate;

use crate::diagnostic::{Diagnostic, RuleId, Severity};
use crate::document::Document;
use crate::matching::Matching;
use crate::profile::Profile;
use crate::repo::Repo;
use crate::source::SourceFile;

mod dead_reference;
mod empty_section;
mod heading_level;
mod invalid_date;
mod invalid_suppression;
mod mermaid_syntax;
mod missing_date;
mod missing_diagram;
mod missing_field;
mod missing_section;
mod placeholder;
mod section_order;
mod stale_date;

/// What every rule declares about itself; `archlint rules` and `explain` print it.
pub struct RuleMeta {
    pub id: RuleId,
    pub severity: Severity,
    pub summary: &'static str,
    /// Markdown: What it finds, Why it matters, Options, Examples, Configuration.
    pub docs: &'static str,
}

pub trait Rule: Sync + Send {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cx: &mut CheckCx<'_>);
}

/// Every rule, in the order `archlint rules` lists them.
pub static RULES: &[&dyn Rule] = &[
    &missing_section::MissingSection,
    &section_order::SectionOrder,
    &heading_level::HeadingLevel,
    &missing_field::MissingField,
    &missing_date::MissingDate,
    &invalid_date::InvalidDate,
    &stale_date::StaleDate,
    &missing_diagram::MissingDiagram,
    &mermaid_syntax::MermaidSyntax,
    &dead_reference::DeadReference,
    &placeholder::Placeholder,
    &empty_section::EmptySection,
    &invalid_suppression::InvalidSuppression,
];

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
