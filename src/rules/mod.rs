//! The rules and what they share. Adding a rule: its file here, declared with
//! `declare_rule!`, one line in `src/registry.rs` (the registry), and its fixtures.

use std::ops::Range;

use chrono::NaiveDate;

use crate::diagnostic::{Diagnostic, Edit, RuleId, Severity};
use crate::document::source::SourceFile;
use crate::document::Document;
use crate::facts::matching::Matching;
use crate::fs::repo::Repo;
use crate::profile::Profile;

pub mod options;

/// What every rule declares about itself; `archlint rules` and `explain` print it.
pub struct RuleMeta {
    pub id: RuleId,
    pub severity: Severity,
    /// Whether it runs (at `severity`) where no profile or configuration sets its
    /// level; `doc-drift`, which reads git history, does not.
    pub on_by_default: bool,
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
/// A rule with options names its `Options` type (see [`options::RuleOptions`]); one
/// without has none, and its `[rules.<id>]` table takes only `level`.
///
/// ```ignore
/// declare_rule! {
///     StaleDate,
///     severity: Warning,
///     options: Options,
///     docs: r#"## What it finds ..."#,
/// }
/// ```
macro_rules! declare_rule {
    ($ty:ident, severity: $severity:ident, docs: $docs:expr $(,)?) => {
        declare_rule! {
            $ty,
            severity: $severity,
            options: $crate::rules::options::NoOptions,
            docs: $docs,
        }
    };
    ($ty:ident, severity: $severity:ident, options: $options:ty, docs: $docs:expr $(,)?) => {
        declare_rule! { @declare $ty, $severity, true, $options, $docs }
    };
    // Off unless a profile or the configuration gives it a level.
    ($ty:ident, severity: $severity:ident, off_by_default, options: $options:ty, docs: $docs:expr $(,)?) => {
        declare_rule! { @declare $ty, $severity, false, $options, $docs }
    };
    (@declare $ty:ident, $severity:ident, $on:literal, $options:ty, $docs:expr) => {
        pub struct $ty;

        impl $crate::rules::options::Configurable for $ty {
            const ID: $crate::diagnostic::RuleId = $crate::diagnostic::RuleId::$ty;
            type Options = $options;
        }

        static META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
            id: $crate::diagnostic::RuleId::$ty,
            severity: $crate::diagnostic::Severity::$severity,
            on_by_default: $on,
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

        /// Reads rule `id`'s options (its `[rules.<id>]` table without `level`).
        pub(crate) fn read_options<'de, D: serde::Deserializer<'de>>(
            id: RuleId,
            d: D,
        ) -> Result<std::sync::Arc<dyn options::AnyOptions>, D::Error> {
            match id {
                $(RuleId::$ty => {
                    let o = <<$module::$ty as options::Configurable>::Options as serde::Deserialize>::deserialize(d)?;
                    Ok(std::sync::Arc::new(o))
                })*
            }
        }

        /// The JSON schema of rule `id`'s table in a configuration's `[rules]`.
        pub(crate) fn options_schema(
            id: RuleId,
            generator: &mut schemars::SchemaGenerator,
            level: schemars::Schema,
        ) -> schemars::Schema {
            match id {
                $(RuleId::$ty => options::table_schema::<
                    <$module::$ty as options::Configurable>::Options,
                >(generator, level),)*
            }
        }

        /// The rule one of whose options is called `key`, if any.
        pub(crate) fn option_owner(key: &str) -> Option<RuleId> {
            $(if options::option_names::<<$module::$ty as options::Configurable>::Options>()
                .iter()
                .any(|k| k == key)
            {
                return Some(RuleId::$ty);
            })*
            None
        }
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
    /// Each rule's options from the configuration.
    pub options: &'a options::OptionSet,
    /// Suppression directives that could not be understood.
    pub bad_suppressions: &'a [(Range<usize>, String)],
    /// The repository the document lives in, for reference checks.
    pub repo: Option<&'a Repo>,
    /// `Label: value` lines, found on first use and shared by the date rules.
    pub(crate) label_lines: std::cell::OnceCell<Vec<crate::facts::doc_date::LabelLine>>,
    /// The last-updated date line, found on first use and shared by the date rules.
    pub(crate) last_updated: std::cell::OnceCell<Option<crate::facts::doc_date::DatedLine>>,
    /// The folder of decision records the document is in, found on first use and
    /// shared by the collection rules.
    pub(crate) collection: std::cell::OnceCell<Option<Membership>>,
    /// The paths the document refers to, found on first use and shared by
    /// `dead-reference` and `doc-drift`.
    pub(crate) references: std::cell::OnceCell<Vec<dead_reference::Reference>>,
    pub(crate) out: Vec<Diagnostic>,
}

impl CheckCx<'_> {
    pub fn label_lines(&self) -> &[crate::facts::doc_date::LabelLine] {
        self.label_lines.get_or_init(|| {
            let labels = self
                .profile
                .date
                .as_ref()
                .map_or(&[][..], |d| &d.labels[..]);
            crate::facts::doc_date::label_lines(self.file, self.doc, labels)
        })
    }

    /// The last-updated date line the profile's `[date]` asks for, found once per
    /// document and shared by the three date rules (reading a value's date runs a
    /// pattern of five forms).
    pub fn last_updated(&self) -> Option<crate::facts::doc_date::DatedLine> {
        self.last_updated
            .get_or_init(|| {
                let req = self.profile.date.as_ref()?;
                crate::facts::doc_date::last_updated(self.file, self.doc, self.label_lines(), req)
            })
            .clone()
    }

    /// The folder of decision records this document belongs to, if its folder is one,
    /// and this document's own facts as a record (or `None` for the folder's index);
    /// found once per document and shared by the collection rules.
    pub fn collection(
        &self,
    ) -> Option<(
        &crate::facts::collection::Collection,
        Option<&crate::facts::collection::Record>,
    )> {
        let m = self
            .collection
            .get_or_init(|| {
                let c = self.repo?.collection()?;
                let name = std::path::Path::new(&self.file.name)
                    .file_name()?
                    .to_str()?
                    .to_string();
                if c.get(&name).is_some() {
                    let me = crate::facts::collection::as_record(&c, &name, self.text());
                    return me.map(|me| (c, Some(me)));
                }
                // The index lists the records.
                c.index.as_ref().filter(|(n, _)| *n == name)?;
                c.index_lists_records().then_some((c, None))
            })
            .as_ref()?;
        Some((&m.0, m.1.as_ref()))
    }

    /// Whether the document is the index of a folder of decision records (its
    /// `README.md` or `index.md`), which is no record itself.
    pub fn is_folder_index(&self) -> bool {
        self.repo
            .is_some_and(|r| r.is_collection_index(&self.file.name))
    }

    /// The document's references (empty without a repository to resolve them in),
    /// collected once per document.
    pub(crate) fn references(&self) -> &[dead_reference::Reference] {
        self.references.get_or_init(|| match self.repo {
            Some(repo) => dead_reference::collect(self.file, self.doc, repo),
            None => Vec::new(),
        })
    }

    /// Other dated fields (`Next Review Date`), checked only to parse.
    pub fn other_dates(
        &self,
        req: Option<&crate::profile::DateReq>,
    ) -> Vec<crate::facts::doc_date::DatedLine> {
        crate::facts::doc_date::other_dates(self.file, self.label_lines(), req)
    }

    /// Rule `R`'s options from the configuration (its defaults where none are set).
    pub fn options<R: options::Configurable>(&self) -> R::Options {
        self.options.get::<R>()
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

    /// The facts of another record of this document's folder, read on demand.
    pub fn record(&self, name: &str) -> Option<crate::facts::collection::Record> {
        self.repo?.record(name)
    }

    /// Whether `range` lies inside one of the placeholder hits.
    pub fn overlaps_placeholder(&self, range: &Range<usize>) -> bool {
        let i = self.placeholders.partition_point(|p| p.end <= range.start);
        self.placeholders
            .get(i)
            .is_some_and(|p| p.start < range.end.max(range.start + 1))
    }

    /// The line ending the document uses (its first), for text a fix writes.
    pub fn newline(&self) -> &'static str {
        let text = self.text();
        match memchr::memchr(b'\n', text.as_bytes()) {
            Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
            _ => "\n",
        }
    }

    /// An edit that puts `block` (lines joined by [`CheckCx::newline`]) on lines of
    /// its own after the line holding `offset`, with a blank line on either side.
    pub fn block_after_line(&self, offset: usize, block: &str) -> Edit {
        let nl = self.newline();
        let text = self.text();
        let line = self.file.line_of(offset);
        let at = self.file.line_start(line + 1);
        // After the last line with text: where every edit at the end goes, so that
        // edits there are ordered by their rank alone.
        if text[at.min(text.len())..].trim().is_empty() {
            return self.block_after_text(text.trim_end().len(), block);
        }
        let mut out = String::new();
        if at == text.len() && !text.is_empty() && !text.ends_with('\n') {
            out.push_str(nl);
        }
        out.push_str(nl);
        out.push_str(block);
        out.push_str(nl);
        if at < text.len() && !self.file.line_text(line + 1).trim().is_empty() {
            out.push_str(nl);
        }
        Edit {
            span: at..at,
            text: out,
        }
    }

    /// An edit that puts `block` on lines of its own just before the line starting
    /// at `at`, followed by a blank line (and after one, when the line above has
    /// text).
    pub fn block_before_line(&self, at: usize, block: &str) -> Edit {
        let nl = self.newline();
        let mut out = String::new();
        let line = self.file.line_of(at);
        if line > 1 && !self.file.line_text(line - 1).trim().is_empty() {
            out.push_str(nl);
        }
        out.push_str(block);
        out.push_str(nl);
        out.push_str(nl);
        Edit {
            span: at..at,
            text: out,
        }
    }

    /// An edit that puts `block` after the text ending at `end` (the end of the last
    /// line with text in a section or the document), after a blank line.
    pub fn block_after_text(&self, end: usize, block: &str) -> Edit {
        let nl = self.newline();
        let mut out = String::new();
        if end > 0 {
            out.push_str(nl);
            out.push_str(nl);
        }
        out.push_str(block);
        if end == self.text().len() {
            out.push_str(nl);
        }
        Edit {
            span: end..end,
            text: out,
        }
    }

    /// Where a document-wide finding points: the title, or the start of the file.
    pub fn title_span(&self) -> Range<usize> {
        match self.doc.title() {
            Some(t) => self.doc.sections[t].heading_span.clone(),
            None => 0..0,
        }
    }
}

/// A document's place in a folder of decision records: the folder, and the
/// document's own facts as a record (none for the index).
pub(crate) type Membership = (
    std::sync::Arc<crate::facts::collection::Collection>,
    Option<crate::facts::collection::Record>,
);

/// `##` for level 2.
pub fn hashes(level: u8) -> String {
    "#".repeat(level as usize)
}
