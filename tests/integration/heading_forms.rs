//! Headings that name a required section in another word form match it (issue #17,
//! point 2), and different sections stay different.

use crate::support::{run_in, tree};

fn missing(doc: &str) -> Vec<String> {
    let dir = tree(&[("ARCHITECTURE.md", doc)]);
    let run = run_in(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--profile",
            "core",
            "--format",
            "json",
            "ARCHITECTURE.md",
        ],
    );
    run.json()["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "missing-section")
        .map(|d| d["message"].as_str().unwrap().to_string())
        .collect()
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
