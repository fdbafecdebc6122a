//! A document's own choice of profile: `archlint-profile: adr` (or `archlint:` with a
//! nested `profile:`) in front matter, or `<!-- archlint: profile=adr -->`.

use crate::document::Document;
use crate::source::SourceFile;

pub fn declared(_file: &SourceFile, doc: &Document) -> Option<String> {
    if let Some(fm) = &doc.front_matter {
        let mut in_archlint = false;
        for line in fm.body.lines() {
            let indented = line.starts_with([' ', '\t']);
            let t = line.trim();
            if !indented {
                in_archlint = false;
            }
            if let Some((k, v)) = t.split_once(':') {
                let (k, v) = (k.trim(), v.trim().trim_matches(['"', '\'']));
                if !indented
                    && matches!(k, "archlint-profile" | "archlint_profile")
                    && !v.is_empty()
                {
                    return Some(v.to_string());
                }
                if !indented && k == "archlint" && v.is_empty() {
                    in_archlint = true;
                } else if in_archlint && indented && k == "profile" && !v.is_empty() {
                    return Some(v.to_string());
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
                    return Some(v.to_string());
                }
            }
        }
    }
    None
}
