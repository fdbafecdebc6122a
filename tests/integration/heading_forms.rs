//! Headings that name a required section in another word form match it (issue #17,
//! point 2), and different sections stay different.

use crate::support::{findings_of, text};

fn missing(doc: &str) -> Vec<String> {
    missing_with_help(doc).into_iter().map(|m| m.1).collect()
}

fn doc(headings: &[&str]) -> String {
    let mut s = String::from("# Architecture\n\n");
    for h in headings {
        s.push_str(&format!("## {h}\n\nSome text.\n\n"));
    }
    s
}

#[test]
fn word_forms_and_qualifiers_match() {
    let found = missing(&doc(&[
        "Architectural Overview",
        "High-Level Architecture",
        "Major Components",
        "Data Flow Summary",
        "Key Architecture Decisions",
        "Security & Access Control",
        "Deployment",
        "Future Plans",
    ]));
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn different_sections_stay_different() {
    let found = missing(&doc(&[
        "Overview",
        "System Architecture",
        "Model",
        "Data Flow",
        "Design Decisions",
        "Security",
        "Development",
        "Evaluation",
    ]));
    assert_eq!(
        found,
        [
            "required section `Components` is missing",
            "required section `Deployment` is missing",
            "required section `Future Considerations` is missing",
        ]
    );
}

/// `(line, message, help)` of every missing-section finding under `core`.
fn missing_with_help(doc: &str) -> Vec<(u64, String, String)> {
    findings_of(doc, "core", "missing-section")
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap_or(0),
                text(d, "message"),
                text(d, "help"),
            )
        })
        .collect()
}

/// "Did you mean" offers only a misspelling, at most once per heading, and the
/// finding points at that heading (issue #17, point 3); a different word gets none.
#[test]
fn suggestions_are_misspellings_at_their_heading() {
    let doc = doc(&[
        "Overview",
        "System Architecture",
        "Componets",
        "Data Flow",
        "Design Decisions",
        "Security",
        "Development",
        "Evaluation",
    ]);
    let found = missing_with_help(&doc);
    assert_eq!(found.len(), 3, "{found:#?}");
    // `## Componets` is on line 11.
    assert_eq!(found[0].0, 11, "{found:#?}");
    assert_eq!(
        found[0].2,
        "did you mean `Componets`? rename it to `Components`"
    );
    for (_, message, help) in &found[1..] {
        assert!(!help.contains("did you mean"), "{message}: {help}");
    }
}

/// A misspelling keeps its first letter: `Preferences` is another word, not `References`
/// misspelt; an accent on the first letter is no other word (`Évolution`).
#[test]
fn a_heading_with_another_first_letter_is_not_suggested() {
    // `service` asks for Related Documentation, also called References.
    let helps: Vec<String> = findings_of(
        &doc(&["System Overview", "Preferences"]),
        "service",
        "missing-section",
    )
    .iter()
    .map(|d| text(d, "help"))
    .collect();
    assert!(
        helps.iter().all(|h| !h.contains("Preferences")),
        "{helps:#?}"
    );
    let found = missing_with_help(&doc(&["Évolution"]));
    assert!(
        found
            .iter()
            .any(|(_, m, help)| m.contains("Future Considerations")
                && help.contains("did you mean `Évolution`")),
        "{found:#?}"
    );
}

/// A heading with a subtitle (`Data Flow: request lifecycle`) names its subject; one
/// whose subject of two words or more is scoped (`Considered options for …`) too; a
/// single word scoped to a part (`Design of the parser`) is that part's.
#[test]
fn a_subtitle_or_scope_leaves_the_subject_named() {
    let found = missing(&doc(&[
        "Overview",
        "Current Architecture — three services and a queue",
        "Main Components of the pipeline",
        "Data Flow: request lifecycle",
        "Basic design decisions – one switch for degradation",
        "Security",
        "Deployment",
        "Future Considerations",
    ]));
    assert!(found.is_empty(), "{found:#?}");
    let found = missing(&doc(&[
        "Overview",
        "Components",
        "Data Flow",
        "Design of the parser",
        "Security",
        "Deployment",
        "Future Considerations",
    ]));
    assert!(
        found.iter().any(|m| m.contains("Design Decisions")),
        "{found:#?}"
    );
}

/// One side of a name's `and` matches only at a level the section allows: `#### Pros`
/// under one option is no misplaced `Pros and Cons of the Options`.
#[test]
fn one_side_of_an_and_matches_only_at_the_right_level() {
    let record = "# Pick a registry\n\n## Context and Problem Statement\n\nApps must find services.\n\n\
                  ## Considered options for discovery\n\n### A registry\n\n#### Pros\n\n* simple\n\n\
                  #### Cons\n\n* one more service\n\n### Broadcast\n\nNoisy.\n\n\
                  ## Decision: a registry\n\nIt starts fast.\n";
    for rule in ["missing-section", "heading-level", "section-order"] {
        let found = findings_of(record, "madr", rule);
        assert!(found.is_empty(), "{rule}: {found:#?}");
    }
}

/// An element's tag in a heading (`<a name='x'></a>`, as table-of-contents tools
/// write anchors) is not part of its name; text in angle brackets still is.
#[test]
fn tags_in_a_heading_are_not_its_name() {
    let doc = "# Architekturdokumentation\n\n\
        ## <a name='ziele'></a>Einführung und Ziele\n\nEin Buchungswerkzeug.\n\n\
        ## <a id=\"rand\"></a>Randbedingungen<br/>\n\nEin Server.\n\n\
        ## Entwurfsentscheidungen\n\nPostgres.\n";
    let found: Vec<String> = findings_of(doc, "arc42", "missing-section")
        .iter()
        .map(|d| text(d, "message"))
        .collect();
    for name in [
        "Introduction and Goals",
        "Architecture Constraints",
        "Architecture Decisions",
    ] {
        assert!(
            !found.iter().any(|m| m.contains(name)),
            "{name}: {found:#?}"
        );
    }
}

/// `core` knows its sections' usual names in other languages.
#[test]
fn core_sections_are_known_in_other_languages() {
    for headings in [
        [
            "Visão geral",
            "Arquitetura",
            "Componentes",
            "Fluxo de dados",
            "Decisões de arquitetura",
            "Segurança",
            "Implantação",
            "Trabalhos futuros",
        ],
        [
            "Vue d'ensemble",
            "Architecture du système",
            "Composants",
            "Flux de données",
            "Décisions de conception",
            "Sécurité",
            "Déploiement",
            "Limites",
        ],
        [
            "Übersicht",
            "Systemarchitektur",
            "Komponenten",
            "Datenfluss",
            "Architekturentscheidungen",
            "Sicherheit",
            "Bereitstellung",
            "Ausblick",
        ],
        [
            "概述",
            "系统架构",
            "核心组件",
            "数据流",
            "设计决策",
            "安全",
            "部署",
            "后续计划",
        ],
        [
            "Обзор",
            "Архитектура системы",
            "Компоненты",
            "Поток данных",
            "Архитектурные решения",
            "Безопасность",
            "Развертывание",
            "Ограничения",
        ],
    ] {
        let found = missing(&doc(&headings));
        assert!(found.is_empty(), "{headings:?}: {found:#?}");
    }
}
