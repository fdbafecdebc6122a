//! The one place that turns byte offsets into lines and columns.
//!
//! Every reporter asks [`SourceFile::locate`]; nothing else in archlint computes a
//! line or a column. LF, CRLF and a lone CR all end a line, as CommonMark says.

use std::ops::Range;

/// A 1-based line and column; the column counts Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    /// 1-based column in UTF-8 bytes (reviewdog's unit).
    pub byte_column: usize,
}

/// A document's text with its line table. A leading BOM is removed on creation,
/// so offsets never point into it and columns do not count it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user should see it (relative where possible, `-` for stdin).
    pub name: String,
    text: String,
    /// 32 bits each: documents are at most [`MAX_DOCUMENT_BYTES`] (a dense 50 MB
    /// document has five million lines).
    line_starts: Vec<u32>,
    /// `(offset, characters before it)` at every [`CHUNK`]th byte (moved back to a
    /// character boundary), built the first time a column far into a line is needed:
    /// counting from the line start for every finding made many findings on one long
    /// line quadratic.
    char_marks: std::sync::OnceLock<Vec<(usize, usize)>>,
}

const CHUNK: usize = 4096;

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let mut text = text.into();
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        let line_starts = line_starts(&text);
        SourceFile {
            name: name.into(),
            text,
            line_starts,
            char_marks: std::sync::OnceLock::new(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset of a 1-based line and 1-based byte column (comrak's sourcepos),
    /// clamped to the text and moved back to a character boundary.
    pub fn offset_of(&self, line: usize, byte_column: usize) -> usize {
        self.offset_in(self.line_span(line), byte_column)
    }

    /// [`SourceFile::offset_of`] for a line whose [`SourceFile::line_span`] is known.
    pub fn offset_in(&self, line: Range<usize>, byte_column: usize) -> usize {
        if line.start >= self.text.len() {
            return self.text.len();
        }
        self.floor_boundary((line.start + byte_column.saturating_sub(1)).min(line.end))
    }

    /// Byte offset where a 1-based line starts (the text's end past the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.start_of(line).unwrap_or(self.text.len())
    }

    /// Where a 1-based line starts, if the text has that line.
    fn start_of(&self, line: usize) -> Option<usize> {
        self.line_starts
            .get(line.saturating_sub(1))
            .map(|&s| s as usize)
    }

    /// Byte offset just past the content of a 1-based line (before its line ending).
    pub fn line_end(&self, line: usize) -> usize {
        let Some(start) = self.start_of(line) else {
            return self.text.len();
        };
        let next = self.start_of(line + 1).unwrap_or(self.text.len());
        let bytes = self.text.as_bytes();
        let mut end = next;
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        end
    }

    /// Byte range of a 1-based line without its terminator.
    pub fn line_span(&self, line: usize) -> Range<usize> {
        let start = self.line_start(line);
        start..self.line_end(line).max(start)
    }

    /// The text of a 1-based line without its terminator.
    pub fn line_text(&self, line: usize) -> &str {
        self.text.get(self.line_span(line)).unwrap_or("")
    }

    /// The 1-based line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        // Offsets past 32 bits cannot come from a document archlint reads.
        let offset = u32::try_from(offset).unwrap_or(u32::MAX);
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i.max(1),
        }
    }

    /// Line and column (in characters and in bytes) of a byte offset.
    pub fn locate(&self, offset: usize) -> Position {
        let offset = self.floor_boundary(offset.min(self.text.len()));
        let line = self.line_of(offset);
        let start = self.line_start(line);
        let column = if offset - start <= CHUNK {
            self.text
                .get(start..offset)
                .map_or(0, |p| p.chars().count())
        } else {
            self.chars_before(offset) - self.chars_before(start)
        };
        Position {
            line,
            column: column + 1,
            byte_column: offset - start + 1,
        }
    }

    /// How many characters come before `offset` (a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let marks = self.char_marks.get_or_init(|| {
            let mut marks = Vec::with_capacity(self.text.len() / CHUNK + 1);
            let (mut pos, mut chars) = (0, 0);
            for k in 0..=self.text.len() / CHUNK {
                let at = self.floor_boundary(k * CHUNK);
                chars += self.text.get(pos..at).map_or(0, |p| p.chars().count());
                pos = at;
                marks.push((pos, chars));
            }
            marks
        });
        let (pos, chars) = marks[(offset / CHUNK).min(marks.len() - 1)];
        chars + self.text.get(pos..offset).map_or(0, |p| p.chars().count())
    }

    /// The largest character boundary at or before `offset`.
    pub fn floor_boundary(&self, offset: usize) -> usize {
        let mut o = offset.min(self.text.len());
        while o > 0 && !self.text.is_char_boundary(o) {
            o -= 1;
        }
        o
    }
}

/// The largest document archlint reads: line starts are kept in 32 bits.
pub const MAX_DOCUMENT_BYTES: u64 = u32::MAX as u64;

/// Line start offsets. A text over [`MAX_DOCUMENT_BYTES`] (only possible through the
/// library: the readers refuse one) gets no line starts past that size.
fn line_starts(text: &str) -> Vec<u32> {
    let bytes = text.as_bytes();
    let mut starts = Vec::with_capacity(bytes.len() / 40 + 1);
    starts.push(0);
    // Most documents have no CR: a search for one byte costs less per line than for two.
    if memchr::memchr(b'\r', bytes).is_none() {
        lf_starts(bytes, &mut starts);
        return starts;
    }
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        // CRLF is one line ending: the CR is skipped, the LF ends the line.
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            continue;
        }
        let Ok(start) = u32::try_from(i + 1) else {
            break;
        };
        starts.push(start);
    }
    starts
}

/// The start after every LF, 64 bytes at a time: a block's LFs are found by vector
/// compares into one bit mask, whose set bits are then read off. A search per line
/// (`memchr_iter`) pays a call and its set-up for each line of about 40 bytes.
fn lf_starts(bytes: &[u8], starts: &mut Vec<u32>) {
    let mut blocks = bytes.chunks_exact(64);
    let mut base = 0;
    for block in &mut blocks {
        let mut mask = lf_mask(block);
        while mask != 0 {
            let Ok(start) = u32::try_from(base + mask.trailing_zeros() as usize + 1) else {
                return;
            };
            starts.push(start);
            mask &= mask - 1;
        }
        base += 64;
    }
    for (i, &b) in blocks.remainder().iter().enumerate() {
        if b == b'\n' {
            let Ok(start) = u32::try_from(base + i + 1) else {
                return;
            };
            starts.push(start);
        }
    }
}

/// Bit `i` set where `block[i]` (of 64) is a LF. SSE2, which every x86-64 has.
#[cfg(target_arch = "x86_64")]
fn lf_mask(block: &[u8]) -> u64 {
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_movemask_epi8, _mm_set1_epi8, _mm_set_epi64x};
    let word = |i: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&block[i..i + 8]);
        i64::from_le_bytes(w)
    };
    (0..4).fold(0u64, |mask, q| {
        let (lo, hi) = (word(16 * q), word(16 * q + 8));
        // SAFETY: these intrinsics only need SSE2, which every x86-64 processor has
        // (it is in the target's baseline features); they read no memory.
        let m = unsafe {
            let v = _mm_set_epi64x(hi, lo);
            _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'\n' as i8)))
        };
        // The 16 compares' mask is the low 16 bits of the i32.
        mask | u64::from(m as u16) << (16 * q)
    })
}

#[cfg(not(target_arch = "x86_64"))]
fn lf_mask(block: &[u8]) -> u64 {
    block
        .iter()
        .enumerate()
        .fold(0, |mask, (i, &b)| mask | u64::from(b == b'\n') << i)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Line starts the plain way: after every LF, and after every CR not followed by
    /// a LF.
    fn starts_by_bytes(text: &str) -> Vec<u32> {
        let b = text.as_bytes();
        let mut out = vec![0];
        for (i, &c) in b.iter().enumerate() {
            if c == b'\n' || c == b'\r' && b.get(i + 1) != Some(&b'\n') {
                out.push(i as u32 + 1);
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn line_starts_with_and_without_cr(
            parts in proptest::collection::vec(
                proptest::sample::select(vec!["\n", "\r\n", "\r", "a", "é ", "", "\n\n"]),
                // Long enough for several 64-byte blocks and a remainder.
                0..300,
            ),
            cr in proptest::bool::ANY,
        ) {
            let mut text: String = parts.concat();
            if !cr {
                text = text.replace('\r', "");
            }
            proptest::prop_assert_eq!(line_starts(&text), starts_by_bytes(&text));
        }
    }

    #[test]
    fn lf_crlf_and_cr_all_end_lines() {
        let f = SourceFile::new("x", "a\nb\r\nc\rd");
        assert_eq!(f.line_count(), 4);
        assert_eq!(f.line_text(2), "b");
        assert_eq!(f.line_text(3), "c");
        assert_eq!(f.line_text(4), "d");
        assert_eq!(f.locate(7).line, 4);
    }

    #[test]
    fn columns_count_characters_and_bytes() {
        let f = SourceFile::new("x", "é→x");
        let p = f.locate("é→".len());
        assert_eq!((p.line, p.column, p.byte_column), (1, 3, 6));
    }

    #[test]
    fn bom_is_dropped() {
        let f = SourceFile::new("x", "\u{feff}# T\n");
        assert_eq!(f.text(), "# T\n");
        assert_eq!(f.locate(0).column, 1);
    }

    #[test]
    fn offsets_inside_a_character_move_back() {
        let f = SourceFile::new("x", "aé");
        assert_eq!(f.locate(2).column, 2);
        assert_eq!(f.offset_of(1, 3), 1);
    }

    #[test]
    fn columns_far_into_long_lines_count_characters() {
        let line = "a\u{e9}\u{1f980}\u{65e5}\t".repeat(3_000);
        let text = format!("x\n{line}\r{line}\r\n{line}");
        let f = SourceFile::new("x", text.as_str());
        for offset in (0..=text.len()).step_by(97).chain([text.len()]) {
            let offset = f.floor_boundary(offset);
            let start = f.line_start(f.line_of(offset));
            let p = f.locate(offset);
            assert_eq!(
                p.column,
                text[start..offset].chars().count() + 1,
                "{offset}"
            );
            assert_eq!(p.byte_column, offset - start + 1);
        }
    }

    #[test]
    fn trailing_newline_gives_an_empty_last_line() {
        let f = SourceFile::new("x", "a\n");
        assert_eq!(f.line_count(), 2);
        assert_eq!(f.line_span(1), 0..1);
        assert_eq!(f.line_span(2), 2..2);
    }
}
