//! `mermaid::check` against Mermaid's own verdicts on Mermaid's own diagrams.
//!
//! `tests/mermaid/snippets.jsonl` holds the diagrams of Mermaid's documentation and
//! test suites plus mutations of each (`tests/mermaid/build_corpus.py`);
//! `verdicts.jsonl` holds what the pinned Mermaid release made of each
//! (`tests/mermaid/oracle/judge.mjs`). This test needs no Node: it reads both, runs
//! the checker, and fails when it calls a diagram Mermaid accepts invalid, when a kind
//! marked as fully checked agrees on less than 99% of its snippets (disagreements
//! `exceptions.txt` explains aside), and when `docs/mermaid-conformance.md` no longer
//! shows the table it computes (`ARCHLINT_UPDATE_MERMAID_TABLE=1` rewrites it, so a
//! change in agreement is seen in review).

use archlint::mermaid::{check, coverage, Coverage};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn json_lines(path: &Path) -> Vec<Value> {
    let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {path:?}: {e}"));
    raw.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(n, l)| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("{path:?} line {}: {e}", n + 1))
        })
        .collect()
}

struct Case {
    id: String,
    kind: String,
    mutation: Option<String>,
    source: String,
    valid: bool,
    mermaid_error: Option<String>,
}

struct Corpus {
    mermaid: String,
    cases: Vec<Case>,
}

fn load() -> Corpus {
    let dir = root().join("tests/mermaid");
    let snippets = json_lines(&dir.join("snippets.jsonl"));
    let mut verdicts = json_lines(&dir.join("verdicts.jsonl")).into_iter();
    let header = verdicts.next().expect("verdicts.jsonl is empty");
    let mermaid = header["mermaid"]
        .as_str()
        .expect("verdicts.jsonl: the first line names the mermaid version")
        .to_string();
    let by_id: HashMap<String, Value> = verdicts
        .map(|v| (v["id"].as_str().unwrap().to_string(), v))
        .collect();
    let cases = snippets
        .iter()
        .map(|s| {
            let id = s["id"].as_str().unwrap().to_string();
            let v = by_id
                .get(&id)
                .unwrap_or_else(|| panic!("{id}: no verdict; run `node judge.mjs write`"));
            Case {
                kind: s["kind"].as_str().unwrap().to_string(),
                mutation: s["mutation"].as_str().map(str::to_string),
                source: s["source"].as_str().unwrap().to_string(),
                valid: v["valid"].as_bool().unwrap(),
                mermaid_error: v["error"].as_str().map(str::to_string),
                id,
            }
        })
        .collect();
    Corpus { mermaid, cases }
}

/// `id  reason` per line; `#` starts a comment.
fn exceptions() -> BTreeMap<String, String> {
    let path = root().join("tests/mermaid/exceptions.txt");
    let raw = std::fs::read_to_string(&path).unwrap_or_default();
    raw.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (id, why) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
            (id.to_string(), why.trim().to_string())
        })
        .collect()
}

#[derive(Default)]
struct Row {
    snippets: usize,
    valid: usize,
    invalid: usize,
    missed: usize,
    false_errors: usize,
    /// Disagreements `exceptions.txt` explains.
    excused: usize,
}

impl Row {
    fn agree_excused(&self) -> usize {
        self.snippets - self.missed - self.false_errors + self.excused
    }
}

fn table(mermaid: &str, rows: &BTreeMap<String, Row>) -> String {
    let mut out = String::new();
    let total = rows.values().fold(Row::default(), |mut t, r| {
        t.snippets += r.snippets;
        t.valid += r.valid;
        t.invalid += r.invalid;
        t.missed += r.missed;
        t.false_errors += r.false_errors;
        t
    });
    let _ = writeln!(
        out,
        "| kind | checked | snippets | valid | invalid | agreement | missed | false errors |"
    );
    let _ = writeln!(
        out,
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    let line = |out: &mut String, name: &str, checked: &str, r: &Row| {
        let agree = r.snippets - r.missed - r.false_errors;
        let _ = writeln!(
            out,
            "| {name} | {checked} | {} | {} | {} | {:.1}% | {} | {} |",
            r.snippets,
            r.valid,
            r.invalid,
            100.0 * agree as f64 / r.snippets.max(1) as f64,
            r.missed,
            r.false_errors
        );
    };
    for (kind, r) in rows {
        let checked = match coverage(kind) {
            Some(Coverage::Full) => "fully",
            Some(Coverage::Header) => "header only",
            None => "not a Mermaid kind",
        };
        line(&mut out, kind, checked, r);
    }
    line(&mut out, "**all**", "", &total);
    let _ = writeln!(out, "\nJudged by mermaid {mermaid}.");
    out
}

#[test]
fn mermaid_syntax_agrees_with_mermaid_on_its_own_diagrams() {
    let corpus = load();
    assert!(
        corpus.cases.len() >= 2000,
        "only {} snippets",
        corpus.cases.len()
    );
    let allowed = exceptions();
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    let mut false_errors = Vec::new();
    let mut report = String::new();
    for case in &corpus.cases {
        let got = check(&case.source);
        let row = rows.entry(case.kind.clone()).or_default();
        row.snippets += 1;
        if case.valid {
            row.valid += 1;
        } else {
            row.invalid += 1;
        }
        let wrong = match (case.valid, &got) {
            (true, Some(err)) => {
                row.false_errors += 1;
                Some(format!(
                    "false error: {} (line {})",
                    err.message,
                    err.line + 1
                ))
            }
            (false, None) => {
                row.missed += 1;
                Some(format!(
                    "missed: mermaid says {}",
                    case.mermaid_error.as_deref().unwrap_or("?")
                ))
            }
            _ => None,
        };
        if let Some(wrong) = wrong {
            let _ = writeln!(report, "== {} {wrong}\n{}\n", case.id, case.source);
            if allowed.contains_key(&case.id) {
                row.excused += 1;
            } else if case.valid {
                false_errors.push(format!("{}: {wrong}", case.id));
            }
        }
    }
    if let Ok(path) = std::env::var("ARCHLINT_MERMAID_DISAGREEMENTS") {
        std::fs::write(path, &report).unwrap();
    }
    let table = table(&corpus.mermaid, &rows);
    println!("{table}");

    let doc_path = root().join("docs/mermaid-conformance.md");
    let doc = std::fs::read_to_string(&doc_path).unwrap_or_default();
    let (start, end) = ("<!-- table:start -->\n", "<!-- table:end -->");
    if std::env::var_os("ARCHLINT_UPDATE_MERMAID_TABLE").is_some() {
        let (a, b) = (doc.find(start), doc.find(end));
        let (a, b) = (a.expect("table markers"), b.expect("table markers"));
        let updated = format!("{}{start}{table}{}", &doc[..a], &doc[b..]);
        std::fs::write(&doc_path, updated).unwrap();
    } else {
        assert!(
            doc.contains(&format!("{start}{table}{end}")),
            "docs/mermaid-conformance.md does not show the current table; \
             rerun with ARCHLINT_UPDATE_MERMAID_TABLE=1:\n{table}"
        );
    }
    let stale: Vec<_> = allowed
        .keys()
        .filter(|id| !corpus.cases.iter().any(|c| &c.id == *id))
        .collect();
    assert!(
        stale.is_empty(),
        "exceptions.txt names unknown ids: {stale:?}"
    );
    // Never call a valid diagram invalid.
    assert!(
        false_errors.is_empty(),
        "{} diagrams mermaid {} accepts are reported invalid (and not listed in \
         tests/mermaid/exceptions.txt):\n{}",
        false_errors.len(),
        corpus.mermaid,
        false_errors.join("\n")
    );
    // A kind the checker claims to read fully agrees with Mermaid on 99% of it.
    let weak: Vec<String> = rows
        .iter()
        .filter(|(kind, _)| coverage(kind) == Some(Coverage::Full))
        .filter(|(_, r)| r.agree_excused() * 100 < r.snippets * 99)
        .map(|(kind, r)| format!("{kind}: {}/{}", r.agree_excused(), r.snippets))
        .collect();
    assert!(
        weak.is_empty(),
        "kinds marked fully checked agree with mermaid on less than 99%: {weak:?}"
    );
}

/// The original a mutation was made from: its id minus the mutation's name.
fn original_of<'c>(case: &Case, by_id: &HashMap<&str, &'c Case>) -> Option<&'c Case> {
    let m = case.mutation.as_deref()?;
    let base = case.id.strip_suffix(&format!("-{m}"))?;
    by_id.get(base).copied()
}

/// The one line a mutation changed, when it changed one.
fn changed_line(a: &str, b: &str) -> Option<usize> {
    let (la, lb): (Vec<_>, Vec<_>) = (a.split('\n').collect(), b.split('\n').collect());
    if la.len() != lb.len() {
        return None;
    }
    let diff: Vec<usize> = (0..la.len()).filter(|&i| la[i] != lb[i]).collect();
    (diff.len() == 1).then(|| diff[0])
}

/// What a message must mention for each kind of mutation: the character the
/// mutation unbalanced, or the relationship or arrow it broke (brackets are part of
/// ER and class arrows such as `}|..|{`).
fn names_the_fault(mutation: &str, message: &str) -> bool {
    match mutation {
        "unbalance-quote" => message.contains('"') || message.contains("string"),
        "unbalance-bracket" => {
            message.contains(['[', ']', '(', ')', '{', '}'])
                || ["relationship", "relation", "arrow", "edge"]
                    .iter()
                    .any(|w| message.contains(w))
        }
        _ => true,
    }
}

/// Findings on broken mutations name the line the mutation broke and, for an
/// unbalanced bracket or quote, the character. Kinds checked fully must do so for at
/// least 90% of the mutations they catch; all kinds together for 85%.
#[test]
fn findings_name_the_line_and_the_fault_the_mutation_made() {
    let corpus = load();
    let by_id: HashMap<&str, &Case> = corpus.cases.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut per_kind: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut wrong = Vec::new();
    for case in corpus.cases.iter().filter(|c| !c.valid) {
        let Some(orig) = original_of(case, &by_id) else {
            continue;
        };
        if !orig.valid {
            continue;
        }
        let Some(line) = changed_line(&orig.source, &case.source) else {
            continue;
        };
        let Some(err) = check(&case.source) else {
            continue;
        };
        let mutation = case.mutation.as_deref().unwrap_or("");
        let e = per_kind.entry(case.kind.as_str()).or_default();
        e.0 += 1;
        if err.line == line && names_the_fault(mutation, &err.message) {
            e.1 += 1;
        } else {
            wrong.push(format!(
                "{} (broke line {}, reported {}): {}",
                case.id,
                line + 1,
                err.line + 1,
                err.message
            ));
        }
    }
    if let Ok(path) = std::env::var("ARCHLINT_MERMAID_LINES") {
        std::fs::write(path, wrong.join("\n")).unwrap();
    }
    let (mut all, mut right) = (0, 0);
    for (kind, &(n, ok)) in &per_kind {
        println!("{kind}: {ok}/{n} name the broken line and fault");
        all += n;
        right += ok;
        if coverage(kind) == Some(Coverage::Full) {
            assert!(
                ok * 10 >= n * 9,
                "{kind}: only {ok} of {n} findings name the broken line"
            );
        }
    }
    assert!(
        right * 100 >= all * 85,
        "only {right} of {all} findings name the broken line"
    );
}

/// Every port slices text at offsets it found: a character of two or three bytes
/// dropped into Mermaid's own diagrams, at every seventh position, must not make
/// the checker panic (a fuzzer found one such slice).
#[test]
fn multibyte_characters_anywhere_do_not_break_the_checker() {
    let corpus = load();
    for case in corpus.cases.iter().filter(|c| c.mutation.is_none()) {
        let s = &case.source;
        for (k, _) in s.char_indices().step_by(7) {
            for ch in ["\u{7b6}", "é", "€"] {
                let mut t = String::with_capacity(s.len() + 3);
                t.push_str(&s[..k]);
                t.push_str(ch);
                t.push_str(&s[k..]);
                let _ = check(&t);
            }
        }
    }
}
