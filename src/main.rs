use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // A bug must never look like a lint failure or a crash with code 101.
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "archlint: internal error: {info}\n\
             This is a bug in archlint; please report it with the input that caused it."
        );
        std::process::exit(i32::from(archlint::EXIT_ERROR));
    }));
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
