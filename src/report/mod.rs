//! Reporters: one file per `--format`, all over the same [`FileReport`]s.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::source::{Position, SourceFile};
use crate::fs::syspath::normalize;

pub mod checkstyle;
pub mod color;
pub mod escape;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod rdjsonl;
pub mod sarif;
pub mod short;

/// The findings for one checked document.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub source: Arc<SourceFile>,
    /// The profile the document was checked against.
    pub profile: String,
    /// Why this profile was chosen, when archlint chose it (`--profile auto`).
    pub profile_note: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// What `--fix` did to the document.
    pub fixed: Fixed,
}

/// What `--fix` did to one document.
#[derive(Debug, Clone, Default)]
pub struct Fixed {
    /// Findings whose fix was made.
    pub findings: usize,
    /// With `--diff`: the changes, as a unified diff, instead of a write.
    pub diff: Option<String>,
}

/// Totals over a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub files_with_findings: usize,
    pub errors: usize,
    pub warnings: usize,
}

impl Summary {
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut s = Summary::default();
        for r in reports {
            s.add(r);
        }
        s
    }
}

/// What reporters may need besides the findings.
pub struct ReportCx<'a> {
    pub color: bool,
    pub quiet: bool,
    /// Profile TOML texts by the file name origins use, to show "required by".
    pub profile_sources: &'a HashMap<String, Arc<str>>,
    /// Where the run's paths are anchored, for formats that want repository paths.
    pub paths: &'a Paths,
    /// Inputs that could not be checked (each is named on stderr): the summary line must
    /// not call such a run clean.
    pub unreadable: usize,
    /// The limit on warnings the run was given, so the summary can say when warnings
    /// are what fails it.
    pub warnings_limit: WarningsLimit,
}

/// `--deny-warnings` or `--max-warnings N`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum WarningsLimit {
    #[default]
    None,
    Deny,
    Max(usize),
}

impl WarningsLimit {
    /// Whether `warnings` are more than this limit allows.
    pub fn exceeded(self, warnings: usize) -> bool {
        match self {
            WarningsLimit::None => false,
            WarningsLimit::Deny => warnings > 0,
            WarningsLimit::Max(m) => warnings > m,
        }
    }
}

/// The folders machine formats anchor paths to. Reporters never read the environment;
/// [`Paths::detect`] does, once per run, so tests can build any context they like.
#[derive(Debug, Clone, Default)]
pub struct Paths {
    /// The working directory of the run (absolute): display names are relative to it.
    pub cwd: PathBuf,
    /// The repository root: SARIF's `%SRCROOT%` and GitLab's project folder.
    pub root: Option<PathBuf>,
    /// `GITHUB_WORKSPACE`, which `github` annotations must be relative to.
    pub github_workspace: Option<PathBuf>,
}

impl Paths {
    /// `GITHUB_WORKSPACE` or `CI_PROJECT_DIR` when the run is inside one, else the
    /// nearest ancestor of `cwd` holding `.git`, else `cwd` itself.
    pub fn detect(cwd: &Path) -> Paths {
        let env_dir = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(|v| cwd.join(PathBuf::from(v)))
        };
        let github_workspace = env_dir("GITHUB_WORKSPACE");
        let root = github_workspace
            .clone()
            .or_else(|| env_dir("CI_PROJECT_DIR"))
            .or_else(|| crate::fs::repo::find_root(cwd))
            .or_else(|| Some(cwd.to_path_buf()));
        Paths {
            cwd: cwd.to_path_buf(),
            root,
            github_workspace,
        }
    }

    /// The absolute path of a report's file (lexically normalised).
    pub fn absolute(&self, r: &FileReport) -> PathBuf {
        normalize(&self.cwd.join(&r.source.name))
    }

    /// The report's path relative to `base`, with forward slashes, when it lies under
    /// `base`. Symbolic links (`/var` and `/private/var`) are tried too.
    pub fn relative(&self, r: &FileReport, base: &Path) -> Option<String> {
        let path = self.absolute(r);
        let base = normalize(&self.cwd.join(base));
        if let Ok(rel) = path.strip_prefix(&base) {
            return Some(slashes(rel));
        }
        let base = base.canonicalize().ok()?;
        let path = canonical_lenient(&path)?;
        path.strip_prefix(&base).ok().map(slashes)
    }
}

/// Canonicalise the longest existing ancestor and keep the rest as written, so a
/// path named by `--stdin-filename` that does not exist still resolves.
fn canonical_lenient(p: &Path) -> Option<PathBuf> {
    let mut rest = Vec::new();
    let mut cur = p;
    loop {
        if let Ok(c) = cur.canonicalize() {
            let mut out = c;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return Some(out);
        }
        rest.push(cur.file_name()?.to_os_string());
        cur = cur.parent()?;
    }
}

/// A relative path with `/` between components, whatever the platform.
pub fn slashes(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Where a finding starts and ends, located once for every format.
#[derive(Debug, Clone, Copy)]
pub struct Region {
    pub start: Position,
    /// Exclusive end.
    pub end: Position,
}

impl Region {
    pub fn of(source: &SourceFile, d: &Diagnostic) -> Region {
        Region {
            start: source.locate(d.span.start),
            end: source.locate(d.span.end.max(d.span.start)),
        }
    }
}

/// Stable fingerprints for a file's findings, in the order of `r.diagnostics`: a hash
/// of what identifies a finding, never of where it happens to be today.
///
/// The parts are the rule, the path, the message with its numbers blanked (a
/// `stale-date` message counts days, a `mermaid-syntax` message names a line), the
/// trimmed text of the finding's start line (numbers kept: they are the document's
/// own words), the heading of the section it lies in, and how many findings with the
/// same parts came before it. No line number and no date enters, so a finding keeps its
/// fingerprint when lines are added above it or a day passes; the count keeps two
/// findings of one file apart even when everything else about them is the same.
pub fn fingerprints(r: &FileReport, path: &str) -> Vec<String> {
    let headings = section_headings(&r.source, &r.diagnostics);
    let mut seen: HashMap<u128, usize> = HashMap::new();
    r.diagnostics
        .iter()
        .zip(headings)
        .map(|(d, heading)| {
            let line = r.source.line_text(r.source.line_of(d.span.start)).trim();
            let message = without_numbers(&d.message);
            let key = digest128(&[d.rule.as_str(), path, &message, line, heading]);
            let n = seen.entry(key).or_insert(0);
            let occurrence = n.to_string();
            *n += 1;
            format!(
                "{:032x}",
                digest128(&[d.rule.as_str(), path, &message, line, heading, &occurrence])
            )
        })
        .collect()
}

/// Every run of ASCII digits replaced by one `#`.
fn without_numbers(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_number = false;
    for c in s.chars() {
        if c.is_ascii_digit() {
            if !in_number {
                out.push('#');
            }
            in_number = true;
        } else {
            out.push(c);
            in_number = false;
        }
    }
    out
}

/// For each finding, the trimmed text of the last ATX heading line before its start
/// (outside fenced code), or "" before the first. One pass over the lines up to the
/// last finding, whatever the number of findings.
fn section_headings<'s>(source: &'s SourceFile, diagnostics: &[Diagnostic]) -> Vec<&'s str> {
    let mut starts: Vec<(usize, usize)> = diagnostics
        .iter()
        .enumerate()
        .map(|(i, d)| (source.line_of(d.span.start), i))
        .collect();
    starts.sort_unstable();
    let mut out = vec![""; diagnostics.len()];
    let mut heading = "";
    let mut fence: Option<(u8, usize)> = None;
    let mut line = 1;
    for (at, i) in starts {
        while line < at {
            let text = source.line_text(line);
            let trimmed = text.trim_start_matches(' ');
            let indent = text.len() - trimmed.len();
            let run = |b: u8| trimmed.bytes().take_while(|&c| c == b).count();
            match fence {
                Some((b, n)) if indent < 4 && run(b) >= n => fence = None,
                Some(_) => {}
                None if indent < 4 && (run(b'`') >= 3 || run(b'~') >= 3) => {
                    let b = trimmed.as_bytes()[0];
                    fence = Some((b, run(b)));
                }
                None if indent < 4 && trimmed.starts_with('#') => heading = trimmed.trim_end(),
                None => {}
            }
            line += 1;
        }
        out[i] = heading;
    }
    out
}

/// XXH3-128 over the parts, each followed by a 0 byte so `("ab", "c")` ≠ `("a", "bc")`.
/// Stable across platforms and releases, unlike `std`'s hasher.
fn digest128(parts: &[&str]) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for part in parts {
        h.update(part.as_bytes());
        h.update(&[0]);
    }
    h.digest128()
}

/// Escape text for an XML 1.0 attribute value. Characters XML 1.0 cannot carry at all
/// (most C0 controls, U+FFFE, U+FFFF) become U+FFFD; line breaks and tabs become
/// character references, because parsers turn literal ones into spaces in attributes.
pub fn xml_attr(s: &str) -> String {
    xml_escape(s, true)
}

/// Escape text for XML 1.0 element content: as [`xml_attr`], but line feeds and tabs
/// stay as they are.
pub fn xml_text(s: &str) -> String {
    xml_escape(s, false)
}

fn xml_escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' | '\t' => out.push(c),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// The message with its help on a second line, for formats with one text field.
pub fn message_with_help(d: &Diagnostic) -> String {
    match &d.help {
        Some(h) => format!("{}\nhelp: {h}", d.message),
        None => d.message.to_string(),
    }
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The closing line of human and short output, in ruff's spirit; when the warnings
/// limit is what fails the run, it says so (eslint: "too many warnings (maximum: 7)").
pub fn summary_line(s: &Summary, cx: &ReportCx<'_>) -> String {
    let checked = plural(s.files, "file");
    let mut line = match (s.errors + s.warnings, cx.unreadable) {
        (0, 0) => return format!("All checks passed ({checked} checked)."),
        (0, _) => format!("No findings ({checked} checked)"),
        _ => format!(
            "Found {} and {} in {} ({checked} checked)",
            plural(s.errors, "error"),
            plural(s.warnings, "warning"),
            plural(s.files_with_findings, "file"),
        ),
    };
    if cx.warnings_limit.exceeded(s.warnings) {
        match cx.warnings_limit {
            WarningsLimit::Max(m) => {
                line.push_str(&format!("; too many warnings (maximum: {m})"));
            }
            _ => line.push_str("; warnings fail this run (--deny-warnings)"),
        }
    }
    match cx.unreadable {
        0 => format!("{line}."),
        n => format!("{line}; {} could not be checked.", plural(n, "input")),
    }
}

pub type Writer<'a> = &'a mut dyn Write;

/// One format written as the documents come, in their order: an opening, each
/// document's part, a close. `check` streams every run through one, so that a
/// document's text and findings are dropped once its part is written, whatever the
/// number of documents; [`write_all`] writes a list of reports at once.
pub trait Stream {
    /// What comes before the first document.
    fn begin(&mut self, _out: Writer<'_>, _cx: &ReportCx<'_>) -> std::io::Result<()> {
        Ok(())
    }
    /// One document's part.
    fn file(&mut self, out: Writer<'_>, r: &FileReport, cx: &ReportCx<'_>) -> std::io::Result<()>;
    /// What comes after the last, with the run's totals.
    fn end(
        &mut self,
        _out: Writer<'_>,
        _totals: &Summary,
        _cx: &ReportCx<'_>,
    ) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every report through `stream`: the whole output of one format.
pub fn write_all(
    stream: &mut dyn Stream,
    out: Writer<'_>,
    reports: &[FileReport],
    cx: &ReportCx<'_>,
) -> std::io::Result<()> {
    stream.begin(out, cx)?;
    for r in reports {
        stream.file(out, r, cx)?;
    }
    stream.end(out, &Summary::of(reports), cx)
}

impl Summary {
    /// Count one more report.
    pub fn add(&mut self, r: &FileReport) {
        self.files += 1;
        if !r.diagnostics.is_empty() {
            self.files_with_findings += 1;
        }
        for d in &r.diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
            }
        }
    }
}

/// A JSON array inside a pretty-printed document, written an item at a time and byte
/// for byte as `serde_json::to_writer_pretty` writes the whole document: the document
/// is printed with the array empty and split there ([`PrettyArray::around`]), and
/// each item is printed on its own and indented to its depth (a JSON string holds no
/// raw line break, so indenting every line is exact).
pub struct PrettyArray {
    /// Spaces before the line that opens the array; items go two further in.
    indent: usize,
    count: usize,
}

impl PrettyArray {
    /// The document `doc` (pretty-printed, with the array empty) split at the array
    /// that follows `key` (`"\"files\": "`, or `""` for a document that is the array):
    /// everything through its `[`, the array's writer, and everything after its `]`.
    pub fn around<'d>(doc: &'d str, key: &str) -> Option<(&'d str, PrettyArray, &'d str)> {
        let at = doc.find(&format!("{key}[]"))?;
        let line_start = doc[..at].rfind('\n').map_or(0, |i| i + 1);
        let open = at + key.len() + 1;
        Some((
            &doc[..open],
            PrettyArray {
                indent: at - line_start,
                count: 0,
            },
            &doc[open + 1..],
        ))
    }

    pub fn item<T: serde::Serialize>(&mut self, out: Writer<'_>, value: &T) -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(value).map_err(std::io::Error::other)?;
        out.write_all(if self.count == 0 { b"\n" } else { b",\n" })?;
        let pad = " ".repeat(self.indent + 2);
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                out.write_all(b"\n")?;
            }
            out.write_all(pad.as_bytes())?;
            out.write_all(line.as_bytes())?;
        }
        self.count += 1;
        Ok(())
    }

    /// The array's `]`, on a line of its own when it holds items.
    pub fn close(&self, out: Writer<'_>) -> std::io::Result<()> {
        if self.count > 0 {
            write!(out, "\n{}", " ".repeat(self.indent))?;
        }
        out.write_all(b"]")
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)] // a test fails by panicking
mod tests {
    use super::*;

    #[test]
    fn xml_escape_handles_markup_breaks_and_controls() {
        assert_eq!(
            xml_attr("a<b>&\"c'\n\t\u{1}\u{7f}é"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;&#9;\u{fffd}\u{7f}é"
        );
        assert_eq!(xml_text("a\r\nb\tc\u{0}"), "a&#13;\nb\tc\u{fffd}");
    }

    #[test]
    fn numbers_are_blanked_as_runs() {
        assert_eq!(
            without_numbers("1392 days old (line 22), v2.10"),
            "# days old (line #), v#.#"
        );
        assert_eq!(without_numbers("no digits: ²"), "no digits: ²");
    }

    #[test]
    fn digest_separates_parts() {
        assert_ne!(digest128(&["ab", "c"]), digest128(&["a", "bc"]));
    }

    #[derive(serde::Serialize)]
    struct Doc {
        version: u32,
        items: Vec<serde_json::Value>,
        after: serde_json::Value,
    }

    /// A document written a piece at a time through [`PrettyArray`], for comparison with
    /// serde_json's pretty printer writing it whole.
    fn streamed(doc: &Doc) -> String {
        let empty = Doc {
            version: doc.version,
            items: Vec::new(),
            after: doc.after.clone(),
        };
        let frame = serde_json::to_string_pretty(&empty).expect("frame");
        let (head, mut items, tail) =
            PrettyArray::around(&frame, "\"items\": ").expect("array found");
        let mut out: Vec<u8> = head.as_bytes().to_vec();
        for item in &doc.items {
            items.item(&mut out, item).expect("item");
        }
        items.close(&mut out).expect("close");
        out.extend_from_slice(tail.as_bytes());
        String::from_utf8(out).expect("utf-8")
    }

    fn json_value() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<i32>().prop_map(serde_json::Value::from),
            "[a-z\\n\"\\[\\] ]{0,8}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                proptest::collection::btree_map("[a-z]{1,3}", inner, 0..4)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #[test]
        fn a_streamed_array_is_the_pretty_printed_whole(
            items in proptest::collection::vec(json_value(), 0..5),
            after in json_value(),
        ) {
            let doc = Doc { version: 1, items, after };
            proptest::prop_assert_eq!(
                streamed(&doc),
                serde_json::to_string_pretty(&doc).expect("whole")
            );
        }
    }

    #[test]
    fn a_document_that_is_an_array_streams_too() {
        let (head, mut items, tail) = PrettyArray::around("[]", "").expect("array");
        let mut out: Vec<u8> = head.as_bytes().to_vec();
        items
            .item(&mut out, &serde_json::json!({"a": [1, 2]}))
            .expect("item");
        items.item(&mut out, &serde_json::json!([])).expect("item");
        items.close(&mut out).expect("close");
        out.extend_from_slice(tail.as_bytes());
        let whole =
            serde_json::to_string_pretty(&serde_json::json!([{"a": [1, 2]}, []])).expect("whole");
        assert_eq!(String::from_utf8(out).expect("utf-8"), whole);
    }

    #[test]
    fn normalize_resolves_dots() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }
}
