//! treemap: Mermaid's Langium grammar (`treemap.langium`). Line breaks are hidden and
//! spaces are tokens: a row is an optional indentation and a section (`"name"`) or a
//! leaf (`"name": value`), either with an optional `:::class`; `classDef` rows define
//! styles. Mermaid's parser runs no validation for treemaps, so several roots pass.

use super::langium::{lex, Kind, Parser, Spec, Terminal};
use super::prep::Prepared;
use super::MermaidError;

const SPEC: Spec = Spec {
    keywords: &[],
    header_keywords: &[],
    terminals: &[
        Terminal::AccDescr,
        Terminal::AccTitle,
        Terminal::Title,
        Terminal::TreemapKeyword,
        Terminal::ClassDef,
        Terminal::StyleSeparator,
        Terminal::Separator,
        Terminal::Comma,
        Terminal::Indentation,
        Terminal::Newline,
        Terminal::Id2,
        Terminal::Number2,
        Terminal::Str2,
    ],
    hidden: &[Terminal::Newline],
    longer_alts: &[],
};

fn is_title(p: &Parser<'_, '_>) -> bool {
    p.peek().is_some_and(|t| {
        matches!(
            t.kind,
            Kind::Terminal(Terminal::AccDescr | Terminal::AccTitle | Terminal::Title)
        )
    })
}

fn class_selector(p: &mut Parser<'_, '_>) -> Result<(), MermaidError> {
    if p.next_is_terminal(Terminal::StyleSeparator) {
        p.bump();
        p.expect_terminal(Terminal::Id2, "`:::` needs a class name")?;
    }
    Ok(())
}

/// The token after the next one is `t` (for the leaf's `"name" : value`).
fn second_is(p: &Parser<'_, '_>, t: Terminal) -> bool {
    p.lx.tokens.get(p.at + 1).is_some_and(|k| k.is_terminal(t))
}

fn parse(p: &mut Parser<'_, '_>) -> Result<(), MermaidError> {
    p.expect_terminal(Terminal::TreemapKeyword, "expected `treemap-beta`")?;
    loop {
        if p.peek().is_none() {
            return Ok(());
        }
        if is_title(p) {
            p.bump();
            continue;
        }
        if p.next_is_terminal(Terminal::Indentation) {
            p.bump();
        }
        if p.next_is_terminal(Terminal::ClassDef) {
            p.bump();
            continue;
        }
        p.expect_terminal(
            Terminal::Str2,
            "a treemap row is a quoted name, `\"name\": value`, or `classDef`",
        )?;
        let separator = |p: &Parser<'_, '_>| {
            p.next_is_terminal(Terminal::Separator) || p.next_is_terminal(Terminal::Comma)
        };
        let leaf = separator(p)
            || p.next_is_terminal(Terminal::Indentation)
                && (second_is(p, Terminal::Separator) || second_is(p, Terminal::Comma));
        if leaf {
            if p.next_is_terminal(Terminal::Indentation) {
                p.bump();
            }
            p.bump();
            if p.next_is_terminal(Terminal::Indentation) {
                p.bump();
            }
            p.expect_terminal(Terminal::Number2, "a leaf's value is a number after `:`")?;
        }
        class_selector(p)?;
    }
}

pub(super) fn check(p: &Prepared<'_>, header_line: usize) -> Option<MermaidError> {
    let mut text = String::new();
    let lexed = match lex(p, header_line, &mut text, &SPEC) {
        Ok(l) => l,
        Err(e) => return Some(e),
    };
    parse(&mut Parser::new(&lexed)).err()
}
