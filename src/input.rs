//! Reading documents and rule files: UTF-8 only, no binary content, clear errors.

use std::fs;
use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// Read a text file. Invalid UTF-8 and NUL bytes are errors (exit 2) naming the file
/// and, for encoding problems, the byte offset.
pub fn read_text(path: &Path) -> Result<String> {
    let meta = fs::metadata(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => Error::NotFound {
            path: path.to_path_buf(),
        },
        _ => Error::Read {
            path: path.to_path_buf(),
            source,
        },
    })?;
    if !meta.is_file() {
        return Err(Error::NotAFile {
            path: path.to_path_buf(),
        });
    }
    let bytes = fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    decode(path, bytes)
}

/// Read standard input as a document.
pub fn read_stdin(name: &Path) -> Result<String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|source| Error::Read {
            path: name.to_path_buf(),
            source,
        })?;
    decode(name, bytes)
}

pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String> {
    if bytes.contains(&0) {
        return Err(Error::Binary {
            path: path.to_path_buf(),
        });
    }
    String::from_utf8(bytes).map_err(|e| Error::InvalidUtf8 {
        path: path.to_path_buf(),
        offset: e.utf8_error().valid_up_to(),
    })
}
