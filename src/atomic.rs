//! Writing files so that a failure never leaves a half-written or lost file: write a
//! temporary file in the same folder, then rename it over the target.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let err = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    // Like ruff's `--output-file`: the folder is created when missing.
    std::fs::create_dir_all(dir).map_err(err)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".archlint-")
        .tempfile_in(dir)
        .map_err(err)?;
    tmp.write_all(bytes).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    // On failure the temporary file is removed and the old file is left untouched.
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

/// Like [`write`], but refuse to replace an existing file unless `force`.
pub fn create(path: &Path, bytes: &[u8], force: bool) -> Result<()> {
    if !force && path.exists() {
        return Err(Error::Exists {
            path: path.to_path_buf(),
        });
    }
    write(path, bytes)
}
