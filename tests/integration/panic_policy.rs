//! The panic policy: a bug reaches the user as a short bug-report message and exit code
//! 2, never Rust's exit code 101 or a signal. `ARCHLINT_TEST_PANIC=1` is a hidden,
//! test-only switch in main.rs that panics right after the hook is installed.

use crate::support::{archlint, run_with, tree, Run};

fn panicking(args: &[&str]) -> Run {
    let dir = tree(&[("ARCHITECTURE.md", "# Architecture\n")]);
    run_with(
        archlint()
            .current_dir(dir.path())
            .env("ARCHLINT_TEST_PANIC", "1"),
        args,
        None,
    )
}

#[test]
fn a_panic_exits_2_with_a_bug_report_message() {
    for args in [
        &["check", "ARCHITECTURE.md"][..],
        &["rules"],
        &["--version"],
    ] {
        let run = panicking(args);
        run.assert_code(2);
        assert!(
            run.stderr
                .starts_with("archlint: internal error: panicked at src/main.rs:"),
            "{}",
            run.transcript()
        );
        assert!(
            run.stderr
                .contains("This is a bug in archlint; please report it"),
            "{}",
            run.transcript()
        );
        assert!(run.stdout.is_empty(), "{}", run.transcript());
    }
}

#[cfg(unix)]
#[test]
fn a_panic_with_stderr_closed_still_exits_2() {
    // `eprintln!` in the hook would panic again and abort (SIGABRT, no exit code).
    let bin = assert_cmd::cargo::cargo_bin!("archlint");
    let status = std::process::Command::new("sh")
        .args(["-c", "exec \"$0\" rules 2>&-"])
        .arg(bin)
        .env("ARCHLINT_TEST_PANIC", "1")
        .stdout(std::process::Stdio::null())
        .status()
        .expect("sh runs");
    assert_eq!(status.code(), Some(2), "{status:?}");
}

#[test]
fn the_switch_is_off_unless_exactly_1() {
    for value in ["0", "", "true"] {
        let dir = tree(&[]);
        let run = run_with(
            archlint()
                .current_dir(dir.path())
                .env("ARCHLINT_TEST_PANIC", value),
            &["rules"],
            None,
        );
        run.assert_code(0);
        assert!(
            !run.stderr.contains("internal error"),
            "{}",
            run.transcript()
        );
    }
}
