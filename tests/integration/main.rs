//! archlint's one integration test binary (one binary links once: ruff, just, ripgrep).
//!
//! - `fixtures`: every rule's pass/fail documents, plus the rule registry.
//! - `profiles`: built-in profiles load; broken profiles fail with located errors.
//! - `cli`: the `archlint` binary end to end: exit codes, config, formats.

// A panic is how a test fails; the crate's no-unwrap lints are for library code.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod architecture_doc;
mod bad_input;
mod cli;
mod dead_reference;
mod doc_drift;
mod document_title;
mod fix;
mod fixtures;
mod formats;
mod header_fields;
mod heading_forms;
mod hostile;
mod hostile_config;
mod init_and_auto;
mod library;
mod matcher;
mod mermaid_conformance;
mod mermaid_oracle;
mod panic_policy;
mod placeholder_styles;
mod profiles;
mod properties;
mod record_folders;
mod required_nesting;
mod run_outcome;
mod safe_writes;
mod schemas;
mod support;
