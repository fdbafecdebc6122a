//! `archlint.toml`: found by walking up from the working directory, validated with spans.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{GlobSet, GlobSetBuilder};
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Level, RuleId};
use crate::error::{Error, Result, TomlProblem};
use crate::profile::parse_toml;
use crate::rules::options::{AnyOptions, OptionSet, TableSeed};
use serde::de::DeserializeSeed;

/// Names looked for in each folder, in priority order.
pub const CONFIG_NAMES: &[&str] = &[".archlint.toml", "archlint.toml", ".config/archlint.toml"];

/// The documents checked when a directory is given and no `include` is configured.
pub const DEFAULT_INCLUDE: &[&str] = &["**/ARCHITECTURE.md", "**/ARCHITECTURE.*.md"];

/// `archlint.toml` (or `.archlint.toml`, `.config/archlint.toml`).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// The profile for every document: a built-in name, a path to a rule-set TOML
    /// file (relative to this file), or `auto`.
    #[schemars(with = "Option<String>")]
    profile: Option<Spanned<String>>,
    /// Globs of the documents to check when a folder is given (default:
    /// `**/ARCHITECTURE.md`, `**/ARCHITECTURE.*.md`).
    #[schemars(with = "Option<Vec<String>>")]
    include: Option<Vec<Spanned<String>>>,
    /// Globs of documents to skip.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    exclude: Vec<Spanned<String>>,
    /// With no path on the command line, a run that finds no document passes (exit 0)
    /// instead of failing with exit 2. A path named on the command line that yields
    /// no document is an error whatever this says.
    #[serde(default)]
    pass_with_no_documents: bool,
    /// Rule levels and options: `placeholder = "off"`, or
    /// `[rules.stale-date]` with `level` and `max-age-days`.
    #[serde(default)]
    #[schemars(schema_with = "config_rules_schema")]
    rules: RulesTable,
    /// Settings for documents matching some globs, applied in order.
    #[serde(default)]
    overrides: Vec<OverrideFile>,
    /// Folders of decision records. Each folder's Markdown files are checked
    /// (whatever `include` says) as records of one collection, with `profile` when
    /// one is given; a folder not listed is a collection when at least three of its
    /// files are named like records (`0001-title.md`).
    #[serde(default)]
    collections: Vec<CollectionFile>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Collection")]
struct CollectionFile {
    /// The folder, relative to the configuration's folder (`docs/decisions`).
    #[schemars(with = "String")]
    path: Spanned<String>,
    /// The profile for its records (`madr`, `nygard`, or a rule-set file); before any
    /// `[[overrides]]`, which can still change it.
    #[schemars(with = "Option<String>")]
    profile: Option<Spanned<String>>,
}

/// A configuration's `[rules]`: per rule a level (`placeholder = "off"`) or a table
/// of `level` and the rule's own options (`[rules.stale-date] max-age-days = 90`),
/// read by the rule's options type. Unknown rule ids are kept, to be reported at
/// their key.
#[derive(Debug, Default)]
struct RulesTable {
    rules: Vec<(RuleId, RuleEntry)>,
    unknown: Vec<Spanned<String>>,
}

impl<'de> Deserialize<'de> for RulesTable {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RulesTable;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a table of rule ids")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<RulesTable, A::Error> {
                let mut t = RulesTable::default();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    match RuleId::parse(key.get_ref()) {
                        Some(id) => {
                            t.rules.push((id, map.next_value_seed(ValueSeed(id))?));
                        }
                        None => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                            t.unknown.push(key);
                        }
                    }
                }
                Ok(t)
            }
        }
        d.deserialize_map(Visitor)
    }
}

/// One rule's level and options, each if written.
type RuleEntry = (Option<Level>, Option<Arc<dyn AnyOptions>>);

/// One rule's entry: a level, or a table of `level` and options.
struct ValueSeed(RuleId);

impl<'de> serde::de::DeserializeSeed<'de> for ValueSeed {
    type Value = RuleEntry;

    /// By hand rather than `untagged`, whose only error is "data did not match any
    /// variant": a string is a level and a table the rule's, each with its own error
    /// (an unknown level, a misspelt key) at its own span.
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Self::Value, D::Error> {
        struct Visitor(RuleId);
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RuleEntry;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(r#"a level ("error", "warning" or "off") or a table with `level`"#)
            }
            fn visit_str<E: serde::de::Error>(
                self,
                v: &str,
            ) -> std::result::Result<Self::Value, E> {
                Level::deserialize(serde::de::value::StrDeserializer::<E>::new(v))
                    .map(|l| (Some(l), None))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let t = TableSeed(self.0)
                    .deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok((t.level, Some(t.options)))
            }
        }
        d.deserialize_any(Visitor(self.0))
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Override")]
struct OverrideFile {
    /// Globs of the documents this override applies to.
    #[schemars(with = "Vec<String>")]
    files: Vec<Spanned<String>>,
    /// The profile for these documents.
    #[schemars(with = "Option<String>")]
    profile: Option<Spanned<String>>,
    /// Rule levels and options on top of the top-level `[rules]`.
    #[serde(default)]
    #[schemars(schema_with = "config_rules_schema")]
    rules: RulesTable,
}

/// `[rules]` of a configuration: a level, or a table with `level` and the rule's
/// options.
fn config_rules_schema(generator: &mut SchemaGenerator) -> Schema {
    use crate::profile::model::{rules_table_schema, LevelSchema};
    let level = generator.subschema_for::<LevelSchema>();
    rules_table_schema(|id| {
        let table = crate::rules::options_schema(id, generator, level.clone());
        json_schema!({ "anyOf": [level.clone(), table] })
    })
}

/// Rule settings from a `[rules]` table.
#[derive(Debug, Clone, Default)]
pub struct RuleSettings {
    pub levels: BTreeMap<RuleId, Level>,
    pub options: OptionSet,
}

#[derive(Debug, Clone)]
pub struct Override {
    pub files: GlobSet,
    pub profile: Option<String>,
    pub rules: RuleSettings,
}

/// A validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from, if any.
    pub path: Option<PathBuf>,
    /// The folder relative paths resolve against.
    pub base: PathBuf,
    pub profile: Option<String>,
    pub include: GlobSet,
    pub exclude: GlobSet,
    /// The globs as written, for messages.
    pub include_globs: Vec<String>,
    pub exclude_globs: Vec<String>,
    pub pass_with_no_documents: bool,
    pub rules: RuleSettings,
    pub overrides: Vec<Override>,
    /// `[[collections]]` folders, absolute (the base joined with each path).
    pub collections: Vec<PathBuf>,
}

impl Config {
    /// No configuration file: the defaults.
    pub fn default_in(base: &Path) -> Config {
        Config {
            path: None,
            base: base.to_path_buf(),
            profile: None,
            include: default_include(&[]),
            exclude: GlobSet::empty(),
            include_globs: DEFAULT_INCLUDE.iter().map(|g| g.to_string()).collect(),
            exclude_globs: Vec::new(),
            pass_with_no_documents: false,
            rules: RuleSettings::default(),
            overrides: Vec::new(),
            collections: Vec::new(),
        }
    }

    /// Find the configuration for a run started in `cwd`: the closest config file in
    /// `cwd` or its ancestors, stopping at the repository root.
    pub fn discover(cwd: &Path) -> Result<Config> {
        let root = crate::fs::repo::find_root(cwd);
        for dir in cwd.ancestors() {
            for name in CONFIG_NAMES {
                let candidate = dir.join(name);
                let Ok(meta) = std::fs::symlink_metadata(&candidate) else {
                    continue;
                };
                if meta.is_dir() {
                    continue;
                }
                if !meta.file_type().is_symlink() {
                    return Config::load(&candidate);
                }
                // A committed symlink: followed only inside the repository, and its
                // target (any file there) is never shown in an error.
                let root = crate::fs::confine::root_of(&candidate);
                let shown = candidate.display();
                return match crate::fs::confine::regular_file(&root, dir, name) {
                    Ok(real) => Config::load(&real).map_err(Error::without_source_text),
                    Err(crate::fs::confine::Refused::Outside) => Err(Error::usage(format!(
                        "`{shown}` is a symlink that leaves the repository"
                    ))),
                    Err(_) => Err(Error::usage(format!(
                        "`{shown}` is a symlink to nothing, or to something not a regular file"
                    ))),
                };
            }
            if root.as_deref() == Some(dir) {
                break;
            }
        }
        Ok(Config::default_in(cwd))
    }

    pub fn load(path: &Path) -> Result<Config> {
        let text = crate::input::read_toml(path)?;
        let name = path.display().to_string();
        let file: ConfigFile = parse_toml("configuration", &name, &text)?;
        let base = path
            .parent()
            .map(|p| {
                if p.ends_with(".config") {
                    p.parent().unwrap_or(p)
                } else {
                    p
                }
            })
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let mut problems = Vec::new();
        // A collection's records are checked whatever `include` says, and take its
        // profile before any override does.
        // Each collection's folder and the glob of its records, beside it.
        let folders: Vec<(&CollectionFile, String, String)> = file
            .collections
            .iter()
            .filter_map(|c| {
                let folder = collection_folder(&c.path, &mut problems)?;
                let glob = format!("{}/*.md", globset::escape(&folder));
                Some((c, folder, glob))
            })
            .collect();
        let record_globs: Vec<String> = folders.iter().map(|(_, _, g)| g.clone()).collect();
        let mut include_globs: Vec<String> = match &file.include {
            Some(globs) => globs.iter().map(|g| g.get_ref().clone()).collect(),
            None => DEFAULT_INCLUDE.iter().map(|g| g.to_string()).collect(),
        };
        let include = match &file.include {
            Some(globs) => globs_of(globs, &mut problems, &record_globs),
            None => default_include(&record_globs),
        };
        include_globs.extend(record_globs.iter().cloned());
        let exclude = globs_of(&file.exclude, &mut problems, &[]);
        let rules = rule_settings(&file.rules, &mut problems);
        let collection_overrides = folders
            .iter()
            .filter_map(|(c, _, glob)| {
                Some(Override {
                    files: checked_set(std::slice::from_ref(glob)),
                    profile: Some(c.profile.as_ref()?.get_ref().clone()),
                    rules: RuleSettings::default(),
                })
            })
            .collect::<Vec<_>>();
        let overrides = collection_overrides
            .into_iter()
            .chain(file.overrides.iter().map(|o| Override {
                files: globs_of(&o.files, &mut problems, &[]),
                profile: o.profile.as_ref().map(|p| p.get_ref().clone()),
                rules: rule_settings(&o.rules, &mut problems),
            }))
            .collect();
        if !problems.is_empty() {
            return Err(Error::toml("configuration", &name, &text, problems));
        }
        let collections = folders
            .iter()
            .map(|(_, f, _)| {
                let dir = base.join(f);
                crate::fs::syspath::normalize(&std::path::absolute(&dir).unwrap_or(dir))
            })
            .collect();
        Ok(Config {
            path: Some(path.to_path_buf()),
            base,
            profile: file.profile.map(|p| p.into_inner()),
            include,
            exclude,
            include_globs,
            exclude_globs: file.exclude.iter().map(|g| g.get_ref().clone()).collect(),
            pass_with_no_documents: file.pass_with_no_documents,
            rules,
            overrides,
            collections,
        })
    }

    /// Whether the configuration names `dir` (absolute) a collection of records.
    pub fn is_collection(&self, dir: &Path) -> bool {
        // Most configurations name none: no normalising for them.
        !self.collections.is_empty() && {
            let dir = crate::fs::syspath::normalize(dir);
            self.collections.contains(&dir)
        }
    }
}

/// A `[[collections]]` path, checked and written with `/` and no `.` parts: a
/// relative folder that stays below the configuration's folder.
fn collection_folder(path: &Spanned<String>, problems: &mut Vec<TomlProblem>) -> Option<String> {
    let raw = path.get_ref().replace('\\', "/");
    let mut parts: Vec<&str> = Vec::new();
    let mut escapes = raw.starts_with('/');
    for part in raw.split('/') {
        match part {
            "" | "." => {}
            ".." => escapes |= parts.pop().is_none(),
            p => parts.push(p),
        }
    }
    if escapes || parts.is_empty() {
        problems.push(
            TomlProblem::new(
                "a collection's path must be a folder below the configuration's folder",
                Some(path.span()),
            )
            .label("this path"),
        );
        return None;
    }
    Some(parts.join("/"))
}

/// The default include globs, and `extra` (already checked).
fn default_include(extra: &[String]) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    add_checked(&mut b, extra);
    for g in DEFAULT_INCLUDE {
        if let Ok(glob) = globset::GlobBuilder::new(g)
            .case_insensitive(true)
            .literal_separator(true)
            .build()
        {
            b.add(glob);
        }
    }
    b.build().unwrap_or_else(|_| GlobSet::empty())
}

/// The globs as written, each checked at its span, and `extra` (already checked).
fn globs_of(
    globs: &[Spanned<String>],
    problems: &mut Vec<TomlProblem>,
    extra: &[String],
) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    add_checked(&mut b, extra);
    for g in globs {
        match globset::GlobBuilder::new(g.get_ref())
            .literal_separator(true)
            .build()
        {
            Ok(glob) => {
                b.add(glob);
            }
            Err(e) => problems.push(
                TomlProblem::new(format!("invalid glob: {}", e.kind()), Some(g.span()))
                    .label("this glob"),
            ),
        }
    }
    b.build().unwrap_or_else(|_| GlobSet::empty())
}

/// A set of globs archlint wrote itself from checked folder names.
fn checked_set(globs: &[String]) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    add_checked(&mut b, globs);
    b.build().unwrap_or_else(|_| GlobSet::empty())
}

/// Globs archlint wrote itself from checked folder names.
fn add_checked(b: &mut GlobSetBuilder, globs: &[String]) {
    for g in globs {
        if let Ok(glob) = globset::GlobBuilder::new(g).literal_separator(true).build() {
            b.add(glob);
        }
    }
}

fn rule_settings(table: &RulesTable, problems: &mut Vec<TomlProblem>) -> RuleSettings {
    let mut s = RuleSettings::default();
    for k in &table.unknown {
        problems.push(crate::profile::unknown_rule(k.get_ref(), k.span()));
    }
    for (rule, (level, options)) in &table.rules {
        if let Some(l) = level {
            s.levels.insert(*rule, *l);
        }
        if let Some(options) = options {
            let found = options.problems();
            if found.is_empty() {
                s.options.insert(*rule, options.clone());
            }
            for (message, span) in found {
                problems.push(TomlProblem::new(message, Some(span)));
            }
        }
    }
    s
}

impl RuleSettings {
    /// `other` on top of `self`.
    pub fn merged(&self, other: &RuleSettings) -> RuleSettings {
        let mut levels = self.levels.clone();
        levels.extend(other.levels.iter().map(|(k, v)| (*k, *v)));
        RuleSettings {
            levels,
            options: self.options.merged(&other.options),
        }
    }
}
