//! A template's header fields (issue #17, point 9): `enterprise` opens with Last
//! Updated, Version, Status and Author, and requires all four (the date through
//! `[date]`, the others through `[title] fields`), as labelled lines of one paragraph
//! or as front-matter keys.

use crate::support::{findings_of, run_in, text, tree};

/// Messages of every `missing-field` finding about the header under `enterprise`.
fn header_findings(doc: &str) -> Vec<String> {
    findings_of(doc, "enterprise", "missing-field")
        .iter()
        .filter(|d| d["line"] == 1)
        .map(|d| text(d, "message"))
        .collect()
}

const BODY: &str = "\n## Executive Summary\n\n**Project Overview**: Ledger for a credit union.\n";

#[test]
fn a_header_without_its_fields_is_reported() {
    let doc = format!("# Architecture Documentation: Ledger\n\n**Last Updated**: 2026-11-01\n**Version**: 3.2\n{BODY}");
    assert_eq!(
        header_findings(&doc),
        [
            "the document's header lacks the field `Author`",
            "the document's header lacks the field `Status`",
        ]
    );
}

/// The fields as the template writes them: consecutive lines of one paragraph.
#[test]
fn fields_on_consecutive_lines_of_one_paragraph_count() {
    let doc = format!(
        "# Architecture Documentation: Ledger\n\n**Last Updated**: 2026-11-01\n\
         **Version**: 3.2\n**Status:** Approved\n**Author**: Platform team\n{BODY}"
    );
    assert_eq!(header_findings(&doc), Vec::<String>::new());
}

#[test]
fn front_matter_keys_count_as_fields() {
    let doc = format!(
        "---\nversion: 3.2\nstatus: Approved\nauthor: Platform team\n---\n\n\
         # Architecture Documentation: Ledger\n\n**Last Updated**: 2026-11-01\n{BODY}"
    );
    assert_eq!(header_findings(&doc), Vec::<String>::new());
}

/// A field further down is no header field.
#[test]
fn fields_below_the_first_section_do_not_count() {
    let doc = format!(
        "# Architecture Documentation: Ledger\n\n**Last Updated**: 2026-11-01\n{BODY}\n\
         **Version**: 3.2\n**Status**: Approved\n**Author**: Platform team\n"
    );
    assert_eq!(header_findings(&doc).len(), 3);
}

/// `init` writes the fields with placeholders, so the skeleton says what to fill in.
#[test]
fn the_skeleton_carries_the_header_fields() {
    let dir = tree(&[]);
    let run = run_in(dir.path(), &["init", "--profile", "enterprise", "E.md"]);
    run.assert_code(0);
    let text = std::fs::read_to_string(dir.path().join("E.md")).unwrap_or_default();
    for field in ["**Version**: [", "**Status**: [", "**Author**: ["] {
        assert!(text.contains(field), "{field} in\n{text}");
    }
    assert_eq!(header_findings(&text), Vec::<String>::new());
}

/// Fields on consecutive lines of one paragraph each count in a section too: only the
/// first was found, so `**Decision**:` after `**Context**:` was reported missing.
#[test]
fn every_field_of_a_paragraph_counts_in_a_section() {
    let dir = tree(&[
        (
            "p.toml",
            "name = \"p\"\n\n[[sections]]\nid = \"d\"\ntitle = \"Decision\"\nfields = [\"Context\", \"Decision\", \"Consequences\"]\n",
        ),
        (
            "ARCHITECTURE.md",
            "# Architecture\n\n## Decision\n\n**Context**: Two writers.\n**Decision:** One queue.\n**Consequences**: Ordered.\n",
        ),
    ]);
    let run = run_in(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--profile",
            "p.toml",
            "--format",
            "short",
            "ARCHITECTURE.md",
        ],
    );
    run.assert_code(0);
}
