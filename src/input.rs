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
///
/// The size the open handle reports (see [`regular_file`]) bounds the read, which
/// then needs no extra call to find the end; a file that reports no size (`/proc`) is
/// read to its end, at most [`MAX_DOCUMENT_BYTES`] and one more.
pub fn read_text(path: &Path) -> Result<String> {
    let read_err = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let (file, meta) = regular_file(path)?;
    if meta.len() > MAX_DOCUMENT_BYTES {
        return Err(too_large(path));
    }
    let bytes = match usize::try_from(meta.len()) {
        Ok(0) | Err(_) => {
            let mut bytes = Vec::new();
            (&file)
                .take(MAX_DOCUMENT_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(read_err)?;
            bytes
        }
        Ok(len) => read_up_to(&file, len).map_err(read_err)?,
    };
    decode(path, bytes)
}

/// Up to `len` bytes, fewer if the file ends first: each read asks for all that is
/// left, so a file read whole takes one call.
fn read_up_to(mut file: &fs::File, len: usize) -> std::io::Result<Vec<u8>> {
    let mut bytes = vec![0; len];
    let mut filled = 0;
    while filled < len {
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(filled);
    Ok(bytes)
}

/// Open for reading without blocking on a FIFO that has no writer.
fn open_without_waiting(path: &Path) -> std::io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Read a profile or configuration: as [`read_text`], but at most [`MAX_TOML_BYTES`].
pub fn read_toml(path: &Path) -> Result<String> {
    let (file, _) = regular_file(path)?;
    let mut bytes = Vec::new();
    file.take(MAX_TOML_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
    if bytes.len() as u64 > MAX_TOML_BYTES {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            limit: MAX_TOML_BYTES,
        });
    }
    decode(path, bytes)
}

/// `path` opened, with its metadata, if it is a regular file; an error otherwise (a
/// folder, FIFO or device is never read). The handle says what the file is, so the
/// path is looked up once, and opening does not wait for a FIFO's writer.
fn regular_file(path: &Path) -> Result<(fs::File, fs::Metadata)> {
    let read_err = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = open_without_waiting(crate::syspath::short(path)).map_err(|source| match source
        .kind()
    {
        std::io::ErrorKind::NotFound => Error::NotFound {
            path: path.to_path_buf(),
        },
        _ => read_err(source),
    })?;
    let meta = file.metadata().map_err(read_err)?;
    if !meta.is_file() {
        return Err(Error::NotAFile {
            path: path.to_path_buf(),
        });
    }
    Ok((file, meta))
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

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test fails by panicking
mod tests {
    use super::*;

    #[test]
    fn a_document_is_read_whole_and_an_empty_one_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let text = "# Title\n\nÉté: 2026-11-21\n".repeat(5000);
        let path = dir.path().join("ARCHITECTURE.md");
        std::fs::write(&path, &text).unwrap();
        assert_eq!(read_text(&path).unwrap(), text);
        std::fs::write(&path, "").unwrap();
        assert_eq!(read_text(&path).unwrap(), "");
    }

    /// Files under /proc report a size of 0 and still hold text.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_reporting_no_size_is_read_to_its_end() {
        let text = read_text(Path::new("/proc/self/status")).unwrap();
        assert!(text.contains("Name:"), "{text:?}");
    }

    #[test]
    fn a_folder_is_not_a_document() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(read_text(dir.path()), Err(Error::NotAFile { .. })));
        assert!(matches!(
            read_text(&dir.path().join("absent.md")),
            Err(Error::NotFound { .. })
        ));
    }
}
