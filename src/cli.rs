//! Command-line types only; no I/O.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "archlint",
    version,
    about = "Lint architecture documents (ARCHITECTURE.md) against declarative rule sets",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// The command line parsed as [`Parser::try_parse_from`] does, with an error safe
    /// to print: clap quotes the argument it could not take as it is, and a file name
    /// passed without `--` (`archlint check $(git ls-files)`) may hold a newline and a
    /// workflow command or an escape sequence. When an argument holds a character a
    /// terminal would interpret, the error is that of the same arguments shown escaped.
    pub fn parse_args<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
        let e = match Cli::try_parse_from(&args) {
            Ok(cli) => return Ok(cli),
            Err(e) => e,
        };
        let shown: Vec<String> = args
            .iter()
            .map(|a| crate::report::escape::terminal(&a.to_string_lossy()).into_owned())
            .collect();
        if !e.use_stderr() || args.iter().zip(&shown).all(|(a, s)| a == s.as_str()) {
            return Err(e);
        }
        Err(match Cli::try_parse_from(&shown) {
            Err(escaped) if escaped.kind() == e.kind() => escaped,
            // The escaped arguments fail otherwise, or not at all: clap's kind of
            // error alone, without the argument.
            _ => {
                let mut cmd = <Cli as clap::CommandFactory>::command();
                cmd.error(e.kind(), e.kind().as_str().unwrap_or("invalid arguments"))
            }
        })
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check documents against a profile.
    Check(CheckArgs),
    /// List every rule with its default severity.
    Rules,
    /// Show a rule's documentation.
    Explain {
        /// A rule id, e.g. `missing-section`.
        rule: String,
    },
    /// List the built-in profiles.
    Profiles,
    /// Work with profiles.
    Profile {
        #[command(subcommand)]
        command: ProfileCommand,
    },
    /// Write a skeleton document for a profile.
    Init(InitArgs),
    /// Print the JSON Schema of archlint.toml or of a profile (rule set).
    Schema {
        #[arg(value_enum)]
        kind: SchemaKind,
    },
    /// Run the Language Server Protocol on standard input and output, for editors.
    Server,
}

/// Which file a JSON Schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// `archlint.toml`.
    Config,
    /// A profile (rule set) TOML file, such as those in `rules/`.
    Profile,
}

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Print the fully resolved rule set as TOML.
    Show {
        /// A built-in profile name or a path to a TOML file.
        name: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    // Plain comments, not doc comments: with per-value help, clap switches `check
    // --help` to its long layout.
    // Source snippets with labels and help, for people.
    Human,
    // `path:line:column: severity: message [rule]`, for editors and problem matchers.
    Short,
    // archlint's versioned JSON document.
    Json,
    // GitHub Actions workflow commands (pull-request annotations).
    Github,
    // SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    // JUnit XML, one test suite per file.
    Junit,
    // Checkstyle 4.3 XML.
    Checkstyle,
    // GitLab Code Quality JSON.
    Gitlab,
    // reviewdog diagnostics, one JSON object per line.
    Rdjsonl,
}

impl Format {
    /// Machine formats never carry colour, whatever the flags say.
    pub fn may_use_color(self) -> bool {
        self == Format::Human
    }
}

/// `--report FORMAT=PATH`: another report of the same run, written to a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportTarget {
    pub format: Format,
    pub path: PathBuf,
}

impl std::str::FromStr for ReportTarget {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let Some((format, path)) = s.split_once('=') else {
            return Err("expected FORMAT=PATH, e.g. `sarif=archlint.sarif`".into());
        };
        let format = Format::from_str(format, false).map_err(|_| {
            let names: Vec<String> = Format::value_variants()
                .iter()
                .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_string()))
                .collect();
            format!("unknown format `{format}` (one of: {})", names.join(", "))
        })?;
        if path.is_empty() {
            return Err(format!("no path after `{s}`"));
        }
        Ok(ReportTarget {
            format,
            path: PathBuf::from(path),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check; `-` reads standard input. Default: the
    /// configured includes under the current directory.
    pub paths: Vec<PathBuf>,

    /// A built-in profile name, a path to a profile TOML file, or `auto` to pick one
    /// per document from its headings (a document's own choice still wins).
    #[arg(long, value_name = "NAME|FILE|auto")]
    pub profile: Option<String>,

    /// Use this configuration file instead of searching for one. Also read from
    /// `ARCHLINT_CONFIG` when that is set and not empty.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Ignore every configuration file.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,

    /// Also check documents in folders that .gitignore, .ignore or
    /// .git/info/exclude leave out.
    #[arg(long)]
    pub no_ignore: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Write the report to a file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Also write the findings in FORMAT to PATH (repeatable), e.g.
    /// `--report sarif=archlint.sarif`. The file is replaced if it exists.
    #[arg(long = "report", value_name = "FORMAT=PATH")]
    pub reports: Vec<ReportTarget>,

    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,

    /// Fail when there are more than N warnings.
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,

    /// Exit 0 even when findings would fail the run (errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,

    /// Print findings only: no summary line.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// When to use colour in human output (other formats never use it).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// The path to report for standard input (and to resolve references against).
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,

    /// The date to use as today for date rules (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,

    /// Also report suppression comments that suppress nothing.
    #[arg(long)]
    pub report_unused_suppressions: bool,

    /// Write the fixes findings carry into the documents (a missing section or field
    /// as its heading or label with a placeholder to fill in, a heading's level, a
    /// misspelt section title, with --report-unused-suppressions an unused
    /// suppression), then report what remains.
    #[arg(long)]
    pub fix: bool,

    /// With --fix: print each document's fixes as a unified diff instead of writing
    /// them; exit 1 when a document would change.
    #[arg(long, requires = "fix")]
    pub diff: bool,

    /// With --fix: also write today's date (or --today) where the profile requires a
    /// last-updated date and none is written. A date is a claim that someone reviewed
    /// the document, so it is never written without this flag.
    #[arg(long, requires = "fix")]
    pub fix_dates: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The profile to write a skeleton for (a built-in name or a TOML file).
    #[arg(long, default_value = "core", value_name = "NAME|FILE")]
    pub profile: String,
    /// Where to write it (default: docs/ARCHITECTURE.md).
    pub path: Option<PathBuf>,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
    /// The date to write as last updated (YYYY-MM-DD; default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
}
