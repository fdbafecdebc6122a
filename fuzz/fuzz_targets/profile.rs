//! Arbitrary bytes as TOML: loaded as a profile (parse, `extends`, validation) and as
//! an `archlint.toml` configuration. A profile that loads is then used: a skeleton is
//! generated from it (`init`) and a small document is linted against it.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use archlint::input::config::Config;
use archlint::lint::{lint_source, LintOptions};
use archlint::profile::Profile;
use archlint::document::source::SourceFile;
use libfuzzer_sys::fuzz_target;

/// One folder per fuzzing process; files in it are rewritten for every input.
static DIR: LazyLock<PathBuf> = LazyLock::new(|| {
    let dir = std::env::temp_dir().join(format!("archlint-fuzz-profile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
});

const DOC: &str = "# Architecture\n\n> Last updated: 2026-01-02\n\n## Overview\n\n**Purpose**: [TBD]\n\n### Part\n\ntext\n\n```mermaid\nflowchart TD\n  A --> B\n```\n\n## Data Flow\n\n<!-- archlint-disable placeholder -->\nTODO\n";

fuzz_target!(|data: &[u8]| {
    let dir = &*DIR;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).expect("a valid date");

    let profile_path = dir.join("profile.toml");
    std::fs::write(&profile_path, data).expect("write the profile");
    let name = profile_path.to_string_lossy().into_owned();
    if let Ok(profile) = Profile::load(&name, dir) {
        let _ = archlint::commands::init::skeleton(&profile, today);
        let file = SourceFile::new("ARCHITECTURE.md", DOC);
        let diags = lint_source(&file, &profile, &LintOptions::new(today), None);
        for d in &diags {
            assert!(d.span.end <= DOC.len() && d.span.start <= d.span.end);
        }
    }

    let config_path = dir.join("archlint.toml");
    std::fs::write(&config_path, data).expect("write the configuration");
    if let Ok(config) = Config::load(&config_path) {
        let _ = config.include.is_match("docs/ARCHITECTURE.md");
        let _ = config.exclude.is_match("docs/ARCHITECTURE.md");
        for o in &config.overrides {
            let _ = o.files.is_match("docs/ARCHITECTURE.md");
        }
        if let Some(p) = &config.profile {
            let _ = Profile::load(p, &config.base);
        }
    }
});
