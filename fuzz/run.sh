#!/usr/bin/env bash
# Run one fuzz target for a while: `fuzz/run.sh TARGET SECONDS [extra libFuzzer flags]`.
# TARGET is document, profile, mermaid or command. Not part of CI.
#
# cargo-fuzz wants a nightly compiler for `-Zsanitizer`; RUSTC_BOOTSTRAP=1 lets the
# stable toolchain accept those flags. Runs at the lowest priority on one core, seeds
# the corpus from the fixtures first, and keeps the log in fuzz/logs/. The timeout is
# generous because a niced process on a busy machine can wait seconds for a core;
# `command` runs small trees (a few milliseconds each), so 10 s there is still a hang.
set -euo pipefail
cd -- "$(dirname -- "${BASH_SOURCE[0]}")"
target="${1:?usage: fuzz/run.sh TARGET SECONDS}"
seconds="${2:?usage: fuzz/run.sh TARGET SECONDS}"
shift 2
./seed.sh >/dev/null
mkdir -p logs artifacts/"$target"
timeout=60
if [ "$target" = command ]; then timeout=10; fi
export RUSTC_BOOTSTRAP=1
log="logs/$target-$(date -u +%Y%m%dT%H%M%SZ).log"
echo "fuzzing $target for ${seconds}s; log: fuzz/$log"
nice -n 19 cargo fuzz run -O -s none "$target" corpus/"$target" -- \
  -max_total_time="$seconds" \
  -timeout="$timeout" \
  -rss_limit_mb=4096 \
  -max_len=65536 \
  -print_final_stats=1 \
  "$@" 2>&1 | tee "$log"
