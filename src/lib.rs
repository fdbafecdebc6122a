//! archlint: lint architecture documents against declarative rule sets.
//!
//! The pipeline is check → suppress → sort → report: [`lint::lint_source`] runs one
//! document through the rules of a [`profile::Profile`]; [`run`] is the command line.

// The pipeline, in the order a document goes through it: the command line and its
// configuration, the files (`fs`: confined reads, atomic writes, the repository),
// reading and selecting documents (`input`), the outline (`document`), the rule set
// (`profile`), the facts several rules share (`facts`), the rules, one document's run
// with its suppressions (`lint`), and the report.
pub mod cli;
pub mod commands;
pub mod diagnostic;
pub mod document;
pub mod error;
pub mod facts;
pub mod fs;
pub mod input;
pub mod lint;
/// The Mermaid checker, its own crate (`crates/archlint-mermaid`).
pub use archlint_mermaid as mermaid;
pub mod profile;
mod registry;
pub mod report;
pub mod rules;

use std::io::Write;
use std::path::Path;

pub use lint::{lint_source, LintOptions};

use cli::{Cli, Command, ProfileCommand};
use error::Error;

/// Exit codes of SPEC.md.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// Run a parsed command line; returns the exit code. Errors are rendered to `err`.
pub fn run(cli: Cli, cwd: &Path, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let result: Result<u8, Error> = match cli.command {
        Command::Check(args) => commands::check::run(&args, cwd, out, err).map(|o| match o {
            commands::check::Outcome::Clean => EXIT_OK,
            commands::check::Outcome::Failed => EXIT_FINDINGS,
        }),
        Command::Rules => commands::rules::run(out)
            .map(|_| EXIT_OK)
            .map_err(|source| Error::Write {
                path: "<stdout>".into(),
                source,
            }),
        Command::Explain { rule } => commands::explain::run(out, &rule).map(|_| EXIT_OK),
        Command::Profiles => commands::profiles::run(out).map(|_| EXIT_OK),
        Command::Profile {
            command: ProfileCommand::Show { name },
        } => commands::profile_show::run(out, &name, cwd).map(|_| EXIT_OK),
        Command::Init(args) => init(&args, cwd, out),
        Command::Schema { kind } => commands::schema::run(out, kind).map(|_| EXIT_OK),
        Command::Server => commands::server::run().map(|_| EXIT_OK),
    };
    match result {
        Ok(code) => code,
        // A reader that stopped early (`archlint rules | head -1`) is no error, as
        // for `check`.
        Err(Error::Write { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => {
            EXIT_OK
        }
        Err(e) => {
            render_error(err, e);
            EXIT_ERROR
        }
    }
}

fn init(args: &cli::InitArgs, cwd: &Path, out: &mut dyn Write) -> Result<u8, Error> {
    let today = commands::check::parse_today(args.today.as_deref())?;
    commands::init::run(
        out,
        &args.profile,
        args.path.as_deref(),
        args.force,
        today,
        cwd,
    )?;
    Ok(EXIT_OK)
}

/// Render an error with miette, without colour so that logs and snapshots stay plain
/// unless the environment forces it (`CLICOLOR_FORCE`, `FORCE_COLOR`; `NO_COLOR`
/// wins).
pub fn render_error(err: &mut dyn Write, e: Error) {
    let color = report::color::from_env(false);
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    // Not wrapped: an error names paths and globs, which a wrap would cut in two for
    // anyone who copies them from a log.
    let handler = miette::GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_wrap_lines(false)
        .with_links(false);
    let mut s = String::new();
    if handler.render_report(&mut s, &e).is_err() {
        s = format!("error: {e}");
    }
    // miette ends some lines with a blank (`Error: ` before a related problem). Without
    // colour, no control character is meant to reach the terminal: whatever a message
    // still holds from a repository is shown escaped.
    let mut trimmed = String::with_capacity(s.len());
    for line in s.lines() {
        let line = line.trim_end_matches(' ');
        if color {
            trimmed.push_str(line);
        } else {
            trimmed.push_str(&report::escape::terminal(line));
        }
        trimmed.push('\n');
    }
    let _ = writeln!(err, "{trimmed}");
}
