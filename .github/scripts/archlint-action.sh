#!/usr/bin/env bash
# Run step of the archlint GitHub Action (action.yml).
#
# Every action input arrives as an environment variable, never spliced into
# this script's text, so no input can become shell code:
#
#   ARCHLINT_BIN                binary to run (default: archlint on PATH)
#   ARCHLINT_PATHS              paths to check, split on spaces/tabs/newlines,
#                               not glob-expanded (use `args` with quotes for a
#                               path that contains spaces)
#   ARCHLINT_PROFILE            --profile
#   ARCHLINT_CONFIG             --config
#   ARCHLINT_FORMAT             --format (default github)
#   ARCHLINT_FAIL_ON            error | warning | never (default error)
#   ARCHLINT_MAX_WARNINGS       --max-warnings
#   ARCHLINT_SARIF_FILE         --report sarif=PATH
#   ARCHLINT_ARGS               extra arguments, split with POSIX shell quoting
#                               rules (python3 shlex): quotes and backslashes
#                               group words, but nothing is expanded or run, so
#                               `$(cmd)` or `; cmd` reach archlint as literal text
#   ARCHLINT_WORKING_DIRECTORY  directory to run in (default .)
#   ARCHLINT_SUMMARY            true | false: write $GITHUB_STEP_SUMMARY
#
# Exit status: archlint's own, except that `fail-on: never` turns exit 1
# (findings) into 0. Exit 2 or anything else (usage, config or I/O error, a
# missing binary) always fails the step: a misconfigured lint that passes
# silently would hide that nothing was checked.
set -euo pipefail

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
matcher="$(cd -- "$script_dir/.." && pwd)/archlint-problem-matcher.json"

# Fail with an annotation. The message may quote an input, so it gets the
# runner's escaping (% CR LF) and cannot start a second workflow command.
die() {
  local msg="$*"
  msg="${msg//%/%25}"
  msg="${msg//$'\r'/%0D}"
  msg="${msg//$'\n'/%0A}"
  echo "::error title=archlint action::$msg"
  exit 2
}

bin="${ARCHLINT_BIN:-archlint}"
format="${ARCHLINT_FORMAT:-github}"
fail_on="${ARCHLINT_FAIL_ON:-error}"
summary="${ARCHLINT_SUMMARY:-true}"
sarif_file="${ARCHLINT_SARIF_FILE:-}"

case "$fail_on" in
  error | warning | never) ;;
  *) die "fail-on must be error, warning or never, not '$fail_on'" ;;
esac
# Same spellings as @actions/core getBooleanInput.
case "$summary" in
  true | True | TRUE) summary=true ;;
  false | False | FALSE) summary=false ;;
  *) die "summary must be true or false, not '$summary'" ;;
esac

cd -- "${ARCHLINT_WORKING_DIRECTORY:-.}" || die "working-directory not found: ${ARCHLINT_WORKING_DIRECTORY:-}"
command -v -- "$bin" >/dev/null 2>&1 || die "archlint binary not found: $bin"

argv=(check --format "$format")
[[ -n "${ARCHLINT_PROFILE:-}" ]] && argv+=(--profile "$ARCHLINT_PROFILE")
[[ -n "${ARCHLINT_CONFIG:-}" ]] && argv+=(--config "$ARCHLINT_CONFIG")
[[ -n "${ARCHLINT_MAX_WARNINGS:-}" ]] && argv+=(--max-warnings "$ARCHLINT_MAX_WARNINGS")
case "$fail_on" in
  warning) argv+=(--deny-warnings) ;;
  never) argv+=(--exit-zero) ;;
esac
[[ -n "$sarif_file" ]] && argv+=(--report "sarif=$sarif_file")

# Scratch space for the JSON report and the parsed args; removed on exit.
work="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/archlint-action.XXXXXX")"
trap 'rm -rf -- "$work"' EXIT

# The job summary is built from a JSON report written next to the main output.
report=""
if [[ "$summary" == true && -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
  report="$work/report.json"
  argv+=(--report "json=$report")
fi

if [[ -n "${ARCHLINT_ARGS:-}" ]]; then
  # shlex reads the input as data from stdin, so nothing in it is evaluated.
  # NUL-separated words survive any character they hold; going through a file
  # (not a pipe) lets a parse error (unbalanced quotes) stop the step.
  printf '%s' "$ARCHLINT_ARGS" | python3 -c '
import shlex, sys
try:
    words = shlex.split(sys.stdin.read())
except ValueError as err:
    sys.exit(f"args: {err}")
sys.stdout.write("".join(word + "\0" for word in words))
' >"$work/args" || die "args could not be parsed (unbalanced quotes?)"
  while IFS= read -r -d '' word; do argv+=("$word"); done <"$work/args"
fi

# read -a splits on IFS whitespace and never glob-expands.
paths=()
IFS=$' \t\n' read -r -d '' -a paths <<<"${ARCHLINT_PATHS:-}" || true
# `--` keeps a path that starts with `-` from being read as an option.
((${#paths[@]})) && argv+=(-- "${paths[@]}")

# The matcher parses `short` lines only; other formats annotate by themselves
# (github) or are for machines, and a matcher would misread them.
if [[ "$format" == short ]]; then
  echo "::add-matcher::$matcher"
  # Colour codes would break the matcher's regexp. NO_COLOR still lets an
  # explicit `--color always` in args win.
  export NO_COLOR=1
fi

rc=0
"$bin" "${argv[@]}" || rc=$?

[[ "$format" == short ]] && echo "::remove-matcher owner=archlint::"

if [[ -n "$report" ]]; then
  python3 "$script_dir/archlint_summary.py" "$report" "$rc" >>"$GITHUB_STEP_SUMMARY" ||
    echo "::warning title=archlint action::could not write the job summary"
fi

# Outputs use absolute paths so later steps need not know working-directory.
if [[ -n "$sarif_file" && "$sarif_file" != /* ]]; then
  sarif_file="$PWD/$sarif_file"
fi
if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  {
    echo "exit-code=$rc"
    echo "sarif-file=$sarif_file"
  } >>"$GITHUB_OUTPUT"
fi

if [[ "$fail_on" == never && "$rc" -eq 1 ]]; then
  exit 0
fi
exit "$rc"
