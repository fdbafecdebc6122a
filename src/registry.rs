//! The rule registry: every rule's module (its file in `src/rules/`), its type, its id
//! and its one-line summary. Adding a rule is its file, which declares itself with
//! `declare_rule!`, plus one entry here; `RuleId` (with `as_str` and `summary`), the
//! `mod` lines and `rules::RULES` are generated from this list, in this order (the
//! order `archlint rules` lists them and the rules run).

/// Calls `$then!` with the list of rules: `module::Type = "id": "summary",` per rule.
macro_rules! for_each_rule {
    ($then:ident) => {
        $then! {
            missing_section::MissingSection = "missing-section":
                "a required section, the title, or a required number of sub-sections is absent",
            section_order::SectionOrder = "section-order":
                "required sections appear out of the profile's order",
            heading_level::HeadingLevel = "heading-level":
                "a required section is present at the wrong heading level",
            missing_field::MissingField = "missing-field":
                "a section lacks a required labelled field (e.g. `**Context**:`)",
            missing_date::MissingDate = "missing-date":
                "the profile requires a last-updated date and none is found",
            invalid_date::InvalidDate = "invalid-date":
                "a date is present but cannot be parsed, or lies in the future",
            stale_date::StaleDate = "stale-date":
                "the last-updated date is older than the maximum age",
            missing_diagram::MissingDiagram = "missing-diagram":
                "a required diagram is absent from the document or from its section",
            mermaid_syntax::MermaidSyntax = "mermaid-syntax":
                "a mermaid block is not a valid diagram (unknown type, unbalanced brackets, malformed edges)",
            dead_reference::DeadReference = "dead-reference":
                "a referenced file or directory does not exist, or a `path:line` is past the end of its file",
            placeholder::Placeholder = "placeholder":
                "unfilled template text such as `[Component Name]`, `[Date]` or `YYYY-MM-DD`",
            empty_section::EmptySection = "empty-section":
                "a heading with no content of its own or below it",
            adr_sequence::AdrSequence = "adr-sequence":
                "in a folder of decision records: a duplicate or missing number, or a file name and title whose numbers disagree",
            adr_status::AdrStatus = "adr-status":
                "a decision record's status outside the allowed values; a superseded record whose status does not say so; a \"superseded by\" naming no record",
            adr_index::AdrIndex = "adr-index":
                "a decision folder's index that omits a record or lists one that does not exist",
            doc_drift::DocDrift = "doc-drift":
                "a referenced path (or one the front matter's `covers:` names) changed well after the document's last update",
            invalid_suppression::InvalidSuppression = "invalid-suppression":
                "a suppression comment names an unknown rule, is malformed, or suppresses nothing",
        }
    };
}
pub(crate) use for_each_rule;
