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
            "{name:width$}  {} sections, {} diagrams  {}",
            p.sections.len(),
            p.diagrams.len(),
            p.description
        )
        .map_err(|source| Error::Write {
            path: "<stdout>".into(),
            source,
        })?;
    }
    Ok(())
}
