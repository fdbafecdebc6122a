//! Reading documents and rule files: UTF-8 only, no binary content, clear errors.
//!
//! Every read is bounded. A document, from a file or from standard input, is at most
//! [`MAX_DOCUMENT_BYTES`] (4 GiB less a byte), the one cap, said in the error that
//! refuses more; a profile or configuration at most [`MAX_TOML_BYTES`]. A file whose
//! size is known is refused from its size before it is read. An input that does not
//! say how long it is (standard input from a pipe or a device, a `/proc` file that
//! reports 0) is read in chunks, at most the cap and one byte more, and stops at the
//! first NUL byte: `archlint check - < /dev/zero` fails at its first chunk.

pub mod config;
pub mod discover;

use std::fs;
use std::io::Read;
use std::path::Path;

use crate::document::source::MAX_DOCUMENT_BYTES;
use crate::error::{Error, Result};

/// Profiles and configurations are small. Reading at most this much keeps a hostile
/// path bounded: `/proc/self/pagemap` is a "regular file" of endless bytes.
pub const MAX_TOML_BYTES: u64 = 16 << 20;

/// Read a text file. Invalid UTF-8 and NUL bytes are errors (exit 2) naming the file
/// and, for encoding problems, the byte offset.
///
/// The size the open handle reports (see [`regular_file`]) bounds the read, which
/// then needs no extra call to find the end; a file that reports no size (`/proc`) is
/// read as [`read_capped`] reads.
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
        Ok(0) | Err(_) => read_capped(&file, 0, path, || too_large(path))?,
        Ok(len) => read_up_to(&file, len).map_err(read_err)?,
    };
    decode(path, bytes)
}

/// Read an input of unknown length (`path` names it in errors): in chunks, failing at
/// the first chunk holding a NUL byte ([`Error::Binary`]) or once more than
/// [`MAX_DOCUMENT_BYTES`] have come (`too_large`): at most the cap and one byte is
/// taken from the input and at most the cap is held, however long it would go on
/// (`/dev/zero`, `yes`). `hint`: the expected length, 0 when unknown.
fn read_capped(
    mut input: impl Read,
    hint: u64,
    path: &Path,
    too_large: impl FnOnce() -> Error,
) -> Result<Vec<u8>> {
    const CHUNK: usize = 64 * 1024;
    let mut chunk = vec![0; CHUNK];
    let mut bytes = Vec::with_capacity(usize::try_from(hint.min(MAX_DOCUMENT_BYTES)).unwrap_or(0));
    loop {
        let room = (MAX_DOCUMENT_BYTES + 1 - bytes.len() as u64).min(CHUNK as u64) as usize;
        let n = match input.read(&mut chunk[..room]) {
            Ok(0) => return Ok(bytes),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(source) => {
                return Err(Error::Read {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        if memchr::memchr(0, &chunk[..n]).is_some() {
            return Err(Error::Binary {
                path: path.to_path_buf(),
            });
        }
        if (bytes.len() + n) as u64 > MAX_DOCUMENT_BYTES {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk[..n]);
    }
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
    let file =
        open_without_waiting(crate::fs::syspath::short(path)).map_err(|source| {
            match source.kind() {
                std::io::ErrorKind::NotFound => Error::NotFound {
                    path: path.to_path_buf(),
                },
                _ => read_err(source),
            }
        })?;
    let meta = file.metadata().map_err(read_err)?;
    if !meta.is_file() {
        return Err(Error::NotAFile {
            path: path.to_path_buf(),
        });
    }
    Ok((file, meta))
}

/// Read standard input as a document (`name`: `-` or `--stdin-filename`), with the
/// documents' cap: refused from its size when it is a redirected file, otherwise read
/// as [`read_capped`] reads.
pub fn read_stdin(name: &Path) -> Result<String> {
    let too_large = || Error::StdinTooLarge {
        name: name.to_path_buf(),
        limit: MAX_DOCUMENT_BYTES,
    };
    let left = stdin_file_left();
    if left.is_some_and(|n| n > MAX_DOCUMENT_BYTES) {
        return Err(too_large());
    }
    let bytes = read_capped(std::io::stdin().lock(), left.unwrap_or(0), name, too_large)?;
    decode(name, bytes)
}

/// What is left to read of standard input when it is a regular file (`< file`).
#[cfg(unix)]
fn stdin_file_left() -> Option<u64> {
    use std::io::Seek;
    use std::os::fd::AsFd;
    let mut file = fs::File::from(std::io::stdin().as_fd().try_clone_to_owned().ok()?);
    let meta = file.metadata().ok()?;
    if !meta.is_file() {
        return None;
    }
    let at = file.stream_position().ok()?;
    Some(meta.len().saturating_sub(at))
}

#[cfg(not(unix))]
fn stdin_file_left() -> Option<u64> {
    None
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
    fn an_input_of_unknown_length_stops_at_its_first_nul_byte() {
        let endless = std::io::repeat(b'a')
            .take(1 << 20)
            .chain(std::io::repeat(0));
        let path = Path::new("-");
        let read = read_capped(endless, 0, path, || too_large(path));
        assert!(matches!(read, Err(Error::Binary { .. })));
        let text = read_capped(&b"# Title\n"[..], 0, path, || too_large(path)).unwrap();
        assert_eq!(text, b"# Title\n");
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
