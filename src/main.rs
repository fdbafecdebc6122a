use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

// mimalloc: allocation is about a sixth of a run's instructions (comrak allocates per
// node), and glibc's malloc is the slower half of that. See docs/ARCHITECTURE.md.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    // Hidden and for tests only (tests/integration/panic_policy.rs): `1` panics here,
    // `thread` panics on another thread while `run`'s output handles are taken, as a
    // panic in a rayon worker would. No input can reach a panic on purpose.
    let test_panic = std::env::var_os("ARCHLINT_TEST_PANIC");
    if test_panic.as_ref().is_some_and(|v| v == "1") {
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
    let mut out = std::io::stdout().lock();
    // Not locked for the whole run: the panic hook writes to stderr from whichever
    // thread panicked, and would wait forever for a lock the main thread holds.
    let mut err = std::io::stderr();
    if test_panic.is_some_and(|v| v == "thread") {
        let _ =
            std::thread::spawn(|| panic!("ARCHLINT_TEST_PANIC=thread asked for a panic")).join();
    }
    let code = archlint::run(cli, &cwd, &mut out, &mut err);
    ExitCode::from(code)
}
