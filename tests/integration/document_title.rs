//! The title names the document (issue #17, point 7): a level-1 title followed by
//! another level-1 heading is not an empty section, and a front-matter `title` is a
//! title.

use crate::support::{check_alone, Run};

fn check(doc: &str, profile: &str) -> Run {
    check_alone(doc, &["--profile", profile, "--format", "short"])
}

#[test]
fn a_title_followed_by_another_level_one_heading_is_not_empty() {
    let run = check("# Payments\n\n# Overview\n\nWhat it does.\n", "core");
    assert!(
        !run.stdout.contains("section `Payments` is empty"),
        "{}",
        run.transcript()
    );
}

#[test]
fn an_empty_section_under_an_empty_title_is_still_reported() {
    let run = check("# Payments\n\n## Overview\n", "core");
    assert!(
        run.stdout
            .contains("section `Overview` is empty [empty-section]"),
        "{}",
        run.transcript()
    );
    // A document that is nothing but its title is reported, at the title.
    let run = check("# Payments\n", "core");
    assert!(
        run.stdout
            .contains("section `Payments` is empty [empty-section]"),
        "{}",
        run.transcript()
    );
}

#[test]
fn a_front_matter_title_is_the_title() {
    let doc = "---\ntitle: Architecture\n---\n\n## Overview\n\nWhat it does.\n";
    let run = check(doc, "comprehensive");
    assert!(
        !run.stdout.contains("the document has no level-1 title"),
        "{}",
        run.transcript()
    );
    let run = check("## Overview\n\nWhat it does.\n", "comprehensive");
    assert!(
        run.stdout.contains("the document has no level-1 title"),
        "{}",
        run.transcript()
    );
}
