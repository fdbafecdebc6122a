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
    Human,
    Short,
    Json,
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

    /// A built-in profile name or a path to a profile TOML file.
    #[arg(long, value_name = "NAME|FILE")]
    pub profile: Option<String>,

    /// Use this configuration file instead of searching for one.
    #[arg(long, value_name = "FILE", env = "ARCHLINT_CONFIG")]
    pub config: Option<PathBuf>,

    /// Ignore every configuration file.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Write the report to a file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

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

    /// When to use colour in human and short output.
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
