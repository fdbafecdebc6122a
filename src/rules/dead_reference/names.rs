//! Word lists and small predicates: what a path, a file name, a URL look like.

use std::collections::HashSet;
use std::sync::LazyLock;

// ---------------------------------------------------------------------------------
// What looks like a path

/// Field labels whose values name files or folders.
pub(super) const LOCATION_LABELS: &[&str] = &[
    "location",
    "locations",
    "key files",
    "key file",
    "key directories",
    "key directory",
    "key folders",
    "key files reference",
];

/// Sections whose list items start with the files they describe.
pub(super) const KEY_FILE_SECTIONS: &[&str] = &[
    "key files reference",
    "key files",
    "key directories",
    "key file locations",
];

/// Extensions of files that architecture documents point at.
pub(super) const EXTENSIONS: &str = concat!(
    "md markdown mdx rst adoc txt pdf rs go py pyi js mjs cjs jsx ts mts cts tsx vue svelte ",
    "java kt kts scala groovy gradle c h cc cpp cxx hpp hh cs fs fsx vb rb php swift m mm ",
    "dart lua pl pm r jl ex exs erl hrl hs ml mli clj cljs elm zig nim sol sh bash zsh fish ",
    "ps1 bat cmd sql json jsonc json5 yaml yml toml ini cfg conf env xml html htm css scss ",
    "sass less proto graphql gql tf tfvars hcl nix bzl bazel cmake mk lock mod sum ",
    "properties dockerfile tmpl tpl j2 jinja hbs ejs erb csv tsv ipynb svg png jpg jpeg gif ",
    "webp drawio puml mmd dot wasm example sample template avsc thrift capnp fbs rego cue ",
    "jsonnet libsonnet http prisma csproj sln vcxproj xaml plist pbxproj entitlements ",
    "storyboard cu glsl wgsl v sv vhd asm s ld x cabal gemspec podspec pom sbt rake ",
    "editorconfig gitignore dockerignore ",
);

/// File names without an extension that are still unmistakably files.
pub(super) const FILE_NAMES: &str = concat!(
    "Makefile makefile GNUmakefile Dockerfile Containerfile Justfile justfile Procfile ",
    "Gemfile Rakefile Vagrantfile Jenkinsfile Brewfile Pipfile Taskfile Tiltfile Earthfile ",
    "LICENSE LICENCE COPYING README CHANGELOG CODEOWNERS OWNERS NOTICE AUTHORS CONTRIBUTING ",
    "BUILD WORKSPACE ",
);

/// The words of a space-separated list constant.
pub(super) fn words(list: &'static str) -> impl Iterator<Item = &'static str> {
    list.split_ascii_whitespace()
}

/// A word list as a set, built once (these are asked about for every reference).
pub(super) type WordSet = HashSet<&'static str, foldhash::fast::RandomState>;

pub(super) fn word_set(list: &'static str) -> WordSet {
    words(list).collect()
}

static FILE_NAME_SET: LazyLock<WordSet> = LazyLock::new(|| word_set(FILE_NAMES));
/// [`EXTENSIONS`], which are all lowercase.
static EXTENSION_SET: LazyLock<WordSet> = LazyLock::new(|| word_set(EXTENSIONS));

/// Whether `ext`, compared case-insensitively, is one of [`EXTENSIONS`].
fn is_known_extension(ext: &str) -> bool {
    let mut buf = [0u8; 16];
    let Some(lower) = buf.get_mut(..ext.len()) else {
        return false; // longer than any
    };
    for (d, c) in lower.iter_mut().zip(ext.bytes()) {
        *d = c.to_ascii_lowercase();
    }
    std::str::from_utf8(lower).is_ok_and(|l| EXTENSION_SET.contains(l))
}

/// Documents a "See `x`" mention may name without a folder.
pub(super) fn is_document_name(name: &str) -> bool {
    const DOCS: &[&str] = &["md", "markdown", "mdx", "rst", "adoc", "txt", "pdf", "html"];
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty() && DOCS.contains(&ext.to_ascii_lowercase().as_str())
    })
}

/// A single path component that is a file name: a known extension or name.
pub(super) fn is_file_name(name: &str) -> bool {
    if FILE_NAME_SET.contains(name) {
        return true;
    }
    match name.rsplit_once('.') {
        Some((stem, ext)) => (!stem.is_empty() || name.starts_with('.')) && is_known_extension(ext),
        None => false,
    }
}

/// `https:`, `mailto:`, `C:` (a drive is not a repository path either).
pub(super) fn has_scheme(s: &str) -> bool {
    let Some(colon) = s.find(':') else {
        return false;
    };
    let scheme = &s[..colon];
    !scheme.is_empty()
        && scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
}

/// Template text rather than a path: `path/to/file.ext`, `[...]`, `<name>`, `{id}`.
pub(super) fn is_placeholder(s: &str) -> bool {
    let b = s.as_bytes();
    // One pass, byte by byte: this runs for every candidate reference, and they are
    // too short for a search per kind of byte to pay.
    let at = |i: usize, n: usize| b.get(i..i + n);
    b.iter().enumerate().any(|(i, c)| match c {
        b'[' | b']' | b'<' | b'>' | b'{' | b'}' | b'*' | b'?' => true,
        // `...`
        b'.' => at(i + 1, 2) == Some(b".."),
        // `path/to`
        b'/' => {
            i >= 4
                && at(i - 4, 4).is_some_and(|w| w.eq_ignore_ascii_case(b"path"))
                && at(i + 1, 2).is_some_and(|w| w.eq_ignore_ascii_case(b"to"))
        }
        // `…`
        0xe2 => at(i, 3) == Some("…".as_bytes()),
        _ => false,
    })
}

/// `example.com`, `www.example.com/docs`, `github.com/org/repo`: a host, not a folder.
pub(super) fn looks_like_domain(s: &str) -> bool {
    const TLDS: &[&str] = &[
        "com", "org", "net", "io", "dev", "app", "co", "ai", "gov", "edu", "info", "biz", "cloud",
        "us", "uk", "de", "eu", "fr", "jp", "cn", "ru", "ca", "au", "me", "tv", "xyz", "tech",
    ];
    let first = s.split('/').next().unwrap_or(s);
    if first.starts_with("www.") {
        return true;
    }
    match first.rsplit_once('.') {
        Some((host, tld)) => {
            !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
                && TLDS.contains(&tld.to_ascii_lowercase().as_str())
        }
        None => false,
    }
}

pub(super) fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}
