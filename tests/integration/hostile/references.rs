//! See `mod.rs`. `dead-reference` against a repository whose author controls the
//! documents, the file names and the symbolic links (git stores links as they are).

use std::path::Path;

use crate::support::{bounded, Bounded};

const SECS: u64 = 10;
const MIB: u64 = 1024;

/// One `dead-reference` finding of a `--format json` run.
#[derive(Debug, Clone, PartialEq)]
struct Finding {
    line: u64,
    message: String,
    help: String,
}

fn findings(b: &Bounded) -> Vec<Finding> {
    let json = b.run.json();
    let mut out = Vec::new();
    for file in json["files"].as_array().into_iter().flatten() {
        for d in file["diagnostics"].as_array().into_iter().flatten() {
            if d["rule"] != "dead-reference" {
                continue;
            }
            out.push(Finding {
                line: d["line"].as_u64().unwrap_or(0),
                message: d["message"].as_str().unwrap_or("").to_string(),
                help: d["help"].as_str().unwrap_or("").to_string(),
            });
        }
    }
    out
}

/// A repository (with `.git`) at `dir/repo` holding `docs/ARCHITECTURE.md`.
fn repo_in(dir: &Path, doc: &str) -> std::path::PathBuf {
    let repo = dir.join("repo");
    std::fs::create_dir_all(repo.join(".git")).expect("create .git");
    std::fs::create_dir_all(repo.join("docs")).expect("create docs");
    std::fs::write(repo.join("docs/ARCHITECTURE.md"), doc).expect("write the document");
    repo
}

/// `archlint check --format json docs/ARCHITECTURE.md` in `repo`, bounded.
fn check(repo: &Path) -> Bounded {
    let b = bounded(
        repo,
        &["check", "--format", "json", "docs/ARCHITECTURE.md"],
        None,
        SECS,
        MIB,
    );
    b.run.assert_code(1);
    b
}

fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).expect("create a symbolic link");
}

/// The finding on `line`, which must be there.
#[track_caller]
fn on_line(found: &[Finding], line: u64) -> &Finding {
    found
        .iter()
        .find(|f| f.line == line)
        .unwrap_or_else(|| panic!("no finding on line {line}: {found:#?}"))
}

/// The findings on lines `exists` and `missing` read the same once the names that
/// differ (`name` for what exists, `other` for what does not) are blanked out, and say
/// that the path leaves the repository.
#[track_caller]
fn alike(found: &[Finding], exists: u64, missing: u64, name: &str, other: &str) {
    let (e, m) = (on_line(found, exists), on_line(found, missing));
    assert_eq!(
        e.message.replace(name, "NAME"),
        m.message.replace(other, "NAME"),
        "{found:#?}"
    );
    assert_eq!(
        e.help.replace(name, "NAME"),
        m.help.replace(other, "NAME"),
        "{found:#?}"
    );
    assert!(
        e.message.contains("points outside the repository"),
        "{found:#?}"
    );
}

/// A committed link to a device: `docs/zero.txt -> /dev/zero`, named with a line number
/// (`See zero.txt:7.`) so that the rule wants the file's length. Counting the lines of
/// `/dev/zero` never ends; the link leaves the repository, so it is reported as
/// leaving it, and `/dev/zero` is never opened.
#[test]
fn a_link_to_dev_zero_named_with_a_line_number_is_never_read() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let repo = repo_in(
        dir.path(),
        "# Architecture\n\nSee zero.txt:7.\n\nAnd `zero.txt:7-9`.\n",
    );
    symlink("/dev/zero", repo.join("docs/zero.txt"));
    let b = check(&repo);
    let found = findings(&b);
    assert_eq!(found.len(), 2, "{found:#?}");
    for f in &found {
        assert!(
            f.message.contains("points outside the repository"),
            "{found:#?}"
        );
    }
}

/// A FIFO in the repository (`mkfifo docs/pipe.txt`; a checkout does not make one, but
/// the CI workspace may hold anything), named with a line number. Opening a FIFO for
/// reading blocks until a writer comes, which none will: it is reported as not a
/// regular file and never opened, directly or through a link inside the repository.
#[test]
fn a_fifo_named_with_a_line_number_is_never_opened() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let repo = repo_in(
        dir.path(),
        "# Architecture\n\nSee pipe.txt:7.\n\nAnd pipe-link.txt:7.\n",
    );
    let fifo = repo.join("docs/pipe.txt");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    symlink("pipe.txt", repo.join("docs/pipe-link.txt"));
    let b = check(&repo);
    let found = findings(&b);
    assert_eq!(found.len(), 2, "{found:#?}");
    for f in &found {
        assert!(f.message.contains("not a regular file"), "{found:#?}");
    }
}

/// `[x](../../../../etc/shadow)` was silent while `[x](../../../../etc/nonexistent)`
/// was reported: an oracle for the existence of any file on the machine that runs the
/// check. A reference that leaves the repository is never looked up, so both get the
/// same finding, and it says that the path leaves the repository. The same holds for
/// a folder next to the repository, whatever it holds.
#[test]
fn a_path_out_of_the_repository_is_reported_alike_whether_or_not_it_exists() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let up = "../".repeat(24);
    let doc = format!(
        "# Architecture\n\n\
         [a]({up}etc/shadow)\n\n\
         [a]({up}etc/nonexistent)\n\n\
         [b](../../secret/password.txt)\n\n\
         [b](../../secret/nopassword.txt)\n\n\
         See `../../secret/password.txt:99`.\n\n\
         See `../../secret/nopassword.txt:99`.\n"
    );
    let repo = repo_in(dir.path(), &doc);
    std::fs::create_dir(dir.path().join("secret")).expect("create secret/");
    std::fs::write(dir.path().join("secret/password.txt"), "hunter2\n").expect("write");
    let b = check(&repo);
    let found = findings(&b);
    alike(&found, 3, 5, "shadow", "nonexistent");
    alike(&found, 7, 9, "password", "nopassword");
    alike(&found, 11, 13, "password", "nopassword");
    assert_eq!(found.len(), 6, "{found:#?}");
}

/// A link committed inside the repository that leads out of it: `docs/etc -> /etc`,
/// `docs/vault -> <a folder outside holding a secret>` (absolute) and `docs/up ->
/// ../../outside` (relative). A reference through any of them is reported as leaving
/// the repository whether or not the target exists, no line of the secret is counted,
/// and nothing behind the link is suggested.
#[test]
fn a_link_out_of_the_repository_is_not_followed() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let doc = "# Architecture\n\n\
               [a](etc/passwd)\n\n\
               [a](etc/nonexistent)\n\n\
               [b](vault/secret.txt)\n\n\
               [b](vault/nosecret.txt)\n\n\
               [c](up/secret.txt)\n\n\
               [c](up/nosecret.txt)\n\n\
               See `vault/secret.txt:99`.\n\n\
               See `vault/nosecret.txt:99`.\n\n\
               [d](vault/secre.txt) and [e](vault/) and [f](vaul/secret.txt)\n";
    let repo = repo_in(dir.path(), doc);
    let outside = dir.path().join("outside");
    std::fs::create_dir(&outside).expect("create outside/");
    std::fs::write(outside.join("secret.txt"), "one\ntwo\nthree\n").expect("write");
    symlink("/etc", repo.join("docs/etc"));
    symlink(&outside, repo.join("docs/vault"));
    symlink("../../outside", repo.join("docs/up"));
    let b = check(&repo);
    let found = findings(&b);
    alike(&found, 3, 5, "passwd", "nonexistent");
    alike(&found, 7, 9, "secret", "nosecret");
    alike(&found, 11, 13, "secret", "nosecret");
    alike(&found, 15, 17, "secret", "nosecret");
    for f in &found {
        assert!(!f.message.contains("3 lines"), "{found:#?}");
        assert!(!f.help.contains("did you mean"), "{found:#?}");
    }
    assert!(
        on_line(&found, 19)
            .message
            .contains("points outside the repository"),
        "{found:#?}"
    );
    // `vaul/…` is merely missing, and `vault` is no suggestion for it.
    assert_eq!(found.len(), 11, "{found:#?}");
}

/// "did you mean" named what lies outside the repository: a near miss of a secret's
/// name in a folder next to the repository (`../../secretdir/prod-db-pasword.txt`), of
/// that folder's name, or through a link inside the repository to it, was answered with
/// the real name. Nothing outside the repository is listed or suggested.
#[test]
fn did_you_mean_never_names_a_path_out_of_the_repository() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let doc = "# Architecture\n\n\
               [a](../../secretdir/prod-db-pasword.txt)\n\n\
               [b](../../secretdi/notes.txt)\n\n\
               [c](../secretdi/notes.txt)\n\n\
               [d](link/prod-db-pasword.txt)\n\n\
               [e](lnk/notes.txt)\n\n\
               See `../../secretdir/prod-db-pasword.txt:1`.\n";
    let repo = repo_in(dir.path(), doc);
    let secrets = dir.path().join("secretdir");
    std::fs::create_dir(&secrets).expect("create secretdir/");
    std::fs::write(secrets.join("prod-db-password.txt"), "hunter2\n").expect("write");
    symlink("../../secretdir", repo.join("docs/link"));
    let b = check(&repo);
    let found = findings(&b);
    assert_eq!(found.len(), 6, "{found:#?}");
    for f in &found {
        assert!(!f.help.contains("did you mean"), "{found:#?}");
    }
    let all = format!("{}{}", b.run.stdout, b.run.stderr);
    assert!(!all.contains("prod-db-password"), "{all}");
}

/// `len` lowercase letters, a different string for every `seed` (a linear
/// congruential generator: deterministic, and as unlike each other as names get).
fn letters(seed: u64, len: usize) -> String {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..len)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (b'a' + ((x >> 33) % 26) as u8) as char
        })
        .collect()
}

/// Half a megabyte of dead links named `<len letters>.md`, then the same links again,
/// next to a folder of 300 files with names of `entry_len` letters.
fn many_dead_links(len: usize, entry_len: usize) -> (tempfile::TempDir, std::path::PathBuf, usize) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut links = String::new();
    let mut n = 0;
    while links.len() < 500_000 {
        links.push_str(&format!("[x{n}]({}.md)\n\n", letters(n as u64, len)));
        n += 1;
    }
    let doc = format!("# Architecture\n\n{links}{links}");
    let repo = repo_in(dir.path(), &doc);
    for i in 0..300 {
        let name = letters(1_000_000 + i, entry_len);
        std::fs::write(repo.join(format!("docs/{name}.md")), "").expect("write");
    }
    (dir, repo, 2 * n)
}

/// A folder of 300 files and half a megabyte of dead links whose names are 1,000
/// characters long: "did you mean" compared each name with every entry of the folder
/// and took 20 seconds. A name longer than a file name can be is not compared, and a
/// dead path repeated costs once.
#[test]
fn did_you_mean_on_overlong_names_in_a_big_folder_is_bounded() {
    let (_dir, repo, n) = many_dead_links(1000, 40);
    let b = check(&repo);
    assert_eq!(findings(&b).len(), n, "{:.1} s", b.seconds);
}

/// The same with names of 200 letters, which a file name can have, against 300 entries
/// of 200 letters: every comparison is as costly as a name allows. The work per
/// document is capped, whatever the names.
#[test]
fn did_you_mean_on_names_of_the_longest_kind_is_bounded() {
    let (_dir, repo, n) = many_dead_links(200, 200);
    let b = check(&repo);
    assert_eq!(findings(&b).len(), n, "{:.1} s", b.seconds);
}
