//! Hostile configuration: profiles and `archlint.toml` files written to hurt. Each one
//! is a clear error located in the file (exit 2, the file and line named) or a bounded
//! result; never a hang, a panic or an unbounded allocation. All inputs are generated
//! here.

use std::fmt::Write as _;
use std::path::Path;

use crate::support::{run_in, sane, tree, write, Run, TODAY};

const DOC: &str = "# Architecture\n\n## Overview\n\ntext\n";

/// `archlint check --isolated --profile PROFILE --today ... ARCHITECTURE.md` in `dir`.
fn check_with_profile(dir: &Path, profile: &str) -> Run {
    run_in(
        dir,
        &[
            "check",
            "--isolated",
            "--profile",
            profile,
            "--today",
            TODAY,
            "--format",
            "short",
            "ARCHITECTURE.md",
        ],
    )
}

/// Exit 2 with `message`, located at `file:line:` (miette's `[file:line:column]`).
#[track_caller]
fn located(run: &Run, file: &str, line: usize, message: &str) {
    sane(run);
    run.assert_code(2);
    assert!(run.stderr.contains(message), "{}", run.transcript());
    assert!(
        run.stderr.contains(&format!("{file}:{line}:")),
        "not located at {file}:{line}\n{}",
        run.transcript()
    );
}

fn sections(n: usize, extra: impl Fn(usize) -> String) -> String {
    let mut s = String::new();
    for i in 0..n {
        let _ = write!(
            s,
            "[[sections]]\nid = \"s{i}\"\ntitle = \"Section {i}\"\n{}\n",
            extra(i)
        );
    }
    s
}

#[test]
fn a_regex_too_big_to_compile_is_a_located_error() {
    let profile =
        "name = \"big\"\n\n[[sections]]\nid = \"a\"\ntitle = \"A\"\nmatch = \"a{1000}{1000}\"\n";
    let dir = tree(&[("p.toml", profile), ("ARCHITECTURE.md", DOC)]);
    let run = check_with_profile(dir.path(), "p.toml");
    located(&run, "p.toml", 6, "it compiles to more than");
}

#[test]
fn a_very_long_regex_is_a_located_error() {
    let pattern = "(a|b|c)".repeat(100_000);
    let profile = format!("[placeholders]\npatterns = [\"{pattern}\"]\n");
    let dir = tree(&[("p.toml", &profile), ("ARCHITECTURE.md", DOC)]);
    let run = check_with_profile(dir.path(), "p.toml");
    // The pattern starts within the line, so its first line is drawn.
    located(&run, "p.toml", 2, "invalid regular expression");
}

#[test]
fn pathological_regexes_run_in_linear_time() {
    // Catastrophic for a backtracking engine; Rust's regex has none.
    let profile = "[placeholders]\npatterns = ['(a*)*b', '(x+x+)+y', '^(a|aa)+$', '(.*a){12}']\n";
    let doc = format!(
        "# T\n\n{}\n\n{}\n",
        "a".repeat(100_000),
        "x".repeat(100_000)
    );
    let dir = tree(&[("p.toml", profile), ("ARCHITECTURE.md", &doc)]);
    let run = check_with_profile(dir.path(), "p.toml");
    sane(&run);
}

#[test]
fn more_regexes_than_the_limit_is_a_located_error() {
    let profile = sections(300, |i| format!("match = '^s{i}$'"));
    let dir = tree(&[("p.toml", &profile), ("ARCHITECTURE.md", DOC)]);
    let run = check_with_profile(dir.path(), "p.toml");
    // Section 256 (0-based) holds the 257th pattern; each section is four lines.
    located(
        &run,
        "p.toml",
        256 * 4 + 4,
        "more than 256 regular expressions",
    );
}

#[test]
fn ten_thousand_sections_are_a_located_error() {
    let profile = sections(10_000, |_| String::new());
    let dir = tree(&[("p.toml", &profile), ("ARCHITECTURE.md", DOC)]);
    let run = check_with_profile(dir.path(), "p.toml");
    located(
        &run,
        "p.toml",
        2_000 * 4 + 1,
        "the profile has 10000 sections; at most 2000 are supported",
    );
}

#[test]
fn the_largest_profile_allowed_finishes_on_a_large_document() {
    // 2,000 required sections with fields, against 4,000 headings of which half match.
    let profile = sections(2_000, |i| format!("fields = [\"F{i}\"]"));
    let mut doc = String::from("# T\n\n");
    for i in 0..4_000 {
        let _ = write!(doc, "## Section {}\n\n**F{i}**: x\n\n", i * 2);
    }
    let dir = tree(&[("p.toml", &profile), ("ARCHITECTURE.md", &doc)]);
    let run = check_with_profile(dir.path(), "p.toml");
    sane(&run);
    run.assert_code(1);
    assert!(run.stdout.contains("[missing-section]"), "{}", run.stdout);
}

#[test]
fn deep_extends_chains_are_a_located_error() {
    let dir = tree(&[("ARCHITECTURE.md", DOC)]);
    for i in 0..20 {
        let text = if i < 19 {
            format!("extends = \"chain{}.toml\"\n", i + 1)
        } else {
            "extends = \"core\"\n".to_string()
        };
        write(dir.path(), &format!("chain{i}.toml"), text.as_bytes());
    }
    let run = check_with_profile(dir.path(), "chain0.toml");
    located(&run, "chain15.toml", 1, "nested more than 16 deep");
    // 15 files and the built-in they extend are fine.
    write(dir.path(), "chain14.toml", b"extends = \"core\"\n");
    let run = check_with_profile(dir.path(), "chain0.toml");
    sane(&run);
    run.assert_code(1);
}

#[test]
fn extends_cycles_are_located_errors() {
    let dir = tree(&[
        ("ARCHITECTURE.md", DOC),
        ("self.toml", "name = \"self\"\nextends = \"self.toml\"\n"),
        ("a.toml", "extends = \"b.toml\"\n"),
        ("b.toml", "# b\nextends = \"c.toml\"\n"),
        ("c.toml", "\n\nextends = \"a.toml\"\n"),
    ]);
    located(
        &check_with_profile(dir.path(), "self.toml"),
        "self.toml",
        2,
        "`extends` forms a cycle",
    );
    located(
        &check_with_profile(dir.path(), "a.toml"),
        "a.toml",
        1,
        "`extends` forms a cycle",
    );
}

#[test]
fn extends_of_something_that_is_not_a_profile_file_is_an_error() {
    let dir = tree(&[
        ("ARCHITECTURE.md", DOC),
        ("dir.toml/x", ""),
        ("to-dir.toml", "extends = \"dir.toml\"\n"),
        ("to-missing.toml", "\nextends = \"nope.toml\"\n"),
        ("to-binary.toml", "extends = \"bin.toml\"\n"),
        ("bin.toml", "a = 1\0"),
    ]);
    let run = check_with_profile(dir.path(), "to-dir.toml");
    sane(&run);
    run.assert_code(2);
    assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);
    located(
        &check_with_profile(dir.path(), "to-missing.toml"),
        "to-missing.toml",
        2,
        "which does not exist",
    );
    let run = check_with_profile(dir.path(), "to-binary.toml");
    sane(&run);
    run.assert_code(2);
    assert!(run.stderr.contains("not a text document"), "{}", run.stderr);
}

#[test]
fn a_problem_far_into_a_long_line_is_named_by_line_and_column() {
    // miette panics drawing a label past column 65,535; such problems name their place.
    let long = "y".repeat(70_000);
    let profile =
        format!("name = \"x\"\nsections = [{{ id = \"a\", title = \"{long}\", bogus = 1 }}]\n");
    let config = format!("exclude = [\"{long}\", 3]\n");
    let dir = tree(&[
        ("p.toml", &profile),
        ("ARCHITECTURE.md", DOC),
        ("c/archlint.toml", &config),
        ("c/ARCHITECTURE.md", DOC),
    ]);
    let run = check_with_profile(dir.path(), "p.toml");
    sane(&run);
    run.assert_code(2);
    assert!(
        run.stderr.contains("unknown field `bogus`") && run.stderr.contains("column 70037)"),
        "{}",
        run.stderr
    );
    let run = run_in(&dir.path().join("c"), &["check", "ARCHITECTURE.md"]);
    sane(&run);
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("expected a string (line 1, column 70016)"),
        "{}",
        run.stderr
    );
}

/// `archlint check` (walking the folder) with `config` as `archlint.toml`.
fn walk_with_config(config: &str) -> Run {
    let dir = tree(&[
        (".git/HEAD", ""),
        ("archlint.toml", config),
        ("ARCHITECTURE.md", DOC),
        ("docs/ARCHITECTURE.md", DOC),
    ]);
    run_in(
        dir.path(),
        &["check", "--today", TODAY, "--format", "short"],
    )
}

#[test]
fn globs_for_the_disk_root_stay_inside_the_folder_walked() {
    // Globs filter what the walk of the given folder finds; they never widen it.
    for glob in ["/**", "../../**", "/**/ARCHITECTURE.md"] {
        let run = walk_with_config(&format!("include = [\"{glob}\"]\n"));
        sane(&run);
        // Nothing found is an error that names the globs.
        run.assert_code(2);
        assert!(
            run.stdout.contains("(0 files checked)")
                && run
                    .stderr
                    .contains(&format!("no file matches the include globs `{glob}`")),
            "{glob}: {}",
            run.transcript()
        );
    }
    let run = walk_with_config("include = [\"**/*.md\"]\nexclude = [\"/**\", \"../**\"]\n");
    sane(&run);
    assert!(run.stdout.contains("(2 files checked)"), "{}", run.stdout);
}

#[test]
fn huge_and_numerous_globs_are_bounded() {
    let long = "*a".repeat(20_000);
    let run = walk_with_config(&format!("include = [\"**/ARCHITECTURE.md\", \"{long}\"]\n"));
    sane(&run);
    assert!(run.stdout.contains("(2 files checked)"), "{}", run.stdout);
    let many: Vec<String> = (0..20_000).map(|i| format!("\"*{i}*x*/**\"")).collect();
    let run = walk_with_config(&format!("exclude = [{}]\n", many.join(", ")));
    sane(&run);
    assert!(run.stdout.contains("(2 files checked)"), "{}", run.stdout);
}

#[test]
fn unknown_keys_and_wrong_types_in_a_configuration_are_located() {
    let cases: &[(&str, usize, &str)] = &[
        ("inclde = [\"x\"]\n", 1, "did you mean `include`?"),
        ("include = \"x\"\n", 1, "expected a sequence"),
        ("profile = 7\n", 1, "expected a string"),
        ("include = [\"a[\"]\n", 1, "invalid glob"),
        ("[rules]\nplaceholder = 3\n", 2, "expected a level"),
        (
            "[rules]\nplaceholder = \"loud\"\n",
            2,
            "unknown variant `loud`",
        ),
        (
            "[rules]\nno-such-rule = \"off\"\n",
            2,
            "unknown rule `no-such-rule`",
        ),
        (
            "[rules.stale-date]\nmax-age-days = \"x\"\n",
            2,
            "expected i64",
        ),
        (
            "[rules.stale-date]\nmax-age-dys = 3\n",
            2,
            "unknown field `max-age-dys`",
        ),
        (
            "[rules.placeholder]\nmax-age-days = 3\n",
            2,
            "option of `stale-date`",
        ),
        (
            "[[overrides]]\nfiles = [\"x\"]\nbogus = 1\n",
            3,
            "unknown field `bogus`",
        ),
        ("a = [1, \"x\"\n", 1, ""),
        ("\u{feff}=\n", 1, ""),
    ];
    for (config, line, message) in cases {
        let run = walk_with_config(config);
        sane(&run);
        run.assert_code(2);
        assert!(run.stderr.contains(message), "{config}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!("archlint.toml:{line}:")),
            "{config}: not located at line {line}\n{}",
            run.stderr
        );
    }
}

#[test]
fn unknown_keys_and_wrong_types_in_a_profile_are_located() {
    let cases: &[(&str, usize, &str)] = &[
        ("[[sectons]]\nid = \"a\"\n", 1, "did you mean `sections`?"),
        (
            "[[sections]]\nid = \"a\"\ntitle = 3\n",
            3,
            "expected a string",
        ),
        (
            "[[sections]]\nid = \"a\"\ntitle = \"A\"\nlevel = 300\n",
            4,
            "",
        ),
        (
            "[[sections]]\nid = \"a\"\ntitle = \"A\"\nlevel = 9\n",
            4,
            "impossible",
        ),
        ("[date]\nmax-age-days = -1\n", 2, "at least 1"),
        ("[rules]\nplaceholder = \"loud\"\n", 2, "unknown variant"),
        ("extends = [\"core\"]\n", 1, "expected a string"),
    ];
    for (profile, line, message) in cases {
        let dir = tree(&[("p.toml", profile), ("ARCHITECTURE.md", DOC)]);
        let run = check_with_profile(dir.path(), "p.toml");
        located(&run, "p.toml", *line, message);
    }
}

#[test]
fn profiles_and_configurations_are_read_up_to_16_mib() {
    // A comment line repeated past the limit: rejected before parsing.
    let big = "# padding padding padding padding padding padding padding padding\n"
        .repeat((16 << 20) / 60);
    let dir = tree(&[
        ("p.toml", &big),
        ("ARCHITECTURE.md", DOC),
        ("c/archlint.toml", &big),
        ("c/ARCHITECTURE.md", DOC),
    ]);
    let run = check_with_profile(dir.path(), "p.toml");
    sane(&run);
    run.assert_code(2);
    assert!(
        run.stderr.contains("is larger than 16777216 bytes"),
        "{}",
        run.stderr
    );
    let run = run_in(&dir.path().join("c"), &["check", "ARCHITECTURE.md"]);
    sane(&run);
    run.assert_code(2);
    assert!(run.stderr.contains("is larger than"), "{}", run.stderr);
}

/// A "regular file" of endless bytes: reading it whole took gigabytes before the limit.
#[cfg(target_os = "linux")]
#[test]
fn a_profile_path_that_never_ends_is_bounded() {
    let dir = tree(&[
        ("archlint.toml", "profile = \"/proc/self/pagemap\"\n"),
        ("ARCHITECTURE.md", DOC),
    ]);
    for args in [
        &[
            "check",
            "--profile",
            "/proc/self/pagemap",
            "ARCHITECTURE.md",
        ][..],
        &["check", "ARCHITECTURE.md"],
    ] {
        let run = run_in(dir.path(), args);
        sane(&run);
        run.assert_code(2);
        assert!(run.stderr.contains("/proc/self/pagemap"), "{}", run.stderr);
    }
}

/// `max-age-days = -99999999999` was reported at the `[rules.stale-date]` header, not
/// at the value.
#[test]
fn a_bad_max_age_points_at_its_value() {
    let dir = tree(&[
        (
            "archlint.toml",
            "[rules.stale-date]\nlevel = \"warning\"\nmax-age-days = -99999999999\n",
        ),
        ("ARCHITECTURE.md", DOC),
    ]);
    let run = run_in(dir.path(), &["check", "ARCHITECTURE.md"]);
    sane(&run);
    run.assert_code(2);
    assert!(
        run.stderr.contains("archlint.toml:3:16]") && run.stderr.contains("must be at least 1"),
        "{}",
        run.transcript()
    );
}

/// A problem in a base profile is reported in the base profile's file, at its line,
/// whichever layer of the `extends` chain holds it: placeholder patterns and
/// digests, the date, rule levels.
#[test]
fn problems_in_a_base_profile_are_reported_in_the_base_file() {
    let base = |body: &str| format!("# the base\nextends = \"core\"\n\n{body}");
    let child = "# the child\n# with a few lines\n# of its own\nextends = \"base.toml\"\n[placeholders]\npatterns = [\"fine\"]\n[date]\nmax-age-days = 30\n[rules]\nstale-date = \"warning\"\n";
    let cases = [
        (
            "[placeholders]\npatterns = [\"(unclosed\"]\n",
            5,
            "invalid regular expression",
        ),
        (
            "[placeholders]\nexample-digests = [\"not-hex\"]\n",
            5,
            "is not a hexadecimal digest",
        ),
        ("[rules]\nno-such-rule = \"warning\"\n", 5, "no-such-rule"),
    ];
    for (body, line, message) in cases {
        let dir = tree(&[
            ("ARCHITECTURE.md", DOC),
            ("base.toml", &base(body)),
            ("child.toml", child),
        ]);
        located(
            &check_with_profile(dir.path(), "child.toml"),
            "base.toml",
            line,
            message,
        );
    }
    // The date a child inherits from its base is the base's problem too.
    let dir = tree(&[
        ("ARCHITECTURE.md", DOC),
        (
            "base.toml",
            &base("[date]\nrequired = true\nmax-age-days = 0\n"),
        ),
        (
            "child.toml",
            "# the child\n# more\nextends = \"base.toml\"\n",
        ),
    ]);
    located(
        &check_with_profile(dir.path(), "child.toml"),
        "base.toml",
        6,
        "`max-age-days` must be at least 1",
    );
}
