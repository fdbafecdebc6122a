//! A document's own choice of profile: `archlint-profile: adr` (or `archlint:` with a
//! nested `profile:`) in front matter, or `<!-- archlint: profile=adr -->`.

use std::ops::Range;

use crate::document::source::SourceFile;
use crate::document::Document;

/// The profile a document names, and where it names it (the front-matter line or the
/// comment), so that a name that cannot be used is reported at that place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    pub name: String,
    pub span: Range<usize>,
}

pub fn declared(file: &SourceFile, doc: &Document) -> Option<Declared> {
    if let Some(fm) = &doc.front_matter {
        let mut in_archlint = false;
        for (i, line) in fm.body.lines().enumerate() {
            let indented = line.starts_with([' ', '\t']);
            let t = line.trim();
            if !indented {
                in_archlint = false;
            }
            let at = || file.line_span(fm.body_line + i);
            if let Some((k, v)) = t.split_once(':') {
                let (k, v) = (k.trim(), v.trim().trim_matches(['"', '\'']));
                if !indented
                    && matches!(k, "archlint-profile" | "archlint_profile")
                    && !v.is_empty()
                {
                    return Some(Declared {
                        name: v.to_string(),
                        span: at(),
                    });
                }
                if !indented && k == "archlint" && v.is_empty() {
                    in_archlint = true;
                } else if in_archlint && indented && k == "profile" && !v.is_empty() {
                    return Some(Declared {
                        name: v.to_string(),
                        span: at(),
                    });
                }
            }
        }
    }
    for c in &doc.comments {
        let Some(rest) = c.body.strip_prefix("archlint:") else {
            continue;
        };
        for part in rest.split_whitespace() {
            if let Some(v) = part.strip_prefix("profile=") {
                let v = v.trim_matches(['"', '\'']);
                if !v.is_empty() {
                    return Some(Declared {
                        name: v.to_string(),
                        span: c.span.clone(),
                    });
                }
            }
        }
    }
    None
}
