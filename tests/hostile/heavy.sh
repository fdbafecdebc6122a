#!/usr/bin/env bash
# The heavy cases of tests/integration/hostile/ at full size, against the release
# binary: inputs under 10 MB that once took minutes or gigabytes must finish in under
# 10 s and 1 GiB, measured from outside the process (GNU time's %e and %M).
#
#   bash tests/hostile/heavy.sh [ARCHLINT_BINARY]     (default target/release/archlint)
#
# Prints `ok - ...` / `not ok - ...` per case and `N passed, N failed` at the end.
set -euo pipefail

bin="$(realpath "${1:-target/release/archlint}")"
T="$(mktemp -d "${TMPDIR:-/tmp}/archlint-heavy.XXXXXX")"
trap 'rm -rf -- "$T"' EXIT
passed=0
failed=0
limit_s=10
limit_kib=$((1024 * 1024))

if [[ ! -x /usr/bin/time ]]; then
  echo "SKIP: GNU time (/usr/bin/time) is not installed"
  exit 0
fi

# bounded NAME FILE [ARGS...]: archlint check --isolated on FILE within the limits.
bounded() {
  local name="$1" file="$2"
  shift 2
  local rc=0
  timeout -s KILL $((limit_s + 5)) /usr/bin/time -f '%e %M' -o "$T/time" \
    "$bin" check --isolated --today 2026-11-21 "$@" "$file" >"$T/out" 2>"$T/err" || rc=$?
  local secs kib
  # GNU time writes "Command exited with non-zero status N" first when it does.
  read -r secs kib < <(tail -n 1 "$T/time") || { secs=999 kib=0; }
  if ((rc > 2)) || grep -q "panicked" "$T/err"; then
    failed=$((failed + 1))
    echo "not ok - $name: exit $rc ($(tail -n 1 "$T/err"))"
  elif awk -v s="$secs" -v l="$limit_s" 'BEGIN { exit !(s > l) }' || ((kib > limit_kib)); then
    failed=$((failed + 1))
    echo "not ok - $name: ${secs} s, $((kib / 1024)) MiB (limits ${limit_s} s, $((limit_kib / 1024)) MiB)"
  else
    passed=$((passed + 1))
    echo "ok - $name: ${secs} s, $((kib / 1024)) MiB, $(wc -c <"$T/out") bytes of output"
  fi
}

mb95=$((95 * 1024 * 1024 / 10))
python3 - "$T" "$mb95" <<'PY'
import sys
t, size = sys.argv[1], int(sys.argv[2])
def write(name, text):
    with open(f"{t}/{name}", "w") as f:
        f.write(text)
write("dense-line.md", "[a](" * (size // 4))
unit = "[a](" * 200 + "\n"
write("dense-lines.md", "# A\n\n" + unit * (size // len(unit)))
write("dense-paragraphs.md", "# A\n\n" + (unit + "\n") * (size // (len(unit) + 1)))
write("dense-list.md", "# A\n\n" + "- [a](\n" * (size // 7))
write("tbd-line.md", "# Architecture\n\n" + "[TBD] " * (1024 * 1024 // 6) + "\n")
n = 150_000
write("disable-file.md", "# Architecture\n\n"
      + "<!-- archlint-disable-file placeholder -->\n" * n + "[TBD]\n\n" * n)
# A heading of bracketed non-words and lines of braces and escaped angle brackets, 9 MB.
write("bracket-heading.md", "# Architecture\n\n## " + "[!] " * 1_000_000 + "\n\n"
      + "{a}" * 1_000_000 + "\n\n## " + "\\<! !\\> x " * 200_000 + "\n")
PY

bounded "9.5 MB of [a]( on one line" "$T/dense-line.md" --format short
bounded "9.5 MB of [a]( over short lines, one paragraph" "$T/dense-lines.md" --format short
bounded "9.5 MB of [a]( in paragraphs, no heading" "$T/dense-paragraphs.md" --format short
bounded "9.5 MB list of - [a](" "$T/dense-list.md" --format short
bounded "1 MB line of [TBD], human output" "$T/tbd-line.md"
if (($(wc -c <"$T/out") > 200 * 1024 * 1024)); then
  failed=$((failed + 1))
  echo "not ok - 1 MB line of [TBD]: $(wc -c <"$T/out") bytes of output"
fi
bounded "150,000 disable-file comments before 150,000 findings" "$T/disable-file.md" --format short
bounded "a 4 MB heading of [!], 3 MB of {a}, a heading of \\<! !\\>" "$T/bracket-heading.md" --format short

echo "$passed passed, $failed failed"
((failed == 0))
