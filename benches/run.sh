#!/usr/bin/env bash
# archlint's benchmark: archlint against the comrak floors and the peers, side by side,
# on generated corpora. Measures and prints; asserts nothing about timings.
#
#   benches/run.sh            full run: 1,000 and 10,000 documents, the shapes users have
#                             (finding-heavy, flat folders, an ADR folder, a repository of
#                             10,000 referenced files), one 5 MB document, linearity at 1, 2
#                             and 5 MB, latency of one 15 KB document
#   benches/run.sh --quick    smoke run: 100 documents, one 1 MB document, linearity at
#                             0.25, 0.5 and 1 MB, latency with fewer runs
#
# Options:
#   --runs N        rounds, each a warm-up and one timed run per command (default 5)
#   --slow-runs N   rounds of markdownlint-cli2 on the 10,000-document corpus, no warm-up
#                   besides the verification run (default 2; one run takes minutes)
#   --report-only   measure nothing: rebuild the results file from benches/out/runs/
#   --only NAME     only this corpus (docs-1k, docs-10k, single-5mb, linearity, latency,
#                   shapes, or one shape: native-1k, flat-1k, flat-10k, adr-500,
#                   repo-10k-files; quick names: docs-100, single-1mb, native-100, ...)
# Environment:
#   ARCHLINT_BIN    use this archlint binary instead of building one
#
# Output: benches/out/results.md, hyperfine JSON and the single runs' output under
# benches/out/runs/<corpus>/ (results-quick.md and runs-quick/ for --quick).
set -euo pipefail
# shellcheck source=benches/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

QUICK=0
RUNS=5
SLOW_RUNS=2
ONLY=""
REPORT_ONLY=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) QUICK=1 ;;
        --runs) RUNS="$2"; shift ;;
        --slow-runs) SLOW_RUNS="$2"; shift ;;
        --only) ONLY="$2"; shift ;;
        --report-only) REPORT_ONLY=1 ;;
        -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done

say() { printf '\n== %s\n' "$*" >&2; }

# ---- tools ------------------------------------------------------------------------
if [[ $REPORT_ONLY == 0 ]]; then
    need_apt hyperfine hyperfine
    [[ -x /usr/bin/time ]] || need_apt /usr/bin/time time

    mkdir -p "$OUT/bin" "$OUT/corpus"
    if [[ -z "${ARCHLINT_BIN:-}" ]]; then
        say "building archlint (release)"
        (cd "$ROOT" && cargo build --release --locked)
        # A copy, so that a rebuild in the work tree during the run cannot swap the binary.
        cp "${CARGO_TARGET_DIR:-$ROOT/target}/release/archlint" "$OUT/bin/archlint"
        (cd "$ROOT" && echo "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src Cargo.toml Cargo.lock rules || echo ' plus uncommitted changes in src/ or rules/')") >"$OUT/bin/archlint.commit"
    fi
    say "building the floor (release)"
    cargo build --release --locked --quiet --manifest-path "$BENCH/floor/Cargo.toml" --target-dir "$BENCH/floor/target"
    cargo build --release --locked --quiet --features mimalloc --manifest-path "$BENCH/floor/Cargo.toml" --target-dir "$BENCH/floor/target-mimalloc"
    say "peers"
    install_peers
fi

# ---- corpora ----------------------------------------------------------------------
corpus() { # corpus NAME GENERATOR-ARGS...: generate once, echo the folder
    local name="$1"; shift
    local dir="$OUT/corpus/$name"
    if [[ ! -f "$dir/manifest.json" ]]; then
        say "generating $name"
        python3 "$BENCH/gen_corpus.py" "$@" --out "$dir" >&2
    fi
    echo "$dir"
}

if [[ $QUICK == 1 ]]; then
    RUNDIR="$OUT/runs-quick"
    MANY=(docs-100:100)
    BIG=single-1mb
    BIG_MB=1
    LINEAR=(single-0.25mb:0.25 single-0.5mb:0.5 single-1mb:1)
    LAT_RUNS=10
    RESULTS="$OUT/results-quick.md"
    SHAPES=(
        "native-100|--count 100 --native --dead-rate 0.3|**/ARCHITECTURE.md"
        "flat-100|--count 100 --native --dead-rate 0.3 --layout flat|docs/*.md"
        "adr-100|--adr 100|docs/adr/*.md"
    )
else
    MANY=(docs-1k:1000 docs-10k:10000)
    BIG=single-5mb
    BIG_MB=5
    LINEAR=(single-1mb:1 single-2mb:2 single-5mb:5)
    LAT_RUNS=30
    RUNDIR="$OUT/runs"
    RESULTS="$OUT/results.md"
    # NAME|generator arguments|the documents (see DOCS in lib.sh). Every document of the
    # native corpora follows its own template's sections and is checked against
    # `comprehensive`, so nearly every one has findings; 30% also have a misspelt path.
    SHAPES=(
        "native-1k|--count 1000 --native --dead-rate 0.3|**/ARCHITECTURE.md"
        "flat-1k|--count 1000 --native --dead-rate 0.3 --layout flat|docs/*.md"
        "flat-10k|--count 10000 --native --dead-rate 0.3 --layout flat|docs/*.md"
        "adr-500|--adr 500|docs/adr/*.md"
        "repo-10k-files|--count 1000 --repo-files 10000 --dead-rate 0.3|**/ARCHITECTURE.md"
    )
fi
mkdir -p "$RUNDIR"
want() { [[ -z "$ONLY" || "$ONLY" == "$1" || ( "$ONLY" == shapes && "${2:-}" == shape ) ]]; }

FAST=(archlint floor-read floor-parse-1t floor-parse-2t floor-parse-1t-mi floor-parse-2t-mi rumdl mdschema)
SLOW=(markdownlint-cli2)

# hyperfine_set LOGDIR TARGET JSON WARMUP RUNS TOOL...: the tools timed in RUNS rounds.
# Each round is one hyperfine invocation that gives every tool WARMUP warm-up runs and
# then one timed run, so each timed run still follows its own warm-up, and a slow
# drift of a shared machine (another tenant's load coming and going over a minute)
# weighs on every tool alike instead of on whichever was timed during it. The rounds'
# JSON stays in LOGDIR/rounds/; JSON is their merge, as one invocation would write it.
hyperfine_set() {
    local logs="$1" target="$2" json="$3" warm="$4" runs="$5"; shift 5
    local args=() r
    for t in "$@"; do
        args+=(-n "$t" "$(tool_cmd "$t" "$target")")
    done
    mkdir -p "$logs/rounds"
    for (( r = 1; r <= runs; r++ )); do
        (cd "$(cat "$logs/corpus")" && hyperfine -N -i --style basic --warmup "$warm" --runs 1 \
            --export-json "$logs/rounds/$json.$r" "${args[@]}") >&2
    done
    python3 "$BENCH/report.py" merge "$logs/$json" "$logs/rounds/$json".*
}

# bench CORPUS-NAME DIR SLOW-WARMUP SLOW-RUNS [noverify]: every tool, one corpus. The
# peers' flags are compared with the manifest on the docs corpora only: on a shape
# corpus nearly every document fails `comprehensive`, and the comparison says nothing.
bench() {
    local name="$1" dir="$2" swarm="$3" sruns="$4" check="${5:-verify}"
    local logs="$RUNDIR/$name"
    rm -rf "$logs" && mkdir -p "$logs"
    echo "$dir" >"$logs/corpus"
    say "$name: one run of each tool under /usr/bin/time -v (peak memory), then verification"
    for t in "${FAST[@]}" "${SLOW[@]}"; do
        echo "  $t" >&2
        once "$dir" "$logs" "$t" .
    done
    if [[ "$check" == verify ]]; then
        python3 "$BENCH/report.py" verify "$dir" "$logs" archlint markdownlint-cli2 rumdl mdschema | tee -a "$logs/verify.txt"
    fi
    say "$name: timing (hyperfine, $RUNS rounds of a warm-up and a timed run each)"
    hyperfine_set "$logs" . hyperfine.json 1 "$RUNS" "${FAST[@]}"
    say "$name: timing markdownlint-cli2 ($sruns rounds, warm-up $swarm)"
    hyperfine_set "$logs" . hyperfine-slow.json "$swarm" "$sruns" "${SLOW[@]}"
}

# bench_linear NAME DIR: archlint and the one-thread parse floor on one document.
bench_linear() {
    local name="$1" dir="$2"
    local logs="$RUNDIR/$name"
    if [[ -f "$logs/hyperfine.json" && "$name" == "$BIG" ]]; then
        return # the big single document was measured with every tool already
    fi
    rm -rf "$logs" && mkdir -p "$logs"
    echo "$dir" >"$logs/corpus"
    say "$name: archlint and floor (linearity)"
    once "$dir" "$logs" archlint .
    hyperfine_set "$logs" . hyperfine.json 1 "$RUNS" archlint floor-parse-1t floor-parse-2t floor-parse-1t-mi
}

# bench_latency DIR: one document, whole process, many runs.
bench_latency() {
    local dir="$1"
    local logs="$RUNDIR/latency-15kb"
    local doc
    doc="$(cd "$dir" && find docs -name ARCHITECTURE.md | head -1)"
    rm -rf "$logs" && mkdir -p "$logs"
    echo "$dir" >"$logs/corpus"
    say "latency: one $(du -k "$dir/$doc" | cut -f1) KB document, $LAT_RUNS runs each"
    for t in archlint floor-read floor-parse-1t floor-parse-1t-mi rumdl mdschema markdownlint-cli2; do
        once "$dir" "$logs" "$t" "$doc"
    done
    hyperfine_set "$logs" "$doc" hyperfine.json 3 "$LAT_RUNS" archlint floor-read floor-parse-1t floor-parse-1t-mi rumdl mdschema
    hyperfine_set "$logs" "$doc" hyperfine-slow.json 1 "$(( LAT_RUNS < 10 ? LAT_RUNS : 10 ))" markdownlint-cli2
}

LIN_DIRS=()
if want linearity; then
    for spec in "${LINEAR[@]}"; do LIN_DIRS+=("$RUNDIR/${spec%%:*}"); done
fi
META="$RUNDIR/meta.env"
if [[ $REPORT_ONLY == 0 ]]; then
    LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
    START="$(date -u +%FT%TZ)"

    for spec in "${MANY[@]}"; do
        name="${spec%%:*}"; count="${spec#*:}"
        want "$name" || continue
        dir="$(corpus "$name" --count "$count")"
        if [[ "$count" -ge 10000 ]]; then
            bench "$name" "$dir" 0 "$SLOW_RUNS"
        else
            bench "$name" "$dir" 1 "$RUNS"
        fi
    done
    for spec in "${SHAPES[@]}"; do
        IFS='|' read -r name gen docs <<<"$spec"
        want "$name" shape || continue
        # shellcheck disable=SC2086 # the generator's arguments, split into words
        dir="$(corpus "$name" $gen)"
        if [[ "$name" == *10k && "$name" != repo-* ]]; then
            DOCS="$docs" bench "$name" "$dir" 0 "$SLOW_RUNS" noverify
        else
            DOCS="$docs" bench "$name" "$dir" 1 "$RUNS" noverify
        fi
        echo "$docs" >"$RUNDIR/$name/docs"
    done
    if want "$BIG"; then
        dir="$(corpus "$BIG" --single-mb "$BIG_MB")"
        bench "$BIG" "$dir" 1 "$RUNS"
    fi
    if want linearity; then
        for spec in "${LINEAR[@]}"; do
            name="${spec%%:*}"; mb="${spec#*:}"
            dir="$(corpus "$name" --single-mb "$mb")"
            bench_linear "$name" "$dir"
        done
    fi
    if want latency; then
        bench_latency "$(corpus single-15kb --single-kb 15)"
    fi

    LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
    printf 'START=%q\nEND=%q\nLOAD_BEFORE=%q\nLOAD_AFTER=%q\n' "$START" "$(date -u +%FT%TZ)" "$LOAD_BEFORE" "$LOAD_AFTER" >"$META"
fi
# shellcheck disable=SC1090
source "$META"

# ---- report -----------------------------------------------------------------------
{
    echo "# archlint benchmark results$([[ $QUICK == 1 ]] && echo " (quick smoke run)")"
    echo
    echo "Started $START, finished $END. Reproduce: \`benches/run.sh$([[ $QUICK == 1 ]] && echo " --quick")\`."
    echo
    echo "- Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
    echo "- Load average (1, 5, 15 min): $LOAD_BEFORE before, $LOAD_AFTER after; anything else running skews every number."
    echo "- archlint: $("$ARCHLINT" --version 2>/dev/null), $(cat "$OUT/bin/archlint.commit" 2>/dev/null || echo "binary from ARCHLINT_BIN")"
    echo "- floor: comrak $(grep -A1 '^name = "comrak"' "$BENCH/floor/Cargo.lock" | sed -n 's/version = "\(.*\)"/\1/p'), archlint's GFM options; $(rustc --version)"
    echo "- peers: $(peer_versions | paste -sd ';' | sed 's/;/; /g'); node $(node --version)"
    echo "- $(hyperfine --version); median wall time of $RUNS rounds unless the runs column says otherwise, each round a warm-up and one timed run of every tool in turn; markdownlint-cli2 on the 10,000-document corpus: $SLOW_RUNS rounds, no warm-up (each run takes minutes)"
    echo "- mdschema refuses more than 1,000 files per call; on the corpora it runs as consecutive calls of 1,000 files (benches/peers/mdschema-batches.sh)"
    echo "- floor-read: read every document (2 threads); floor-parse-Nt: read and comrak-parse every document on N threads; -mi: the same floor built with archlint's allocator (mimalloc); archlint uses every core (2 here)"
    echo "- peer / archlint: the peer's median divided by archlint's (how many times slower the peer is); archlint / floor: archlint's median divided by the floor's"
    echo "- Peak RSS: one run under \`/usr/bin/time -v\` (for mdschema on a corpus: the largest of its 1,000-file calls)"
    echo
    echo "## Do the peers flag the same documents?"
    for spec in "${MANY[@]}"; do
        name="${spec%%:*}"
        [[ -f "$RUNDIR/$name/verify.txt" ]] && { echo; echo '```text'; sed '/^$/d' "$RUNDIR/$name/verify.txt"; echo '```'; }
    done
    echo
    echo "## Timings"
    for spec in "${MANY[@]}"; do
        name="${spec%%:*}"
        [[ -f "$RUNDIR/$name/hyperfine.json" ]] && python3 "$BENCH/report.py" table "$OUT/corpus/$name" "$RUNDIR/$name"
    done
    for spec in "${SHAPES[@]}"; do
        name="${spec%%|*}"
        [[ -f "$RUNDIR/$name/hyperfine.json" ]] && python3 "$BENCH/report.py" table "$OUT/corpus/$name" "$RUNDIR/$name"
    done
    [[ -f "$RUNDIR/$BIG/hyperfine.json" ]] && python3 "$BENCH/report.py" table "$OUT/corpus/$BIG" "$RUNDIR/$BIG"
    [[ ${#LIN_DIRS[@]} -gt 0 ]] && python3 "$BENCH/report.py" linearity "${LIN_DIRS[@]}"
    [[ -f "$RUNDIR/latency-15kb/hyperfine.json" ]] && python3 "$BENCH/report.py" latency "$OUT/corpus/single-15kb" "$RUNDIR/latency-15kb"
    true
} >"$RESULTS"

say "results: $RESULTS"
cat "$RESULTS"
