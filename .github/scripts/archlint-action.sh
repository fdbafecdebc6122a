#!/usr/bin/env bash
# Run step of the archlint GitHub Action (action.yml).
#
# Every action input arrives as an environment variable, never spliced into
# this script's text, so no input can become shell code. The names are
# ARCHLINT_INPUT_*, not the ARCHLINT_* names archlint itself reads: a runner
# sets every declared input, empty when the workflow did not give it, and an
# empty ARCHLINT_CONFIG made older archlint builds exit 2 ("a value is
# required for '--config <FILE>'") on every run that left `config` out. They
# are also removed from the environment before archlint starts, so only a
# variable the job itself sets (ARCHLINT_CONFIG in `env:`) reaches archlint.
#
#   ARCHLINT_BIN                      binary to run (default: archlint on PATH)
#   ARCHLINT_INPUT_PATHS              paths to check, split on spaces/tabs/
#                                     newlines, not glob-expanded (use `args`
#                                     with quotes for a path with spaces)
#   ARCHLINT_INPUT_PROFILE            --profile (when not empty)
#   ARCHLINT_INPUT_CONFIG             --config (when not empty)
#   ARCHLINT_INPUT_FORMAT             --format (default github)
#   ARCHLINT_INPUT_FAIL_ON            error | warning | never (default error)
#   ARCHLINT_INPUT_MAX_WARNINGS       --max-warnings (when not empty)
#   ARCHLINT_INPUT_SARIF_FILE         --report sarif=PATH (when not empty)
#   ARCHLINT_INPUT_ARGS               extra arguments, split with POSIX shell
#                                     quoting rules (python3 shlex): quotes and
#                                     backslashes group words, but nothing is
#                                     expanded or run, so `$(cmd)` or `; cmd`
#                                     reach archlint as literal text
#   ARCHLINT_INPUT_WORKING_DIRECTORY  directory to run in (default .)
#   ARCHLINT_INPUT_SUMMARY            true | false (default true): write
#                                     $GITHUB_STEP_SUMMARY
#
# Outputs ($GITHUB_OUTPUT), written on every run:
#   exit-code   archlint's exit code, before `fail-on: never` is applied
#               (0 ok, 1 findings over the threshold, 2 usage/config/I/O error)
#   errors      number of errors    } from archlint's JSON report, which is
#   warnings    number of warnings  } always written to a scratch folder;
#   files       files checked       } empty when archlint wrote no report
#   sarif-file  absolute path of the SARIF report, empty when not asked for
#
# Exit status: archlint's own, except that `fail-on: never` turns exit 1
# (findings) into 0 and says so with a notice. Exit 2 or anything else (usage,
# config or I/O error, a missing binary) always fails the step: a misconfigured
# lint that passes silently would hide that nothing was checked.
set -euo pipefail

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
matcher="$(cd -- "$script_dir/.." && pwd)/archlint-problem-matcher.json"

# set_output NAME VALUE: one step output. A value holding a line break uses
# the delimiter form, so it cannot add an output line of its own.
set_output() {
  [[ -n "${GITHUB_OUTPUT:-}" ]] || return 0
  local name="$1" value="$2" delim
  if [[ "$value" == *$'\n'* || "$value" == *$'\r'* ]]; then
    delim="ghadelimiter_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
    printf '%s<<%s\n%s\n%s\n' "$name" "$delim" "$value" "$delim" >>"$GITHUB_OUTPUT"
  else
    printf '%s=%s\n' "$name" "$value" >>"$GITHUB_OUTPUT"
  fi
}

# Escape text for a workflow command's message (% CR LF), so that it cannot
# start a second command.
escape_data() {
  local msg="$1"
  msg="${msg//%/%25}"
  msg="${msg//$'\r'/%0D}"
  msg="${msg//$'\n'/%0A}"
  printf '%s' "$msg"
}

# plural N WORD: "1 error", "3 errors".
plural() {
  if [[ "$1" == 1 ]]; then echo "$1 $2"; else echo "$1 ${2}s"; fi
}

# Fail with an annotation (the message may quote an input) and exit 2, with
# the outputs a later step may read.
die() {
  echo "::error title=archlint action::$(escape_data "$*")"
  set_output exit-code 2
  set_output errors ""
  set_output warnings ""
  set_output files ""
  set_output sarif-file ""
  exit 2
}

bin="${ARCHLINT_BIN:-archlint}"
in_paths="${ARCHLINT_INPUT_PATHS:-}"
in_profile="${ARCHLINT_INPUT_PROFILE:-}"
in_config="${ARCHLINT_INPUT_CONFIG:-}"
format="${ARCHLINT_INPUT_FORMAT:-github}"
fail_on="${ARCHLINT_INPUT_FAIL_ON:-error}"
max_warnings="${ARCHLINT_INPUT_MAX_WARNINGS:-}"
sarif_file="${ARCHLINT_INPUT_SARIF_FILE:-}"
in_args="${ARCHLINT_INPUT_ARGS:-}"
workdir="${ARCHLINT_INPUT_WORKING_DIRECTORY:-.}"
summary="${ARCHLINT_INPUT_SUMMARY:-true}"
# archlint sees none of the action's own variables.
unset ARCHLINT_BIN "${!ARCHLINT_INPUT_@}"

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

cd -- "$workdir" || die "working-directory not found: $workdir"
command -v -- "$bin" >/dev/null 2>&1 || die "archlint binary not found: $bin"

argv=(check --format "$format")
[[ -n "$in_profile" ]] && argv+=(--profile "$in_profile")
[[ -n "$in_config" ]] && argv+=(--config "$in_config")
[[ -n "$max_warnings" ]] && argv+=(--max-warnings "$max_warnings")
# `never` does not pass --exit-zero: archlint then still says with its exit
# code whether the findings would fail the run, for the exit-code output, and
# this script turns that 1 into success below.
[[ "$fail_on" == warning ]] && argv+=(--deny-warnings)
[[ -n "$sarif_file" ]] && argv+=(--report "sarif=$sarif_file")

# Scratch space for the JSON report and the parsed args; removed on exit.
work="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/archlint-action.XXXXXX")"
trap 'rm -rf -- "$work"' EXIT

# The counts and the job summary come from a JSON report of the same run.
report="$work/report.json"
argv+=(--report "json=$report")

if [[ -n "$in_args" ]]; then
  # shlex reads the input as data from stdin, so nothing in it is evaluated.
  # NUL-separated words survive any character they hold; going through a file
  # (not a pipe) lets a parse error (unbalanced quotes) stop the step.
  printf '%s' "$in_args" | python3 -c '
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
IFS=$' \t\n' read -r -d '' -a paths <<<"$in_paths" || true
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

errors="" warnings="" files=""
if counts="$(python3 "$script_dir/archlint_summary.py" --counts "$report")"; then
  while IFS='=' read -r key value; do
    case "$key" in
      errors) errors="$value" ;;
      warnings) warnings="$value" ;;
      files) files="$value" ;;
    esac
  done <<<"$counts"
fi

if [[ "$summary" == true && -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
  python3 "$script_dir/archlint_summary.py" "$report" "$rc" >>"$GITHUB_STEP_SUMMARY" ||
    echo "::warning title=archlint action::could not write the job summary"
fi

# Outputs use absolute paths so later steps need not know working-directory.
if [[ -n "$sarif_file" && "$sarif_file" != /* ]]; then
  sarif_file="$PWD/$sarif_file"
fi
set_output exit-code "$rc"
set_output errors "$errors"
set_output warnings "$warnings"
set_output files "$files"
set_output sarif-file "$sarif_file"

if [[ "$fail_on" == never && "$rc" -eq 1 ]]; then
  if [[ -n "$errors" ]]; then
    found="archlint found $(plural "$errors" error) and $(plural "$warnings" warning) in $(plural "$files" file)"
  else
    found="archlint found problems"
  fi
  echo "::notice title=archlint action::$found (exit code 1); the step passes because fail-on is never"
  exit 0
fi
exit "$rc"
