use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // A bug must never look like a lint failure or a crash with code 101.
    std::panic::set_hook(Box::new(|info| {
        // `writeln!`, not `eprintln!`: a closed stderr must not panic inside the hook
        // (that aborts with a signal instead of exiting 2).
        let _ = writeln!(
            std::io::stderr(),
            "archlint: internal error: {info}\n\
             This is a bug in archlint; please report it with the input that caused it."
        );
        std::process::exit(i32::from(archlint::EXIT_ERROR));
    }));
    // Hidden and for tests only: a panic on demand proves the hook above
    // (tests/integration/panic_policy.rs). No input can reach a panic on purpose.
    if std::env::var_os("ARCHLINT_TEST_PANIC").is_some_and(|v| v == "1") {
        panic!("ARCHLINT_TEST_PANIC=1 asked for a panic");
    }
    let cli = match archlint::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                archlint::EXIT_ERROR
            } else {
                0
            });
        }
    };
    let cwd = match std::env::current_dir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("archlint: cannot read the current directory: {e}");
            return ExitCode::from(archlint::EXIT_ERROR);
        }
    };
    let code = archlint::run(
        cli,
        &cwd,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    ExitCode::from(code)
}
