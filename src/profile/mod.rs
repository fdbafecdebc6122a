//! Rule sets: the built-ins embedded from `rules/*.toml`, user files, `extends`, and
//! validation that reports every problem at its TOML span in one go.

pub mod auto;
pub mod choice;
pub mod model;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::{Range, RangeInclusive};
use std::path::{Path, PathBuf};

use regex::Regex;
use toml::Spanned;

use crate::diagnostic::{Level, Origin, RuleId};
use crate::error::{Error, Result, TomlProblem};
pub use model::{
    DateLocation, DateMeaning, DateSpec, DateStyle, DiagramKind, ProfileFile, SectionSpec,
};

/// The built-in profiles, in the order `archlint profiles` lists them.
pub const BUILTIN: &[(&str, &str)] = &[
    ("core", include_str!("../../rules/core.toml")),
    (
        "comprehensive",
        include_str!("../../rules/comprehensive.toml"),
    ),
    ("adr", include_str!("../../rules/adr.toml")),
    ("walkthrough", include_str!("../../rules/walkthrough.toml")),
    ("enterprise", include_str!("../../rules/enterprise.toml")),
    ("service", include_str!("../../rules/service.toml")),
    ("madr", include_str!("../../rules/madr.toml")),
    ("nygard", include_str!("../../rules/nygard.toml")),
    ("arc42", include_str!("../../rules/arc42.toml")),
];

/// Compiled regexes get an explicit size limit: a hostile profile gets an error, not a hang.
const REGEX_SIZE_LIMIT: usize = 1 << 20;
/// `extends` deeper than this is a mistake (or a cycle we failed to see).
const MAX_EXTENDS_DEPTH: usize = 16;
/// More sections than this is not a document template.
const MAX_SECTIONS: usize = 2_000;
/// Regular expressions (`match` and placeholder `patterns`) in one profile: each may
/// compile to [`REGEX_SIZE_LIMIT`], so their number bounds the memory they take.
const MAX_PATTERNS: usize = 256;

/// A resolved, validated rule set, ready to check documents.
#[derive(Debug, Clone)]
pub struct Profile {
    pub name: String,
    pub description: String,
    /// `rules/adr.toml` for built-ins, the path for user files.
    pub file: String,
    pub builtin: bool,
    pub title_required: bool,
    pub title_text: Option<String>,
    /// Fields the document's header must carry (`[title] fields`), and where the
    /// profile asks for them.
    pub header_fields: Vec<FieldReq>,
    pub header_origin: Option<Origin>,
    pub date: Option<DateReq>,
    pub placeholders: PlaceholderReq,
    pub sections: Vec<SectionReq>,
    pub diagrams: Vec<DiagramReq>,
    pub levels: BTreeMap<RuleId, Level>,
    /// The merged TOML model, for `archlint profile show`.
    pub resolved: ProfileFile,
    /// Each file of the `extends` chain: its display name and text, for "required by".
    pub layers: Vec<(String, std::sync::Arc<str>)>,
}

#[derive(Debug, Clone)]
pub struct DateReq {
    pub required: bool,
    pub location: DateLocation,
    /// Normalised labels (`last updated`).
    pub labels: Vec<String>,
    /// The first label as the profile writes it (`Date`), for the line a skeleton or
    /// a fix writes.
    pub first_label: String,
    pub front_matter_keys: Vec<String>,
    pub max_age_days: i64,
    pub style: DateStyle,
    pub meaning: DateMeaning,
    pub origin: Origin,
}

impl DateReq {
    /// The date line a skeleton or a fix writes, in the profile's style, under its
    /// first label (`**Last Updated**: 2026-12-07`, `> Last updated: …`, `**Date**: …`).
    pub fn line(&self, date: impl std::fmt::Display) -> String {
        let usual = crate::facts::normalize::normalize_label(&self.first_label) == "last updated";
        match (self.style, usual) {
            (DateStyle::Quote, true) => format!("> Last updated: {date}"),
            (DateStyle::Field, true) => format!("**Last Updated**: {date}"),
            (DateStyle::Quote, false) => format!("> {}: {date}", self.first_label),
            (DateStyle::Field, false) => format!("**{}**: {date}", self.first_label),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct PlaceholderReq {
    pub patterns: Vec<Regex>,
    pub tokens: Vec<String>,
    pub example_digests: HashSet<u64>,
}

#[derive(Debug, Clone)]
pub struct SectionReq {
    pub id: String,
    pub title: String,
    /// Normalised title and aliases.
    pub names: Vec<String>,
    /// Their word forms (`normalize::word_form`), for headings no name matches exactly.
    pub forms: Vec<String>,
    /// The forms of each side of a name's `and` (`normalize::side_forms`), which match
    /// only a heading at a level the section allows.
    pub side_forms: Vec<String>,
    /// The names prepared for "did you mean" (see [`crate::facts::typo`]).
    pub name_terms: Vec<crate::facts::typo::Term>,
    pub pattern: Option<Regex>,
    pub levels: RangeInclusive<u8>,
    pub required: bool,
    pub parent: Option<usize>,
    /// Top-level sections this one may be written inside (see `SectionSpec::within`).
    pub within: Vec<usize>,
    /// Required fields.
    pub fields: Vec<FieldReq>,
    /// A labelled line of the header, or a front-matter key, may stand for it.
    pub as_field: bool,
    pub subsections: Option<SubsectionReq>,
    pub guidance: Option<String>,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct SubsectionReq {
    pub min: usize,
    pub pattern: Option<Regex>,
    pub pattern_text: Option<String>,
    pub fields: Vec<FieldReq>,
    pub example: Option<String>,
}

/// A required labelled field: its label as written in the profile (shown as is), and
/// normalised for matching once, when the profile loads.
#[derive(Debug, Clone)]
pub struct FieldReq {
    pub name: String,
    pub norm: String,
}

impl FieldReq {
    fn new(name: &str) -> FieldReq {
        FieldReq {
            name: name.to_string(),
            norm: crate::facts::normalize::normalize_label(name),
        }
    }
}

impl std::fmt::Display for FieldReq {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

#[derive(Debug, Clone)]
pub struct DiagramReq {
    pub section: Option<usize>,
    pub kind: DiagramKind,
    pub diagram_type: Option<String>,
    pub description: Option<String>,
    pub origin: Origin,
}

impl Profile {
    pub fn level(&self, rule: RuleId) -> Option<Level> {
        self.levels.get(&rule).copied()
    }

    /// A profile for one decision record: its date says when the decision was taken.
    pub fn is_record_profile(&self) -> bool {
        self.date
            .as_ref()
            .is_some_and(|d| d.meaning == DateMeaning::Decided)
    }

    /// The built-in profile called `name`.
    pub fn builtin(name: &str) -> Result<Profile> {
        load(&Locator::Builtin(name.to_string()))
    }

    /// A profile by built-in name or by path to a TOML file, named by the person
    /// running archlint (a command-line flag): the path is theirs to choose. Paths
    /// written inside profile files (`extends`) stay inside their file's repository.
    pub fn load(name_or_path: &str, base: &Path) -> Result<Profile> {
        Profile::load_named(name_or_path, base, None)
    }

    /// A profile named by repository content (a document, a configuration file): a
    /// file must be a `.toml` inside `root` (symlinks followed only while they stay
    /// inside), and an error shows where the file fails to parse but none of its
    /// text, which could be any file of the repository's.
    pub fn load_in_repository(name_or_path: &str, base: &Path, root: &Path) -> Result<Profile> {
        Profile::load_named(name_or_path, base, Some(root))
    }

    fn load_named(name_or_path: &str, base: &Path, root: Option<&Path>) -> Result<Profile> {
        if BUILTIN.iter().any(|(n, _)| *n == name_or_path) {
            return Profile::builtin(name_or_path);
        }
        let looks_like_path = name_or_path.ends_with(".toml")
            || name_or_path.contains('/')
            || name_or_path.contains('\\');
        if !looks_like_path {
            let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
            let mut help = format!("built-in profiles: {}", names.join(", "));
            if let Some(close) =
                crate::facts::normalize::closest(name_or_path, names.iter().copied())
            {
                help = format!("did you mean `{close}`? ({help})");
            }
            return Err(Error::Usage {
                message: format!("unknown profile `{name_or_path}`"),
                help: Some(help),
            });
        }
        match root {
            None => load(&Locator::File(
                crate::fs::syspath::normalize(&base.join(name_or_path)),
                None,
            )),
            Some(root) => {
                let path = confined(root, base, name_or_path).map_err(Error::usage)?;
                load(&Locator::File(path, Some(root.to_path_buf())))
            }
        }
    }
}

/// `name` (relative to `base`) as a `.toml` file inside `root`, or why not.
fn confined(root: &Path, base: &Path, name: &str) -> std::result::Result<PathBuf, String> {
    use crate::fs::confine::Refused;
    let shown = crate::report::escape::terminal(name);
    if !Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
    {
        return Err(format!(
            "profile `{shown}` is not a built-in name or a `.toml` file"
        ));
    }
    crate::fs::confine::regular_file(root, base, name).map_err(|why| match why {
        Refused::Outside => format!("profile `{shown}` is outside the repository"),
        Refused::Missing => format!("profile `{shown}` does not exist"),
        Refused::NotAFile => format!("profile `{shown}` is not a regular file"),
    })
}

/// The stand-in diagram `archlint init` writes for a diagram of a type: a template's
/// example every profile knows, so a skeleton's diagram left as it is counts as a
/// `placeholder` (see [`SKELETON_DIAGRAMS`]).
pub fn skeleton_diagram(diagram_type: Option<&str>) -> &'static str {
    match diagram_type {
        Some("sequence") => SKELETON_DIAGRAMS[1],
        Some("class") => SKELETON_DIAGRAMS[2],
        Some("state") => SKELETON_DIAGRAMS[3],
        Some("er") => SKELETON_DIAGRAMS[4],
        _ => SKELETON_DIAGRAMS[0],
    }
}

/// Every stand-in diagram of [`skeleton_diagram`], and the tree `init` writes.
pub const SKELETON_DIAGRAMS: [&str; 6] = [
    "flowchart TD\n    Client --> Service\n    Service --> Store\n",
    "sequenceDiagram\n    participant Client\n    participant Service\n    Client->>Service: request\n    Service-->>Client: response\n",
    "classDiagram\n    class Service\n",
    "stateDiagram-v2\n    [*] --> Ready\n",
    "erDiagram\n    ACCOUNT ||--o{ ORDER : places\n",
    "<repository>/\n└── <folder>/    # what it holds\n",
];

/// A profile's source, before `extends` is resolved. A file named by repository
/// content carries the root it must stay inside.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Locator {
    Builtin(String),
    File(PathBuf, Option<PathBuf>),
}

impl Locator {
    /// The same built-in or the same file, whoever named it.
    fn same_source(&self, other: &Locator) -> bool {
        match (self, other) {
            (Locator::Builtin(a), Locator::Builtin(b)) => a == b,
            (Locator::File(a, _), Locator::File(b, _)) => a == b,
            _ => false,
        }
    }

    fn display(&self) -> String {
        match self {
            Locator::Builtin(n) => format!("rules/{n}.toml"),
            // A file repository content named: relative to the repository root. One
            // the operator named: relative to the working directory when below it, as
            // they typed it.
            Locator::File(p, Some(root)) => p.strip_prefix(root).unwrap_or(p).display().to_string(),
            Locator::File(p, None) => crate::fs::syspath::short(p).display().to_string(),
        }
    }

    fn read(&self) -> Result<String> {
        match self {
            Locator::Builtin(n) => BUILTIN
                .iter()
                .find(|(name, _)| name == n)
                .map(|(_, text)| text.to_string())
                .ok_or_else(|| Error::usage(format!("unknown built-in profile `{n}`"))),
            Locator::File(p, _) => crate::input::read_toml(p),
        }
    }
}

/// One parsed file in the `extends` chain.
struct Layer {
    locator: Locator,
    text: String,
    file: ProfileFile,
}

fn toml_error(what: &'static str, name: &str, text: &str, problems: Vec<TomlProblem>) -> Error {
    Error::toml(what, name, text, problems)
}

/// Parse TOML into `T`, turning a serde error into a located problem.
pub fn parse_toml<T: serde::de::DeserializeOwned>(
    what: &'static str,
    name: &str,
    text: &str,
) -> Result<T> {
    toml::from_str::<T>(text).map_err(|e| {
        let message = e.message().to_string();
        let help = unknown_key_help(&message);
        let mut p = TomlProblem::new(message, e.span()).label("here");
        if let Some(h) = help {
            p = p.help(h);
        }
        toml_error(what, name, text, vec![p])
    })
}

fn unknown_key_help(message: &str) -> Option<String> {
    // serde says: unknown field `sectons`, expected one of `name`, `description`, ...
    let rest = message.strip_prefix("unknown field `")?;
    let (bad, expected) = rest.split_once('`')?;
    let options: Vec<&str> = expected
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s)
        .collect();
    crate::facts::normalize::closest(bad, options.iter().copied())
        .map(|c| format!("did you mean `{c}`?"))
}

fn load(locator: &Locator) -> Result<Profile> {
    // Read the chain, root first.
    let mut chain: Vec<Layer> = Vec::new();
    let mut seen: Vec<Locator> = Vec::new();
    let mut current = locator.clone();
    loop {
        if seen.iter().any(|l| l.same_source(&current)) {
            let names: Vec<String> = seen.iter().map(Locator::display).collect();
            let message = format!(
                "`extends` forms a cycle: {} -> {}",
                names.join(" -> "),
                current.display()
            );
            // Point at the `extends` of the file where the loop starts and ends.
            if let Some(last) = chain.iter().find(|l| l.locator.same_source(&current)) {
                let span = last.file.extends.as_ref().map(|e| e.span());
                let problem = TomlProblem::new(message, span).label("back to the start");
                return Err(toml_error(
                    "profile",
                    &last.locator.display(),
                    &last.text,
                    vec![problem],
                ));
            }
            return Err(Error::usage(message));
        }
        if seen.len() >= MAX_EXTENDS_DEPTH {
            let message = format!(
                "profile `extends` is nested more than {MAX_EXTENDS_DEPTH} deep (at {})",
                current.display()
            );
            // Point at the `extends` that goes one file too far.
            if let Some(last) = chain.last() {
                let span = last.file.extends.as_ref().map(|e| e.span());
                let problem = TomlProblem::new(message, span).label("one level too many");
                return Err(toml_error(
                    "profile",
                    &last.locator.display(),
                    &last.text,
                    vec![problem],
                ));
            }
            return Err(Error::usage(message));
        }
        seen.push(current.clone());
        let text = match (current.read(), chain.last()) {
            (Ok(text), _) => text,
            // A file that `extends` names but that cannot be read (a folder, a device,
            // invalid UTF-8, too large) is reported at that `extends`.
            (Err(e), Some(prev)) => {
                let span = prev.file.extends.as_ref().map(|e| e.span());
                let problem =
                    TomlProblem::new(format!("`extends`: {e}"), span).label("cannot be read");
                return Err(toml_error(
                    "profile",
                    &prev.locator.display(),
                    &prev.text,
                    vec![problem],
                ));
            }
            (Err(e), None) => return Err(e),
        };
        let file: ProfileFile = match parse_toml("profile", &current.display(), &text) {
            Ok(f) => f,
            // A file that repository content named may be any file of the
            // repository's: say where it fails, never what it holds.
            Err(e) if matches!(current, Locator::File(_, Some(_))) => {
                return Err(e.without_source_text())
            }
            Err(e) => return Err(e),
        };
        // `extends` is written in a file, so it names a file inside that file's
        // repository, whoever named the file itself.
        let mut refused = None;
        let next = file.extends.as_ref().and_then(|e| {
            let target = e.get_ref().as_str();
            if BUILTIN.iter().any(|(n, _)| *n == target) {
                return Some(Locator::Builtin(target.to_string()));
            }
            let Locator::File(p, root) = &current else {
                refused = Some(format!("`extends` of a built-in profile names `{target}`"));
                return None;
            };
            let root = root
                .clone()
                .unwrap_or_else(|| crate::fs::confine::root_of(p));
            let base = p.parent().map(Path::to_path_buf).unwrap_or_default();
            match confined(&root, &base, target) {
                Ok(path) => Some(Locator::File(path, Some(root))),
                Err(why) if why.ends_with("does not exist") => {
                    Some(Locator::File(base.join(target), Some(root)))
                }
                Err(why) => {
                    refused = Some(why);
                    None
                }
            }
        });
        if let (Some(why), Some(e)) = (refused, &file.extends) {
            let problem =
                TomlProblem::new(format!("`extends`: {why}"), Some(e.span())).label("not usable");
            return Err(toml_error(
                "profile",
                &current.display(),
                &text,
                vec![problem],
            ));
        }
        // An `extends` of a missing file is reported at its span.
        if let (Some(Locator::File(p, _)), Some(e)) = (&next, &file.extends) {
            if !p.exists() {
                let problem = TomlProblem::new(
                    format!("`extends` names `{}`, which does not exist", e.get_ref()),
                    Some(e.span()),
                )
                .label("not a built-in profile or a file")
                .help(format!(
                    "built-in profiles: {}",
                    BUILTIN
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
                return Err(toml_error(
                    "profile",
                    &current.display(),
                    &text,
                    vec![problem],
                ));
            }
        }
        chain.push(Layer {
            locator: current.clone(),
            text,
            file,
        });
        match next {
            Some(n) => current = n,
            None => break,
        }
    }
    chain.reverse();
    resolve(chain)
}

/// A section with the layer it came from (for spans in errors and origins).
struct Placed {
    spec: SectionSpec,
    layer: usize,
    span: Range<usize>,
}

/// The layers of an `extends` chain merged, base first: a later layer wins for the
/// name, description, title, date and rule levels, replaces a section of the same id
/// in place (or `remove`s it and its sub-sections), and adds sections (after `after`),
/// diagrams and placeholder entries. Each item keeps the layer it came from, so a
/// problem found later is reported in its own file.
struct Merged {
    file: ProfileFile,
    sections: Vec<Placed>,
    diagrams: Vec<(model::DiagramSpec, usize, Range<usize>)>,
    title_layer: usize,
    date_layer: usize,
    /// The layer of each of `file.placeholders`' patterns and digests, in order.
    pattern_layers: Vec<usize>,
    digest_layers: Vec<usize>,
    rule_layers: HashMap<String, usize>,
}

fn merge(chain: &[Layer], problems: &mut Vec<(usize, TomlProblem)>) -> Merged {
    let mut merged = ProfileFile::default();
    let mut sections: Vec<Placed> = Vec::new();
    let mut diagrams: Vec<(model::DiagramSpec, usize, Range<usize>)> = Vec::new();
    let mut title_layer = 0;
    let mut date_layer = 0;
    let mut pattern_layers: Vec<usize> = Vec::new();
    let mut digest_layers: Vec<usize> = Vec::new();
    let mut rule_layers: HashMap<String, usize> = HashMap::new();

    for (li, layer) in chain.iter().enumerate() {
        let f = &layer.file;
        merged.name = f.name.clone().or(merged.name.take());
        merged.description = f.description.clone().or(merged.description.take());
        if f.title.is_some() {
            merged.title = f.title.clone();
            title_layer = li;
        }
        if f.date.is_some() {
            merged.date = f.date.clone();
            date_layer = li;
        }
        if let Some(p) = &f.placeholders {
            let m = merged.placeholders.get_or_insert_with(Default::default);
            pattern_layers.extend(p.patterns.iter().map(|_| li));
            digest_layers.extend(p.example_digests.iter().map(|_| li));
            m.patterns.extend(p.patterns.iter().cloned());
            m.tokens.extend(p.tokens.iter().cloned());
            m.example_code.extend(p.example_code.iter().cloned());
            m.example_digests.extend(p.example_digests.iter().cloned());
        }
        for (k, v) in &f.rules {
            rule_layers.insert(k.get_ref().clone(), li);
            merged.rules.insert(k.clone(), v.clone());
        }
        for r in &f.remove {
            let before = sections.len();
            let id = r.get_ref();
            // Removing a section removes its sub-sections too.
            let mut gone: HashSet<String> = HashSet::from([id.clone()]);
            loop {
                let more: Vec<String> = sections
                    .iter()
                    .filter(|s| {
                        s.spec
                            .parent
                            .as_ref()
                            .is_some_and(|p| gone.contains(p.get_ref()))
                            && !gone.contains(s.spec.id.get_ref())
                    })
                    .map(|s| s.spec.id.get_ref().clone())
                    .collect();
                if more.is_empty() {
                    break;
                }
                gone.extend(more);
            }
            sections.retain(|s| !gone.contains(s.spec.id.get_ref()));
            diagrams.retain(|(d, _, _)| {
                d.section
                    .as_ref()
                    .is_none_or(|s| !gone.contains(s.get_ref()))
            });
            if sections.len() == before {
                problems.push((
                    li,
                    TomlProblem::new(
                        format!(
                            "`remove` names `{id}`, which is not a section of the base profile"
                        ),
                        Some(r.span()),
                    ),
                ));
            }
        }
        for s in &f.sections {
            let spec = s.get_ref().clone();
            let span = s.span();
            if let Some(existing) = sections
                .iter_mut()
                .find(|p| p.spec.id.get_ref() == spec.id.get_ref())
            {
                if existing.layer == li {
                    problems.push((
                        li,
                        TomlProblem::new(
                            format!("section id `{}` is used twice", spec.id.get_ref()),
                            Some(spec.id.span()),
                        ),
                    ));
                    continue;
                }
                // A later layer replaces the section in place.
                *existing = Placed {
                    spec,
                    layer: li,
                    span,
                };
                continue;
            }
            let at = spec.after.as_ref().and_then(|a| {
                let pos = sections
                    .iter()
                    .position(|p| p.spec.id.get_ref() == a.get_ref());
                if pos.is_none() {
                    problems.push((
                        li,
                        TomlProblem::new(
                            format!("`after` names `{}`, which is not a section", a.get_ref()),
                            Some(a.span()),
                        ),
                    ));
                }
                pos
            });
            let placed = Placed {
                spec,
                layer: li,
                span,
            };
            match at {
                Some(i) => sections.insert(i + 1, placed),
                None => sections.push(placed),
            }
        }
        for d in &f.diagrams {
            diagrams.push((d.get_ref().clone(), li, d.span()));
        }
    }

    Merged {
        file: merged,
        sections,
        diagrams,
        title_layer,
        date_layer,
        pattern_layers,
        digest_layers,
        rule_layers,
    }
}

/// Merges the chain ([`merge`]), validates every part of the result with each
/// problem filed under its own layer, compiles the patterns and builds the profile.
fn resolve(chain: Vec<Layer>) -> Result<Profile> {
    let mut problems: Vec<(usize, TomlProblem)> = Vec::new();
    let Merged {
        file: merged,
        sections,
        diagrams,
        title_layer,
        date_layer,
        pattern_layers,
        digest_layers,
        rule_layers,
    } = merge(&chain, &mut problems);

    let last = chain.len() - 1;
    let name = merged
        .name
        .clone()
        .unwrap_or_else(|| match &chain[last].locator {
            Locator::Builtin(n) => n.clone(),
            Locator::File(p, _) => p
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_else(|| "profile".into()),
        });
    let origin_of = |layer: usize, span: Option<Range<usize>>| Origin {
        profile: name.clone(),
        file: chain[layer].locator.display(),
        span,
    };

    // A name is shown in every report and in comments: one line of text.
    if let Some(layer) = chain.iter().rposition(|l| l.file.name.is_some()) {
        if name.chars().any(char::is_control) {
            problems.push((
                layer,
                TomlProblem::new(
                    format!(
                        "the profile's `name` `{}` holds control characters or line breaks",
                        crate::report::escape::terminal(&name)
                    ),
                    None,
                )
                .help("a name is one line of text, shown in every report"),
            ));
        }
    }

    if let Some(extra) = sections.get(MAX_SECTIONS) {
        problems.push((
            extra.layer,
            TomlProblem::new(
                format!(
                    "the profile has {} sections; at most {MAX_SECTIONS} are supported",
                    sections.len()
                ),
                Some(extra.span.clone()),
            )
            .label("one section too many"),
        ));
    }
    // Bound the regexes before compiling any: each may take up to REGEX_SIZE_LIMIT.
    let mut patterns = sections
        .iter()
        .flat_map(|p| {
            let sub = p.spec.subsections.as_ref().and_then(|s| s.pattern.as_ref());
            [p.spec.pattern.as_ref(), sub].map(|x| x.map(|x| (p.layer, x.span())))
        })
        .flatten()
        .chain(
            merged
                .placeholders
                .iter()
                .flat_map(|p| p.patterns.iter().zip(&pattern_layers))
                .map(|(x, &layer)| (layer, x.span())),
        );
    if let Some((layer, span)) = patterns.nth(MAX_PATTERNS) {
        let problem = TomlProblem::new(
            format!("the profile has more than {MAX_PATTERNS} regular expressions"),
            Some(span),
        )
        .label("one too many")
        .help("match headings by `title` and `aliases` where you can");
        return Err(toml_error(
            "profile",
            &chain[layer].locator.display(),
            &chain[layer].text,
            vec![problem],
        ));
    }

    let ids: Vec<String> = sections
        .iter()
        .map(|s| s.spec.id.get_ref().clone())
        .collect();
    let reqs = section_reqs(&sections, &ids, &origin_of, &mut problems);

    let diagram_reqs = diagram_reqs(&diagrams, &ids, &origin_of, &mut problems);

    let placeholders = placeholder_req(
        merged.placeholders.as_ref(),
        &pattern_layers,
        &digest_layers,
        &mut problems,
    );

    // Header fields.
    let header = merged
        .title
        .as_ref()
        .map(|t| t.fields.as_slice())
        .unwrap_or_default();
    let header_fields: Vec<FieldReq> = header.iter().map(|f| FieldReq::new(f.get_ref())).collect();
    let header_origin = header
        .first()
        .map(|f| origin_of(title_layer, Some(f.span())));

    let date = merged
        .date
        .as_ref()
        .map(|d| date_req(d, date_layer, &origin_of, &mut problems));

    let levels = rule_levels(&merged.rules, &rule_layers, last, &mut problems);

    if !problems.is_empty() {
        // Report against the file that holds the first problem; all of that file's
        // problems together, which is what a user fixes in one edit.
        let layer = problems[0].0;
        let these: Vec<TomlProblem> = problems
            .into_iter()
            .filter(|(l, _)| *l == layer)
            .map(|(_, p)| p)
            .collect();
        return Err(toml_error(
            "profile",
            &chain[layer].locator.display(),
            &chain[layer].text,
            these,
        ));
    }

    let mut resolved = merged;
    resolved.extends = None;
    resolved.remove.clear();
    resolved.name = Some(name.clone());
    resolved.sections = sections
        .iter()
        .map(|p| {
            let mut spec = p.spec.clone();
            spec.after = None;
            Spanned::new(p.span.clone(), spec)
        })
        .collect();
    resolved.diagrams = diagrams
        .iter()
        .map(|(d, _, s)| Spanned::new(s.clone(), d.clone()))
        .collect();

    let builtin = matches!(chain[last].locator, Locator::Builtin(_));
    Ok(Profile {
        description: resolved.description.clone().unwrap_or_default(),
        file: chain[last].locator.display(),
        builtin,
        title_required: resolved.title.as_ref().is_some_and(|t| t.required),
        title_text: resolved.title.as_ref().and_then(|t| t.text.clone()),
        header_fields,
        header_origin,
        date,
        placeholders,
        sections: reqs,
        diagrams: diagram_reqs,
        levels,
        resolved,
        name,
        layers: chain
            .iter()
            .map(|l| (l.locator.display(), std::sync::Arc::from(l.text.as_str())))
            .collect(),
    })
}

/// The sections' requirements: parents and `within` resolved among `ids`, levels
/// checked, patterns compiled, names normalised; each problem under its own layer.
fn section_reqs(
    sections: &[Placed],
    ids: &[String],
    origin_of: &dyn Fn(usize, Option<Range<usize>>) -> Origin,
    problems: &mut Vec<(usize, TomlProblem)>,
) -> Vec<SectionReq> {
    let mut reqs = Vec::with_capacity(sections.len());
    for (i, placed) in sections.iter().enumerate() {
        let s = &placed.spec;
        let li = placed.layer;
        let parent = match &s.parent {
            None => None,
            Some(p) => match ids.iter().position(|id| id == p.get_ref()) {
                Some(pi) if pi < i => Some(pi),
                Some(_) => {
                    problems.push((
                        li,
                        TomlProblem::new(
                            format!(
                                "parent `{}` must be declared before section `{}`",
                                p.get_ref(),
                                s.id.get_ref()
                            ),
                            Some(p.span()),
                        ),
                    ));
                    None
                }
                None => {
                    let mut problem = TomlProblem::new(
                        format!("parent `{}` is not a section id", p.get_ref()),
                        Some(p.span()),
                    );
                    if let Some(c) = crate::facts::normalize::closest(
                        p.get_ref(),
                        ids.iter().map(String::as_str),
                    ) {
                        problem = problem.help(format!("did you mean `{c}`?"));
                    }
                    problems.push((li, problem));
                    None
                }
            },
        };
        let mut within = Vec::new();
        for w in &s.within {
            match ids.iter().position(|id| id == w.get_ref()) {
                Some(wi) => within.push(wi),
                None => {
                    let mut problem = TomlProblem::new(
                        format!(
                            "`within` names `{}`, which is not a section id",
                            w.get_ref()
                        ),
                        Some(w.span()),
                    );
                    if let Some(c) = crate::facts::normalize::closest(
                        w.get_ref(),
                        ids.iter().map(String::as_str),
                    ) {
                        problem = problem.help(format!("did you mean `{c}`?"));
                    }
                    problems.push((li, problem));
                }
            }
        }
        let levels = levels(s, &mut |p| problems.push((li, p)));
        let pattern = s
            .pattern
            .as_ref()
            .and_then(|p| compile(p, &mut |e| problems.push((li, e))));
        let subsections = s.subsections.as_ref().map(|sub| SubsectionReq {
            min: sub.min,
            pattern: sub
                .pattern
                .as_ref()
                .and_then(|p| compile(p, &mut |e| problems.push((li, e)))),
            pattern_text: sub.pattern.as_ref().map(|p| p.get_ref().clone()),
            fields: sub
                .fields
                .iter()
                .map(|f| FieldReq::new(f.get_ref()))
                .collect(),
            example: sub.example.clone(),
        });
        if s.title.get_ref().trim().is_empty() {
            problems.push((
                li,
                TomlProblem::new("a section title cannot be empty", Some(s.title.span())),
            ));
        }
        let mut names = vec![crate::facts::normalize::normalize_heading(
            s.title.get_ref(),
        )];
        names.extend(
            s.aliases
                .iter()
                .map(|a| crate::facts::normalize::normalize_heading(a.get_ref())),
        );
        let mut forms: Vec<String> = names
            .iter()
            .filter_map(|n| crate::facts::normalize::word_form(n))
            .collect();
        forms.sort();
        forms.dedup();
        let mut side_forms: Vec<String> = names
            .iter()
            .flat_map(|n| crate::facts::normalize::side_forms(n))
            .filter(|f| !forms.contains(f))
            .collect();
        side_forms.sort();
        side_forms.dedup();
        reqs.push(SectionReq {
            id: s.id.get_ref().clone(),
            title: s.title.get_ref().clone(),
            name_terms: names
                .iter()
                .map(|n| crate::facts::typo::Term::new(n))
                .collect(),
            names,
            forms,
            side_forms,
            pattern,
            levels,
            required: s.required,
            parent,
            within,
            fields: s
                .fields
                .iter()
                .map(|f| FieldReq::new(f.get_ref()))
                .collect(),
            as_field: s.as_field,
            subsections,
            guidance: s.guidance.clone(),
            origin: origin_of(li, Some(s.title.span())),
        });
    }
    reqs
}

/// The diagrams' requirements, each section named resolved among `ids` and each
/// type checked against Mermaid's families.
fn diagram_reqs(
    diagrams: &[(model::DiagramSpec, usize, Range<usize>)],
    ids: &[String],
    origin_of: &dyn Fn(usize, Option<Range<usize>>) -> Origin,
    problems: &mut Vec<(usize, TomlProblem)>,
) -> Vec<DiagramReq> {
    diagrams
        .iter()
        .map(|(d, li, span)| {
            let section = d.section.as_ref().and_then(|s| {
                let found = ids.iter().position(|id| id == s.get_ref());
                if found.is_none() {
                    problems.push((
                        *li,
                        TomlProblem::new(
                            format!("diagram section `{}` is not a section id", s.get_ref()),
                            Some(s.span()),
                        ),
                    ));
                }
                found
            });
            if let Some(t) = &d.diagram_type {
                if !crate::facts::mermaid_types::is_family(t.get_ref()) {
                    problems.push((
                        *li,
                        TomlProblem::new(
                            format!("unknown diagram type `{}`", t.get_ref()),
                            Some(t.span()),
                        )
                        .help(format!(
                            "known types: {}",
                            crate::facts::mermaid_types::FAMILIES.join(", ")
                        )),
                    ));
                }
            }
            DiagramReq {
                section,
                kind: d.kind,
                diagram_type: d.diagram_type.as_ref().map(|t| t.get_ref().clone()),
                description: d.description.clone(),
                origin: origin_of(*li, Some(span.clone())),
            }
        })
        .collect()
}

/// The date requirement, its maximum age checked.
fn date_req(
    d: &model::DateSpec,
    date_layer: usize,
    origin_of: &dyn Fn(usize, Option<Range<usize>>) -> Origin,
    problems: &mut Vec<(usize, TomlProblem)>,
) -> DateReq {
    if *d.max_age_days.get_ref() < 1 {
        problems.push((
            date_layer,
            TomlProblem::new(
                "`max-age-days` must be at least 1",
                Some(d.max_age_days.span()),
            ),
        ));
    }
    DateReq {
        required: d.required,
        location: d.location,
        labels: d
            .labels
            .iter()
            .map(|l| crate::facts::normalize::normalize_label(l.get_ref()))
            .collect(),
        first_label: d
            .labels
            .first()
            .map_or_else(|| "Last updated".to_string(), |l| l.get_ref().clone()),
        front_matter_keys: d.front_matter_keys.clone(),
        max_age_days: *d.max_age_days.get_ref(),
        style: d.style,
        meaning: d.meaning,
        origin: origin_of(date_layer, None),
    }
}

/// The placeholder requirement: patterns compiled, example code digested and listed
/// digests read, each problem under the layer (`*_layers`) its entry came from. The
/// stand-in diagrams of `archlint init` are examples in every profile: a skeleton's
/// diagram left as written is not the system's.
fn placeholder_req(
    spec: Option<&model::PlaceholderSpec>,
    pattern_layers: &[usize],
    digest_layers: &[usize],
    problems: &mut Vec<(usize, TomlProblem)>,
) -> PlaceholderReq {
    let mut placeholders = PlaceholderReq::default();
    placeholders.example_digests.extend(
        SKELETON_DIAGRAMS
            .iter()
            .map(|d| crate::facts::example_digest::digest(d)),
    );
    let Some(p) = spec else {
        return placeholders;
    };
    for (pat, &layer) in p.patterns.iter().zip(pattern_layers) {
        if let Some(re) = compile(pat, &mut |e| problems.push((layer, e))) {
            placeholders.patterns.push(re);
        }
    }
    placeholders.tokens = p.tokens.iter().map(|t| t.get_ref().clone()).collect();
    for code in &p.example_code {
        placeholders
            .example_digests
            .insert(crate::facts::example_digest::digest(code));
    }
    for (d, &layer) in p.example_digests.iter().zip(digest_layers) {
        match u64::from_str_radix(d.get_ref().trim_start_matches("0x"), 16) {
            Ok(v) => {
                placeholders.example_digests.insert(v);
            }
            Err(_) => problems.push((
                layer,
                TomlProblem::new(
                    format!("`{}` is not a hexadecimal digest", d.get_ref()),
                    Some(d.span()),
                ),
            )),
        }
    }
    placeholders
}

/// `[rules]` read into levels; an unknown id is a problem of the layer that named it
/// last (`rule_layers`; `last` when unknown).
fn rule_levels(
    rules: &BTreeMap<Spanned<String>, Spanned<Level>>,
    rule_layers: &HashMap<String, usize>,
    last: usize,
    problems: &mut Vec<(usize, TomlProblem)>,
) -> BTreeMap<RuleId, Level> {
    let mut levels = BTreeMap::new();
    for (k, v) in rules {
        match RuleId::parse(k.get_ref()) {
            Some(rule) => {
                levels.insert(rule, *v.get_ref());
            }
            None => problems.push((
                rule_layers.get(k.get_ref()).copied().unwrap_or(last),
                unknown_rule(k.get_ref(), k.span()),
            )),
        }
    }
    levels
}

pub fn unknown_rule(name: &str, span: Range<usize>) -> TomlProblem {
    let mut p = TomlProblem::new(format!("unknown rule `{name}`"), Some(span));
    if let Some(c) = crate::facts::normalize::closest(name, RuleId::ALL.iter().map(|r| r.as_str()))
    {
        p = p.help(format!("did you mean `{c}`?"));
    } else {
        p = p.help("`archlint rules` lists every rule");
    }
    p
}

fn levels(s: &SectionSpec, problem: &mut dyn FnMut(TomlProblem)) -> RangeInclusive<u8> {
    let check = |v: &Spanned<u8>, problem: &mut dyn FnMut(TomlProblem)| {
        let n = *v.get_ref();
        if !(1..=6).contains(&n) {
            problem(TomlProblem::new(
                format!("heading level {n} is impossible; levels run from 1 to 6"),
                Some(v.span()),
            ));
        }
        n.clamp(1, 6)
    };
    match (&s.level, &s.min_level, &s.max_level) {
        (Some(l), None, None) => {
            let l = check(l, problem);
            l..=l
        }
        (Some(l), _, _) => {
            problem(TomlProblem::new(
                "use either `level` or `min-level`/`max-level`, not both",
                Some(l.span()),
            ));
            1..=6
        }
        (None, min, max) => {
            let lo = min.as_ref().map(|v| check(v, problem)).unwrap_or(1);
            let hi = max.as_ref().map(|v| check(v, problem)).unwrap_or(6);
            if lo > hi {
                problem(TomlProblem::new(
                    format!("`min-level` {lo} is above `max-level` {hi}"),
                    min.as_ref().map(|m| m.span()),
                ));
            }
            lo..=hi.max(lo)
        }
    }
}

fn compile(p: &Spanned<String>, problem: &mut dyn FnMut(TomlProblem)) -> Option<Regex> {
    match regex::RegexBuilder::new(p.get_ref())
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
    {
        Ok(re) => Some(re),
        Err(e) => {
            let msg = e.to_string();
            let first = match e {
                // "Compiled regex exceeds size limit of 1048576 bytes."
                regex::Error::CompiledTooBig(limit) => {
                    format!("it compiles to more than {limit} bytes; make it smaller")
                }
                _ => msg
                    .lines()
                    .rev()
                    .find(|l| l.starts_with("error:"))
                    .unwrap_or("invalid regular expression")
                    .trim_start_matches("error:")
                    .trim()
                    .to_string(),
            };
            problem(
                TomlProblem::new(
                    format!("invalid regular expression: {first}"),
                    Some(p.span()),
                )
                .label("this pattern"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_profile_loads() {
        for (name, _) in BUILTIN {
            let p = Profile::builtin(name).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert_eq!(&p.name, name);
        }
    }
}
