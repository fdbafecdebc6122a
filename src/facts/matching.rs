//! Profile sections ↔ document headings, computed once per document and shared by
//! every structural rule. How two headings compare is `crate::facts::normalize`.

use crate::document::Document;
use crate::facts::normalize::{heading_forms, stem, HeadingForms};
use crate::profile::Profile;

/// Where each profile section was found in a document.
#[derive(Debug, Clone, Default)]
pub struct Matching {
    /// For each profile section (by index), the document section that holds it.
    pub found: Vec<Option<usize>>,
    /// For each document section, the profile section it was matched to.
    pub claimed: Vec<Option<usize>>,
}

impl Matching {
    pub fn compute(profile: &Profile, doc: &Document) -> Matching {
        let mut m = Matching::compute_with(profile, doc, None);
        // Required sections no heading names exactly may be named in another word
        // form: `Key Architecture Decisions` for `Architecture Decisions`, `Major
        // Components`, `Security & Access Control`. Only what the exact pass left.
        if m.found.iter().any(Option::is_none) {
            // The stems of the forms still wanted: a heading's form equals one only if
            // each of its stems is among them, so a heading none of whose words stems to
            // one cannot match, and its forms are not worth building.
            let wanted: Vec<&str> = profile
                .sections
                .iter()
                .zip(&m.found)
                .filter(|(_, f)| f.is_none())
                .flat_map(|(r, _)| {
                    r.forms
                        .iter()
                        .chain(&r.side_forms)
                        .flat_map(|f| f.split(' '))
                })
                .collect();
            // Only headings the exact pass left free can match now.
            let heading_forms: Vec<HeadingForms> = doc
                .sections
                .iter()
                .zip(&m.claimed)
                .map(|(s, c)| {
                    // A word stems to a wanted stem only if it starts with it.
                    let may = c.is_none()
                        && s.norm.split(' ').any(|w| {
                            // (`stem` trims the word's punctuation first.)
                            let bare =
                                w.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '-');
                            let first = bare.as_bytes().first();
                            wanted
                                .iter()
                                .any(|t| t.as_bytes().first() == first && bare.starts_with(t))
                                && wanted.contains(&stem(w))
                        });
                    if may {
                        heading_forms(&s.norm)
                    } else {
                        HeadingForms::default()
                    }
                })
                .collect();
            if heading_forms.iter().any(|f| !f.is_empty()) {
                m = Matching::compute_with(profile, doc, Some((&m, &heading_forms)));
            }
        }
        m
    }

    /// One matching pass: by exact names, or (with `forms`) by word forms for the
    /// sections the exact pass `forms.0` left unmatched, keeping its matches.
    fn compute_with(
        profile: &Profile,
        doc: &Document,
        forms: Option<(&Matching, &[HeadingForms])>,
    ) -> Matching {
        let (mut found, mut claimed) = match forms {
            Some((exact, _)) => (exact.found.clone(), exact.claimed.clone()),
            None => (
                vec![None; profile.sections.len()],
                vec![None; doc.sections.len()],
            ),
        };
        let title = doc.title();
        for (ri, req) in profile.sections.iter().enumerate() {
            if found[ri].is_some() {
                continue;
            }
            let scope: Option<usize> = match req.parent {
                Some(p) => match found[p] {
                    Some(s) => Some(s),
                    // The parent is missing: do not guess where the child would be.
                    None => continue,
                },
                None => None,
            };
            // `right`: the heading stands at a level the section allows. A heading
            // naming one side of a name's `and`, or naming it only before a subtitle,
            // is weaker evidence, taken only there (`#### Pros` under one option is no
            // `Pros and Cons of the Options`).
            let names_match = |i: usize, right: bool| {
                let s = &doc.sections[i];
                match forms {
                    None => {
                        req.names.iter().any(|n| *n == s.norm)
                            || req.pattern.as_ref().is_some_and(|re| re.is_match(&s.norm))
                    }
                    Some((_, heading_forms)) => {
                        let h = &heading_forms[i];
                        h.own
                            .iter()
                            .any(|f| req.forms.contains(f) || right && req.side_forms.contains(f))
                            || right && h.subject.iter().any(|f| req.forms.contains(f))
                    }
                }
            };
            // Candidates in document order: the scope's descendants (the sections that
            // lie within it), or every section.
            // Prefer the right level; then one level off; then nothing. A heading
            // whose level cannot change the pick is not compared by name.
            let range = match scope {
                Some(p) => p + 1..p + 1 + doc.descendants(p).count(),
                None => 0..doc.sections.len(),
            };
            let (lo, hi) = (*req.levels.start(), *req.levels.end());
            let mut near = None;
            let mut right = None;
            for i in range {
                if claimed[i].is_some() || Some(i) == title {
                    continue;
                }
                let l = doc.sections[i].level;
                let is_right = req.levels.contains(&l);
                let is_near = l + 1 == lo || l == hi + 1;
                if !(is_right || is_near && near.is_none()) || !names_match(i, is_right) {
                    continue;
                }
                if is_right {
                    right = Some(i);
                    break;
                }
                near = Some(i);
            }
            // A sub-section promoted out of its parent (`## Components` right after
            // `## System Architecture` where `### Components` belongs) is still that
            // sub-section, at a wrong level: the first such heading after the parent.
            let promoted = || {
                let p = scope?;
                (p + 1..doc.sections.len()).find(|&i| {
                    claimed[i].is_none()
                        && Some(i) != title
                        && doc.sections[i].level < lo
                        && !doc.is_within(i, p)
                        && names_match(i, false)
                })
            };
            let pick = right.or(near).or_else(promoted);
            if let Some(i) = pick {
                found[ri] = Some(i);
                claimed[i] = Some(ri);
            }
        }
        Matching { found, claimed }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The matching as first written: every candidate collected, then picked.
    fn compute_by_candidates(profile: &Profile, doc: &Document) -> Matching {
        let mut found: Vec<Option<usize>> = vec![None; profile.sections.len()];
        let mut claimed: Vec<Option<usize>> = vec![None; doc.sections.len()];
        let title = doc.title();
        for (ri, req) in profile.sections.iter().enumerate() {
            let scope = match req.parent {
                Some(p) => match found[p] {
                    Some(s) => Some(s),
                    None => continue,
                },
                None => None,
            };
            let candidates: Vec<usize> = (0..doc.sections.len())
                .filter(|&i| claimed[i].is_none() && Some(i) != title)
                .filter(|&i| scope.is_none_or(|p| doc.is_within(i, p)))
                .filter(|&i| {
                    let s = &doc.sections[i];
                    req.names.iter().any(|n| *n == s.norm)
                        || req.pattern.as_ref().is_some_and(|re| re.is_match(&s.norm))
                })
                .collect();
            let right = candidates
                .iter()
                .copied()
                .find(|&i| req.levels.contains(&doc.sections[i].level));
            let pick = right
                .or_else(|| {
                    candidates.iter().copied().find(|&i| {
                        let l = doc.sections[i].level;
                        l + 1 == *req.levels.start() || l == *req.levels.end() + 1
                    })
                })
                .or_else(|| {
                    let p = scope?;
                    (p + 1..doc.sections.len()).find(|&i| {
                        let s = &doc.sections[i];
                        claimed[i].is_none()
                            && Some(i) != title
                            && s.level < *req.levels.start()
                            && !doc.is_within(i, p)
                            && (req.names.iter().any(|n| *n == s.norm)
                                || req.pattern.as_ref().is_some_and(|re| re.is_match(&s.norm)))
                    })
                });
            if let Some(i) = pick {
                found[ri] = Some(i);
                claimed[i] = Some(ri);
            }
        }
        Matching { found, claimed }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        #[test]
        fn matching_picks_what_collecting_every_candidate_picks(
            headings in proptest::collection::vec(
                (1usize..=5, proptest::sample::select(vec![
                    "Architecture", "Overview", "Key Goals", "System Architecture",
                    "Component A", "Purpose", "Location", "Key Responsibilities",
                    "Dependencies", "Data Flow", "Key Design Decisions", "Decision: one",
                    "ADR-001: two", "Context", "Options Considered", "Consequences",
                    "Technology Stack", "Directory Structure", "Security",
                    "Future Considerations", "Status", "Notes",
                ])),
                0..40,
            ),
            profile in proptest::sample::select(vec![
                "core", "comprehensive", "adr", "walkthrough", "enterprise", "service",
            ]),
        ) {
            let text: String = headings
                .iter()
                .map(|(level, name)| format!("{} {name}\n\ntext\n\n", "#".repeat(*level)))
                .collect();
            let file = crate::document::source::SourceFile::new("t.md", text);
            let doc = Document::parse(&file);
            let profile = Profile::builtin(profile).unwrap_or_else(|e| panic!("{e:?}"));
            // The exact pass; the word-form pass after it only adds matches.
            let (new, old) = (
                Matching::compute_with(&profile, &doc, None),
                compute_by_candidates(&profile, &doc),
            );
            proptest::prop_assert_eq!(new.found, old.found);
            proptest::prop_assert_eq!(new.claimed, old.claimed);
        }
    }
}
