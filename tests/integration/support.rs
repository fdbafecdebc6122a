//! Shared helpers: the one insta settings function, and running the binary.

use std::path::{Path, PathBuf};
use std::process::Output;

use chrono::NaiveDate;

/// The date every test treats as today.
pub const TODAY: &str = "2026-11-21";

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).expect("a valid date")
}

/// The repository root (where Cargo.toml is).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    root().join("tests").join("fixtures")
}

/// The insta settings every snapshot uses: snapshots live in `snapshots/`, without the
/// module prefix or the expression, and with temporary directories, the checkout
/// location and the version filtered out.
pub fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(root().join("snapshots"));
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    for dir in temp_roots() {
        // tempfile names its folders `.tmpXXXXXX`.
        s.add_filter(
            &format!(r"{}/\.tmp[A-Za-z0-9]+", regex::escape(&dir)),
            "[TEMP]",
        );
    }
    s.add_filter(&regex::escape(&root().display().to_string()), "[ROOT]");
    s.add_filter(
        &format!(r"\b{}\b", regex::escape(env!("CARGO_PKG_VERSION"))),
        "[VERSION]",
    );
    s
}

/// The system temporary folder as written and as resolved (`/var` vs `/private/var`).
fn temp_roots() -> Vec<String> {
    let tmp = std::env::temp_dir();
    let mut out = vec![tmp.display().to_string()];
    if let Ok(c) = tmp.canonicalize() {
        out.push(c.display().to_string());
    }
    for o in &mut out {
        while o.len() > 1 && o.ends_with('/') {
            o.pop();
        }
    }
    // Longest first, so `/private/var/...` is replaced before `/var/...`.
    out.sort_by_key(|s| std::cmp::Reverse(s.len()));
    out.dedup();
    out
}

/// One run of the binary, kept together for assertions and snapshots.
pub struct Run {
    pub args: Vec<String>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Args, exit code, stdout and stderr in one text, for snapshots.
    pub fn transcript(&self) -> String {
        format!(
            "args: {}\nexit: {}\n----- stdout -----\n{}----- stderr -----\n{}",
            self.args.join(" "),
            self.code,
            self.stdout,
            self.stderr
        )
    }

    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            code,
            "unexpected exit code\n{}",
            self.transcript()
        );
        self
    }

    /// The stdout of a `--format json` run.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e})\n{}", self.transcript()))
    }
}

/// Every format but `human`, by its `--format` name.
pub const MACHINE_FORMATS: &[&str] = &[
    "short",
    "json",
    "github",
    "sarif",
    "junit",
    "checkstyle",
    "gitlab",
    "rdjsonl",
];

/// `check --isolated ARGS ARCHITECTURE.md` on one document, `ARCHITECTURE.md` alone in
/// a folder.
pub fn check_alone(doc: &str, args: &[&str]) -> Run {
    let dir = tree(&[("ARCHITECTURE.md", doc)]);
    let args = [&["check", "--isolated"][..], args, &["ARCHITECTURE.md"]].concat();
    run_in(dir.path(), &args)
}

/// The `rule` findings of one document, `ARCHITECTURE.md` alone in a folder, checked
/// with `--isolated --profile PROFILE --format json --today 2026-11-21`: each as the
/// JSON object the report gives.
#[track_caller]
pub fn findings_of(doc: &str, profile: &str, rule: &str) -> Vec<serde_json::Value> {
    let run = check_alone(
        doc,
        &[
            "--profile",
            profile,
            "--format",
            "json",
            "--today",
            "2026-11-21",
        ],
    );
    let json = run.json();
    json["files"][0]["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["rule"] == rule)
        .cloned()
        .collect()
}

/// A finding's string field (`message`, `help`), or "".
pub fn text(d: &serde_json::Value, field: &str) -> String {
    d[field].as_str().unwrap_or_default().to_string()
}

/// A command for the binary with a clean, colourless environment.
/// No panic, and an exit code of SPEC's (0, 1 or 2).
#[track_caller]
pub fn sane(run: &Run) {
    assert!(
        !run.stderr.contains("panicked at") && !run.stdout.contains("panicked at"),
        "{}",
        run.transcript()
    );
    assert!([0, 1, 2].contains(&run.code), "{}", run.transcript());
}

pub fn archlint() -> assert_cmd::Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("archlint");
    cmd.env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("ARCHLINT_CONFIG")
        .env_remove("GIT_CEILING_DIRECTORIES")
        .env_remove("GITHUB_ACTIONS");
    cmd
}

/// Run the binary in `dir` with `args`.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    run_with(archlint().current_dir(dir), args, None)
}

/// Run the binary in `dir` with `args`, feeding `stdin`.
pub fn run_stdin(dir: &Path, args: &[&str], stdin: &[u8]) -> Run {
    run_with(archlint().current_dir(dir), args, Some(stdin))
}

pub fn run_with(cmd: &mut assert_cmd::Command, args: &[&str], stdin: Option<&[u8]>) -> Run {
    cmd.args(args);
    if let Some(input) = stdin {
        cmd.write_stdin(input.to_vec());
    }
    let out: Output = cmd.output().expect("the archlint binary runs");
    Run {
        args: args.iter().map(|s| s.to_string()).collect(),
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A temporary folder holding `files` (path → contents), created with their parents.
pub fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (path, text) in files {
        write(dir.path(), path, text.as_bytes());
    }
    dir
}

pub fn write(dir: &Path, path: &str, bytes: &[u8]) {
    let p = dir.join(path);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("create the parent folder");
    }
    std::fs::write(&p, bytes).expect("write the file");
}

/// What [`bounded`] measured of a run, from outside the process.
pub struct Bounded {
    pub run: Run,
    pub seconds: f64,
    /// Peak resident memory (`ru_maxrss`).
    pub peak_mib: u64,
}

/// The environment variable that turns [`spawn_measured`] on, naming its spec file.
#[cfg(unix)]
const SPAWN_SPEC: &str = "ARCHLINT_TEST_SPAWN_SPEC";

/// Run the binary in `dir` with `args` (and `stdin`, if any), killed after
/// `limit_secs`; asserts that it ended by itself within that time and under
/// `limit_mib` of peak resident memory, with no panic and an exit code of SPEC's.
/// Standard output and error go through files, so a huge report cannot block the run.
///
/// A process's `ru_maxrss` keeps the high-water mark of the memory it was started
/// from (`exec` takes the larger of the old and the new), and this test process
/// reaches hundreds of MiB while other tests run. So the binary is started by a fresh
/// copy of this test binary running only [`spawn_measured`], which is small, and
/// which measures it.
#[cfg(unix)]
#[track_caller]
pub fn bounded(
    dir: &Path,
    args: &[&str],
    stdin: Option<&[u8]>,
    limit_secs: u64,
    limit_mib: u64,
) -> Bounded {
    use std::os::unix::process::ExitStatusExt;
    use std::time::Instant;

    let scratch = tempfile::tempdir().expect("a temporary folder");
    let path = |name: &str| scratch.path().join(name);
    std::fs::write(path("stdin"), stdin.unwrap_or_default()).expect("write stdin");
    let mut spec: Vec<String> = vec![
        dir.display().to_string(),
        limit_secs.to_string(),
        if stdin.is_some() { "1" } else { "0" }.to_string(),
        path("stdin").display().to_string(),
        path("stdout").display().to_string(),
        path("stderr").display().to_string(),
        path("result").display().to_string(),
    ];
    spec.extend(args.iter().map(|a| a.to_string()));
    std::fs::write(path("spec"), spec.join("\0")).expect("write the spec");
    let start = Instant::now();
    let spawner = std::process::Command::new(std::env::current_exe().expect("this test binary"))
        .args([
            "--exact",
            "support::spawn_measured",
            "--test-threads",
            "1",
            "-q",
        ])
        .env(SPAWN_SPEC, path("spec"))
        .output()
        .expect("the test binary runs");
    let seconds = start.elapsed().as_secs_f64();
    let result = std::fs::read_to_string(path("result")).unwrap_or_else(|_| {
        panic!(
            "the spawner measured nothing: {}",
            String::from_utf8_lossy(&spawner.stdout)
        )
    });
    let fields: Vec<i64> = result
        .split_whitespace()
        .map(|f| f.parse().expect("a number"))
        .collect();
    let (status, killed, maxrss_kib) = (fields[0] as i32, fields[1] == 1, fields[2] as u64);
    let status = std::process::ExitStatus::from_raw(status);
    let read =
        |p: PathBuf| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    let run = Run {
        args: args.iter().map(|s| s.to_string()).collect(),
        code: status.code().unwrap_or(-1),
        stdout: read(path("stdout")),
        stderr: read(path("stderr")),
    };
    let peak_mib = maxrss_kib / 1024;
    assert!(
        !killed,
        "still running after {limit_secs} s: {}",
        args.join(" ")
    );
    assert!(
        peak_mib < limit_mib,
        "peak memory {peak_mib} MiB over {limit_mib} MiB: {}",
        args.join(" ")
    );
    sane(&run);
    Bounded {
        run,
        seconds,
        peak_mib,
    }
}

/// Not a test: the process [`bounded`] starts to run the binary and measure it. It
/// does nothing unless [`SPAWN_SPEC`] names a spec; then it runs the binary as the
/// spec says, kills it after the time limit, and writes its wait status, whether it
/// was killed, and its `ru_maxrss` (KiB) to the spec's result file.
#[cfg(unix)]
#[test]
fn spawn_measured() {
    use std::process::Stdio;
    use std::time::Duration;

    let Some(spec) = std::env::var_os(SPAWN_SPEC) else {
        return;
    };
    let spec = std::fs::read_to_string(spec).expect("read the spec");
    let fields: Vec<&str> = spec.split('\0').collect();
    let [dir, limit_secs, has_stdin, stdin_path, out_path, err_path, result_path, args @ ..] =
        &fields[..]
    else {
        panic!("a malformed spec: {spec:?}");
    };
    let limit_secs: u64 = limit_secs.parse().expect("a number of seconds");
    let archlint = assert_cmd::cargo::cargo_bin!("archlint");
    let mut cmd = std::process::Command::new(archlint);
    cmd.current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("ARCHLINT_CONFIG")
        .env_remove("GITHUB_ACTIONS")
        .env_remove(SPAWN_SPEC)
        .stdin(if *has_stdin == "1" {
            Stdio::from(std::fs::File::open(stdin_path).expect("open stdin"))
        } else {
            Stdio::null()
        })
        .stdout(std::fs::File::create(out_path).expect("create stdout"))
        .stderr(std::fs::File::create(err_path).expect("create stderr"));
    let child = cmd.spawn().expect("the archlint binary runs");
    let pid = child.id() as libc::pid_t;
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if done_rx
            .recv_timeout(Duration::from_secs(limit_secs))
            .is_err()
        {
            // SAFETY: kill only sends a signal; the pid is our child, not yet reaped.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            return true;
        }
        false
    });
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, with valid pointers to locals.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let _ = done_tx.send(());
    let killed = watchdog.join().unwrap_or(false);
    std::mem::forget(child);
    assert_eq!(waited, pid, "wait4 failed");
    std::fs::write(
        result_path,
        format!("{status} {} {}", u8::from(killed), usage.ru_maxrss),
    )
    .expect("write the result");
}
