//! pie: Mermaid's Langium grammar (`pie.langium`) and the database's refusal of
//! negative slices.

use super::langium::{lex, Parser, Spec, Terminal};
use super::prep::Prepared;
use super::MermaidError;

const SPEC: Spec = Spec {
    keywords: &["showData", "pie", ":"],
    header_keywords: &["showData", "pie"],
    terminals: &[
        Terminal::NumberPie,
        Terminal::AccDescr,
        Terminal::AccTitle,
        Terminal::Title,
        Terminal::Str,
        Terminal::Newline,
    ],
    hidden: &[],
    longer_alts: &[],
};

fn parse(p: &mut Parser<'_, '_>) -> Result<(), MermaidError> {
    p.skip_newlines();
    p.expect("pie", "expected `pie`")?;
    if p.next_is("showData") {
        p.bump();
    }
    loop {
        if p.peek().is_none() {
            return Ok(());
        }
        if p.next_is_terminal(Terminal::Newline) {
            p.bump();
            continue;
        }
        if p.title_or_acc()? {
            continue;
        }
        let line = p.line();
        p.expect_terminal(
            Terminal::Str,
            "a pie slice is written `\"label\" : value`, with the label in quotes",
        )?;
        p.expect(
            ":",
            "a pie slice needs `:` between its quoted label and its value",
        )?;
        let value =
            p.expect_terminal(Terminal::NumberPie, "a pie slice needs a number after `:`")?;
        p.eol("a pie slice")?;
        if p.text(&value).starts_with('-') {
            return Err(MermaidError::new(
                line,
                format!(
                    "pie slice value `{}` is negative; slices must be 0 or more",
                    p.text(&value)
                ),
            ));
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
