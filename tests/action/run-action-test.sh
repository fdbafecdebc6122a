#!/usr/bin/env bash
# Tests of .github/scripts/archlint-action.sh (the run step of action.yml)
# against a fake archlint binary and a fake GitHub Actions environment: what
# the real binary cannot be made to do on demand (any exit code with any
# report, or none; a missing binary), the exact argv built from the inputs
# (`args` quoting, paths splitting, hostile input), the environment archlint
# is started with, and a job summary built from hostile report text.
# tests/action/run-real-action-test.sh runs the action with the real binary.
# Needs bash, python3 and coreutils; never builds or runs the real binary.
set -euo pipefail

repo="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)"
action="$repo/.github/scripts/archlint-action.sh"
harness="$repo/tests/action/action_harness.py"
T="$(mktemp -d "${TMPDIR:-/tmp}/archlint-action-test.XXXXXX")"
trap 'rm -rf -- "$T"' EXIT

# shellcheck source=tests/clients/tap.sh
. "$repo/tests/clients/tap.sh"
# check NAME COMMAND...: passes when the command succeeds (tap.sh's, without details).
check() {
  local name="$1"
  shift
  if "$@"; then ok "$name"; else not_ok "$name"; fi
}
contains() { grep -qF -- "$2" "$1"; }
lacks() { ! grep -qF -- "$2" "$1"; }
has_line() { grep -qxF -- "$2" "$1"; }

# The run step's variable for each input, read from action.yml.
envname() { python3 "$harness" envname "$repo/action.yml" "$1"; }
I_PATHS="$(envname paths)"
I_PROFILE="$(envname profile)"
I_CONFIG="$(envname config)"
I_FORMAT="$(envname format)"
I_FAIL_ON="$(envname fail-on)"
I_MAX_WARNINGS="$(envname max-warnings)"
I_SARIF_FILE="$(envname sarif-file)"
I_ARGS="$(envname args)"
I_WORKING_DIRECTORY="$(envname working-directory)"
I_SUMMARY="$(envname summary)"

# --- the fake archlint ----------------------------------------------------
# Logs its argv one per line, writes canned --report files, prints canned
# `github` output and exits with $FAKE_EXIT. With FAKE_NO_REPORT set it
# writes nothing, as archlint does on a usage error.
mkdir -p "$T/bin"
cat >"$T/bin/archlint" <<'FAKE'
#!/usr/bin/env bash
printf '%s\n' "$@" >"$FAKE_LOG"
pwd >"$FAKE_LOG.cwd"
env | grep -E '^(ARCHLINT|INPUT)_' >"$FAKE_LOG.env" || true
prev=""
for arg in "$@"; do
  if [[ "$prev" == --report && -z "${FAKE_NO_REPORT:-}" ]]; then
    target="${arg#*=}"
    mkdir -p "$(dirname "$target")"
    case "${arg%%=*}" in
      json) if [[ -n "${FAKE_BAD_REPORT:-}" ]]; then echo '{"files": [' >"$target"; else cat "$FAKE_JSON" >"$target"; fi ;;
      sarif) echo '{"version":"2.1.0","runs":[]}' >"$target" ;;
    esac
  fi
  prev="$arg"
done
echo "::error file=docs/ARCHITECTURE.md,line=3,col=1,endLine=3,endColumn=10,title=archlint (missing-section)::docs/ARCHITECTURE.md:3:1: missing section"
exit "${FAKE_EXIT:-0}"
FAKE
chmod +x "$T/bin/archlint"

cat >"$T/report.json" <<'JSON'
{"version":1,"files":[
 {"path":"docs/ARCHITECTURE.md","profile":"comprehensive","diagnostics":[
  {"rule":"missing-section","severity":"error","message":"missing section `Data Flow`","line":3,"column":1,"end_line":3,"end_column":10,"help":"did you mean `Dataflow`?"},
  {"rule":"stale-date","severity":"warning","message":"a|b <script>x</script>","line":12,"column":5,"end_line":12,"end_column":20,"help":null}]},
 {"path":"docs/clean.md","profile":"core","diagnostics":[]}],
 "summary":{"files":2,"errors":1,"warnings":1}}
JSON

# --- fake GitHub environment and one action run ---------------------------
# run_action [VAR=VALUE...]: fresh workspace and output files, then runs the
# action script with the given inputs; sets $rc and leaves $T/stdout.
run_action() {
  rm -rf "$T/ws" "$T/gh" "$T/args" "$T/args.cwd" "$T/args.env"
  mkdir -p "$T/ws/docs" "$T/ws/sub/docs" "$T/gh"
  : >"$T/gh/output"
  : >"$T/gh/summary"
  rc=0
  (
    cd "$T/ws"
    env -i PATH="$PATH" HOME="$T" TMPDIR="$T" RUNNER_TEMP="$T/gh" \
      GITHUB_OUTPUT="$T/gh/output" GITHUB_STEP_SUMMARY="$T/gh/summary" \
      GITHUB_WORKSPACE="$T/ws" GITHUB_SERVER_URL="https://github.example" \
      GITHUB_REPOSITORY="acme/widgets" GITHUB_SHA="0123abc" \
      ARCHLINT_BIN="$T/bin/archlint" FAKE_LOG="$T/args" FAKE_JSON="$T/report.json" \
      "$@" bash "$action"
  ) >"$T/stdout" 2>"$T/stderr" || rc=$?
}
# output NAME: one step output (fails when missing or set twice).
output() { python3 "$harness" output "$T/gh/output" "$1"; }
out_is() { [[ "$(output "$1" 2>/dev/null)" == "$2" ]]; }
# The fake's argv, one argument per line.
args_has() { has_line "$T/args" "$1"; }
args_lacks() { ! has_line "$T/args" "$1"; }
# args_seq A B ...: the fake got A B ... as consecutive arguments.
args_seq() {
  local -a got=()
  local i j
  [[ -f "$T/args" ]] && mapfile -t got <"$T/args"
  for ((i = 0; i + $# <= ${#got[@]}; i++)); do
    for ((j = 0; j < $#; j++)); do
      [[ "${got[i + j]}" == "${*:j+1:1}" ]] || continue 2
    done
    return 0
  done
  return 1
}

# --- defaults: github format, fail-on error, summary on -------------------
run_action FAKE_EXIT=1 "$I_PATHS=." # the action.yml default
check "default run exits with archlint's 1" test "$rc" -eq 1
check "runs 'check --format github'" test "$(head -n 3 "$T/args" | paste -sd' ')" = "check --format github"
check "default path . follows --" args_seq -- .
check "github output reaches the log" contains "$T/stdout" "::error file=docs/ARCHITECTURE.md,line=3"
check "no problem matcher for github format" lacks "$T/stdout" "add-matcher"
check "json report requested for the counts and the summary" grep -q '^json=.*/report.json$' "$T/args"
check "outputs: exit-code=1" out_is exit-code 1
check "outputs: errors=1 from the report" out_is errors 1
check "outputs: warnings=1 from the report" out_is warnings 1
check "outputs: files=2 from the report" out_is files 2
check "outputs: empty sarif-file" out_is sarif-file ""
check "archlint sees none of the action's ARCHLINT_*/INPUT_* variables" test ! -s "$T/args.env"
check "scratch files are removed" test -z "$(find "$T/gh" -name 'archlint-action.*')"

s="$T/gh/summary"
check "summary has a heading" has_line "$s" "## archlint"
check "summary counts" contains "$s" "1 error, 1 warning in 2 files checked (exit code 1)"
check "summary file table header" has_line "$s" "| File | Profile | Errors | Warnings |"
check "summary row for the failing file" has_line "$s" \
  "| [\` docs/ARCHITECTURE.md \`](https://github.example/acme/widgets/blob/0123abc/docs/ARCHITECTURE.md) | \` comprehensive \` | 1 | 1 |"
check "summary row for the clean file" has_line "$s" \
  "| [\` docs/clean.md \`](https://github.example/acme/widgets/blob/0123abc/docs/clean.md) | \` core \` | 0 | 0 |"
check "finding links to its line; message and help in code spans" has_line "$s" \
  "| error | [\` docs/ARCHITECTURE.md:3:1 \`](https://github.example/acme/widgets/blob/0123abc/docs/ARCHITECTURE.md#L3) | \` missing-section \` | \`\` missing section \`Data Flow\` \`\`<br>*help:* \`\` did you mean \`Dataflow\`? \`\` |"
check "second finding links to line 12" contains "$s" "docs/ARCHITECTURE.md#L12)"
check "pipes are escaped inside the code span, HTML left literal in it" contains "$s" "\` a\\|b <script>x</script> \`"

# --- exit codes: fail-on x archlint's exit code ---------------------------
# never turns findings (1) into success, but a usage/config error (2) fails.
for case in error:0:0 error:1:1 error:2:2 warning:0:0 warning:1:1 warning:2:2 never:0:0 never:1:0 never:2:2; do
  IFS=: read -r fail_on code want <<<"$case"
  run_action FAKE_EXIT="$code" "$I_FAIL_ON=$fail_on"
  check "fail-on $fail_on, archlint exits $code -> step exits $want" test "$rc" -eq "$want"
  check "fail-on $fail_on, archlint exits $code -> exit-code=$code output" out_is exit-code "$code"
  case "$fail_on" in
    error | never) check "fail-on $fail_on adds no threshold flag" test "$(grep -c -e --deny-warnings -e --exit-zero "$T/args")" -eq 0 ;;
    warning) check "fail-on warning adds --deny-warnings" args_has --deny-warnings ;;
  esac
  if [[ "$fail_on:$code" == never:1 ]]; then
    check "fail-on never, exit 1: a notice with the counts" has_line "$T/stdout" \
      "::notice title=archlint action::archlint found 1 error and 1 warning in 2 files (exit code 1); the step passes because fail-on is never"
  else
    check "fail-on $fail_on, archlint exits $code: no notice" lacks "$T/stdout" "::notice"
  fi
done
run_action "$I_FAIL_ON=sometimes"
check "invalid fail-on is a usage error (exit 2)" test "$rc" -eq 2
check "invalid fail-on is reported" contains "$T/stdout" "::error title=archlint action::fail-on must be"
check "invalid fail-on: outputs exit-code=2" out_is exit-code 2
check "invalid fail-on: outputs empty errors" out_is errors ""

# --- problem matcher only for the short format ----------------------------
run_action "$I_FORMAT=short"
matcher_line="$(grep '^::add-matcher::' "$T/stdout" || true)"
check "short format registers the matcher" test -n "$matcher_line"
check "matcher file exists" test -f "${matcher_line#::add-matcher::}"
check "short format removes the matcher afterwards" has_line "$T/stdout" "::remove-matcher owner=archlint::"
check "short format passes --format short" args_seq --format short
for fmt in json sarif human; do
  run_action "$I_FORMAT=$fmt"
  check "no matcher for format $fmt" lacks "$T/stdout" "add-matcher"
done

# --- optional inputs --------------------------------------------------------
run_action "$I_PROFILE=comprehensive" "$I_CONFIG=ci/archlint.toml" \
  "$I_MAX_WARNINGS=5" "$I_SARIF_FILE=out/archlint.sarif"
check "profile passed" args_seq --profile comprehensive
check "config passed" args_seq --config ci/archlint.toml
check "max-warnings passed" args_seq --max-warnings 5
check "sarif report requested" args_seq --report sarif=out/archlint.sarif
check "sarif file written" test -f "$T/ws/out/archlint.sarif"
check "outputs: absolute sarif-file" out_is sarif-file "$T/ws/out/archlint.sarif"

# The empty values a runner passes for inputs the workflow left out.
run_action "$I_PROFILE=" "$I_CONFIG=" "$I_MAX_WARNINGS=" "$I_SARIF_FILE=" "$I_ARGS=" \
  "$I_FORMAT=" "$I_FAIL_ON=" "$I_SUMMARY=" "$I_WORKING_DIRECTORY=" "$I_PATHS=docs"
check "empty inputs: no --profile, --config, --max-warnings or sarif report" \
  test "$(grep -c -e --profile -e --config -e --max-warnings -e '^sarif=' "$T/args")" -eq 0
check "empty inputs: format github, summary on, run in ." test "$(head -n 3 "$T/args" | paste -sd' ')" = "check --format github"
check "empty inputs: summary written" contains "$T/gh/summary" "## archlint"
check "empty inputs: no empty argument" args_lacks ""

run_action "$I_SUMMARY=false"
check "summary false: json report still requested for the outputs" grep -q '^json=' "$T/args"
check "summary false: summary file empty" test ! -s "$T/gh/summary"
check "summary false: counts still output" out_is errors 1
run_action "$I_SUMMARY=maybe"
check "invalid summary is a usage error (exit 2)" test "$rc" -eq 2

run_action FAKE_EXIT=2 FAKE_NO_REPORT=1
check "no report: summary explains exit 2" contains "$T/gh/summary" "archlint exited with code 2 and wrote no report"
check "no report: step exits 2" test "$rc" -eq 2
check "no report: exit-code=2, empty counts" \
  test "$(output exit-code)/$(output errors)/$(output warnings)/$(output files)" = "2///"
run_action FAKE_EXIT=2 FAKE_NO_REPORT=1 "$I_FAIL_ON=never"
check "no report, fail-on never: still exit 2, no notice" test "$rc" -eq 2 -a -z "$(grep '::notice' "$T/stdout" || true)"

run_action FAKE_EXIT=2 FAKE_BAD_REPORT=1
check "truncated report: step exits 2" test "$rc" -eq 2
check "truncated report: empty counts" test "$(output errors)/$(output files)" = "/"
check "truncated report: summary explains" contains "$T/gh/summary" "wrote no report"
run_action FAKE_EXIT=101 FAKE_NO_REPORT=1 "$I_FAIL_ON=never"
check "exit 101 (a crash) fails the step with 101, even with fail-on never" test "$rc" -eq 101
check "exit 101: exit-code=101" out_is exit-code 101

run_action ARCHLINT_BIN="$T/bin/missing"
check "missing binary is exit 2" test "$rc" -eq 2
check "missing binary is reported" contains "$T/stdout" "::error title=archlint action::archlint binary not found"
check "missing binary: outputs exit-code=2" out_is exit-code 2

# --- paths and working-directory -------------------------------------------
run_action "$I_PATHS="$'docs/ARCHITECTURE.md\n  README.md\tother.md  \n'
check "paths split on whitespace and newlines" args_seq -- docs/ARCHITECTURE.md README.md other.md
check "no empty path arguments" args_lacks ""
run_action "$I_PATHS=docs/*.md"
check "paths are not glob-expanded" args_has 'docs/*.md'
run_action "$I_PATHS="$' \n '
check "blank paths: no -- and no positional" args_lacks --

run_action "$I_WORKING_DIRECTORY=sub"
check "runs in working-directory" test "$(cat "$T/args.cwd")" = "$T/ws/sub"
check "summary links are relative to the workspace" contains "$T/gh/summary" \
  "(https://github.example/acme/widgets/blob/0123abc/sub/docs/ARCHITECTURE.md#L3)"

# --- hostile inputs stay literal arguments ----------------------------------
mkdir -p "$T/victim"
run_action "$I_PATHS=docs \$(touch $T/pwned) ; rm -rf $T/victim" \
  "$I_ARGS=--quiet '\$(touch $T/pwned)' \"; rm -rf $T/victim\" \`touch $T/pwned\` a;b"
check "hostile inputs: nothing executed" test ! -e "$T/pwned"
check "hostile inputs: nothing deleted" test -d "$T/victim"
check "args: quoted \$(...) is one literal argument" args_has "\$(touch $T/pwned)"
check "args: quoted '; rm -rf' is one literal argument" args_has "; rm -rf $T/victim"
check "args: backticks stay literal" args_has "\`touch"
check "args: unquoted ; is literal text" args_has "a;b"
check "args: --quiet passed" args_has --quiet
check "paths: \$(touch ...) split into literal words" args_seq docs "\$(touch" "$T/pwned)"
check "paths: ; and rm -rf are literal words" args_seq ';' rm -rf "$T/victim"
# Unquoted, so that any shell evaluation (eval, sh -c) would run them.
run_action "$I_PATHS=docs \$(touch $T/pwned)" "$I_ARGS=--quiet \$(touch $T/pwned) \`touch $T/pwned\`"
check "unquoted substitutions: nothing executed" test ! -e "$T/pwned"
check "unquoted substitutions: archlint ran with literal words" args_seq --quiet "\$(touch" "$T/pwned)" "\`touch" "$T/pwned\`"
run_action "$I_ARGS=--profile 'unbalanced"
check "unbalanced quotes in args: exit 2" test "$rc" -eq 2

# --- hostile report text in the job summary ----------------------------------
# Paths, profile names, rule ids, messages and help can all come from a pull
# request (file names, headings, placeholders). None of it may open a link, an
# image, an autolink or HTML, close its code span or split the table row.
python3 - "$T/hostile.json" <<'PY'
import json, sys
evil = [
    "x`](https://evil.example/a) ![i](https://evil.example/i.png) `",
    "``` ![i](https://evil.example/i.png) `",
    "`<img src=https://evil.example/i.png>` <script>evil()</script>",
    "[click](javascript:evil) www.evil.example evil@evil.example https://evil.example",
    "a|b \\| `|` \\` evil",
    "line\n| evil | row |\r\n<b>evil</b>",
    "nul\u0000 esc\u001b[31m evil \u202e reversed \u2028 sep \u0085 nel",
    "`evil`",
    "evil\\",
    "*evil* _evil_ ~~evil~~ # evil &lt;evil&gt; &#96;",
]
files = []
for i, text in enumerate(evil):
    files.append({
        "path": f"docs/{text}.md",
        "profile": text,
        "diagnostics": [{
            "rule": text, "severity": text if i % 2 else "error", "message": text,
            "line": 1 + i, "column": 1, "end_line": 1 + i, "end_column": 2, "help": text,
        }],
    })
json.dump({"version": 1, "files": files, "summary": {"files": len(files), "errors": 5, "warnings": 0}},
          open(sys.argv[1], "w"))
PY
run_action FAKE_EXIT=1 FAKE_JSON="$T/hostile.json"
s="$T/gh/summary"
if out="$(python3 "$harness" md-safe "$s" "https://github.example/acme/widgets/blob/0123abc/" 2>&1)"; then
  ok "hostile report: text stays inside code spans"
  grep '^# ' <<<"$out" || true
else
  not_ok "hostile report: text stays inside code spans" "$out"
fi
check "hostile report: one table row per file and finding" \
  test "$(grep -c '^| ' "$s")" -eq $((2 + 10 + 2 + 10))
check "hostile report: every row has its 4 cells" python3 - "$s" <<'PY'
import re, sys
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("| "):
        cells = re.split(r"(?<!\\)\|", line.rstrip("\n"))
        assert len(cells) == 6, line
PY
check "hostile report: a backtick run gets a longer fence" contains "$s" \
  "\`\`\`\` \`\`\` ![i](https://evil.example/i.png) \` \`\`\`\`"
check "hostile report: line breaks shown as \\n and \\r" contains "$s" 'line\n\| evil \| row \|\r\n<b>evil</b>'
check "hostile report: NUL, ESC, RLO, LS and NEL shown escaped" contains "$s" \
  'nul\u{0000} esc\u{001b}[31m evil \u{202e} reversed \u{2028} sep \u{0085} nel'
check "hostile report: an unknown severity is a code span too" contains "$s" \
  "| \`\` x\`](https://evil.example/a)"
check "hostile report: the step still reports the counts" out_is errors 5

# A huge report stays under the 1 MiB job summary limit.
python3 - "$T/huge.json" <<'PY'
import json, sys
diags = [{"rule": "placeholder", "severity": "error", "message": "m" * 5000, "line": i + 1,
          "column": 1, "end_line": i + 1, "end_column": 2, "help": "\u202e" * 2000} for i in range(2000)]
files = [{"path": f"docs/{i}.md", "profile": "core", "diagnostics": diags if i == 0 else []} for i in range(300)]
json.dump({"version": 1, "files": files, "summary": {"files": 300, "errors": 2000, "warnings": 0}},
          open(sys.argv[1], "w"))
PY
run_action FAKE_EXIT=1 FAKE_JSON="$T/huge.json"
check "huge report: summary under 1 MiB" test "$(wc -c <"$T/gh/summary")" -lt 1000000
check "huge report: says how many findings were left out" grep -q '^… and [0-9]* more findings; see the step log.$' "$T/gh/summary"
check "huge report: says how many files were left out" contains "$T/gh/summary" "| … and 100 more files | | | |"

# --- the problem matchers' regexps ------------------------------------------
if python3 - "$repo/.github/archlint-problem-matcher.json" "$repo/editors/vscode/tasks.json" >"$T/py" 2>&1 <<'PY'; then
import json, re, sys

gh = json.load(open(sys.argv[1]))["problemMatcher"][0]
vs = json.load(open(sys.argv[2]))["tasks"][0]["problemMatcher"]
assert gh["owner"] == "archlint" and vs["owner"] == "archlint"
cases = {
    "docs/ARCHITECTURE.md:3:1: error: missing section `Data Flow` [missing-section]":
        ("docs/ARCHITECTURE.md", "3", "1", "error", "missing section `Data Flow`", "missing-section"),
    r"C:\repo\docs\A B.md:10:2: warning: see a:b [x] now [stale-date]":
        (r"C:\repo\docs\A B.md", "10", "2", "warning", "see a:b [x] now", "stale-date"),
    "\x1b[1mdocs/a.md:1:1: error: m [placeholder]":
        ("docs/a.md", "1", "1", "error", "m", "placeholder"),
}
for name, p in (("github", gh["pattern"][0]), ("vscode", vs["pattern"])):
    rx = re.compile(p["regexp"])
    keys = ("file", "line", "column", "severity", "message", "code")
    for line, want in cases.items():
        m = rx.match(line)
        assert m, (name, line)
        got = tuple(m.group(p[k]) for k in keys)
        assert got == want, (name, got, want)
    assert not rx.match("::error file=a,line=1::a:1:1: error: m [x]x"), name
    assert bool(rx.match("a.md:1:1: info: m [x]")) == (name == "vscode"), name
PY
  ok "problem matcher regexps parse short lines"
else
  not_ok "problem matcher regexps parse short lines" "$(cat "$T/py")"
fi

echo "$passed passed, $failed failed"
((failed == 0))
