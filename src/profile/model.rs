//! The TOML shape of a rule set ("profile"), as users write it.
//!
//! Every struct denies unknown keys, so a typo is an error and never a silent default.
//! Values a user can get wrong are `Spanned`, so validation can point at them.

use std::collections::BTreeMap;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diagnostic::{Level, RuleId};

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ProfileFile {
    /// The profile's name (defaults to the file stem).
    pub name: Option<String>,
    /// One line shown by `archlint profiles`.
    pub description: Option<String>,
    /// A built-in profile name or a path (relative to this file) to start from.
    #[schemars(with = "Option<String>")]
    pub extends: Option<Spanned<String>>,
    pub title: Option<TitleSpec>,
    pub date: Option<DateSpec>,
    pub placeholders: Option<PlaceholderSpec>,
    /// Section ids of the base profile to drop.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<String>")]
    pub remove: Vec<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<SectionSpec>")]
    pub sections: Vec<Spanned<SectionSpec>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<DiagramSpec>")]
    pub diagrams: Vec<Spanned<DiagramSpec>>,
    /// Default levels for rules: `placeholder = "warning"`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(schema_with = "profile_rules_schema")]
    pub rules: BTreeMap<Spanned<String>, Spanned<Level>>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TitleSpec {
    /// The document must open with a level-1 title.
    #[serde(default = "yes")]
    pub required: bool,
    /// Text for `archlint init`.
    pub text: Option<String>,
    /// Labelled fields of the document's header, the lines between the title and the
    /// first section (`Version`, `Status`, `Author`); a front-matter key of the same
    /// name counts too. The last-updated date is `[date]`'s.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<String>")]
    pub fields: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DateLocation {
    /// Before the first level-2 heading.
    Header,
    /// After the last heading.
    Footer,
    #[default]
    Anywhere,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DateSpec {
    #[serde(default = "yes")]
    pub required: bool,
    #[serde(default)]
    pub location: DateLocation,
    /// Labels that introduce the last-updated date (`Last updated`).
    #[serde(default = "default_date_labels")]
    #[schemars(with = "Vec<String>")]
    pub labels: Vec<Spanned<String>>,
    /// Front-matter keys that hold it.
    #[serde(default = "default_front_matter_keys")]
    pub front_matter_keys: Vec<String>,
    /// Older than this many days is `stale-date`.
    #[serde(default = "default_max_age")]
    #[schemars(with = "i64")]
    pub max_age_days: Spanned<i64>,
    /// How `archlint init` writes the date line: `quote` (`> Last updated: …`) or
    /// `field` (`**Last Updated**: …`).
    #[serde(default)]
    pub style: DateStyle,
    /// What the date says: `last-updated` (the document's freshness: checked for age
    /// and against today) or `decided` (the day a decision record was taken: history,
    /// only checked to parse, so never stale and free to name a proposal's future day).
    #[serde(default)]
    pub meaning: DateMeaning,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DateMeaning {
    #[default]
    LastUpdated,
    Decided,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DateStyle {
    #[default]
    Quote,
    Field,
}

impl Default for DateSpec {
    fn default() -> Self {
        DateSpec {
            required: true,
            location: DateLocation::Anywhere,
            labels: default_date_labels(),
            front_matter_keys: default_front_matter_keys(),
            max_age_days: Spanned::new(0..0, default_max_age().into_inner()),
            style: DateStyle::Quote,
            meaning: DateMeaning::LastUpdated,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PlaceholderSpec {
    /// Extra regular expressions, matched against prose (never code).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub patterns: Vec<Spanned<String>>,
    /// Literal tokens that are always placeholders (`YYYY-MM-DD`).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub tokens: Vec<Spanned<String>>,
    /// Example code blocks of the template: a block whose text equals one of these
    /// (whitespace aside) was left in verbatim.
    #[serde(default)]
    pub example_code: Vec<String>,
    /// The same, as 64-bit digests (hex; `example_digest::digest`: XXH3 of the
    /// whitespace-folded text and of its first 64 bytes), so a built-in profile need
    /// not carry the template's text.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub example_digests: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SectionSpec {
    /// Stable id, used by `parent`, `remove`, `diagrams` and `extends`.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// The heading as the template writes it.
    #[schemars(with = "String")]
    pub title: Spanned<String>,
    /// Other headings a reader would accept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<String>")]
    pub aliases: Vec<Spanned<String>>,
    /// A regular expression over the normalised heading, instead of or besides aliases.
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub pattern: Option<Spanned<String>>,
    /// Exact heading level.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<u8>", range(min = 1, max = 6))]
    pub level: Option<Spanned<u8>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<u8>", range(min = 1, max = 6))]
    pub min_level: Option<Spanned<u8>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<u8>", range(min = 1, max = 6))]
    pub max_level: Option<Spanned<u8>>,
    #[serde(default = "yes")]
    pub required: bool,
    /// Id of the section this one must sit in.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub parent: Option<Spanned<String>>,
    /// Ids of other top-level sections this one may be written inside, as templates
    /// nest it (`components` within `architecture`); inside any other, a top-level
    /// section is reported by `heading-level` even at a level its range allows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<String>")]
    pub within: Vec<Spanned<String>>,
    /// Place after this sibling id when extending (default: at the end).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub after: Option<Spanned<String>>,
    /// Labelled fields the section must carry (`Key Goals`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<String>")]
    pub fields: Vec<Spanned<String>>,
    /// The section may instead be one labelled line of the document's header, before
    /// its first level-2 heading (`Status: Accepted`, `- **Status:** accepted`), or a
    /// front-matter key of its name: as decision records often write their status.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub as_field: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subsections: Option<SubsectionSpec>,
    /// A sentence of guidance; `archlint init` writes it as an HTML comment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guidance: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SubsectionSpec {
    /// At least this many direct sub-sections (matching `match`, when given).
    #[serde(default)]
    pub min: usize,
    /// Regular expression over the normalised sub-section heading.
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub pattern: Option<Spanned<String>>,
    /// Fields each matching sub-section must carry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<String>")]
    pub fields: Vec<Spanned<String>>,
    /// Heading `archlint init` writes for the example sub-section.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DiagramKind {
    /// Only a mermaid block counts.
    #[default]
    Mermaid,
    /// A mermaid block or any fenced diagram (ASCII art, PlantUML, ...).
    Any,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DiagramSpec {
    /// The section (id) that must hold it; none means anywhere in the document.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub section: Option<Spanned<String>>,
    #[serde(default)]
    pub kind: DiagramKind,
    /// Mermaid diagram family wanted: `flowchart`, `sequence`, `class`, `state`, `er`, `c4`...
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub diagram_type: Option<Spanned<String>>,
    /// What the diagram should show, for messages and `archlint init`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

fn yes() -> bool {
    true
}

fn default_date_labels() -> Vec<Spanned<String>> {
    ["Last updated", "Last modified", "Updated"]
        .into_iter()
        .map(|s| Spanned::new(0..0, s.to_string()))
        .collect()
}

fn default_front_matter_keys() -> Vec<String> {
    vec![
        "last_updated".into(),
        "last-updated".into(),
        "updated".into(),
        "date".into(),
    ]
}

fn default_max_age() -> Spanned<i64> {
    Spanned::new(0..0, 365)
}

/// The schema of a rule level (`"off"`, `"warning"`, `"error"`), kept once in the
/// schema's definitions and referenced from every rule.
pub(crate) struct LevelSchema;

impl JsonSchema for LevelSchema {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Level".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let levels = [Level::Off, Level::Warning, Level::Error].map(Level::as_str);
        json_schema!({
            "description": "A rule's level: `off` turns it off.",
            "type": "string",
            "enum": levels,
        })
    }
}

/// One property per rule id, described by the rule's summary, so editors complete
/// the ids and reject unknown ones.
pub(crate) fn rules_table_schema(mut value: impl FnMut(RuleId) -> Schema) -> Schema {
    let mut properties = serde_json::Map::new();
    for &id in RuleId::ALL {
        let mut schema = value(id);
        schema.insert("description".into(), id.summary().into());
        properties.insert(id.as_str().into(), schema.into());
    }
    json_schema!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    })
}

/// `[rules]` of a profile: `placeholder = "warning"`.
fn profile_rules_schema(generator: &mut SchemaGenerator) -> Schema {
    rules_table_schema(|_| json_schema!({ "allOf": [generator.subschema_for::<LevelSchema>()] }))
}
