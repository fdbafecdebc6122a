//! A required top-level section written inside another one (issue #17, point 5): a
//! level range lets a section be written at `###`, but not hidden inside an unrelated
//! required section; `within` in a profile names where it may stand.

use crate::support::{findings_of, text};

/// `(line, message)` of every `heading-level` finding under `core`.
fn heading_levels(doc: &str) -> Vec<(u64, String)> {
    findings_of(doc, "core", "heading-level")
        .iter()
        .map(|d| (d["line"].as_u64().unwrap_or(0), text(d, "message")))
        .collect()
}

fn doc(outline: &[&str]) -> String {
    let mut s = String::from("# Architecture\n\n");
    for h in outline {
        s.push_str(&format!("{h}\n\nSome text.\n\n"));
    }
    s
}

#[test]
fn a_section_inside_an_unrelated_required_one_is_reported() {
    let text = doc(&[
        "## Overview",
        "## System Architecture",
        "## Components",
        "## Data Flow",
        "## Design Decisions",
        "### Security Architecture",
        "## Deployment",
        "## Future Considerations",
    ]);
    assert_eq!(
        heading_levels(&text),
        [(
            23,
            "section `Security Architecture` is nested inside `Design Decisions`, another \
             required top-level section"
                .to_string()
        )]
    );
}

/// As the templates nest them: Components, Data Flow and the rest inside System
/// Architecture, System Architecture inside an overview; a section under a heading no
/// requirement claims, or under the title, is where it should be.
#[test]
fn sections_nested_where_documents_nest_them_pass() {
    let text = doc(&[
        "## Architecture Overview",
        "### High-Level Architecture",
        "## Components",
        "## Internals",
        "### Data Flow",
        "### Design Decisions",
        "### Security",
        "### Deployment",
        "### Future Considerations",
    ]);
    assert_eq!(heading_levels(&text), []);
    let text = doc(&[
        "## Overview",
        "## System Architecture",
        "### Components",
        "### Data Flow",
        "### Design Decisions",
        "### Security",
        "### Deployment",
        "## Future Considerations",
    ]);
    assert_eq!(heading_levels(&text), []);
}
