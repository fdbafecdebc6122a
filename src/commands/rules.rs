//! `archlint rules`: every rule, its default severity (`off` for a rule that runs only
//! where a profile or the configuration turns it on) and one line.

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
            if m.on_by_default {
                m.severity.as_str()
            } else {
                "off"
            },
            m.summary
        )?;
    }
    Ok(())
}
