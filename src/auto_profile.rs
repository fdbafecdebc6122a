//! `--profile auto`: the built-in profile whose structure best fits a document.

use crate::document::Document;
use crate::matching::Matching;
use crate::profile::{Profile, BUILTIN};

/// The chosen profile's name and a sentence saying why.
pub fn pick(doc: &Document) -> (String, String) {
    let mut best: Option<(f64, usize, usize, &str)> = None;
    for (name, _) in BUILTIN.iter().filter(|(n, _)| *n != "core") {
        let Ok(profile) = Profile::builtin_shared(name) else {
            continue;
        };
        let (found, required) = fit(&profile, doc);
        if required == 0 {
            continue;
        }
        let score = found as f64 / required as f64;
        if best.is_none_or(|b| score > b.0) {
            best = Some((score, found, required, name));
        }
    }
    match best {
        Some((score, found, required, name)) if score >= 0.6 => (
            name.to_string(),
            format!("{found} of its {required} required top-level sections are present"),
        ),
        Some((_, found, required, name)) => (
            "core".to_string(),
            format!("no template fits well (closest: `{name}`, {found} of {required} sections)"),
        ),
        None => ("core".to_string(), "no template fits".to_string()),
    }
}

/// How many required top-level sections of `profile` the document has.
fn fit(profile: &Profile, doc: &Document) -> (usize, usize) {
    let m = Matching::compute(profile, doc);
    let mut found = 0;
    let mut required = 0;
    for (i, req) in profile.sections.iter().enumerate() {
        if req.parent.is_some() || !req.required {
            continue;
        }
        required += 1;
        if m.found[i].is_some() {
            found += 1;
        }
    }
    (found, required)
}
