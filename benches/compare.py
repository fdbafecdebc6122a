#!/usr/bin/env python3
"""Two archlint binaries side by side on one corpus, interleaved: A, B, A, B, ...

    benches/compare.py OLD_BIN NEW_BIN CORPUS [--runs N] [--threads T] [-- ARGS...]

Each round runs both binaries once, in an order that alternates from round to round,
so that a change in the machine's load falls on both. Prints the median and the
spread (min-max) of wall time and of CPU time (user + system, from wait4) per binary,
the CPUs used (CPU / wall), and the ratio of the medians. The check's arguments
default to the benchmark's: `check --profile comprehensive --format json --today
2026-11-21 .`, run in CORPUS; after `--`, your own (`.` is appended). Measures and prints;
asserts nothing. Output of each run goes to /dev/null; an exit code other than 0 or
1 stops the comparison.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time


def run_once(binary, args, env, cwd):
    start = time.perf_counter()
    proc = subprocess.Popen(
        [binary, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=cwd,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"{binary} exited {code}")
    return wall, usage.ru_utime + usage.ru_stime


def main():
    p = argparse.ArgumentParser()
    p.add_argument("old")
    p.add_argument("new")
    p.add_argument("corpus")
    p.add_argument("--runs", type=int, default=15)
    p.add_argument("--threads", type=int, default=0, help="RAYON_NUM_THREADS (0: unset)")
    p.add_argument("--warmup", type=int, default=2)
    argv = sys.argv[1:]
    rest = argv[argv.index("--") + 1 :] if "--" in argv else []
    a = p.parse_args(argv[: argv.index("--")] if "--" in argv else argv)
    args = rest or [
        "check",
        "--profile",
        "comprehensive",
        "--format",
        "json",
        "--today",
        "2026-11-21",
    ]
    # From the corpus's folder, as a user runs it there (its archlint.toml applies).
    args = [*args, "."]
    bins = {"old": os.path.abspath(a.old), "new": os.path.abspath(a.new)}
    env = dict(os.environ)
    if a.threads:
        env["RAYON_NUM_THREADS"] = str(a.threads)
    for _ in range(a.warmup):
        for b in bins.values():
            run_once(b, args, env, a.corpus)
    walls = {k: [] for k in bins}
    cpus = {k: [] for k in bins}
    for i in range(a.runs):
        order = ["old", "new"] if i % 2 == 0 else ["new", "old"]
        for k in order:
            w, c = run_once(bins[k], args, env, a.corpus)
            walls[k].append(w)
            cpus[k].append(c)
    print(f"# {a.runs} interleaved rounds, threads={a.threads or 'default'}, "
          f"machine CPUs={os.cpu_count()}, args: {' '.join(args[:-1])} CORPUS")
    print("| binary | wall median (min-max) | CPU median (min-max) | CPUs used |")
    print("| --- | --- | --- | --- |")
    for k in bins:
        wm, cm = statistics.median(walls[k]), statistics.median(cpus[k])
        print(
            f"| {k} `{bins[k]}` | {wm * 1000:.0f} ms ({min(walls[k]) * 1000:.0f}-"
            f"{max(walls[k]) * 1000:.0f}) | {cm * 1000:.0f} ms ({min(cpus[k]) * 1000:.0f}-"
            f"{max(cpus[k]) * 1000:.0f}) | {cm / wm:.2f} |"
        )
    ratio_w = statistics.median(walls["new"]) / statistics.median(walls["old"])
    ratio_c = statistics.median(cpus["new"]) / statistics.median(cpus["old"])
    print(f"\nnew/old: wall {ratio_w:.3f}, CPU {ratio_c:.3f}")


if __name__ == "__main__":
    main()
