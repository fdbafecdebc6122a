//! A pure-Rust syntax checker for Mermaid diagrams.
//!
//! [`check`] mirrors the decisions of Mermaid's own parser (mermaid 11) for the
//! most common diagram types and reports the first problem Mermaid would reject.
//! It is deliberately conservative: whenever the checker cannot be sure that
//! Mermaid would fail, it reports nothing.
//!
//! How much of each kind is read is [`coverage`]: `Full` kinds follow Mermaid's
//! own grammar (ports of its Langium grammars, such as gitGraph, architecture or
//! wardley, and of its jison grammars, such as flowchart, sequence or erDiagram)
//! and its database checks; `Header` kinds are read for their keyword only.
//! `tests/mermaid` holds the corpus that measures it against Mermaid
//! (docs/mermaid-conformance.md).
//!
//! Line numbers inside messages ("opened on line 3") are 1-based and relative
//! to the block body; [`MermaidError::line`] is 0-based.

mod architecture;
mod block;
mod c4;
mod class;
mod er;
mod eventmodeling;
mod flowchart;
mod flowlex;
mod gantt;
mod gitgraph;
mod info;
mod jison;
mod journey;
mod keywords;
mod langium;
mod mindmap;
mod packet;
mod pie;
mod prep;
mod quadrant;
mod radar;
mod requirement;
mod sankey;
mod sequence;
mod state;
mod text;
mod treemap;
mod treeview;
mod venn;
mod wardley;
mod xychart;
mod yaml_flow;

/// A problem Mermaid's parser would reject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MermaidError {
    /// 0-based line index within the block's body (the text between the fences) where the problem is.
    pub line: usize,
    /// Lowercase message a person can act on, names in backticks, no trailing period,
    /// e.g. "unknown diagram type `flowchar`", "`subgraph` opened on line 3 is never closed with `end`",
    /// "edge `-->` has no target node", "unbalanced `[` in node `A[Web App`".
    pub message: String,
}

impl MermaidError {
    pub(crate) fn new(line: usize, message: impl Into<String>) -> Self {
        MermaidError {
            line,
            message: message.into(),
        }
    }
}

/// The diagram type keyword found (e.g. "flowchart", "graph", "sequenceDiagram"), if any.
pub fn diagram_kind(body: &str) -> Option<&str> {
    prep::with_prepared(body, |p| match p {
        prep::Prep::Ready(p) => keywords::detect(&p).keyword,
        _ => None,
    })
    .flatten()
}

/// How much of a diagram kind [`check`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// Every statement is checked against Mermaid's grammar for the kind: the
    /// conformance corpus agrees with Mermaid on at least 99% of its diagrams.
    Full,
    /// Only the header (the keyword, the preamble) and what every kind shares; the
    /// body is not judged, so a broken body is not reported.
    Header,
}

/// How much of `kind` (a kind name as `docs/mermaid-conformance.md` lists them:
/// `flowchart`, `sequence`, `gitgraph`, ...) the checker reads; None for a name
/// that is not a Mermaid diagram kind.
pub fn coverage(kind: &str) -> Option<Coverage> {
    keywords::family_named(kind).map(keywords::coverage)
}

/// Every diagram kind with how much of it the checker reads, in Mermaid's order.
pub fn kinds() -> impl Iterator<Item = (&'static str, Coverage)> {
    keywords::families()
}

/// Check one mermaid block body. Returns None when the diagram is valid OR when the checker is unsure.
pub fn check(body: &str) -> Option<MermaidError> {
    prep::with_prepared(body, check_prepared).flatten()
}

fn check_prepared(prep: prep::Prep<'_>) -> Option<MermaidError> {
    check_prepared_with(prep, true)
}

/// `fast`: let the flowchart checker read common lines without tokens (the
/// verdict is the same; the tests compare both).
fn check_prepared_with(prep: prep::Prep<'_>, fast: bool) -> Option<MermaidError> {
    let prepared = match prep {
        prep::Prep::Ready(p) => p,
        prep::Prep::Error(e) => return Some(e),
        prep::Prep::Unsure => return None,
    };
    let detection = keywords::detect(&prepared);
    if let Some(err) = detection.error {
        return Some(err);
    }
    let header = detection.header?;
    use keywords::Family;
    match detection.family? {
        Family::Flowchart => flowchart::check(&prepared, header, fast),
        Family::Sequence => sequence::check(&prepared, header),
        Family::Class => class::check(&prepared, header),
        Family::State => state::check(&prepared, header),
        Family::Er => er::check(&prepared, header),
        Family::C4 => c4::check(&prepared, header),
        Family::GitGraph => gitgraph::check(&prepared, header.line, prepared.had_config),
        Family::Pie => pie::check(&prepared, header.line),
        Family::Packet => packet::check(&prepared, header.line),
        Family::Info => info::check(&prepared, header.line),
        Family::Radar => radar::check(&prepared, header.line),
        Family::Treemap => treemap::check(&prepared, header.line),
        Family::Architecture => architecture::check(&prepared, header.line),
        Family::TreeView => treeview::check(&prepared, header.line),
        Family::XyChart => xychart::check(&prepared, header),
        Family::Venn => venn::check(&prepared, header),
        Family::Requirement => requirement::check(&prepared, header),
        Family::Mindmap => mindmap::check(&prepared, header, false),
        Family::Journey => journey::check(&prepared, header, false),
        Family::Gantt => gantt::check(&prepared, header),
        Family::Block => block::check(&prepared, header),
        Family::Quadrant => quadrant::check(&prepared, header),
        Family::Sankey => sankey::check(&prepared, header),
        Family::Timeline => journey::check(&prepared, header, true),
        Family::Kanban => mindmap::check(&prepared, header, true),
        Family::EventModeling => eventmodeling::check(&prepared, header.line),
        Family::Wardley => wardley::check(&prepared, header.line),
        // Kinds read for their header only.
        _ => None,
    }
}

/// [`check`] with the flowchart fast path turned off.
#[cfg(test)]
fn check_without_fast_path(body: &str) -> Option<MermaidError> {
    prep::with_prepared(body, |p| check_prepared_with(p, false)).flatten()
}

#[cfg(test)]
mod tests;
