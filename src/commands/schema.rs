//! `archlint schema config|profile`: JSON Schemas of archlint's own TOML files,
//! generated from the types serde reads them with, so they cannot drift. The same
//! text is shipped in `schemas/` for taplo and Even Better TOML.

use std::io::Write;

use schemars::generate::SchemaSettings;
use schemars::JsonSchema;
use serde_json::Value;

use crate::cli::SchemaKind;
use crate::error::{Error, Result};
use crate::input::config::ConfigFile;
use crate::profile::ProfileFile;

/// The schema as pretty-printed JSON with a trailing newline.
pub fn render(kind: SchemaKind) -> String {
    let (schema, title, description) = match kind {
        SchemaKind::Config => (
            generate::<ConfigFile>(),
            "archlint configuration",
            "archlint.toml, .archlint.toml or .config/archlint.toml: the profile, which \
             documents to check, and rule levels and options.",
        ),
        SchemaKind::Profile => (
            generate::<ProfileFile>(),
            "archlint profile",
            "An archlint rule set: the sections, fields, dates, diagrams and placeholders \
             an architecture document must have.",
        ),
    };
    let mut value = schema.to_value();
    strip_null(&mut value);
    if let Some(map) = value.as_object_mut() {
        map.insert("title".into(), title.into());
        map.insert("description".into(), description.into());
    }
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// Draft-07, which taplo, VS Code and SchemaStore all read.
fn generate<T: JsonSchema>() -> schemars::Schema {
    SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<T>()
}

/// TOML has no null: an optional key is left out, never null. schemars writes
/// `Option<T>` as "T or null"; take the null back out so editors do not offer it.
fn strip_null(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(values)) = map.get_mut("enum") {
                values.retain(|v| !v.is_null());
            }
            let null = serde_json::json!({ "type": "null" });
            if let Some(Value::Array(any)) = map.get_mut("anyOf") {
                any.retain(|s| s != &null);
                if any.len() == 1 {
                    // `{anyOf: [X], description}` → X with the description.
                    let only = any.remove(0);
                    map.remove("anyOf");
                    if let Value::Object(inner) = only {
                        for (k, v) in inner {
                            map.entry(k).or_insert(v);
                        }
                    }
                }
            }
            map.values_mut().for_each(strip_null);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_null),
        _ => {}
    }
}

pub fn run(out: &mut dyn Write, kind: SchemaKind) -> Result<()> {
    out.write_all(render(kind).as_bytes())
        .map_err(|source| Error::Write {
            path: "<stdout>".into(),
            source,
        })
}
