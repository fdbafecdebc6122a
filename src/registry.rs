//! The rule registry: every rule's module (its file in `src/rules/`), its type, and
//! its id. Adding a rule is its file, which declares itself with `declare_rule!`, plus
//! one line here; `RuleId`, the `mod` lines and `rules::RULES` are generated from this
//! list, in this order (the order `archlint rules` lists them and the rules run).

/// Calls `$then!` with the list of rules: `module::Type = "id",` per rule.
macro_rules! for_each_rule {
    ($then:ident) => {
        $then! {
            missing_section::MissingSection = "missing-section",
            section_order::SectionOrder = "section-order",
            heading_level::HeadingLevel = "heading-level",
            missing_field::MissingField = "missing-field",
            missing_date::MissingDate = "missing-date",
            invalid_date::InvalidDate = "invalid-date",
            stale_date::StaleDate = "stale-date",
            missing_diagram::MissingDiagram = "missing-diagram",
            mermaid_syntax::MermaidSyntax = "mermaid-syntax",
            dead_reference::DeadReference = "dead-reference",
            placeholder::Placeholder = "placeholder",
            empty_section::EmptySection = "empty-section",
            invalid_suppression::InvalidSuppression = "invalid-suppression",
        }
    };
}
pub(crate) use for_each_rule;
