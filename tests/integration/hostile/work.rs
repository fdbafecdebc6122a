//! See `mod.rs`.

use crate::support::{bounded, tree};

/// The harness itself: a clean run is measured and passes its bounds.
#[test]
fn the_bounds_harness_measures_a_run() {
    let dir = tree(&[("ARCHITECTURE.md", "# Architecture\n")]);
    let b = bounded(dir.path(), &["check", "ARCHITECTURE.md"], None, 30, 1024);
    b.run.assert_code(1);
    assert!(b.peak_mib > 0 && b.seconds > 0.0);
}
