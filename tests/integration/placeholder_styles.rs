//! Placeholders in every style templates write them, and bracketed text that is not
//! one (issue #17, point 1): what separates them is written in `src/facts/fill_in.rs` and
//! docs/ARCHITECTURE.md ("Placeholders").

use crate::support::{findings_of, text};

/// The text of every `placeholder` finding under `core`, in order.
fn placeholders(doc: &str) -> Vec<String> {
    findings_of(doc, "core", "placeholder")
        .iter()
        .map(|d| {
            let m = text(d, "message");
            // "template placeholder `X` was never filled in"
            m.split_once('`')
                .and_then(|(_, rest)| rest.rsplit_once('`'))
                .map_or(m.clone(), |(inner, _)| inner.to_string())
        })
        .collect()
}

/// Status and language tags in headings, type and list notation, numbers, sets and
/// markup: a hand-written document has none of these reported.
#[test]
fn tags_types_and_notation_are_not_placeholders() {
    let doc = "# Architecture\n\n\
        ## Overview\n\nThe cache maps user_id -> [session_ids] and `lookup` returns [Node].\n\
        Scores lie in [0, 1]; weights are [master=1, canary=2].\n\
        Blocks hold [64 KiB, 16 MiB]; a retry waits [100 ms, 30 s]; stores are \
        ['Filesystem markdown', 'SQLite mirror'].\n\n\
        ### Storage Engine [BETA]\n\nAppend-only segments.\n\n\
        ### Sync [EXPERIMENTAL]\n\nPeer to peer.\n\n\
        #### [cli](https://example.com/cli) [RUST / SHELL]\n\nThe command line.\n\n\
        ## Parser [TS -> JS]\n\nA transpiler. Each request hits /users/{id} and the set {a, b}.\n\n\
        ## Decisions\n\nWe chose Postgres [KARAR] after a spike. See <details> below.\n\n\
        <details><summary>More</summary>Text.</details>\n";
    assert_eq!(placeholders(doc), Vec::<String>::new());
}

#[test]
fn square_bracket_fill_ins_are_placeholders() {
    let doc = "# Architecture\n\n\
        Owner: [Your Name]. Updated [DATE].\n\n\
        ## Components\n\n### [Component Name]\n\n\
        - Store: [e.g., PostgreSQL]\n- Role: [What does it do?]\n\
        - Notes: [Describe how requests are retried]\n- Status: [Current | Draft | Deprecated]\n";
    assert_eq!(
        placeholders(doc),
        [
            "[Your Name]",
            "[DATE]",
            "[Component Name]",
            "[e.g., PostgreSQL]",
            "[What does it do?]",
            "[Describe how requests are retried]",
            "[Current | Draft | Deprecated]",
        ]
    );
}

/// One plain word in brackets is a fill-in among others like it, and notation alone.
#[test]
fn single_words_count_in_company() {
    let template = "# Architecture\n\n## Stack\n\n- Language: [Language]\n\
        - Framework: [Framework]\n- Store: [Database]\n";
    assert_eq!(
        placeholders(template),
        ["[Language]", "[Framework]", "[Database]"]
    );
    let one = "# Architecture\n\n## Stack\n\nThe parser returns [Node] lists; see [Stack].\n";
    assert_eq!(placeholders(one), Vec::<String>::new());
    // Beside a strong one, a weak one counts too.
    let mixed = "# Architecture\n\n## Stack\n\n- Language: [Language]\n- Owner: [Your Name]\n";
    assert_eq!(placeholders(mixed), ["[Language]", "[Your Name]"]);
}

#[test]
fn curly_brace_fill_ins_are_placeholders() {
    let doc = "# {short title of the problem and its solution}\n\n\
        ## Context\n\n{Describe the context in two or three sentences}\n\n\
        ## Options\n\n* {title of option 1}\n* {option 2}\n\n\
        ## Outcome\n\nChosen: {SYSTEM_NAME}, because {justification, e.g., only option that meets the budget}.\n";
    assert_eq!(
        placeholders(doc),
        [
            "{short title of the problem and its solution}",
            "{Describe the context in two or three sentences}",
            "{title of option 1}",
            "{option 2}",
            "{SYSTEM_NAME}",
            "{justification, e.g., only option that meets the budget}",
        ]
    );
}

/// arc42 writes its fill-ins in angle brackets: raw (inline HTML to CommonMark),
/// escaped, or as entities.
#[test]
fn angle_bracket_fill_ins_are_placeholders() {
    let doc = "# Architecture\n\n## Building Blocks\n\n\
        **<Name of building block>** holds the state.\n\n\
        *\\<Overview Diagram\\>*\n\n\
        &lt;Describe the motivation&gt;\n\n\
        The <span>span</span> and <a href=\"x\">link</a> and <br> are markup; Vec<T> is a type.\n";
    assert_eq!(
        placeholders(doc),
        [
            "<Name of building block>",
            "\\<Overview Diagram\\>",
            "&lt;Describe the motivation&gt;",
        ]
    );
}

#[test]
fn fill_ins_in_other_languages_are_placeholders() {
    let chinese = "# 架构\n\n## 组件\n\n- [组件A]：[负责什么]\n- [组件B]：[负责什么]\n";
    assert_eq!(
        placeholders(chinese),
        ["[组件A]", "[负责什么]", "[组件B]", "[负责什么]"]
    );
    let japanese = "# <プロジェクト名> アーキテクチャ\n\n## 概要\n\n<システムの目的> を書く。\n";
    assert_eq!(
        placeholders(japanese),
        ["<プロジェクト名>", "<システムの目的>"]
    );
}

#[test]
fn template_tokens_in_front_matter_are_placeholders() {
    let doc = "---\ntitle: Architecture\nlast_updated: YYYY-MM-DD\nowner: \"{{team}}\"\ntags: [api, storage]\n---\n\n\
        # Architecture\n\nWritten by hand.\n";
    assert_eq!(placeholders(doc), ["YYYY-MM-DD", "{{team}}"]);
}

/// Bracketed text that real hand-written documents carry, in a document whose strong
/// fill-ins would let weak candidates through: wiki links, code glued to brackets,
/// lists and type parameters, a date format named, escaped tags, citations and
/// versions, a drawing made of arrows, a template expression, an editor's insertion
/// in a quotation, link labels defined on lines CommonMark did not take, and status
/// tags. Only the template's own fill-ins at the end are reported.
#[test]
fn notation_citations_and_quotations_are_not_placeholders() {
    let doc = "# Architecture\n\n## Overview\n\n\
        - Read [[module-map|the module map]] and [[glossary]] first.\n\
        - Buffers are Box<[u8]>, handlers take #[inline] Ctx, [[Node]] nests, \
          {Read,Write}Half splits, and [min|max]_by_key picks.\n\
        - A cursor is <Shard, Offset>; a pin is [URL, commit]. Levels: [trace, debug, info], \
          axes [x, y], and alerts { for: 10m, level: page }.\n\
        - Timestamps use the YYYY-MM-DD format.\n\
        - Cells may hold &lt;br&gt; or &lt;volumeName&gt;.\n\
        - Keywords follow [RFC 2119]; releases follow [Semantic Versioning 2.0.0]; \
          see [deploy/README.md].\n\
        - [Leaf A] ← [Hub] → [Leaf B]\n\
        - {{ render('chart', ['p50', 'p99']) }}\n\n\
        > \"We ship the wheel to PyPI, [then] tag it, and [sighs] wait.\"\n\n\
        Then say \"Turn on [Name of a light in the room]\" to try it.\n\n\
        [tracker]: https://example.com/issues\n\
        [docs-root]: https://example.com/{{< version >}}/docs\n\n\
        File bugs in [tracker] and read [docs-root].\n\n\
        ## GPU Offload [Public Preview]\n\nA **[pre-alpha]** path.\n\n\
        ## Left from the template\n\n\
        Owner: [Your Name]. Review [Improvement 1] and [Stack, frameworks, libraries].\n\
        Tagline: \"[Your tagline]\".\n";
    assert_eq!(
        placeholders(doc),
        [
            "[Your Name]",
            "[Improvement 1]",
            "[Stack, frameworks, libraries]",
            "[Your tagline]"
        ]
    );
}

#[test]
fn versions_tags_names_and_path_patterns_are_not_placeholders() {
    let doc = "# Changelog\n\n\
        ## [Unreleased]\n\n- Routing.\n\n\
        ## [1.2.0-rc.2] - 2026-05-12\n\n- Retries.\n\n\
        ## [v0.3.0-alpha.18] - 2026-04-01\n\n- First cut.\n\n\
        ## Work\n\n\
        - [P0] Shard the queue; [Q3] move the archive; sharding [In progress].\n\
        - The view is [org.example.chat.ChatView], set in {: .note } callouts.\n\
        - Files under < 1 MB are stored plain, > 1 MB compressed.\n\
        - Records live in decisions/[number]-[title].md; jobs write queue/<shard>/<counter>.\n\
        - Ranges are kept as {(a-b, v0), (c-d, v1) ... (y-z, v10)}.\n\n\
        ## Left from the template\n\n\
        Owner: [Your Name]. Record [000] supersedes nothing.\n";
    assert_eq!(placeholders(doc), ["[Your Name]", "[000]"]);
}

#[test]
fn stand_ins_that_name_their_value_are_placeholders() {
    // adr-tools writes its template's stand-ins as the value's name in capitals.
    let doc = "# NUMBER. TITLE\n\nDate: DATE\n\n## Status\n\nSTATUS\n\n\
        ## Context\n\nThe forces at play.\n\nReviewed: dd/mm/yyyy\n";
    assert_eq!(
        placeholders(doc),
        ["NUMBER. TITLE", "DATE", "STATUS", "dd/mm/yyyy"]
    );
    // A title that names itself, after a record number or its stand-in.
    for title in ["Title", "[000] Title", "ADR-XXX: Short title", "1. Title"] {
        let doc = format!("# {title}\n\n## Context\n\nWhy.\n");
        assert_eq!(placeholders(&doc).len(), 1, "{title}");
    }
    // Capitals that are the value, not its name; a script without case; a sequence
    // of numbered steps.
    let doc = "# 7. Use NATS\n\nDate: 2026-03-01\n\n## Status\n\nACCEPTED\n\n\
        ## API\n\nAPI\n\n## 구성 요소\n\n구성 요소\n\n| Step | Who |\n| --- | --- |\n\
        | [000] | Client |\n| [001] | Server |\n\n## Notes\n\nWrite `Date: DATE` and `[000]` \
        as the template does.\n";
    assert!(placeholders(doc).is_empty(), "{:?}", placeholders(doc));
}

/// What a template leaves to choose or name: a status offered as a menu, a braced name
/// standing alone (however short, however spelled), a front-matter value that is one
/// bracketed name.
#[test]
fn menus_lone_braced_names_and_bracketed_values_are_placeholders() {
    let doc = "---\nproject: \"<Project Name>\"\nowner: <担当者名>\nservice: {service_name}\n---\n\
        # ADR-{NNN}: {Decision Subject}\n\n\
        ## Status\n\nProposed | Accepted | Superseded\n\n\
        ## Context\n\n- Status: Vorgeschlagen | Akzeptiert | Abgelehnt\n\n\
        ## Decision\n\n{decision}\n\n{overview_from_analysis}\n";
    assert_eq!(
        placeholders(doc),
        [
            "<Project Name>",
            "<担当者名>",
            "{service_name}",
            "{NNN}",
            "{Decision Subject}",
            "Proposed | Accepted | Superseded",
            "Vorgeschlagen | Akzeptiert | Abgelehnt",
            "{decision}",
            "{overview_from_analysis}",
        ]
    );
}

/// A menu with its choice in bold has been answered; a braced word inside a sentence is
/// a route or a format field; front-matter lists and addresses are data.
#[test]
fn answered_menus_and_braces_in_sentences_are_not_placeholders() {
    let doc = "---\nauthors: [Jane Doe]\ncontact: <jane@example.org>\n---\n\
        # Architecture\n\n## Status\n\nProposed | **Accepted** | Superseded\n\n\
        ## Overview\n\nEach request hits /users/{id}, and the log line is {level} {message}.\n\n\
        Statuses move proposed | accepted | superseded, in that order.\n\n\
        {id: 1}\n\n{x}\n\n\
        | variable | meaning |\n| --- | --- |\n| {service_name} | the service |\n";
    assert_eq!(placeholders(doc), Vec::<String>::new());
}
