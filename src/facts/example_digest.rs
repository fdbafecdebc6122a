//! The digest of a code block's text, by which a template's example block left in a
//! document is recognised (`example-digests` in a profile).

use std::collections::HashSet;

/// How many bytes of a block's folded text the first part of its digest covers.
const PREFIX_LEN: usize = 64;

/// The digest of a code block's text, as a built-in profile's `example-digests` lists
/// it. The text is folded first: every run of whitespace (`char::is_whitespace`) becomes
/// one space, and none is left at either end. The top 16 bits are the top 16 bits of
/// XXH3-64 of the folded text's first [`PREFIX_LEN`] bytes (all of it when shorter);
/// the low 48 bits are the low 48 bits of XXH3-64 of the whole folded text.
///
/// The two parts let [`example_blocks`] turn a block away after folding only its first
/// line or two: almost no block shares its first 64 bytes with a template's example,
/// and every block of every document is tested.
pub fn digest(text: &str) -> u64 {
    FOLDED.with_borrow_mut(|out| {
        let mut fold = Fold::new(text, out);
        fold.run(usize::MAX);
        fold.digest(prefix_part(fold.prefix()))
    })
}

/// Whether a code block's text is one of `digests`' (see [`digest`]).
pub(crate) fn is_example(text: &str, digests: &HashSet<u64>) -> bool {
    FOLDED.with_borrow_mut(|out| {
        let mut fold = Fold::new(text, out);
        // One byte past the prefix: the prefix's bytes are then final (a space in it
        // has a word after it).
        fold.run(PREFIX_LEN + 1);
        let prefix = prefix_part(fold.prefix());
        if !digests.iter().any(|d| d >> 48 == prefix >> 48) {
            return false;
        }
        fold.run(usize::MAX);
        digests.contains(&fold.digest(prefix))
    })
}

thread_local! {
    /// The folded text of the block being digested, reused from block to block.
    static FOLDED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The top 16 bits of the prefix's XXH3-64, in place.
fn prefix_part(prefix: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(prefix) & !((1 << 48) - 1)
}

/// Folding a text's whitespace into `out`, as far as asked: every byte is written at
/// `n`, and `n` moves past it unless it is a space after a space (or at the start,
/// where `prev_space` begins true). A byte loop without branches for ASCII.
struct Fold<'t, 'o> {
    text: &'t str,
    out: &'o mut Vec<u8>,
    i: usize,
    n: usize,
    prev_space: bool,
}

impl<'t, 'o> Fold<'t, 'o> {
    fn new(text: &'t str, out: &'o mut Vec<u8>) -> Self {
        out.clear();
        Fold {
            text,
            out,
            i: 0,
            n: 0,
            prev_space: true,
        }
    }

    /// Fold until `until` bytes are written or the text ends.
    fn run(&mut self, until: usize) {
        // Room for what this call can write: it stops at `until` bytes, after one
        // character of at most four, and never writes more than the text holds. Only
        // that much is zeroed, not a whole block that the prefix turns away.
        let room = until.saturating_add(3).min(self.text.len());
        if self.out.len() < room {
            self.out.resize(room, 0);
        }
        let (bytes, out) = (self.text.as_bytes(), &mut *self.out);
        let (mut i, mut n, mut prev_space) = (self.i, self.n, self.prev_space);
        while i < bytes.len() && n < until {
            let b = bytes[i];
            let class = SPACE_CLASS[usize::from(b)];
            if class == MAYBE_SPACE {
                let c = self.text[i..].chars().next().unwrap_or('x');
                let len = c.len_utf8();
                if c.is_whitespace() {
                    out[n] = b' ';
                    n += usize::from(!prev_space);
                    prev_space = true;
                } else {
                    out[n..n + len].copy_from_slice(&bytes[i..i + len]);
                    n += len;
                    prev_space = false;
                }
                i += len;
                continue;
            }
            let space = class == SPACE;
            out[n] = if space { b' ' } else { b };
            n += usize::from(!(space && prev_space));
            prev_space = space;
            i += 1;
        }
        (self.i, self.n, self.prev_space) = (i, n, prev_space);
    }

    /// The folded text so far: all of it once the text has ended (no trailing space).
    fn folded(&self) -> &[u8] {
        let end = self.i == self.text.len() && self.prev_space && self.n > 0;
        &self.out[..self.n - usize::from(end)]
    }

    /// The first [`PREFIX_LEN`] bytes of the folded text; final once `run` has written
    /// more than that, or the text has ended.
    fn prefix(&self) -> &[u8] {
        let f = self.folded();
        &f[..f.len().min(PREFIX_LEN)]
    }

    /// The digest, from the prefix's part; the text must have been folded to its end.
    fn digest(&self, prefix: u64) -> u64 {
        prefix | (xxhash_rust::xxh3::xxh3_64(self.folded()) & ((1 << 48) - 1))
    }
}

/// What a byte says about whitespace: [`NOT_SPACE`], [`SPACE`] (ASCII whitespace), or
/// [`MAYBE_SPACE`], the first byte of a character that might be Unicode whitespace
/// (U+0085, U+00A0, U+1680, U+2000-U+205F, U+3000 start with C2, E1, E2 or E3).
const NOT_SPACE: u8 = 0;
const SPACE: u8 = 1;
const MAYBE_SPACE: u8 = 2;
static SPACE_CLASS: [u8; 256] = {
    let mut t = [NOT_SPACE; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = match b as u8 {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => SPACE,
            0xc2 | 0xe1 | 0xe2 | 0xe3 => MAYBE_SPACE,
            _ => NOT_SPACE,
        };
        b += 1;
    }
    t
};
