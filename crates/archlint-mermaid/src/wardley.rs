//! wardley-beta: Mermaid's Langium grammar (`wardley.langium`) and the checks its
//! parser makes while it fills the database: every coordinate between 0 and 1 (or 0
//! and 100), and a pipeline's parent an existing component.
//!
//! Its keywords (`component`, `size`, ...) are terminals ahead of the name terminal,
//! which takes words separated by blanks (`Campfire Kettle`), so `componentX` reads
//! as `component` and `X`, and `title` is kept out of names by a lookahead.

use std::collections::HashSet;

use super::langium::{lex, Kind, Parser, Spec, Terminal};
use super::prep::Prepared;
use super::MermaidError;

const KW_WARDLEY: Terminal = Terminal::Literal("wardley-beta");
const KW_SIZE: Terminal = Terminal::Literal("size");
const KW_EVOLUTION: Terminal = Terminal::Literal("evolution");
const KW_ANCHOR: Terminal = Terminal::Literal("anchor");
const KW_COMPONENT: Terminal = Terminal::Literal("component");
const KW_LABEL: Terminal = Terminal::Literal("label");
const KW_INERTIA: Terminal = Terminal::Literal("inertia");
const KW_EVOLVE: Terminal = Terminal::Literal("evolve");
const KW_PIPELINE: Terminal = Terminal::Literal("pipeline");
const KW_NOTE: Terminal = Terminal::Literal("note");
const KW_ANNOTATIONS: Terminal = Terminal::Literal("annotations");
const KW_ANNOTATION: Terminal = Terminal::Literal("annotation");
const KW_ACCELERATOR: Terminal = Terminal::Literal("accelerator");
const KW_DEACCELERATOR: Terminal = Terminal::Literal("deaccelerator");
const ARROW: Terminal = Terminal::Literal("->");

const SPEC: Spec = Spec {
    keywords: &["[", ",", "]", "@", "/", "-", "(", ")", "{", "}"],
    header_keywords: &[],
    terminals: &[
        Terminal::WardleyNumber,
        ARROW,
        Terminal::LinkPort,
        Terminal::LinkArrow,
        Terminal::LinkLabel,
        Terminal::Strategy,
        KW_WARDLEY,
        KW_SIZE,
        KW_EVOLUTION,
        KW_ANCHOR,
        KW_COMPONENT,
        KW_LABEL,
        KW_INERTIA,
        KW_EVOLVE,
        KW_PIPELINE,
        KW_NOTE,
        KW_ANNOTATIONS,
        KW_ANNOTATION,
        KW_ACCELERATOR,
        KW_DEACCELERATOR,
        Terminal::NameWithSpaces,
        Terminal::AccDescr,
        Terminal::AccTitle,
        Terminal::Title,
        Terminal::Int,
        Terminal::Str,
        Terminal::Id,
        Terminal::Newline,
    ],
    hidden: &[],
    longer_alts: &[("-", &[ARROW, Terminal::LinkArrow])],
};

/// What the parser found, for the checks made after parsing succeeds.
#[derive(Default)]
struct Model {
    /// Names of anchors and components.
    nodes: HashSet<String>,
    /// A coordinate out of range, first in the order Mermaid checks them.
    range: Option<(u8, MermaidError)>,
    /// Each pipeline's parent, with its line.
    pipelines: Vec<(String, usize)>,
    /// Each `evolve`: the component, its target and line (checked only when the
    /// component exists).
    evolves: Vec<(String, f64, usize)>,
}

impl Model {
    /// Mermaid takes 0-1 as a fraction and anything else as a percentage; it throws
    /// on a value over 100. `order`: the place of the statement kind in its checks.
    fn coordinate(&mut self, order: u8, value: f64, line: usize, what: &str) {
        let percent = if value <= 1.0 { value * 100.0 } else { value };
        let first = self.range.as_ref().is_none_or(|(o, _)| order < *o);
        if percent > 100.0 && first {
            self.range = Some((
                order,
                MermaidError::new(
                    line,
                    format!("{what} is {value}; coordinates are between 0 and 1 (or 0 and 100)"),
                ),
            ));
        }
    }
}

fn name(p: &mut Parser<'_, '_>, what: &str) -> Result<String, MermaidError> {
    let t = p.peek().copied();
    match t.map(|t| t.kind) {
        Some(Kind::Terminal(Terminal::Str)) => {
            let t = p.bump();
            let raw = p.text(&t);
            Ok(raw[1..raw.len() - 1].to_string())
        }
        Some(Kind::Terminal(Terminal::Id | Terminal::NameWithSpaces)) => {
            let t = p.bump();
            Ok(p.text(&t).to_string())
        }
        _ => Err(p.unexpected(what)),
    }
}

fn number(p: &mut Parser<'_, '_>, what: &str) -> Result<f64, MermaidError> {
    let t = p.expect_terminal(Terminal::WardleyNumber, what)?;
    Ok(p.text(&t).parse().unwrap_or(0.0))
}

/// `[ a , b ]` of two decimal numbers.
fn pair(p: &mut Parser<'_, '_>, what: &str) -> Result<(f64, f64), MermaidError> {
    let want =
        format!("{what} take a position `[visibility, evolution]` of decimals like `[0.5, 0.3]`");
    p.expect("[", &want)?;
    let a = number(p, &want)?;
    p.expect(",", &want)?;
    let b = number(p, &want)?;
    p.expect("]", &want)?;
    Ok((a, b))
}

/// `CoordinateValue`: a decimal or an integer.
fn coordinate_value(p: &mut Parser<'_, '_>, what: &str) -> Result<f64, MermaidError> {
    if p.next_is_terminal(Terminal::Int) {
        let t = p.bump();
        return Ok(p.text(&t).parse().unwrap_or(0.0));
    }
    number(p, what)
}

fn label(p: &mut Parser<'_, '_>) -> Result<(), MermaidError> {
    if !p.next_is_terminal(KW_LABEL) {
        return Ok(());
    }
    p.bump();
    let want = "`label` takes an offset `[x, y]` in whole numbers, e.g. `[-10, 5]`";
    p.expect("[", want)?;
    for last in [false, true] {
        if p.next_is("-") {
            p.bump();
        }
        p.expect_terminal(Terminal::Int, want)?;
        p.expect(if last { "]" } else { "," }, want)?;
    }
    Ok(())
}

fn component(p: &mut Parser<'_, '_>, m: &mut Model) -> Result<(), MermaidError> {
    let line = p.line();
    p.bump();
    let n = name(p, "`component` needs a name")?;
    let (v, e) = pair(p, "components")?;
    m.coordinate(2, e, line, &format!("the evolution of component `{n}`"));
    m.coordinate(2, v, line, &format!("the visibility of component `{n}`"));
    m.nodes.insert(n);
    label(p)?;
    if p.next_is("(")
        && p.lx
            .tokens
            .get(p.at + 1)
            .is_some_and(|t| t.is_terminal(Terminal::Strategy))
    {
        p.bump();
        p.bump();
        p.expect(")", "a sourcing strategy is closed with `)`")?;
    }
    if p.next_is_terminal(KW_INERTIA) {
        p.bump();
    } else if p.next_is("(") {
        p.bump();
        p.expect_terminal(
            KW_INERTIA,
            "`(` after a component takes `build`, `buy`, `outsource`, `market` or `inertia`",
        )?;
        p.expect(")", "`(inertia` is closed with `)`")?;
    }
    p.eol("a component")
}

fn evolution(p: &mut Parser<'_, '_>) -> Result<(), MermaidError> {
    p.bump();
    let mut stages = 0;
    loop {
        name(p, "`evolution` lists stage names separated by `->`")?;
        if p.next_is("@") {
            p.bump();
            number(p, "`@` takes a decimal boundary like `0.25`")?;
        }
        if p.next_is("/") {
            p.bump();
            name(p, "`/` is followed by a second stage name")?;
        }
        stages += 1;
        if !p.next_is_terminal(ARROW) {
            break;
        }
        p.bump();
    }
    if stages < 2 {
        return Err(p.unexpected("`evolution` needs at least two stages joined by `->`"));
    }
    p.eol("the evolution stages")
}

fn pipeline(p: &mut Parser<'_, '_>, m: &mut Model) -> Result<(), MermaidError> {
    let line = p.line();
    p.bump();
    let parent = name(p, "`pipeline` names the component it belongs to")?;
    m.pipelines.push((parent.clone(), line));
    p.expect("{", "a pipeline's components are written in `{ … }`")?;
    if !p.next_is_terminal(Terminal::Newline) {
        return Err(p.unexpected("a pipeline's `{` ends its line"));
    }
    p.skip_newlines();
    let mut count = 0;
    while p.next_is_terminal(KW_COMPONENT) {
        let line = p.line();
        p.bump();
        let n = name(p, "`component` needs a name")?;
        let want = "a pipeline component takes its evolution `[0.5]`";
        p.expect("[", want)?;
        let e = number(p, want)?;
        p.expect("]", want)?;
        m.coordinate(
            4,
            e,
            line,
            &format!("the evolution of pipeline component `{n}`"),
        );
        label(p)?;
        p.eol("a pipeline component")?;
        count += 1;
    }
    if count == 0 {
        return Err(p.unexpected("a pipeline holds `component` lines"));
    }
    p.expect("}", "a pipeline ends with `}` on its own line")?;
    p.eol("a pipeline's `}`")
}

fn link(p: &mut Parser<'_, '_>) -> Result<(), MermaidError> {
    name(p, "expected a statement")?;
    if p.next_is_terminal(Terminal::LinkPort) {
        p.bump();
    }
    if p.next_is_terminal(Terminal::LinkArrow) || p.next_is_terminal(ARROW) {
        p.bump();
    }
    name(
        p,
        "a link is written `From -> To` (or with `+>`, `-->`, `-.->`)",
    )?;
    if p.next_is_terminal(Terminal::LinkPort) {
        p.bump();
    }
    if p.next_is_terminal(Terminal::LinkLabel) {
        p.bump();
    }
    p.eol("a link")
}

fn statement(p: &mut Parser<'_, '_>, m: &mut Model) -> Result<(), MermaidError> {
    let line = p.line();
    if p.next_is_terminal(KW_SIZE) {
        p.bump();
        let want = "`size` takes `[width, height]` in whole numbers";
        p.expect("[", want)?;
        p.expect_terminal(Terminal::Int, want)?;
        p.expect(",", want)?;
        p.expect_terminal(Terminal::Int, want)?;
        p.expect("]", want)?;
        return p.eol("`size`");
    }
    if p.next_is_terminal(KW_EVOLUTION) {
        return evolution(p);
    }
    if p.next_is_terminal(KW_ANCHOR) {
        p.bump();
        let n = name(p, "`anchor` needs a name")?;
        let (v, e) = pair(p, "anchors")?;
        m.coordinate(1, e, line, &format!("the evolution of anchor `{n}`"));
        m.coordinate(1, v, line, &format!("the visibility of anchor `{n}`"));
        m.nodes.insert(n);
        return p.eol("an anchor");
    }
    if p.next_is_terminal(KW_COMPONENT) {
        return component(p, m);
    }
    if p.next_is_terminal(KW_EVOLVE) {
        p.bump();
        let n = name(p, "`evolve` names a component")?;
        let target = number(
            p,
            "`evolve` takes the target evolution as a decimal, e.g. `0.8`",
        )?;
        m.evolves.push((n, target, line));
        return p.eol("`evolve`");
    }
    if p.next_is_terminal(KW_PIPELINE) {
        return pipeline(p, m);
    }
    if p.next_is_terminal(KW_NOTE) {
        p.bump();
        p.string("note")?;
        let (v, e) = pair(p, "notes")?;
        m.coordinate(3, e, line, "the evolution of a note");
        m.coordinate(3, v, line, "the visibility of a note");
        return p.eol("a note");
    }
    if p.next_is_terminal(KW_ANNOTATIONS) || p.next_is_terminal(KW_ANNOTATION) {
        let box_ = p.next_is_terminal(KW_ANNOTATIONS);
        p.bump();
        if !box_ {
            p.expect_terminal(Terminal::Int, "`annotation` starts with its number")?;
            p.expect(",", "`annotation` takes `number, [x, y] \"text\"`")?;
        }
        let want = "annotations take a position `[x, y]`";
        p.expect("[", want)?;
        let x = coordinate_value(p, want)?;
        p.expect(",", want)?;
        let y = coordinate_value(p, want)?;
        p.expect("]", want)?;
        let order = if box_ { 7 } else { 8 };
        m.coordinate(order, x, line, "an annotation's position");
        m.coordinate(order, y, line, "an annotation's position");
        if !box_ {
            p.string("annotation")?;
        }
        return p.eol("an annotation");
    }
    if p.next_is_terminal(KW_ACCELERATOR) || p.next_is_terminal(KW_DEACCELERATOR) {
        let order = if p.next_is_terminal(KW_ACCELERATOR) {
            9
        } else {
            10
        };
        p.bump();
        name(p, "an accelerator needs a name")?;
        let (x, y) = pair(p, "accelerators")?;
        m.coordinate(order, x, line, "an accelerator's position");
        m.coordinate(order, y, line, "an accelerator's position");
        return p.eol("an accelerator");
    }
    link(p)
}

fn parse(p: &mut Parser<'_, '_>) -> Result<Model, MermaidError> {
    p.skip_newlines();
    p.expect_terminal(KW_WARDLEY, "expected `wardley-beta`")?;
    let mut m = Model::default();
    while p.peek().is_some() {
        if p.next_is_terminal(Terminal::Newline) {
            p.bump();
            continue;
        }
        if p.title_or_acc()? {
            continue;
        }
        statement(p, &mut m)?;
    }
    Ok(m)
}

pub(super) fn check(p: &Prepared<'_>, header_line: usize) -> Option<MermaidError> {
    let mut text = String::new();
    let lexed = match lex(p, header_line, &mut text, &SPEC) {
        Ok(l) => l,
        Err(e) => return Some(e),
    };
    let mut m = match parse(&mut Parser::new(&lexed)) {
        Ok(m) => m,
        Err(e) => return Some(e),
    };
    let evolves = std::mem::take(&mut m.evolves);
    for (n, target, line) in evolves {
        if m.nodes.contains(&n) {
            m.coordinate(6, target, line, &format!("the evolve target of `{n}`"));
        }
    }
    // Mermaid checks anchors, components and notes, then pipelines' parents, then
    // the rest.
    if let Some((_, e)) = m.range.take_if(|(o, _)| *o < 4) {
        return Some(e);
    }
    if let Some((parent, line)) = m.pipelines.iter().find(|(n, _)| !m.nodes.contains(n)) {
        return Some(MermaidError::new(
            *line,
            format!("pipeline `{parent}` must belong to a component declared with `component {parent} [x, y]`"),
        ));
    }
    m.range.map(|(_, e)| e)
}
