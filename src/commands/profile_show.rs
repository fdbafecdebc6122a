//! `archlint profile show NAME`: the fully resolved rule set as TOML.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};
use crate::profile::Profile;

pub fn run(out: &mut dyn Write, name: &str, cwd: &Path) -> Result<()> {
    let profile = Profile::load(name, cwd)?;
    let text = toml::to_string_pretty(&profile.resolved).map_err(|e| Error::Usage {
        message: format!("cannot print profile `{name}`: {e}"),
        help: None,
    })?;
    writeln!(
        out,
        "# The profile `{}` as archlint resolves it ({}).\n",
        // A comment line: a newline in either would end it and start a line of TOML.
        crate::report::escape::terminal(&profile.name),
        crate::report::escape::terminal(&profile.file)
    )
    .and_then(|_| write!(out, "{text}"))
    .map_err(|source| Error::Write {
        path: "<stdout>".into(),
        source,
    })
}
