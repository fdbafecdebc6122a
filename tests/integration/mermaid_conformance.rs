//! Conformance of `mermaid::check` against verdicts recorded from Mermaid's real parser.

use archlint::mermaid::{check, diagram_kind};
use serde_json::Value;

fn load() -> Vec<(String, String, bool)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/mermaid/conformance.json"
    );
    let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    let json: Value = serde_json::from_str(&raw).unwrap_or_else(|e| panic!("parse {path}: {e}"));
    let items = json
        .as_array()
        .unwrap_or_else(|| panic!("{path}: expected an array"));
    items
        .iter()
        .map(|it| {
            let id = it["id"].as_str().unwrap_or_default().to_string();
            let source = it["source"].as_str().unwrap_or_default().to_string();
            let valid = it["valid"]
                .as_bool()
                .unwrap_or_else(|| panic!("{id}: no `valid`"));
            (id, source, valid)
        })
        .collect()
}

#[test]
fn conformance_with_mermaid() {
    let cases = load();
    assert!(cases.len() >= 260, "only {} snippets", cases.len());
    let mut false_positives = Vec::new();
    let mut missed = Vec::new();
    for (id, source, valid) in &cases {
        let _ = diagram_kind(source);
        let got = check(source);
        match (valid, &got) {
            (true, Some(err)) => false_positives.push(format!("{id}: {err:?}")),
            (false, None) => missed.push(id.clone()),
            _ => {}
        }
    }
    let agree = cases.len() - false_positives.len() - missed.len();
    let pct = 100.0 * agree as f64 / cases.len() as f64;
    println!(
        "agreement {agree}/{} = {pct:.1}% (false positives {}, missed {})",
        cases.len(),
        false_positives.len(),
        missed.len()
    );
    for m in &missed {
        println!("missed: {m}");
    }
    assert!(
        false_positives.is_empty(),
        "valid diagrams reported invalid:\n{}",
        false_positives.join("\n")
    );
    assert!(pct >= 98.0, "agreement {pct:.1}% is below 98%");
}
