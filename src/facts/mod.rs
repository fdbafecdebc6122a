//! Facts about one document that several rules share, computed once per document by
//! the check context: which headings match which sections, placeholder hits, dates,
//! labelled lines, the Mermaid families a profile may name.

pub mod collection;
pub mod date;
pub mod doc_date;
pub mod example_digest;
pub mod fill_in;
pub mod matching;
pub mod mermaid_types;
pub mod normalize;
pub mod placeholders;
pub mod typo;
