//! architecture: Mermaid's Langium grammar (`architecture.langium`) and the checks
//! its database makes (`architectureDb.ts`): ids are unique, a parent is a group
//! that exists, an edge joins services or junctions that exist.
//!
//! Mermaid adds all groups first, then services, then junctions, then edges, so a
//! service may name a group declared below it, but a group may not.

use std::collections::HashMap;

use super::langium::{lex, Kind, Parser, Spec, Terminal};
use super::prep::Prepared;
use super::MermaidError;

const SPEC: Spec = Spec {
    keywords: &[
        "architecture-beta",
        "junction",
        "service",
        "column",
        "group",
        "align",
        "row",
        "in",
        "--",
        "-",
        ":",
    ],
    header_keywords: &[],
    terminals: &[
        Terminal::ArrowDirection,
        Terminal::ArrowGroup,
        Terminal::ArrowInto,
        Terminal::AccDescr,
        Terminal::AccTitle,
        Terminal::Title,
        Terminal::Str,
        Terminal::Id,
        Terminal::Newline,
        Terminal::ArchIcon,
        Terminal::ArchTitle,
    ],
    hidden: &[],
    longer_alts: &[],
};

#[derive(Clone, Copy, PartialEq)]
enum What {
    Group,
    Service,
    Junction,
}

impl What {
    fn name(self) -> &'static str {
        match self {
            What::Group => "group",
            What::Service => "service",
            What::Junction => "junction",
        }
    }
}

struct Node {
    what: What,
    id: String,
    parent: Option<String>,
    line: usize,
}

struct Edge {
    ends: [(String, bool); 2],
    line: usize,
}

/// An id; one that starts with `L`, `R`, `T` or `B` lexes as an edge side first.
fn id(p: &mut Parser<'_, '_>, what: &str) -> Result<String, MermaidError> {
    if p.next_is_terminal(Terminal::ArrowDirection) {
        let t = *p.peek().unwrap_or(&p.lx.tokens[p.at]);
        let glued =
            p.lx.tokens
                .get(p.at + 1)
                .filter(|n| n.start == t.end && n.is_terminal(Terminal::Id));
        let name = match glued {
            Some(n) => format!("{}{}", p.text(&t), p.text(n)),
            None => p.text(&t).to_string(),
        };
        return Err(MermaidError::new(
            p.line(),
            format!(
                "{what} `{name}` starts with `{}`, which Mermaid reads as an edge side (`L`, `R`, `T`, `B`); start the id with another letter",
                p.text(&t)
            ),
        ));
    }
    let t = p.expect_terminal(Terminal::Id, &format!("{what} needs an id"))?;
    Ok(p.text(&t).to_string())
}

fn parent(p: &mut Parser<'_, '_>) -> Result<Option<String>, MermaidError> {
    if p.next_is("in") {
        p.bump();
        return id(p, "`in`").map(Some);
    }
    Ok(None)
}

fn side(p: &mut Parser<'_, '_>, which: &str) -> Result<(), MermaidError> {
    p.expect_terminal(
        Terminal::ArrowDirection,
        &format!("an edge's {which} side is `L`, `R`, `T` or `B`"),
    )?;
    Ok(())
}

fn edge(p: &mut Parser<'_, '_>, line: usize) -> Result<Edge, MermaidError> {
    let lhs = id(p, "an edge")?;
    let lhs_group = p.next_is_terminal(Terminal::ArrowGroup);
    if lhs_group {
        p.bump();
    }
    p.expect(
        ":",
        "an edge is written `a:R -- L:b`; expected `:` after the first id",
    )?;
    side(p, "left")?;
    if p.next_is_terminal(Terminal::ArrowInto) {
        p.bump();
    }
    if p.next_is("--") {
        p.bump();
    } else if p.next_is("-") {
        p.bump();
        p.expect_terminal(
            Terminal::ArchTitle,
            "a labelled edge is written `-[label]-`",
        )?;
        p.expect("-", "a labelled edge is written `-[label]-`")?;
    } else {
        return Err(p.unexpected("an edge's line is `--` or `-[label]-`"));
    }
    if p.next_is_terminal(Terminal::ArrowInto) {
        p.bump();
    }
    side(p, "right")?;
    p.expect(
        ":",
        "an edge is written `a:R -- L:b`; expected `:` before the second id",
    )?;
    let rhs = id(p, "an edge")?;
    let rhs_group = p.next_is_terminal(Terminal::ArrowGroup);
    if rhs_group {
        p.bump();
    }
    p.eol("an edge")?;
    Ok(Edge {
        ends: [(lhs, lhs_group), (rhs, rhs_group)],
        line,
    })
}

fn parse(p: &mut Parser<'_, '_>) -> Result<(Vec<Node>, Vec<Edge>), MermaidError> {
    p.skip_newlines();
    p.expect("architecture-beta", "expected `architecture-beta`")?;
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    loop {
        if p.peek().is_none() {
            return Ok((nodes, edges));
        }
        if p.next_is_terminal(Terminal::Newline) {
            p.bump();
            continue;
        }
        if p.title_or_acc()? {
            continue;
        }
        let line = p.line();
        let what = if p.next_is("group") {
            What::Group
        } else if p.next_is("service") {
            What::Service
        } else if p.next_is("junction") {
            What::Junction
        } else if p.next_is("align") {
            p.bump();
            if !(p.next_is("row") || p.next_is("column")) {
                return Err(p.unexpected("`align` takes `row` or `column`"));
            }
            p.bump();
            id(p, "`align`")?;
            id(p, "`align` needs at least two ids; it")?;
            while p.peek().is_some_and(|t| {
                matches!(
                    t.kind,
                    Kind::Terminal(Terminal::Id | Terminal::ArrowDirection)
                )
            }) {
                id(p, "`align`")?;
            }
            p.eol("`align`")?;
            continue;
        } else if p.next_is_terminal(Terminal::Id) || p.next_is_terminal(Terminal::ArrowDirection) {
            edges.push(edge(p, line)?);
            continue;
        } else {
            return Err(p.unexpected(
                "expected `group`, `service`, `junction`, `align` or an edge `a:R -- L:b`",
            ));
        };
        p.bump();
        let name = id(p, what.name())?;
        match what {
            What::Group => {
                if p.next_is_terminal(Terminal::ArchIcon) {
                    p.bump();
                }
                if p.next_is_terminal(Terminal::ArchTitle) {
                    p.bump();
                }
            }
            What::Service => {
                if p.next_is_terminal(Terminal::Str) || p.next_is_terminal(Terminal::ArchIcon) {
                    p.bump();
                }
                if p.next_is_terminal(Terminal::ArchTitle) {
                    p.bump();
                }
            }
            What::Junction => {}
        }
        let parent = parent(p)?;
        p.eol(&format!("`{}`", what.name()))?;
        nodes.push(Node {
            what,
            id: name,
            parent,
            line,
        });
    }
}

fn build(nodes: &[Node], edges: &[Edge]) -> Result<(), MermaidError> {
    let mut ids: HashMap<&str, What> = HashMap::new();
    let mut parent_of: HashMap<&str, Option<&str>> = HashMap::new();
    for what in [What::Group, What::Service, What::Junction] {
        for n in nodes.iter().filter(|n| n.what == what) {
            let fail = |m: String| Err(MermaidError::new(n.line, m));
            let kind = what.name();
            if ids.contains_key(n.id.as_str()) {
                return fail(format!("the id `{}` is used twice", n.id));
            }
            if let Some(parent) = &n.parent {
                if *parent == n.id {
                    return fail(format!("{kind} `{}` cannot be placed within itself", n.id));
                }
                match ids.get(parent.as_str()) {
                    None => {
                        return fail(format!(
                            "{kind} `{}` is placed in `{parent}`, which is not a group declared before it",
                            n.id
                        ))
                    }
                    Some(What::Group) => {}
                    Some(_) => {
                        return fail(format!(
                            "{kind} `{}` is placed in `{parent}`, which is not a group",
                            n.id
                        ))
                    }
                }
            }
            ids.insert(&n.id, what);
            if what != What::Group {
                parent_of.insert(&n.id, n.parent.as_deref());
            }
        }
    }
    for e in edges {
        for (end, _) in &e.ends {
            match ids.get(end.as_str()) {
                None => {
                    return Err(MermaidError::new(
                        e.line,
                        format!("the edge names `{end}`, which is not a service, junction or group"),
                    ))
                }
                Some(What::Group) => {
                    return Err(MermaidError::new(
                        e.line,
                        format!("an edge cannot end at the group `{end}`; connect a service in it and mark the side with `{{group}}`"),
                    ))
                }
                Some(_) => {}
            }
        }
        let [(lhs, lhs_group), (rhs, rhs_group)] = &e.ends;
        let (a, b) = (parent_of[lhs.as_str()], parent_of[rhs.as_str()]);
        if (*lhs_group || *rhs_group) && a.is_some() && a == b {
            return Err(MermaidError::new(
                e.line,
                format!("`{{group}}` on the edge `{lhs}`–`{rhs}` needs the two ends in different groups"),
            ));
        }
    }
    Ok(())
}

pub(super) fn check(p: &Prepared<'_>, header_line: usize) -> Option<MermaidError> {
    let mut text = String::new();
    let lexed = match lex(p, header_line, &mut text, &SPEC) {
        Ok(l) => l,
        Err(e) => return Some(e),
    };
    let (nodes, edges) = match parse(&mut Parser::new(&lexed)) {
        Ok(x) => x,
        Err(e) => return Some(e),
    };
    build(&nodes, &edges).err()
}
