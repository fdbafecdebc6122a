#!/usr/bin/env bash
# Time and peak memory of the bad-input battery's large cases (Issue 6): a 50 MB
# document, block quotes and lists nested 100,000 deep, one 1 MB line, 100,000
# headings; and, for comparison with the battery's dense 50 MB document (a section,
# a list, a link, a placeholder and a diagram every 260 bytes), a 50 MB document of
# ordinary architecture prose from benches/gen_corpus.py (a 5 MB document, ten times). Each runs once under GNU `time -v` with the release build, human and short
# output; the script prints wall time, peak RSS, the input's size and RSS / input.
# Prints; asserts nothing (the battery in tests/integration/bad_input.rs asserts the
# exit codes and messages).
#
#   benches/robustness.sh                 build, generate, measure
#   ARCHLINT_BIN=path benches/robustness.sh
#
# Needs: cargo, python3, GNU time (Debian package `time`, installed when missing).
set -euo pipefail

# shellcheck source=benches/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ -x /usr/bin/time ]] || need_apt /usr/bin/time time
BIN="$(release_bin)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/archlint-robustness.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# The same inputs as the battery's tests, written to files.
python3 - "$WORK" <<'PY'
import os, sys
work = sys.argv[1]
def write(name, text):
    d = os.path.join(work, name)
    os.makedirs(d)
    with open(os.path.join(d, "ARCHITECTURE.md"), "w", encoding="utf-8") as f:
        f.write(text)
section = ("## Section\n\nSome text with a [link](x.md), `code`, *emphasis* and **bold**.\n\n"
           "**Field**: value\n\n- item one\n- item [TBD] two\n  - nested é→ item\n\n"
           "> quoted line\n\n```mermaid\nflowchart TD\n  A --> B\n```\n\n")
head = "# Architecture\n\n> Last updated: 2026-11-01\n\n"
n = (50 * 1024 * 1024 - len(head)) // len(section.encode()) + 1
write("fifty-mb", head + section * n)
write("quotes-100k", "# Architecture\n\n" + ">" * 100_000 + " deep\n")
write("lists-100k", "# Architecture\n\n" + "- " * 100_000 + "x\n")
write("line-1mb", "# Architecture\n\n" + "word " * 200_000 + "\n")
write("headings-100k", "".join(f"## H{i}\n" for i in range(100_000)))
PY
# The generator writes a repository around its document, so references resolve. It
# slows down with size, so a 5 MB document is written ten times over into one file.
python3 "$(dirname "${BASH_SOURCE[0]}")/gen_corpus.py" --single-mb 5 --out "$WORK/prose-50mb" 2>/dev/null
PROSE_DOC="$(find "$WORK/prose-50mb" -iname 'ARCHITECTURE*.md' | head -1)"
for _ in 1 2 3 4 5 6 7 8 9; do cat "$PROSE_DOC"; done >"$WORK/rest.md"
cat "$WORK/rest.md" >>"$PROSE_DOC"
rm "$WORK/rest.md"

printf '%-14s %-6s %10s %12s %12s %10s %5s\n' case format wall_s peak_rss_kib input_kib rss/input exit
for case in fifty-mb prose-50mb quotes-100k lists-100k line-1mb headings-100k; do
    doc="$WORK/$case/ARCHITECTURE.md"
    [[ "$case" == prose-50mb ]] && doc="$PROSE_DOC"
    size_kib=$(( $(stat -c %s "$doc") / 1024 ))
    for format in human short; do
        set +e
        /usr/bin/time -v -o "$WORK/time.txt" "$BIN" check --format "$format" --today 2026-11-21 \
            "$doc" >/dev/null 2>"$WORK/err.txt"
        code=$?
        set -e
        wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$WORK/time.txt" \
            | awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
        rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time.txt")
        ratio=$(awk -v r="$rss" -v s="$size_kib" 'BEGIN { printf "%.1f", r / (s > 0 ? s : 1) }')
        printf '%-14s %-6s %10s %12s %12s %10s %5s\n' "$case" "$format" "$wall" "$rss" "$size_kib" "$ratio" "$code"
        if grep -q "panicked at" "$WORK/err.txt"; then
            echo "  panic text in stderr:" >&2
            head -5 "$WORK/err.txt" >&2
        fi
    done
done
