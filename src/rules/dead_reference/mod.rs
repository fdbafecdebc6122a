//! `dead-reference`: a path the document points at does not exist, or a `path:line`
//! points past the end of its file.
//!
//! Finding references is the hard part, and precision comes first: a code span is a
//! reference only where the document says it names a file (a `Location` field, a
//! `Key files` list, a `Key Files Reference` section, a ``See `x.md` `` mention) or
//! when it has the unmistakable `path:line` shape. Everything on disk goes through the
//! run's cache in [`crate::fs::repo`].

use std::collections::BTreeMap;
use std::ops::Range;

mod names;
mod references;
mod tree;

use names::*;
use references::*;
use tree::*;

use super::{CheckCx, Rule};
use crate::diagnostic::{Diagnostic, RuleId, Text};
use crate::document::{CodeBlock, Document};
use crate::fs::repo::{From, Kind, Outcome, Refused, Repo, SuggestBudget};
use crate::document::source::SourceFile;

declare_rule! {
    DeadReference,
    severity: Error,
    docs: r#"## What it finds
A path the document refers to that does not exist relative to the document's folder
or to the repository root (the nearest folder holding `.git`; without one, the
document's folder), and a `path:line` or `path:start-end` reference whose line lies
past the end of the file. The references it checks:

- link and image targets: inline links, reference definitions (`[adr]: adr/0002.md`)
  and links inside footnotes; a target starting with `/` is relative to the
  repository root; `#fragment` and `?query` are ignored;
- `path:line` and `path:line-line` anywhere in prose, in code spans, and in fenced
  blocks that are plain text (no language, `text`, `txt`, `plain`, `console`);
- code spans in `Location` fields, in `Key files` / `Key Directories` lists, and at
  the start of list items in a `Key Files Reference` section;
- entries of a directory tree (a plain fenced block drawn with `├──`, `└──`, `│`
  or `|--`, `` `-- ``); its first line (`project-root/`) names the repository itself;
- ``See `decisions.md` `` mentions: a path with a folder, or a document name.

Not references: URLs (`https:`, `mailto:`), `#anchor` links, API routes
(`POST /v1/payments`, `/v1/payments`), dotted event or package names
(`payment.captured`), globs, template placeholders (`path/to/file.ext`, `[...]`,
`<name>`), other code spans in prose, a bare source file name after "see"
(`see model_lock.py` names a module somewhere), generated folders in trees
(`node_modules/`, `target/`), a tree none of whose entries exists but names every
repository has (`src/`, `README.md`: a runtime layout such as `~/.app/` or `logs/`,
an example, or another project) or whose only entry that exists is one name at its
top (`index/` in a data folder's layout), what a tree draws under a file (`Header`
under `data.lance`), example names in a tree (`my_project`, `YourKind`, `foo`), a
mention of a path a `.gitignore` keeps out of git or of one inside a submodule (the
checkout lacks them), a `path:line` or `See` mention of a source path whose first name is in
neither the document's folder nor the root (`lib.rs:47` in a crate: written relative
to somewhere else), and paths inside ordinary code blocks (YAML, Dockerfiles, shell).

Each occurrence is one finding, at the link, code span or tree entry itself; the
help names the closest existing path when one is near.

Only the repository is looked at. A path whose `..` climb out of the repository root
is reported as pointing outside it and never looked up, whether or not something is
there; so is a path that reaches outside through a symbolic link (links are followed
only to files and folders inside the repository). A device, FIFO or socket is
reported as not a regular file and never opened. A `path:line` into a file larger
than 64 MiB is not checked against the file's length.

## Why it matters
Architecture documents rot quietly: a file is renamed, a sibling document deleted,
and the document keeps sending readers to something that is gone.

## Options
None besides the severity.

## Examples
Failing (the repository has `src/api/routes.py` of 40 lines and no `docs/testing.md`):
```markdown
Entry point: [routes](../src/api/route.py).
The router is created at `src/api/routes.py:52`.
See `testing.md` for the test strategy.
```
Passing:
```markdown
Entry point: [routes](../src/api/routes.py).
The router is created at `src/api/routes.py:12`.
Events are published as `payment.captured`; call `POST /v1/payments`.
```

## Configuration
```toml
[rules]
dead-reference = "warning"   # or "error", "off"
```
"#,
}

impl Rule for DeadReference {
    fn check(&self, cx: &mut CheckCx<'_>) {
        let Some(repo) = cx.repo else {
            return;
        };
        let mut helps = Helps::default();
        let found: Vec<Diagnostic> = cx
            .references()
            .iter()
            .filter_map(|r| verify(repo, r, &mut helps))
            .collect();
        for d in found {
            cx.report(d);
        }
    }
}

/// The document's references that exist inside its repository, each path once (at its
/// first occurrence), relative to the root with `/` between parts, and whether each is
/// a folder: what `doc-drift` compares with the history.
pub(crate) fn existing(cx: &CheckCx<'_>, repo: &Repo) -> Vec<(Range<usize>, String, bool)> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for r in cx.references() {
        let found = std::iter::once(&r.path)
            .chain(&r.alternatives)
            .find_map(|p| match repo.outcome_from(p, r.from) {
                Outcome::Found(f) => Some(f),
                _ => None,
            });
        let Some((path, kind)) = found.and_then(|f| Some((repo.relative(&f.path)?, f.kind)))
        else {
            continue;
        };
        if seen.insert(path.clone()) {
            out.push((r.span.clone(), path, kind == Kind::Dir));
        }
    }
    out
}

/// One reference occurrence.
#[derive(Debug, Clone)]
pub(crate) struct Reference {
    /// Where the finding points.
    span: Range<usize>,
    /// The path as written, without fragment, query or line numbers.
    path: String,
    /// Other spellings that also count (a tree under a root label that is a folder).
    alternatives: Vec<String>,
    /// `path:line` or `path:start-end`.
    lines: Option<(usize, Option<usize>)>,
    /// Where it may be found: a link from the document's folder only, a mention from
    /// the document's folder or the root.
    from: From,
    /// A mention in passing (`path:line`, `` See `x` ``): when its first name is in
    /// neither the document's folder nor the root, it is written relative to something
    /// else (`lib.rs:47` in a crate, `ops/desktop.rs` in a package) and is not judged.
    loose: bool,
}

// ---------------------------------------------------------------------------------
// Messages

/// Message and help by dead path: a document that names one missing file a thousand
/// times looks for the closest existing path once, and its findings share the texts.
/// The "did you mean" work of the whole document is bounded by `budget`.
struct Helps {
    texts: std::collections::HashMap<(String, From), (Text, Text)>,
    budget: SuggestBudget,
}

impl Default for Helps {
    fn default() -> Self {
        Helps {
            texts: std::collections::HashMap::new(),
            budget: SuggestBudget::per_document(),
        }
    }
}

fn not_found(repo: &Repo, r: &Reference, helps: &mut Helps) -> Diagnostic {
    let Helps { texts, budget } = helps;
    let (message, help) = texts
        .entry((r.path.clone(), r.from))
        .or_insert_with(|| {
            let last = r
                .path
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("");
            let what = if r.path.ends_with('/') {
                "directory"
            } else if is_file_name(last) || last.contains('.') {
                "file"
            } else {
                "path"
            };
            let searched = repo.searched(r.path.starts_with('/'), r.from);
            let from_root = (r.from == From::Document)
                .then(|| repo.from_root_instead(&r.path))
                .flatten();
            let help = match (from_root, repo.closest(&r.path, r.from, budget)) {
                (Some(fixed), _) => format!(
                    "`{}` exists from the repository root, but a link resolves from the \
                     document's folder, as GitHub renders it: write `{fixed}` or `/{}`",
                    r.path, r.path
                ),
                (None, Some(s)) => format!("did you mean `{}`? {searched}", s.path),
                (None, None) => searched,
            };
            let message = format!("referenced {what} `{}` does not exist", r.path);
            (message.into(), help.into())
        })
        .clone();
    Diagnostic::new(RuleId::DeadReference, r.span.clone(), message)
        .with_label("not found")
        .with_help(help)
}

/// A reference that leaves the repository, as written or through a symbolic link. The
/// texts depend on the reference and the repository alone, never on what lies outside.
fn points_outside(repo: &Repo, r: &Reference, through_link: bool) -> Diagnostic {
    let message = if through_link {
        format!(
            "`{}` points outside the repository through a symbolic link",
            r.path
        )
    } else {
        format!("`{}` points outside the repository", r.path)
    };
    let help = match (through_link, repo.in_git) {
        (true, _) => "symbolic links are followed only to files and folders inside the repository",
        (false, true) => {
            "only paths inside the repository (the folder holding `.git`) are looked up"
        }
        (false, false) => {
            "only paths inside the document's folder are looked up (no enclosing git repository)"
        }
    };
    Diagnostic::new(RuleId::DeadReference, r.span.clone(), message)
        .with_label("outside the repository")
        .with_help(help)
}

fn not_a_regular_file(r: &Reference) -> Diagnostic {
    Diagnostic::new(
        RuleId::DeadReference,
        r.span.clone(),
        format!("`{}` is not a regular file or directory", r.path),
    )
    .with_label("not a regular file")
    .with_help("a device, FIFO or socket is never opened; point at a regular file")
}

fn past_the_end(r: &Reference, start: usize, end: Option<usize>, count: usize) -> Diagnostic {
    let lines = if count == 1 {
        "1 line".to_string()
    } else {
        format!("{count} lines")
    };
    let message = match end {
        Some(end) if start <= count => format!(
            "lines {start}-{end} run past the end of `{}` ({lines})",
            r.path
        ),
        _ => format!("line {start} is past the end of `{}` ({lines})", r.path),
    };
    Diagnostic::new(RuleId::DeadReference, r.span.clone(), message)
        .with_label("past the end")
        .with_help(format!(
            "`{}` has {lines}; point at the line that holds the code now",
            r.path
        ))
}

fn verify(repo: &Repo, r: &Reference, helps: &mut Helps) -> Option<Diagnostic> {
    // The first spelling found counts; failing that, a refusal of any spelling says
    // more than "missing" does.
    let mut refused = None;
    let mut found = None;
    for p in std::iter::once(&r.path).chain(&r.alternatives) {
        match repo.outcome_from(p, r.from) {
            Outcome::Found(f) => {
                found = Some(f);
                break;
            }
            Outcome::Refused(why) => {
                refused.get_or_insert(why);
            }
            Outcome::Missing => {}
        }
    }
    let Some(found) = found else {
        if r.loose && refused.is_none() && !anchored_here(repo, r) {
            return None;
        }
        // In a submodule not checked out, or kept out of git: not for this checkout
        // to judge.
        if refused.is_none()
            && std::iter::once(&r.path)
                .chain(&r.alternatives)
                .any(|p| repo.not_in_checkout(p, r.from))
        {
            return None;
        }
        return Some(match refused {
            Some(Refused::Leaves) => points_outside(repo, r, false),
            Some(Refused::LinkLeaves) => points_outside(repo, r, true),
            Some(Refused::NotRegular) => not_a_regular_file(r),
            None => not_found(repo, r, helps),
        });
    };
    let (start, end) = r.lines?;
    if found.kind != Kind::File {
        return None;
    }
    // No count (unreadable, or too large to count): no line is known to be past the end.
    let count = repo.line_count(&found.path)?;
    let last = end.unwrap_or(start).max(start);
    (last > count).then(|| past_the_end(r, start, end, count))
}

/// Whether a loose mention's first name is in the document's folder or at the root
/// (or it says where it starts: `./x`, `../x`, `/x`).
fn anchored_here(repo: &Repo, r: &Reference) -> bool {
    let p = r.path.as_str();
    if p.starts_with(['.', '/']) {
        return true;
    }
    let first = p.split('/').next().unwrap_or(p);
    !matches!(repo.outcome_from(first, r.from), Outcome::Missing)
}

// ---------------------------------------------------------------------------------
// Collecting references

/// Whether the document says it is a static site's content page (it has front matter,
/// or lies in a `content/` folder): there a root-relative link with no file extension
/// is a route of the site, not a file. (Below a site generator's configuration, more
/// links are: see [`Site`].)
fn site_page(file: &SourceFile, doc: &Document) -> bool {
    doc.front_matter.is_some() || file.name.split(['/', '\\']).any(|p| p == "content")
}

/// Every reference of the document in document order, one per span (a code span can
/// be both a `See` mention and a `Location` entry; it is still one reference).
pub(crate) fn collect(file: &SourceFile, doc: &Document, repo: &Repo) -> Vec<Reference> {
    let mut out = BTreeMap::new();
    let mut add = |r: Reference| {
        out.entry((r.span.start, r.span.end)).or_insert(r);
    };
    let text = file.text();
    let ix = Index::new(text, doc);
    let site = Site {
        page: site_page(file, doc),
        repo,
        configured: std::cell::OnceCell::new(),
    };
    links(text, doc, &site, &mut add);
    code_spans(&ix, &mut add);
    prose_path_lines(text, doc, &mut add);
    for (block, _) in &doc.code_blocks {
        if !PLAIN_LANGS.contains(&block.lang.as_str()) {
            continue;
        }
        block_path_lines(text, block, &mut add);
        tree(text, block, repo, &mut add);
    }
    out.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The placeholder test as first written, a search per kind of mark.
    fn is_placeholder_by_searches(s: &str) -> bool {
        let b = s.as_bytes();
        let at = |i: usize, n: usize| b.get(i..i + n);
        b.iter()
            .any(|c| matches!(c, b'[' | b']' | b'<' | b'>' | b'{' | b'}' | b'*' | b'?'))
            || s.contains('…')
            || memchr::memchr_iter(b'.', b).any(|i| at(i + 1, 2) == Some(b".."))
            || memchr::memchr_iter(b'/', b).any(|i| {
                i >= 4
                    && at(i - 4, 4).is_some_and(|w| w.eq_ignore_ascii_case(b"path"))
                    && at(i + 1, 2).is_some_and(|w| w.eq_ignore_ascii_case(b"to"))
            })
    }

    /// The "see" pattern as first written, with the word boundary in it.
    static SEE_WITH_BOUNDARY: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?i)(?:^|[^\w])see(?:\s+also)?\s*:?\s*(?:`[^`]*`\s*(?:,|and|or|,\s*and|,\s*or)\s*)*$",
        )
        .unwrap_or_else(|e| panic!("{e}"))
    });

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]
        #[test]
        fn see_mentions_are_found_as_by_the_pattern_with_its_boundary(
            (head, boundary, see, tail) in {
                let part = || proptest::sample::select(vec![
                    "see", "also", " ", "\t", "\u{a0}", ":", "`a`", "`b c`", "`", ",", "and",
                    "or", "x", "\n",
                ]);
                (
                    proptest::collection::vec(part(), 0..4),
                    // What stands before "see": word characters (`_`, a digit, a mark, a
                    // title-case letter) and others.
                    proptest::sample::select(vec![
                        "", " ", "x", "_", "1", "é", "\u{300}", "ǅ", "-", "`", "\u{17f}",
                    ]),
                    proptest::sample::select(vec!["see", "See", "SEE", "\u{17f}ee"]),
                    proptest::collection::vec(part(), 0..6),
                )
            }
        ) {
            let s = format!("{}{boundary}{see}{}", head.concat(), tail.concat());
            proptest::prop_assert_eq!(see_ends(&s), SEE_WITH_BOUNDARY.is_match(&s), "{:?}", s);
        }
    }

    proptest::proptest! {
        #[test]
        fn placeholders_are_found_in_one_pass(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "src", "/", ".", "..", "path", "PATH", "to", "To", "…", "—", "é", "[", "}",
                    "*", "?", "<", "a.md",
                ]),
                0..10,
            )
        ) {
            let s: String = parts.concat();
            proptest::prop_assert_eq!(
                names::is_placeholder(&s),
                is_placeholder_by_searches(&s),
                "{:?}", s
            );
        }
    }

    #[test]
    fn code_paths_exclude_routes_urls_events_and_placeholders() {
        for yes in [
            "docs/testing.md",
            "decisions.md",
            "internal/ledger/",
            "Makefile",
            "go.mod",
        ] {
            assert!(code_path(yes).is_some(), "{yes}");
        }
        for no in [
            "POST /v1/payments",
            "/v1/payments",
            "https://x.example.com/a.md",
            "payment.captured",
            "claims.events.claim-submitted",
            "beacon.v1.NotificationService",
            "path/to/main/file.ext",
            "[file/directory]",
            "src/*.rs",
            "github.com/jackc/pgx",
            "ledger.Post",
        ] {
            assert!(code_path(no).is_none(), "{no}");
        }
    }

    #[test]
    fn path_line_needs_a_file_name() {
        assert_eq!(
            whole_path_line("src/api/routes.py:12-20"),
            Some(("src/api/routes.py".into(), 12, Some(20)))
        );
        assert_eq!(
            whole_path_line("src/main.rs:12:5"),
            Some(("src/main.rs".into(), 12, None))
        );
        for no in [
            "localhost:8080",
            "redis:7",
            "bitnami/redis:7",
            "example.com:443",
            "10:30",
        ] {
            assert!(whole_path_line(no).is_none(), "{no}");
        }
    }

    #[test]
    fn link_paths_drop_fragments_and_decode() {
        assert_eq!(
            link_path("../src/a%20b.md#x").as_deref(),
            Some("../src/a b.md")
        );
        assert_eq!(link_path("#anchor"), None);
        assert_eq!(link_path("mailto:a@b.c"), None);
        assert_eq!(link_path("https://example.com/a.md"), None);
        assert_eq!(
            link_path("/docs/a.md?plain=1").as_deref(),
            Some("/docs/a.md")
        );
    }

    #[test]
    fn tree_lines_give_columns_and_names() {
        let l = "│   ├── tollgate-api/        # HTTP server";
        let (col, from) = tree_line(l).unwrap_or((99, 0));
        assert_eq!(col, 4);
        let name = tree_name(l, from).unwrap_or(0..0);
        assert_eq!(&l[name], "tollgate-api/");
        assert!(tree_line("├────────┤").is_some_and(|(_, f)| tree_name("├────────┤", f).is_none()));
        assert!(tree_line("│ Layer ├── x").is_none());
    }

    /// The connector search as it was first written: every connector searched for, the
    /// earliest kept, then the text before it checked for guides.
    fn tree_line_by_search(line: &str) -> Option<(usize, usize)> {
        const CONNECTORS: &[&str] = &["├──", "└──", "├─", "└─", "|--", "`--", "+--", "|__", "\\--"];
        let (pos, conn) = CONNECTORS
            .iter()
            .filter_map(|c| line.find(c).map(|p| (p, *c)))
            .min_by_key(|(p, _)| *p)?;
        let guides = |c: char| c.is_whitespace() || matches!(c, '│' | '|' | '┃' | '║');
        if !line[..pos].chars().all(guides) {
            return None;
        }
        let tail = &line[pos + conn.len()..];
        let rest = tail.trim_start_matches(['─', '-', '_', '━']).trim_start();
        Some((line[..pos].chars().count(), line.len() - rest.len()))
    }

    proptest::proptest! {
        #[test]
        fn tree_lines_are_found_as_by_searching_for_each_connector(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "│", "|", " ", "\t", "┃", "║", "├", "└", "─", "━", "-", "_", "`", "+", "\\",
                    "├──", "└─", "|--", "|__", "a", "src/", "é", "#",
                ]),
                0..12,
            )
        ) {
            let line: String = parts.concat();
            proptest::prop_assert_eq!(tree_line(&line), tree_line_by_search(&line), "{:?}", line);
        }
    }
}
