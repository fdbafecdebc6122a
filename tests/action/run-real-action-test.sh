#!/usr/bin/env bash
# Tests of the archlint GitHub Action (action.yml) with the REAL archlint
# binary, run the way a GitHub runner runs the action's `Run archlint` step.
#
#   bash tests/action/run-real-action-test.sh [BIN [ACTION_DIR]]
#
# BIN defaults to target/release/archlint (relative to the current directory,
# else to the repository); ACTION_DIR, the folder holding action.yml and
# .github/ (GITHUB_ACTION_PATH), defaults to this repository.
#
# The step's environment is built from action.yml itself (by
# tests/action/action_harness.py): every declared input is set under the name
# the run step's `env:` maps it to, with the given value, else its declared
# default, else empty, exactly as a runner does; `${{ runner.temp }}` is a
# fresh folder whose archlint/bin/archlint is the binary under test (where the
# action's build step installs it), and the step's `run:` text is run with
# `bash --noprofile --norc -eo pipefail` in a fixture repository that is
# GITHUB_WORKSPACE. Expected findings come from separate runs of the same
# binary with --format json, plus fixed facts about the fixtures.
#
# Prints `ok - ...`/`not ok - ...` lines and `N passed, N failed`; exits 1 on
# any failure. Needs bash, python3, coreutils (and git, if present, for the
# fixture repository); uses cmark-gfm for the summary's rendered HTML when it
# is installed.
set -euo pipefail

repo="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)"
harness="$repo/tests/action/action_harness.py"
bin="${1:-target/release/archlint}"
action_dir="$(cd -- "${2:-$repo}" && pwd)"
action_yml="$action_dir/action.yml"
if [[ "$bin" != /* ]]; then
  if [[ -e "$bin" || ! -e "$repo/$bin" ]]; then bin="$PWD/$bin"; else bin="$repo/$bin"; fi
fi

T="$(mktemp -d "${TMPDIR:-/tmp}/archlint-real-action-test.XXXXXX")"
trap 'rm -rf -- "$T"' EXIT
WS="$T/ws"     # GITHUB_WORKSPACE: the fixture repository
G="$T/runner"  # RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, step stdout/stderr
SHA=0123456789abcdef0123456789abcdef01234567
BLOB="https://github.example/acme/ledgerly/blob/$SHA/"
TODAY="--today 2026-06-01"  # the `args` input
today=(--today 2026-06-01)   # the same for direct runs

# shellcheck source=tests/clients/tap.sh
. "$repo/tests/clients/tap.sh"
totals() { echo "$passed passed, $failed failed"; }
# check NAME COMMAND...: passes when the command succeeds (tap.sh's, without details).
check() {
  local name="$1"
  shift
  if "$@"; then ok "$name"; else not_ok "$name"; fi
}
# check_py NAME HARNESS-ARGS...: a harness comparison; shows what differed.
check_py() {
  local name="$1" out
  shift
  if out="$(python3 "$harness" "$@" 2>&1)"; then
    ok "$name"
    grep '^# ' <<<"$out" || true # notes, e.g. a checker that is not installed
  else
    not_ok "$name" "$out"
  fi
}
contains() { grep -qF -- "$2" "$1"; }
lacks() { ! grep -qF -- "$2" "$1"; }
has_line() { grep -qxF -- "$2" "$1"; }
starts_line() { awk -v p="$2" 'index($0, p) == 1 { found = 1 } END { exit !found }' "$1"; }

# --- the binary and action.yml ---------------------------------------------
if ! version="$("$bin" --version 2>&1)"; then
  not_ok "the archlint binary runs: $bin" "$version"
  totals
  exit 1
fi
echo "# binary: $bin ($version)"
echo "# action: $action_yml"

# action.yml's own checks: inputs through env only, declared outputs.
while IFS= read -r line; do
  case "$line" in
    "ok - "*) ok "action.yml: ${line#ok - }" ;;
    "not ok - "*) not_ok "action.yml: ${line#not ok - }" ;;
    *) echo "$line" ;;
  esac
done < <(python3 "$harness" lint "$action_yml" 2>&1 || true)

if ! python3 "$harness" run "$action_yml" >"$T/run-step.sh" 2>"$T/py"; then
  not_ok "action.yml has a run step with id run" "$(cat "$T/py")"
  totals
  exit 1
fi

# --- the fixture repository --------------------------------------------------
mkdir -p "$WS"
if command -v git >/dev/null 2>&1; then git init -q "$WS"; else mkdir "$WS/.git"; fi
mkdir -p "$WS/clean" "$WS/warn" "$WS/bad" "$WS/ci" "$WS/hostile"

# Clean under the core profile (on 2026-06-01).
cat >"$WS/clean/ARCHITECTURE.md" <<'EOF'
# Architecture

> Last updated: 2026-05-01

## Overview

Ledgerly keeps the books for small shops and mails each one a monthly statement.

## System Architecture

A browser front end calls one API service, which writes entries to a database.

## Components

The API service checks every entry; a nightly job renders the statements as PDF.

## Data Flow

Entries travel from the browser to the API and into the database; the job reads them back.

## Design Decisions

A single relational database keeps the monthly reports simple to write.

## Security

Each request carries a session token that the API checks before it does anything.

## Deployment

Both processes run as containers on one virtual machine.

## Future Considerations

Move the statement job onto a queue once the number of shops grows.
EOF

# Only warnings: a stale date (stale-date) and an empty section (empty-section).
sed -e 's/2026-05-01/2024-01-15/' -e '/^Both processes/d' "$WS/clean/ARCHITECTURE.md" >"$WS/warn/ARCHITECTURE.md"

# Three errors and two warnings.
cat >"$WS/bad/ARCHITECTURE.md" <<'EOF'
# Architecture

> Last updated: 2024-02-10

## Overview

Ledgerly keeps the books for small shops.

## Components

The tables are listed in [the schema](db/schema.sql).

## Data Flow

## Design Decisions

This part is owned by [Owner Name].

## Security

Sessions expire after one hour.

## Deployment

Containers on one virtual machine.

## Future Considerations

A queue for the statement job.
EOF

# A stricter configuration in a place discovery does not look.
cat >"$WS/ci/strict.toml" <<'EOF'
[rules]
stale-date = "error"
EOF

# A hostile pull request: a file name and a heading (quoted in a message)
# that try to leave the summary's code spans for links, an image and HTML.
# shellcheck disable=SC2016 # the backticks are the point
hostile_name='hostile/evil`](https:evil.example)`![i](https:evil.example)`.md'
cat >"$WS/$hostile_name" <<'EOF'
# Architecture

## Overview

Run by the platform team.

## Notes \` \[click\]\(//evil.example/x\) \!\[i\]\(//evil.example/i.png\) \<img src=//evil.example/p\> a|b www.evil.example \`

EOF

# --- one run of the action's step, as a runner does it -----------------------
# run_action [--env VAR=VALUE]... [--all-empty] [INPUT=VALUE]...
#   INPUT is an input name from action.yml; inputs not given get action.yml's
#   default (--all-empty: every input given as empty). --env adds a variable
#   of the job's environment. Sets $rc; leaves $G/stdout, $G/stderr,
#   $G/output and $G/summary.
run_action() {
  local -a job_env=() inputs=() step_env=()
  while (($#)); do
    case "$1" in
      --env)
        job_env+=("$2")
        shift 2
        ;;
      *)
        inputs+=("$1")
        shift
        ;;
    esac
  done
  rm -rf "$G"
  mkdir -p "$G/temp/archlint/bin" "$G/home"
  ln -s "$bin" "$G/temp/archlint/bin/archlint"
  : >"$G/output"
  : >"$G/summary"
  rc=0
  if ! python3 "$harness" env "$action_yml" "$G/temp" "${inputs[@]}" >"$G/env" 2>"$G/stderr"; then
    rc=99
    echo "the test could not build the step's environment" >"$G/stdout"
    return
  fi
  mapfile -d '' step_env <"$G/env"
  # `Add archlint to PATH` puts $RUNNER_TEMP/archlint/bin first.
  (
    cd "$WS"
    env -i PATH="$G/temp/archlint/bin:$PATH" HOME="$G/home" LANG=C.UTF-8 \
      CI=true GITHUB_ACTIONS=true RUNNER_OS=Linux RUNNER_TEMP="$G/temp" \
      GITHUB_WORKSPACE="$WS" GITHUB_ACTION_PATH="$action_dir" \
      GITHUB_OUTPUT="$G/output" GITHUB_STEP_SUMMARY="$G/summary" \
      GITHUB_SERVER_URL=https://github.example GITHUB_REPOSITORY=acme/ledgerly GITHUB_SHA="$SHA" \
      "${job_env[@]}" "${step_env[@]}" \
      bash --noprofile --norc -eo pipefail "$T/run-step.sh"
  ) >"$G/stdout" 2>"$G/stderr" || rc=$?
}

# expect CWD [ARCHLINT ARGS...]: the same binary run directly from $WS/CWD
# with --format json; leaves $T/expect.json and $expect_rc.
expect() {
  local cwd="$1"
  shift
  expect_rc=0
  (
    cd "$WS/$cwd"
    env -i PATH="$PATH" HOME="$T" GITHUB_WORKSPACE="$WS" "$bin" check --format json "$@"
  ) >"$T/expect.json" 2>"$T/expect.err" || expect_rc=$?
}
# expected errors|warnings|files: a count from $T/expect.json.
expected() {
  python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["summary"][sys.argv[2]])' \
    "$T/expect.json" "$1"
}

# output NAME: one step output (fails when missing or set twice).
output() { python3 "$harness" output "$G/output" "$1"; }
# out_is NAME VALUE: prints what differs.
out_is() {
  local got
  if ! got="$(output "$1" 2>&1)"; then
    echo "$got"
    return 1
  fi
  if [[ "$got" != "$2" ]]; then
    echo "output $1 is '$got', not '$2'"
    return 1
  fi
}
# what_happened: the run's exit status and the ends of its output, for a
# failing check.
what_happened() {
  echo "exit $rc"
  echo "--- stdout"
  tail -n 8 "$G/stdout"
  echo "--- stderr"
  tail -n 8 "$G/stderr"
}
# check_rc NAME WANT
check_rc() {
  if [[ "$rc" == "$2" ]]; then ok "$1"; else not_ok "$1" "$(what_happened)"; fi
}
# check_outputs NAME exit-code=V errors=V warnings=V files=V ...
check_outputs() {
  local name="$1" pair msg
  local -a bad=()
  shift
  for pair in "$@"; do
    msg="$(out_is "${pair%%=*}" "${pair#*=}")" || bad+=("$msg")
  done
  if ((${#bad[@]} == 0)); then
    ok "$name"
  else
    not_ok "$name" "$(printf '%s\n' "${bad[@]}" "outputs file:")"$'\n'"$(cat "$G/output")"
  fi
}
no_scratch_left() { test -z "$(find "$G/temp" -maxdepth 1 -name 'archlint-action.*')"; }
no_usage_error() { lacks "$G/stderr" "a value is required"; }

# --- 1. a clean document --------------------------------------------------------
run_action paths=clean/ARCHITECTURE.md profile=core args="$TODAY"
check_rc "clean: the step exits 0" 0
check_outputs "clean: outputs exit-code=0 errors=0 warnings=0 files=1, empty sarif-file" \
  exit-code=0 errors=0 warnings=0 files=1 sarif-file=
check "clean: no annotation" test -z "$(grep -E '^::(error|warning) ' "$G/stdout" || true)"
check "clean: summary says all passed" contains "$G/summary" \
  ":white_check_mark: 0 errors, 0 warnings in 1 file checked (exit code 0)"
check "clean: scratch folder removed from RUNNER_TEMP" no_scratch_left

# --- 2. errors and warnings, the default github format ------------------------
run_action paths=bad profile=core args="$TODAY"
expect . --profile core "${today[@]}" bad
check_rc "errors: the step exits 1" 1
check "errors: archlint ran (no usage error)" no_usage_error
check_outputs "errors: outputs exit-code=1 errors=3 warnings=2 files=1" \
  exit-code=1 errors=3 warnings=2 files=1
check "errors: the direct run agrees (3 errors, 2 warnings)" \
  test "$(expected errors) $(expected warnings)" = "3 2"
check_py "errors: one annotation per finding, same file, line, column and rule" \
  annotations "$G/stdout" "$T/expect.json" "$WS" "$WS"
check "errors: missing-section annotated at bad/ARCHITECTURE.md:9" starts_line "$G/stdout" \
  "::error file=bad/ARCHITECTURE.md,line=9,"
check "errors: dead-reference annotated at line 11" grep -q \
  '^::error file=bad/ARCHITECTURE.md,line=11,.*title=archlint (dead-reference)::' "$G/stdout"
check "errors: placeholder annotated at line 17" grep -q \
  '^::error file=bad/ARCHITECTURE.md,line=17,.*title=archlint (placeholder)::' "$G/stdout"
check "errors: stale-date is a warning annotation at line 3" grep -q \
  '^::warning file=bad/ARCHITECTURE.md,line=3,.*title=archlint (stale-date)::' "$G/stdout"
check "errors: no problem matcher for github format" lacks "$G/stdout" "::add-matcher::"
check "errors: summary counts" contains "$G/summary" \
  ":x: 3 errors, 2 warnings in 1 file checked (exit code 1)"
check "errors: summary row for the file, linked" has_line "$G/summary" \
  "| [\` bad/ARCHITECTURE.md \`](${BLOB}bad/ARCHITECTURE.md) | \` core \` | 3 | 2 |"
check "errors: summary finding links to line 9" contains "$G/summary" \
  "(${BLOB}bad/ARCHITECTURE.md#L9) | \` missing-section \` |"
check "errors: scratch folder removed from RUNNER_TEMP" no_scratch_left

# --- 3. fail-on ------------------------------------------------------------------
run_action paths=warn args="$TODAY"
check_rc "fail-on error (default), only warnings: the step exits 0" 0
check_outputs "fail-on error, only warnings: exit-code=0 errors=0 warnings=2" \
  exit-code=0 errors=0 warnings=2 files=1
run_action paths=warn fail-on=warning args="$TODAY"
check_rc "fail-on warning, only warnings: the step exits 1" 1
check_outputs "fail-on warning, only warnings: exit-code=1 errors=0 warnings=2" \
  exit-code=1 errors=0 warnings=2 files=1

run_action paths=bad fail-on=never args="$TODAY"
expect . "${today[@]}" bad
check_rc "fail-on never, errors: the step exits 0" 0
check_outputs "fail-on never, errors: exit-code still 1, errors=3 warnings=2 files=1" \
  exit-code=1 errors=3 warnings=2 files=1
check "fail-on never, errors: a notice gives the counts" starts_line "$G/stdout" \
  "::notice title=archlint action::archlint found 3 errors and 2 warnings in 1 file"
check_py "fail-on never, errors: the findings are still annotated" \
  annotations "$G/stdout" "$T/expect.json" "$WS" "$WS"
run_action paths=clean fail-on=never args="$TODAY"
check_rc "fail-on never, clean: the step exits 0" 0
check "fail-on never, clean: no notice" lacks "$G/stdout" "::notice"

# --- 4. max-warnings ---------------------------------------------------------------
run_action paths=warn max-warnings=1 args="$TODAY"
check_rc "max-warnings 1, 2 warnings: the step exits 1" 1
check_outputs "max-warnings 1: exit-code=1 warnings=2" exit-code=1 errors=0 warnings=2
run_action paths=warn max-warnings=2 args="$TODAY"
check_rc "max-warnings 2, 2 warnings: the step exits 0" 0

# --- 5. SARIF ------------------------------------------------------------------------
run_action paths=bad sarif-file=reports/archlint.sarif args="$TODAY"
check_rc "sarif: the step exits 1 (findings)" 1
check_outputs "sarif: output sarif-file is the absolute path" \
  "sarif-file=$WS/reports/archlint.sarif" exit-code=1 errors=3
if out="$(python3 - "$WS/reports/archlint.sarif" 2>&1 <<'PY'
import json, sys
sarif = json.load(open(sys.argv[1]))
assert sarif["version"] == "2.1.0", sarif.get("version")
results = sarif["runs"][0]["results"]
assert len(results) == 5, len(results)
rules = sorted(r["ruleId"] for r in results)
assert rules == ["dead-reference", "empty-section", "missing-section", "placeholder", "stale-date"], rules
PY
)"; then
  ok "sarif: the file is SARIF 2.1.0 JSON with the 5 findings"
else
  not_ok "sarif: the file is SARIF 2.1.0 JSON with the 5 findings" "$out"
fi
run_action paths=. working-directory=bad sarif-file=out.sarif args="$TODAY"
check_outputs "sarif: relative to working-directory, output absolute" "sarif-file=$WS/bad/out.sarif"
check "sarif: written in working-directory" test -s "$WS/bad/out.sarif"
rm -rf "$WS/reports" "$WS/bad/out.sarif"

# --- 6. format short and the problem matcher ------------------------------------------
run_action paths=bad format=short args="$TODAY"
expect . "${today[@]}" bad
check_rc "short: the step exits 1" 1
matcher_line="$(grep '^::add-matcher::' "$G/stdout" || true)"
check "short: registers the problem matcher" test "$matcher_line" = \
  "::add-matcher::$action_dir/.github/archlint-problem-matcher.json"
check "short: the matcher file exists" test -f "${matcher_line#::add-matcher::}"
check "short: removes the matcher afterwards" has_line "$G/stdout" "::remove-matcher owner=archlint::"
check "short: no colour codes" lacks "$G/stdout" $'\e'
check_py "short: the matcher's regexp parses one line per finding, fields equal the report" \
  short "$G/stdout" "$T/expect.json" "$WS" "$action_dir/.github/archlint-problem-matcher.json"
check_outputs "short: outputs errors=3 warnings=2" exit-code=1 errors=3 warnings=2

# --- 7. every input empty except paths ---------------------------------------------------
run_action --all-empty paths=bad
expect . bad
check_rc "only paths given: the step exits $expect_rc as archlint does (not 2)" "$expect_rc"
check "only paths given: the direct run found errors" test "$expect_rc" -eq 1
check "only paths given: no usage error" no_usage_error
check_outputs "only paths given: counts equal the direct run" exit-code="$expect_rc" \
  errors="$(expected errors)" warnings="$(expected warnings)" files=1
check_py "only paths given: one annotation per finding" \
  annotations "$G/stdout" "$T/expect.json" "$WS" "$WS"
check "only paths given: summary written (empty summary input means true)" \
  contains "$G/summary" "in 1 file checked (exit code 1)"

# --- 8. every default (no input given) -------------------------------------------------
run_action
expect . .
check_rc "defaults: the step exits as archlint does on '.'" "$expect_rc"
check_outputs "defaults: counts equal the direct run on all 3 documents" exit-code="$expect_rc" \
  errors="$(expected errors)" warnings="$(expected warnings)" files=3

# --- 9. config, and a job that sets ARCHLINT_CONFIG empty ----------------------------------
run_action paths=warn config=ci/strict.toml args="$TODAY"
check_rc "config: stale-date made an error fails the step" 1
check_outputs "config: errors=1 warnings=1" exit-code=1 errors=1 warnings=1
run_action paths=bad config=ci/missing.toml
check_rc "config: a missing file is exit 2" 2
check "config: the error names the file" contains "$G/stderr" "missing.toml"
check_outputs "config: exit 2 leaves exit-code=2 and empty counts" exit-code=2 errors= warnings= files=
check "config: summary says no report" contains "$G/summary" "archlint exited with code 2 and wrote no report"
run_action --env ARCHLINT_CONFIG= paths=bad args="$TODAY"
check_rc "job env ARCHLINT_CONFIG= (empty) counts as unset: exit 1, not 2" 1

# --- 10. working-directory --------------------------------------------------------------
run_action paths=. working-directory=bad args="$TODAY"
expect bad "${today[@]}" .
check_rc "working-directory: the step exits 1" 1
check "working-directory: annotation paths are relative to the workspace" starts_line "$G/stdout" \
  "::error file=bad/ARCHITECTURE.md,line=9,"
check_py "working-directory: one annotation per finding" \
  annotations "$G/stdout" "$T/expect.json" "$WS/bad" "$WS"
check "working-directory: summary links into the workspace" contains "$G/summary" \
  "(${BLOB}bad/ARCHITECTURE.md#L9)"

# --- 11. summary false ------------------------------------------------------------------
run_action paths=bad summary=false args="$TODAY"
check "summary false: the job summary stays empty" test ! -s "$G/summary"
check_outputs "summary false: the counts are still output" exit-code=1 errors=3 warnings=2 files=1

# --- 12. a hostile pull request ----------------------------------------------------------
run_action paths="$hostile_name" args="$TODAY"
expect . "${today[@]}" "$hostile_name"
check_rc "hostile: the step exits 1" 1
check "hostile: archlint quoted the hostile heading" grep -q 'evil.example/i.png' "$T/expect.json"
check_py "hostile: the summary keeps report text inside code spans" md-safe "$G/summary" "$BLOB"
check_py "hostile: annotations still match the findings" \
  annotations "$G/stdout" "$T/expect.json" "$WS" "$WS"
check "hostile: no workflow command but annotations" test -z \
  "$(grep '^::' "$G/stdout" | grep -vE '^::(error|warning) file=' || true)"

totals
((failed == 0))
