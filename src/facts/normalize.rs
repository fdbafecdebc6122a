//! How headings, labels and names compare, the way a reader compares them:
//! normalisation, word forms and the similarity behind "did you mean". Needs
//! nothing else of archlint, so the outline, the profiles and the matching all use it.

use compact_str::CompactString;

/// Normalise a heading for matching, the way a reader would compare them: case,
/// surrounding whitespace, a leading emoji or symbol token (mojibake included), leading
/// section numbers, `&` versus `and`, and trailing punctuation do not matter.
pub fn normalize_heading(text: &str) -> String {
    if is_plain(text) {
        return text.to_ascii_lowercase();
    }
    normalize_general(text)
}

/// [`normalize_heading`] as a [`CompactString`], for the outline that keeps one per
/// heading and field: a short plain text (most of them) is lowercased in place without
/// a heap allocation.
pub fn normalize_heading_compact(text: &str) -> CompactString {
    if is_plain(text) {
        let mut s = CompactString::from(text);
        s.make_ascii_lowercase();
        return s;
    }
    normalize_general(text).into()
}

/// Whether normalising `text` only lowercases it: ASCII, starting with a letter, words
/// of letters, digits and inner punctuation other than `&` separated by single spaces,
/// not ending in `:`, `.` or a space. Most headings and labels are; one pass over the
/// bytes says so.
fn is_plain(text: &str) -> bool {
    let b = text.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_alphabetic)
        || matches!(b.last(), Some(b':' | b'.' | b' ' | b'}'))
    {
        return false;
    }
    let mut prev = 0;
    for &c in b {
        let allowed = c.is_ascii_graphic() && c != b'&' || c == b' ' && prev != b' ';
        if !allowed {
            return false;
        }
        prev = c;
    }
    true
}

fn normalize_general(text: &str) -> String {
    let mut s = without_attributes(text.trim());
    // Leading tokens made of symbols: emoji, mojibake (`üìã`), bullets, `§`.
    if !s.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        loop {
            let token_end = s.find(char::is_whitespace).unwrap_or(s.len());
            let token = &s[..token_end];
            let no_ascii = !token.is_empty() && !token.chars().any(|c| c.is_ascii_alphanumeric());
            let symbolic = no_ascii && token.chars().any(|c| !c.is_alphanumeric());
            // Mojibake can be made of letters only (`âš` from a UTF-8 emoji read as
            // Windows-1252): a short non-ASCII token before an ASCII heading goes too.
            let rest_ascii = s[token_end..].chars().any(|c| c.is_ascii_alphabetic());
            let garbled = no_ascii && token.chars().count() <= 4 && rest_ascii;
            if (symbolic || garbled) && token_end < s.len() {
                s = s[token_end..].trim_start();
            } else {
                break;
            }
        }
        // Symbols glued to the first word (`🎯Goals`).
        s = s.trim_start_matches(|c: char| !c.is_alphanumeric());
    }
    // Section numbers: `2.`, `2.1`, `2.1.3)`; `IV.` is left alone.
    let digits = s.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ')');
    if digits.len() < s.len() && digits.starts_with(char::is_whitespace) {
        s = digits.trim_start();
    }
    if s.is_ascii() {
        fold_ascii(s)
    } else {
        fold(s)
    }
}

/// `text` without a trailing attribute block, which pandoc and kramdown read as the
/// heading's id or classes, not its words (`Context {#context}`, `Goals {.unnumbered}`,
/// `Scope {: #scope}`, `Appendix {-}`): arc42's Markdown exports write one on every
/// heading.
fn without_attributes(text: &str) -> &str {
    let Some(body) = text.strip_suffix('}') else {
        return text;
    };
    let Some(open) = body.rfind('{') else {
        return text;
    };
    let attrs = &body[open + 1..];
    let is_attrs = attrs.starts_with(['#', '.', ':']) || attrs == "-";
    let before = &text[..open];
    if is_attrs && before.ends_with(char::is_whitespace) && !before.trim().is_empty() {
        before.trim_end()
    } else {
        text
    }
}

/// The last step of [`normalize_heading`]: lowercase, whitespace folded to one
/// space, `&` becomes `and`, trailing `:`/`.` dropped.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for word in s.split_whitespace() {
        for (i, part) in word.split('&').enumerate() {
            if i > 0 {
                push_word(&mut out, "and");
            }
            if !part.is_empty() {
                if i > 0 || (!out.is_empty() && !out.ends_with(' ')) {
                    out.push(' ');
                }
                if part.is_ascii() {
                    out.extend(part.chars().map(|c| c.to_ascii_lowercase()));
                } else {
                    out.extend(part.chars().flat_map(char::to_lowercase));
                }
            }
        }
    }
    let trimmed = out.trim_end_matches([':', '.', ' ']).len();
    out.truncate(trimmed);
    out
}

/// [`fold`] for ASCII text, in one pass over the bytes (most headings and labels):
/// the words (runs of bytes other than whitespace and `&`) lowercased, each `&` the
/// word `and`, joined by single spaces.
fn fold_ascii(s: &str) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(s.len() + 4);
    // Whether a word ended since the last byte written: the next one needs a space.
    let mut ended = false;
    for &b in s.as_bytes() {
        match b {
            // `char::is_whitespace` in ASCII: also the vertical tab, unlike
            // `is_ascii_whitespace`.
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => ended = true,
            b'&' => {
                if !out.is_empty() {
                    out.push(b' ');
                }
                out.extend_from_slice(b"and");
                ended = true;
            }
            _ => {
                if ended && !out.is_empty() {
                    out.push(b' ');
                }
                ended = false;
                out.push(b.to_ascii_lowercase());
            }
        }
    }
    while out.last().is_some_and(|b| matches!(b, b':' | b'.' | b' ')) {
        out.pop();
    }
    // ASCII in, ASCII out.
    String::from_utf8(out).unwrap_or_default()
}

fn push_word(out: &mut String, word: &str) {
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
    out.push_str(word);
}

/// Normalise a field label: case, whitespace, `&`, a trailing colon.
pub fn normalize_label(text: &str) -> String {
    normalize_heading(text)
}

/// [`normalize_label`] as a [`CompactString`] (see [`normalize_heading_compact`]).
pub fn normalize_label_compact(text: &str) -> CompactString {
    normalize_heading_compact(text)
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let w = word.to_lowercase();
    candidates
        .map(|c| {
            (
                strsim::normalized_damerau_levenshtein(&w, &c.to_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// How well two normalised headings resemble each other, 0 to 1.
pub fn similarity(a: &str, b: &str) -> f64 {
    // Most pairs share almost nothing; a 64-bit sketch of their letter pairs says so for
    // a few dozen instructions, before any edit distance is computed.
    let (ma, mb) = (bigram_mask(a), bigram_mask(b));
    let common = (ma & mb).count_ones();
    let total = ma.count_ones() + mb.count_ones();
    if total > 0 && f64::from(2 * common) / f64::from(total) < 0.3 {
        return 0.0;
    }
    // Plain Levenshtein: the Damerau variant allocates a map per call, and this runs for
    // every missing section against every heading.
    let lev = strsim::normalized_levenshtein(a, b);
    let jw = strsim::jaro_winkler(a, b);
    // Word overlap catches reorderings ("Data Flow" vs "Flow of Data").
    let wa: Vec<&str> = a.split(' ').collect();
    let wb: Vec<&str> = b.split(' ').collect();
    let common = wa.iter().filter(|w| w.len() > 2 && wb.contains(w)).count();
    let overlap = if wa.is_empty() || wb.is_empty() {
        0.0
    } else {
        common as f64 / wa.len().max(wb.len()) as f64
    };
    lev.max(jw - 0.1).max(overlap * 0.9)
}

/// Which of 64 buckets the byte pairs of `s` fall into.
fn bigram_mask(s: &str) -> u64 {
    let b = s.as_bytes();
    let mut mask = 0u64;
    for w in b.windows(2) {
        let h = (u32::from(w[0]).wrapping_mul(31) ^ u32::from(w[1]).wrapping_mul(17)) % 64;
        mask |= 1 << h;
    }
    mask
}

/// A table row's cells, trimmed and without emphasis (`| **Status** | Date |`).
pub fn table_cells(line: &str) -> Option<Vec<&str>> {
    let row = line.trim().strip_prefix('|')?;
    let row = row.strip_suffix('|').unwrap_or(row);
    Some(
        row.split('|')
            .map(|c| c.trim().trim_matches(['*', '_']).trim())
            .collect(),
    )
}

/// Whether a table row is its header's delimiter (`| --- | :-: |`).
pub fn is_delimiter_row(cells: &[&str]) -> bool {
    cells
        .iter()
        .all(|c| !c.is_empty() && c.bytes().all(|b| matches!(b, b'-' | b':' | b' ')))
}

/// Words that qualify a heading without naming another section: `Key Decisions`,
/// `Major Components`, `High-Level Architecture`, `Data Flow Summary`, and (when
/// something else is left) `Architectural Overview`. Compared as stems.
const QUALIFIERS: &[&str] = &["summary", "overview", "detail", "architectur", "system"];

/// Qualifiers that only describe: dropped even when nothing but qualifiers is left
/// (`Current Architecture` and `High-Level Architecture` are an `Architecture`).
const ADJECTIVES: &[&str] = &[
    "basic",
    "current",
    "key",
    "major",
    "main",
    "core",
    "primary",
    "overall",
    "general",
    "high",
    "level",
    "high-level",
    "top-level",
];

/// One word's stem: plural and adjective endings off, so that `decisions` is
/// `decision` and `architectural` and `architecture` are both `architectur`.
pub(crate) fn stem(word: &str) -> &str {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
    let w = match w.strip_suffix("ies") {
        Some(base) if base.len() >= 3 => return base,
        _ => w,
    };
    let w = match w.strip_suffix('s') {
        Some(base) if base.len() >= 3 && !base.ends_with(['s', 'u', 'i']) => base,
        _ => w,
    };
    let w = match w.strip_suffix("al") {
        Some(base) if base.len() >= 5 => base,
        _ => w,
    };
    w.strip_suffix('e').filter(|b| b.len() >= 4).unwrap_or(w)
}

/// The form of a normalised heading or name that word-form matching compares: the
/// stems of its words without qualifiers (all of them when nothing else is left).
pub fn word_form(norm: &str) -> Option<String> {
    let stems: Vec<&str> = norm
        .split(' ')
        .map(stem)
        .filter(|w| !w.is_empty())
        .collect();
    if stems.is_empty() {
        return None;
    }
    let described: Vec<&str> = stems
        .iter()
        .copied()
        .filter(|w| !ADJECTIVES.contains(w))
        .collect();
    let kept: Vec<&str> = described
        .iter()
        .copied()
        .filter(|w| !QUALIFIERS.contains(w))
        .collect();
    Some(
        if !kept.is_empty() {
            kept
        } else if !described.is_empty() {
            described
        } else {
            stems
        }
        .join(" "),
    )
}

/// The forms of each side of a single `and` (or its French, German, Spanish or
/// Portuguese word: `Contexte et définition du problème`): a name listing more is not
/// a near-miss of any.
pub fn side_forms(norm: &str) -> Vec<String> {
    for and in [" and ", " et ", " und ", " y ", " e "] {
        if norm.matches(and).count() == 1 {
            return norm.split(and).filter_map(word_form).collect();
        }
    }
    Vec::new()
}

/// The forms of a normalised heading or name: its [`word_form`] and its
/// [`side_forms`] (`Security and Access Control` is a `Security` section).
pub fn word_forms(norm: &str) -> Vec<String> {
    let mut out: Vec<String> = word_form(norm).into_iter().collect();
    out.extend(side_forms(norm));
    out.sort();
    out.dedup();
    out
}

/// Where a heading's subject ends and a subtitle begins: `Decision: use a queue`,
/// `Decision Outcome – option 2`.
const SUBTITLE: &[&str] = &[": ", " – ", " — ", " - "];

/// Where a heading's subject of two words or more ends and what it is about begins:
/// `Considered options for providers`, `Pros and cons of different options`. One word
/// so qualified is an aspect of a part, not the document's section (`Design of the
/// library crate`, `Overview of the parser`).
const SCOPE: &[&str] = &[" for ", " of "];

/// The forms a heading is compared by.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct HeadingForms {
    /// Its [`word_forms`].
    pub own: Vec<String>,
    /// Those of its subject, when a subtitle or scope follows it: weaker evidence,
    /// taken only at a level the section allows (`### Decision: use a queue` under
    /// the decisions is one decision, not the decisions misplaced).
    pub subject: Vec<String>,
}

impl HeadingForms {
    pub fn is_empty(&self) -> bool {
        self.own.is_empty() && self.subject.is_empty()
    }
}

/// The forms of a heading (see [`HeadingForms`]). A profile's names are not cut so:
/// `Pros and Cons of the Options` is no `Pros and Cons` of something else.
pub fn heading_forms(norm: &str) -> HeadingForms {
    let own = word_forms(norm);
    let subtitle = SUBTITLE.iter().filter_map(|s| norm.find(s)).min();
    let scope = SCOPE
        .iter()
        .filter_map(|s| norm.find(s))
        .min()
        .filter(|&at| norm[..at].trim().contains(' '));
    let cut = subtitle.into_iter().chain(scope).min();
    let subject = cut
        .map(|at| &norm[..at])
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            word_forms(s)
                .into_iter()
                .filter(|f| !own.contains(f))
                .collect()
        })
        .unwrap_or_default();
    HeadingForms { own, subject }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_heading_is_also_compared_by_its_subject() {
        let subject = |h: &str| heading_forms(h).subject;
        assert!(subject("considered options for providers").contains(&"considered option".into()));
        assert!(subject("decision: option 2 – error codes").contains(&"decision".into()));
        assert!(subject("pros and cons of different options").contains(&"pro and con".into()));
        // A heading with no qualifying phrase has only its own forms, and one word
        // scoped to a part is that part's.
        assert!(subject("data flow").is_empty());
        assert!(subject("design of the library crate").is_empty());
    }

    /// [`is_plain`] as first written, a test per property.
    fn is_plain_by_parts(text: &str) -> bool {
        let b = text.as_bytes();
        b.first().is_some_and(u8::is_ascii_alphabetic)
            && !matches!(b.last(), Some(b':' | b'.' | b' ' | b'}'))
            && b.iter()
                .all(|&c| c.is_ascii_graphic() && c != b'&' || c == b' ')
            && !b.windows(2).any(|w| w == b"  ")
    }

    proptest::proptest! {
        #[test]
        fn plain_text_is_found_in_one_pass(
            parts in proptest::collection::vec(
                proptest::sample::select(vec!["R", "d", " ", "  ", "&", ":", ".", "é", "\t", "2", "-"]),
                0..8,
            )
        ) {
            let s: String = parts.concat();
            proptest::prop_assert_eq!(is_plain(&s), is_plain_by_parts(&s), "{:?}", s);
        }
    }

    proptest::proptest! {
        #[test]
        fn the_ascii_fold_agrees_with_the_general_one(s in "[ -~\t\n\r\x0b\x0c&:.]{0,40}") {
            proptest::prop_assert_eq!(fold_ascii(&s), fold(&s));
        }

        #[test]
        fn the_compact_normal_form_is_the_normal_form(
            s in "[a-zA-Z0-9 \t&:.,()/-]{0,40}|[A-Z][a-z]{0,8}( [A-Za-z0-9]{1,8}){0,5}|\\PC{0,12}"
        ) {
            let compact = normalize_heading_compact(&s);
            proptest::prop_assert_eq!(compact.as_str(), normalize_heading(&s));
        }

        #[test]
        fn plain_text_is_only_lowercased(s in "[a-zA-Z0-9 \t&:.,()/-]{0,30}|[A-Z][a-z]{0,8}( [A-Za-z0-9]{1,8}){0,4}") {
            if is_plain(&s) {
                proptest::prop_assert_eq!(s.to_ascii_lowercase(), normalize_general(&s));
            }
        }
    }

    #[test]
    fn word_forms_drop_qualifiers_and_endings_only() {
        let same = |a: &str, b: &str| {
            let (fa, fb) = (word_forms(a), word_forms(b));
            fa.iter().any(|f| fb.contains(f))
        };
        for (heading, name) in [
            ("architectural overview", "architecture overview"),
            ("key architecture decisions", "architecture decisions"),
            ("key technology decisions", "technology decisions"),
            ("major components", "components"),
            ("high-level components", "components"),
            ("security and access control", "security"),
            ("data flow summary", "data flow"),
            ("future plans", "future architecture plans"),
            ("contexte et définition du problème", "contexte"),
            ("kontext und problemstellung", "kontext"),
        ] {
            assert!(same(heading, name), "{heading} / {name}");
        }
        for (heading, name) in [
            ("development", "deployment"),
            ("evaluation", "future considerations"),
            ("model", "components"),
            ("data model", "data flow"),
            ("system architecture", "security architecture"),
        ] {
            assert!(!same(heading, name), "{heading} / {name}");
        }
    }

    #[test]
    fn plain_headings_take_the_short_way() {
        assert!(is_plain("Data Flow"));
        assert!(is_plain("Key Goals (v2)"));
        for not_plain in [
            "Data  Flow",
            "Goals:",
            "2. Goals",
            "Ops & Cost",
            " Lead",
            "Café",
            "",
        ] {
            assert!(!is_plain(not_plain), "{not_plain}");
        }
    }

    #[test]
    fn emoji_and_mojibake_prefixes_are_dropped() {
        assert_eq!(
            normalize_heading("📋 Executive Summary"),
            "executive summary"
        );
        assert_eq!(
            normalize_heading("\u{f8ff}üìã Executive Summary"),
            "executive summary"
        );
        assert_eq!(
            normalize_heading("🏗\u{fe0f} System Architecture"),
            "system architecture"
        );
        assert_eq!(
            normalize_heading("‚úÖ Review Checklist"),
            "review checklist"
        );
        assert_eq!(
            normalize_heading("âš\u{a0}ï¸\u{8f} Limitations"),
            "limitations"
        );
    }

    #[test]
    fn numbers_case_and_ampersands_do_not_matter() {
        assert_eq!(normalize_heading("2. Data Flow"), "data flow");
        assert_eq!(normalize_heading("2.1 Data Flow"), "data flow");
        assert_eq!(
            normalize_heading("  Monitoring & Observability "),
            "monitoring and observability"
        );
        assert_eq!(
            normalize_heading("Monitoring and Observability"),
            "monitoring and observability"
        );
        assert_eq!(normalize_heading("Overview:"), "overview");
    }

    #[test]
    fn attribute_blocks_are_not_words() {
        for (heading, norm) in [
            ("Context {#context}", "context"),
            (
                "1. Introduction and Goals {#section-introduction-and-goals}",
                "introduction and goals",
            ),
            ("Goals {.unnumbered}", "goals"),
            ("Scope {: #scope}", "scope"),
            ("Appendix {-}", "appendix"),
            // Not an attribute block: words in braces.
            ("Options {fast, cheap}", "options {fast, cheap}"),
        ] {
            assert_eq!(normalize_heading(heading), norm, "{heading}");
            assert_eq!(normalize_heading_compact(heading), norm, "{heading}");
        }
    }

    #[test]
    fn non_latin_words_are_kept() {
        assert_eq!(normalize_heading("Обзор системы"), "обзор системы");
        assert_eq!(normalize_heading("🎯 Цели"), "цели");
    }

    #[test]
    fn similarity_keeps_near_misses_and_drops_strangers() {
        assert!(similarity("design decisions", "desgin decisions") >= 0.75);
        assert!(similarity("data flow", "dataflow") >= 0.75);
        assert_eq!(similarity("data flow", "security"), 0.0);
    }

    #[test]
    fn closest_finds_typos_only() {
        let names = ["data-flow", "overview"];
        assert_eq!(
            closest("dataflow", names.iter().copied()),
            Some("data-flow")
        );
        assert_eq!(closest("zzz", names.iter().copied()), None);
    }
}
