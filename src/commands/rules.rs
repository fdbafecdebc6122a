//! `archlint rules`: every rule, its default severity and one line.

use std::io::{self, Write};

use crate::rules::RULES;

pub fn run(out: &mut dyn Write) -> io::Result<()> {
    let width = RULES
        .iter()
        .map(|r| r.meta().id.as_str().len())
        .max()
        .unwrap_or(0);
    for r in RULES {
        let m = r.meta();
        writeln!(
            out,
            "{:width$}  {:7}  {}",
            m.id.as_str(),
            m.severity.as_str(),
            m.summary
        )?;
    }
    Ok(())
}
