//! Attacks a pull-request author can make with repository content alone (documents,
//! file names, symlinks, `archlint.toml`, profiles), each written out as one test
//! against the release-shaped binary, with its time and memory bounded from outside
//! the process (`bounded`). The promise they hold archlint to is SPEC.md's "Running on
//! untrusted content" and the threat model in docs/ARCHITECTURE.md.
//!
//! - `references`: `dead-reference` never reads, probes or suggests outside the
//!   repository, and never blocks on a FIFO or a device.
//! - `reads`: every read is bounded (standard input, files that report no size).
//! - `writes`: `--output`, `--report` and `init` never replace what is not a regular
//!   file and never clobber without `--force`.
//! - `profiles`: a document, `archlint.toml` or `extends` cannot make archlint read or
//!   print a file outside the repository.
//! - `output`: names and text cannot forge workflow commands or reach the terminal raw.
//! - `work`: work and output stay bounded by the input's size.

mod output;
mod profiles;
mod reads;
mod references;
mod work;
mod writes;
