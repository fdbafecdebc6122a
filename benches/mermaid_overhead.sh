#!/usr/bin/env bash
# What the mermaid-syntax rule adds to linting, in instructions (Issue 3: under 10% for
# documents with ten diagrams each). Wall time is too noisy on a shared machine, so this
# counts instructions with callgrind, which is deterministic.
#
#   benches/mermaid_overhead.sh            build, generate, measure, print
#   benches/mermaid_overhead.sh --keep     also keep the generated corpus and the
#                                          callgrind files, and print where they are
#
# It generates one architecture document with ten mermaid diagrams (five flowcharts of
# 16 lines and five sequence diagrams of 39 lines; the diagrams are most of its text),
# and runs `archlint check` under callgrind, single-threaded, once with
# `mermaid-syntax = "error"` and once with `mermaid-syntax = "off"`: on that one
# document (a user's run: start-up included), then on 100 copies of it in one run (the
# check's steady cost per document, start-up amortised away: the strictest reading).
# It prints the counts, their ratios (the target is at most 1.10) and the mermaid
# functions by inclusive cost.
# When the performance corpus has been generated (benches/out/corpus/docs-1k), it also
# compares on and off there: realistic documents, a few diagrams each.
# Prints; asserts nothing.
#
# Environment:
#   ARCHLINT_BIN   measure this binary instead of building one (cargo build --release)
#
# Needs: cargo, valgrind (callgrind_annotate comes with it; installed with apt-get when
# missing).
set -euo pipefail

# shellcheck source=benches/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
KEEP=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --keep) KEEP=1 ;;
        -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
        *) echo "mermaid_overhead.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done

need_apt valgrind valgrind
BIN="$(release_bin)"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/mermaid-overhead.XXXXXX")"
if [[ $KEEP -eq 0 ]]; then
    trap 'rm -rf "$WORK"' EXIT
fi

# ---- the document: ten diagrams between short prose sections -------------------------
flowchart() {
    echo '```mermaid'
    echo 'flowchart TD'
    local i
    for i in $(seq 0 11); do
        echo "    N${i}[Node $i] -->|step $i| N$((i + 1))[(Store $i)]"
    done
    echo '    subgraph S [Group]'
    echo '        A --> B'
    echo '    end'
    echo '```'
}

sequence() {
    echo '```mermaid'
    echo 'sequenceDiagram'
    echo '    participant C as Client'
    echo '    participant S as Service'
    local i
    for i in $(seq 0 5); do
        echo "    C->>S: request $i"
        echo '    alt ok'
        echo '        S-->>C: 200'
        echo '    else fail'
        echo '        S-->>C: 500'
        echo '    end'
    done
    echo '```'
}

document() {
    printf '# Architecture\n\n> Last updated: 2026-11-02\n\n## Overview\n\n'
    printf 'The ledger service records money movements.\n\n**Key Goals:**\n- correctness\n'
    local s
    for s in $(seq 0 9); do
        printf '\n## Section %d\n\nProse about part %d of the system, explaining what happens and why.\n\n' "$s" "$s"
        if (( s % 2 == 0 )); then flowchart; else sequence; fi
    done
}

document > "$WORK/ten-diagrams.md"
for d in $(seq 1 100); do
    mkdir -p "$WORK/many/d$d"
    cp "$WORK/ten-diagrams.md" "$WORK/many/d$d/ARCHITECTURE.md"
done
printf '[rules]\nmermaid-syntax = "error"\n' > "$WORK/on.toml"
printf '[rules]\nmermaid-syntax = "off"\n' > "$WORK/off.toml"

# ---- measure --------------------------------------------------------------------------
declare -A COUNT
for c in on off; do
    (
        cd "$WORK"
        RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="cg.$c" \
            "$BIN" check --config "$c.toml" --profile comprehensive --format json \
            --today 2026-11-21 many >/dev/null 2>"vg.$c" || true
    )
    COUNT[$c]="$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$WORK/vg.$c")"
    if [[ -z "${COUNT[$c]}" ]]; then
        echo "mermaid_overhead.sh: no count from callgrind; its log:" >&2
        cat "$WORK/vg.$c" >&2
        exit 1
    fi
done

on="${COUNT[on]}"
off="${COUNT[off]}"

# ---- one document, one process: what a user's run on it costs -------------------------
declare -A ONE
for c in on off; do
    (
        cd "$WORK"
        RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="cg1.$c" \
            "$BIN" check --config "$c.toml" --profile comprehensive --format json \
            --today 2026-11-21 many/d1/ARCHITECTURE.md >/dev/null 2>"vg1.$c" || true
    )
    ONE[$c]="$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$WORK/vg1.$c")"
done
echo "one document with ten diagrams, whole process (start-up included):"
printf 'mermaid-syntax on:  %15s\n' "${ONE[on]}"
printf 'mermaid-syntax off: %15s\n' "${ONE[off]}"
awk -v on="${ONE[on]}" -v off="${ONE[off]}" 'BEGIN { printf "ratio on/off:       %15.3f  (target: at most 1.10)\n\n", on / off }'
echo "the same document 100 times in one run (start-up amortised: the check's steady cost):"
diagrams=$(( $(grep -c '^```mermaid' "$WORK/ten-diagrams.md") * 100 ))
echo "documents: 100, diagrams: $diagrams (instructions, callgrind, one thread)"
printf 'mermaid-syntax on:  %15s\n' "$on"
printf 'mermaid-syntax off: %15s\n' "$off"
awk -v on="$on" -v off="$off" -v n="$diagrams" 'BEGIN {
    printf "added:              %15d  (%.0f per diagram)\n", on - off, (on - off) / n
    printf "ratio on/off:       %15.3f  (target: at most 1.10)\n", on / off
}'
echo
echo "mermaid functions, inclusive:"
callgrind_annotate --inclusive=yes "$WORK/cg.on" 2>/dev/null | grep -E 'archlint::(mermaid|rules::mermaid_syntax)' | head -15 || true

# ---- the same comparison on the performance corpus, when it has been generated --------
CORPUS="$ROOT/benches/out/corpus/docs-1k"
if [[ -d "$CORPUS" ]]; then
    for c in on off; do
        (
            cd "$WORK"
            RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="cgc.$c" \
                "$BIN" check --config "$c.toml" --profile comprehensive --format json \
                --today 2026-11-21 "$CORPUS" >/dev/null 2>"vgc.$c" || true
        )
        COUNT[$c]="$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$WORK/vgc.$c")"
    done
    diagrams=$(grep -rh --include='*.md' -c '^```mermaid' "$CORPUS" | awk '{s += $1} END {print s}')
    echo
    echo "generated corpus (benches/out/corpus/docs-1k, 1,000 documents, $diagrams diagrams):"
    printf 'mermaid-syntax on:  %15s\n' "${COUNT[on]}"
    printf 'mermaid-syntax off: %15s\n' "${COUNT[off]}"
    awk -v on="${COUNT[on]}" -v off="${COUNT[off]}" 'BEGIN { printf "ratio on/off:       %15.3f\n", on / off }'
else
    echo
    echo "(benches/out/corpus/docs-1k not generated: run benches/run.sh --only docs-1k for the corpus figure)"
fi
if [[ $KEEP -eq 1 ]]; then
    echo
    echo "kept: $WORK (ten-diagrams.md, many/, cg.on, cg.off)"
fi
