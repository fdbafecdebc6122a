//! Reading documents and rule files: UTF-8 only, no binary content, clear errors.

use std::fs;
use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};
use crate::source::MAX_DOCUMENT_BYTES;

/// Profiles and configurations are small. Reading at most this much keeps a hostile
/// path bounded: `/proc/self/pagemap` is a "regular file" of endless bytes.
pub const MAX_TOML_BYTES: u64 = 16 << 20;

/// Read a text file. Invalid UTF-8 and NUL bytes are errors (exit 2) naming the file
/// and, for encoding problems, the byte offset.
pub fn read_text(path: &Path) -> Result<String> {
    if regular_file(path)?.len() > MAX_DOCUMENT_BYTES {
        return Err(too_large(path));
    }
    let bytes = fs::read(crate::syspath::short(path)).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    decode(path, bytes)
}

/// Read a profile or configuration: as [`read_text`], but at most [`MAX_TOML_BYTES`].
pub fn read_toml(path: &Path) -> Result<String> {
    regular_file(path)?;
    let err = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut bytes = Vec::new();
    fs::File::open(path)
        .and_then(|f| f.take(MAX_TOML_BYTES + 1).read_to_end(&mut bytes))
        .map_err(err)?;
    if bytes.len() as u64 > MAX_TOML_BYTES {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            limit: MAX_TOML_BYTES,
        });
    }
    decode(path, bytes)
}

/// An error unless `path` is a regular file (a folder, FIFO or device is never read);
/// its metadata if it is.
fn regular_file(path: &Path) -> Result<fs::Metadata> {
    let meta = fs::metadata(crate::syspath::short(path)).map_err(|source| match source.kind() {
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
    Ok(meta)
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

fn too_large(path: &Path) -> Error {
    Error::DocumentTooLarge {
        path: path.to_path_buf(),
        limit: MAX_DOCUMENT_BYTES,
    }
}

pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String> {
    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(too_large(path));
    }
    if memchr::memchr(0, &bytes).is_some() {
        return Err(Error::Binary {
            path: path.to_path_buf(),
        });
    }
    String::from_utf8(bytes).map_err(|e| Error::InvalidUtf8 {
        path: path.to_path_buf(),
        offset: e.utf8_error().valid_up_to(),
    })
}
