//! Arbitrary bytes as the body of a ```mermaid block, through the checker crate
//! (`crates/archlint-mermaid`) alone.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let _ = archlint_mermaid::diagram_kind(body);
    if let Some(e) = archlint_mermaid::check(body) {
        // The rule adds this line to the block's first line; it must be one of the body's.
        let lines = body.split(['\n', '\r']).count();
        assert!(e.line <= lines, "line {} of a {lines}-line body", e.line);
        assert!(!e.message.is_empty());
    }
});
