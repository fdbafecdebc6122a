//! treeView: Mermaid's Langium grammar (`treeView.langium`). Line breaks are hidden
//! and spaces are tokens: after the keyword and optional titles, each node is an
//! optional indentation, a quoted or bare name, and optional `:::class`, `icon(…)`
//! and `## description` annotations.

use super::langium::{lex, Kind, Parser, Spec, Terminal};
use super::prep::Prepared;
use super::MermaidError;

const SPEC: Spec = Spec {
    keywords: &["treeView-beta"],
    header_keywords: &["treeView-beta"],
    terminals: &[
        Terminal::AccDescr,
        Terminal::AccTitle,
        Terminal::Title,
        Terminal::ClassAnnotation,
        Terminal::IconAnnotation,
        Terminal::DescAnnotation,
        Terminal::Indentation,
        Terminal::Str2,
        Terminal::Newline,
        Terminal::BareName,
    ],
    hidden: &[Terminal::Newline],
    longer_alts: &[],
};

fn parse(p: &mut Parser<'_, '_>) -> Result<(), MermaidError> {
    p.expect("treeView-beta", "expected `treeView-beta`")?;
    while p.peek().is_some_and(|t| {
        matches!(
            t.kind,
            Kind::Terminal(Terminal::AccDescr | Terminal::AccTitle | Terminal::Title)
        )
    }) {
        p.bump();
    }
    loop {
        if p.peek().is_none() {
            return Ok(());
        }
        if p.next_is_terminal(Terminal::Indentation) {
            p.bump();
        }
        if p.next_is_terminal(Terminal::Str2) || p.next_is_terminal(Terminal::BareName) {
            p.bump();
        } else {
            return Err(p.unexpected(
                "expected a node name (titles and accessibility lines come right after `treeView-beta`)",
            ));
        }
        while p.peek().is_some_and(|t| {
            matches!(
                t.kind,
                Kind::Terminal(
                    Terminal::ClassAnnotation | Terminal::IconAnnotation | Terminal::DescAnnotation
                )
            )
        }) {
            p.bump();
        }
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
