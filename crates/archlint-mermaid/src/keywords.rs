//! Diagram type detection, in the order Mermaid 11 registers its detectors.

use super::prep::{is_js_space, trim_js_start, Prepared};
use super::MermaidError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Family {
    Flowchart,
    Sequence,
    Class,
    State,
    Er,
    C4,
    Mindmap,
    Architecture,
    Kanban,
    Gantt,
    Info,
    Pie,
    Requirement,
    Swimlane,
    Timeline,
    GitGraph,
    Journey,
    Quadrant,
    Sankey,
    Packet,
    XyChart,
    Block,
    EventModeling,
    TreeView,
    Radar,
    Ishikawa,
    Treemap,
    Railroad,
    Venn,
    Wardley,
    Cynefin,
}

/// Each family's name in the conformance table, and how much of it is checked.
const FAMILIES: &[(Family, &str, super::Coverage)] = {
    use super::Coverage::{Full, Header};
    &[
        (Family::Flowchart, "flowchart", Full),
        (Family::Sequence, "sequence", Full),
        (Family::Class, "class", Full),
        (Family::State, "state", Full),
        (Family::Er, "er", Full),
        (Family::C4, "c4", Full),
        (Family::Mindmap, "mindmap", Full),
        (Family::Architecture, "architecture", Full),
        (Family::Kanban, "kanban", Full),
        (Family::Gantt, "gantt", Full),
        (Family::Info, "info", Full),
        (Family::Pie, "pie", Full),
        (Family::Requirement, "requirement", Full),
        (Family::Swimlane, "swimlane", Header),
        (Family::Timeline, "timeline", Full),
        (Family::GitGraph, "gitgraph", Full),
        (Family::Journey, "journey", Full),
        (Family::Quadrant, "quadrant", Full),
        (Family::Sankey, "sankey", Full),
        (Family::Packet, "packet", Full),
        (Family::XyChart, "xychart", Full),
        (Family::Block, "block", Full),
        (Family::EventModeling, "eventmodeling", Full),
        (Family::TreeView, "treeview", Full),
        (Family::Radar, "radar", Full),
        (Family::Ishikawa, "ishikawa", Header),
        (Family::Treemap, "treemap", Full),
        (Family::Railroad, "railroad", Header),
        (Family::Venn, "venn", Full),
        (Family::Wardley, "wardley", Full),
        (Family::Cynefin, "cynefin", Header),
    ]
};

pub(super) fn families() -> impl Iterator<Item = (&'static str, super::Coverage)> {
    FAMILIES.iter().map(|&(_, name, c)| (name, c))
}

pub(super) fn family_named(name: &str) -> Option<Family> {
    FAMILIES
        .iter()
        .find(|(_, n, _)| *n == name)
        .map(|(f, _, _)| *f)
}

pub(super) fn coverage(family: Family) -> super::Coverage {
    FAMILIES
        .iter()
        .find(|(f, _, _)| *f == family)
        .map_or(super::Coverage::Header, |(_, _, c)| *c)
}

/// Every keyword spelling Mermaid 11 accepts as a diagram header (`known_starting_with`
/// holds the same split by first byte; a test keeps the two in step).
#[cfg(test)]
const KNOWN: &[(&str, Family)] = &[
    ("flowchart-elk", Family::Flowchart),
    ("flowchart", Family::Flowchart),
    ("graph", Family::Flowchart),
    ("swimlane-beta", Family::Swimlane),
    ("sequenceDiagram", Family::Sequence),
    ("classDiagram-v2", Family::Class),
    ("classDiagram", Family::Class),
    ("stateDiagram-v2", Family::State),
    ("stateDiagram", Family::State),
    ("erDiagram", Family::Er),
    ("journey", Family::Journey),
    ("gantt", Family::Gantt),
    ("pie", Family::Pie),
    ("quadrantChart", Family::Quadrant),
    ("requirementDiagram", Family::Requirement),
    ("gitGraph", Family::GitGraph),
    ("C4Context", Family::C4),
    ("C4Container", Family::C4),
    ("C4Component", Family::C4),
    ("C4Dynamic", Family::C4),
    ("C4Deployment", Family::C4),
    ("mindmap", Family::Mindmap),
    ("timeline", Family::Timeline),
    ("sankey-beta", Family::Sankey),
    ("sankey", Family::Sankey),
    ("xychart-beta", Family::XyChart),
    ("xychart", Family::XyChart),
    ("block-beta", Family::Block),
    ("block", Family::Block),
    ("packet-beta", Family::Packet),
    ("packet", Family::Packet),
    ("kanban", Family::Kanban),
    ("architecture-beta", Family::Architecture),
    ("radar-beta", Family::Radar),
    ("treemap-beta", Family::Treemap),
    ("treemap", Family::Treemap),
    ("info", Family::Info),
    ("eventmodeling", Family::EventModeling),
    ("treeView-beta", Family::TreeView),
    ("ishikawa-beta", Family::Ishikawa),
    ("ishikawa", Family::Ishikawa),
    ("venn-beta", Family::Venn),
    ("wardley-beta", Family::Wardley),
    ("cynefin-beta", Family::Cynefin),
    ("railroad-ebnf-beta", Family::Railroad),
    ("railroad-abnf-beta", Family::Railroad),
    ("railroad-peg-beta", Family::Railroad),
    ("railroad-beta", Family::Railroad),
];

/// The words that make Mermaid's C4 detector fire anywhere in the text.
const C4_ANYWHERE: [&str; 4] = ["C4Container", "C4Component", "C4Dynamic", "C4Deployment"];

/// The diagram header line.
#[derive(Debug, Clone, Copy)]
pub(super) struct Header {
    /// Line index of the header.
    pub line: usize,
    /// Byte offset of the keyword within that line.
    pub col: usize,
}

pub(super) struct Detection {
    pub family: Option<Family>,
    pub keyword: Option<&'static str>,
    pub header: Option<Header>,
    pub error: Option<MermaidError>,
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Mermaid's detectors, in registration order: `^\s*prefix` tests.
fn detector_family(text: &str, c4_elsewhere: bool) -> Option<Family> {
    let first = text.as_bytes().first().copied().unwrap_or(0);
    // The first byte is compared first: most prefixes fail there.
    let starts = |p: &str| p.as_bytes().first() == Some(&first) && text.starts_with(p);
    let starts_ci = |p: &str| {
        p.as_bytes()
            .first()
            .is_some_and(|c| c.eq_ignore_ascii_case(&first))
            && text
                .get(..p.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(p))
    };
    let word_end = |p: &str| {
        text.get(p.len()..)
            .and_then(|r| r.chars().next())
            .is_none_or(|c| !is_word_char(c))
    };
    if starts("flowchart-elk") {
        return Some(Family::Flowchart);
    }
    if starts("mindmap") {
        return Some(Family::Mindmap);
    }
    if starts("architecture") {
        return Some(Family::Architecture);
    }
    if starts("C4Context") || c4_elsewhere {
        return Some(Family::C4);
    }
    let ordered: &[(&str, Family)] = &[
        ("kanban", Family::Kanban),
        ("classDiagram", Family::Class),
        ("erDiagram", Family::Er),
        ("gantt", Family::Gantt),
        ("info", Family::Info),
        ("pie", Family::Pie),
        ("requirement", Family::Requirement),
        ("sequenceDiagram", Family::Sequence),
    ];
    for (p, f) in ordered {
        if starts(p) {
            return Some(*f);
        }
    }
    if starts("swimlane-beta") && word_end("swimlane-beta") {
        return Some(Family::Swimlane);
    }
    let ordered: &[(&str, Family)] = &[
        ("flowchart", Family::Flowchart),
        ("graph", Family::Flowchart),
        ("timeline", Family::Timeline),
        ("gitGraph", Family::GitGraph),
        ("stateDiagram", Family::State),
        ("journey", Family::Journey),
        ("quadrantChart", Family::Quadrant),
        ("sankey", Family::Sankey),
        ("packet", Family::Packet),
        ("xychart", Family::XyChart),
        ("block", Family::Block),
        ("eventmodeling", Family::EventModeling),
        ("treeView-beta", Family::TreeView),
        ("radar-beta", Family::Radar),
    ];
    for (p, f) in ordered {
        if starts(p) {
            return Some(*f);
        }
    }
    if starts_ci("ishikawa") {
        let rest = text.get(8..).unwrap_or("");
        let after = match (rest.get(..5), rest.get(5..)) {
            (Some(head), Some(tail)) if head.eq_ignore_ascii_case("-beta") => tail,
            _ => rest,
        };
        if after.chars().next().is_none_or(|c| !is_word_char(c)) {
            return Some(Family::Ishikawa);
        }
    }
    if starts("treemap") {
        return Some(Family::Treemap);
    }
    for p in [
        "railroad-beta",
        "railroad-ebnf-beta",
        "railroad-abnf-beta",
        "railroad-peg-beta",
    ] {
        if starts_ci(p) {
            return Some(Family::Railroad);
        }
    }
    if starts("venn-beta") {
        return Some(Family::Venn);
    }
    if starts_ci("wardley-beta") {
        return Some(Family::Wardley);
    }
    if starts("cynefin-beta")
        && text
            .get(12..)
            .unwrap_or("")
            .chars()
            .next()
            .is_none_or(|c| is_js_space(c) || c == ':')
    {
        return Some(Family::Cynefin);
    }
    None
}

/// `text.split(is_js_space).next()`, with a fast path for ASCII.
fn first_token(text: &str) -> &str {
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if b >= 0x80 {
            return text.split(is_js_space).next().unwrap_or("");
        }
        if matches!(b, b'\t'..=b'\r' | b' ') {
            return &text[..i];
        }
    }
    text
}

/// The keywords of [`KNOWN`] that start with byte `c` (the tests check the split).
fn known_starting_with(c: u8) -> &'static [&'static str] {
    match c {
        b'f' => &["flowchart-elk", "flowchart"],
        b'g' => &["graph", "gantt", "gitGraph"],
        b's' => &[
            "swimlane-beta",
            "sequenceDiagram",
            "stateDiagram-v2",
            "stateDiagram",
            "sankey-beta",
            "sankey",
        ],
        b'c' => &["classDiagram-v2", "classDiagram", "cynefin-beta"],
        b'e' => &["erDiagram", "eventmodeling"],
        b'j' => &["journey"],
        b'p' => &["pie", "packet-beta", "packet"],
        b'q' => &["quadrantChart"],
        b'r' => &[
            "requirementDiagram",
            "radar-beta",
            "railroad-ebnf-beta",
            "railroad-abnf-beta",
            "railroad-peg-beta",
            "railroad-beta",
        ],
        b'C' => &[
            "C4Context",
            "C4Container",
            "C4Component",
            "C4Dynamic",
            "C4Deployment",
        ],
        b'm' => &["mindmap"],
        b't' => &["timeline", "treemap-beta", "treemap", "treeView-beta"],
        b'x' => &["xychart-beta", "xychart"],
        b'b' => &["block-beta", "block"],
        b'k' => &["kanban"],
        b'a' => &["architecture-beta"],
        b'i' => &["info", "ishikawa-beta", "ishikawa"],
        b'v' => &["venn-beta"],
        b'w' => &["wardley-beta"],
        _ => &[],
    }
}

/// The longest of [`KNOWN`] that starts `token` and ends at a word boundary.
fn known_keyword(token: &str) -> Option<&'static str> {
    let tb = token.as_bytes();
    let t0 = *tb.first()?;
    let mut best: Option<&'static str> = None;
    for &k in known_starting_with(t0) {
        let kb = k.as_bytes();
        if !tb.starts_with(kb) {
            continue;
        }
        if token[k.len()..].chars().next().is_some_and(is_word_char) {
            continue;
        }
        if best.is_none_or(|b| k.len() > b.len()) {
            best = Some(k);
        }
    }
    best
}

/// Finds a C4 keyword that is not at the start but still makes Mermaid pick
/// its C4 parser. Returns its line.
fn c4_word_elsewhere(p: &Prepared) -> Option<(usize, &'static str)> {
    if !p.maybe_c4 {
        return None;
    }
    for (i, &line) in p.lines().iter().enumerate() {
        if !line.contains("C4") {
            continue;
        }
        let visible = match line.find("%%") {
            Some(c) => &line[..c],
            None => line,
        };
        for w in C4_ANYWHERE {
            if visible.contains(w) {
                return Some((i, w));
            }
        }
    }
    None
}

pub(super) fn detect(p: &Prepared) -> Detection {
    let mut det = Detection {
        family: None,
        keyword: None,
        header: None,
        error: None,
    };
    let Some((first, line)) = p.first_content() else {
        det.error = Some(MermaidError::new(
            0,
            "empty diagram: expected a diagram type such as `flowchart TD`",
        ));
        return det;
    };
    let text = trim_js_start(line);
    let col = line.len() - text.len();
    let token = first_token(text);
    det.keyword = known_keyword(token);
    det.header = Some(Header { line: first, col });

    let c4 = c4_word_elsewhere(p);
    let family = detector_family(text, c4.is_some());
    det.family = family;
    let unknown = || {
        Some(MermaidError::new(
            first,
            format!("unknown diagram type `{}`", shorten(token)),
        ))
    };
    match family {
        None => det.error = unknown(),
        Some(Family::C4) if !text.starts_with("C4") => {
            if let (Some(_), Some((l, w))) = (det.keyword, c4) {
                det.error = Some(MermaidError::new(
                    l,
                    format!(
                        "`{w}` makes mermaid read this block as a C4 diagram; rename it or quote it differently"
                    ),
                ));
            } else {
                det.error = unknown();
            }
        }
        Some(f) => {
            if det.keyword.is_none() {
                // A detector matched a prefix, but the header token is not a
                // keyword: `graphs`, `pies`, `requirement`, `architecture`.
                if !matches!(
                    f,
                    Family::Ishikawa | Family::Railroad | Family::Wardley | Family::Cynefin
                ) {
                    det.error = unknown();
                }
            }
        }
    }
    det
}

/// Cuts long tokens for messages without splitting a character.
pub(super) fn shorten(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        return s.to_string();
    }
    let mut out: String = s.chars().take(MAX).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::{known_starting_with, KNOWN};

    #[test]
    fn keywords_split_by_first_byte() {
        for c in 0..=255u8 {
            let mut want: Vec<&str> = KNOWN
                .iter()
                .map(|(k, _)| *k)
                .filter(|k| k.as_bytes()[0] == c)
                .collect();
            let mut got = known_starting_with(c).to_vec();
            want.sort_unstable();
            got.sort_unstable();
            assert_eq!(got, want, "first byte {c}");
        }
    }
}
