//! packet: Mermaid's Langium grammar (`packet.langium`) and the checks its parser
//! makes while laying the blocks out: each block starts where the last one ended,
//! ends after it starts, and is at least one bit wide.

use super::langium::{lex, Parser, Spec, Terminal};
use super::prep::Prepared;
use super::MermaidError;

const SPEC: Spec = Spec {
    keywords: &["packet-beta", "packet", "+", "-", ":"],
    header_keywords: &["packet"],
    terminals: &[
        Terminal::AccDescr,
        Terminal::AccTitle,
        Terminal::Title,
        Terminal::Int,
        Terminal::Str,
        Terminal::Newline,
    ],
    hidden: &[],
    longer_alts: &[],
};

fn number(p: &Parser<'_, '_>, t: &super::langium::Token) -> u64 {
    p.text(t).parse().unwrap_or(u64::MAX)
}

fn parse(p: &mut Parser<'_, '_>) -> Result<(), MermaidError> {
    p.skip_newlines();
    if p.next_is("packet-beta") {
        p.bump();
    } else {
        p.expect("packet", "expected `packet`")?;
    }
    // The next bit a block must start at (Mermaid's `lastBit + 1`).
    let mut next_bit: u64 = 0;
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
        let (start, end, bits) = if p.next_is("+") {
            p.bump();
            let bits = p.expect_terminal(
                Terminal::Int,
                "`+` needs a number of bits, as in `+8: \"Flags\"`",
            )?;
            (None, None, Some(number(p, &bits)))
        } else {
            let start = p.expect_terminal(
                Terminal::Int,
                "a packet block is written `start-end: \"label\"`, `start: \"label\"` or `+bits: \"label\"`",
            )?;
            let start = number(p, &start);
            let end = if p.next_is("-") {
                p.bump();
                let end =
                    p.expect_terminal(Terminal::Int, "a bit range needs an end, as in `0-15`")?;
                Some(number(p, &end))
            } else {
                None
            };
            (Some(start), end, None)
        };
        p.expect(":", "a packet block needs `:` before its label")?;
        p.expect_terminal(Terminal::Str, "a packet block's label is a quoted string")?;
        p.eol("a packet block")?;
        let fail = |m: String| Err(MermaidError::new(line, m));
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                return fail(format!("packet block `{s}-{e}` ends before it starts"));
            }
        }
        let start = start.unwrap_or(next_bit);
        if start != next_bit {
            return fail(format!(
                "packet block starting at bit {start} is not contiguous; it should start at bit {next_bit}"
            ));
        }
        if bits == Some(0) {
            return fail("packet block `+0` has no bits".to_string());
        }
        let end = end.unwrap_or_else(|| start.saturating_add(bits.unwrap_or(1)) - 1);
        next_bit = end.saturating_add(1);
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
