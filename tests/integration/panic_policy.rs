//! The panic policy: a bug reaches the user as a short bug-report message and exit code
//! 2, never Rust's exit code 101, a signal or a hang. `ARCHLINT_TEST_PANIC` is a
//! hidden, test-only switch in main.rs: `1` panics right after the hook is installed,
//! `thread` panics on another thread once the output handles are taken.

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

#[test]
fn a_panic_on_another_thread_exits_2_instead_of_hanging() {
    // The main thread holds stdout while `run` works; the hook on the panicking thread
    // must still get to write its message (it used to wait forever for stderr's lock).
    let dir = tree(&[("ARCHITECTURE.md", "# Architecture\n")]);
    let run = run_with(
        archlint()
            .current_dir(dir.path())
            .env("ARCHLINT_TEST_PANIC", "thread")
            .timeout(std::time::Duration::from_secs(30)),
        &["check", "ARCHITECTURE.md"],
        None,
    );
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("archlint: internal error: panicked at src/main.rs:")
            && run
                .stderr
                .contains("ARCHLINT_TEST_PANIC=thread asked for a panic"),
        "{}",
        run.transcript()
    );
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
fn the_switch_is_off_for_any_other_value() {
    for value in ["0", "", "true", "threads"] {
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
