#!/usr/bin/env bash
# What `doc-drift` costs on a long history: a generated repository of 10,000 commits
# (benches/gen_history.py: 2,000 source files, three changed per day, a merge every
# fiftieth commit) whose 20 documents reference 20 files each and are dated a tenth of
# the way into the history, so the walk reads nine tenths of it.
#
#   benches/drift.sh [--commits N] [--runs N]
#
# Times `archlint check docs/` with `doc-drift` on and off, interleaved, and prints the
# medians of wall time and of CPU time, the CPUs used, and the findings. The history
# is read once per run, so the difference is the walk (about 9,000 tree diffs here).
# Prints; asserts nothing.
#
# Environment:
#   ARCHLINT_BIN   measure this binary instead of building one (cargo build --release)
set -euo pipefail

# shellcheck source=benches/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
COMMITS=10000
RUNS=11
while [[ $# -gt 0 ]]; do
    case "$1" in
        --commits) COMMITS="$2"; shift ;;
        --runs) RUNS="$2"; shift ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) echo "drift.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done

BIN="$(release_bin)"
REPO="$OUT/history-$COMMITS"
if [[ ! -d "$REPO/.git" ]]; then
    rm -rf "$REPO"
    python3 "$BENCH/gen_history.py" "$REPO" --commits "$COMMITS"
fi
CONF="$OUT/drift-config"
mkdir -p "$CONF"
printf 'include = ["**/*.md"]\n[rules]\ndoc-drift = "warning"\n' >"$CONF/on.toml"
printf 'include = ["**/*.md"]\n[rules]\ndoc-drift = "off"\n' >"$CONF/off.toml"

python3 - "$BIN" "$REPO" "$CONF" "$RUNS" <<'PY'
import json, os, resource, statistics, subprocess, sys, time
bin_, repo, conf, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

def run(mode):
    cmd = [bin_, "check", "--config", f"{conf}/{mode}.toml", "--profile", "core",
           "--format", "json", "--today", "2026-12-01", "docs/"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    out = subprocess.run(cmd, cwd=repo, capture_output=True, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert out.returncode in (0, 1), out.stderr
    found = sum(d["rule"] == "doc-drift" for f in json.loads(out.stdout)["files"] for d in f["diagnostics"])
    return wall, cpu, found

res = {"on": [], "off": []}
for _ in range(runs):
    for mode in ("on", "off"):
        res[mode].append(run(mode))
commits = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=repo, capture_output=True, text=True).stdout.strip()
print(f"repository: {repo} ({commits} commits on HEAD's line and its merges), {runs} interleaved runs, {os.cpu_count()} CPUs")
print("| doc-drift | wall (median) | CPU (median) | CPUs used | doc-drift findings |")
print("| --- | ---: | ---: | ---: | ---: |")
for mode in ("on", "off"):
    w = statistics.median(r[0] for r in res[mode]); c = statistics.median(r[1] for r in res[mode])
    print(f"| {mode} | {w*1000:.1f} ms | {c*1000:.1f} ms | {c/w:.2f} | {res[mode][0][2]} |")
PY
