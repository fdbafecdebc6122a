//! Whether a one-line YAML flow mapping (`{ "type": "database", alias: Db }`) is one
//! js-yaml reads, for participant and node configs (`A@{ … }`). Only the shapes
//! configs use are judged: quoted and plain scalars, `key: value` entries separated
//! by `,`. Anything else (nested collections, anchors, tags, comments, block
//! scalars) is `Unsure`.

use std::collections::HashSet;

#[derive(Debug, PartialEq, Eq)]
pub(super) enum Verdict {
    Valid,
    Invalid(String),
    Unsure,
}

enum Scalar {
    Quoted(String),
    Plain(String),
}

/// The scalar starting at `k` and where it ends; `Err` carries the verdict to return.
fn scalar(b: &[u8], k: usize) -> Result<(Scalar, usize), Verdict> {
    match b[k] {
        q @ (b'"' | b'\'') => {
            let mut j = k + 1;
            while j < b.len() {
                if q == b'"' && b[j] == b'\\' {
                    j += 2;
                    continue;
                }
                if b[j] == q {
                    if q == b'\'' && b.get(j + 1) == Some(&b'\'') {
                        j += 2;
                        continue;
                    }
                    let text = String::from_utf8_lossy(&b[k + 1..j]).into_owned();
                    return Ok((Scalar::Quoted(text), j + 1));
                }
                j += 1;
            }
            Err(Verdict::Invalid(format!(
                "the `{}` opened in the config is never closed",
                q as char
            )))
        }
        c @ (b'@' | b'`') => Err(Verdict::Invalid(format!(
            "a value in the config cannot start with `{}`; quote it",
            c as char
        ))),
        b':' if matches!(b.get(k + 1), Some(b' ' | b'\t') | None) => Err(Verdict::Invalid(
            "a `:` in the config has no key or value next to it".to_string(),
        )),
        b'{' | b'[' | b'-' | b'?' | b':' | b'!' | b'&' | b'*' | b'|' | b'>' | b'%' | b'#'
        | b',' | b']' | b'}' => Err(Verdict::Unsure),
        _ => {
            let mut j = k;
            while j < b.len() {
                match b[j] {
                    b',' | b'[' | b']' | b'{' | b'}' => break,
                    b':' if matches!(b.get(j + 1), None | Some(b' ' | b'\t' | b',')) => break,
                    b'#' if j > k && matches!(b[j - 1], b' ' | b'\t') => {
                        return Err(Verdict::Unsure)
                    }
                    b'"' | b'\'' => return Err(Verdict::Unsure),
                    _ => j += 1,
                }
            }
            let text = String::from_utf8_lossy(&b[k..j]).trim_end().to_string();
            Ok((Scalar::Plain(text), j))
        }
    }
}

fn skip_ws(b: &[u8], mut k: usize) -> usize {
    while k < b.len() && matches!(b[k], b' ' | b'\t') {
        k += 1;
    }
    k
}

/// The entries of a mapping [`check_mapping`] found valid: each key with its value
/// (None for no value, and for a value that is a number, boolean or null in
/// JSON's schema, which is not a string).
pub(super) fn pairs(content: &str) -> Vec<(String, Option<String>)> {
    let b = content.as_bytes();
    let mut out = Vec::new();
    let mut k = skip_ws(b, 0);
    while k < b.len() {
        let Ok((key, after)) = scalar(b, k) else {
            return out;
        };
        let key = match key {
            Scalar::Quoted(s) | Scalar::Plain(s) => s,
        };
        k = skip_ws(b, after);
        let mut value = None;
        if b.get(k) == Some(&b':') {
            k = skip_ws(b, k + 1);
            if k < b.len() && b[k] != b',' {
                let Ok((v, after)) = scalar(b, k) else {
                    return out;
                };
                value = match v {
                    Scalar::Quoted(s) => Some(s),
                    Scalar::Plain(s) if is_json_scalar(&s) => None,
                    Scalar::Plain(s) => Some(s),
                };
                k = skip_ws(b, after);
            }
        }
        out.push((key, value));
        if b.get(k) == Some(&b',') {
            k = skip_ws(b, k + 1);
        } else {
            break;
        }
    }
    out
}

/// [`pairs`] for any config [`check_config`] found valid.
pub(super) fn config_pairs(content: &str) -> Vec<(String, Option<String>)> {
    if !content.contains('\n') {
        return pairs(content);
    }
    let lines: Vec<(usize, &str)> = content
        .lines()
        .map(|l| (l.len() - l.trim_start().len(), l.trim()))
        .filter(|(_, t)| !t.is_empty())
        .collect();
    let base = lines.first().map_or(0, |l| l.0);
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    for (ind, t) in lines {
        // A more-indented line continues the plain value before it.
        if ind > base {
            if let Some((_, Some(v))) = out.last_mut() {
                v.push(' ');
                v.push_str(t);
            }
            continue;
        }
        let Some(e) = block_entry(t) else { continue };
        let Some(key) = e.key else { continue };
        let value = match e.value.as_bytes().first() {
            Some(b'"' | b'\'') => Some(e.value[1..e.value.len() - 1].to_string()),
            _ if is_json_scalar(e.value) => None,
            _ => Some(e.value.to_string()),
        };
        out.push((key, value));
    }
    out
}

/// A plain scalar that JSON's schema reads as null, a boolean or a number.
fn is_json_scalar(s: &str) -> bool {
    matches!(s, "null" | "true" | "false") || s.parse::<f64>().is_ok()
}

/// Judges the text between `{` and `}` of a one-line flow mapping.
pub(super) fn check_mapping(content: &str) -> Verdict {
    if content.contains(['\n', '\r']) {
        return Verdict::Unsure;
    }
    let b = content.as_bytes();
    let mut keys = HashSet::new();
    let mut k = skip_ws(b, 0);
    while k < b.len() {
        // `: value` with no key is an entry js-yaml accepts; not judged here.
        if b[k] == b':' {
            return Verdict::Unsure;
        }
        let (key, after) = match scalar(b, k) {
            Ok(x) => x,
            Err(v) => return v,
        };
        let name = match &key {
            Scalar::Quoted(s) | Scalar::Plain(s) => s.clone(),
        };
        k = skip_ws(b, after);
        if b.get(k) == Some(&b':') {
            // A plain key's `:` needs a space after it; a quoted key's may touch the value.
            k = skip_ws(b, k + 1);
            if k < b.len() && b[k] != b',' {
                let (_, after) = match scalar(b, k) {
                    Ok(x) => x,
                    Err(v) => return v,
                };
                k = skip_ws(b, after);
            }
        }
        if !keys.insert(name.clone()) {
            return Verdict::Invalid(format!("the config names `{name}` twice"));
        }
        match b.get(k) {
            None => break,
            Some(b',') => k = skip_ws(b, k + 1),
            Some(c) if c.is_ascii_alphanumeric() || matches!(c, b'"' | b'\'') => {
                return Verdict::Invalid(
                    "a `,` is missing between two entries of the config (write `key: value, key: value`)"
                        .to_string(),
                )
            }
            Some(_) => return Verdict::Unsure,
        }
    }
    Verdict::Valid
}

/// Judges a config's text: Mermaid wraps one line in `{ }` (a flow mapping) and
/// hands several lines to js-yaml as they are (a block mapping).
pub(super) fn check_config(content: &str) -> Verdict {
    if content.contains('\n') {
        check_block(content)
    } else {
        check_mapping(content)
    }
}

/// What the value of the last block-mapping entry lets the next lines be.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tail {
    /// A plain scalar, which more-indented lines continue.
    Plain,
    /// A complete quoted scalar: nothing may be indented under it.
    Closed,
}

/// Judges a config that spans lines as a block mapping of `key: value` lines.
/// Only what certainly breaks is `Invalid`: a line at the mapping's indentation
/// without a `:` next to another entry, a line indented under a complete quoted
/// value, text after a quoted value, a key named twice. Nested collections,
/// comments, tabs, anchors, tags and multi-line quoted scalars are `Unsure`.
fn check_block(content: &str) -> Verdict {
    if content.contains(['\t', '#', '\r']) {
        return Verdict::Unsure;
    }
    let lines: Vec<(usize, &str)> = content
        .split('\n')
        .map(|l| {
            let t = l.trim_start_matches(' ');
            (l.len() - t.len(), t.trim_end())
        })
        .filter(|(_, t)| !t.is_empty())
        .collect();
    let Some(&(base, _)) = lines.first() else {
        return Verdict::Unsure;
    };
    let at_base = lines.iter().filter(|(i, _)| *i == base).count();
    let mut tail = None;
    let mut keys = HashSet::new();
    for &(ind, t) in &lines {
        if ind < base {
            return Verdict::Unsure;
        }
        if ind > base {
            match tail {
                Some(Tail::Plain) if !t.contains(": ") && !t.ends_with(':') => continue,
                Some(Tail::Plain) if t.contains(": ") => {
                    return Verdict::Invalid(format!(
                        "`{t}` is indented under the value before it but holds a `key: value`; each entry of the config goes on its own line at the same indentation"
                    ))
                }
                Some(Tail::Closed) => {
                    return Verdict::Invalid(format!(
                        "`{t}` is indented under a complete value; each entry of the config goes on its own line at the same indentation"
                    ))
                }
                _ => return Verdict::Unsure,
            }
        }
        let Some(Entry {
            key, tail: next, ..
        }) = block_entry(t)
        else {
            return Verdict::Unsure;
        };
        let Some(key) = key else {
            if at_base > 1 {
                return Verdict::Invalid(format!(
                    "`{t}` has no `:`; each line of the config is `key: value`"
                ));
            }
            return Verdict::Unsure;
        };
        if !keys.insert(key.clone()) {
            return Verdict::Invalid(format!("the config names `{key}` twice"));
        }
        tail = match next {
            Ok(t) => Some(t),
            Err(v) => return v,
        };
    }
    Verdict::Valid
}

/// One line of a block mapping.
struct Entry<'a> {
    /// `None` when the line has no `:` that makes it an entry.
    key: Option<String>,
    /// The value's text, quotes included.
    value: &'a str,
    /// What the value leaves for the next lines, or the verdict on a broken value.
    tail: Result<Tail, Verdict>,
}

/// Reads one trimmed, non-empty line of a block mapping; `None` for a line not judged.
fn block_entry(t: &str) -> Option<Entry<'_>> {
    let b = t.as_bytes();
    if matches!(
        b[0],
        b'-' | b'?' | b'[' | b'{' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%' | b'@' | b'`' | b':'
    ) {
        return None;
    }
    let (key, rest) = if matches!(b[0], b'"' | b'\'') {
        let close = 1 + t[1..].find(b[0] as char)?;
        if t[..close].contains('\\') {
            return None;
        }
        let after = t[close + 1..].trim_start();
        let rest = after.strip_prefix(':')?;
        (t[1..close].to_string(), rest)
    } else {
        let colon = t
            .find(": ")
            .or_else(|| t.ends_with(':').then(|| t.len() - 1));
        let Some(colon) = colon else {
            return Some(Entry {
                key: None,
                value: t,
                tail: Ok(Tail::Plain),
            });
        };
        (t[..colon].trim_end().to_string(), &t[colon + 1..])
    };
    let v = rest.trim();
    if v.is_empty() {
        // A nested collection may follow: not judged.
        return None;
    }
    let vb = v.as_bytes();
    let tail = match vb[0] {
        q @ (b'"' | b'\'') => {
            let close = 1 + v[1..].find(q as char)?;
            if v[..close].contains('\\') || (q == b'\'' && v[close + 1..].starts_with('\'')) {
                return None;
            }
            let after = v[close + 1..].trim();
            if after.is_empty() {
                Ok(Tail::Closed)
            } else {
                Err(Verdict::Invalid(format!(
                    "`{after}` follows the quoted value of `{key}`; quote the whole value"
                )))
            }
        }
        b'[' | b'{' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%' | b'@' | b'`' | b'-' | b'?' => {
            return None
        }
        _ if v.contains(": ") => return None,
        _ => Ok(Tail::Plain),
    };
    Some(Entry {
        key: Some(key),
        value: v,
        tail,
    })
}

#[cfg(test)]
mod tests {
    use super::{check_config, check_mapping, Verdict};

    #[test]
    fn configs_over_several_lines_as_js_yaml_reads_them() {
        let valid = [
            "\n  shape: circle\n  label: \"Start\"\n",
            "\n  label: a long text\n    that goes on\n  shape: rect\n",
            " \"type\": \"actor\"\n",
        ];
        for v in valid {
            assert_eq!(check_config(v), Verdict::Valid, "{v:?}");
        }
        let invalid = [
            // no `:` on a line next to an entry
            "\n  shape: circle\n  other \"clock\"\n",
            "\n  label\" :text\"\n  other: \"clock\"\n",
            // a quoted value with text after it
            "\n  label: \"x\"\n  other: \"\"clock\n",
            // a line indented under a complete quoted value (a config whose `}` is
            // missing runs on into the next participant's line)
            " \"type\": \"boundary\"\n      participant B@{ \"type\": \"control\" ",
            "\n  a: 1\n  a: 2\n",
        ];
        for v in invalid {
            assert!(matches!(check_config(v), Verdict::Invalid(_)), "{v:?}");
        }
        let unsure = [
            "\n  a:\n    b: c\n",
            "\n  just text\n    more text\n",
            "\n  a: b # c\n  d: e\n",
            "\n  a: \"multi\n   line\"\n",
        ];
        for v in unsure {
            assert_eq!(check_config(v), Verdict::Unsure, "{v:?}");
        }
    }

    #[test]
    fn configs_as_js_yaml_reads_them() {
        assert_eq!(check_mapping(r#" "type": "database" "#), Verdict::Valid);
        assert_eq!(
            check_mapping(r#""type":"database","alias":"Db""#),
            Verdict::Valid
        );
        assert_eq!(check_mapping(" type: control "), Verdict::Valid);
        assert_eq!(check_mapping(r#" "type": "control", "#), Verdict::Valid);
        assert_eq!(check_mapping(""), Verdict::Valid);
        assert!(matches!(
            check_mapping(r#" "type" "control" "#),
            Verdict::Invalid(_)
        ));
        assert!(matches!(
            check_mapping(r#" "type": "entity "#),
            Verdict::Invalid(_)
        ));
        assert!(matches!(
            check_mapping(r#" "type": "a", "type": "b" "#),
            Verdict::Invalid(_)
        ));
        assert!(matches!(
            check_mapping(r#" "type" : : "db" "#),
            Verdict::Invalid(_)
        ));
        assert!(matches!(
            check_mapping(r#" @{ "type": "db" "#),
            Verdict::Invalid(_)
        ));
        assert_eq!(check_mapping(" a: [1, 2] "), Verdict::Unsure);
        assert_eq!(
            check_mapping(r#" shape: delay, : "Delay" "#),
            Verdict::Unsure
        );
        assert_eq!(check_mapping(" a: b # c "), Verdict::Unsure);
    }
}
