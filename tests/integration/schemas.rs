//! The JSON Schemas of archlint's own TOML files: the shipped copies in `schemas/`
//! are exactly what `archlint schema` prints, and real files validate against them.
//!
//! After changing `src/input/config.rs` or `src/profile/model.rs`, regenerate with
//! `ARCHLINT_UPDATE_SCHEMAS=1 cargo test schemas` (or `archlint schema config >
//! schemas/archlint-config.schema.json`, and the same for `profile`).

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{self, Run};

fn schema_path(kind: &str) -> PathBuf {
    support::root()
        .join("schemas")
        .join(format!("archlint-{kind}.schema.json"))
}

fn printed(kind: &str) -> String {
    let run: Run = support::run_in(support::root(), &["schema", kind]);
    run.assert_code(0);
    assert!(run.stderr.is_empty(), "{}", run.transcript());
    run.stdout
}

#[test]
fn shipped_schemas_are_what_the_binary_prints() {
    for kind in ["config", "profile"] {
        let path = schema_path(kind);
        let fresh = printed(kind);
        if std::env::var_os("ARCHLINT_UPDATE_SCHEMAS").is_some() {
            std::fs::write(&path, &fresh).expect("write the schema");
            continue;
        }
        let shipped = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            shipped == fresh,
            "{} is out of date with `archlint schema {kind}`.\n\
             Regenerate it with `ARCHLINT_UPDATE_SCHEMAS=1 cargo test schemas` and commit it.",
            path.display()
        );
    }
}

#[test]
fn schemas_are_draft_07_with_a_title() {
    for kind in ["config", "profile"] {
        let schema: Value = serde_json::from_str(&printed(kind)).expect("the schema is JSON");
        assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
        assert!(schema["title"].as_str().unwrap().starts_with("archlint "));
        assert!(schema["description"].is_string());
        assert_eq!(schema["additionalProperties"], false);
    }
}

fn validator(kind: &str) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&printed(kind)).expect("the schema is JSON");
    jsonschema::validator_for(&schema).expect("a valid JSON Schema")
}

/// TOML → JSON, as an editor's schema support sees the file.
fn toml_as_json(text: &str, name: &str) -> Value {
    let value: toml::Value =
        toml::from_str(text).unwrap_or_else(|e| panic!("{name} is not TOML: {e}"));
    serde_json::to_value(value).expect("TOML converts to JSON")
}

fn errors(validator: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    validator
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read the folder")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    out.sort();
    out
}

#[test]
fn every_built_in_rule_set_validates_against_the_profile_schema() {
    let v = validator("profile");
    let files = toml_files(&support::root().join("rules"));
    assert!(files.len() >= 6, "the built-in profiles are in rules/");
    // The fixture profiles the rule tests use are user rule sets too.
    let fixtures = support::fixtures().join("rules");
    let mut all = files;
    for entry in std::fs::read_dir(&fixtures).expect("fixtures") {
        let p = entry.expect("an entry").path().join("profile.toml");
        if p.is_file() {
            all.push(p);
        }
    }
    all.push(support::fixtures().join("formats/profile.toml"));
    for path in all {
        let text = std::fs::read_to_string(&path).expect("read the profile");
        let name = path.display().to_string();
        let problems = errors(&v, &toml_as_json(&text, &name));
        assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
    }
}

#[test]
fn the_profile_schema_rejects_what_archlint_rejects() {
    let v = validator("profile");
    for (text, why) in [
        ("sectons = []\n", "an unknown key"),
        (
            "[[sections]]\nid = \"a\"\ntitle = \"A\"\nlevel = 9\n",
            "a level past 6",
        ),
        ("[[sections]]\ntitle = \"A\"\n", "a section without an id"),
        ("[rules]\nno-such-rule = \"off\"\n", "an unknown rule"),
        ("[rules]\nplaceholder = \"loud\"\n", "an unknown level"),
        (
            "[date]\nlocation = \"middle\"\n",
            "an unknown date location",
        ),
    ] {
        let doc = toml_as_json(text, why);
        assert!(!errors(&v, &doc).is_empty(), "{why} should not validate");
    }
}

#[test]
fn configurations_validate_against_the_config_schema() {
    let v = validator("config");
    let good = r#"
profile = "comprehensive"
include = ["docs/**/*.md"]
exclude = ["docs/archive/**"]

[rules]
placeholder = "off"
stale-date = { level = "error", max-age-days = 90 }

[rules.empty-section]
level = "warning"

[[overrides]]
files = ["services/**"]
profile = "service"
rules = { missing-diagram = "warning" }
"#;
    let problems = errors(&v, &toml_as_json(good, "good config"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    for (text, why) in [
        ("profle = \"core\"\n", "an unknown key"),
        (
            "[rules]\nplaceholder = { max-age-days = 3 }\n",
            "max-age-days on another rule",
        ),
        (
            "[rules]\nstale-date = { max-age-days = 0 }\n",
            "max-age-days below 1",
        ),
        (
            "[[overrides]]\nprofile = \"core\"\n",
            "an override without files",
        ),
    ] {
        let doc = toml_as_json(text, why);
        assert!(!errors(&v, &doc).is_empty(), "{why} should not validate");
    }
}
