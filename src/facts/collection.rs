//! A folder of decision records, as the collection rules (`adr-sequence`,
//! `adr-status`, `adr-index`) see it: the records' numbers (from their file names)
//! and the folder's index with its links, from the folder's listing and one read of
//! the index, once per run (the repository cache keeps it); and one record's own
//! facts (its title's number, its status, what it supersedes or is superseded by),
//! read from its text by lines, not by the Markdown parser.
//!
//! A folder is a collection when at least [`MIN_RECORDS`] of its Markdown files are
//! named like records: by number (`0001-use-postgres.md`, `adr-12-…`, `ADR-7.md`) or
//! by date (`20201002-use-x.md`). A document in it is checked as a record when it
//! states a status (numbered chapters of a manual have numbers but no status), and as
//! the index when it links to half of the records, or three. The index and the
//! template (see [`is_index_name`], [`is_template_name`]) are never records.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// Fewer record-named files than this is not a collection.
pub const MIN_RECORDS: usize = 3;

/// A record's header, where its status is, ends at its fourth heading (the title and
/// two sections: `## Changelog` then `## Status` in some records).
const HEADER_HEADINGS: usize = 3;

/// The bytes of each record read for its facts: the title and status come first.
pub const HEAD_BYTES: usize = 16 * 1024;

/// Whether a file of the folder is named as its index (`README.md`, `index.md`,
/// `_index.md`, `toc.md`, `000-index.md`, in any case).
pub fn is_index_name(name: &str) -> bool {
    let name = name.trim_start_matches('0');
    let name = name.strip_prefix(['-', '_']).unwrap_or(name);
    ["readme.md", "index.md", "_index.md", "_readme.md", "toc.md"]
        .iter()
        .any(|n| name.eq_ignore_ascii_case(n))
}

/// Whether a file of the folder is named as the template its records are written
/// from (`template.md`, `_template.md`, `0000-adr-template-de.md`, `template-nygard.md`):
/// `template` is one of its words, and it carries no number but zero. A record about
/// templates (`0014-project-templates.md`, `0012-adopt-a-template-engine.md`) is a
/// record.
pub fn is_template_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let stem = lower.strip_suffix(".md").unwrap_or(&lower);
    let words: Vec<&str> = stem
        .split(['-', '_', '.', ' '])
        .filter(|w| !w.is_empty())
        .collect();
    let numbered = words.iter().any(|w| {
        let digits = w.trim_start_matches("adr");
        !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && digits.bytes().any(|b| b != b'0')
    });
    words.contains(&"template") && !numbered
}

/// The statuses records use, MADR's and Nygard's among them.
#[rustfmt::skip]
pub const RECORD_STATUSES: &[&str] = &[
    "proposed", "accepted", "rejected", "deprecated", "superseded", "draft",
    "withdrawn", "implemented", "approved", "amended", "abandoned", "obsolete", "final",
    "active", "completed", "done", "decided", "adopted", "replaced", "retired",
    "postponed", "deferred", "pending", "review", "open", "closed", "living", "stable",
    "wip", "planned", "agreed", "reverted", "stagnant", "last", "partly", "partially",
    "hold", "paused", "blocked", "in", "under", "not", "resolved", "extended",
    "extends", "amends", "refined", "refines", "clarified", "clarifies", "supersedes",
    "updated", "finalised", "finalized",
];

/// The usual statuses as records in other languages write them (`adr-status` accepts
/// them with its defaults, and does not list them in its help).
#[rustfmt::skip]
pub const TRANSLATED_STATUSES: &[&str] = &[
    "akzeptiert", "angenommen", "vorgeschlagen", "abgelehnt", "ersetzt", "veraltet",
    "entwurf", "genehmigt", "umgesetzt", "accepté", "acceptée", "proposé", "proposée",
    "rejeté", "rejetée", "remplacé", "remplacée", "obsolète", "brouillon", "validé",
    "validée", "aceptado", "aceptada", "propuesto", "propuesta", "rechazado", "rechazada",
    "reemplazado", "obsoleto", "borrador", "aceito", "aceita", "proposto", "proposta",
    "rejeitado", "substituído", "accettato", "rifiutato", "sostituito", "принято",
    "предложено", "отклонено", "устарело", "已接受", "接受", "已采纳", "采纳", "已采用",
    "提议", "提议中", "提案", "提案中", "草案", "已废弃", "废弃", "已替代", "已取代",
    "已拒绝", "承認", "承認済み", "採用", "採用済み", "却下", "廃止", "승인", "제안", "거부",
];

static FILE_NUMBER: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:adr[-_ ]?)?0*(\d{1,6})(?:[-_ .][^/]*)?\.md$").ok());
static TITLE_NUMBER: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:adr[-_ :#]*)?0*(\d{1,6})(?:[.:)\]]|\s[-–—:]|\s)").ok());
static STATUS_LINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:[-*]\s+)?(?:\|\s*)?(?:\*\*|__)?status(?:\*\*|__)?\s*(?::(?:\*\*|__)?|\|)\s*(.*?)\s*\|?\s*$").ok()
});
static SUPERSEDED_BY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)superseded\s+by\s*:?\s*(?:\[([^\]\n]*)\](?:\(([^)\s]+)\))?|(?:adr[-\s#]*)?0*(\d+))",
    )
    .ok()
});
static SUPERSEDES: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)\bsupersedes\s*:?\s*(?:\[[^\]\n]*?0*(\d+)[^\]\n]*\]|(?:adr[-\s#]*)?0*(\d+))")
        .ok()
});

/// What one record says about itself, with byte ranges into its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// The file name.
    pub name: String,
    /// The number its file name gives.
    pub number: Option<u32>,
    /// The number its title starts with, if any, and the title's range.
    pub title_number: Option<u32>,
    pub title: Option<Range<usize>>,
    /// Its status as written, and where.
    pub status: Option<(String, Range<usize>)>,
    /// What "superseded by" names: a link target (a file name) or a number.
    pub superseded_by: Vec<Target>,
    /// The numbers it says it supersedes.
    pub supersedes: Vec<u32>,
}

/// What a "superseded by" names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    File(String),
    Number(u32),
}

/// A folder of records and its index.
#[derive(Debug, Clone, Default)]
pub struct Collection {
    /// Sorted by number, then name.
    pub records: Vec<Record>,
    /// The index file's name and the Markdown files it links to (by file name).
    pub index: Option<(String, Vec<String>)>,
    /// Record by file name, and the records' numbers sorted: each record's check asks
    /// about the others, and a folder may hold hundreds.
    by_name: std::collections::HashMap<String, usize>,
    numbers: Vec<u32>,
    /// Named a collection by the configuration (`[[collections]]`): every numbered
    /// file is a record, whether or not its header states a status.
    pub marked: bool,
}

/// The record number a file name gives (`0007-x.md`, `adr-7-x.md`, `ADR-7.md`); none
/// for a name that starts with a date.
pub fn file_number(name: &str) -> Option<u32> {
    if is_date_named(name) {
        return None;
    }
    let re = FILE_NUMBER.as_ref()?;
    re.captures(name)?.get(1)?.as_str().parse().ok()
}

/// Whether a file is named as a record by the date it was written (`20201002-x.md`,
/// `2020-10-02-x.md`, `2020_10_02_x.md`, as log4brains and Jekyll name them): a record
/// with no number.
pub fn is_date_named(name: &str) -> bool {
    let b = name.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let (month, day, rest) = if digits(0..8) {
        (4..6, 6..8, 8)
    } else if digits(0..4)
        && matches!(b.get(4), Some(b'-' | b'_'))
        && digits(5..7)
        && b.get(7) == b.get(4)
        && digits(8..10)
    {
        (5..7, 8..10, 10)
    } else {
        return false;
    };
    let value = |r: std::ops::Range<usize>| name[r].parse::<u32>().unwrap_or(0);
    matches!(&name[..2], "19" | "20")
        && (1..=12).contains(&value(month))
        && (1..=31).contains(&value(day))
        && matches!(b.get(rest), Some(b'-' | b'_'))
        && name.len() > rest + 1
        && name.to_ascii_lowercase().ends_with(".md")
}

/// Whether a file is named as a record, by number or by date.
pub fn is_record_name(name: &str) -> bool {
    file_number(name).is_some() || is_date_named(name)
}

/// A status's first words, lowercased (`Partly superseded`, `Accepted (2021-03-02)`).
pub fn status_words(status: &str) -> Vec<String> {
    status
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(4)
        .map(str::to_lowercase)
        .collect()
}

/// Whether a status names one records use, in English or another language.
pub fn is_record_status(status: &str) -> bool {
    status_words(status)
        .iter()
        .any(|w| RECORD_STATUSES.contains(&w.as_str()) || TRANSLATED_STATUSES.contains(&w.as_str()))
}

/// The facts of file `name`, whose text is `text`, as a record of `c`: when `c` holds
/// it and it states a status (a numbered chapter of a manual does not), one records
/// use when it is named by a date (a dated blog post may say `status: publish`), or
/// `c` was named a collection by the configuration.
pub fn as_record(c: &Collection, name: &str, text: &str) -> Option<Record> {
    c.get(name)?;
    let mut head = HEAD_BYTES.min(text.len());
    while !text.is_char_boundary(head) {
        head -= 1;
    }
    let me = record(name, &text[..head]);
    let stated = me
        .status
        .as_ref()
        .is_some_and(|(s, _)| me.number.is_some() || is_record_status(s));
    (stated || c.marked).then_some(me)
}

/// Reads a record's facts from `text` (its head is enough).
pub fn record(name: &str, text: &str) -> Record {
    let mut r = Record {
        name: name.to_string(),
        number: file_number(name),
        ..Record::default()
    };
    let mut offset = 0;
    let mut in_front_matter = false;
    let mut in_fence = false;
    let mut status_heading = false;
    // The column a table's header row gave the status, waiting for its row of values.
    let mut status_column: Option<usize> = None;
    // A record states its status in its header: before its third section. An
    // architecture document whose decisions each carry a status is no record.
    let mut headings = 0;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim();
        if i == 0 && trimmed == "---" {
            in_front_matter = true;
            continue;
        }
        if in_front_matter {
            if trimmed == "---" || trimmed == "..." {
                in_front_matter = false;
            } else if let Some(v) = front_matter_value(line, "status") {
                let at = start + line.find(v).unwrap_or(0);
                r.status.get_or_insert((v.to_string(), at..at + v.len()));
            } else if let Some(v) = front_matter_value(line, "title") {
                r.title_number = r.title_number.or(title_number(v));
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        if trimmed.starts_with('#') {
            headings += 1;
        }
        let in_header = headings <= HEADER_HEADINGS;
        if let Some(h) = trimmed.strip_prefix("# ") {
            if r.title.is_none() {
                let at = start + (line.len() - line.trim_start().len());
                r.title = Some(at..at + trimmed.len());
                r.title_number = r.title_number.or(title_number(h.trim()));
            }
            continue;
        }
        if trimmed.starts_with('#') {
            let text = trimmed.trim_start_matches('#').trim().to_ascii_lowercase();
            status_heading = text == "status" || text == "decision status";
            continue;
        }
        // A table in the header: `| Status | Date |`, its delimiter, then the values.
        if r.status.is_none() && in_header {
            if let Some(cells) = crate::facts::normalize::table_cells(trimmed) {
                if let Some(c) = status_column {
                    if crate::facts::normalize::is_delimiter_row(&cells) {
                        continue;
                    }
                    status_column = None;
                    if let Some(v) = cells.get(c).filter(|v| !v.is_empty()) {
                        let at = start + line.find(v).unwrap_or(0);
                        r.status = Some((v.to_string(), at..at + v.len()));
                    }
                    continue;
                }
                if cells.len() > 2 {
                    status_column = cells.iter().position(|c| c.eq_ignore_ascii_case("status"));
                    if status_column.is_some() {
                        continue;
                    }
                }
            } else {
                status_column = None;
            }
        }
        if status_heading && !trimmed.is_empty() && r.status.is_none() && in_header {
            let value = trimmed.trim_start_matches(['-', '*', ' ']).trim();
            let at = start + line.find(value).unwrap_or(0);
            r.status = Some((value.to_string(), at..at + value.len()));
            status_heading = false;
        } else if r.status.is_none() && in_header && contains_folded(line, b"status") {
            if let Some(c) = STATUS_LINE.as_ref().and_then(|re| re.captures(line)) {
                if let Some(v) = c.get(1).filter(|v| !v.as_str().is_empty()) {
                    r.status = Some((v.as_str().to_string(), start + v.start()..start + v.end()));
                }
            }
        }
        // Most lines name no supersession: the patterns run only where they might.
        if !contains_folded(line, b"supersed") {
            continue;
        }
        if let Some(re) = SUPERSEDED_BY.as_ref() {
            for c in re.captures_iter(line) {
                if let Some(link) = c.get(2) {
                    r.superseded_by.push(Target::File(file_of(link.as_str())));
                } else if let Some(n) = c.get(1).and_then(|t| title_number(t.as_str())) {
                    r.superseded_by.push(Target::Number(n));
                } else if let Some(n) = c.get(3).and_then(|n| n.as_str().parse().ok()) {
                    r.superseded_by.push(Target::Number(n));
                }
            }
        }
        if let Some(re) = SUPERSEDES.as_ref() {
            for c in re.captures_iter(line) {
                if let Some(n) = c.get(1).or(c.get(2)).and_then(|n| n.as_str().parse().ok()) {
                    r.supersedes.push(n);
                }
            }
        }
    }
    r
}

/// Whether `line` holds `word` (lowercase ASCII) in any ASCII case.
fn contains_folded(line: &str, word: &[u8]) -> bool {
    line.as_bytes()
        .windows(word.len())
        .any(|w| w.eq_ignore_ascii_case(word))
}

/// The value of `key:` on a front-matter line, unquoted.
fn front_matter_value<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let (k, v) = line.split_once(':')?;
    (k.trim().eq_ignore_ascii_case(key)).then(|| v.trim().trim_matches(['"', '\'']).trim())
}

/// The number a title starts with (`1. Record decisions`, `ADR 100: …`, `ADR-007 …`).
pub fn title_number(title: &str) -> Option<u32> {
    let re = TITLE_NUMBER.as_ref()?;
    let text = format!("{} ", title.trim());
    re.captures(&text)?.get(1)?.as_str().parse().ok()
}

/// The file name a link target names (`./0005-x.md#top` → `0005-x.md`).
fn file_of(target: &str) -> String {
    let path = target.split(['#', '?']).next().unwrap_or(target);
    path.rsplit('/').next().unwrap_or(path).to_string()
}

/// The collection a folder's Markdown file `names` and its index (name and text)
/// make, if they make one: at least [`MIN_RECORDS`] files named as records, or one in
/// a folder the configuration `marked`.
pub fn collect(
    names: &[&str],
    index: Option<(String, String)>,
    marked: bool,
) -> Option<Collection> {
    let mut records: Vec<Record> = names
        .iter()
        .filter_map(|name| {
            let number = file_number(name);
            ((number.is_some() || is_date_named(name))
                && !is_template_name(name)
                && !is_index_name(name))
            .then(|| Record {
                name: name.to_string(),
                number,
                ..Record::default()
            })
        })
        .collect();
    if records.len() < if marked { 1 } else { MIN_RECORDS } {
        return None;
    }
    records.sort_by(|a, b| a.number.cmp(&b.number).then(a.name.cmp(&b.name)));
    let index = index.map(|(name, text)| (name, linked_files(&text)));
    let by_name = records
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.clone(), i))
        .collect();
    let numbers = records.iter().filter_map(|r| r.number).collect();
    Some(Collection {
        records,
        index,
        by_name,
        numbers,
        marked,
    })
}

/// The files a text links to, by file name (`[x](0001-x.md)`, `[x]: ./0001-x.md`,
/// `[x](0001-x)` as documentation sites write them).
pub fn linked_files(text: &str) -> Vec<String> {
    static LINK: LazyLock<Option<Regex>> =
        LazyLock::new(|| Regex::new(r"(?:\]\(\s*<?|^\s*\[[^\]]+\]:\s*<?)([^)\s>#?]+)").ok());
    let Some(re) = LINK.as_ref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for line in text.lines() {
        for c in re.captures_iter(line) {
            if let Some(m) = c.get(1) {
                let target = m.as_str();
                if target.contains("://") || target.starts_with("..") || target.starts_with('#') {
                    continue;
                }
                let name = file_of(target);
                if !out.contains(&name) {
                    out.push(name);
                }
            }
        }
    }
    out
}

impl Collection {
    /// The record called `name`.
    pub fn get(&self, name: &str) -> Option<&Record> {
        self.by_name.get(name).map(|&i| &self.records[i])
    }

    /// How many records carry number `n`.
    pub fn count(&self, n: u32) -> usize {
        let from = self.numbers.partition_point(|&m| m < n);
        self.numbers[from..].iter().take_while(|&&m| m == n).count()
    }

    /// The largest record number below `n`.
    pub fn before(&self, n: u32) -> Option<u32> {
        let i = self.numbers.partition_point(|&m| m < n);
        i.checked_sub(1).map(|i| self.numbers[i])
    }

    /// The records with number `n`.
    pub fn numbered(&self, n: u32) -> impl Iterator<Item = &Record> {
        self.records.iter().filter(move |r| r.number == Some(n))
    }

    /// Whether `name` is a file of the folder's records or index.
    pub fn has_file(&self, name: &str) -> bool {
        self.get(name).is_some() || self.index.as_ref().is_some_and(|(n, _)| n == name)
    }

    /// Whether the index is a list of the records, to be held to listing them all: it
    /// links to at least half of them, or to three. A page about writing records
    /// that links one or two as examples is no list.
    pub fn index_lists_records(&self) -> bool {
        let Some((_, links)) = &self.index else {
            return false;
        };
        let linked = links
            .iter()
            .filter(|l| self.get(l).is_some() || self.get(&format!("{l}.md")).is_some())
            .count();
        linked > 0 && linked >= MIN_RECORDS.min(self.records.len().div_ceil(2))
    }

    /// Whether the index links to `record` (by its file name, or by its name without
    /// `.md`, as documentation sites write links).
    pub fn listed(&self, record: &str) -> bool {
        let stem = record.strip_suffix(".md").unwrap_or(record);
        self.index
            .as_ref()
            .is_some_and(|(_, links)| links.iter().any(|l| l == record || l == stem))
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)] // a test fails by panicking
mod tests {
    use super::*;

    #[test]
    fn numbers_come_from_names_and_titles() {
        assert_eq!(file_number("0007-use-postgres.md"), Some(7));
        assert_eq!(file_number("adr-100-data-push.md"), Some(100));
        assert_eq!(file_number("ADR-12.md"), Some(12));
        assert_eq!(file_number("README.md"), None);
        assert_eq!(file_number("2024-roadmap.md"), Some(2024));
        assert_eq!(title_number("1. Record architecture decisions"), Some(1));
        assert_eq!(title_number("ADR 100: Data Companion Push API"), Some(100));
        assert_eq!(title_number("ADR-007 Use Kafka"), Some(7));
        assert_eq!(title_number("Use Kafka for events"), None);
    }

    #[test]
    fn a_name_starting_with_a_date_is_a_record_with_no_number() {
        for name in [
            "20201002-use-lunr.md",
            "2020-10-02-use-lunr.md",
            "2020_10_02_use_lunr.md",
            "2022-07-21_pick-queue.md",
        ] {
            assert!(is_date_named(name), "{name}");
            assert!(is_record_name(name), "{name}");
            assert_eq!(file_number(name), None, "{name}");
        }
        for name in [
            "2024-roadmap.md",
            "20201302-x.md",
            "2020-10_02-x.md",
            "20201002.md",
        ] {
            assert!(!is_date_named(name), "{name}");
        }
        let c = collect(
            &[
                "20200101-a.md",
                "20200102-b.md",
                "2020-01-03-c.md",
                "template.md",
                "README.md",
            ],
            None,
            false,
        )
        .expect("three dated records make a collection");
        assert_eq!(c.records.len(), 3);
        assert!(c.records.iter().all(|r| r.number.is_none()));
        // A dated post stating a status that is no record's is not a record.
        assert!(as_record(&c, "20200101-a.md", "# A\n\nstatus: publish\n").is_none());
        assert!(as_record(&c, "20200101-a.md", "# A\n\n- Status: accepted\n").is_some());
    }

    #[test]
    fn templates_and_indexes_are_named_so() {
        for t in [
            "template.md",
            "_template.md",
            "0000-adr-template.md",
            "adr000-template.md",
            "TEMPLATE.md",
            ".TEMPLATE.md",
            "0000-adr-template-de.md",
            "template-nygard.md",
        ] {
            assert!(is_template_name(t), "{t}");
        }
        for r in [
            "adr-014-project-templates.md",
            "0012-adopt-a-template-engine.md",
            "0003-template.md",
            "templates.md",
        ] {
            assert!(!is_template_name(r), "{r}");
        }
        for i in [
            "README.md",
            "index.md",
            "000-index.md",
            "0_index.md",
            "toc.md",
            "_readme.md",
        ] {
            assert!(is_index_name(i), "{i}");
        }
        for r in ["001-index-the-events.md", "indexes.md", "0001-readme.md"] {
            assert!(!is_index_name(r), "{r}");
        }
    }

    #[test]
    fn an_index_is_a_list_of_the_records() {
        let names = [
            "0001-a.md",
            "0002-b.md",
            "0003-c.md",
            "0004-d.md",
            "0005-e.md",
            "0006-f.md",
        ];
        let with = |text: &str| {
            collect(
                &names,
                Some(("README.md".to_string(), text.to_string())),
                false,
            )
            .expect("a collection")
        };
        assert!(
            !with("See [an example](0001-a.md) and [another](0002-b.md).").index_lists_records()
        );
        assert!(with("- [A](0001-a.md)\n- [B](0002-b.md)\n- [C](0003-c)\n").index_lists_records());
    }

    #[test]
    fn statuses_in_every_place_records_keep_them() {
        let section = "# 2. Use X\n\nDate: 2020-01-01\n\n## Status\n\nSuperseded by [3. Use Y](0003-use-y.md)\n";
        let r = record("0002-use-x.md", section);
        assert_eq!(r.title_number, Some(2));
        assert_eq!(
            r.status.as_ref().map(|s| s.0.as_str()),
            Some("Superseded by [3. Use Y](0003-use-y.md)")
        );
        assert_eq!(r.superseded_by, [Target::File("0003-use-y.md".into())]);
        let front = "---\nstatus: accepted\n---\n# Use Y\n\nSupersedes ADR-0002.\n";
        let r = record("0003-use-y.md", front);
        assert_eq!(r.status.as_ref().map(|s| s.0.as_str()), Some("accepted"));
        assert_eq!(r.supersedes, [2]);
        let table = "# Z\n\n|Metadata|Value|\n|---|---|\n|Status  |Implemented|\n";
        assert_eq!(
            record("ADR-4.md", table).status.map(|s| s.0),
            Some("Implemented".into())
        );
        let field = "# 5. W\n\n* Status: proposed\n";
        assert_eq!(
            record("0005-w.md", field).status.map(|s| s.0),
            Some("proposed".into())
        );
        let bold = "# 6. V\n\n**Status**: Accepted\n";
        assert_eq!(
            record("0006-v.md", bold).status.map(|s| s.0),
            Some("Accepted".into())
        );
    }

    #[test]
    fn a_collection_is_three_record_names() {
        assert!(collect(&["0001-a.md", "0002-b.md", "notes.md"], None, false).is_none());
        let c = collect(
            &["0002-b.md", "0001-a.md", "0002-c.md", "README.md"],
            None,
            false,
        )
        .expect("a collection");
        assert_eq!(c.records.len(), 3);
        assert_eq!((c.count(2), c.before(2), c.before(1)), (2, Some(1), None));
        // Numbered chapters are records by name; their documents state no status, so
        // no record rule looks at them (CheckCx::collection).
        assert_eq!(record("01-intro.md", "# Intro\n\nText.\n").status, None);
        // A folder the configuration names is a collection from its first record.
        let marked = collect(&["0001-a.md", "README.md"], None, true).expect("marked");
        assert!(marked.marked && marked.records.len() == 1);
    }

    /// An architecture document named `adr-7.md` whose decisions each carry a status
    /// deep inside it is no record; a record with a changelog before its status is.
    #[test]
    fn the_status_is_in_the_header() {
        let doc = "# Architecture\n\n## Overview\n\nX.\n\n## Components\n\nY.\n\n## Decisions\n\n### ADR-001\n\n**Status**: Accepted\n";
        assert_eq!(record("adr-7.md", doc).status, None);
        let cometbft =
            "# ADR 100: Push\n\n## Changelog\n\n- 2023: renumbered\n\n## Status\n\nRejected\n";
        assert_eq!(
            record("adr-100-push.md", cometbft).status.map(|s| s.0),
            Some("Rejected".into())
        );
    }
}
