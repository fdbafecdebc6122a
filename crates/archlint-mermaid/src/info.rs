//! info: Mermaid's Langium grammar (`info.langium`): the keyword, `showInfo`, and
//! titles or accessibility lines.

use super::langium::{lex, Parser, Spec, Terminal};
use super::prep::Prepared;
use super::MermaidError;

const SPEC: Spec = Spec {
    keywords: &["showInfo", "info"],
    header_keywords: &["showInfo", "info"],
    terminals: &[
        Terminal::AccDescr,
        Terminal::AccTitle,
        Terminal::Title,
        Terminal::Newline,
    ],
    hidden: &[],
    longer_alts: &[],
};

fn parse(p: &mut Parser<'_, '_>) -> Result<(), MermaidError> {
    p.skip_newlines();
    p.expect("info", "expected `info`")?;
    p.skip_newlines();
    if p.next_is("showInfo") {
        p.bump();
        p.skip_newlines();
    }
    while p.title_or_acc()? {}
    match p.peek() {
        None => Ok(()),
        Some(_) => {
            Err(p.unexpected("`info` takes only `showInfo` and title or accessibility lines"))
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
