//! `archlint check`: settings → files → profiles → lint in parallel → report → exit code.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;

use crate::cli::{CheckArgs, ColorChoice, Format};
use crate::document::source::SourceFile;
use crate::error::{Error, Result};
use crate::fs::repo::Repo;
use crate::input::config::{Config, RuleSettings};
use crate::input::discover::{self, Target};
use crate::lint::{run_rules, LintOptions};
use crate::profile::Profile;
use crate::report::{self, FileReport, Fixed, ReportCx, Summary, WarningsLimit};
use crate::{document::Document, input};

/// How a run ended: the exit code SPEC.md defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    Failed,
}

pub fn run(
    args: &CheckArgs,
    cwd: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome> {
    let config = if args.isolated {
        Config::default_in(cwd)
    } else {
        match config_path(args) {
            Some(path) => Config::load(&cwd.join(path))?,
            None => Config::discover(cwd)?,
        }
    };
    let today = parse_today(args.today.as_deref())?;

    // What to read: every named path must exist before anything is checked.
    let stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    if stdin && args.fix && !args.diff {
        return Err(Error::usage(
            "--fix cannot write standard input back; use --fix --diff to see its fixes",
        ));
    }
    let paths: Vec<PathBuf> = args
        .paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
        .collect();
    // With no path the working directory is walked, and finding nothing there may
    // pass if the configuration says so; a path the user named must yield documents.
    let implicit = paths.is_empty() && !stdin;
    let inputs = if implicit {
        discover::inputs(&[cwd.to_path_buf()], cwd)?
    } else {
        discover::inputs(&paths, cwd)?
    };

    // Each document goes through the whole pipeline on one thread (read, parse, choose
    // its profile, lint) and only its findings come back. Documents are found first,
    // then checked in their report order on every core, and each report is written
    // as soon as those before it are (see `ordered`): what a run holds at once is a
    // window of documents, whatever their number.
    let caches = Caches::new();
    let session = Session {
        args,
        config: &config,
        // The repository a configured profile name must stay inside: found once per
        // run, not once per document.
        config_root: config.path.as_deref().map(crate::fs::confine::root_of),
        caches: &caches,
        today,
        cwd,
    };
    let mut jobs: Vec<Job> = Vec::new();
    if stdin {
        let name = args
            .stdin_filename
            .clone()
            .unwrap_or_else(|| PathBuf::from("-"));
        let text = input::read_stdin(&name)?;
        jobs.push(Job::Stdin {
            path: cwd.join(&name),
            display: discover::display(&name, cwd),
            text,
        });
    }
    let lint = |job: Job| lint_job(job, &session);
    let mut targets = inputs.files;
    let mut walk_errors = Vec::new();
    for dir in &inputs.dirs {
        let found = Mutex::new(Vec::new());
        let walked = discover::walk(dir, &config, cwd, threads(), args.no_ignore, &|t| {
            lock(&found).push(t);
        });
        walk_errors.extend(walked.errors);
        for w in &walked.warnings {
            let _ = writeln!(err, "archlint: warning: {w}");
        }
        if walked.found == 0 && !(implicit && config.pass_with_no_documents) {
            walk_errors.push(discover::explain_empty(dir, &config, cwd, args.no_ignore));
        }
        targets.extend(found.into_inner().unwrap_or_else(|p| p.into_inner()));
    }
    // By path (a document named twice is checked once), then reported by name; an
    // unreadable document is named in path order.
    targets.sort_by_cached_key(Target::order_key);
    targets.dedup();
    jobs.extend(targets.into_iter().map(Job::File));
    let mut jobs: Vec<(usize, Job)> = jobs.into_iter().enumerate().collect();
    jobs.sort_by(|a, b| a.1.display().cmp(b.1.display()));

    // A broken profile in the command line or the configuration stops the run before
    // anything is written.
    if !jobs.is_empty() {
        preload(
            args,
            &config,
            session.config_root.as_deref(),
            cwd,
            &session.caches.profiles,
        )?;
    }

    let paths = report::Paths::detect(cwd);
    let color = use_color(args, out_is_terminal(args));
    let limit = warnings_limit(args);
    let no_sources = HashMap::new();
    let mut sources: HashMap<String, Arc<str>> = HashMap::new();
    let base = ReportCx {
        color,
        quiet: args.quiet,
        profile_sources: &no_sources,
        paths: &paths,
        unreadable: 0,
        warnings_limit: limit,
    };
    // The main format goes to standard output as it is written (a run with half a
    // million findings would otherwise hold hundreds of megabytes of human output), or
    // to --output; every --report file is written whole at the end (see atomic::write).
    let mut main = Sink::new(args.format, args.output.is_none());
    let mut files: Vec<Sink> = args
        .reports
        .iter()
        .map(|t| Sink::new(t.format, false))
        .collect();
    let mut stdout = std::io::BufWriter::with_capacity(64 * 1024, &mut *out);
    let mut io_errors: Vec<(usize, Error)> = Vec::new();
    let mut totals = Summary::default();
    // --fix: findings fixed and documents changed; with --diff, the diffs printed.
    let (mut fixed_findings, mut fixed_files) = (0usize, 0usize);
    if !args.diff {
        main.begin(&mut stdout, &base)?;
    }
    for f in &mut files {
        f.begin(
            &mut stdout,
            &ReportCx {
                color: false,
                ..base
            },
        )?;
    }
    crate::lint::ordered::map_in_order(
        jobs,
        threads(),
        WINDOW,
        |(i, job)| (i, lint(job)),
        |(i, r)| {
            match r {
                Ok(report) if args.diff => {
                    // --fix --diff: the diffs are the output.
                    if let Some(d) = &report.fixed.diff {
                        fixed_files += 1;
                        main.raw(&mut stdout, d.as_bytes())?;
                    }
                }
                Ok(report) => {
                    fixed_findings += report.fixed.findings;
                    fixed_files += usize::from(report.fixed.findings > 0);
                    totals.add(&report);
                    // The profiles' texts, for human output's "required by": copied
                    // when another profile has loaded, so that the cache stays free for
                    // the checking threads while this report is written.
                    {
                        let cache = lock(&session.caches.profiles);
                        if cache.sources.len() != sources.len() {
                            sources.clone_from(&cache.sources);
                        }
                    }
                    let cx = ReportCx {
                        profile_sources: &sources,
                        ..base
                    };
                    main.file(&mut stdout, &report, &cx)?;
                    for f in &mut files {
                        f.file(&mut stdout, &report, &ReportCx { color: false, ..cx })?;
                    }
                }
                Err(Failure::Input(e)) => io_errors.push((i, e)),
                // A broken profile or configuration stops the run: nothing checked is
                // trustworthy.
                Err(Failure::Fatal(e)) => return Err(e),
            }
            Ok(())
        },
    )?;
    io_errors.sort_by_key(|(i, _)| *i);
    let mut io_errors: Vec<Error> = walk_errors
        .into_iter()
        .chain(io_errors.into_iter().map(|(_, e)| e))
        .collect();
    // The main output is closed first, so that it is whole whatever happens to a
    // --report file; then each --report file is written.
    sources.clone_from(&lock(&session.caches.profiles).sources);
    let cx = ReportCx {
        profile_sources: &sources,
        unreadable: io_errors.len(),
        ..base
    };
    if !args.diff {
        main.end(&mut stdout, &totals, &cx)?;
    }
    if let Some(path) = &args.output {
        crate::fs::atomic::write(&cwd.join(path), &main.buffer)?;
    }
    if let Err(e) = stdout.flush() {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(Error::Write {
                path: "<stdout>".into(),
                source: e,
            });
        }
    }
    drop(stdout);
    for (target, f) in args.reports.iter().zip(&mut files) {
        let file_cx = ReportCx { color: false, ..cx };
        f.end(&mut std::io::sink(), &totals, &file_cx)?;
        // Replaced if it exists; its folder is created (atomic::write).
        crate::fs::atomic::write(&cwd.join(&target.path), &f.buffer)?;
    }

    // Every unreadable input is named once, in order; the last is the run's error,
    // which `run` renders.
    if let Some(last) = io_errors.pop() {
        for e in io_errors {
            crate::render_error(err, e);
        }
        return Err(last);
    }

    if args.diff {
        return Ok(if fixed_files > 0 && !args.exit_zero {
            Outcome::Failed
        } else {
            Outcome::Clean
        });
    }
    if args.fix && !args.quiet {
        let s = |n: usize| if n == 1 { "" } else { "s" };
        let _ = writeln!(
            err,
            "archlint: fixed {fixed_findings} finding{} in {fixed_files} file{}",
            s(fixed_findings),
            s(fixed_files)
        );
    }
    let failed = totals.errors > 0 || limit.exceeded(totals.warnings);
    if failed && !args.exit_zero {
        Ok(Outcome::Failed)
    } else {
        Ok(Outcome::Clean)
    }
}

/// How far past the oldest document not yet written a thread may start another: the
/// most documents (texts and findings) a run holds at once.
const WINDOW: usize = 128;

/// One output of the run: a format's writer, and where its bytes go.
struct Sink {
    stream: Box<dyn report::Stream>,
    /// Written to standard output as it comes; otherwise kept in `buffer`.
    to_stdout: bool,
    buffer: Vec<u8>,
    /// Standard output was closed by its reader: nothing more is written to it.
    closed: bool,
}

impl Sink {
    /// Bytes of no format (`--fix --diff`'s diffs), where the format's output goes.
    fn raw(&mut self, stdout: &mut dyn Write, bytes: &[u8]) -> Result<()> {
        self.put(stdout, |_, out| out.write_all(bytes))
    }

    fn new(format: Format, to_stdout: bool) -> Sink {
        Sink {
            stream: stream_for(format),
            to_stdout,
            buffer: Vec::new(),
            closed: false,
        }
    }

    fn begin(&mut self, stdout: &mut dyn Write, cx: &ReportCx<'_>) -> Result<()> {
        self.put(stdout, |s, out| s.begin(out, cx))
    }

    fn file(&mut self, stdout: &mut dyn Write, r: &FileReport, cx: &ReportCx<'_>) -> Result<()> {
        self.put(stdout, |s, out| s.file(out, r, cx))
    }

    fn end(&mut self, stdout: &mut dyn Write, totals: &Summary, cx: &ReportCx<'_>) -> Result<()> {
        self.put(stdout, |s, out| s.end(out, totals, cx))
    }

    fn put(
        &mut self,
        stdout: &mut dyn Write,
        write: impl FnOnce(&mut dyn report::Stream, &mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        if !self.to_stdout {
            return write(self.stream.as_mut(), &mut self.buffer).map_err(|source| Error::Write {
                path: "<report>".into(),
                source,
            });
        }
        if self.closed {
            return Ok(());
        }
        match write(self.stream.as_mut(), stdout) {
            Ok(()) => Ok(()),
            // A closed pipe (`| head`) is not an error worth a message; the run goes on
            // to its exit code.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            Err(source) => Err(Error::Write {
                path: "<stdout>".into(),
                source,
            }),
        }
    }
}

/// The profiles the command line and the configuration name, loaded (and so checked)
/// before any document: the ones a document could be checked with without naming its
/// own.
fn preload(
    args: &CheckArgs,
    config: &Config,
    config_root: Option<&Path>,
    cwd: &Path,
    profiles: &Mutex<ProfileCache>,
) -> Result<()> {
    match args.profile.as_deref() {
        Some(p) if p != "auto" => {
            lock(profiles).get(p, cwd, None)?;
        }
        _ => {
            let configured = config
                .profile
                .iter()
                .chain(config.overrides.iter().filter_map(|o| o.profile.as_ref()));
            for p in configured.filter(|p| *p != "auto") {
                lock(profiles).get(p, &config.base, config_root)?;
            }
        }
    }
    Ok(())
}

fn stream_for(format: Format) -> Box<dyn report::Stream> {
    match format {
        Format::Human => Box::new(report::human::Stream::default()),
        Format::Short => Box::new(report::short::Stream),
        Format::Json => Box::new(report::json::Stream::default()),
        Format::Github => Box::new(report::github::Stream),
        Format::Sarif => Box::new(report::sarif::Stream::default()),
        Format::Junit => Box::new(report::junit::Stream::default()),
        Format::Checkstyle => Box::new(report::checkstyle::Stream),
        Format::Gitlab => Box::new(report::gitlab::Stream::default()),
        Format::Rdjsonl => Box::new(report::rdjsonl::Stream),
    }
}

/// `--deny-warnings` is the stricter of the two limits.
fn warnings_limit(args: &CheckArgs) -> WarningsLimit {
    match (args.deny_warnings, args.max_warnings) {
        (true, _) => WarningsLimit::Deny,
        (false, Some(m)) => WarningsLimit::Max(m),
        (false, None) => WarningsLimit::None,
    }
}

/// `--config`, else `ARCHLINT_CONFIG`. An empty variable counts as unset: a CI
/// runner sets every declared input, given or not, and an empty one means "none".
fn config_path(args: &CheckArgs) -> Option<PathBuf> {
    args.config.clone().or_else(|| {
        std::env::var_os("ARCHLINT_CONFIG")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    })
}

/// `--today`, or the system date.
pub fn parse_today(arg: Option<&str>) -> Result<NaiveDate> {
    match arg {
        Some(t) => NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| Error::Usage {
            message: format!("`--today {t}` is not a date"),
            help: Some("write it as YYYY-MM-DD, e.g. 2026-11-21".into()),
        }),
        None => Ok(chrono::Local::now().date_naive()),
    }
}

/// One document to check.
enum Job {
    File(Target),
    Stdin {
        path: PathBuf,
        display: String,
        text: String,
    },
}

impl Job {
    /// The name the report shows.
    fn display(&self) -> &str {
        match self {
            Job::File(t) => &t.display,
            Job::Stdin { display, .. } => display,
        }
    }
}

/// Why a document produced no report.
enum Failure {
    /// This document could not be read: reported, and the run exits 2 at the end.
    Input(Error),
    /// The profile or configuration is broken: the run stops.
    Fatal(Error),
}

/// What the documents of one run share: the arguments and configuration, and the
/// caches the run owns (resolved profiles; what the file system said about the paths
/// documents name), dropped with the run.
struct Session<'a> {
    args: &'a CheckArgs,
    config: &'a Config,
    config_root: Option<PathBuf>,
    caches: &'a Caches,
    today: NaiveDate,
    cwd: &'a Path,
}

/// What checks keep between documents: the profiles loaded, the repository's
/// file-system facts, and the built-ins `--profile auto` weighs. A run makes one; a
/// long-lived caller (the language server) keeps one and replaces it when files on
/// disk change.
pub struct Caches {
    profiles: Mutex<ProfileCache>,
    repo_fs: Arc<crate::fs::repo::RepoFs>,
    builtins: crate::profile::auto::Builtins,
}

impl Caches {
    pub fn new() -> Caches {
        Caches {
            profiles: Mutex::new(ProfileCache::default()),
            repo_fs: Arc::new(crate::fs::repo::RepoFs::new()),
            builtins: Default::default(),
        }
    }
}

impl Default for Caches {
    fn default() -> Caches {
        Caches::new()
    }
}

/// Checks `text` as the document at `path` (absolute), as `archlint check` with
/// `args` and `config` in `cwd` would check that file: the text an editor holds
/// rather than what is on disk. A broken profile is an error; `--fix` is not applied.
pub fn check_text(
    args: &CheckArgs,
    config: &Config,
    caches: &Caches,
    cwd: &Path,
    path: &Path,
    text: String,
) -> Result<FileReport> {
    let session = Session {
        args,
        config,
        config_root: config.path.as_deref().map(crate::fs::confine::root_of),
        caches,
        today: parse_today(args.today.as_deref())?,
        cwd,
    };
    let job = Job::Stdin {
        path: path.to_path_buf(),
        display: discover::display(path, cwd),
        text,
    };
    match lint_job(job, &session) {
        Ok(report) => Ok(report),
        Err(Failure::Input(e) | Failure::Fatal(e)) => Err(e),
    }
}

fn lint_job(job: Job, session: &Session<'_>) -> std::result::Result<FileReport, Failure> {
    let Session {
        args,
        config,
        ref config_root,
        caches,
        today,
        cwd,
    } = *session;
    let Caches {
        profiles,
        repo_fs,
        builtins,
    } = caches;
    // A byte order mark is not the document's text (SourceFile drops it), but a fix
    // writes it back.
    let (path, source, from_stdin, bom) = match job {
        Job::File(t) => {
            let text = input::read_text(&t.path).map_err(Failure::Input)?;
            let bom = text.starts_with('\u{feff}');
            (t.path, SourceFile::new(t.display, text), false, bom)
        }
        Job::Stdin {
            path,
            display,
            text,
        } => (path, SourceFile::new(display, text), true, false),
    };
    let doc = Document::parse(&source);

    let rel = crate::fs::syspath::strip(&path, &config.base).unwrap_or(&path);
    let mut settings = config.rules.clone();
    let mut configured = config.profile.clone();
    for o in &config.overrides {
        if o.files.is_match(rel) {
            settings = settings.merged(&o.rules);
            if o.profile.is_some() {
                configured = o.profile.clone();
            }
        }
    }
    let declared = crate::profile::choice::declared(&source, &doc);
    let mut note = None;
    let mut from_document = None;
    let mut choice = match args.profile.as_deref() {
        Some(p) if p != "auto" => p.to_string(),
        explicit => match declared {
            Some(d) => {
                let name = d.name.clone();
                from_document = Some(d);
                name
            }
            None => configured.unwrap_or_else(|| explicit.unwrap_or("core").into()),
        },
    };
    let mut repo = Repo::with_fs(&path, Arc::clone(repo_fs));
    repo.marked_collection = config.is_collection(&repo.doc_dir);
    let auto_chosen = choice == "auto";
    if auto_chosen {
        let (name, why) = crate::profile::auto::pick(&source, &doc, today, Some(&repo), builtins);
        note = Some(format!("profile `{name}` chosen by --profile auto: {why}"));
        choice = name;
    }
    // A profile named on the command line resolves against the working directory; one
    // named in a configuration or a document, against the configuration's folder, and
    // must stay inside the repository of the file that names it.
    let (base, root) = if args.profile.as_deref() == Some(&choice) {
        (cwd.to_path_buf(), None)
    } else if from_document.is_some() {
        (
            config.base.clone(),
            Some(crate::fs::confine::root_of(&path)),
        )
    } else {
        (config.base.clone(), config_root.clone())
    };
    let loaded = lock(profiles).get(&choice, &base, root.as_deref());
    let mut profile = match (loaded, from_document) {
        (Ok(p), _) => p,
        // The document's own choice is broken: an error for this document, at the
        // line that makes the choice; the run goes on and exits 2.
        (Err(cause), Some(d)) => {
            let at = source.locate(d.span.start);
            return Err(Failure::Input(Error::DocumentProfile {
                file: crate::report::escape::terminal(&source.name).into_owned(),
                line: at.line,
                column: at.column,
                name: crate::report::escape::terminal(&d.name).into_owned(),
                cause: Box::new(cause),
            }));
        }
        // A profile from the command line or the configuration is broken: nothing
        // checked with it would be trustworthy, so the run stops.
        (Err(e), None) => return Err(Failure::Fatal(e)),
    };

    let opts = options(today, &settings, args);
    let found = run_rules(&source, &doc, &profile, &opts, Some(&repo));
    drop(doc);
    let mut diagnostics = found.finish(&source);
    let mut fixed = Fixed::default();
    let mut source = source;
    if args.fix {
        let allowed = crate::lint::fix::Allowed {
            dates: args.fix_dates,
        };
        let before = source.text().to_owned();
        // With --profile auto, the choice is made again on the fixed text: the sections
        // a fix adds can make it follow a larger template, whose fixes are then made
        // too, so that a second --fix finds nothing to do.
        for _ in 0..=crate::profile::BUILTIN.len() {
            let lint = |s: &SourceFile| {
                run_rules(s, &Document::parse(s), &profile, &opts, Some(&repo)).finish(s)
            };
            let (s, d, n) = crate::lint::fix::until_stable(source, diagnostics, &lint, allowed);
            (source, diagnostics) = (s, d);
            fixed.findings += n;
            if !auto_chosen || n == 0 {
                break;
            }
            let doc = Document::parse(&source);
            let (name, why) =
                crate::profile::auto::pick(&source, &doc, today, Some(&repo), builtins);
            if name == profile.name {
                break;
            }
            profile = lock(profiles)
                .get(&name, &base, root.as_deref())
                .map_err(Failure::Fatal)?;
            note = Some(format!(
                "profile `{name}` chosen by --profile auto after fixes: {why}"
            ));
            diagnostics = run_rules(&source, &doc, &profile, &opts, Some(&repo)).finish(&source);
        }
        if source.text() != before {
            if args.diff {
                fixed.diff = Some(crate::lint::fix::diff(&source.name, &before, source.text()));
            } else if !from_stdin {
                let mark = if bom { "\u{feff}" } else { "" };
                write_fixed(
                    &path,
                    &format!("{mark}{before}"),
                    &format!("{mark}{}", source.text()),
                )
                .map_err(Failure::Input)?;
            }
        }
    }
    let source = if diagnostics.is_empty() {
        SourceFile::new(source.name, String::new())
    } else {
        source
    };
    Ok(FileReport {
        source: Arc::new(source),
        profile: profile.name.clone(),
        profile_note: note,
        diagnostics,
        fixed,
    })
}

/// Writes a document's fixed text over it, unless it changed on disk since it was
/// read (another tool, an editor): then nothing is written and the run says so. The
/// write replaces the file atomically and keeps its permissions (`fs::atomic`).
fn write_fixed(path: &Path, before: &str, after: &str) -> Result<()> {
    let now = input::read_text(path)?;
    if now != before {
        return Err(Error::WriteRefused {
            path: path.to_path_buf(),
            reason: "it changed on disk while archlint was fixing it".into(),
            help: Some("run archlint --fix again".into()),
        });
    }
    crate::fs::atomic::write(path, after.as_bytes())
}

fn options(today: NaiveDate, settings: &RuleSettings, args: &CheckArgs) -> LintOptions {
    LintOptions {
        today,
        levels: settings.levels.clone(),
        options: settings.options.clone(),
        report_unused_suppressions: args.report_unused_suppressions,
    }
}

/// Profiles are loaded, resolved and compiled once per run.
#[derive(Default)]
struct ProfileCache {
    loaded: HashMap<(String, PathBuf, Option<PathBuf>), Arc<Profile>>,
    sources: HashMap<String, Arc<str>>,
}

impl ProfileCache {
    /// The profile `name`, resolved against `base`; with a `root`, a file it names
    /// must lie inside that repository root (see [`Profile::load_in_repository`]).
    fn get(&mut self, name: &str, base: &Path, root: Option<&Path>) -> Result<Arc<Profile>> {
        let key = (
            name.to_string(),
            base.to_path_buf(),
            root.map(Path::to_path_buf),
        );
        if let Some(p) = self.loaded.get(&key) {
            return Ok(p.clone());
        }
        let p = Arc::new(match root {
            Some(root) => Profile::load_in_repository(name, base, root)?,
            None => Profile::load(name, base)?,
        });
        for layer in &p.layers {
            self.sources
                .entry(layer.0.clone())
                .or_insert_with(|| layer.1.clone());
        }
        self.loaded.insert(key, p.clone());
        Ok(p)
    }
}

/// Threads to walk folders and check documents on: one per core, or
/// `RAYON_NUM_THREADS` when set (the variable the benchmarks and users already set for
/// this, kept when the thread pool stopped being rayon's).
fn threads() -> usize {
    std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// A poisoned lock only means another worker panicked, which ends the process.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn out_is_terminal(args: &CheckArgs) -> bool {
    args.output.is_none() && std::io::stdout().is_terminal()
}

/// CONVENTIONS 8.5: the flag, then the environment and the destination.
fn use_color(args: &CheckArgs, terminal: bool) -> bool {
    if !args.format.may_use_color() {
        return false;
    }
    match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => crate::report::color::from_env(terminal),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test fails by panicking
mod tests {
    use super::*;

    /// A document that changed on disk after archlint read it (an editor saved it, a
    /// formatter ran) is not overwritten with fixes made to the old text.
    #[test]
    fn a_document_changed_underneath_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ARCHITECTURE.md");
        std::fs::write(&path, "# Edited meanwhile\n").unwrap();
        let refused = write_fixed(&path, "# As read\n", "# As read\n\n## Overview\n");
        assert!(
            matches!(&refused, Err(Error::WriteRefused { reason, .. }) if reason.contains("changed on disk")),
            "{refused:?}"
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "# Edited meanwhile\n"
        );
        write_fixed(&path, "# Edited meanwhile\n", "# Fixed\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "# Fixed\n");
    }
}
