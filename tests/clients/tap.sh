# shellcheck shell=bash
# The TAP-like lines the client tests print: `ok - NAME`, `not ok - NAME` with the
# details indented below it, and a closing `N passed, N failed`. Sourced.

passed=0
failed=0

ok() {
  passed=$((passed + 1))
  echo "ok - $1"
}

# not_ok NAME [DETAILS]: DETAILS is a file (its contents are shown, a unit separator
# between fields as ` | `) or text.
not_ok() {
  failed=$((failed + 1))
  echo "not ok - $1"
  local line
  if [[ -n ${2:-} && -f $2 ]]; then
    sed 's/\x1f/ | /g; s/^/#   /' "$2"
  elif [[ -n ${2:-} ]]; then
    while IFS= read -r line; do echo "#   $line"; done <<<"$2"
  fi
}

# check NAME DETAILS COMMAND...: ok when COMMAND succeeds.
check() {
  local name="$1" details="$2"
  shift 2
  if "$@"; then ok "$name"; else not_ok "$name" "$details"; fi
}

# finish: the totals, and the exit status (1 if anything failed).
finish() {
  echo "$passed passed, $failed failed"
  if ((failed == 0)); then exit 0; fi
  exit 1
}
