//! `sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
//!
//! One run. The driver lists every rule with its documentation, so a viewer can show
//! the help of any finding; results point at repository-relative URIs under
//! `%SRCROOT%`, count columns in code points (`columnKind`), carry `byteOffset` and
//! `byteLength`, and a `partialFingerprints` entry that survives edits above the finding.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use serde::Serialize;

use super::{
    fingerprints, message_with_help, FileReport, PrettyArray, Region, ReportCx, Summary, Writer,
};
use crate::diagnostic::{RuleId, Severity};
use crate::rules::RULES;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The key of archlint's own fingerprint; the suffix changes if its recipe does.
const FINGERPRINT_KEY: &str = "archlint/v3";
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<BTreeMap<&'static str, ArtifactLocation>>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
    /// `false` for a rule that runs only where a profile or the configuration turns it
    /// on (SARIF's `reportingConfiguration.enabled`, which defaults to `true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    enabled: Option<bool>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: [Location<'a>; 1],
    partial_fingerprints: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: &'a ArtifactLocation,
    region: SarifRegion,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRegion {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    /// Exclusive: the column just after the region.
    end_column: usize,
    byte_offset: usize,
    byte_length: usize,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn descriptor(id: RuleId) -> Descriptor {
    match crate::rules::find(id) {
        Some(rule) => {
            let meta = rule.meta();
            Descriptor {
                id: id.as_str(),
                short_description: Text {
                    text: meta.summary.to_string(),
                },
                full_description: Text {
                    text: what_it_finds(meta.docs).unwrap_or_else(|| meta.summary.to_string()),
                },
                help: Help {
                    text: meta.docs.trim().to_string(),
                    markdown: meta.docs.trim().to_string(),
                },
                default_configuration: Configuration {
                    level: level(meta.severity),
                    enabled: (!meta.on_by_default).then_some(false),
                },
            }
        }
        // A rule id without a registry entry still gets a descriptor, so every
        // result's `ruleIndex` is valid.
        None => Descriptor {
            id: id.as_str(),
            short_description: Text {
                text: id.as_str().to_string(),
            },
            full_description: Text {
                text: id.as_str().to_string(),
            },
            help: Help {
                text: format!("run `archlint explain {id}`"),
                markdown: format!("run `archlint explain {id}`"),
            },
            default_configuration: Configuration {
                level: "error",
                enabled: None,
            },
        },
    }
}

/// The first section of a rule's docs (`## What it finds`), as one paragraph of text.
fn what_it_finds(docs: &str) -> Option<String> {
    let body = docs.trim_start().strip_prefix("## What it finds")?;
    let end = body.find("\n## ").unwrap_or(body.len());
    let first = body[..end].trim().split("\n\n").next()?;
    let text = first.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// A path as a URI reference: every byte outside the unreserved set and `/` is
/// percent-encoded, so spaces, `#`, `%` and a `:` in a first segment (which would
/// read as a scheme) are safe.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `file:///abs/path` (with a trailing `/` for folders); Windows drive paths get their
/// leading slash, and a drive colon stays readable.
fn file_uri(path: &Path, folder: bool) -> String {
    let mut p = path.to_string_lossy().replace('\\', "/");
    if !p.starts_with('/') {
        p.insert(0, '/');
    }
    if folder && !p.ends_with('/') {
        p.push('/');
    }
    format!("file://{}", encode_path(&p).replacen("%3A", ":", 1))
}

/// The log around its results: the driver lists every rule a result names, so the
/// results are written to `body` as they come and the log is put together at the end
/// (the rendered results stay in memory until then, never the documents).
pub struct Stream {
    ids: Vec<RuleId>,
    results: Option<PrettyArray>,
    body: Vec<u8>,
}

impl Default for Stream {
    fn default() -> Self {
        Stream {
            ids: RULES.iter().map(|r| r.meta().id).collect(),
            results: None,
            body: Vec::new(),
        }
    }
}

const RESULTS: &str = "\"results\": ";

/// The log with no results, pretty-printed.
fn frame(ids: &[RuleId], cx: &ReportCx<'_>) -> String {
    let root = cx.paths.root.as_deref();
    let repository = env!("CARGO_PKG_REPOSITORY");
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "archlint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: (!repository.is_empty()).then_some(repository),
                    rules: ids.iter().map(|&id| descriptor(id)).collect(),
                },
            },
            original_uri_base_ids: root.map(|root| {
                BTreeMap::from([(
                    SRCROOT,
                    ArtifactLocation {
                        uri: file_uri(root, true),
                        uri_base_id: None,
                    },
                )])
            }),
            column_kind: "unicodeCodePoints",
            results: Vec::new(),
        }],
    };
    serde_json::to_string_pretty(&log).unwrap_or_default()
}

fn broken() -> io::Error {
    io::Error::other("sarif: the log's frame could not be printed")
}

impl super::Stream for Stream {
    fn begin(&mut self, _out: Writer<'_>, cx: &ReportCx<'_>) -> io::Result<()> {
        let doc = frame(&[], cx);
        let (_, results, _) = PrettyArray::around(&doc, RESULTS).ok_or_else(broken)?;
        self.results = Some(results);
        Ok(())
    }

    fn file(&mut self, _out: Writer<'_>, r: &FileReport, cx: &ReportCx<'_>) -> io::Result<()> {
        let results = self.results.as_mut().ok_or_else(broken)?;
        let artifact = match cx
            .paths
            .root
            .as_deref()
            .and_then(|root| cx.paths.relative(r, root))
        {
            Some(rel) => ArtifactLocation {
                uri: encode_path(&rel),
                uri_base_id: Some(SRCROOT),
            },
            None => ArtifactLocation {
                uri: file_uri(&cx.paths.absolute(r), false),
                uri_base_id: None,
            },
        };
        let fps = fingerprints(r, &artifact.uri);
        for (d, fp) in r.diagnostics.iter().zip(fps) {
            if !self.ids.contains(&d.rule) {
                self.ids.push(d.rule);
            }
            let Region { start, end } = Region::of(&r.source, d);
            let span_start = r.source.floor_boundary(d.span.start);
            let span_end = r.source.floor_boundary(d.span.end).max(span_start);
            let result = SarifResult {
                rule_id: d.rule.as_str(),
                rule_index: self.ids.iter().position(|&id| id == d.rule),
                level: level(d.severity),
                message: Text {
                    text: message_with_help(d),
                },
                locations: [Location {
                    physical_location: PhysicalLocation {
                        artifact_location: &artifact,
                        region: SarifRegion {
                            start_line: start.line,
                            start_column: start.column,
                            end_line: end.line,
                            end_column: end.column,
                            byte_offset: span_start,
                            byte_length: span_end - span_start,
                        },
                    },
                }],
                partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fp)]),
            };
            results.item(&mut self.body, &result)?;
        }
        Ok(())
    }

    fn end(&mut self, out: Writer<'_>, _totals: &Summary, cx: &ReportCx<'_>) -> io::Result<()> {
        let doc = frame(&self.ids, cx);
        let (head, _, tail) = PrettyArray::around(&doc, RESULTS).ok_or_else(broken)?;
        out.write_all(head.as_bytes())?;
        out.write_all(&std::mem::take(&mut self.body))?;
        self.results.as_ref().ok_or_else(broken)?.close(out)?;
        out.write_all(tail.as_bytes())?;
        writeln!(out)
    }
}

pub fn write(out: Writer<'_>, reports: &[FileReport], cx: &ReportCx<'_>) -> io::Result<()> {
    super::write_all(&mut Stream::default(), out, reports, cx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(encode_path("docs/a b,c.md"), "docs/a%20b%2Cc.md");
        assert_eq!(encode_path("a:b/é#%"), "a%3Ab/%C3%A9%23%25");
    }

    #[test]
    fn file_uris() {
        assert_eq!(file_uri(Path::new("/a b/c"), true), "file:///a%20b/c/");
        assert_eq!(
            file_uri(Path::new(r"C:\repo\x"), false),
            "file:///C:/repo/x"
        );
    }

    #[test]
    fn full_description_is_the_first_paragraph() {
        let docs = "## What it finds\nA thing\nthat is bad.\n\nMore.\n## Why\nx";
        assert_eq!(what_it_finds(docs).as_deref(), Some("A thing that is bad."));
    }
}
