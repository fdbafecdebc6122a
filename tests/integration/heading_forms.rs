//! Headings that name a required section in another word form match it (issue #17,
//! point 2), and different sections stay different.

use crate::support::{findings_of, text};

fn missing(doc: &str) -> Vec<String> {
    missing_with_help(doc).into_iter().map(|m| m.1).collect()
}

fn doc(headings: &[&str]) -> String {
    let mut s = String::from("# Architecture\n\n");
    for h in headings {
        s.push_str(&format!("## {h}\n\nSome text.\n\n"));
    }
    s
}

#[test]
fn word_forms_and_qualifiers_match() {
    let found = missing(&doc(&[
        "Architectural Overview",
        "High-Level Architecture",
        "Major Components",
        "Data Flow Summary",
        "Key Architecture Decisions",
        "Security & Access Control",
        "Deployment",
        "Future Plans",
    ]));
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn different_sections_stay_different() {
    let found = missing(&doc(&[
        "Overview",
        "System Architecture",
        "Model",
        "Data Flow",
        "Design Decisions",
        "Security",
        "Development",
        "Evaluation",
    ]));
    assert_eq!(
        found,
        [
            "required section `Components` is missing",
            "required section `Deployment` is missing",
            "required section `Future Considerations` is missing",
        ]
    );
}

/// `(line, message, help)` of every missing-section finding under `core`.
fn missing_with_help(doc: &str) -> Vec<(u64, String, String)> {
    findings_of(doc, "core", "missing-section")
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap_or(0),
                text(d, "message"),
                text(d, "help"),
            )
        })
        .collect()
}

/// "Did you mean" offers only a misspelling, at most once per heading, and the
/// finding points at that heading (issue #17, point 3); a different word gets none.
#[test]
fn suggestions_are_misspellings_at_their_heading() {
    let doc = doc(&[
        "Overview",
        "System Architecture",
        "Componets",
        "Data Flow",
        "Design Decisions",
        "Security",
        "Development",
        "Evaluation",
    ]);
    let found = missing_with_help(&doc);
    assert_eq!(found.len(), 3, "{found:#?}");
    // `## Componets` is on line 11.
    assert_eq!(found[0].0, 11, "{found:#?}");
    assert_eq!(
        found[0].2,
        "did you mean `Componets`? rename it to `Components`"
    );
    for (_, message, help) in &found[1..] {
        assert!(!help.contains("did you mean"), "{message}: {help}");
    }
}
