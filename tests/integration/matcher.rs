//! The shipped problem matcher parses real `--format short` output, group by group.

use regex::Regex;

use crate::support::{root, run_in, TODAY};

fn matcher() -> (Regex, serde_json::Value) {
    let path = root().join(".github/archlint-problem-matcher.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let pattern = json["problemMatcher"][0]["pattern"][0].clone();
    assert_eq!(json["problemMatcher"][0]["owner"], "archlint");
    let re = Regex::new(pattern["regexp"].as_str().unwrap_or_default())
        .unwrap_or_else(|e| panic!("the matcher's regexp does not compile: {e}"));
    (re, pattern)
}

#[test]
fn the_matcher_reads_every_field_of_real_short_output() {
    let (re, pattern) = matcher();
    let group = |name: &str| pattern[name].as_u64().unwrap_or(0) as usize;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(dir.path().join(".git")).unwrap_or_else(|e| panic!("{e}"));
    // Spaces, a colon and non-ASCII in the path; brackets, colons and backticks in
    // the messages (placeholders, mermaid).
    let folder = dir.path().join("my docs/café: v2");
    std::fs::create_dir_all(&folder).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        folder.join("ARCHITECTURE.md"),
        "# Architecture\n\nÜber [Component Name] and [e.g., Redis]: see below.\n\n\
         ## Overview\n\n```mermaid\nflowchart TD\n    A[Web --> B\n```\n\n### Empty\n\n## Data Flow\n\nIt flows.\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let file = "my docs/café: v2/ARCHITECTURE.md";
    let common = ["check", "--isolated", "--profile", "core", "--today", TODAY];
    let short = run_in(
        dir.path(),
        &[&common[..], &["--format", "short", file]].concat(),
    );
    let json = run_in(
        dir.path(),
        &[&common[..], &["--format", "json", file]].concat(),
    )
    .json();
    let diags = json["files"][0]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let lines: Vec<&str> = short
        .stdout
        .lines()
        .filter(|l| !l.starts_with("Found"))
        .collect();
    assert_eq!(lines.len(), diags.len(), "{}", short.transcript());
    assert!(
        diags.len() >= 4,
        "expected several findings: {}",
        short.transcript()
    );
    for (line, d) in lines.iter().zip(&diags) {
        let c = re
            .captures(line)
            .unwrap_or_else(|| panic!("the matcher does not match {line:?}"));
        assert_eq!(&c[group("file")], file);
        assert_eq!(c[group("line")].parse::<u64>().ok(), d["line"].as_u64());
        assert_eq!(c[group("column")].parse::<u64>().ok(), d["column"].as_u64());
        assert_eq!(Some(&c[group("severity")]), d["severity"].as_str());
        assert_eq!(Some(&c[group("message")]), d["message"].as_str());
        assert_eq!(Some(&c[group("code")]), d["rule"].as_str());
    }
    // The messages that make a lazy path group necessary are really there.
    assert!(lines.iter().any(|l| l.contains("`[Component Name]`")));
    assert!(lines
        .iter()
        .any(|l| l.contains("mermaid diagram is invalid:")));
}

#[test]
fn the_summary_line_is_not_a_problem() {
    let (re, _) = matcher();
    assert!(!re.is_match("Found 2 errors and 1 warning in 1 file (1 file checked)."));
    assert!(!re.is_match("All checks passed (1 file checked)."));
}
