//! `--profile auto`: the built-in profile a document was written from, among those it
//! passes.
//!
//! A document follows a template when it has at least 60% of the profile's required
//! top-level sections. The candidates are `core` and every other built-in the document
//! follows. They are ranked by how many of their required top-level sections the
//! document has, then by the share, with `core` last on a tie: the template that
//! accounts for most of the document's structure is the one it was written from (a
//! filled `comprehensive` document has all eight of `core`'s sections too, and ten of
//! `comprehensive`'s), and `core`, which keeps only what every template shares, is
//! the fallback. auto takes the first candidate in that order that the document
//! passes, and the first of all when it passes none. A profile the document passes has
//! all of its required sections (`missing-section` is an error in every built-in), so
//! it is always a candidate: auto never picks a profile the document fails while
//! another passes it. Failing candidates are not compared by their number of errors:
//! where a document fails them all (an unfilled template), that number mostly counts
//! the placeholders and references every profile reports alike, and the template the
//! document follows is the better guide.
//!
//! To *pass* is to have no error-level finding at the default levels (the rule's, or
//! the profile's own), with the run's today and the document's repository: what
//! `archlint check --isolated --profile NAME` would exit 0 for. The configuration's
//! levels are left out, so that a document gets the same profile wherever it is
//! checked; they still apply to the report. Candidates are linted one at a time, best
//! first, on the outline already parsed, until one passes: usually one lint, two when
//! the best-fitting template fails; a document that follows no template is not linted
//! here at all.

use std::sync::Arc;

use chrono::NaiveDate;

use crate::diagnostic::Severity;
use crate::document::source::SourceFile;
use crate::document::Document;
use crate::facts::matching::Matching;
use crate::fs::repo::Repo;
use crate::lint::{lint_document, LintOptions};
use crate::profile::{Profile, BUILTIN};

/// The share of a template's required top-level sections a document must have to be
/// taken as following it.
const MIN_FIT: f64 = 0.6;

/// A template other than `core` must match at least one in this many of the
/// document's top-level sections.
const MIN_SHARE_OF_DOCUMENT: usize = 4;

/// A built-in profile weighed against one document.
struct Candidate {
    name: &'static str,
    profile: Arc<Profile>,
    /// Required top-level sections present.
    found: usize,
    /// Required top-level sections.
    required: usize,
    /// The document's sections the profile names, required or not.
    claimed: usize,
}

impl Candidate {
    fn fit(&self) -> f64 {
        if self.required == 0 {
            return 0.0;
        }
        self.found as f64 / self.required as f64
    }

    fn is_core(&self) -> bool {
        self.name == "core"
    }

    fn sections(&self) -> String {
        format!(
            "{} of its {} required top-level sections are present",
            self.found, self.required
        )
    }
}

/// The built-in profiles auto weighs, compiled on first use and kept by the caller
/// (one per run: a `check` session) for every document it picks for.
#[derive(Debug, Default)]
pub struct Builtins(std::sync::OnceLock<Vec<(&'static str, Arc<Profile>)>>);

impl Builtins {
    fn all(&self) -> &[(&'static str, Arc<Profile>)] {
        self.0.get_or_init(|| {
            BUILTIN
                .iter()
                .filter_map(|(name, _)| Some((*name, Arc::new(Profile::builtin(name).ok()?))))
                .collect()
        })
    }
}

/// The chosen profile's name and a sentence saying why.
pub fn pick(
    source: &SourceFile,
    doc: &Document,
    today: NaiveDate,
    repo: Option<&Repo>,
    builtins: &Builtins,
) -> (String, String) {
    let mut ranked: Vec<Candidate> = builtins
        .all()
        .iter()
        .map(|(name, profile)| {
            let profile = Arc::clone(profile);
            let (found, required, claimed) = fit(&profile, source, doc);
            Candidate {
                name,
                profile,
                found,
                required,
                claimed,
            }
        })
        .collect();
    // Best first (see the module comment); the sort is stable, so `BUILTIN`'s order
    // settles what is left.
    ranked.sort_by(|a, b| {
        b.found
            .cmp(&a.found)
            .then(b.fit().total_cmp(&a.fit()))
            .then(a.is_core().cmp(&b.is_core()))
    });
    // A record of a folder of decision records (the folder rules check it as one),
    // the folder's index and its template are weighed against the record profiles
    // only, however few of their sections they have: an architecture document's
    // profile would ask them for a system's sections.
    let what = if is_record(source, repo) {
        Some("a decision record (a file named as one, numbered or dated, stating its status, in a folder of them)")
    } else if repo.is_some_and(|r| r.is_collection_index(&source.name)) {
        Some("the index of a folder of decision records, checked by the folder rules and not as a record")
    } else if repo.is_some_and(|r| r.is_collection_template(&source.name)) {
        Some("the template of a folder of decision records")
    } else {
        None
    };
    if let Some(what) = what {
        // Record templates share their core (context, decision, consequences); the one
        // a record follows names more of its sections (MADR's drivers, options, pros
        // and cons), whatever each requires.
        let mut records: Vec<&Candidate> = ranked
            .iter()
            .filter(|c| c.profile.is_record_profile())
            .collect();
        records.sort_by_key(|c| std::cmp::Reverse(c.claimed));
        if !records.is_empty() {
            let (name, why) = first_passing(source, doc, today, repo, records);
            return (name, format!("the document is {what}; {why}"));
        }
    }
    // A template also accounts for a good part of the document: a three-section
    // decision record whose `Context` and `Decision` a forty-section architecture
    // document happens to have is not the document's template.
    let top = top_level(doc);
    let candidates: Vec<&Candidate> = ranked
        .iter()
        .filter(|c| c.is_core() || (c.fit() >= MIN_FIT && c.found * MIN_SHARE_OF_DOCUMENT >= top))
        .collect();
    if let [only] = candidates[..] {
        let why = match ranked.iter().find(|c| !c.is_core() && c.required > 0) {
            Some(c) => format!(
                "no template fits well (closest: `{}`, {} of {} sections)",
                c.name, c.found, c.required
            ),
            None => "no template fits".to_string(),
        };
        return (only.name.to_string(), why);
    }

    first_passing(source, doc, today, repo, candidates)
}

/// Whether the document is a record of a folder of decision records in `repo`.
fn is_record(source: &SourceFile, repo: Option<&Repo>) -> bool {
    let Some(c) = repo.and_then(Repo::collection) else {
        return false;
    };
    let name = std::path::Path::new(&source.name)
        .file_name()
        .and_then(|n| n.to_str());
    name.is_some_and(|n| crate::facts::collection::as_record(&c, n, source.text()).is_some())
}

/// The first of `candidates` (best first) the document passes, else the first of all,
/// with the reason.
fn first_passing(
    source: &SourceFile,
    doc: &Document,
    today: NaiveDate,
    repo: Option<&Repo>,
    candidates: Vec<&Candidate>,
) -> (String, String) {
    let opts = LintOptions::new(today);
    let mut failed: Vec<(&Candidate, usize)> = Vec::new();
    for c in candidates {
        let errors = lint_document(source, doc, &c.profile, &opts, repo)
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        if errors == 0 {
            let mut why = format!("{} and the document passes it", c.sections());
            for (f, n) in &failed {
                why.push_str(&format!(
                    "; `{}` would report {} ({} of its {} sections present)",
                    f.name,
                    count_errors(*n),
                    f.found,
                    f.required
                ));
            }
            return (c.name.to_string(), why);
        }
        failed.push((c, errors));
    }
    let Some(((best, _), others)) = failed.split_first() else {
        return ("core".to_string(), "no built-in profile loads".to_string());
    };
    let others: Vec<String> = others
        .iter()
        .map(|(c, n)| format!("`{}` would report {}", c.name, count_errors(*n)))
        .collect();
    let why = format!(
        "{}; no built-in profile passes the document, so auto keeps the template it \
         follows most ({})",
        best.sections(),
        others.join(", ")
    );
    (best.name.to_string(), why)
}

fn count_errors(n: usize) -> String {
    match n {
        1 => "1 error".to_string(),
        n => format!("{n} errors"),
    }
}

/// The document's own top-level sections: those below its title, or at the top when
/// it has none.
fn top_level(doc: &Document) -> usize {
    let title = doc.title();
    (0..doc.sections.len())
        .filter(|&i| {
            Some(i) != title
                && (doc.sections[i].parent.is_none() || doc.sections[i].parent == title)
        })
        .count()
}

/// How many required top-level sections of `profile` the document has, how many there
/// are, and how many of the document's sections the profile names (a section written
/// as a header line, `Status: accepted`, among them).
fn fit(profile: &Profile, source: &SourceFile, doc: &Document) -> (usize, usize, usize) {
    let m = Matching::compute(profile, doc);
    let mut claimed = m.claimed.iter().filter(|c| c.is_some()).count();
    let mut found = 0;
    let mut required = 0;
    for (i, req) in profile.sections.iter().enumerate() {
        let field = req.parent.is_none()
            && m.found[i].is_none()
            && req.as_field
            && crate::facts::doc_date::header_field(source, doc, &req.names);
        claimed += usize::from(field);
        if req.parent.is_some() || !req.required {
            continue;
        }
        required += 1;
        if m.found[i].is_some() || field {
            found += 1;
        }
    }
    (found, required, claimed)
}
