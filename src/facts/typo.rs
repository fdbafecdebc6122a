//! Whether one short text reads as a misspelling of another: the test behind
//! `missing-section`'s "did you mean". Both sides are prepared once as a [`Term`]
//! (a document's headings once per document, a profile's names once per check), and a
//! pair is then rejected by its lengths or its letters before any edit distance is
//! computed, and the distance itself stops as soon as it exceeds what is allowed.
//! The tests hold [`misspelling`] to the plain version it replaces, which computes
//! `strsim::osa_distance` in full for every pair.

/// Characters of a text that are compared: an edit distance costs the product of the
/// lengths, and a heading that differs only past this point is not a typo.
pub const COMPARED_CHARS: usize = 64;

/// A text ready for comparison: its first [`COMPARED_CHARS`] characters, where its
/// words start and end, the same characters without spaces, and a letter histogram.
#[derive(Debug, Clone)]
pub struct Term {
    chars: Vec<char>,
    /// Ranges into `chars`, split at every space (empty words included, as
    /// `str::split(' ')` gives them).
    words: Vec<(u8, u8)>,
    spaceless: Vec<char>,
    /// Characters counted into 32 buckets: two texts whose counts differ by more than
    /// `k` in total on either side are more than `k` edits apart.
    histogram: [u8; 32],
}

impl Term {
    pub fn new(text: &str) -> Term {
        let cap = text.len().min(COMPARED_CHARS);
        let mut chars = Vec::with_capacity(cap);
        let mut spaceless = Vec::with_capacity(cap);
        let mut words = Vec::with_capacity(4);
        let mut histogram = [0u8; 32];
        let mut start = 0;
        for (i, c) in text.chars().take(COMPARED_CHARS).enumerate() {
            chars.push(c);
            let b = &mut histogram[(c as usize) & 31];
            *b = b.saturating_add(1);
            if c == ' ' {
                words.push((start as u8, i as u8));
                start = i + 1;
            } else {
                spaceless.push(c);
            }
        }
        words.push((start as u8, chars.len() as u8));
        Term {
            chars,
            words,
            spaceless,
            histogram,
        }
    }

    fn word(&self, i: usize) -> &[char] {
        let (s, e) = self.words[i];
        &self.chars[s as usize..e as usize]
    }
}

/// Edits allowed in a word or text of `len` characters: none in a short one, one slip
/// (a letter added, dropped, changed, or two swapped) up to 12, two beyond.
/// `Evolution` and `Evaluation` are two apart: different words.
fn allowed(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=12 => 1,
        _ => 2,
    }
}

/// The edits between a name and a heading when the heading reads as a misspelling of
/// the name, else `None`: word for word, each word within its own allowance (as many
/// words on both sides), or the whole with spaces left out (`Dataflow`, `Data Flow`).
pub fn misspelling(name: &Term, heading: &Term) -> Option<usize> {
    let (n, h) = (&name.chars, &heading.chars);
    if n == h || n.is_empty() || h.is_empty() || !starts_alike(n, h) {
        return None;
    }
    let long = n.len().max(h.len());
    let budget = allowed(long);
    if n.len().abs_diff(h.len()) > budget {
        return None;
    }
    // Spaces never count in the histogram test below but may be added or dropped, so
    // the bound is on the other characters: each edit moves at most one of them.
    let spaces = |t: &Term| t.chars.len() - t.spaceless.len();
    let bag = bag_distance(&name.histogram, &heading.histogram);
    let space_gap = spaces(name).abs_diff(spaces(heading));
    if bag.saturating_sub(space_gap) > budget + words_slack(name, heading) {
        return None;
    }
    if name.words.len() == heading.words.len() {
        let mut total = 0;
        let mut each = true;
        for i in 0..name.words.len() {
            let (a, b) = (name.word(i), heading.word(i));
            match osa_within(a, b, allowed(a.len().max(b.len()))) {
                Some(d) => total += d,
                None => {
                    each = false;
                    break;
                }
            }
        }
        if each && total > 0 {
            return Some(total);
        }
    }
    let (a, b) = (&name.spaceless, &heading.spaceless);
    if a == b {
        return Some(1);
    }
    osa_within(a, b, budget)
}

/// A slip keeps a text's first letter, or swaps it with the second: `Preferences` is
/// another word, not a misspelling of `References`. A first letter outside ASCII may
/// differ by its accent alone (`Évolution`), so it is not compared.
fn starts_alike(a: &[char], b: &[char]) -> bool {
    !a[0].is_ascii()
        || !b[0].is_ascii()
        || a[0] == b[0]
        || a.len() > 1 && b.len() > 1 && a[0] == b[1] && a[1] == b[0]
}

/// How many more edits the word-for-word test may allow than the whole-text one: each
/// word has its own allowance, which can add up past the whole text's.
fn words_slack(name: &Term, heading: &Term) -> usize {
    if name.words.len() != heading.words.len() {
        return 0;
    }
    (0..name.words.len())
        .map(|i| allowed(name.word(i).len().max(heading.word(i).len())))
        .sum::<usize>()
}

/// The larger of what one histogram has more of and what the other has: a lower
/// bound on the edits between the two texts (an insertion, deletion or substitution
/// moves each side by at most one; a swap of two letters by none).
fn bag_distance(a: &[u8; 32], b: &[u8; 32]) -> usize {
    let (mut more, mut less) = (0usize, 0usize);
    for (x, y) in a.iter().zip(b) {
        if x > y {
            more += usize::from(x - y);
        } else {
            less += usize::from(y - x);
        }
    }
    more.max(less)
}

/// The optimal-string-alignment distance of `a` and `b` (edits: insert, delete,
/// substitute, swap two adjacent characters, no substring edited twice) when it is at
/// most `k`, else `None`. Only the diagonal band of width `2k + 1` is computed, and the
/// computation stops at a row whose every cell exceeds `k`.
pub fn osa_within(a: &[char], b: &[char], k: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > k {
        return None;
    }
    if a == b {
        return Some(0);
    }
    if k == 0 {
        return None;
    }
    let m = b.len();
    // Three rows of the table (i - 2, i - 1 and i), on the stack for the texts this
    // module prepares.
    if m < COMPARED_CHARS + 1 {
        let mut rows = [[0usize; COMPARED_CHARS + 1]; 3];
        let [two, one, cur] = &mut rows;
        band(a, b, k, &mut two[..=m], &mut one[..=m], &mut cur[..=m])
    } else {
        let mut rows = vec![vec![0usize; m + 1]; 3];
        let [two, one, cur] = &mut rows[..] else {
            unreachable!("three rows")
        };
        band(a, b, k, two, one, cur)
    }
}

fn band<'r>(
    a: &[char],
    b: &[char],
    k: usize,
    mut two: &'r mut [usize],
    mut one: &'r mut [usize],
    mut cur: &'r mut [usize],
) -> Option<usize> {
    let big = k + 1;
    let m = b.len();
    two.fill(big);
    for (j, c) in one.iter_mut().enumerate() {
        *c = j.min(big);
    }
    for i in 1..=a.len() {
        let lo = i.saturating_sub(k).max(1);
        let hi = (i + k).min(m);
        cur.fill(big);
        cur[0] = i.min(big);
        let mut row_min = cur[0];
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (one[j - 1] + cost).min(one[j] + 1).min(cur[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(two[j - 2] + 1);
            }
            cur[j] = d.min(big);
            row_min = row_min.min(cur[j]);
        }
        if row_min > k {
            return None;
        }
        std::mem::swap(&mut two, &mut one);
        std::mem::swap(&mut one, &mut cur);
    }
    let d = one[m];
    (d <= k).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The plain version: full distances, no prefilter.
    fn misspelling_plain(name: &str, heading: &str) -> Option<usize> {
        let prefix = |s: &str| -> String { s.chars().take(COMPARED_CHARS).collect() };
        let (name, heading) = (prefix(name), prefix(heading));
        if name == heading || name.is_empty() || heading.is_empty() {
            return None;
        }
        let (nc, hc): (Vec<char>, Vec<char>) = (name.chars().collect(), heading.chars().collect());
        if !(!nc[0].is_ascii()
            || !hc[0].is_ascii()
            || nc[0] == hc[0]
            || nc.len() > 1 && hc.len() > 1 && nc[0] == hc[1] && nc[1] == hc[0])
        {
            return None;
        }
        let long = name.chars().count().max(heading.chars().count());
        if long.abs_diff(name.chars().count().min(heading.chars().count())) > allowed(long) {
            return None;
        }
        let (nw, hw): (Vec<&str>, Vec<&str>) =
            (name.split(' ').collect(), heading.split(' ').collect());
        if nw.len() == hw.len() {
            let mut total = 0;
            let mut each = true;
            for (a, b) in nw.iter().zip(&hw) {
                let d = strsim::osa_distance(a, b);
                if d > allowed(a.chars().count().max(b.chars().count())) {
                    each = false;
                    break;
                }
                total += d;
            }
            if each && total > 0 {
                return Some(total);
            }
        }
        let (a, b) = (name.replace(' ', ""), heading.replace(' ', ""));
        let d = strsim::osa_distance(&a, &b);
        (d <= allowed(long) && a != b || (a == b && name != heading)).then_some(d.max(1))
    }

    #[test]
    fn known_pairs() {
        let t = |n: &str, h: &str| misspelling(&Term::new(n), &Term::new(h));
        assert_eq!(t("deployment", "deploymnet"), Some(1));
        assert_eq!(t("data flow", "dataflow"), Some(1));
        assert_eq!(t("data flow", "data flwo"), Some(1));
        assert_eq!(t("deployment", "development"), None);
        assert_eq!(t("evolution", "evaluation"), None);
        assert_eq!(t("key design decisions", "key desing decisons"), Some(2));
        assert_eq!(t("api", "apo"), None);
        assert_eq!(t("overview", "overview"), None);
        assert_eq!(t("references", "preferences"), None);
        assert_eq!(t("overview", "voerview"), Some(1));
        assert_eq!(t("evolution", "évolution"), Some(1));
    }

    fn texts() -> impl Strategy<Value = String> {
        // Mostly near-identical pairs come from mutation below; these are the bases.
        "[a-e é ]{0,20}|[a-z]{3,14}( [a-z]{2,12}){0,3}"
    }

    fn mutate(s: &str, ops: &[(u8, usize, char)]) -> String {
        let mut v: Vec<char> = s.chars().collect();
        for &(op, at, c) in ops {
            let at = if v.is_empty() { 0 } else { at % (v.len() + 1) };
            match op % 4 {
                0 => v.insert(at, c),
                1 if at < v.len() => {
                    v.remove(at);
                }
                2 if at < v.len() => v[at] = c,
                3 if at + 1 < v.len() => v.swap(at, at + 1),
                _ => {}
            }
        }
        v.into_iter().collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn misspelling_is_the_plain_version(
            name in texts(),
            ops in proptest::collection::vec((0u8..4, 0usize..20, prop_oneof![Just(' '), Just('e'), Just('x'), Just('é')]), 0..4),
            other in texts(),
            pick in 0u8..3,
        ) {
            let heading = if pick == 0 { other } else { mutate(&name, &ops) };
            prop_assert_eq!(
                misspelling(&Term::new(&name), &Term::new(&heading)),
                misspelling_plain(&name, &heading),
                "{:?} / {:?}", name, heading
            );
        }

        #[test]
        fn bounded_distance_is_the_distance_when_within(
            a in "[abc]{0,12}",
            b in "[abc]{0,12}",
            k in 0usize..4,
        ) {
            let (ac, bc): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            let d = strsim::osa_distance(&a, &b);
            prop_assert_eq!(osa_within(&ac, &bc, k), (d <= k).then_some(d));
        }
    }
}
