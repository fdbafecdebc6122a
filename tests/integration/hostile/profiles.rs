//! A document, `archlint.toml` or an `extends` names a profile: the name is resolved
//! inside the repository of the file that writes it, and a file that fails to parse
//! is located but never shown. The secret below must never reach the output.

use std::path::Path;

use crate::support::{bounded, tree, Run};

const SECRET: &str = "hunter2-do-not-print";

/// A repository in `repo/` (it holds `.git`) beside a folder `outside/` holding a
/// secret, and a TOML file inside the repository that is not a profile.
fn workspace(files: &[(&str, &str)]) -> tempfile::TempDir {
    let secret_toml = format!("api_key = \"{SECRET}\"\nname = \"{SECRET}\"\n");
    let mut all: Vec<(&str, &str)> = vec![
        ("repo/.git/HEAD", ""),
        ("outside/secret.toml", &secret_toml),
        ("outside/secret.txt", SECRET),
        ("repo/.streamlit/secrets.toml", &secret_toml),
    ];
    all.extend_from_slice(files);
    tree(&all)
}

fn check(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["check", "--format", "short"];
    all.extend_from_slice(args);
    bounded(&dir.join("repo"), &all, None, 10, 1024).run
}

#[track_caller]
fn refused(run: &Run, needles: &[&str]) {
    run.assert_code(2);
    for n in needles {
        assert!(run.stderr.contains(n), "`{n}` not in\n{}", run.transcript());
    }
    assert!(
        !run.stdout.contains(SECRET) && !run.stderr.contains(SECRET),
        "the secret was printed\n{}",
        run.transcript()
    );
}

#[cfg(unix)]
fn symlink(target: &str, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

/// `<!-- archlint: profile=/etc/passwd -->` printed the file's first lines in the
/// TOML error.
#[test]
fn a_document_cannot_name_a_system_file_as_its_profile() {
    let dir = workspace(&[(
        "repo/ARCHITECTURE.md",
        "# Architecture\n\n<!-- archlint: profile=/etc/passwd -->\n",
    )]);
    let run = check(dir.path(), &["ARCHITECTURE.md"]);
    refused(
        &run,
        &["ARCHITECTURE.md:3:1: this document's profile `/etc/passwd` cannot be used"],
    );
    assert!(!run.stderr.contains("root:"), "{}", run.transcript());
}

/// Front matter `archlint-profile: ../outside/secret.toml` reached a file beside the
/// repository; its parse error quoted the secret.
#[test]
fn a_document_cannot_name_a_profile_outside_its_repository() {
    let dir = workspace(&[(
        "repo/ARCHITECTURE.md",
        "---\narchlint-profile: ../outside/secret.toml\n---\n# Architecture\n",
    )]);
    let run = check(dir.path(), &["ARCHITECTURE.md"]);
    refused(
        &run,
        &["profile `../outside/secret.toml` is outside the repository"],
    );
}

/// A TOML file inside the repository that is not a profile (secrets a CI step wrote
/// into the workspace): named as a profile, it is located, not shown.
#[test]
fn a_non_profile_toml_in_the_repository_is_not_shown() {
    let dir = workspace(&[(
        "repo/ARCHITECTURE.md",
        "---\narchlint-profile: .streamlit/secrets.toml\n---\n# Architecture\n",
    )]);
    let run = check(dir.path(), &["ARCHITECTURE.md"]);
    refused(&run, &["unknown field `…`", "(line 1, column 1)"]);
}

/// `extends` in a repository's own profile reached outside it, absolutely, by `..`
/// and through a committed symlink.
#[cfg(unix)]
#[test]
fn extends_stays_inside_the_repository() {
    let outside = |dir: &Path| dir.join("outside").display().to_string();
    for (extends, why) in [
        ("/etc/passwd", "is not a built-in name or a `.toml` file"),
        ("../outside/secret.toml", "is outside the repository"),
        ("OUTSIDE/secret.toml", "is outside the repository"),
        ("link/secret.toml", "is outside the repository"),
    ] {
        let dir = workspace(&[("repo/ARCHITECTURE.md", "# Architecture\n")]);
        let extends = extends.replace("OUTSIDE", &outside(dir.path()));
        symlink(&outside(dir.path()), &dir.path().join("repo/link"));
        std::fs::write(
            dir.path().join("repo/team.toml"),
            format!("name = \"team\"\nextends = \"{extends}\"\n"),
        )
        .expect("write team.toml");
        let run = check(dir.path(), &["--profile", "team.toml", "ARCHITECTURE.md"]);
        refused(&run, &[why, "team.toml:2:11"]);
    }
}

/// A committed `archlint.toml` that is a symlink: to a file outside the repository it
/// is refused; to a file inside, its parse errors are located but not shown.
#[cfg(unix)]
#[test]
fn a_symlinked_configuration_stays_inside_and_unshown() {
    let dir = workspace(&[("repo/ARCHITECTURE.md", "# Architecture\n")]);
    let config = dir.path().join("repo/archlint.toml");
    symlink("../outside/secret.toml", &config);
    refused(
        &check(dir.path(), &["ARCHITECTURE.md"]),
        &["is a symlink that leaves the repository"],
    );
    std::fs::remove_file(&config).expect("remove");
    symlink(".streamlit/secrets.toml", &config);
    refused(
        &check(dir.path(), &["ARCHITECTURE.md"]),
        &["unknown field `…`", "(line 1, column 1)"],
    );
}

/// `profile = "../outside/secret.toml"` in `archlint.toml`.
#[test]
fn a_configured_profile_stays_inside_the_repository() {
    let dir = workspace(&[
        (
            "repo/archlint.toml",
            "profile = \"../outside/secret.toml\"\n",
        ),
        ("repo/ARCHITECTURE.md", "# Architecture\n"),
    ]);
    refused(
        &check(dir.path(), &["ARCHITECTURE.md"]),
        &["profile `../outside/secret.toml` is outside the repository"],
    );
}

/// A cycle through `sub/../a.toml` was reported as "nested more than 16 deep".
#[test]
fn a_cycle_through_dot_dot_is_named_a_cycle() {
    let dir = workspace(&[
        ("repo/ARCHITECTURE.md", "# Architecture\n"),
        ("repo/sub/.keep", ""),
        ("repo/a.toml", "name = \"a\"\nextends = \"b.toml\"\n"),
        ("repo/b.toml", "name = \"b\"\nextends = \"sub/../a.toml\"\n"),
    ]);
    refused(
        &check(dir.path(), &["--profile", "a.toml", "ARCHITECTURE.md"]),
        &["`extends` forms a cycle"],
    );
}

/// `extends = "/dev/null"` and a file of invalid UTF-8 were errors with no location.
#[test]
fn an_unreadable_extends_is_reported_at_its_line() {
    let dir = workspace(&[
        ("repo/ARCHITECTURE.md", "# Architecture\n"),
        ("repo/a.toml", "name = \"a\"\nextends = \"bad.toml\"\n"),
    ]);
    std::fs::write(dir.path().join("repo/bad.toml"), b"name = \"\xff\"\n").expect("write");
    refused(
        &check(dir.path(), &["--profile", "a.toml", "ARCHITECTURE.md"]),
        &["`extends`:", "not valid UTF-8", "a.toml:2:11"],
    );
}
