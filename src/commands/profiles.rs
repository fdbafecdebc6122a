//! `archlint profiles`: the built-in profiles.

use std::io::Write;

use crate::error::{Error, Result};
use crate::profile::{Profile, BUILTIN};

pub fn run(out: &mut dyn Write) -> Result<()> {
    let width = BUILTIN.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    for (name, _) in BUILTIN {
        let p = Profile::builtin(name)?;
        writeln!(
            out,
            "{name:width$}  {:12}  {:10}  {}",
            crate::report::plural(p.sections.len(), "section"),
            crate::report::plural(p.diagrams.len(), "diagram"),
            p.description
        )
        .map_err(|source| Error::Write {
            path: "<stdout>".into(),
            source,
        })?;
    }
    Ok(())
}
