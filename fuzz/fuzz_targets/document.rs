//! Arbitrary bytes as a document, through the whole pipeline: decode → parse →
//! outline → every rule of every built-in profile → every output format.
//!
//! Invariants checked besides "no panic": every span lies within the text and on
//! character boundaries, and findings come back sorted.
#![no_main]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use archlint::document::Document;
use archlint::lint::{lint_document, LintOptions};
use archlint::profile::{Profile, BUILTIN};
use archlint::report::{self, FileReport, Paths, ReportCx};
use archlint::document::source::SourceFile;
use libfuzzer_sys::fuzz_target;

struct Fixed {
    profiles: Vec<Arc<Profile>>,
    sources: HashMap<String, Arc<str>>,
    paths: Paths,
    opts: LintOptions,
    builtins: archlint::profile::auto::Builtins,
}

static FIXED: LazyLock<Fixed> = LazyLock::new(|| {
    let profiles: Vec<Arc<Profile>> = BUILTIN
        .iter()
        .map(|(name, _)| Arc::new(Profile::builtin(name).expect("built-in profiles load")))
        .collect();
    let mut sources = HashMap::new();
    for p in &profiles {
        for (name, text) in &p.layers {
            sources.insert(name.clone(), text.clone());
        }
    }
    // Anchored so that every path is relative without touching the disk.
    let root = PathBuf::from("/fuzz");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).expect("a valid date");
    Fixed {
        builtins: Default::default(),
        profiles,
        sources,
        paths: Paths {
            cwd: root.clone(),
            root: Some(root.clone()),
            github_workspace: Some(root),
        },
        opts: LintOptions {
            report_unused_suppressions: true,
            ..LintOptions::new(today)
        },
    }
});

fuzz_target!(|data: &[u8]| {
    let fixed = &*FIXED;
    // The same decoding the CLI does: NUL bytes and invalid UTF-8 are errors (exit 2).
    let Ok(text) = archlint::input::decode(Path::new("fuzz.md"), data.to_vec()) else {
        return;
    };
    let source = Arc::new(SourceFile::new("docs/ARCHITECTURE.md", text));
    let text = source.text();
    // Half the inputs are cut into pieces of about 64 bytes, as documents over 1 MiB
    // are cut into pieces of 512 KiB.
    let doc = if data.len() % 2 == 0 {
        Document::parse(&source)
    } else {
        Document::parse_in_pieces(&source, 64)
    };
    let _ = archlint::profile::choice::declared(&source, &doc);
    let _ = archlint::profile::auto::pick(&source, &doc, fixed.opts.today, None, &fixed.builtins);

    let mut reports = Vec::new();
    for profile in &fixed.profiles {
        let diagnostics = lint_document(&source, &doc, profile, &fixed.opts, None);
        for d in &diagnostics {
            assert!(
                d.span.start <= d.span.end && d.span.end <= text.len(),
                "{} span {:?} outside 0..{}",
                d.rule,
                d.span,
                text.len()
            );
            assert!(
                text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end),
                "{} span {:?} splits a character",
                d.rule,
                d.span
            );
            let p = source.locate(d.span.start);
            assert!(p.line >= 1 && p.line <= source.line_count());
            // A fix edits inside the text, on character boundaries, in order.
            for e in d.fix.iter().flat_map(|f| &f.edits) {
                assert!(
                    e.span.start <= e.span.end
                        && e.span.end <= text.len()
                        && text.is_char_boundary(e.span.start)
                        && text.is_char_boundary(e.span.end),
                    "{} fix edit {:?} outside 0..{} or inside a character",
                    d.rule,
                    e.span,
                    text.len()
                );
            }
        }
        let allowed = archlint::lint::fix::Allowed { dates: true };
        let _ = archlint::lint::fix::apply(text, &diagnostics, allowed, &[]);
        assert!(
            diagnostics
                .windows(2)
                .all(|w| w[0].sort_key() <= w[1].sort_key()),
            "findings are not sorted"
        );
        reports.push(FileReport {
            source: source.clone(),
            profile: profile.name.clone(),
            profile_note: None,
            diagnostics,
            fixed: Default::default(),
        });
    }

    let cx = ReportCx {
        color: false,
        quiet: false,
        profile_sources: &fixed.sources,
        paths: &fixed.paths,
        unreadable: 0,
        warnings_limit: Default::default(),
    };
    let mut buf: Vec<u8> = Vec::new();
    // miette reads the profile TOML from its start for every "required by" note, which
    // would make this target several times slower: the notes are shown for one profile,
    // and every finding of every profile is rendered without them.
    report::human::write(&mut buf, &reports[..1], &cx).expect("human");
    buf.clear();
    let no_sources = HashMap::new();
    let bare = ReportCx {
        profile_sources: &no_sources,
        ..cx
    };
    report::human::write(&mut buf, &reports, &bare).expect("human");
    buf.clear();
    report::short::write(&mut buf, &reports, &cx).expect("short");
    buf.clear();
    report::json::write(&mut buf, &reports, &cx).expect("json");
    buf.clear();
    report::github::write(&mut buf, &reports, &cx).expect("github");
    buf.clear();
    report::sarif::write(&mut buf, &reports, &cx).expect("sarif");
    buf.clear();
    report::junit::write(&mut buf, &reports, &cx).expect("junit");
    buf.clear();
    report::checkstyle::write(&mut buf, &reports, &cx).expect("checkstyle");
    buf.clear();
    report::gitlab::write(&mut buf, &reports, &cx).expect("gitlab");
    buf.clear();
    report::rdjsonl::write(&mut buf, &reports, &cx).expect("rdjsonl");
});
