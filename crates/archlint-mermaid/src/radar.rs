//! radar: Mermaid's Langium grammar (`radar.langium`) and the database's rule that a
//! curve whose entries name their axes names every axis.

use super::langium::{lex, Parser, Spec, Terminal};
use super::prep::Prepared;
use super::MermaidError;

const SPEC: Spec = Spec {
    keywords: &[
        "radar-beta:",
        "radar-beta",
        "showLegend",
        "graticule",
        "curve",
        "ticks",
        "axis",
        "max",
        "min",
        ":",
        ",",
        "[",
        "]",
        "{",
        "}",
    ],
    header_keywords: &["radar-beta"],
    terminals: &[
        Terminal::Graticule,
        Terminal::Boolean,
        Terminal::AccDescr,
        Terminal::AccTitle,
        Terminal::Title,
        Terminal::Number,
        Terminal::Str,
        Terminal::Id,
        Terminal::Newline,
    ],
    hidden: &[],
    longer_alts: &[],
};

fn label(p: &mut Parser<'_, '_>) -> Result<(), MermaidError> {
    if p.next_is("[") {
        p.bump();
        p.expect_terminal(Terminal::Str, "a label in `[…]` is a quoted string")?;
        p.expect("]", "a label is closed with `]`")?;
    }
    Ok(())
}

/// A curve: its name, line, and the axes its entries name (None for plain numbers).
struct Curve {
    name: String,
    line: usize,
    axes: Option<Vec<String>>,
}

fn curve(p: &mut Parser<'_, '_>) -> Result<Curve, MermaidError> {
    let line = p.line();
    let name = p.expect_terminal(Terminal::Id, "`curve` needs a name")?;
    let name = p.text(&name).to_string();
    label(p)?;
    p.expect("{", "a curve's values are written in `{…}`")?;
    p.skip_newlines();
    let detailed = p.next_is_terminal(Terminal::Id);
    let mut axes = Vec::new();
    loop {
        if detailed {
            let axis = p.expect_terminal(
                Terminal::Id,
                "write every entry as `axis: value` once one is",
            )?;
            axes.push(p.text(&axis).to_string());
            if p.next_is(":") {
                p.bump();
            }
            p.expect_terminal(Terminal::Number, "an entry needs a number")?;
        } else {
            p.expect_terminal(
                Terminal::Number,
                "a curve's entries are numbers, or `axis: value`",
            )?;
        }
        if !p.next_is(",") {
            break;
        }
        p.bump();
        p.skip_newlines();
    }
    p.skip_newlines();
    p.expect("}", "a curve's values end with `}`")?;
    Ok(Curve {
        name,
        line,
        axes: detailed.then_some(axes),
    })
}

fn option(p: &mut Parser<'_, '_>) -> Result<bool, MermaidError> {
    let value = if p.next_is("showLegend") {
        Terminal::Boolean
    } else if p.next_is("graticule") {
        Terminal::Graticule
    } else if p.next_is_any(&["ticks", "max", "min"]) {
        Terminal::Number
    } else {
        return Ok(false);
    };
    let name = p.bump();
    let name = p.text(&name).to_string();
    let want = match value {
        Terminal::Boolean => "`true` or `false`",
        Terminal::Graticule => "`circle` or `polygon`",
        _ => "a number",
    };
    p.expect_terminal(value, &format!("`{name}` takes {want}"))?;
    Ok(true)
}

fn parse(p: &mut Parser<'_, '_>) -> Result<(), MermaidError> {
    p.skip_newlines();
    if p.next_is("radar-beta:") {
        p.bump();
    } else {
        p.expect("radar-beta", "expected `radar-beta`")?;
        if p.next_is(":") {
            p.bump();
        }
    }
    p.skip_newlines();
    let mut axes: Vec<String> = Vec::new();
    let mut curves = Vec::new();
    loop {
        if p.peek().is_none() {
            break;
        }
        if p.next_is_terminal(Terminal::Newline) {
            p.bump();
            continue;
        }
        if p.title_or_acc()? {
            continue;
        }
        if p.next_is("axis") {
            p.bump();
            loop {
                let a = p.expect_terminal(Terminal::Id, "`axis` needs a name")?;
                axes.push(p.text(&a).to_string());
                label(p)?;
                if !p.next_is(",") {
                    break;
                }
                p.bump();
            }
            continue;
        }
        if p.next_is("curve") {
            p.bump();
            loop {
                curves.push(curve(p)?);
                if !p.next_is(",") {
                    break;
                }
                p.bump();
            }
            continue;
        }
        if option(p)? {
            while p.next_is(",") {
                p.bump();
                if !option(p)? {
                    return Err(p.unexpected("expected an option after `,`"));
                }
            }
            continue;
        }
        return Err(p.unexpected(
            "expected `axis`, `curve`, an option (`showLegend`, `ticks`, `max`, `min`, `graticule`) or a title",
        ));
    }
    for c in &curves {
        let Some(named) = &c.axes else { continue };
        if axes.is_empty() {
            return Err(MermaidError::new(
                c.line,
                format!("curve `{}` names axes, but no `axis` is declared", c.name),
            ));
        }
        if let Some(missing) = axes.iter().find(|a| !named.contains(a)) {
            return Err(MermaidError::new(
                c.line,
                format!("curve `{}` has no entry for axis `{missing}`", c.name),
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
    parse(&mut Parser::new(&lexed)).err()
}
