use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

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
    // panic on a thread checking a document would. No input can reach a panic on purpose.
    let test_panic = std::env::var_os("ARCHLINT_TEST_PANIC");
    if test_panic.as_ref().is_some_and(|v| v == "1") {
        panic!("ARCHLINT_TEST_PANIC=1 asked for a panic");
    }
    let stdout_closed = STDOUT_CLOSED.load(Ordering::Relaxed);
    let cli = match archlint::cli::Cli::parse_args(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => {
            let _ = e.print();
            return ExitCode::from(archlint::EXIT_ERROR);
        }
        // `--help` and `--version`, on standard output: a failed write is an error.
        Err(e) => {
            let printed = if stdout_closed {
                Err(closed_stdout())
            } else {
                e.print().and_then(|()| std::io::stdout().flush())
            };
            return ExitCode::from(match printed {
                Err(source) if source.kind() != std::io::ErrorKind::BrokenPipe => {
                    write_failed(source)
                }
                _ => archlint::EXIT_OK,
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
    // The language server writes standard output from its own thread, which the lock
    // below would block.
    if matches!(cli.command, archlint::cli::Command::Server) {
        return ExitCode::from(match archlint::commands::server::run() {
            Ok(()) => archlint::EXIT_OK,
            Err(e) => {
                archlint::render_error(&mut std::io::stderr(), e);
                archlint::EXIT_ERROR
            }
        });
    }
    let mut out = Stdout {
        closed: stdout_closed,
        inner: std::io::stdout().lock(),
    };
    // Not locked for the whole run: the panic hook writes to stderr from whichever
    // thread panicked, and would wait forever for a lock the main thread holds.
    let mut err = std::io::stderr();
    if test_panic.is_some_and(|v| v == "thread") {
        let _ =
            std::thread::spawn(|| panic!("ARCHLINT_TEST_PANIC=thread asked for a panic")).join();
    }
    let mut code = archlint::run(cli, &cwd, &mut out, &mut err);
    // What `run` left in the line buffer (text without a final newline). A run that
    // already failed has said why; a closed pipe (`| head`) is no error.
    if let Err(source) = out.flush() {
        if code != archlint::EXIT_ERROR && source.kind() != std::io::ErrorKind::BrokenPipe {
            code = write_failed(source);
        }
    }
    ExitCode::from(code)
}

/// Render a failed write to standard output; the exit code for it.
fn write_failed(source: std::io::Error) -> u8 {
    archlint::render_error(
        &mut std::io::stderr(),
        archlint::error::Error::Write {
            path: "<stdout>".into(),
            source,
        },
    );
    archlint::EXIT_ERROR
}

/// Whether standard output was closed when the process started (`archlint … >&-`).
/// Rust's runtime opens `/dev/null` on a closed standard descriptor before `main`
/// runs, after which every write "succeeds" and a report is lost without a word; so
/// this is recorded earlier, by a constructor that the loader runs before the runtime
/// starts (ELF `.init_array`, Mach-O `__mod_init_func`). Elsewhere it stays false.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

#[cfg(unix)]
extern "C" fn record_closed_stdout() {
    // SAFETY: F_GETFD only asks whether descriptor 1 is open; it fails only with EBADF.
    if unsafe { libc::fcntl(libc::STDOUT_FILENO, libc::F_GETFD) } == -1 {
        STDOUT_CLOSED.store(true, Ordering::Relaxed);
    }
}

#[cfg(all(unix, not(target_vendor = "apple")))]
#[used]
#[link_section = ".init_array"]
static RECORD_CLOSED_STDOUT: extern "C" fn() = record_closed_stdout;

#[cfg(target_vendor = "apple")]
#[used]
#[link_section = "__DATA,__mod_init_func"]
static RECORD_CLOSED_STDOUT: extern "C" fn() = record_closed_stdout;

fn closed_stdout() -> std::io::Error {
    std::io::Error::other("standard output is closed")
}

/// Standard output, where every write fails if it was closed at start (see
/// [`STDOUT_CLOSED`]): the report is then an I/O error (exit 2), not silently lost.
struct Stdout<'a> {
    closed: bool,
    inner: std::io::StdoutLock<'a>,
}

impl Write for Stdout<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.closed {
            return Err(closed_stdout());
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.closed {
            return Ok(());
        }
        self.inner.flush()
    }
}
