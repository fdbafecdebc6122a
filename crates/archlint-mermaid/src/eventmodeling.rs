//! eventmodeling: Mermaid's Langium grammar (`event-modeling.langium`).
//!
//! Line breaks are blanks to this grammar, and its identifier terminal comes before
//! the title and accessibility terminals, so `title` and `accTitle` lines are read as
//! identifiers, which no statement starts with: Mermaid rejects them, and so does
//! this port.

use super::langium::{lex, Parser, Spec, Terminal};
use super::prep::Prepared;
use super::MermaidError;

const ENTITY_TYPES: &[&str] = &[
    "readmodel",
    "processor",
    "command",
    "event",
    "rmo",
    "cmd",
    "evt",
    "pcr",
    "ui",
];

const DATA_TYPES: &[&str] = &[
    "figma", "jsobj", "json", "salt", "html", "text", "uri", "md",
];

const SPEC: Spec = Spec {
    keywords: &[
        "eventmodeling",
        "resetframe",
        "timeframe",
        "readmodel",
        "processor",
        "command",
        "entity",
        "figma",
        "event",
        "given",
        "jsobj",
        "data",
        "html",
        "json",
        "note",
        "salt",
        "text",
        "then",
        "when",
        "->>",
        "cmd",
        "evt",
        "gwt",
        "pcr",
        "rmo",
        "uri",
        "[[",
        "]]",
        "md",
        "rf",
        "tf",
        "ui",
        "`",
        ".",
    ],
    header_keywords: &["eventmodeling"],
    terminals: &[
        Terminal::Blank,
        Terminal::Id2,
        Terminal::EmFrameId,
        Terminal::EmDataInline,
        Terminal::EmDataBlock,
        Terminal::AccDescr,
        Terminal::AccTitle,
        Terminal::Title,
        Terminal::BlockComment,
        Terminal::LineComment,
    ],
    hidden: &[
        Terminal::Blank,
        Terminal::BlockComment,
        Terminal::LineComment,
    ],
    longer_alts: &[],
};

fn entity_type(p: &mut Parser<'_, '_>, what: &str) -> Result<(), MermaidError> {
    if p.next_is_any(ENTITY_TYPES) {
        p.bump();
        return Ok(());
    }
    Err(p.unexpected(&format!(
        "{what} needs a type: `cmd`, `evt`, `rmo`, `ui` or `pcr` (or `command`, `event`, `readmodel`, `processor`)"
    )))
}

/// `` (`type`)? `` before inline or block data.
fn data_type(p: &mut Parser<'_, '_>) -> Result<bool, MermaidError> {
    if !p.next_is("`") {
        return Ok(false);
    }
    p.bump();
    if !p.next_is_any(DATA_TYPES) {
        return Err(p.unexpected(
            "a data type in backticks is one of `json`, `jsobj`, `figma`, `salt`, `uri`, `md`, `html` or `text`",
        ));
    }
    p.bump();
    p.expect("`", "a data type is closed with a backtick")?;
    Ok(true)
}

/// `EM_ID ('.' EM_ID)*`
fn qualified_name(p: &mut Parser<'_, '_>, what: &str) -> Result<(), MermaidError> {
    p.expect_terminal(Terminal::Id2, what)?;
    while p.next_is(".") {
        p.bump();
        p.expect_terminal(Terminal::Id2, "a name continues with a word after `.`")?;
    }
    Ok(())
}

fn block_data(p: &mut Parser<'_, '_>, what: &str) -> Result<(), MermaidError> {
    data_type(p)?;
    p.expect_terminal(
        Terminal::EmDataBlock,
        &format!("{what} needs its data in a block: `{{` at the end of the line, `}}` on a line of its own"),
    )?;
    Ok(())
}

fn frame(p: &mut Parser<'_, '_>) -> Result<(), MermaidError> {
    let kw = p.bump();
    let kw = p.text(&kw).to_string();
    let id = p.expect_terminal(
        Terminal::EmFrameId,
        &format!("`{kw}` needs a frame number of one to three digits"),
    )?;
    if p.peek()
        .is_some_and(|t| t.is_terminal(Terminal::EmFrameId) && t.start == id.end)
    {
        return Err(p.unexpected("a frame number has one to three digits"));
    }
    entity_type(p, &format!("`{kw}`"))?;
    qualified_name(p, &format!("`{kw}` needs the name of what happens"))?;
    while p.next_is("->>") {
        p.bump();
        p.expect_terminal(
            Terminal::EmFrameId,
            "`->>` points at a frame number of one to three digits",
        )?;
    }
    if p.next_is("[[") {
        p.bump();
        p.expect_terminal(Terminal::Id2, "`[[` names a `data` entry")?;
        p.expect("]]", "a data reference is closed with `]]`")?;
    }
    let typed = data_type(p)?;
    if typed || p.next_is_terminal(Terminal::EmDataInline) {
        p.expect_terminal(
            Terminal::EmDataInline,
            "inline data is written `{ … }` or quoted on the frame's line",
        )?;
    }
    Ok(())
}

fn gwt_statements(p: &mut Parser<'_, '_>, after: &str) -> Result<(), MermaidError> {
    loop {
        entity_type(p, &format!("each statement after `{after}`"))?;
        p.expect_terminal(Terminal::Id2, "a statement names an `entity`")?;
        if !p.next_is_any(ENTITY_TYPES) {
            return Ok(());
        }
    }
}

fn parse(p: &mut Parser<'_, '_>) -> Result<(), MermaidError> {
    p.expect("eventmodeling", "expected `eventmodeling`")?;
    while let Some(t) = p.peek() {
        let t = *t;
        if p.next_is_any(&["tf", "timeframe", "rf", "resetframe"]) {
            frame(p)?;
        } else if p.next_is("entity") {
            p.bump();
            qualified_name(p, "`entity` needs a name")?;
        } else if p.next_is("data") {
            p.bump();
            p.expect_terminal(Terminal::Id2, "`data` needs a name")?;
            block_data(p, "`data`")?;
        } else if p.next_is("note") {
            p.bump();
            p.expect_terminal(Terminal::EmFrameId, "`note` names a frame number")?;
            block_data(p, "`note`")?;
        } else if p.next_is("gwt") {
            p.bump();
            p.expect_terminal(Terminal::EmFrameId, "`gwt` names a frame number")?;
            p.expect("given", "`gwt` goes on with `given`")?;
            gwt_statements(p, "given")?;
            if p.next_is("when") {
                p.bump();
                gwt_statements(p, "when")?;
            }
            p.expect("then", "`gwt` needs `then` and what follows")?;
            gwt_statements(p, "then")?;
        } else if t.is_terminal(Terminal::Id2)
            && ["title", "accTitle", "accDescr"].contains(&p.text(&t))
        {
            return Err(p.unexpected(
                "eventmodeling has no `title`, `accTitle` or `accDescr` that Mermaid can read (its name rule takes the word first); leave it out",
            ));
        } else {
            return Err(p.unexpected(
                "expected a statement: `tf`/`rf` (a frame), `entity`, `data`, `note` or `gwt`",
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
