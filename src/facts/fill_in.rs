//! Whether a bracketed text reads as a template's fill-in (`[Component Name]`,
//! `{option 1}`, `\<Name of building block\>`) or as something an author meant
//! (`### Storage [BETA]`, `returns [Node]`, `[0, 1]`, `[master=1, staging=2]`).
//!
//! The text alone gives [`Evidence`]: `Strong` when it says "write something here" in
//! a template's own voice (an instruction, a question, `e.g.`, alternatives to pick
//! from, a word of the templates' vocabulary, a phrase of three words or more), `Weak`
//! when it could be either (one or two plain words, `[Stack]` or `[Node]`), `None`
//! when it is notation (code, numbers, a status tag after a heading's text). The
//! document decides the weak ones: [`crate::facts::placeholders::find_all`] reports them
//! only where the document has a strong one too, or several weak ones, as a template
//! has and a hand-written document does not.

/// What a bracketed text says about being a fill-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Evidence {
    None,
    Weak,
    Strong,
}

/// The brackets around the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delim {
    /// `[…]`
    Square,
    /// `{…}`: also set notation, format strings and routes, so only strong evidence.
    Curly,
    /// `<…>`, `\<…\>`, `&lt;…&gt;`: arc42's style.
    Angle,
}

/// Where the bracketed text stands.
#[derive(Debug, Clone, Copy)]
pub struct Around {
    pub delim: Delim,
    /// In a heading that has text of its own besides the brackets (a tag's place).
    pub after_heading_text: bool,
    /// After `->`, `=>`, `→` or `returns`: a type, not a fill-in.
    pub after_type_arrow: bool,
    /// In braces, in a leaf of nothing but braced names (see
    /// `placeholders::only_braced_names`): a fill-in however short.
    pub only_names: bool,
}

/// Words templates ask with: a bracket holding one is a fill-in whatever else it
/// holds (`[DATE]`, `[Your Name]`, `[Reasoning for choice]`, `{option 1}`).
#[rustfmt::skip]
const VOCABULARY: &[&str] = &[
    "alternative", "alternatives", "approach", "author", "brief", "component", "components",
    "customize", "date", "description", "details", "example", "explanation", "feature",
    "frequency", "goal", "goals", "here", "insert", "link", "location", "metric", "metrics",
    "name", "names", "option", "options", "owner", "placeholder", "purpose", "rationale",
    "reason", "reasoning", "requirement", "responsibility", "responsibilities", "step",
    "strategy", "tba", "tbd", "technology", "technologies", "title", "todo", "url", "value",
    "version", "your",
];

/// Verbs a template's instructions start with (`[Describe the flow]`).
#[rustfmt::skip]
const INSTRUCTIONS: &[&str] = &[
    "add", "choose", "define", "describe", "detail", "document", "enter", "explain", "fill",
    "identify", "include", "insert", "link", "list", "mention", "note", "outline",
    "provide", "replace", "select", "specify", "state", "summarise", "summarize", "update",
    "write",
];

/// Words a template's questions start with (`[What does it do]`).
const QUESTIONS: &[&str] = &["how", "what", "when", "where", "which", "who", "why"];

/// What `inner` (the text between the brackets) says, standing `around`.
pub fn classify(inner: &str, around: Around) -> Evidence {
    let t = inner.trim();
    if t.is_empty() || !t.chars().any(char::is_alphabetic) || around.after_type_arrow {
        // `[ ]`, `[1]`, `[0, 1]`; `-> [Session]`
        return Evidence::None;
    }
    let first = t.chars().next().unwrap_or(' ');
    // Footnotes, alerts, citation keys, task boxes, emphasis; kramdown's attribute
    // lists (`{: .note }`, `{.warning}`); a set of tuples (`{(a, v0), (b, v1)}`).
    if matches!(first, '^' | '!' | '@' | '#' | '=' | '-' | '+' | '*')
        || t.eq_ignore_ascii_case("x")
        || around.delim == Delim::Curly && matches!(first, ':' | '.' | '(')
    {
        return Evidence::None;
    }
    // A version (`[1.2.0-rc.2]`, `[v0.3.0-alpha.18]`, Keep a Changelog's headings), a
    // priority or a quarter (`[P0]`, `[Q3]`), a dotted name of code
    // (`[org.example.chat.ChatView]`): each names something that exists.
    if is_version(t) || is_short_tag(t) || is_dotted_name(t) {
        return Evidence::None;
    }
    // A name in braces standing alone (`{overview_from_analysis}` as a paragraph, a
    // format string's field): a template variable, however it is spelled.
    // (A letter or two is a variable of a formula, `{x}`.)
    if around.only_names
        && t.chars().filter(|c| c.is_alphabetic()).count() >= 3
        && t.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' '))
    {
        return Evidence::Strong;
    }
    // `[e.g., Python 3.11+]` is an example to replace, whatever notation it shows; a
    // brace never is (`{"abc", …}` is a set).
    let lowered = t.to_lowercase();
    let example = ["e.g.", "i.e.", "eg.", "for example", "such as"]
        .iter()
        .any(|m| lowered.contains(m));
    if (!example || around.delim == Delim::Curly) && is_notation(t) {
        return Evidence::None;
    }
    if !example && (is_list(t, around.delim) || is_path(t)) {
        return Evidence::None;
    }
    let example = example || ["etc.", "...", "…"].iter().any(|m| lowered.contains(m));
    let words: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || matches!(c, '/' | '|' | ',' | ':' | '(' | ')'))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    // Words of two characters or more: `{a, b, c}` is a set, not a phrase.
    let long_words = words.iter().filter(|w| w.chars().count() >= 2).count();
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let has = |list: &[&str]| lower.iter().any(|w| list.contains(&w.as_str()));
    let starts = |list: &[&str]| lower.first().is_some_and(|w| list.contains(&w.as_str()));
    let label = t
        .split_once(':')
        .is_some_and(|(l, _)| l.len() >= 3 && l.chars().all(|c| c.is_ascii_uppercase()));
    let alternatives = (t.contains('/') || t.contains('|')) && words.len() >= 2;
    let has_lowercase = t.chars().any(char::is_lowercase);
    // (Scripts without case, `<プロジェクト名>`, are no tag.)
    // `### Storage Engine [BETA]`, `## Parser [RUST / SHELL]`: a status or language
    // tag after a heading's own text, in capitals, unless a template word.
    let capitals = t.chars().any(char::is_uppercase) && !has_lowercase;
    if around.after_heading_text && capitals && !has(VOCABULARY) && !around.only_names {
        return Evidence::None;
    }
    // A status (`[Open Beta]`, `**[pre-alpha]**`) and a citation or version (`[RFC
    // 2119]`, `[Semantic Versioning 2.0]`) name something that exists.
    let fill_words = has(VOCABULARY) || starts(INSTRUCTIONS) || starts(QUESTIONS);
    let status = !lower.is_empty()
        && lower.iter().all(|w| STATUS.contains(&w.as_str()))
        && !t.contains(['/', '|']);
    // A citation or a version: an acronym and a number (`[RFC 2119]`, `[ISO 8601]`), or
    // a dotted version last (`[Semantic Versioning 2.0]`). A template's numbered
    // fill-in (`[Improvement 1]`) is neither.
    let number = |w: &&str| {
        w.starts_with(|c: char| c.is_ascii_digit())
            && w.chars().all(|c| c.is_ascii_digit() || c == '.')
    };
    let numbered = words.len() >= 2
        && !t.contains(['/', '|'])
        && words.last().is_some_and(|w| {
            number(w)
                && (w.contains('.')
                    || words[0].len() >= 2 && words[0].chars().all(|c| c.is_ascii_uppercase()))
        });
    if !example && !fill_words && !t.ends_with('?') && (status || numbered) {
        return Evidence::None;
    }
    let strong = example
        || t.ends_with('?')
        || label
        || has(VOCABULARY)
        || starts(INSTRUCTIONS)
        || (starts(QUESTIONS) && words.len() >= 2)
        || alternatives
        || long_words >= 3
        // `[Opening Time]`, `[Staff Group]`: two words to replace (in braces, a
        // parameter or a set as often: `{request body}`).
        || (long_words == 2 && has_lowercase && around.delim != Delim::Curly)
        // `<プロジェクト名>`: angle brackets round a name in another script are never
        // HTML, code or a type.
        || (around.delim == Delim::Angle && t.chars().any(is_other_script));
    match (strong, around.delim) {
        (true, _) => Evidence::Strong,
        // A brace round one or two words is a format string or a set as often as not.
        (false, Delim::Curly) => Evidence::None,
        (false, _) => Evidence::Weak,
    }
}

/// `1.2.0`, `v1.2`, `1.2.0-rc.2`, `0.3.0-alpha.18+build.5`: numbers joined by dots,
/// then a pre-release or build tag.
fn is_version(t: &str) -> bool {
    let t = t.strip_prefix(['v', 'V']).unwrap_or(t);
    let core_end = t.find(['-', '+']).unwrap_or(t.len());
    let (core, tag) = t.split_at(core_end);
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && tag
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.'))
}

/// A capital and a digit or two: a priority, a severity, a quarter, a phase (`P0`,
/// `S2`, `Q3`, `H1`).
fn is_short_tag(t: &str) -> bool {
    let b = t.as_bytes();
    (2..=3).contains(&b.len()) && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit)
}

/// One token of identifiers joined by at least two dots (`org.example.chat.ChatView`,
/// `app.core.settings`): a module, class or key path.
fn is_dotted_name(t: &str) -> bool {
    let parts: Vec<&str> = t.split('.').collect();
    parts.len() >= 3
        && parts.iter().all(|p| {
            p.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        })
}

/// Words that state a status or a stage: a tag, not a fill-in.
#[rustfmt::skip]
const STATUS: &[&str] = &[
    "alpha", "beta", "pre-alpha", "preview", "experimental", "deprecated", "new", "wip",
    "stable", "unstable", "open", "closed", "legacy", "obsolete", "internal", "rc", "ga",
    "planned", "done", "optional", "required", "recommended", "private", "public",
    "early", "access", "incubating", "sunset", "unreleased", "released", "in", "progress",
    "blocked", "paused", "shipped",
];

/// A list of single words or `key: value` pairs (`[debug, info, warn, error]`,
/// `[URL, revision]`, `{ for: 5m, severity: warning }`): data, not a phrase to write.
fn is_list(t: &str, delim: Delim) -> bool {
    let items: Vec<&str> = t.split(',').map(str::trim).collect();
    // In square brackets, `Stack` in `[Stack, frameworks, libraries]` starts a
    // description to write, and `Yes/No` offers a choice: a template's. Angles and
    // braces round single words are type parameters and sets (`<Epoch, StartOffset>`).
    let title_case = |i: &str| {
        let mut c = i.chars();
        c.next().is_some_and(char::is_uppercase) && c.next().is_some_and(char::is_lowercase)
    };
    // Quantities (`[64 KiB, 16 MiB]`, `[100 ms, 30 s]`) and quoted strings
    // (`['Filesystem markdown', 'SQLite mirror']`) are values, whatever their words.
    let value = |i: &&str| {
        i.trim_start_matches('-')
            .starts_with(|c: char| c.is_ascii_digit())
            || i.len() >= 2
                && (i.starts_with('\'') && i.ends_with('\'')
                    || i.starts_with('"') && i.ends_with('"'))
    };
    items.len() >= 2
        && items.iter().all(|i| !i.is_empty())
        && (items.iter().all(value)
            || items.iter().all(|i| {
                !i.contains(char::is_whitespace)
                    && (delim != Delim::Square || !i.contains(['/', '|']) && !title_case(i))
            })
            || items.iter().all(|i| i.contains(':')))
}

/// A file path (`[ci/README.md]`): a folder and a file name with an extension, no
/// spaces; `[npm/yarn]` is two alternatives.
fn is_path(t: &str) -> bool {
    !t.contains(char::is_whitespace)
        && t.contains('/')
        && t.rsplit('/').next().is_some_and(|last| {
            last.rsplit_once('.').is_some_and(|(stem, ext)| {
                !stem.is_empty()
                    && (1..=5).contains(&ext.len())
                    && ext.chars().all(|c| c.is_ascii_alphanumeric())
            })
        })
}

/// Code, data or markup rather than words: identifiers with `_`, `key=value`,
/// quotes, calls, arrows, character classes. (A file name, `[config.yaml]`, is one
/// plain word: weak.)
fn is_notation(t: &str) -> bool {
    const CODE: &[&str] = &[
        "_", "=", "\"", "`", ";", "::", "()", "{", "}", "<", ">", "\\", "$", "->", "→", "#", "%",
        "+", "*", "~", "^",
    ];
    if CODE.iter().any(|c| t.contains(c)) {
        return true;
    }
    // `f(x)`: a call, where a parenthesis follows a word directly.
    if t.char_indices().any(|(i, c)| {
        c == '('
            && t[..i]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
    }) {
        return true;
    }
    // `[a-z]`, `[A-Z0-9_]`: character classes, not words.
    let class = {
        let b = t.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b.get(i + 1) == Some(&b'-') && b.get(i + 2).is_some_and(u8::is_ascii_alphanumeric) {
                i += 3;
            } else if matches!(b[i], b'.' | b'\\') {
                i += 1;
            } else {
                break;
            }
        }
        i == b.len()
    };
    class
}

/// A letter of a script written without spaces between words or outside Latin,
/// Greek and Cyrillic (CJK, kana, Hangul, and so on).
fn is_other_script(c: char) -> bool {
    c.is_alphabetic() && (c as u32) >= 0x0530
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prose(inner: &str) -> Evidence {
        classify(
            inner,
            Around {
                delim: Delim::Square,
                after_heading_text: false,
                after_type_arrow: false,
                only_names: false,
            },
        )
    }

    fn with(delim: Delim, heading: bool, inner: &str) -> Evidence {
        classify(
            inner,
            Around {
                delim,
                after_heading_text: heading,
                after_type_arrow: false,
                only_names: false,
            },
        )
    }

    #[test]
    fn template_fill_ins_are_strong() {
        for t in [
            "Component Name",
            "Your Name",
            "e.g., PostgreSQL",
            "DATE",
            "What does it do?",
            "Describe the data flow",
            "Current | Draft | Deprecated",
            "cloud-native/enterprise/SaaS",
            "CUSTOMIZE: Description",
            "primary business purpose",
            "Reasoning for choice",
            "Which component handles this",
            "Technology",
            "TBD",
            "Step 1",
            "Opening Time",
            "location",
            "e.g., Python 3.11+",
        ] {
            assert_eq!(prose(t), Evidence::Strong, "{t}");
        }
        assert_eq!(with(Delim::Curly, false, "option 1"), Evidence::Strong);
        assert_eq!(
            with(Delim::Angle, false, "Name of building block"),
            Evidence::Strong
        );
        assert_eq!(
            with(Delim::Angle, false, "プロジェクト名"),
            Evidence::Strong
        );
        // In a heading too, when it is a template word.
        assert_eq!(with(Delim::Square, true, "DATE"), Evidence::Strong);
        assert_eq!(
            with(Delim::Square, true, "Component Name"),
            Evidence::Strong
        );
    }

    #[test]
    fn single_plain_words_are_weak() {
        for t in [
            "Stack",
            "Node",
            "组件A",
            "KARAR",
            "NOT IMPLEMENTED",
            "config.yaml",
        ] {
            assert_eq!(prose(t), Evidence::Weak, "{t}");
        }
        assert_eq!(with(Delim::Curly, false, "id"), Evidence::None);
        assert_eq!(with(Delim::Curly, false, "a, b"), Evidence::None);
        assert_eq!(with(Delim::Curly, false, "a, b, c"), Evidence::None);
        assert_eq!(with(Delim::Curly, false, "request body"), Evidence::None);
        assert_eq!(
            with(Delim::Curly, false, "\"abc\", \"Abc\", ... "),
            Evidence::None
        );
        assert_eq!(prose("Python/Node.js/Java/Go"), Evidence::Strong);
    }

    #[test]
    fn tags_types_numbers_and_code_are_none() {
        for (heading, t) in [
            (true, "BETA"),
            (true, "RUST / SHELL"),
            (true, "TS -> JS"),
            (true, "EXPERIMENTAL"),
            (false, "session_ids"),
            (false, "0, 1"),
            (false, "2.0.0, 3.0.0"),
            (false, "master=1, staging=2, stable=4"),
            (false, "substr:\"needle\" repo:\"zoekt\""),
            (false, "a-z"),
            (false, "A-Z0-9"),
            (false, "^1"),
            (false, "!NOTE"),
            (false, "x"),
        ] {
            assert_eq!(with(Delim::Square, heading, t), Evidence::None, "{t}");
        }
        let arrow = Around {
            delim: Delim::Square,
            after_heading_text: false,
            after_type_arrow: true,
            only_names: false,
        };
        assert_eq!(classify("Node", arrow), Evidence::None);
    }
}
