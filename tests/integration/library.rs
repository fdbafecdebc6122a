//! `archlint::run` as a library user (a test, the fuzz target `command`, an editor
//! server) calls it: with a working directory of its own, not the process's, and with
//! every word for the user written to the `out` and `err` it is given.

use std::path::Path;

use crate::support::tree;

/// Run a command line in process from `cwd`; the process stays in the package root.
fn run_in(cwd: &Path, args: &[&str]) -> (u8, String, String) {
    let cli =
        archlint::cli::Cli::parse_args(std::iter::once("archlint").chain(args.iter().copied()))
            .expect("valid arguments");
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = archlint::run(cli, cwd, &mut out, &mut err);
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

/// `check design/SYSTEM.md` from a working directory other than the process's said
/// "`design/SYSTEM.md` does not exist": the file was looked up relative to the
/// process's directory (the package root here, which holds no such file) and read
/// relative to the given one.
#[test]
fn a_named_file_is_found_from_the_given_working_directory() {
    let dir = tree(&[(
        "design/SYSTEM.md",
        "# Architecture\n\nOwned by [Team Name].\n",
    )]);
    let (code, out, err) = run_in(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--format",
            "short",
            "design/SYSTEM.md",
        ],
    );
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(
        out.contains("design/SYSTEM.md:3:10: error: template placeholder"),
        "{out}\n{err}"
    );
}

/// A malformed ignore file's warning went to the process's standard error, past the
/// `err` the caller gave.
#[test]
fn walk_warnings_go_to_the_given_error_stream() {
    let dir = tree(&[
        (".gitignore", "{a,b\n"),
        ("docs/ARCHITECTURE.md", "# Architecture\n"),
    ]);
    let (_, out, err) = run_in(dir.path(), &["check", "--isolated", "docs"]);
    assert!(
        err.contains("warning: in `") && err.contains("unclosed alternate group"),
        "{out}\n{err}"
    );
}

/// A profile named by a repository's configuration is shown by its path in the
/// repository, whichever directory the run starts from.
#[test]
fn a_repository_profile_is_named_by_its_repository_path() {
    let dir = tree(&[
        (".git/HEAD", "ref: refs/heads/main\n"),
        ("archlint.toml", "profile = \"rules/team.toml\"\n"),
        ("rules/team.toml", "name = \"team\"\nbroken =\n"),
        ("docs/ARCHITECTURE.md", "# Architecture\n"),
    ]);
    let (code, out, err) = run_in(&dir.path().join("docs"), &["check", "ARCHITECTURE.md"]);
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(err.contains("rules/team.toml"), "{out}\n{err}");
    assert!(
        !err.contains(&*dir.path().to_string_lossy()),
        "{out}\n{err}"
    );
}
