//! One document through the pipeline: parse → outline → rules → suppress → sort.

pub mod fix;
pub mod ordered;
pub mod suppress;

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::diagnostic::{Diagnostic, Level, RuleId};
use crate::document::source::SourceFile;
use crate::document::Document;
use crate::facts::matching::Matching;
use crate::facts::placeholders;
use crate::fs::repo::Repo;
use crate::lint::suppress::Suppressions;
use crate::profile::Profile;
use crate::rules::options::OptionSet;
use crate::rules::{CheckCx, RULES};

/// Run-wide settings that shape linting (not output).
#[derive(Debug, Clone)]
pub struct LintOptions {
    pub today: NaiveDate,
    /// Levels from configuration; they win over the profile's and the rule's defaults.
    pub levels: BTreeMap<RuleId, Level>,
    /// Rule options from configuration.
    pub options: OptionSet,
    pub report_unused_suppressions: bool,
}

impl LintOptions {
    pub fn new(today: NaiveDate) -> Self {
        LintOptions {
            today,
            levels: BTreeMap::new(),
            options: OptionSet::default(),
            report_unused_suppressions: false,
        }
    }
}

/// The level a rule runs at for this profile and configuration.
pub fn effective_level(rule: RuleId, profile: &Profile, opts: &LintOptions) -> Level {
    if let Some(l) = opts.levels.get(&rule) {
        return *l;
    }
    if let Some(l) = profile.level(rule) {
        return l;
    }
    match crate::rules::find(rule) {
        Some(r) if !r.meta().on_by_default => Level::Off,
        Some(r) => match r.meta().severity {
            crate::diagnostic::Severity::Error => Level::Error,
            crate::diagnostic::Severity::Warning => Level::Warning,
        },
        None => Level::Off,
    }
}

/// Lint one document. Findings come back sorted; their severity is the effective one.
pub fn lint_source(
    file: &SourceFile,
    profile: &Profile,
    opts: &LintOptions,
    repo: Option<&Repo>,
) -> Vec<Diagnostic> {
    let doc = Document::parse(file);
    let found = run_rules(file, &doc, profile, opts, repo);
    drop(doc);
    found.finish(file)
}

/// [`lint_source`] for a document already parsed.
pub fn lint_document(
    file: &SourceFile,
    doc: &Document,
    profile: &Profile,
    opts: &LintOptions,
    repo: Option<&Repo>,
) -> Vec<Diagnostic> {
    run_rules(file, doc, profile, opts, repo).finish(file)
}

/// What the rules found, before suppressions and sorting. These need only the source,
/// so the caller can let go of the outline first (a large document's outline and its
/// findings are the two big things alive at once).
pub struct Unsorted {
    /// Each rule's findings, shrunk to their count: one vector for all of them would be
    /// doubled to room for twice as many while the outline is still held.
    parts: Vec<Vec<Diagnostic>>,
    suppressions: Suppressions,
    /// The level `invalid-suppression` reports unused suppressions at, if it does.
    unused: Option<crate::diagnostic::Severity>,
}

/// The rules that hold a document to its profile's structure. Under a record profile
/// they skip the index of a folder of decision records (its `README.md` or
/// `index.md`): the index is no record, and the folder rules check what it lists.
const RECORD_STRUCTURE: &[RuleId] = &[
    RuleId::MissingSection,
    RuleId::SectionOrder,
    RuleId::HeadingLevel,
    RuleId::MissingField,
    RuleId::MissingDate,
    RuleId::StaleDate,
    RuleId::MissingDiagram,
];

/// Run every rule the profile and configuration turn on over one parsed document.
pub fn run_rules(
    file: &SourceFile,
    doc: &Document,
    profile: &Profile,
    opts: &LintOptions,
    repo: Option<&Repo>,
) -> Unsorted {
    let matching = Matching::compute(profile, doc);
    let hits = placeholders::find_all(file.text(), doc, &profile.placeholders);
    let examples = placeholders::example_blocks(doc, &profile.placeholders);
    let suppressions = Suppressions::parse(file, doc);
    let mut cx = CheckCx {
        file,
        doc,
        profile,
        matching: &matching,
        placeholders: &hits,
        example_blocks: &examples,
        today: opts.today,
        options: &opts.options,
        bad_suppressions: &suppressions.invalid,
        repo,
        label_lines: std::cell::OnceCell::new(),
        last_updated: std::cell::OnceCell::new(),
        collection: std::cell::OnceCell::new(),
        references: std::cell::OnceCell::new(),
        out: Vec::new(),
    };
    let index_of_records = profile.is_record_profile() && cx.is_folder_index();
    let mut parts = Vec::new();
    for rule in RULES {
        let id = rule.meta().id;
        let Some(severity) = effective_level(id, profile, opts).severity() else {
            continue;
        };
        if index_of_records && RECORD_STRUCTURE.contains(&id) {
            continue;
        }
        rule.check(&mut cx);
        let mut found = std::mem::take(&mut cx.out);
        for d in &mut found {
            d.severity = severity;
        }
        if !found.is_empty() {
            found.shrink_to_fit();
            parts.push(found);
        }
    }
    let unused = opts
        .report_unused_suppressions
        .then(|| effective_level(RuleId::InvalidSuppression, profile, opts).severity())
        .flatten();
    Unsorted {
        parts,
        suppressions,
        unused,
    }
}

impl Unsorted {
    /// Apply suppressions, then sort and deduplicate.
    pub fn finish(self, file: &SourceFile) -> Vec<Diagnostic> {
        let Unsorted {
            parts,
            suppressions,
            unused,
        } = self;
        let mut out = Vec::with_capacity(parts.iter().map(Vec::len).sum());
        for part in parts {
            out.extend(part);
        }
        suppressions.apply(file, &mut out);
        if let Some(severity) = unused {
            for span in suppressions.unused() {
                let mut d = crate::rules::unused_suppression(span, file);
                d.severity = severity;
                out.push(d);
            }
        }
        out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        out.dedup();
        out
    }
}
