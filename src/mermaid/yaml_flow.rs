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

#[cfg(test)]
mod tests {
    use super::{check_mapping, Verdict};

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
